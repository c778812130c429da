"""The scoring rules of docs/domain.md: the one place a number about an evaluation is computed.

The app, ``evaltui check`` and the Word export all call :func:`assess`, so they can
never disagree. Pure functions, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltui.labels import AMOUNT_COLUMNS
from evaltui.numbers import plain, round2
from evaltui.quantity import comparable, read_actual, read_target

if TYPE_CHECKING:
    from evaltui.model import Evaluation, Indicator

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
EXECUTION_WEIGHT = Decimal(10)

LEVELS: tuple[tuple[str, str, Decimal], ...] = (
    # key, label, default weight
    ("output", "产出指标", Decimal(50)),
    ("effect", "效益指标", Decimal(30)),
    ("satisfaction", "满意度指标", Decimal(10)),
)

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES: dict[str, str] = {
    "budget-missing": ERROR,
    "weights-total": ERROR,
    "score-over-weight": ERROR,
    "score-missing": ERROR,
    "score-invalid": ERROR,
    "score-vs-rule": WARNING,
    "reason-missing": WARNING,
    "target-missing": WARNING,
    "actual-missing": WARNING,
    "budget-sublines": WARNING,
    "executed-over-budget": WARNING,
    "reported-total": WARNING,
    "level-weights": INFO,
}


@dataclass(frozen=True)
class Problem:
    code: str
    severity: str
    message: str
    indicator: str | None = None  # the 三级指标 name; None for the whole form
    row: int | None = None  # index into Evaluation.indicators
    field: str | None = None  # the field to look at: "score", "weight", "budget.total.full_year" …


@dataclass(frozen=True)
class Assessment:
    """Everything computed about one evaluation."""

    execution_rate: Decimal | None  # percent, 2 decimals; None without a 全年预算数
    execution_score: Decimal
    weight_total: Decimal  # indicator weights + the 10 of the execution rate
    level_weights: dict[str, Decimal]  # output / effect / satisfaction / other
    total: Decimal
    grade: str
    suggestions: tuple[Decimal | None, ...]  # one per indicator
    problems: tuple[Problem, ...]

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)


def number(value: Decimal | str | None) -> Decimal | None:
    """A weight or score as a number; text that is no number and blanks give None."""
    return value if isinstance(value, Decimal) else None


def grade(total: Decimal) -> str:
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


def level_key(level1: str) -> str:
    """Which first level a label means: ``产出指标``, ``产出指标(50分)``, ``产出`` → output."""
    for key, keyword in (("output", "产出"), ("effect", "效益"), ("satisfaction", "满意")):
        if keyword in level1:
            return key
    return "other"


def execution(ev: Evaluation) -> tuple[Decimal | None, Decimal]:
    """执行率 (percent, 2 decimals) and 预算执行率得分 = 10 × min(执行率, 1)."""
    budget = ev.budget.total.full_year
    if budget is None or budget == 0:
        return None, ZERO
    executed = ev.budget.total.executed or ZERO
    ratio = executed / budget
    return round2(ratio * HUNDRED), round2(EXECUTION_WEIGHT * max(min(ratio, ONE), ZERO))


def suggest(indicator: Indicator) -> Decimal | None:
    """The score the rules suggest for an indicator, 2 decimals; None when they give none."""
    weight = number(indicator.weight)
    if weight is None:
        return None
    target = read_target(indicator.target)
    if target is None:
        return None
    direction = indicator.direction or target.direction
    if direction == "qualitative" or target.quantity is None:
        return None
    actual = read_actual(indicator.actual)
    if actual is None:
        return None
    values = comparable(target.quantity, actual)
    if values is None:
        return None
    a, b = values
    b = max(b, ZERO)
    score = _score(direction, a, b, weight)
    return None if score is None else round2(min(score, weight))


def _score(direction: str, a: Decimal, b: Decimal, w: Decimal) -> Decimal | None:
    if direction == "equal":
        direction = "higher" if a > 0 else "zero"
    if direction == "higher":
        if b >= a:
            return w
        return w * b / a
    if direction == "zero":
        return w if b <= 0 else ZERO
    if direction == "lower":
        if b <= a:
            return w
        if a <= 0 or b >= 2 * a:
            return ZERO
        return w * (ONE - (b - a) / a)
    if direction == "ratio":
        if a <= 0:
            return None
        return w * min(b / a, ONE)
    return None


def _fmt(value: Decimal | None) -> str:
    return "空" if value is None else plain(value)


def _label(indicator: Indicator, row: int) -> str:
    return f"「{indicator.name}」" if indicator.name.strip() else f"第 {row + 1} 个指标"


def _indicator_problems(row: int, ind: Indicator, suggestion: Decimal | None) -> list[Problem]:
    problems: list[Problem] = []
    name = ind.name.strip() or None
    label = _label(ind, row)

    def add(code: str, message: str, field: str) -> None:
        problems.append(Problem(code, SEVERITIES[code], label + message, name, row, field))

    weight, score = number(ind.weight), number(ind.score)
    if isinstance(ind.weight, str):
        add("score-invalid", f"分值“{ind.weight}”不是数字", "weight")
    if isinstance(ind.score, str):
        add("score-invalid", f"得分“{ind.score}”不是数字", "score")
    weighted = weight is not None and weight != 0
    if weighted and ind.score is None:
        add("score-missing", f"分值 {_fmt(weight)}，得分为空（按 0 分计）", "score")
    if weight is not None and score is not None:
        if score > weight:
            add("score-over-weight", f"得分 {_fmt(score)} 超过分值 {_fmt(weight)}", "score")
        elif score < weight and not ind.reason.strip():
            add("reason-missing", f"得分 {_fmt(score)} 低于分值 {_fmt(weight)}，未填写偏差原因分析及改进措施", "reason")
    if suggestion is not None and score is not None and abs(score - suggestion) > Decimal("0.01"):
        add("score-vs-rule", f"得分 {_fmt(score)} 与按规则计算的 {_fmt(suggestion)} 不一致", "score")
    if weighted and not ind.target.strip():
        add("target-missing", "未填写年度指标值", "target")
    if weighted and not ind.actual.strip():
        add("actual-missing", "未填写实际完成值", "actual")
    return problems


def _budget_problems(ev: Evaluation) -> list[Problem]:
    problems: list[Problem] = []

    def add(code: str, message: str, field: str) -> None:
        problems.append(Problem(code, SEVERITIES[code], message, None, None, field))

    total = ev.budget.total
    if total.full_year is None or total.full_year == 0:
        add("budget-missing", "年度资金总额的全年预算数为空或为 0，无法计算执行率", "budget.total.full_year")
    sublines = (ev.budget.appropriation, ev.budget.carryover, ev.budget.other)
    for column, label in AMOUNT_COLUMNS:
        filled = [getattr(line, column) for line in sublines if getattr(line, column) is not None]
        whole = getattr(total, column)
        if filled and sum(filled, ZERO) != (whole if whole is not None else None):
            add(
                "budget-sublines",
                f"{label}：当年财政拨款、上年结转资金、其他资金合计 {_fmt(sum(filled, ZERO))}，"
                f"与年度资金总额 {_fmt(whole)} 不符",
                f"budget.total.{column}",
            )
    if total.executed is not None and total.full_year is not None and total.executed > total.full_year:
        add(
            "executed-over-budget",
            f"全年执行数 {_fmt(total.executed)} 超过全年预算数 {_fmt(total.full_year)}",
            "budget.total.executed",
        )
    return problems


def assess(ev: Evaluation) -> Assessment:
    """Compute the execution rate, suggestions, total, grade and problems of an evaluation."""
    rate, execution_score = execution(ev)
    suggestions = tuple(suggest(ind) for ind in ev.indicators)

    levels = {key: ZERO for key, _, _ in LEVELS} | {"other": ZERO}
    weights_sum = ZERO
    scores_sum = ZERO
    problems = _budget_problems(ev)
    for row, (ind, suggestion) in enumerate(zip(ev.indicators, suggestions)):
        weight, score = number(ind.weight), number(ind.score)
        if weight is not None:
            weights_sum += weight
            levels[level_key(ind.level1)] += weight
        scores_sum += score or ZERO
        problems.extend(_indicator_problems(row, ind, suggestion))

    weight_total = weights_sum + EXECUTION_WEIGHT
    total = round2(execution_score + scores_sum)
    if weight_total != HUNDRED:
        problems.append(Problem(
            "weights-total", ERROR,
            f"指标分值合计 {_fmt(weight_total)}（含预算执行率 10 分），应为 100", None, None, "weight",
        ))
    reported = ev.reported_total
    if isinstance(reported, Decimal) and round2(reported) != total:
        problems.append(Problem(
            "reported-total", WARNING,
            f"表中填写的总分 {_fmt(reported)} 与计算的总分 {_fmt(total)} 不一致", None, None, "reported_total",
        ))
    expected_levels = {key: default for key, _, default in LEVELS}
    if any(levels[key] != default for key, default in expected_levels.items()) or levels["other"]:
        shown = "、".join(f"{label} {_fmt(levels[key])}" for key, label, _ in LEVELS)
        problems.append(Problem(
            "level-weights", INFO,
            f"一级指标分值为 {shown}，与默认的 50 / 30 / 10 不同", None, None, "weight",
        ))
    return Assessment(
        execution_rate=rate,
        execution_score=execution_score,
        weight_total=weight_total,
        level_weights=levels,
        total=total,
        grade=grade(total),
        suggestions=suggestions,
        problems=tuple(problems),
    )
