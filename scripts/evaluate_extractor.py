#!/usr/bin/env python
"""Score the target extractor against hand-reviewed targets: the seeds and a plan corpus.

**Seeds** (in-sample: the rules were first written on them).
For every document in ``data/targets/documents.csv`` the script reads its seed text from
``cchc_analysis.config.PLANS_DIR`` (``../shared/plans`` by default; ``CCHC_SHARED_DIR``
moves it), runs :func:`cchc_analysis.extract.extract_targets` and matches the rows one to
one with the curated rows of that document.  Two rows match when they agree on

* ``value`` (to 1e-6), ``unit``, ``comparator`` and ``kind`` (target or baseline), and
* the indicator family: ``metric_index`` when either row names one of the five indices, otherwise the domain
  family (below; ``--strict`` demands the exact domain instead).

Among candidate pairs, those whose evidence spans overlap are paired first.  Precision is
matched / extracted rows, recall matched / curated rows, summed over documents (micro).
Deadline and evidence agreement of the matched pairs are reported too.

**Corpus** (``--corpus``, default ``$CCHC_HARVEST_DIR`` or ``/work/harvest``): folders of
harvested plan texts with hand-reviewed tables (``documents.csv``, ``targets.csv``,
``texts/<source_file>``), split by document into a development part (tuned on) and a
held-apart test part (never tuned on) in ``data/targets/evaluation_split.csv`` (see
``scripts/split_corpus.py``).  The texts are third-party and not in the repository: when the
folder is absent (as in CI) the corpus evaluation is skipped with a message.  Every
document is run without hints (province and plan year inferred, as a new user would) and
scored per part:

* targets: precision and recall, a row matching when ``kind``, ``value``, ``unit``,
  ``comparator``, the index (with ``metric_field``) or domain family, and for ranks the scope
  (national or regional) agree -- the seed rule plus field and scope (PAR Index or SIPAS,
  published in per cent, and a change of either match in "%" or "score" alike, and a part of an index
  mapped to the index and a component also matches a row without index, domain direction:
  the two reviews differ on both);
* baselines: the share of quoted past figures recognised (a baseline row with the same key);
* per failure class of issue 11 (fraction ranks, regional ranks, index lists, worded
  totals, report sentences, rank gains, doubled comparators and scores, socio-economic
  targets, tables): reviewed rows and how many were found, and false rows by class.

``--verbose`` lists the misses of the development part only; ``--show-test-errors`` is
needed to list those of the test part (looking at them spoils it for tuning).

Usage::

    python scripts/evaluate_extractor.py            # seeds (with province and plan year given) and corpus
    python scripts/evaluate_extractor.py --no-hints # extractor infers both
    python scripts/evaluate_extractor.py --strict --verbose --bench
    python scripts/evaluate_extractor.py --no-seed --corpus /work/harvest --part dev -v
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cchc_analysis import config  # noqa: E402
from cchc_analysis.extract import extract_targets, find_targets  # noqa: E402
from cchc_analysis.targets import load_documents, load_targets  # noqa: E402

#: Coarse families of the reform areas: a target on digitised dossiers or online services
#: is often both "procedures" and "digital government"; staffing targets sit between
#: "apparatus" and "civil service".
DOMAIN_FAMILY = {
    "institutional": "institutions",
    "procedures": "service_delivery",
    "digital_government": "service_delivery",
    "apparatus": "organisation",
    "civil_service": "organisation",
    "public_finance": "public_finance",
    "direction": "direction",
}


#: Indices a plan names in its text.  A curated mapping to a component of the partial
#: Decision 766 index (svc766) is an analyst's choice the text does not make: such rows are
#: compared by domain, like unmapped ones.
TEXT_INDICES = ("par", "sipas", "papi", "pci", "dti")


def _family(row: dict, strict: bool) -> str:
    if row["metric_index"] in TEXT_INDICES:
        return row["metric_index"]
    return "domain:" + (row["domain"] if strict else DOMAIN_FAMILY.get(row["domain"], row["domain"]))


def _key(row: dict, strict: bool) -> tuple:
    return (round(float(row["value"]), 6), row["unit"], row["comparator"], row["kind"], _family(row, strict))


def _overlap(a: dict, b: dict) -> bool:
    return int(a["evidence_start"]) < int(b["evidence_end"]) and int(b["evidence_start"]) < int(a["evidence_end"])


def match_rows(gold: list[dict], pred: list[dict], *, strict: bool = False):
    """Pair curated and extracted rows one to one.  Returns (pairs, unmatched_gold, unmatched_pred)."""
    free = list(range(len(pred)))
    pairs = []
    unmatched = []
    # rows whose evidence overlaps a candidate go first, so restated figures pair locally
    order = sorted(range(len(gold)), key=lambda i: not any(_key(gold[i], strict) == _key(pred[j], strict) and _overlap(gold[i], pred[j]) for j in free))
    for i in order:
        g = gold[i]
        cands = [j for j in free if _key(g, strict) == _key(pred[j], strict)]
        if not cands:
            unmatched.append(g)
            continue
        cands.sort(key=lambda j: (not _overlap(g, pred[j]), str(pred[j]["deadline"]) != str(g["deadline"]), abs(int(pred[j]["evidence_start"]) - int(g["evidence_start"]))))
        j = cands[0]
        free.remove(j)
        pairs.append((g, pred[j]))
    return pairs, unmatched, [pred[j] for j in free]


def evaluate(plans_dir: Path, *, hints: bool = True, strict: bool = False) -> dict:
    """Run the extractor on every curated seed document and score it (see module docstring).

    The seeds are the curated documents whose text is in ``plans_dir``; the harvested documents
    merged into ``data/targets`` are scored as the corpus (their texts are not seeds).
    """
    docs = load_documents()
    docs = docs[[(Path(plans_dir) / str(f)).is_file() for f in docs["source_file"]]]
    gold_all = load_targets()
    per_doc = []
    tot = dict(gold=0, pred=0, tp=0, deadline_ok=0, evidence_ok=0)
    misses, extras = [], []
    for doc in docs.to_dict("records"):
        path = Path(plans_dir) / doc["source_file"]
        text = path.read_text(encoding="utf-8")
        kw = dict(province=doc["province"], plan_year=doc["plan_period"]) if hints else {}
        pred = extract_targets(text, document_id=doc["document_id"], source_file=doc["source_file"], **kw).to_dict("records")
        gold = gold_all[gold_all["document_id"] == doc["document_id"]].to_dict("records")
        pairs, fn, fp = match_rows(gold, pred, strict=strict)
        d_ok = sum(1 for g, p in pairs if str(g["deadline"]) == str(p["deadline"]))
        e_ok = sum(1 for g, p in pairs if _overlap(g, p))
        per_doc.append(dict(document_id=doc["document_id"], gold=len(gold), pred=len(pred), tp=len(pairs), deadline_ok=d_ok, evidence_ok=e_ok))
        for k, v in (("gold", len(gold)), ("pred", len(pred)), ("tp", len(pairs)), ("deadline_ok", d_ok), ("evidence_ok", e_ok)):
            tot[k] += v
        misses += [(doc["document_id"], g) for g in fn]
        extras += [(doc["document_id"], p) for p in fp]
    tot["precision"] = tot["tp"] / tot["pred"] if tot["pred"] else float("nan")
    tot["recall"] = tot["tp"] / tot["gold"] if tot["gold"] else float("nan")
    return dict(per_doc=per_doc, total=tot, misses=misses, extras=extras)


def throughput(plans_dir: Path, *, min_mb: float = 2.0) -> dict:
    """Plan text processed per second: the seed files over and over (one call per file),
    and one long document made of the seeds' bodies."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(plans_dir).glob("*.txt"))]
    size = sum(len(t.encode("utf-8")) for t in texts)
    reps = max(1, int(min_mb * 1e6 / size) + 1)
    t0 = time.perf_counter()
    for _ in range(reps):
        for t in texts:
            find_targets(t)
    per_doc = size * reps / 1e6 / (time.perf_counter() - t0)
    bodies = "\n\n".join(t.split("Nơi nhận")[0] for t in texts)
    big = (bodies + "\n\n") * max(1, int(min_mb * 1e6 / len(bodies.encode("utf-8"))) + 1)
    t0 = time.perf_counter()
    find_targets(big, plan_year=2023)
    one = len(big.encode("utf-8")) / 1e6 / (time.perf_counter() - t0)
    return dict(per_doc_mb_s=per_doc, single_doc_mb_s=one, mb=size * reps / 1e6, single_mb=len(big.encode("utf-8")) / 1e6)


