"""Helpers that keep the notebooks in ``notebooks/`` to a page of calls.

* :func:`check_parameters` validates a notebook's parameters in its first cell, so a bad
  value fails at once with a message naming the parameter and the fix;
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
    from the scores when the publisher gives none: ``rank_basis`` says which), n_ranked,
    percentile (share of provinces with a lower score, from ``compare.percentile_ranks``),
    source_id.  Indices with no figure for the province are listed with empty cells.
    """
    import pandas as pd

    from .compare import percentile_ranks, rank_from_scores
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
        table = part[part["year"] == year]
        row = mine[mine["year"] == year].iloc[0]
        rank, basis, n = row["rank"], "published", int(table["rank"].notna().sum())
        pct = None
        if table["value"].notna().sum() >= 0.9 * len(table) and len(table) >= 30:
            ranked = rank_from_scores(table)
            own = ranked[ranked["province_code"] == unit.code].iloc[0]
            if pd.isna(rank):
                rank, basis, n = own["computed_rank"], "computed from scores", int(own["n_ranked"])
            pct = percentile_ranks(table)
            pct = float(pct.loc[pct["province_code"] == unit.code, "percentile"].iloc[0])
        elif pd.notna(rank):
            basis = "published (partial table)"
        rows.append(
            {
                "index": idx, "year": year, "value": row["value"], "unit": row["unit"],
                "rank": rank, "rank_basis": basis, "n_ranked": n, "percentile": pct,
                "source_id": row["source_id"],
            }
        )
    frame = pd.DataFrame(rows)
    for col in ("value", "unit", "rank", "rank_basis", "n_ranked", "percentile", "source_id"):
        if col not in frame.columns:  # no index has a figure for the province in ``data``
            frame[col] = pd.NA
    frame["rank"] = pd.to_numeric(frame["rank"], errors="coerce").astype("Int64")
    return frame


def display_table(frame, *, lang: str = "vi", float_format: str = "{:.2f}", max_rows: int = 70):
    """Display a table: :func:`cchc_analysis.tables.show_table` under its former name."""
    show_table(frame, lang=lang, float_format=float_format, max_rows=max_rows)


def gap_table(gaps, *, lang: str = "vi", with_document: bool = False):
    """The columns of :func:`cchc_analysis.assess_targets` a reader needs, status in ``lang``.

    Columns: [document_id], indicator (``indicator_vi`` or ``indicator_en``), comparator,
    target_value, unit, deadline, actual, actual_year, gap, status (translated), note.
    """
    from .labels import status_label

    text = "indicator_en" if lang == "en" else "indicator_vi"
    cols = (["document_id"] if with_document else []) + [
        text, "comparator", "target_value", "unit", "deadline", "actual", "actual_year", "gap", "status", "note",
    ]
    table = gaps[cols].rename(columns={text: "indicator"})
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
