"""The pieces of a report page, in one language: heading, key messages, sections, tables, figures.

The report notebooks call these instead of ``print()`` and raw tables, so that every word
a reader sees follows ``lang`` and the HTML, Word and PDF versions share one structure:

* :func:`header` -- the report's title as a Markdown heading (the province in correct
  diacritics), a line with the province's code, region and 2025 unit, and a line with the
  period and the data vintage;
* :func:`key_messages` -- "Thông điệp chính" / "Key messages": the sentences of
  :mod:`cchc_analysis.messages`, first;
* :func:`section` -- a ``##`` heading with a short note for the reader (no instructions to
  developers);
* :func:`table` -- a publication table (:func:`publication_table`: human headers from
  :mod:`cchc_analysis.labels`, units, precision by unit, integer ranks "56/63"), its data
  written to ``{figures_dir}/table-{name}.csv`` and linked, truncation stated;
* :func:`figure` -- the figure saved once (:func:`cchc_analysis.save_figure`), shown with
  its alt text, a numbered caption and links to every file written (PNG, SVG, PDF and the
  CSV of the data behind it).

Every output carries ``cchc`` metadata (``role``: header, messages, section, table,
figure, figure-links, note); :mod:`cchc_analysis.report.publish` reads the language and
title from it and :mod:`cchc_analysis.report.documents` builds Word and PDF files from it.
In JupyterLab tables are sortable (:func:`cchc_analysis.tables.show_table`); in batch
reports they are static HTML.
"""

from __future__ import annotations

import datetime
import html as _html
import os
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from . import formatting as F
from . import labels as L

__all__ = [
    "REPORT_KINDS",
    "PAGE_TEXT",
    "TABLE_COLUMNS",
    "report_title",
    "header",
    "key_messages",
    "section",
    "note",
    "table",
    "figure",
    "figure_data",
    "target_table",
    "document_label",
    "correlation_table",
    "comparison_table",
    "ambition_summary_table",
    "ambition_table",
    "matrix_table",
    "AMBITION_COLUMNS",
    "MATRIX_COLUMNS",
    "publication_table",
    "table_html",
]

REPORT_KINDS = ("province_profile", "index_trends", "cross_province", "target_gaps", "targets_across_provinces")

