"""Folder review: a sortable table of every evaluation, a totals line and a bar chart of grades."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from evaltui.files import clashing, told_apart
from evaltui.numbers import amount, fixed2, round2
from evaltui.rules import ERROR, WARNING
from evaltui.widgets.footer import KeyFooter
from evaltui.widgets.grids import VIM_KEYS
from evaltui.widgets.text import Shown, cut_middle, t

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.rules import Assessment

GRADES = ("优", "良", "中", "差")


@dataclass(frozen=True)
class ReviewRow:
    path: Path
    ev: Evaluation  # as on screen: unsaved edits included (``dirty``)
    result: Assessment
    dirty: bool = False
    label: str = ""  # another row has the same name: the name with the file (files.told_apart)

    def values(self) -> tuple:
        budget = self.ev.budget.total
        # what a reviewer reads first comes first: at 80 columns name, total, grade and counts fit
        return (
            self.label or self.ev.name, self.result.total, self.result.grade,
            self.result.count(ERROR), self.result.count(WARNING),
            budget.full_year, budget.executed, self.result.execution_rate, self.ev.year, self.ev.department,
        )


COLUMNS = (
    ("名称", 28), ("总分", 7), ("等级", 4), ("错误", 4), ("警告", 4),
    ("全年预算数", 14), ("全年执行数", 14), ("执行率%", 8), ("年度", 6), ("主管部门", 36),
)
NUMERIC = {1, 3, 4, 5, 6, 7, 8}
AMOUNTS = {5, 6}  # 全年预算数, 全年执行数: 万元 with separators; the other figures are scores and rates


def shown_value(column: int, value: object) -> str:
    """A cell as finance staff read it: scores and rates with two decimals, amounts with separators
    and two decimals too, so that a column lines up (27.415 shows as 27.42 beside 31.00)."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return amount(value, rounded=True) if column in AMOUNTS else fixed2(value)
    return str(value)


def in_file_order(rows: list[ReviewRow]) -> list[ReviewRow]:
    """The rows in the file list's name order (widgets/sidebar.py): the file name by pinyin, then as written."""
    from evaltui.collate import pinyin_key

    return sorted(rows, key=lambda r: (pinyin_key(r.path.stem), r.path.name))


def unsaved_note(rows: list[ReviewRow]) -> str:
    """``其中 2 份有未保存的修改，按屏幕上的内容导出``, or '' when every row is as saved."""
    unsaved = sum(1 for r in rows if r.dirty)
    return f"其中 {unsaved} 份有未保存的修改，按屏幕上的内容导出" if unsaved else ""


def rules_in_force(rows: list[ReviewRow]) -> str:
    """The rules that scored the rows: ``全国``, or each settings file's label once."""
    return "；".join(dict.fromkeys(r.result.rules.label() for r in rows)) or "全国"


def grade_counts(rows: list[ReviewRow]) -> dict[str, int]:
    return {g: sum(1 for r in rows if r.result.grade == g) for g in GRADES}


def totals_text(rows: list[ReviewRow]) -> Text:
    budget = sum((r.ev.budget.total.full_year or Decimal(0) for r in rows), Decimal(0))
    executed = sum((r.ev.budget.total.executed or Decimal(0) for r in rows), Decimal(0))
    mean = round2(sum((r.result.total for r in rows), Decimal(0)) / len(rows)) if rows else None
    counts = grade_counts(rows)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"合计 {len(rows)} 份", style="bold")
    text.append(f" · 全年预算数 {amount(budget, rounded=True)} 万元 · 全年执行数 {amount(executed, rounded=True)} 万元")
    text.append(f" · 平均总分 {fixed2(mean, blank='—')}")
    text.append(" · " + " ".join(f"{g} {counts[g]}" for g in GRADES))
    return text


def chart_text(rows: list[ReviewRow], width: int = 40) -> Text:
    counts = grade_counts(rows)
    most = max(counts.values()) or 1
    styles = {"优": "green", "良": "cyan", "中": "yellow", "差": "red"}
    text = Text()
    for i, grade in enumerate(GRADES):
        bar = "█" * round(counts[grade] * width / most) if counts[grade] else ""
        text.append(f"{grade} ", style="bold")
        text.append(bar or "·", style=styles[grade])
        text.append(f" {counts[grade]}" + ("\n" if i < len(GRADES) - 1 else ""))
    return text


class ReviewTable(DataTable):
    """The review's table: enter opens the evaluation under the cursor (and the footer says so;
    DataTable's own hidden enter would take the key first)."""

    BINDINGS = [Binding("enter", "screen.open", "打开", show=True)]


