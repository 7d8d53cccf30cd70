"""Chart functions: what was drawn (lines, labels, colours, captions), in both languages.

Synthetic frames are built here (and with tests/synthetic.py); one test per chart type
draws from the bundled real data and saves it, skipped only when data/indicators is absent.
"""

import warnings
import xml.etree.ElementTree as ET

import matplotlib
import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from cchc_analysis import config, plots as P, style as S
from cchc_analysis.labels import STATUS_WORDS
from cchc_analysis.provinces import province_table, region_names

try:
    from synthetic import synthetic_breaks, synthetic_panel
except ImportError:  # pragma: no cover - run from the project root as a package
    from tests.synthetic import synthetic_breaks, synthetic_panel

HIGHLIGHT = to_hex(S.HIGHLIGHT)
YEARS = range(2015, 2021)
_INDEX_SETUP = {  # index: (start, trend, noise, unit, ranks, publisher vi, publisher en)
    "par": (80.0, 0.5, 2.0, "percent", "compute", "Bộ Nội vụ", "MOHA"),
    "sipas": (82.0, 0.4, 2.0, "percent", "compute", "Bộ Nội vụ", "MOHA"),
    "papi": (42.0, 0.3, 1.0, "score", None, "CECODES/UNDP", "CECODES/UNDP"),
    "pci": (60.0, 0.5, 1.5, "score", "compute", "VCCI", "VCCI"),
    "dti": (0.45, 0.02, 0.03, "index_0_1", "compute", "Bộ TT&TT", "MIC"),
}


def synthetic_indicator_table(indices=("par", "sipas", "papi", "pci", "dti"), years=YEARS) -> pd.DataFrame:
    """63 provinces x years for each index, with a source id per index and year."""
    frames = []
    for k, index in enumerate(indices):
        start, trend, noise, unit, ranks, _vi, _en = _INDEX_SETUP[index]
        f = synthetic_panel(index=index, years=years, start=start, trend=trend, noise=noise, unit=unit, ranks=ranks, seed=10 + k)
        f["source_id"] = [f"synthetic-{index}-{y}" for y in f["year"]]
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def synthetic_sources_for(data: pd.DataFrame) -> pd.DataFrame:
    """A sources table for every source id of ``data`` ("VCCI, PCI 2019" style)."""
    ids = sorted(data["source_id"].dropna().unique())
    rows = []
    for sid in ids:
        _s, index, year = sid.split("-")
        vi, en = _INDEX_SETUP[index][5], _INDEX_SETUP[index][6]
        rows.append((sid, f"{vi}, {index.upper()} {year}", f"{en}, {index.upper()} {year}"))
    return pd.DataFrame(rows, columns=["source_id", "short_citation_vi", "short_citation_en"])


def synthetic_assessment() -> pd.DataFrame:
    """Rows in the layout of assess_targets(): three scales (rank, %, score)."""
    rows = [
        ("par", "rank", "top", 20.0, "rank", 2025, 33.0, "off track", "PAR Index thuộc nhóm 20 tỉnh dẫn đầu", "PAR Index in the top 20"),
        ("pci", "rank", "top", 15.0, "rank", 2020, 9.0, "met", "PCI thuộc nhóm 15 tỉnh dẫn đầu", "PCI in the top 15"),
        ("sipas", "value", ">=", 85.0, "%", 2020, 86.2, "met", "Chỉ số hài lòng SIPAS đạt trên 85%", "SIPAS above 85%"),
        (None, None, ">=", 50.0, "%", 2020, np.nan, "not measurable", "Hồ sơ trực tuyến toàn trình đạt 50%", "Full online applications at 50%"),
        ("papi", "value", ">=", 45.0, "score", 2020, 43.1, "not met", "Điểm PAPI đạt 45", "PAPI score of 45"),
        ("sipas", "value", ">", 60.0, "%", 2015, np.nan, "no data", "Mức độ hài lòng trên 60%", "Satisfaction above 60%"),
    ]
    frame = pd.DataFrame(rows, columns=["metric_index", "metric_field", "comparator", "target_value", "unit", "deadline",
                                        "actual", "status", "indicator_vi", "indicator_en"])
    frame.insert(0, "target_id", [f"synthetic-{i}" for i in range(1, len(frame) + 1)])
    frame["province_code"], frame["province"] = "49", "Quảng Nam"
    frame["deadline"] = pd.array(frame["deadline"], dtype="Int64")
    frame["source_id"] = [f"synthetic-{i}-2020" if isinstance(i, str) and a == a else None for i, a in zip(frame["metric_index"], frame["actual"])]
    return frame