#: Headings and notes of the report pages, by key, in both languages.
PAGE_TEXT: dict[str, dict[str, str]] = {
    # titles ({province}, {series}, {years}, {year}, {x}, {y}, {label})
    "title_province_profile": {"vi": "{province}: hồ sơ cải cách hành chính",
                               "en": "{province}: administrative reform profile"},
    "title_index_trends": {"vi": "Xu hướng {series} {years}", "en": "{series} trends {years}"},
    "title_cross_province": {"vi": "So sánh giữa các tỉnh năm {year}: {x} và {y}",
                             "en": "Cross-province comparison {year}: {x} and {y}"},
    "title_target_gaps": {"vi": "Mục tiêu và kết quả: {label}", "en": "Targets and results: {label}"},
    "title_targets_across_provinces": {"vi": "Mục tiêu {series} giữa các tỉnh{period}",
                                       "en": "{series} targets across provinces{period}"},
    "group_targets_across_provinces": {"vi": "Mục tiêu giữa các tỉnh", "en": "Targets across provinces"},
    "group_province_profile": {"vi": "Hồ sơ tỉnh", "en": "Province profiles"},
    "group_index_trends": {"vi": "Xu hướng chỉ số", "en": "Index trends"},
    "group_cross_province": {"vi": "So sánh giữa các tỉnh", "en": "Cross-province comparisons"},
    "group_target_gaps": {"vi": "Mục tiêu và kết quả", "en": "Targets and results"},
    # header lines
    "unit_line": {"vi": "{full_name} · mã {code} · vùng {region}", "en": "{full_name} · code {code} · {region} region"},
    "successor": {"vi": "từ 1/7/2025 thuộc {name}", "en": "part of {name} since 1 July 2025"},
    "merged_2008": {"vi": "sáp nhập vào {name} từ 1/8/2008", "en": "merged into {name} on 1 August 2008"},
    "period": {"vi": "Giai đoạn {years}", "en": "Period {years}"},
    "vintage_bundled": {"vi": "số liệu đi kèm cchc-analysis {version} (năm mới nhất: {last})",
                        "en": "data bundled with cchc-analysis {version} (latest year: {last})"},
    "vintage_own": {"vi": "số liệu từ thư mục {folder} (năm mới nhất: {last})",
                    "en": "data from the folder {folder} (latest year: {last})"},
    "made_on": {"vi": "lập ngày {date}", "en": "made on {date}"},
    "as_of": {"vi": "đánh giá theo số liệu đến năm {year}", "en": "assessed on data up to {year}"},
    "boundaries_legacy": {"vi": "63 tỉnh, thành phố trước 1/7/2025", "en": "the 63 provinces before 1 July 2025"},
    "boundaries_2025": {"vi": "34 đơn vị hành chính từ 1/7/2025", "en": "the 34 units from 1 July 2025"},
    "all_deadlines": {"vi": "mọi hạn mục tiêu", "en": "every deadline"},
    "deadline_year": {"vi": "mục tiêu hạn năm {year}", "en": "targets due in {year}"},
    "plan_period": {"vi": "kế hoạch giai đoạn {years}", "en": "plans for {years}"},
    # key messages
    "key_messages": {"vi": "Thông điệp chính", "en": "Key messages"},
    "no_messages": {"vi": "Không đủ số liệu để rút ra thông điệp.", "en": "Too few figures to draw a message."},
    # province profile
    "standing": {"vi": "Vị trí hiện tại", "en": "Where it stands"},
    "standing_note": {
        "vi": "Năm mới nhất của mỗi chỉ số. Thứ hạng luôn kèm số tỉnh được xếp hạng. Điểm PAPI là tổng không trọng "
              "số của điểm các chỉ số nội dung; PAPI không công bố thứ hạng: thứ hạng tính từ điểm (đồng điểm cùng hạng). Bảng PAR Index và SIPAS đi kèm chỉ có một phần: thiếu "
              "số liệu nghĩa là không có số liệu công bố, không phải là điểm thấp.",
        "en": "The latest year of each index. A rank is always shown with the number of provinces ranked. PAPI's "
              "score is the unweighted sum of its dimension scores; PAPI publishes no ranks: they are computed from "
              "the scores (ties share a rank). The bundled PAR Index "
              "and SIPAS tables are partial: a missing figure means none was published, not a low one."},
    "on_map": {"vi": "Trên bản đồ", "en": "On the map"},
    "on_map_note": {"vi": "Tỉnh (viền đậm) giữa các tỉnh trên bảng PCI đầy đủ gần nhất.",
                    "en": "The province (outlined) among all provinces on the latest complete PCI table."},
    "trends": {"vi": "Xu hướng", "en": "Trends"},
    "trends_note": {
        "vi": "Độ dốc Theil–Sen (mức thay đổi mỗi năm) và kiểm định Kendall chính xác cho từng chỉ số; không tính "
              "xu hướng qua điểm gián đoạn chuỗi số liệu (PAPI đổi thiết kế năm 2018), nên mỗi chuỗi được chia "
              "thành các đoạn so sánh được. Chuỗi quá ngắn không có giá trị p.",
        "en": "Theil–Sen slope (change per year) and Kendall's exact test for each index; no trend runs across a "
              "comparability break (PAPI's 2018 redesign), so each series is split into comparable segments. "
              "Series too short get no p-value."},
    "targets": {"vi": "Mục tiêu", "en": "Targets"},
    "targets_note": {"vi": "Mọi mục tiêu định lượng trong các kế hoạch của tỉnh đã được tổng hợp, so với số liệu.",
                     "en": "Every quantitative target of the province's plans in the curated table, against the data."},
    "no_targets": {"vi": "Chưa có mục tiêu kế hoạch nào của tỉnh được tổng hợp.",
                   "en": "No plan targets of this province have been curated yet."},
    # index trends
    "national_picture": {"vi": "Bức tranh toàn quốc", "en": "The national picture"},
    "national_picture_note": {"vi": "Một năm đầu và năm cuối của giai đoạn trên cùng một thang màu (đậm hơn = tốt hơn).",
                              "en": "An early and the last year of the period on one colour scale (darker = better)."},
    "convergence": {"vi": "Hội tụ", "en": "Convergence"},
    "convergence_note": {
        "vi": "Hội tụ σ: hệ số biến thiên (độ lệch chuẩn chia trung bình, không trọng số) giữa các tỉnh theo năm; "
              "chỉ tính cho các năm có gần đủ số tỉnh.",
        "en": "σ-convergence: the coefficient of variation (standard deviation over the mean, unweighted) across "
              "provinces by year; computed only for years with (nearly) every province."},
    "movers": {"vi": "Tăng nhanh nhất và chậm nhất", "en": "Fastest and slowest movers"},
    "movers_note": {
        "vi": "Xếp theo độ dốc Theil–Sen (tốc độ tăng, không phải mức điểm): tỉnh tăng chậm có thể là tỉnh dẫn đầu.",
        "en": "Ranked by the Theil–Sen slope (growth, not level): the slowest risers can be the best performers."},
    "ranks_over_time": {"vi": "Thứ hạng theo thời gian", "en": "Ranks over time"},
    # cross-province
    "agreement": {"vi": "Mức độ tương quan giữa các chỉ số", "en": "How the indices agree"},
    "agreement_note": {
        "vi": "Hệ số tương quan hạng Spearman ρ giữa hai chỉ số trên các tỉnh có cả hai số liệu; giá trị p từ kiểm "
              "định hoán vị, không hiển thị khi số tỉnh quá ít.",
        "en": "Spearman's rank correlation ρ between two indices over the provinces with both figures; p-values "
              "from a permutation test, not shown when too few provinces have both."},
    "by_region": {"vi": "Theo vùng", "en": "By region"},
    "comparison": {"vi": "So với cả nước và trong vùng", "en": "Against the country and the region"},
    "coverage": {"vi": "Số liệu năm {year}", "en": "Figures for {year}"},
    # target gaps
    "summary": {"vi": "Tổng hợp", "en": "Summary"},
    "all_targets": {"vi": "Từng mục tiêu", "en": "Target by target"},
    "which_met": {"vi": "Những tỉnh đạt mức mục tiêu", "en": "Which provinces met the bar"},
    "which_met_note": {
        "vi": "Với mỗi mục tiêu về thứ hạng hoặc điểm đã được đánh giá: số liệu của mọi tỉnh năm đến hạn so với mức "
              "mục tiêu (tỉnh đặt mục tiêu có viền đậm).",
        "en": "For each graded rank or score target on an index: every province's figure for the deadline year "
              "against the target's bar (the province that set it is outlined)."},
    "gaps_chart": {"vi": "Mục tiêu và kết quả", "en": "Targets against results"},
    # targets across provinces
    "tap_summary": {"vi": "Bao nhiêu tỉnh đặt mục tiêu, bao nhiêu tỉnh đạt",
                    "en": "How many provinces set a target, how many met it"},
    "tap_summary_note": {
        "vi": "Một mục tiêu có kết luận khi đã đến hạn và có số liệu năm đến hạn (hoặc một năm trước đó, cùng phương "
              "pháp); mục tiêu chưa đến hạn được đánh giá theo tiến độ. Thứ hạng trong vùng không được chấm.",
        "en": "A target is graded once its deadline has passed and a figure for the deadline year (or one year "
              "before, same method) exists; targets not yet due are judged on their pace. Ranks within a region "
              "are not graded."},
    "tap_ladder": {"vi": "Từng tỉnh: xuất phát, mục tiêu và kết quả", "en": "Province by province: baseline, target, result"},
    "tap_ladder_note": {
        "vi": "Xuất phát: số liệu kế hoạch tự nêu, nếu không có thì số liệu gần nhất trước giai đoạn kế hoạch. Không "
              "nối xuất phát với kết quả khi giữa hai năm có gián đoạn chuỗi số liệu.",
        "en": "Baseline: the plan's own quoted figure, else the latest figure before the plan period. Baseline and "
              "result are not joined when a comparability break lies between their years."},
    "tap_ambition": {"vi": "Mức phấn đấu và kết quả", "en": "Ambition and achievement"},
    "tap_ambition_note": {
        "vi": "Mỗi điểm là một mục tiêu có cả số liệu xuất phát và kết quả: mức cần tăng so với mức đã tăng; điểm "
              "trên đường chéo là tăng nhiều hơn mức cần.",
        "en": "Each point is a target with both a baseline and a result: the gain needed against the gain made; "
              "points above the diagonal went further than needed."},
    "tap_table": {"vi": "Bảng mục tiêu", "en": "The targets"},
    "tap_table_note": {
        "vi": "Mỗi dòng một mục tiêu; thứ hạng kèm số tỉnh được xếp hạng và năm của số liệu.",
        "en": "One row per target; every rank with the number of provinces ranked and the year of the figure."},
    "tap_matrix": {"vi": "Tỉnh nào đặt mục tiêu cho chỉ số nào", "en": "Which provinces set targets on which index"},
    "tap_matrix_note": {
        "vi": "Số mục tiêu của mỗi tỉnh theo chỉ số, trong các kế hoạch đã tổng hợp (cùng giai đoạn và ranh giới).",
        "en": "Each province's number of targets by index, in the curated plans (same period and boundaries)."},
    # tables and figures
    "figure": {"vi": "Hình {n}", "en": "Figure {n}"},
    "downloads": {"vi": "Tải về", "en": "Download"},
    "data_csv": {"vi": "dữ liệu (CSV)", "en": "data (CSV)"},
    "table_csv": {"vi": "Bảng dưới dạng CSV", "en": "This table as CSV"},
    "truncated": {"vi": "Hiển thị {shown}/{total} dòng; bảng đầy đủ trong tệp CSV.",
                  "en": "Showing {shown} of {total} rows; the full table is in the CSV file."},
    "empty_table": {"vi": "Không có dòng nào.", "en": "No rows."},
    "back_to_index": {"vi": "← Danh sách báo cáo", "en": "← All reports"},
    "contents": {"vi": "Mục lục", "en": "Contents"},
}


