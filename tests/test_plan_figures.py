"""Issue 11 item 2: past figures quoted by plan documents become sourced observations."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import cchc_analysis as cchc
from cchc_analysis.build import _plan_observation, _relation


def _row(index, year, province):
    data = cchc.load_indicators(index, years=year, provinces=province)
    return data[data["component"] == "overall"].iloc[0]


def test_plan_figures_fill_par_and_sipas_keys_nobody_else_gives():
    tg = _row("par", 2020, "Tiền Giang")
    assert (tg["value"], tg["rank"], tg["source_id"]) == (80.89, 57, "plan-tiengiang-2021-kh273-news")
    assert "no official or press figure for this key" in tg["note"]
    qn = _row("sipas", 2021, "Quảng Nam")  # a seed document: Decision 3532/QĐ-UBND quotes SIPAS 2021 rank 57
    assert (pd.isna(qn["value"]), qn["rank"], qn["source_id"]) == (True, 57, "plan-quangnam-2023-qd3532")
    # a 2025 unit's plan quoting the former Cần Thơ city's 2024 results: a legacy figure
    ct = _row("par", 2024, "Cần Thơ")
    assert (ct["boundaries"], ct["province_code"], ct["value"], ct["rank"]) == ("legacy", "92", 89.13, 22)


def test_every_plan_source_names_its_document():
    data = pd.concat([cchc.load_indicators(), cchc.load_alternatives()])
    used = set(data.loc[data["source_id"].str.startswith("plan-"), "source_id"])
    sources = cchc.load_sources().set_index("source_id")
    docs = cchc.load_documents().set_index("document_id")
    assert len(used) >= 15 and used <= set(sources.index)
    noted = set(data["note"].dropna().str.findall(r"plan-[a-z0-9-]+[a-z0-9]").explode().dropna())
    assert len(noted) >= 15 and noted <= set(sources.index)  # "same figure quoted by plan-..." resolves too
    used |= noted
    for sid in used:
        src, doc = sources.loc[sid], docs.loc[sid.removeprefix("plan-")]
        assert src["kind"] == "plan document"
        assert src["title"] == doc["title"] and (src["url"] if isinstance(src["url"], str) else "") == doc["source_url"]
        assert f"number: {doc['number'] or 'not stated'}" in src["note"] and doc["province"] in src["short_citation_en"]
    assert sources.at["plan-quangnam-2023-qd3532", "publisher"] == "UBND tỉnh Quảng Nam"
    assert "3532/QĐ-UBND" in sources.at["plan-quangnam-2023-qd3532", "short_citation_vi"]


def test_coverage_shows_the_added_par_and_sipas_rows():
    data = cchc.load_indicators()
    without = data[~data["source_id"].str.startswith("plan-")]
    both = cchc.coverage(data).merge(cchc.coverage(without), on=["index", "year", "boundaries"], how="left",
                                     suffixes=("", "_before")).fillna({"provinces_before": 0})
    gained = both[both["provinces"] > both["provinces_before"]].set_index(["index", "year"])
    assert {"par", "sipas"} <= set(gained.index.get_level_values(0))
    # PAR Index 2022: Phú Yên, Khánh Hòa, Lâm Đồng, Tiền Giang and Vĩnh Long from their plans
    assert gained.at[("par", 2022), "provinces"] - gained.at[("par", 2022), "provinces_before"] >= 5
    assert gained.at[("sipas", 2022), "provinces"] - gained.at[("sipas", 2022), "provinces_before"] >= 3
    added = data[data["source_id"].str.startswith("plan-")]
    assert set(added["index"]) <= {"par", "sipas", "pci", "dti"}  # PAPI: the official table covers every key
    assert not added.duplicated(["index", "year", "boundaries", "province_code", "component"]).any()


def test_a_differing_figure_goes_to_alternatives_and_an_equal_one_is_noted():
    alt = cchc.load_alternatives()
    ld = _row("sipas", 2021, "Lâm Đồng")
    assert ld["value"] == 87.19 and "see alternatives" in ld["note"]
    other = alt[(alt["index"] == "sipas") & (alt["year"] == 2021) & (alt["province_code"] == "68")]
    assert other[["value", "rank", "source_id"]].values.tolist() == [[87.68, 27, "plan-lamdong-2022-kh5204"]]
    dn = _row("par", 2023, "Đà Nẵng")  # the plan prints the press figure again: noted, not duplicated
    assert dn["source_id"] != "plan-danang-2023-par-sipas-news"
    assert "same figure quoted by plan-danang-2023-par-sipas-news" in dn["note"]
    kt = alt[(alt["index"] == "papi") & (alt["year"] == 2020) & (alt["source_id"].str.startswith("plan-"))]
    assert kt["value"].tolist() == [41.62] and "last printed decimal" in kt["note"].iloc[0]
    assert "slightly different decimals" in _row("papi", 2020, "Kon Tum")["note"]


def test_regional_ranks_and_papi_ranks_never_become_observations():
    st = _row("sipas", 2021, "Sóc Trăng")  # 'đứng đầu ĐBSCL' (rank 1 in the region) vs rank 9 of 63
    assert st["rank"] == 9
    papi = cchc.load_indicators("papi")
    assert papi["rank"].isna().all()


# ---------------------------------------------------------------------- the rules, on rows written here


def _baseline(**kw):
    row = {"target_id": "synthetic-01", "document_id": "synthetic", "metric_index": "par", "metric_field": "rank",
           "metric_component": "overall", "value": "33", "deadline": "2021", "boundaries": "legacy",
           "province_code": "49", "province": "Quảng Nam", "scope": "national", "rank_out_of": "63",
           "mapping_confidence": "high", "mapping_note": ""}
    row.update(kw)
    return row


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"scope": "region:tay-nguyen"}, "a rank within a region"),
        ({"metric_index": "papi"}, "PAPI publishes no ranks"),
        ({"deadline": ""}, "year or mapping unclear"),
        ({"mapping_confidence": "low"}, "year or mapping unclear"),
        ({"mapping_note": "year unclear: the article may speak of 2022"}, "year or mapping unclear"),
        ({"metric_field": "rank_change", "value": "3"}, "not a value or rank"),
        ({"rank_out_of": "14"}, "rank out of 14"),
        ({"boundaries": "2025", "province_code": "48", "province": "Đà Nẵng", "rank_out_of": ""},
         "a figure before 2025 in a plan of a 2025 unit"),
        ({"metric_index": "dti", "metric_field": "value", "value": "58.2"}, "DTI score not on the 0-1 scale"),
    ],
)
def test_baselines_left_out_say_why(change, reason):
    rec, why = _plan_observation(_baseline(**change), {"note": ""})
    assert rec is None and reason in why


def test_baseline_of_a_former_province_in_a_2025_plan_keeps_the_legacy_key():
    row = _baseline(boundaries="2025", province_code="92", province="Cần Thơ", metric_field="value",
                    value="89.13", deadline="2024", rank_out_of="",
                    mapping_note="figure of the former (legacy) Cần Thơ city, year 2024; ")
    rec, _ = _plan_observation(row, {"note": ""})
    assert (rec["boundaries"], rec["province_code"], rec["year"], rec["value"], rec["_dec"]) == ("legacy", "92", 2024, 89.13, 2)
    assert pd.isna(rec["rank"]) and rec["unit"] == "percent" and rec["source_id"] == "plan-synthetic"
    # a rank out of the 34 units is a figure of the 2025 unit itself
    rec, _ = _plan_observation(_baseline(boundaries="2025", province_code="48", province="Đà Nẵng", metric_index="dti",
                                         deadline="2024", value="5", rank_out_of="34"), {"note": ""})
    assert (rec["boundaries"], rec["province_code"], rec["rank"]) == ("2025", "48", 5)


@pytest.mark.parametrize(
    "cand, kept, relation",
    [
        ((86.9, 1, None), (86.89, None), "same"),  # printed with one decimal: agrees
        ((86.89, 2, 34), (86.89, 34), "same"),
        ((41.62, 2, None), (41.62695769, None), "decimals"),  # truncated, not rounded
        ((87.68, 2, None), (87.19, None), "conflict"),
        ((86.89, 2, 32), (86.89, 34), "conflict"),
        ((87.61, 2, 16), (87.61, None), "adds"),
    ],
)
def test_relation_to_the_kept_figure(cand, kept, relation):
    c = {"value": cand[0], "_dec": cand[1], "rank": pd.NA if cand[2] is None else cand[2]}
    k = {"value": kept[0], "rank": pd.NA if kept[1] is None else kept[1]}
    assert _relation(c, k) == relation
    assert not math.isnan(c["value"])
