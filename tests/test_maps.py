"""Maps: bundled geometry, code joins, colours against the scale, archipelago insets,
missing provinces, captions and byte-identical saves (issue 13)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cchc_analysis as cchc
from cchc_analysis import config, geo
from cchc_analysis import labels as L
from cchc_analysis import style as S

ROOT = Path(__file__).resolve().parents[1]
GEODATA = ROOT / "cchc_analysis" / "geodata"
SHARED_GEO = config.REFERENCE_DIR / "geo"

# PAR Index 2023 in the bundled data (press figures): 14 provinces, 11 with a score, all 14 with a rank
PAR_2023_SCORED = {"01", "22", "24", "31", "36", "37", "42", "45", "46", "48", "49", "60", "62", "66", "77", "79",
                   "89", "92", "94", "96"}
PAR_2023_RANKED = PAR_2023_SCORED | {"10", "19", "40", "64", "67", "68", "80", "93", "95"}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    # the published tables: figures quoted by plan documents (source kind "plan document", which grow
    # with the corpus) are tested in test_plan_figures.py
    everything = cchc.load_indicators()
    return everything[~everything["source_id"].str.startswith("plan-")].reset_index(drop=True)


def _rows(data, index, year, boundaries="legacy", component="overall"):
    sel = data[(data["index"] == index) & (data["year"] == year) & (data["boundaries"] == boundaries) & (data["component"] == component)]
    return sel.set_index("province_code")


def _patches(ax) -> dict[str, object]:
    return {p.get_gid().removeprefix("province-"): p for p in ax.patches if (p.get_gid() or "").startswith("province-")}


def _insets(ax) -> dict[str, object]:
    return {a.get_gid(): a for a in ax.child_axes if (a.get_gid() or "").startswith("archipelago-")}


def _legend_texts(ax) -> list[str]:
    leg = ax.get_legend()
    return [t.get_text().replace("\n", " ") for t in leg.get_texts()] if leg else []


# ---------------------------------------------------------------------------------------
# bundled geometry


def test_bundled_geometry_within_budget_with_licence():
    files = sorted(p.name for p in GEODATA.iterdir() if not p.name.startswith("."))
    assert files == ["LICENSE.txt", "vn_archipelagos.geojson", "vn_provinces_34_2025.geojson", "vn_provinces_63_legacy.geojson"]
    total = sum(p.stat().st_size for p in GEODATA.iterdir())
    assert total <= 1_000_000, f"bundled geometry is {total:,} bytes"
    licence = (GEODATA / "LICENSE.txt").read_text(encoding="utf-8")
    assert "Creative Commons Attribution-ShareAlike 4.0" in licence
    assert "Open Development Vietnam" in licence and "Cục Đo đạc, Bản đồ và Thông tin địa lý Việt Nam" in licence
    # the attribution printed on maps is the one the licence file gives
    flat = " ".join(licence.split())
    assert " ".join(geo.ATTRIBUTION["2025"]["vi"].removesuffix(".").split()) in flat
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"geodata/*"' in pyproject


def test_bundled_layers_are_rfc7946_and_match_the_registry():
    for name, n in [("vn_provinces_63_legacy.geojson", 63), ("vn_provinces_34_2025.geojson", 34), ("vn_archipelagos.geojson", 2)]:
        doc = json.loads((GEODATA / name).read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection" and "crs" not in doc
        assert len(doc["features"]) == n
        assert {f["geometry"]["type"] for f in doc["features"]} <= {"Polygon", "MultiPolygon"}
        assert "CC BY-SA 4.0" in doc["license"]
    assert geo.check_layers() == []
    legacy, new = geo.province_shapes("legacy"), geo.province_shapes("2025")
    assert list(legacy) == [p.code for p in cchc.list_provinces()]
    assert list(new) == [p.code for p in cchc.list_provinces(boundaries="2025")]
    # the archipelagos stay inside Đà Nẵng and Khánh Hòa in both layers
    for layer in (legacy, new):
        assert len(layer["48"].archipelago_parts["hoang_sa"]) == 22
        assert len(layer["56"].archipelago_parts["truong_sa"]) == 304
    hs, ts = geo.archipelagos()
    assert (hs.name_vi, hs.parent_code, ts.name_vi, ts.parent_code) == ("Quần đảo Hoàng Sa", "48", "Quần đảo Trường Sa", "56")
    assert ts.bounds[2] > 116.9 and ts.bounds[1] < 7.0  # reaches 116.9 E and 6.95 N


@pytest.mark.shared
def test_build_script_reproduces_the_bundled_files():
    if not (SHARED_GEO / "odv").is_dir():
        pytest.skip(f"{SHARED_GEO} absent: cannot rebuild the bundled geometry")
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_geo.py"), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "up to date" in out.stdout


def test_maps_work_without_shared_folder(tmp_path):
    """A fresh machine has no ../shared: the package's own geometry is enough."""
    code = (
        "import cchc_analysis as c; "
        "ax = c.plot_map(c.load_indicators('dti'), index='dti', year=2024, boundaries='2025'); "
        "print(sum(1 for p in ax.patches if (p.get_gid() or '').startswith('province-')))"
    )
    env = dict(os.environ, CCHC_SHARED_DIR=str(tmp_path / "no-shared"), MPLBACKEND="Agg")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "34"


