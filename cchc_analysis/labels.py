"""Every string a chart shows, in Vietnamese (``"vi"``) and English (``"en"``).

Charts never hard-code display text: titles, axis labels, legend entries and target
status words come from here, so one ``lang=`` switch changes all of them.  The module
imports nothing heavy (no pandas, no matplotlib).

Text is returned in Unicode NFC form: Vietnamese typed or pasted in decomposed form
(base letter + combining marks) would otherwise be drawn with misplaced diacritics,
because matplotlib does no text shaping.

Examples
--------
>>> text("year", "en")
'Year'
>>> status_label("not met", "vi")
'Không đạt'
>>> format_number(65.25, "vi", decimals=2)
'65,25'
>>> format_years([2019, 2020, 2021, 2023])
'2019–2021, 2023'
"""

from __future__ import annotations

import textwrap
import unicodedata
from functools import lru_cache
from typing import Iterable

__all__ = [
    "LANGS",
    "STATUSES",
    "TEXT",
    "STATUS_WORDS",
    "COEFFICIENT_NAMES",
    "check_lang",
    "nfc",
    "text",
    "status_label",
    "index_label",
    "component_label",
    "series_label",
    "measure_label",
    "value_axis_label",
    "gap_unit_label",
    "province_label",
    "region_label",
    "format_number",
    "format_years",
    "wrap",
    "COLUMN_LABELS",
    "VALUE_WORDS",
    "column_label",
    "value_word",
]

LANGS: tuple[str, ...] = ("vi", "en")

#: Target statuses produced by ``assess_targets``, in display order (best first).
STATUSES: tuple[str, ...] = ("met", "on track", "off track", "not met", "no data", "not measurable")

STATUS_WORDS: dict[str, dict[str, str]] = {
    "met": {"vi": "Đạt", "en": "Met"},
    "on track": {"vi": "Đúng tiến độ", "en": "On track"},
    "off track": {"vi": "Chậm tiến độ", "en": "Off track"},
    "not met": {"vi": "Không đạt", "en": "Not met"},
    "no data": {"vi": "Chưa có số liệu", "en": "No data"},
    "not measurable": {"vi": "Không đo được", "en": "Not measurable"},
}

