"""Maps of the provinces: choropleths for the 63 legacy provinces and the 34 units of 2025.

==========================  ==============================================================
function                    draws
==========================  ==============================================================
plot_map                    one index in one year, by province (score or rank)
plot_map_grid               the same over several years, one shared colour scale
plot_target_map             which provinces meet one plan target's bar in a year
provinces_meeting_target    the table behind ``plot_target_map`` (no drawing)
==========================  ==============================================================

Every map

* joins the figures to the polygons on GSO codes, never on names, and only within one
  boundary set: legacy figures on the 63-province layer, 2025 figures on the 34-unit
  layer (:func:`cchc_analysis.geo.join_codes` refuses a mismatch);
* colours provinces on a colour-blind-safe sequential scale (viridis; **darker =
  better**: a higher score or a better rank), continuous with a colour bar or in classes
  with labelled bins (``classes=``);
* hatches provinces without a figure and names them in the legend "không có số liệu
  công bố" / "no published figure" -- a partial table (PAR Index, SIPAS) is never drawn
  as low;
* outlines the ``highlight`` province(s) in :data:`~cchc_analysis.style.HIGHLIGHT`;
* draws the Hoàng Sa and Trường Sa archipelagos in labelled, framed insets ("QĐ. Hoàng
  Sa (TP. Đà Nẵng)", "QĐ. Trường Sa (tỉnh Khánh Hòa)"), coloured as the province they
  belong to;
* carries a caption with the data source (:func:`cchc_analysis.style.source_caption`),
  the boundary set and the attribution the boundary licence (CC BY-SA 4.0) requires.

Drawing stack: plain matplotlib ``PathPatch`` objects built from the bundled GeoJSON
(no geopandas, shapely or pyproj at run time; see README "Maps").  Coordinates are
longitude/latitude drawn with the aspect ``1 / cos(16°)`` (Vietnam's middle latitude),
as geopandas does for geographic data.  The geometry is read on the first map drawn.

Drawn elements carry gids: ``"province-<code>"`` (fill), ``"borders"``,
``"highlight-<code>"``, ``"archipelago-hoang_sa"`` / ``"archipelago-truong_sa"`` (inset
Axes, with a patch ``"archipelago-parts-<key>"`` and a text ``"archipelago-label-<key>"``),
``"map-legend"``, ``"map-colorbar"`` (colour bar Axes).

Examples
--------
>>> import cchc_analysis as cchc
>>> ax = cchc.plot_map(cchc.load_indicators("pci"), index="pci", year=2019,
...                    highlight="Quảng Nam", lang="en")            # doctest: +SKIP
>>> cchc.save_figure(ax, "pci_2019_map")                          # doctest: +SKIP
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from . import geo
from . import labels as L
from . import style as S

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "plot_map",
    "plot_map_grid",
    "plot_target_map",
    "provinces_meeting_target",
    "MISSING_FACE",
    "MISSING_HATCH",
    "MISSING_HATCH_COLOUR",
    "DEFAULT_CMAP",
]

#: Colour map from worst to best (light to dark).
DEFAULT_CMAP = "viridis_r"
#: Provinces without a figure: white, hatched in grey.
MISSING_FACE = "#FFFFFF"
MISSING_HATCH = "//////"
MISSING_HATCH_COLOUR = "#8C8C8C"
BORDER_COLOUR = "#FFFFFF"
OUTLINE_COLOUR = "#737373"
FRAME_COLOUR = "#4D4D4D"

_LAT0 = 16.0  # aspect 1 / cos(16°): Vietnam's middle latitude
_ASPECT = 1.0 / math.cos(math.radians(_LAT0))
# main map extent (lon, lat): the mainland and coastal islands, and the sea east of it for the insets
_EXTENT = (102.0, 113.7, 8.3, 23.5)
# inset boxes in the main map's coordinates (west, south, width, height), in the empty sea east of the
# coast; Hoàng Sa sits near its true place, Trường Sa (6.9-12.1 N, to 117 E) is scaled down
_INSETS = {"hoang_sa": (110.1, 15.3, 3.5, 2.55), "truong_sa": (109.8, 8.35, 3.9, 2.6)}
# the key (colour bar, legend) sits in the empty west of the south (Laos and Cambodia are not drawn)
_KEY_BOX = (102.0, 11.6, 4.2, 5.9)  # west, south, width, height in degrees


# ---------------------------------------------------------------------------------------
# geometry as matplotlib paths (built once per process)


def _compound_path(parts: Iterable[Sequence[np.ndarray]]):
    from matplotlib.path import Path

    verts, codes = [], []
    for part in parts:
        for ring in part:
            c = np.full(len(ring), Path.LINETO, dtype=Path.code_type)
            c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
            verts.append(ring)
            codes.append(c)
    return Path(np.concatenate(verts), np.concatenate(codes))


@lru_cache(maxsize=None)
def _paths(boundaries: str) -> dict[str, Any]:
    """code -> Path of the province without its archipelago parts."""
    return {code: _compound_path(shape.parts) for code, shape in geo.province_shapes(boundaries).items()}


@lru_cache(maxsize=None)
def _archipelago_paths() -> dict[str, Any]:
    return {a.key: _compound_path(a.parts) for a in geo.archipelagos()}


# ---------------------------------------------------------------------------------------
# the colour scale


@dataclass
class _Scale:
    """How figures become colours: continuous (``edges`` None) or classed."""

    measure: str  # "value" or "rank"
    cmap: Any  # worst -> best
    vmin: float
    vmax: float
    edges: list[float] | None
    decimals: int
    n_ranked: int | None = None

    def norm(self):
        from matplotlib.colors import Normalize

        return Normalize(self.vmin, self.vmax)

    def _position(self, v: float) -> float:
        """0 (worst) .. 1 (best) along the colour map."""
        if self.edges is not None:
            i = self.class_of(v)
            k = len(self.edges) - 1
            t = (i + 0.5) / k
            return 1.0 - t if self.measure == "rank" else t
        t = float(self.norm()(v)) if self.vmax > self.vmin else 0.5
        return 1.0 - t if self.measure == "rank" else t

    def colour(self, v: float) -> tuple[float, float, float, float]:
        return tuple(float(c) for c in self.cmap(self._position(v)))  # type: ignore[return-value]

    def class_of(self, v: float) -> int:
        assert self.edges is not None
        k = len(self.edges) - 1
        if v == self.edges[-1]:
            return k - 1  # the last class includes its upper edge
        return int(np.searchsorted(self.edges, v, side="right") - 1)

    def class_labels(self, lang: str) -> list[str]:
        assert self.edges is not None
        out = []
        for lo, hi in zip(self.edges[:-1], self.edges[1:]):
            if self.measure == "rank":
                a, b = int(lo), int(hi) - 1
                out.append(str(a) if a == b else f"{a}–{b}")
            else:
                out.append(f"{L.format_number(lo, lang, decimals=self.decimals)}–{L.format_number(hi, lang, decimals=self.decimals)}")
        return out

    def mappable(self):
        from matplotlib.cm import ScalarMappable

        cmap = self.cmap.reversed() if self.measure == "rank" else self.cmap
        return ScalarMappable(norm=self.norm(), cmap=cmap)


def _decimals_of(values: Iterable[float], cap: int = 4) -> int:
    """Fewest decimals (up to ``cap``) that print every value exactly."""
    for d in range(cap + 1):
        if all(abs(v * 10**d - round(v * 10**d)) < 1e-6 for v in values):
            return d
    return cap


def _value_decimals(unit: str | None) -> int:
    return 4 if unit == "index_0_1" else 2


def _make_scale(
    values: Sequence[float],
    *,
    measure: str,
    classes: Any,
    cmap: Any,
    n_ranked: int | None,
    vmin: float | None,
    vmax: float | None,
    func: str,
) -> _Scale:
    from matplotlib import colormaps
    from matplotlib.colors import Colormap
    from matplotlib.ticker import MaxNLocator

    if cmap is None:
        cmap = DEFAULT_CMAP
    if isinstance(cmap, str):
        try:
            cm = colormaps[cmap]
        except KeyError:
            raise ValueError(f"{func}: unknown colour map {cmap!r}; use a sequential map such as 'viridis_r' (default), 'cividis_r' or 'Blues'") from None
    elif isinstance(cmap, Colormap):
        cm = cmap
    else:
        raise TypeError(f"{func}: cmap must be a colour map name or a matplotlib Colormap, got {type(cmap).__name__}")
    vals = [float(v) for v in values if v == v]
    if measure == "rank":
        lo, hi = 1.0, float(n_ranked or (max(vals) if vals else 1))
    else:
        lo = float(vmin) if vmin is not None else (min(vals) if vals else 0.0)
        hi = float(vmax) if vmax is not None else (max(vals) if vals else 1.0)
    edges: list[float] | None = None
    if classes is not None and classes is not False:
        if isinstance(classes, bool) or (isinstance(classes, (int, np.integer)) and classes < 2):
            raise ValueError(f"{func}: classes must be None (continuous), a number of classes >= 2 or a list of class edges, got {classes!r}")
        if isinstance(classes, (int, np.integer)):
            k = int(classes)
            if measure == "rank":
                n = int(hi)
                size = math.ceil(n / k)  # equal groups of ranks, the last one smaller
                edges = [float(e) for e in range(1, n + 1, size)] + [float(n + 1)]
            else:
                ticks = MaxNLocator(nbins=k, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
                ticks = [float(t) for t in ticks]
                while len(ticks) > 2 and ticks[1] <= lo:
                    ticks.pop(0)
                while len(ticks) > 2 and ticks[-2] >= hi:
                    ticks.pop()
                edges = ticks
        else:
            try:
                edges = sorted(float(e) for e in classes)
            except (TypeError, ValueError):
                raise TypeError(f"{func}: classes must be None, an int or a list of numbers (class edges), got {classes!r}") from None
            if len(edges) < 3 or len(set(edges)) != len(edges):
                raise ValueError(f"{func}: classes needs at least 3 distinct edges (2 classes), got {classes!r}")
            if measure == "rank":
                edges = [float(int(e)) for e in edges]
            outside = [v for v in vals if v < edges[0] or v > edges[-1]]
            if outside:
                raise ValueError(
                    f"{func}: {len(outside)} figure(s) lie outside the classes {edges[0]:g}..{edges[-1]:g} "
                    f"(from {min(vals):g} to {max(vals):g}); widen the first or last edge"
                )
    if measure == "rank":
        decimals = 0
    elif edges is not None:
        decimals = _decimals_of(edges)
    else:
        decimals = 2
    return _Scale(measure=measure, cmap=cm, vmin=lo, vmax=hi, edges=edges, decimals=decimals, n_ranked=n_ranked)


# ---------------------------------------------------------------------------------------
# selecting and checking the figures


@dataclass
class _MapData:
    frame: pd.DataFrame  # the rows with a figure shown (province_code, value, rank, source_id, ...)
    shown: dict[str, float]  # code -> figure shown (NaN: no figure)
    boundaries: str
    computed: bool  # ranks computed from scores
    n_ranked: int | None
    unit: str | None


def _map_data(data: pd.DataFrame, *, func: str, index: str, year: int, component: str, measure: str, boundaries: str | None, min_coverage: float) -> _MapData:
    from . import plots as P

    if measure not in ("value", "rank"):
        raise ValueError(f"{func}: measure must be 'value' or 'rank', got {measure!r}")
    if boundaries is not None and boundaries not in ("legacy", "2025"):
        raise ValueError(f"{func}: boundaries must be 'legacy' (63 provinces), '2025' (34 units) or None, got {boundaries!r}")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise TypeError(f"{func}: year must be one year (an int such as 2019), got {year!r}") from None
    frame, b = P._select(data, func=func, index=index, component=component, boundaries=boundaries, years=year)
    if measure == "rank":
        frame, computed = P._ranks(frame, min_coverage=min_coverage)
        col = "rank_shown"
    else:
        computed, col = False, "value"
    frame = geo.join_codes(frame, boundaries=b, func=func)
    shown = dict(zip(frame["province_code"], frame[col].astype(float)))
    n_ranked = None
    if measure == "rank":
        # published ranks are out of every unit (a partial press table still ranks 63);
        # ranks computed from scores are out of the provinces that have a score
        ranks = [v for v in shown.values() if v == v]
        n_ranked = len(ranks) if computed else max(P._n_units(b), int(max(ranks)) if ranks else 0)
    drawn = frame[frame[col].notna()]  # the rows behind a coloured province: the caption cites these
    return _MapData(frame=drawn, shown=shown, boundaries=b, computed=computed, n_ranked=n_ranked, unit=P._unit_of(frame))


def _highlight_codes(highlight: Any, boundaries: str, func: str) -> list[str]:
    from . import plots as P

    return list(dict.fromkeys(P._resolve(h, boundaries, func).code for h in P._as_list(highlight)))


# ---------------------------------------------------------------------------------------
# drawing


def _new_map_axes(ax, *, width: str | float = "single"):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    w = S.figure_size(width)[0]
    _fig, new = plt.subplots(figsize=(w, w * 1.47), layout="constrained")
    return new


def _setup(ax) -> None:
    """Extent and aspect.  The aspect is kept by widening the data limits ("datalim"), not
    by shrinking the Axes: a box-adjusted Axes moves by rounding errors on every layout,
    which would make two saves of one map differ.  Everything placed on the map (insets,
    key) is therefore positioned in longitude/latitude."""
    x0, x1, y0, y1 = _EXTENT
    ax.margins(0)
    ax.update_datalim([(x0, y0), (x1, y1)])  # autoscaling then shows exactly the extent (the shapes lie inside)
    ax.autoscale_view()
    ax.set_aspect(_ASPECT, adjustable="datalim")
    ax.set_axis_off()
    # "datalim" widens the limits it finds, so every layout pass (constrained layout draws
    # several times) would widen them further: start each pass from the extent again.
    if not getattr(ax, "_cchc_map", False):
        apply_aspect = ax.apply_aspect

        def _apply_aspect(position=None):
            ax.set_xbound(x0, x1)
            ax.set_ybound(y0, y1)
            apply_aspect(position)

        ax.apply_aspect = _apply_aspect  # type: ignore[method-assign]
        ax._cchc_map = True  # type: ignore[attr-defined]


def _draw_provinces(ax, *, boundaries: str, colours: Mapping[str, Any], highlight: Sequence[str], highlight_colour: str, fontsize: float) -> None:
    """Fill every province of the layer (``colours[code]`` None: hatched as missing),
    draw the borders, the highlight outlines and the two archipelago insets."""
    from matplotlib.patches import PathPatch

    paths = _paths(boundaries)
    for code, path in paths.items():
        colour = colours.get(code)
        if colour is None:
            patch = _thin_hatch(PathPatch(path, facecolor=MISSING_FACE, edgecolor=MISSING_HATCH_COLOUR, hatch=MISSING_HATCH, linewidth=0, zorder=1))
        else:
            patch = PathPatch(path, facecolor=colour, edgecolor="none", linewidth=0, zorder=1)
        patch.set_gid(f"province-{code}")
        ax.add_patch(patch)
    from matplotlib.path import Path

    everything = Path.make_compound_path(*paths.values())
    borders = PathPatch(everything, facecolor="none", edgecolor=BORDER_COLOUR, linewidth=0.3, zorder=2)
    borders.set_gid("borders")
    ax.add_patch(borders)
    # missing provinces get a grey outline, or their coasts would vanish on the white page
    missing = [paths[c] for c in paths if colours.get(c) is None]
    if missing:
        outline = PathPatch(Path.make_compound_path(*missing), facecolor="none", edgecolor=OUTLINE_COLOUR, linewidth=0.25, zorder=2)
        outline.set_gid("missing-outline")
        ax.add_patch(outline)
    for code in highlight:
        line = PathPatch(paths[code], facecolor="none", edgecolor=highlight_colour, linewidth=1.3, zorder=4, joinstyle="round")
        line.set_gid(f"highlight-{code}")
        ax.add_patch(line)
    _draw_insets(ax, colours=colours, highlight=highlight, highlight_colour=highlight_colour, fontsize=fontsize)


def _draw_insets(ax, *, colours: Mapping[str, Any], highlight: Sequence[str], highlight_colour: str, fontsize: float) -> None:
    from matplotlib.patches import PathPatch

    lang = getattr(ax, "_cchc_lang", "vi")
    paths = _archipelago_paths()
    for arch in geo.archipelagos():
        x, y, w, h = _INSETS[arch.key]
        inset = ax.inset_axes((x, y, w, h), transform=ax.transData)
        inset.set_gid(f"archipelago-{arch.key}")
        west, south, east, north = arch.bounds
        pad = 0.25
        inset.set_xlim(west - pad, east + pad)
        inset.set_ylim(south - pad, north + pad)
        inset.set_aspect(1.0 / math.cos(math.radians((south + north) / 2)), adjustable="box")
        inset.set_xticks([])
        inset.set_yticks([])
        inset.patch.set_alpha(0)
        for spine in inset.spines.values():
            spine.set_visible(True)
            spine.set_linestyle((0, (3, 2)))
            spine.set_linewidth(0.6)
            spine.set_edgecolor(FRAME_COLOUR)
        colour = colours.get(arch.parent_code)
        edge = highlight_colour if arch.parent_code in highlight else "#404040"
        if colour is None:
            patch = _thin_hatch(PathPatch(paths[arch.key], facecolor=MISSING_FACE, edgecolor=edge, hatch=MISSING_HATCH, linewidth=0.3, zorder=1))
        else:
            patch = PathPatch(paths[arch.key], facecolor=colour, edgecolor=edge, linewidth=0.3, zorder=1)
        patch.set_gid(f"archipelago-parts-{arch.key}")
        inset.add_patch(patch)
        label = inset.text(0.5, 1.03, L.text(arch.key, lang), transform=inset.transAxes, ha="center", va="bottom",
                           fontsize=fontsize, color="#262626", linespacing=1.1)
        label.set_gid(f"archipelago-label-{arch.key}")


def _thin_hatch(patch):
    """Hatch lines at 0.5 pt (matplotlib >= 3.10 stores this per patch; older versions use rcParams)."""
    if hasattr(patch, "set_hatch_linewidth"):
        patch.set_hatch_linewidth(0.5)
    return patch


def _counted(label: str, n: int, lang: str) -> str:
    """"không có số liệu công bố: 49 tỉnh" / "no published figure: 49 provinces"."""
    return L.text("map_count_one" if n == 1 else "map_count", lang, label=label, n=n)


def _missing_handle(label: str):
    from matplotlib.patches import Patch

    return _thin_hatch(Patch(facecolor=MISSING_FACE, edgecolor=MISSING_HATCH_COLOUR, hatch=MISSING_HATCH, linewidth=0.4, label=label))


def _highlight_handle(label: str, colour: str):
    from matplotlib.patches import Patch

    return Patch(facecolor="none", edgecolor=colour, linewidth=1.3, label=label)


def _key_width_pt(ax, degrees: float) -> float:
    """Width in points of ``degrees`` of longitude on the map (before layout: an estimate)."""
    fig = ax.get_figure()
    x0, x1, y0, y1 = _EXTENT
    fraction = degrees / (x1 - x0)
    return max(40.0, fraction * fig.get_figwidth() * 72 * ax.get_position().width)


def _colorbar_ticks(axis, scale: _Scale, lang: str) -> None:
    """Ranks: 1, then every 10th (20th above 40 units), then the last; scores: about 5 round
    ticks with the decimal mark of ``lang``."""
    from matplotlib.ticker import FixedLocator, MaxNLocator

    from . import plots as P

    if scale.measure == "rank":
        n = int(scale.vmax)
        step = 10 if n <= 40 else 20
        ticks = [1] + [t for t in range(step, n, step) if n - t >= step / 2] + [n]
        axis.set_major_locator(FixedLocator(ticks))
    else:
        axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        axis.set_major_formatter(P._decimal_formatter(lang))


def _draw_key(ax, *, scale: _Scale | None, handles: list, lang: str, unit: str | None, fontsize: float, box=_KEY_BOX, cbar_title: str | None = None):
    """Colour bar or class legend, then the missing/highlight entries, in ``box`` (degrees)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Patch

    from . import plots as P

    x, y, w, h = box
    prop = FontProperties(size=fontsize)
    room = _key_width_pt(ax, w) - 2.2 * fontsize
    title = cbar_title or (L.text("map_rank_scale", lang, n=scale.n_ranked) if scale and scale.measure == "rank" else L.value_axis_label(unit, lang))
    legend_kw = dict(frameon=False, fontsize=fontsize, title_fontproperties={"size": fontsize, "weight": "bold"}, handlelength=1.4, handleheight=1.0,
                     borderaxespad=0, borderpad=0, labelspacing=0.35, handletextpad=0.5, alignment="left")
    entries = list(handles)
    if scale is not None and scale.edges is not None:
        labels = scale.class_labels(lang)
        class_handles = [Patch(facecolor=scale.colour((lo + hi) / 2 if scale.measure == "value" else lo), edgecolor="none", label=lab)
                         for lo, hi, lab in zip(scale.edges[:-1], scale.edges[1:], labels)]
        if scale.measure == "value":
            class_handles = class_handles[::-1]  # best (highest) first, as the colour bar
        entries = class_handles + entries
    if scale is not None and scale.edges is None:
        cax = ax.inset_axes((x + 0.1, y + 0.45 * h, 0.5, 0.42 * h), transform=ax.transData)
        cax.set_gid("map-colorbar")
        fig = ax.get_figure()
        cbar = fig.colorbar(scale.mappable(), cax=cax)
        cbar.outline.set_linewidth(0.4)
        cax.tick_params(labelsize=fontsize, width=0.5, length=2)
        _colorbar_ticks(cax.yaxis, scale, lang)
        if scale.measure == "rank":
            cax.invert_yaxis()  # rank 1 (best, darkest) at the top
        cax.set_title(P._wrap_points(title, prop, room) if "\n" not in title else title, fontsize=fontsize, loc="left", pad=3)
        if entries:
            for e in entries:
                e.set_label(P._wrap_points(e.get_label(), prop, room))
            leg = ax.legend(handles=entries, loc="upper left", bbox_to_anchor=(x, y + 0.36 * h), bbox_transform=ax.transData, **legend_kw)
            leg.set_gid("map-legend")
        return
    for e in entries:
        e.set_label(P._wrap_points(e.get_label(), prop, room))
    if not entries:
        return
    leg = ax.legend(handles=entries, loc="center left", bbox_to_anchor=(x, y + h / 2), bbox_transform=ax.transData,
                    title=title if scale is not None else cbar_title, **legend_kw)
    leg.set_gid("map-legend")