def test_geometry_is_loaded_lazily():
    code = "import sys, cchc_analysis; print('cchc_analysis.geo' in sys.modules, 'cchc_analysis.maps' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False False"


# ---------------------------------------------------------------------------------------
# acceptance: PCI 2019 (legacy) and DTI 2024 (2025 units), both languages


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_pci_2019_legacy_colours_match_the_scale(data, lang):
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    ax = cchc.plot_map(data, index="pci", year=2019, lang=lang)
    patches = _patches(ax)
    assert sorted(patches) == sorted(geo.province_shapes("legacy"))  # every province drawn
    rows = _rows(data, "pci", 2019)
    norm = Normalize(rows["value"].min(), rows["value"].max())
    cmap = colormaps["viridis_r"]  # worst (light) -> best (dark)
    for name in ["Quảng Ninh", "Quảng Nam", "Lai Châu", "Đồng Tháp", "Hà Nội", "Cà Mau"]:
        code = cchc.resolve_province(name).code
        expected = cmap(norm(rows.loc[code, "value"]))
        assert np.allclose(patches[code].get_facecolor(), expected), name
        assert not patches[code].get_hatch()
    # the best province (Quảng Ninh, 73.40) is the darkest
    best = rows["value"].idxmax()
    assert best == "22"
    lum = {c: np.dot(p.get_facecolor()[:3], [0.299, 0.587, 0.114]) for c, p in patches.items()}
    assert min(lum, key=lum.get) == "22"
    assert ax.get_title(loc="left") == "PCI 2019"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_dti_2024_on_2025_units(data, lang):
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    ax = cchc.plot_map(data, index="dti", year=2024, boundaries="2025", highlight="Đà Nẵng", lang=lang)
    patches = _patches(ax)
    assert sorted(patches) == sorted(geo.province_shapes("2025")) and len(patches) == 34
    rows = _rows(data, "dti", 2024, boundaries="2025")
    assert len(rows) == 34
    norm = Normalize(rows["value"].min(), rows["value"].max())
    for code in ["01", "15", "48", "79", "91", "96"]:  # 15 and 91 are reused codes: 2025 meaning
        assert np.allclose(patches[code].get_facecolor(), colormaps["viridis_r"](norm(rows.loc[code, "value"]))), code
    outline = [p for p in ax.patches if p.get_gid() == "highlight-48"]
    assert len(outline) == 1 and np.allclose(outline[0].get_edgecolor()[:3], np.array([0xD5, 0x5E, 0x00]) / 255)
    name = "Đà Nẵng" if lang == "vi" else "Da Nang"
    value = L.format_number(rows.loc["48", "value"], lang, decimals=4)
    assert f"{name}: {value}" in _legend_texts(ax)
    caption = S.get_caption(ax)
    assert L.text("map_units_2025", lang) in caption
    assert geo.ATTRIBUTION["2025"][lang] in caption


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("index,year,boundaries", [("pci", 2019, "legacy"), ("dti", 2024, "2025")])
def test_archipelagos_drawn_and_labelled(data, lang, index, year, boundaries):
    ax = cchc.plot_map(data, index=index, year=year, boundaries=boundaries, lang=lang)
    insets = _insets(ax)
    assert set(insets) == {"archipelago-hoang_sa", "archipelago-truong_sa"}
    expected = {
        "vi": {"hoang_sa": "QĐ. Hoàng Sa\n(TP. Đà Nẵng)", "truong_sa": "QĐ. Trường Sa\n(tỉnh Khánh Hòa)"},
        "en": {"hoang_sa": "Hoang Sa (Paracel)\narchipelago (Da Nang)", "truong_sa": "Truong Sa (Spratly)\narchipelago (Khanh Hoa)"},
    }[lang]
    rows = _rows(data, index, year, boundaries=boundaries)
    colours = _patches(ax)
    for key, label in expected.items():
        inset = insets[f"archipelago-{key}"]
        texts = [t.get_text() for t in inset.texts if t.get_gid() == f"archipelago-label-{key}"]
        assert texts == [label]
        parts = [p for p in inset.patches if p.get_gid() == f"archipelago-parts-{key}"]
        assert len(parts) == 1
        arch = next(a for a in geo.archipelagos() if a.key == key)
        # every part of the archipelago is drawn, and inside the inset's view
        assert len([c for c in parts[0].get_path().codes if c == 1]) == sum(len(p) for p in arch.parts)
        x0, x1 = inset.get_xlim()
        y0, y1 = inset.get_ylim()
        w, s, e, n = arch.bounds
        assert x0 <= w and e <= x1 and y0 <= s and n <= y1
        # coloured as the province it belongs to
        parent = "48" if key == "hoang_sa" else "56"
        assert parent in rows.index
        assert np.allclose(parts[0].get_facecolor(), colours[parent].get_facecolor())
    # the main map leaves the archipelago parts to the insets, so nothing is drawn twice
    main = _patches(ax)["56"].get_path().vertices
    assert main[:, 0].max() < 110.0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_caption_has_source_and_attribution(data, lang):
    ax = cchc.plot_map(data, index="pci", year=2019, lang=lang)
    caption = S.get_caption(ax)
    assert caption.splitlines()[0] == ("Nguồn: VCCI, PCI 2019" if lang == "vi" else "Source: VCCI, PCI 2019")
    assert geo.ATTRIBUTION["legacy"][lang] in caption
    assert "CC BY-SA 4.0" in caption
    # no source line wanted: the attribution stays (the licence requires it)
    ax = cchc.plot_map(data, index="pci", year=2019, lang=lang, caption=False)
    assert S.get_caption(ax) == L.text("map_units_legacy", lang) + " " + geo.ATTRIBUTION["legacy"][lang]


