"""Tests for cchc_analysis.targets and the curated tables in data/targets/."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cchc_analysis import config
from cchc_analysis.targets import (
    COMPARATORS,
    DOCUMENT_COLUMNS,
    OPTIONAL_DOCUMENT_COLUMNS,
    OPTIONAL_TARGET_COLUMNS,
    TARGET_COLUMNS,
    UNITS,
    TargetsValidationError,
    load_documents,
    load_targets,
    targets_dir,
    validate_documents,
    validate_targets,
)

#: curated rows per document: (targets, baselines) -- also stated in data/targets/README.md
COUNTS = {
    "phuyen-2023-news": (8, 0),
    "hoabinh-2023-news": (2, 0),
    "quangnam-2023-qd3532": (21, 4),
    "nghean-2022-news": (7, 0),
    "phuyen-2011-2020-news": (12, 0),
}


SEEDS = tuple(COUNTS)


def _seed_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["document_id"].isin(SEEDS)].reset_index(drop=True)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/targets, in a data folder of the user's (CCHC_DATA_DIR)."""
    shutil.copytree(targets_dir(), tmp_path / "targets")
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    return tmp_path / "targets"


def test_tables_have_declared_columns_and_keys():
    docs, tg = load_documents(), load_targets()
    assert list(docs.columns) == list(DOCUMENT_COLUMNS) + list(OPTIONAL_DOCUMENT_COLUMNS)
    assert list(tg.columns) == list(TARGET_COLUMNS) + list(OPTIONAL_TARGET_COLUMNS)
    assert docs["document_id"].is_unique and tg["target_id"].is_unique
    assert set(tg["document_id"]) <= set(docs["document_id"])
    assert str(tg["deadline"].dtype) == "Int64" and tg["value"].dtype == float
    assert str(docs["plan_start"].dtype) == "Int64"


def test_counts_per_seed_document():
    tg = _seed_rows(load_targets())
    got = {d: (int((g["kind"] == "target").sum()), int((g["kind"] == "baseline").sum())) for d, g in tg.groupby("document_id")}
    assert got == COUNTS


def test_seed_rows_carry_the_harvest_columns():
    tg, docs = _seed_rows(load_targets()), _seed_rows(load_documents())
    assert set(tg["reviewed_by_hand"]) == {"yes"} and set(tg["boundaries"]) == {"legacy"}
    assert set(tg["scope"]) == {"national"} and set(docs["boundaries"]) == {"legacy"}
    assert (docs["retrieved"] == "").all()  # seeds were given, not retrieved
    assert docs["text_sha256"].str.fullmatch(r"[0-9a-f]{64}").all() and (docs["text_chars"] != "").all()