# ----------------------------------------------------------------------------- corpus


DEFAULT_CORPUS = Path(os.environ.get("CCHC_HARVEST_DIR", "/work/harvest"))
DEFAULT_SPLIT = ROOT / "data" / "targets" / "evaluation_split.csv"

#: Failure classes of issue 11, in the order a reviewed row is assigned to one (first wins).
CLASSES = (
    "component",           # a part of an index (PAR fields, PAPI dimensions, Decision 766 groups): one
                           # harvester records them, the other and the extractor leave results of parts out
    "regional_rank",       # "vị trí 4/14 tỉnh vùng ...": scope region:<slug>
    "fraction_rank",       # "xếp 18/63": rank 18, rank_out_of 63
    "index_list",          # "nhóm 15 ... về các chỉ số PAR INDEX, SIPAS và PAPI": one row per index
    "rank_gain",           # "tăng ít nhất 02 bậc", "tăng từ 3 - 5 bậc"
    "doubled_or_score",    # "tối thiểu từ 60 % trở lên", "đạt từ 70,5 điểm trở lên"
    "worded_total",        # "tất cả", "toàn bộ" = 100 %, a "100 %" carried to the next clause
    "socio_economic",      # GRDP, poverty, insurance, disbursement: domain socio_economic
    "table_pdf",           # text with table pipes or hard line breaks
    "report_sentence",     # past results quoted in the text: baselines
    "other",
)
_DOUBLED = re.compile(r"tối\s+thiểu|ít\s+nhất|từ\s+[\d.,]+\s*(?:%|điểm)?\s*trở\s+lên|đạt\s+từ|trở\s+lên", re.I)
_WORDED = re.compile(r"tất\s+cả|toàn\s+bộ|100\s*%", re.I)