# Keys are used by the chart functions; ``{field}`` placeholders are filled by :func:`text`.
TEXT: dict[str, dict[str, str]] = {
    # axes
    "year": {"vi": "Năm", "en": "Year"},
    "score": {"vi": "Điểm", "en": "Score"},
    "percent": {"vi": "Tỷ lệ (%)", "en": "Per cent"},
    "index_0_1": {"vi": "Điểm (0–1)", "en": "Score (0–1)"},
    "count": {"vi": "Số lượng", "en": "Number"},
    "days": {"vi": "Số ngày", "en": "Days"},
    "hours": {"vi": "Số giờ", "en": "Hours"},
    "months": {"vi": "Số tháng", "en": "Months"},
    "places": {"vi": "Số bậc tăng (+) / giảm (−)", "en": "Places gained (+) or lost (−)"},
    "papi_total": {"vi": "Điểm (tổng không trọng số)", "en": "Score (unweighted total)"},
    "increase_pp": {"vi": "Mức tăng (điểm %)", "en": "Increase (percentage points)"},
    "increase_points": {"vi": "Mức tăng (điểm)", "en": "Increase (points)"},
    "increase_unit": {"vi": "Mức tăng ({unit})", "en": "Increase ({unit})"},
    "rank": {"vi": "Thứ hạng", "en": "Rank"},
    "rank_axis": {"vi": "Thứ hạng (1 = cao nhất)", "en": "Rank (1 = best)"},
    "percentile": {"vi": "Bách phân vị (100 = tốt nhất)", "en": "Percentile (100 = best)"},
    "province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "region": {"vi": "Vùng", "en": "Region"},
    # legend entries
    "national_median": {"vi": "Trung vị cả nước", "en": "National median"},
    "region_iqr": {"vi": "{region}: 25–75% số tỉnh", "en": "{region}: middle 50% of provinces"},
    "region_minmax": {"vi": "{region}: thấp nhất – cao nhất", "en": "{region}: lowest to highest"},
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "target_by": {"vi": "Mục tiêu {year}", "en": "Target for {year}"},
    "target_zone": {"vi": "Vùng đạt mục tiêu", "en": "Target met in this zone"},
    "actual": {"vi": "Thực tế", "en": "Actual"},
    "series_break": {"vi": "Gián đoạn chuỗi số liệu", "en": "Series break (not comparable)"},
    "other_provinces": {"vi": "Các tỉnh khác", "en": "Other provinces"},
    "no_data": {"vi": "không có số liệu", "en": "no data"},
    "missing_cell": {"vi": "Ô xám: không có số liệu", "en": "Grey cell: no data"},
    "break_line": {
        "vi": "Đường chấm dọc: gián đoạn chuỗi số liệu ({years})",
        "en": "Dotted vertical line: series break ({years})",
    },
    "other_region": {"vi": "Khác", "en": "Other"},
    "rank_of": {"vi": "hạng {rank}/{n}", "en": "rank {rank} of {n}"},
    "correlation": {"vi": "{coef} = {r} (n = {n})", "en": "{coef} = {r} (n = {n})"},
    "better_right": {"vi": "→ tốt hơn", "en": "better →"},
    "ranks_from_scores": {
        "vi": "Thứ hạng tính từ điểm số",
        "en": "Ranks computed from scores",
    },
    "papi_note": {
        "vi": "PAPI: tổng không trọng số của điểm các chỉ số nội dung",
        "en": "PAPI: unweighted total of the dimension scores",
    },
    "papi_ranks_note": {
        "vi": "PAPI: tổng không trọng số của điểm các chỉ số nội dung; PAPI không công bố thứ hạng, "
        "thứ hạng tính từ điểm (đồng điểm cùng hạng)",
        "en": "PAPI: unweighted total of the dimension scores; PAPI publishes no ranks, ranks computed "
        "from the scores (ties share a rank)",
    },
    # captions
    "source_one": {"vi": "Nguồn: {sources}", "en": "Source: {sources}"},
    "source_many": {"vi": "Nguồn: {sources}", "en": "Sources: {sources}"},
    # titles
    "title_trend": {"vi": "{province}: {series}", "en": "{province}: {series}"},
    "title_trend_rank": {"vi": "{province}: thứ hạng {series}", "en": "{province}: {series} rank"},
    "title_bump": {"vi": "{series}: thứ hạng các tỉnh, {years}", "en": "{series}: provincial ranks, {years}"},
    "title_heatmap_rank": {"vi": "{series}: thứ hạng theo tỉnh và năm", "en": "{series}: rank by province and year"},
    "title_heatmap_value": {"vi": "{series}: điểm theo tỉnh và năm", "en": "{series}: score by province and year"},
    "title_gaps": {"vi": "Mục tiêu và kết quả: {province}", "en": "Targets and results: {province}"},
    "title_gaps_all": {"vi": "Mục tiêu và kết quả", "en": "Targets and results"},
    "title_scatter": {"vi": "{x} và {y}, {year}", "en": "{x} and {y}, {year}"},
    "title_profile": {"vi": "{province}: vị trí trên các chỉ số", "en": "{province} across the indices"},
    "title_region": {"vi": "{series} {year} theo vùng", "en": "{series} {year} by region"},
    # alt texts (accessibility; written beside saved figures)
    "alt_trend": {
        "vi": "Biểu đồ đường: {series} của {province}, {years}{extras}.",
        "en": "Line chart of {province}'s {series}, {years}{extras}.",
    },
    "alt_trend_median": {"vi": ", so với trung vị cả nước", "en": ", against the national median"},
    "alt_trend_band": {"vi": " và khoảng giá trị của vùng {region}", "en": " and the range of the {region} region"},
    "alt_trend_target": {"vi": "; mục tiêu {target}", "en": "; target {target}"},
    "alt_trend_break": {"vi": "; gián đoạn chuỗi số liệu năm {years}", "en": "; series breaks in {years}"},
    "alt_bump": {
        "vi": "Biểu đồ thứ hạng {series} của {n} tỉnh, {years}; làm nổi bật {provinces}.",
        "en": "Bump chart of {series} ranks for {n} provinces, {years}, highlighting {provinces}.",
    },
    "alt_heatmap": {
        "vi": "Bản đồ nhiệt {measure} {series} của {n} tỉnh theo vùng, {years}.",
        "en": "Heat map of {series} {measure} for {n} provinces grouped by region, {years}.",
    },
    "alt_gaps": {
        "vi": "Biểu đồ so sánh mục tiêu và kết quả của {n} mục tiêu: {summary}.",
        "en": "Dumbbell chart of {n} targets against results: {summary}.",
    },
    "alt_scatter": {
        "vi": "Biểu đồ phân tán {x} và {y} năm {year} của {n} tỉnh; hệ số tương quan {r}.",
        "en": "Scatter plot of {x} against {y} in {year} for {n} provinces; correlation {r}.",
    },
    "alt_profile": {
        "vi": "Biểu đồ điểm: vị trí của {province} trên {n} chỉ số so với các tỉnh khác.",
        "en": "Dot plot of {province}'s standing on {n} indices against the other provinces.",
    },
    "alt_region": {
        "vi": "Biểu đồ hộp {series} năm {year} theo {n} vùng, mỗi điểm là một tỉnh.",
        "en": "Box plot of {series} in {year} across {n} regions, one dot per province.",
    },
    # maps (cchc_analysis.maps)
    "no_published_figure": {"vi": "không có số liệu công bố", "en": "no published figure"},
    "map_title": {"vi": "{series} {year}", "en": "{series} {year}"},
    "map_title_rank": {"vi": "{series} {year}: thứ hạng", "en": "{series} {year}: rank"},
    "map_title_grid": {"vi": "{series}, {years}", "en": "{series}, {years}"},
    "map_rank_scale": {"vi": "Thứ hạng trên {n}\n(1 = cao nhất)", "en": "Rank of {n}\n(1 = best)"},
    "map_units_legacy": {
        "vi": "Bản đồ 63 tỉnh, thành phố (ranh giới đến 30/6/2025).",
        "en": "Map of the 63 provinces (boundaries to 30 June 2025).",
    },
    "map_units_2025": {
        "vi": "Bản đồ 34 tỉnh, thành phố (từ 1/7/2025).",
        "en": "Map of the 34 provinces (from 1 July 2025).",
    },
    "hoang_sa": {"vi": "QĐ. Hoàng Sa\n(TP. Đà Nẵng)", "en": "Hoang Sa (Paracel)\narchipelago (Da Nang)"},
    "truong_sa": {"vi": "QĐ. Trường Sa\n(tỉnh Khánh Hòa)", "en": "Truong Sa (Spratly)\narchipelago (Khanh Hoa)"},
    "map_meets": {"vi": "Đạt mức {target}", "en": "Meets {target}"},
    "map_misses": {"vi": "Chưa đạt mức {target}", "en": "Short of {target}"},
    "map_top": {"vi": "nhóm {n} đứng đầu", "en": "the top {n}"},
    "map_in_top": {"vi": "Trong nhóm {n} đứng đầu", "en": "In the top {n}"},
    "map_out_top": {"vi": "Ngoài nhóm {n} đứng đầu", "en": "Outside the top {n}"},
    "map_gain": {"vi": "tăng ít nhất {n} bậc", "en": "a gain of {n} places or more"},
    "map_count": {"vi": "{label}: {n} tỉnh", "en": "{label}: {n} provinces"},
    "map_count_one": {"vi": "{label}: 1 tỉnh", "en": "{label}: 1 province"},
    "map_title_target": {
        "vi": "{series} {year}: tỉnh nào đạt mức {target} (mục tiêu của {province})?",
        "en": "{series} {year}: which provinces meet {target} ({province}'s target)?",
    },
    "map_title_target_top": {
        "vi": "{series} {year}: tỉnh nào trong nhóm {n} đứng đầu (mục tiêu của {province})?",
        "en": "{series} {year}: which provinces are in the top {n} ({province}'s target)?",
    },
    "alt_map": {
        "vi": "Bản đồ {series} năm {year}, {n} tỉnh, thành phố; {missing} không có số liệu công bố{extremes}.",
        "en": "Map of {series} in {year} for {n} provinces; {missing} without a published figure{extremes}.",
    },
    "alt_map_extremes": {"vi": "; tốt nhất: {best}; kém nhất: {worst}", "en": "; best: {best}; worst: {worst}"},
    "alt_map_grid": {
        "vi": "Các bản đồ {series} theo năm ({years}), cùng một thang màu; {n} tỉnh, thành phố.",
        "en": "Maps of {series} by year ({years}) on one colour scale; {n} provinces.",
    },
    "alt_map_target": {
        "vi": "Bản đồ {series} năm {year}: {met} tỉnh đạt mức {target} (mục tiêu của {province}), {not_met} chưa đạt, "
        "{missing} không có số liệu công bố.",
        "en": "Map of {series} in {year}: {met} provinces meet {target} ({province}'s target), {not_met} do not, "
        "{missing} have no published figure.",
    },
}