@pytest.fixture(scope="module")
def data():
    return synthetic_indicator_table()


@pytest.fixture(scope="module")
def sources(data):
    return synthetic_sources_for(data)


@pytest.fixture(autouse=True)
def _house_style():
    with S.use_style():
        yield


def lines_by_gid(ax, gid):
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def legend_texts(ax):
    legend = ax.get_legend()
    return [t.get_text().replace("\n", " ") for t in legend.get_texts()] if legend else []


def glyph_warnings(records):
    return [str(w.message) for w in records if "Glyph" in str(w.message) or "missing from" in str(w.message)]


# --- plot_trend -----------------------------------------------------------------------


@pytest.mark.parametrize("lang, name, year_label, region", [
    ("vi", "Thừa Thiên Huế", "Năm", "Bắc Trung Bộ và duyên hải miền Trung"),
    ("en", "Thua Thien Hue", "Year", "North Central and Central Coast"),
])
def test_trend_draws_province_median_band_and_caption(data, sources, lang, name, year_label, region):
    ax = P.plot_trend(data, province="Thừa Thiên Huế", index="pci", breaks=False, sources=sources, lang=lang)
    mine = data[(data["index"] == "pci") & (data["province_code"] == "46")].sort_values("year")
    (line,) = lines_by_gid(ax, "province")
    assert to_hex(line.get_color()) == HIGHLIGHT
    assert line.get_label() == name
    np.testing.assert_allclose(line.get_xdata(), mine["year"])
    np.testing.assert_allclose(line.get_ydata(), mine["value"])
    (median,) = lines_by_gid(ax, "national-median")
    pci = data[data["index"] == "pci"]
    np.testing.assert_allclose(median.get_ydata(), pci.groupby("year")["value"].median().to_numpy())
    band = [c for c in ax.collections if c.get_gid() == "region-band"]
    assert len(band) == 1
    assert ax.get_xlabel() == year_label
    assert ax.get_ylabel() == ("Điểm" if lang == "vi" else "Score")
    assert ax.get_title(loc="left") == f"{name}: PCI"
    texts = legend_texts(ax)
    assert texts[0] == name and any(region in t for t in texts)
    assert S.get_caption(ax) == ("Nguồn: VCCI, PCI 2015–2020" if lang == "vi" else "Source: VCCI, PCI 2015–2020")
    assert "Thừa Thiên Huế" in S.get_alt_text(ax) or "Thua Thien Hue" in S.get_alt_text(ax)


def test_trend_band_is_the_region_iqr_or_range(data, sources):
    pci = data[data["index"] == "pci"].copy()
    codes = province_table().set_index("code")["region"]
    region = pci[pci["province_code"].map(codes) == "north_central_coast"]
    for band, lo_f, hi_f in (("iqr", lambda s: s.quantile(0.25), lambda s: s.quantile(0.75)), ("minmax", min, max)):
        ax = P.plot_trend(data, province="Quảng Nam", index="pci", band=band, breaks=False, sources=sources)
        (poly,) = [c for c in ax.collections if c.get_gid() == "region-band"]
        verts = poly.get_paths()[0].vertices
        at_2017 = sorted({round(y, 9) for x, y in verts if abs(x - 2017) < 1e-9})
        values = region[region["year"] == 2017]["value"]
        assert at_2017 == pytest.approx(sorted([lo_f(values), hi_f(values)]))
        plt.close("all")


def test_trend_target_line_and_deadline(data, sources):
    ax = P.plot_trend(data, province="Quảng Nam", index="pci", target=70, deadline=2025, breaks=False, sources=sources, lang="vi")
    (target,) = lines_by_gid(ax, "target")
    assert list(target.get_ydata()) == [70, 70] and target.get_xdata()[-1] == 2025
    assert to_hex(target.get_color()) == to_hex(S.TARGET)
    (deadline,) = lines_by_gid(ax, "target-deadline")
    assert list(deadline.get_xdata()) == [2025] and list(deadline.get_ydata()) == [70]
    assert ax.get_xlim()[1] >= 2025
    assert "Mục tiêu 2025" in legend_texts(ax)


