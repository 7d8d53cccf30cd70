"""Issue 11 item 4: targets across provinces (cchc_analysis.ambition), on synthetic tables built
here and on the bundled corpus."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import cchc_analysis as cchc
from cchc_analysis import ambition
from cchc_analysis.ambition import (
    COMPARISON_COLUMNS,
    brief_table,
    check_period,
    compare_targets,
    headline,
    plot_ambition_achievement,
    plot_target_ladder,
    target_matrix,
    target_summary,
)

NO_BREAKS = pd.DataFrame(columns=["index", "component", "year", "kind", "description", "source_id"])


def _target(tid, code, name, kind, field, comparator, value, deadline, *, unit=None, scope="national",
            period="2021-2023", doc=None):
    unit = unit or {"rank": "rank", "value": "%", "rank_change": "places"}[field]
    return {"target_id": tid, "document_id": doc or f"synthetic-{code}", "province_code": code, "province": name,
            "plan_period": period, "kind": kind, "domain": "direction", "indicator_vi": f"chỉ tiêu {tid}",
            "indicator_en": f"target {tid}", "comparator": comparator, "value": float(value), "unit": unit,
            "deadline": deadline, "metric_index": "par", "metric_component": "overall", "metric_field": field,
            "mapping_confidence": "high", "mapping_note": "", "boundaries": "legacy", "scope": scope,
            "rank_out_of": pd.NA, "reviewed_by_hand": "yes"}


@pytest.fixture
def synthetic():
    """Three made-up provinces' plans and PAR figures (synthetic, generated here)."""
    targets = pd.DataFrame([
        # Hà Nội: top 10 by 2023 from a quoted rank 20 in 2021 -> rank 8 in 2023: met
        _target("hn-01", "01", "Hà Nội", "target", "rank", "top", 10, 2023),
        _target("hn-02", "01", "Hà Nội", "baseline", "rank", "=", 20, 2021),
        _target("hn-03", "01", "Hà Nội", "baseline", "rank", "=", 2, 2022, scope="region:dong-bang-song-hong"),
        # Lào Cai: 80 % by 2023; no quoted baseline: the data's 70 in 2020 -> 75 in 2023: not met
        _target("lc-01", "10", "Lào Cai", "target", "value", ">=", 80, 2023),
        # Cà Mau: 3rd in its region, never graded
        _target("cm-01", "96", "Cà Mau", "target", "rank", "top", 3, 2023, scope="region:dong-bang-song-cuu-long"),
    ])
    rows = []
    for code, name, year, value, rank in [("01", "Hà Nội", 2021, 85.0, 20), ("01", "Hà Nội", 2023, 90.0, 8),
                                          ("10", "Lào Cai", 2020, 70.0, 40), ("10", "Lào Cai", 2023, 75.0, 30),
                                          ("96", "Cà Mau", 2023, 86.0, 34)]:
        rows.append({"index": "par", "year": year, "boundaries": "legacy", "province_code": code, "province": name,
                     "component": "overall", "value": value, "rank": rank, "unit": "percent",
                     "source_id": "synthetic-par", "note": None})
    data = pd.DataFrame(rows)
    data["rank"] = data["rank"].astype("Int64")
    return targets, data


def test_comparison_rows_ambition_and_achievement(synthetic):
    targets, data = synthetic
    comp = compare_targets(targets, data, index="par", breaks=NO_BREAKS)
    assert list(comp.columns) == list(COMPARISON_COLUMNS)
    comp = comp.set_index("target_id")
    hn = comp.loc["hn-01"]
    # the national quoted rank (20 in 2021) is the baseline, never the regional rank 2
    assert (hn["baseline_value"], hn["baseline_year"], hn["baseline_source"]) == (20.0, 2021, "plan")
    assert (hn["actual"], hn["status"], hn["ambition"], hn["achieved"], hn["to_go"]) == (8.0, "met", 10.0, 12.0, -2.0)
    assert hn["ambition_per_year"] == 5.0 and hn["ambition_unit"] == "places" and hn["comparable"]
    lc = comp.loc["lc-01"]
    assert (lc["baseline_value"], lc["baseline_year"], lc["baseline_source"]) == (70.0, 2020, "data")
    assert (lc["status"], lc["ambition"], lc["achieved"], lc["to_go"]) == ("not met", 10.0, 5.0, 5.0)
    assert lc["ambition_unit"] == "percentage points" and lc["latest_value"] == 75.0 and lc["latest_year"] == 2023
    cm = comp.loc["cm-01"]
    assert cm["status"] == "regional" and math.isnan(cm["actual"]) and "not graded" in cm["note"]


