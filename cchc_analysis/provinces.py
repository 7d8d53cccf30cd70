"""Province registry: every spelling users meet, mapped to one unit.

Two sets of units exist:

* ``"legacy"`` -- the 63 provinces and centrally-run cities of 2008 to 30 June 2025,
  plus Hà Tây (merged into Hà Nội on 1 August 2008), which PCI 2006-2008 still lists.
  Codes are the General Statistics Office (GSO) codes of Decision 124/2004/QĐ-TTg.
* ``"2025"`` -- the 34 units in force from 1 July 2025 (Resolution 202/2025/QH15);
  each keeps the GSO code of the unit whose seat it inherited.

Every legacy unit maps to exactly one 2025 unit (:func:`successor`).  Names are matched
after folding case, diacritics (``"Hoà"``/``"Hòa"``/``"Hoa"``), punctuation and prefixes
such as ``"Tỉnh"``, ``"TP."`` or ``"City"``.

Examples
--------
>>> resolve_province("quang nam").name
'Quảng Nam'
>>> successor("Quảng Nam").name
'Đà Nẵng'
>>> resolve_province("HCMC").code
'79'
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Literal

__all__ = [
    "Province",
    "UnknownProvinceError",
    "Boundaries",
    "fold_name",
    "resolve_province",
    "resolve_provinces",
    "successor",
    "members_2025",
    "list_provinces",
    "province_table",
    "region_names",
    "spellings",
]

Boundaries = Literal["legacy", "2025"]
BOUNDARIES: tuple[str, ...] = ("legacy", "2025")


class UnknownProvinceError(KeyError, ValueError):
    """Raised when a name resolves to no province.  Its message lists close matches."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Province:
    """One administrative unit of the registry.

    Attributes
    ----------
    code : GSO code, two digits as a string ("01" Hà Nội ... "96" Cà Mau).
    name : canonical Vietnamese short name ("Quảng Nam", "TP. Hồ Chí Minh").
    full_name : official name with its type ("Tỉnh Quảng Nam", "Thành phố Đà Nẵng").
    type : "province" or "city" (centrally-run city).
    name_ascii, name_en : ASCII and English names.
    region : socio-economic region key (see :func:`region_names`); for a 2025 unit,
        only when all its members share one region, else None.
    boundaries : "legacy" or "2025".
    papi_code : PAPI's own province code P01-P63 (legacy units only).
    successor_code : code of the 2025 unit that absorbed it (legacy units only).
    valid_to : last day the unit existed (legacy units only).
    """

    code: str
    name: str
    full_name: str
    type: str
    name_ascii: str
    name_en: str
    region: str | None
    boundaries: str
    papi_code: str | None = None
    successor_code: str | None = None
    valid_to: str | None = None


_PREFIXES = (
    "thanh pho truc thuoc trung uong",
    "thanh pho",
    "tinh",
    "tp",
    "t p",
    "province of",
    "province",
    "city of",
    "city",
)


def fold_name(name: str) -> str:
    """Fold a province name to a matching key: no case, diacritics, punctuation or prefix.

    >>> fold_name("Tỉnh Thừa Thiên - Huế")
    'thuathienhue'
    >>> fold_name("TP. Hồ Chí Minh") == fold_name("Ho Chi Minh City")
    True
    """
    if not isinstance(name, str):
        raise TypeError(f"province name must be a string, got {type(name).__name__}: {name!r}")
    # đ has no decomposition, so it is mapped by hand before the combining marks go.
    text = unicodedata.normalize("NFD", name.strip().lower().replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix + " "):
                text = text[len(prefix) + 1 :]
                changed = True
        for suffix in ("province", "city"):
            if text.endswith(" " + suffix):
                text = text[: -len(suffix) - 1]
                changed = True
    return text.replace(" ", "")


def _full_name(name: str, kind: str) -> str:
    bare = name.removeprefix("TP. ")
    return f"Thành phố {bare}" if kind == "city" else f"Tỉnh {bare}"


@lru_cache(maxsize=None)
def _regions() -> dict[str, tuple[str, str]]:
    with resources.files(__package__).joinpath("registry/regions.csv").open(encoding="utf-8") as fh:
        return {r["key"]: (r["name_vi"], r["name_en"]) for r in csv.DictReader(fh)}


def region_names(lang: str = "vi") -> dict[str, str]:
    """Region key -> display name in ``lang`` ("vi" or "en")."""
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', got {lang!r}")
    col = 0 if lang == "vi" else 1
    return {key: names[col] for key, names in _regions().items()}


def _read(fname: str) -> list[dict[str, str]]:
    with resources.files(__package__).joinpath(f"registry/{fname}").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=None)
