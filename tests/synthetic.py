"""Synthetic data builders for the tests: small frames built in code, never real data.

Every builder's name contains "synthetic"; every row's ``source_id`` says so too.
"""

from __future__ import annotations

import unicodedata
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from cchc_analysis.provinces import list_provinces, resolve_province
from cchc_analysis.schema import INDICATOR_COLUMNS as SCHEMA_COLUMNS

SYNTHETIC_SOURCE = "synthetic:test"

INDICATOR_COLUMNS = list(SCHEMA_COLUMNS)  # the schema's own list, so the two never drift

#: Default five provinces (legacy codes) and their straight-line scores 2015-2020.
DEFAULT_SERIES = {
    "01": [40.0, 41.0, 42.0, 43.0, 44.0, 45.0],  # Hà Nội: +1 a year
    "22": [45.0, 45.5, 46.0, 46.5, 47.0, 47.5],  # Quảng Ninh: +0.5
    "48": [44.0, 44.0, 44.0, 44.0, 44.0, 44.0],  # Đà Nẵng: flat
    "49": [42.0, 41.5, 41.0, 40.5, 40.0, 39.5],  # Quảng Nam: -0.5
    "79": [43.0, 43.2, 42.9, 43.4, 43.1, 43.3],  # TP. Hồ Chí Minh: noise
}


def _competition_ranks(values: Sequence[float], higher_is_better: bool = True) -> list:
    s = pd.Series(values, dtype=float)
    r = s.rank(method="min", ascending=not higher_is_better)
    return [pd.NA if pd.isna(v) else int(v) for v in r]


def synthetic_indicators(
    series: Mapping[str, Sequence[float | None]] | None = None,
    *,
    index: str = "papi",
    years: Iterable[int] = range(2015, 2021),
    component: str = "overall",
    boundaries: str = "legacy",
    unit: str = "score",
    ranks: str | Mapping[str, Sequence[int | None]] | None = "compute",
) -> pd.DataFrame:
    """Indicator rows in the ``load_indicators()`` layout.

    ``series`` maps a GSO code to one value per year (None = not published).
    ``ranks``: "compute" = competition ranks among the given provinces (higher value
    better), None = no ranks (as PAPI), or a mapping code -> ranks per year.
    """
    years = list(years)
    series = DEFAULT_SERIES if series is None else series
    for code, vals in series.items():
        if len(vals) != len(years):
            raise ValueError(f"synthetic series {code!r} has {len(vals)} values for {len(years)} years")
    rows = []
    codes = list(series)
    for j, year in enumerate(years):
        vals = [np.nan if series[c][j] is None else float(series[c][j]) for c in codes]
        if ranks == "compute":
            rk = _competition_ranks(vals)
        elif ranks is None:
            rk = [pd.NA] * len(codes)
        else:
            rk = [pd.NA if ranks[c][j] is None else int(ranks[c][j]) for c in codes]
        for c, v, r in zip(codes, vals, rk):
            rows.append(
                {
                    "index": index,
                    "year": int(year),
                    "boundaries": boundaries,
                    "province_code": c,
                    "province": resolve_province(c, boundaries=boundaries).name,
                    "component": component,
                    "value": v,
                    "rank": r,
                    "unit": unit,
                    "source_id": SYNTHETIC_SOURCE,
                    "note": "",
                }
            )
    return _typed(pd.DataFrame(rows, columns=INDICATOR_COLUMNS))


def synthetic_panel(
    *,
    index: str = "papi",
    years: Iterable[int] = range(2016, 2021),
    component: str = "overall",
    boundaries: str = "legacy",
    seed: int = 0,
    start: float = 40.0,
    trend: float = 0.5,
    noise: float = 1.0,
    unit: str = "score",
    ranks: str | None = "compute",
    excluded: Mapping[int, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Every unit of ``boundaries`` (63 legacy or 34) with random-walk-free scores.

    value = start + province offset + trend * (year - first year) + noise * N(0, 1),
    drawn from ``numpy.random.default_rng(seed)``.  ``excluded`` maps a year to codes
    whose score is missing that year (as PAPI 2023 excluded two provinces).
    """
    years = list(years)
    rng = np.random.default_rng(seed)
    units = [p.code for p in list_provinces(boundaries=boundaries)]
    offsets = rng.normal(0, 3, len(units))
    series = {}
    for i, c in enumerate(units):
        vals = [start + offsets[i] + trend * (y - years[0]) + noise * rng.normal() for y in years]
        series[c] = [round(v, 4) for v in vals]
    for year, codes in (excluded or {}).items():
        j = years.index(year)
        for c in codes:
            series[c][j] = None
    return synthetic_indicators(series, index=index, years=years, component=component, boundaries=boundaries, unit=unit, ranks=ranks)


def synthetic_breaks(rows: Sequence[Mapping] | None = None) -> pd.DataFrame:
    """A breaks table; default: PAPI 2018 (method) and the 2025 merger (boundaries)."""
    if rows is None:
        rows = [
            {"index": "papi", "component": "*", "year": 2018, "kind": "method",
             "description": "synthetic: 6 dimensions become 8"},
            {"index": "*", "component": "*", "year": 2025, "kind": "boundaries",
             "description": "synthetic: 63 provinces become 34 units"},
        ]
    out = pd.DataFrame([{"source_id": SYNTHETIC_SOURCE, **r} for r in rows])
    return out[["index", "component", "year", "kind", "description", "source_id"]]


def synthetic_no_breaks() -> pd.DataFrame:
    """An empty breaks table (no comparability break)."""
    return pd.DataFrame(columns=["index", "component", "year", "kind", "description", "source_id"])


TARGET_DEFAULTS = {
    "document_id": "synthetic-plan",
    "province_code": "49",
    "province": "Quảng Nam",
    "plan_period": "2023",
    "kind": "target",
    "domain": "par",
    "indicator_vi": "chỉ tiêu tổng hợp",
    "indicator_en": "synthetic target",
    "comparator": ">=",
    "value": 50.0,
    "unit": "score",
    "deadline": 2023,
    "metric_index": "papi",
    "metric_component": "overall",
    "metric_field": "value",
    "mapping_confidence": "high",
    "mapping_note": "",
}


def synthetic_targets(rows: Sequence[Mapping]) -> pd.DataFrame:
    """A targets table in the ``load_targets()`` layout; unspecified columns take
    :data:`TARGET_DEFAULTS`, ``target_id`` defaults to "T1", "T2", ..."""
    out = []
    for i, r in enumerate(rows, start=1):
        out.append({"target_id": f"T{i}", **TARGET_DEFAULTS, **r})
    frame = pd.DataFrame(out)
    frame["deadline"] = pd.array(frame["deadline"].tolist(), dtype="Int64")
    frame["value"] = frame["value"].astype(float)
    return frame


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    frame["rank"] = pd.array(frame["rank"].tolist(), dtype="Int64")
    return frame


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_windows_1258(text: str) -> bytes:
    """Text as legacy Windows-1258 stores it: base letters precomposed, tone marks combining."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in _TONES:
            out.append(ch)
        elif out and unicodedata.combining(ch):
            out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
        else:
            out.append(ch)
    return "".join(out).encode("cp1258")
