"""Plan a batch: the notebook's declared parameters, the run matrix, folder names, what is done."""

from __future__ import annotations

import ast
import datetime as _dt
import hashlib
import itertools
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence


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
_PKG_ROOT = Path(__file__).resolve().parents[2]  # the folder holding cchc_analysis/


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


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