def _units() -> dict[str, dict[str, Province]]:
    legacy = {}
    for r in _read("provinces_legacy.csv"):
        legacy[r["code"]] = Province(
            code=r["code"],
            name=r["name"],
            full_name=_full_name(r["name"], r["type"]),
            type=r["type"],
            name_ascii=r["name_ascii"],
            name_en=r["name_en"],
            region=r["region"] or None,
            boundaries="legacy",
            papi_code=r["papi_code"] or None,
            successor_code=r["successor_2025"],
            valid_to=r["valid_to"] or None,
        )
    new = {}
    for r in _read("provinces_2025.csv"):
        regions = {p.region for p in legacy.values() if p.successor_code == r["code"] and p.code != "28"}
        new[r["code"]] = Province(
            code=r["code"],
            name=r["name"],
            full_name=_full_name(r["name"], r["type"]),
            type=r["type"],
            name_ascii=r["name_ascii"],
            name_en=r["name_en"],
            region=regions.pop() if len(regions) == 1 else None,
            boundaries="2025",
        )
    return {"legacy": legacy, "2025": new}


@lru_cache(maxsize=None)
def _aliases() -> dict[str, dict[str, str]]:
    """Folded spelling -> code, per set of boundaries."""
    out: dict[str, dict[str, str]] = {}
    for fname, key in (("provinces_legacy.csv", "legacy"), ("provinces_2025.csv", "2025")):
        table: dict[str, str] = {}
        for r in _read(fname):
            spellings = [r["name"], r["name_ascii"], r["name_en"], r["code"]]
            spellings += [a for a in r["aliases"].split("|") if a]
            if key == "legacy" and r["papi_code"]:
                spellings.append(r["papi_code"])
            for s in spellings:
                folded = fold_name(s)
                if table.get(folded, r["code"]) != r["code"]:
                    raise RuntimeError(f"registry alias {s!r} maps to two units")  # pragma: no cover
                table[folded] = r["code"]
            if r["code"].startswith("0"):
                table[r["code"].lstrip("0")] = r["code"]  # "1" as well as "01"
        out[key] = table
    return out


def _check_boundaries(boundaries: str) -> None:
    if boundaries not in BOUNDARIES:
        raise ValueError(f"boundaries must be 'legacy' (63 units to 30 June 2025) or '2025' (34 units), got {boundaries!r}")


def resolve_province(name: str | Province, *, boundaries: Boundaries = "legacy") -> Province:
    """Return the unit a name, code or abbreviation refers to.

    Parameters
    ----------
    name : any spelling: with or without diacritics, "Tỉnh ..."/"TP. ..." prefixes,
        English names, common abbreviations (HCMC, BRVT, TTH), GSO codes ("49") and
        PAPI codes ("P33").
    boundaries : "legacy" (default; the 63 units before 1 July 2025, plus Hà Tây) or
        "2025" (the 34 units since).

    Raises
    ------
    UnknownProvinceError
        naming the input and listing close matches.  For ``boundaries="2025"`` a
        pre-2025 name says which 2025 unit absorbed it.

    Examples
    --------
    >>> resolve_province("Tỉnh Quảng Nam").code
    '49'
    >>> resolve_province("Huế", boundaries="2025").name
    'Huế'
    """
    _check_boundaries(boundaries)
    if isinstance(name, Province):
        if name.boundaries == boundaries:
            return name
        name = name.code if boundaries == "legacy" else name.name
    folded = fold_name(str(name))
    code = _aliases()[boundaries].get(folded)
    if code is not None:
        return _units()[boundaries][code]
    if boundaries == "2025":
        old = _aliases()["legacy"].get(folded)
        if old is not None:
            unit = _units()["legacy"][old]
            new = _units()["2025"][unit.successor_code]
            raise UnknownProvinceError(
                f"{name!r} is a pre-2025 unit ({unit.name}); since 1 July 2025 it is part of "
                f"{new.name} (code {new.code}). Pass boundaries='legacy', or use successor({name!r})."
            )
    raise UnknownProvinceError(_unknown_message(name, folded, boundaries))


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


def _word_key(word: str) -> str:
    """A word with its diacritics, tone placement ignored ("Hoà" == "Hòa"); ASCII words fold."""
    if word.isascii():
        return fold_name(word)
    text = unicodedata.normalize("NFD", word.strip().lower())
    tones = "".join(sorted(ch for ch in text if ch in _TONE_MARKS))
    return "".join(ch for ch in text if ch not in _TONE_MARKS) + tones


def _word_matches(name: object, boundaries: str) -> list[Province]:
    """Units whose name holds every word of ``name`` as a whole word ("Bình" -> 8 units).

    A word typed with diacritics must match them ("Quảng" is not "Tuyên Quang"); a word
    typed without matches any diacritics ("Quang" is both).
    """
    words = [w for w in re.split(r"[\s\-–.,/()]+", str(name)) if w.strip()]
    words = [w for w in words if fold_name(w) and fold_name(w) not in {fold_name(x) for x in _PREFIXES}]
    if not words:
        return []
    out = []
    for unit in _units()[boundaries].values():
        own = {_word_key(w) for w in re.split(r"[\s\-–.]+", unit.name) if w}
        own |= {fold_name(w) for w in re.split(r"[\s\-–.]+", unit.name_ascii) if w}
        if all(_word_key(w) in own for w in words):
            out.append(unit)
    return out