#: Names of the correlation coefficients, printed beside every coefficient (tables and charts).
COEFFICIENT_NAMES: dict[str, str] = {"spearman": "Spearman ρ", "kendall": "Kendall τ-b", "pearson": "Pearson r"}

# Short index names for titles and axes (the long names live in cchc_analysis.schema.INDICES).
INDEX_SHORT: dict[str, dict[str, str]] = {
    "par": {"vi": "PAR Index", "en": "PAR Index"},
    "sipas": {"vi": "SIPAS", "en": "SIPAS"},
    "papi": {"vi": "PAPI", "en": "PAPI"},
    "pci": {"vi": "PCI", "en": "PCI"},
    "dti": {"vi": "DTI", "en": "DTI"},
    "svc766": {"vi": "Chỉ số phục vụ (QĐ 766)", "en": "Service index (Decision 766)"},
    "ict": {"vi": "Chỉ số ứng dụng CNTT", "en": "ICT application index"},
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is ``"vi"`` or ``"en"``, else raise ValueError."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'vi' or 'en', got {lang!r}")
    return lang


def nfc(value: object) -> str:
    """``str(value)`` in Unicode NFC form (precomposed Vietnamese letters)."""
    return unicodedata.normalize("NFC", str(value))


def text(key: str, lang: str, **fields: object) -> str:
    """The display string ``key`` in ``lang``, with ``{fields}`` filled in.

    >>> text("rank_of", "vi", rank=12, n=63)
    'hạng 12/63'
    """
    check_lang(lang)
    try:
        entry = TEXT[key]
    except KeyError:
        raise KeyError(f"no label {key!r} in cchc_analysis.labels.TEXT") from None
    return nfc(entry[lang].format(**fields))


