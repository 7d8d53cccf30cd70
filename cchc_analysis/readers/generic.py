"""A reader for any province x score/rank table, in CSV or XLSX.

Users hold full PAR Index or SIPAS tables copied from ministry reports; this loads one
in a single call.  Headers may be Vietnamese or English ("Tỉnh/thành phố", "Điểm",
"Xếp hạng", "Province", "Score", "Rank"); numbers may use decimal commas ("84,6") or
thousands dots; files may be UTF-8 (with or without BOM), Windows-1258 or UTF-16 (Excel's
"Unicode Text"). Title rows above the header are skipped (``attrs["header_line"]``).

Rows naming an aggregate ("Cả nước", "Trung bình", "National average") are set aside
and reported, never mixed with provinces; any other name that is not a province raises
an error with the row number and close matches.

>>> import io
>>> table = read_table(io.StringIO("Tỉnh,Điểm,Xếp hạng\\nQuảng Nam,\\"84,6\\",56\\n"),
...                    index="par", year=2023, source_id="my-par-2023")
>>> table[["province", "value", "rank"]].to_dict("records")
[{'province': 'Quảng Nam', 'value': 84.6, 'rank': 56}]
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import IO

import pandas as pd

from ..provinces import fold_name
from ..schema import SchemaError, tidy_indicators, validate_indicators

__all__ = ["read_table", "parse_number", "TableFormatError"]

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


class TableFormatError(ValueError):
    """The table cannot be read as a province x score/rank table."""


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


_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _decode(raw: bytes, origin: str) -> str:
    if raw.startswith(_ZIP) or raw.startswith(_OLE):
        kind = ".xlsx" if raw.startswith(_ZIP) else ".xls"
        raise TableFormatError(
            f"{origin}: this is an Excel workbook ({kind}), not a CSV text file; rename it to {kind} "
            "(or pass the workbook itself), or export the sheet as CSV UTF-8"
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text" (UTF-16, tab-separated)
        try:
            return unicodedata.normalize("NFC", raw.decode("utf-16"))
        except UnicodeDecodeError:
            raise TableFormatError(f"{origin}: damaged UTF-16 text; save the file as CSV UTF-8") from None
    if b"\x00" in raw[:4096]:
        raise TableFormatError(
            f"{origin}: binary data, not a CSV text file (a NUL byte in the first 4 KB); "
            "export the table as CSV UTF-8 or pass the .xlsx workbook"
        )
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        # cp1258 writes tones as combining marks: compose them so names match.
        return unicodedata.normalize("NFC", text)
    raise TableFormatError(f"{origin}: not UTF-8 or Windows-1258 text; save the file as UTF-8 CSV")


def _placeholder(header: object) -> bool:
    """An empty header cell (pandas names it "Unnamed: 3"): never matched by meaning."""
    text = str(header).strip()
    return not text or text.lower() == "nan" or re.fullmatch(r"Unnamed: \d+(_level_\d+)?", text) is not None


def _find(headers: list[str], wanted: tuple[str, ...], what: str, origin: str, required: bool) -> str | None:
    folded = {h: fold_name(str(h)) for h in headers if not _placeholder(h)}
    for key in wanted:  # exact header match first, in order of preference
        for h, f in folded.items():
            if f == key:
                return h
    for key in wanted:
        for h, f in folded.items():
            if f.startswith(key) or (len(key) > 3 and key in f):
                return h
    if required:
        raise TableFormatError(
            f"{origin}: no {what} column among {headers}; rename one column or pass "
            f"{what}_column='...'"
        )
    return None


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
) -> pd.DataFrame:
    """Read a province x score/rank table into tidy indicator rows.

    Parameters
    ----------
    source : path to a .csv/.txt/.xlsx/.xls file, or a text/bytes buffer holding CSV.
    index, year, component : what the table measures (``year`` = assessment year).
    source_id : the id of the source (add it to your sources table).
    unit : defaults by index (percent for PAR/SIPAS, index_0_1 for DTI, score otherwise).
    boundaries : "legacy" (63 provinces) or "2025" (34 units).
    sheet : sheet name or number (from 0) for workbooks; None: the only sheet.
    province_column, value_column, rank_column : override header detection.
    validate : run :func:`cchc_analysis.schema.validate_indicators` on the result.

    Returns
    -------
    DataFrame in the tidy schema; ``attrs["aggregates"]`` holds the aggregate rows set aside
    (name, value, rank, line) and ``attrs["header_line"]`` the line of the header (1 unless
    title rows come first: they are skipped when a later row among the first 10 is the header).

    Raises
    ------
    TableFormatError : unreadable file (damaged workbook, missing sheet, a workbook or web
        page under the wrong name, rows with more cells than the header), no province
        column, neither score nor rank column.
    SchemaError : unknown province names (with row numbers and close matches), values
        that are not numbers, duplicate provinces, out-of-range values.
    """
    origin = getattr(source, "name", None) or (str(source) if isinstance(source, (str, Path)) else "<buffer>")
    origin = Path(origin).name if isinstance(origin, str) and origin != "<buffer>" else origin
    if index not in _UNIT_BY_INDEX:
        raise ValueError(f"index must be one of {sorted(_UNIT_BY_INDEX)}, got {index!r}")
    frame, skipped_lines = _read_any(source, origin, sheet, province_column)
    frame.columns = [str(c).strip() for c in frame.columns]
    headers = list(frame.columns)
    if province_column is not None and province_column not in headers:
        raise TableFormatError(f"{origin}: no column {province_column!r} among {headers}; check province_column=")
    try:
        pcol = province_column or _find(headers, _PROVINCE_HEADERS, "province", origin, True)
    except TableFormatError as exc:
        raise TableFormatError(
            f"{exc}; if title rows come before the header, delete them (the header must be among the first "
            f"{_HEADER_SEARCH} rows)"
        ) from None
    rcol = rank_column or _find([h for h in headers if h != pcol], _RANK_HEADERS, "rank", origin, False)
    vcol = value_column or _find([h for h in headers if h not in (pcol, rcol)], _VALUE_HEADERS, "value", origin, False)
    if vcol is None and rcol is None:
        raise TableFormatError(f"{origin}: found neither a score nor a rank column among {headers}")

    records, aggregates, problems = [], [], []
    for pos, row in enumerate(frame.to_dict("records")):
        line = pos + 2 + skipped_lines
        name = row.get(pcol)
        if name is None or (isinstance(name, float) and pd.isna(name)) or not str(name).strip():
            if any(str(v).strip() for v in row.values() if v is not None and not (isinstance(v, float) and pd.isna(v))):
                problems.append(f"row {line}: empty province name; fill it or delete the row")
            continue
        name = str(name).strip()
        try:
            value = parse_number(row.get(vcol)) if vcol else None
        except ValueError as exc:
            problems.append(f"row {line}: column {vcol!r}: {exc}; write the score as digits, e.g. 84,6")
            continue
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
    tidy = tidy_indicators(
        pd.DataFrame(records),
        index=index,
        unit=unit or _UNIT_BY_INDEX[index],
        source_id=source_id,
        boundaries=boundaries,
        origin=origin,
    )
    if validate:
        lines = pd.DataFrame(records)["_line"].to_numpy()
        validate_indicators(tidy.assign(_line=lines), origin=origin)
    tidy.attrs["aggregates"] = pd.DataFrame(aggregates, columns=["name", "value", "rank", "line"])
    tidy.attrs["header_line"] = skipped_lines + 1
    return tidy


_HEADER_SEARCH = 10  # title rows above the header: look this far for it


def _is_header(cells: list[object], province_column: str | None) -> bool:
    """Whether a row reads as the header: a province column and a score or rank column, in two cells."""
    cells = [c for c in cells if not _placeholder(c)]
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


def _read_workbook(path: Path, origin: str, sheet: str | int | None, province_column: str | None) -> tuple[pd.DataFrame, int]:
    head = path.read_bytes()[:2048]
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
    try:
        book = pd.ExcelFile(path)
    except Exception as exc:  # zip/xlrd errors differ by engine: report them the same way
        raise TableFormatError(
            f"{origin}: cannot open as a workbook ({type(exc).__name__}: {exc}); the file may be damaged or "
            "truncated: download it again, or re-save it from Excel/LibreOffice as .xlsx or export a CSV"
        ) from exc
    with book:
        names = book.sheet_names
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
        try:
            grid = pd.read_excel(book, sheet_name=sheet, header=None, nrows=_HEADER_SEARCH, dtype=object)
            skip = _header_offset(grid.values.tolist(), province_column)
            return pd.read_excel(book, sheet_name=sheet, header=skip, dtype=object), skip
        except Exception as exc:
            raise TableFormatError(
                f"{origin}: cannot read sheet {sheet!r} ({type(exc).__name__}: {exc}); re-save the workbook "
                "from Excel/LibreOffice as .xlsx or export a CSV"
            ) from exc


def _fields(line: str, sep: str) -> list[str]:
    return next(csv.reader([line], delimiter=sep), [])


def _read_any(source: str | Path | IO, origin: str, sheet: str | int | None,
              province_column: str | None = None) -> tuple[pd.DataFrame, int]:
    """The table as text cells, and the number of lines before its header."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file")
        if path.is_dir():
            raise TableFormatError(f"{origin}: is a folder; pass the CSV or XLSX file inside it")
        if path.stat().st_size == 0:
            raise TableFormatError(f"{origin}: the file is empty")
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            return _read_workbook(path, origin, sheet, province_column)
        raw = path.read_bytes()
    else:
        raw = source.read()
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
    text = _decode(raw, origin)
    if not text.strip():
        raise TableFormatError(f"{origin}: the file is empty")
    lines = text.splitlines()

    def separator(line: str) -> str:
        return max((";", "\t", ","), key=line.count) if any(s in line for s in ";\t,") else ","

    skip = _header_offset([_fields(line, separator(line)) for line in lines[:_HEADER_SEARCH]], province_column)
    header = lines[skip]
    sep = separator(header)
    n_header = len(_fields(header, sep))
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
    return frame, skip
