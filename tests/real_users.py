"""Real users and a group for permission tests, created when the tests run as root.

``users`` gives alice and bob, both in a group made for the test; ``User.call`` runs a
function as that user in a forked child (setgroups, setgid, setuid), so no interpreter has to
be reachable by them. Folders for them live under /tmp (pytest's own folder is root's, 0700).
Without root the tests that use them are skipped.
"""

from __future__ import annotations

import grp
import os
import pickle
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int
    groups: tuple[int, ...]

    def call(self, fn: Callable, *args, umask: int = 0o002):
        """``fn(*args)`` run as this user; its result, or its exception raised here."""
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: become the user, run, report, leave without cleanup
            os.close(read)
            try:
                os.setgroups(list(self.groups))
                os.setgid(self.gid)
                os.setuid(self.uid)
                os.umask(umask)
                outcome = ("ok", fn(*args))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                outcome = ("error", exc)
            try:
                data = pickle.dumps(outcome)
            except Exception as exc:  # noqa: BLE001
                data = pickle.dumps(("error", RuntimeError(repr(exc))))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        kind, value = pickle.loads(data)
        if kind == "error":
            raise value
        return value


def _run(*cmd: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True)


@pytest.fixture
def users() -> Iterator[tuple[User, User, int]]:
    """alice and bob in a fresh group; the group's gid third."""
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("needs root and useradd to create real users")
    tag = f"{os.getpid() % 100000}"
    group, names = f"evteam{tag}", (f"evalice{tag}", f"evbob{tag}")
    _run("groupadd", group)
    try:
        for name in names:
            _run("useradd", "-M", "-N", "-g", group, "-s", "/usr/sbin/nologin", name)
        gid = grp.getgrnam(group).gr_gid
        made = tuple(User(n, pwd.getpwnam(n).pw_uid, gid, (gid,)) for n in names)
        yield made[0], made[1], gid
    finally:
        for name in names:
            subprocess.run(["userdel", name], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)


@pytest.fixture
def shared_folder(users) -> Iterator[Path]:
    """A group folder: root:team, setgid, rwxrwx---, under /tmp where the users can reach it."""
    _, _, gid = users
    folder = Path(tempfile.mkdtemp(prefix="evaltui-shared-"))
    try:
        os.chown(folder, 0, gid)
        folder.chmod(0o2770)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
