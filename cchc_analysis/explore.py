"""Explore the indices in JupyterLab: pick, see the chart and the table, download, reproduce.

``cchc.explore()`` shows pickers for the index, its component, the measure (score, rank or
percentile), the years, the set of units (the 63 provinces before 1 July 2025 or the 34
after) and the provinces (type-ahead with every spelling the registry knows), and under
them the chart, the table, a link that downloads the selection as CSV with its source ids
and the one-line calls that reproduce the chart and the table outside the explorer.

The charts are the plain ``plot_*`` functions of :mod:`cchc_analysis.plots`: each
:class:`View` names one and says when it applies.  A new view (a map, say) is added by
passing its plot function: ``explore(views={"map": plot_map})`` calls
``plot_map(data, index=..., year=..., ...)`` with the keywords its signature accepts.

The selection logic is plain functions (:func:`selection_table`, :func:`chart_call`,
:func:`draw`) that need no widgets, so everything the explorer shows can be had in a
script; ipywidgets is imported only when the explorer is built.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["explore", "Explorer", "Selection", "View", "builtin_views", "selection_table", "chart_call", "table_call", "draw",
           "choose_view"]

MEASURES: tuple[str, ...] = ("score", "rank", "percentile")
_PLOT_MEASURE = {"score": "value", "rank": "rank", "percentile": "percentile"}

#: Explorer texts (own wording), in Vietnamese and English.
_TEXT: dict[str, dict[str, str]] = {
    "index": {"vi": "Chỉ số", "en": "Index"},
    "component": {"vi": "Thành phần", "en": "Component"},
    "overall": {"vi": "Tổng thể", "en": "Overall"},
    "measure": {"vi": "Thước đo", "en": "Measure"},
    "score": {"vi": "Điểm", "en": "Score"},
    "rank": {"vi": "Hạng", "en": "Rank"},
    "percentile": {"vi": "Phân vị", "en": "Percentile"},
    "years": {"vi": "Năm", "en": "Years"},
    "boundaries": {"vi": "Đơn vị", "en": "Units"},
    "legacy": {"vi": "63 tỉnh (đến 30/6/2025)", "en": "63 provinces (to 30 June 2025)"},
    "2025": {"vi": "34 tỉnh, thành (từ 1/7/2025)", "en": "34 units (from 1 July 2025)"},
    "provinces": {"vi": "Tỉnh, thành", "en": "Provinces"},
    "provinces_hint": {"vi": "gõ tên (có dấu, không dấu, viết tắt)…", "en": "type a name (any spelling)…"},
    "chart": {"vi": "Biểu đồ", "en": "Chart"},
    "auto": {"vi": "tự chọn", "en": "automatic"},
    "trend": {"vi": "xu hướng (một tỉnh)", "en": "trend (one province)"},
    "ranks": {"vi": "thứ hạng qua các năm", "en": "ranks over the years"},
    "heatmap": {"vi": "bản đồ nhiệt tỉnh × năm", "en": "province × year heatmap"},
    "profile": {"vi": "hồ sơ một tỉnh qua các chỉ số", "en": "one province across the indices"},
    "download": {"vi": "Tải dữ liệu đã chọn (CSV, kèm mã nguồn)", "en": "Download the selection (CSV, with source ids)"},
    "reproduce": {"vi": "Vẽ lại bằng một lệnh:", "en": "Reproduce in one call:"},
    "no_rows": {"vi": "Không có số liệu cho lựa chọn này.", "en": "No figures for this selection."},
    "one_province": {"vi": "Chọn đúng một tỉnh để vẽ biểu đồ này.", "en": "Pick exactly one province for this chart."},
    "no_percentile_chart": {
        "vi": "Phân vị: chọn một tỉnh để xem hồ sơ của tỉnh đó qua các chỉ số.",
        "en": "Percentile: pick one province to see its profile across the indices.",
    },
    "not_for_measure": {"vi": "Biểu đồ này không vẽ thước đo đã chọn.", "en": "This chart does not draw the chosen measure."},
    "dropped": {"vi": "Không có trong bộ 34 đơn vị mới, đã bỏ: {names}.", "en": "Not among the 34 new units, dropped: {names}."},
    "merged": {"vi": "Đổi sang đơn vị mới: {names}.", "en": "Moved to the new units: {names}."},
}


def _t(key: str, lang: str, **fields: Any) -> str:
    return _TEXT[key][lang].format(**fields)


# --------------------------------------------------------------------------- selection


@dataclass(frozen=True)
class Selection:
    """What the explorer shows: one index/component/measure, a year range, units, provinces.

    ``provinces`` are canonical registry names (empty: every province); ``years`` is an
    inclusive ``(first, last)`` pair or None for every year; ``chart`` is a view name or
    "auto" (see :func:`choose_view`).
    """

    index: str = "pci"
    component: str = "overall"
    measure: str = "score"
    years: tuple[int, int] | None = None
    boundaries: str = "legacy"
    provinces: tuple[str, ...] = ()
    chart: str = "auto"
    lang: str = "vi"

    def __post_init__(self) -> None:
        from .labels import check_lang

        if self.measure not in MEASURES:
            raise ValueError(f"measure={self.measure!r}: use one of {list(MEASURES)}")
        if self.boundaries not in ("legacy", "2025"):
            raise ValueError(f"boundaries={self.boundaries!r}: use 'legacy' (63 provinces) or '2025' (34 units)")
        check_lang(self.lang)
        if self.years is not None and self.years[0] > self.years[1]:
            raise ValueError(f"years={self.years!r}: the first year is after the last; give (first, last)")


def _rows(data: "pd.DataFrame", sel: Selection) -> "pd.DataFrame":
    """Rows of the selected index/component/units/years, every province (context for charts)."""
    part = data[(data["index"] == sel.index) & (data["component"] == sel.component) & (data["boundaries"] == sel.boundaries)]
    if sel.years is not None:
        part = part[part["year"].between(*sel.years)]
    return part


def _codes(provinces: Sequence[str], boundaries: str) -> list[str]:
    from .provinces import resolve_province

    return [resolve_province(p, boundaries=boundaries).code for p in provinces]  # type: ignore[arg-type]


def selection_table(
    data: "pd.DataFrame | None" = None,
    *,
    index: str = "pci",
    component: str = "overall",
    measure: str = "score",
    years: tuple[int, int] | Sequence[int] | range | None = None,
    boundaries: str = "legacy",
    provinces: str | Sequence[str] = (),
    sources: "pd.DataFrame | None" = None,
) -> "pd.DataFrame":
    """The figures behind an explorer selection, one row per province and year.

    Parameters
    ----------
    data : tidy indicator table (``load_indicators()``); None loads the bundled data.
    index, component : the series.
    measure : "score", "rank" or "percentile": the rows kept are those with that figure,
        sorted by it within each year (best first).
    years : inclusive ``(first, last)``, a range or list of years (its min and max), or None.
    boundaries : "legacy" (63 provinces) or "2025" (34 units).
    provinces : names in any spelling; empty for every province.
    sources : the sources table for ``source_title``/``source_url`` (None: bundled).

    Returns
    -------
    DataFrame with columns index, component, boundaries, year, province_code, province,
    value, unit, rank (the published rank; for a year in which the publisher printed none,
    e.g. PAPI, the rank from the scores when at least 90 % of the units have one, else
    missing), rank_basis ("published" or "computed from scores"), percentile
    (share of that year's provinces with a score at or below this one, 0-100, from
    :func:`cchc_analysis.percentile_ranks`; only for years in which at least 90 % of the
    units have a score -- a percentile within a partial "top 20" table would mislead),
    n_scores (provinces with a score that year: the N a percentile is out of), source_id,
    source_title, source_url.
    """
    import pandas as pd

    from .compare import _resolve_ranks, percentile_ranks
    from .indicators import load_indicators, load_sources
    from .provinces import list_provinces

    sel = Selection(index=index, component=component, measure=measure, years=_year_pair(years), boundaries=boundaries,
                    provinces=tuple([provinces] if isinstance(provinces, str) else provinces))
    if data is None:
        data = load_indicators(sel.index, components=sel.component, boundaries=sel.boundaries)
    part = _rows(data, sel).copy()
    part["value"] = pd.to_numeric(part["value"], errors="coerce")
    scored = part[part["value"].notna()]
    n_units = len(list_provinces(boundaries=sel.boundaries))  # type: ignore[arg-type]
    n_scores = scored.groupby("year")["province_code"].nunique()
    full_years = set(n_scores[n_scores >= 0.9 * n_units].index)
    pct = percentile_ranks(scored[scored["year"].isin(full_years)]) if full_years else scored.iloc[0:0].assign(percentile=[])
    part["percentile"] = pct["percentile"].reindex(part.index)
    part["n_scores"] = part["year"].map(n_scores).fillna(0).astype(int)
    ranked = _resolve_ranks(part)  # published ranks; else ranked from the scores of a full table
    part["rank"] = ranked["rank_used"]
    part["rank_basis"] = ranked["rank_source"].map({"published": "published", "computed": "computed from scores"})
    if sel.provinces:
        codes = _codes(sel.provinces, sel.boundaries)
        part = part[part["province_code"].isin(codes)]
        order = {c: i for i, c in enumerate(codes)}
    else:
        order = {}
    col = {"score": "value", "rank": "rank", "percentile": "percentile"}[sel.measure]
    part = part[part[col].notna()]
    ascending = sel.measure == "rank"
    part = part.assign(_order=part["province_code"].map(order).fillna(0))
    part = part.sort_values(["year", "_order", col], ascending=[True, True, ascending], kind="stable")
    srcs = (sources if sources is not None else load_sources()).set_index("source_id")
    out = part.assign(
        rank=pd.to_numeric(part["rank"], errors="coerce").astype("Int64"),
        source_title=part["source_id"].map(srcs["title"]),
        source_url=part["source_id"].map(srcs["url"]),
    )
    cols = ["index", "component", "boundaries", "year", "province_code", "province", "value", "unit", "rank",
            "rank_basis", "percentile", "n_scores", "source_id", "source_title", "source_url"]
    return out[cols].reset_index(drop=True)


def _year_pair(years: Any) -> tuple[int, int] | None:
    if years is None:
        return None
    if isinstance(years, int):
        return (years, years)
    values = [int(y) for y in years]
    if not values:
        raise ValueError("years is empty; give (first, last) or None for every year")
    if isinstance(years, tuple) and len(values) == 2:
        return (values[0], values[1])
    return (min(values), max(values))


#: Columns the explorer's table shows for each measure (the CSV has them all).
TABLE_COLUMNS: dict[str, list[str]] = {
    "score": ["year", "province", "value", "unit", "rank", "source_id"],
    "rank": ["year", "province", "rank", "rank_basis", "n_scores", "value", "source_id"],
    "percentile": ["year", "province", "percentile", "n_scores", "value", "source_id"],
}


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class View:
    """A chart of the explorer: a plain plot function and when it applies.

    Parameters
    ----------
    name : key shown in the chart picker (and used by ``Selection.chart``).
    plot : the plot function, called as ``plot(data, **kwargs)``; returns an Axes.
    kwargs : ``kwargs(selection) -> dict`` of keyword arguments; None builds them from
        the plot function's signature (see :func:`signature_kwargs`).
    applies : ``applies(selection) -> reason or None``: why the view cannot draw this
        selection (shown instead of the chart), None when it can.
    all_indices : the plot needs every index (e.g. a profile across indices), not only
        the selected one.
    label : text for the picker, ``{"vi": ..., "en": ...}`` (default: the name).
    """

    name: str
    plot: Callable[..., "Axes"]
    kwargs: Callable[[Selection], dict] | None = None
    applies: Callable[[Selection], str | None] | None = None
    all_indices: bool = False
    label: Mapping[str, str] | None = field(default=None, compare=False)

    def arguments(self, sel: Selection) -> dict:
        """The keyword arguments for ``plot`` from a selection."""
        return dict(self.kwargs(sel)) if self.kwargs is not None else signature_kwargs(self.plot, sel)

    def reason(self, sel: Selection) -> str | None:
        """Why this view cannot draw ``sel`` (in ``sel.lang``), or None."""
        return self.applies(sel) if self.applies is not None else None

    def title(self, lang: str) -> str:
        if self.label:
            return self.label.get(lang, self.name)
        return _TEXT[self.name][lang] if self.name in _TEXT else self.name


def signature_kwargs(plot: Callable, sel: Selection) -> dict:
    """Keyword arguments for a plot function from a selection, by parameter name.

    Offered: index, component, measure ("value", "rank" or "percentile"), years (a range),
    year (the last year), province (the first province), provinces, highlight (the
    provinces), boundaries, lang.  Only names in the function's signature are passed.
    """
    import inspect

    params = inspect.signature(plot).parameters
    offer: dict[str, Any] = {
        "index": sel.index, "component": sel.component, "measure": _PLOT_MEASURE[sel.measure],
        "boundaries": sel.boundaries, "lang": sel.lang,
    }
    if sel.years is not None:
        offer["years"] = range(sel.years[0], sel.years[1] + 1)
        offer["year"] = sel.years[1]
    if sel.provinces:
        offer["province"] = sel.provinces[0]
        offer["provinces"] = list(sel.provinces)
        offer["highlight"] = list(sel.provinces)
    return {k: offer[k] for k in params if k in offer}  # in the function's own order


def _one_province(sel: Selection) -> str | None:
    return None if len(sel.provinces) == 1 else _t("one_province", sel.lang)


def _measures(*allowed: str) -> Callable[[Selection], str | None]:
    def check(sel: Selection) -> str | None:
        return None if sel.measure in allowed else _t("not_for_measure", sel.lang)

    return check


def _both(*checks: Callable[[Selection], str | None]) -> Callable[[Selection], str | None]:
    def check(sel: Selection) -> str | None:
        return next((r for r in (c(sel) for c in checks) if r), None)

    return check


def _years_kw(sel: Selection) -> dict:
    return {} if sel.years is None else {"years": range(sel.years[0], sel.years[1] + 1)}


def _plots():
    from . import plots

    return plots


def _builtin_views() -> dict[str, View]:
    plots = _plots()
    common = lambda s: {"index": s.index, "component": s.component}  # noqa: E731
    return {
        "trend": View(
            "trend", plots.plot_trend,
            kwargs=lambda s: {"province": s.provinces[0], **common(s), "measure": _PLOT_MEASURE[s.measure],
                              **_years_kw(s), "boundaries": s.boundaries, "lang": s.lang},
            applies=_both(_measures("score", "rank"), _one_province),
        ),
        "ranks": View(
            "ranks", plots.plot_rank_bump,
            kwargs=lambda s: {**common(s), "highlight": list(s.provinces), **_years_kw(s), "boundaries": s.boundaries,
                              "lang": s.lang},
            applies=_measures("rank"),
        ),
        "heatmap": View(
            "heatmap", plots.plot_heatmap,
            kwargs=lambda s: {**common(s), "measure": _PLOT_MEASURE[s.measure], **_years_kw(s),
                              "highlight": list(s.provinces), "boundaries": s.boundaries, "lang": s.lang},
            applies=_measures("score", "rank"),
        ),
        "profile": View(
            "profile", plots.plot_profile,
            # each index in its latest year with figures (the years picked belong to one index)
            kwargs=lambda s: {"province": s.provinces[0], "measure": _PLOT_MEASURE[s.measure],
                              "boundaries": s.boundaries, "lang": s.lang},
            applies=_both(_measures("percentile", "rank"), _one_province),
            all_indices=True,
        ),
    }


_BUILTIN: dict[str, View] = {}


def builtin_views() -> dict[str, View]:
    """The built-in views: "trend" (plot_trend), "ranks" (plot_rank_bump), "heatmap"
    (plot_heatmap), "profile" (plot_profile)."""
    if not _BUILTIN:  # made on first use: the plots module imports matplotlib
        _BUILTIN.update(_builtin_views())
    return dict(_BUILTIN)


def _as_views(views: Mapping[str, View | Callable] | Sequence[View] | None) -> dict[str, View]:
    out = builtin_views()
    if views is None:
        return out
    items = views.items() if isinstance(views, Mapping) else ((v.name, v) for v in views)
    for name, view in items:
        if not isinstance(view, View):
            if not callable(view):
                raise TypeError(f"views[{name!r}] must be a View or a plot function, got {type(view).__name__}")
            view = View(name, view)
        out[name] = replace(view, name=name)
    return out


def choose_view(sel: Selection, views: Mapping[str, View] | None = None) -> tuple[View | None, str | None]:
    """The view that draws ``sel``, and why none does.

    ``sel.chart`` names a view, or "auto": a score draws the trend of one province or the
    heatmap of all; a rank draws ranks over the years (the chosen provinces highlighted);
    a percentile draws the profile of one province across the indices.
    """
    views = views if views is not None else builtin_views()
    if sel.chart != "auto":
        if sel.chart not in views:
            import difflib

            close = difflib.get_close_matches(sel.chart, list(views), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"chart={sel.chart!r} is not a view{hint} Views: {', '.join(views)}, or 'auto'")
        view = views[sel.chart]
        reason = view.reason(sel)
        return (None, reason) if reason else (view, None)
    if sel.measure == "score":
        name = "trend" if len(sel.provinces) == 1 else "heatmap"
    elif sel.measure == "rank":
        name = "ranks"
    else:
        if len(sel.provinces) != 1:
            return None, _t("no_percentile_chart", sel.lang)
        name = "profile"
    view = views[name]
    reason = view.reason(sel)
    return (None, reason) if reason else (view, None)


# --------------------------------------------------------------------------- reproducible calls


def _py(value: Any) -> str:
    if isinstance(value, range):
        return f"range({value.start}, {value.stop})"
    return repr(value)


def _data_call(sel: Selection, *, all_indices: bool, bundled: bool) -> str:
    if not bundled:
        return "data"
    if all_indices:
        return f"cchc.load_indicators(boundaries={sel.boundaries!r})"
    return f"cchc.load_indicators({sel.index!r}, components={sel.component!r}, boundaries={sel.boundaries!r})"


def _qualified(func: Callable) -> str:
    import cchc_analysis

    name = getattr(func, "__name__", "plot")
    try:
        if getattr(cchc_analysis, name) is func:
            return f"cchc.{name}"
    except AttributeError:
        pass
    module = getattr(func, "__module__", "") or ""
    return f"{module}.{name}" if module and module != "__main__" else name


def chart_call(view: View, sel: Selection, *, bundled: bool = True) -> str:
    """The one-line call that draws what the explorer shows (``import cchc_analysis as cchc``)."""
    args = ", ".join(f"{k}={_py(v)}" for k, v in view.arguments(sel).items())
    return f"{_qualified(view.plot)}({_data_call(sel, all_indices=view.all_indices, bundled=bundled)}, {args})"


def table_call(sel: Selection, *, bundled: bool = True) -> str:
    """The one-line call that returns the explorer's table (:func:`selection_table`)."""
    kw: dict[str, Any] = {"index": sel.index, "component": sel.component, "measure": sel.measure}
    if sel.years is not None:
        kw["years"] = sel.years
    kw["boundaries"] = sel.boundaries
    if sel.provinces:
        kw["provinces"] = list(sel.provinces)
    args = ", ".join(f"{k}={_py(v)}" for k, v in kw.items())
    return f"cchc.selection_table({args})" if bundled else f"cchc.selection_table(data, {args})"


