"""House style, fonts, labels and source captions, checked on synthetic frames built here."""

import unicodedata
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib import font_manager

from cchc_analysis import labels as L
from cchc_analysis import style as S

VIETNAMESE_NAMES = ["Thừa Thiên Huế", "Đắk Lắk", "Bà Rịa - Vũng Tàu", "Hòa Bình", "TP. Hồ Chí Minh", "Quảng Nam", "Bắc Kạn"]


def synthetic_sources() -> pd.DataFrame:
    """A sources table with the columns of load_sources() that captions use."""
    rows = [
        ("synthetic-pci-2019", "VCCI, PCI 2019", "VCCI, PCI 2019"),
        ("synthetic-pci-2020", "VCCI, PCI 2020", "VCCI, PCI 2020"),
        ("synthetic-pci-2021", "VCCI, PCI 2021", "VCCI, PCI 2021"),
        ("synthetic-pci-2023", "VCCI, PCI 2023", "VCCI, PCI 2023"),
        ("synthetic-papi-panel", "CECODES/UNDP, PAPI 2011-2019", "CECODES/UNDP, PAPI 2011-2019"),
        ("synthetic-par-a", "Bộ Nội vụ, PAR INDEX 2023 (a.vn)", "MOHA, PAR INDEX 2023 (a.vn)"),
        ("synthetic-par-b", "Bộ Nội vụ, PAR INDEX 2023 (b.vn)", "MOHA, PAR INDEX 2023 (b.vn)"),
        ("synthetic-no-en", "Tỉnh ủy, Báo cáo 2022", None),
    ]
    return pd.DataFrame(rows, columns=["source_id", "short_citation_vi", "short_citation_en"])


def glyph_warnings(records) -> list[str]:
    return [str(w.message) for w in records if "Glyph" in str(w.message) or "missing from" in str(w.message)]


# --- use_style ------------------------------------------------------------------------


def test_use_style_sets_the_house_look_and_restores_it():
    before = dict(matplotlib.rcParams)
    with S.use_style() as ctx:
        rc = matplotlib.rcParams
        assert isinstance(ctx, S.StyleContext)
        assert rc["font.sans-serif"][0] == "DejaVu Sans"
        assert rc["svg.fonttype"] == "none" and rc["pdf.fonttype"] == 42
        assert rc["svg.hashsalt"] == "cchc-analysis"
        assert rc["font.size"] == 8 and rc["xtick.labelsize"] == 7  # paper sizes for 8.5 cm figures
        cycle = [matplotlib.colors.to_hex(c) for c in rc["axes.prop_cycle"].by_key()["color"]]
        assert cycle == [c.lower() for c in S.PALETTE]
        assert rc["figure.constrained_layout.use"] is True
    for key in ("font.sans-serif", "svg.fonttype", "pdf.fonttype", "font.size", "axes.prop_cycle"):
        assert matplotlib.rcParams[key] == before[key]


def test_use_style_font_scale_and_rc_override():
    with S.use_style(font_scale=1.5, rc={"axes.titleweight": "normal"}):
        assert matplotlib.rcParams["font.size"] == pytest.approx(12)
        assert matplotlib.rcParams["axes.titleweight"] == "normal"


def test_palette_is_okabe_ito_and_highlight_stands_out():
    assert set(S.PALETTE) == set(S.OKABE_ITO.values())
    assert S.HIGHLIGHT in S.OKABE_ITO.values() and S.HIGHLIGHT == S.HIGHLIGHTS[0]
    r, g, b = matplotlib.colors.to_rgb(S.CONTEXT)
    assert r == g == b, "other provinces are drawn in a neutral grey"
    assert S.HIGHLIGHT.lower() != S.CONTEXT.lower()
    assert set(S.STATUS_COLOURS) == set(L.STATUSES)
    good, bad = S.STATUS_COLOURS["met"], S.STATUS_COLOURS["not met"]
    assert good in S.OKABE_ITO.values() and bad in S.OKABE_ITO.values() and good != bad


# --- fonts ----------------------------------------------------------------------------


