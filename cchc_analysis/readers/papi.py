"""Readers for PAPI, the Provincial Governance and Public Administration Performance Index.

PAPI is published by CECODES, VFF-CRT, RTA and UNDP (https://papi.org.vn).  Two kinds of
original file are read:

* the official workbooks (``papi/official/``): :func:`read_papi_workbook` reads the
  multi-year workbook ``PAPI_2011-2019.xlsx`` (sheets ``2011_PAPI`` ... ``2019_PAPI``:
  dimension and sub-dimension scores, English and Vietnamese headers) and the 2019
  indicator workbook ``2019_PAPI_Provincial_indicators2019_VIE_ENG.xlsx`` (official
  *weighted* total with its 95% confidence interval).  :func:`read_papi_official` reads
  both and covers 2011-2019;
* the sub-dimension panel ``papi/subdimensions/2011.csv ... 2024.csv`` (columns
  SC11...SC83, provinces P01-P63) from an MIT-licensed research repository:
  :func:`read_papi_panel`.  Its column labels are wrong for 2011-2017, so every column
  is named through ``label_map_by_year.csv`` (year, column -> official label).

Every reader returns one row per (year, province, component), columns exactly
:data:`COLUMNS`:

``year`` (int), ``province_code`` (GSO code, str), ``province`` (canonical name),
``component`` (str), ``value`` (float), ``rank`` (Int64, always <NA>: these files publish
no ranks), ``province_as_printed`` (str), ``note`` (str or <NA>).

Components (see :data:`PAPI_COMPONENTS`):

* ``overall`` -- unweighted PAPI total = sum of the dimension scores; only when every
  dimension of that year's design is present (6 dimensions 2011-2017, 8 from 2018);
* ``d1_participation`` ... ``d8_egovernance`` -- a dimension = sum of its sub-dimensions
  (the workbook reader checks the sum against the printed dimension score);
* ``d1_participation.civic_knowledge`` etc. -- sub-dimensions, keys derived from the
  official English label of the multi-year workbook;
* ``overall_weighted`` -- the official weighted total (2019 only).

Empty cells mean the province (or some of its dimensions) was excluded that year; no
row is produced for them and nothing is filled.  Known exclusions are listed in
:data:`PAPI_EXCLUSIONS`; any other missing cell raises a warning.

Example
-------
>>> df = read_papi_panel(REFERENCE_DIR / "papi" / "subdimensions", years=[2023])  # doctest: +SKIP
>>> df.query("component == 'overall' and province == 'Hà Nội'")["value"].round(4).item()  # doctest: +SKIP
43.9603
"""

from __future__ import annotations

import csv
import re
import unicodedata
import warnings
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..config import REFERENCE_DIR
from ..provinces import UnknownProvinceError, resolve_province

__all__ = [
    "COLUMNS",
    "PAPI_COMPONENTS",
    "PAPI_BREAKS",
    "PAPI_EXCLUSIONS",
    "SOURCES",
    "read_papi_panel",
    "read_papi_workbook",
    "read_papi_official",
    "build_papi",
    "papi_structure",
    "n_dimensions",
]

COLUMNS = ["year", "province_code", "province", "component", "value", "rank", "province_as_printed", "note"]

PANEL_DIR = REFERENCE_DIR / "papi" / "subdimensions"
OFFICIAL_DIR = REFERENCE_DIR / "papi" / "official"
MULTIYEAR_FILE = "PAPI_2011-2019.xlsx"
INDICATORS_2019_FILE = "2019_PAPI_Provincial_indicators2019_VIE_ENG.xlsx"

#: Tolerance between a printed dimension (or total) and the sum of its parts; the
#: workbooks agree to 3e-6 (float32 storage), so anything larger means a misread layout.
SUM_TOLERANCE = 1e-4

# ---------------------------------------------------------------------------------------
# Components.  Labels are copied from PAPI_2011-2019.xlsx (row 1 English, row 2
# Vietnamese); aliases are the labels of the same columns in the 2019 indicator workbook
# (sheet "2019PAPI_Dims_Sub-dims_ENG"), which the research panel's codebook uses for
# 2020-2024.  Year spans come from the workbook headers (2011-2019) and the panel's label
# map (2020-2024).
# ---------------------------------------------------------------------------------------

# key, official English label, Vietnamese label, first year, last year, aliases
_DIMENSIONS: list[tuple[str, str, str, int, int, tuple[str, ...]]] = [
    ("d1_participation", "Participation at Local Levels", "Tham gia của người dân ở cấp cơ sở", 2011, 2024,
     ("Participation",)),
    ("d2_transparency", "Transparency", "Công khai, minh bạch", 2011, 2024,
     ("Transparency of Local Decision-making",)),
    ("d3_accountability", "Vertical Accountability", "Trách nhiệm giải trình với người dân", 2011, 2024, ()),
    ("d4_corruption_control", "Control of Corruption", "Kiểm soát tham nhũng trong khu vực công", 2011, 2024,
     ("Control of Corruption in the Public Sector",)),
    ("d5_procedures", "Public Administrative Procedures", "Thủ tục hành chính công", 2011, 2024, ()),
    ("d6_service_delivery", "Public Service Delivery", "Cung ứng dịch vụ công", 2011, 2024, ()),
    ("d7_environment", "Environmental Governance", "Quản trị môi trường", 2018, 2024, ()),
    ("d8_egovernance", "E-Governance", "Quản trị điện tử", 2018, 2024, ()),
]