def draw(view: View, sel: Selection, data: "pd.DataFrame") -> "Axes":
    """Draw ``view`` for ``sel`` from ``data`` (every index when the view needs them)."""
    part = data if view.all_indices else data[(data["index"] == sel.index) & (data["component"] == sel.component)]
    return view.plot(part, **view.arguments(sel))


# --------------------------------------------------------------------------- the widget


def _csv_link(table: "pd.DataFrame", sel: Selection) -> str:
    import html

    payload = base64.b64encode(table.to_csv(index=False).encode("utf-8-sig")).decode("ascii")  # BOM: Excel reads UTF-8
    years = f"{sel.years[0]}-{sel.years[1]}" if sel.years else "all-years"
    comp = "" if sel.component == "overall" else f"-{sel.component}"
    name = f"cchc-{sel.index}{comp}-{sel.measure}-{years}-{sel.boundaries}.csv"
    return (f'<a download="{html.escape(name)}" href="data:text/csv;charset=utf-8;base64,{payload}" '
            f'style="text-decoration: underline">⬇ {html.escape(_t("download", sel.lang))}</a> '
            f"<small>({len(table)} {'dòng' if sel.lang == 'vi' else 'rows'})</small>")


class Explorer:
    """The explorer's widgets and its current state; display it in a notebook.

    Attributes
    ----------
    controls : dict of the picker widgets: "index", "component", "measure", "years",
        "boundaries", "provinces", "chart".  Setting a control's ``value`` updates
        everything, as a click does.
    selection : the current :class:`Selection`.
    table : the table shown (all columns of :func:`selection_table`).
    view : the :class:`View` drawn, or None (``message`` says why).
    axes, figure : what was drawn (the figure is closed after rendering to PNG).
    png : the chart as PNG bytes.
    calls : the reproducible calls, ``{"chart": ..., "table": ...}``.
    csv : the download, as text.
    message : a note for the reader (empty when all is well).
    widget : the ipywidgets box (displayed by the notebook).
    """

    def __init__(self, data: "pd.DataFrame | None", sel: Selection, *, views: Mapping[str, View], dpi: int = 200,
                 interactive_table: bool | None = None):
        import ipywidgets as w

        from .indicators import load_indicators

        self._bundled = data is None
        self.data = load_indicators() if data is None else data
        self.views = dict(views)
        self.dpi = dpi
        self.lang = sel.lang
        self._interactive_table = interactive_table
        self._busy = False
        lang = sel.lang
        self.table = None
        self.view: View | None = None
        self.axes = self.figure = None
        self.png = b""
        self.calls: dict[str, str] = {}
        self.csv = ""
        self.message = ""

        indices = [i for i in ("par", "sipas", "papi", "pci", "dti") if i in set(self.data["index"])]
        if sel.index not in indices:
            raise ValueError(f"index={sel.index!r} has no rows in the data; indices present: {indices}")
        from .labels import index_label

        style = {"description_width": "initial"}
        self.controls: dict[str, Any] = {
            "index": w.Dropdown(options=[(index_label(i, lang), i) for i in indices], value=sel.index,
                                description=_t("index", lang), style=style),
            "component": w.Dropdown(description=_t("component", lang), style=style, layout=w.Layout(width="28em")),
            "measure": w.ToggleButtons(options=[(_t(m, lang), m) for m in MEASURES], value=sel.measure,
                                       description=_t("measure", lang), style={**style, "button_width": "7em"}),
            "years": w.IntRangeSlider(description=_t("years", lang), style=style, continuous_update=False,
                                      layout=w.Layout(width="34em")),
            "boundaries": w.ToggleButtons(description=_t("boundaries", lang), style={**style, "button_width": "15em"}),
            "provinces": w.TagsInput(value=[], allow_duplicates=False, placeholder=_t("provinces_hint", lang),
                                     layout=w.Layout(width="100%")),
            "chart": w.Dropdown(description=_t("chart", lang), style=style),
        }
        self._image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self._table_out = w.Output()
        self._download = w.HTML()
        self._call = w.HTML()
        self._note = w.HTML()
        c = self.controls
        self.widget = w.VBox([
            w.HBox([c["index"], c["component"]]),
            w.HBox([c["measure"], c["chart"]]),
            c["years"],
            c["boundaries"],
            w.HBox([w.Label(_t("provinces", lang) + ":"), c["provinces"]], layout=w.Layout(width="100%")),
            self._note, self._image, self._download, self._table_out, self._call,
        ])
        self._busy = True
        try:
            self._fill_for_index(sel)
            c["chart"].options = [(_t("auto", lang), "auto")] + [(v.title(lang), k) for k, v in self.views.items()]
            c["chart"].value = sel.chart if sel.chart in self.views else "auto"
            self._set_provinces(list(sel.provinces), c["boundaries"].value)
        finally:
            self._busy = False
        for name, control in c.items():
            control.observe(self._changed, names="value")
        self.refresh()

    # -- state

    @property
    def selection(self) -> Selection:
        c = self.controls
        years = tuple(int(y) for y in c["years"].value) if c["years"].max >= c["years"].min else None
        return Selection(index=c["index"].value, component=c["component"].value, measure=c["measure"].value,
                         years=years, boundaries=c["boundaries"].value, provinces=tuple(c["provinces"].value),
                         chart=c["chart"].value, lang=self.lang)

    def _fill_for_index(self, sel: Selection) -> None:
        """Component, units, years and province spellings offered for the chosen index."""
        from .labels import component_label

        c = self.controls
        rows = self.data[self.data["index"] == c["index"].value]
        comps = sorted(rows["component"].unique(), key=lambda k: (k != "overall", k))
        c["component"].options = [(component_label(sel.index, k, self.lang) or _t("overall", self.lang), k) for k in comps]
        c["component"].value = sel.component if sel.component in comps else "overall" if "overall" in comps else comps[0]
        units = [b for b in ("legacy", "2025") if b in set(rows["boundaries"])]
        c["boundaries"].options = [(_t(b, self.lang), b) for b in units]
        c["boundaries"].value = sel.boundaries if sel.boundaries in units else units[0]
        span = rows[(rows["component"] == c["component"].value) & (rows["boundaries"] == c["boundaries"].value)]["year"]
        lo, hi = int(span.min()), int(span.max())
        slider = c["years"]
        slider.min, slider.max = min(lo, slider.min), max(hi, slider.max)  # widen, move, narrow: never value outside
        want = sel.years or (lo, hi)
        first, last = max(lo, min(want[0], hi)), min(hi, max(want[1], lo))
        slider.value = (first, last) if first <= last else (lo, hi)
        slider.min, slider.max = lo, hi

    def _set_provinces(self, names: Sequence[str], boundaries: str) -> str:
        """Offer the spellings of ``boundaries`` (and, for the 2025 units, the old names too)
        and select ``names`` as registry names; returns a note on names moved or dropped."""
        from .provinces import spellings

        canonical, note = self._canonical(names, boundaries)
        offered = set(spellings(boundaries=boundaries))  # type: ignore[arg-type]
        if boundaries == "2025":  # "Quảng Nam" still typed: it becomes Đà Nẵng, with a note
            offered |= set(spellings(boundaries="legacy"))
        box = self.controls["provinces"]
        box.value = []
        box.allowed_tags = sorted(offered)
        box.value = canonical
        return note

    def _canonical(self, names: Sequence[str], boundaries: str) -> tuple[list[str], str]:
        """Registry names for typed spellings; legacy provinces moved to their 2025 unit."""
        from .provinces import UnknownProvinceError, resolve_province, successor

        out, moved, dropped = [], [], []
        for name in names:
            try:
                unit = resolve_province(name, boundaries=boundaries)  # type: ignore[arg-type]
            except UnknownProvinceError:
                try:
                    unit = successor(name) if boundaries == "2025" else None
                except UnknownProvinceError:
                    unit = None
                if unit is None:
                    dropped.append(name)
                    continue
                moved.append(f"{name} → {unit.name}")
            if unit.name not in out:
                out.append(unit.name)
        note = " ".join(filter(None, [_t("merged", self.lang, names=", ".join(moved)) if moved else "",
                                      _t("dropped", self.lang, names=", ".join(dropped)) if dropped else ""]))
        return out, note

    def _changed(self, change) -> None:
        if self._busy:
            return
        self._busy = True
        note = ""
        try:
            c = self.controls
            if change["owner"] in (c["index"], c["component"], c["boundaries"]):
                slider = c["years"]
                every_year = tuple(slider.value) == (slider.min, slider.max)  # then keep every year of the new series
                self._fill_for_index(replace(self.selection, years=None) if every_year else self.selection)
            note = self._set_provinces(list(c["provinces"].value), c["boundaries"].value)
        finally:
            self._busy = False
        self.refresh(note=note)

    # -- output

    def refresh(self, note: str = "") -> None:
        """Recompute the table, the chart, the download and the calls from the controls."""
        import matplotlib.pyplot as plt

        from .style import use_style
        from .tables import show_table

        sel = self.selection
        self.table = selection_table(self.data, index=sel.index, component=sel.component, measure=sel.measure,
                                     years=sel.years, boundaries=sel.boundaries, provinces=sel.provinces)
        self.view, reason = choose_view(sel, self.views)
        if self.table.empty and reason is None:
            reason = _t("no_rows", self.lang)
            self.view = None
        self.axes = self.figure = None
        self.png = b""
        if self.view is not None:
            try:
                with use_style():
                    ax = draw(self.view, sel, self.data[self.data["boundaries"] == sel.boundaries])
                    buf = io.BytesIO()
                    ax.figure.savefig(buf, format="png", dpi=self.dpi)
            except ValueError as exc:  # e.g. no figure for the province in these years
                reason, self.view = str(exc), None
            else:
                self.axes, self.figure, self.png = ax, ax.figure, buf.getvalue()
            finally:
                plt.close("all")
        self.message = " ".join(filter(None, [note, reason or ""]))
        self.calls = {"table": table_call(sel, bundled=self._bundled)}
        if self.view is not None:
            self.calls["chart"] = chart_call(self.view, sel, bundled=self._bundled)
        self.csv = self.table.to_csv(index=False)

        import html

        self._image.value = self.png
        if self.figure is not None:  # shown at 1.5x the figure's size in CSS pixels, sharp at 200 dpi
            self._image.width = str(round(self.figure.get_figwidth() * 96 * 1.5))
        self._image.layout.display = None if self.png else "none"
        self._note.value = f"<p style='color:#8a5a00'>{html.escape(self.message)}</p>" if self.message else ""
        self._download.value = _csv_link(self.table, sel)
        lines = ["import cchc_analysis as cchc"] + [self.calls[k] for k in ("chart", "table") if k in self.calls]
        self._call.value = (f"<p>{html.escape(_t('reproduce', self.lang))}</p><pre style='white-space: pre-wrap'>"
                            + html.escape("\n".join(lines)) + "</pre>")
        self._table_out.clear_output(wait=True)
        with self._table_out:
            show_table(self.table[TABLE_COLUMNS[sel.measure]], lang=self.lang, interactive=self._interactive_table)

    def close(self) -> None:
        """Close every widget of the explorer (frees them in the kernel and the page)."""
        def close(widget) -> None:
            for child in getattr(widget, "children", ()):
                close(child)
            widget.close()

        close(self.widget)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"Explorer({self.selection!r})"


