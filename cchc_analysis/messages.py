"""Key messages: the 3-5 sentences at the top of each report, computed from its tables.

One function per report kind, each taking the tables the report shows (so the sentences
and the tables never disagree) and returning a list of sentences in ``lang``:

* :func:`profile_messages` -- where a province stands (ranks with their N and year), which
  indices moved significantly, and how its plan targets fared;
* :func:`trends_messages` -- σ-convergence, the national mean, how many provinces improved,
  the fastest risers and the leaders of the last year;
* :func:`cross_province_messages` -- which indices cover the year, the correlation of the
  chosen pair (coefficient named, n given, p only from n = 5), where the highlighted
  province stands nationally and in its region, the spread between regions;
* :func:`target_messages` -- the status of every target, the largest miss, the met ones.

The statistics rules of ``docs/methods.md`` hold here too: every rank is written with the
N it is out of and the year of the figure; a correlation names its coefficient and its n;
no p-value below :data:`cchc_analysis.trends.MIN_N_INFERENCE` provinces or years; a trend
is called improving or worsening only when ``trend_table`` says so (Kendall's exact test,
comparable segments only); σ-convergence is read only from years with a statistic
(coverage guard of ``sigma_convergence``); PAPI ranks are said to be computed.

Examples
--------
>>> import pandas as pd
>>> gaps = pd.DataFrame({"status": ["not met", "not met", "met", "not measurable"],
...                      "metric_index": ["par", "pci", "dti", None], "unit": ["rank", "rank", "%", "%"],
...                      "comparator": ["top", "top", ">=", ">="], "target_value": [20, 6, 5, 100],
...                      "actual": [56, 19, 8, None], "actual_year": [2023, 2023, 2024, None],
...                      "deadline": [2023, 2023, 2024, 2025], "province_code": "49"})
>>> target_messages(gaps, lang="en")[0]
'Of 4 targets, 3 can be measured with the indices: 1 met, 2 not met; 1 cannot be measured with the bundled indices.'
"""

from __future__ import annotations

import re

from typing import Any, Iterable, Sequence

from . import formatting as F
from . import labels as L

__all__ = [
    "MESSAGES",
    "profile_messages",
    "trends_messages",
    "cross_province_messages",
    "target_messages",
    "targets_across_messages",
    "gap_reason",
    "target_text",
    "actual_text",
]

