"""What ``evaltui check`` says about evaluations: the documented JSON and the human table."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal

from evaltui.files import clashing, told_apart
from evaltui.labels import AMOUNT_COLUMNS, BUDGET_LINES
from evaltui.model import Evaluation
from evaltui.numbers import fixed2, plain
from evaltui.rules import ERROR, INFO, WARNING, Assessment, Rules
from evaltui.visible import escape_json, visible

_MARK = "\u0001evaltui-number\u0001"  # no text from a form is exactly this
_MARKED = re.compile(r'"\\u0001evaltui-number\\u0001([-0-9.]+)\\u0001evaltui-number\\u0001"')


def _num(value: Decimal | str | None) -> int | float | str | None:
    """A Decimal as a JSON number that prints exactly as the Decimal reads (37.52, never 37.519999)."""
    if not isinstance(value, Decimal):
        return value
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    text = plain(value)
    return as_float if repr(as_float) == text else f"{_MARK}{text}{_MARK}"  # unwrapped by dumps()


def evaluation_json(file: str, ev: Evaluation, result: Assessment) -> dict:
    """One entry of ``evaluations`` in ``check --json`` (docs/interfaces.md)."""
    budget = {
        line: {column: _num(getattr(getattr(ev.budget, line), column)) for column, _ in AMOUNT_COLUMNS}
        for line, _ in BUDGET_LINES
    }
    indicators = [
        {
            "level1": ind.level1,
            "level2": ind.level2,
            "name": ind.name,
            "target": ind.target,
            "actual": ind.actual,
            "weight": _num(ind.weight),
            "score": _num(ind.score),
            "reason": ind.reason,
            "suggested": _num(suggestion),
            "applicable": ind.applicable,
            "rule": rule,
        }
        for ind, suggestion, rule in zip(ev.indicators, result.suggestions, _rules_text(result))
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
        "budget_extra": [
            {"label": line.label, **{column: _num(getattr(line, column)) for column, _ in AMOUNT_COLUMNS}}
            for line in ev.budget_extra
        ],
        "goals": {"expected": ev.goals.expected, "actual": ev.goals.actual},
        "notes": [{"label": note.label, "text": note.text} for note in ev.notes],
        "execution_rate": _num(result.execution_rate),
        "execution_score": _num(result.execution_score),
        "indicator_count": len(ev.indicators),
        "weight_total": _num(result.weight_total),
        "reported_total": _num(ev.reported_total),
        "total": _num(result.total),
        "grade": result.grade,
        "rules": rules_json(result.rules),
        "indicators": indicators,
        "problems": problems,
    }


def _rules_text(result: Assessment) -> tuple[str | None, ...]:
    return result.explanations or (None,) * len(result.suggestions)


def rules_json(rules: Rules) -> dict:
    """The settings that scored an evaluation, as ``evaltui.toml`` spells them, and their source."""
    return {
        key: [_num(v) for v in value] if isinstance(value, list) else _num(value)
        for key, value in rules.settings().items()
    } | {"source": rules.source}


def dumps(value: object) -> str:
    text = escape_json(json.dumps(value, ensure_ascii=False))
    return _MARKED.sub(r"\1", text) if "evaltui-number" in text else text


def report_json(evaluations: list[str], errors: list[dict]) -> str:
    """The ``check --json`` object from evaluations already dumped, one per line (easy to grep)."""
    items = ",\n".join(evaluations)
    return (
        '{"evaluations": [' + ("\n" + items + "\n" if items else "") + '],\n'
        + '"errors": ' + dumps(errors) + "}"
    )


# ---------------------------------------------------------------- human output

_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


def display_width(text: str) -> int:
    """Terminal columns of a text: Chinese characters take two."""
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


def _cell(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def _one_line(text: str) -> str:
    """One line, safe to print: runs of white space become one space, controls are made visible."""
    return visible(" ".join(text.split()))


def _show(value: Decimal | None) -> str:
    """A score as the table shows it: two decimals (100 → 100.00, beside 47.71)."""
    return fixed2(value, blank="—")


TABLE_HEADER = ("名称", "年度", "总分", "等级", "错误", "警告")
_RIGHT = (False, False, True, False, True, True)


def table_row(ev: Evaluation, result: Assessment) -> tuple[str, ...]:
    return (
        _one_line(ev.name) or "（未命名）",
        str(ev.year) if ev.year is not None else "—",
        _show(result.total),
        visible(result.grade),
        str(result.count(ERROR)),
        str(result.count(WARNING)),
    )


def told_apart_rows(rows: list[tuple[str, ...]], files: list[str]) -> list[tuple[str, ...]]:
    """The rows of :func:`table`, where evaluations of one name show their file in 名称."""
    clashes = clashing(row[0] for row in rows)
    return [(told_apart(row[0], visible(file)), *row[1:]) if row[0] in clashes else row
            for row, file in zip(rows, files)]


NARROWEST_NAME = 12  # columns the 名称 column keeps however narrow the terminal


def cut(text: str, width: int, *, keep_end: bool = False) -> str:
    """``text`` in at most ``width`` terminal columns, ending in ``…`` where it is cut; with
    ``keep_end`` the middle goes instead, so a file name at the end (``（a.toml）``) stays."""
    if display_width(text) <= width:
        return text
    room = width - 1
    if keep_end:
        head = _fitting(text, max(1, room // 4))
        tail = _fitting(reversed(text), room - display_width(head))
        return head + "…" + tail[::-1]
    return _fitting(text, room) + "…"


def _fitting(chars: Iterable[str], room: int) -> str:
    """The characters from the start of ``chars`` that fit in ``room`` columns."""
    kept, used = [], 0
    for char in chars:
        if used + display_width(char) > room:
            break
        kept.append(char)
        used += display_width(char)
    return "".join(kept)


def table(rows: list[tuple[str, ...]], width: int | None = None, keep_end: frozenset[int] = frozenset()) -> str:
    """名称 · 年度 · 总分 · 等级 · 错误 · 警告, one line per evaluation, Chinese text aligned.

    ``width``: the terminal's columns; a 名称 too long for them is cut with ``…`` (rows in
    ``keep_end`` lose the middle of the name, keeping the file that tells them apart), so no
    line wraps. None: every name whole (output to a file or a pipe).
    """
    widths = [max(display_width(r[i]) for r in [TABLE_HEADER, *rows]) for i in range(len(TABLE_HEADER))]
    if width is not None:
        over = sum(widths) + 2 * (len(widths) - 1) - width
        if over > 0 and widths[0] > NARROWEST_NAME:
            widths[0] = max(NARROWEST_NAME, widths[0] - over)
            rows = [(cut(row[0], widths[0], keep_end=i in keep_end), *row[1:]) for i, row in enumerate(rows)]
    lines = ["  ".join(_cell(h, w, r) for h, w, r in zip(TABLE_HEADER, widths, _RIGHT)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_cell(c, w, r) for c, w, r in zip(row, widths, _RIGHT)).rstrip() for row in rows]
    return "\n".join(lines)


_SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


def problem_lines(file: str, ev: Evaluation, result: Assessment) -> list[str]:
    """``file: 错误 score-over-weight 「考察人数」得分 12 超过分值 10`` for each problem."""
    return [
        f"{visible(file)}: {_SEVERITY_LABEL[p.severity]} {p.code} {_one_line(p.message)}"
        for p in result.problems
    ]
