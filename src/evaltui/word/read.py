"""Word → evaluations: find every 项目支出绩效自评表 in a .docx by its labels.

Parts of a form are found by their labels (项目名称, 年度资金总额, 一级指标, 总分 …), never by
fixed row and column numbers or by province: offices differ (docs/variants.md). A form
starts at a row labelled 项目名称 and runs, across tables if it must, until the next one.

One table-reading model serves every layout: a header row (or two) maps grid columns to
fields by their labels — split targets (指标性质 / 指标值 / 度量单位), 分值 before 年度指标值,
any column order — and each data row is read through that map. What a form holds beyond
the national fields (extra budget lines, 原因, 评价结论, signature lines …) is kept as
``budget_extra`` and ``notes``; a cell that cannot be placed is named in a warning.

The execution rate, its score and the total are never read: the rules compute them. The
total written in the form is kept as ``reported_total``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from evaltui.labels import LEVEL2_NAMES, NOT_APPLICABLE, STANDARD_CATEGORIES
from evaltui.model import Amounts, Budget, BudgetLine, Evaluation, Goals, Indicator, Note
from evaltui.word.safety import UnsafeDocument, check_docx, open_docx
from evaltui.word.xml import Cell, Paragraph, Table, blocks


class ImportError_(Exception):
    """A document that gives no evaluation; the message is one line, in Chinese."""


# ---------------------------------------------------------------- labels

_SPACE = re.compile(r"[\s\u3000]+")
_NOTE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")
_DECOR = re.compile(r"[:：*＊()（）\[\]【】]|\d+(?:\.\d+)?分")


def key(text: str) -> str:
    """A label as compared: NFKC, no white space, colons or notes in brackets (``(50分)``, ``（万元）``)."""
    return _DECOR.sub("", _NOTE.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", text))))


HEADER_LABELS = {
    "项目名称": "name",
    "主管部门": "department",
    "主管单位": "department",
    "实施单位": "implementer",
    "项目负责人": "leader",
    "负责人": "leader",
    "联系电话": "phone",
    "项目负责人及电话": "leader_phone",
    "项目负责人及联系电话": "leader_phone",
    "负责人及电话": "leader_phone",
    "负责人及联系电话": "leader_phone",
}
_AMOUNT_HEADERS = (  # (amount, words that name its column) — offices word them differently
    ("initial", ("年初预算",)),
    ("full_year", ("全年预算", "调整后预算", "全年批复")),
    ("executed", ("全年执行", "执行数", "实际支出", "实际执行")),
)
_BUDGET_BLOCK_WORDS = ("项目资金", "资金情况", "预算执行情况", "资金投入")
_EXPECTED_GOAL = ("预期目标", "年初设定目标", "项目年度目标", "年度目标")
_ACTUAL_GOAL = ("实际完成情况", "实际完成", "年度目标完成情况", "年度总体目标完成情况", "目标完成情况")
_GOAL_LABELS = {"项目年度目标": "expected", "年度目标": "expected", "年度目标完成情况": "actual",
                "年度总体目标完成情况": "actual"}  # 项目基本情况 rows: label | text
_NOTE_LABELS = ("项目实施内容及过程概述", "评价结论", "存在问题", "改进措施", "主要问题", "整改措施",
                "存在的问题", "下一步改进措施", "自评结论", "备注")
_SIGNATURE = re.compile(r"^\s*(?:项目负责人|财务负责人|单位负责人|填表人|填报人|审核人|经办人|填报日期|填表日期)\s*[:：]")
SIGNATURE_LABEL = "落款"
_BLANKS = {"", "—", "——", "–", "-", "－", "/", "／", "无", "…", "……"}
_TEXT_BLANKS = {"/", "／", "\\", "—", "——"}
_PLACEHOLDER = re.compile(r"^(?:指标\s*\d*\s*[:：]?|……+|…+|\.{3,})$")
_TEMPLATE_NAME = re.compile(r"^指标\s*\d+\s*[:：]?\s*(?=\S)")
_INSTRUCTION = re.compile(r"\d+\s*字(?:以内|以下|左右)|^(?:请)?(?:填写|对照|说明|简要说明|根据)[^。]*……")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?\s*度")
_YEAR_LOOSE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_LEADER_PHONE = re.compile(r"^(.*?)[\s,，、;；/／]*((?:电话|手机|联系电话)?[:：]?\s*[\d(（+\-－].*)$")


def _blank(text: str) -> str:
    return "" if text.strip() in _BLANKS else text


def _find_year(texts: list[str]) -> int | None:
    for pattern in (_YEAR, _YEAR_LOOSE):
        for text in reversed(texts):
            match = pattern.search(unicodedata.normalize("NFKC", text))
            if match:
                return int(match.group(1))
    return None


def _header_field(k: str) -> str | None:
    """The indicator field a header label names; ``sign``/``unit`` are placed by position later."""
    if k.startswith("一级指标"):
        return "level1"
    if k.startswith("二级指标"):
        return "level2"
    if k.startswith("三级指标") or k == "指标名称":
        return "name"
    if k in ("指标性质", "指标方向", "符号", "运算符", "计算符号"):
        return "sign"
    if k in ("度量单位", "计量单位", "单位", "指标单位"):
        return "unit"
    if "完成值" in k or k in ("实际完成", "实际值", "全年实际值", "实际完成指标值", "实际完成数"):
        return "actual"
    if "指标值" in k or k in ("年度目标", "目标值", "年度目标值"):
        return "target"
    if k in ("分值", "权重", "指标分值", "权重分值", "分数"):
        return "weight"
    if k in ("得分", "实际得分", "自评得分", "评分"):
        return "score"
    if k.startswith(("偏差原因", "未完成原因")) or "改进措施" in k or "原因分析" in k:
        return "reason"
    return None


_FIELD_ORDER = ("level1", "level2", "name", "target", "actual", "weight", "score", "reason",
                "target_sign", "target_unit", "actual_sign", "actual_unit")
_FIELD_NAMES = {"target": "指标值", "actual": "完成值", "target_sign": "指标性质", "target_unit": "度量单位",
                "actual_sign": "指标性质", "actual_unit": "度量单位"}


def _place_signs_and_units(fields: dict[int, str]) -> dict[int, str]:
    """A sign column belongs to the value column on its right, a unit column to the one on its left."""
    placed: dict[int, str] = {}
    cols = sorted(fields)
    for i, col in enumerate(cols):
        name = fields[col]
        if name == "sign":
            after = next((fields[c] for c in cols[i + 1:] if fields[c] in ("target", "actual")), "target")
            name = f"{after}_sign"
        elif name == "unit":
            before = next((fields[c] for c in reversed(cols[:i]) if fields[c] in ("target", "actual")), "target")
            name = f"{before}_unit"
        placed[col] = name
    return placed


def _instruction(text: str) -> bool:
    """The template's own instruction left in a cell (``对照年度目标，说明……（100字以内）``)."""
    return bool(text) and bool(_INSTRUCTION.search(unicodedata.normalize("NFKC", text)))


