"""Who is editing an evaluation: a lock file beside it, ``.NAME.toml.lock``.

The lock holds user@host, process id and the time editing began. Another person who opens
the evaluation is told and gets it read-only. A lock whose process is gone on this host is
stale and is taken over; one from another host stays until its owner releases it (or someone
takes it over on purpose).
"""

from __future__ import annotations

import datetime
import getpass
import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path


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


def read(path: Path) -> Owner | None:
    """The lock on ``path``; None when there is none. An unreadable lock counts as stale."""
    try:
        data = json.loads(lock_path(path).read_text(encoding="utf-8"))
        return Owner(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]), str(data.get("token", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return Owner("?", "?", -1, "", "broken")


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
    """A broken lock, or one whose process is gone on this host."""
    if owner.token == "broken":
        return True
    return owner.host == socket.gethostname() and not _alive(owner.pid)


def holder(path: Path, mine: Owner) -> Owner | None:
    """Someone else who holds a live lock on ``path``, or None."""
    owner = read(path)
    if owner is None or is_mine(owner, mine) or is_stale(owner):
        return None
    return owner


def acquire(path: Path, mine: Owner, *, force: bool = False) -> Owner | None:
    """Take the lock; None on success, else the live owner who holds it.

    A stale lock is taken over; ``force`` takes over a live one too (after asking the user).
    """
    target = lock_path(path)
    payload = json.dumps(asdict(mine), ensure_ascii=False).encode("utf-8")
    for _ in range(2):
        try:
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = read(path)
            if owner is not None and is_mine(owner, mine):
                return None
            if owner is not None and not is_stale(owner) and not force:
                return owner
            target.unlink(missing_ok=True)  # stale (or forced): take it over, then create ours
            continue
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        return None
    return read(path)


def release(path: Path, mine: Owner) -> None:
    """Remove the lock if it is ours; someone else's is left alone."""
    owner = read(path)
    if owner is not None and is_mine(owner, mine):
        lock_path(path).unlink(missing_ok=True)
