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

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from .targets import TARGET_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["EXTRACT_COLUMNS", "extract_targets", "find_targets", "parse_vi_number", "infer_plan_period"]

EXTRACT_COLUMNS: tuple[str, ...] = TARGET_COLUMNS + ("is_baseline",)

# ----------------------------------------------------------------------------- text helpers

_TONES = "\u0301\u0300\u0309\u0303\u0323"


def _tone_pairs() -> dict[str, str]:
    """Old-style <-> new-style tone placement: "hóa"/"hoá", "thủy"/"thuỷ", "khỏe"/"khoẻ"."""
    pairs = {}
    for a, b in (("o", "a"), ("o", "e"), ("u", "y")):
        for t in _TONES:
            pairs[unicodedata.normalize("NFC", a + t) + b] = a + unicodedata.normalize("NFC", b + t)
    return pairs


_PAIRS = _tone_pairs()
_PAIRS_REV = {v: k for k, v in _PAIRS.items()}
_YI = dict(zip("ýỳỷỹỵíìỉĩị", "íìỉĩịýỳỷỹỵ"))


def _kw(phrase: str) -> str:
    """Regex for a lower-case phrase: any whitespace between words, both tone placements,
    y/i spellings at word end ("tỷ"/"tỉ", "lý"/"lí")."""
    out = []
    for word in phrase.lower().split():
        p = re.escape(word)
        for x, y in _PAIRS.items():
            if x in p:
                p = p.replace(x, f"(?:{x}|{y})")
            elif y in p:
                p = p.replace(y, f"(?:{x}|{y})")
        p = re.sub(r"(?<=[bcdđghklmnpqrstvx])([ýỳỷỹỵíìỉĩị])$", lambda m: f"[{m.group(1)}{_YI[m.group(1)]}]", p)
        out.append(p)
    return r"\s+".join(out)


def _alt(phrases: Iterable[str]) -> str:
    return "|".join(_kw(p) for p in sorted(set(phrases), key=len, reverse=True))


@lru_cache(maxsize=8192)
def _canon(s: str) -> str:
    s = re.sub(r"\s+", " ", s.strip())
    for new, old in _PAIRS_REV.items():
        if new in s:
            s = s.replace(new, old)
    return s


_CLEAN = {c: " " for c in (0x09, 0x0B, 0x0C, 0x0D, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000, 0xFEFF, 0x200B, 0x200C, 0x200D)}
_CLEAN.update({c: " " for c in range(0x2000, 0x200B)})
_CLEAN.update({c: "-" for c in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212)})
_CLEAN.update({0xFF05: "%", 0x00D0: "Đ", 0x2028: "\n", 0x2029: "\n"})
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_CLUSTER = re.compile(f"[^{_MARKS}][{_MARKS}]+")


