"""A file its owner made read-only (chmod 444): it opens read-only with the reason; the person
may still choose to edit it, and saving over it asks first (default no)."""

from __future__ import annotations

import stat
from decimal import Decimal

from app_helpers import ONE, folder_with, running

from evaltui import store
from evaltui.screens.dialogs import ConfirmScreen


def read_only_folder(tmp_path):
    folder = folder_with(tmp_path, ONE)
    (folder / ONE).chmod(0o444)
    return folder, folder / ONE


async def edit_first_score(pilot, app) -> None:
    """Try to edit the first score: the app asks first; say yes, then edit it to 10."""
    await pilot.press("enter", *["right"] * 6, "enter")
    await pilot.pause()
    assert isinstance(app.screen, ConfirmScreen), "editing a read-only file asks first"
    question = str(app.screen.question)
    assert "只读" in question and "0444" in question
    await pilot.press("y")
    await pilot.pause()
    assert app.session().locked, "after yes the file is edited like any other (its lock taken)"
    assert app.editor.is_open, "the enter that asked opens the editor after yes"
    await pilot.press("1", "0", "enter")
    assert app.session().dirty


async def test_editing_a_read_only_file_asks_and_no_leaves_it_read_only(tmp_path):
    folder, path = read_only_folder(tmp_path)
    before = path.read_bytes()
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # the default answer is no
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert not app.editor.is_open and not app.session().dirty and not app.session().locked
        assert not (folder / f".{ONE}.lock").exists()
    assert path.read_bytes() == before


async def test_saving_over_a_read_only_file_answered_no_changes_nothing_and_keeps_the_edits(tmp_path):
    folder, path = read_only_folder(tmp_path)
    before = path.read_bytes()
    async with running(folder, (80, 24)) as (app, pilot):
        await edit_first_score(pilot, app)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), "saving over a read-only file asks first"
        assert "只读" in str(app.screen.question) and "0444" in str(app.screen.question)
        await pilot.press("n")
        await pilot.pause()
        assert path.read_bytes() == before
        assert app.session().dirty and app.session().current.indicators[0].score == Decimal(10)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        await pilot.press("enter")  # enter takes the default: no
        await pilot.pause()
        assert path.read_bytes() == before and app.session().dirty
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


async def test_saving_over_a_read_only_file_answered_yes_replaces_it_keeping_its_mode(tmp_path):
    folder, path = read_only_folder(tmp_path)
    group = path.stat().st_gid
    async with running(folder, (80, 24)) as (app, pilot):
        await edit_first_score(pilot, app)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert not app.session().dirty
        assert store.load(path).indicators[0].score == Decimal(10)
        assert not (folder / f".{ONE}.lock").exists(), "the save released the lock"
        await pilot.press("enter", "2", "enter")  # the next edit of the same file does not ask again
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen) and app.session().dirty
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), "every save over it asks: it is still read-only"
        await pilot.press("y")
        await pilot.pause()
        assert store.load(path).indicators[0].score == Decimal(2)
    info = path.stat()
    assert stat.S_IMODE(info.st_mode) == 0o444 and info.st_gid == group


async def test_the_key_that_asked_acts_after_yes(tmp_path):
    """A digit typed on a cell of a read-only file asks first; after yes it is typed into the
    cell as if the question had not been needed, and the keys after it follow."""
    folder, _ = read_only_folder(tmp_path)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "7")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.editor.is_open and app.editor.input.value == "7", "the 7 that asked is in the cell"
        await pilot.press("enter")
        assert app.session().current.indicators[0].score == Decimal(7)


async def test_enter_that_asked_opens_the_editor_after_yes_and_no_drops_it(tmp_path):
    folder, _ = read_only_folder(tmp_path)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert not app.editor.is_open, "no: the key is dropped"
        await pilot.press("a")  # add a row: asks again
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        rows = len(app.session().current.indicators)
        await pilot.press("y")
        await pilot.pause()
        assert len(app.session().current.indicators) == rows + 1, "after yes the a adds its row"


