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
# # Target gaps · Khoảng cách mục tiêu
#
# Every target of a plan against the data: met, not met, on/off track, no data, or not measurable
# by the bundled indices. Give a `document` id (see `cchc.load_documents()`) or a `province`.

# %% tags=["parameters"]
province: str = "Quảng Nam"  # province whose plans are assessed (ignored when document is set)
boundaries: str = "legacy"  # "legacy" (63 provinces); "2025" (34 units) is refused, naming the legacy members to run
document: str = ""  # a document_id from cchc.load_documents(), or "" for all of the province's
as_of: int = 0  # assess as of this year (0 means the latest data)
lang: str = "vi"  # "vi" or "en"
figures_dir: str = "figures/target_gaps"  # where figures are written
formats: list = ["png"]  # extra figure formats

# %%
import cchc_analysis as cchc
from cchc_analysis import notebook as nb
from cchc_analysis import plots

p = nb.parameters(globals())  # every parameter checked at once (cchc report --dry-run runs it too)
cchc.use_style()
if document:
    targets = cchc.load_targets(document=document)
else:
    targets = cchc.load_targets(province=p["province"].code)
label = document or p["province"].name
print(f"{label}: {int((targets['kind'] == 'target').sum())} targets, {int((targets['kind'] == 'baseline').sum())} baselines")

# %%
gaps = cchc.assess_targets(targets, cchc.load_indicators(), as_of=as_of or None)
summary = nb.gap_table(gaps, lang=lang)["status"].value_counts().rename_axis("status").reset_index(name="targets")
nb.show_table(summary, lang=lang)

# %%
nb.show_table(nb.gap_table(gaps, lang=lang), lang=lang)

# %% [markdown]
# ## Which provinces met the bar · Những tỉnh đạt mức mục tiêu
# For each graded rank or score target on an index: every province's figure for the deadline year
# against the target's bar (the province that set it is outlined).

# %%
graded = gaps[gaps["status"].isin(["met", "not met"]) & gaps["metric_index"].notna()]
for _, row in graded.drop_duplicates(["metric_index", "comparator", "target_value"]).head(3).iterrows():
    ax = cchc.plot_target_map(row, cchc.load_indicators(), lang=lang)
    nb.show_figure(ax.figure, f"{row['target_id']}-map", figures_dir=figures_dir, formats=formats, width="single")

# %%
if len(gaps):
    axes = plots.plot_target_gaps(gaps, lang=lang)
    nb.show_figure(axes.flat[0].figure, f"{cchc.resolve_province(gaps['province_code'].iloc[0]).code}-gaps", figures_dir=figures_dir, formats=formats, data=gaps)
