"""Who is editing an evaluation: a lock file beside it, ``.NAME.toml.lock``.

The lock holds user@host, process id and the time editing began. Another person who opens
the evaluation is told and gets it read-only.

A lock excludes:

- it appears complete in one step: the owner is written to a temporary file, which is then
  hard-linked into place (``link`` fails when a lock is already there), so nobody ever reads
  a lock half written;
- a lock that cannot be read (another user's umask, a FIFO, a symlink, too large) or does
  not parse counts as held, never as stale;
- a lock is stale only when its process is gone on this host; a stale lock, or any lock the
  user chose to take over after being asked, is replaced under a short ``flock`` on the
  folder, after checking that it is still the very file judged stale.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import fcntl
import getpass
import json
import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from evaltui import regular
from evaltui.reasons import os_reason

MAX_LOCK_BYTES = 4096
UNREADABLE = "unreadable"  # the token of an Owner standing for a lock that cannot be read


@dataclass(frozen=True)
class Owner:
    user: str
    host: str
    pid: int
    since: str  # ISO time, local
    token: str = ""  # tells apart two editors in one process (tests, embedded use)

    @property
    def who(self) -> str:
        return f"{self.user}@{self.host}"

    @property
    def since_text(self) -> str:
        try:
            when = datetime.datetime.fromisoformat(self.since)
        except ValueError:
            return self.since
        return when.strftime("%m-%d %H:%M")

    def describe(self) -> str:
        if self.token == UNREADABLE:
            return f"锁文件无法读取（{self.since}），视为有人正在编辑"
        return f"{self.who} 自 {self.since_text} 起正在编辑（进程 {self.pid}）"


def me() -> Owner:
    """This editor: the current user, host and process, and a token of its own."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return Owner(user, socket.gethostname(), os.getpid(),
                 datetime.datetime.now().isoformat(timespec="seconds"), uuid.uuid4().hex)


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _unreadable(reason: str) -> Owner:
    return Owner("?", "?", -1, reason, UNREADABLE)


def _parse(raw: bytes) -> Owner:
    try:
        data = json.loads(raw.decode("utf-8"))
        return Owner(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]), str(data.get("token", "")))
    except (ValueError, KeyError, TypeError, AttributeError):
        return _unreadable("内容无法解析")


def _read_lock(target: Path) -> tuple[Owner, int] | None:
    """The owner in a lock file and the file's inode; None when there is no lock."""
    try:
        raw, inode = regular.read_with_inode(target, MAX_LOCK_BYTES, follow=False)
    except FileNotFoundError:
        return None
    except PermissionError:
        return _unreadable("没有读取权限"), -1
    except regular.NotRegular as exc:
        return _unreadable(f"是{exc.kind}"), -1
    except regular.TooLarge:
        return _unreadable("文件过大"), -1
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _unreadable("是符号链接"), -1
        return _unreadable(os_reason(exc)), -1
    return _parse(raw), inode


def read(path: Path) -> Owner | None:
    """The lock on ``path``; None when there is none. An unreadable lock is an Owner whose
    token is UNREADABLE: it counts as held."""
    found = _read_lock(lock_path(path))
    return None if found is None else found[0]


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_mine(owner: Owner, mine: Owner) -> bool:
    return (owner.host, owner.pid, owner.token) == (mine.host, mine.pid, mine.token)


def is_stale(owner: Owner) -> bool:
    """A lock whose process is gone on this host. An unreadable lock is never stale."""
    if owner.token == UNREADABLE:
        return False
    return owner.host == socket.gethostname() and not _alive(owner.pid)


def holder(path: Path, mine: Owner) -> Owner | None:
    """Someone else who holds a live lock on ``path``, or None."""
    owner = read(path)
    if owner is None or is_mine(owner, mine) or is_stale(owner):
        return None
    return owner


def _link_new(target: Path, mine: Owner) -> bool:
    """Put a complete lock of ``mine`` at ``target`` in one step; False when one is there."""
    payload = json.dumps(asdict(mine), ensure_ascii=False).encode("utf-8")
    scratch = target.with_name(f"{target.name}-new.{os.getpid()}.{mine.token or uuid.uuid4().hex}")
    fd = os.open(scratch, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            os.fchmod(fd, 0o644)  # readable by the others whatever the umask: they must see who holds it
            os.write(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(scratch, target)
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(scratch)


@contextlib.contextmanager
def _folder_flock(folder: Path) -> Iterator[None]:
    """An exclusive flock on the folder for the moment of a take-over; released on exit, and by
    the kernel if the process dies."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def acquire(path: Path, mine: Owner, *, force: bool = False) -> Owner | None:
    """Take the lock; None on success, else the owner who holds it (an unreadable lock too).

    A stale lock is taken over; ``force`` takes over a live or unreadable one (after asking
    the user).
    """
    target = lock_path(path)
    for _ in range(1000):  # each round that decides nothing saw another process make progress
        if _link_new(target, mine):
            return None
        found = _read_lock(target)
        if found is None:
            continue  # released in between: try again
        owner, inode = found
        if is_mine(owner, mine):
            return None
        if not force and not is_stale(owner):
            return owner
        with _folder_flock(target.parent):
            again = _read_lock(target)
            if again is not None and (again[1] != inode or again[0] != owner):
                continue  # someone replaced it meanwhile: judge the new one
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
            if _link_new(target, mine):
                return None
    return _unreadable("一直在变化")


def release(path: Path, mine: Owner) -> None:
    """Remove the lock if it is ours; someone else's is left alone."""
    owner = read(path)
    if owner is not None and is_mine(owner, mine):
        lock_path(path).unlink(missing_ok=True)
