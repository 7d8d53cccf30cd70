"""Batch runner: one parameterised notebook, many provinces, one report each.

A batch is a *matrix* of parameter values (every province, or a list of them, times any
other listed parameter) executed by papermill in a few worker processes.  Each run writes

``{out}/{notebook_stem}/{province_code}-{province_slug}/``
    ``{notebook_stem}.ipynb``   the executed notebook (with tracebacks if it failed),
    ``{notebook_stem}.html``    the report, without code cells, images embedded,
    ``figures/``                whatever the notebook saved into its ``figures_dir``,
    ``run.json``                status, parameters, failing cell, duration, outputs,

and ``{out}/index.html`` links every report found under ``out`` with a thumbnail and
its status.  A run is built in a hidden staging folder beside its final folder and
moved into place with :func:`os.replace`, so a killed batch leaves no half-written
report; a later batch skips runs whose ``run.json`` says ``ok`` for the same notebook
and parameters (``force=True`` re-runs them).

Speed: ``jobs`` worker processes are forked once and run notebooks in-process through
papermill's Python API, each with the one cached HTML exporter.  With ``prewarm=True``
(the default) a :class:`KernelZygote` -- a process that has imported ipykernel and the
modules of ``warm_imports`` (``cchc_analysis``, ``pandas``, ``matplotlib.pyplot`` ...) --
forks a fresh kernel for every run.  Each notebook still gets its own new kernel
process; only imported modules are shared (copy-on-write), never user state, and
numpy's global random generator is reseeded.  A worker forks its next kernel while it
writes the previous run's HTML.  Kernels always use this interpreter (no kernelspec
look-up) with the package root on ``PYTHONPATH`` and matplotlib's inline backend.

Caveat of ``prewarm``: modules in ``warm_imports`` are imported before the notebook's
first cell, so a notebook that changes ``os.environ`` (or the working directory) and
*then* imports one of them sees the import-time state of the batch instead.  Use
``prewarm=False`` (``--no-prewarm``) for such notebooks.

Examples
--------
>>> from cchc_analysis.report import plan_batch, run_batch            # doctest: +SKIP
>>> batch = plan_batch("notebooks/province_profile.ipynb", {"province": "all"},
...                    out="reports")                                  # doctest: +SKIP
>>> result = run_batch(batch, jobs=2)                                  # doctest: +SKIP
>>> result.failed                                                      # doctest: +SKIP
[]
"""

from __future__ import annotations

import ast
import copy
import datetime as _dt
import hashlib
import itertools
import json
import os
import re
import shutil
import signal
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

__all__ = [
    "ParameterError",
    "NotebookParameter",
    "Run",
    "RunResult",
    "Batch",
    "BatchResult",
    "KernelZygote",
    "DEFAULT_TEMPLATE",
    "DEFAULT_WARM_IMPORTS",
    "notebook_parameters",
    "load_params_file",
    "plan_batch",
    "run_batch",
    "write_index",
    "format_plan",
    "format_summary",
    "slugify",
]

DEFAULT_TEMPLATE = "{notebook_stem}/{province_code}-{province_slug}"
# Imported in the kernel zygote before any notebook runs (see KernelZygote); a module that
# is missing or fails to import is skipped.  All are free of import-time side effects.
DEFAULT_WARM_IMPORTS: tuple[str, ...] = (
    "numpy",
    "pandas",
    "scipy.stats",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "adjustText",
    "cchc_analysis",
    "cchc_analysis.provinces",
    "cchc_analysis.notebook",
    "cchc_analysis.indicators",
    "cchc_analysis.targets",
    "cchc_analysis.trends",
    "cchc_analysis.gaps",
    "cchc_analysis.compare",
    "cchc_analysis.plots",
    "cchc_analysis.style",
    "cchc_analysis.export",
)
# Modules every ipykernel loads while it starts (before any cell): imported once in the zygote.
_KERNEL_PRELOADS: tuple[str, ...] = (
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "debugpy",
    "IPython.core.completer",
    "pdb",
    "sqlite3",
    "psutil",
)
RUN_FILE = "run.json"
FIGURES_DIRNAME = "figures"
STATUS_OK = "ok"
_PARTIAL = ".partial-"
_TRASH = ".trash-"
_PKG_ROOT = Path(__file__).resolve().parents[1]


class ParameterError(ValueError):
    """A parameter the notebook does not declare, or a value of the wrong type."""


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class NotebookParameter:
    """One name of the notebook's ``parameters`` cell (from :func:`papermill.inspect_notebook`).

    ``type_name`` is the annotation (``"int"``, ``"str | None"``) or, without one, the
    type of the literal default; ``""`` when unknown (any value is accepted).
    """

    name: str
    type_name: str
    default: str
    help: str = ""

    @property
    def allowed(self) -> tuple[type, ...] | None:
        """Python types a value may have, or None when anything goes."""
        return _allowed_types(self.type_name)


