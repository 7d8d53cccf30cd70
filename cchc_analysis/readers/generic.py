"""A reader for any province x score/rank table, in CSV or XLSX.

Users hold full PAR Index or SIPAS tables copied from ministry reports; this loads one
in a single call.  Headers may be Vietnamese or English ("Tỉnh/thành phố", "Điểm",
"Xếp hạng", "Province", "Score", "Rank"); numbers may use decimal commas ("84,6") or
thousands dots; files may be UTF-8 (with or without BOM), Windows-1258 or UTF-16 (Excel's
"Unicode Text", with or without a byte-order mark). Title rows above the header are skipped
(``attrs["header_line"]``).

Rows naming an aggregate ("Cả nước", "Trung bình", "National average") are set aside
and reported, never mixed with provinces; any other name that is not a province raises
an error with the row number and close matches.

What is refused, with a message naming the file, row or cell and the fix: files or sheets
beyond the size limits (:data:`LIMITS`), duplicate headers, score columns of another year than
``year``, fractions where the index is in per cent, text in the legacy VNI or TCVN3 encodings,
UTF-8 with a damaged byte.  Excel cells formatted as per cent are read as the percentage shown;
formulas without a saved result are named in a warning.

>>> import io
>>> table = read_table(io.StringIO("Tỉnh,Điểm,Xếp hạng\\nQuảng Nam,\\"84,6\\",56\\n"),
...                    index="par", year=2023, source_id="my-par-2023")
>>> table[["province", "value", "rank"]].to_dict("records")
[{'province': 'Quảng Nam', 'value': 84.6, 'rank': 56}]
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import difflib
import io
import operator
import os
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pandas as pd

from ..provinces import fold_name
from ..schema import _DEFAULT_RANGES, SchemaError, tidy_indicators, validate_indicators

__all__ = [
    "read_table",
    "parse_number",
    "legacy_encoding",
    "LIMITS",
    "TableFormatError",
    "TableSizeError",
    "UncalculatedFormulaWarning",
]

_PROVINCE_HEADERS = (
    "tinhthanhpho", "tinhthanh", "tinh", "thanhpho", "diaphuong", "tentinh", "tendiaphuong",
    "province", "provincename", "provincecity", "locality", "name", "donvi", "tentinhthanhpho",
)
_VALUE_HEADERS = (
    "diem", "diemso", "tongdiem", "chiso", "giatri", "ketqua", "tyle", "score", "value", "index",
    "total", "points", "parindex", "sipas", "pci", "papi", "dti", "diemsipas", "diempar", "phantram",
)
_RANK_HEADERS = ("xephang", "thuhang", "hang", "vitri", "thutu", "rank", "ranking", "position", "xh")
_AGGREGATES = (
    "canuoc", "trungbinh", "binhquan", "tong", "tongcong", "trungbinhcanuoc", "nationalaverage",
    "average", "mean", "national", "total", "vietnam",
)
_UNIT_BY_INDEX = {"par": "percent", "sipas": "percent", "dti": "index_0_1", "pci": "score", "papi": "score"}

#: Size limits of :func:`read_table`: name -> (default, environment variable that overrides it).
#: A province table has a few dozen rows; the limits stop a stray cell at XFD1048576 or a
#: 200 MB file from filling the memory.
LIMITS: dict[str, tuple[int, str]] = {
    "max_rows": (10_000, "CCHC_MAX_ROWS"),
    "max_columns": (500, "CCHC_MAX_COLUMNS"),
    "max_bytes": (50_000_000, "CCHC_MAX_BYTES"),
}
_FIRST_YEAR = 2000  # no index in the package measures an earlier year


class TableFormatError(ValueError):
    """The table cannot be read as a province x score/rank table."""


class TableSizeError(TableFormatError):
    """The file or sheet is larger than a limit of :data:`LIMITS`; the message says how to raise it."""


class UncalculatedFormulaWarning(UserWarning):
    """Cells hold a formula whose result was never saved: they read as empty."""


@dataclass(frozen=True)
class _Limits:
    max_rows: int
    max_columns: int
    max_bytes: int

    @staticmethod
    def fix(name: str) -> str:
        default, env = LIMITS[name]
        return f"raise the limit with read_table(..., {name}=N) or the environment variable {env}"


def _limits(max_rows: int | None, max_columns: int | None, max_bytes: int | None) -> _Limits:
    given = {"max_rows": max_rows, "max_columns": max_columns, "max_bytes": max_bytes}
    values = {}
    for name, (default, env) in LIMITS.items():
        value, where = given[name], f"{name}="
        if value is None:
            text = os.environ.get(env, "").strip()
            if not text:
                values[name] = default
                continue
            where = f"{env}="
            try:
                value = int(text.replace("_", ""))
            except ValueError:
                raise ValueError(f"environment variable {env}={text!r} is not a whole number; set it to e.g. {default}") from None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{where}{value!r}: give a whole number of at least 1 (default {default})")
        values[name] = value
    return _Limits(**values)


def parse_number(text: object) -> float | None:
    """Parse a number written the Vietnamese or the English way.

    ``"84,6"`` → 84.6; ``"1.000"`` → 1000; ``"1.234,5"`` → 1234.5; ``"85.5%"`` → 85.5.
    Returns None for an empty cell; raises ValueError for anything else.
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    s = str(text).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if s in ("", "-", "–", "—"):
        return None
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", s):  # 1.000 / 12.345.678: thousands dots
        return float(s.replace(".", ""))
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+\.\d+", s):  # 1,234.5
        return float(s.replace(",", ""))
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+,\d+", s):  # 1.234,5
        return float(s.replace(".", "").replace(",", "."))
    if re.fullmatch(r"-?\d+([.,]\d+)?", s):
        return float(s.replace(",", "."))
    raise ValueError(f"{text!r} is not a number")