# ---------------------------------------------------------------- one form

@dataclass
class FormReport:
    """What the reader recognised in one form beyond the national layout, for the reviewer."""

    name: str
    layout: list[str] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Form:
    """What has been read of one form so far."""

    year_texts: list[str]
    header: dict[str, str] = field(default_factory=dict)
    amount_columns: dict[str, int] = field(default_factory=dict)
    budget_label_end: int = 0
    budget_block: Cell | None = None
    budget_reason_column: int | None = None
    budget_reason_label: str = "原因"
    budget_reasons: list[str] = field(default_factory=list)
    budget: dict[str, dict[str, str]] = field(default_factory=dict)
    extra: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    goal_columns: tuple[int, int] | None = None
    goals: list[tuple[str, str]] = field(default_factory=list)
    labelled_goals: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[int, str] = field(default_factory=dict)  # grid column → indicator field
    header_cells: set[int] = field(default_factory=set)  # ids of the indicator header's cells
    pending_fields: dict[int, str] = field(default_factory=dict)  # a first header row without 一级指标
    indicators: list[dict[str, str]] = field(default_factory=list)
    reported_total: str | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)
    section: str = "header"
    layout: list[str] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    instructions: int = 0
    previous_grid: list[Cell | None] | None = None

    def note(self, label: str, text: str) -> None:
        text = self.clean(text)
        if text:
            self.notes.append((label, text))

    def clean(self, text: str) -> str:
        """``/`` is blank; so is a template instruction left in the cell (counted, to be said)."""
        if text.strip() in _TEXT_BLANKS:
            return ""
        if _instruction(text):
            self.instructions += 1
            return ""
        return text

    def say(self, where: list[str], text: str) -> None:
        if text not in where:
            where.append(text)

    def evaluation(self) -> Evaluation:
        lines = {
            line: Amounts(**{k: _blank(v) for k, v in values.items()})
            for line, values in self.budget.items()
        }
        extra = tuple(
            BudgetLine(label=label, **{k: _blank(v) for k, v in values.items()}) for label, values in self.extra
        )
        expected = "\n".join(e for e, _ in self.goals if e)
        actual = "\n".join(a for _, a in self.goals if a)
        expected = expected or "\n".join(self.labelled_goals.get("expected", []))
        actual = actual or "\n".join(self.labelled_goals.get("actual", []))
        notes = list(self.notes)
        reasons = [r for r in dict.fromkeys(self.budget_reasons) if r]
        if reasons:
            notes.insert(0, (self.budget_reason_label, "\n".join(reasons)))
        indicators, sub_rows = _indicators(self.indicators)
        if sub_rows:
            self.say(self.inferred, f"「其中」子行 {sub_rows} 行：分值、得分合并在★指标上，子行不计分值和得分")
        if self.instructions:
            self.say(self.inferred, f"{self.instructions} 格模板说明文字按空白读取")
        return Evaluation(
            name=self.header.get("name", ""),
            year=_find_year(self.year_texts),
            department=self.header.get("department", ""),
            implementer=self.header.get("implementer", ""),
            leader=self.header.get("leader", ""),
            phone=self.header.get("phone", ""),
            reported_total=_score_text(self.reported_total or ""),
            budget=Budget(**lines),
            budget_extra=extra,
            goals=Goals(expected=expected, actual=actual),
            notes=tuple(Note(label=label, text=text) for label, text in notes),
            indicators=tuple(indicators),
        )

    def report(self, name: str) -> FormReport:
        return FormReport(name, list(self.layout), list(self.inferred), list(self.warnings))