def _t(key: str, lang: str, **fields: Any) -> str:
    L.check_lang(lang)
    try:
        entry = PAGE_TEXT[key]
    except KeyError:
        raise KeyError(f"no page text {key!r} in cchc_analysis.page.PAGE_TEXT") from None
    return L.nfc(entry[lang].format(**fields))


def _display(data: Mapping[str, str], role: str, extra: Mapping[str, Any] | None = None, **meta: Any) -> None:
    from IPython.display import display

    display(dict(data), raw=True, metadata={**(extra or {}), "cchc": {"role": role, **meta}})


def _markdown(text: str, role: str, **meta: Any) -> None:
    _display({"text/markdown": text, "text/plain": text}, role, **meta)


def _md_escape(text: str) -> str:
    """Text safe inside Markdown: no accidental emphasis, links or HTML."""
    out = _html.escape(L.nfc(text), quote=False)
    for ch in "\\`*_[]#|":
        out = out.replace(ch, "\\" + ch)
    return out


# --------------------------------------------------------------------------- titles and header


def report_title(kind: str, lang: str, **params: Any) -> str:
    """The human title of a report, with its parameters.

    >>> report_title("index_trends", "en", index="pci", first_year=2006, last_year=2019)
    'PCI trends 2006–2019'
    >>> report_title("index_trends", "vi", index="pci", first_year=2006, last_year=2019)
    'Xu hướng PCI 2006–2019'
    >>> report_title("province_profile", "vi", province="Quảng Nam")
    'Quảng Nam: hồ sơ cải cách hành chính'
    """
    if kind not in REPORT_KINDS:
        raise ValueError(f"unknown report kind {kind!r}; expected one of {list(REPORT_KINDS)}")
    fields: dict[str, Any] = {}
    if kind == "province_profile":
        fields["province"] = _province_name(params.get("province"))
    elif kind == "index_trends":
        fields["series"] = L.series_label(params.get("index", ""), params.get("component") or "overall", lang)
        fields["years"] = F.format_year_span(params.get("first_year"), params.get("last_year"))
    elif kind == "cross_province":
        fields.update(year=params.get("year"), x=L.index_label(params.get("x_index", ""), lang),
                      y=L.index_label(params.get("y_index", ""), lang))
    elif kind == "targets_across_provinces":
        fields["series"] = L.index_label(params.get("index") or "par", lang)
        fields["period"] = f" {params['period']}" if params.get("period") else ""
    else:
        label = params.get("document") or _province_name(params.get("province"))
        fields["label"] = label
    return _t(f"title_{kind}", lang, **fields).strip()


def _province_name(value: Any) -> str:
    if value is None:
        return ""
    name = getattr(value, "name", None)
    if name:
        return L.nfc(name)
    from .provinces import UnknownProvinceError, resolve_province

    try:
        return L.nfc(resolve_province(str(value)).name)
    except (UnknownProvinceError, ValueError, KeyError):
        return L.nfc(value)


def _vintage(data, lang: str) -> str:
    from . import __version__, config

    last = int(data["year"].max()) if data is not None and len(data) else None
    own = config.user_data_dir()
    if own is not None:
        return _t("vintage_own", lang, folder=Path(own).name, last=last if last is not None else "–")
    return _t("vintage_bundled", lang, version=__version__, last=last if last is not None else "–")


