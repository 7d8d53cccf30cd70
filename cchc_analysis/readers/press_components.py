"""Reader for PAR Index component scores printed in the press (long format).

The file has one row per printed figure: ``index,year,province,component,value,max_points,
component_rank,source_url,note``.  Component labels come as printed, in Vietnamese, English
or Chinese (with an English gloss); :data:`PAR_COMPONENT_RULES` maps them to the keys of
:data:`PAR_COMPONENTS`.  A label no rule knows is an error naming the row: a new label is
added here by hand, never guessed.

Two families of keys:

* the four blocks the score is assembled from: ``appraised`` (points given by the Ministry
  of Home Affairs on the self-assessment), ``survey_leaders`` (survey of leaders and
  managers), ``sipas_points`` (the SIPAS result, in PAR points), ``socioeconomic_impact``,
  and ``impact_total`` (the last three together, where printed as one figure);
* the assessment areas (lĩnh vực): ``direction``, ``institutional``, ``procedures``,
  ``apparatus``, ``civil_service``, ``public_finance``, ``modernisation`` and ``impact``.
  An area printed as a percentage of its maximum ("điểm %", "(%)") is ``<area>_pct``
  (unit ``percent``); the others are points (unit ``score``).

The maximum points differ by year and method (the 2022 method of Decision 876/QĐ-BNV is a
break); the maxima printed beside a score are returned per (component, year) in
``PressTable.maxima`` and checked for agreement, and every score is checked against them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..schema import SchemaError, tidy_indicators, validate_indicators
from .press import PressTable, _join, _number, resolve_figures, source_id_for_url, web_source

__all__ = ["PAR_COMPONENTS", "PAR_COMPONENT_RULES", "ParComponent", "par_component_key", "read_component_facts"]


@dataclass(frozen=True)
class ParComponent:
    key: str
    name_vi: str
    name_en: str
    description: str


PAR_COMPONENTS: tuple[ParComponent, ...] = (
    ParComponent("appraised", "Điểm thẩm định", "Appraised score",
                 "Points given by the Ministry of Home Affairs after appraising the province's self-assessment "
                 "(61.5 of 100 from the 2022 method on, where printed)."),
    ParComponent("survey_leaders", "Điểm khảo sát lãnh đạo, quản lý", "Survey of leaders and managers",
                 "Points from the survey of leaders and managers on the province's reform (22 from 2022, where printed)."),
    ParComponent("sipas_points", "Điểm Chỉ số SIPAS trong PAR INDEX", "SIPAS points within the PAR Index",
                 "The province's SIPAS result as points of the PAR Index (10 from 2022, where printed); the SIPAS "
                 "percentage itself is index 'sipas'."),
    ParComponent("satisfaction_points", "Chỉ số hài lòng của người dân (điểm)", "Citizen satisfaction (points)",
                 "'Chỉ số hài lòng của người dân' as printed in a 2018 area table with its own maximum (12); "
                 "kept apart from sipas_points because the label and maximum differ."),
    ParComponent("socioeconomic_impact", "Tác động của CCHC đến phát triển kinh tế - xã hội",
                 "Impact on socio-economic development",
                 "Points for the criteria on the reform's impact on socio-economic development (6.5 from 2022, where printed)."),
    ParComponent("impact_total", "Điểm đánh giá tác động của CCHC", "Impact assessment score",
                 "Survey, SIPAS and socio-economic points printed as one figure (38.5 = 22 + 10 + 6.5 from 2022)."),
    ParComponent("direction", "Công tác chỉ đạo, điều hành CCHC", "Direction and management of the reform",
                 "Assessment area: direction, planning and inspection of administrative reform."),
    ParComponent("institutional", "Cải cách thể chế (đến 2021: Xây dựng và tổ chức thực hiện văn bản QPPL)",
                 "Institutional reform (to 2021: legal documents)",
                 "Assessment area: making and implementing legal documents (renamed institutional reform in the 2022 method)."),
    ParComponent("procedures", "Cải cách thủ tục hành chính", "Administrative procedure reform",
                 "Assessment area: administrative procedures and the one-stop mechanism."),
    ParComponent("apparatus", "Cải cách tổ chức bộ máy hành chính nhà nước", "Organisational reform",
                 "Assessment area: organisation of the state administrative apparatus."),
    ParComponent("civil_service", "Cải cách chế độ công vụ (đến 2021: Xây dựng và nâng cao chất lượng đội ngũ CBCCVC)",
                 "Civil service reform (to 2021: quality of officials and civil servants)",
                 "Assessment area: the civil service and its staff."),
    ParComponent("public_finance", "Cải cách tài chính công", "Public finance reform",
                 "Assessment area: public finance."),
    ParComponent("modernisation", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số (đến 2021: Hiện đại hóa hành chính)",
                 "E-government and digital government (to 2021: modernisation of the administration)",
                 "Assessment area: ICT use, e-government and digital government."),
    ParComponent("impact", "Tác động của CCHC đến người dân, tổ chức và phát triển KT-XH",
                 "Impact on people, organisations and socio-economic development",
                 "Assessment area on the reform's impact, as printed by some provinces (its maximum differs by year)."),
)
_AREAS = ("direction", "institutional", "procedures", "apparatus", "civil_service", "public_finance", "modernisation")

#: (pattern on the folded label, key); the first pattern found in the label wins.
PAR_COMPONENT_RULES: tuple[tuple[str, str], ...] = (
    (r"tham dinh|appraised", "appraised"),
    (r"khao sat lanh dao|leader manager survey", "survey_leaders"),
    (r"sipas", "sipas_points"),
    (r"^chi so hai long cua nguoi dan$", "satisfaction_points"),
    (r"^diem danh gia tac dong cua cai cach hanh chinh$", "impact_total"),
    # An English translation whose printed maximum (6.5) is that of the socio-economic criteria.
    (r"^impact of administrative reform on citizens and socio economic development$", "socioeconomic_impact"),
    (r"(tac dong|impact).*(nguoi dan|people).*(kinh te|socio)", "impact"),
    (r"(tac dong|impact).*(kinh te|socio)", "socioeconomic_impact"),
    (r"chi dao|leadership", "direction"),
    (r"van ban quy pham|the che|institutional", "institutional"),
    (r"thu tuc hanh chinh|administrative procedure", "procedures"),
    (r"to chuc bo may|organizational", "apparatus"),
    (r"doi ngu can bo|che do cong vu|civil service", "civil_service"),
    (r"tai chinh cong|public finance", "public_finance"),
    (r"hien dai hoa|chinh quyen dien tu", "modernisation"),
)
_PERCENT = re.compile(r"\(\s*(diem\s*)?%\s*\)")


def _fold(label: str) -> str:
    text = unicodedata.normalize("NFD", label.lower().replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text


def par_component_key(label: str) -> tuple[str, str] | None:
    """``(key, unit)`` for a printed PAR component label, or None when no rule knows it.

    >>> par_component_key("Cải cách thủ tục hành chính (điểm %)")
    ('procedures_pct', 'percent')
    >>> par_component_key("领导管理考察 (leader/manager survey)")
    ('survey_leaders', 'score')
    """
    folded = _fold(label)
    percent = bool(_PERCENT.search(folded))
    words = re.sub(r"[^a-z0-9]+", " ", folded).strip()
    for pattern, key in PAR_COMPONENT_RULES:
        if re.search(pattern, words):
            if percent:
                return (f"{key}_pct", "percent") if key in _AREAS else None
            return key, "score"
    return None


def read_component_facts(path: str | Path, *, origin: str | None = None) -> PressTable:
    """Read the long-format PAR component file into tidy rows (index ``par``).

    Returns a :class:`~cchc_analysis.readers.press.PressTable`; ``maxima`` holds the printed
    maximum points per (component, year).  Raises :class:`SchemaError` naming the row for an
    unknown label, a non-numeric figure, two different maxima for one component and year,
    or a score above its maximum.
    """
    path = Path(path)
    origin = origin or path.name
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    needed = {"index", "year", "province", "component", "value", "max_points", "component_rank", "source_url"}
    if not needed <= set(raw.columns):
        raise ValueError(f"{origin}: expected columns {sorted(needed)}, found {list(raw.columns)}")
    rows, skipped, sources, maxima, problems = [], [], {}, {}, []
    for line, rec in enumerate(raw.to_dict("records"), start=2):
        where = f"row {line}"
        if rec["index"].strip().lower() != "par":
            problems.append(f"{where}: index {rec['index']!r}: this file holds PAR Index components only")
            continue
        mapped = par_component_key(rec["component"])
        if mapped is None:
            problems.append(f"{where}: component label {rec['component']!r} is not known; add a rule to "
                            "PAR_COMPONENT_RULES in cchc_analysis/readers/press_components.py")
            continue
        key, unit = mapped
        value, top = _number(rec["value"]), _number(rec["max_points"])
        rank = rec["component_rank"].strip()
        for col, got in (("value", value), ("max_points", top)):
            if rec[col].strip() and got is None:
                problems.append(f"{where}: {col} {rec[col]!r} is not a number")
        if rank and not rank.isdigit():
            problems.append(f"{where}: component_rank {rank!r} is not a whole number")
            continue
        if value is None and not rank:
            skipped.append({**rec, "reason": "no exact score and no rank"})
            continue
        year = int(rec["year"])
        sid = source_id_for_url(rec["source_url"])
        if top is not None:
            other = maxima.get((key, year))
            if other is not None and other[0] != top:
                problems.append(f"{where}: maximum {top:g} for {key} {year} differs from {other[0]:g} on row {other[1]}; "
                                "check which page printed which")
            maxima.setdefault((key, year), (top, line, sid))
            if value is not None and value > top + 1e-9:
                problems.append(f"{where}: {key} {value:g} is above its printed maximum {top:g}")
        rows.append({"index": "par", "year": year, "province": rec["province"], "component": key,
                     "value": value, "rank": int(rank) if rank else None, "source_id": sid, "_unit": unit,
                     "note": _join(f"maximum {top:g} points as printed" if top is not None else None), "_line": line})
        sources.setdefault(sid, web_source(rec["source_url"], index="par", year=year))
    # scores against the maximum printed elsewhere for the same component and year
    for row in rows:
        top = maxima.get((row["component"], row["year"]))
        if top is not None and row["value"] is not None and row["value"] > top[0] + 1e-9:
            problems.append(f"row {row['_line']}: {row['component']} {row['value']:g} is above the maximum "
                            f"{top[0]:g} printed on row {top[1]}")
    if problems:
        raise SchemaError(origin, list(dict.fromkeys(problems)))
    frame = pd.DataFrame(rows)
    parts = []
    for unit, part in frame.groupby("_unit", sort=False):
        part = part.reset_index(drop=True)
        tidy = tidy_indicators(part.drop(columns="_unit"), index="par", unit=str(unit), origin=origin)
        parts.append(tidy.assign(_line=part["_line"].to_numpy()))
    tidy = pd.concat(parts, ignore_index=True).sort_values("_line", kind="stable")
    validate_indicators(tidy, origin=origin, duplicates=False)
    kept, alternatives, confirmed = resolve_figures(tidy.drop(columns="_line").reset_index(drop=True))
    table = pd.DataFrame(
        [{"index": "par", "component": k, "year": y, "max": m, "source_id": s} for (k, y), (m, _, s) in maxima.items()],
        columns=["index", "component", "year", "max", "source_id"],
    )
    return PressTable(indicators=kept, alternatives=alternatives, skipped=pd.DataFrame(skipped),
                      sources=pd.DataFrame(sources.values()), confirmations=confirmed, maxima=table)