def _nfc(text: str) -> tuple[str, list[int] | None]:
    """NFC text and, when normalisation changed lengths, a map new offset -> old offset."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    parts: list[str] = []
    omap: list[int] = []
    pos = 0

    def plain(a: int, b: int) -> None:
        chunk = text[a:b]
        norm = unicodedata.normalize("NFC", chunk)
        if len(norm) == len(chunk):
            parts.append(norm)
            omap.extend(range(a, b))
        else:  # pragma: no cover - exotic compositions without combining marks
            for k, ch in enumerate(chunk):
                n = unicodedata.normalize("NFC", ch)
                parts.append(n)
                omap.extend([a + k] * len(n))

    for m in _CLUSTER.finditer(text):
        plain(pos, m.start())
        norm = unicodedata.normalize("NFC", m.group())
        parts.append(norm)
        omap.extend([m.start()] * len(norm))
        pos = m.end()
    plain(pos, len(text))
    omap.append(len(text))
    return "".join(parts), omap


_CLEAN_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CLEAN)) + "]")
_CLEAN_STR = {chr(k): v for k, v in _CLEAN.items()}


def _working(norm: str) -> str:
    """Lower-case working copy of the same length: odd spaces, dashes and '％' made plain."""
    if _CLEAN_RE.search(norm):
        norm = _CLEAN_RE.sub(lambda m: _CLEAN_STR[m.group()], norm)
    w = norm.lower()
    if len(w) != len(norm):  # pragma: no cover - 'İ' and friends lower to two characters
        w = "".join(c if len(c) == 1 else ch for ch, c in zip(norm, (x.lower() for x in norm)))
    return w


_NUM_RE = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3}){2,}|\d+(?:[.,]\d+)?)$")


def parse_vi_number(s: str) -> float:
    """Parse a number written the Vietnamese way.

    A comma is the decimal mark; dots followed by groups of exactly three digits separate
    thousands; a lone dot with one or two digits after it is read as a decimal point (web
    text often uses it).  Leading zeros are dropped.

    >>> parse_vi_number("85,5"), parse_vi_number("1.000"), parse_vi_number("03"), parse_vi_number("1.234,5")
    (85.5, 1000.0, 3.0, 1234.5)
    >>> parse_vi_number("85.55")
    85.55
    """
    s = s.strip()
    if not _NUM_RE.match(s):
        raise ValueError(f"not a number: {s!r}")
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        return float(s.replace(".", "").replace(",", "."))
    return float(s.replace(",", "."))


# ----------------------------------------------------------------------------- patterns

# A number starts at a digit with no digit, letter, separator or slash before it.  The
# guard sits after the first digit so that every pattern starts with ``\d`` and the regex
# engine can skip ahead to digits (several times faster than a leading look-behind).
_G = r"(?<![\w.,/-]\d)"
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_GNUM = rf"\d{_G}(?:\d{{0,2}}(?:\.\d{{3}})+(?:,\d+)?|\d*(?:[.,]\d+)?)"
_GINT2 = rf"\d{_G}\d?"
_RANGE = r"\s*(?:-|đến|tới|~)\s*"

_PERCENT = re.compile(rf"(?P<n1>{_GNUM})(?:{_RANGE}(?P<n2>{_NUM}))?\s*(?:%|phần\s+trăm)")
# a table with a unit column: "| Tỷ lệ hồ sơ số hóa | % | 100 |"
_PERCENT_CELL = re.compile(rf"%[ \t]*\|[ \t]*(?P<n1>{_GNUM})(?=[ \t]*(?:\||\n|$))")
_GROUP = re.compile(
    rf"(?:(?P<kw>top|tốp|nhóm)\s+(?:(?:các|những|số)\s+)?(?:đầu\s+)?(?P<n1>{_GINT2})(?:{_RANGE}(?P<n2>\d{{1,2}}))?(?![\d]|[.,]\d)"
    rf"(?P<unit>\s+(?:tỉnh|địa\s+phương|thành\s+phố|đơn\s+vị))?"
    rf"(?P<tail>[^;.\n]{{0,60}}?(?:dẫn\s+đầu|đứng\s+đầu|cao\s+nhất|tốt\s+nhất|xếp\s+hạng\s+cao|cả\s+nước|toàn\s+quốc))?"
    rf"|(?:thuộc|trong|vào)\s+(?:số\s+)?(?P<n3>{_GINT2})\s+(?:tỉnh|địa\s+phương)[^;.\n]{{0,40}}?(?:dẫn\s+đầu|đứng\s+đầu|cao\s+nhất|tốt\s+nhất))"
)
_POSITION = re.compile(
    rf"(?<!sắp\s)(?:xếp\s+(?:hạng\s+)?|đứng\s+(?:ở\s+)?(?:vị\s+trí\s+)?(?=thứ)|thứ\s+hạng\s+|vị\s+trí\s+|(?<=xếp\s)hạng\s+)"
    rf"(?:(?:ở|tại|là)\s+)?(?:vị\s+trí\s+)?(?:thứ\s+)?(?P<n1>{_GINT2})(?:{_RANGE}(?P<n2>\d{{1,2}}))?"
    rf"(?:\s*/\s*(?P<tot>\d{{2,3}}))?(?![\d.,]\d|\s*(?:%|bậc|điểm|phần))"
)
_FIRST = re.compile(r"(?:xếp|đứng)\s+(?:ở\s+)?(?:vị\s+trí\s+)?thứ\s+nhất|(?:đứng|dẫn)\s+đầu\s+(?:cả\s+nước|toàn\s+quốc)")
_PLACES = re.compile(rf"(?P<n1>{_GINT2})(?:{_RANGE}(?P<n2>\d{{1,2}}))?\s*(?:bậc|thứ\s+hạng|hạng)(?!\w)")
_SCORE = re.compile(
    rf"(?P<n1>{_GNUM})(?:{_RANGE}(?P<n2>{_NUM}))?\s*điểm(?!\s+(?:giao|tiếp|cầu|phục|một|truy|wifi|du|bán|thu|kiểm|trường|dân|sáng|nóng|đen|cung|hẹn|đỗ|bưu|văn|dịch))(?!\w)"
)
_DAYS = re.compile(
    rf"(?P<n1>{_GNUM})(?:{_RANGE}(?P<n2>{_NUM}))?\s*(?P<u>ngày\s+làm\s+việc|ngày|giờ\s+làm\s+việc|giờ|tháng)(?!\w)(?!\s+(?:đầu|cuối)\s+năm)"
)
_COUNT_NOUNS = (
    "cuộc", "lớp", "đợt", "lần", "buổi", "hội nghị", "hội thảo", "sáng kiến", "mô hình", "chuyên mục",
    "tin bài", "tin, bài", "bài viết", "phóng sự", "cơ quan", "đơn vị", "thủ tục", "tthc", "dịch vụ",
    "hồ sơ", "văn bản", "người", "cán bộ", "công chức", "viên chức", "lượt", "đoàn", "cuộc kiểm tra",
)
_COUNT = re.compile(
    rf"(?P<n1>\d{_G}(?:\d{{0,2}}(?:\.\d{{3}})+|\d{{0,3}}))(?:{_RANGE}(?P<n2>\d{{1,3}}(?:\.\d{{3}})+|\d{{1,4}}))?\s+(?P<noun>{_alt(_COUNT_NOUNS)})(?!\w)"
)
# a table with a unit column: "| Số cuộc đối thoại | cuộc | 02 |"
_COUNT_CELL = re.compile(
    rf"\|[ \t]*(?P<noun>{_alt(_COUNT_NOUNS)})[ \t]*\|[ \t]*(?P<n1>\d{_G}(?:\d{{0,2}}(?:\.\d{{3}})+|\d{{0,3}}))(?=[ \t]*(?:\||\n|$))"
)
_INDEX_VALUE = re.compile(
    rf"(?:đạt|là|ở\s+mức|đạt\s+mức)\s+(?:(?:trên|từ|tối\s+thiểu|ít\s+nhất|khoảng)\s+)?(?P<n1>\d{_G}\d{{0,2}}(?:[.,]\d+)?)"
    rf"(?![\d.,]|\s*(?:%|phần|điểm|bậc|ngày|giờ|tháng|/)|\s+(?:{_alt(_COUNT_NOUNS)}|tỉnh|địa|năm)(?!\w))"
)

# (name, regex, priority: lower wins an overlap)
_MENTIONS = (
    ("group", _GROUP, 0),
    ("position", _POSITION, 1),
    ("places", _PLACES, 2),
    ("percent", _PERCENT, 3),
    ("percent", _PERCENT_CELL, 3),
    ("score", _SCORE, 4),
    ("days", _DAYS, 5),
    ("index_value", _INDEX_VALUE, 6),
    ("count", _COUNT, 7),
    ("count", _COUNT_CELL, 7),
    ("first", _FIRST, 8),
)

_INDEX_RE = re.compile(
    "(?=[dpicnsmth])(?:"
    + "|".join(
        f"(?P<{name}>{pat})"
        for name, pat in (
            (
                "other",
                r"\bddci\b|\bpgi\b|\bict[\s-]*index\b|chỉ\s+số\s+(?:xanh|sẵn\s+sàng)"
                r"|năng\s+lực\s+cạnh\s+tranh\s+cấp\s+(?:sở|huyện|xã|địa\s+phương|ngành)"
                r"|chỉ\s+số\s+(?:cải\s+cách\s+hành\s+chính|cchc)\s+(?:của\s+)?(?:các\s+)?(?:sở|cơ\s+quan|huyện|xã|đơn\s+vị|ubnd|ủy\s+ban|uỷ\s+ban|ngành)"
                r"|(?:sipas|chỉ\s+số\s+hài\s+lòng)\s+(?:của\s+)?(?:các\s+)?(?:sở|huyện|xã|đơn\s+vị)\b",
            ),
            ("par", r"\bpar[\s_-]*index\b|\bpar\b|chỉ\s+số\s+(?:cải\s+cách\s+hành\s+chính|cchc)|chỉ\s+cải\s+cách\s+hành\s+chính"),
            ("sipas", r"\bsipas\b"),
            ("sipasname", r"chỉ\s+số\s+hài\s+lòng"),
            ("papi", r"\bpapi\b|(?:chỉ\s+số\s+)?hiệu\s+quả\s+quản\s+trị\s+và\s+hành\s+chính\s+công"),
            ("pci", r"\bpci\b|chỉ\s+số\s+năng\s+lực\s+cạnh\s+tranh|năng\s+lực\s+cạnh\s+tranh\s+cấp\s+tỉnh"),
            ("dti", r"\bdti\b|chỉ\s+số\s+(?:đánh\s+giá\s+)?(?:mức\s+độ\s+)?chuyển\s+đổi\s+số"),
            ("sat", r"hài\s+lòng"),
        )
    )
    + ")"
)
# Cheap scan for places where _INDEX_RE may match (a plain alternation of literals is
# several times faster than the full pattern tried at every position).
_INDEX_CAND = re.compile(r"par|papi|pci|sipas|ddci|pgi|dti|ict|chỉ\s+(?:số|cải)|hiệu\s+quả\s+quản|năng\s+lực\s+cạnh|hài\s+lòng")
_INDICES = ("par", "sipas", "papi", "pci", "dti")
_INDEX_VI = {
    "par": "Chỉ số CCHC (PAR Index)",
    "sipas": "Chỉ số hài lòng (SIPAS)",
    "papi": "Chỉ số PAPI",
    "pci": "Chỉ số PCI",
    "dti": "Chỉ số chuyển đổi số (DTI)",
}
_INDEX_EN = {"par": "PAR Index", "sipas": "SIPAS", "papi": "PAPI", "pci": "PCI", "dti": "DTI"}

_ADMIN_OBJ = re.compile(
    r"hành\s+chính|tthc|thủ\s+tục|sự\s+phục\s+vụ|cơ\s+quan\s+nhà\s+nước|một\s+cửa|dịch\s+vụ\s+công(?!\s+trực)"
)
_PUBLIC_OBJ = re.compile(r"y\s+tế|giáo\s+dục|sự\s+nghiệp|bệnh\s+viện|trường\s+học|công\s+lập")
_SERVE_STRONG = re.compile(r"(?:sự\s+)?phục\s+vụ\s+(?:của\s+)?(?:các\s+)?cơ\s+quan\s+hành\s+chính")

# domain keywords: (phrase, domain, weight, English gloss for indicator_en or "")
# Domain keywords: (phrase, domain, weight, English gloss for indicator_en or "").
# Weights follow one idea: what a target *does* outweighs what it acts on.  Outcome words
# ("đúng hạn", "xin lỗi", "chi phí tuân thủ") and channel words ("trực tuyến", "ký số",
# "số hóa") weigh 2-3; objects met everywhere ("hồ sơ", "TTHC", "cán bộ") weigh 1 or less.
# Each phrase counts once per clause.
_DOMAIN_WORDS: tuple[tuple[str, str, float, str], ...] = (
    ("văn bản quy phạm pháp luật", "institutional", 3, "legal normative documents"),
    ("vbqppl", "institutional", 3, "legal normative documents"),
    ("qppl", "institutional", 3, "legal normative documents"),
    ("văn bản pháp luật", "institutional", 3, "legal documents"),
    ("thể chế", "institutional", 2, "institutions"),
    ("pháp chế", "institutional", 2, "legal affairs"),
    ("thi hành pháp luật", "institutional", 2, "law enforcement monitoring"),
    ("tiếp cận pháp luật", "institutional", 3, "access to law"),
    ("phổ biến, giáo dục pháp luật", "institutional", 2, "legal education"),
    ("rà soát văn bản", "institutional", 2, "review of legal documents"),
    ("kiểm tra văn bản", "institutional", 2, "checks of legal documents"),
    ("pháp luật", "institutional", 1, ""),
    ("thủ tục hành chính", "procedures", 1, "administrative procedures"),
    ("tthc", "procedures", 1, "administrative procedures"),
    ("một cửa", "procedures", 2, "one-stop shop"),
    ("liên thông", "procedures", 1, "inter-agency processing"),
    ("hồ sơ", "procedures", 1, "dossiers"),
    ("trước hạn", "procedures", 3, "early/on-time processing"),
    ("đúng hạn", "procedures", 3, "on-time processing"),
    ("quá hạn", "procedures", 3, "overdue dossiers"),
    ("trễ hạn", "procedures", 3, "late dossiers"),
    ("xin lỗi", "procedures", 3, "apologies for delays"),
    ("chi phí tuân thủ", "procedures", 3, "compliance costs"),
    ("quy định kinh doanh", "procedures", 3, "business regulations"),
    ("điều kiện kinh doanh", "procedures", 3, "business conditions"),
    ("đơn giản hóa", "procedures", 2, "simplification"),
    ("cắt giảm", "procedures", 2, "cuts"),
    ("phản ánh, kiến nghị", "procedures", 3, "feedback and petitions"),
    ("tiếp nhận và trả kết quả", "procedures", 1, "reception and return of results"),
    ("thời gian giải quyết", "procedures", 2, "processing time"),
    ("đúng thời gian", "procedures", 2, "on-time processing"),
    ("rút ngắn", "procedures", 2, "shortened processing"),
    ("giải quyết", "procedures", 0.5, ""),
    ("giấy tờ", "procedures", 1, "paperwork"),
    ("giấy phép", "procedures", 2, "permits"),
    ("cấp phép", "procedures", 2, "permits"),
    ("thời gian", "procedures", 1, ""),
    ("tổ chức bộ máy", "apparatus", 3, "organisational structure"),
    ("bộ máy", "apparatus", 2, "organisational structure"),
    ("đơn vị sự nghiệp", "apparatus", 2, "public service units"),
    ("sự nghiệp công", "apparatus", 2, "public services"),
    ("sắp xếp", "apparatus", 2, "restructuring"),
    ("tinh gọn", "apparatus", 2, "streamlining"),
    ("đầu mối", "apparatus", 2, "units"),
    ("cơ cấu tổ chức", "apparatus", 2, "organisational structure"),
    ("sáp nhập", "apparatus", 2, "mergers"),
    ("phòng chuyên môn", "apparatus", 1, "specialised divisions"),
    ("y tế", "apparatus", 1, "health"),
    ("giáo dục", "apparatus", 1, "education"),
    ("tự chủ", "apparatus", 1, "autonomy"),
    ("công chức", "civil_service", 1, "civil servants"),
    ("viên chức", "civil_service", 1, "public employees"),
    ("cán bộ", "civil_service", 1, "officials"),
    ("vị trí việc làm", "civil_service", 3, "job positions"),
    ("vị trí làm việc", "civil_service", 3, "job positions"),
    ("biên chế", "civil_service", 3, "staff quotas"),
    ("tinh giản", "civil_service", 3, "staff cuts"),
    ("chức danh", "civil_service", 2, "job titles"),
    ("đạt chuẩn", "civil_service", 1, "meeting standards"),
    ("bồi dưỡng", "civil_service", 2, "training"),
    ("đào tạo", "civil_service", 1, "training"),
    ("tuyển dụng", "civil_service", 3, "recruitment"),
    ("công vụ", "civil_service", 2, "public duty"),
    ("kỷ luật", "civil_service", 1, "discipline"),
    ("ngân sách", "public_finance", 2, "budget"),
    ("giải ngân", "public_finance", 3, "disbursement"),
    ("đầu tư công", "public_finance", 3, "public investment"),
    ("tài chính", "public_finance", 1, "finance"),
    ("chi thường xuyên", "public_finance", 3, "recurrent spending"),
    ("kinh phí", "public_finance", 1, "funding"),
    ("nợ công", "public_finance", 3, "public debt"),
    ("tiền lương", "public_finance", 3, "salaries"),
    ("thu ngân sách", "public_finance", 3, "budget revenue"),
    ("tài sản công", "public_finance", 3, "public assets"),
    ("quyết toán", "public_finance", 2, "budget settlement"),
    ("dịch vụ công trực tuyến", "digital_government", 3, "online public services"),
    ("dvc trực tuyến", "digital_government", 3, "online public services"),
    ("dvctt", "digital_government", 3, "online public services"),
    ("cổng dịch vụ công", "digital_government", 2, "public service portal"),
    ("một cửa điện tử", "digital_government", 3, "electronic one-stop system"),
    ("hệ thống thông tin", "digital_government", 2, "information system"),
    ("cổng thông tin điện tử", "digital_government", 3, "web portal"),
    ("trang thông tin điện tử", "digital_government", 3, "website"),
    ("chữ ký số", "digital_government", 3, "digital signatures"),
    ("ký số", "digital_government", 3, "digital signing"),
    ("số hóa", "digital_government", 3, "digitisation"),
    ("chuyển đổi số", "digital_government", 3, "digital transformation"),
    ("phần mềm", "digital_government", 2, "software"),
    ("không giấy tờ", "digital_government", 3, "paperless work"),
    ("thanh toán trực tuyến", "digital_government", 3, "online payment"),
    ("môi trường mạng", "digital_government", 2, "online processing"),
    ("môi trường điện tử", "digital_government", 2, "electronic processing"),
    ("môi trường số", "digital_government", 2, "digital processing"),
    ("định danh", "digital_government", 2, "digital identity"),
    ("cơ sở dữ liệu", "digital_government", 2, "databases"),
    ("dữ liệu", "digital_government", 1, "data"),
    ("công nghệ thông tin", "digital_government", 2, "IT"),
    ("cntt", "digital_government", 2, "IT"),
    ("tích hợp", "digital_government", 2, "integration"),
    ("đồng bộ", "digital_government", 2, "synchronisation"),
    ("kết nối", "digital_government", 1, "connection"),
    ("điện tử", "digital_government", 2, "electronic"),
    ("trực tuyến", "digital_government", 2, "online"),
    ("họp trực tuyến", "digital_government", 2, "online meetings"),
    ("tuyên truyền", "direction", 2, "communication"),
    ("truyền thông", "direction", 1, "communication"),
    ("đối thoại", "direction", 3, "dialogues"),
    ("khen thưởng", "direction", 2, "awards"),
    ("sáng kiến", "direction", 1, "initiatives"),
    ("kiểm tra", "direction", 1, "inspections"),
    ("thanh tra", "direction", 1, "inspections"),
    ("chỉ đạo", "direction", 1, "direction"),
    ("điều hành", "direction", 1, "management"),
    ("báo cáo", "direction", 1, "reporting"),
    ("giám sát", "direction", 1, "supervision"),
    ("doanh nghiệp", "", 0, "businesses"),
    ("người dân", "", 0, "citizens"),
    ("hài lòng", "", 0, "satisfaction"),
)
_DOMAIN_FIRST = "".join(sorted({p[0] for p, *_ in _DOMAIN_WORDS}))
_DOMAIN_RE = re.compile(rf"(?=[{_DOMAIN_FIRST}])(?<!\w)(?:{_alt(p for p, *_ in _DOMAIN_WORDS)})(?!\w)")
_DOMAIN_OF = {_canon(p): (d, w, en) for p, d, w, en in _DOMAIN_WORDS}
_DOMAIN_EN = {
    "institutional": "Institutional reform",
    "procedures": "Administrative procedures",
    "apparatus": "Organisational apparatus",
    "civil_service": "Civil service",
    "public_finance": "Public finance",
    "digital_government": "Digital government",
    "direction": "Direction of reform",
}
_HEADING_DOMAINS = (
    ("institutional", r"cải\s+cách\s+thể\s+chế|hoàn\s+thiện\s+thể\s+chế"),
    ("procedures", r"cải\s+cách\s+(?:thủ\s+tục\s+hành\s+chính|tthc)"),
    ("apparatus", r"cải\s+cách\s+tổ\s+chức\s+bộ\s+máy|sắp\s+xếp\s+tổ\s+chức\s+bộ\s+máy|tổ\s+chức\s+bộ\s+máy"),
    ("civil_service", r"cải\s+cách\s+chế\s+độ\s+công\s+vụ|cải\s+cách\s+công\s+vụ|đội\s+ngũ\s+cán\s+bộ"),
    ("public_finance", r"cải\s+cách\s+tài\s+chính\s+công|tài\s+chính\s+công"),
    (
        "digital_government",
        r"chính\s+(?:quyền|phủ)\s+(?:điện\s+tử|số)|hiện\s+đại\s+(?:hóa|hoá)\s+(?:nền\s+)?hành\s+chính|chuyển\s+đổi\s+số",
    ),
    ("direction", r"chỉ\s+đạo\s*,?\s+điều\s+hành|tuyên\s+truyền"),
)
_HEADING_DOMAIN_RE = re.compile("|".join(f"(?P<{d}>{p})" for d, p in _HEADING_DOMAINS))
_HEADING = re.compile(r"(?m)^[ \t|]*(?P<num>[ivxlc]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])(?P<p>[.)])[ \t]+(?P<rest>[^\n]{0,100})")

_SEP = re.compile(
    r"(?=[\n|.!?…;:])(?:"
    r"(?P<para>\n[ \t]*\n\s*)"
    r"|(?P<line>\n(?=[ \t]*(?:[-+•*●▪◦]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ][.)]\s|[ivxlc]{1,5}[.)]\s|\|)))"
    r"|(?P<pipe>\|)"
    r"|(?P<stop>[.!?…]+(?=[\s\"”’)\]]|$))"
    r"|(?P<semi>;)"
    r"|(?P<colon>:(?=\s))"
    r"|(?P<nl>\n))"
)
_ABBREV_END = re.compile(r"(?<!\w)(?:tp|tx|tt|ths|ts|pgs|gs|bs|ks|q|p|đ/c|v\.v|st|vd|kt|tm)$")
_PAREN = re.compile(r"\([^()]{0,500}\)")

_FOOTER = re.compile(r"(?m)^[ \t|>*-]*nơi\s+nhận\s*:?")
_RESUME = re.compile(
    r"(?m)^[ \t|]*(?:\(?\s*ban\s+hành\s+kèm\s+theo|(?P<title>kế\s+hoạch|chương\s+trình|phụ\s+lục|đề\s+án|quy\s+định|quy\s+chế)(?!\w))"
)
_WEB_END = re.compile(
    r"(?m)^[ \t|>*#-]*(?:thống\s+kê\s+truy\s+cập|ý\s+kiến\s+bạn\s+đọc|(?:gửi\s+|viết\s+)?bình\s+luận|tin\s+liên\s+quan"
    r"|tin\s+cùng\s+chuyên\s+mục|(?:các\s+)?tin\s+khác|tin\s+mới\s+hơn|tin\s+cũ\s+hơn|(?:tin\s+)?bài\s+viết\s+liên\s+quan"
    r"|tin\s+bài\s+liên\s+quan|chia\s+sẻ\s+bài\s+viết|bản\s+quyền|liên\s+kết(?:\s+website)?|từ\s+khóa|tags?|lượt\s+xem)"
    r"(?!\w)[^\n]{0,30}$"
)

_YEAR_PRE = re.compile(r"(?<!\w)(?P<pre>so\s+với|đến\s+hết|đến|tới|hết|trước|sau|vào|trong|từ|cuối|đầu|của)\s+$")
_YEAR = re.compile(
    r"(?:năm\s+(?P<y>(?:19|20)\d{2})(?!\d)(?:\s*-\s*(?:năm\s+)?(?P<y2>(?:19|20)\d{2})(?!\d))?"
    r"|giai\s+đoạn\s*:?\s*(?:từ\s+)?(?:năm\s+)?(?P<a>(?:19|20)\d{2})\s*-\s*(?:năm\s+)?(?P<b>(?:19|20)\d{2})(?!\d))"
)
_DATE_BEFORE = re.compile(r"(?:tháng\s+\d{1,2}|\d{1,2}\s*/\s*\d{1,2}\s*/?)\s*$")
_PHASE_LABEL = r"\d|[ivx]{1,3}|một|hai|ba|thứ\s+nhất|thứ\s+hai|thứ\s+ba"
_PHASE_DEF = re.compile(
    rf"giai\s+đoạn\s+(?P<l>{_PHASE_LABEL})\s*[:,(]?\s*(?:từ\s+)?(?:năm\s+)?(?P<a>(?:19|20)\d{{2}})\s*-\s*(?:đến\s+)?(?:năm\s+)?(?P<b>(?:19|20)\d{{2}})"
)
_PHASE_REF = re.compile(rf"giai\s+đoạn\s+(?P<l>{_PHASE_LABEL})(?![\w:])")
_SENT_PREFIX = re.compile(
    r"[\s\-+•*]*(?:(?:cụ\s+thể|theo\s+đó|đồng\s+thời|ngoài\s+ra|mục\s+tiêu(?:\s+cụ\s+thể)?|chỉ\s+tiêu(?:\s+cụ\s+thể)?)\s*[,:]\s*)*"
    r"(?:(?P<rep>(?:theo\s+)?kết\s+quả(?:\s+(?:đánh\s+giá|công\s+bố|xếp\s+hạng))?(?:\s+(?:chỉ\s+số\s+)?\S+){0,3}?|tính\s+đến\s+(?:hết\s+|cuối\s+)?)\s+)?"
    r"(?:(?P<pre>đến\s+hết|đến|tới|trong|vào|hết|cuối)\s+)?"
    rf"(?:năm\s+(?P<y>(?:19|20)\d{{2}})|giai\s+đoạn\s+(?P<l>{_PHASE_LABEL})(?![\w])|giai\s+đoạn\s+(?:từ\s+)?(?:năm\s+)?(?P<a>(?:19|20)\d{{2}})\s*-\s*(?:năm\s+)?(?P<b>(?:19|20)\d{{2}}))"
    r"\s*[,:]"
)
_PLAN_TITLE = re.compile(
    r"(?:kế\s+hoạch|chương\s+trình)[^;.]{0,160}?(?:năm\s+(?P<y>(?:19|20)\d{2})(?![\d-])|giai\s+đoạn\s+(?:từ\s+)?(?:năm\s+)?(?P<a>(?:19|20)\d{2})\s*-\s*(?:năm\s+)?(?P<b>(?:19|20)\d{2}))"
)
_PLAIN_YEAR = re.compile(r"(?<!tháng\s)(?<![/\d])năm\s+((?:19|20)\d{2})(?![\d/])")

_TARGET_CUE = re.compile(
    r"phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu|đến\s+năm|đến\s+hết\s+năm|tối\s+thiểu|ít\s+nhất|không\s+thấp\s+hơn"
    r"|(?<!\w)giao(?!\s+(?:dịch|thông|lưu|tiếp|diện|ban|nhận|thoa|hữu|ước|kết))(?!\w)|bảo\s+đảm|đảm\s+bảo|duy\s+trì|hướng\s+tới"
    r"|cần\s+đạt|phải\s+đạt|(?<!\w)sẽ(?!\w)|kế\s+hoạch\s+đề\s+ra"
)
_PAST_CUE = re.compile(
    r"(?<!\w)đã(?!\s+(?:được|có\s+kế\s+hoạch))(?!\w)|đã\s+được\s+xếp|đạt\s+được|năm\s+qua|vừa\s+qua|hiện\s+nay|hiện\s+tại"
    r"|tính\s+đến|tháng\s+đầu\s+năm|cùng\s+kỳ|kết\s+quả\s+(?:năm|chỉ\s+số|đánh\s+giá|xếp\s+hạng|công\s+bố)|được\s+công\s+bố|công\s+bố\s+kết\s+quả"
)
_SUBSET_START = re.compile(r"[\s\-+•*(]*(?:trong\s+đó|riêng|đặc\s+biệt\s+là|nhất\s+là)(?!\w)")
_SUBSET_IN = re.compile(r"(?<!\w)(?:trong\s+đó|riêng|đặc\s+biệt\s+là|nhất\s+là)(?!\w)")
_REF_WORD = re.compile(r"(?<!\w)(?:theo|tại|căn\s+cứ|của\s+(?:chính\s+phủ|thủ\s+tướng|ubnd|ủy\s+ban|tỉnh\s+ủy))(?!\w)")
_FILL_END = re.compile(
    r"(?:^|(?<=[\s(:,]))(?:đạt\s+mức|ở\s+mức|đạt|mức|là|được|bằng|khoảng|phấn\s+đấu|yêu\s+cầu|t[ỷỉ]\s+lệ|còn|lên|xuống|thêm|tăng|giảm|nâng|cải\s+thiện|hạng|:|-)\s*$"
)
_CUE_END = re.compile(
    r"(?:^|(?<=[\s(:,]))(?P<cue>không\s+thấp\s+hơn|không\s+dưới|không\s+ít\s+hơn|ít\s+nhất|tối\s+thiểu|không\s+vượt\s+quá|không\s+quá"
    r"|tối\s+đa|không\s+nhiều\s+hơn|không\s+cao\s+hơn|cao\s+hơn|nhiều\s+hơn|lớn\s+hơn|vượt|trên|hơn|thấp\s+hơn|ít\s+hơn|nhỏ\s+hơn"
    r"|dưới|từ)\s*$"
)
_CUE_CMP = {
    "không thấp hơn": ">=", "không dưới": ">=", "không ít hơn": ">=", "ít nhất": ">=", "tối thiểu": ">=",
    "không vượt quá": "<=", "không quá": "<=", "tối đa": "<=", "không nhiều hơn": "<=", "không cao hơn": "<=",
    "cao hơn": ">", "nhiều hơn": ">", "lớn hơn": ">", "vượt": ">", "trên": ">", "hơn": ">",
    "thấp hơn": "<", "ít hơn": "<", "nhỏ hơn": "<", "dưới": "<", "từ": ">=",
}
_AFTER_UP = re.compile(r"\s*(?:trở\s+lên|trở\s+xuống)")
_REDUCE_BEFORE = re.compile(r"(?:rút\s+ngắn|giảm|cắt\s+giảm|tiết\s+kiệm)(?:\s+\S+){0,3}\s*$")
_DOWN_TO = re.compile(r"(?:giảm|rút\s+ngắn)\s+(?:xuống\s+)?(?:còn|xuống)\s*$")
_DIRECTION_DOWN = re.compile(r"(?:giảm|tụt|xuống)(?:\s+\S+){0,3}\s*$")
_COUNT_ACTION = re.compile(
    r"(?:tổ\s+chức|kiểm\s+tra|xây\s+dựng|thực\s+hiện|ban\s+hành|triển\s+khai|đào\s+tạo|bồi\s+dưỡng|thí\s+điểm|cắt\s+giảm|giảm"
    r"|bãi\s+bỏ|đơn\s+giản\s+(?:hóa|hoá)|phát\s+hành|đăng\s+tải|xuất\s+bản|tuyển\s+dụng|cử|có)\s+(?:(?:được|thêm|khoảng)\s+)?$"
)
_TIME_CONTEXT = re.compile(r"thời\s+gian|thời\s+hạn|giải\s+quyết|trả\s+kết\s+quả|xử\s+lý|cấp|tiếp\s+nhận|rút\s+ngắn")
_TIME_CUE = re.compile(r"(?:trong|vòng|còn|không\s+quá|tối\s+đa|dưới|rút\s+ngắn|giảm|xuống)(?:\s+\S+){0,2}\s*$")
_CHISO = re.compile(r"chỉ\s+số")
_PROVINCE_CAND = re.compile(r"(?:(?<!\w)[Tt]ỉnh|TỈNH|[Tt]hành\s+phố|THÀNH\s+PHỐ)((?:\s+[^\W\d_][^\s,.;:()|/]*){1,4})")


# ----------------------------------------------------------------------------- document model


@dataclass
class _Mention:
    kind: str
    start: int
    end: int
    num_start: int
    n1: float
    n2: float | None = None
    extra: dict = field(default_factory=dict)


class _Doc:
    """Pre-computed structure of one text: separators, parentheses, indices, years..."""

    def __init__(self, text: str):
        self.text = text
        self.norm, self.omap = _nfc(text)
        self.w = w = _working(self.norm)
        self.n = n = len(w)
        self._body()
        par = [(m.start(), m.end()) for m in _PAREN.finditer(w)]
        self.pstart = [a for a, _ in par]
        self.pend = [b for _, b in par]
        self.wrapped = _is_wrapped("\n".join(w[a:b] for a, b in self.body))
        seps = []
        for m in _SEP.finditer(w):
            kind = m.lastgroup
            if kind == "nl":
                if self.wrapped:
                    continue
                kind = "line"
            if kind in ("semi", "colon", "stop") and self.paren_of(m.start()) is not None:
                continue
            if kind == "stop" and m.group().startswith(".") and _ABBREV_END.search(w, max(0, m.start() - 6), m.start()):
                continue
            seps.append((m.start(), m.end(), kind))
        self.sstart = [a for a, _, _ in seps]
        self.send = [b for _, b, _ in seps]
        self.skind = [k for _, _, k in seps]
        hard = [(a, b) for a, b, k in seps if k in ("para", "line", "pipe", "stop")]
        self.hstart = [a for a, _ in hard]
        self.hend = [b for _, b in hard]
        idx = []
        last = -1
        for c in _INDEX_CAND.finditer(w):
            if c.start() < last:
                continue
            m = _INDEX_RE.match(w, c.start())
            if m:
                idx.append((m.start(), m.end(), m.lastgroup))
                last = m.end()
        self.istart = [a for a, _, _ in idx]
        self.iend = [b for _, b, _ in idx]
        self.iname = [k for _, _, k in idx]
        dom = [(m.start(), _DOMAIN_OF.get(_canon(m.group()), ("", 0, ""))) for m in _DOMAIN_RE.finditer(w)]
        self.dpos = [a for a, _ in dom]
        self.dval = [v for _, v in dom]
        years = []
        for m in _YEAR.finditer(w):
            pm = _YEAR_PRE.search(w, max(0, m.start() - 14), m.start())
            pre = re.sub(r"\s+", " ", pm.group("pre")) if pm else ""
            if m.group("b"):
                typ, y = "period", int(m.group("b"))
            elif m.group("y2"):
                typ, y = "period", int(m.group("y2"))
            else:
                y = int(m.group("y"))
                if _DATE_BEFORE.search(w, max(0, m.start() - 12), m.start()):
                    typ = "date"
                elif pre.startswith("so") or pre in ("từ", "sau", "của"):
                    typ = "ref"
                elif pre in ("đến", "đến hết", "tới", "hết", "vào", "trước", "cuối") or pre.startswith("đến"):
                    typ = "until"
                else:
                    typ = "plain"
            years.append((m.start(), m.end(), typ, y))
        self.ystart = [a for a, *_ in years]
        self.years = years
        self.phases = {}
        for m in _PHASE_DEF.finditer(w):
            self.phases.setdefault(_phase_key(m.group("l")), (int(m.group("a")), int(m.group("b"))))
        self._contexts()

    # -- regions
    def _body(self) -> None:
        w, n = self.w, self.n
        spans = []
        cur = 0
        stop = n
        for m in _WEB_END.finditer(w):
            if m.start() >= 0.3 * n:
                stop = m.start()
                break
        for m in _FOOTER.finditer(w, 0, stop):
            if m.start() < cur:
                continue
            spans.append((cur, m.start()))
            cur = stop
            for r in _RESUME.finditer(w, m.end(), stop):
                if r.group("title") is None or self.norm[r.start("title") : r.end("title")].isupper():
                    cur = r.start()
                    break
        if cur < stop:
            spans.append((cur, stop))
        self.body = [(a, b) for a, b in spans if b > a]
        self.body_start = [a for a, _ in self.body]

    def in_body(self, p: int) -> bool:
        i = bisect.bisect_right(self.body_start, p) - 1
        return i >= 0 and p < self.body[i][1]

    def paren_of(self, p: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.pstart, p) - 1
        if i >= 0 and p < self.pend[i] and p > self.pstart[i]:
            return self.pstart[i], self.pend[i]
        return None

    def clause(self, p: int) -> tuple[int, int, int]:
        i = bisect.bisect_right(self.sstart, p) - 1
        a = self.send[i] if i >= 0 else 0
        b = self.sstart[i + 1] if i + 1 < len(self.sstart) else self.n
        return a, b, i

    def label_start(self, i: int, a: int, b: int) -> int:
        """Start of the text a clause leans on: the row label of a table cell that holds
        only a figure ("Tỷ lệ hồ sơ đúng hạn | 98%"), or a short label before a colon
        ("Chỉ số SIPAS: đạt trên 85%").  ``a`` when there is none."""
        if i < 0:
            return a
        kind = self.skind[i]
        prev = self.send[i - 1] if i >= 1 else 0
        if kind == "colon" and self.sstart[i] - prev <= 80 and "\n" not in self.w[prev : self.sstart[i]].strip():
            return prev
        if kind == "pipe" and not self.domain_hits(a, b) and not self.indices_in(a, b):
            j = i
            while j >= 0 and self.skind[j] == "pipe":
                start = self.send[j - 1] if j >= 1 else 0
                cell = self.w[start : self.sstart[j]]
                if "\n" in cell:
                    break
                if _LETTER.search(cell):
                    return start
                j -= 1
        return a

    def sentence_start(self, p: int) -> int:
        i = bisect.bisect_right(self.hstart, p) - 1
        return self.hend[i] if i >= 0 else 0

    def indices_in(self, a: int, b: int) -> list[tuple[int, int, str]]:
        i = bisect.bisect_left(self.istart, a)
        out = []
        while i < len(self.istart) and self.istart[i] < b:
            if self.iend[i] <= b:
                out.append((self.istart[i], self.iend[i], self.iname[i]))
            i += 1
        return out

    def years_in(self, a: int, b: int) -> list[tuple[int, int, str, int]]:
        i = bisect.bisect_left(self.ystart, a)
        out = []
        while i < len(self.ystart) and self.ystart[i] < b:
            if self.years[i][1] <= b + 1:
                out.append(self.years[i])
            i += 1
        return out

    def domain_hits(self, a: int, b: int) -> list[tuple[str, float, str]]:
        i = bisect.bisect_left(self.dpos, a)
        j = bisect.bisect_left(self.dpos, b)
        return self.dval[i:j]

    def orig(self, p: int) -> int:
        return self.omap[p] if self.omap is not None else p

    # -- context: sentence openings, introducing lines, headings
    def _contexts(self) -> None:
        w = self.w
        events: list[tuple[int, int | None]] = []  # (position, deadline) from lines ending in ':' and headings
        for k, (a, kind) in enumerate(zip(self.sstart, self.skind)):
            if kind != "colon":
                continue
            prev = self.send[k - 1] if k > 0 else 0
            events.append((self.send[k], self._deadline_in(prev, a)))
        heads: list[tuple[int, int, str | None]] = []
        for m in _HEADING.finditer(w):
            first_line = m.group("rest")
            if "%" in first_line or len(first_line) > 95 or not self.in_body(m.start()):
                continue
            num = m.group("num")
            if re.fullmatch(r"[ivxlc]+", num) and (m.group("p") == "." or len(num) > 1):
                level = 1
            elif num[0].isdigit():
                level = 2 + num.count(".")
            else:
                level = 6
            title = re.sub(r"\s+", " ", w[m.start("rest") : m.start("rest") + 140])[:100]
            d = _HEADING_DOMAIN_RE.search(title)
            heads.append((m.start(), level, d.lastgroup if d else None))
            events.append((m.start(), self._deadline_in(m.start("rest"), min(self.n, m.start("rest") + 120), stop_at_sep=True)))
        events.sort(key=lambda e: e[0])
        self.epos = [p for p, _ in events]
        self.eyear = [y for _, y in events]
        stack: list[tuple[int, str | None]] = []
        self.hpos, self.hdom = [], []
        for pos, level, dom in heads:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, dom))
            active = next((d for _, d in reversed(stack) if d), None)
            self.hpos.append(pos)
            self.hdom.append(active)

    def _deadline_in(self, a: int, b: int, stop_at_sep: bool = False) -> int | None:
        if stop_at_sep:
            i = bisect.bisect_left(self.sstart, a)
            if i < len(self.sstart):
                b = min(b, self.sstart[i])
        best = None
        for s, e, typ, y in self.years_in(a, b):
            if typ in ("until", "period", "plain"):
                best = y
        if best is None:
            for m in _PHASE_REF.finditer(self.w, a, b):
                ph = self.phases.get(_phase_key(m.group("l")))
                if ph:
                    best = ph[1]
        return best

    def context_year(self, p: int) -> int | None:
        i = bisect.bisect_right(self.epos, p) - 1
        return self.eyear[i] if i >= 0 else None

    def heading_domain(self, p: int) -> str | None:
        i = bisect.bisect_right(self.hpos, p) - 1
        return self.hdom[i] if i >= 0 else None

    def sentence_year(self, p: int) -> tuple[int | None, str]:
        s = self.sentence_start(p)
        m = _SENT_PREFIX.match(self.w, s, p)
        if not m:
            return None, ""
        if m.group("rep") and m.group("y"):
            return int(m.group("y")), ("report" if not m.group("rep").startswith("tính") else "report")
        if m.group("y"):
            return int(m.group("y")), ("until" if m.group("pre") and m.group("pre") != "trong" else "plain")
        if m.group("b"):
            return int(m.group("b")), "until"
        ph = self.phases.get(_phase_key(m.group("l")))
        return (ph[1], "until") if ph else (None, "")


def _is_wrapped(w: str) -> bool:
    """True for text with hard line breaks inside sentences (copied from a PDF or a
    scanned layout): most of the text sits in lines that end in a letter, digit or comma."""
    lines = [ln for ln in (x.rstrip() for x in w.split("\n")) if len(ln) >= 20]
    if len(lines) < 4:
        return False
    if len(lines) > 3000:
        lines = lines[:: len(lines) // 3000]
    total = sum(map(len, lines))
    mid = sum(len(ln) for ln in lines if ln[-1].isalnum() or ln[-1] == ",")
    return mid / total > 0.5


def _phase_key(label: str) -> str:
    label = re.sub(r"\s+", " ", label.strip())
    return {"i": "1", "ii": "2", "iii": "3", "iv": "4", "một": "1", "hai": "2", "ba": "3", "thứ nhất": "1", "thứ hai": "2", "thứ ba": "3"}.get(
        label, label
    )


# ----------------------------------------------------------------------------- plan period, province


def _parse_plan_year(plan_year: int | str | None) -> tuple[int, int] | None:
    if plan_year is None or plan_year == "":
        return None
    if isinstance(plan_year, int):
        return plan_year, plan_year
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–/]\s*(\d{4}))?\s*", str(plan_year))
    if not m:
        raise ValueError(f"plan_year must be a year (2023) or a period ('2021-2025'), got {plan_year!r}")
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    if b < a:
        raise ValueError(f"plan_year period {plan_year!r} ends before it starts")
    return a, b


def _infer_period(doc: _Doc) -> tuple[int, int] | None:
    best = None
    for m in _PLAN_TITLE.finditer(doc.w):
        if not doc.in_body(m.start()):
            continue
        score = 0.0
        if doc.norm[m.start() : m.start() + 8].isupper():
            score += 3
        if m.start() < 3000:
            score += 1
        if m.group("y"):
            period = (int(m.group("y")),) * 2
            score += 1
        else:
            period = (int(m.group("a")), int(m.group("b")))
        if "tổng thể" in doc.w[m.start() : m.start() + 40] and doc.w.startswith("chương", m.start()):
            score -= 1
        if best is None or score > best[0]:
            best = (score, period)
    if best:
        return best[1]
    counts: dict[int, int] = {}
    aimed: list[int] = []
    for m in _PLAIN_YEAR.finditer(doc.w):
        if doc.in_body(m.start()):
            y = int(m.group(1))
            counts[y] = counts.get(y, 0) + 1
            if _TARGET_CUE.search(doc.w, max(0, m.start() - 60), min(doc.n, m.end() + 60)):
                aimed.append(y)
    if aimed:  # a news item: the year the aims are set for
        return max(aimed), max(aimed)
    if counts:
        y = max(counts, key=lambda k: (counts[k], k))
        return y, y
    return None


def infer_plan_period(text: str) -> tuple[int, int] | None:
    """Guess the plan's period from its text: ``(start, end)`` or None.

    Prefers a title in capitals ("KẾ HOẠCH ... NĂM 2023"), then an early "Kế hoạch ... năm
    YYYY" or "... giai đoạn YYYY-YYYY", then the most frequent "năm YYYY".

    >>> infer_plan_period("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024\\nCăn cứ ...")
    (2024, 2024)
    """
    return _infer_period(_Doc(text))


_PROVINCE_CACHE: dict[str, object] = {}


def _resolve_cached(name: str):
    if name not in _PROVINCE_CACHE:
        from .provinces import UnknownProvinceError, resolve_province

        try:
            _PROVINCE_CACHE[name] = resolve_province(name)
        except (UnknownProvinceError, TypeError):
            _PROVINCE_CACHE[name] = None
        if len(_PROVINCE_CACHE) > 5000:  # pragma: no cover - bound the cache
            _PROVINCE_CACHE.clear()
    return _PROVINCE_CACHE[name]


def _infer_province(doc: _Doc):
    counts: dict[str, list] = {}
    for n_seen, m in enumerate(_PROVINCE_CAND.finditer(doc.norm)):
        if n_seen > 400:
            break
        if not doc.in_body(m.start()):
            continue
        words = m.group(1).split()
        for k in range(min(4, len(words)), 0, -1):
            if not all(wd[0].isupper() for wd in words[:k]):
                continue
            unit = _resolve_cached(" ".join(words[:k]))
            if unit is None:
                continue
            counts.setdefault(unit.code, [0, m.start(), unit])[0] += 1
            break
    if not counts:
        return None
    return max(counts.values(), key=lambda v: (v[0], -v[1]))[2]


# ----------------------------------------------------------------------------- mention finding


def _num(s: str | None) -> float | None:
    if s is None:
        return None
    try:
        return parse_vi_number(s)
    except ValueError:
        return None


def _mentions(doc: _Doc) -> list[_Mention]:
    w = doc.w
    found: list[tuple[int, int, int, _Mention]] = []
    for kind, rx, prio in _MENTIONS:
        for m in rx.finditer(w):
            if not doc.in_body(m.start()):
                continue
            gd = m.groupdict()
            if kind == "first":
                mm = _Mention(kind, m.start(), m.end(), m.start(), 1.0)
            else:
                key = "n3" if kind == "group" and gd.get("n3") else "n1"
                n1 = _num(gd[key])
                if n1 is None:
                    continue
                mm = _Mention(kind, m.start(), m.end(), m.start(key), n1, _num(gd.get("n2")), {})
                if kind == "group":
                    if gd.get("kw") == "nhóm" and not gd.get("unit"):
                        continue
                    mm.extra["tail"] = bool(gd.get("tail"))
                elif kind == "position":
                    mm.extra["total"] = gd.get("tot")
                elif kind == "days":
                    mm.extra["unit"] = gd["u"]
                elif kind == "count":
                    if 1900 <= n1 <= 2100 and not gd.get("n2"):
                        continue
                    mm.extra["noun"] = _canon(gd["noun"])
                    mm.extra["cell"] = rx is _COUNT_CELL
            found.append((prio, m.start(), m.end(), mm))
    found.sort(key=lambda t: (t[0], t[1]))
    taken_s: list[int] = []
    taken_e: list[int] = []
    out = []
    for prio, a, b, mm in found:
        i = bisect.bisect_left(taken_s, a)
        if (i > 0 and taken_e[i - 1] > a) or (i < len(taken_s) and taken_s[i] < b):
            continue
        taken_s.insert(i, a)
        taken_e.insert(i, b)
        out.append(mm)
    out.sort(key=lambda m: m.start)
    return out


# ----------------------------------------------------------------------------- interpretation


def _comparator(doc: _Doc, m: _Mention, lo: int) -> tuple[str | None, str]:
    """Explicit comparator from the words just before the number (and 'trở lên' after)."""
    window = doc.w[max(lo, m.num_start - 70) : m.num_start]
    if m.kind == "index_value":
        window = doc.w[max(lo, m.start - 70) : m.num_start]
    for _ in range(6):
        f = _FILL_END.search(window)
        if not f:
            break
        window = window[: f.start()].rstrip()
    c = _CUE_END.search(window)
    after = _AFTER_UP.match(doc.w, m.end, min(doc.n, m.end + 30))
    if c:
        return _CUE_CMP[re.sub(r"\s+", " ", c.group("cue"))], c.group("cue")
    if after:
        return (">=" if "lên" in after.group() else "<="), after.group().strip()
    return None, ""


def _scope(doc: _Doc, m: _Mention, cl: tuple[int, int], prev: _Mention | None, paren: tuple[int, int] | None):
    """Indices the figure refers to: names in its segment, else inherited, else after it."""
    ca, cb = cl
    how = "named"
    if paren:
        seg = (paren[0] + 1, m.num_start)
        found = doc.indices_in(*seg)
        if not any(k in _INDICES or k in ("sipasname", "other") for _, _, k in found):
            before = [x for x in doc.indices_in(ca, paren[0]) if x[2] in _INDICES or x[2] in ("sipasname", "other")]
            if before:
                found = found + [before[-1]]
                how = "before parenthesis"
    else:
        seg = (max(ca, prev.end) if prev else ca, m.num_start)
        found = doc.indices_in(*seg)
    names = [k for _, _, k in found]
    real = [k for k in names if k in _INDICES or k == "sipasname" or k == "other"]
    return seg, found, real, how


def _sat_class(doc: _Doc, a: int, b: int) -> tuple[str, str]:
    """Satisfaction object between a and b: ('admin'|'mixed'|'public'|'', strength)."""
    obj = doc.w[a:b]
    admin = bool(_ADMIN_OBJ.search(obj))
    public = bool(_PUBLIC_OBJ.search(obj))
    strong = bool(_SERVE_STRONG.search(obj))
    if admin and public:
        return "mixed", "medium"
    if admin:
        return "admin", "high" if strong else "medium"
    if public:
        return "public", "high"
    return "", "low"


def _score_domains(doc: _Doc, a: int, b: int, heading: str | None) -> tuple[str, str, list[str]]:
    scores: dict[str, float] = {}
    gloss: list[str] = []
    seen = set()
    for hit in doc.domain_hits(a, b):
        d, wgt, en = hit
        if d and hit not in seen:
            scores[d] = scores.get(d, 0) + wgt
            seen.add(hit)
        if en and en not in gloss:
            gloss.append(en)
    if heading:
        scores[heading] = scores.get(heading, 0) + 1.5
    if not scores:
        return "direction", "low", gloss
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    conf = "high" if top >= 2 and top - second >= 2 else ("medium" if top > second else "low")
    return best, conf, gloss


def _fmt(v: float) -> str:
    return f"{v:g}"


def _classify(doc: _Doc, m: _Mention, local: tuple[int, int], after_end: int, plan: tuple[int, int] | None,
              inherited_year: int | None, paren: tuple[int, int] | None, inherited_base: bool = False):
    """Return (is_baseline, year, year_source)."""
    a, b = local
    text = _strip_parens(doc, a, b) if not paren else doc.w[a:b]
    after = doc.w[m.end : after_end]
    target_cue = bool(_TARGET_CUE.search(text))
    past_cue = bool(_PAST_CUE.search(text) or _PAST_CUE.match(after))
    years = [y for y in doc.years_in(a, after_end) if not (not paren and doc.paren_of(y[0]) and doc.paren_of(y[0]) != paren)]
    until = [y for y in years if y[2] in ("until", "period")]
    # a plain year belongs to the figure when it is in the words before it or right after it
    plain = [y for y in years if y[2] == "plain" and (y[0] < m.start or y[0] - m.end < 25)]
    if until:
        after_until = [y for y in until if y[0] >= m.end]
        y = (after_until[0] if after_until else until[-1])[3]
        return False, y, "clause"
    if plain:
        after_plain = [y for y in plain if y[0] >= m.end]
        y = (after_plain[0] if after_plain else plain[-1])[3]
        if not target_cue and (past_cue or (plan and y < plan[0])):
            return True, y, "clause"
        return False, y, "clause"
    sy, styp = doc.sentence_year(m.start)
    if styp == "report" and not target_cue:
        return True, sy, "sentence"
    if past_cue and not target_cue:
        return True, (sy if styp == "plain" else inherited_year), "sentence"
    if inherited_base and not target_cue:
        return True, inherited_year, "clause"
    if sy is not None:
        if styp == "plain" and plan and sy < plan[0] and not target_cue:
            return True, sy, "sentence"
        return False, sy, "sentence"
    if inherited_year is not None:
        return False, inherited_year, "clause"
    cy = doc.context_year(m.start)
    if cy is not None:
        return False, cy, "context"
    return False, (plan[1] if plan else None), "plan"


def _strip_parens(doc: _Doc, a: int, b: int) -> str:
    s = doc.w[a:b]
    return _PAREN.sub(lambda x: " " * len(x.group()), s)


def _trim(doc: _Doc, a: int, b: int) -> tuple[int, int]:
    w = doc.w
    while a < b and (w[a].isspace() or w[a] in "-+•*●▪◦,;:|"):
        a += 1
    while b > a and (w[b - 1].isspace() or w[b - 1] in ",;:|-"):
        b -= 1
    return a, b


def _snippet(doc: _Doc, a: int, b: int, limit: int = 260) -> str:
    s = re.sub(r"\s+", " ", doc.norm[a:b]).strip()
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def find_targets(
    text: str,
    *,
    province: str | None = None,
    plan_year: int | str | None = None,
    document_id: str = "",
    source_file: str = "",
) -> list[dict]:
    """Targets and baselines in ``text`` as a list of dicts (see :func:`extract_targets`)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    doc = _Doc(text)
    plan = _parse_plan_year(plan_year) or _infer_period(doc)
    if province is not None:
        from .provinces import resolve_province

        prov = resolve_province(province)
    else:
        prov = _infer_province(doc)
    plan_period = "" if plan is None else (str(plan[0]) if plan[0] == plan[1] else f"{plan[0]}-{plan[1]}")

    rows: list[dict] = []
    last_clause = -2
    prev_outer: _Mention | None = None
    prev_info: dict | None = None
    clause_rows: list[dict] = []
    clause_sent = -1
    mentions = _mentions(doc)
    outer_by_clause: dict[int, list[_Mention]] = {}
    for m in mentions:
        if doc.paren_of(m.start) is None:
            outer_by_clause.setdefault(doc.clause(m.start)[2], []).append(m)

    for m in mentions:
        ca, cb, ci = doc.clause(m.start)
        paren = doc.paren_of(m.start)
        if ci != last_clause:
            ca_own = ca
            prev_outer, prev_info = None, None
            subset_clause = bool(_SUBSET_START.match(doc.w, ca))
            parent_rows, parent_sent = clause_rows, clause_sent
            clause_rows = []
            clause_sent = doc.sentence_start(ca)
            last_clause = ci
            ca_label = doc.label_start(ci, ca, cb)
        ca = ca_label
        seg, found, real, how = _scope(doc, m, (ca, cb), None if paren else prev_outer, paren)
        outer_list = outer_by_clause.get(ci, [])
        nxt = next((o for o in outer_list if o.start >= m.end), None)
        after_end = nxt.start if nxt and not paren else (paren[1] - 1 if paren else cb)
        ref = _REF_WORD.search(doc.w, m.end, after_end)
        if ref and not paren:
            after_end = ref.start()
        notes: list[str] = []
        subset = False
        if not real and not paren and prev_info is not None:
            if _SUBSET_IN.search(doc.w, seg[0], seg[1]):
                subset = True
            else:
                real = list(prev_info["real"])
                how = "inherited from the figure before"
        carried = None
        if (
            not real and not paren and prev_info is None and parent_rows and parent_sent == clause_sent
            and not subset_clause and not any(wt for _, wt, _ in doc.domain_hits(ca, cb))
            and not doc.indices_in(ca, cb)
        ):
            # an elliptical clause ("…; đến năm 2030 đạt 100%") carries on the subject before it
            carried = parent_rows[-1]
            real = [carried["metric_index"]] if carried["metric_index"] else []
            how = "carried over from the previous clause"
        is_rankish = m.kind in ("group", "position", "places", "first", "score", "index_value")
        if not real and is_rankish:
            after = [x for x in doc.indices_in(m.end, after_end) if x[2] in _INDICES or x[2] in ("sipasname", "other")]
            if after:
                real = [after[0][2]]
                how = "named after the figure"
        # satisfaction
        sat_pos = next((s for s, _, k in found if k in ("sat", "sipasname")), None)
        if sat_pos is None and prev_info is not None and not paren and not real:
            sat_pos = prev_info.get("sat_pos")
        sat_kind, sat_conf = ("", "")
        if sat_pos is not None and m.kind == "percent":
            sat_kind, sat_conf = _sat_class(doc, sat_pos, after_end if after_end > m.end else m.end)
        indices: list[str] = []
        other_index = False
        for k in real:
            k2 = "sipas" if k == "sipasname" else k
            if k == "sipasname" and sat_kind == "public":
                continue
            if k2 == "other":
                indices, other_index = [], True
                break
            if k2 not in indices:
                indices.append(k2)
        if m.kind == "percent" and not indices and sat_kind in ("admin", "mixed") and not subset:
            indices = ["sipas"]
        if m.kind in ("position", "first", "score", "index_value") and not indices and not other_index:
            if m.kind in ("score", "index_value", "first"):
                continue
            if not (m.extra.get("total") or re.search(r"cả\s+nước|toàn\s+quốc|tỉnh,\s*thành", doc.w[m.end : m.end + 40])):
                continue
        if m.kind == "score" and not indices and not other_index and not _CHISO.search(doc.w, ca, cb):
            continue
        # counts and durations need a cue
        cmp_, cue = _comparator(doc, m, seg[0] if not paren else paren[0] + 1)
        if m.kind == "count":
            before = doc.w[max(ca, m.num_start - 40) : m.num_start]
            if not (cmp_ or m.n2 is not None or m.extra.get("cell") or _COUNT_ACTION.search(before)):
                continue
        if m.kind == "days":
            before = doc.w[max(ca, m.num_start - 40) : m.num_start]
            if not (_TIME_CUE.search(before) and _TIME_CONTEXT.search(doc.w, ca, cb)):
                continue
        # kind and year
        inherited_year = prev_info.get("year") if prev_info and prev_info.get("year_src") == "clause" else None
        local = (seg[0], m.num_start) if not paren else (paren[0] + 1, m.num_start)
        inherited_base = bool(prev_info and prev_info.get("base")) and not paren
        if inherited_base and inherited_year is None:
            inherited_year = prev_info.get("year")
        if (
            prev_info is None and not paren and parent_rows and parent_sent == clause_sent
            and parent_rows[-1]["is_baseline"] and not subset_clause
        ):
            # "năm 2023 Chỉ số A đạt x, xếp y; Chỉ số B đạt z": the report goes on after ';'
            inherited_base, inherited_year = True, parent_rows[-1]["deadline"]
        is_base, year, ysrc = _classify(doc, m, local, after_end, plan, inherited_year, paren, inherited_base)
        if paren and is_base:
            notes.append("figure in parentheses with a past year: baseline")
        # unit, comparator, value, field
        value, unit, field_, comparator = m.n1, "", "", cmp_
        if m.kind == "percent":
            unit = "%"
            if comparator is None:
                comparator = "=" if is_base else (">=" if not _DOWN_TO.search(doc.w, max(ca, m.num_start - 30), m.num_start) else "<=")
            field_ = "value"
            if m.n2 is not None:
                notes.append(f"range {_fmt(m.n1)}-{_fmt(m.n2)}%; lower bound kept")
        elif m.kind in ("group", "position", "first"):
            unit, field_ = "rank", "rank"
            if m.n2 is not None:
                value = max(m.n1, m.n2)
                notes.append(f"rank range {_fmt(min(m.n1, m.n2))}-{_fmt(value)}; upper bound kept")
            if is_base:
                comparator = "="
            else:
                comparator = "top"
                if m.kind == "position":
                    notes.append(f"stated as rank {_fmt(value)}: recorded as 'top {_fmt(value)}' (rank {_fmt(value)} or better)")
        elif m.kind == "places":
            unit, field_ = "places", "rank_change"
            before = doc.w[max(ca, m.num_start - 40) : m.num_start]
            if _DIRECTION_DOWN.search(before) and not re.search(r"tăng|cải\s+thiện|nâng|vượt", before[-25:]):
                value = -value
            if comparator is None:
                comparator = "=" if is_base else ">="
            if m.n2 is not None:
                notes.append(f"range {_fmt(m.n1)}-{_fmt(m.n2)} places; lower bound kept")
        elif m.kind in ("score", "index_value"):
            unit = "score"
            before = doc.w[max(ca, m.num_start - 30) : m.num_start]
            field_ = "value_change" if re.search(r"(?:tăng|cải\s+thiện|nâng)(?:\s+\S+){0,2}\s*$", before) else "value"
            if comparator is None:
                comparator = "=" if is_base else ">="
        elif m.kind == "days":
            u = m.extra["unit"]
            unit = "days" if u.startswith("ngày") else ("hours" if u.startswith("giờ") else "months")
            if "làm việc" in u:
                notes.append("working days")
            if comparator is None:
                reduce = _REDUCE_BEFORE.search(doc.w, max(ca, m.num_start - 40), m.num_start)
                down_to = _DOWN_TO.search(doc.w, max(ca, m.num_start - 30), m.num_start)
                comparator = "=" if is_base else (">=" if reduce and not down_to else "<=")
        elif m.kind == "count":
            unit = "count"
            if comparator is None:
                comparator = "=" if is_base else ">="
            if m.n2 is not None:
                notes.append(f"range {_fmt(m.n1)}-{_fmt(m.n2)} {m.extra['noun']}; lower bound kept")
        if cue == "trên" and _AFTER_UP.match(doc.w, m.end):
            notes.append("'trên … trở lên' read as '>'")
        # evidence
        if paren:
            ea, eb = _trim(doc, paren[0] + 1, paren[1] - 1)
        else:
            ea, eb = _trim(doc, ca, max(cb, m.end))
            if eb - ea > 420:
                ea, eb = _trim(doc, seg[0], max(m.end, min(cb, after_end)))
        # domain
        heading = doc.heading_domain(m.start)
        da, db = (ca, cb) if paren else (ea, eb)
        dom, dconf, gloss = _score_domains(doc, da, db, heading)
        conf = dconf
        if indices:
            if m.kind == "percent" and indices == ["sipas"]:
                dom = "apparatus" if sat_kind == "public" else "procedures"
                conf = sat_conf if sat_kind and not any(k == "sipas" for _, _, k in found) else "high"
                if sat_kind == "mixed":
                    conf = "medium"
                    notes.append("satisfaction target also covers public (health/education) services")
                elif sat_kind == "admin" and conf == "medium":
                    notes.append("satisfaction with administrative procedures/services read as SIPAS")
            else:
                dom = "direction"
                conf = "high" if how == "named" else "medium"
            if how != "named":
                notes.append(f"index {how}")
        elif sat_kind == "public":
            dom, conf = "apparatus", "high"
            notes.append("satisfaction with public (health/education) services: no published index")
        elif other_index:
            dom, conf = "direction", "medium"
            notes.append("index other than PAR Index, SIPAS, PAPI, PCI, DTI (e.g. DDCI or a department-level index)")
        elif carried is not None:
            dom, conf = carried["domain"], "medium"
            notes.append("subject carried over from the previous clause")
        elif subset_clause and parent_rows and not real:
            dom = parent_rows[-1]["domain"]
            conf = "medium"
            notes.append("subset of the preceding target ('trong đó …')")
        elif subset and prev_info is not None:
            dom = prev_info["domain"]
            conf = "medium"
            notes.append("subset of the preceding figure")
        if ysrc != "clause" and year is not None:
            notes.append(f"year from {ysrc}")
        base = {
            "document_id": document_id,
            "province_code": prov.code if prov else "",
            "province": prov.name if prov else "",
            "plan_period": plan_period,
            "kind": "baseline" if is_base else "target",
            "domain": dom,
            "comparator": comparator,
            "value": float(value),
            "unit": unit,
            "deadline": year,
            "mapping_confidence": conf,
            "evidence_start": doc.orig(ea),
            "evidence_end": doc.orig(eb),
            "source_file": source_file,
            "is_baseline": is_base,
        }
        value_text = _snippet(doc, m.start, m.end, 80)
        if indices:
            for k in indices:
                r = dict(base)
                r.update(
                    metric_index=k,
                    metric_component="overall",
                    metric_field=field_,
                    indicator_vi=f"{_INDEX_VI[k]}: {value_text}",
                    indicator_en=_index_en(k, field_, unit, is_base),
                    mapping_note="; ".join(notes),
                )
                rows.append(r)
                clause_rows.append(r)
        else:
            r = dict(base)
            label = _DOMAIN_EN.get(dom, dom)
            r.update(
                metric_index="",
                metric_component="",
                metric_field="",
                indicator_vi=_snippet(doc, ea, eb),
                indicator_en=f"{label}: {', '.join(gloss[:4])}" if gloss else label,
                mapping_note="; ".join(notes),
            )
            rows.append(r)
            clause_rows.append(r)
        if not paren:
            prev_outer = m
            prev_info = {"real": real, "year": year, "year_src": ysrc, "domain": dom, "sat_pos": sat_pos, "base": is_base}
    rows = _dedupe(rows, doc)
    prefix = document_id or "x"
    for i, r in enumerate(rows, 1):
        r["target_id"] = f"{prefix}-{i:02d}"
    return rows


