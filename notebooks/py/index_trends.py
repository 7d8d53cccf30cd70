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
from cchc_analysis import messages, page, plots

p = nb.parameters(globals())  # every parameter checked at once (cchc report --dry-run runs it too)
cchc.use_style()
data = cchc.load_indicators(index, years=range(first_year, last_year + 1), components=component, boundaries="legacy")
breaks = cchc.spanned_breaks(data)

# %%
sigma = cchc.sigma_convergence(data, index=index, component=component)
trends = cchc.trend_table(data, index=index, component=component, across_breaks="split")
movers = cchc.trends.fastest_and_slowest(trends, n=top_n, lang=lang)
page.header("index_trends", lang=lang, years=(first_year, last_year), data=data, index=index, component=component)
page.key_messages(messages.trends_messages(index=index, component=component, lang=lang, sigma=sigma, trends=trends,
                                           movers=movers, data=data, breaks=breaks), lang=lang)

# %%
# years with Hà Tây (to 2008) have no polygon on the 63-province layer: the maps start after them
mappable = data[~data["year"].isin(data.loc[data["province_code"] == "28", "year"])]
map_years = sorted({y for y in (nb.latest_year(mappable[mappable["year"] <= mappable["year"].min() + 2], index=index, component=component, min_provinces=20),
                                nb.latest_year(mappable, index=index, component=component, min_provinces=20)) if y is not None})
if map_years:
    page.section("national_picture", lang=lang)
    axes = cchc.plot_map_grid(mappable, index=index, component=component, years=map_years, lang=lang)
    page.figure(axes[0].figure, f"{index}-maps", lang=lang, figures_dir=figures_dir, formats=formats, width="double",
                data=page.figure_data(mappable, index=index, component=component, years=map_years))

# %%
page.section("convergence", lang=lang)
page.table(sigma, "convergence", lang=lang, figures_dir=figures_dir,
           columns=["year", "n", "mean", "std", "cv", "min", "max", "coverage"])

# %%
page.section("movers", lang=lang)
for i, (group, rows) in enumerate(movers.groupby("group", sort=False), start=1):  # fastest, then slowest
    page.table(rows, f"movers-{i}", lang=lang, figures_dir=figures_dir, caption=group,
               columns=["province", "first_year", "last_year", "n_years", "first_value", "last_value", "last_rank",
                        "theil_slope", "kendall_p", "direction"])
ax = plots.plot_heatmap(data, index=index, component=component, measure="rank" if data["rank"].notna().any() else "value", lang=lang)
page.figure(ax, f"{index}-heatmap", lang=lang, figures_dir=figures_dir, formats=formats, width="double",
            data=page.figure_data(data, index=index, component=component))

# %%
if data["rank"].notna().any():
    page.section("ranks_over_time", lang=lang)
    leaders = movers["province_code"].head(3).tolist()
    ax = plots.plot_rank_bump(data, index=index, component=component, highlight=leaders, lang=lang)
    page.figure(ax, f"{index}-bump", lang=lang, figures_dir=figures_dir, formats=formats, width="double",
                data=page.figure_data(data, index=index, component=component))