def _caption_lines(rows: pd.DataFrame | None, *, caption: Any, sources, lang: str, boundaries: str, notes: Sequence[str] = ()) -> str:
    """Source line (or the caller's text), notes, then the boundary set and attribution (always)."""
    parts: list[str] = []
    if caption is True:
        if rows is not None and "source_id" in rows.columns:
            parts.append(S.source_caption(rows, lang=lang, sources=sources))
    elif isinstance(caption, str):
        parts.append(caption)
    elif caption not in (False, None):
        raise TypeError(f"caption must be True, False or a string, got {type(caption).__name__}")
    parts += list(notes)
    # the licence of the boundaries requires the attribution on every map, even without a source line
    parts.append(L.text(f"map_units_{boundaries}", lang) + " " + geo.attribution(boundaries, lang))
    return "\n".join(p for p in parts if p)


def _fmt_figure(v: float, scale: _Scale, unit: str | None, lang: str) -> str:
    if scale.measure == "rank":
        return L.text("rank_of", lang, rank=int(v), n=scale.n_ranked)
    return L.format_number(v, lang, decimals=_value_decimals(unit))


def _set_title(ax, title: str | None, default: str) -> None:
    """The title (None: ``default``; "": none), wrapped to the figure's width."""
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    from . import plots as P

    text = default if title is None else title
    if not text:
        return
    prop = FontProperties(size=mpl.rcParams["axes.titlesize"], weight="bold")
    # the title starts at the axes' left edge (loc="left"): wrap to the room from there to the figure's edge
    left = max(0.0, min(ax.get_position().x0, 0.5))
    width = (0.97 - left) * ax.get_figure().get_figwidth() * 72
    ax.set_title(P._wrap_points(L.nfc(text), prop, width), loc="left")