def corpus_folders(corpus: Path) -> list[Path]:
    """Harvest folders under ``corpus`` (each with documents.csv), or ``corpus`` itself."""
    corpus = Path(corpus)
    if (corpus / "documents.csv").is_file():
        return [corpus]
    if not corpus.is_dir():
        return []
    return sorted(p for p in corpus.iterdir() if (p / "documents.csv").is_file())


def _read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load_corpus(corpus: Path, split: Path) -> list[dict]:
    """Documents of the corpus that the split file lists as dev or test and whose text exists.

    One dict per document: document_id, part, kind (of the split), province, text, gold
    (its reviewed rows, values as float, offsets as int).
    """
    parts = {r["document_id"]: r for r in _read_csv(split)} if Path(split).is_file() else {}
    out = []
    for folder in corpus_folders(corpus):
        gold_all: dict[str, list[dict]] = {}
        if (folder / "targets.csv").is_file():
            for r in _read_csv(folder / "targets.csv"):
                r["value"] = float(r["value"])
                r["evidence_start"], r["evidence_end"] = int(r["evidence_start"]), int(r["evidence_end"])
                r.setdefault("scope", "national")
                r["scope"] = r["scope"] or "national"
                gold_all.setdefault(r["document_id"], []).append(r)
        for doc in _read_csv(folder / "documents.csv"):
            sp = parts.get(doc["document_id"])
            if sp is None or sp["part"] not in ("dev", "test"):
                continue
            path = folder / "texts" / (doc.get("source_file") or f"{doc['document_id']}.txt")
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            out.append(dict(document_id=doc["document_id"], part=sp["part"], kind=sp["kind"], province=doc.get("province", ""),
                            folder=folder.name, text=text, gold=gold_all.get(doc["document_id"], []),
                            round1_part=sp.get("round1_part", "")))
    return out


