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
# # Index trends · Xu hướng chỉ số
#
# The national picture for one index: how provinces moved, who leads and lags, and whether
# provinces are converging (σ-convergence: the coefficient of variation across provinces by year).

# %% tags=["parameters"]
index: str = "pci"  # one of "par", "sipas", "papi", "pci", "dti"
component: str = "overall"  # "overall" or a component key (see cchc.load_components())
boundaries: str = "legacy"  # "legacy" (63 provinces); "2025" (34 units) is refused, naming the legacy members to run
first_year: int = 2010  # first assessment year
last_year: int = 2019  # last assessment year
lang: str = "vi"  # "vi" or "en"
figures_dir: str = "figures/index_trends"  # where figures are written
formats: list = ["png"]  # extra figure formats, e.g. ["svg", "pdf"]
top_n: int = 5  # leaders and laggards to list

# %%
import cchc_analysis as cchc
from cchc_analysis import notebook as nb
from cchc_analysis import plots

p = nb.parameters(globals())  # every parameter checked at once (cchc report --dry-run runs it too)
cchc.use_style()
data = cchc.load_indicators(index, years=range(first_year, last_year + 1), components=component, boundaries="legacy")
breaks = cchc.spanned_breaks(data)
print(f"{len(data)} rows, {data['province_code'].nunique()} provinces, years {data['year'].min()}-{data['year'].max()}")
if len(breaks):
    print("Comparability breaks in this range:", "; ".join(f"{r.year}: {r.description}" for r in breaks.itertuples()))

# %% [markdown]
# ## The national picture · Bức tranh toàn quốc
# An early and the last year of the range on one colour scale (darker = better).

# %%
# years with Hà Tây (to 2008) have no polygon on the 63-province layer: the maps start after them
mappable = data[~data["year"].isin(data.loc[data["province_code"] == "28", "year"])]
map_years = sorted({y for y in (nb.latest_year(mappable[mappable["year"] <= mappable["year"].min() + 2], index=index, component=component, min_provinces=20),
                                nb.latest_year(mappable, index=index, component=component, min_provinces=20)) if y is not None})
if map_years:
    axes = cchc.plot_map_grid(mappable, index=index, component=component, years=map_years, lang=lang)
    nb.show_figure(axes[0].figure, f"{index}-maps", figures_dir=figures_dir, formats=formats, width="double")

# %% [markdown]
# ## Convergence · Hội tụ

# %%
sigma = cchc.sigma_convergence(data, index=index, component=component)
nb.show_table(sigma, lang=lang)

# %% [markdown]
# ## Fastest and slowest movers · Tăng nhanh nhất và chậm nhất
# Ranked by the Theil–Sen slope (growth, not level): the slowest risers can be the best performers.

# %%
trends = cchc.trend_table(data, index=index, component=component, across_breaks="split")
movers = cchc.trends.fastest_and_slowest(trends, n=top_n, lang=lang)
nb.show_table(movers.drop(columns="province_code"), lang=lang)

# %%
ax = plots.plot_heatmap(data, index=index, component=component, measure="rank" if data["rank"].notna().any() else "value", lang=lang)
nb.show_figure(ax.figure, f"{index}-heatmap", figures_dir=figures_dir, formats=formats, width="double")

# %%
if data["rank"].notna().any():
    leaders = movers["province_code"].head(3).tolist()
    ax = plots.plot_rank_bump(data, index=index, component=component, highlight=leaders, lang=lang)
    nb.show_figure(ax.figure, f"{index}-bump", figures_dir=figures_dir, formats=formats, width="double")
