"""The Textual app: a folder of evaluations, edited from the keyboard, scored as you type.

The app owns the state (one Session per opened file); widgets only show it and send edits
back as messages. Every number on screen comes from evaltui.rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from evaltui import files, locks
from evaltui.app_editing import EditingMixin
from evaltui.app_folder import FolderMixin
from evaltui.rules import ERROR
from evaltui.widgets.editor import EditLine
from evaltui.widgets.filelist import FileList
from evaltui.widgets.grids import BudgetGrid, IndicatorGrid, InfoGrid, Sheet
from evaltui.widgets.sidebar import Entry, Sidebar
from evaltui.widgets.status import StatusPanel, summary_text
from evaltui.widgets.text import t

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.session import Session

# Parsing (pydantic, tomli), the dialogs and Word are imported where they are first needed,
# so that the first screen paints before them.

NARROW_WIDTH = 110  # below this the sidebar and the status panel fold


def styles_path() -> Path:
    """styles/evaltui.tcss in a checkout, or the copy installed with the package."""
    checkout = Path(__file__).resolve().parents[2] / "styles" / "evaltui.tcss"
    if checkout.exists():
        return checkout
    from importlib.resources import files

    return Path(str(files("evaltui.styles") / "evaltui.tcss"))


class EvalApp(FolderMixin, EditingMixin, App[None]):
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
        self.ready = False  # the grids and the status panel are mounted
        self.pending_choice: Path | None = None  # enter pressed on a file not read yet
        self.shown_holder = ""  # who else is editing the evaluation on screen, as last shown
        self.me = locks.me()

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # The first screen is the folder's list; the grids and the status panel are mounted
        # right after it is painted (see _mount_the_rest), so that it appears at once.
        with Horizontal(id="body"):
            yield Sidebar(id="sidebar")
            with Vertical(id="main"):
                yield Static(id="summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._apply_width(self.size.width)
        self.sidebar.focus_list()
        self.sidebar.add_class("open")
        self.query_one("#summary", Static).update(t("正在读取…"))
        paths = self._paths()
        self.sidebar.set_entries([Entry(path, name=path.stem, loading=True) for path in paths])
        self.sidebar.set_loading(f"读取中 0/{len(paths)}" if paths else "")
        self.call_after_refresh(self._mount_the_rest, paths)

    async def _mount_the_rest(self, paths: list[Path]) -> None:
        """The grids, the editor and the status panel; then reading the files begins."""
        sections = TabbedContent(id="sections", initial="tab-indicators")
        sections.compose_add_child(TabPane("绩效指标", IndicatorGrid(id="indicators"), id="tab-indicators"))
        sections.compose_add_child(TabPane("基本信息", InfoGrid(id="info"), id="tab-info"))
        sections.compose_add_child(TabPane("项目资金", BudgetGrid(id="budget"), id="tab-budget"))
        await self.query_one("#main").mount(Static(id="load-error", markup=False), sections, EditLine(id="editor"))
        await self.query_one("#body").mount(StatusPanel(id="status"))
        self.ready = True
        self.load_folder(paths)

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

    # ------------------------------------------------------------ showing

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
        )

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
        self.shown_holder = holder.describe() if holder else ""
        summary.update(summary_text(ev, result, dirty=session.dirty, read_only=session.read_only,
                                    path_name=session.path.name, holder=self.shown_holder))
        for grid in self.query(Sheet):
            grid.show_evaluation(ev, result)
        status.show_result(ev, result)
        if self.current in self.sidebar.entries:
            self.sidebar.update_entry(self.entry(self.current))

    # ------------------------------------------------------------ sidebar and focus

    def on_file_list_highlighted(self, message: FileList.Highlighted) -> None:
        if self.ready and message.path != self.current:
            self.show(message.path)

    def on_file_list_chosen(self, message: FileList.Chosen) -> None:
        self.enter_grid(message.path)

    def enter_grid(self, path: Path) -> None:
        """Show an evaluation and put the cursor on its first indicator; once it is read, if not yet."""
        if not self.ready:
            self.pending_choice = path
            return
        if path != self.current:
            self.show(path)
        if self.session() is None:
            if self.current in self.load_errors:
                self.notify("此文件无法读取，见说明", severity="error", markup=False)
            else:
                self.pending_choice = path  # taken up when the file has been read
            return
        self.pending_choice = None
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
        if self.ready:
            self.query_one("#indicators", IndicatorGrid).focus()

    def action_toggle_sidebar(self) -> None:
        pinned = not self.sidebar.has_class("pinned")
        self.sidebar.set_class(pinned, "pinned")
        self.sidebar.set_class(pinned, "open")
        if pinned:
            self.sidebar.focus_list()

    def action_toggle_status(self) -> None:
        if not self.ready:
            return
        status = self.query_one("#status", StatusPanel)
        status.toggle_class("open")
        if status.has_class("open"):
            status.focus_problems()

    def action_next_section(self) -> None:
        if not self.ready:
            return
        sections = self.query_one("#sections", TabbedContent)
        order = ["tab-indicators", "tab-info", "tab-budget"]
        sections.active = order[(order.index(sections.active) + 1) % len(order)]
        grid = {"tab-indicators": "#indicators", "tab-info": "#info", "tab-budget": "#budget"}[sections.active]
        self.query_one(grid, Sheet).focus()

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

        if isinstance(self.screen, ReviewScreen):  # ctrl+r again goes back, as its footer promises
            self.screen.dismiss(None)
            return
        rows = [ReviewRow(path, s.current, s.assessment) for path, s in sorted(self.sessions.items())]

        def opened(path: Path | None) -> None:
            if path is not None:
                self.sidebar.select_path(path)
                self.enter_grid(path)

        self.push_screen(ReviewScreen(rows), opened)

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
