"""Run a planned batch: worker processes, one fresh kernel per run, atomic run folders, results."""

from __future__ import annotations

import copy
import datetime as _dt
import json
import os
import re
import shutil
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .kernels import (
    KERNEL_PREFIX,
    KernelZygote,
    ZygoteError,
    _kernel_env,
    _kernel_manager_class,
    _wait_ready,
    _ZygoteClient,
    cleanup_temp_files,
    die_with_parent,
)
from .plan import (
    DEFAULT_WARM_IMPORTS,
    FIGURES_DIRNAME,
    RUN_FILE,
    STATUS_OK,
    _PARTIAL,
    _TRASH,
    Batch,
    Run,
    _atomic_write_text,
    _json_safe,
    _load_notebook,
    _table,
    replace_refusal,
)
from .publish import _html_exporter, _index_href, write_index, write_report_files

# --------------------------------------------------------------------------- results


@dataclass
class RunResult:
    """What happened to one run.

    status : "ok", "failed" (a cell raised), "timeout", "error" (kernel or runner
        trouble) or "skipped" (already complete).
    failed_cell : index of the failing cell in the *input* notebook, when known.
    """

    run: Run
    status: str
    duration: float = 0.0
    failed_cell: int | None = None
    execution_count: int | None = None
    error: str = ""
    attempts: int = 0
    outputs: dict = field(default_factory=dict)
    ran: bool = True  # False: never started (all workers crashed before it)

    @property
    def ok(self) -> bool:
        return self.status in (STATUS_OK, "skipped")

    def cell_text(self) -> str:
        if self.failed_cell is None:
            return ""
        return f"cell {self.failed_cell}" + (f" (In [{self.execution_count}])" if self.execution_count else "")


@dataclass
class BatchResult:
    batch: Batch
    results: list[RunResult]
    duration: float
    index: Path | None = None

    @property
    def failed(self) -> list[RunResult]:
        return [r for r in self.results if not r.ok]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def format_summary(result: BatchResult) -> str:
    """Status, failing cell and duration of every run, then totals."""
    rows = [("#", "run", "status", "cell", "time", "error")]
    for r in sorted(result.results, key=lambda r: r.run.index):
        err = r.error.splitlines()[0] if r.error else ""
        rows.append((str(r.run.index + 1), r.run.label, r.status, r.cell_text(),
                     f"{r.duration:.1f}s" if r.status != "skipped" else "-", err[:100]))
    counts: dict[str, int] = {}
    for r in result.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    tail = ", ".join(f"{n} {s}" for s, n in counts.items())
    text = _table(rows) + f"\n{len(result.results)} runs in {result.duration:.1f}s: {tail}"
    if result.index:
        text += f"\nindex: {result.index}"
    return text


# --------------------------------------------------------------------------- lock

LOCK_FILE = ".cchc-report.lock"
_LOCKS: dict[Path, list] = {}  # out folder -> [open file, depth]: re-entrant within a process


class BatchLockedError(RuntimeError):
    """Another ``cchc report`` (or ``cchc main``) is writing to the same output folder."""


