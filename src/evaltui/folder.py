"""The open folder, without any UI: its sessions, the files that cannot be read, locks, names.

The app turns what these methods return (small result values) into messages and dialogs.
The functions at the end read files and are meant for worker threads: they take what they
need as arguments and return what they read.
"""

from __future__ import annotations

import datetime
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evaltui import files, locks, settings
from evaltui.reasons import os_reason

if TYPE_CHECKING:
    from evaltui import store
    from evaltui.model import Evaluation
    from evaltui.rules import Rules
    from evaltui.session import Session

Read = tuple[Path, "Session | str"]  # a session, or one line saying why the file cannot be read

# The app's grid holds every row of an evaluation: above this many indicators it is not opened
# for editing (listed with the reason); the command line checks and exports it all the same.
MAX_APP_INDICATORS = 2000


class NotOpened(str):
    """Why a file that was read is not opened in the app (too large): the file is fine, so the
    way on is the command line, not an edit of it. Kept where other files keep why they cannot
    be read (``load_errors``), and told apart by :func:`unopened_text`."""


def too_large(count: int) -> NotOpened | None:
    """Why an evaluation of ``count`` indicators is not opened in the app; None when it is."""
    if count <= MAX_APP_INDICATORS:
        return None
    return NotOpened(f"此表有 {count:,} 条绩效指标，超过应用可编辑的上限 {MAX_APP_INDICATORS:,} 条，未打开；"
                     "请在命令行用 evaltui check 检查、evaltui export 导出")


class Unscored(str):
    """Why an evaluation is not scored: the settings file that rules it cannot be used. The
    evaluation's own file is fine, so the way on is to fix the settings file; the app reads its
    evaluations again once it has changed (:func:`changed`)."""


class Gone(str):
    """A file the watcher no longer finds (deleted, or renamed away: the new name is a new
    file). It leaves the list (:meth:`Folder.went_away`) unless its evaluation is being edited."""


GONE = Gone("文件已被删除或改名")


def unopened_text(path: Path, why: str) -> str:
    """What the app shows in place of an evaluation it did not open: the reason, and the way on
    that fits it (fix the file; or, for one too large, the command line)."""
    if isinstance(why, NotOpened):
        return f"{path} 未在应用中打开：\n{why}\n\n此文件不会被改写。"
    if isinstance(why, Unscored):
        return f"{path} 未评分：\n{why}\n\n此文件本身无误，不会被改写。请修正评分规则设置文件，保存后这里会自动重新评分。"
    return f"无法读取 {path}：\n{why}\n\n此文件不会被改写。请用文本编辑器修正，保存后这里会自动重新读取。"


def unopened_mark(why: str) -> str:
    """A few characters for the file list and the status panel: 超出上限, 未评分 or 无法读取."""
    if isinstance(why, NotOpened):
        return "超出上限"
    return "未评分" if isinstance(why, Unscored) else "无法读取"


@dataclass(frozen=True)
class Ok:
    pass


@dataclass(frozen=True)
class HeldBy:
    """Someone else holds the edit lock."""

    owner: locks.Owner

    @property
    def why(self) -> str:
        return self.owner.describe()


@dataclass(frozen=True)
class ReadOnly:
    """The file is not to be changed. ``by_mode``: its owner made it read-only (chmod 444);
    the person may still choose to edit it, and a save over it asks first."""

    why: str
    by_mode: bool = False


@dataclass(frozen=True)
class Failed:
    why: str


@dataclass(frozen=True)
class ChangedOnDisk:
    """The file is no longer what the session read: the person chooses what to do."""

    session: Session


@dataclass(frozen=True)
class Saved:
    path: Path
    warning: str = ""  # saved, but something about it the person must hear (no version recorded)


