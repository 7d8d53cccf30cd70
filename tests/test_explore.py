"""The explorer, driven through its widgets as a reader's clicks would, on the bundled data.

Each change of a control must move the chart (what was drawn: the province line, the
highlighted rows), the table (rows, values, ranks against scipy), the CSV download and
the reproducible call (run here: it must draw the same thing).
"""

import base64
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import cchc_analysis as cchc
from cchc_analysis import config
from cchc_analysis.explore import Selection, View, choose_view, selection_table

pytestmark = pytest.mark.skipif(not (config.DATA_DIR / "indicators").is_dir(), reason="bundled data/indicators absent")


@pytest.fixture(autouse=True)
def _close_widgets():
    """Close the widgets a test made (else they are closed at interpreter exit, noisily)."""
    yield
    import ipywidgets

    ipywidgets.Widget.close_all()


@pytest.fixture(scope="module")
def data():
    return cchc.load_indicators()


def _province_line(ax):
    (line,) = [ln for ln in ax.get_lines() if ln.get_gid() == "province"]
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    keep = ~np.isnan(y)
    return x[keep].astype(int).tolist(), y[keep].tolist()


def _run_call(call, data):
    """Evaluate a reproducible call; ``cchc`` is the package, ``data`` the explorer's data."""
    ax = eval(call, {"cchc": cchc, "data": data})  # noqa: S307 - our own generated one-liner
    return ax


def test_widgets_drive_chart_table_download_and_call(data):
    ex = cchc.explore(data, index="pci", provinces=["Da Nang"], interactive_table=False)
    c = ex.controls
    assert ex.selection.provinces == ("Đà Nẵng",)  # any spelling in, the registry name out
    assert ex.view.name == "trend" and ex.message == ""
    years, values = _province_line(ex.axes)
    mine = ex.table
    assert set(mine["province"]) == {"Đà Nẵng"} and set(mine["index"]) == {"pci"}
    assert years == mine["year"].tolist() and values == pytest.approx(mine["value"].tolist())
    assert ex.png.startswith(b"\x89PNG")
    # the real figure: PCI 2014, Đà Nẵng first with 66.87 (the example of load_indicators)
    row = mine[mine["year"] == 2014].iloc[0]
    assert (row["value"], row["rank"], row["rank_basis"]) == (pytest.approx(66.87, abs=0.005), 1, "published")

    # change the index: component choices, years, table and figure follow
    c["index"].value = "papi"
    assert ex.selection.index == "papi" and ex.selection.years == (2011, 2024)
    assert "overall" in [v for _l, v in c["component"].options] and len(c["component"].options) > 5
    assert set(ex.table["index"]) == {"papi"} and ex.table["year"].min() == 2011
    years, values = _province_line(ex.axes)
    papi = data[(data["index"] == "papi") & (data["component"] == "overall") & (data["province_code"] == "48")]
    assert years == sorted(papi["year"]) and values == pytest.approx(papi.sort_values("year")["value"].tolist())
    assert ex.axes.get_title(loc="left") == "Đà Nẵng: PAPI"

    # change the provinces (typed spellings): a heatmap with both rows outlined
    c["provinces"].value = ["Ha Noi", "TP HCM"]
    assert list(c["provinces"].value) == ["Hà Nội", "TP. Hồ Chí Minh"]
    assert ex.view.name == "heatmap"
    outlined = [p for p in ex.axes.patches if p.get_gid() == "highlight"]
    bold = [t.get_text() for t in ex.axes.get_yticklabels() if t.get_fontweight() == "bold"]
    assert len(outlined) == 2 and sorted(bold) == ["Hà Nội", "TP. Hồ Chí Minh"]
    assert list(dict.fromkeys(ex.table["province"])) == ["Hà Nội", "TP. Hồ Chí Minh"]

    # the download is the table, with source ids that resolve, as a data: URI
    link = ex._download.value
    payload = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', link).group(1)
    text = base64.b64decode(payload).decode("utf-8-sig")
    assert text == ex.csv and 'download="cchc-papi-score-2011-2024-legacy.csv"' in link
    csv = pd.read_csv(__import__("io").StringIO(text))
    assert len(csv) == len(ex.table) and csv["source_id"].notna().all()
    assert set(csv["source_id"]) <= set(cchc.load_sources()["source_id"])
    assert csv["source_url"].str.startswith("http").all()

    # the one-line calls draw / return the same
    assert ex.calls["chart"].startswith("cchc.plot_heatmap(") and "highlight=['Hà Nội', 'TP. Hồ Chí Minh']" in ex.calls["chart"]
    ax = _run_call(ex.calls["chart"], data)
    assert [t.get_text() for t in ax.get_yticklabels()] == [t.get_text() for t in ex.axes.get_yticklabels()]
    pd.testing.assert_frame_equal(_run_call(ex.calls["table"], data), ex.table)
    assert "cchc.plot_heatmap(" in ex._call.value and "import cchc_analysis as cchc" in ex._call.value


