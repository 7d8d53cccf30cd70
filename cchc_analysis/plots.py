"""Charts for policy briefs, in Vietnamese or English.

Every function follows the seaborn model: tidy data first (the indicator table of
:func:`cchc_analysis.load_indicators`, or the target table of
:func:`cchc_analysis.assess_targets`), keyword-only options, ``ax=None`` (a new figure
at brief size is made when no Axes is given), and the Axes is returned.  Nothing is
shown or saved here: use :func:`cchc_analysis.export.save_figure`.

==========================  ==============================================================
function                    draws
==========================  ==============================================================
plot_trend                  one province over the years, national median, region band,
                            target with its deadline, comparability breaks
plot_rank_bump              ranks over years; chosen provinces highlighted, rank 1 on top
plot_heatmap                province x year of ranks or scores, grouped by region
plot_target_gaps            each target of a plan against its result, coloured by status
plot_index_scatter          two indices in one year, labelled provinces
plot_profile                one province across the indices (percentile dot plot)
plot_region_distribution    box and dots per region
==========================  ==============================================================

Common keywords: ``lang`` ("vi" or "en") for every title, axis label, legend entry and
status word; ``caption`` (True: source line built from the rows' ``source_id`` with
:func:`cchc_analysis.style.source_caption`; False: none; a string: that text);
``sources`` (the sources table for the caption; None loads the bundled one);
``title`` (None: automatic; "" for none); ``boundaries`` ("legacy" or "2025"; None uses
the set present in ``data``, "legacy" when both are).

Drawn elements carry gids so that tests and users can find them: ``"province"``,
``"national-median"``, ``"region-band"``, ``"target"``, ``"target-deadline"``,
``"series-break"``, ``"highlight"``, ``"context"``, ``"region-separator"``, ...

Colours come from :mod:`cchc_analysis.style` (highlight vermillion, others grey, status
colours from the Okabe-Ito palette), so the charts look the same with or without
:func:`cchc_analysis.style.use_style`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from . import labels as L
from . import style as S

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "plot_trend",
    "plot_rank_bump",
    "plot_heatmap",
    "plot_target_gaps",
    "plot_index_scatter",
    "plot_profile",
    "plot_region_distribution",
]

_INDICATOR_COLUMNS = ("index", "year", "province_code", "component", "value", "rank")
_TARGET_COLUMNS = ("target_value", "actual", "status")


# ---------------------------------------------------------------------------------------
# shared helpers


def _new_axes(ax, *, width: str | float = "single", aspect: float = 0.75, height_cm: float | None = None):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _fig, new = plt.subplots(figsize=S.figure_size(width, height_cm, aspect=aspect), layout="constrained")
    return new


def _check_frame(data: Any, func: str, required: Sequence[str], what: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{func}: `data` must be a pandas DataFrame ({what}), got {type(data).__name__}")
    missing = [c for c in required if c not in data.columns]
    if missing:
        raise ValueError(f"{func}: `data` lacks column(s) {missing}; expected {what}")
    return data


def _choose_boundaries(data: pd.DataFrame, boundaries: str | None, func: str) -> str:
    present = sorted(data["boundaries"].dropna().astype(str).unique()) if "boundaries" in data.columns else ["legacy"]
    if boundaries is None:
        return present[0] if len(present) == 1 else "legacy"
    if boundaries not in ("legacy", "2025"):
        raise ValueError(f"{func}: boundaries must be 'legacy', '2025' or None, got {boundaries!r}")
    if boundaries not in present:
        raise ValueError(f"{func}: boundaries={boundaries!r} not in `data`; available: {present}")
    return boundaries


def _select(
    data: pd.DataFrame,
    *,
    func: str,
    index: str,
    component: str = "overall",
    boundaries: str | None = None,
    years: int | Iterable[int] | None = None,
) -> tuple[pd.DataFrame, str]:
    """Rows of one index/component/boundaries set, with numeric value/rank and a region key."""
    _check_frame(data, func, _INDICATOR_COLUMNS, "the tidy indicator table of load_indicators()")
    key = str(index).lower()
    available = sorted(data["index"].dropna().astype(str).unique())
    if key not in available:
        raise ValueError(f"{func}: index={index!r} does not appear in `data`; available: {available}")
    part = data[data["index"].astype(str) == key]
    comps = sorted(part["component"].dropna().astype(str).unique())
    if component not in comps:
        raise ValueError(f"{func}: component={component!r} does not appear in `data` for index {key!r}; available: {comps}")
    part = part[part["component"].astype(str) == component]
    b = _choose_boundaries(part, boundaries, func)
    if "boundaries" in part.columns:
        part = part[part["boundaries"].astype(str) == b]
    if years is not None:
        wanted = [int(years)] if isinstance(years, (int, np.integer)) else [int(y) for y in years]
        have = sorted(part["year"].astype(int).unique())
        part = part[part["year"].astype(int).isin(wanted)]
        if part.empty:
            raise ValueError(f"{func}: no {key}/{component} rows for years {wanted}; years in `data`: {have}")
    out = part.copy()
    out["year"] = out["year"].astype(int)
    out["province_code"] = out["province_code"].astype(str)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    out["rank"] = pd.to_numeric(out["rank"], errors="coerce").astype(float)
    regions = _regions(b)
    out["region"] = out["province_code"].map(regions)
    return out.reset_index(drop=True), b


def _regions(boundaries: str) -> dict[str, str | None]:
    from .provinces import province_table

    table = province_table(boundaries=boundaries, include_ha_tay=boundaries == "legacy")  # type: ignore[arg-type]
    return {str(c): (r if isinstance(r, str) else None) for c, r in zip(table["code"], table["region"])}


def _region_order() -> list[str | None]:
    """Region keys in registry order (north to south), then None (mixed-region units)."""
    from .provinces import region_names

    return list(region_names("vi")) + [None]


def _n_units(boundaries: str) -> int:
    from .provinces import list_provinces

    return len(list_provinces(boundaries=boundaries))  # type: ignore[arg-type]


def _resolve(province: Any, boundaries: str, func: str):
    from .provinces import resolve_province

    if province is None:
        raise ValueError(f"{func}: `province` is required (a name or GSO code, e.g. 'Quảng Nam' or '49')")
    return resolve_province(province if not isinstance(province, (int, np.integer)) else f"{int(province):02d}", boundaries=boundaries)  # type: ignore[arg-type]


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (str, int, np.integer)) or hasattr(value, "code"):
        return [value]
    return list(value)


def _ranks(frame: pd.DataFrame, *, min_coverage: float = 0.9) -> tuple[pd.DataFrame, bool]:
    """Add ``rank_shown``: per year, the published ranks when there are any; otherwise
    ranks computed from the scores, only when at least ``min_coverage`` of the units have
    one (a partial press table is never re-ranked).  The rule of
    :func:`cchc_analysis.compare.rank_from_scores`, shared with ``assess_targets``."""
    from .compare import _resolve_ranks

    out = _resolve_ranks(frame, min_coverage=min_coverage)
    out["rank_shown"] = pd.to_numeric(out["rank_used"], errors="coerce").astype(float)
    return out, bool((out["rank_source"] == "computed").any())


def _break_rows(breaks: Any, *, index: str, component: str, years: Sequence[int], func: str) -> list[tuple[int, str, str]]:
    """(year, kind, description) of breaks inside the plotted years (first year of the new series)."""
    if breaks is None or breaks is False or len(years) == 0:
        return []
    if isinstance(breaks, str):
        if breaks != "auto":
            raise ValueError(f"{func}: breaks must be 'auto', False or a DataFrame like load_breaks(), got {breaks!r}")
        from .indicators import load_breaks

        breaks = load_breaks()
    if not isinstance(breaks, pd.DataFrame):
        raise TypeError(f"{func}: breaks must be 'auto', False or a DataFrame like load_breaks(), got {type(breaks).__name__}")
    missing = [c for c in ("index", "component", "year") if c not in breaks.columns]
    if missing:
        raise ValueError(f"{func}: `breaks` lacks column(s) {missing}; expected the table of load_breaks()")
    lo, hi = min(years), max(years)
    if "kind" in breaks.columns:  # content notes (kind "note") are not breaks
        breaks = breaks[breaks["kind"].astype(str) != "note"]
    sel = breaks[
        breaks["index"].astype(str).isin([index, "*"])
        & breaks["component"].astype(str).isin([component, "*"])
        & (breaks["year"].astype(int) > lo)
        & (breaks["year"].astype(int) <= hi)
    ]
    rows = []
    seen = set()
    for r in sel.sort_values("year").itertuples(index=False):
        y = int(r.year)
        if y in seen:
            continue
        seen.add(y)
        rows.append((y, str(getattr(r, "kind", "") or ""), str(getattr(r, "description", "") or "")))
    return rows


def _with_gaps(x: Sequence[float], y: Sequence[float], break_years: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Insert a NaN between consecutive points that straddle a break or a missing year, so
    the line stops: a gap in the series is a gap in the line, never a straight segment."""
    xs, ys = list(x), list(y)
    out_x: list[float] = []
    out_y: list[float] = []
    for i, (xi, yi) in enumerate(zip(xs, ys)):
        if i and any(xs[i - 1] < b <= xi for b in break_years):
            out_x.append(max(b for b in break_years if xs[i - 1] < b <= xi) - 0.5)
            out_y.append(np.nan)
        elif i and xi - xs[i - 1] > 1:
            out_x.append((xs[i - 1] + xi) / 2)
            out_y.append(np.nan)
        out_x.append(xi)
        out_y.append(yi)
    return np.asarray(out_x, dtype=float), np.asarray(out_y, dtype=float)


