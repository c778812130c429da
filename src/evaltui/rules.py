"""The scoring rules: the one place a number about an evaluation is computed.

The national rules of docs/domain.md are the default; a folder's ``evaltui.toml`` may select
the regional variants of docs/variants.md (:class:`Rules`, read by :mod:`evaltui.settings`).
The app, ``evaltui check``, ``summary`` and the Word export all call :func:`assess`, so they
can never disagree. Every suggestion comes with how it was reached, written with its numbers
(``10 × (1 − (5 − 4) ÷ 4) = 7.5``). Pure functions, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltui.labels import AMOUNT_COLUMNS, BUDGET_LINES
from evaltui.numbers import plain, round2
from evaltui.quantity import comparable, count_numbers, read_actual, read_target

if TYPE_CHECKING:
    from evaltui.model import Evaluation, Indicator

ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)
HUNDRED = Decimal(100)
EXECUTION_WEIGHT = Decimal(10)  # the national points of the execution rate

LEVELS: tuple[tuple[str, str, Decimal], ...] = (
    # key, label, default weight (national rules: with the execution rate's 10, 100)
    ("output", "产出指标", Decimal(50)),
    ("effect", "效益指标", Decimal(30)),
    ("satisfaction", "满意度指标", Decimal(10)),
)

NATIONAL_SOURCE = "national"
LOWER_RULES = ("deviation", "ratio")  # ≤ targets missed: w × (1 − (B − A)/A), or w × A / B


@dataclass(frozen=True)
class Rules:
    """The scoring rules in force for an evaluation: the national ones unless a folder says otherwise.

    ``source`` is ``"national"`` or the path of the ``evaltui.toml`` that set them.
    """

    execution_weight: Decimal = EXECUTION_WEIGHT  # 10 or 20: points of the execution rate
    lower: str = "deviation"  # ≤ targets: "deviation" (domain.md) or "ratio" (w × A / B)
    qualitative: tuple[Decimal, Decimal] = (Decimal(80), Decimal(60))  # % of w: 达成, 部分达成 from
    grades: tuple[Decimal, Decimal, Decimal] = (Decimal(90), Decimal(80), Decimal(60))  # 优, 良, 中 from
    source: str = NATIONAL_SOURCE

    def settings(self) -> dict[str, object]:
        """The settings as ``evaltui.toml`` spells them (for ``check --json``)."""
        return {
            "execution_weight": self.execution_weight,
            "lower": self.lower,
            "qualitative": list(self.qualitative),
            "grades": list(self.grades),
        }

    def differences(self) -> list[str]:
        """What differs from the national rules, in words (``反向指标按比例``)."""
        found = []
        if self.execution_weight != NATIONAL.execution_weight:
            found.append(f"预算执行率 {plain(self.execution_weight)} 分")
        if self.lower != NATIONAL.lower:
            found.append("反向指标按比例")
        if self.qualitative != NATIONAL.qualitative:
            found.append("定性档次 " + " / ".join(plain(x) for x in self.qualitative))
        if self.grades != NATIONAL.grades:
            found.append("等级 " + " / ".join(plain(x) for x in self.grades))
        return found

    def label(self) -> str:
        """The rules in force, as the app names them: ``全国`` or ``evaltui.toml（反向指标按比例）``."""
        if self.source == NATIONAL_SOURCE:
            return "全国"
        name = self.source.replace("\\", "/").rsplit("/", 1)[-1]
        return f"{name}（{'、'.join(self.differences()) or '同全国'}）"


NATIONAL = Rules()

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES: dict[str, str] = {
    "budget-missing": ERROR,
    "amount-negative": ERROR,
    "weights-total": ERROR,
    "score-over-weight": ERROR,
    "score-missing": ERROR,
    "score-invalid": ERROR,
    "score-negative": ERROR,
    "executed-missing": ERROR,
    "score-vs-rule": WARNING,
    "reason-missing": WARNING,
    "target-missing": WARNING,
    "actual-missing": WARNING,
    "budget-sublines": WARNING,
    "executed-over-budget": WARNING,
    "reported-total": WARNING,
    "year-missing": WARNING,
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
    """Everything computed about one evaluation, and how."""

    execution_rate: Decimal | None  # percent, 2 decimals; None without a 全年预算数 or a 全年执行数
    execution_score: Decimal
    weight_total: Decimal  # applicable indicator weights + the points of the execution rate
    level_weights: dict[str, Decimal]  # output / effect / satisfaction / other
    total: Decimal
    grade: str
    suggestions: tuple[Decimal | None, ...]  # one per indicator
    problems: tuple[Problem, ...]
    explanations: tuple[str | None, ...] = ()  # one per indicator: how its suggestion was reached
    execution_rule: str = ""  # how the execution score was reached
    total_rule: str = ""  # how the total was reached
    rules: Rules = NATIONAL
    full_marks: Decimal = HUNDRED  # what weight_total should be: 100 − Σ 分值 of the 不适用

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)


@dataclass(frozen=True)
class Suggestion:
    """The rules' advice on one indicator: a score (or none) and how it was reached, or why none."""

    score: Decimal | None
    rule: str | None  # None only for a row with no weight: nothing there to score