def test_no_achievement_across_a_comparability_break(synthetic):
    targets, data = synthetic
    breaks = pd.DataFrame([{"index": "par", "component": "*", "year": 2022, "kind": "method",
                            "description": "synthetic break", "source_id": "synthetic"}])
    hn = compare_targets(targets, data, index="par", breaks=breaks).set_index("target_id").loc["hn-01"]
    assert hn["ambition"] == 10.0  # what the plan asked stays
    assert hn["comparable"] == False  # noqa: E712 (a pandas boolean)
    assert math.isnan(hn["achieved"])
    ax = plot_target_ladder(compare_targets(targets, data, index="par", breaks=breaks), lang="en", caption=False)
    assert not [line for line in ax.get_lines() if line.get_gid() == "progress"]  # no line across the break


def test_summary_headline_and_brief_table(synthetic):
    targets, data = synthetic
    comp = compare_targets(targets, data, index="par", breaks=NO_BREAKS)
    s = target_summary(comp).iloc[0].to_dict()
    assert {k: s[k] for k in ("provinces", "targets", "regional", "graded", "met", "not_met", "provinces_met")} == {
        "provinces": 3, "targets": 3, "regional": 1, "graded": 2, "met": 1, "not_met": 1, "provinces_met": 1}
    assert headline(comp, lang="en").startswith("PAR Index: 3 provinces set 3 targets; 2 graded")
    assert "1 regional rank, not graded" in headline(comp, lang="en")
    assert headline(comp, lang="vi") == (
        "PAR Index: 3 tỉnh đặt 3 mục tiêu; 2 mục tiêu đã đến hạn và có số liệu: 1 đạt, 1 không đạt; 1 tỉnh đạt mọi "
        "mục tiêu đã có kết luận. Ngoài ra: 1 là hạng trong vùng, không chấm.")
    vi = target_summary(comp, lang="vi")
    assert "Số tỉnh đặt mục tiêu" in vi.columns and "Đạt" in vi.columns and "province_code" not in vi.columns
    docs = pd.DataFrame({"document_id": ["synthetic-01", "synthetic-10", "synthetic-96"], "number": ["12/KH-UBND", "", ""],
                         "date": ["2021-03-01", "", ""], "plan_period": ["2021-2023"] * 3,
                         "source_url": ["", "https://example.org/a", ""]})
    table = brief_table(comp, lang="vi", documents=docs)
    assert list(table.columns) == ["Tỉnh", "Văn bản", "Mục tiêu", "Xuất phát", "Số liệu mới nhất", "Kết quả so với hạn",
                                   "Đánh giá"]
    rows = table.set_index("Tỉnh")
    assert rows.at["Hà Nội", "Mục tiêu"] == "nhóm 10 đứng đầu, đến 2023"
    assert rows.at["Hà Nội", "Xuất phát"] == "hạng 20 (2021, kế hoạch)"
    assert rows.at["Hà Nội", "Văn bản"] == "12/KH-UBND (2021-03-01)" and rows.at["Lào Cai", "Văn bản"] == "example.org (2021-2023)"
    assert rows.at["Lào Cai", "Mục tiêu"] == "≥ 80 %, đến 2023" and rows.at["Lào Cai", "Kết quả so với hạn"] == "75 % (2023)"
    assert rows.at["Cà Mau", "Mục tiêu"] == "nhóm 3 đứng đầu (vùng Đồng bằng sông Cửu Long), đến 2023"
    assert rows.at["Cà Mau", "Đánh giá"] == "Hạng trong vùng: không chấm"
    assert table.iloc[0]["Đánh giá"] == "Đạt"  # met first
    en = brief_table(comp, lang="en", documents=docs).set_index("Province")
    assert en.at["Ca Mau", "Target"] == "top 3 (Mekong River Delta region), by 2023"


