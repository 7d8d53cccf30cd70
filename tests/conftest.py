"""Shared pytest fixtures.

Charts: the Agg backend (no window, same pixels everywhere) and every figure closed
after each test.  matplotlib is not imported here, so tests that check how cheap
``import cchc_analysis`` is are unaffected.
"""

import os
import sys

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True, scope="session")
def _agg_backend():
    """Use the non-interactive Agg backend for the whole session."""
    os.environ["MPLBACKEND"] = "Agg"
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].use("Agg", force=True)
    yield


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every pyplot figure a test opened."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
