"""Text helpers of the extractor: normalisation with offsets kept, keyword regexes that accept both
tone placements, Vietnamese numbers, and the test for text wrapped like a PDF copy."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

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
