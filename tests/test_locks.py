"""Locks that exclude: complete in one step, unreadable means held, stale only when the
process is gone on this host; odd lock files never block."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from real_users import shared_folder, users  # noqa: F401 - fixtures

from evaltui import locks

ATTEMPTS = 10_000
RACERS = 3

RACER = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    from evaltui import locks
    path, go, attempts = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    inside = path.with_name("inside")
    me = locks.me()
    while not go.exists():
        time.sleep(0.001)
    wins = overlaps = foreign = 0
    for _ in range(attempts):
        if locks.acquire(path, me) is not None:
            continue
        wins += 1
        try:  # nobody else may be inside while this process holds the lock
            fd = os.open(inside, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            os.close(fd)
        except FileExistsError:
            overlaps += 1
        owner = locks.read(path)
        if owner is None or not locks.is_mine(owner, me):
            foreign += 1
        try:
            os.unlink(inside)
        except FileNotFoundError:
            overlaps += 1
        locks.release(path, me)
    print(json.dumps({"wins": wins, "overlaps": overlaps, "foreign": foreign}))
""")


def test_raced_acquisitions_by_three_processes_give_one_holder_each_time(tmp_path):
    path, go = tmp_path / "x.toml", tmp_path / "go"
    racers = [
        subprocess.Popen([sys.executable, "-c", RACER, str(path), str(go), str(ATTEMPTS // RACERS + 1)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(RACERS)
    ]
    go.touch()
    results = []
    for racer in racers:
        out, err = racer.communicate(timeout=300)
        assert racer.returncode == 0, err
        results.append(json.loads(out))
    assert sum(r["overlaps"] for r in results) == 0, results
    assert sum(r["foreign"] for r in results) == 0, results
    assert all(r["wins"] > 0 for r in results), results
    assert not locks.lock_path(path).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["go"]  # no scratch file left


def test_a_lock_appears_complete_and_readable_by_others_whatever_the_umask(tmp_path):
    path = tmp_path / "x.toml"
    old = os.umask(0o077)
    try:
        assert locks.acquire(path, locks.me()) is None
    finally:
        os.umask(old)
    lock = locks.lock_path(path)
    assert lock.stat().st_mode & 0o777 == 0o644
    assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()


def _other() -> locks.Owner:
    return replace(locks.me(), pid=os.getppid(), token="someone")


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _write_lock(path: Path, owner: locks.Owner) -> None:
    locks.lock_path(path).write_text(json.dumps(asdict(owner)), encoding="utf-8")


@pytest.mark.parametrize("content", [b"", b"{", b"[1, 2]", b'{"user": "a"}', b"\xff\xfe", b"x" * 10_000])
def test_an_unparsable_lock_counts_as_held_never_stale(tmp_path, content):
    path = tmp_path / "x.toml"
    locks.lock_path(path).write_bytes(content)
    mine = locks.me()
    owner = locks.acquire(path, mine)
    assert owner is not None and owner.token == locks.UNREADABLE
    assert "无法读取" in owner.describe()
    assert locks.holder(path, mine) == owner
    assert locks.lock_path(path).read_bytes() == content  # left alone
    assert locks.acquire(path, mine, force=True) is None  # the user chose to take it over
    assert locks.is_mine(locks.read(path), mine)


def _alarm(seconds: int):
    def hang(*_):
        raise TimeoutError("blocked on a lock file")
    signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "symlink-to-fifo", "folder"])
def test_an_odd_lock_file_never_blocks_and_counts_as_held(tmp_path, kind):
    path = tmp_path / "x.toml"
    lock = locks.lock_path(path)
    if kind == "fifo":
        os.mkfifo(lock)
    elif kind == "dev-zero":
        lock.symlink_to("/dev/zero")
    elif kind == "symlink-to-fifo":
        os.mkfifo(tmp_path / "pipe")
        lock.symlink_to(tmp_path / "pipe")
    else:
        lock.mkdir()
    _alarm(10)
    try:
        owner = locks.acquire(path, locks.me())
        assert owner is not None and owner.token == locks.UNREADABLE
        assert locks.holder(path, locks.me()) is not None
    finally:
        signal.alarm(0)


def test_stale_only_when_the_process_is_gone_on_this_host(tmp_path):
    path = tmp_path / "x.toml"
    mine = locks.me()
    _write_lock(path, replace(_other(), pid=_dead_pid()))
    assert locks.acquire(path, mine) is None  # gone on this host: taken over
    locks.release(path, mine)
    _write_lock(path, replace(_other(), pid=_dead_pid(), host=socket.gethostname() + "-elsewhere"))
    assert locks.acquire(path, mine) is not None  # another host: cannot tell, so held
    _write_lock(path, _other())  # alive here
    assert locks.acquire(path, mine) is not None
    assert locks.acquire(path, mine, force=True) is None


def _try_lock(path: Path) -> str:
    owner = locks.acquire(path, locks.me())
    return "TAKEN" if owner is None else owner.token


def test_a_lock_another_user_cannot_read_counts_as_held(users, shared_folder):
    alice, bob, _ = users
    path = shared_folder / "x.toml"
    assert alice.call(_try_lock, path, umask=0o077) == "TAKEN"
    lock = locks.lock_path(path)
    lock.chmod(0o600)  # as an older evaltui left it under umask 077
    before = lock.read_bytes()
    assert bob.call(_try_lock, path) == locks.UNREADABLE
    assert lock.read_bytes() == before and lock.stat().st_uid == alice.uid