def number(value: Decimal | str | None) -> Decimal | None:
    """A weight or score as a number; text that is no number and blanks give None."""
    return value if isinstance(value, Decimal) else None


def grade(total: Decimal, rules: Rules = NATIONAL) -> str:
    excellent, good, fair = rules.grades
    if total >= excellent:
        return "优"
    if total >= good:
        return "良"
    if total >= fair:
        return "中"
    return "差"


def level_key(level1: str) -> str:
    """Which first level a label means: ``产出指标``, ``产出指标(50分)``, ``产出`` → output."""
    for key, keyword in (("output", "产出"), ("effect", "效益"), ("satisfaction", "满意")):
        if keyword in level1:
            return key
    return "other"


def execution(ev: Evaluation, rules: Rules = NATIONAL) -> tuple[Decimal | None, Decimal]:
    """执行率 (percent, 2 decimals) and 预算执行率得分 = execution weight × min(执行率, 1)."""
    rate, score, _ = _execution(ev, rules)
    return rate, score


def _execution(ev: Evaluation, rules: Rules) -> tuple[Decimal | None, Decimal, str]:
    weight = rules.execution_weight
    budget = ev.budget.total.full_year
    if budget is None or budget == 0:
        return None, ZERO, "全年预算数为空或为 0，无执行率，得 0"
    executed = ev.budget.total.executed
    if executed is None:  # not 0 % spent: nothing said yet (executed-missing)
        return None, ZERO, "全年执行数为空，无执行率，得 0"
    ratio = executed / budget
    rate = round2(ratio * HUNDRED)
    score = round2(weight * max(min(ratio, ONE), ZERO))
    w = plain(weight)
    if ratio > ONE:
        return rate, score, f"执行率 {plain(rate)}% 超过 100%，按 100% 计：{w} × 100% = {plain(score)}"
    if ratio < ZERO:
        return rate, score, f"执行率 {plain(rate)}% 为负，按 0 计：0"
    if round2(rate * weight / HUNDRED) == score:
        return rate, score, f"执行率 {plain(rate)}% × {w} = {plain(score)}"
    # the rate as shown is rounded too coarsely to give the score: show the amounts themselves
    return rate, score, f"执行率 {plain(executed)} ÷ {plain(budget)} × {w} = {plain(score)}"


def suggest(indicator: Indicator, rules: Rules = NATIONAL) -> Decimal | None:
    """The score the rules suggest for an indicator, 2 decimals; None when they give none."""
    return reckon(indicator, rules).score


def reckon(indicator: Indicator, rules: Rules = NATIONAL) -> Suggestion:
    """The suggested score of an indicator and how it was reached, or why there is none."""
    if not indicator.applicable:
        return Suggestion(None, "不适用：不计入总分，其余指标按百分制折算")
    weight = indicator.weight
    if weight is None:
        return Suggestion(None, None)
    if isinstance(weight, str):
        return Suggestion(None, f"无法计算：分值“{weight}”不是数字")
    if not indicator.target.strip():
        return Suggestion(None, "无法比较：未填写年度指标值")
    target = read_target(indicator.target)
    if target is None:
        return Suggestion(None, f"无法比较：年度指标值含{_how_many(count_numbers(indicator.target))}")
    direction = indicator.direction or target.direction
    if direction == "qualitative" or target.quantity is None:
        return Suggestion(None, _qualitative(weight, number(indicator.score), rules))
    if not indicator.actual.strip():
        return Suggestion(None, "无法比较：未填写实际完成值")
    actual = read_actual(indicator.actual)
    if actual is None:
        found = count_numbers(indicator.actual)
        return Suggestion(None, f"无法比较：实际完成值{'不含数字' if not found else '含' + _how_many(found)}")
    values = comparable(target.quantity, actual)
    if values is None:
        return Suggestion(
            None, f"无法比较：年度指标值的单位“{target.quantity.unit}”与实际完成值的单位“{actual.unit}”不同"
        )
    a, b = values
    unit = target.quantity.unit if target.quantity.unit == actual.unit or not actual.unit else (
        actual.unit if not target.quantity.unit else ""
    )
    note = ""
    if b < ZERO:
        note = f"实际完成值 {plain(b)} 按 0 计；"
        b = ZERO
    score, how = _score(direction, a, b, weight, unit, rules)
    if score is None:
        return Suggestion(None, how)
    shown = round2(min(score, weight))
    return Suggestion(shown, note + how.replace("{score}", plain(shown)))


