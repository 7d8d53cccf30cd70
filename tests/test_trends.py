"""Tests for cchc_analysis.trends: known answers against scipy and by hand."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import cchc_analysis.config as config
from cchc_analysis.provinces import UnknownProvinceError
from cchc_analysis.trends import (
    TREND_COLUMNS,
    ComparabilityBreakError,
    series_trend,
    spanned_breaks,
    trend_table,
)

try:
    from synthetic import synthetic_breaks, synthetic_indicators, synthetic_no_breaks
except ImportError:  # tests/ collected as a package
    from tests.synthetic import synthetic_breaks, synthetic_indicators, synthetic_no_breaks

NO_BREAKS = synthetic_no_breaks()


# --------------------------------------------------------------------------------------
# one series: known answers
# --------------------------------------------------------------------------------------


def test_series_trend_matches_scipy():
    x = np.arange(2016, 2023)
    y = np.array([40.2, 41.0, 40.8, 42.3, 43.1, 42.9, 44.0])
    r = series_trend(pd.DataFrame({"year": x, "value": y}))
    # reference: scipy.stats.theilslopes(y, x, alpha=0.95)
    ts = stats.theilslopes(y, x, alpha=0.95)
    assert r.theil_slope == pytest.approx(ts.slope)
    assert r.theil_low == pytest.approx(ts.low_slope)
    assert r.theil_high == pytest.approx(ts.high_slope)
    # reference: scipy.stats.kendalltau(x, y, method="exact")
    kt = stats.kendalltau(x, y, method="exact")
    assert r.kendall_tau == pytest.approx(kt.statistic)
    assert r.kendall_p == pytest.approx(kt.pvalue)
    assert r.kendall_method == "exact"
    # hand: CAGR over 6 calendar years
    assert r.cagr == pytest.approx((44.0 / 40.2) ** (1 / 6) - 1)
    assert r.abs_change == pytest.approx(3.8)
    assert (r.n_years, r.first_year, r.last_year, r.basis) == (7, 2016, 2022, "value")
    assert r.direction == "improving"


def test_series_trend_hand_calculation_three_points():
    # pairwise slopes 1, 1.5, 2 -> median 1.5; tau = 1; exact two-sided p = 2/3! = 1/3
    r = series_trend(pd.Series([5.0, 6.0, 8.0], index=[2020, 2021, 2022]))
    assert r.theil_slope == pytest.approx(1.5)
    assert r.kendall_tau == pytest.approx(1.0)
    assert r.kendall_p == pytest.approx(1 / 3)
    assert r.cagr == pytest.approx(math.sqrt(8 / 5) - 1)
    # three years can never be significant at 0.05 -> "too few years", not "flat" (issue 17, item 9)
    assert r.direction == "too few years"
    assert math.isnan(r.theil_low) and math.isnan(r.theil_high)


def test_exact_p_is_two_over_n_factorial_for_a_monotone_series():
    # hand: P(tau = 1) = 1/n!, two-sided 2/n!; n = 5 -> 1/60 < 0.05, n = 4 -> 1/12 > 0.05
    five = series_trend(pd.Series([1.0, 2, 3, 4, 5], index=range(2019, 2024)))
    four = series_trend(pd.Series([1.0, 2, 3, 4], index=range(2019, 2023)))
    assert five.kendall_p == pytest.approx(2 / 120)
    assert four.kendall_p == pytest.approx(2 / 24)
    assert five.direction == "improving"
    assert four.direction == "too few years"


def test_direction_worsening_and_lower_is_better():
    s = pd.Series([50.0, 49.0, 47.5, 47.0, 45.0], index=range(2018, 2023))
    assert series_trend(s).direction == "worsening"
    assert series_trend(s, higher_is_better=False).direction == "improving"


def _enumerated_p(y):
    """Two-sided exact p of Kendall's S between (1..n) and y, by listing all n! orderings."""
    import itertools

    y = np.asarray(y, dtype=float)
    n = len(y)
    i, j = np.triu_indices(n, k=1)
    perms = y[np.array(list(itertools.permutations(range(n))))]
    s_all = np.sign(perms[:, j] - perms[:, i]).sum(axis=1)
    obs = abs(np.sign(y[j] - y[i]).sum())
    return float(np.mean(np.abs(s_all) >= obs))


