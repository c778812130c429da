"""The editable grids: indicators, header fields and goals, budget lines.

Grids only show an evaluation and its assessment; enter on a cell posts
:class:`EditRequested` and the app does the editing. Cells are Rich ``Text``, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from evaltui.labels import AMOUNT_COLUMNS, BUDGET_LINES, GOAL_FIELDS, HEADER_FIELDS, LEVEL2_NAMES, STANDARD_CATEGORIES
from evaltui.rules import ERROR, WARNING
from evaltui.widgets.text import one_line, show, t

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.rules import Assessment


@dataclass(frozen=True)
class EditTarget:
    """Which value a person wants to edit, and how to offer the editor."""

    kind: str  # indicator, header, goal, amount
    field: str
    label: str
    value: str
    row: int = 0
    line: str = ""  # budget line for amounts
    long: bool = False  # multi-line editor
    suggestions: tuple[str, ...] = ()


class EditRequested(Message):
    def __init__(self, target: EditTarget) -> None:
        super().__init__()
        self.target = target


VIM_KEYS = [
    Binding("h", "cursor_left", "左", show=False),
    Binding("j", "cursor_down", "下", show=False),
    Binding("k", "cursor_up", "上", show=False),
    Binding("l", "cursor_right", "右", show=False),
]


class Sheet(DataTable):
    """A DataTable of cells that keeps its cursor when its rows are rebuilt."""

    DEFAULT_CSS = """
    Sheet { height: 1fr; }
    """
    BINDINGS = [*VIM_KEYS, Binding("enter", "select_cursor", "编辑", show=True)]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)

    def replace_rows(self, rows: list[list[Text]]) -> None:
        """Show new rows; cells change in place when the shape is the same, so the view stays put."""
        if self.row_count == len(rows) and rows:
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    if self.get_cell_at(Coordinate(r, c)) != cell:
                        self.update_cell_at(Coordinate(r, c), cell)
            return
        cursor = self.cursor_coordinate
        self.clear()
        for row in rows:
            self.add_row(*row)
        if rows:
            self.move_cursor(row=min(cursor.row, len(rows) - 1), column=cursor.column, animate=False)
            self.call_after_refresh(self._keep_cursor_in_view)

    def _keep_cursor_in_view(self) -> None:
        """After a rebuild the view may have scrolled away: bring the cursor (wherever it is now) back."""
        self.move_cursor(row=self.cursor_row, column=self.cursor_column, animate=False)

    def target_at(self, coordinate: Coordinate) -> EditTarget | None:
        raise NotImplementedError

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        target = self.target_at(event.coordinate)
        if target is not None:
            self.post_message(EditRequested(target))


INDICATOR_COLUMNS = (
    # field, title, narrowest width, share of the room left over
    ("level1", "一级指标", 10, 0),
    ("level2", "二级指标", 10, 0.6),
    ("name", "三级指标", 14, 3),
    ("target", "年度指标值", 8, 1),
    ("actual", "实际完成值", 8, 1.5),
    ("weight", "分值", 4, 0),
    ("score", "得分", 5, 0),
    ("suggested", "建议", 5, 0),
    ("reason", "偏差原因分析及改进措施", 12, 3),
)
CELL_PADDING = 2  # DataTable pads every cell by one on each side


def column_widths(room: int) -> list[int]:
    """Widths that fill ``room`` columns: each its narrowest, the rest shared out."""
    base = [minimum for _, _, minimum, _ in INDICATOR_COLUMNS]
    spare = room - sum(base) - CELL_PADDING * len(base) - 2
    shares = [share for _, _, _, share in INDICATOR_COLUMNS]
    if spare <= 0:
        return base
    total = sum(shares)
    return [width + int(spare * share / total) for width, share in zip(base, shares)]
READ_ONLY_COLUMNS = {"suggested"}
LEVEL2_CHOICES = tuple(sorted(LEVEL2_NAMES))


class IndicatorGrid(Sheet):
    """绩效指标: one row per indicator, columns in the order of docs/interfaces.md."""

    HELP_TITLE = "指标表格"
    BINDINGS = [
        Binding("a", "app.add_row", "添加行", show=True),
        Binding("d,delete", "app.delete_row", "删除行", show=True),
        Binding("K,shift+up", "app.move_row(-1)", "上移", show=False),
        Binding("J,shift+down", "app.move_row(1)", "下移", show=False),
        Binding("s", "app.apply_suggestion", "采用建议", show=True),
        Binding("escape", "app.focus_sidebar", "返回列表", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: list[list[Text]] = []
        self._room = 0

    def on_mount(self) -> None:
        self._set_columns(column_widths(0))

    def _set_columns(self, widths: list[int]) -> None:
        self.clear(columns=True)
        for (field, title, _, _), width in zip(INDICATOR_COLUMNS, widths):
            self.add_column(title, width=width, key=field)

    def on_resize(self, event) -> None:
        if event.size.width != self._room:
            self._room = event.size.width
            cursor = self.cursor_coordinate
            self._set_columns(column_widths(self._room))
            rows, self._rows = self._rows, []
            self.replace_rows(rows)
            if rows:
                self.move_cursor(row=cursor.row, column=cursor.column, animate=False)

    def replace_rows(self, rows: list[list[Text]]) -> None:
        self._rows = rows
        super().replace_rows(rows)

    def show_evaluation(self, ev: Evaluation, result: Assessment) -> None:
        marks: dict[tuple[int, str], str] = {}
        for p in result.problems:
            if p.row is not None and p.field:
                worst = marks.get((p.row, p.field))
                if worst != ERROR:
                    marks[(p.row, p.field)] = p.severity
        rows = []
        for i, (ind, suggestion) in enumerate(zip(ev.indicators, result.suggestions)):
            row = []
            for field, *_ in INDICATOR_COLUMNS:
                if field == "suggested":
                    text = t(show(suggestion), "italic dim")
                    if suggestion is not None and marks.get((i, "score")) == WARNING:
                        text.stylize("yellow")
                else:
                    value = getattr(ind, field)
                    text = t(one_line(show(value)))
                    severity = marks.get((i, field))
                    if severity == ERROR:
                        text.stylize("bold red")
                    elif severity == WARNING:
                        text.stylize("yellow")
                row.append(text)
            rows.append(row)
        self.replace_rows(rows)

    def field_at(self, column: int) -> str:
        return INDICATOR_COLUMNS[column][0]

    def target_at(self, coordinate: Coordinate) -> EditTarget | None:
        field, title, *_ = INDICATOR_COLUMNS[coordinate.column]
        if field in READ_ONLY_COLUMNS:
            self.app.bell()
            self.notify("建议得分由规则计算，不能编辑；按 s 采用建议得分", severity="warning", markup=False)
            return None
        ind = self.app.current_evaluation().indicators[coordinate.row]
        suggestions = {"level1": tuple(STANDARD_CATEGORIES), "level2": LEVEL2_CHOICES}.get(field, ())
        return EditTarget(
            "indicator", field, f"{title} · {ind.name or f'第 {coordinate.row + 1} 行'}",
            show(getattr(ind, field)), row=coordinate.row, long=field == "reason", suggestions=suggestions,
        )


INFO_ROWS = (  # kind, field, label
    ("header", *HEADER_FIELDS[0]),
    ("header", "year", "年度"),
    *(("header", field, label) for field, label in HEADER_FIELDS[1:]),
    *(("goal", field, label) for field, label in GOAL_FIELDS),
)


def _info_value(ev: Evaluation, kind: str, field: str) -> str:
    value = getattr(ev.goals, field) if kind == "goal" else getattr(ev, field)
    return "" if value is None else str(value)


class InfoGrid(Sheet):
    """基本信息: the header fields and the two goal texts, one per row."""

    HELP_TITLE = "基本信息"
    BINDINGS = [Binding("escape", "app.focus_sidebar", "返回列表", show=False)]

    def on_mount(self) -> None:
        self.add_column("项目", width=12, key="label")
        self.add_column("内容", key="value")

    def show_evaluation(self, ev: Evaluation, result: Assessment) -> None:
        rows = []
        for kind, field, label in INFO_ROWS:
            rows.append([t(label, "bold"), t(one_line(_info_value(ev, kind, field)))])
        self.replace_rows(rows)

    def target_at(self, coordinate: Coordinate) -> EditTarget | None:
        kind, field, label = INFO_ROWS[coordinate.row]
        value = _info_value(self.app.current_evaluation(), kind, field)
        return EditTarget(kind, field, label, value, long=kind == "goal")


class BudgetGrid(Sheet):
    """项目资金（万元）: four lines, three amounts each, and the computed rate and score."""

    HELP_TITLE = "项目资金"
    BINDINGS = [Binding("escape", "app.focus_sidebar", "返回列表", show=False)]

    def on_mount(self) -> None:
        self.add_column("资金（万元）", width=18, key="line")
        for column, title in AMOUNT_COLUMNS:
            self.add_column(title, width=12, key=column)
        self.add_column("执行率", width=9, key="rate")
        self.add_column("得分", width=7, key="score")

    def show_evaluation(self, ev: Evaluation, result: Assessment) -> None:
        flagged = {p.field for p in result.problems if p.field and p.field.startswith("budget.")}
        rows = []
        for line, label in BUDGET_LINES:
            amounts = getattr(ev.budget, line)
            row = [t(label, "bold")]
            for column, _ in AMOUNT_COLUMNS:
                cell = t(show(getattr(amounts, column)))
                if f"budget.{line}.{column}" in flagged:
                    cell.stylize("yellow")
                row.append(cell)
            if line == "total":
                rate = "—" if result.execution_rate is None else f"{show(result.execution_rate)}%"
                row += [t(rate, "italic"), t(show(result.execution_score), "italic")]
            else:
                row += [t(""), t("")]
            rows.append(row)
        self.replace_rows(rows)

    def target_at(self, coordinate: Coordinate) -> EditTarget | None:
        line, line_label = BUDGET_LINES[coordinate.row]
        if not 1 <= coordinate.column <= len(AMOUNT_COLUMNS):
            if coordinate.column > len(AMOUNT_COLUMNS):
                self.notify("执行率和得分由金额计算，不能编辑", severity="warning", markup=False)
            return None
        column, title = AMOUNT_COLUMNS[coordinate.column - 1]
        value = getattr(getattr(self.app.current_evaluation().budget, line), column)
        return EditTarget("amount", column, f"{line_label} · {title}（万元）", show(value), line=line)
