"""Editing you can trust: no input, file or exception takes the app down; every way out keeps
unsaved edits; every problem can be fixed where it points."""

from __future__ import annotations

from decimal import Decimal

from app_helpers import ONE, folder_with, running
from textual.widgets import Input, TabbedContent

from evaltui import files, recovery, store
from evaltui.screens.dialogs import QuitScreen, RecoverScreen
from evaltui.widgets.grids import IndicatorGrid, InfoGrid

FLOW = ("enter", *["right"] * 6, "enter", "1", "0", "enter")


async def test_a_year_that_is_no_number_is_refused_with_the_text_kept(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder) as (app, pilot):
        await pilot.press("enter", "ctrl+o", "down", "enter", "home", "ctrl+k", "2", "0", "2", "4", "年", "enter")
        editor = app.query_one("#edit-input", Input)
        assert app.is_running and app.screen.key_target is editor and editor.value == "2024年"
        assert str(app.query_one("#edit-error").render()) == "年度应为数字：“2024年”不是数字", "worded as the other numbers"
        # the refused text stays selected (typing replaces it); end keeps it to correct it
        await pilot.press("end", "backspace", "enter", "ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
    assert store.load(folder / ONE).year == 2024


async def test_a_year_is_refused_in_the_words_of_the_other_numbers(tmp_path):
    """年度 said 应为 1900 到 2999 之间的整数，如 2024 where 分值, 得分, 金额 and 表中填写的总分 say
    应为数字：“…”不是数字 / 应在 … 之间: the same wording now, with the year's own limits."""
    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 5, "enter", "home", "ctrl+k", "x", "enter")  # 分值
        number = str(app.query_one("#edit-error").render())
        await pilot.press("escape", "ctrl+o", "down", "enter", "home", "ctrl+k", "x", "enter")  # 年度
        year = str(app.query_one("#edit-error").render())
        assert number == "分值应为数字：“x”不是数字" and year == "年度应为数字：“x”不是数字", (number, year)
        for typed, said in (("2024.5", "年度应为整数"), ("1800", "年度应在 1900 到 2999 之间")):
            await pilot.press("home", "ctrl+k", *typed, "enter")
            assert str(app.query_one("#edit-error").render()) == said
        await pilot.press("home", "ctrl+k", *"2023", "enter")
        assert app.session().current.year == 2023


def _unreadable(folder):
    (folder / "a-digits.toml").write_text("year = " + "9" * 5001 + "\n", encoding="utf-8")
    (folder / "a-nested.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")


async def test_unreadable_files_appearing_while_an_edit_is_unsaved(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder) as (app, pilot):
        await pilot.press(*FLOW)
        _unreadable(folder)
        app.watch_files()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert {p.name for p in app.load_errors} == {"a-digits.toml", "a-nested.toml"}
        assert app.session().current.indicators[0].score == Decimal(10)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)


async def test_unreadable_files_at_start_are_listed(tmp_path):
    folder = folder_with(tmp_path, ONE)
    _unreadable(folder)
    async with running(folder) as (app, pilot):
        assert {p.name for p in app.load_errors} == {"a-digits.toml", "a-nested.toml"}
        assert ONE in {p.name for p in app.sessions}


def test_file_names_stay_within_255_bytes_temporary_files_included():
    name = "关于" * 42 + "经费"  # 86 characters
    file_name = files.file_name_for(name)
    assert len(file_name.encode()) <= 255
    longest = f".{file_name}.abcdefgh.tmp", f".{file_name}.lock", recovery.path_for(files.Path(file_name)).name
    assert all(len(n.encode()) <= 255 for n in longest)


async def test_an_85_character_name_in_ctrl_n_saves(tmp_path):
    folder = folder_with(tmp_path, ONE)
    name = "区" * 85
    async with running(folder) as (app, pilot):
        await pilot.press("ctrl+n")
        app.screen.query_one(Input).value = name
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and app.session().current.name == name
        await pilot.press("enter", *["right"] * 6, "enter", "5", "enter", "ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        path = app.session().path
    assert len(path.name.encode()) <= 255
    assert store.load(path).name == name and store.load(path).indicators[0].score == Decimal(5)


async def test_an_unexpected_exception_is_one_line_and_the_app_goes_on(tmp_path, monkeypatch):
    folder = folder_with(tmp_path, ONE)
    async with running(folder, guard=True) as (app, pilot):  # guarded, as the command runs it
        await pilot.press(*FLOW)
        from evaltui.widgets.evaluation import EvaluationView

        def broken(self, grid, typed=""):
            raise RuntimeError("boom")

        monkeypatch.setattr(EvaluationView, "edit_cell", broken)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.is_running
        assert any("RuntimeError: boom" in n.message for n in app._notifications)
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)


