"""``evaltui summary PATH... -o OUT.xlsx|OUT.csv [--force]``: the folder's 汇总表.

One row per evaluation in the columns of docs/interfaces.md, the figures as ``check`` gives
them (from :func:`evaltui.rules.assess`). ``.csv`` is UTF-8 with a byte-order mark so that
Excel opens it as Chinese; ``.xlsx`` (openpyxl, imported only here) has the sheet 汇总 with
its header row frozen and numbers stored as numbers, and the sheet 问题 with one row per
problem. The file is written atomically and never replaces an existing one without ``force``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from evaltui import store
from evaltui.model import Evaluation
from evaltui.numbers import plain
from evaltui.rules import ERROR, INFO, WARNING, Assessment, Rules, assess
from evaltui.visible import visible

COLUMNS = (
    "文件", "项目名称", "主管部门", "实施单位", "年度", "全年预算数", "全年执行数", "执行率",
    "预算执行率得分", "总分", "等级", "错误", "警告",
)
PROBLEM_COLUMNS = ("文件", "项目名称", "级别", "代码", "指标", "说明")
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
UNREADABLE = "unreadable"  # the 代码 of a file that could not be read, in the sheet 问题
SUFFIXES = (".xlsx", ".csv")

# Excel number formats: amounts in 万元 keep every decimal they have (at least two) with
# thousands separators; scores two decimals; the rate is a percentage as check gives it.
_AMOUNT_FORMAT = "#,##0.00####"
_SCORE_FORMAT = "0.00"
_RATE_FORMAT = '0.00"%"'
_FORMATS = {5: _AMOUNT_FORMAT, 6: _AMOUNT_FORMAT, 7: _RATE_FORMAT, 8: _SCORE_FORMAT, 9: _SCORE_FORMAT}
_WIDTHS = (28, 30, 30, 30, 8, 14, 14, 10, 14, 10, 6, 6, 6)
_PROBLEM_WIDTHS = (28, 30, 6, 20, 24, 60)

Cell = str | int | Decimal | None
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Sheet:
    """What the 汇总表 holds: rows of 汇总 and of 问题, in file order."""

    rows: tuple[tuple[Cell, ...], ...]
    problems: tuple[tuple[Cell, ...], ...]


def summary_row(file: str, ev: Evaluation, result: Assessment) -> tuple[Cell, ...]:
    total = ev.budget.total
    return (
        file, ev.name, ev.department, ev.implementer, ev.year,
        total.full_year, total.executed, result.execution_rate, result.execution_score,
        result.total, result.grade, result.count(ERROR), result.count(WARNING),
    )


def problem_rows(file: str, ev: Evaluation, result: Assessment) -> list[tuple[Cell, ...]]:
    return [
        (file, ev.name, SEVERITY_LABELS[p.severity], p.code, p.indicator or "", p.message)
        for p in result.problems
    ]


def sheet_of(entries: Iterable[tuple[str, Evaluation, Assessment]], unreadable: Iterable[tuple[str, str]] = ()) -> Sheet:
    """The 汇总表 of evaluations already read and assessed (the app passes what it shows)."""
    rows, problems = [], []
    for file, ev, result in entries:
        rows.append(summary_row(file, ev, result))
        problems.extend(problem_rows(file, ev, result))
    problems.extend(unreadable_row(file, message) for file, message in unreadable)
    return Sheet(tuple(rows), tuple(problems))


def unreadable_row(file: str, message: str) -> tuple[Cell, ...]:
    """A file that could not be read, as a row of 问题: the 汇总表 says it is missing."""
    return (file, "", SEVERITY_LABELS[ERROR], UNREADABLE, "", message)


@dataclass(frozen=True)
class _FileRows:
    file: str
    error: str | None = None
    row: tuple[Cell, ...] = ()
    problems: tuple[tuple[Cell, ...], ...] = ()


def _file_rows(item: tuple[str, Rules]) -> _FileRows:
    file, rules = item  # the rules of the folder's evaltui.toml (evaltui.settings), or the national ones
    try:
        ev = store.load(file)
    except store.LoadError as exc:
        return _FileRows(file, error=exc.message)
    result = assess(ev, rules)
    return _FileRows(file, row=summary_row(file, ev, result), problems=tuple(problem_rows(file, ev, result)))


# ---------------------------------------------------------------- writing

def _text(value: Cell) -> str:
    if value is None:
        return ""
    return plain(value) if isinstance(value, Decimal) else str(value)


def _csv_text(value: Cell) -> str:
    """A cell of the CSV: text that Excel would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return _text(value)


