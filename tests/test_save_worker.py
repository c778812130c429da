"""Saving happens in a worker thread that only posts its result (folder.write, SaveFinished):
the file write, the version, removing the recovery file and releasing the lock are off the
app's thread, and every flow around a save still comes out right — save then quit, an edit
made while the file is being written, two saves in a row, a failure as one line, and the
read-only and changed-on-disk questions before it."""

from __future__ import annotations

import threading
from decimal import Decimal

from app_helpers import ONE, folder_with, running

from evaltui import locks, recovery, store
from evaltui.screens.dialogs import ConflictScreen

FLOW = ("enter", *["right"] * 6, "enter", "1", "0", "enter")  # score 10 on the first indicator
SECOND = ("down", "enter", "7", "enter")  # then score 7 on the second


class Gate:
    """Holds every write of an evaluation file (store.write_atomic; recovery files pass) until
    opened, and notes the thread each ran on."""

    def __init__(self, monkeypatch) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()
        self.threads: list[str] = []
        real = store.write_atomic

        def held(path, data, **kwargs):
            if str(path).endswith(".toml"):
                self.threads.append(threading.current_thread().name)
                self.entered.set()
                self.open.wait(30)
            return real(path, data, **kwargs)

        monkeypatch.setattr(store, "write_atomic", held)


async def until(pilot, condition, rounds: int = 250) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)


async def test_the_file_lock_and_recovery_file_are_written_off_the_apps_thread(tmp_path, monkeypatch):
    folder = folder_with(tmp_path, ONE)
    released: list[str] = []
    real_release = locks.release
    monkeypatch.setattr(locks, "release", lambda *a: (released.append(threading.current_thread().name), real_release(*a))[1])
    gate = Gate(monkeypatch)
    gate.open.set()
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(*FLOW)
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        assert recovery.path_for(folder / ONE).exists()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.session().dirty and not app.session().locked
        main = threading.main_thread().name
        assert gate.threads and main not in gate.threads, gate.threads
        assert released and main not in released, released
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)
    assert not recovery.path_for(folder / ONE).exists() and not locks.lock_path(folder / ONE).exists()


async def test_keys_go_on_while_the_file_is_written_and_an_edit_made_meanwhile_stays_unsaved(tmp_path, monkeypatch):
    folder = folder_with(tmp_path, ONE)
    gate = Gate(monkeypatch)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(*FLOW, "ctrl+s")
        await until(pilot, gate.entered.is_set)
        assert gate.entered.is_set(), "the save started"
        await pilot.press(*SECOND)  # the app takes keys while its file is being written
        assert app.session().current.indicators[1].score == Decimal(7)
        assert store.load(folder / ONE).indicators[0].score == Decimal("3.75"), "the write is still held"
        gate.open.set()
        await app.workers.wait_for_complete()
        await until(pilot, lambda: app.session().saved.indicators[0].score == Decimal(10))
        session = app.session()
        assert session.saved.indicators[0].score == Decimal(10) and session.saved.indicators[1].score == Decimal(10)
        assert session.dirty, "the edit made during the save is still unsaved"
        assert session.locked and locks.read(folder / ONE).token == app.me.token, "and this editor holds the lock again"
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        assert recovery.path_for(folder / ONE).exists(), "and keeps its recovery file"
        assert store.load(folder / ONE).indicators[1].score == Decimal(10)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ConflictScreen) and not app.session().dirty
    saved = store.load(folder / ONE)
    assert (saved.indicators[0].score, saved.indicators[1].score) == (Decimal(10), Decimal(7))


async def test_two_saves_in_a_row_are_not_taken_for_a_change_on_disk(tmp_path, monkeypatch):
    """ctrl+s, an edit, ctrl+s while the first is still being written: the second waits for the
    first (its own write changed the file, nobody else did) and saves the edit."""
    folder = folder_with(tmp_path, ONE)
    gate = Gate(monkeypatch)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(*FLOW, "ctrl+s")
        await until(pilot, gate.entered.is_set)
        assert gate.entered.is_set()
        await pilot.press(*SECOND, "ctrl+s")
        gate.open.set()
        await until(pilot, lambda: not app.session().dirty and not app.workers)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ConflictScreen)
        assert not app.session().dirty
    saved = store.load(folder / ONE)
    assert (saved.indicators[0].score, saved.indicators[1].score) == (Decimal(10), Decimal(7))