_TYPE_NAMES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
    "list": (list,),
    "tuple": (tuple, list),
    "dict": (dict,),
    "none": (type(None),),
    "nonetype": (type(None),),
}


def _allowed_types(type_name: str) -> tuple[type, ...] | None:
    text = type_name.strip()
    if not text or text in ("Any", "typing.Any", "object"):
        return None
    m = re.fullmatch(r"(?:typing\.)?Optional\[(.+)\]", text)
    if m:
        text = m.group(1) + " | None"
    m = re.fullmatch(r"(?:typing\.)?Union\[(.+)\]", text)
    if m:
        text = m.group(1).replace(",", "|")
    out: list[type] = []
    for part in text.split("|"):
        base = part.strip().split("[", 1)[0].lower().removeprefix("typing.")
        base = {"list": "list", "dict": "dict", "tuple": "tuple"}.get(base, base)
        if base not in _TYPE_NAMES:
            return None  # a type we cannot check (Path, Literal[...], a class): accept anything
        out.extend(_TYPE_NAMES[base])
    return tuple(dict.fromkeys(out))


def _type_label(allowed: tuple[type, ...] | None) -> str:
    if allowed is None:
        return "any"
    names = [t.__name__ if t is not type(None) else "None" for t in allowed]
    if "float" in names and "int" in names:
        names.remove("int")
    if "tuple" in names and "list" in names:
        names.remove("list")
    return " | ".join(names)


def _load_notebook(path: Path):
    """The notebook as a NotebookNode: ``.ipynb`` through nbformat, anything else through jupytext."""
    if path.suffix == ".ipynb":
        import nbformat

        return nbformat.read(path, as_version=4)
    import jupytext

    return jupytext.read(path)


def notebook_parameters(notebook: str | os.PathLike | Any) -> dict[str, NotebookParameter]:
    """Parameters declared by the notebook's cell tagged ``parameters``.

    Parameters
    ----------
    notebook : path to an ``.ipynb`` (or a jupytext ``.py``) file, or a NotebookNode.

    Returns
    -------
    dict mapping each name to a :class:`NotebookParameter`, in cell order.
    """
    import papermill

    nb = notebook if not isinstance(notebook, (str, os.PathLike)) else _load_notebook(Path(notebook))
    out: dict[str, NotebookParameter] = {}
    for name, p in papermill.inspect_notebook(nb).items():
        type_name = p.get("inferred_type_name") or "None"
        if type_name == "None":  # no annotation: the default's literal type
            try:
                default = ast.literal_eval(p.get("default", ""))
            except (ValueError, SyntaxError, TypeError):
                type_name = ""
            else:
                type_name = "" if default is None else type(default).__name__
        out[name] = NotebookParameter(name, type_name, p.get("default", ""), p.get("help", "") or "")
    return out


_TRUE = {"true", "yes", "on", "1", "y"}
_FALSE = {"false", "no", "off", "0", "n"}


def _coerce_text(text: str, param: NotebookParameter) -> Any:
    """A ``-p KEY VALUE`` string converted to the parameter's declared type."""
    allowed = param.allowed
    if allowed is None:  # papermill's own -p rule: int, float, bool, None, else str
        for conv in (int, float):
            try:
                return conv(text)
            except ValueError:
                pass
        return {"True": True, "False": False, "None": None}.get(text, text)
    if type(None) in allowed and text.strip().lower() in ("none", "null", "~"):
        return None
    if str in allowed:
        return text
    if bool in allowed:
        if text.strip().lower() in _TRUE:
            return True
        if text.strip().lower() in _FALSE:
            return False
    if int in allowed and float not in allowed:
        try:
            return int(text)
        except ValueError:
            pass
    if float in allowed:
        try:
            return float(text)
        except ValueError:
            pass
    if any(t in allowed for t in (list, dict, tuple)):
        import yaml

        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            value = text
        if isinstance(value, tuple(t for t in allowed if t in (list, dict, tuple))):
            return value
    raise ParameterError(_type_message(param, text))


def _type_message(param: NotebookParameter, value: Any) -> str:
    import shlex

    example = f"-p {param.name} {shlex.quote(param.default)}" if param.default else f"-p {param.name} VALUE"
    if param.allowed and any(t in param.allowed for t in (list, dict, tuple)):
        example += " (YAML syntax)"
    return (
        f"parameter {param.name!r} expects {_type_label(param.allowed)} (the notebook's "
        f"parameters cell: {param.name}: {param.type_name or '?'} = {param.default}), "
        f"got {value!r} ({type(value).__name__}); give a value of that type, e.g. {example}, "
        f"or {param.name}: {param.default} in the --params file"
    )


