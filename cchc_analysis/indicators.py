"""Load the bundled, sourced indicator tables.

The tables live in ``data/`` (see ``data/README.md``) and are produced by
``scripts/build_data.py`` from the publishers' original files.  Reading is fast: each
index is one CSV, parsed once per process and copied on every call.  Each file is checked
against ``data/checksums.csv`` on that first read; one that differs is validated against the
schema, naming the file and row (see :mod:`cchc_analysis.checksums`).
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import checksums, config
from .schema import INDICATOR_COLUMNS, INDICATOR_KEY, INDICES

__all__ = [
    "load_indicators",
    "load_sources",
    "load_breaks",
    "load_aggregates",
    "load_components",
    "load_alternatives",
    "coverage",
]

# Text columns stay plain object strings: pandas' "string" dtype costs several times more to parse.
_DTYPES = {
    "index": str,
    "year": "int64",
    "boundaries": str,
    "province_code": str,
    "province": str,
    "component": str,
    "value": "float64",
    "rank": "Int64",
    "unit": str,
    "source_id": str,
    "note": str,
}


def _missing_data_error(path) -> FileNotFoundError:
    user = config.user_data_dir()
    mine = f" nor in your folder {user} (CCHC_DATA_DIR)" if user is not None else ""
    return FileNotFoundError(
        f"table not found at {path}{mine}. The tables ship inside the package: reinstall it, or in a "
        "clone rebuild them with `make data` (needs ../shared/reference-data); to use your own copy, "
        "set CCHC_DATA_DIR or call cchc.set_data_dir(DIR)."
    )


def _checked_bytes(name: str, path: str | Path | None = None) -> bytes:
    """The bytes of a table, verified against the ``checksums.csv`` beside it (or validated).

    ``name`` is read from your data folder when it holds that file, else from the bundled
    tables (:func:`cchc_analysis.config.data_path`).
    """
    path = Path(path) if path is not None else config.data_path(name)
    if not path.exists():
        raise _missing_data_error(path)
    raw = path.read_bytes()
    checksums.verify(name, raw, path.parents[len(Path(name).parts) - 1])
    return raw


def _parse_indicators(raw: bytes) -> pd.DataFrame:
    # Explicit dtypes and only empty cells as missing: no name such as "NA" is ever lost.
    return pd.read_csv(io.BytesIO(raw), dtype=_DTYPES, keep_default_na=False,
                       na_values={"value": [""], "rank": [""], "note": [""]})


# Cached per file read (the key is its path), so a change of data folder reads again.
@lru_cache(maxsize=None)
def _read_index(index: str, path: str) -> pd.DataFrame:
    return _parse_indicators(_checked_bytes(f"indicators/{index}.csv", path))


def _as_list(value, name: str) -> list | None:
    if value is None:
        return None
    if isinstance(value, (str, int)):
        return [value]
    try:
        return list(value)
    except TypeError:
        raise TypeError(f"{name} must be a value or a list of values, got {type(value).__name__}") from None


def load_indicators(
    index: str | Iterable[str] | None = None,
    *,
    years: int | Iterable[int] | range | None = None,
    provinces: str | Iterable[str] | None = None,
    components: str | Iterable[str] | None = None,
    boundaries: str | None = None,
) -> pd.DataFrame:
    """Indicator values for provinces, one row per (index, year, boundaries, province, component).

    Parameters
    ----------
    index : "par", "sipas", "papi", "pci", "dti", the partial "svc766" (Decision 766 service
        index) and "ict" (2017 ICT application ranking, a DTI precursor), a list, or None for all.
    years : a year, a list or range of years, or None for all.
    provinces : names or codes in any spelling the registry resolves (legacy units;
        ``boundaries="2025"`` resolves against the 34 units).
    components : "overall" or component keys (see :func:`load_components`).
    boundaries : "legacy" or "2025" to keep one set of units; None keeps both.

    Returns
    -------
    DataFrame with columns index, year, boundaries, province_code, province, component,
    value, rank, unit, source_id, note (see :mod:`cchc_analysis.schema`).

    Examples
    --------
    >>> pci = load_indicators("pci", years=2014, provinces="Đà Nẵng", components="overall")
    >>> pci[["value", "rank"]].iloc[0].tolist()
    [66.87, 1]
    """
    wanted = _as_list(index, "index") or list(INDICES)
    unknown = [i for i in wanted if i not in INDICES]
    if unknown:
        raise ValueError(f"index {unknown[0]!r} unknown; use one of {sorted(INDICES)} or None for all")
    frames = [_read_index(i, str(config.data_path(f"indicators/{i}.csv"))) for i in wanted]
    data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    mask = pd.Series(True, index=data.index)
    if boundaries is not None:
        if boundaries not in ("legacy", "2025"):
            raise ValueError(f"boundaries must be 'legacy', '2025' or None, got {boundaries!r}")
        mask &= data["boundaries"] == boundaries
    year_list = _as_list(years, "years")
    if year_list is not None:
        mask &= data["year"].isin([int(y) for y in year_list])
    prov_list = _as_list(provinces, "provinces")
    if prov_list is not None:
        from .provinces import resolve_province

        codes = [resolve_province(str(p), boundaries=boundaries or "legacy").code for p in prov_list]
        mask &= data["province_code"].isin(codes)
        if boundaries is None:
            mask &= data["boundaries"] == "legacy"
    comp_list = _as_list(components, "components")
    if comp_list is not None:
        known = set(data["component"].unique())
        bad = [c for c in comp_list if c not in known]
        if bad:
            import difflib

            close = difflib.get_close_matches(bad[0], sorted(known), n=3)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise ValueError(f"component {bad[0]!r} not in the selected data.{hint} See load_components().")
        mask &= data["component"].isin(comp_list)
    out = data[mask] if not mask.all() else data
    return out.reset_index(drop=True).copy()


@lru_cache(maxsize=None)
def _read_table(name: str, path: str) -> pd.DataFrame:
    raw = _checked_bytes(name, path)
    return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False).replace("", pd.NA)


def load_sources() -> pd.DataFrame:
    """The sources table: one row per ``source_id``.

    Columns: source_id, kind (``file``: an original file the build read; ``web page``: press
    and official portals; ``plan document``: a provincial plan or news of it, whose quoted past
    figures fill keys no other source gives; ``reference``: legal texts cited without figures),
    publisher, title, url, file, published, accessed, licence, short_citation_vi,
    short_citation_en, note.

    With a data folder of yours (:func:`cchc_analysis.config.set_data_dir`), the rows of its
    ``sources.csv`` come first and the bundled rows follow (a ``source_id`` you list replaces
    the bundled row).
    """
    bundled = config.bundled_data_dir() / "sources.csv"
    mine = config.data_path("sources.csv")
    frame = _read_table("sources.csv", str(bundled))
    if mine != bundled:  # your sources add to the bundled ones; yours win on the same source_id
        own = _read_table("sources.csv", str(mine))
        frame = pd.concat([own, frame[~frame["source_id"].isin(own["source_id"])]], ignore_index=True)
    return frame.copy()


def load_breaks(*, notes: bool = False) -> pd.DataFrame:
    """Comparability breaks: one row per (index, component, year).

    Columns: index, component ("*" = every component), year (first year of the new
    series), kind ("method", "scale", "boundaries"), description, source_id.

    ``notes=True`` adds rows of kind ``"note"``: content changes a reader should be told
    about (e.g. a PAPI dimension gaining a sub-dimension) that do not split the series.
    They are left out by default because every other kind stops a trend.
    """
    frame = _read_table("breaks.csv", str(config.data_path("breaks.csv"))).copy()
    frame["year"] = frame["year"].astype(int)
    if not notes:
        frame = frame[frame["kind"] != "note"].reset_index(drop=True)
    return frame


def load_aggregates() -> pd.DataFrame:
    """National and regional figures as published (never computed here).

    Columns: index, year, entity ("national" or a region key), statistic ("mean",
    "max_minus_min"), component, value, rank, unit, source_id, note.
    """
    frame = _read_table("aggregates.csv", str(config.data_path("aggregates.csv"))).copy()
    frame["year"] = frame["year"].astype(int)
    frame["value"] = pd.to_numeric(frame["value"])
    frame["rank"] = pd.to_numeric(frame["rank"]).astype("Int64")
    return frame


def load_components() -> pd.DataFrame:
    """Component metadata: one row per (index, component).

    Columns: index, component, name_vi, name_en, unit, min, max (theoretical range; empty
    when the maximum changes by year), higher_is_better, first_year, last_year (years with
    data), description, and for PAPI and PAR Index components ``ranges`` (the range by year).

    Components beyond ``overall``:

    * ``pci``: the ten sub-indices (0-10), from the workbooks to 2019 and from pcivietnam.vn
      province pages and the press for 2020-2024 where printed;
    * ``papi``: dimensions and sub-dimensions (``d5_procedures.personal_procedures`` ...);
    * ``par``: the blocks the PAR Index is assembled from (``appraised``, ``survey_leaders``,
      ``sipas_points``, ``socioeconomic_impact``, ``impact_total``) and the assessment areas
      (``direction``, ``institutional``, ``procedures``, ``apparatus``, ``civil_service``,
      ``public_finance``, ``modernisation``, ``impact``) in points, with the maximum points
      printed for each year in ``ranges``; ``<area>_pct`` is an area as a percentage of its
      maximum;
    * ``dti``: the pillars ``digital_government``, ``digital_economy``, ``digital_society`` (0-1);
    * ``svc766`` (Decision 766 service index, partial): ``transparency`` (18 points),
      ``progress`` (20), ``online_services`` (12), ``online_payment`` (10),
      ``online_services_total`` (22, the five-group display), ``satisfaction`` (18),
      ``digitisation`` (22): points, not shares of dossiers.
    """
    frame = _read_table("components.csv", str(config.data_path("components.csv"))).copy()
    for col in ("min", "max"):
        frame[col] = pd.to_numeric(frame[col])
    return frame


def load_alternatives() -> pd.DataFrame:
    """Figures that conflict with the value kept for a key (other sources), same columns
    as :func:`load_indicators`."""
    return _parse_indicators(_checked_bytes("indicators/alternatives.csv"))


def coverage(data: pd.DataFrame | None = None, *, component: str = "overall") -> pd.DataFrame:
    """How many provinces have a value or a rank, per index, year and boundaries.

    ``component`` must occur in ``data`` (ValueError with close matches otherwise), so a typo
    never looks like an index without data.

    Returns
    -------
    DataFrame with columns index, year, boundaries, provinces (with a value or rank),
    with_value, with_rank, units (size of the set: 63, 64 or 34), share (provinces / units).
    """
    from .provinces import list_provinces

    data = load_indicators() if data is None else data
    known = sorted(set(data["component"]), key=lambda c: (c != "overall", c))
    if len(data) and component not in known:
        import difflib

        indices = ", ".join(sorted(set(data["index"])))
        close = difflib.get_close_matches(str(component), known, n=3)
        hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
        shown = ", ".join(known[:15]) + (f", ... ({len(known)} in all)" if len(known) > 15 else "")
        raise ValueError(f"component {component!r} is not in the {indices} data{hint}. Components there: {shown}")
    part = data[data["component"] == component]
    grouped = part.groupby(["index", "year", "boundaries"], observed=True)
    out = grouped.agg(
        provinces=("province_code", "nunique"),
        with_value=("value", lambda s: int(s.notna().sum())),
        with_rank=("rank", lambda s: int(s.notna().sum())),
    ).reset_index()
    sizes = {"legacy": len(list_provinces()), "2025": len(list_provinces(boundaries="2025"))}
    ha_tay = part[part["province_code"] == "28"].groupby(["index", "year"]).size()
    out["units"] = [
        sizes[b] + (1 if b == "legacy" and (i, y) in ha_tay.index else 0)
        for i, y, b in zip(out["index"], out["year"], out["boundaries"])
    ]
    out["share"] = (out["provinces"] / out["units"]).round(3)
    order = {k: n for n, k in enumerate(INDICES)}
    out = out.sort_values(["index", "year", "boundaries"], key=lambda s: s.map(order) if s.name == "index" else s)
    return out.reset_index(drop=True)


# Re-exported for callers that build their own tables.
KEY = INDICATOR_KEY
COLUMNS = INDICATOR_COLUMNS
