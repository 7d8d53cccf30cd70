"""Tests for cchc_analysis.readers.pci.

Two groups:

* ``shared`` -- read the official VCCI workbooks in ../shared/reference-data/pci/official and
  compare with published figures and the hand-copied pcivietnam spot checks (skipped when the
  folder is absent).
* offline -- SYNTHETIC workbooks built here with openpyxl (made-up scores, not PCI data) to test
  layout detection and the error messages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cchc_analysis import config
from cchc_analysis.provinces import list_provinces, resolve_province
from cchc_analysis.readers.pci import (
    EXPECTED_PROVINCES,
    PCI_COMPONENTS,
    PCI_YEARS,
    SOURCE,
    PCILayoutError,
    components_for_year,
    read_pci_workbook,
    source_for,
)

PCI_DIR = config.REFERENCE_DIR / "pci" / "official"
SPOT_DIR = config.REFERENCE_DIR / "spotchecks"
COLUMNS = ["year", "province_code", "province", "component", "value", "rank", "province_as_printed"]


def _official(year: int) -> Path:
    for ext in ("xls", "xlsx"):
        p = PCI_DIR / f"PCI_{year}.{ext}"
        if p.exists():
            return p
    pytest.fail(f"PCI_{year}.xls(x) missing from {PCI_DIR}")


@pytest.fixture(scope="module")
def official() -> dict[int, pd.DataFrame]:
    if not PCI_DIR.is_dir():
        pytest.skip(f"../shared/reference-data not present: {PCI_DIR} (official PCI workbooks)")
    return {y: read_pci_workbook(_official(y)) for y in PCI_YEARS}


def _value(df: pd.DataFrame, province: str, component: str) -> pd.Series:
    code = resolve_province(province).code
    hit = df[(df.province_code == code) & (df.component == component)]
    assert len(hit) == 1, (province, component, hit)
    return hit.iloc[0]


# ------------------------------------------------------------------ official workbooks


@pytest.mark.shared
def test_schema_and_dtypes(official):
    for year, df in official.items():
        assert list(df.columns) == COLUMNS, year
        assert df["year"].dtype.kind == "i" and set(df["year"]) == {year}
        assert df["value"].dtype == float
        assert str(df["rank"].dtype) == "Int64"
        assert df["province_code"].map(type).eq(str).all()
        assert df["value"].notna().all()


@pytest.mark.shared
def test_province_counts_per_year(official):
    for year, df in official.items():
        expected = 42 if year == 2005 else 64 if year <= 2008 else 63
        assert EXPECTED_PROVINCES[year] == expected
        counts = df.groupby("component")["province_code"].nunique()
        assert (counts == expected).all(), (year, counts.to_dict())
    assert "28" in set(official[2006].province_code)  # Hà Tây still separate 2006-2008
    assert "28" in set(official[2008].province_code)
    assert "28" not in set(official[2009].province_code)


@pytest.mark.shared
def test_no_duplicates_and_components(official):
    allrows = pd.concat(official.values(), ignore_index=True)
    assert not allrows.duplicated(["year", "province_code", "component"]).any()
    for year, df in official.items():
        assert sorted(df.component.unique()) == sorted(components_for_year(year)), year
    assert "policy_bias" not in set(official[2012].component)
    assert "policy_bias" in set(official[2013].component)
    assert "state_sector_bias" in set(official[2008].component)


@pytest.mark.shared
def test_pci_2014_official_not_the_shuffled_copy(official):
    row = _value(official[2014], "Đà Nẵng", "overall")
    assert round(row.value, 2) == 66.87  # the shuffled cleaned copy says 57.26
    assert row["rank"] == 1


@pytest.mark.shared
def test_pci_2019_quang_ninh(official):
    row = _value(official[2019], "Quảng Ninh", "overall")
    assert round(row.value, 2) == 73.40
    assert row["rank"] == 1


@pytest.mark.shared
def test_ranks_and_ranges(official):
    for year, df in official.items():
        ov = df[df.component == "overall"].sort_values("rank")
        assert ov["rank"].notna().all() and ov["rank"].is_unique, year
        assert list(ov["rank"]) == list(range(1, len(ov) + 1)), year
        assert (ov.value.diff().dropna() <= 1e-9).all(), f"{year}: rank order disagrees with scores"
        for comp in PCI_COMPONENTS:
            vals = df.loc[df.component == comp.key, "value"]
            if len(vals):
                assert vals.between(comp.min, comp.max).all(), (year, comp.key)


@pytest.mark.shared
def test_unweighted_is_sum_of_subindices(official):
    for year in (2007, 2008, 2010):
        wide = official[year].pivot(index="province_code", columns="component", values="value")
        subs = [c for c in wide.columns if not c.startswith("overall")]
        assert (wide["overall_unweighted"] - wide[subs].sum(axis=1)).abs().max() < 1e-4, year


@pytest.mark.shared
def test_sorted_pair_ranks_match_lookup_block(official):
    # The 2011 and 2014 workbooks show Hà Nội's ranks in a look-up block under the table.
    hn = official[2011][official[2011].province == "Hà Nội"].set_index("component")["rank"]
    assert hn.to_dict() == {"overall": 36, "entry_costs": 14, "land_access": 59, "transparency": 31,
                            "time_costs": 57, "informal_charges": 50, "proactivity": 54,
                            "business_support": 1, "labor_training": 8, "legal_institutions": 34}
    hn = official[2014][official[2014].province == "Hà Nội"].set_index("component")["rank"]
    assert hn["overall"] == 26 and hn["policy_bias"] == 60 and hn["business_support"] == 4


def _spotcheck_rows(fname: str) -> list[tuple[str, list[float], int]]:
    path = SPOT_DIR / fname
    if not path.exists():
        pytest.skip(f"../shared/reference-data not present: {path}")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        m = re.match(r"^(.*?[^\d\s.])\s+((?:-?\d+(?:\.\d+)?\s*)+)$", line.strip())
        assert m, f"cannot parse spot-check line {line!r}"
        nums = m.group(2).split()
        out.append((m.group(1).strip(), [float(x) for x in nums[:-1]], int(nums[-1])))
    return out


SUBS_10 = ["entry_costs", "land_access", "transparency", "time_costs", "informal_charges",
           "policy_bias", "proactivity", "business_support", "labor_training", "legal_institutions"]


@pytest.mark.shared
@pytest.mark.parametrize("year,fname", [(2015, "pci2015_pcivietnam_org.txt"),
                                        (2019, "pci2019_pcivietnam_en.txt")])
def test_spotchecks_match_to_two_decimals(official, year, fname):
    rows = _spotcheck_rows(fname)
    assert len(rows) >= 20
    df = official[year]
    for name, nums, rank in rows:
        *subs, pci = nums
        # The 2015 page copy has nine sub-index columns: it leaves out equal competition (policy_bias).
        keys = SUBS_10 if len(subs) == 10 else [k for k in SUBS_10 if k != "policy_bias"]
        assert len(subs) == len(keys), (name, nums)
        ov = _value(df, name, "overall")
        assert round(ov.value, 2) == pytest.approx(pci, abs=0.005), (year, name)
        assert ov["rank"] == rank, (year, name)
        for key, expected in zip(keys, subs):
            got = _value(df, name, key).value
            assert round(got, 2) == pytest.approx(expected, abs=0.005), (year, name, key)


@pytest.mark.shared
def test_printed_names_kept(official):
    printed = set(official[2019].province_as_printed)
    assert {"BRVT", "TT-Hue", "HCMC"} <= printed
    assert _value(official[2019], "TT-Hue", "overall").province == "Thừa Thiên Huế"


# ------------------------------------------------------------------ metadata (offline)


def test_components_and_source_metadata():
    keys = [c.key for c in PCI_COMPONENTS]
    assert len(keys) == len(set(keys))
    for c in PCI_COMPONENTS:
        assert c["unit"] == "score" and c.min == 0 and c.max == (100 if c.key.startswith("overall") else 10)
        assert c.years and c.name_vi and c.name_en and c.description
    assert components_for_year(2005).count("central_policy_implementation") == 1
    assert "policy_bias" in components_for_year(2013) and "policy_bias" not in components_for_year(2012)
    s = source_for(2014)
    assert s["source_id"] == "pci-2014-vcci" and SOURCE[2014] == s
    assert s["publisher"] == "VCCI – Vietnam Chamber of Commerce and Industry"
    assert s["title"] == "PCI 2014 provincial dataset" and s["url"] == "https://pcivietnam.vn"
    assert s["file_name"] == "PCI_2014.xlsx" and SOURCE[2005]["file_name"] == "PCI_2005.xls"
    with pytest.raises(ValueError, match=r"^PCI workbooks are read for 2005-2019, got 2030$"):
        source_for(2030)


# ------------------------------------------------------------------ SYNTHETIC workbooks (offline)

SYN_SUBS_EN = ["Sub-Index 1: Entry Costs", "Sub-Index 2: Land Access & Tenure", "Sub-Index 3: Transparency",
               "Sub-Index 4: Time Costs", "Sub-Index 5: Informal Charges", "Sub-Index 6: Policy Bias",
               "Sub-Index 7: Proactivity", "Sub-Index 8: Business Support Services",
               "Sub-Index 9: Labor Policy", "Sub-Index 10: Law & Order"]


def _names(n: int = 63) -> list[str]:
    return [p.name_ascii for p in list_provinces()][:n]


def _synthetic_wide(path: Path, year: int = 2019, n: int = 63, extra_rows=()) -> Path:
    """SYNTHETIC wide-layout workbook (2017-2019 style); scores are made up."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append(["Province", "Rank", f"The Weighted PCI Score in {year}", *SYN_SUBS_EN])
    for i, name in enumerate(_names(n)):
        ws.append([name, i + 1, 80.0 - i * 0.5, *[round(9.0 - i * 0.05 - j * 0.01, 4) for j in range(10)]])
    ws.append([])
    for row in extra_rows:
        ws.append(row)
    ws.append(["Min", None, 49.0, *[5.0] * 10])
    wb.save(path)
    return path


