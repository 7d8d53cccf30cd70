"""The failure classes of issue 11 (targets from plan texts the extractor had not seen).

Every sentence here was written for these tests, in the styles of provincial plans, index
results news and conference reports; none is copied from a published text.
"""

from __future__ import annotations

import pytest

from cchc_analysis.extract import extract_targets, find_targets
from cchc_analysis.targets import COMPARATORS, DOMAINS, UNITS


def rows(text, **kw):
    kw.setdefault("plan_year", 2025)
    return find_targets(text, **kw)


def brief(r):
    return (r["kind"], r["metric_index"], r["metric_field"], r["comparator"], r["value"], r["unit"])


# ----------------------------------------------------------------------------- ranks as fractions


def test_fraction_rank_gives_rank_and_its_total():
    (r,) = rows("Phấn đấu năm 2025 Chỉ số PAR INDEX của tỉnh xếp 18/63 tỉnh, thành phố.")
    assert brief(r) == ("target", "par", "rank", "top", 18.0, "rank")
    assert (r["rank_out_of"], r["scope"]) == (63, "national")


@pytest.mark.parametrize(
    "sentence, value, total",
    [
        ("Năm 2023 Chỉ số PAPI của tỉnh đứng 27/61 tỉnh, thành phố.", 27.0, 61),
        ("Năm 2023 Chỉ số SIPAS của tỉnh xếp hạng thứ 9/63.", 9.0, 63),
        ("Năm 2023 Chỉ số PCI của tỉnh ở vị thứ 33/63.", 33.0, 63),
        ("Năm 2023 Chỉ số PAR INDEX: đạt 88,2%, hạng 14/63.", 14.0, 63),
    ],
)
def test_fraction_rank_spellings(sentence, value, total):
    ranks = [r for r in rows(sentence) if r["unit"] == "rank"]
    assert [(r["kind"], r["value"], r["rank_out_of"]) for r in ranks] == [("baseline", value, total)]


def test_a_rank_is_never_split_into_digits():
    # "thứ hạng 17 bậc" is 17 places, not rank 1 followed by "7 bậc"
    found = rows("Năm 2023 Chỉ số PCI của tỉnh giảm thứ hạng 17 bậc so với năm 2022.")
    assert [(r["value"], r["unit"]) for r in found] == [(-17.0, "places")]


# ----------------------------------------------------------------------------- regional ranks


def test_regional_rank_after_the_fraction():
    found = rows("Phấn đấu Chỉ số PCI năm 2025 xếp 12/63 tỉnh, thành phố cả nước, 2/14 tỉnh vùng Bắc Trung Bộ và Duyên hải miền Trung.")
    assert [(r["value"], r["rank_out_of"], r["scope"]) for r in found] == [
        (12.0, 63, "national"),
        (2.0, 14, "region:bac-trung-bo-va-duyen-hai-mien-trung"),
    ]
    assert all(r["kind"] == "target" and r["metric_index"] == "pci" for r in found)
    assert "regional rank" in found[1]["mapping_note"]


def test_regional_group_target():
    (r,) = rows("Đến năm 2025, Chỉ số PAPI nằm trong nhóm 3 địa phương dẫn đầu khu vực Tây Nguyên.")
    assert (r["comparator"], r["value"], r["scope"]) == ("top", 3.0, "region:tay-nguyen")


def test_region_framing_the_sentence():
    text = "Năm 2023, Chỉ số PAR INDEX của tỉnh đạt 86,9%, xếp thứ 30/63. So với các tỉnh trong khu vực ĐBSCL, tỉnh đứng thứ 4/13."
    ranks = [r for r in rows(text) if r["unit"] == "rank"]
    assert [(r["value"], r["scope"]) for r in ranks] == [(30.0, "national"), (4.0, "region:dong-bang-song-cuu-long")]
    assert all(r["metric_index"] == "par" and r["kind"] == "baseline" for r in ranks)


def test_first_in_the_region_is_rank_one():
    text = "Kết quả công bố năm 2022: Chỉ số SIPAS của tỉnh đạt 88,1%, đứng đầu vùng Đồng bằng sông Cửu Long."
    ranks = [r for r in rows(text) if r["unit"] == "rank"]
    assert [(r["kind"], r["value"], r["scope"]) for r in ranks] == [("baseline", 1.0, "region:dong-bang-song-cuu-long")]


