"""The shipped notebooks, packaged as ``cchc_analysis._notebooks`` (see ``setup.py``).

Not code to import: ``cchc report`` and ``cchc main`` run the notebooks from here
(:func:`cchc_analysis.config.notebooks_dir`); ``cchc notebooks copy DIR`` gives editable copies.
"""
