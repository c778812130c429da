"""Decimal helpers: the one place where numbers are rounded, read from text and written out.

Every amount and score in evaltui is a ``Decimal``. Shown results are rounded to two
decimals, half up (27.415 → 27.42), here and nowhere else.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TWO_PLACES = Decimal("0.01")
MAX_PLACES = 6
MAX_DIGITS = 12  # before the decimal point: a trillion or more is no amount or score of a form
MAX_MAGNITUDE = Decimal(10) ** MAX_DIGITS

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


def round2(value: Decimal) -> Decimal:
    """Round to two decimals, half up."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def canonical(value: Decimal) -> Decimal:
    """The same number written without exponent or trailing zeros (4.50 → 4.5, 1E+1 → 10).

    Raises ValueError for what no form can hold: NaN, infinities, more than six decimals,
    magnitudes of a trillion or more.
    """
    if not value.is_finite():
        raise ValueError("不是有限的数字")
    if abs(value) >= MAX_MAGNITUDE:
        raise ValueError(f"数值过大（整数部分最多 {MAX_DIGITS} 位）")
    _, digits, exponent = value.as_tuple()
    if exponent == 0 or (-MAX_PLACES <= exponent < 0 and digits[-1] != 0):
        return value  # already canonical: the common case, kept fast
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
        if len(text.partition(".")[2]) > MAX_PLACES:
            raise ValueError(f"小数位数过多（最多 {MAX_PLACES} 位）")
    if text in ("-0", ""):
        text = "0"
    return Decimal(text)


def plain(value: Decimal) -> str:
    """Fixed-point text of a Decimal, trailing zeros dropped (93.20 → "93.2", 100.00 → "100")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def normalize_text(text: str) -> str:
    """NFKC (full-width digits and signs become ASCII) with surrounding white space removed."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_number(text: str) -> Decimal | None:
    """Read a cell that should hold one plain number: ``１２.５``, ``1,200``, ``-3``.

    Blank gives None; anything else that is not a number raises ValueError.
    """
    cleaned = normalize_text(text).replace(" ", "")
    if not cleaned:
        return None
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        raise ValueError(f"“{text.strip()}”不是数字")
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"“{text.strip()}”不是数字") from exc


_AMOUNT_UNITS = (("万元", Decimal(1)), ("万", Decimal(1)), ("元", Decimal("0.0001")))


def parse_amount(text: str) -> Decimal | None:
    """Read an amount in 万元 as typed in a budget cell: ``236.4万元``, ``1,200``, ``２７．４１５``.

    ``元`` converts to 万元 (÷ 10,000). Blank gives None; other text raises ValueError.
    """
    cleaned = normalize_text(text).replace(" ", "")
    for unit, factor in _AMOUNT_UNITS:
        if cleaned.endswith(unit) and len(cleaned) > len(unit):
            number = parse_number(cleaned[: -len(unit)])
            return None if number is None else number * factor
    return parse_number(cleaned)


# ---------------------------------------------------------------- shown to people (files unchanged)

def fixed2(value: Decimal | None, *, blank: str = "") -> str:
    """A score, total or rate as finance staff read it: two decimals, half up (62.8 → "62.80")."""
    if value is None:
        return blank
    text = format(round2(value), "f")
    return "0.00" if text == "-0.00" else text


def percent(value: Decimal | None, *, blank: str = "—") -> str:
    """A rate as shown: two decimals, half up, and ``%`` (72.154 → "72.15%")."""
    return blank if value is None else f"{fixed2(value)}%"


def amount(value: Decimal | None, *, blank: str = "", rounded: bool = False) -> str:
    """An amount in 万元 with thousands separators and every decimal it has, at least two.

    ``4956403.269`` → ``"4,956,403.269"``, ``52`` → ``"52.00"``: nothing is rounded away where
    the amount is edited. ``rounded``: two decimals, half up (``27.415`` → ``"27.42"``), for a
    column of figures read side by side (the folder review).
    """
    if value is None:
        return blank
    two = round2(value) if rounded else value.quantize(TWO_PLACES)
    shown = two if rounded or two == value else Decimal(plain(value))  # pad to two decimals, never round
    text = format(shown, ",f")
    return text[1:] if text.startswith("-") and not shown else text