# dimension, key suffix, official English label, Vietnamese label, first, last, aliases
_SUBDIMENSIONS: list[tuple[str, str, str, str, int, int, tuple[str, ...]]] = [
    ("d1_participation", "civic_knowledge", "Civic Knowledge", "Tri thức công dân", 2011, 2024, ()),
    ("d1_participation", "opportunities_for_participation", "Opportunities for Participation", "Cơ hội tham gia",
     2011, 2024, ("Opportunities for Participation in Elections",)),
    ("d1_participation", "quality_of_elections", "Quality of Elections", "Chất lượng bầu cử", 2011, 2017, ()),
    ("d1_participation", "quality_of_local_elections", "Quality of Local Elections", "Chất lượng bầu cử cơ sở",
     2018, 2024, ("Quality of Village Head Elections",)),
    ("d1_participation", "voluntary_contributions", "Voluntary Contributions", "Đóng góp tự nguyện", 2011, 2024, ()),
    ("d2_transparency", "access_to_information", "Access to Information", "Tiếp cận thông tin", 2018, 2024, ()),
    ("d2_transparency", "poverty_lists", "Poverty Lists", "Danh sách hộ nghèo", 2011, 2024,
     ("Poverty List Transparency",)),
    ("d2_transparency", "communal_budget_and_expenditure", "Communal Budget and Expenditure",
     "Thu, chi ngân sách cấp xã/phường", 2011, 2024, ("Communal Budget Transparency",)),
    ("d2_transparency", "land_use_plans_price_frames", "Land-Use Plans/Price Frames",
     "Kế hoạch sử dụng đất, khung giá đền bù", 2011, 2024, ("Transparent Land-Use Plan/Price Frames",)),
    ("d3_accountability", "interactions_with_local_authorities", "Interactions With Local Authorities",
     "Hiệu quả tương tác với các cấp chính quyền", 2011, 2024, ()),
    ("d3_accountability", "peoples_inspection_boards", "People's Inspection Boards",
     "Hiệu quả của Ban Thanh tra Nhân dân", 2011, 2017, ()),
    ("d3_accountability", "community_investment_boards", "Community Investment Boards",
     "Ban Giám sát đầu tư cộng đồng", 2011, 2015, ()),
    ("d3_accountability", "responsive_to_citizen_actions", "Responsive to Citizen Actions",
     "Đáp ứng kiến nghị của người dân", 2016, 2017, ()),
    ("d3_accountability", "local_governments_response_to_citizens_appeals",
     "Local Government’s Response to Citizens’ Appeals", "Giải đáp khiếu nại, tố cáo, khúc mắc của người dân",
     2018, 2024, ("Governments Responsive to Citizen Appeals",)),
    ("d3_accountability", "access_to_justice_services", "Access to Justice Services", "Tiếp cận dịch vụ tư pháp",
     2018, 2024, ()),
    ("d4_corruption_control", "limits_on_public_sector_corruption", "Limits on Public Sector Corruption",
     "Kiểm soát tham nhũng trong chính quyền", 2011, 2024, ("Limits on Corruption in Local Governments",)),
    ("d4_corruption_control", "limits_on_corruption_in_service_delivery", "Limits on Corruption in Service Delivery",
     "Kiểm soát tham nhũng trong cung ứng dịch vụ công", 2011, 2024, ()),
    ("d4_corruption_control", "equity_in_employment", "Equity in Employment",
     "Công bằng trong tuyển dụng vào nhà nước", 2011, 2024, ("Equity in State Employment",)),
    ("d4_corruption_control", "willingness_to_fight_corruption", "Willingness to Fight Corruption",
     "Quyết tâm chống tham nhũng", 2011, 2024, ()),
    ("d5_procedures", "certification_procedures", "Certification Procedures", "Chứng thực/xác nhận", 2011, 2024, ()),
    ("d5_procedures", "construction_permits", "Construction Permits", "Giấy phép xây dựng", 2011, 2020, ()),
    ("d5_procedures", "land_use_rights_procedures", "Land-Use Rights Procedures",
     "Giấy chứng nhận quyền sử dụng đất", 2011, 2024, ("Land Title Procedures", "Land Tittle Procedures")),
    ("d5_procedures", "personal_procedures", "Personal Procedures", "Thủ tục hành chính cấp xã/phường", 2011, 2024, ()),
    ("d6_service_delivery", "public_health", "Public Health", "Y tế công lập", 2011, 2024, ("Public Healthcare",)),
    ("d6_service_delivery", "public_primary_education", "Public Primary Education", "Giáo dục tiểu học công lập",
     2011, 2024, ("Primary Education",)),
    ("d6_service_delivery", "basic_infrastructure", "Basic Infrastructure", "Cơ sở hạ tầng căn bản", 2011, 2024, ()),
    ("d6_service_delivery", "law_and_order", "Law and Order", "An ninh, trật tự", 2011, 2024, ()),
    ("d7_environment", "seriousness_in_environment_protection", "Seriousness in Environment Protection",
     "Nghiêm túc trong bảo vệ môi trường", 2018, 2024, ("Environmental Protection",)),
    ("d7_environment", "quality_of_air", "Quality of Air", "Chất lượng không khí", 2018, 2024, ()),
    ("d7_environment", "quality_of_water", "Quality of Water", "Chất lượng nước", 2018, 2024, ()),
    ("d8_egovernance", "access_to_e_government_portals", "Access to E-government Portals",
     "Sử dụng cổng thông tin điện tử của chính quyền địa phương", 2018, 2024, ()),
    ("d8_egovernance", "access_to_the_internet", "Access to the Internet",
     "Tiếp cận và sử dụng Internet tại địa phương", 2018, 2024, ()),
    # The multi-year workbook prints "E-Reponsiveness" (sic); the key corrects the typo.
    ("d8_egovernance", "e_responsiveness", "E-Reponsiveness", "Phúc đáp qua cổng thông tin điện tử", 2019, 2024,
     ("E-Responsiveness", "E-Responsiveness of Provincial Authorities")),
]

_DIM_ORDER = [d[0] for d in _DIMENSIONS]
_COMPONENT_ORDER = (
    ["overall", "overall_weighted"]
    + _DIM_ORDER
    + [f"{d}.{k}" for d, k, *_ in _SUBDIMENSIONS]
)


