"""The bundled dataset: acceptance figures, schema, sources, and agreement with the originals."""

import hashlib

import pandas as pd
import pytest

import cchc_analysis as cchc
from cchc_analysis import config
from cchc_analysis.schema import INDICATOR_COLUMNS, validate_indicators

needs_shared = pytest.mark.skipif(
    not config.REFERENCE_DIR.is_dir(),
    reason=f"../shared/reference-data not present at {config.REFERENCE_DIR}: comparison with the originals skipped",
)


def one(index, year, province, component="overall", boundaries="legacy"):
    data = cchc.load_indicators(index, years=year, provinces=province, components=component, boundaries=boundaries)
    assert len(data) == 1, data
    return data.iloc[0]


def test_pci_acceptance_official_workbook_not_the_shuffled_copy():
    row = one("pci", 2014, "Đà Nẵng")
    assert round(row["value"], 2) == 66.87 and row["rank"] == 1
    assert round(one("pci", 2019, "Quảng Ninh")["value"], 2) == 73.40


def test_papi_acceptance_sum_of_dimensions():
    assert round(one("papi", 2023, "Thừa Thiên Huế")["value"], 2) == 46.04
    assert round(one("papi", 2020, "Quảng Ninh")["value"], 2) == 48.81
    dims = cchc.load_indicators("papi", years=2023, provinces="Thừa Thiên Huế")
    dims = dims[dims["component"].str.fullmatch(r"d\d_[a-z_]+")]
    assert len(dims) == 8 and abs(dims["value"].sum() - 46.0415) < 1e-3
    excluded = cchc.load_indicators("papi", years=2023, provinces="Quảng Ninh", components="overall")
    assert excluded.empty  # excluded that year: missing, never filled


def test_dti_par_sipas_acceptance():
    row = one("dti", 2023, "Đà Nẵng")
    assert row["value"] == 0.834 and row["rank"] == 1
    row = one("par", 2023, "Quảng Nam")
    assert row["value"] == 84.6 and row["rank"] == 56
    row = one("sipas", 2023, "Quảng Nam")
    assert row["value"] == 78.44 and row["rank"] == 59


def test_dti_2024_has_both_sets_of_units():
    new = cchc.load_indicators("dti", years=2024, boundaries="2025")
    assert len(new) == 34 and new["province_code"].is_unique
    assert round(one("dti", 2024, "Đà Nẵng", boundaries="2025")["value"], 4) == 0.7069
    old = cchc.load_indicators("dti", years=2024, boundaries="legacy")
    assert len(old) == 63


def test_every_row_has_a_resolving_source_and_valid_schema():
    data = cchc.load_indicators()
    sources = cchc.load_sources()
    assert sources["source_id"].is_unique
    assert set(data["source_id"]) <= set(sources["source_id"])
    assert list(data.columns) == list(INDICATOR_COLUMNS)
    comps = cchc.load_components()
    ranges = {(r["index"], r["component"]): (r["min"], r["max"]) for r in comps.to_dict("records")}
    validate_indicators(data, origin="bundled", source_ids=sources["source_id"], ranges=ranges)
    for table in (cchc.load_aggregates(), cchc.load_alternatives()):
        assert set(table["source_id"]) <= set(sources["source_id"])
    assert sources.loc[sources["source_id"].isin(data["source_id"]), "short_citation_en"].notna().all()


def test_breaks_are_recorded():
    breaks = cchc.load_breaks()
    papi = breaks[(breaks["index"] == "papi") & (breaks["component"] == "overall")]
    assert 2018 in set(papi["year"])
    assert ((breaks["kind"] == "boundaries") & (breaks["year"] == 2025)).any()
    assert set(breaks["source_id"]) <= set(cchc.load_sources()["source_id"])


def test_filters_and_errors():
    data = cchc.load_indicators(["par", "sipas"], years=range(2022, 2024), provinces=["quang nam", "P14"])
    assert set(data["index"]) <= {"par", "sipas"} and set(data["year"]) <= {2022, 2023}
    assert set(data["province_code"]) <= {"49", "22"}
    with pytest.raises(ValueError, match="index 'pcii' unknown"):
        cchc.load_indicators("pcii")
    with pytest.raises(ValueError, match="Did you mean: overall"):
        cchc.load_indicators("pci", components="overal")
    with pytest.raises(cchc.UnknownProvinceError, match="Did you mean"):
        cchc.load_indicators("pci", provinces="Quang Nham")


