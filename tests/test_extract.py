"""Tests for cchc_analysis.extract.

Every sentence here was written for these tests in the styles of provincial PAR plans and
news items; none is copied from the seed documents.  The last tests read the seeds in
../shared/plans when they are present.
"""

from __future__ import annotations

import subprocess
import sys
import time
import unicodedata

import pytest

from cchc_analysis import config
from cchc_analysis.extract import EXTRACT_COLUMNS, extract_targets, find_targets, infer_plan_period, parse_vi_number
from cchc_analysis.targets import COMPARATORS, DOMAINS, UNITS


def rows(text, **kw):
    kw.setdefault("plan_year", 2024)
    return find_targets(text, **kw)


def one(text, **kw):
    found = rows(text, **kw)
    assert len(found) == 1, [(r["value"], r["unit"], r["indicator_vi"]) for r in found]
    return found[0]


def brief(r):
    return (r["kind"], r["metric_index"], r["comparator"], r["value"], r["unit"])


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "s, value",
    [("85,5", 85.5), ("1.000", 1000.0), ("12.500", 12500.0), ("1.234,75", 1234.75), ("03", 3.0), ("98", 98.0), ("85.55", 85.55), ("1,000,000", 1e6)],
)
def test_parse_vi_number(s, value):
    assert parse_vi_number(s) == value


def test_parse_vi_number_rejects_text():
    with pytest.raises(ValueError, match="not a number"):
        parse_vi_number("85%")


def test_numbers_in_sentences():
    assert one("Phấn đấu tỷ lệ hồ sơ trực tuyến toàn trình đạt 72,5%.")["value"] == 72.5
    r = one("Cắt giảm ít nhất 1.200 thủ tục nội bộ trong năm.")
    assert (r["value"], r["unit"], r["comparator"]) == (1200.0, "count", ">=")
    r = one("Tổ chức tối thiểu 04 lớp bồi dưỡng nghiệp vụ một cửa.")
    assert (r["value"], r["unit"]) == (4.0, "count")


# ----------------------------------------------------------------------------- comparators


@pytest.mark.parametrize(
    "sentence, comparator",
    [
        ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 97%.", ">"),
        ("Tỷ lệ thanh toán trực tuyến hơn 40%.", ">"),
        ("Tỷ lệ dịch vụ công trực tuyến toàn trình đạt từ 70% trở lên.", ">="),
        ("Tối thiểu 55% hồ sơ được nộp qua mạng.", ">="),
        ("Số hóa ít nhất 90% kết quả giải quyết thủ tục hành chính.", ">="),
        ("Mức độ hài lòng của người dân không thấp hơn 88%.", ">="),
        ("Tỷ lệ văn bản điện tử đạt 95%.", ">="),
        ("Phấn đấu 100% cơ quan sử dụng chữ ký số.", ">="),
        ("Tỷ lệ hồ sơ trễ hạn không quá 2%.", "<="),
        ("Tỷ lệ hồ sơ phải bổ sung tối đa 5%.", "<="),
        ("Tỷ lệ hồ sơ quá hạn dưới 1,5%.", "<"),
        ("Tỷ lệ hài lòng về dịch vụ hành chính đạt trên 86% trở lên.", ">"),
        ("Tỷ lệ hồ sơ được số hóa đạt 75% trở lên.", ">="),
    ],
)
def test_comparators(sentence, comparator):
    assert one(sentence)["comparator"] == comparator


def test_comparators_are_known_values():
    text = "Tỷ lệ hồ sơ đúng hạn trên 95%; tỷ lệ trễ hạn dưới 3%; PCI thuộc nhóm 10 tỉnh dẫn đầu; Chỉ số PAPI năm 2023 xếp 40."
    found = rows(text)
    assert [(r["comparator"], r["value"], r["unit"]) for r in found] == [(">", 95.0, "%"), ("<", 3.0, "%"), ("top", 10.0, "rank"), ("=", 40.0, "rank")]
    for r in found:
        assert r["comparator"] in COMPARATORS and r["unit"] in UNITS and r["domain"] in DOMAINS


def test_duration_defaults_to_at_most():
    r = one("Thời gian giải quyết thủ tục cấp phép xây dựng trong 12 ngày làm việc.")
    assert (r["comparator"], r["value"], r["unit"], r["domain"]) == ("<=", 12.0, "days", "procedures")


# ----------------------------------------------------------------------------- indices and ranks