def test_ties_use_the_exact_permutation_distribution():
    x = np.arange(2015, 2023)
    y = np.array([1.0, 2, 2, 3, 3, 3, 4, 5])
    r = series_trend(pd.DataFrame({"year": x, "value": y}))
    assert r.kendall_method == "exact (ties)"
    # tau-b as scipy computes it; p by listing all 8! orderings of y
    assert r.kendall_tau == pytest.approx(stats.kendalltau(x, y).statistic)
    assert r.kendall_p == pytest.approx(_enumerated_p(y))


def test_item8_tied_ranks_are_flat_with_the_exact_p():
    # ranks 30, 30, 25, 25, 20: of the 30 distinct orderings of {30, 30, 25, 25, 20}, only this one
    # and its reverse reach |S| = 8, so the exact two-sided p is 2/30 = 0.0667 -> flat at 0.05.
    # (scipy's asymptotic p without continuity correction is 0.037 and would say "improving".)
    d = pd.DataFrame({"year": range(2019, 2024), "value": [np.nan] * 5, "rank": pd.array([30, 30, 25, 25, 20], dtype="Int64")})
    r = series_trend(d)
    assert r.kendall_p == pytest.approx(2 / 30) == pytest.approx(_enumerated_p([30, 30, 25, 25, 20]))
    assert stats.kendalltau(range(5), [30, 30, 25, 25, 20], method="asymptotic").pvalue == pytest.approx(0.037, abs=5e-4)
    assert r.direction == "flat"


def test_exact_without_ties_equals_scipy_exact():
    rng = np.random.default_rng(3)
    for n in (5, 9, 14):
        y = rng.permutation(n).astype(float)
        r = series_trend(pd.Series(y, index=range(2000, 2000 + n)))
        # reference: scipy.stats.kendalltau(x, y, method="exact")
        assert r.kendall_p == pytest.approx(stats.kendalltau(range(n), y, method="exact").pvalue)
        assert r.kendall_method == "exact"


def test_item9_no_interval_or_direction_below_the_minimum():
    from cchc_analysis.trends import MIN_N_INFERENCE

    assert MIN_N_INFERENCE == 5
    # Quảng Nam's DTI rank 31 -> 41 -> 57 (2022-2024) is not "flat": too few years to say
    d = pd.DataFrame({"year": [2022, 2023, 2024], "value": [0.58, 0.66, 0.58], "rank": pd.array([31, 41, 57], dtype="Int64")})
    r = series_trend(d)
    assert r.direction == "too few years"
    for n in (2, 3, 4):
        t = series_trend(pd.Series(np.arange(n, dtype=float) ** 1.5, index=range(2020, 2020 + n)))
        assert math.isnan(t.theil_low) and math.isnan(t.theil_high) and not math.isnan(t.theil_slope)
        assert t.direction == "too few years"
    five = series_trend(pd.Series([1.0, 2.5, 2.0, 4.0, 5.0], index=range(2020, 2025)))
    ts = stats.theilslopes([1.0, 2.5, 2.0, 4.0, 5.0], range(2020, 2025), alpha=0.95)
    assert (five.theil_low, five.theil_high) == pytest.approx((ts.low_slope, ts.high_slope))


def test_rank_only_series_uses_ranks_lower_is_better():
    d = pd.DataFrame(
        {
            "year": range(2018, 2023),
            "value": [np.nan] * 5,
            "rank": pd.array([30, 25, 20, 18, 10], dtype="Int64"),
        }
    )
    r = series_trend(d)
    assert r.basis == "rank"
    # reference: scipy.stats.theilslopes([30, 25, 20, 18, 10], range(2018, 2023))
    assert r.theil_slope == pytest.approx(stats.theilslopes([30, 25, 20, 18, 10], list(range(2018, 2023))).slope)
    assert r.theil_slope < 0
    assert (r.first_rank, r.last_rank, r.rank_change) == (30, 10, 20)
    assert r.direction == "improving"
    assert math.isnan(r.cagr)