def _ckey(row: dict) -> tuple:
    """Matching key of a corpus row (module docstring)."""
    fam = row["metric_index"] if row["metric_index"] in TEXT_INDICES else "domain:" + DOMAIN_FAMILY.get(row["domain"], row["domain"])
    field_ = row["metric_field"] if row["metric_index"] in TEXT_INDICES else ""
    scope = ("region" if str(row.get("scope") or "national").startswith("region") else "national") if row["unit"] == "rank" else ""
    unit = row["unit"]
    if field_ == "value_change" and fam in ("par", "sipas") and unit in ("%", "score"):
        unit = "points"  # a change of an index published in per cent: "%" and "điểm" are the same points
    elif field_ == "value" and fam in ("par", "sipas") and unit in ("%", "score") and row.get("metric_component") in ("", "overall", None):
        # round 3: the index itself (0-100) written "84,24 điểm" or "84,24%" is one published figure;
        # reviews label it "score" (harvest C, 7 rows) or "%" (A and B, every row)
        unit = "points"
    return (round(float(row["value"]), 6), unit, row["comparator"], row["kind"], fam, field_, scope)


def _gold_keys(row: dict) -> set:
    """Keys a reviewed row accepts: its own, and for a part of an index (one review maps it to
    the index and a component, the other and the extractor to no index, domain direction)
    also that reading."""
    keys = {_ckey(row)}
    if row.get("metric_component") not in ("", "overall", None):
        keys.add(_ckey(dict(row, metric_index="", metric_field="", metric_component="", domain="direction")))
    return keys


def _match_corpus(gold: list[dict], pred: list[dict]):
    """Pair rows one to one on :func:`_ckey`, preferring overlapping evidence, then the nearest."""
    free = list(range(len(pred)))
    pairs, missed = [], []
    keys = [_ckey(p) for p in pred]
    gkeys = [_gold_keys(g) for g in gold]
    order = sorted(range(len(gold)), key=lambda i: not any(keys[j] in gkeys[i] and _overlap(gold[i], pred[j]) for j in free))
    for i in order:
        g = gold[i]
        cands = [j for j in free if keys[j] in gkeys[i]]
        if not cands:
            missed.append(g)
            continue
        cands.sort(key=lambda j: (not _overlap(g, pred[j]), abs(int(pred[j]["evidence_start"]) - g["evidence_start"])))
        free.remove(cands[0])
        pairs.append((g, pred[cands[0]]))
    return pairs, missed, [pred[j] for j in free]


def classify_gold(row: dict, doc: dict) -> str:
    """The failure class of a reviewed row (first of :data:`CLASSES` that applies)."""
    text = doc["text"]
    span = text[row["evidence_start"] : row["evidence_end"]]
    if row.get("metric_component") not in ("", "overall", None):
        return "component"
    if str(row.get("scope") or "national") != "national":
        return "regional_rank"
    if row.get("rank_out_of") and row["kind"] == "target":
        return "fraction_rank"
    same = [g for g in doc["gold"] if g is not row and g["evidence_start"] == row["evidence_start"]
            and g["evidence_end"] == row["evidence_end"] and g["value"] == row["value"] and g["metric_index"] != row["metric_index"]]
    if same and row["kind"] == "target":
        return "index_list"
    if row["unit"] == "places" and row["kind"] == "target":
        return "rank_gain"
    if row["kind"] == "target" and (row["unit"] == "score" or (row["comparator"] == ">=" and _DOUBLED.search(span) and "từ" in span.lower())):
        return "doubled_or_score"
    if row["kind"] == "target" and row["value"] == 100 and row["unit"] == "%" and not re.search(r"100\s*%", span) and _WORDED.search(span) or (
        row["kind"] == "target" and row["value"] == 100 and "100" not in span):
        return "worded_total"
    if row["domain"] == "socio_economic":
        return "socio_economic"
    if doc["kind"] == "table_pdf":
        return "table_pdf"
    if row["kind"] == "baseline":
        return "report_sentence"
    if row.get("rank_out_of"):
        return "fraction_rank"
    return "other"