@dataclass(frozen=True)
class SaveJob:
    """One save, taken on the app's thread: a worker writes it without touching the live session."""

    old_path: Path
    target: Path
    evaluation: Evaluation
    me: locks.Owner
    release: bool  # this editor holds old_path's lock: release it once saved
    replace_read_only: bool = False
    prepare: Path | None = None  # the folder whose repository the first save makes (see write)
    read_old: Rules | None = None  # saved as new: read the old file again, scored by these rules
    finder: settings.Finder | None = None
    stamp: int = 0  # recovery.stamp() when the evaluation was taken: later recovery files stay


@dataclass(frozen=True)
class SaveDone:
    job: SaveJob
    result: Saved | Failed
    signature: store.Signature | None = None
    old: Session | str | None = None  # the old file read again (saved as new)


Editable = Ok | HeldBy | ReadOnly | Failed
SaveCheck = Ok | HeldBy | ReadOnly | ChangedOnDisk | Failed


class Folder:
    """What the app has opened: one folder, or one file of it."""

    def __init__(self, given: Path) -> None:
        self.single_file = given if given.suffix == files.SUFFIX and not given.is_dir() else None
        self.root = given.parent if self.single_file else given
        self.sessions: dict[Path, Session] = {}
        self.load_errors: dict[Path, str] = {}
        self.error_signatures: dict[Path, store.Signature | None] = {}  # what each unreadable file was
        self.me = locks.me()
        self.chosen_to_edit: set[Path] = set()  # read-only files (by mode) the person chose to edit
        self.missing: set[Path] = set()  # files gone from disk whose evaluation is kept: being edited
        # the scoring rules: the nearest evaltui.toml above each file, within the folder opened
        self.finder = settings.Finder(self.root)

    # ------------------------------------------------------------ what is here

    def paths(self) -> list[Path]:
        """The evaluation files, by name (cheap: a directory listing)."""
        return list_paths(self.root, self.single_file)

    def known(self) -> set[Path]:
        return set(self.sessions) | set(self.load_errors)

    def taken_names(self) -> set[str]:
        return {p.name for p in self.known()}

    def unsaved(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.dirty]

    def clean(self) -> list[tuple[Path, store.Signature | None]]:
        """Files nobody here is editing, with what they were when read: the watcher's list."""
        editing = [(path, s.signature) for path, s in self.sessions.items() if not s.dirty and not s.locked]
        return editing + list(self.error_signatures.items())  # an unreadable file is read again once fixed

    def editing(self) -> list[Path]:
        """Files someone here is editing (unsaved edits, or the edit lock): the watcher only
        checks they are still there."""
        return [path for path, s in self.sessions.items() if s.dirty or s.locked]

    def went_away(self, paths: list[Path]) -> tuple[list[Path], list[Path]]:
        """The watcher's latest list of files gone from disk (all of them: an empty list says
        none is). Each leaves the folder, unless someone here is editing its evaluation: that
        one stays, unsaved edits and all, and the next save writes the file again. Returns the
        paths that left, and the ones kept that were not kept before (to be told once)."""
        left: list[Path] = []
        kept: set[Path] = set()
        for path in paths:
            if os.path.lexists(path):  # back meanwhile (saved here after the watcher looked)
                continue
            session = self.sessions.get(path)
            if session is not None and (session.dirty or session.locked):
                kept.add(path)
                continue
            self.sessions.pop(path, None)
            self.load_errors.pop(path, None)
            self.error_signatures.pop(path, None)
            self.chosen_to_edit.discard(path)
            left.append(path)
        newly = sorted(kept - self.missing)
        self.missing = kept
        return left, newly

    def take(self, path: Path, result: Session | str) -> bool:
        """Keep what was read of a file; never over a session someone here is editing."""
        current = self.sessions.get(path)
        if current is not None and (current.dirty or current.locked):
            return False
        if (current is not None and not isinstance(result, str) and current.signature is not None
                and result.signature == current.signature and result.rules == current.rules):
            return False  # the file this session knows (its own save, seen by a watcher that looked before it)
        if isinstance(result, str):
            self.sessions.pop(path, None)
            self.load_errors[path] = result
            self.error_signatures[path] = _signature(path)
        else:
            self.sessions[path] = result
            self.load_errors.pop(path, None)
            self.error_signatures.pop(path, None)
        return True

    # ------------------------------------------------------------ editing and saving

    def editable(self, session: Session) -> Editable:
        """May this editor change ``session``? Takes the edit lock the first time."""
        if session.read_only:
            return ReadOnly(f"{session.path.name} 由更新版本的 evaltui 写成，只读")
        if session.locked:
            return Ok()
        from evaltui import store

        reason = store.read_only_reason(session.path)  # chmod 444: made read-only on purpose
        session.mode_read_only = reason
        if reason is not None and session.path not in self.chosen_to_edit:
            holder = locks.holder(session.path, self.me)  # someone editing it decides: no question first
            return HeldBy(holder) if holder is not None else ReadOnly(f"{session.path.name}：{reason}，只读", by_mode=True)
        try:
            holder = locks.acquire(session.path, self.me)
        except OSError as exc:
            # editing goes on; only the others will not be told
            return Failed(f"无法写锁文件（{os_reason(exc)}）：别人不会知道你在编辑")
        if holder is not None:
            return HeldBy(holder)
        session.locked = True
        return Ok()

    def choose_to_edit(self, session: Session) -> None:
        """The person answered yes to editing a file made read-only by its mode."""
        self.chosen_to_edit.add(session.path)

    def can_save(self, session: Session, *, replace_read_only: bool = False) -> SaveCheck:
        """May the session be saved now? A file made read-only by its mode is ReadOnly
        (``by_mode``) until the person has said yes to replacing it (``replace_read_only``)."""
        if session.read_only:
            return ReadOnly("此文件由更新版本的 evaltui 写成，只读，不能保存")
        from evaltui import store

        reason = store.read_only_reason(session.path)
        if reason is not None and not replace_read_only:
            return ReadOnly(f"{session.path.name}：{reason}", by_mode=True)
        if not session.locked:
            holder = locks.holder(session.path, self.me)
            if holder is not None:
                return HeldBy(holder)
        if session.changed_on_disk():
            return ChangedOnDisk(session)
        return Ok()

    def save(self, session: Session, path: Path | None = None, *, replace_read_only: bool = False) -> Saved | Failed:
        """Write the session (to ``path`` when given) here and now; on success its lock is released.
        The app does the same in two halves: :meth:`save_job` and :meth:`saved` on its own
        thread, :func:`write` in a worker."""
        return self.saved(session, write(self.save_job(session, path, replace_read_only=replace_read_only)))

    def save_job(self, session: Session, path: Path | None = None, *, replace_read_only: bool = False,
                 as_new: bool = False) -> SaveJob:
        """What a worker needs to save ``session`` as it is now (to ``path``, or a free copy name
        ``as_new``). A file made read-only by its mode is replaced only with ``replace_read_only``
        (the person said yes); it keeps its mode."""
        from evaltui import recovery

        target = self.copy_path(session.path) if as_new else (path or session.path)
        prepare = self.root if any(p.parent == self.root for p in self.known()) else None
        return SaveJob(old_path=session.path, target=target, evaluation=session.current, me=self.me,
                       release=session.locked, replace_read_only=replace_read_only, prepare=prepare,
                       read_old=session.rules if as_new else None, finder=self.finder,
                       stamp=recovery.stamp())

    def saved(self, session: Session, done: SaveDone) -> Saved | Failed:
        """A save :func:`write` finished: the session now knows what its file holds (edits made
        meanwhile stay unsaved); a save as new also reads the old file again."""
        job = done.job
        if isinstance(done.result, Failed):
            return done.result
        session.saved_as(job.target, job.evaluation, done.signature)
        self.missing.discard(job.target)  # written again
        if job.release:
            session.locked = False
        if job.target != job.old_path:
            self.sessions.pop(job.old_path, None)
            self.sessions[job.target] = session
            if done.old is not None:
                self.take(job.old_path, done.old)
        return done.result

    def copy_path(self, path: Path) -> Path:
        """A free name beside ``path``: NAME（副本）.toml, NAME（副本 2）.toml …"""
        stem, n = path.stem, 2
        target = path.with_name(f"{stem}（副本）{files.SUFFIX}")
        while target.exists() or target in self.known():
            target = path.with_name(f"{stem}（副本 {n}）{files.SUFFIX}")
            n += 1
        return target

    def save_as_new(self, session: Session) -> Saved | Failed:
        """Save under a new name beside the old file; the old file is read again as it is now."""
        return self.saved(session, write(self.save_job(session, as_new=True)))

    def take_over(self, session: Session) -> Ok | Failed:
        try:
            locks.acquire(session.path, self.me, force=True)
        except OSError as exc:
            return Failed(f"无法写锁文件（{os_reason(exc)}）")
        session.locked = True
        return Ok()

    def holder(self, session: Session) -> locks.Owner | None:
        return None if session.locked else locks.holder(session.path, self.me)

    def discard_unsaved(self) -> None:
        """Quitting without saving: the recovery files go too."""
        from evaltui import recovery

        for session in self.unsaved():
            recovery.remove(session.path)

    def keep_unsaved_now(self) -> None:
        """Write every unsaved evaluation's recovery file now (a signal is ending the app)."""
        from evaltui import recovery, store

        for session in self.unsaved():
            try:
                recovery.write(session.path, store.dumps(session.current), recovery.stamp())
            except (store.SaveError, OSError):
                pass

    def release_locks(self) -> None:
        for session in self.sessions.values():
            if session.locked:
                try:
                    locks.release(session.path, self.me)
                except OSError:
                    pass
                session.locked = False

    def create(self, name: str, year: int | None = None) -> Saved | Failed:
        """A new evaluation from the standard template, saved under a name made from ``name``."""
        from evaltui import edits, store

        same = self.named(name)
        if same is not None:  # a second 调研经费 would be told apart only by its file name
            return Failed(f"已有同名的自评表（{same.name}），请换一个名称")
        ev = edits.standard_template(name, datetime.date.today().year - 1 if year is None else year)
        path = self.root / files.planned_names([name], self.taken_names())[0]
        if path.exists():
            return Failed(f"{path.name} 已存在")
        self._prepare_versions()
        try:
            store.save(path, ev)
        except store.SaveError as exc:
            return Failed(str(exc))
        self.take(*read(path, self.finder))
        return Saved(path)

    def named(self, name: str) -> Path | None:
        """The file of an evaluation whose project name (as edited here) is ``name``, if any."""
        wanted = name.strip()
        return next((path for path, session in sorted(self.sessions.items())
                     if session.current.name.strip() == wanted), None)

    def _prepare_versions(self) -> None:
        """One repository for the whole folder opened, even when the first save is in a subfolder.

        Only for a folder that holds evaluations itself: opening a home folder with forms in
        some subfolders must not turn the home folder into a repository."""
        from evaltui import versions

        if not any(path.parent == self.root for path in self.known()):
            return
        try:
            versions.prepare(self.root)
        except versions.VersionError:
            pass  # the save itself records the version and says so when it cannot

    def evaluations(self) -> list[Evaluation]:
        return [s.current for _, s in sorted(self.sessions.items())]

    def rules(self) -> list[Rules]:
        """The rules of each evaluation of :meth:`evaluations`, in the same order."""
        return [s.rules for _, s in sorted(self.sessions.items())]

    def rules_in_force(self) -> str:
        """The rules that score what is open, named: ``全国``, or each settings file's label."""
        labels = dict.fromkeys(s.rules.label() for _, s in sorted(self.sessions.items()))
        return "；".join(labels) or "全国"