def test_constant_series_is_flat_and_short_series_have_no_direction():
    flat = series_trend(pd.Series([44.0] * 6, index=range(2015, 2021)))
    assert flat.direction == "flat" and flat.theil_slope == 0
    one = series_trend(pd.Series([44.0], index=[2020]))
    assert one.n_years == 1 and one.direction is None and math.isnan(one.theil_slope)


def test_series_trend_rejects_duplicate_years_and_bad_alpha():
    with pytest.raises(ValueError, match="more than one row for year"):
        series_trend(pd.DataFrame({"year": [2020, 2020], "value": [1.0, 2.0]}))
    with pytest.raises(ValueError, match="alpha"):
        series_trend(pd.Series([1.0, 2.0], index=[2020, 2021]), alpha=5)


# --------------------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------------------


def test_trend_table_columns_and_known_series():
    out = trend_table(synthetic_indicators(), breaks=NO_BREAKS)
    assert list(out.columns) == list(TREND_COLUMNS)
    assert len(out) == 5
    by = out.set_index("province_code")
    assert by.loc["01", "direction"] == "improving"
    assert by.loc["01", "theil_slope"] == pytest.approx(1.0)
    assert by.loc["01", "kendall_p"] == pytest.approx(2 / 720)  # exact, n = 6
    assert by.loc["48", "direction"] == "flat"
    assert by.loc["49", "direction"] == "worsening"
    assert by.loc["49", "province"] == "Quảng Nam"
    # Quảng Nam's synthetic rank among five: 4th in 2015 (45, 44, 43, 42, 40 -> 42 is 4th),
    # last (5th) in 2020
    assert (by.loc["49", "first_rank"], by.loc["49", "last_rank"], by.loc["49", "rank_change"]) == (4, 5, -1)
    assert by.loc["01", "abs_change"] == pytest.approx(5.0)
    assert (by["breaks_crossed"] == "").all()


def test_trend_table_filters_provinces_by_any_spelling():
    out = trend_table(synthetic_indicators(), provinces=["quang nam", "HCMC"], breaks=NO_BREAKS)
    assert sorted(out["province_code"]) == ["49", "79"]
    with pytest.raises(UnknownProvinceError, match="provinces"):
        trend_table(synthetic_indicators(), provinces=["Quang Nom Nam"], breaks=NO_BREAKS)


def test_trend_table_validates_arguments():
    data = synthetic_indicators()
    with pytest.raises(ValueError, match="province_code"):
        trend_table(data.drop(columns="province_code"), breaks=NO_BREAKS)
    with pytest.raises(ValueError, match="Available indices"):
        trend_table(data, index="pci", breaks=NO_BREAKS)
    with pytest.raises(ValueError, match="component=None"):
        trend_table(data, component="d9_nothing", breaks=NO_BREAKS)
    with pytest.raises(ValueError, match="Years present"):
        trend_table(data, years=[1999], breaks=NO_BREAKS)
    with pytest.raises(ValueError, match="across_breaks"):
        trend_table(data, across_breaks="yes", breaks=NO_BREAKS)
    with pytest.raises(ValueError, match="several rows"):
        trend_table(pd.concat([data, data.head(1)]), breaks=NO_BREAKS)
    with pytest.raises(TypeError, match="DataFrame"):
        trend_table(data.to_dict(), breaks=NO_BREAKS)
    with pytest.raises(TypeError, match="breaks"):
        trend_table(data, breaks=[2018])


# --------------------------------------------------------------------------------------
# comparability breaks
# --------------------------------------------------------------------------------------


def test_trend_across_a_break_is_refused_with_a_helpful_error():
    with pytest.raises(ComparabilityBreakError) as info:
        trend_table(synthetic_indicators(), index="papi", breaks=synthetic_breaks())
    err = info.value
    msg = str(err)
    assert (err.index, err.component, err.year, err.kind) == ("papi", "overall", 2018, "method")
    assert "PAPI" in msg and "'overall'" in msg and "2018" in msg
    assert "6 dimensions become 8" in msg
    assert "across_breaks=True" in msg
    assert "years=range(2015, 2018)" in msg and "years=range(2018, 2021)" in msg
    assert isinstance(err, ValueError)