def _norm_label(label: object) -> str:
    """Fold a header label for matching: case, curly quotes, whitespace."""
    text = unicodedata.normalize("NFC", str(label)).replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


_DIM_BY_LABEL = {
    _norm_label(lab): key for key, en, _vi, _a, _b, aliases in _DIMENSIONS for lab in (en, *aliases)
}
_SUB_BY_LABEL = {
    _norm_label(lab): f"{dim}.{key}"
    for dim, key, en, _vi, _a, _b, aliases in _SUBDIMENSIONS
    for lab in (en, *aliases)
}
_TOTAL_LABEL = re.compile(r"^un-?weighted", re.I)


def n_dimensions(year: int) -> int:
    """Number of PAPI dimensions in ``year``'s design: 6 for 2011-2017, 8 from 2018."""
    return 6 if year < 2018 else 8


def papi_structure(year: int) -> dict[str, list[str]]:
    """Dimension key -> sub-dimension keys of ``year`` (from the year spans of the files)."""
    out: dict[str, list[str]] = {}
    for dim, _en, _vi, first, last, _al in _DIMENSIONS:
        if first <= year <= last:
            out[dim] = [f"{dim}.{k}" for d, k, _e, _v, a, b, _x in _SUBDIMENSIONS if d == dim and a <= year <= b]
    return out


# Documented sub-dimension scales: each dimension is 1-10, its n sub-dimensions 1/n-10/n,
# printed in the 2018/2019 indicator workbooks as "0.25-2.5", "0.33-3.33", "0.5-5.0 điểm".
_SUB_RANGE = {2: (0.5, 5.0), 3: (0.33, 3.33), 4: (0.25, 2.5)}


def _component_ranges(key: str, years: list[int]) -> list[dict]:
    """Consecutive year spans with one theoretical (min, max)."""
    spans: list[dict] = []
    for y in years:
        if key == "overall" or key == "overall_weighted":
            lo, hi = n_dimensions(y) * 1.0, n_dimensions(y) * 10.0
        elif "." not in key:
            lo, hi = 1.0, 10.0
        else:
            dim = key.split(".")[0]
            lo, hi = _SUB_RANGE[len(papi_structure(y)[dim])]
        if spans and spans[-1]["min"] == lo and spans[-1]["max"] == hi and spans[-1]["years"][1] == y - 1:
            spans[-1]["years"][1] = y
        else:
            spans.append({"years": [y, y], "min": lo, "max": hi})
    return spans


def _build_components() -> list[dict]:
    comps: list[dict] = []

    def add(key, level, dimension, name_vi, name_en, years, description=None):
        ranges = _component_ranges(key, years)
        if description is None:
            description = (
                f"PAPI {level} '{name_en}'"
                + (f" of {dimension}" if level == "sub-dimension" else "")
                + (f"; sum of its sub-dimensions" if level == "dimension" else "")
                + "."
            )
        if len(ranges) > 1:
            description += " Scale by year: " + "; ".join(
                f"{r['years'][0]}-{r['years'][1]}: {r['min']:g}-{r['max']:g}" for r in ranges
            ) + "."
        comps.append({
            "key": key,
            "level": level,
            "dimension": dimension,
            "name_vi": name_vi,
            "name_en": name_en,
            "unit": "score",
            # envelope of the documented ranges over all years; ``ranges`` gives each span
            "min": min(r["min"] for r in ranges),
            "max": max(r["max"] for r in ranges),
            "ranges": ranges,
            "years": years,
            "description": description,
        })

    add("overall", "total", None, "Chỉ số PAPI (không có trọng số)", "Unweighted PAPI Score", list(range(2011, 2025)),
        "Unweighted PAPI total: sum of the dimension scores, 6 dimensions 2011-2017, 8 from 2018 "
        "(the 2018/2019 workbooks print the 8-dimension scale as '10-80 điểm').")
    add("overall_weighted", "total", None, "Chỉ số PAPI tổng hợp (có trọng số)", "Weighted PAPI Score", [2019],
        "Official weighted total, published here for 2019 only (2019 indicator workbook; printed scale "
        "'10-80 điểm', theoretical range of 8 dimensions on 1-10 is 8-80).")
    for key, en, vi, first, last, _al in _DIMENSIONS:
        add(key, "dimension", key, vi, en, list(range(first, last + 1)))
    for dim, key, en, vi, first, last, _al in _SUBDIMENSIONS:
        add(f"{dim}.{key}", "sub-dimension", dim, vi, en, list(range(first, last + 1)))
    return comps


#: One dict per component: key, level ("total", "dimension", "sub-dimension"), dimension,
#: name_vi, name_en, unit ("score"), min, max (envelope of the documented ranges over all
#: years), ranges (each span of years with its own documented range), years present,
#: description.
PAPI_COMPONENTS: list[dict] = _build_components()


def _scale_breaks() -> list[dict]:
    out = []
    for comp in PAPI_COMPONENTS:
        if comp["level"] != "sub-dimension":
            continue
        for prev, cur in zip(comp["ranges"], comp["ranges"][1:]):
            out.append({
                "index": "papi", "component": comp["key"], "year": cur["years"][0], "kind": "scale",
                "description": (
                    f"Sub-dimension scale changed from {prev['min']}-{prev['max']} to {cur['min']}-{cur['max']} "
                    f"because the number of sub-dimensions in {comp['dimension']} changed."
                ),
            })
    return out


