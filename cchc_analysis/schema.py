"""The tidy indicator schema and its validation.

One row per (``index``, ``year``, ``boundaries``, ``province_code``, ``component``):

=============== ==========================================================================
column          meaning
=============== ==========================================================================
index           ``par``, ``sipas``, ``papi``, ``pci``, ``dti``; partial: ``svc766``, ``ict``
year            assessment year (the year measured, not the year of publication)
boundaries      ``legacy`` (63 units of 2008-2025, plus Hà Tây) or ``2025`` (34 units)
province_code   GSO code of the unit, e.g. ``"49"`` Quảng Nam
province        canonical Vietnamese name from the registry
component       ``overall`` or a sub-index / dimension key (see ``load_components()``)
value           the published score; NaN when only a rank was published
rank            the published rank (nullable); never computed here
unit            ``score``, ``percent`` or ``index_0_1``
source_id       resolves in the sources table (``load_sources()``)
note            caveats from the source (conflicts, derived ranks), else empty
=============== ==========================================================================

:func:`validate_indicators` rejects duplicate keys, out-of-range values, unknown
provinces and unresolvable source ids, naming the file, the row and the fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "INDICES",
    "INDICATOR_COLUMNS",
    "INDICATOR_KEY",
    "UNITS",
    "SchemaError",
    "validate_indicators",
    "tidy_indicators",
]

INDICES: dict[str, dict[str, str]] = {
    "par": {
        "name_en": "PAR Index (Public Administration Reform Index)",
        "name_vi": "Chỉ số cải cách hành chính (PAR INDEX)",
        "publisher": "Ministry of Home Affairs (Bộ Nội vụ)",
    },
    "sipas": {
        "name_en": "SIPAS (Satisfaction Index of Public Administrative Services)",
        "name_vi": "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
        "publisher": "Ministry of Home Affairs (Bộ Nội vụ)",
    },
    "papi": {
        "name_en": "PAPI (Provincial Governance and Public Administration Performance Index)",
        "name_vi": "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)",
        "publisher": "CECODES, VFF-CRT, RTA and UNDP",
    },
    "pci": {
        "name_en": "PCI (Provincial Competitiveness Index)",
        "name_vi": "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)",
        "publisher": "VCCI (Vietnam Chamber of Commerce and Industry)",
    },
    "dti": {
        "name_en": "DTI (Digital Transformation Index)",
        "name_vi": "Chỉ số chuyển đổi số (DTI)",
        "publisher": "Ministry of Information and Communications (Bộ Thông tin và Truyền thông)",
    },
    # Partial: a handful of real-time readings from the National Public Service Portal, not a yearly table.
    "svc766": {
        "name_en": "Citizen and business service index (Decision 766/QĐ-TTg; partial)",
        "name_vi": "Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg; một phần)",
        "publisher": "Office of the Government (Văn phòng Chính phủ), National Public Service Portal",
    },
    # A precursor of the DTI, kept apart from it (a different framework; see breaks.csv).
    "ict": {
        "name_en": "ICT application and e-government ranking (DTI precursor)",
        "name_vi": "Xếp hạng mức độ ứng dụng CNTT, phát triển Chính phủ điện tử (tiền thân của DTI)",
        "publisher": "Ministry of Information and Communications (Bộ Thông tin và Truyền thông)",
    },
}

INDICATOR_KEY: tuple[str, ...] = ("index", "year", "boundaries", "province_code", "component")
INDICATOR_COLUMNS: tuple[str, ...] = INDICATOR_KEY[:4] + (
    "province",
    "component",
    "value",
    "rank",
    "unit",
    "source_id",
    "note",
)
UNITS: dict[str, str] = {
    "score": "points on the publisher's scale",
    "percent": "per cent (0-100)",
    "index_0_1": "index from 0 to 1",
}
# Ranges a published value can take, per (index, unit); components may narrow them.
_DEFAULT_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("par", "percent"): (0.0, 100.0),
    ("sipas", "percent"): (0.0, 100.0),
    ("dti", "index_0_1"): (0.0, 1.0),
    ("pci", "score"): (0.0, 100.0),
    ("papi", "score"): (0.0, 80.0),
    ("par", "score"): (0.0, 100.0),  # component points (each area has its own maximum, see components.csv)
    ("svc766", "score"): (0.0, 100.0),
    ("ict", "index_0_1"): (0.0, 1.0),
}
_MAX_RANK = 64
_MAX_PROBLEMS = 200


class SchemaError(ValueError):
    """A table breaks the tidy schema.  ``problems`` lists every finding."""

    def __init__(self, origin: str, problems: list[str]):
        self.origin = origin
        self.problems = problems
        shown = "\n  - ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{origin}: {len(problems)} problem(s):\n  - {shown}{more}")


def _plain(value: object) -> object:
    """numpy scalars as plain Python values, so messages read year=2023, not np.int64(2023)."""
    item = getattr(value, "item", None)
    return item() if callable(item) and type(value).__module__ == "numpy" else value


def _row_label(df: "pd.DataFrame", i: int) -> str:
    # Row numbers as a spreadsheet user sees them: header is line 1.
    line = df["_line"].iloc[i] if "_line" in df.columns else i + 2
    return f"row {line}"


def validate_indicators(
    data: "pd.DataFrame",
    *,
    origin: str = "<DataFrame>",
    source_ids: Iterable[str] | None = None,
    ranges: dict[tuple[str, str], tuple[float, float]] | None = None,
    duplicates: bool = True,
) -> "pd.DataFrame":
    """Check a tidy indicator table; return it unchanged when valid.

    Parameters
    ----------
    data : tidy indicator table (see module docstring).
    origin : file name or description used in error messages.
    source_ids : known source ids; when given, every ``source_id`` must be one of them.
    ranges : (index, component) -> (min, max) for component-specific ranges; values are
        also checked against the publisher's overall scale per (index, unit).
    duplicates : check that keys are unique (off for tables that keep alternatives).

    Raises
    ------
    SchemaError
        listing each problem with its row and the fix.
    """
    import pandas as pd

    from .provinces import UnknownProvinceError, resolve_province

    problems: list[str] = []
    missing = [c for c in INDICATOR_COLUMNS if c not in data.columns]
    if missing:
        raise SchemaError(origin, [f"missing column(s) {missing}; expected {list(INDICATOR_COLUMNS)}"])

    bad_index = ~data["index"].isin(INDICES)
    for i in bad_index[bad_index].index[:20]:
        pos = data.index.get_loc(i)
        problems.append(f"{_row_label(data, pos)}: index {data.at[i, 'index']!r} unknown; use one of {sorted(INDICES)}")

    bad_units = ~data["unit"].isin(UNITS)
    for i in bad_units[bad_units].index[:20]:
        pos = data.index.get_loc(i)
        problems.append(f"{_row_label(data, pos)}: unit {data.at[i, 'unit']!r} unknown; use one of {sorted(UNITS)}")

    dup = data.duplicated(list(INDICATOR_KEY), keep=False) if duplicates else None
    if dup is not None and dup.any():
        groups = data[dup].groupby(list(INDICATOR_KEY), sort=True, dropna=False).groups
        shown = 0
        for _, members in groups.items():
            positions = [data.index.get_loc(i) for i in members]
            for pos in positions:
                if shown >= 6:
                    break
                i = data.index[pos]
                key = ", ".join(f"{k}={_plain(data.at[i, k])!r}" for k in INDICATOR_KEY)
                others = ", ".join(_row_label(data, q).removeprefix("row ") for q in positions if q != pos)
                problems.append(
                    f"{_row_label(data, pos)}: duplicate key ({key}), also on row {others}; keep one row per key"
                )
                shown += 1

    both_missing = data["value"].isna() & data["rank"].isna()
    for i in both_missing[both_missing].index[:20]:
        pos = data.index.get_loc(i)
        problems.append(f"{_row_label(data, pos)}: neither value nor rank; drop the row or give the published figure")

    values = pd.to_numeric(data["value"], errors="coerce")
    not_numeric = values.isna() & data["value"].notna()
    for i in not_numeric[not_numeric].index[:20]:
        pos = data.index.get_loc(i)
        problems.append(f"{_row_label(data, pos)}: value {str(data.at[i, 'value'])!r} is not a number")

    for i in data.index[values.notna()]:
        idx, unit, comp, v = data.at[i, "index"], data.at[i, "unit"], data.at[i, "component"], values[i]
        default = _DEFAULT_RANGES.get((idx, unit), (float("-inf"), float("inf")))
        lo, hi = (ranges or {}).get((idx, comp), default)
        lo, hi = (default[0] if lo != lo else lo), (default[1] if hi != hi else hi)  # NaN: no bound published
        if not lo <= v <= hi:
            pos = data.index.get_loc(i)
            problems.append(
                f"{_row_label(data, pos)}: {idx}/{comp} value {v} outside [{lo}, {hi}] ({unit}); "
                "check the column read or the decimal separator"
            )
            if len(problems) > 200:
                break

    ranks = pd.to_numeric(data["rank"], errors="coerce")
    bad_rank = ranks.notna() & ((ranks < 1) | (ranks > _MAX_RANK) | (ranks % 1 != 0))
    for i in bad_rank[bad_rank].index[:20]:
        pos = data.index.get_loc(i)
        r = _plain(ranks[i])
        what = "is not a whole number" if r % 1 else f"is outside 1..{_MAX_RANK}"
        problems.append(f"{_row_label(data, pos)}: rank {data.at[i, 'rank']} {what}; give the published rank (1 = best)")

    seen: dict[tuple[str, str], bool] = {}
    for i in data.index:
        key = (str(data.at[i, "boundaries"]), str(data.at[i, "province_code"]))
        if key in seen:
            continue
        try:
            unit = resolve_province(key[1], boundaries=key[0])  # type: ignore[arg-type]
            seen[key] = unit.code == key[1]
        except (UnknownProvinceError, ValueError):
            seen[key] = False
        if not seen[key]:
            pos = data.index.get_loc(i)
            problems.append(
                f"{_row_label(data, pos)}: province_code {key[1]!r} is not a {key[0]} unit; "
                "resolve names with cchc_analysis.resolve_province()"
            )

    if source_ids is not None:
        known = set(source_ids)
        unknown = data.loc[~data["source_id"].isin(known), "source_id"]
        for sid in list(dict.fromkeys(unknown))[:20]:
            pos = data.index.get_loc(unknown[unknown == sid].index[0])
            problems.append(f"{_row_label(data, pos)}: source_id {sid!r} not in the sources table; add it to sources.csv")

    if problems:
        raise SchemaError(origin, problems)
    return data


def tidy_indicators(
    records: "pd.DataFrame",
    *,
    index: str,
    unit: str,
    source_id: str | None = None,
    boundaries: str = "legacy",
    origin: str = "<DataFrame>",
) -> "pd.DataFrame":
    """Turn reader output into schema order: resolve provinces, add index/unit/source.

    ``records`` needs ``year``, ``component``, ``value``, ``rank`` and either
    ``province_code`` or ``province`` (any spelling); ``source_id`` and ``note``
    columns are kept when present, else ``source_id`` must be given.
    Unknown province names raise :class:`SchemaError` naming the row and close matches.
    """
    import pandas as pd

    from .provinces import UnknownProvinceError, resolve_province

    df = records.copy()
    if "province_code" not in df.columns:
        if "province" not in df.columns:
            raise SchemaError(origin, ["needs a 'province' or 'province_code' column"])
        codes, problems = [], []
        for pos, name in enumerate(df["province"]):
            try:
                codes.append(resolve_province(str(name), boundaries=boundaries).code)  # type: ignore[arg-type]
            except UnknownProvinceError as exc:
                codes.append(None)
                problems.append(f"{_row_label(df, pos)}: {exc}")
                if len(problems) >= _MAX_PROBLEMS:  # each search for close matches costs; enough to act on
                    problems.append(f"... stopped after {_MAX_PROBLEMS} unknown names; is the province column right?")
                    break
        if problems:
            raise SchemaError(origin, problems)
        df["province_code"] = codes
    units = {p: resolve_province(p, boundaries=boundaries) for p in df["province_code"].unique()}  # type: ignore[arg-type]
    df["province_code"] = df["province_code"].map(lambda c: units[c].code)
    df["province"] = df["province_code"].map(lambda c: units[c].name)
    df["index"] = index
    df["unit"] = unit
    df["boundaries"] = boundaries
    if "source_id" not in df.columns:
        if source_id is None:
            raise SchemaError(origin, ["no source_id column and no source_id= given"])
        df["source_id"] = source_id
    if "note" not in df.columns:
        df["note"] = pd.NA
    ranks = pd.to_numeric(df["rank"], errors="coerce")
    years = pd.to_numeric(df["year"], errors="coerce")
    given = df["rank"].notna() & (df["rank"].astype(str).str.strip() != "")
    bad_rank = (given & (ranks.isna() | (ranks % 1 != 0))).to_numpy()
    bad_year = (years.isna() | (years % 1 != 0)).to_numpy()
    problems = [
        f"{_row_label(df, pos)}: rank {_plain(df['rank'].iloc[pos])!r} is not a whole number; give the published rank"
        for pos in bad_rank.nonzero()[0][:20]
    ]
    problems += [
        f"{_row_label(df, pos)}: year {_plain(df['year'].iloc[pos])!r} is not a year; give the assessment year, e.g. 2023"
        for pos in bad_year.nonzero()[0][:20]
    ]
    if problems:
        raise SchemaError(origin, problems)
    df["year"] = years.astype(int)
    df["value"] = pd.to_numeric(df["value"], errors="coerce").astype(float)
    df["rank"] = ranks.astype("Int64")
    return df[list(INDICATOR_COLUMNS)].reset_index(drop=True)
