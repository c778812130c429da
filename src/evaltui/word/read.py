"""Word → evaluations: find every 项目支出绩效自评表 in a .docx by its labels.

Parts of a form are found by their labels (项目名称, 年度资金总额, 一级指标, 总分 …), never by
fixed row and column numbers: offices differ. A form starts at a row labelled 项目名称 and
runs, across tables if it must, until the next one. The execution rate, its score and the
total are never read: the rules compute them. The total written in the form is kept as
``reported_total``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from evaltui.labels import LEVEL2_NAMES, STANDARD_CATEGORIES
from evaltui.model import Amounts, Budget, Evaluation, Goals, Indicator
from evaltui.word.safety import UnsafeDocument, check_docx
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
}
_BUDGET_LINES = (  # (line, words that must all be in the label) — most specific first
    ("appropriation", ("财政拨款",)),
    ("carryover", ("上年结转",)),
    ("other", ("其他资金",)),
    ("total", ("年度资金总额",)),
    ("total", ("资金总额",)),
)
_AMOUNT_HEADERS = (  # (amount, words that name its column) — offices word them differently
    ("initial", ("年初预算",)),
    ("full_year", ("全年预算", "调整后预算", "全年批复")),
    ("executed", ("全年执行", "执行数", "实际支出", "实际执行")),
)
_INDICATOR_HEADERS = (
    ("level1", lambda k: k.startswith("一级指标")),
    ("level2", lambda k: k.startswith("二级指标")),
    ("name", lambda k: k.startswith("三级指标")),
    ("target", lambda k: "指标值" in k or k in ("年度目标", "目标值", "预期指标值")),
    ("actual", lambda k: "完成值" in k or k in ("实际完成", "实际值")),
    ("weight", lambda k: k in ("分值", "权重", "指标分值", "权重分值")),
    ("score", lambda k: k in ("得分", "实际得分", "自评得分", "评分")),
    ("reason", lambda k: k.startswith("偏差原因") or "改进措施" in k),
)
_BLANKS = {"", "—", "——", "–", "-", "－", "/", "／", "无", "…", "……"}
_PLACEHOLDER = re.compile(r"^(?:指标\s*\d*\s*[:：]?|……+|…+|\.{3,})$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?\s*度")
_YEAR_LOOSE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _blank(text: str) -> str:
    return "" if text.strip() in _BLANKS else text


def _find_year(texts: list[str]) -> int | None:
    for pattern in (_YEAR, _YEAR_LOOSE):
        for text in reversed(texts):
            match = pattern.search(unicodedata.normalize("NFKC", text))
            if match:
                return int(match.group(1))
    return None


# ---------------------------------------------------------------- one form

@dataclass
class _Form:
    """What has been read of one form so far."""

    year_texts: list[str]
    header: dict[str, str] = field(default_factory=dict)
    amount_columns: dict[str, int] = field(default_factory=dict)
    budget: dict[str, dict[str, str]] = field(default_factory=dict)
    goal_columns: tuple[int, int] | None = None
    goals: list[tuple[str, str]] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # indicator field → grid column
    indicators: list[dict[str, str]] = field(default_factory=list)
    reported_total: str | None = None
    section: str = "header"

    def evaluation(self) -> Evaluation:
        lines = {
            line: Amounts(**{k: _blank(v) for k, v in values.items()})
            for line, values in self.budget.items()
        }
        expected = "\n".join(e for e, _ in self.goals if e)
        actual = "\n".join(a for _, a in self.goals if a)
        return Evaluation(
            name=self.header.get("name", ""),
            year=_find_year(self.year_texts),
            department=self.header.get("department", ""),
            implementer=self.header.get("implementer", ""),
            leader=self.header.get("leader", ""),
            phone=self.header.get("phone", ""),
            reported_total=_score_text(self.reported_total or ""),
            budget=Budget(**lines),
            goals=Goals(expected=expected, actual=actual),
            indicators=tuple(_indicators(self.indicators)),
        )


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


def _indicators(rows: list[dict[str, str]]) -> list[Indicator]:
    """Indicator rows with levels carried down, blank and template placeholder rows dropped."""
    result: list[Indicator] = []
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
        result.append(Indicator(level1=level1, level2=level2, **values))
    return result


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


def _read_header(form: _Form, row: list[Cell]) -> bool:
    """项目名称 | 调研经费 in two cells, or ``项目名称：调研经费`` in one."""
    found = False
    for label, cell in _labels(row):
        name = HEADER_LABELS.get(label)
        if name is None:
            name, value_text = _label_with_value(_text(cell))
            if name is not None and name not in form.header:
                form.header[name] = value_text
                found = True
            continue
        if name not in form.header:
            value = _next_cell(row, cell)
            if value is not None and key(_text(value)) in HEADER_LABELS:
                value = None
            form.header[name] = _text(value)
            found = True
    return found


def _label_with_value(text: str) -> tuple[str | None, str]:
    """``项目名称：调研经费`` → ("name", "调研经费"); other text → (None, "")."""
    for label, name in HEADER_LABELS.items():
        if text.startswith(label):
            rest = text[len(label):].lstrip()
            if rest[:1] in (":", "："):
                return name, rest[1:].strip()
    return None, ""


def _budget_line(label: str) -> str | None:
    for line, words in _BUDGET_LINES:
        if all(w in label for w in words):
            return line
    return None


def _read_budget(form: _Form, row: list[Cell], grid_row: list[Cell | None]) -> bool:
    labels = _labels(row)
    headers: dict[str, int] = {}
    for label, cell in labels:
        for name, words in _AMOUNT_HEADERS:
            if name not in headers and any(word in label for word in words):
                headers[name] = cell.column
                break
    if len(headers) >= 2:
        form.amount_columns = headers
        form.section = "budget"
        return True
    for label, cell in labels:
        line = _budget_line(label)
        if line is None or line in form.budget:
            continue
        if form.amount_columns:
            values = {name: _text(grid_row[col]) if col < len(grid_row) else "" for name, col in form.amount_columns.items()}
        else:  # no header row: the three cells after the label
            after = row[row.index(cell) + 1:]
            values = {name: _text(c) for (name, _), c in zip(_AMOUNT_HEADERS, after)}
        form.budget[line] = values
        form.section = "budget"
        return True
    return False


def _read_goals(form: _Form, row: list[Cell], grid_row: list[Cell | None]) -> bool:
    labels = _labels(row)
    expected = next((c for label, c in labels if label.startswith("预期目标")), None)
    actual = next((c for label, c in labels if label.startswith("实际完成情况") or label == "实际完成"), None)
    if expected is not None and actual is not None:
        form.goal_columns = (expected.column, actual.column)
        form.section = "goals"
        return True
    if form.section == "goals" and form.goal_columns:
        e_col, a_col = form.goal_columns
        pick = lambda col: grid_row[col] if col < len(grid_row) else None  # noqa: E731
        e_text, a_text = _text(pick(e_col), long=True), _text(pick(a_col), long=True)
        if key(e_text) == "年度总体目标":
            e_text = ""
        if e_text or a_text:
            form.goals.append((e_text, a_text))
        return True
    return False


def _indicator_header(row: list[Cell]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for label, cell in _labels(row):
        for name, test in _INDICATOR_HEADERS:
            if name not in columns and test(label):
                columns[name] = cell.column
                break
    if {"level1", "name", "weight", "score"} <= columns.keys():
        return columns
    return None


def _read_indicator(form: _Form, grid_row: list[Cell | None]) -> None:
    values: dict[str, str] = {}
    for name, col in form.columns.items():
        cell = grid_row[col] if col < len(grid_row) else None
        values[name] = _text(cell, long=name in LONG_FIELDS)
    form.indicators.append(values)


def _total_row(row: list[Cell]) -> bool:
    return bool(row) and any(key(_text(c)) in ("总分", "合计总分", "总得分") for c in row[:2])


def _read_total(form: _Form, row: list[Cell], grid_row: list[Cell | None]) -> None:
    col = form.columns.get("score")
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

def forms_in(body) -> list[Evaluation]:
    """Every form in a Word body, in document order."""
    forms: list[_Form] = []
    form: _Form | None = None
    texts_since_table: list[str] = []
    for block in blocks(body):
        if isinstance(block, Paragraph):
            if block.text.strip():
                texts_since_table.append(block.text)
            continue
        assert isinstance(block, Table)
        form = _read_table(block, form, forms, texts_since_table)
        texts_since_table = []
    return [f.evaluation() for f in forms]


def _read_table(table: Table, form: _Form | None, forms: list[_Form], lead: list[str]) -> _Form | None:
    leading_rows: list[str] = []  # rows of this table before its first form: a title, a year
    started = False
    for row, grid_row in zip(table.rows, table.grid):
        if _starts_form(row):
            started = True
            form = _Form(year_texts=lead + leading_rows)
            forms.append(form)
            _read_header(form, row)
            continue
        if not started:
            leading_rows.extend(_text(c) for c in row)
        if form is None:
            if _total_row(row):
                _lone_total(forms, row)
            continue
        _read_row(form, forms, row, grid_row)
    return form


def _lone_total(forms: list[_Form], row: list[Cell]) -> None:
    """A 总分 table standing apart belongs to the last form that has no total of its own."""
    for earlier in reversed(forms):
        if earlier.reported_total is None and earlier.section != "done":
            earlier.reported_total = _total_from_sequence(row)
            earlier.section = "done"
            return


def _read_row(form: _Form, forms: list[_Form], row: list[Cell], grid_row: list[Cell | None]) -> None:
    if form.section == "done":
        if _total_row(row):
            _lone_total(forms, row)
        return
    if _total_row(row):
        if form.reported_total is None:
            _read_total(form, row, grid_row)
        form.section = "done"
        return
    if form.section == "indicators":
        if _indicator_header(row) is None:  # a header repeated on the next page is skipped
            _read_indicator(form, grid_row)
        return
    columns = _indicator_header(row)
    if columns is not None:
        form.columns = columns
        form.section = "indicators"
        return
    if _read_goals(form, row, grid_row):
        return
    if _read_budget(form, row, grid_row):
        return
    _read_header(form, row)


def read_docx(path: Path | str) -> list[Evaluation]:
    """Every evaluation in a .docx; ImportError_ with one Chinese line when there is none."""
    path = Path(path)
    try:
        check_docx(path)
    except UnsafeDocument as exc:
        raise ImportError_(str(exc)) from None
    import docx  # heavy: only when a document is read

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for files that are not Word
        raise ImportError_(f"不是可以读取的 Word 文档（{type(exc).__name__}: {exc}）") from None
    try:
        evaluations = forms_in(document.element.body)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function"))
        reason = err.get("ctx", {}).get("error", err["msg"])
        raise ImportError_(f"表中有无法读取的数值：{where}：{reason}") from None
    if not evaluations:
        raise ImportError_("没有找到自评表（没有含“项目名称”的表格）")
    return evaluations
