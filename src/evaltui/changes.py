"""What differs between two versions of an evaluation, said field by field in Chinese."""

from __future__ import annotations

from decimal import Decimal

from evaltui.labels import AMOUNT_COLUMNS, BUDGET_LINES, GOAL_FIELDS, HEADER_FIELDS, INDICATOR_FIELDS
from evaltui.model import Evaluation, Indicator
from evaltui.numbers import plain

INDICATOR_LABELS = (*INDICATOR_FIELDS, ("direction", "方向"))


def _show(value: object, limit: int = 30) -> str:
    if value is None or value == "":
        return "（空）"
    text = plain(value) if isinstance(value, Decimal) else str(value)
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changes(old: Evaluation, new: Evaluation, limit: int = 50) -> list[str]:
    """One line per changed field: ``得分 · 考察人数：6 → 10``."""
    lines: list[str] = []
    for field, label in (*HEADER_FIELDS, ("year", "年度"), ("reported_total", "表中总分")):
        if getattr(old, field) != getattr(new, field):
            lines.append(f"{label}：{_show(getattr(old, field))} → {_show(getattr(new, field))}")
    for line, line_label in BUDGET_LINES:
        for column, column_label in AMOUNT_COLUMNS:
            a = getattr(getattr(old.budget, line), column)
            b = getattr(getattr(new.budget, line), column)
            if a != b:
                lines.append(f"{line_label}·{column_label}：{_show(a)} → {_show(b)}")
    for field, label in GOAL_FIELDS:
        if getattr(old.goals, field) != getattr(new.goals, field):
            lines.append(f"{label}：{_show(getattr(old.goals, field))} → {_show(getattr(new.goals, field))}")
    lines.extend(_extra_changes(old, new))
    lines.extend(_indicator_changes(old.indicators, new.indicators))
    if len(lines) > limit:
        lines = lines[:limit] + [f"……另有 {len(lines) - limit} 处"]
    return lines


def _extra_changes(old: Evaluation, new: Evaluation) -> list[str]:
    """Budget lines beyond the national four and the form's other texts (评价结论 …)."""
    lines = []
    for i in range(max(len(old.budget_extra), len(new.budget_extra))):
        a = old.budget_extra[i] if i < len(old.budget_extra) else None
        b = new.budget_extra[i] if i < len(new.budget_extra) else None
        if a == b:
            continue
        if a is None or b is None:
            lines.append(f"{'新增' if a is None else '删除'}资金行：{_show((b or a).label)}")
            continue
        if a.label != b.label:
            lines.append(f"资金行名称：{_show(a.label)} → {_show(b.label)}")
        for column, column_label in AMOUNT_COLUMNS:
            if getattr(a, column) != getattr(b, column):
                lines.append(f"{b.label}·{column_label}：{_show(getattr(a, column))} → {_show(getattr(b, column))}")
    for i in range(max(len(old.notes), len(new.notes))):
        a = old.notes[i] if i < len(old.notes) else None
        b = new.notes[i] if i < len(new.notes) else None
        if a != b:
            label = (b or a).label
            lines.append(f"{label}：{_show(a.text if a else None)} → {_show(b.text if b else None)}")
    return lines


def _indicator_changes(old: tuple[Indicator, ...], new: tuple[Indicator, ...]) -> list[str]:
    lines = []
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else None
        b = new[i] if i < len(new) else None
        if a == b:
            continue
        if a is None:
            lines.append(f"新增指标 {i + 1}：{_show(b.name)}")
        elif b is None:
            lines.append(f"删除指标 {i + 1}：{_show(a.name)}")
        else:
            for field, label in INDICATOR_LABELS:
                if getattr(a, field) != getattr(b, field):
                    lines.append(f"指标 {i + 1}「{_show(b.name, 16)}」{label}：{_show(getattr(a, field))} → {_show(getattr(b, field))}")
            if a.applicable != b.applicable:
                mark = "标记为不适用" if not b.applicable else "恢复为适用"
                lines.append(f"指标 {i + 1}「{_show(b.name, 16)}」{mark}")
    return lines
