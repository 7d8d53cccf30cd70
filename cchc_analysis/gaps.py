"""Targets against outcomes: was each plan target met, or is it on track?

:func:`assess_targets` joins the targets table (``cchc_analysis.load_targets()``) with
the indicators (``cchc_analysis.load_indicators()``) on (index, component, boundaries,
province) and returns one row per target -- none is dropped: a target no index
measures is "not measurable", a measurable one without figures is "no data".

Rules
-----
Every rule is stated with its source in ``docs/methods.md``.

* **Which figure (stale-figure rule).**  A deadline that has passed is graded on the
  figure of the deadline year (assessment year: PAR Index 2023 is the 2023 assessment,
  published in 2024).  When the province has none, a figure at most
  ``max_figure_age`` = 1 year older is used *if no comparability break lies between it
  and the deadline* (``actual_is_latest`` is True and the note says so).  An older
  figure, or one across a break, gives no firm verdict: the status is "no data", the
  figure is still shown (``actual``, ``actual_year``) and the note gives its age.  Years
  after ``as_of`` are never used.
* **Comparators.**  ``>`` is strict, ``>=`` is not (a gap of 0 meets ``>=`` but not
  ``>``).  Ranks: lower is better; ``top N`` means rank <= N, and because tied
  provinces share a rank (competition ranking) a province tied at N is in the top N.
  ``=`` is met within floating-point precision only.
* **Changes.**  ``metric_field`` "rank_change" is the places gained in one year (previous
  year's rank - rank, positive = moved up); "value_change" is value - previous year's
  value.  The previous figure must be of the year before and on the same side of every
  comparability break: the seed plans are yearly plans ("tăng ít nhất 3 bậc" compared
  with last year), so a change over several years is never read as a yearly one.
* **Units.**  A target in "%" on an index scored 0-1 (DTI) is compared on the index x 100,
  so 0.58 -> 0.66 is a rise of 8 percentage points; on a component scored in points of a
  known maximum (``load_components()``: ``max``, or the year's range in ``ranges``), as
  the share of that maximum (Decision 766 "online payment" 10 of 10 points = 100 %).  ``gap_unit`` names the unit of the
  gap: "percentage points" for % targets, "places" for ranks.
* **100 % targets (project rule).**  A target of 100 % (``>=`` or ``=``) counts as met when
  the figure is within ``full_target_tolerance`` = 1 percentage point of 100.  This is a
  rule of this project, not taken from a published methodology: provincial reports print
  such shares rounded, and a share of 99.x % of documents or procedures is reported as
  "reaching" 100 %.  The note says when it was applied; pass
  ``full_target_tolerance=0`` for the strict reading.
* **Gap** -- signed, in the target's unit (percentage points for %, places for
  ranks); NEGATIVE = short of the target, positive = beyond it:
  ``actual - target`` for ``>``, ``>=``, ``=``; ``target - actual`` for ``<``, ``<=``,
  ``top``.  PAR Index rank 56 against "top 20" gives -36 (36 places short).
* **Baseline** -- the plan's own quoted figure (a ``kind="baseline"`` row of the same
  document, index, component and field, e.g. "PCI 2021: rank 19") when it is older than
  the figure graded and on the same side of every comparability break
  (``baseline_source`` "plan"); otherwise the data: the latest comparable figure before
  the plan period starts, failing that the earliest comparable figure before the actual
  year (``baseline_source`` "data").
* **Progress** (future deadlines; computed whenever a baseline exists): the Open SDG
  progress measure (sdg-build ``ProgressMeasure``, methodology 2,
  https://open-sdg.readthedocs.io/en/latest/progress-methodology/)::

      growth_observed = (x_t / x_0) ** (1 / (t - t0)) - 1
      growth_required = (x* / x_0) ** (1 / (T - t0)) - 1
      progress_ratio = direction * growth_observed / |growth_required|

  with ``x_0`` the baseline (year t0), ``x_t`` the latest figure (year t), ``x*`` the
  target and T the deadline; direction = +1 for "at least" targets (``>``, ``>=``; an
  ``=`` target above the baseline) and -1 for "at most" ones (``<``, ``<=``, ranks).
  The absolute value keeps the sign right when the baseline already meets the target;
  a baseline exactly on the target requires no growth, and the ratio is then -inf
  (moving away) or +inf (moving on).  **Ranks use linear growth** (places per year:
  ``(x_t - x_0) / (t - t0)``, likewise required), because places are not a quantity
  that compounds: 40 -> 30 against "top 20 in four years" is exactly the pace needed.
  Scores use compound growth, linear when a value is not positive
  (``progress_measure`` says which).  ``progress_category`` uses Open SDG's thresholds:
  "target achieved", "substantial progress" (ratio >= ``on_track_ratio``, default 0.95,
  Open SDG's "on track"), "moderate progress" (>= 0.6), "limited progress" (>= 0),
  "deterioration" (< 0); the status is "on track" exactly when the category is
  "target achieved" or "substantial progress", so the two never disagree.
* **Projected year** -- first whole year in which the figure meets the target (strict
  comparators and the 100 % rule included) if the observed growth continues; the actual
  year if already met; <NA> if the series moves away from the target.

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
    "baseline_source",
    "gap",
    "gap_unit",
    "status",
    "progress_ratio",
    "progress_measure",
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


MEASURES = ("auto", "compound", "linear")


def _measure(measure: str, *values: float) -> str:
    if measure not in MEASURES:
        raise ValueError(f"`measure` must be one of {MEASURES}, got {measure!r}.")
    if measure == "auto":
        return "compound" if all(v > 0 for v in values) else "linear"
    if measure == "compound" and not all(v > 0 for v in values):
        raise ValueError(f"measure='compound' needs positive values, got {values}; use measure='linear'.")
    return measure


def _growth(base: float, base_year: int, current: float, current_year: int, measure: str = "auto") -> tuple[float, str]:
    """Observed growth per year: compound (CAGR) or linear (difference per year)."""
    span = current_year - base_year
    kind = _measure(measure, base, current)
    if kind == "compound":
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
    measure: str = "auto",
) -> float:
    """Open SDG progress ratio: observed growth over the growth the target requires.

    ``direction * growth_observed / |growth_required|``, direction = +1 when higher is
    better ("at least"), -1 otherwise ("at most", ranks).  Source: sdg-build
    ``ProgressMeasure.methodology_2`` (Open SDG), where growth is compound:
    ``(current/base) ** (1/(current_year - base_year)) - 1`` and
    ``(target/base) ** (1/(target_year - base_year)) - 1``.

    Parameters
    ----------
    measure : {"auto", "compound", "linear"}
        "compound" as Open SDG; "linear" uses differences per year
        (``(current - base) / years``), the measure for ranks (places per year);
        "auto" (default) is compound when every value is positive, else linear.

    Returns
    -------
    float
        The ratio.  The absolute value of the required growth keeps the sign right when
        the baseline already meets the target (then observed growth away from the
        target is negative progress).  When the baseline equals the target nothing is
        required: the ratio is ``-inf`` if the figure moved away, ``+inf`` if it moved
        on, NaN if it did not move.  NaN when a value is missing or the years are not
        increasing.

    Examples
    --------
    >>> round(progress_ratio(base_value=50, base_year=2020, current_value=60, current_year=2022,
    ...                      target_value=80, target_year=2025), 4)
    0.9684
    >>> progress_ratio(base_value=40, base_year=2020, current_value=30, current_year=2022,
    ...                target_value=20, target_year=2024, higher_is_better=False, measure="linear")
    1.0
    """
    vals = (base_value, current_value, target_value)
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in vals):
        return math.nan
    if not (base_year < current_year and base_year < target_year):
        return math.nan
    direction = 1.0 if higher_is_better else -1.0
    kind = _measure(measure, *vals)
    if kind == "compound":
        observed = (current_value / base_value) ** (1.0 / (current_year - base_year)) - 1.0
        required = (target_value / base_value) ** (1.0 / (target_year - base_year)) - 1.0
    else:
        observed = (current_value - base_value) / (current_year - base_year)
        required = (target_value - base_value) / (target_year - base_year)
    if abs(required) <= _EPS:
        moved = direction * observed
        return math.nan if abs(moved) <= _EPS else math.copysign(math.inf, moved)
    return direction * observed / abs(required)


def progress_category(ratio: float, *, achieved: bool = False, on_track: float = 0.95) -> str | None:
    """Open SDG label for a progress ratio (sdg-build default thresholds 0.95 / 0.6 / 0).

    ``on_track`` is the threshold of "substantial progress" (Open SDG's "on track",
    0.95); :func:`assess_targets` passes its ``on_track_ratio`` so that the category and
    the status always agree.

    >>> progress_category(0.97), progress_category(0.7), progress_category(-0.1)
    ('substantial progress', 'moderate progress', 'deterioration')
    """
    if achieved:
        return "target achieved"
    if ratio is None or math.isnan(ratio):
        return None
    if ratio >= on_track:
        return "substantial progress"
    if ratio >= min(0.6, on_track):
        return "moderate progress"
    if ratio >= 0:
        return "limited progress"
    return "deterioration"


def _projected_year(
    current: float, current_year: int, growth: float, kind: str, target: float, higher: bool,
    *, comparator: str, full: bool, tolerance: float,
) -> int | None:
    """First whole year the projected figure meets the target (its comparator, the 100 % rule)."""
    # an "=" target is projected as reaching the target from its side
    cmp = comparator if comparator != "=" else (">=" if higher else "<=")
    if _meets(current, cmp, target, full=full, tolerance=tolerance):
        return current_year
    direction = 1.0 if higher else -1.0
    if direction * growth <= 0 or (kind == "compound" and (target <= 0 or current <= 0)):
        return None
    goal = target - tolerance if full and higher else target
    if kind == "compound":
        years = math.log(goal / current) / math.log(1.0 + growth) if goal > 0 else 0.0
    else:
        years = (goal - current) / growth

    def at(k: int) -> float:
        return current * (1.0 + growth) ** k if kind == "compound" else current + growth * k

    k = max(1, math.ceil(years - 1e-9))
    for step in range(k, k + 4):  # a strict comparator may need one year more than equality
        if _meets(at(step), cmp, target, full=full, tolerance=tolerance):
            return int(current_year + step)
    return None  # pragma: no cover - the growth points at the target, so a few steps suffice


def _meets(actual: float, comparator: str, target: float, *, full: bool, tolerance: float) -> bool:
    """Does ``actual`` satisfy ``comparator target``?  (``full``: the 100 % rule applies.)

    Compared on the difference rounded to 9 decimals, so that floating noise from summed
    sub-scores (84.6 stored as 84.60000000000001) never flips a verdict, and equality is
    exactly the boundary: 85 meets ">= 85" and "<= 85", not "> 85" nor "< 85".
    """
    if full and comparator in (">=", "="):
        return round(actual - (target - tolerance), 9) >= 0
    diff = round(actual - target, 9)
    if comparator == ">":
        return diff > 0
    if comparator == ">=":
        return diff >= 0
    if comparator == "=":
        return diff == 0
    if comparator == "<=" or comparator == "top":
        return diff <= 0
    if comparator == "<":
        return diff < 0
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
    on_track_ratio: float = 0.95,
    full_target_tolerance: float = 1.0,
    min_coverage: float = 0.9,
    max_figure_age: int = 1,
    components: "pd.DataFrame | None" = None,
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
        Progress ratio at or above which a future target is "on track" and its category
        "substantial progress" (default 0.95, Open SDG's "on track" threshold).
    full_target_tolerance : float
        Percentage points below 100 at which a 100 % target still counts as met (1; a
        project rule, see the module docstring; 0 for the strict reading).
    min_coverage : float
        For indices that publish no ranks (PAPI): ranks are computed from the year's
        scores (ties share a rank, provinces without a score are not ranked) only when
        at least this share of units has a score.
    max_figure_age : int
        For a deadline that has passed: how many years older than the deadline a figure
        may be and still be graded (default 1), never across a comparability break.  An
        older figure is shown but the status is "no data".
    components : DataFrame, optional
        Component metadata (``cchc_analysis.load_components()``, read when None and
        needed): the maximum points of a component, to grade a "%" target on a component
        scored in points as the share of its maximum.

    Returns
    -------
    DataFrame
        One row per target (``kind == "target"``), in input order, columns:

        =====================  =====================================================
        target_id, document_id, province_code, province, indicator_vi, indicator_en
        metric_index, metric_component, metric_field   what measures it
        comparator, target_value, unit, deadline       the target
        actual, actual_year    the figure used (a rank for rank targets)
        actual_is_latest       True when the deadline year has no figure and an
                               earlier one is shown (graded only when at most
                               ``max_figure_age`` years older, same method)
        baseline_value, baseline_year   starting point for progress
        baseline_source        "plan" (the plan's quoted figure) or "data"
        gap                    signed, in the target's unit; negative = short
        gap_unit               unit of the gap: "percentage points" (% targets),
                               "places" (ranks, places), else the target's unit
        status                 met, not met, on track, off track, no data,
                               not measurable
        progress_ratio         Open SDG ratio, baseline -> actual figure; computed
                               whenever a comparable baseline exists, but decides
                               the status only for future deadlines
        progress_measure       "linear" (ranks; scores with a value <= 0) or
                               "compound" (scores)
        progress_category      Open SDG label (agrees with the status)
        projected_year         year the target is reached at the observed pace
        source_id              source of the actual figure
        note                   how the row was assessed (computed ranks, fallbacks)
        =====================  =====================================================

        Status rules: deadline year observed (not after ``as_of`` nor the index's
        latest year) -> "met" / "not met" on the figure of the deadline year or one at
        most ``max_figure_age`` years older on the same side of every break, else
        "no data"; deadline still ahead -> "on track" / "off track" by the progress
        ratio (or "on track" if already met; "no data" when no comparable baseline
        exists to measure progress); no index mapped -> "not measurable"; mapped but no
        figure up to the deadline -> "no data".
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
    if isinstance(max_figure_age, bool) or not isinstance(max_figure_age, (int, np.integer)) or max_figure_age < 0:
        raise ValueError(f"`max_figure_age` must be a whole number of years >= 0 (default 1), got {max_figure_age!r}.")
    cap = as_of if as_of is not None else 10**6
    table = _enforced(_load_breaks(breaks), True)
    plan_bases = _plan_baselines(targets)
    maxima = _maxima(components, targets)

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
    tops = _complete_tops(ind)
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
                t, series, latest, table, plan_bases, maxima, cap=cap, on_track_ratio=on_track_ratio,
                tolerance=full_target_tolerance, max_age=int(max_figure_age), tops=tops,
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


def _maxima(components: "pd.DataFrame | None", targets: "pd.DataFrame") -> dict[tuple[str, str], Any]:
    """{(index, component): (max, [(first_year, last_year, max), ...])} of the components scored
    in points, for "%" targets; empty when no target needs it or no metadata is available."""
    import ast

    import pandas as pd

    wanted = {
        ((_text(i) or "").lower(), _text(c) or "overall")
        for i, c, u in zip(targets["metric_index"], targets["metric_component"], targets["unit"])
        if not _blank(i) and _text(u) == "%"
    }
    if not wanted:
        return {}
    if components is None:
        try:
            from .indicators import load_components

            components = load_components()
        except Exception:  # no bundled data (a bare checkout): no conversion
            return {}
    out: dict[tuple[str, str], Any] = {}
    for r in components.to_dict("records"):
        key = (str(r.get("index")).lower(), str(r.get("component")))
        if key not in wanted or str(r.get("unit")) != "score":
            continue
        spans = []
        raw = r.get("ranges")
        if isinstance(raw, str) and raw.strip():
            try:
                spans = [(int(d["years"][0]), int(d["years"][-1]), float(d["max"])) for d in ast.literal_eval(raw)]
            except (ValueError, SyntaxError, KeyError, TypeError, IndexError):
                spans = []
        top = pd.to_numeric(pd.Series([r.get("max")]), errors="coerce").iloc[0]
        if spans or not pd.isna(top):
            out[key] = (None if pd.isna(top) or spans else float(top), spans)
    return out


def _metric_key(t: dict) -> tuple:
    """(document, index, component, field, province) a target or a baseline measures."""
    index = (_text(t.get("metric_index")) or "").lower()
    field = (_text(t.get("metric_field")) or "").lower()
    if _text(t.get("comparator")) == "top" and field in ("", "value"):
        field = "rank"
    code = _text(t.get("province_code")) or ""
    if code.isdigit() and len(code) < 2:
        code = code.zfill(2)
    return (_text(t.get("document_id")), index, _text(t.get("metric_component")) or "overall", field, code)


def _plan_baselines(targets: "pd.DataFrame") -> dict[tuple, tuple[float, int]]:
    """{metric key: (value, year)} of the plans' quoted baselines (``kind == "baseline"``);
    when a document quotes the same metric twice, the latest year is kept."""
    import pandas as pd

    out: dict[tuple, tuple[float, int]] = {}
    kinds = targets["kind"].astype("string").str.strip().str.lower().fillna("")
    for t in targets[(kinds == "baseline").to_numpy(bool)].to_dict("records"):
        value = pd.to_numeric(pd.Series([t.get("value")]), errors="coerce").iloc[0]
        year = t.get("deadline")
        if pd.isna(value) or _blank(year) or _blank(t.get("metric_index")):
            continue
        key = _metric_key(t)
        if key not in out or int(year) > out[key][1]:
            out[key] = (float(value), int(year))
    return out


def _observations(frame, field: str, break_years: list[int], scale):
    """{year: (figure, source_id, how)} for one series and field; ``scale`` is a factor, or a
    function of the year giving one (None: the year's figure cannot be converted)."""
    import pandas as pd

    obs: dict[int, tuple[float, Any, str]] = {}
    if frame is None:
        return obs
    factor = scale if callable(scale) else (lambda _y: scale)
    src = frame["source_id"] if "source_id" in frame.columns else pd.Series(None, index=frame.index)
    if field in ("value", "value_change"):
        level = {
            int(y): (float(v) * factor(int(y)), s, "value")
            for y, v, s in zip(frame.index, frame["_v"], src)
            if not pd.isna(v) and factor(int(y)) is not None
        }
    else:
        level = {
            int(y): (float(r), s, str(how))
            for y, r, s, how in zip(frame.index, frame["rank_used"], src, frame["rank_source"])
            if not pd.isna(r)
        }
    if field in ("value", "rank"):
        return level
    # yearly changes: the previous year's figure, on the same side of every break
    # (rank_change: places gained = previous rank - rank; value_change: value - previous value)
    for y in sorted(level):
        p = y - 1
        if p in level and _segment(p, break_years) == _segment(y, break_years):
            change = level[p][0] - level[y][0] if field == "rank_change" else level[y][0] - level[p][0]
            obs[y] = (change, level[y][1], f"{field.replace('_', ' ')} {p}->{y}")
    return obs


_WHAT = {"value": "figure", "rank": "rank", "rank_change": "rank change", "value_change": "change"}


def _gap_unit(unit: str | None, field: str | None) -> str | None:
    if field in ("rank", "rank_change") or unit in ("rank", "places"):
        return "places"
    if unit == "%":
        return "percentage points"
    if unit == "score":
        return "points"
    return unit


def _fmt(v: float) -> str:
    return f"{v:g}" if abs(v - round(v)) > 1e-9 else str(int(round(v)))


def _complete_tops(ind: "pd.DataFrame") -> dict[tuple, tuple[int, frozenset, str | None]]:
    """Per (index, component, boundaries, year): the K provinces of a complete top K.

    A press table often prints only the best provinces.  Ranks in competition order r_1 <= r_2
    <= ... list the top K completely when r_j <= j for every position j <= K (ties share a rank
    and skip the next: 1, 2, 2, 4 is complete to 4; 1, 2, 4 stops at 2).  A province absent from
    a complete top K therefore did not rank K or better (it ranked lower, or was not assessed).
    Returns ``(K, codes, source_id)`` with the most frequent source of those ranks.
    """
    out: dict[tuple, tuple[int, frozenset, str | None]] = {}
    # published ranks only: a province missing from ranks computed from scores was not scored
    # (e.g. excluded from PAPI that year), which says nothing about its place
    ranked = ind[ind["rank_used"].notna() & (ind["rank_source"] == "published")]
    for key, g in ranked.groupby(["index", "component", "boundaries", "year"], sort=False):
        g = g.sort_values("rank_used")
        k = 0
        for j, r in enumerate(g["rank_used"].to_numpy(float), start=1):
            if r > j:
                break
            k = j
        if k:
            top = g.head(k)
            sources = top["source_id"].dropna().astype(str) if "source_id" in top.columns else None
            source = sources.mode().iloc[0] if sources is not None and len(sources) else None
            out[tuple(key)] = (k, frozenset(top["province_code"].astype(str)), source)
    return out


def _outside_complete_top(t_field: str, comparator: str, target: float, code: str, key: tuple, tops: dict):
    """``(K, source)`` when a rank target is provably missed: the province is absent from a complete
    published top K of the deadline year and K reaches the target's bar; else None."""
    if t_field != "rank" or comparator not in ("top", "<=", "<") or key not in tops:
        return None
    k, codes, source = tops[key]
    bar = target - 1 if comparator == "<" else target  # the worst rank that meets the target
    if code in codes or k < bar:
        return None
    return k, source


def _assess_one(
    t: dict, series: dict, latest: dict, breaks, plan_bases: dict, maxima: dict, *, cap: int, on_track_ratio: float,
    tolerance: float, max_age: int, tops: dict | None = None,
) -> dict:
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
        "baseline_source": None,
        "gap": math.nan,
        "gap_unit": _gap_unit(unit, field),
        "status": None,
        "progress_ratio": math.nan,
        "progress_measure": None,
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
    scale: Any = 1.0
    if frame is not None and field in ("value", "value_change") and unit == "%" and "unit" in frame.columns:
        units = set(frame["unit"].dropna().astype(str))
        if units == {"index_0_1"}:
            scale = 100.0
            notes.append("index on a 0-1 scale compared as percent (x100): differences are percentage points")
        elif units == {"score"} and (index, component) in maxima:
            top, spans = maxima[(index, component)]

            def scale(year: int, top=top, spans=spans):
                hit = [m for a, b, m in spans if a <= year <= b]
                best = hit[0] if hit else top
                return 100.0 / best if best else None

            shown = sorted({m for _a, _b, m in spans}) if spans else [top]
            notes.append(f"points of {'/'.join(_fmt(m) for m in shown)} converted to % of the maximum")
    break_years = sorted(int(y) for y in _breaks_for(breaks, index, component)["year"].unique()) if not breaks.empty else []
    obs = _observations(frame, field, break_years, scale)
    kind_key = "value" if field in ("value", "value_change") else "rank"
    last_year = latest.get((index, component, boundaries, kind_key))
    horizon = min(deadline, cap)
    usable = {y: v for y, v in obs.items() if y <= horizon}
    what = _WHAT[field]

    if kind == "baseline":
        if deadline in obs:
            row["actual"], row["source_id"], _ = obs[deadline]
            row["actual_year"], row["actual_is_latest"] = deadline, False
            diff = row["actual"] - target
            notes.append("document figure matches the data" if abs(diff) <= 0.005 else f"document figure {target:g}, data {row['actual']:g}")
        else:
            notes.append(f"no {field} figure for {deadline} in the data")
        return done(None)

    outside = None
    if deadline <= cap and (last_year is not None and deadline <= last_year) and deadline not in usable:
        outside = _outside_complete_top(field, comparator, target, code, (index, component, boundaries, deadline), tops or {})
    if outside is not None:
        k, source = outside
        row.update(actual_year=deadline, actual_is_latest=False, source_id=source)
        return done(
            "not met",
            f"not among the complete top {k} published for {deadline} (ranks 1-{k} all listed): it did not rank "
            f"{k} or better, so the target (rank {_fmt(target)} or better) was not met",
        )

    if not usable:
        extra = f"no {index.upper()} {what} for {province or code} ({boundaries} boundaries) up to {horizon}"
        if field in ("rank_change", "value_change") and obs == {} and frame is not None:
            extra += " (a change needs the figures of two consecutive years on the same side of every break)"
            if horizon - 1 not in {int(y) for y in frame.index}:
                extra += f"; no {horizon - 1} figure"
        if field in ("rank", "rank_change") and frame is not None and frame["_v"].notna().any() and frame["rank_used"].isna().all():
            extra += " (scores exist but no rank is published and too few scores to compute one)"
        return done("no data", extra)

    future = deadline > cap or last_year is None or deadline > last_year
    stale = None  # why the figure shown is too old for a verdict
    if future or deadline in usable:
        actual_year = max(usable) if future else deadline
    else:
        actual_year = max(usable)
        gap_years = deadline - actual_year
        crossed = [b for b in break_years if actual_year < b <= deadline]
        if crossed:
            stale = f"comparability break in {crossed[0]} between the figure ({actual_year}) and the deadline ({deadline})"
        elif gap_years > max_age:
            stale = f"the latest ({actual_year}) is {gap_years} years older than the deadline"
    actual, source, how = usable[actual_year]
    row.update(actual=actual, actual_year=actual_year, actual_is_latest=actual_year != deadline, source_id=source)
    if how == "computed":
        n = int(frame.loc[actual_year, "n_ranked"]) if "n_ranked" in frame.columns else None
        notes.append(f"rank computed from the {actual_year} scores of {n} provinces (none published; ties share a rank)")
    elif how.startswith(("rank change", "value change")):
        notes.append(how)
    if actual_year != deadline and not future and stale is None:
        notes.append(
            f"no {deadline} figure for this province; the {actual_year} figure is used "
            f"(at most {max_age} year{'s' if max_age != 1 else ''} older, same method)"
        )
    full = unit == "%" and abs(target - 100.0) <= _EPS and field == "value"
    achieved = _meets(actual, comparator, target, full=full, tolerance=tolerance)
    row["gap"] = _gap(actual, comparator, target)
    if full and achieved and actual < 100:
        notes.append(f"100% target met within {tolerance:g} point (project rule)")

    # -- baseline and progress -------------------------------------------------------------
    higher = _higher_is_better(comparator, target, None)
    if field in ("value", "rank"):
        seg = _segment(actual_year, break_years)
        base_year = base = None
        plan = plan_bases.get(_metric_key({**t, "metric_field": field}))
        if plan is not None:
            pv, py = plan
            if py >= actual_year:
                notes.append(
                    f"the plan's quoted baseline ({py}: {_fmt(pv)}) is the figure graded: progress from an earlier data figure"
                    if py == actual_year else f"the plan's quoted baseline ({py}) is later than the figure ({actual_year})"
                )
            elif _segment(py, break_years) != seg:
                b = [b for b in break_years if py < b <= actual_year][0]
                notes.append(f"the plan's quoted baseline ({py}) is before the {b} comparability break: not used")
            else:
                base_year, base = py, pv
                row["baseline_source"] = "plan"
                if py in usable and abs(usable[py][0] - pv) > 0.005:
                    notes.append(f"baseline {py} as quoted by the plan ({_fmt(pv)}; data {_fmt(usable[py][0])})")
        if base_year is None:
            comparable = sorted(y for y in usable if y < actual_year and _segment(y, break_years) == seg)
            start = _plan_start(t.get("plan_period")) or deadline
            before = [y for y in comparable if y < start]
            base_year = before[-1] if before else (comparable[0] if comparable else None)
            if base_year is not None:
                base = usable[base_year][0]
                row["baseline_source"] = "data"
                if not before:
                    notes.append(f"baseline {base_year}: no figure before the plan period")
        if base_year is not None:
            row.update(baseline_value=base, baseline_year=base_year)
            higher = _higher_is_better(comparator, target, base)
            measure = "linear" if field == "rank" else "auto"
            ratio = progress_ratio(
                base_value=base, base_year=base_year, current_value=actual, current_year=actual_year,
                target_value=target, target_year=deadline, higher_is_better=higher, measure=measure,
            )
            growth, gkind = _growth(base, base_year, actual, actual_year, measure)
            row["progress_ratio"] = ratio
            row["progress_measure"] = gkind
            if not achieved and _meets(base, comparator, target, full=full, tolerance=tolerance):
                notes.append(f"met the target in {base_year} ({_fmt(base)}), short of it in {actual_year} ({_fmt(actual)})")
            row["projected_year"] = _projected_year(
                actual, actual_year, growth, gkind, target, higher, comparator=comparator, full=full, tolerance=tolerance,
            )
        elif achieved:
            row["projected_year"] = actual_year
    row["progress_category"] = progress_category(row["progress_ratio"], achieved=achieved, on_track=on_track_ratio)

    if not future:
        if stale is not None:
            scope = f"{deadline}" + "".join(f" or {y}" for y in range(deadline - 1, deadline - max_age - 1, -1))
            return done(
                "no data",
                f"no {index.upper()} {what} for {province or code} in {scope}; {stale}: too old for a verdict "
                f"(graded only on a figure at most {max_age} year{'s' if max_age != 1 else ''} older, same method)",
            )
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
        if row["baseline_year"] is None:
            return done("no data", f"only one comparable figure ({actual_year}): progress towards a future deadline cannot be measured")
        return done("no data", "the figure has not moved from the baseline, which equals the target")  # pragma: no cover
    return done("on track" if ratio >= on_track_ratio else "off track")