def _index_en(k: str, field_: str, unit: str, is_base: bool) -> str:
    name = _INDEX_EN[k]
    what = {
        "rank": "rank",
        "rank_change": "places gained",
        "value_change": "points gained",
        "value": "satisfaction (%)" if k == "sipas" and unit == "%" else ("score (%)" if unit == "%" else "score"),
    }[field_]
    return f"{name} {what}" + (" (past result)" if is_base else "")


_TOKEN = re.compile(r"[^\W\d_]+")
_LETTER = _TOKEN


def _dedupe(rows: list[dict], doc: _Doc) -> list[dict]:
    """Drop restatements: same figure, comparator, unit, index/domain and year, with
    nearly the same words, at a place in the text that does not overlap the first."""
    kept: list[dict] = []
    seen: dict[tuple, list[tuple[dict, set]]] = {}
    for r in rows:
        fam = r["metric_index"] or r["domain"]
        key = (r["kind"], r["value"], r["unit"], r["comparator"], fam, r["metric_field"], r["deadline"])
        toks = set(_TOKEN.findall(doc.w[_rev(doc, r["evidence_start"]) : _rev(doc, r["evidence_end"])]))
        dup = None
        for other, otoks in seen.get(key, []):
            if r["evidence_start"] < other["evidence_end"] and other["evidence_start"] < r["evidence_end"]:
                continue
            small = min(len(toks), len(otoks)) or 1
            if len(toks & otoks) / small >= 0.85:
                dup = other
                break
        if dup is not None:
            note = f"also stated at offsets {r['evidence_start']}-{r['evidence_end']}"
            dup["mapping_note"] = "; ".join(x for x in (dup["mapping_note"], note) if x)
            continue
        seen.setdefault(key, []).append((r, toks))
        kept.append(r)
    return kept