# --------------------------------------------------------------------------------------------
# encodings
# --------------------------------------------------------------------------------------------

_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Legacy Vietnamese encodings shown through a Windows code page leave characters no Vietnamese
# word contains.  TCVN3 (ABC, the ".Vn" fonts) puts most toned letters on 0xA1-0xBF (symbols:
# "Qu¶ng Nam", "Hµ Néi"); VNI writes a base letter then a mark byte ("Quaûng Nam", "Haø Noäi").
_TCVN3_MARKS = frozenset("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷")
_VNI_MARKS = frozenset("øûïåäüëöñÑØÛÏÅÄÜËÖ")
_LEGACY = {
    "TCVN3": ("TCVN3 (ABC)", "a .Vn font such as .VnTime", "TCVN3 (ABC)"),
    "VNI": ("VNI", "a VNI font such as VNI-Times", "VNI Windows"),
}


def legacy_encoding(texts) -> str | None:
    """``"TCVN3"`` or ``"VNI"`` when the texts look like Vietnamese typed in that legacy
    encoding and shown as Unicode (mojibake such as "Qu¶ng Nam" or "Quaûng Nam"), else None."""
    tcvn3 = vni = 0
    for text in texts:
        if not isinstance(text, str):
            continue
        for i, ch in enumerate(text):
            if ch not in _TCVN3_MARKS and ch not in _VNI_MARKS:
                continue
            near = text[max(0, i - 1) : i] + text[i + 1 : i + 2]
            if any(c.isalpha() and c not in _TCVN3_MARKS for c in near):
                if ch in _TCVN3_MARKS:
                    tcvn3 += 1
                else:
                    vni += 1
    if not (tcvn3 or vni):
        return None
    return "TCVN3" if tcvn3 >= vni else "VNI"


def _legacy_error(origin: str, encoding: str, what: str, example: str) -> TableFormatError:
    name, font, converter = _LEGACY[encoding]
    return TableFormatError(
        f"{origin}: {what} are in the legacy {name} encoding, not Unicode ({example}): the table was typed "
        f"with {font}. Convert it to Unicode first (e.g. with Unikey's converter: source {converter}, "
        "target Unicode), then save it as CSV UTF-8 or .xlsx"
    )