def test_figures_draw_national_targets_only(synthetic):
    targets, data = synthetic
    comp = compare_targets(targets, data, index="par", breaks=NO_BREAKS)
    ax = plot_target_ladder(comp, lang="vi", caption=False)
    gids = [line.get_gid() for line in ax.get_lines()]
    assert gids.count("target") == 1 and gids.count("actual") == 1 and gids.count("baseline") == 1  # Cà Mau not drawn
    assert ax.get_xlim() == (63.5, 0.5)  # rank 1 on the right
    years = sorted(t.get_text() for t in ax.texts if t.get_gid() in ("actual-year", "baseline-year"))
    assert years == ["2021", "2023"]
    assert [t.get_text() for t in ax.figure.findobj(lambda o: getattr(o, "get_gid", lambda: None)() == "status")] == ["Đạt"]
    assert cchc.style.get_alt_text(ax) == "Biểu đồ điểm: 1 mục tiêu PAR Index của 1 tỉnh; đạt 1."
    with pytest.raises(ValueError, match="no national value target"):
        plot_target_ladder(comp[comp["metric_field"] == "rank"], field="value")
    sc = plot_ambition_achievement(comp, lang="en", caption=False)
    pts = [c for c in sc.collections if c.get_gid() == "targets"][0]
    assert pts.get_offsets().tolist() == [[10.0, 12.0]]  # ambition, achievement of Hà Nội
    assert sc.get_xlabel() == "Places to climb (baseline → target)"


def test_matrix_and_period_selection(synthetic):
    targets, _ = synthetic
    m = target_matrix(targets)
    assert m.set_index("province")[["par", "regional", "documents"]].to_dict("index")["Cà Mau"] == {
        "par": 1, "regional": 1, "documents": 1}
    assert check_period("") == ("all", None, None) and check_period(2023) == ("year", 2023, 2023)
    assert check_period("2021-2025") == ("period", 2021, 2025)
    with pytest.raises(ValueError, match="neither a deadline year"):
        check_period("next year")
    with pytest.raises(ValueError, match="no target has the deadline 2019; deadlines in the data: 2023"):
        check_period(2019, targets)
    with pytest.raises(ValueError, match="did you mean '2021-2023'"):
        check_period("2021-2024", targets)
    assert len(target_matrix(targets, period="2021-2023")) == 3 and target_matrix(targets, period=2023)["par"].sum() == 3
    with pytest.raises(ValueError, match="did you mean 'par'"):
        compare_targets(targets, pd.DataFrame(), index="parr")


# ------------------------------------------------------------------------------ the bundled corpus


def test_bundled_par_comparison():
    comp = compare_targets(cchc.load_targets(), cchc.load_indicators(), index="par").set_index("target_id")
    qn = comp.loc["quangnam-2023-qd3532-14"]  # Decision 3532: PAR Index in the top 20 in 2023
    assert (qn["target_value"], qn["baseline_value"], qn["baseline_year"], qn["baseline_source"]) == (20.0, 33.0, 2021, "plan")
    assert (qn["actual"], qn["actual_year"], qn["status"], qn["ambition"]) == (56.0, 2023, "not met", 13.0)
    assert qn["comparable"] == False and math.isnan(qn["achieved"])  # noqa: E712 -- PAR method changed in 2022
    assert (comp["status"] == "regional").sum() >= 1 and comp.loc[comp["status"] == "regional", "actual"].isna().all()
    summary = target_summary(comp.reset_index()).iloc[0]
    assert summary["provinces"] >= 7 and summary["met"] + summary["not_met"] == summary["graded"]
    matrix = target_matrix(cchc.load_targets())
    assert len(matrix) >= 20 and {"Quảng Nam", "Bình Định", "Sóc Trăng"} <= set(matrix["province"])
    assert ambition.INDICES == ("par", "sipas", "papi", "pci", "dti")