def _index_notes(index: str, component: str, lang: str, *, ranks_computed: bool) -> list[str]:
    """Caption notes every chart of a series needs: the PAPI total is an unweighted sum, and
    PAPI publishes no ranks; other indices: "ranks computed from scores" when they were."""
    if str(index).lower() == "papi" and component == "overall":
        return [L.text("papi_ranks_note" if ranks_computed else "papi_note", lang)]
    return [L.text("ranks_from_scores", lang)] if ranks_computed else []


def _draw_breaks(ax, break_rows, lang: str) -> None:
    from matplotlib.transforms import blended_transform_factory

    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for n, (year, _kind, _desc) in enumerate(break_rows):
        label = L.text("series_break", lang) if n == 0 else "_nolegend_"
        ax.axvline(year - 0.5, color=S.BREAK, linestyle=":", linewidth=1.0, zorder=1, label=label, gid="series-break")
        (marker,) = ax.plot(
            [year - 0.5], [1.0], marker="v", markersize=4, color=S.BREAK, transform=trans,
            clip_on=False, linestyle="none", label="_nolegend_", scalex=False, scaley=False,
        )
        marker.set_gid("series-break-marker")



def _wrap_points(text: str, prop, width_pt: float) -> str:
    """Wrap ``text`` so that no line is wider than ``width_pt`` points in font ``prop``."""
    from matplotlib.textpath import text_to_path

    def width(t: str) -> float:
        return text_to_path.get_text_width_height_descent(t, prop, ismath=False)[0]

    lines: list[str] = []
    for word in L.nfc(text).split():
        if lines and width(lines[-1] + " " + word) <= width_pt:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _legend_below(ax, *, handles=None, ncol: int = 2):
    """A legend under the x-axis (below tick labels and axis label), left-aligned.

    The offset is worked out from the tick and label font sizes, so the legend sits
    just below them whatever the figure size; the caption then goes under the legend.
    Labels are wrapped so that ``ncol`` columns fit in the figure's width.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.transforms import ScaledTranslation

    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    else:
        labels = [h.get_label() for h in handles]
    if not handles:
        return None
    ncol = min(ncol, len(handles))
    prop = FontProperties(size="small")
    size = prop.get_size_in_points()
    fig = ax.get_figure()
    room = 0.88 * fig.get_figwidth() * 72 / ncol - 4.2 * size  # handle, padding and column gap
    tick = ax.xaxis.get_major_ticks()[0]
    offset = tick.get_pad() + tick.get_tick_padding() + 1.25 * tick.label1.get_fontsize()
    if ax.get_xlabel():
        offset += ax.xaxis.labelpad + 1.25 * ax.xaxis.label.get_fontsize()
    shift = ScaledTranslation(0, -(offset + 2) / 72, fig.dpi_scale_trans)
    return ax.legend(
        handles, [_wrap_points(t, prop, room) for t in labels], loc="upper left", bbox_to_anchor=(0, 0),
        bbox_transform=ax.transAxes + shift, ncol=ncol, frameon=False,
        borderaxespad=0, borderpad=0, fontsize="small", handlelength=1.8, columnspacing=1.2,
    )


def _year_axis(ax, years: Sequence[int]) -> None:
    """Whole years only: every year for short spans, every 2nd/5th for long ones."""
    from matplotlib.ticker import MultipleLocator

    span = max(years) - min(years) if len(years) else 0
    ax.xaxis.set_major_locator(MultipleLocator(1 if span <= 8 else 2 if span <= 16 else 5))


def _decimal_formatter(lang: str):
    """Tick formatter with the decimal mark of ``lang`` (comma in Vietnamese)."""
    from matplotlib.ticker import ScalarFormatter

    class DecimalMark(ScalarFormatter):
        def __call__(self, x, pos=None):
            s = super().__call__(x, pos)
            return s.replace(".", ",") if lang == "vi" else s

    fmt = DecimalMark(useOffset=False)
    return fmt


def _rank_axis(axis, n: int) -> None:
    from matplotlib.ticker import FixedLocator

    ticks = [1] + list(range(10, n, 10)) + ([n] if n % 10 else [])
    if len(ticks) > 2 and n - ticks[-2] < 5:  # keep n, drop the tick just before it
        ticks.pop(-2)
    axis.set_major_locator(FixedLocator(ticks))


def _unit_of(frame: pd.DataFrame) -> str | None:
    if "unit" not in frame.columns:
        return None
    units = frame["unit"].dropna().astype(str).unique()
    return units[0] if len(units) == 1 else None


def _finish(ax, *, rows: pd.DataFrame | None, caption: Any, sources, lang: str, notes: Sequence[str] = (), alt: str | None = None) -> None:
    if caption is False or caption is None:
        text = ""
    else:
        if caption is True:
            text = S.source_caption(rows, lang=lang, sources=sources) if rows is not None and "source_id" in rows.columns else ""
        else:
            text = str(caption)
        text = "\n".join([t for t in [text, *notes] if t])
    S.add_caption(ax, text)
    if alt:
        S.set_alt_text(ax, alt)


def _title(ax, title: str | None, default: str) -> None:
    text = default if title is None else title
    if text:
        ax.set_title(L.nfc(text), loc="left")


def _darken(colour: str, amount: float = 0.35) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return (r * (1 - amount), g * (1 - amount), b * (1 - amount))


def _spread(values: Sequence[float], min_gap: float) -> list[float]:
    """Nudge sorted label positions apart by at least ``min_gap`` (order kept)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = list(values)
    for k in range(1, len(order)):
        prev, cur = order[k - 1], order[k]
        if out[cur] - out[prev] < min_gap:
            out[cur] = out[prev] + min_gap
    return out


def _year_of(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "year"):
        return int(value.year)
    text = str(value).strip()
    if len(text) >= 4 and text[:4].isdigit():
        return int(text[:4])
    raise ValueError(f"cannot read a year from deadline {value!r}; give an int such as 2025")


# ---------------------------------------------------------------------------------------
# plot_trend


def _parse_target(target: Any, deadline: Any, measure: str, func: str) -> tuple[float | None, float | None, int | None]:
    """(low, high, deadline_year) of a target; low == high for a line."""
    if target is None:
        return None, None, _year_of(deadline)
    if isinstance(target, (int, float, np.number)):
        return float(target), float(target), _year_of(deadline)
    if isinstance(target, (pd.Series, Mapping)):
        get = target.get
        value = get("target_value")
        if value is None or pd.isna(value):
            raise ValueError(f"{func}: `target` has no target_value")
        field = get("metric_field")
        if isinstance(field, str) and field in ("value", "rank") and field != measure:
            raise ValueError(f"{func}: the target is about {field!r} but measure={measure!r}; pass measure={field!r}")
        dl = _year_of(deadline if deadline is not None else get("deadline"))
        comparator = str(get("comparator") or "")
        v = float(value)
        if measure == "rank" and comparator in ("<=", "<", "top"):
            return 1.0, v, dl  # "in the top N": ranks 1..N
        return v, v, dl
    if isinstance(target, (tuple, list)) and len(target) == 2:
        lo, hi = sorted(float(t) for t in target)
        return lo, hi, _year_of(deadline)
    raise TypeError(f"{func}: target must be a number, a (low, high) pair or a row of assess_targets(), got {type(target).__name__}")