_STANDARD_LEVELS = {key(name): name for name in (*STANDARD_CATEGORIES, *LEVEL2_NAMES)}


def standard_level(label: str) -> str:
    """``数量`` → ``数量指标``, ``产出指标(50分)`` → ``产出指标``; other labels as typed."""
    k = key(label)
    return _STANDARD_LEVELS.get(k) or _STANDARD_LEVELS.get(k + "指标") or label


def _score_text(text: str) -> str:
    """A weight or score cell: blank marks are blank, ``10分`` is 10."""
    text = _blank(text).strip()
    if text.endswith("分") and re.fullmatch(r"[\d.,０-９．，\s]+", text[:-1]):
        return text[:-1].strip()
    return text


def _compose(sign: str, value: str, unit: str) -> str:
    """指标性质 + 指标值 + 度量单位, joined with nothing between (``﹦`` ``72890`` ``元`` → ``﹦72890元``)."""
    value = value.strip()
    if not value:
        return ""
    sign, unit = sign.strip(), unit.strip()
    if key(sign) in ("定性", "定量", "") or value.startswith(sign):
        sign = ""
    if unit in _TEXT_BLANKS or value.endswith(unit):
        unit = ""
    return sign + value + unit


def _indicators(rows: list[dict[str, str]]) -> tuple[list[Indicator], int]:
    """Indicator rows with levels carried down, blank and template placeholder rows dropped."""
    result: list[Indicator] = []
    sub_rows = 0
    level1 = level2 = ""
    for row in rows:
        if row.get("level1"):
            if standard_level(row["level1"]) != level1:
                level2 = ""
            level1 = standard_level(row["level1"])
        if row.get("level2"):
            level2 = standard_level(row["level2"])
        values = {k: row.get(k, "") for k in ("name", "target", "actual", "weight", "score", "reason")}
        values["weight"], values["score"] = _score_text(values["weight"]), _score_text(values["score"])
        rest = [v for k, v in values.items() if k != "name"]
        if not any(values.values()):
            continue
        if _PLACEHOLDER.match(values["name"]) and not any(rest):
            continue
        values["name"] = _TEMPLATE_NAME.sub("", values["name"])
        if row.get("sub_row"):  # 其中… under a ★ row: its merged 分值/得分 belong to the ★ row
            values["weight"] = values["score"] = ""
            sub_rows += 1
        applicable = key(values["score"]) != NOT_APPLICABLE  # 得分 reads 不适用: the mark, not a score
        if not applicable:
            values["score"] = ""
        result.append(Indicator(level1=level1, level2=level2, applicable=applicable, **values))
    return result, sub_rows


LONG_FIELDS = {"reason"}


def _text(cell: Cell | None, *, long: bool = False) -> str:
    if cell is None:
        return ""
    return cell.text(keep_breaks=long).strip()