#: Sentence templates, by key, in both languages.
MESSAGES: dict[str, dict[str, str]] = {
    # standing
    "standing_one": {"vi": "{index} {year}: {rank}{basis}.", "en": "{index} {year}: {rank}{basis}."},
    "standing_best_worst": {
        "vi": "Vị trí tốt nhất: {best}; thấp nhất: {worst}.",
        "en": "Best standing: {best}; lowest: {worst}.",
    },
    "standing_item": {"vi": "{index} {year}, {rank}{basis}", "en": "{index} {year}, {rank}{basis}"},
    "computed_basis": {"vi": " (tính từ điểm)", "en": " (computed from scores)"},
    "lower_half": {
        "vi": "{province} ở nửa dưới bảng xếp hạng trên {k}/{n} chỉ số có thứ hạng (năm mới nhất của mỗi chỉ số).",
        "en": "{province} is in the lower half of the ranking on {k} of {n} ranked indices (latest year of each).",
    },
    "upper_half_all": {
        "vi": "{province} ở nửa trên bảng xếp hạng trên cả {n} chỉ số có thứ hạng (năm mới nhất của mỗi chỉ số).",
        "en": "{province} is in the upper half of the ranking on all {n} ranked indices (latest year of each).",
    },
    "no_standing": {"vi": "Không có số liệu chỉ số nào cho {province} trong giai đoạn này.",
                    "en": "No index figure for {province} in this period."},
    # trends of one province
    "trend_moves": {
        "vi": "Xu hướng rõ rệt (kiểm định Kendall, α = 0,05): {items}.",
        "en": "Significant trends (Kendall's test, α = 0.05): {items}.",
    },
    "trend_item": {"vi": "{series} {years} {verb} {slope} {per} (độ dốc Theil–Sen; p = {p})",
                   "en": "{series} {years} {verb} {slope} {per} (Theil–Sen slope; p = {p})"},
    "rises": {"vi": "tăng", "en": "rose by"},
    "falls": {"vi": "giảm", "en": "fell by"},
    "improves_rank": {"vi": "lên", "en": "gained"},
    "loses_rank": {"vi": "xuống", "en": "lost"},
    "per_year_points": {"vi": "điểm/năm", "en": "points a year"},
    "per_year_pp": {"vi": "điểm %/năm", "en": "percentage points a year"},
    "per_year_places": {"vi": "bậc/năm", "en": "places a year"},
    "no_trend": {
        "vi": "Không chỉ số nào có xu hướng rõ rệt trong các đoạn chuỗi so sánh được (kiểm định Kendall, α = 0,05; "
              "cần ít nhất {min_n} năm).",
        "en": "No index shows a significant trend in its comparable segments (Kendall's test, α = 0.05; at least "
              "{min_n} years needed).",
    },
    "too_short": {"vi": "Chuỗi quá ngắn để kết luận về xu hướng: {items}.",
                  "en": "Series too short for a trend: {items}."},
    # targets
    "targets_counts": {
        "vi": "Trong {n} mục tiêu, {m} đo được bằng các chỉ số: {counts}{rest}.",
        "en": "Of {n} targets, {m} can be measured with the indices: {counts}{rest}.",
    },
    "targets_rest": {"vi": "; {k} mục tiêu không đo được bằng các chỉ số đi kèm",
                     "en": "; {k} cannot be measured with the bundled indices"},
    "targets_none_measurable": {
        "vi": "Không mục tiêu nào trong {n} mục tiêu đo được bằng các chỉ số đi kèm.",
        "en": "None of the {n} targets can be measured with the bundled indices.",
    },
    "largest_miss": {"vi": "Khoảng cách lớn nhất: {target_index} {year} {actual} so với mục tiêu {target}.",
                     "en": "Largest miss: {target_index} {year} {actual} against a target of {target}."},
    "met_list": {"vi": "Đạt: {items}.", "en": "Met: {items}."},
    "no_targets": {"vi": "Chưa có mục tiêu kế hoạch nào của {province} được tổng hợp.",
                   "en": "No plan targets of {province} have been curated yet."},
    "stale": {
        "vi": "{k} mục tiêu chưa có số liệu năm đến hạn (hoặc một năm trước đó, cùng phương pháp): chưa thể kết luận.",
        "en": "{k} targets have no figure for the deadline year (or one year before, same method): no verdict yet.",
    },
    # index trends
    "converged": {
        "vi": "{series} hội tụ: hệ số biến thiên giữa các tỉnh giảm từ {first} ({y0}) xuống {last} ({y1}).",
        "en": "{series} scores converged: the coefficient of variation across provinces fell from {first} ({y0}) "
              "to {last} ({y1}).",
    },
    "diverged": {
        "vi": "{series} phân kỳ: hệ số biến thiên giữa các tỉnh tăng từ {first} ({y0}) lên {last} ({y1}).",
        "en": "{series} scores diverged: the coefficient of variation across provinces rose from {first} ({y0}) "
              "to {last} ({y1}).",
    },
    "steady_cv": {
        "vi": "Độ phân tán của {series} giữa các tỉnh gần như không đổi: hệ số biến thiên {first} ({y0}) và {last} ({y1}).",
        "en": "The spread of {series} across provinces barely changed: coefficient of variation {first} ({y0}) and "
              "{last} ({y1}).",
    },
    "no_cv": {
        "vi": "Không tính được độ hội tụ: không đủ năm có gần đủ số tỉnh.",
        "en": "No convergence measure: too few years with (nearly) every province.",
    },
    "mean_change": {
        "vi": "Điểm trung bình (không trọng số) của các tỉnh: {first} ({y0}, {n0} tỉnh) → {last} ({y1}, {n1} tỉnh).",
        "en": "Unweighted mean score of the provinces: {first} ({y0}, {n0} provinces) → {last} ({y1}, {n1} provinces).",
    },
    "directions": {
        "vi": "{years}: {up}/{n} tỉnh có xu hướng cải thiện rõ rệt, {down} đi xuống, {flat} không rõ xu hướng "
              "(kiểm định Kendall, α = 0,05, các tỉnh có ít nhất {min_n} năm).",
        "en": "{years}: {up} of {n} provinces improved significantly, {down} worsened, {flat} show no clear trend "
              "(Kendall's test, α = 0.05, provinces with at least {min_n} years).",
    },
    "breaks": {
        "vi": "Chuỗi {series} có gián đoạn năm {years} (không so sánh được): xu hướng chỉ tính trong từng đoạn.",
        "en": "The {series} series breaks in {years} (not comparable across): trends are computed within each segment.",
    },
    "fastest": {"vi": "Tăng nhanh nhất (độ dốc Theil–Sen): {items}.",
                "en": "Fastest risers (Theil–Sen slope): {items}."},
    "leaders": {"vi": "Dẫn đầu năm {year}: {items}.", "en": "Leaders in {year}: {items}."},
    "papi_computed": {"vi": " (PAPI không công bố thứ hạng: tính từ điểm)",
                      "en": " (PAPI publishes no ranks: computed from scores)"},
    # cross-province
    "coverage": {"vi": "Số liệu năm {year}: {items}.", "en": "Figures for {year}: {items}."},
    "coverage_item": {"vi": "{index} {n} tỉnh", "en": "{index} {n} provinces"},
    "correlation": {
        "vi": "{x} và {y} năm {year}: {coef} = {r} trên {n} tỉnh có cả hai chỉ số{p}.",
        "en": "{x} and {y} in {year}: {coef} = {r} over the {n} provinces with both{p}.",
    },
    "p_shown": {"vi": " (p = {p}, kiểm định hoán vị)", "en": " (p = {p}, permutation test)"},
    "p_hidden": {"vi": " (không tính p khi dưới {min_n} tỉnh)", "en": " (no p-value below {min_n} provinces)"},
    "no_correlation": {"vi": "{x} và {y} năm {year}: quá ít tỉnh có cả hai chỉ số để tính tương quan.",
                       "en": "{x} and {y} in {year}: too few provinces have both for a correlation."},
    "position": {"vi": "{province}: {index} {year} {rank} cả nước; {region_rank} trong vùng {region}.",
                 "en": "{province}: {index} {year} {rank} nationally; {region_rank} in the {region} region."},
    "position_national": {"vi": "{province}: {index} {year} {rank} cả nước.",
                          "en": "{province}: {index} {year} {rank} nationally."},
    "regions": {
        "vi": "Trung vị {index} năm {year} cao nhất ở vùng {high} ({high_value}), thấp nhất ở vùng {low} ({low_value}).",
        "en": "Median {index} in {year}: highest in the {high} region ({high_value}), lowest in the {low} region "
              "({low_value}).",
    },
    "list_and": {"vi": " và ", "en": " and "},
    # targets across provinces
    "tap_none": {"vi": "Chưa tỉnh nào có mục tiêu {index}{period} trong các kế hoạch đã tổng hợp.",
                 "en": "No province has a {index} target{period} in the curated plans."},
    "tap_provinces": {
        "vi": "{p} tỉnh đặt {n} mục tiêu {index}{period}: {met} tỉnh đạt mọi mục tiêu đã có kết luận, {missed} tỉnh "
              "không đạt ít nhất một, {pending} tỉnh chưa thể đánh giá.",
        "en": "{p} {provinces} set {n} {index} {targets}{period}: {met} met every graded target, {missed} missed at "
              "least one, {pending} cannot be graded yet.",
    },
    "tap_targets": {"vi": "Theo từng mục tiêu: {counts}.", "en": "Target by target: {counts}."},
    "tap_regional": {"vi": "Mục tiêu về thứ hạng trong vùng: {k}; được liệt kê nhưng không so với thứ hạng cả nước.",
                     "en": "Targets on a rank within a region: {k}; listed, never graded against national ranks."},
    "tap_miss": {"vi": "Khoảng cách lớn nhất: {province}, mục tiêu {target} đến {deadline}, thực tế {actual} năm {year}.",
                 "en": "Largest miss: {province}, a target of {target} by {deadline}, {actual} in {year}."},
    "tap_met": {"vi": "Đạt: {items}.", "en": "Met: {items}."},
    "tap_met_item": {"vi": "{province} ({target} đến {deadline}: {actual} năm {year})",
                     "en": "{province} ({target} by {deadline}: {actual} in {year})"},
    "tap_period_year": {"vi": " hạn năm {year}", "en": " due in {year}"},
    "tap_period_span": {"vi": " giai đoạn {years}", "en": " for {years}"},
}