async def test_the_summary_line_says_read_only_as_soon_as_the_evaluation_is_shown(tmp_path):
    folder, _ = read_only_folder(tmp_path)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter")  # shown, nothing tried yet
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        line = str(app._main.summary.render())
        assert "只读" in line, line
        await pilot.press("right", "right", "right", "right", "right", "right", "7", "y", "enter")
        await pilot.pause()
        assert app.session().dirty
        line = str(app._main.summary.render())
        assert "只读" in line and "未保存" in line, "still read-only on disk: the save asks again"


async def test_a_read_only_file_someone_else_is_editing_says_so_and_asks_nothing(tmp_path):
    """chmod 444 and locked by another editor: the lock decides (no 仍要修改吗 first); at 80x24
    the summary line names who, uncut."""
    import json
    import os
    from dataclasses import asdict, replace

    from evaltui import locks

    folder, path = read_only_folder(tmp_path)
    other = replace(locks.me(), user="zhangsan", host="office-7.finance.bureau", pid=os.getppid(), token="someone")
    locks.lock_path(path).write_text(json.dumps(asdict(other)), encoding="utf-8")
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen), "no question: the file is someone else's to edit now"
        assert not app.editor.is_open and not app.session().dirty
        assert "zhangsan" in app.shown_holder
        assert any("zhangsan" in n.message and "正在编辑" in n.message for n in app._notifications)
        line = str(app.query_one("#summary").render())
        assert "只读：zhangsan" in line and "在编辑" in line and "…" not in line.split("只读")[-1].split("在编辑")[0], line
        assert line.count("只读") == 1, f"read-only said once, by who holds it: {line}"
        await pilot.press("escape", "escape")  # back in the list: the sidebar open, the line 48 cells
        await pilot.pause()
        line = str(app.query_one("#summary").render())
        assert app.sidebar.display and "只读：zhangsan" in line and "…" not in line.split("只读")[-1].split("在编辑")[0], line


async def test_a_file_of_the_next_schema_refuses_edits_with_the_reason_and_ctrl_s_writes_nothing(tmp_path):
    """The new-user pass: ``Enter 7 Enter ctrl+s`` on a file of a newer evaltui. Schema 2 is this
    version's own; the first newer one (SCHEMA_VERSION + 1) must be read-only, data unknown to
    this version and all."""
    from evaltui.model import SCHEMA_VERSION

    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    text = path.read_text(encoding="utf-8").replace("schema_version = 1", f"schema_version = {SCHEMA_VERSION + 1}")
    path.write_text(text.replace("\nyear = ", '\nreviewer = "新版本的字段"\nyear = ', 1), encoding="utf-8")
    before = path.read_bytes()
    async with running(folder) as (app, pilot):
        assert "只读" in str(app.query_one("#summary").render())
        await pilot.press("enter", "7", "enter", *["right"] * 6, "enter", "1", "0", "enter")
        await pilot.pause()
        assert not app.editor.is_open and not app.session().dirty
        told = [str(n.message) for n in app._notifications]
        assert any("更新版本" in m and "只读" in m for m in told), told
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # a save would be written in a worker
        await pilot.pause()
    assert path.read_bytes() == before


async def test_a_schema_2_file_is_this_versions_own_and_is_edited_and_saved(tmp_path):
    """``schema_version = 2`` is not newer than this evaltui: edited as usual; saved as 1 when it
    uses nothing of schema 2, with every value kept."""
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    path.write_text(path.read_text(encoding="utf-8").replace("schema_version = 1", "schema_version = 2"), encoding="utf-8")
    before = store.load(path)
    assert not before.read_only
    async with running(folder) as (app, pilot):
        assert "只读" not in str(app.query_one("#summary").render())
        await pilot.press("enter", *["right"] * 6, "enter", "1", "0", "enter")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
    after = store.load(path)
    assert path.read_text(encoding="utf-8").startswith("schema_version = 1\n")
    assert after.indicators[0].score == Decimal(10)
    assert after.model_copy(update={"indicators": before.indicators}) == before
