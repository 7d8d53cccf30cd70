"""Merge harvested plan corpora into data/targets/ (documents.csv, targets.csv, manifest.csv).

    python scripts/merge_harvest.py [HARVEST_DIR ...] [--check] [--drop-missing]

A harvest folder holds ``documents.csv``, ``targets.csv`` and ``manifest.csv`` (same columns as
data/targets/; the manifest has one row per retrieved excerpt: document_id, part, corpus, query,
url, retrieved, start, end, sha256) and ``texts/<source_file>``, the texts the offsets refer to.
The texts never enter data/: only their SHA-256 and length do.  Without arguments every folder of
``../harvest/`` (beside the project) that has a ``documents.csv`` is merged; a folder without one
(a harvest still under way) is skipped with a message.

The merge is a pure function of the seed rows and the harvests, so running it again gives the
same bytes (files that would not change are not rewritten):

* seed rows (documents without a ``retrieved`` date: the five documents of ``../shared/plans``)
  are kept, with ``reviewed_by_hand=yes``, ``boundaries=legacy``, ``scope=national`` filled in and
  their text's SHA-256 and length when ``../shared/plans`` is present;
* every harvested document is taken from its harvest (the newest delivery wins);
* a previously merged document that no harvest given holds any more is kept and named (it is
  dropped only with ``--drop-missing``), so merging one harvest never loses another's rows.

Checked before anything is written (any problem stops the merge, naming the file, row and fix):
the schema (``validate_documents``/``validate_targets``), one document per id and per address
across harvests, a manifest row for every harvested document, each excerpt's SHA-256 and each
text's SHA-256 and length against ``texts/`` when the texts are present, evidence offsets inside
the text.  The three files are written to temporary files beside them and moved into place
together (``os.replace``), so a failed merge leaves data/targets/ as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
from pathlib import Path

import pandas as pd

from cchc_analysis import config
from cchc_analysis.targets import (
    DOCUMENT_COLUMNS,
    OPTIONAL_DOCUMENT_COLUMNS,
    OPTIONAL_TARGET_COLUMNS,
    TARGET_COLUMNS,
    TargetsValidationError,
    targets_dir,
    validate_documents,
    validate_targets,
)

MANIFEST_COLUMNS = ("document_id", "part", "corpus", "query", "url", "retrieved", "start", "end", "sha256")
DOC_COLS = list(DOCUMENT_COLUMNS) + list(OPTIONAL_DOCUMENT_COLUMNS)
TGT_COLS = list(TARGET_COLUMNS) + list(OPTIONAL_TARGET_COLUMNS)
SEED_DEFAULTS = {"reviewed_by_hand": "yes", "boundaries": "legacy", "scope": "national"}


class MergeError(ValueError):
    """The harvests cannot be merged; ``problems`` lists one message per fault."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n  ".join([f"{len(problems)} problem(s); nothing was written:", *problems]))