def test_small_total_without_a_region_is_regional():
    (r,) = rows("Năm 2023, Chỉ số PCI của tỉnh xếp thứ 3/11 tỉnh trong vùng.", plan_year=2024)
    assert r["scope"].startswith("region:") and r["rank_out_of"] == 11


# ----------------------------------------------------------------------------- index lists


def test_index_list_after_the_rank_phrase():
    found = rows("Phấn đấu đến năm 2026 tỉnh nằm trong nhóm 15 địa phương dẫn đầu về các chỉ số PAR INDEX, SIPAS và PAPI.")
    assert [(r["metric_index"], r["comparator"], r["value"]) for r in found] == [("par", "top", 15.0), ("sipas", "top", 15.0), ("papi", "top", 15.0)]


def test_index_list_inside_the_group_phrase():
    found = rows("Mục tiêu đưa tỉnh vào nhóm 10 địa phương có Chỉ số PAR INDEX, SIPAS cao nhất cả nước.")
    assert [r["metric_index"] for r in found] == ["par", "sipas"]


def test_statements_in_a_list_keep_their_own_index():
    text = "Đến năm 2025, Chỉ số PCI thuộc nhóm khá, Chỉ số PAPI thuộc nhóm trung bình cao, Chỉ số PAR INDEX thuộc nhóm 25 tỉnh dẫn đầu."
    assert [(r["metric_index"], r["value"]) for r in rows(text)] == [("par", 25.0)]


# ----------------------------------------------------------------------------- worded and carried totals


def test_worded_total_is_one_hundred_per_cent():
    (r,) = rows("Phấn đấu tất cả thủ tục hành chính đủ điều kiện được cung cấp dưới hình thức dịch vụ công trực tuyến toàn trình.")
    assert (r["kind"], r["comparator"], r["value"], r["unit"]) == ("target", ">=", 100.0, "%")
    assert "worded total" in r["mapping_note"]


def test_worded_total_in_a_report_is_not_a_figure():
    assert rows("Đến nay toàn bộ hồ sơ của Trung tâm đã được số hóa.") == []


def test_one_figure_for_a_list_of_indicators():
    text = (
        "Năm 2025, tỉnh giao 3 chỉ tiêu phải đạt 100% gồm: Tỷ lệ hồ sơ được số hóa; "
        "Tỷ lệ văn bản được ký số và Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn."
    )
    found = rows(text)
    assert [(r["value"], r["comparator"], r["domain"]) for r in found] == [
        (100.0, ">=", "digital_government"),
        (100.0, ">=", "digital_government"),
        (100.0, ">=", "procedures"),
    ]
    assert len({(r["evidence_start"], r["evidence_end"]) for r in found}) == 3


def test_two_subjects_share_a_figure():
    found = rows("Tỷ lệ hồ sơ trực tuyến toàn trình và tỷ lệ thanh toán trực tuyến đạt tối thiểu 70%.")
    assert [(r["value"], r["comparator"]) for r in found] == [(70.0, ">="), (70.0, ">=")]


# ----------------------------------------------------------------------------- report sentences


def test_report_sentence_about_a_past_year_gives_baselines():
    found = rows("Năm 2023, Chỉ số PCI của tỉnh xếp thứ 27, Chỉ số SIPAS xếp thứ 30.", plan_year=2024)
    assert [(r["kind"], r["metric_index"], r["value"], r["deadline"]) for r in found] == [
        ("baseline", "pci", 27.0, 2023),
        ("baseline", "sipas", 30.0, 2023),
    ]


def test_results_article_yields_no_targets():
    text = (
        "Công bố Chỉ số cải cách hành chính năm 2023\n\n"
        "Theo kết quả công bố sáng nay, Chỉ số PAR INDEX năm 2023 của tỉnh đạt 86,4%, tăng 1,2 điểm so với năm 2022, "
        "xếp thứ 21/63 tỉnh, thành phố, thứ hạng tăng 5 bậc. Chỉ số SIPAS đạt 84,7%.\n\n"
        "So với năm 2022, tỷ lệ hồ sơ giải quyết đúng hạn tăng lên 98,6%."
    )
    found = extract_targets(text)
    assert len(found) >= 5
    assert set(found["kind"]) == {"baseline"}
    par = found[found["metric_index"] == "par"]
    assert sorted(zip(par["metric_field"], par["value"])) == [("rank", 21.0), ("rank_change", 5.0), ("value", 86.4), ("value_change", 1.2)]


