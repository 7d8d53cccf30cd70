"""Round 2 of the extractor: linguistic patterns behind the errors on plan texts it had not seen.

Each test states one pattern in general terms and checks it on several sentences written for
these tests (none is copied from a published text), with varied wording, so that a rule
passes only if it holds for the pattern and not for one phrasing.  ``plan_year`` is set to
the year the sentences speak of, so a past year alone cannot decide the reading: the words
have to.
"""

from __future__ import annotations

import pytest

from cchc_analysis.extract import find_targets


def rows(text, **kw):
    kw.setdefault("plan_year", 2024)
    return find_targets(text, **kw)


def kinds(text, **kw):
    return [(r["kind"], r["metric_index"], r["value"], r["unit"]) for r in rows(text, **kw)]


# ----------------------------------------------------------------------------- falls are results


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("Năm 2024, Chỉ số PCI của tỉnh tụt 6 bậc so với năm trước.", -6.0),
        ("Những chỉ tiêu thấp điểm khiến tỉnh tụt liền 5 bậc trên bảng xếp hạng PAR INDEX năm 2024.", -5.0),
        ("Chỉ số PAPI năm 2024 sụt giảm 4 bậc.", -4.0),
    ],
)
def test_a_fall_is_a_result(sentence, value):
    places = [r for r in rows(sentence) if r["unit"] == "places"]
    assert [(r["kind"], r["value"]) for r in places] == [("baseline", value)]


def test_not_letting_an_index_fall_is_an_aim():
    found = rows("Năm 2024 phấn đấu không để Chỉ số SIPAS tụt hạng, đạt trên 85%.")
    assert [(r["kind"], r["metric_index"], r["comparator"], r["value"]) for r in found] == [("target", "sipas", ">", 85.0)]


# ----------------------------------------------------------------------------- aims judged after the fact


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2024, Chỉ số PAPI của tỉnh xếp thứ 18, Chỉ số PCI xếp thứ 25, chưa đạt mục tiêu đề ra.",
        "Năm 2024, Chỉ số PCI duy trì thứ 25 và Chỉ số PAPI xếp thứ 18, không hoàn thành mục tiêu đã đặt ra.",
        "Chỉ số PAPI xếp thứ 18 và Chỉ số PCI xếp thứ 25 trong năm 2024 - vẫn chưa đáp ứng kỳ vọng.",
    ],
)
def test_an_aim_judged_as_missed_marks_results(sentence):
    found = rows(sentence)
    assert sorted((r["kind"], r["metric_index"], r["value"]) for r in found) == [("baseline", "papi", 18.0), ("baseline", "pci", 25.0)]


def test_words_pointing_back_to_an_aim_set_none():
    found = rows("Năm 2024, mục tiêu này vẫn chưa thành hiện thực: Chỉ số PCI của tỉnh chỉ đạt 64,1 điểm.")
    assert [(r["kind"], r["metric_index"], r["value"]) for r in found] == [("baseline", "pci", 64.1)]


REPORT_ARTICLE = (
    "Sáng nay, tại Hà Nội, các cơ quan chủ trì giới thiệu bản báo cáo thường niên về quản trị cấp tỉnh. "
    "Báo cáo năm 2024 tổng hợp ý kiến và kỳ vọng của hơn 12.000 người dân được khảo sát trên cả nước. "
    "Các đại biểu thảo luận về cách đọc số liệu, về những thay đổi trong bộ câu hỏi và về cách các địa phương "
    "có thể dùng báo cáo để rà soát công việc của mình trong thời gian tới. "
    "Nhiều ý kiến cho rằng chất lượng dịch vụ công ở cấp xã cần được quan tâm hơn nữa."
)


def test_expectations_of_people_are_no_aim():
    assert [r["kind"] for r in rows(REPORT_ARTICLE)] in ([], ["baseline"])