def default_harvest_dirs() -> list[Path]:
    root = config.PROJ_ROOT.parent / "harvest"
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def _read(path: Path, columns: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if columns is not None:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise MergeError([f"{path}: missing column(s) {missing}. Fix: write the header of data/targets/{path.name}."])
    return frame


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_text(path: Path) -> str:
    # newline="" keeps \r\n as two characters: the offsets count them as the harvester did
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


class Harvest:
    """One harvest folder, read and checked against its texts."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.name = folder.name
        self.documents = _read(folder / "documents.csv", DOCUMENT_COLUMNS)
        self.targets = _read(folder / "targets.csv", TARGET_COLUMNS)
        self.manifest = _read(folder / "manifest.csv", MANIFEST_COLUMNS)
        for frame, cols in ((self.documents, OPTIONAL_DOCUMENT_COLUMNS), (self.targets, OPTIONAL_TARGET_COLUMNS)):
            for col, default in cols.items():
                if col not in frame.columns:
                    frame[col] = default
        self.texts_dir = folder / "texts"

    def check(self) -> tuple[list[str], int]:
        """Problems found, and the number of documents whose text was checked."""
        problems: list[str] = []
        where = f"{self.name}/documents.csv"
        docs = self.documents
        ids = set(docs["document_id"])
        for i, d in enumerate(docs.to_dict("records")):
            line = f"{where} line {i + 2} ({d['document_id']!r})"
            if not d["retrieved"]:
                problems.append(f"{line}: no retrieval date. Fix: write the ISO date in 'retrieved'.")
            if not d["source_url"]:
                problems.append(f"{line}: no source_url. Fix: write the address the text was retrieved from.")
        for i, t in enumerate(self.targets.to_dict("records")):
            if t["document_id"] not in ids:
                problems.append(f"{self.name}/targets.csv line {i + 2} ({t['target_id']!r}): document "
                                f"{t['document_id']!r} is not in {where}. Fix: add it or correct the id.")
        in_manifest = set(self.manifest["document_id"])
        for did in sorted(ids - in_manifest):
            problems.append(f"{self.name}/manifest.csv: no row for document {did!r}. Fix: record the query, address "
                            "and retrieval date of its text.")
        for i, m in enumerate(self.manifest.to_dict("records")):
            if m["document_id"] not in ids:
                problems.append(f"{self.name}/manifest.csv line {i + 2}: document {m['document_id']!r} is not in {where}.")
        checked = 0
        if not self.texts_dir.is_dir():
            return problems, checked
        by_doc = {d["document_id"]: d for d in docs.to_dict("records")}
        texts: dict[str, str] = {}
        for did, d in by_doc.items():
            path = self.texts_dir / d["source_file"]
            if not path.is_file():
                problems.append(f"{where} ({did!r}): text {path} is missing. Fix: restore it or correct source_file.")
                continue
            text = texts[did] = _read_text(path)
            checked += 1
            if d["text_sha256"] and _sha(text) != d["text_sha256"]:
                problems.append(f"{where} ({did!r}): text_sha256 differs from the SHA-256 of {path}. Fix: the text "
                                "changed after the offsets were taken; re-check the rows and update the hash.")
            if d["text_chars"] and int(d["text_chars"]) != len(text):
                problems.append(f"{where} ({did!r}): text_chars {d['text_chars']} but {path} has {len(text)} characters.")
        for i, m in enumerate(self.manifest.to_dict("records")):
            text = texts.get(m["document_id"])
            if text is None:
                continue
            start, end = int(m["start"]), int(m["end"])
            if not 0 <= start < end <= len(text) or _sha(text[start:end]) != m["sha256"]:
                problems.append(f"{self.name}/manifest.csv line {i + 2} ({m['document_id']!r} part {m['part']}): the "
                                f"excerpt {start}-{end} of the text does not have the recorded SHA-256.")
        for i, t in enumerate(self.targets.to_dict("records")):
            text = texts.get(t["document_id"])
            if text is None:
                continue
            start, end = int(t["evidence_start"]), int(t["evidence_end"])
            if not 0 <= start < end <= len(text):
                problems.append(f"{self.name}/targets.csv line {i + 2} ({t['target_id']!r}): evidence {start}-{end} "
                                f"is outside its text ({len(text)} characters).")
        return problems, checked


def _seed_rows(docs: pd.DataFrame, targets: pd.DataFrame, plans_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    seeds = docs[docs["retrieved"] == ""].copy()
    rows = targets[targets["document_id"].isin(seeds["document_id"])].copy()
    for col, value in SEED_DEFAULTS.items():
        rows[col] = rows[col].where(rows[col] != "", value)
    seeds["boundaries"] = seeds["boundaries"].where(seeds["boundaries"] != "", "legacy")
    for i in seeds.index:
        path = plans_dir / seeds.at[i, "source_file"]
        if path.is_file():
            text = path.read_text(encoding="utf-8")  # the seeds' offsets are into this reading
            seeds.at[i, "text_sha256"], seeds.at[i, "text_chars"] = _sha(text), str(len(text))
    return seeds, rows


def _csv(frame: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def merge(
    harvest_dirs: list[Path],
    *,
    out_dir: Path | None = None,
    plans_dir: Path | None = None,
    drop_missing: bool = False,
    write: bool = True,
) -> list[str]:
    """Merge ``harvest_dirs`` into ``out_dir`` (default data/targets); returns the log lines."""
    out = Path(out_dir or config.output_data_dir() / "targets")
    plans = Path(plans_dir or config.PLANS_DIR)
    log: list[str] = []
    docs = _read(out / "documents.csv", DOCUMENT_COLUMNS)
    targets = _read(out / "targets.csv", TARGET_COLUMNS)
    for frame, cols in ((docs, OPTIONAL_DOCUMENT_COLUMNS), (targets, OPTIONAL_TARGET_COLUMNS)):
        for col, default in cols.items():
            if col not in frame.columns:
                frame[col] = "" if col in ("retrieved", "text_sha256", "text_chars") else default
    manifest_path = out / "manifest.csv"
    manifest = _read(manifest_path, MANIFEST_COLUMNS) if manifest_path.is_file() else pd.DataFrame(columns=MANIFEST_COLUMNS)

    seed_docs, seed_rows = _seed_rows(docs, targets, plans)
    log.append(f"seeds: {len(seed_docs)} documents, {len(seed_rows)} rows")

    problems: list[str] = []
    harvests: list[Harvest] = []
    for folder in harvest_dirs:
        if not (folder / "documents.csv").is_file():
            log.append(f"{folder}: no documents.csv yet (harvest not delivered): skipped")
            continue
        try:
            h = Harvest(folder)
        except MergeError as exc:
            problems += exc.problems
            continue
        found, checked = h.check()
        problems += found
        log.append(f"{folder}: {len(h.documents)} documents, {len(h.targets)} rows, texts checked for {checked}")
        harvests.append(h)
    if not harvests and not drop_missing:
        log.append("no harvest folder with a documents.csv: the harvested rows already merged are kept as they are")

    # one document per id and per address across the harvests
    owner: dict[str, str] = {}
    url_owner: dict[str, tuple[str, str]] = {}
    for h in harvests:
        for d in h.documents.to_dict("records"):
            did = d["document_id"]
            if did in owner:
                problems.append(f"document {did!r} is in both {owner[did]} and {h.name}. Fix: keep it in one harvest "
                                "or rename one of them.")
            if did in set(seed_docs["document_id"]):
                problems.append(f"{h.name}: document id {did!r} is a seed document's. Fix: rename it.")
            owner[did] = h.name
            url = d["source_url"].strip()
            if url in url_owner and url_owner[url][0] != did:
                problems.append(f"{h.name}: document {did!r} has the address of {url_owner[url][0]!r} "
                                f"({url_owner[url][1]}): one text, one document. Fix: merge the two or drop one.")
            url_owner.setdefault(url, (did, h.name))

    harvested_ids = set(owner)
    previous = docs[(docs["retrieved"] != "") & ~docs["document_id"].isin(harvested_ids)]
    if len(previous):
        names = ", ".join(previous["document_id"].head(8)) + (" ..." if len(previous) > 8 else "")
        if drop_missing:
            log.append(f"dropped {len(previous)} previously merged document(s) no harvest holds any more: {names}")
            previous = previous.iloc[0:0]
        else:
            log.append(f"kept {len(previous)} previously merged document(s) that no harvest given holds: {names} "
                       "(--drop-missing drops them)")
    kept_ids = set(previous["document_id"])
    parts_docs = [seed_docs, previous] + [h.documents for h in harvests]
    parts_rows = [seed_rows, targets[targets["document_id"].isin(kept_ids)]] + [h.targets for h in harvests]
    parts_man = [manifest[manifest["document_id"].isin(kept_ids)]] + [h.manifest for h in harvests]
    if problems:
        raise MergeError(problems)

    new_docs = pd.concat([p[DOC_COLS] for p in parts_docs], ignore_index=True)
    harvested = new_docs["retrieved"] != ""
    new_docs = pd.concat([new_docs[~harvested], new_docs[harvested].sort_values("document_id", kind="stable")],
                         ignore_index=True)
    order = {d: i for i, d in enumerate(new_docs["document_id"])}
    new_rows = pd.concat([p[TGT_COLS] for p in parts_rows], ignore_index=True)
    new_rows = new_rows.assign(_d=new_rows["document_id"].map(order)).sort_values(["_d", "target_id"], kind="stable")
    new_rows = new_rows.drop(columns="_d").reset_index(drop=True)
    new_man = pd.concat([p[list(MANIFEST_COLUMNS)] for p in parts_man], ignore_index=True)
    new_man = new_man.assign(_d=new_man["document_id"].map(order), _p=pd.to_numeric(new_man["part"]))
    new_man = new_man.sort_values(["_d", "_p"], kind="stable").drop(columns=["_d", "_p"]).reset_index(drop=True)

    new_docs.attrs["source"] = str(out / "documents.csv")
    new_rows.attrs["source"] = str(out / "targets.csv")
    try:
        validate_documents(new_docs)
        validate_targets(new_rows, documents=new_docs)
    except TargetsValidationError as exc:
        raise MergeError(exc.problems) from None

    kinds = new_rows["kind"].value_counts()
    target_rows = new_rows[new_rows["kind"] == "target"]
    legacy = target_rows.loc[target_rows["boundaries"] == "legacy", "province_code"].nunique()
    units = target_rows.loc[target_rows["boundaries"] == "2025", "province_code"].nunique()
    log.append(
        f"merged: {len(new_docs)} documents, {int(kinds.get('target', 0))} targets "
        f"({int((target_rows['reviewed_by_hand'] == 'yes').sum())} reviewed by hand), "
        f"{int(kinds.get('baseline', 0))} baselines; targets in {legacy} legacy provinces and {units} units of 2025; "
        f"{len(new_man)} manifest rows"
    )
    if not write:
        return log
    files = {"documents.csv": _csv(new_docs), "targets.csv": _csv(new_rows), "manifest.csv": _csv(new_man)}
    changed = {n: b for n, b in files.items() if not (out / n).is_file() or (out / n).read_bytes() != b}
    tmps = {}
    try:
        for name, data in changed.items():
            tmp = out / f".{name}.merge-tmp"
            tmp.write_bytes(data)
            tmps[name] = tmp
        for name, tmp in tmps.items():
            os.replace(tmp, out / name)
    finally:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)
    log.append(f"wrote {', '.join(changed) or 'nothing (unchanged)'} in {out}")
    return log


# ----------------------------------------------------------------------------- coverage table

INDEX_COLUMNS = (("par", "PAR Index"), ("sipas", "SIPAS"), ("papi", "PAPI"), ("pci", "PCI"), ("dti", "DTI"),
                 ("svc766", "QĐ 766"), ("", "no index"))
MARK_START, MARK_END = "<!-- coverage:start (scripts/merge_harvest.py writes this table) -->", "<!-- coverage:end -->"


def coverage_table(folder: Path | None = None) -> str:
    """Markdown: targets and provinces per deadline year and index, documents per year, totals."""
    folder = Path(folder or targets_dir())
    docs = _read(folder / "documents.csv", DOCUMENT_COLUMNS)
    rows = _read(folder / "targets.csv", TARGET_COLUMNS)
    for frame, cols in ((docs, OPTIONAL_DOCUMENT_COLUMNS), (rows, OPTIONAL_TARGET_COLUMNS)):
        for col, default in cols.items():
            if col not in frame.columns:
                frame[col] = default
    tgt = rows[rows["kind"] == "target"]
    head = "| deadline | documents | " + " | ".join(name for _, name in INDEX_COLUMNS) + " | all targets |"
    lines = [head, "|" + "---|" * (len(INDEX_COLUMNS) + 3)]

    def cell(part: pd.DataFrame) -> str:  # a legacy province and a 2025 unit are two places, even with one code
        places = len(set(zip(part["boundaries"], part["province_code"])))
        return f"{len(part)} ({places})" if len(part) else ""

    for year, part in sorted(tgt.groupby("deadline"), key=lambda kv: int(kv[0])):
        cells = [cell(part[part["metric_index"] == idx]) for idx, _ in INDEX_COLUMNS]
        lines.append(f"| {year} | {part['document_id'].nunique()} | " + " | ".join(cells) + f" | {cell(part)} |")
    cells = [f"**{cell(tgt[tgt['metric_index'] == idx])}**" if len(tgt[tgt["metric_index"] == idx]) else ""
             for idx, _ in INDEX_COLUMNS]
    lines.append(f"| **all** | **{tgt['document_id'].nunique()}** | " + " | ".join(cells) + f" | **{cell(tgt)}** |")
    base = rows[rows["kind"] == "baseline"]
    legacy = tgt.loc[tgt["boundaries"] == "legacy", "province_code"].nunique()
    units = tgt.loc[tgt["boundaries"] == "2025", "province_code"].nunique()
    with_docs = docs.loc[docs["boundaries"] == "legacy", "province_code"].nunique()
    reviewed = int((rows["reviewed_by_hand"] == "yes").sum())
    harvested = int((docs["retrieved"] != "").sum())
    lines += [
        "",
        f"Cells: targets (provinces or 2025 units). {len(docs)} documents ({len(docs) - harvested} seed texts, {harvested} retrieved "
        f"and listed in `manifest.csv`), {len(tgt)} targets and {len(base)} quoted past figures (baselines); "
        f"{reviewed} of {len(rows)} rows reviewed by hand. Targets in {legacy} of the 63 legacy provinces and "
        f"{units} of the 34 units of 2025; documents from {with_docs} legacy provinces. Regional ranks: "
        f"{int((tgt['scope'] != 'national').sum())} targets; socio-economic targets: "
        f"{int((tgt['domain'] == 'socio_economic').sum())}.",
    ]
    return "\n".join(lines) + "\n"


def update_readme(path: Path, table: str, *, write: bool = True) -> bool:
    """Replace the block between the coverage markers of ``path``; True when it changed."""
    if not path.is_file():
        return False
    text = path.read_text(encoding="utf-8")
    if MARK_START not in text or MARK_END not in text:
        return False
    before, rest = text.split(MARK_START, 1)
    _, after = rest.split(MARK_END, 1)
    new = f"{before}{MARK_START}\n{table}{MARK_END}{after}"
    if new == text:
        return False
    if write:
        tmp = path.with_name(f".{path.name}.merge-tmp")
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, path)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("harvests", nargs="*", type=Path, help="harvest folders (default: every folder of ../harvest)")
    parser.add_argument("--out", type=Path, default=None, help="folder of the curated tables (default: data/targets)")
    parser.add_argument("--plans", type=Path, default=None, help="folder of the seed texts (default: ../shared/plans)")
    parser.add_argument("--drop-missing", action="store_true",
                        help="drop previously merged documents that no harvest given holds any more")
    parser.add_argument("--check", action="store_true", help="check and report, write nothing")
    args = parser.parse_args(argv)
    dirs = args.harvests or default_harvest_dirs()
    try:
        log = merge(dirs, out_dir=args.out, plans_dir=args.plans, drop_missing=args.drop_missing, write=not args.check)
    except MergeError as exc:
        print(f"merge_harvest: {exc}", file=sys.stderr)
        return 1
    if not args.out and config.is_source_checkout() and config.user_data_dir() is None:
        table = coverage_table()  # the coverage tables of the READMEs follow the merged data
        for readme in (config.PROJ_ROOT / "README.md", config.bundled_data_dir() / "targets" / "README.md"):
            if update_readme(readme, table, write=not args.check):
                log.append(f"{'would update' if args.check else 'updated'} the coverage table in {readme}")
    print("\n".join(log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