def test_a_plan_quoting_last_year_keeps_both():
    text = (
        "KẾ HOẠCH NÂNG CAO CHỈ SỐ PAPI NĂM 2025\n"
        "Năm 2024, Chỉ số PAPI của tỉnh đạt 42,1 điểm, xếp thứ 40/61. "
        "Mục tiêu năm 2025: Chỉ số PAPI đạt từ 43 điểm trở lên, xếp trong nhóm 30 tỉnh dẫn đầu."
    )
    found = rows(text, plan_year=None)
    assert [(r["kind"], r["metric_field"], r["comparator"], r["value"], r["deadline"]) for r in found] == [
        ("baseline", "value", "=", 42.1, 2024),
        ("baseline", "rank", "=", 40.0, 2024),
        ("target", "value", ">=", 43.0, 2025),
        ("target", "rank", "top", 30.0, 2025),
    ]


def test_lost_places_and_lost_points_are_negative():
    found = rows("Năm 2023, Chỉ số PAPI của tỉnh đạt 41,9 điểm, giảm 0,8 điểm và tụt 9 bậc so với năm 2022.", plan_year=2024)
    changes = {r["metric_field"]: r["value"] for r in found if r["metric_field"].endswith("change")}
    assert changes == {"value_change": -0.8, "rank_change": -9.0}


def test_rank_history_gives_one_baseline_per_year():
    found = rows("Các năm 2020, 2021 và 2022 Chỉ số PCI của tỉnh lần lượt xếp thứ 44, 39 và 31.", plan_year=2024)
    assert [(r["kind"], r["value"], r["deadline"]) for r in found] == [("baseline", 44.0, 2020), ("baseline", 39.0, 2021), ("baseline", 31.0, 2022)]


def test_group_result_is_a_top_baseline():
    (r,) = rows("Kết quả năm 2023, Chỉ số PCI của tỉnh thuộc nhóm 20 tỉnh dẫn đầu cả nước.", plan_year=2024)
    assert (r["kind"], r["comparator"], r["value"]) == ("baseline", "top", 20.0)


def test_other_provinces_results_are_theirs_and_their_aims_are_left_out():
    text = (
        "Theo kết quả công bố, Chỉ số PAR INDEX năm 2023 của Hải Dương dẫn đầu cả nước với 91,2%. Tỉnh Bình Phước đạt 87,3%, "
        "xếp thứ 25/63. Bộ Tư pháp đạt 89,9%. Tỉnh Đồng Nai phấn đấu năm 2025 đạt 90%."
    )
    found = rows(text, province="Bình Phước", plan_year=2024)
    assert [(r["kind"], r["province"], r["unit"], r["value"]) for r in found] == [
        ("baseline", "Hải Dương", "rank", 1.0), ("baseline", "Hải Dương", "%", 91.2),
        ("baseline", "Bình Phước", "%", 87.3), ("baseline", "Bình Phước", "rank", 25.0),
    ]
    assert "a result of Hải Dương quoted in the text" in found[0]["mapping_note"]


def test_figure_in_parentheses_after_the_quota_is_the_target():
    text = "Tổng kết năm 2023: tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,9%, vượt chỉ tiêu Hội đồng nhân dân tỉnh giao (98%)."
    found = rows(text, plan_year=2023)
    assert [(r["kind"], r["value"]) for r in found] == [("baseline", 98.9), ("target", 98.0)]


def test_components_results_are_not_recorded():
    text = (
        "Năm 2023, Chỉ số PAR INDEX của tỉnh đạt 87,1%, xếp thứ 19/63. Các chỉ số thành phần như sau:\n"
        "- Chỉ số thành phần Cải cách thể chế xếp thứ 40/63;\n"
        "- Lĩnh vực Cải cách tổ chức bộ máy đạt 9,1/10 điểm, xếp thứ 12/63."
    )
    found = rows(text, plan_year=2024)
    assert [(r["metric_index"], r["value"]) for r in found] == [("par", 87.1), ("par", 19.0)]


# ----------------------------------------------------------------------------- rank gains