async def test_save_and_quit_leaves_once_the_file_is_written(tmp_path, monkeypatch):
    folder = folder_with(tmp_path, ONE)
    gate = Gate(monkeypatch)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(*FLOW, "ctrl+q", "s")
        await until(pilot, gate.entered.is_set)
        assert gate.entered.is_set()
        await pilot.pause(0.2)
        assert app.is_running, "not before the file is written"
        gate.open.set()
        await until(pilot, lambda: not app.is_running)
        assert not app.is_running
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)
    assert not locks.lock_path(folder / ONE).exists() and not recovery.path_for(folder / ONE).exists()


async def test_a_failed_save_is_one_line_and_keeps_the_edit_and_the_lock(tmp_path, monkeypatch):
    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(*FLOW)

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(store, "_temporary", refuse)  # the folder refuses a new file
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "\n" not in errors[0] and "修改仍保留" in errors[0], errors
        assert app.is_running and app.session().dirty and app.session().locked
        assert locks.lock_path(folder / ONE).exists()
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.session().dirty
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)


async def test_a_recovery_file_due_while_saving_does_not_outlive_the_save(tmp_path, monkeypatch):
    """保存并退出 under load: the recovery timer fires after the save removed the recovery file but
    before the app has taken the save back (the session still looks unsaved). No recovery file
    may be left behind once the app has left."""
    from evaltui import folder as folder_module

    folder = folder_with(tmp_path, ONE)
    written, go_on = threading.Event(), threading.Event()
    real_write = folder_module.write

    def write_then_wait(job):
        done = real_write(job)  # the file saved, its recovery file removed, the lock released
        written.set()
        go_on.wait(30)
        return done

    monkeypatch.setattr(folder_module, "write", write_then_wait)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(*FLOW, "ctrl+q", "s")
        await until(pilot, written.is_set)
        assert written.is_set()
        app.keep_soon(app.session())
        app._keep_now()  # the timer, firing now
        await until(pilot, lambda: not any(w.group == "recovery" and w.is_running for w in app.workers))
        go_on.set()
        await until(pilot, lambda: not app.is_running)
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)
    assert not recovery.path_for(folder / ONE).exists()


async def test_quit_while_a_save_is_on_its_way_waits_for_it_then_leaves_without_asking(tmp_path, monkeypatch):
    """ctrl+s then at once ctrl+q: the evaluation is being written, so quit waits for the file
    (it is not listed as unsaved in a question) and leaves once it is saved."""
    from evaltui.screens.dialogs import QuitScreen

    folder = folder_with(tmp_path, ONE)
    gate = Gate(monkeypatch)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(*FLOW, "ctrl+s")
        await until(pilot, gate.entered.is_set)
        assert gate.entered.is_set()
        await pilot.press("ctrl+q")
        await pilot.pause(0.2)
        assert app.is_running and not isinstance(app.screen, QuitScreen), "quit waits for the file being written"
        gate.open.set()
        await until(pilot, lambda: not app.is_running)
        assert not app.is_running
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)
    assert not locks.lock_path(folder / ONE).exists() and not recovery.path_for(folder / ONE).exists()


