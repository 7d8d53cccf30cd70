"""Build the bundled tidy tables in ``data/`` from the publishers' original files.

This is the reproducible path from ``../shared/reference-data`` to ``data/``:

    python scripts/build_data.py          # or: cchc data build

Every output is validated before anything is written, and all files are replaced
together at the end (written to a temporary folder beside ``data/`` first, then moved
with one :func:`os.replace` each), so a failed build never leaves a half-written file or
a half-updated ``data/``; only a crash during the final renames could mix old and new
whole files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from . import config
from .provinces import fold_name, resolve_province
from .readers.press import read_press_csv, source_id_for_url
from .schema import INDICATOR_COLUMNS, INDICATOR_KEY, INDICES, validate_indicators

__all__ = ["build_all", "PRESS_FILES"]

# (file in par_sipas_dti/, boundaries) in order of preference: for a key given by two
# files, the first file's figure is kept and the other goes to alternatives.csv.
PRESS_FILES: tuple[tuple[str, str], ...] = (
    ("DTI_2022_full.csv", "legacy"),
    ("DTI_2023_full.csv", "legacy"),
    ("DTI_2024_full.csv", "legacy"),
    ("DTI_2024_34merged_full.csv", "2025"),
    ("DTI_2021_partial.csv", "legacy"),
    ("DTI_2020_partial.csv", "legacy"),
    ("PAR_SIPAS_partial_by_year.csv", "legacy"),
    ("PAR_2012_partial_top19.csv", "legacy"),
    ("SIPAS_2017_partial_top12.csv", "legacy"),
    ("SIPAS_2015_pilot_partial_10prov.csv", "legacy"),
)

# Official DTI ranking pages, by table: these carry the citation for the full tables.
_DTI_SOURCES = {
    "DTI_2022_full.csv": ("https://dti.gov.vn/xep-hang-2022", "DTI 2022: provincial ranking (63 provinces)"),
    "DTI_2023_full.csv": ("https://dti.gov.vn/xep-hang-2023-all", "DTI 2023: provincial ranking (63 provinces)"),
    "DTI_2024_full.csv": ("https://dti.gov.vn/xep-hang-2024-63-tinh", "DTI 2024: provincial ranking (63 provinces)"),
    "DTI_2024_34merged_full.csv": ("https://dti.gov.vn/xep-hang-2024", "DTI 2024: ranking of the 34 provinces after the 2025 merger"),
}
_DTI_PUBLISHER = "Ministry of Information and Communications (Bộ Thông tin và Truyền thông), dti.gov.vn"
_DTI_VIA = (
    "Values as scraped from the official page by the public GitHub repository Tuan04-D/opendx "
    "(frontend/public/*.json); names normalised there; ranks are competition ranks from the score order."
)

_SHORT = {"par": "PAR INDEX", "sipas": "SIPAS", "papi": "PAPI", "pci": "PCI", "dti": "DTI"}
_PUBLISHER_SHORT = {"par": "Bộ Nội vụ", "sipas": "Bộ Nội vụ", "papi": "CECODES/UNDP", "pci": "VCCI", "dti": "Bộ TT&TT"}
_PUBLISHER_SHORT_EN = {"par": "MOHA", "sipas": "MOHA", "papi": "CECODES/UNDP", "pci": "VCCI", "dti": "MIC"}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _press(ref: Path, log: list[str]):
    base = ref / "par_sipas_dti"
    tables, alternatives, sources, skipped = [], [], [], []
    for fname, boundaries in PRESS_FILES:
        part = read_press_csv(base / fname, boundaries=boundaries)
        ind = part.indicators.copy()
        src = part.sources.copy()
        if fname in _DTI_SOURCES:
            url, title = _DTI_SOURCES[fname]
            sid = f"dti-{fname[4:8]}-{'units34' if boundaries == '2025' else 'provinces63'}"
            ind["source_id"] = sid
            src = pd.DataFrame(
                [{"source_id": sid, "publisher": _DTI_PUBLISHER, "title": title, "url": url, "file": fname, "note": _DTI_VIA}]
            )
        else:
            src["file"] = fname
        tables.append(ind)
        alternatives.append(part.alternatives)
        sources.append(src)
        if len(part.skipped):
            skipped.append(part.skipped.assign(file=fname))
        log.append(f"{fname}: {len(ind)} rows, {len(part.alternatives)} alternatives, {len(part.skipped)} without a figure")
    return tables, alternatives, sources, skipped


# Entities in facts.csv that are national or regional figures, mapped to our keys.
def _aggregate_entity(entity: str) -> tuple[str, str] | None:
    folded = fold_name(entity)
    if folded.startswith("vung"):
        from .provinces import region_names

        for key, name in region_names("vi").items():
            if fold_name(name).replace("va", "") == folded[4:].replace("va", ""):
                return key, "mean_of_provinces"
        raise ValueError(f"facts.csv: region {entity!r} not in the registry's six regions")
    if folded in ("nationalaverageprovinces", "provincialaverage", "provincialaverage63"):
        return "national", "mean_of_provinces"
    if folded in ("nationalaverage", "nationaldtiquocgia"):
        return "national", "national_value"
    if folded == "gaphighestlowest":
        return "national", "max_minus_min"
    return None


def _aggregates(ref: Path, log: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    facts = pd.read_csv(ref / "par_sipas_dti" / "facts.csv", dtype=str, keep_default_na=False)
    rows, sources = [], {}
    units = {"par": "percent", "sipas": "percent", "dti": "index_0_1"}
    for rec in facts.to_dict("records"):
        mapped = _aggregate_entity(rec["entity"])
        if mapped is None or not rec["score"].strip():
            continue
        entity, statistic = mapped
        sid = source_id_for_url(rec["source_url"])
        idx = rec["index"].lower()
        sources[sid] = {
            "source_id": sid,
            "publisher": sid.split("-", 1)[1].rsplit("-", 1)[0],
            "title": f"{idx.upper()} {rec['year']} figures reported by {sid.split('-', 1)[1].rsplit('-', 1)[0]}",
            "url": rec["source_url"].strip(),
            "file": "facts.csv",
            "note": "",
        }
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
    log.append(f"facts.csv: {len(agg)} national/regional figures")
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


def _pci_2021_partial(ref: Path, log: list[str]):
    """PCI 2021: the first 21 rows of the pcivietnam.vn table (province, 10 sub-indices, PCI, rank).

    Only the PCI score and rank are kept: the copied rows carry no header naming the
    sub-index columns, and a guessed column order would be an invented label.
    """
    path = ref / PCI_2021_SPOTCHECK
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        numbers, name = parts[-12:], " ".join(parts[:-12])
        if len(parts) < 13 or not name:
            raise ValueError(f"{path.name} line {n}: expected a name and 12 numbers, got {line!r}")
        unit = resolve_province(name)
        rows.append({"year": 2021, "province_code": unit.code, "province": unit.name, "component": "overall",
                     "value": float(numbers[10]), "rank": int(numbers[11]), "source_id": "pci-2021-pcivietnam-top21"})
    log.append(f"{path.name}: {len(rows)} PCI 2021 rows (score and rank; ranks 1-{len(rows)})")
    source = {
        "source_id": "pci-2021-pcivietnam-top21",
        "publisher": "VCCI – Vietnam Chamber of Commerce and Industry",
        "title": "PCI 2021 provincial ranking, first 21 rows (hand-copied from pcivietnam.vn)",
        "url": "https://pcivietnam.vn",
        "file": PCI_2021_SPOTCHECK,
        "note": "partial table: only the 21 best-ranked provinces; sub-index scores not kept (no column header)",
    }
    return pd.DataFrame(rows), source


def _papi(ref: Path, log: list[str]):
    from .readers import papi

    tidy, sources = papi.build_papi(ref / "papi", log=log)
    tidy = tidy.assign(index="papi", unit="score", boundaries="legacy")
    return tidy, sources, papi.PAPI_COMPONENTS, papi.PAPI_BREAKS


def _components(pci_components, papi_components) -> pd.DataFrame:
    rows = []
    for idx, unit, lo, hi in (("par", "percent", 0, 100), ("sipas", "percent", 0, 100), ("dti", "index_0_1", 0, 1)):
        rows.append(
            {
                "index": idx, "component": "overall", "name_vi": INDICES[idx]["name_vi"],
                "name_en": INDICES[idx]["name_en"], "unit": unit, "min": lo, "max": hi,
                "higher_is_better": True, "description": f"Overall {_SHORT[idx]} score as published.",
            }
        )
    for idx, comps in (("pci", pci_components), ("papi", papi_components)):
        for comp in comps:
            c = dataclasses.asdict(comp) if dataclasses.is_dataclass(comp) else dict(comp)
            years = sorted(c.pop("years", ()) or ())
            row = {"index": idx, "component": c.pop("key"), "higher_is_better": True, **c}
            if years:
                row["first_year"], row["last_year"] = years[0], years[-1]
            rows.append(row)
    frame = pd.DataFrame(rows)
    first = ["index", "component", "name_vi", "name_en", "unit", "min", "max", "higher_is_better", "first_year", "last_year"]
    frame = frame[[c for c in first if c in frame.columns] + [c for c in frame.columns if c not in first]]
    return frame


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

_STATIC_SOURCES = [
    PAR_2022_METHOD_SOURCE,
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
    vi, en = [], []
    for sid in sources["source_id"]:
        if sid in first.index:
            idx, years = first.at[sid, "index"], first.at[sid, "years"]
            span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
            via = "" if sid.startswith(("pci-", "papi-", "dti-")) else f" ({sources.set_index('source_id').at[sid, 'publisher']})"
            vi.append(f"{_PUBLISHER_SHORT[idx]}, {_SHORT[idx]} {span}{via}")
            en.append(f"{_PUBLISHER_SHORT_EN[idx]}, {_SHORT[idx]} {span}{via}")
        else:
            vi.append(sources.set_index("source_id").at[sid, "title"])
            en.append(sources.set_index("source_id").at[sid, "title"])
    return sources.assign(short_citation_vi=vi, short_citation_en=en)


def build_all(reference_dir: Path | None = None, data_dir: Path | None = None, *, verbose: bool = True) -> list[str]:
    """Rebuild every indicator table in ``data_dir`` from ``reference_dir``.

    Returns the build log (one line per input file and per output table).
    """
    ref = Path(reference_dir or config.REFERENCE_DIR)
    out = Path(data_dir or config.DATA_DIR)
    if not ref.is_dir():
        raise FileNotFoundError(
            f"reference data not found at {ref}; the build needs ../shared/reference-data "
            "(set CCHC_SHARED_DIR to its parent folder)"
        )
    log: list[str] = []
    press, press_alt, press_src, skipped = _press(ref, log)
    pci_tidy, pci_src, pci_comp = _pci(ref, log)
    pci_2021, pci_2021_src = _pci_2021_partial(ref, log)
    pci_tidy = pd.concat(
        [pci_tidy, pci_2021.assign(index="pci", unit="score", boundaries="legacy", note=pd.NA)], ignore_index=True
    )
    pci_src = pd.concat([pci_src, pd.DataFrame([pci_2021_src])], ignore_index=True)
    papi_tidy, papi_src, papi_comp, papi_breaks = _papi(ref, log)
    aggregates, agg_src = _aggregates(ref, log)

    everything = pd.concat([pci_tidy, papi_tidy, *press], ignore_index=True)[list(INDICATOR_COLUMNS)]
    dup = everything.duplicated(list(INDICATOR_KEY), keep="first")
    alternatives = pd.concat([*press_alt, everything[dup]], ignore_index=True)[list(INDICATOR_COLUMNS)]
    everything = everything[~dup]

    sources = pd.concat([pci_src, papi_src, *press_src, agg_src, pd.DataFrame(_STATIC_SOURCES)], ignore_index=True)
    sources = sources.drop_duplicates("source_id", keep="first")
    for col in ("source_id", "publisher", "title", "url", "file", "published", "accessed", "licence", "note"):
        if col not in sources.columns:
            sources[col] = pd.NA
    sources = _short_citations(sources, everything)
    sources = sources[
        ["source_id", "publisher", "title", "url", "file", "published", "accessed", "licence",
         "short_citation_vi", "short_citation_en", "note"]
    ].sort_values("source_id")

    components = _components(pci_comp, papi_comp)
    ranges = {(r["index"], r["component"]): (float(r["min"]), float(r["max"])) for r in components.to_dict("records")}
    validate_indicators(everything, origin="data/indicators", source_ids=sources["source_id"], ranges=ranges)
    known_sources = set(sources["source_id"])
    for name, frame in (("aggregates", aggregates), ("alternatives", alternatives)):
        missing = set(frame["source_id"]) - known_sources
        if missing:
            raise ValueError(f"{name}: source ids {sorted(missing)[:5]} do not resolve in sources.csv")

    provenance = []
    for sub in ("pci/official", "papi/official", "papi/subdimensions", "par_sipas_dti", "spotchecks"):
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
        _breaks(papi_breaks).to_csv(tmp / "breaks.csv", index=False)
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