def plot_trend(
    data: pd.DataFrame,
    *,
    province: str,
    index: str,
    component: str = "overall",
    measure: str = "value",
    band: str | None = "iqr",
    median: bool | None = None,
    target: Any = None,
    deadline: int | str | None = None,
    breaks: Any = "auto",
    years: Iterable[int] | None = None,
    boundaries: str | None = None,
    min_coverage: float = 0.9,
    lang: str = "vi",
    ax: "Axes | None" = None,
    caption: bool | str = True,
    sources: pd.DataFrame | None = None,
    title: str | None = None,
) -> "Axes":
    """One province on one index/component over the years, in context.

    Parameters
    ----------
    data : tidy indicator table (``load_indicators()``); other provinces give the context.
    province : name (any spelling) or GSO code of the province in focus.
    index, component : the series ("pci", "overall").
    measure : "value" (score) or "rank" (published rank; rank 1 at the top).
    band : region band around the province's region: "iqr" (25th to 75th percentile of
        the region's provinces, focus province included), "minmax" (lowest to highest),
        or None.  Drawn only for years when at least ``min_coverage`` of the region's
        provinces have data.
    median : draw the national median: the median over all provinces with data that
        year, for years when at least ``min_coverage`` of the units have data (partial
        tables such as "top 19" would give a misleading median).  None (default): for
        scores only -- the median rank is always the middle rank, so it says nothing.
    target : a number (a line), a ``(low, high)`` pair (a band), or a row of
        ``assess_targets()`` (its target_value, deadline and comparator are used; a rank
        target "<= N" is drawn as the band 1..N).  The line/band runs to the deadline,
        which is marked with a diamond (a line for a band).
    deadline : deadline year (overrides the row's deadline).
    breaks : "auto" (``load_breaks()``), False, or a breaks table.  Each break inside
        the plotted years stops the lines (a gap between the last year of the old series
        and the first of the new one) and adds a dotted vertical line with a marker.
    years : restrict to these years.
    boundaries, lang, ax, caption, sources, title : see the module docstring.

    Returns
    -------
    Axes
        Lines by gid: "province" (in :data:`~cchc_analysis.style.HIGHLIGHT`),
        "national-median", "target", "target-deadline", "series-break"; the region band
        is a PolyCollection with gid "region-band" (a band target: gid "target").

    Examples
    --------
    >>> ax = plot_trend(load_indicators("pci"), province="Quảng Nam", index="pci",
    ...                 target=70, deadline=2025, lang="en")      # doctest: +SKIP
    """
    func = "plot_trend"
    L.check_lang(lang)
    if measure not in ("value", "rank"):
        raise ValueError(f"{func}: measure must be 'value' or 'rank', got {measure!r}")
    if band not in (None, "iqr", "minmax"):
        raise ValueError(f"{func}: band must be 'iqr', 'minmax' or None, got {band!r}")
    frame, b = _select(data, func=func, index=index, component=component, boundaries=boundaries, years=years)
    unit = _resolve(province, b, func)
    col = "value"
    if measure == "rank":
        frame, _computed = _ranks(frame, min_coverage=min_coverage)
        col = "rank_shown"
    frame = frame[frame[col].notna()]
    mine = frame[frame["province_code"] == unit.code].sort_values("year")
    if mine.empty:
        have = sorted(frame["province"].dropna().astype(str).unique())[:8] if "province" in frame.columns else []
        raise ValueError(f"{func}: no {measure} for {unit.name} in {index}/{component}; provinces with data include {have}")
    low, high, dl = _parse_target(target, deadline, measure, func)
    yr = sorted(mine["year"].unique())
    span = (min(yr), max(yr))
    frame = frame[frame["year"].between(*span)]
    brk = _break_rows(breaks, index=str(index).lower(), component=component, years=yr, func=func)
    bys = [y for y, _k, _d in brk]
    ax = _new_axes(ax, aspect=0.95)
    prov_label = L.province_label(unit.code, lang, boundaries=b)
    region_name = L.region_label(unit.region, lang)
    drawn_band = drawn_median = False

    per_year = frame.groupby("year")[col]
    if band and unit.region is not None:
        regions = _regions(b)
        members = [c for c, r in regions.items() if r == unit.region]
        with_ha_tay = set(frame.loc[frame["province_code"] == "28", "year"])
        reg = frame[frame["region"] == unit.region].groupby("year")[col]
        counts = reg.count()

        def region_size(year: int) -> int:
            # Hà Tây (code 28, merged into Hà Nội in 2008) counts only in years it has a figure
            return sum(1 for c in members if c != "28" or year in with_ha_tay)

        ok = [y for y, n in counts.items() if n >= max(2, math.ceil(min_coverage * region_size(y)))]
        if len(ok):
            lo_q, hi_q = (reg.quantile(0.25), reg.quantile(0.75)) if band == "iqr" else (reg.min(), reg.max())
            xs = sorted(ok)
            bx, blo = _with_gaps(xs, [lo_q[x] for x in xs], bys)
            _bx, bhi = _with_gaps(xs, [hi_q[x] for x in xs], bys)
            key = "region_iqr" if band == "iqr" else "region_minmax"
            poly = ax.fill_between(bx, blo, bhi, color=S.BAND, alpha=0.8, linewidth=0, zorder=1, label=L.text(key, lang, region=region_name))
            poly.set_gid("region-band")
            drawn_band = True
    if median is None:
        median = measure == "value"
    if median:
        counts = per_year.count()
        ok = sorted(counts[counts >= math.ceil(min_coverage * _n_units(b))].index)
        if ok:
            med = per_year.median()
            mx, my = _with_gaps(ok, [med[x] for x in ok], bys)
            (line,) = ax.plot(mx, my, color=S.MEDIAN, linestyle="--", linewidth=1.0, zorder=2, label=L.text("national_median", lang))
            line.set_gid("national-median")
            drawn_median = True
    px, py = _with_gaps(list(mine["year"]), list(mine[col]), bys)
    (line,) = ax.plot(px, py, color=S.HIGHLIGHT, linewidth=2.0, marker="o", markersize=3.5, zorder=4, label=prov_label)
    line.set_gid("province")

    target_text = ""
    if low is not None:
        x0 = span[0]
        x1 = dl if dl is not None else span[1]
        label = L.text("target_by", lang, year=dl) if dl is not None else L.text("target", lang)
        if low == high:
            (tl,) = ax.plot([x0, x1], [low, low], color=S.TARGET, linestyle=(0, (4, 2)), linewidth=1.2, zorder=3, label=label)
            tl.set_gid("target")
            if dl is not None:
                (dm,) = ax.plot([dl], [low], marker="D", markersize=5, color=S.TARGET, linestyle="none", zorder=5, label="_nolegend_")
                dm.set_gid("target-deadline")
            target_text = L.format_number(low, lang, decimals=0 if measure == "rank" else 1)
        else:
            poly = ax.fill_between([x0, x1], [low, low], [high, high], color=S.TARGET, alpha=0.15, linewidth=0, zorder=1, label=label)
            poly.set_gid("target")
            if dl is not None:
                (dm,) = ax.plot([dl, dl], [low, high], color=S.TARGET, linewidth=2.0, zorder=5, label="_nolegend_")
                dm.set_gid("target-deadline")
            target_text = f"{L.format_number(low, lang, decimals=0)}–{L.format_number(high, lang, decimals=0)}"
        if dl is not None and dl > span[1]:
            yr = yr + [dl]
    _draw_breaks(ax, brk, lang)

    _year_axis(ax, yr)
    ax.set_xlim(min(yr) - 0.5, max(yr) + 0.5)
    ax.set_xlabel(L.text("year", lang))
    unit_name = _unit_of(frame)
    ax.set_ylabel(L.measure_label(measure, lang, unit=unit_name, index=str(index).lower(), component=component))
    if measure == "rank":
        n = max(_n_units(b), int(np.nanmax(frame[col])) if len(frame) else 1)
        top = min(n, int(max(np.nanmax(py), high if high is not None else 0)) + 3)
        ax.set_ylim(top + 0.5, 0.5)
        _rank_axis(ax.yaxis, top)
    else:
        ax.yaxis.set_major_formatter(_decimal_formatter(lang))
    series = L.series_label(index, component, lang)
    _title(ax, title, L.text("title_trend_rank" if measure == "rank" else "title_trend", lang, province=prov_label, series=series))
    order = ["province", "national-median", "region-band", "target", "series-break"]
    found = {h.get_gid(): h for h in ax.get_legend_handles_labels()[0]}
    _legend_below(ax, handles=[found[g] for g in order if g in found], ncol=2)

    extras = ""
    if drawn_median:
        extras += L.text("alt_trend_median", lang)
    if drawn_band:
        extras += L.text("alt_trend_band", lang, region=region_name)
    if target_text:
        extras += L.text("alt_trend_target", lang, target=target_text + (f" ({dl})" if dl else ""))
    if bys:
        extras += L.text("alt_trend_break", lang, years=", ".join(map(str, bys)))
    alt = L.text("alt_trend", lang, series=series, province=prov_label, years=L.format_years(mine["year"]), extras=extras)
    computed_ranks = measure == "rank" and bool((mine["rank_source"] == "computed").any())
    notes = _index_notes(index, component, lang, ranks_computed=computed_ranks)
    _finish(ax, rows=frame if (drawn_median or drawn_band) else mine, caption=caption, sources=sources, lang=lang, notes=notes, alt=alt)
    return ax


# ---------------------------------------------------------------------------------------
# plot_rank_bump