def _synthetic_pairs(path: Path, year: int = 2014) -> Path:
    """SYNTHETIC sorted-pairs workbook (2013-2016 style) with a decoy 'Summary' sheet of another year."""
    from openpyxl import Workbook

    names = _names()
    labels = ["Gia nhập\n thị trường", "Tiếp cận \nđất đai", "Tính minh bạch", "Chi phí \nthời gian",
              "Chi phí không\n chính thức", "Cạnh tranh bình đẳng", "Tính \nnăng động",
              "Hỗ trợ\n doanh nghiệp", "Đào tạo \nlao động", "Thiết chế\n pháp lý", f"PCI {year}"]
    wb = Workbook()
    for title, yr in (("Summary", year - 1), ("Summary_VN", year)):  # decoy first
        ws = wb.create_sheet(title)
        header = ["Thứ tự", "Tỉnh"]
        for lab in labels[:-1]:
            header += [lab, "Tỉnh"]
        header += [f"PCI {yr}", "Xếp hạng"]
        ws.append(header)
        for i in range(63):
            row = [i + 1]
            for j in range(len(labels)):
                # each pair sorted best-first, different province order per component
                name = names[(i + 7 * j) % 63]
                value = (90.0 if j == len(labels) - 1 else 9.5) - i * 0.05
                row += [name, value]
            row.append(i + 1)  # rank column beside the PCI score
            ws.append(row)
    del wb["Sheet"]
    wb.save(path)
    return path