def test_alt_text_names_extremes(data):
    ax = cchc.plot_map(data, index="pci", year=2019, lang="en")
    alt = S.get_alt_text(ax)
    assert alt.startswith("Map of PCI in 2019 for 63 provinces; 0 without a published figure")
    assert "best: Quang Ninh (73.40)" in alt


@pytest.mark.parametrize("index,year,boundaries", [("pci", 2019, "legacy"), ("dti", 2024, "2025")])
def test_saving_twice_gives_identical_bytes(data, tmp_path, index, year, boundaries):
    ax = cchc.plot_map(data, index=index, year=year, boundaries=boundaries, highlight="Đà Nẵng")
    first = cchc.save_figure(ax, "map", out_dir=tmp_path / "a")
    second = cchc.save_figure(ax, "map", out_dir=tmp_path / "b")
    # a second, separately drawn figure too
    third = cchc.save_figure(cchc.plot_map(data, index=index, year=year, boundaries=boundaries, highlight="Đà Nẵng"), "map", out_dir=tmp_path / "c")
    for fmt in ("png", "svg", "pdf", "txt"):
        assert first[fmt].read_bytes() == second[fmt].read_bytes() == third[fmt].read_bytes(), fmt
    txt = first["txt"].read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in txt and "alt_text: Bản đồ" in txt
    svg = first["svg"].read_text(encoding="utf-8")
    assert "QĐ. Hoàng Sa" in svg and "QĐ. Trường Sa" in svg  # text stays text


