"""One evaluation on screen: its three tabs of grids and the cell editor, and all editing of it.

The view keeps the evaluation it shows. Enter on a cell opens the editor in the same call;
enter in the editor applies the typed text through the cell's target and hands the new
evaluation to its host at once (``host.edited``), which records it and redraws. Nothing here
goes through the message queue, so each key finds the state the key before it left.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import Input, Static, TabbedContent, TabPane

from evaltui.guard import guarded
from evaltui.targets import IndicatorDirection, Target
from evaltui.visible import visible
from evaltui.widgets.editor import EditLine
from evaltui.widgets.focus import focus_now
from evaltui.widgets.grids import BudgetGrid, IndicatorGrid, InfoGrid, Sheet
from evaltui.widgets.parts import part
from evaltui.widgets.text import Shown, t

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

    def can_edit(self) -> bool:
        """Whether editing would act now (asks nothing, says nothing): for the footer."""
        ...

    def after_paint(self, name: str, job: Callable[[], None]) -> None:
        """Do ``job`` after the next paint, or before the next key that may depend on it."""
        ...

    def foresee(self, new: Evaluation) -> None:
        """``new`` is what the cell editor's text would make of the evaluation on screen: work
        out now, between keys, what committing it will need."""
        ...


@guarded
class EvaluationView(Vertical):
    # Under the grids, the cell panel keeps one height: the detail of the cell under the
    # cursor, or the cell editor in its place while a cell is edited. So opening and closing
    # the editor, or a detail of another length, lays out and redraws these lines alone. When
    # they came and went, the grids above changed size and the whole screen was laid out and
    # drawn again: 55 ms of work after every committed cell, on a core the terminal needs.
    DEFAULT_CSS = """
    EvaluationView { height: 1fr; }
    EvaluationView #cell { height: 4; }
    EvaluationView #detail { height: 1fr; padding: 0 1; background: $boost; }
    EvaluationView #cell EditLine { display: none; }
    """
    DETAIL_LINES = 4  # the detail's height: a cell's text and its problems, then how to see the rest
    DETAIL_PROBLEMS = 3  # at most this many of the lines are the cell's problems

    def __init__(self, host: ViewHost, **kwargs) -> None:
        super().__init__(**kwargs)
        self.host = host
        self.evaluation: Evaluation | None = None
        self.assessment: Assessment | None = None
        self._target: Target | None = None
        self._grid: Sheet | None = None
        self._at: Coordinate | None = None  # the cell being edited, on ``_grid``
        self._walked: int | None = None  # the problem f8 went to last
        self._detail: Text | None = None  # as the detail line shows it
        self._behind: list[Sheet] = []  # grids of other tabs not yet showing the evaluation
        self._foreseen: tuple[Target, Evaluation, str, Evaluation] | None = None  # the editor's text applied ahead

    def compose(self) -> ComposeResult:
        yield Shown(id="load-error", markup=False)
        with TabbedContent(id="sections", initial="tab-indicators"):
            with TabPane("绩效指标", id="tab-indicators"):
                yield IndicatorGrid(self, id="indicators")
            with TabPane("基本信息", id="tab-info"):
                yield InfoGrid(self, id="info")
            with TabPane("项目资金", id="tab-budget"):
                yield BudgetGrid(self, id="budget")
        with Vertical(id="cell"):
            yield Shown(id="detail", markup=False)
            yield EditLine(self, id="editor")

    # ------------------------------------------------------------ parts

    @property
    def editor(self) -> EditLine:
        return part(self, "#editor", EditLine)

    @property
    def sections(self) -> TabbedContent:
        return part(self, "#sections", TabbedContent)

    def grid(self, name: str = "indicators") -> Sheet:
        return part(self, f"#{name}", Sheet)

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
        self.query_one("#cell").display = True
        self.query_one("#load-error", Static).display = False
        active = self.active_grid
        active.show_evaluation(ev, result)
        # the other tabs' grids after the paint, or before whatever looks at them
        self._behind = [grid for grid in self.grids if grid is not active]
        self.host.after_paint("grids", self.show_behind)
        self.cursor_moved(active)

    def show_behind(self) -> None:
        """Draw the evaluation in the grids of the tabs not shown (:meth:`show` leaves them)."""
        behind, self._behind = self._behind, []
        if self.evaluation is not None and self.assessment is not None:
            for grid in behind:
                grid.show_evaluation(self.evaluation, self.assessment)

    def show_message(self, message: Text) -> None:
        """No evaluation to show: why (being read, cannot be read)."""
        self.close_editor()
        self.evaluation, self.assessment = None, None
        self.sections.display = False
        self.query_one("#cell").display = False
        error = self.query_one("#load-error", Static)
        error.display = True
        error.update(message)

    def enter(self) -> None:
        """The cursor on the first indicator, first column."""
        self._walked = None
        self.switch_to("tab-indicators")
        grid = self.grid("indicators")
        focus_now(grid)
        grid.move_cursor(row=0, column=0, animate=False)

    def switch_to(self, tab: str) -> Sheet:
        self.show_behind()
        self.sections.active = tab
        grid = self.grid(dict(TABS)[tab])
        self.cursor_moved(grid)
        return grid

    # ------------------------------------------------------------ the cell under the cursor

    def cursor_moved(self, grid: Sheet) -> None:
        """The detail line: the whole text of the cell under the cursor, and its problems. Drawn
        after the paint: its height changes with the cell, and then the whole screen is laid
        out again; the cursor (or the committed cell and the total) shows first."""
        if grid is self._grid and grid.cursor_coordinate != self._at:
            self.cell_left()
        if self.is_mounted and grid is self.active_grid:
            self.host.after_paint("detail", self.show_detail)

    def on_resize(self) -> None:
        """Another width (the sidebar shown beside it, the terminal resized): the detail is
        wrapped and cut anew for it."""
        self._detail = None
        if self.is_mounted:
            self.host.after_paint("detail", self.show_detail)

    def show_detail(self) -> None:
        if not self.is_mounted:
            return
        grid = self.active_grid
        if self.evaluation is None or self.assessment is None:
            return
        text = self.detail_text(grid)
        if text != self._detail:
            self._detail = text
            self.query_one("#detail", Shown).update(text, layout=False)  # its height is fixed

    def detail_text(self, grid: Sheet) -> Text:
        from evaltui.targets import for_problem
        from evaltui.widgets.grids import MARKS
        from evaltui.widgets.paragraph import wrap_lines
        from evaltui.widgets.status import SEVERITY_STYLE, errors_first
        from evaltui.widgets.summary import cut

        coordinate = grid.cursor_coordinate
        title, value = grid.detail_at(coordinate)
        problems = []
        for problem in errors_first(self.assessment.problems if self.assessment else ()):
            target = for_problem(problem)
            if target is not None and grid.holds(target, coordinate):
                label, style = SEVERITY_STYLE[problem.severity]
                symbol = MARKS.get(problem.severity, ("", ""))[0]
                line = Text(label if label.startswith(symbol) else symbol + label, style=style)
                line.append(" ")
                line.append_text(t(problem.message))
                problems.append(line)
        problems = problems[: self.DETAIL_PROBLEMS]
        # Lines as the panel shows them: the cell's text wrapped to its width, then each problem
        # on one line, cut with … (wrapped, a problem's second line fell out of the four).
        width = self.query_one("#detail", Shown).content_size.width
        head = Text()
        head.append(f"{title}：" if title else "", style="bold")
        head.append_text(t(value, "") if value else t("（空）", "dim"))
        lines = wrap_lines(head, width) if width > 0 else list(head.split("\n"))
        room = self.DETAIL_LINES - len(problems)  # lines for the cell's text
        if len(lines) > room:
            more = Text(f"……（共 {len(value.splitlines())} 行，enter 查看全部）", style="dim")
            if room > 1:
                lines = lines[: room - 1] + [more]
            else:
                lines = [cut(lines[0], max(1, width - cell_len(more.plain))) + more if width > 0 else lines[0] + more]
        shown = lines + [cut(line, width) if width > 0 else line for line in problems]
        return Text("\n").join(shown)

    def problem_step(self, grid: Sheet, step: int) -> None:
        """f8 / shift+f8: the cursor to the next / previous problem of the evaluation, errors first."""
        from evaltui.targets import for_problem
        from evaltui.widgets.status import SEVERITY_STYLE, errors_first

        problems = errors_first(self.assessment.problems) if self.assessment else []
        if not problems:
            self.notify("此表没有问题", markup=False)
            return
        here = grid.cursor_coordinate
        at = [i for i, p in enumerate(problems) if (t := for_problem(p)) is not None and grid.holds(t, here)]
        if self._walked is not None and self._walked in at:
            current = self._walked
        elif at:
            current = at[0]
        else:
            current = self._walked if self._walked is not None and self._walked < len(problems) else None
        index = (step - 1 if step > 0 else step) % len(problems) if current is None else (current + step) % len(problems)
        self._walked = index
        problem = problems[index]
        target = for_problem(problem)
        label = SEVERITY_STYLE[problem.severity][0]
        if target is None or not self.jump(target):
            self.notify(f"{index + 1}/{len(problems)} {label}：{problem.message}", markup=False)
        else:
            self.cursor_moved(self.active_grid)

    def next_section(self) -> None:
        order = [tab for tab, _ in TABS]
        tab = order[(order.index(self.sections.active or order[0]) + 1) % len(order)]
        focus_now(self.switch_to(tab))

    def jump(self, target: Target) -> bool:
        """Put the cursor on ``target``'s cell (switching tabs) and focus that grid."""
        self.show_behind()
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

    def can_edit(self) -> bool:
        return self.evaluation is not None and self.host.can_edit()

    def edit_cell(self, grid: Sheet, typed: str = "", pasted: bool = False) -> None:
        """Edit the cell under ``grid``'s cursor: the editor line, or the long-text editor.
        ``pasted``: ``typed`` is a paste, which only the long-text editor starts from (the
        editor line opens as with enter, and the paste is typed into it: Sheet.paste_to_edit)."""
        if self.evaluation is None or self.editor.is_open:
            return
        target = grid.target_at(grid.cursor_coordinate)
        if target is not None and self.host.may_edit():
            self.edit_target(grid, target, "" if pasted and not target.long else typed)

    def edit_target(self, grid: Sheet, target: Target, typed: str = "") -> None:
        ev = self.evaluation
        if ev is None or self.editor.is_open:
            return
        if target.long:
            from evaltui.screens.dialogs import TextEditorScreen

            def done(text: str | None) -> None:
                if text is not None:
                    self._apply(target, text)
                focus_now(grid)

            self.app.push_screen(TextEditorScreen(target.label(ev), typed or target.value(ev), self._refusal(target)), done)
            return
        self._target, self._grid, self._at = target, grid, grid.cursor_coordinate
        focus_now(grid)
        self.editor.open(target.label(ev), target.value(ev), target.suggestions, typed)
        self._editor_shown(True)
        self.screen.refresh_bindings()  # the footer: the editor's keys

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self.editor.input and self.editor.is_open:
            self.host.after_paint("foresee", self._foresee)

    def _foresee(self) -> None:
        """Apply the editor's text ahead, between keys, so that enter finds the new evaluation
        and its verdict ready (:meth:`_apply`): the committed cell and its total show sooner."""
        from evaltui import edits

        target, ev = self._target, self.evaluation
        if target is None or ev is None or not self.editor.is_open or self.editor.refusal():
            return
        text = self.editor.text
        try:
            new = target.apply(ev, text)
        except edits.Refused:
            return
        self._foreseen = (target, ev, text, new)
        self.host.foresee(new)

    def typing_into(self, focused: Widget) -> Widget | None:
        """The cell editor's line while it edits a cell of ``focused`` (it takes the keys then)."""
        return self.editor.input if self.editor.is_open and focused is self._grid else None

    def commit_edit(self, step: int = 0) -> None:
        """Apply the editor's text; a refusal keeps it there with the reason. ``step`` ±1 edits the next cell."""
        target, grid = self._target, self._grid
        if target is None or grid is None:
            return
        refusal = self.editor.refusal()
        if refusal:
            self.editor.refuse(refusal, step)
            return
        if not self._apply(target, self.editor.text, step):
            return
        self.close_editor()
        if step:
            row, column = grid.cursor_coordinate
            column += step
            while 0 <= column < len(grid.columns) and not grid.editable(Coordinate(row, column)):
                column += step  # a computed cell (建议, 执行率) is passed by
            if 0 <= column < len(grid.columns):
                grid.move_cursor(column=column, animate=False)
                self.edit_cell(grid)

    def cancel_edit(self) -> None:
        self.close_editor()

    def focus_moved(self, widget: Widget | None) -> None:
        """The main screen's focus went to ``widget``: an edit of a cell of another grid ends."""
        if self._grid is not None and widget is not self._grid:
            self.cell_left()

    def cell_left(self) -> None:
        """The cell being edited lost the keys before its text was confirmed: the focus went to
        another grid or panel (ctrl+o, ctrl+b, ctrl+e, a click), or its grid's cursor was moved
        (the file chosen again, f8 from another grid). The edit is cancelled, as escape does,
        and what was typed is named: it was kept open before, and what was typed after went
        into the cell first edited, not the one under the cursor."""
        typed = self.editor.typed()
        self.close_editor()
        if typed is not None:
            self.notify(f"编辑已取消，未填入：{visible(typed)}", severity="warning", markup=False)

    def close_editor(self) -> None:
        self._target = self._grid = self._at = None
        if self.editor.is_open:
            self.editor.close()
            self.screen.refresh_bindings()  # the footer: the grid's keys again
            # The line goes after the paint: taking it away lays out the whole screen again,
            # and the committed cell and the total are what the user waits for.
            self.host.after_paint("editor", self._detail_back)

    def _detail_back(self) -> None:
        """The detail in the editor's place again, unless another edit opened it meanwhile."""
        if not self.editor.is_open:
            self._editor_shown(False)

    def _editor_shown(self, shown: bool) -> None:
        # display set on the two widgets, not a class on the panel: a class makes Textual match
        # the stylesheet against every widget under the panel again (5 ms)
        self.editor.display = shown
        self.query_one("#detail").display = not shown

    def _refusal(self, target: Target):
        """Why the evaluation on screen cannot take a text at ``target`` (None: it can): the
        long-text editor asks before it closes, so a refused text stays in it."""
        from evaltui import edits

        def refusal(text: str) -> str | None:
            if self.evaluation is None:
                return "此表已不在屏幕上"
            try:
                target.apply(self.evaluation, text)
            except edits.Refused as exc:
                return str(exc)
            return None

        return refusal

    def _apply(self, target: Target, text: str, step: int = 0) -> bool:
        from evaltui import edits

        if self.evaluation is None:
            return False
        foreseen, self._foreseen = self._foreseen, None
        try:
            if foreseen is not None and foreseen[0] is target and foreseen[1] is self.evaluation and foreseen[2] == text:
                new = foreseen[3]  # applied ahead (_foresee): the same target, evaluation and text
            else:
                new = target.apply(self.evaluation, text)
        except edits.Refused as exc:
            if self.editor.is_open:
                self.editor.refuse(str(exc), step)
            else:
                self.notify(str(exc), severity="error", markup=False)
            return False
        self.host.edited(new)
        return True

    def row_action(self, action: str) -> None:
        """a, d, K / J, s, u on the indicator grid."""
        from evaltui import edits

        ev = self.evaluation
        grid = self.grid("indicators")
        if ev is None or self.editor.is_open or (action != "add" and not ev.indicators) or not self.host.may_edit():
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
        elif action == "applicable":
            ind = ev.indicators[row]
            self.host.edited(edits.toggle_applicable(ev, row))
            name = ind.name or f"第 {row + 1} 行"
            self.notify(f"指标“{name}”{'已标记为不适用，不计入总分' if ind.applicable else '恢复为适用'}（再按 u 取消）",
                        markup=False)
        elif action == "direction":
            self.edit_target(grid, IndicatorDirection(row))
        elif action == "suggestion":
            suggestion = self.assessment.suggestions[row] if self.assessment else None
            if suggestion is None:
                self.notify("此行没有建议得分（定性指标，或实际完成值中不止一个数字）", severity="warning", markup=False)
                return
            self.host.edited(edits.set_score(ev, row, suggestion))
