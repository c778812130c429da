"""Editing the evaluation on screen: cells, rows, suggestions, undo and redo, problem jumps.

A mixin of the app: it changes evaluations only through evaltui.edits and the Session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import TabbedContent

from evaltui import locks
from evaltui.labels import AMOUNT_COLUMNS, BUDGET_LINES
from evaltui.widgets.editor import EditLine
from evaltui.widgets.grids import (
    INDICATOR_COLUMNS,
    BudgetGrid,
    EditRequested,
    EditTarget,
    IndicatorGrid,
    Sheet,
)
from evaltui.widgets.status import ProblemChosen

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.session import Session


class EditingMixin:
    def _editable(self) -> Session | None:
        """The session on screen, once this editor holds its lock; None (and why) otherwise."""
        session = self.session()
        if session is None:
            self.notify("没有可编辑的自评表", severity="warning", markup=False)
            return None
        if session.read_only:
            self.notify(f"{session.path.name} 由更新版本的 evaltui 写成，只读", severity="warning", markup=False)
            return None
        if not session.locked:
            try:
                holder = locks.acquire(session.path, self.me)
            except OSError as exc:
                self.notify(f"无法写锁文件（{exc.strerror or exc}）：别人不会知道你在编辑", severity="warning", markup=False)
                holder = None
            else:
                session.locked = holder is None
            if holder is not None:
                self.notify(f"{holder.describe()}，此表只读。命令面板中可“接管编辑”。", severity="warning",
                            timeout=8, markup=False)
                self.refresh_view()
                return None
        return session

    def on_edit_requested(self, message: EditRequested) -> None:
        if self._editable() is None:
            return
        target = message.target
        if target.long:
            from evaltui.screens.dialogs import TextEditorScreen

            def done(text: str | None) -> None:
                if text is not None:
                    self._commit(target, text)
                self._focus_grid_of(target)

            self.push_screen(TextEditorScreen(target.label, target.value), done)
        else:
            self.editor.open(target)

    def on_edit_line_committed(self, message: EditLine.Committed) -> None:
        if self._commit(message.target, message.text):
            self.editor.close()
            self._focus_grid_of(message.target)

    def on_edit_line_cancelled(self) -> None:
        target = self.editor.target
        self.editor.close()
        if target:
            self._focus_grid_of(target)

    def _commit(self, target: EditTarget, text: str) -> bool:
        """Apply typed text; on refusal show why at the editor and keep the text."""
        from evaltui import edits

        session = self._editable()
        if session is None:
            return False
        ev = session.current
        try:
            if target.kind == "indicator":
                new = edits.set_indicator(ev, target.row, target.field, text)
            elif target.kind == "header":
                new = edits.set_header(ev, target.field, text)
            elif target.kind == "goal":
                new = edits.set_goal(ev, target.field, text)
            else:
                new = edits.set_amount(ev, target.line, target.field, text)
        except edits.Refused as exc:
            if self.editor.is_open:
                self.editor.show_error(str(exc))
            else:
                self.notify(str(exc), severity="error", markup=False)
            return False
        self._apply(session, new)
        return True

    def _apply(self, session: Session, new: Evaluation) -> None:
        if session.apply(new):
            self.refresh_view()

    def _focus_grid_of(self, target: EditTarget) -> None:
        grid = {"indicator": "#indicators", "header": "#info", "goal": "#info", "amount": "#budget"}[target.kind]
        self.query_one(grid, Sheet).focus()

    def _grid_row(self) -> int:
        return self.query_one("#indicators", IndicatorGrid).cursor_coordinate.row

    def action_add_row(self) -> None:
        from evaltui import edits

        session = self._editable()
        if session is None:
            return
        after = self._grid_row() if session.current.indicators else None
        new, at = edits.add_indicator(session.current, after)
        self._apply(session, new)
        grid = self.query_one("#indicators", IndicatorGrid)
        grid.move_cursor(row=at, column=2, animate=False)

    def action_delete_row(self) -> None:
        from evaltui import edits

        session = self._editable()
        if session is None or not session.current.indicators:
            return
        row = self._grid_row()
        name = session.current.indicators[row].name or f"第 {row + 1} 行"
        self._apply(session, edits.delete_indicator(session.current, row))
        self.notify(f"已删除指标“{name}”（ctrl+z 撤销）", markup=False)

    def action_move_row(self, step: int) -> None:
        from evaltui import edits

        session = self._editable()
        if session is None or not session.current.indicators:
            return
        grid = self.query_one("#indicators", IndicatorGrid)
        column = grid.cursor_coordinate.column
        new, at = edits.move_indicator(session.current, self._grid_row(), step)
        self._apply(session, new)
        grid.move_cursor(row=at, column=column, animate=False)

    def action_apply_suggestion(self) -> None:
        from evaltui import edits

        session = self._editable()
        if session is None or not session.current.indicators:
            return
        row = self._grid_row()
        suggestion = session.assessment.suggestions[row]
        if suggestion is None:
            self.notify("此行没有建议得分（定性指标，或实际完成值中不止一个数字）", severity="warning", markup=False)
            return
        self._apply(session, edits.set_score(session.current, row, suggestion))

    def action_undo(self) -> None:
        self._step_history(back=True)

    def action_redo(self) -> None:
        self._step_history(back=False)

    def _step_history(self, *, back: bool) -> None:
        session = self.session()
        if session is None or self.editor.is_open:
            return
        if session.undo() if back else session.redo():
            self.refresh_view()
        else:
            self.notify("没有可撤销的修改" if back else "没有可重做的修改", markup=False)

    def on_problem_chosen(self, message: ProblemChosen) -> None:
        problem = message.problem
        sections = self.query_one("#sections", TabbedContent)
        if problem.row is not None:
            sections.active = "tab-indicators"
            grid = self.query_one("#indicators", IndicatorGrid)
            columns = [field for field, *_ in INDICATOR_COLUMNS]
            column = columns.index(problem.field if problem.field in columns else "score")
            grid.focus()
            grid.move_cursor(row=problem.row, column=column, animate=False)
        elif problem.field and problem.field.startswith("budget."):
            sections.active = "tab-budget"
            grid = self.query_one("#budget", BudgetGrid)
            _, line, column = problem.field.split(".")
            rows = [key for key, _ in BUDGET_LINES]
            columns = [key for key, _ in AMOUNT_COLUMNS]
            grid.focus()
            grid.move_cursor(row=rows.index(line), column=columns.index(column) + 1, animate=False)
        else:
            self.action_focus_grid()
