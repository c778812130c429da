"""The scoring rules of docs/domain.md, table by table."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from evaltui.model import Amounts, Budget, Evaluation, Indicator
from evaltui.numbers import round2
from evaltui.rules import NATIONAL, Rules, assess, execution, grade, reckon, suggest


def ind(target="", actual="", weight="10", score="10", reason="", direction=None, name="指标", level1="产出指标"):
    return Indicator(level1=level1, level2="数量指标", name=name, target=target, actual=actual,
                     weight=weight, score=score, reason=reason, direction=direction)


@pytest.mark.parametrize(
    "target, actual, weight, direction, expected",
    [
        # higher (≥, >): met → w; else w × B / A
        ("≥95%", "95%", "10", None, "10"),
        ("≥95%", "100%", "10", None, "10"),
        ("≥200次", "100次", "10", None, "5"),
        (">=90%", "45%", "10", None, "5"),
        ("＞90%", "45%", "10", None, "5"),
        ("≧95%", "≧95%", "10", None, "10"),
        # equal, A > 0: like higher
        ("=500本", "450本", "5", None, "4.5"),
        ("=1000本", "0", "5", None, "0"),
        ("1次", "1次", "10", None, "10"),
        ("8", "8次", "10", None, "10"),
        ("100%", "10", "10", None, "1"),
        # equal, A = 0: B ≤ 0 → w, else 0
        ("=0起", "0起", "10", None, "10"),
        ("=0起", "2起", "10", None, "0"),
        # lower: B ≤ A → w; A < B < 2A → w(1 − (B − A)/A); B ≥ 2A → 0
        ("≤4天", "5天", "10", None, "7.5"),
        ("≦120人", "72人", "10", None, "10"),
        ("≤2小时", "2小时内", "2", None, "2"),
        ("<=10", "15", "10", None, "5"),
        ("≦6次", "12次", "10", None, "0"),
        ("≦6次", "13次", "10", None, "0"),
        # ratio (explicit direction): w × min(B / A, 1)
        ("≦120人", "72人", "10", "ratio", "6"),
        ("≦120人", "200人", "10", "ratio", "10"),
        # units: a side without unit takes the other's; 万 converts
        ("≦20万", "19.57", "20", None, "20"),
        ("≤31万元", "275000元", "10", None, "10"),
        ("≤31万元", "465000元", "10", None, "5"),
        ("≤31万元", "实际支出27.415万元，控制在预算单位内", "10", None, "10"),
        # full-width input reads like ASCII
        ("≥９５％", "９０％", "１０", None, "9.47"),
        ("５６．８", "５６．８", "10", None, "10"),
        ("≥1,200人", "1,500人", "10", None, "10"),
        # negative actuals count as 0
        ("≥10", "-5", "10", None, "0"),
        # rounding half up
        ("≥3", "1", "10", None, "3.33"),
        ("≥3", "2", "10", None, "6.67"),
    ],
)
def test_suggested_score_by_direction(target, actual, weight, direction, expected):
    assert suggest(ind(target, actual, weight, direction=direction)) == D(expected)


@pytest.mark.parametrize(
    "target, actual",
    [
        ("提高", "提高"),  # qualitative: the evaluator picks a band
        ("优", "优"),
        ("≥1次", "大于1次，10次内"),  # several numbers
        ("≤4个工作日", "1-2工作日"),
        ("≥25篇", "10次会议新闻类信息更新、8次文件报告类信息更新"),
        ("=1000元", "按标准发放"),  # no number
        ("≥95%", ""),
        ("", "95%"),
        ("≥5天", "40小时"),  # units that do not compare
    ],
)
def test_no_suggestion(target, actual):
    assert suggest(ind(target, actual)) is None


def test_explicit_qualitative_direction_gives_no_suggestion():
    assert suggest(ind("≥95%", "90%", direction="qualitative")) is None


def test_one_number_rule_reads_the_number_wherever_it_stands():
    assert suggest(ind("≤40元", "实际印制单价30元", "4")) == D(4)
    assert suggest(ind("≤317人", "约184人")) == D(10)
    assert suggest(ind("≥95%", "95%以上")) == D(10)
    assert suggest(ind("≥2次", "进行了3次专题开发（含多次二级页面、三级页面调整）", "2")) == D(2)


def test_a_score_never_exceeds_its_weight():
    assert suggest(ind("≥1", "1000", "7")) == D(7)


def test_rounding_is_half_up():
    assert round2(D("27.415")) == D("27.42")
    assert round2(D("7.215")) == D("7.22")
    assert round2(D("0.005")) == D("0.01")


def form(indicators=(), total=("72", "52", "37.52"), sublines=None, reported=None) -> Evaluation:
    budget = Budget(
        total=Amounts(initial=total[0], full_year=total[1], executed=total[2]),
        appropriation=Amounts(**(sublines or {})),
    )
    default = (
        ind("≥1", "1", "50", "50", level1="产出指标", name="产出"),
        ind("提高", "提高", "30", "30", level1="效益指标", name="效益"),
        ind("≥95%", "96%", "10", "10", level1="满意度指标", name="满意"),
    )
    return Evaluation(name="测试", year=2024, budget=budget, indicators=tuple(indicators) or default, reported_total=reported)


def test_execution_rate_and_score():
    assert execution(form()) == (D("72.15"), D("7.22"))
    assert execution(form(total=("19.62", "19.62", "1.39"))) == (D("7.08"), D("0.71"))
    assert execution(form(total=("10", "10", "12"))) == (D("120.00"), D("10.00"))
    assert execution(form(total=("10", None, "5"))) == (None, D(0))
    assert execution(form(total=("10", "0", "5"))) == (None, D(0))
    # a blank 全年执行数 is no rate at all, not 0 % (executed-missing says so)
    assert execution(form(total=("10", "10", None))) == (None, D(0))
    assert execution(form(total=("10", "10", "0"))) == (D("0.00"), D("0.00"))


def test_total_and_grade():
    result = assess(form())
    assert result.total == D("97.22")
    assert result.grade == "优"
    assert result.weight_total == D(100)
    assert [grade(D(x)) for x in ("90", "89.99", "80", "79.99", "60", "59.99")] == ["优", "良", "良", "中", "中", "差"]


def test_blank_score_counts_as_zero():
    indicators = (ind("≥1", "1", "50", None, name="甲"), ind("提高", "提高", "40", "40", level1="效益指标"))
    result = assess(form(indicators))
    assert result.total == D("47.22")


def codes(ev: Evaluation) -> set[tuple[str, str | None]]:
    return {(p.code, p.indicator) for p in assess(ev).problems}


def with_effect(first: Indicator) -> Evaluation:
    """A form of one output indicator and one qualitative effect indicator (weights 50 + 40 + 10)."""
    return form((first, ind("提高", "提高", "40", "40", level1="效益指标")))


# Each problem code: one case that fires it, one that must not.
PROBLEM_CASES = {
    "budget-missing": (
        form(total=("10", None, "5")),
        form(),
    ),
    "amount-negative": (  # money on these forms is never negative: -0.5 of 5.2 read as a rate of −9.62 %
        form(total=("5.2", "5.2", "-0.5")),
        form(total=("5.2", "5.2", "0")),
    ),
    "executed-missing": (  # not a 0 % execution rate: nothing said yet
        form(total=("72", "52", None)),
        form(total=("72", "52", "0")),
    ),
    "year-missing": (
        form().model_copy(update={"year": None}),
        form(),
    ),
    "score-negative": (  # the cell refuses these; a file written by hand or a document may not
        with_effect(ind("≥1", "1", "50", "-5", reason="未开展", name="甲")),
        with_effect(ind("≥1", "1", "50", "0", reason="未开展", name="甲")),
    ),
    "weights-total": (
        form((ind("≥1", "1", "50", "50", name="甲"), ind("提高", "提高", "30", "30", level1="效益指标"))),
        form(),
    ),
    "score-over-weight": (
        with_effect(ind("≥1", "1", "50", "55", name="甲")),
        form(),
    ),
    "score-missing": (
        with_effect(ind("≥1", "1", "50", None, name="甲")),
        with_effect(ind("≥1", "1", "50", "0", reason="未开展", name="甲")),
    ),
    "score-invalid": (
        with_effect(ind("≥1", "1", "50", "满分", name="甲")),
        form(),
    ),
    "score-vs-rule": (
        with_effect(ind("≤4天", "5天", "50", "50", name="甲")),
        with_effect(ind("≤4天", "5天", "50", "37.5", reason="超期", name="甲")),
    ),
    "reason-missing": (
        with_effect(ind("≥1", "1", "50", "45", name="甲")),
        with_effect(ind("≥1", "1", "50", "45", reason="原因", name="甲")),
    ),
    "target-missing": (
        with_effect(ind("", "1", "50", "50", name="甲")),
        form(),
    ),
    "actual-missing": (
        with_effect(ind("≥1", "", "50", "50", name="甲")),
        form(),
    ),
    "budget-sublines": (
        form(total=("19.62", "19.62", "1.39"), sublines={"initial": "19.62", "full_year": "19.62", "executed": "0.55"}),
        form(total=("0", "19.57", "19.57"), sublines={"full_year": "19.57", "executed": "19.57"}),
    ),
    "executed-over-budget": (
        form(total=("10", "10", "12")),
        form(total=("10", "10", "10")),
    ),
    "reported-total": (
        form(reported="97.2"),
        form(reported="97.224"),
    ),
    "level-weights": (
        form((ind("≥1", "1", "60", "60", name="甲"), ind("提高", "提高", "20", "20", level1="效益指标"),
              ind("≥1", "1", "10", "10", level1="满意度指标(10分)"))),
        form((ind("≥1", "1", "50", "50", name="甲", level1="产出指标(50分)"), ind("提高", "提高", "30", "30", level1="效益"),
              ind("≥1", "1", "10", "10", level1="满意度指标"))),
    ),
}


@pytest.mark.parametrize("code", sorted(PROBLEM_CASES))
def test_each_problem_fires_and_does_not(code):
    fires, quiet = PROBLEM_CASES[code]
    assert code in {c for c, _ in codes(fires)}
    assert code not in {c for c, _ in codes(quiet)}


def test_problems_name_their_indicator_and_carry_severity():
    result = assess(PROBLEM_CASES["score-over-weight"][0])
    problem = next(p for p in result.problems if p.code == "score-over-weight")
    assert problem.severity == "error" and problem.indicator == "甲" and "甲" in problem.message
    assert problem.row == 0 and problem.field == "score"


def test_every_code_has_its_documented_severity():
    from evaltui.rules import SEVERITIES

    assert {c for c, s in SEVERITIES.items() if s == "error"} == {
        "budget-missing", "weights-total", "score-over-weight", "score-missing", "score-invalid", "amount-negative",
        "score-negative", "executed-missing"}
    assert SEVERITIES["year-missing"] == "warning"
    assert SEVERITIES["level-weights"] == "info"
    assert set(SEVERITIES) == set(PROBLEM_CASES)


# ---------------------------------------------------------------- regional rules (docs/variants.md)

RATIO = Rules(lower="ratio", source="evaltui.toml")
TWENTY = Rules(execution_weight=D(20), source="evaltui.toml")
BANDS_50 = Rules(qualitative=(D(80), D(50)), source="evaltui.toml")
GRADES = Rules(grades=(D(85), D(75), D(50)), source="evaltui.toml")


@pytest.mark.parametrize(
    "rules, target, actual, weight, expected, rule",
    [
        # variants.md's example: A = 4 days, B = 5 days, w = 10 → national 7.5, ratio 8
        (NATIONAL, "≤4天", "5天", "10", "7.5", "10 × (1 − (5 − 4) ÷ 4) = 7.5"),
        (RATIO, "≤4天", "5天", "10", "8", "10 × 4 ÷ 5 = 8"),
        # met: full marks by either rule
        (NATIONAL, "≤4天", "3天", "10", "10", "3天 ≤ 4天，满分 10"),
        (RATIO, "≤4天", "4天", "10", "10", "4天 ≤ 4天，满分 10"),
        # from twice the target: national 0, ratio still a share
        (NATIONAL, "≤4天", "8天", "10", "0", "8天 ≥ 2 × 4天，得 0"),
        (RATIO, "≤4天", "8天", "10", "5", "10 × 4 ÷ 8 = 5"),
        # rounding half up in both
        (NATIONAL, "≤3天", "4天", "10", "6.67", "10 × (1 − (4 − 3) ÷ 3) = 6.67"),
        (RATIO, "≤3天", "4天", "10", "7.5", "10 × 3 ÷ 4 = 7.5"),
        (RATIO, "≤2", "3", "10", "6.67", "10 × 2 ÷ 3 = 6.67"),
        # the other directions do not depend on the setting
        (RATIO, "≥200次", "100次", "10", "5", "10 × 100 ÷ 200 = 5"),
        (RATIO, "=0起", "2起", "10", "0", "目标为 0，实际 2起 > 0，得 0"),
        (TWENTY, "≤4天", "5天", "10", "7.5", "10 × (1 − (5 − 4) ÷ 4) = 7.5"),
    ],
)
def test_lower_setting_and_its_national_default(rules, target, actual, weight, expected, rule):
    found = reckon(ind(target, actual, weight), rules)
    assert found.score == D(expected)
    assert found.rule == rule


@pytest.mark.parametrize(
    "rules, total, expected_rate, expected_score, rule",
    [
        (NATIONAL, ("72", "52", "37.52"), "72.15", "7.22", "执行率 72.15% × 10 = 7.22"),
        (TWENTY, ("72", "52", "37.52"), "72.15", "14.43", "执行率 72.15% × 20 = 14.43"),
        (NATIONAL, ("10", "10", "12"), "120.00", "10.00", "执行率 120% 超过 100%，按 100% 计：10 × 100% = 10"),
        (TWENTY, ("10", "10", "12"), "120.00", "20.00", "执行率 120% 超过 100%，按 100% 计：20 × 100% = 20"),
        (TWENTY, ("10", None, "5"), None, "0", "全年预算数为空或为 0，无执行率，得 0"),
        # the shown rate (72.15) is too coarse to give the score of 72.145 % (7.21): the amounts are shown
        (NATIONAL, ("100", "100", "72.145"), "72.15", "7.21", "执行率 72.145 ÷ 100 × 10 = 7.21"),
    ],
)
def test_execution_weight_setting_and_its_national_default(rules, total, expected_rate, expected_score, rule):
    result = assess(form(total=total), rules)
    assert result.execution_rate == (None if expected_rate is None else D(expected_rate))
    assert result.execution_score == D(expected_score)
    assert result.execution_rule == rule
    assert execution(form(total=total), rules) == (result.execution_rate, result.execution_score)


def twenty_form(indicators=None) -> Evaluation:
    """A form for execution_weight = 20: indicators carry 80 (产出 40, 效益 30, 满意度 10)."""
    return form(indicators or (
        ind("≥1", "1", "40", "40", name="产出"),
        ind("提高", "提高", "30", "30", level1="效益指标", name="效益"),
        ind("≥95%", "96%", "10", "10", level1="满意度指标", name="满意"),
    ))


def test_execution_weight_20_expects_indicators_to_carry_80():
    twenty = assess(twenty_form(), TWENTY)
    assert twenty.execution_score == D("14.43")
    assert twenty.weight_total == D(100)
    assert twenty.total == D("94.43")
    assert "weights-total" not in {p.code for p in twenty.problems}
    # the same form by the national rules misses 10 points of weight …
    national = assess(twenty_form(), NATIONAL)
    assert national.weight_total == D(90)
    assert "weights-total" in {p.code for p in national.problems}
    # … and a national form under execution_weight = 20 has 10 too many
    over = assess(form(), TWENTY)
    assert over.weight_total == D(110)
    problem = next(p for p in over.problems if p.code == "weights-total")
    assert "20 分" in problem.message and "110" in problem.message


def test_level_split_is_compared_only_with_the_national_execution_weight():
    assert "level-weights" in {p.code for p in assess(twenty_form(), NATIONAL).problems}
    assert "level-weights" not in {p.code for p in assess(twenty_form(), TWENTY).problems}


@pytest.mark.parametrize(
    "rules, score, band",
    [
        (NATIONAL, "8", "达成"),
        (NATIONAL, "7.99", "部分达成"),
        (NATIONAL, "6", "部分达成"),
        (NATIONAL, "5.5", "未达成"),
        (BANDS_50, "5.5", "部分达成"),
        (BANDS_50, "5", "部分达成"),
        (BANDS_50, "4.99", "未达成"),
    ],
)
def test_qualitative_bands_setting_and_its_national_default(rules, score, band):
    found = reckon(ind("提高", "提高", "10", score), rules)
    assert found.score is None
    low = "6" if rules is NATIONAL else "5"
    assert found.rule == f"定性指标，由评价人按档次打分：达成 8–10，部分达成 {low}–8，未达成 0–{low}；得分 {score} 属{band}"


@pytest.mark.parametrize(
    "rules, totals",
    [
        (NATIONAL, {"90": "优", "89.99": "良", "85": "良", "80": "良", "79.99": "中", "60": "中", "59.99": "差"}),
        (GRADES, {"90": "优", "85": "优", "84.99": "良", "75": "良", "74.99": "中", "50": "中", "49.99": "差"}),
    ],
)
def test_grades_setting_and_its_national_default(rules, totals):
    assert {t: grade(D(t), rules) for t in totals} == totals


def test_a_ratio_region_raises_no_score_vs_rule_on_its_own_scores():
    scored_by_ratio = with_effect(ind("≤4天", "5天", "50", "40", reason="超期一天", name="甲"))
    assert ("score-vs-rule", "甲") not in {(p.code, p.indicator) for p in assess(scored_by_ratio, RATIO).problems}
    assert ("score-vs-rule", "甲") in {(p.code, p.indicator) for p in assess(scored_by_ratio, NATIONAL).problems}
    scored_nationally = with_effect(ind("≤4天", "5天", "50", "37.5", reason="超期一天", name="甲"))
    assert ("score-vs-rule", "甲") in {(p.code, p.indicator) for p in assess(scored_nationally, RATIO).problems}


@pytest.mark.parametrize(
    "target, actual, weight, rule",
    [
        ("≥1次", "大于1次，10次内", "10", "无法比较：实际完成值含两个数"),
        ("≥25篇", "10次会议新闻类信息更新、8次文件报告类信息更新、3次", "10", "无法比较：实际完成值含 3 个数"),
        ("=1000元", "按标准发放", "10", "无法比较：实际完成值不含数字"),
        ("1-2工作日", "2工作日", "10", "无法比较：年度指标值含两个数"),
        ("", "95%", "10", "无法比较：未填写年度指标值"),
        ("≥95%", "", "10", "无法比较：未填写实际完成值"),
        ("≥5天", "40小时", "10", "无法比较：年度指标值的单位“天”与实际完成值的单位“小时”不同"),
        ("≥95%", "90%", "满分", "无法计算：分值“满分”不是数字"),
        ("≥95%", "90%", None, None),  # a sub-row without weight: nothing to score, nothing to say
        ("≥10", "-5", "10", "实际完成值 -5 按 0 计；10 × 0 ÷ 10 = 0"),
        ("≦120人", "72人", "10", "72人 ≤ 120人，满分 10"),
        ("≤31万元", "275000元", "10", "275000 ≤ 310000，满分 10"),
        ("≥９５％", "９０％", "１０", "10 × 90 ÷ 95 = 9.47"),
    ],
)
def test_every_suggestion_or_its_absence_is_explained(target, actual, weight, rule):
    found = reckon(ind(target, actual, weight))
    assert found.rule == rule
    assert found.score == suggest(ind(target, actual, weight))


def test_explicit_ratio_direction_is_explained():
    assert reckon(ind("≦120人", "72人", "10", direction="ratio")).rule == "10 × 72 ÷ 120 = 6"
    assert reckon(ind("≦120人", "200人", "10", direction="ratio")).rule == "200人 ≥ 120人，满分 10"


def test_the_assessment_carries_one_explanation_per_indicator():
    result = assess(form())
    assert result.explanations == (
        "1 ≥ 1，满分 50",
        "定性指标，由评价人按档次打分：达成 24–30，部分达成 18–24，未达成 0–18；得分 30 属达成",
        "96% ≥ 95%，满分 10",
    )
    assert result.total_rule == "7.22 + 90 = 97.22"
    assert result.rules is NATIONAL


# ---------------------------------------------------------------- 不适用

def na(indicator: Indicator) -> Indicator:
    return indicator.model_copy(update={"applicable": False})


def four(marks=(True, True, True, True), scores=("40", "10", "30", "10"), total=("72", "52", "37.52")) -> Evaluation:
    """产出 40 + 10 (成本), 效益 30, 满意度 10, with the given 不适用 marks (False = not applicable)."""
    rows = (
        ind("≥1", "1", "40", scores[0], name="数量", reason="r"),
        ind("≤10万元", "9万元", "10", scores[1], name="成本", reason="r"),
        ind("提高", "提高", "30", scores[2], level1="效益指标", name="效益", reason="r"),
        ind("≥95%", "96%", "10", scores[3], level1="满意度指标", name="满意", reason="r"),
    )
    return form(tuple(r if keep else na(r) for r, keep in zip(rows, marks)), total=total)


@pytest.mark.parametrize(
    "marks, scores, total, expected, rule",
    [
        # none marked: the national total
        ((True,) * 4, ("40", "10", "30", "10"), ("72", "52", "37.52"), "97.22", "7.22 + 90 = 97.22"),
        # 成本 (10) not applicable: (7.22 + 80) × 100 ÷ 90 = 96.911… → 96.91
        ((True, False, True, True), ("40", "10", "30", "10"), ("72", "52", "37.52"), "96.91",
         "(7.22 + 80) × 100 ÷ (100 − 10) = 96.91"),
        # its score, whatever it is, leaves the sum
        ((True, False, True, True), ("40", "0", "30", "10"), ("72", "52", "37.52"), "96.91",
         "(7.22 + 80) × 100 ÷ (100 − 10) = 96.91"),
        # half up: (10 + 62.132) × 100 ÷ 80 = 90.165 exactly → 90.17 (half even would give 90.16)
        ((True, False, True, False), ("32.132", "10", "30", "10"), ("10", "10", "10"), "90.17",
         "(10 + 62.132) × 100 ÷ (100 − 20) = 90.17"),
        # all marked: only the execution score is left, rescaled to 100 (no division by zero)
        ((False,) * 4, ("40", "10", "30", "10"), ("72", "52", "37.52"), "72.2", "(7.22 + 0) × 100 ÷ (100 − 90) = 72.2"),
    ],
)
def test_not_applicable_rescales_the_total(marks, scores, total, expected, rule):
    result = assess(four(marks, scores, total))
    assert result.total == D(expected)
    assert result.total_rule == rule
    assert result.grade == grade(D(expected))


def test_the_half_up_case_really_is_a_tie():
    assert (D(10) + D("32.132") + D("30")) * 100 / D(80) == D("90.165")
    assert D("90.165").quantize(D("0.01")) == D("90.16")  # what rounding half even would show


def test_not_applicable_keeps_the_row_and_its_weight_but_leaves_the_sums():
    result = assess(four((True, False, True, True)))
    assert result.weight_total == D(90)  # applicable indicators + the execution rate's 10
    assert not {p.code for p in result.problems} & {"weights-total", "level-weights"}
    assert result.suggestions[1] is None
    assert result.explanations[1] == "不适用：不计入总分，其余指标按百分制折算"


@pytest.mark.parametrize(
    "marks, weights, fires",
    [
        ((True, False, True, True), ("40", "10", "30", "10"), False),  # 90 applicable of 100 − 10
        ((True, False, True, True), ("40", "10", "20", "10"), True),  # 80 applicable of 100 − 10
        ((True, False, True, True), ("50", "10", "30", "10"), True),  # 100 applicable of 100 − 10
        ((False,) * 4, ("40", "10", "30", "10"), False),  # 10 (the rate) of 100 − 90
        ((False,) * 4, ("50", "20", "30", "10"), True),  # nothing left to rescale to: 100 − 110
    ],
)
def test_weights_total_checks_the_applicable_weights(marks, weights, fires):
    rows = four(marks).indicators
    ev = form(tuple(r.model_copy(update={"weight": D(w), "score": D(w)}) for r, w in zip(rows, weights)))
    result = assess(ev)
    assert ("weights-total" in {p.code for p in result.problems}) is fires
    if fires and not all(marks):
        message = next(p.message for p in result.problems if p.code == "weights-total")
        assert message.startswith("适用指标分值合计") and "不适用" in message


def test_all_not_applicable_with_weights_of_100_or_more_does_not_divide_by_zero():
    rows = four((False,) * 4).indicators
    ev = form(tuple(r.model_copy(update={"weight": D(w)}) for r, w in zip(rows, ("50", "20", "20", "10"))))
    result = assess(ev)  # 100 − 100 = 0: nothing to rescale to
    assert result.total == D("7.22")
    assert result.total_rule == "7.22 + 0 = 7.22"
    assert "weights-total" in {p.code for p in result.problems}


def test_a_not_applicable_row_raises_no_score_problems():
    blank = na(ind("≤4天", "", "10", None, name="甲"))
    ev = form((ind("≥1", "1", "40", "40"), blank, ind("提高", "提高", "30", "30", level1="效益指标"),
               ind("≥95%", "96%", "10", "10", level1="满意度指标")))
    assert {c for c, i in codes(ev) if i == "甲"} == set()
    invalid = form((na(ind("≥1", "1", "四十", "x", name="乙")),))
    assert {c for c, i in codes(invalid) if i == "乙"} == {"score-invalid"}


def test_rescaled_total_under_execution_weight_20():
    rows = twenty_form().indicators
    ev = form((rows[0], na(rows[1]), rows[2]))  # 效益 30 out: (14.43 + 50) × 100 ÷ 70
    result = assess(ev, TWENTY)
    assert result.weight_total == D(70)
    assert result.total == D("92.04")
    assert "weights-total" not in {p.code for p in result.problems}


def test_u_marks_an_indicator_not_applicable_and_back_and_the_change_is_named():
    from evaltui import store
    from evaltui.changes import changes
    from evaltui.edits import toggle_applicable

    ev = four()
    marked = toggle_applicable(ev, 1)
    assert [i.applicable for i in marked.indicators] == [True, False, True, True]
    assert assess(marked).total == D("96.91")
    assert changes(ev, marked) == ["指标 2「成本」标记为不适用"]
    assert store.loads(store.dumps(marked)) == marked  # kept in the file (schema 2)
    assert "applicable = false" in store.dumps(marked)
    back = toggle_applicable(marked, 1)
    assert back == ev
    assert changes(marked, back) == ["指标 2「成本」恢复为适用"]


def test_a_negative_amount_is_an_error_pointing_at_its_cell():
    result = assess(form(total=("5.2", "5.2", "-0.5")))
    (problem,) = [p for p in result.problems if p.code == "amount-negative"]
    assert problem.severity == "error" and problem.field == "budget.total.executed"
    assert "全年执行数" in problem.message and "-0.5" in problem.message


def test_a_blank_executed_amount_is_an_error_at_its_cell_and_no_rate():
    """A blank 全年执行数 was taken as 0 % spent, with no problem of its own (new-user pass)."""
    result = assess(form(total=("72", "52", None)))
    (problem,) = [p for p in result.problems if p.code == "executed-missing"]
    assert problem.severity == "error" and problem.field == "budget.total.executed"
    assert "未填写" in problem.message and "全年执行数" in problem.message
    assert result.execution_rate is None and result.execution_score == D(0)
    assert "无执行率" in result.execution_rule
    assert result.total == D(90)  # the 10 points are not earned until it is filled


def test_a_blank_year_is_a_warning_at_the_year():
    result = assess(form().model_copy(update={"year": None}))
    (problem,) = [p for p in result.problems if p.code == "year-missing"]
    assert problem.severity == "warning" and problem.field == "year" and problem.message == "未填写年度"
    assert result.total == assess(form()).total  # the year scores nothing


def test_a_negative_weight_or_score_from_a_file_is_an_error_at_its_cell():
    from evaltui import store

    ev = store.loads(
        'name = "x"\nyear = 2024\n[[indicators]]\nname = "甲"\ntarget = "≥1"\nactual = "1"\n'
        'weight = -5\nscore = -2\nreason = "r"\n'
    )
    found = {(p.field, p.severity) for p in assess(ev).problems if p.code == "score-negative"}
    assert found == {("weight", "error"), ("score", "error")}
    messages = [p.message for p in assess(ev).problems if p.code == "score-negative"]
    assert messages == ["「甲」分值 -5 为负数：分值不能为负", "「甲」得分 -2 为负数：得分不能为负"]
