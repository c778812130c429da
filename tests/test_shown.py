"""How numbers and names are shown to people: two-decimal scores, grouped amounts, pinyin order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evaltui.collate import pinyin_key
from evaltui.numbers import amount, fixed2


@pytest.mark.parametrize(
    ("value", "shown"),
    [("62.8", "62.80"), ("27.415", "27.42"), ("100", "100.00"), ("0", "0.00"), ("-0.001", "0.00"), ("93.225", "93.23")],
)
def test_scores_and_rates_have_two_decimals_rounded_half_up(value, shown):
    assert fixed2(Decimal(value)) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("4956403.269", "4,956,403.269"),  # every decimal kept: nothing is rounded away
        ("52", "52.00"),
        ("37.52", "37.52"),
        ("27.4150", "27.415"),
        ("1E+1", "10.00"),
        ("-1234.5", "-1,234.50"),
        ("0.000001", "0.000001"),
    ],
)
def test_amounts_have_thousands_separators_and_at_least_two_decimals(value, shown):
    assert amount(Decimal(value)) == shown


def test_blank_numbers_show_as_asked():
    assert fixed2(None) == "" and amount(None, blank="—") == "—"


def test_names_sort_by_pinyin_then_tone_with_numbers_in_numeric_order():
    names = ["重庆项目", "北京经费", "上海", "安徽", "第10期", "第2期", "abd", "ABC系统", "2024年度"]
    assert sorted(names, key=pinyin_key) == [
        "2024年度", "ABC系统", "abd", "安徽", "北京经费", "重庆项目", "第2期", "第10期", "上海",
    ]


def test_code_point_order_is_not_pinyin_order():
    # by code point 于 (U+4E8E) comes before 北 (U+5317); by pinyin (yú, běi) it comes after
    assert sorted(["于家务乡", "北京"]) == ["于家务乡", "北京"]
    assert sorted(["于家务乡", "北京"], key=pinyin_key) == ["北京", "于家务乡"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("27.415", "27.42"), ("4956403.269", "4,956,403.27"), ("31", "31.00"), ("-0.001", "0.00"), ("-1234.505", "-1,234.51")],
)
def test_amounts_in_a_column_of_figures_have_two_decimals_rounded_half_up(value, shown):
    """The folder review showed 27.415 beside 31.00; there a column of figures lines up."""
    assert amount(Decimal(value), rounded=True) == shown


def test_a_number_too_large_for_a_form_is_called_too_large_not_no_number():
    """A 30-digit 得分 said "得分应为数字：数值过大": it is a number, just too large."""
    from evaltui import edits
    from evaltui.model import Evaluation, Indicator

    ev = Evaluation(name="x", indicators=(Indicator(name="甲"),))
    with pytest.raises(edits.Refused) as refused:
        edits.set_indicator(ev, 0, "score", "9" * 30)
    assert str(refused.value) == "得分数值过大（整数部分最多 12 位）"
    with pytest.raises(edits.Refused) as refused:
        edits.set_amount(ev, "total", "executed", "1" * 13)
    assert str(refused.value) == "金额数值过大（整数部分最多 12 位）"
    with pytest.raises(edits.Refused) as refused:
        edits.set_indicator(ev, 0, "score", "1.1234567")
    assert str(refused.value) == "得分小数位数过多（最多 6 位）"
    with pytest.raises(edits.Refused) as refused:
        edits.set_indicator(ev, 0, "score", "九")
    assert str(refused.value).startswith("得分应为数字")
    assert edits.set_indicator(ev, 0, "score", "9" * 12).indicators[0].score == Decimal("9" * 12)