def test_one_clause_several_indices():
    found = rows("Phấn đấu Chỉ số PAR INDEX, SIPAS, PAPI và DTI của tỉnh thuộc nhóm 25 tỉnh, thành phố dẫn đầu cả nước.")
    assert [r["metric_index"] for r in found] == ["par", "sipas", "papi", "dti"]
    for r in found:
        assert brief(r)[2:] == ("top", 25.0, "rank")
        assert (r["metric_component"], r["metric_field"], r["domain"]) == ("overall", "rank", "direction")


def test_vietnamese_index_names():
    text = (
        "Chỉ số cải cách hành chính của tỉnh và Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh "
        "nằm trong nhóm 30 địa phương đứng đầu; Chỉ số năng lực cạnh tranh cấp tỉnh thuộc top 12."
    )
    assert [(r["metric_index"], r["value"]) for r in rows(text)] == [("par", 30.0), ("papi", 30.0), ("pci", 12.0)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Chỉ số PCI của tỉnh vào top 15 cả nước.", ("pci", "top", 15.0, "rank", "rank")),
        ("Phấn đấu Chỉ số DTI xếp thứ 8 toàn quốc.", ("dti", "top", 8.0, "rank", "rank")),
        ("Chỉ số PAPI phấn đấu xếp vị trí 12 - 18/63 tỉnh, thành phố.", ("papi", "top", 18.0, "rank", "rank")),
        ("Chỉ số PAR Index năm 2025 tăng ít nhất 4 bậc so với năm 2024.", ("par", ">=", 4.0, "places", "rank_change")),
        ("Chỉ số SIPAS cải thiện tối thiểu 02 bậc.", ("sipas", ">=", 2.0, "places", "rank_change")),
        ("Chỉ số PAPI đạt trên 44 điểm.", ("papi", ">", 44.0, "score", "value")),
        ("Chỉ số PCI tăng thêm 1,5 điểm so với năm trước.", ("pci", ">=", 1.5, "score", "value_change")),
    ],
)
def test_rank_and_score_targets(sentence, expected):
    r = one(sentence, plan_year=2025)
    assert (r["metric_index"], r["comparator"], r["value"], r["unit"], r["metric_field"]) == expected
    assert r["kind"] == "target"


def test_rank_range_keeps_upper_bound_and_says_so():
    r = one("Chỉ số SIPAS xếp vị trí 5 - 10/63.")
    assert r["value"] == 10.0 and "5-10" in r["mapping_note"]


def test_satisfaction_with_administrative_services_is_sipas():
    r = one("Mức độ hài lòng của tổ chức, cá nhân đối với sự phục vụ của cơ quan hành chính nhà nước đạt trên 90%.")
    assert (r["metric_index"], r["metric_field"], r["unit"], r["mapping_confidence"]) == ("sipas", "value", "%", "high")
    assert r["domain"] == "procedures"


def test_satisfaction_with_health_and_education_is_not_sipas():
    r = one("Sự hài lòng của người dân đối với dịch vụ y tế, giáo dục công lập đạt 82%.")
    assert r["metric_index"] == "" and r["domain"] == "apparatus"


def test_mixed_satisfaction_is_sipas_with_medium_confidence():
    r = one("Mức độ hài lòng về thủ tục hành chính và dịch vụ sự nghiệp công (y tế, giáo dục) đạt 87%.")
    assert r["metric_index"] == "sipas" and r["mapping_confidence"] == "medium"


def test_other_indices_do_not_map_to_pci():
    r = one("Chỉ số năng lực cạnh tranh cấp sở, ngành và địa phương (DDCI) đạt từ 72 điểm trở lên.")
    assert r["metric_index"] == "" and r["unit"] == "score"


# ----------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    "sentence, plan, deadline",
    [
        ("Tỷ lệ hồ sơ số hóa đạt 90% đến năm 2025.", "2021-2025", 2025),
        ("Đến năm 2030, 100% hồ sơ được xử lý trên môi trường mạng.", "2021-2030", 2030),
        ("Trong năm 2024 tỷ lệ thanh toán trực tuyến đạt 50%.", 2024, 2024),
        ("Giai đoạn 2021-2025 giảm tối thiểu 10% biên chế công chức.", "2021-2030", 2025),
        ("Tỷ lệ văn bản điện tử đạt trên 70% vào năm 2015.", "2011-2020", 2015),
        ("Tỷ lệ hồ sơ đúng hạn đạt 99%.", 2026, 2026),
        ("Tỷ lệ hồ sơ đúng hạn đạt 99%.", "2026-2030", 2030),
    ],
)
def test_deadlines(sentence, plan, deadline):
    assert one(sentence, plan_year=plan)["deadline"] == deadline


