#!/usr/bin/env python
"""Assign the documents of a harvested plan corpus to a development or a held-apart test part.

The extractor is tuned on the ``dev`` part only; the ``test`` part is scored, never read for
tuning.  The split is decided by document, before any tuning, and written to
``data/targets/evaluation_split.csv`` (ids, part, kind, harvest folder and the round-1 and round-2 parts;
no text).

**Round 1** split harvests A and B by document, stratified by the kind of text (about 60 % dev,
40 % test within each kind).  Its rules scored 53 % precision and 75 % recall on targets and
73 % of baselines on that test part, against 96/96/83 on dev: rules tuned on some texts did
not carry to others.

**Round 2** (``--promote-test``) made every document of A and B development material: the
round-1 test part became ``dev``, and column ``round1_part`` keeps what each document was in
round 1 (``dev``, ``test``, ``late`` for 16 documents of A that came after round 1 and
were scored once with round 1's rules before they joined dev: 57 % / 75 % / 61 %, or
``excluded``).  The new held-apart test part is a third harvest written after the promotion
(``--test-folder C``): all of its documents are ``test``, added in one commit before the
extractor is run on them (67 documents, 44 provinces; round 2's rules scored 67 % precision and
66 % recall on targets and 54 % of baselines there, once, against 93/92/81 on dev).  New documents of any other folder join ``dev``.

**Round 3** (``--promote-test round2_part``) made harvest C development material too: every
document is ``dev`` (or ``excluded``), and column ``round2_part`` keeps what each was in round 2
(``test`` for C, scored once at 67/66/54).  Round 3 has no held-apart test part: its figures are
development figures (all folds, and per fold of the cross-validation in
``scripts/evaluate_extractor.py --folds 5``); the unseen texts of the final judge are the test.

A document's kind is decided from metadata and layout alone, never from the extractor's
errors, in this order:

``post_merger``   a plan or news item of the 34 units of 1 July 2025 (``boundaries`` 2025)
``table_pdf``     text with table pipes or hard line breaks (copied from a PDF or a Word table)
``decision``      the text of a decision, plan, directive or report itself (not a news item)
``no_target``     a document without any target row (results news, conference reports)
``index_plan``    a news summary of a plan to improve PAR Index, SIPAS, PAPI, PCI or DTI
``news_summary``  any other news summary of a reform plan

Texts in English (a few news sites publish translations) are listed with part ``excluded``:
the extractor reads Vietnamese.

Re-running keeps every existing assignment; a document never moves between parts except by
``--promote-test`` (test -> dev, recorded in ``round1_part`` or ``round2_part``).  ``--stratified`` assigns new
documents as round 1 did (both parts, 60/40 by kind).

Usage::

    python scripts/split_corpus.py --corpus DIR                      # new documents -> dev
    python scripts/split_corpus.py --corpus DIR --test-folder C      # C's documents -> test
    python scripts/split_corpus.py --corpus DIR --promote-test       # round 1's test part -> dev
    python scripts/split_corpus.py --corpus DIR --promote-test round2_part   # round 2's test part (C) -> dev
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cchc_analysis.extract import _is_wrapped  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("CCHC_HARVEST_DIR", "/work/harvest"))
DEFAULT_OUT = ROOT / "data" / "targets" / "evaluation_split.csv"
KINDS = ("post_merger", "table_pdf", "decision", "no_target", "index_plan", "news_summary")
TEST_SHARE = 0.4
SEED = "cchc-extractor-split-1"
_VI_LETTERS = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")
_INDEX_WORDS = re.compile(r"par|sipas|papi|pci|dti|ddci|indices|index|chi-so|chỉ số", re.I)


def corpus_folders(corpus: Path) -> list[Path]:
    """The harvest folders under ``corpus`` (each with documents.csv and texts/), or ``corpus`` itself."""
    corpus = Path(corpus)
    if (corpus / "documents.csv").is_file():
        return [corpus]
    return sorted(p for p in corpus.iterdir() if (p / "documents.csv").is_file()) if corpus.is_dir() else []


def is_english(text: str) -> bool:
    """True for text with almost no Vietnamese letters (a translated news page)."""
    letters = sum(ch.isalpha() for ch in text) or 1
    return len(_VI_LETTERS.findall(text.lower())) / letters < 0.02


def document_kind(doc: dict, text: str, n_targets: int) -> str:
    """The kind of a document for stratification (see the module docstring)."""
    if doc.get("boundaries") == "2025":
        return "post_merger"
    pipe_lines = sum(1 for line in text.splitlines() if line.count("|") >= 2)
    if pipe_lines >= 3 or _is_wrapped(text.lower()):
        return "table_pdf"
    if doc.get("kind") in ("decision", "plan", "directive", "report"):
        return "decision"
    if n_targets == 0:
        return "no_target"
    if _INDEX_WORDS.search(doc["document_id"]) or _INDEX_WORDS.search(doc.get("title", "")):
        return "index_plan"
    return "news_summary"


def _order(doc_id: str) -> str:
    return hashlib.sha256(f"{SEED}:{doc_id}".encode()).hexdigest()


def read_corpus(corpus: Path) -> list[dict]:
    """One dict per document: document_id, harvest, kind, province, english."""
    out = []
    for folder in corpus_folders(corpus):
        with open(folder / "documents.csv", encoding="utf-8", newline="") as fh:
            docs = list(csv.DictReader(fh))
        counts: Counter = Counter()
        tpath = folder / "targets.csv"
        if tpath.is_file():
            with open(tpath, encoding="utf-8", newline="") as fh:
                counts = Counter(r["document_id"] for r in csv.DictReader(fh) if r["kind"] == "target")
        for doc in docs:
            path = folder / "texts" / (doc.get("source_file") or f"{doc['document_id']}.txt")
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            out.append(
                dict(
                    document_id=doc["document_id"],
                    harvest=folder.name,
                    province=doc.get("province", ""),
                    english=bool(text) and is_english(text),
                    kind=document_kind(doc, text, counts.get(doc["document_id"], 0)),
                    has_text=bool(text),
                )
            )
    return out


def assign(docs: list[dict], existing: dict[str, dict], *, test_folders: tuple[str, ...] = (), stratified: bool = False,
           late: frozenset[str] | set[str] = frozenset()) -> list[dict]:
    """Keep existing assignments and add the new documents.

    A new document of a folder in ``test_folders`` goes to ``test``; any other to ``dev``, or,
    with ``stratified``, to either part per kind so each kind stays near 60/40 (round 1).
    English texts are ``excluded``.  Every row carries ``round1_part``: ``late`` for new ids in
    ``late`` (harvested after round 1 ended), else empty for documents added in round 2."""
    rows = []
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        if d["document_id"] in existing:
            rows.append(dict(existing[d["document_id"]]))
        elif d["english"]:
            rows.append(dict(document_id=d["document_id"], part="excluded", kind="english", harvest=d["harvest"]))
        elif not d["has_text"]:
            continue
        elif d["harvest"] in test_folders:
            rows.append(dict(document_id=d["document_id"], part="test", kind=d["kind"], harvest=d["harvest"]))
        elif not stratified:
            rows.append(dict(document_id=d["document_id"], part="dev", kind=d["kind"], harvest=d["harvest"]))
        else:
            by_kind[d["kind"]].append(d)
    for kind in KINDS:
        new = sorted(by_kind.get(kind, []), key=lambda d: _order(d["document_id"]))
        n_test = sum(1 for r in existing.values() if r["kind"] == kind and r["part"] == "test")
        n_all = sum(1 for r in existing.values() if r["kind"] == kind and r["part"] in ("dev", "test"))
        for d in new:
            n_all += 1
            # test gets the document when that brings the kind closest to 40 % without passing it
            part = "test" if n_test + 1 <= round(TEST_SHARE * n_all) else "dev"
            n_test += part == "test"
            rows.append(dict(document_id=d["document_id"], part=part, kind=kind, harvest=d["harvest"]))
    for r in rows:
        r.setdefault("round1_part", "late" if r["document_id"] in late else "")
        r.setdefault("round2_part", "")
    rows.sort(key=lambda r: ({"dev": 0, "test": 1, "excluded": 2}[r["part"]], r["kind"], r["document_id"]))
    return rows


def promote_test(existing: dict[str, dict], *, column: str = "round1_part") -> dict[str, dict]:
    """The test part becomes development material; ``column`` records each document's part before the
    promotion (``round1_part`` in round 2, ``round2_part`` in round 3)."""
    if column not in FIELDS:
        raise ValueError(f"promote_test: column {column!r} is not a column of the split file; use one of "
                         + ", ".join(f for f in FIELDS if f.endswith("_part")))
    out = {}
    for k, r in existing.items():
        r = dict(r)
        if not r.get(column):
            r[column] = r["part"]
        if r["part"] == "test":
            r["part"] = "dev"
        out[k] = r
    return out


FIELDS = ["document_id", "part", "kind", "harvest", "round1_part", "round2_part"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="harvest folder (default: %(default)s; env CCHC_HARVEST_DIR)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="split file to write or extend (default: %(default)s)")
    ap.add_argument("--test-folder", action="append", default=[], metavar="NAME",
                    help="harvest folder whose new documents all go to the test part (repeatable)")
    ap.add_argument("--promote-test", nargs="?", const="round1_part", default="", metavar="COLUMN",
                    help="move the existing test part to dev, recording each document's part in COLUMN "
                         "(round1_part in round 2, the default; round2_part in round 3)")
    ap.add_argument("--late", default="", metavar="FILE",
                    help="file of document ids (one a line) harvested after round 1: new ones get round1_part 'late'")
    ap.add_argument("--stratified", action="store_true", help="assign new documents of other folders to dev and test by kind (round 1)")
    args = ap.parse_args(argv)
    docs = read_corpus(args.corpus)
    if not docs:
        print(f"error: no documents.csv under {args.corpus} (pass --corpus or set CCHC_HARVEST_DIR)", file=sys.stderr)
        return 2
    known = {d["harvest"] for d in docs}
    for name in args.test_folder:
        if name not in known:
            print(f"error: --test-folder {name!r}: no such harvest folder under {args.corpus} (folders: {', '.join(sorted(known))})",
                  file=sys.stderr)
            return 2
    existing: dict[str, dict] = {}
    if args.out.is_file():
        with open(args.out, encoding="utf-8", newline="") as fh:
            existing = {r["document_id"]: r for r in csv.DictReader(fh)}
    if args.promote_test:
        if args.promote_test not in FIELDS or not args.promote_test.endswith("_part"):
            print(f"error: --promote-test {args.promote_test!r}: not a round column; use round1_part or round2_part", file=sys.stderr)
            return 2
        existing = promote_test(existing, column=args.promote_test)
    late = set(Path(args.late).read_text(encoding="utf-8").split()) if args.late else set()
    rows = assign(docs, existing, test_folders=tuple(args.test_folder), stratified=args.stratified, late=late)
    tmp = args.out.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, args.out)
    prov = {d["document_id"]: d["province"] for d in docs}
    for part in ("dev", "test", "excluded"):
        sel = [r for r in rows if r["part"] == part]
        kinds = Counter(r["kind"] for r in sel)
        print(f"{part:8} {len(sel):3} documents, {len({prov.get(r['document_id']) for r in sel}):2} provinces: "
              + ", ".join(f"{k} {kinds[k]}" for k in sorted(kinds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