def explore(
    data: "pd.DataFrame | None" = None,
    *,
    index: str = "pci",
    component: str = "overall",
    measure: str = "score",
    years: tuple[int, int] | Sequence[int] | range | None = None,
    boundaries: str = "legacy",
    provinces: str | Sequence[str] = (),
    chart: str = "auto",
    lang: str = "vi",
    views: Mapping[str, View | Callable] | Sequence[View] | None = None,
    interactive_table: bool | None = None,
) -> Explorer:
    """Pick an index and provinces; see the chart and the table; download; reproduce.

    Parameters
    ----------
    data : tidy indicator table (``load_indicators()``); None: the bundled data.
    index, component, measure, years, boundaries, provinces : the first selection
        (see :class:`Selection`); provinces in any spelling the registry knows.
    chart : "auto" or a view name: "trend", "ranks", "heatmap", "profile", or one of ``views``.
    lang : "vi" or "en", for the pickers, the charts and the numbers.
    views : more charts: ``{"map": plot_map}`` (a plot function; keywords taken from its
        signature, see :func:`signature_kwargs`) or :class:`View` objects.
    interactive_table : passed to :func:`cchc_analysis.show_table` (None: automatic).

    Returns
    -------
    Explorer
        Displayed when it ends a notebook cell; ``.controls`` are the widgets, ``.table``,
        ``.axes``, ``.calls`` and ``.csv`` what it shows.

    Examples
    --------
    >>> import cchc_analysis as cchc
    >>> cchc.explore(index="papi", provinces=["Đà Nẵng", "TP HCM"])   # doctest: +SKIP
    """
    sel = Selection(index=index, component=component, measure=measure, years=_year_pair(years), boundaries=boundaries,
                    provinces=(), chart=chart, lang=lang)
    names = [provinces] if isinstance(provinces, str) else list(provinces)
    canonical = [u.name for u in (_resolve(n, boundaries) for n in names)]
    sel = replace(sel, provinces=tuple(dict.fromkeys(canonical)))
    all_views = _as_views(views)
    if chart != "auto" and chart not in all_views:
        choose_view(sel, all_views)  # raises with the list of views
    return Explorer(data, sel, views=all_views, interactive_table=interactive_table)


def _resolve(name: str, boundaries: str):
    from .provinces import resolve_province

    return resolve_province(name, boundaries=boundaries)  # type: ignore[arg-type]