class batch_lock:
    """Hold ``{out}/.cchc-report.lock`` (an exclusive ``fcntl.flock``) while a batch writes.

    A second batch on the same ``out`` is refused at once with :class:`BatchLockedError`
    naming the process that holds it (``wait=True``: it waits instead).  The lock goes with
    the process that holds it, also when it is killed; the empty file stays.  Re-entrant in
    one process (``cchc main`` holds it around its batches).
    """

    def __init__(self, out: str | os.PathLike, *, wait: bool = False):
        self.out = Path(out).resolve()
        self.wait = wait

    def __enter__(self) -> "batch_lock":
        held = _LOCKS.get(self.out)
        if held is not None:
            held[1] += 1
            return self
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / LOCK_FILE
        fh = open(path, "a+", encoding="utf-8")
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock
            fcntl = None
        if fcntl is not None:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read().strip() or "another process"
                fh.close()
                raise BatchLockedError(
                    f"another batch ({holder}) is writing reports to {self.out}; wait until it finishes, or give "
                    f"another --out (lock file: {path})"
                ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, started {_dt.datetime.now().astimezone().isoformat(timespec='seconds')}\n")
        fh.flush()
        _LOCKS[self.out] = [fh, 1]
        return self

    def __exit__(self, *exc) -> None:
        held = _LOCKS.get(self.out)
        if held is None:
            return
        held[1] -= 1
        if held[1] == 0:
            del _LOCKS[self.out]
            held[0].close()  # closing releases the flock


# --------------------------------------------------------------------------- worker


@dataclass
class _WorkerConfig:
    notebook: str
    cwd: str
    figures_param: str | None
    notebook_sha256: str
    timeout: float | None
    start_timeout: float
    retries: int
    html: bool
    zygote_socket: str | None
    inherited_fds: tuple[int, ...] = ()
    parent_pid: int = 0
    out: str = ""  # the batch's output root (for the reports' link back to index.html)
    documents: tuple[str, ...] = ()  # "docx", "pdf": also written from the executed notebook


def _readable_translator():
    """papermill's Python translator, writing strings as readable literals.

    papermill writes ``"Qu\\u1ea3ng Nam"``; ``repr`` gives ``'Quảng Nam'``, still valid Python.
    """
    from papermill.translators import PythonTranslator

    class ReadableTranslator(PythonTranslator):
        @classmethod
        def translate_escaped_str(cls, str_val):
            return repr(str_val) if isinstance(str_val, str) else super().translate_escaped_str(str_val)

    return ReadableTranslator


class _Worker:
    """State a worker process keeps between runs: notebook, exporter, zygote, spare kernel."""

    def __init__(self, cfg: _WorkerConfig):
        self.cfg = cfg
        self.env = _kernel_env()
        for fd in cfg.inherited_fds:  # the zygote's stdin: only the parent may hold it open
            try:
                os.close(fd)
            except OSError:
                pass
        self.zygote = None
        if cfg.zygote_socket:
            try:
                self.zygote = _ZygoteClient(cfg.zygote_socket)
            except OSError:
                self.zygote = None
        import papermill  # noqa: F401
        from papermill.engines import NBClientEngine, papermill_engines

        class _Engine(NBClientEngine):
            """papermill's nbclient engine, handed a kernel client that is already connected."""

            @classmethod
            def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                         stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
                from papermill.clientwrap import PapermillNotebookClient
                from papermill.log import logger
                from papermill.utils import merge_kwargs, remove_args

                holder = kwargs.pop("cchc_holder")
                holder["nb_man"] = nb_man
                kc = kwargs.pop("cchc_kc", None)
                kwargs = remove_args(["input_path"], **kwargs)
                safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
                final_kwargs = merge_kwargs(
                    safe_kwargs, timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                    startup_timeout=start_timeout, kernel_name=kernel_name, log=logger, log_output=log_output,
                    stdout_file=stdout_file, stderr_file=stderr_file,
                )
                client = PapermillNotebookClient(nb_man, **final_kwargs)
                client.kc = kc  # skips nbclient's second wait_for_ready (0.2 s of IOPub polling)
                return client.execute()

        papermill_engines.register("cchc", _Engine)
        from papermill.translators import papermill_translators

        translator = _readable_translator()
        papermill_translators.register("python3", translator)  # found by kernel name first ...
        papermill_translators.register("python", translator)  # ... then by language
        self.nb = _load_notebook(Path(cfg.notebook))
        self.km_class = _kernel_manager_class()
        self.spare = None
        self.dying: list = []
        self.busy = False  # executing a run
        self.stopping = False  # asked to stop (SIGTERM from the runner, or the runner died)
        self.current = None  # the kernel manager of the run in progress
        if cfg.html:
            self.exporter  # noqa: B018  (inherited from the parent when forked)
        self.kernel_mode = "fork" if self.zygote else "subprocess"
        self.n_kernels = 0
        self.start_spare()

    @property
    def exporter(self):
        return _html_exporter()

    # kernels ---------------------------------------------------------------
    def _new_km(self):
        from jupyter_core.utils import run_sync

        import tempfile

        km = self.km_class(kernel_name="python3", transport="ipc" if os.name == "posix" else "tcp")
        # every file of the kernel carries this worker's pid: cleanup_temp_files removes them if it is killed
        self.n_kernels += 1
        base = os.path.join(tempfile.gettempdir(), f"{KERNEL_PREFIX}{os.getpid()}-{self.n_kernels}")
        km.connection_file = base + ".json"
        if km.transport == "ipc":
            km.ip = base
        km.zygote = self.zygote
        km.shutdown_wait_time = 2.0
        # as nbclient does when it starts a kernel: no shared IPython history database
        run_sync(km.start_kernel)(cwd=self.cfg.cwd, env=self.env,
                                  extra_arguments=["--HistoryManager.hist_file=:memory:"])
        return km

    def start_spare(self) -> None:
        if self.spare is None:
            try:
                self.spare = self._new_km()
            except Exception:
                self.spare = None  # started again (with retries) when a run needs it

    def take_kernel(self):
        """A started kernel and a connected client, trying ``retries`` times."""
        from jupyter_core.utils import run_sync

        last: BaseException | None = None
        for attempt in range(1, self.cfg.retries + 1):
            km, self.spare = self.spare, None
            kc = None
            try:
                if km is None:
                    km = self._new_km()
                kc = km.client()
                kc.start_channels()
                run_sync(_wait_ready)(km, kc, self.cfg.start_timeout)
                kc.allow_stdin = False
                return km, kc, attempt
            except Exception as exc:  # port/ipc races, slow start-up: try a new kernel
                last = exc
                if kc is not None:
                    kc.stop_channels()
                if km is not None:
                    self.release_kernel(km, now=True)
                if isinstance(exc, ZygoteError) or (self.zygote is not None and "zygote" in str(exc)):
                    self.use_plain_kernels()
                    continue  # at once: a plain kernel is not the zygote's problem
                time.sleep(0.2 * attempt)
        raise RuntimeError(f"kernel did not start after {self.cfg.retries} attempts: {last!r}")

    def use_plain_kernels(self) -> None:
        """The zygote is gone: ordinary ``python -m ipykernel_launcher`` kernels from now on."""
        if self.zygote is not None:
            self.zygote.close()
        self.zygote = None
        self.kernel_mode = "subprocess"
        if self.spare is not None and getattr(self.spare, "zygote", None) is not None:
            self.release_kernel(self.spare, now=True)  # forked by the dead zygote: dead too
            self.spare = None

    def release_kernel(self, km, now: bool = False) -> None:
        from jupyter_core.utils import run_sync

        try:
            run_sync(km.shutdown_kernel)(now=now)
        except Exception:
            try:
                run_sync(km.cleanup_resources)()
            except Exception:
                pass

    def retire_kernel(self, km, kc) -> None:
        """Ask a finished kernel to shut down; :meth:`reap` collects it later (no waiting now)."""
        from jupyter_core.utils import run_sync

        try:
            kc.stop_channels()
            run_sync(km.request_shutdown)()
            self.dying.append((time.monotonic(), km))
        except Exception:
            self.release_kernel(km, now=True)

    def reap(self, block: bool = False) -> None:
        from jupyter_core.utils import run_sync

        keep = []
        for since, km in self.dying:
            try:
                alive = run_sync(km.is_alive)()
            except Exception:
                alive = False
            if alive and not block and time.monotonic() - since < km.shutdown_wait_time:
                keep.append((since, km))
                continue
            if alive:
                self.release_kernel(km, now=True)
            else:
                try:
                    run_sync(km.cleanup_resources)()
                except Exception:
                    pass
        self.dying = keep

    def close(self) -> None:
        if self.spare is not None:
            self.release_kernel(self.spare, now=True)
            self.spare = None
        self.reap(block=True)
        if self.zygote is not None:
            self.zygote.close()

    # one run ----------------------------------------------------------------
    def stop(self) -> None:
        """Stop soon, leaving nothing behind: the run in progress is discarded.

        Called from the SIGTERM handler while a run executes.  Raising there would tear
        through the asyncio loop that manages the kernels, so the kernel is killed instead:
        nbclient notices within a second, the run ends, its staging folder is removed and
        every kernel is shut down the ordinary way.
        """
        self.stopping = True
        km = self.current
        pid = getattr(getattr(getattr(km, "provisioner", None), "process", None), "pid", None)
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def execute(self, run: Run, more: bool = True) -> RunResult:
        self.busy = True
        try:
            return self._execute_run(run, more)
        finally:
            self.busy = False
            self.current = None

    def _execute_run(self, run: Run, more: bool) -> RunResult:
        t0 = time.monotonic()
        started = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        final = run.out_dir
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = final.parent / f".{final.name}{_PARTIAL}{os.getpid()}-{run.index}"
        if staging.exists():
            shutil.rmtree(staging)
        result = RunResult(run, "error")
        try:
            nb = self._execute(run, staging, result, more, t0)
            if self.stopping:  # interrupted: this run did not happen
                shutil.rmtree(staging, ignore_errors=True)
                result.status, result.error, result.ran = "error", "stopped", False
                return result
            self._write_outputs(run, result, nb, staging, final, started, time.monotonic() - t0)
        except Exception as exc:
            result.status = "error"
            result.error = f"writing outputs: {type(exc).__name__}: {exc}"
            shutil.rmtree(staging, ignore_errors=True)
        except BaseException:  # stopped (SIGTERM, parent gone): the run did not happen, keep no trace
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.reap()
        result.duration = time.monotonic() - t0
        return result

    def _execute(self, run: Run, staging: Path, result: RunResult, more: bool, t0: float):
        """Execute the notebook for ``run`` in a fresh kernel; returns the executed notebook (or None)."""
        import papermill
        from papermill.exceptions import PapermillExecutionError

        figures = staging / FIGURES_DIRNAME
        figures.mkdir(parents=True)
        params = dict(run.params)
        if self.cfg.figures_param:
            params[self.cfg.figures_param] = str(figures)
        holder: dict = {}
        km = kc = None
        deadline = t0 + self.cfg.timeout if self.cfg.timeout else None
        try:
            km, kc, result.attempts = self.take_kernel()
            self.current = km
            if self.stopping:
                raise RuntimeError("stopped")
            kwargs: dict = {}
            if deadline is not None:
                kwargs["timeout"] = self.cfg.timeout
                kwargs["timeout_func"] = lambda cell: max(deadline - time.monotonic(), 0.01)
            papermill.execute_notebook(
                copy.deepcopy(self.nb), None, parameters=params, engine_name="cchc", kernel_name="python3",
                language="python", progress_bar=False, request_save_on_cell_execute=False,
                start_timeout=self.cfg.start_timeout, km=km, cchc_kc=kc, cchc_holder=holder, **kwargs,
            )
            result.status = STATUS_OK
        except PapermillExecutionError as exc:
            result.status = "failed"
            result.execution_count = exc.exec_count
            result.error = f"{exc.ename}: {exc.evalue}"
        except TimeoutError as exc:
            result.status = "timeout"
            result.error = f"run exceeded {self.cfg.timeout:g}s" if deadline else f"timeout: {exc}"
        except Exception as exc:
            result.status = "failed" if holder else "error"
            result.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.current = None
            if more and not self.stopping:
                self.start_spare()  # the next kernel boots while this run is written out
            if km is not None:
                if result.status == STATUS_OK:
                    self.retire_kernel(km, kc)
                else:
                    if kc is not None:
                        kc.stop_channels()
                    self.release_kernel(km, now=True)
        nb = None
        nb_man = holder.get("nb_man")
        if nb_man is not None:
            nb = nb_man.nb
            if result.status != STATUS_OK:
                result.failed_cell = _failed_cell(nb, self.nb)
            if result.status == "timeout" and result.failed_cell is not None:
                _mark_timeout(nb, self.nb.cells[result.failed_cell].get("id"), result.error)
        return nb

    def _write_outputs(self, run, result, nb, staging, final, started, duration) -> None:
        import nbformat

        stem = Path(self.cfg.notebook).stem
        outputs: dict[str, Any] = {}
        thumb = None
        if nb is not None:
            # paths relative to the saved notebook (it sits in the run folder): figures_dir = 'figures'
            for form in dict.fromkeys([str(staging), repr(str(staging))[1:-1]]):
                _replace_strings(nb, form + os.sep, "")
                _replace_strings(nb, form, ".")
            pm = nb.metadata.get("papermill")
            if isinstance(pm, dict):  # papermill records the input notebook object itself: a name is enough
                pm["input_path"] = Path(self.cfg.notebook).name
                pm["output_path"] = f"{stem}.ipynb"
            nb.metadata.setdefault("cchc_report", {}).update(status=result.status, label=run.label)
            ipynb = staging / f"{stem}.ipynb"
            with open(ipynb, "w", encoding="utf-8") as fh:
                nbformat.write(nb, fh)
            outputs["ipynb"] = ipynb.name
            if self.cfg.html or self.cfg.documents:
                outputs.update(write_report_files(nb, staging, stem=stem, label=run.label, html=self.cfg.html,
                                                  documents=self.cfg.documents,
                                                  index_href=_index_href(self.cfg.out, final)))
        figs = sorted((p for p in (staging / FIGURES_DIRNAME).rglob("*") if p.is_file()),
                      key=lambda p: (p.stat().st_mtime_ns, str(p)))
        outputs["figures"] = [str(p.relative_to(staging)) for p in figs]
        pngs = [p for p in figs if p.suffix.lower() == ".png"]
        if pngs:
            thumb = str(pngs[0].relative_to(staging))
        elif nb is not None:
            data = _first_png(nb)
            if data:
                (staging / "thumbnail.png").write_bytes(data)
                thumb = "thumbnail.png"
        outputs["thumbnail"] = thumb
        if not (staging / FIGURES_DIRNAME).exists() or not any((staging / FIGURES_DIRNAME).iterdir()):
            shutil.rmtree(staging / FIGURES_DIRNAME, ignore_errors=True)
        result.outputs = outputs
        files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if not p.is_dir())
        info = {
            "status": result.status,
            "label": run.label,
            "notebook": _notebook_ref(self.cfg.notebook),
            "notebook_stem": stem,
            "notebook_sha256": self.cfg.notebook_sha256,
            "parameters": _json_safe(run.params),
            "province": {"code": run.province_code, "name": run.province_name} if run.province_code else None,
            "failed_cell": result.failed_cell,
            "execution_count": result.execution_count,
            "error": result.error,
            "started": started,
            "duration_s": round(duration, 3),
            "attempts": result.attempts,
            "kernel": self.kernel_mode,
            "outputs": outputs,
            "files": sorted({*files, RUN_FILE}),  # everything in the folder: only these may be replaced
        }
        _atomic_write_text(staging / RUN_FILE, json.dumps(info, ensure_ascii=False, indent=1))
        _commit_dir(staging, final)


