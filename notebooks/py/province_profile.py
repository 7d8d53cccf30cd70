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
# # Province profile · Hồ sơ tỉnh
#
# Where one province stands on the five indices (PAR Index, SIPAS, PAPI, PCI, DTI), how it has
# moved, and whether it reached the targets in its reform plans. Change `province` (any spelling:
# "Quảng Nam", "quang nam", "P33", "49") and run all cells.

# %% tags=["parameters"]
province: str = "Quảng Nam"  # province name, GSO code or PAPI code, any spelling
boundaries: str = "legacy"  # "legacy" (63 provinces); "2025" (34 units) is refused, naming the legacy members to run
first_year: int = 2011  # first assessment year shown in trends
last_year: int = 2024  # last assessment year shown in trends
lang: str = "vi"  # language of figures and tables: "vi" or "en"
figures_dir: str = "figures/province_profile"  # where figures are written
formats: list = ["png"]  # figure formats besides PNG, e.g. ["svg", "pdf"] for briefs

# %%
import cchc_analysis as cchc
from cchc_analysis import notebook as nb
from cchc_analysis import messages, page, plots

p = nb.parameters(globals())  # every parameter checked at once (cchc report --dry-run runs it too)
unit = p["province"]
cchc.use_style()
data = cchc.load_indicators(years=range(first_year, last_year + 1), boundaries="legacy")
nb.check_year_range(first_year, last_year, data=data, province=unit)

# %%
standing = nb.standing_table(data, province=unit.code, lang=lang)
trends = cchc.trend_table(data, provinces=unit.code, across_breaks="split")
targets = cchc.load_targets(province=unit.code)
has_targets = (targets["kind"] == "target").any()  # quoted past figures alone are no targets
everything = cchc.load_indicators() if has_targets else data  # every year: targets may predate first_year
gaps = cchc.assess_targets(targets, everything) if has_targets else None
page.header("province_profile", lang=lang, province=unit, years=(first_year, last_year), data=data)
page.key_messages(messages.profile_messages(province=unit, lang=lang, standing=standing, trends=trends,
                                                 gaps=gaps, data=everything), lang=lang)

# %%
page.section("standing", lang=lang)
page.table(standing, "standing", lang=lang, figures_dir=figures_dir,
           columns=["index", "year", "value", "unit", "rank", "rank_basis", "percentile", "source_id"])
ax = plots.plot_profile(data, province=unit.code, lang=lang)
page.figure(ax, f"{unit.code}-profile", lang=lang, figures_dir=figures_dir, formats=formats, width="double",
            data=standing)

# %%
map_year = nb.latest_year(data, index="pci", min_provinces=50)
if map_year is not None:
    page.section("on_map", lang=lang)
    ax = cchc.plot_map(data, index="pci", year=map_year, highlight=unit.code, lang=lang)
    page.figure(ax, f"{unit.code}-pci-map", lang=lang, figures_dir=figures_dir, formats=formats, width="single",
                data=page.figure_data(data, index="pci", years=map_year))

# %%
page.section("trends", lang=lang)
page.table(trends, "trends", lang=lang, figures_dir=figures_dir,
           columns=["index", "first_year", "last_year", "n_years", "first_value", "last_value", "theil_slope",
                    "kendall_p", "rank_change", "direction"])
for index in ("pci", "papi"):
    if ((data["index"] == index) & (data["province_code"] == unit.code)).any():
        ax = plots.plot_trend(data, province=unit.code, index=index, lang=lang)
        page.figure(ax, f"{unit.code}-trend-{index}", lang=lang, figures_dir=figures_dir, formats=formats,
                    data=page.figure_data(data, index=index))

# %%
page.section("targets", lang=lang)
if gaps is None:
    page.note("no_targets", lang=lang)
else:
    page.table(page.target_table(gaps, lang=lang, data=everything, with_document=True), "targets", lang=lang,
               figures_dir=figures_dir, columns={"document_id": "text", **page.TARGET_COLUMNS}, csv_frame=gaps)
    axes = plots.plot_target_gaps(gaps, lang=lang)
    page.figure(axes, f"{unit.code}-targets", lang=lang, figures_dir=figures_dir, formats=formats, data=gaps)
