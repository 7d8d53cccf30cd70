"""Publish a batch: the HTML export of an executed notebook and the index page of all reports."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .plan import RUN_FILE, _atomic_write_text, _read_run_file

if TYPE_CHECKING:  # pragma: no cover
    from .run import RunResult

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
    text = resources.files("cchc_analysis").joinpath("templates/index.html").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    html = env.from_string(text).render(
        title=title, groups=groups, counts=counts, total=len(entries),
        generated=_dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    )
    path = out / "index.html"
    _atomic_write_text(path, html)
    return path
