"""The one thing pyproject.toml cannot say: ship data/ and notebooks/ inside the package.

The repository keeps ``data/`` and ``notebooks/`` at the top level; the wheel installs them as
``cchc_analysis/_data`` and ``cchc_analysis/_notebooks``, and an editable install maps the same
names onto the clone's folders, so :mod:`importlib.resources` finds them either way
(:mod:`cchc_analysis.config`).  Every other setting is in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

SHIPPED = {"cchc_analysis._data": "data", "cchc_analysis._notebooks": "notebooks"}


NOTEBOOKS_INIT = '''"""The shipped notebooks (``notebooks/`` of the repository; see its setup.py).

Not code to import: ``cchc report`` and ``cchc main`` run the notebooks from here
(:func:`cchc_analysis.config.notebooks_dir`); ``cchc notebooks copy DIR`` gives editable copies.
"""
'''


class BuildPy(build_py):
    """Ship the notebooks as .ipynb only, in a package whose ``__init__`` exists only in the build.

    The repository's ``notebooks/`` holds no ``__init__.py`` (JupyterLab would list it beside the
    notebooks); an editable install finds the folder through the fallback of ``config``.
    """

    def find_package_modules(self, package, package_dir):
        modules = super().find_package_modules(package, package_dir)
        return [m for m in modules if package != "cchc_analysis._notebooks"]

    def run(self):
        super().run()
        init = Path(self.build_lib, "cchc_analysis", "_notebooks", "__init__.py")
        if init.parent.is_dir() and not init.exists():
            init.write_text(NOTEBOOKS_INIT, encoding="utf-8")


setup(
    # namespace discovery: registry/, templates/ and geodata/ are data folders without __init__.py
    packages=[
        *find_namespace_packages(include=["cchc_analysis", "cchc_analysis.*"]),
        *SHIPPED,
        *(f"cchc_analysis._data.{sub}" for sub in find_namespace_packages(where="data")),  # indicators/, targets/
    ],
    package_dir=SHIPPED,
    cmdclass={"build_py": BuildPy},
)