def test_rank_and_percentile_measures(data):
    ex = cchc.explore(data, index="papi", provinces=["Hà Nội", "Đà Nẵng"], interactive_table=False)
    ex.controls["measure"].value = "rank"
    assert ex.view.name == "ranks"
    labels = [ln.get_label() for ln in ex.axes.get_lines() if ln.get_gid() == "highlight"]
    assert labels == ["Hà Nội", "Đà Nẵng"]
    # PAPI prints no ranks: ranked from the scores of all 63 provinces (competition ranking)
    year = 2015
    table = data[(data["index"] == "papi") & (data["component"] == "overall") & (data["year"] == year)]
    expected = stats.rankdata(-table["value"].round(9).to_numpy(), method="min")
    want = dict(zip(table["province_code"], expected))
    got = ex.table[ex.table["year"] == year]
    assert got["rank"].tolist() == [want["01"], want["48"]]
    assert set(got["rank_basis"]) == {"computed from scores"} and set(got["n_scores"]) == {len(table)}

    ex.controls["measure"].value = "percentile"
    assert ex.view is None and "một tỉnh" in ex.message  # two provinces: no percentile chart
    got = ex.table[ex.table["year"] == year].set_index("province_code")["percentile"]
    scores = table.set_index("province_code")["value"]
    assert got["48"] == pytest.approx(stats.percentileofscore(scores, scores["48"], kind="weak"))
    ex.controls["provinces"].value = ["Đà Nẵng"]
    assert ex.view.name == "profile" and ex.calls["chart"].startswith("cchc.plot_profile(data, province='Đà Nẵng'")


def test_partial_tables_get_no_percentile(data):
    table = selection_table(data, index="par", measure="score", boundaries="legacy")
    assert len(table) and table["percentile"].isna().all()  # PAR Index: only partial tables are public
    assert (table["n_scores"] < 57).all()


def test_boundaries_move_old_provinces_to_their_2025_unit(data):
    ex = cchc.explore(data, index="dti", provinces=["Quảng Nam"], lang="en", interactive_table=False)
    ex.controls["boundaries"].value = "2025"
    assert ex.selection.provinces == ("Đà Nẵng",) and "Quảng Nam → Đà Nẵng" in ex.message
    assert set(ex.table["boundaries"]) == {"2025"} and set(ex.table["year"]) == {2024}
    assert ex.axes is not None and "Da Nang" in ex.axes.get_title(loc="left")  # English labels


def test_a_view_from_a_plain_plot_function(data):
    seen = {}

    def plot_dots(data, *, index, year, highlight=(), lang="vi", ax=None):
        seen.update(index=index, year=year, highlight=highlight, lang=lang, rows=len(data))
        fig, ax = plt.subplots()
        ax.plot([1, 2], [3, 4])
        return ax

    ex = cchc.explore(data, index="pci", years=(2010, 2015), provinces=["Hà Nội"], views={"dots": plot_dots},
                      chart="dots", interactive_table=False)
    assert ex.view.name == "dots"
    assert seen == {"index": "pci", "year": 2015, "highlight": ["Hà Nội"], "lang": "vi",
                    "rows": int(((data["index"] == "pci") & (data["component"] == "overall")
                                 & (data["boundaries"] == "legacy")).sum())}
    assert ex.calls["chart"].endswith("plot_dots(data, index='pci', year=2015, highlight=['Hà Nội'], lang='vi')")
    assert "dots" in [v for _l, v in ex.controls["chart"].options]


def test_bad_choices_say_what_to_do(data):
    with pytest.raises(ValueError, match=r"chart='heatmapp'.*did you mean 'heatmap'"):
        cchc.explore(data, chart="heatmapp")
    with pytest.raises(cchc.UnknownProvinceError, match="Quảng Nam"):
        cchc.explore(data, provinces=["Quang Nham"])
    with pytest.raises(ValueError, match="measure='points'"):
        Selection(measure="points")
    view, reason = choose_view(Selection(chart="trend", provinces=("Hà Nội", "Huế")))
    assert view is None and "một tỉnh" in reason
    assert isinstance(cchc.explore.__call__, object) and callable(cchc.explore)
    assert View("x", plt.plot).title("en") == "x"
