"""Reading figures as targets or baselines: mentions, scope, comparator, kind, deadline, domain
(:func:`find_targets`, :func:`extract_targets`)."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from ..targets import TARGET_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

from .text import (
    _canon,
    parse_vi_number,
)
from .patterns import (
    _SENT_PREFIX,
    _STRONG_AIM,
    _TOKEN,
    _AVERAGE,
    _NAMED,
    _NEGATED,
    _FRACTION,
    _ADMIN_OBJ,
    _AFTER_UP,
    _CHISO,
    _COUNT_ACTION,
    _COUNT_CELL,
    _CUE_CMP,
    _CUE_END,
    _DIRECTION_DOWN,
    _DOMAIN_EN,
    _DOWN_TO,
    _FILL_END,
    _INDEX_EN,
    _INDEX_VI,
    _INDICES,
    _MENTIONS,
    _PAREN,
    _PAST_CUE,
    _AIM_NOUN_OR_JUDGED,
    _AIM_JUDGED_RE,
    _PUBLIC_OBJ,
    _REDUCE_BEFORE,
    _REF_WORD,
    _SERVE_STRONG,
    _SUBSET_IN,
    _SUBSET_START,
    _TARGET_CUE,
    _TARGET_CUE_WEAK,
    _PREDICATE,
    _TIME_CONTEXT,
    _TIME_CUE,
)
from .document import (
    _resolve_cached,
    _Doc,
    _Mention,
    _infer_period,
    _infer_province,
    _parse_plan_year,
    infer_plan_period,
)

# ----------------------------------------------------------------------------- mention finding


def _num(s: str | None) -> float | None:
    if s is None:
        return None
    try:
        return parse_vi_number(s)
    except ValueError:
        return None


#: How far (characters) a figure looks back or ahead for its context: windows are bounded so
#: that a long text without sentence breaks costs time in proportion to its length.
_WINDOW = 600
_ABOUT_REFORM = re.compile(r"[^.;:\d]{0,20}?(?<!\w)về\s+(?:công\s+tác\s+)?(?:cchc|cải\s+cách\s+hành\s+chính)(?!\s+(?:của\s+)?(?:các\s+)?(?:sở|huyện|xã))")
#: a rank among provinces "về chuyển đổi số" / "trong bảng xếp hạng chuyển đổi số cấp tỉnh": the
#: provincial digital transformation ranking is the DTI (not a rank of districts or communes)
_ABOUT_DIGITAL = re.compile(
    r"[^.;:\d]{0,70}?(?<!\w)(?:về|xếp\s+hạng|chỉ\s+số)\s+(?:mức\s+độ\s+)?chuyển\s+đổi\s+số"
    r"(?!\s+(?:của\s+)?(?:các\s+)?(?:sở|huyện|xã|doanh\s+nghiệp|cấp\s+(?:sở|huyện|xã)))")
#: English glosses of the digital-economy words: a rank beside them is a pillar of the DTI
_DIGITAL_PILLARS = frozenset({"digital economy"})
_SAT_AFTER = re.compile(
    r"\s*(?:số\s+)?(?:người\s+dân|cá\s+nhân|tổ\s+chức|doanh\s+nghiệp|người\s+dùng)"
    r"(?:\s*(?:,|và|;)\s*(?:người\s+dân|cá\s+nhân|tổ\s+chức|doanh\s+nghiệp))*"
    r"\s+(?:được\s+hỏi\s+|đều\s+)?(?:cảm\s+thấy\s+)?(?P<sat>(?:rất\s+)?hài\s+lòng)")
_GROUP_BEFORE = re.compile(r"(?<!\w)(?:nhóm|top|tốp)(?!\w)[^.;:\d]*$")
_WORD_NUM = {"một": 1.0, "hai": 2.0, "ba": 3.0, "bốn": 4.0}
_SEQ_NEXT = re.compile(r"\s*(?:,|;|và)\s*(?:(?:thứ|hạng)\s+)?(?P<n>\d{1,2})(?:\s*/\s*(?P<tot>\d{2}))?(?![\d%]|[.,]\d|\s*(?:bậc|điểm|%))")
_YEAR_LIST = re.compile(r"(?:các\s+)?năm\s+(?P<ys>(?:19|20)\d\d(?:\s*(?:,|và|;)\s*(?:năm\s+)?(?:19|20)\d\d)+)")
_YEAR_SPAN = re.compile(r"(?:giai\s+đoạn|từ\s+năm|từ)\s+(?P<a>(?:19|20)\d\d)\s*(?:-|đến(?:\s+năm)?)\s*(?P<b>(?:19|20)\d\d)")


def _sequences(doc: _Doc, found: list) -> list:
    """Rank histories: "các năm 2019, 2020 và 2021 lần lượt xếp thứ 45, 38 và 30" gives one
    rank per year (the years in order when they are as many as the ranks)."""
    out = []
    for prio, a, b, mm in found:
        if mm.kind != "position" or mm.extra.get("bare"):
            continue
        ranks, end = [], b
        while len(ranks) < 12:
            nx = _SEQ_NEXT.match(doc.w, end)
            if not nx:
                break
            ranks.append(nx)
            end = nx.end()
        if not ranks:
            continue
        s0 = doc.sentence_start(a)
        years: list[int] = []
        s0 = max(s0, a - _WINDOW)
        for ym in _YEAR_LIST.finditer(doc.w, s0, min(doc.n, end + 60)):
            years = [int(y) for y in re.findall(r"(?:19|20)\d\d", ym.group("ys"))]
        if not years:
            span = _YEAR_SPAN.search(doc.w, s0, end + 60)
            if span:
                years = list(range(int(span.group("a")), int(span.group("b")) + 1))
        if len(years) != len(ranks) + 1 or not re.search(r"lần\s+lượt", doc.w[s0:end]):
            continue
        mm.extra["seq_year"] = years[0]
        for nx, y in zip(ranks, years[1:]):
            out.append((prio, nx.start("n"), nx.end(), _Mention("position", nx.start("n"), nx.end(), nx.start("n"), float(nx.group("n")),
                                                                 None, {"total": nx.group("tot"), "seq_year": y, "bare": True})))
    return out


def _mentions(doc: _Doc) -> list[_Mention]:
    w = doc.w
    found: list[tuple[int, int, int, _Mention]] = []
    for kind, rx, prio in _MENTIONS:
        for m in rx.finditer(w):
            if not doc.in_body(m.start()):
                continue
            gd = m.groupdict()
            if kind == "first":
                if _GROUP_BEFORE.search(w, max(0, m.start() - 110), m.start()):
                    continue  # "nhóm các tỉnh, thành phố dẫn đầu": a group without a number, not rank 1
                mm = _Mention(kind, m.start(), m.end(), m.start(), 1.0)
            elif kind == "worded":
                mm = _Mention(kind, m.start(), m.end(), m.start(), 100.0, None, {"worded": True})
            elif gd.get("w"):
                mm = _Mention(kind, m.start(), m.end(), m.start(), _WORD_NUM[gd["w"]], None, {"worded": True})
            else:
                key = "n3" if kind == "group" and gd.get("n3") else "n1"
                n1 = _num(gd[key])
                if n1 is None:
                    continue
                mm = _Mention(kind, m.start(), m.end(), m.start(key), n1, _num(gd.get("n2")), {})
                if kind == "group":
                    if gd.get("kw") == "nhóm" and not gd.get("unit") and not gd.get("tail") and not gd.get("tot"):
                        continue
                    if gd.get("kw") == "nhóm" and not gd.get("unit") and not gd.get("n2") and n1 <= 4:
                        continue  # "nhóm 1 (nhóm cao)", "nhóm 2": a band of an index, not the top 1 or 2
                    mm.extra["tail"] = bool(gd.get("tail"))
                    mm.extra["total"] = gd.get("tot")
                elif kind == "position":
                    tot = gd.get("tot")
                    if tot and int(tot) < max(n1, _num(gd.get("n2")) or 0):
                        continue  # "5/3" is not a rank
                    mm.extra["total"] = tot
                    mm.extra["bare"] = rx is _FRACTION
                elif kind == "score":
                    mm.extra["out_of"] = gd.get("tot")
                elif kind == "days":
                    mm.extra["unit"] = gd["u"]
                elif kind == "count":
                    if 1900 <= n1 <= 2100 and not gd.get("n2"):
                        continue
                    mm.extra["noun"] = _canon(gd["noun"])
                    mm.extra["cell"] = rx is _COUNT_CELL
            found.append((prio, m.start(), m.end(), mm))
    found += _sequences(doc, found)
    for a, b, kind in number_cells(w, doc.trows):
        # a bare number in a table whose row or unit column says what it measures
        found.append((10, a, b, _Mention(kind, a, b, a, parse_vi_number(w[a:b]), None, {"cell": True, "total": None})))
    found.sort(key=lambda t: (t[0], t[1]))
    # lower priority numbers win overlaps; a byte map of covered characters keeps this linear
    taken = bytearray(doc.n + 1)
    out = []
    for prio, a, b, mm in found:
        if taken.find(1, a, b) != -1:
            continue
        taken[a:b] = b"\x01" * (b - a)
        out.append(mm)
    out.sort(key=lambda m: m.start)
    return out


from .places import legacy_member, other_subject, own_codes, rank_scope
from .tables import column_of, number_cells

EXTRACT_COLUMNS: tuple[str, ...] = TARGET_COLUMNS + ("boundaries", "scope", "rank_out_of", "is_baseline")
_CHANGE_BEFORE = re.compile(r"(?:(?P<up>tăng|cải\s+thiện|nâng)|(?P<down>giảm|tụt))(?!\s+(?:lên|đến|tới|còn|xuống|từ))(?:\s+(?!(?:lên|đến|tới|còn|xuống|mức)(?!\w))\S+){0,2}\s*$")
_POST_MERGER = re.compile(r"sau\s+(?:khi\s+)?(?:sắp\s+xếp|sáp\s+nhập|hợp\s+nhất)|tỉnh\s+mới|thành\s+phố\s+mới")
_DOC_DATE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>20\d\d)")


def _post_merger(doc: _Doc, plan: tuple[int, int] | None) -> bool:
    """True for a plan of the 34 units of 1 July 2025: it runs from 2026, is dated after
    1 July 2025, or speaks of the province "after the merger"."""
    if plan and plan[0] >= 2026:
        return True
    d = _DOC_DATE.search(doc.w, 0, min(doc.n, 800))
    if d and (int(d.group("y")), int(d.group("m"))) >= (2025, 7):
        return True
    return bool(plan and plan[1] >= 2025 and _POST_MERGER.search(doc.w, 0, min(doc.n, 3000)))


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
    if c and re.sub(r"\s+", " ", c.group("cue")) == "từ" and not after and _FROM_TO.match(doc.w, m.end, min(doc.n, m.end + 60)):
        c = None  # "từ 42,1 điểm … lên 44,6 điểm": a starting point, not a bound
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
        if not any(k in _NAMED for _, _, k in found):
            before = [x for x in doc.indices_in(ca, paren[0]) if x[2] in _NAMED]
            if not before and _HISTORY_PAREN.match(doc.w, paren[0]):
                # "… xếp thứ 40/63. (Năm 2018: xếp thứ 38/63, năm 2019: …)": a rank history of the index
                # of the sentence before
                lo = max(doc.paragraph_start(paren[0]), paren[0] - 600)
                before = [x for x in doc.indices_in(lo, paren[0]) if x[2] in _NAMED and x[2] not in ("component", "thisindex")]
                if not before and doc.headline_index:
                    before = [(paren[0], paren[0], doc.headline_index)]
            if before:
                found = found + [before[-1]]
                how = "before parenthesis"
    else:
        seg = (max(ca, prev.end) if prev else ca, m.num_start)
        found = doc.indices_in(*seg)
    if not paren and len({k for _, _, k in found if k in _NAMED}) > 1:
        # "PCI thuộc nhóm tốt, PAPI thuộc nhóm khá, PAR INDEX thuộc nhóm 30 …": the names before
        # a predicate that is not the figure's own belong to other statements
        last_name = max(e for _, e, k in found if k in _NAMED)
        cut = None
        for p in _PREDICATE.finditer(doc.w, seg[0], last_name):
            if doc.paren_of(p.start()) is None:
                cut = p.end()
        if cut is not None:
            found = [x for x in found if x[0] >= cut]
    names = [k for _, _, k in found]
    real = [k for k in names if k in _NAMED]
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


# Figures of the provinces as a whole, not of one: a count of provinces as the subject ("53/63 địa
# phương có chỉ số tăng", "9 tỉnh đạt"), the extremes of a distribution ("nơi giảm nhiều nhất là"),
# the national mean or median ("giá trị trung bình", "điểm trung vị")
_AGGREGATE = re.compile(
    r"(?<![\d/.,])(?<!nhóm\s)(?<!top\s)(?<!tốp\s)(?<!thứ\s)(?<!trí\s)(?<!hạng\s)(?<!xếp\s)(?<!đứng\s)(?<!số\s)"
    r"\d{1,2}(?:\s*/\s*6[1-4])?\s+(?:tỉnh|địa\s+phương)(?:\s*,\s*(?:thành(?:\s+phố)?|tp))?\s+(?:(?:đều|cùng|đã|được|còn)\s+)*"
    r"(?:có|đạt|ghi\s+nhận|tăng|giảm)(?!\w)"
    r"|(?:tỉnh|địa\s+phương|nơi|đơn\s+vị|mức|điểm)\s+(?:có\s+)?(?:mức\s+)?(?:tăng|giảm)\s+(?:\S+\s+)?(?:cao|mạnh|nhiều|thấp|ít)\s+nhất"
    r"|trung\s+vị|(?:giá\s+trị|điểm|mức)\s+trung\s+bình\s+(?:của\s+)?(?:cả\s+nước|toàn\s+quốc|chung|các\s+tỉnh)"
    r"|(?:của\s+)?(?:các|những)\s+(?:tỉnh|địa\s+phương)[^.;]{0,80}?giá\s+trị\s+trung\s+bình"
    r"|(?:cả|toàn\s+bộ|tất\s+cả)\s+6[1-4]\s*(?:/\s*6[1-4]\s*)?(?:tỉnh|địa\s+phương)"
)
# a band of an index defined by a cut-off ("Nhóm A gồm 13 tỉnh đạt từ 90% trở lên", "nhóm đạt kết quả từ 80%
# đến dưới 90%"): a result of the band, read as the province's only when it aims at it
_BAND = re.compile(
    r"(?<!\w)nhóm\s+(?:[abcd](?!\w)|(?:gồm\s+)?(?:những\s+|các\s+)?(?:tỉnh(?:\s*,\s*thành(?:\s+phố)?)?\s+)?(?:đạt|có)\s+(?:kết\s+quả|điểm))"
)
# a nation as the subject of an aim or a result ("Việt Nam đặt mục tiêu tăng trưởng 8%")
_NATIONAL_SUBJECT = re.compile(
    r"(?:Việt\s+Nam|Chính\s+phủ|Quốc\s+hội|Thủ\s+tướng(?:\s+Chính\s+phủ)?)(?:\s+\S+){0,8}?\s+(?:đặt\s+ra|đề\s+ra|đặt|phấn\s+đấu|đạt|có)(?!\w)"
)
def _aggregate(doc: _Doc, m: _Mention, lo: int, paren) -> bool:
    """True when the subject of the figure is the provinces as a whole (:data:`_AGGREGATE`): the
    last such phrase before it, not compared with ("cao hơn mức trung bình cả nước") and with no
    province named in between (that starts another statement)."""
    hi = paren[0] if paren else m.num_start
    if m.kind == "position" and _AGGREGATE.match(doc.w, m.num_start):
        return True  # "41/63 địa phương có chỉ số tăng": a count of provinces, not a rank
    last = None
    for last in _AGGREGATE.finditer(doc.w, max(lo, m.num_start - 200), hi):
        pass
    if last is None or m.kind == "worded" or _COMPARED_TO.search(doc.w, max(0, last.start() - 20), last.start()):
        return False  # "cao hơn giá trị trung bình của cả nước 1,65%": the province compared with the mean
    return not any(doc.norm[o.end()].isupper() for o in _OWN_SUBJECT.finditer(doc.w, last.end(), hi))


_COMPARED_TO = re.compile(r"(?:(?:cao|thấp|lớn|nhỏ)\s+hơn|so\s+với|vượt|bằng)\s+(?:mức\s+)?$")
_GREEN = re.compile(r"pgi|chỉ\s+số\s+xanh")
_OWN_SUBJECT = re.compile(r"(?<!\w)(?:tỉnh|thành\s+phố|tp\.?)\s+(?=\w)")
_WEIGHT = re.compile(r"trọng\s+số\s*(?:là\s+|bằng\s+)?$")
_AIM_YEAR_BEFORE = re.compile(r"(?:phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu)(?:\s+(?:đến|đến\s+hết|trong|tới))?\s+$")
_HISTORY_PAREN = re.compile(r"\(\s*năm\s+(?:19|20)\d{2}\s*:", re.IGNORECASE)
_YEAR_LABEL = re.compile(r"\s*:")
_YEAR_ITEM = re.compile(r"\s*(?:xếp|đứng|đạt|tăng|giảm|tụt)(?!\w)")
_PAST_AIM = re.compile(
    r"(?<!\w)(?:đã\s+)?(?:từng|trước\s+đây|những\s+năm\s+trước)\s+(?:\S+\s+){0,2}?(?:đặt\s+ra|đề\s+ra|đặt|đưa\s+ra|xác\s+định)\s+"
    r"(?:\S+\s+){0,2}?(?:mục\s+tiêu|chỉ\s+tiêu)(?!\w)"
)
_COUNT_OF_PARTS_IN_GROUP = re.compile(
    r"(?<![\d/])\d{1,2}\s*/\s*\d{1,2}\s+chỉ\s+số(?:\s+thành\s+phần)?\s*(?:\([^()]{0,240}\))?[^\d()]{0,40}$"
)
_COUNT_OF_PARTS = re.compile(r"(?<![\d/])\d{1,2}\s*/\s*\d{1,2}\s+(?:lĩnh\s+vực|chỉ\s+số|tiêu\s+chí|chỉ\s+tiêu|nội\s+dung)")
_GAP_TO_MAX = re.compile(r"(?:dưới|so\s+với|cách)\s+(?:mức\s+)?điểm\s+tối\s+đa\s*$")
_FROM_TO = re.compile(r"[^.;]{0,40}?(?<!\w)(?:lên|đến|xuống|còn)\s+\d")
_DIRECTION_WORD = re.compile(r"(?P<up>tăng|cải\s+thiện|nâng|vượt|vươn|lên)|(?P<down>giảm|tụt|xuống)")
_GENERIC_INDEX = re.compile(r"(?<!\w)chỉ\s+số(?!\s+(?:hài|cải|năng|hiệu|par|sipas|papi|pci|dti))")
_RESULT_AFTER = re.compile(r"[^.;()]{0,30}?(?<!trở\s)(?<!\w)(?:lên|xuống|tụt)(?:\s+hạng(?!\w)|\s*$)")
_QUOTA_BEFORE = re.compile(r"(?:chỉ\s+tiêu|kế\s+hoạch|mục\s+tiêu)(?:[^().;]{0,40}?(?:giao|đề\s+ra|đặt\s+ra))?\s*$")
_SAME_PERIOD_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?,?\s*so\s+(?:với\s+)?(?:cùng\s+kỳ|năm\s+trước)")
_COMPARED_WITH_PAST = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:,\s*)?so\s+với\s+(?:năm\s+(?:19|20)\d\d|cùng\s+kỳ|năm\s+trước)")


def _classify(doc: _Doc, m: _Mention, local: tuple[int, int], after_end: int, plan: tuple[int, int] | None,
              inherited_year: int | None, paren: tuple[int, int] | None, inherited_kind: str | None = None,
              index_figure: bool = False, nearby_kind: str | None = None, column=None, aim_shaped: bool = False):
    """Return (is_baseline, year, year_source, why).

    The year comes from the clause, the sentence opening, the figure before, an introducing
    line or heading, or the plan.  Whether the figure is an aim or a reported result is
    decided by the first of: a past year (before the plan) tied to it; cue words in its own
    words; the figure before it in the clause; the nearest cue word earlier in the sentence;
    "so với năm …" after it; the nearest cue earlier in the paragraph; the introducing line
    or heading it sits under; and last the document (a text with report cues and no aim at
    all reports results).
    """
    a, b = local
    text = _strip_parens(doc, a, b) if not paren else doc.w[a:b]
    after = doc.w[m.end : after_end]
    report_doc = doc.n_reports > doc.n_aims
    past_cue = bool(_PAST_CUE.search(text) or _PAST_CUE.match(after) or _RESULT_AFTER.match(after) or _SAME_PERIOD_AFTER.match(after)
                    # "…, xếp thứ 25, chưa đạt mục tiêu đề ra": a judgement later in the sentence
                    or (not paren and _AIM_JUDGED_RE.search(doc.w, m.end, doc.sentence_end(m.end))))
    # aim words used as nouns ("mục tiêu này") or judged ("chưa đạt kỳ vọng") set no aim
    text = _AIM_NOUN_OR_JUDGED.sub(lambda x: " " * len(x.group()), text)
    # "duy trì", "bảo đảm", "sẽ" are aims unless the text reports results or a result word is there too
    target_cue = bool(_TARGET_CUE.search(text) or (not report_doc and not past_cue and _TARGET_CUE_WEAK.search(text)))
    years = [y for y in doc.years_in(a, after_end) if not (not paren and doc.paren_of(y[0]) and doc.paren_of(y[0]) != paren)]
    until = [y for y in years if y[2] in ("until", "period")]
    # a plain year belongs to the figure when it is in the words before it or right after it
    plain = [y for y in years if y[2] == "plain" and (y[0] < m.start or y[0] - m.end < 25)]
    # … "Xếp thứ 38/63, năm 2019: Xếp thứ 8/63": a year that labels what follows it is not this figure's
    plain = [y for y in plain if y[0] < m.start or not (
        _YEAR_LABEL.match(doc.w, y[1], min(doc.n, y[1] + 4))
        or (_YEAR_ITEM.match(doc.w, y[1], min(doc.n, y[1] + 8)) and re.search(r"(?:[,;]|\svà)\s*$", doc.w[max(0, y[0] - 5) : y[0]])))]
    # a year before this one is the past: the plan's first year, or the year the text was published
    now = max(plan[0] if plan else 0, doc.pub_year or 0) or None
    year_says = None
    if column is not None and (column.year is not None or column.hint is not None):
        # a table column: "Năm 2025" is the deadline, "Kết quả 2023" holds results
        year = column.year if column.year is not None else (plan[1] if plan else None)
        ysrc = "table column" if column.year is not None else "plan"
        if column.hint == "p" or (column.hint is None and now and year is not None and year < now):
            return True, year, ysrc, "a column of results"
        return False, year, ysrc, "a column of aims"
    if until:
        # a deadline after the figure counts when it is close ("đạt 90% vào năm 2025"), not when a
        # new statement starts there ("… 41/63 tỉnh, TP. Liên tục từ năm 2006 đến năm 2011 …")
        after_until = [y for y in until if m.end <= y[0] < m.end + 60 and "." not in doc.w[m.end : y[0]]]
        before_until = [y for y in until if y[0] < m.start]
        plain_before = [y for y in plain if y[0] < m.start]
        if (not (after_until or before_until) and plain) or (plain_before and not before_until):
            until = []
    if m.extra.get("seq_year"):
        year, ysrc = m.extra["seq_year"], "clause"
        year_says = "p" if now and year < now else None
    elif until:
        year, ysrc = (after_until[0] if after_until else (before_until or until)[-1])[3], "clause"
        # "đến năm 2022 … tăng 4 bậc" in a text that reports: a date, not a deadline
        year_says = "p" if now and (year < now or (year == now and report_doc)) else "t"
    elif plain:
        after_plain = [y for y in plain if y[0] >= m.end]
        year, ysrc = (after_plain[0] if after_plain else plain[-1])[3], "clause"
        if now and year < now:
            year_says = "p"
    else:
        sy, styp = doc.sentence_year(m.start)
        if styp == "report":
            year, ysrc, year_says = sy, "sentence", "p"
        elif sy is not None:
            year, ysrc = sy, "sentence"
            if styp == "plain" and now and sy < now:
                year_says = "p"
            elif styp == "until":
                year_says = "p" if now and sy < now else "t"
        elif inherited_year is not None:
            year, ysrc = inherited_year, "clause"
        else:
            cy = doc.context_year(m.start)
            # "Phấn đấu năm 2025 Chỉ số SIPAS đạt trên 85%; tỷ lệ hồ sơ trực tuyến đạt 80%": the year
            # of an earlier clause of the sentence, when an aim word comes right before it
            sy0 = doc.sentence_start(m.start)
            early = [y for y in doc.years_in(sy0, a) if y[2] in ("plain", "until")
                     and _AIM_YEAR_BEFORE.search(doc.w, max(sy0, y[0] - 25), y[0])] if a > sy0 else []
            if cy is not None:
                year, ysrc = cy, "context"
            elif early:
                year, ysrc = early[-1][3], "sentence"
            else:
                year, ysrc = (plan[1] if plan else None), "plan"
    if paren and _QUOTA_BEFORE.search(doc.w, max(0, paren[0] - 60), paren[0]):
        return False, year, ysrc, "the quota a result is compared with"
    if year_says == "p" and not target_cue:
        return True, year, ysrc, "past year"
    if year_says == "t" and not past_cue:
        return False, year, ysrc, "deadline"
    if target_cue:
        return False, year, ysrc, "aim word"
    if past_cue:
        return True, year, ysrc, "report word"
    if inherited_kind is not None:
        return inherited_kind == "p", year, ysrc, "as the figure before"
    pol = doc.cue_before(doc.sentence_start(m.start), m.num_start, strong_aims=report_doc)
    why = "nearest cue in the sentence"
    if pol is None and index_figure and _COMPARED_WITH_PAST.match(doc.w, m.end, after_end):
        pol, why = "p", "compared with a past year"
    if pol is None:
        lead = _SENT_PREFIX.match(doc.w, doc.sentence_start(m.start), m.num_start)
        if lead and lead.group("rep"):
            # "Kết quả, năm 2023, tỉnh xếp thứ 4": a sentence opened as a result is not the aim
            # an earlier sentence of the paragraph spoke of
            pol, why = "p", "a sentence opening with 'kết quả' or 'tính đến'"
    if pol is None:
        p0 = doc.paragraph_start(m.start)
        pol, why = doc.cue_before(p0, m.num_start, strong_aims=report_doc), "nearest cue in the paragraph"
        past_aim = _PAST_AIM.search(doc.w, p0, m.num_start) if pol == "t" else None
        if past_aim and not _STRONG_AIM.search(_AIM_NOUN_OR_JUDGED.sub(" ", doc.w[past_aim.end() : m.num_start])):
            # "tỉnh từng đề ra mục tiêu … Tuy nhiên, mục tiêu này chưa đạt. Năm 2021, chỉ số giảm còn 63,2
            # điểm": the only aim of the paragraph is one of the past
            pol, why = "p", "the paragraph's only aim is one set in the past"
    if pol is None:
        pol, why = doc.context_polarity(m.start), "introducing line or heading"
    if pol is None and report_doc:
        pol, why = "p", "a text reporting results"
    if pol is None and nearby_kind is not None:
        pol, why = nearby_kind, "as the figure just before"
    if pol is None and not doc.n_aim_words and sum(b - a for a, b in doc.body) > 400:
        # an article of several sentences without one aim word reports (a lone sentence stays an aim)
        pol, why = "p", "a text without any aim word"
    if pol is None:
        if index_figure and not doc.n_aims and doc.n_past_words:
            pol, why = "p", "a text reporting results"
        elif index_figure and not aim_shaped and doc.n_reports:
            # "Chỉ số PCI đạt 65,2 điểm, xếp thứ 33/63" with no aim word anywhere near, in a text
            # that also reports results: a result (aims on an index come with a cue, a
            # comparator or a group: "phấn đấu", "trên", "nhóm 20 tỉnh dẫn đầu")
            pol, why = "p", "an index figure stated without an aim"
        elif m.kind == "position" and not aim_shaped:
            # "đứng thứ 9/63 tỉnh, thành phố", "xếp thứ 27" with no aim word near: a result (aims on a
            # rank come with a cue or a group: "phấn đấu xếp thứ 9/63", "nhóm 10 tỉnh dẫn đầu")
            pol, why = "p", "a rank stated without an aim"
        else:
            pol, why = "t", "default"
    return pol == "p", year, ysrc, why


_LIST_AFTER = re.compile(r"\s*,?\s*(?:bao\s+gồm|gồm(?:\s+có)?|là)\s*:\s*")
_INDICATOR_START = re.compile(r"(?:tỷ|tỉ)\s+lệ|mức\s+độ|số\s+lượng")
_ITEM_SPLIT = re.compile(r"\s*;\s*|\s*,\s*(?=(?:tỷ|tỉ)\s+lệ)|\s+và\s+(?=(?:tỷ|tỉ)\s+lệ|mức\s+độ)")


def _listed_indicators(doc: _Doc, m: _Mention, ca: int, cb: int) -> list[tuple[int, int]]:
    """Indicators that share one figure: a list after it ("4 chỉ tiêu phải đạt 100% gồm: Tỷ lệ
    A; Tỷ lệ B; … và Tỷ lệ D") or several subjects before it ("Tỷ lệ A và Tỷ lệ B đạt tối
    thiểu 80%").  Spans of the indicators, or [] when the figure has one subject."""
    w = doc.w
    lst = _LIST_AFTER.match(w, m.end, min(doc.n, m.end + 20))
    if lst:
        end = doc.hstart[bisect.bisect_left(doc.hstart, lst.end())] if bisect.bisect_left(doc.hstart, lst.end()) < len(doc.hstart) else doc.n
        end = min(end, lst.end() + 1500)
        # the list runs to the end of the sentence, across ';'
        items, a = [], lst.end()
        for sp in _ITEM_SPLIT.finditer(w, a, end):
            items.append((a, sp.start()))
            a = sp.end()
        items.append((a, end))
        items = [(x, y) for x, y in items if y > x]
        if len(items) >= 2 and all(_INDICATOR_START.match(w, x) for x, _ in items):
            return items
        return []
    a = ca
    while a < m.start and not w[a].isalnum():
        a += 1
    if m.start - a > _WINDOW or not _INDICATOR_START.match(w, a):
        return []
    items, start = [], a
    for sp in _ITEM_SPLIT.finditer(w, max(a, m.start - _WINDOW), m.start):
        if _INDICATOR_START.match(w, sp.end()):
            items.append((start, sp.start()))
            start = sp.end()
    if not items:
        return []
    items.append((start, m.end))
    return items


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
    return _find(text, province=province, plan_year=plan_year, document_id=document_id, source_file=source_file)[0]


def _find(text: str, *, province=None, plan_year=None, document_id: str = "", source_file: str = "") -> tuple[list[dict], _Doc]:
    """:func:`find_targets` and the document model it built (whose ``work`` counts the
    look-ups made per figure)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    doc = _Doc(text)
    plan = _parse_plan_year(plan_year) or _infer_period(doc)
    if province is not None:
        from ..provinces import UnknownProvinceError, resolve_province

        try:
            prov = resolve_province(province)
        except UnknownProvinceError:
            prov = resolve_province(province, boundaries="2025")
    else:
        prov = _infer_province(doc)
    boundaries = "2025" if prov is not None and (prov.boundaries == "2025" or _post_merger(doc, plan)) else "legacy"
    if boundaries == "2025" and prov is not None and prov.boundaries == "legacy" and prov.successor_code:
        from ..provinces import successor

        prov = successor(prov)
    plan_period = "" if plan is None else (str(plan[0]) if plan[0] == plan[1] else f"{plan[0]}-{plan[1]}")

    rows: list[dict] = []
    last_fig: tuple[int, str] | None = None  # end and kind of the last figure read
    last_clause = -2
    prev_outer: _Mention | None = None
    prev_info: dict | None = None
    clause_rows: list[dict] = []
    clause_sent = -1
    mentions = _mentions(doc)
    aggregate_at: tuple[int, int] | None = None  # (clause, end) of the last figure of the provinces as a whole
    own = own_codes(prov, boundaries)
    # the next figure outside parentheses in the same clause, for every figure (one backward pass)
    next_outer: dict[int, int | None] = {}
    upcoming: tuple[int, int] | None = None  # (clause, start)
    for m in reversed(mentions):
        ci_m = doc.clause(m.start)[2]
        next_outer[id(m)] = upcoming[1] if upcoming and upcoming[0] == ci_m and upcoming[1] >= m.end else None
        if doc.paren_of(m.start) is None:
            upcoming = (ci_m, m.start)

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
        trow = doc.table_row(m.start)
        tcol = None
        if trow is not None and trow.label is not None and not (trow.label[0] <= m.start < trow.label[1]):
            # a table cell: the row label says what the figure measures, the column when
            found = doc.indices_in(*trow.label)
            real = [k for _, _, k in found if k in _NAMED]
            how = "named in the row label"
            tcol = column_of(trow, m.start)
        else:
            trow = None
        after_end = next_outer[id(m)] if not paren else paren[1] - 1
        if after_end is None or after_end > cb:
            after_end = cb
        ref = _REF_WORD.search(doc.w, m.end, after_end)
        if ref and not paren:
            after_end = ref.start()
        notes: list[str] = []
        # a figure of another province or a ministry ("Quảng Ninh dẫn đầu với 92,18%") is not this plan's
        sent0 = doc.sentence_start(m.start)
        subj = other_subject(doc.norm, max(sent0, seg[0] if not paren else ca), paren[0] if paren else m.num_start, own,
                             after=None if paren else m.end, skip=None if paren else doc.paren_of)
        subject_prov = None
        if subj is None and not paren and prev_info is not None and prev_info.get("subject"):
            subj = prev_info["subject"]  # "Hải Dương dẫn đầu cả nước với 91,2%": still Hải Dương
        if subj:
            # a ministry's figure is left out; another province's result is kept for that province
            # (a quoted figure is a sourced observation), its aims are not this plan's
            subject_prov = _resolve_cached(subj) if not subj.startswith("Bộ") else None
            if subject_prov is None:
                continue
        if m.kind == "group" and not paren and _COUNT_OF_PARTS_IN_GROUP.search(doc.w, max(seg[0], m.num_start - 320), m.num_start):
            # "có 3/10 chỉ số (tính minh bạch, …) nằm trong tốp 10": parts of an index in a group, an aim
            # on the parts and not on the index
            real, how = ["component"], "a count of parts of an index placed in a group"
        elif _COUNT_OF_PARTS.search(doc.w, max(seg[0], m.num_start - 80), m.num_start) or _GAP_TO_MAX.search(doc.w, max(0, m.num_start - 30), m.num_start):
            continue  # "04/08 lĩnh vực có chỉ số trên 90%", "dưới điểm tối đa 13,28 điểm"
        past_aim = _PAST_AIM.search(doc.w, doc.sentence_start(m.start), m.num_start)
        if past_aim and not _STRONG_AIM.search(doc.w, past_aim.end(), m.num_start):
            continue  # "tỉnh từng đề ra mục tiêu đưa Chỉ số PCI vào top 10": an aim of the past, not this plan's
        run_on = (aggregate_at is not None and aggregate_at[0] == ci and not paren
                  and not doc.indices_in(aggregate_at[1], m.num_start)
                  and not any(doc.norm[o.end()].isupper() for o in _OWN_SUBJECT.finditer(doc.w, aggregate_at[1], m.num_start)))
        if run_on or _aggregate(doc, m, seg[0] if not paren else ca, paren):
            # "53/63 địa phương có chỉ số tăng", "nơi giảm nhiều nhất là 2,9%": the provinces as a whole
            if not paren:
                prev_outer = m
                aggregate_at = (ci, m.end)
            continue
        if _WEIGHT.search(doc.w, max(0, m.num_start - 20), m.num_start):
            if not paren:
                prev_outer = m
            continue  # "nhóm chỉ số có trọng số 15%": the weight of a part of an index
        nat = _NATIONAL_SUBJECT.search(doc.norm, sent0, m.num_start)
        if nat and nat.start() - sent0 < 40 and not paren:
            prev_outer = m
            continue  # "Theo VCCI, Việt Nam đặt mục tiêu tăng trưởng 8%": the country's aim, not the province's
        if _AVERAGE.search(doc.w, max(seg[0] if not paren else ca, m.num_start - 40 - (m.num_start - paren[0] if paren else 0)),
                           m.num_start if not paren else paren[0]) or (paren and _AVERAGE.search(doc.w, paren[0] + 1, m.num_start)):
            continue  # a national or regional average, not the province's figure
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
            real = [carried["metric_index"]] if carried["metric_index"] else list(carried.get("_named", []))
            how = "carried over from the previous clause"
        is_rankish = m.kind in ("group", "position", "places", "first", "score", "index_value")
        if not real and m.kind in ("group", "position", "first"):
            # "nằm trong nhóm 10 địa phương có chỉ số PAR INDEX, SIPAS cao nhất": every index named after it
            after = [x for x in doc.indices_in(m.num_start, after_end) if x[2] in _NAMED and x[2] != "thisindex"]
            if after:
                # the list goes on while only commas, "và" and names lie between ("PAR INDEX, SIPAS và
                # PAPI"), not "… 2021 và thứ 27 về chỉ số SIPAS" (another figure's index)
                names = [after[0][2]]
                for prev_x, x in zip(after, after[1:]):
                    between = doc.w[prev_x[1] : x[0]]
                    if len(between) > 120 or re.search(r"\d|thứ|xếp|đứng|hạng", between):
                        break
                    names.append(x[2])
                real = list(dict.fromkeys(names))
                how = "named after the figure"
        elif not real and is_rankish:
            after = [x for x in doc.indices_in(m.end, after_end) if x[2] in _NAMED]
            if after:
                real = [after[0][2]]
                how = "named after the figure"
        elif not real and m.kind == "percent" and not paren and not doc.domain_hits(seg[0], m.num_start) \
                and not doc.indices_in(seg[0], m.num_start) and m.num_start - seg[0] < 12:
            # "Đạt 88,68%, Đà Nẵng đứng thứ 12 trên bảng xếp hạng PAR Index": the index comes later in the clause
            after = [x for x in doc.indices_in(m.end, min(cb, m.end + 200)) if x[2] in ("par", "sipas")]
            if after:
                real = [after[0][2]]
                how = "named later in the clause"
        if not real and paren and prev_info is not None:
            real = list(prev_info["real"])
            how = "inherited from the figure before the parenthesis"
        if not real and is_rankish:
            sat_before = [x for x in doc.indices_in(max(ca, m.start - 300), paren[0] if paren else m.num_start) if x[2] == "sat"]
            if sat_before and _SERVE_STRONG.search(doc.w, sat_before[-1][0], paren[0] if paren else m.num_start):
                real, how = ["sipasname"], "satisfaction with the service of administrative agencies: SIPAS"
        if not real and m.kind in ("group", "first", "position") and _ABOUT_REFORM.match(doc.w, m.end, min(doc.n, m.end + 40)):
            real, how = ["par"], "a rank 'về cải cách hành chính': the PAR Index"
        if not real and m.kind in ("group", "first", "position") and _ABOUT_DIGITAL.match(doc.w, m.end, min(doc.n, m.end + 110)):
            real, how = ["dti"], "a rank of provinces 'về chuyển đổi số': the DTI"
        if not real and (is_rankish or (m.kind == "percent" and _GENERIC_INDEX.search(doc.w, seg[0], seg[1]))) and not paren \
                and not any(d == "socio_economic" for d, _, _ in doc.domain_hits(doc.sentence_start(m.start), m.num_start)):
            # (not "kinh tế tăng trưởng nhanh, đứng thứ 3 khu vực": the economy's rank, not an index's)
            # "So với năm 2021, giảm 1,03 điểm và giảm 17 bậc": the index named earlier in the paragraph
            # (or the one before it), else the only index in the headline
            par0 = doc.paragraph_start(m.start)
            lo = doc.paragraph_start(par0 - 1) if par0 > 0 and not doc.indices_in(max(par0, m.start - _WINDOW), seg[0]) else par0
            earlier = [x for x in doc.indices_in(max(lo, m.start - 600), seg[0]) if x[2] in _NAMED and doc.paren_of(x[0]) is None]
            if (earlier and earlier[-1][2] == "component" and earlier[-1][0] < par0 and doc.headline_index
                    and is_rankish and m.kind != "index_value" and _STRONG_AIM.search(doc.w, ca, m.num_start)):
                # a part of the index named in the paragraph before does not carry over to a new
                # paragraph ("Năm 2023, tỉnh phấn đấu đạt trên 66 điểm"): the index of the headline does
                real = [doc.headline_index]
                how = "the index named in the headline (a part named in the paragraph before does not carry over)"
            elif earlier and earlier[-1][2] != "thisindex":
                real = [earlier[-1][2]]
                how = "named earlier in the paragraph"
            elif doc.headline_index and is_rankish and m.kind != "index_value":
                real = [doc.headline_index]
                how = "the index named in the headline"
        if real and real[-1] == "thisindex":
            # "chỉ số này" points back to the index named last
            par0 = doc.paragraph_start(m.start)
            earlier = [x for x in doc.indices_in(max(par0, m.start - 1500), seg[0]) if x[2] in _NAMED and x[2] != "thisindex"]
            real = real[:-1] + ([earlier[-1][2]] if earlier else [])
            how = "'chỉ số này': the index named before"
        real = [k for k in real if k != "thisindex"]
        special = real[-1] if real and real[-1] in ("component", "ict", "service") else None
        if special:
            real = [special]
        else:
            real = [k for k in real if k not in ("component", "ict", "service")]
        # satisfaction
        sat_pos = next((s for s, _, k in found if k in ("sat", "sipasname")), None)
        if sat_pos is None and prev_info is not None and not real:
            sat_pos = prev_info.get("sat_pos")
        sat_kind, sat_conf = ("", "")
        if sat_pos is not None and m.kind == "percent":
            sat_kind, sat_conf = _sat_class(doc, sat_pos, after_end if after_end > m.end else m.end)
        elif sat_pos is None and m.kind == "percent" and not real and not paren:
            # "tối thiểu 90% người dân, doanh nghiệp hài lòng về việc giải quyết TTHC": the share of
            # people satisfied, named after the figure; SIPAS only when the object is the administration
            sm = _SAT_AFTER.match(doc.w, m.end, min(doc.n, m.end + 120))
            if sm:
                k, c = _sat_class(doc, sm.end(), max(after_end, min(doc.n, sm.end() + 80)))
                if k in ("admin", "mixed"):
                    sat_pos, sat_kind, sat_conf = sm.start("sat"), k, c
        indices: list[str] = []
        other_index = special is not None
        for k in real:
            k2 = "sipas" if k == "sipasname" else k
            if k == "sipasname" and sat_kind == "public":
                continue
            if k2 in ("other", "component", "ict", "service"):
                indices, other_index = [], True
                break
            if k2 not in indices:
                indices.append(k2)
        if m.kind in ("days", "count"):
            indices = []  # durations and counts are never an index's figure
        if m.kind == "percent" and not indices and sat_kind in ("admin", "mixed") and not subset:
            indices = ["sipas"]
        elif m.kind == "percent" and not indices and not other_index and sat_pos is not None and not sat_kind and not subset:
            # "mức độ hài lòng đạt trên 90%" in a reform plan: satisfaction with the administration
            indices, sat_kind, sat_conf = ["sipas"], "admin", "low"
        if m.kind == "index_value" and how not in ("named", "inherited from the figure before"):
            continue  # "là 3 trụ cột": a bare number after "đạt/là" counts only next to the index's name
        if m.kind in ("position", "first", "score", "index_value") and not indices and not other_index:
            if m.kind in ("score", "index_value", "first"):
                continue
            if not (m.extra.get("total") or re.search(r"cả\s+nước|toàn\s+quốc|tỉnh,\s*thành", doc.w[m.end : m.end + 40])):
                continue
        if m.kind == "score" and not indices and not other_index and not _CHISO.search(doc.w, max(ca, m.start - _WINDOW), min(cb, m.end + _WINDOW)):
            continue
        if m.kind == "score" and indices and m.extra.get("out_of") and _num(m.extra["out_of"]) not in (100.0, 80.0, 70.0):
            special, indices, other_index = "component", [], True  # "8,5/10 điểm": a part of the index
        if m.kind in ("group", "position") and _NEGATED.search(doc.w, max(seg[0], m.start - 30), m.start):
            continue  # "chưa được vào danh sách Top 30"
        # counts and durations need a cue
        cmp_, cue = _comparator(doc, m, seg[0] if not paren else paren[0] + 1)
        if m.kind == "count":
            before = doc.w[max(ca, m.num_start - 40) : m.num_start]
            if not (cmp_ or m.n2 is not None or m.extra.get("cell") or _COUNT_ACTION.search(before)):
                continue
        if m.kind == "days":
            before = doc.w[max(ca, m.num_start - 40) : m.num_start]
            if not (_TIME_CUE.search(before) and _TIME_CONTEXT.search(doc.w, max(ca, m.start - _WINDOW), min(cb, m.end + _WINDOW))):
                continue
        # kind and year
        inherited_year = prev_info.get("year") if prev_info and prev_info.get("year_src") == "clause" else None
        local = (seg[0], m.num_start) if not paren else (paren[0] + 1, m.num_start)
        inherited_kind = None
        if prev_info is not None and not paren:
            inherited_kind = "p" if prev_info.get("base") else "t"
            if inherited_year is None and prev_info.get("base"):
                inherited_year = prev_info.get("year")
        if prev_info is None and not paren and parent_rows and parent_sent == clause_sent:
            # "năm 2023 Chỉ số A đạt x, xếp y; Chỉ số B đạt z": the report (or the aim) goes on after ';'
            outer_rows = [x for x in parent_rows if not x.get("_paren")]
            if outer_rows and outer_rows[-1]["is_baseline"]:
                inherited_kind, inherited_year = "p", outer_rows[-1]["deadline"]
            elif outer_rows and not _PAST_CUE.search(doc.w, ca, m.num_start) and doc.sentence_year(m.start)[1] != "report":
                inherited_kind = "t"
        nearby_kind = None
        if last_fig is not None and m.start - last_fig[0] < 400 and not doc.heading_between(last_fig[0], m.start):
            nearby_kind = last_fig[1]
        is_base, year, ysrc, why = _classify(doc, m, local, after_end, plan, inherited_year, paren, inherited_kind,
                                             index_figure=bool(indices) or is_rankish, nearby_kind=nearby_kind, column=tcol,
                                             aim_shaped=bool(cmp_) or m.n2 is not None or m.kind in ("group", "first", "worded"))
        if not paren:
            last_fig = (m.end, "p" if is_base else "t")
        if m.kind == "worded" and (is_base or why == "default" or paren or other_index or indices):
            continue  # "tất cả …" counts only as an aim stated as one
        if paren and is_base:
            notes.append("figure in parentheses with a past year: baseline")
        elif why not in ("deadline", "aim word", "report word", "past year", "as the figure before"):
            notes.append(f"{'result' if is_base else 'aim'}: {why}")
        # unit, comparator, value, field
        value, unit, field_, comparator = m.n1, "", "", cmp_
        scope, rank_out_of = "national", None
        before30 = doc.w[max(ca, m.num_start - 30) : m.num_start]
        change = _CHANGE_BEFORE.search(before30)
        if m.kind == "worded":
            unit, comparator, field_ = "%", ">=", "value"
            notes.append("worded total ('tất cả', 'toàn bộ') read as 100%")
        elif m.kind == "percent":
            unit = "%"
            if comparator is None:
                comparator = "=" if is_base else (">=" if not _DOWN_TO.search(doc.w, max(ca, m.num_start - 30), m.num_start) else "<=")
            field_ = "value"
            if indices and change:
                field_ = "value_change"
                if is_base and change.group("down"):
                    value = -value
            if m.n2 is not None:
                notes.append(f"range {_fmt(m.n1)}-{_fmt(m.n2)}%; lower bound kept")
        elif m.kind in ("group", "position", "first"):
            unit, field_ = "rank", "rank"
            if m.n2 is not None:
                value = max(m.n1, m.n2)
                notes.append(f"rank range {_fmt(min(m.n1, m.n2))}-{_fmt(value)}; upper bound kept")
            total = m.extra.get("total")
            rank_out_of = int(total) if total else None
            scope, scope_how = rank_scope(doc.w, m.start, m.end, doc.sentence_start(m.start), after_end if not paren else paren[1],
                                          rank_out_of)
            if scope != "national":
                notes.append(f"regional rank ({scope_how}): never graded against national ranks")
            if is_base and m.kind == "group":
                comparator = "top"
                notes.append("a past result stated as a group ('thuộc nhóm 20 …'): rank N or better, not rank N")
            elif is_base:
                comparator = "="
            else:
                comparator = "top"
                if m.kind == "position":
                    notes.append(f"stated as rank {_fmt(value)}: recorded as 'top {_fmt(value)}' (rank {_fmt(value)} or better)")
        elif m.kind == "places":
            unit, field_ = "places", "rank_change"
            before = doc.w[max(ca, m.num_start - 40) : m.num_start]
            last_dir = None
            for d in _DIRECTION_WORD.finditer(before):
                last_dir = d
            if last_dir is not None and last_dir.group("down"):
                value = -value
            if scope == "national" and prev_info is not None and prev_info.get("scope", "national") != "national":
                scope = prev_info["scope"]  # "đứng thứ 2/13 tỉnh trong vùng, tăng 4 bậc": places within the region
            if comparator is None:
                comparator = "=" if is_base else ">="
            if m.n2 is not None:
                notes.append(f"range {_fmt(m.n1)}-{_fmt(m.n2)} places; lower bound kept")
            if m.extra.get("worded"):
                notes.append("number written as a word")
        elif m.kind in ("score", "index_value"):
            unit = "score"
            if value >= 1000 and re.fullmatch(r"\d{1,2}\.\d{3}", doc.w[m.num_start : m.num_start + 6].strip()):
                value /= 1000  # "42.295 điểm": a decimal point, no index scores in thousands
                notes.append("dot read as a decimal point")
            field_ = "value_change" if change else "value"
            if change and change.group("down"):
                value = -value
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
        if is_base and (special == "component" or (other_index and special is None)):
            # results of a part of an index (a component, a field, the appraisal score) or of an
            # index outside the five (PGI, DDCI, a department-level index) are not recorded; the
            # figures after it in the clause still read on from it
            if not paren:
                prev_outer = m
                prev_info = {"real": real, "year": year, "year_src": ysrc, "domain": "direction", "sat_pos": None,
                             "base": True, "scope": scope}
            continue
        # evidence
        if paren:
            ea, eb = _trim(doc, paren[0] + 1, paren[1] - 1)
        elif trow is not None:
            ea, eb = _trim(doc, trow.start, trow.end)
        else:
            ea, eb = _trim(doc, ca, max(cb, m.end))
            if eb - ea > 420:
                ea, eb = _trim(doc, seg[0], max(m.end, min(cb, after_end)))
        doc.work += (m.num_start - local[0]) + (after_end - m.end) + (eb - ea)  # the text this figure read
        # domain
        heading = doc.heading_domain(m.start)
        da, db = (max(ca, paren[0] - _WINDOW), min(cb, paren[1] + _WINDOW)) if paren else (trow.label if trow is not None else (ea, eb))
        dom, dconf, gloss = _score_domains(doc, da, db, heading)
        if dom == "socio_economic" and is_rankish and all(en in _DIGITAL_PILLARS for d, _, en in doc.domain_hits(da, db) if d == dom):
            # "kinh tế số 26/63 (tăng 11 bậc)": a rank of the digital-economy pillar is a part of the DTI, not the economy
            dom, dconf = "direction", "low"
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
        elif special == "ict":
            dom, conf = "digital_government", "high"
            notes.append("ICT Index (readiness for ICT development): no mapped index")
        elif special == "service":
            dom, conf = "procedures", "high"
            notes.append("index of service to citizens and businesses (Decision 766): no mapped index")
        elif special == "component":
            dom, conf = "direction", "medium"
            notes.append("a component (sub-index, field or criterion) of an index: no mapped index")
        elif other_index and any(_GREEN.match(doc.w, x[0]) for x in doc.indices_in(max(ca, m.start - _WINDOW), min(cb, m.end + 200))
                                 if x[2] == "other"):
            dom, conf = "other", "medium"
            notes.append("Provincial Green Index (PGI): an environmental index, not a reform index; no mapped index")
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
        row_prov, row_bounds = prov, boundaries
        if subject_prov is not None:
            if not is_base:
                continue
            row_prov, row_bounds = subject_prov, "legacy" if subject_prov.boundaries == "legacy" else "2025"
            notes.append(f"a result of {subject_prov.name} quoted in the text, not of the text's own province")
        elif boundaries == "2025" and is_base and year is not None and year <= 2024 and prov is not None:
            # a post-merger plan quoting a result of 2024 or earlier: the figure is a former
            # (legacy) unit's -- the member named last before it, else the namesake
            row_prov = legacy_member(doc.norm, max(0, m.start - 1500), m.start, prov)
            if row_prov is not None:
                row_bounds = "legacy"
                notes.append(f"result of the former {row_prov.name} (before the 1 July 2025 merger)")
            else:
                row_prov = prov
        base = {
            "document_id": document_id,
            "province_code": row_prov.code if row_prov else "",
            "province": row_prov.name if row_prov else "",
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
            "boundaries": row_bounds,
            "scope": scope,
            "rank_out_of": rank_out_of,
            "is_baseline": is_base,
        }
        value_text = _snippet(doc, m.start, m.end, 80)
        if indices:
            for k in indices:
                r = dict(base)
                k_unit, k_notes = unit, list(notes)
                if unit == "score" and (k == "sipas" or (k == "par" and field_ == "value")):
                    # both indices are published in per cent (PAR Index: points out of 100)
                    k_unit = "%"
                    k_notes.append(f"{_INDEX_EN[k]} points read as per cent")
                r.update(
                    unit=k_unit,
                    metric_index=k,
                    metric_component="overall",
                    metric_field=field_,
                    indicator_vi=f"{_INDEX_VI[k]}: {value_text}",
                    indicator_en=_index_en(k, field_, k_unit, is_base),
                    mapping_note="; ".join(k_notes),
                )
                rows.append(r)
                clause_rows.append(r)
        else:
            items = [] if (paren or other_index or sat_kind) else _listed_indicators(doc, m, ca, cb)
            n_before = len(rows)
            for ia, ib in items or [(ea, eb)]:
                r = dict(base)
                i_dom, i_conf, i_gloss, i_notes = dom, conf, gloss, notes
                if items:
                    i_dom, i_conf, i_gloss = _score_domains(doc, ia, ib, heading)
                    i_notes = notes + [f"one of {len(items)} indicators given the same figure"]
                    r.update(evidence_start=doc.orig(ia), evidence_end=doc.orig(ib), domain=i_dom, mapping_confidence=i_conf)
                label = _DOMAIN_EN.get(i_dom, i_dom)
                r.update(
                    metric_index="",
                    metric_component="",
                    metric_field="",
                    indicator_vi=_snippet(doc, ia, ib),
                    indicator_en=f"{label}: {', '.join(i_gloss[:4])}" if i_gloss else label,
                    mapping_note="; ".join(i_notes),
                )
                rows.append(r)
                clause_rows.append(r)
            n_new = len(rows) - n_before
        if not paren:
            prev_outer = m
            prev_info = {"real": real, "year": year, "year_src": ysrc, "domain": dom, "sat_pos": sat_pos, "base": is_base,
                         "scope": scope, "subject": subj or None}
        for r in rows[len(rows) - (len(indices) or n_new):]:
            r["_named"] = real
            r["_paren"] = paren is not None
    rows = _dedupe(rows, doc)
    for r in rows:
        r.pop("_named", None)
        r.pop("_paren", None)
    prefix = document_id or "x"
    for i, r in enumerate(rows, 1):
        r["target_id"] = f"{prefix}-{i:02d}"
    return rows, doc


def _index_en(k: str, field_: str, unit: str, is_base: bool) -> str:
    name = _INDEX_EN[k]
    what = {
        "rank": "rank",
        "rank_change": "places gained",
        "value_change": "points gained",
        "value": "satisfaction (%)" if k == "sipas" and unit == "%" else ("score (%)" if unit == "%" else "score"),
    }[field_]
    return f"{name} {what}" + (" (past result)" if is_base else "")




def _dedupe(rows: list[dict], doc: _Doc) -> list[dict]:
    """Drop restatements (a headline, a photo caption, a summary repeating the body).

    A rank, score or PAR Index row is a restatement when an earlier one has the same kind,
    figure, comparator, unit, index, field, scope and year (satisfaction rows may measure
    different services with the same figure).  Other rows must also share nearly the
    same words and sit elsewhere in the text; they are compared with the last few rows of
    the same key only, so the work stays linear.
    """
    kept: list[dict] = []
    seen: dict[tuple, list[tuple[dict, set]]] = {}
    for r in rows:
        fam = r["metric_index"] or r["domain"]
        key = (r["kind"], r["value"], r["unit"], r["comparator"], fam, r["metric_field"], r["deadline"], r["scope"], r["province_code"])
        dup = None
        if r["metric_index"] and (r["unit"] != "%" or r["metric_index"] == "par") and key in seen:
            dup = seen[key][0][0]
            toks: set = set()
        else:
            toks = set(_TOKEN.findall(doc.w[_rev(doc, r["evidence_start"]) : _rev(doc, r["evidence_end"])]))
            for other, otoks in seen.get(key, [])[-8:]:
                if r["evidence_start"] < other["evidence_end"] and other["evidence_start"] < r["evidence_end"]:
                    continue
                small = min(len(toks), len(otoks)) or 1
                if len(toks & otoks) / small >= 0.85:
                    dup = other
                    break
        if dup is not None:
            if dup["mapping_note"].count("also stated at") < 3:
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
        generated gloss; ``mapping_note`` explains the reading) plus the optional columns of
        :data:`cchc_analysis.targets.OPTIONAL_TARGET_COLUMNS` -- ``boundaries`` (``legacy`` or
        ``2025``: the province set of ``province_code``), ``scope`` (``national`` or
        ``region:<slug>``), ``rank_out_of`` (Int64: the N printed with a rank, "18/63") -- and
        ``is_baseline`` (bool).  ``evidence_start``/``evidence_end`` are offsets into ``text``;
        ``deadline`` is Int64.

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
    for col in ("deadline", "evidence_start", "evidence_end", "rank_out_of"):
        df[col] = pd.array(df[col].tolist(), dtype="Int64")
    df["is_baseline"] = df["is_baseline"].astype(bool)
    return df
