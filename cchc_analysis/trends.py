"""Trends of an indicator per province, refusing to run across comparability breaks.

One row per series (index, component, boundaries, province): first and last values,
compound annual growth rate, Theil-Sen slope with its confidence interval, the
Mann-Kendall test (Kendall's tau between year and value) and the change in rank.

A comparability break (``cchc_analysis.load_breaks()``, or ``breaks=`` passed
explicitly) marks the first year of a new series -- PAPI 2018 went from 6 to 8
dimensions, so totals before and after measure different things.  No trend is computed
across a break unless the caller opts in with ``across_breaks=True`` (flagged in the
result) or asks for one trend per comparable segment with ``across_breaks="split"``.

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"year": [2018, 2019, 2020, 2021, 2022],
...                   "value": [40.1, 41.0, 41.2, 42.5, 43.0]})
>>> r = series_trend(s)
>>> r.direction, round(r.theil_slope, 4), round(r.kendall_p, 4)
('improving', 0.7375, 0.0167)

Formulas and sources
--------------------
* CAGR = (last / first) ** (1 / (last_year - first_year)) - 1, over calendar years
  between the first and last observation (the growth rate Open SDG uses,
  sdg-build ``ProgressMeasure.growth_calculation``).
* Theil-Sen slope: median of the pairwise slopes, with a two-sided ``1 - alpha``
  confidence interval -- ``scipy.stats.theilslopes(y, x, alpha=1 - alpha)``
  (Sen 1968, J. Am. Stat. Assoc. 63:1379).
* Mann-Kendall trend test = Kendall's tau between year and value, two-sided, by its
  exact null distribution: ``scipy.stats.kendalltau(year, value, method="exact")``
  without ties (Kendall 1975, *Rank Correlation Methods*); with tied values (ranks
  30, 30, 25, 25, 20) the exact distribution of Kendall's S over the orderings of the
  tied values, counted by q-multinomial coefficients (``kendall_method`` "exact (ties)").
  The normal approximation is never used on these short series.
* Minimum n (:data:`MIN_N_INFERENCE` = 5): no Theil-Sen interval below five points, and
  the direction is "too few years" when even a perfectly monotone series could not
  reach ``alpha`` (2/n! > alpha: n <= 4 at 0.05).  Rules and sources: docs/methods.md.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "ComparabilityBreakError",
    "TrendResult",
    "TREND_COLUMNS",
    "series_trend",
    "trend_table",
    "MIN_N_INFERENCE",
    "fastest_and_slowest",
    "spanned_breaks",
]

#: Key columns of the indicators table that identify one series.
SERIES_KEY = ("index", "component", "boundaries", "province_code")

#: Columns of :func:`trend_table`, in order.
TREND_COLUMNS = (
    "index",
    "component",
    "boundaries",
    "province_code",
    "province",
    "unit",
    "basis",
    "n_years",
    "first_year",
    "last_year",
    "first_value",
    "last_value",
    "abs_change",
    "cagr",
    "theil_slope",
    "theil_low",
    "theil_high",
    "kendall_tau",
    "kendall_p",
    "kendall_method",
    "first_rank",
    "last_rank",
    "rank_change",
    "direction",
    "breaks_crossed",
)

BREAK_COLUMNS = ("index", "component", "year", "kind", "description", "source_id")


class ComparabilityBreakError(ValueError):
    """The requested years span a comparability break of the index.

    Attributes
    ----------
    spanned : DataFrame
        One row per (index, component, boundaries, break) spanned, with columns
        index, component, boundaries, first_year, last_year, break_year, kind,
        description, source_id.
    index, component, year, kind, description :
        The first break spanned (``year`` is the first year of the new series).
    """

    def __init__(self, message: str, *, spanned: "pd.DataFrame"):
        super().__init__(message)
        self.spanned = spanned
        first = spanned.iloc[0] if len(spanned) else {}
        self.index = first.get("index") if len(spanned) else None
        self.component = first.get("component") if len(spanned) else None
        self.year = int(first["break_year"]) if len(spanned) else None
        self.kind = first.get("kind") if len(spanned) else None
        self.description = first.get("description") if len(spanned) else None


class TrendResult(NamedTuple):
    """Trend statistics of one series (see :func:`series_trend` for each field)."""

    basis: str | None
    n_years: int
    first_year: int | None
    last_year: int | None
    first_value: float
    last_value: float
    abs_change: float
    cagr: float
    theil_slope: float
    theil_low: float
    theil_high: float
    kendall_tau: float
    kendall_p: float
    kendall_method: str | None
    first_rank: int | None
    last_rank: int | None
    rank_change: int | None
    direction: str | None


# --------------------------------------------------------------------------------------
# validation and selection helpers (shared with compare.py and gaps.py)
# --------------------------------------------------------------------------------------


def _require_frame(data: Any, name: str, columns: Iterable[str], hint: str = "") -> None:
    """Raise naming the argument when ``data`` is not a DataFrame with ``columns``."""
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"`{name}` must be a pandas DataFrame in long form (one row per key), "
            f"got {type(data).__name__}.{(' ' + hint) if hint else ''}"
        )
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(
            f"`{name}` lacks the column(s) {missing}; it has {list(data.columns)}."
            f"{(' ' + hint) if hint else ''}"
        )


def _as_list(value: Any) -> list | None:
    if value is None:
        return None
    if isinstance(value, (str, int)):
        return [value]
    return list(value)


def _years_list(years: Any, name: str = "years") -> list[int] | None:
    if years is None:
        return None
    if isinstance(years, (str, float)):
        raise TypeError(f"`{name}` must be an int or an iterable of ints such as range(2018, 2025), got {years!r}.")
    items = _as_list(years)
    try:
        return [int(y) for y in items]
    except (TypeError, ValueError):
        raise TypeError(f"`{name}` must be an int or an iterable of ints such as range(2018, 2025), got {years!r}.") from None


def _lower(series: "pd.Series") -> "pd.Series":
    return series.astype("string").str.lower()


def _filter_index(data: "pd.DataFrame", index: Any, name: str = "index") -> "pd.DataFrame":
    wanted = _as_list(index)
    if wanted is None:
        return data
    wanted = [str(i).lower() for i in wanted]
    got = _lower(data["index"])
    absent = [i for i in wanted if not (got == i).any()]
    if absent:
        raise ValueError(
            f"No rows for {name}={absent} in `data`. Available indices: {sorted(got.dropna().unique())}."
        )
    return data[got.isin(wanted).to_numpy()]


def _filter_component(data: "pd.DataFrame", component: Any, name: str = "component") -> "pd.DataFrame":
    wanted = _as_list(component)
    if wanted is None:
        return data
    got = data["component"].astype("string")
    absent = [c for c in wanted if not (got == c).any()]
    if absent:
        sample = sorted(got.dropna().unique())[:12]
        raise ValueError(
            f"No rows for {name}={absent} in `data` (after the index filter). "
            f"Components present include: {sample}. Pass component=None for all."
        )
    return data[got.isin(wanted).to_numpy()]


def _filter_years(data: "pd.DataFrame", years: Any, name: str = "years") -> "pd.DataFrame":
    wanted = _years_list(years, name)
    if wanted is None:
        return data
    out = data[data["year"].isin(wanted).to_numpy()]
    if out.empty:
        raise ValueError(
            f"No rows for {name}={sorted(set(wanted))} in `data`. "
            f"Years present: {sorted(int(y) for y in data['year'].dropna().unique())}."
        )
    return out


def _province_codes(provinces: Any, name: str = "provinces") -> dict[str, set[str]]:
    """Names or codes -> {"legacy": codes, "2025": codes}; a name may match both sets."""
    from .provinces import UnknownProvinceError, resolve_province

    out: dict[str, set[str]] = {"legacy": set(), "2025": set()}
    for item in _as_list(provinces) or []:
        text = item.code if hasattr(item, "code") else str(item)
        first_error = None
        found = False
        for boundaries in ("legacy", "2025"):
            try:
                out[boundaries].add(resolve_province(text, boundaries=boundaries).code)
                found = True
            except UnknownProvinceError as exc:
                first_error = first_error or exc
        if not found:
            raise UnknownProvinceError(f"In `{name}`: {first_error}")
    return out


def _province_mask(data: "pd.DataFrame", provinces: Any, name: str = "provinces") -> "pd.Series":
    codes = _province_codes(provinces, name)
    code = data["province_code"].astype("string")
    if "boundaries" in data.columns:
        b = data["boundaries"].astype("string")
        mask = ((b == "legacy") & code.isin(codes["legacy"])) | ((b == "2025") & code.isin(codes["2025"]))
        mask = mask.fillna(False) | (b.isna() & code.isin(codes["legacy"] | codes["2025"])).fillna(False)
    else:
        mask = code.isin(codes["legacy"] | codes["2025"]).fillna(False)
    return mask.astype(bool)


def _filter_provinces(data: "pd.DataFrame", provinces: Any, name: str = "provinces") -> "pd.DataFrame":
    if provinces is None:
        return data
    out = data[_province_mask(data, provinces, name).to_numpy()]
    if out.empty:
        raise ValueError(f"No rows for {name}={_as_list(provinces)} in `data` after the other filters.")
    return out


def _province_name(code: Any, boundaries: Any) -> str | None:
    from .provinces import UnknownProvinceError, resolve_province

    if code is None or (isinstance(code, float) and math.isnan(code)):
        return None
    b = boundaries if boundaries in ("legacy", "2025") else "legacy"
    try:
        return resolve_province(str(code), boundaries=b).name
    except UnknownProvinceError:
        return None


def _first_text(arr, pos) -> str | None:
    """First non-empty string of ``arr`` at positions ``pos`` (None if none)."""
    if arr is None:
        return None
    for v in arr[pos]:
        if isinstance(v, str) and v:
            return v
    return None


#: Fewest observations for a p-value, a confidence interval or a trend direction.  Below
#: five the exact two-sided Kendall / Spearman p cannot reach 0.05 (its smallest value is
#: 2/n!: 1/12 for n = 4), and the Theil-Sen "95 %" interval covers the true slope in only
#: 0 %, 67 % and 91 % of normal-error series of 2, 3 and 4 points (98.6 % for 5; simulation in
#: docs/methods.md).  See docs/methods.md.
MIN_N_INFERENCE = 5
#: Permutation tests list every ordering up to this n (8! = 40,320); above it they draw
#: ``N_RESAMPLES`` random orderings with a fixed seed, so results repeat exactly.
EXACT_MAX_N = 8
N_RESAMPLES = 9999
_SEED = 0


def _q_multinomial(counts: list[int]) -> list[int]:
    """Coefficients of the q-multinomial [n; a1, a2, ...]_q: entry k is the number of
    distinct orderings of a multiset (group sizes ``counts``) with k inversions."""

    def times_q_integer(poly: list[int], i: int) -> list[int]:  # poly * (1 + q + ... + q^(i-1))
        prefix = [0]
        for c in poly:
            prefix.append(prefix[-1] + c)
        out = []
        for k in range(len(poly) + i - 1):
            hi = min(k, len(poly) - 1) + 1
            lo = max(0, k - i + 1)
            out.append(prefix[hi] - prefix[lo])
        return out

    def over_q_integer(poly: list[int], i: int) -> list[int]:  # exact division by (1 + ... + q^(i-1))
        shifted = [poly[0]] + [poly[k] - poly[k - 1] for k in range(1, len(poly))] + [-poly[-1]]  # * (1 - q)
        out: list[int] = []
        for k in range(len(shifted) - i):  # / (1 - q^i)
            out.append(shifted[k] + (out[k - i] if k >= i else 0))
        return out

    poly = [1]
    for i in range(2, sum(counts) + 1):
        poly = times_q_integer(poly, i)
    for a in counts:
        for i in range(2, a + 1):
            poly = over_q_integer(poly, i)
    return poly


def _kendall_exact_one_tied(x, y) -> float:
    """Exact two-sided p of Kendall's S when ``x`` has no ties (``y`` may have): under the
    null every ordering of y is equally likely, and the number of orderings with k
    inversions is the q-multinomial coefficient of y's tie groups (Knuth, TAOCP 3,
    5.1.2), so S = P - 2k has an exact distribution for any n."""
    import numpy as np

    order = np.argsort(x, kind="stable")
    yy = np.asarray(y, dtype=float)[order]
    n = len(yy)
    i, j = np.triu_indices(n, k=1)
    s_obs = int(np.sign(yy[j] - yy[i]).sum())
    _vals, counts = np.unique(yy, return_counts=True)
    dist = _q_multinomial([int(c) for c in counts])
    pairs = n * (n - 1) // 2 - sum(int(c) * (int(c) - 1) // 2 for c in counts)
    total = sum(dist)
    hit = sum(c for k, c in enumerate(dist) if abs(pairs - 2 * k) >= abs(s_obs))
    return min(1.0, hit / total)


def _permutation_p(x, y, statistic: str) -> tuple[float, str]:
    """Two-sided permutation p-value of a correlation between ``x`` and ``y``.

    ``statistic`` "pearson" (r), "spearman" (r of average ranks) or "kendall" (S).  Every
    ordering of y is listed when n <= EXACT_MAX_N ("exact permutation"); otherwise
    N_RESAMPLES random orderings drawn with a fixed seed ("permutation (9,999 orderings)"),
    each tail counted as (1 + hits) / (1 + N_RESAMPLES).  Two-sided p = twice the smaller
    tail, at most 1 -- the definitions of ``scipy.stats.permutation_test``.
    """
    import itertools

    import numpy as np
    from scipy import stats

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if statistic == "spearman":
        x, y = stats.rankdata(x), stats.rankdata(y)
    if n <= EXACT_MAX_N:
        idx = np.array(list(itertools.permutations(range(n))))
        method = "exact permutation"
    else:
        rng = np.random.default_rng(_SEED)
        idx = rng.permuted(np.tile(np.arange(n), (N_RESAMPLES, 1)), axis=1)
        method = f"permutation ({N_RESAMPLES:,} orderings)"
    ys = y[idx]
    if statistic == "kendall":
        i, j = np.triu_indices(n, k=1)
        dx = np.sign(x[j] - x[i])
        obs = float(np.sign(y[j] - y[i]) @ dx)
        dist = np.sign(ys[:, j] - ys[:, i]) @ dx
    else:
        xc = x - x.mean()
        yc = ys - ys.mean(axis=1, keepdims=True)
        denom = np.sqrt((xc**2).sum()) * np.sqrt((yc**2).sum(axis=1))
        dist = (yc @ xc) / denom
        obs = float(((y - y.mean()) @ xc) / (np.sqrt((xc**2).sum()) * np.sqrt(((y - y.mean()) ** 2).sum())))
    # two-sided as scipy.stats.permutation_test: twice the smaller tail, at most 1
    tol = 1e-12 * max(1.0, abs(obs))
    greater = int(np.sum(dist >= obs - tol))
    less = int(np.sum(dist <= obs + tol))
    if n <= EXACT_MAX_N:
        return min(1.0, 2 * min(greater, less) / len(dist)), method
    return min(1.0, 2 * (min(greater, less) + 1) / (N_RESAMPLES + 1)), method


def _kendall(x, y) -> tuple[float, float, str | None]:
    """Kendall's tau-b and its two-sided p-value.

    * neither variable tied: the exact null distribution (``scipy.stats.kendalltau(...,
      method="exact")``), method "exact";
    * one variable tied (a series of years against tied ranks): the exact distribution of
      S over the orderings of the tied variable (:func:`_kendall_exact_one_tied`), method
      "exact (ties)";
    * both tied: a permutation test (:func:`_permutation_p`).
    """
    import numpy as np
    from scipy import stats

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) < 2:
        return math.nan, math.nan, None
    tx, ty = len(np.unique(x)) < len(x), len(np.unique(y)) < len(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tau = float(stats.kendalltau(x, y).statistic)
    if math.isnan(tau):  # a constant variable
        return tau, math.nan, None
    if not tx and not ty:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return tau, float(stats.kendalltau(x, y, method="exact").pvalue), "exact"
    if tx and ty:
        p, method = _permutation_p(x, y, "kendall")
        return tau, p, method
    if tx:
        x, y = y, x
    return tau, _kendall_exact_one_tied(x, y), "exact (ties)"


def _nan_to_none(v: Any) -> Any:
    import pandas as pd

    return None if v is None or pd.isna(v) else v


# --------------------------------------------------------------------------------------
# comparability breaks
# --------------------------------------------------------------------------------------


def _load_breaks(breaks: Any) -> "pd.DataFrame":
    """The breaks table: ``breaks`` validated, or the bundled one when ``breaks`` is None."""
    import pandas as pd

    if breaks is None:
        try:
            import cchc_analysis

            loader = cchc_analysis.load_breaks
        except (ImportError, AttributeError) as exc:
            raise RuntimeError(
                "breaks=None reads the bundled comparability breaks with "
                f"cchc_analysis.load_breaks(), which is not available ({exc}). Pass `breaks` "
                "explicitly: a DataFrame with columns index, component, year, kind, description "
                "(an empty DataFrame for none)."
            ) from exc
        breaks = loader()
    if not isinstance(breaks, pd.DataFrame):
        raise TypeError(
            "`breaks` must be a DataFrame with columns index, component ('*' = all), year "
            f"(first year of the new series), kind, description; got {type(breaks).__name__}."
        )
    if breaks.empty and len(breaks.columns) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in BREAK_COLUMNS})
    _require_frame(
        breaks,
        "breaks",
        ["index", "component", "year"],
        hint="Build it like cchc_analysis.load_breaks(): index, component ('*' = all), year, kind, description.",
    )
    out = breaks.copy()
    for col in ("kind", "description", "source_id"):
        if col not in out.columns:
            out[col] = None
    # content notes (load_breaks(notes=True), kind "note") inform the reader; they do not split a series
    out = out[(out["kind"].astype("string").fillna("") != "note").to_numpy()]
    out["index"] = _lower(out["index"])
    out["component"] = out["component"].astype("string").fillna("*")
    out["year"] = out["year"].astype(int)
    return out.reset_index(drop=True)


def _breaks_for(breaks: "pd.DataFrame", index: str, component: str) -> "pd.DataFrame":
    """Breaks that apply to one (index, component): same index or '*', component equal,
    '*', or a parent of a sub-component ('d1_participation' covers 'd1_participation.x')."""
    if breaks.empty:
        return breaks
    idx = str(index).lower()
    comp = str(component)
    bi = breaks["index"].astype(str)
    bc = breaks["component"].astype(str)
    parent = bc.map(lambda c: comp.startswith(c + "."))
    mask = ((bi == idx) | (bi == "*")) & ((bc == "*") | (bc == comp) | parent)
    return breaks[mask.to_numpy()]


def _enforced(breaks: "pd.DataFrame", has_boundaries: bool) -> "pd.DataFrame":
    """Breaks of kind 'boundaries' are already enforced by the series key when the data
    carry a ``boundaries`` column (legacy and 2025 units never share a series)."""
    if has_boundaries and not breaks.empty:
        return breaks[breaks["kind"].astype("string").fillna("") != "boundaries"]
    return breaks


def spanned_breaks(data: "pd.DataFrame", *, breaks: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """Which comparability breaks the years of ``data`` span.

    A break with first year ``B`` is spanned by a series observed from ``first_year``
    to ``last_year`` when ``first_year < B <= last_year``.  Series are
    (index, component, boundaries); breaks of kind ``"boundaries"`` are not reported when
    ``data`` has a ``boundaries`` column, since legacy and 2025 units are separate series.

    Parameters
    ----------
    data : DataFrame
        Indicator rows (columns ``index``, ``component``, ``year``; ``boundaries`` optional).
    breaks : DataFrame, optional
        Columns ``index``, ``component`` ("*" = all), ``year``, ``kind``, ``description``.
        Default: ``cchc_analysis.load_breaks()``.

    Returns
    -------
    DataFrame
        index, component, boundaries, first_year, last_year, break_year, kind,
        description, source_id -- one row per series and break spanned (empty if none).
    """
    import pandas as pd

    _require_frame(data, "data", ["index", "component", "year"])
    table = _load_breaks(breaks)
    has_b = "boundaries" in data.columns
    table = _enforced(table, has_b)
    keys = ["index", "component"] + (["boundaries"] if has_b else [])
    rows = []
    if not table.empty and not data.empty:
        span = data.groupby(keys, dropna=False, sort=True)["year"].agg(["min", "max"]).reset_index()
        for r in span.itertuples(index=False):
            rec = r._asdict()
            applicable = _breaks_for(table, rec["index"], rec["component"])
            hit = applicable[(applicable["year"] > rec["min"]) & (applicable["year"] <= rec["max"])]
            for b in hit.sort_values("year").itertuples(index=False):
                rows.append(
                    {
                        "index": rec["index"],
                        "component": rec["component"],
                        "boundaries": rec.get("boundaries"),
                        "first_year": int(rec["min"]),
                        "last_year": int(rec["max"]),
                        "break_year": int(b.year),
                        "kind": b.kind,
                        "description": b.description,
                        "source_id": b.source_id,
                    }
                )
    cols = ["index", "component", "boundaries", "first_year", "last_year", "break_year", "kind", "description", "source_id"]
    return pd.DataFrame(rows, columns=cols)


def _break_message(spanned: "pd.DataFrame", *, what: str, how: str) -> str:
    parts = []
    for r in spanned.itertuples(index=False):
        where = f", boundaries {r.boundaries!r}" if isinstance(r.boundaries, str) else ""
        desc = f"{r.kind}: {r.description}" if isinstance(r.description, str) else str(r.kind)
        parts.append(
            f"{str(r.index).upper()} component {r.component!r}{where}: years {r.first_year}-{r.last_year} "
            f"span a comparability break in {r.break_year} ({desc})."
        )
    return f"Refusing to compute a {what} across a comparability break. " + " ".join(parts) + " " + how


# --------------------------------------------------------------------------------------
# one series
# --------------------------------------------------------------------------------------


def series_trend(
    data: "pd.DataFrame | pd.Series",
    *,
    alpha: float = 0.05,
    higher_is_better: bool = True,
) -> TrendResult:
    """Trend statistics of one series (one index, component and province).

    Parameters
    ----------
    data : DataFrame or Series
        A DataFrame with columns ``year`` and ``value`` (and optionally ``rank``), one
        row per year; or a Series of values indexed by year.  Missing values are
        skipped.  This helper does not check comparability breaks: use
        :func:`trend_table` for that.
    alpha : float
        Significance level of the trend test and ``1 - alpha`` the confidence level of
        the Theil-Sen interval.
    higher_is_better : bool
        Direction of the value (True for every overall index score).  Ranks are
        always lower = better.

    Returns
    -------
    TrendResult
        Named tuple with fields:

        * ``basis`` -- "value" when the series has at least as many years with a value
          as with a rank, else "rank" (press tables sometimes give only ranks); None
          when the series is empty.
        * ``n_years``, ``first_year``, ``last_year`` -- observations of the basis.
        * ``first_value``, ``last_value`` -- values in those years (NaN if unpublished).
        * ``abs_change`` = last_value - first_value (NaN with a single observation).
        * ``cagr`` = (last_value / first_value) ** (1 / (last_year - first_year)) - 1;
          NaN unless both values are positive.
        * ``theil_slope``, ``theil_low``, ``theil_high`` -- Theil-Sen slope of the basis
          per year and its ``1 - alpha`` confidence interval
          (``scipy.stats.theilslopes``); for a rank basis, places per year
          (negative = moving up).  The interval is NaN below
          :data:`MIN_N_INFERENCE` (5) points, where it does not hold its level.
        * ``kendall_tau``, ``kendall_p``, ``kendall_method`` -- Mann-Kendall test:
          tau-b with the exact two-sided p, "exact" (no ties,
          ``scipy.stats.kendalltau(..., method="exact")``) or "exact (ties)" (exact
          distribution of S over the orderings of the tied values).
        * ``first_rank``, ``last_rank`` -- published ranks in first_year / last_year.
        * ``rank_change`` = first_rank - last_rank (positive = moved up; <NA> with a
          single observation).
        * ``direction`` -- "improving" / "worsening" when ``kendall_p < alpha`` and the
          sign of ``kendall_tau`` points to a better / worse basis (higher values if
          ``higher_is_better``; lower ranks always), else "flat"; "too few years"
          when the smallest attainable p (2/n!) exceeds ``alpha`` -- at 0.05, series
          of 4 years or fewer, which no test could call a trend; None with fewer
          than 2 observations.

    Examples
    --------
    >>> import pandas as pd
    >>> series_trend(pd.Series([5.0, 6.0, 8.0], index=[2020, 2021, 2022])).theil_slope
    1.5
    """
    import numpy as np
    import pandas as pd

    if not 0 < alpha < 1:
        raise ValueError(f"`alpha` must be between 0 and 1 (e.g. 0.05), got {alpha!r}.")
    if isinstance(data, pd.Series):
        frame = pd.DataFrame({"year": data.index, "value": data.to_numpy()})
    else:
        _require_frame(data, "data", ["year", "value"], hint="One row per year of one series.")
        frame = data
    years = pd.to_numeric(frame["year"], errors="raise").astype(float).to_numpy()
    if len(np.unique(years)) < len(years):
        dup = sorted({int(y) for y in years[pd.Series(years).duplicated().to_numpy()]})
        raise ValueError(
            f"`data` has more than one row for year(s) {dup}; series_trend needs one series "
            "(filter to one index, component and province, or use trend_table)."
        )
    values = pd.to_numeric(frame["value"], errors="coerce").astype(float).to_numpy()
    if "rank" in frame.columns:
        ranks = pd.to_numeric(frame["rank"], errors="coerce").astype(float).to_numpy()
    else:
        ranks = np.full(len(years), np.nan)
    return _trend_arrays(years, values, ranks, alpha=alpha, higher_is_better=higher_is_better)


def _trend_arrays(years, values, ranks, *, alpha: float, higher_is_better: bool) -> TrendResult:
    import numpy as np
    from scipy import stats

    order = np.argsort(years, kind="stable")
    years, values, ranks = years[order], values[order], ranks[order]
    has_v, has_r = ~np.isnan(values), ~np.isnan(ranks)
    n_v, n_r = int(has_v.sum()), int(has_r.sum())
    if n_v == 0 and n_r == 0:
        nan = math.nan
        return TrendResult(None, 0, None, None, nan, nan, nan, nan, nan, nan, nan, nan, nan, None, None, None, None, None)
    basis = "value" if n_v >= n_r else "rank"
    mask = has_v if basis == "value" else has_r
    x = years[mask]
    y = values[mask] if basis == "value" else ranks[mask]
    n = len(x)
    first_year, last_year = int(x[0]), int(x[-1])
    pos = {yr: i for i, yr in enumerate(years)}
    fv, lv = float(values[pos[x[0]]]), float(values[pos[x[-1]]])
    fr, lr = ranks[pos[x[0]]], ranks[pos[x[-1]]]
    first_rank = None if np.isnan(fr) else int(fr)
    last_rank = None if np.isnan(lr) else int(lr)
    rank_change = first_rank - last_rank if first_rank is not None and last_rank is not None and n >= 2 else None
    abs_change = lv - fv if n >= 2 else math.nan
    span = last_year - first_year
    cagr = (lv / fv) ** (1.0 / span) - 1.0 if span > 0 and fv > 0 and lv > 0 else math.nan

    slope = low = high = tau = p = math.nan
    method = None
    direction = None
    if n >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ts = stats.theilslopes(y, x, alpha=1 - alpha)
        slope = float(ts.slope)
        if n >= MIN_N_INFERENCE:  # below it the interval does not hold its level
            low, high = float(ts.low_slope), float(ts.high_slope)
        tau, p, method = _kendall(x, y)
        better = 1.0 if (basis == "value" and higher_is_better) else -1.0
        if 2.0 / math.factorial(n) > alpha:
            # even a perfectly monotone series could not reach alpha: say so, not "flat"
            direction = "too few years"
        elif not math.isnan(p) and p < alpha and tau != 0:
            direction = "improving" if tau * better > 0 else "worsening"
        else:
            direction = "flat"
    return TrendResult(
        basis, n, first_year, last_year, fv, lv, abs_change, cagr, slope, low, high, tau, p, method,
        first_rank, last_rank, rank_change, direction,
    )


# --------------------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------------------


def trend_table(
    data: "pd.DataFrame",
    *,
    index: str | Iterable[str] | None = None,
    component: str | Iterable[str] | None = "overall",
    provinces: Iterable[str] | str | None = None,
    years: Iterable[int] | None = None,
    breaks: "pd.DataFrame | None" = None,
    across_breaks: bool | str = False,
    alpha: float = 0.05,
    higher_is_better: bool = True,
) -> "pd.DataFrame":
    """One trend per (index, component, boundaries, province).

    Parameters
    ----------
    data : DataFrame
        Indicators in long form, as from ``cchc_analysis.load_indicators()``: columns
        ``index``, ``year``, ``component``, ``province_code``, ``value``, ``rank``
        (``boundaries``, ``province``, ``unit`` used when present).
    index : str or list of str, optional
        Indices to keep ("par", "sipas", "papi", "pci", "dti"); default all.
    component : str or list of str or None
        Components to keep; default "overall"; None for every component.
    provinces : names or GSO codes, optional
        Any spelling :func:`cchc_analysis.provinces.resolve_province` understands; a
        name valid in both sets (e.g. "Đà Nẵng") selects both its legacy and its 2025
        series.
    years : iterable of int, optional
        Years to keep, e.g. ``range(2018, 2025)``.
    breaks : DataFrame, optional
        Comparability breaks (index, component, year, kind, description); default
        ``cchc_analysis.load_breaks()``.  Pass an empty DataFrame for none.
    across_breaks : False, True or "split"
        False (default): raise :class:`ComparabilityBreakError` if the selected years
        of any series span a break.  True: compute across it and name the break in
        ``breaks_crossed``.  "split": one row per comparable segment.
    alpha : float
        Significance level for ``direction`` and the Theil-Sen interval.
    higher_is_better : bool
        Whether higher values are better (True for every overall index).

    Returns
    -------
    DataFrame
        One row per series (per segment with ``across_breaks="split"``), columns:

        ================  ==========================================================
        index, component, boundaries, province_code, province, unit   the series
        basis             "value" or "rank" (the series the statistics use)
        n_years           observations of the basis
        first_year, last_year, first_value, last_value
        abs_change        last_value - first_value
        cagr              (last_value/first_value)**(1/(last_year-first_year)) - 1
        theil_slope, theil_low, theil_high   Theil-Sen slope per year and CI
                          (no CI below 5 points)
        kendall_tau, kendall_p, kendall_method   Mann-Kendall test (exact p)
        first_rank, last_rank   published ranks in first/last year
        rank_change       first_rank - last_rank (positive = moved up)
        direction         "improving", "flat", "worsening", "too few years"
                          (n <= 4 at alpha 0.05); None if < 2 years
        breaks_crossed    breaks inside the series (only with across_breaks=True)
        ================  ==========================================================

        See :func:`series_trend` for the exact definitions.

    Raises
    ------
    ComparabilityBreakError
        When the years span a break and ``across_breaks`` is False.

    Examples
    --------
    >>> trend_table(data, index="papi", years=range(2018, 2025))  # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    if across_breaks not in (False, True, "split"):
        raise ValueError(f"`across_breaks` must be False, True or 'split', got {across_breaks!r}.")
    _require_frame(
        data,
        "data",
        ["index", "year", "component", "province_code", "value"],
        hint="Pass the indicators table from cchc_analysis.load_indicators().",
    )
    sel = _filter_index(data, index)
    sel = _filter_component(sel, component)
    sel = _filter_years(sel, years)
    sel = _filter_provinces(sel, provinces)
    has_b = "boundaries" in sel.columns
    sel = sel.copy()
    if not has_b:
        sel["boundaries"] = None
    if "rank" not in sel.columns:
        sel["rank"] = pd.array([pd.NA] * len(sel), dtype="Int64")
    table = _load_breaks(breaks)

    dup = sel.duplicated(list(SERIES_KEY) + ["year"], keep=False)
    if dup.any():
        d = sel.loc[dup, list(SERIES_KEY) + ["year"]].drop_duplicates().head(5).to_dict("records")
        raise ValueError(
            f"`data` has several rows for the same (index, component, boundaries, province_code, year), "
            f"e.g. {d}. Keep one row per key (e.g. drop_duplicates on those columns) before trend_table."
        )

    spanned = spanned_breaks(sel if has_b else sel.drop(columns="boundaries"), breaks=table)
    if not spanned.empty and across_breaks is False:
        first = spanned.iloc[0]
        how = (
            f"Restrict the years to one side, e.g. years=range({first.first_year}, {first.break_year}) or "
            f"years=range({first.break_year}, {first.last_year + 1}); pass across_breaks='split' for one trend "
            "per comparable segment; or pass across_breaks=True to compute across it anyway "
            "(the break is then named in `breaks_crossed`)."
        )
        raise ComparabilityBreakError(_break_message(spanned, what="trend", how=how), spanned=spanned)

    active = _enforced(table, has_b)
    years_a = sel["year"].astype(float).to_numpy()
    values_a = pd.to_numeric(sel["value"], errors="coerce").astype(float).to_numpy()
    ranks_a = pd.to_numeric(sel["rank"], errors="coerce").astype(float).to_numpy()
    names_a = sel["province"].to_numpy(dtype=object) if "province" in sel.columns else None
    units_a = sel["unit"].to_numpy(dtype=object) if "unit" in sel.columns else None
    cache: dict[tuple, list[tuple[int, Any, Any]]] = {}
    rows = []
    for key, pos in sorted(sel.groupby(list(SERIES_KEY), dropna=False, sort=False).indices.items(), key=lambda kv: tuple(map(str, kv[0]))):
        idx, comp, bnd, code = key
        bnd = None if pd.isna(bnd) else bnd
        if (idx, comp) not in cache:
            app = _breaks_for(active, idx, comp).sort_values("year")
            cache[(idx, comp)] = [(int(b.year), b.kind, b.description) for b in app.itertuples(index=False)]
        applicable = cache[(idx, comp)]
        break_years = sorted({b[0] for b in applicable})
        if across_breaks == "split" and break_years:
            seg = np.searchsorted(np.array(break_years), years_a[pos], side="right")
            pieces = [pos[seg == s_] for s_ in np.unique(seg)]
        else:
            pieces = [pos]
        name = _first_text(names_a, pos) or _province_name(code, bnd)
        unit = _first_text(units_a, pos)
        for piece in pieces:
            res = _trend_arrays(
                years_a[piece], values_a[piece], ranks_a[piece], alpha=alpha, higher_is_better=higher_is_better
            )
            crossed = ""
            if res.n_years and across_breaks is True:
                crossed = "; ".join(
                    f"{y} {kind}" + (f": {desc}" if isinstance(desc, str) else "")
                    for y, kind, desc in applicable
                    if res.first_year < y <= res.last_year
                )
            rows.append(
                {
                    "index": idx,
                    "component": comp,
                    "boundaries": bnd,
                    "province_code": code,
                    "province": name,
                    "unit": unit,
                    **res._asdict(),
                    "breaks_crossed": crossed,
                }
            )
    out = pd.DataFrame(rows, columns=list(TREND_COLUMNS))
    for col in ("first_year", "last_year", "first_rank", "last_rank", "rank_change"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    out["n_years"] = out["n_years"].astype(int)
    for col in ("first_value", "last_value", "abs_change", "cagr", "theil_slope", "theil_low", "theil_high", "kendall_tau", "kendall_p"):
        out[col] = out[col].astype(float)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# fastest and slowest movers
# --------------------------------------------------------------------------------------

_MOVER_GROUPS = {
    "fast": {"vi": "Tăng nhanh nhất (độ dốc Theil–Sen, {unit}/năm)",
             "en": "Fastest rise (Theil–Sen slope, {unit} per year)"},
    "slow": {"vi": "Tăng chậm nhất hoặc giảm (độ dốc Theil–Sen, {unit}/năm; không phải điểm thấp nhất)",
             "en": "Slowest rise or fall (Theil–Sen slope, {unit} per year; not the lowest scores)"},
}
_MOVER_UNITS = {"value": {"vi": "điểm", "en": "points"}, "rank": {"vi": "bậc", "en": "places"}}


def fastest_and_slowest(trends: "pd.DataFrame", *, n: int = 5, lang: str = "vi", min_years: int = MIN_N_INFERENCE) -> "pd.DataFrame":
    """The provinces whose score rose fastest and slowest, from a :func:`trend_table`.

    Movers are ranked by the Theil-Sen slope (points a year; for a rank basis, places
    gained a year), which is growth, not level: the slowest risers can be the best
    performers, so the group label says what is ranked and the table keeps the last
    value and rank.  Only series that reach the table's last year and have at least
    ``min_years`` points are ranked, so a province that no longer exists (Hà Tây,
    merged into Hà Nội in 2008: three PCI years, 2006-2008) or a short press series is
    never a "leader".

    Parameters
    ----------
    trends : DataFrame
        The result of :func:`trend_table` (one index and component).
    n : int
        Provinces in each group.
    lang : {"vi", "en"}
        Language of the ``group`` labels.
    min_years : int
        Fewest yearly points (default 5, :data:`MIN_N_INFERENCE`).

    Returns
    -------
    DataFrame
        ``n`` fastest then ``n`` slowest rows, columns: group (what is ranked, in
        ``lang``), province_code, province, first_year, last_year, n_years, first_value,
        last_value, last_rank, theil_slope (on the basis: points, or places gained, a
        year), kendall_p, direction.
    """
    import pandas as pd

    _require_frame(trends, "trends", ["province_code", "last_year", "n_years", "theil_slope", "basis"],
                   hint="Pass the result of cchc_analysis.trend_table().")
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', got {lang!r}")
    t = trends[trends["theil_slope"].notna()].copy()
    if t.empty:
        return pd.DataFrame(columns=["group", "province_code", "province", "first_year", "last_year", "n_years", "first_value",
                                     "last_value", "last_rank", "theil_slope", "kendall_p", "direction"])
    t = t[(t["last_year"] == t["last_year"].max()) & (t["n_years"] >= min_years)]
    # a rank basis: places gained a year (lower rank = better), so that "fastest" means the same
    t["_gain"] = t["theil_slope"].where(t["basis"] != "rank", -t["theil_slope"])
    basis = t["basis"].mode().iloc[0] if len(t) else "value"
    unit = _MOVER_UNITS.get(basis, _MOVER_UNITS["value"])[lang]
    ordered = t.sort_values(["_gain", "province_code"], ascending=[False, True])
    fast = ordered.head(n).assign(group=_MOVER_GROUPS["fast"][lang].format(unit=unit))
    slow = ordered.iloc[::-1].head(n).assign(group=_MOVER_GROUPS["slow"][lang].format(unit=unit))
    cols = ["group", "province_code", "province", "first_year", "last_year", "n_years", "first_value", "last_value", "last_rank",
            "theil_slope", "kendall_p", "direction"]
    return pd.concat([fast, slow], ignore_index=True)[cols]