def test_synthetic_wide_layout(tmp_path):
    path = _synthetic_wide(tmp_path / "PCI_2019_synthetic.xlsx",
                           extra_rows=[["Ha Noi", 1, 80.0, *[9.0] * 10]])  # look-up block: ignored
    df = read_pci_workbook(path)  # year from the file name
    assert df.attrs["layout"] == "wide" and df.attrs["sheet"] == "Summary"
    assert list(df.columns) == COLUMNS
    assert len(df) == 63 * 11 and set(df.year) == {2019}
    assert sorted(df.component.unique()) == sorted(components_for_year(2019))
    ov = df[df.component == "overall"]
    assert ov["rank"].notna().all() and df.loc[df.component != "overall", "rank"].isna().all()
    hn = _value(df, "Hà Nội", "overall")
    assert hn.value == 80.0 and hn["rank"] == 1 and hn.province_as_printed == "Ha Noi"


def test_synthetic_pairs_layout_skips_decoy_sheet(tmp_path):
    path = _synthetic_pairs(tmp_path / "synthetic_pairs.xlsx")
    df = read_pci_workbook(path, year=2014)
    assert df.attrs["layout"] == "pairs" and df.attrs["sheet"] == "Summary_VN"
    assert len(df) == 63 * 11 and df["rank"].notna().all()
    names = _names()
    # entry costs: position i holds names[i]; land (j=1): names[(i + 7) % 63]
    first_land = _value(df, names[7], "land_access")
    assert first_land["rank"] == 1 and first_land.value == 9.5
    assert _value(df, names[10 * 7 % 63], "overall")["rank"] == 1


