"""Issue 16: reports a policy reader can use (one language, key messages first, navigable,
the data behind every figure, Word and PDF versions) -- items 1, 2, 3, 4 and 7."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import unicodedata
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from cchc_analysis import formatting as F
from cchc_analysis import labels as L
from cchc_analysis import messages, page
from cchc_analysis.config import notebooks_dir
from cchc_analysis.report import plan_batch, run_batch, write_index

from language_rules import foreign_words, visible_text

NOTEBOOKS = notebooks_dir()


# --------------------------------------------------------------------------- numbers (Babel)


def test_numbers_follow_the_language():
    babel = pytest.importorskip("babel.numbers")
    assert babel.get_decimal_symbol("vi_VN") == "," and babel.get_group_symbol("vi_VN") == "."
    assert F.format_decimal(1234.5, "vi", decimals=1) == "1.234,5"
    assert F.format_decimal(1234.5, "en", decimals=1) == "1,234.5"
    assert F.format_decimal(-0.0833, "vi", decimals=3) == "−0,083"
    assert F.format_decimal(-0.0001, "en", decimals=2) == "0.00"  # no "−0.00"
    assert F.format_integer(56.0, "vi") == "56" and F.format_integer(12000, "vi") == "12.000"
    assert F.format_percent(84.6, "vi") == "84,6\u00a0%" and F.format_percent(84.6, "en") == "84.6%"
    assert F.format_signed(1.5, "vi", decimals=1) == "+1,5" and F.format_signed(-36, "en", decimals=0) == "−36"
    assert F.format_signed(0, "en", decimals=0) == "0"
    assert F.format_value(0.5803, "vi", unit="index_0_1") == "0,580"
    assert F.format_value(66.24, "en", unit="score") == "66.24" and F.format_value(84.6, "en", unit="percent") == "84.6"
    assert F.format_value(float("nan"), "en") == "" and F.format_value(pd.NA, "vi", missing="–") == "–"
    assert F.format_year_span(2006, 2019) == "2006–2019" and F.format_year_span(2019, 2019) == "2019"
    # labels.format_number (the charts') uses the same rules
    assert L.format_number(1065.25, "vi", decimals=1) == "1.065,2"


def test_ranks_are_integers_with_their_n():
    assert F.format_rank(56.0, 63, "vi") == "hạng 56/63"
    assert F.format_rank(56, 63.0, "en") == "rank 56 of 63"
    assert F.format_rank(56, 63, "vi", short=True) == "56/63"
    assert F.format_rank(7, None, "en") == "rank 7" and F.format_rank(None, 63, "vi") == ""
    assert L.text("rank_of", "vi", rank=56, n=63) == F.format_rank(56, 63, "vi")


def test_dates_in_words():
    day = datetime.date(2025, 7, 1)
    assert F.format_date(day, "vi") == "1 tháng 7, 2025"
    assert F.format_date(day, "en") == "1 July 2025"
    with pytest.raises(ValueError, match="lang must be 'vi' or 'en', got 'fr'"):
        F.format_date(day, "fr")


# --------------------------------------------------------------------------- publication tables


def _standing():
    return pd.DataFrame({
        "index": ["par", "papi", "dti"], "year": [2023, 2024, 2024], "value": [84.6, 41.00446, 0.5803],
        "unit": ["percent", "score", "index_0_1"], "rank": pd.array([56, 55, 57], dtype="Int64"),
        "rank_basis": ["published (partial table)", "computed from scores", "published"],
        "n_ranked": pd.array([63, 61, 63], dtype="Int64"), "percentile": [11.29, 10.0, 9.68],
        "source_id": ["x", "y", "z"],
    })


def test_publication_table_headers_units_precision():
    vi = page.publication_table(_standing(), lang="vi",
                                columns=["index", "year", "value", "unit", "rank", "rank_basis", "percentile"])
    assert list(vi.columns) == ["Chỉ số", "Năm", "Điểm", "Đơn vị", "Thứ hạng", "Cơ sở thứ hạng", "Bách phân vị"]
    assert vi["Điểm"].tolist() == ["84,6", "41,00", "0,580"]
    assert vi["Thứ hạng"].tolist() == ["56/63", "55/61", "57/63"]
    assert vi["Cơ sở thứ hạng"].tolist() == ["công bố (bảng một phần)", "tính từ điểm", "công bố"]
    assert vi["Đơn vị"].tolist() == ["%", "điểm", "điểm 0–1"] and vi["Bách phân vị"].tolist() == ["11", "10", "10"]
    en = page.publication_table(_standing(), lang="en", columns=["index", "value", "rank"])
    assert list(en.columns) == ["Index", "Score", "Rank"] and en["Score"].tolist() == ["84.6", "41.00", "0.580"]
    with pytest.raises(KeyError, match="no column kind for 'rank_n'"):
        page.publication_table(_standing(), lang="vi", columns=["rank_n"])


def test_publication_table_hides_p_values_below_the_minimum_n():
    from cchc_analysis.trends import MIN_N_INFERENCE

    trends = pd.DataFrame({"index": ["dti", "pci"], "n_years": [3, 11], "kendall_p": [1.0, 0.0057],
                           "theil_slope": [-0.00025, 0.86354], "unit": ["index_0_1", "score"],
                           "direction": ["too few years", "improving"]})
    t = page.publication_table(trends, lang="vi", columns=["index", "n_years", "kendall_p", "theil_slope", "direction"])
    assert MIN_N_INFERENCE == 5
    assert t["p (Kendall)"].tolist() == ["", "0,006"]
    assert t["Xu hướng"].tolist() == ["quá ít năm", "cải thiện"]
    assert t["Độ dốc Theil–Sen (/năm)"].tolist() == ["0,000", "+0,86"]
    corr = pd.DataFrame({"index_x": ["par", "dti"], "index_y": ["sipas", "papi"], "coefficient": "Spearman ρ",
                         "n": [3, 61], "r": [1.0, 0.1345], "p_value": [0.333, 0.0001],
                         "p_method": ["not shown: n < 5", "permutation (9,999 orderings)"]})
    c = page.publication_table(page.correlation_table(corr, lang="en"), lang="en")
    assert c["p"].tolist() == ["", "< 0.001"] and c["Pair of indices"].tolist() == ["PAR Index – SIPAS", "DTI – PAPI"]
    assert c["p computed by"].tolist() == ["not shown: n < 5", "random permutations (9,999)"]


def test_table_html_states_truncation_and_links_its_csv():
    table = page.publication_table(pd.DataFrame({"year": range(2000, 2010)}), lang="vi")
    out = page.table_html(table, max_rows=4, lang="vi", csv_href="figures/table-x.csv")
    assert out.count("<tr>") == 5  # header + 4 rows
    assert "Hiển thị 4/10 dòng; bảng đầy đủ trong tệp CSV." in out
    assert '<a href="figures/table-x.csv">Bảng dưới dạng CSV</a>' in out
    en = page.table_html(table, max_rows=None, lang="en")
    assert "Showing" not in en and en.count("<tr>") == 11


def test_report_titles_name_their_parameters():
    assert page.report_title("index_trends", "en", index="pci", first_year=2006, last_year=2019) == "PCI trends 2006–2019"
    assert page.report_title("index_trends", "vi", index="pci", first_year=2006, last_year=2019) == "Xu hướng PCI 2006–2019"
    assert page.report_title("cross_province", "en", year=2019, x_index="pci", y_index="papi") == \
        "Cross-province comparison 2019: PCI and PAPI"
    assert page.report_title("province_profile", "vi", province="quang nam") == "Quảng Nam: hồ sơ cải cách hành chính"
    with pytest.raises(ValueError, match="unknown report kind"):
        page.report_title("profile", "vi")


# --------------------------------------------------------------------------- key messages on known data


def test_profile_messages_on_the_bundled_data():
    """Quảng Nam: PAR Index 2023 rank 56 of 63, SIPAS 2023 rank 59 of 63, PCI 2021 rank 19 of 63 (published)."""
    import cchc_analysis as cchc
    from cchc_analysis import notebook as nb

    unit = cchc.resolve_province("Quảng Nam")
    data = cchc.load_indicators(years=range(2011, 2025))
    standing = nb.standing_table(data, province=unit.code)
    trends = cchc.trend_table(data, provinces=unit.code, across_breaks="split")
    gaps = cchc.assess_targets(cchc.load_targets(province=unit.code), cchc.load_indicators())
    vi = messages.profile_messages(province=unit, lang="vi", standing=standing, trends=trends, gaps=gaps,
                                   data=cchc.load_indicators())
    assert 3 <= len(vi) <= 5
    assert vi[0] == "Vị trí tốt nhất: PCI 2021, hạng 19/63; thấp nhất: SIPAS 2023, hạng 59/63."
    assert vi[1] == "Quảng Nam ở nửa dưới bảng xếp hạng trên 4/5 chỉ số có thứ hạng (năm mới nhất của mỗi chỉ số)."
    assert "PCI 2011–2021 tăng 0,86 điểm/năm (độ dốc Theil–Sen; p = 0,006)" in vi[2]
    # the target counts follow the curated table as it grows: the sentence must agree with the graded table
    counts = gaps["status"].value_counts()
    measurable = int(gaps["metric_index"].notna().sum())
    assert vi[3].startswith(f"Trong {len(gaps)} mục tiêu, {measurable} đo được bằng các chỉ số: "
                            f"{counts.get('met', 0)} đạt, {counts.get('not met', 0)} không đạt")
    assert vi[3].endswith(f"; {counts.get('not measurable', 0)} mục tiêu không đo được bằng các chỉ số đi kèm.")
    assert vi[4] == "Khoảng cách lớn nhất: SIPAS 2023 hạng 59/63 so với mục tiêu nhóm 20 đứng đầu."
    en = messages.profile_messages(province=unit, lang="en", standing=standing, trends=trends, gaps=gaps,
                                   data=cchc.load_indicators())
    assert en[0] == "Best standing: PCI 2021, rank 19 of 63; lowest: SIPAS 2023, rank 59 of 63."
    assert en[4] == "Largest miss: SIPAS 2023 rank 59 of 63 against a target of top 20."
    for text in vi:
        assert not foreign_words(text, "vi"), text
    for text in en:
        assert not foreign_words(text, "en"), text


def test_trend_messages_on_a_known_series():
    """σ-convergence from the years with a statistic only; counts of directions; the leader with its N."""
    sigma = pd.DataFrame({"year": [2006, 2007, 2021, 2019], "cv": [0.146, 0.150, float("nan"), 0.040],
                          "mean": [52.45, 55.6, float("nan"), 65.66], "n": [64, 64, 21, 63]})
    trends = pd.DataFrame({"index": "pci", "province": ["A", "B", "C", "D"], "first_year": 2006,
                           "last_year": [2019, 2019, 2019, 2019], "n_years": [14, 14, 14, 3],
                           "direction": ["improving", "improving", "flat", "too few years"],
                           "theil_slope": [1.67, 1.66, 0.1, 2.0], "basis": "value", "unit": "score"})
    movers = pd.DataFrame({"group": "fast", "province": ["Cao Bằng", "Điện Biên"], "theil_slope": [1.673, 1.662]})
    out = messages.trends_messages(index="pci", lang="en", sigma=sigma, trends=trends, movers=movers)
    assert out[0] == ("PCI scores converged: the coefficient of variation across provinces fell from 0.146 (2006) "
                      "to 0.040 (2019).")  # 2021 (top 21 only) has no statistic and is never an end point
    assert out[1] == "Unweighted mean score of the provinces: 52.45 (2006, 64 provinces) → 65.66 (2019, 63 provinces)."
    assert out[2].startswith("2006–2019: 2 of 3 provinces improved significantly, 0 worsened, 1 show no clear trend")
    assert out[3] == "Fastest risers (Theil–Sen slope): Cao Bằng +1.67 points a year, Điện Biên +1.66 points a year."
    vi = messages.trends_messages(index="pci", lang="vi", sigma=sigma.iloc[[2]], trends=None)
    assert vi == ["Không tính được độ hội tụ: không đủ năm có gần đủ số tỉnh."]


def test_correlation_message_names_the_coefficient_and_hides_small_n_p():
    corr = pd.DataFrame({"year": 2023, "index_x": ["par", "dti"], "index_y": ["sipas", "papi"],
                         "method": "spearman", "coefficient": "Spearman ρ", "n": [3, 61], "r": [1.0, 0.1345],
                         "p_value": [float("nan"), 0.2976], "p_method": ["not shown: n < 5", "permutation"]})
    small = messages.cross_province_messages(year=2023, x_index="par", y_index="sipas", lang="vi", correlations=corr)
    assert small == ["PAR Index và SIPAS năm 2023: Spearman ρ = 1,00 trên 3 tỉnh có cả hai chỉ số "
                     "(không tính p khi dưới 5 tỉnh)."]
    big = messages.cross_province_messages(year=2023, x_index="papi", y_index="dti", lang="en", correlations=corr)
    assert big == ["PAPI and DTI in 2023: Spearman ρ = 0.13 over the 61 provinces with both (p = 0.298, permutation test)."]


def test_target_messages_count_statuses_and_name_the_largest_miss():
    gaps = pd.DataFrame({
        "status": ["not met", "not met", "met", "not measurable", "no data"],
        "metric_index": ["par", "pci", "dti", None, "pci"], "unit": ["rank", "rank", "%", "%", "rank"],
        "comparator": ["top", "top", ">=", ">=", "top"], "target_value": [20, 6, 5, 100, 6],
        "actual": [56, 9, 8.0, None, 19], "actual_year": [2023, 2023, 2024, None, 2021],
        "deadline": [2023, 2023, 2024, 2025, 2023], "province_code": "49",
    })
    vi = messages.target_messages(gaps, lang="vi")
    assert vi[0] == ("Trong 5 mục tiêu, 4 đo được bằng các chỉ số: 1 đạt, 2 không đạt, 1 chưa có số liệu; "
                     "1 mục tiêu không đo được bằng các chỉ số đi kèm.")
    assert vi[1] == "Khoảng cách lớn nhất: PAR Index 2023 hạng 56 so với mục tiêu nhóm 20 đứng đầu."
    assert vi[2] == "Đạt: DTI 2024 8,0\u00a0% (≥ 5\u00a0%)."  # a no-break space before % in Vietnamese
    assert vi[3].startswith("1 mục tiêu chưa có số liệu năm đến hạn")
    assert messages.gap_reason(gaps.iloc[4], "en") == "latest figure (2021) is 2 years older than the deadline: no verdict"
    assert messages.gap_reason(gaps.iloc[3], "vi") == "không chỉ số nào đo mục tiêu này"


# --------------------------------------------------------------------------- index.html


def _fake_run(out: Path, rel: str, **info) -> None:
    folder = out / rel
    (folder / "figures").mkdir(parents=True)
    (folder / "r.html").write_text("<html></html>", encoding="utf-8")
    base = {"status": "ok", "notebook_sha256": "0", "label": rel, "parameters": {}, "outputs": {"html": "r.html"}}
    base.update(info)
    (folder / "run.json").write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")


def test_targets_across_messages_count_provinces_and_targets():
    """Synthetic comparison (made up here): 3 provinces, 5 targets; one province met its only graded target,
    one missed one of two, one has only a target not yet due and a regional rank."""
    comp = pd.DataFrame({
        "index": "pci", "province_code": ["01", "49", "49", "52", "52"],
        "province": ["Hà Nội", "Quảng Nam", "Quảng Nam", "Bình Định", "Bình Định"],
        "metric_field": ["rank", "rank", "value", "rank", "rank"], "comparator": ["top", "top", ">=", "top", "top"],
        "target_value": [10.0, 6.0, 65.0, 20.0, 3.0], "unit": ["rank", "rank", "score", "rank", "rank"],
        "deadline": [2021, 2023, 2021, 2030, 2023], "actual": [4.0, 19.0, 66.5, None, None],
        "actual_year": pd.array([2021, 2023, 2021, None, None], dtype="Int64"),
        "status": ["met", "not met", "met", "on track", "regional"],
        "scope": ["national", "national", "national", "national", "region:nam-trung-bo"],
    })
    en = messages.targets_across_messages(comp, index="pci", lang="en", period="")
    assert en[0] == ("3 provinces set 5 PCI targets: 1 met every graded target, 1 missed at least one, "
                     "1 cannot be graded yet.")
    assert en[1] == "Target by target: 2 met, 1 on track, 1 not met."
    assert en[2] == "Largest miss: Quảng Nam, a target of top 6 by 2023, rank 19 in 2023."
    assert en[3].startswith("Met: Hà Nội (top 10 by 2021: rank 4 in 2021); Quảng Nam (≥ 65.00 by 2021: 66.50 in 2021)")
    assert en[4] == "Targets on a rank within a region: 1; listed, never graded against national ranks."
    vi = messages.targets_across_messages(comp, index="pci", lang="vi", period="2023")
    assert vi[0] == ("3 tỉnh đặt 5 mục tiêu PCI hạn năm 2023: 1 tỉnh đạt mọi mục tiêu đã có kết luận, 1 tỉnh không đạt "
                     "ít nhất một, 1 tỉnh chưa thể đánh giá.")
    for text in vi:
        assert not foreign_words(text, "vi"), text
    for text in en:
        assert not foreign_words(text, "en"), text
    assert messages.targets_across_messages(comp.iloc[:0], index="dti", lang="en", period="2019") == [
        "No province has a DTI target due in 2019 in the curated plans."]


def test_index_titles_groups_filter_and_counts(tmp_path):
    _fake_run(tmp_path, "province_profile/49-quang-nam", notebook_stem="province_profile",
              province={"code": "49", "name": "Quảng Nam"},
              outputs={"html": "r.html", "title": "Quảng Nam: hồ sơ cải cách hành chính", "lang": "vi"})
    _fake_run(tmp_path, "index_trends/pci", notebook_stem="index_trends", label="first_year=2006",
              outputs={"html": "r.html", "title": "Xu hướng PCI 2006–2019", "lang": "vi"})
    _fake_run(tmp_path, "index_trends/papi", notebook_stem="index_trends", status="failed", label="index=papi",
              parameters={"index": "papi", "first_year": 2018, "last_year": 2024}, failed_cell=3, error="ValueError: x")
    text = write_index(tmp_path).read_text(encoding="utf-8")
    assert '<html lang="vi">' in text and "<h1>Báo cáo CCHC</h1>" in text
    assert "Xu hướng PCI 2006–2019" in text and "Xu hướng PAPI 2018–2024" in text  # the failed run titled from its parameters
    assert re.findall(r'<h2 id="(\w+)">([^<]+)', text) == [("index_trends", "Xu hướng chỉ số "),
                                                          ("province_profile", "Hồ sơ tỉnh ")]
    assert "3 báo cáo" in text and '>hoàn tất</span>2' in text and '>lỗi</span>1' in text
    search = re.search(r'data-dir="province_profile/49-quang-nam" data-search="([^"]+)"', text).group(1)
    for name in ("Quảng Nam", "Quang Nam", "Đà Nẵng", "Da Nang", "49"):  # legacy and 2025 names
        assert name in search
    assert 'id="filter"' in text and ".normalize(\"NFD\")" in text  # diacritics-insensitive filter
    en = write_index(tmp_path, lang="en").read_text(encoding="utf-8")
    assert "<h1>CCHC reports</h1>" in en and "3 reports" in en and ">failed</span>1" in en


# --------------------------------------------------------------------------- CLI --format


def test_format_option_parsing():
    from cchc_analysis.cli.report import parse_formats

    assert parse_formats("html") == (True, ())
    assert parse_formats("html, docx,PDF") == (True, ("docx", "pdf"))
    assert parse_formats("docx") == (False, ("docx",))
    assert parse_formats("ipynb") == (False, ())
    with pytest.raises(ValueError, match="unknown format 'dox'; did you mean 'docx'"):
        parse_formats("html,dox")
    with pytest.raises(ValueError, match="ipynb means the executed notebook only"):
        parse_formats("ipynb,pdf")


# --------------------------------------------------------------------------- a small batch, both languages


def _chromium() -> str | None:
    from cchc_analysis.report.documents import find_chromium

    return find_chromium()


def _need(tool: str | None, what: str) -> str:
    if tool is None:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{what} not found, and CI is set")
        pytest.skip(f"{what} not found")
    return tool


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Province profiles (vi and en, two provinces), the national notebooks in English, targets across
    provinces (PCI) in both languages."""
    out = tmp_path_factory.mktemp("pages")
    runs = [
        (NOTEBOOKS / "province_profile.ipynb", {"province": ["Quảng Nam", "Hà Nội"], "lang": ["vi", "en"]}),
        (NOTEBOOKS / "index_trends.ipynb", {"lang": "en", "first_year": 2006}),
        (NOTEBOOKS / "cross_province.ipynb", {"lang": "en"}),
        (NOTEBOOKS / "target_gaps.ipynb", {"province": "Quảng Nam", "lang": "en"}),
        (NOTEBOOKS / "targets_across_provinces.ipynb", {"index": "pci", "lang": ["vi", "en"]}),
    ]
    for nb, params in runs:
        result = run_batch(plan_batch(nb, params, out=out), jobs=2, progress=False)
        assert [r.status for r in result.results] == ["ok"] * len(result.results), [r.error for r in result.results]
    return out


