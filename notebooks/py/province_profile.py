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

# %% [markdown]
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
from cchc_analysis import plots

p = nb.parameters(globals())  # every parameter checked at once (cchc report --dry-run runs it too)
unit = p["province"]
cchc.use_style()
data = cchc.load_indicators(years=range(first_year, last_year + 1), boundaries="legacy")
nb.check_year_range(first_year, last_year, data=data, province=unit)
print(f"{unit.name} ({unit.full_name}) · GSO {unit.code} · {cchc.region_names(lang)[unit.region]}")
print(f"Since 1 July 2025 part of / Từ 1/7/2025 thuộc: {cchc.successor(unit).name}")

# %% [markdown]
# ## Where it stands · Vị trí hiện tại
# Latest year per index. PAPI publishes no ranks: they are computed from the scores (ties share a
# rank). PAR Index and SIPAS tables are partial in the bundled data, so a missing row means no
# published figure, not a low one.

# %%
standing = nb.standing_table(data, province=unit.code, lang=lang)
nb.show_table(standing, lang=lang)

# %%
ax = plots.plot_profile(data, province=unit.code, lang=lang)
nb.show_figure(ax.figure, f"{unit.code}-profile", figures_dir=figures_dir, formats=formats, width="single")

# %% [markdown]
# ## On the map · Trên bản đồ
# The province (outlined) among the 63 provinces on the latest PCI with a full table.

# %%
map_year = nb.latest_year(data, index="pci", min_provinces=50)
if map_year is not None:
    ax = cchc.plot_map(data, index="pci", year=map_year, highlight=unit.code, lang=lang)
    nb.show_figure(ax.figure, f"{unit.code}-pci-map", figures_dir=figures_dir, formats=formats, width="single")

# %% [markdown]
# ## Trends · Xu hướng
# Theil–Sen slope and Kendall's exact test per index; no trend runs across a comparability break
# (PAPI's 2018 redesign), so each series is split into comparable segments.

# %%
trends = cchc.trend_table(data, provinces=unit.code, across_breaks="split")
nb.show_table(
    trends[["index", "first_year", "last_year", "n_years", "first_value", "last_value", "theil_slope", "kendall_p", "rank_change", "direction"]],
    lang=lang,
)

# %%
for index in ("pci", "papi"):
    if (data["index"] == index).any() and (data.loc[data["index"] == index, "province_code"] == unit.code).any():
        ax = plots.plot_trend(data, province=unit.code, index=index, lang=lang)
        nb.show_figure(ax.figure, f"{unit.code}-trend-{index}", figures_dir=figures_dir, formats=formats)

# %% [markdown]
# ## Targets · Mục tiêu
# Every quantitative target of the province's plans in the curated table, against the data.

# %%
targets = cchc.load_targets(province=unit.code)
if not (targets["kind"] == "target").any():  # quoted past figures alone are no targets
    print("No curated plan targets for this province yet · Chưa có mục tiêu kế hoạch được tổng hợp.")
else:
    gaps = cchc.assess_targets(targets, cchc.load_indicators())
    nb.show_table(nb.gap_table(gaps, lang=lang, with_document=True), lang=lang)
    axes = plots.plot_target_gaps(gaps, lang=lang)
    nb.show_figure(axes.flat[0].figure, f"{unit.code}-targets", figures_dir=figures_dir, formats=formats)
