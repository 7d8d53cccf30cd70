"""Bad input, end to end: every case gets an error naming the file, row or parameter and the fix.

Each test asserts the message text (not only that something raised), and that nothing is
silently dropped or shifted.  Cases already covered elsewhere are not repeated here:
``test_reader_generic.py`` (BOM and Windows-1258 that read fine, a misspelt province, a
word as a score, a duplicate and an out-of-range value, empty and headerless files, a
junk workbook), ``test_schema.py`` (schema checks on frames), ``test_cli_extract.py``
(empty, undecodable and unsupported plan files; --force and the backup) and
``test_report.py`` (unknown and mistyped parameters of the fixture notebook; atomic
reports; re-runs skip complete ones).  All files are synthetic and made here.
"""

from __future__ import annotations

import io
import unicodedata

from pathlib import Path

import pandas as pd
import pytest

from synthetic import to_windows_1258
from cchc_analysis.provinces import UnknownProvinceError, resolve_province
from cchc_analysis.readers.generic import TableFormatError, read_table
from cchc_analysis.schema import SchemaError, tidy_indicators

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "notebooks" / "province_profile.ipynb"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def read_par(source, **kw):
    return read_table(source, index=kw.pop("index", "par"), year=2023, source_id="synthetic-par-2023", **kw)


def message(excinfo) -> str:
    return str(excinfo.value)


# ------------------------------------------------------------------ malformed and truncated CSV


def test_unquoted_decimal_comma_is_an_error_not_a_shifted_table(tmp_path):
    # pandas would take the first cell as an index: province "84" (a GSO code!), score 6.
    path = write(tmp_path, "synthetic_commas.csv", "Tỉnh,Điểm\nQuảng Nam,84,6\nHà Nội,90,1\n")
    with pytest.raises(TableFormatError) as err:
        read_par(path)
    text = message(err)
    assert text.startswith("synthetic_commas.csv: rows 2, 3 have more cells than the header (2)")
    assert 'quote it ("84,6")' in text and "';' as separator" in text


def test_a_later_row_with_an_extra_cell_is_named(tmp_path):
    path = write(tmp_path, "synthetic_extra.csv", "Tỉnh,Điểm\nQuảng Nam,84\nHà Nội,90,1\n")
    with pytest.raises(TableFormatError, match=r"synthetic_extra.csv: row 3 has 3 cells but the header has 2; "
                                               r"a decimal comma in an unquoted number"):
        read_par(path)


def test_semicolon_file_with_an_extra_cell(tmp_path):
    path = write(tmp_path, "synthetic_semi.csv", "Tỉnh;Điểm\nQuảng Nam;84;6\n")
    with pytest.raises(TableFormatError, match=r"synthetic_semi.csv: row 2 has more cells than the header \(2\); "
                                               r"check quotes and separators"):
        read_par(path)


def test_truncated_inside_a_quoted_cell(tmp_path):
    path = write(tmp_path, "synthetic_cut.csv", 'Tỉnh,Điểm\nQuảng Nam,"84,6"\nHà Nội,"90')
    with pytest.raises(TableFormatError) as err:
        read_par(path)
    assert message(err) == ("synthetic_cut.csv: a quoted cell opened on row 3 is never closed (is the file "
                            "truncated?); close the quote or export the table again")


def test_truncated_in_the_middle_of_a_row(tmp_path):
    path = write(tmp_path, "synthetic_cut2.csv", "Tỉnh,Điểm,Xếp hạng\nQuảng Nam,84,5\nHà Nội")
    with pytest.raises(SchemaError, match=r"(?s)synthetic_cut2.csv: 1 problem.*\n  - row 3: neither value nor rank; "
                                          r"drop the row or give the published figure"):
        read_par(path)


def test_blank_lines_do_not_shift_row_numbers(tmp_path):
    path = write(tmp_path, "synthetic_gaps.csv", "Tỉnh,Điểm\nQuảng Nam,84\n\nHà Nội,cao\n")
    with pytest.raises(SchemaError, match=r"row 4: column 'Điểm': 'cao' is not a number"):
        read_par(path)


# ------------------------------------------------------------------ encodings


