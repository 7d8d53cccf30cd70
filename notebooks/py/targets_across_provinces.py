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
from cchc_analysis import messages, page
from cchc_analysis import notebook as nb

p = nb.parameters(globals(), supported_boundaries=("legacy", "2025"))  # every parameter checked at once
cchc.use_style()
targets, data = cchc.load_targets(), cchc.load_indicators()
comparison = cchc.compare_targets(targets, data, index=index, period=period, boundaries=boundaries, as_of=as_of or None)
page.header("targets_across_provinces", lang=lang, data=data, index=index, period=period, boundaries=boundaries,
            as_of=as_of)
page.key_messages(messages.targets_across_messages(comparison, index=index, lang=lang, period=period, data=data),
                  lang=lang)

# %%
if len(comparison):
    page.section("tap_summary", lang=lang)
    page.table(page.ambition_summary_table(comparison, lang=lang), "summary", lang=lang, figures_dir=figures_dir,
               columns=["measure", "count"], csv_frame=cchc.target_summary(comparison))

# %%
national = comparison[comparison["scope"] == "national"]
ladders = [f for f in ("rank", "value") if (national["metric_field"] == f).any()]
if ladders:
    page.section("tap_ladder", lang=lang)
for field in ladders:
    ax = cchc.plot_target_ladder(comparison, field=field, lang=lang)
    page.figure(ax, f"{index}-{field}-targets", lang=lang, figures_dir=figures_dir, formats=formats,
                data=comparison[comparison["metric_field"] == field])

# %%
drawn = {f: comparison[(comparison["metric_field"] == f) & comparison["ambition"].notna() & comparison["achieved"].notna()]
         for f in ("rank", "value")}
if any(len(d) >= 2 for d in drawn.values()):
    page.section("tap_ambition", lang=lang)
for field, rows in drawn.items():
    if len(rows) >= 2:
        ax = cchc.plot_ambition_achievement(comparison, field=field, lang=lang)
        page.figure(ax, f"{index}-{field}-ambition", lang=lang, figures_dir=figures_dir, formats=formats,
                    width="single", data=rows)

# %%
if len(comparison):
    page.section("tap_table", lang=lang)
    page.table(page.ambition_table(comparison, lang=lang, data=data), "targets", lang=lang, figures_dir=figures_dir,
               columns=page.AMBITION_COLUMNS, csv_frame=comparison)

# %%
page.section("tap_matrix", lang=lang)
matrix = cchc.target_matrix(targets, period=period, boundaries=boundaries)
page.table(page.matrix_table(matrix, lang=lang, boundaries=boundaries), "matrix", lang=lang, figures_dir=figures_dir,
           columns=page.MATRIX_COLUMNS, csv_frame=matrix)