def test_an_article_without_any_aim_word_reports_results():
    # several sentences and no aim word anywhere: a figure stated without a cue is a result;
    # a lone sentence given to the extractor keeps the default reading (an aim)
    text = REPORT_ARTICLE + " Tỷ lệ người dân hài lòng với dịch vụ hành chính ở cấp xã là 81%."
    assert [(r["kind"], r["value"]) for r in rows(text) if r["unit"] == "%"] == [("baseline", 81.0)]
    assert [r["kind"] for r in rows("Tỷ lệ văn bản điện tử đạt 95%.")] == ["target"]


# ----------------------------------------------------------------------------- streaks and comparisons with last year


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2024 là năm thứ ba liên tiếp tỉnh xếp thứ 2 về Chỉ số PAR INDEX.",
        "Đây là lần đầu tiên Chỉ số PAR INDEX của tỉnh xếp thứ 2 cả nước.",
        "Chỉ số PAR INDEX của tỉnh xếp thứ 2, thứ hạng cao nhất từ trước đến nay.",
    ],
)
def test_a_streak_or_a_record_is_a_result(sentence):
    assert kinds(sentence) == [("baseline", "par", 2.0, "rank")]


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("GRDP của tỉnh năm 2024 tăng 7,2% so cùng kỳ.", 7.2),
        ("Thu ngân sách năm 2024 đạt 104,5% so với cùng kỳ.", 104.5),
    ],
)
def test_a_figure_compared_with_the_same_period_is_a_result(sentence, value):
    assert [(r["kind"], r["value"]) for r in rows(sentence)] == [("baseline", value)]


# ----------------------------------------------------------------------------- figures that are not the province's


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2024 có 41/63 địa phương có Chỉ số PAR INDEX tăng so với năm trước, nơi tăng nhiều nhất là 5,2%.",
        "Trong năm 2024, 12 tỉnh, thành phố đạt Chỉ số SIPAS trên 85%.",
        "Điểm trung vị của Chỉ số PCI năm 2024 là 66,8 điểm, tăng 0,9 điểm.",
        "Chỉ số PAR INDEX của các tỉnh, thành phố năm 2024 có giá trị trung bình đạt 87,2%, cao hơn 1,1% so với năm trước.",
        "Cả 63 tỉnh, thành phố đều có Chỉ số PAR INDEX năm 2024 trên 80%.",
    ],
)
def test_figures_of_the_provinces_as_a_whole_are_left_out(sentence):
    assert rows(sentence) == []


def test_the_province_compared_with_the_national_mean_is_kept():
    found = rows("Năm 2023, Chỉ số PAR INDEX của tỉnh đạt 88,1%, cao hơn giá trị trung bình của cả nước, xếp thứ 14/63 tỉnh, thành phố.")
    assert sorted((r["kind"], r["value"], r["unit"]) for r in found) == [("baseline", 14.0, "rank"), ("baseline", 88.1, "%")]


def test_a_band_of_the_index_is_no_rank():
    found = rows("Năm 2024 Chỉ số PAPI của tỉnh tiếp tục trong nhóm 1 (nhóm cao nhất) của cả nước.")
    assert [r for r in found if r["unit"] == "rank"] == []


def test_a_group_without_a_number_is_no_rank_one():
    found = rows("Phấn đấu năm 2025 Chỉ số PCI của tỉnh nằm trong nhóm các tỉnh, thành phố miền núi phía Bắc có chất lượng điều hành đứng đầu cả nước.")
    assert found == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Theo báo cáo, Việt Nam đặt mục tiêu tăng trưởng kinh tế 8% trong năm 2025.",
        "Chính phủ đề ra mục tiêu năm 2025 có 80% dịch vụ công trực tuyến toàn trình.",
    ],
)
def test_the_country_s_aims_are_not_the_province_s(sentence):
    assert rows(sentence, plan_year=2025) == []


def test_the_weight_of_a_part_of_an_index_is_no_figure():
    found = rows("Ở nhóm chỉ số có trọng số 20%, tỉnh đặt mục tiêu Chỉ số PCI tăng ít nhất 3 bậc.", plan_year=2025)
    assert [(r["kind"], r["value"], r["unit"]) for r in found] == [("target", 3.0, "places")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Phấn đấu năm 2024 Chỉ số xanh cấp tỉnh (PGI) nằm trong nhóm 20 tỉnh dẫn đầu.",
        "Năm 2024, phấn đấu Chỉ số PGI của tỉnh đạt từ 22 điểm trở lên.",
    ],
)
def test_the_green_index_is_no_reform_index(sentence):
    found = rows(sentence)
    assert found and all(r["metric_index"] == "" and r["domain"] == "other" for r in found)
    assert all("PGI" in r["mapping_note"] for r in found)


