"""The Textual app: a folder of evaluations, edited from the keyboard, scored as you type.

The app holds the open folder (evaltui.folder, no UI) and turns what it returns into screens,
dialogs and notices. The main screen (screens/main.py) lays out the sidebar, the evaluation
view and the status panel and decides every key; the evaluation view
(widgets/evaluation.py) edits. Workers get what they need as arguments and only post
messages. Every number on screen comes from evaltui.rules.
"""

from __future__ import annotations

import datetime
import gc
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from evaltui import folder as folder_module
from evaltui.collector import QUIET_SECONDS, IdleCollector
from evaltui.files import name_changes, subfolder
from evaltui.folder import ChangedOnDisk, Failed, Folder, HeldBy, ReadOnly, Saved
from evaltui.guard import guarded
from evaltui.rules import ERROR, WARNING
from evaltui.screens.keys import KeyRouter
from evaltui.screens.main import MainScreen
from evaltui.visible import visible
from evaltui.widgets.sidebar import Entry, Sidebar
from evaltui.widgets.summary import summary_of
from evaltui.widgets.text import t

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.rules import Rules
    from evaltui.session import Session
    from evaltui.widgets.editor import EditLine

# Parsing (pydantic, tomli), the dialogs and Word are imported where they are first needed,
# so that the first screen paints before them.

LOAD_BATCH = 50
WATCH_SECONDS = 2.0  # how often files on disk are compared with what is on screen
REMOTE_SECONDS = 300.0  # how often the folder's shared copy (git remote) is asked what is new


def styles_path() -> Path:
    """styles/evaltui.tcss in a checkout, or the copy installed with the package."""
    checkout = Path(__file__).resolve().parents[2] / "styles" / "evaltui.tcss"
    if checkout.exists():
        return checkout
    from importlib.resources import files

    return Path(str(files("evaltui.styles") / "evaltui.tcss"))


class FilesLoaded(Message):
    """A batch of files read by the loading worker (or by an import)."""

    def __init__(self, results: list[folder_module.Read], done: int, total: int) -> None:
        super().__init__()
        self.results = results
        self.done = done
        self.total = total


class FilesChanged(Message):
    """Files read again by the watcher, and who else is editing the evaluation on screen."""

    def __init__(self, results: list[folder_module.Read], path: Path | None, holder: str, watched: bool = False) -> None:
        super().__init__()
        self.watched = watched  # the watcher's round: every file gone from disk is among the results
        self.results = results
        self.path = path
        self.holder = holder