def test_years_on_one_side_of_the_break_are_fine():
    out = trend_table(synthetic_indicators(), years=range(2018, 2021), breaks=synthetic_breaks())
    assert (out["first_year"] == 2018).all()
    out = trend_table(synthetic_indicators(), years=[2015, 2016, 2017], breaks=synthetic_breaks())
    assert (out["last_year"] == 2017).all()


def test_across_breaks_true_flags_the_break():
    out = trend_table(synthetic_indicators(), breaks=synthetic_breaks(), across_breaks=True)
    assert out["breaks_crossed"].str.startswith("2018 method").all()
    assert (out["n_years"] == 6).all()


def test_across_breaks_split_gives_one_trend_per_segment():
    out = trend_table(synthetic_indicators(), breaks=synthetic_breaks(), across_breaks="split")
    assert len(out) == 10
    qn = out[out["province_code"] == "01"].sort_values("first_year")
    assert qn["first_year"].tolist() == [2015, 2018]
    assert qn["last_year"].tolist() == [2017, 2020]
    assert qn["theil_slope"].tolist() == pytest.approx([1.0, 1.0])


def test_breaks_match_index_star_and_parent_components():
    data = pd.concat(
        [
            synthetic_indicators(index="papi", component="d1_participation.civic_knowledge"),
            synthetic_indicators(index="papi", component="d2_transparency"),
        ]
    )
    breaks = synthetic_breaks(
        [{"index": "papi", "component": "d1_participation", "year": 2018, "kind": "method", "description": "x"}]
    )
    with pytest.raises(ComparabilityBreakError, match="d1_participation.civic_knowledge"):
        trend_table(data, component=None, breaks=breaks)
    assert len(trend_table(data, component="d2_transparency", breaks=breaks)) == 5
    star = synthetic_breaks([{"index": "*", "component": "*", "year": 2019, "kind": "coverage", "description": "y"}])
    with pytest.raises(ComparabilityBreakError, match="2019"):
        trend_table(synthetic_indicators(index="dti"), breaks=star)


def test_boundaries_breaks_are_enforced_by_the_series_key():
    years = [2023, 2024, 2025]
    legacy = synthetic_indicators({"49": [1.0, 2.0, None]}, index="dti", years=years)
    new = synthetic_indicators({"48": [None, 2.5, 3.0]}, index="dti", years=years, boundaries="2025")
    data = pd.concat([legacy, new])
    out = trend_table(data, breaks=synthetic_breaks())
    assert sorted(out["boundaries"]) == ["2025", "legacy"]
    # without a boundaries column the merger break applies
    spanned = spanned_breaks(new.drop(columns="boundaries"), breaks=synthetic_breaks())
    assert spanned["break_year"].tolist() == [2025]
    assert spanned_breaks(data, breaks=synthetic_breaks()).empty


# --------------------------------------------------------------------------------------
# import cost
# --------------------------------------------------------------------------------------


def test_importing_the_analysis_modules_loads_no_heavy_library():
    code = (
        "import sys; import cchc_analysis; before = set(sys.modules); "
        "import cchc_analysis.trends, cchc_analysis.compare, cchc_analysis.gaps; "
        "new = set(sys.modules) - before; "
        "heavy = sorted(m for m in new if m.split('.')[0] in ('scipy', 'pandas', 'numpy', 'matplotlib')); "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(config.PROJ_ROOT))
    assert res.returncode == 0, res.stdout + res.stderr


# --------------------------------------------------------------------------------------
# bundled data (acceptance)
# --------------------------------------------------------------------------------------

bundled = pytest.mark.skipif(
    not (config.DATA_DIR / "indicators").exists(),
    reason=f"bundled indicators not built yet ({config.DATA_DIR / 'indicators'} is absent)",
)