def _notebook_ref(notebook: str) -> str:
    """The notebook as run.json names it: relative to the project when inside it, else its file name."""
    from cchc_analysis import config

    path = Path(notebook)
    try:
        return path.relative_to(config.PROJ_ROOT).as_posix()
    except ValueError:
        return path.name


def _failed_cell(nb, original) -> int | None:
    """Index in the input notebook of the cell that raised, else of the last one started.

    (A cell cut short by a timeout or a dead kernel is the last one papermill started.)
    """
    skip = ("injected-parameters", "papermill-error-cell-tag")
    cells = [c for c in nb.cells if not any(t in c.get("metadata", {}).get("tags", []) for t in skip)]
    pms = [c.get("metadata", {}).get("papermill", {}) for c in cells]
    hit = next((i for i, pm in enumerate(pms) if pm.get("exception")), None)
    if hit is None:
        started = [i for i, pm in enumerate(pms) if pm.get("start_time")]
        hit = started[-1] if started else None
    if hit is None:
        return None
    cid = cells[hit].get("id")
    for i, c in enumerate(original.cells):
        if cid is not None and c.get("id") == cid:
            return i
    return hit


def _mark_timeout(nb, cell_id: str | None, message: str) -> None:
    """Give the cell a timeout cut short an error output, so the report shows where it stopped."""
    import nbformat

    for cell in nb.cells:
        if cell_id is not None and cell.get("id") == cell_id and cell.cell_type == "code":
            cell.outputs.append(nbformat.v4.new_output("error", ename="TimeoutError", evalue=message,
                                                       traceback=[f"TimeoutError: {message}"]))
            cell.metadata.setdefault("papermill", {})["exception"] = True
            return