# ---------------------------------------------------------------- for worker threads

_writing = threading.Lock()  # one save at a time: two saves of a file (or two git commits) never interleave


def write(job: SaveJob) -> SaveDone:
    """Write ``job``'s evaluation atomically and record its version; then its recovery file goes
    and its lock is released. For a worker thread: it touches no session."""
    from evaltui import recovery, store, versions
    from evaltui.session import Session

    with _writing:
        if job.prepare is not None:  # one repository for the whole folder opened (Folder._prepare_versions)
            try:
                versions.prepare(job.prepare)
            except versions.VersionError:
                pass  # the save itself records the version and says so when it cannot
        warning = ""
        try:
            store.save(job.target, job.evaluation, replace_read_only=job.replace_read_only)
        except store.NotVersioned as exc:
            warning = str(exc)
        except store.ReadOnlyFile as exc:
            return SaveDone(job, Failed(f"{exc}：按 ctrl+s 保存时可确认覆盖。修改仍保留在程序中。"))
        except store.SaveError as exc:
            return SaveDone(job, Failed(f"{exc}。修改仍保留在程序中。"))
        signature = _signature(job.target)
        # Only the edits this save holds: a recovery file written since (an edit made meanwhile,
        # or kept by SIGHUP/SIGTERM while the file was being written) stays.
        recovery.remove(job.old_path, upto=job.stamp)
        if job.release:
            try:
                locks.release(job.old_path, job.me)
            except OSError:
                pass
        old = Session.read(job.old_path, job.read_old) if job.read_old is not None else None
        return SaveDone(job, Saved(job.target, warning), signature, old)


