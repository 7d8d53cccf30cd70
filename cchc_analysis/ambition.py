"""Targets across provinces: who promised what on an index, how far it was, who got there.

The comparison the toolkit exists for.  From the curated targets (:func:`cchc_analysis.load_targets`)
and the indicators (:func:`cchc_analysis.load_indicators`):

==============================  ===================================================================
function                        returns
==============================  ===================================================================
target_matrix                   which provinces set a target on each index (counts per province)
compare_targets                 one row per target on one index: baseline, target, latest figure,
                                ambition, achievement and the verdict of :func:`assess_targets`
target_summary                  per index: provinces that set a target, targets graded, met, ...
headline                        the same as one sentence per index (vi or en)
brief_table                     the comparison as text a brief author can paste (vi or en)
plot_target_ladder              dot plot per province: baseline -> target -> actual
plot_ambition_achievement       ambition (what was needed) against achievement (what happened)
==============================  ===================================================================

Rules (beyond those of :func:`cchc_analysis.assess_targets`, which grades every national target):

* **Regional ranks are never graded.**  A target with ``scope`` ``region:<slug>`` ("vị trí 4/14
  tỉnh vùng ...") is listed with status ``"regional"`` and left out of the charts and of the
  counts of met targets: the bundled ranks are national.  Baselines of regional scope are not
  given to :func:`assess_targets` either, so a regional rank never serves as a national baseline.
* **Ambition** is measured from where the province stood when the plan was written: the plan's
  own quoted figure (``baseline_source`` "plan"), else the last bundled figure before the plan
  period ("data"), whatever the method then, since it describes the plan: for a rank target the places to climb (baseline rank - target rank; 0 or less: the province was
  already there), for a level the distance in the target's unit (target - baseline, percentage
  points for %), for a yearly change the change required itself.  ``ambition_per_year`` divides
  by the years from the baseline to the deadline.
* **Latest figure** is the province's most recent figure for the target's measure (rank or
  value, ``as_of`` honoured); ``to_go`` is what still separates it from the target (positive =
  still short; ranks in places).
* **Achievement** is the change from the baseline to the graded figure (``actual``): places
  gained for ranks, the increase for levels; left empty (``comparable`` False) when a
  comparability break (``load_breaks()``, e.g. the PAR Index method of 2022) lies between them.

Examples
--------
>>> import cchc_analysis as cchc
>>> comp = cchc.compare_targets(cchc.load_targets(), cchc.load_indicators(), index="par")  # doctest: +SKIP
>>> cchc.target_summary(comp)  # doctest: +SKIP
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from . import labels as L
from . import style as S

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = [
    "COMPARISON_COLUMNS",
    "check_period",
    "target_matrix",
    "compare_targets",
    "target_summary",
    "headline",
    "brief_table",
    "plot_target_ladder",
    "plot_ambition_achievement",
]

INDICES = ("par", "sipas", "papi", "pci", "dti")
REGIONAL = "regional"

COMPARISON_COLUMNS: tuple[str, ...] = (
    "index", "province_code", "province", "boundaries", "document_id", "plan_period", "target_id",
    "indicator_vi", "indicator_en", "scope", "metric_field", "comparator", "target_value", "unit", "deadline",
    "baseline_value", "baseline_year", "baseline_source", "latest_value", "latest_year", "actual", "actual_year",
    "ambition", "ambition_per_year", "ambition_unit", "to_go", "achieved", "comparable", "status", "note", "source_id",
)

_TEXT = {
    "regional": {"vi": "Hạng trong vùng: không chấm", "en": "Regional rank: not graded"},
    "province": {"vi": "Tỉnh", "en": "Province"},
    "document": {"vi": "Văn bản", "en": "Document"},
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "baseline": {"vi": "Xuất phát", "en": "Baseline"},
    "latest": {"vi": "Số liệu mới nhất", "en": "Latest figure"},
    "result": {"vi": "Kết quả so với hạn", "en": "Result at the deadline"},
    "status": {"vi": "Đánh giá", "en": "Status"},
    "plan": {"vi": "kế hoạch", "en": "plan"},
    "data": {"vi": "dữ liệu", "en": "data"},
    "top": {"vi": "nhóm {n} đứng đầu", "en": "top {n}"},
    "places_up": {"vi": "tăng ≥ {n} bậc/năm", "en": "up ≥ {n} places a year"},
    "rank_n": {"vi": "hạng {n}", "en": "rank {n}"},
    "by": {"vi": "đến {year}", "en": "by {year}"},
    "legend_baseline": {"vi": "Xuất phát", "en": "Baseline"},
    "legend_target": {"vi": "Mục tiêu", "en": "Target"},
    "legend_actual": {"vi": "Kết quả (màu: đánh giá)", "en": "Result (colour: status)"},
    "ladder_title": {"vi": "{index}: xuất phát, mục tiêu và kết quả của từng tỉnh",
                     "en": "{index}: baseline, target and result by province"},
    "ambition_title": {"vi": "{index}: phấn đấu và kết quả", "en": "{index}: ambition and result"},
    "ambition_axis": {"vi": "Số bậc cần tăng (xuất phát → mục tiêu)", "en": "Places to climb (baseline → target)"},
    "achieved_axis": {"vi": "Số bậc đã tăng (xuất phát → kết quả)", "en": "Places gained (baseline → result)"},
    "ambition_axis_value": {"vi": "Mức cần tăng ({unit})", "en": "Increase needed ({unit})"},
    "achieved_axis_value": {"vi": "Mức đã tăng ({unit})", "en": "Increase achieved ({unit})"},
    "diagonal": {"vi": "tăng đúng bằng mức cần", "en": "gain = what was needed"},
    "caption": {"vi": "Mục tiêu: {docs} văn bản của {provinces} tỉnh. Kết quả: {results}",
                "en": "Targets: {docs} documents of {provinces} provinces. Results: {results}"},
    "caption_many": {"vi": "{index} {years}, {n} nguồn (xem bảng)", "en": "{index} {years}, {n} sources (see the table)"},
    "alt_ladder": {"vi": "Biểu đồ điểm: {n} mục tiêu {index} của {p} tỉnh; {summary}.",
                   "en": "Dot plot: {n} {index} {targets} of {p} {provinces}; {summary}."},
    "alt_ambition": {"vi": "Biểu đồ phân tán: mức phấn đấu và kết quả của {n} mục tiêu {index}.",
                     "en": "Scatter plot: ambition and achievement of {n} {index} targets."},
}


def _t(key: str, lang: str, **fields: Any) -> str:
    return L.nfc(_TEXT[key][lang].format(**fields))


# ------------------------------------------------------------------------------ selection


def check_period(period: Any, targets: "pd.DataFrame | None" = None) -> tuple[str, int | None, int | None]:
    """Normalise a period parameter: ``""``/None (all), a deadline year (``2023``, ``"2023"``) or a
    plan period (``"2021-2025"``).

    Returns
    -------
    (kind, first, last): ``("all", None, None)``, ``("year", 2023, 2023)`` or
    ``("period", 2021, 2025)``.

    Raises
    ------
    ValueError
        naming the value and the accepted forms; given ``targets``, a year no target has as its
        deadline or a plan period no document has, with the ones that exist.
    """
    if period is None or (isinstance(period, str) and not period.strip()) or period == 0:
        return "all", None, None
    text = str(period).strip()
    m = re.fullmatch(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?", text)
    if isinstance(period, bool) or not m:
        raise ValueError(f"period {period!r} is neither a deadline year (2023) nor a plan period ('2021-2025'); "
                         "give one of those, or '' for every target")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if last < first:
        raise ValueError(f"period {period!r}: the first year is after the last; write '{last}-{first}'")
    kind = "period" if m.group(2) else "year"
    if targets is not None:
        rows = targets[targets["kind"].astype(str) == "target"] if "kind" in targets.columns else targets
        if kind == "year":
            years = sorted({int(y) for y in rows["deadline"].dropna()})
            if first not in years:
                raise ValueError(f"period {period!r}: no target has the deadline {first}; deadlines in the data: "
                                 f"{L.format_years(years)}")
        else:
            periods = sorted({str(p) for p in rows["plan_period"].dropna()})
            if f"{first}-{last}" not in periods:
                import difflib

                close = difflib.get_close_matches(f"{first}-{last}", periods, n=3)
                hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
                raise ValueError(f"period {period!r}: no document has the plan period {first}-{last}{hint}; "
                                 f"plan periods of several years in the data: {[p for p in periods if '-' in p]}")
    return kind, first, last


def _select(targets: "pd.DataFrame", *, period: Any, boundaries: str, kinds=("target",)) -> "pd.DataFrame":
    if boundaries not in ("legacy", "2025"):
        raise ValueError(f"boundaries must be 'legacy' (63 provinces) or '2025' (34 units), got {boundaries!r}")
    need = ["target_id", "document_id", "province_code", "kind", "metric_index", "deadline", "plan_period"]
    missing = [c for c in need if c not in targets.columns]
    if missing:
        raise ValueError(f"`targets` lacks column(s) {missing}; pass the table of cchc.load_targets()")
    frame = targets.copy()
    for col, default in (("boundaries", "legacy"), ("scope", "national"), ("domain", "")):
        if col not in frame.columns:
            frame[col] = default
    frame = frame[(frame["boundaries"].astype(str) == boundaries) & (frame["domain"].astype(str) != "socio_economic")]
    kind, first, last = check_period(period)
    docs = frame
    if kind == "year":
        docs = frame[(frame["kind"] == "target") & (frame["deadline"] == first)]
    elif kind == "period":
        docs = frame[frame["plan_period"].astype(str) == f"{first}-{last}"]
    frame = frame[frame["document_id"].isin(set(docs["document_id"]))]
    if kind == "year":  # that year's targets, with their documents' baselines
        frame = frame[(frame["kind"] != "target") | (frame["deadline"] == first)]
    return frame[frame["kind"].isin(kinds)]


def target_matrix(
    targets: "pd.DataFrame", *, period: Any = None, boundaries: str = "legacy", lang: str | None = None
) -> "pd.DataFrame":
    """Which provinces set a target on each index.

    Parameters
    ----------
    targets : the table of :func:`cchc_analysis.load_targets`.
    period : a deadline year, a plan period ("2021-2025") or None for all (see :func:`check_period`).
    boundaries : "legacy" (plans of the 63 provinces) or "2025" (plans of the 34 units).
    lang : None for the data columns below; "vi" or "en" for a table to show (column names and
        province names in that language, no province_code).

    Returns
    -------
    DataFrame, one row per province with at least one target on an index (sorted by name):
    province_code, province, one column per index (par, sipas, papi, pci, dti: the number of
    targets on it, regional ranks included), regional (how many of them are regional ranks),
    documents (documents with such targets).
    """
    import pandas as pd

    rows = _select(targets, period=period, boundaries=boundaries)
    rows = rows[rows["metric_index"].isin(INDICES)]
    if rows.empty:
        return pd.DataFrame(columns=["province_code", "province", *INDICES, "regional", "documents"])
    wide = pd.crosstab([rows["province_code"], rows["province"]], rows["metric_index"])
    wide = wide.reindex(columns=list(INDICES), fill_value=0)
    extra = rows.groupby(["province_code", "province"]).agg(
        regional=("scope", lambda s: int((s != "national").sum())), documents=("document_id", "nunique"))
    out = wide.join(extra).reset_index().sort_values("province", key=lambda s: s.map(L.nfc)).reset_index(drop=True)
    out.columns.name = None
    return out if lang is None else _localise(out, lang, boundaries=boundaries)


_COLUMN_WORDS = {
    "province": {"vi": "Tỉnh", "en": "Province"},
    "index": {"vi": "Chỉ số", "en": "Index"},
    "regional": {"vi": "Hạng trong vùng (không chấm)", "en": "Regional ranks (not graded)"},
    "documents": {"vi": "Số văn bản", "en": "Documents"},
    "provinces": {"vi": "Số tỉnh đặt mục tiêu", "en": "Provinces with a target"},
    "targets": {"vi": "Số mục tiêu", "en": "Targets"},
    "graded": {"vi": "Đã có kết luận", "en": "Graded"},
    "provinces_graded": {"vi": "Số tỉnh có kết luận", "en": "Provinces graded"},
    "provinces_met": {"vi": "Số tỉnh đạt mọi mục tiêu", "en": "Provinces meeting every target"},
    "provinces_met_any": {"vi": "Số tỉnh đạt ít nhất một", "en": "Provinces meeting at least one"},
}


def _localise(frame: "pd.DataFrame", lang: str, *, boundaries: str = "legacy") -> "pd.DataFrame":
    """Column names (and province or index names) in ``lang``, for display."""
    L.check_lang(lang)
    out = frame.drop(columns=[c for c in ("province_code",) if c in frame.columns]).copy()
    if "province" in out.columns:
        out["province"] = [L.province_label(n, lang, boundaries=boundaries) for n in out["province"]]
    if "index" in out.columns:
        out["index"] = [L.index_label(i, lang) for i in out["index"]]
    names = {}
    for col in out.columns:
        if col in _COLUMN_WORDS:
            names[col] = _COLUMN_WORDS[col][lang]
        elif col in INDICES:
            names[col] = L.index_label(col, lang)
        elif col.replace("_", " ") in L.STATUSES:
            names[col] = L.status_label(col.replace("_", " "), lang)
    return out.rename(columns=names)


# ------------------------------------------------------------------------------ comparison


def _series(indicators: "pd.DataFrame", *, index: str, boundaries: str, as_of: int | None) -> dict:
    """{(province_code, field): [(year, figure, source_id), ...] by year}: the value and the rank
    (published, or computed from a complete table of scores) of each province on the overall index."""
    import pandas as pd

    from .compare import _resolve_ranks

    part = indicators[(indicators["index"] == index) & (indicators["component"] == "overall")]
    if "boundaries" in part.columns:
        part = part[part["boundaries"] == boundaries]
    if as_of is not None:
        part = part[part["year"] <= as_of]
    out: dict = {}
    if part.empty:
        return out
    part = _resolve_ranks(part).sort_values("year")
    src = part["source_id"] if "source_id" in part.columns else pd.Series(None, index=part.index)
    for field, col in (("value", "value"), ("rank", "rank_used")):
        figures = pd.to_numeric(part[col], errors="coerce")
        have = figures.notna()
        for code, year, fig, sid in zip(part["province_code"][have], part["year"][have], figures[have], src[have]):
            out.setdefault((str(code), field), []).append((int(year), float(fig), sid))
    return out


def _break_years(breaks: "pd.DataFrame | None", index: str) -> list[int]:
    if breaks is None:
        from .indicators import load_breaks

        breaks = load_breaks()
    rows = breaks[breaks["index"].isin([index, "*"]) & breaks["component"].isin(["overall", "*"])]
    if "kind" in rows.columns:
        rows = rows[rows["kind"] != "note"]
    return sorted({int(y) for y in rows["year"]})


def _ambition_unit(field: str, unit: str) -> str:
    if field in ("rank", "rank_change") or unit in ("rank", "places"):
        return "places"
    return "percentage points" if unit == "%" else "points"


def compare_targets(
    targets: "pd.DataFrame",
    indicators: "pd.DataFrame",
    *,
    index: str,
    period: Any = None,
    boundaries: str = "legacy",
    as_of: int | None = None,
    breaks: "pd.DataFrame | None" = None,
) -> "pd.DataFrame":
    """Every target on ``index`` across provinces: baseline, target, latest figure, verdict.

    Parameters
    ----------
    targets : the table of :func:`cchc_analysis.load_targets` (targets and baselines).
    indicators : the table of :func:`cchc_analysis.load_indicators`.
    index : "par", "sipas", "papi", "pci" or "dti".
    period : a deadline year, a plan period ("2021-2025") or None for all (see :func:`check_period`).
    boundaries : "legacy" or "2025": the province set of the plans (and of the figures they are
        graded on).
    as_of : last assessment year used (None: all data); passed to :func:`assess_targets`.
    breaks : comparability breaks for :func:`assess_targets` (None: the bundled ones).

    Returns
    -------
    DataFrame, one row per target on the index (socio-economic targets dropped), national ones
    first, columns :data:`COMPARISON_COLUMNS`:

    ===================  =======================================================================
    index, province_code, province, boundaries, document_id, plan_period, target_id
    indicator_vi/_en     the target in words (our wording)
    scope                "national" or "region:<slug>" (status "regional", never graded)
    metric_field         rank, value, rank_change or value_change
    comparator, target_value, unit, deadline       the target
    baseline_value, baseline_year, baseline_source  where the province stood when the plan was
                         written: "plan", the plan's own quoted figure (latest before the
                         deadline), else "data", the last bundled figure before the plan period
    latest_value, latest_year   the province's latest figure for the measure (rank or value)
    actual, actual_year  the figure graded (:func:`assess_targets`)
    ambition             places to climb (ranks), distance to the target (levels), or the
                         yearly change required (changes); NaN without a baseline
    ambition_per_year    ambition / years from baseline to deadline (levels and ranks)
    ambition_unit        "places", "percentage points" or "points"
    to_go                latest figure to target, positive = still short (levels and ranks)
    achieved             baseline to actual: places gained, or the increase; NaN when a
                         comparability break lies between them or the actual figure is not
                         newer than the baseline
    comparable           baseline and actual on the same side of every break (None: one missing)
    status               met, not met, on track, off track, no data, not measurable, regional
    note, source_id      from :func:`assess_targets` (source of the graded figure)
    ===================  =======================================================================

    Raises
    ------
    ValueError
        for an unknown index, boundaries or period, or tables without the needed columns.
    """
    import numpy as np
    import pandas as pd

    from .gaps import assess_targets

    if index not in INDICES:
        import difflib

        close = difflib.get_close_matches(str(index), INDICES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"index {index!r} is not one of {', '.join(INDICES)}{hint}")
    rows = _select(targets, period=period, boundaries=boundaries, kinds=("target", "baseline"))
    on_index = rows[rows["metric_index"] == index]
    tgt = on_index[on_index["kind"] == "target"]
    national = tgt[tgt["scope"] == "national"]
    regional = tgt[tgt["scope"] != "national"]
    bases = rows[(rows["kind"] == "baseline") & (rows["scope"] == "national")
                 & rows["document_id"].isin(set(national["document_id"]))]
    if len(national):
        graded = assess_targets(pd.concat([national, bases]), indicators, as_of=as_of, breaks=breaks)
    else:
        graded = pd.DataFrame(columns=["target_id"])
    graded = graded.set_index("target_id") if len(graded) else graded
    series = _series(indicators, index=index, boundaries=boundaries, as_of=as_of)
    break_years = _break_years(breaks, index)
    quoted: dict[tuple, list[tuple[int, float]]] = {}  # (document, province, field) -> the plan's own figures
    for b in bases[bases["metric_index"] == index].to_dict("records"):
        if str(b.get("metric_component") or "overall") == "overall" and not _blank(b["deadline"]):
            key = (b["document_id"], str(b["province_code"]), str(b["boundaries"]), str(b["metric_field"]))
            quoted.setdefault(key, []).append((int(b["deadline"]), float(b["value"])))
    out = []
    for t in pd.concat([national, regional]).to_dict("records"):
        field = str(t.get("metric_field") or ("rank" if t["comparator"] == "top" else "value"))
        rec = {c: t.get(c) for c in ("province_code", "province", "boundaries", "document_id", "plan_period", "target_id",
                                      "indicator_vi", "indicator_en", "scope", "comparator", "unit", "deadline")}
        rec.update(index=index, metric_field=field, target_value=float(t["value"]))
        g = graded.loc[t["target_id"]].to_dict() if t["target_id"] in getattr(graded, "index", []) else {}
        for col in ("actual", "actual_year", "note", "source_id"):
            rec[col] = g.get(col)
        rec["status"] = g.get("status") if t["scope"] == "national" else REGIONAL
        if t["scope"] != "national":
            rec["note"] = "a rank within a region: the bundled ranks are national, so it is not graded"
        own = series.get((str(t["province_code"]), field), []) if t["scope"] == "national" else []
        fig = own[-1] if own and field in ("rank", "value") else None
        rec["latest_value"], rec["latest_year"] = (fig[1], fig[0]) if fig else (np.nan, None)
        # where the province stood when the plan was written: its own quoted figure, else the data's
        # last figure before the plan period (whatever the method then: this describes the plan)
        rec["baseline_value"], rec["baseline_year"], rec["baseline_source"] = np.nan, None, None
        deadline = None if _blank(t["deadline"]) else int(t["deadline"])
        key = (t["document_id"], str(t["province_code"]), str(t["boundaries"]), field)
        mine = [q for q in quoted.get(key, []) if deadline is None or q[0] < deadline]
        start = _plan_start(t["plan_period"])
        before = [o for o in own if start is not None and o[0] < start]
        if mine and field in ("rank", "value"):
            year, value = max(mine)
            rec.update(baseline_value=value, baseline_year=year, baseline_source="plan")
        elif before and field in ("rank", "value"):
            rec.update(baseline_value=before[-1][1], baseline_year=before[-1][0], baseline_source="data")
        target, base, actual = rec["target_value"], _num(rec["baseline_value"]), _num(rec["actual"])
        same_side = (not _blank(rec["baseline_year"]) and not _blank(rec["actual_year"])
                     and not any(int(rec["baseline_year"]) < y <= int(rec["actual_year"]) for y in break_years))
        rec["comparable"] = bool(same_side) if field in ("rank", "value") and not math.isnan(base) and not math.isnan(actual) else None
        if rec["comparable"] is False:
            actual = math.nan  # a change across a comparability break is not an achievement
        elif rec["comparable"] and int(rec["actual_year"]) <= int(rec["baseline_year"]):
            actual = math.nan  # no figure newer than the baseline: nothing achieved or missed yet
        rec["ambition_unit"] = _ambition_unit(field, str(t["unit"]))
        if t["scope"] != "national":
            rec["ambition"] = rec["to_go"] = rec["achieved"] = rec["ambition_per_year"] = np.nan
        elif field == "rank":
            rec["ambition"] = base - target
            rec["to_go"] = _num(rec["latest_value"]) - target
            rec["achieved"] = base - actual
        elif field == "value":
            sign = -1.0 if t["comparator"] in ("<", "<=") else 1.0
            rec["ambition"] = sign * (target - base)
            rec["to_go"] = sign * (target - _num(rec["latest_value"]))
            rec["achieved"] = sign * (actual - base)
        else:  # yearly changes: the change required is the ambition; the graded change the achievement
            rec["ambition"], rec["to_go"], rec["achieved"] = target, np.nan, actual
        years = (int(t["deadline"]) - int(rec["baseline_year"])) if not _blank(rec["baseline_year"]) and not _blank(t["deadline"]) else None
        rec["ambition_per_year"] = (rec["ambition"] / years if years and years > 0 and field in ("rank", "value")
                                    else np.nan)
        out.append(rec)
    frame = pd.DataFrame(out, columns=list(COMPARISON_COLUMNS))
    for col in ("deadline", "baseline_year", "latest_year", "actual_year"):
        frame[col] = pd.array([None if _blank(v) else int(v) for v in frame[col]], dtype="Int64")
    for col in ("target_value", "baseline_value", "latest_value", "actual", "ambition", "ambition_per_year", "to_go",
                "achieved"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["comparable"] = pd.array([None if v is None else bool(v) for v in frame["comparable"]], dtype="boolean")
    return frame


def _blank(v: Any) -> bool:
    try:
        import pandas as pd

        return v is None or bool(pd.isna(v)) or (isinstance(v, str) and not v.strip())
    except (TypeError, ValueError):
        return False


def _num(v: Any) -> float:
    return math.nan if _blank(v) else float(v)


def _plan_start(period: Any) -> int | None:
    m = re.match(r"^\s*(\d{4})", str(period or ""))
    return int(m.group(1)) if m else None


def target_summary(comparison: "pd.DataFrame", *, lang: str | None = None) -> "pd.DataFrame":
    """How many provinces set a target on each index, how many targets were graded and met.

    Parameters
    ----------
    comparison : the table of :func:`compare_targets` (one index, or several concatenated).
    lang : None for the data columns below; "vi" or "en" for a table to show.

    Returns
    -------
    DataFrame, one row per index: index, provinces (that set at least one target on it), targets,
    regional (regional ranks, not graded), graded (targets with a verdict: met or not met),
    met, not_met, on_track, off_track, no_data, provinces_graded (provinces with a verdict),
    provinces_met (provinces whose every graded target was met), provinces_met_any (at least one).
    """
    import pandas as pd

    rows = []
    for idx, g in comparison.groupby("index", sort=False):
        status = g["status"].astype(str)
        verdict = g[status.isin(["met", "not met"])]
        by_prov = verdict.groupby("province_code")["status"]
        rows.append({
            "index": idx,
            "provinces": int(g["province_code"].nunique()),
            "targets": len(g),
            "regional": int((status == REGIONAL).sum()),
            "graded": len(verdict),
            "met": int((status == "met").sum()),
            "not_met": int((status == "not met").sum()),
            "on_track": int((status == "on track").sum()),
            "off_track": int((status == "off track").sum()),
            "no_data": int((status == "no data").sum()),
            "provinces_graded": int(verdict["province_code"].nunique()),
            "provinces_met": int(by_prov.apply(lambda s: bool((s == "met").all())).sum()) if len(verdict) else 0,
            "provinces_met_any": int(by_prov.apply(lambda s: bool((s == "met").any())).sum()) if len(verdict) else 0,
        })
    cols = ["index", "provinces", "targets", "regional", "graded", "met", "not_met", "on_track", "off_track", "no_data",
            "provinces_graded", "provinces_met", "provinces_met_any"]
    out = pd.DataFrame(rows, columns=cols)
    return out if lang is None else _localise(out, lang)


def headline(comparison: "pd.DataFrame", *, lang: str = "vi") -> str:
    """One sentence per index for a brief: how many provinces set a target, how many met it.

    >>> import pandas as pd
    >>> comp = pd.DataFrame({"index": ["par"] * 3, "province_code": ["01", "01", "49"],
    ...                      "status": ["met", "not met", "not met"]})
    >>> headline(comp, lang="en")
    'PAR Index: 2 provinces set 3 targets; 3 graded (met or not met by the deadline): 1 met, 2 not met; 0 provinces met every graded target.'
    """
    L.check_lang(lang)
    out = []
    for r in target_summary(comparison).to_dict("records"):
        name = L.index_label(r["index"], lang)
        if lang == "vi":
            text = (f"{name}: {r['provinces']} tỉnh đặt {r['targets']} mục tiêu; {r['graded']} mục tiêu đã đến hạn "
                    f"và có số liệu: {r['met']} đạt, {r['not_met']} không đạt; {r['provinces_met']} tỉnh đạt mọi "
                    "mục tiêu đã có kết luận.")
            extra = [f"{r['on_track']} đúng tiến độ" if r["on_track"] else "",
                     f"{r['off_track']} chậm tiến độ" if r["off_track"] else "",
                     f"{r['no_data']} chưa có số liệu" if r["no_data"] else "",
                     f"{r['regional']} là hạng trong vùng, không chấm" if r["regional"] else ""]
        else:
            def n(k: int, word: str) -> str:
                return f"{k} {word}" + ("" if k == 1 else "s")

            text = (f"{name}: {n(r['provinces'], 'province')} set {n(r['targets'], 'target')}; {r['graded']} graded "
                    f"(met or not met by the deadline): {r['met']} met, {r['not_met']} not met; "
                    f"{n(r['provinces_met'], 'province')} met every graded target.")
            extra = [f"{r['on_track']} on track" if r["on_track"] else "",
                     f"{r['off_track']} off track" if r["off_track"] else "",
                     f"{r['no_data']} without data" if r["no_data"] else "",
                     f"{n(r['regional'], 'regional rank')}, not graded" if r["regional"] else ""]
        extra = [e for e in extra if e]
        if extra:
            text += (" Ngoài ra: " if lang == "vi" else " Also: ") + "; ".join(extra) + "."
        out.append(text)
    return "\n".join(out)


# ------------------------------------------------------------------------------ table for briefs


def _fmt(v: float, lang: str, unit: str | None = None) -> str:
    if _blank(v):
        return "–"
    decimals = 0 if float(v).is_integer() or unit in ("rank", "places") else (2 if abs(v) < 1 else 1 if unit != "score" else 2)
    text = L.format_number(float(v), lang, decimals=decimals)
    return f"{text} %" if unit == "%" else text


def _target_text(r: dict, lang: str) -> str:
    field, comp, value = r["metric_field"], r["comparator"], r["target_value"]
    if field == "rank":
        what = _t("top", lang, n=_fmt(value, lang, "rank")) if comp == "top" else _t("rank_n", lang, n=_fmt(value, lang, "rank"))
    elif field == "rank_change":
        what = _t("places_up", lang, n=_fmt(value, lang, "places"))
    else:
        sym = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}.get(comp, comp)
        plus = "+" if field == "value_change" else ""
        what = f"{sym} {plus}{_fmt(value, lang, r['unit'])}"
    if r["scope"] != "national":
        what += f" ({_region_text(str(r['scope']), lang)})"
    deadline = r["deadline"]
    return what + ("" if _blank(deadline) else f", {_t('by', lang, year=int(deadline))}")


# region slugs the plans use that are not the registry's six regions (same areas, other names)
def _region_text(scope: str, lang: str) -> str:
    """``region:dong-bang-song-cuu-long`` -> "vùng Đồng bằng sông Cửu Long" / "Mekong River Delta region"."""
    from .targets import REGION_SCOPES, canonical_scope

    name = REGION_SCOPES.get(canonical_scope(scope).removeprefix("region:"), {}).get(lang)
    if lang == "vi":
        return f"vùng {name}" if name else "trong vùng"
    return f"{name} region" if name else "within a region"


def _figure_text(value: float, year: Any, field: str, lang: str, unit: str, source: Any = None) -> str:
    if _blank(value):
        return "–"
    number = _fmt(value, lang, "rank" if field in ("rank", "rank_change") else unit)
    if field == "rank":
        number = _t("rank_n", lang, n=number)
    text = number + ("" if _blank(year) else f" ({int(year)}")
    if not _blank(year):
        text += (f", {_t(str(source), lang)})" if isinstance(source, str) and source in ("plan", "data") else ")")
    return text


def brief_table(comparison: "pd.DataFrame", *, lang: str = "vi", documents: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """The comparison as text for a brief: one row per target, every cell a string in ``lang``.

    Parameters
    ----------
    comparison : the table of :func:`compare_targets`.
    lang : "vi" or "en": column names, words, decimal marks ("87,5 %" / "87.5 %").
    documents : the documents table (:func:`cchc_analysis.load_documents`; None loads it) to
        name each document by its number and date.

    Returns
    -------
    DataFrame with columns (in ``lang``) Province, Document, Target, Baseline, Latest figure,
    Result at the deadline, Status; sorted by status (met first) then province.  A baseline says
    where it comes from ("(2021, plan)"); "–" marks a missing figure.
    """
    import pandas as pd

    L.check_lang(lang)
    if documents is None:
        from .targets import load_documents

        documents = load_documents()
    docs = documents.set_index("document_id")
    order = {s: i for i, s in enumerate(["met", "on track", "off track", "not met", "no data", "not measurable", REGIONAL])}
    rows = []
    frame = comparison.assign(_o=comparison["status"].map(order).fillna(9))
    frame = frame.sort_values(["_o", "province"], key=lambda s: s.map(L.nfc) if s.name == "province" else s, kind="stable")
    for r in frame.to_dict("records"):
        d = docs.loc[r["document_id"]] if r["document_id"] in docs.index else None
        if d is not None:
            url = d.get("source_url") if isinstance(d.get("source_url"), str) else ""
            host = urlparse(url).netloc.removeprefix("www.") if url else ""
            number = d["number"] if isinstance(d["number"], str) and d["number"] else (host or r["document_id"])
            when = d["date"][:10] if isinstance(d["date"], str) and d["date"] else str(d["plan_period"])
            doc = f"{number} ({when})"
        else:
            doc = str(r["document_id"])
        field, unit = r["metric_field"], str(r["unit"])
        status = _t("regional", lang) if r["status"] == REGIONAL else L.status_label(str(r["status"] or "no data"), lang)
        rows.append({
            _t("province", lang): L.province_label(r["province"], lang, boundaries=str(r.get("boundaries") or "legacy")),
            _t("document", lang): doc,
            _t("target", lang): _target_text(r, lang),
            _t("baseline", lang): _figure_text(r["baseline_value"], r["baseline_year"], field, lang, unit, r["baseline_source"]),
            _t("latest", lang): _figure_text(r["latest_value"], r["latest_year"], field, lang, unit),
            _t("result", lang): _figure_text(r["actual"], r["actual_year"], field, lang, unit),
            _t("status", lang): status,
        })
    return pd.DataFrame(rows, columns=[_t(k, lang) for k in ("province", "document", "target", "baseline", "latest",
                                                              "result", "status")])


# ------------------------------------------------------------------------------ figures


def _caption(frame: "pd.DataFrame", lang: str, sources: "pd.DataFrame | None") -> str:
    """Targets: N documents of M provinces; results: the sources of the graded figures."""
    ids = [s for s in frame["source_id"].dropna().astype(str).unique() if s]
    if not ids:
        results = L.text("no_data", lang)
    elif len(ids) <= 3:
        results = S.source_caption(ids, lang=lang, sources=sources).split(": ", 1)[-1]
    else:
        years = L.format_years(frame["actual_year"].dropna().astype(int))
        results = _t("caption_many", lang, index=L.index_label(str(frame["index"].iloc[0]), lang), years=years, n=len(ids))
    return _t("caption", lang, docs=frame["document_id"].nunique(), provinces=frame["province_code"].nunique(),
              results=results)


def _graded_rows(comparison: "pd.DataFrame", field: str, func: str) -> "pd.DataFrame":
    need = ["index", "province", "metric_field", "target_value", "baseline_value", "actual", "status", "scope", "deadline"]
    missing = [c for c in need if c not in comparison.columns]
    if missing:
        raise ValueError(f"{func}: `comparison` lacks column(s) {missing}; pass the table of compare_targets()")
    if comparison["index"].nunique() > 1:
        raise ValueError(f"{func}: `comparison` holds several indices {sorted(comparison['index'].unique())}; "
                         "draw one index at a time (compare_targets(..., index=...))")
    if field not in ("rank", "value"):
        raise ValueError(f"{func}: field must be 'rank' or 'value', got {field!r}")
    rows = comparison[(comparison["scope"] == "national") & (comparison["metric_field"] == field)]
    return rows.reset_index(drop=True)


def plot_target_ladder(
    comparison: "pd.DataFrame",
    *,
    field: str = "rank",
    n_units: int | None = None,
    lang: str = "vi",
    ax: "Axes | None" = None,
    caption: bool | str = True,
    sources: "pd.DataFrame | None" = None,
    title: str | None = None,
) -> "Axes":
    """Dot plot, one row per province and target: baseline -> target -> actual.

    Regional ranks are never drawn (they are not national ranks).  A rank axis runs from
    ``n_units`` (left) to 1 (right): better is to the right, as in
    :func:`cchc_analysis.plots.plot_target_gaps`; a value axis grows to the right.

    Parameters
    ----------
    comparison : the table of :func:`compare_targets` for one index.
    field : "rank" (rank targets, default) or "value" (targets on the score).
    n_units : size of the ranking (default 63 for legacy plans, 34 for 2025 ones).
    lang, caption, sources, title : as in :mod:`cchc_analysis.plots` (the caption names the
        plan documents and the sources of the graded figures).
    ax : an Axes, or None for a new figure sized to the number of rows.

    Returns
    -------
    Axes.  Per row a Line2D with gid "baseline" (hollow grey circle, when a baseline exists),
    "target" (blue tick), "actual" (dot in the status colour, when graded or shown, with its
    year below: Text gid "actual-year"; the baseline's year is above it, gid "baseline-year") and "progress" (the line from baseline to actual, only
    when no comparability break lies between them); the status words are the right-hand tick
    labels (gid "status").  Rows are sorted by target, then province.

    Raises
    ------
    ValueError
        when ``comparison`` has no national target of that field, several indices, or lacks columns.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    func = "plot_target_ladder"
    L.check_lang(lang)
    rows = _graded_rows(comparison, field, func)
    if rows.empty:
        raise ValueError(f"{func}: no national {field} target in `comparison`; try field={'value' if field == 'rank' else 'rank'!r}")
    rows = rows.sort_values(["target_value", "province"], key=lambda s: s.map(L.nfc) if s.name == "province" else s,
                            ascending=[field == "rank", True], kind="stable").reset_index(drop=True)
    is_rank = field == "rank"
    if n_units is None:
        n_units = 34 if "boundaries" in rows.columns and (rows["boundaries"] == "2025").all() else 63
    if ax is None:
        width, _ = S.figure_size("double")
        _, ax = plt.subplots(figsize=(width, 1.2 + 0.28 * len(rows)), layout="constrained")
    labels, statuses = [], []
    for i, r in enumerate(rows.to_dict("records")):
        status = r["status"] if isinstance(r["status"], str) and r["status"] in S.STATUS_COLOURS else "no data"
        colour = S.STATUS_COLOURS[status]
        base, target, actual = _num(r["baseline_value"]), _num(r["target_value"]), _num(r["actual"])
        if not math.isnan(base):
            (b,) = ax.plot([base], [i], marker="o", markersize=6, markerfacecolor="white", markeredgecolor="#7F7F7F",
                           markeredgewidth=1.2, linestyle="none", zorder=4)
            b.set_gid("baseline")
            same = base == actual and str(r.get("baseline_year")) == str(r.get("actual_year"))
            if not _blank(r.get("baseline_year")) and not same:  # one year label for one figure
                by = ax.annotate(str(int(r["baseline_year"])), xy=(base, i), xytext=(0, 7), textcoords="offset points",
                                 ha="center", va="bottom", fontsize="x-small", color="#7F7F7F", zorder=6)
                by.set_gid("baseline-year")
        (tl,) = ax.plot([target], [i], marker="|", markersize=11, markeredgewidth=2.2, color=S.TARGET, linestyle="none",
                        zorder=5)
        tl.set_gid("target")
        if not math.isnan(actual):
            if not math.isnan(base) and r.get("comparable") is True:  # never a line across a break
                (pl,) = ax.plot([base, actual], [i, i], color=colour, linewidth=1.4, alpha=0.7, zorder=2)
                pl.set_gid("progress")
            (al,) = ax.plot([actual], [i], marker="o", markersize=6.5, color=colour, markeredgecolor="white",
                            markeredgewidth=0.6, linestyle="none", zorder=6)
            al.set_gid("actual")
            if not _blank(r.get("actual_year")):  # the year of every figure shown
                yr = ax.annotate(str(int(r["actual_year"])), xy=(actual, i), xytext=(0, -7), textcoords="offset points",
                                 ha="center", va="top", fontsize="x-small", color="#595959", zorder=6)
                yr.set_gid("actual-year")
        statuses.append((L.status_label(status, lang), colour))
        deadline = "" if _blank(r["deadline"]) else f" ({int(r['deadline'])})"
        labels.append(L.province_label(r["province"], lang, boundaries=str(r.get("boundaries") or "legacy")) + deadline)
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(len(rows) - 0.5, -0.7)
    # the status words as right-hand tick labels: the layout makes room for them
    right = ax.secondary_yaxis("right")
    right.set_yticks(range(len(rows)), [w for w, _ in statuses])
    right.tick_params(axis="y", length=0)
    right.spines["right"].set_visible(False)
    for label, (_, colour) in zip(right.get_yticklabels(), statuses):
        label.set_color(colour)
        label.set_fontsize("small")
        label.set_gid("status")
    ax.tick_params(axis="y", length=0)
    ax.xaxis.grid(True, color="#EEEEEE", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if is_rank:
        ax.set_xlim(n_units + 0.5, 0.5)
        ax.set_xlabel(L.text("rank_axis", lang) + "   " + L.text("better_right", lang))
    else:
        from .plots import _decimal_formatter

        unit = str(rows["unit"].iloc[0])
        ax.xaxis.set_major_formatter(_decimal_formatter(lang))
        ax.set_xlabel(L.value_axis_label("percent" if unit == "%" else unit, lang, index=str(rows["index"].iloc[0])))
    handles = [
        Line2D([], [], marker="o", markersize=6, markerfacecolor="white", markeredgecolor="#7F7F7F", linestyle="none",
               label=_t("legend_baseline", lang)),
        Line2D([], [], marker="|", markersize=9, markeredgewidth=2, color=S.TARGET, linestyle="none",
               label=_t("legend_target", lang)),
        Line2D([], [], marker="o", markersize=6, color="#7F7F7F", linestyle="none", label=_t("legend_actual", lang)),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, fontsize="small", frameon=False,
              borderaxespad=0.2)
    index_name = L.index_label(str(rows["index"].iloc[0]), lang)
    text = _t("ladder_title", lang, index=index_name) if title is None else title
    if text:
        ax.set_title(L.nfc(text), loc="left", pad=22)
    counts = rows["status"].fillna("no data").value_counts()
    summary = ", ".join(f"{L.status_label(s, lang).lower()} {int(counts[s])}" for s in L.STATUSES if s in counts)
    S.add_caption(ax, _caption(rows, lang, sources) if caption is True else (caption or ""))
    n_prov = rows["province_code"].nunique()
    S.set_alt_text(ax, _t("alt_ladder", lang, n=len(rows), index=index_name, p=n_prov, summary=summary,
                          targets="target" if len(rows) == 1 else "targets",
                          provinces="province" if n_prov == 1 else "provinces"))
    return ax


def plot_ambition_achievement(
    comparison: "pd.DataFrame",
    *,
    field: str = "rank",
    lang: str = "vi",
    ax: "Axes | None" = None,
    caption: bool | str = True,
    sources: "pd.DataFrame | None" = None,
    title: str | None = None,
) -> "Axes":
    """Scatter of ambition (baseline to target) against achievement (baseline to actual).

    One point per national target of ``field`` with both a baseline and a graded figure, in its
    status colour and labelled with the province; the diagonal marks a gain equal to what was
    needed (points above it went further than planned).  Ranks in places climbed, levels in the
    target's unit.

    Returns
    -------
    Axes with PathCollection gid "targets" and a Line2D gid "diagonal".

    Raises
    ------
    ValueError
        when no target has both a baseline and a result.
    """
    import matplotlib.pyplot as plt

    func = "plot_ambition_achievement"
    L.check_lang(lang)
    rows = _graded_rows(comparison, field, func)
    rows = rows[rows["ambition"].notna() & rows["achieved"].notna()].reset_index(drop=True)
    if rows.empty:
        raise ValueError(f"{func}: no {field} target with both a baseline and a result in `comparison`")
    if ax is None:
        _, ax = plt.subplots(figsize=S.figure_size("single", aspect=0.9), layout="constrained")
    colours = [S.STATUS_COLOURS.get(s, S.STATUS_COLOURS["no data"]) for s in rows["status"].fillna("no data")]
    pts = ax.scatter(rows["ambition"], rows["achieved"], c=colours, s=36, edgecolors="white", linewidths=0.6, zorder=3)
    pts.set_gid("targets")
    lo = float(min(rows["ambition"].min(), rows["achieved"].min(), 0))
    hi = float(max(rows["ambition"].max(), rows["achieved"].max(), 1))
    pad = (hi - lo) * 0.08 or 1.0
    (d,) = ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="#7F7F7F", linestyle="--", linewidth=0.8, zorder=1,
                   label=_t("diagonal", lang))
    d.set_gid("diagonal")
    ax.axhline(0, color="#BDBDBD", linewidth=0.6, zorder=0)
    ax.axvline(0, color="#BDBDBD", linewidth=0.6, zorder=0)
    texts = [ax.text(r["ambition"], r["achieved"], L.province_label(r["province"], lang), fontsize="x-small",
                     color="#333333", gid="province") for r in rows.to_dict("records")]
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(lo - pad, hi + pad)
    if len(texts) > 1:
        from adjustText import adjust_text

        # a fixed number of iterations, so the figure does not depend on the machine's speed
        adjust_text(texts, x=rows["ambition"].to_numpy(), y=rows["achieved"].to_numpy(), ax=ax, iter_lim=200,
                    time_lim=None, arrowprops=dict(arrowstyle="-", color="#A6A6A6", lw=0.4))
    unit = L.gap_unit_label(str(rows["ambition_unit"].iloc[0]), lang)
    if field == "rank":
        ax.set_xlabel(_t("ambition_axis", lang))
        ax.set_ylabel(_t("achieved_axis", lang))
    else:
        ax.set_xlabel(_t("ambition_axis_value", lang, unit=unit))
        ax.set_ylabel(_t("achieved_axis_value", lang, unit=unit))
    if field != "rank":
        from .plots import _decimal_formatter

        ax.xaxis.set_major_formatter(_decimal_formatter(lang))
        ax.yaxis.set_major_formatter(_decimal_formatter(lang))
    ax.legend(loc="upper left", fontsize="small", frameon=False)
    index_name = L.index_label(str(rows["index"].iloc[0]), lang)
    text = _t("ambition_title", lang, index=index_name) if title is None else title
    if text:
        ax.set_title(L.nfc(text), loc="left")
    S.add_caption(ax, _caption(rows, lang, sources) if caption is True else (caption or ""))
    S.set_alt_text(ax, _t("alt_ambition", lang, n=len(rows), index=index_name))
    return ax