def _labels(row: list[Cell]) -> list[tuple[str, Cell]]:
    return [(key(_text(c)), c) for c in row]


def _next_cell(row: list[Cell], cell: Cell) -> Cell | None:
    seen = False
    for other in row:
        if seen and other is not cell:
            return other
        if other is cell:
            seen = True
    return None


def _cells_after(row: list[Cell], cell: Cell) -> list[Cell]:
    index = next(i for i, c in enumerate(row) if c is cell)
    return [c for c in row[index + 1:] if c is not cell]


def _set_header(form: _Form, name: str, value: str) -> None:
    if name == "leader_phone":
        leader, phone = _split_leader_phone(value)
        form.header.setdefault("leader", leader)
        form.header.setdefault("phone", phone)
        if value:
            form.say(form.inferred, f"项目负责人及电话在同一格，拆为负责人「{leader}」、电话「{phone}」")
        return
    form.header[name] = form.clean(value)


def _split_leader_phone(text: str) -> tuple[str, str]:
    """``谢凯13990260322(办公)`` → (谢凯, 13990260322(办公))."""
    text = text.strip()
    if text in _TEXT_BLANKS:
        return "", ""
    match = _LEADER_PHONE.match(text)
    if not match or not match.group(1):
        return (text, "") if not re.search(r"\d{5,}", text) else ("", text)
    return match.group(1).strip(), match.group(2).strip()


def _read_header(form: _Form, row: list[Cell]) -> bool:
    """项目名称 | 调研经费 in two cells, or ``项目名称：调研经费`` in one."""
    found = False
    for label, cell in _labels(row):
        name = HEADER_LABELS.get(label)
        if name is None:
            name, value_text = _label_with_value(_text(cell))
            if name is not None and name not in form.header:
                _set_header(form, name, value_text)
                found = True
            continue
        found = True
        if name not in form.header:
            value = _next_cell(row, cell)
            if value is not None and key(_text(value)) in HEADER_LABELS:
                value = None
            _set_header(form, name, _text(value))
    return found


def _label_with_value(text: str) -> tuple[str | None, str]:
    """``项目名称：调研经费`` → ("name", "调研经费"); other text → (None, "")."""
    for label, name in sorted(HEADER_LABELS.items(), key=lambda item: -len(item[0])):
        if text.startswith(label):
            rest = text[len(label):].lstrip()
            if rest[:1] in (":", "："):
                return name, rest[1:].strip()
    return None, ""


def _budget_line(label: str) -> str | None:
    """The national line a label names; None for a line the national form has no place for."""
    k = label.removeprefix("其中")
    if "财政拨款" in k or k == "财政资金":
        return "appropriation"
    if "上年结转" in k:
        return "carryover"
    if "其他资金" in k:
        return "other"
    if "资金总额" in k or k == "总额":
        return "total"
    return None


def _budget_header(form: _Form, row: list[Cell]) -> bool:
    headers: dict[str, int] = {}
    reason: Cell | None = None
    for label, cell in _labels(row):
        if label in ("原因", "偏差原因", "原因分析", "偏差原因分析", "未完成原因"):
            reason = cell
        for name, words in _AMOUNT_HEADERS:
            if name not in headers and any(word in label for word in words):
                headers[name] = cell.column
                break
    if len(headers) < 2:
        return False
    form.amount_columns = headers
    form.budget_label_end = min(headers.values())
    first = row[0]
    form.budget_block = first if any(w in key(_text(first)) for w in _BUDGET_BLOCK_WORDS) else None
    if reason is not None:
        form.budget_reason_column = reason.column
        form.budget_reason_label = _text(reason)
    if "initial" not in headers:
        form.say(form.inferred, "资金表没有年初预算数列，年初预算数留空")
    form.section = "budget"
    return True


def _read_budget(form: _Form, row: list[Cell], grid_row: list[Cell | None]) -> bool:
    if _budget_header(form, row):
        return True
    labels = _labels(row)
    for label, cell in labels:
        line = _budget_line(label)
        if line is None or line in form.budget:
            continue
        if form.amount_columns:
            values = _amounts(form, grid_row)
        else:  # no header row: the three cells after the label
            after = row[row.index(cell) + 1:]
            values = {name: _text(c) for (name, _), c in zip(_AMOUNT_HEADERS, after)}
        form.budget[line] = values
        form.section = "budget"
        return True
    if form.section != "budget" or not form.amount_columns:
        return False
    return _extra_budget_line(form, row, grid_row)