def status_label(status: str, lang: str) -> str:
    """The status word for a target status (``"met"``, ``"not met"``, ...)."""
    check_lang(lang)
    try:
        return STATUS_WORDS[status][lang]
    except KeyError:
        raise ValueError(f"unknown target status {status!r}; expected one of {list(STATUSES)}") from None


def index_label(index: str, lang: str, *, long: bool = False) -> str:
    """Display name of an index: ``"PCI"`` (short) or the full name (``long=True``)."""
    check_lang(lang)
    key = str(index).lower()
    if long:
        from .schema import INDICES

        if key in INDICES:
            return nfc(INDICES[key][f"name_{lang}"])
    if key in INDEX_SHORT:
        return INDEX_SHORT[key][lang]
    return nfc(index).upper()


@lru_cache(maxsize=None)
def _component_names() -> dict[tuple[str, str], tuple[str, str]]:
    """(index, component) -> (name_vi, name_en) from the bundled component table, if any."""
    try:
        from .indicators import load_components

        table = load_components()
    except Exception:  # no bundled data (tests, fresh checkout): fall back to the key
        return {}
    out = {}
    for row in table.itertuples(index=False):
        out[(str(row.index), str(row.component))] = (str(row.name_vi), str(row.name_en))
    return out


def component_label(index: str, component: str, lang: str) -> str:
    """Display name of a component.  ``"overall"`` gives an empty string.

    Names come from ``load_components()`` when the bundled data is present; otherwise
    the key is shown with underscores as spaces.
    """
    check_lang(lang)
    if component in (None, "overall"):
        return ""
    names = _component_names().get((str(index), str(component)))
    if names is not None:
        return nfc(names[0] if lang == "vi" else names[1])
    return nfc(str(component).replace("_", " "))


