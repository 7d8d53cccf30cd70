"""The one-language rule of the reports, as a check tests can run on any generated page.

:func:`visible_text` is what a reader sees (and a screen reader reads: alt texts) of an
HTML page; :func:`foreign_words` lists the words of the other language in it.

* A Vietnamese report may not contain English words: the English vocabulary is every
  English string the package shows (chart labels, table headers, page text, key
  messages, status words) plus common English words, minus words the Vietnamese strings
  use too (acronyms such as PCI, names such as Spearman).
* An English report may not contain Vietnamese words: any word with a Vietnamese letter
  (ă â đ ê ô ơ ư or a tone mark), or a common Vietnamese word written without marks.

Proper names are allowed in both: province names (legacy and 2025, full names too) and
the region names of the report's own language are removed before checking, as are
acronyms, source citations' web domains and numbers.
"""

from __future__ import annotations

import html
import re
import unicodedata

COMMON_EN = set("""
the of and or in on to is are was were be by for with from at as an a this that these those it its not no
all any each every which who what when where how than more most less least only also but if then there their
rank ranks ranked ranking score scores province provinces year years target targets met data figure figures
source sources note notes index indices table rows row value values change per cent percent region national
trend trends trends slope mean median lowest highest best worst top show shown showing download contents report
reports profile standing map maps page unweighted computed published partial people business online share
""".split())

COMMON_VI_ASCII = set("""
theo trong cho nhau thanh tinh thay chung khi cao hai tin toan giao con cung nhung
""".split())

# acronyms and names that are the same in both languages
# "Top 20": a loanword Vietnamese plans use in their targets ("nhóm Top 20"), as curated in data/targets
ALLOWED = set("""
PAR Index SIPAS PAPI PCI DTI VCCI CECODES UNDP GSO CSV PNG SVG PDF Spearman Kendall Theil Sen Pearson
QĐ UBND TTHC NQ CP BNV BTTTT ICT
top Top
""".split())

VI_LETTERS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ]|[\u0300-\u036f]")


def visible_text(page: str) -> str:
    """Text of an HTML page a reader sees: body text and alt texts, no scripts, styles or markup."""
    page = re.sub(r"<(script|style|head)\b.*?</\1>", " ", page, flags=re.S | re.I)
    alts = re.findall(r'\balt="([^"]*)"', page)
    body = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join([body, *alts]))


def _vocabulary(lang: str) -> set[str]:
    from cchc_analysis import labels, messages, page

    tables = [labels.TEXT, labels.STATUS_WORDS, labels.COLUMN_LABELS, labels.VALUE_WORDS, page.PAGE_TEXT,
              messages.MESSAGES]
    words: set[str] = set()
    for table in tables:
        for entry in table.values():
            text = re.sub(r"\{[^}]*\}", " ", entry[lang])
            words.update(w.lower() for w in re.findall(r"[^\W\d_]+", text))
    return words


def _proper_names() -> list[str]:
    from cchc_analysis.provinces import list_provinces, region_names

    names: set[str] = set()
    for boundaries in ("legacy", "2025"):
        for unit in list_provinces(boundaries=boundaries):
            names.update({unit.name, unit.name_en})  # not full names: "Tỉnh" is a Vietnamese word
    names.update(region_names("vi").values())
    names.update(["Open Development Vietnam", "Việt Nam", "Hoàng Sa", "Trường Sa", "Paracel", "Spratly"])
    return sorted((unicodedata.normalize("NFC", n) for n in names if n), key=len, reverse=True)


def foreign_words(text: str, lang: str) -> list[str]:
    """Words of the other language in ``text`` (a report in ``lang``), in order of appearance."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\b[\w.-]+\.(?:vn|com|org|net|gov)\b[\w./-]*", " ", text)  # web domains in citations
    for name in _proper_names():  # "Long An", "Nghệ An" in a Vietnamese table are names, not the English "an"
        text = text.replace(name, " ")
    words = re.findall(r"[^\W\d_]+", text)
    out = []
    if lang == "vi":
        english = (_vocabulary("en") | COMMON_EN) - _vocabulary("vi") - {w.lower() for w in ALLOWED}
        for w in words:
            if w in ALLOWED:
                continue
            if w.lower() in english and not VI_LETTERS.search(unicodedata.normalize("NFD", w)):
                out.append(w)
    else:
        for w in words:
            if w in ALLOWED:
                continue
            low = w.lower()
            if VI_LETTERS.search(unicodedata.normalize("NFD", w)) or low in COMMON_VI_ASCII:
                out.append(w)
    return out
