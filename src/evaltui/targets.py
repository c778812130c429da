"""Where an edit goes: small typed values, not dotted strings.

A grid cell is a :data:`Target`; so is the place a problem of the rules points at. Each target
shows its value as text, names itself for the editor, and applies typed text through
evaltui.edits (which refuses what the evaluation cannot take). No UI here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltui.labels import AMOUNT_COLUMNS, BUDGET_LINES, GOAL_FIELDS, HEADER_FIELDS, INDICATOR_FIELDS, LEVEL2_NAMES, STANDARD_CATEGORIES
from evaltui.numbers import plain

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.rules import Problem

INDICATOR_LABELS = dict(INDICATOR_FIELDS)
HEADER_LABELS = {**dict(HEADER_FIELDS), "year": "年度", "reported_total": "表中填写的总分"}
GOAL_LABELS = dict(GOAL_FIELDS)
LINE_LABELS = dict(BUDGET_LINES)
COLUMN_LABELS = dict(AMOUNT_COLUMNS)
LEVEL2_CHOICES = tuple(sorted(LEVEL2_NAMES))


def _text(value: object) -> str:
    if value is None:
        return ""
    return plain(value) if isinstance(value, Decimal) else str(value)


@dataclass(frozen=True)
class IndicatorCell:
    """One cell of 绩效指标."""

    row: int
    field: str

    long = property(lambda self: self.field == "reason")

    @property
    def suggestions(self) -> tuple[str, ...]:
        return {"level1": tuple(STANDARD_CATEGORIES), "level2": LEVEL2_CHOICES}.get(self.field, ())

    def label(self, ev: Evaluation) -> str:
        ind = ev.indicators[self.row]
        return f"{INDICATOR_LABELS[self.field]} · {ind.name or f'第 {self.row + 1} 行'}"

    def value(self, ev: Evaluation) -> str:
        return _text(getattr(ev.indicators[self.row], self.field))

    def apply(self, ev: Evaluation, text: str) -> Evaluation:
        from evaltui import edits

        if not 0 <= self.row < len(ev.indicators):
            raise edits.Refused("这一行已不存在")
        return edits.set_indicator(ev, self.row, self.field, text)


@dataclass(frozen=True)
class IndicatorDirection:
    """How an indicator's 实际完成值 is compared with its 年度指标值 (v on the grid)."""

    row: int

    long = False

    @property
    def suggestions(self) -> tuple[str, ...]:
        from evaltui.edits import DIRECTION_NAMES

        return tuple(DIRECTION_NAMES.values())

    def label(self, ev: Evaluation) -> str:
        ind = ev.indicators[self.row]
        return f"方向 · {ind.name or f'第 {self.row + 1} 行'}"

    def value(self, ev: Evaluation) -> str:
        from evaltui.edits import DIRECTION_NAMES

        return DIRECTION_NAMES.get(ev.indicators[self.row].direction, "")

    def apply(self, ev: Evaluation, text: str) -> Evaluation:
        from evaltui import edits

        if not 0 <= self.row < len(ev.indicators):
            raise edits.Refused("这一行已不存在")
        return edits.set_direction(ev, self.row, text)


@dataclass(frozen=True)
class HeaderField:
    """项目名称, 年度, 主管部门 … of 基本信息."""

    field: str

    long = False
    suggestions = ()

    def label(self, ev: Evaluation) -> str:
        return HEADER_LABELS[self.field]

    def value(self, ev: Evaluation) -> str:
        return _text(getattr(ev, self.field))

    def apply(self, ev: Evaluation, text: str) -> Evaluation:
        from evaltui import edits

        return edits.set_header(ev, self.field, text)


@dataclass(frozen=True)
class GoalText:
    """预期目标 or 实际完成情况: long texts."""

    which: str

    long = True
    suggestions = ()

    def label(self, ev: Evaluation) -> str:
        return GOAL_LABELS[self.which]

    def value(self, ev: Evaluation) -> str:
        return getattr(ev.goals, self.which)

    def apply(self, ev: Evaluation, text: str) -> Evaluation:
        from evaltui import edits

        return edits.set_goal(ev, self.which, text)


@dataclass(frozen=True)
class AmountCell:
    """One amount of 项目资金 (万元)."""

    line: str
    column: str

    long = False
    suggestions = ()

    def label(self, ev: Evaluation) -> str:
        return f"{LINE_LABELS[self.line]} · {COLUMN_LABELS[self.column]}（万元）"

    def value(self, ev: Evaluation) -> str:
        return _text(getattr(getattr(ev.budget, self.line), self.column))

    def apply(self, ev: Evaluation, text: str) -> Evaluation:
        from evaltui import edits

        return edits.set_amount(ev, self.line, self.column, text)


@dataclass(frozen=True)
class ExtraAmountCell:
    """A budget line beyond the national four: its label (column "label") or one of its amounts."""

    index: int
    column: str

    long = False
    suggestions = ()

    def label(self, ev: Evaluation) -> str:
        line = ev.budget_extra[self.index].label if self.index < len(ev.budget_extra) else ""
        return f"{line} · 名称" if self.column == "label" else f"{line} · {COLUMN_LABELS[self.column]}（万元）"

    def value(self, ev: Evaluation) -> str:
        return _text(getattr(ev.budget_extra[self.index], self.column)) if self.index < len(ev.budget_extra) else ""

    def apply(self, ev: Evaluation, text: str) -> Evaluation:
        from evaltui import edits

        if self.column == "label":
            return edits.set_extra_label(ev, self.index, text)
        return edits.set_extra_amount(ev, self.index, self.column, text)


@dataclass(frozen=True)
class NoteText:
    """A text the form held beyond the national fields (评价结论 …), under its own label."""

    index: int

    long = True
    suggestions = ()

    def label(self, ev: Evaluation) -> str:
        return ev.notes[self.index].label if self.index < len(ev.notes) else ""

    def value(self, ev: Evaluation) -> str:
        return ev.notes[self.index].text if self.index < len(ev.notes) else ""

    def apply(self, ev: Evaluation, text: str) -> Evaluation:
        from evaltui import edits

        return edits.set_note(ev, self.index, text)


Target = IndicatorCell | IndicatorDirection | HeaderField | GoalText | AmountCell | ExtraAmountCell | NoteText


def for_problem(problem: Problem) -> Target | None:
    """The one cell whose value fixes ``problem``; None when it is about the form as a whole."""
    field = problem.field or ""
    if problem.row is not None:
        return IndicatorCell(problem.row, field if field in INDICATOR_LABELS else "score")
    if field.startswith("budget."):
        _, line, column = field.split(".")
        if line in LINE_LABELS and column in COLUMN_LABELS:
            return AmountCell(line, column)
        return None
    if field in HEADER_LABELS:
        return HeaderField(field)
    if field.startswith("goals.") and field[6:] in GOAL_LABELS:
        return GoalText(field[6:])
    return None
