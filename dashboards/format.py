"""Number and date formatting for the pages: Japanese first, English beside.

Japanese counts use 万 (10^4), 億 (10^8) and 兆 (10^12) with one decimal, trailing ``.0``
dropped, digits grouped: 1,749,139 → ``174.9万``; 38,500,000 → ``3,850万``; 120,000,000 → ``1.2億``. Yen keep every digit with
thousands separators: 33,800 → ``33,800円``. Missing values print as an em dash.
Rounding is half-up on the decimal value (no binary-float surprises).
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MISSING = "—"

_JP_UNITS = ((Decimal(10) ** 12, "兆"), (Decimal(10) ** 8, "億"), (Decimal(10) ** 4, "万"))
_EN_UNITS = ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"))
_EN_UNITS_K = _EN_UNITS + ((Decimal(10) ** 3, "K"),)
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(value)
    except TypeError:
        return False


def _round(value: Decimal, digits: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _grouped(value: Decimal, digits: int) -> str:
    text = f"{_round(value, digits):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _compact(value, units, digits: int) -> str:
    number = Decimal(str(value))
    sign = "-" if number < 0 else ""
    number = abs(number)
    for position, (size, suffix) in enumerate(units):  # largest unit first
        if number < size:
            continue
        scaled = _round(number / size, digits)
        if position > 0:
            # Rounding may reach the next unit up: 99,999,999 → 1億, not 10000万.
            bigger, bigger_suffix = units[position - 1]
            if scaled * size >= bigger:
                return f"{sign}{_grouped(scaled * size / bigger, digits)}{bigger_suffix}"
        return f"{sign}{_grouped(scaled, digits)}{suffix}"
    return sign + _grouped(number, digits)


def jp_number(value, unit: str = "", digits: int = 1) -> str:
    """A count in Japanese style: ``jp_number(1749139, "人")`` → ``"174.9万人"``.

    Below 10,000 the number is written out with separators (``9,999人``).
    """
    if _is_missing(value):
        return MISSING
    return _compact(value, _JP_UNITS, digits) + unit


def en_number(value, digits: int = 2, short: bool = False) -> str:
    """A count in English style: 1,749,139 → ``1.75M``; below a million written out (70,000),
    or with ``short`` (chart ticks and labels) in thousands (``70K``)."""
    if _is_missing(value):
        return MISSING
    return _compact(value, _EN_UNITS_K if short else _EN_UNITS, digits)


def thousands(value) -> str:
    """Every digit with thousands separators: 1749139 → ``1,749,139``."""
    if type(value) is int:   # already whole: nothing to round (the common case, thousands of times a page)
        return f"{value:,}"
    if _is_missing(value):
        return MISSING
    return f"{int(_round(Decimal(str(value)), 0)):,}"


def yen(value) -> str:
    """Integer yen with separators: 33800 → ``33,800円``."""
    if _is_missing(value):
        return MISSING
    return f"{thousands(value)}円"


def en_yen(value) -> str:
    """Integer yen in English: 33800 → ``¥33,800``."""
    if _is_missing(value):
        return MISSING
    text = thousands(value)
    return f"-¥{text[1:]}" if text.startswith("-") else f"¥{text}"


def percent(share, digits: int = 1) -> str:
    """A fraction (0.529) as a percentage (``52.9%``); rates are stored as fractions."""
    if _is_missing(share):
        return MISSING
    return f"{_round(Decimal(str(share)) * 100, digits):f}%"


def jp_date(day: date | None) -> str:
    """``2025年10月31日``."""
    if day is None:
        return MISSING
    return f"{day.year}年{day.month}月{day.day}日"


def en_date(day: date | None) -> str:
    """``31 Oct 2025``."""
    if day is None:
        return MISSING
    return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"


def jp_month(day: date | None) -> str:
    """``2025年10月``."""
    if day is None:
        return MISSING
    return f"{day.year}年{day.month}月"


def en_month(day: date | None) -> str:
    """``Oct 2025``."""
    if day is None:
        return MISSING
    return f"{_EN_MONTHS[day.month - 1]} {day.year}"
