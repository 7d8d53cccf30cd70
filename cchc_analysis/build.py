"""Build the bundled tidy tables in ``data/`` from the publishers' original files.

This is the reproducible path from ``../shared/reference-data`` to ``data/``:

    python scripts/build_data.py          # or: cchc data build

Every output is validated before anything is written, and all files are replaced
together at the end (written to a temporary folder beside ``data/`` first, then moved
with one :func:`os.replace` each), so a failed build never leaves a half-written file or
a half-updated ``data/``; only a crash during the final renames could mix old and new
whole files.

What is read, in order of preference (for a key given twice, the row with score and rank
beats one with either alone, then the earlier source; see
:func:`cchc_analysis.readers.press.resolve_figures`):

1. the official PCI workbooks 2005-2019, the PCI 2021 top-21 table, PAPI;
2. the press files of :data:`PRESS_FILES` (``par_sipas_dti/`` and ``press-2020-2024/``):
   DTI, PAR Index, SIPAS, PCI 2020-2024 with sub-indices, DTI 2020 pillars, the ICT
   application ranking 2017 (``ict``) and the Decision 766 service index (``svc766``);
3. the PAR Index component scores (long format, :mod:`cchc_analysis.readers.press_components`).

A figure that equals the kept one is counted as a confirmation; any other goes to
``indicators/alternatives.csv`` and a contradiction is flagged on the kept row.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import pandas as pd

from . import config
from .provinces import fold_name, resolve_province
from .readers.press import CONFLICT_NOTE, read_press_csv, resolve_figures, source_id_for_url
from .readers.press_components import PAR_COMPONENTS, read_component_facts
from .schema import INDICATOR_COLUMNS, INDICATOR_KEY, INDICES, validate_indicators

__all__ = ["build_all", "PRESS_FILES", "PressFile", "PCI_SUBINDEX_COLUMNS", "PAR_COMPONENTS_FILE"]

OLD, NEW = "par_sipas_dti", "press-2020-2024"

#: The sub-index columns of the press PCI files (pcivietnam.vn's English names) -> our keys.
PCI_SUBINDEX_COLUMNS = {
    "Entry Costs": "entry_costs",
    "Access to land": "land_access",
    "Transparency": "transparency",
    "Time Costs": "time_costs",
    "Informal Charges": "informal_charges",
    "Policy Bias": "policy_bias",
    "Proactivity": "proactivity",
    "Business Support Policy": "business_support",
    "Labor Policy": "labor_training",
    "Law & Order": "legal_institutions",
}
DTI_PILLARS = {"cqs": "digital_government", "kts": "digital_economy", "xhs": "digital_society"}
SVC766_COLUMNS = {
    "transparency": "transparency",
    "progress": "progress",
    "online_services": "online_services",
    "online_payment": "online_payment",
    "satisfaction": "satisfaction",
    "digitisation": "digitisation",
}


@dataclass(frozen=True)
class PressFile:
    """One press file: its path under the reference folder and how to read it."""

    path: str
    boundaries: str | Callable = "legacy"
    component_columns: dict = field(default_factory=dict)
    rank_columns: dict = field(default_factory=dict)
    prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None


def _svc766_boundaries(rec: dict):
    """Decision 766 readings are real-time: the unit set follows the reading's date."""
    units = rec.get("n_units", "").strip()
    if units:
        return {"63": "legacy", "34": "2025"}[units]
    if fold_name(rec["province"]) == "bacninh" and rec["year"].strip() == "2025":
        # Date not printed; Bắc Ninh first led this index in the weeks after the 1 July 2025
        # merger (vietnamnews.vn/society/1731902), so this rank 1 is among the 34 new units.
        return "2025", "reading date not printed; Bắc Ninh led this index only after the 1 July 2025 merger"
    raise ValueError(f"INDEX766 row for {rec['province']} {rec['year']}: no n_units and no dated reading; "
                     "say which set of units the rank is out of")


