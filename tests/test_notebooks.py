"""The notebooks, executed for real by papermill, and the main job (`cchc main`)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cchc_analysis import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
pytestmark = pytest.mark.slow


def test_there_are_four_paired_notebooks_without_outputs():
    import jupytext

    assert {p.stem for p in NOTEBOOKS} == {"province_profile", "index_trends", "target_gaps", "cross_province"}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{path.name} has outputs"
        paired = jupytext.read(path.with_suffix(".py"))
        assert [c.source for c in paired.cells] == [c.source for c in nb.cells], (
            f"{path.name} and its .py differ: run `jupytext --sync notebooks/{path.stem}.py`"
        )


def test_parameters_are_typed_and_documented():
    import papermill as pm

    for path in NOTEBOOKS:
        params = pm.inspect_notebook(str(path))
        assert params, path.name
        for name, p in params.items():
            assert p["inferred_type_name"] not in ("None", ""), f"{path.name}: {name} has no type"
            assert p["help"], f"{path.name}: {name} has no comment"


@pytest.fixture(scope="module")
def main_job(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    proc = subprocess.run(
        [sys.executable, "-m", "cchc_analysis.cli", "main", "--province", "Quảng Nam", "--out", str(out),
         "-j", "2", "--no-progress"],
        capture_output=True, text=True, timeout=600,
    )
    return out, proc


def _html(path):
    return path.read_text(encoding="utf-8")


def test_main_job_runs_every_notebook(main_job):
    out, proc = main_job
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "index.html" in proc.stdout
    runs = sorted(p.parent.relative_to(out).as_posix() for p in out.rglob("run.json"))
    assert runs == [
        "cross_province/2019", "cross_province/2023", "index_trends/dti", "index_trends/papi",
        "index_trends/pci", "province_profile/49-quang-nam", "target_gaps/49-quang-nam",
    ]
    for run in out.rglob("run.json"):
        assert json.loads(run.read_text())["status"] == "ok"
        assert list((run.parent / "figures").glob("*.png")), f"{run.parent} wrote no figure"
    index = _html(out / "index.html")
    assert index.count("<img") >= 7


def test_province_profile_shows_the_real_numbers(main_job):
    out, _ = main_job
    html = _html(out / "province_profile" / "49-quang-nam" / "province_profile.html")
    assert "Quảng Nam" in html and "Đà Nẵng" in html  # successor since 2025
    assert "84,60" in html and ">56<" in html  # PAR Index 2023, published rank
    assert "78,44" in html and ">59<" in html  # SIPAS 2023
    assert "<pre" not in html or "Traceback" not in html
    figures = {p.name for p in (out / "province_profile" / "49-quang-nam" / "figures").iterdir()}
    assert {"49-profile.png", "49-trend-pci.png", "49-trend-papi.png", "49-targets.png"} <= figures
    assert "def " not in re.sub(r"<[^>]+>", "", html)  # code cells are not in the report


def test_target_gaps_report_has_the_statuses(main_job):
    out, _ = main_job
    html = _html(out / "target_gaps" / "49-quang-nam" / "target_gaps.html")
    assert "Không đạt" in html and "Không đo được" in html  # "not met", "not measurable" in Vietnamese
    assert "-36" in html or "−36" in html  # PAR Index: 36 places short of the top 20


def test_rerun_skips_completed_reports(main_job):
    out, _ = main_job
    proc = subprocess.run(
        [sys.executable, "-m", "cchc_analysis.cli", "main", "--province", "Quảng Nam", "--out", str(out), "--no-progress"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0 and "already complete" in proc.stdout


def test_english_profile_and_bad_parameter_through_papermill(tmp_path):
    import papermill as pm

    nb = config.NOTEBOOKS_DIR / "province_profile.ipynb"
    pm.execute_notebook(
        str(nb), str(tmp_path / "en.ipynb"), kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
        parameters={"province": "P01", "lang": "en", "first_year": 2018, "figures_dir": str(tmp_path / "fig")},
    )
    import matplotlib.image

    png = tmp_path / "fig" / "01-profile.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert abs(matplotlib.image.imread(png).shape[1] - 8.5 / 2.54 * 300) < 1.5, "single-column width at 300 dpi"
    text = (tmp_path / "en.ipynb").read_text(encoding="utf-8")
    assert "Hà Nội" in text and "Red River Delta" in text  # lang="en" names the region in English
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(
            str(nb), str(tmp_path / "bad.ipynb"), kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
            parameters={"province": "Quang Nham", "figures_dir": str(tmp_path / "fig2")},
        )
    assert "NotebookParameterError" in str(err.value) and "Did you mean" in str(err.value)
    # 1 = parameters, 2 = papermill's injected parameters, 3 = the first cell: it fails there
    assert err.value.exec_count == 3


def test_issue17_default_reports_name_the_coefficient_and_hide_small_n_p_values(main_job):
    """Acceptance of issue 17: every correlation says which coefficient it is; no p-value for
    n below the documented minimum (5); PAPI totals are called unweighted; Hà Tây is no mover."""
    from io import StringIO

    import pandas as pd

    from cchc_analysis.trends import MIN_N_INFERENCE

    out, _ = main_job
    for year in (2019, 2023):
        run = out / "cross_province" / str(year)
        html = _html(run / "cross_province.html")
        tables = pd.read_html(StringIO(html), thousands=None, decimal=",")
        corr = next(t for t in tables if "coefficient" in t.columns)
        assert len(corr) >= 3 and (corr["coefficient"] == "Spearman ρ").all()
        small = corr[corr["n"] < MIN_N_INFERENCE]
        assert small["p_value"].isna().all() and (small["p_method"] == f"not shown: n < {MIN_N_INFERENCE}").all()
        assert corr.loc[corr["n"] >= MIN_N_INFERENCE, "p_value"].notna().all()
        scatter = next((run / "figures").glob("*-scatter.txt")).read_text(encoding="utf-8")
        assert "Spearman ρ = " in scatter
    profile = _html(out / "province_profile" / "49-quang-nam" / "province_profile.html")
    assert "unweighted sum of the dimension scores" in profile
    pci = _html(out / "index_trends" / "pci" / "index_trends.html")
    assert "không phải điểm thấp nhất" in pci and "Hà Tây" not in pci
    bump = (out / "index_trends" / "pci" / "figures" / "pci-bump.txt").read_text(encoding="utf-8")
    assert "Hà Tây" not in bump.split("làm nổi bật")[-1]