def _amounts(form: _Form, grid_row: list[Cell | None]) -> dict[str, str]:
    values = {name: _text(grid_row[col]) if col < len(grid_row) else "" for name, col in form.amount_columns.items()}
    col = form.budget_reason_column
    if col is not None and col < len(grid_row):
        form.budget_reasons.append(form.clean(_text(grid_row[col], long=True)))
    return values


def _extra_budget_line(form: _Form, row: list[Cell], grid_row: list[Cell | None]) -> bool:
    """A line such as 财政专户管理资金 or 单位资金: kept under its own label, out of the rules."""
    labels = [c for c in row if c.column < form.budget_label_end and c is not form.budget_block and _text(c)]
    if not labels:
        return False
    label = _text(labels[-1])
    if any(w in key(label) for w in _BUDGET_BLOCK_WORDS):
        return False
    form.extra.append((label, _amounts(form, grid_row)))
    form.say(form.inferred, f"资金表的「{label}」行不属于全国表的四行，另行保存")
    return True


def _goal_header(form: _Form, row: list[Cell]) -> bool:
    labels = _labels(row)
    expected = next((c for label, c in labels if label.startswith(_EXPECTED_GOAL)), None)
    actual = next((c for label, c in labels if label.startswith(_ACTUAL_GOAL)), None)
    if expected is None or actual is None or expected is actual:
        return False
    form.goal_columns = (expected.column, actual.column)
    form.section = "goals"
    return True


def _read_goals(form: _Form, row: list[Cell], grid_row: list[Cell | None]) -> bool:
    if _goal_header(form, row):
        return True
    if form.section == "goals" and form.goal_columns:
        e_col, a_col = form.goal_columns
        pick = lambda col: grid_row[col] if col < len(grid_row) else None  # noqa: E731
        e_text, a_text = _text(pick(e_col), long=True), _text(pick(a_col), long=True)
        if key(e_text) == "年度总体目标":
            e_text = ""
        e_text, a_text = form.clean(e_text), form.clean(a_text)
        if e_text or a_text:
            form.goals.append((e_text, a_text))
        return True
    return False


def _labelled_texts(form: _Form, row: list[Cell]) -> bool:
    """Rows ``项目年度目标 | …``, ``评价结论 | …`` (or ``评价结论：…`` in one cell): goals and notes."""
    for index, cell in enumerate(row):
        text = _text(cell)
        k = key(text)
        label, value = None, ""
        if k in _NOTE_LABELS or k in _GOAL_LABELS:
            label = text.rstrip(":： ")
            value = "\n".join(t for t in (_text(c, long=True) for c in _cells_after(row, cell)) if t)
        else:
            match = re.match(r"^([^:：]{2,16})[:：](.*)$", text, re.S)
            if match and key(match.group(1)) in _NOTE_LABELS:
                label, value = match.group(1).strip(), _text(cell, long=True).split("：", 1)[-1].split(":", 1)[-1]
        if label is None:
            if k and index == 0 and not any(w in k for w in ("项目基本情况", "基本情况")):
                return False
            continue
        goal = _GOAL_LABELS.get(key(label))
        if goal is not None:
            form.labelled_goals.setdefault(goal, []).append(form.clean(value.strip()))
        else:
            form.note(label, value.strip())
        return True
    return False


def _indicator_fields(grid_row: list[Cell | None]) -> dict[int, str]:
    fields: dict[int, str] = {}
    for col, cell in enumerate(grid_row):
        if cell is None:
            continue
        name = _header_field(key(_text(cell)))
        if name is not None:
            fields[col] = name
    return fields


def _full_header(fields: dict[int, str]) -> bool:
    names = set(fields.values())
    return {"name", "weight", "score"} <= names and bool({"level1", "level2"} & names)


def _partial_header(fields: dict[int, str]) -> bool:
    names = set(fields.values())
    return len(names) >= 2 and bool(names & {"target", "actual", "sign", "unit"})


def _use_header(form: _Form, fields: dict[int, str], grid_row: list[Cell | None]) -> None:
    merged = {**form.pending_fields, **fields} if form.pending_fields else dict(fields)
    form.pending_fields = {}
    form.fields = _place_signs_and_units(merged)
    form.header_cells = {id(c) for c in grid_row if c is not None}
    form.section = "indicators"
    _describe_columns(form)


