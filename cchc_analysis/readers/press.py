"""Reader for province figures collected from the press and official portals.

The files (``index,year,province,score,rank,source_url[,note]``, plus component columns
where the page printed them) hold what somebody published: full DTI tables, the PCI 2020
ranking, partial PCI 2021-2024, PAR Index and SIPAS tables (top/bottom groups, single
provinces), DTI pillar scores, Decision 766 service-index readings and the 2017 ICT
application ranking.  Each row keeps the address it came from as its source.

Rules, so that nothing is estimated:

* a score printed as an approximation or a bound ("~87", ">91") is not a value: the row
  keeps its rank if it has one and the printed form goes into ``note``;
* a rank taken from the order in which an article lists provinces ("followed by X, Y, Z";
  the collectors' note says "listing order") is not a rank: it is dropped, and the row is
  kept only if it has a score;
* a row with neither an exact score nor a rank (group memberships such as "one of the
  bottom five") is not an indicator value and is returned in ``skipped``;
* when two sources give a figure for the same key (:func:`resolve_figures`), the row with
  both score and rank wins over one with either alone, then the first row read; a row whose
  every figure equals the kept one is a confirmation (dropped, counted); any other row goes
  to ``alternatives`` and a contradiction is flagged on the kept row (conflicts stay
  visible, never averaged or silently resolved).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import urlparse

import pandas as pd

from ..schema import INDICATOR_KEY, SchemaError, tidy_indicators, validate_indicators

__all__ = [
    "PressTable",
    "read_press_csv",
    "resolve_figures",
    "source_id_for_url",
    "UNIT_BY_INDEX",
    "INDEX_ALIASES",
    "CONFLICT_NOTE",
]

UNIT_BY_INDEX = {
    "par": "percent",
    "sipas": "percent",
    "dti": "index_0_1",
    "pci": "score",
    "svc766": "score",
    "ict": "index_0_1",
}
#: How the collectors' files spell some index keys.
INDEX_ALIASES = {"ict_index": "ict", "index766": "svc766"}
CONFLICT_NOTE = "another source gives a different figure (see alternatives)"
_URL = re.compile(r"https?://[^\s,;)\"]+")
_NUMBER = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*$")
_LISTING_RANGE = re.compile(r"ranks?\s+(\d+)\s*[-–]\s*(\d+)\s+from")

# Our own short wording for the kinds of caveat the collectors flagged (every match is kept).
_NOTE_RULES = (
    ("derived", "rank derived from a published rank change"),
    ("inferred", "rank inferred from the published score order"),
    ("conflict", CONFLICT_NOTE),
    ("inconsistent", CONFLICT_NOTE),
    ("different decimals", "another source gives slightly different decimals (see alternatives)"),
    ("rank not stated", "rank not published in this source"),
    ("rank not printed", "rank not published in this source"),
    ("no rank published", "rank not published in this source"),
    ("ranks only for the top 30", "rank reported by the province; VCCI published ranks for the top 30 only"),
    ("stated in the 20", "figure quoted in a later year's article"),
)


@dataclass
class PressTable:
    """Result of :func:`read_press_csv` (and of the component-facts reader).

    Attributes
    ----------
    indicators : tidy rows (schema of :mod:`cchc_analysis.schema`), one per key.
    alternatives : rows for a key already taken that add or contradict a figure.
    skipped : rows with no exact figure, with the reason in ``reason``.
    sources : one row per source id: source_id, publisher, title, url, note.
    confirmations : number of rows whose figures equal the kept row's (not stored twice).
    maxima : published maximum points per (index, component, year), where printed.
    """

    indicators: pd.DataFrame
    alternatives: pd.DataFrame
    skipped: pd.DataFrame
    sources: pd.DataFrame
    confirmations: int = 0
    maxima: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["index", "component", "year", "max", "source_id"]))


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


def web_source(text: str, *, index: str, year: int | str) -> dict:
    """The sources-table row for a web address (first figure read from it names the title)."""
    match = _URL.search(text)
    url = match.group(0) if match else ""
    domain = urlparse(url).netloc.removeprefix("www.") if url else ""
    return {
        "source_id": source_id_for_url(text),
        "publisher": domain,
        "title": f"{index.upper()} {year} figures reported by {domain}",
        "url": url,
        "note": "" if text.strip() == url else text.strip(),
    }


def _own_note(note: object) -> str | None:
    if not isinstance(note, str) or not note.strip():
        return None
    low = note.lower()
    found = list(dict.fromkeys(wording for needle, wording in _NOTE_RULES if needle in low))
    return "; ".join(found) or None


def _from_listing_order(note: str, rank: int) -> bool:
    """True when the collectors say this rank only reflects the order of a listing."""
    low = note.lower()
    if "listing order" not in low:
        return False
    span = _LISTING_RANGE.search(low)  # "ranks 2-5 from ... listing order": rank 1 was stated
    return int(span[1]) <= rank <= int(span[2]) if span else True


def _join(*parts: object) -> str | None:
    seen = list(dict.fromkeys(p for part in parts if isinstance(part, str) for p in part.split("; ") if p))
    return "; ".join(seen) or None


def _number(text: str) -> float | None:
    return float(text.replace(",", ".")) if _NUMBER.match(text) else None


def read_press_csv(
    path: str | Path | pd.DataFrame,
    *,
    boundaries: str | Callable[[dict], str | tuple[str, str]] = "legacy",
    component_columns: Mapping[str, str] | None = None,
    rank_columns: Mapping[str, str] | None = None,
    origin: str | None = None,
) -> PressTable:
    """Read one press-figure CSV into tidy rows.

    Parameters
    ----------
    path : CSV (or a DataFrame of its text cells) with columns index, year, province, score,
        rank, source_url[, note]; optional
        ``as_of`` (date of a real-time reading) and ``n_units`` (the N a rank is out of),
        both carried into ``note``.
    boundaries : "legacy" for tables of the 63 provinces, "2025" for the 34 units, or a
        function of the raw row returning one of them (optionally with a note).  A row whose
        ``n_units`` is 63 or 34 says it itself.
    component_columns : column -> component key, for sub-index / pillar scores printed on
        the same row (each becomes its own tidy row).
    rank_columns : column -> component key, for the published ranks of those components.
    origin : the name used in messages and ``skipped`` (default: the file name).
    """
    if isinstance(path, pd.DataFrame):  # a file already read (and prepared) by the caller
        raw = path.fillna("").astype(str).reset_index(drop=True)
        origin = origin or "<DataFrame>"
    else:
        path = Path(path)
        origin = origin or path.name
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
        try:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SchemaError(origin, [f"byte {exc.start}: not UTF-8 text; save the file as UTF-8 CSV"]) from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise SchemaError(origin, [f"malformed CSV ({str(exc).strip()}); check quotes and the number of columns"]) from None
    needed = {"index", "year", "province", "score", "rank", "source_url"}
    component_columns = dict(component_columns or {})
    rank_columns = dict(rank_columns or {})
    missing = (needed | set(component_columns) | set(rank_columns)) - set(raw.columns)
    if missing:
        raise ValueError(f"{origin}: expected columns {sorted(missing)}, found {list(raw.columns)}")
    raw["_line"] = range(2, len(raw) + 2)
    if "note" not in raw.columns:
        raw["note"] = ""

    rows, skipped, sources, problems = [], [], {}, []
    for rec in raw.to_dict("records"):
        score, rank = rec["score"].strip(), rec["rank"].strip()
        where = f"row {rec['_line']}"
        index_key = rec["index"].strip().lower()
        index_key = INDEX_ALIASES.get(index_key, index_key)
        if index_key not in UNIT_BY_INDEX:
            problems.append(f"{where}: index {rec['index']!r} is not one of {sorted(UNIT_BY_INDEX)} "
                            "(press files hold PAR Index, SIPAS, PCI, DTI, Decision 766 and ICT-ranking figures)")
            continue
        if not re.fullmatch(r"\d{4}", rec["year"].strip()):
            problems.append(f"{where}: year {rec['year']!r} is not a year; write the assessment year, e.g. 2023")
            continue
        bad_rank = [c for c in ["rank", *rank_columns] if rec[c].strip() and not rec[c].strip().isdigit()]
        if bad_rank:
            problems.append(f"{where}: {bad_rank[0]} {rec[bad_rank[0]].strip()!r} is not a whole number; write the "
                            "published rank, or leave it empty and say why in note")
            continue
        bad_value = [c for c in component_columns if rec[c].strip() and _number(rec[c]) is None]
        if bad_value:
            problems.append(f"{where}: {bad_value[0]} {rec[bad_value[0]].strip()!r} is not a number; write the "
                            "printed score with a decimal point, or leave it empty")
            continue
        unit_set = rec.get("n_units", "").strip()
        row_note = None
        if callable(boundaries):
            chosen = boundaries(rec)
            bounds, row_note = chosen if isinstance(chosen, tuple) else (chosen, None)
        else:
            bounds = {"63": "legacy", "34": "2025"}.get(unit_set, boundaries)
        if bounds not in ("legacy", "2025"):
            problems.append(f"{where}: boundaries {bounds!r} is not 'legacy' or '2025'")
            continue
        note = _own_note(rec["note"])
        when = f"reading as of {rec['as_of'].strip()}" if rec.get("as_of", "").strip() else None
        out_of = f"rank out of {unit_set}" if unit_set else None
        value = _number(score)
        if score and value is None:
            note = _join(f"score printed only as {score!r}", note)
        rank_n = int(rank) if rank else None
        if rank_n is not None and _from_listing_order(rec["note"], rank_n):
            rank_n = None
            note = _join(note, "rank not kept: only a listing order was printed")
        comp_values = {key: _number(rec[col]) for col, key in component_columns.items() if rec[col].strip()}
        comp_ranks = {key: int(rec[col]) for col, key in rank_columns.items() if rec[col].strip()}
        comps = [(key, comp_values.get(key), comp_ranks.get(key))
                 for key in dict.fromkeys([*component_columns.values(), *rank_columns.values()])
                 if key in comp_values or key in comp_ranks]
        sid = source_id_for_url(rec["source_url"])
        base = {"index": index_key, "year": int(rec["year"]), "province": rec["province"], "source_id": sid,
                "_line": rec["_line"], "_bounds": bounds}
        if value is None and rank_n is None:
            what = "no exact score and no rank" + (" (listing order only)" if rank and not rank_n else "")
            skipped.append({**rec, "reason": what + ("; its component figures are kept" if comps else "")})
        else:
            rows.append({**base, "component": "overall", "value": value, "rank": rank_n,
                         "note": _join(note, when, out_of if rank_n else None, row_note)})
        for key, cvalue, crank in comps:
            rows.append({**base, "component": key, "value": cvalue, "rank": crank,
                         "note": _join(when, out_of if crank else None, row_note)})
        if sid not in sources and (value is not None or rank_n is not None or comps):
            sources[sid] = web_source(rec["source_url"], index=index_key, year=rec["year"])
    if problems:
        raise SchemaError(origin, problems)
    frame = pd.DataFrame(rows)
    tidy_parts = []
    if len(frame):
        for (index, bounds), part in frame.groupby(["index", "_bounds"], sort=False):
            part = part.reset_index(drop=True)
            tidy = tidy_indicators(part, index=str(index), unit=UNIT_BY_INDEX[str(index)],
                                   boundaries=str(bounds), origin=origin)
            tidy_parts.append(tidy.assign(_line=part["_line"].to_numpy()))
    tidy = pd.concat(tidy_parts, ignore_index=True).sort_values("_line", kind="stable") if tidy_parts else frame
    if tidy_parts:  # ranges and ranks, with the file's row numbers (duplicates are resolved below)
        validate_indicators(tidy, origin=origin, duplicates=False)
        tidy = tidy.drop(columns="_line").reset_index(drop=True)
    kept, alternatives, confirmed = resolve_figures(tidy) if len(tidy) else (tidy, tidy, 0)
    return PressTable(
        indicators=kept,
        alternatives=alternatives,
        skipped=pd.DataFrame(skipped),
        sources=pd.DataFrame(sources.values()),
        confirmations=confirmed,
    )


def resolve_figures(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """One row per key from figures that may repeat: ``(kept, alternatives, confirmations)``.

    Rows are taken in the order given (earlier = preferred source).  Per key the row with
    both value and rank wins over one with either alone, then the earliest.  Another row
    whose every figure equals the kept row's is a confirmation (only counted); any other
    row goes to ``alternatives``.  A kept row contradicted by an alternative (a different
    value, or a different rank) gets :data:`CONFLICT_NOTE` in ``note``.  A field the kept
    row lacks (say the rank) that other sources print without contradicting it, all with
    the same figure, is filled in and ``note`` names the source (``"rank as printed by
    <source_id>"``); that row stays in ``alternatives`` with its own source.
    """
    key = list(INDICATOR_KEY)
    if rows.empty:
        return rows.copy(), rows.copy(), 0
    informative = rows["value"].notna().astype(int) + rows["rank"].notna().astype(int)
    ordered = rows.assign(_info=-informative, _pos=range(len(rows))).sort_values(["_info", "_pos"], kind="stable")
    dup = ordered.duplicated(key, keep="first")
    kept = ordered[~dup]
    others = ordered[dup]
    if others.empty:
        return kept.sort_values("_pos").drop(columns=["_info", "_pos"]).reset_index(drop=True), rows.iloc[0:0].copy(), 0
    ref = kept[key + ["value", "rank"]].rename(columns={"value": "value_kept", "rank": "rank_kept"})
    joined = others.merge(ref, on=key, how="left")  # one kept row per key: same length and order
    v, vk = joined["value"], joined["value_kept"]
    r, rk = joined["rank"].astype("Float64"), joined["rank_kept"].astype("Float64")
    value_clash = (v.notna() & vk.notna() & ((v - vk).abs() > 1e-9)).to_numpy(bool)
    rank_clash = (r.notna() & rk.notna() & (r != rk)).fillna(False).to_numpy(bool)
    adds = ((v.notna() & vk.isna()) | (r.notna() & rk.isna())).fillna(False).to_numpy(bool)
    conflict = value_clash | rank_clash
    confirm = ~conflict & ~adds
    kept = kept.copy().set_index(key)
    # A field the kept row lacks, printed by another source that contradicts nothing: filled in,
    # with the source named in note, when every such source gives the same figure.
    for col, label in (("value", "score"), ("rank", "rank")):
        give = joined[adds & ~conflict & joined[col].notna().to_numpy(bool) & joined[f"{col}_kept"].isna().to_numpy(bool)]
        for k, group in give.groupby(key, sort=False):
            if group[col].nunique() == 1:
                kept.loc[k, col] = group[col].iloc[0]
                kept.loc[k, "note"] = _join(kept.loc[k, "note"], f"{label} as printed by {group['source_id'].iloc[0]}")
            else:
                conflict |= joined.set_index(key).index.isin([k]) & joined[col].notna().to_numpy(bool)
    clashing = set(map(tuple, joined.loc[conflict, key].drop_duplicates().itertuples(index=False)))
    if clashing:
        flag = kept.index.isin(list(clashing))
        kept.loc[flag, "note"] = [n if isinstance(n, str) and "see alternatives" in n else _join(n, CONFLICT_NOTE)
                                  for n in kept.loc[flag, "note"]]
    kept = kept.reset_index()[list(rows.columns) + ["_info", "_pos"]]
    alternatives = others[~confirm].sort_values("_pos").drop(columns=["_info", "_pos"]).reset_index(drop=True)
    kept = kept.sort_values("_pos").drop(columns=["_info", "_pos"]).reset_index(drop=True)
    return kept, alternatives, int(confirm.sum())