def test_utf16_unicode_text_from_excel(tmp_path):
    body = "Tỉnh/thành phố\tĐiểm\tXếp hạng\nThừa Thiên Huế\t84,6\t5\nĐắk Lắk\t80,1\t9\n"
    table = read_par(write(tmp_path, "synthetic_unicode.txt", body.encode("utf-16")))
    assert table["province"].tolist() == ["Thừa Thiên Huế", "Đắk Lắk"]
    assert table["value"].tolist() == [84.6, 80.1] and table["rank"].tolist() == [5, 9]


def test_windows_1258_names_in_errors_are_readable(tmp_path):
    path = write(tmp_path, "synthetic_1258.csv", to_windows_1258("Tỉnh,Điểm\nHòa Bình,80\nQuảng Nammm,70\n"))
    with pytest.raises(SchemaError) as err:
        read_par(path)
    # the tones, stored as combining marks, come back composed: the message shows the name as typed
    assert "row 3: Unknown province 'Quảng Nammm'" in message(err) and "Did you mean: Quảng Nam" in message(err)
    assert unicodedata.is_normalized("NFC", message(err))


def test_bom_with_semicolons_decimal_commas_and_thousands_dots(tmp_path):
    body = "\ufeffSTT;Tỉnh, thành phố;Điểm (%);Xếp hạng\n1;Quảng Ninh;92,18;1\n2;TP. Hồ Chí Minh;86.97;33\n"
    table = read_par(write(tmp_path, "synthetic_bom.csv", body))
    assert table["province"].tolist() == ["Quảng Ninh", "TP. Hồ Chí Minh"]
    assert table["value"].tolist() == [92.18, 86.97]


def test_thousands_dot_read_for_a_decimal_is_out_of_range(tmp_path):
    # "84.600" is 84 600 the Vietnamese way: out of range, with the hint about separators
    path = write(tmp_path, "synthetic_dots.csv", "Tỉnh;Điểm\nQuảng Nam;84.600\n")
    with pytest.raises(SchemaError, match=r"row 2: par/overall value 84600.0 outside \[0.0, 100.0\] \(percent\); "
                                          r"check the column read or the decimal separator"):
        read_par(path)


def test_a_workbook_or_binary_data_named_csv(tmp_path):
    book = tmp_path / "synthetic.xlsx"
    pd.DataFrame({"Tỉnh": ["Quảng Nam"], "Điểm": [84.6]}).to_excel(book, index=False)
    disguised = write(tmp_path, "synthetic_book.csv", book.read_bytes())
    with pytest.raises(TableFormatError, match=r"synthetic_book.csv: this is an Excel workbook \(.xlsx\), not a CSV "
                                               r"text file; rename it to .xlsx"):
        read_par(disguised)
    junk = write(tmp_path, "synthetic_junk.csv", b"Ti\x00nh,\x00\x01\x02")
    with pytest.raises(TableFormatError, match=r"synthetic_junk.csv: binary data, not a CSV text file"):
        read_par(junk)


# ------------------------------------------------------------------ ranks, duplicates, ranges


def test_fractional_rank_is_named_not_a_crash(tmp_path):
    path = write(tmp_path, "synthetic_rank.csv", 'Tỉnh,Xếp hạng\nQuảng Nam,"5,5"\nHà Nội,1\n')
    with pytest.raises(SchemaError) as err:
        read_par(path)
    assert "row 2: rank 5.5 is not a whole number; give the published rank" in message(err)


def test_rank_out_of_range_and_dti_given_in_percent(tmp_path):
    rank = write(tmp_path, "synthetic_rank70.csv", "Tỉnh,Xếp hạng\nQuảng Nam,70\n")
    with pytest.raises(SchemaError, match=r"(?s)synthetic_rank70.csv: .*row 2: rank 70 is outside 1..64; give the published rank \(1 = best\)"):
        read_par(rank)
    dti = write(tmp_path, "synthetic_dti.csv", "Tỉnh,Chỉ số DTI\nQuảng Nam,\"0,52\"\nHà Nội,75\n")
    with pytest.raises(SchemaError, match=r"row 3: dti/overall value 75.0 outside \[0.0, 1.0\] \(index_0_1\)"):
        read_par(dti, index="dti")