def _m(key: str, lang: str, **fields: Any) -> str:
    L.check_lang(lang)
    return L.nfc(MESSAGES[key][lang].format(**fields))


def _join(items: Sequence[str], lang: str) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return "; ".join(items[:-1]) + _m("list_and", lang) + items[-1] if len(items) == 2 else "; ".join(items)


def _name(province: Any, boundaries: Any = "legacy") -> str:
    name = getattr(province, "name", None)
    if name:
        return L.nfc(name)
    from .provinces import resolve_province

    try:  # a code means another unit in 2025 boundaries ("46": Thừa Thiên Huế, then Huế)
        return L.nfc(resolve_province(str(province), boundaries="2025" if str(boundaries) == "2025" else "legacy").name)
    except Exception:  # an unknown code is shown as given
        return L.nfc(province)


def _basis_words(basis: Any, lang: str) -> str:
    return _m("computed_basis", lang) if str(basis).startswith("computed") else ""


# --------------------------------------------------------------------------- province profile


def _standing_sentences(standing, province: Any, lang: str) -> list[str]:
    import pandas as pd

    ranked = standing[standing["rank"].notna()].copy() if len(standing) else standing
    if standing is None or not len(standing) or standing["year"].isna().all():
        return [_m("no_standing", lang, province=_name(province))]
    if not len(ranked):
        return []
    ranked["percentile"] = pd.to_numeric(ranked["percentile"], errors="coerce")
    ranked = ranked.sort_values(["percentile", "index"], ascending=[False, True])

    def item(r) -> str:
        return _m("standing_item", lang, index=L.index_label(r["index"], lang), year=int(r["year"]),
                  rank=F.format_rank(r["rank"], r.get("n_ranked"), lang), basis=_basis_words(r.get("rank_basis"), lang))

    out = []
    rows = [r for _, r in ranked.iterrows()]
    if len(rows) == 1:
        r = rows[0]
        out.append(_m("standing_one", lang, index=L.index_label(r["index"], lang), year=int(r["year"]),
                      rank=F.format_rank(r["rank"], r.get("n_ranked"), lang),
                      basis=_basis_words(r.get("rank_basis"), lang)))
    else:
        out.append(_m("standing_best_worst", lang, best=item(rows[0]), worst=item(rows[-1])))
        lower = sum(1 for r in rows if r["percentile"] < 50)
        if lower:
            out.append(_m("lower_half", lang, province=_name(province), k=lower, n=len(rows)))
        else:
            out.append(_m("upper_half_all", lang, province=_name(province), n=len(rows)))
    return out