def _check_value(value: Any, param: NotebookParameter) -> Any:
    """A YAML/Python value checked (and int -> float widened) against the declared type."""
    allowed = param.allowed
    if allowed is None:
        return value
    if isinstance(value, bool) and bool not in allowed:
        raise ParameterError(_type_message(param, value))
    if isinstance(value, allowed):
        if float in allowed and type(value) is int and not re.search(r"\bint\b", param.type_name):
            return float(value)  # a float parameter given 3 gets 3.0
        return value
    if str in allowed and isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()  # YAML reads 2024-01-01 as a date
    raise ParameterError(_type_message(param, value))


def _unknown_message(name: str, declared: Mapping[str, NotebookParameter], notebook: Path) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(declared), n=3)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    names = ", ".join(f"{p.name} ({_type_label(p.allowed)})" for p in declared.values()) or "none"
    return f"unknown parameter {name!r} for {notebook.name}.{hint} Its parameters cell declares: {names}."


def load_params_file(path: str | os.PathLike) -> dict[str, Any]:
    """Read a YAML parameter file: a mapping of name -> value or list of values.

    ``province: all`` means every legacy province; a list is one axis of the matrix.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.yaml"
    >>> _ = p.write_text("province: [Hà Nội, '49']\\nn_points: 5\\n", encoding="utf-8")
    >>> load_params_file(p)
    {'province': ['Hà Nội', '49'], 'n_points': 5}
    """
    import yaml

    text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text) if text.strip() else {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: a parameter file must be a mapping of name: value, got {type(data).__name__}")
    return {str(k): v for k, v in data.items()}


# --------------------------------------------------------------------------- the plan


def slugify(text: str) -> str:
    """ASCII, lower-case, dash-separated.

    >>> slugify("TP. Hồ Chí Minh")
    'tp-ho-chi-minh'
    >>> slugify("Đắk Lắk")
    'dak-lak'
    """
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-").lower()
    return text or "x"


@dataclass(frozen=True)
class Run:
    """One cell of the matrix: the parameters of one notebook execution and where it goes."""

    index: int
    params: dict[str, Any]
    out_dir: Path
    label: str
    province_code: str | None = None
    province_name: str | None = None
    state: str = "run"  # "run", "complete" (skipped unless forced) or "stale" (outputs out of date)


@dataclass
class Batch:
    """A planned batch: the notebook, its runs and the options they share."""

    notebook: Path
    out: Path
    runs: list[Run]
    parameters: dict[str, NotebookParameter]
    figures_param: str | None
    notebook_sha256: str
    force: bool = False

    @property
    def pending(self) -> list[Run]:
        return [r for r in self.runs if self.force or r.state != "complete"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _read_run_file(run_dir: Path) -> dict | None:
    try:
        return json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _run_state(run_dir: Path, params: dict, sha: str, html: bool = True) -> str:
    info = _read_run_file(run_dir)
    if not info or info.get("status") != STATUS_OK:
        return "run"
    outputs = info.get("outputs") or {}
    if html and not outputs.get("html"):
        return "run"
    files = [outputs.get("ipynb"), outputs.get("html")] + list(outputs.get("figures") or [])
    if not all((run_dir / f).is_file() for f in files if f):
        return "run"
    if info.get("notebook_sha256") != sha or info.get("parameters") != _json_safe(params):
        return "stale"
    return "complete"


def _expand_province(values: Any, boundaries: str) -> list:
    from cchc_analysis.provinces import resolve_province, resolve_provinces

    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        values = [values]
    out, seen = [], set()
    for v in values:
        text = str(v).strip()
        units = resolve_provinces("all", boundaries=boundaries) if text.lower() == "all" else [
            resolve_province(text, boundaries=boundaries)
        ]
        for u in units:
            if u.code not in seen:
                seen.add(u.code)
                out.append(u)
    return out


def plan_batch(
    notebook: str | os.PathLike,
    params: Mapping[str, Any] | None = None,
    *,
    out: str | os.PathLike | None = None,
    template: str | None = None,
    boundaries: str = "legacy",
    force: bool = False,
    figures_param: str | None = "figures_dir",
    html: bool = True,
) -> Batch:
    """Expand parameters into runs, check them against the notebook, decide what to (re)run.

    Parameters
    ----------
    notebook : the notebook (``.ipynb``, or a jupytext ``.py``) with a ``parameters`` cell.
    params : name -> value or list of values; lists are axes of a cartesian product
        (for a parameter declared ``list``, a list is one value and a list of lists an
        axis).  ``province`` takes ``"all"``, one name or a list; names may be any
        spelling :func:`cchc_analysis.provinces.resolve_province` knows, and the notebook
        receives the canonical name.  Strings (from ``-p KEY VALUE``) are converted to
        the declared type.
    out : output root (default ``config.REPORTS_DIR``).
    template : run folder relative to ``out``; placeholders ``{notebook_stem}``,
        ``{province_code}``, ``{province_slug}``, ``{province_name}``, ``{index}`` and every
        parameter name (slugged).  Default :data:`DEFAULT_TEMPLATE`, plus
        ``__name-value`` for every other parameter that varies.
    boundaries : ``"legacy"`` (63 provinces) or ``"2025"`` (34 units) for ``province``.
    force : re-run runs that are already complete.
    figures_param : the notebook parameter that receives the run's ``figures/`` folder
        (when declared and not given explicitly).
    html : HTML reports wanted: a complete run without one is run again.

    Raises
    ------
    ParameterError
        for a name the parameters cell does not declare or a value of the wrong type,
        before anything runs.
    FileNotFoundError
        when the notebook does not exist.
    """
    from cchc_analysis import config

    nb_path = Path(notebook).resolve()
    if not nb_path.is_file():
        raise FileNotFoundError(f"notebook not found: {notebook}")
    out_root = Path(out if out is not None else config.REPORTS_DIR).resolve()
    declared = notebook_parameters(nb_path)
    params = dict(params or {})

    for name in params:
        if name not in declared:
            raise ParameterError(_unknown_message(name, declared, nb_path))

    # province axis
    provinces: list = []
    if "province" in params:
        provinces = _expand_province(params.pop("province"), boundaries)
        if not provinces:
            raise ParameterError("parameter 'province' is empty")
        _check_value(provinces[0].name, declared["province"])

    # every other axis: check types, turn scalars into one-value axes
    axes: dict[str, list] = {}
    for name, value in params.items():
        p = declared[name]
        allowed = p.allowed or ()
        list_typed = any(t in allowed for t in (list, tuple)) and str not in allowed
        values = value if isinstance(value, (list, tuple)) and (not list_typed or all(isinstance(v, (list, tuple)) for v in value)) else [value]
        if isinstance(value, (list, tuple)) and not value:
            raise ParameterError(f"parameter {name!r} has an empty list of values")
        checked = []
        for v in values:
            v = _coerce_text(v, p) if isinstance(v, str) and str not in (p.allowed or (str,)) else v
            checked.append(_check_value(v, p))
        axes[name] = checked

    fig_param = figures_param if figures_param in declared and figures_param not in axes else None
    default_province = None
    if not provinces and "province" in declared:
        try:
            default_province = _expand_province(ast.literal_eval(declared["province"].default), boundaries)[0]
        except Exception:
            default_province = None

    varying = [n for n, vs in axes.items() if len(vs) > 1]
    base = DEFAULT_TEMPLATE if provinces or default_province else "{notebook_stem}/default"
    tmpl = template or base + "".join(f"__{n}-{{{n}}}" for n in varying)
    names = list(axes)
    combos = list(itertools.product(provinces or [default_province], *[axes[n] for n in names]))
    sha = _sha256(nb_path)
    runs: list[Run] = []
    seen: dict[Path, int] = {}
    for i, combo in enumerate(combos):
        unit, values = combo[0], dict(zip(names, combo[1:]))
        run_params = dict(values)
        if provinces:
            run_params = {"province": unit.name, **run_params}
        fields = {n: slugify(str(v)) for n, v in values.items()}
        fields.update(
            notebook_stem=nb_path.stem,
            index=f"{i + 1:03d}",
            province_code=unit.code if unit else "default",
            province_slug=slugify(unit.name_ascii) if unit else "default",
            province_name=unit.name if unit else "default",
        )
        try:
            rel = tmpl.format(**fields)
        except KeyError as exc:
            raise ParameterError(f"output template {tmpl!r} names {exc}, which is neither a parameter nor one of "
                                 "notebook_stem, province_code, province_slug, province_name, index") from None
        run_dir = (out_root / rel).resolve()
        if run_dir in seen:
            raise ParameterError(
                f"runs {seen[run_dir] + 1} and {i + 1} would both write {run_dir}; add a placeholder for "
                f"the varying parameters to the output template (e.g. {{{varying[0] if varying else 'index'}}})"
            )
        seen[run_dir] = i
        label_bits = [f"{unit.code} {unit.name}"] if unit else []
        label_bits += [f"{n}={values[n]}" for n in varying]
        label = ", ".join(label_bits) or nb_path.stem
        runs.append(Run(i, run_params, run_dir, label, unit.code if unit else None, unit.name if unit else None,
                        _run_state(run_dir, run_params, sha, html)))
    return Batch(nb_path, out_root, runs, declared, fig_param, sha, force)


def format_plan(batch: Batch) -> str:
    """The runs of a batch as a table (what ``--dry-run`` prints)."""
    rows = [("#", "run", "action", "output")]
    for r in batch.runs:
        action = "run" if r.state == "run" else ("skip (complete)" if r.state == "complete" else "run (stale)")
        if batch.force and r.state == "complete":
            action = "run (forced)"
        try:
            where = str(r.out_dir.relative_to(batch.out))
        except ValueError:
            where = str(r.out_dir)
        rows.append((str(r.index + 1), r.label, action, where))
    n_run = len(batch.pending)
    return _table(rows) + f"\n{len(batch.runs)} runs, {n_run} to run, {len(batch.runs) - n_run} complete; out: {batch.out}"


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


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


# --------------------------------------------------------------------------- kernels


def _kernel_env() -> dict[str, str]:
    """Environment for kernels: this interpreter's package root first on PYTHONPATH."""
    env = dict(os.environ)
    path = [str(_PKG_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(_PKG_ROOT)]
    env["PYTHONPATH"] = os.pathsep.join(path)
    # figures must reach the report: the inline backend even when the caller's environment
    # says MPLBACKEND=Agg (CI, headless sessions, a test suite's conftest)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # as the papermill CLI does
    env.pop("JPY_PARENT_PID", None)
    return env


def _own_kernel_spec():
    """The current interpreter's ipykernel, whatever kernelspecs are (not) installed."""
    from jupyter_client.kernelspec import KernelSpec

    return KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} (cchc-analysis)",
        language="python",
        metadata={"debugger": True},
    )


class _ForkedProcess:
    """Popen look-alike for a kernel forked by the zygote (not our child: polled by pid)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:  # pragma: no cover - pid reused by another user
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                import subprocess

                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, sig: int) -> None:
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class KernelZygote:
    """A process that has imported ipykernel and ``warm_imports`` and forks fresh kernels.

    One zygote serves every worker of a batch through a Unix socket.  Each fork is a new
    kernel process: nothing runs in the zygote but imports, so no notebook state can be
    shared between runs.  Start it early (it imports while the batch is planned) and pass
    it to :func:`run_batch`; close it after.

    Parameters
    ----------
    cwd : working directory of the kernels (the notebook's folder).
    warm_imports : modules imported in advance; a failing one is skipped.
    """

    def __init__(self, cwd: str | os.PathLike, warm_imports: Sequence[str] = DEFAULT_WARM_IMPORTS):
        import subprocess
        import tempfile

        self.cwd = str(Path(cwd).resolve())
        self.warm_imports = tuple(warm_imports)
        self._dir = tempfile.mkdtemp(prefix="cchc-zygote-")
        self.socket_path = os.path.join(self._dir, "fork.sock")
        code = "from cchc_analysis.report import _zygote_main; _zygote_main()"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, self.socket_path, *self.warm_imports],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=self.cwd, env=_kernel_env(),
        )
        self.ready: dict | None = None

    def wait_ready(self) -> dict:
        """Block until the imports are done; returns ``{"ready": True, "failed": [...]}``."""
        if self.ready is None:
            line = self.proc.stdout.readline()  # type: ignore[union-attr]
            if not line:
                raise RuntimeError(f"kernel zygote exited (code {self.proc.poll()})")
            self.ready = json.loads(line)
        return self.ready

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            self.proc.stdin.close()  # type: ignore[union-attr]
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> "KernelZygote":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _ZygoteClient:
    """A worker's connection to the zygote."""

    def __init__(self, socket_path: str):
        import socket

        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        end = time.monotonic() + 30
        while True:
            try:
                self.sock.connect(socket_path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > end:
                    raise
                time.sleep(0.02)
        self.file = self.sock.makefile("rwb")

    def fork(self, args: list[str], cwd: str, env: Mapping[str, str]) -> int:
        self.file.write((json.dumps({"args": args, "cwd": cwd, "env": dict(env)}) + "\n").encode())
        self.file.flush()
        line = self.file.readline()
        if not line:
            raise RuntimeError("kernel zygote closed the connection")
        reply = json.loads(line)
        if "pid" not in reply:
            raise RuntimeError(f"kernel zygote could not fork: {reply.get('error')}")
        return int(reply["pid"])

    def close(self) -> None:
        try:
            self.file.close()
            self.sock.close()
        except OSError:
            pass


def _zygote_main() -> None:  # runs in the zygote process
    """Listen, import ipykernel and the warm modules, then fork a kernel per request line."""
    import selectors
    import socket

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's business
    proto_out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints of imported modules must not corrupt the protocol
    path, warm = sys.argv[1], sys.argv[2:]
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)  # before importing: workers may connect and wait
    listener.listen(64)
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; IPython puts "" back
    failed = []
    import importlib

    import ipykernel.kernelapp  # noqa: F401

    for name in _KERNEL_PRELOADS:  # loaded by every kernel before its first cell anyway
        try:
            importlib.import_module(name)
        except Exception:
            pass
    for name in warm:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a warm import is an optimisation only
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped automatically
    proto_out.write(json.dumps({"ready": True, "failed": failed, "pid": os.getpid()}) + "\n")
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "accept")
    sel.register(sys.stdin.buffer, selectors.EVENT_READ, "stdin")
    clients: dict = {}
    while True:
        for key, _ in sel.select():
            if key.data == "stdin":
                if not os.read(sys.stdin.fileno(), 1024):  # the runner is gone or done
                    listener.close()
                    os.unlink(path)
                    os._exit(0)  # skip finalising pandas, matplotlib, ... (nothing to flush)
                continue
            if key.data == "accept":
                conn, _ = listener.accept()
                clients[conn] = conn.makefile("rwb")
                sel.register(conn, selectors.EVENT_READ, "client")
                continue
            conn = key.fileobj
            fh = clients[conn]
            line = fh.readline()
            if not line:
                sel.unregister(conn)
                fh.close()
                conn.close()
                del clients[conn]
                continue
            try:
                req = json.loads(line)
                pid = os.fork()
            except Exception as exc:
                fh.write((json.dumps({"error": repr(exc)}) + "\n").encode())
                fh.flush()
                continue
            if pid == 0:
                code = 1
                try:
                    sel.close()
                    listener.close()
                    for c, f in clients.items():
                        f.close()
                        c.close()
                    proto_out.close()
                    _zygote_child(req)
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 0
                except BaseException:
                    import traceback

                    traceback.print_exc()
                finally:
                    try:
                        sys.stdout.flush()
                        sys.stderr.flush()
                    finally:
                        os._exit(code)
            fh.write((json.dumps({"pid": pid}) + "\n").encode())
            fh.flush()


def _zygote_child(req: dict) -> None:
    os.setsid()  # own process group, like jupyter_client's launcher: interrupts reach only it
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    fd = os.open(os.devnull, os.O_RDONLY)
    os.dup2(fd, 0)
    os.close(fd)
    os.chdir(req["cwd"])
    os.environ.clear()
    os.environ.update(req["env"])
    os.environ["JPY_PARENT_PID"] = str(os.getppid())  # the kernel exits if the zygote dies
    if "numpy" in sys.modules:  # the legacy global RNG was seeded in the zygote
        sys.modules["numpy"].random.seed()
    import ipykernel_launcher  # noqa: F401  (cheap; gives the usual argv[0])
    from ipykernel import kernelapp

    args = [*req["args"], f"--IPKernelApp.parent_handle={os.getppid()}"]
    sys.argv = [ipykernel_launcher.__file__, *args]
    app = kernelapp.IPKernelApp.instance()  # what launch_new_instance does, plus one step
    app.initialize(args)
    # matplotlib_inline hooks itself into IPython when it is imported; in the zygote there
    # was no IPython yet, so do now what its import does in an ordinary kernel.
    inline = sys.modules.get("matplotlib_inline.backend_inline")
    if inline is not None and hasattr(inline, "_enable_matplotlib_integration"):
        inline._enable_matplotlib_integration()
    app.start()


async def _wait_ready(km, kc, timeout: float) -> None:
    """kernel_info answered on shell and IOPub subscribed (ipykernel's iopub_welcome).

    Like :meth:`jupyter_client.KernelClient.wait_for_ready` without its fixed 0.2 s IOPub
    poll; falls back to it for kernels that send no welcome message.
    """
    from queue import Empty

    end = time.monotonic() + timeout
    while True:
        kc.kernel_info()
        try:
            msg = await kc.shell_channel.get_msg(timeout=1)
        except Empty:
            msg = None
        if msg is not None and msg["msg_type"] == "kernel_info_reply":
            break
        if not await km.is_alive():
            raise RuntimeError("kernel died before replying to kernel_info")
        if time.monotonic() > end:
            raise RuntimeError(f"kernel did not reply to kernel_info in {timeout:g}s")
    try:
        await kc.iopub_channel.get_msg(timeout=min(2.0, max(end - time.monotonic(), 0.1)))
    except Empty:
        await kc.wait_for_ready(timeout=max(end - time.monotonic(), 1.0))


def _kernel_manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class CchcKernelManager(AsyncKernelManager):
        """The project's own interpreter; kernels forked by a zygote when one is given."""

        zygote: _ZygoteClient | None = None

        @property
        def kernel_spec(self):  # never look kernelspecs up: no NoSuchKernel, no foreign python3
            if self._kernel_spec is None:
                self._kernel_spec = _own_kernel_spec()
            return self._kernel_spec

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            zygote = self.zygote
            if zygote is None or kernel_cmd[:3] != [sys.executable, "-m", "ipykernel_launcher"]:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            prov = self.provisioner
            cwd = str(kw.get("cwd") or os.getcwd())
            pid = zygote.fork(kernel_cmd[3:], cwd, kw.get("env") or os.environ)
            prov.process = _ForkedProcess(pid)
            prov.pid = prov.pgid = pid
            prov.cwd = cwd
            self._reconcile_connection_info(prov.connection_info)

    return CchcKernelManager


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
        self.nb = _load_notebook(Path(cfg.notebook))
        self.km_class = _kernel_manager_class()
        self.spare = None
        self.dying: list = []
        if cfg.html:
            self.exporter  # noqa: B018  (inherited from the parent when forked)
        self.kernel_mode = "fork" if self.zygote else "subprocess"
        self.start_spare()

    @property
    def exporter(self):
        return _html_exporter()

    # kernels ---------------------------------------------------------------
    def _new_km(self):
        from jupyter_core.utils import run_sync

        km = self.km_class(kernel_name="python3", transport="ipc" if os.name == "posix" else "tcp")
        if km.transport == "ipc":
            import tempfile

            km.ip = os.path.join(tempfile.gettempdir(), f"cchc-k-{os.getpid()}-{km.kernel_id or id(km)}")
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
                if self.zygote is not None and isinstance(exc, (OSError, RuntimeError)) and "zygote" in str(exc):
                    self.zygote.close()
                    self.zygote = None  # the zygote is gone: plain subprocess kernels from now on
                    self.kernel_mode = "subprocess"
                time.sleep(0.2 * attempt)
        raise RuntimeError(f"kernel did not start after {self.cfg.retries} attempts: {last!r}")

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
    def execute(self, run: Run, more: bool = True) -> RunResult:
        import papermill
        from papermill.exceptions import PapermillExecutionError

        t0 = time.monotonic()
        started = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        final = run.out_dir
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = final.parent / f".{final.name}{_PARTIAL}{os.getpid()}-{run.index}"
        if staging.exists():
            shutil.rmtree(staging)
        figures = staging / FIGURES_DIRNAME
        figures.mkdir(parents=True)
        params = dict(run.params)
        if self.cfg.figures_param:
            params[self.cfg.figures_param] = str(figures)
        result = RunResult(run, "error")
        holder: dict = {}
        nb = None
        km = kc = None
        deadline = t0 + self.cfg.timeout if self.cfg.timeout else None
        try:
            km, kc, result.attempts = self.take_kernel()
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
            if more:
                self.start_spare()  # the next kernel boots while this run is written out
            if km is not None:
                if result.status == STATUS_OK:
                    self.retire_kernel(km, kc)
                else:
                    if kc is not None:
                        kc.stop_channels()
                    self.release_kernel(km, now=True)
        nb_man = holder.get("nb_man")
        if nb_man is not None:
            nb = nb_man.nb
            if result.status != STATUS_OK:
                result.failed_cell = _failed_cell(nb, self.nb)
            if result.status == "timeout" and result.failed_cell is not None:
                _mark_timeout(nb, self.nb.cells[result.failed_cell].get("id"), result.error)
        try:
            self._write_outputs(run, result, nb, staging, final, started, time.monotonic() - t0)
        except Exception as exc:
            result.status = "error"
            result.error = f"writing outputs: {type(exc).__name__}: {exc}"
            shutil.rmtree(staging, ignore_errors=True)
        self.reap()
        result.duration = time.monotonic() - t0
        return result

    def _write_outputs(self, run, result, nb, staging, final, started, duration) -> None:
        import nbformat

        stem = Path(self.cfg.notebook).stem
        outputs: dict[str, Any] = {}
        thumb = None
        if nb is not None:
            from papermill.translators import PythonTranslator

            _replace_strings(nb, str(staging), str(final))
            esc = PythonTranslator.translate_escaped_str  # as written in the injected-parameters cell
            if esc(str(staging)) != str(staging):
                _replace_strings(nb, esc(str(staging)), esc(str(final)))
            nb.metadata.setdefault("cchc_report", {}).update(status=result.status, label=run.label)
            ipynb = staging / f"{stem}.ipynb"
            with open(ipynb, "w", encoding="utf-8") as fh:
                nbformat.write(nb, fh)
            outputs["ipynb"] = ipynb.name
            if self.cfg.html:
                title = f"{stem} — {run.label}"
                resources = {"metadata": {"name": title, "path": self.cfg.cwd}}  # for embed_images
                body, _ = self.exporter.from_notebook_node(nb, resources=resources)
                html = staging / f"{stem}.html"
                html.write_text(body, encoding="utf-8")
                outputs["html"] = html.name
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
        info = {
            "status": result.status,
            "label": run.label,
            "notebook": self.cfg.notebook,
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
        }
        _atomic_write_text(staging / RUN_FILE, json.dumps(info, ensure_ascii=False, indent=1))
        _commit_dir(staging, final)


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


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _commit_dir(staging: Path, final: Path) -> None:
    """Move a finished staging folder to its final place (the old one goes away)."""
    trash = None
    if final.exists():
        trash = final.parent / f".{final.name}{_TRASH}{os.getpid()}"
        shutil.rmtree(trash, ignore_errors=True)
        os.replace(final, trash)
    os.replace(staging, final)
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)