def classify_extra(row: dict, doc: dict) -> str:
    """The failure class of an extracted row without a reviewed counterpart."""
    over = [g for g in doc["gold"] if _overlap(g, row)]
    if row["kind"] == "target" and (not any(g["kind"] == "target" for g in doc["gold"]) or (over and all(g["kind"] == "baseline" for g in over))):
        return "report_sentence"
    if over:
        same_val = [g for g in over if abs(g["value"] - float(row["value"])) < 1e-6]
        if same_val:
            return classify_gold(same_val[0], doc)
    if row.get("domain") == "socio_economic":
        return "socio_economic"
    if doc["kind"] == "table_pdf":
        return "table_pdf"
    if row["kind"] == "baseline":
        return "report_sentence"
    return "other"


def evaluate_corpus(docs: list[dict]) -> dict:
    """Run the extractor on every document (no hints) and score it per part.

    Returns ``{part: {"docs": [...], "total": {...}, "classes": {...}, "misses": [...], "extras": [...]}}``.
    """
    res: dict[str, dict] = {}
    for doc in docs:
        pred = extract_targets(doc["text"], document_id=doc["document_id"]).to_dict("records")
        for p in pred:
            p["scope"] = p.get("scope") or "national"
        pairs, missed, extra = _match_corpus(doc["gold"], pred)
        part = res.setdefault(doc["part"], dict(docs=[], classes={c: dict(gold=0, found=0, false=0) for c in CLASSES},
                                                misses=[], extras=[], total=dict(gold_t=0, pred_t=0, tp_t=0, gold_b=0, pred_b=0, tp_b=0,
                                                                                 loose_t=0, deadline_ok=0)))
        tot = part["total"]
        gt = [g for g in doc["gold"] if g["kind"] == "target"]
        pt = [p for p in pred if p["kind"] == "target"]
        gb = [g for g in doc["gold"] if g["kind"] == "baseline"]
        pb = [p for p in pred if p["kind"] == "baseline"]
        tp_t = sum(1 for g, _ in pairs if g["kind"] == "target")
        tp_b = sum(1 for g, _ in pairs if g["kind"] == "baseline")
        # B's looser rule (same kind and value, overlapping evidence), for comparison
        used: set[int] = set()
        for g in gt:
            j = next((j for j, p in enumerate(pt) if j not in used and abs(float(p["value"]) - g["value"]) < 1e-6 and _overlap(g, p)), None)
            if j is not None:
                used.add(j)
        for k, v in (("gold_t", len(gt)), ("pred_t", len(pt)), ("tp_t", tp_t), ("gold_b", len(gb)), ("pred_b", len(pb)), ("tp_b", tp_b),
                     ("loose_t", len(used)), ("deadline_ok", sum(1 for g, p in pairs if str(g["deadline"]) == str(p["deadline"])))):
            tot[k] += v
        part["docs"].append(dict(document_id=doc["document_id"], kind=doc["kind"], gold_t=len(gt), pred_t=len(pt), tp_t=tp_t,
                                 gold_b=len(gb), pred_b=len(pb), tp_b=tp_b))
        matched = {id(g) for g, _ in pairs}
        for g in doc["gold"]:
            c = classify_gold(g, doc)
            part["classes"][c]["gold"] += 1
            if id(g) in matched:
                part["classes"][c]["found"] += 1
            else:
                part["misses"].append((doc["document_id"], c, g))
        for p in extra:
            c = classify_extra(p, doc)
            part["classes"][c]["false"] += 1
            part["extras"].append((doc["document_id"], c, p))
    for part in res.values():
        t = part["total"]
        t["precision"] = t["tp_t"] / t["pred_t"] if t["pred_t"] else float("nan")
        t["recall"] = t["tp_t"] / t["gold_t"] if t["gold_t"] else float("nan")
        t["baselines"] = t["tp_b"] / t["gold_b"] if t["gold_b"] else float("nan")
        t["baseline_precision"] = t["tp_b"] / t["pred_b"] if t["pred_b"] else float("nan")
        t["loose_precision"] = t["loose_t"] / t["pred_t"] if t["pred_t"] else float("nan")
        t["loose_recall"] = t["loose_t"] / t["gold_t"] if t["gold_t"] else float("nan")
        t["documents"] = len(part["docs"])
    return res


