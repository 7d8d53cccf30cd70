"""Find quantitative targets and quoted baselines in Vietnamese PAR plan text.

:func:`extract_targets` reads the text of a provincial administrative-reform plan (or a news
item about one) and returns one row per stated figure, in the schema of
:mod:`cchc_analysis.targets`, ready for a person to review.  It is rule-based and built for
the language of such plans, not for particular files:

* **Numbers** -- ``85,5%`` (decimal comma), ``1.000`` (dot thousands), ``03`` (leading zero),
  ranges ``80 - 85%``, ``từ 02 đến 03 cuộc``.
* **Comparators** -- the cue nearest the number wins: *trên, hơn, vượt* ``>``; *từ … trở lên,
  tối thiểu, ít nhất, không thấp hơn, không dưới* ``>=``; *không quá, tối đa* ``<=``;
  *dưới* ``<``; *đạt, phấn đấu* or no cue ``>=`` for a target (``<=`` for durations such as
  "5 ngày") and ``=`` for a baseline.  ``trên 85% trở lên`` stays ``>``.
* **Indices** -- PAR Index, SIPAS, PAPI, PCI and DTI by acronym or Vietnamese name; a clause
  naming several ("Chỉ số PAR INDEX, SIPAS, PAPI, DTI thuộc nhóm 20 …") gives one row per
  index.  Satisfaction with administrative services maps to ``sipas/overall`` (unit %);
  satisfaction with health or education services alone does not.
* **Ranks** -- "nhóm N tỉnh … đứng đầu", "top N", "xếp thứ N", "vị trí 10 - 15/63" (upper bound
  kept) give comparator ``top`` (rank N or better), unit ``rank``; the N of "18/63" is
  ``rank_out_of``; a rank within a region ("4/14 tỉnh vùng …", "đứng thứ 2 khu vực Tây
  Nguyên", "So với các tỉnh trong khu vực ĐBSCL, …") has ``scope`` ``region:<slug>`` (a total
  below 60 without a name: ``region:unspecified``).  "tăng ít nhất 3 bậc", "tăng từ 3 - 5
  bậc", "tăng hai bậc" give ``>=`` 3 or 2 ``places`` (``rank_change``).  Indices listed after
  a rank phrase ("nhóm 15 địa phương dẫn đầu về các chỉ số PAR INDEX, SIPAS và PAPI") give
  one row each; "các năm 2020, 2021 lần lượt xếp thứ 44, 39" gives one baseline per year.
* **Deadlines** -- in this order: the clause ("đến năm 2025", "vào năm 2015", "giai đoạn
  2021-2025", "năm 2023"), the sentence opening ("Đến năm 2020, …", "Trong giai đoạn 1, …" with
  the phase's years defined earlier), an introducing line ending in ":", then the plan year.
* **Baselines** -- a figure is a reported result (``kind`` baseline, ``is_baseline``, ``deadline``
  the year measured) when the first of these says so: a past year tied to it (before the plan
  or the text's publication); result or aim words in its own words; the figure before it;
  the nearest cue earlier in the sentence or paragraph ("phấn đấu", "mục tiêu" vs "theo kết
  quả công bố", "so với năm 2022", "tụt", "vươn lên"); the introducing line or heading above
  it; a text that reports more than it aims (a results article yields no targets).  A figure
  in parentheses after "vượt chỉ tiêu … giao" is the quota (a target).  Figures of other
  provinces or ministries, national averages, parts of an index (component scores, fields,
  criteria) and indices outside the five (PGI, DDCI) reported as results are left out.
* **Context** -- a clause without a subject ("…; đến năm 2030 đạt 100%") carries on the
  one before it; "trong đó …" is a subset (same domain, no index); a short label before a
  colon ("Chỉ số SIPAS: đạt trên 85%") or the row label of a table cell holding only a
  figure ("Tỷ lệ hồ sơ đúng hạn | 98%", also with a unit column "| % | 100 |") names what
  the figure measures.  A restatement elsewhere (headline, photo caption) is reported once.
* **Totals and lists** -- "tất cả", "toàn bộ" thủ tục … stated as an aim is 100 %; one figure
  for a list of indicators ("… phải đạt 100% gồm: Tỷ lệ A; Tỷ lệ B và Tỷ lệ C", "Tỷ lệ A và tỷ
  lệ B đạt tối thiểu 80%") gives one row per indicator.
* **Tables** -- a figure in a table row belongs to the row's label, its year is the column's
  ("Năm 2025", "Kế hoạch 2024"), a results column ("Kết quả 2023") holds baselines, and a
  unit column ("điểm", "hạng") gives bare numbers their unit (:mod:`.tables`).
* **Domains beyond reform** -- GRDP growth, poverty, insurance coverage, investment
  disbursement … get domain ``socio_economic`` so a user can drop them.
* **Post-merger plans** -- a plan of the 34 units (from 2026, dated after 1 July 2025, or
  "sau sắp xếp") has ``boundaries`` 2025; a 2024 result it quotes is the former unit's.
* **Messy text** -- hard line breaks are joined when most of the text sits in lines that
  end mid-sentence (copied from a PDF), unless a bullet, a number or a blank line follows;
  in other text every line break ends a clause.  Table pipes split cells; a decision's
  "Nơi nhận:" block is skipped (reading resumes at an attached "KẾ HOẠCH"/"PHỤ LỤC"), and so
  is a web page's footer (related news, comments, statistics) up to a second article in the
  same file.  NFD input is normalised; offsets still refer to the text as given.  Every figure
  looks at a bounded stretch around it, so the work grows in proportion to the text.

The package is split along its concerns: :mod:`.text` (normalisation, numbers),
:mod:`.patterns` (vocabulary), :mod:`.document` (structure of one text), :mod:`.places`
(regions, provinces), :mod:`.tables` and :mod:`.rules` (reading each figure).

Domains come from weighted keywords in the clause (what a target does -- "đúng hạn",
"trực tuyến", "ký số" -- outweighs what it acts on -- "hồ sơ", "TTHC") and the numbered
section heading it sits under ("2. Cải cách thủ tục hành chính").  ``mapping_note`` says
how each row was read, so a reviewer can check the doubtful ones first.

The module imports no pandas until :func:`extract_targets` builds its frame;
:func:`find_targets` returns plain dicts.

Examples
--------
>>> rows = find_targets("Phấn đấu Chỉ số PAPI, PCI thuộc nhóm 15 tỉnh dẫn đầu.", plan_year=2024)
>>> [(r["metric_index"], r["comparator"], r["value"], r["unit"]) for r in rows]
[('papi', 'top', 15.0, 'rank'), ('pci', 'top', 15.0, 'rank')]
"""

from __future__ import annotations

from .document import infer_plan_period
from .rules import EXTRACT_COLUMNS, extract_targets, find_targets
from .text import parse_vi_number

# private helpers used by the CLI, the evaluation scripts and the tests
from .document import _parse_plan_year  # noqa: F401
from .text import _is_wrapped  # noqa: F401

__all__ = ["EXTRACT_COLUMNS", "extract_targets", "find_targets", "parse_vi_number", "infer_plan_period"]