def test_trend_target_band_and_rank_target_from_an_assessment_row(data, sources):
    ax = P.plot_trend(data, province="Quảng Nam", index="pci", target=(62, 66), deadline=2022, breaks=False, sources=sources)
    assert [c for c in ax.collections if c.get_gid() == "target"]
    plt.close("all")
    row = synthetic_assessment().iloc[1]  # PCI in the top 15 by 2020, a rank target
    ax = P.plot_trend(data, province="Quảng Nam", index="pci", measure="rank", target=row, breaks=False, sources=sources, lang="en")
    (band,) = [c for c in ax.collections if c.get_gid() == "target"]
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(1) and ys.max() == pytest.approx(15)
    assert ax.get_ylim()[0] > ax.get_ylim()[1], "rank 1 is at the top"
    assert not lines_by_gid(ax, "national-median"), "the median rank says nothing: not drawn for ranks"
    assert "Target for 2020" in legend_texts(ax)
    with pytest.raises(ValueError, match="the target is about 'rank' but measure='value'"):
        P.plot_trend(data, province="Quảng Nam", index="pci", target=row, breaks=False, sources=sources)


def test_trend_shows_breaks_as_a_gap_and_a_marker(data, sources):
    breaks = synthetic_breaks([{"index": "pci", "component": "*", "year": 2018, "kind": "method", "description": "synthetic"}])
    for lang, word in (("vi", "Gián đoạn chuỗi số liệu"), ("en", "Series break (not comparable)")):
        ax = P.plot_trend(data, province="Quảng Nam", index="pci", breaks=breaks, sources=sources, lang=lang)
        for gid in ("province", "national-median"):
            (line,) = lines_by_gid(ax, gid)
            x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
            gap = np.flatnonzero(np.isnan(y))
            assert len(gap) == 1 and x[gap[0]] == 2017.5, "the line stops between 2017 and 2018"
        (vline,) = lines_by_gid(ax, "series-break")
        assert list(vline.get_xdata()) == [2017.5, 2017.5]
        assert lines_by_gid(ax, "series-break-marker")
        assert word in legend_texts(ax)
        plt.close("all")


def test_trend_median_needs_coverage(data, sources):
    thin = data[~((data["year"] == 2016) & (data["province_code"].astype(int) > 30))]  # 2016 covers ~40% of provinces
    ax = P.plot_trend(thin, province="Hà Nội", index="pci", breaks=False, sources=sources)
    (median,) = lines_by_gid(ax, "national-median")
    x, y = np.asarray(median.get_xdata(), float), np.asarray(median.get_ydata(), float)
    assert not np.isfinite(y[x == 2016]).any(), "no median for 2016"
    assert np.isnan(y).sum() == 1, "and the line stops there instead of joining 2015 to 2017"


def test_trend_errors_name_the_argument(data, sources):
    with pytest.raises(ValueError, match=r"index='gdp' does not appear in `data`; available: \['dti', 'papi'"):
        P.plot_trend(data, province="Quảng Nam", index="gdp", breaks=False)
    with pytest.raises(ValueError, match="component='nope'"):
        P.plot_trend(data, province="Quảng Nam", index="pci", component="nope", breaks=False)
    with pytest.raises(KeyError, match="Did you mean"):
        P.plot_trend(data, province="Quang Nham", index="pci", breaks=False)
    with pytest.raises(ValueError, match="lacks column"):
        P.plot_trend(data.drop(columns=["rank"]), province="Quảng Nam", index="pci", breaks=False)
    with pytest.raises(ValueError, match="lang must be"):
        P.plot_trend(data, province="Quảng Nam", index="pci", breaks=False, lang="fr")


# --- plot_rank_bump -------------------------------------------------------------------


def test_rank_bump_highlights_and_puts_rank_one_on_top(data, sources):
    ax = P.plot_rank_bump(data, index="pci", highlight=["Quảng Nam", "Đắk Lắk"], breaks=False, sources=sources, lang="vi")
    hot = lines_by_gid(ax, "highlight")
    assert [line.get_label() for line in hot] == ["Quảng Nam", "Đắk Lắk"]
    assert [to_hex(line.get_color()) for line in hot] == [HIGHLIGHT, to_hex(S.HIGHLIGHTS[1])]
    context = lines_by_gid(ax, "context")
    assert len(context) == 61 and {to_hex(c.get_color()) for c in context} == {to_hex(S.CONTEXT)}
    bottom, top = ax.get_ylim()
    assert top < 1 < 63 <= bottom, "rank 1 at the top, 63 at the bottom"
    pci = data[(data["index"] == "pci") & (data["province_code"] == "49")].sort_values("year")
    np.testing.assert_allclose(hot[0].get_ydata(), pci["rank"].astype(float))
    ends = [t.get_text() for t in ax.texts if t.get_gid() == "end-label"]
    assert ends == ["Quảng Nam", "Đắk Lắk"]
    assert ax.get_ylabel() == "Thứ hạng (1 = cao nhất)"
    assert ax.get_title(loc="left") == "PCI: thứ hạng các tỉnh, 2015–2020"