class SyncStanding(Message):
    """How the folder stands against its shared copy (sync.standing), from a worker."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class NamesKeyed(Message):
    """Pinyin sort keys of file names, from a worker."""

    def __init__(self, keys: dict[Path, tuple]) -> None:
        super().__init__()
        self.keys = keys


class ImportRead(Message):
    """A document read by the import worker: where each form would go, and which files exist."""

    def __init__(self, doc: Path, pairs: list[tuple[Path, Evaluation]], clashes: list[bool]) -> None:
        super().__init__()
        self.doc = doc
        self.pairs = pairs
        self.clashes = clashes


class SaveFinished(Message):
    """A save the save worker wrote (folder.write); ``then(ok)`` runs once the app has taken it."""

    def __init__(self, session: Session, done: folder_module.SaveDone, then: Callable[[bool], None] | None) -> None:
        super().__init__()
        self.session = session
        self.done = done
        self.then = then


class Notice(Message):
    """A line for the person, from a worker."""

    def __init__(self, text: str, severity: str = "information", timeout: float = 5) -> None:
        super().__init__()
        self.text = text
        self.severity = severity
        self.timeout = timeout


RECOVERABLE_TOLD = " 有上次未保存的修改（侧栏标 ↺）：选中它按 enter，可恢复 (r) 或丢弃 (d)"


@guarded
class EvalApp(App[None]):
    TITLE = "evaltui"
    CSS_PATH = str(styles_path())
    HELP_TITLE = "任何位置"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", show=True, priority=True, id="save"),
        Binding("ctrl+q", "quit_app", "退出", show=True, priority=True, id="quit"),
        Binding("ctrl+c", "quit_app", "退出", show=False, priority=True, id="quit-c"),
        Binding("ctrl+z", "undo", "撤销", show=False, id="undo"),
        Binding("ctrl+y", "redo", "重做", show=False, id="redo"),
        Binding("f1,question_mark", "help", "帮助", show=True, id="help"),
        Binding("ctrl+p", "command_palette", "命令面板", show=True, id="palette"),
        Binding("ctrl+r", "review", "汇总审阅", show=True, id="review"),
        Binding("ctrl+n", "new", "新建", show=False, id="new"),
    ]

    def __init__(self, path: Path | str = ".", *, guard: bool = True) -> None:
        super().__init__()
        self.folder = Folder(Path(path))
        self.current: Path | None = None
        self.loaded = False
        self.shown_holder = ""  # who else is editing the evaluation on screen, as last shown
        self.guard = guard  # unexpected exceptions: one line, and the app goes on
        self._to_keep: set[Path] = set()  # unsaved evaluations whose recovery file is due
        self._keep_timer = None
        self._saving: dict[int, int] = {}  # sessions (by id) a worker is saving now: how many saves
        self._save_again: set[int] = set()  # ... and saved again once that is done (ctrl+s twice)
        self.key_router = KeyRouter(self)  # every key, on every screen, in order (screens/keys.py)
        self.collector = IdleCollector()  # full garbage collections between keys (collector.py)
        self._shown_editable: bool | None = None  # as the footer was last told (refresh_view)
        self._due: dict[str, Callable[[], None]] = {}  # drawing left for after the next paint (settle)
        self._holder_asked: Path | None = None  # the evaluation whose lock holder has been asked for
        self._opened_at_start = False  # the evaluation under the cursor at start has been read and opened
        self._quit_when_written = False  # quit was asked while Word import/export files were being written
        self._work_toasts: dict[object, object] = {}  # worker → its 正在… toast, taken away when it ends

    # ------------------------------------------------------------ nothing takes the app down

    def report_error(self, error: BaseException) -> None:
        from evaltui.guard import describe

        self.log.error(error)
        try:
            self.notify(describe(error), severity="error", timeout=15, markup=False)
        except Exception:  # noqa: BLE001 - reporting must not raise in turn
            pass

    def _handle_exception(self, error: Exception) -> None:
        if self.guard and self.is_running and not self._exit_renderables:
            self.report_error(error)
            return
        super()._handle_exception(error)

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self.key_router.screen_changed, immediate=True)
        self.collector.start()
        self.set_interval(QUIET_SECONDS / 2, lambda: self.collector.tick(self.key_router.last_key_at))
        if not self.guard:
            return
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(number, self._ended_by_signal, number)
            except (NotImplementedError, RuntimeError, ValueError):
                pass

    def on_unmount(self) -> None:
        self.collector.stop()

    def after_frame(self) -> None:
        """Called by the key router once a key's frame is out."""
        self.collector.after_frame()

    def _ended_by_signal(self, number: int) -> None:
        """SIGTERM, SIGHUP (a dropped SSH connection): keep the unsaved edits, then leave."""
        import os
        import signal

        self.folder.keep_unsaved_now()
        if number == signal.SIGHUP:
            # The terminal is gone: nothing to restore, and Textual's shutdown was seen to hang for
            # good in its writer thread (WriterThread.stop) with the pty closed, holding the locks.
            self.folder.release_locks()
            os._exit(128 + number)
        self.exit(return_code=128 + number)

    # ------------------------------------------------------------ unsaved edits survive

    def keep_soon(self, session: Session) -> None:
        """Write (or remove) ``session``'s recovery file within a second (its timer is set after
        the paint: the edit is on screen first)."""
        self._to_keep.add(session.path)
        self.after_paint("keep", self._keep_later)

    def _keep_later(self) -> None:
        if self._keep_timer is None and self._to_keep:
            self._keep_timer = self.set_timer(0.3, self._keep_now)

    def _keep_now(self) -> None:
        from evaltui import recovery, store

        self._keep_timer = None
        jobs = []
        waiting: set[Path] = set()
        for path in self._to_keep:
            session = self.sessions.get(path)
            if session is not None and id(session) in self._saving:
                # Being saved: the save removes the file; a recovery file written now would outlive
                # it (still dirty on this thread). Once the save is back, only newer edits are kept.
                waiting.add(path)
            elif session is not None:
                jobs.append((path, store.dumps(session.current) if session.dirty else None, recovery.stamp()))
        self._to_keep = waiting
        if waiting:
            self._keep_timer = self.set_timer(0.3, self._keep_now)
        if jobs:
            self.write_recovery(jobs)

    @work(thread=True, group="recovery", description="recovery files")
    def write_recovery(self, jobs: list[tuple[Path, str | None, int]]) -> None:
        from evaltui import recovery, store

        for path, text, version in jobs:
            try:
                if text is None:
                    recovery.remove(path)
                else:
                    recovery.write(path, text, version)
            except (store.SaveError, OSError) as exc:
                self.post_message(Notice(f"无法写恢复文件：{exc}", "warning", 8))

    def offer_recovery(self, session: Session) -> None:
        """Unsaved edits of an earlier run: list them, ask 恢复 (r) or 丢弃 (d)."""
        from evaltui import recovery
        from evaltui.changes import changes
        from evaltui.screens.dialogs import RecoverScreen

        kept = session.recovered
        if kept is None:
            return
        session.recovered = None

        def answer(recover: bool | None) -> None:
            if recover:
                # the lock, as for any edit: the run that left these edits (killed) left its lock too
                self.folder.editable(session)
                if session.apply(kept):
                    self.keep_soon(session)
                self.notify("已恢复未保存的修改（ctrl+s 保存）", markup=False)
            else:
                recovery.remove(session.path)
                self.notify("已丢弃上次未保存的修改", markup=False)
            if session is self.session():
                self.refresh_view()
            if session.path in self.sidebar.entries:  # its ↺ goes
                self.sidebar.update_entry(self.entry(session.path))
            if not any(other.recovered is not None for other in self.sessions.values()):
                for toast in list(self._notifications):  # the toast that told of them has been answered
                    if toast.message.endswith(RECOVERABLE_TOLD):
                        self._unnotify(toast)

        self.push_screen(RecoverScreen(session.path.name, changes(session.saved, kept)), answer)
    # ------------------------------------------------------------ the folder, for the screens and tests

    @property
    def sessions(self) -> dict[Path, Session]:
        return self.folder.sessions

    @property
    def load_errors(self) -> dict[Path, str]:
        return self.folder.load_errors

    @property
    def me(self):
        return self.folder.me

    def session(self) -> Session | None:
        return self.sessions.get(self.current) if self.current else None

    @property
    def ready(self) -> bool:
        return self._main.ready

    @property
    def sidebar(self) -> Sidebar:
        return self._main.sidebar

    @property
    def editor(self) -> EditLine:
        return self._main.view.editor

    # ------------------------------------------------------------ start

    def get_driver_class(self):
        """Textual's driver, reading escape followed at once by a key as escape, then the key
        (terminal_input), and telling when a frame is out (terminal_output)."""
        from evaltui.terminal_input import use_escape_first
        from evaltui.terminal_output import frames_flushed

        return frames_flushed(use_escape_first(super().get_driver_class()))

    def get_default_screen(self) -> Screen:
        from evaltui.widgets.compositor import keep_characters_whole
        from evaltui.widgets.paragraph import wrap_toasts

        wrap_toasts()  # toasts break Chinese lines between characters, not at spaces
        self._main = keep_characters_whole(MainScreen())
        return self._main

    def push_screen(self, screen, *args, **kwargs):  # type: ignore[override]
        """Every screen draws Chinese whole under toasts and dialogs (widgets/compositor.py)."""
        from evaltui.widgets.compositor import keep_characters_whole

        if isinstance(screen, Screen):
            keep_characters_whole(screen)
        return super().push_screen(screen, *args, **kwargs)

    def list_files(self) -> None:
        """The main screen's first paint: the folder's files by name, before any is read."""
        paths = self.folder.paths()
        self._main.show_summary("正在读取…")
        self.sidebar.set_entries([Entry(path, name=path.stem, loading=True, where=self._where(path)) for path in paths])
        self.sidebar.set_loading(f"读取中 0/{len(paths)}" if paths else "")
        self._paths = paths
        self.sort_names(paths)

    @work(thread=True, exclusive=True, group="collate", description="pinyin keys")
    def sort_names(self, paths: list[Path]) -> None:
        """Pinyin keys of the file names (pypinyin takes a moment to load: not before the first paint)."""
        from evaltui.collate import pinyin_key

        self.post_message(NamesKeyed({path: pinyin_key(path.stem) for path in paths}))

    def on_names_keyed(self, message: NamesKeyed) -> None:
        self.sidebar.set_name_keys({**self.sidebar.name_keys, **message.keys})

    def screen_ready(self) -> None:
        """The main screen has mounted the evaluation view: reading the files begins."""
        self.load_folder(self._paths)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if isinstance(event, events.Key) and not self.app_focus:
                self.app_focus = True
            await self.key_router.take(event)
            return
        await super().on_event(event)

    @work(thread=True, exclusive=True, group="load", description="reading the folder")
    def load_folder(self, paths: list[Path]) -> None:
        batch: list[folder_module.Read] = []
        for done, path in enumerate(paths, start=1):
            batch.append(folder_module.read(path, self.folder.finder))
            if len(batch) >= LOAD_BATCH or done == len(paths) or done == 1:
                self.post_message(FilesLoaded(batch, done, len(paths)))
                batch = []
        if not paths:
            self.post_message(FilesLoaded([], 0, 0))

    def on_files_loaded(self, message: FilesLoaded) -> None:
        for path, result in message.results:
            self.folder.take(path, result)
        # What was read lives as long as the app: out of the cyclic garbage collector's sight.
        # Otherwise, with a district's 2,000 evaluations in memory, each full collection walks
        # them all and stops the interface for half a second at a random key.
        gc.freeze()
        finished = message.done >= message.total
        self.sidebar.set_loading("" if finished else f"读取中 {message.done}/{message.total}")
        self.sidebar.update_entries([self.entry(path) for path, _ in message.results])
        highlighted = self.sidebar.highlighted_path()
        if highlighted is not None and (self.current is None or highlighted == self.current):
            if self.current is None or any(path == highlighted for path, _ in message.results):
                self.show(highlighted, opened=not self._opened_at_start)  # the first one read at start is opened
                self._opened_at_start |= highlighted in self.sessions or highlighted in self.load_errors
        elif self.current is None and finished:
            self._main.show_summary(f"{self.folder.root} 中没有自评表（.toml）。ctrl+n 新建，或在命令面板（ctrl+p）中导入 Word。")
        for path, _ in message.results:
            self._main.file_read(path)
        if finished and not self.loaded:
            self.loaded = True
            self._tell_recoverable()
            self.set_interval(WATCH_SECONDS, self.watch_files)
            self.check_standing(fetch=True)
            self.set_interval(REMOTE_SECONDS, lambda: self.check_standing(fetch=True))

    def _tell_recoverable(self) -> None:
        """Once the folder is read: how many evaluations hold unsaved edits of an earlier run (a
        crash, a kill, a dropped connection), so that nobody has to come across them."""
        from evaltui.screens.dialogs import RecoverScreen

        kept = [path for path, session in self.sessions.items() if session.recovered is not None]
        if kept:
            which = (self.sessions[kept[0]].current.name or kept[0].stem) if len(kept) == 1 else f"{len(kept)} 份自评表"
            if any(isinstance(screen, RecoverScreen) for screen in self.screen_stack):
                which = f"另有 {which}"  # besides the one shown at start, asked about now
            self.notify(f"{which}{RECOVERABLE_TOLD}",
                        severity="warning", timeout=15, markup=False)

    def notify(self, message: str, *, title: str = "", **kwargs) -> None:  # type: ignore[override]
        """Every toast passes the one gate and is never markup: a message often names a file,
        an indicator or a holder, and a widget's own ``notify`` comes here too."""
        kwargs["markup"] = False
        super().notify(visible(message, lines=True), title=visible(title), **kwargs)

    def on_notify(self, event) -> None:
        """Before Textual's own handler shows it: the same line again is counted, not stacked."""
        from evaltui.widgets.toasts import fold

        fold(self._notifications, event.notification)

    def toast_while(self, message: str, start: Callable[[], object]) -> None:
        """A toast that says what the worker ``start`` starts is doing; it goes when the worker ends
        (its result follows). Posted first: a worker that ends at once must find it shown."""
        from evaltui.widgets.toasts import lasting

        toast = lasting(self, message)
        self._work_toasts[start()] = toast

    def on_notice(self, message: Notice) -> None:
        self.notify(message.text, severity=message.severity, timeout=message.timeout, markup=False)  # type: ignore[arg-type]

    # ------------------------------------------------------------ showing

    def entry(self, path: Path) -> Entry:
        where = self._where(path)
        if path in self.load_errors:
            return Entry(path, load_error=self.load_errors[path], where=where)
        session = self.sessions.get(path)
        if session is None:
            return Entry(path, name=path.stem, loading=True, where=where)
        result = session.assessment
        return Entry(
            path, name=session.current.name, year=session.current.year, total=result.total, grade=result.grade,
            problems=len(result.problems), errors=result.count(ERROR), warnings=result.count(WARNING),
            department=session.current.department, dirty=session.dirty, missing=path in self.folder.missing,
            recovered=session.recovered is not None, where=where,
        )

    def _where(self, path: Path) -> str:
        return subfolder(path, self.folder.root)

    def show(self, path: Path, *, opened: bool = False) -> None:
        """Put an evaluation (or why its file cannot be read) on screen. ``opened``: the person
        opened it (enter, the review screen, the first one at start), so unsaved edits an earlier
        run left of it are offered now; the sidebar's cursor merely passing over it does not ask."""
        if not self.ready:
            return
        self._main.view.close_editor()
        if path != self.current:
            self.current = path
            self.shown_holder = ""
            self._holder_asked = None
        session = self.session()
        # Who else holds the lock is asked once the file is read (it may be read after it is shown).
        if session is not None and not session.locked and self._holder_asked != path:
            self._holder_asked = path
            self.read_holder(path)
        self.refresh_view()
        if opened and session is not None and session.recovered is not None:
            self.offer_recovery(session)

    def open(self, path: Path) -> None:
        """The person opens ``path`` (enter on it, or from the review screen)."""
        self.settle()
        if path != self.current:
            self.show(path, opened=True)
        else:
            session = self.session()
            if session is not None and session.recovered is not None:
                self.offer_recovery(session)

    # ------------------------------------------------------------ the cursor first, the rest after

    def after_paint(self, name: str, job: Callable[[], None]) -> None:
        """Do ``job`` after the screen has been painted (once per ``name``, however often asked),
        or sooner: before the next key that may depend on it (:meth:`settle`)."""
        if not self._due:
            self.call_after_refresh(self.settle)
        self._due[name] = job

    def before_key(self, event: events.Key | events.Paste, focused) -> None:
        """Called by the key router before each key: a move in the file list leaves the drawing
        for after the paint; any other key first draws what is due, so it acts on it."""
        from evaltui.screens.main import LIST_MOVES
        from evaltui.widgets.filelist import FileList

        if not (isinstance(event, events.Key) and event.key in LIST_MOVES and isinstance(focused, FileList)):
            self.settle()

    def settle(self) -> None:
        """Do now what keys so far have left for after the paint. Every key but a move of the
        file list's cursor calls this first, so it acts on the evaluation under the cursor."""
        while self._due:
            name = next(iter(self._due))
            self._due.pop(name)()
        self._show_highlighted()  # a move whose message has not come yet: its evaluation too

    def refresh_view(self, *, first: bool = False) -> None:
        """Draw the evaluation on screen. ``first``: only what must change at once (the summary
        line and the grids); the status panel and the sidebar's line follow after the paint."""
        if not self.ready:
            return
        screen = self._main
        session = self.session()
        editable = self.can_edit()
        if editable != self._shown_editable:  # the footer offers the editing keys only when they act
            self._shown_editable = editable
            screen.refresh_bindings()
        name = self.current.name if self.current else ""
        if session is None:
            error = self.load_errors.get(self.current) if self.current else None
            if error:
                screen.view.show_message(t(folder_module.unopened_text(self.current, error), "red"))
                screen.show_summary(t(f"✗ {name}", "bold red"))
                screen.status.show_result(None, None, f"此文件{folder_module.unopened_mark(error)}")
            else:
                screen.view.show_message(t("正在读取…"))
                screen.show_summary(f"正在读取 {name}…")
                screen.status.show_result(None, None, "")
            return
        result = session.assessment
        ev = session.current
        read_only = session.read_only or session.mode_read_only is not None  # a newer evaltui's, or chmod 444
        screen.show_summary(summary_of(ev, result, dirty=session.dirty, read_only=read_only,
                                       path_name=session.path.name, holder=self.shown_holder,
                                       recovered=session.recovered is not None))
        screen.view.show(ev, result)
        if first:
            self.after_paint("rest", self._refresh_rest)
        else:
            self._due.pop("rest", None)
            self._refresh_rest()

    def _refresh_rest(self) -> None:
        """The status panel and the sidebar's line of the evaluation on screen."""
        session = self.session()
        if not self.ready or session is None:
            return
        self._main.status.show_result(session.current, session.assessment)
        if self.current in self.sidebar.entries:
            self.sidebar.update_entry(self.entry(self.current))

    def on_file_list_highlighted(self, message) -> None:
        # The list's cursor line is painted first; the evaluation under it is drawn after that
        # paint, once for any number of moves in between (or before the next other key: settle).
        self.after_paint("highlighted", self._show_highlighted)

    def _show_highlighted(self) -> None:
        path = self.sidebar.highlighted_path()
        if self.ready and path is not None and path != self.current:
            self.show(path)

    @work(thread=True, group="holder")
    def read_holder(self, path: Path) -> None:
        self.post_message(FilesChanged([], path, folder_module.holder_of(path, self.me)))

    # ------------------------------------------------------------ editing (the view's host)

    def can_edit(self) -> bool:
        """Whether editing keys act on the evaluation on screen now; asks nothing, takes no lock
        (the footer offers the editing keys only then). Not on a file of a newer evaltui nor on
        one someone else is editing; a file made read-only by its mode is edited after a
        question (may_edit), so its keys do act."""
        session = self.session()
        return session is not None and not session.read_only and not self.shown_holder

    def shows_key(self, action: str) -> bool:
        """The footer offers the app's keys on the main screens; inside a dialog only help."""
        from textual.screen import ModalScreen

        if isinstance(self.screen, ModalScreen):
            return action == "help"
        if action == "save":
            return self.can_edit()
        return True

    def may_edit(self) -> bool:
        self.settle()
        session = self.session()
        if session is None:
            self.notify("没有可编辑的自评表", severity="warning", markup=False)
            return False
        if session.recovered is not None:  # an earlier run's unsaved edits: asked before any new edit
            self.offer_recovery(session)
            return False
        result = self.folder.editable(session)
        if isinstance(result, ReadOnly) and result.by_mode:
            self._ask_to_edit_read_only(session, result.why)
            return False
        if isinstance(result, ReadOnly):
            self.notify(result.why, severity="warning", markup=False)
            return False
        if isinstance(result, HeldBy):
            self.shown_holder = result.why
            self.notify(f"{result.why}，此表只读。命令面板中可“接管编辑”。", severity="warning", timeout=8, markup=False)
            self.refresh_view()
            return False
        if isinstance(result, Failed):
            self.notify(result.why, severity="warning", markup=False)
        return True

    def _ask_to_edit_read_only(self, session: Session, why: str) -> None:
        """A file its owner made read-only: edit it only when the person says so (default no).
        After yes the key that asked is decided again, as if the question had not been needed."""
        from evaltui.screens.dialogs import ConfirmScreen

        key = self.key_router.routing_on(self._main)

        def answer(yes: bool | None) -> None:
            if not yes or self.session() is not session:
                return
            self.folder.choose_to_edit(session)
            if self.may_edit():
                self.notify("可以修改了；保存时会再次询问是否覆盖只读文件", markup=False)
                if key is not None:
                    self.key_router.again(key)

        self.push_screen(ConfirmScreen(f"{why}。\n仍要修改吗？保存时会再次询问是否覆盖。"), answer)

    def foresee(self, new: Evaluation) -> None:
        session = self.session()
        if session is not None:
            session.foresee(new)

    def edited(self, new: Evaluation) -> None:
        session = self.session()
        if session is not None and session.apply(new):
            self.keep_soon(session)
            self.refresh_view(first=True)  # the cell and the total now, the status panel after the paint

    def action_undo(self) -> None:
        self._step_history(back=True)

    def action_redo(self) -> None:
        self._step_history(back=False)

    def _step_history(self, *, back: bool) -> None:
        session = self.session()
        if session is None or self.editor.is_open:
            return
        if session.undo() if back else session.redo():
            self.keep_soon(session)
            self.refresh_view(first=True)
        else:
            self.notify("没有可撤销的修改" if back else "没有可重做的修改", markup=False)

    def action_versions(self) -> None:
        """历史版本: pick a saved version of the evaluation on screen; restoring it is an edit."""
        from evaltui import versions
        from evaltui.screens.versions import VersionsScreen

        session = self.session()
        if session is None:
            self.notify("没有打开的自评表", markup=False)
            return
        try:
            found = versions.history(session.path)
        except versions.VersionError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if not found:
            self.notify(f"{session.path.name} 还没有保存过的版本", markup=False)
            return

        def chosen(old: Evaluation | None) -> None:
            if old is None or self.session() is not session or not self.may_edit():
                return
            if session.apply(old):
                self.refresh_view()
                self.notify("已恢复为所选版本（未保存；ctrl+z 撤销）", markup=False)
            else:
                self.notify("所选版本与当前内容相同", markup=False)

        self.push_screen(VersionsScreen(session.path.name, found, session.current), chosen)

    def action_add_row(self) -> None:
        self._main.view.row_action("add")

    def action_delete_row(self) -> None:
        self._main.view.row_action("delete")

    def action_move_row(self, step: int) -> None:
        self._main.view.row_action("up" if step < 0 else "down")

    def action_apply_suggestion(self) -> None:
        self._main.view.row_action("suggestion")

    def action_toggle_applicable(self) -> None:
        self._main.view.row_action("applicable")

    # ------------------------------------------------------------ saving

    def action_save(self) -> None:
        from evaltui.screens.dialogs import TextEditorScreen

        if isinstance(self.screen, TextEditorScreen):  # there ctrl+s keeps the text being edited
            self.screen.action_keep()
            return
        if not self._take_typed():
            return
        session = self.session()
        if session is None:
            self.notify("没有要保存的自评表", markup=False)
            return
        if id(session) in self._saving:  # its file is being written: check and save again after
            self._save_again.add(id(session))
            return
        self._save_checked(session)

    def _save_checked(self, session: Session, *, replace_read_only: bool = False) -> None:
        check = self.folder.can_save(session, replace_read_only=replace_read_only)
        if isinstance(check, ReadOnly) and check.by_mode:
            self._ask_to_replace_read_only(session, check.why)
        elif isinstance(check, ReadOnly):
            self.notify(check.why, severity="error", markup=False)
        elif isinstance(check, HeldBy):
            self.notify("别人正在编辑此表，不能保存", severity="error", markup=False)
        elif isinstance(check, ChangedOnDisk):
            self._resolve_conflict(session, replace_read_only=replace_read_only)
        else:
            self._save(session, replace_read_only=replace_read_only)

    def _ask_to_replace_read_only(self, session: Session, why: str) -> None:
        """Saving over a file its owner made read-only: only after a yes (default no); the
        file keeps its mode, so the next save asks again. On no nothing changes, the edits stay."""
        from evaltui.screens.dialogs import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self._save_checked(session, replace_read_only=True)
            else:
                self.notify("未保存；修改仍保留在程序中", markup=False)

        self.push_screen(ConfirmScreen(f"{why}，是有意设为只读的。\n仍要覆盖保存吗？保存后文件仍为只读。"), answer)

    def _save(self, session: Session, *, replace_read_only: bool = False, as_new: bool = False,
              then: Callable[[bool], None] | None = None) -> None:
        """Save ``session`` as it is now, in a worker (folder.write); SaveFinished brings the
        result back and ``then(ok)`` runs after it. Edits made meanwhile stay unsaved."""
        job = self.folder.save_job(session, replace_read_only=replace_read_only, as_new=as_new)
        self._saving[id(session)] = self._saving.get(id(session), 0) + 1
        self.write_save(job, session, then)

    @work(thread=True, group="save", description="saving")
    def write_save(self, job: folder_module.SaveJob, session: Session, then: Callable[[bool], None] | None) -> None:
        try:
            done = folder_module.write(job)
        except Exception as error:  # noqa: BLE001 - the app must hear back, or it waits for this save for good
            from evaltui.guard import describe

            done = folder_module.SaveDone(job, Failed(f"保存失败：{describe(error)}"))
        self.post_message(SaveFinished(session, done, then))

    def on_save_finished(self, message: SaveFinished) -> None:
        session, job = message.session, message.done.job
        left = self._saving.pop(id(session), 1) - 1
        if left:
            self._saving[id(session)] = left
        result = self.folder.saved(session, message.done)
        if isinstance(result, Failed):
            self._save_again.discard(id(session))
            self.notify(result.why, severity="error", timeout=10, markup=False)
        else:
            if session.dirty:  # edited while it was written: those edits keep their recovery file and the lock
                self.keep_soon(session)
                if not session.locked and not left:
                    self._relock(session)
            if result.warning:
                self.notify(result.warning, severity="warning", timeout=10, markup=False)
            if job.target != job.old_path:
                self.sidebar.update_entries([self.entry(job.old_path), self.entry(job.target)])
                if self.current == job.old_path:  # still on it: go to the copy (not when the person moved on)
                    self.sidebar.select_path(job.target)
                    self.show(job.target)
                self.notify(f"已另存为 {job.target.name}", markup=False)
            else:
                if not result.warning:
                    from evaltui.files import is_conflict_copy

                    copy = "（冲突副本：只在本机，不记录版本，不同步）" if is_conflict_copy(job.target.name) else ""
                    self.notify(f"已保存 {job.target.name}{copy}", markup=False)
                self.refresh_view()
            self.check_standing(fetch=False)
        if id(session) in self._save_again:
            self._save_again.discard(id(session))
            self._save_checked(session)
        if message.then is not None:
            message.then(isinstance(result, Saved))

    def _relock(self, session: Session) -> None:
        """Take the edit lock again for edits made while the save released it (as the first edit does)."""
        result = self.folder.editable(session)
        if isinstance(result, (HeldBy, Failed)):
            self.notify(result.why, severity="warning", timeout=8, markup=False)

    def _resolve_conflict(self, session: Session, *, replace_read_only: bool = False) -> None:
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
                from evaltui.rebase import NoRebase

                try:
                    session.reload(disk, signature)
                except NoRebase:
                    self.notify("没有重新读取：双方都增删或移动了行，你的改动无法套到新版本上；请另存为新文件",
                                severity="error", timeout=10, markup=False)
                    return
                self.keep_soon(session)
                self.refresh_view()
                self.notify("已重新读取；ctrl+z 把你的改动套回新版本上", markup=False)
            elif choice == "reload":
                self.notify("文件无法读取，未重新读取", severity="error", markup=False)
            elif choice == "overwrite":
                self._save(session, replace_read_only=replace_read_only)
            elif choice == "new":
                self._save_as_new(session)

        gone = not os.path.lexists(session.path)  # deleted or renamed away: nothing to compare
        self.push_screen(ConflictScreen(session.path.name, theirs, mine, gone=gone), chosen)

    def _save_as_new(self, session: Session) -> None:
        self._save(session, as_new=True)

    # ------------------------------------------------------------ leaving

    def exit(self, *args, **kwargs) -> None:
        self.folder.release_locks()
        super().exit(*args, **kwargs)

    WRITERS = ("word", "save")  # workers writing files: quit waits for them

    def _writing(self) -> bool:
        return bool(self._saving) or any(w.group in self.WRITERS and w.is_running for w in self.workers)

    def on_worker_state_changed(self, event) -> None:
        if event.worker.is_finished and (toast := self._work_toasts.pop(event.worker, None)) is not None:
            self._unnotify(toast)
        if self._quit_when_written and event.worker.group in self.WRITERS and event.worker.is_finished:
            self._quit_if_written()

    def _quit_if_written(self) -> None:
        if self._quit_when_written and not self._writing():
            self._quit_when_written = False
            self.action_quit_app()

    def _take_typed(self) -> bool:
        """A value typed in the cell editor and not yet confirmed is confirmed, as enter would,
        before a save or a quit: the save takes it, the quit asks about it. Before, ctrl+s saved
        without it (saying 已保存 beside it) and ctrl+q left without a word. False when it was
        refused: the editor stays, with the reason, and nothing more is done."""
        if not self.ready or not self.editor.is_open:
            return True
        if self.editor.typed() is None:
            self._main.view.cancel_edit()  # opened, nothing changed
            return True
        self._main.view.commit_edit()
        return not self.editor.is_open

    def _long_text_unconfirmed(self) -> bool:
        """The long-text editor holds changed text: a quit waits until it is kept or cancelled."""
        from evaltui.screens.dialogs import TextEditorScreen

        screen = self.screen
        if isinstance(screen, TextEditorScreen) and screen.changed():
            self.notify("正在编辑长文本：先 ctrl+s 确定或 escape 取消，再退出", severity="warning", markup=False)
            return True
        return False

    def action_quit_app(self) -> None:
        if self._long_text_unconfirmed() or not self._take_typed():
            return
        if self._writing():  # an import, export or save being written is finished first, never cut off
            self._quit_when_written = True
            self.notify("正在写入文件，写完后退出", markup=False)
            return
        unsaved = self.folder.unsaved()
        if not unsaved:
            self.exit()
            return

        from evaltui.screens.dialogs import QuitScreen

        if isinstance(self.screen, QuitScreen):  # ctrl+c or ctrl+q again: the question is already there
            return

        def answer(choice: str | None) -> None:
            if choice == "discard":
                self.folder.discard_unsaved()
                self.exit()
            elif choice == "save":
                self._save_all_then_exit(self.folder.unsaved())

        self.push_screen(QuitScreen([s.current.name or s.path.name for s in unsaved]), answer)

    def _save_all_then_exit(self, sessions: list[Session]) -> None:
        """保存并退出: save each; leave once all are saved (a failure is shown and the app stays;
        an edit made while saving is asked about again)."""
        if not sessions:
            self.exit()
            return
        left = {id(s) for s in sessions}
        failed: list[Session] = []

        def one_done(session: Session, ok: bool) -> None:
            left.discard(id(session))
            if not ok:
                failed.append(session)
            if left or failed:
                return
            if self.folder.unsaved():
                self.action_quit_app()
            else:
                self.exit()

        for session in sessions:
            self._save(session, then=lambda ok, session=session: one_done(session, ok))

    # ------------------------------------------------------------ files changed by others

    def watch_files(self) -> None:
        session = self.session()
        holder_path = session.path if session is not None and not session.locked else None
        self._check_files(self.folder.clean(), self.folder.known(), holder_path, self.folder.editing())

    # Workers that get a folder's worth of arguments are given a description: Textual would
    # otherwise build one from the repr of every argument, on the UI thread, every 2 seconds.
    @work(thread=True, group="watch", description="watching the folder")
    def _check_files(self, clean: list, known: set[Path], holder_path: Path | None, editing: list[Path] | tuple = ()) -> None:
        """Read again what changed on disk (files nobody here is editing), new files, files
        gone (those being edited too), and the lock of the evaluation on screen."""
        paths = folder_module.list_paths(self.folder.root, self.folder.single_file)
        results = folder_module.changed(clean, known, paths, self.folder.finder, editing)
        holder = folder_module.holder_of(holder_path, self.me) if holder_path is not None else ""
        self.post_message(FilesChanged(results, holder_path, holder, watched=True))

    def on_files_changed(self, message: FilesChanged) -> None:
        # a file someone here started editing meanwhile is not replaced: its save will notice
        gone = [path for path, result in message.results if isinstance(result, folder_module.Gone)]
        if message.watched:
            self._went_away(gone)
        entries = [self.entry(path) for path, result in message.results
                   if not isinstance(result, folder_module.Gone) and self.folder.take(path, result)]
        if entries:
            self.sidebar.update_entries(entries)
        holder_changed = message.path is not None and message.path == self.current and message.holder != self.shown_holder
        if holder_changed:
            self.shown_holder = message.holder
        if any(p == self.current for p, _ in message.results) or holder_changed:
            self.refresh_view()

    def _went_away(self, gone: list[Path]) -> None:
        """Files no longer on disk leave the list; one being edited stays, and the person is told."""
        left, kept = self.folder.went_away(gone)
        if left:
            self.sidebar.remove_entries(left)
            if self.current in left:  # the evaluation on screen went: the one now under the cursor
                self.current = None
                if self.sidebar.highlighted_path() is None:
                    self._main.view.show_message(t("文件夹中已没有自评表（.toml）。"))
                    self._main.show_summary("")
                self._show_highlighted()
        for path in kept:
            session = self.sessions.get(path)
            held = "你未保存的修改仍在这里" if session is not None and session.dirty else "此表正在编辑，仍留在列表中"
            self.notify(f"{path.name} 已被删除或改名。{held}；ctrl+s 保存时可重新写出此文件",
                        severity="warning", timeout=15, markup=False)
        if kept:
            self.sidebar.update_entries([self.entry(path) for path in kept if path in self.sidebar.entries])

    # ------------------------------------------------------------ versions and the shared copy

    def sync_folder(self) -> Path:
        return self.folder.root.parent if self.folder.single_file else self.folder.root

    @work(thread=True, exclusive=True, group="remote")
    def check_standing(self, fetch: bool) -> None:
        from evaltui import sync

        self.post_message(SyncStanding(sync.standing(self.sync_folder(), fetch=fetch)))

    def on_sync_standing(self, message: SyncStanding) -> None:
        for sidebar in self._main.query("#sidebar"):  # none when it comes as the app closes
            sidebar.set_sync(message.text)

    def action_sync(self) -> None:
        """同步: exchange versions with the folder's shared copy, then read again what changed."""
        self.toast_while("正在同步…", self._run_sync)

    @work(thread=True, exclusive=True, group="remote")
    def _run_sync(self) -> None:
        from evaltui import store, sync, versions

        try:
            outcome = sync.Sync(self.sync_folder()).run()
        except (sync.SyncError, versions.VersionError, store.SaveError) as exc:
            self.post_message(Notice(str(exc), "error", 10))
        else:
            moved = "；".join(outcome.moved[:6]) + ("……" if len(outcome.moved) > 6 else "")
            self.post_message(Notice(f"已同步：{moved}" if moved else "已同步，没有需要交换的版本"))
            for line in outcome.conflicts:
                self.post_message(Notice(f"冲突：{line}", "warning", 15))
        self.post_message(SyncStanding(sync.standing(self.sync_folder(), fetch=False)))
        self.call_from_thread(self.watch_files)

    def action_take_over(self) -> None:
        """Take the edit lock from someone else, after asking."""
        from evaltui import locks
        from evaltui.screens.dialogs import ConfirmScreen

        session = self.session()
        if session is None:
            return
        holder = locks.holder(session.path, self.me)
        if holder is None:
            self.notify("没有别人在编辑此表", markup=False)
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            result = self.folder.take_over(session)
            if isinstance(result, Failed):
                self.notify(result.why, severity="error", markup=False)
                return
            self.shown_holder = ""
            self.refresh_view()
            self.notify("已接管编辑；对方保存时会发现文件已改动", markup=False)

        self.push_screen(ConfirmScreen(f"{holder.describe()}。\n接管后对方的未保存修改可能与你的冲突。确定接管吗？"), answer)

    # ------------------------------------------------------------ new, import, export

    def action_new(self) -> None:
        from evaltui.screens.dialogs import PromptScreen

        created: list[Path] = []

        def create(name: str) -> str | None:
            """Made here, while the name is still in the dialog: a refusal keeps it there."""
            if not name:
                return "请输入项目名称（escape 取消）"
            result = self.folder.create(name)
            if isinstance(result, Failed):
                return result.why
            created.append(result.path)
            return None

        def named(name: str | None) -> None:
            if not created:
                return
            path = created[0]
            self.sidebar.update_entry(self.entry(path))
            self.sidebar.select_path(path)
            self.show(path)
            why = name_changes(name or "", path.name)  # the name as typed, not the file's
            self.notify(f"已新建 {path}" + (f"：{why}" if why else ""), markup=False)

        self.push_screen(PromptScreen("新建自评表：项目名称", check=create), named)

    def action_import(self) -> None:
        from evaltui.screens.dialogs import PromptScreen, input_check
        from evaltui.word.convert import IMPORTED_SUFFIXES

        self.push_screen(PromptScreen("导入 Word 文档（.docx；.doc、.wps 由 LibreOffice 转换）的路径：", check=input_check("Word 文档", IMPORTED_SUFFIXES)),
                         self._import_path)

    def _import_path(self, value: str | None) -> None:
        if value:
            self.toast_while(f"正在导入 {value}…", lambda: self.import_docx(Path(value).expanduser(), self.folder.root))

    @work(thread=True, group="word")  # never exclusive: a new one must not cancel a write under way
    def import_docx(self, doc: Path, into: Path) -> None:
        """Read the document here; what to do with forms whose file exists is asked on screen."""
        from evaltui.word.commands import natural_targets, read_forms
        from evaltui.word.read import ImportError_

        try:
            reading = read_forms(doc)
        except ImportError_ as exc:
            self.post_message(Notice(f"{doc}: {exc}", "error", 10))
            return
        evaluations = reading.evaluations
        targets = natural_targets(evaluations, into)
        clashes = [target.exists() for target in targets]
        self.post_message(ImportRead(doc, list(zip(targets, evaluations)), clashes))

    def on_import_read(self, message: ImportRead) -> None:
        from evaltui.screens.dialogs import ImportClashScreen

        choices: list[str] = ["new" if not clash else "" for clash in message.clashes]
        asked = [i for i, clash in enumerate(message.clashes) if clash]

        def ask(k: int) -> None:
            if k == len(asked):
                self._import_decided(message.doc, message.pairs, choices)
                return
            target, ev = message.pairs[asked[k]]

            def answered(result: tuple[str, bool] | None) -> None:
                choice, every = result or ("cancel", True)
                if choice == "cancel":
                    self.notify("已取消导入，未写入任何文件", markup=False)
                    return
                for i in asked[k:] if every else [asked[k]]:
                    choices[i] = choice
                ask(len(asked) if every else k + 1)

            self.push_screen(ImportClashScreen(ev.name, target.name, len(asked) - k - 1), answered)

        ask(0)

    def _import_decided(self, doc: Path, pairs: list[tuple[Path, Evaluation]], choices: list[str]) -> None:
        """Turn the answers into files: replace over the same path, keep both under a new name."""
        from evaltui import files, locks

        taken = self.folder.taken_names() | {p.name for p in self.folder.root.glob(f"*{files.SUFFIX}")}
        taken |= {target.name for (target, _), choice in zip(pairs, choices) if choice in ("new", "replace")}
        plan: list[tuple[Path, Evaluation]] = []
        refused: list[str] = []
        for (target, ev), choice in zip(pairs, choices):
            if choice == "keep":
                target = target.with_name(files.planned_names([ev.name], taken)[0])
                taken.add(target.name)
            elif choice == "replace":
                session = self.folder.sessions.get(target)
                if session is not None and session.dirty:
                    refused.append(f"{target.name} 有未保存的修改，未替换")
                    continue
                holder = self.folder.holder(session) if session is not None else locks.holder(target, self.folder.me)
                if holder is not None:
                    refused.append(f"{target.name}：{holder.describe()}，未替换")
                    continue
                if session is not None and session.locked:  # ours and clean: the file is read again after
                    locks.release(target, self.folder.me)
                    session.locked = False
            elif choice != "new":
                continue
            plan.append((target, ev))
        for line in refused:
            self.notify(line, severity="warning", timeout=10, markup=False)
        if plan:
            self.write_imported(doc, plan)
        elif not refused:
            self.notify(f"{doc.name}: 全部跳过，未写入任何文件", markup=False)

    @work(thread=True, group="word")  # never exclusive: a new one must not cancel a write under way
    def write_imported(self, doc: Path, plan: list[tuple[Path, Evaluation]]) -> None:
        from evaltui import store
        from evaltui.word.commands import save_forms

        try:
            written = save_forms(plan)
        except store.SaveError as exc:
            self.post_message(Notice(f"{doc}: {exc}", "error", 10))
            return
        self.post_message(FilesLoaded([folder_module.read(path, self.folder.finder) for path in written], 1, 1))
        names = "、".join(p.name for p in written)
        self.post_message(Notice(f"已导入 {len(written)} 份：{names}", timeout=8))

    def action_export_current(self) -> None:
        session = self.session()
        if session is None:
            self.notify("没有可导出的自评表", severity="warning", markup=False)
            return
        self._ask_export([session.current], [session.rules], self.folder.root / f"{session.path.stem}.docx")

    def action_export_all(self) -> None:
        evaluations = self.folder.evaluations()
        if not evaluations:
            self.notify("没有可导出的自评表", severity="warning", markup=False)
            return
        self._ask_export(evaluations, self.folder.rules(), self.folder.root / f"自评表汇总-{datetime.date.today():%Y%m%d}.docx")

    def _ask_export(self, evaluations: list[Evaluation], rules: list[Rules], default: Path) -> None:
        from evaltui.screens.dialogs import ConfirmScreen, PromptScreen, output_check

        def chosen(value: str | None) -> None:
            if not value:
                return
            target = Path(value).expanduser()
            if target.exists():
                self.push_screen(ConfirmScreen(f"{target} 已存在，覆盖吗？"),
                                 lambda yes: self.export_docx(evaluations, rules, target) if yes else None)
            else:
                self.export_docx(evaluations, rules, target)

        self.push_screen(PromptScreen(f"导出 {len(evaluations)} 份自评表到 Word 文件：", str(default),
                                      check=output_check("导出文件", (".docx",))), chosen)

    @work(thread=True, group="word")  # never exclusive: a new one must not cancel a write under way
    def export_docx(self, evaluations: list[Evaluation], rules: list[Rules], target: Path) -> None:
        from evaltui import store
        from evaltui.word.write import write_docx

        try:
            write_docx(evaluations, target, rules)
        except store.SaveError as exc:
            self.post_message(Notice(str(exc), "error", 10))
            return
        self.post_message(Notice(f"已导出 {len(evaluations)} 份自评表到 {target}", timeout=8))

    # ------------------------------------------------------------ screens

    def help_sources(self) -> list[tuple[str, list]]:
        """Each place's title and the bindings declared there (screens/help.py ``places``)."""
        from evaltui.screens.help import own_bindings, places

        return [(place.title, [b for cls in place.classes for b in own_bindings(cls)]) for place in places()]

    def action_help(self) -> None:
        """f1 / ?: every key; in a dialog (screens/dialogs.py Dialog) only the keys that act there."""
        from evaltui.screens.dialogs import Dialog
        from evaltui.screens.help import HelpScreen, dialog_rows

        if isinstance(self.screen, HelpScreen):
            return
        if isinstance(self.screen, Dialog):
            here = type(self.screen)
            self.push_screen(HelpScreen(dialog_rows(here), where=here.HELP_TITLE))
            return
        self.push_screen(HelpScreen())

    def action_review(self) -> None:
        from evaltui.screens.review import ReviewRow, ReviewScreen

        if isinstance(self.screen, ReviewScreen):  # ctrl+r again goes back, as its footer promises
            self.screen.dismiss(None)
            return
        rows = [ReviewRow(path, s.current, s.assessment, s.dirty) for path, s in self.sessions.items()]

        def opened(path: Path | None) -> None:
            if path is not None:
                self.sidebar.select_path(path)
                self.settle()
                self._main.choose(path)

        unreadable = [(str(path.relative_to(self.folder.root)) if path.is_relative_to(self.folder.root) else str(path), why)
                      for path, why in sorted(self.folder.load_errors.items())]
        self.push_screen(ReviewScreen(rows, self.folder.root, unreadable), opened)

    def action_focus_sidebar(self) -> None:
        self._main.action_focus_sidebar()

    def action_focus_grid(self) -> None:
        self._main.action_focus_grid()

    def action_toggle_sidebar(self) -> None:
        self._main.action_toggle_sidebar()

    def action_toggle_status(self) -> None:
        self._main.action_toggle_status()

    def action_next_section(self) -> None:
        self._main.action_next_section()

    # ------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        commands = (
            ("保存", "保存当前自评表 (ctrl+s)", self.action_save),
            ("撤销", "撤销上一次修改 (ctrl+z)", self.action_undo),
            ("重做", "重做 (ctrl+y)", self.action_redo),
            ("新建自评表", "按标准模板新建 (ctrl+n)", self.action_new),
            ("导入 Word", "把 Word 文档（.docx、.doc）中的自评表导入本文件夹", self.action_import),
            ("导出当前自评表到 Word", "官方版式 .docx", self.action_export_current),
            ("导出全部自评表到 Word", "每张表一页", self.action_export_all),
            ("汇总审阅", "全部自评表一览，可排序 (ctrl+r)", self.action_review),
            ("添加指标行", "在光标下方添加 (a)", self.action_add_row),
            ("删除指标行", "删除光标所在行 (d)", self.action_delete_row),
            ("指标行上移", "(K / shift+up)", lambda: self.action_move_row(-1)),
            ("指标行下移", "(J / shift+down)", lambda: self.action_move_row(1)),
            ("采用建议得分", "把规则的建议得分填入得分 (s)", self.action_apply_suggestion),
            ("标记为不适用", "光标所在指标不计入总分，其余按百分制折算；再按一次恢复 (u)", self.action_toggle_applicable),
            ("下一部分", "绩效指标 / 基本信息 / 项目资金 (ctrl+o)", self.action_next_section),
            ("显示或隐藏侧栏", "(ctrl+b)", self.action_toggle_sidebar),
            ("显示或隐藏问题列表", "(ctrl+e)", self.action_toggle_status),
            ("接管编辑", "别人正在编辑此表时，接管编辑锁（会先确认）", self.action_take_over),
            ("历史版本", "此表保存过的版本：谁、何时、改了什么；可比较并恢复", self.action_versions),
            ("同步", "与共享副本（版本库的远端）交换版本", self.action_sync),
            ("帮助", "列出所有按键 (f1 或 ?)", self.action_help),
            ("退出", "未保存时会先询问 (ctrl+q)", self.action_quit_app),
        )
        commands += (
            ("全屏表格", "表格占满屏幕，再选一次恢复 (f6)", self._main.action_grid_only),
            ("主题", "更换配色", self.action_change_theme),
        )
        # Each title carries an English word too, so that `save` finds 保存. Textual's own
        # commands (English, and a Quit that would skip the question) are replaced, not listed.
        for title, help_text, callback in commands:
            english = PALETTE_ENGLISH.get(title)
            yield SystemCommand(f"{title} · {english}" if english else title, help_text, callback)

    def action_command_palette(self) -> None:
        from evaltui.screens.palette import Palette

        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette", placeholder="搜索命令（中文或英文，如 save、export）…"))


PALETTE_ENGLISH = {
    "保存": "save", "撤销": "undo", "重做": "redo", "新建自评表": "new", "导入 Word": "import",
    "导出当前自评表到 Word": "export", "导出全部自评表到 Word": "export all", "汇总审阅": "review summary",
    "添加指标行": "add row", "删除指标行": "delete row", "指标行上移": "move up", "指标行下移": "move down",
    "采用建议得分": "suggestion", "下一部分": "next section", "显示或隐藏侧栏": "sidebar",
    "显示或隐藏问题列表": "problems", "接管编辑": "take over", "历史版本": "history", "同步": "sync",
    "帮助": "help keys", "退出": "quit exit", "全屏表格": "maximize full screen", "主题": "theme",
}


def make_app(path: Path | str = ".", *, guard: bool = True) -> EvalApp:
    """The one way to build the app: the CLI and the tests both call this. Tests pass
    ``guard=False`` so that an unexpected exception fails them instead of being reported."""
    return EvalApp(path, guard=guard)
