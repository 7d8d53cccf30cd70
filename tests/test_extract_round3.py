"""Round 3 of the extractor: general patterns learnt from the classes of errors on harvest C.

Every sentence here was written for these tests, in the styles of provincial plans and news
summaries of them; none is copied from a published text.
"""

from __future__ import annotations

import pytest

from cchc_analysis.extract import find_targets


def rows(text, **kw):
    kw.setdefault("plan_year", 2025)
    return find_targets(text, **kw)


def brief(r):
    return (r["kind"], r["metric_index"], r["metric_field"], r["comparator"], r["value"], r["unit"])


# ------------------------------------------------------- a rank "về chuyển đổi số" is the DTI's rank


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("Năm 2025, tỉnh phấn đấu nằm trong nhóm 15 tỉnh dẫn đầu cả nước về chuyển đổi số.", 15.0),
        ("Mục tiêu đến năm 2025, tỉnh thuộc top 25 địa phương trong bảng xếp hạng chuyển đổi số cấp tỉnh.", 25.0),
        ("Phấn đấu năm 2025 tỉnh nằm trong nhóm 40 tỉnh, thành phố trong cả nước làm tốt nhất về chuyển đổi số.", 40.0),
        ("Kế hoạch đặt mục tiêu năm 2025 xếp thứ 12 cả nước về mức độ chuyển đổi số.", 12.0),
    ],
)
def test_rank_of_provinces_on_digital_transformation_is_the_dti(sentence, value):
    (r,) = rows(sentence)
    assert brief(r) == ("target", "dti", "rank", "top", value, "rank")
    assert r["scope"] == "national" and "về chuyển đổi số" in r["mapping_note"]


def test_digital_transformation_of_districts_or_a_named_index_is_not_read_as_the_dti():
    # a rank of the province's districts on their own digital transformation is not the DTI
    got = rows("Năm 2025, huyện phấn đấu nằm trong nhóm 3 huyện dẫn đầu về chuyển đổi số cấp huyện.")
    assert all(r["metric_index"] != "dti" for r in got)
    # an index named in the sentence wins over the subject words
    (r,) = rows("Năm 2025 Chỉ số PAR INDEX của tỉnh nằm trong nhóm 20 tỉnh dẫn đầu, gắn với đẩy mạnh chuyển đổi số.")
    assert r["metric_index"] == "par"
    # a share of officials trained in digital transformation is not a rank of any index
    (r,) = rows("Phấn đấu năm 2025 có 100% cán bộ, công chức được bồi dưỡng về chuyển đổi số.")
    assert (r["metric_index"], r["unit"]) == ("", "%")


# ------------------------------------------- the digital economy is socio-economic, not a reform area


@pytest.mark.parametrize(
    "sentence",
    [
        "Phấn đấu đến năm 2025, tỷ trọng kinh tế số đạt tối thiểu 15% GRDP của tỉnh.",
        "Phấn đấu năm 2025 kinh tế số chiếm 12% trong từng ngành, lĩnh vực.",
        "Đến năm 2025, tỷ trọng thương mại điện tử trong tổng mức bán lẻ hàng hóa đạt trên 9%.",
        "Phấn đấu năm 2025 có trên 70% doanh nghiệp trên địa bàn sử dụng hợp đồng điện tử.",
        "Năm 2025, 100% doanh nghiệp sử dụng hóa đơn điện tử.",
        "Phấn đấu năm 2025 có 40% doanh nghiệp nhỏ và vừa sử dụng nền tảng số.",
        "Đến năm 2025, năng suất lao động tăng bình quân 7%/năm.",
    ],
)
def test_digital_economy_targets_are_socio_economic(sentence):
    (r,) = rows(sentence)
    assert (r["kind"], r["domain"], r["metric_index"]) == ("target", "socio_economic", "")


# ------------------------------ digital infrastructure and digital society: domain "other", no index


@pytest.mark.parametrize(
    "sentence",
    [
        "Phấn đấu đến năm 2025, trên 85% hộ gia đình được phủ mạng cáp quang.",
        "Năm 2025, 100% thôn, bản, tổ dân phố có sóng di động băng rộng.",
        "Phấn đấu năm 2025 tỷ lệ người dân trưởng thành có điện thoại thông minh đạt 90%.",
        "Đến năm 2025, 75% người dân từ đủ 15 tuổi trở lên có tài khoản thanh toán.",
        "Phấn đấu năm 2025 có trên 60% người trong độ tuổi lao động được phổ cập kỹ năng số cơ bản.",
        "Năm 2025 có ít nhất 5 dịch vụ đô thị thông minh được triển khai tại thành phố.",
        "Đến năm 2025, 100% hộ gia đình có kết nối Internet.",
    ],
)
def test_digital_infrastructure_and_society_targets_are_other(sentence):
    (r,) = rows(sentence)
    assert (r["kind"], r["domain"], r["metric_index"]) == ("target", "other", "")


