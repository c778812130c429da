"""The evaluation as data: pydantic models, Decimal amounts, blank is None. No I/O.

Models are frozen: an edit makes a new evaluation (``model_copy(update=...)``), which is
what makes undo a list of snapshots.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from evaltui.labels import Direction
from evaltui.numbers import canonical, parse_amount, parse_number

SCHEMA_VERSION = 2
# The oldest schema that can hold an evaluation using none of the newer fields
# (不适用, extra budget lines, notes): files that need nothing newer keep saying 1,
# so an older evaltui still edits them.
BASE_SCHEMA_VERSION = 1


def _decimal(value: object, *, reader) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("应为数字")
    if isinstance(value, (int, Decimal)):
        return canonical(Decimal(value))
    if isinstance(value, float):
        return canonical(Decimal(repr(value)))
    if isinstance(value, str):
        number = reader(value)
        return None if number is None else canonical(number)
    raise ValueError("应为数字")


def _to_amount(value: object) -> Decimal | None:
    return _decimal(value, reader=parse_amount)


def _to_score(value: object) -> Decimal | str | None:
    """A weight or score: a number, blank (None), or the text as typed when it is no number."""
    if isinstance(value, str):
        try:
            return _decimal(value, reader=parse_number)
        except ValueError:
            return value.strip()
    return _decimal(value, reader=parse_number)


Amount = Annotated[Decimal | None, BeforeValidator(_to_amount)]
ScoreValue = Annotated[Decimal | str | None, BeforeValidator(_to_score)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def one_kind_of_line_break(text: str) -> str:
    """Texts keep only \\n line breaks, whatever the source (Word, Windows editors) used."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _WithTexts(_Frozen):
    @model_validator(mode="before")
    @classmethod
    def _one_kind_of_line_break(cls, data: object) -> object:
        if isinstance(data, dict):
            for value in data.values():
                if value.__class__ is str and "\r" in value:
                    return {k: one_kind_of_line_break(v) if isinstance(v, str) else v for k, v in data.items()}
        return data


class Amounts(_Frozen):
    """One budget line: 年初预算数, 全年预算数, 全年执行数 (万元)."""

    initial: Amount = None
    full_year: Amount = None
    executed: Amount = None


class Budget(_Frozen):
    """项目资金（万元）: 年度资金总额 and its three sub-lines."""

    total: Amounts = Amounts()
    appropriation: Amounts = Amounts()
    carryover: Amounts = Amounts()
    other: Amounts = Amounts()


class BudgetLine(_Frozen):
    """A budget line the national form has no place for (财政专户管理资金, 单位资金 …)."""

    label: str
    initial: Amount = None
    full_year: Amount = None
    executed: Amount = None


class Note(_WithTexts):
    """A text the form holds beyond the national fields (评价结论, 存在问题 …), under its label."""

    label: str
    text: str = ""


class Goals(_WithTexts):
    """年度总体目标: 预期目标 and 实际完成情况."""

    expected: str = ""
    actual: str = ""


class Indicator(_WithTexts):
    """One row of 绩效指标."""

    level1: str = ""
    level2: str = ""
    name: str = ""
    target: str = ""
    actual: str = ""
    weight: ScoreValue = None
    score: ScoreValue = None
    reason: str = ""
    direction: Direction | None = None
    applicable: bool = True  # False: 不适用, kept as a row but out of the sums


class Evaluation(_WithTexts):
    """One 项目支出绩效自评表."""

    schema_version: int = SCHEMA_VERSION
    name: str = ""
    year: int | None = Field(default=None, ge=1900, le=2999)
    department: str = ""
    implementer: str = ""
    leader: str = ""
    phone: str = ""
    reported_total: ScoreValue = None
    budget: Budget = Budget()
    budget_extra: tuple[BudgetLine, ...] = ()
    goals: Goals = Goals()
    notes: tuple[Note, ...] = ()
    indicators: tuple[Indicator, ...] = ()

    @property
    def read_only(self) -> bool:
        """Written by a newer evaltui: shown, never saved over."""
        return self.schema_version > SCHEMA_VERSION

    @property
    def needed_schema_version(self) -> int:
        """The schema a file of this evaluation must declare: 2 only when it uses 2's fields."""
        if self.budget_extra or self.notes or any(not i.applicable for i in self.indicators):
            return SCHEMA_VERSION
        return BASE_SCHEMA_VERSION