# ---------------------------------------------------------------------------------------
# partial data: missing is missing, never low


@pytest.mark.parametrize("measure,have", [("value", PAR_2023_SCORED), ("rank", PAR_2023_RANKED)])
def test_par_2023_partial_marks_missing_not_low(data, measure, have):
    ax = cchc.plot_map(data, index="par", year=2023, measure=measure, lang="vi")
    patches = _patches(ax)
    hatched = {c for c, p in patches.items() if p.get_hatch()}
    assert hatched == set(patches) - have
    assert len(hatched) == 63 - len(have)
    for code in hatched:
        assert np.allclose(patches[code].get_facecolor(), (1, 1, 1, 1))  # white, not a colour of the scale
    for code in have:
        assert not patches[code].get_hatch()
    # the worst published figure still gets the lightest colour of the scale, not the missing fill
    from matplotlib import colormaps

    worst = "89"  # An Giang: 81.32, rank 63
    assert np.allclose(patches[worst].get_facecolor(), colormaps["viridis_r"](0.0))
    missing = 63 - len(have)
    assert f"không có số liệu công bố: {missing} tỉnh" in _legend_texts(ax)
    assert S.get_alt_text(ax).count(f"{missing} không có số liệu công bố") == 1


def test_rank_scale_runs_1_to_n_best_darkest(data):
    from matplotlib import colormaps

    ax = cchc.plot_map(data, index="dti", year=2024, boundaries="2025", measure="rank", lang="en")
    patches = _patches(ax)
    rows = _rows(data, "dti", 2024, boundaries="2025")
    first, last = rows["rank"].idxmin(), rows["rank"].idxmax()
    assert int(rows.loc[last, "rank"]) == 34
    assert np.allclose(patches[first].get_facecolor(), colormaps["viridis_r"](1.0))  # rank 1: darkest
    assert np.allclose(patches[last].get_facecolor(), colormaps["viridis_r"](0.0))
    cax = next(a for a in ax.child_axes if a.get_gid() == "map-colorbar")
    assert cax.get_ylim()[0] > cax.get_ylim()[1]  # inverted: rank 1 on top
    assert cax.get_title(loc="left") == "Rank of 34\n(1 = best)"


def test_par_rank_partial_is_not_rescaled(data):
    """14 published ranks out of 63: the scale still runs to 63, so rank 11 is dark."""
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    ax = cchc.plot_map(data, index="par", year=2023, measure="rank")
    ninh_binh = _patches(ax)["37"]  # rank 11
    assert np.allclose(ninh_binh.get_facecolor(), colormaps["viridis_r"](1 - Normalize(1, 63)(11)))


def test_papi_ranks_computed_say_so(data):
    ax = cchc.plot_map(data, index="papi", year=2023, measure="rank", highlight="Nghệ An", lang="en")
    assert L.text("ranks_from_scores", "en") in S.get_caption(ax)
    # PAPI publishes no ranks: computed from the 61 scores of 2023, so out of 61, not 63
    scored = _rows(data, "papi", 2023)["value"].notna().sum()
    assert scored == 61
    cax = next(a for a in ax.child_axes if a.get_gid() == "map-colorbar")
    assert cax.get_title(loc="left") == "Rank of 61\n(1 = best)"
    assert any(t.startswith("Nghe An: rank ") and t.endswith(" of 61") for t in _legend_texts(ax))


