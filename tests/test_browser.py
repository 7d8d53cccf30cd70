"""The generated index.html and a report open in a real headless Chromium.

Needs ``/usr/bin/chromium`` (Debian package ``chromium``).  Skipped when it is missing,
unless the ``CI`` environment variable is set: then a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cchc_analysis.report import plan_batch, run_batch

pytestmark = pytest.mark.slow

NOTEBOOK = Path(__file__).parent / "fixtures" / "tiny_report.ipynb"
FILL = (143, 187, 217)  # tab:blue at alpha 0.5 on white: the fixture figure's area fill


def _chromium() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    path = _chromium()
    if path is None:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail("chromium not found, and CI is set: install the Debian package 'chromium'")
        pytest.skip("chromium not found (apt-get install chromium); set CI=true to make this a failure")
    return path


def _browse(chromium: str, tmp: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--window-size=1200,900", *extra, url]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def _screenshot(chromium: str, tmp: Path, page: Path, name: str):
    import matplotlib.image

    png = tmp / f"{name}.png"
    res = _browse(chromium, tmp, page.as_uri(), f"--screenshot={png}")
    assert png.is_file(), f"no screenshot of {page}: {res.stderr[-2000:]}"
    pixels = matplotlib.image.imread(png)[..., :3]  # floats 0..1
    assert pixels.shape[:2] == (900, 1200)
    return (pixels * 255).round()


def _assert_not_blank(pixels) -> None:
    gray = pixels.mean(axis=2)
    assert gray.var() > 50, f"screenshot looks blank (variance {gray.var():.1f})"
    background = (abs(pixels - pixels[5, 5]).sum(axis=2) > 30).mean()
    assert background > 0.01, "almost every pixel has the background colour"


def _fill_pixels(pixels) -> int:
    return int((abs(pixels - FILL).max(axis=2) <= 14).sum())


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser-reports")
    batch = plan_batch(NOTEBOOK, {"province": ["Hà Nội", "Đà Nẵng"]}, out=out)  # Đà Nẵng fails
    result = run_batch(batch, jobs=2, progress=False)
    assert [r.status for r in result.results] == ["ok", "failed"]
    return out


def test_index_renders_with_thumbnails(chromium, reports, tmp_path):
    index = reports / "index.html"
    pixels = _screenshot(chromium, tmp_path, index, "index")
    _assert_not_blank(pixels)
    assert _fill_pixels(pixels) > 500, "no thumbnail figure visible in the index"

    dom = _browse(chromium, tmp_path, index.as_uri(), "--dump-dom").stdout
    assert "01 Hà Nội" in dom and "48 Đà Nẵng" in dom
    assert re.findall(r'data-status="(\w+)"', dom) == ["ok", "failed"]
    srcs = re.findall(r'<img [^>]*src="([^"]+)"', dom)
    assert len(srcs) == 2
    for src in srcs:
        assert (reports / src).is_file(), src
    for href in re.findall(r'href="([^"#]+\.html)"', dom):
        assert (reports / href).is_file(), href


def test_report_renders_figure_without_code(chromium, reports, tmp_path):
    page = reports / "tiny_report" / "01-ha-noi" / "tiny_report.html"
    pixels = _screenshot(chromium, tmp_path, page, "report")
    _assert_not_blank(pixels)
    assert _fill_pixels(pixels) > 2000, "the figure did not render in the report"

    dom = _browse(chromium, tmp_path, page.as_uri(), "--dump-dom").stdout
    assert re.search(r'<img [^>]*src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', dom)
    assert "Report for Hà Nội (01), 12 points" in dom
    assert "plt.subplots" not in dom  # no code cells


def test_failed_report_shows_traceback(chromium, reports, tmp_path):
    page = reports / "tiny_report" / "48-da-nang" / "tiny_report.html"
    dom = _browse(chromium, tmp_path, page.as_uri(), "--dump-dom").stdout
    assert "no data for Đà Nẵng" in dom


def test_profile_report_shows_its_map(chromium, tmp_path):
    """Issue 13: the province profile shows the province (outlined) on the national map."""
    from cchc_analysis.config import notebooks_dir

    out = tmp_path / "reports"
    batch = plan_batch(notebooks_dir() / "province_profile.ipynb", {"province": ["Quảng Nam"]}, out=out)
    assert [r.status for r in run_batch(batch, jobs=1, progress=False).results] == ["ok"]
    page = next(out.rglob("province_profile.html"))
    figure = next(page.parent.glob("figures/49-pci-map.png"))
    assert figure.stat().st_size > 20_000
    profile = tmp_path / "profile-map"
    png = tmp_path / "page.png"
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--window-size=1200,12000", f"--screenshot={png}", page.as_uri()]
    subprocess.run(args, capture_output=True, text=True, timeout=180)
    import matplotlib.image

    pixels = (matplotlib.image.imread(png)[..., :3] * 255).round()
    vermillion = (213, 94, 0)  # style.HIGHLIGHT: the outline of the province in focus
    outline = int((abs(pixels - vermillion).max(axis=2) <= 20).sum())
    assert outline > 300, f"the highlighted province's outline is not visible on the rendered page ({outline} px)"
    dom = _browse(chromium, tmp_path, page.as_uri(), "--dump-dom").stdout
    assert len(re.findall(r"<img ", dom)) >= 3  # profile chart, map, trends