def test_duplicate_rows_point_at_each_other(tmp_path):
    path = write(tmp_path, "synthetic_dup.csv", "Tỉnh,Điểm\nQuảng Nam,84\nHà Nội,90\nquang nam,85\n")
    with pytest.raises(SchemaError) as err:
        read_par(path)
    text = message(err)
    assert "row 2: duplicate key (index='par', year=2023, boundaries='legacy', province_code='49', " \
           "component='overall'), also on row 4; keep one row per key" in text
    assert "row 4: duplicate key" in text and "also on row 2" in text
    assert "np.int64" not in text


def test_tidy_rejects_fractional_ranks_and_bad_years():
    raw = pd.DataFrame({"province": ["Quảng Nam", "Hà Nội"], "year": [2023, "20x3"], "component": "overall",
                        "value": [84.6, 90.0], "rank": [5.5, "abc"]})
    with pytest.raises(SchemaError) as err:
        tidy_indicators(raw, index="par", unit="percent", source_id="s", origin="synthetic.csv")
    text = message(err)
    assert "row 2: rank 5.5 is not a whole number" in text and "row 3: rank 'abc' is not a whole number" in text
    assert "row 3: year '20x3' is not a year; give the assessment year, e.g. 2023" in text


# ------------------------------------------------------------------ names: blank, aggregate, unknown, ambiguous


def test_blank_province_with_data_is_an_error_and_a_blank_row_is_not(tmp_path):
    path = write(tmp_path, "synthetic_blank.csv", "Tỉnh,Điểm\nQuảng Nam,84\n,\n,90\n")
    with pytest.raises(SchemaError) as err:
        read_par(path)
    assert message(err).endswith("1 problem(s):\n  - row 4: empty province name; fill it or delete the row")
    book = tmp_path / "synthetic_blank.xlsx"
    pd.DataFrame({"Tỉnh": ["Quảng Nam", None], "Điểm": [84.0, 90.0]}).to_excel(book, index=False)
    with pytest.raises(SchemaError, match=r"(?s)synthetic_blank.xlsx: .*row 3: empty province name"):
        read_par(book)


def test_aggregate_rows_are_reported_with_their_lines(tmp_path):
    book = tmp_path / "synthetic_agg.xlsx"
    pd.DataFrame({
        "Tỉnh, thành phố": ["Quảng Nam", "Cả nước", "Trung bình", "Vùng Tây Nguyên", "Hà Nội"],
        "Điểm": [84.6, 86.98, 85.1, 83.0, 90.1],
    }).to_excel(book, index=False)
    table = read_par(book)
    assert table["province"].tolist() == ["Quảng Nam", "Hà Nội"]
    agg = table.attrs["aggregates"]
    assert agg[["name", "value", "line"]].values.tolist() == [
        ["Cả nước", 86.98, 3], ["Trung bình", 85.1, 4], ["Vùng Tây Nguyên", 83.0, 5]]
    empty = read_par(io.StringIO("Tỉnh,Điểm\nQuảng Nam,84\n")).attrs["aggregates"]
    assert list(empty.columns) == ["name", "value", "rank", "line"] and empty.empty


@pytest.mark.parametrize(
    "name, boundaries, expected",
    [
        ("Bình", "legacy", "Ambiguous province 'Bình' (boundaries='legacy'): it is part of the names of 8 units: "
                           "Hòa Bình, Thái Bình, Ninh Bình, Quảng Bình, Bình Định, Bình Thuận, Bình Phước, Bình Dương. "
                           "Write the full name, e.g. 'Hòa Bình', or the GSO code."),
        ("Quảng", "legacy", "it is part of the names of 5 units: Quảng Ninh, Quảng Bình, Quảng Trị, Quảng Nam, "
                            "Quảng Ngãi."),  # with diacritics: not Tuyên Quang
        ("Quang", "legacy", "6 units: Tuyên Quang, Quảng Ninh"),  # without: any diacritics
        ("Đắk", "legacy", "2 units: Đắk Lắk, Đắk Nông."),
        ("Tỉnh Nam", "legacy", "3 units: Hà Nam, Nam Định, Quảng Nam."),
        ("Bình", "2025", "8 units: Ninh Bình, Hòa Bình (before 1 July 2025; now part of Phú Thọ), Thái Bình "
                         "(before 1 July 2025; now part of Hưng Yên)"),
    ],
)
def test_a_part_of_several_names_is_ambiguous_never_guessed(name, boundaries, expected):
    with pytest.raises(UnknownProvinceError) as err:
        resolve_province(name, boundaries=boundaries)
    assert expected in message(err)