def test_rank_bump_ranks_scores_when_none_are_published(data, sources):
    ax = P.plot_rank_bump(data, index="papi", highlight="Hòa Bình", breaks=False, sources=sources, lang="en")
    papi = data[(data["index"] == "papi") & (data["year"] == 2020)]
    expected = papi["value"].rank(ascending=False, method="min")[papi["province_code"] == "17"].iloc[0]
    (line,) = lines_by_gid(ax, "highlight")
    assert line.get_ydata()[-1] == expected and line.get_label() == "Hoa Binh"
    assert S.get_caption(ax) == ("Source: CECODES/UNDP, PAPI 2015–2020\nPAPI: unweighted total of the dimension scores; "
                                 "PAPI publishes no ranks, ranks computed from the scores (ties share a rank)")


# --- plot_heatmap ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_heatmap_rows_grouped_by_region_and_sorted(data, sources, lang):
    ax = P.plot_heatmap(data, index="pci", highlight="Bà Rịa - Vũng Tàu", breaks=False, sources=sources, lang=lang)
    table = province_table()
    name_col = "name" if lang == "vi" else "name_en"
    region_of = dict(zip(table[name_col], table["region"]))
    code_of = dict(zip(table[name_col], table["code"]))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 63
    regions = [region_of[name] for name in labels]
    order = list(region_names())
    assert regions == sorted(regions, key=order.index), "provinces grouped by region, in registry order"
    latest = data[(data["index"] == "pci") & (data["year"] == 2020)].set_index("province_code")["rank"]
    for region in order:
        ranks = [latest[code_of[n]] for n, r in zip(labels, regions) if r == region]
        assert ranks == sorted(ranks), f"{region}: best rank first"
    headers = [t.get_text() for t in ax.texts if t.get_gid() == "region-header"]
    assert headers == list(region_names(lang).values())
    assert len(lines_by_gid(ax, "region-separator")) == 5
    hot = [t for t in ax.get_yticklabels() if t.get_color() == S.HIGHLIGHT]
    assert [t.get_text() for t in hot] == ["Bà Rịa - Vũng Tàu" if lang == "vi" else "Ba Ria - Vung Tau"]
    assert [p for p in ax.patches if p.get_gid() == "highlight"]
    mesh = ax.collections[0]
    assert mesh.get_array().shape == (63 + 6, 6)
    assert len(ax.child_axes) == 1, "the colour bar is an inset beside the grid"
    assert S.get_caption(ax).startswith("Nguồn: VCCI, PCI 2015–2020" if lang == "vi" else "Source: VCCI, PCI 2015–2020")


def test_heatmap_marks_missing_cells_and_breaks(data, sources):
    thin = data[~((data["index"] == "pci") & (data["year"] == 2016) & (data["province_code"] == "01"))]
    breaks = synthetic_breaks([{"index": "pci", "component": "*", "year": 2018, "kind": "method", "description": "synthetic"}])
    ax = P.plot_heatmap(thin, index="pci", measure="value", breaks=breaks, sources=sources, lang="vi")
    (line,) = lines_by_gid(ax, "series-break")
    assert line.get_xdata()[0] == 2.5  # between the 2017 and 2018 columns
    caption = S.get_caption(ax)
    assert "Ô xám: không có số liệu" in caption and "gián đoạn chuỗi số liệu (2018)" in caption


