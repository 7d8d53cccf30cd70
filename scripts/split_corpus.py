#!/usr/bin/env python
"""Assign the documents of a harvested plan corpus to a development or a held-apart test part.

The extractor is tuned on the ``dev`` part only; the ``test`` part is scored, never read for
tuning.  The split is decided by document, before any tuning, stratified by the kind of text
(about 60 % dev, 40 % test within each kind), and written to
``data/targets/evaluation_split.csv`` (ids, part, kind and the harvest folder; no text).

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

Re-running with new documents (a second harvester finishing later) keeps every existing
assignment and adds the new documents to both parts in the same stratified way; a document
never moves between parts.

Usage::

    python scripts/split_corpus.py                 # corpus /work/harvest (or $CCHC_HARVEST_DIR)
    python scripts/split_corpus.py --corpus DIR --out data/targets/evaluation_split.csv
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


def assign(docs: list[dict], existing: dict[str, dict]) -> list[dict]:
    """Keep existing assignments; add new documents per kind so each kind stays near 60/40."""
    rows = []
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        if d["document_id"] in existing:
            rows.append(existing[d["document_id"]])
        elif d["english"]:
            rows.append(dict(document_id=d["document_id"], part="excluded", kind="english", harvest=d["harvest"]))
        elif d["has_text"]:
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
    rows.sort(key=lambda r: ({"dev": 0, "test": 1, "excluded": 2}[r["part"]], r["kind"], r["document_id"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="harvest folder (default: %(default)s; env CCHC_HARVEST_DIR)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="split file to write or extend (default: %(default)s)")
    args = ap.parse_args(argv)
    docs = read_corpus(args.corpus)
    if not docs:
        print(f"error: no documents.csv under {args.corpus} (pass --corpus or set CCHC_HARVEST_DIR)", file=sys.stderr)
        return 2
    existing: dict[str, dict] = {}
    if args.out.is_file():
        with open(args.out, encoding="utf-8", newline="") as fh:
            existing = {r["document_id"]: r for r in csv.DictReader(fh)}
    rows = assign(docs, existing)
    tmp = args.out.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["document_id", "part", "kind", "harvest"], lineterminator="\n")
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
