"""The one thing pyproject.toml cannot say: ship data/ and notebooks/ inside the package.

The repository keeps ``data/`` and ``notebooks/`` at the top level; the wheel installs them as
``cchc_analysis/_data`` and ``cchc_analysis/_notebooks``, and an editable install maps the same
names onto the clone's folders, so :mod:`importlib.resources` finds them either way
(:mod:`cchc_analysis.config`).  Every other setting is in pyproject.toml.
"""

from setuptools import find_packages, setup

SHIPPED = {"cchc_analysis._data": "data", "cchc_analysis._notebooks": "notebooks"}

setup(
    packages=[*find_packages(include=["cchc_analysis", "cchc_analysis.*"]), *SHIPPED],
    package_dir=SHIPPED,
)
