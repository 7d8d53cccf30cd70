"""Every path the package uses, in one place.

``CCHC_DATA_DIR`` overrides the bundled data folder, ``CCHC_SHARED_DIR`` the folder of
original reference files (by default ``../shared`` beside the project root).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("CCHC_DATA_DIR", PROJ_ROOT / "data"))
FIGURES_DIR = PROJ_ROOT / "figures"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
REPORTS_DIR = PROJ_ROOT / "reports"
SHARED_DIR = Path(os.environ.get("CCHC_SHARED_DIR", PROJ_ROOT.parent / "shared"))
REFERENCE_DIR = SHARED_DIR / "reference-data"
PLANS_DIR = SHARED_DIR / "plans"