def plot_rank_bump(
    data: pd.DataFrame,
    *,
    index: str,
    highlight: str | Iterable[str] = (),
    component: str = "overall",
    years: Iterable[int] | None = None,
    breaks: Any = "auto",
    boundaries: str | None = None,
    label_ends: bool = True,
    lang: str = "vi",
    ax: "Axes | None" = None,
    caption: bool | str = True,
    sources: pd.DataFrame | None = None,
    title: str | None = None,
) -> "Axes":
    """Ranks over the years: every province a faint grey line, chosen ones in colour.

    Parameters
    ----------
    data : tidy indicator table.
    index, component : the series ranked.
    highlight : province name(s) or code(s) drawn in colour (first in
        :data:`~cchc_analysis.style.HIGHLIGHT`, then :data:`~cchc_analysis.style.HIGHLIGHTS`)
        and labelled at their last year (``label_ends``), else listed in a legend.
    years, breaks, boundaries, lang, ax, caption, sources, title : as in :func:`plot_trend`.

    Ranks are the published ones; a year with no published rank at all is ranked from
    its scores (higher = better) and the caption says so.  Rank 1 is at the top.

    Returns
    -------
    Axes
        Lines with gid "context" (other provinces) and "highlight" (labelled with the
        province name).
    """
    func = "plot_rank_bump"
    L.check_lang(lang)
    frame, b = _select(data, func=func, index=index, component=component, boundaries=boundaries, years=years)
    frame, computed = _ranks(frame)
    frame = frame[frame["rank_shown"].notna()].sort_values(["province_code", "year"])
    if frame.empty:
        raise ValueError(f"{func}: no ranks or scores for {index}/{component}")
    focus = [_resolve(p, b, func) for p in _as_list(highlight)]
    focus_codes = [u.code for u in focus]
    yr = sorted(frame["year"].unique())
    brk = _break_rows(breaks, index=str(index).lower(), component=component, years=yr, func=func)
    bys = [y for y, _k, _d in brk]
    ax = _new_axes(ax, aspect=0.8)
    for code, grp in frame.groupby("province_code", sort=True):
        if code in focus_codes:
            continue
        x, y = _with_gaps(list(grp["year"]), list(grp["rank_shown"]), bys)
        (line,) = ax.plot(x, y, color=S.CONTEXT, linewidth=0.6, alpha=0.7, zorder=1, label="_nolegend_")
        line.set_gid("context")
    ends = []
    for i, unit in enumerate(focus):
        grp = frame[frame["province_code"] == unit.code]
        if grp.empty:
            raise ValueError(f"{func}: {unit.name} has no {index}/{component} rank in `data`")
        colour = S.HIGHLIGHTS[i % len(S.HIGHLIGHTS)]
        x, y = _with_gaps(list(grp["year"]), list(grp["rank_shown"]), bys)
        name = L.province_label(unit.code, lang, boundaries=b)
        (line,) = ax.plot(x, y, color=colour, linewidth=2.0, marker="o", markersize=3, zorder=3 + i, label=name)
        line.set_gid("highlight")
        ends.append((grp["year"].iloc[-1], grp["rank_shown"].iloc[-1], name, colour))
    _draw_breaks(ax, brk, lang)
    n = max(_n_units(b), int(frame["rank_shown"].max()))
    ax.set_ylim(n + 0.5, 0.5)
    _rank_axis(ax.yaxis, n)
    ax.yaxis.grid(False)
    _year_axis(ax, yr)
    ax.set_xlim(min(yr) - 0.3, max(yr) + 0.3)
    if ends and label_ends:
        from matplotlib.font_manager import FontProperties

        # labels at least one line apart: points per rank from the (approximate) axes height
        line_pt = 1.2 * FontProperties(size="small").get_size_in_points()
        pt_per_rank = 0.6 * ax.get_figure().get_figheight() * 72 / n
        ys = _spread([e[1] for e in ends], min_gap=line_pt / pt_per_rank)
        for (x_end, _y, name, colour), y_lab in zip(ends, ys):
            t = ax.annotate(name, xy=(x_end, y_lab), xytext=(4, 0), textcoords="offset points", va="center", ha="left",
                            fontsize="small", color=colour, fontweight="bold", annotation_clip=False)
            t.set_gid("end-label")
    ax.set_xlabel(L.text("year", lang))
    ax.set_ylabel(L.text("rank_axis", lang))
    handles = [h for h in ax.get_lines() if h.get_gid() == "series-break"][:1]
    if ends and not label_ends:
        handles = [h for h in ax.get_lines() if h.get_gid() == "highlight"] + handles
    if handles:
        _legend_below(ax, handles=handles, ncol=3)
    series = L.series_label(index, component, lang)
    years_text = L.format_years(yr) if len(yr) < 3 else f"{min(yr)}–{max(yr)}"
    _title(ax, title, L.text("title_bump", lang, series=series, years=years_text))
    alt = L.text("alt_bump", lang, series=series, n=frame["province_code"].nunique(), years=years_text,
                 provinces=", ".join(e[2] for e in ends) or "—")
    notes = _index_notes(index, component, lang, ranks_computed=computed)
    _finish(ax, rows=frame, caption=caption, sources=sources, lang=lang, notes=notes, alt=alt)
    return ax


# ---------------------------------------------------------------------------------------
# plot_heatmap


