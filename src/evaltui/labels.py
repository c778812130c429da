"""The form's labels and categories: plain constants, cheap to import (no pydantic)."""

from __future__ import annotations

from typing import Literal, get_args

BUDGET_LINES: tuple[tuple[str, str], ...] = (
    ("total", "年度资金总额"),
    ("appropriation", "其中：当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
AMOUNT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("initial", "年初预算数"),
    ("full_year", "全年预算数"),
    ("executed", "全年执行数"),
)
HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "项目名称"),
    ("department", "主管部门"),
    ("implementer", "实施单位"),
    ("leader", "项目负责人"),
    ("phone", "联系电话"),
)
STANDARD_CATEGORIES: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
# Second levels written differently from the standard but meaning the same category.
LEVEL2_ALIASES: tuple[str, ...] = ("经济成本指标",)
LEVEL2_NAMES: tuple[str, ...] = (*(n for names in STANDARD_CATEGORIES.values() for n in names), *LEVEL2_ALIASES)

GOAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("expected", "预期目标"),
    ("actual", "实际完成情况"),
)
INDICATOR_FIELDS: tuple[tuple[str, str], ...] = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
    ("target", "年度指标值"),
    ("actual", "实际完成值"),
    ("weight", "分值"),
    ("score", "得分"),
    ("reason", "偏差原因分析及改进措施"),
)

NOT_APPLICABLE = "不适用"  # an indicator's 得分 cell when it is marked not applicable

Direction = Literal["higher", "equal", "lower", "ratio", "qualitative"]
DIRECTIONS: tuple[str, ...] = get_args(Direction)
