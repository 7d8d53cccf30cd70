"""Pre-computed structure of one plan text (:class:`_Doc`): body, clauses, parentheses, index
names, domain keywords, years, headings and introducing lines; plan period and province."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .text import (
    _canon,
    _is_wrapped,
    _nfc,
    _working,
)
from .tables import find_tables, row_at
from .patterns import (
    _LETTER,
    _ABBREV_END,
    _DATE_BEFORE,
    _DOMAIN_OF,
    _DOMAIN_RE,
    _FOOTER,
    _HEADING,
    _HEADING_DOMAIN_RE,
    _HEAD_POLARITY,
    _LOOK_CUE,
    _LOOK_CAND,
    _STRONG_REPORT,
    _STRONG_AIM,
    _PUB_DATE,
    _INDEX_CAND,
    _INDEX_RE,
    _PAREN,
    _PHASE_DEF,
    _PHASE_REF,
    _PLAIN_YEAR,
    _PLAN_TITLE,
    _PROVINCE_CAND,
    _RESUME,
    _SENT_PREFIX,
    _SEP,
    _TARGET_CUE,
    _WEB_END,
    _YEAR,
    _YEAR_PRE,
)

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
        #: items and characters looked at per figure (indices, years, domain words, windows):
        #: a test checks that it grows in proportion to the text, not faster
        self.work = 0
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
        self.parstart = [0] + [b for _, b, k in seps if k in ("para", "line")]
        cues = []
        last = -1
        for c in _LOOK_CAND.finditer(w):
            if c.start() < last:
                continue
            m = _LOOK_CUE.match(w, c.start())
            if m:
                cues.append((m.start(), "t" if m.group("t") else "p", m.group()))
                last = m.end()
        self.cpos = [c[0] for c in cues]
        self.cpol = [c[1] for c in cues]
        in_body = [c for c in cues if self.in_body(c[0])]
        # the document's genre rests on words that only plans or only reports use ("sẽ", "chỉ tiêu",
        # "so với năm" and "đã" occur in both)
        self.n_aims = sum(1 for c in in_body if c[1] == "t" and _STRONG_AIM.match(c[2]))
        self.n_reports = sum(1 for c in in_body if c[1] == "p" and _STRONG_REPORT.match(c[2]))
        self.n_past_words = sum(1 for c in in_body if c[1] == "p")
        # the earliest date near the top: a web page may print today's date above the article's
        dates = [int(d.group("y") or d.group("y2") or d.group("y3")) for d in _PUB_DATE.finditer(w, 0, min(n, 400))]
        self.pub_year = min(dates) if dates else None
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
        self.trow_starts, self.trows = find_tables(w)
        # the only index named in the headline (a result article about one index)
        head = [k for a, _, k in idx if a < (self.body[0][0] if self.body else 0) + 300 and k in ("par", "sipas", "papi", "pci", "dti")]
        self.headline_index = head[0] if head and len(set(head)) == 1 else None
        self.phases = {}
        for m in _PHASE_DEF.finditer(w):
            self.phases.setdefault(_phase_key(m.group("l")), (int(m.group("a")), int(m.group("b"))))
        self._contexts()

    # -- regions
    def _body(self) -> None:
        """Spans of the text to read: a decision's "Nơi nhận:" block is skipped (reading resumes at
        an attached KẾ HOẠCH / PHỤ LỤC), and so is a web page's footer (related news, comments,
        visitor counts) -- up to a second article in the same file, which is read."""
        w, n = self.w, self.n
        cuts: list[tuple[int, int]] = []  # (start, resume) of skipped stretches
        pos = 0
        while True:
            m = _WEB_END.search(w, pos)
            if m is None:
                break
            if m.start() < 0.3 * n and not cuts:
                pos = m.end()  # a menu at the top of the page, not its footer
                continue
            resume = _next_article(w, m.end())
            cuts.append((m.start(), resume))
            if resume >= n:
                break
            pos = resume
        spans: list[tuple[int, int]] = []
        cur = 0
        for stop, resume in cuts + [(n, n)]:
            seg_end = stop
            for m in _FOOTER.finditer(w, cur, seg_end):
                if m.start() < cur:
                    continue
                spans.append((cur, m.start()))
                cur = seg_end
                for r in _RESUME.finditer(w, m.end(), seg_end):
                    if r.group("title") is None or self.norm[r.start("title") : r.end("title")].isupper():
                        cur = r.start()
                        break
            if cur < seg_end:
                spans.append((cur, seg_end))
            cur = max(cur, resume)
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
            while j >= 0 and j > i - 20 and self.skind[j] == "pipe":
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
        i0 = i
        while i < len(self.istart) and self.istart[i] < b:
            if self.iend[i] <= b:
                out.append((self.istart[i], self.iend[i], self.iname[i]))
            i += 1
        self.work += i - i0 + 1
        return out

    def years_in(self, a: int, b: int) -> list[tuple[int, int, str, int]]:
        i = bisect.bisect_left(self.ystart, a)
        self.work += 1
        out = []
        while i < len(self.ystart) and self.ystart[i] < b:
            if self.years[i][1] <= b + 1:
                out.append(self.years[i])
            i += 1
            self.work += 1
        return out

    def domain_hits(self, a: int, b: int) -> list[tuple[str, float, str]]:
        i = bisect.bisect_left(self.dpos, a)
        j = bisect.bisect_left(self.dpos, b)
        self.work += j - i + 1
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
            # the introducing sentence ("…, cụ thể như sau:" leans on the sentence before it)
            s0 = self.sentence_start(a)
            if a - s0 < 40 and s0 > 0:
                s0 = max(self.paragraph_start(a), self.sentence_start(s0 - 2))
            s0 = max(s0, a - 600)
            events.append((self.send[k], self._deadline_in(s0, a), self.strong_polarity(s0, a)))
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
            pol = _HEAD_POLARITY.search(title[:60])
            events.append((m.start(), self._deadline_in(m.start("rest"), min(self.n, m.start("rest") + 120), stop_at_sep=True),
                           pol.lastgroup if pol else None))
        events.sort(key=lambda e: e[0])
        self.epos = [e[0] for e in events]
        self.eyear = [e[1] for e in events]
        self.epol = [e[2] for e in events]
        # polarity carried forward over events without one, for a short stretch (a list under it)
        carried: tuple[int, str] | None = None
        self.epol_eff = []
        for pos, pol in zip(self.epos, self.epol):
            if pol:
                carried = (pos, pol)
            self.epol_eff.append(carried[1] if carried and pos - carried[0] < 1500 else None)
        # a year of a results introduction carries over the list under it, like its polarity
        self.eyear_eff = []
        last_year: tuple[int, int] | None = None
        for pos, y, pol in zip(self.epos, self.eyear, self.epol_eff):
            if y is not None:
                last_year = (pos, y)
            carry = last_year if (y is None and pol == "p" and last_year and pos - last_year[0] < 1500) else None
            self.eyear_eff.append(y if y is not None else (carry[1] if carry else None))
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
        return self.eyear_eff[i] if i >= 0 else None

    def context_polarity(self, p: int) -> str | None:
        """'t' or 'p' when the nearest introducing line or heading before ``p`` announces aims
        or results."""
        i = bisect.bisect_right(self.epos, p) - 1
        return self.epol_eff[i] if i >= 0 else None

    def cue_before(self, a: int, p: int, strong_aims: bool = False) -> str | None:
        """Polarity of the nearest cue word in ``[a, p)``: 't' (an aim), 'p' (a result) or None.
        With ``strong_aims`` (in a text that reports results) "chỉ tiêu", "sẽ" … do not count."""
        i = bisect.bisect_left(self.cpos, p) - 1
        last = i - 30
        while i >= 0 and i > last and self.cpos[i] >= a:
            if not (strong_aims and self.cpol[i] == "t" and not _STRONG_AIM.match(self.w, self.cpos[i])):
                return self.cpol[i]
            i -= 1
        return None

    def strong_polarity(self, a: int, p: int) -> str | None:
        """Polarity of the nearest cue in ``[a, p)`` that only plans ('t') or only reports ('p') use."""
        i = bisect.bisect_left(self.cpos, p) - 1
        last = i - 30  # the nearest few cues are enough
        while i >= 0 and i > last and self.cpos[i] >= a:
            word = self.w[self.cpos[i] : self.cpos[i] + 30]
            if (_STRONG_AIM if self.cpol[i] == "t" else _STRONG_REPORT).match(word):
                return self.cpol[i]
            i -= 1
        return None

    def paragraph_start(self, p: int) -> int:
        return self.parstart[bisect.bisect_right(self.parstart, p) - 1]

    def table_row(self, p: int):
        """The table row holding ``p`` (see :mod:`.tables`), or None."""
        return row_at(self.trow_starts, self.trows, p) if self.trows else None

    def heading_between(self, a: int, b: int) -> bool:
        """True when a numbered heading starts in ``(a, b]``."""
        i = bisect.bisect_right(self.hpos, a)
        return i < len(self.hpos) and self.hpos[i] <= b

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


#: a line of prose: long, and mostly letters (link lists, captions and counters are short)
_PROSE_LINE = 160


def _next_article(w: str, p: int) -> int:
    """Where reading resumes after a web page's footer marker at ``p``: the headline of the
    next stretch of prose (a line of at least 160 characters, mostly letters), or the end."""
    n = len(w)
    start = w.find("\n", p)
    prev_line = None
    while start != -1 and start < n:
        a = start + 1
        b = w.find("\n", a)
        b = n if b == -1 else b
        line = w[a:b].strip()
        if len(line) >= _PROSE_LINE and sum(ch.isalpha() for ch in line) > 0.6 * len(line) and "|" not in line:
            # the headline just above the first paragraph belongs to the article
            return prev_line if prev_line is not None else a
        if line:
            prev_line = a if 20 <= len(line) < _PROSE_LINE and not _WEB_END.match(w, a) else None
        start = b if b < n else -1
    return n


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
        if doc.in_body(m.start()) and not doc.w.endswith("so với ", 0, m.start()):
            y = int(m.group(1))
            counts[y] = counts.get(y, 0) + 1
            if _TARGET_CUE.search(doc.w, max(0, m.start() - 60), min(doc.n, m.end() + 60)):
                aimed.append(y)
    if aimed:  # a news item: the year the aims are set for; "đến năm 2030" also spans the years before
        end = max(aimed)
        horizon = re.search(rf"(?:từ\s+nay\s+)?đến\s+(?:hết\s+)?năm\s+{end}", doc.w)
        if horizon and horizon.group().startswith("từ nay") and doc.pub_year and doc.pub_year < end:
            return doc.pub_year, end
        if horizon and len(set(aimed)) > 1:
            return min(aimed), end
        return end, end
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
        from ..provinces import UnknownProvinceError, resolve_province

        try:
            _PROVINCE_CACHE[name] = resolve_province(name)
        except (UnknownProvinceError, TypeError):
            _PROVINCE_CACHE[name] = None
        if len(_PROVINCE_CACHE) > 5000:  # pragma: no cover - bound the cache
            _PROVINCE_CACHE.clear()
    return _PROVINCE_CACHE[name]


def _infer_province(doc: _Doc):
    """The province the text is about: the most named one ("tỉnh X", "thành phố X" or the bare
    name), names in the first lines counting three times."""
    from .places import _cap_runs, _name_in, _province_names

    counts: dict[str, list] = {}

    def add(unit, pos: int) -> None:
        entry = counts.setdefault(unit.code, [0.0, pos, unit])
        entry[0] += 3.0 if pos - head < 300 else 1.0
        entry[1] = min(entry[1], pos)

    head = doc.body[0][0] if doc.body else 0
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
            add(unit, m.start())
            break
    names = _province_names()
    for a, b in doc.body[:1]:
        for words in _cap_runs(doc.norm, a, min(b, a + 8000)):
            if words[0] in ("Tỉnh", "TỈNH", "Thành", "THÀNH"):
                continue  # counted above
            hit = _name_in(words, names)
            if hit:
                unit = _resolve_cached(hit[0])
                if unit is not None:
                    add(unit, doc.norm.find(hit[0].split()[0], a))
    if not counts:
        return None
    return max(counts.values(), key=lambda v: (v[0], -v[1]))[2]