def _pages(out: Path):
    for run in sorted(out.rglob("run.json")):
        info = json.loads(run.read_text(encoding="utf-8"))
        yield run.parent, info, (run.parent / info["outputs"]["html"]).read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_report_is_in_one_language(batch):
    pages = list(_pages(batch))
    assert len(pages) == 9
    langs = []
    for folder, info, html in pages:
        lang = info["outputs"]["lang"]
        langs.append(lang)
        assert f'<html lang="{lang}">' in html
        text = visible_text(html)
        assert foreign_words(text, lang) == [], f"{folder}: words of the other language"
        assert "nan" not in re.findall(r"[^\W\d_]+", text) and "<NA>" not in text
        assert not re.search(r"\b\d+[.,]00/\d", text), "ranks are integers"
        assert "Change `province`" not in text and "run all cells" not in text  # no developer prompts
        assert "UserWarning" not in text and "Traceback" not in text
    assert sorted(langs) == ["en"] * 6 + ["vi"] * 3


@pytest.mark.slow
def test_pages_are_navigable_and_link_their_data(batch):
    for folder, info, html in _pages(batch):
        assert html.count("<h1") == 1 and info["outputs"]["title"] in html
        # key messages come first: right after the heading, before any table or figure
        first_h2 = re.search(r"<h2 id=\"[^\"]+\"[^>]*>([^<]+)", html).group(1)
        assert first_h2 in ("Thông điệp chính", "Key messages")
        assert html.index("<li>") < html.index("<table") if "<table" in html else True
        # table of contents: every h2 listed in the navigation bar, and a link back to the index
        h2 = re.findall(r'<h2 id="([^"]+)"', html)
        nav = re.search(r'<nav [^>]*class="cchc-nav".*?</nav>', html, re.S).group(0)
        assert [a for a in re.findall(r'href="#([^"]+)"', nav)] == h2 and len(h2) >= 3
        back = re.search(r'<a class="back" href="([^"]+)"', nav).group(1)
        assert (folder / back).resolve() == (batch / "index.html").resolve()
        # figures: real alt text from the caption file, links to the PNG and the data behind it
        imgs = re.findall(r"<img [^>]*>", html)
        assert imgs and "No description has been provided" not in html
        alts = {unescape(a) for a in re.findall(r'<img [^>]*alt="([^"]*)"', html)}
        for name in {p.stem for p in (folder / "figures").glob("*.png")}:
            caption = (folder / "figures" / f"{name}.txt").read_text(encoding="utf-8")
            alt = re.search(r"^alt_text: (.+)$", caption, re.M).group(1)
            assert alt in alts, name
            for ext in ("png", "csv"):
                assert f'href="figures/{name}.{ext}"' in html, f"{name}.{ext} not linked"
                assert (folder / "figures" / f"{name}.{ext}").stat().st_size > 100
        # every table has its CSV
        tables = re.findall(r'href="(figures/table-[^"]+\.csv)"', html)
        assert len(tables) == html.count('<table class="cchc-table">')
        for href in tables:
            csv = pd.read_csv(folder / href, encoding="utf-8-sig")
            assert len(csv.columns) >= 2