def _rev(doc: _Doc, p: int) -> int:
    if doc.omap is None:
        return p
    return bisect.bisect_left(doc.omap, p)


def extract_targets(
    text: str,
    *,
    province: str | None = None,
    plan_year: int | str | None = None,
    document_id: str = "",
    source_file: str = "",
) -> "pd.DataFrame":
    """Extract quantitative targets and quoted baselines from the text of a PAR plan.

    Parameters
    ----------
    text : the plan or news text (as read from a .txt, .docx or .pdf).
    province : province the plan belongs to (any spelling the registry resolves); by default
        the most frequent "tỉnh X"/"thành phố X" in the text, or empty.
    plan_year : the plan year (2023) or period ("2021-2025").  It is the default deadline, and
        figures tied to earlier years are baselines.  By default inferred from the text
        (:func:`infer_plan_period`).
    document_id, source_file : copied into every row; ``target_id`` is ``<document_id>-NN``.

    Returns
    -------
    DataFrame
        One row per figure, columns :data:`EXTRACT_COLUMNS`: the columns of
        :data:`cchc_analysis.targets.TARGET_COLUMNS` (``indicator_vi`` is the source clause or,
        for index rows, the index name and the phrase with the figure; ``indicator_en`` a
        generated gloss; ``mapping_note`` explains the reading) plus ``is_baseline`` (bool).
        ``evidence_start``/``evidence_end`` are offsets into ``text``; ``deadline`` is Int64.

    Examples
    --------
    >>> df = extract_targets("Phấn đấu tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%.", plan_year=2024)
    >>> df[["kind", "domain", "comparator", "value", "unit", "deadline"]].values.tolist()
    [['target', 'procedures', '>', 98.0, '%', 2024]]
    """
    import pandas as pd

    rows = find_targets(text, province=province, plan_year=plan_year, document_id=document_id, source_file=source_file)
    df = pd.DataFrame(rows, columns=list(EXTRACT_COLUMNS))
    df["value"] = df["value"].astype(float)
    for col in ("deadline", "evidence_start", "evidence_end"):
        df[col] = pd.array(df[col].tolist(), dtype="Int64")
    df["is_baseline"] = df["is_baseline"].astype(bool)
    return df