def _refine_header(form: _Form, fields: dict[int, str], grid_row: list[Cell | None]) -> None:
    """The second row of a two-row header: 指标性质 / 指标值 / 度量单位 under 年度指标值."""
    raw = {col: name.split("_")[0] if name.endswith(("_sign", "_unit")) else name for col, name in form.fields.items()}
    for col, name in fields.items():
        raw[col] = name
    form.fields = _place_signs_and_units(raw)
    form.header_cells |= {id(c) for c in grid_row if c is not None}
    _describe_columns(form)


def _describe_columns(form: _Form) -> None:
    by_field: dict[str, list[int]] = {}
    for col, name in sorted(form.fields.items()):
        by_field.setdefault(name, []).append(col)
    for main, label in (("target", "指标值"), ("actual", "完成值")):
        parts = [f for f in (f"{main}_sign", main, f"{main}_unit") if f in by_field]
        if len(parts) > 1:
            names = "、".join(_FIELD_NAMES[p] for p in parts)
            count = "三" if len(parts) == 3 else "两"
            form.say(form.inferred, f"{label}由{names}{count}列合成")
    weight, target = by_field.get("weight"), by_field.get("target")
    if weight and target and min(weight) < min(target):
        form.say(form.layout, "分值列在年度指标值之前（按列名读取）")


def _read_indicator(form: _Form, row: list[Cell], grid_row: list[Cell | None], where: str) -> None:
    parts: dict[str, list[str]] = {}
    used: set[int] = set()
    for name in _FIELD_ORDER:
        for col in sorted(c for c, f in form.fields.items() if f == name):
            cell = grid_row[col] if col < len(grid_row) else None
            if cell is None or id(cell) in used:
                continue
            used.add(id(cell))
            parts.setdefault(name, []).append(_text(cell, long=name in LONG_FIELDS))
    joined = {name: "".join(texts) if name not in LONG_FIELDS else "\n".join(t for t in texts if t)
              for name, texts in parts.items()}
    values = {name: form.clean(joined.get(name, "")) for name in ("level1", "level2", "name", "weight", "score", "reason")}
    for main in ("target", "actual"):
        value = form.clean(joined.get(main, ""))
        sign, unit = joined.get(f"{main}_sign", ""), joined.get(f"{main}_unit", "")
        values[main] = _compose(sign, value, unit) if (sign or unit) else value
    if key(values["name"]).startswith("其中") and form.previous_grid is not None:
        weight_cols = [c for c, f in form.fields.items() if f in ("weight", "score")]
        merged = [c for c in weight_cols if c < len(grid_row) and c < len(form.previous_grid)
                  and grid_row[c] is not None and grid_row[c] is form.previous_grid[c]]
        if merged:
            values["sub_row"] = "1"
    form.indicators.append(values)
    for cell in row:
        if id(cell) in used or id(cell) in form.header_cells:
            continue
        text = _text(cell)
        if form.clean(text) and key(text) not in ("绩效指标",) and not key(text).startswith("绩效指标"):
            if form.previous_grid is not None and cell in form.previous_grid:
                continue
            form.warnings.append(f"{where}：「{_short(text)}」不在已识别的列下，未导入")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:29] + "…"


_TOTAL_LABELS = ("总分", "合计总分", "总得分")


def _total_row(row: list[Cell], section: str) -> bool:
    if not row:
        return False
    labels = {key(_text(c)) for c in row[:2]}
    return bool(labels & set(_TOTAL_LABELS)) or (section == "indicators" and bool(labels & {"合计", "总计"}))


def _read_total(form: _Form, row: list[Cell], grid_row: list[Cell | None]) -> None:
    if any(key(_text(c)) in ("合计", "总计") for c in row[:2]):
        form.say(form.layout, "合计行作为表中填写的总分")
    score_cols = [c for c, f in form.fields.items() if f == "score"]
    col = min(score_cols) if score_cols else None
    if col is not None and col < len(grid_row) and grid_row[col] is not None:
        text = _text(grid_row[col])
        label_cell = row[0]
        if text and grid_row[col] is not label_cell:
            form.reported_total = text
            return
    form.reported_total = _total_from_sequence(row)


def _total_from_sequence(row: list[Cell]) -> str | None:
    """A 总分 row without known columns: ``总分 | 100 | 93.22 | …`` — the number after the 100."""
    texts = [text for text in map(_text, row[1:]) if text and key(text) not in ("总分", "100分")]
    if not texts:
        return None
    if key(texts[0]) == "100":
        return texts[1] if len(texts) > 1 else None
    return texts[0]


