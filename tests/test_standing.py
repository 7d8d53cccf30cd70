"""Issue 17 items 11-13: the N a rank is out of, one percentile, PAPI totals said to be unweighted."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cchc_analysis import notebook as nb
from cchc_analysis.compare import _resolve_ranks, rank_changes, rank_mobility, rank_percentile

try:
    from synthetic import synthetic_indicators, synthetic_no_breaks, synthetic_panel
except ImportError:  # tests/ collected as a package
    from tests.synthetic import synthetic_indicators, synthetic_no_breaks, synthetic_panel

NO_BREAKS = synthetic_no_breaks()


def _press_table():
    """A partial PAR-like press table: 14 provinces, ranks printed out of the whole country."""
    codes = ["01", "10", "19", "22", "24", "31", "36", "37", "40", "42", "45", "46", "48", "49"]
    ranks = [3, 7, 6, 1, 4, 2, 29, 11, 15, 18, 41, 17, 12, 56]
    return synthetic_indicators({c: [90.0 - r / 2] for c, r in zip(codes, ranks)}, index="par", years=[2023], unit="percent",
                                ranks={c: [r] for c, r in zip(codes, ranks)})


def test_item13_rank_is_out_of_the_whole_table_not_the_rows_printed():
    ranked = _resolve_ranks(_press_table())
    qn = ranked[ranked["province_code"] == "49"].iloc[0]
    assert (qn["rank_used"], qn["rank_n"], qn["rank_n_basis"]) == (56, 63, "units (partial table)")
    # a complete table (ranks 1..42 for all 42 rows, as PCI 2005) is out of its own size
    complete = synthetic_indicators({c: [float(i)] for i, c in enumerate(sorted(synthetic_panel(years=[2005])["province_code"].unique())[:42])},
                                    index="pci", years=[2005])
    assert set(_resolve_ranks(complete)["rank_n"]) == {42}
    # ranks computed from scores are out of the scores ranked
    papi = synthetic_panel(index="papi", years=[2023], ranks=None, excluded={2023: ["22", "74"]})
    r = _resolve_ranks(papi)
    assert set(r.loc[r["rank_used"].notna(), "rank_n"]) == {61}
    assert set(r.loc[r["rank_used"].notna(), "rank_n_basis"]) == {"scores ranked"}


def test_item13_standing_table_n_and_percentile_match_the_profile_chart():
    table = nb.standing_table(_press_table(), province="Quảng Nam")
    par = table.set_index("index").loc["par"]
    assert (par["rank"], par["n_ranked"]) == (56, 63)
    # one percentile in the whole report: 100 (N - rank) / (N - 1), as plot_profile draws it
    assert par["percentile"] == pytest.approx(100 * (63 - 56) / 62)
    assert rank_percentile(1, 63) == 100 and rank_percentile(63, 63) == 0 and rank_percentile(56, 63) == pytest.approx(700 / 62)


def test_item12_papi_totals_are_called_unweighted():
    papi = synthetic_panel(index="papi", years=[2023], ranks=None)
    row = nb.standing_table(papi, province="Quảng Nam").set_index("index").loc["papi"]
    assert "unweighted" in row["note"] and "publishes no ranks" in row["note"]
    assert row["rank_basis"] == "computed from scores"


def test_item11_rank_changes_between_tables_of_different_size_say_so():
    codes42 = sorted(synthetic_panel(years=[2006])["province_code"].unique())
    a = synthetic_indicators({c: [float(i)] for i, c in enumerate(codes42[:42])}, index="pci", years=[2005])
    b = synthetic_indicators({c: [float(i)] for i, c in enumerate(codes42)}, index="pci", years=[2006])
    ch = rank_changes(pd.concat([a, b]), index="pci", year_from=2005, year_to=2006, breaks=NO_BREAKS)
    assert set(ch["n_from"]) == {42} and set(ch["n_to"]) == {63}
    r = ch.iloc[0]
    assert r["percentile_from"] == pytest.approx(rank_percentile(r["rank_from"], 42))
    assert r["percentile_to"] == pytest.approx(rank_percentile(r["rank_to"], 63))
    assert "42 and 63" in r["note"] and "percentile" in r["note"]
    mob = rank_mobility(pd.concat([a, b]), index="pci", year_from=2005, year_to=2006, breaks=NO_BREAKS).iloc[0]
    assert (mob["n_from"], mob["n_to"]) == (42, 63) and "42 and 63" in mob["note"]
    same = rank_changes(synthetic_panel(years=[2019, 2020]), index="papi", year_from=2019, year_to=2020, breaks=NO_BREAKS)
    assert same["note"].isna().all()
    assert math.isnan(rank_percentile(1, 1))


@pytest.mark.parametrize("lang, word", [("vi", "điểm %"), ("en", "pp")])
def test_item6_gap_table_says_percentage_points(lang, word):
    from cchc_analysis.gaps import assess_targets

    try:
        from synthetic import synthetic_targets
    except ImportError:  # pragma: no cover
        from tests.synthetic import synthetic_targets
    data = synthetic_indicators({"49": [78.44]}, index="sipas", years=[2023], unit="percent")
    gaps = assess_targets(synthetic_targets([{"metric_index": "sipas", "value": 90, "unit": "%"}]), data, breaks=NO_BREAKS)
    table = nb.gap_table(gaps, lang=lang)
    assert table.loc[0, "gap"] == pytest.approx(-11.56) and table.loc[0, "gap_unit"] == word
    assert list(table.columns).index("gap_unit") == list(table.columns).index("gap") + 1
    assert table.loc[0, "actual_year"] == 2023
