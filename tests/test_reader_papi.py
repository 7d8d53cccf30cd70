"""Tests for cchc_analysis.readers.papi.

Offline tests build tiny synthetic panels/workbooks in code; tests marked ``shared`` read
the originals in ``REFERENCE_DIR/papi`` and skip when that folder is absent.
"""

from __future__ import annotations

import csv
import warnings

import pandas as pd
import pytest

from cchc_analysis.config import REFERENCE_DIR
from cchc_analysis.provinces import list_provinces
from cchc_analysis.readers import papi
from cchc_analysis.readers.papi import (
    COLUMNS,
    PAPI_BREAKS,
    PAPI_COMPONENTS,
    PAPI_EXCLUSIONS,
    SOURCES,
    read_papi_official,
    read_papi_panel,
    read_papi_workbook,
)

PAPI_DIR = REFERENCE_DIR / "papi"
needs_shared = pytest.mark.skipif(
    not PAPI_DIR.is_dir(),
    reason=f"PAPI originals not found at {PAPI_DIR} (set CCHC_SHARED_DIR to the folder holding reference-data/)",
)
KEY = ["year", "province_code", "component"]


# ----------------------------------------------------------------------------- synthetic

def _value(i: int, j: int) -> float:
    """Deterministic synthetic score for province i, column j."""
    return round(0.5 + 0.01 * i + 0.001 * j, 6)


# Year 2016: columns as the research repo names them; SC32/SC33 mean "Responsive to
# Citizen Actions"/"People's Inspection Boards" only through the label map, SC24 is empty.
_SYN_2016 = {
    "SC11": "Civic Knowledge", "SC12": "Opportunities for Participation", "SC13": "Quality of Elections",
    "SC14": "Voluntary Contributions", "SC21": "Poverty Lists", "SC22": "Communal Budget and Expenditure",
    "SC23": "Land-Use Plans/Price Frames", "SC31": "Interactions With Local Authorities",
    "SC32": "Responsive to Citizen Actions", "SC33": "People's Inspection Boards",
    "SC41": "Limits on Public Sector Corruption", "SC42": "Limits on Corruption in Service Delivery",
    "SC43": "Equity in Employment", "SC44": "Willingness to Fight Corruption",
    "SC51": "Certification Procedures", "SC52": "Construction Permits", "SC53": "Land-Use Rights Procedures",
    "SC54": "Personal Procedures", "SC61": "Public Health", "SC62": "Public Primary Education",
    "SC63": "Basic Infrastructure", "SC64": "Law and Order",
}