def test_a_part_named_in_the_paragraph_before_does_not_carry_over_to_an_aim():
    text = (
        "Nỗ lực nâng hạng Chỉ số PCI của tỉnh\n"
        "Năm 2023, Chỉ số PCI của tỉnh đạt 64,5 điểm. Trong đó, chỉ số thành phần Tính minh bạch tăng 12 hạng, "
        "Chỉ số Chi phí thời gian (tăng 9 hạng, 0,35 điểm).\n\n"
        "Năm 2024, tỉnh phấn đấu đạt từ 66 điểm trở lên và tăng ít nhất 2 hạng so với năm 2023."
    )
    found = [(r["kind"], r["metric_index"], r["value"], r["unit"]) for r in rows(text) if r["kind"] == "target"]
    assert ("target", "pci", 66.0, "score") in found
    assert ("target", "pci", 2.0, "places") in found


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("Phấn đấu năm 2024 có 3/10 chỉ số (gia nhập thị trường, tiếp cận đất đai, tính năng động) nằm trong tốp 15.", 15.0),
        ("Mục tiêu năm 2024 Chỉ số PCI có 04/10 chỉ số thành phần (minh bạch, chi phí thời gian, đào tạo lao động, "
         "thiết chế pháp lý) thuộc nhóm 20 tỉnh dẫn đầu.", 20.0),
    ],
)
def test_a_count_of_parts_in_a_group_is_an_aim_on_the_parts(sentence, value):
    found = [(r["kind"], r["metric_index"], r["domain"], r["value"]) for r in rows(sentence)]
    assert found == [("target", "", "direction", value)]


@pytest.mark.parametrize(
    "text",
    [
        "Nhiều năm qua, tỉnh luôn hướng tới mục tiêu phục vụ người dân tốt hơn. Kết quả, năm 2024, tỉnh xếp thứ 4 "
        "trên bảng xếp hạng Chỉ số PAR INDEX.",
        "Tỉnh đặt mục tiêu xây dựng nền hành chính phục vụ. Theo kết quả công bố năm 2024, Chỉ số PAR INDEX của tỉnh "
        "xếp thứ 4.",
    ],
)
def test_a_sentence_opened_as_a_result_is_not_the_aim_of_the_paragraph(text):
    found = [(r["kind"], r["metric_index"], r["value"]) for r in rows(text, plan_year=None)]
    assert found == [("baseline", "par", 4.0)]


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Tỉnh từng đặt mục tiêu đưa Chỉ số PCI vào top 15 cả nước, nhưng đến nay chưa đạt.", []),
        ("Những năm trước, tỉnh đã từng đề ra chỉ tiêu Chỉ số SIPAS đạt trên 90%.", []),
        ("Trước đây tỉnh đã đề ra mục tiêu Chỉ số PAR INDEX thuộc nhóm 20 tỉnh dẫn đầu, nay phấn đấu năm 2025 "
         "vào nhóm 15 tỉnh dẫn đầu.", [("target", "par", 15.0)]),
    ],
)
def test_an_aim_set_in_the_past_is_not_this_plan_s(text, kept):
    assert [(r["kind"], r["metric_index"], r["value"]) for r in rows(text)] == kept


