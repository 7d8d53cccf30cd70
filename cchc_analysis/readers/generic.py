"""A reader for any province x score/rank table, in CSV or XLSX.

Users hold full PAR Index or SIPAS tables copied from ministry reports; this loads one
in a single call.  Headers may be Vietnamese or English ("Tỉnh/thành phố", "Điểm",
"Xếp hạng", "Province", "Score", "Rank"); numbers may use decimal commas ("84,6") or
thousands dots; files may be UTF-8 (with or without BOM) or Windows-1258.

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


def _decode(raw: bytes, origin: str) -> str:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        # cp1258 writes tones as combining marks: compose them so names match.
        return unicodedata.normalize("NFC", text)
    raise TableFormatError(f"{origin}: not UTF-8 or Windows-1258 text; save the file as UTF-8 CSV")


def _find(headers: list[str], wanted: tuple[str, ...], what: str, origin: str, required: bool) -> str | None:
    folded = {h: fold_name(str(h)) for h in headers}
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
    sheet : sheet name or number for workbooks.
    province_column, value_column, rank_column : override header detection.
    validate : run :func:`cchc_analysis.schema.validate_indicators` on the result.

    Returns
    -------
    DataFrame in the tidy schema; ``attrs["aggregates"]`` holds aggregate rows set aside.

    Raises
    ------
    TableFormatError : unreadable file, no province column, neither score nor rank column.
    SchemaError : unknown province names (with row numbers and close matches), values
        that are not numbers, duplicate provinces, out-of-range values.
    """
    origin = getattr(source, "name", None) or (str(source) if isinstance(source, (str, Path)) else "<buffer>")
    origin = Path(origin).name if isinstance(origin, str) and origin != "<buffer>" else origin
    if index not in _UNIT_BY_INDEX:
        raise ValueError(f"index must be one of {sorted(_UNIT_BY_INDEX)}, got {index!r}")
    frame = _read_any(source, origin, sheet)
    frame.columns = [str(c).strip() for c in frame.columns]
    headers = list(frame.columns)
    pcol = province_column or _find(headers, _PROVINCE_HEADERS, "province", origin, True)
    rcol = rank_column or _find([h for h in headers if h != pcol], _RANK_HEADERS, "rank", origin, False)
    vcol = value_column or _find([h for h in headers if h not in (pcol, rcol)], _VALUE_HEADERS, "value", origin, False)
    if vcol is None and rcol is None:
        raise TableFormatError(f"{origin}: found neither a score nor a rank column among {headers}")

    records, aggregates, problems = [], [], []
    for pos, row in enumerate(frame.to_dict("records")):
        line = pos + 2
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
    tidy.attrs["aggregates"] = pd.DataFrame(aggregates)
    return tidy


def _read_any(source: str | Path | IO, origin: str, sheet: str | int | None) -> pd.DataFrame:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file")
        if path.stat().st_size == 0:
            raise TableFormatError(f"{origin}: the file is empty")
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            try:
                return pd.read_excel(path, sheet_name=sheet, dtype=object)
            except Exception as exc:  # zip/xlrd errors differ by engine: report them the same way
                raise TableFormatError(
                    f"{origin}: cannot open as a workbook ({type(exc).__name__}: {exc}); "
                    "re-save it from Excel/LibreOffice as .xlsx or export a CSV"
                ) from exc
        raw = path.read_bytes()
    else:
        raw = source.read()
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
    text = _decode(raw, origin)
    if not text.strip():
        raise TableFormatError(f"{origin}: the file is empty")
    first = text.splitlines()[0]
    sep = max((";", "\t", ","), key=first.count) if any(s in first for s in ";\t,") else ","
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.ParserError as exc:
        raise TableFormatError(f"{origin}: malformed CSV ({exc}); check quotes and the number of columns") from exc