def _first_png(nb) -> bytes | None:
    import base64

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {}).get("image/png")
            if data:
                return base64.b64decode(data if isinstance(data, str) else "".join(data))
    return None


def _replace_strings(node: Any, old: str, new: str) -> Any:
    """Replace ``old`` with ``new`` in every text of a notebook (images untouched), in place."""
    if isinstance(node, str):
        return node.replace(old, new) if old in node else node
    if isinstance(node, list):
        for i, v in enumerate(node):
            node[i] = _replace_strings(v, old, new)
    elif isinstance(node, dict):
        for k, v in node.items():
            if not (isinstance(k, str) and k.startswith("image/")):
                node[k] = _replace_strings(v, old, new)
    return node


def _commit_dir(staging: Path, final: Path) -> None:
    """Move a finished staging folder to its final place (the old one goes away).

    The old folder is replaced only if a run created it and it holds nothing else (checked
    when the batch was planned, and again here: something may have appeared since).
    """
    why = replace_refusal(final)
    if why:
        raise RuntimeError(f"not replaced: {why}")
    trash = None
    if final.exists():
        trash = final.parent / f".{final.name}{_TRASH}{os.getpid()}"
        shutil.rmtree(trash, ignore_errors=True)
        os.replace(final, trash)
    os.replace(staging, final)
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)