def _label_sizes() -> tuple[float, float]:
    import matplotlib as mpl

    base = float(mpl.rcParams["font.size"])
    return 0.8 * base, 0.72 * base  # key, inset labels


# ---------------------------------------------------------------------------------------
# plot_map


def plot_map(
    data: pd.DataFrame,
    *,
    index: str,
    year: int,
    component: str = "overall",
    measure: str = "value",
    boundaries: str | None = None,
    highlight: Any = None,
    ax: "Axes | None" = None,
    lang: str = "vi",
    classes: int | Sequence[float] | None = None,
    cmap: Any = None,
    vmin: float | None = None,
    vmax: float | None = None,
    legend: bool = True,
    min_coverage: float = 0.9,
    caption: bool | str = True,
    sources: pd.DataFrame | None = None,
    title: str | None = None,
) -> "Axes":
    """A choropleth of one index in one year, by province.

    Parameters
    ----------
    data : tidy indicator table (``load_indicators()``).
    index, component : the series ("pci", "overall").
    year : the assessment year.
    measure : "value" (score) or "rank" (the published rank; for an index that publishes
        none, such as PAPI, ranks computed from the scores when at least
        ``min_coverage`` of the units have one -- said in the caption).
    boundaries : "legacy" (the 63 provinces, GSO codes before 1 July 2025) or "2025"
        (the 34 units); None: the set present in ``data``, "legacy" when both are.  Rows
        of the other set are never drawn: legacy codes go on the 63 layer only.
    highlight : province(s) to outline (name in any spelling or GSO code of the chosen
        set); the legend names each with its figure.
    ax : Axes to draw on; None makes a figure 8.5 cm wide.
    lang : "vi" or "en".
    classes : None for a continuous scale with a colour bar; an int for about that many
        classes with round edges (ranks: equal groups, "1–16", "17–32", ...); or a list
        of edges (a figure equal to an inner edge goes to the upper class; the last
        class includes its upper edge).
    cmap : colour map from worst to best (default "viridis_r": light yellow to dark
        purple, colour-blind safe and readable in grey).
    vmin, vmax : fix the ends of a continuous value scale (e.g. to compare maps).
    legend : draw the colour bar / class legend and the missing and highlight entries.
    caption : True: the source line from the rows' ``source_id``; a string: that text;
        False: none.  The boundary set and the licence attribution of the boundaries
        are always added.
    sources, title : the sources table for the caption (None: bundled); the title
        (None: "PCI 2019"; "" for none).

    Returns
    -------
    Axes
        Province fills are ``PathPatch`` objects with gid ``"province-<code>"``
        (missing ones hatched); see the module docstring for the other gids.  The
        archipelago insets are ``ax.child_axes``.

    Raises
    ------
    cchc_analysis.geo.BoundaryMismatchError
        when a code has no polygon in the chosen layer (e.g. Hà Tây, 28) or a row's
        name contradicts its code (legacy data on 2025 boundaries or the reverse).
    ValueError
        for an unknown index, component or year (the message lists what exists).

    Examples
    --------
    >>> ax = plot_map(load_indicators("dti"), index="dti", year=2024, boundaries="2025",
    ...               highlight="Đà Nẵng", lang="en")                  # doctest: +SKIP
    """
    func = "plot_map"
    L.check_lang(lang)
    md = _map_data(data, func=func, index=index, year=year, component=component, measure=measure, boundaries=boundaries, min_coverage=min_coverage)
    scale = _make_scale(list(md.shown.values()), measure=measure, classes=classes, cmap=cmap, n_ranked=md.n_ranked, vmin=vmin, vmax=vmax, func=func)
    focus = _highlight_codes(highlight, md.boundaries, func)
    ax = _new_map_axes(ax)
    _draw_map(ax, md=md, scale=scale, focus=focus, lang=lang, legend=legend)
    series = L.series_label(index, component, lang)
    default_title = L.text("map_title_rank" if measure == "rank" else "map_title", lang, series=series, year=int(year))
    _set_title(ax, title, default_title)
    notes = [L.text("ranks_from_scores", lang)] if md.computed else []
    S.add_caption(ax, _caption_lines(md.frame, caption=caption, sources=sources, lang=lang, boundaries=md.boundaries, notes=notes))
    S.set_alt_text(ax, _alt_text(md, scale, series=series, year=int(year), lang=lang))
    return ax