class ReviewScreen(Screen[Path | None]):
    HELP_TITLE = "汇总审阅"
    DEFAULT_CSS = """
    ReviewScreen #review-title { height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewScreen DataTable { height: 1fr; }
    ReviewScreen #totals { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewScreen #chart { height: 4; padding: 0 1; }
    """
    BINDINGS = [
        *(Binding(b.key, f"focused.{b.action}", b.description, show=False, group=b.group) for b in VIM_KEYS),
        Binding("s", "sort_column", "按此列排序", show=True),
        Binding("enter", "open", "打开", show=True),
        Binding("x", "write_summary", "导出汇总表", show=True),
        Binding("escape,r", "close", "返回", show=True),
    ]

    def __init__(self, rows: list[ReviewRow], folder: Path | None = None,
                 unreadable: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        clashes = clashing(r.ev.name for r in rows)
        rows = [replace(r, label=told_apart(r.ev.name, r.path.name)) if r.ev.name in clashes else r for r in rows]
        self.rows = in_file_order(rows)  # as the file list, until a column is sorted
        self.folder = folder if folder is not None else Path.cwd()
        self.unreadable = unreadable or []
        self.sorted_by: tuple[int, bool] | None = None
        self._order: list[ReviewRow] = list(self.rows)

    def compose(self) -> ComposeResult:
        yield Shown(id="review-title", markup=False)
        yield ReviewTable(id="review", cursor_type="cell", zebra_stripes=True)
        yield Shown(totals_text(self.rows), id="totals", markup=False)
        yield Shown(chart_text(self.rows), id="chart", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for title, width in COLUMNS:
            table.add_column(title, width=width)
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        table.clear()
        for row in self._order:
            cells = []
            for i, value in enumerate(row.values()):
                shown = shown_value(i, value)
                if i in NUMERIC:
                    cells.append(Text(shown, justify="right"))
                else:
                    if i == 0 and row.label:  # the end of the file name tells the rows apart
                        shown = cut_middle(shown, COLUMNS[0][1])
                    cell = t(shown).copy()
                    cell.no_wrap, cell.overflow = True, "ellipsis"  # a cut name ends in …
                    cells.append(cell)
            table.add_row(*cells)
        if self._order:
            table.move_cursor(row=min(cursor.row, len(self._order) - 1), column=cursor.column, animate=False)
        how = ""
        if self.sorted_by is not None:
            column, descending = self.sorted_by
            how = f" · 按{COLUMNS[column][0]}{'降序' if descending else '升序'}"
        self.query_one("#review-title", Static).update(
            Text(f"汇总审阅 · {len(self.rows)} 份自评表 · 评分规则：{rules_in_force(self.rows)}{how}"
                 " · s 按光标所在列排序 · enter 打开 · x 导出汇总表", no_wrap=True, overflow="ellipsis"))

    def action_sort_column(self) -> None:
        from evaltui.collate import pinyin_key

        column = self.query_one(DataTable).cursor_coordinate.column
        descending = self.sorted_by == (column, False)
        present = [r for r in self.rows if r.values()[column] is not None]
        absent = [r for r in self.rows if r.values()[column] is None]
        grade_column = [title for title, _ in COLUMNS].index("等级")

        def key(row: ReviewRow):
            value = row.values()[column]
            if column == grade_column:
                return GRADES.index(value)
            return pinyin_key(value) if isinstance(value, str) else value  # names as the file list sorts them

        present.sort(key=key, reverse=descending)
        self._order = present + absent
        self.sorted_by = (column, descending)
        self._fill()

    def action_open(self) -> None:
        row = self.query_one(DataTable).cursor_coordinate.row
        if 0 <= row < len(self._order):
            self.dismiss(self._order[row].path)

    def action_write_summary(self) -> None:
        """The 汇总表 (evaltui.summary) of what the review shows, to a path asked for; never over a file unasked."""
        import datetime

        from evaltui import summary
        from evaltui.screens.dialogs import ConfirmScreen, PromptScreen, output_check

        def chosen(value: str | None) -> None:
            if not value:
                return
            target = Path(value).expanduser()
            if target.exists():
                self.app.push_screen(ConfirmScreen(f"{target} 已存在，覆盖吗？"),
                                     lambda yes: self._write_summary(target) if yes else None)
            else:
                self._write_summary(target)

        default = self.folder / f"自评表汇总-{datetime.date.today():%Y%m%d}.xlsx"
        note = unsaved_note(self.rows)
        question = f"导出 {len(self.rows)} 份自评表的汇总表（.xlsx 或 .csv）：" + (f"\n{note}。" if note else "")
        self.app.push_screen(PromptScreen(question, str(default),
                                          check=output_check("汇总表", summary.SUFFIXES)), chosen)

    def _write_summary(self, target: Path) -> None:
        from evaltui import store, summary

        entries = [(str(r.path.relative_to(self.folder)) if r.path.is_relative_to(self.folder) else str(r.path), r.ev, r.result)
                   for r in self.rows]
        try:
            summary.write(target, summary.sheet_of(entries, self.unreadable), force=True)  # asked above
        except store.SaveError as exc:
            self.notify(str(exc), severity="error", timeout=10, markup=False)
            return
        note = unsaved_note(self.rows)
        self.notify(f"已导出汇总表（{len(self.rows)} 份{'；' + note if note else ''}）到 {target}", timeout=8, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open()