def test_load_returns_a_copy():
    first = cchc.load_indicators("dti")
    first.loc[:, "value"] = -1
    assert not (cchc.load_indicators("dti")["value"] == -1).any()


def test_coverage_table():
    cov = cchc.coverage()
    pci = cov[(cov["index"] == "pci") & (cov["year"] == 2014)].iloc[0]
    assert pci["provinces"] == 63 and pci["share"] == 1.0
    assert cov[(cov["index"] == "pci") & (cov["year"] == 2005)].iloc[0]["provinces"] == 42
    assert {"index", "year", "boundaries", "provinces", "with_value", "with_rank", "units", "share"} <= set(cov.columns)


@needs_shared
def test_bundled_pci_and_papi_equal_a_fresh_read_of_the_originals():
    from cchc_analysis.readers import papi, pci

    ref = config.REFERENCE_DIR
    bundled = cchc.load_indicators(["pci", "papi"])
    bundled = bundled[bundled["source_id"].str.match(r"pci-\d{4}-vcci|papi-")]  # press figures: checked below
    bundled = bundled.set_index(["index", "year", "province_code", "component"])
    fresh = [pci.read_pci_workbook(p).assign(index="pci") for p in sorted((ref / "pci" / "official").glob("PCI_*.xls*"))]
    papi_fresh, _ = papi.build_papi(ref / "papi", log=[])
    fresh.append(papi_fresh.assign(index="papi"))
    fresh = pd.concat(fresh, ignore_index=True).set_index(["index", "year", "province_code", "component"])
    assert set(fresh.index) == set(bundled.index)
    joined = fresh[["value", "rank"]].join(bundled[["value", "rank"]].add_suffix("_bundled"))
    assert (joined["value"] - joined["value_bundled"]).abs().max() < 1e-6
    assert (joined["rank"].fillna(-1) == joined["rank_bundled"].fillna(-1)).all()
    years = sorted(set(fresh.index.get_level_values("year")[fresh.index.get_level_values("index") == "pci"]))
    assert years == list(range(2005, 2020))


@needs_shared
def test_provenance_checksums_match_the_originals():
    prov = pd.read_csv(config.DATA_DIR / "provenance.csv")
    for rec in prov.to_dict("records"):
        path = config.REFERENCE_DIR / rec["file"]
        assert path.exists(), f"{rec['file']} listed in provenance.csv but missing from ../shared"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == rec["sha256"], (
            f"{rec['file']} changed since data/ was built: run `make data`"
        )


@needs_shared
def test_pci_2021_partial_equals_the_copied_table():
    lines = (config.REFERENCE_DIR / "spotchecks" / "pci2021_pcivietnam_vi.txt").read_text(encoding="utf-8").split("\n")
    rows = [line.split() for line in lines if line.strip()]
    table = cchc.load_indicators("pci", years=2021)
    table = table[table["source_id"] == "pci-2021-pcivietnam-top21"]
    bundled = table[table["component"] == "overall"].set_index("province_code")
    assert len(bundled) == len(rows) == 21
    order = ["entry_costs", "land_access", "transparency", "time_costs", "informal_charges", "policy_bias",
             "proactivity", "business_support", "labor_training", "legal_institutions"]
    subs = table.pivot_table(index="province_code", columns="component", values="value")
    for parts in rows:
        unit = cchc.resolve_province(" ".join(parts[:-12]))
        assert bundled.at[unit.code, "value"] == float(parts[-2]) and bundled.at[unit.code, "rank"] == int(parts[-1])
        # the unlabelled columns, named by matching the labelled province pages, in the pages' order
        assert [subs.at[unit.code, key] for key in order] == [float(x) for x in parts[-12:-2]]
    assert bundled.at["49", "rank"] == 19  # Quảng Nam, as its 2023 plan quotes


def test_par_method_break_is_cited():
    breaks = cchc.load_breaks()
    par = breaks[(breaks["index"] == "par") & (breaks["year"] == 2022)]
    assert len(par) == 1 and "876/QĐ-BNV" in par["description"].iloc[0]
    src = cchc.load_sources().set_index("source_id").loc[par["source_id"].iloc[0]]
    assert src["url"].startswith("https://")