def _how_many(count: int) -> str:
    return "两个数" if count == 2 else f" {count} 个数"


def _qualitative(weight: Decimal, score: Decimal | None, rules: Rules) -> str:
    """A qualitative target: no formula, the evaluator picks a band; the bands in points, and the score's band."""
    full, partial = (weight * share / HUNDRED for share in rules.qualitative)
    w = plain(weight)
    text = (
        f"定性指标，由评价人按档次打分：达成 {plain(round2(full))}–{w}，"
        f"部分达成 {plain(round2(partial))}–{plain(round2(full))}，未达成 0–{plain(round2(partial))}"
    )
    if score is not None and ZERO <= score <= weight:
        band = "达成" if score >= full else "部分达成" if score >= partial else "未达成"
        text += f"；得分 {plain(score)} 属{band}"
    return text


def _score(direction: str, a: Decimal, b: Decimal, w: Decimal, unit: str, rules: Rules) -> tuple[Decimal | None, str]:
    """The unrounded score and how it was reached; ``{score}`` in the text stands for the rounded score."""
    A, B, W = plain(a), plain(b), plain(w)
    met = f"，满分 {W}"
    if direction == "equal":
        direction = "higher" if a > 0 else "zero"
    if direction == "higher":
        if b >= a:
            return w, f"{B}{unit} ≥ {A}{unit}{met}"
        return w * b / a, f"{W} × {B} ÷ {A} = {{score}}"
    if direction == "zero":
        if b <= 0:
            return w, f"{B}{unit} ≤ 0{met}"
        return ZERO, f"目标为 0，实际 {B}{unit} > 0，得 0"
    if direction == "lower":
        if b <= a:
            return w, f"{B}{unit} ≤ {A}{unit}{met}"
        if rules.lower == "ratio":
            if a <= 0:
                return ZERO, f"目标 {A}{unit}，实际 {B}{unit} > {A}{unit}，得 0"
            return w * a / b, f"{W} × {A} ÷ {B} = {{score}}"
        if a <= 0 or b >= TWO * a:
            return ZERO, f"{B}{unit} ≥ 2 × {A}{unit}，得 0"
        return w * (ONE - (b - a) / a), f"{W} × (1 − ({B} − {A}) ÷ {A}) = {{score}}"
    if direction == "ratio":
        if a <= 0:
            return None, f"无法按比例计算：年度指标值为 {A}"
        if b >= a:
            return w, f"{B}{unit} ≥ {A}{unit}{met}"
        return w * b / a, f"{W} × {B} ÷ {A} = {{score}}"
    return None, f"无法比较：不认识的方向“{direction}”"  # pragma: no cover - the model admits only known ones


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
    if isinstance(ind.score, str) and ind.applicable:
        add("score-invalid", f"得分“{ind.score}”不是数字", "score")
    if weight is not None and weight < 0:  # the cell refuses these; a file or a document may not
        add("score-negative", f"分值 {_fmt(weight)} 为负数：分值不能为负", "weight")
    if score is not None and score < 0 and ind.applicable:
        add("score-negative", f"得分 {_fmt(score)} 为负数：得分不能为负", "score")
    if not ind.applicable:  # out of the sums: only a 分值 that is no number matters (it is rescaled away)
        return problems
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

    for line, line_label in BUDGET_LINES:  # money on these forms is never negative
        for column, label in AMOUNT_COLUMNS:
            value = getattr(getattr(ev.budget, line), column)
            if value is not None and value < 0:
                add("amount-negative", f"{line_label}的{label} {_fmt(value)} 为负数：金额不能为负", f"budget.{line}.{column}")
    total = ev.budget.total
    if total.full_year is None or total.full_year == 0:
        add("budget-missing", "年度资金总额的全年预算数为空或为 0，无法计算执行率", "budget.total.full_year")
    if total.executed is None:
        add("executed-missing", "未填写年度资金总额的全年执行数，无法计算执行率（预算执行率得 0 分）",
            "budget.total.executed")
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


