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


DEFAULT_TEMPLATE = "{notebook_stem}/{province_code}-{province_slug}"  # plus __{params} when any is non-default
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


_MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
_MAX_PARAMS_BYTES = 1024 * 1024
MAX_RUNS = 10_000  # a run matrix larger than this is almost certainly a mistake


def _read_text(path: Path, what: str, limit: int) -> str:
    """A UTF-8 text file, or a ParameterError naming the file, the line and the fix."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ParameterError(f"{what} {path}: cannot read it ({exc.strerror or exc})") from None
    if size > limit:
        raise ParameterError(f"{what} {path} is {size:,} bytes; the limit is {limit:,}: is it the right file?")
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParameterError(
            f"{what} {path}, line {line}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 (most editors: Save with encoding > UTF-8)"
        ) from None


def _has_jupytext_header(text: str) -> bool:
    lines = text.lstrip("\ufeff").splitlines()
    return bool(lines) and lines[0].strip() in ("# ---", "#---") and any(
        ln.strip().startswith("# jupyter:") for ln in lines[1:40]
    )


def _load_notebook(path: Path):
    """The notebook as a NotebookNode: ``.ipynb`` through nbformat, anything else through jupytext.

    Raises ParameterError, saying what is missing, for a file that is not JSON, a text
    notebook with neither a jupytext header nor ``# %%`` cells, or a notebook without a
    Python kernelspec.
    """
    text = _read_text(path, "notebook", _MAX_NOTEBOOK_BYTES)
    fix_kernel = f"run `jupytext --set-kernel python3 {path.name}` (or open and save it in Jupyter with a Python kernel)"
    if path.suffix == ".ipynb":
        import nbformat

        try:
            nb = nbformat.reads(text, as_version=4)
        except Exception as exc:  # NotJSONError, a validation error, a bad nbformat version
            msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ParameterError(f"notebook {path}: not a readable .ipynb file ({msg[:200]})") from None
    else:
        import jupytext

        header = _has_jupytext_header(text)
        is_py = path.suffix == ".py"
        if is_py and not header and not any(ln.startswith("# %%") for ln in text.splitlines()):
            raise ParameterError(
                f"notebook {path}: a text notebook needs its jupytext header (the '# ---' / '# jupyter:' block "
                f"at the top) or '# %%' cell markers, with the parameters cell marked '# %% tags=[\"parameters\"]'; "
                f"pair it with `jupytext --set-formats ipynb,py:percent {path.name}`, or give the .ipynb"
            )
        try:
            nb = jupytext.reads(text, fmt="py:percent" if is_py and not header else path.suffix.lstrip(".") or "py")
        except Exception as exc:
            raise ParameterError(f"notebook {path}: jupytext cannot read it ({exc})") from None
    kernelspec = nb.metadata.get("kernelspec") or {}
    if not kernelspec.get("name"):
        raise ParameterError(
            f"notebook {path} has no kernelspec in its metadata (the runner needs to know it is a Python "
            f"notebook); {fix_kernel}"
        )
    language = kernelspec.get("language") or (nb.metadata.get("language_info") or {}).get("name") or "python"
    if str(language).lower() != "python":
        raise ParameterError(f"notebook {path} is a {language} notebook; the runner executes Python notebooks only")
    return nb


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
    if not declared:
        return (f"unknown parameter {name!r}: {notebook.name} has no cell tagged 'parameters' (in Jupyter: "
                "select the cell, Property Inspector > Cell Tags > add 'parameters'; in a jupytext .py: "
                "'# %% tags=[\"parameters\"]')")
    names = ", ".join(f"{p.name} ({_type_label(p.allowed)})" for p in declared.values())
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

    path = Path(path)
    text = _read_text(path, "--params file", _MAX_PARAMS_BYTES)
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(
            f"--params file {path}{where}: invalid YAML ({problem}); write one 'name: value' or "
            f"'name: [value, value]' per line"
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParameterError(
            f"--params file {path}: must be a mapping of name: value (one per line), got a {type(data).__name__}"
        )
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
        info = json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def _is_run_info(info: dict | None) -> bool:
    """A ``run.json`` this runner wrote (not any file of that name)."""
    return bool(info) and isinstance(info.get("status"), str) and "notebook_sha256" in info and "outputs" in info


def _run_files(info: dict) -> set[str]:
    """Every file (relative, POSIX) a run folder holds according to its ``run.json``."""
    files = {RUN_FILE}
    if isinstance(info.get("files"), list):
        files.update(str(f) for f in info["files"])
    outputs = info.get("outputs") or {}
    files.update(str(outputs[k]) for k in ("ipynb", "html", "docx", "pdf", "thumbnail") if outputs.get(k))
    files.update(str(f) for f in outputs.get("figures") or [])
    return files


def replace_refusal(run_dir: Path) -> str | None:
    """Why the runner may not replace ``run_dir`` (None when it may, or it does not exist).

    Only a folder that a run created -- recognised by its ``run.json`` -- and that holds
    nothing but what that run wrote may be replaced; anything else might be a user's.
    """
    if not run_dir.exists() and not run_dir.is_symlink():
        return None
    if run_dir.is_symlink() or not run_dir.is_dir():
        return f"{run_dir} exists and is not a report folder"
    info = _read_run_file(run_dir)
    if not _is_run_info(info):
        return (f"{run_dir} exists and was not created by cchc report (it has no run.json of a run); "
                "the runner only replaces folders it created")
    known = _run_files(info)  # type: ignore[arg-type]
    foreign: list[str] = []
    for f in run_dir.rglob("*"):  # lazily: stop at the third stranger
        rel = f.relative_to(run_dir).as_posix()
        if f.is_dir() and not f.is_symlink():
            if not any(k.startswith(rel + "/") for k in known):
                foreign.append(rel + "/")
        elif rel not in known:
            foreign.append(rel)
        if len(foreign) >= 3:
            break
    if foreign:
        return (f"{run_dir} holds files its run did not write ({', '.join(sorted(foreign))}); the runner replaces a "
                "report folder as a whole, so move them out first")
    return None


def _run_state(run_dir: Path, params: dict, sha: str, html: bool = True, documents: tuple = ()) -> str:
    info = _read_run_file(run_dir)
    if not _is_run_info(info) or info.get("status") != STATUS_OK:  # type: ignore[union-attr]
        return "run"
    outputs = info.get("outputs") or {}  # type: ignore[union-attr]
    if html and not outputs.get("html"):
        return "run"
    if any(not outputs.get(d) for d in documents):  # a Word or PDF version asked for now
        return "run"
    files = [outputs.get("ipynb"), outputs.get("html"), *(outputs.get(d) for d in documents)]
    files += list(outputs.get("figures") or [])
    if not all((run_dir / f).is_file() for f in files if f):
        return "run"
    if info.get("notebook_sha256") != sha or info.get("parameters") != _json_safe(params):  # type: ignore[union-attr]
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


# --------------------------------------------------------------------------- folders

_BUILTIN_FIELDS = ("notebook_stem", "province_code", "province_slug", "province_name", "index", "params")
_MAX_SLUG = 40


def _value_slug(value: Any) -> str:
    """A parameter value as a short, safe folder-name part."""
    if value is None or value == "" or value == [] or value == {}:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        text = "-".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = "-".join(f"{k}-{v}" for k, v in value.items())
    else:
        text = str(value)
    slug = slugify(text)
    if len(slug) > _MAX_SLUG:  # keep it short, and different values different
        digest = hashlib.sha256(json.dumps(_json_safe(value), sort_keys=True).encode()).hexdigest()[:8]
        slug = slug[: _MAX_SLUG - 9].rstrip("-") + "-" + digest
    return slug


def _label_value(value: Any) -> str:
    return "''" if value == "" else str(value)


def _default_value(param: NotebookParameter) -> tuple[bool, Any]:
    try:
        return True, ast.literal_eval(param.default)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def _is_default(value: Any, param: NotebookParameter) -> bool:
    ok, default = _default_value(param)
    if not ok:
        return False
    if isinstance(value, bool) or isinstance(default, bool):
        return value is default
    return _json_safe(value) == _json_safe(default)


def _check_template(template: str, declared: Mapping[str, NotebookParameter]) -> None:
    """Placeholders known, braces balanced; a ParameterError naming --template otherwise."""
    import difflib
    import string

    names = (*_BUILTIN_FIELDS, *declared)
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ParameterError(
            f"--template {template!r}: {exc}; placeholders are written {{name}} and a literal brace doubled "
            f"({{{{ or }}}}); e.g. --template '{{notebook_stem}}/{{province_code}}-{{province_slug}}'"
        ) from None
    for _, field, spec, conv in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conv:
            raise ParameterError(
                f"--template {template!r}: placeholder {{{field}{'!' + conv if conv else ''}{':' + spec if spec else ''}}} "
                f"is not a plain name; use one of {', '.join('{' + n + '}' for n in names)}"
            )
        if field not in names:
            close = difflib.get_close_matches(field, names, n=2)
            hint = f" Did you mean {', '.join('{' + c + '}' for c in close)}?" if close else ""
            raise ParameterError(
                f"--template {template!r} names {{{field}}}, which is neither a parameter of the notebook nor one "
                f"of {', '.join('{' + n + '}' for n in _BUILTIN_FIELDS)}.{hint}"
            )
    if not template.strip():
        raise ParameterError("--template is empty; give a folder under --out, e.g. '{notebook_stem}/{province_code}'")


def _template_dir(rel: str, template: str, out_root: Path) -> Path:
    """``out_root / rel``, refusing anything that is not a folder strictly inside ``out_root``."""
    norm = rel.replace("\\", "/")
    parts = norm.split("/")
    bad = (
        norm.startswith("/") or (len(norm) > 1 and norm[1] == ":")  # absolute, or a Windows drive
        or any(part in ("", ".", "..") for part in parts) or any(part != part.strip() for part in parts)
    )
    if bad:
        raise ParameterError(
            f"--template {template!r} gives the folder {rel!r}: a report folder must be a relative path inside "
            "--out, without empty, '.' or '..' parts, absolute paths or leading/trailing blanks"
        )
    run_dir = (out_root / Path(*parts)).resolve()
    if run_dir == out_root or out_root not in run_dir.parents:
        raise ParameterError(
            f"--template {template!r} gives the folder {run_dir}, which is not inside --out {out_root} "
            "(a link there points elsewhere?)"
        )
    return run_dir


def check_out(out: str | os.PathLike) -> Path:
    """The output root, resolved; a ParameterError when it cannot hold reports.

    A file, a folder that is not writable, or a path whose nearest existing parent is one
    of those is refused before anything runs.
    """
    path = Path(out).expanduser()
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as exc:
        raise ParameterError(f"--out {out}: {exc}") from None
    probe = resolved
    while not probe.exists():
        if probe.is_symlink():
            raise ParameterError(f"--out {out}: {probe} is a dangling link")
        probe = probe.parent
    if not probe.is_dir():
        what = "is a file" if probe == resolved else f"lies under {probe}, which is a file"
        raise ParameterError(f"--out {out} {what}; give a folder for the reports")
    if not os.access(probe, os.W_OK | os.X_OK):
        what = "is not writable" if probe == resolved else f"cannot be created: {probe} is not writable"
        raise ParameterError(f"--out {out} {what}; give a folder you can write to")
    return resolved


# --------------------------------------------------------------------------- the notebook's own checks


def _notebook_check(nb) -> dict | None:
    """Keyword arguments of the notebook's ``nb.parameters(globals(), ...)`` call, or None without one.

    Only the first code cell after the parameters cell is searched, and only literal
    keyword arguments are used (no notebook code runs in the runner).
    """
    cells = list(nb.cells)
    idx = next((i for i, c in enumerate(cells) if "parameters" in (c.get("metadata", {}).get("tags") or [])), None)
    if idx is None:
        return None
    first = next((c for c in cells[idx + 1:] if c.cell_type == "code"), None)
    if first is None:
        return None
    source = "\n".join(
        ln for ln in str(first.source).splitlines() if not ln.lstrip().startswith(("%", "!"))  # IPython magics
    )
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name != "parameters" or not node.args:
            continue
        arg = node.args[0]
        if not (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "globals"):
            continue
        kwargs = {}
        for kw in node.keywords:
            if kw.arg is None:
                return None
            try:
                kwargs[kw.arg] = ast.literal_eval(kw.value)
            except ValueError:
                return None  # computed arguments: cannot reproduce the check outside the kernel
        return kwargs
    return None


def _validate_runs(runs: list, declared: Mapping[str, NotebookParameter], kwargs: dict,
                   figures_param: str | None, nb_path: Path) -> None:
    """Run the notebook's own ``nb.parameters`` check on every run's values, in this process."""
    from cchc_analysis.notebook import NotebookParameterError, parameters

    defaults = {}
    for name, param in declared.items():
        ok, value = _default_value(param)
        if ok:
            defaults[name] = value
    seen: set[str] = set()
    for run in runs:
        namespace = {**defaults, **run.params}
        if figures_param:
            namespace[figures_param] = FIGURES_DIRNAME
        key = json.dumps(_json_safe(namespace), sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        try:
            parameters(namespace, **kwargs)
        except NotebookParameterError as exc:
            raise ParameterError(
                f"run {run.index + 1} ({run.label}): {exc} [checked by {nb_path.name}'s first cell, nb.parameters]"
            ) from None
        except TypeError as exc:  # the notebook passes a keyword this version does not know
            raise ParameterError(f"{nb_path.name}: its nb.parameters(...) call does not fit this package: {exc}") from None


# --------------------------------------------------------------------------- plan_batch


def plan_batch(
    notebook: str | os.PathLike,
    params: Mapping[str, Any] | None = None,
    *,
    out: str | os.PathLike | None = None,
    template: str | None = None,
    boundaries: str | None = None,
    force: bool = False,
    figures_param: str | None = "figures_dir",
    html: bool = True,
    validate: bool = True,
    documents: tuple[str, ...] | list[str] = (),
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
    out : output root (default ``config.REPORTS_DIR``); refused when it is a file or not
        writable.
    template : run folder relative to ``out``; placeholders ``{notebook_stem}``,
        ``{province_code}``, ``{province_slug}``, ``{province_name}``, ``{index}``,
        ``{params}`` (the non-default parameters, as in the default folder names) and every
        parameter name (slugged).  It must stay inside ``out`` (no ``.``, ``..`` or
        absolute parts).  Default: ``{notebook_stem}/{province_code}-{province_slug}``
        (``{notebook_stem}/default`` without a province), plus ``__name-value`` for every
        parameter given a value other than the notebook's default.
    boundaries : ``"legacy"`` (63 provinces) or ``"2025"`` (34 units) for ``province``;
        passed to the notebook's ``boundaries`` parameter, which must exist for
        ``"2025"``.  Default: ``params["boundaries"]`` or ``"legacy"``.
    force : re-run runs that are already complete.
    figures_param : the notebook parameter that receives the run's ``figures/`` folder
        (when declared and not given explicitly).
    html : HTML reports wanted: a complete run without one is run again.
    documents : "docx" and/or "pdf" wanted too: a complete run without them is run again.
    validate : run the notebook's own parameter check (its ``nb.parameters(globals())``
        call, see :func:`cchc_analysis.notebook.parameters`) on every run's values here,
        before any kernel starts.

    Raises
    ------
    ParameterError
        before anything runs: a name the parameters cell does not declare, a value of the
        wrong type or refused by the notebook's own check, a template leaving ``out`` or
        a run folder the runner did not create (it would be replaced), an unusable ``out``.
    FileNotFoundError
        when the notebook does not exist.
    """
    from cchc_analysis import config

    nb_path = Path(notebook).resolve()
    if not nb_path.is_file():
        raise FileNotFoundError(f"notebook not found: {notebook}")
    out_root = check_out(out if out is not None else config.REPORTS_DIR)
    nb = _load_notebook(nb_path)
    declared = notebook_parameters(nb)
    params = dict(params or {})

    for name in params:
        if name not in declared:
            raise ParameterError(_unknown_message(name, declared, nb_path))

    # boundaries: one per batch; the notebook must be able to receive it
    given = params.get("boundaries")
    if isinstance(given, (list, tuple)):
        raise ParameterError("parameter 'boundaries' takes one value per batch ('legacy' or '2025'), not a list")
    if given is not None and boundaries is not None and str(given) != str(boundaries):
        raise ParameterError(f"--boundaries {boundaries} and -p boundaries {given} disagree; give one of them")
    bset = str(given if given is not None else boundaries if boundaries is not None else "legacy")
    if bset not in ("legacy", "2025"):
        raise ParameterError(f"boundaries must be 'legacy' or '2025', got {bset!r}")
    if "boundaries" in declared:
        if given is not None or boundaries is not None:
            params["boundaries"] = bset
    elif bset != "legacy":
        raise ParameterError(
            f"{nb_path.name} declares no 'boundaries' parameter, so it can only render legacy provinces (a 2025 "
            f"name would resolve to the legacy unit of that name); run it without --boundaries {bset}, or add "
            f"`boundaries: str = \"legacy\"` to its parameters cell and handle {bset!r} there"
        )

    # province axis
    provinces: list = []
    if "province" in params:
        provinces = _expand_province(params.pop("province"), bset)
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
            default_province = _expand_province(ast.literal_eval(declared["province"].default), bset)[0]
        except Exception:
            default_province = None

    names = list(axes)
    n_runs = max(len(provinces), 1)
    for n in names:
        n_runs *= len(axes[n])
    if n_runs > MAX_RUNS:
        raise ParameterError(f"the parameters make {n_runs:,} runs; the limit is {MAX_RUNS:,}: is a list too long?")
    varying = [n for n, vs in axes.items() if len(vs) > 1]
    if template is not None:
        _check_template(template, declared)
    combos = list(itertools.product(provinces or [default_province], *[axes[n] for n in names]))
    sha = _sha256(nb_path)
    runs: list[Run] = []
    seen: dict[Path, int] = {}
    order = [n for n in declared if n in names and n != figures_param]  # parameters-cell order
    for i, combo in enumerate(combos):
        unit, values = combo[0], dict(zip(names, combo[1:]))
        run_params = dict(values)
        if provinces:
            run_params = {"province": unit.name, **run_params}
        shown = [n for n in order if not _is_default(values[n], declared[n]) or n in varying]
        suffix = "__".join(f"{n}-{_value_slug(values[n])}" for n in shown)
        fields = {n: _value_slug(v) for n, v in values.items()}
        fields.update(
            notebook_stem=nb_path.stem,
            index=f"{i + 1:03d}",
            province_code=unit.code if unit else "default",
            province_slug=slugify(unit.name_ascii) if unit else "default",
            province_name=unit.name if unit else "default",
            params=suffix or "default",
        )
        for n, param in declared.items():  # a declared parameter not given: its default
            if n not in fields:
                ok, value = _default_value(param)
                fields[n] = _value_slug(value) if ok else "default"
        if template is not None:
            tmpl = template
        elif unit is not None:
            tmpl = "{notebook_stem}/{province_code}-{province_slug}" + ("__{params}" if suffix else "")
        else:
            tmpl = "{notebook_stem}/{params}"
        rel = tmpl.format(**fields)
        run_dir = _template_dir(rel, template or tmpl, out_root)
        if run_dir in seen:
            raise ParameterError(
                f"runs {seen[run_dir] + 1} and {i + 1} would both write {run_dir}; add a placeholder for "
                f"the varying parameters to --template (e.g. {{{varying[0] if varying else 'params'}}})"
            )
        seen[run_dir] = i
        label_bits = [f"{unit.code} {unit.name}"] if unit else []
        label_bits += [f"{n}={_label_value(values[n])}" for n in shown]
        label = ", ".join(label_bits) or nb_path.stem
        runs.append(Run(i, run_params, run_dir, label, unit.code if unit else None, unit.name if unit else None,
                        _run_state(run_dir, run_params, sha, html, tuple(documents))))
    batch = Batch(nb_path, out_root, runs, declared, fig_param, sha, force)
    for run in batch.pending:  # nothing a user made is ever replaced
        why = replace_refusal(run.out_dir)
        for parent in run.out_dir.parents:  # nor put inside another report (it would no longer be replaceable)
            if parent == out_root or why:
                break
            if _is_run_info(_read_run_file(parent)):
                why = f"{run.out_dir} would be inside the report folder {parent} of another run"
        if why:
            raise ParameterError(f"run {run.index + 1} ({run.label}): {why}; choose another --out or --template")
    if validate:
        kwargs = _notebook_check(nb)
        if kwargs is not None:
            _validate_runs(batch.runs, declared, kwargs, fig_param, nb_path)
    return batch


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