def plot_heatmap(
    data: pd.DataFrame,
    *,
    index: str,
    component: str = "overall",
    measure: str = "rank",
    years: Iterable[int] | None = None,
    highlight: str | Iterable[str] | None = None,
    breaks: Any = "auto",
    boundaries: str | None = None,
    cmap: str | None = None,
    annotate: bool = False,
    lang: str = "vi",
    ax: "Axes | None" = None,
    caption: bool | str = True,
    sources: pd.DataFrame | None = None,
    title: str | None = None,
) -> "Axes":
    """Province x year grid of ranks or scores, rows grouped by region.

    Rows are grouped by socio-economic region (registry order, north to south), each
    group under a bold header row with a separator line above it; inside a group,
    provinces are sorted by their latest figure (best first).  Grey cells have no data.

    Parameters
    ----------
    data : tidy indicator table.
    index, component : the series.
    measure : "rank" (default; colour scale reversed so rank 1 is brightest) or "value".
    years : restrict to these years (columns in year order).
    highlight : province(s) whose row is outlined and whose label is bold, in
        :data:`~cchc_analysis.style.HIGHLIGHT`.
    breaks : "auto" (``load_breaks()``), False, or a breaks table: a dotted vertical line
        before the first year of each new series, explained in the caption.
    cmap : colour map (default "viridis": perceptually uniform and colour-blind safe).
    annotate : print the figure in every cell.
    boundaries, lang, ax, caption, sources, title : see the module docstring.

    Returns
    -------
    Axes
        The grid is ``ax.collections[0]`` (a QuadMesh); the colour bar is a separate
        Axes of the same figure.  Separators: lines with gid "region-separator";
        headers: texts with gid "region-header".
    """
    func = "plot_heatmap"
    L.check_lang(lang)
    if measure not in ("value", "rank"):
        raise ValueError(f"{func}: measure must be 'value' or 'rank', got {measure!r}")
    frame, b = _select(data, func=func, index=index, component=component, boundaries=boundaries, years=years)
    col = "value"
    computed = False
    if measure == "rank":
        frame, computed = _ranks(frame)
        col = "rank_shown"
    frame = frame[frame[col].notna()]
    if frame.empty:
        raise ValueError(f"{func}: no {measure} for {index}/{component}")
    table = frame.pivot_table(index="province_code", columns="year", values=col, aggfunc="first")
    yr = [int(y) for y in table.columns]
    regions = _regions(b)
    latest = table.apply(lambda r: r.dropna().iloc[-1] if r.notna().any() else np.nan, axis=1)
    focus = {u.code for u in (_resolve(p, b, func) for p in _as_list(highlight))}
    rows: list[tuple[str, Any]] = []
    for region in _region_order():
        codes = [c for c in table.index if regions.get(c) == region]
        if not codes:
            continue
        sign = 1 if measure == "rank" else -1
        codes.sort(key=lambda c: (math.isnan(latest[c]), sign * (latest[c] if not math.isnan(latest[c]) else 0), L.province_label(c, "vi", boundaries=b)))
        rows.append(("header", region))
        rows.extend(("province", c) for c in codes)
    matrix = np.full((len(rows), len(yr)), np.nan)
    for i, (kind, key) in enumerate(rows):
        if kind == "province":
            matrix[i] = table.loc[key].to_numpy(dtype=float)

    n_rows = len(rows)
    ax = _new_axes(ax, width="double", height_cm=2.54 * (1.3 + 0.125 * n_rows))
    ax.set_facecolor("#EBEBEB")
    ax.grid(False)
    if measure == "rank":
        n = max(_n_units(b), int(np.nanmax(matrix)))
        cmap, vmin, vmax = cmap or "viridis_r", 1, n
    else:
        cmap, vmin, vmax = cmap or "viridis", float(np.nanmin(matrix)), float(np.nanmax(matrix))
    mesh = ax.pcolormesh(
        np.arange(len(yr) + 1) - 0.5, np.arange(n_rows + 1) - 0.5, np.ma.masked_invalid(matrix),
        cmap=cmap, vmin=vmin, vmax=vmax, edgecolors="white", linewidth=0.3,
    )
    mesh.set_gid("grid")
    ax.set_xlim(-0.5, len(yr) - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    ticks, tick_labels = [], []
    small = 6 if n_rows > 40 else 7
    for i, (kind, key) in enumerate(rows):
        if kind == "header":
            span = ax.axhspan(i - 0.5, i + 0.5, facecolor="white", edgecolor="none", zorder=2)
            span.set_gid("region-header-row")
            t = ax.text(-0.45, i + 0.1, L.region_label(key, lang), ha="left", va="center", fontsize=small + 0.5, fontweight="bold", zorder=3, color="#262626")
            t.set_gid("region-header")
            if i:
                sep = ax.axhline(i - 0.5, color="#262626", linewidth=0.8, zorder=3)
                sep.set_gid("region-separator")
        else:
            ticks.append(i)
            tick_labels.append(L.province_label(key, lang, boundaries=b))
            if key in focus:
                from matplotlib.patches import Rectangle

                rect = Rectangle((-0.5, i - 0.5), len(yr), 1, fill=False, edgecolor=S.HIGHLIGHT, linewidth=1.5, zorder=4, clip_on=False)
                rect.set_gid("highlight")
                ax.add_patch(rect)
            if annotate:
                for j, v in enumerate(matrix[i]):
                    if not math.isnan(v):
                        rgba = mesh.cmap(mesh.norm(v))
                        dark = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2] < 0.5
                        ax.text(j, i, L.format_number(v, lang, decimals=0 if measure == "rank" else 1), ha="center", va="center",
                                fontsize=small - 1.5, color="white" if dark else "black", zorder=3)
    ax.set_yticks(ticks, tick_labels, fontsize=small)
    for tick_label, (kind, key) in zip(ax.get_yticklabels(), [r for r in rows if r[0] == "province"]):
        if key in focus:
            tick_label.set_color(S.HIGHLIGHT)
            tick_label.set_fontweight("bold")
    ax.set_xticks(range(len(yr)), [str(y) for y in yr], fontsize=small, rotation=90 if len(yr) > 12 else 0)
    ax.tick_params(axis="x", top=True, labeltop=True, length=0)
    ax.tick_params(axis="y", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    brk = [y for y, _k, _d in _break_rows(breaks, index=str(index).lower(), component=component, years=yr, func=func)]
    for y in brk:
        j = yr.index(y) if y in yr else sum(1 for v in yr if v < y)
        line = ax.axvline(j - 0.5, color="#262626", linestyle=(0, (2, 1.5)), linewidth=1.2, zorder=3)
        line.set_gid("series-break")
    fig = ax.get_figure()
    # the colour bar sits in an inset at the top right, so that constrained layout places it
    # beside the grid (a caption wider than the grid would push a normal colour bar away)
    height = min(0.9, 12 / max(n_rows, 1))
    cax = ax.inset_axes([1.03, 1 - height, 0.025 if n_rows > 30 else 0.04, height])
    cbar = fig.colorbar(mesh, cax=cax)
    cbar.set_label(L.text("rank", lang) if measure == "rank" else L.value_axis_label(_unit_of(frame), lang, index=str(index).lower(),
                                                                                       component=component), fontsize=small)
    cbar.ax.tick_params(labelsize=small)
    if measure == "rank":
        cbar.ax.invert_yaxis()
        _rank_axis(cbar.ax.yaxis, vmax)
    else:
        cbar.ax.yaxis.set_major_formatter(_decimal_formatter(lang))
    series = L.series_label(index, component, lang)
    _title(ax, title, L.text("title_heatmap_rank" if measure == "rank" else "title_heatmap_value", lang, series=series))
    notes = []
    if np.isnan(np.array([matrix[i] for i, r in enumerate(rows) if r[0] == "province"])).any():
        notes.append(L.text("missing_cell", lang))
    if brk:
        notes.append(L.text("break_line", lang, years=", ".join(map(str, brk))))
    notes += _index_notes(index, component, lang, ranks_computed=computed)
    alt = L.text("alt_heatmap", lang, measure=L.text("rank" if measure == "rank" else "score", lang).lower(), series=series,
                 n=len(ticks), years=L.format_years(yr))
    _finish(ax, rows=frame, caption=caption, sources=sources, lang=lang, notes=notes, alt=alt)
    return ax


# ---------------------------------------------------------------------------------------
# plot_target_gaps


_ZERO_BASED = ("%", "percent", "count", "days", "hours", "months")


_CHANGE = "Δ"  # prefix of the scale key of a target that is an increase ("Δ%": in percentage points)


def _is_change(row: Mapping) -> bool:
    """A target on an increase, not a level: metric_field value_change / rank_change, unit
    places, or -- for targets no index measures, whose metric_field is empty -- an
    indicator described as an increase ("Mức tăng ...", "tăng thêm ...", "Increase in ...")."""
    import re

    field = str(row.get("metric_field") or "")
    if field in ("value_change", "rank_change") or str(row.get("unit") or "") == "places":
        return True
    vi = L.nfc(row.get("indicator_vi") or "").strip().lower()
    en = str(row.get("indicator_en") or "").strip().lower()
    return bool(re.match(r"(mức tăng|tăng thêm|tăng)\b", vi)) or en.startswith(("increase", "rise in", "gain in"))


def _scale_key(row: Mapping) -> str:
    field = str(row.get("metric_field") or "")
    unit = str(row.get("unit") or "")
    if field == "rank" or unit.lower() in ("rank", "hạng", "thứ hạng"):
        return "rank"
    if unit == "places":
        return "places"
    if _is_change(row):
        return _CHANGE + (unit or "value")
    return unit or "value"


def _change_axis_label(scale: str, lang: str) -> str:
    unit = scale[len(_CHANGE):]
    if unit in ("%", "percent"):
        return L.text("increase_pp", lang)
    if unit in ("score", "value"):
        return L.text("increase_points", lang)
    return L.text("increase_unit", lang, unit=unit)


def plot_target_gaps(
    targets: pd.DataFrame,
    *,
    province: str | None = None,
    n_units: int = 63,
    wrap_width: int | None = 60,
    lang: str = "vi",
    ax: "Axes | Sequence[Axes] | None" = None,
    caption: bool | str = True,
    sources: pd.DataFrame | None = None,
    title: str | None = None,
) -> np.ndarray:
    """Each target of a plan against its result: a dumbbell per target, coloured by status.

    Targets on different scales are never drawn on one axis: there is one panel per
    scale (ranks first, then each unit: percent, score, ...), stacked, each with its own
    x-axis.  Rank panels run from ``n_units`` (left) to 1 (right), so in a rank panel
    better is to the right; in a value panel higher is to the right.

    In each row: the target is a blue tick, the zone where the target is met is shaded
    (``>=``: from the target up; ``<=``: below it, i.e. the top N for ranks), the actual
    result is a dot in its status colour (:data:`~cchc_analysis.style.STATUS_COLOURS`)
    joined to the target by a line (the gap), with its number and the year of the figure
    beside it ("19 (2021)"); the status word is written at the right.  Rows without a
    result show only the target and the status.

    A target on an increase ("tăng thêm 20 %": ``metric_field`` value_change or
    rank_change, or an indicator described as an increase) is drawn in its own panel, in
    percentage points ("Mức tăng (điểm %)" / "Increase (percentage points)") or points,
    never as a level zone of 20-100 %.

    Parameters
    ----------
    targets : the table of ``assess_targets()``: needs target_value, actual, status and
        indicator_vi / indicator_en (the row labels); uses metric_field, unit,
        comparator, deadline, actual_year, province and source_id when present.  Baseline rows
        (``kind == "baseline"``) are left out.
    province : keep only this province's targets (any spelling).
    n_units : size of the ranking (63 provinces to 2025; 34 after).
    wrap_width : about this many characters per line of the row labels (None: no
        wrapping); rows are spaced for their longest label.
    lang, caption, sources, title : see the module docstring.
    ax : None (a new figure with one panel per scale), an Axes (only when all targets
        share one scale), or a sequence of Axes, one per scale.

    Returns
    -------
    numpy.ndarray of Axes
        One panel per scale, top to bottom, always an array (length 1 when one scale).
        Per row: a Line2D with gid "target", one with gid "actual" (its colour is the
        status colour), a Line2D "gap", and a Text with gid "status" holding the status word.
    """
    func = "plot_target_gaps"
    L.check_lang(lang)
    label_col = f"indicator_{lang}"
    _check_frame(targets, func, _TARGET_COLUMNS + (label_col,), "the target table of assess_targets()")
    frame = targets.copy()
    if "kind" in frame.columns:  # assess_targets(include_baselines=True) adds baselines
        frame = frame[frame["kind"].astype(str) == "target"]
    if province is not None:
        if "province" not in frame.columns:
            raise ValueError(f"{func}: `targets` has no province column to select {province!r} from")
        from .provinces import resolve_province

        want = resolve_province(province).code
        codes = frame["province"].map(lambda p: _safe_code(p))
        frame = frame[codes == want]
        if frame.empty:
            raise ValueError(f"{func}: no targets for {province!r} in `targets`")
    if frame.empty:
        raise ValueError(f"{func}: `targets` is empty")
    bad = sorted(set(frame["status"].dropna()) - set(L.STATUSES))
    if bad:
        raise ValueError(f"{func}: unknown status value(s) {bad}; expected {list(L.STATUSES)}")
    frame = frame.reset_index(drop=True)
    frame["_scale"] = [_scale_key(r) for r in frame.to_dict("records")]
    scales = list(dict.fromkeys(sorted(frame["_scale"], key=lambda s: s != "rank")))
    counts = [int((frame["_scale"] == s).sum()) for s in scales]
    multi_province = "province" in frame.columns and frame["province"].nunique() > 1

    # row labels first: their line count sets the row spacing of each panel
    from matplotlib.font_manager import FontProperties

    import matplotlib as mpl

    fig_width_in = S.figure_size("double")[0] if ax is None else np.atleast_1d(np.asarray(ax, dtype=object))[0].get_figure().get_figwidth()
    label_prop = FontProperties(size=mpl.rcParams["ytick.labelsize"])
    row_labels: dict[int, str] = {}
    for pos, row in zip(frame.index, frame.to_dict("records")):
        text = L.nfc(row[label_col]) if isinstance(row[label_col], str) else "?"
        if multi_province:
            text = f"{L.province_label(row['province'], lang)}: {text}"
        year = _year_of(row.get("deadline"))
        if year:
            text = f"{text} ({year})"
        row_labels[pos] = _wrap_points(text, label_prop, wrap_width * 0.55 * label_prop.get_size_in_points()) if wrap_width else text
    line_in = 1.25 * label_prop.get_size_in_points() / 72
    row_in = [max(0.3, 0.1 + line_in * max(row_labels[i].count("\n") + 1 for i in frame.index[frame["_scale"] == s])) for s in scales]

    if ax is None:
        import matplotlib.pyplot as plt

        axis_in, legend_in = 0.55, 0.3
        heights = [c * r + axis_in + (legend_in if n == 0 else 0.0) for n, (c, r) in enumerate(zip(counts, row_in))]
        fig, axes = plt.subplots(
            len(scales), 1, layout="constrained", squeeze=False,
            figsize=(fig_width_in, sum(heights) + 0.5),
            gridspec_kw={"height_ratios": heights},
        )
        axes = axes[:, 0]
    else:
        axes = np.atleast_1d(np.asarray(ax, dtype=object))
        if len(axes) != len(scales):
            raise ValueError(
                f"{func}: the targets use {len(scales)} scale(s) {scales}, which need {len(scales)} Axes; "
                f"got {len(axes)}. Pass ax=None for a new figure, or one Axes per scale."
            )
    summary_counts: dict[str, int] = {}
    for panel, (scale, a) in enumerate(zip(scales, axes)):
        part = frame[frame["_scale"] == scale]
        is_rank = scale == "rank"
        numbers = pd.concat([pd.to_numeric(part["target_value"], errors="coerce"), pd.to_numeric(part["actual"], errors="coerce")]).dropna()
        if is_rank:
            left, right = max(n_units, numbers.max() if len(numbers) else n_units) + 0.5, 0.5
        else:
            lo, hi = (float(numbers.min()), float(numbers.max())) if len(numbers) else (0.0, 1.0)
            if (scale in _ZERO_BASED or scale.startswith(_CHANGE)) and lo >= 0:  # shares, counts, increases start at 0
                lo = 0.0
            pad = max((hi - lo) * 0.08, abs(hi) * 0.03, 0.5 if scale != "index_0_1" else 0.02)
            left, right = (lo if lo == 0 else lo - pad), hi + pad
            if scale in ("%", "percent") and hi <= 100:
                right = 100.0 + (0.5 if hi >= 100 else 0.0)
        labels_y = []
        for i, (pos, row) in enumerate(zip(part.index, part.to_dict("records"))):
            status = row["status"] if isinstance(row["status"], str) else "no data"
            summary_counts[status] = summary_counts.get(status, 0) + 1
            colour = S.STATUS_COLOURS[status]
            target, actual = _number(row["target_value"]), _number(row["actual"])
            comparator = str(row.get("comparator") or "")
            if not math.isnan(target):
                if comparator in (">=", ">"):
                    zone = (target, right)
                elif comparator in ("<=", "<", "top"):
                    zone = (target, right) if is_rank else (left, target)
                else:
                    zone = None
                if zone is not None:
                    z0, z1 = zone
                    bar = a.barh(i, z1 - z0, left=z0, height=0.62, color=S.TARGET, alpha=0.10, linewidth=0, zorder=1)
                    for p in bar.patches:
                        p.set_gid("target-zone")
                (tl,) = a.plot([target], [i], marker="|", markersize=11, markeredgewidth=2.2, color=S.TARGET, linestyle="none", zorder=4,
                               label="_nolegend_")
                tl.set_gid("target")
            if not math.isnan(actual):
                if not math.isnan(target):
                    (gl,) = a.plot([actual, target], [i, i], color=colour, linewidth=1.6, alpha=0.7, zorder=2, label="_nolegend_")
                    gl.set_gid("gap")
                (al,) = a.plot([actual], [i], marker="o", markersize=6.5, color=colour, markeredgecolor="white", markeredgewidth=0.6,
                               linestyle="none", zorder=5, label="_nolegend_")
                al.set_gid("actual")
                decimals = 0 if is_rank or float(actual).is_integer() else (2 if scale == "index_0_1" else 1)
                year = _year_of(row.get("actual_year"))
                number = L.format_number(actual, lang, decimals=decimals) + (f" ({year})" if year else "")
                # the number sits on the outer side of the dot, away from the target tick
                # (offsets are in display space: "right" on screen, whatever the axis direction)
                on_right = math.isnan(target) or ((actual < target) if is_rank else (actual > target))
                # ... unless that side is the edge of the panel: then inside, on a white ground
                screen = (actual - left) / (right - left) if right != left else 0.5  # 0 = left edge on screen
                inside = (not on_right and screen < 0.2) or (on_right and screen > 0.8 and not math.isnan(target))
                if inside:
                    on_right = not on_right
                dx = 5 if on_right else -5
                num = a.annotate(number, xy=(actual, i), xytext=(dx, 0),
                                 textcoords="offset points", ha="left" if dx > 0 else "right", va="center", fontsize="small",
                                 color="#333333", zorder=6,
                                 bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85) if inside else None)
                num.set_gid("actual-label")
            st = a.annotate(L.status_label(status, lang), xy=(1.0, i), xycoords=("axes fraction", "data"), xytext=(6, 0),
                            textcoords="offset points", ha="left", va="center", fontweight="bold", color=_darken(colour),
                            annotation_clip=False)
            st.set_gid("status")
            labels_y.append(row_labels[pos])
        k = len(part)
        a.set_yticks(range(k), labels_y)
        a.set_ylim(k - 0.5, -1.3 if panel == 0 else -0.6)  # the first panel's top row holds the legend
        a.set_xlim(left, right)
        a.tick_params(axis="y", length=0)
        a.yaxis.grid(False)
        a.xaxis.grid(True, color="#EEEEEE", linewidth=0.6)
        a.set_axisbelow(True)
        for side in ("top", "right", "left"):
            a.spines[side].set_visible(False)
        if is_rank:
            _rank_axis(a.xaxis, int(round(left - 0.5)))
            a.set_xlabel(L.text("rank_axis", lang) + "   " + L.text("better_right", lang))
        else:
            if scale in ("count", "days", "hours", "months", "places"):
                from matplotlib.ticker import MaxNLocator

                a.xaxis.set_major_locator(MaxNLocator(integer=True))
            a.xaxis.set_major_formatter(_decimal_formatter(lang))
            a.set_xlabel(_change_axis_label(scale, lang) if scale.startswith(_CHANGE) else L.value_axis_label(scale, lang))
        if panel == 0:
            from matplotlib.lines import Line2D
            from matplotlib.patches import Patch

            handles = [
                Line2D([], [], marker="|", markersize=9, markeredgewidth=2, color=S.TARGET, linestyle="none", label=L.text("target", lang)),
                Patch(facecolor=S.TARGET, alpha=0.10, label=L.text("target_zone", lang)),
                Line2D([], [], marker="o", markersize=6, color="#7F7F7F", linestyle="none", label=L.text("actual", lang)),
            ]
            a.legend(handles=handles, loc="upper left", ncol=3, fontsize="small", frameon=False, borderaxespad=0.2, handlelength=1.2)
    who = None
    if "province" in frame.columns and frame["province"].nunique() == 1:
        who = L.province_label(frame["province"].iloc[0], lang)
    default_title = L.text("title_gaps", lang, province=who) if who else L.text("title_gaps_all", lang)
    _title(axes[0], title, default_title)
    summary = ", ".join(f"{L.status_label(s, lang).lower()} {summary_counts[s]}" for s in L.STATUSES if s in summary_counts)
    alt = L.text("alt_gaps", lang, n=len(frame), summary=summary)
    _finish(axes[-1], rows=frame, caption=caption, sources=sources, lang=lang, alt=alt)
    for a in axes[:-1]:
        S.set_alt_text(a, alt)
    return axes


