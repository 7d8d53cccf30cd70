"""Word and PDF versions of a report, for brief authors: the executed notebook without code.

Both are made from one print page (:func:`document_html`) built from the report's outputs
(:mod:`cchc_analysis.page`): the heading, the key messages, every section heading and note,
every table and every figure -- the 300 dpi PNG that was saved, with its alt text and
numbered caption -- in the report's language.  Left out: code, prompts, warnings, cells
tagged ``notebook-only``, and the links to files (a Word document has no folder beside it).

* ``.docx`` -- converted by `pandoc <https://pandoc.org>`_ (the ``pypandoc_binary`` wheel
  ships it; a ``pandoc`` on the PATH works too): headings become Word headings, tables Word
  tables, figures inline pictures at their print size with their alt text.
* ``.pdf`` -- printed by headless Chromium (``chromium --headless --print-to-pdf``, A4),
  the same browser the tests use; set ``CCHC_CHROMIUM`` to its path if it is not on the PATH.

Examples
--------
>>> write_documents(nb, "reports/x", stem="province_profile", formats=("docx", "pdf"))  # doctest: +SKIP
{'docx': 'province_profile.docx', 'pdf': 'province_profile.pdf'}
"""

from __future__ import annotations

import html as _html
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Iterable

__all__ = ["DOCUMENT_FORMATS", "CHROMIUM_ENV", "document_html", "write_docx", "write_pdf", "write_documents",
           "find_chromium"]

DOCUMENT_FORMATS: tuple[str, ...] = ("docx", "pdf")
CHROMIUM_ENV = "CCHC_CHROMIUM"
NOTEBOOK_ONLY_TAG = "notebook-only"

_PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 18mm 16mm; }
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.45;
       color: #1f2328; margin: 0; }
h1 { font-size: 20pt; margin: 0 0 6pt; line-height: 1.2; }
h2 { font-size: 14pt; margin: 16pt 0 4pt; border-bottom: 0.5pt solid #afb8c1; padding-bottom: 2pt;
     break-after: avoid; }