def _svc766_prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Two displays of the index: six groups (online services /12 and online payment /10)
    or five groups ("dịch vụ trực tuyến" /22 = 12 + 10).  The five-group figure is its own
    component (``online_services_total``), never mixed with the six-group one."""
    frame = frame.copy()
    groups = frame["labels_as_printed"].str.split(";").map(lambda p: len([x for x in p if x.strip()]))
    five = (groups == 5) & (frame["online_payment"].str.strip() == "")
    unclear = (frame["online_services"].str.strip() != "") & ~five & (groups != 6)
    if unclear.any():
        raise ValueError(f"INDEX766_facts.csv row {int(unclear.idxmax()) + 2}: online services printed without the "
                         "list of groups; cannot tell the five-group (/22) from the six-group (/12) display")
    frame["online_services_total"] = frame["online_services"].where(five, "")
    frame["online_services"] = frame["online_services"].where(~five, "")
    return frame


# In order of preference: for a key given by two files, the earlier file's figure is kept
# (after the rule that a row with score and rank beats one with either alone).
PRESS_FILES: tuple[PressFile, ...] = (
    PressFile(f"{OLD}/DTI_2022_full.csv"),
    PressFile(f"{OLD}/DTI_2023_full.csv"),
    PressFile(f"{OLD}/DTI_2024_full.csv"),
    PressFile(f"{OLD}/DTI_2024_34merged_full.csv", "2025"),
    PressFile(f"{OLD}/DTI_2021_partial.csv"),
    PressFile(f"{OLD}/DTI_2020_partial.csv"),
    PressFile(f"{NEW}/DTI_2020_additional.csv",
              component_columns={f"pillar_{k}": v for k, v in DTI_PILLARS.items()},
              rank_columns={f"rank_{k}": v for k, v in DTI_PILLARS.items()}),
    PressFile(f"{OLD}/PAR_SIPAS_partial_by_year.csv"),
    PressFile(f"{NEW}/PAR_SIPAS_press_facts_new.csv"),
    PressFile(f"{OLD}/PAR_2012_partial_top19.csv"),
    PressFile(f"{OLD}/SIPAS_2017_partial_top12.csv"),
    PressFile(f"{OLD}/SIPAS_2015_pilot_partial_10prov.csv"),
    PressFile(f"{NEW}/PCI_2020_full_63.csv"),
    PressFile(f"{NEW}/PCI_2020_2024_subindices_province_pages.csv", component_columns=PCI_SUBINDEX_COLUMNS),
    PressFile(f"{NEW}/PCI_2020_2024_press_facts.csv", component_columns=PCI_SUBINDEX_COLUMNS),
    PressFile(f"{NEW}/ICT_INDEX_2017_partial53.csv"),
    PressFile(f"{NEW}/INDEX766_facts.csv", _svc766_boundaries,
              component_columns={**SVC766_COLUMNS, "online_services_total": "online_services_total"},
              prepare=_svc766_prepare),
)
PAR_COMPONENTS_FILE = f"{NEW}/PAR_SIPAS_components_facts.csv"
AGGREGATE_FILES = (f"{OLD}/facts.csv", f"{NEW}/aggregates_and_group_facts.csv")

# Official ranking pages, by table: these carry the citation for the full tables.
_OFFICIAL = {
    f"{OLD}/DTI_2022_full.csv": ("dti-2022-provinces63", "https://dti.gov.vn/xep-hang-2022", "DTI 2022: provincial ranking (63 provinces)"),
    f"{OLD}/DTI_2023_full.csv": ("dti-2023-provinces63", "https://dti.gov.vn/xep-hang-2023-all", "DTI 2023: provincial ranking (63 provinces)"),
    f"{OLD}/DTI_2024_full.csv": ("dti-2024-provinces63", "https://dti.gov.vn/xep-hang-2024-63-tinh", "DTI 2024: provincial ranking (63 provinces)"),
    f"{OLD}/DTI_2024_34merged_full.csv": ("dti-2024-units34", "https://dti.gov.vn/xep-hang-2024", "DTI 2024: ranking of the 34 provinces after the 2025 merger"),
    f"{NEW}/PCI_2020_full_63.csv": ("pci-2020-pcivietnam-ranking", "https://pcivietnam.vn/bang-xep-hang?cpi_cat_id=PCI_Score&region_id=0&year=2020",
                                    "PCI 2020 provincial ranking: score and rank of the 63 provinces (pcivietnam.vn)"),
}
_PUBLISHER = {
    "dti": "Ministry of Information and Communications (Bộ Thông tin và Truyền thông), dti.gov.vn",
    "pci": "VCCI – Vietnam Chamber of Commerce and Industry",
}
_OFFICIAL_NOTE = {
    "dti": ("Values as scraped from the official page by the public GitHub repository Tuan04-D/opendx "
            "(frontend/public/*.json); names normalised there; ranks are competition ranks from the score order."),
    "pci": ("Score and rank as printed on the ranking page (ranks with a leading zero); cross-checked against 15 "
            "province pages and 13 Mekong provinces in a VCCI article (see the shared folder's README)."),
}

_SHORT = {"par": "PAR INDEX", "sipas": "SIPAS", "papi": "PAPI", "pci": "PCI", "dti": "DTI", "svc766": "QĐ 766",
          "ict": "ICT"}
_PUBLISHER_SHORT = {"par": "Bộ Nội vụ", "sipas": "Bộ Nội vụ", "papi": "CECODES/UNDP", "pci": "VCCI", "dti": "Bộ TT&TT",
                    "svc766": "Văn phòng Chính phủ", "ict": "Bộ TT&TT"}
_PUBLISHER_SHORT_EN = {"par": "MOHA", "sipas": "MOHA", "papi": "CECODES/UNDP", "pci": "VCCI", "dti": "MIC",
                       "svc766": "Government Office", "ict": "MIC"}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _read_press_file(ref: Path, spec: PressFile):
    path = ref / spec.path
    source = path
    if spec.prepare is not None:
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
        source = spec.prepare(pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig"))
    return read_press_csv(source, boundaries=spec.boundaries, component_columns=spec.component_columns,
                          rank_columns=spec.rank_columns, origin=spec.path)


def _press(ref: Path, log: list[str]):
    """Every press file, in preference order: (tidy frames, sources, skipped, maxima, confirmations)."""
    tables, sources, skipped, maxima, confirmed = [], [], [], [], 0
    for spec in PRESS_FILES:
        part = _read_press_file(ref, spec)
        ind = pd.concat([part.indicators, part.alternatives], ignore_index=True)  # resolved again globally
        src = part.sources.copy()
        if spec.path in _OFFICIAL:
            sid, url, title = _OFFICIAL[spec.path]
            idx = str(ind["index"].iloc[0])
            ind["source_id"] = sid
            src = pd.DataFrame([{"source_id": sid, "publisher": _PUBLISHER[idx], "title": title, "url": url,
                                 "file": spec.path, "note": _OFFICIAL_NOTE[idx]}])
        else:
            src["file"] = spec.path
        tables.append(ind)
        sources.append(src)
        confirmed += part.confirmations
        if len(part.skipped):
            skipped.append(part.skipped.assign(file=spec.path))
        comps = int((ind["component"] != "overall").sum())
        log.append(f"{spec.path}: {len(ind) - comps} overall rows, {comps} component rows, "
                   f"{len(part.skipped)} without a figure")
    part = read_component_facts(ref / PAR_COMPONENTS_FILE, origin=PAR_COMPONENTS_FILE)
    tables.append(pd.concat([part.indicators, part.alternatives], ignore_index=True))
    sources.append(part.sources.assign(file=PAR_COMPONENTS_FILE))
    maxima.append(part.maxima)
    confirmed += part.confirmations
    if len(part.skipped):
        skipped.append(part.skipped.assign(file=PAR_COMPONENTS_FILE))
    log.append(f"{PAR_COMPONENTS_FILE}: {len(part.indicators) + len(part.alternatives)} PAR component rows, "
               f"{len(part.maxima)} printed maxima")
    return tables, sources, skipped, pd.concat(maxima, ignore_index=True), confirmed


# Entities in the facts files that are national or regional figures, mapped to our keys.
def _aggregate_entity(entity: str) -> tuple[str, str] | None:
    folded = fold_name(entity)
    if folded.startswith("vung"):
        from .provinces import region_names

        for key, name in region_names("vi").items():
            if fold_name(name).replace("va", "") == folded[4:].replace("va", ""):
                return key, "mean_of_provinces"
        raise ValueError(f"facts.csv: region {entity!r} not in the registry's six regions")
    if folded in ("nationalaverageprovinces", "provincialaverage", "provincialaverage63", "averageofprovinces",
                  "averagemedian"):  # "Average / median": the printed figure is the mean (bình quân)
        return "national", "mean_of_provinces"
    if folded in ("nationalaverage", "nationaldtiquocgia", "averageall"):
        return "national", "national_value"
    if folded == "nationalmedian":
        return "national", "median_of_provinces"
    if folded == "gaphighestlowest":
        return "national", "max_minus_min"
    return None


def _aggregates(ref: Path, log: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, sources = [], {}
    units = {"par": "percent", "sipas": "percent", "dti": "index_0_1", "pci": "score"}
    for name in AGGREGATE_FILES:
        facts = pd.read_csv(ref / name, dtype=str, keep_default_na=False)
        entity_col = "entity" if "entity" in facts.columns else "province"
        for rec in facts.to_dict("records"):
            mapped = _aggregate_entity(rec[entity_col])
            if mapped is None or not rec["score"].strip():
                continue
            entity, statistic = mapped
            sid = source_id_for_url(rec["source_url"])
            idx = rec["index"].lower()
            domain = sid.split("-", 1)[1].rsplit("-", 1)[0]
            sources.setdefault(sid, {
                "source_id": sid,
                "publisher": domain,
                "title": f"{idx.upper()} {rec['year']} figures reported by {domain}",
                "url": rec["source_url"].strip(),
                "file": name,
                "note": "",
            })
            rows.append(
                {
                    "index": idx,
                    "year": int(rec["year"]),
                    "entity": entity,
                    "statistic": statistic,
                    "component": "overall",
                    "value": float(rec["score"]),
                    "rank": int(rec["rank"]) if rec["rank"].strip() else pd.NA,
                    "unit": units[idx],
                    "source_id": sid,
                    "note": pd.NA,
                }
            )
    agg = pd.DataFrame(rows)
    key = ["index", "year", "entity", "statistic", "component"]
    # A figure restated later is kept once (first source read); conflicts are reported.
    dup = agg.duplicated(key, keep="first")
    for _, row in agg[dup].iterrows():
        first = agg[(agg[key] == row[key]).all(axis=1)].iloc[0]
        if first["value"] != row["value"]:
            log.append(f"aggregates: conflicting {tuple(row[key])}: kept {first['value']}, other {row['value']}")
    agg = agg[~dup].sort_values(key).reset_index(drop=True)
    log.append(f"{' + '.join(AGGREGATE_FILES)}: {len(agg)} national/regional figures")
    return agg, pd.DataFrame(sources.values())


def _pci(ref: Path, log: list[str]):
    from .readers import pci

    frames, sources = [], []
    for path in sorted((ref / "pci" / "official").glob("PCI_*.xls*")):
        part = pci.read_pci_workbook(path)
        year = int(part["year"].iloc[0])
        meta = dict(pci.source_for(year))
        meta.pop("year", None)
        meta["file"] = meta.pop("file_name", path.name)
        part = part.assign(source_id=meta["source_id"])
        frames.append(part)
        sources.append(meta)
        log.append(f"{path.name}: {len(part)} rows, {part['province_code'].nunique()} provinces")
    tidy = pd.concat(frames, ignore_index=True)
    tidy = tidy.assign(index="pci", unit="score", boundaries="legacy", note=tidy.get("note", pd.NA))
    return tidy, pd.DataFrame(sources), pci.PCI_COMPONENTS


PCI_2021_SPOTCHECK = "spotchecks/pci2021_pcivietnam_vi.txt"


def _pci_2021_partial(ref: Path, log: list[str], labelled: pd.DataFrame | None = None):
    """PCI 2021: the first 21 rows of the pcivietnam.vn table (province, 10 sub-indices, PCI, rank).

    The copied rows carry no header naming the sub-index columns.  A column is named only
    when it equals exactly one sub-index on every province that a labelled page also prints
    (``labelled``: PCI 2021 component rows from the pcivietnam.vn province pages and the
    press), on at least three provinces; otherwise its values are not kept.
    """
    path = ref / PCI_2021_SPOTCHECK
    rows, table = [], {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        numbers, name = parts[-12:], " ".join(parts[:-12])
        if len(parts) < 13 or not name:
            raise ValueError(f"{path.name} line {n}: expected a name and 12 numbers, got {line!r}")
        unit = resolve_province(name)
        table[unit.code] = [float(x) for x in numbers[:10]]
        rows.append({"year": 2021, "province_code": unit.code, "province": unit.name, "component": "overall",
                     "value": float(numbers[10]), "rank": int(numbers[11]), "source_id": "pci-2021-pcivietnam-top21"})
    names = _name_columns(table, labelled)
    for code, values in table.items():
        name = next(r["province"] for r in rows if r["province_code"] == code)
        for j, key in names.items():
            rows.append({"year": 2021, "province_code": code, "province": name, "component": key, "value": values[j],
                         "rank": None, "source_id": "pci-2021-pcivietnam-top21",
                         "note": "sub-index column named by matching labelled province pages"})
    log.append(f"{path.name}: {len(table)} PCI 2021 rows (score and rank; ranks 1-{len(table)}); "
               f"{len(names)} of 10 sub-index columns named by matching")
    source = {
        "source_id": "pci-2021-pcivietnam-top21",
        "publisher": "VCCI – Vietnam Chamber of Commerce and Industry",
        "title": "PCI 2021 provincial ranking, first 21 rows (hand-copied from pcivietnam.vn)",
        "url": "https://pcivietnam.vn",
        "file": PCI_2021_SPOTCHECK,
        "note": ("partial table: only the 21 best-ranked provinces. The copied rows have no header: each sub-index "
                 "column is named by matching it with the labelled pcivietnam.vn province pages and press figures "
                 "for the same year (every value equal on every province printed by both, at least three)"),
    }
    return pd.DataFrame(rows), source


def _name_columns(table: dict[str, list[float]], labelled: pd.DataFrame | None) -> dict[int, str]:
    """Column position -> sub-index key, for columns that equal exactly one labelled sub-index."""
    if labelled is None or labelled.empty:
        return {}
    lab = labelled.pivot_table(index="province_code", columns="component", values="value", aggfunc="first")
    common = [code for code in table if code in lab.index]
    names = {}
    for j in range(10):
        fits = []
        for comp in lab.columns:
            pairs = [(lab.at[c, comp], table[c][j]) for c in common if pd.notna(lab.at[c, comp])]
            if len(pairs) >= 3 and all(abs(a - b) < 1e-9 for a, b in pairs):
                fits.append(comp)
        if len(fits) == 1:
            names[j] = fits[0]
    if len(set(names.values())) != len(names):
        raise ValueError("PCI 2021 top-21 table: two columns match the same sub-index; check the copied rows")
    return names


def _papi(ref: Path, log: list[str]):
    from .readers import papi

    tidy, sources = papi.build_papi(ref / "papi", log=log)
    tidy = tidy.assign(index="papi", unit="score", boundaries="legacy")
    return tidy, sources, papi.PAPI_COMPONENTS, papi.PAPI_BREAKS


_OVERALL = {  # index -> (unit, min, max, description)
    "par": ("percent", 0, 100, "Overall PAR INDEX score as published (per cent of 100 points)."),
    "sipas": ("percent", 0, 100, "Overall SIPAS score as published (per cent)."),
    "dti": ("index_0_1", 0, 1, "Overall DTI score as published (0-1; the 2022 framework is a break, see breaks.csv)."),
    "svc766": ("score", 0, 100, "Total of the Decision 766 service index (100 points), a real-time reading on the "
               "National Public Service Portal: `year` is the year of the reading, its date is in `note`. "
               "A few readings only: a clearly partial index."),
    "ict": ("index_0_1", 0, 1, "Overall ranking index (0-1) of the 2017 ICT application and e-government assessment, "
            "a precursor of the DTI (not the DTI series; see breaks.csv). Ranks 54-63 were cut off in the stored "
            "page. Not the 'Vietnam ICT Index 2017' readiness index of MIC and the Vietnam Informatics Association."),
}
_DTI_PILLAR_NAMES = {
    "digital_government": ("Chính quyền số", "Digital government", "DTI pillar: digital government (0-1)."),
    "digital_economy": ("Kinh tế số", "Digital economy", "DTI pillar: digital economy (0-1)."),
    "digital_society": ("Xã hội số", "Digital society", "DTI pillar: digital society (0-1)."),
}
# Decision 766 component groups, with the maxima printed beside the readings (Sơn La, Bắc Ninh 2025).
_SVC766 = {
    "transparency": ("Công khai, minh bạch", "Transparency and disclosure", 18),
    "progress": ("Tiến độ, kết quả giải quyết", "Processing progress (on-time handling)", 20),
    "online_services": ("Cung cấp dịch vụ công trực tuyến", "Online public services (six-group display)", 12),
    "online_payment": ("Thanh toán trực tuyến", "Online payment", 10),
    "online_services_total": ("Dịch vụ trực tuyến (gồm thanh toán)", "Online services incl. payment (five-group display)", 22),
    "satisfaction": ("Mức độ hài lòng", "Satisfaction", 18),
    "digitisation": ("Số hóa hồ sơ", "Digitisation of dossiers and results", 22),
}


def _components(pci_components, papi_components, data: pd.DataFrame, maxima: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for idx, (unit, lo, hi, desc) in _OVERALL.items():
        rows.append({"index": idx, "component": "overall", "name_vi": INDICES[idx]["name_vi"],
                     "name_en": INDICES[idx]["name_en"], "unit": unit, "min": lo, "max": hi,
                     "higher_is_better": True, "description": desc})
    for idx, comps in (("pci", pci_components), ("papi", papi_components)):
        for comp in comps:
            c = dataclasses.asdict(comp) if dataclasses.is_dataclass(comp) else dict(comp)
            c.pop("years", None)  # first and last year come from the data below
            rows.append({"index": idx, "component": c.pop("key"), "higher_is_better": True, **c})
    for key, (vi, en, desc) in _DTI_PILLAR_NAMES.items():
        rows.append({"index": "dti", "component": key, "name_vi": vi, "name_en": en, "unit": "index_0_1",
                     "min": 0, "max": 1, "higher_is_better": True, "description": desc})
    for key, (vi, en, top) in _SVC766.items():
        rows.append({"index": "svc766", "component": key, "name_vi": vi, "name_en": en, "unit": "score", "min": 0,
                     "max": top, "higher_is_better": True,
                     "description": f"Decision 766 component group, at most {top} points (maximum as printed in the "
                                    "readings); points, not a share of dossiers."})
    for comp in PAR_COMPONENTS:
        years = maxima[maxima["component"] == comp.key].sort_values("year")
        ranges = [{"years": [int(y), int(y)], "min": 0.0, "max": float(m)} for y, m in zip(years["year"], years["max"])]
        rows.append({"index": "par", "component": comp.key, "name_vi": comp.name_vi, "name_en": comp.name_en,
                     "unit": "score", "min": 0, "max": float("nan"), "higher_is_better": True,
                     "description": comp.description + " Maximum points by year in `ranges` where printed; "
                                    "they change with the method (2022 break).",
                     "ranges": str(ranges) if ranges else float("nan")})
        if comp.key in ("direction", "institutional", "procedures", "apparatus", "civil_service", "public_finance",
                        "modernisation"):
            rows.append({"index": "par", "component": f"{comp.key}_pct", "name_vi": f"{comp.name_vi} (% điểm tối đa)",
                         "name_en": f"{comp.name_en} (% of its maximum)", "unit": "percent", "min": 0, "max": 100,
                         "higher_is_better": True,
                         "description": f"The same area as '{comp.key}', printed as a percentage of its maximum points."})
    frame = pd.DataFrame(rows)
    years = data.groupby(["index", "component"])["year"].agg(["min", "max"])
    frame["first_year"] = [years.at[(i, c), "min"] if (i, c) in years.index else pd.NA
                           for i, c in zip(frame["index"], frame["component"])]
    frame["last_year"] = [years.at[(i, c), "max"] if (i, c) in years.index else pd.NA
                          for i, c in zip(frame["index"], frame["component"])]
    unused = frame["first_year"].isna() & ~frame["index"].isin(["par", "sipas", "dti", "svc766", "ict"])
    frame = frame[~unused]
    first = ["index", "component", "name_vi", "name_en", "unit", "min", "max", "higher_is_better", "first_year", "last_year"]
    frame = frame[[c for c in first if c in frame.columns] + [c for c in frame.columns if c not in first]]
    return frame.reset_index(drop=True)


def _breaks(papi_breaks) -> pd.DataFrame:
    rows = list(papi_breaks) + [
        {
            "index": "par",
            "component": "*",
            "year": 2022,
            "kind": "method",
            "description": (
                "Decision 876/QĐ-BNV (10 November 2022) approved a new PAR Index project for 2022-2030, with "
                "revised criteria and scoring from the 2022 assessment on"
            ),
            "source_id": PAR_2022_METHOD_SOURCE["source_id"],
        },
        {
            "index": "pci",
            "component": "*",
            "year": 2006,
            "kind": "method",
            "description": (
                "PCI 2005 covered 42 provinces with 9 sub-indices (including 'Implementation of central policies', "
                "2005 only); from 2006 VCCI covered all 64 provinces and added 'Labour training' and 'Legal "
                "institutions' (10 sub-indices). Scores and ranks (out of 42 in 2005, 64 in 2006) are not "
                "comparable across 2005/2006"
            ),
            "source_id": "pci-2006-vcci",
        },
        {
            "index": "dti",
            "component": "*",
            "year": 2022,
            "kind": "method",
            "description": (
                "Decision 922/QĐ-BTTTT (20 May 2022) replaced the DTI framework of Decision 1726/QĐ-BTTTT "
                "(12 October 2020): the provincial DTI has 3 pillars, 9 main indicators and 98 component "
                "indicators on a 1,000-point scale, first applied to the 2022 assessment (published July 2023); "
                "DTI 2020-2021 are a different series"
            ),
            "source_id": DTI_922_SOURCE["source_id"],
        },
        {
            "index": "ict",
            "component": "*",
            "year": 2020,
            "kind": "method",
            "description": (
                "The ICT application and e-government ranking (2017 in index 'ict') was followed by the DTI, run by "
                "the Ministry since 2020 on a different framework and scale: never one series with the DTI"
            ),
            "source_id": DTI_SINCE_2020_SOURCE["source_id"],
        },
        {
            "index": "papi",
            "component": "overall",
            "year": 2019,
            "kind": "note",
            "description": (
                "Content note, not a break: the unweighted total keeps its 8 dimensions and 8-80 scale, but "
                "E-Governance gains a third sub-dimension (E-Responsiveness) from 2019"
            ),
            "source_id": "papi-2011-2019-official",
        },
        {
            "index": "papi",
            "component": "overall",
            "year": 2021,
            "kind": "note",
            "description": (
                "Content note, not a break: the unweighted total keeps its 8-80 scale, but Public Administrative "
                "Procedures is the sum of 3 sub-dimensions from 2021 (no Construction Permits score)"
            ),
            "source_id": "papi-panel-2011-2024",
        },
        {
            "index": "*",
            "component": "*",
            "year": 2025,
            "kind": "boundaries",
            "description": (
                "63 provinces merged into 34 units on 1 July 2025; values for the new units are a "
                "different series from those of the old provinces"
            ),
            "source_id": "nq-202-2025-qh15",
        },
    ]
    return pd.DataFrame(rows)


PAR_2022_METHOD_URL = "https://vietnam.vn/en/sua-doi-noi-dung-thang-diem-danh-gia-cai-cach-hanh-chinh-phu-hop-thuc-tien"
PAR_2022_METHOD_SOURCE = {
    "source_id": source_id_for_url(PAR_2022_METHOD_URL),
    "publisher": "vietnam.vn (Báo Kinh tế & Đô thị, 8 November 2024)",
    "title": "Report of the Ministry of Home Affairs workshop on amending the PAR Index project 2022-2030",
    "url": PAR_2022_METHOD_URL,
    "file": "",
    "note": "states that Decision 876/QĐ-BNV of 10 November 2022 approved the PAR Index project for 2022-2030",
}
DTI_922_SOURCE = {
    "source_id": "qd-922-2022-btttt",
    "publisher": "Bộ Thông tin và Truyền thông (Ministry of Information and Communications)",
    "title": "Quyết định 922/QĐ-BTTTT (20/5/2022) phê duyệt Đề án xác định Bộ chỉ số đánh giá chuyển đổi số (DTI)",
    "url": "https://thuviennhadat.vn/vbpl/quyet-dinh-922-qd-btttt-2022-xac-dinh-bo-chi-so-danh-gia-chuyen-doi-so-cua-cac-bo-514140.html",
    "file": "",
    "note": (
        "Text of the Decision (its preamble names Decision 1726/QĐ-BTTTT of 12/10/2020 for the earlier framework). "
        "Structure (3 pillars, 9 main and 98 component indicators, 1,000 points): "
        "https://stttt.daknong.gov.vn/cong-nghe-thong-tin/bo-chi-so-danh-gia-muc-do-chuyen-doi-so.html. "
        "First applied to DTI 2022: a report gives Bắc Kạn's DTI 2022 in points of 1,000 over the 9 index groups "
        "(https://www.vietnam.vn/en/cai-thien-chi-so-dti-bat-dau-tu-nhung-tieu-chi-bi-mat-diem); DTI 2022 was "
        "announced on 12 July 2023 (https://travinh.gov.vn/1426/37932/73050/691291/chuyen-doi-so/"
        "danh-gia-muc-do-chuyen-doi-so-nam-2022-tra-vinh-xep-hang-25-63-tinh-thanh-pho)."
    ),
}
_DTI_SINCE_2020_URL = "https://news.laodong.vn/cong-nghe/thanh-hoa-thang-hang-ve-chuyen-doi-so-1461936.ldo"
DTI_SINCE_2020_SOURCE = {
    "source_id": source_id_for_url(_DTI_SINCE_2020_URL),
    "publisher": "news.laodong.vn",
    "title": "Report on the DTI 2023 ranking, stating that the provincial DTI ranking has been run since 2020",
    "url": _DTI_SINCE_2020_URL,
    "file": "",
    "note": (
        "The 2017 ranking in index 'ict' (vinhphuc.gov.vn notice ItemID=1504, 5 July 2018) is MIC's assessment of "
        "ICT application and e-government development; it differs from the 'Vietnam ICT Index 2017' readiness "
        "index of MIC and the Vietnam Informatics Association (https://tapchitaichinh.vn/"
        "bo-tai-chinh-dan-dau-ve-chi-so-vietnam-ict-index-2017.html), where Đà Nẵng ranked first."
    ),
}
SVC766_SOURCE = {
    "source_id": "qd-766-2022-ttg",
    "publisher": "Thủ tướng Chính phủ (Prime Minister of Viet Nam)",
    "title": "Quyết định 766/QĐ-TTg (23/6/2022) phê duyệt Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ "
             "người dân, doanh nghiệp trong thực hiện TTHC, dịch vụ công theo thời gian thực trên môi trường điện tử",
    "url": "https://thuviennhadat.vn/vbpl/quyet-dinh-766-qd-ttg-2022-bo-chi-so-danh-gia-chat-luong-phuc-vu-thu-tuc-hanh-chinh-dien-tu-518821.html",
    "file": "",
    "note": (
        "Five component groups (publicity and transparency; progress and results of handling; digitisation of "
        "dossiers; online services; satisfaction), 100 points; each group's points are built from several rates "
        "(e.g. satisfaction, 18 points, from three rates: https://vietjack.me/phap-luat/quyet-dinh-766-qd-ttg-2271.html), "
        "so a group's points are not the share of dossiers a plan target names."
    ),
}

_STATIC_SOURCES = [
    PAR_2022_METHOD_SOURCE,
    DTI_922_SOURCE,
    DTI_SINCE_2020_SOURCE,
    SVC766_SOURCE,
    {
        "source_id": "nq-202-2025-qh15",
        "publisher": "Quốc hội (National Assembly of Viet Nam)",
        "title": "Nghị quyết 202/2025/QH15 về việc sắp xếp đơn vị hành chính cấp tỉnh (12/6/2025)",
        "url": "",
        "file": "",
        "note": "Province merger effective 1 July 2025 (63 → 34 units)",
    },
]


def _short_citations(sources: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Caption text per source: "VCCI, PCI 2023" / "Bộ Nội vụ, SIPAS 2023"."""
    first = indicators.groupby("source_id").agg(index=("index", "first"), years=("year", lambda s: sorted(set(s))))
    by_id = sources.set_index("source_id")
    vi, en = [], []
    for sid in sources["source_id"]:
        if sid in first.index:
            idx, years = first.at[sid, "index"], first.at[sid, "years"]
            span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
            via = "" if sid.startswith(("pci-", "papi-", "dti-")) else f" ({by_id.at[sid, 'publisher']})"
            vi.append(f"{_PUBLISHER_SHORT[idx]}, {_SHORT[idx]} {span}{via}")
            en.append(f"{_PUBLISHER_SHORT_EN[idx]}, {_SHORT[idx]} {span}{via}")
        else:
            vi.append(by_id.at[sid, "title"])
            en.append(by_id.at[sid, "title"])
    return sources.assign(short_citation_vi=vi, short_citation_en=en)


