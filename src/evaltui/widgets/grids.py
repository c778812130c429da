"""The editable grids: indicators, header fields and goals, budget lines.

Grids show an evaluation and its assessment and say which :mod:`evaltui.targets` value each
cell is; enter on a cell asks their host (the evaluation view) to edit it, in the same call.
Cells are Rich ``Text``, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from evaltui.labels import AMOUNT_COLUMNS, BUDGET_LINES, GOAL_FIELDS, HEADER_FIELDS
from evaltui.rules import ERROR, WARNING
from evaltui.targets import AmountCell, GoalText, HeaderField, IndicatorCell, Target
from evaltui.widgets.text import one_line, show, t

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.rules import Assessment


class EditingHost(Protocol):
    """What owns a grid's editing: the evaluation view. Called directly, never through messages,
    so that a key's effect is done before the next key is looked at."""

    def edit_cell(self, grid: Sheet, typed: str = "") -> None: ...

    def row_action(self, action: str) -> None: ...


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
    BINDINGS = [*VIM_KEYS, Binding("enter", "edit", "编辑", show=True)]

    def __init__(self, host: EditingHost, **kwargs) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.host = host
        self.evaluation: Evaluation | None = None

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

    def target_at(self, coordinate: Coordinate) -> Target | None:
        """The value under ``coordinate``; None (after saying why) where nothing can be edited."""
        raise NotImplementedError

    def coordinate_of(self, target: Target) -> Coordinate | None:
        """Where ``target`` is in this grid; None when it is not here."""
        raise NotImplementedError

    def action_edit(self) -> None:
        self.host.edit_cell(self)

    def action_row(self, action: str) -> None:
        self.host.row_action(action)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()  # a click on the cursor's cell
        self.host.edit_cell(self)


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


class IndicatorGrid(Sheet):
    """绩效指标: one row per indicator, columns in the order of docs/interfaces.md."""

    HELP_TITLE = "指标表格"
    BINDINGS = [
        Binding("a", "row('add')", "添加行", show=True),
        Binding("d,delete", "row('delete')", "删除行", show=True),
        Binding("K,shift+up", "row('up')", "上移", show=False),
        Binding("J,shift+down", "row('down')", "下移", show=False),
        Binding("s", "row('suggestion')", "采用建议", show=True),
        Binding("escape", "screen.focus_sidebar", "返回列表", show=False),
    ]

    def __init__(self, host: EditingHost, **kwargs) -> None:
        super().__init__(host, **kwargs)
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
        self.evaluation = ev
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

    def target_at(self, coordinate: Coordinate) -> Target | None:
        field = INDICATOR_COLUMNS[coordinate.column][0]
        if field in READ_ONLY_COLUMNS:
            self.app.bell()
            self.notify("建议得分由规则计算，不能编辑；按 s 采用建议得分", severity="warning", markup=False)
            return None
        if self.evaluation is None or not 0 <= coordinate.row < len(self.evaluation.indicators):
            return None
        return IndicatorCell(coordinate.row, field)

    def coordinate_of(self, target: Target) -> Coordinate | None:
        if not isinstance(target, IndicatorCell):
            return None
        columns = [field for field, *_ in INDICATOR_COLUMNS]
        return Coordinate(target.row, columns.index(target.field)) if target.field in columns else None


INFO_ROWS: tuple[Target, ...] = (
    HeaderField(HEADER_FIELDS[0][0]),
    HeaderField("year"),
    *(HeaderField(field) for field, _ in HEADER_FIELDS[1:]),
    *(GoalText(field) for field, _ in GOAL_FIELDS),
)


class InfoGrid(Sheet):
    """基本信息: the header fields and the two goal texts, one per row."""

    HELP_TITLE = "基本信息"
    BINDINGS = [Binding("escape", "screen.focus_sidebar", "返回列表", show=False)]

    def on_mount(self) -> None:
        self.add_column("项目", width=12, key="label")
        self.add_column("内容", key="value")

    def show_evaluation(self, ev: Evaluation, result: Assessment) -> None:
        self.evaluation = ev
        rows = []
        for target in INFO_ROWS:
            rows.append([t(target.label(ev), "bold"), t(one_line(target.value(ev)))])
        self.replace_rows(rows)

    def target_at(self, coordinate: Coordinate) -> Target | None:
        return INFO_ROWS[coordinate.row] if 0 <= coordinate.row < len(INFO_ROWS) else None

    def coordinate_of(self, target: Target) -> Coordinate | None:
        return Coordinate(INFO_ROWS.index(target), 1) if target in INFO_ROWS else None


class BudgetGrid(Sheet):
    """项目资金（万元）: four lines, three amounts each, and the computed rate and score."""

    HELP_TITLE = "项目资金"
    BINDINGS = [Binding("escape", "screen.focus_sidebar", "返回列表", show=False)]

    def on_mount(self) -> None:
        self.add_column("资金（万元）", width=18, key="line")
        for column, title in AMOUNT_COLUMNS:
            self.add_column(title, width=12, key=column)
        self.add_column("执行率", width=9, key="rate")
        self.add_column("得分", width=7, key="score")

    def show_evaluation(self, ev: Evaluation, result: Assessment) -> None:
        self.evaluation = ev
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

    def target_at(self, coordinate: Coordinate) -> Target | None:
        line = BUDGET_LINES[coordinate.row][0]
        if not 1 <= coordinate.column <= len(AMOUNT_COLUMNS):
            if coordinate.column > len(AMOUNT_COLUMNS):
                self.notify("执行率和得分由金额计算，不能编辑", severity="warning", markup=False)
            return None
        return AmountCell(line, AMOUNT_COLUMNS[coordinate.column - 1][0])

    def coordinate_of(self, target: Target) -> Coordinate | None:
        if not isinstance(target, AmountCell):
            return None
        lines = [key for key, _ in BUDGET_LINES]
        columns = [key for key, _ in AMOUNT_COLUMNS]
        return Coordinate(lines.index(target.line), columns.index(target.column) + 1)
