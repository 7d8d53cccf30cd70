"""``cchc extract``: draft a targets table from plan files, for a person to review.

::

    cchc extract PLAN [PLAN ...] [--province P] [--year Y] [--out FILE.csv] [--force]

Reads ``.txt`` (UTF-8), ``.docx`` (python-docx; tables become ``a | b | c`` lines) and
``.pdf`` (pypdf text layer) files, runs :func:`cchc_analysis.extract.extract_targets` on each
and writes one CSV: the columns of the curated ``targets.csv`` plus ``is_baseline``,
``evidence_text`` (the passage the offsets point at, so PDF and Word files can be checked
without re-extracting their text) and an empty ``review`` column.  The file is UTF-8 with a
byte-order mark so that Excel shows Vietnamese correctly; without ``--out`` the CSV goes to
standard output.

An existing ``--out`` file is never replaced unless ``--force`` is given; then the old file
is kept as a numbered backup (``FILE.csv.bak``, then ``FILE.csv.1.bak``, ``FILE.csv.2.bak`` …; an
existing backup is never overwritten, and after 100 the command refuses).  The CSV is written to a temporary file in the same folder and
moved into place with :func:`os.replace`, so a failure never leaves half a file.

The lead's ``cchc`` command calls :func:`register`; until then use
``python -m cchc_analysis.cli.extract PLAN ...``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

__all__ = ["PlanReadError", "read_plan_text", "register", "run", "main"]

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
DESCRIPTION = (
    "Draft a targets table from plan files (.txt, .docx, .pdf) for a person to review: one row per "
    "quantitative target or quoted baseline, with the passage it comes from."
)
REVIEW_COLUMNS = ("evidence_text", "review")


class PlanReadError(ValueError):
    """A plan file could not be read as text.  The message names the file and a fix."""


def _read_txt(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanReadError(
            f"{path}: not UTF-8 text (byte {exc.start} cannot be decoded). Save the file as UTF-8 "
            "(older Vietnamese encodings such as TCVN3/ABC or VNI must be converted to Unicode first, "
            "e.g. with UniKey's converter)."
        ) from None


def _read_docx(path: Path) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise PlanReadError(f"{path}: reading .docx needs python-docx (pip install python-docx)") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for non-docx input
        raise PlanReadError(f"{path}: not a readable .docx file ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            _table_lines(Table(child, document), lines, depth=0)
    return "\n".join(lines)


#: Tables inside table cells deeper than this are read as text only (a hostile file cannot
#: make the reader recurse without end).
MAX_TABLE_DEPTH = 8


def _table_lines(table, lines: list[str], *, depth: int) -> None:
    """One ``a | b | c`` line per row; a table nested in a cell follows its row, so targets in
    nested tables are read too."""
    for row in table.rows:
        cells: list[str] = []
        nested: list = []
        seen: set[int] = set()
        for cell in row.cells:  # merged cells repeat: keep one copy
            text = " ".join(p.text for p in cell.paragraphs).replace("\n", " ").strip()
            if not cells or cells[-1] != text:
                cells.append(text)
            for inner in cell.tables:
                if id(inner._tbl) not in seen:
                    seen.add(id(inner._tbl))
                    nested.append(inner)
        lines.append(" | ".join(cells))
        for inner in nested:
            if depth + 1 < MAX_TABLE_DEPTH:
                _table_lines(inner, lines, depth=depth + 1)
            else:
                lines.append(" ".join(c.text.replace("\n", " ") for r in inner.rows for c in r.cells))
    lines.append("")


def _read_pdf(path: Path) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise PlanReadError(f"{path}: reading .pdf needs pypdf (pip install pypdf)") from exc
    import logging

    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)  # pypdf logs warnings such as "EOF marker not found"; we raise instead
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PlanReadError(f"{path}: the PDF is password-protected; save an unprotected copy first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanReadError:
        raise
    except DependencyError as exc:
        # an AES-encrypted PDF (even one that opens without a password) needs the cryptography package
        raise PlanReadError(
            f"{path}: the PDF is encrypted with AES and reading it needs the 'cryptography' package "
            f"({exc}). Fix: pip install 'cryptography>=42' (it is a dependency of cchc-analysis; reinstall the package)."
        ) from None
    except (PdfReadError, ValueError, OSError, KeyError) as exc:
        raise PlanReadError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from None
    finally:
        log.setLevel(level)
    return "\n".join(pages)


def read_plan_text(path: str | os.PathLike) -> str:
    """The text of a plan file (.txt, .docx or .pdf).

    Raises
    ------
    PlanReadError
        naming the file: missing, unsupported type, undecodable or without any text
        (for example a scanned PDF, which needs OCR first).
    """
    path = Path(path)
    if not path.exists():
        raise PlanReadError(f"{path}: no such file")
    if not path.is_file():
        raise PlanReadError(f"{path}: not a file")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = _read_txt(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    elif suffix == ".pdf":
        text = _read_pdf(path)
    elif suffix == ".doc":
        raise PlanReadError(f"{path}: old Word .doc files are not supported; save it as .docx or .pdf")
    else:
        raise PlanReadError(f"{path}: unsupported file type {suffix!r}; use .txt (UTF-8), .docx or .pdf")
    if not text.strip():
        hint = " (a scanned PDF has no text layer: run OCR first)" if suffix == ".pdf" else ""
        raise PlanReadError(f"{path}: the file contains no text{hint}")
    return text


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plans", nargs="+", type=Path, metavar="PLAN", help="plan files: .txt (UTF-8), .docx or .pdf")
    parser.add_argument("--province", help="province of the plans (any spelling, e.g. 'Quảng Nam'); default: inferred per file")
    parser.add_argument("--year", help="plan year (2024) or period (2021-2025); default: inferred per file")
    parser.add_argument("--out", type=Path, help="CSV file to write (default: standard output)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file, keeping it as a numbered backup (FILE.bak, FILE.1.bak …)")


def register(subparsers) -> None:
    """Add the ``extract`` sub-command to an ``argparse`` sub-parser collection."""
    parser = subparsers.add_parser(
        "extract",
        help="draft a targets CSV from plan files for review",
        description=DESCRIPTION,
    )
    _add_arguments(parser)
    parser.set_defaults(func=run)


def _err(msg: str) -> None:
    print(f"cchc extract: error: {msg}", file=sys.stderr)


#: How many numbered backups (FILE.bak, FILE.1.bak … FILE.N.bak) --force keeps before it refuses.
MAX_BACKUPS = 100


def backup_path(out: Path) -> Path | None:
    """The first free backup name for ``out``: FILE.bak, then FILE.1.bak, FILE.2.bak …; None
    when all :data:`MAX_BACKUPS` exist."""
    for k in range(MAX_BACKUPS + 1):
        candidate = out.with_name(out.name + (".bak" if k == 0 else f".{k}.bak"))
        if not candidate.exists():
            return candidate
    return None


def _keep_backup(out: Path) -> Path:
    """Copy ``out`` to a new numbered backup; never overwrites an existing backup."""
    while True:
        target = backup_path(out)
        if target is None:
            raise FileExistsError(
                f"{out.name}.bak … {out.name}.{MAX_BACKUPS}.bak all exist; move or delete old backups, or write to another --out"
            )
        try:
            with open(out, "rb") as src, open(target, "xb") as dst:  # "x": fails if it appeared meanwhile
                shutil.copyfileobj(src, dst)
        except FileExistsError:
            continue
        shutil.copystat(out, target)
        return target


def _write_atomic(frame, out: Path, *, force: bool) -> Path | None:
    """Write ``frame`` to ``out`` via a temporary file; return the backup path if one was made."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    backup = None
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            frame.to_csv(fh, index=False, lineterminator="\n")
            fh.flush()
            os.fsync(fh.fileno())
        if out.exists():
            if not force:  # checked before, but the file may have appeared since
                raise FileExistsError(out)
            backup = _keep_backup(out)
            shutil.copymode(out, tmp)
        else:  # mkstemp makes the file private (0600); give it the usual permissions
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return backup