async def test_reported_total_is_fixed_where_the_problem_points(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("enter", "s")  # take the suggested score of the first indicator
        codes = [p.code for p in app.session().assessment.problems]
        assert "reported-total" in codes
        app.query_one("#problems").focus()
        await pilot.pause()
        await pilot.press(*["down"] * codes.index("reported-total"), "enter")
        grid = app.query_one("#info", InfoGrid)
        assert app.query_one("#sections", TabbedContent).active == "tab-info" and app.focused is grid
        new_total = app.session().assessment.total
        await pilot.press("enter", "home", "ctrl+k", *str(new_total), "enter")
        assert app.session().current.reported_total == new_total
        assert "reported-total" not in {p.code for p in app.session().assessment.problems}


async def test_u_marks_not_applicable_and_v_sets_the_direction(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder) as (app, pilot):
        await pilot.press("enter", "u")
        assert app.session().current.indicators[0].applicable is False
        grid = app.query_one("#indicators", IndicatorGrid)
        assert "不适用" in str(grid.get_cell_at((0, 6)))
        await pilot.press("v", "home", "ctrl+k", "越", "低", "越", "好", "enter")
        assert app.session().current.indicators[0].direction == "lower"
        await pilot.press("v", "home", "ctrl+k", "乱", "写", "enter")
        assert app.editor.is_open and "方向" in str(app.query_one("#edit-error").render())
        await pilot.press("escape", "u", "ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
    saved = store.load(folder / ONE).indicators[0]
    assert saved.applicable is True and saved.direction == "lower"


async def test_the_palette_quit_and_ctrl_c_ask_first(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        chinese = [t.split(" · ")[0] for t in titles]
        assert "Quit" not in titles and "退出" in chinese
        await pilot.press(*FLOW, "ctrl+c")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("c")
        quit_command = next(c for c in app.get_system_commands(app.screen) if c.title.split(" · ")[0] == "退出")
        quit_command.callback()
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("ctrl+c", "ctrl+q")  # again: still one question, one escape closes it
        await pilot.pause()
        assert sum(isinstance(s, QuitScreen) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not any(isinstance(s, QuitScreen) for s in app.screen_stack)


async def edit_left_unsaved(pilot, app, folder) -> None:
    """The documented edit, not saved: its recovery file is written within a second."""
    await pilot.press(*FLOW)
    await pilot.pause(0.5)
    await app.workers.wait_for_complete()
    assert recovery.path_for(folder / ONE).exists(), "written within a second of the edit"


async def test_recovery_file_is_written_and_offered_next_time(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder) as (first, pilot):
        await edit_left_unsaved(pilot, first, folder)
        first.folder.release_locks()  # as a killed process's lock would be stale
        async with running(folder) as (second, pilot2):
            await pilot2.pause()
            assert isinstance(second.screen, RecoverScreen)
            assert any("得分" in line and "10" in line for line in second.screen.changes)
            await pilot2.press("r")
            assert second.session().current.indicators[0].score == Decimal(10) and second.session().dirty
            await pilot2.press("ctrl+s")
            await second.workers.wait_for_complete()  # the save is written in a worker
            await pilot2.pause()
        assert not recovery.path_for(folder / ONE).exists(), "saving removes it"
        first.session().saved = first.session().current  # nothing left to ask about
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)


async def test_quitting_without_saving_removes_the_recovery_file(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder) as (app, pilot):
        await edit_left_unsaved(pilot, app, folder)
        await pilot.press("ctrl+q", "d")
        await pilot.pause()
    assert not recovery.path_for(folder / ONE).exists()


async def test_restoring_edits_takes_over_the_lock_a_killed_run_left_and_saving_releases_it(tmp_path):
    import json
    import subprocess
    import sys
    from dataclasses import asdict, replace

    from evaltui import edits, locks

    folder = folder_with(tmp_path, ONE)
    changed = edits.set_score(store.load(folder / ONE), 0, Decimal(10))
    recovery.write(folder / ONE, store.dumps(changed), recovery.stamp())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # a process that is gone, as after kill -9
    killed = replace(locks.me(), pid=child.pid, token="killed")
    locks.lock_path(folder / ONE).write_text(json.dumps(asdict(killed)), encoding="utf-8")
    async with running(folder) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        await pilot.press("r")
        assert json.loads(locks.lock_path(folder / ONE).read_text(encoding="utf-8"))["pid"] != child.pid
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not locks.lock_path(folder / ONE).exists(), "the save released it"
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)


async def test_a_value_typed_but_not_confirmed_is_saved_by_ctrl_s_and_asked_about_by_ctrl_q(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder) as (app, pilot):
        await pilot.press(*FLOW[:-1], "ctrl+s")  # 10 typed in 得分, no enter
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        assert not app.editor.is_open
        assert store.load(folder / ONE).indicators[0].score == Decimal(10), "saved with what was typed"
        await pilot.press("enter", "7", "ctrl+q")  # typed again, then quit: the question, not a silent exit
        assert isinstance(app.screen, QuitScreen) and app.is_running
        assert app.session().current.indicators[0].score == Decimal(7)


async def test_a_refused_value_typed_but_not_confirmed_keeps_the_app_from_quitting(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press(*FLOW[:-3], "x", "y", "ctrl+q")
        assert app.is_running and app.editor.is_open and app.editor.input.value == "xy"
        assert "得分" in str(app.query_one("#edit-error").render())
        await pilot.press("escape", "ctrl+q")  # cancelled: nothing unsaved, it leaves
        await pilot.pause()
        assert not app.is_running


async def test_quitting_waits_for_a_changed_long_text_to_be_kept_or_cancelled(tmp_path):
    from evaltui.screens.dialogs import TextEditorScreen

    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("enter", "end", "enter")  # 偏差原因: the long-text editor
        assert isinstance(app.screen, TextEditorScreen)
        await pilot.press("a", "ctrl+q")
        assert isinstance(app.screen, TextEditorScreen) and app.is_running
        await pilot.press("ctrl+s", "ctrl+q")  # kept: now an unsaved edit, asked about
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)


async def test_an_empty_project_name_is_refused_as_ctrl_n_refuses_it(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        name = app.session().current.name
        await pilot.press("enter", "ctrl+o", "enter", "backspace", "enter")  # 基本信息 → 项目名称, selected and emptied
        assert app.editor.is_open and "项目名称不能为空" in str(app.query_one("#edit-error").render())
        assert app.session().current.name == name