def test_hue_under_both_sets_of_boundaries(tmp_path):
    legacy = read_par(io.StringIO("Tỉnh,Điểm\nHuế,84\n"))
    assert legacy[["province_code", "province"]].values.tolist() == [["46", "Thừa Thiên Huế"]]
    new = read_par(io.StringIO("Tỉnh,Điểm\nHuế,84\nThừa Thiên Huế,85\n"), boundaries="2025", validate=False)
    assert new["province"].tolist() == ["Huế", "Huế"]  # the province was renamed, not merged
    path = write(tmp_path, "synthetic_2025.csv", "Tỉnh,Điểm\nHuế,84\nQuảng Nam,80\nBình,70\n")
    with pytest.raises(SchemaError) as err:
        read_par(path, boundaries="2025")
    text = message(err)
    assert text.startswith("synthetic_2025.csv: 2 problem(s)")
    assert ("row 3: 'Quảng Nam' is a pre-2025 unit (Quảng Nam); since 1 July 2025 it is part of Đà Nẵng "
            "(code 48). Pass boundaries='legacy'") in text
    assert "row 4: Ambiguous province 'Bình' (boundaries='2025')" in text


def test_ambiguous_name_in_a_table_names_the_row(tmp_path):
    path = write(tmp_path, "synthetic_amb.csv", "Tỉnh,Điểm\nQuảng Nam,84\nĐắk,80\n")
    with pytest.raises(SchemaError, match=r"(?s)synthetic_amb.csv: 1 problem.*row 3: Ambiguous province 'Đắk'.*"
                                          r"Đắk Lắk, Đắk Nông. Write the full name"):
        read_par(path)


# ------------------------------------------------------------------ headers


def test_title_rows_above_the_header_are_skipped_and_rows_keep_their_numbers(tmp_path):
    body = "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023\n\nSTT,Tỉnh,Điểm\n1,Quảng Nam,84\n2,Hà Nội,cao\n"
    path = write(tmp_path, "synthetic_title.csv", body)
    with pytest.raises(SchemaError) as err:
        read_par(path)
    assert message(err).endswith("row 5: column 'Điểm': 'cao' is not a number; write the score as digits, e.g. 84,6")
    book = tmp_path / "synthetic_title.xlsx"
    pd.DataFrame([["BẢNG XẾP HẠNG PAR INDEX 2023", None, None], [None, None, None],
                  ["STT", "Tỉnh, thành phố", "Điểm"], [1, "Quảng Nam", 84.6], [2, "Hà Nội", 90.1]]
                 ).to_excel(book, index=False, header=False)
    table = read_par(book)
    assert table["province"].tolist() == ["Quảng Nam", "Hà Nội"] and table.attrs["header_line"] == 3


def test_no_header_anywhere_says_how_to_fix(tmp_path):
    path = write(tmp_path, "synthetic_nohdr.csv", "a,b\nQuảng Nam,84\n")
    with pytest.raises(TableFormatError) as err:
        read_par(path)
    assert message(err) == ("synthetic_nohdr.csv: no province column among ['a', 'b']; rename one column or pass "
                            "province_column='...'; if title rows come before the header, delete them (the header "
                            "must be among the first 10 rows)")
    with pytest.raises(TableFormatError, match=r"no column 'Province' among \['a', 'b'\]; check province_column="):
        read_par(path, province_column="Province")


# ------------------------------------------------------------------ workbooks


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "synthetic_par.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Tỉnh": ["Quảng Nam"], "Điểm": [84.6]}).to_excel(writer, sheet_name="PAR", index=False)
        pd.DataFrame({"Tỉnh": ["Quảng Nam"], "Điểm": [78.4]}).to_excel(writer, sheet_name="SIPAS", index=False)
    return path


