"""Edits of an evaluation as pure functions: text in, a new evaluation out, or a refusal.

The app sends what a person typed here; a value the model cannot take raises
:class:`Refused` with a one-line Chinese message, and nothing changes.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import ValidationError

from evaltui.labels import STANDARD_CATEGORIES
from evaltui.model import Amounts, Evaluation, Indicator
from evaltui.model import one_kind_of_line_break as _clean  # edits bypass the model's validators
from evaltui.numbers import canonical, parse_amount, parse_number

NUMBER_FIELDS = ("weight", "score")
TEXT_FIELDS = ("level1", "level2", "name", "target", "actual", "reason")
HEADER_TEXT_FIELDS = ("name", "department", "implementer", "leader", "phone")


class Refused(ValueError):
    """A value the evaluation cannot take; the message says why, in Chinese."""


def _number(text: str, reader, label: str) -> Decimal | None:
    try:
        value = reader(text)
    except ValueError as exc:
        raise Refused(f"{label}应为数字：{exc}") from None
    if value is None:
        return None
    try:
        return canonical(value)
    except ValueError as exc:  # a number, but none a form holds: 得分数值过大（整数部分最多 12 位）
        raise Refused(f"{label}{exc}") from None


def _amount(text: str) -> Decimal | None:
    """An amount of 项目资金 (万元) from typed text: a number, never negative, or blank."""
    value = _number(text, parse_amount, "金额")
    if value is not None and value < 0:
        raise Refused("金额不能为负数")
    return value


def set_indicator(ev: Evaluation, row: int, field: str, text: str) -> Evaluation:
    """Set one cell of the indicator grid from typed text."""
    ind = ev.indicators[row]
    if field in NUMBER_FIELDS:
        label = "分值" if field == "weight" else "得分"
        value: object = _number(text, parse_number, label)
        if value is not None and value < 0:
            raise Refused(f"{label}不能为负数")
    elif field in TEXT_FIELDS:
        value = _clean(text).strip() if field != "reason" else _clean(text).strip("\n")
    else:
        raise Refused(f"不能编辑 {field}")
    return replace_indicator(ev, row, ind.model_copy(update={field: value}))


def set_score(ev: Evaluation, row: int, score: Decimal) -> Evaluation:
    ind = ev.indicators[row]
    return replace_indicator(ev, row, ind.model_copy(update={"score": score}))


def toggle_applicable(ev: Evaluation, row: int) -> Evaluation:
    """Mark an indicator 不适用 (its row stays, its weight and score leave the sums), or applicable again."""
    ind = ev.indicators[row]
    return replace_indicator(ev, row, ind.model_copy(update={"applicable": not ind.applicable}))


def replace_indicator(ev: Evaluation, row: int, ind: Indicator) -> Evaluation:
    indicators = list(ev.indicators)
    indicators[row] = ind
    return ev.model_copy(update={"indicators": tuple(indicators)})


def add_indicator(ev: Evaluation, after: int | None) -> tuple[Evaluation, int]:
    """A blank row below ``after`` (at the end when None), in the same levels; its index."""
    indicators = list(ev.indicators)
    at = len(indicators) if after is None else after + 1
    like = indicators[at - 1] if 0 < at <= len(indicators) else None
    new = Indicator(level1=like.level1, level2=like.level2) if like else Indicator()
    indicators.insert(at, new)
    return ev.model_copy(update={"indicators": tuple(indicators)}), at


def delete_indicator(ev: Evaluation, row: int) -> Evaluation:
    indicators = list(ev.indicators)
    del indicators[row]
    return ev.model_copy(update={"indicators": tuple(indicators)})


def move_indicator(ev: Evaluation, row: int, step: int) -> tuple[Evaluation, int]:
    """Swap a row with its neighbour; the row's new index (unchanged at either end)."""
    target = row + step
    if not 0 <= target < len(ev.indicators) or not 0 <= row < len(ev.indicators):
        return ev, row
    indicators = list(ev.indicators)
    indicators[row], indicators[target] = indicators[target], indicators[row]
    return ev.model_copy(update={"indicators": tuple(indicators)}), target


