"""show_table: interactive (itables) in a notebook served by Jupyter, static HTML in batch output."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from cchc_analysis import tables as T


def _frame():
    return pd.DataFrame({
        "province": ["Hà Nội", "Đà Nẵng", None],
        "value": [84.6, 1234.5, np.nan],
        "rank": pd.array([3, None, 12], dtype="Int64"),
        "year": [2023, 2023, 2023],
    })


def test_static_table_uses_the_language_decimal_mark_and_leaves_missing_cells_empty():
    vi = T.static_table_html(_frame(), lang="vi")
    cells = re.findall(r"<td>(.*?)</td>", vi)
    assert cells == ["Hà Nội", "84,60", "3", "2023", "Đà Nẵng", "1234,50", "", "2023", "", "", "12", "2023"]
    assert "<script" not in vi and "<th>province</th>" in vi
    en = T.static_table_html(_frame(), lang="en", float_format="{:.1f}")
    assert re.findall(r"<td>(.*?)</td>", en)[1] == "84.6"


def test_static_table_says_how_many_rows_it_leaves_out():
    html = T.static_table_html(_frame(), lang="vi", max_rows=1, caption="Bảng 1")
    assert html.count("<tr") == 3  # header, one row, the note
    assert '<td colspan="4">… còn 2 dòng</td>' in html and "<caption>Bảng 1</caption>" in html
    assert "… 2 more rows" in T.static_table_html(_frame(), lang="en", max_rows=1)


def _dt_args(html):
    body = html[html.index("let dt_args = ") + len("let dt_args = "):]
    return json.loads(body[: body.index(";\n")])


def test_interactive_table_sorts_numbers_and_shows_them_in_the_language():
    html = T.interactive_table_html(_frame(), lang="vi", page_length=2)
    args = _dt_args(html)
    rows = json.loads(args["data_json"])
    assert rows[0] == ["Hà Nội", 84.6, 3.0, 2023]  # numbers stay numbers: sorting is numeric
    assert rows[2][0] == "" and rows[1][2] == "___NaN___"  # missing: empty text, NaN (shown empty)
    renders = {tuple(d["targets"]): d["render"] for d in args["columnDefs"]}
    assert "'vi-VN'" in renders[(1,)] and "minimumFractionDigits: 2" in renders[(1,)]
    assert "minimumFractionDigits: 0" in renders[(2,)]  # nullable ints (ranks) without decimals
    assert args["language"]["search"] == "Tìm:" and args["pageLength"] == 2
    en = _dt_args(T.interactive_table_html(_frame(), lang="en"))
    assert "language" not in en and "'en-US'" in en["columnDefs"][0]["render"]


def test_interactive_only_when_a_jupyter_server_started_the_kernel(monkeypatch):
    monkeypatch.delenv("CCHC_TABLES", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert T.interactive_default() is False  # papermill, nbconvert, scripts
    monkeypatch.setenv("JPY_SESSION_NAME", "/work/notebooks/x.ipynb")
    assert T.interactive_default() is False  # but no IPython kernel here (pytest)
    monkeypatch.setenv("CCHC_TABLES", "interactive")
    assert T.interactive_default() is True
    monkeypatch.setenv("CCHC_TABLES", "static")
    assert T.interactive_default() is False
    monkeypatch.setenv("CCHC_TABLES", "yes")
    with pytest.raises(ValueError, match="CCHC_TABLES='yes': use 'interactive' or 'static'"):
        T.interactive_default()


def test_show_table_sends_the_bundle_once(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj.data))
    monkeypatch.setattr(T, "_initialised", False)
    T.show_table(_frame(), interactive=True)
    T.show_table(_frame(), interactive=True)
    T.show_table(_frame(), interactive=False)
    bundles = [s for s in shown if "_itables_" in s and "injectModule" in s]
    tables = [s for s in shown if "dt_args" in s]
    assert len(bundles) == 1 and len(tables) == 2  # offline: the DataTables code is sent once per kernel
    assert "<script" not in shown[-1] and "84,60" in shown[-1]
