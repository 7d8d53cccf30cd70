"""Integrity of the bundled tables: a checksum per file, checked once per process.

``data/checksums.csv`` (``file``, ``sha256``, ``rows``) is written at the end of every build by
:func:`write_checksums`.  The loaders in :mod:`cchc_analysis.indicators` hash the bytes they
read (about 2 ms for all tables) and compare.  A match costs nothing more.  A difference (a
copy re-saved by Excel, a truncated download, a hand edit, or a rebuild whose checksums were
not refreshed) runs the schema checks on that table, naming the file and the row: zero-padded
province codes, duplicate keys, ranges, unknown codes, components and sources, a cut-off last
line.  A table that passes is used as it is (a stale checksum is not an error; fewer rows than
the build wrote give a :class:`MissingRowsWarning`); one that fails raises
:class:`DataIntegrityError` and nothing is returned.

After changing ``data/`` on purpose, refresh the checksums::

    python -m cchc_analysis.checksums            # writes data/checksums.csv
    python -m cchc_analysis.checksums --check    # exit 1 and list the files that differ
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import warnings
from functools import lru_cache
from pathlib import Path

from . import config
from .schema import INDICATOR_COLUMNS, INDICES, SchemaError

__all__ = ["TABLES", "CHECKSUMS_FILE", "DataIntegrityError", "MissingRowsWarning", "write_checksums",
           "changed_tables", "verify"]

CHECKSUMS_FILE = "checksums.csv"
#: The tables the loaders read, relative to the data folder.
TABLES: tuple[str, ...] = (
    *(f"indicators/{index}.csv" for index in INDICES),
    "indicators/alternatives.csv",
    "aggregates.csv",
    "sources.csv",
    "components.csv",
    "breaks.csv",
)
# Key columns and required (never empty) columns of the other tables.
_KEYS = {
    "aggregates.csv": ("index", "year", "entity", "statistic", "component"),
    "sources.csv": ("source_id",),
    "components.csv": ("index", "component"),
    "breaks.csv": ("index", "component", "year"),
}
_FIX_USER = (
    "The table is read from your data folder (CCHC_DATA_DIR / cchc.set_data_dir): fix the rows above (each "
    "source_id needs a row in your sources.csv or the bundled one), or remove the file to use the bundled table."
)
_FIX = (
    "The file differs from the one the build wrote (checksums.csv). Restore it (`git checkout -- data/` in a "
    "clone of the project) or rebuild data/ (`make data`); if you changed it on purpose, fix the rows above and "
    "refresh the checksums with `python -m cchc_analysis.checksums`."
)


class MissingRowsWarning(UserWarning):
    """A bundled table differs from the build, passes the checks, but has fewer rows."""


class DataIntegrityError(SchemaError):
    """A bundled table differs from the build and breaks the schema; ``problems`` lists each row."""

    def __init__(self, origin: str, problems: list[str], fix: str = _FIX):
        super().__init__(origin, problems)
        self.args = (f"{self.args[0]}\n{fix}",)


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _rows(raw: bytes) -> int:
    return max(sum(1 for _ in csv.reader(io.StringIO(raw.decode("utf-8", errors="replace")))) - 1, 0)


def write_checksums(data_dir: str | Path | None = None) -> list[dict]:
    """Write ``checksums.csv`` for the tables in ``data_dir`` (default: CCHC_DATA_DIR, else ``data/`` of a clone).

    Returns the rows written: file, sha256, rows (data rows, header excluded).  The file is
    replaced atomically; tables that do not exist are left out.
    """
    import tempfile

    folder = Path(data_dir) if data_dir is not None else config.output_data_dir()
    records = []
    for name in TABLES:
        path = folder / name
        if path.is_file():
            raw = path.read_bytes()
            records.append({"file": name, "sha256": _digest(raw), "rows": _rows(raw)})
    fd, tmp = tempfile.mkstemp(prefix=".checksums-", suffix=".csv", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=["file", "sha256", "rows"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(records)
        os.replace(tmp, folder / CHECKSUMS_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _recorded.cache_clear()
    return records


@lru_cache(maxsize=None)
def _recorded(data_dir: str) -> dict[str, tuple[str, int]]:
    path = Path(data_dir) / CHECKSUMS_FILE
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return {r["file"]: (r["sha256"], int(r["rows"])) for r in csv.DictReader(handle)}
    except (OSError, KeyError, ValueError, TypeError):
        return {}  # no or unreadable checksums: every table is validated instead


def changed_tables(data_dir: str | Path | None = None) -> list[str]:
    """Tables whose bytes differ from ``checksums.csv`` (or are not listed in it)."""
    folder = Path(data_dir) if data_dir is not None else config.data_dir()
    recorded = _recorded(str(folder))
    out = []
    for name in TABLES:
        path = folder / name
        if path.is_file() and recorded.get(name, ("", 0))[0] != _digest(path.read_bytes()):
            out.append(name)
    return out


def verify(name: str, raw: bytes, data_dir: str | Path) -> None:
    """Check the bytes of one bundled table (``name`` as in :data:`TABLES`).

    Returns when they match the recorded checksum, or differ but pass the schema checks;
    raises :class:`DataIntegrityError` naming the file and the rows otherwise.
    """
    if _recorded(str(data_dir)).get(name, ("", 0))[0] == _digest(raw):
        return
    origin = str(Path(data_dir) / name)
    problems = _validate(name, raw, Path(data_dir), origin)
    if problems:
        mine = Path(data_dir).resolve() != config.bundled_data_dir().resolve()
        raise DataIntegrityError(origin, problems, _FIX_USER if mine else _FIX)


# --------------------------------------------------------------------------------------------
# validation of a table that differs from the build
# --------------------------------------------------------------------------------------------


def _validate(name: str, raw: bytes, data_dir: Path, origin: str) -> list[str]:
    import pandas as pd

    problems: list[str] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [f"row {line}: not UTF-8 (byte 0x{raw[exc.start]:02X}); the file was re-saved in another encoding"]
    if not text.strip():
        return ["the file is empty"]
    if not text.endswith("\n"):
        problems.append(f"row {text.count(chr(10)) + 1}: the last line is incomplete: the file was cut short")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except Exception as exc:  # a malformed file: pandas names the line
        return problems + [f"cannot be read as CSV ({type(exc).__name__}: {str(exc).strip()})"]
    frame = frame.replace("", pd.NA)
    recorded = _recorded(str(data_dir)).get(name)
    if name.startswith("indicators/"):
        problems += _validate_indicators(name, frame, data_dir, origin)
    else:
        problems += _validate_other(name, frame)
    if recorded and len(frame) < recorded[1]:
        missing = f"{len(frame):,} rows where the build wrote {recorded[1]:,}"
        if problems:
            problems.append(f"{missing}: rows are missing")
        else:  # valid rows, fewer of them: cut at a line break, or deleted on purpose
            warnings.warn(f"{origin}: {missing}; if rows were lost, restore the file; if data/ was changed on "
                          "purpose, refresh the checksums with `python -m cchc_analysis.checksums`",
                          MissingRowsWarning, stacklevel=2)
    return problems


def _validate_indicators(name: str, frame, data_dir: Path, origin: str) -> list[str]:
    import pandas as pd

    from .indicators import load_components, load_sources
    from .schema import validate_indicators

    if list(frame.columns) != list(INDICATOR_COLUMNS):
        return [f"columns are {list(frame.columns)}; expected {list(INDICATOR_COLUMNS)}"]
    problems: list[str] = []
    frame = frame.assign(_line=range(2, len(frame) + 2))
    stem = Path(name).stem
    if stem in INDICES:
        wrong = frame[frame["index"] != stem]
        problems += [f"row {r}: index {i!r} in the {stem} table" for r, i in zip(wrong["_line"][:20], wrong["index"][:20])]
    years = pd.to_numeric(frame["year"], errors="coerce")
    bad_year = frame[years.isna() | (years % 1 != 0)]
    problems += [f"row {r}: year {y!r} is not a year" for r, y in zip(bad_year["_line"][:20], bad_year["year"][:20])]
    bad_bounds = frame[~frame["boundaries"].isin(["legacy", "2025"])]
    problems += [f"row {r}: boundaries {b!r}; expected 'legacy' or '2025'"
                 for r, b in zip(bad_bounds["_line"][:20], bad_bounds["boundaries"][:20])]
    # Excel reads "01" as the number 1 and saves it so: name the cause, then check the padded code.
    codes = frame["province_code"].astype(str)
    short = codes.str.fullmatch(r"\d") & frame["boundaries"].isin(["legacy", "2025"])
    if short.any():
        code = codes[short].iloc[0]
        lines = frame["_line"][short].tolist()
        shown = ", ".join(map(str, lines[:10])) + (f" ... ({len(lines):,} rows in all)" if len(lines) > 10 else "")
        problems.append(f"row{'s' if len(lines) > 1 else ''} {shown}: province codes have lost their leading zero "
                        f"({code!r} for '0{code}'): the file was opened and saved by a spreadsheet")
        frame.loc[short, "province_code"] = "0" + codes[short]  # so the checks below see the codes meant
    try:
        comps = load_components()
        sources = load_sources()["source_id"]
    except FileNotFoundError:
        comps, sources = None, None
    ranges = None
    if comps is not None:
        ranges = {(i, c): (float(a), float(b)) for i, c, a, b in zip(comps["index"], comps["component"], comps["min"], comps["max"])}
        known = set(zip(comps["index"], comps["component"]))
        unknown = [(r, i, c) for r, i, c in zip(frame["_line"], frame["index"], frame["component"]) if (i, c) not in known]
        problems += [f"row {r}: component {c!r} is not a {i} component in components.csv" for r, i, c in unknown[:20]]
    try:
        validate_indicators(frame[frame["boundaries"].isin(["legacy", "2025"])], origin=origin, source_ids=sources,
                            ranges=ranges, duplicates=not name.endswith("alternatives.csv"))
    except SchemaError as exc:
        problems += exc.problems
    return problems


def _validate_other(name: str, frame) -> list[str]:
    import pandas as pd

    key = _KEYS.get(name, ())
    missing = [c for c in key if c not in frame.columns]
    if missing:
        return [f"missing column(s) {missing}; the columns are {list(frame.columns)}"]
    problems = []
    lines = pd.Series(range(2, len(frame) + 2), index=frame.index)
    for col in key:
        empty = frame[col].isna()
        problems += [f"row {r}: empty {col}" for r in lines[empty][:20]]
    dup = frame.duplicated(list(key), keep=False) & frame[list(key)].notna().all(axis=1)
    problems += [f"row {r}: duplicate key ({', '.join(f'{k}={frame.at[i, k]!r}' for k in key)})"
                 for i, r in zip(frame.index[dup][:20], lines[dup][:20])]
    for col in ("year", "value", "rank", "min", "max"):
        if col not in frame.columns:
            continue
        given = frame[col].notna() & (frame[col] != "*")
        numbers = pd.to_numeric(frame[col].where(given), errors="coerce")
        bad = given & numbers.isna()
        problems += [f"row {r}: {col} {v!r} is not a number" for r, v in zip(lines[bad][:20], frame[col][bad][:20])]
    return problems


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m cchc_analysis.checksums", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="data folder (default: CCHC_DATA_DIR, else the bundled one)")
    parser.add_argument("--check", action="store_true", help="only list the tables that differ; exit 1 if any")
    args = parser.parse_args(argv)
    try:
        folder = Path(args.data_dir) if args.data_dir else config.data_dir() if args.check else config.output_data_dir()
    except PermissionError as exc:
        parser.error(str(exc))
    if args.check:
        changed = changed_tables(folder)
        for name in changed:
            print(f"{folder / name}: differs from {CHECKSUMS_FILE}")
        return 1 if changed else 0
    for row in write_checksums(folder):
        print(f"{row['file']}: {row['rows']} rows, sha256 {row['sha256'][:12]}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
