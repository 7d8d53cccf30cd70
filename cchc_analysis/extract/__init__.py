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
  kept) give comparator ``top`` (rank N or better), unit ``rank``; "tăng ít nhất 3 bậc" gives
  ``>=`` 3 ``places`` (``rank_change``).
* **Deadlines** -- in this order: the clause ("đến năm 2025", "vào năm 2015", "giai đoạn
  2021-2025", "năm 2023"), the sentence opening ("Đến năm 2020, …", "Trong giai đoạn 1, …" with
  the phase's years defined earlier), an introducing line ending in ":", then the plan year.
* **Baselines** -- a past year tied to the figure ("năm 2021 xếp 33", "đạt 84,6% năm 2023" in a
  2024 plan) or past-tense cues ("đã đạt", "hiện nay", "tính đến") without a target cue make
  a baseline row (``is_baseline``), whose ``deadline`` is the year measured.
* **Context** -- a clause without a subject ("…; đến năm 2030 đạt 100%") carries on the
  one before it; "trong đó …" is a subset (same domain, no index); a short label before a
  colon ("Chỉ số SIPAS: đạt trên 85%") or the row label of a table cell holding only a
  figure ("Tỷ lệ hồ sơ đúng hạn | 98%", also with a unit column "| % | 100 |") names what
  the figure measures.  A restatement elsewhere (headline, photo caption) is reported once.
* **Messy text** -- hard line breaks are joined when most of the text sits in lines that
  end mid-sentence (copied from a PDF), unless a bullet, a number or a blank line follows;
  in other text every line break ends a clause.  Table pipes split cells; a decision's
  "Nơi nhận:" block is skipped (reading resumes at an attached "KẾ HOẠCH"/"PHỤ LỤC"), and a
  web page's reader-comment or statistics footer ends the text.  NFD input is normalised;
  offsets still refer to the text as given.

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