def _per_year(unit: Any, basis: Any, lang: str) -> str:
    if str(basis) == "rank":
        return _m("per_year_places", lang)
    if str(unit) in ("percent", "%"):
        return _m("per_year_pp", lang)
    return _m("per_year_points", lang)


def _trend_sentences(trends, lang: str, *, by_province: bool = False) -> list[str]:
    from .trends import MIN_N_INFERENCE

    if trends is None or not len(trends):
        return []
    moved, short = [], []
    latest = trends.sort_values("last_year").groupby("index", sort=False).tail(1)  # the latest segment per index
    for _, r in latest.sort_values("index").iterrows():
        series = L.series_label(r["index"], r.get("component") or "overall", lang)
        years = F.format_year_span(r["first_year"], r["last_year"])
        if r.get("direction") in ("improving", "worsening") and not F.is_missing(r.get("kendall_p")):
            slope = float(r["theil_slope"])
            rank_basis = str(r.get("basis")) == "rank"
            if rank_basis:  # a falling rank number is a gain
                verb = _m("improves_rank" if slope < 0 else "loses_rank", lang)
            else:
                verb = _m("rises" if slope > 0 else "falls", lang)
            decimals = 3 if str(r.get("unit")) == "index_0_1" else 2
            moved.append(_m("trend_item", lang, series=series, years=years, verb=verb,
                            slope=F.format_decimal(abs(slope), lang, decimals=decimals),
                            per=_per_year(r.get("unit"), r.get("basis"), lang),
                            p=_p_text(r["kendall_p"], lang)))
        elif r.get("direction") == "too few years" or (F.is_missing(r.get("direction"))
                                                       and int(r.get("n_years") or 0) < MIN_N_INFERENCE):
            short.append(f"{series} {years}")
    out = []
    if moved:
        out.append(_m("trend_moves", lang, items="; ".join(moved)))
    else:
        out.append(_m("no_trend", lang, min_n=MIN_N_INFERENCE))
    if short and len(out) < 2:
        out.append(_m("too_short", lang, items=", ".join(short)))
    return out


def _p_text(p: Any, lang: str) -> str:
    p = float(p)
    return ("< " + F.format_decimal(0.001, lang, decimals=3)) if p < 0.001 else F.format_decimal(p, lang, decimals=3)


def profile_messages(*, province: Any, lang: str, standing=None, trends=None, gaps=None, data=None) -> list[str]:
    """Key messages of a province profile (3-5 sentences).

    Parameters
    ----------
    province : the :class:`cchc_analysis.Province` (or its name/code).
    standing : :func:`cchc_analysis.notebook.standing_table` of the province.
    trends : :func:`cchc_analysis.trend_table` of the province (comparable segments).
    gaps : :func:`cchc_analysis.assess_targets` of its plans (None or empty: no targets).
    data : the indicator rows (for the N of the ranks quoted with targets).

    Returns
    -------
    list of sentences in ``lang``: the best and lowest standing (rank/N, year), how many
    indices place it in the lower half, significant trends (or that there are none), the
    targets' statuses and the largest miss.
    """
    L.check_lang(lang)
    out: list[str] = []
    if standing is not None:
        out += _standing_sentences(standing, province, lang)
    out += _trend_sentences(trends, lang)[:1]
    if gaps is not None and len(gaps):
        out += target_messages(gaps, lang=lang, data=data)[:2]
    elif gaps is not None:
        out.append(_m("no_targets", lang, province=_name(province)))
    return out[:5]


# --------------------------------------------------------------------------- targets


def _rank_n(data, index: str, year: Any, code: str) -> Any:
    """The N a rank of ``code`` on ``index`` in ``year`` is out of (None when unknown)."""
    if data is None or F.is_missing(year):
        return None
    from .compare import _resolve_ranks

    part = data[(data["index"] == index) & (data["year"] == int(year)) & (data["component"] == "overall")]
    if "boundaries" in part.columns:
        part = part[part["boundaries"] == "legacy"]
    if not len(part):
        return None
    table = _resolve_ranks(part)
    own = table[table["province_code"] == code]
    return own["rank_n"].iloc[0] if len(own) else None


def target_text(row, lang: str) -> str:
    """A target as a reader writes it: "≥ 65 %", "top 20" / "nhóm 20 đứng đầu", "≥ 3 bậc"."""
    comp, value, unit = str(row.get("comparator")), row.get("target_value"), str(row.get("unit"))
    if F.is_missing(value):
        return ""
    if comp == "top":
        n = F.format_integer(value, lang)
        return f"nhóm {n} đứng đầu" if lang == "vi" else f"top {n}"
    sym = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}.get(comp, comp)
    if unit in ("%", "percent"):
        number = F.format_percent(value, lang, decimals=0 if float(value).is_integer() else 1)
    elif unit in ("places", "count", "days", "hours", "months", "rank"):
        word = "place" if unit == "places" and lang == "en" and float(value) == 1 else L.value_word(unit, lang)
        number = F.format_integer(value, lang) + (" " + word if unit in ("places", "count") else "")
        if unit in ("days", "hours", "months"):
            number += " " + {"days": ("ngày", "days"), "hours": ("giờ", "hours"),
                             "months": ("tháng", "months")}[unit][0 if lang == "vi" else 1]
    else:
        number = F.format_value(value, lang, unit=unit)
    return f"{sym} {number}"


