"""Tests for cchc_analysis.compare: known answers against scipy and by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import cchc_analysis.config as config
from cchc_analysis.compare import (
    compare_province,
    index_correlations,
    percentile_ranks,
    rank_changes,
    rank_from_scores,
    rank_mobility,
    sigma_convergence,
    successor_view,
)
from cchc_analysis.provinces import province_table
from cchc_analysis.trends import ComparabilityBreakError

try:
    from synthetic import synthetic_breaks, synthetic_indicators, synthetic_no_breaks, synthetic_panel
except ImportError:  # tests/ collected as a package
    from tests.synthetic import synthetic_breaks, synthetic_indicators, synthetic_no_breaks, synthetic_panel

NO_BREAKS = synthetic_no_breaks()


# --------------------------------------------------------------------------------------
# ranks and percentiles
# --------------------------------------------------------------------------------------


def test_rank_from_scores_ties_share_the_best_rank_and_missing_are_not_ranked():
    d = synthetic_indicators({"01": [44.0], "22": [None], "49": [41.5], "79": [44.0], "48": [43.0]}, years=[2023], ranks=None)
    out = rank_from_scores(d)
    got = dict(zip(out["province_code"], out["computed_rank"]))
    assert got["01"] == 1 and got["79"] == 1 and got["48"] == 3 and got["49"] == 4
    assert got["22"] is pd.NA
    assert (out["n_ranked"] == 4).all()
    # reference: scipy.stats.rankdata(-x, method="min") on the provinces with a score
    x = out["value"].dropna().to_numpy()
    assert out["computed_rank"].dropna().tolist() == stats.rankdata(-x, method="min").astype(int).tolist()
    assert out["rank"].isna().all()  # published ranks untouched


def test_rank_from_scores_options():
    d = synthetic_indicators({"01": [3.0], "22": [1.0], "49": [2.0], "79": [2.0]}, years=[2023], ranks=None)
    low = rank_from_scores(d, higher_is_better=False)
    assert low["computed_rank"].tolist() == [4, 1, 2, 2]
    dense = rank_from_scores(d, method="dense")
    # reference: scipy.stats.rankdata(-x, method="dense")
    assert dense["computed_rank"].tolist() == stats.rankdata(-d["value"], method="dense").astype(int).tolist()
    avg = rank_from_scores(d, method="average")
    assert avg["computed_rank"].tolist() == pytest.approx(stats.rankdata(-d["value"], method="average").tolist())
    with pytest.raises(ValueError, match="method"):
        rank_from_scores(d, method="olympic")


def test_rank_from_scores_rounds_away_float_noise_and_ranks_per_table():
    d = synthetic_indicators({"01": [0.1 + 0.2, 1.0], "22": [0.3, 2.0]}, years=[2022, 2023], ranks=None)
    out = rank_from_scores(d)
    assert out.loc[out["year"] == 2022, "computed_rank"].tolist() == [1, 1]
    assert out.loc[out["year"] == 2023, "computed_rank"].tolist() == [2, 1]
    exact = rank_from_scores(d, decimals=None)
    assert exact.loc[exact["year"] == 2022, "computed_rank"].tolist() == [1, 2]  # 0.30000000000000004 > 0.3


@pytest.mark.parametrize("kind", ["weak", "strict", "mean", "rank"])
def test_percentile_ranks_match_scipy(kind):
    values = [40.0, 42.0, 42.0, 45.0, 39.0, 44.0]
    d = synthetic_indicators({c: [v] for c, v in zip(["01", "22", "48", "49", "79", "92"], values)}, years=[2020])
    out = percentile_ranks(d, kind=kind)
    for v, p in zip(out["value"], out["percentile"]):
        # reference: scipy.stats.percentileofscore(values, v, kind=kind)
        assert p == pytest.approx(stats.percentileofscore(values, v, kind=kind))
    low = percentile_ranks(d, kind=kind, higher_is_better=False)
    neg = [-v for v in values]
    for v, p in zip(low["value"], low["percentile"]):
        assert p == pytest.approx(stats.percentileofscore(neg, -v, kind=kind))


# --------------------------------------------------------------------------------------
# one province against groups
# --------------------------------------------------------------------------------------


def test_compare_province_national_region_and_peers():
    data = synthetic_panel(years=[2019, 2020], excluded={2020: ["22"]})
    out = compare_province(data, province="Quảng Nam", index="papi", year=2020, peers=["Đà Nẵng", "Quảng Ngãi", "Quảng Nam"])
    assert out["comparison"].tolist() == ["national", "region", "peers"]
    year = data[data["year"] == 2020]
    v = float(year.loc[year["province_code"] == "49", "value"].iloc[0])
    allv = year["value"].dropna().to_numpy()
    nat = out.iloc[0]
    assert nat["n"] == 62  # 63 minus the excluded province
    assert nat["mean"] == pytest.approx(np.mean(allv))
    assert nat["median"] == pytest.approx(np.median(allv))
    assert nat["gap_to_mean"] == pytest.approx(v - np.mean(allv))
    # reference: scipy.stats.rankdata(-allv, method="min") and percentileofscore(kind="weak")
    assert nat["rank_in_group"] == stats.rankdata(-allv, method="min")[list(allv).index(v)]
    assert nat["percentile"] == pytest.approx(stats.percentileofscore(allv, v, kind="weak"))
    reg = out.iloc[1]
    table = province_table()
    ncc = set(table.loc[table["region"] == "north_central_coast", "code"])
    regv = year.loc[year["province_code"].isin(ncc), "value"].dropna().to_numpy()
    assert reg["group"] == "Bắc Trung Bộ và duyên hải miền Trung"
    assert reg["n"] == len(regv) == 14
    assert reg["mean"] == pytest.approx(regv.mean())
    peers = out.iloc[2]
    pv = year.loc[year["province_code"].isin(["48", "51"]), "value"].to_numpy()
    assert peers["n"] == 2  # Quảng Nam itself is left out of its peers
    assert peers["mean"] == pytest.approx(pv.mean())
    assert peers["group"] == "peers: Đà Nẵng, Quảng Ngãi"
    assert out["value"].tolist() == pytest.approx([v] * 3)


def test_compare_province_every_year_and_errors():
    data = synthetic_panel(years=[2019, 2020])
    out = compare_province(data, province="49", index="papi")
    assert sorted(out["year"].unique()) == [2019, 2020]
    assert set(out["comparison"]) == {"national", "region"}
    with pytest.raises(ValueError, match="province='Hà Tây'"):
        compare_province(data, province="Hà Tây", index="papi")
    with pytest.raises(TypeError, match="index"):
        compare_province(data, province="49", index=["papi", "pci"])


def test_compare_province_lower_is_better():
    d = synthetic_indicators({"01": [1.0], "48": [2.0], "49": [3.0]}, years=[2020])
    out = compare_province(d, province="49", index="papi", higher_is_better=False)
    assert out.iloc[0]["rank_in_group"] == 3 and out.iloc[0]["percentile"] == pytest.approx(100 / 3)


# --------------------------------------------------------------------------------------
# relations between indices, dispersion
# --------------------------------------------------------------------------------------


def test_index_correlations_pairwise_complete_match_scipy():
    a = synthetic_panel(index="papi", years=[2020], seed=1, ranks=None, excluded={2020: ["22", "74"]})
    b = synthetic_panel(index="pci", years=[2020], seed=2, start=60)
    c = synthetic_panel(index="dti", years=[2020], seed=3, start=0.6, noise=0.02)
    c.loc[c["province_code"].isin(["01", "79", "48"]), "value"] = np.nan
    data = pd.concat([a, b, c])
    out = index_correlations(data, year=2020)
    assert list(out[["index_x", "index_y"]].itertuples(index=False, name=None)) == [("dti", "papi"), ("dti", "pci"), ("papi", "pci")]
    wide = data.pivot_table(index="province_code", columns="index", values="value")
    for r in out.itertuples(index=False):
        pair = wide[[r.index_x, r.index_y]].dropna()
        # reference: scipy.stats.spearmanr(x, y) on the provinces with both values
        ref = stats.spearmanr(pair[r.index_x], pair[r.index_y])
        assert r.n == len(pair)
        assert r.r == pytest.approx(ref.statistic)
        # p: 9,999 random orderings (seeded); close to scipy's large-sample p for n ~ 60
        assert r.p_method == "permutation (9,999 orderings)"
        assert r.p_value == pytest.approx(ref.pvalue, abs=0.02)
        assert r.coefficient == "Spearman ρ"
    assert out["p_value"].tolist() == index_correlations(data, year=2020)["p_value"].tolist(), "seeded: repeats exactly"
    assert out.set_index(["index_x", "index_y"]).loc[("papi", "pci"), "n"] == 61
    assert out.set_index(["index_x", "index_y"]).loc[("dti", "papi"), "n"] == 58
    pear = index_correlations(data, year=[2020], method="pearson")
    pair = wide[["papi", "pci"]].dropna()
    # reference: scipy.stats.pearsonr(x, y)
    assert pear.iloc[2]["r"] == pytest.approx(stats.pearsonr(pair["papi"], pair["pci"]).statistic)
    kend = index_correlations(data, year=2020, method="kendall")
    # reference: scipy.stats.kendalltau(x, y)
    assert kend.iloc[2]["r"] == pytest.approx(stats.kendalltau(pair["papi"], pair["pci"]).statistic)


def test_item7_small_n_exact_permutation_p_and_minimum_n():
    # three provinces with the same order on both indices (PAR-SIPAS 2023 in the default report)
    a = synthetic_indicators({"01": [80.0], "22": [85.0], "49": [90.0]}, index="par", years=[2023])
    b = synthetic_indicators({"01": [70.0], "22": [72.0], "49": [79.0]}, index="sipas", years=[2023])
    three = pd.concat([a, b])
    r = index_correlations(three, year=2023).iloc[0]
    assert (r["n"], r["r"], r["coefficient"]) == (3, pytest.approx(1.0), "Spearman ρ")
    assert math.isnan(r["p_value"]) and r["p_method"] == "not shown: n < 5"
    # hand: of the 3! = 6 orderings only the same and the reversed one reach |rho| = 1 -> p = 2/6
    shown = index_correlations(three, year=2023, min_n_p=3).iloc[0]
    assert shown["p_value"] == pytest.approx(1 / 3) and shown["p_method"] == "exact permutation"
    assert stats.spearmanr([80, 85, 90], [70, 72, 79]).pvalue == pytest.approx(0.0, abs=1e-6), "what the old table printed"
    # n = 6: every one of the 720 orderings, as scipy.stats.permutation_test enumerates them
    x = [3.1, 1.2, 4.7, 1.5, 5.3, 9.9]
    y = [2.2, 7.1, 1.3, 8.4, 2.6, 8.9]
    codes = ["01", "22", "48", "49", "79", "92"]
    six = pd.concat([synthetic_indicators(dict(zip(codes, [[v] for v in x])), index="pci", years=[2020]),
                     synthetic_indicators(dict(zip(codes, [[v] for v in y])), index="papi", years=[2020])])
    for method, func in (("spearman", stats.spearmanr), ("pearson", stats.pearsonr), ("kendall", stats.kendalltau)):
        got = index_correlations(six, year=2020, method=method).iloc[0]
        # reference: scipy.stats.permutation_test((y,), statistic, permutation_type="pairings", n_resamples=inf)
        ref = stats.permutation_test((np.array(y),), lambda v: func(x, v).statistic, permutation_type="pairings",
                                     n_resamples=np.inf)
        assert got["p_value"] == pytest.approx(ref.pvalue), method
        assert got["r"] == pytest.approx(func(x, y).statistic)
    names = {m: index_correlations(six, year=2020, method=m).iloc[0]["coefficient"] for m in ("spearman", "pearson", "kendall")}
    assert names == {"spearman": "Spearman ρ", "pearson": "Pearson r", "kendall": "Kendall τ-b"}


def test_index_correlations_too_few_pairs_give_nan_with_n():
    a = synthetic_indicators({"01": [1.0], "22": [2.0]}, index="par", years=[2023])
    b = synthetic_indicators({"01": [3.0], "22": [1.0], "49": [2.0]}, index="sipas", years=[2023])
    out = index_correlations(pd.concat([a, b]), year=2023)
    assert out.iloc[0]["n"] == 2 and math.isnan(out.iloc[0]["r"])
    with pytest.raises(ValueError, match="method"):
        index_correlations(pd.concat([a, b]), year=2023, method="cosine")


def test_sigma_convergence_matches_scipy_variation():
    data = synthetic_panel(years=[2018, 2019, 2020], excluded={2019: ["01"]})
    out = sigma_convergence(data, index="papi")
    assert out["year"].tolist() == [2018, 2019, 2020]
    for r in out.itertuples(index=False):
        x = data.loc[data["year"] == r.year, "value"].dropna().to_numpy()
        # reference: scipy.stats.variation(x, ddof=1)
        assert r.cv == pytest.approx(stats.variation(x, ddof=1))
        assert r.std == pytest.approx(np.std(x, ddof=1))
        assert r.n == len(x)
    pop = sigma_convergence(data, index="papi", ddof=0)
    x = data.loc[data["year"] == 2020, "value"].to_numpy()
    assert pop.iloc[-1]["cv"] == pytest.approx(stats.variation(x))  # scipy default ddof=0
    # hand: values 1, 2, 3 -> mean 2, sample sd 1, cv 0.5
    small = synthetic_indicators({"01": [1.0], "22": [2.0], "49": [3.0]}, years=[2020])
    assert sigma_convergence(small, index="papi", min_coverage=0).iloc[0]["cv"] == pytest.approx(0.5)


def test_item10_sigma_convergence_needs_coverage_and_refuses_breaks():
    data = synthetic_panel(years=[2019, 2020, 2021], seed=5)
    top21 = data[(data["year"] < 2021) | data["province_code"].isin(sorted(data["province_code"].unique())[:21])]
    out = sigma_convergence(top21, index="papi", breaks=NO_BREAKS).set_index("year")
    # 2021 holds 21 of the 63 provinces (a "top 21" table): no dispersion is computed
    assert (out.loc[2021, "n"], out.loc[2021, "units"]) == (21, 63)
    assert out.loc[2021, "coverage"] == pytest.approx(1 / 3)
    assert math.isnan(out.loc[2021, "cv"]) and math.isnan(out.loc[2021, "std"])
    assert "21 of 63" in out.loc[2021, "note"]
    x = top21.loc[top21["year"] == 2020, "value"].to_numpy()
    assert out.loc[2020, "cv"] == pytest.approx(stats.variation(x, ddof=1)) and pd.isna(out.loc[2020, "note"])
    # balanced: only the provinces present in every year (here the 21), if they cover enough
    bal = sigma_convergence(top21, index="papi", breaks=NO_BREAKS, balanced=True, min_coverage=0.3).set_index("year")
    keep = top21.loc[top21["year"] == 2021, "province_code"]
    for y in (2019, 2020, 2021):
        v = top21.loc[(top21["year"] == y) & top21["province_code"].isin(keep), "value"].to_numpy()
        assert bal.loc[y, "n"] == 21 and bal.loc[y, "cv"] == pytest.approx(stats.variation(v, ddof=1))
    assert sigma_convergence(top21, index="papi", breaks=NO_BREAKS, balanced=True)["cv"].isna().all()
    # a comparability break inside the years is refused, as for trends
    papi = synthetic_panel(years=[2017, 2018])
    with pytest.raises(ComparabilityBreakError, match="dispersion"):
        sigma_convergence(papi, index="papi", breaks=synthetic_breaks())
    assert len(sigma_convergence(papi, index="papi", breaks=synthetic_breaks(), across_breaks=True)) == 2


# --------------------------------------------------------------------------------------
# rank mobility
# --------------------------------------------------------------------------------------

CODES = ["01", "02", "04", "06", "08", "10", "11", "12", "14", "15"]


def _two_years(ranks_to):
    before = {c: [float(100 - i), float(100 - ranks_to[i])] for i, c in enumerate(CODES)}
    ranks = {c: [i + 1, ranks_to[i]] for i, c in enumerate(CODES)}
    return synthetic_indicators(before, index="pci", years=[2016, 2017], ranks=ranks)


def test_rank_mobility_known_answer():
    to = [3, 1, 2, 4, 10, 6, 7, 8, 9, 5]  # ranks in 2017 of the provinces ranked 1..10 in 2016
    data = _two_years(to)
    out = rank_mobility(data, index="pci", year_from=2016, year_to=2017, k=5, breaks=NO_BREAKS)
    r = out.iloc[0]
    # reference: scipy.stats.kendalltau(range(1, 11), to, method="exact")
    ref = stats.kendalltau(list(range(1, 11)), to, method="exact")
    assert r["kendall_tau"] == pytest.approx(ref.statistic)
    assert r["kendall_p"] == pytest.approx(ref.pvalue)
    assert r["kendall_method"] == "exact"
    # hand: changes = from - to = -2, 1, 1, 0, -5, 0, 0, 0, 0, 5
    assert r["n"] == 10
    assert r["mean_abs_change"] == pytest.approx(14 / 10)
    assert (r["n_moved_k"], r["n_up_k"], r["n_down_k"]) == (2, 1, 1)
    assert r["share_moved_k"] == pytest.approx(0.2)
    ch = rank_changes(data, index="pci", year_from=2016, year_to=2017, breaks=NO_BREAKS).set_index("province_code")
    assert ch.loc["15", "rank_change"] == 5 and ch.loc["08", "rank_change"] == -5
    assert set(ch["rank_source_from"]) == {"published"}


def test_rank_mobility_ranks_from_scores_when_none_published():
    data = synthetic_panel(years=[2019, 2020], ranks=None, seed=4)
    out = rank_mobility(data, index="papi", year_from=2019, year_to=2020, breaks=NO_BREAKS)
    assert out.iloc[0]["n"] == 63
    ch = rank_changes(data, index="papi", year_from=2019, year_to=2020, breaks=NO_BREAKS)
    assert set(ch["rank_source_to"]) == {"computed"}
    y20 = data[data["year"] == 2020]
    ref = dict(zip(y20["province_code"], stats.rankdata(-y20["value"], method="min").astype(int)))
    assert dict(zip(ch["province_code"], ch["rank_to"])) == ref
    # a partial table without ranks is not re-ranked
    few = synthetic_indicators(ranks=None)
    with pytest.raises(ValueError, match="rank in both"):
        rank_mobility(few, index="papi", year_from=2019, year_to=2020, breaks=NO_BREAKS)


def test_rank_mobility_refuses_across_a_break():
    data = synthetic_panel(years=[2017, 2018], ranks=None)
    with pytest.raises(ComparabilityBreakError, match="year_from and year_to"):
        rank_mobility(data, index="papi", year_from=2017, year_to=2018, breaks=synthetic_breaks())
    out = rank_mobility(data, index="papi", year_from=2017, year_to=2018, breaks=synthetic_breaks(), across_breaks=True)
    assert out.iloc[0]["n"] == 63
    with pytest.raises(ValueError, match="earlier"):
        rank_mobility(data, index="papi", year_from=2018, year_to=2017, breaks=NO_BREAKS)


# --------------------------------------------------------------------------------------
# the 2025 merger
# --------------------------------------------------------------------------------------


def test_successor_view_side_by_side_and_no_aggregate_by_default():
    legacy = synthetic_indicators({"48": [0.8335], "49": [0.5803], "46": [0.70]}, index="dti", years=[2024], unit="index_0_1")
    new = synthetic_indicators({"48": [0.7069]}, index="dti", years=[2024], boundaries="2025", unit="index_0_1", ranks={"48": [17]})
    data = pd.concat([legacy, new])
    out = successor_view(data, index="dti", year=2024)
    assert "aggregate_value" not in out.columns
    dn = out[out["successor_code"] == "48"]
    assert dn["province"].tolist() == ["Đà Nẵng", "Quảng Nam"]
    assert dn["value"].tolist() == pytest.approx([0.8335, 0.5803])
    assert (dn["published_2025_value"] == 0.7069).all() and (dn["published_2025_rank"] == 17).all()
    assert (dn["n_members"] == 2).all() and (dn["n_reported"] == 2).all()
    assert out["successor_code"].nunique() == 34
    assert len(out) == 63  # every legacy province, with NaN where it has no row


def test_successor_view_aggregate_only_when_named_and_complete():
    legacy = synthetic_indicators({"48": [0.8], "49": [0.6], "92": [0.5], "93": [0.7]}, index="dti", years=[2024])
    out = successor_view(legacy, index="dti", year=2024, aggregate="mean")
    dn = out[out["successor_code"] == "48"]
    assert (dn["aggregate"] == "mean").all()
    assert dn["aggregate_value"].tolist() == pytest.approx([0.7, 0.7])  # hand: (0.8 + 0.6) / 2
    ct = out[out["successor_code"] == "92"]  # Cần Thơ + Hậu Giang + Sóc Trăng; Sóc Trăng missing
    assert (ct["n_members"] == 3).all() and (ct["n_reported"] == 2).all()
    assert ct["aggregate_value"].isna().all()
    mx = successor_view(legacy, index="dti", year=2024, aggregate="max")
    assert mx.loc[mx["successor_code"] == "48", "aggregate_value"].iloc[0] == pytest.approx(0.8)
    with pytest.raises(ValueError, match="aggregate"):
        successor_view(legacy, index="dti", year=2024, aggregate="sum")
    with pytest.raises(TypeError, match="one year"):
        successor_view(legacy, index="dti", year=[2023, 2024])


def test_successor_view_wide_layout():
    legacy = synthetic_indicators({"48": [0.8], "49": [0.6]}, index="dti", years=[2024])
    wide = successor_view(legacy, index="dti", year=2024, layout="wide", aggregate="median")
    assert len(wide) == 34
    dn = wide.set_index("successor_code").loc["48"]
    assert (dn["member_1"], dn["member_2"]) == ("Đà Nẵng", "Quảng Nam")
    assert (dn["value_1"], dn["value_2"]) == pytest.approx((0.8, 0.6))
    assert dn["members"] == "Đà Nẵng; Quảng Nam"
    assert dn["aggregate_value"] == pytest.approx(0.7)
    assert {"member_3", "value_3", "rank_3"} <= set(wide.columns)  # three-member units exist


# --------------------------------------------------------------------------------------
# bundled data
# --------------------------------------------------------------------------------------

bundled = pytest.mark.skipif(
    not (config.DATA_DIR / "indicators").exists(),
    reason=f"bundled indicators not built yet ({config.DATA_DIR / 'indicators'} is absent)",
)


@bundled
def test_bundled_papi_2023_ranks_from_scores():
    import cchc_analysis

    data = cchc_analysis.load_indicators("papi", years=[2023], components=["overall"])
    out = rank_from_scores(data)
    scored = out[out["value"].notna()]
    # reference: scipy.stats.rankdata(-scores, method="min")
    assert scored["computed_rank"].tolist() == stats.rankdata(-scored["value"], method="min").astype(int).tolist()
    assert out.loc[out["value"].isna(), "computed_rank"].isna().all()


@bundled
def test_bundled_dti_2024_successor_view_shows_new_da_nang():
    import cchc_analysis

    data = cchc_analysis.load_indicators("dti", years=[2024])
    out = successor_view(data, index="dti", year=2024)
    dn = out[out["successor_code"] == "48"]
    assert dn["province"].tolist() == ["Đà Nẵng", "Quảng Nam"]
    # the published DTI 2024 figures (dti.gov.vn): the two legacy members and the new unit
    assert dn["value"].tolist() == pytest.approx([0.8335, 0.5803])
    assert dn["rank"].tolist() == [2, 57]
    assert dn["published_2025_value"].tolist() == pytest.approx([0.7069, 0.7069]) and dn["published_2025_rank"].tolist() == [17, 17]


def test_index_correlations_min_n():
    a = synthetic_indicators({c: [float(i)] for i, c in enumerate(CODES)}, index="par", years=[2023])
    b = synthetic_indicators({c: [float(i % 4)] for i, c in enumerate(CODES)}, index="sipas", years=[2023])
    both = pd.concat([a, b])
    assert index_correlations(both, year=2023).iloc[0]["n"] == 10
    assert math.isnan(index_correlations(both, year=2023, min_n=11).iloc[0]["r"])
