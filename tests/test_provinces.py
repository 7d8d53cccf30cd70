"""The province registry: spellings, codes, regions and the 2025 crosswalk."""

import json
from importlib import resources

import pytest

from cchc_analysis.provinces import (
    UnknownProvinceError,
    fold_name,
    list_provinces,
    members_2025,
    province_table,
    resolve_province,
    resolve_provinces,
    successor,
)


def test_sets_have_the_right_sizes():
    assert len(list_provinces()) == 63
    assert len(list_provinces(include_ha_tay=True)) == 64
    assert len(list_provinces(boundaries="2025")) == 34
    regions = {p.region for p in list_provinces()}
    assert len(regions) == 6


@pytest.mark.parametrize(
    "spelling, code",
    [
        ("quang nam", "49"), ("Quảng Nam", "49"), ("Tỉnh Quảng Nam", "49"), ("QUẢNG NAM", "49"),
        ("Hoà Bình", "17"), ("Hòa Bình", "17"), ("Hoa Binh", "17"),
        ("TP HCM", "79"), ("TP. Hồ Chí Minh", "79"), ("Ho Chi Minh City", "79"), ("HCMC", "79"),
        ("Thành phố Hồ Chí Minh", "79"), ("TP.HCM", "79"),
        ("Thừa Thiên - Huế", "46"), ("Thua Thien-Hue", "46"), ("TT-Huế", "46"),
        ("BRVT", "77"), ("Bà Rịa-Vũng Tàu", "77"), ("Ba Ria - Vung Tau", "77"),
        ("Hà Tĩnh", "42"), ("Đắk Lắk", "66"), ("Dak Lak", "66"), ("Bắc Kạn", "06"), ("Bac Can", "06"),
        ("P33", "49"), ("P50", "79"), ("49", "49"), ("1", "01"), ("Hanoi", "01"), ("Hà Tây", "28"),
    ],
)
def test_resolves_spellings_users_meet(spelling, code):
    assert resolve_province(spelling).code == code


def test_acceptance_successors():
    assert successor("quang nam").name == "Đà Nẵng"
    assert successor("Quảng Nam").name == "Đà Nẵng"
    assert successor("Tỉnh Quảng Nam").name == "Đà Nẵng"
    assert successor("Phu Yen").name == "Đắk Lắk"
    assert successor("Hòa Bình").name == "Phú Thọ"
    assert successor("Hoà Bình").name == "Phú Thọ"
    assert successor("Nghệ An").name == "Nghệ An"


def test_unknown_name_lists_close_matches():
    with pytest.raises(UnknownProvinceError) as err:
        resolve_province("Quang Nham")
    message = str(err.value)
    assert "'Quang Nham'" in message and "Did you mean" in message and "Quảng Nam" in message


def test_pre_2025_name_in_2025_set_says_where_it_went():
    with pytest.raises(UnknownProvinceError, match="part of Đà Nẵng"):
        resolve_province("Quảng Nam", boundaries="2025")
    assert resolve_province("Huế", boundaries="2025").code == "46"


def test_bad_boundaries_argument_is_named():
    with pytest.raises(ValueError, match="boundaries"):
        resolve_province("Hà Nội", boundaries="1990")


def test_every_legacy_unit_maps_to_exactly_one_2025_unit():
    new_codes = {p.code for p in list_provinces(boundaries="2025")}
    covered = set()
    for unit in list_provinces(include_ha_tay=True):
        assert unit.successor_code in new_codes
        covered.add(unit.successor_code)
    assert covered == new_codes
    assert sum(len(members_2025(p)) for p in list_provinces(boundaries="2025")) == 63
    assert [p.name for p in members_2025("Phú Thọ")] == ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"]


def test_folding_is_diacritic_and_prefix_blind():
    assert fold_name("Tỉnh Đắk Nông") == "daknong"
    assert fold_name("Thành phố Cần Thơ") == fold_name("Can Tho City") == "cantho"
    with pytest.raises(TypeError, match=r"^province name must be a string, got NoneType: None$"):
        fold_name(None)


def test_resolve_provinces_all():
    assert len(resolve_provinces("all")) == 63
    assert [p.code for p in resolve_provinces(["Hà Nội", "P33"])] == ["01", "49"]


def test_province_table_columns():
    table = province_table()
    assert table["code"].is_unique and len(table) == 63
    assert {"region_vi", "region_en", "successor_name", "papi_code"} <= set(table.columns)
    assert table.set_index("code").at["49", "successor_name"] == "Đà Nẵng"


def test_papi_codes_are_a_permutation():
    codes = sorted(p.papi_code for p in list_provinces())
    assert codes == [f"P{i:02d}" for i in range(1, 64)]


def _vietnamadminunits_tables():
    pytest.importorskip("vietnamadminunits", reason="vietnamadminunits (test-only dependency) not installed")
    data = resources.files("vietnamadminunits").joinpath("data")
    parser = json.loads(data.joinpath("parser_from_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    converter = json.loads(data.joinpath("converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    return parser, converter


def test_2025_codes_match_vietnamadminunits():
    parser, _ = _vietnamadminunits_tables()
    theirs = {v["provinceCode"]: v["provinceShort"] for v in parser.values()}
    ours = {p.code: p for p in list_provinces(boundaries="2025")}
    assert set(theirs) == set(ours)
    for code, short in theirs.items():
        assert resolve_province(short, boundaries="2025").code == code


def test_crosswalk_matches_vietnamadminunits_for_all_63_units():
    parser, converter = _vietnamadminunits_tables()
    checked = 0
    for new_key, old_keys in converter.items():
        new_code = parser[new_key]["provinceCode"]
        for old in old_keys:
            bare = old.removeprefix("thanhpho") if old.startswith("thanhpho") else old.removeprefix("tinh")
            assert successor(bare).code == new_code, old
            checked += 1
    assert checked == 63