_OUTSIDE_TOP = re.compile(r"not among the complete top (\d+) published for (\d{4})")


def actual_text(row, lang: str, *, data=None) -> str:
    """The figure a target was graded on: "hạng 56/63", "78,4 %", "0,664"."""
    value, unit = row.get("actual"), str(row.get("unit"))
    if F.is_missing(value):
        # graded by absence from a complete published top K (gaps.py): say so, the cell is the evidence
        m = _OUTSIDE_TOP.search(str(row.get("note") or ""))
        if m:
            k = F.format_integer(int(m.group(1)), lang)
            return f"ngoài nhóm {k} đứng đầu" if lang == "vi" else f"outside the top {k}"
        return ""
    if unit == "rank":
        n = _rank_n(data, row.get("metric_index"), row.get("actual_year"), row.get("province_code"))
        return F.format_rank(value, n, lang)
    if unit in ("%", "percent"):
        return F.format_percent(value, lang)
    if unit in ("places", "count"):
        return F.format_signed(value, lang, decimals=0) if unit == "places" else F.format_integer(value, lang)
    return F.format_value(value, lang, unit=unit)


def gap_reason(row, lang: str) -> str:
    """Why a target has its status, in ``lang`` (short; the full developer note stays in the CSV)."""
    status = str(row.get("status"))
    deadline, year = row.get("deadline"), row.get("actual_year")
    index = L.index_label(row["metric_index"], lang) if not F.is_missing(row.get("metric_index")) else ""
    if status == "not measurable":
        return "không chỉ số nào đo mục tiêu này" if lang == "vi" else "no index measures this target"
    if status == "no data":
        if not F.is_missing(year) and not F.is_missing(deadline):
            age = int(deadline) - int(year)
            if age > 0:
                return (f"số liệu mới nhất ({int(year)}) cũ hơn hạn {age} năm: chưa kết luận" if lang == "vi"
                        else f"latest figure ({int(year)}) is {age} years older than the deadline: no verdict")
            return ("số liệu không so sánh được với hạn (gián đoạn chuỗi)" if lang == "vi"
                    else "figure not comparable with the deadline year (series break)")
        until = f" đến {int(deadline)}" if lang == "vi" and not F.is_missing(deadline) else (
            f" up to {int(deadline)}" if not F.is_missing(deadline) else "")
        return (f"chưa có số liệu {index} cho tỉnh{until}" if lang == "vi"
                else f"no {index} figure for the province{until}")
    if status in ("on track", "off track"):
        proj = row.get("projected_year")
        if not F.is_missing(proj):
            return f"dự kiến đạt năm {int(proj)}" if lang == "vi" else f"projected to be met in {int(proj)}"
        return "theo tốc độ hiện nay chưa đạt" if lang == "vi" else "not met at the current pace"
    bits = []
    if status in ("met", "not met") and not F.is_missing(year) and not F.is_missing(deadline) \
            and int(year) != int(deadline):
        bits.append(f"số liệu năm {int(year)} (hạn {int(deadline)})" if lang == "vi"
                    else f"figure of {int(year)} (deadline {int(deadline)})")
    if str(row.get("metric_index")) == "papi" and str(row.get("unit")) == "rank" and not F.is_missing(row.get("actual")):
        bits.append("PAPI không công bố thứ hạng: tính từ điểm" if lang == "vi"
                    else "PAPI publishes no ranks: computed from the scores")
    return "; ".join(bits)