# --- plot_target_gaps -----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_target_gaps_one_panel_per_scale_coloured_by_status(data, sources, lang):
    targets = synthetic_assessment()
    axes = P.plot_target_gaps(targets, sources=synthetic_sources_for(data), lang=lang)
    assert isinstance(axes, np.ndarray) and len(axes) == 3, "rank, % and score panels"
    rank_ax = axes[0]
    left, right = rank_ax.get_xlim()
    assert left > right and right < 1 and left > 63, "rank panel: 63 on the left, 1 on the right"
    drawn_status = []
    for ax in axes:
        actual = lines_by_gid(ax, "actual")
        status = [t.get_text() for t in ax.texts if t.get_gid() == "status"]
        drawn_status += status
        words = {STATUS_WORDS[s][lang]: s for s in STATUS_WORDS}
        with_actual = [words[w] for w in status if words[w] not in ("no data", "not measurable")]
        assert [to_hex(line.get_color()) for line in actual] == [to_hex(S.STATUS_COLOURS[s]) for s in with_actual]
    assert drawn_status == [STATUS_WORDS[s][lang] for s in ("off track", "met", "met", "not measurable", "no data", "not met")]
    targets_x = [line.get_xdata()[0] for ax in axes for line in lines_by_gid(ax, "target")]
    assert targets_x == [20, 15, 85, 50, 60, 45]
    assert sum(len(lines_by_gid(ax, "actual")) for ax in axes) == 4, "no dot without a result"
    labels = [t.get_text().replace("\n", " ") for ax in axes for t in ax.get_yticklabels()]
    column = f"indicator_{lang}"
    in_panels = targets.iloc[[0, 1, 2, 3, 5, 4]]  # rank panel, then %, then score
    assert labels == [f"{t} ({d})" for t, d in zip(in_panels[column], in_panels["deadline"])]
    assert axes[0].get_title(loc="left") == ("Mục tiêu và kết quả: Quảng Nam" if lang == "vi" else "Targets and results: Quang Nam")
    assert S.get_caption(axes[-1]).startswith("Nguồn: " if lang == "vi" else "Sources: ")


def test_target_gaps_axes_argument(data):
    targets = synthetic_assessment()
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"3 scale\(s\) \['rank', '%', 'score'\], which need 3 Axes; got 1"):
        P.plot_target_gaps(targets, ax=ax, caption=False)
    only_ranks = targets[targets["unit"] == "rank"]
    (drawn,) = P.plot_target_gaps(only_ranks, ax=ax, caption=False)
    assert drawn is ax
    with_baseline = pd.concat([targets.assign(kind="target"), targets.iloc[:1].assign(kind="baseline")], ignore_index=True)
    axes = P.plot_target_gaps(with_baseline, caption=False)
    assert sum(len(a.get_yticklabels()) for a in axes) == len(targets), "baselines are left out"


# --- plot_index_scatter ---------------------------------------------------------------


def test_index_scatter_labels_do_not_overlap_and_highlight_is_coloured(data, sources):
    ax = P.plot_index_scatter(data, x="pci", y="papi", year=2020, highlight="Quảng Nam", sources=sources, lang="vi")
    (hot,) = [c for c in ax.collections if c.get_gid() == "highlight"]
    assert to_hex(hot.get_facecolor()[0]) == HIGHLIGHT
    pci = data[(data["index"] == "pci") & (data["year"] == 2020)].set_index("province_code")["value"]
    papi = data[(data["index"] == "papi") & (data["year"] == 2020)].set_index("province_code")["value"]
    np.testing.assert_allclose(hot.get_offsets()[0], [pci["49"], papi["49"]])
    (rest,) = [c for c in ax.collections if c.get_gid() == "context"]
    assert len(rest.get_offsets()) == 62
    labels = [t for t in ax.texts if t.get_gid() == "province-label"]
    assert len(labels) == 63 and "Quảng Nam" in [t.get_text() for t in labels]
    fig = ax.get_figure()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    overlaps = sum(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))
    assert overlaps == 0
    # the same coefficient as index_correlations() (Spearman by default), named on the chart
    from scipy import stats as sps

    rho = sps.spearmanr(pci.sort_index(), papi.sort_index()).statistic
    (corr,) = [t for t in ax.texts if t.get_gid() == "correlation"]
    assert corr.get_text() == f"Spearman ρ = {rho:.2f} (n = 63)".replace(".", ",").replace("-", "\u2212")
    r = np.corrcoef(pci.sort_index(), papi.sort_index())[0, 1]
    ax2 = P.plot_index_scatter(data, x="pci", y="papi", year=2020, method="pearson", labels=None, sources=sources, lang="en")
    (corr2,) = [t for t in ax2.texts if t.get_gid() == "correlation"]
    assert corr2.get_text() == f"Pearson r = {r:.2f} (n = 63)".replace("-", "\u2212")
    assert "Pearson r" in S.get_alt_text(ax2)
    assert ax.get_xlabel() == "PCI – điểm" and ax.get_ylabel() == "PAPI – điểm (tổng không trọng số)"
    assert S.get_caption(ax) == "Nguồn: CECODES/UNDP, PAPI 2020; VCCI, PCI 2020"


