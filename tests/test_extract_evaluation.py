"""scripts/evaluate_extractor.py on a plan corpus built here (texts written for the test)."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ev():
    spec = importlib.util.spec_from_file_location("evaluate_extractor", ROOT / "scripts" / "evaluate_extractor.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


PLAN = "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025\nNăm 2024, Chỉ số PAPI của tỉnh xếp thứ 40/61. Phấn đấu tỷ lệ hồ sơ đúng hạn đạt trên 98%.\n"
NEWS = "Công bố kết quả năm 2023: Chỉ số PCI của tỉnh đạt 66,1 điểm, tăng 2 bậc.\n"
COLUMNS = ["target_id", "document_id", "province_code", "province", "plan_period", "kind", "domain", "indicator_vi", "indicator_en",
           "comparator", "value", "unit", "deadline", "metric_index", "metric_component", "metric_field", "mapping_confidence",
           "mapping_note", "evidence_start", "evidence_end", "source_file", "boundaries", "scope", "rank_out_of", "reviewed_by_hand"]


def _row(doc, n, text, phrase, **kw):
    a = text.index(phrase)
    base = dict(target_id=f"{doc}-{n:02d}", document_id=doc, province_code="01", province="Hà Nội", plan_period="2025", domain="direction",
                indicator_vi="x", indicator_en="x", metric_component="", mapping_confidence="high", mapping_note="",
                evidence_start=a, evidence_end=a + len(phrase), source_file=f"{doc}.txt", boundaries="legacy", scope="national",
                rank_out_of="", reviewed_by_hand="yes", metric_index="", metric_field="")
    base.update(kw)
    return base


def make_corpus(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "harvest" / "X"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "plan.txt").write_text(PLAN, encoding="utf-8")
    (folder / "texts" / "news.txt").write_text(NEWS, encoding="utf-8")
    with open(folder / "documents.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["document_id", "province", "source_file", "kind", "boundaries", "title"])
        w.writerow(["plan", "Hà Nội", "plan.txt", "plan", "legacy", "Kế hoạch"])
        w.writerow(["news", "Hà Nội", "news.txt", "news_report", "legacy", "Tin kết quả PCI"])
    rows = [
        _row("plan", 1, PLAN, "xếp thứ 40/61", kind="baseline", comparator="=", value=40, unit="rank", deadline=2024,
             metric_index="papi", metric_field="rank", rank_out_of=61),
        _row("plan", 2, PLAN, "đạt trên 98%", kind="target", domain="procedures", comparator=">", value=98, unit="%", deadline=2025),
        # a reviewed target the extractor cannot find (a miss), and a baseline it reads
        _row("plan", 3, PLAN, "Phấn đấu", kind="target", comparator=">=", value=5, unit="places", deadline=2025,
             metric_index="papi", metric_field="rank_change"),
        _row("news", 1, NEWS, "đạt 66,1 điểm", kind="baseline", comparator="=", value=66.1, unit="score", deadline=2023,
             metric_index="pci", metric_field="value"),
    ]
    with open(folder / "targets.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    split = tmp_path / "split.csv"
    split.write_text("document_id,part,kind,harvest\nplan,dev,decision,X\nnews,test,no_target,X\n", encoding="utf-8")
    return tmp_path / "harvest", split


def test_corpus_scores_per_part_and_class(ev, tmp_path):
    corpus, split = make_corpus(tmp_path)
    docs = ev.load_corpus(corpus, split)
    assert sorted((d["document_id"], d["part"]) for d in docs) == [("news", "test"), ("plan", "dev")]
    res = ev.evaluate_corpus(docs)
    dev = res["dev"]["total"]
    assert (dev["gold_t"], dev["tp_t"], dev["pred_t"]) == (2, 1, 1)  # 98% found; the made-up 5 places missed
    assert dev["precision"] == 1.0 and dev["recall"] == 0.5
    assert (dev["gold_b"], dev["tp_b"]) == (1, 1) and dev["baselines"] == 1.0
    test = res["test"]["total"]
    assert test["pred_t"] == 0 and test["tp_b"] == 1  # a results article gives no target
    assert res["dev"]["classes"]["fraction_rank"]["gold"] == 0  # the 40/61 is a baseline: a report sentence
    assert res["dev"]["classes"]["report_sentence"] == {"gold": 1, "found": 1, "false": 0}
    assert res["dev"]["classes"]["rank_gain"] == {"gold": 1, "found": 0, "false": 0}


def test_missing_corpus_is_skipped_with_a_message(ev, tmp_path, capsys):
    assert ev.main(["--no-seed", "--corpus", str(tmp_path / "nowhere")]) == 0
    assert "corpus evaluation skipped" in capsys.readouterr().err


@pytest.fixture(scope="module")
def sp():
    spec = importlib.util.spec_from_file_location("split_corpus", ROOT / "scripts" / "split_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_split_keeps_assignments_and_stratifies(sp):
    docs = [dict(document_id=f"d{i}", harvest="X", province="P", english=False, kind="index_plan", has_text=True) for i in range(10)]
    rows = sp.assign(docs, {}, stratified=True)
    assert sum(r["part"] == "test" for r in rows) == 4 and sum(r["part"] == "dev" for r in rows) == 6
    existing = {r["document_id"]: r for r in rows}
    more = docs + [dict(document_id=f"e{i}", harvest="Y", province="Q", english=False, kind="index_plan", has_text=True) for i in range(5)]
    rows2 = sp.assign(more, existing, stratified=True)
    assert all(existing[r["document_id"]]["part"] == r["part"] for r in rows2 if r["document_id"] in existing)
    assert sum(r["part"] == "test" for r in rows2) == 6  # 40 % of 15
    assert sp.is_english("The province aims to reach 90 percent of online dossiers.")
    assert not sp.is_english("Phấn đấu tỷ lệ hồ sơ trực tuyến đạt 90%.")


def _docs(harvest, n, prefix):
    return [dict(document_id=f"{prefix}{i}", harvest=harvest, province="P", english=False, kind="index_plan", has_text=True) for i in range(n)]


def test_round_two_promotes_the_old_test_part_and_takes_a_new_folder_as_test(sp, tmp_path):
    rows = sp.assign(_docs("A", 10, "a"), {}, stratified=True)
    promoted = sp.promote_test({r["document_id"]: r for r in rows})
    assert all(r["part"] == "dev" for r in promoted.values())
    assert sorted(r["round1_part"] for r in promoted.values()) == ["dev"] * 6 + ["test"] * 4
    # late documents of A join dev and say so; all of C is test; nothing moves back
    rows2 = sp.assign(_docs("A", 12, "a") + _docs("C", 5, "c"), promoted, test_folders=("C",), late={"a10", "a11"})
    parts = {r["document_id"]: (r["part"], r["round1_part"]) for r in rows2}
    assert parts["a10"] == ("dev", "late") and parts["a3"][0] == "dev"
    assert [parts[f"c{i}"] for i in range(5)] == [("test", "")] * 5
    # the command line refuses a folder that does not exist, naming the ones that do
    folder = tmp_path / "A"
    (folder / "texts").mkdir(parents=True)
    (folder / "documents.csv").write_text("document_id,province,source_file,kind,boundaries,title\nx,Hà Nội,x.txt,plan,legacy,Kế hoạch\n",
                                          encoding="utf-8")
    (folder / "texts" / "x.txt").write_text("Phấn đấu tỷ lệ hồ sơ đúng hạn đạt 98%.", encoding="utf-8")
    out = tmp_path / "split.csv"
    assert sp.main(["--corpus", str(tmp_path), "--out", str(out), "--test-folder", "Z"]) == 2
    assert not out.exists()
    assert sp.main(["--corpus", str(tmp_path), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines() == ["document_id,part,kind,harvest,round1_part,round2_part", "x,dev,decision,A,,"]


def test_round_three_promotes_harvest_c_and_records_its_round_two_part(sp, tmp_path):
    rows = sp.assign(_docs("A", 4, "a") + _docs("C", 3, "c"), {}, test_folders=("C",))
    promoted = sp.promote_test({r["document_id"]: r for r in rows}, column="round2_part")
    assert all(r["part"] == "dev" for r in promoted.values())
    assert {k: r["round2_part"] for k, r in promoted.items()} == {"a0": "dev", "a1": "dev", "a2": "dev", "a3": "dev",
                                                                   "c0": "test", "c1": "test", "c2": "test"}
    # round 1's record is left as it was, and a second promotion changes nothing
    assert all(r["round1_part"] == "" for r in promoted.values())
    assert sp.promote_test(promoted, column="round2_part") == promoted
    with pytest.raises(ValueError, match="round3_part.*round1_part, round2_part"):
        sp.promote_test(promoted, column="round3_part")
    assert sp.main(["--corpus", str(tmp_path / "none"), "--promote-test", "round2_part"]) == 2


def test_an_index_published_in_per_cent_matches_in_score_or_per_cent(ev):
    base = dict(value="84.24", comparator="=", kind="baseline", domain="direction", metric_index="par", metric_field="value",
                metric_component="overall", scope="national")
    assert ev._ckey(dict(base, unit="score")) == ev._ckey(dict(base, unit="%"))
    assert ev._ckey(dict(base, metric_index="sipas", unit="score")) == ev._ckey(dict(base, metric_index="sipas", unit="%"))
    # a part of the index in points is not its per cent, nor is a PCI score a per cent
    part = dict(base, metric_component="procedures")
    assert ev._ckey(dict(part, unit="score")) != ev._ckey(dict(part, unit="%"))
    assert ev._ckey(dict(base, metric_index="pci", unit="score")) != ev._ckey(dict(base, metric_index="pci", unit="%"))