def test_deadline_of_a_phase_defined_earlier():
    text = (
        "Kế hoạch chia làm hai giai đoạn: giai đoạn 1 từ năm 2016-2020, giai đoạn 2 từ năm 2021-2025.\n\n"
        "Trong giai đoạn 1, 80% cơ quan cấp huyện có trang thông tin điện tử; 100% cán bộ cấp xã đạt chuẩn."
    )
    assert [r["deadline"] for r in rows(text, plan_year="2016-2025")] == [2020, 2020]


def test_introducing_line_sets_the_deadline():
    text = "2. Chỉ tiêu đến năm 2027:\n- 95% hồ sơ được số hóa;\n- 60% giao dịch thanh toán qua mạng."
    assert [r["deadline"] for r in rows(text, plan_year="2026-2030")] == [2027, 2027]


def test_reference_year_is_not_a_deadline():
    r = one("Giảm 12% biên chế hưởng lương ngân sách so với năm 2021.", plan_year="2022-2026")
    assert r["deadline"] == 2026 and r["kind"] == "target"


def test_two_deadlines_in_one_clause():
    found = rows("Tỷ lệ thanh toán trực tuyến đạt 40% năm 2025 và 65% năm 2030.", plan_year="2021-2030")
    assert [(r["value"], r["deadline"]) for r in found] == [(40.0, 2025), (65.0, 2030)]


def test_elliptical_clause_carries_the_subject():
    found = rows("Đến năm 2026, tỷ lệ dịch vụ công trực tuyến toàn trình đạt 85%; đến năm 2030 đạt 100%.", plan_year="2026-2030")
    assert [(r["value"], r["deadline"], r["domain"]) for r in found] == [(85.0, 2026, "digital_government"), (100.0, 2030, "digital_government")]


# ----------------------------------------------------------------------------- baselines


def test_past_rank_in_parentheses_is_a_baseline():
    found = rows("Phấn đấu Chỉ số PAPI (năm 2022 xếp 41) thuộc nhóm 30 tỉnh, thành phố dẫn đầu.", plan_year=2024)
    base = [r for r in found if r["is_baseline"]]
    tgt = [r for r in found if not r["is_baseline"]]
    assert [brief(r) for r in base] == [("baseline", "papi", "=", 41.0, "rank")] and base[0]["deadline"] == 2022
    assert [brief(r) for r in tgt] == [("target", "papi", "top", 30.0, "rank")] and tgt[0]["deadline"] == 2024


def test_past_value_after_the_figure_is_a_baseline():
    r = one("Chỉ số SIPAS của tỉnh đạt 84,6% năm 2023.", plan_year=2024)
    assert (r["kind"], r["deadline"], r["comparator"], r["metric_index"]) == ("baseline", 2023, "=", "sipas")


def test_report_sentence_gives_baselines():
    found = rows("Kết quả năm 2023, Chỉ số PAR INDEX của tỉnh xếp thứ 21/63, tăng 6 bậc; Chỉ số SIPAS đạt 83,9%.", plan_year=2024)
    assert [(r["kind"], r["metric_index"], r["metric_field"], r["value"], r["deadline"]) for r in found] == [
        ("baseline", "par", "rank", 21.0, 2023),
        ("baseline", "par", "rank_change", 6.0, 2023),
        ("baseline", "sipas", "value", 83.9, 2023),
    ]


def test_lost_places_are_negative():
    r = one("Năm 2023 Chỉ số PAPI của tỉnh giảm 4 bậc so với năm 2022.", plan_year=2024)
    assert (r["kind"], r["value"], r["unit"]) == ("baseline", -4.0, "places")


def test_past_cue_makes_a_baseline_and_target_cue_wins():
    assert one("Hiện nay tỷ lệ hồ sơ trực tuyến toàn trình đạt 47%.")["kind"] == "baseline"
    r = one("(Năm 2023, Trung ương giao chỉ tiêu tối thiểu 35% hồ sơ trực tuyến toàn trình)", plan_year=2024)
    assert (r["kind"], r["deadline"]) == ("target", 2023)


def test_current_year_figure_is_a_target():
    assert one("Năm 2024 tỷ lệ hồ sơ được số hóa đạt 95%.", plan_year=2024)["kind"] == "target"


# ----------------------------------------------------------------------------- messy text