#: Breaks shown by the files' headers and label map: index, component, year, kind
#: ("method": definition changed; "scale": sub-dimension range changed), description,
#: source_id (the file that shows it).
PAPI_BREAKS: list[dict] = [
    {"index": "papi", "component": "overall", "year": 2018, "kind": "method",
     "description": "PAPI redesigned from 6 to 8 dimensions (Environmental Governance and E-Governance added); "
                    "the unweighted total moves from a 6-60 to an 8-80 scale and is not comparable across 2017/2018."},
    {"index": "papi", "component": "d1_participation", "year": 2018, "kind": "method",
     "description": "Sub-dimension 'Quality of Elections' (Chất lượng bầu cử) replaced by 'Quality of Local "
                    "Elections' (Chất lượng bầu cử cơ sở)."},
    {"index": "papi", "component": "d2_transparency", "year": 2018, "kind": "method",
     "description": "Sub-dimension 'Access to Information' added (3 -> 4 sub-dimensions)."},
    {"index": "papi", "component": "d3_accountability", "year": 2016, "kind": "method",
     "description": "Sub-dimension 'Community Investment Boards' replaced by 'Responsive to Citizen Actions'."},
    {"index": "papi", "component": "d3_accountability", "year": 2018, "kind": "method",
     "description": "'Responsive to Citizen Actions' and 'People's Inspection Boards' replaced by 'Local "
                    "Government’s Response to Citizens’ Appeals' and 'Access to Justice Services'."},
    {"index": "papi", "component": "d8_egovernance", "year": 2019, "kind": "method",
     "description": "Sub-dimension 'E-Responsiveness' added (2 -> 3 sub-dimensions); 2018 had two."},
    {"index": "papi", "component": "d5_procedures", "year": 2021, "kind": "method",
     "description": "The research panel has no 'Construction Permits' score from 2021 (column SC52 empty for "
                    "every province, absent from label_map_by_year.csv): the dimension is the sum of 3 "
                    "sub-dimensions from 2021. Not checked against an official 2021+ workbook."},
] + _scale_breaks()
for _b in PAPI_BREAKS:  # the files that show each break
    _b["source_id"] = "papi-panel-2011-2024" if _b["year"] >= 2020 else "papi-2011-2019-official"

#: Exclusions seen in the files: year -> GSO code -> dimensions with empty cells
#: (all dimensions = province excluded that year).  Other empty cells raise a warning.
_ALL6 = tuple(_DIM_ORDER[:6])
_ALL8 = tuple(_DIM_ORDER)
PAPI_EXCLUSIONS: dict[int, dict[str, tuple[str, ...]]] = {
    2014: {"24": _ALL6, "87": _ALL6},                        # Bắc Giang, Đồng Tháp
    2018: {"22": ("d2_transparency", "d4_corruption_control"),  # Quảng Ninh
           "87": ("d2_transparency", "d4_corruption_control")},  # Đồng Tháp
    2021: {"22": _ALL8, "24": _ALL8, "27": _ALL8},           # Quảng Ninh, Bắc Giang, Bắc Ninh
    2022: {"24": ("d1_participation", "d2_transparency", "d4_corruption_control", "d5_procedures"),  # Bắc Giang
           "27": ("d2_transparency", "d3_accountability", "d4_corruption_control", "d8_egovernance")},  # Bắc Ninh
    2023: {"22": _ALL8, "74": _ALL8},                        # Quảng Ninh, Bình Dương
    2024: {"26": _ALL8, "82": _ALL8},                        # Vĩnh Phúc, Tiền Giang
}

#: Source metadata, one dict per source id.
SOURCES: list[dict] = [
    {
        "source_id": "papi-2011-2019-official",
        "publisher": "CECODES, VFF-CRT, RTA and UNDP",
        "title": "PAPI 2011-2019: provincial dimension and sub-dimension scores (multi-year workbook)",
        "url": "https://papi.org.vn",
        "file": f"papi/official/{MULTIYEAR_FILE}",
        "licence": "not stated in the workbook (official publication)",
        "years": list(range(2011, 2020)),
        "components": "overall (computed), dimensions, sub-dimensions",
    },
    {
        "source_id": "papi-2019-indicators-official",
        "publisher": "CECODES, VFF-CRT, RTA and UNDP",
        "title": "PAPI 2019 provincial indicators (VIE/ENG): weighted score and 95% confidence intervals",
        "url": "https://papi.org.vn",
        "file": f"papi/official/{INDICATORS_2019_FILE}",
        "licence": "not stated in the workbook (official publication)",
        "years": [2019],
        "components": "overall_weighted",
    },
    {
        "source_id": "papi-panel-2011-2024",
        "publisher": "research repository (copyright Son Hoang, LICENSE.txt); scores by CECODES, VFF-CRT, RTA and UNDP",
        "title": "PAPI sub-dimension scores SC11-SC83 by province P01-P63, 2011-2024, with label_map_by_year.csv",
        "url": "https://papi.org.vn",
        "file": "papi/subdimensions/YYYY.csv (2011-2024) and label_map_by_year.csv",
        "licence": "MIT (research repository)",
        "years": list(range(2011, 2025)),
        "components": "overall (computed), dimensions (computed), sub-dimensions",
    },
]


# ---------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------

