"""What ``evaltui check`` says about evaluations: the documented JSON and the human table."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal

from evaltui.model import Evaluation
from evaltui.numbers import plain
from evaltui.rules import ERROR, INFO, WARNING, Assessment

_AMOUNT_KEYS = ("initial", "full_year", "executed")
_LINE_KEYS = ("total", "appropriation", "carryover", "other")


def evaluation_json(file: str, ev: Evaluation, result: Assessment) -> dict:
    """One entry of ``evaluations`` in ``check --json`` (docs/interfaces.md)."""
    budget = {
        line: {key: getattr(getattr(ev.budget, line), key) for key in _AMOUNT_KEYS}
        for line in _LINE_KEYS
    }
    indicators = [
        {
            "level1": ind.level1,
            "level2": ind.level2,
            "name": ind.name,
            "target": ind.target,
            "actual": ind.actual,
            "weight": ind.weight,
            "score": ind.score,
            "reason": ind.reason,
            "suggested": suggestion,
        }
        for ind, suggestion in zip(ev.indicators, result.suggestions)
    ]
    problems = [
        {"code": p.code, "severity": p.severity, "indicator": p.indicator, "message": p.message}
        for p in result.problems
    ]
    return {
        "file": file,
        "name": ev.name,
        "year": ev.year,
        "department": ev.department,
        "implementer": ev.implementer,
        "leader": ev.leader,
        "phone": ev.phone,
        "budget": budget,
        "goals": {"expected": ev.goals.expected, "actual": ev.goals.actual},
        "execution_rate": result.execution_rate,
        "execution_score": result.execution_score,
        "indicator_count": len(ev.indicators),
        "weight_total": result.weight_total,
        "reported_total": ev.reported_total,
        "total": result.total,
        "grade": result.grade,
        "indicators": indicators,
        "problems": problems,
    }


def to_json(value: object, indent: int = 2, _level: int = 0) -> str:
    """JSON text in which every Decimal is written exactly as a JSON number (37.52, not 37.519999…)."""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad, inner = " " * (indent * _level), " " * (indent * (_level + 1))
        items = (f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {to_json(v, indent, _level + 1)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        pad, inner = " " * (indent * _level), " " * (indent * (_level + 1))
        return "[\n" + ",\n".join(inner + to_json(v, indent, _level + 1) for v in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------- human output

def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _show(value: Decimal | None) -> str:
    return "—" if value is None else plain(value)


def table(rows: list[tuple[str, Evaluation, Assessment]]) -> str:
    """名称 · 年度 · 总分 · 等级 · 错误 · 警告, one line per evaluation, Chinese text aligned."""
    header = ("名称", "年度", "总分", "等级", "错误", "警告")
    body = [
        (
            _one_line(ev.name) or "（未命名）",
            str(ev.year) if ev.year is not None else "—",
            _show(result.total),
            result.grade,
            str(result.count(ERROR)),
            str(result.count(WARNING)),
        )
        for _, ev, result in rows
    ]
    widths = [max(display_width(r[i]) for r in [header, *body]) for i in range(len(header))]
    right = (False, False, True, False, True, True)
    lines = ["  ".join(_cell(h, w, r) for h, w, r in zip(header, widths, right)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_cell(c, w, r) for c, w, r in zip(row, widths, right)).rstrip() for row in body]
    return "\n".join(lines)


_SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


def problem_lines(file: str, ev: Evaluation, result: Assessment) -> list[str]:
    """``file: 错误 score-over-weight 「考察人数」得分 12 超过分值 10`` for each problem."""
    return [
        f"{file}: {_SEVERITY_LABEL[p.severity]} {p.code} {_one_line(p.message)}"
        for p in result.problems
    ]
