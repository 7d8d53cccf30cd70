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


KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def test_there_are_five_paired_notebooks_without_outputs():
    import jupytext

    assert {p.stem for p in NOTEBOOKS} == {"start_here", "province_profile", "index_trends", "target_gaps",
                                           "cross_province", "targets_across_provinces"}
    makefile = (config.PROJ_ROOT / "Makefile").read_text(encoding="utf-8")
    assert f'--name {KERNELSPEC["name"]} --display-name "{KERNELSPEC["display_name"]}"' in makefile
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        # what JupyterLab would otherwise rewrite on open (marking the notebook modified): the
        # kernelspec `make install` (and conda-forge's ipykernel) installs, cell ids of nbformat 4.5
        assert nb.metadata.kernelspec == KERNELSPEC, path.name
        assert (nb.nbformat, nb.nbformat_minor) == (4, 5) and all(c.get("id") for c in nb.cells), path.name
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{path.name} has outputs"
        assert "formats" not in nb.metadata.get("jupytext", {}), f"{path.name}: pairing is set in pyproject.toml"
        paired = jupytext.read(config.NOTEBOOKS_DIR / "py" / f"{path.stem}.py")
        assert [c.source for c in paired.cells] == [c.source for c in nb.cells], (
            f"{path.name} and its .py differ: run `jupytext --sync notebooks/{path.name}`"
        )
    assert not list(config.NOTEBOOKS_DIR.glob("*.py")), "paired .py files belong in notebooks/py/"