@pytest.mark.parametrize(
    "sentence, value, note",
    [
        ("Phấn đấu Chỉ số PAR INDEX năm 2025 tăng ít nhất 02 bậc so với năm 2024.", 2.0, ""),
        ("Phấn đấu Chỉ số SIPAS tăng từ 3 - 5 bậc so với năm 2024.", 3.0, "range 3-5 places"),
        ("Mỗi năm Chỉ số PAPI của tỉnh tăng tối thiểu 01 bậc.", 1.0, ""),
        ("Phấn đấu thứ hạng Chỉ số PCI tăng hai bậc so với năm trước.", 2.0, "word"),
    ],
)
def test_rank_gains(sentence, value, note):
    (r,) = rows(sentence)
    assert (r["kind"], r["comparator"], r["value"], r["unit"], r["metric_field"]) == ("target", ">=", value, "places", "rank_change")
    assert note in r["mapping_note"]


# ----------------------------------------------------------------------------- doubled comparators and scores


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Tỷ lệ hồ sơ trực tuyến toàn trình tối thiểu từ 60% trở lên.", (">=", 60.0, "%", "")),
        ("Phấn đấu Chỉ số PAPI đạt từ 70,5 điểm trở lên.", (">=", 70.5, "score", "papi")),
        ("Phấn đấu Chỉ số PCI đạt tối thiểu 68 điểm.", (">=", 68.0, "score", "pci")),
        ("Mức độ hài lòng về thủ tục hành chính đạt trên 85% trở lên.", (">", 85.0, "%", "sipas")),
        ("Chỉ số PAR INDEX đạt từ 88/100 điểm trở lên.", (">=", 88.0, "%", "par")),
    ],
)
def test_doubled_comparators_and_scores(sentence, expected):
    (r,) = rows(sentence)
    assert (r["comparator"], r["value"], r["unit"], r["metric_index"]) == expected


def test_component_score_targets_have_no_index():
    found = rows("Phấn đấu Chỉ số “Tính minh bạch” đạt từ 7,2 điểm trở lên; Chỉ số “Chi phí thời gian” đạt từ 7 điểm trở lên.")
    assert [(r["metric_index"], r["domain"], r["value"], r["unit"]) for r in found] == [("", "direction", 7.2, "score"), ("", "direction", 7.0, "score")]


# ----------------------------------------------------------------------------- socio-economic targets


def test_socio_economic_targets_are_marked():
    text = (
        "Phấn đấu tốc độ tăng trưởng GRDP đạt 8%; tỷ lệ hộ nghèo giảm còn 1,5%; tỷ lệ người dân tham gia bảo hiểm y tế "
        "đạt 95%; giải ngân vốn đầu tư công đạt 100% kế hoạch; tỷ lệ hồ sơ giải quyết đúng hạn đạt 98%."
    )
    found = rows(text)
    assert [(r["value"], r["comparator"], r["domain"]) for r in found] == [
        (8.0, ">=", "socio_economic"),
        (1.5, "<=", "socio_economic"),
        (95.0, ">=", "socio_economic"),
        (100.0, ">=", "socio_economic"),
        (98.0, ">=", "procedures"),
    ]


# ----------------------------------------------------------------------------- columns


def test_new_columns_are_valid():
    text = "Phấn đấu Chỉ số PCI xếp 10/63, 2/13 tỉnh vùng Đồng bằng sông Cửu Long; Chỉ số SIPAS đạt trên 90%."
    df = extract_targets(text, plan_year=2025)
    assert set(df["scope"]) == {"national", "region:dong-bang-song-cuu-long"}
    assert str(df["rank_out_of"].dtype) == "Int64" and df["rank_out_of"].tolist()[:2] == [63, 13]
    assert set(df["boundaries"]) == {"legacy"}
    for r in df.to_dict("records"):
        assert r["comparator"] in COMPARATORS and r["unit"] in UNITS and r["domain"] in DOMAINS


def test_post_merger_plan_uses_the_2025_units():
    text = "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA TỈNH QUẢNG NGÃI\nPhấn đấu Chỉ số PAR INDEX thuộc nhóm 20 tỉnh, thành phố dẫn đầu."
    df = extract_targets(text)
    assert set(df["boundaries"]) == {"2025"} and set(df["province"]) == {"Quảng Ngãi"}


# ----------------------------------------------------------------------------- more report/aim mixtures