def fold_of(document_id: str, k: int) -> int:
    """The cross-validation fold (1..k) of a document: a fixed hash of its id, so folds do not
    change when documents are added."""
    return int(hashlib.sha256(f"cchc-extractor-folds:{document_id}".encode()).hexdigest(), 16) % k + 1


def fold_scores(docs: list[dict], res_part: dict, k: int) -> list[dict]:
    """Targets precision/recall and baselines recognised per fold of ``k`` (by document).

    Rules are written by hand, not fitted, so the folds measure stability: a rule that only
    mends the documents it was written on lifts one fold and leaves the others.  Develop with
    one fold's errors hidden (``--hide-fold``) and check that it moves too."""
    by_id = {d["document_id"]: fold_of(d["document_id"], k) for d in docs}
    out = []
    for f in range(1, k + 1):
        sel = [d for d in res_part["docs"] if by_id.get(d["document_id"]) == f]
        t = {x: sum(d[x] for d in sel) for x in ("gold_t", "pred_t", "tp_t", "gold_b", "tp_b")}
        out.append(dict(fold=f, documents=len(sel), **t,
                        precision=t["tp_t"] / t["pred_t"] if t["pred_t"] else float("nan"),
                        recall=t["tp_t"] / t["gold_t"] if t["gold_t"] else float("nan"),
                        baselines=t["tp_b"] / t["gold_b"] if t["gold_b"] else float("nan")))
    return out


def _crow(r: dict) -> str:
    idx = r["metric_index"] or r["domain"]
    fld = f"/{r['metric_field']}" if r["metric_index"] else ""
    scope = f" {r.get('scope')}" if r["unit"] == "rank" and str(r.get("scope") or "national") != "national" else ""
    return f"{r['kind']:8} {idx + fld:22} {r['comparator']:>3} {float(r['value']):g} {r['unit']:6} ({r['deadline']}){scope} [{r['evidence_start']}:{r['evidence_end']}]"


