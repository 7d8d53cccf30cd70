"""Issue 10 (runner items 1, 9-13) and issue 16 item 5: ``cchc report`` used carelessly or
hostilely, and what the user sees.

Every notebook, file and folder here is made by the test.  The table is the index; each test
asserts the message (or the files) itself.

=====  =============================================================  ===============================================
item   case                                                           what the user sees / what happens
=====  =============================================================  ===============================================
10.1   --template . / .. / /abs / a/../b / '{notebook_stem}/..'        exit 2 before anything runs (also --dry-run):
                                                                      "--template '.' gives the folder '.': a report
                                                                      folder must be a relative path inside --out ..."
10.1   --template naming a folder the user made (thesis.docx in it)   exit 2: "... exists and was not created by cchc
                                                                      report (it has no run.json of a run) ..."; the
                                                                      file is untouched
10.1   a report folder the user added a file to, then --force         exit 2: "... holds files its run did not write
                                                                      (notes.txt) ..."; nothing replaced
10.1   a run folder reached through a link leaving --out              exit 2: "... which is not inside --out ..."
10.1   a foreign folder appearing while the batch runs                the run ends "error: ... not replaced: ..."
10.9   SIGKILL of cchc report (the runner only) mid-batch             workers, zygote, kernels exit within seconds; no
                                                                      cchc-zygote-*, cchc-k-*, tmp*.json, .partial-*
                                                                      left; the re-run skips what finished, runs the
                                                                      rest
10.9   SIGKILL of the whole process group                             no process left; the re-run removes leftovers
                                                                      and completes the batch
10.9   SIGTERM / SIGHUP                                               like Ctrl-C: exit 143 / 129, "interrupted
                                                                      (SIGTERM)", index.html of the finished runs
                                                                      only, the run in progress left no trace
10.10  the kernel zygote dies                                         the next runs use ordinary kernels and succeed
10.11  --out is a file / not writable                                 exit 2 before anything runs: "cchc report:
                                                                      error: --out X is a file; give a folder ..."
10.12  two batches on the same --out                                  the second: exit 2, "another batch (pid N,
                                                                      started ...) is writing reports to ..."
10.13  invalid YAML / non-UTF-8 --params file                         exit 2: "--params file F, line 2, column 1:
                                                                      invalid YAML (...)" / "line 2: not UTF-8 ..."
10.13  .py without jupytext header or '# %%' cells                    exit 2: "a text notebook needs its jupytext
                                                                      header ... or '# %%' cell markers ..."
10.13  .ipynb without kernelspec                                      exit 2: "... has no kernelspec ...; run
                                                                      `jupytext --set-kernel python3 X`"
10.13  a notebook without a parameters cell given -p                  exit 2: "... has no cell tagged 'parameters'"
10.13  non-ASCII --out ("Báo cáo")                                    the saved notebook: figures_dir = 'figures', no
                                                                      staging path, no \\x escapes
10.13  unbalanced / unknown --template                                exit 2: "--template '{notebook_stem': expected
                                                                      '}' before end of string; ..."
16.5   --boundaries 2025 --province "Đà Nẵng" (province_profile)      exit 2 (also --dry-run), from the notebook's own
                                                                      check: "... Đà Nẵng (2025) was formed from Đà
                                                                      Nẵng and Quảng Nam ..."
16.5   --boundaries 2025 with a notebook without 'boundaries'         exit 2: "... declares no 'boundaries' parameter"
16.5   --boundaries 2025 with a notebook that has it                  its own folder: 48-da-nang__boundaries-2025
16.5   -p year 2019 then -p year 2023 (one value each)                two folders, none called default/
16.5   --dry-run -p lang fr / -p year 2030 / -p index pcii            exit 2, the notebook's own message, nothing run
16.5   cchc --help, every sub-command                                 plain text, no reStructuredText markup
16.5   cchc province "Hà Tây"                                         "merged into Hà Nội on 1 August 2008 ..."
=====  =============================================================  ===============================================
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from cchc_analysis import report
from cchc_analysis.cli import main as cchc_main
from cchc_analysis.cli import report as cli_report

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "tiny_report.ipynb"
NOTEBOOKS = ROOT / "notebooks"


def cli(notebook: Path, *args: str) -> int:
    return cli_report.main(["report", str(notebook), *args])


def error_of(capsys) -> str:
    return capsys.readouterr().err.strip()


def tiny_with(tmp_path: Path, name: str = "tiny.ipynb", *, params_line: str | None = None, kernelspec: bool = True,
              tag: bool = True) -> Path:
    """The fixture notebook, changed: an extra parameter line, no kernelspec, no parameters tag."""
    nb = nbformat.read(FIXTURE, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    if params_line:
        cell.source += "\n" + params_line
    if not tag:
        cell.metadata["tags"] = []
    if not kernelspec:
        del nb.metadata["kernelspec"]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


# ------------------------------------------------------------------ 10.1 templates and folders


@pytest.mark.parametrize("template, dry_run", [
    (".", True), (".", False), ("..", True), ("..", False), ("/tmp/x", True), ("a/../b", True),
    ("{notebook_stem}/..", True), ("{notebook_stem}/./x", True), (" x", True), ("a//b", True)])
def test_template_must_stay_inside_out(tmp_path, capsys, template, dry_run):
    out = tmp_path / "out"
    (out / "earlier").mkdir(parents=True)
    (out / "earlier" / "run.json").write_text("{}", encoding="utf-8")
    (tmp_path / "thesis.docx").write_bytes(b"PK thesis")
    code = cli(FIXTURE, "--province", "01", "--out", str(out), "--template", template,
               *(["--dry-run"] if dry_run else ["--no-progress"]))
    assert code == 2
    err = error_of(capsys)
    assert err.startswith(f"cchc report: error: --template {template!r} gives the folder ")
    assert "a report folder must be a relative path inside --out" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "thesis.docx"]
    assert sorted(p.name for p in out.iterdir()) == ["earlier"]


@pytest.mark.parametrize("dry_run", [True, False])
def test_template_onto_a_users_folder_is_refused(tmp_path, capsys, dry_run):
    out = tmp_path / "out"
    (out / "thesis").mkdir(parents=True)
    (out / "thesis" / "thesis.docx").write_bytes(b"PK my thesis")
    code = cli(FIXTURE, "--province", "01", "--out", str(out), "--template", "thesis",
               *(["--dry-run"] if dry_run else ["--no-progress"]))
    assert code == 2
    assert error_of(capsys) == (
        f"cchc report: error: run 1 (01 Hà Nội): {(out / 'thesis').resolve()} exists and was not created by cchc "
        "report (it has no run.json of a run); the runner only replaces folders it created; choose another --out "
        "or --template")
    assert (out / "thesis" / "thesis.docx").read_bytes() == b"PK my thesis"
    assert sorted(p.name for p in out.iterdir()) == ["thesis"]


def test_a_default_folder_made_by_the_user_is_refused(tmp_path, capsys):
    mine = tmp_path / "tiny_report" / "01-ha-noi"
    mine.mkdir(parents=True)
    (mine / "run.json").write_text('{"status": "ok"}', encoding="utf-8")  # not one the runner wrote
    assert cli(FIXTURE, "--province", "01", "--out", str(tmp_path), "--dry-run") == 2
    assert "exists and was not created by cchc report" in error_of(capsys)


@pytest.mark.slow
def test_a_report_folder_with_a_users_file_is_not_replaced(tmp_path, capsys):
    assert cli(FIXTURE, "--province", "01", "--out", str(tmp_path), "--no-progress") == 0
    run_dir = tmp_path / "tiny_report" / "01-ha-noi"
    (run_dir / "notes.txt").write_text("my notes", encoding="utf-8")
    capsys.readouterr()
    assert cli(FIXTURE, "--province", "01", "--out", str(tmp_path), "--force", "--no-progress") == 2
    assert error_of(capsys).endswith(
        f"{run_dir.resolve()} holds files its run did not write (notes.txt); the runner replaces a report folder "
        "as a whole, so move them out first; choose another --out or --template")
    assert (run_dir / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert (run_dir / "tiny_report.html").exists()


def test_a_link_leaving_out_is_refused(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "tiny_report").symlink_to(elsewhere)
    assert cli(FIXTURE, "--province", "01", "--out", str(out), "--dry-run") == 2
    assert "which is not inside --out" in error_of(capsys)


def test_commit_refuses_a_folder_that_appeared_meanwhile(tmp_path):
    from cchc_analysis.report.run import _commit_dir

    staging, final = tmp_path / ".x.partial-1-0", tmp_path / "x"
    staging.mkdir()
    final.mkdir()
    (final / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(RuntimeError, match="not replaced: .* was not created by cchc report"):
        _commit_dir(staging, final)
    assert (final / "mine.txt").read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("template, expected", [
    ("{notebook_stem/{province_code}", "--template '{notebook_stem/{province_code}': unexpected '{' in field name; "
                                       "placeholders are written {name} and a literal brace doubled"),
    ("{notebook_stem}/{province_code", "--template '{notebook_stem}/{province_code': expected '}' before end of "
                                       "string; placeholders are written {name}"),
    ("{notebook_stem}}", "--template '{notebook_stem}}': Single '}' encountered in format string"),
    ("{notebok_stem}/{province_code}", "--template '{notebok_stem}/{province_code}' names {notebok_stem}, which is "
                                       "neither a parameter of the notebook nor one of"),
    ("{province_code!r}", "placeholder {province_code!r} is not a plain name"),
])
def test_unbalanced_or_unknown_template_names_the_option(tmp_path, capsys, template, expected):
    assert cli(FIXTURE, "--province", "01", "--out", str(tmp_path), "--template", template, "--dry-run") == 2
    err = error_of(capsys)
    assert err.startswith("cchc report: error: ") and expected in err
    if "notebok" in template:
        assert "Did you mean {notebook_stem}?" in err


def test_template_placeholders_params_and_nesting(tmp_path, capsys):
    batch = report.plan_batch(FIXTURE, {"province": "01", "n_points": [3, 5]}, out=tmp_path,
                              template="by-params/{params}/{province_slug}")
    assert [r.out_dir.relative_to(tmp_path.resolve()).as_posix() for r in batch.runs] == [
        "by-params/n_points-3/ha-noi", "by-params/n_points-5/ha-noi"]
    # a run folder inside another run's report folder is refused (that one could never be replaced again)
    earlier = tmp_path / "a"
    earlier.mkdir()
    (earlier / "run.json").write_text(json.dumps({"status": "ok", "notebook_sha256": "x", "outputs": {}}), "utf-8")
    with pytest.raises(report.ParameterError, match=r"would be inside the report folder .*/a of another run"):
        report.plan_batch(FIXTURE, {"province": "01"}, out=tmp_path, template="a/{province_code}")


# ------------------------------------------------------------------ 10.9 kills


def _marked(mark: str) -> list[int]:
    """Processes whose environment carries ``CCHC_TEST_MARK=mark`` (the batch and all it started)."""
    want = f"CCHC_TEST_MARK={mark}".encode()
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                env = (d / "environ").read_bytes()
            except OSError:
                continue
            if want in env.split(b"\0"):
                pids.append(int(d.name))
    return pids


def _leftovers(tmp: Path, out: Path) -> list[str]:
    found = [p.name for p in (tmp / "tmp").iterdir()] + [p.name for p in (tmp / "runtime").iterdir()]
    found += [p.name for p in out.rglob(".*") if ".partial-" in p.name or ".trash-" in p.name]
    return found


def _start_batch(tmp_path: Path, mark: str):
    out = tmp_path / "out"
    for d in ("tmp", "runtime"):
        (tmp_path / d).mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CCHC_TEST_MARK": mark, "TMPDIR": str(tmp_path / "tmp"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    args = [sys.executable, "-m", "cchc_analysis.cli.report", str(FIXTURE), "--province", "01", "02", "04", "06",
            "-p", "sleep_s", "1.5", "-j", "2", "--out", str(out), "--no-progress"]
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, text=True)
    deadline = time.monotonic() + 90
    while not list(out.rglob("run.json")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.5)  # the next runs are half-way through
    assert proc.poll() is None, "the batch ended before it could be killed"
    return proc, args, env, out


def _wait_clean(mark: str, tmp: Path, out: Path, seconds: float = 15) -> tuple[list[int], list[str]]:
    deadline = time.monotonic() + seconds
    while True:
        alive, left = _marked(mark), _leftovers(tmp, out)
        if (not alive and not left) or time.monotonic() > deadline:
            return alive, left
        time.sleep(0.2)


def _finished(out: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in (out / "tiny_report").glob("*/run.json")}


def _rerun_completes(args, env, out, done: set[str]) -> None:
    res = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stdout + res.stderr
    assert len(re.findall(r"^\d+ .*\sskipped\s", res.stdout, flags=re.M)) == len(done)
    infos = _finished(out)
    assert len(infos) == 4 and {i["status"] for i in infos.values()} == {"ok"}
    assert not [p for p in (out / "tiny_report").iterdir() if p.name.startswith(".")]


pytestmark_linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.mark.slow
@pytestmark_linux
def test_sigkill_of_the_runner_leaves_no_process_and_no_temp_file(tmp_path):
    mark = uuid.uuid4().hex
    proc, args, env, out = _start_batch(tmp_path, mark)
    proc.kill()  # SIGKILL, the runner only: its workers, zygote and kernels must follow
    proc.communicate()
    alive, left = _wait_clean(mark, tmp_path, out)
    assert alive == [] and left == []
    done = set(_finished(out))
    assert done and all(i["status"] == "ok" for i in _finished(out).values())
    _rerun_completes(args, env, out, done)


@pytest.mark.slow
@pytestmark_linux
def test_sigkill_of_the_process_group_then_the_rerun_cleans_up(tmp_path):
    mark = uuid.uuid4().hex
    proc, args, env, out = _start_batch(tmp_path, mark)
    os.killpg(proc.pid, signal.SIGKILL)  # nothing of the runner can clean up; kernels are in other sessions
    proc.communicate()
    alive, _ = _wait_clean(mark, tmp_path, out, seconds=10)
    assert alive == []
    done = set(_finished(out))
    assert all(i["status"] == "ok" for i in _finished(out).values())
    _rerun_completes(args, env, out, done)
    assert _leftovers(tmp_path, out) == []


@pytest.mark.slow
@pytestmark_linux
@pytest.mark.parametrize("sig, group", [(signal.SIGTERM, False), (signal.SIGTERM, True), (signal.SIGHUP, True)])
def test_sigterm_and_sighup_behave_like_ctrl_c(tmp_path, sig, group):
    mark = uuid.uuid4().hex
    proc, args, env, out = _start_batch(tmp_path, mark)
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig
    name = signal.Signals(sig).name
    assert f"cchc report: interrupted ({name}); finished reports are kept" in stderr
    alive, left = _wait_clean(mark, tmp_path, out)
    assert alive == [] and left == []
    infos = _finished(out)
    assert infos and {i["status"] for i in infos.values()} == {"ok"}  # the interrupted run left no "failed"
    index = (out / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<div class="card status-(\w+)" data-status="\w+" data-dir="([^"]+)"', index)
    assert sorted(cards) == sorted(("ok", f"tiny_report/{d}") for d in infos)  # no run that never ran
    _rerun_completes(args, env, out, set(infos))


# ------------------------------------------------------------------ 10.10 the zygote dies


@pytest.mark.slow
def test_runs_fall_back_to_plain_kernels_when_the_zygote_dies(tmp_path):
    from cchc_analysis.report.run import _Worker, _WorkerConfig

    batch = report.plan_batch(FIXTURE, {"province": ["01", "92"]}, out=tmp_path)
    zygote = report.KernelZygote(FIXTURE.parent)
    try:
        zygote.wait_ready()
        cfg = _WorkerConfig(str(FIXTURE), str(FIXTURE.parent), "figures_dir", batch.notebook_sha256, 60, 60, 3,
                            False, zygote.socket_path)
        worker = _Worker(cfg)
        try:
            first = worker.execute(batch.runs[0])
            assert first.status == "ok" and worker.kernel_mode == "fork"
            zygote.proc.kill()  # the zygote dies (and the spare kernel it forked with it)
            zygote.proc.wait()
            second = worker.execute(batch.runs[1], more=False)
        finally:
            worker.close()
    finally:
        zygote.close()
    assert second.status == "ok", second.error
    assert worker.kernel_mode == "subprocess"
    assert json.loads((batch.runs[1].out_dir / "run.json").read_text("utf-8"))["kernel"] == "subprocess"


# ------------------------------------------------------------------ 10.11 --out


@pytest.mark.parametrize("dry_run", [True, False])
def test_out_is_a_file(tmp_path, capsys, dry_run):
    target = tmp_path / "reports.txt"
    target.write_text("not a folder", encoding="utf-8")
    assert cli(FIXTURE, "--province", "01", "--out", str(target), *(["--dry-run"] if dry_run else [])) == 2
    assert error_of(capsys) == f"cchc report: error: --out {target} is a file; give a folder for the reports"
    assert cli(FIXTURE, "--province", "01", "--out", str(target / "sub"), "--dry-run") == 2
    assert error_of(capsys) == (f"cchc report: error: --out {target / 'sub'} lies under {target}, which is a file; "
                                "give a folder for the reports")
    assert target.read_text(encoding="utf-8") == "not a folder"


def test_out_not_writable(tmp_path, capsys, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.geteuid() == 0:  # root writes anyway: make the permission check see what a user would
            real = os.access
            monkeypatch.setattr(os, "access", lambda p, m, **kw: False if Path(p) == locked else real(p, m, **kw))
        assert cli(FIXTURE, "--province", "01", "--out", str(locked / "reports")) == 2
        assert error_of(capsys) == (f"cchc report: error: --out {locked / 'reports'} cannot be created: {locked} is "
                                    "not writable; give a folder you can write to")
        assert cli(FIXTURE, "--province", "01", "--out", str(locked), "--dry-run") == 2
        assert error_of(capsys) == (f"cchc report: error: --out {locked} is not writable; give a folder you can "
                                    "write to")
    finally:
        locked.chmod(0o755)
    assert list(locked.iterdir()) == []


# ------------------------------------------------------------------ 10.12 two batches, one --out


def test_a_second_batch_on_the_same_out_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    code = ("import sys, time; from cchc_analysis.report import batch_lock\n"
            "with batch_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(60)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout.readline().strip() == "held"
        assert cli(FIXTURE, "--province", "01", "--out", str(out), "--no-progress", "--no-prewarm") == 2
        err = error_of(capsys)
        assert re.fullmatch(
            rf"cchc report: error: another batch \(pid {holder.pid}, started [0-9T:+-]+\) is writing reports to "
            rf"{re.escape(str(out.resolve()))}; wait until it finishes, or give another --out \(lock file: "
            rf"{re.escape(str(out.resolve() / '.cchc-report.lock'))}\)", err), err
        assert not (out / "tiny_report").exists()
        assert cli(FIXTURE, "--province", "01", "--out", str(out), "--dry-run") == 0  # a plan needs no lock
    finally:
        holder.kill()
        holder.wait()
    with report.batch_lock(out):  # released with the process that held it
        with report.batch_lock(out):  # re-entrant in one process (cchc main holds it around its batches)
            pass


# ------------------------------------------------------------------ 10.13 clear messages


def test_invalid_yaml_params_file(tmp_path, capsys):
    bad = tmp_path / "batch.yaml"
    bad.write_text("province: [Hà Nội, Huế\nn_points: 3\n", encoding="utf-8")
    assert cli(FIXTURE, "--params", str(bad), "--out", str(tmp_path), "--dry-run") == 2
    assert error_of(capsys) == (
        f"cchc report: error: --params file {bad}, line 2, column 9: invalid YAML (expected ',' or ']', but got "
        "':'); write one 'name: value' or 'name: [value, value]' per line")
    bad.write_text("- province\n- n_points\n", encoding="utf-8")
    assert cli(FIXTURE, "--params", str(bad), "--out", str(tmp_path), "--dry-run") == 2
    assert error_of(capsys) == (f"cchc report: error: --params file {bad}: must be a mapping of name: value "
                                "(one per line), got a list")


def test_non_utf8_params_file(tmp_path, capsys):
    bad = tmp_path / "batch.yaml"
    bad.write_bytes("n_points: 3\nprovince: Hà Nam\n".encode("latin-1"))  # a legacy 8-bit file
    assert cli(FIXTURE, "--params", str(bad), "--out", str(tmp_path), "--dry-run") == 2
    assert error_of(capsys) == (
        f"cchc report: error: --params file {bad}, line 2: not UTF-8 (byte 0xe0 at offset 23); save the file as "
        "UTF-8 (most editors: Save with encoding > UTF-8)")
    assert cli(FIXTURE, "--params", str(tmp_path / "none.yaml"), "--out", str(tmp_path), "--dry-run") == 2
    assert "cchc report: error: --params file" in error_of(capsys)


def test_text_notebook_without_header_or_cells(tmp_path, capsys):
    script = tmp_path / "script.py"
    script.write_text("province: str = 'Hà Nội'  # a province\nprint(province)\n", encoding="utf-8")
    assert cli(script, "--province", "01", "--out", str(tmp_path), "--dry-run") == 2
    assert error_of(capsys) == (
        f"cchc report: error: notebook {script}: a text notebook needs its jupytext header (the '# ---' / "
        "'# jupyter:' block at the top) or '# %%' cell markers, with the parameters cell marked "
        "'# %% tags=[\"parameters\"]'; pair it with `jupytext --set-formats ipynb,py:percent script.py`, or give "
        "the .ipynb")
    # '# %%' cells without a header: read as py:percent, but it says which kernel is missing
    script.write_text("# %% tags=[\"parameters\"]\nprovince: str = 'Hà Nội'  # a province\n\n# %%\nprint(1)\n",
                      encoding="utf-8")
    assert cli(script, "--province", "01", "--out", str(tmp_path), "--dry-run") == 2
    assert error_of(capsys) == (
        f"cchc report: error: notebook {script} has no kernelspec in its metadata (the runner needs to know it is "
        "a Python notebook); run `jupytext --set-kernel python3 script.py` (or open and save it in Jupyter with a "
        "Python kernel)")


def test_notebook_without_kernelspec_or_parameters_cell(tmp_path, capsys):
    nb = tiny_with(tmp_path, "nokernel.ipynb", kernelspec=False)
    assert cli(nb, "--province", "01", "--out", str(tmp_path), "--dry-run") == 2
    assert "nokernel.ipynb has no kernelspec in its metadata" in error_of(capsys)
    nb = tiny_with(tmp_path, "untagged.ipynb", tag=False)
    assert cli(nb, "-p", "n_points", "3", "--out", str(tmp_path), "--dry-run") == 2
    assert error_of(capsys) == (
        "cchc report: error: unknown parameter 'n_points': untagged.ipynb has no cell tagged 'parameters' (in "
        "Jupyter: select the cell, Property Inspector > Cell Tags > add 'parameters'; in a jupytext .py: "
        "'# %% tags=[\"parameters\"]')")
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    assert cli(broken, "--out", str(tmp_path), "--dry-run") == 2
    assert error_of(capsys).startswith(f"cchc report: error: notebook {broken}: not a readable .ipynb file (")


@pytest.mark.slow
def test_non_ascii_out_keeps_no_staging_path(tmp_path):
    out = tmp_path / "Báo cáo tỉnh"
    assert cli(FIXTURE, "--province", "Hà Tĩnh", "--out", str(out), "--no-progress", "--format", "ipynb") == 0
    text = (out / "tiny_report" / "42-ha-tinh" / "tiny_report.ipynb").read_text(encoding="utf-8")
    assert "province = 'Hà Tĩnh'\\n" in text and "figures_dir = 'figures'\\n" in text
    assert ".partial-" not in text and "B\\\\xe1o" not in text and "\\\\u" not in text and str(out) not in text


# ------------------------------------------------------------------ 16.5 boundaries, folders, values


def held_2025() -> str:
    """What the bundled data hold for the 2025 units, as the message words it (e.g. "DTI 2024")."""
    import cchc_analysis as cchc
    from cchc_analysis.notebook import _index_name, _years_text

    own = cchc.load_indicators(boundaries="2025")
    return ", ".join(f"{_index_name(i)} {_years_text(g['year'])}" for i, g in own.groupby("index", sort=True))



@pytest.mark.parametrize("dry_run", [True, False])
def test_profile_refuses_2025_boundaries_with_the_members_to_run(tmp_path, capsys, dry_run):
    code = cli(NOTEBOOKS / "province_profile.ipynb", "--boundaries", "2025", "--province", "Đà Nẵng",
               "--out", str(tmp_path), *(["--dry-run"] if dry_run else ["--no-progress"]))
    assert code == 2
    assert error_of(capsys) == (
        "cchc report: error: run 1 (48 Đà Nẵng, boundaries=2025): parameter 'boundaries': this notebook renders "
        "the legacy province set only, not boundaries '2025' (the bundled data hold "
        f"{held_2025()} for the 34 units of 1 "
        "July 2025; every other series is published for the 63 legacy provinces). Đà Nẵng (2025) was formed from "
        "Đà Nẵng and Quảng Nam: report on each of them with boundaries \"legacy\", e.g. cchc report NOTEBOOK "
        "--province \"Đà Nẵng\" \"Quảng Nam\" [checked by province_profile.ipynb's first cell, nb.parameters]")
    assert list(tmp_path.iterdir()) == []


def test_2025_needs_a_boundaries_parameter(tmp_path, capsys):
    assert cli(FIXTURE, "--boundaries", "2025", "--province", "Đà Nẵng", "--out", str(tmp_path), "--dry-run") == 2
    assert error_of(capsys) == (
        "cchc report: error: tiny_report.ipynb declares no 'boundaries' parameter, so it can only render legacy "
        "provinces (a 2025 name would resolve to the legacy unit of that name); run it without --boundaries 2025, "
        "or add `boundaries: str = \"legacy\"` to its parameters cell and handle '2025' there")


def test_boundaries_are_part_of_the_run_and_its_folder(tmp_path):
    nb = tiny_with(tmp_path, params_line='boundaries: str = "legacy"  # province set')
    legacy = report.plan_batch(nb, {"province": "Đà Nẵng"}, out=tmp_path / "o")
    merged = report.plan_batch(nb, {"province": "Đà Nẵng"}, out=tmp_path / "o", boundaries="2025")
    assert legacy.runs[0].out_dir.name == "48-da-nang" and legacy.runs[0].params == {"province": "Đà Nẵng"}
    assert merged.runs[0].out_dir.name == "48-da-nang__boundaries-2025"
    assert merged.runs[0].params == {"province": "Đà Nẵng", "boundaries": "2025"}
    assert merged.runs[0].label == "48 Đà Nẵng, boundaries=2025"
    huế = report.plan_batch(nb, {"province": "Huế"}, out=tmp_path / "o", boundaries="2025").runs[0]
    assert (huế.params["province"], huế.out_dir.name) == ("Huế", "46-hue__boundaries-2025")
    with pytest.raises(report.ParameterError, match="--boundaries 2025 and -p boundaries legacy disagree"):
        report.plan_batch(nb, {"province": "Huế", "boundaries": "legacy"}, out=tmp_path / "o", boundaries="2025")


def test_one_value_runs_never_share_a_folder(tmp_path):
    cross = NOTEBOOKS / "cross_province.ipynb"
    dirs = [report.plan_batch(cross, p, out=tmp_path).runs[0].out_dir.relative_to(tmp_path.resolve()).as_posix()
            for p in ({}, {"year": 2019}, {"year": 2018}, {"year": 2023, "x_index": "dti"}, {"lang": "en"})]
    assert dirs == ["cross_province/default", "cross_province/default", "cross_province/year-2018",
                    "cross_province/year-2023__x_index-dti", "cross_province/lang-en"]
    tiny = [report.plan_batch(FIXTURE, {"province": "01", "n_points": n}, out=tmp_path).runs[0].out_dir.name
            for n in (12, 3, 5)]
    assert tiny == ["01-ha-noi", "01-ha-noi__n_points-3", "01-ha-noi__n_points-5"]  # 12 is the default


@pytest.mark.parametrize("notebook, args, expected", [
    ("province_profile", ["--province", "49", "-p", "lang", "fr"],
     "run 1 (49 Quảng Nam, lang=fr): parameter 'lang': must be 'vi' or 'en', got 'fr'; every word of the report "
     "follows it"),
    ("cross_province", ["-p", "year", "2030"],
     "run 1 (year=2030): parameter 'year': no PCI figures for 2030 in the bundled data; years with figures: "
     "{pci_years}"),
    ("index_trends", ["-p", "index", "pcii"],
     "run 1 (index=pcii): parameter 'index': unknown index 'pcii' (use one of par, sipas, papi, pci, dti); did you "
     "mean 'pci'?"),
    ("index_trends", ["-p", "component", "xyz"],
     "run 1 (component=xyz): parameter 'component': unknown component of PCI 'xyz' (see cchc.load_components())"),
    ("index_trends", ["-p", "first_year", "2019", "-p", "last_year", "2010"],
     "run 1 (first_year=2019, last_year=2010): parameters 'first_year' (2019) and 'last_year' (2010): the first "
     "year is after the last"),
    ("target_gaps", ["--province", "49", "-p", "document", "quangnam-2023-qd353"],
     "parameter 'document': unknown document 'quangnam-2023-qd353'; did you mean 'quangnam-2023-qd3532'"),
    ("cross_province", ["-p", "highlight", "[Quảng Nam, Quang Nham]"],
     "parameter 'highlight[1]': Unknown province 'Quang Nham'"),
    ("province_profile", ["--province", "49", "-p", "formats", "[svg, jpg]"],
     "parameter 'formats': unknown figure format(s) ['jpg']; choose from ['png', 'svg', 'pdf']"),
])
def test_dry_run_checks_values_with_the_notebooks_own_check(tmp_path, capsys, notebook, args, expected):
    from cchc_analysis.notebook import _indicator_years, _years_text

    expected = expected.replace("{pci_years}", _years_text(_indicator_years("pci")))
    assert cli(NOTEBOOKS / f"{notebook}.ipynb", *args, "--out", str(tmp_path), "--dry-run") == 2
    err = error_of(capsys)
    assert err.startswith("cchc report: error: ") and expected in err
    assert err.endswith(f"[checked by {notebook}.ipynb's first cell, nb.parameters]")
    assert not tmp_path.joinpath(notebook).exists()


def test_dry_run_accepts_good_values(tmp_path, capsys):
    assert cli(NOTEBOOKS / "province_profile.ipynb", "--province", "all", "-p", "lang", "en", "--out", str(tmp_path),
               "--dry-run") == 0
    assert "63 runs, 63 to run" in capsys.readouterr().out


def test_the_notebooks_call_the_one_check():
    from cchc_analysis.report.plan import _load_notebook, _notebook_check

    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = _load_notebook(path)
        params = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
        first = next(c for c in nb.cells[params + 1:] if c.cell_type == "code")
        if path.stem in ("province_profile", "index_trends", "target_gaps", "cross_province"):
            assert "p = nb.parameters(globals())" in first.source, path.name
            assert _notebook_check(nb) == {}, path.name
            assert 'boundaries: str = "legacy"' in nb.cells[params].source, path.name


def test_help_is_plain_text():
    from cchc_analysis.cli import build_parser

    parser = build_parser()
    texts = [parser.format_help()]
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        texts.append(p.format_help())
        for a in p._actions:
            if a.__class__.__name__ == "_SubParsersAction":
                texts += [q.format_help() for q in a.choices.values()]
    assert len(texts) >= 8
    for text in texts:
        assert not re.search(r"``|:(?:mod|func|class|meth|data):|`[^`]+`", text), text


def test_ha_tay_history(capsys):
    assert cchc_main(["province", "Hà Tây"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "  no PAPI code; merged into Hà Nội on 1 August 2008 (last day as a province: 31 July 2008)")
    assert cchc_main(["province", "Quảng Nam"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "  PAPI code: P33; since 1 July 2025 part of Đà Nẵng, formed from Đà Nẵng and Quảng Nam")
    assert cchc_main(["province", "Lai Châu"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "  PAPI code: P08; since 1 July 2025 unchanged, one of the 34 units"