def test_rise_from_one_figure_to_another_gives_two_levels():
    found = rows("Chỉ số PAPI của tỉnh tăng từ 41,7 điểm năm 2021 lên 43,9 điểm năm 2024.", plan_year=2025)
    assert [(r["kind"], r["metric_field"], r["comparator"], r["value"], r["deadline"]) for r in found] == [
        ("baseline", "value", "=", 41.7, 2021),
        ("baseline", "value", "=", 43.9, 2024),
    ]


def test_national_average_in_parentheses_is_not_the_provinces():
    found = rows("Năm 2023, mức độ hài lòng về thủ tục hành chính của tỉnh đạt 90,2%, cao hơn mức trung bình cả nước (81,5%).", plan_year=2024)
    assert [(r["kind"], r["value"]) for r in found] == [("baseline", 90.2)]


def test_an_aim_goes_on_after_a_semicolon():
    text = "Năm 2025 tỉnh phấn đấu Chỉ số PAR INDEX tăng 4 bậc so với năm 2024; Chỉ số SIPAS đạt trên 87%."
    assert [(r["kind"], r["metric_index"], r["value"]) for r in rows(text)] == [("target", "par", 4.0), ("target", "sipas", 87.0)]


def test_post_merger_plan_quoting_former_units():
    text = (
        "KẾ HOẠCH NÂNG CAO CÁC CHỈ SỐ CỦA TỈNH AN GIANG (SAU SẮP XẾP) NĂM 2026\n"
        "Theo kết quả công bố năm 2024 của hai địa phương trước sắp xếp, cụ thể như sau:\n"
        "1. Tỉnh Kiên Giang (cũ): PAR INDEX đạt 86,1%, xếp thứ 44/63.\n"
        "2. Tỉnh An Giang (cũ): PAR INDEX đạt 84,2%, xếp thứ 58/63.\n"
        "II. MỤC TIÊU\nPhấn đấu năm 2026 PAR INDEX của tỉnh thuộc nhóm 25 địa phương dẫn đầu."
    )
    found = extract_targets(text)
    base = found[found["kind"] == "baseline"]
    assert list(zip(base["province"], base["boundaries"], base["value"], base["deadline"])) == [
        ("Kiên Giang", "legacy", 86.1, 2024), ("Kiên Giang", "legacy", 44.0, 2024),
        ("An Giang", "legacy", 84.2, 2024), ("An Giang", "legacy", 58.0, 2024),
    ]
    tgt = found[found["kind"] == "target"]
    assert list(zip(tgt["province"], tgt["boundaries"], tgt["value"], tgt["deadline"])) == [("An Giang", "2025", 25.0, 2026)]


def test_counts_of_fields_and_gaps_to_the_maximum_are_not_figures():
    text = (
        "Năm 2023, Chỉ số PAR INDEX của tỉnh đạt 87,3/100 điểm (dưới điểm tối đa 12,7 điểm), xếp thứ 26/63. "
        "Có 05/08 lĩnh vực có chỉ số trên 90%; 03/08 lĩnh vực có chỉ số dưới 85%."
    )
    found = rows(text, plan_year=2024)
    assert [(r["metric_field"], r["value"], r["unit"]) for r in found] == [("value", 87.3, "%"), ("rank", 26.0, "rank")]


def test_a_list_of_indices_stops_at_another_figure():
    found = rows("Năm 2023 tỉnh đứng thứ 31 về chỉ số PAPI và thứ 18 về chỉ số PCI.", plan_year=2024)
    assert [(r["metric_index"], r["value"]) for r in found] == [("papi", 31.0)]


def test_rank_among_the_centrally_run_cities_is_not_national():
    (r,) = [x for x in rows("Năm 2023 Chỉ số PAR INDEX của thành phố xếp thứ 9/63. So với các thành phố trực thuộc Trung ương, thành phố đứng thứ 2.",
                         plan_year=2024, province="Hải Phòng") if x["value"] == 2.0]
    assert r["scope"] == "region:thanh-pho-truc-thuoc-trung-uong"


def test_neighbours_before_the_merger_are_other_provinces():
    text = "Năm 2023 Chỉ số PAR INDEX của tỉnh Cà Mau xếp thứ 32/63; trong vùng, Bạc Liêu đứng hạng 59."
    found = rows(text, plan_year=2024, province="Cà Mau")
    assert [(r["value"], r["province"], r["province_code"]) for r in found] == [(32.0, "Cà Mau", "96"), (59.0, "Bạc Liêu", "95")]