def series_label(index: str, component: str, lang: str) -> str:
    """``"PCI"`` or ``"PCI – Tính minh bạch"``: an index with its component."""
    comp = component_label(index, component, lang)
    name = index_label(index, lang)
    return f"{name} – {comp}" if comp else name


def measure_label(measure: str, lang: str, *, unit: str | None = None, index: str | None = None,
                  component: str | None = None) -> str:
    """Axis label for ``measure`` ("value", "rank" or "percentile")."""
    if measure == "rank":
        return text("rank_axis", lang)
    if measure == "percentile":
        return text("percentile", lang)
    if measure == "value":
        return value_axis_label(unit, lang, index=index, component=component)
    raise ValueError(f"measure must be 'value', 'rank' or 'percentile', got {measure!r}")


_UNIT_KEYS = {
    "percent": "percent", "%": "percent", "index_0_1": "index_0_1", "score": "score",
    "count": "count", "days": "days", "hours": "hours", "months": "months", "places": "places",
    "rank": "rank_axis",
}


def value_axis_label(unit: str | None, lang: str, *, index: str | None = None, component: str | None = None) -> str:
    """Axis label for a value in ``unit``: the indicator units (``score``, ``percent``,
    ``index_0_1``) and the target units (``%``, ``rank``, ``places``, ``count``, ``days``,
    ``hours``, ``months``).  Unknown or missing units give "Điểm"/"Score".  The PAPI total
    (``index="papi"``, component overall) is labelled as the unweighted total it is."""
    check_lang(lang)
    if index is not None and str(index).lower() == "papi" and component in (None, "overall"):
        return text("papi_total", lang)
    return text(_UNIT_KEYS.get(str(unit), "score"), lang)


_GAP_UNITS = {
    "percentage points": {"vi": "điểm %", "en": "pp"},
    "places": {"vi": "bậc", "en": "places"},
    "points": {"vi": "điểm", "en": "points"},
}


def gap_unit_label(unit: str | None, lang: str) -> str:
    """Short unit of a gap (``assess_targets``' ``gap_unit``): a gap on a % target is in
    percentage points, "điểm %" / "pp", never "%".

    >>> gap_unit_label("percentage points", "vi"), gap_unit_label("places", "en")
    ('điểm %', 'places')
    """
    check_lang(lang)
    if unit is None or unit != unit:  # None or NaN
        return ""
    return _GAP_UNITS.get(str(unit), {}).get(lang, nfc(unit))


def province_label(name: str, lang: str, *, boundaries: str = "legacy") -> str:
    """A province as shown on charts: canonical Vietnamese name, or English for ``"en"``.

    Names or codes the registry does not know are returned as given (in NFC).
    """
    check_lang(lang)
    from .provinces import UnknownProvinceError, resolve_province

    try:
        unit = resolve_province(str(name), boundaries=boundaries)  # type: ignore[arg-type]
    except (UnknownProvinceError, ValueError):
        return nfc(name)
    return nfc(unit.name if lang == "vi" else unit.name_en)


def region_label(region: str | None, lang: str) -> str:
    """Display name of a region key; ``None`` gives "Khác"/"Other"."""
    from .provinces import region_names

    if region is None or region != region:  # None or NaN
        return text("other_region", lang)
    return nfc(region_names(lang).get(region, region))


def format_number(value: float, lang: str, *, decimals: int = 1) -> str:
    """A number with the separators of ``lang`` (Babel, CLDR): ``1.065,3`` (vi) or ``1,065.3`` (en)."""
    check_lang(lang)
    from .formatting import format_decimal

    return format_decimal(value, lang, decimals=decimals)


def format_years(years: Iterable[int]) -> str:
    """Compress years into ranges: ``[2019, 2020, 2021, 2023]`` -> ``"2019–2021, 2023"``."""
    ys = sorted({int(y) for y in years})
    parts: list[str] = []
    start = prev = None
    for y in ys:
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = prev = y
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}–{prev}")
    return ", ".join(parts)