def _starts_form(row: list[Cell]) -> bool:
    return any(label == "项目名称" or _label_with_value(_text(cell))[0] == "name" for label, cell in _labels(row))


# ---------------------------------------------------------------- the document

@dataclass
class Reading:
    """The evaluations of a document and, for each, what was recognised and inferred."""

    evaluations: list[Evaluation]
    reports: list[FormReport]


def forms_in(body) -> list[Evaluation]:
    """Every form in a Word body, in document order."""
    return read_body(body).evaluations


def read_body(body) -> Reading:
    forms: list[_Form] = []
    form: _Form | None = None
    texts_since_table: list[str] = []
    tables = 0
    for block in blocks(body):
        if isinstance(block, Paragraph):
            if block.text.strip():
                texts_since_table.append(block.text)
                if form is not None and not texts_since_table[:-1] and _SIGNATURE.match(block.text):
                    form.note(SIGNATURE_LABEL, " ".join(block.text.split()))
                    texts_since_table.pop()
            continue
        assert isinstance(block, Table)
        tables += 1
        form = _read_table(block, form, forms, texts_since_table, tables)
        texts_since_table = []
    read = [(f, ev) for f in forms if _has_content(ev := f.evaluation())]
    return Reading([ev for _, ev in read], [f.report(ev.name) for f, ev in read])


def _has_content(ev: Evaluation) -> bool:
    """A form has a 项目名称 value or an indicator: a table that only says 项目名称 is no form."""
    return bool(ev.name.strip() or ev.indicators)


def _leading_row(form_lead: list[str], notes: list[tuple[str, str]], layout: list[str], row: list[Cell]) -> None:
    """A row above 项目名称 in the table: a title, a year, ``报表编号：…``."""
    for cell in row:
        text = _text(cell)
        form_lead.append(text)
        k = key(text)
        if k.startswith("报表编号"):
            value = re.split(r"[:：]", text, maxsplit=1)[1].strip() if re.search(r"[:：]", text) else ""
            if not value:
                nxt = _next_cell(row, cell)
                value = _text(nxt) if nxt is not None else ""
            if value:
                notes.append(("报表编号", value))
        elif "自评表" in k and "标题在表格内" not in " ".join(layout):
            layout.append(f"标题在表格内（{_short(text)}）")


def _read_table(table: Table, form: _Form | None, forms: list[_Form], lead: list[str], number: int) -> _Form | None:
    leading_rows: list[str] = []  # rows of this table before its first form: a title, a year
    leading_notes: list[tuple[str, str]] = []
    leading_layout: list[str] = []
    started = False
    for index, (row, grid_row) in enumerate(zip(table.rows, table.grid)):
        if _starts_form(row):
            started = True
            form = _Form(year_texts=lead + leading_rows)
            form.notes.extend(leading_notes)
            form.layout.extend(leading_layout)
            if any("部门预算" in key(t) for t in lead + leading_rows):
                form.say(form.layout, "部门预算项目支出绩效自评表")
            elif any("绩效目标自评表" in key(t) for t in lead + leading_rows):
                form.say(form.layout, "绩效目标自评表（县级模板）")
            leading_notes, leading_layout = [], []
            forms.append(form)
            _read_header(form, row)
            form.previous_grid = grid_row
            continue
        if not started:
            _leading_row(leading_rows, leading_notes, leading_layout, row)
        if form is None:
            if _total_row(row, "header"):
                _lone_total(forms, row)
            continue
        _read_row(form, forms, row, grid_row, f"表{number}第{index + 1}行")
        form.previous_grid = grid_row
    return form


def _lone_total(forms: list[_Form], row: list[Cell]) -> None:
    """A 总分 table standing apart belongs to the last form that has no total of its own."""
    for earlier in reversed(forms):
        if earlier.reported_total is None and earlier.section != "done":
            earlier.reported_total = _total_from_sequence(row)
            earlier.section = "done"
            return


