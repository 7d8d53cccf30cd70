"""Tests for cchc_analysis.targets and the curated tables in data/targets/."""

from __future__ import annotations

import shutil

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


def test_counts_per_document():
    tg = load_targets()
    got = {d: (int((g["kind"] == "target").sum()), int((g["kind"] == "baseline").sum())) for d, g in tg.groupby("document_id")}
    assert got == COUNTS


def test_vocabularies_and_rank_rules():
    tg = load_targets()
    assert set(tg["comparator"]) <= set(COMPARATORS) and set(tg["unit"]) <= set(UNITS)
    top = tg[tg["comparator"] == "top"]
    assert (top["unit"] == "rank").all() and (top["metric_field"] == "rank").all()
    base = tg[tg["kind"] == "baseline"]
    assert base["deadline"].notna().all()


def test_quang_nam_acceptance_rows():
    qn = load_targets(province="quang nam")
    tgt = qn[(qn["kind"] == "target") & (qn["unit"] == "rank")]
    assert sorted(zip(tgt["metric_index"], tgt["comparator"], tgt["value"])) == sorted(
        [("par", "top", 20.0), ("sipas", "top", 20.0), ("papi", "top", 20.0), ("dti", "top", 20.0), ("pci", "top", 6.0)]
    )
    base = load_targets(province="Quảng Nam", kind="baseline")
    assert sorted(zip(base["metric_index"], base["value"], base["deadline"])) == sorted(
        [("par", 33.0, 2021), ("sipas", 57.0, 2021), ("papi", 35.0, 2021), ("pci", 19.0, 2021)]
    )
    assert (base["metric_component"] == "overall").all()


def test_filters():
    assert set(load_targets(document="nghean-2022-news")["province"]) == {"Nghệ An"}
    by_file = load_targets(document="004_37496667562b715c.txt")
    assert set(by_file["document_id"]) == {"phuyen-2011-2020-news"}
    assert len(load_targets(province="Phú Yên")) == 20
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
    for r in load_targets().to_dict("records"):
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
    for name in load_documents()["source_file"]:
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


def test_tables_without_optional_columns_read_with_defaults():
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
    pd.concat([docs.assign(boundaries="legacy"), doc.to_frame().T]).to_csv(data_copy / "documents.csv", index=False)
    pd.concat([tg.assign(boundaries="legacy"), row.to_frame().T]).to_csv(data_copy / "targets.csv", index=False)
    got = load_targets(province="Đắk Lắk")
    assert set(zip(got["boundaries"], got["province_code"])) == {("2025", "66")}  # legacy Đắk Lắk has no seed
    assert "synthetic-daklak-2026-01" in set(got["target_id"])
    assert "synthetic-daklak-2026-01" not in set(load_targets(province="Phú Yên")["target_id"])