def _unit_line(unit, lang: str) -> str:
    from .provinces import region_names, successor

    region = region_names(lang).get(unit.region, unit.region) if unit.region else ""
    # "Tỉnh Quảng Nam" in Vietnamese; "Quảng Nam province" in English (the name keeps its diacritics)
    full = unit.full_name if lang == "vi" else f"{unit.name} {'city' if unit.type == 'city' else 'province'}"
    line = _t("unit_line", lang, full_name=full, code=unit.code, region=region)
    if unit.boundaries == "legacy":
        try:
            succ = successor(unit)
        except (KeyError, ValueError):
            succ = None
        if succ is not None and succ.code != unit.code or (succ is not None and succ.name != unit.name):
            valid_to = str(getattr(unit, "valid_to", "") or "")
            key = "merged_2008" if valid_to.startswith("2008") else "successor"
            line += " · " + _t(key, lang, name=succ.name)
    return line


def header(
    kind: str,
    *,
    lang: str,
    province: Any = None,
    years: tuple[Any, Any] | None = None,
    data=None,
    made_on: datetime.date | None = None,
    **params: Any,
) -> str:
    """Show the report's heading: title (``#``), the province line, period and data vintage.

    Parameters
    ----------
    kind : one of :data:`REPORT_KINDS`.
    lang : "vi" or "en": the language of the whole report.
    province : a :class:`cchc_analysis.Province` (or a name) the report is about, if any.
    years : (first, last) years the report covers.
    data : the indicator rows the report uses (for the latest year of the vintage line).
    made_on : the date written (default today).
    params : the report's parameters used in its title (index, year, x_index ...).

    Returns
    -------
    str, the title (also recorded in the output's metadata for the index page).
    """
    L.check_lang(lang)
    global _FIGURE_NO
    _FIGURE_NO = 0
    title = report_title(kind, lang, province=province, first_year=(years or (None, None))[0],
                         last_year=(years or (None, None))[1], **params)
    lines = [f"# {_md_escape(title)}", ""]
    if province is not None and hasattr(province, "full_name"):
        lines += [_md_escape(_unit_line(province, lang)), ""]
    bits = []
    if years is not None and not (F.is_missing(years[0]) and F.is_missing(years[1])):
        bits.append(_t("period", lang, years=F.format_year_span(*years)))
    if kind == "targets_across_provinces":
        period = str(params.get("period") or "").strip()
        bits.append(_t("all_deadlines", lang) if not period else _t("deadline_year", lang, year=period)
                    if period.isdigit() else _t("plan_period", lang, years=period.replace("-", "–")))
    if params.get("boundaries") in ("legacy", "2025"):
        bits.append(_t(f"boundaries_{params['boundaries']}", lang))
    if params.get("as_of"):
        bits.append(_t("as_of", lang, year=int(params["as_of"])))
    if data is not None:
        bits.append(_vintage(data, lang))
    bits.append(_t("made_on", lang, date=F.format_date(made_on or datetime.date.today(), lang)))
    lines.append(_md_escape(" · ".join(bits)))
    _markdown("\n".join(lines), "header", lang=lang, title=title, kind=kind)
    return title


def key_messages(sentences: Sequence[str], *, lang: str) -> None:
    """Show "Thông điệp chính" / "Key messages" with the sentences as a list (first on the page)."""
    items = [s for s in sentences if s] or [_t("no_messages", lang)]
    text = f"## {_t('key_messages', lang)}\n\n" + "\n".join(f"- {_md_escape(s)}" for s in items)
    _markdown(text, "messages", lang=lang, messages=list(items))


def section(key: str, *, lang: str, note: str | None = None, **fields: Any) -> None:
    """A ``##`` heading from :data:`PAGE_TEXT` and its note (``{key}_note`` when present)."""
    text = f"## {_md_escape(_t(key, lang, **fields))}"
    note_key = f"{key}_note"
    body = note if note is not None else (_t(note_key, lang) if note_key in PAGE_TEXT else None)
    if body:
        text += f"\n\n{_md_escape(body)}"
    _markdown(text, "section", lang=lang, key=key)


def note(key: str, *, lang: str, **fields: Any) -> None:
    """A paragraph from :data:`PAGE_TEXT` (e.g. "no targets yet")."""
    _markdown(_md_escape(_t(key, lang, **fields)), "note", lang=lang, key=key)


# --------------------------------------------------------------------------- tables

#: How each column of a report table is written: "text", "index", "year", "int", "dec1",
#: "dec2", "dec3", "value" (decimals by the row's ``unit``), "signed" (with its sign, by
#: unit), "rank" (with ``n_ranked``/``n``: "56/63"), "percentile", "p", "status", "word"
#: (:func:`cchc_analysis.labels.value_word`), "unit", "source", "comparator", "coverage".
TABLE_COLUMNS: dict[str, str] = {
    "index": "index", "series": "text", "year": "year", "value": "value", "unit": "unit", "rank": "rank",
    "rank_basis": "word", "n_ranked": "int", "percentile": "percentile", "source_id": "source", "source": "text",
    "province": "text", "first_year": "year", "last_year": "year", "n_years": "int", "first_value": "value",
    "last_value": "value", "last_rank": "int", "theil_slope": "signed", "kendall_p": "p", "rank_change": "int",
    "direction": "word", "group": "text", "n": "int", "mean": "value", "std": "value", "cv": "dec3",
    "min": "value", "max": "value", "median": "value", "coverage": "coverage", "coefficient": "text",
    "r": "dec2", "p_value": "p", "p_method": "word", "comparison": "word", "gap_to_median": "signed",
    "rank_in_group": "int", "document_id": "text", "indicator": "text", "target": "text", "deadline": "year",
    "actual": "value", "actual_year": "year", "gap": "text", "status": "status", "reason": "text",
    "targets": "int", "provinces": "int", "pair": "text", "years": "text", "measure": "text", "count": "int",
}