async def test_a_signal_while_the_file_is_written_keeps_the_edits_made_meanwhile(tmp_path, monkeypatch):
    """SIGTERM/SIGHUP keep every unsaved evaluation's recovery file (keep_unsaved_now) while a
    save is on its way: the save, finishing after, removes only the recovery of what it wrote,
    so the edit made meanwhile is offered at the next open."""
    import signal

    from evaltui import folder as folder_module

    folder = folder_with(tmp_path, ONE)
    gate = Gate(monkeypatch)
    finished = threading.Event()
    real_write = folder_module.write

    def write_and_tell(job):
        try:
            return real_write(job)
        finally:
            finished.set()

    monkeypatch.setattr(folder_module, "write", write_and_tell)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(*FLOW, "ctrl+s")
        await until(pilot, gate.entered.is_set)
        assert gate.entered.is_set()
        await pilot.press(*SECOND)  # made while the file is being written
        app._ended_by_signal(signal.SIGTERM)  # keeps the recovery files, then leaves
        gate.open.set()
        await until(pilot, lambda: not app.is_running)
    assert finished.wait(30)
    saved = store.load(folder / ONE)
    assert (saved.indicators[0].score, saved.indicators[1].score) == (Decimal(10), Decimal(10)), "the save was written whole"
    kept = recovery.read(folder / ONE)
    assert kept is not None, "the recovery file outlived the save"
    assert (kept.indicators[0].score, kept.indicators[1].score) == (Decimal(10), Decimal(7))
    assert not locks.lock_path(folder / ONE).exists()


async def test_a_watcher_that_looked_before_a_save_does_not_take_our_own_write_for_a_change(tmp_path, monkeypatch):
    """The watcher's list of files nobody here edits is taken on the app's thread; the save of an
    evaluation already saved (no lock held) may finish before the watcher reads it. What it reads
    then is the file this session knows: the session (and its undo) stays."""
    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(*FLOW, "ctrl+s")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: not app.session().dirty)
        session = app.session()
        before = app.folder.clean()
        assert any(path == folder / ONE for path, _ in before), "saved, it is a file nobody here edits"
        await pilot.press("ctrl+s")  # saved again: the file is replaced (a new inode)
        await app.workers.wait_for_complete()
        await until(pilot, lambda: session.signature != dict(before)[folder / ONE])
        assert session.signature != dict(before)[folder / ONE]
        app._check_files(before, app.folder.known(), None)  # the watcher as it looked before
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session() is session, "not replaced by what it wrote itself"
        await pilot.press("ctrl+z")
        assert app.session().current.indicators[0].score == Decimal("3.75"), "its undo is still there"


async def test_an_unexpected_error_in_the_save_worker_is_one_line_and_the_next_save_goes_through(tmp_path, monkeypatch):
    """Whatever the worker raises, the app hears back: without it the evaluation would count as
    being saved for good (ctrl+s only queued, quit waiting)."""
    from evaltui import folder as folder_module

    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(*FLOW)

        def broken(job):
            raise RuntimeError("git 崩溃")

        monkeypatch.setattr(folder_module, "write", broken)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "git 崩溃" in errors[0] and "\n" not in errors[0], errors
        assert app.is_running and app.session().dirty
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: not app.session().dirty)
        assert not app.session().dirty
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)


async def test_a_save_as_new_finishing_after_the_person_moved_on_does_not_move_them_back(tmp_path, monkeypatch):
    other = "调研经费.toml"
    folder = folder_with(tmp_path, ONE, other)
    path = folder / ONE
    gate = Gate(monkeypatch)
    async with running(folder) as (app, pilot):
        app.open(path)
        await pilot.pause()
        await pilot.press(*FLOW)
        ev = store.load(path)  # a colleague's save meanwhile (written past the gate)
        first = ev.indicators[0].model_copy(update={"reason": "同事写的原因"})
        gate.open.set()
        store.save(path, ev.model_copy(update={"indicators": (first, *ev.indicators[1:])}))
        gate.open.clear()
        gate.entered.clear()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("n")  # 另存为新文件
        await until(pilot, gate.entered.is_set)
        assert gate.entered.is_set()
        app.sidebar.select_path(folder / other)
        app.open(folder / other)
        await pilot.pause()
        assert app.current == folder / other
        gate.open.set()
        await app.workers.wait_for_complete()
        copy = folder / "专委会会议、调研、视察活动经费（副本）.toml"
        await until(pilot, lambda: copy in app.sessions)
        assert store.load(copy).indicators[0].score == Decimal(10)
        assert store.load(path).indicators[0].reason == "同事写的原因"
        assert app.current == folder / other, "the person stays where they went"
        assert copy in app.sidebar.files.paths