def _read_row(form: _Form, forms: list[_Form], row: list[Cell], grid_row: list[Cell | None], where: str) -> None:
    if form.section == "done":
        _read_after(form, forms, row, where)
        return
    if _total_row(row, form.section):
        if form.reported_total is None:
            _read_total(form, row, grid_row)
        form.section = "done"
        return
    fields = _indicator_fields(grid_row)
    if form.section == "indicators":
        if _full_header(fields) or (_partial_header(fields) and not _has_number(row)):
            if not form.indicators or form.indicators and _full_header(fields):
                _refine_header(form, fields, grid_row)  # a second header row, or the header repeated on the next page
            return
        if _labelled_texts(form, row):
            return
        _read_indicator(form, row, grid_row, where)
        return
    if _full_header(fields):
        _use_header(form, fields, grid_row)
        return
    if _partial_header(fields) and not _goal_header(form, row):
        form.pending_fields = fields  # 绩效指标 | 年度指标值 | 实际完成值 | 分值 …, with 一级指标 on the next row
        form.section = "indicator-head"
        return
    if _goal_header(form, row):
        return
    if _labelled_texts(form, row):
        return
    if form.section != "indicator-head" and _read_goals(form, row, grid_row):
        return
    if _read_budget(form, row, grid_row):
        return
    if _read_header(form, row):
        return
    _unplaced(form, row, where)


def _has_number(row: list[Cell]) -> bool:
    return any(re.search(r"\d", unicodedata.normalize("NFKC", _text(c))) for c in row)


def _unplaced(form: _Form, row: list[Cell], where: str) -> None:
    texts = [t for t in (_text(c) for c in row) if form.clean(t)]
    texts = [t for t in texts if not any(w in key(t) for w in (*_BUDGET_BLOCK_WORDS, "年度总体目标", "绩效指标", "项目基本情况"))]
    if texts:
        form.warnings.append(f"{where}：「{_short(' | '.join(texts))}」未能识别，未导入")


def _read_after(form: _Form, forms: list[_Form], row: list[Cell], where: str) -> None:
    """Rows after the total: 评价结论, 存在问题, 改进措施, a signature line, or any ``label | text``."""
    if _total_row(row, "done"):
        _lone_total(forms, row)
        return
    texts = [(c, _text(c, long=True)) for c in row]
    filled = [(c, t) for c, t in texts if t]
    if not filled:
        return
    whole = " ".join(t for _, t in filled)
    if _SIGNATURE.match(whole):
        form.note(SIGNATURE_LABEL, " ".join(whole.split()))
        return
    if _labelled_texts(form, row):
        return
    if len(filled) >= 2:
        label = filled[0][1].rstrip(":： ")
        form.note(label, "\n".join(t for _, t in filled[1:]))
        return
    match = re.match(r"^([^:：\n]{1,16})[:：]\s*(.*)$", filled[0][1], re.S)
    if match:
        form.note(match.group(1).strip(), match.group(2).strip())
        return
    form.warnings.append(f"{where}：「{_short(whole)}」未能识别，未导入")


def read_document(path: Path | str) -> Reading:
    """Every evaluation in a .docx (or .docm) with what was recognised; ImportError_ when there is none.

    The file is opened once, as a regular file within the size limit (a FIFO, a device or a
    folder is one line, never a hang), and everything after reads that handle."""
    path = Path(path)
    try:
        handle = open_docx(path)
    except UnsafeDocument as exc:
        raise ImportError_(str(exc)) from None
    with handle:
        try:
            check_docx(handle)
        except UnsafeDocument as exc:
            raise ImportError_(str(exc)) from None
        try:
            handle.seek(0)
            body = _body(handle, path.suffix.lower())
        except ImportError_:
            raise
        except Exception as exc:  # python-docx and lxml raise many kinds for files that are not Word
            raise ImportError_(f"不是可以读取的 Word 文档（{type(exc).__name__}: {exc}）") from None
    try:
        reading = read_body(body)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function"))
        reason = err.get("ctx", {}).get("error", err["msg"])
        raise ImportError_(f"表中有无法读取的数值：{where}：{reason}") from None
    if not reading.evaluations:
        raise ImportError_("没有找到自评表（没有填了项目名称或绩效指标的表格）")
    return reading


def _body(handle: BinaryIO, suffix: str):
    """The document body. A .docm is the same package with macros beside it: its body is read
    directly (python-docx refuses its content type); the macros are never opened."""
    if suffix == ".docm":
        import zipfile

        from lxml import etree

        with zipfile.ZipFile(handle) as archive:
            data = archive.read("word/document.xml")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(data, parser)
        body = root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body")
        if body is None:
            raise ImportError_("不是 Word 文档（没有正文）")
        return body
    import docx  # heavy: only when a document is read

    return docx.Document(handle).element.body


def read_docx(path: Path | str) -> list[Evaluation]:
    """Every evaluation in a .docx; ImportError_ with one Chinese line when there is none."""
    return read_document(path).evaluations
