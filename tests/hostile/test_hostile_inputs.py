"""Issue 10, reader and loader items: hostile input files and the message the user sees.

Every file here is synthetic and built by code.  Each case names the exact text the user reads
(exceptions) or the value read; the table below is the index.

=====  ===========================================================  ==============================================
item   case                                                         what the user sees
=====  ===========================================================  ==============================================
2      .xlsx, one value in cell XFD1048576 (used range recorded)     TableSizeError "... says its used range is
                                                                    A1:XFD1048576 (1,048,576 rows × 16,384
                                                                    columns); read_table reads at most ..."
2      the same, used range missing or lying ("A1:B3")               "... a value in cell XFD1048576 is beyond
                                                                    column 500 ..."
2      .xlsx with 2,000,000 rows (0.6 MB on disk)                    "sheet 'Sheet' unpacks to N bytes; read_table
                                                                    reads at most 50,000,000 bytes ..."
2      .xlsx with 20,000 rows, no or a lying used range              "a value in cell A10001 is beyond row 10,000"
2      200 MB CSV; CSV of 20,001 lines                               "the file is 200,000,000 bytes; ..." /
                                                                    "the file has 20,001 lines; ..."
2      limits raised by keyword or environment variable              read; a bad CCHC_MAX_ROWS is named
3      "Điểm 2022, Điểm 2023, Xếp hạng 2022, Xếp hạng 2023"          the 2023 columns; year=2024 refused; "Điểm" +
                                                                    "Điểm 2022" for 2023 refused as ambiguous
4      per-cent cells (0.846 shown as 84.6 %) for SIPAS              84.6 (attrs["percent_cells"]); DTI keeps 0.834
4      fractions typed in a CSV for PAR                              "every score is between 0.78 and 0.846, but
                                                                    par/overall is in per cent (0-100) ..."
5      formulas without a saved result                               UncalculatedFormulaWarning naming B3, C4
13     UTF-16 without BOM (LE and BE)                                read as text
13     one bad byte in a UTF-8 file                                  "line 3, character 3: byte 0xFF is not UTF-8"
13     VNI or TCVN3 text (names or headers)                          "... are in the legacy VNI encoding ..."
13     the table on the second sheet                                 "sheet 'Ghi chú' has no table header ...;
                                                                    sheet 'PAR 2023' (number 1) has the table"
13     duplicate headers                                            "columns 2 ('Điểm') and 3 ('ĐIỂM') ..."
13     year=20233, unknown component, empty source_id               ValueError naming the argument and the fix
13     cchc data coverage pci --component xyz                        exit 2, "component 'xyz' is not in the pci
                                                                    data ..."
=====  ===========================================================  ==============================================

Item 6 (bundled tables checked on load) is in ``tests/test_checksums.py``; the PCI workbook that
names another year than its file (item 13) in ``tests/test_reader_pci.py``.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cchc_analysis.readers.generic import (
    TableFormatError,
    TableSizeError,
    UncalculatedFormulaWarning,
    legacy_encoding,
    read_table,
)

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: a regression fails fast instead of taking the machine


def read_par(source, **kw):
    kw.setdefault("index", "par")
    kw.setdefault("year", 2023)
    kw.setdefault("source_id", "synthetic-par-2023")
    return read_table(source, **kw)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# --------------------------------------------------------------------------- synthetic .xlsx built from XML

_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def cell(ref: str, value) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def row(r: int, *cells: str) -> str:
    return f'<row r="{r}">{"".join(cells)}</row>'


def synthetic_xlsx_from_xml(path: Path, rows, dimension: str | None) -> Path:
    """A workbook whose only sheet is the given <row> elements (an iterable of strings, streamed),
    with ``dimension`` as its recorded used range (None: no <dimension> element)."""
    from openpyxl import Workbook

    template = io.BytesIO()
    Workbook().save(template)
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, src.read(info))
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            sheet.write(f"{_SHEET_HEAD}{dim}<sheetData>".encode())
            chunk = []
            for xml in rows:
                chunk.append(xml)
                if len(chunk) >= 20_000:
                    sheet.write("".join(chunk).encode())
                    chunk.clear()
            sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())
    return path


def header_and_one_row():
    yield row(1, cell("A1", "Tỉnh"), cell("B1", "Điểm"))
    yield row(2, cell("A2", "Quảng Nam"), cell("B2", 84.6))


def with_stray_cell():
    yield from header_and_one_row()
    yield row(1048576, cell("XFD1048576", 1))


def many_rows(n: int):
    yield from header_and_one_row()
    for r in range(3, n + 2):
        yield row(r, cell(f"A{r}", "x"))


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory) -> dict[str, Path]:
    """The size-limit cases, built once."""
    from openpyxl import Workbook

    d = tmp_path_factory.mktemp("hostile")
    wb = Workbook()
    ws = wb.active
    ws.append(["Tỉnh", "Điểm"])
    ws.append(["Quảng Nam", 84.6])
    ws.cell(row=1048576, column=16384, value=1)  # openpyxl records A1:XFD1048576 as the used range
    wb.save(d / "synthetic_xfd.xlsx")
    files = {"xfd": d / "synthetic_xfd.xlsx"}
    files["xfd_nodim"] = synthetic_xlsx_from_xml(d / "synthetic_xfd_nodim.xlsx", with_stray_cell(), None)
    files["xfd_lying"] = synthetic_xlsx_from_xml(d / "synthetic_xfd_lying.xlsx", with_stray_cell(), "A1:B2")
    files["rows_2m"] = synthetic_xlsx_from_xml(d / "synthetic_2m_rows.xlsx", many_rows(2_000_000), "A1:B2000001")
    files["rows_20k_nodim"] = synthetic_xlsx_from_xml(d / "synthetic_20k_nodim.xlsx", many_rows(20_000), None)
    files["rows_20k_lying"] = synthetic_xlsx_from_xml(d / "synthetic_20k_lying.xlsx", many_rows(20_000), "A1:B3")
    big = d / "synthetic_200mb.csv"
    with open(big, "wb") as handle:
        handle.write(("Tỉnh,Điểm\n" + "Quảng Nam,84\n" * 500).encode())
        handle.truncate(200_000_000)  # sparse: takes no disk space, but 200 MB to read
    files["csv_200mb"] = big
    files["csv_20k"] = write(d, "synthetic_20k.csv", "Tỉnh,Điểm\n" + "Quảng Nam,84\n" * 20_000)
    return files


_MEMORY_SCRIPT = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from cchc_analysis.readers.generic import read_table
out = {}
for path in sys.argv[2:]:
    try:
        read_table(path, index="par", year=2023, source_id="synthetic-par-2023")
        out[path] = "read"
    except MemoryError:
        out[path] = "MemoryError"
    except Exception as exc:
        out[path] = f"{type(exc).__name__}: {exc}"
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def under_memory_limit(hostile_files) -> dict[str, str]:
    """What each hostile file gives in a child process limited to 1 GiB of address space."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    for name in ("CCHC_MAX_ROWS", "CCHC_MAX_COLUMNS", "CCHC_MAX_BYTES"):
        env.pop(name, None)
    paths = {key: str(path) for key, path in hostile_files.items()}
    done = subprocess.run([sys.executable, "-c", _MEMORY_SCRIPT, str(MEMORY_LIMIT), *paths.values()],
                          capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    return {key: results[path] for key, path in paths.items()}


LIMIT_FIX = "raise the limit with read_table(..., {0}=N) or the environment variable CCHC_{1}"
DELETE = "Delete the {0} beyond the table (in Excel, Ctrl+End shows the last used cell) and save, or "


@pytest.mark.parametrize("case, expected", [
    ("xfd", "TableSizeError: synthetic_xfd.xlsx: sheet 'Sheet' says its used range is A1:XFD1048576 (1,048,576 "
            "rows × 16,384 columns); read_table reads at most 10,000 rows and 500 columns. "
            + DELETE.format("cells") + LIMIT_FIX.format("max_rows", "MAX_ROWS")),
    ("xfd_nodim", "TableSizeError: synthetic_xfd_nodim.xlsx: sheet 'Sheet': a value in cell XFD1048576 is beyond "
                  "column 500; read_table reads at most 500 columns. "
                  + DELETE.format("cells") + LIMIT_FIX.format("max_columns", "MAX_COLUMNS")),
    ("xfd_lying", "TableSizeError: synthetic_xfd_lying.xlsx: sheet 'Sheet': a value in cell XFD1048576 is beyond "
                  "column 500; read_table reads at most 500 columns. "
                  + DELETE.format("cells") + LIMIT_FIX.format("max_columns", "MAX_COLUMNS")),
    ("rows_20k_nodim", "TableSizeError: synthetic_20k_nodim.xlsx: sheet 'Sheet': a value in cell A10001 is beyond "
                       "row 10,000; read_table reads at most 10,000 rows. "
                       + DELETE.format("rows") + LIMIT_FIX.format("max_rows", "MAX_ROWS")),
    ("rows_20k_lying", "TableSizeError: synthetic_20k_lying.xlsx: sheet 'Sheet': a value in cell A10001 is beyond "
                       "row 10,000; read_table reads at most 10,000 rows. "
                       + DELETE.format("rows") + LIMIT_FIX.format("max_rows", "MAX_ROWS")),
    ("csv_200mb", "TableSizeError: synthetic_200mb.csv: the file is 200,000,000 bytes; read_table reads at most "
                  "50,000,000 bytes (a province table is a few kilobytes): check that this is the table you meant, "
                  "or " + LIMIT_FIX.format("max_bytes", "MAX_BYTES")),
    ("csv_20k", "TableSizeError: synthetic_20k.csv: the file has 20,001 lines; read_table reads at most 10,000 rows: "
                "check that this is the table you meant, or " + LIMIT_FIX.format("max_rows", "MAX_ROWS")),
])
def test_item2_size_limits_under_a_memory_limit(under_memory_limit, case, expected):
    assert under_memory_limit[case] == expected


def test_item2_two_million_rows_refused_by_unpacked_size(under_memory_limit, hostile_files):
    with zipfile.ZipFile(hostile_files["rows_2m"]) as book:
        unpacked = book.getinfo("xl/worksheets/sheet1.xml").file_size
    assert unpacked > 10 * hostile_files["rows_2m"].stat().st_size  # small on disk, big unpacked
    message = under_memory_limit["rows_2m"]
    assert message.startswith(f"TableSizeError: synthetic_2m_rows.xlsx: sheet 'Sheet' unpacks to {unpacked:,} bytes; ")
    assert message.endswith(" bytes; read_table reads at most 50,000,000 bytes. Copy the table into a new "
                            "workbook, or " + LIMIT_FIX.format("max_bytes", "MAX_BYTES"))


def test_item2_limits_can_be_raised_by_keyword_or_environment(tmp_path, monkeypatch):
    path = write(tmp_path, "synthetic_three.csv", "Tỉnh,Điểm\nQuảng Nam,84\nHà Nội,90\nHuế,88\n")
    with pytest.raises(TableSizeError, match=r"the file is 52 bytes; read_table reads at most 40 bytes"):
        read_par(path, max_bytes=40)
    monkeypatch.setenv("CCHC_MAX_BYTES", "40")
    with pytest.raises(TableSizeError, match=r"reads at most 40 bytes"):
        read_par(path)
    assert len(read_par(path, max_bytes=1000)) == 3  # the keyword wins over the environment
    monkeypatch.setenv("CCHC_MAX_BYTES", "lots")
    with pytest.raises(ValueError) as err:
        read_par(path)
    assert str(err.value) == "environment variable CCHC_MAX_BYTES='lots' is not a whole number; set it to e.g. 50000000"
    monkeypatch.delenv("CCHC_MAX_BYTES")
    with pytest.raises(ValueError, match=r"max_rows=0: give a whole number of at least 1 \(default 10000\)"):
        read_par(path, max_rows=0)


def test_item2_workbook_within_limits_reads_streaming(tmp_path):
    # used range recorded wrongly (A1:B2 for three rows): every row is still read
    rows = [row(1, cell("A1", "Tỉnh"), cell("B1", "Điểm")), row(2, cell("A2", "Quảng Nam"), cell("B2", 84.6)),
            row(3, cell("A3", "Hà Nội"), cell("B3", 90.1))]
    path = synthetic_xlsx_from_xml(tmp_path / "synthetic_small.xlsx", rows, "A1:B2")
    assert read_par(path)["value"].tolist() == [84.6, 90.1]


# --------------------------------------------------------------------------- item 3: the year's columns

YEARS_TABLE = "Tỉnh,Điểm 2022,Điểm 2023,Xếp hạng 2022,Xếp hạng 2023\nQuảng Nam,83.1,84.6,60,56\nHà Nội,88.0,90.1,20,9\n"


def test_item3_the_columns_of_the_year_asked_for(tmp_path):
    path = write(tmp_path, "synthetic_years.csv", YEARS_TABLE)
    table = read_par(path, year=2023)
    assert table[["province", "value", "rank"]].values.tolist() == [["Quảng Nam", 84.6, 56], ["Hà Nội", 90.1, 9]]
    assert read_par(path, year=2022)["value"].tolist() == [83.1, 88.0]


def test_item3_a_year_the_table_does_not_hold_is_refused(tmp_path):
    path = write(tmp_path, "synthetic_years.csv", YEARS_TABLE)
    with pytest.raises(TableFormatError) as err:
        read_par(path, year=2021)
    assert str(err.value) == (
        "synthetic_years.csv: no rank column for year=2021: the rank columns ['Xếp hạng 2022', 'Xếp hạng 2023'] are "
        "for 2022, 2023; pass the year the table measures (year=...) or rank_column='...'")


def test_item3_a_change_since_another_year_does_not_hide_the_score(tmp_path):
    path = write(tmp_path, "synthetic_change.csv", "Tỉnh,Điểm,Xếp hạng,Tăng/giảm điểm so với 2022\n"
                                                   "Quảng Nam,84.6,56,1.5\n")
    assert read_par(path, year=2023)[["value", "rank"]].values.tolist() == [[84.6, 56]]


def test_item3_a_column_without_a_year_beside_dated_ones_is_ambiguous(tmp_path):
    path = write(tmp_path, "synthetic_ambiguous.csv", "Tỉnh,Điểm,Điểm 2022\nQuảng Nam,84.6,83.1\n")
    with pytest.raises(TableFormatError) as err:
        read_par(path, year=2023)
    assert str(err.value) == (
        "synthetic_ambiguous.csv: cannot tell the value column for year=2023: 'Điểm' names no year and "
        "['Điểm 2022'] name 2022; pass value_column='...' (or rename the column to say its year)")
    assert read_par(path, year=2023, value_column="Điểm")["value"].tolist() == [84.6]


# --------------------------------------------------------------------------- item 4: per-cent cells


def percent_book(path: Path, values, number_format: str | None = "0.0%") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Tỉnh", "Điểm"])
    for i, (name, value) in enumerate(values, start=2):
        ws.append([name, value])
        if number_format:
            ws.cell(row=i, column=2).number_format = number_format
    wb.save(path)
    return path


def test_item4_percent_formatted_cells_read_as_the_percentage_shown(tmp_path):
    path = percent_book(tmp_path / "synthetic_percent.xlsx", [("Quảng Nam", 0.7844), ("Hà Nội", 0.846)])
    table = read_par(path, index="sipas")
    assert table["value"].tolist() == [78.44, 84.6] and table.attrs["percent_cells"] == 2


def test_item4_dti_keeps_the_stored_fraction(tmp_path):
    path = percent_book(tmp_path / "synthetic_dti_percent.xlsx", [("Đà Nẵng", 0.834)])
    table = read_par(path, index="dti")
    assert table["value"].tolist() == [0.834] and table.attrs["percent_cells"] == 0


@pytest.mark.parametrize("kind", ["csv", "xlsx-general"])
def test_item4_fractions_where_the_index_is_in_percent_are_refused(tmp_path, kind):
    if kind == "csv":
        path = write(tmp_path, "synthetic_fractions.csv", 'Tỉnh,Điểm\nQuảng Nam,"0,846"\nHà Nội,0.78\n')
    else:
        path = percent_book(tmp_path / "synthetic_fractions.xlsx", [("Quảng Nam", 0.846), ("Hà Nội", 0.78)], None)
    with pytest.raises(TableFormatError) as err:
        read_par(path)
    assert str(err.value) == (
        f"{path.name}: column 'Điểm': every score is between 0.78 and 0.846, but par/overall is in per cent "
        "(0-100): these look like fractions (84.6 % stored as 0.846). Multiply them by 100, or in Excel format the "
        "column as a percentage (read_table reads the percentage shown)")


# --------------------------------------------------------------------------- item 5: formulas never calculated


def test_item5_formulas_without_a_saved_result_are_named(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Tỉnh", "Điểm", "Xếp hạng"])
    ws.append(["Quảng Nam", 84.6, 56])
    ws.append(["Hà Nội", "=B2+5.5", 9])  # openpyxl writes the formula, never its result
    ws.append(["Huế", 88.0, "=C3+1"])
    path = tmp_path / "synthetic_formulas.xlsx"
    wb.save(path)
    with pytest.warns(UncalculatedFormulaWarning) as caught:
        table = read_par(path)
    assert str(caught[0].message) == (
        "synthetic_formulas.xlsx: sheet 'Sheet': 2 cell(s) hold a formula whose result was never saved and read as "
        "empty: B3, C4. The file was written by a program that does not calculate formulas; open it in Excel or "
        "LibreOffice, save it, and read it again")
    assert table.attrs["uncalculated_formulas"] == ["B3", "C4"]
    assert pd.isna(table.set_index("province").at["Hà Nội", "value"])


def test_item5_no_warning_for_plain_empty_cells(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Tỉnh", "Điểm", "Xếp hạng"])
    wb.active.append(["Quảng Nam", None, 56])
    wb.save(tmp_path / "synthetic_empty_cell.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = read_par(tmp_path / "synthetic_empty_cell.xlsx")
    assert table.attrs["uncalculated_formulas"] == []


# --------------------------------------------------------------------------- item 13: encodings

BODY = "Tỉnh\tĐiểm\nQuảng Nam\t84,6\nĐắk Lắk\t80,1\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_item13_utf16_without_byte_order_mark(tmp_path, encoding):
    table = read_par(write(tmp_path, "synthetic_utf16.txt", BODY.encode(encoding)))
    assert table["province"].tolist() == ["Quảng Nam", "Đắk Lắk"] and table["value"].tolist() == [84.6, 80.1]
    assert table.attrs["encoding"] == encoding


def test_item13_a_bad_byte_in_utf8_is_named_with_its_line(tmp_path):
    raw = "Tỉnh,Điểm\nHà Nội,90\nQu".encode() + b"\xff" + "ng Nam,84\n".encode()
    with pytest.raises(TableFormatError) as err:
        read_par(write(tmp_path, "synthetic_badbyte.csv", raw))
    assert str(err.value) == (
        "synthetic_badbyte.csv: line 3, character 3: byte 0xFF is not UTF-8, though the rest of the file is UTF-8 "
        "(1 bad byte sequence(s) in all; the line reads 'Qu\ufffdng Nam,84'); the file was damaged or mixes two "
        "encodings: retype that character in a text editor and save the file as UTF-8, or export the table again")


# Legacy encodings as a Vietnamese font user typed them (own test words; VNI puts the tone
# after the letter, TCVN3 maps toned letters onto 0xA1-0xFF).
VNI = {"Tỉnh": "Tænh", "Điểm": "Ñieåm", "Quảng": "Quaûng", "Hà": "Haø", "Nội": "Noäi"}
TCVN3 = {"Tỉnh": "TØnh", "Điểm": "§iÓm", "Quảng": "Qu¶ng", "Hà": "Hµ", "Nội": "Néi"}


def legacy(text: str, table: dict[str, str]) -> str:
    for word, typed in table.items():
        text = text.replace(word, typed)
    return text


SAMPLE = "Tỉnh,Điểm\nQuảng Nam,84\nHà Nội,90\n"
CONVERT = ("Convert it to Unicode first (e.g. with Unikey's converter: source {0}, target Unicode), then save it as "
           "CSV UTF-8 or .xlsx")


@pytest.mark.parametrize("name, table, expected", [
    ("vni", VNI, "synthetic_vni.csv: the headers are in the legacy VNI encoding, not Unicode (e.g. 'Ñieåm'): the "
                 "table was typed with a VNI font such as VNI-Times. " + CONVERT.format("VNI Windows")),
    ("tcvn3", TCVN3, "synthetic_tcvn3.csv: the headers are in the legacy TCVN3 (ABC) encoding, not Unicode (e.g. "
                     "'§iÓm'): the table was typed with a .Vn font such as .VnTime. " + CONVERT.format("TCVN3 (ABC)")),
])
def test_item13_legacy_encodings_are_named(tmp_path, name, table, expected):
    raw = legacy(SAMPLE, table).encode("cp1252")  # bytes as saved from the legacy font
    with pytest.raises(TableFormatError) as err:
        read_par(write(tmp_path, f"synthetic_{name}.csv", raw))
    assert str(err.value) == expected


def test_item13_legacy_names_under_unicode_headers(tmp_path):
    text = "Tỉnh,Điểm\n" + legacy("Quảng Nam,84\nHà Nội,90\n", VNI)
    with pytest.raises(TableFormatError) as err:
        read_par(write(tmp_path, "synthetic_vni_names.csv", text))
    assert str(err.value) == (
        "synthetic_vni_names.csv: the province names are in the legacy VNI encoding, not Unicode (row 2: "
        "'Quaûng Nam'): the table was typed with a VNI font such as VNI-Times. " + CONVERT.format("VNI Windows"))
    assert legacy_encoding(["Quảng Nam", "Hòa Bình", "Võ Nhai", "Thừa Thiên Huế"]) is None  # real Vietnamese
    assert legacy_encoding(["Hµ Néi"]) == "TCVN3" and legacy_encoding(["Haø Noäi"]) == "VNI"


# --------------------------------------------------------------------------- item 13: sheets and headers


def two_sheet_book(path: Path, first_empty: bool) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    notes = wb.active
    notes.title = "Sheet" if first_empty else "Ghi chú"
    if not first_empty:
        notes.append(["Bảng do nhóm nghiên cứu nhập lại từ báo cáo"])
    data = wb.create_sheet("PAR 2023")
    data.append(["Tỉnh", "Điểm"])
    data.append(["Quảng Nam", 84.6])
    wb.save(path)
    return path


@pytest.mark.parametrize("first_empty, expected", [
    (False, "synthetic_sheets.xlsx: sheet 'Ghi chú' has no table header (no province column in its first 10 rows); "
            "sheet 'PAR 2023' (number 1) has the table: pass sheet='PAR 2023' (or sheet=1)"),
    (True, "synthetic_sheets.xlsx: sheet 'Sheet' is empty; sheet 'PAR 2023' (number 1) has the table: pass "
           "sheet='PAR 2023' (or sheet=1)"),
])
def test_item13_the_table_on_another_sheet_is_suggested(tmp_path, first_empty, expected):
    path = two_sheet_book(tmp_path / "synthetic_sheets.xlsx", first_empty)
    with pytest.raises(TableFormatError) as err:
        read_par(path)
    assert str(err.value) == expected
    assert read_par(path, sheet="PAR 2023")["value"].tolist() == [84.6]


DUPLICATE = ("columns 2 ('Điểm') and 3 ('ĐIỂM') of the header on row {0} have the same name; read_table cannot tell "
             "which to use: rename one (e.g. add the year: 'Điểm 2022', 'Điểm 2023') or delete the column you do not "
             "need")


def test_item13_duplicate_headers_are_refused(tmp_path):
    path = write(tmp_path, "synthetic_dup_header.csv", "Tỉnh,Điểm,ĐIỂM\nQuảng Nam,84.6,78.4\n")
    with pytest.raises(TableFormatError) as err:
        read_par(path)
    assert str(err.value) == "synthetic_dup_header.csv: " + DUPLICATE.format(1)
    book = tmp_path / "synthetic_dup_header.xlsx"
    pd.DataFrame([["BẢNG PAR INDEX 2023", None, None], ["Tỉnh", "Điểm", "ĐIỂM"], ["Quảng Nam", 84.6, 78.4]]
                 ).to_excel(book, index=False, header=False)
    with pytest.raises(TableFormatError) as err:
        read_par(book)
    assert str(err.value) == "synthetic_dup_header.xlsx: " + DUPLICATE.format(2)


# --------------------------------------------------------------------------- item 13: arguments

THIS_YEAR = datetime.date.today().year


@pytest.mark.parametrize("kwargs, expected", [
    ({"year": 20233}, f"year=20233 is not an assessment year; give the four-digit year the table measures, from "
                      f"2000 to {THIS_YEAR}, e.g. year=2023"),
    ({"year": 2023.5}, f"year=2023.5 is not an assessment year; give the four-digit year the table measures, from "
                       f"2000 to {THIS_YEAR}, e.g. year=2023"),
    ({"index": "sipas", "component": "xyz"}, "component='xyz' is not a sipas component. The sipas components are: "
                                             "overall (see cchc_analysis.load_components())"),
    ({"index": "pci", "component": "entry_cost"}, "component='entry_cost' is not a pci component (did you mean "
                                                  "'entry_costs', 'time_costs'?). The pci components are: overall, "
                                                  "business_support, central_policy_implementation, entry_costs, "
                                                  "informal_charges, labor_training, land_access, legal_institutions, "
                                                  "overall_unweighted, policy_bias, proactivity, state_sector_bias, "
                                                  "... (14 in all) (see cchc_analysis.load_components())"),
    ({"source_id": ""}, "source_id='': every figure needs its source; give the id of the table's source, e.g. "
                        "source_id='my-par-2023', and add it to your sources table"),
    ({"source_id": "  "}, "source_id='  ': every figure needs its source; give the id of the table's source, e.g. "
                          "source_id='my-par-2023', and add it to your sources table"),
    ({"source_id": None}, "source_id=None: every figure needs its source; give the id of the table's source, e.g. "
                          "source_id='my-par-2023', and add it to your sources table"),
])
def test_item13_bad_arguments_are_named(kwargs, expected):
    with pytest.raises(ValueError) as err:
        read_par(io.StringIO("Tỉnh,Điểm\nQuảng Nam,84\n"), **kwargs)
    assert str(err.value) == expected


def test_item13_year_as_text_and_numpy_integers_are_years():
    import numpy as np

    for year in ("2023", np.int64(2023)):
        assert read_par(io.StringIO("Tỉnh,Điểm\nQuảng Nam,84\n"), year=year)["year"].tolist() == [2023]


def test_item13_coverage_of_an_unknown_component_fails(capsys):
    from cchc_analysis.cli import main

    assert main(["data", "coverage", "pci", "--component", "xyz"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "cchc: error: component 'xyz' is not in the pci data. Components there: overall, business_support, "
        "central_policy_implementation, entry_costs, informal_charges, labor_training, land_access, "
        "legal_institutions, overall_unweighted, policy_bias, proactivity, state_sector_bias, time_costs, "
        "transparency\n")
    assert main(["data", "coverage", "pci", "--component", "entry_cost"]) == 2
    assert "(did you mean 'entry_costs', 'time_costs'?)" in capsys.readouterr().err
    assert main(["data", "coverage", "pci", "--component", "entry_costs", "--csv"]) == 0
    assert capsys.readouterr().out.startswith("index,year,boundaries,provinces,with_value,with_rank,from_plans,units,share\npci,2005,")
