"""Publish a batch: the HTML export of an executed notebook and the index page of all reports."""

from __future__ import annotations

import datetime as _dt
import html
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .plan import RUN_FILE, _atomic_write_text, _read_run_file

if TYPE_CHECKING:  # pragma: no cover
    from .run import RunResult

_EXPORTER = None

#: Cells with this tag are for JupyterLab users (how to change a parameter ...): not in reports.
NOTEBOOK_ONLY_TAG = "notebook-only"


def _template_dir() -> str:
    from importlib import resources

    return str(resources.files("cchc_analysis").joinpath("templates"))


def _html_exporter():
    """One HTMLExporter per process (the ``report`` template: no code, prompts or warnings), warmed up."""
    global _EXPORTER
    if _EXPORTER is None:
        import nbformat
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        exporter = HTMLExporter(
            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True,
            template_name="report", extra_template_basedirs=[_template_dir()],
        )
        exporter.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags={NOTEBOOK_ONLY_TAG}, enabled=True), enabled=True)
        exporter.from_notebook_node(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm-up")]))
        _EXPORTER = exporter
    return _EXPORTER


def report_info(nb) -> dict:
    """What the report's own outputs say about it: ``lang``, ``title``, ``kind`` (from
    :func:`cchc_analysis.page.header`), key ``messages``; empty when the notebook has no header."""
    info: dict = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            meta = (out.get("metadata") or {}).get("cchc") or {}
            role = meta.get("role")
            if role == "header" and "title" not in info:
                info.update(lang=meta.get("lang"), title=meta.get("title"), kind=meta.get("kind"))
            elif role == "messages" and "messages" not in info:
                info["messages"] = list(meta.get("messages") or [])
    return info


_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)(?:<a class="anchor-link"[^>]*>[^<]*</a>)?</h2>', re.S)
_TAG = re.compile(r"<[^>]+>")


def _nav_html(body: str, lang: str, index_href: str | None) -> str:
    from ..page import PAGE_TEXT

    words = {k: PAGE_TEXT[k][lang if lang in ("vi", "en") else "en"] for k in ("back_to_index", "contents")}
    parts = []
    if index_href:
        parts.append(f'<a class="back" href="{html.escape(index_href)}">{html.escape(words["back_to_index"])}</a>')
    items = [(anchor, _TAG.sub("", text).strip()) for anchor, text in _H2.findall(body)]
    if items:
        links = "".join(f'<li><a href="#{html.escape(a, quote=True)}">{t}</a></li>' for a, t in items)
        parts.append(f'<span class="toc"><span class="toc-title">{html.escape(words["contents"])}:</span> '
                     f"<ol>{links}</ol></span>")
    return "".join(parts)


def render_html(nb, *, title: str | None = None, index_href: str | None = None) -> tuple[str, dict]:
    """The reader's HTML page of an executed notebook, and :func:`report_info` of it.

    No code cells, prompts, warnings (stderr) or cells tagged ``notebook-only``; images
    embedded, with the alt text of their caption file; ``<html lang>`` and ``<title>`` from
    the report's header; a navigation bar with a link back to ``index_href`` and a table of
    contents of the ``##`` headings.
    """
    info = report_info(nb)
    lang = info.get("lang") or "en"
    title = info.get("title") or title or "report"
    resources = {"metadata": {"name": title}}
    body, _ = _html_exporter().from_notebook_node(nb, resources=resources)
    body = re.sub(r'<html lang="[^"]*">', f'<html lang="{lang}">', body, count=1)
    body = re.sub(r"<title>.*?</title>", f"<title>{html.escape(title)}</title>", body, count=1, flags=re.S)
    body = body.replace("<!--cchc-nav-->", _nav_html(body, lang, index_href), 1)
    return body, info


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


# --------------------------------------------------------------------------- one report's files


def _index_href(out: str | os.PathLike | None, run_dir: str | os.PathLike) -> str | None:
    """The link from a report in ``run_dir`` back to ``{out}/index.html`` (relative), or None."""
    if not out:
        return None
    return os.path.relpath(Path(out) / "index.html", Path(run_dir)).replace(os.sep, "/")


def write_report_files(nb, folder: str | os.PathLike, *, stem: str, label: str = "", html: bool = True,
                       documents: Iterable[str] = (), index_href: str | None = None) -> dict:
    """Write ``{stem}.html`` (and ``{stem}.docx``/``{stem}.pdf`` for ``documents``) into ``folder``.

    Returns
    -------
    dict for ``run.json``'s outputs: ``html``, ``docx``, ``pdf`` (file names), ``title`` and
    ``lang`` of the report (from its header), when present.
    """
    folder = Path(folder)
    outputs: dict = {}
    body, info = render_html(nb, title=f"{stem} — {label}" if label else stem, index_href=index_href)
    if html:
        path = folder / f"{stem}.html"
        _atomic_write_text(path, body)
        outputs["html"] = path.name
    for key in ("title", "lang", "kind"):
        if info.get(key):
            outputs[key] = info[key]
    documents = tuple(documents)
    if documents:
        from .documents import write_documents

        outputs.update(write_documents(nb, folder, stem=stem, formats=documents, info=info))
    return outputs
