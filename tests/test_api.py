"""The public API: every re-exported name resolves, and importing the package stays light."""

import subprocess
import sys

import cchc_analysis


def test_every_public_name_resolves():
    missing = [n for n in cchc_analysis.__all__ if n != "__version__" and not hasattr(cchc_analysis, n)]
    assert missing == []


def test_import_loads_no_heavy_library():
    code = (
        "import sys, cchc_analysis; "
        "print(','.join(m for m in ('pandas', 'numpy', 'scipy', 'matplotlib', 'papermill') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"import cchc_analysis loaded {out}: import it lazily"


def test_submodules_are_reachable_without_import():
    assert cchc_analysis.plots.plot_trend is cchc_analysis.plot_trend
    assert cchc_analysis.trends.trend_table is cchc_analysis.trend_table