def _number(value: Any) -> float:
    """A float, NaN for missing or non-numeric values."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return out


def _safe_code(name: Any) -> str | None:
    from .provinces import UnknownProvinceError, resolve_province

    try:
        return resolve_province(str(name)).code
    except (UnknownProvinceError, ValueError):
        return None


# ---------------------------------------------------------------------------------------
# plot_index_scatter


def plot_index_scatter(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    year: int,
    x_component: str = "overall",
    y_component: str = "overall",
    highlight: str | Iterable[str] | None = None,
    labels: str | Iterable[str] | None = "all",
    boundaries: str | None = None,
    adjust: bool = True,
    iter_lim: int = 60,
    method: str = "spearman",
    lang: str = "vi",
    ax: "Axes | None" = None,
    caption: bool | str = True,
    sources: pd.DataFrame | None = None,
    title: str | None = None,
) -> "Axes":
    """Two indices (or components) for one year, one dot per province.

    Parameters
    ----------
    data : tidy indicator table with both series.
    x, y : index keys ("pci", "papi", ...); the same index with two components works too.
    year : the year; both series must have it.
    x_component, y_component : components of ``x`` and ``y``.
    highlight : province(s) drawn larger in :data:`~cchc_analysis.style.HIGHLIGHTS`,
        labelled in bold.
    labels : "all" (every province), "highlight" (only those), a list of names, or None.
    adjust : move labels apart with adjustText so they do not overlap, with thin leader
        lines; ``iter_lim`` bounds its iterations (fixed, so results do not depend on
        the machine's speed -- adjustText's default is a one-second time limit).
    boundaries, lang, ax, caption, sources, title : see the module docstring.

    method : correlation printed in the corner, named with it: "spearman" (default, as
        :func:`cchc_analysis.index_correlations`), "kendall" or "pearson".

    Dashed lines mark the two national medians; the correlation coefficient and n are
    printed in the corner (no p-value: see ``index_correlations``).  Values only
    (provinces with only a rank are left out).

    Returns
    -------
    Axes
        Collections with gid "context" (other provinces) and "highlight"; texts with
        gid "province-label".
    """
    func = "plot_index_scatter"
    L.check_lang(lang)
    fx, b = _select(data, func=func, index=x, component=x_component, boundaries=boundaries)
    fy, _b = _select(data, func=func, index=y, component=y_component, boundaries=b)
    yx, yy = sorted(fx["year"].unique()), sorted(fy["year"].unique())
    if int(year) not in yx or int(year) not in yy:
        raise ValueError(f"{func}: year={year} must be in both series; {x} has {L.format_years(yx)}, {y} has {L.format_years(yy)}")
    fx = fx[(fx["year"] == int(year)) & fx["value"].notna()]
    fy = fy[(fy["year"] == int(year)) & fy["value"].notna()]
    both = fx.merge(fy[["province_code", "value", "source_id"] if "source_id" in fy.columns else ["province_code", "value"]],
                    on="province_code", suffixes=("_x", "_y"))
    if both.empty:
        raise ValueError(f"{func}: no province has a value for both {x} and {y} in {year}")
    focus = [_resolve(p, b, func) for p in _as_list(highlight)]
    focus_codes = [u.code for u in focus]
    ax = _new_axes(ax, width="double", aspect=0.62)
    rest = both[~both["province_code"].isin(focus_codes)]
    sc = ax.scatter(rest["value_x"], rest["value_y"], s=14, color=S.CONTEXT, edgecolors="#8C8C8C", linewidths=0.4, zorder=2)
    sc.set_gid("context")
    for i, unit in enumerate(focus):
        mine = both[both["province_code"] == unit.code]
        if mine.empty:
            raise ValueError(f"{func}: {unit.name} lacks {x} or {y} in {year}")
        h = ax.scatter(mine["value_x"], mine["value_y"], s=36, color=S.HIGHLIGHTS[i % len(S.HIGHLIGHTS)], edgecolors="white",
                       linewidths=0.6, zorder=4, label=L.province_label(unit.code, lang, boundaries=b))
        h.set_gid("highlight")
    mx, my = both["value_x"].median(), both["value_y"].median()
    vline = ax.axvline(mx, color=S.MEDIAN, linestyle="--", linewidth=0.7, zorder=1)
    hline = ax.axhline(my, color=S.MEDIAN, linestyle="--", linewidth=0.7, zorder=1)
    vline.set_gid("national-median")
    hline.set_gid("national-median")
    if method not in L.COEFFICIENT_NAMES:
        raise ValueError(f"{func}: method must be one of {list(L.COEFFICIENT_NAMES)}, got {method!r}")
    r = float("nan")
    if len(both) > 2 and both["value_x"].nunique() > 1 and both["value_y"].nunique() > 1:
        from scipy import stats as sps

        fn = {"spearman": sps.spearmanr, "kendall": sps.kendalltau, "pearson": sps.pearsonr}[method]
        r = float(fn(both["value_x"], both["value_y"]).statistic)
    r_text = L.format_number(r, lang, decimals=2) if not math.isnan(r) else "—"
    coef = L.COEFFICIENT_NAMES[method]
    corr = ax.text(0.99, 0.02, L.text("correlation", lang, coef=coef, r=r_text, n=len(both)), transform=ax.transAxes, ha="right",
                   va="bottom", fontsize="small", color="#4D4D4D")
    corr.set_gid("correlation")
    if labels == "all":
        chosen = list(both["province_code"])
    elif labels == "highlight":
        chosen = focus_codes
    elif labels is None:
        chosen = []
    else:
        chosen = [_resolve(p, b, func).code for p in _as_list(labels)]
    texts = []
    for row in both[both["province_code"].isin(chosen)].itertuples(index=False):
        hot = row.province_code in focus_codes
        colour = S.HIGHLIGHTS[focus_codes.index(row.province_code) % len(S.HIGHLIGHTS)] if hot else "#404040"
        t = ax.text(row.value_x, row.value_y, L.province_label(row.province_code, lang, boundaries=b), fontsize="small" if hot else "x-small",
                    color=colour, fontweight="bold" if hot else "normal", zorder=5, ha="center", va="center")
        t.set_gid("province-label")
        texts.append(t)
    ax.set_xlabel(L.series_label(x, x_component, lang) + " – "
                  + L.value_axis_label(_unit_of(fx), lang, index=str(x).lower(), component=x_component).lower())
    ax.set_ylabel(L.series_label(y, y_component, lang) + " – "
                  + L.value_axis_label(_unit_of(fy), lang, index=str(y).lower(), component=y_component).lower())
    ax.xaxis.set_major_formatter(_decimal_formatter(lang))
    ax.yaxis.set_major_formatter(_decimal_formatter(lang))
    ax.grid(True, axis="both", color="#EEEEEE", linewidth=0.5)
    xs, ys = L.series_label(x, x_component, lang), L.series_label(y, y_component, lang)
    _title(ax, title, L.text("title_scatter", lang, x=xs, y=ys, year=year))
    alt = L.text("alt_scatter", lang, x=xs, y=ys, year=year, n=len(both), r=f"{coef} = {r_text}")
    rows = pd.concat([fx, fy], ignore_index=True)
    rows = rows[rows["province_code"].isin(both["province_code"])]
    _finish(ax, rows=rows, caption=caption, sources=sources, lang=lang, alt=alt)  # the axis label says "unweighted" for PAPI
    if texts and adjust:
        from adjustText import adjust_text

        adjust_text(texts, x=both["value_x"].to_numpy(), y=both["value_y"].to_numpy(), ax=ax, iter_lim=iter_lim, time_lim=None,
                    expand=(1.08, 1.25), arrowprops=dict(arrowstyle="-", color="#A6A6A6", lw=0.4))
    return ax


# ---------------------------------------------------------------------------------------
# plot_profile


def plot_profile(
    data: pd.DataFrame,
    *,
    province: str,
    year: int | Mapping[str, int] | None = None,
    indices: Sequence[str] | None = None,
    component: str = "overall",
    measure: str = "percentile",
    boundaries: str | None = None,
    min_coverage: float = 0.9,
    lang: str = "vi",
    ax: "Axes | None" = None,
    caption: bool | str = True,
    sources: pd.DataFrame | None = None,
    title: str | None = None,
) -> "Axes":
    """One province across the indices: a dot plot of its percentile (or rank).

    One row per index (PAR Index, SIPAS, PAPI, PCI, DTI, those present in ``data``),
    labelled with the year shown.  Every other province is a small grey tick, the
    province in focus a large dot in :data:`~cchc_analysis.style.HIGHLIGHT`, with its rank
    "hạng 12/63" beside it.  Indices the province lacks show "không có số liệu"/"no data".

    Percentile = 100 x (N - rank) / (N - 1) (:func:`cchc_analysis.compare.rank_percentile`),
    so 100 is the best province and 0 the last, from the published rank (or the rank of
    the score when none is published).  N is the number the rank is out of: the ranked
    provinces of a complete table (42 for PCI 2005), the scores ranked, or the units (63
    or 34) for a published top/bottom group.

    Parameters
    ----------
    data : tidy indicator table.
    province : name or code.
    year : one year for every index, a mapping index -> year, or None (each index's
        latest year with data for the province).
    indices : which indices, in order (default: PAR Index, SIPAS, PAPI, PCI, DTI).
    component : component of every index ("overall").
    measure : "percentile" (default) or "rank" (x-axis reversed: rank 1 on the right).
    boundaries, lang, ax, caption, sources, title : see the module docstring.

    Returns
    -------
    Axes
        A single Axes (a dot plot, not small multiples).  Lines with gid "highlight"
        (one per index with data) and "context"; texts with gid "rank-label".
    """
    func = "plot_profile"
    L.check_lang(lang)
    if measure not in ("percentile", "rank"):
        raise ValueError(f"{func}: measure must be 'percentile' or 'rank', got {measure!r}")
    _check_frame(data, func, _INDICATOR_COLUMNS, "the tidy indicator table of load_indicators()")
    present = set(data["index"].dropna().astype(str))
    order = list(indices) if indices is not None else [i for i in ("par", "sipas", "papi", "pci", "dti") if i in present]
    if not order:
        raise ValueError(f"{func}: none of the indices par, sipas, papi, pci, dti is in `data`")
    b = _choose_boundaries(data, boundaries, func)
    unit = _resolve(province, b, func)
    ax = _new_axes(ax, aspect=0.8)
    rows_used = []
    row_labels = []
    computed_any = labelled = False
    n_max = _n_units(b)
    for i, idx in enumerate(order):
        frame, _b = _select(data, func=func, index=idx, component=component, boundaries=b)
        frame, _computed = _ranks(frame, min_coverage=min_coverage)
        frame = frame[frame["rank_shown"].notna()]
        mine_years = sorted(frame.loc[frame["province_code"] == unit.code, "year"].unique())
        want = year.get(idx) if isinstance(year, Mapping) else year
        if want is None:
            yr = mine_years[-1] if mine_years else (int(frame["year"].max()) if len(frame) else None)
        else:
            yr = int(want)
        label = L.index_label(idx, lang) + (f" {yr}" if yr is not None else "")
        row_labels.append(label)
        cur = frame[frame["year"] == yr] if yr is not None else frame.iloc[0:0]
        units = _n_units(b) + (1 if b == "legacy" and (cur["province_code"] == "28").any() else 0)
        # N the ranks are out of: the whole table (compare._resolve_ranks), not the rows printed
        n = int(cur["rank_n"].max()) if len(cur) and cur["rank_n"].notna().any() else units
        n_max = max(n_max, n)
        xs = cur["rank_shown"] if measure == "rank" else 100.0 * (n - cur["rank_shown"]) / max(n - 1, 1)
        others = cur["province_code"] != unit.code
        (ctx,) = ax.plot(xs[others], np.full(int(others.sum()), i), marker="|", markersize=7, markeredgewidth=0.8, color=S.CONTEXT,
                         linestyle="none", zorder=2, label=L.text("other_provinces", lang) if i == 0 else "_nolegend_")
        ctx.set_gid("context")
        rows_used.append(cur)
        computed_any = computed_any or bool((cur["rank_source"] == "computed").any())
        mine = cur[cur["province_code"] == unit.code]
        if mine.empty:
            t = ax.text(50 if measure == "percentile" else (n + 1) / 2, i, L.text("no_data", lang), ha="center", va="center",
                        fontsize="small", color="#737373", style="italic", zorder=3)
            t.set_gid("no-data")
            continue
        rank = int(mine["rank_shown"].iloc[0])
        x_me = float(xs[~others].iloc[0])
        (dot,) = ax.plot([x_me], [i], marker="o", markersize=8, color=S.HIGHLIGHT, markeredgecolor="white", linestyle="none", zorder=4,
                         label="_nolegend_" if labelled else L.province_label(unit.code, lang, boundaries=b))
        dot.set_gid("highlight")
        labelled = True
        far_right = x_me > 70 if measure == "percentile" else rank < 0.3 * n  # label goes on the roomier side
        t = ax.annotate(L.text("rank_of", lang, rank=rank, n=n), xy=(x_me, i), xytext=(-7 if far_right else 7, 0),
                        textcoords="offset points", ha="right" if far_right else "left", va="center", fontsize="x-small",
                        color=_darken(S.HIGHLIGHT, 0.25), zorder=5,
                        bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.9))
        t.set_gid("rank-label")
    ax.set_yticks(range(len(order)), row_labels)
    ax.set_ylim(len(order) - 0.4, -0.8)
    ax.yaxis.grid(False)
    ax.tick_params(axis="y", length=0)
    if measure == "percentile":
        ax.set_xlim(-4, 104)
        ax.set_xticks([0, 25, 50, 75, 100])
        ref = ax.axvline(50, color=S.MEDIAN, linestyle="--", linewidth=0.7, zorder=1)
        ref.set_gid("national-median")
        ax.set_xlabel(L.text("percentile", lang))
    else:
        ax.set_xlim(n_max + 1, 0)
        _rank_axis(ax.xaxis, n_max)
        ax.set_xlabel(L.text("rank_axis", lang))
    ax.xaxis.grid(True, color="#EEEEEE", linewidth=0.5)
    prov_label = L.province_label(unit.code, lang, boundaries=b)
    _title(ax, title, L.text("title_profile", lang, province=prov_label))
    _legend_below(ax, ncol=2)
    alt = L.text("alt_profile", lang, province=prov_label, n=len(order))
    rows = pd.concat(rows_used, ignore_index=True) if rows_used else None
    notes = [L.text("ranks_from_scores", lang)] if computed_any else []
    if "papi" in order and component == "overall":
        notes.append(L.text("papi_ranks_note", lang))
    _finish(ax, rows=rows, caption=caption, sources=sources, lang=lang, notes=notes, alt=alt)
    return ax


# ---------------------------------------------------------------------------------------
# plot_region_distribution


def plot_region_distribution(
    data: pd.DataFrame,
    *,
    index: str,
    year: int,
    component: str = "overall",
    measure: str = "value",
    highlight: str | Iterable[str] | None = None,
    boundaries: str | None = None,
    lang: str = "vi",
    ax: "Axes | None" = None,
    caption: bool | str = True,
    sources: pd.DataFrame | None = None,
    title: str | None = None,
) -> "Axes":
    """Box and dots per region for one index and year.

    Boxes span the quartiles with the median line; whiskers reach the furthest province
    within 1.5 x IQR; every province is a dot (spread vertically in a fixed pattern, so
    the picture is the same on every run).  Regions in registry order (north to south);
    units whose region is mixed (2025 mergers) are grouped as "Khác"/"Other".  A dashed
    line marks the national median.

    Parameters
    ----------
    data : tidy indicator table.
    index, component, year : the series and year.
    measure : "value" or "rank" (rank axis reversed: rank 1 on the right).
    highlight : province(s) drawn in :data:`~cchc_analysis.style.HIGHLIGHTS` and labelled.
    boundaries, lang, ax, caption, sources, title : see the module docstring.

    Returns
    -------
    Axes
        Collections with gid "context" (dots of all provinces) and "highlight"; boxes are
        patches; the median line has gid "national-median".
    """
    func = "plot_region_distribution"
    L.check_lang(lang)
    if measure not in ("value", "rank"):
        raise ValueError(f"{func}: measure must be 'value' or 'rank', got {measure!r}")
    frame, b = _select(data, func=func, index=index, component=component, boundaries=boundaries, years=[int(year)])
    col = "value"
    computed = False
    if measure == "rank":
        frame, computed = _ranks(frame)
        col = "rank_shown"
    frame = frame[frame[col].notna()]
    if frame.empty:
        raise ValueError(f"{func}: no {measure} for {index}/{component} in {year}")
    regions = [r for r in _region_order() if (frame["region"].isna().any() if r is None else (frame["region"] == r).any())]
    focus = [_resolve(p, b, func) for p in _as_list(highlight)]
    ax = _new_axes(ax, aspect=0.8)
    groups = [frame[frame["region"].isna()] if r is None else frame[frame["region"] == r] for r in regions]
    box = ax.boxplot([g[col].to_numpy() for g in groups], positions=range(len(regions)), orientation="horizontal", widths=0.55,
                     patch_artist=True, showfliers=False, manage_ticks=False,
                     boxprops=dict(facecolor="#F0F0F0", edgecolor="#7F7F7F", linewidth=0.8),
                     medianprops=dict(color="#262626", linewidth=1.2), whiskerprops=dict(color="#7F7F7F", linewidth=0.8),
                     capprops=dict(color="#7F7F7F", linewidth=0.8))
    for patch in box["boxes"]:
        patch.set_gid("box")
    golden = (math.sqrt(5) - 1) / 2
    xs, ys = [], []
    for pos, g in enumerate(groups):
        vals = g.sort_values([col, "province_code"])[col].to_numpy()
        for k, v in enumerate(vals):
            xs.append(v)
            ys.append(pos + ((k * golden) % 1 - 0.5) * 0.32)
    dots = ax.scatter(xs, ys, s=9, color="#7F7F7F", alpha=0.75, linewidths=0, zorder=3)
    dots.set_gid("context")
    med = ax.axvline(frame[col].median(), color=S.MEDIAN, linestyle="--", linewidth=0.8, zorder=1, label=L.text("national_median", lang))
    med.set_gid("national-median")
    for i, unit in enumerate(focus):
        mine = frame[frame["province_code"] == unit.code]
        if mine.empty:
            raise ValueError(f"{func}: {unit.name} has no {index}/{component} {measure} in {year}")
        pos = regions.index(unit.region if unit.region in regions else None)
        colour = S.HIGHLIGHTS[i % len(S.HIGHLIGHTS)]
        v = float(mine[col].iloc[0])
        name = L.province_label(unit.code, lang, boundaries=b)
        h = ax.scatter([v], [pos], s=40, color=colour, edgecolors="white", linewidths=0.7, zorder=5, label=name)
        h.set_gid("highlight")
        t = ax.annotate(name, xy=(v, pos), xytext=(0, 6), textcoords="offset points", ha="center", va="bottom", fontsize="small",
                        fontweight="bold", color=colour)
        t.set_gid("highlight-label")
    ax.set_yticks(range(len(regions)), [L.wrap(L.region_label(r, lang), 20) for r in regions])
    ax.set_ylim(len(regions) - 0.5, -0.6)
    ax.yaxis.grid(False)
    ax.xaxis.grid(True, color="#EEEEEE", linewidth=0.5)
    ax.tick_params(axis="y", length=0)
    if measure == "rank":
        n = max(_n_units(b), int(frame[col].max()))
        ax.set_xlim(n + 1, 0)
        _rank_axis(ax.xaxis, n)
        ax.set_xlabel(L.text("rank_axis", lang))
    else:
        ax.xaxis.set_major_formatter(_decimal_formatter(lang))
        ax.set_xlabel(L.value_axis_label(_unit_of(frame), lang, index=str(index).lower(), component=component))
    series = L.series_label(index, component, lang)
    _title(ax, title, L.text("title_region", lang, series=series, year=year))
    _legend_below(ax, ncol=3)
    alt = L.text("alt_region", lang, series=series, year=year, n=len(regions))
    notes = _index_notes(index, component, lang, ranks_computed=computed)
    _finish(ax, rows=frame, caption=caption, sources=sources, lang=lang, notes=notes, alt=alt)
    return ax