def report_corpus(res: dict, *, verbose: bool = False, show_test_errors: bool = False, per_doc: bool = False,
                  folds: int = 0, hide_fold: int = 0, docs: list[dict] | None = None) -> None:
    """Print the corpus scores (and, on request, the errors of the dev part, per fold)."""
    for name in ("dev", "test"):
        if name not in res:
            continue
        part = res[name]
        t = part["total"]
        label = "development part (tuned on)" if name == "dev" else "held-apart TEST part (never tuned on)"
        print(f"\n== corpus, {label}: {t['documents']} documents, no hints")
        print(f"targets:   precision {t['precision']:.1%} ({t['tp_t']}/{t['pred_t']}), recall {t['recall']:.1%} ({t['tp_t']}/{t['gold_t']})"
              f"   [looser rule, same value and overlapping evidence: P {t['loose_precision']:.1%}, R {t['loose_recall']:.1%}]")
        print(f"baselines: {t['baselines']:.1%} of quoted past figures recognised ({t['tp_b']}/{t['gold_b']}); "
              f"{t['baseline_precision']:.1%} of extracted baselines correct ({t['tp_b']}/{t['pred_b']})")
        comp = part["classes"]["component"]
        if comp["gold"]:
            gb, tb = t["gold_b"] - comp["gold"], t["tp_b"] - comp["found"]
            print(f"           {tb / gb if gb else float('nan'):.1%} without the {comp['gold']} figures of parts of an index ({tb}/{gb})")
        print(f"matched rows with the reviewed deadline: {t['deadline_ok']}/{t['tp_t'] + t['tp_b']}")
        print(f"{'failure class':18} {'reviewed':>8} {'found':>6} {'share':>6} {'false rows':>10}")
        for c in CLASSES:
            k = part["classes"][c]
            if k["gold"] or k["false"]:
                share = f"{k['found'] / k['gold']:.0%}" if k["gold"] else "-"
                print(f"{c:18} {k['gold']:8} {k['found']:6} {share:>6} {k['false']:10}")
        if folds and name == "dev" and docs is not None:
            fs = fold_scores(docs, part, folds)
            print(f"{'fold':>4} {'docs':>4} {'T precision':>17} {'T recall':>17} {'baselines':>17}")
            for f in fs:
                print(f"{f['fold']:>4} {f['documents']:>4} {f['precision']:>7.1%} ({f['tp_t']:>3}/{f['pred_t']:<3}) {f['recall']:>7.1%} "
                      f"({f['tp_t']:>3}/{f['gold_t']:<3}) {f['baselines']:>7.1%} ({f['tp_b']:>3}/{f['gold_b']:<3})")
            for key in ("precision", "recall", "baselines"):
                vals = [f[key] for f in fs if f[key] == f[key]]
                if vals:
                    print(f"     {key}: min {min(vals):.1%}, max {max(vals):.1%} over {len(vals)} folds")
        hidden = {d["document_id"] for d in (docs or []) if hide_fold and fold_of(d["document_id"], folds or 5) == hide_fold}
        if per_doc:
            print(f"{'document':48} {'kind':13} {'T gold/found/ok':>16} {'B gold/found/ok':>16}")
            for d in part["docs"]:
                print(f"{d['document_id']:48} {d['kind']:13} {d['gold_t']:>6}/{d['pred_t']}/{d['tp_t']:<6} {d['gold_b']:>6}/{d['pred_b']}/{d['tp_b']}")
        if verbose and (name == "dev" or show_test_errors):
            for doc, c, g in part["misses"]:
                if doc not in hidden:
                    print(f"  MISSED {doc}: {c:16} {_crow(g)}")
            for doc, c, p in part["extras"]:
                if doc not in hidden:
                    print(f"  EXTRA  {doc}: {c:16} {_crow(p)}")
            if hidden:
                print(f"  (errors of fold {hide_fold}, {len(hidden)} documents, not listed)")
        elif verbose:
            print("  (errors of the test part not listed: pass --show-test-errors, and do not tune on them)")


def _row(r: dict) -> str:
    idx = r["metric_index"] or r["domain"]
    return f"{r['kind']:8} {idx:18} {r['comparator']:>3} {float(r['value']):g} {r['unit']:6} deadline {r['deadline']}  [{r['evidence_start']}:{r['evidence_end']}]"


