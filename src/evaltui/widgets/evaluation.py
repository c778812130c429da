"""One evaluation on screen: its three tabs of grids and the cell editor, and all editing of it.

The view keeps the evaluation it shows. Enter on a cell opens the editor in the same call;
enter in the editor applies the typed text through the cell's target and hands the new
evaluation to its host at once (``host.edited``), which records it and redraws. Nothing here
goes through the message queue, so each key finds the state the key before it left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane

from evaltui.targets import IndicatorCell, Target
from evaltui.widgets.editor import EditLine
from evaltui.widgets.focus import focus_now
from evaltui.widgets.grids import BudgetGrid, IndicatorGrid, InfoGrid, Sheet

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.rules import Assessment

TABS = (("tab-indicators", "indicators"), ("tab-info", "info"), ("tab-budget", "budget"))


class ViewHost(Protocol):
    def may_edit(self) -> bool:
        """True when the evaluation on screen can be changed now (else the host says why)."""
        ...

    def edited(self, new: Evaluation) -> None:
        """Record ``new`` as the evaluation on screen and redraw it (calling ``show``)."""
        ...


class EvaluationView(Vertical):
    DEFAULT_CSS = """
    EvaluationView { height: 1fr; }
    """

    def __init__(self, host: ViewHost, **kwargs) -> None:
        super().__init__(**kwargs)
        self.host = host
        self.evaluation: Evaluation | None = None
        self.assessment: Assessment | None = None
        self._target: Target | None = None
        self._grid: Sheet | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="load-error", markup=False)
        with TabbedContent(id="sections", initial="tab-indicators"):
            with TabPane("绩效指标", id="tab-indicators"):
                yield IndicatorGrid(self, id="indicators")
            with TabPane("基本信息", id="tab-info"):
                yield InfoGrid(self, id="info")
            with TabPane("项目资金", id="tab-budget"):
                yield BudgetGrid(self, id="budget")
        yield EditLine(self, id="editor")

    # ------------------------------------------------------------ parts

    @property
    def editor(self) -> EditLine:
        return self.query_one("#editor", EditLine)

    @property
    def sections(self) -> TabbedContent:
        return self.query_one("#sections", TabbedContent)

    def grid(self, name: str = "indicators") -> Sheet:
        return self.query_one(f"#{name}", Sheet)

    @property
    def grids(self) -> list[Sheet]:
        return [self.grid(name) for _, name in TABS]

    @property
    def active_grid(self) -> Sheet:
        return self.grid(dict(TABS)[self.sections.active or "tab-indicators"])

    # ------------------------------------------------------------ showing

    def show(self, ev: Evaluation, result: Assessment) -> None:
        self.evaluation, self.assessment = ev, result
        self.sections.display = True
        self.query_one("#load-error", Static).display = False
        for grid in self.grids:
            grid.show_evaluation(ev, result)

    def show_message(self, message: Text) -> None:
        """No evaluation to show: why (being read, cannot be read)."""
        self.close_editor()
        self.evaluation, self.assessment = None, None
        self.sections.display = False
        error = self.query_one("#load-error", Static)
        error.display = True
        error.update(message)

    def enter(self) -> None:
        """The cursor on the first indicator, first column."""
        self.switch_to("tab-indicators")
        grid = self.grid("indicators")
        focus_now(grid)
        grid.move_cursor(row=0, column=0, animate=False)

    def switch_to(self, tab: str) -> Sheet:
        self.sections.active = tab
        return self.grid(dict(TABS)[tab])

    def next_section(self) -> None:
        order = [tab for tab, _ in TABS]
        tab = order[(order.index(self.sections.active or order[0]) + 1) % len(order)]
        focus_now(self.switch_to(tab))

    def jump(self, target: Target) -> bool:
        """Put the cursor on ``target``'s cell (switching tabs) and focus that grid."""
        for tab, name in TABS:
            grid = self.grid(name)
            coordinate = grid.coordinate_of(target)
            if coordinate is not None:
                self.switch_to(tab)
                focus_now(grid)
                grid.move_cursor(row=coordinate.row, column=coordinate.column, animate=False)
                return True
        return False

    # ------------------------------------------------------------ editing

    def edit_cell(self, grid: Sheet, typed: str = "") -> None:
        """Edit the cell under ``grid``'s cursor: the editor line, or the long-text editor."""
        if self.evaluation is None or self.editor.is_open:
            return
        target = grid.target_at(grid.cursor_coordinate)
        if target is None or not self.host.may_edit():
            return
        ev = self.evaluation
        if target.long:
            from evaltui.screens.dialogs import TextEditorScreen

            def done(text: str | None) -> None:
                if text is not None:
                    self._apply(target, text)
                focus_now(grid)

            self.app.push_screen(TextEditorScreen(target.label(ev), target.value(ev)), done)
            return
        self._target, self._grid = target, grid
        self.editor.open(target.label(ev), target.value(ev), target.suggestions, typed)
        focus_now(self.editor.input)

    def commit_edit(self, step: int = 0) -> None:
        """Apply the editor's text; a refusal keeps it there with the reason. ``step`` ±1 edits the next cell."""
        target, grid = self._target, self._grid
        if target is None or grid is None:
            return
        if not self._apply(target, self.editor.text):
            return
        self.close_editor()
        if step:
            column = grid.cursor_coordinate.column + step
            if 0 <= column < len(grid.columns):
                grid.move_cursor(column=column, animate=False)
                self.edit_cell(grid)

    def cancel_edit(self) -> None:
        self.close_editor()

    def close_editor(self) -> None:
        grid = self._grid
        self._target = self._grid = None
        if self.editor.is_open:
            self.editor.close()
            if grid is not None:
                focus_now(grid)

    def _apply(self, target: Target, text: str) -> bool:
        from evaltui import edits

        if self.evaluation is None:
            return False
        try:
            new = target.apply(self.evaluation, text)
        except edits.Refused as exc:
            if self.editor.is_open:
                self.editor.show_error(str(exc))
            else:
                self.notify(str(exc), severity="error", markup=False)
            return False
        self.host.edited(new)
        return True

    def row_action(self, action: str) -> None:
        """a, d, K / J, s on the indicator grid."""
        from evaltui import edits

        ev = self.evaluation
        grid = self.grid("indicators")
        if ev is None or (action != "add" and not ev.indicators) or not self.host.may_edit():
            return
        row, column = grid.cursor_coordinate
        if action == "add":
            new, at = edits.add_indicator(ev, row if ev.indicators else None)
            self.host.edited(new)
            grid.move_cursor(row=at, column=2, animate=False)
        elif action == "delete":
            name = ev.indicators[row].name or f"第 {row + 1} 行"
            self.host.edited(edits.delete_indicator(ev, row))
            self.notify(f"已删除指标“{name}”（ctrl+z 撤销）", markup=False)
        elif action in ("up", "down"):
            new, at = edits.move_indicator(ev, row, -1 if action == "up" else 1)
            self.host.edited(new)
            grid.move_cursor(row=at, column=column, animate=False)
        elif action == "suggestion":
            suggestion = self.assessment.suggestions[row] if self.assessment else None
            if suggestion is None:
                self.notify("此行没有建议得分（定性指标，或实际完成值中不止一个数字）", severity="warning", markup=False)
                return
            self.host.edited(edits.set_score(ev, row, suggestion))

    @property
    def cursor_target(self) -> Target | None:
        """The indicator cell under the indicator grid's cursor (for commands from the palette)."""
        grid = self.grid("indicators")
        if self.evaluation is None or not self.evaluation.indicators:
            return None
        return IndicatorCell(grid.cursor_coordinate.row, "score")