def assess(ev: Evaluation, rules: Rules = NATIONAL) -> Assessment:
    """Compute the execution rate, suggestions, total, grade and problems of an evaluation.

    An indicator marked 不适用 keeps its row but leaves the sums; the total is then rescaled
    to 100: (预算执行率得分 + Σ 得分 of the applicable) × 100 ÷ (100 − Σ 分值 of the not
    applicable), whatever points the execution rate carries (its score is always counted).
    Should the not-applicable weights leave nothing to rescale to (100 or more), the total
    is the plain sum and ``weights-total`` says why.
    """
    rate, execution_score, execution_rule = _execution(ev, rules)
    reckoned = tuple(reckon(ind, rules) for ind in ev.indicators)
    suggestions = tuple(r.score for r in reckoned)

    levels = {key: ZERO for key, _, _ in LEVELS} | {"other": ZERO}
    weights_sum = ZERO  # applicable indicators only
    scores_sum = ZERO
    left_out = ZERO  # the 分值 of indicators marked 不适用
    problems = _budget_problems(ev)
    if ev.year is None:
        problems.append(Problem("year-missing", WARNING, "未填写年度", None, None, "year"))
    for row, (ind, suggestion) in enumerate(zip(ev.indicators, suggestions)):
        weight, score = number(ind.weight), number(ind.score)
        if weight is not None:
            levels[level_key(ind.level1)] += weight  # the form's design: 不适用 rows included
            if ind.applicable:
                weights_sum += weight
            else:
                left_out += weight
        if ind.applicable:
            scores_sum += score or ZERO
        problems.extend(_indicator_problems(row, ind, suggestion))

    ew = plain(rules.execution_weight)
    weight_total = weights_sum + rules.execution_weight
    full_marks = HUNDRED - left_out
    raw = execution_score + scores_sum
    parts = f"{plain(execution_score)} + {plain(scores_sum)}"
    if left_out and full_marks > 0:
        total = round2(raw * HUNDRED / full_marks)
        total_rule = f"({parts}) × 100 ÷ (100 − {plain(left_out)}) = {plain(total)}"
    else:
        total = round2(raw)
        total_rule = f"{parts} = {plain(total)}"
    if not left_out and weight_total != HUNDRED:
        problems.append(Problem(
            "weights-total", ERROR,
            f"指标分值合计 {_fmt(weight_total)}（含预算执行率 {ew} 分），应为 100", None, None, "weight",
        ))
    elif left_out and weight_total != full_marks:
        problems.append(Problem(
            "weights-total", ERROR,
            f"适用指标分值合计 {_fmt(weight_total)}（含预算执行率 {ew} 分），"
            f"应为 100 − 不适用的 {_fmt(left_out)} = {_fmt(full_marks)}",
            None, None, "weight",
        ))
    reported = ev.reported_total
    if isinstance(reported, Decimal) and round2(reported) != total:
        problems.append(Problem(
            "reported-total", WARNING,
            f"表中填写的总分 {_fmt(reported)} 与计算的总分 {_fmt(total)} 不一致", None, None, "reported_total",
        ))
    # The 50 / 30 / 10 split belongs to the national 10 points of the execution rate; no
    # published default goes with other execution weights, so the split is not compared then.
    expected_levels = {key: default for key, _, default in LEVELS}
    if rules.execution_weight == EXECUTION_WEIGHT and (
        any(levels[key] != default for key, default in expected_levels.items()) or levels["other"]
    ):
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
        grade=grade(total, rules),
        suggestions=suggestions,
        problems=tuple(problems),
        explanations=tuple(r.rule for r in reckoned),
        execution_rule=execution_rule,
        total_rule=total_rule,
        rules=rules,
        full_marks=full_marks,
    )