def _check_par_maxima(data: pd.DataFrame, maxima: pd.DataFrame) -> None:
    """Every PAR component score at or below the maximum printed for its year."""
    part = data[(data["index"] == "par") & data["component"].isin(maxima["component"])]
    joined = part.merge(maxima[["component", "year", "max"]], on=["component", "year"], how="inner")
    over = joined[joined["value"] > joined["max"] + 1e-9]
    if len(over):
        r = over.iloc[0]
        raise ValueError(f"par/{r['component']} {r['year']} {r['province']}: {r['value']} above the printed maximum "
                         f"{r['max']} ({len(over)} such rows); check the source")



# ----------------------------------------------------------------------------- plan documents
#
# A plan's quoted past figure ("PAR INDEX năm 2021 xếp 33") is a published figure with a source:
# the plan document.  The build turns the curated baselines of data/targets/ into indicator rows
# of source kind "plan document" (one source per document), after every official and press file,
# so they only fill keys nobody else gives; a differing one goes to alternatives.csv.

PLAN_SOURCE_PREFIX = "plan-"
_PLAN_INDEX_UNITS = {"par": "percent", "sipas": "percent", "papi": "score", "pci": "score", "dti": "index_0_1"}
_PLAN_N = {"legacy": (63, 64), "2025": (34,)}
_DECIMALS_NOTE = "another source gives slightly different decimals (see alternatives)"
# notes that make a baseline's year or province doubtful: such a row never becomes an observation
_PLAN_DOUBT = ("unclear", "doubt", "uncertain", "probably", "not sure", "ambiguous")
_FORMER = re.compile(r"former \(legacy\) (.+?)(?: city| province)?(?:[,;.]|$)")


