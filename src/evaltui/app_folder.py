"""The folder behind the app: loading, watching for changes, saving, locks, Word in and out.

A mixin of the app. Parsing, the dialogs and Word are imported where first needed, so that
the first screen paints before them.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widgets import Static

from evaltui import files, locks
from evaltui.widgets.text import t

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.session import Session

LOAD_BATCH = 50
WATCH_SECONDS = 2.0  # how often files on disk are compared with what is on screen


class FilesLoaded(Message):
    """A batch of files read by the loading worker."""

    def __init__(self, results: list[tuple[Path, Session | str]], done: int, total: int) -> None:
        super().__init__()
        self.results = results
        self.done = done
        self.total = total


class FilesChanged(Message):
    """Files read again by the watcher (sessions, or why a file cannot be read now), and who
    else is editing the evaluation on screen."""

    def __init__(self, results: list[tuple[Path, Session | str]], holder: str) -> None:
        super().__init__()
        self.results = results
        self.holder = holder


class FolderMixin:
    def _paths(self) -> list[Path]:
        if self.single_file is not None:
            return [self.single_file]
        return list(files.find([self.folder])) if self.folder.is_dir() else []

    def _taken_names(self) -> set[str]:
        return {p.name for p in self.sessions} | {p.name for p in self.load_errors}

    def _take(self, path: Path, result: Session | str) -> bool:
        """Keep what was read of a file; never over a session someone here is editing."""
        current = self.sessions.get(path)
        if current is not None and (current.dirty or current.locked):
            return False
        if isinstance(result, str):
            self.sessions.pop(path, None)
            self.load_errors[path] = result
        else:
            self.sessions[path] = result
            self.load_errors.pop(path, None)
        return True

    @work(thread=True, exclusive=True, group="load")
    def load_folder(self, paths: list[Path]) -> None:
        from evaltui.session import Session

        batch: list[tuple[Path, Session | str]] = []
        for done, path in enumerate(paths, start=1):
            batch.append((path, Session.read(path)))
            if len(batch) >= LOAD_BATCH or done == len(paths) or done == 1:
                self.post_message(FilesLoaded(batch, done, len(paths)))
                batch = []
        if not paths:
            self.post_message(FilesLoaded([], 0, 0))

    def on_files_loaded(self, message: FilesLoaded) -> None:
        for path, result in message.results:
            self._take(path, result)
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
        if self.pending_choice is not None and self.pending_choice in self.sessions:
            self.enter_grid(self.pending_choice)
        if finished and not self.loaded:
            self.loaded = True
            self.set_interval(WATCH_SECONDS, self.watch_files)

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
        self._take(old_path, SessionType.read(old_path))
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
        """Read again what changed on disk (files nobody here is editing), new files, and the
        lock of the evaluation on screen."""
        from evaltui.session import Session as SessionType

        changed: list[tuple[Path, Session | str]] = []
        for path in clean:
            session = self.sessions.get(path)
            if session is None or not session.changed_on_disk():
                continue
            changed.append((path, SessionType.read(path) if path.exists() else "文件已被删除或改名"))
        known = set(self.sessions) | set(self.load_errors)
        changed += [(path, SessionType.read(path)) for path in self._paths() if path not in known]
        session = self.session()
        holder = locks.holder(session.path, self.me) if session is not None and not session.locked else None
        self.post_message(FilesChanged(changed, holder.describe() if holder else ""))

    def on_files_changed(self, message: FilesChanged) -> None:
        # a file someone here started editing meanwhile is not replaced: its save will notice
        entries = [self.entry(path) for path, result in message.results if self._take(path, result)]
        if entries:
            self.sidebar.update_entries(entries)
        if any(p == self.current for p, _ in message.results) or message.holder != self.shown_holder:
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

    def action_new(self) -> None:
        from evaltui import edits, store
        from evaltui.screens.dialogs import PromptScreen
        from evaltui.session import Session

        def named(name: str | None) -> None:
            if not name:
                return
            ev = edits.standard_template(name, datetime.date.today().year - 1)
            path = self.folder / files.planned_names([name], self._taken_names())[0]
            if path.exists():
                self.notify(f"{path.name} 已存在", severity="error", markup=False)
                return
            try:
                store.save(path, ev)
            except store.SaveError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self._take(path, Session.read(path))
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

        try:
            written = import_document(doc, self.folder, force=False, taken=self._taken_names())
        except (ImportError_, store.SaveError) as exc:
            self.call_from_thread(self.notify, f"{doc}: {exc}", severity="error", timeout=10, markup=False)
            return
        self.post_message(FilesLoaded([(path, Session.read(path)) for path in written], 1, 1))
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