def test_synthetic_unrecognised_layout_error_names_file_and_sheet(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Tỉnh", "Foo", "Bar"])
    for name in _names(5):
        ws.append([name, 1.0, 2.0])
    path = tmp_path / "PCI_2016_synthetic.xlsx"
    wb.save(path)
    with pytest.raises(PCILayoutError) as exc:
        read_pci_workbook(path)
    msg = str(exc.value)
    assert "PCI_2016_synthetic.xlsx" in msg and "'Data'" in msg and "expected" in msg
    assert isinstance(exc.value, ValueError)


def test_synthetic_missing_subindex_is_an_error(tmp_path):
    from openpyxl import load_workbook

    path = _synthetic_wide(tmp_path / "PCI_2019_synthetic.xlsx")
    wb = load_workbook(path)
    wb["Summary"].delete_cols(9)  # "Sub-Index 6: Policy Bias"
    wb.save(path)
    with pytest.raises(PCILayoutError, match=r"sheet 'Summary'.*missing \['policy_bias'\]"):
        read_pci_workbook(path)


def test_synthetic_wrong_province_count_is_an_error(tmp_path):
    path = _synthetic_wide(tmp_path / "PCI_2019_synthetic.xlsx", n=62)
    with pytest.raises(PCILayoutError, match="expected 63 provinces for PCI 2019, found 62"):
        read_pci_workbook(path)


def test_synthetic_unknown_province_is_an_error(tmp_path):
    from openpyxl import load_workbook

    path = _synthetic_wide(tmp_path / "PCI_2019_synthetic.xlsx")
    wb = load_workbook(path)
    wb["Summary"]["A10"] = "Atlantis"
    wb.save(path)
    with pytest.raises(PCILayoutError, match=r"'Atlantis' is not in the registry"):
        read_pci_workbook(path)


def test_year_must_be_inferable(tmp_path):
    path = _synthetic_wide(tmp_path / "pci_synthetic.xlsx")
    with pytest.raises(PCILayoutError, match="cannot infer the year"):
        read_pci_workbook(path)
    assert len(read_pci_workbook(path, year=2019)) == 63 * 11


# ------------------------------------------------------------------ issue 10: the year inside the file


def _synthetic_wide_titled(path: Path, *, label: str, title: str | None = None, sheet: str = "Summary") -> Path:
    """SYNTHETIC wide workbook with a free score label, an optional title row and sheet name."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title is not None:
        ws.append([title])
        ws.append([])
        ws.append([])
    ws.append(["Province", "Rank", label, *SYN_SUBS_EN])
    for i, name in enumerate(_names()):
        ws.append([name, i + 1, 80.0 - i * 0.5, *[round(9.0 - i * 0.05 - j * 0.01, 4) for j in range(10)]])
    wb.save(path)
    return path


@pytest.mark.parametrize("kwargs, where", [
    ({"label": "The Weighted PCI Score in 2018"}, "column C: 'The Weighted PCI Score in 2018'"),
    ({"label": "Weighted PCI", "title": "BẢNG XẾP HẠNG PCI 2018"}, "cell A1: 'BẢNG XẾP HẠNG PCI 2018'"),
    ({"label": "Weighted PCI", "sheet": "PCI 2018"}, "sheet name 'PCI 2018'"),
])
def test_a_workbook_naming_another_year_than_its_file_is_refused(tmp_path, kwargs, where):
    path = _synthetic_wide_titled(tmp_path / "PCI_2019_synthetic.xlsx", **kwargs)
    sheet = kwargs.get("sheet", "Summary")
    with pytest.raises(PCILayoutError) as err:
        read_pci_workbook(path)
    assert str(err.value) == (
        f"PCI workbook PCI_2019_synthetic.xlsx, sheet {sheet!r}: this is the PCI 2018 summary table ({where}), not "
        "PCI 2019 as the file name says; pass year=2018 if the file holds PCI 2018, or use the PCI 2019 workbook")
    with pytest.raises(PCILayoutError, match=r"not PCI 2019 as year= says"):
        read_pci_workbook(path, year=2019)
    assert len(read_pci_workbook(path, year=2018)) == 63 * 11


def test_columns_and_province_count_point_at_the_years_they_fit(tmp_path):
    path = _synthetic_wide_titled(tmp_path / "synthetic_noyear.xlsx", label="Weighted PCI")
    with pytest.raises(PCILayoutError, match=r"missing \['overall_unweighted', 'state_sector_bias'\], unexpected "
                                             r"\['policy_bias'\] \(these columns fit PCI 2013-2019: is the year "
                                             r"right\?\)"):
        read_pci_workbook(path, year=2008)
    short = _synthetic_wide(tmp_path / "PCI_2019_synthetic.xlsx", n=42)
    with pytest.raises(PCILayoutError, match=r"expected 63 provinces for PCI 2019, found 42 \(42 provinces fit PCI "
                                             r"2005: is the year right\?\)"):
        read_pci_workbook(short)
