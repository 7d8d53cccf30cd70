# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["notebook-only"]
# # Cross-province comparison · So sánh giữa các tỉnh
#
# Rankings for one year, how the indices agree (Spearman correlations between indices), a two-index
# scatter and the spread by region. Set `region` to a region key or `peers` to a list of provinces.

# %% tags=["parameters"]
year: int = 2019  # assessment year (PCI and PAPI overlap 2011-2019; DTI and PAPI 2022-2024)
x_index: str = "pci"  # index on the x axis of the scatter
y_index: str = "papi"  # index on the y axis
highlight: list = ["Quảng Nam", "Đà Nẵng"]  # provinces to highlight, any spelling
boundaries: str = "legacy"  # "legacy" (63 provinces); "2025" (34 units) is refused, naming the legacy members to run
peers: list = []  # peer group for the comparison table (empty means the region of the first highlighted province)
lang: str = "vi"  # "vi" or "en"
figures_dir: str = "figures/cross_province"  # where figures are written
formats: list = ["png"]  # extra figure formats

# %%
import cchc_analysis as cchc
from cchc_analysis import notebook as nb
from cchc_analysis import messages, page, plots

p = nb.parameters(globals())  # every parameter checked at once (cchc report --dry-run runs it too)
cchc.use_style()
data = cchc.load_indicators(years=year, components="overall", boundaries="legacy")
focus = [u.code for u in p["highlight"]]

# %%
corr = cchc.index_correlations(data, year=year)
comparison = None
if focus and ((data["index"] == x_index) & (data["province_code"] == focus[0])).any():
    comparison = cchc.compare_province(data, province=focus[0], index=x_index, year=year,
                                       peers=[u.code for u in p["peers"]] or None)
page.header("cross_province", lang=lang, years=(year, year), data=data, year=year, x_index=x_index, y_index=y_index)
page.key_messages(messages.cross_province_messages(year=year, x_index=x_index, y_index=y_index, lang=lang, data=data,
                                                   correlations=corr, comparison=comparison, focus=focus), lang=lang)

# %%
if (data["index"] == x_index).any():
    page.section("national_picture", lang=lang, note="")
    ax = cchc.plot_map(data, index=x_index, year=year, highlight=focus, lang=lang)
    page.figure(ax, f"{x_index}-{year}-map", lang=lang, figures_dir=figures_dir, formats=formats, width="single",
                data=page.figure_data(data, index=x_index, years=year))

# %%
page.section("agreement", lang=lang)
page.table(page.correlation_table(corr, lang=lang), "correlations", lang=lang, figures_dir=figures_dir,
           columns=["pair", "coefficient", "n", "r", "p_value", "p_method"], csv_frame=corr)
if {x_index, y_index} <= set(data["index"]):
    ax = plots.plot_index_scatter(data, x=x_index, y=y_index, year=year, highlight=focus, labels=focus, lang=lang)
    page.figure(ax, f"{x_index}-{y_index}-{year}-scatter", lang=lang, figures_dir=figures_dir, formats=formats,
                width="double", data=data[data["index"].isin([x_index, y_index])])

# %%
page.section("by_region", lang=lang)
ax = plots.plot_region_distribution(data, index=x_index, year=year, highlight=focus, lang=lang)
page.figure(ax, f"{x_index}-{year}-regions", lang=lang, figures_dir=figures_dir, formats=formats, width="double",
            data=page.figure_data(data, index=x_index, years=year))
if comparison is not None:
    page.section("comparison", lang=lang)
    page.table(page.comparison_table(comparison, lang=lang), "comparison", lang=lang, figures_dir=figures_dir,
               columns=["comparison", "group", "n", "value", "median", "gap_to_median", "rank_in_group", "percentile"])