def test_hard_line_breaks_from_pdf():
    text = (
        "I. MỤC TIÊU\n1. Chỉ tiêu cụ thể\n- Phấn đấu Chỉ số hài lòng của người dân, tổ chức đối với sự\n"
        "phục vụ của cơ quan hành chính nhà nước (SIPAS) đạt tối thiểu\n88%; Chỉ số PAR INDEX thuộc\n"
        "nhóm 20 tỉnh dẫn đầu cả nước.\n- Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số\n"
        "hồ sơ đạt từ 60% trở lên.\n"
    )
    found = rows(text)
    assert [brief(r) for r in found] == [
        ("target", "sipas", ">=", 88.0, "%"),
        ("target", "par", "top", 20.0, "rank"),
        ("target", "", ">=", 60.0, "%"),
    ]
    assert found[2]["domain"] == "digital_government"


def test_table_cells_use_their_row_label():
    text = "| STT | Chỉ tiêu | Kế hoạch 2024 |\n| 1 | Tỷ lệ hồ sơ đúng hạn | 98,5% |\n| 2 | Tỷ lệ văn bản ký số | 100% |"
    found = rows(text)
    assert [(r["value"], r["domain"]) for r in found] == [(98.5, "procedures"), (100.0, "digital_government")]


def test_table_with_a_unit_column():
    text = "| TT | Chỉ tiêu | Đơn vị | 2025 |\n| 1 | Tỷ lệ văn bản ký số | % | 100 |\n| 2 | Số cuộc đối thoại với doanh nghiệp | cuộc | 03 |"
    found = rows(text, plan_year=2025)
    assert [(r["value"], r["unit"], r["domain"]) for r in found] == [(100.0, "%", "digital_government"), (3.0, "count", "direction")]
    assert text[found[1]["evidence_start"] : found[1]["evidence_end"]].endswith("03")


def test_recipients_footer_is_skipped_and_attached_plan_read():
    text = (
        "QUYẾT ĐỊNH\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính năm 2024.\n"
        "Điều 2. Quyết định có hiệu lực từ ngày ký.\nNơi nhận:\n- Như Điều 2;\n- Lưu: VT, 45% bản sao.\n"
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nKẾ HOẠCH\nCải cách hành chính năm 2024\n"
        "- Phấn đấu 97% hồ sơ được giải quyết đúng hạn.\nNơi nhận:\n- Các sở, ngành;\n- 12% dự phòng.\n"
    )
    assert [r["value"] for r in rows(text)] == [97.0]


def test_web_page_footer_ends_the_text():
    text = (
        "Kế hoạch CCHC năm 2024 của tỉnh đặt mục tiêu 90% hồ sơ trực tuyến toàn trình.\n" + "Nội dung bài viết. " * 20 + "\n"
        "Ý kiến bạn đọc\nTỷ lệ 70% độc giả đồng tình\nThống kê truy cập\n"
    )
    assert [r["value"] for r in rows(text)] == [90.0]


def test_nfd_text_offsets_refer_to_the_input():
    text = unicodedata.normalize("NFD", "Ghi chú. Phấn đấu tỷ lệ hồ sơ đúng hạn đạt trên 98%.")
    r = one(text)
    assert (r["comparator"], r["value"]) == (">", 98.0)
    assert text[r["evidence_start"] : r["evidence_end"]].endswith("98%")


def test_old_and_new_tone_placement():
    a = one("Tỷ lệ hồ sơ được số hóa đạt 80%.")
    b = one("Tỉ lệ hồ sơ được số hoá đạt 80%.")
    assert a["domain"] == b["domain"] == "digital_government"


@pytest.mark.parametrize(
    "text",
    [
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ.",
        "Áp dụng hệ thống quản lý chất lượng TCVN ISO 9001:2015 tại 03 cấp chính quyền.",
        "Cung cấp dịch vụ công trực tuyến mức độ 3, mức độ 4 tại Quyết định 1234/QĐ-UBND.",
        "Hà Nội, ngày 05 tháng 01 năm 2024. Điều 2. Khoản 3.",
        "Sắp xếp 05 phòng chuyên môn của Sở Nội vụ theo Đề án 06.",
    ],
)
def test_numbers_that_are_not_targets(text):
    assert rows(text) == []


def test_restatement_is_reported_once():
    text = (
        "Đến năm 2025: 100% xã có bộ phận một cửa hiện đại\n\nTheo kế hoạch, đến năm 2025 100% xã có bộ phận một cửa hiện đại; "
        "giảm 10% biên chế."
    )
    found = rows(text, plan_year="2021-2025")
    assert [r["value"] for r in found] == [100.0, 10.0]
    assert "also stated" in found[0]["mapping_note"]


