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
# # Start here · Bắt đầu từ đây
#
# **cchc-analysis** answers three questions about Vietnam's provincial public-administration reform
# (cải cách hành chính): which provinces promised what in their reform plans, did they get there, and how
# do provinces and the five indices move over the years. In the box:
#
# | | |
# |---|---|
# | `cchc_analysis` | the package: province registry, bundled data, targets from plans, analysis, charts, reports |
# | `data/` | tidy tables, every row with a `source_id` you can look up (last section) |
# | `notebooks/` | this one and four report notebooks: `province_profile`, `index_trends`, `target_gaps`, `cross_province` |
# | `cchc report`, `make report` | run the report notebooks for many provinces at once, to HTML |
#
# Run all cells (change `province` or `lang` first if you like). Tables can be sorted and searched
# in JupyterLab.

# %% tags=["parameters"]
province: str = "Quảng Nam"  # province for the examples: name, GSO code or PAPI code, any spelling
lang: str = "vi"  # language of tables and figures: "vi" or "en"
figures_dir: str = "figures/start_here"  # where figures are written

# %%
import cchc_analysis as cchc
from cchc_analysis import notebook as nb

p = nb.check_parameters(
    globals(), {"province": (str, cchc.resolve_province), "lang": (str, nb.check_lang), "figures_dir": str}
)
unit = p["province"]
cchc.use_style()
data = cchc.load_indicators()

# %% [markdown]
# ## The five indices · Năm chỉ số
# PAR Index and SIPAS (Ministry of Home Affairs), PAPI (CECODES, VFF-CRT, RTA and UNDP), PCI (VCCI) and
# DTI (digital transformation). A *full* year has a score for at least 90 % of the provinces; PAR Index
# and SIPAS are only public as partial tables (top and bottom groups, single provinces), so their
# rankings cannot be completed here and missing values stay missing.

# %%
nb.show_table(nb.index_overview(data, lang=lang), lang=lang)

# %% [markdown]
# Coverage by year: provinces with a value and with a published rank, out of the units of that year.

# %%
nb.show_table(cchc.coverage(data), lang=lang, float_format="{:.2f}")

# %% [markdown]
# ## The registry · Danh mục tỉnh
# One registry resolves every spelling (with or without diacritics, English names, abbreviations,
# GSO and PAPI codes) and knows the merger of 1 July 2025 (63 provinces became 34 units).

# %%
for spelling in ("TP HCM", "ha noi", "P33", "49"):
    print(f"{spelling!r:10} → {cchc.resolve_province(spelling).name}")
new = cchc.successor(unit)
print(f"{unit.name} → {new.name} (2025): {', '.join(u.name for u in cchc.members_2025(new))}")

# %%
registry = cchc.province_table()
nb.show_table(registry[["code", "name", "name_en", f"region_{lang}", "papi_code", "successor_name"]], lang=lang)

# %% [markdown]
# ## One of each analysis · Mỗi phép phân tích một ví dụ
# **Trend** of one province on one index: change, Theil–Sen slope with its interval, Kendall's exact
# test, rank change; never across a comparability break unless asked.

# %%
trend = cchc.trend_table(data, index="pci", provinces=unit.code, across_breaks="split")
nb.show_table(trend[["province", "first_year", "last_year", "n_years", "first_value", "last_value",
                     "theil_slope", "theil_low", "theil_high", "kendall_p", "rank_change", "direction"]], lang=lang)
ax = cchc.plot_trend(data, province=unit.code, index="pci", lang=lang)
nb.show_figure(ax.figure, f"{unit.code}-pci-trend", figures_dir=figures_dir)

# %% [markdown]
# **Targets** in the province's plans against the data: met, not met, on track, or not measurable.

# %%
targets = cchc.load_targets(province=unit.code)
if targets.empty:
    print(f"No curated plan targets for {unit.name} yet.")
else:
    nb.show_table(nb.gap_table(cchc.assess_targets(targets, data), lang=lang, with_document=True), lang=lang)

# %% [markdown]
# **Comparison** with the country and the region in one year (PCI 2019, 63 provinces).

# %%
nb.show_table(cchc.compare_province(data, province=unit.code, index="pci", year=2019), lang=lang)

# %% [markdown]
# **Convergence** (σ: the coefficient of variation across provinces, full PCI years) and **correlation**
# between indices (Spearman, 2019; `n` is the number of provinces in both).

# %%
pci_full = data[(data["index"] == "pci") & data["year"].between(2006, 2019)]
nb.show_table(cchc.sigma_convergence(pci_full, index="pci"), lang=lang, float_format="{:.3f}")
nb.show_table(cchc.index_correlations(data, year=2019), lang=lang, float_format="{:.3f}")

# %% [markdown]
# ## Explore · Khám phá
# Pick an index, a measure, years and provinces; the chart, the table, a CSV download with source ids and
# the one-line call that redraws the chart follow. (Needs a running notebook; a static report shows
# nothing here.)

# %%
cchc.explore(index="pci", provinces=[unit.name], lang=lang)

# %% [markdown]
# ## Where the data come from · Nguồn số liệu
# Every row of every table has a `source_id`; here is what each one is. `data/README.md` tells how
# the tables were built and what is missing.

# %%
sources = cchc.load_sources()
used = data.groupby("source_id").size().rename("rows")
table = sources.join(used, on="source_id").astype({"rows": "Int64"})
nb.show_table(table[["source_id", "publisher", "title", "url", "rows"]], lang=lang, max_rows=None)
