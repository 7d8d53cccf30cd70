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

#: The index page's own words, in both languages.
INDEX_TEXT: dict[str, dict[str, str]] = {
    "title": {"vi": "Báo cáo CCHC", "en": "CCHC reports"},
    "reports": {"vi": "{n} báo cáo", "en": "{n} reports"},
    "report_one": {"vi": "1 báo cáo", "en": "1 report"},
    "written": {"vi": "trang lập lúc {when}", "en": "index written {when}"},
    "filter": {"vi": "Lọc theo tỉnh hoặc tên báo cáo", "en": "Filter by province or report title"},
    "filter_hint": {"vi": "tên cũ hoặc tên từ 1/7/2025, có dấu hoặc không dấu",
                    "en": "legacy or 2025 names, with or without diacritics"},
    "no_match": {"vi": "Không có báo cáo nào khớp.", "en": "No report matches."},
    "no_figure": {"vi": "không có hình", "en": "no figure"},
    "report": {"vi": "báo cáo", "en": "report"},
    "notebook": {"vi": "notebook", "en": "notebook"},
    "cell": {"vi": "ô {n}", "en": "cell {n}"},
    "ok": {"vi": "hoàn tất", "en": "ok"},
    "failed": {"vi": "lỗi", "en": "failed"},
    "timeout": {"vi": "quá thời gian", "en": "timeout"},
    "error": {"vi": "lỗi hệ thống", "en": "error"},
    "skipped": {"vi": "bỏ qua", "en": "skipped"},
}


def _when(lang: str) -> str:
    from ..formatting import format_date

    now = _dt.datetime.now().astimezone()
    return f"{now:%H:%M} {format_date(now, lang)}"


def _search_names(code: str | None) -> list[str]:
    """Every name a reader may type for a province: legacy name, English and ASCII names,
    aliases, and the 2025 unit it became part of (with its names)."""
    if not code:
        return []
    from ..provinces import UnknownProvinceError, resolve_province, successor

    try:
        unit = resolve_province(code)
    except (UnknownProvinceError, ValueError, KeyError):
        return [code]
    names = [unit.name, unit.name_en, unit.name_ascii, unit.full_name, code]
    try:
        succ = successor(unit)
        names += [succ.name, succ.name_en, succ.name_ascii, succ.full_name]
    except (KeyError, ValueError):
        pass
    return list(dict.fromkeys(n for n in names if n))


def _entry_title(info: dict, lang: str, fallback: str) -> str:
    outputs = info.get("outputs") or {}
    if outputs.get("title"):
        return outputs["title"]
    from ..page import REPORT_KINDS, report_title

    kind = info.get("notebook_stem")
    if kind in REPORT_KINDS:  # a run without a header (failed early): its title from its parameters
        params = dict(info.get("parameters") or {})
        try:
            return report_title(kind, lang, **params)
        except Exception:  # noqa: BLE001 - a label is enough
            return fallback
    return fallback


def _index_entries(out: Path, extra: Iterable[RunResult] = (), lang: str = "en") -> list[dict]:
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

        code = (info.get("province") or {}).get("code") or ""
        label = info.get("label") or rel
        title = outputs.get("title") or None  # else titled from its parameters in the page's language
        entries.append({
            "group": info.get("notebook_stem") or rel_parts[0],
            "label": label,
            "title": title,
            "lang": outputs.get("lang") or "",
            "status": info.get("status", "?"),
            "html": link(outputs.get("html")),
            "ipynb": link(outputs.get("ipynb")),
            "docx": link(outputs.get("docx")),
            "pdf": link(outputs.get("pdf")),
            "thumbnail": link(outputs.get("thumbnail")),
            "cell": info.get("failed_cell"),
            "error": (info.get("error") or "").splitlines()[0][:200] if info.get("error") else "",
            "duration": info.get("duration_s"),
            "started": info.get("started", ""),
            "code": code,
            "search": " ".join([title or "", label, *_search_names(code)]),
            "dir": rel,
            "info": info,
        })
    for r in extra:
        code = r.run.province_code or ""
        entries.append({
            "group": Path(r.run.out_dir).parent.name, "label": r.run.label, "title": r.run.label, "lang": "",
            "status": r.status, "html": None, "ipynb": None, "docx": None, "pdf": None, "thumbnail": None,
            "cell": r.failed_cell, "error": r.error.splitlines()[0][:200] if r.error else "",
            "duration": round(r.duration, 3), "started": "", "code": code,
            "search": " ".join([r.run.label, *_search_names(code)]), "dir": "",
            "info": {"notebook_stem": Path(r.run.out_dir).parent.name, "parameters": r.run.params},
        })
    entries.sort(key=lambda e: (e["group"], e["code"], e["title"] or "", e["label"]))
    return entries


def write_index(out: str | os.PathLike, *, extra: Iterable[RunResult] = (), title: str | None = None,
                lang: str | None = None) -> Path:
    """Write ``{out}/index.html``: every report under ``out``, grouped by notebook.

    Each card shows the report's human title with its parameters ("Xu hướng PCI
    2006–2019"), a thumbnail, its status and links (HTML, Word, PDF, notebook); a filter
    box finds provinces by any legacy or 2025 name, with or without diacritics; the top
    line counts the reports by status.  ``lang`` ("vi"/"en") is the page's language
    (default: the language most reports are in); ``title`` overrides its heading.
    ``extra`` adds runs that left no ``run.json`` (a crashed worker).  Written atomically.
    """
    from importlib import resources

    import jinja2

    from ..page import PAGE_TEXT, REPORT_KINDS

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    entries = _index_entries(out, extra, lang or "en")
    if lang is None:
        langs = [e["lang"] for e in entries if e["lang"]]
        lang = max(("vi", "en"), key=langs.count) if langs else "en"
    for e in entries:  # a report without a header (failed early) is titled in the page's language
        if not e["title"]:
            e["title"] = _entry_title(e["info"], lang, e["label"])
            e["search"] = f"{e['title']} {e['search']}"
    words = {k: v[lang] for k, v in INDEX_TEXT.items()}
    groups: dict[str, dict] = {}
    for e in entries:
        g = e["group"]
        name = PAGE_TEXT[f"group_{g}"][lang] if g in REPORT_KINDS else g
        groups.setdefault(g, {"name": name, "entries": []})["entries"].append(e)
    counts: dict[str, int] = {}
    for e in entries:
        counts[e["status"]] = counts.get(e["status"], 0) + 1
    total = len(entries)
    text = resources.files("cchc_analysis").joinpath("templates/index.html").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    html_text = env.from_string(text).render(
        title=title or words["title"], groups=groups, counts=counts, total=total, lang=lang, words=words,
        total_text=words["report_one"] if total == 1 else words["reports"].format(n=total),
        generated=words["written"].format(when=_when(lang)),
        status_word=lambda s: words.get(s, s),
    )
    path = out / "index.html"
    _atomic_write_text(path, html_text)
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
