"""Places named around a figure: the region a rank is counted in ("3/14 tỉnh vùng Bắc Trung Bộ",
"đứng thứ 2 khu vực Tây Nguyên") and the province a figure belongs to ("Quảng Ninh dẫn đầu với
92,18 %" in an article about another province)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Regions as plans and the press name them.  Longer names first, so "Nam Trung Bộ và Tây
# Nguyên" is not read as "Tây Nguyên".
_REGION_NAMES = (
    r"nam\s+trung\s+bộ\s+và\s+tây\s+nguyên",
    r"bắc\s+trung\s+bộ\s+và\s+duyên\s+hải\s+(?:miền\s+)?trung(?:\s+bộ)?",
    r"duyên\s+hải\s+nam\s+trung\s+bộ",
    r"duyên\s+hải\s+miền\s+trung",
    r"đồng\s+bằng\s+sông\s+cửu\s+long",
    r"đbscl",
    r"đồng\s+bằng\s+sông\s+hồng",
    r"trung\s+du\s+(?:và\s+)?miền\s+núi\s+(?:phía\s+)?bắc(?:\s+bộ)?",
    r"miền\s+núi\s+phía\s+bắc",
    r"(?:miền\s+)?đông\s+nam\s+bộ",
    r"tây\s+nam\s+bộ",
    r"bắc\s+trung\s+bộ",
    r"nam\s+trung\s+bộ",
    r"tây\s+nguyên",
    r"tây\s+bắc",
    r"đông\s+bắc",
    r"miền\s+trung",
    r"(?:các\s+)?thành\s+phố\s+trực\s+thuộc\s+trung\s+ương",
)
_REGION = r"(?P<region>" + "|".join(_REGION_NAMES) + r")(?!\w)"
#: right after a rank: "…/14 tỉnh vùng Bắc Trung Bộ", "thứ 2 khu vực Tây Nguyên", "đứng đầu ĐBSCL"
_REGION_AFTER = re.compile(
    r"[ \t]*(?:tỉnh(?:\s*,\s*thành(?:\s+phố)?)?\s+)?(?:(?:của|trong|thuộc|tại|ở)\s+)?(?:các\s+tỉnh\s+(?:trong\s+|thuộc\s+)?)?"
    r"(?:(?:tỉnh\s+)?(?:vùng|khu\s+vực)\s+)?" + _REGION
    + r"|[ \t]*(?:(?:trong|của|tại|ở)\s+)?(?:các\s+tỉnh\s+(?:trong\s+)?)?(?P<bare>khu\s+vực|vùng)(?!\s*(?:\w))"
)
#: earlier in the sentence: "So với các tỉnh trong khu vực ĐBSCL, …", "Xét trong khu vực Tây Nguyên, …"
_REGION_FRAME = re.compile(
    r"(?:so\s+với|xét\s+trong|trong|tại|ở|giữa)\s+(?:các\s+tỉnh\s+(?:trong\s+|thuộc\s+)?)?(?:(?:khu\s+vực|vùng)\s+)?" + _REGION
)
_REGION_ANY = re.compile(_REGION)
_NATIONAL_AFTER = re.compile(r"[ \t]*(?:tỉnh|địa\s+phương)?[^.;\n]{0,25}?(?:cả\s+nước|toàn\s+quốc)")


def region_slug(name: str) -> str:
    """ASCII slug of a region name: "Đồng bằng sông Cửu Long" -> "dong-bang-song-cuu-long"."""
    name = re.sub(r"\s+", " ", name.strip().lower())
    if name == "đbscl":
        name = "đồng bằng sông cửu long"
    name = name.removeprefix("các ")
    name = name.removeprefix("miền ") if name.startswith("miền đông") else name
    text = unicodedata.normalize("NFD", name.replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def rank_scope(w: str, start: int, end: int, sentence_start: int, limit: int, out_of: int | None) -> tuple[str, str]:
    """Scope of a rank mention at ``w[start:end]``: ``("national", "")`` or ``("region:<slug>", how)``.

    A region named right after the rank (before ``limit``), or framing the sentence before it
    ("So với các tỉnh trong khu vực ĐBSCL, …"), makes it regional; so does a total below 60
    ("2/13") with no region named ("region:unspecified"), unless "cả nước" follows.
    """
    m = _REGION_AFTER.match(w, end, min(limit, end + 80))
    if m:
        if m.group("region"):
            return "region:" + region_slug(m.group("region")), "region named after the rank"
        last = None
        for last in _REGION_ANY.finditer(w, max(0, start - 3000), start):
            pass
        return ("region:" + region_slug(last.group("region")) if last else "region:unspecified"), "region named earlier in the text"
    if _NATIONAL_AFTER.match(w, end, min(limit, end + 40)):
        return "national", ""
    frame = None
    for frame in _REGION_FRAME.finditer(w, max(sentence_start, start - 400), start):
        pass
    if frame and not re.search(r"cả\s+nước|toàn\s+quốc|/\s*6[1-4]", w[frame.end() : start]):
        return "region:" + region_slug(frame.group("region")), "region named earlier in the sentence"
    if out_of is not None and out_of < 60:
        return "region:unspecified", f"rank out of {out_of}: a regional rank"
    return "national", ""


# ----------------------------------------------------------------------------- provinces


def _fold(s: str) -> str:
    text = unicodedata.normalize("NFD", s.lower().replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^a-z0-9]", "", text)


@lru_cache(maxsize=1)
def _province_names() -> dict[str, set[str]]:
    """Folded spelling -> codes it names (legacy "L01" and 2025 "N01" codes)."""
    from ..provinces import _aliases

    out: dict[str, set[str]] = {}
    for boundaries, prefix in (("legacy", "L"), ("2025", "N")):
        for folded, code in _aliases()[boundaries].items():
            if len(folded) >= 3 and not folded.isdigit() and not re.fullmatch(r"p\d+", folded):
                out.setdefault(folded, set()).add(prefix + code)
    return out


def own_codes(province, boundaries: str = "legacy") -> set[str]:
    """Codes that count as the document's own province.  Before the merger only itself (a 2023
    article on Cà Mau compares it with Bạc Liêu); in a post-merger text also the former units
    the new one absorbed, and the new unit itself."""
    if province is None:
        return set()
    from ..provinces import list_provinces

    if province.boundaries == "legacy":
        codes = {"L" + province.code}
        if boundaries == "2025" and province.successor_code:
            codes.add("N" + province.successor_code)
            codes |= {"L" + p.code for p in list_provinces() if p.successor_code == province.successor_code}
    else:
        codes = {"N" + province.code} | {"L" + p.code for p in list_provinces() if p.successor_code == province.code}
    return codes


_WORD = re.compile(r"[^\W\d_][\w-]*")
_SUBJECT_AFTER = re.compile(r"[^\d.;:()]{0,60}?(?<!\w)(?:là|thuộc\s+về)\s+(?:tỉnh\s+|thành\s+phố\s+|tp\.?\s+)?")


def _cap_runs(norm: str, a: int, b: int, with_pos: bool = False) -> list:
    """Runs of capitalised words separated by single spaces in ``norm[a:b]`` (with the start
    of each run when ``with_pos``)."""
    runs: list[list[str]] = []
    starts: list[int] = []
    last_end = -2
    for m in _WORD.finditer(norm, a, b):
        word = m.group()
        if not word[0].isupper():
            last_end = -2
            continue
        if runs and m.start() - last_end <= 1 and norm[last_end : m.start()] in ("", " "):
            runs[-1].append(word)
        else:
            runs.append([word])
            starts.append(m.start())
        last_end = m.end()
    return list(zip(runs, starts)) if with_pos else runs


def _name_in(words: list[str], names: dict[str, set[str]]) -> tuple[str, set[str]] | None:
    for k in range(min(len(words), 4), 0, -1):
        for i in range(len(words) - k, -1, -1):
            codes = names.get(_fold(" ".join(words[i : i + k])))
            if codes:
                return " ".join(words[i : i + k]), codes
    return None


def other_subject(norm: str, a: int, p: int, own: set[str], after: int | None = None, skip=None) -> str | None:
    """The nearest province (or ministry, "Bộ Tư pháp") named in ``norm[a:p]`` when it is not
    the document's own ("" when it is the own one, None when none is named); also one named
    right after ``after`` ("đứng thứ 2 … là tỉnh Đồng Tháp")."""
    if not own:
        return None
    names = _province_names()
    found: tuple[str, set[str] | None] | None = None
    for words, pos in _cap_runs(norm, max(a, p - 160), p, with_pos=True):
        if skip is not None and skip(pos):
            continue  # a name in parentheses ("(sau Bạc Liêu)") is not the subject
        if words[0] == "Bộ" and len(words) > 1 and words[1] != "Chỉ":
            found = (" ".join(words), None)
            continue
        hit = _name_in(words, names)
        if hit:
            found = hit
    if after is not None:
        s = _SUBJECT_AFTER.match(norm, after, min(len(norm), after + 40))
        if s:
            runs = _cap_runs(norm, s.end(), min(len(norm), s.end() + 40))
            hit = _name_in(runs[0], names) if runs else None
            if hit:
                found = hit
    if found is None:
        return None
    name, codes = found
    if codes is None:
        return name
    return "" if codes & own else name


def legacy_member(norm: str, a: int, p: int, unit):
    """The former (legacy) province of 2025 unit ``unit`` named last in ``norm[a:p]``; else the
    member with the unit's own name ("Cần Thơ"); else None."""
    from ..provinces import list_provinces

    members = {p_.code: p_ for p_ in list_provinces() if p_.successor_code == unit.code}
    if not members:
        return None
    names = _province_names()
    found = None
    for words in _cap_runs(norm, a, p):
        hit = _name_in(words, names)
        if hit:
            codes = {c[1:] for c in hit[1] if c.startswith("L")}
            named = [members[c] for c in codes if c in members]
            if named:
                found = named[0]
    if found is None:
        same = [m for m in members.values() if _fold(m.name) == _fold(unit.name)]
        found = same[0] if same else None
    return found
