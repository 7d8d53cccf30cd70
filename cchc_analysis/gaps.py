"""Targets against outcomes: was each plan target met, or is it on track?

:func:`assess_targets` joins the targets table (``cchc_analysis.load_targets()``) with
the indicators (``cchc_analysis.load_indicators()``) on (index, component, boundaries,
province) and returns one row per target -- none is dropped: a target no index
measures is "not measurable", a measurable one without figures is "no data".

Rules
-----
* **Which figure.**  The figure of the deadline year (assessment year: PAR Index 2023
  is the 2023 assessment, published in 2024).  When the province has none, the latest
  earlier figure is used and ``actual_is_latest`` is True.  Years after ``as_of`` are
  never used.
* **Comparators.**  ``>`` is strict, ``>=`` is not (a gap of 0 meets ``>=`` but not
  ``>``).  Ranks: lower is better; ``top N`` means rank <= N, and because tied
  provinces share a rank (competition ranking) a province tied at N is in the top N.
  ``=`` is met within floating-point precision only.
* **Changes.**  ``metric_field`` "rank_change" is the places gained since the previous
  figure on the same side of every comparability break (previous rank - rank, positive
  = moved up); "value_change" is value - previous value.
* **100 % targets.**  A target of 100 % (``>=`` or ``=``) counts as met when the figure
  is within ``full_target_tolerance`` = 1 percentage point of 100 (the rule of the UN
  SDG Progress Chart for universal-coverage targets).
* **Gap** -- signed, in the target's unit (percentage points for %, places for
  ranks); NEGATIVE = short of the target, positive = beyond it:
  ``actual - target`` for ``>``, ``>=``, ``=``; ``target - actual`` for ``<``, ``<=``,
  ``top``.  PAR Index rank 56 against "top 20" gives -36 (36 places short).
* **Future deadlines** (deadline after ``as_of`` or after the latest year the index
  has data): the Open SDG progress measure (sdg-build ``ProgressMeasure``,
  methodology 2, https://open-sdg.readthedocs.io/en/latest/progress-methodology/)::

      CAGR_observed = (x_t / x_0) ** (1 / (t - t0)) - 1
      CAGR_required = (x* / x_0) ** (1 / (T - t0)) - 1
      progress_ratio = direction * CAGR_observed / |CAGR_required|

  with ``x_0`` the baseline (year t0), ``x_t`` the latest figure (year t), ``x*`` the
  target and T the deadline; direction = +1 for "at least" targets (``>``, ``>=``; an
  ``=`` target above the baseline) and -1 for "at most" ones (``<``, ``<=``, ranks).
  Status "on track" when the target is already met or ``progress_ratio >=
  on_track_ratio`` (default 1: at the observed pace the target is reached by the
  deadline), else "off track".  ``progress_category`` gives Open SDG's own labels:
  "target achieved", "substantial progress" (ratio >= 0.95), "moderate progress"
  (>= 0.6), "limited progress" (>= 0), "deterioration" (< 0).  When a value is not
  positive the growth is taken as linear (slope per year) instead of compound.
* **Projected year** -- first year the target is reached if the observed growth
  continues: ``t + ln(x*/x_t) / ln(1 + CAGR_observed)`` rounded up (linear:
  ``t + (x* - x_t) / slope``); the actual year if already met; <NA> if the series
  moves away from the target.
* **Baseline** -- from the indicator data: the latest figure before the plan period
  starts (first year of ``plan_period``), on the same side of every comparability
  break as the actual figure; failing that, the earliest comparable figure before the
  actual year.

Examples
--------
>>> assess_targets(load_targets(), load_indicators(), as_of=2024)  # doctest: +SKIP
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from .compare import _resolve_ranks
from .trends import _breaks_for, _enforced, _load_breaks, _province_name, _require_frame

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "assess_targets",
    "progress_ratio",
    "progress_category",
    "STATUSES",
    "GAP_COLUMNS",
]

STATUSES = ("met", "not met", "on track", "off track", "no data", "not measurable")
COMPARATORS = (">", ">=", "=", "<=", "<", "top")
FIELDS = ("value", "rank", "rank_change", "value_change")
GAP_COLUMNS = (
    "target_id",
    "document_id",
    "province_code",
    "province",
    "indicator_vi",
    "indicator_en",
    "metric_index",
    "metric_component",
    "metric_field",
    "comparator",
    "target_value",
    "unit",
    "deadline",
    "actual",
    "actual_year",
    "actual_is_latest",
    "baseline_value",
    "baseline_year",
    "gap",
    "status",
    "progress_ratio",
    "progress_category",
    "projected_year",
    "source_id",
    "note",
)
_EPS = 1e-9


# --------------------------------------------------------------------------------------
# formulas
# --------------------------------------------------------------------------------------


def _higher_is_better(comparator: str, target: float, base: float | None) -> bool:
    """"At least" (True) or "at most" (False) direction of a target, for progress."""
    if comparator in (">", ">="):
        return True
    if comparator in ("<", "<=", "top"):
        return False
    # "=": towards the target from the baseline
    return base is None or math.isnan(base) or target >= base


def _growth(base: float, base_year: int, current: float, current_year: int) -> tuple[float, str]:
    """Observed growth per year: compound when both values are positive, else linear."""
    span = current_year - base_year
    if base > 0 and current > 0:
        return (current / base) ** (1.0 / span) - 1.0, "compound"
    return (current - base) / span, "linear"


def progress_ratio(
    *,
    base_value: float,
    base_year: int,
    current_value: float,
    current_year: int,
    target_value: float,
    target_year: int,
    higher_is_better: bool = True,
) -> float:
    """Open SDG progress ratio: observed growth over the growth the target requires.

    ``direction * CAGR_observed / |CAGR_required|`` with
    ``CAGR_observed = (current/base) ** (1/(current_year - base_year)) - 1`` and
    ``CAGR_required = (target/base) ** (1/(target_year - base_year)) - 1``;
    direction = +1 when higher is better ("at least"), -1 otherwise ("at most", ranks).
    Linear growth (differences per year) replaces CAGR when a value is not positive.
    Source: sdg-build ``ProgressMeasure.methodology_2`` (Open SDG).

    Returns NaN when the years are not increasing, the baseline already meets the
    target (nothing is required), or the required growth is zero.

    Examples
    --------
    >>> round(progress_ratio(base_value=50, base_year=2020, current_value=60, current_year=2022,
    ...                      target_value=80, target_year=2025), 4)
    0.9684
    """
    vals = (base_value, current_value, target_value)
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in vals):
        return math.nan
    if not (base_year < current_year and base_year < target_year):
        return math.nan
    direction = 1.0 if higher_is_better else -1.0
    if direction * (target_value - base_value) <= 0:
        return math.nan
    if base_value > 0 and current_value > 0 and target_value > 0:
        observed = (current_value / base_value) ** (1.0 / (current_year - base_year)) - 1.0
        required = (target_value / base_value) ** (1.0 / (target_year - base_year)) - 1.0
    else:
        observed = (current_value - base_value) / (current_year - base_year)
        required = (target_value - base_value) / (target_year - base_year)
    if required == 0:
        return math.nan
    return direction * observed / abs(required)


def progress_category(ratio: float, *, achieved: bool = False) -> str | None:
    """Open SDG label for a progress ratio (sdg-build default thresholds 0.95 / 0.6 / 0).

    >>> progress_category(0.97), progress_category(0.7), progress_category(-0.1)
    ('substantial progress', 'moderate progress', 'deterioration')
    """
    if achieved:
        return "target achieved"
    if ratio is None or math.isnan(ratio):
        return None
    if ratio >= 0.95:
        return "substantial progress"
    if ratio >= 0.6:
        return "moderate progress"
    if ratio >= 0:
        return "limited progress"
    return "deterioration"


def _projected_year(current: float, current_year: int, growth: float, kind: str, target: float, higher: bool) -> int | None:
    direction = 1.0 if higher else -1.0
    remaining = direction * (target - current)
    if remaining <= 0:
        return current_year
    if kind == "compound":
        if growth == 0 or direction * growth <= 0 or target <= 0 or current <= 0:
            return None
        years = math.log(target / current) / math.log(1.0 + growth)
    else:
        if direction * growth <= 0:
            return None
        years = (target - current) / growth
    return int(current_year + math.ceil(years - 1e-9))


def _meets(actual: float, comparator: str, target: float, *, full: bool, tolerance: float) -> bool:
    if full and comparator in (">=", "="):
        return actual >= target - tolerance - _EPS
    if comparator == ">":
        return actual > target + _EPS
    if comparator == ">=":
        return actual >= target - _EPS
    if comparator == "=":
        return abs(actual - target) <= _EPS
    if comparator == "<=" or comparator == "top":
        return actual <= target + _EPS
    if comparator == "<":
        return actual < target - _EPS
    raise ValueError(comparator)  # pragma: no cover - validated earlier


def _gap(actual: float, comparator: str, target: float) -> float:
    g = target - actual if comparator in ("<", "<=", "top") else actual - target
    return round(g, 10)


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def _blank(v: Any) -> bool:
    import pandas as pd

    return v is None or (not isinstance(v, str) and pd.isna(v)) or (isinstance(v, str) and not v.strip())


def _text(v: Any) -> str | None:
    return None if _blank(v) else str(v).strip()


def _plan_start(plan_period: Any) -> int | None:
    m = re.findall(r"(?<!\d)(\d{4})(?!\d)", str(plan_period)) if not _blank(plan_period) else []
    return int(m[0]) if m else None


def _plan_end(plan_period: Any) -> int | None:
    m = re.findall(r"(?<!\d)(\d{4})(?!\d)", str(plan_period)) if not _blank(plan_period) else []
    return int(m[-1]) if m else None


def _target_boundaries(row: dict) -> str:
    b = _text(row.get("boundaries"))
    if b in ("legacy", "2025"):
        return b
    start = _plan_start(row.get("plan_period"))
    return "2025" if start is not None and start > 2025 else "legacy"


def _segment(year: int, break_years: list[int]) -> int:
    return sum(1 for b in break_years if b <= year)


# --------------------------------------------------------------------------------------
# the assessment
# --------------------------------------------------------------------------------------


def assess_targets(
    targets: "pd.DataFrame",
    indicators: "pd.DataFrame",
    *,
    as_of: int | None = None,
    breaks: "pd.DataFrame | None" = None,
    include_baselines: bool = False,
    on_track_ratio: float = 1.0,
    full_target_tolerance: float = 1.0,
    min_coverage: float = 0.9,
) -> "pd.DataFrame":
    """Assess every plan target against the index figures.

    Parameters
    ----------
    targets : DataFrame
        The targets table (``cchc_analysis.load_targets()``): one row per
        ``target_id`` with ``province_code``, ``kind``, ``comparator``, ``value``,
        ``unit``, ``deadline``, ``metric_index``, ``metric_component``,
        ``metric_field`` (others -- document_id, province, plan_period, indicator_vi,
        indicator_en, mapping_note, boundaries -- are used when present).
    indicators : DataFrame
        The indicators table (``cchc_analysis.load_indicators()``).
    as_of : int, optional
        Last assessment year that may be used (default: all data).  Deadlines after
        it are assessed for progress ("on track" / "off track").
    breaks : DataFrame, optional
        Comparability breaks (default ``cchc_analysis.load_breaks()``): a baseline is
        only taken on the same side of a break as the actual figure.
    include_baselines : bool
        Also return the document's quoted baseline figures (``kind == "baseline"``)
        with the data figure of their year in ``actual``; their ``status`` is <NA>.
        Adds a ``kind`` column.
    on_track_ratio : float
        Progress ratio at or above which a future target is "on track" (default 1).
    full_target_tolerance : float
        Percentage points below 100 at which a 100 % target still counts as met (1).
    min_coverage : float
        For indices that publish no ranks (PAPI): ranks are computed from the year's
        scores (ties share a rank, provinces without a score are not ranked) only when
        at least this share of units has a score.

    Returns
    -------
    DataFrame
        One row per target (``kind == "target"``), in input order, columns:

        =====================  =====================================================
        target_id, document_id, province_code, province, indicator_vi, indicator_en
        metric_index, metric_component, metric_field   what measures it
        comparator, target_value, unit, deadline       the target
        actual, actual_year    the figure used (a rank for rank targets)
        actual_is_latest       True when the deadline year has no figure and the
                               latest earlier one was used
        baseline_value, baseline_year   starting point for progress
        gap                    signed, in the target's unit; negative = short
        status                 met, not met, on track, off track, no data,
                               not measurable
        progress_ratio         Open SDG ratio, baseline -> actual figure; computed
                               whenever a comparable baseline exists, but decides
                               the status only for future deadlines
        progress_category      Open SDG label
        projected_year         year the target is reached at the observed pace
        source_id              source of the actual figure
        note                   how the row was assessed (computed ranks, fallbacks)
        =====================  =====================================================

        Status rules: deadline year observed (not after ``as_of`` nor the index's
        latest year) -> "met" / "not met"; deadline still ahead -> "on track" /
        "off track" by the progress ratio (or "on track" if already met; "no data"
        when fewer than two comparable figures exist to measure progress); no index
        mapped -> "not measurable"; mapped but no figure up to the deadline -> "no data".
        See the module docstring for every formula and its source.
    """
    import numpy as np
    import pandas as pd

    _require_frame(
        targets,
        "targets",
        ["target_id", "province_code", "kind", "comparator", "value", "unit", "deadline", "metric_index", "metric_component", "metric_field"],
        hint="Pass the targets table from cchc_analysis.load_targets().",
    )
    _require_frame(
        indicators,
        "indicators",
        ["index", "year", "component", "province_code", "value"],
        hint="Pass the indicators table from cchc_analysis.load_indicators().",
    )
    if as_of is not None:
        try:
            as_of = int(as_of)
        except (TypeError, ValueError):
            raise TypeError(f"`as_of` must be a year (int) or None, got {as_of!r}.") from None
    bad = sorted({str(c) for c in targets["comparator"].dropna() if str(c).strip() not in COMPARATORS})
    if bad:
        raise ValueError(f"`targets` has comparator(s) {bad}; allowed: {COMPARATORS}.")
    cap = as_of if as_of is not None else 10**6
    table = _enforced(_load_breaks(breaks), True)

    # -- indicators: one frame per series, ranks resolved once ---------------------------
    # only the (index, component) pairs some target is measured by
    pairs = {
        (str(i).strip().lower(), _text(c) or "overall")
        for i, c in zip(targets["metric_index"], targets["metric_component"])
        if not _blank(i)
    }
    idx_lower = indicators["index"].astype("string").str.lower()
    comp = indicators["component"].astype("string")
    keep_rows = pd.Series(False, index=indicators.index)
    for i, c in pairs:
        keep_rows |= ((idx_lower == i) & (comp == c)).fillna(False)
    ind = indicators[keep_rows.to_numpy(bool)].copy()
    ind["index"] = ind["index"].astype("string").str.lower()
    if "boundaries" not in ind.columns:
        ind["boundaries"] = "legacy"
    if "rank" not in ind.columns:
        ind["rank"] = pd.array([pd.NA] * len(ind), dtype="Int64")
    ind = ind[ind["year"] <= cap]
    ind = _resolve_ranks(ind, min_coverage=min_coverage) if len(ind) else ind.assign(rank_used=np.nan, rank_source=None)
    ind["_v"] = pd.to_numeric(ind["value"], errors="coerce").astype(float)
    ind["province_code"] = ind["province_code"].astype(str)
    ind["boundaries"] = ind["boundaries"].astype(str)
    series = {k: g.set_index("year").sort_index() for k, g in ind.groupby(["index", "component", "boundaries", "province_code"], sort=False)}
    latest: dict[tuple, int] = {}
    for (i, c, b), g in ind.groupby(["index", "component", "boundaries"], sort=False):
        yv = g.loc[g["_v"].notna(), "year"]
        yr = g.loc[g["rank_used"].notna(), "year"]
        latest[(i, c, b, "value")] = int(yv.max()) if len(yv) else None
        latest[(i, c, b, "rank")] = int(yr.max()) if len(yr) else None

    rows = []
    kinds = targets["kind"].astype("string").str.strip().str.lower()
    keep = kinds.isin(["target", "baseline"] if include_baselines else ["target"]).fillna(False).to_numpy()
    for t in targets[keep].to_dict("records"):
        rows.append(
            _assess_one(
                t, series, latest, table, cap=cap, on_track_ratio=on_track_ratio,
                tolerance=full_target_tolerance,
            )
        )
    cols = list(GAP_COLUMNS) + (["kind"] if include_baselines else [])
    out = pd.DataFrame(rows, columns=cols)
    for col in ("deadline", "actual_year", "baseline_year", "projected_year"):
        out[col] = pd.array([None if _blank(v) else int(v) for v in out[col]], dtype="Int64")
    for col in ("target_value", "actual", "baseline_value", "gap", "progress_ratio"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    out["actual_is_latest"] = pd.array([None if v is None else bool(v) for v in out["actual_is_latest"]], dtype="boolean")
    return out


def _observations(frame, field: str, break_years: list[int], scale: float):
    """{year: (figure, source_id, how)} for one series and field."""
    import pandas as pd

    obs: dict[int, tuple[float, Any, str]] = {}
    if frame is None:
        return obs
    src = frame["source_id"] if "source_id" in frame.columns else pd.Series(None, index=frame.index)
    if field in ("value", "value_change"):
        level = {int(y): (float(v) * scale, s, "value") for y, v, s in zip(frame.index, frame["_v"], src) if not pd.isna(v)}
    else:
        level = {
            int(y): (float(r), s, str(how))
            for y, r, s, how in zip(frame.index, frame["rank_used"], src, frame["rank_source"])
            if not pd.isna(r)
        }
    if field in ("value", "rank"):
        return level
    # changes since the previous figure on the same side of every break
    # (rank_change: places gained = previous rank - rank; value_change: value - previous value)
    years = sorted(level)
    for j, y in enumerate(years):
        prev = [p for p in years[:j] if _segment(p, break_years) == _segment(y, break_years)]
        if prev:
            p = prev[-1]
            change = level[p][0] - level[y][0] if field == "rank_change" else level[y][0] - level[p][0]
            obs[y] = (change, level[y][1], f"{field.replace('_', ' ')} {p}->{y}")
    return obs


def _assess_one(t: dict, series: dict, latest: dict, breaks, *, cap: int, on_track_ratio: float, tolerance: float) -> dict:
    import pandas as pd

    kind = (_text(t.get("kind")) or "target").lower()
    comparator = _text(t.get("comparator"))
    index = (_text(t.get("metric_index")) or "").lower() or None
    component = _text(t.get("metric_component")) or "overall"
    field = (_text(t.get("metric_field")) or "").lower() or None
    target = pd.to_numeric(pd.Series([t.get("value")]), errors="coerce").iloc[0]
    target = float(target) if not pd.isna(target) else math.nan
    unit = _text(t.get("unit"))
    deadline = t.get("deadline")
    deadline = None if _blank(deadline) else int(deadline)
    code = _text(t.get("province_code"))
    if code and code.isdigit() and len(code) < 2:
        code = code.zfill(2)  # GSO codes are two digits ("01"), a spreadsheet may drop the zero
    boundaries = _target_boundaries(t)
    province = _text(t.get("province")) or (_province_name(code, boundaries) if code else None)
    notes: list[str] = []
    if comparator == "top" and field in (None, "value") and index:
        notes.append("'top N' assessed on the rank")
        field = "rank"
    row = {
        "target_id": t.get("target_id"),
        "document_id": t.get("document_id"),
        "province_code": code,
        "province": province,
        "indicator_vi": t.get("indicator_vi"),
        "indicator_en": t.get("indicator_en"),
        "metric_index": index,
        "metric_component": component if index else _text(t.get("metric_component")),
        "metric_field": field,
        "comparator": comparator,
        "target_value": target,
        "unit": unit,
        "deadline": deadline,
        "actual": math.nan,
        "actual_year": None,
        "actual_is_latest": None,
        "baseline_value": math.nan,
        "baseline_year": None,
        "gap": math.nan,
        "status": None,
        "progress_ratio": math.nan,
        "progress_category": None,
        "projected_year": None,
        "source_id": None,
        "note": None,
    }
    if kind == "baseline":
        row["kind"] = "baseline"
    elif "kind" in t:
        row["kind"] = kind

    def done(status, extra=None):
        if extra:
            notes.append(extra)
        row["status"] = status if kind != "baseline" else None
        mapping = _text(t.get("mapping_note"))
        if mapping and status == "not measurable":
            notes.append(mapping)
        row["note"] = "; ".join(notes) if notes else None
        return row

    # -- measurable? ---------------------------------------------------------------------
    if not index:
        return done("not measurable", "no index measures this target")
    if field not in FIELDS:
        return done("not measurable", f"metric_field {field!r} is not one of {FIELDS}")
    if not code:
        return done("not measurable", "target has no province_code")
    if comparator is None or math.isnan(target):
        return done("not measurable", "no numeric target value or comparator")
    if deadline is None:
        deadline = _plan_end(t.get("plan_period"))
        if deadline is None:
            return done("not measurable", "no deadline or plan period")
        row["deadline"] = deadline
        notes.append(f"deadline taken from the plan period ({deadline})")

    key = (index, component, boundaries, code)
    frame = series.get(key)
    scale = 1.0
    if frame is not None and field == "value" and unit == "%" and "unit" in frame.columns:
        units = set(frame["unit"].dropna().astype(str))
        if units == {"index_0_1"}:
            scale = 100.0
            notes.append("index on a 0-1 scale compared as percent (x100)")
    break_years = sorted(int(y) for y in _breaks_for(breaks, index, component)["year"].unique()) if not breaks.empty else []
    obs = _observations(frame, field, break_years, scale)
    kind_key = "value" if field in ("value", "value_change") else "rank"
    last_year = latest.get((index, component, boundaries, kind_key))
    horizon = min(deadline, cap)
    usable = {y: v for y, v in obs.items() if y <= horizon}

    if kind == "baseline":
        if deadline in obs:
            row["actual"], row["source_id"], _ = obs[deadline]
            row["actual_year"], row["actual_is_latest"] = deadline, False
            diff = row["actual"] - target
            notes.append("document figure matches the data" if abs(diff) <= 0.005 else f"document figure {target:g}, data {row['actual']:g}")
        else:
            notes.append(f"no {field} figure for {deadline} in the data")
        return done(None)

    if not usable:
        what = {"value": "figure", "rank": "rank", "rank_change": "rank change", "value_change": "change"}[field]
        extra = f"no {index.upper()} {what} for {province or code} ({boundaries} boundaries) up to {horizon}"
        if field in ("rank", "rank_change") and frame is not None and frame["_v"].notna().any() and frame["rank_used"].isna().all():
            extra += " (scores exist but no rank is published and too few scores to compute one)"
        return done("no data", extra)

    actual_year = deadline if deadline in usable else max(usable)
    actual, source, how = usable[actual_year]
    row.update(actual=actual, actual_year=actual_year, actual_is_latest=actual_year != deadline, source_id=source)
    if how == "computed":
        n = int(frame.loc[actual_year, "n_ranked"]) if "n_ranked" in frame.columns else None
        notes.append(f"rank computed from the {actual_year} scores of {n} provinces (none published; ties share a rank)")
    elif how.startswith(("rank change", "value change")):
        notes.append(how)
    future = deadline > cap or last_year is None or deadline > last_year
    if actual_year != deadline:
        if not future:
            notes.append(f"no {deadline} figure for this province; latest earlier figure ({actual_year}) used")
        crossed = [b for b in break_years if actual_year < b <= deadline]
        if crossed:
            notes.append(f"comparability break in {crossed[0]} between the figure ({actual_year}) and the deadline")
    full = unit == "%" and abs(target - 100.0) <= _EPS and field == "value"
    achieved = _meets(actual, comparator, target, full=full, tolerance=tolerance)
    row["gap"] = _gap(actual, comparator, target)
    if full and achieved and actual < 100:
        notes.append(f"100% target met within {tolerance:g} point")

    # -- baseline and progress -------------------------------------------------------------
    higher = _higher_is_better(comparator, target, None)
    if field in ("value", "rank"):
        seg = _segment(actual_year, break_years)
        comparable = sorted(y for y in usable if y < actual_year and _segment(y, break_years) == seg)
        start = _plan_start(t.get("plan_period")) or deadline
        before = [y for y in comparable if y < start]
        base_year = before[-1] if before else (comparable[0] if comparable else None)
        if base_year is not None:
            base = usable[base_year][0]
            row.update(baseline_value=base, baseline_year=base_year)
            if not before:
                notes.append(f"baseline {base_year}: no figure before the plan period")
            higher = _higher_is_better(comparator, target, base)
            ratio = progress_ratio(
                base_value=base, base_year=base_year, current_value=actual, current_year=actual_year,
                target_value=target, target_year=deadline, higher_is_better=higher,
            )
            row["progress_ratio"] = ratio
            if math.isnan(ratio) and (1 if higher else -1) * (target - base) <= 0:
                notes.append("baseline already meets the target")
            growth, gkind = _growth(base, base_year, actual, actual_year)
            row["projected_year"] = _projected_year(actual, actual_year, growth, gkind, target, higher)
        elif achieved:
            row["projected_year"] = actual_year
    row["progress_category"] = progress_category(row["progress_ratio"], achieved=achieved)

    if not future:
        return done("met" if achieved else "not met")
    if deadline > cap:
        notes.append(f"deadline {deadline} is after as_of ({cap}); progress to {actual_year}")
    else:
        notes.append(f"deadline {deadline} is after the latest {index.upper()} figures in the data ({last_year}); progress to {actual_year}")
    if achieved:
        return done("on track", f"already meets the target in {actual_year}")
    if field in ("rank_change", "value_change"):
        return done("off track", f"latest {field.replace('_', ' ')} ({actual_year}) short of the target")
    ratio = row["progress_ratio"]
    if math.isnan(ratio):
        return done("no data", "too few comparable figures to measure progress towards a future deadline")
    return done("on track" if ratio >= on_track_ratio else "off track")