def test_truncated_workbook(tmp_path, book):
    cut = write(tmp_path, "synthetic_cut.xlsx", book.read_bytes()[: book.stat().st_size // 2])
    with pytest.raises(TableFormatError) as err:
        read_par(cut)
    assert message(err).startswith("synthetic_cut.xlsx: cannot open as a workbook (BadZipFile")
    assert "the file may be damaged or truncated: download it again" in message(err)


def test_missing_sheet_lists_the_sheets(book):
    with pytest.raises(TableFormatError) as err:
        read_par(book, sheet="PAR 2023")
    assert message(err) == "synthetic_par.xlsx: no sheet 'PAR 2023'; the workbook's sheets are ['PAR', 'SIPAS']; pass sheet='NAME'"
    with pytest.raises(TableFormatError, match=r"no sheet number 2 \(sheets are numbered from 0: \['PAR', 'SIPAS'\]\)"):
        read_par(book, sheet=2)
    with pytest.raises(TableFormatError, match=r"the workbook has 2 sheets \['PAR', 'SIPAS'\]; pass sheet='NAME'"):
        read_par(book, sheet=None)
    assert read_par(book, sheet="SIPAS", index="sipas")["value"].tolist() == [78.4]


def test_web_page_or_text_saved_with_an_excel_name(tmp_path):
    page = write(tmp_path, "synthetic_portal.xls",
                 "<html><body><table><tr><td>Tỉnh</td><td>Điểm</td></tr></table></body></html>")
    with pytest.raises(TableFormatError, match=r"synthetic_portal.xls: this is a web page \(HTML\) saved with an "
                                               r"Excel name, not a workbook; open it in Excel or LibreOffice"):
        read_par(page)
    text = write(tmp_path, "synthetic_text.xlsx", "Tỉnh,Điểm\nQuảng Nam,84\n")
    with pytest.raises(TableFormatError, match=r"synthetic_text.xlsx: this is a text file, not a workbook; if it is "
                                               r"a CSV, rename it to .csv"):
        read_par(text)


def test_corrupt_pci_and_papi_workbooks_are_named(tmp_path):
    from cchc_analysis.readers.papi import read_papi_workbook
    from cchc_analysis.readers.pci import PCILayoutError, read_pci_workbook

    broken = b"PK\x03\x04 truncated download"
    pci = write(tmp_path, "PCI_2015_synthetic.xlsx", broken)
    with pytest.raises(PCILayoutError, match=r"PCI workbook PCI_2015_synthetic.xlsx: cannot be opened as an Excel file"):
        read_pci_workbook(pci, year=2015)
    papi = write(tmp_path, "PAPI_synthetic.xlsx", broken)
    with pytest.raises(ValueError) as err:
        read_papi_workbook(papi, year=2020)
    assert "PAPI_synthetic.xlsx: cannot be opened as an .xlsx workbook (BadZipFile" in message(err)
    assert "download it again, or open it in Excel/LibreOffice and save it as .xlsx" in message(err)


# ------------------------------------------------------------------ press figures


def test_press_file_rows_are_checked_with_their_numbers(tmp_path):
    from cchc_analysis.readers.press import read_press_csv

    head = "index,year,province,score,rank,source_url,note\n"
    bad = write(tmp_path, "synthetic_press.csv", head
                + "PAR,20x3,Hà Nội,87,2,https://example.org/a,\n"
                + "PAR,2013,Hà Nội,87,2.5,https://example.org/a,\n"
                + "PCII,2013,Hà Nội,60,1,https://example.org/a,\n")
    with pytest.raises(SchemaError) as err:
        read_press_csv(bad)
    assert message(err) == (
        "synthetic_press.csv: 3 problem(s):\n"
        "  - row 2: year '20x3' is not a year; write the assessment year, e.g. 2023\n"
        "  - row 3: rank '2.5' is not a whole number; write the published rank, or leave it empty and say why in note\n"
        "  - row 4: index 'PCII' is not one of ['dti', 'ict', 'par', 'pci', 'sipas', 'svc766'] (press files hold "
        "PAR Index, SIPAS, PCI, DTI, Decision 766 and ICT-ranking figures)"
    )
    # out of range: was accepted as it stood
    big = write(tmp_path, "synthetic_press2.csv", head + "PAR,2013,Hà Nội,870,2,https://example.org/a,\n"
                + "SIPAS,2013,Bình,80,3,https://example.org/a,\n")
    with pytest.raises(SchemaError, match=r"(?s)synthetic_press2.csv: .*row 3: Ambiguous province 'Bình'"):
        read_press_csv(big)
    big.write_text(head + "PAR,2013,Hà Nội,870,2,https://example.org/a,\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"row 2: par/overall value 870.0 outside \[0.0, 100.0\]"):
        read_press_csv(big)


# ------------------------------------------------------------------ notebook parameters


def report_cli(*args: str) -> int:
    from cchc_analysis.cli import report as cli_report

    return cli_report.main(["report", str(PROFILE), *args])


@pytest.mark.parametrize("dry_run", [True, False])
def test_cchc_report_wrong_type_names_parameter_value_and_fix(tmp_path, capsys, dry_run):
    out = tmp_path / "reports"
    code = report_cli("--province", "49", "-p", "first_year", "notayear", "--out", str(out),
                      *(["--dry-run"] if dry_run else ["--no-progress"]))
    assert code == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "cchc report: error: parameter 'first_year' expects int (the notebook's parameters cell: first_year: int = "
        "2011), got 'notayear' (str); give a value of that type, e.g. -p first_year 2011, or first_year: 2011 in "
        "the --params file"
    )
    assert not out.exists(), "nothing runs and nothing is written"


def test_cchc_report_list_parameter_says_yaml(tmp_path, capsys):
    assert report_cli("--province", "49", "-p", "formats", "svg", "--out", str(tmp_path), "--dry-run") == 2
    err = capsys.readouterr().err
    assert "parameter 'formats' expects list" in err and "got 'svg' (str)" in err
    assert """e.g. -p formats '["png"]' (YAML syntax)""" in err


def test_parameter_checks_of_the_notebook_helpers():
    import cchc_analysis as cchc
    from cchc_analysis import notebook as nb

    spec = {"province": (str, cchc.resolve_province), "first_year": (int, nb.check_year), "lang": (str, nb.check_lang)}
    good = {"province": "quang nam", "first_year": "2019", "lang": "vi"}
    assert nb.check_parameters(good, spec)["first_year"] == 2019  # papermill -p passes text
    cases = [
        ({"first_year": "notayear"}, "parameter 'first_year' must be int, got str 'notayear'; pass e.g. -p first_year <int>"),
        ({"first_year": 1990}, "parameter 'first_year': year 1990 outside 2005-2030; give a year from 2005"),
        ({"lang": "fr"}, "parameter 'lang': must be 'vi' or 'en', got 'fr'"),
        ({"province": "Bình"}, "parameter 'province': Ambiguous province 'Bình'"),
    ]
    for change, expected in cases:
        with pytest.raises(nb.NotebookParameterError) as err:
            nb.check_parameters({**good, **change}, spec)
        assert expected in message(err)


def test_year_range_checks():
    import cchc_analysis as cchc
    from cchc_analysis import notebook as nb

    with pytest.raises(nb.NotebookParameterError) as err:
        nb.check_year_range(2024, 2011)
    assert message(err) == ("parameters 'first_year' (2024) and 'last_year' (2011): the first year is after the last; "
                            "give first_year <= last_year, e.g. -p first_year 2011 -p last_year 2024")
    unit = cchc.resolve_province("Quảng Nam")
    empty = cchc.load_indicators(years=[2030])
    with pytest.raises(nb.NotebookParameterError) as err:
        nb.check_year_range(2030, 2030, data=empty, province=unit)
    assert message(err) == ("parameters 'first_year' and 'last_year': no indicator figure for Quảng Nam in 2030-2030; "
                            "the bundled data for Quảng Nam cover 2005-2024: choose years in that range")
    nb.check_year_range(2011, 2024, data=cchc.load_indicators(years=[2020]), province=unit)  # passes


def test_standing_table_without_any_figure_is_empty_not_a_crash():
    import cchc_analysis as cchc
    from cchc_analysis import notebook as nb

    table = nb.standing_table(cchc.load_indicators(years=[2030]), province="49")
    assert table["index"].tolist() == ["par", "sipas", "papi", "pci", "dti"] and table["rank"].isna().all()


@pytest.mark.slow
def test_papermill_directly_first_cell_raises_notebook_parameter_error(tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(
            str(PROFILE), str(tmp_path / "bad.ipynb"), execution_timeout=600, kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
            parameters={"first_year": "notayear", "figures_dir": str(tmp_path / "fig")},
        )
    assert err.value.ename == "NotebookParameterError"
    assert err.value.evalue == ("parameter 'first_year' must be int, got str 'notayear'; pass e.g. -p first_year "
                                "<int> to papermill or fix the YAML file")
    assert err.value.exec_count == 3  # parameters, injected parameters, then the first cell
    assert not (tmp_path / "fig").exists()


# ------------------------------------------------------------------ plan files (cchc extract)


def test_extract_plan_with_only_a_bom_and_an_empty_plan_among_good_ones(tmp_path, capsys):
    from cchc_analysis.cli.extract import main

    good = write(tmp_path, "good.txt", "Kế hoạch CCHC năm 2025: tỷ lệ hồ sơ đúng hạn đạt trên 98%.\n")
    bom = write(tmp_path, "notepad.txt", b"\xef\xbb\xbf\r\n")
    out = tmp_path / "draft.csv"
    assert main([str(good), str(bom), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"cchc extract: error: {bom}: the file contains no text" in err and "good.txt" not in err
    assert not out.exists(), "no partial CSV when one input is unusable"


# ------------------------------------------------------------------ nothing lost: data build


@pytest.fixture
def fast_build(monkeypatch):
    """build_all with the two slow readers replaced by the bundled PCI and PAPI rows."""
    from cchc_analysis import build, config
    from cchc_analysis.indicators import load_indicators, load_sources
    from cchc_analysis.readers import papi, pci

    if not (config.REFERENCE_DIR / "par_sipas_dti").is_dir():
        pytest.skip("needs ../shared/reference-data")
    sources = load_sources()

    def bundled(index):
        rows = load_indicators(index)
        rows = rows[rows["source_id"].str.match(r"pci-\d{4}-vcci|papi-")]  # what the two readers return
        return rows, sources[sources["source_id"].isin(rows["source_id"])]

    monkeypatch.setattr(build, "_pci", lambda ref, log: (*bundled("pci"), pci.PCI_COMPONENTS))
    monkeypatch.setattr(build, "_papi", lambda ref, log: (*bundled("papi"), papi.PAPI_COMPONENTS, papi.PAPI_BREAKS))
    return build


@pytest.mark.shared
def test_failed_build_leaves_data_untouched(tmp_path, fast_build, monkeypatch):
    data = tmp_path / "data"
    fast_build.build_all(data_dir=data, verbose=False)
    files = sorted(p.relative_to(data) for p in data.rglob("*.csv"))
    assert Path("indicators/pci.csv") in files and Path("sources.csv") in files
    for path in data.rglob("*.csv"):
        path.write_text("previous build\n", encoding="utf-8")

    def disk_full(*args, **kwargs):  # after the index tables were written to the temporary folder
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fast_build, "_breaks", disk_full)
    with pytest.raises(OSError, match="No space left"):
        fast_build.build_all(data_dir=data, verbose=False)
    assert all(p.read_text(encoding="utf-8") == "previous build\n" for p in data.rglob("*.csv"))
    assert sorted(p.relative_to(data) for p in data.rglob("*.csv")) == files
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build-")], "temporary folder removed"


@pytest.mark.shared
def test_build_into_a_new_nested_folder(tmp_path, fast_build):
    data = tmp_path / "new" / "place" / "data"
    fast_build.build_all(data_dir=data, verbose=False)
    assert (data / "indicators" / "papi.csv").is_file()
    assert [p.name for p in data.parent.iterdir()] == ["data"], "no temporary folder left beside data/"