def target_messages(gaps, *, lang: str, data=None) -> list[str]:
    """Key messages of a target assessment (:func:`cchc_analysis.assess_targets`).

    Returns
    -------
    list of sentences: the status counts (measurable targets only, the rest counted
    apart), the largest miss of a rank target (rank/N and year) or else of any target,
    the targets met, and how many lack a recent enough figure.
    """
    L.check_lang(lang)
    n = len(gaps)
    if not n:
        return []
    status = gaps["status"].astype(str)
    measurable = gaps[status != "not measurable"]
    rest = n - len(measurable)
    out = []
    if not len(measurable):
        return [_m("targets_none_measurable", lang, n=F.format_integer(n, lang))]
    order = [s for s in L.STATUSES if s != "not measurable"]
    counts = measurable["status"].astype(str).value_counts()
    parts = [f"{F.format_integer(counts[s], lang)} {L.status_label(s, lang).lower()}" for s in order if s in counts]
    out.append(_m("targets_counts", lang, n=F.format_integer(n, lang), m=F.format_integer(len(measurable), lang),
                  counts=", ".join(parts),
                  rest=_m("targets_rest", lang, k=F.format_integer(rest, lang)) if rest else ""))
    missed = measurable[measurable["status"].astype(str) == "not met"]
    if len(missed):
        ranks = missed[missed["unit"].astype(str) == "rank"]
        pool = ranks if len(ranks) else missed
        import pandas as pd

        gap_size = (pd.to_numeric(pool["actual"], errors="coerce") - pd.to_numeric(pool["target_value"], errors="coerce")).abs()
        if len(ranks) == 0:  # relative miss for values
            gap_size = gap_size / pd.to_numeric(pool["target_value"], errors="coerce").abs().clip(lower=1e-9)
        worst = pool.loc[gap_size.idxmax()] if gap_size.notna().any() else pool.iloc[0]
        if not F.is_missing(worst.get("actual")):
            idx = L.index_label(worst["metric_index"], lang) if not F.is_missing(worst.get("metric_index")) else ""
            out.append(_m("largest_miss", lang, target_index=idx, year=int(worst["actual_year"]),
                          actual=actual_text(worst, lang, data=data), target=target_text(worst, lang)).replace("  ", " "))
    met = measurable[measurable["status"].astype(str) == "met"]
    if len(met):
        items = []
        for _, r in met.head(3).iterrows():
            idx = L.index_label(r["metric_index"], lang) if not F.is_missing(r.get("metric_index")) else ""
            items.append(f"{idx} {int(r['actual_year'])} {actual_text(r, lang, data=data)} ({target_text(r, lang)})".strip())
        out.append(_m("met_list", lang, items="; ".join(items)))
    stale = measurable[(measurable["status"].astype(str) == "no data") & measurable["actual"].notna()]
    if len(stale):
        out.append(_m("stale", lang, k=F.format_integer(len(stale), lang)))
    return out[:5]


def _period_words(period: Any, lang: str) -> str:
    text = str(period or "").strip()
    if not text:
        return ""
    if text.isdigit():
        return _m("tap_period_year", lang, year=text)
    return _m("tap_period_span", lang, years=text.replace("-", "–"))


def _comparison_row(row) -> dict:
    """A :func:`cchc_analysis.compare_targets` row with the keys :func:`actual_text` reads."""
    out = dict(row)
    out["metric_index"] = out.get("index")
    if str(out.get("metric_field")) == "rank":
        out["unit"] = "rank"
    return out


def targets_across_messages(comparison, *, index: str, lang: str, period: Any = "", data=None) -> list[str]:
    """Key messages of a comparison of one index's targets across provinces.

    Parameters
    ----------
    comparison : :func:`cchc_analysis.compare_targets` for ``index``.
    index : the index compared.
    period : the report's period parameter ("" all, "2023", "2021-2025").
    data : the indicator rows (for the N of the ranks quoted).

    Returns
    -------
    list of 1-5 sentences: how many provinces set targets and how many met every graded
    target, missed one or cannot be graded yet (no verdict: deadline ahead, no figure, or a
    regional rank); the status of every target; the largest miss of a rank target (rank/N and
    year); the targets met; the regional ranks left ungraded.
    """
    import pandas as pd

    L.check_lang(lang)
    name = L.index_label(index, lang)
    when = _period_words(period, lang)
    if comparison is None or not len(comparison):
        return [_m("tap_none", lang, index=name, period=when)]
    status = comparison["status"].astype(str)
    by_prov = comparison.assign(_s=status).groupby("province_code")["_s"]
    missed = by_prov.apply(lambda s: bool((s == "not met").any()))
    met = by_prov.apply(lambda s: bool((s == "met").any() and not (s == "not met").any()))
    n_prov = len(missed)
    out = [_m("tap_provinces", lang, p=F.format_integer(n_prov, lang), n=F.format_integer(len(comparison), lang),
              index=name, period=when, met=F.format_integer(int(met.sum()), lang),
              provinces="province" if n_prov == 1 else "provinces", targets="target" if len(comparison) == 1 else "targets",
              missed=F.format_integer(int(missed.sum()), lang),
              pending=F.format_integer(n_prov - int(met.sum()) - int(missed.sum()), lang))]
    counts = status.value_counts()
    parts = [f"{F.format_integer(counts[s], lang)} {L.status_label(s, lang).lower()}" for s in L.STATUSES if s in counts]
    if parts:
        out.append(_m("tap_targets", lang, counts=", ".join(parts)))
    graded = comparison[status.isin(["met", "not met"]) & comparison["actual"].notna()]
    miss = graded[(graded["status"] == "not met") & (graded["metric_field"] == "rank")]
    if len(miss):
        gap = pd.to_numeric(miss["actual"], errors="coerce") - pd.to_numeric(miss["target_value"], errors="coerce")
        r = _comparison_row(miss.loc[gap.idxmax()])
        out.append(_m("tap_miss", lang, province=_name(r["province_code"], r.get("boundaries")), target=target_text(r, lang),
                      deadline=int(r["deadline"]), actual=actual_text(r, lang, data=data), year=int(r["actual_year"])))
    hits = graded[graded["status"] == "met"]
    if len(hits):
        items = []
        for _, row in hits.sort_values(["deadline", "province"]).head(3).iterrows():
            r = _comparison_row(row)
            items.append(_m("tap_met_item", lang, province=_name(r["province_code"], r.get("boundaries")), target=target_text(r, lang),
                            deadline=int(r["deadline"]), actual=actual_text(r, lang, data=data),
                            year=int(r["actual_year"])))
        out.append(_m("tap_met", lang, items="; ".join(items)))
    regional = int((status == "regional").sum())
    if regional:
        out.append(_m("tap_regional", lang, k=F.format_integer(regional, lang)))
    return out[:5]