p { margin: 4pt 0; }
ul { margin: 4pt 0 4pt 14pt; padding: 0; }
table { border-collapse: collapse; font-size: 8.5pt; margin: 6pt 0; break-inside: auto; }
th, td { border-bottom: 0.5pt solid #d0d7de; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #f0f2f4; border-bottom: 1pt solid #8c959f; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
figure { margin: 6pt 0; break-inside: avoid; }
figcaption { font-size: 9pt; color: #57606a; margin-top: 2pt; }
img { max-width: 100%; max-height: 235mm; height: auto; object-fit: contain; }
.note { font-size: 9pt; color: #57606a; }
pre { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; white-space: pre-wrap; }
"""


def _markdown_html(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _strip_links(fragment: str) -> str:
    """Links to files beside the HTML report mean nothing in Word or PDF: drop them (and their separators)."""
    fragment = re.sub(r"\s*·?\s*<a [^>]*href=\"[^\"#][^\"]*\"[^>]*>.*?</a>", "", fragment, flags=re.S)
    return re.sub(r'<p class="cchc-table-note">\s*</p>', "", fragment)


def _print_width_mm(png_b64: str) -> float | None:
    """The printed width of a PNG from its pixel width and its pHYs resolution (save_figure: 300 dpi)."""
    import base64
    import struct

    head = base64.b64decode(png_b64[:2000] + "=" * (-len(png_b64[:2000]) % 4))
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    width = struct.unpack(">I", head[16:20])[0]
    at = head.find(b"pHYs")
    if at < 0:
        return None
    ppx, _, unit = struct.unpack(">IIB", head[at + 4:at + 13])
    if unit != 1 or not ppx:  # pixels per metre
        return None
    return width / ppx * 1000


def _output_html(out: dict) -> str:
    kind = out.get("output_type")
    if kind == "stream":
        return "" if out.get("name") == "stderr" else f"<pre>{_html.escape(_text(out.get('text')))}</pre>"
    if kind == "error":
        return f"<pre>{_html.escape(str(out.get('ename')))}: {_html.escape(str(out.get('evalue')))}</pre>"
    data = out.get("data") or {}
    meta = (out.get("metadata") or {}).get("cchc") or {}
    role = meta.get("role")
    if role == "figure-links":
        return ""
    if "image/png" in data:
        alt = meta.get("alt") or _text(data.get("text/plain"))
        png = _text(data["image/png"]).replace("\n", "")
        size = _print_width_mm(png)
        style = f' style="width: {size:.1f}mm"' if size else ""
        return (f'<figure><img src="data:image/png;base64,{png}" alt="{_html.escape(alt, quote=True)}"{style}>'
                "</figure>")
    if "text/html" in data:
        return _strip_links(_text(data["text/html"]))
    if "text/markdown" in data:
        body = _markdown_html(_text(data["text/markdown"]))
        return f'<div class="note">{body}</div>' if role == "caption" else body
    if "text/plain" in data:
        return f"<pre>{_html.escape(_text(data['text/plain']))}</pre>"
    return ""


def document_html(nb, *, info: dict | None = None) -> str:
    """The print page of an executed report notebook: what Word and PDF show, in order.

    Returns
    -------
    str, a complete HTML document (``<html lang>`` of the report, A4 print CSS, images
    embedded as data URIs).
    """
    from .publish import report_info

    info = info if info is not None else report_info(nb)
    lang = info.get("lang") or "en"
    title = info.get("title") or ""
    parts = []
    for cell in nb.cells:
        tags = (cell.get("metadata") or {}).get("tags") or []
        if NOTEBOOK_ONLY_TAG in tags:
            continue
        if cell.get("cell_type") == "markdown":
            parts.append(_markdown_html(_text(cell.get("source"))))
        elif cell.get("cell_type") == "code":
            parts.extend(_output_html(o) for o in cell.get("outputs", []))
    body = "\n".join(p for p in parts if p)
    body = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", body, flags=re.S)
    # a figure keeps its caption (one block on the page; a captioned figure in Word)
    body = re.sub(r'</figure>\s*<div class="note">\s*<p>(.*?)</p>\s*</div>', r"<figcaption>\1</figcaption></figure>",
                  body, flags=re.S)
    return (f'<!DOCTYPE html>\n<html lang="{_html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_html.escape(title)}</title>\n<style>{_PRINT_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _replace_into(path: Path, write) -> Path:
    """Write through ``write(tmp_path)`` to a temporary file beside ``path``, then move it into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")
    try:
        write(tmp)
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise RuntimeError(f"{path.name}: the converter wrote nothing")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def write_docx(nb, path: str | os.PathLike, *, info: dict | None = None) -> Path:
    """Convert the report's print page to Word (pandoc through pypandoc)."""
    try:
        import pypandoc
    except ImportError:
        raise RuntimeError(
            "Word output needs pandoc: pip install 'cchc-analysis[documents]' (the pypandoc_binary wheel ships "
            "pandoc) or conda install -c conda-forge pandoc pypandoc"
        ) from None
    from .publish import report_info

    info = info if info is not None else report_info(nb)
    # without <title>: pandoc would repeat the heading as a Title paragraph
    page = re.sub(r"<title>.*?</title>", "", document_html(nb, info=info), count=1, flags=re.S)
    lang = {"vi": "vi-VN", "en": "en-GB"}.get(info.get("lang") or "en", "en-GB")
    path = Path(path)

    def convert(tmp: Path) -> None:
        try:
            pypandoc.convert_text(page, "docx", format="html", outputfile=str(tmp),
                                  extra_args=["--metadata", f"lang={lang}"], sandbox=True)
        except OSError as exc:  # no pandoc binary
            raise RuntimeError(f"pandoc not found ({exc}): pip install pypandoc_binary") from None

    return _replace_into(path, convert)


def find_chromium() -> str | None:
    """Headless Chromium: ``$CCHC_CHROMIUM``, else chromium / chromium-browser / google-chrome on the PATH."""
    env = os.environ.get(CHROMIUM_ENV, "").strip()
    if env:
        return env if Path(env).is_file() else shutil.which(env)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(nb, path: str | os.PathLike, *, info: dict | None = None, timeout: float = 120) -> Path:
    """Print the report's print page to PDF (A4) with headless Chromium."""
    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError(
            f"PDF output needs headless Chromium: install it (Debian: apt-get install chromium) or set "
            f"{CHROMIUM_ENV}=/path/to/chromium"
        )
    page = document_html(nb, info=info)
    path = Path(path)
    work = Path(tempfile.mkdtemp(prefix="cchc-pdf-"))
    try:
        source = work / "page.html"
        source.write_text(page, encoding="utf-8")

        def convert(tmp: Path) -> None:
            args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-extensions", "--no-pdf-header-footer", f"--user-data-dir={work / 'profile'}",
                    f"--print-to-pdf={tmp}", source.as_uri()]
            res = subprocess.run(args, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
            if res.returncode != 0 and not tmp.is_file():
                raise RuntimeError(f"chromium could not print {path.name}: {res.stderr.strip()[-500:]}")

        return _replace_into(path, convert)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_documents(nb, folder: str | os.PathLike, *, stem: str, formats: Iterable[str] = DOCUMENT_FORMATS,
                    info: dict | None = None) -> dict[str, str]:
    """Write ``{stem}.docx`` and/or ``{stem}.pdf`` into ``folder``; returns format -> file name."""
    from .publish import report_info

    folder = Path(folder)
    info = info if info is not None else report_info(nb)
    out = {}
    for fmt in dict.fromkeys(str(f).lower().lstrip(".") for f in formats):
        if fmt == "docx":
            out["docx"] = write_docx(nb, folder / f"{stem}.docx", info=info).name
        elif fmt == "pdf":
            out["pdf"] = write_pdf(nb, folder / f"{stem}.pdf", info=info).name
        else:
            raise ValueError(f"unknown document format {fmt!r}; choose from {list(DOCUMENT_FORMATS)}")
    return out
