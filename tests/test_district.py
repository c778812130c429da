"""Several people, one folder: locks, files changed on disk, nothing lost."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from decimal import Decimal

from app_helpers import ONE, folder_with, loaded, new_app, running

from evaltui import locks, store, versions
from evaltui.screens.dialogs import ConflictScreen


def test_lock_acquire_release_and_holder(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text("")
    first, second = locks.me(), locks.me()
    assert locks.acquire(path, first) is None
    assert locks.acquire(path, first) is None, "taking one's own lock again is fine"
    held = locks.acquire(path, second)
    assert held is not None and held.who == f"{first.user}@{socket.gethostname()}"
    assert locks.holder(path, second) == held and locks.holder(path, first) is None
    locks.release(path, second)
    assert locks.lock_path(path).exists(), "someone else's lock is left alone"
    locks.release(path, first)
    assert not locks.lock_path(path).exists()
    assert locks.acquire(path, second) is None


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_stale_lock_is_taken_over(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text("")
    gone = locks.Owner("alice", socket.gethostname(), _dead_pid(), "2026-01-01T09:00:00", "x")
    locks.lock_path(path).write_text(
        '{"user": "alice", "host": "%s", "pid": %d, "since": "2026-01-01T09:00:00", "token": "x"}' % (gone.host, gone.pid))
    mine = locks.me()
    assert locks.holder(path, mine) is None
    assert locks.acquire(path, mine) is None
    assert locks.read(path).token == mine.token


def test_a_lock_from_another_host_is_respected_until_forced(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text("")
    locks.lock_path(path).write_text('{"user": "bob", "host": "elsewhere", "pid": 1, "since": "2026-11-27T08:00:00"}')
    mine = locks.me()
    assert locks.acquire(path, mine).who == "bob@elsewhere"
    assert locks.acquire(path, mine, force=True) is None


async def test_two_app_instances_on_one_file(tmp_path):
    folder = folder_with(tmp_path, ONE)
    first, second = new_app(folder), new_app(folder)
    async with first.run_test(size=(160, 50)) as p1:
        await loaded(p1, first)
        await p1.press("enter", *["right"] * 6, "enter", "1", "0", "enter")
        assert first.session().locked
        assert locks.lock_path(folder / ONE).exists()
        async with second.run_test(size=(160, 50)) as p2:
            await loaded(p2, second)
            await second.workers.wait_for_complete()  # the lock's holder is read in a worker
            await p2.pause()
            summary = str(second.query_one("#summary").render())
            assert f"{first.me.user}@{first.me.host}" in summary and "只读" in summary
            await p2.press("enter", *["right"] * 6, "enter")
            assert not second.editor.is_open, "the second instance is read-only"
            await p2.press("ctrl+s")
            await second.workers.wait_for_complete()  # the save is written in a worker
        await p1.press("ctrl+s")
        await first.workers.wait_for_complete()  # the save is written in a worker
        await p1.pause()
        assert not locks.lock_path(folder / ONE).exists(), "saving releases the lock"
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)


async def test_quitting_releases_the_lock(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "1", "0", "enter")
        assert locks.lock_path(folder / ONE).exists()
        await pilot.press("ctrl+q", "d")
        await pilot.pause()
    assert not locks.lock_path(folder / ONE).exists()


async def test_a_stale_lock_does_not_block_the_app(tmp_path):
    folder = folder_with(tmp_path, ONE)
    locks.lock_path(folder / ONE).write_text(
        '{"user": "alice", "host": "%s", "pid": %d, "since": "2026-01-01T09:00:00"}' % (socket.gethostname(), _dead_pid()))
    async with running(folder, (80, 24)) as (app, pilot):
        assert "只读" not in str(app.query_one("#summary").render())
        await pilot.press("enter", *["right"] * 6, "enter", "1", "0", "enter")
        assert app.session().current.indicators[0].score == Decimal(10)
        assert locks.read(folder / ONE).token == app.me.token


def _edit_on_disk(path, **changes):
    ev = store.load(path)
    first = ev.indicators[0].model_copy(update=changes)
    store.save(path, ev.model_copy(update={"indicators": (first, *ev.indicators[1:])}))


async def _conflict(pilot, app, path) -> None:
    """Score 10 typed here, a reason saved there by a colleague, then ctrl+s here."""
    await pilot.press("enter", *["right"] * 6, "enter", "1", "0", "enter")
    _edit_on_disk(path, reason="同事写的原因")
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()  # the save is written in a worker
    await pilot.pause()


async def test_a_change_on_disk_before_saving_is_offered_not_overwritten(tmp_path):
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    async with running(folder) as (app, pilot):
        await _conflict(pilot, app, path)
        assert isinstance(app.screen, ConflictScreen)
        assert any("同事写的原因" in line for line in app.screen.theirs)
        assert any("得分" in line and "10" in line for line in app.screen.mine)
        assert store.load(path).indicators[0].reason == "同事写的原因", "nothing was written yet"
        await pilot.press("n")
        await app.workers.wait_for_complete()  # saved as new in a worker
        await pilot.pause()
        copy = folder / "专委会会议、调研、视察活动经费（副本）.toml"
        assert store.load(copy).indicators[0].score == Decimal(10)
        assert store.load(path).indicators[0].reason == "同事写的原因"
        assert app.current == copy


async def test_reload_after_a_change_on_disk_keeps_my_edit_one_undo_away(tmp_path):
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    async with running(folder) as (app, pilot):
        await _conflict(pilot, app, path)
        await pilot.press("r")
        assert app.session().current.indicators[0].reason == "同事写的原因"
        assert app.session().current.indicators[0].score == Decimal("3.75")
        await pilot.press("ctrl+z")
        assert app.session().current.indicators[0].score == Decimal(10)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        assert not isinstance(app.screen, ConflictScreen)
        assert store.load(path).indicators[0].score == Decimal(10)


async def test_overwrite_after_a_change_on_disk(tmp_path):
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    async with running(folder) as (app, pilot):
        await _conflict(pilot, app, path)
        await pilot.press("o")
        await pilot.pause()
    saved = store.load(path)
    assert saved.indicators[0].score == Decimal(10) and saved.indicators[0].reason == ""
    kept = versions.history(path)[1]
    assert store.loads(kept.data.decode()).indicators[0].reason == "同事写的原因", "the overwritten version is kept"


async def test_files_not_being_edited_refresh_when_changed_on_disk(tmp_path):
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    async with running(folder) as (app, pilot):
        _edit_on_disk(path, score=Decimal(10))
        new = folder / "调研经费.toml"
        new.write_text(store.dumps(store.load(path).model_copy(update={"name": "新来的"})), encoding="utf-8")
        app.watch_files()
        for _ in range(250):  # the watcher's worker, then its message, then the redraw
            await app.workers.wait_for_complete()
            await pilot.pause(0.02)
            if new in app.sessions and "97.31" in str(app.query_one("#summary").render()):
                break
        assert app.session().current.indicators[0].score == Decimal(10)
        assert "97.31" in str(app.query_one("#summary").render())
        assert new in app.sessions


def test_no_write_survives_a_kill_at_any_moment(tmp_path):
    """SIGKILL a process that saves in a loop, 200 times: the file is always wholly old or new."""
    path = tmp_path / "a.toml"
    base = store.load(folder_with(tmp_path, ONE) / ONE)
    versions = [base.model_copy(update={"name": "旧" * 50, "goals": base.goals.model_copy(update={"expected": "甲" * 3000})}),
                base.model_copy(update={"name": "新" * 50, "goals": base.goals.model_copy(update={"expected": "乙" * 3000})})]
    texts = {store.dumps(v) for v in versions}
    store.save(path, versions[0])
    import random
    import signal
    import time

    rng = random.Random(7)
    for attempt in range(200):
        pid = os.fork()
        if pid == 0:  # the child saves the two versions in turn until it is killed
            try:
                i = 0
                while True:
                    store.write_atomic(path, store.dumps(versions[i % 2]).encode("utf-8"))
                    i += 1
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.01))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        assert path.read_text(encoding="utf-8") in texts, f"torn file after {attempt + 1} kills"
    store.write_atomic(path, store.dumps(versions[1]).encode("utf-8"))
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == [] or all(time.time() - p.stat().st_mtime < store.STALE_TEMPORARY_SECONDS for p in leftovers)


async def test_a_large_folder_lists_at_once_and_answers_keys_while_loading(tmp_path):
    folder = tmp_path / "district"
    folder.mkdir()
    text = (folder_with(tmp_path, ONE) / ONE).read_text(encoding="utf-8")
    for i in range(1000):
        (folder / f"项目{i:04d}.toml").write_text(text.replace("专委会会议、调研、视察活动经费", f"项目{i:04d}"), encoding="utf-8")
    app = new_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        # Pilot's pauses wait for the loading worker too, so this test waits on the loop itself.
        while not app.ready:
            await asyncio.sleep(0.005)
        assert len(app.sidebar.files.paths) == 1000, "every file is listed before any is read"
        assert "读取中" in str(app.sidebar.query_one("#sidebar-title").render())
        read_when_keys_came: list[int] = []
        show = app.show

        def recording_show(path, **how):
            read_when_keys_came.append(len(app.sessions))
            show(path, **how)

        app.show = recording_show
        for _ in range(3):
            app.sidebar.files.action_move(1)  # what the down key runs
            await asyncio.sleep(0.02)
        for _ in range(500):  # the evaluation under the cursor is drawn after the paint (later under load)
            if read_when_keys_came:
                break
            await asyncio.sleep(0.01)
        assert app.sidebar.highlighted_path().name == "项目0003.toml"
        assert read_when_keys_came and read_when_keys_came[0] < 1000, "keys were answered while files were still loading"
        await loaded(pilot, app)
        assert len(app.sessions) == 1000
        assert "读取中" not in str(app.sidebar.query_one("#sidebar-title").render())


async def test_someone_starting_to_edit_shows_up_without_a_key(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder) as (app, pilot):
        assert "只读" not in str(app.query_one("#summary").render())
        other = locks.Owner("carol", "elsewhere", 4242, "2026-11-27T09:00:00", "t")
        assert locks.acquire(folder / ONE, other) is None
        app.watch_files()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "carol@elsewhere" in str(app.query_one("#summary").render())


async def test_an_unreadable_file_is_read_again_once_fixed_on_disk(tmp_path):
    folder = folder_with(tmp_path, ONE)
    broken = folder / "broken.toml"
    broken.write_text('name = "半截\n', encoding="utf-8")
    async with running(folder) as (app, pilot):
        assert broken in app.load_errors
        app.watch_files()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert broken in app.load_errors  # unchanged on disk: still unreadable, not read again as new
        broken.write_text(store.dumps(store.load(folder / ONE).model_copy(update={"name": "修好了"})), encoding="utf-8")
        app.watch_files()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert broken not in app.load_errors
        assert app.sessions[broken].current.name == "修好了"


async def test_an_evaluation_kept_from_scoring_by_a_bad_settings_file_is_scored_once_both_are_fixed(tmp_path):
    """A bad evaltui.toml keeps its evaluations unscored; once it is fixed and the evaluation is
    saved again (as the message says), the watcher reads it by the fixed rules. The settings
    file's error was kept for good before: only a restart helped (found by the new-user pass)."""
    folder = folder_with(tmp_path, ONE)
    rules = folder / "evaltui.toml"
    rules.write_text("[rules]\nfoo = 1\n", encoding="utf-8")
    async with running(folder) as (app, pilot):
        assert folder / ONE in app.load_errors
        rules.write_text('[rules]\nlower = "ratio"\n', encoding="utf-8")
        with (folder / ONE).open("a", encoding="utf-8") as file:
            file.write("\n# 改过\n")
        app.watch_files()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert folder / ONE not in app.load_errors
        assert app.sessions[folder / ONE].rules.lower == "ratio"
