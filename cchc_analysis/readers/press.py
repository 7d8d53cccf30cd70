"""Reader for province figures collected from the press and official portals.

The files (``index,year,province,score,rank,source_url[,note]``) hold what somebody
published: full DTI tables, partial PAR Index and SIPAS tables (top/bottom groups,
single provinces).  Each row keeps the address it came from as its source.

Rules, so that nothing is estimated:

* a score printed as an approximation or a bound ("~87", ">91") is not a value: the row
  keeps its rank if it has one and the printed form goes into ``note``;
* a row with neither an exact score nor a rank (group memberships such as "one of the
  bottom five") is not an indicator value and is returned in ``skipped``;
* when two sources give a figure for the same key, the row with both score and rank wins
  over one with either alone, then the first row read; the others are returned in
  ``alternatives`` (so conflicts stay visible, never averaged).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from ..schema import INDICATOR_KEY, SchemaError, tidy_indicators, validate_indicators

__all__ = ["PressTable", "read_press_csv", "source_id_for_url", "UNIT_BY_INDEX"]

UNIT_BY_INDEX = {"par": "percent", "sipas": "percent", "dti": "index_0_1"}
_URL = re.compile(r"https?://[^\s,;)\"]+")
_NUMBER = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*$")

# Our own short wording for the kinds of caveat the collectors flagged.
_NOTE_RULES = (
    ("derived", "rank derived from a published rank change"),
    ("inferred", "rank inferred from the published score order"),
    ("listing order", "rank taken from the published listing order"),
    ("conflict", "another source gives a different figure (see alternatives)"),
    ("inconsistent", "another source gives a different figure (see alternatives)"),
    ("different decimals", "another source gives slightly different decimals (see alternatives)"),
    ("rank not stated", "rank not published in this source"),
)


@dataclass
class PressTable:
    """Result of :func:`read_press_csv`.

    Attributes
    ----------
    indicators : tidy rows (schema of :mod:`cchc_analysis.schema`).
    alternatives : rows for a key already taken by an earlier source.
    skipped : rows with no exact figure, with the reason in ``reason``.
    sources : one row per source id: source_id, publisher, title, url, note.
    """

    indicators: pd.DataFrame
    alternatives: pd.DataFrame
    skipped: pd.DataFrame
    sources: pd.DataFrame


def source_id_for_url(text: str) -> str:
    """A stable, readable id for a web source: ``web-<domain>-<hash6>``.

    >>> source_id_for_url("https://dti.gov.vn/xep-hang-2022")
    'web-dti.gov.vn-4a6c02'
    """
    match = _URL.search(text)
    url = match.group(0) if match else text.strip()
    domain = urlparse(url).netloc.lower().removeprefix("www.").removeprefix("m.") or "unknown"
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:6]
    return f"web-{domain}-{digest}"


def _own_note(note: object) -> str | None:
    if not isinstance(note, str) or not note.strip():
        return None
    low = note.lower()
    for needle, wording in _NOTE_RULES:
        if needle in low:
            return wording
    return None


def read_press_csv(path: str | Path, *, boundaries: str = "legacy") -> PressTable:
    """Read one press-figure CSV into tidy rows.

    Parameters
    ----------
    path : CSV with columns index, year, province, score, rank, source_url[, note].
    boundaries : "legacy" for tables of the 63 provinces, "2025" for the 34 units.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemaError(path.name, [f"byte {exc.start}: not UTF-8 text; save the file as UTF-8 CSV"]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SchemaError(path.name, [f"malformed CSV ({str(exc).strip()}); check quotes and the number of columns"]) from None
    needed = {"index", "year", "province", "score", "rank", "source_url"}
    if not needed <= set(raw.columns):
        raise ValueError(f"{path.name}: expected columns {sorted(needed)}, found {list(raw.columns)}")
    raw["_line"] = range(2, len(raw) + 2)
    if "note" not in raw.columns:
        raw["note"] = ""

    rows, skipped, sources, problems = [], [], {}, []
    for rec in raw.to_dict("records"):
        score, rank = rec["score"].strip(), rec["rank"].strip()
        where = f"row {rec['_line']}"
        index_key = rec["index"].strip().lower()
        if index_key not in UNIT_BY_INDEX:
            problems.append(f"{where}: index {rec['index']!r} is not one of {sorted(UNIT_BY_INDEX)} "
                            "(press files hold PAR Index, SIPAS and DTI figures)")
            continue
        if not re.fullmatch(r"\d{4}", rec["year"].strip()):
            problems.append(f"{where}: year {rec['year']!r} is not a year; write the assessment year, e.g. 2023")
            continue
        if rank and not rank.isdigit():
            problems.append(f"{where}: rank {rank!r} is not a whole number; write the published rank, or leave "
                            "it empty and say why in note")
            continue
        note = _own_note(rec["note"])
        value = float(score.replace(",", ".")) if _NUMBER.match(score) else None
        if score and value is None:
            note = "; ".join(filter(None, [f"score printed only as {score!r}", note]))
        if value is None and not rank:
            skipped.append({**rec, "reason": "no exact score and no rank"})
            continue
        sid = source_id_for_url(rec["source_url"])
        if sid not in sources:
            match = _URL.search(rec["source_url"])
            url = match.group(0) if match else ""
            sources[sid] = {
                "source_id": sid,
                "publisher": urlparse(url).netloc.removeprefix("www.") if url else "",
                "title": f"{rec['index'].upper()} {rec['year']} figures reported by {urlparse(url).netloc.removeprefix('www.')}",
                "url": url,
                "note": "" if rec["source_url"].strip() == url else rec["source_url"].strip(),
            }
        rows.append(
            {
                "index": index_key,
                "year": int(rec["year"]),
                "province": rec["province"],
                "component": "overall",
                "value": value,
                "rank": int(rank) if rank else None,
                "source_id": sid,
                "note": note,
                "_line": rec["_line"],
            }
        )
    if problems:
        raise SchemaError(path.name, problems)
    frame = pd.DataFrame(rows)
    tidy_parts = []
    for index, part in frame.groupby("index", sort=False):
        part = part.reset_index(drop=True)
        tidy = tidy_indicators(
            part,
            index=str(index),
            unit=UNIT_BY_INDEX[str(index)],
            boundaries=boundaries,
            origin=path.name,
        )
        tidy_parts.append(tidy.assign(_line=part["_line"].to_numpy()))
    tidy = pd.concat(tidy_parts, ignore_index=True) if tidy_parts else frame
    if tidy_parts:  # ranges and ranks, with the file's row numbers (duplicates are alternatives here)
        validate_indicators(tidy, origin=path.name, duplicates=False)
    tidy = tidy.drop(columns="_line")
    # Per key, keep the row that says most (score and rank over either alone), then the first.
    informative = tidy["value"].notna().astype(int) + tidy["rank"].notna().astype(int)
    tidy = tidy.assign(_info=-informative).sort_values("_info", kind="stable").drop(columns="_info")
    dup = tidy.duplicated(list(INDICATOR_KEY), keep="first")
    return PressTable(
        indicators=tidy[~dup].reset_index(drop=True),
        alternatives=tidy[dup].reset_index(drop=True),
        skipped=pd.DataFrame(skipped),
        sources=pd.DataFrame(sources.values()),
    )
