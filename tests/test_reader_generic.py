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


def test_press_reader_listing_order_components_and_units(tmp_path):
    from cchc_analysis.schema import SchemaError

    path = tmp_path / "synthetic_press_components.csv"
    path.write_text(
        "index,year,province,score,rank,source_url,note,as_of,n_units,sub_a,rank_a\n"
        'PAR,2015,Da Nang,93.5,1,https://example.org/a,"first, then X, Y (ranks 2-3 from listing order)",,,,\n'
        'PAR,2015,Hai Phong,,2,https://example.org/a,"ranks 2-3 from listing order",,,,\n'
        'PAR,2015,Dong Nai,88.1,3,https://example.org/a,"listing order, not an explicit rank",,,,\n'
        "INDEX766,2025,Quang Tri,77.5,2,https://example.org/b,,2025-07-25,34,15.5,4\n"
        "INDEX766,2024,Binh Dinh,,,https://example.org/c,,,63,10.25,\n",
        encoding="utf-8",
    )
    table = read_press_csv(path, component_columns={"sub_a": "transparency"}, rank_columns={"rank_a": "transparency"})
    ind = table.indicators.set_index(["province", "component"])
    assert ind.at[("Đà Nẵng", "overall"), "rank"] == 1  # stated, outside the listed range 2-3
    assert ("Hải Phòng", "overall") not in ind.index  # a listing position only: no figure left
    assert pd.isna(ind.at[("Đồng Nai", "overall"), "rank"]) and ind.at[("Đồng Nai", "overall"), "value"] == 88.1
    assert "rank not kept: only a listing order was printed" in ind.at[("Đồng Nai", "overall"), "note"]
    assert table.skipped["reason"].tolist()[0] == "no exact score and no rank (listing order only)"
    qt = table.indicators[table.indicators["province"] == "Quảng Trị"].set_index("component")
    assert set(qt["boundaries"]) == {"2025"} and qt.at["overall", "note"] == "reading as of 2025-07-25; rank out of 34"
    assert (qt.at["transparency", "value"], qt.at["transparency", "rank"]) == (15.5, 4)
    assert set(qt["unit"]) == {"score"} and set(qt["index"]) == {"svc766"}
    bd = table.indicators[table.indicators["province"] == "Bình Định"]
    assert bd["component"].tolist() == ["transparency"] and bd["boundaries"].tolist() == ["legacy"]
    assert "its component figures are kept" in table.skipped["reason"].tolist()[1]
    bad = tmp_path / "synthetic_bad_component.csv"
    bad.write_text("index,year,province,score,rank,source_url,sub_a\nPCI,2021,Da Nang,70,1,https://example.org/a,7.5x\n",
                   encoding="utf-8")
    with pytest.raises(SchemaError, match=r"row 2: sub_a '7.5x' is not a number"):
        read_press_csv(bad, component_columns={"sub_a": "entry_costs"})


def test_resolve_figures_confirms_fills_and_flags():
    from cchc_analysis.readers.press import CONFLICT_NOTE, resolve_figures

    def row(code, value, rank, sid):
        return {"index": "pci", "year": 2024, "boundaries": "legacy", "province_code": code, "province": code,
                "component": "overall", "value": value, "rank": rank, "unit": "score", "source_id": sid, "note": None}

    rows = pd.DataFrame([
        row("24", 71.24, None, "s1"), row("24", None, 4, "s2"), row("24", 71.24, None, "s3"),  # fill, confirm
        row("33", 70.18, None, "s1"), row("33", None, 10, "s2"), row("33", None, 11, "s4"),   # two ranks: not filled
        row("62", 62.02, 56, "s1"), row("62", 60.02, 56, "s5"),                              # conflict
    ])
    rows["rank"] = rows["rank"].astype("Int64")
    kept, alternatives, confirmed = resolve_figures(rows)
    kept = kept.set_index("province_code")
    assert (kept.at["24", "value"], kept.at["24", "rank"]) == (71.24, 4) and kept.at["24", "note"] == "rank as printed by s2"
    assert pd.isna(kept.at["33", "rank"]) and kept.at["33", "note"] == CONFLICT_NOTE
    assert kept.at["62", "value"] == 62.02 and kept.at["62", "note"] == CONFLICT_NOTE
    assert confirmed == 1
    assert sorted(alternatives["source_id"]) == ["s2", "s2", "s4", "s5"]


def test_par_component_labels_and_maxima(tmp_path):
    from cchc_analysis.readers.press_components import par_component_key, read_component_facts
    from cchc_analysis.schema import SchemaError

    assert par_component_key("Điểm do Bộ Nội vụ thẩm định") == ("appraised", "score")
    assert par_component_key("Cải cách tài chính công (điểm %)") == ("public_finance_pct", "percent")
    assert par_component_key("Tác động đến phát triển kinh tế - xã hội") == ("socioeconomic_impact", "score")
    assert par_component_key("Điểm thưởng") is None
    head = "index,year,province,component,value,max_points,component_rank,source_url,note\n"
    good = tmp_path / "synthetic_components.csv"
    good.write_text(head + "PAR,2023,Kon Tum,Cải cách thể chế,9.5,10,22,https://example.org/a,\n"
                    + "PAR,2023,Kon Tum,Cải cách tổ chức bộ máy,,,31,https://example.org/a,\n", encoding="utf-8")
    table = read_component_facts(good)
    assert table.indicators[["component", "value", "rank"]].values.tolist()[0] == ["institutional", 9.5, 22]
    assert table.maxima[["component", "year", "max"]].values.tolist() == [["institutional", 2023, 10.0]]
    bad = tmp_path / "synthetic_components_bad.csv"
    bad.write_text(head + "PAR,2023,Kon Tum,Điểm thưởng,1,,,https://example.org/a,\n"
                   + "PAR,2023,Kon Tum,Cải cách thể chế,9.5,10,,https://example.org/a,\n"
                   + "PAR,2023,Gia Lai,Cải cách thể chế,10.5,,,https://example.org/b,\n"
                   + "PAR,2023,Đắk Lắk,Cải cách thể chế,9,9.5,,https://example.org/c,\n", encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        read_component_facts(bad)
    assert err.value.problems == [
        "row 2: component label 'Điểm thưởng' is not known; add a rule to PAR_COMPONENT_RULES in "
        "cchc_analysis/readers/press_components.py",
        "row 5: maximum 9.5 for institutional 2023 differs from 10 on row 3; check which page printed which",
        "row 4: institutional 10.5 is above the maximum 10 printed on row 3",
    ]