# --------------------------------------------------------------------------- index trends


def trends_messages(*, index: str, lang: str, component: str = "overall", sigma=None, trends=None, movers=None,
                    data=None, breaks=None) -> list[str]:
    """Key messages of an index-trends report (3-5 sentences).

    Parameters
    ----------
    sigma : :func:`cchc_analysis.sigma_convergence` (years without a statistic are skipped).
    trends : :func:`cchc_analysis.trend_table` of every province (comparable segments).
    movers : :func:`cchc_analysis.trends.fastest_and_slowest` of ``trends``.
    data : the indicator rows (leaders of the last year with a complete table).
    breaks : :func:`cchc_analysis.spanned_breaks` of ``data`` (said first when any).
    """
    import pandas as pd

    from .trends import MIN_N_INFERENCE

    L.check_lang(lang)
    series = L.series_label(index, component, lang)
    out: list[str] = []
    if breaks is not None and len(breaks):
        years = L.format_years(int(y) for y in breaks["break_year"])
        out.append(_m("breaks", lang, series=series, years=years))
    if sigma is not None and len(sigma):
        ok = sigma[pd.to_numeric(sigma["cv"], errors="coerce").notna()].sort_values("year")
        if len(ok) >= 2:
            a, b = ok.iloc[0], ok.iloc[-1]
            cv0, cv1 = float(a["cv"]), float(b["cv"])
            key = "steady_cv" if abs(cv1 - cv0) < 0.1 * cv0 else ("converged" if cv1 < cv0 else "diverged")
            out.append(_m(key, lang, series=series, first=F.format_decimal(cv0, lang, decimals=3), y0=int(a["year"]),
                          last=F.format_decimal(cv1, lang, decimals=3), y1=int(b["year"])))
            unit = str(data.loc[data["index"] == index, "unit"].iloc[0]) if data is not None and len(data) else "score"
            out.append(_m("mean_change", lang, first=F.format_value(a["mean"], lang, unit=unit), y0=int(a["year"]),
                          n0=F.format_integer(a["n"], lang), last=F.format_value(b["mean"], lang, unit=unit),
                          y1=int(b["year"]), n1=F.format_integer(b["n"], lang)))
        else:
            out.append(_m("no_cv", lang))
    if trends is not None and len(trends):
        last_year = int(trends["last_year"].max())
        seg = trends[(trends["last_year"] == last_year) & (trends["n_years"] >= MIN_N_INFERENCE)]
        if len(seg):
            d = seg["direction"].astype(str)
            first = int(seg["first_year"].min())
            out.append(_m("directions", lang, years=F.format_year_span(first, last_year),
                          up=F.format_integer((d == "improving").sum(), lang), n=F.format_integer(len(seg), lang),
                          down=F.format_integer((d == "worsening").sum(), lang),
                          flat=F.format_integer((d == "flat").sum(), lang), min_n=MIN_N_INFERENCE))
    if movers is not None and len(movers):
        fast = movers.head(3) if "group" not in movers.columns else movers[movers["group"] == movers["group"].iloc[0]].head(3)
        basis_rank = trends is not None and len(trends) and str(trends["basis"].iloc[0]) == "rank"
        unit = str(trends["unit"].iloc[0]) if trends is not None and len(trends) else "score"
        decimals = 3 if unit == "index_0_1" else 2
        items = [f"{r['province']} {F.format_signed(r['theil_slope'], lang, decimals=decimals)} "
                 f"{_per_year(unit, 'rank' if basis_rank else 'value', lang)}" for _, r in fast.iterrows()]
        if items:
            out.append(_m("fastest", lang, items=", ".join(items)))
    if data is not None and len(data):
        leaders = _leaders(data, index=index, component=component, lang=lang)
        if leaders:
            out.append(leaders)
    return out[:5]


def _leaders(data, *, index: str, component: str, lang: str, k: int = 3) -> str:
    from .compare import _resolve_ranks

    part = data[(data["index"] == index) & (data["component"] == component)]
    if "boundaries" in part.columns:
        part = part[part["boundaries"] == "legacy"]
    if not len(part):
        return ""
    counts = part.groupby("year")["province_code"].nunique()
    full = counts[counts >= 0.9 * counts.max()]
    if not len(full):
        return ""
    year = int(full.index.max())
    table = _resolve_ranks(part[part["year"] == year])
    table = table[table["rank_used"].notna()].sort_values("rank_used").head(k)
    if not len(table):
        return ""
    items = [f"{_name(r['province_code'])} ({F.format_rank(r['rank_used'], r['rank_n'], lang)})" for _, r in table.iterrows()]
    computed = (table["rank_source"] == "computed").any()
    return _m("leaders", lang, year=year, items=", ".join(items)).rstrip(".") + (
        _m("papi_computed", lang) if computed else "") + "."