def csv_bytes(sheet: Sheet) -> bytes:
    """汇总 as CSV, UTF-8 with a byte-order mark, numbers exactly as check prints them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([_csv_text(v) for v in row] for row in sheet.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xml_safe(text: str) -> str:
    """Characters an xlsx cannot hold (C0 controls) written as ``\\x1b``: shown, never dropped."""
    return _XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _put(sheet, row: int, values: tuple[Cell, ...], formats: dict[int, str] | None = None) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, Decimal):
            cell.value = int(value) if value == value.to_integral_value() else value
        elif isinstance(value, str):
            cell.value = _xml_safe(value)
        else:
            cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # a name like "=1+1" stays text, never a formula
        elif formats and column - 1 in formats and value is not None:
            cell.number_format = formats[column - 1]


def xlsx_bytes(sheet: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    main = book.active
    main.title = "汇总"
    issues = book.create_sheet("问题")
    for target, header, rows, widths, formats in (
        (main, COLUMNS, sheet.rows, _WIDTHS, _FORMATS),
        (issues, PROBLEM_COLUMNS, sheet.problems, _PROBLEM_WIDTHS, None),
    ):
        _put(target, 1, header)
        for cell in target[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for index, values in enumerate(rows, start=2):
            _put(target, index, values, formats)
        for column, width in enumerate(widths, start=1):
            target.column_dimensions[get_column_letter(column)].width = width
        target.freeze_panes = "A2"
        if rows:
            target.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(target: Path, sheet: Sheet, *, force: bool = False) -> None:
    """Write the 汇总表 as ``target``'s suffix says; SaveError when it exists (without force) or fails."""
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise store.SaveError(f"{target}: 输出文件应以 .xlsx 或 .csv 结尾")
    if target.exists() and not force:
        raise store.SaveError(f"{target}: 文件已存在，未写入（用 --force 覆盖）")
    if target.is_dir():
        raise store.SaveError(f"{target}: 这是一个文件夹")
    data = xlsx_bytes(sheet) if suffix == ".xlsx" else csv_bytes(sheet)
    store.write_atomic(target, data)


def run(paths: list[str], output: str, *, force: bool, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """The command: exit 0 written, 1 written but a file could not be read, 2 nothing written."""
    from evaltui.check import find_scored, map_files
    from evaltui.settings import SettingsError, errors_of

    target = Path(output)
    refusal = store.output_refusal(target, SUFFIXES, force=force)
    if refusal:
        print(visible(refusal), file=err)
        return 2
    found, missing = find_scored(paths)
    for path in missing:
        print(visible(f"{path}: 文件或文件夹不存在"), file=err)
    for bad in errors_of(found):  # one line per bad settings file; the files under it are not scored
        print(visible(bad), file=err)
    results = map_files(_file_rows, [(f, r) for f, r in found if not isinstance(r, SettingsError)])
    readable = [r for r in results if r.error is None]
    unreadable = [(r.file, r.error) for r in results if r.error is not None]
    for file, message in unreadable:
        print(visible(f"{file}: {message}"), file=err)
    unreadable += [(f, r.unscored()) for f, r in found if isinstance(r, SettingsError)]
    if not readable:
        if not found and not missing:
            print(visible(f"evaltui summary: 在 {'、'.join(paths)} 中没有找到 .toml 自评表文件"), file=err)
        return 2
    sheet = Sheet(
        tuple(r.row for r in readable),
        tuple(p for r in readable for p in r.problems)
        + tuple(unreadable_row(file, message) for file, message in unreadable),
    )
    try:
        write(target, sheet, force=force)
    except store.SaveError as exc:
        print(visible(exc), file=err)
        return 1
    print(visible(f"{target}（{len(readable)} 份自评表）"), file=out)
    return 1 if unreadable or missing else 0