def _finish(records: list[dict]) -> pd.DataFrame:
    """Records -> the reader's DataFrame, with dtypes and order of :data:`COLUMNS`."""
    df = pd.DataFrame.from_records(records, columns=COLUMNS)
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    df["rank"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df["note"] = df["note"].astype("object").where(df["note"].notna(), pd.NA)
    order = {k: i for i, k in enumerate(_COMPONENT_ORDER)}
    df = (
        df.assign(_o=df["component"].map(order))
        .sort_values(["year", "province_code", "_o"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    dup = df.duplicated(["year", "province_code", "component"])
    if dup.any():  # pragma: no cover - would be a bug in a reader
        raise RuntimeError(f"duplicate keys: {df.loc[dup, ['year', 'province_code', 'component']].head()}")
    return df


def _aggregate(
    year: int,
    subs: dict[str, dict[str, float]],
    structure: dict[str, list[str]],
) -> dict[str, float]:
    """Sub-dimension values of one province -> dimension sums and overall.

    ``subs`` maps dimension -> {sub-dimension key: value} for non-missing cells; a
    dimension is produced only when all of its sub-dimensions of that year are present,
    the overall only when all dimensions of the year's design are.
    """
    out: dict[str, float] = {}
    for dim, keys in structure.items():
        have = subs.get(dim, {})
        if keys and all(k in have for k in keys):
            out[dim] = float(sum(have[k] for k in keys))
    design = _DIM_ORDER[: n_dimensions(year)]
    if all(d in out for d in design):
        out["overall"] = float(sum(out[d] for d in design))
    return out


def _check_exclusions(year: int, missing: dict[str, set[str]], where: str) -> None:
    """Warn when empty cells differ from :data:`PAPI_EXCLUSIONS`."""
    expected = {code: set(dims) for code, dims in PAPI_EXCLUSIONS.get(year, {}).items()}
    observed = {code: dims for code, dims in missing.items() if dims}
    if observed != expected:
        warnings.warn(
            f"{where}: PAPI {year} empty cells {_fmt_missing(observed)} differ from the documented exclusions "
            f"{_fmt_missing(expected)} (PAPI_EXCLUSIONS). The cells stay missing; check the file and update "
            "PAPI_EXCLUSIONS if the exclusion is genuine.",
            UserWarning,
            stacklevel=3,
        )


def _fmt_missing(m: dict[str, set[str]]) -> str:
    return "{" + ", ".join(f"{c}: {sorted(d)}" for c, d in sorted(m.items())) + "}" if m else "{}"


def _is_missing(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return v.strip() == ""
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _as_float(v: object, where: str) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: expected a number, found {v!r}. Fix the cell or report the layout.") from None


# ---------------------------------------------------------------------------------------
# Research panel
# ---------------------------------------------------------------------------------------

def _read_label_map(path: Path) -> dict[int, dict[str, str]]:
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: label map not found. The panel's own column labels are wrong for 2011-2017, so "
            "read_papi_panel needs label_map_by_year.csv (year, hnks_column, official_subdimension_label) "
            "in the panel folder, or pass label_map=..."
        )
    out: dict[int, dict[str, str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"year", "hnks_column", "official_subdimension_label"}
        if not need <= set(reader.fieldnames or []):
            raise ValueError(f"{path}: columns {reader.fieldnames} lack {sorted(need - set(reader.fieldnames or []))}.")
        for i, r in enumerate(reader, start=2):
            label = r["official_subdimension_label"]
            key = _SUB_BY_LABEL.get(_norm_label(label))
            if key is None:
                raise ValueError(
                    f"{path}, line {i}: unknown sub-dimension label {label!r} (year {r['year']}, column "
                    f"{r['hnks_column']}). Add it as an alias in cchc_analysis/readers/papi.py _SUBDIMENSIONS."
                )
            col = r["hnks_column"].strip()
            m = re.fullmatch(r"SC(\d)(\d)", col)
            if not m or key.split(".")[0] != _DIM_ORDER[int(m.group(1)) - 1]:
                raise ValueError(
                    f"{path}, line {i}: column {col!r} labelled {label!r} ({key}) is not in dimension "
                    f"{m.group(1) if m else '?'}; the label map and the columns disagree."
                )
            year_map = out.setdefault(int(r["year"]), {})
            if col in year_map or key in year_map.values():
                raise ValueError(f"{path}, line {i}: year {r['year']} maps {col} or {key} twice.")
            year_map[col] = key
    return out


def _label_sources(path: Path) -> dict[tuple[int, str], str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {(int(r["year"]), r["hnks_column"]): r.get("label_source", "") for r in csv.DictReader(fh)}


def read_papi_panel(
    folder: str | Path | None = None,
    *,
    years: Iterable[int] | None = None,
    label_map: str | Path | None = None,
) -> pd.DataFrame:
    """Read the research panel of PAPI sub-dimension scores (``2011.csv`` ... ``2024.csv``).

    Parameters
    ----------
    folder : folder holding ``YYYY.csv`` (columns ``Province``, ``SC11`` ... ``SC83``; provinces
        ``P01``-``P63``) and ``label_map_by_year.csv``; default
        ``REFERENCE_DIR/papi/subdimensions``.
    years : years to read; default every ``YYYY.csv`` in ``folder``.
    label_map : path of the label map if not in ``folder``.

    Returns
    -------
    DataFrame with columns :data:`COLUMNS`, one row per (year, province, component):
    sub-dimensions named through the label map, dimension sums, and ``overall`` when every
    dimension of the year's design is present.  Empty cells give no row.

    Raises
    ------
    FileNotFoundError, ValueError
        naming the file and column when the layout is not the expected one.
    """
    folder = Path(folder) if folder is not None else PANEL_DIR
    map_path = Path(label_map) if label_map is not None else folder / "label_map_by_year.csv"
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: PAPI panel folder not found (expected YYYY.csv files and label_map_by_year.csv).")
    lmap = _read_label_map(map_path)
    lsrc = _label_sources(map_path)
    if years is None:
        years = sorted(int(p.stem) for p in folder.glob("*.csv") if re.fullmatch(r"\d{4}", p.stem))
        if not years:
            raise FileNotFoundError(f"{folder}: no YYYY.csv files.")
    records: list[dict] = []
    for year in sorted(set(int(y) for y in years)):
        path = folder / f"{year}.csv"
        if not path.exists():
            raise FileNotFoundError(f"{path}: no panel file for PAPI {year}.")
        if year not in lmap:
            raise ValueError(f"{map_path}: no labels for {year}; add the year's rows (year, hnks_column, label).")
        records += _read_panel_year(path, year, lmap[year], lsrc)
    return _finish(records)


def _read_panel_year(path: Path, year: int, cols: dict[str, str], lsrc: dict) -> list[dict]:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "Province" not in raw.columns:
        raise ValueError(f"{path}: no 'Province' column (found {list(raw.columns)[:5]}...); expected Province, SC11...SC83.")
    unmapped = [c for c in raw.columns if c != "Province" and c not in cols]
    for c in unmapped:
        if (raw[c].str.strip() != "").any():
            raise ValueError(
                f"{path}: column {c} holds values but label_map_by_year.csv has no label for ({year}, {c}). "
                "Add the row to the label map."
            )
    absent = [c for c in cols if c not in raw.columns]
    if absent:
        raise ValueError(f"{path}: label map lists columns {absent} for {year} that the file lacks.")
    codes = raw["Province"].str.strip()
    expected = [f"P{i:02d}" for i in range(1, 64)]
    if sorted(codes) != expected:
        extra = sorted(set(codes) - set(expected))
        lack = sorted(set(expected) - set(codes))
        raise ValueError(
            f"{path}: expected the 63 provinces P01-P63 once each; extra/duplicate {extra or sorted(codes[codes.duplicated()])}, "
            f"missing {lack}."
        )
    # Structure of the year = the labelled columns, grouped by dimension.
    structure: dict[str, list[str]] = {}
    for col, key in sorted(cols.items()):
        structure.setdefault(key.split(".")[0], []).append(key)
    for dim in _DIM_ORDER[: n_dimensions(year)]:
        if dim not in structure:
            raise ValueError(f"{path}: PAPI {year} should have dimension {dim} but the label map gives it no column.")
    codebook_note = {
        col: f"label from label_map_by_year.csv: {lsrc.get((year, col))}"
        for col in cols
        if "official" not in str(lsrc.get((year, col), "")).lower()
    }
    out: list[dict] = []
    missing: dict[str, set[str]] = {}
    for _, row in raw.iterrows():
        printed = row["Province"].strip()
        prov = resolve_province(printed)
        subs: dict[str, dict[str, float]] = {}
        miss: set[str] = set()
        for col, key in cols.items():
            cell = row[col]
            dim = key.split(".")[0]
            if _is_missing(cell):
                miss.add(dim)
                continue
            val = _as_float(cell, f"{path}, row {printed}, column {col}")
            subs.setdefault(dim, {})[key] = val
            out.append(_rec(year, prov, key, val, printed, codebook_note.get(col)))
        missing[prov.code] = miss
        for comp, val in _aggregate(year, subs, structure).items():
            out.append(_rec(year, prov, comp, val, printed, None))
    _check_exclusions(year, missing, str(path))
    return out


def _rec(year, prov, component, value, printed, note) -> dict:
    return {
        "year": int(year),
        "province_code": prov.code,
        "province": prov.name,
        "component": component,
        "value": float(value),
        "rank": pd.NA,
        "province_as_printed": printed,
        "note": note if note else pd.NA,
    }


# ---------------------------------------------------------------------------------------
# Official workbooks
# ---------------------------------------------------------------------------------------

def read_papi_workbook(path: str | Path, *, year: int | None = None) -> pd.DataFrame:
    """Read an official PAPI workbook.

    Two layouts are recognised:

    * **multi-year** (``PAPI_2011-2019.xlsx``, also ``PAPI_2011-2016/2017/2018.xlsx``):
      one sheet ``YYYY_PAPI`` per year; row 1 English labels, row 2 Vietnamese labels,
      columns ``tinhid`` (GSO code), ``tentinh_eng``, ``tentinh_vie``, then each dimension
      followed by its sub-dimensions (2011-2017 end with the unweighted total); the row
      ``999 Highest`` is skipped.  Gives sub-dimensions, dimensions (sum of the
      sub-dimensions, checked against the printed score) and ``overall`` (sum of the
      dimensions, checked against the printed unweighted total where there is one);
    * **2019 indicators** (``2019_PAPI_Provincial_indicators2019_VIE_ENG.xlsx``): the sheet
      whose row 1 holds ``Tinh_ID`` and ``Weighted PAPI Score``; gives ``overall_weighted``
      with the 95% confidence interval and standard error in ``note``.

    Parameters
    ----------
    path : the workbook.
    year : read only this year (multi-year layout); default every year in the file.

    Returns
    -------
    DataFrame with columns :data:`COLUMNS`; ``province_as_printed`` is the Vietnamese name
    printed in the sheet.

    Raises
    ------
    ValueError
        naming the file, sheet and column when the layout is not recognised, a label is
        unknown, a sum disagrees with a printed score or the sheet does not hold 63 provinces.
    """
    import openpyxl

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: workbook not found.")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl errors vary by kind of damage
        raise ValueError(
            f"{path}: cannot be opened as an .xlsx workbook ({type(exc).__name__}: {exc}); download it again, "
            "or open it in Excel/LibreOffice and save it as .xlsx."
        ) from exc
    try:
        year_sheets = {int(m.group(1)): name for name in wb.sheetnames if (m := re.fullmatch(r"(\d{4})_PAPI", name))}
        if year_sheets:
            if year is not None and year not in year_sheets:
                raise ValueError(f"{path}: no sheet '{year}_PAPI' (sheets: {wb.sheetnames}).")
            records: list[dict] = []
            for y in sorted(year_sheets) if year is None else [year]:
                rows = list(wb[year_sheets[y]].iter_rows(values_only=True))
                records += _read_multiyear_sheet(rows, y, f"{path.name}, sheet {year_sheets[y]!r}")
            return _finish(records)
        for name in wb.sheetnames:
            head = next(wb[name].iter_rows(max_row=1, values_only=True), ())
            labels = [str(h).strip() if h is not None else "" for h in head]
            if "Tinh_ID" in labels and "Weighted PAPI Score" in labels:
                sheet_year = int(m.group(1)) if (m := re.match(r"(\d{4})", name)) else 2019
                if year is not None and year != sheet_year:
                    raise ValueError(f"{path}: sheet {name!r} holds PAPI {sheet_year}, not {year}.")
                rows = list(wb[name].iter_rows(values_only=True))
                return _finish(_read_weighted_sheet(rows, sheet_year, f"{path.name}, sheet {name!r}"))
        raise ValueError(
            f"{path}: layout not recognised (sheets {wb.sheetnames}). read_papi_workbook reads the multi-year "
            f"workbook ({MULTIYEAR_FILE}: sheets 'YYYY_PAPI') and the 2019 indicator workbook "
            f"({INDICATORS_2019_FILE}: a sheet with 'Tinh_ID' and 'Weighted PAPI Score'). Single-year files "
            f"such as PAPI_2011_eng.xlsx hold the same scores as {MULTIYEAR_FILE}: read that instead."
        )
    finally:
        wb.close()


def _col_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def _province_from(code: object, names: Iterable[object], where: str):
    """Resolve a province from the printed GSO code and names; all must agree."""
    try:
        by_code = resolve_province(f"{int(code):02d}")
    except (TypeError, ValueError, UnknownProvinceError):
        raise ValueError(f"{where}: province id {code!r} is not a GSO province code.") from None
    for name in names:
        if _is_missing(name):
            continue
        try:
            by_name = resolve_province(str(name))
        except UnknownProvinceError as exc:
            raise ValueError(
                f"{where}: province name {name!r} is not recognised ({exc}). Add the spelling to the aliases "
                "column of cchc_analysis/registry/provinces_legacy.csv (row of GSO code "
                f"{by_code.code}, {by_code.name})."
            ) from None
        if by_name.code != by_code.code:
            raise ValueError(f"{where}: id {code!r} is {by_code.name} but the name {name!r} is {by_name.name}.")
    return by_code


def _read_multiyear_sheet(rows: list[tuple], year: int, where: str) -> list[dict]:
    if len(rows) < 3:
        raise ValueError(f"{where}: fewer than 3 rows; expected English labels, Vietnamese labels, provinces.")
    head = [h if h is None else str(h).strip() for h in rows[0]]
    if [_norm_label(h) for h in head[:3]] != ["tinhid", "tentinh_eng", "tentinh_vie"]:
        raise ValueError(
            f"{where}: row 1 starts {head[:3]}, expected ['tinhid', 'tentinh_eng', 'tentinh_vie'] "
            "(multi-year PAPI layout)."
        )
    # Walk the header: a dimension label opens a block of sub-dimension labels.
    cols: dict[int, str] = {}  # column index -> component key (dimension or sub-dimension)
    total_col: int | None = None
    current: str | None = None
    for i, label in enumerate(head[3:], start=3):
        if label is None or label == "":
            continue
        norm = _norm_label(label)
        if norm in _DIM_BY_LABEL:
            current = _DIM_BY_LABEL[norm]
            cols[i] = current
        elif _TOTAL_LABEL.match(norm):
            total_col = i
        elif norm in _SUB_BY_LABEL:
            key = _SUB_BY_LABEL[norm]
            if current is None or key.split(".")[0] != current:
                raise ValueError(
                    f"{where}, column {_col_letter(i)}: sub-dimension {label!r} ({key}) is not under its dimension "
                    f"(current dimension: {current}). The layout differs from the multi-year PAPI workbook."
                )
            cols[i] = key
        else:
            raise ValueError(
                f"{where}, column {_col_letter(i)}: unknown label {label!r}. Add it to _DIMENSIONS or "
                "_SUBDIMENSIONS (as an alias) in cchc_analysis/readers/papi.py if it is a renamed component."
            )
    structure: dict[str, list[str]] = {}
    for key in cols.values():
        if "." in key:
            structure.setdefault(key.split(".")[0], []).append(key)
    design = _DIM_ORDER[: n_dimensions(year)]
    got_dims = [k for k in cols.values() if "." not in k]
    if got_dims != design or any(d not in structure for d in design):
        raise ValueError(
            f"{where}: dimensions {got_dims} (with sub-dimensions for {sorted(structure)}); PAPI {year} has "
            f"{design}."
        )
    out: list[dict] = []
    missing: dict[str, set[str]] = {}
    seen: set[str] = set()
    for r_i, row in enumerate(rows[2:], start=3):
        row = tuple(row) + (None,) * (len(head) - len(row))
        code = row[0]
        if _is_missing(code):
            if any(not _is_missing(v) for v in row):
                raise ValueError(f"{where}, row {r_i}: values without a province id in column A.")
            continue
        if code == 999:  # "Highest" / "Điểm cao nhất"
            continue
        rwhere = f"{where}, row {r_i}"
        prov = _province_from(code, row[1:3], rwhere)
        if prov.code in seen:
            raise ValueError(f"{rwhere}: {prov.name} appears twice.")
        seen.add(prov.code)
        printed = str(row[2]).strip() if not _is_missing(row[2]) else str(row[1]).strip()
        subs: dict[str, dict[str, float]] = {}
        printed_dims: dict[str, float] = {}
        miss: set[str] = set()
        for i, key in cols.items():
            cell = row[i]
            if _is_missing(cell):
                if "." in key:
                    miss.add(key.split(".")[0])
                continue
            val = _as_float(cell, f"{rwhere}, column {_col_letter(i)}")
            if "." in key:
                subs.setdefault(key.split(".")[0], {})[key] = val
                out.append(_rec(year, prov, key, val, printed, None))
            else:
                printed_dims[key] = val
        agg = _aggregate(year, subs, structure)
        for dim in design:
            if (dim in agg) != (dim in printed_dims):
                raise ValueError(
                    f"{rwhere} ({prov.name}): dimension {dim} is {'printed' if dim in printed_dims else 'empty'} "
                    f"but its sub-dimensions are {'complete' if dim in agg else 'incomplete'}."
                )
            if dim in agg and abs(agg[dim] - printed_dims[dim]) > SUM_TOLERANCE:
                raise ValueError(
                    f"{rwhere} ({prov.name}): {dim} printed {printed_dims[dim]!r} but its sub-dimensions sum to "
                    f"{agg[dim]!r}; columns may be misaligned."
                )
        if total_col is not None and "overall" in agg:
            total = row[total_col]
            if _is_missing(total) or abs(_as_float(total, rwhere) - agg["overall"]) > SUM_TOLERANCE:
                raise ValueError(
                    f"{rwhere} ({prov.name}), column {_col_letter(total_col)} ({head[total_col]!r}): printed total "
                    f"{total!r} differs from the sum of dimensions {agg['overall']!r}."
                )
        # (2014 prints a total of 0 for the two excluded provinces: it is not read.)
        missing[prov.code] = miss
        for comp, val in agg.items():
            out.append(_rec(year, prov, comp, val, printed, None))
    if len(seen) != 63:
        raise ValueError(f"{where}: {len(seen)} provinces, expected 63 (the 63 provinces of 2008-2025).")
    _check_exclusions(year, missing, where)
    return out


def _read_weighted_sheet(rows: list[tuple], year: int, where: str) -> list[dict]:
    head = [str(h).strip() if h is not None else "" for h in rows[0]]
    need = ["Tinh_ID", "Weighted PAPI Score", "PAPI 95% CI Low", "PAPI 95% CI High", "PAPI Standard Error"]
    lack = [n for n in need if n not in head]
    if lack:
        raise ValueError(f"{where}: row 1 lacks columns {lack}; found {head[:12]}...")
    ix = {n: head.index(n) for n in need}
    name_ix = 1
    out: list[dict] = []
    seen: set[str] = set()
    for r_i, row in enumerate(rows[1:], start=2):
        if _is_missing(row[ix["Tinh_ID"]]):
            continue
        rwhere = f"{where}, row {r_i}"
        prov = _province_from(row[ix["Tinh_ID"]], [row[name_ix]], rwhere)
        if prov.code in seen:
            raise ValueError(f"{rwhere}: {prov.name} appears twice.")
        seen.add(prov.code)
        val = row[ix["Weighted PAPI Score"]]
        if _is_missing(val):
            continue
        lo, hi, se = (row[ix[n]] for n in need[2:])
        note = (
            f"official weighted score; 95% CI [{_as_float(lo, rwhere):.4f}, {_as_float(hi, rwhere):.4f}], "
            f"standard error {_as_float(se, rwhere):.4f}"
        )
        out.append(_rec(year, prov, "overall_weighted", _as_float(val, rwhere), str(row[name_ix]).strip(), note))
    if len(seen) != 63:
        raise ValueError(f"{where}: {len(seen)} provinces, expected 63.")
    return out


def read_papi_official(
    folder: str | Path | None = None,
    *,
    years: Iterable[int] | None = None,
    include_weighted: bool = True,
) -> pd.DataFrame:
    """PAPI 2011-2019 from the official workbooks: the multi-year workbook, plus the 2019
    weighted total from the 2019 indicator workbook.

    Parameters
    ----------
    folder : default ``REFERENCE_DIR/papi/official``.
    years : subset of 2011-2019; default all.
    include_weighted : add ``overall_weighted`` (2019) from the indicator workbook.
    """
    folder = Path(folder) if folder is not None else OFFICIAL_DIR
    df = read_papi_workbook(folder / MULTIYEAR_FILE)
    parts = [df]
    if include_weighted and (years is None or 2019 in set(years)):
        parts.append(read_papi_workbook(folder / INDICATORS_2019_FILE))
    out = _finish(pd.concat(parts, ignore_index=True).to_dict("records"))
    if years is not None:
        out = out[out["year"].isin(set(int(y) for y in years))].reset_index(drop=True)
    return out


def build_papi(papi_dir: str | Path | None = None, *, log: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """PAPI for the project's indicator tables: official workbooks for 2011-2019, the
    research panel for 2020 onwards.

    The panel's 2011-2019 rows are read too and compared with the official ones; any
    difference above 1e-6 or any key present in only one of them raises.

    Parameters
    ----------
    papi_dir : folder with ``official/`` and ``subdimensions/``; default ``REFERENCE_DIR/papi``.
    log : list to which one line per source is appended.

    Returns
    -------
    (tidy, sources): tidy has :data:`COLUMNS` plus ``source_id``; sources has one row per
    :data:`SOURCES` entry used.
    """
    papi_dir = Path(papi_dir) if papi_dir is not None else REFERENCE_DIR / "papi"
    log = log if log is not None else []
    official = read_papi_official(papi_dir / "official")
    official["source_id"] = official["component"].map(
        lambda c: "papi-2019-indicators-official" if c == "overall_weighted" else "papi-2011-2019-official"
    )
    panel = read_papi_panel(papi_dir / "subdimensions")
    key = ["year", "province_code", "component"]
    official_years = set(official["year"])
    both = panel[panel["year"].isin(official_years)].merge(
        official[official["component"] != "overall_weighted"], on=key, how="outer", indicator=True
    )
    if (both["_merge"] != "both").any():
        odd = both.loc[both["_merge"] != "both", key + ["_merge"]].head(5).to_string(index=False)
        raise ValueError(f"PAPI panel and official workbooks hold different keys for {sorted(official_years)}:\n{odd}")
    diff = float((both["value_x"] - both["value_y"]).abs().max())
    if diff > 1e-6:
        raise ValueError(f"PAPI panel differs from the official workbooks by up to {diff:.3g} for 2011-2019.")
    later = panel[~panel["year"].isin(official_years)].assign(source_id="papi-panel-2011-2024")
    tidy = pd.concat([official, later], ignore_index=True)
    for sid, part in tidy.groupby("source_id"):
        log.append(f"PAPI {sid}: {len(part)} rows, years {part['year'].min()}-{part['year'].max()}")
    log.append(f"PAPI panel 2011-2019 equals the official workbooks (max abs diff {diff:.2g})")
    src = pd.DataFrame([{k: v for k, v in s.items() if k not in ("years", "components")} for s in SOURCES])
    src["note"] = [f"years {s['years'][0]}-{s['years'][-1]}; {s['components']}" for s in SOURCES]
    return tidy, src
