"""The one thing pyproject.toml cannot say: ship data/ and notebooks/ inside the package.

The repository keeps ``data/`` and ``notebooks/`` at the top level; the wheel installs them as
``cchc_analysis/_data`` and ``cchc_analysis/_notebooks``, and an editable install maps the same
names onto the clone's folders, so :mod:`importlib.resources` finds them either way
(:mod:`cchc_analysis.config`).  Every other setting is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

SHIPPED = {"cchc_analysis._data": "data", "cchc_analysis._notebooks": "notebooks"}


class BuildPy(build_py):
    """Ship the notebooks as .ipynb only: a jupytext twin beside one is not a module of the package."""

    def find_package_modules(self, package, package_dir):
        modules = super().find_package_modules(package, package_dir)
        return [m for m in modules if package != "cchc_analysis._notebooks" or m[1] == "__init__"]


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