def _report(title: str, res: dict, verbose: bool) -> None:
    print(f"\n== {title}")
    print(f"{'document':28} {'curated':>7} {'found':>6} {'match':>6} {'P':>6} {'R':>6}")
    for d in res["per_doc"]:
        p = d["tp"] / d["pred"] if d["pred"] else float("nan")
        r = d["tp"] / d["gold"] if d["gold"] else float("nan")
        print(f"{d['document_id']:28} {d['gold']:7} {d['pred']:6} {d['tp']:6} {p:6.1%} {r:6.1%}")
    t = res["total"]
    print(f"{'ALL (micro)':28} {t['gold']:7} {t['pred']:6} {t['tp']:6} {t['precision']:6.1%} {t['recall']:6.1%}")
    if t["tp"]:
        print(f"matched rows with the same deadline: {t['deadline_ok']}/{t['tp']}; with overlapping evidence: {t['evidence_ok']}/{t['tp']}")
    if verbose:
        for doc, g in res["misses"]:
            print(f"  MISSED {doc}: {_row(g)}  {g['indicator_en']}")
        for doc, p in res["extras"]:
            print(f"  EXTRA  {doc}: {_row(p)}  {p['indicator_vi'][:80]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=Path, default=config.PLANS_DIR, help="folder of the seed texts (default: %(default)s)")
    ap.add_argument("--no-hints", action="store_true", help="only the seed run where the extractor infers province and plan year")
    ap.add_argument("--strict", action="store_true", help="only the seed run that matches exact domains instead of domain families")
    ap.add_argument("--no-seed", action="store_true", help="skip the seed evaluation")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                    help="harvested corpus folder (default: %(default)s; env CCHC_HARVEST_DIR)")
    ap.add_argument("--split", type=Path, default=DEFAULT_SPLIT, help="dev/test split file (default: %(default)s)")
    ap.add_argument("--part", choices=("dev", "test", "all"), default="all", help="corpus part(s) to score (default: all)")
    ap.add_argument("--no-corpus", action="store_true", help="skip the corpus evaluation")
    ap.add_argument("--per-doc", action="store_true", help="corpus: one line per document")
    ap.add_argument("--show-test-errors", action="store_true", help="with --verbose: also list the errors of the test part")
    ap.add_argument("--verbose", "-v", action="store_true", help="list missed and extra rows")
    ap.add_argument("--folds", type=int, default=0, metavar="K", help="dev: scores per fold of K (by document), to see how stable rules are")
    ap.add_argument("--hide-fold", type=int, default=0, metavar="I", help="with --verbose: do not list the errors of fold I (a validation fold)")
    ap.add_argument("--bench", action="store_true", help="also measure throughput (MB of plan text per second)")
    args = ap.parse_args(argv)
    status = 0
    if not args.no_seed:
        if not Path(args.plans).is_dir():
            print(f"seed folder {args.plans} not found: seed evaluation skipped (set CCHC_SHARED_DIR or pass --plans)", file=sys.stderr)
            status = 2 if args.no_corpus else status
        else:
            runs = []
            if not args.no_hints and not args.strict:
                runs.append(("seeds (in-sample), province and plan year given, domain families", dict(hints=True, strict=False)))
            if not args.strict:
                runs.append(("seeds (in-sample), no hints (province and plan year inferred), domain families", dict(hints=False, strict=False)))
            if not args.no_hints:
                runs.append(("seeds (in-sample), province and plan year given, exact domains", dict(hints=True, strict=True)))
            for title, kw in runs:
                _report(title, evaluate(args.plans, **kw), args.verbose)
            if args.bench:
                b = throughput(args.plans)
                print(f"\n== throughput: {b['per_doc_mb_s']:.2f} MB/s over {b['mb']:.1f} MB (one call per seed file); "
                      f"{b['single_doc_mb_s']:.2f} MB/s on one {b['single_mb']:.1f} MB document")
    if not args.no_corpus:
        if not corpus_folders(args.corpus):
            print(f"corpus folder {args.corpus} not found or without documents.csv: corpus evaluation skipped "
                  "(the harvested texts are not in the repository; pass --corpus or set CCHC_HARVEST_DIR)", file=sys.stderr)
        elif not Path(args.split).is_file():
            print(f"error: split file {args.split} not found (make it with scripts/split_corpus.py)", file=sys.stderr)
            return 2
        else:
            docs = load_corpus(args.corpus, args.split)
            if args.part != "all":
                docs = [d for d in docs if d["part"] == args.part]
            if not docs:
                print(f"corpus {args.corpus}: no texts of the documents listed in {args.split}: corpus evaluation skipped", file=sys.stderr)
            else:
                report_corpus(evaluate_corpus(docs), verbose=args.verbose, show_test_errors=args.show_test_errors, per_doc=args.per_doc,
                              folds=args.folds, hide_fold=args.hide_fold, docs=docs)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