def run(args: argparse.Namespace) -> int:
    """Run ``cchc extract``; return the exit status (0 ok, 2 usage or input error)."""
    from ..extract import EXTRACT_COLUMNS, _parse_plan_year, extract_targets
    from ..provinces import UnknownProvinceError, resolve_province

    province = None
    if args.province:
        try:
            province = resolve_province(args.province).name
        except UnknownProvinceError as exc:
            _err(f"--province: {exc}")
            return 2
    try:
        _parse_plan_year(args.year)
    except ValueError as exc:
        _err(f"--year: {exc}")
        return 2
    out: Path | None = args.out
    if out is not None:
        if out.exists() and out.is_dir():
            _err(f"--out {out} is a folder; give a file name such as {out / 'targets_draft.csv'}")
            return 2
        if out.exists() and not args.force:
            _err(f"{out} already exists; pass --force to replace it (the old file is kept as a numbered backup, {out.name}.bak, {out.name}.1.bak …)")
            return 2
        if out.exists() and backup_path(out) is None:
            _err(f"{out}: {out.name}.bak … {out.name}.{MAX_BACKUPS}.bak all exist; move or delete old backups, or write to another --out")
            return 2
        if any(out.resolve() == Path(p).resolve() for p in args.plans):
            _err(f"--out {out} is one of the input files")
            return 2
    texts: list[tuple[Path, str]] = []
    problems: list[str] = []
    for path in args.plans:
        try:
            texts.append((path, read_plan_text(path)))
        except PlanReadError as exc:
            problems.append(str(exc))
    if problems:
        for p in problems:
            _err(p)
        return 2

    import pandas as pd

    frames = []
    for path, text in texts:
        df = extract_targets(text, province=province, plan_year=args.year, document_id=path.stem, source_file=path.name)
        df["evidence_text"] = [
            " ".join(text[int(a) : int(b)].split()) for a, b in zip(df["evidence_start"], df["evidence_end"])
        ]
        df["review"] = ""
        frames.append(df)
        if df.empty:
            print(f"cchc extract: {path}: no quantitative targets found", file=sys.stderr)
    columns = list(EXTRACT_COLUMNS) + list(REVIEW_COLUMNS)
    frames = [f for f in frames if not f.empty]
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    result = result[columns]
    n_base = int(result["is_baseline"].astype(bool).sum()) if len(result) else 0
    summary = f"{len(result)} rows ({len(result) - n_base} targets, {n_base} baselines) from {len(texts)} file(s)"
    if out is None:
        result.to_csv(sys.stdout, index=False, lineterminator="\n")
        print(f"cchc extract: {summary}", file=sys.stderr)
        return 0
    try:
        backup = _write_atomic(result, out, force=args.force)
    except FileExistsError as exc:
        _err(f"{out}: {exc}" if str(exc) != str(out) else f"{out} appeared while extracting; pass --force to replace it")
        return 2
    except OSError as exc:
        _err(f"cannot write {out}: {exc}")
        return 2
    note = f"; previous file kept as {backup}" if backup else ""
    print(f"cchc extract: {summary} -> {out}{note}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m cchc_analysis.cli.extract PLAN ...``."""
    parser = argparse.ArgumentParser(prog="cchc extract", description=DESCRIPTION)
    _add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