# ---------------------------------------------------------------------------------------
# classes


def test_classes_with_labelled_bins(data):
    from matplotlib import colormaps

    edges = [55, 60, 65, 70, 75]
    ax = cchc.plot_map(data, index="pci", year=2019, classes=edges, lang="vi")
    rows = _rows(data, "pci", 2019)
    patches = _patches(ax)
    colours = [colormaps["viridis_r"]((i + 0.5) / 4) for i in range(4)]
    for code, value in rows["value"].items():
        k = min(int(np.searchsorted(edges, value, side="right")) - 1, 3)
        assert np.allclose(patches[code].get_facecolor(), colours[k]), code
    texts = _legend_texts(ax)
    assert texts[:4] == ["70–75", "65–70", "60–65", "55–60"]  # best first
    assert ax.get_legend().get_title().get_text() == "Điểm"
    # an int picks round edges covering the data
    ax = cchc.plot_map(data, index="dti", year=2024, boundaries="2025", classes=4, lang="en")
    labels = _legend_texts(ax)
    assert labels[0].startswith("0.8") and labels[-1].startswith("0.5")


def test_rank_classes(data):
    ax = cchc.plot_map(data, index="pci", year=2019, measure="rank", classes=4, lang="en")
    assert _legend_texts(ax) == ["1–16", "17–32", "33–48", "49–63"]


def test_bad_classes_are_refused(data):
    with pytest.raises(ValueError, match="outside the classes 60..70"):
        cchc.plot_map(data, index="pci", year=2019, classes=[60, 65, 70])
    with pytest.raises(ValueError, match="classes must be None"):
        cchc.plot_map(data, index="pci", year=2019, classes=1)
    with pytest.raises(ValueError, match="unknown colour map 'viridiss'"):
        cchc.plot_map(data, index="pci", year=2019, cmap="viridiss")


# ---------------------------------------------------------------------------------------
# joins on codes, within one boundary set


def test_legacy_codes_refused_on_2025_layer(data):
    legacy = data[(data["index"] == "dti") & (data["year"] == 2024) & (data["boundaries"] == "legacy")].copy()
    legacy["boundaries"] = "2025"  # mislabelled: legacy figures claiming the 2025 set
    with pytest.raises(cchc.BoundaryMismatchError, match=r"no polygon in the '2025' layer.*'legacy' code"):
        cchc.plot_map(legacy, index="dti", year=2024, boundaries="2025")


def test_reused_code_with_2025_name_refused_on_legacy_layer(data):
    new = data[(data["index"] == "dti") & (data["year"] == 2024) & (data["boundaries"] == "2025")].copy()
    new["boundaries"] = "legacy"  # every 2025 code is also a legacy code: only the names reveal it
    with pytest.raises(cchc.BoundaryMismatchError, match=r"2025|reused"):
        cchc.plot_map(new, index="dti", year=2024, boundaries="legacy")
    one = new[new["province_code"] == "15"].assign(province="Lào Cai")
    with pytest.raises(cchc.BoundaryMismatchError, match=r"code 15 but province='Lào Cai'.*reused in 2025 \(Yên Bái before, Lào Cai after\)"):
        cchc.plot_map(one, index="dti", year=2024, boundaries="legacy")


def test_join_is_on_codes_not_names(data):
    rows = data[(data["index"] == "pci") & (data["year"] == 2019) & (data["component"] == "overall")].copy()
    rows["province"] = "an unknown spelling"  # names the registry cannot read: the code decides
    ax = cchc.plot_map(rows, index="pci", year=2019)
    assert not any(p.get_hatch() for p in _patches(ax).values())


def test_ha_tay_has_no_polygon(data):
    with pytest.raises(cchc.BoundaryMismatchError, match="28 is Hà Tây"):
        cchc.plot_map(data, index="pci", year=2007)