def _write_synthetic_panel(folder, *, empty=(), extra_col=False, drop_province=None):
    """Write a synthetic 2016 panel (63 provinces) and its label map into ``folder``."""
    cols = [f"SC{d}{k}" for d in range(1, 9) for k in range(1, 5) if not (d in (3, 7, 8) and k == 4)]
    with open(folder / "2016.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Province"] + cols)
        for i in range(1, 64):
            code = f"P{i:02d}"
            if code == drop_province:
                continue
            row = [code]
            for j, c in enumerate(cols):
                if c in _SYN_2016 and (code, c) not in empty:
                    row.append(_value(i, j))
                elif c == "SC71" and extra_col:
                    row.append(1.0)
                else:
                    row.append("")
            w.writerow(row)
    with open(folder / "label_map_by_year.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["year", "hnks_column", "official_subdimension_label", "label_source"])
        for c, label in _SYN_2016.items():
            w.writerow([2016, c, label, "synthetic"])
    return cols


def test_synthetic_panel_label_map_and_sums(tmp_path):
    cols = _write_synthetic_panel(tmp_path)
    df = read_papi_panel(tmp_path)
    assert list(df.columns) == COLUMNS
    assert df["year"].dtype == "int64" and df["value"].dtype == "float64" and str(df["rank"].dtype) == "Int64"
    assert df["rank"].isna().all()
    assert not df.duplicated(KEY).any()
    assert df["province_code"].nunique() == 63
    hn = df[(df.province_code == "01")].set_index("component")["value"]
    # the label map, not the column name, decides the component
    j32 = cols.index("SC32")
    assert hn["d3_accountability.responsive_to_citizen_actions"] == pytest.approx(_value(1, j32))
    assert "d2_transparency.access_to_information" not in hn.index  # SC24 empty: structural, no row
    d3 = sum(_value(1, cols.index(c)) for c in ("SC31", "SC32", "SC33"))
    assert hn["d3_accountability"] == pytest.approx(d3)
    dims = [c for c in hn.index if c.startswith("d") and "." not in c]
    assert dims == [d["key"] for d in PAPI_COMPONENTS if d["level"] == "dimension"][:6]
    assert hn["overall"] == pytest.approx(hn[dims].sum())
    assert (df.province_as_printed == "P01").sum() == len(hn)
    assert df.loc[df.province_code == "01", "province"].iloc[0] == "Hà Nội"


def test_synthetic_panel_missing_cell_stays_missing(tmp_path):
    _write_synthetic_panel(tmp_path, empty={("P33", "SC42")})  # P33 = Quảng Nam
    with pytest.warns(UserWarning, match="differ from the documented exclusions"):
        df = read_papi_panel(tmp_path, years=[2016])
    qn = df[df.province_code == "49"].set_index("component")["value"]
    assert "d4_corruption_control.limits_on_corruption_in_service_delivery" not in qn.index
    assert "d4_corruption_control" not in qn.index  # incomplete dimension: no row
    assert "overall" not in qn.index  # incomplete design: no overall
    assert "d4_corruption_control.equity_in_employment" in qn.index and "d5_procedures" in qn.index
    assert df["value"].notna().all()  # nothing filled, nothing NaN


def test_synthetic_panel_layout_errors(tmp_path):
    _write_synthetic_panel(tmp_path, extra_col=True)
    with pytest.raises(ValueError, match=r"column SC71 holds values.*label_map_by_year.csv"):
        read_papi_panel(tmp_path)
    _write_synthetic_panel(tmp_path, drop_province="P07")
    with pytest.raises(ValueError, match=r"2016.csv: expected the 63 provinces.*P07"):
        read_papi_panel(tmp_path)
    with pytest.raises(FileNotFoundError, match="2030.csv"):
        read_papi_panel(tmp_path, years=[2030])


def _write_synthetic_workbook(path, *, bad_label=None, bad_dim=False):
    """A one-year (2012) workbook in the multi-year layout, 63 provinces + 'Highest'."""
    import openpyxl

    struct = papi.papi_structure(2012)
    en = {d["key"]: d["name_en"] for d in PAPI_COMPONENTS}
    vi = {d["key"]: d["name_vi"] for d in PAPI_COMPONENTS}
    keys = [k for dim, subs in struct.items() for k in [dim, *subs]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2012_PAPI"
    labels = [en[k] for k in keys]
    if bad_label:
        labels[1] = bad_label
    ws.append(["tinhid", "tentinh_eng", "tentinh_vie", *labels, "Un-weighted2015PAPI"])
    ws.append(["tinhid", "tentinh_eng", "tentinh_vie", *[vi[k] for k in keys], "Chỉ số PAPI (không có trọng số)"])
    for i, p in enumerate(list_provinces()):
        vals, total = [], 0.0
        for dim, subs in struct.items():
            sub = [_value(i, j) for j, _ in enumerate(subs)]
            dim_val = sum(sub) + (0.5 if bad_dim and i == 0 and dim == "d2_transparency" else 0.0)
            vals += [dim_val, *sub]
            total += sum(sub)
        ws.append([int(p.code), p.name_ascii, p.name, *vals, total])
    ws.append([999, "Highest", "Điểm cao nhất", *[9.0] * len(keys), 60.0])
    wb.save(path)


def test_synthetic_workbook(tmp_path):
    path = tmp_path / "PAPI_2012_synthetic.xlsx"
    _write_synthetic_workbook(path)
    df = read_papi_workbook(path)
    assert list(df.columns) == COLUMNS
    assert set(df.year) == {2012} and df.province_code.nunique() == 63
    assert len(df) == 63 * (1 + 6 + 22)
    assert "Highest" not in set(df.province_as_printed) and "Điểm cao nhất" not in set(df.province_as_printed)
    assert df.loc[df.province_code == "01", "province_as_printed"].iloc[0] == "Hà Nội"


def test_synthetic_workbook_errors(tmp_path):
    path = tmp_path / "bad_label.xlsx"
    _write_synthetic_workbook(path, bad_label="Civic Wisdom")
    with pytest.raises(ValueError, match=r"sheet '2012_PAPI', column E: unknown label 'Civic Wisdom'"):
        read_papi_workbook(path)
    path = tmp_path / "bad_dim.xlsx"
    _write_synthetic_workbook(path, bad_dim=True)
    with pytest.raises(ValueError, match=r"d2_transparency printed .* sub-dimensions sum"):
        read_papi_workbook(path)


def test_metadata():
    keys = [c["key"] for c in PAPI_COMPONENTS]
    assert len(keys) == len(set(keys))
    assert {"overall", "overall_weighted", "d1_participation.civic_knowledge", "d8_egovernance"} <= set(keys)
    by = {c["key"]: c for c in PAPI_COMPONENTS}
    assert (by["overall"]["min"], by["overall"]["max"]) == (6.0, 80.0)  # envelope
    assert by["overall"]["ranges"] == [
        {"years": [2011, 2017], "min": 6.0, "max": 60.0},
        {"years": [2018, 2024], "min": 8.0, "max": 80.0},
    ]
    assert (by["d3_accountability.access_to_justice_services"]["min"], by["d3_accountability.access_to_justice_services"]["max"]) == (0.33, 3.33)
    assert by["d8_egovernance.access_to_the_internet"]["ranges"][0] == {"years": [2018, 2018], "min": 0.5, "max": 5.0}
    assert all(c["unit"] == "score" and c["name_vi"] and c["name_en"] for c in PAPI_COMPONENTS)
    assert any(b["component"] == "overall" and b["year"] == 2018 and b["kind"] == "method" for b in PAPI_BREAKS)
    assert all(b["component"] in by for b in PAPI_BREAKS)
    ids = {s["source_id"] for s in SOURCES}
    assert {"papi-2011-2019-official", "papi-panel-2011-2024"} <= ids
    assert next(s for s in SOURCES if s["source_id"] == "papi-panel-2011-2024")["licence"] == "MIT (research repository)"
    for year in range(2011, 2025):  # every dimension of the design has sub-dimensions
        assert len(papi.papi_structure(year)) == papi.n_dimensions(year)


# ----------------------------------------------------------------------------- originals

@pytest.fixture(scope="module")
def panel():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # empty cells must match PAPI_EXCLUSIONS exactly
        return read_papi_panel(PAPI_DIR / "subdimensions")


@pytest.fixture(scope="module")
def official():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return read_papi_official(PAPI_DIR / "official")


def _get(df, year, province, component):
    sel = df[(df.year == year) & (df.province == province) & (df.component == component)]["value"]
    return sel.item() if len(sel) else None


@needs_shared
@pytest.mark.shared
def test_press_figures(panel):
    assert round(_get(panel, 2023, "Thừa Thiên Huế", "overall"), 2) == 46.04
    assert round(_get(panel, 2023, "Hà Nội", "overall"), 2) == 43.96
    assert round(_get(panel, 2020, "Quảng Ninh", "overall"), 2) == 48.81
    assert round(_get(panel, 2023, "Thừa Thiên Huế", "overall"), 4) == 46.0415
    assert round(_get(panel, 2023, "Hà Nội", "overall"), 4) == 43.9603
    # excluded in 2023: no row at all, not a filled value
    for name in ("Quảng Ninh", "Bình Dương"):
        assert panel[(panel.year == 2023) & (panel.province == name)].empty


@needs_shared
@pytest.mark.shared
def test_panel_equals_official_2011_2019(panel, official):
    p = panel[panel.year <= 2019]
    o = official[official.component != "overall_weighted"]
    m = p.merge(o, on=KEY, how="outer", indicator=True, suffixes=("_panel", "_official"))
    assert (m["_merge"] == "both").all(), m.loc[m["_merge"] != "both", KEY + ["_merge"]].head(10).to_string()
    diff = (m["value_panel"] - m["value_official"]).abs()
    assert diff.max() < 1e-6, m.loc[diff.idxmax()].to_string()


@needs_shared
@pytest.mark.shared
def test_no_duplicates_and_schema(panel, official):
    for df in (panel, official):
        assert list(df.columns) == COLUMNS
        assert not df.duplicated(KEY).any()
        assert df["value"].notna().all() and df["rank"].isna().all()
        assert df["province_code"].str.fullmatch(r"\d{2}").all()


@needs_shared
@pytest.mark.shared
def test_provinces_per_year_minus_exclusions(panel, official):
    for df, years in ((panel, range(2011, 2025)), (official, range(2011, 2020))):
        for year in years:
            d = df[df.year == year]
            excl = PAPI_EXCLUSIONS.get(year, {})
            full = {c for c, dims in excl.items() if len(dims) == papi.n_dimensions(year)}
            assert d.province_code.nunique() == 63 - len(full), year
            overall = set(d.loc[d.component == "overall", "province_code"])
            assert len(overall) == 63 - len(excl), year
            assert not overall & set(excl), year


@needs_shared
@pytest.mark.shared
def test_components_and_ranges(panel, official):
    by = {c["key"]: c for c in PAPI_COMPONENTS}
    both = pd.concat([panel, official[official.year == 2019]])
    for (year, comp), vals in both.groupby(["year", "component"])["value"]:
        spec = by[comp]
        assert year in spec["years"], (comp, year)
        rng = next(r for r in spec["ranges"] if r["years"][0] <= year <= r["years"][1])
        assert rng["min"] - 1e-9 <= vals.min() and vals.max() <= rng["max"] + 1e-9, (comp, year)
    present = both.groupby("component")["year"].unique()
    for comp, years in present.items():
        assert sorted(years) == by[comp]["years"], comp


@needs_shared
@pytest.mark.shared
def test_weighted_2019(official):
    w = official[official.component == "overall_weighted"]
    assert len(w) == 63 and set(w.year) == {2019}
    # Hà Nội, sheet 2019PAPI_Indicators_VIE row "Chỉ số PAPI tổng hợp (có trọng số)"
    assert round(_get(official, 2019, "Hà Nội", "overall_weighted"), 4) == 43.5242
    assert w.note.str.contains("95% CI").all()


@needs_shared
@pytest.mark.shared
def test_2019_indicator_workbook_agrees(official):
    """The 2019 indicator workbook prints other labels for the same columns (the labels the
    panel's codebook uses for 2020+); its scores equal the multi-year workbook's."""
    import openpyxl

    wb = openpyxl.load_workbook(PAPI_DIR / "official" / papi.INDICATORS_2019_FILE, read_only=True, data_only=True)
    rows = list(wb["2019PAPI_Dims_Sub-dims_ENG"].iter_rows(values_only=True))
    wb.close()
    head = rows[0]
    o = official[official.year == 2019].set_index(["province_code", "component"])["value"]
    keys = [k for dim, subs in papi.papi_structure(2019).items() for k in [dim, *subs]]
    for label, key in zip(head[2:-1], keys):  # same order: dimension then its sub-dimensions
        num, _, name = str(label).partition(": ")
        if "." in key:
            assert papi._SUB_BY_LABEL[papi._norm_label(name)] == key, label
    for row in rows[1:]:
        code = f"{int(row[0]):02d}"
        for val, key in zip(row[2:-1], keys):
            assert abs(o[(code, key)] - val) < 1e-6, (code, key)
        assert abs(o[(code, "overall")] - row[-1]) < 1e-4, code  # printed "Unweighted PAPI Score"


@needs_shared
@pytest.mark.shared
def test_single_year_file_gives_clear_error():
    with pytest.raises(ValueError, match=r"layout not recognised.*PAPI_2011-2019.xlsx"):
        read_papi_workbook(PAPI_DIR / "official" / "PAPI_2011_eng.xlsx")


@needs_shared
@pytest.mark.shared
def test_build_papi_sources_by_year():
    log: list[str] = []
    tidy, sources = papi.build_papi(PAPI_DIR, log=log)
    assert not tidy.duplicated(KEY).any()
    by_year = tidy.groupby("source_id")["year"].agg(["min", "max"])
    assert tuple(by_year.loc["papi-2011-2019-official"]) == (2011, 2019)
    assert tuple(by_year.loc["papi-2019-indicators-official"]) == (2019, 2019)
    assert tuple(by_year.loc["papi-panel-2011-2024"]) == (2020, 2024)
    assert set(tidy.source_id) <= set(sources.source_id)
    assert any("equals the official workbooks" in line for line in log)
