"""Tests for cchc_analysis.gaps: target semantics, gaps, progress measure."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats

import cchc_analysis.config as config
from cchc_analysis.gaps import GAP_COLUMNS, STATUSES, assess_targets, progress_category, progress_ratio

try:
    from synthetic import (
        synthetic_breaks,
        synthetic_indicators,
        synthetic_no_breaks,
        synthetic_panel,
        synthetic_targets,
    )
except ImportError:  # tests/ collected as a package
    from tests.synthetic import (
        synthetic_breaks,
        synthetic_indicators,
        synthetic_no_breaks,
        synthetic_panel,
        synthetic_targets,
    )

NO_BREAKS = synthetic_no_breaks()


def _quang_nam_like():
    """Partial press tables like the real 2023 ones (values for Quảng Nam are invented
    to equal the published figures the acceptance test checks on the bundled data)."""
    par = synthetic_indicators({"49": [84.6], "22": [92.0]}, index="par", years=[2023], unit="percent", ranks={"49": [56], "22": [1]})
    sipas = synthetic_indicators({"49": [78.44], "22": [87.6]}, index="sipas", years=[2023], unit="percent", ranks={"49": [59], "22": [1]})
    return pd.concat([par, sipas], ignore_index=True)


def _one(targets, indicators, **kw):
    kw.setdefault("breaks", NO_BREAKS)
    out = assess_targets(targets, indicators, **kw)
    assert list(out.columns)[: len(GAP_COLUMNS)] == list(GAP_COLUMNS)
    assert set(out["status"].dropna()) <= set(STATUSES)
    return out


# --------------------------------------------------------------------------------------
# deadline observed: met / not met
# --------------------------------------------------------------------------------------


def test_rank_top_n_and_percent_gaps():
    targets = synthetic_targets(
        [
            {"metric_index": "par", "metric_field": "rank", "comparator": "top", "value": 20, "unit": "rank"},
            {"metric_index": "sipas", "metric_field": "rank", "comparator": "top", "value": 20, "unit": "rank"},
            {"metric_index": "sipas", "metric_field": "value", "comparator": ">=", "value": 90, "unit": "%"},
        ]
    )
    out = _one(targets, _quang_nam_like())
    par, sip_rank, sat = out.to_dict("records")
    assert (par["actual"], par["actual_year"], par["status"], par["gap"]) == (56, 2023, "not met", -36)
    assert par["actual_is_latest"] is False or par["actual_is_latest"] == False  # noqa: E712
    assert (sip_rank["actual"], sip_rank["status"], sip_rank["gap"]) == (59, "not met", -39)
    assert sat["actual"] == pytest.approx(78.44)
    assert sat["gap"] == pytest.approx(-11.56)  # hand: 78.44 - 90, percentage points
    assert sat["status"] == "not met"
    assert sat["source_id"] == "synthetic:test"


def test_strict_and_non_strict_comparators_and_lower_is_better():
    data = synthetic_indicators({"49": [90.0]}, index="sipas", years=[2023], unit="percent")
    targets = synthetic_targets(
        [
            {"metric_index": "sipas", "comparator": ">=", "value": 90, "unit": "%"},
            {"metric_index": "sipas", "comparator": ">", "value": 90, "unit": "%"},
            {"metric_index": "sipas", "comparator": "<=", "value": 85, "unit": "%"},
            {"metric_index": "sipas", "comparator": "<", "value": 95, "unit": "%"},
            {"metric_index": "sipas", "comparator": "=", "value": 90, "unit": "%"},
        ]
    )
    out = _one(targets, data)
    assert out["status"].tolist() == ["met", "not met", "not met", "met", "met"]
    # hand: >=, >, = -> actual - target; <=, < -> target - actual
    assert out["gap"].tolist() == pytest.approx([0.0, 0.0, -5.0, 5.0, 0.0])


def test_tied_rank_is_in_the_top_n():
    data = synthetic_indicators({"49": [70.0], "48": [70.0]}, index="pci", years=[2023], ranks={"49": [20], "48": [20]})
    out = _one(synthetic_targets([{"metric_index": "pci", "metric_field": "rank", "comparator": "top", "value": 20, "unit": "rank"}]), data)
    assert out.loc[0, "status"] == "met" and out.loc[0, "gap"] == 0


def test_hundred_percent_target_met_within_one_point():
    rows = [{"metric_index": "sipas", "comparator": ">=", "value": 100, "unit": "%", "province_code": c} for c in ("49", "48")]
    data = synthetic_indicators({"49": [99.2], "48": [98.9]}, index="sipas", years=[2023], unit="percent")
    out = _one(synthetic_targets(rows), data)
    assert out["status"].tolist() == ["met", "not met"]
    assert out["gap"].tolist() == pytest.approx([-0.8, -1.1])
    assert "within 1 point" in out.loc[0, "note"]
    strict = _one(synthetic_targets(rows), data, full_target_tolerance=0.5)
    assert strict["status"].tolist() == ["not met", "not met"]


def test_index_on_a_0_1_scale_against_a_percent_target():
    data = synthetic_indicators({"49": [0.6641]}, index="dti", years=[2023], unit="index_0_1")
    out = _one(synthetic_targets([{"metric_index": "dti", "comparator": ">=", "value": 70, "unit": "%"}]), data)
    assert out.loc[0, "actual"] == pytest.approx(66.41)
    assert out.loc[0, "gap"] == pytest.approx(-3.59)


def test_rank_change_target():
    data = synthetic_indicators({"49": [60.0, 62.0]}, index="pci", years=[2022, 2023], ranks={"49": [25, 19]})
    out = _one(synthetic_targets([{"metric_index": "pci", "metric_field": "rank_change", "comparator": ">=", "value": 5, "unit": "places"}]), data)
    assert (out.loc[0, "actual"], out.loc[0, "gap"], out.loc[0, "status"]) == (6, 1, "met")
    assert "2022->2023" in out.loc[0, "note"]


def test_value_change_target():
    data = synthetic_indicators({"49": [80.91, 84.6]}, index="par", years=[2022, 2023], unit="percent")
    t = synthetic_targets([{"metric_index": "par", "metric_field": "value_change", "comparator": ">=", "value": 3, "unit": "score"}])
    r = _one(t, data).loc[0]
    assert r["actual"] == pytest.approx(3.69)  # hand: 84.6 - 80.91
    assert r["gap"] == pytest.approx(0.69) and r["status"] == "met"
    # the previous figure must be on the same side of a break
    later = synthetic_indicators({"49": [35.0, 40.0]}, years=[2017, 2018])
    t2 = synthetic_targets([{"metric_field": "value_change", "value": 1, "deadline": 2018}])
    assert _one(t2, later, breaks=synthetic_breaks()).loc[0, "status"] == "no data"
    assert _one(t2, later).loc[0, "actual"] == pytest.approx(5.0)


# --------------------------------------------------------------------------------------
# ranks computed from scores (PAPI)
# --------------------------------------------------------------------------------------


def test_papi_rank_is_computed_from_the_year_scores():
    data = synthetic_panel(index="papi", years=[2022, 2023], ranks=None, excluded={2023: ["22", "74"]}, seed=7)
    targets = synthetic_targets(
        [
            {"metric_index": "papi", "metric_field": "rank", "comparator": "top", "value": 20, "unit": "rank"},
            {"metric_index": "papi", "metric_field": "rank", "comparator": "top", "value": 20, "unit": "rank", "province_code": "22", "province": "Quảng Ninh"},
        ]
    )
    out = _one(targets, data)
    y = data[(data["year"] == 2023) & data["value"].notna()]
    # reference: scipy.stats.rankdata(-scores, method="min"), excluded provinces not ranked
    ref = dict(zip(y["province_code"], stats.rankdata(-y["value"], method="min").astype(int)))
    qn = out.loc[0]
    assert qn["actual"] == ref["49"] and qn["actual_year"] == 2023
    assert qn["status"] == ("met" if ref["49"] <= 20 else "not met")
    assert qn["gap"] == 20 - ref["49"]
    assert "computed from the 2023 scores of 61 provinces" in qn["note"]
    # Quảng Ninh was excluded in 2023: its 2022 rank is used and flagged
    qnh = out.loc[1]
    assert qnh["actual_year"] == 2022 and bool(qnh["actual_is_latest"]) is True
    assert "the 2022 figure is used (at most 1 year older, same method)" in qnh["note"]


def test_partial_scores_without_ranks_are_not_ranked():
    out = _one(
        synthetic_targets([{"metric_index": "papi", "metric_field": "rank", "comparator": "top", "value": 20, "unit": "rank", "deadline": 2020}]),
        synthetic_indicators(ranks=None),
    )
    assert out.loc[0, "status"] == "no data"
    assert "too few scores" in out.loc[0, "note"]


# --------------------------------------------------------------------------------------
# no data, not measurable, as_of, baselines
# --------------------------------------------------------------------------------------


def test_unmeasurable_and_missing_targets_are_kept():
    targets = synthetic_targets(
        [
            {"metric_index": "", "metric_component": "", "metric_field": "", "unit": "%", "mapping_note": "no index covers online payments"},
            {"metric_index": None, "metric_field": None},
            {"metric_index": "papi", "province_code": "17", "province": "Hòa Bình"},
            {"metric_index": "pci"},
            {"kind": "baseline", "metric_index": "papi"},
        ]
    )
    out = _one(targets, synthetic_indicators())
    assert out["target_id"].tolist() == ["T1", "T2", "T3", "T4"]  # baseline excluded, nothing else dropped
    assert out["status"].tolist() == ["not measurable", "not measurable", "no data", "no data"]
    assert "online payments" in out.loc[0, "note"]
    with_base = _one(targets, synthetic_indicators(), include_baselines=True)
    assert with_base["kind"].tolist() == ["target"] * 4 + ["baseline"]
    assert pd.isna(with_base.loc[4, "status"])


def test_latest_earlier_figure_is_used_and_flagged():
    data = pd.concat(
        [
            synthetic_indicators({"49": [80.0]}, index="par", years=[2022], ranks={"49": [40]}),
            synthetic_indicators({"22": [90.0]}, index="par", years=[2023], ranks={"22": [1]}),
        ]
    )
    out = _one(synthetic_targets([{"metric_index": "par", "metric_field": "rank", "comparator": "top", "value": 20, "unit": "rank"}]), data)
    r = out.loc[0]
    assert (r["actual"], r["actual_year"], bool(r["actual_is_latest"]), r["status"]) == (40, 2022, True, "not met")
    assert "no 2023 figure for this province; the 2022 figure is used" in r["note"]


def test_years_after_as_of_are_never_used():
    data = synthetic_indicators({"49": [80.0, 95.0]}, index="par", years=[2022, 2023], ranks={"49": [40, 10]})
    t = synthetic_targets([{"metric_index": "par", "metric_field": "rank", "comparator": "top", "value": 20, "unit": "rank"}])
    out = _one(t, data, as_of=2022)
    r = out.loc[0]
    assert (r["actual"], r["actual_year"]) == (40, 2022)
    assert r["status"] == "no data"  # one figure: progress towards a future deadline cannot be measured
    assert _one(t, data).loc[0, "status"] == "met"


# --------------------------------------------------------------------------------------
# future deadlines: Open SDG progress measure
# --------------------------------------------------------------------------------------


def test_future_value_target_progress_ratio_and_projection():
    data = synthetic_indicators({"49": [40.0, 42.0, 44.0], "48": [40.0, 40.5, 41.0]}, years=[2020, 2021, 2022])
    targets = synthetic_targets(
        [
            {"value": 50, "deadline": 2025, "plan_period": "2021-2025"},
            {"value": 50, "deadline": 2025, "plan_period": "2021-2025", "province_code": "48", "province": "Đà Nẵng"},
        ]
    )
    out = _one(targets, data, as_of=2022)
    on, off = out.to_dict("records")
    # hand (Open SDG methodology 2): baseline 2020 = 40, current 2022 = 44, target 50 in 2025
    observed = (44 / 40) ** (1 / 2) - 1
    required = (50 / 40) ** (1 / 5) - 1
    assert (on["baseline_year"], on["baseline_value"]) == (2020, 40.0)
    assert on["progress_ratio"] == pytest.approx(observed / abs(required))
    assert on["status"] == "on track" and on["progress_category"] == "substantial progress"
    assert on["projected_year"] == 2022 + math.ceil(math.log(50 / 44) / math.log(1 + observed))
    assert on["gap"] == pytest.approx(-6.0) and bool(on["actual_is_latest"]) is True
    observed_dn = (41 / 40) ** (1 / 2) - 1
    assert off["progress_ratio"] == pytest.approx(observed_dn / abs(required))
    assert off["status"] == "off track" and off["progress_category"] == "limited progress"
    # default as_of: the index has no 2025 data, so the deadline is still ahead
    assert _one(targets, data).loc[0, "status"] == "on track"


def test_future_rank_target_uses_the_at_most_direction():
    data = synthetic_indicators({"49": [60.0, 70.0]}, index="pci", years=[2020, 2022], ranks={"49": [40, 30]})
    t = synthetic_targets([{"metric_index": "pci", "metric_field": "rank", "comparator": "top", "value": 20, "unit": "rank", "deadline": 2025, "plan_period": "2021-2025"}])
    r = _one(t, data).loc[0]
    # hand, linear (places per year): observed (30 - 40) / 2 = -5; required (20 - 40) / 5 = -4;
    # ratio = -1 * -5 / |-4| = 1.25; projected 2022 + (20 - 30) / -5 = 2024
    assert r["progress_ratio"] == pytest.approx(1.25)
    assert r["status"] == "on track"
    assert r["projected_year"] == 2024
    assert r["gap"] == -10


def test_future_target_already_met_is_on_track():
    data = synthetic_indicators({"49": [52.0, 55.0]}, years=[2021, 2022])
    r = _one(synthetic_targets([{"value": 50, "deadline": 2025, "plan_period": "2021-2025"}]), data).loc[0]
    assert r["status"] == "on track" and r["progress_category"] == "target achieved"
    assert r["projected_year"] == 2022


def test_baseline_stays_on_the_same_side_of_a_break():
    data = synthetic_indicators({"49": [30.0, 40.0, 41.0, 42.0]}, years=[2016, 2018, 2019, 2020])
    t = synthetic_targets([{"value": 50, "deadline": 2025, "plan_period": "2017-2025"}])
    r = _one(t, data, breaks=synthetic_breaks()).loc[0]
    assert r["baseline_year"] == 2018  # not 2016: PAPI 2018 is a new series
    assert "no figure before the plan period" in r["note"]
    r0 = _one(t, data).loc[0]
    assert r0["baseline_year"] == 2016


def test_progress_ratio_and_category_helpers():
    # hand: ((60/50)**(1/2) - 1) / ((80/50)**(1/5) - 1)
    ref = ((60 / 50) ** 0.5 - 1) / ((80 / 50) ** 0.2 - 1)
    assert progress_ratio(base_value=50, base_year=2020, current_value=60, current_year=2022, target_value=80, target_year=2025) == pytest.approx(ref)
    # linear when a value is not positive
    lin = progress_ratio(base_value=0, base_year=2020, current_value=2, current_year=2022, target_value=5, target_year=2025)
    assert lin == pytest.approx((2 / 2) / (5 / 5))
    # baseline already beyond the target: Open SDG's |required| keeps the sign (item 1 of issue 17)
    beyond = progress_ratio(base_value=90, base_year=2020, current_value=95, current_year=2022, target_value=80, target_year=2025)
    assert beyond == pytest.approx(((95 / 90) ** 0.5 - 1) / abs((80 / 90) ** 0.2 - 1))
    with pytest.raises(ValueError, match="`measure` must be one of"):
        progress_ratio(base_value=1, base_year=2020, current_value=2, current_year=2021, target_value=3, target_year=2022, measure="log")
    assert progress_category(1.2) == "substantial progress"
    assert progress_category(0.95) == "substantial progress"
    assert progress_category(0.6) == "moderate progress"
    assert progress_category(0.0) == "limited progress"
    assert progress_category(-0.01) == "deterioration"
    assert progress_category(float("nan")) is None
    assert progress_category(0.1, achieved=True) == "target achieved"


def test_assess_targets_validates_inputs():
    data = synthetic_indicators()
    with pytest.raises(ValueError, match="comparator"):
        assess_targets(synthetic_targets([{"comparator": "~"}]), data, breaks=NO_BREAKS)
    with pytest.raises(ValueError, match="`targets` lacks"):
        assess_targets(synthetic_targets([{}]).drop(columns="deadline"), data, breaks=NO_BREAKS)
    with pytest.raises(ValueError, match="`indicators` lacks"):
        assess_targets(synthetic_targets([{}]), data.drop(columns="value"), breaks=NO_BREAKS)
    with pytest.raises(TypeError, match="as_of"):
        assess_targets(synthetic_targets([{}]), data, as_of="soon", breaks=NO_BREAKS)


# --------------------------------------------------------------------------------------
# bundled data (acceptance): Quảng Nam's 2023 PAR plan, Decision 3532/QĐ-UBND
# --------------------------------------------------------------------------------------

_MISSING = [str(config.DATA_DIR / d) for d in ("indicators", "targets") if not (config.DATA_DIR / d).exists()]
bundled = pytest.mark.skipif(
    bool(_MISSING),
    reason=f"bundled data not built yet: {', '.join(_MISSING)} absent (load_indicators / load_targets need it)",
)


@pytest.fixture(scope="module")
def quang_nam():
    import cchc_analysis

    targets = cchc_analysis.load_targets()
    indicators = cchc_analysis.load_indicators()
    out = assess_targets(targets, indicators)
    mask = (out["province_code"].astype(str) == "49") & (out["deadline"] == 2023).fillna(False)
    qn = out[mask.to_numpy(bool)]
    return targets, indicators, out, qn


def _pick(qn, index, field, value):
    mask = (qn["metric_index"] == index).fillna(False) & (qn["metric_field"] == field).fillna(False) & (qn["target_value"] == value)
    hit = qn[mask.to_numpy(bool)]
    assert len(hit) >= 1, f"no Quảng Nam 2023 target on {index} {field} = {value} in load_targets()"
    return hit.iloc[0]


@bundled
def test_bundled_every_target_has_a_row(quang_nam):
    targets, _, out, _ = quang_nam
    assert len(out) == int((targets["kind"] == "target").sum())
    assert set(out["status"]) <= set(STATUSES)
    unmapped = out[out["metric_index"].isna().to_numpy(bool)]
    assert (unmapped["status"] == "not measurable").all()


@bundled
def test_bundled_quang_nam_par_top_20(quang_nam):
    r = _pick(quang_nam[3], "par", "rank", 20)
    assert (r["actual"], r["actual_year"], r["status"], r["gap"]) == (56, 2023, "not met", -36)


@bundled
def test_bundled_quang_nam_sipas_top_20(quang_nam):
    r = _pick(quang_nam[3], "sipas", "rank", 20)
    assert (r["actual"], r["status"], r["gap"]) == (59, "not met", -39)


@bundled
def test_bundled_quang_nam_satisfaction_90_percent(quang_nam):
    r = _pick(quang_nam[3], "sipas", "value", 90)
    assert r["actual"] == pytest.approx(78.44)
    assert r["gap"] == pytest.approx(-11.56)
    assert r["status"] == "not met"


@bundled
def test_bundled_quang_nam_dti_top_20_from_the_2023_table(quang_nam):
    _, ind, _, qn = quang_nam
    r = _pick(qn, "dti", "rank", 20)
    row = ind[(ind["index"] == "dti") & (ind["year"] == 2023) & (ind["province_code"] == "49") & (ind["component"] == "overall") & (ind["boundaries"] == "legacy")]
    assert r["actual_year"] == 2023 and r["actual"] == int(row["rank"].iloc[0]) == 41
    assert r["status"] == "not met" and r["gap"] == 20 - 41


@bundled
def test_bundled_quang_nam_papi_top_20_rank_from_2023_scores(quang_nam):
    _, ind, _, qn = quang_nam
    r = _pick(qn, "papi", "rank", 20)
    y = ind[(ind["index"] == "papi") & (ind["year"] == 2023) & (ind["component"] == "overall") & ind["value"].notna()]
    # reference: scipy.stats.rankdata(-scores, method="min") over the provinces with a 2023 score
    ref = dict(zip(y["province_code"], stats.rankdata(-y["value"], method="min").astype(int)))
    assert r["actual_year"] == 2023 and r["actual"] == ref["49"]
    assert r["status"] == ("met" if ref["49"] <= 20 else "not met")
    assert "computed" in r["note"]


# --------------------------------------------------------------------------------------
# issue 17: honest grading (items 1-5)
# --------------------------------------------------------------------------------------


def _pci_top6(extra_years=None, extra_ranks=None, *, with_plan_baseline=True):
    """Quảng Nam-like synthetic PCI ranks: 6 in 2019 (target met), 13 in 2020, 19 in 2021;
    a plan (2023) aiming at the top 6 that quotes its 2021 rank (19) as a baseline.
    ``extra_years``/``extra_ranks`` add Quảng Nam figures (e.g. a 2023 rank)."""
    years = [2019, 2020, 2021] + list(extra_years or [])
    ranks = [6, 13, 19] + list(extra_ranks or [])
    qn = synthetic_indicators({"49": [60.0] * len(years)}, index="pci", years=years, ranks={"49": ranks})
    # other provinces in 2022-2024 so that the index itself has figures after the deadline
    others = synthetic_indicators({"01": [70.0, 71.0, 72.0]}, index="pci", years=[2022, 2023, 2024], ranks={"01": [1, 1, 1]})
    rows = [{"target_id": "QN-PCI", "document_id": "plan-3532", "metric_index": "pci", "metric_field": "rank",
             "comparator": "top", "value": 6, "unit": "rank", "deadline": 2023, "plan_period": "2023"}]
    if with_plan_baseline:
        rows.append({"target_id": "QN-PCI-base", "document_id": "plan-3532", "kind": "baseline", "metric_index": "pci",
                     "metric_field": "rank", "comparator": "=", "value": 19, "unit": "rank", "deadline": 2021,
                     "plan_period": "2023"})
    return synthetic_targets(rows), pd.concat([qn, others], ignore_index=True)


def test_item1_plan_baseline_is_used_and_a_fall_is_off_track_not_no_data():
    targets, data = _pci_top6()
    # as of 2022 the 2023 deadline is ahead: the 2021 figure (19) is the latest; the plan's
    # own baseline is that same figure, so progress is measured from the data's 2020 rank
    r = _one(targets, data, as_of=2022).loc[0]
    assert (r["actual"], r["actual_year"]) == (19, 2021)
    assert (r["baseline_value"], r["baseline_year"], r["baseline_source"]) == (13, 2020, "data")
    # hand (linear, places per year): observed (19 - 13) / 1 = +6; required (6 - 13) / 3;
    # ratio = -1 * 6 / |-7/3| = -18/7
    assert r["progress_ratio"] == pytest.approx(-18 / 7)
    assert (r["status"], r["progress_category"], r["progress_measure"]) == ("off track", "deterioration", "linear")
    assert "baseline already meets" not in (r["note"] or "")
    assert "plan's quoted baseline (2021: 19) is the figure graded" in r["note"]


def test_item1_met_before_fallen_since_is_off_track_deterioration():
    # no plan baseline; the data baseline (2019, rank 6) meets "top 6"; 2021: rank 19
    data = synthetic_indicators({"49": [60.0, 60.0]}, index="pci", years=[2019, 2021], ranks={"49": [6, 19]})
    t = synthetic_targets([{"metric_index": "pci", "metric_field": "rank", "comparator": "top", "value": 6, "unit": "rank",
                            "deadline": 2023, "plan_period": "2023"}])
    r = _one(t, data).loc[0]
    assert (r["baseline_value"], r["baseline_year"]) == (6, 2019)
    # Open SDG divides by |CAGR_required|; the baseline sits on the target, so nothing was
    # required and any move away is deterioration (the ratio's limit is -inf)
    assert r["progress_ratio"] == -math.inf
    assert (r["status"], r["progress_category"]) == ("off track", "deterioration")
    assert "met the target in 2019 (6), short of it in 2021 (19)" in r["note"]
    assert "baseline already meets" not in r["note"]


def test_item1_plan_baseline_drives_progress_when_a_later_figure_exists():
    targets, data = _pci_top6([2023], [15])
    r = _one(targets, data).loc[0]
    assert (r["actual"], r["actual_year"], r["status"]) == (15, 2023, "not met")
    assert (r["baseline_value"], r["baseline_year"], r["baseline_source"]) == (19, 2021, "plan")
    # hand: observed (15 - 19) / 2 = -2 places a year; required (6 - 19) / 2 = -6.5; ratio = 2 / 6.5
    assert r["progress_ratio"] == pytest.approx(2 / 6.5)


def test_item1_strict_comparator_and_full_rule_in_the_already_met_test():
    # 85 does not satisfy "> 85": no "met the target" claim; 85.5 does
    for base, claim in ((85.0, False), (85.5, True)):
        data = synthetic_indicators({"49": [base, 84.0]}, index="sipas", years=[2020, 2021], unit="percent")
        t = synthetic_targets([{"metric_index": "sipas", "comparator": ">", "value": 85, "unit": "%", "deadline": 2025,
                                "plan_period": "2021-2025"}])
        r = _one(t, data).loc[0]
        assert ("met the target in 2020" in (r["note"] or "")) is claim
        assert (r["status"], r["progress_category"]) == ("off track", "deterioration")
    # the 100 % rule: 99.2 meets ">= 100" within the tolerance, so it was met in 2020
    data = synthetic_indicators({"49": [99.2, 97.0]}, index="sipas", years=[2020, 2021], unit="percent")
    t = synthetic_targets([{"metric_index": "sipas", "comparator": ">=", "value": 100, "unit": "%", "deadline": 2025,
                            "plan_period": "2021-2025"}])
    assert "met the target in 2020" in _one(t, data).loc[0, "note"]


def test_item1_progress_ratio_keeps_the_open_sdg_absolute_value():
    # hand: baseline 90 already beyond an "at least 80" target; observed CAGR (95/90)^(1/2) - 1 > 0,
    # required (80/90)^(1/5) - 1 < 0; ratio = +1 * observed / |required| (no NaN guard)
    obs = (95 / 90) ** 0.5 - 1
    req = (80 / 90) ** 0.2 - 1
    got = progress_ratio(base_value=90, base_year=2020, current_value=95, current_year=2022, target_value=80, target_year=2025)
    assert got == pytest.approx(obs / abs(req))
    # baseline on the target: nothing required; moving away -> -inf, towards -> +inf
    assert progress_ratio(base_value=6, base_year=2019, current_value=19, current_year=2021, target_value=6, target_year=2023,
                          higher_is_better=False, measure="linear") == -math.inf


def test_item2_a_much_older_figure_gives_no_firm_verdict():
    targets, data = _pci_top6()  # the index has 2022-2024 figures, Quảng Nam's latest is 2021
    r = _one(targets, data).loc[0]
    assert r["status"] == "no data"
    assert (r["actual"], r["actual_year"]) == (19, 2021)  # shown, with its year, but not graded
    assert "no PCI rank for Quảng Nam in 2023 or 2022" in r["note"]
    assert "latest (2021) is 2 years older than the deadline" in r["note"]
    assert "baseline already meets" not in r["note"]


def test_item2_one_year_older_same_method_is_graded_and_flagged():
    targets, data = _pci_top6([2022], [9])
    r = _one(targets, data).loc[0]
    assert (r["actual"], r["actual_year"], bool(r["actual_is_latest"]), r["status"]) == (9, 2022, True, "not met")
    assert "no 2023 figure for this province; the 2022 figure is used (at most 1 year older, same method)" in r["note"]
    # max_figure_age=0: only the deadline year counts
    assert _one(targets, data, max_figure_age=0).loc[0, "status"] == "no data"


def test_item2_never_across_a_comparability_break():
    # a 2022 method break: the 2021 PAR rank must not decide a 2023 target, nor a 2022 one
    # decide a 2023 target across a 2023 break
    data = pd.concat([
        synthetic_indicators({"49": [80.0]}, index="par", years=[2021], ranks={"49": [12]}),
        synthetic_indicators({"22": [90.0]}, index="par", years=[2023], ranks={"22": [1]}),
    ])
    brk = synthetic_breaks([{"index": "par", "component": "*", "year": 2022, "kind": "method", "description": "synthetic"}])
    t = synthetic_targets([{"metric_index": "par", "metric_field": "rank", "comparator": "top", "value": 20, "unit": "rank",
                            "deadline": 2022}])
    r = _one(t, data, breaks=brk).loc[0]
    assert r["status"] == "no data"
    assert "comparability break in 2022" in r["note"]
    # without the break the 2021 figure is one year older and graded
    assert _one(t, data).loc[0, "status"] == "met"


def test_item3_rank_progress_is_linear_places_per_year():
    # 40 -> 30 (2020 -> 2022), "top 20 by 2024": linear 5 places a year is exactly the pace
    # required (20 places in 4 years): ratio 1, on track, reached in 2024.  Compound growth
    # on ranks would say ((30/40)^(1/2) - 1) / |(20/40)^(1/4) - 1| = 0.842: off track, 2025.
    data = synthetic_indicators({"49": [60.0, 70.0]}, index="pci", years=[2020, 2022], ranks={"49": [40, 30]})
    t = synthetic_targets([{"metric_index": "pci", "metric_field": "rank", "comparator": "top", "value": 20, "unit": "rank",
                            "deadline": 2024, "plan_period": "2021-2024"}])
    r = _one(t, data).loc[0]
    assert r["progress_measure"] == "linear"
    assert r["progress_ratio"] == pytest.approx(1.0)
    assert (r["status"], r["projected_year"]) == ("on track", 2024)


def test_item4_percent_change_on_a_0_1_index_is_in_points():
    # DTI 0.58 -> 0.66 against "increase by at least 5 %": 8 percentage points, met
    data = synthetic_indicators({"49": [0.58, 0.66]}, index="dti", years=[2022, 2023], unit="index_0_1")
    t = synthetic_targets([{"metric_index": "dti", "metric_field": "value_change", "comparator": ">=", "value": 5, "unit": "%"}])
    r = _one(t, data).loc[0]
    assert r["actual"] == pytest.approx(8.0) and r["gap"] == pytest.approx(3.0)
    assert r["status"] == "met" and r["gap_unit"] == "percentage points"
    assert "x100" in r["note"]


def test_item5_a_yearly_change_target_uses_one_year_only():
    # ranks 30 (2019) and 25 (2021), nothing in 2020: 5 places over two years is not a
    # yearly gain of 3 places
    data = synthetic_indicators({"49": [60.0, 62.0]}, index="pci", years=[2019, 2021], ranks={"49": [30, 25]})
    t = synthetic_targets([{"metric_index": "pci", "metric_field": "rank_change", "comparator": ">=", "value": 3,
                            "unit": "places", "deadline": 2021}])
    r = _one(t, data).loc[0]
    assert r["status"] == "no data" and math.isnan(r["actual"])
    assert "no 2020 figure" in r["note"]


def test_item5_category_and_status_never_contradict():
    # hand: ((60/50)^(1/2) - 1) / ((80/50)^(1/5) - 1) = 0.9684: Open SDG "on track" (>= 0.95)
    data = synthetic_indicators({"49": [50.0, 60.0]}, years=[2020, 2022])
    t = synthetic_targets([{"value": 80, "deadline": 2025, "plan_period": "2021-2025"}])
    r = _one(t, data).loc[0]
    assert r["progress_ratio"] == pytest.approx(0.9684, abs=1e-4)
    assert (r["status"], r["progress_category"]) == ("on track", "substantial progress")
    strict = _one(t, data, on_track_ratio=1.0).loc[0]
    assert (strict["status"], strict["progress_category"]) == ("off track", "moderate progress")
    for ratio in (-0.5, 0.0, 0.5, 0.9, 0.95, 0.968, 1.0, 2.0):
        for thr in (0.95, 1.0):
            cat = progress_category(ratio, on_track=thr)
            assert (cat == "substantial progress") == (ratio >= thr)


def test_item5_projected_year_honours_strict_comparators_and_the_100_rule():
    # ranks, linear: 30 (2021) -> 26 (2022), 4 places a year.  "<= 18" (top 18) is reached in 2024
    # (26 - 2*4 = 18); "< 18" needs rank 17 or better: 2025 (rank 14)
    data = synthetic_indicators({"49": [60.0, 61.0]}, index="pci", years=[2021, 2022], ranks={"49": [30, 26]})
    for comparator, year in (("<=", 2024), ("<", 2025), ("top", 2024)):
        t = synthetic_targets([{"metric_index": "pci", "metric_field": "rank", "comparator": comparator, "value": 18,
                                "unit": "rank", "deadline": 2030, "plan_period": "2022-2030"}])
        r = _one(t, data).loc[0]
        assert (comparator, r["progress_measure"], r["projected_year"]) == (comparator, "linear", year)
    # 100 % with the 1-point rule: 97 -> 98 a year reaches 99 (met within 1 point) in 2024, not 2025
    d100 = synthetic_indicators({"49": [97.0, 98.0]}, index="sipas", years=[2022, 2023], unit="percent")
    t100 = synthetic_targets([{"metric_index": "sipas", "value": 100, "unit": "%", "deadline": 2030, "plan_period": "2023-2030"}])
    assert _one(t100, d100).loc[0, "projected_year"] == 2024


def test_item5_tolerance_is_our_documented_rule():
    import cchc_analysis.gaps as G

    assert "project rule" in G.__doc__ and "UN SDG Progress Chart" not in G.__doc__


@bundled
def test_bundled_quang_nam_pci_top_6_is_never_baseline_already_meets(quang_nam):
    """Issue 17 item 1 on the real row (Decision 3532/QĐ-UBND, PCI in the top 6 by 2023)."""
    r = _pick(quang_nam[3], "pci", "rank", 6)
    note = r["note"] or ""
    assert "baseline already meets" not in note
    if r["actual_year"] == 2023 and pd.isna(r["actual"]):
        # no 2023 rank for Quảng Nam is printed, but the complete published 2023 top 10 lacks it
        assert r["status"] == "not met"
        assert "not among the complete top 10 published for 2023 (ranks 1-10 all listed)" in note
    elif r["actual_year"] == 2023:  # a printed Quảng Nam PCI 2023 rank
        assert r["status"] == ("met" if r["actual"] <= 6 else "not met")
    elif r["actual_year"] == 2022:
        assert r["status"] in ("met", "not met") and "at most 1 year older" in note
    else:  # today: the latest figure is the 2021 rank (19), two years before the deadline
        assert (r["actual"], r["actual_year"], r["status"]) == (19, 2021, "no data")
        assert "no PCI rank for Quảng Nam in 2023 or 2022" in note and "too old for a verdict" in note
    # as of 2022 the deadline is ahead and the fall from rank 13 (2020) to 19 (2021) is off track
    targets, indicators, _, _ = quang_nam
    early = assess_targets(targets, indicators, as_of=2022)
    e = early[early["target_id"] == r["target_id"]].iloc[0]
    assert (e["status"], e["progress_category"]) == ("off track", "deterioration")


@bundled
def test_bundled_par_plan_baseline_is_not_used_across_the_2022_break(quang_nam):
    r = _pick(quang_nam[3], "par", "rank", 20)
    assert "the plan's quoted baseline (2021) is before the 2022 comparability break: not used" in r["note"]


def test_item4_percent_target_on_points_uses_the_maximum_of_the_year():
    # hand: 45 of 60 points (2017) = 75 %, 64 of 80 points (2018) = 80 %; a PAPI-like range change
    comps = pd.DataFrame([{"index": "papi", "component": "overall", "unit": "score", "max": 80.0,
                           "ranges": "[{'years': [2011, 2017], 'min': 6.0, 'max': 60.0}, {'years': [2018, 2024], 'min': 8.0, 'max': 80.0}]"}])
    data = synthetic_indicators({"49": [45.0, 64.0]}, years=[2017, 2018])
    t = synthetic_targets([{"value": 78, "unit": "%", "deadline": d} for d in (2017, 2018)])
    out = _one(t, data, components=comps)
    assert out["actual"].tolist() == pytest.approx([75.0, 80.0])
    assert out["status"].tolist() == ["not met", "met"] and out["gap"].tolist() == pytest.approx([-3.0, 2.0])
    assert "points of 60/80 converted to % of the maximum" in out.loc[0, "note"]
    # a score target is never converted
    assert _one(synthetic_targets([{"value": 50, "unit": "score", "deadline": 2018}]), data, components=comps).loc[0, "actual"] == 64



# --------------------------------------------------------------------------------------
# a province missing from a complete published top K
# --------------------------------------------------------------------------------------


def _top_list(ranks: dict[str, int], *, year: int = 2023) -> pd.DataFrame:
    """A press-style partial PCI table: only the listed provinces, with published ranks."""
    return synthetic_indicators({c: [70.0 - r] for c, r in ranks.items()}, index="pci", years=[year],
                                ranks={c: [r] for c, r in ranks.items()})


_TEN = ["01", "22", "31", "48", "79", "74", "75", "26", "27", "92"]  # ten provinces other than Quảng Nam (49)


def _qn_target(value=6, comparator="top"):
    return synthetic_targets([{"target_id": "T", "metric_index": "pci", "metric_field": "rank", "comparator": comparator,
                               "value": value, "unit": "rank", "deadline": 2023, "plan_period": "2023"}])


def test_absent_from_a_complete_top_ten_misses_a_top_six_target():
    data = _top_list({c: i + 1 for i, c in enumerate(_TEN)})
    r = _one(_qn_target(6), data).loc[0]
    assert (r["status"], r["actual_year"]) == ("not met", 2023) and pd.isna(r["actual"])
    assert "complete top 10 published for 2023" in r["note"] and "did not rank 10 or better" in r["note"]
    # ties skip ranks (1, 2, 2, 4 ...): still complete
    tied = _top_list({c: r for c, r in zip(_TEN, [1, 2, 2, 4, 5, 6, 7, 8, 9, 10])})
    assert _one(_qn_target(6), tied).loc[0, "status"] == "not met"
    # "< 7" is rank 6 or better: the same bar
    assert _one(_qn_target(7, "<"), data).loc[0, "status"] == "not met"


def test_an_incomplete_or_too_short_top_list_gives_no_verdict():
    gap = _top_list({c: r for c, r in zip(_TEN, [1, 2, 4, 5, 6, 7, 8, 9, 10, 11])})  # rank 3 missing
    assert _one(_qn_target(6), gap).loc[0, "status"] == "no data"
    short = _top_list({c: i + 1 for i, c in enumerate(_TEN[:5])})  # a top 5 cannot decide a top-6 target
    assert _one(_qn_target(6), short).loc[0, "status"] == "no data"
    # a top-5 list does decide "top 5" (rank 5 or better)
    assert _one(_qn_target(5), short).loc[0, "status"] == "not met"


def test_a_province_missing_from_ranks_computed_from_scores_is_not_judged_by_absence():
    data = synthetic_panel(index="papi", years=[2023], ranks=None, excluded={2023: ["49"]}, seed=3)
    t = synthetic_targets([{"metric_index": "papi", "metric_field": "rank", "comparator": "top", "value": 20,
                            "unit": "rank", "deadline": 2023, "plan_period": "2023"}])
    assert _one(t, data).loc[0, "status"] == "no data"  # excluded from PAPI 2023, not ranked last