def test_a_rank_out_of_n_without_an_aim_word_is_a_result():
    text = (
        "Hội nghị bàn giải pháp nâng cao các chỉ số năm 2024.\n"
        "Lãnh đạo tỉnh cho biết, với mục tiêu lấy người dân làm trung tâm, tỉnh đã triển khai nhiều giải pháp.\n"
        "Cụ thể, năm 2024, tỉnh đứng thứ 12/63 tỉnh, thành phố về Chỉ số PCI."
    )
    found = [(r["kind"], r["metric_index"], r["value"], r["rank_out_of"]) for r in rows(text)]
    assert found == [("baseline", "pci", 12.0, 63)]
    # with the aim word the same rank is an aim
    aim = [(r["kind"], r["value"]) for r in rows("Năm 2024, phấn đấu Chỉ số PCI của tỉnh đứng thứ 12/63 tỉnh, thành phố.")]
    assert aim == [("target", 12.0)]


def test_a_plan_titled_up_to_a_horizon_runs_from_its_date():
    from cchc_analysis.extract.document import infer_plan_period

    text = (
        "Tỉnh ban hành Đề án nâng cao Chỉ số PAR INDEX từ nay đến năm 2030\n"
        "UBND tỉnh vừa ban hành Quyết định số 123/QĐ-UBND ngày 05/3/2023 phê duyệt Đề án nâng cao Chỉ số PAR INDEX "
        "của tỉnh từ nay đến năm 2030. Cụ thể:\n\n- Đến năm 2025, Chỉ số PAR INDEX của tỉnh xếp vào nhóm khá, trong nhóm "
        "20 tỉnh, thành phố đứng đầu cả nước.\n"
    )
    assert infer_plan_period(text) == (2023, 2030)
    found = [(r["kind"], r["metric_index"], r["value"], r["deadline"]) for r in find_targets(text)]
    assert found == [("target", "par", 20.0, 2025)]


def test_a_paragraph_whose_only_aim_is_of_the_past_reports():
    text = (
        "Tỉnh từng đề ra mục tiêu đưa Chỉ số PCI vào nhóm 10 tỉnh dẫn đầu. Tuy nhiên, đến nay mục tiêu này chưa "
        "thành hiện thực. Đặc biệt, năm 2024 Chỉ số PCI của tỉnh giảm điểm nhẹ so với năm trước đó 64,2 điểm."
    )
    assert [(r["kind"], r["metric_index"], r["value"]) for r in rows(text)] == [("baseline", "pci", 64.2)]


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("Năm 2024, Chỉ số PCI của tỉnh giảm nhẹ, còn 64,2 điểm.", 64.2),
        ("Năm 2024, Chỉ số PAPI của tỉnh tăng mạnh, lên 44,1 điểm.", 44.1),
        ("Năm 2024 Chỉ số SIPAS tăng vọt, ở mức 88,3%.", 88.3),
    ],
)
def test_how_much_a_figure_moved_marks_a_result_and_the_level_after_it(sentence, value):
    assert [(r["kind"], r["comparator"], r["value"]) for r in rows(sentence)] == [("baseline", "=", value)]


def test_a_strong_rise_under_an_aim_word_stays_an_aim():
    found = rows("Năm 2024 phấn đấu Chỉ số PCI tăng mạnh, đạt trên 68 điểm.")
    assert [(r["kind"], r["comparator"], r["value"]) for r in found] == [("target", ">", 68.0)]


@pytest.mark.parametrize(
    "sentence, value, region",
    [
        ("Năm 2024, Chỉ số SIPAS xếp thứ 12 cả nước và xếp thứ 2 trong 6 tỉnh Bắc Trung Bộ.", 2.0, "region:bac-trung-bo"),
        ("Năm 2024, Chỉ số PAR INDEX của tỉnh đứng đầu trong 13 tỉnh, thành phố vùng Đồng bằng sông Cửu Long.", 1.0,
         "region:dong-bang-song-cuu-long"),
        ("Năm 2024, Chỉ số PAPI của tỉnh dẫn đầu trong các địa phương thuộc khu vực Tây Nguyên.", 1.0, "region:tay-nguyen"),
    ],
)
def test_a_rank_among_a_count_of_provinces_of_a_region_is_regional(sentence, value, region):
    regional = [(r["kind"], r["value"], r["scope"]) for r in find_targets(sentence, plan_year=2025) if r["scope"] != "national"]
    assert regional == [("baseline", value, region)]