# --------------------------------------------------------------------------- cross-province


def cross_province_messages(*, year: int, x_index: str, y_index: str, lang: str, data=None, correlations=None,
                            comparison=None, focus: Iterable[str] = ()) -> list[str]:
    """Key messages of a cross-province comparison (3-5 sentences).

    Parameters
    ----------
    data : the year's indicator rows (coverage and regional medians).
    correlations : :func:`cchc_analysis.index_correlations` for the year.
    comparison : :func:`cchc_analysis.compare_province` of the first highlighted province.
    focus : codes of the highlighted provinces.
    """
    import pandas as pd

    from .trends import MIN_N_INFERENCE

    L.check_lang(lang)
    out: list[str] = []
    if data is not None and len(data):
        part = data[(data["component"] == "overall") & (data["year"] == year)]
        if "boundaries" in part.columns:
            part = part[part["boundaries"] == "legacy"]
        cov = part.groupby("index")["province_code"].nunique()
        order = [i for i in ("par", "sipas", "papi", "pci", "dti") if i in cov.index]
        if order:
            out.append(_m("coverage", lang, year=year, items=", ".join(
                _m("coverage_item", lang, index=L.index_label(i, lang), n=F.format_integer(cov[i], lang)) for i in order)))
    x, y = L.index_label(x_index, lang), L.index_label(y_index, lang)
    if correlations is not None and len(correlations):
        pair = correlations[((correlations["index_x"] == x_index) & (correlations["index_y"] == y_index))
                            | ((correlations["index_x"] == y_index) & (correlations["index_y"] == x_index))]
        if "year" in pair.columns:
            pair = pair[pair["year"] == year]
        if len(pair) and not F.is_missing(pair.iloc[0]["r"]):
            r = pair.iloc[0]
            coef = r.get("coefficient") or L.COEFFICIENT_NAMES.get(str(r.get("method")), str(r.get("method")))
            if not F.is_missing(r.get("p_value")) and int(r["n"]) >= MIN_N_INFERENCE:
                p = _m("p_shown", lang, p=_p_text(r["p_value"], lang))
            else:
                p = _m("p_hidden", lang, min_n=MIN_N_INFERENCE)
            out.append(_m("correlation", lang, x=x, y=y, year=year, coef=coef, r=F.format_decimal(r["r"], lang, decimals=2),
                          n=F.format_integer(r["n"], lang), p=p))
        else:
            out.append(_m("no_correlation", lang, x=x, y=y, year=year))
    if comparison is not None and len(comparison):
        nat = comparison[comparison["comparison"] == "national"]
        reg = comparison[comparison["comparison"] == "region"]
        if len(nat) and not F.is_missing(nat.iloc[0].get("rank")):
            c = nat.iloc[0]
            n_national = _rank_n(data, c["index"], c["year"], c["province_code"]) if data is not None else c.get("n")
            rank = F.format_rank(c["rank"], n_national if not F.is_missing(n_national) else c.get("n"), lang)
            if len(reg) and not F.is_missing(reg.iloc[0].get("rank_in_group")):
                g = reg.iloc[0]
                from .provinces import region_names, resolve_province

                unit = resolve_province(str(c["province_code"]))
                region = region_names(lang).get(unit.region, str(g["group"]))
                out.append(_m("position", lang, province=_name(c["province_code"]), index=L.index_label(c["index"], lang),
                              year=int(c["year"]), rank=rank, region=region,
                              region_rank=F.format_rank(g["rank_in_group"], g["n"], lang)))
            else:
                out.append(_m("position_national", lang, province=_name(c["province_code"]),
                              index=L.index_label(c["index"], lang), year=int(c["year"]), rank=rank))
    if data is not None and len(data):
        med = _region_medians(data, index=x_index, year=year, lang=lang)
        if med is not None and len(med) >= 2:
            unit = str(data.loc[data["index"] == x_index, "unit"].iloc[0])
            out.append(_m("regions", lang, index=x, year=year, high=med.index[0],
                          high_value=F.format_value(med.iloc[0], lang, unit=unit), low=med.index[-1],
                          low_value=F.format_value(med.iloc[-1], lang, unit=unit)))
    return out[:5]


def _region_medians(data, *, index: str, year: int, lang: str):
    from .provinces import region_names, resolve_province

    part = data[(data["index"] == index) & (data["year"] == year) & (data["component"] == "overall")]
    if "boundaries" in part.columns:
        part = part[part["boundaries"] == "legacy"]
    part = part[part["value"].notna()]
    if len(part) < 0.9 * 63:  # a partial table: regional medians would mislead
        return None
    names = region_names(lang)
    regions = []
    for code in part["province_code"].astype(str):
        try:
            regions.append(names.get(resolve_province(code).region))
        except Exception:  # unknown code: no region
            regions.append(None)
    med = part.assign(region=regions).dropna(subset=["region"]).groupby("region")["value"].median()
    return med.sort_values(ascending=False)