def test_index_scatter_in_english_and_errors(data, sources):
    ax = P.plot_index_scatter(data, x="dti", y="par", year=2019, labels="highlight", highlight="Đắk Lắk", sources=sources, lang="en")
    assert [t.get_text() for t in ax.texts if t.get_gid() == "province-label"] == ["Dak Lak"]
    assert ax.get_title(loc="left") == "DTI and PAR Index, 2019"
    assert ax.get_xlabel() == "DTI – score (0–1)" and ax.get_ylabel() == "PAR Index – per cent"
    with pytest.raises(ValueError, match="year=2030 must be in both series"):
        P.plot_index_scatter(data, x="pci", y="papi", year=2030)


# --- plot_profile ---------------------------------------------------------------------


@pytest.mark.parametrize("lang, rank_text", [("vi", "hạng {r}/63"), ("en", "rank {r} of 63")])
def test_profile_shows_percentiles_across_the_indices(data, sources, lang, rank_text):
    ax = P.plot_profile(data, province="Thừa Thiên Huế", sources=sources, lang=lang)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["PAR Index 2020", "SIPAS 2020", "PAPI 2020", "PCI 2020", "DTI 2020"]
    dots = lines_by_gid(ax, "highlight")
    assert len(dots) == 5 and {to_hex(d.get_color()) for d in dots} == {HIGHLIGHT}
    pci = data[(data["index"] == "pci") & (data["year"] == 2020)].set_index("province_code")["rank"]
    r = int(pci["46"])
    assert dots[3].get_xdata()[0] == pytest.approx(100 * (63 - r) / 62)
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "rank-label"]
    assert labels[3] == rank_text.format(r=r)
    assert ax.get_xlabel() == ("Bách phân vị (100 = tốt nhất)" if lang == "vi" else "Percentile (100 = best)")
    assert len(lines_by_gid(ax, "context")) == 5


def test_profile_marks_missing_indices(data, sources):
    no_dti = data[~((data["index"] == "dti") & (data["province_code"] == "46"))]
    ax = P.plot_profile(no_dti, province="Thừa Thiên Huế", measure="rank", year=2019, sources=sources, lang="vi")
    assert [t.get_text() for t in ax.texts if t.get_gid() == "no-data"] == ["không có số liệu"]
    assert len(lines_by_gid(ax, "highlight")) == 4
    assert ax.get_xlim()[0] > ax.get_xlim()[1], "rank axis: 1 on the right"


# --- plot_region_distribution ---------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_region_distribution_boxes_dots_and_highlight(data, sources, lang):
    ax = P.plot_region_distribution(data, index="pci", year=2020, highlight="Hòa Bình", sources=sources, lang=lang)
    boxes = [p for p in ax.patches if p.get_gid() == "box"]
    assert len(boxes) == 6
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert ticks == list(region_names(lang).values())
    (dots,) = [c for c in ax.collections if c.get_gid() == "context"]
    assert len(dots.get_offsets()) == 63
    (hot,) = [c for c in ax.collections if c.get_gid() == "highlight"]
    assert to_hex(hot.get_facecolor()[0]) == HIGHLIGHT
    value = data[(data["index"] == "pci") & (data["year"] == 2020) & (data["province_code"] == "17")]["value"].iloc[0]
    assert hot.get_offsets()[0][0] == pytest.approx(value)
    assert hot.get_offsets()[0][1] == 1, "Hòa Bình sits on the Northern Midlands row"
    (median,) = lines_by_gid(ax, "national-median")
    pci = data[(data["index"] == "pci") & (data["year"] == 2020)]["value"]
    assert median.get_xdata()[0] == pytest.approx(pci.median())
    label = [t.get_text() for t in ax.texts if t.get_gid() == "highlight-label"]
    assert label == ["Hòa Bình" if lang == "vi" else "Hoa Binh"]


# --- all charts: Vietnamese text draws without missing glyphs -------------------------