def test_house_font_resolves_and_covers_vietnamese():
    path = S.check_font()
    assert Path(path).name == "DejaVuSans.ttf"
    with S.use_style():
        resolved = font_manager.findfont(font_manager.FontProperties(family=matplotlib.rcParams["font.family"]), fallback_to_default=False)
    assert Path(resolved).name == "DejaVuSans.ttf"
    sample = S.VIETNAMESE_SAMPLE
    assert "ự" in sample and "Ỷ" in sample and "Đ" in sample and len(sample) == 2 * (12 * 6 + 17)


def test_check_font_refuses_missing_fonts_and_fonts_without_vietnamese():
    with pytest.raises(ValueError, match="not installed"):
        S.check_font("No Such Font Family")
    with pytest.raises(ValueError, match="lacks .* Vietnamese letters"):
        S.check_font("cmr10")  # Computer Modern ships with matplotlib, Latin-1 only
    with pytest.raises(ValueError, match="lacks"):
        S.use_style(font="cmr10")


def test_no_missing_glyph_warnings_with_vietnamese_names():
    with S.use_style(), warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.plot(range(len(VIETNAMESE_NAMES)), range(len(VIETNAMESE_NAMES)), label="Trung vị cả nước")
        ax.set_xticks(range(len(VIETNAMESE_NAMES)), VIETNAMESE_NAMES, rotation=45)
        ax.set_title(" – ".join(VIETNAMESE_NAMES))
        ax.set_ylabel("Thứ hạng (1 = cao nhất)")
        ax.text(0, 0, S.VIETNAMESE_SAMPLE[:60])
        ax.text(0, 1, S.VIETNAMESE_SAMPLE[60:], fontweight="bold")
        ax.legend()
        fig.canvas.draw()
    assert glyph_warnings(records) == []


def test_the_glyph_check_would_catch_a_font_without_vietnamese():
    """The warning the tests look for really appears when a font lacks the letters."""
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title("Thừa Thiên Huế", fontfamily="cmr10")
        fig.canvas.draw()
    assert glyph_warnings(records), "matplotlib should warn about missing glyphs in cmr10"


# --- labels ---------------------------------------------------------------------------


def test_every_label_exists_in_both_languages_with_the_same_fields():
    import string

    for key, entry in L.TEXT.items():
        assert set(entry) == {"vi", "en"}, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in ("vi", "en")]
        assert fields[0] == fields[1], key
    for status in L.STATUSES:
        assert L.status_label(status, "vi") and L.status_label(status, "en")
    assert L.status_label("met", "vi") == "Đạt" and L.status_label("off track", "en") == "Off track"


def test_labels_switch_language_and_reject_others():
    assert L.text("year", "vi") == "Năm" and L.text("year", "en") == "Year"
    assert L.text("rank_of", "en", rank=3, n=63) == "rank 3 of 63"
    with pytest.raises(ValueError, match="lang must be 'vi' or 'en'"):
        L.text("year", "fr")
    with pytest.raises(ValueError, match="unknown target status 'done'"):
        L.status_label("done", "vi")
    with pytest.raises(KeyError, match="no label 'nope'"):
        L.text("nope", "vi")


def test_numbers_use_the_decimal_mark_of_the_language():
    assert L.format_number(65.25, "vi", decimals=2) == "65,25"
    assert L.format_number(1234.5, "vi") == "1.234,5"
    assert L.format_number(1234.5, "en") == "1,234.5"
    assert L.format_number(-0.5, "en") == "\u22120.5"
    assert L.format_years([2023, 2019, 2020, 2021]) == "2019–2021, 2023"


def test_province_and_region_labels():
    assert L.province_label("Thua Thien Hue", "vi") == "Thừa Thiên Huế"
    assert L.province_label("Thừa Thiên Huế", "en") == "Thua Thien Hue"
    assert L.province_label("46", "vi") == "Thừa Thiên Huế"
    assert L.province_label("Nowhere", "vi") == "Nowhere"
    assert L.region_label("central_highlands", "vi") == "Tây Nguyên"
    assert L.region_label(None, "en") == "Other"