def _worker_main(cfg: _WorkerConfig, conn) -> None:  # a worker process
    worker = None

    def on_term(*_):  # the runner stops us (interrupt, or it died: PDEATHSIG)
        if worker is not None and worker.busy:
            worker.stop()  # the run ends within a second, then the loop below exits
            signal.signal(signal.SIGALRM, lambda *_: sys.exit(143))
            signal.alarm(8)  # should the kernel not die: give up waiting
        else:
            sys.exit(143)  # idle, in conn.recv(): leave through the finally below

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C, SIGHUP: the runner decides ...
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, on_term)  # ... and stops us with SIGTERM
    if cfg.parent_pid:
        die_with_parent(signal.SIGTERM, cfg.parent_pid)  # the runner's death (kill -9) stops us too
    try:
        worker = _Worker(cfg)
        conn.send(("ready", None))
        while not worker.stopping:
            try:
                run = conn.recv()
            except EOFError:
                break
            if run is None:
                break
            run, more = run
            result = worker.execute(run, more)
            if worker.stopping:
                break
            conn.send(("done", result))
    except BaseException as exc:
        try:
            if not (worker is not None and worker.stopping) and not isinstance(exc, SystemExit):
                conn.send(("crash", f"{type(exc).__name__}: {exc}"))
        except Exception:
            pass
    finally:
        if worker is not None:
            worker.close()


