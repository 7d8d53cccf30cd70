"""Validation of the tidy indicator schema, on synthetic frames built here."""

import pandas as pd
import pytest

from cchc_analysis.schema import INDICATOR_COLUMNS, SchemaError, tidy_indicators, validate_indicators


def synthetic_rows(**overrides):
    row = {
        "index": "par", "year": 2023, "boundaries": "legacy", "province_code": "49",
        "province": "Quảng Nam", "component": "overall", "value": 84.6, "rank": 56,
        "unit": "percent", "source_id": "synthetic-source", "note": pd.NA,
    }
    row.update(overrides)
    return pd.DataFrame([row])[list(INDICATOR_COLUMNS)]


def test_valid_frame_passes():
    frame = synthetic_rows()
    assert validate_indicators(frame, source_ids=["synthetic-source"]) is frame


def test_duplicate_keys_are_named():
    frame = pd.concat([synthetic_rows(), synthetic_rows(value=80.0)], ignore_index=True)
    with pytest.raises(SchemaError, match="duplicate key .*province_code='49'.*keep one row per key") as err:
        validate_indicators(frame, origin="par.csv")
    assert "par.csv" in str(err.value) and "row 2" in str(err.value)


def test_out_of_range_value_names_row_and_fix():
    with pytest.raises(SchemaError, match=r"row 2: par/overall value 846.0 outside \[0.0, 100.0\].*decimal separator"):
        validate_indicators(synthetic_rows(value=846.0))


def test_unknown_province_code():
    with pytest.raises(SchemaError, match="province_code '99' is not a legacy unit"):
        validate_indicators(synthetic_rows(province_code="99"))


def test_unresolved_source_id():
    with pytest.raises(SchemaError, match="source_id 'nowhere' not in the sources table"):
        validate_indicators(synthetic_rows(source_id="nowhere"), source_ids=["synthetic-source"])


def test_row_without_value_or_rank_is_rejected():
    with pytest.raises(SchemaError, match="neither value nor rank"):
        validate_indicators(synthetic_rows(value=float("nan"), rank=pd.NA))


def test_bad_rank_and_unknown_index_and_unit():
    with pytest.raises(SchemaError) as err:
        validate_indicators(synthetic_rows(rank=0, index="gdp", unit="usd"))
    text = str(err.value)
    assert "rank 0" in text and "index 'gdp' unknown" in text and "unit 'usd' unknown" in text


def test_missing_columns():
    with pytest.raises(SchemaError, match="missing column"):
        validate_indicators(synthetic_rows().drop(columns=["source_id"]))


def test_tidy_resolves_names_and_reports_unknown_with_close_matches():
    raw = pd.DataFrame({"province": ["Quang Nam", "TP HCM"], "year": [2023, 2023], "component": "overall",
                        "value": [84.6, 86.97], "rank": [56, 33]})
    tidy = tidy_indicators(raw, index="par", unit="percent", source_id="s")
    assert tidy["province"].tolist() == ["Quảng Nam", "TP. Hồ Chí Minh"]
    assert tidy["rank"].dtype == "Int64"
    raw.loc[1, "province"] = "Quảng Nammm"
    with pytest.raises(SchemaError, match="row 3: Unknown province 'Quảng Nammm'.*Did you mean: Quảng Nam"):
        tidy_indicators(raw, index="par", unit="percent", source_id="s", origin="x.csv")