def wrap(value: str, width: int) -> str:
    """Wrap text to lines of at most ``width`` characters (never breaking words)."""
    return "\n".join(textwrap.wrap(nfc(value), width=width, break_long_words=False)) or nfc(value)


# --------------------------------------------------------------------------- report tables

#: Human headers of the columns the report tables show (:mod:`cchc_analysis.page`), by column key.
COLUMN_LABELS: dict[str, dict[str, str]] = {
    "index": {"vi": "Chỉ số", "en": "Index"},
    "series": {"vi": "Chỉ số", "en": "Index"},
    "component": {"vi": "Thành phần", "en": "Component"},
    "year": {"vi": "Năm", "en": "Year"},
    "value": {"vi": "Điểm", "en": "Score"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "rank": {"vi": "Thứ hạng", "en": "Rank"},
    "rank_of": {"vi": "Thứ hạng/số tỉnh", "en": "Rank of N"},
    "rank_basis": {"vi": "Cơ sở thứ hạng", "en": "Rank basis"},
    "n_ranked": {"vi": "Số tỉnh được xếp hạng", "en": "Provinces ranked"},
    "percentile": {"vi": "Bách phân vị", "en": "Percentile"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "source_id": {"vi": "Nguồn", "en": "Source"},
    "province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "first_year": {"vi": "Năm đầu", "en": "First year"},
    "last_year": {"vi": "Năm cuối", "en": "Last year"},
    "n_years": {"vi": "Số năm", "en": "Years"},
    "first_value": {"vi": "Điểm năm đầu", "en": "First score"},
    "last_value": {"vi": "Điểm năm cuối", "en": "Last score"},
    "last_rank": {"vi": "Thứ hạng năm cuối", "en": "Last rank"},
    "theil_slope": {"vi": "Độ dốc Theil–Sen (/năm)", "en": "Theil–Sen slope (per year)"},
    "kendall_p": {"vi": "p (Kendall)", "en": "p (Kendall)"},
    "rank_change": {"vi": "Thay đổi thứ hạng (bậc)", "en": "Rank change (places)"},
    "direction": {"vi": "Xu hướng", "en": "Direction"},
    "group": {"vi": "Nhóm", "en": "Group"},
    "n": {"vi": "Số tỉnh", "en": "Provinces"},
    "mean": {"vi": "Trung bình", "en": "Mean"},
    "std": {"vi": "Độ lệch chuẩn", "en": "Standard deviation"},
    "cv": {"vi": "Hệ số biến thiên", "en": "Coefficient of variation"},
    "min": {"vi": "Thấp nhất", "en": "Lowest"},
    "max": {"vi": "Cao nhất", "en": "Highest"},
    "median": {"vi": "Trung vị", "en": "Median"},
    "coverage": {"vi": "Độ phủ", "en": "Coverage"},
    "pair": {"vi": "Cặp chỉ số", "en": "Pair of indices"},
    "coefficient": {"vi": "Hệ số", "en": "Coefficient"},
    "r": {"vi": "Giá trị", "en": "Value"},
    "p_value": {"vi": "p", "en": "p"},
    "p_method": {"vi": "Cách tính p", "en": "p computed by"},
    "comparison": {"vi": "So với", "en": "Compared with"},
    "gap_to_median": {"vi": "Chênh lệch với trung vị", "en": "Gap to median"},
    "rank_in_group": {"vi": "Thứ hạng trong nhóm", "en": "Rank in group"},
    "document_id": {"vi": "Văn bản", "en": "Document"},
    "indicator": {"vi": "Mục tiêu", "en": "Target"},
    "target": {"vi": "Mức mục tiêu", "en": "Target level"},
    "deadline": {"vi": "Hạn", "en": "Deadline"},
    "actual": {"vi": "Thực tế", "en": "Actual"},
    "actual_year": {"vi": "Năm số liệu", "en": "Year of figure"},
    "gap": {"vi": "Khoảng cách", "en": "Gap"},
    "status": {"vi": "Đánh giá", "en": "Status"},
    "reason": {"vi": "Ghi chú", "en": "Note"},
    "targets": {"vi": "Số mục tiêu", "en": "Targets"},
    "provinces": {"vi": "Số tỉnh có số liệu", "en": "Provinces with a figure"},
    "years": {"vi": "Các năm", "en": "Years"},
    "baseline": {"vi": "Xuất phát", "en": "Baseline"},
    "latest": {"vi": "Số liệu mới nhất", "en": "Latest figure"},
    "result": {"vi": "Kết quả so với hạn", "en": "Result at the deadline"},
    "document": {"vi": "Văn bản", "en": "Document"},
    "measure": {"vi": "Nội dung", "en": "Measure"},
    "count": {"vi": "Số lượng", "en": "Number"},
    "documents": {"vi": "Số văn bản", "en": "Documents"},
    "regional": {"vi": "Hạng trong vùng (không chấm)", "en": "Regional ranks (not graded)"},
    "par": {"vi": "PAR Index", "en": "PAR Index"},
    "sipas": {"vi": "SIPAS", "en": "SIPAS"},
    "papi": {"vi": "PAPI", "en": "PAPI"},
    "pci": {"vi": "PCI", "en": "PCI"},
    "dti": {"vi": "DTI", "en": "DTI"},
}

#: Values shown in report tables, translated: trend directions, rank bases, units, comparisons.
VALUE_WORDS: dict[str, dict[str, str]] = {
    "improving": {"vi": "cải thiện", "en": "improving"},
    "worsening": {"vi": "đi xuống", "en": "worsening"},
    "flat": {"vi": "không rõ xu hướng", "en": "no clear trend"},
    "too few years": {"vi": "quá ít năm", "en": "too few years"},
    "published": {"vi": "công bố", "en": "published"},
    "published (partial table)": {"vi": "công bố (bảng một phần)", "en": "published (partial table)"},
    "computed from scores": {"vi": "tính từ điểm", "en": "computed from scores"},
    "computed": {"vi": "tính từ điểm", "en": "computed from scores"},
    "score": {"vi": "điểm", "en": "score"},
    "percent": {"vi": "%", "en": "%"},
    "%": {"vi": "%", "en": "%"},
    "index_0_1": {"vi": "điểm 0–1", "en": "score 0–1"},
    "rank": {"vi": "thứ hạng", "en": "rank"},
    "places": {"vi": "bậc", "en": "places"},
    "count": {"vi": "lần", "en": "count"},
    "national": {"vi": "cả nước", "en": "all provinces"},
    "all provinces": {"vi": "cả nước", "en": "all provinces"},
    "region": {"vi": "vùng", "en": "region"},
    "peers": {"vi": "nhóm so sánh", "en": "peers"},
    "exact permutation": {"vi": "hoán vị đầy đủ", "en": "exact permutation"},
    "exact": {"vi": "chính xác", "en": "exact"},
}


def column_label(column: str, lang: str) -> str:
    """The header a report table shows for ``column`` (:data:`COLUMN_LABELS`).

    Raises KeyError for a column without a label: a report never shows a raw column name.
    """
    check_lang(lang)
    try:
        return COLUMN_LABELS[column][lang]
    except KeyError:
        raise KeyError(f"no header for column {column!r} in cchc_analysis.labels.COLUMN_LABELS") from None


def value_word(value: object, lang: str) -> str:
    """A table value in ``lang`` (:data:`VALUE_WORDS`); other values are returned as given (NFC).

    >>> value_word("improving", "vi"), value_word("flat", "en")
    ('cải thiện', 'no clear trend')
    """
    check_lang(lang)
    key = str(value)
    if key in VALUE_WORDS:
        return VALUE_WORDS[key][lang]
    if key.startswith("not shown: "):  # "not shown: n < 5"
        return ("không tính: " if lang == "vi" else "not shown: ") + nfc(key[len("not shown: "):])
    if key.startswith("permutation ("):  # "permutation (9,999 orderings)"
        n = "".join(ch for ch in key if ch.isdigit())
        from .formatting import format_integer

        return (f"hoán vị ngẫu nhiên ({format_integer(int(n), lang)} lần)" if lang == "vi"
                else f"random permutations ({format_integer(int(n), lang)})") if n else key
    return nfc(key)