def test_duplicate_rows_refused(data):
    rows = data[(data["index"] == "pci") & (data["year"] == 2019) & (data["component"] == "overall")]
    with pytest.raises(cchc.BoundaryMismatchError, match="several rows for province code"):
        cchc.plot_map(pd.concat([rows, rows.head(2)]), index="pci", year=2019)


def test_argument_errors(data):
    with pytest.raises(ValueError, match="years available|years in `data`"):
        cchc.plot_map(data, index="pci", year=2030)
    with pytest.raises(ValueError, match="measure must be 'value' or 'rank'"):
        cchc.plot_map(data, index="pci", year=2019, measure="percentile")
    with pytest.raises(ValueError, match="boundaries must be"):
        cchc.plot_map(data, index="pci", year=2019, boundaries="2024")
    with pytest.raises(cchc.UnknownProvinceError, match="pre-2025 unit"):
        cchc.plot_map(data, index="dti", year=2024, boundaries="2025", highlight="Quảng Nam")
    with pytest.raises(ValueError, match="lang must be"):
        cchc.plot_map(data, index="pci", year=2019, lang="fr")


# ---------------------------------------------------------------------------------------
# small multiples


def test_map_grid_shares_one_scale(data):
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    axes = cchc.plot_map_grid(data, index="pci", years=[2017, 2018, 2019], highlight="Quảng Nam", lang="en")
    assert len(axes) == 3 and [a.get_title(loc="left") for a in axes] == ["2017", "2018", "2019"]
    rows = data[(data["index"] == "pci") & data["year"].isin([2017, 2018, 2019]) & (data["component"] == "overall")]
    norm = Normalize(rows["value"].min(), rows["value"].max())  # over all three years
    for ax, year in zip(axes, [2017, 2018, 2019]):
        one = _rows(data, "pci", year)
        patches = _patches(ax)
        for code in ["22", "49", "87"]:
            assert np.allclose(patches[code].get_facecolor(), colormaps["viridis_r"](norm(one.loc[code, "value"])))
        assert set(_insets(ax)) == {"archipelago-hoang_sa", "archipelago-truong_sa"}
        assert any(p.get_gid() == "highlight-49" for p in ax.patches)
    fig = axes[0].figure
    key = next(a for a in fig.axes if a.get_gid() == "map-key")
    assert S.get_caption(key).startswith("Source: VCCI, PCI 2017–2019")
    assert geo.ATTRIBUTION["legacy"]["en"] in S.get_caption(key)
    assert fig.get_suptitle() == "PCI, 2017–2019"


def test_map_grid_partial_years_and_save(data, tmp_path):
    axes = cchc.plot_map_grid(data, index="par", years=[2022, 2023], measure="rank", lang="vi")
    assert all(any(p.get_hatch() for p in _patches(ax).values()) for ax in axes)
    a = cchc.save_figure(axes, "grid", out_dir=tmp_path / "a", width="double", formats=["png", "svg"])
    b = cchc.save_figure(axes, "grid", out_dir=tmp_path / "b", width="double", formats=["png", "svg"])
    assert a["png"].read_bytes() == b["png"].read_bytes() and a["svg"].read_bytes() == b["svg"].read_bytes()
    with pytest.raises(ValueError, match="at most 12 panels"):
        cchc.plot_map_grid(data, index="pci")


# ---------------------------------------------------------------------------------------
# targets


@pytest.fixture(scope="module")
def quang_nam_par_target(data):
    gaps = cchc.assess_targets(cchc.load_targets(document="quangnam-2023-qd3532"), data)  # Decision 3532
    row = gaps[(gaps["metric_index"] == "par") & (gaps["metric_field"] == "rank")]
    assert len(row) == 1
    return row.iloc[0]


