"""The bundled tables, shipped inside the package as ``cchc_analysis._data`` (see ``setup.py``).

This folder holds data, not code: the loaders find it with :mod:`importlib.resources` through
:func:`cchc_analysis.config.bundled_data_dir`; ``data/README.md`` describes the tables.
"""