def test_decomposed_vietnamese_is_composed():
    decomposed = unicodedata.normalize("NFD", "Đắk Lắk")
    assert decomposed != "Đắk Lắk"
    assert L.nfc(decomposed) == "Đắk Lắk"
    assert L.province_label(decomposed, "vi") == "Đắk Lắk"


# --- source captions ------------------------------------------------------------------


def test_source_caption_in_both_languages():
    data = pd.DataFrame({"source_id": ["synthetic-pci-2023", "synthetic-pci-2023"]})
    assert S.source_caption(data, lang="vi", sources=synthetic_sources()) == "Nguồn: VCCI, PCI 2023"
    assert S.source_caption(data, lang="en", sources=synthetic_sources()) == "Source: VCCI, PCI 2023"


def test_source_caption_merges_years_and_places():
    ids = ["synthetic-pci-2019", "synthetic-pci-2020", "synthetic-pci-2021", "synthetic-pci-2023",
           "synthetic-par-a", "synthetic-par-b", "synthetic-papi-panel", None]
    vi = S.source_caption(pd.DataFrame({"source_id": ids}), lang="vi", sources=synthetic_sources())
    assert vi == ("Nguồn: Bộ Nội vụ, PAR INDEX 2023 (a.vn, b.vn); CECODES/UNDP, PAPI 2011-2019; "
                  "VCCI, PCI 2019–2021, 2023")
    en = S.source_caption(ids, lang="en", sources=synthetic_sources())
    assert en.startswith("Sources: CECODES/UNDP, PAPI 2011-2019; MOHA, PAR INDEX 2023 (a.vn, b.vn); VCCI, PCI 2019–2021, 2023")


def test_source_caption_edge_cases():
    sources = synthetic_sources()
    assert S.source_caption([], lang="vi", sources=sources) == ""
    assert S.source_caption(pd.DataFrame({"source_id": [None]}), lang="vi", sources=sources) == ""
    # no English citation: the Vietnamese one stands in
    assert S.source_caption(["synthetic-no-en"], lang="en", sources=sources) == "Source: Tỉnh ủy, Báo cáo 2022"
    with pytest.raises(ValueError, match=r"source id\(s\) \['nowhere'\] not in the sources table"):
        S.source_caption(["nowhere"], lang="vi", sources=sources)
    with pytest.raises(ValueError, match="has no column 'source_id'"):
        S.source_caption(pd.DataFrame({"x": [1]}), lang="vi", sources=sources)
    with pytest.raises(ValueError, match="lang must be"):
        S.source_caption(["synthetic-pci-2023"], lang="de", sources=sources)


def test_caption_is_drawn_under_the_axes_decorations():
    with S.use_style():
        fig, ax = plt.subplots(figsize=S.figure_size("single"), layout="constrained")
        ax.plot([2019, 2020], [1, 2])
        ax.set_xlabel("Năm")
        S.add_caption(ax, "Nguồn: thử")
        S.add_caption(ax, "Nguồn: VCCI, PCI 2023")  # replaces the first
        fig.canvas.draw()
        captions = [t for t in ax.texts if t.get_gid() == "cchc-caption"]
        assert len(captions) == 1 and S.get_caption(ax) == "Nguồn: VCCI, PCI 2023"
        renderer = fig.canvas.get_renderer()
        cap = captions[0].get_window_extent(renderer)
        label = ax.xaxis.label.get_window_extent(renderer)
        assert cap.y1 <= label.y0 + 0.5, "caption sits below the x-axis label"
        assert cap.y0 >= 0 and cap.x0 >= 0, "caption stays inside the figure"
    S.set_alt_text(ax, "Biểu đồ")
    assert S.get_alt_text(ax) == "Biểu đồ"


def test_figure_sizes():
    assert S.figure_size("single") == pytest.approx((8.5 / 2.54, 8.5 * 0.75 / 2.54))
    assert S.figure_size("double", 10) == pytest.approx((17 / 2.54, 10 / 2.54))
    assert S.figure_size(12.0, aspect=0.5) == pytest.approx((12 / 2.54, 6 / 2.54))
    with pytest.raises(ValueError, match="width must be 'single', 'double'"):
        S.figure_size("triple")
    with pytest.raises(ValueError, match="height must be positive"):
        S.figure_size("single", -1)