def _targets_folder(out: Path) -> Path:
    """data/targets of the build's output folder, else of the package's data folder."""
    from .targets import targets_dir

    own = out / "targets"
    return own if (own / "targets.csv").is_file() else targets_dir()


def _decimals(text: str) -> int:
    text = str(text).strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def _plan_observation(row: dict, doc: dict) -> tuple[dict | None, str]:
    """(candidate indicator row, "") for a usable baseline, else (None, why it is left out)."""
    from .provinces import resolve_province

    index, field = row["metric_index"], row["metric_field"]
    note = row["mapping_note"].lower()
    if index not in _PLAN_INDEX_UNITS or field not in ("value", "rank"):
        return None, "not a value or rank of PAR Index, SIPAS, PAPI, PCI or DTI"
    if row["scope"] != "national":
        return None, "a rank within a region"
    if index == "papi" and field == "rank":
        return None, "PAPI publishes no ranks (a quoted PAPI rank is someone's computation)"
    if not row["deadline"] or row["mapping_confidence"] == "low" or any(w in note for w in _PLAN_DOUBT):
        return None, "year or mapping unclear"
    year = int(row["deadline"])
    boundaries, code, name = row["boundaries"], row["province_code"], row["province"]
    out_of = int(row["rank_out_of"]) if row["rank_out_of"] else None
    if boundaries == "2025":
        former = _FORMER.search(row["mapping_note"]) or _FORMER.search(doc.get("note", ""))
        if former:  # a 2025 unit's plan quoting a figure of a legacy province: the legacy key
            try:
                unit = resolve_province(former.group(1).strip(), boundaries="legacy")
            except (KeyError, ValueError):
                return None, "province unclear (former province not recognised)"
            boundaries, code, name = "legacy", unit.code, unit.name
        elif year < 2025 and out_of not in _PLAN_N["2025"]:
            return None, "province unclear (a figure before 2025 in a plan of a 2025 unit)"
    if field == "rank" and out_of is not None and out_of not in _PLAN_N[boundaries]:
        return None, f"rank out of {out_of}, not of all units"
    value = float(row["value"])
    if index == "dti" and field == "value" and not 0 <= value <= 1:
        return None, "DTI score not on the 0-1 scale"
    rec = {
        "index": index, "year": year, "boundaries": boundaries, "province_code": code, "province": name,
        "component": row["metric_component"] or "overall", "value": value if field == "value" else math.nan,
        "rank": int(value) if field == "rank" else pd.NA, "unit": _PLAN_INDEX_UNITS[index],
        "source_id": PLAN_SOURCE_PREFIX + row["document_id"], "note": row["target_id"],
        "_dec": _decimals(row["value"]) if field == "value" else 0,
    }
    return rec, ""