def test_harvested_documents_are_sourced_and_reviewed():
    docs, tg = load_documents(), load_targets()
    harvested = docs[~docs["document_id"].isin(SEEDS)]
    assert len(harvested) >= 60
    assert (harvested["source_url"].str.match(r"https?://")).all()
    assert harvested["retrieved"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert harvested["text_sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert set(tg["reviewed_by_hand"]) == {"yes"}
    manifest = pd.read_csv(targets_dir() / "manifest.csv", dtype=str, keep_default_na=False)
    assert list(manifest.columns) == ["document_id", "part", "corpus", "query", "url", "retrieved", "start", "end", "sha256"]
    assert set(manifest["document_id"]) == set(harvested["document_id"])
    urls = harvested.set_index("document_id")["source_url"]
    assert all(urls[d] == u for d, u in zip(manifest["document_id"], manifest["url"]))
    # a regional rank is never national: it names its region
    regional = tg[tg["scope"] != "national"]
    assert len(regional) and regional["scope"].str.startswith("region:").all() and (regional["unit"] != "%").all()


def test_vocabularies_and_rank_rules():
    tg = load_targets()
    assert set(tg["comparator"]) <= set(COMPARATORS) and set(tg["unit"]) <= set(UNITS)
    top = tg[tg["comparator"] == "top"]
    assert (top["unit"] == "rank").all()
    assert (top.loc[top["metric_index"] != "", "metric_field"] == "rank").all()
    base = tg[tg["kind"] == "baseline"]
    assert base["deadline"].notna().all()


def test_quang_nam_acceptance_rows():
    qn = load_targets(document="quangnam-2023-qd3532")
    tgt = qn[(qn["kind"] == "target") & (qn["unit"] == "rank")]
    assert sorted(zip(tgt["metric_index"], tgt["comparator"], tgt["value"])) == sorted(
        [("par", "top", 20.0), ("sipas", "top", 20.0), ("papi", "top", 20.0), ("dti", "top", 20.0), ("pci", "top", 6.0)]
    )
    base = load_targets(document="quangnam-2023-qd3532", kind="baseline")
    assert sorted(zip(base["metric_index"], base["value"], base["deadline"])) == sorted(
        [("par", 33.0, 2021), ("sipas", 57.0, 2021), ("papi", 35.0, 2021), ("pci", 19.0, 2021)]
    )
    assert (base["metric_component"] == "overall").all()


def test_filters():
    assert set(load_targets(document="nghean-2022-news")["province"]) == {"Nghệ An"}
    by_file = load_targets(document="004_37496667562b715c.txt")
    assert set(by_file["document_id"]) == {"phuyen-2011-2020-news"}
    assert len(_seed_rows(load_targets(province="Phú Yên"))) == 20
    assert set(load_targets(province="Phú Yên")["province_code"]) == {"54"}
    assert (load_targets(kind="target")["kind"] == "target").all()
    with pytest.raises(ValueError, match="kind must be"):
        load_targets(kind="goal")
    with pytest.raises(ValueError, match="matches no document_id"):
        load_targets(document="nope")


def test_missing_folder_names_the_path(tmp_path, monkeypatch):
    # the user's targets/ is used as a whole: one without documents.csv is an error, not a mix
    (tmp_path / "targets").mkdir()
    shutil.copy(targets_dir() / "targets.csv", tmp_path / "targets" / "targets.csv")
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r"documents\.csv does not exist.*CCHC_DATA_DIR"):
        load_targets()


def _edit(path, line, col, value):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[line - 2, col] = value
    df.to_csv(path, index=False)


@pytest.mark.parametrize(
    "col, value, message",
    [
        ("comparator", "≥", "unknown comparator '≥'. Fix: use"),
        ("unit", "percent", "unknown unit 'percent'. Fix: use one of"),
        ("province", "Quảng Nom", "province 'Quảng Nom' is unknown"),
        ("document_id", "no-such-doc", "document_id 'no-such-doc' does not resolve to documents.csv"),
        ("target_id", "phuyen-2023-news-01", "duplicate target_id 'phuyen-2023-news-01'"),
        ("value", "85,5", "value '85,5' is not a number"),
        ("kind", "goal", "kind 'goal' is not 'target' or 'baseline'"),
    ],
)
def test_validation_names_file_line_and_fix(data_copy, col, value, message):
    _edit(data_copy / "targets.csv", 3, col, value)
    with pytest.raises(TargetsValidationError) as info:
        load_targets()
    text = str(info.value)
    assert "targets.csv line 3" in text and message in text


def test_validation_collects_every_problem(data_copy):
    _edit(data_copy / "targets.csv", 2, "unit", "pct")
    _edit(data_copy / "targets.csv", 5, "comparator", "gt")
    with pytest.raises(TargetsValidationError) as info:
        load_targets()
    assert len(info.value.problems) == 2


def test_validate_targets_on_a_frame():
    docs = load_documents()
    good = load_targets()
    assert validate_targets(good.astype(str).replace("<NA>", ""), documents=docs) is not None
    bad = pd.DataFrame(good.head(2).astype(str).to_dict("records"))  # a frame built by hand: no file
    bad.loc[1, "comparator"] = "top"
    bad.loc[1, "unit"] = "%"
    with pytest.raises(TargetsValidationError, match=r"targets table row 1 .*'top' needs unit 'rank'"):
        validate_targets(bad, documents=docs)
    loaded = load_targets()
    loaded.loc[1, "unit"] = "rank"  # loaded from the CSV: messages give the file's line
    with pytest.raises(TargetsValidationError, match=r"targets.csv line 3 .*unit 'rank' goes with metric_field"):
        validate_targets(loaded.astype(str).replace("<NA>", "").assign(metric_index="par", metric_component="overall", metric_field="value"), documents=docs)


def test_province_code_must_match(data_copy):
    _edit(data_copy / "targets.csv", 2, "province_code", "01")
    with pytest.raises(TargetsValidationError, match="registry code 54"):
        load_targets()


def test_documents_validation(data_copy):
    _edit(data_copy / "documents.csv", 2, "plan_end", "2025")
    _edit(data_copy / "documents.csv", 3, "date", "31/08/2022")
    with pytest.raises(TargetsValidationError) as info:
        load_documents()
    text = str(info.value)
    assert "documents.csv line 2" in text and "disagree with plan_period" in text
    assert "documents.csv line 3" in text and "not an ISO date" in text
    with pytest.raises(TargetsValidationError, match="missing column"):
        validate_documents(pd.DataFrame({"document_id": ["x"]}))


# ----------------------------------------------------------------------------- against the seeds


def _shared_available() -> bool:
    return config.PLANS_DIR.is_dir() and any(config.PLANS_DIR.glob("*.txt"))


needs_shared = pytest.mark.skipif(
    not _shared_available(), reason=f"seed plans not found at {config.PLANS_DIR} (../shared is only on the build machine)"
)


def _spellings(v: float) -> list[str]:
    whole = f"{v:g}"
    out = [whole, whole.replace(".", ",")]
    if v.is_integer() and v < 10:
        out.append(f"0{int(v)}")
    return out


@pytest.mark.shared
@needs_shared
def test_every_row_points_at_its_figure_in_the_seed():
    texts = {}
    for r in _seed_rows(load_targets()).to_dict("records"):
        path = config.PLANS_DIR / r["source_file"]
        text = texts.setdefault(r["source_file"], path.read_text(encoding="utf-8"))
        span = text[r["evidence_start"] : r["evidence_end"]]
        assert 0 < r["evidence_end"] <= len(text), r["target_id"]
        assert any(s in span for s in _spellings(abs(r["value"]))), (r["target_id"], span)
        if r["kind"] == "baseline":
            assert str(r["deadline"]) in span, r["target_id"]


@pytest.mark.shared
@needs_shared
def test_every_document_has_its_seed_file():
    for name in _seed_rows(load_documents())["source_file"]:
        assert (config.PLANS_DIR / name).is_file(), name


# --------------------------------------------------------------- columns of the harvested corpus


@pytest.mark.parametrize(
    "col, value, message",
    [
        ("scope", "regional", "scope 'regional' is not 'national' or 'region:<slug>'"),
        ("reviewed_by_hand", "maybe", "reviewed_by_hand 'maybe' is not 'yes', 'no' or empty"),
        ("rank_out_of", "63,0", "rank_out_of '63,0' is not a whole number"),
        ("boundaries", "2030", "boundaries '2030' is not 'legacy' or '2025'"),
    ],
)
def test_optional_columns_are_validated(data_copy, col, value, message):
    _edit(data_copy / "targets.csv", 3, col, value)
    with pytest.raises(TargetsValidationError) as info:
        load_targets()
    assert "targets.csv line 3" in str(info.value) and message in str(info.value)


def test_tables_without_optional_columns_read_with_defaults(data_copy):
    for name, cols in (("targets.csv", OPTIONAL_TARGET_COLUMNS), ("documents.csv", OPTIONAL_DOCUMENT_COLUMNS)):
        frame = pd.read_csv(data_copy / name, dtype=str, keep_default_na=False)
        frame = frame[frame["document_id"].isin(SEEDS)].drop(columns=list(cols))
        frame.to_csv(data_copy / name, index=False)
    tg = load_targets()
    assert set(tg["scope"]) == {"national"} and set(tg["boundaries"]) == {"legacy"}
    assert tg["rank_out_of"].isna().all() and str(tg["rank_out_of"].dtype) == "Int64"


def test_a_rank_cannot_exceed_its_n(data_copy):
    qn = pd.read_csv(data_copy / "targets.csv", dtype=str, keep_default_na=False)
    line = int(qn.index[(qn["kind"] == "baseline") & (qn["metric_index"] == "par")][0]) + 2
    _edit(data_copy / "targets.csv", line, "rank_out_of", "30")  # PAR 2021 rank 33 out of 30: impossible
    with pytest.raises(TargetsValidationError, match="rank 33 is larger than rank_out_of 30"):
        load_targets()


def _set(series, values):
    for key, value in values.items():
        series[key] = value


def test_a_2025_unit_plan_resolves_under_2025_boundaries(data_copy):
    docs = pd.read_csv(data_copy / "documents.csv", dtype=str, keep_default_na=False)
    tg = pd.read_csv(data_copy / "targets.csv", dtype=str, keep_default_na=False)
    # a made-up post-merger document of the 2025 unit Đắk Lắk (code 66), reusing a seed text's offsets
    doc = docs.iloc[0].copy()
    _set(doc, {"document_id": "synthetic-daklak-2026", "province_code": "66", "province": "Đắk Lắk",
                "plan_period": "2026", "plan_start": "2026", "plan_end": "2026", "boundaries": "2025"})
    row = tg.iloc[0].copy()
    _set(row, {"target_id": "synthetic-daklak-2026-01", "document_id": "synthetic-daklak-2026",
                "province_code": "66", "province": "Đắk Lắk", "plan_period": "2026", "deadline": "2026",
                "boundaries": "2025", "source_file": doc["source_file"]})
    docs, tg = _seed_rows(docs), _seed_rows(tg)
    pd.concat([docs.assign(boundaries="legacy"), doc.to_frame().T]).to_csv(data_copy / "documents.csv", index=False)
    pd.concat([tg.assign(boundaries="legacy"), row.to_frame().T]).to_csv(data_copy / "targets.csv", index=False)
    got = load_targets(province="Đắk Lắk")
    assert set(zip(got["boundaries"], got["province_code"])) == {("2025", "66")}  # legacy Đắk Lắk has no seed
    assert "synthetic-daklak-2026-01" in set(got["target_id"])
    assert "synthetic-daklak-2026-01" not in set(load_targets(province="Phú Yên")["target_id"])


# ------------------------------------------------- harvested rows against the texts as retrieved


def _text_folders() -> list[Path]:
    """``CCHC_PLAN_TEXTS`` (folders separated by os.pathsep), else the harvest folders beside the
    project (``../harvest/*/texts``, on the build machine only)."""
    env = os.environ.get("CCHC_PLAN_TEXTS", "").strip()
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    return sorted((config.PROJ_ROOT.parent / "harvest").glob("*/texts"))


def _harvested_texts() -> dict[str, str]:
    docs = load_documents()
    found: dict[str, str] = {}
    for d in docs[~docs["document_id"].isin(SEEDS)].to_dict("records"):
        for folder in _text_folders():
            path = folder / d["source_file"]
            if path.is_file():
                with path.open(encoding="utf-8", newline="") as fh:  # offsets count \r\n as two
                    found[d["document_id"]] = fh.read()
                break
    return found


def _printed_forms(value: float) -> set[str]:
    """How a value may be printed: 68.5 -> 68,5 / 68.5; 3 -> 3 / 03 / ba; 100 -> tất cả; rank 1 -> đầu."""
    a = abs(value)
    text = f"{a:g}"
    out = {text, text.replace(".", ",")}
    if a.is_integer():
        i = int(a)
        out |= {str(i), f"{i:02d}"}
        out |= {1: {"một", "đầu", "nhất", "first"}, 2: {"hai"}, 3: {"ba"}, 100: {"tất cả", "toàn bộ", "all"}}.get(i, set())
    else:
        out |= {f"{a:.2f}", f"{a:.2f}".replace(".", ","), f"{a:.3f}".replace(".", ","), f"{a:.3f}"}
    return out


@pytest.mark.shared
def test_harvested_offsets_point_at_their_figures():
    texts = _harvested_texts()
    if not texts:
        pytest.skip("harvested plan texts not found: set CCHC_PLAN_TEXTS to the folder(s) of the retrieved texts "
                    "(they are not in the repository); on the build machine they are in ../harvest/*/texts")
    docs = load_documents().set_index("document_id")
    for did, text in texts.items():
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == docs.at[did, "text_sha256"], did
        assert len(text) == int(docs.at[did, "text_chars"]), did
    rows = load_targets()
    rows = rows[rows["document_id"].isin(list(texts))]
    assert len(rows) > 100
    for r in rows.to_dict("records"):
        text = texts[r["document_id"]]
        assert 0 <= r["evidence_start"] < r["evidence_end"] <= len(text), r["target_id"]
        span = text[r["evidence_start"]:r["evidence_end"]]
        assert any(re.search(r"(?<![\d,.])" + re.escape(f) + r"(?!\d)", span, flags=re.I)
                   for f in _printed_forms(r["value"])), (r["target_id"], r["value"])
    manifest = pd.read_csv(targets_dir() / "manifest.csv", dtype=str, keep_default_na=False)
    for m in manifest[manifest["document_id"].isin(list(texts))].to_dict("records"):
        part = texts[m["document_id"]][int(m["start"]):int(m["end"])]
        assert hashlib.sha256(part.encode("utf-8")).hexdigest() == m["sha256"], (m["document_id"], m["part"])


def test_merge_script_is_idempotent_and_refuses_a_broken_harvest(tmp_path):
    """Synthetic harvest built here (made-up sentence, made-up address) merged twice into a copy."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("merge_harvest", config.PROJ_ROOT / "scripts" / "merge_harvest.py")
    merge_harvest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(merge_harvest)
    out = tmp_path / "targets"
    shutil.copytree(targets_dir(), out)
    harvest = tmp_path / "harvest" / "Z"
    (harvest / "texts").mkdir(parents=True)
    text = "Tỉnh X phấn đấu năm 2030 Chỉ số SIPAS đạt từ 90% trở lên (câu tự viết cho kiểm thử)."
    (harvest / "texts" / "synthetic-doc.txt").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).iloc[[0]].copy()
    docs = docs.assign(document_id="synthetic-doc", province_code="01", province="Hà Nội", plan_period="2030",
                       plan_start="2030", plan_end="2030", source_file="synthetic-doc.txt",
                       source_url="https://example.org/synthetic", retrieved="2026-01-01", text_sha256=sha,
                       text_chars=str(len(text)))
    rows = pd.read_csv(out / "targets.csv", dtype=str, keep_default_na=False).iloc[[0]].copy()
    start = text.index("90%")
    rows = rows.assign(target_id="synthetic-doc-01", document_id="synthetic-doc", province_code="01",
                       province="Hà Nội", plan_period="2030", value="90", deadline="2030", comparator=">=",
                       metric_index="sipas", metric_component="overall", metric_field="value",
                       evidence_start=str(start), evidence_end=str(start + 3), source_file="synthetic-doc.txt")
    docs.to_csv(harvest / "documents.csv", index=False)
    rows.to_csv(harvest / "targets.csv", index=False)
    pd.DataFrame([{"document_id": "synthetic-doc", "part": 1, "corpus": "pages", "query": "q",
                   "url": "https://example.org/synthetic", "retrieved": "2026-01-01", "start": 0, "end": len(text),
                   "sha256": sha}]).to_csv(harvest / "manifest.csv", index=False)
    before = (out / "targets.csv").read_bytes()
    log = merge_harvest.merge([harvest], out_dir=out)
    after = {n: (out / n).read_bytes() for n in ("documents.csv", "targets.csv", "manifest.csv")}
    assert after["targets.csv"] != before and b"synthetic-doc-01" in after["targets.csv"]
    assert any("kept" in line and "previously merged" in line for line in log)  # the other harvests stay
    assert "wrote nothing (unchanged)" in merge_harvest.merge([harvest], out_dir=out)[-1]
    assert {n: (out / n).read_bytes() for n in after} == after
    # a text that changed after the offsets were taken stops the merge; nothing is written
    (harvest / "texts" / "synthetic-doc.txt").write_text(text + " ", encoding="utf-8")
    with pytest.raises(merge_harvest.MergeError, match="text_sha256 differs"):
        merge_harvest.merge([harvest], out_dir=out)
    assert {n: (out / n).read_bytes() for n in after} == after


def test_readme_coverage_tables_follow_the_data():
    import importlib.util

    spec = importlib.util.spec_from_file_location("merge_harvest", config.PROJ_ROOT / "scripts" / "merge_harvest.py")
    merge_harvest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(merge_harvest)
    table = merge_harvest.coverage_table()
    for readme in (config.PROJ_ROOT / "README.md", targets_dir() / "README.md"):
        text = readme.read_text(encoding="utf-8")
        block = text.split(merge_harvest.MARK_START, 1)[1].split(merge_harvest.MARK_END, 1)[0]
        assert block == "\n" + table, f"{readme}: run `python scripts/merge_harvest.py` to refresh its coverage table"
    assert "| **all** |" in table and "reviewed by hand" in table


def test_a_baseline_may_quote_another_province_a_target_may_not(data_copy):
    tg = pd.read_csv(data_copy / "targets.csv", dtype=str, keep_default_na=False)
    base = int(tg.index[(tg["document_id"] == "quangnam-2023-qd3532") & (tg["kind"] == "baseline")][0])
    tg.loc[base, ["province_code", "province"]] = ["22", "Quảng Ninh"]  # "Quảng Ninh dẫn đầu": a quoted figure
    tg.to_csv(data_copy / "targets.csv", index=False)
    assert "22" in set(load_targets(province="Quảng Ninh", kind="baseline")["province_code"])
    target = int(tg.index[(tg["document_id"] == "quangnam-2023-qd3532") & (tg["kind"] == "target")][0])
    _edit(data_copy / "targets.csv", target + 2, "province_code", "22")
    _edit(data_copy / "targets.csv", target + 2, "province", "Quảng Ninh")
    with pytest.raises(TargetsValidationError, match=r"province_code '22' differs from document .*only a baseline"):
        load_targets()
