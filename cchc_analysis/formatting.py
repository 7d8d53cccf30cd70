"""Numbers, percentages, ranks and dates as a reader of ``lang`` expects them (Babel).

Vietnamese writes ``1.234,5`` (thousands dot, decimal comma), English ``1,234.5``; both
rules come from the Unicode CLDR data that `Babel <https://babel.pocoo.org>`_ ships, not
from hand-written replacements.  Ranks and counts are integers ("hạng 56/63", "rank 56 of
63"); a missing value is an empty string (or ``missing=``), never ``nan``.

Examples
--------
>>> format_decimal(1234.5, "vi", decimals=1), format_decimal(1234.5, "en", decimals=1)
('1.234,5', '1,234.5')
>>> format_rank(56, 63, "vi"), format_rank(56, 63, "en")
('hạng 56/63', 'rank 56 of 63')
>>> format_percent(84.6, "vi") == "84,6\\u00a0%", format_percent(84.6, "en")  # vi: no-break space before %
(True, '84.6%')
>>> format_date(datetime.date(2025, 7, 1), "vi"), format_date(datetime.date(2025, 7, 1), "en")
('1 tháng 7, 2025', '1 July 2025')
"""

from __future__ import annotations

import datetime
import math
from typing import Any

__all__ = [
    "LOCALES",
    "UNIT_DECIMALS",
    "is_missing",
    "format_decimal",
    "format_integer",
    "format_percent",
    "format_signed",
    "format_value",
    "format_rank",
    "format_date",
    "format_year_span",
]

#: The Babel locale of each report language.
LOCALES: dict[str, str] = {"vi": "vi_VN", "en": "en_GB"}

#: Decimals a value in each unit is shown with: scores to two decimals (PCI 65.25), per
#: cents to one (84.6 %), 0-1 indices to three (DTI 0.580), ranks and counts none.
UNIT_DECIMALS: dict[str, int] = {
    "score": 2, "percent": 1, "%": 1, "index_0_1": 3, "rank": 0, "places": 0, "count": 0,
    "days": 0, "hours": 0, "months": 0, "percentage points": 1, "points": 2,
}

MINUS = "\u2212"  # typographic minus: "−3", not "-3"


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"lang must be 'vi' or 'en', got {lang!r}") from None


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA/NaT and empty strings."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):  # arrays and other non-scalars
        return False


def _pattern(decimals: int, group: bool = True) -> str:
    base = "#,##0" if group else "0"
    return base + ("." + "0" * decimals if decimals > 0 else "")


def format_decimal(value: Any, lang: str, *, decimals: int = 2, group: bool = True, missing: str = "") -> str:
    """``value`` with ``decimals`` fixed decimals and the separators of ``lang``.

    >>> format_decimal(-0.0833, "vi", decimals=3)
    '−0,083'
    """
    from babel.numbers import format_decimal as _fmt

    if is_missing(value):
        return missing
    value = float(value)
    if math.isinf(value):
        return "∞" if value > 0 else MINUS + "∞"
    if round(value, decimals) == 0:
        value = 0.0  # no "−0,00"
    text = _fmt(value, format=_pattern(decimals, group), locale=_locale(lang), decimal_quantization=True)
    return text.replace("-", MINUS)


def format_integer(value: Any, lang: str, *, missing: str = "") -> str:
    """A count or a rank: no decimals ever (``56``, not ``56,00``); thousands grouped."""
    if is_missing(value):
        return missing
    return format_decimal(round(float(value)), lang, decimals=0, missing=missing)


def format_signed(value: Any, lang: str, *, decimals: int = 2, missing: str = "") -> str:
    """A change with its sign: ``+1,5`` / ``−3``; zero without a sign."""
    if is_missing(value):
        return missing
    text = format_decimal(value, lang, decimals=decimals)
    return text if text.startswith(MINUS) or float(value) == 0 or text.strip("0,.") == "" else "+" + text


def format_percent(value: Any, lang: str, *, decimals: int = 1, missing: str = "") -> str:
    """A value already in per cent (84.6 means 84.6 %), written as ``lang`` writes per cents.

    Vietnamese typography puts a space before the sign (``84,6 %``); English does not.
    """
    from babel.numbers import format_percent as _fmt

    if is_missing(value):
        return missing
    text = _fmt(float(value) / 100.0, format=_pattern(decimals) + "%", locale=_locale(lang),
                decimal_quantization=True).replace("-", MINUS)
    return text.replace("%", "\u00a0%") if lang == "vi" else text


def format_value(value: Any, lang: str, *, unit: str | None = None, missing: str = "") -> str:
    """A figure with the precision of its ``unit`` (see :data:`UNIT_DECIMALS`), no unit sign."""
    if is_missing(value):
        return missing
    decimals = UNIT_DECIMALS.get(str(unit), 2)
    return format_decimal(value, lang, decimals=decimals)


def format_rank(rank: Any, n: Any, lang: str, *, short: bool = False, missing: str = "") -> str:
    """A rank with the N it is out of: "hạng 56/63" / "rank 56 of 63" (``short``: "56/63").

    A rank without N is written alone; ranks are always integers.
    """
    if is_missing(rank):
        return missing
    r = format_integer(rank, lang)
    if is_missing(n):
        return r if short else (f"hạng {r}" if lang == "vi" else f"rank {r}")
    total = format_integer(n, lang)
    if short:
        return f"{r}/{total}"
    return f"hạng {r}/{total}" if lang == "vi" else f"rank {r} of {total}"


def format_date(value: datetime.date | datetime.datetime | str, lang: str) -> str:
    """A date in words: "4 tháng 12, 2026" / "4 December 2026"."""
    from babel.dates import format_date as _fmt

    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        value = value.date()
    return _fmt(value, format="long", locale=_locale(lang))


def format_year_span(first: Any, last: Any) -> str:
    """``2006–2019`` (en dash), or one year when both are the same; "" when unknown."""
    if is_missing(first) and is_missing(last):
        return ""
    if is_missing(first) or is_missing(last) or int(first) == int(last):
        return str(int(last if is_missing(first) else first))
    return f"{int(first)}–{int(last)}"