_NUMERIC_KINDS = {"year", "int", "dec1", "dec2", "dec3", "value", "signed", "rank", "percentile", "p", "coverage"}


def _source_names(lang: str) -> dict[str, str]:
    try:
        from .indicators import load_sources

        src = load_sources()
    except Exception:  # no sources table: show ids
        return {}
    col = f"short_citation_{lang}"
    if col not in src.columns:
        return {}
    return {str(k): str(v) for k, v in zip(src["source_id"], src[col]) if isinstance(v, str) and v}


def _cell(value: Any, kind: str, lang: str, row: Mapping[str, Any], sources: Mapping[str, str]) -> str:
    if kind == "rank":
        n = row.get("n_ranked", row.get("n"))
        return F.format_rank(value, n, lang, short=True)
    if F.is_missing(value):
        return ""
    if kind == "text":
        return L.nfc(value)
    if kind == "index":
        return L.index_label(str(value), lang)
    if kind == "year":
        return str(int(value))
    if kind == "int":
        return F.format_integer(value, lang)
    if kind in ("dec1", "dec2", "dec3"):
        return F.format_decimal(value, lang, decimals=int(kind[-1]))
    if kind == "value":
        return F.format_value(value, lang, unit=row.get("unit"))
    if kind == "signed":
        decimals = F.UNIT_DECIMALS.get(str(row.get("unit")), 2)
        decimals = max(decimals, 2) if kind == "signed" and str(row.get("unit")) != "rank" else decimals
        return F.format_signed(value, lang, decimals=decimals)
    if kind == "percentile":
        return F.format_integer(value, lang)
    if kind == "p":
        from .trends import MIN_N_INFERENCE

        n = row.get("n_years", row.get("n"))
        if not F.is_missing(n) and int(n) < MIN_N_INFERENCE:  # docs/methods.md: no p-value below the minimum n
            return ""
        p = float(value)
        return ("< " + F.format_decimal(0.001, lang, decimals=3)) if p < 0.001 else F.format_decimal(p, lang, decimals=3)
    if kind == "coverage":
        return F.format_percent(float(value) * 100, lang, decimals=0)
    if kind == "status":
        return L.status_label(str(value), lang)
    if kind == "word":
        return L.value_word(value, lang)
    if kind == "unit":
        return L.value_word(value, lang)
    if kind == "source":
        return sources.get(str(value), str(value))
    if kind == "comparator":
        return {">=": "≥", "<=": "≤"}.get(str(value), str(value))
    raise ValueError(f"unknown column kind {kind!r}; see cchc_analysis.page.TABLE_COLUMNS")


def publication_table(frame, *, lang: str, columns: Sequence[str] | Mapping[str, str] | None = None):
    """``frame`` as a reader sees it: text cells in ``lang``, human headers, sensible precision.

    Parameters
    ----------
    frame : a DataFrame of the package (standing, trends, gaps ...).
    lang : "vi" or "en".
    columns : the columns to show, in order (default: every column of ``frame`` that
        :data:`TABLE_COLUMNS` knows), or a mapping column -> kind to override how they are
        written.  Helper columns a kind reads (``unit``, ``n_ranked``) need not be shown.

    Returns
    -------
    DataFrame of strings, one row per row of ``frame``, headed by
    :func:`cchc_analysis.labels.column_label`; missing values are empty strings.  Ranks are
    integers with the N they are out of ("56/63"); scores have two decimals, per cents
    one, 0-1 indices three; p-values three decimals ("< 0,001").
    """
    import pandas as pd

    L.check_lang(lang)
    if columns is None:
        spec = {c: TABLE_COLUMNS[c] for c in frame.columns if c in TABLE_COLUMNS}
    elif isinstance(columns, Mapping):
        spec = dict(columns)
    else:
        spec = {}
        for c in columns:
            if c not in TABLE_COLUMNS:
                raise KeyError(f"no column kind for {c!r}: pass columns={{{c!r}: 'text'}} or add it to TABLE_COLUMNS")
            spec[c] = TABLE_COLUMNS[c]
    missing = [c for c in spec if c not in frame.columns]
    if missing:
        raise KeyError(f"publication_table: columns {missing} not in the table (it has {list(frame.columns)})")
    sources = _source_names(lang) if "source" in spec.values() else {}
    records = frame.to_dict("records")
    out = {L.column_label(c, lang): [_cell(r.get(c), k, lang, r, sources) for r in records] for c, k in spec.items()}
    result = pd.DataFrame(out, index=range(len(records)), dtype=object)
    result.attrs["numeric"] = [L.column_label(c, lang) for c, k in spec.items() if k in _NUMERIC_KINDS]
    return result


def table_html(table, *, caption: str | None = None, numeric: Iterable[str] = (), max_rows: int | None = None,
               lang: str = "vi", csv_href: str | None = None) -> str:
    """A :func:`publication_table` as a static HTML table (numbers right-aligned), truncation stated."""
    numeric = set(numeric) or set(table.attrs.get("numeric", ()))
    cols = list(table.columns)
    shown = table if max_rows is None else table.head(max_rows)
    parts = ['<div class="cchc-table-wrap">', '<table class="cchc-table">']
    if caption:
        parts.append(f"<caption>{_html.escape(caption)}</caption>")
    num = ' class="num"'
    parts.append("<thead><tr>" + "".join(
        f'<th scope="col"{num if c in numeric else ""}>{_html.escape(str(c))}</th>' for c in cols
    ) + "</tr></thead>")
    parts.append("<tbody>")
    for row in shown.itertuples(index=False):
        parts.append("<tr>" + "".join(
            f'<td{num if c in numeric else ""}>{_html.escape(str(v))}</td>' for c, v in zip(cols, row)
        ) + "</tr>")
    parts.append("</tbody></table>")
    notes = []
    if not len(table):
        notes.append(_t("empty_table", lang))
    if len(shown) < len(table):
        notes.append(_t("truncated", lang, shown=F.format_integer(len(shown), lang),
                        total=F.format_integer(len(table), lang)))
    if csv_href:
        notes.append(f'<a href="{_html.escape(csv_href)}">{_html.escape(_t("table_csv", lang))}</a>')
    if notes:
        parts.append('<p class="cchc-table-note">' + " · ".join(
            n if n.startswith("<a ") else _html.escape(n) for n in notes) + "</p>")
    parts.append("</div>")
    return "\n".join(parts)


