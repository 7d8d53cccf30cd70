#!/usr/bin/env python
"""Score the target extractor against the hand-curated seed targets.

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

Usage::

    python scripts/evaluate_extractor.py            # with province and plan year given
    python scripts/evaluate_extractor.py --no-hints # extractor infers both
    python scripts/evaluate_extractor.py --strict --verbose --bench
"""

from __future__ import annotations

import argparse
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
    """Run the extractor on every curated document and score it (see module docstring)."""
    docs = load_documents()
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
    ap.add_argument("--no-hints", action="store_true", help="only the run where the extractor infers province and plan year")
    ap.add_argument("--strict", action="store_true", help="only the run that matches exact domains instead of domain families")
    ap.add_argument("--verbose", "-v", action="store_true", help="list missed and extra rows")
    ap.add_argument("--bench", action="store_true", help="also measure throughput (MB of plan text per second)")
    args = ap.parse_args(argv)
    if not Path(args.plans).is_dir():
        print(f"error: seed folder {args.plans} not found (set CCHC_SHARED_DIR or pass --plans)", file=sys.stderr)
        return 2
    runs = []
    if not args.no_hints and not args.strict:
        runs.append(("province and plan year given, domain families", dict(hints=True, strict=False)))
    if not args.strict:
        runs.append(("no hints (province and plan year inferred), domain families", dict(hints=False, strict=False)))
    if not args.no_hints:
        runs.append(("province and plan year given, exact domains", dict(hints=True, strict=True)))
    for title, kw in runs:
        _report(title, evaluate(args.plans, **kw), args.verbose)
    if args.bench:
        b = throughput(args.plans)
        print(f"\n== throughput: {b['per_doc_mb_s']:.2f} MB/s over {b['mb']:.1f} MB (one call per seed file); "
              f"{b['single_doc_mb_s']:.2f} MB/s on one {b['single_mb']:.1f} MB document")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