# --------------------------------------------------------------------------- batch


def _cleanup_stale(batch: Batch) -> None:
    """Remove staging/trash folders and temporary files left by killed batches.

    Called under the batch lock before any worker starts, so every staging or trash
    folder beside the run folders is a leftover, whichever process made it.
    """
    cleanup_temp_files()
    parents = {r.out_dir.parent for r in batch.runs}
    pattern = re.compile(rf"^\..+(?:{re.escape(_PARTIAL)}\d+-\d+|{re.escape(_TRASH)}\d+)$")
    for parent in parents:
        if not parent.is_dir():
            continue
        for p in parent.iterdir():
            if pattern.match(p.name) and p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)


def _preload_worker_modules(html: bool) -> None:
    """Import (and warm) in the parent what workers need, so forked workers inherit it."""
    import jupyter_client.manager  # noqa: F401
    import nbformat  # noqa: F401
    import papermill.clientwrap  # noqa: F401
    import papermill.engines  # noqa: F401

    if html:
        _html_exporter()


def run_batch(
    batch: Batch,
    *,
    jobs: int | None = None,
    timeout: float | None = None,
    html: bool = True,
    prewarm: bool = True,
    warm_imports: Sequence[str] = DEFAULT_WARM_IMPORTS,
    start_timeout: float = 60.0,
    retries: int = 3,
    progress: bool | None = None,
    index: bool = True,
    zygote: KernelZygote | None = None,
    documents: Sequence[str] = (),
) -> BatchResult:
    """Execute the pending runs of ``batch`` in ``jobs`` worker processes.

    Parameters
    ----------
    batch : from :func:`plan_batch`.
    jobs : worker processes (default ``min(2, os.cpu_count())``).
    timeout : seconds a whole run may take (None: no limit).
    html : also write the HTML report.
    prewarm : fork kernels from a zygote with ``warm_imports`` done (see module doc).
        Off, every run starts ``python -m ipykernel_launcher`` as papermill would.
    start_timeout, retries : kernel start-up: seconds to wait, attempts.
    progress : tqdm bar on stderr (None: only when stderr is a terminal).
    index : rewrite ``{out}/index.html`` at the end.
    zygote : a :class:`KernelZygote` started earlier (it is not closed here); by default
        one is started (when ``prewarm``) and closed at the end.
    documents : also write ``"docx"`` (Word, through pandoc) and/or ``"pdf"`` (headless
        Chromium) of each report, from the same page (:mod:`cchc_analysis.report.documents`).

    Returns
    -------
    BatchResult, whose ``exit_code`` is 1 when any run failed.  A failing run never
    stops the others.

    Raises
    ------
    BatchLockedError
        when another batch is writing to ``batch.out`` (see :class:`batch_lock`).
    """
    with batch_lock(batch.out):
        return _run_batch(batch, jobs=jobs, timeout=timeout, html=html, prewarm=prewarm, warm_imports=warm_imports,
                          start_timeout=start_timeout, retries=retries, progress=progress, index=index, zygote=zygote,
                          documents=_check_documents(documents))


