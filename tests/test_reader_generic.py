"""The generic province x score/rank reader and the press-figure reader (synthetic files)."""

import io


import pandas as pd
import pytest

from synthetic import to_windows_1258
from cchc_analysis.readers.generic import TableFormatError, parse_number, read_table
from cchc_analysis.readers.press import read_press_csv, source_id_for_url
from cchc_analysis.schema import SchemaError


@pytest.mark.parametrize(
    "text, number",
    [("84,6", 84.6), ("85.5%", 85.5), ("1.000", 1000.0), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
     (" 78,44 ", 78.44), ("", None), ("-", None), (56, 56.0)],
)
def test_parse_number(text, number):
    assert parse_number(text) == number


def test_parse_number_rejects_words():
    with pytest.raises(ValueError, match="not a number"):
        parse_number("khoảng 87")




def write_synthetic_par_table(path, text, encoding="utf-8"):
    path.write_bytes(to_windows_1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def test_vietnamese_headers_decimal_commas_and_aggregates(tmp_path):
    path = write_synthetic_par_table(
        tmp_path / "synthetic_par_2023.csv",
        "STT;Tỉnh, thành phố;Điểm PAR INDEX (%);Xếp hạng\n1;Quảng Ninh;92,18;1\n2;TP. Hồ Chí Minh;86,97;33\n"
        "3;Tỉnh Quảng Nam;84,60;56\n;Cả nước;86,98;\n",
    )
    table = read_table(path, index="par", year=2023, source_id="synthetic")
    assert table["province"].tolist() == ["Quảng Ninh", "TP. Hồ Chí Minh", "Quảng Nam"]
    assert table["value"].tolist() == [92.18, 86.97, 84.6]
    assert table["rank"].tolist() == [1, 33, 56]
    assert table.attrs["aggregates"]["name"].tolist() == ["Cả nước"]


def test_english_headers_xlsx(tmp_path):
    path = tmp_path / "synthetic_sipas.xlsx"
    pd.DataFrame({"Province": ["Quang Nam", "Bac Kan"], "Score": [78.44, 75.03], "Rank": [59, 63]}).to_excel(path, index=False)
    table = read_table(path, index="sipas", year=2023, source_id="synthetic")
    assert table.set_index("province").at["Quảng Nam", "value"] == 78.44


def test_bom_and_windows_1258(tmp_path):
    body = "Tỉnh,Điểm\nHòa Bình,\"80,5\"\nĐắk Lắk,\"79,1\"\n"
    bom = write_synthetic_par_table(tmp_path / "synthetic_bom.csv", "\ufeff" + body)
    legacy = write_synthetic_par_table(tmp_path / "synthetic_cp1258.csv", body, encoding="cp1258")
    for path in (bom, legacy):
        table = read_table(path, index="par", year=2022, source_id="synthetic")
        assert table["province"].tolist() == ["Hòa Bình", "Đắk Lắk"], path.name


def test_unknown_province_names_row_and_suggests(tmp_path):
    path = write_synthetic_par_table(tmp_path / "synthetic_bad.csv", "Tỉnh,Điểm\nQuảng Nam,84\nQuang Ngaii,80\n")
    with pytest.raises(SchemaError, match=r"(?s)synthetic_bad.csv.*row 3: Unknown province 'Quang Ngaii'.*Quảng Ngãi"):
        read_table(path, index="par", year=2023, source_id="synthetic")


def test_value_that_is_not_a_number(tmp_path):
    path = write_synthetic_par_table(tmp_path / "synthetic_word.csv", "Tỉnh,Điểm\nQuảng Nam,cao\n")
    with pytest.raises(SchemaError, match=r"row 2: column 'Điểm': 'cao' is not a number"):
        read_table(path, index="par", year=2023, source_id="synthetic")


def test_duplicate_and_out_of_range(tmp_path):
    dup = write_synthetic_par_table(tmp_path / "synthetic_dup.csv", "Tỉnh,Điểm\nQuảng Nam,84\nQuang Nam,85\n")
    with pytest.raises(SchemaError, match="duplicate key"):
        read_table(dup, index="par", year=2023, source_id="synthetic")
    big = write_synthetic_par_table(tmp_path / "synthetic_big.csv", "Tỉnh,Điểm\nQuảng Nam,846\n")
    with pytest.raises(SchemaError, match="outside"):
        read_table(big, index="par", year=2023, source_id="synthetic")


def test_empty_truncated_and_corrupt_files(tmp_path):
    empty = tmp_path / "synthetic_empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(TableFormatError, match="synthetic_empty.csv: the file is empty"):
        read_table(empty, index="par", year=2023, source_id="s")
    headless = write_synthetic_par_table(tmp_path / "synthetic_nohead.csv", "Foo,Bar\n1,2\n")
    with pytest.raises(TableFormatError, match="no province column"):
        read_table(headless, index="par", year=2023, source_id="s")
    corrupt = tmp_path / "synthetic_corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(TableFormatError, match="cannot open as a workbook"):
        read_table(corrupt, index="par", year=2023, source_id="s")
    truncated = write_synthetic_par_table(tmp_path / "synthetic_trunc.csv", 'Tỉnh,Điểm\nQuảng Nam,"84\n')
    with pytest.raises((TableFormatError, SchemaError)):
        read_table(truncated, index="par", year=2023, source_id="s")


def test_buffer_input():
    table = read_table(io.StringIO("Province,Rank\nHCMC,33\n"), index="par", year=2023, source_id="s")
    assert table["value"].isna().all() and table["rank"].tolist() == [33]


def test_press_reader_rules(tmp_path):
    path = tmp_path / "synthetic_press.csv"
    path.write_text(
        "index,year,province,score,rank,source_url,note\n"
        "PAR,2013,Da Nang,~87,1,https://example.org/a,\n"
        "PAR,2013,Hai Phong,86.93,,https://example.org/a,\n"
        "PAR,2013,Son La,,,https://example.org/a,one of the lowest\n"
        "PAR,2013,Hai Phong,86.90,2,https://example.org/b,CONFLICT\n",
        encoding="utf-8",
    )
    table = read_press_csv(path)
    kept = table.indicators.set_index("province")
    assert pd.isna(kept.at["Đà Nẵng", "value"]) and kept.at["Đà Nẵng", "rank"] == 1
    assert "'~87'" in kept.at["Đà Nẵng", "note"]
    assert kept.at["Hải Phòng", "value"] == 86.90  # score and rank beat score alone
    assert table.alternatives["value"].tolist() == [86.93]
    assert table.skipped["province"].tolist() == ["Son La"]
    assert source_id_for_url("https://example.org/a").startswith("web-example.org-")
