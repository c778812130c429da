"""The Textual app: a folder of evaluations, edited from the keyboard, scored as you type.

The app owns the state (one Session per opened file); widgets only show it and send edits
back as messages. Every number on screen comes from evaltui.rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from typing import TYPE_CHECKING

from evaltui import files, locks
from evaltui.rules import ERROR
from evaltui.widgets.editor import EditLine
from evaltui.widgets.grids import (
    INDICATOR_COLUMNS,
    BudgetGrid,
    EditRequested,
    EditTarget,
    IndicatorGrid,
    InfoGrid,
    Sheet,
)
from evaltui.widgets.sidebar import Entry, Sidebar
from evaltui.widgets.status import ProblemChosen, StatusPanel, summary_text
from evaltui.widgets.text import t

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.session import Session

# Parsing (pydantic, tomli), the dialogs and Word are imported where they are first needed,
# so that the first screen paints before them.

NARROW_WIDTH = 110  # below this the sidebar and the status panel fold
LOAD_BATCH = 50
WATCH_SECONDS = 2.0  # how often files on disk are compared with what is on screen


def styles_path() -> Path:
    """styles/evaltui.tcss in a checkout, or the copy installed with the package."""
    checkout = Path(__file__).resolve().parents[2] / "styles" / "evaltui.tcss"
    if checkout.exists():
        return checkout
    from importlib.resources import files

    return Path(str(files("evaltui.styles") / "evaltui.tcss"))


class FilesLoaded(Message):
    """A batch of files read by the loading worker."""

    def __init__(self, results: list[tuple[Path, Session | str]], done: int, total: int) -> None:
        super().__init__()
        self.results = results
        self.done = done
        self.total = total


class FilesChanged(Message):
    """Files read again by the watcher: sessions, or why a file cannot be read now."""

    def __init__(self, results: list[tuple[Path, Session | str]]) -> None:
        super().__init__()
        self.results = results


class EvalApp(App[None]):
    TITLE = "evaltui"
    CSS_PATH = str(styles_path())
    HELP_TITLE = "任何位置"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", show=True, priority=True, id="save"),
        Binding("ctrl+q", "quit_app", "退出", show=True, priority=True, id="quit"),
        Binding("ctrl+z", "undo", "撤销", show=False, id="undo"),
        Binding("ctrl+y", "redo", "重做", show=False, id="redo"),
        Binding("f1,question_mark", "help", "帮助", show=True, id="help"),
        Binding("ctrl+p", "command_palette", "命令面板", show=False, id="palette"),
        Binding("ctrl+r", "review", "汇总审阅", show=True, id="review"),
        Binding("ctrl+n", "new", "新建", show=False, id="new"),
        Binding("ctrl+b", "toggle_sidebar", "侧栏", show=False, id="sidebar"),
        Binding("ctrl+e", "toggle_status", "问题列表", show=False, id="status"),
        Binding("ctrl+o", "next_section", "下一部分", show=False, id="section"),
    ]

    def __init__(self, path: Path | str = ".") -> None:
        super().__init__()
        given = Path(path)
        self.single_file = given if given.suffix == files.SUFFIX and not given.is_dir() else None
        self.folder = given.parent if self.single_file else given
        self.sessions: dict[Path, Session] = {}
        self.load_errors: dict[Path, str] = {}
        self.current: Path | None = None
        self.loaded = False
        self.me = locks.me()

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield Sidebar(id="sidebar")
            with Vertical(id="main"):
                yield Static(id="summary", markup=False)
                yield Static(id="load-error", markup=False)
                with TabbedContent(id="sections", initial="tab-indicators"):
                    with TabPane("绩效指标", id="tab-indicators"):
                        yield IndicatorGrid(id="indicators")
                    with TabPane("基本信息", id="tab-info"):
                        yield InfoGrid(id="info")
                    with TabPane("项目资金", id="tab-budget"):
                        yield BudgetGrid(id="budget")
                yield EditLine(id="editor")
            yield StatusPanel(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._apply_width(self.size.width)
        self.sidebar.focus_list()
        self.sidebar.add_class("open")
        self.query_one("#summary", Static).update(t("正在读取…"))
        paths = self._paths()
        self.sidebar.set_entries([Entry(path, name=path.stem, loading=True) for path in paths])
        self.sidebar.set_loading(f"读取中 0/{len(paths)}" if paths else "")
        # Parsing starts once the first screen is painted: its imports would hold the GIL.
        self.call_after_refresh(self.load_folder, paths)

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.screen.set_class(width < NARROW_WIDTH, "narrow")

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one("#sidebar", Sidebar)

    @property
    def editor(self) -> EditLine:
        return self.query_one("#editor", EditLine)

    # ------------------------------------------------------------ loading

    def _paths(self) -> list[Path]:
        if self.single_file is not None:
            return [self.single_file]
        return list(files.find([self.folder])) if self.folder.is_dir() else []

    @work(thread=True, exclusive=True, group="load")
    def load_folder(self, paths: list[Path]) -> None:
        from evaltui import store
        from evaltui.session import Session

        batch: list[tuple[Path, Session | str]] = []
        for done, path in enumerate(paths, start=1):
            try:
                batch.append((path, Session.open(path)))
            except store.LoadError as exc:
                batch.append((path, exc.message))
            except OSError as exc:
                batch.append((path, f"无法读取（{exc.strerror or exc}）"))
            if len(batch) >= LOAD_BATCH or done == len(paths) or done == 1:
                self.post_message(FilesLoaded(batch, done, len(paths)))
                batch = []
        if not paths:
            self.post_message(FilesLoaded([], 0, 0))

    def on_files_loaded(self, message: FilesLoaded) -> None:
        for path, result in message.results:
            if isinstance(result, str):
                self.load_errors[path] = result
            else:
                self.sessions.setdefault(path, result)
                self.load_errors.pop(path, None)
        finished = message.done >= message.total
        self.sidebar.loading = "" if finished else f"读取中 {message.done}/{message.total}"
        self.sidebar.update_entries([self.entry(path) for path, _ in message.results])
        highlighted = self.sidebar.highlighted_path()
        if highlighted is not None and (self.current is None or highlighted == self.current):
            if self.current is None or any(path == highlighted for path, _ in message.results):
                self.show(highlighted)
        elif self.current is None and finished:
            self.query_one("#summary", Static).update(
                t(f"{self.folder} 中没有自评表（.toml）。ctrl+n 新建，或在命令面板（ctrl+p）中导入 Word。"))
        if finished and not self.loaded:
            self.loaded = True
            self.set_interval(WATCH_SECONDS, self.watch_files)

    def entry(self, path: Path) -> Entry:
        if path in self.load_errors:
            return Entry(path, load_error=self.load_errors[path])
        session = self.sessions.get(path)
        if session is None:
            return Entry(path, name=path.stem, loading=True)
        result = session.assessment
        return Entry(
            path, name=session.current.name, year=session.current.year, total=result.total, grade=result.grade,
            problems=len(result.problems), errors=result.count(ERROR), dirty=session.dirty,
            read_only=session.read_only,
        )

    # ------------------------------------------------------------ showing

    def session(self) -> Session | None:
        return self.sessions.get(self.current) if self.current else None

    def current_evaluation(self) -> Evaluation:
        session = self.session()
        assert session is not None
        return session.current

    def show(self, path: Path) -> None:
        """Put an evaluation (or why its file cannot be read) on screen."""
        if self.editor.is_open:
            self.editor.close()
        self.current = path
        self.refresh_view()

    def refresh_view(self) -> None:
        session = self.session()
        error = self.load_errors.get(self.current) if self.current else None
        sections = self.query_one("#sections", TabbedContent)
        load_error = self.query_one("#load-error", Static)
        summary = self.query_one("#summary", Static)
        status = self.query_one("#status", StatusPanel)
        if session is None:
            sections.display = False
            load_error.display = True
            if error:
                message = f"无法读取 {self.current}：\n{error}\n\n此文件不会被改写。请用文本编辑器修正后重新打开 evaltui。"
                load_error.update(t(message, "red"))
                summary.update(t(f"✗ {self.current.name if self.current else ''}", "bold red"))
                status.show_result(None, None, "此文件无法读取")
            else:
                load_error.update(t("正在读取…"))
                summary.update(t(f"正在读取 {self.current.name if self.current else ''}…"))
                status.show_result(None, None, "")
            return
        sections.display = True
        load_error.display = False
        result = session.assessment
        ev = session.current
        holder = None if session.locked else locks.holder(session.path, self.me)
        summary.update(summary_text(ev, result, dirty=session.dirty, read_only=session.read_only,
                                    path_name=session.path.name, holder=holder.describe() if holder else ""))
        for grid in self.query(Sheet):
            grid.show_evaluation(ev, result)
        status.show_result(ev, result)
        if self.current in self.sidebar.entries:
            self.sidebar.update_entry(self.entry(self.current))

    # ------------------------------------------------------------ sidebar and focus

    @on(Sidebar.Highlighted)
    def _highlighted(self, message: Sidebar.Highlighted) -> None:
        if message.path != self.current:
            self.show(message.path)

    @on(Sidebar.Chosen)
    def _chosen(self, message: Sidebar.Chosen) -> None:
        if message.path != self.current:
            self.show(message.path)
        if self.session() is None:
            if self.current in self.load_errors:
                self.notify("此文件无法读取，见说明", severity="error", markup=False)
            return
        self.query_one("#sections", TabbedContent).active = "tab-indicators"
        grid = self.query_one("#indicators", IndicatorGrid)
        grid.focus()
        grid.move_cursor(row=0, column=0, animate=False)

    def on_descendant_focus(self, event) -> None:
        in_sidebar = self.sidebar in event.widget.ancestors_with_self
        self.sidebar.set_class(in_sidebar or not self.screen.has_class("narrow") or self.sidebar.has_class("pinned"), "open")

    def action_focus_sidebar(self) -> None:
        self.sidebar.add_class("open")
        self.sidebar.focus_list()

    def action_focus_grid(self) -> None:
        self.query_one("#indicators", IndicatorGrid).focus()

    def action_toggle_sidebar(self) -> None:
        pinned = not self.sidebar.has_class("pinned")
        self.sidebar.set_class(pinned, "pinned")
        self.sidebar.set_class(pinned, "open")
        if pinned:
            self.sidebar.focus_list()

    def action_toggle_status(self) -> None:
        status = self.query_one("#status", StatusPanel)
        status.toggle_class("open")
        if status.has_class("open"):
            status.focus_problems()

    def action_next_section(self) -> None:
        sections = self.query_one("#sections", TabbedContent)
        order = ["tab-indicators", "tab-info", "tab-budget"]
        sections.active = order[(order.index(sections.active) + 1) % len(order)]
        grid = {"tab-indicators": "#indicators", "tab-info": "#info", "tab-budget": "#budget"}[sections.active]
        self.query_one(grid, Sheet).focus()

    # ------------------------------------------------------------ editing

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

    @on(EditRequested)
    def _edit_requested(self, message: EditRequested) -> None:
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

    @on(EditLine.Committed)
    def _edit_committed(self, message: EditLine.Committed) -> None:
        if self._commit(message.target, message.text):
            self.editor.close()
            self._focus_grid_of(message.target)

    @on(EditLine.Cancelled)
    def _edit_cancelled(self) -> None:
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
        session = self.session()
        if session is None or self.editor.is_open:
            return
        if session.undo():
            self.refresh_view()
        else:
            self.notify("没有可撤销的修改", markup=False)

    def action_redo(self) -> None:
        session = self.session()
        if session is None or self.editor.is_open:
            return
        if session.redo():
            self.refresh_view()
        else:
            self.notify("没有可重做的修改", markup=False)

    @on(ProblemChosen)
    def _problem_chosen(self, message: ProblemChosen) -> None:
        problem = message.problem
        sections = self.query_one("#sections", TabbedContent)
        if problem.row is not None:
            sections.active = "tab-indicators"
            grid = self.query_one("#indicators", IndicatorGrid)
            columns = [field for field, *_ in INDICATOR_COLUMNS]
            column = columns.index(problem.field) if problem.field in columns else 6
            grid.focus()
            grid.move_cursor(row=problem.row, column=column, animate=False)
        elif problem.field and problem.field.startswith("budget."):
            sections.active = "tab-budget"
            grid = self.query_one("#budget", BudgetGrid)
            _, line, column = problem.field.split(".")
            rows = ["total", "appropriation", "carryover", "other"]
            columns = ["initial", "full_year", "executed"]
            grid.focus()
            grid.move_cursor(row=rows.index(line), column=columns.index(column) + 1, animate=False)
        else:
            self.action_focus_grid()

    # ------------------------------------------------------------ save and quit

    def action_save(self) -> None:
        from evaltui.screens.dialogs import TextEditorScreen

        if isinstance(self.screen, TextEditorScreen):  # there ctrl+s keeps the text being edited
            self.screen.action_keep()
            return
        session = self.session()
        if session is None:
            self.notify("没有要保存的自评表", markup=False)
            return
        if session.read_only:
            self.notify("此文件由更新版本的 evaltui 写成，只读，不能保存", severity="error", markup=False)
            return
        if not session.locked and locks.holder(session.path, self.me):
            self.notify("别人正在编辑此表，不能保存", severity="error", markup=False)
            return
        if session.changed_on_disk():
            self._resolve_conflict(session)
            return
        self._save(session)

    def _save(self, session: Session, path: Path | None = None) -> bool:
        """Write the session (to ``path`` when given); on success its lock is released."""
        from evaltui import store

        old_path = session.path
        try:
            session.save(path)
        except store.SaveError as exc:
            self.notify(f"{exc}。修改仍保留在程序中。", severity="error", timeout=10, markup=False)
            return False
        if session.locked:
            locks.release(old_path, self.me)
            session.locked = False
        self.notify(f"已保存 {session.path.name}", markup=False)
        self.refresh_view()
        return True

    def _resolve_conflict(self, session: Session) -> None:
        """The file changed since it was read: show how, and let the person choose."""
        from evaltui import store
        from evaltui.changes import changes
        from evaltui.screens.dialogs import ConflictScreen

        try:
            disk, signature = session.read_disk()
            theirs = changes(session.saved, disk)
        except (store.LoadError, OSError) as exc:
            disk, signature = None, None
            theirs = [f"文件现在无法读取：{getattr(exc, 'message', exc)}"]
        mine = changes(session.saved, session.current)

        def chosen(choice: str | None) -> None:
            if choice == "reload" and disk is not None:
                session.reload(disk, signature)
                self.refresh_view()
                self.notify("已重新读取；ctrl+z 可找回你的改动", markup=False)
            elif choice == "reload":
                self.notify("文件无法读取，未重新读取", severity="error", markup=False)
            elif choice == "overwrite":
                self._save(session)
            elif choice == "new":
                self._save_as_new(session)

        self.push_screen(ConflictScreen(session.path.name, theirs, mine), chosen)

    def _save_as_new(self, session: Session) -> None:
        """Save under a new name beside the old file; the old file is read again as it is now."""
        from evaltui.session import Session as SessionType

        old_path = session.path
        stem, n = old_path.stem, 2
        target = old_path.with_name(f"{stem}（副本）{files.SUFFIX}")
        while target.exists():
            target = old_path.with_name(f"{stem}（副本 {n}）{files.SUFFIX}")
            n += 1
        if not self._save(session, target):
            return
        self.sessions.pop(old_path, None)
        self.sessions[target] = session
        try:
            self.sessions[old_path] = SessionType.open(old_path)
        except Exception as exc:  # noqa: BLE001 - shown as the file's load error
            self.load_errors[old_path] = getattr(exc, "message", str(exc))
        self.sidebar.update_entries([self.entry(old_path), self.entry(target)])
        self.sidebar.select_path(target)
        self.show(target)
        self.notify(f"已另存为 {target.name}", markup=False)

    def unsaved(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.dirty]

    def release_locks(self) -> None:
        for session in self.sessions.values():
            if session.locked:
                locks.release(session.path, self.me)
                session.locked = False

    def exit(self, *args, **kwargs) -> None:
        self.release_locks()
        super().exit(*args, **kwargs)

    def action_quit_app(self) -> None:
        unsaved = self.unsaved()
        if not unsaved:
            self.exit()
            return

        from evaltui.screens.dialogs import QuitScreen

        def answer(choice: str | None) -> None:
            if choice == "discard":
                self.exit()
            elif choice == "save":
                if all(self._save(s) for s in self.unsaved()):
                    self.exit()

        self.push_screen(QuitScreen([s.current.name or s.path.name for s in unsaved]), answer)

    # ------------------------------------------------------------ files changed by others

    def watch_files(self) -> None:
        self._check_files([path for path, s in self.sessions.items() if not s.dirty and not s.locked])

    @work(thread=True, exclusive=True, group="watch")
    def _check_files(self, clean: list[Path]) -> None:
        """Read again what changed on disk (files nobody here is editing), and new files."""
        from evaltui import store
        from evaltui.session import Session as SessionType

        changed: list[tuple[Path, Session | str]] = []
        for path in clean:
            session = self.sessions.get(path)
            if session is None or not session.changed_on_disk():
                continue
            if not path.exists():
                changed.append((path, "文件已被删除或改名"))
                continue
            try:
                changed.append((path, SessionType.open(path)))
            except store.LoadError as exc:
                changed.append((path, exc.message))
        known = set(self.sessions) | set(self.load_errors)
        for path in self._paths():
            if path not in known:
                try:
                    changed.append((path, SessionType.open(path)))
                except store.LoadError as exc:
                    changed.append((path, exc.message))
        self.post_message(FilesChanged(changed))

    def on_files_changed(self, message: FilesChanged) -> None:
        entries = []
        for path, result in message.results:
            current = self.sessions.get(path)
            if current is not None and (current.dirty or current.locked):
                continue  # someone here started editing meanwhile: the save will notice
            if isinstance(result, str):
                self.sessions.pop(path, None)
                self.load_errors[path] = result
            else:
                self.sessions[path] = result
                self.load_errors.pop(path, None)
            entries.append(self.entry(path))
        if entries:
            self.sidebar.update_entries(entries)
        if self.current is not None and (any(p == self.current for p, _ in message.results) or self.session()):
            self.refresh_view()

    def action_take_over(self) -> None:
        """Take the edit lock from someone else, after asking."""
        from evaltui.screens.dialogs import ConfirmScreen

        session = self.session()
        if session is None:
            return
        holder = locks.holder(session.path, self.me)
        if holder is None:
            self.notify("没有别人在编辑此表", markup=False)
            return

        def answer(yes: bool) -> None:
            if yes:
                locks.acquire(session.path, self.me, force=True)
                session.locked = True
                self.refresh_view()
                self.notify("已接管编辑；对方保存时会发现文件已改动", markup=False)

        self.push_screen(ConfirmScreen(f"{holder.describe()}。\n接管后对方的未保存修改可能与你的冲突。确定接管吗？"), answer)

    # ------------------------------------------------------------ screens

    def help_sources(self) -> list[tuple[str, list]]:
        from evaltui.screens.dialogs import QuitScreen as Quit
        from evaltui.screens.dialogs import TextEditorScreen
        from evaltui.screens.help import HelpScreen as Help
        from evaltui.screens.review import ReviewScreen

        classes = [EvalApp, Sidebar, IndicatorGrid, InfoGrid, BudgetGrid, EditLine, StatusPanel,
                   TextEditorScreen, ReviewScreen, Quit, Help]
        return [(cls.HELP_TITLE, list(cls.BINDINGS)) for cls in classes]

    def action_help(self) -> None:
        from evaltui.screens.help import HelpScreen, key_rows

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(key_rows(self.help_sources())))

    def action_review(self) -> None:
        from evaltui.screens.review import ReviewRow, ReviewScreen

        if isinstance(self.screen, ReviewScreen):
            return
        rows = [ReviewRow(path, s.current, s.assessment) for path, s in sorted(self.sessions.items())]

        def opened(path: Path | None) -> None:
            if path is not None:
                self.sidebar.select_path(path)
                self.show(path)
                self._chosen(Sidebar.Chosen(path))

        self.push_screen(ReviewScreen(rows), opened)

    # ------------------------------------------------------------ new, import, export

    def action_new(self) -> None:
        from evaltui import edits, store
        from evaltui.screens.dialogs import PromptScreen
        from evaltui.session import Session

        def named(name: str | None) -> None:
            if not name:
                return
            taken = {p.name for p in self.sessions} | {p.name for p in self.load_errors}
            from evaltui.word.commands import planned_names

            ev = edits.standard_template(name, datetime.date.today().year - 1)
            path = self.folder / planned_names([ev], taken)[0]
            if path.exists():
                self.notify(f"{path.name} 已存在", severity="error", markup=False)
                return
            try:
                store.save(path, ev)
            except store.SaveError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.sessions[path] = Session.open(path)
            self.sidebar.update_entry(self.entry(path))
            self.sidebar.select_path(path)
            self.show(path)
            self.notify(f"已新建 {path}", markup=False)

        self.push_screen(PromptScreen("新建自评表：项目名称"), named)

    def action_import(self) -> None:
        from evaltui.screens.dialogs import PromptScreen

        self.push_screen(PromptScreen("导入 Word 文档（.docx）的路径："), self._import_path)

    def _import_path(self, value: str | None) -> None:
        if value:
            self.notify(f"正在导入 {value}…", markup=False)
            self.import_docx(Path(value).expanduser())

    @work(thread=True, exclusive=True, group="word")
    def import_docx(self, doc: Path) -> None:
        from evaltui import store
        from evaltui.session import Session
        from evaltui.word.commands import import_document
        from evaltui.word.read import ImportError_

        taken = {p.name for p in self.sessions} | {p.name for p in self.load_errors}
        try:
            written = import_document(doc, self.folder, force=False, taken=taken)
        except (ImportError_, store.SaveError) as exc:
            self.call_from_thread(self.notify, f"{doc}: {exc}", severity="error", timeout=10, markup=False)
            return
        results = []
        for path in written:
            try:
                results.append((path, Session.open(path)))
            except store.LoadError as exc:
                results.append((path, exc.message))
        self.post_message(FilesLoaded(results, 1, 1))
        names = "、".join(p.name for p in written)
        self.call_from_thread(self.notify, f"已导入 {len(written)} 份：{names}", timeout=8, markup=False)

    def action_export_current(self) -> None:
        session = self.session()
        if session is None:
            self.notify("没有可导出的自评表", severity="warning", markup=False)
            return
        default = self.folder / f"{session.path.stem}.docx"
        self._ask_export([session.current], default)

    def action_export_all(self) -> None:
        evaluations = [s.current for _, s in sorted(self.sessions.items())]
        if not evaluations:
            self.notify("没有可导出的自评表", severity="warning", markup=False)
            return
        self._ask_export(evaluations, self.folder / f"自评表汇总-{datetime.date.today():%Y%m%d}.docx")

    def _ask_export(self, evaluations: list[Evaluation], default: Path) -> None:
        from evaltui.screens.dialogs import ConfirmScreen, PromptScreen

        def chosen(value: str | None) -> None:
            if not value:
                return
            target = Path(value).expanduser()
            if target.suffix.lower() != ".docx":
                self.notify("导出文件应以 .docx 结尾", severity="error", markup=False)
                return
            if target.exists():
                self.push_screen(ConfirmScreen(f"{target} 已存在，覆盖吗？"),
                                 lambda yes: self.export_docx(evaluations, target) if yes else None)
            else:
                self.export_docx(evaluations, target)

        self.push_screen(PromptScreen(f"导出 {len(evaluations)} 份自评表到 Word 文件：", str(default)), chosen)

    @work(thread=True, exclusive=True, group="word")
    def export_docx(self, evaluations: list[Evaluation], target: Path) -> None:
        from evaltui import store
        from evaltui.word.write import write_docx

        try:
            write_docx(evaluations, target)
        except store.SaveError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=10, markup=False)
            return
        self.call_from_thread(self.notify, f"已导出 {len(evaluations)} 份自评表到 {target}", timeout=8, markup=False)

    # ------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        commands = (
            ("保存", "保存当前自评表 (ctrl+s)", self.action_save),
            ("撤销", "撤销上一次修改 (ctrl+z)", self.action_undo),
            ("重做", "重做 (ctrl+y)", self.action_redo),
            ("新建自评表", "按标准模板新建 (ctrl+n)", self.action_new),
            ("导入 Word", "把 .docx 中的自评表导入本文件夹", self.action_import),
            ("导出当前自评表到 Word", "官方版式 .docx", self.action_export_current),
            ("导出全部自评表到 Word", "每张表一页", self.action_export_all),
            ("汇总审阅", "全部自评表一览，可排序 (ctrl+r)", self.action_review),
            ("添加指标行", "在光标下方添加 (a)", self.action_add_row),
            ("删除指标行", "删除光标所在行 (d)", self.action_delete_row),
            ("指标行上移", "(K / shift+up)", lambda: self.action_move_row(-1)),
            ("指标行下移", "(J / shift+down)", lambda: self.action_move_row(1)),
            ("采用建议得分", "把规则的建议得分填入得分 (s)", self.action_apply_suggestion),
            ("下一部分", "绩效指标 / 基本信息 / 项目资金 (ctrl+o)", self.action_next_section),
            ("显示或隐藏侧栏", "(ctrl+b)", self.action_toggle_sidebar),
            ("显示或隐藏问题列表", "(ctrl+e)", self.action_toggle_status),
            ("接管编辑", "别人正在编辑此表时，接管编辑锁（会先确认）", self.action_take_over),
            ("帮助", "列出所有按键 (f1 或 ?)", self.action_help),
            ("退出", "未保存时会先询问 (ctrl+q)", self.action_quit_app),
        )
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)
        yield from super().get_system_commands(screen)


def make_app(path: Path | str = ".") -> EvalApp:
    """The one way to build the app: the CLI and the tests both call this."""
    return EvalApp(path)