def test_online_public_services_stay_digital_government():
    # words of the digital society next to an online service do not move a reform target
    (r,) = rows("Phấn đấu năm 2025, tỷ lệ hồ sơ thủ tục hành chính nộp qua dịch vụ công trực tuyến đạt 60%, kể cả qua điện thoại.")
    assert r["domain"] in ("digital_government", "procedures")


# ------------------------------------- the share of people satisfied, named after the figure: SIPAS


@pytest.mark.parametrize(
    "sentence",
    [
        "Phấn đấu năm 2025, tối thiểu 92% người dân, doanh nghiệp hài lòng về việc giải quyết thủ tục hành chính.",
        "Năm 2025: 100% hồ sơ được số hóa; ít nhất 88% người dân và doanh nghiệp hài lòng với việc giải quyết TTHC.",
        "Phấn đấu năm 2025 có trên 85% tổ chức, cá nhân hài lòng đối với sự phục vụ của cơ quan hành chính nhà nước.",
    ],
)
def test_share_of_people_satisfied_with_the_administration_is_sipas(sentence):
    got = [r for r in rows(sentence) if r["value"] != 100.0]
    assert [(r["metric_index"], r["metric_field"], r["unit"], r["domain"]) for r in got] == [("sipas", "value", "%", "procedures")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Phấn đấu năm 2025 có 85% người dân hài lòng với dịch vụ y tế tại các bệnh viện công lập.",
        "Phấn đấu năm 2025 tối thiểu 90% người dùng hài lòng khi sử dụng dịch vụ công trực tuyến.",
        "Phấn đấu năm 2025 có 70% doanh nghiệp được hỗ trợ tư vấn pháp lý, hài lòng về chất lượng tư vấn.",
    ],
)
def test_share_satisfied_with_something_else_is_not_sipas(sentence):
    assert all(r["metric_index"] != "sipas" for r in rows(sentence))


# ----------------------------------------------- worded totals over districts, databases and rules


@pytest.mark.parametrize(
    "sentence, domain",
    [
        ("Phấn đấu đến năm 2030 triển khai dịch vụ đô thị thông minh ở tất cả các huyện, thị xã trong tỉnh.", "other"),
        ("Đến năm 2030 phấn đấu xây dựng xong toàn bộ cơ sở dữ liệu chuyên ngành của tỉnh.", "digital_government"),
        ("Năm 2026 phấn đấu bãi bỏ hoàn toàn các quy định chồng chéo, không cần thiết về điều kiện kinh doanh.", None),
    ],
)
def test_worded_totals_of_districts_databases_and_rules_are_100_percent(sentence, domain):
    (r,) = rows(sentence)
    assert brief(r)[3:] == (">=", 100.0, "%") and r["kind"] == "target"
    assert "worded total" in r["mapping_note"]
    if domain:
        assert r["domain"] == domain


def test_worded_totals_in_reports_or_without_an_aim_are_no_target():
    assert rows("Năm 2023, tất cả các huyện, thị xã đã triển khai phần mềm một cửa điện tử.") == []
    assert rows("Sở đã tổng hợp ý kiến của tất cả các huyện về dự thảo kế hoạch.") == []
    # "hoàn toàn" alone is no total
    assert rows("Phấn đấu năm 2026 hoàn toàn đáp ứng yêu cầu của người dân.") == []


def test_the_three_pillars_named_as_a_purpose_do_not_make_a_target_socio_economic():
    (r,) = rows("Năm 2025 phấn đấu có 30% sở, ngành mở dữ liệu phục vụ phát triển chính quyền số, kinh tế số và xã hội số.")
    assert r["domain"] == "digital_government"


def test_a_rank_of_the_digital_economy_pillar_is_a_part_of_the_dti_not_the_economy():
    got = rows("Năm 2021, các trụ cột xếp hạng: chính quyền số 30/63 (tăng 6 bậc so với năm 2020), kinh tế số 22/63 (tăng 4 bậc so với năm 2020).")
    assert got and all(r["kind"] == "baseline" and r["domain"] != "socio_economic" for r in got)
    # the share of the digital economy in GRDP stays socio-economic
    (r,) = rows("Phấn đấu năm 2025 kinh tế số chiếm 18% GRDP của tỉnh.")
    assert r["domain"] == "socio_economic"