def _plan_candidates(folder: Path, log: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(candidate rows, one per document and key; the documents table) from data/targets."""
    from .targets import validate_documents, validate_targets

    docs = pd.read_csv(folder / "documents.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rows = pd.read_csv(folder / "targets.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for frame, name in ((docs, "documents.csv"), (rows, "targets.csv")):
        frame.attrs["source"] = str(folder / name)
    from .targets import OPTIONAL_DOCUMENT_COLUMNS, OPTIONAL_TARGET_COLUMNS

    for frame, cols in ((docs, OPTIONAL_DOCUMENT_COLUMNS), (rows, OPTIONAL_TARGET_COLUMNS)):
        for col, default in cols.items():
            if col not in frame.columns:
                frame[col] = default
    validate_documents(docs)
    validate_targets(rows, documents=docs)
    by_doc = {d["document_id"]: d for d in docs.to_dict("records")}
    base = rows[(rows["kind"] == "baseline") & (rows["metric_index"] != "")]
    found, why = [], {}
    for r in base.to_dict("records"):
        rec, reason = _plan_observation(r, by_doc[r["document_id"]])
        if rec is None:
            why[reason] = why.get(reason, 0) + 1
        else:
            found.append(rec)
    cand = pd.DataFrame(found)
    if len(cand):  # a value and a rank of one key in one document: one row
        key = list(INDICATOR_KEY) + ["source_id"]
        merged = []
        for _, g in cand.groupby(key, sort=False):
            values, ranks = g["value"].dropna().unique(), g["rank"].dropna().unique()
            if len(values) <= 1 and len(ranks) <= 1:
                rec = g.iloc[0].to_dict()
                rec["value"] = values[0] if len(values) else math.nan
                rec["rank"] = ranks[0] if len(ranks) else pd.NA
                rec["_dec"] = int(g["_dec"].max())
                rec["note"] = ", ".join(g["note"])
                merged.append(rec)
            else:  # one document quoting two figures for one key: both stay candidates
                merged += g.to_dict("records")
        cand = pd.DataFrame(merged)
        # earlier documents first (undated ones after), so the kept figure is the first quoted
        dates = cand["source_id"].str.removeprefix(PLAN_SOURCE_PREFIX).map(lambda d: by_doc[d]["date"] or "9999")
        cand = cand.assign(_date=dates).sort_values(["_date", "source_id"], kind="stable").drop(columns="_date")
    left = ", ".join(f"{n} {w}" for w, n in sorted(why.items(), key=lambda kv: -kv[1]))
    log.append(f"plan documents ({folder}): {len(base)} baselines mapped to an index, {len(cand)} candidate "
               f"figures; left out: {left or 'none'}")
    return cand.reset_index(drop=True), docs


def _same(a: float, b: float, decimals: int) -> bool:
    """Equal at the precision the plan printed (86.9 quotes 86.89 rounded; 86.8 does not)."""
    return abs(round(a, decimals) - round(b, decimals)) < 1e-9 or abs(a - b) < 1e-9


def _relation(cand: dict, kept: dict) -> str:
    """"same", "adds" (a field the kept row lacks, nothing contradicted), "decimals" (the value
    differs by at most one unit of the plan's last printed decimal, the rank agrees) or "conflict"."""
    v, vk, r, rk = cand["value"], kept["value"], cand["rank"], kept["rank"]
    has = lambda x: x is not None and not pd.isna(x)  # noqa: E731
    if has(r) and has(rk) and int(r) != int(rk):
        return "conflict"
    if has(v) and has(vk) and not _same(float(vk), float(v), int(cand["_dec"])):
        step = 10.0 ** -int(cand["_dec"])
        return "decimals" if int(cand["_dec"]) > 0 and abs(float(vk) - float(v)) <= step + 1e-9 else "conflict"
    if (has(v) and not has(vk)) or (has(r) and not has(rk)):
        return "adds"
    return "same"


def _reconcile_plans(
    everything: pd.DataFrame, cand: pd.DataFrame, sources: pd.DataFrame, docs: pd.DataFrame, log: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, set[str]]:
    """(everything with plan rows added and notes, plan alternatives, plan source ids used)."""
    key = list(INDICATOR_KEY)
    cols = list(INDICATOR_COLUMNS)
    if cand.empty:
        return everything, pd.DataFrame(columns=cols), set()
    urls = dict(zip(sources["source_id"], sources["url"].fillna("")))
    urls.update({PLAN_SOURCE_PREFIX + d: u for d, u in zip(docs["document_id"], docs["source_url"])})
    kept = everything.set_index(key)
    notes: dict[tuple, list[str]] = {}
    conflicts: dict[tuple, str] = {}
    added, alternatives, used = [], [], set()
    counts = {"new": 0, "same": 0, "same page": 0, "alternative": 0}
    info = cand["value"].notna().astype(int) + cand["rank"].notna().astype(int)
    cand = cand.assign(_info=-info, _pos=range(len(cand))).sort_values(["_info", "_pos"], kind="stable")
    for k, group in cand.groupby(key, sort=False):
        recs = group.to_dict("records")
        if k in kept.index:
            base = {**kept.loc[k].to_dict(), "source_id": kept.loc[k, "source_id"]}
        else:
            base = recs.pop(0)
            rows_ = base["note"]
            base = {**base, "note": f"quoted as a past figure by a plan document (data/targets rows {rows_}); "
                                    "no official or press figure for this key"}
            added.append(base)
            used.add(base["source_id"])
            counts["new"] += 1
        for c in recs:
            rel = _relation(c, base)
            doc_url = urls.get(c["source_id"], "")
            if rel == "same":
                if doc_url and doc_url == urls.get(base["source_id"], ""):
                    counts["same page"] += 1  # the plan's page is the kept row's own source
                    continue
                notes.setdefault(k, []).append(c["source_id"])
                used.add(c["source_id"])
                counts["same"] += 1
                continue
            what = {"conflict": "differs from the kept figure", "adds": "adds a field the kept row lacks",
                    "decimals": "differs from the kept figure in the last printed decimal"}[rel]
            alternatives.append({**c, "note": f"quoted as a past figure by a plan document (data/targets rows "
                                              f"{c['note']}); {what}"})
            used.add(c["source_id"])
            counts["alternative"] += 1
            if rel in ("conflict", "decimals"):
                conflicts[k] = CONFLICT_NOTE if rel == "conflict" or conflicts.get(k) == CONFLICT_NOTE else _DECIMALS_NOTE
    new = pd.DataFrame(added, columns=cols + ["_dec"])[cols] if added else pd.DataFrame(columns=cols)
    out = pd.concat([everything, new], ignore_index=True) if len(new) else everything.copy()
    index = out.set_index(key).index
    for k, ids in notes.items():
        i = index.get_loc(k)
        text = "same figure quoted by " + ", ".join(dict.fromkeys(ids))
        out.iat[i, out.columns.get_loc("note")] = _join_note(out.iat[i, out.columns.get_loc("note")], text)
    for k, flag in conflicts.items():
        i = index.get_loc(k)
        current = out.iat[i, out.columns.get_loc("note")]
        if not (isinstance(current, str) and "see alternatives" in current):
            out.iat[i, out.columns.get_loc("note")] = _join_note(current, flag)
    alt = pd.DataFrame(alternatives)[cols] if alternatives else pd.DataFrame(columns=cols)
    log.append(f"plan documents: {counts['new']} figures added where no other source gives one, "
               f"{counts['same']} agree with the kept figure (noted), {counts['same page']} restate their own "
               f"source page, {counts['alternative']} kept as alternatives")
    return out, alt, used


def _join_note(current, text: str) -> str:
    current = current if isinstance(current, str) and current.strip() else ""
    return f"{current}; {text}" if current else text


def _plan_sources(docs: pd.DataFrame, used: set[str]) -> pd.DataFrame:
    """One sources row per plan document whose figures the build used (kind "plan document")."""
    rows = []
    for d in docs.to_dict("records"):
        sid = PLAN_SOURCE_PREFIX + d["document_id"]
        if sid not in used:
            continue
        host = urlparse(d["source_url"]).netloc.removeprefix("www.") if d["source_url"] else ""
        publisher = d["issuer"] if d["kind"] != "news_report" and d["issuer"] else (host or d["issuer"])
        label = (d["number"] or host or d["document_id"]) + (f", {d['date'][:4]}" if d["date"] else "")
        facts = [f"issuer: {d['issuer'] or 'not stated'}", f"number: {d['number'] or 'not stated'}",
                 f"dated: {d['date'] or 'not stated'}", f"address: {d['source_url'] or 'not recorded (seed text)'}"]
        rows.append({
            "source_id": sid,
            "kind": "plan document",
            "publisher": publisher,
            "title": d["title"],
            "url": d["source_url"],
            "file": "",
            "published": d["date"],
            "accessed": d["retrieved"],
            "licence": "",
            "short_citation_vi": f"số liệu dẫn trong văn bản của {d['province']} ({label})",
            "short_citation_en": f"figure quoted by a plan document of {d['province']} ({label})",
            "note": (f"Plan document ({d['kind']}; {'; '.join(facts)}). Its quoted past figures are baselines in "
                     f"data/targets/targets.csv (document_id {d['document_id']}); the build takes them as observations "
                     "only where no official or press figure exists."),
        })
    return pd.DataFrame(rows)


def _source_kinds(sources: pd.DataFrame) -> pd.Series:
    """The kind of each source: plan document, web page (press and portals), file (an original the
    build read) or reference (legal texts and citations without figures)."""
    sid = sources["source_id"].astype(str)
    has_file = sources["file"].fillna("").astype(str).str.strip() != ""
    kind = pd.Series("reference", index=sources.index)
    kind[has_file] = "file"
    kind[sid.str.startswith("web-")] = "web page"
    kind[sid.str.startswith(PLAN_SOURCE_PREFIX)] = "plan document"
    return kind


def build_all(reference_dir: Path | None = None, data_dir: Path | None = None, *, verbose: bool = True) -> list[str]:
    """Rebuild every indicator table in ``data_dir`` from ``reference_dir``.

    Returns the build log (one line per input file and per output table).
    """
    ref = Path(reference_dir or config.REFERENCE_DIR)
    out = Path(data_dir or config.output_data_dir())  # never the tables inside an installed package
    if not ref.is_dir():
        raise FileNotFoundError(
            f"reference data not found at {ref}; the build needs ../shared/reference-data "
            "(set CCHC_SHARED_DIR to its parent folder)"
        )
    log: list[str] = []
    press, press_src, skipped, maxima, confirmed = _press(ref, log)
    pci_tidy, pci_src, pci_comp = _pci(ref, log)
    press_pci_2021 = pd.concat(press, ignore_index=True)
    press_pci_2021 = press_pci_2021[(press_pci_2021["index"] == "pci") & (press_pci_2021["year"] == 2021)
                                    & (press_pci_2021["component"] != "overall")]
    pci_2021, pci_2021_src = _pci_2021_partial(ref, log, press_pci_2021)
    pci_tidy = pd.concat(
        [pci_tidy, pci_2021.assign(index="pci", unit="score", boundaries="legacy")], ignore_index=True
    )
    pci_src = pd.concat([pci_src, pd.DataFrame([pci_2021_src])], ignore_index=True)
    papi_tidy, papi_src, papi_comp, papi_breaks = _papi(ref, log)
    aggregates, agg_src = _aggregates(ref, log)

    # One row per key, official files first; equal restatements are counted, the rest kept aside.
    candidates = pd.concat([pci_tidy, papi_tidy, *press], ignore_index=True)[list(INDICATOR_COLUMNS)]
    everything, alternatives, more = resolve_figures(candidates)
    confirmed += more
    log.append(f"figures given twice: {confirmed} confirmed by another source, {len(alternatives)} kept as "
               "alternatives (a figure the kept row lacks or contradicts)")

    sources = pd.concat([pci_src, papi_src, *press_src, agg_src, pd.DataFrame(_STATIC_SOURCES)], ignore_index=True)
    sources = sources.drop_duplicates("source_id", keep="first")
    for col in ("source_id", "publisher", "title", "url", "file", "published", "accessed", "licence", "note"):
        if col not in sources.columns:
            sources[col] = pd.NA

    # Past figures quoted by plan documents (data/targets): only where no other source gives one.
    plan_folder = _targets_folder(out)
    plan_sources = pd.DataFrame(columns=["source_id"])
    if (plan_folder / "targets.csv").is_file():
        candidates, plan_docs = _plan_candidates(plan_folder, log)
        everything, plan_alternatives, used = _reconcile_plans(everything, candidates, sources, plan_docs, log)
        alternatives = pd.concat([alternatives, plan_alternatives], ignore_index=True) if len(plan_alternatives) else alternatives
        plan_sources = _plan_sources(plan_docs, used)
        sources = pd.concat([sources, plan_sources.drop(columns=["kind", "short_citation_vi", "short_citation_en"])],
                            ignore_index=True)
    sources = _short_citations(sources, pd.concat([everything, alternatives], ignore_index=True))
    if len(plan_sources):  # captions name the document, not the index's publisher
        own = plan_sources.set_index("source_id")
        mine = sources["source_id"].isin(own.index)
        for col in ("short_citation_vi", "short_citation_en"):
            sources.loc[mine, col] = sources.loc[mine, "source_id"].map(own[col])
    sources["kind"] = _source_kinds(sources)
    sources = sources[
        ["source_id", "kind", "publisher", "title", "url", "file", "published", "accessed", "licence",
         "short_citation_vi", "short_citation_en", "note"]
    ].sort_values("source_id")

    components = _components(pci_comp, papi_comp, everything, maxima)
    ranges = {(r["index"], r["component"]): (float(r["min"]), float(r["max"])) for r in components.to_dict("records")}
    validate_indicators(everything, origin="data/indicators", source_ids=sources["source_id"], ranges=ranges)
    validate_indicators(alternatives, origin="data/indicators/alternatives.csv", source_ids=sources["source_id"],
                        ranges=ranges, duplicates=False)
    _check_par_maxima(pd.concat([everything, alternatives]), maxima)
    known_components = set(zip(components["index"], components["component"]))
    unknown = set(zip(everything["index"], everything["component"])) - known_components
    if unknown:
        raise ValueError(f"components {sorted(unknown)[:5]} are not described in components.csv")
    breaks = _breaks(papi_breaks)
    known_sources = set(sources["source_id"])
    for name, frame in (("aggregates", aggregates), ("alternatives", alternatives), ("breaks", breaks)):
        missing = set(frame["source_id"]) - known_sources
        if missing:
            raise ValueError(f"{name}: source ids {sorted(missing)[:5]} do not resolve in sources.csv")

    provenance = []
    for sub in ("pci/official", "papi/official", "papi/subdimensions", OLD, NEW, "spotchecks"):
        for path in sorted((ref / sub).glob("*.*")):
            if path.suffix.lower() in (".xls", ".xlsx", ".csv") or path.name == Path(PCI_2021_SPOTCHECK).name:
                provenance.append(
                    {"file": f"{sub}/{path.name}", "bytes": path.stat().st_size, "sha256": _sha256(path)}
                )

    # Write everything into a temporary folder, then move the files into place.  The folder
    # is beside ``out`` (same file system), so each os.replace is atomic: never a half file.
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out.parent))
    try:
        (tmp / "indicators").mkdir()
        order = list(INDICATOR_KEY)
        for idx in INDICES:
            part = everything[everything["index"] == idx].sort_values(order)
            part.to_csv(tmp / "indicators" / f"{idx}.csv", index=False, float_format="%.10g")
            log.append(f"wrote indicators/{idx}.csv: {len(part)} rows")
        alternatives.sort_values(order).to_csv(tmp / "indicators" / "alternatives.csv", index=False, float_format="%.10g")
        aggregates.to_csv(tmp / "aggregates.csv", index=False, float_format="%.10g")
        sources.to_csv(tmp / "sources.csv", index=False)
        components.to_csv(tmp / "components.csv", index=False)
        breaks.to_csv(tmp / "breaks.csv", index=False)
        pd.DataFrame(provenance).to_csv(tmp / "provenance.csv", index=False)
        if skipped:
            pd.concat(skipped, ignore_index=True)[["file", "index", "year", "province", "reason"]].to_csv(
                tmp / "indicators" / "skipped_without_figure.csv", index=False
            )
        out.mkdir(parents=True, exist_ok=True)
        (out / "indicators").mkdir(exist_ok=True)
        for path in sorted(tmp.rglob("*.csv")):
            target = out / path.relative_to(tmp)
            os.replace(path, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    from .checksums import write_checksums  # the loaders check the tables against these

    log.append(f"wrote checksums.csv: {len(write_checksums(out))} tables")
    if verbose:
        print("\n".join(log))
    return log