def test_provinces_meeting_target(data, quang_nam_par_target):
    table = cchc.provinces_meeting_target(quang_nam_par_target, data)
    assert len(table) == 63 and (table["year"] == 2023).all()
    # PAR Index 2023 "top 20" against the published ranks (hand check: ranks 1-8, 11, 12, 15, 17, 18, 19 are in it)
    met = set(table.loc[table["status"] == "met", "province_code"])
    not_met = set(table.loc[table["status"] == "not met", "province_code"])
    assert met == {"01", "10", "19", "22", "24", "31", "37", "40", "42", "46", "48", "77", "80", "93"}
    assert not_met == {"36", "45", "49", "60", "62", "64", "66", "67", "68", "79", "89", "92", "94", "95", "96"}
    assert table["met"].isna().sum() == 34 and (table.loc[table["met"].isna(), "status"] == "no data").all()
    assert table.loc[table["is_target_province"], "province_code"].tolist() == ["49"]
    assert table.set_index("province_code").loc["49", "actual"] == 56


def test_provinces_meeting_target_never_carries_old_figures(data, quang_nam_par_target):
    """In 2022 the table has other provinces; a 2021 figure must not stand in for 2022."""
    table = cchc.provinces_meeting_target(quang_nam_par_target, data, year=2022)
    par = _rows(data, "par", 2022)
    assert set(table.loc[table["status"] != "no data", "province_code"]) == set(par.index[par["rank"].notna()])


def test_plot_target_map(data, quang_nam_par_target):
    ax = cchc.plot_target_map(quang_nam_par_target, data, lang="vi")
    patches = _patches(ax)
    from matplotlib.colors import to_rgba

    assert np.allclose(patches["22"].get_facecolor(), to_rgba(S.STATUS_COLOURS["met"]))
    assert np.allclose(patches["49"].get_facecolor(), to_rgba(S.STATUS_COLOURS["not met"]))
    assert patches["38"].get_hatch()  # Thanh Hóa: no published 2023 figure
    assert [p.get_gid() for p in ax.patches if p.get_gid() == "highlight-49"] == ["highlight-49"]
    assert _legend_texts(ax)[:3] == ["Trong nhóm 20 đứng đầu: 14 tỉnh", "Ngoài nhóm 20 đứng đầu: 15 tỉnh", "không có số liệu công bố: 34 tỉnh"]
    assert "Quảng Nam" in ax.get_title(loc="left")
    with pytest.raises(ValueError, match="not measured by any index"):
        gaps = cchc.assess_targets(cchc.load_targets(document="quangnam-2023-qd3532"), data)  # Decision 3532
        cchc.plot_target_map(gaps[gaps["metric_index"].isna()].iloc[0], data)


def test_target_map_threshold_and_title(data):
    targets = cchc.load_targets(province="Quảng Nam")
    row = targets[targets["target_id"] == "quangnam-2023-qd3532-03"].iloc[0]  # SIPAS >= 90 % in 2023, a load_targets() row
    table = cchc.provinces_meeting_target(row, data)
    sipas = _rows(data, "sipas", 2023)
    scored = sipas["value"].dropna()
    # hand check: ">=" keeps 90.23, 90.29 and 90.61; 88.09 (Hải Phòng) is short
    assert set(table.loc[table["status"] == "met", "province_code"]) == set(scored.index[scored >= 90]) == {"19", "22", "30"}
    assert set(table.loc[table["status"] == "not met", "province_code"]) == set(scored.index[scored < 90])
    ax = cchc.plot_target_map(row, data, lang="en")
    assert ax.get_title(loc="left").replace("\n", " ") == "SIPAS 2023: which provinces meet ≥ 90% (Quang Nam's target)?"
    assert _legend_texts(ax)[:2] == ["Meets ≥ 90%: 3 provinces", f"Short of ≥ 90%: {len(scored) - 3} provinces"]
    gaps = cchc.assess_targets(targets, data)
    ax = cchc.plot_target_map(gaps[gaps["target_id"] == "quangnam-2023-qd3532-14"], data, lang="vi")  # one-row frame
    assert ax.get_title(loc="left").replace("\n", " ") == "PAR Index 2023: tỉnh nào trong nhóm 20 đứng đầu (mục tiêu của Quảng Nam)?"