def _draw_map(ax, *, md: _MapData, scale: _Scale, focus: Sequence[str], lang: str, legend: bool) -> None:
    key_size, inset_size = _label_sizes()
    ax._cchc_lang = lang  # type: ignore[attr-defined]
    _setup(ax)
    colours = {code: (scale.colour(v) if v == v else None) for code, v in md.shown.items()}
    _draw_provinces(ax, boundaries=md.boundaries, colours=colours, highlight=focus, highlight_colour=S.HIGHLIGHT, fontsize=inset_size)
    if legend:
        n_missing = sum(1 for c in geo.province_shapes(md.boundaries) if colours.get(c) is None)
        handles = []
        if n_missing:
            handles.append(_missing_handle(_counted(L.text("no_published_figure", lang), n_missing, lang)))
        for code in focus:
            v = md.shown.get(code, math.nan)
            name = L.province_label(code, lang, boundaries=md.boundaries)
            figure = _fmt_figure(v, scale, md.unit, lang) if v == v else L.text("no_published_figure", lang)
            handles.append(_highlight_handle(f"{name}: {figure}", S.HIGHLIGHT))
        _draw_key(ax, scale=scale, handles=handles, lang=lang, unit=md.unit, fontsize=key_size)


def _alt_text(md: _MapData, scale: _Scale, *, series: str, year: int, lang: str) -> str:
    n = len(geo.province_shapes(md.boundaries))
    have = {c: v for c, v in md.shown.items() if v == v}
    missing = n - len(have)
    extremes = ""
    if len(have) >= 2:
        order = sorted(have, key=lambda c: have[c], reverse=scale.measure == "value")
        best, worst = order[0], order[-1]

        def name(c: str) -> str:
            return f"{L.province_label(c, lang, boundaries=md.boundaries)} ({_fmt_figure(have[c], scale, md.unit, lang)})"

        extremes = L.text("alt_map_extremes", lang, best=name(best), worst=name(worst))
    return L.text("alt_map", lang, series=series, year=year, n=n, missing=missing, extremes=extremes)


