"""Helpers that keep the notebooks in ``notebooks/`` to a page of calls.

* :func:`parameters` validates a report notebook's parameters in its first cell (one call:
  ``p = nb.parameters(globals())``), so a bad value fails at once with a message naming
  the parameter and the fix; ``cchc report --dry-run`` runs the same check before any
  kernel starts;
* :func:`check_parameters` is the general checker it builds on (a spec per notebook);
* :func:`show_figure` saves a figure once (PNG for reports, more formats on request) and
  displays the saved PNG, so the figure is never rendered twice;
* :func:`standing_table` and :func:`latest_year` answer "where does the province stand?";
* :func:`show_table` shows a table: sortable and searchable in JupyterLab, static in batch
  reports (:mod:`cchc_analysis.tables`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

from .tables import show_table

__all__ = [
    "NotebookParameterError",
    "PARAMETER_NAMES",
    "parameters",
    "check_parameters",
    "check_year_range",
    "show_figure",
    "standing_table",
    "latest_year",
    "display_table",
    "show_table",
    "gap_table",
    "index_overview",
]

LANGS = ("vi", "en")
INDEX_ORDER = ("par", "sipas", "papi", "pci", "dti")
BOUNDARIES = ("legacy", "2025")


class NotebookParameterError(ValueError):
    """A notebook parameter has the wrong type or an unusable value."""


def _type_name(kind: Any) -> str:
    if isinstance(kind, tuple):
        return " or ".join(k.__name__ for k in kind)
    return kind.__name__


def check_parameters(values: Mapping[str, Any], spec: Mapping[str, Any]) -> dict[str, Any]:
    """Check notebook parameters against ``spec`` and return the normalised values.

    ``spec`` maps a parameter name to a type (``int``, ``str``, ``list``...) or to a tuple
    ``(type, check)`` where ``check(value)`` returns the normalised value or raises
    ValueError with the reason.  Province parameters are usually checked with
    :func:`cchc_analysis.resolve_province`, so any spelling works and a typo gets a
    "did you mean".

    Raises
    ------
    NotebookParameterError
        naming the parameter, the value received, what was expected and how to fix it.
    """
    out: dict[str, Any] = {}
    for name, rule in spec.items():
        kind, check = (rule if isinstance(rule, tuple) and callable(rule[-1]) and len(rule) == 2 else (rule, None))
        value = values.get(name)
        if kind is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)  # papermill -p passes "2019" from the command line
        if kind is not None and not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise NotebookParameterError(
                f"parameter {name!r} must be {_type_name(kind)}, got {type(value).__name__} {value!r}; "
                f"pass e.g. -p {name} <{_type_name(kind)}> to papermill or fix the YAML file"
            )
        if check is not None:
            try:
                value = check(value)
            except (ValueError, KeyError) as exc:
                raise NotebookParameterError(f"parameter {name!r}: {exc}") from None
        out[name] = value
    return out


def check_lang(value: str) -> str:
    """Parameter check for ``lang``."""
    if value not in LANGS:
        raise ValueError(f"must be 'vi' or 'en', got {value!r}")
    return value


def check_year(value: int) -> int:
    """Parameter check for a year."""
    if not 2005 <= value <= 2030:
        raise ValueError(f"year {value} outside 2005-2030; give a year from 2005 (the first PCI) to 2030")
    return value


def check_year_range(
    first_year: int,
    last_year: int,
    *,
    data=None,
    province=None,
    names: tuple[str, str] = ("first_year", "last_year"),
) -> None:
    """Check a notebook's year range: first <= last and, given ``data``, some figure inside it.

    ``data`` is what the notebook loaded for the range; ``province`` (a
    :class:`cchc_analysis.Province`) narrows the check to that province.

    Raises
    ------
    NotebookParameterError
        naming both parameters and the years for which the bundled data have figures.
    """
    first, last = names
    if first_year > last_year:
        raise NotebookParameterError(
            f"parameters {first!r} ({first_year}) and {last!r} ({last_year}): the first year is after the last; "
            f"give {first} <= {last}, e.g. -p {first} {last_year} -p {last} {first_year}"
        )
    if data is None:
        return
    part = data if province is None else data[data["province_code"] == province.code]
    if len(part):
        return
    from .indicators import load_indicators

    everything = load_indicators(provinces=province.code) if province is not None else load_indicators()
    whom = f" for {province.name}" if province is not None else ""
    raise NotebookParameterError(
        f"parameters {first!r} and {last!r}: no indicator figure{whom} in {first_year}-{last_year}; the bundled "
        f"data{whom} cover {int(everything['year'].min())}-{int(everything['year'].max())}: choose years in that range"
    )


# --------------------------------------------------------------------------- report parameters

# Every parameter name the report notebooks use, with its type.  :func:`parameters` checks
# the names a notebook's namespace holds; the checks depend on the name only, so the same
# call serves every notebook and ``cchc report --dry-run`` (which builds the namespace from
# the parameters cell's defaults and the run's values).
PARAMETER_NAMES: dict[str, type | tuple[type, ...]] = {
    "boundaries": str,
    "province": str,
    "document": str,
    "index": str,
    "x_index": str,
    "y_index": str,
    "component": str,
    "year": int,
    "first_year": int,
    "last_year": int,
    "as_of": int,
    "period": (object, str),  # "" (all), a deadline year (2023) or a plan period ("2021-2025")
    "highlight": list,
    "peers": list,
    "top_n": int,
    "lang": str,
    "figures_dir": str,
    "formats": list,
}


def _closest(value: Any, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(str(value), list(choices), n=3)
    return f"; did you mean {', '.join(map(repr, close))}?" if close else ""


def _years_text(years: Iterable[int]) -> str:
    """``[2006, 2007, 2008, 2010]`` -> ``"2006-2008, 2010"``."""
    years = sorted(set(int(y) for y in years))
    parts: list[str] = []
    start = prev = None
    for y in years + [None]:  # type: ignore[list-item]
        if start is not None and (y is None or y != prev + 1):
            parts.append(str(start) if start == prev else f"{start}-{prev}")
            start = None
        if y is not None and start is None:
            start = y
        prev = y
    return ", ".join(parts) or "none"


def _indicator_years(index: str | None = None, boundaries: str = "legacy") -> list[int]:
    from .indicators import load_indicators

    data = load_indicators(index, boundaries=boundaries) if index else load_indicators(boundaries=boundaries)
    return sorted(set(int(y) for y in data["year"]))


def _index_name(index: str) -> str:
    return {"par": "PAR Index", "sipas": "SIPAS", "papi": "PAPI", "pci": "PCI", "dti": "DTI"}.get(index, index)


def _unsupported_boundaries(value: str, supported: tuple[str, ...], province: Any) -> str:
    """Why a notebook cannot render ``value`` boundaries, and what to run instead."""
    from .indicators import load_indicators
    from .provinces import members_2025, resolve_province

    msg = (
        f"this notebook renders the {' and '.join(supported)} province set only, not boundaries {value!r}"
    )
    if value == "2025":
        own = load_indicators(boundaries="2025")
        held = ", ".join(
            f"{_index_name(i)} {_years_text(g['year'])}" for i, g in own.groupby("index", sort=True)
        ) or "no figures"
        msg += (
            f" (the bundled data hold {held} for the 34 units of 1 July 2025; every other series is "
            f"published for the 63 legacy provinces)"
        )
        if isinstance(province, str) and province.strip():
            try:
                unit = resolve_province(province, boundaries="2025")
            except (KeyError, ValueError):
                unit = None
            if unit is not None:
                names = [m.name for m in members_2025(unit)]
                quoted = " ".join(f'"{n}"' for n in names)
                msg += (
                    f". {unit.name} (2025) was formed from {' and '.join(names)}: report on "
                    f"{'each of them' if len(names) > 1 else 'it'} with boundaries \"legacy\", "
                    f"e.g. cchc report NOTEBOOK --province {quoted}"
                )
                return msg
        msg += '. Use boundaries "legacy" and the legacy provinces that form the 2025 unit'
    return msg


def parameters(
    namespace: Mapping[str, Any],
    *,
    supported_boundaries: tuple[str, ...] | list[str] = ("legacy",),
) -> dict[str, Any]:
    """Check a report notebook's parameters, all at once; the one call of its first cell.

    ``p = nb.parameters(globals())`` right after the ``parameters`` cell.  Every name of
    :data:`PARAMETER_NAMES` found in ``namespace`` is checked for its type and its value,
    with the bundled data where that matters: a year must have figures (for ``index`` or
    ``x_index`` when given), ``component`` must exist for ``index``, provinces resolve in
    the ``boundaries`` set, ``document`` must be a known document id.  ``cchc report
    --dry-run`` calls this same function, with the same keyword arguments as the
    notebook's call, before any kernel starts.

    Parameters
    ----------
    namespace : the notebook's ``globals()`` (or any mapping of parameter values).
    supported_boundaries : the province sets the notebook can render; a ``boundaries``
        value outside them is refused with the members of the 2025 unit to run instead.

    Returns
    -------
    dict of the checked values, normalised: ``province`` a :class:`cchc_analysis.Province`,
    ``highlight``/``peers`` lists of them, ``formats`` lower-case; other names unchanged.

    Raises
    ------
    NotebookParameterError
        naming the parameter, the value received, what is expected and how to fix it.
    """
    from .provinces import resolve_province

    present = {n: namespace[n] for n in PARAMETER_NAMES if n in namespace}
    if isinstance(present.get("boundaries"), int) and not isinstance(present["boundaries"], bool):
        present["boundaries"] = str(present["boundaries"])  # papermill's -p boundaries 2025 gives an int
    values = check_parameters(present, {n: PARAMETER_NAMES[n] for n in present})

    def fail(name: str, message: str) -> None:
        raise NotebookParameterError(f"parameter {name!r}: {message}")

    boundaries = values.get("boundaries", "legacy")
    supported = tuple(supported_boundaries)
    if boundaries not in BOUNDARIES:
        fail("boundaries", f"must be 'legacy' (63 provinces) or '2025' (34 units), got {boundaries!r}")
    if boundaries not in supported:
        fail("boundaries", _unsupported_boundaries(boundaries, supported, values.get("province")))
    if "lang" in values:
        try:
            check_lang(values["lang"])
        except ValueError as exc:
            fail("lang", f"{exc}; every word of the report follows it")
    for name in ("index", "x_index", "y_index"):
        if name in values and values[name] not in INDEX_ORDER:
            fail(name, f"unknown index {values[name]!r} (use one of {', '.join(INDEX_ORDER)})"
                       f"{_closest(values[name], INDEX_ORDER)}")

    def province(name: str, value: Any) -> Any:
        try:
            return resolve_province(value, boundaries=boundaries)
        except (KeyError, ValueError, TypeError) as exc:
            fail(name, str(exc))

    if "province" in values:
        values["province"] = province("province", values["province"])
    for name in ("highlight", "peers"):
        if name in values:
            values[name] = [province(f"{name}[{i}]", v) for i, v in enumerate(values[name])]
    if values.get("document"):
        from .targets import load_documents

        ids = load_documents()["document_id"].tolist()
        if values["document"] not in ids:
            fail("document", f"unknown document {values['document']!r}{_closest(values['document'], ids)} "
                             "(see cchc.load_documents())")
    if "component" in values:
        from .indicators import load_components

        comps = load_components()
        index = values.get("index")
        known = comps.loc[comps["index"] == index, "component"].tolist() if index else comps["component"].tolist()
        if values["component"] not in known:
            where = f" of {_index_name(index)}" if index else ""
            fail("component", f"unknown component{where} {values['component']!r}{_closest(values['component'], known)} "
                              f"(see cchc.load_components())")
    data_index = values.get("index") or values.get("x_index")
    if "year" in values:
        years = _indicator_years(data_index, boundaries)
        if values["year"] not in years:
            what = f"{_index_name(data_index)} figures" if data_index else "indicator figures"
            fail("year", f"no {what} for {values['year']} in the bundled data; years with figures: "
                         f"{_years_text(years)}")
    if "first_year" in values or "last_year" in values:
        first = values.get("first_year", values.get("last_year"))
        last = values.get("last_year", first)
        if first > last:
            raise NotebookParameterError(
                f"parameters 'first_year' ({first}) and 'last_year' ({last}): the first year is after the last; "
                f"give first_year <= last_year, e.g. -p first_year {last} -p last_year {first}"
            )
        years = _indicator_years(data_index, boundaries)
        if not any(first <= y <= last for y in years):
            what = f"{_index_name(data_index)} figures" if data_index else "indicator figures"
            raise NotebookParameterError(
                f"parameters 'first_year' and 'last_year': no {what} in {first}-{last}; years with figures: "
                f"{_years_text(years)}"
            )
    if "period" in values:  # a deadline year or a plan period of the curated targets
        from .ambition import check_period
        from .targets import load_targets

        try:
            check_period(values["period"], load_targets())
        except ValueError as exc:
            fail("period", str(exc))
    if values.get("as_of"):
        try:
            check_year(values["as_of"])
        except ValueError as exc:
            fail("as_of", f"{exc}, or 0 for the latest data")
    if "top_n" in values and not 1 <= values["top_n"] <= 63:
        fail("top_n", f"must be between 1 and 63 (provinces listed), got {values['top_n']}")
    if "figures_dir" in values and not str(values["figures_dir"]).strip():
        fail("figures_dir", "must name a folder, got an empty string")
    if "formats" in values:
        from .export import FORMATS

        fmts = [str(f).lower().lstrip(".") for f in values["formats"]]
        bad = [f for f in fmts if f not in FORMATS]
        if bad:
            fail("formats", f"unknown figure format(s) {bad}; choose from {list(FORMATS)}")
        values["formats"] = fmts
    return values


def show_figure(
    fig,
    name: str,
    *,
    figures_dir: str | Path,
    formats: Iterable[str] = ("png",),
    width: str | float = "double",
    data=None,
    display: bool = True,
) -> None:
    """Save ``fig`` with :func:`cchc_analysis.save_figure`, show the PNG, close the figure.

    The notebook output is the saved PNG itself, so the figure is rendered once and the
    report shows exactly the file that was written.  Returns None, so a cell ending with
    this call prints nothing else; the files are ``{figures_dir}/{name}.{format}``.
    """
    import matplotlib.pyplot as plt

    from .export import save_figure

    formats = tuple(dict.fromkeys(("png", *formats)))
    paths = save_figure(fig, name, formats=formats, width=width, out_dir=figures_dir, data=data)
    plt.close(fig)
    if display:
        from IPython.display import Image, display as ipy_display

        ipy_display(Image(filename=str(paths["png"]), width=720))


def latest_year(data, *, index: str, component: str = "overall", min_provinces: int = 1) -> int | None:
    """The last year of ``index`` with at least ``min_provinces`` provinces in ``data``."""
    part = data[(data["index"] == index) & (data["component"] == component)]
    counts = part.groupby("year")["province_code"].nunique()
    counts = counts[counts >= min_provinces]
    return int(counts.index.max()) if len(counts) else None


def standing_table(data, *, province: str, lang: str = "vi", boundaries: str = "legacy"):
    """Where a province stands on each index in its latest year.

    Returns
    -------
    DataFrame, one row per index: index, year, value, unit, rank (published, or computed
    from the scores when the publisher gives none: ``rank_basis`` says which), n_ranked
    (the N the rank is out of: the whole table -- 63 provinces for a PAR Index rank
    printed in a partial press table -- or the scores ranked), percentile (from the rank:
    100 (N - rank) / (N - 1), the definition :func:`cchc_analysis.plots.plot_profile`
    draws), source_id, note (PAPI: its total is the unweighted sum of the dimensions and
    PAPI publishes no ranks).  Indices with no figure for the province are listed with
    empty cells.
    """
    import pandas as pd

    from .compare import _resolve_ranks, rank_percentile
    from .provinces import resolve_province

    unit = resolve_province(province, boundaries=boundaries)  # type: ignore[arg-type]
    rows = []
    part_all = data[(data["component"] == "overall") & (data["boundaries"] == boundaries)]
    for idx in INDEX_ORDER:
        part = part_all[part_all["index"] == idx]
        mine = part[part["province_code"] == unit.code]
        if mine.empty:
            rows.append({"index": idx, "year": pd.NA})
            continue
        year = int(mine["year"].max())
        table = _resolve_ranks(part[part["year"] == year])
        own = table[table["province_code"] == unit.code].iloc[0]
        rank = own["rank_used"]
        basis = {"published": "published", "computed": "computed from scores"}.get(own["rank_source"])
        if basis == "published" and own["rank_n_basis"] == "units (partial table)":
            basis = "published (partial table)"
        n = own["rank_n"]
        note = None
        if idx == "papi":
            note = ("unweighted sum of the dimension scores (PAPI's headline total); "
                    "PAPI publishes no ranks: ranks computed from the scores, ties share a rank")
        rows.append(
            {
                "index": idx, "year": year, "value": own["value"], "unit": own.get("unit"),
                "rank": rank, "rank_basis": basis, "n_ranked": n,
                "percentile": rank_percentile(rank, n) if not pd.isna(rank) else None,
                "source_id": own.get("source_id"), "note": note,
            }
        )
    frame = pd.DataFrame(rows)
    for col in ("value", "unit", "rank", "rank_basis", "n_ranked", "percentile", "source_id", "note"):
        if col not in frame.columns:  # no index has a figure for the province in ``data``
            frame[col] = pd.NA
    frame["rank"] = pd.to_numeric(frame["rank"], errors="coerce").astype("Int64")
    frame["n_ranked"] = pd.to_numeric(frame["n_ranked"], errors="coerce").astype("Int64")
    return frame


def display_table(frame, *, lang: str = "vi", float_format: str = "{:.2f}", max_rows: int = 70):
    """Display a table: :func:`cchc_analysis.tables.show_table` under its former name."""
    show_table(frame, lang=lang, float_format=float_format, max_rows=max_rows)


def gap_table(gaps, *, lang: str = "vi", with_document: bool = False):
    """The columns of :func:`cchc_analysis.assess_targets` a reader needs, status in ``lang``.

    Columns: [document_id], indicator (``indicator_vi`` or ``indicator_en``), comparator,
    target_value, unit, deadline, actual, actual_year (the year of the figure shown),
    gap, gap_unit (in ``lang``: a gap on a % target is in percentage points, "điểm %" /
    "pp"), status (translated), note.
    """
    from .labels import gap_unit_label, status_label

    text = "indicator_en" if lang == "en" else "indicator_vi"
    cols = (["document_id"] if with_document else []) + [
        text, "comparator", "target_value", "unit", "deadline", "actual", "actual_year", "gap", "status", "note",
    ]
    table = gaps[cols].rename(columns={text: "indicator"})
    units = gaps["gap_unit"] if "gap_unit" in gaps.columns else [None] * len(gaps)
    table.insert(table.columns.get_loc("gap") + 1, "gap_unit", [gap_unit_label(u, lang) for u in units])
    return table.assign(status=[status_label(s, lang) for s in table["status"]])


def index_overview(data=None, *, lang: str = "vi"):
    """What the bundled data hold for each index: years, coverage, components, sources.

    Returns
    -------
    DataFrame, one row per index (PAR Index, SIPAS, PAPI, PCI, DTI): index, name (in
    ``lang``), publisher, first_year, last_year, full_years (years in which at least 90 % of
    the units have a score), partial_years (years with fewer), components (besides the
    overall score), rows, sources (distinct ``source_id``).
    """
    import pandas as pd

    from .indicators import coverage, load_indicators
    from .labels import check_lang
    from .schema import INDICES

    check_lang(lang)
    data = load_indicators() if data is None else data
    cov = coverage(data)
    rows = []
    for idx in INDEX_ORDER:
        part = data[data["index"] == idx]
        years = cov[cov["index"] == idx]
        full = set(years.loc[years["share"] >= 0.9, "year"])
        rows.append({
            "index": idx,
            "name": INDICES[idx][f"name_{lang}"],
            "publisher": INDICES[idx]["publisher"],
            "first_year": int(part["year"].min()) if len(part) else pd.NA,
            "last_year": int(part["year"].max()) if len(part) else pd.NA,
            "full_years": len(full),
            "partial_years": int(years["year"].nunique()) - len(full),
            "components": int(part["component"].nunique()) - int((part["component"] == "overall").any()),
            "rows": len(part),
            "sources": int(part["source_id"].nunique()),
        })
    frame = pd.DataFrame(rows)
    for col in ("first_year", "last_year"):
        frame[col] = frame[col].astype("Int64")
    return frame