def list_paths(root: Path, single_file: Path | None) -> list[Path]:
    """The evaluation files; temporary files that killed saves left in the folder go first."""
    from evaltui import store

    store.sweep_temporaries(root)
    if single_file is not None:
        return [single_file]
    return list(files.find([root])) if root.is_dir() else []


def read(path: Path, finder: settings.Finder | None = None) -> Read:
    """A session for ``path`` scored by the rules ``finder`` finds for it (national without one);
    a file under a settings file that cannot be used is not read: it is not scored by a guess."""
    from evaltui import recovery
    from evaltui.rules import NATIONAL
    from evaltui.session import Session

    rules = finder.rules_for(path) if finder is not None else NATIONAL
    if isinstance(rules, settings.SettingsError):
        return path, Unscored(f"{rules}（{rules.unscored()}）")
    session = Session.read(path, rules)
    if not isinstance(session, str) and (why := too_large(len(session.current.indicators))) is not None:
        return path, why
    if not isinstance(session, str) and recovery.path_for(path).exists():
        kept = recovery.read(path)
        if kept is None or kept == session.saved:
            recovery.remove(path)
        elif not holder_of(path, locks.me()):
            session.recovered = kept  # unsaved edits a recovery file keeps, offered when shown
    return path, session


def _signature(path: Path) -> store.Signature | None:
    from evaltui import store

    try:
        return store.Signature.of(path)
    except OSError:
        return None


def changed(clean: list[tuple[Path, store.Signature | None]], known: set[Path], paths: list[Path],
            finder: settings.Finder | None = None, editing: list[Path] | tuple = ()) -> list[Read]:
    """Files (of ``clean``) that changed on disk since they were read, and new files, read again;
    files of ``clean`` and ``editing`` no longer there, as :data:`GONE`."""
    from evaltui import store

    results: list[Read] = [(path, GONE) for path in editing if not os.path.lexists(path)]
    rescore = finder.changed_folders() if finder is not None else set()  # their evaltui.toml changed
    for path, signature in clean:
        try:
            now = store.Signature.of(path)
        except FileNotFoundError:
            if signature is not None:
                results.append((path, GONE))
            continue
        except OSError as exc:
            results.append((path, f"无法读取（{os_reason(exc)}）"))
            continue
        if now != signature or path.parent in rescore:
            results.append(read(path, finder))
    results += [read(path, finder) for path in paths if path not in known]
    return results


def holder_of(path: Path, mine: locks.Owner) -> str:
    """Who else is editing ``path``, in words; empty when nobody."""
    try:
        owner = locks.holder(path, mine)
    except OSError:
        return ""
    return owner.describe() if owner else ""
