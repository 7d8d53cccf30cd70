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
# # Targets across provinces · Mục tiêu giữa các tỉnh
#
# Which provinces promised what on one index, how far it was from where they stood, and who got
# there: the plans' targets (`cchc.load_targets()`) against the index figures, graded by
# `cchc.assess_targets`. Ranks within a region are listed but never graded against national ranks.

# %% tags=["parameters"]
index: str = "par"  # one of "par", "sipas", "papi", "pci", "dti"
period: str = ""  # "" (every target), a deadline year ("2023") or a plan period ("2021-2025")
boundaries: str = "legacy"  # "legacy": plans of the 63 provinces; "2025": plans of the 34 units
as_of: int = 0  # assess as of this year (0 means the latest data)
lang: str = "vi"  # "vi" or "en"
figures_dir: str = "figures/targets_across_provinces"  # where figures are written
formats: list = ["png"]  # extra figure formats, e.g. ["svg", "pdf"]

# %%
import cchc_analysis as cchc
from cchc_analysis import ambition
from cchc_analysis import notebook as nb

p = nb.parameters(globals(), supported_boundaries=("legacy", "2025"))  # every parameter checked at once
cchc.use_style()
targets, data = cchc.load_targets(), cchc.load_indicators()
comparison = cchc.compare_targets(targets, data, index=index, period=period, boundaries=boundaries, as_of=as_of or None)
print(ambition.headline(comparison, lang=lang) if len(comparison) else f"{index}: 0")

# %% [markdown]
# ## How many set a target, how many met it · Bao nhiêu tỉnh đặt mục tiêu, bao nhiêu tỉnh đạt

# %%
nb.show_table(cchc.target_summary(comparison, lang=lang), lang=lang)

# %% [markdown]
# ## Per province: baseline → target → result · Từng tỉnh: xuất phát → mục tiêu → kết quả

# %%
for field in ("rank", "value"):
    if ((comparison["metric_field"] == field) & (comparison["scope"] == "national")).any():
        ax = cchc.plot_target_ladder(comparison, field=field, lang=lang)
        nb.show_figure(ax.figure, f"{index}-{field}-targets", figures_dir=figures_dir, formats=formats,
                       data=comparison[comparison["metric_field"] == field])

# %% [markdown]
# ## Ambition and achievement · Mức phấn đấu và kết quả

# %%
for field in ("rank", "value"):
    drawn = comparison[(comparison["metric_field"] == field) & comparison["ambition"].notna() & comparison["achieved"].notna()]
    if len(drawn) >= 2:
        ax = cchc.plot_ambition_achievement(comparison, field=field, lang=lang)
        nb.show_figure(ax.figure, f"{index}-{field}-ambition", figures_dir=figures_dir, formats=formats, width="single",
                       data=drawn)

# %% [markdown]
# ## Table for a brief · Bảng cho báo cáo

# %%
nb.show_table(cchc.brief_table(comparison, lang=lang), lang=lang)

# %% [markdown]
# ## Which provinces set targets on each index · Tỉnh nào đặt mục tiêu cho chỉ số nào

# %%
nb.show_table(cchc.target_matrix(targets, period=period, boundaries=boundaries, lang=lang), lang=lang)
