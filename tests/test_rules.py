"""The scoring rules of docs/domain.md, table by table."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from evaltui.model import Amounts, Budget, Evaluation, Indicator
from evaltui.numbers import round2
from evaltui.rules import assess, execution, grade, suggest


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
        "budget-missing", "weights-total", "score-over-weight", "score-missing", "score-invalid"}
    assert SEVERITIES["level-weights"] == "info"
    assert set(SEVERITIES) == set(PROBLEM_CASES)