def _worker_main(cfg: _WorkerConfig, conn) -> None:  # a worker process
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us on Ctrl-C ...
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # ... with SIGTERM: clean up kernels
    worker = None
    try:
        worker = _Worker(cfg)
        conn.send(("ready", None))
        while True:
            try:
                run = conn.recv()
            except EOFError:
                break
            if run is None:
                break
            run, more = run
            conn.send(("done", worker.execute(run, more)))
    except BaseException as exc:
        try:
            conn.send(("crash", f"{type(exc).__name__}: {exc}"))
        except Exception:
            pass
    finally:
        if worker is not None:
            worker.close()


# --------------------------------------------------------------------------- batch


def _cleanup_stale(batch: Batch) -> None:
    """Remove staging/trash folders left by killed batches (whose process is gone)."""
    parents = {r.out_dir.parent for r in batch.runs}
    for parent in parents:
        if not parent.is_dir():
            continue
        for p in parent.iterdir():
            m = re.search(rf"(?:{re.escape(_PARTIAL)}|{re.escape(_TRASH)})(\d+)", p.name)
            if p.name.startswith(".") and m:
                pid = int(m.group(1))
                alive = True
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    alive = False
                except PermissionError:
                    pass
                if not alive or pid == os.getpid():
                    shutil.rmtree(p, ignore_errors=True)


