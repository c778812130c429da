"""Keys that arrive together, as a burst from a terminal does, into dialogs that open on the way.

``pilot.press`` waits for the app between keys; here every key of a burst is posted to the app
at once, as the terminal driver does, and only then does the test wait. The key router
(screens/keys.py) holds keys while a pushed screen composes and mounts and replays them into
it in order; a dialog answers in the same call as its key.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app_helpers import ONE, folder_with, running
from textual import events
from textual.worker import WorkerCancelled

from evaltui import recovery, store
from evaltui.app import EvalApp, ImportRead
from evaltui.screens.dialogs import ImportClashScreen, RecoverScreen
from evaltui.screens.main import MainScreen

CHARS = {"enter": "\r", "escape": "\x1b", "tab": "\t"}
REASON = ("enter", *["right"] * 8)  # from the sidebar: the first indicator's reason (the long-text editor)


def burst(app: EvalApp, *keys: str) -> None:
    """Post every key at once, the way the driver posts what one read from the terminal held."""
    for key in keys:
        character = key if len(key) == 1 else CHARS.get(key)
        app.post_message(events.Key(key, character))


async def settle(pilot, app: EvalApp, until=lambda: False) -> None:
    for _ in range(200):
        await pilot.pause(0.02)
        if until():
            break
    try:
        await app.workers.wait_for_complete()
    except WorkerCancelled:
        # The app left: a save that had posted its result (the file written) and was still
        # returning is cancelled at exit. What was written is checked after.
        if app.is_running:
            raise
    await pilot.pause()


async def test_letters_right_behind_the_key_that_opens_the_long_text_editor_go_into_it(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        burst(app, *REASON, "enter", "x", "y", "z", "enter", "w", "ctrl+s", "ctrl+s")
        await settle(pilot, app, lambda: isinstance(app.screen, MainScreen) and not app.session().dirty)
        assert isinstance(app.screen, MainScreen)
    assert store.load(folder / ONE).indicators[0].reason == "xyz\nw"


async def test_escape_closes_the_long_text_editor_and_the_next_key_moves_in_the_grid(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        burst(app, *REASON, "enter", "x", "escape", "down", "left", "left", "2")  # 2 on row 2's 得分
        await settle(pilot, app, lambda: app.editor.is_open)
        assert isinstance(app.screen, MainScreen) and app.editor.is_open
        assert app.editor.input.value == "2"
        assert app.session().current.indicators[0].reason == "", "escape dropped the x"
        grid = app._main.view.grid("indicators")
        assert grid.cursor_coordinate.row == 1


async def test_the_quit_question_answered_in_the_same_burst(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        burst(app, "enter", *["right"] * 6, "enter", "1", "0", "enter", "ctrl+q", "s")
        await settle(pilot, app, lambda: not app.is_running)
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)


async def test_enter_on_the_quit_questions_button_answers_before_the_next_key(tmp_path):
    """enter on 保存并退出 (the focused button) answers at once: the j behind it does not reach the dialog."""
    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        burst(app, "enter", *["right"] * 6, "enter", "1", "0", "enter", "ctrl+q", "escape", "ctrl+q", "enter")
        await settle(pilot, app, lambda: not app.is_running)
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)


async def test_the_recovery_question_answered_with_the_keys_after_it(tmp_path):
    folder = folder_with(tmp_path, ONE)
    kept = store.load(folder / ONE)
    kept = kept.model_copy(update={"indicators": (kept.indicators[0].model_copy(update={"score": Decimal(10)}),
                                                  *kept.indicators[1:])})
    recovery.write(folder / ONE, store.dumps(kept), recovery.stamp())
    async with running(folder, (80, 24)) as (app, pilot):
        await settle(pilot, app, lambda: isinstance(app.screen, RecoverScreen))
        assert isinstance(app.screen, RecoverScreen)
        burst(app, "r", "ctrl+s", "enter", "down")
        await settle(pilot, app, lambda: not app.session().dirty)
        assert app._main.view.grid("indicators").cursor_coordinate.row == 1, "enter and down reached the grid"
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)
    assert not recovery.path_for(folder / ONE).exists()


async def test_the_import_question_answered_for_each_form_in_one_burst(tmp_path):
    """Two imported forms whose files exist: k (keep both) for the first, s (skip) for the second,
    then ctrl+q: the first lands under a new name, the second is skipped, and the app leaves."""
    folder = folder_with(tmp_path, ONE, "调研经费.toml")
    async with running(folder, (80, 24)) as (app, pilot):
        pairs = [(folder / name, store.load(folder / name)) for name in (ONE, "调研经费.toml")]
        app.post_message(ImportRead(Path("forms.docx"), pairs, [True, True]))
        burst(app, "k", "s", "ctrl+q")
        await settle(pilot, app, lambda: not app.is_running)
    names = sorted(p.name for p in folder.glob("*.toml"))
    assert names == sorted([ONE, "调研经费.toml", f"{Path(ONE).stem} (2).toml"]), names
    assert not any(isinstance(s, ImportClashScreen) for s in app.screen_stack)


async def test_quit_while_an_import_is_being_written_waits_for_the_files(tmp_path, monkeypatch):
    import threading

    from evaltui.word import commands

    folder = folder_with(tmp_path, ONE)
    source = store.load(folder / ONE).model_copy(update={"name": "新导入的项目"})
    release = threading.Event()
    original = commands.save_forms

    def slow_save(plan):
        release.wait(10)  # the write takes long: quit comes while it runs
        return original(plan)

    monkeypatch.setattr(commands, "save_forms", slow_save)
    async with running(folder, (80, 24)) as (app, pilot):
        app.post_message(ImportRead(Path("forms.docx"), [(folder / "新导入的项目.toml", source)], [False]))
        await pilot.pause()
        burst(app, "ctrl+q")
        await pilot.pause(0.2)
        assert app.is_running, "quit waits for the file being written"
        release.set()
        await settle(pilot, app, lambda: not app.is_running)
        assert not app.is_running, "and then leaves"
    assert store.load(folder / "新导入的项目.toml").name == "新导入的项目"


async def test_the_import_question_s_box_shows_its_state_in_plain_text(tmp_path):
    """其余 N 份同名的也这样 (a): on or off reads without colour (Textual's box shows X either way)."""
    from textual.widgets import Checkbox

    folder = folder_with(tmp_path, ONE, "调研经费.toml")
    async with running(folder, (80, 24)) as (app, pilot):
        pairs = [(folder / name, store.load(folder / name)) for name in (ONE, "调研经费.toml")]
        app.post_message(ImportRead(Path("forms.docx"), pairs, [True, True]))
        await settle(pilot, app, lambda: isinstance(app.screen, ImportClashScreen))
        box = app.screen.query_one(Checkbox)
        off = box.render().plain
        assert "其余 1 份同名的也这样" in off and "✓" not in off and "X" not in off, off
        await pilot.press("a")
        await pilot.pause()
        on = box.render().plain
        assert box.value and "✓" in on, on
        await pilot.press("escape")
        await settle(pilot, app, lambda: not isinstance(app.screen, ImportClashScreen))