def _utf16_without_bom(raw: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when every other byte is NUL and the bytes decode to text, as in
    UTF-16 text without a byte-order mark."""
    n = min(len(raw), 4096) // 2
    if n < 2:
        return None
    even, odd = raw[0 : 2 * n : 2], raw[1 : 2 * n : 2]
    if odd.count(0) >= 0.3 * n and even.count(0) <= 0.05 * n:
        encoding = "utf-16-le"
    elif even.count(0) >= 0.3 * n and odd.count(0) <= 0.05 * n:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    # text, not binary data that happens to hold NUL bytes: no control characters but line breaks and tabs
    return encoding if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text) else None


def _damaged_utf8(raw: bytes, origin: str) -> TableFormatError | None:
    """The error for UTF-8 text with a few bad bytes (not a legacy single-byte file), else None."""
    lenient = raw.decode("utf-8", errors="replace")
    good = sum(1 for ch in lenient if ord(ch) > 127 and ch != "\ufffd")
    bad = lenient.count("\ufffd")
    if not good or good < bad // 4:  # no (or almost no) valid UTF-8 letters: a legacy code page
        return None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start
    else:  # pragma: no cover - the caller saw it fail
        return None
    start = raw.rfind(b"\n", 0, pos) + 1
    end = raw.find(b"\n", pos)
    line_text = raw[start : end if end >= 0 else len(raw)].decode("utf-8", errors="replace").rstrip("\r")
    column = len(raw[start:pos].decode("utf-8", errors="replace")) + 1
    line = raw.count(b"\n", 0, pos) + 1
    return TableFormatError(
        f"{origin}: line {line}, character {column}: byte 0x{raw[pos]:02X} is not UTF-8, "
        f"though the rest of the file is UTF-8 ({bad} bad byte sequence(s) in all; the line reads "
        f"{line_text[:80]!r}); the file was damaged or mixes two encodings: retype that character in a text "
        "editor and save the file as UTF-8, or export the table again"
    )


def _decode(raw: bytes, origin: str) -> tuple[str, str]:
    """The text and the encoding it was read with."""
    if raw.startswith(_ZIP) or raw.startswith(_OLE):
        kind = ".xlsx" if raw.startswith(_ZIP) else ".xls"
        raise TableFormatError(
            f"{origin}: this is an Excel workbook ({kind}), not a CSV text file; rename it to {kind} "
            "(or pass the workbook itself), or export the sheet as CSV UTF-8"
        )
    encoding = "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_without_bom(raw)
    if encoding:  # Excel's "Unicode Text" (UTF-16, tab-separated)
        try:
            return unicodedata.normalize("NFC", raw.decode(encoding)), encoding
        except UnicodeDecodeError:
            raise TableFormatError(f"{origin}: damaged UTF-16 text; save the file as CSV UTF-8") from None
    if b"\x00" in raw[:4096]:
        raise TableFormatError(
            f"{origin}: binary data, not a CSV text file (a NUL byte in the first 4 KB); "
            "export the table as CSV UTF-8 or pass the .xlsx workbook"
        )
    try:
        return unicodedata.normalize("NFC", raw.decode("utf-8-sig")), "utf-8"
    except UnicodeDecodeError:
        damaged = _damaged_utf8(raw, origin)
        if damaged is not None:
            raise damaged from None
    try:
        # cp1258 writes tones as combining marks: compose them so names match.
        return unicodedata.normalize("NFC", raw.decode("cp1258")), "cp1258"
    except UnicodeDecodeError:
        raise TableFormatError(f"{origin}: not UTF-8 or Windows-1258 text; save the file as UTF-8 CSV") from None


# --------------------------------------------------------------------------------------------
# headers
# --------------------------------------------------------------------------------------------

_YEAR_IN_HEADER = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")


def _placeholder(header: object) -> bool:
    """An empty header cell (pandas names it "Unnamed: 3"): never matched by meaning."""
    text = str(header).strip()
    return not text or text.lower() == "nan" or re.fullmatch(r"Unnamed: \d+(_level_\d+)?", text) is not None


def _candidates(headers: list, wanted: tuple[str, ...], tiers: bool = False):
    """Headers matching one of ``wanted`` (years aside), best first: exact matches, then partial
    ones ("Tăng/giảm điểm" for "diem"); with ``tiers`` the two lists apart."""
    folded = {h: fold_name(_YEAR_IN_HEADER.sub(" ", str(h))) for h in headers if not _placeholder(h)}
    exact: list = []
    for key in wanted:  # exact header match first, in order of preference
        exact += [h for h, f in folded.items() if f == key and h not in exact]
    partial: list = []
    for key in wanted:
        partial += [h for h, f in folded.items()
                    if (f.startswith(key) or (len(key) > 3 and key in f)) and h not in exact and h not in partial]
    return (exact, partial) if tiers else exact + partial


def _years(header: object) -> set[int]:
    return {int(y) for y in _YEAR_IN_HEADER.findall(str(header))}


def _find(headers: list, wanted: tuple[str, ...], what: str, origin: str, required: bool,
          year: int | None = None) -> str | None:
    """The header for ``what``; with ``year``, a header naming years must name that one, and a
    header naming no year beside equally good ones naming other years is ambiguous."""
    exact, partial = _candidates(headers, wanted, tiers=True)
    found = exact + partial
    if not found:
        if required:
            raise TableFormatError(
                f"{origin}: no {what} column among {headers}; rename one column or pass {what}_column='...'"
            )
        return None
    if year is None or not any(_years(h) for h in found):
        return found[0]
    this_year = [h for h in found if year in _years(h)]
    if this_year:
        return min(this_year, key=lambda h: len(_years(h)))  # "Điểm 2023" before "Điểm 2022-2023"
    tier = exact or partial  # "Điểm" is not made ambiguous by "Tăng/giảm điểm so với 2022"
    dated = [h for h in tier if _years(h)]
    undated = [h for h in tier if not _years(h)]
    if not dated:
        return undated[0]
    named = ", ".join(str(y) for y in sorted(set().union(*map(_years, dated))))
    if undated:
        raise TableFormatError(
            f"{origin}: cannot tell the {what} column for year={year}: {undated[0]!r} names no year and "
            f"{dated} name {named}; pass {what}_column='...' (or rename the column to say its year)"
        )
    raise TableFormatError(
        f"{origin}: no {what} column for year={year}: the {what} columns {dated} are for {named}; pass the "
        f"year the table measures (year=...) or {what}_column='...'"
    )


def _check_duplicate_headers(cells: list, origin: str, line: int) -> None:
    """Two headers the matcher cannot tell apart ("Điểm", "ĐIỂM"): refuse rather than pick one."""
    seen: dict[str, int] = {}
    for i, cell in enumerate(cells):
        if cell is None or _placeholder(cell):
            continue
        text = str(cell).strip()
        key = fold_name(text) or text.casefold()
        if key in seen:
            j = seen[key]
            raise TableFormatError(
                f"{origin}: columns {j + 1} ({str(cells[j]).strip()!r}) and {i + 1} ({text!r}) of the header on row "
                f"{line} have the same name; read_table cannot tell which to use: rename one (e.g. add the year: "
                "'Điểm 2022', 'Điểm 2023') or delete the column you do not need"
            )
        seen[key] = i


_HEADER_SEARCH = 10  # title rows above the header: look this far for it


def _is_header(cells: list[object], province_column: str | None) -> bool:
    """Whether a row reads as the header: a province column and a score or rank column, in two cells."""
    cells = [c for c in cells if c is not None and not _placeholder(c)]
    if province_column is not None:
        return any(str(c).strip() == province_column for c in cells)
    try:
        pcol = _find(cells, _PROVINCE_HEADERS, "province", "", True)
    except TableFormatError:
        return False
    rest = [c for c in cells if c is not pcol]
    return bool(_find(rest, _RANK_HEADERS, "rank", "", False) or _find(rest, _VALUE_HEADERS, "value", "", False))


def _header_offset(rows: list[list[object]], province_column: str | None) -> int:
    """Rows to skip before the header: 0 unless row 1 is not a header but a later one is."""
    if not rows or _is_header(rows[0], province_column):
        return 0
    for k, cells in enumerate(rows[1:_HEADER_SEARCH], 1):
        if _is_header(cells, province_column):
            return k
    return 0


# --------------------------------------------------------------------------------------------
# the reader
# --------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    """A table as text/number cells, with what the reader learnt about its file."""

    frame: pd.DataFrame
    skip: int  # lines before the header
    kind: str  # "csv", "xlsx" or "xls"
    path: Path | None = None
    sheet: str | None = None
    encoding: str | None = None
    percent: set[tuple[int, int]] = field(default_factory=set)  # (data row, column) formatted as per cent


def _check_year(year: object) -> int:
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    try:
        if isinstance(year, bool):
            raise TypeError
        value = operator.index(year)
    except TypeError:
        value = None
    this_year = datetime.date.today().year
    if value is None or not _FIRST_YEAR <= value <= this_year:
        raise ValueError(
            f"year={year!r} is not an assessment year; give the four-digit year the table measures, "
            f"from {_FIRST_YEAR} to {this_year}, e.g. year=2023"
        )
    return value


def _component_scales(index: str) -> dict[str, tuple[float, float]]:
    """component -> (min, max) for ``index``: the bundled components table, else the readers' lists."""
    try:
        from ..indicators import load_components

        comps = load_components()
    except FileNotFoundError:  # no data/ folder (e.g. an installed wheel): the readers know the keys
        from .papi import PAPI_COMPONENTS
        from .pci import PCI_COMPONENTS

        rows = {"pci": [(c.key, c.min, c.max) for c in PCI_COMPONENTS],
                "papi": [(c["key"], c["min"], c["max"]) for c in PAPI_COMPONENTS]}.get(index)
        lo, hi = _DEFAULT_RANGES[(index, _UNIT_BY_INDEX[index])]
        return {k: (float(a), float(b)) for k, a, b in rows} if rows else {"overall": (lo, hi)}
    part = comps[comps["index"] == index]
    return {c: (float(a), float(b)) for c, a, b in zip(part["component"], part["min"], part["max"])}


def _check_arguments(index: str, year: object, source_id: object, component: object) -> tuple[int, str, dict]:
    if index not in _UNIT_BY_INDEX:
        raise ValueError(f"index must be one of {sorted(_UNIT_BY_INDEX)}, got {index!r}")
    year = _check_year(year)
    if not isinstance(source_id, str) or not source_id.strip():
        raise ValueError(
            f"source_id={source_id!r}: every figure needs its source; give the id of the table's source, e.g. "
            f"source_id='my-{index}-{year}', and add it to your sources table"
        )
    scales = _component_scales(index)
    if component not in scales:
        keys = sorted(scales, key=lambda k: (k != "overall", k))
        close = difflib.get_close_matches(str(component), keys, n=3)
        hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
        shown = ", ".join(keys[:12]) + (f", ... ({len(keys)} in all)" if len(keys) > 12 else "")
        raise ValueError(
            f"component={component!r} is not a {index} component{hint}. The {index} components are: {shown} "
            "(see cchc_analysis.load_components())"
        )
    return year, source_id.strip(), scales


def read_table(
    source: str | Path | IO,
    *,
    index: str,
    year: int,
    source_id: str,
    component: str = "overall",
    unit: str | None = None,
    boundaries: str = "legacy",
    sheet: str | int | None = 0,
    province_column: str | None = None,
    value_column: str | None = None,
    rank_column: str | None = None,
    validate: bool = True,
    max_rows: int | None = None,
    max_columns: int | None = None,
    max_bytes: int | None = None,
) -> pd.DataFrame:
    """Read a province x score/rank table into tidy indicator rows.

    Parameters
    ----------
    source : path to a .csv/.txt/.xlsx/.xls file, or a text/bytes buffer holding CSV.
    index, year, component : what the table measures (``year`` = assessment year; ``component``
        one of :func:`cchc_analysis.load_components` for the index).  When headers name years
        ("Điểm 2022", "Điểm 2023"), the columns of ``year`` are read; other years are refused.
    source_id : the id of the source (add it to your sources table); never empty.
    unit : defaults by index (percent for PAR/SIPAS, index_0_1 for DTI, score otherwise).
        Excel cells formatted as per cent (84.6 % stored as 0.846) are read as the percentage
        shown, except for index_0_1 (the stored fraction is the index); fractions where the
        scale is 0-100 are refused.
    boundaries : "legacy" (63 provinces) or "2025" (34 units).
    sheet : sheet name or number (from 0) for workbooks; None: the only sheet.
    province_column, value_column, rank_column : override header detection.
    validate : run :func:`cchc_analysis.schema.validate_indicators` on the result.
    max_rows, max_columns, max_bytes : size limits (defaults and environment variables in
        :data:`LIMITS`); a larger file or sheet raises :class:`TableSizeError` before it is read.

    Returns
    -------
    DataFrame in the tidy schema; ``attrs["aggregates"]`` holds the aggregate rows set aside
    (name, value, rank, line), ``attrs["header_line"]`` the line of the header (1 unless
    title rows come first: they are skipped when a later row among the first 10 is the header),
    ``attrs["percent_cells"]`` the number of values read from per-cent-formatted cells and
    ``attrs["uncalculated_formulas"]`` the cells (e.g. "C7") holding formulas without a saved
    result, which read as empty (an :class:`UncalculatedFormulaWarning` names them too).

    Raises
    ------
    TableFormatError : unreadable file (damaged workbook, missing sheet, a workbook or web
        page under the wrong name, rows with more cells than the header, legacy encodings, a bad
        UTF-8 byte), no province column (with the sheet that has one), duplicate headers, no
        score or rank column for ``year``, fractions on a 0-100 scale.
    TableSizeError : the file, sheet or table exceeds a limit.
    SchemaError : unknown province names (with row numbers and close matches), values
        that are not numbers, duplicate provinces, out-of-range values.
    ValueError : ``index``, ``year``, ``component`` or ``source_id`` not valid.
    """
    origin = getattr(source, "name", None) or (str(source) if isinstance(source, (str, Path)) else "<buffer>")
    origin = Path(origin).name if isinstance(origin, str) and origin != "<buffer>" else origin
    year, source_id, scales = _check_arguments(index, year, source_id, component)
    limits = _limits(max_rows, max_columns, max_bytes)
    table = _read_any(source, origin, sheet, province_column, limits)
    frame, skipped_lines = table.frame, table.skip
    frame.columns = [str(c).strip() for c in frame.columns]
    headers = list(frame.columns)
    if province_column is not None and province_column not in headers:
        raise TableFormatError(f"{origin}: no column {province_column!r} among {headers}; check province_column=")
    try:
        pcol = province_column or _find(headers, _PROVINCE_HEADERS, "province", origin, True)
    except TableFormatError as exc:
        encoding = legacy_encoding(headers)
        if encoding:
            shown = next((h for h in headers if legacy_encoding([h]) == encoding), headers[0])
            raise _legacy_error(origin, encoding, "the headers", f"e.g. {shown!r}") from None
        raise TableFormatError(
            f"{exc}; if title rows come before the header, delete them (the header must be among the first "
            f"{_HEADER_SEARCH} rows)"
        ) from None
    rest = [h for h in headers if h != pcol]
    rcol = rank_column or _find(rest, _RANK_HEADERS, "rank", origin, False, year)
    ranks_like = set(_candidates(rest, _RANK_HEADERS))
    vcol = value_column or _find([h for h in rest if h != rcol and h not in ranks_like], _VALUE_HEADERS,
                                 "value", origin, False, year)
    if vcol is None and rcol is None:
        raise TableFormatError(f"{origin}: found neither a score nor a rank column among {headers}")
    unit = unit or _UNIT_BY_INDEX[index]
    vpos = headers.index(vcol) if vcol in headers else None
    percent_rows = {r for r, c in table.percent if c == vpos} if unit != "index_0_1" else set()

    records, aggregates, problems, blanks = [], [], [], []
    converted = 0
    positions = {h: headers.index(h) for h in (pcol, vcol, rcol) if h in headers}
    for pos, row in enumerate(frame.to_dict("records")):
        line = pos + 2 + skipped_lines
        name = row.get(pcol)
        blanks += [(line, c) for h, c in positions.items() if _is_blank(row.get(h))]
        if _is_blank(name):
            if any(not _is_blank(v) and str(v).strip() for v in row.values()):
                problems.append(f"row {line}: empty province name; fill it or delete the row")
            continue
        name = str(name).strip()
        try:
            value = parse_number(row.get(vcol)) if vcol else None
        except ValueError as exc:
            problems.append(f"row {line}: column {vcol!r}: {exc}; write the score as digits, e.g. 84,6")
            continue
        if value is not None and pos in percent_rows:
            # Excel shows 84.6 % for a stored 0.846: read the percentage the user sees.
            value, converted = round(value * 100, 10), converted + 1
        try:
            rank_num = parse_number(row.get(rcol)) if rcol else None
        except ValueError as exc:
            problems.append(f"row {line}: column {rcol!r}: {exc}; write the rank as a whole number")
            continue
        if fold_name(name) in _AGGREGATES or fold_name(name).startswith(("trungbinh", "canuoc", "vung")):
            aggregates.append({"name": name, "value": value, "rank": rank_num, "line": line})
            continue
        records.append(
            {"province": name, "year": year, "component": component, "value": value, "rank": rank_num, "_line": line}
        )
    if problems:
        raise SchemaError(origin, problems)
    if not records:
        raise TableFormatError(f"{origin}: no province rows found (is the header row the first row?)")
    _check_not_fractions(records, origin, vcol, index, component, unit, scales, converted)
    formulas = _report_uncalculated(table, origin, blanks, records, aggregates)
    try:
        tidy = tidy_indicators(
            pd.DataFrame(records), index=index, unit=unit, source_id=source_id, boundaries=boundaries, origin=origin,
        )
    except SchemaError:
        names = [r["province"] for r in records]
        encoding = legacy_encoding(names)
        if encoding:
            first = next((r for r in records if legacy_encoding([r["province"]]) == encoding), records[0])
            raise _legacy_error(origin, encoding, "the province names",
                                f"row {first['_line']}: {first['province']!r}") from None
        raise
    if validate:
        lines = pd.DataFrame(records)["_line"].to_numpy()
        validate_indicators(tidy.assign(_line=lines), origin=origin, ranges={(index, component): scales[component]})
    tidy.attrs["aggregates"] = pd.DataFrame(aggregates, columns=["name", "value", "rank", "line"])
    tidy.attrs["header_line"] = skipped_lines + 1
    tidy.attrs["percent_cells"] = converted
    tidy.attrs["uncalculated_formulas"] = formulas
    if table.encoding:
        tidy.attrs["encoding"] = table.encoding
    return tidy


def _is_blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or (isinstance(v, str) and not v.strip())


def _check_not_fractions(records: list[dict], origin: str, vcol: str | None, index: str, component: str,
                         unit: str, scales: dict, converted: int) -> None:
    """Refuse scores that fit the scale only after x100 (84.6 % typed or stored as 0.846)."""
    values = [abs(r["value"]) for r in records if r["value"] is not None]
    hi = scales.get(component, _DEFAULT_RANGES.get((index, unit), (0, 1)))[1]
    if not values or converted == len(values) or hi < 10 or max(values) > hi / 100 or max(values) == 0:
        return
    scale = "per cent (0-100)" if unit == "percent" else f"points on a 0-{hi:g} scale"
    lo, top = min(values), max(values)
    spread = f"is {lo:g}" if lo == top else f"is between {lo:g} and {top:g}"
    raise TableFormatError(
        f"{origin}: column {vcol!r}: every score {spread}, but {index}/"
        f"{component} is in {scale}: these look like fractions (84.6 % stored as 0.846). Multiply them by 100, "
        "or in Excel format the column as a percentage (read_table reads the percentage shown)"
    )


def _report_uncalculated(table: _Sheet, origin: str, blanks: list[tuple[int, int]],
                         records: list[dict], aggregates: list[dict]) -> list[str]:
    """Warn about empty province/score/rank cells that hold a formula never calculated."""
    if table.kind != "xlsx" or not blanks:
        return []
    last = max([r["_line"] for r in records] + [a["line"] for a in aggregates])
    wanted = [(line, col) for line, col in blanks if line <= last]
    if not wanted:
        return []
    refs = _formula_cells(table.path, table.sheet, wanted)
    if refs:
        shown = ", ".join(refs[:20]) + (f" ... ({len(refs)} in all)" if len(refs) > 20 else "")
        warnings.warn(
            f"{origin}: sheet {table.sheet!r}: {len(refs)} cell(s) hold a formula whose result was never saved "
            f"and read as empty: {shown}. The file was written by a program that does not calculate formulas; "
            "open it in Excel or LibreOffice, save it, and read it again",
            UncalculatedFormulaWarning,
            stacklevel=3,
        )
    return refs


def _formula_cells(path: Path, sheet: str, cells: list[tuple[int, int]]) -> list[str]:
    """Coordinates among ``cells`` (sheet row, column from 0) that hold a formula."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wanted: dict[int, set[int]] = {}
    for line, col in cells:
        wanted.setdefault(line, set()).add(col)
    found = []
    with open(path, "rb") as handle:
        book = load_workbook(handle, read_only=True, data_only=False)
        try:
            ws = book[sheet]
            ws.reset_dimensions()
            for r, row in enumerate(ws.iter_rows(min_row=1, max_row=max(wanted)), 1):
                for c in sorted(wanted.get(r, ())):
                    if c < len(row) and getattr(row[c], "data_type", None) == "f":
                        found.append(f"{get_column_letter(c + 1)}{r}")
        finally:
            book.close()
    return found


# --------------------------------------------------------------------------------------------
# workbooks
# --------------------------------------------------------------------------------------------


def _header_text(value: object, i: int) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"Unnamed: {i}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _frame_from_rows(rows: list[list], skip: int, origin: str) -> pd.DataFrame:
    body = rows[skip:]
    width = max(len(r) for r in body)
    header = list(body[0]) + [None] * (width - len(body[0]))
    _check_duplicate_headers(header, origin, skip + 1)
    data = [list(r) + [None] * (width - len(r)) for r in body[1:]]
    return pd.DataFrame(data, columns=[_header_text(v, i) for i, v in enumerate(header)], dtype=object)


def _too_wide(origin: str, where: str, coordinate: str, limits: _Limits) -> TableSizeError:
    return TableSizeError(
        f"{origin}: {where}: a value in cell {coordinate} is beyond column {limits.max_columns:,}; read_table "
        f"reads at most {limits.max_columns:,} columns. Delete the cells beyond the table (in Excel, Ctrl+End "
        f"shows the last used cell) and save, or {limits.fix('max_columns')}"
    )


def _too_long(origin: str, where: str, coordinate: str, limits: _Limits) -> TableSizeError:
    return TableSizeError(
        f"{origin}: {where}: a value in cell {coordinate} is beyond row {limits.max_rows:,}; read_table reads at "
        f"most {limits.max_rows:,} rows. Delete the rows beyond the table (in Excel, Ctrl+End shows the last used "
        f"cell) and save, or {limits.fix('max_rows')}"
    )


def _xlsx_rows(ws, origin: str, name: str, limits: _Limits, nrows: int | None = None
               ) -> tuple[list[list], set[tuple[int, int]]]:
    """Cell values row by row (trailing empty cells dropped) and the per-cent cells, streaming.

    The sheet's recorded used range may be missing or wrong (the file says A1:B3, the cells go
    further): every row is checked as it is read, so memory stays bounded whatever it says.
    """
    from openpyxl.utils import get_column_letter

    where = f"sheet {name!r}"
    if nrows is None and ws.max_row and ws.max_column and (ws.max_row > limits.max_rows or ws.max_column > limits.max_columns):
        limit = "max_rows" if ws.max_row > limits.max_rows else "max_columns"
        raise TableSizeError(
            f"{origin}: {where} says its used range is A1:{get_column_letter(ws.max_column)}{ws.max_row} "
            f"({ws.max_row:,} rows × {ws.max_column:,} columns); read_table reads at most {limits.max_rows:,} rows "
            f"and {limits.max_columns:,} columns. Delete the cells beyond the table (in Excel, Ctrl+End shows the "
            f"last used cell) and save, or {limits.fix(limit)}"
        )
    ws.reset_dimensions()  # rows as long as their last cell, not padded to a (possibly huge) used range
    rows: list[list] = []
    percent: set[tuple[int, int]] = set()
    stop = nrows if nrows is not None else None
    for r, cells in enumerate(ws.iter_rows(min_row=1, max_row=stop), 1):
        values = [getattr(c, "value", None) for c in cells]
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        if len(values) > limits.max_columns:
            raise _too_wide(origin, where, f"{get_column_letter(len(values))}{r}", limits)
        if r > limits.max_rows:
            if values:
                first = next(i for i, v in enumerate(values) if v is not None and v != "")
                raise _too_long(origin, where, f"{get_column_letter(first + 1)}{r}", limits)
            continue
        for c, (cell, value) in enumerate(zip(cells, values)):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                fmt = getattr(cell, "number_format", None)
                if fmt and "%" in fmt.replace('\\%', "").split(";")[0]:
                    percent.add((r, c))
        rows.append(values)
    while rows and not rows[-1]:
        rows.pop()
    return rows, percent


def _xls_rows(sh, origin: str, name: str, limits: _Limits, book, nrows: int | None = None
              ) -> tuple[list[list], set[tuple[int, int]]]:
    import xlrd

    where = f"sheet {name!r}"
    if nrows is None and sh.nrows > limits.max_rows:
        raise _too_long(origin, where, f"A{sh.nrows}", limits)
    rows, percent = [], set()
    for r in range(min(sh.nrows, nrows or sh.nrows)):
        types, values = sh.row_types(r), sh.row_values(r)
        out = []
        for c, (t, v) in enumerate(zip(types, values)):
            if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                out.append(None)
            elif t == xlrd.XL_CELL_ERROR:
                out.append(xlrd.error_text_from_code.get(v, "#ERROR"))
            else:
                out.append(v)
                if t == xlrd.XL_CELL_NUMBER and book.formatting_info:
                    fmt = book.format_map.get(book.xf_list[sh.cell_xf_index(r, c)].format_key)
                    if fmt is not None and "%" in fmt.format_str.split(";")[0]:
                        percent.add((r + 1, c))
        while out and out[-1] is None:
            out.pop()
        if len(out) > limits.max_columns:
            raise _too_wide(origin, where, f"row {r + 1}, column {len(out)}", limits)
        rows.append(out)
    while rows and not rows[-1]:
        rows.pop()
    return rows, percent


class _Workbook:
    """One interface over openpyxl (read-only, streaming) and xlrd (.xls), with size checks."""

    def __init__(self, path: Path, origin: str, limits: _Limits):
        self.path, self.origin, self.limits = path, origin, limits
        self._stack = contextlib.ExitStack()
        with open(path, "rb") as handle:
            head = handle.read(8)
        self.kind = "xlsx" if head.startswith(_ZIP) else "xls"
        try:
            if self.kind == "xlsx":
                self._check_parts()
                from openpyxl import load_workbook

                # A file handle, not the name: openpyxl refuses names ending in .xls.
                handle = self._stack.enter_context(open(path, "rb"))
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", message=".*(extension|Data Validation|Conditional Formatting).*")
                    self.book = load_workbook(handle, read_only=True, data_only=True)
                self._stack.callback(self.book.close)
                self.names = list(self.book.sheetnames)
            else:
                import xlrd

                try:
                    self.book = xlrd.open_workbook(str(path), on_demand=True, ragged_rows=True, formatting_info=True)
                except NotImplementedError:  # formatting_info is not supported for every file
                    self.book = xlrd.open_workbook(str(path), on_demand=True, ragged_rows=True)
                self._stack.callback(self.book.release_resources)
                self.names = list(self.book.sheet_names())
        except TableSizeError:
            self._stack.close()
            raise
        except Exception as exc:  # zip/xlrd errors differ by engine: report them the same way
            self._stack.close()
            raise TableFormatError(
                f"{origin}: cannot open as a workbook ({type(exc).__name__}: {exc}); the file may be damaged or "
                "truncated: download it again, or re-save it from Excel/LibreOffice as .xlsx or export a CSV"
            ) from exc

    def _check_parts(self) -> None:
        """Parts openpyxl unpacks whole when it opens the book (shared strings, styles) must fit."""
        with zipfile.ZipFile(self.path) as archive:
            self._sizes = {info.filename: info.file_size for info in archive.infolist()}
        for member, size in self._sizes.items():
            if not member.startswith("xl/worksheets/") and size > self.limits.max_bytes:
                raise self._too_big(f"its part {member}", size)

    def _too_big(self, what: str, size: int) -> TableSizeError:
        return TableSizeError(
            f"{self.origin}: {what} unpacks to {size:,} bytes; read_table reads at most {self.limits.max_bytes:,} "
            f"bytes. Copy the table into a new workbook, or {self.limits.fix('max_bytes')}"
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._stack.close()

    def rows(self, name: str, nrows: int | None = None) -> tuple[list[list], set[tuple[int, int]]]:
        if self.kind == "xlsx":
            ws = self.book[name]
            member = getattr(ws, "_worksheet_path", None)
            if nrows is None and self._sizes.get(member, 0) > self.limits.max_bytes:
                raise self._too_big(f"sheet {name!r}", self._sizes[member])
            return _xlsx_rows(ws, self.origin, name, self.limits, nrows)
        return _xls_rows(self.book.sheet_by_name(name), self.origin, name, self.limits, self.book, nrows)


def _read_workbook(path: Path, origin: str, sheet: str | int | None, province_column: str | None,
                   limits: _Limits) -> _Sheet:
    with open(path, "rb") as handle:
        head = handle.read(2048)
    if not (head.startswith(_ZIP) or head.startswith(_OLE)):
        low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if low.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
            raise TableFormatError(
                f"{origin}: this is a web page (HTML) saved with an Excel name, not a workbook; open it in "
                "Excel or LibreOffice and save it as .xlsx, or export a CSV"
            )
        if head and b"\x00" not in head:
            raise TableFormatError(
                f"{origin}: this is a text file, not a workbook; if it is a CSV, rename it to .csv"
            )
    with _Workbook(path, origin, limits) as book:
        names = book.names
        if sheet is None:
            if len(names) != 1:
                raise TableFormatError(f"{origin}: the workbook has {len(names)} sheets {names}; pass sheet='NAME' or a number")
            sheet = 0
        if isinstance(sheet, int) and not 0 <= sheet < len(names):
            raise TableFormatError(
                f"{origin}: no sheet number {sheet} (sheets are numbered from 0: {names}); pass sheet='NAME' or 0..{len(names) - 1}"
            )
        if isinstance(sheet, str) and sheet not in names:
            raise TableFormatError(f"{origin}: no sheet {sheet!r}; the workbook's sheets are {names}; pass sheet='NAME'")
        name = names[sheet] if isinstance(sheet, int) else sheet
        try:
            rows, percent = book.rows(name)
        except TableFormatError:
            raise
        except Exception as exc:
            raise TableFormatError(
                f"{origin}: cannot read sheet {name!r} ({type(exc).__name__}: {exc}); re-save the workbook "
                "from Excel/LibreOffice as .xlsx or export a CSV"
            ) from exc
        skip = _header_offset(rows[:_HEADER_SEARCH], province_column)
        if not rows or not _is_header(rows[skip], province_column):
            _suggest_other_sheet(book, names, name, origin, province_column, empty=not rows)
        if not rows:
            raise TableFormatError(f"{origin}: sheet {name!r} is empty; pass sheet='NAME' for the sheet with the table")
        frame = _frame_from_rows(rows, skip, origin)
        # per-cent cells as (data row position, column), like the frame
        shifted = {(r - skip - 2, c) for r, c in percent if r > skip + 1}
        return _Sheet(frame, skip, book.kind, path=path, sheet=name, percent=shifted)


def _suggest_other_sheet(book: _Workbook, names: list[str], current: str, origin: str,
                         province_column: str | None, empty: bool) -> None:
    """Raise naming another sheet whose first rows hold the header, if one does."""
    for number, other in enumerate(names):
        if other == current:
            continue
        try:
            top, _ = book.rows(other, nrows=_HEADER_SEARCH)
        except Exception:  # an unreadable other sheet is no suggestion
            continue
        if any(_is_header(cells, province_column) for cells in top):
            what = "is empty" if empty else f"has no table header (no province column in its first {_HEADER_SEARCH} rows)"
            raise TableFormatError(
                f"{origin}: sheet {current!r} {what}; sheet {other!r} (number {number}) has the table: pass "
                f"sheet={other!r} (or sheet={number})"
            )


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def _fields(line: str, sep: str) -> list[str]:
    return next(csv.reader([line], delimiter=sep), [])


def _too_many_bytes(origin: str, size: str, limits: _Limits) -> TableSizeError:
    return TableSizeError(
        f"{origin}: the file is {size} bytes; read_table reads at most {limits.max_bytes:,} bytes (a province table "
        f"is a few kilobytes): check that this is the table you meant, or {limits.fix('max_bytes')}"
    )


def _read_any(source: str | Path | IO, origin: str, sheet: str | int | None,
              province_column: str | None, limits: _Limits) -> _Sheet:
    """The table as text cells, and the number of lines before its header."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file")
        if path.is_dir():
            raise TableFormatError(f"{origin}: is a folder; pass the CSV or XLSX file inside it")
        size = path.stat().st_size
        if size == 0:
            raise TableFormatError(f"{origin}: the file is empty")
        if size > limits.max_bytes:
            raise _too_many_bytes(origin, f"{size:,}", limits)
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            return _read_workbook(path, origin, sheet, province_column, limits)
        raw = path.read_bytes()
    else:
        raw = source.read(limits.max_bytes + 1)
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        if len(raw) > limits.max_bytes:
            raise _too_many_bytes(origin, f"more than {limits.max_bytes:,}", limits)
    text, encoding = _decode(raw, origin)
    if not text.strip():
        raise TableFormatError(f"{origin}: the file is empty")
    if text.count("\n") > limits.max_rows + _HEADER_SEARCH:
        raise TableSizeError(
            f"{origin}: the file has {text.count(chr(10)):,} lines; read_table reads at most {limits.max_rows:,} rows: "
            f"check that this is the table you meant, or {limits.fix('max_rows')}"
        )
    lines = text.splitlines()

    def separator(line: str) -> str:
        return max((";", "\t", ","), key=line.count) if any(s in line for s in ";\t,") else ","

    skip = _header_offset([_fields(line, separator(line)) for line in lines[:_HEADER_SEARCH]], province_column)
    header = lines[skip]
    sep = separator(header)
    header_fields = _fields(header, sep)
    n_header = len(header_fields)
    if n_header > limits.max_columns:
        raise TableSizeError(
            f"{origin}: the header on line {skip + 1} has {n_header:,} columns; read_table reads at most "
            f"{limits.max_columns:,}: {limits.fix('max_columns')}"
        )
    _check_duplicate_headers(header_fields, origin, skip + 1)
    split_hint = (
        "a decimal comma in an unquoted number splits it in two: quote it (\"84,6\"), save the CSV with ';' "
        "as separator, or write 84.6" if sep == "," else "check quotes and separators"
    )
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True,
                            skiprows=skip, skip_blank_lines=False)
    except pd.errors.ParserError as exc:
        msg = str(exc).strip()
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
        if m:
            raise TableFormatError(
                f"{origin}: row {int(m.group(2)) + skip} has {m.group(3)} cells but the header has {m.group(1)}; "
                f"{split_hint}"
            ) from exc
        m = re.search(r"EOF inside string starting at row (\d+)", msg)
        if m:
            raise TableFormatError(
                f"{origin}: a quoted cell opened on row {int(m.group(1)) + 1 + skip} is never closed (is the file "
                "truncated?); close the quote or export the table again"
            ) from exc
        raise TableFormatError(f"{origin}: malformed CSV ({msg}); check quotes and the number of columns") from exc
    if not isinstance(frame.index, pd.RangeIndex):
        # Rows with one cell more than the header: pandas would silently use the first cell as
        # an index and shift every column (a province named "84", a score of 6).
        wide = [i + 2 + skip for i, line in enumerate(lines[skip + 1 :]) if len(_fields(line, sep)) > n_header]
        rows = ", ".join(map(str, wide[:10])) + (" ..." if len(wide) > 10 else "")
        which = f"row {rows} has" if len(wide) == 1 else f"rows {rows} have"
        raise TableFormatError(f"{origin}: {which} more cells than the header ({n_header}); {split_hint}")
    return _Sheet(frame, skip, "csv", encoding=encoding)
