"""The main screen: sidebar, the evaluation view and the status panel; it owns focus and keys.

Keys in order, by construction
------------------------------
Every key of the app is decided in the app's task, one at a time, by the key router
(screens/keys.py); on this screen a character typed on a grid cell starts editing it in the
same call, and the actions here change focus with :func:`~evaltui.widgets.focus.focus_now`.
So the next key always sees the state the key before it left. Keys that come while the grids
are still being mounted, or while an evaluation chosen with enter is still being read, are
held (:meth:`MainScreen.hold`) and replayed in order.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.reactive import Reactive
from textual.widget import Widget

from evaltui.guard import guarded
from evaltui.screens.keys import binding_chain_from
from evaltui.widgets.evaluation import EvaluationView
from evaltui.widgets.focus import focus_now
from evaltui.widgets.footer import KeyFooter
from evaltui.widgets.parts import part
from evaltui.widgets.sidebar import Sidebar
from evaltui.widgets.status import StatusPanel
from evaltui.widgets.summary import Summary, SummaryLine

if TYPE_CHECKING:
    from evaltui.app import EvalApp
    from evaltui.rules import Problem

NARROW_WIDTH = 110  # below this the sidebar and the status panel fold


def sidebar_width(width: int) -> int:
    """The sidebar's columns for a terminal ``width`` columns wide: more room, a wider list."""
    return 30 if width < NARROW_WIDTH else max(24, min(36, width // 7 + 6))


def status_width(width: int) -> int:
    return 36 if width < NARROW_WIDTH else max(26, min(40, width // 5 + 2))


# Keys that only move the file list's cursor: the evaluation under it is drawn after the paint,
# once for a burst of them (EvalApp.after_paint); any other key first draws it (EvalApp.settle).
LIST_MOVES = frozenset({"up", "down", "k", "j", "pageup", "pagedown", "home", "end"})


@guarded
class MainScreen(Screen[None]):
    HELP_TITLE = "主界面"
    BINDINGS = [
        Binding("ctrl+b", "toggle_sidebar", "侧栏", show=False, id="sidebar"),
        Binding("ctrl+e", "toggle_status", "问题列表", show=False, id="status"),
        Binding("ctrl+o", "next_section", "下一部分", show=False, id="section"),
        Binding("f6", "grid_only", "全屏表格", show=False, id="grid_only", tooltip="表格占满屏幕（侧栏和问题列表收起）；再按一次恢复"),
    ]
    # Textual repaints the whole screen whenever the focus moves (the reactive's default). The
    # widgets whose focus styles change redraw themselves; the full repaint was the largest
    # part of committing a cell, where the focus goes from the cell editor back to the grid.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self) -> None:
        super().__init__()
        self.ready = False  # the evaluation view and the status panel are mounted (keys are held till then)
        self.pending: Path | None = None  # chosen with enter before it was read

    @property
    def evalapp(self) -> EvalApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        # The first paint is the folder's list; the rest is mounted right after (see _mount_rest).
        with Horizontal(id="body"):
            yield Sidebar(self.choose, id="sidebar")
            with Vertical(id="main"):
                yield SummaryLine(id="summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._apply_width(self.app.size.width)
        self.sidebar.add_class("open")
        self.sidebar.focus_list()
        self.evalapp.list_files()
        self.call_after_refresh(self._mount_rest)

    async def _mount_rest(self) -> None:
        await self.query_one("#main").mount(EvaluationView(self.evalapp, id="view"))
        await self.query_one("#body").mount(StatusPanel(self.jump_to_problem, id="status"))
        self._apply_width(self.app.size.width)
        self.ready = True
        self.evalapp.screen_ready()
        self.release("mount")

    def on_screen_suspend(self) -> None:
        """A dialog or another screen is on top: its keys are not this footer's (it keeps its place)."""
        for footer in self.query(KeyFooter):
            footer.styles.visibility = "hidden"

    def on_screen_resume(self) -> None:
        for footer in self.query(KeyFooter):
            footer.styles.visibility = "visible"
        # A resize while a dialog was on top (the ctrl+n prompt) reached this screen's layout
        # but not on_resize: the width the terminal has now is applied here.
        self._apply_width(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW_WIDTH
        if narrow != self.has_class("narrow"):
            self.set_class(narrow, "narrow")
            self._fit_sidebar()  # open on a wide terminal whatever had the keys: on a narrow one, only while used
        self.query_one("#sidebar").styles.width = sidebar_width(width)
        for status in self.query("#status"):
            status.styles.width = status_width(width)

    def _refresh_layout(self, size=None, scroll: bool = False) -> None:
        """Textual's layout, less a redraw it leaves pending: a widget whose size the layout
        changed marks itself wholly dirty (``Widget._set_dirty``), the layout draws it whole, but
        the mark stays and the next change of one line (a committed cell) redraws the whole
        widget again. Opening the cell editor resizes the grid, so every commit redrew all of
        it: 7 KB written instead of a row's few hundred bytes."""
        sizes = {widget: widget.size for widget in self._compositor.widgets}
        super()._refresh_layout(size, scroll)
        for widget, before in sizes.items():
            if widget.size != before and not widget._repaint_required:
                widget._repaint_regions.clear()

    # ------------------------------------------------------------ parts

    @property
    def sidebar(self) -> Sidebar:
        return part(self, "#sidebar", Sidebar)

    @property
    def view(self) -> EvaluationView:
        return part(self, "#view", EvaluationView)

    @property
    def status(self) -> StatusPanel:
        return part(self, "#status", StatusPanel)

    @property
    def summary(self) -> SummaryLine:
        return part(self, "#summary", SummaryLine)

    # ------------------------------------------------------------ keys

    @property
    def key_target(self) -> Widget | None:
        """Where keys go (screens/keys.py): the focused widget, or the cell editor's line while a
        cell of the focused grid is edited. The editor never takes the focus from its grid, so
        opening and closing it restyles and redraws nothing but itself."""
        focused = self.focused
        if self.ready and focused is not None:
            return self.view.typing_into(focused) or focused
        return focused

    @property
    def _binding_chain(self):
        """Textual's bindings for the focused widget, or for the cell editor's line while it takes
        the keys: the footer and the key router both read this."""
        target = self.key_target
        if target is self.focused:
            return super()._binding_chain
        return binding_chain_from(target)

    async def take_key(self, event: events.Key | events.Paste) -> None:
        """A key (or paste), as if it had just come from the terminal."""
        await self.evalapp.key_router.take(event)

    def hold(self, why: str) -> None:
        self.evalapp.key_router.hold(why)

    def release(self, why: str) -> None:
        """Stop holding for ``why``; held keys are replayed in the app's task, before any new key."""
        self.evalapp.key_router.release(why)

    # ------------------------------------------------------------ choosing and focus

    def choose(self, path: Path) -> None:
        """Enter on the file list: show ``path`` and put the cursor in its grid; hold keys until it is read."""
        app = self.evalapp
        app.open(path)
        if app.session() is None:
            if path in app.load_errors:
                from evaltui.folder import unopened_mark

                self.notify(f"此文件{unopened_mark(app.load_errors[path])}，见说明", severity="error", markup=False)
                return
            self.pending = path
            self.hold("reading")
            return
        self.pending = None
        self.release("reading")
        self.view.enter()
        self._fold_sidebar()

    def file_read(self, path: Path) -> None:
        """The app has read ``path``: a choice waiting for it goes on."""
        if self.pending == path:
            self.pending = None
            if path in self.evalapp.sessions:
                self.choose(path)
            self.release("reading")

    def jump_to_problem(self, problem: Problem) -> None:
        from evaltui.targets import for_problem

        target = for_problem(problem)
        if target is None or not self.view.jump(target):
            self.action_focus_grid()
        self._fold_sidebar()

    def _fold_sidebar(self) -> None:
        if self.has_class("narrow") and not self.sidebar.has_class("pinned"):
            self.sidebar.remove_class("open")

    def action_grid_only(self) -> None:
        """f6: the grid gets the whole width (the summary line with total and grade stays)."""
        self.toggle_class("grid-only")
        if self.has_class("grid-only"):
            self.action_focus_grid()

    def action_focus_sidebar(self) -> None:
        self._show_panel(self.sidebar)
        self.sidebar.focus_list()

    def action_focus_grid(self) -> None:
        if self.ready:
            focus_now(self.view.active_grid)
            self._fold_sidebar()

    def _panel_shown(self, panel: Widget) -> bool:
        """Whether the sidebar or the status panel is on screen (by the classes styles/evaltui.tcss reads)."""
        if self.has_class("grid-only"):
            return False
        return panel.has_class("open") if self.has_class("narrow") else not panel.has_class("hidden")

    def _hide_panel(self, panel: Widget) -> None:
        """Hide the panel; the keys it held go to the grid (a hidden widget keeps the focus and
        every key after it did nothing)."""
        had_focus = self.focused is not None and panel in self.focused.ancestors_with_self
        panel.remove_class("open", "pinned")
        panel.add_class("hidden")
        if had_focus:
            if self.ready:
                focus_now(self.view.active_grid)
            else:
                self.set_focus(None)

    def _show_panel(self, panel: Widget) -> None:
        self.remove_class("grid-only")
        panel.remove_class("hidden")
        panel.add_class("open")

    def action_toggle_sidebar(self) -> None:
        """ctrl+b: hide the sidebar, or show it (kept open on a narrow terminal) and go to its list."""
        if self._panel_shown(self.sidebar):
            self._hide_panel(self.sidebar)
            return
        self._show_panel(self.sidebar)
        self.sidebar.add_class("pinned")
        self.sidebar.focus_list()

    def action_toggle_status(self) -> None:
        """ctrl+e: hide the status panel, or show it and go to its problem list."""
        if not self.ready:
            return
        if self._panel_shown(self.status):
            self._hide_panel(self.status)
            return
        self._show_panel(self.status)
        focus_now(self.status.problem_list)

    def action_next_section(self) -> None:
        if self.ready:
            self.view.next_section()

    def watch_focused(self, focused: Widget | None) -> None:
        """At once, before the next key: an edit of a cell the focus left ends (EvaluationView.cell_left)."""
        if self.ready:
            self.view.focus_moved(focused)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        in_sidebar = self.sidebar in event.widget.ancestors_with_self
        if in_sidebar:
            self.sidebar.remove_class("hidden")
        self._fit_sidebar(in_sidebar)

    def _fit_sidebar(self, in_sidebar: bool | None = None) -> None:
        """The sidebar shows on a wide terminal, and on a narrow one while it has the keys or is pinned (ctrl+b)."""
        if in_sidebar is None:
            focused = self.focused
            in_sidebar = focused is None or self.sidebar in focused.ancestors_with_self
        self.sidebar.set_class(in_sidebar or not self.has_class("narrow") or self.sidebar.has_class("pinned"), "open")

    def on_data_table_cell_highlighted(self, event) -> None:
        """The cursor moved in a grid: the status panel explains the figure there."""
        grid = event.data_table
        if self.ready and grid.id in ("indicators", "info", "budget") and grid is self.view.active_grid:
            self.status.show_place(grid.id, event.coordinate.row)  # a hidden tab's grid redrawn says nothing

    def on_tabbed_content_tab_activated(self, event) -> None:
        if self.ready:
            grid = self.view.active_grid
            self.status.show_place(grid.id or "indicators", grid.cursor_coordinate.row)

    # ------------------------------------------------------------ showing

    def show_summary(self, content: Summary | Text | str) -> None:
        self.summary.show(content)