@bundled
def test_bundled_papi_totals_refuse_a_trend_across_2017_2018():
    import cchc_analysis

    data = cchc_analysis.load_indicators("papi", years=[2017, 2018])
    with pytest.raises(ComparabilityBreakError) as info:
        trend_table(data, index="papi", component="overall", breaks=cchc_analysis.load_breaks())
    assert info.value.year == 2018
    assert str(info.value.index).lower() == "papi"
    assert "across_breaks=True" in str(info.value)
    # and the default (breaks=None) reads the same bundled breaks
    with pytest.raises(ComparabilityBreakError, match=r"PAPI component .overall.* span a comparability break in 2018"):
        trend_table(data, index="papi")


@bundled
def test_bundled_papi_trend_within_one_series_runs():
    import cchc_analysis

    data = cchc_analysis.load_indicators("papi", years=range(2018, 2022))
    out = trend_table(data, index="papi")
    assert len(out) >= 60
    # four yearly points: no test could reach 0.05, so no direction is claimed
    assert set(out["direction"].dropna()) == {"too few years"}
    longer = trend_table(cchc_analysis.load_indicators("papi", years=range(2018, 2025)), index="papi")
    enough = longer[longer["n_years"] >= 5]
    assert len(enough) >= 60 and set(enough["direction"]) <= {"improving", "flat", "worsening"}
    assert enough["theil_low"].notna().all()
    assert (longer.loc[longer["n_years"] < 5, "direction"] == "too few years").all()


def test_trend_table_without_boundaries_or_rank_columns():
    data = synthetic_indicators().drop(columns=["boundaries", "rank", "province"])
    out = trend_table(data, breaks=NO_BREAKS)
    assert len(out) == 5 and out["boundaries"].isna().all()
    assert out.set_index("province_code").loc["49", "province"] == "Quảng Nam"  # from the registry
    assert out["first_rank"].isna().all()


# --------------------------------------------------------------------------------------
# issue 17 item 15: fastest and slowest movers
# --------------------------------------------------------------------------------------


def test_item15_movers_leave_out_dissolved_provinces_and_say_what_they_rank():
    from cchc_analysis.trends import fastest_and_slowest

    years = list(range(2006, 2020))
    series = {
        "01": [50.0 + 0.5 * i for i in range(14)],  # steady riser
        "22": [70.0 + 0.01 * i for i in range(14)],  # the best performer, nearly flat
        "48": [55.0 + 1.0 * i for i in range(14)],  # fastest riser
        "49": [60.0 - 0.2 * i for i in range(14)],  # falling
        "28": [40.0, 50.0, 60.0] + [None] * 11,  # Hà Tây: three steep years, gone after 2008
    }
    table = trend_table(synthetic_indicators(series, index="pci", years=years), breaks=NO_BREAKS)
    assert table.set_index("province_code").loc["28", "theil_slope"] == pytest.approx(10.0), "Hà Tây has the steepest slope"
    out = fastest_and_slowest(table, n=2, lang="en")
    fast = out[out["group"].str.startswith("Fastest")]
    slow = out[out["group"].str.startswith("Slowest")]
    assert fast["province_code"].tolist() == ["48", "01"]
    assert slow["province_code"].tolist() == ["49", "22"]
    assert "28" not in set(out["province_code"])
    assert "Theil–Sen slope" in slow["group"].iloc[0] and "not the lowest scores" in slow["group"].iloc[0]
    assert slow.set_index("province_code").loc["22", "last_value"] == pytest.approx(70.13), "the table shows the level too"
    vi = fastest_and_slowest(table, n=2, lang="vi")
    assert vi["group"].iloc[0].startswith("Tăng nhanh nhất") and "không phải điểm thấp nhất" in vi["group"].iloc[-1]
    with pytest.raises(ValueError, match="lang must be 'vi' or 'en'"):
        fastest_and_slowest(table, lang="fr")


def test_content_notes_in_the_breaks_table_are_not_breaks():
    # load_breaks(notes=True) adds kind "note" rows (PAPI 2019, 2021): they inform, they do not split
    notes = synthetic_breaks([{"index": "papi", "component": "overall", "year": 2019, "kind": "note", "description": "synthetic note"}])
    out = trend_table(synthetic_indicators(), breaks=notes)
    assert len(out) == 5 and (out["breaks_crossed"] == "").all()
    assert spanned_breaks(synthetic_indicators(), breaks=notes).empty