@pytest.mark.slow
def test_index_lists_the_batch_with_human_titles(batch):
    text = (batch / "index.html").read_text(encoding="utf-8")
    for title in ("PCI trends 2006–2019", "Cross-province comparison 2019: PCI and PAPI", "Targets and results: Quảng Nam",
                  "Quảng Nam: hồ sơ cải cách hành chính", "Hà Nội: administrative reform profile",
                  "PCI targets across provinces", "Mục tiêu PCI giữa các tỉnh"):
        assert title in text
    assert "index_trends" not in re.sub(r'(id|data-group|href|src|data-dir)="[^"]*"', "", text)


# --------------------------------------------------------------------------- Word and PDF


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    pytest.importorskip("pypandoc")
    out = tmp_path_factory.mktemp("documents")
    want = ("docx", "pdf") if _chromium() else ("docx",)
    batch = plan_batch(NOTEBOOKS / "province_profile.ipynb", {"province": "Quảng Nam"}, out=out, documents=want)
    result = run_batch(batch, jobs=1, progress=False, documents=want)
    assert result.results[0].status == "ok", result.results[0].error
    folder = next(out.rglob("run.json")).parent
    return folder, json.loads((folder / "run.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_word_document_reads_back(documents):
    """python-docx reads the Vietnamese profile: headings, key messages, every figure, the targets table."""
    import docx

    folder, info = documents
    assert info["outputs"]["docx"] == "province_profile.docx" and "province_profile.docx" in info["files"]
    doc = docx.Document(folder / "province_profile.docx")
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Quảng Nam: hồ sơ cải cách hành chính")
    assert [t for s, t in headings if s == "Heading 2"] == ["Thông điệp chính", "Vị trí hiện tại", "Trên bản đồ",
                                                            "Xu hướng", "Mục tiêu"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert unicodedata.is_normalized("NFC", text)
    assert "Vị trí tốt nhất: PCI 2021, hạng 19/63; thấp nhất: SIPAS 2023, hạng 59/63." in text
    assert "Tải về" not in text  # file links are for the HTML page only
    n_figures = len(list((folder / "figures").glob("*.png")))
    assert len(doc.inline_shapes) == n_figures == 5
    for shape in doc.inline_shapes:  # print size: 8.5 or 17 cm wide (or scaled to the page)
        assert 7.5 <= shape.width.cm <= 17.5
    descr = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert all(d and "No description" not in d for d in descr)
    targets = next(t for t in doc.tables if t.rows[0].cells[1].text == "Mục tiêu")
    from cchc_analysis import load_targets

    n_targets = len(load_targets(province="49", kind="target"))  # the curated table grows: count it
    assert n_targets >= 21 and len(targets.rows) == 1 + n_targets  # the header and every target of Quảng Nam
    assert [c.text for c in targets.rows[0].cells][-2:] == ["Đánh giá", "Ghi chú"]
    ranks = [t for t in doc.tables if t.rows[0].cells[0].text == "Chỉ số"][0]
    assert ranks.rows[1].cells[4].text == "56/63"


@pytest.mark.slow
def test_pdf_page_one_is_not_blank(documents, tmp_path):
    folder, info = documents
    _need(_chromium(), "chromium")
    pdftoppm = _need(shutil.which("pdftoppm"), "pdftoppm (poppler-utils)")
    pdf = folder / "province_profile.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    first = reader.pages[0].extract_text()
    assert "Quảng Nam" in unicodedata.normalize("NFC", first) and "Thông điệp chính" in unicodedata.normalize("NFC", first)
    subprocess.run([pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    import matplotlib.image

    pixels = matplotlib.image.imread(next(tmp_path.glob("p*.png")))[..., :3]
    assert pixels.std() > 0.05 and (pixels < 0.5).mean() > 0.005, "page 1 looks blank"


# --------------------------------------------------------------------------- screenshots


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_screenshot_of_a_profile(batch, lang, tmp_path):
    """Headless Chromium shows, at the top of a profile: the heading with the province in correct
    diacritics, the table of contents, the key messages; one language; integer ranks.
    (Set CCHC_SCREENSHOTS=DIR to keep the PNGs.)"""
    chromium = _need(_chromium(), "chromium")
    html = next(folder / "province_profile.html" for folder, info, _ in _pages(batch)
                if (info.get("province") or {}).get("code") == "49" and info["notebook_stem"] == "province_profile"
                and info["outputs"]["lang"] == lang)
    png = tmp_path / f"profile-{lang}.png"
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1200,900", f"--screenshot={png}", html.as_uri()]
    subprocess.run(args, capture_output=True, timeout=120)
    import matplotlib.image

    pixels = matplotlib.image.imread(png)[..., :3]
    assert pixels.shape[:2] == (900, 1200) and pixels.std() > 0.05
    keep = os.environ.get("CCHC_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(keep) / png.name)
    dom = subprocess.run(args[:-2] + ["--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120).stdout
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", dom, re.S).group(1)
    assert re.sub(r"<[^>]+>|¶", "", h1).strip() == ("Quảng Nam: hồ sơ cải cách hành chính" if lang == "vi"
                                                    else "Quảng Nam: administrative reform profile")
    nav = re.search(r'<nav [^>]*class="cchc-nav".*?</nav>', dom, re.S).group(0)
    assert ("Mục lục" if lang == "vi" else "Contents") in nav
    top = dom[:dom.index('<table class="cchc-table">')]  # what precedes the first table: heading, messages
    assert ("Thông điệp chính" if lang == "vi" else "Key messages") in top
    assert ("hạng 59/63" if lang == "vi" else "rank 59 of 63") in top
    assert foreign_words(visible_text(dom), lang) == []


def test_a_target_graded_by_absence_from_a_top_list_shows_that_as_its_result():
    from cchc_analysis.messages import actual_text

    row = {"actual": float("nan"), "unit": "rank", "actual_year": 2023, "status": "not met",
           "note": "not among the complete top 10 published for 2023 (ranks 1-10 all listed): it did not rank 10 or better"}
    assert actual_text(row, "vi") == "ngoài nhóm 10 đứng đầu"
    assert actual_text(row, "en") == "outside the top 10"
    assert actual_text({**row, "note": "no PCI figure"}, "en") == ""