def test_subset_clause_inherits_domain_not_index():
    found = rows("Mức độ hài lòng về giải quyết TTHC đạt 90%; trong đó lĩnh vực đất đai đạt 85% trở lên.")
    assert [(r["metric_index"], r["domain"]) for r in found] == [("sipas", "procedures"), ("", "procedures")]


# ----------------------------------------------------------------------------- inference, output


def test_inferred_province_and_plan_period():
    text = "ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\nKẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025\n- 100% hồ sơ được số hóa."
    r = find_targets(text)[0]
    assert (r["province"], r["province_code"], r["plan_period"], r["deadline"]) == ("Hà Giang", "02", "2025", 2025)
    assert infer_plan_period("Kế hoạch thực hiện giai đoạn 2021 - 2025 của tỉnh.") == (2021, 2025)


def test_province_argument_is_resolved():
    r = one("100% hồ sơ được số hóa.", province="thua thien hue")
    assert r["province"] == "Thừa Thiên Huế"


def test_plan_year_must_be_a_year():
    with pytest.raises(ValueError, match="plan_year"):
        find_targets("100% hồ sơ.", plan_year="next year")


def test_extract_targets_frame():
    df = extract_targets("Phấn đấu 95% hồ sơ đúng hạn; Chỉ số PCI năm 2023 xếp 20.", plan_year=2024, document_id="demo", source_file="demo.txt")
    assert list(df.columns) == list(EXTRACT_COLUMNS)
    assert df["target_id"].tolist() == ["demo-01", "demo-02"]
    assert str(df["deadline"].dtype) == "Int64" and df["value"].dtype == float and df["is_baseline"].tolist() == [False, True]
    assert (df["source_file"] == "demo.txt").all()
    empty = extract_targets("Không có chỉ tiêu nào.")
    assert empty.empty and list(empty.columns) == list(EXTRACT_COLUMNS)


def test_evidence_spans_hold_the_figure():
    text = "Mục tiêu:\n- Tỷ lệ hồ sơ trực tuyến đạt 66,5%;\n- Chỉ số DTI thuộc top 20 cả nước."
    found = rows(text)
    assert [r["value"] for r in found] == [66.5, 20.0]
    spans = [text[r["evidence_start"] : r["evidence_end"]] for r in found]
    assert "66,5" in spans[0] and "DTI" not in spans[0]
    assert "top 20" in spans[1] and "66,5" not in spans[1]


def test_import_is_light():
    code = "import sys, cchc_analysis.extract; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_throughput_smoke():
    """Guards against pathological slowness (the goal is >= 1 MB/s; see the evaluation script)."""
    block = (
        "- Phấn đấu tỷ lệ hồ sơ giải quyết trực tuyến đạt từ 65% trở lên; Chỉ số PAR INDEX (năm 2023 xếp 30) thuộc nhóm 20 tỉnh dẫn đầu.\n"
        "- Rà soát, sửa đổi văn bản quy phạm pháp luật theo Nghị quyết số 12/NQ-HĐND ngày 01/02/2023 của Hội đồng nhân dân tỉnh.\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015; tăng cường kiểm tra công vụ, kỷ luật, kỷ cương hành chính.\n"
    )
    text = block * (300_000 // len(block.encode()))
    t0 = time.perf_counter()
    found = find_targets(text, plan_year=2024)
    speed = len(text.encode()) / 1e6 / (time.perf_counter() - t0)
    assert found and speed > 0.2


# ----------------------------------------------------------------------------- seeds


QN = config.PLANS_DIR / "002_d69b57e8b59549d8.txt"


@pytest.mark.shared
@pytest.mark.skipif(not QN.exists(), reason=f"seed plans not found at {config.PLANS_DIR} (../shared is only on the build machine)")
def test_quang_nam_seed_acceptance():
    df = extract_targets(QN.read_text(encoding="utf-8"))
    assert set(df["province"]) == {"Quảng Nam"} and set(df["plan_period"]) == {"2023"}
    ranks = df[(df["unit"] == "rank") & (df["kind"] == "target")]
    got = sorted(zip(ranks["metric_index"], ranks["comparator"], ranks["value"]))
    assert got == sorted([("par", "top", 20.0), ("sipas", "top", 20.0), ("papi", "top", 20.0), ("dti", "top", 20.0), ("pci", "top", 6.0)])
    base = df[df["kind"] == "baseline"]
    assert sorted(zip(base["metric_index"], base["value"], base["deadline"])) == sorted(
        [("par", 33.0, 2021), ("sipas", 57.0, 2021), ("papi", 35.0, 2021), ("pci", 19.0, 2021)]
    )
    assert (base["comparator"] == "=").all() and (base["metric_field"] == "rank").all()
