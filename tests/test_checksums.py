"""Issue 10 item 6: the bundled tables are checked on load (``cchc_analysis.checksums``).

Copies of ``data/`` in a temporary folder are damaged the way a user would (an Excel re-save,
a cut download, a hand edit) and loaded; each case names the message the user sees.  If the
first test fails after a deliberate change to data/, refresh the checksums:

    .venv/bin/python -m cchc_analysis.checksums
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import cchc_analysis as cchc
from cchc_analysis import checksums, config, indicators
from cchc_analysis.checksums import DataIntegrityError, MissingRowsWarning
from cchc_analysis.schema import INDICES

DATA = Path(config.PROJ_ROOT) / "data"
FIX = ("The file differs from the one the build wrote (checksums.csv). Restore it (`git checkout -- data/` in a "
       "clone of the project) or rebuild data/ (`make data`); if you changed it on purpose, fix the rows above and "
       "refresh the checksums with `python -m cchc_analysis.checksums`.")


def _clear_caches():
    indicators._read_index.cache_clear()
    indicators._read_table.cache_clear()
    checksums._recorded.cache_clear()


def test_committed_checksums_match_the_committed_tables():
    _clear_caches()
    recorded = checksums._recorded(str(DATA))
    assert sorted(recorded) == sorted(checksums.TABLES)
    assert checksums.changed_tables(DATA) == [], (
        "data/ changed without its checksums: run `.venv/bin/python -m cchc_analysis.checksums`")
    pci = (DATA / "indicators" / "pci.csv").read_bytes()
    assert recorded["indicators/pci.csv"][1] == len(pd.read_csv(DATA / "indicators" / "pci.csv")) == checksums._rows(pci)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of the bundled data folder, loaded instead of the real one."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("targets"))
    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    monkeypatch.setattr(config, "bundled_data_dir", lambda: copy)
    _clear_caches()
    yield copy
    _clear_caches()


def edit(path: Path, change) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def load_error(copy: Path, loader=cchc.load_indicators) -> str:
    with pytest.raises(DataIntegrityError) as err:
        loader()
    return str(err.value)


def test_codes_that_lost_their_leading_zero(data_copy):
    # what Excel does to "01".."09" when the CSV is opened and saved
    edit(data_copy / "indicators" / "dti.csv",
         lambda t: "".join(re.sub(r"^(dti,\d+,legacy,)0(\d),", r"\g<1>\2,", line) for line in t.splitlines(True)))
    text = load_error(data_copy)
    assert text.startswith(f"{data_copy}/indicators/dti.csv: 1 problem(s):\n  - rows ")
    assert re.search(r"province codes have lost their leading zero \('(\d)' for '0\1'\): the file was opened and "
                     r"saved by a spreadsheet\n", text)
    assert text.endswith("\n" + FIX)


def test_truncated_file(data_copy):
    path = data_copy / "indicators" / "par.csv"
    raw = path.read_bytes()
    path.write_bytes(raw[: raw.rindex(b",") - 3])  # cut inside the last row
    text = load_error(data_copy)
    rows = raw.count(b"\n")
    assert f"  - row {rows}: the last line is incomplete: the file was cut short\n" in text


def test_duplicate_key_out_of_range_unknown_code_and_component(data_copy):
    path = data_copy / "indicators" / "sipas.csv"
    lines = path.read_text(encoding="utf-8").splitlines(True)
    fields = lines[1].rstrip("\n").split(",")
    high = fields.copy()
    high[6] = "784.4"  # value: a decimal comma read as a thousands separator
    high[1] = "2099"
    unknown = fields.copy()
    unknown[3], unknown[1] = "99", "2098"
    typo = fields.copy()
    typo[5], typo[1] = "overal", "2097"
    path.write_text("".join(lines + [lines[1], ",".join(high) + "\n", ",".join(unknown) + "\n",
                                     ",".join(typo) + "\n"]), encoding="utf-8")
    n = len(lines)
    text = load_error(data_copy)
    assert f"  - row {n + 4}: component 'overal' is not a sipas component in components.csv\n" in text
    assert f"  - row 2: duplicate key (index='sipas', year='{fields[1]}', boundaries='legacy', " \
           f"province_code='{fields[3]}', component='overall'), also on row {n + 1}; keep one row per key\n" in text
    assert f"  - row {n + 2}: sipas/overall value 784.4 outside [0.0, 100.0] (percent); check the column read or " \
           "the decimal separator\n" in text
    assert f"  - row {n + 3}: province_code '99' is not a legacy unit" in text


def test_other_tables_are_checked_too(data_copy):
    edit(data_copy / "sources.csv", lambda t: t + t.splitlines(True)[1])
    text = load_error(data_copy, cchc.load_sources)
    assert text.startswith(f"{data_copy}/sources.csv: 2 problem(s):\n  - row 2: duplicate key (source_id=")


def test_a_valid_table_with_a_stale_checksum_is_used(data_copy):
    expected = cchc.load_indicators("papi")
    _clear_caches()
    edit(data_copy / "indicators" / "papi.csv", lambda t: t.replace("\n", "\r\n"))  # e.g. a Windows checkout
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pd.testing.assert_frame_equal(cchc.load_indicators("papi"), expected)
    (data_copy / "checksums.csv").unlink()  # no checksums at all: every table validated, none refused
    _clear_caches()
    assert len(cchc.load_indicators()) > 39_000 and len(cchc.load_sources()) > 0


def test_valid_but_fewer_rows_warns(data_copy):
    rows = checksums._recorded(str(DATA))["indicators/par.csv"][1]
    edit(data_copy / "indicators" / "par.csv", lambda t: "".join(t.splitlines(True)[:-5]))
    with pytest.warns(MissingRowsWarning, match=rf"indicators/par.csv: {rows - 5} rows where the build wrote {rows}; "
                                                r"if rows were lost, restore the file"):
        assert len(cchc.load_indicators("par")) == rows - 5


def test_checked_once_per_process(data_copy, monkeypatch):
    calls = []
    digest = checksums._digest
    monkeypatch.setattr(checksums, "_digest", lambda raw: calls.append(len(raw)) or digest(raw))
    for _ in range(3):
        cchc.load_indicators()
        cchc.load_sources()
    assert len(calls) == len(INDICES) + 1  # every index table and the sources, each hashed once


def test_write_and_check_from_the_command_line(data_copy, capsys):
    (data_copy / "checksums.csv").unlink()
    assert checksums.main(["--data-dir", str(data_copy), "--check"]) == 1
    assert f"{data_copy}/indicators/par.csv: differs from checksums.csv" in capsys.readouterr().out
    assert checksums.main(["--data-dir", str(data_copy)]) == 0
    assert re.search(r"^indicators/pci\.csv: \d+ rows, sha256 [0-9a-f]{12}$", capsys.readouterr().out, re.M)
    assert (data_copy / "checksums.csv").read_bytes() == (DATA / "checksums.csv").read_bytes()
    assert checksums.main(["--data-dir", str(data_copy), "--check"]) == 0
    assert not [p for p in data_copy.iterdir() if p.name.startswith(".checksums-")], "no temporary file left"
