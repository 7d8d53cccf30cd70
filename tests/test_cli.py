"""The ``cchc`` command as a whole (sub-commands have their own test files)."""

from __future__ import annotations

import subprocess
import sys


def test_cchc_piped_into_head_stops_quietly():
    # `cchc data provinces | head -1`: no BrokenPipeError traceback
    proc = subprocess.run(f"{sys.executable} -m cchc_analysis.cli data provinces | head -1", shell=True,
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.startswith("code,") and "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
