"""Cross-sectional comparisons: a province against the country, its region and peers.

Functions take the long indicators table (``cchc_analysis.load_indicators()``) first and
return tidy DataFrames whose columns are documented in each docstring.

* :func:`rank_from_scores` -- ranks from scores for years without published ranks
  (PAPI publishes none); ties share a rank, provinces without a score are not ranked.
* :func:`percentile_ranks` -- percentile of each province within its year.
* :func:`compare_province` -- one province vs national, regional and peer mean/median.
* :func:`index_correlations` -- Spearman (or Kendall / Pearson) correlation between
  indices across provinces, pairwise complete, per year.
* :func:`sigma_convergence` -- coefficient of variation across provinces by year.
* :func:`rank_changes`, :func:`rank_mobility` -- rank movements between two years.
* :func:`successor_view` -- legacy provinces under their 2025 unit, side by side.

Groups
------
A "group" (one league table) is one (index, year, boundaries, component): legacy
(63-unit) and 2025 (34-unit) tables are never mixed.

Examples
--------
>>> import pandas as pd
>>> d = pd.DataFrame({"index": "papi", "year": 2023, "boundaries": "legacy",
...                   "component": "overall", "province_code": ["01", "22", "49", "79"],
...                   "value": [44.0, None, 41.5, 44.0]})
>>> rank_from_scores(d)["computed_rank"].tolist()
[1, <NA>, 3, 1]
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any, Iterable

from .trends import (
    ComparabilityBreakError,
    _as_list,
    _break_message,
    _filter_component,
    _filter_index,
    _filter_years,
    MIN_N_INFERENCE,
    _kendall,
    _load_breaks,
    _permutation_p,
    _province_codes,
    _province_name,
    _require_frame,
    _years_list,
    spanned_breaks,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "rank_from_scores",
    "rank_percentile",
    "percentile_ranks",
    "compare_province",
    "index_correlations",
    "sigma_convergence",
    "rank_changes",
    "rank_mobility",
    "successor_view",
    "AGGREGATES",
]

GROUP_KEY = ("index", "year", "boundaries", "component")
RANK_METHODS = ("min", "max", "dense", "first", "average")
PERCENTILE_KINDS = ("rank", "weak", "strict", "mean")
CORRELATION_METHODS = ("spearman", "kendall", "pearson")
#: Aggregates :func:`successor_view` computes when asked; none by default.
AGGREGATES = ("mean", "median", "min", "max")


def _group_keys(data: "pd.DataFrame", by: Iterable[str] | None = None) -> list[str]:
    if by is not None:
        keys = list(_as_list(by))
        _require_frame(data, "data", keys, hint="Every column named in `by` must be in `data`.")
        return keys
    return [c for c in GROUP_KEY if c in data.columns]


def _grouper(data: "pd.DataFrame", keys: list[str]):
    """Group keys as Series (works with no keys: one group)."""
    import pandas as pd

    if not keys:
        return pd.Series(0, index=data.index)
    return [data[k].astype("object").where(data[k].notna(), "<NA>") for k in keys]


def _values(data: "pd.DataFrame", column: str = "value") -> "pd.Series":
    import pandas as pd

    return pd.to_numeric(data[column], errors="coerce").astype(float)


def _single_index(index: Any, name: str = "index") -> str:
    if not isinstance(index, str):
        raise TypeError(f"`{name}` must be one index name such as 'papi', got {index!r}.")
    return index.lower()


# --------------------------------------------------------------------------------------
# ranks and percentiles
# --------------------------------------------------------------------------------------


def rank_from_scores(
    data: "pd.DataFrame",
    *,
    higher_is_better: bool = True,
    method: str = "min",
    decimals: int | None = 9,
    by: Iterable[str] | None = None,
) -> "pd.DataFrame":
    """Rank provinces by score within each league table.

    Parameters
    ----------
    data : DataFrame
        Indicator rows with a ``value`` column.
    higher_is_better : bool
        True: the highest score gets rank 1.
    method : {"min", "max", "dense", "first", "average"}
        How ties are ranked (``pandas.Series.rank``).  "min" (default) is competition
        ranking -- tied provinces share the best rank and the next rank is skipped
        (1, 2, 2, 4), as the DTI and PCI tables print it.
    decimals : int or None
        Scores are rounded to this many decimals before comparison so that floating
        noise from summed sub-scores does not break a tie (default 9); None compares
        exactly.
    by : list of str, optional
        Columns that define a league table; default those of (index, year,
        boundaries, component) present in ``data``.

    Returns
    -------
    DataFrame
        A copy of ``data`` with two columns added:

        * ``computed_rank`` (Int64; Float64 for "average") -- rank within the table;
          <NA> where the score is missing (excluded provinces are not ranked).
        * ``n_ranked`` -- number of provinces with a score in that table.

        Published ranks in ``rank`` are left untouched.  Computing ranks from a
        *partial* table (a press top-10) gives ranks among the listed provinces only.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"year": 2023, "value": [0.5, 0.7, 0.7, 0.6]})
    >>> rank_from_scores(d)["computed_rank"].tolist()
    [4, 1, 1, 3]
    """
    import pandas as pd

    _require_frame(data, "data", ["value"], hint="Pass indicator rows from cchc_analysis.load_indicators().")
    if method not in RANK_METHODS:
        raise ValueError(f"`method` must be one of {RANK_METHODS}, got {method!r}.")
    keys = _group_keys(data, by)
    vals = _values(data)
    if decimals is not None:
        vals = vals.round(decimals)
    grouped = vals.groupby(_grouper(data, keys), dropna=False, sort=False)
    ranks = grouped.rank(method=method, ascending=not higher_is_better)
    out = data.copy()
    if method == "average":
        out["computed_rank"] = pd.array(ranks.to_numpy(), dtype="Float64")
    else:
        out["computed_rank"] = pd.array([None if pd.isna(r) else int(r) for r in ranks], dtype="Int64")
    out["n_ranked"] = grouped.transform("count").astype(int).to_numpy()
    return out


def _resolve_ranks(data: "pd.DataFrame", *, min_coverage: float = 0.9, decimals: int | None = 9) -> "pd.DataFrame":
    """Copy of ``data`` with ``rank_used`` (float), ``rank_source``, ``rank_n`` (the N the
    rank is out of) and ``rank_n_basis`` ("complete table", "units (partial table)",
    "scores ranked").

    Per league table: published ranks where the table has any; otherwise ranks
    computed from scores (:func:`rank_from_scores`, "min" ties) when at least
    ``min_coverage`` of the table's units have a score -- a partial press table
    without ranks is not re-ranked, since its ranks among listed provinces would be wrong.
    """
    import numpy as np
    import pandas as pd

    out = rank_from_scores(data, decimals=decimals) if "value" in data.columns else data.assign(computed_rank=pd.NA, n_ranked=0)
    if "rank" not in out.columns:
        out["rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
    published = pd.to_numeric(out["rank"], errors="coerce").astype(float)
    computed = pd.to_numeric(out["computed_rank"], errors="coerce").astype(float)
    keys = _group_keys(out)
    g = _grouper(out, keys)
    any_published = published.notna().groupby(g, dropna=False, sort=False).transform("any").astype(bool)
    # units a complete table has: 34 (2025), 63 legacy, 64 when Hà Tây (code 28) is listed;
    # without boundaries, the number of provinces listed
    if "province_code" in out.columns:
        codes = out["province_code"].astype(str)
        listed = codes.groupby(g, dropna=False, sort=False).transform("nunique").astype(float)
        has_ha_tay = (codes == "28").groupby(g, dropna=False, sort=False).transform("any").astype(bool)
    else:
        listed = pd.Series(1.0, index=out.index).groupby(g, dropna=False, sort=False).transform("count").astype(float)
        has_ha_tay = pd.Series(False, index=out.index)
    if "boundaries" in out.columns:
        bnd = out["boundaries"].astype("string")
        is_new = (bnd == "2025").fillna(False).to_numpy(bool)
        is_old = (bnd == "legacy").fillna(False).to_numpy(bool)
        units = np.where(is_new, 34.0, np.where(is_old, np.where(has_ha_tay.to_numpy(bool), 64.0, 63.0), listed.to_numpy()))
        units = pd.Series(units, index=out.index, dtype=float)
    else:
        units = listed
    covered = out["n_ranked"].astype(float) >= min_coverage * units
    use_computed = (~any_published) & covered & computed.notna()
    rank_used = published.where(any_published, computed.where(use_computed))
    source = pd.Series(pd.NA, index=out.index, dtype="object")
    source[any_published & published.notna()] = "published"
    source[use_computed] = "computed"
    out["rank_used"] = rank_used
    out["rank_source"] = source
    # N, the number a rank is out of (see docs/methods.md): a computed rank is out of the
    # scores ranked; a published one out of the listed rows when they form a complete
    # ranking (ranks 1..m for m rows, m at least half the units: PCI 2005 = 42), else out of
    # the units of the boundary set (a press top/bottom group: PAR 2023 rank 56 of 63)
    n_pub = published.notna().groupby(g, dropna=False, sort=False).transform("sum").astype(float)
    max_pub = published.groupby(g, dropna=False, sort=False).transform("max").astype(float)
    complete = pd.Series(False, index=out.index)
    for _key, pos in published.groupby(g, dropna=False, sort=False).indices.items():
        r = np.sort(published.iloc[pos].dropna().to_numpy())
        if len(r):
            expected = np.searchsorted(r, r, side="left") + 1  # competition ranks of the listed rows
            complete.iloc[pos] = bool(np.array_equal(r, expected)) and len(r) >= 0.5 * units.iloc[pos[0]]
    rank_n = np.where(complete, n_pub, np.maximum(units, max_pub.fillna(0)))
    rank_n = np.where(source == "computed", out["n_ranked"].astype(float), rank_n)
    rank_n = pd.Series(rank_n, index=out.index).where(rank_used.notna())
    out["rank_n"] = pd.array([pd.NA if pd.isna(v) else int(v) for v in rank_n], dtype="Int64")
    basis = np.where(source == "computed", "scores ranked", np.where(complete, "complete table", "units (partial table)"))
    out["rank_n_basis"] = pd.Series(basis, index=out.index, dtype="object").where(rank_used.notna())
    return out


def rank_percentile(rank: float, n: float) -> float:
    """Percentile of a rank out of N: ``100 (N - rank) / (N - 1)``; 100 = first, 0 = last.

    The one percentile of the reports (:func:`cchc_analysis.plots.plot_profile`, the
    standing table, :func:`rank_changes`): from the rank, so that a published rank of a
    partial table has one too.  NaN when N < 2 or a value is missing.

    >>> rank_percentile(1, 63), rank_percentile(32, 63), rank_percentile(63, 63)
    (100.0, 50.0, 0.0)
    """
    try:
        rank, n = float(rank), float(n)
    except (TypeError, ValueError):
        return math.nan
    if math.isnan(rank) or math.isnan(n) or n < 2:
        return math.nan
    return 100.0 * (n - rank) / (n - 1)


def percentile_ranks(
    data: "pd.DataFrame",
    *,
    higher_is_better: bool = True,
    kind: str = "weak",
    by: Iterable[str] | None = None,
) -> "pd.DataFrame":
    """Percentile rank (0-100) of each province's score within its league table.

    Parameters
    ----------
    data : DataFrame
        Indicator rows with a ``value`` column.
    higher_is_better : bool
        True: the best score gets percentile 100.  False: percentiles are computed on
        the negated scores.
    kind : {"weak", "strict", "mean", "rank"}
        As in ``scipy.stats.percentileofscore``: "weak" = share of scores at or below
        (default; the best province gets 100), "strict" = share strictly below,
        "mean" = their average, "rank" = average rank / n.
    by : list of str, optional
        League-table columns; default (index, year, boundaries, component) present.

    Returns
    -------
    DataFrame
        A copy of ``data`` with ``percentile`` (NaN where the score is missing) and
        ``n`` (scores in the table).

    Notes
    -----
    With ``n`` scores and ``r_max`` / ``r_min`` the max / min rank of a score in
    ascending order: weak = 100 r_max / n, strict = 100 (r_min - 1) / n,
    mean = (weak + strict) / 2, rank = 100 r_avg / n -- the definitions of
    ``scipy.stats.percentileofscore`` (checked against it in the tests).
    """
    _require_frame(data, "data", ["value"])
    if kind not in PERCENTILE_KINDS:
        raise ValueError(f"`kind` must be one of {PERCENTILE_KINDS} (see scipy.stats.percentileofscore), got {kind!r}.")
    keys = _group_keys(data, by)
    vals = _values(data)
    if not higher_is_better:
        vals = -vals
    grouped = vals.groupby(_grouper(data, keys), dropna=False, sort=False)
    n = grouped.transform("count").astype(float)
    weak = grouped.rank(method="max") / n * 100
    strict = (grouped.rank(method="min") - 1) / n * 100
    if kind == "weak":
        pct = weak
    elif kind == "strict":
        pct = strict
    elif kind == "mean":
        pct = (weak + strict) / 2
    else:
        pct = grouped.rank(method="average") / n * 100
    out = data.copy()
    out["percentile"] = pct.astype(float).to_numpy()
    out["n"] = n.astype(int).to_numpy()
    return out


# --------------------------------------------------------------------------------------
# one province against groups
# --------------------------------------------------------------------------------------


def _region_maps() -> dict[str, dict[str, str | None]]:
    from .provinces import province_table

    legacy = province_table(include_ha_tay=True)
    new = province_table(boundaries="2025")
    return {
        "legacy": dict(zip(legacy["code"], legacy["region"])),
        "2025": {c: (r if isinstance(r, str) else None) for c, r in zip(new["code"], new["region"])},
    }


def compare_province(
    data: "pd.DataFrame",
    *,
    province: str,
    index: str,
    component: str = "overall",
    year: int | Iterable[int] | None = None,
    peers: Iterable[str] | None = None,
    higher_is_better: bool = True,
) -> "pd.DataFrame":
    """A province's score against the national, regional and peer-group distribution.

    Parameters
    ----------
    data : DataFrame
        Indicators in long form (``cchc_analysis.load_indicators()``).
    province : str
        Name or GSO code.  A name valid in both sets of boundaries (e.g. "Đà Nẵng")
        is compared within each set it has rows in.
    index : str
        One index ("par", "sipas", "papi", "pci", "dti").
    component : str
        Component, default "overall".
    year : int or iterable of int, optional
        Default: every year the province has a row.
    peers : names or codes, optional
        A peer group; the province itself is left out of it.  No peer rows if None.
    higher_is_better : bool
        Direction of the score for ``rank_in_group`` and ``percentile``.

    Returns
    -------
    DataFrame
        One row per (year, boundaries, comparison), columns:

        * index, component, year, boundaries, province_code, province, value, rank
          (published) -- the province.
        * ``comparison`` -- "national" (every province with a score, the province
          included, as published averages are), "region" (its socio-economic region,
          province included; skipped for a 2025 unit whose members span regions) or
          "peers" (the named peers, province excluded).
        * ``group`` -- "all provinces", the region's Vietnamese name, or
          "peers: A, B, ...".
        * ``n``, ``mean``, ``median``, ``min``, ``max`` -- of the group's scores.
        * ``gap_to_mean`` = value - mean, ``gap_to_median`` = value - median.
        * ``rank_in_group`` -- 1 + number of group members with a better score
          (ties share the rank); ``percentile`` -- share of the group (plus the
          province) scoring at or below it, 0-100 ("weak" percentile).

        Statistics use the scores present: when a year has only a partial table (press
        top-N lists), ``n`` shows how few provinces stand behind the mean.
    """
    import numpy as np
    import pandas as pd

    from .provinces import region_names

    _require_frame(data, "data", ["index", "year", "component", "province_code", "value"])
    idx = _single_index(index)
    sel = _filter_index(data, idx)
    sel = _filter_component(sel, component)
    if year is not None:
        sel = _filter_years(sel, year, "year")
    sel = sel.copy()
    if "boundaries" not in sel.columns:
        sel["boundaries"] = "legacy"
    if "rank" not in sel.columns:
        sel["rank"] = pd.array([pd.NA] * len(sel), dtype="Int64")
    codes = _province_codes(province, "province")
    peer_codes = _province_codes(peers, "peers") if peers is not None else None
    regions = _region_maps()
    region_vi = region_names("vi")
    sel["score_"] = _values(sel)
    code_col = sel["province_code"].astype(str)
    mine = sel[[code_col.iloc[i] in codes.get(str(b), set()) for i, b in enumerate(sel["boundaries"])]]
    if mine.empty:
        raise ValueError(
            f"No rows for province={province!r} in `data` for index={idx!r}, component={component!r}"
            f"{'' if year is None else f', year={year!r}'}."
        )
    rows = []
    for r in mine.sort_values(["year", "boundaries"]).itertuples(index=False):
        b, code = str(r.boundaries), str(r.province_code)
        table = sel[(sel["year"] == r.year) & (sel["boundaries"].astype(str) == b)]
        tcodes = table["province_code"].astype(str)
        groups = [("national", "all provinces", table)]
        reg = regions.get(b, {}).get(code)
        if reg:
            in_region = tcodes.map(lambda c: regions[b].get(c) == reg)
            groups.append(("region", region_vi.get(reg, reg), table[in_region.to_numpy()]))
        if peer_codes is not None:
            pc = peer_codes.get(b, set()) - {code}
            if pc:
                names = [_province_name(c, b) or c for c in sorted(pc)]
                groups.append(("peers", "peers: " + ", ".join(names), table[tcodes.isin(pc).to_numpy()]))
        value = float(r.score_) if not pd.isna(r.score_) else math.nan
        name = r.province if "province" in sel.columns and isinstance(getattr(r, "province", None), str) else _province_name(code, b)
        for comparison, label, g in groups:
            v = g["score_"].dropna().to_numpy()
            others = g.loc[g["province_code"].astype(str) != code, "score_"].dropna().to_numpy()
            if len(v):
                stats = dict(n=len(v), mean=float(np.mean(v)), median=float(np.median(v)), min=float(v.min()), max=float(v.max()))
            else:
                stats = dict(n=0, mean=math.nan, median=math.nan, min=math.nan, max=math.nan)
            if math.isnan(value):
                rank_in, pct = pd.NA, math.nan
            else:
                better = others > value if higher_is_better else others < value
                at_or_below = others <= value if higher_is_better else others >= value
                rank_in = int(better.sum()) + 1
                pct = 100.0 * (int(at_or_below.sum()) + 1) / (len(others) + 1)
            rows.append(
                {
                    "index": r.index,
                    "component": r.component,
                    "year": int(r.year),
                    "boundaries": b,
                    "province_code": code,
                    "province": name,
                    "value": value,
                    "rank": r.rank,
                    "comparison": comparison,
                    "group": label,
                    **stats,
                    "gap_to_mean": value - stats["mean"],
                    "gap_to_median": value - stats["median"],
                    "rank_in_group": rank_in,
                    "percentile": pct,
                }
            )
    out = pd.DataFrame(rows)
    out["rank"] = pd.array(out["rank"].tolist(), dtype="Int64")
    out["rank_in_group"] = pd.array(out["rank_in_group"].tolist(), dtype="Int64")
    return out


# --------------------------------------------------------------------------------------
# relations between indices, dispersion
# --------------------------------------------------------------------------------------


def index_correlations(
    data: "pd.DataFrame",
    *,
    year: int | Iterable[int] | None,
    method: str = "spearman",
    component: str = "overall",
    on: str = "value",
    min_n: int = 3,
    min_n_p: int = MIN_N_INFERENCE,
) -> "pd.DataFrame":
    """Correlation between indices across provinces, per year, pairwise complete.

    Parameters
    ----------
    data : DataFrame
        Indicators in long form.
    year : int, iterable of int, or None
        Year(s) to correlate (None: every year).
    method : {"spearman", "kendall", "pearson"}
        Spearman's rho (default; ``scipy.stats.spearmanr``), Kendall's tau-b
        (``scipy.stats.kendalltau``) or Pearson's r (``scipy.stats.pearsonr``).
    component : str
        Component of every index, default "overall".
    on : {"value", "rank"}
        Correlate scores (default) or published ranks.  Rank 1 is best in every index,
        so a positive coefficient means agreement either way; do not mix.
    min_n : int
        Fewest provinces with both values for a coefficient (default 3, the least scipy
        accepts).
    min_n_p : int
        Fewest provinces for a p-value (default 5, :data:`~cchc_analysis.trends.MIN_N_INFERENCE`:
        with fewer the exact two-sided p cannot fall below 0.083).  Below it ``p_value``
        is NaN and ``p_method`` says why.

    Returns
    -------
    DataFrame
        One row per (year, boundaries, index pair), columns: year, boundaries,
        index_x, index_y (alphabetical), method, coefficient (its printed name:
        "Spearman ρ", "Kendall τ-b", "Pearson r"), n (provinces with both values),
        r (the coefficient), p_value (two-sided), p_method.  r is NaN when n < ``min_n``
        or a variable is constant.

        p-values are permutation p-values (no distributional assumption): exact, listing
        every ordering, for n <= 8 ("exact permutation"); otherwise from 9,999 random
        orderings with a fixed seed ("permutation (9,999 orderings)", so results repeat
        exactly; its Monte Carlo error is about 0.002 at p = 0.05).  Kendall's with ties
        in one index only is exact for any n ("exact (ties)").  See docs/methods.md.

    Notes
    -----
    PAR Index and SIPAS are bundled as partial press tables (top and bottom groups):
    correlations on such extreme groups are inflated and ``n`` is small -- read ``n``
    before ``r``.
    """
    import pandas as pd
    from scipy import stats

    from .labels import COEFFICIENT_NAMES

    _require_frame(data, "data", ["index", "year", "component", "province_code", on])
    if method not in CORRELATION_METHODS:
        raise ValueError(f"`method` must be one of {CORRELATION_METHODS}, got {method!r}.")
    if on not in ("value", "rank"):
        raise ValueError(f"`on` must be 'value' or 'rank', got {on!r}.")
    sel = _filter_component(data, component)
    if year is not None:
        sel = _filter_years(sel, year, "year")
    sel = sel.copy()
    if "boundaries" not in sel.columns:
        sel["boundaries"] = "legacy"
    sel["_v"] = _values(sel, on)
    sel["_i"] = sel["index"].astype(str).str.lower()
    func = {"spearman": stats.spearmanr, "kendall": stats.kendalltau, "pearson": stats.pearsonr}[method]
    floor_p = max(int(min_n_p), 3)
    rows = []
    for (yr, b), g in sel.groupby(["year", "boundaries"], sort=True, dropna=False):
        wide = g.pivot_table(index="province_code", columns="_i", values="_v", aggfunc="first")
        cols = sorted(wide.columns)
        for i, a in enumerate(cols):
            for c in cols[i + 1 :]:
                pair = wide[[a, c]].dropna()
                n = len(pair)
                r = p = math.nan
                how = None
                if n >= max(int(min_n), 3) and pair[a].nunique() > 1 and pair[c].nunique() > 1:
                    xa, xc = pair[a].to_numpy(), pair[c].to_numpy()
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        r = float(func(xa, xc).statistic)
                    if n < floor_p:
                        how = f"not shown: n < {floor_p}"
                    elif method == "kendall":
                        _tau, p, how = _kendall(xa, xc)
                    else:
                        p, how = _permutation_p(xa, xc, method)
                rows.append({"year": int(yr), "boundaries": b, "index_x": a, "index_y": c, "method": method,
                             "coefficient": COEFFICIENT_NAMES[method], "n": n, "r": r, "p_value": p, "p_method": how})
    return pd.DataFrame(rows, columns=["year", "boundaries", "index_x", "index_y", "method", "coefficient", "n", "r", "p_value", "p_method"])


def _units(boundaries: Any, codes: "pd.Series") -> int:
    """Units a complete league table has: 34 (2025), 63 legacy (64 when Hà Tây, code 28,
    is listed: PCI 2006-2008); without boundaries, the provinces listed."""
    b = str(boundaries)
    if b == "2025":
        return 34
    if b == "legacy":
        return 64 if (codes.astype(str) == "28").any() else 63
    return int(codes.nunique())


def sigma_convergence(
    data: "pd.DataFrame",
    *,
    index: str,
    component: str = "overall",
    years: Iterable[int] | None = None,
    ddof: int = 1,
    min_coverage: float = 0.9,
    balanced: bool = False,
    breaks: "pd.DataFrame | None" = None,
    across_breaks: bool = False,
) -> "pd.DataFrame":
    """Dispersion of scores across provinces by year (sigma convergence).

    Falling dispersion over time (a falling coefficient of variation) is sigma
    convergence (Barro & Sala-i-Martin 1992, J. Polit. Econ. 100:223).  Dispersion is
    only comparable between years that hold (nearly) the same provinces on the same
    scale, so:

    * a year whose table covers fewer than ``min_coverage`` of the units (PCI 2021 holds
      the best 21 provinces only; PAR Index years hold 2-29) gets ``n`` and ``coverage``
      but no statistics, and a note;
    * ``balanced=True`` keeps only the provinces with a score in every selected year;
    * years spanning a comparability break are refused, as for trends.

    Parameters
    ----------
    data : DataFrame
        Indicators in long form.
    index : str
        One index.
    component : str
        Default "overall".
    years : iterable of int, optional
        Default every year.
    ddof : int
        Delta degrees of freedom of the standard deviation (1 = sample, default).
    min_coverage : float
        Share of the units (63, 64 with Hà Tây, 34 from 2025) a year must cover (0.9).
    balanced : bool
        Only provinces with a score in every selected year (same boundaries).
    breaks : DataFrame, optional
        Comparability breaks; default ``cchc_analysis.load_breaks()``.
    across_breaks : bool
        False (default) raises :class:`~cchc_analysis.trends.ComparabilityBreakError`
        when the years span a break.

    Returns
    -------
    DataFrame
        One row per (year, boundaries): index, component, boundaries, year, n (scores
        used), mean, std, cv (= std / mean, ``scipy.stats.variation(values, ddof=ddof)``),
        min, max, units (units of a complete table), coverage (= n / units), note.
        The statistics are NaN when coverage < ``min_coverage`` (the note says so), std
        and cv when n <= ddof, cv when the mean is 0.
    """
    import numpy as np
    import pandas as pd

    _require_frame(data, "data", ["index", "year", "component", "value"])
    idx = _single_index(index)
    sel = _filter_index(data, idx)
    sel = _filter_component(sel, component)
    sel = _filter_years(sel, years)
    sel = sel.copy()
    if "boundaries" not in sel.columns:
        sel["boundaries"] = "legacy"
    if "province_code" not in sel.columns:
        sel["province_code"] = np.arange(len(sel)).astype(str)
    table = _load_breaks(breaks)
    spanned = spanned_breaks(sel, breaks=table)
    if not spanned.empty and not across_breaks:
        how = "Restrict `years` to one side of the break, or pass across_breaks=True to compare dispersion across it anyway."
        raise ComparabilityBreakError(_break_message(spanned, what="dispersion", how=how), spanned=spanned)
    sel["_v"] = _values(sel)
    sel = sel[sel["_v"].notna()]
    if balanced and len(sel):
        n_years = sel.groupby("boundaries")["year"].transform("nunique")
        per_code = sel.groupby(["boundaries", "province_code"])["year"].transform("nunique")
        sel = sel[(per_code == n_years).to_numpy()]
    rows = []
    for (yr, b), g in sel.groupby(["year", "boundaries"], sort=True, dropna=False):
        v = g["_v"].to_numpy()
        n = len(v)
        units = _units(b, g["province_code"]) if not balanced else _units(b, data.loc[(data["year"] == yr), "province_code"])
        coverage = n / units if units else math.nan
        note = None
        if coverage < min_coverage - 1e-12:
            note = (f"{n} of {units} units ({coverage:.0%}) have a score, below {min_coverage:.0%}: "
                    "dispersion of a partial table is not comparable")
            mean = std = cv = lo = hi = math.nan
        else:
            mean = float(np.mean(v)) if n else math.nan
            std = float(np.std(v, ddof=ddof)) if n > ddof else math.nan
            cv = std / mean if n > ddof and mean != 0 else math.nan
            lo, hi = (float(v.min()), float(v.max())) if n else (math.nan, math.nan)
        rows.append(
            {"index": idx, "component": component, "boundaries": b, "year": int(yr), "n": n, "mean": mean, "std": std, "cv": cv,
             "min": lo, "max": hi, "units": units, "coverage": coverage, "note": note}
        )
    return pd.DataFrame(rows, columns=["index", "component", "boundaries", "year", "n", "mean", "std", "cv", "min", "max",
                                       "units", "coverage", "note"])


# --------------------------------------------------------------------------------------
# rank mobility
# --------------------------------------------------------------------------------------


def rank_changes(
    data: "pd.DataFrame",
    *,
    index: str,
    year_from: int,
    year_to: int,
    component: str = "overall",
    breaks: "pd.DataFrame | None" = None,
    across_breaks: bool = False,
    min_coverage: float = 0.9,
) -> "pd.DataFrame":
    """Each province's rank in two years and the change.

    Ranks are the published ones; a league table with no published rank at all (PAPI)
    is ranked from its scores (:func:`rank_from_scores`, ties share the best rank) when
    at least ``min_coverage`` of its units have a score.

    Parameters
    ----------
    data : DataFrame
        Indicators in long form.
    index : str
        One index.
    year_from, year_to : int
        The two years (year_from < year_to).
    component : str
        Default "overall".
    breaks : DataFrame, optional
        Comparability breaks; default ``cchc_analysis.load_breaks()``.
    across_breaks : bool
        False (default) raises :class:`~cchc_analysis.trends.ComparabilityBreakError`
        when a break lies in (year_from, year_to].
    min_coverage : float
        Share of units that must have a score before ranks are computed from scores.

    Returns
    -------
    DataFrame
        One row per province ranked in both years (same boundaries): index,
        component, boundaries, province_code, province, year_from, year_to,
        rank_from, rank_to, rank_change (= rank_from - rank_to, positive = moved up),
        rank_source_from, rank_source_to ("published" or "computed"), n_from, n_to
        (the N each rank is out of), percentile_from, percentile_to
        (:func:`rank_percentile`), note (set when the two tables differ in size: PCI
        2005 ranked 42 provinces, 2006 64; PAPI 2021 ranks 60 scores, 2020 63).
    """
    import pandas as pd

    _require_frame(data, "data", ["index", "year", "component", "province_code"])
    idx = _single_index(index)
    year_from, year_to = int(year_from), int(year_to)
    if year_from >= year_to:
        raise ValueError(f"`year_from` ({year_from}) must be earlier than `year_to` ({year_to}).")
    sel = _filter_index(data, idx)
    sel = _filter_component(sel, component)
    for y, nm in ((year_from, "year_from"), (year_to, "year_to")):
        if not (sel["year"] == y).any():
            raise ValueError(
                f"No rows for {nm}={y} ({idx}, component {component!r}). Years present: "
                f"{sorted(int(v) for v in sel['year'].unique())}."
            )
    sel = sel[sel["year"].isin([year_from, year_to]).to_numpy()].copy()
    if "boundaries" not in sel.columns:
        sel["boundaries"] = "legacy"
    table = _load_breaks(breaks)
    spanned = spanned_breaks(sel, breaks=table)
    if not spanned.empty and not across_breaks:
        how = (
            "Choose year_from and year_to on the same side of the break, or pass across_breaks=True "
            "to compare ranks across it anyway."
        )
        raise ComparabilityBreakError(_break_message(spanned, what="rank change", how=how), spanned=spanned)
    ranked = _resolve_ranks(sel, min_coverage=min_coverage)
    ranked = ranked[ranked["rank_used"].notna()]
    a = ranked[ranked["year"] == year_from]
    b = ranked[ranked["year"] == year_to]
    keep = ["boundaries", "province_code", "rank_used", "rank_source", "rank_n"] + (["province"] if "province" in ranked.columns else [])
    m = a[keep].merge(b[keep], on=["boundaries", "province_code"], suffixes=("_from", "_to"))
    out = pd.DataFrame(
        {
            "index": idx,
            "component": component,
            "boundaries": m["boundaries"],
            "province_code": m["province_code"],
            "province": m["province_to"] if "province_to" in m.columns else [
                _province_name(c, bb) for c, bb in zip(m["province_code"], m["boundaries"])
            ],
            "year_from": year_from,
            "year_to": year_to,
            "rank_from": pd.array(m["rank_used_from"].round().astype("Int64")),
            "rank_to": pd.array(m["rank_used_to"].round().astype("Int64")),
        }
    )
    out["rank_change"] = out["rank_from"] - out["rank_to"]
    out["rank_source_from"] = m["rank_source_from"].to_numpy()
    out["rank_source_to"] = m["rank_source_to"].to_numpy()
    out["n_from"] = pd.array(m["rank_n_from"].to_numpy(), dtype="Int64")
    out["n_to"] = pd.array(m["rank_n_to"].to_numpy(), dtype="Int64")
    out["percentile_from"] = [rank_percentile(r, n) for r, n in zip(out["rank_from"], out["n_from"])]
    out["percentile_to"] = [rank_percentile(r, n) for r, n in zip(out["rank_to"], out["n_to"])]
    out["note"] = [
        None if nf == nt else f"ranks out of tables of different size ({nf} and {nt}): places are not comparable, compare percentiles"
        for nf, nt in zip(out["n_from"], out["n_to"])
    ]
    return out.sort_values(["boundaries", "rank_to", "province_code"]).reset_index(drop=True)


def rank_mobility(
    data: "pd.DataFrame",
    *,
    index: str,
    year_from: int,
    year_to: int,
    k: int = 5,
    component: str = "overall",
    breaks: "pd.DataFrame | None" = None,
    across_breaks: bool = False,
    min_coverage: float = 0.9,
) -> "pd.DataFrame":
    """How much the league table reshuffled between two years.

    Parameters
    ----------
    data, index, year_from, year_to, component, breaks, across_breaks, min_coverage :
        As in :func:`rank_changes`.
    k : int
        Threshold for "large" moves, in places (default 5).

    Returns
    -------
    DataFrame
        One row per boundaries, columns: index, component, boundaries, year_from,
        year_to, n (provinces ranked in both years), n_from, n_to (the N the ranks are
        out of), note (set when the tables differ in size), kendall_tau, kendall_p,
        kendall_method (tau-b of rank_from and rank_to, exact p: "exact" without ties,
        "exact (ties)" with ties in one year, else a seeded permutation test; tau = 1
        means an unchanged order), mean_abs_change,
        median_abs_change, k, n_moved_k (|rank change| >= k), share_moved_k
        (= n_moved_k / n), n_up_k (moved up >= k places), n_down_k (down >= k).

    Examples
    --------
    >>> rank_mobility(data, index="dti", year_from=2022, year_to=2023)  # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    if int(k) < 1:
        raise ValueError(f"`k` must be a positive number of places, got {k!r}.")
    ch = rank_changes(
        data, index=index, year_from=year_from, year_to=year_to, component=component,
        breaks=breaks, across_breaks=across_breaks, min_coverage=min_coverage,
    )
    if ch.empty:
        raise ValueError(
            f"No province of {index!r} has a rank in both {year_from} and {year_to} "
            "(same boundaries). Check the years, or that scores cover enough provinces to rank."
        )
    rows = []
    for b, g in ch.groupby("boundaries", sort=True):
        x = g["rank_from"].astype(float).to_numpy()
        y = g["rank_to"].astype(float).to_numpy()
        tau, p, method = _kendall(x, y)
        change = g["rank_change"].astype(float).to_numpy()
        moved = np.abs(change) >= k
        nf, nt = int(g["n_from"].max()), int(g["n_to"].max())
        rows.append(
            {
                "index": str(index).lower(), "component": component, "boundaries": b,
                "year_from": int(year_from), "year_to": int(year_to), "n": len(g),
                "n_from": nf, "n_to": nt,
                "note": None if nf == nt else f"ranks out of tables of different size ({nf} and {nt}): places are not comparable",
                "kendall_tau": tau, "kendall_p": p, "kendall_method": method,
                "mean_abs_change": float(np.mean(np.abs(change))),
                "median_abs_change": float(np.median(np.abs(change))),
                "k": int(k), "n_moved_k": int(moved.sum()), "share_moved_k": float(moved.mean()),
                "n_up_k": int((change >= k).sum()), "n_down_k": int((change <= -k).sum()),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# the 2025 merger
# --------------------------------------------------------------------------------------


def successor_view(
    data: "pd.DataFrame",
    *,
    index: str,
    year: int,
    aggregate: str | None = None,
    component: str = "overall",
    layout: str = "long",
) -> "pd.DataFrame":
    """Legacy provinces grouped under the 2025 unit they became part of.

    Member values are shown side by side; nothing is combined unless the caller names
    an aggregate, because no index publishes a rule for recombining member scores
    (DTI 2024 re-scored the 34 units from averaged *indicators*, not averaged totals).

    Parameters
    ----------
    data : DataFrame
        Indicators in long form (legacy rows for ``year``; 2025-unit rows, if any, are
        shown as ``published_2025_value`` / ``published_2025_rank``).
    index : str
        One index.
    year : int
        One assessment year.
    aggregate : {"mean", "median", "min", "max"} or None
        Unweighted aggregate of member values, computed only when every member has a
        value (else NaN).  Default None: no aggregate column.
    component : str
        Default "overall".
    layout : {"long", "wide"}
        "long": one row per legacy member.  "wide": one row per 2025 unit, with
        member_1, value_1, rank_1, member_2, ... side by side.

    Returns
    -------
    DataFrame
        long: index, component, year, successor_code, successor, province_code,
        province, value, rank, n_members, n_reported, [aggregate, aggregate_value],
        published_2025_value, published_2025_rank.
        wide: index, component, year, successor_code, successor, n_members,
        n_reported, members, member_i / value_i / rank_i, [aggregate,
        aggregate_value], published_2025_value, published_2025_rank.
        Hà Tây (PCI 2006-2008) appears under Hà Nội only in years it has a row.
    """
    import pandas as pd

    from .provinces import province_table

    _require_frame(data, "data", ["index", "year", "component", "province_code", "value"])
    if aggregate is not None and aggregate not in AGGREGATES:
        raise ValueError(f"`aggregate` must be None (no aggregate) or one of {AGGREGATES}, got {aggregate!r}.")
    if layout not in ("long", "wide"):
        raise ValueError(f"`layout` must be 'long' or 'wide', got {layout!r}.")
    idx = _single_index(index)
    years = _years_list(year, "year")
    if years is None or len(years) != 1:
        raise TypeError(f"`year` must be one year (an int), got {year!r}.")
    sel = _filter_index(data, idx)
    sel = _filter_component(sel, component)
    sel = _filter_years(sel, years, "year").copy()
    if "boundaries" not in sel.columns:
        sel["boundaries"] = "legacy"
    if "rank" not in sel.columns:
        sel["rank"] = pd.array([pd.NA] * len(sel), dtype="Int64")
    legacy = sel[sel["boundaries"].astype(str) == "legacy"]
    if legacy.empty:
        raise ValueError(f"No legacy-boundaries rows for {idx} {years[0]} (component {component!r}) in `data`.")
    new = sel[sel["boundaries"].astype(str) == "2025"].set_index(sel.loc[sel["boundaries"].astype(str) == "2025", "province_code"].astype(str))
    reg = province_table(include_ha_tay=True)
    have = set(legacy["province_code"].astype(str))
    reg = reg[(reg["code"] != "28") | reg["code"].isin(have)]
    by_code = legacy.drop_duplicates("province_code").set_index(legacy.drop_duplicates("province_code")["province_code"].astype(str))
    rows = []
    for r in reg.sort_values(["successor_code", "code"]).itertuples(index=False):
        hit = by_code.loc[r.code] if r.code in by_code.index else None
        rows.append(
            {
                "index": idx, "component": component, "year": years[0],
                "successor_code": r.successor_code, "successor": r.successor_name,
                "province_code": r.code, "province": r.name,
                "value": float(pd.to_numeric(hit["value"], errors="coerce")) if hit is not None else math.nan,
                "rank": hit["rank"] if hit is not None and not pd.isna(hit["rank"]) else pd.NA,
            }
        )
    out = pd.DataFrame(rows)
    out["rank"] = pd.array(out["rank"].tolist(), dtype="Int64")
    grp = out.groupby("successor_code", sort=False)["value"]
    out["n_members"] = out.groupby("successor_code", sort=False)["province_code"].transform("count").astype(int)
    out["n_reported"] = grp.transform("count").astype(int)
    if aggregate is not None:
        agg = grp.transform(aggregate)
        out["aggregate"] = aggregate
        out["aggregate_value"] = agg.where(out["n_reported"] == out["n_members"]).astype(float)
    out["published_2025_value"] = [
        float(pd.to_numeric(new.loc[c, "value"], errors="coerce")) if c in new.index else math.nan for c in out["successor_code"]
    ]
    out["published_2025_rank"] = pd.array(
        [new.loc[c, "rank"] if c in new.index and not pd.isna(new.loc[c, "rank"]) else pd.NA for c in out["successor_code"]],
        dtype="Int64",
    )
    if layout == "long":
        return out.reset_index(drop=True)
    wide_rows = []
    for code, g in out.groupby("successor_code", sort=True):
        row = {
            "index": idx, "component": component, "year": years[0], "successor_code": code,
            "successor": g["successor"].iloc[0], "n_members": int(g["n_members"].iloc[0]),
            "n_reported": int(g["n_reported"].iloc[0]), "members": "; ".join(g["province"]),
        }
        for i, m in enumerate(g.itertuples(index=False), start=1):
            row[f"member_{i}"] = m.province
            row[f"value_{i}"] = m.value
            row[f"rank_{i}"] = m.rank
        if aggregate is not None:
            row["aggregate"] = aggregate
            row["aggregate_value"] = g["aggregate_value"].iloc[0]
        row["published_2025_value"] = g["published_2025_value"].iloc[0]
        row["published_2025_rank"] = g["published_2025_rank"].iloc[0]
        wide_rows.append(row)
    wide = pd.DataFrame(wide_rows)
    first = ["index", "component", "year", "successor_code", "successor", "n_members", "n_reported", "members"]
    k = max(int(c.split("_")[1]) for c in wide.columns if c.startswith("member_"))
    members = [f"{p}_{i}" for i in range(1, k + 1) for p in ("member", "value", "rank")]
    tail = (["aggregate", "aggregate_value"] if aggregate is not None else []) + ["published_2025_value", "published_2025_rank"]
    wide = wide[first + members + tail]
    for i in range(1, k + 1):
        wide[f"rank_{i}"] = pd.array([None if pd.isna(v) else int(v) for v in wide[f"rank_{i}"]], dtype="Int64")
    wide["published_2025_rank"] = pd.array([None if pd.isna(v) else int(v) for v in wide["published_2025_rank"]], dtype="Int64")
    return wide
