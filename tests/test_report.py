"""Batch runner (cchc_analysis.report, cchc report) on the tiny fixture notebook.

The fixture ``tests/fixtures/tiny_report.ipynb`` declares ``province``, ``figures_dir``,
``fail_province`` (raises for that province; Đà Nẵng by default), ``n_points`` and
``sleep_s``; it saves one PNG per run, shows it inline, prints the kernel's interpreter
and a random number, and fails if module state leaked from another run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_analysis import report
from cchc_analysis.cli import report as cli_report
from cchc_analysis.report import ParameterError, plan_batch

FIXTURES = Path(__file__).parent / "fixtures"
NOTEBOOK = FIXTURES / "tiny_report.ipynb"
THREE = ["Hà Nội", "Đà Nẵng", "92"]  # Đà Nẵng (48) fails; 92 is Cần Thơ
DIRS = {"01": "01-ha-noi", "48": "48-da-nang", "92": "92-can-tho"}
ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str) -> int:
    return cli_report.main(["report", str(NOTEBOOK), *args])


def run_info(out: Path, code: str) -> dict:
    return json.loads((out / "tiny_report" / DIRS[code] / "run.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory):
    """One batch of three provinces, one of which fails; its stdout and exit code."""
    import io
    from contextlib import redirect_stdout

    out = tmp_path_factory.mktemp("reports")
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = cli("--province", *THREE, "--out", str(out), "-j", "2", "--no-progress")
    return out, code, buf.getvalue()


# ---------------------------------------------------------------- the batch


@pytest.mark.slow
def test_failure_does_not_stop_others_and_exit_code(batch_out):
    out, code, stdout = batch_out
    assert code == 1
    assert run_info(out, "01")["status"] == "ok"
    assert run_info(out, "92")["status"] == "ok"
    bad = run_info(out, "48")
    assert bad["status"] == "failed"
    assert bad["failed_cell"] == 6  # the cell that raises, counted in the input notebook
    assert bad["error"] == "RuntimeError: no data for Đà Nẵng"


@pytest.mark.slow
def test_summary_names_failure_and_cell(batch_out):
    _, _, stdout = batch_out
    line = next(ln for ln in stdout.splitlines() if "Đà Nẵng" in ln)
    assert "failed" in line and "cell 6" in line and "RuntimeError: no data for Đà Nẵng" in line
    assert re.search(r"01 Hà Nội\s+ok", stdout) and re.search(r"92 Cần Thơ\s+ok", stdout)
    assert "3 runs in" in stdout and "2 ok, 1 failed" in stdout


@pytest.mark.slow
def test_outputs_of_a_run(batch_out):
    out, _, _ = batch_out
    run_dir = out / "tiny_report" / "01-ha-noi"
    assert sorted(p.name for p in run_dir.iterdir()) == ["figures", "run.json", "tiny_report.html", "tiny_report.ipynb"]
    assert (run_dir / "figures" / "trend-01.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    info = run_info(out, "01")
    assert info["outputs"]["thumbnail"] == "figures/trend-01.png"
    assert info["parameters"] == {"province": "Hà Nội"}
    html = (run_dir / "tiny_report.html").read_text(encoding="utf-8")
    assert "Report for Hà Nội (01), 12 points" in html  # outputs are there ...
    assert "resolve_province" not in html and "plt.subplots" not in html  # ... code cells are not
    assert re.search(r'<img [^>]*src="data:image/png;base64,', html)  # self-contained: figure embedded
    nb = json.loads((run_dir / "tiny_report.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # inline matplotlib works
    # parameters as readable text, paths relative to the saved notebook (not the staging folder)
    injected = next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
    assert "".join(injected["source"]) == "# Parameters\nprovince = 'Hà Nội'\nfigures_dir = 'figures'\n"
    text = (run_dir / "tiny_report.ipynb").read_text(encoding="utf-8")
    assert ".partial-" not in text and str(out) not in text and "\\u1ea" not in text
    assert nb["metadata"]["papermill"]["input_path"] == "tiny_report.ipynb"
    assert nb["metadata"]["papermill"]["parameters"]["figures_dir"] == "figures"
    assert info["files"] == ["figures/trend-01.png", "run.json", "tiny_report.html", "tiny_report.ipynb"]
    assert info["notebook"] == "tests/fixtures/tiny_report.ipynb"
    assert not [p for p in (out / "tiny_report").iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_failed_run_keeps_notebook_with_traceback(batch_out):
    out, _, _ = batch_out
    run_dir = out / "tiny_report" / "48-da-nang"
    nb = json.loads((run_dir / "tiny_report.ipynb").read_text(encoding="utf-8"))
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors and errors[0]["evalue"] == "no data for Đà Nẵng"
    assert "no data for" in (run_dir / "tiny_report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_own_interpreter_and_fresh_kernels(batch_out):
    out, _, _ = batch_out
    printed = []
    for code in DIRS:
        nb = json.loads((out / "tiny_report" / DIRS[code] / "tiny_report.ipynb").read_text(encoding="utf-8"))
        text = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
        printed.append(text)
        assert f"executable: {sys.executable}" in text
        assert "state leaked" not in text
    randoms = {re.search(r"random: (\d+)", t).group(1) for t in printed}
    assert len(randoms) == 3  # numpy's global RNG is reseeded in every forked kernel


@pytest.mark.slow
def test_index_lists_every_run_with_status(batch_out):
    out, _, _ = batch_out
    html = (out / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<div class="card status-(\w+)" data-status="\w+" data-dir="([^"]+)"', html)
    assert sorted(cards) == [("failed", "tiny_report/48-da-nang"), ("ok", "tiny_report/01-ha-noi"),
                             ("ok", "tiny_report/92-can-tho")]
    for d in DIRS.values():
        assert f'href="tiny_report/{d}/tiny_report.html"' in html
    assert 'src="tiny_report/01-ha-noi/figures/trend-01.png"' in html
    assert "RuntimeError: no data for Đà Nẵng" in html


@pytest.mark.slow
def test_dry_run_rerun_and_force(batch_out, capsys):
    out, _, _ = batch_out
    before = {c: (out / "tiny_report" / DIRS[c] / "run.json").stat().st_mtime_ns for c in DIRS}

    assert cli("--province", *THREE, "--out", str(out), "--dry-run") == 0
    plan = capsys.readouterr().out
    assert re.search(r"01 Hà Nội\s+skip \(complete\)", plan)
    assert re.search(r"48 Đà Nẵng\s+run\s", plan)
    assert "3 runs, 1 to run, 2 complete" in plan
    assert {c: (out / "tiny_report" / DIRS[c] / "run.json").stat().st_mtime_ns for c in DIRS} == before

    # re-run: completed reports are skipped, the failed one runs again (and fails again)
    assert cli("--province", *THREE, "--out", str(out), "--no-progress") == 1
    summary = capsys.readouterr().out
    assert re.search(r"01 Hà Nội\s+skipped", summary) and re.search(r"48 Đà Nẵng\s+failed", summary)
    after = {c: (out / "tiny_report" / DIRS[c] / "run.json").stat().st_mtime_ns for c in DIRS}
    assert after["01"] == before["01"] and after["92"] == before["92"] and after["48"] != before["48"]

    # --force re-runs everything (Đà Nẵng fails again)
    assert cli("--province", *THREE, "--out", str(out), "--force", "--no-progress") == 1
    summary = capsys.readouterr().out
    assert "2 ok, 1 failed" in summary
    forced = {c: (out / "tiny_report" / DIRS[c] / "run.json").stat().st_mtime_ns for c in DIRS}
    assert all(forced[c] != after[c] for c in DIRS)

    # another value of a parameter is another report, in its own folder: the first ones stay
    assert cli("--province", *THREE, "--out", str(out), "-p", "fail_province", "", "--no-progress") == 0
    assert "3 ok" in capsys.readouterr().out
    for code, name in DIRS.items():
        info = json.loads((out / "tiny_report" / f"{name}__fail_province-none" / "run.json").read_text("utf-8"))
        assert info["status"] == "ok" and info["parameters"]["fail_province"] == ""
        assert (out / "tiny_report" / name / "run.json").stat().st_mtime_ns == forced[code]
    assert run_info(out, "48")["status"] == "failed"
    assert "fail_province=&#39;&#39;" in (out / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- parameters and plan


def test_unknown_parameter_named_before_running(tmp_path, capsys):
    assert cli("--province", "01", "-p", "n_point", "3", "--out", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "unknown parameter 'n_point'" in err and "Did you mean 'n_points'" in err
    assert not any(tmp_path.iterdir())


def test_wrong_type_named_with_expected_type(tmp_path, capsys):
    assert cli("--province", "01", "-p", "n_points", "many", "--out", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "parameter 'n_points' expects int" in err and "'many'" in err
    with pytest.raises(ParameterError, match="'sleep_s' expects float"):
        plan_batch(NOTEBOOK, {"sleep_s": [1, "soon"]}, out=tmp_path)
    with pytest.raises(ParameterError, match="'n_points' expects int"):
        plan_batch(NOTEBOOK, {"n_points": 2.5}, out=tmp_path)


def test_unknown_province(tmp_path, capsys):
    assert cli("--province", "Hanoii", "--out", str(tmp_path)) == 2
    assert "Did you mean: Hà Nội" in capsys.readouterr().err


def test_province_all_and_cartesian_product(tmp_path):
    batch = plan_batch(NOTEBOOK, {"province": "all"}, out=tmp_path)
    assert len(batch.runs) == 63
    assert all(r.out_dir.name.isascii() for r in batch.runs)
    assert batch.runs[0].out_dir == tmp_path.resolve() / "tiny_report" / "01-ha-noi"
    assert any(r.out_dir.name == "79-ho-chi-minh" for r in batch.runs)

    batch = plan_batch(NOTEBOOK, {"province": ["01", "hcmc"], "n_points": ["3", "5"], "sleep_s": 0}, out=tmp_path)
    assert [(r.params["province"], r.params["n_points"]) for r in batch.runs] == [
        ("Hà Nội", 3), ("Hà Nội", 5), ("TP. Hồ Chí Minh", 3), ("TP. Hồ Chí Minh", 5)]
    assert batch.runs[0].params["sleep_s"] == 0.0 and isinstance(batch.runs[0].params["sleep_s"], float)
    assert [r.out_dir.name for r in batch.runs] == [
        "01-ha-noi__n_points-3", "01-ha-noi__n_points-5", "79-ho-chi-minh__n_points-3", "79-ho-chi-minh__n_points-5"]
    with pytest.raises(ParameterError, match="would both write"):
        plan_batch(NOTEBOOK, {"province": "01", "n_points": [3, 5]}, out=tmp_path,
                   template="{notebook_stem}/{province_code}")


def test_no_province_given_runs_the_notebook_default(tmp_path):
    batch = plan_batch(NOTEBOOK, {}, out=tmp_path)
    assert [(r.params, r.out_dir.name, r.label) for r in batch.runs] == [({}, "01-ha-noi", "01 Hà Nội")]


def test_params_yaml_file(tmp_path, capsys):
    params = tmp_path / "batch.yaml"
    params.write_text("province: [Hà Nội, Huế]\nn_points: [4, 6]\nfail_province: ''\n", encoding="utf-8")
    assert cli_report.main(["report", str(NOTEBOOK), "--params", str(params), "--out", str(tmp_path / "o"),
                            "--dry-run"]) == 0
    plan = capsys.readouterr().out
    assert "4 runs, 4 to run" in plan and "46 Thừa Thiên Huế, fail_province='', n_points=6" in plan
    assert "46-thua-thien-hue__fail_province-none__n_points-6" in plan
    # -p overrides a key of the file
    assert cli_report.main(["report", str(NOTEBOOK), "--params", str(params), "-p", "n_points", "7",
                            "--out", str(tmp_path / "o"), "--dry-run"]) == 0
    assert "2 runs, 2 to run" in capsys.readouterr().out


def test_kernel_never_looked_up_by_name():
    km = report.kernels._kernel_manager_class()(kernel_name="no-such-kernel")
    assert km.kernel_spec.argv[:3] == [sys.executable, "-m", "ipykernel_launcher"]


@pytest.mark.slow
def test_kernel_start_is_retried(monkeypatch):
    cfg = report.run._WorkerConfig(str(NOTEBOOK), str(FIXTURES), "figures_dir", "sha", None, 60, 3, False, None)
    worker = report.run._Worker(cfg)
    try:
        if worker.spare is not None:
            worker.release_kernel(worker.spare, now=True)
            worker.spare = None
        real, calls = worker._new_km, []

        def flaky():
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("Address already in use")
            return real()

        monkeypatch.setattr(worker, "_new_km", flaky)
        km, kc, attempt = worker.take_kernel()
        assert attempt == 2
        kc.stop_channels()
        worker.release_kernel(km, now=True)
    finally:
        worker.close()


def test_import_is_cheap():
    code = ("import sys, cchc_analysis.report, cchc_analysis.cli.report; "
            "heavy = [m for m in ('papermill', 'nbconvert', 'jupyter_client', 'pandas', 'matplotlib', 'tqdm') "
            "if m in sys.modules]; print(heavy)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert res.stdout.strip() == "[]"


def test_stale_staging_folders_are_removed(tmp_path):
    batch = plan_batch(NOTEBOOK, {"province": "01"}, out=tmp_path)
    parent = batch.runs[0].out_dir.parent
    parent.mkdir(parents=True)
    dead = parent / ".01-ha-noi.partial-999999999-0"  # no such pid
    dead.mkdir()
    (dead / "tiny_report.html").write_text("half", encoding="utf-8")
    report.run._cleanup_stale(batch)
    assert not dead.exists()


# ---------------------------------------------------------------- timeouts, kernels, kills


@pytest.mark.slow
def test_timeout_and_plain_kernels(tmp_path, capsys):
    code = cli("--province", "01", "92", "-p", "fail_province", "", "--out", str(tmp_path), "--no-prewarm",
               "--timeout", "4", "-p", "sleep_s", "0", "-p", "sleep_s", "30", "-j", "2", "--no-progress")
    assert code == 1
    out = capsys.readouterr().out
    infos = {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in tmp_path.rglob("run.json")}
    f = "__fail_province-none"
    assert {n: i["status"] for n, i in infos.items()} == {
        f"01-ha-noi{f}__sleep_s-0-0": "ok", f"01-ha-noi{f}__sleep_s-30-0": "timeout",
        f"92-can-tho{f}__sleep_s-0-0": "ok", f"92-can-tho{f}__sleep_s-30-0": "timeout"}
    slow = infos[f"01-ha-noi{f}__sleep_s-30-0"]
    assert slow["failed_cell"] == 5 and slow["duration_s"] < 15 and slow["kernel"] == "subprocess"
    assert re.search(r"sleep_s=30.0\s+timeout\s+cell 5", out)


# Kills (SIGKILL, SIGTERM, SIGHUP) mid-batch: tests/hostile/test_hostile_runner.py


@pytest.mark.slow
def test_jupytext_percent_notebook(tmp_path, capsys):
    import jupytext

    py = tmp_path / "tiny_py.py"
    jupytext.write(jupytext.read(NOTEBOOK), py, fmt="py:percent")
    assert set(report.notebook_parameters(py)) == {"province", "figures_dir", "fail_province", "n_points", "sleep_s"}
    assert cli_report.main(["report", str(py), "--province", "Huế", "--out", str(tmp_path / "o"),
                            "--no-progress", "--format", "ipynb"]) == 0
    run_dir = tmp_path / "o" / "tiny_py" / "46-thua-thien-hue"
    import nbformat

    executed = nbformat.read(run_dir / "tiny_py.ipynb", as_version=4)
    assert len(executed.cells) == len(jupytext.read(py).cells) + 1  # papermill's injected-parameters cell
    assert not (run_dir / "tiny_py.html").exists()
    png = (run_dir / "figures" / "trend-46.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000


def test_report_kernels_do_not_inherit_a_jupyter_session(monkeypatch):
    # show_table goes interactive when the Jupyter server started the kernel; report kernels never are
    from cchc_analysis.report.kernels import _kernel_env

    monkeypatch.setenv("JPY_SESSION_NAME", "/home/user/notebooks/start_here.ipynb")
    assert "JPY_SESSION_NAME" not in _kernel_env()