def _write_csv(frame, path: Path) -> Path:
    from .export import _atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    payload = frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
    return _atomic_write(path, lambda fh: fh.write(payload))


def _href(path: Path) -> str:
    return Path(path).as_posix()


def table(
    frame,
    name: str,
    *,
    lang: str,
    figures_dir: str | os.PathLike,
    columns: Sequence[str] | Mapping[str, str] | None = None,
    caption: str | None = None,
    max_rows: int | None = 70,
    interactive: bool | None = None,
    csv_frame=None,
) -> None:
    """Show a publication table and write its data to ``{figures_dir}/table-{name}.csv``.

    The CSV holds the shown columns (and the helper columns ``unit``/``n_ranked``) with
    full precision and machine column names, every row; UTF-8 with a byte order mark
    (``csv_frame``: write that table instead, e.g. the full ``assess_targets`` result
    behind a table of formatted text).
    In JupyterLab the table is sortable and searchable (:func:`cchc_analysis.tables.show_table`);
    in batch reports it is static HTML, with at most ``max_rows`` rows and a note saying
    how many are shown.
    """
    from .tables import interactive_default

    pub = publication_table(frame, lang=lang, columns=columns)
    keep = [c for c in (list(columns) if columns is not None else [c for c in frame.columns if c in TABLE_COLUMNS])]
    keep += [c for c in ("unit", "n_ranked") if c in frame.columns and c not in keep]
    csv = _write_csv(frame[keep] if csv_frame is None else csv_frame, Path(figures_dir) / f"table-{name}.csv")
    if interactive if interactive is not None else interactive_default():
        from .tables import show_table

        show_table(pub, lang=lang, caption=caption, interactive=True)
        return
    body = table_html(pub, caption=caption, max_rows=max_rows, lang=lang, csv_href=_href(csv))
    plain = pub.to_string(index=False) if len(pub) else _t("empty_table", lang)
    _display({"text/html": body, "text/plain": plain}, "table", lang=lang, name=name, csv=_href(csv),
             rows=len(pub), shown=min(len(pub), max_rows) if max_rows is not None else len(pub))


# --------------------------------------------------------------------------- figures

FIGURE_DATA_COLUMNS = ("index", "component", "year", "boundaries", "province_code", "province", "value", "rank",
                       "unit", "source_id")


def figure_data(data, *, index: str, years: Any = None, component: str = "overall"):
    """The indicator rows a chart of ``index`` draws (all provinces: medians and bands need them).

    Returns
    -------
    DataFrame with columns :data:`FIGURE_DATA_COLUMNS` (those present), for ``index`` and
    ``component``, in ``years`` (one year or several; None: all), sorted by year and code.
    """
    part = data[(data["index"] == index) & (data["component"] == component)]
    if years is not None:
        wanted = [years] if isinstance(years, (int, float)) else list(years)
        part = part[part["year"].isin(wanted)]
    cols = [c for c in FIGURE_DATA_COLUMNS if c in part.columns]
    return part[cols].sort_values(["year", "province_code"]).reset_index(drop=True)


_FIGURE_NO = 0