_EXPORTER = None


def _html_exporter():
    """One HTMLExporter per process (no code cells, no prompts), its templates compiled."""
    global _EXPORTER
    if _EXPORTER is None:
        import nbformat
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True
        )
        exporter.from_notebook_node(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm-up")]))
        _EXPORTER = exporter
    return _EXPORTER


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

    Returns
    -------
    BatchResult, whose ``exit_code`` is 1 when any run failed.  A failing run never
    stops the others.
    """
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
            (zygote.proc.stdin.fileno(),) if zygote is not None and fork else (),
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
                                results[r.index] = RunResult(r, "error", error=f"workers crashed: {payload}")
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
        extra = [r for r in out.results if r.status == "error" and not (r.run.out_dir / RUN_FILE).exists()]
        out.index = write_index(batch.out, extra=extra)
    return out


# --------------------------------------------------------------------------- index.html


def _index_entries(out: Path, extra: Iterable[RunResult] = ()) -> list[dict]:
    entries = []
    for run_file in sorted(out.rglob(RUN_FILE)):
        rel_parts = run_file.relative_to(out).parts
        if any(part.startswith(".") for part in rel_parts):
            continue  # staging and trash folders
        info = _read_run_file(run_file.parent)
        if not info:
            continue
        rel = run_file.parent.relative_to(out).as_posix()
        outputs = info.get("outputs") or {}

        def link(name):
            return f"{rel}/{name}" if name and (run_file.parent / name).exists() else None

        entries.append({
            "group": info.get("notebook_stem") or rel_parts[0],
            "label": info.get("label") or rel,
            "status": info.get("status", "?"),
            "html": link(outputs.get("html")),
            "ipynb": link(outputs.get("ipynb")),
            "thumbnail": link(outputs.get("thumbnail")),
            "cell": info.get("failed_cell"),
            "error": (info.get("error") or "").splitlines()[0][:200] if info.get("error") else "",
            "duration": info.get("duration_s"),
            "started": info.get("started", ""),
            "code": (info.get("province") or {}).get("code") or "",
            "dir": rel,
        })
    for r in extra:
        entries.append({
            "group": Path(r.run.out_dir).parent.name, "label": r.run.label, "status": r.status,
            "html": None, "ipynb": None, "thumbnail": None, "cell": r.failed_cell,
            "error": r.error.splitlines()[0][:200] if r.error else "", "duration": round(r.duration, 3),
            "started": "", "code": r.run.province_code or "", "dir": "",
        })
    entries.sort(key=lambda e: (e["group"], e["code"], e["label"]))
    return entries


def write_index(out: str | os.PathLike, *, extra: Iterable[RunResult] = (), title: str = "CCHC reports") -> Path:
    """Write ``{out}/index.html``: every report under ``out`` with thumbnail and status.

    ``extra`` adds runs that left no ``run.json`` (a crashed worker).  Written atomically.
    """
    from importlib import resources

    import jinja2

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    entries = _index_entries(out, extra)
    groups: dict[str, list[dict]] = {}
    for e in entries:
        groups.setdefault(e["group"], []).append(e)
    counts: dict[str, int] = {}
    for e in entries:
        counts[e["status"]] = counts.get(e["status"], 0) + 1
    text = resources.files(__package__).joinpath("templates/index.html").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    html = env.from_string(text).render(
        title=title, groups=groups, counts=counts, total=len(entries),
        generated=_dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    )
    path = out / "index.html"
    _atomic_write_text(path, html)
    return path