def set_header(ev: Evaluation, field: str, text: str) -> Evaluation:
    """项目名称, 主管部门 … or the year."""
    if field == "year":  # refused in the words of the other numbers: 应为数字：“…”不是数字, 应在 … 之间
        cleaned = _number(text, parse_number, "年度")
        if cleaned is not None and cleaned != cleaned.to_integral_value():
            raise Refused("年度应为整数")
        if cleaned is not None and not 1900 <= cleaned <= 2999:
            raise Refused("年度应在 1900 到 2999 之间")
        try:
            return ev.model_copy(update={"year": None if cleaned is None else int(cleaned)})
        except ValueError as exc:
            raise Refused(f"年度应为整数：{exc}") from None
    if field == "reported_total":
        value = _number(text, parse_number, "表中填写的总分")
        if value is not None and not 0 <= value <= 100:
            raise Refused("表中填写的总分应在 0 到 100 之间")
        return ev.model_copy(update={"reported_total": value})
    if field not in HEADER_TEXT_FIELDS:
        raise Refused(f"不能编辑 {field}")
    value = _clean(text).strip()
    if field == "name" and not value:  # as ctrl+n asks for one: the list, the review and check name the form by it
        raise Refused("项目名称不能为空")
    return ev.model_copy(update={field: value})


DIRECTION_NAMES: dict[str | None, str] = {
    None: "按符号判断", "higher": "越高越好", "equal": "等于目标", "lower": "越低越好", "ratio": "比率", "qualitative": "定性",
}


def set_direction(ev: Evaluation, row: int, text: str) -> Evaluation:
    """An indicator's direction, by its Chinese name (as offered) or its key; blank: from the sign."""
    wanted = text.strip()
    for key, label in DIRECTION_NAMES.items():
        if wanted in (label, key or "") or (not wanted and key is None):
            return replace_indicator(ev, row, ev.indicators[row].model_copy(update={"direction": key}))
    raise Refused("方向应为：" + "、".join(DIRECTION_NAMES.values()))


def set_goal(ev: Evaluation, which: str, text: str) -> Evaluation:
    goals = ev.goals.model_copy(update={which: _clean(text).strip("\n")})
    return ev.model_copy(update={"goals": goals})


def set_amount(ev: Evaluation, line: str, column: str, text: str) -> Evaluation:
    value = _amount(text)
    amounts: Amounts = getattr(ev.budget, line)
    budget = ev.budget.model_copy(update={line: amounts.model_copy(update={column: value})})
    return ev.model_copy(update={"budget": budget})


def set_extra_amount(ev: Evaluation, index: int, column: str, text: str) -> Evaluation:
    """An amount of a budget line beyond the national four (财政专户管理资金 …)."""
    if not 0 <= index < len(ev.budget_extra):
        raise Refused("这一行已不存在")
    value = _amount(text)
    lines = list(ev.budget_extra)
    lines[index] = lines[index].model_copy(update={column: value})
    return ev.model_copy(update={"budget_extra": tuple(lines)})


def set_extra_label(ev: Evaluation, index: int, text: str) -> Evaluation:
    if not 0 <= index < len(ev.budget_extra):
        raise Refused("这一行已不存在")
    label = _clean(text).strip()
    if not label:
        raise Refused("资金行的名称不能为空")
    lines = list(ev.budget_extra)
    lines[index] = lines[index].model_copy(update={"label": label})
    return ev.model_copy(update={"budget_extra": tuple(lines)})


def set_note(ev: Evaluation, index: int, text: str) -> Evaluation:
    """The text of a note the form held (评价结论, 存在问题 …); its label stays."""
    if not 0 <= index < len(ev.notes):
        raise Refused("这一项已不存在")
    notes = list(ev.notes)
    notes[index] = notes[index].model_copy(update={"text": _clean(text).strip("\n")})
    return ev.model_copy(update={"notes": tuple(notes)})


def standard_template(name: str = "新项目", year: int | None = None) -> Evaluation:
    """A new evaluation with one row for each standard category and the default weights."""
    weights = {"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)}
    rows = []
    for level1, level2s in STANDARD_CATEGORIES.items():
        share = weights[level1] / len(level2s)
        for level2 in level2s:
            rows.append(Indicator(level1=level1, level2=level2, weight=canonical(share.quantize(Decimal("0.01")))))
    try:
        return Evaluation(name=name, year=year, indicators=tuple(rows))
    except ValidationError as exc:  # pragma: no cover - the template is fixed
        raise Refused(str(exc)) from None
