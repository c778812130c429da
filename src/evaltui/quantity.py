"""Reading 年度指标值 (targets) and 实际完成值 (actuals) as people type them.

``≥95%``, ``≦120人``, ``=100%``, ``≤31万元``, ``约184人``, ``95%以上``, ``实际支出27.415万元，控制在预算单位内``.
Text is NFKC-normalised first, so full-width digits and signs read like ASCII ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from evaltui.numbers import normalize_text

TEN_THOUSAND = Decimal(10000)

# Longest first: ">=" must win over ">".
_SIGNS: tuple[tuple[str, str], ...] = (
    (">=", "higher"), ("≥", "higher"), ("≧", "higher"), (">", "higher"),
    ("<=", "lower"), ("≤", "lower"), ("≦", "lower"), ("<", "lower"),
    ("=", "equal"),
    ("不低于", "higher"), ("不少于", "higher"), ("不小于", "higher"), ("大于等于", "higher"),
    ("不高于", "lower"), ("不超过", "lower"), ("不多于", "lower"), ("不大于", "lower"),
    ("小于等于", "lower"), ("等于", "equal"),
)

# A number: thousands separators, decimals; a sign only where it cannot be a range dash (1-2).
_NUMBER = re.compile(r"(?<![\d.])(?:(?<![^\W_])[-+])?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?")
_UNIT_STOP = re.compile(r"[\s,;:!?，。；：、（）()\[\]【】/\\]|\d")
_LEADING_QUALIFIERS = ("多", "余")
_TRAILING_QUALIFIERS = ("以上", "以内", "以下", "左右", "之内", "内", "多", "余")


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str


@dataclass(frozen=True)
class Target:
    """A target read from text: a direction and, unless qualitative, a quantity."""

    direction: str  # higher, equal, lower, qualitative
    quantity: Quantity | None


def _numbers(text: str) -> list[re.Match[str]]:
    return list(_NUMBER.finditer(text))


def _unit_after(text: str, end: int) -> str:
    """The unit that follows a number: ``人`` of ``184人``, ``%`` of ``95%以上``, ``小时`` of ``2小时内``."""
    rest = text[end:]
    stop = _UNIT_STOP.search(rest)
    unit = rest[: stop.start()] if stop else rest
    # "元/人/天" keeps its slashes: it is one unit.
    if stop and rest[stop.start()] == "/" and unit:
        slash_unit = re.match(r"[^\s,;，。；、（）()\d]+", rest)
        unit = slash_unit.group(0) if slash_unit else unit
    for word in _LEADING_QUALIFIERS:
        if unit.startswith(word):
            unit = unit[len(word):]
    changed = True
    while changed and unit:
        changed = False
        for word in _TRAILING_QUALIFIERS:
            if unit.endswith(word) and len(unit) > len(word):
                unit = unit[: -len(word)]
                changed = True
    if unit in _TRAILING_QUALIFIERS:
        return ""
    return unit


def _one_quantity(text: str) -> Quantity | None:
    found = _numbers(text)
    if len(found) != 1:
        return None
    match = found[0]
    value = Decimal(match.group(0).replace(",", ""))
    return Quantity(value, _unit_after(text, match.end()))


def count_numbers(text: str) -> int:
    """How many numbers a text holds, read as :func:`read_actual` reads them."""
    return len(_numbers(normalize_text(text)))


@lru_cache(maxsize=8192)
def read_actual(text: str) -> Quantity | None:
    """The actual's quantity when the text holds exactly one number, else None."""
    return _one_quantity(normalize_text(text))


@lru_cache(maxsize=8192)
def read_target(text: str) -> Target | None:
    """A target's direction and quantity; None when the text is blank or unreadable.

    A sign gives the direction; a number with no sign is ``equal``; text with no number is
    qualitative (提高, 增强, 优 …); several numbers (``1-2工作日``) give None.
    """
    cleaned = normalize_text(text)
    if not cleaned:
        return None
    direction = None
    for sign, meaning in _SIGNS:
        if cleaned.startswith(sign):
            direction = meaning
            cleaned = cleaned[len(sign):].strip()
            break
    if not _numbers(cleaned):
        return Target("qualitative", None)
    quantity = _one_quantity(cleaned)
    if quantity is None:
        return None
    return Target(direction or "equal", quantity)


def _base_unit(unit: str) -> tuple[str, Decimal]:
    if unit.startswith("万") and len(unit) > 1:
        return unit[1:], TEN_THOUSAND
    if unit == "万":
        return "", TEN_THOUSAND
    return unit, Decimal(1)


def comparable(target: Quantity, actual: Quantity) -> tuple[Decimal, Decimal] | None:
    """Target and actual values in one unit, or None when their units cannot be compared.

    A side with no unit takes the other's (``≦20万`` against ``19.57``); units that differ
    only by 万 convert (``≤31万元`` against ``275000元``).
    """
    a, b = target.value, actual.value
    if not target.unit or not actual.unit or target.unit == actual.unit:
        return a, b
    unit_a, scale_a = _base_unit(target.unit)
    unit_b, scale_b = _base_unit(actual.unit)
    if unit_a == unit_b or (unit_a and unit_b and (unit_a.startswith(unit_b) or unit_b.startswith(unit_a))):
        return a * scale_a, b * scale_b
    return None