def test_jupytext_pairs_into_the_py_folder(tmp_path):
    """`jupytext --sync` finds the pairing in pyproject.toml and changes nothing in a synced pair."""
    import shutil

    root = tmp_path / "proj"
    (root / "notebooks" / "py").mkdir(parents=True)
    shutil.copy(config.PROJ_ROOT / "pyproject.toml", root)
    src = NOTEBOOKS[0]
    shutil.copy(src, root / "notebooks")
    shutil.copy(config.NOTEBOOKS_DIR / "py" / f"{src.stem}.py", root / "notebooks" / "py")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    proc = subprocess.run([sys.executable, "-m", "jupytext", "--sync", f"notebooks/{src.name}"], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before, proc.stdout + proc.stderr
    # a new notebook gets its twin in py/, not beside it
    (root / "notebooks" / "new.ipynb").write_bytes(src.read_bytes())
    proc = subprocess.run([sys.executable, "-m", "jupytext", "--sync", "notebooks/new.ipynb"], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (root / "notebooks" / "py" / "new.py").is_file() and not (root / "notebooks" / "new.py").exists()


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
        "targets_across_provinces/par", "targets_across_provinces/pci", "targets_across_provinces/sipas",
    ]
    for run in out.rglob("run.json"):
        assert json.loads(run.read_text())["status"] == "ok"
        assert list((run.parent / "figures").glob("*.png")), f"{run.parent} wrote no figure"
    index = _html(out / "index.html")
    assert index.count("<img") >= 10


def test_province_profile_shows_the_real_numbers(main_job):
    out, _ = main_job
    html = _html(out / "province_profile" / "49-quang-nam" / "province_profile.html")
    assert "Quảng Nam" in html and "Đà Nẵng" in html  # successor since 2025
    # issue 16: per cents with one decimal, ranks as integers out of their N
    assert ">84,6<" in html and ">56/63<" in html  # PAR Index 2023, published rank of 63
    assert ">78,4<" in html and ">59/63<" in html  # SIPAS 2023
    assert "56,00" not in html and "84,60" not in html
    assert "<pre" not in html or "Traceback" not in html
    figures = {p.name for p in (out / "province_profile" / "49-quang-nam" / "figures").iterdir()}
    assert {"49-profile.png", "49-trend-pci.png", "49-trend-papi.png", "49-targets.png"} <= figures
    assert "def " not in re.sub(r"<[^>]+>", "", html)  # code cells are not in the report


def test_target_gaps_report_has_the_statuses(main_job):
    out, _ = main_job
    html = _html(out / "target_gaps" / "49-quang-nam" / "target_gaps.html")
    assert "Không đạt" in html and "Không đo được" in html  # "not met", "not measurable" in Vietnamese
    assert "-36" in html or "−36" in html  # PAR Index: 36 places short of the top 20


def test_targets_across_provinces_report_for_par(main_job):
    """Issue 11 acceptance: for PAR Index, how many provinces set a target, how many met it, the chart."""
    import cchc_analysis as cchc

    out, _ = main_job
    run = out / "targets_across_provinces" / "par"
    html = _html(run / "targets_across_provinces.html")
    summary = cchc.target_summary(cchc.compare_targets(cchc.load_targets(), cchc.load_indicators(), index="par"))
    r = summary.iloc[0]
    assert f"{r['provinces']} tỉnh đặt {r['targets']} mục tiêu PAR Index:" in html  # the first key message
    assert f"{r['not_met']} không đạt" in html
    # the summary table, in Vietnamese
    assert "Tỉnh đặt mục tiêu" in html and "Tỉnh đạt mọi mục tiêu đã có kết luận" in html
    assert "nhóm 20 đứng đầu, đến 2023" in html and "hạng 33/63 (2021, kế hoạch nêu)" in html  # Quảng Nam, Decision 3532
    assert "Hạng trong vùng: không chấm" in html
    figures = {p.name for p in (run / "figures").iterdir()}
    assert "par-rank-targets.png" in figures and "<img" in html
    alt = (run / "figures" / "par-rank-targets.txt").read_text(encoding="utf-8")
    assert "Biểu đồ điểm" in alt and "PAR Index" in alt
    assert "Traceback" not in html and "def " not in re.sub(r"<[^>]+>", "", html)


def test_targets_across_provinces_in_english_for_a_plan_period(tmp_path):
    import papermill as pm

    out = tmp_path / "en.ipynb"
    pm.execute_notebook(
        str(config.NOTEBOOKS_DIR / "targets_across_provinces.ipynb"), str(out), execution_timeout=600, kernel_name="python3",
        progress_bar=False, cwd=str(tmp_path),
        parameters={"index": "pci", "period": "2021-2022", "lang": "en", "figures_dir": str(tmp_path / "fig")},
    )
    import cchc_analysis as cchc
    from cchc_analysis.ambition import headline

    from cchc_analysis.messages import targets_across_messages

    shown = []  # what the reader sees: the outputs' Markdown and HTML
    for cell in json.loads(out.read_text(encoding="utf-8"))["cells"]:
        for o in cell.get("outputs", []):
            for kind in ("text/markdown", "text/html"):
                body = o.get("data", {}).get(kind, "")
                shown.append(body if isinstance(body, str) else "".join(body))
    text = "\n".join(shown)
    comp = cchc.compare_targets(cchc.load_targets(), cchc.load_indicators(), index="pci", period="2021-2022")
    assert "PCI: 1 province set 2 targets" in headline(comp, lang="en")
    first = targets_across_messages(comp, index="pci", lang="en", period="2021-2022", data=cchc.load_indicators())[0]
    assert first.startswith("1 province set 2 PCI targets for 2021–2022: ") and first in text
    assert "Đắk Nông" in text and "755/QĐ-UBND" in text  # Decision 755/QĐ-UBND
    assert "Provinces that set a target" in text and "Số tỉnh" not in text and "Tỉnh" not in text
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(
            str(config.NOTEBOOKS_DIR / "targets_across_provinces.ipynb"), str(tmp_path / "bad.ipynb"),
            execution_timeout=600, kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
            parameters={"period": "2021-2026", "figures_dir": str(tmp_path / "fig2")},
        )
    assert "NotebookParameterError" in str(err.value) and "did you mean '2021-2025'" in str(err.value)


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
        str(nb), str(tmp_path / "en.ipynb"), execution_timeout=600, kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
        parameters={"province": "P01", "lang": "en", "first_year": 2018, "figures_dir": str(tmp_path / "fig")},
    )
    import matplotlib.image

    png = tmp_path / "fig" / "01-profile.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # double-column width at 300 dpi (at single width the index labels were cut off)
    assert abs(matplotlib.image.imread(png).shape[1] - 17 / 2.54 * 300) < 1.5, "double-column width at 300 dpi"
    text = (tmp_path / "en.ipynb").read_text(encoding="utf-8")
    assert "Hà Nội" in text and "Red River Delta" in text  # lang="en" names the region in English
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(
            str(nb), str(tmp_path / "bad.ipynb"), execution_timeout=600, kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
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
        corr = next(t for t in tables if "Hệ số" in t.columns)  # issue 16: human headers, in Vietnamese
        assert len(corr) >= 3 and (corr["Hệ số"] == "Spearman ρ").all()
        small = corr[corr["Số tỉnh"] < MIN_N_INFERENCE]
        assert small["p"].isna().all() and (small["Cách tính p"] == f"không tính: n < {MIN_N_INFERENCE}").all()
        assert corr.loc[corr["Số tỉnh"] >= MIN_N_INFERENCE, "p"].notna().all()
        scatter = next((run / "figures").glob("*-scatter.txt")).read_text(encoding="utf-8")
        assert "Spearman ρ = " in scatter
    profile = _html(out / "province_profile" / "49-quang-nam" / "province_profile.html")
    assert "tổng không trọng số" in profile  # PAPI's total, said in the report's language
    pci = _html(out / "index_trends" / "pci" / "index_trends.html")
    assert "không phải điểm thấp nhất" in pci and "Hà Tây" not in pci
    bump = (out / "index_trends" / "pci" / "figures" / "pci-bump.txt").read_text(encoding="utf-8")
    assert "Hà Tây" not in bump.split("làm nổi bật")[-1]


def test_start_here_runs_and_its_tables_are_static_in_batch(tmp_path):
    """The "Start here" notebook, executed as papermill does: tables fall back to plain HTML."""
    import papermill as pm

    out = tmp_path / "start_here.ipynb"
    pm.execute_notebook(
        str(config.NOTEBOOKS_DIR / "start_here.ipynb"), str(out), execution_timeout=600, kernel_name="python3", progress_bar=False,
        cwd=str(tmp_path), parameters={"lang": "en", "figures_dir": str(tmp_path / "fig")},
    )
    nb = nbformat.read(out, as_version=4)
    html = [o.data["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if o.output_type == "display_data" and "text/html" in o.get("data", {})]
    assert len(html) >= 8 and not any("<script" in h or "itables" in h for h in html)  # static in batch
    text = "\n".join(html)
    assert "PAPI (Provincial Governance and Public Administration Performance Index)" in text  # lang="en"
    assert "69.42" in text  # Quảng Nam, PCI 2019 (compare_province), English decimal point
    import pandas as pd

    assert all(f"<td>{sid}</td>" in text for sid in pd.read_csv(config.DATA_DIR / "sources.csv")["source_id"])
    widgets = [o for c in nb.cells for o in c.get("outputs", [])
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) == 1  # the explorer was built in the kernel
    assert (tmp_path / "fig" / "49-pci-trend.png").is_file()