def test_a_second_rank_without_its_verb_is_read():
    found = rows("Năm 2023, Chỉ số PAR INDEX của tỉnh đứng thứ 9 cả nước và thứ 2 của vùng Bắc Trung Bộ.")
    ranks = sorted((r["value"], r["scope"]) for r in found if r["unit"] == "rank")
    assert ranks == [(2.0, "region:bac-trung-bo"), (9.0, "national")]
    assert {r["kind"] for r in found} == {"baseline"}


def test_the_economy_s_rank_does_not_take_an_index_named_before():
    text = ("Năm 2023, Chỉ số PAR INDEX của tỉnh xếp thứ 20. Năm qua, kinh tế của tỉnh tăng trưởng nhanh, "
            "đứng thứ 16 cả nước.")
    found = [(r["metric_index"], r["domain"], r["value"]) for r in rows(text)]
    assert ("par", "direction", 20.0) in found
    assert all(not (i == "par" and v == 16.0) for i, _, v in found)


@pytest.mark.parametrize(
    "text",
    [
        "Kết quả qua các năm: năm 2020 đạt 81,5%, năm 2021 đạt 84,2%, năm 2022 đạt 88,9% và năm 2023 đạt 90,1%.",
        "Kết quả qua các năm (Năm 2020: đạt 81,5%, năm 2021: đạt 84,2%, năm 2022: đạt 88,9%, năm 2023: đạt 90,1%).",
    ],
)
def test_a_history_list_takes_the_year_that_labels_each_item(text):
    found = [(r["value"], r["deadline"]) for r in rows(text, plan_year=2025) if r["kind"] == "baseline"]
    assert found == [(81.5, 2020), (84.2, 2021), (88.9, 2022), (90.1, 2023)]


def test_a_deadline_after_an_aim_still_counts():
    found = rows("Phấn đấu Chỉ số PAR INDEX xếp thứ 20 năm 2025 đạt trên 88%.")
    assert [(r["kind"], r["value"], r["deadline"]) for r in found] == [("target", 20.0, 2025), ("target", 88.0, 2025)]


def test_a_rank_history_in_parentheses_is_of_the_index_before():
    text = ("Năm 2023, Chỉ số PAPI của tỉnh xếp thứ 40/63 (giảm 14 bậc so với năm 2022). (Năm 2019: Xếp thứ 38/63, "
            "năm 2020: Xếp thứ 8/63, năm 2021 xếp thứ 22/63, năm 2022 xếp thứ 26/63).")
    history = [(r["metric_index"], r["value"], r["deadline"]) for r in rows(text) if r["unit"] == "rank" and r["deadline"] < 2023]
    assert history == [("papi", 38.0, 2019), ("papi", 8.0, 2020), ("papi", 22.0, 2021), ("papi", 26.0, 2022)]


def test_a_rank_history_takes_the_headline_index_when_none_is_named():
    text = ("Chỉ số PAPI năm 2023 của tỉnh giảm 14 bậc\n\nXếp hạng theo điểm số, năm 2023, tỉnh xếp vị trí thứ 40/61 tỉnh, "
            "thành phố. (Năm 2021: Xếp thứ 22/63, năm 2022: Xếp thứ 26/61).")
    history = [(r["metric_index"], r["value"], r["deadline"]) for r in rows(text) if r["unit"] == "rank" and r["deadline"] < 2023]
    assert history == [("papi", 22.0, 2021), ("papi", 26.0, 2022)]


def test_plain_ranks_of_a_year_without_an_aim_word_are_results():
    found = rows("Năm 2024, Chỉ số PCI xếp thứ 27, SIPAS xếp thứ 30.")
    assert sorted((r["kind"], r["metric_index"], r["value"]) for r in found) == [("baseline", "pci", 27.0), ("baseline", "sipas", 30.0)]


def test_the_aim_year_of_an_earlier_clause_carries_to_the_next():
    found = rows("Phấn đấu năm 2025 Chỉ số SIPAS đạt trên 85%; tỷ lệ hồ sơ trực tuyến đạt 80%.")
    assert [(r["value"], r["deadline"]) for r in found] == [(85.0, 2025), (80.0, 2025)]