# ---------------------------------------------------------------------------------------
# plot_map_grid


def plot_map_grid(
    data: pd.DataFrame,
    *,
    index: str,
    years: Iterable[int] | None = None,
    component: str = "overall",
    measure: str = "value",
    boundaries: str | None = None,
    highlight: Any = None,
    ncols: int | None = None,
    lang: str = "vi",
    classes: int | Sequence[float] | None = None,
    cmap: Any = None,
    min_coverage: float = 0.9,
    caption: bool | str = True,
    sources: pd.DataFrame | None = None,
    title: str | None = None,
    width: str | float = "double",
) -> np.ndarray:
    """Small multiples: one map per year on one shared colour scale.

    Parameters
    ----------
    data, index, component, measure, boundaries, highlight, lang, classes, cmap,
    min_coverage, caption, sources : as :func:`plot_map`.
    years : the years, one panel each (at most 12); None: every year of the series in
        ``data`` when there are at most 12.
    ncols : panels per row (default: up to 4).
    title : figure title (None: "PCI, 2017–2019"; "" for none).
    width : figure width ("single", "double" or centimetres).

    Returns
    -------
    numpy.ndarray
        The map Axes, one per year in year order (panel titles are the years).  The
        shared colour bar or class legend, the missing/highlight entries and the caption
        sit in a key Axes under the panels (gid ``"map-key"``).  The scale runs from the
        lowest to the highest figure over all the years (ranks: 1 to the largest number
        of units ranked), so colours compare across panels.
    """
    import matplotlib.pyplot as plt

    func = "plot_map_grid"
    L.check_lang(lang)
    from . import plots as P

    if years is None:
        frame, _b = P._select(data, func=func, index=index, component=component, boundaries=boundaries)
        year_list = sorted(int(y) for y in frame["year"].unique())
        if len(year_list) > 12:
            raise ValueError(f"{func}: {len(year_list)} years of {index} in `data` ({year_list[0]}–{year_list[-1]}); pass years= (at most 12 panels)")
    else:
        year_list = sorted({int(y) for y in ([years] if isinstance(years, (int, np.integer)) else years)})
    if not year_list or len(year_list) > 12:
        raise ValueError(f"{func}: years must name 1 to 12 years, got {len(year_list)}")
    mds = [_map_data(data, func=func, index=index, year=y, component=component, measure=measure, boundaries=boundaries, min_coverage=min_coverage) for y in year_list]
    b = mds[0].boundaries
    sets = {md.boundaries for md in mds}
    if len(sets) > 1:
        raise ValueError(f"{func}: the years mix boundary sets {sorted(sets)}; pass boundaries='legacy' or '2025' (one map layer for all panels)")
    if measure == "rank":
        n_ranked = max(md.n_ranked or 0 for md in mds)
        for md in mds:
            md.n_ranked = n_ranked
    else:
        n_ranked = None
    all_values = [v for md in mds for v in md.shown.values()]
    scale = _make_scale(all_values, measure=measure, classes=classes, cmap=cmap, n_ranked=n_ranked, vmin=None, vmax=None, func=func)
    focus = _highlight_codes(highlight, b, func)

    n = len(year_list)
    ncols = int(ncols) if ncols else min(4, n)
    if ncols < 1:
        raise ValueError(f"{func}: ncols must be at least 1, got {ncols}")
    nrows = math.ceil(n / ncols)
    w = S.figure_size(width)[0]
    panel_h = w / ncols * 1.5
    key_h = 0.5  # inches: colour bar or class legend, then the caption under it
    fig = plt.figure(figsize=(w, nrows * panel_h + key_h + 0.3), layout="constrained")
    gs = fig.add_gridspec(nrows + 1, ncols, height_ratios=[panel_h] * nrows + [key_h])
    key_size, inset_size = _label_sizes()
    axes = []
    for i, (y, md) in enumerate(zip(year_list, mds)):
        ax = fig.add_subplot(gs[i // ncols, i % ncols])
        ax._cchc_lang = lang  # type: ignore[attr-defined]
        _setup(ax)
        colours = {code: (scale.colour(v) if v == v else None) for code, v in md.shown.items()}
        _draw_provinces(ax, boundaries=b, colours=colours, highlight=focus, highlight_colour=S.HIGHLIGHT, fontsize=inset_size * (0.8 if ncols > 2 else 1))
        ax.set_title(str(y), loc="left", fontweight="normal")
        axes.append(ax)
    key = fig.add_subplot(gs[nrows, :])
    key.set_axis_off()
    key.set_gid("map-key")
    n_units = len(geo.province_shapes(b))
    any_missing = any(not (md.shown.get(c, math.nan) == md.shown.get(c, math.nan)) for md in mds for c in geo.province_shapes(b))
    handles = []
    if any_missing:
        handles.append(_missing_handle(L.text("no_published_figure", lang)))
    for code in focus:
        handles.append(_highlight_handle(L.province_label(code, lang, boundaries=b), S.HIGHLIGHT))
    _draw_grid_key(key, scale=scale, handles=handles, lang=lang, unit=mds[0].unit, fontsize=key_size)
    series = L.series_label(index, component, lang)
    default = L.text("map_title_grid", lang, series=series, years=L.format_years(year_list))
    text = default if title is None else title
    if text:
        fig.suptitle(L.nfc(text), x=0.01, ha="left", fontweight="bold", fontsize=plt.rcParams["axes.titlesize"])
    rows = pd.concat([md.frame for md in mds], ignore_index=True)
    notes = [L.text("ranks_from_scores", lang)] if any(md.computed for md in mds) else []
    S.add_caption(key, _caption_lines(rows, caption=caption, sources=sources, lang=lang, boundaries=b, notes=notes))
    S.set_alt_text(axes[0], L.text("alt_map_grid", lang, series=series, years=L.format_years(year_list), n=n_units))
    return np.array(axes, dtype=object)


def _draw_grid_key(key, *, scale: _Scale, handles: list, lang: str, unit: str | None, fontsize: float) -> None:
    from matplotlib.patches import Patch

    from . import plots as P

    title = L.text("map_rank_scale", lang, n=scale.n_ranked).replace("\n", " ") if scale.measure == "rank" else L.value_axis_label(unit, lang)
    legend_kw = dict(frameon=False, fontsize=fontsize, title_fontproperties={"size": fontsize, "weight": "bold"}, handlelength=1.4, handleheight=1.0,
                     borderaxespad=0, borderpad=0, columnspacing=1.0, handletextpad=0.5)
    if scale.edges is None:
        cax = key.inset_axes((0.0, 0.2, 0.35, 0.3))
        cax.set_gid("map-colorbar")
        cbar = key.get_figure().colorbar(scale.mappable(), cax=cax, orientation="horizontal")
        cbar.outline.set_linewidth(0.4)
        cax.tick_params(labelsize=fontsize, width=0.5, length=2)
        _colorbar_ticks(cax.xaxis, scale, lang)
        if scale.measure == "rank":
            cax.invert_xaxis()  # rank 1 (best, darkest) on the right, as the darkest score
        cax.set_title(title, fontsize=fontsize, loc="left", pad=2)
        if handles:
            leg = key.legend(handles=handles, loc="center left", bbox_to_anchor=(0.42, 0.35), ncol=len(handles), **legend_kw)
            leg.set_gid("map-legend")
        return
    labels = scale.class_labels(lang)
    class_handles = [Patch(facecolor=scale.colour((lo + hi) / 2 if scale.measure == "value" else lo), edgecolor="none", label=lab)
                     for lo, hi, lab in zip(scale.edges[:-1], scale.edges[1:], labels)]
    entries = class_handles + handles
    leg = key.legend(handles=entries, loc="upper left", bbox_to_anchor=(0.0, 1.0), ncol=min(len(entries), 5), title=title,
                     alignment="left", **legend_kw)
    leg.set_gid("map-legend")


# ---------------------------------------------------------------------------------------
# targets


_TARGET_FIELDS = ("comparator", "metric_index", "metric_component", "metric_field", "unit", "deadline", "province_code")


def _target_row(target: Any, func: str) -> dict:
    if isinstance(target, pd.DataFrame):
        if len(target) != 1:
            raise ValueError(f"{func}: `target` must be one target (a row of assess_targets() or load_targets()); got a table of {len(target)} rows -- pick one, e.g. gaps.iloc[0]")
        target = target.iloc[0]
    if isinstance(target, pd.Series):
        row = target.to_dict()
    elif isinstance(target, Mapping):
        row = dict(target)
    else:
        raise TypeError(f"{func}: `target` must be a row (Series or dict) of assess_targets() or load_targets(), got {type(target).__name__}")
    if "target_value" not in row and "value" in row:
        row["target_value"] = row["value"]
    missing = [f for f in ("target_value", *_TARGET_FIELDS) if f not in row]
    if missing:
        raise ValueError(f"{func}: `target` lacks {missing}; pass a row of assess_targets() or load_targets()")
    from .gaps import _blank

    if _blank(row.get("metric_index")):
        raise ValueError(f"{func}: target {row.get('target_id', '')!r} is not measured by any index (metric_index is empty): nothing to map")
    return row


def _top_n(row: Mapping) -> int | None:
    """N of a "top N" target (rank <= N), else None."""
    comparator = str(row["comparator"]).strip()
    field = str(row.get("metric_field") or "").strip().lower()
    if comparator == "top" or (field == "rank" and comparator in ("<=", "<")):
        return int(float(row["target_value"])) - (1 if comparator == "<" else 0)
    return None


def _target_phrase(row: Mapping, lang: str) -> str:
    """ "nhóm 20 đứng đầu", "≥ 85%", "a gain of 3 places or more" ..."""
    comparator = str(row["comparator"]).strip()
    value = float(row["target_value"])
    field = str(row.get("metric_field") or "").strip().lower()
    unit = row.get("unit")
    n = _top_n(row)
    if n is not None:
        return L.text("map_top", lang, n=n)
    if field == "rank_change" and comparator in (">=", ">"):
        return L.text("map_gain", lang, n=int(value) + (1 if comparator == ">" else 0))
    symbol = {">": ">", ">=": "≥", "=": "=", "<=": "≤", "<": "<"}.get(comparator, comparator)
    decimals = _decimals_of([value], cap=4)
    suffix = "%" if unit in ("%", "percent") else ""
    return f"{symbol} {L.format_number(value, lang, decimals=decimals)}{suffix}"


def provinces_meeting_target(target: Any, data: pd.DataFrame, *, year: int | None = None, min_coverage: float = 0.9) -> pd.DataFrame:
    """Which provinces meet one target's bar in a year: the target applied to every province.

    A plan's target ("PAR Index in the top 20 by 2023", "SIPAS above 85 %") is set by
    one province; this asks which provinces' published figures of that year meet the
    same bar.  Each province is assessed by :func:`cchc_analysis.assess_targets` with
    the target's comparator, value, unit, field and index, so the rules are the same
    (strict ``>``, ``top N`` on ranks with ties, the 1-point tolerance of 100 %
    targets, ranks computed from scores only for a nearly complete table).  Only the
    figure of ``year`` itself counts: a province without one is "no data" -- an older
    figure is never carried forward.

    Parameters
    ----------
    target : a row of ``assess_targets()`` or of ``load_targets()`` (Series, dict or
        one-row DataFrame) whose ``metric_index`` is set.
    data : tidy indicator table (``load_indicators()``).
    year : the year whose figures are compared (default: the target's deadline; when
        the index has no figures for it yet, its latest year).
    min_coverage : see :func:`cchc_analysis.assess_targets`.

    Returns
    -------
    DataFrame
        One row per unit of the target's boundary set, in code order: province_code,
        province, year, actual (the figure compared: a score, or a rank for rank
        targets), met (boolean; <NA> without a figure), status ("met", "not met",
        "no data"), source_id, is_target_province (the province that set the target).
    """
    func = "provinces_meeting_target"
    from . import gaps as G
    from .provinces import list_provinces

    row = _target_row(target, func)
    boundaries = G._target_boundaries(row)
    index = str(row["metric_index"]).strip().lower()
    component = G._text(row.get("metric_component")) or "overall"
    have = data[(data["index"].astype(str).str.lower() == index) & (data["component"].astype(str) == component)]
    if "boundaries" in have.columns:
        have = have[have["boundaries"].astype(str) == boundaries]
    years = sorted(int(y) for y in have["year"].unique())
    if not years:
        raise ValueError(f"{func}: `data` has no {index}/{component} figures on {boundaries!r} boundaries")
    if year is None:
        deadline = None if G._blank(row.get("deadline")) else int(row["deadline"])
        year = deadline if deadline in years else years[-1] if deadline is None or deadline > years[-1] else deadline
    year = int(year)
    if year not in years:
        raise ValueError(f"{func}: no {index}/{component} figures for {year}; years with figures: {years}")
    units = list_provinces(boundaries=boundaries)  # type: ignore[arg-type]
    own = geo._code(row["province_code"]) if not G._blank(row.get("province_code")) else None
    synthetic = pd.DataFrame(
        {
            "target_id": [f"{row.get('target_id', 'target')}@{u.code}" for u in units],
            "province_code": [u.code for u in units],
            "province": [u.name for u in units],
            "kind": "target",
            "comparator": row["comparator"],
            "value": float(row["target_value"]),
            "unit": row.get("unit"),
            "deadline": year,
            "metric_index": index,
            "metric_component": component,
            "metric_field": row.get("metric_field"),
            "boundaries": boundaries,
        }
    )
    assessed = G.assess_targets(synthetic, have, as_of=year, min_coverage=min_coverage)
    same_year = assessed["actual_year"].astype("Int64") == year
    status = np.where(same_year.fillna(False), assessed["status"], "no data")
    status = np.where(np.isin(status, ["met", "not met"]), status, "no data")
    met = pd.array([True if s == "met" else False if s == "not met" else pd.NA for s in status], dtype="boolean")
    return pd.DataFrame(
        {
            "province_code": assessed["province_code"].astype(str),
            "province": assessed["province"],
            "year": year,
            "actual": assessed["actual"].where(same_year.fillna(False).to_numpy()),
            "met": met,
            "status": status,
            "source_id": assessed["source_id"].where(same_year.fillna(False).to_numpy()),
            "is_target_province": assessed["province_code"].astype(str) == own,
        }
    )


def plot_target_map(
    target: Any,
    data: pd.DataFrame,
    *,
    year: int | None = None,
    ax: "Axes | None" = None,
    lang: str = "vi",
    highlight: bool = True,
    min_coverage: float = 0.9,
    caption: bool | str = True,
    sources: pd.DataFrame | None = None,
    title: str | None = None,
) -> "Axes":
    """Map which provinces meet one plan target's bar (see :func:`provinces_meeting_target`).

    Provinces whose figure of ``year`` meets the target are filled in the "met" colour,
    the others in the "not met" colour (:data:`~cchc_analysis.style.STATUS_COLOURS`);
    provinces without a published figure are hatched.  The province that set the
    target is outlined in black (``highlight=False``: not).

    Parameters
    ----------
    target : a row of ``assess_targets()`` or ``load_targets()`` with an index.
    data : tidy indicator table.
    year, min_coverage : see :func:`provinces_meeting_target`.
    ax, lang, caption, sources, title : as :func:`plot_map`.

    Returns
    -------
    Axes
        As :func:`plot_map`; fills in ``STATUS_COLOURS["met"]`` / ``["not met"]``.

    Examples
    --------
    >>> gaps = assess_targets(load_targets(province="Quảng Nam"), load_indicators())  # doctest: +SKIP
    >>> row = gaps[gaps["metric_index"] == "par"].iloc[0]                  # doctest: +SKIP
    >>> ax = plot_target_map(row, load_indicators(), lang="en")             # doctest: +SKIP
    """
    func = "plot_target_map"
    L.check_lang(lang)
    row = _target_row(target, func)
    table = provinces_meeting_target(row, data, year=year, min_coverage=min_coverage)
    from . import gaps as G

    boundaries = G._target_boundaries(row)
    yr = int(table["year"].iloc[0])
    colours = {c: (S.STATUS_COLOURS["met"] if s == "met" else S.STATUS_COLOURS["not met"] if s == "not met" else None)
               for c, s in zip(table["province_code"], table["status"])}
    focus = table.loc[table["is_target_province"], "province_code"].tolist() if highlight else []
    ax = _new_map_axes(ax)
    ax._cchc_lang = lang  # type: ignore[attr-defined]
    _setup(ax)
    key_size, inset_size = _label_sizes()
    _draw_provinces(ax, boundaries=boundaries, colours=colours, highlight=focus, highlight_colour="#000000", fontsize=inset_size)
    phrase = _target_phrase(row, lang)
    counts = table["status"].value_counts()
    from matplotlib.patches import Patch

    top = _top_n(row)
    meets = L.text("map_in_top", lang, n=top) if top is not None else L.text("map_meets", lang, target=phrase)
    misses = L.text("map_out_top", lang, n=top) if top is not None else L.text("map_misses", lang, target=phrase)
    handles = [
        Patch(facecolor=S.STATUS_COLOURS["met"], edgecolor="none", label=_counted(meets, int(counts.get("met", 0)), lang)),
        Patch(facecolor=S.STATUS_COLOURS["not met"], edgecolor="none", label=_counted(misses, int(counts.get("not met", 0)), lang)),
    ]
    if counts.get("no data", 0):
        handles.append(_missing_handle(_counted(L.text("no_published_figure", lang), int(counts["no data"]), lang)))
    province = L.province_label(geo._code(row["province_code"]), lang, boundaries=boundaries) if not G._blank(row.get("province_code")) else "?"
    if focus:
        handles.append(_highlight_handle(province, "#000000"))
    _draw_key(ax, scale=None, handles=handles, lang=lang, unit=None, fontsize=key_size)
    series = L.series_label(str(row["metric_index"]).lower(), G._text(row.get("metric_component")) or "overall", lang)
    default = (L.text("map_title_target_top", lang, series=series, year=yr, n=top, province=province) if top is not None
               else L.text("map_title_target", lang, series=series, year=yr, target=phrase, province=province))
    _set_title(ax, title, default)
    S.add_caption(ax, _caption_lines(table, caption=caption, sources=sources, lang=lang, boundaries=boundaries))
    S.set_alt_text(ax, L.text("alt_map_target", lang, series=series, year=yr, target=phrase, province=province,
                              met=int(counts.get("met", 0)), not_met=int(counts.get("not met", 0)), missing=int(counts.get("no data", 0))))
    return ax