def _unknown_message(name: object, folded: str, boundaries: str) -> str:
    table = _aliases()[boundaries]
    units = _units()[boundaries]
    several = _word_matches(name, boundaries)
    listed = [p.name for p in several]
    if boundaries == "2025":  # a word of pre-2025 names too ("Bình": Ninh Bình, and Hòa Bình ... before)
        for old in _word_matches(name, "legacy"):
            if old.name not in listed:
                listed.append(f"{old.name} (before 1 July 2025; now part of {units[old.successor_code].name})")
    if len(listed) > 1:  # a part of several names, e.g. "Bình", "Quảng", "Đắk": never guess
        first = several[0].name if several else listed[0].split(" (")[0]
        return (
            f"Ambiguous province {name!r} (boundaries={boundaries!r}): it is part of the names of "
            f"{len(listed)} units: {', '.join(listed)}. Write the full name, e.g. {first!r}, or the GSO code."
        )
    close = difflib.get_close_matches(folded, list(table), n=6, cutoff=0.6)
    names: list[str] = [p.name for p in several]
    for key in close:
        unit_name = units[table[key]].name
        if unit_name not in names:
            names.append(unit_name)
    hint = f" Did you mean: {', '.join(names[:3])}?" if names else ""
    return (
        f"Unknown province {name!r} (boundaries={boundaries!r}).{hint} "
        "See cchc_analysis.list_provinces() for every unit."
    )


def resolve_provinces(names: Iterable[str] | str, *, boundaries: Boundaries = "legacy") -> list[Province]:
    """Resolve several names at once; ``"all"`` gives every unit of ``boundaries``."""
    if isinstance(names, str):
        if names.strip().lower() == "all":
            return list_provinces(boundaries=boundaries)
        names = [names]
    return [resolve_province(n, boundaries=boundaries) for n in names]


def successor(name: str | Province) -> Province:
    """The 2025 unit that a legacy unit became part of (itself if unchanged).

    >>> successor("Phu Yen").name
    'Đắk Lắk'
    """
    unit = name if isinstance(name, Province) and name.boundaries == "legacy" else resolve_province(
        name.code if isinstance(name, Province) else name
    )
    return _units()["2025"][unit.successor_code]


def members_2025(name: str | Province) -> list[Province]:
    """The legacy units (63-province set, without Hà Tây) that form a 2025 unit.

    >>> [p.name for p in members_2025("Đà Nẵng")]
    ['Đà Nẵng', 'Quảng Nam']
    """
    unit = name if isinstance(name, Province) and name.boundaries == "2025" else resolve_province(
        name.name if isinstance(name, Province) else name, boundaries="2025"
    )
    return [p for p in _units()["legacy"].values() if p.successor_code == unit.code and p.code != "28"]


def list_provinces(*, boundaries: Boundaries = "legacy", include_ha_tay: bool = False) -> list[Province]:
    """Every unit of a set, in GSO code order.  Hà Tây only when ``include_ha_tay``."""
    _check_boundaries(boundaries)
    units = list(_units()[boundaries].values())
    if boundaries == "legacy" and not include_ha_tay:
        units = [p for p in units if p.code != "28"]
    return units


def province_table(*, boundaries: Boundaries = "legacy", include_ha_tay: bool = False):
    """The registry as a DataFrame, one row per unit (key: ``code``).

    Columns: code, name, full_name, type, name_ascii, name_en, region, region_vi,
    region_en, boundaries, papi_code, successor_code, successor_name, valid_to.
    """
    import pandas as pd

    vi, en = region_names("vi"), region_names("en")
    new = _units()["2025"]
    rows = []
    for p in list_provinces(boundaries=boundaries, include_ha_tay=include_ha_tay):
        row = dict(p.__dict__)
        row["region_vi"] = vi.get(p.region) if p.region else None
        row["region_en"] = en.get(p.region) if p.region else None
        row["successor_name"] = new[p.successor_code].name if p.successor_code else None
        rows.append(row)
    return pd.DataFrame(rows)


def spellings(*, boundaries: Boundaries = "legacy") -> dict[str, str]:
    """Every spelling the registry lists for a set of units, mapped to the unit's code.

    Names, names without diacritics, English names and aliases (``"TP HCM"``, ``"HCMC"``),
    as written in the registry (not folded): what a type-ahead box offers.  Hà Tây is left
    out of the legacy set, as in :func:`list_provinces`.

    >>> spellings()["TP HCM"]
    '79'
    """
    _check_boundaries(boundaries)
    out: dict[str, str] = {}
    fname = "provinces_legacy.csv" if boundaries == "legacy" else "provinces_2025.csv"
    for r in _read(fname):
        if boundaries == "legacy" and r["code"] == "28":
            continue
        for s in [r["name"], r["name_ascii"], r["name_en"], *[a for a in r["aliases"].split("|") if a]]:
            out.setdefault(unicodedata.normalize("NFC", s.strip()), r["code"])
    return out