def _read_caption_file(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    key = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("  ") and key:
            out[key] += "\n" + line[2:]
        elif ":" in line:
            key, _, value = line.partition(":")
            out[key.strip()] = value.strip()
    return out


def figure(
    fig,
    name: str,
    *,
    lang: str,
    figures_dir: str | os.PathLike,
    formats: Iterable[str] = ("png",),
    width: str | float = "double",
    data=None,
) -> None:
    """Save ``fig`` (PNG, and ``formats``), show it with alt text, a numbered caption and file links.

    The image shown is the saved PNG (300 dpi: print resolution in Word and PDF); its alt
    text is the ``alt_text`` line of the figure's caption file (``name.txt``), which the
    chart functions write in ``lang``.  ``data`` -- the rows behind the figure -- is written
    to ``name.csv`` and linked.  The figure is closed.

    Returns None (so a cell ending with this call shows nothing more); the files are
    ``{figures_dir}/{name}.{png,svg,pdf,csv,txt}`` (see :func:`cchc_analysis.save_figure`).
    """
    import base64

    import matplotlib.pyplot as plt

    from .export import save_figure

    global _FIGURE_NO
    L.check_lang(lang)
    formats = tuple(dict.fromkeys(("png", *(str(f).lower() for f in formats))))
    paths = save_figure(fig, name, formats=formats, width=width, out_dir=figures_dir, data=data)
    from .export import _as_figure

    plt.close(_as_figure(fig))
    caption = _read_caption_file(paths["txt"]) if "txt" in paths else {}
    alt = caption.get("alt_text") or caption.get("caption") or name
    _FIGURE_NO += 1
    png = base64.b64encode(paths["png"].read_bytes()).decode("ascii")
    # the report template writes ``alt`` into <img alt>; the width keeps the page's layout
    px = 400 if width == "single" else 720  # a single-column figure is not blown up to the page's width
    _display({"image/png": png, "text/plain": alt}, "figure", extra={"image/png": {"width": px}}, lang=lang,
             name=name, alt=alt, number=_FIGURE_NO, files={k: _href(v) for k, v in paths.items()})
    label = _t("figure", lang, n=_FIGURE_NO)
    links = [f"[{fmt.upper()}]({_href(paths[fmt])})" for fmt in ("png", "svg", "pdf") if fmt in paths]
    if "csv" in paths:
        links.append(f"[{_t('data_csv', lang)}]({_href(paths['csv'])})")
    text = f"**{label}.** {_md_escape(alt)}"
    _markdown(text, "caption", lang=lang, name=name, number=_FIGURE_NO)
    _markdown(f"{_t('downloads', lang)}: " + " · ".join(links), "figure-links", lang=lang, name=name)


# --------------------------------------------------------------------------- report-specific tables


def target_table(gaps, *, lang: str, data=None, with_document: bool = False):
    """The rows of :func:`cchc_analysis.assess_targets` a reader needs, written in ``lang``.

    Returns
    -------
    DataFrame: [document_id], indicator (``indicator_vi``/``indicator_en``), target ("≥ 65 %",
    "nhóm 20 đứng đầu"), deadline, actual ("hạng 56/63", "78,4 %"), actual_year (the year of
    the figure graded), gap (with its unit: "−11,6 điểm %", "−36 bậc"), status (the raw
    status key; :func:`publication_table` translates it), reason (why, in ``lang``).
    """
    import pandas as pd

    from .messages import actual_text, gap_reason, target_text

    L.check_lang(lang)
    rows = []
    for _, r in gaps.iterrows():
        gap = ""
        if not F.is_missing(r.get("gap")):
            unit = r.get("gap_unit")
            decimals = 0 if str(unit) in ("places", "count") else (1 if str(unit) == "percentage points" else 2)
            gap = f"{F.format_signed(r['gap'], lang, decimals=decimals)} {L.gap_unit_label(unit, lang)}".strip()
        row = {
            "indicator": r.get("indicator_vi" if lang == "vi" else "indicator_en"),
            "target": target_text(r, lang),
            "deadline": r.get("deadline"),
            "actual": actual_text(r, lang, data=data),
            "actual_year": r.get("actual_year"),
            "gap": gap,
            "status": r.get("status"),
            "reason": gap_reason(r, lang),
        }
        if with_document:  # the document as a reader cites it (number, date), not its id
            row = {"document_id": document_label(r.get("document_id"), lang), **row}
        rows.append(row)
    cols = (["document_id"] if with_document else []) + ["indicator", "target", "deadline", "actual", "actual_year",
                                                         "gap", "status", "reason"]
    return pd.DataFrame(rows, columns=cols)


TARGET_COLUMNS = {"indicator": "text", "target": "text", "deadline": "year", "actual": "text",
                  "actual_year": "year", "gap": "text", "status": "status", "reason": "text"}


def correlation_table(corr, *, lang: str):
    """:func:`cchc_analysis.index_correlations` as a reader's table: the pair named in ``lang``.

    Returns
    -------
    DataFrame: pair ("PCI – PAPI"), coefficient (its name: "Spearman ρ"), n, r, p_value
    (empty where not shown), p_method.
    """
    import pandas as pd

    rows = [{"pair": f"{L.index_label(r['index_x'], lang)} – {L.index_label(r['index_y'], lang)}",
             "coefficient": r.get("coefficient"), "n": r.get("n"), "r": r.get("r"), "p_value": r.get("p_value"),
             "p_method": r.get("p_method")} for _, r in corr.iterrows()]
    return pd.DataFrame(rows, columns=["pair", "coefficient", "n", "r", "p_value", "p_method"])


def comparison_table(comparison, *, lang: str):
    """:func:`cchc_analysis.compare_province` with its groups named in ``lang`` (region names translated)."""
    from .provinces import region_names, resolve_province

    out = comparison.copy()
    groups = []
    for _, r in out.iterrows():
        kind = str(r.get("comparison"))
        if kind == "national":
            groups.append(L.value_word("all provinces", lang))
        elif kind == "region":
            try:
                groups.append(region_names(lang).get(resolve_province(str(r["province_code"])).region, r["group"]))
            except Exception:  # unknown province: the group as computed
                groups.append(r["group"])
        else:
            names = str(r.get("group", "")).split(":", 1)[-1].strip()
            groups.append(f"{L.value_word('peers', lang)}: {names}")
    out["group"] = groups
    return out


# --------------------------------------------------------------------------- targets across provinces

_SUMMARY_WORDS = {
    "provinces": {"vi": "Tỉnh đặt mục tiêu", "en": "Provinces that set a target"},
    "targets": {"vi": "Mục tiêu", "en": "Targets"},
    "graded": {"vi": "Mục tiêu đã có kết luận (đạt hoặc không đạt)", "en": "Targets graded (met or not met)"},
    "provinces_graded": {"vi": "Tỉnh có ít nhất một mục tiêu đã có kết luận",
                         "en": "Provinces with at least one graded target"},
    "provinces_met": {"vi": "Tỉnh đạt mọi mục tiêu đã có kết luận", "en": "Provinces that met every graded target"},
    "provinces_met_any": {"vi": "Tỉnh đạt ít nhất một mục tiêu", "en": "Provinces that met at least one target"},
    "regional": {"vi": "Mục tiêu về thứ hạng trong vùng (không chấm)", "en": "Targets on a rank within a region (not graded)"},
}


def ambition_summary_table(comparison, *, lang: str):
    """:func:`cchc_analysis.target_summary` of one index as a two-column table a reader scans.

    Returns
    -------
    DataFrame: measure (in ``lang``: provinces that set a target, targets, one row per status
    present, targets graded, provinces graded / meeting every graded target / at least one,
    regional ranks), count (int).
    """
    import pandas as pd

    from .ambition import target_summary

    L.check_lang(lang)
    rows = []
    for r in target_summary(comparison).to_dict("records"):
        rows += [(_SUMMARY_WORDS["provinces"][lang], r["provinces"]), (_SUMMARY_WORDS["targets"][lang], r["targets"])]
        for key, status in (("met", "met"), ("on_track", "on track"), ("off_track", "off track"), ("not_met", "not met"),
                            ("no_data", "no data")):
            if r[key]:
                rows.append(("– " + L.status_label(status, lang), r[key]))
        rows.append((_SUMMARY_WORDS["regional"][lang], r["regional"]))
        for key in ("graded", "provinces_graded", "provinces_met", "provinces_met_any"):
            rows.append((_SUMMARY_WORDS[key][lang], r[key]))
    return pd.DataFrame(rows, columns=["measure", "count"])


def document_label(document_id: Any, lang: str, *, documents=None) -> str:
    """A plan document as a reader cites it: its number and date ("3532/QĐ-UBND, 23 tháng 12, 2022"),
    else the host of its address and its plan period; the id only when the documents table lacks it.

    ``documents``: :func:`cchc_analysis.load_documents` indexed by ``document_id`` (None loads it).
    """
    from urllib.parse import urlparse

    if F.is_missing(document_id):
        return ""
    if documents is None:
        from .targets import load_documents

        documents = load_documents().drop_duplicates("document_id").set_index("document_id")
    if document_id not in documents.index:
        return str(document_id)
    d = documents.loc[document_id]
    number = d.get("number") if isinstance(d.get("number"), str) and d.get("number").strip() else ""
    date = str(d.get("date"))[:10] if isinstance(d.get("date"), str) and d.get("date") else ""
    try:
        date = F.format_date(datetime.date.fromisoformat(date), lang) if len(date) == 10 else date
    except ValueError:  # a partial date ("2022-12") stays as written
        pass
    if not number:
        url = d.get("source_url") if isinstance(d.get("source_url"), str) else ""
        number = urlparse(url).netloc.removeprefix("www.") if url else ""
        if not date and isinstance(d.get("plan_period"), str):
            date = d.get("plan_period")
    return ", ".join(x for x in (number, date) if x) or str(document_id)


AMBITION_COLUMNS = {"province": "text", "document": "text", "target": "text", "baseline": "text", "latest": "text",
                    "result": "text", "status": "text"}


def _figure_words(row: Mapping[str, Any], value_col: str, year_col: str, lang: str, data, source: Any = None) -> str:
    from .messages import _comparison_row, actual_text

    r = _comparison_row(row)
    r["actual"], r["actual_year"] = row.get(value_col), row.get(year_col)
    if F.is_missing(r["actual"]):
        return ""
    text = actual_text(r, lang, data=data)
    if F.is_missing(r["actual_year"]):
        return text
    year = str(int(r["actual_year"]))
    if source in ("plan", "data"):
        src = {"plan": {"vi": "kế hoạch nêu", "en": "quoted by the plan"},
               "data": {"vi": "số liệu", "en": "data"}}[source][lang]
        return f"{text} ({year}, {src})"
    return f"{text} ({year})"


def ambition_table(comparison, *, lang: str, data=None, documents=None):
    """:func:`cchc_analysis.compare_targets` as a reader's table, one row per target.

    Returns
    -------
    DataFrame: province (registry name, diacritics kept), document (number and date), target
    ("nhóm 20 đứng đầu, đến 2023"), baseline (with its year and whether the plan quoted it),
    latest and result (ranks "hạng 56/63" with the N of that year, and the year), status (in
    ``lang``; regional ranks "not graded"); met first, then by province.
    """
    import pandas as pd

    from .ambition import _t as amb_t
    from .messages import _comparison_row, _name, target_text

    L.check_lang(lang)
    if documents is None:
        from .targets import load_documents

        documents = load_documents()
    docs = documents.drop_duplicates("document_id").set_index("document_id")
    order = {s: i for i, s in enumerate(["met", "on track", "off track", "not met", "no data", "not measurable",
                                         "regional"])}
    frame = comparison.assign(_o=comparison["status"].map(order).fillna(9))
    frame = frame.sort_values(["_o", "province"], key=lambda c: c.map(L.nfc) if c.name == "province" else c,
                              kind="stable")
    rows = []
    for r in frame.to_dict("records"):
        doc = document_label(r["document_id"], lang, documents=docs)
        target = target_text(_comparison_row(r), lang)
        if str(r.get("metric_field")) in ("rank_change", "value_change"):
            target += " " + ("mỗi năm" if lang == "vi" else "a year")
        if str(r.get("scope", "national")) != "national":
            from .ambition import _region_text

            target += f" ({_region_text(str(r['scope']), lang)})"
        if not F.is_missing(r.get("deadline")):
            target += f", {amb_t('by', lang, year=int(r['deadline']))}"
        status = amb_t("regional", lang) if r["status"] == "regional" else L.status_label(str(r["status"] or "no data"), lang)
        rows.append({
            "province": _name(r["province_code"], r.get("boundaries")),
            "document": doc,
            "target": target,
            "baseline": _figure_words(r, "baseline_value", "baseline_year", lang, data, r.get("baseline_source")),
            "latest": _figure_words(r, "latest_value", "latest_year", lang, data),
            "result": _figure_words(r, "actual", "actual_year", lang, data),
            "status": status,
        })
    return pd.DataFrame(rows, columns=list(AMBITION_COLUMNS))


MATRIX_COLUMNS = {"province": "text", "par": "int", "sipas": "int", "papi": "int", "pci": "int", "dti": "int",
                  "regional": "int", "documents": "int"}


def matrix_table(matrix, *, lang: str, boundaries: str = "legacy"):
    """:func:`cchc_analysis.target_matrix` (of ``boundaries``) with the province names in their registry
    spelling; 0 shown as blank."""
    from .messages import _name

    L.check_lang(lang)
    out = matrix.copy()
    out["province"] = [_name(c, boundaries) for c in out["province_code"]]
    for col in ("par", "sipas", "papi", "pci", "dti", "regional"):
        if col in out.columns:
            out[col] = out[col].where(out[col] != 0)
    return out