def _check_documents(documents: Sequence[str]) -> tuple[str, ...]:
    from .documents import DOCUMENT_FORMATS

    docs = tuple(dict.fromkeys(str(d).lower().lstrip(".") for d in documents))
    bad = [d for d in docs if d not in DOCUMENT_FORMATS]
    if bad:
        raise ValueError(f"documents: unknown format(s) {bad}; choose from {list(DOCUMENT_FORMATS)}")
    return docs


def _run_batch(batch: Batch, *, jobs, timeout, html, prewarm, warm_imports, start_timeout, retries, progress,
               index, zygote, documents=()) -> BatchResult:
    import multiprocessing as mp
    from multiprocessing.connection import wait

    t0 = time.monotonic()
    todo = batch.pending
    results: dict[int, RunResult] = {
        r.index: RunResult(r, "skipped") for r in batch.runs if r not in todo
    }
    if todo:
        _cleanup_stale(batch)
        jobs = max(1, min(jobs or min(2, os.cpu_count() or 1), len(todo)))
        own_zygote = None
        if not hasattr(os, "fork"):
            prewarm, zygote = False, None  # the zygote forks: POSIX only
        if zygote is None and prewarm:
            zygote = own_zygote = KernelZygote(batch.notebook.parent, warm_imports)
        if zygote is not None and Path(zygote.cwd) != batch.notebook.parent:
            raise ValueError(f"the zygote's kernels start in {zygote.cwd}, the notebook is in {batch.notebook.parent}")
        import threading

        _preload_worker_modules(html)  # imported once here, inherited by forked workers
        fork = "fork" in mp.get_all_start_methods() and threading.active_count() == 1
        ctx = mp.get_context("fork" if fork else "spawn")
        cfg = _WorkerConfig(
            str(batch.notebook), str(batch.notebook.parent), batch.figures_param, batch.notebook_sha256,
            timeout, start_timeout, retries, html, zygote.socket_path if zygote is not None and zygote.alive() else None,
            (zygote.proc.stdin.fileno(),) if zygote is not None and fork else (), os.getpid(),
            str(batch.out), tuple(documents),
        )
        queue = list(todo)
        workers: dict = {}  # conn -> [process, run or None]

        def start_worker():
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker_main, args=(cfg, child), daemon=True, name="cchc-report-worker")
            proc.start()
            child.close()
            workers[parent] = [proc, None]

        for _ in range(jobs):
            start_worker()
        from tqdm import tqdm

        class _Bar(tqdm):
            monitor_interval = 0  # no monitor thread (workers may be forked later)

        bar = _Bar(total=len(todo), file=sys.stderr, unit="run", desc=f"cchc report {batch.notebook.stem}",
                   disable=(None if progress is None else not progress), dynamic_ncols=True)
        n_bad = 0
        crashes = 0
        finished: list = []
        try:
            while workers:
                for conn in wait(list(workers)):
                    proc, current = workers[conn]
                    try:
                        kind, payload = conn.recv()
                    except (EOFError, OSError):
                        kind, payload = "crash", f"worker exited (code {proc.exitcode})"
                    if kind == "done":
                        results[payload.run.index] = payload
                        bar.update(1)
                        if not payload.ok:
                            n_bad += 1
                            bar.set_postfix_str(f"{n_bad} failed")
                    elif kind == "crash":
                        proc.join(timeout=5)
                        del workers[conn]
                        conn.close()
                        if current is not None:
                            results[current.index] = RunResult(current, "error", error=f"worker crashed: {payload}")
                            bar.update(1)
                            n_bad += 1
                        crashes += 1
                        if queue and crashes <= 2 * jobs:
                            start_worker()
                        elif queue and not workers:
                            for r in queue:
                                results[r.index] = RunResult(r, "error", error=f"not run, workers crashed: {payload}",
                                                             ran=False)
                            queue.clear()
                        continue
                    if queue:
                        nxt = queue.pop(0)
                        workers[conn][1] = nxt
                        conn.send((nxt, bool(queue)))
                    else:
                        conn.send(None)
                        del workers[conn]
                        finished.append((proc, conn))
        finally:
            bar.close()
            for proc, conn in finished:
                proc.join(timeout=30)
                conn.close()
            for conn, (proc, _) in list(workers.items()):  # interrupted: stop the rest
                if proc.is_alive():
                    proc.terminate()
            for conn, (proc, _) in list(workers.items()):
                proc.join(timeout=10)
                if proc.is_alive():
                    proc.kill()
                    proc.join()
            if own_zygote is not None:
                own_zygote.close()
    out = BatchResult(batch, [results[r.index] for r in batch.runs], time.monotonic() - t0)
    if index:
        extra = [r for r in out.results  # a crashed worker's run has no run.json; runs never started stay out
                 if r.status == "error" and r.ran and not (r.run.out_dir / RUN_FILE).exists()]
        out.index = write_index(batch.out, extra=extra)
    return out