def _draw_all_synthetic(data, sources, lang):
    yield P.plot_trend(data, province="Thừa Thiên Huế", index="pci", target=70, deadline=2022, breaks=False, sources=sources, lang=lang)
    yield P.plot_rank_bump(data, index="pci", highlight=["Đắk Lắk", "Bà Rịa - Vũng Tàu"], breaks=False, sources=sources, lang=lang)
    yield P.plot_heatmap(data, index="papi", highlight="Hòa Bình", breaks=False, sources=sources, lang=lang)
    yield P.plot_target_gaps(synthetic_assessment(), sources=sources, lang=lang)
    yield P.plot_index_scatter(data, x="pci", y="papi", year=2020, labels="highlight", highlight="Thừa Thiên Huế", sources=sources, lang=lang)
    yield P.plot_profile(data, province="Đắk Lắk", sources=sources, lang=lang)
    yield P.plot_region_distribution(data, index="dti", year=2020, highlight="Bà Rịa - Vũng Tàu", sources=sources, lang=lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_missing_glyph_warnings_in_any_chart(data, sources, lang):
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        for drawn in _draw_all_synthetic(data, sources, lang):
            ax = drawn[0] if isinstance(drawn, np.ndarray) else drawn
            ax.get_figure().canvas.draw()
            plt.close(ax.get_figure())
    assert glyph_warnings(records) == []
    assert not [w for w in records if issubclass(w.category, UserWarning) and "layout" in str(w.message).lower()]


# --- every chart type from the bundled real data --------------------------------------

REAL_DATA = config.DATA_DIR / "indicators"
needs_real_data = pytest.mark.skipif(
    not REAL_DATA.is_dir(), reason=f"bundled indicator data not found at {REAL_DATA} (the data/indicators folder ships with the repository)"
)


def _real_chart(kind, lang):
    import cchc_analysis

    data = cchc_analysis.load_indicators()
    if kind == "trend":
        return P.plot_trend(data, province="Quảng Nam", index="pci", target=65, deadline=2025, lang=lang)
    if kind == "rank_bump":
        return P.plot_rank_bump(data, index="papi", highlight=["Hòa Bình", "Thừa Thiên Huế"], lang=lang)
    if kind == "heatmap":
        return P.plot_heatmap(data, index="dti", highlight="Đắk Lắk", boundaries="legacy", lang=lang)
    if kind == "target_gaps":
        from cchc_analysis.targets import targets_dir

        if not (targets_dir() / "targets.csv").is_file():
            pytest.skip(f"bundled targets not found at {targets_dir()} (needed for the target-gap chart)")
        assessed = cchc_analysis.assess_targets(cchc_analysis.load_targets(), data)
        return P.plot_target_gaps(assessed, province="Quảng Nam", lang=lang)
    if kind == "index_scatter":
        return P.plot_index_scatter(data, x="pci", y="papi", year=2019, highlight="Quảng Nam", lang=lang)
    if kind == "profile":
        return P.plot_profile(data, province="Nghệ An", lang=lang)
    if kind == "region_distribution":
        return P.plot_region_distribution(data, index="pci", year=2019, highlight="Bà Rịa - Vũng Tàu", lang=lang)
    raise AssertionError(kind)


@needs_real_data
@pytest.mark.parametrize("kind, lang", [
    ("trend", "vi"), ("rank_bump", "en"), ("heatmap", "vi"), ("target_gaps", "vi"),
    ("index_scatter", "en"), ("profile", "vi"), ("region_distribution", "en"),
])
def test_each_chart_from_bundled_data_renders_and_reopens(tmp_path, kind, lang):
    from pypdf import PdfReader

    from cchc_analysis.export import save_figure

    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        drawn = _real_chart(kind, lang)
        width = "double" if kind in ("heatmap", "target_gaps", "index_scatter") else "single"
        paths = save_figure(drawn, f"real_{kind}_{lang}", out_dir=tmp_path, width=width)
    assert glyph_warnings(records) == []
    ax = drawn[-1] if isinstance(drawn, np.ndarray) else drawn
    caption = S.get_caption(ax)
    assert caption.startswith("Nguồn: " if lang == "vi" else ("Source: ", "Sources: "))
    image = matplotlib.image.imread(paths["png"])
    assert image.ndim == 3 and abs(image.shape[1] - (17 if width == "double" else 8.5) / 2.54 * 300) < 1.5  # 300 dpi
    root = ET.parse(paths["svg"]).getroot()
    texts = "".join(root.itertext())
    assert caption.splitlines()[0][:20] in texts, "SVG keeps text as text"
    assert paths["pdf"].read_bytes()[:5] == b"%PDF-"
    assert len(PdfReader(paths["pdf"]).pages) == 1
    assert paths["txt"].read_text(encoding="utf-8").startswith("caption: " + caption.splitlines()[0])


# --- issue 17: what the reader is told (items 2, 6, 12, 16) ----------------------------


def test_item16_region_band_survives_one_missing_province_and_gaps_stay_gaps(data, sources):
    # Red River Delta has 11 provinces (Hà Tây, dissolved in 2008, is not one of them after 2008)
    table = province_table(include_ha_tay=True)
    rrd = sorted(table.loc[(table["region"] == "red_river_delta") & (table["code"] != "28"), "code"])
    assert len(rrd) == 11
    thin = data[~((data["index"] == "pci") & (data["year"] == 2017) & (data["province_code"] == rrd[-1]))]
    thin = thin[~((thin["index"] == "pci") & (thin["year"] == 2018) & (thin["province_code"] == "01"))]
    ax = P.plot_trend(thin, province="Hà Nội", index="pci", breaks=False, sources=sources)
    (band,) = [c for c in ax.collections if c.get_gid() == "region-band"]
    xs = {round(x, 6) for x, _y in band.get_paths()[0].vertices}
    assert 2017 in xs, "10 of the 11 provinces is enough for the band"
    (line,) = lines_by_gid(ax, "province")
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    assert np.isnan(y[list(x).index(2017) + 1]) and not np.isfinite(y[x == 2018]).any(), "no straight line through the missing 2018"
    plt.close("all")
    ax = P.plot_rank_bump(thin, index="pci", highlight="Hà Nội", breaks=False, sources=sources)
    (hot,) = lines_by_gid(ax, "highlight")
    assert np.isnan(np.asarray(hot.get_ydata(), float)).sum() == 1


@pytest.mark.parametrize("lang, unweighted", [("vi", "tổng không trọng số"), ("en", "unweighted total")])
def test_item12_papi_totals_are_labelled_unweighted(data, sources, lang, unweighted):
    ax = P.plot_index_scatter(data, x="pci", y="papi", year=2020, labels=None, sources=sources, lang=lang)
    assert unweighted in ax.get_ylabel() and unweighted not in ax.get_xlabel()
    plt.close("all")
    ax = P.plot_trend(data, province="Quảng Nam", index="papi", breaks=False, sources=sources, lang=lang)
    assert unweighted in ax.get_ylabel()
    plt.close("all")
    ax = P.plot_rank_bump(data, index="papi", highlight="Hòa Bình", breaks=False, sources=sources, lang=lang)
    note = {"vi": "PAPI không công bố thứ hạng", "en": "PAPI publishes no ranks"}[lang]
    assert note in S.get_caption(ax) and unweighted in S.get_caption(ax)


def _gaps_with_years():
    frame = synthetic_assessment()
    frame["actual_year"] = pd.array([2023, 2020, 2020, None, 2019, None], dtype="Int64")
    return frame


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_item2_the_year_of_each_figure_is_shown(lang):
    axes = P.plot_target_gaps(_gaps_with_years(), caption=False, lang=lang)
    labels = [t.get_text() for a in axes for t in a.texts if t.get_gid() == "actual-label"]
    assert labels == ["33 (2023)", "9 (2020)", ("86,2" if lang == "vi" else "86.2") + " (2020)", ("43,1" if lang == "vi" else "43.1") + " (2019)"]


@pytest.mark.parametrize("lang, pp", [("vi", "điểm %"), ("en", "percentage points")])
def test_item6_an_increase_is_not_drawn_as_a_level_zone(lang, pp):
    rows = pd.DataFrame(
        [
            ("sipas", "value", ">=", 85.0, "%", 2023, 80.0, "not met", "Hài lòng đạt 85%", "Satisfaction of 85%"),
            (None, None, ">=", 20.0, "%", 2023, np.nan, "not measurable", "Mức tăng tỷ lệ TTHC tích hợp", "Increase in the share integrated"),
            ("dti", "value_change", ">=", 5.0, "%", 2023, 8.0, "met", "DTI tăng 5%", "DTI up 5%"),
        ],
        columns=["metric_index", "metric_field", "comparator", "target_value", "unit", "deadline", "actual", "status",
                 "indicator_vi", "indicator_en"],
    )
    rows["province"] = "Quảng Nam"
    axes = P.plot_target_gaps(rows, caption=False, lang=lang)
    assert len(axes) == 2, "levels and increases in separate panels"
    level, change = axes
    assert pp in change.get_xlabel() and pp not in level.get_xlabel()
    zones = [p for p in change.patches if p.get_gid() == "target-zone"]
    for z in zones:
        assert z.get_x() == pytest.approx(min(5.0, 20.0)) or z.get_x() == pytest.approx(20.0)
    assert change.get_xlim()[1] < 100, "an increase of 20 points is not a share of 20-100 %"
    assert gap_label("percentage points", lang) == ("điểm %" if lang == "vi" else "pp")


def gap_label(unit, lang):
    from cchc_analysis.labels import gap_unit_label

    return gap_unit_label(unit, lang)
