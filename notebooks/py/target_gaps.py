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
from cchc_analysis import messages, page, plots

p = nb.parameters(globals())  # every parameter checked at once (cchc report --dry-run runs it too)
cchc.use_style()
if document:
    targets = cchc.load_targets(document=document)
else:
    targets = cchc.load_targets(province=p["province"].code)

# %%
everything = cchc.load_indicators()
gaps = cchc.assess_targets(targets, everything, as_of=as_of or None)
unit = cchc.resolve_province(gaps["province_code"].iloc[0]) if len(gaps) else p["province"]
page.header("target_gaps", lang=lang, province=unit, data=everything, document=document, as_of=as_of)
page.key_messages(messages.target_messages(gaps, lang=lang, data=everything), lang=lang)

# %%
page.section("summary", lang=lang)
summary = gaps["status"].value_counts().reindex(cchc.labels.STATUSES).dropna().astype(int)
page.table(summary.rename_axis("status").reset_index(name="targets"), "summary", lang=lang, figures_dir=figures_dir,
           columns=["status", "targets"])

# %%
page.section("all_targets", lang=lang)
page.table(page.target_table(gaps, lang=lang, data=everything, with_document=not document), "targets", lang=lang,
           figures_dir=figures_dir, columns={**({} if document else {"document_id": "text"}), **page.TARGET_COLUMNS},
           csv_frame=gaps)

# %%
graded = gaps[gaps["status"].isin(["met", "not met"]) & gaps["metric_index"].notna()]
if len(graded):
    page.section("which_met", lang=lang)
for _, row in graded.drop_duplicates(["metric_index", "comparator", "target_value"]).head(3).iterrows():
    ax = cchc.plot_target_map(row, everything, lang=lang)
    page.figure(ax, f"{row['target_id']}-map", lang=lang, figures_dir=figures_dir, formats=formats, width="single",
                data=page.figure_data(everything, index=row["metric_index"], years=row["actual_year"]))

# %%
if len(gaps):
    page.section("gaps_chart", lang=lang)
    axes = plots.plot_target_gaps(gaps, lang=lang)
    page.figure(axes, f"{unit.code}-gaps", lang=lang, figures_dir=figures_dir, formats=formats, data=gaps)
