"""Every prompt refuses what it cannot take with the reason, in one line inside the dialog, and
keeps the typed text for correction; f1 opens help from inside every dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import ONE, folder_with, loaded, new_app
from textual.widgets import Input, Static

from evaltui import store
from evaltui.screens.dialogs import ConfirmScreen, PromptScreen, TextEditorScreen
from evaltui.screens.help import HelpScreen
from evaltui.screens.main import MainScreen
from evaltui.screens.review import ReviewScreen


def error_of(screen) -> str:
    """The reason the dialog shows, '' when none is shown."""
    error = screen.query_one("#prompt-error", Static)
    return str(error.render()) if error.has_class("shown") else ""


async def type_in(pilot, app, text: str) -> None:
    field = app.screen.query_one(Input)
    field.value = ""
    await pilot.press(*text)



async def new_named(pilot, app, name: str) -> None:
    """ctrl+n, ``name`` typed in the prompt, enter."""
    await pilot.press("ctrl+n")
    await pilot.pause()
    await type_in(pilot, app, name)
    await pilot.press("enter")
    await pilot.pause()

async def test_a_new_evaluation_without_a_name_says_why_and_stays_open(tmp_path):
    app = new_app(folder_with(tmp_path, ONE))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen), "an empty name does not close the dialog silently"
        assert "项目名称" in error_of(app.screen) and "\n" not in error_of(app.screen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_a_new_evaluation_that_cannot_be_made_keeps_the_name_typed(tmp_path):
    folder = folder_with(tmp_path, ONE)
    app = new_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        (folder / "新的项目.toml").mkdir()  # the name is taken by something that is no evaluation
        await new_named(pilot, app, "新的项目")
        assert isinstance(app.screen, PromptScreen), "a refused name keeps the dialog open"
        assert "已存在" in error_of(app.screen)
        field = app.screen.query_one(Input)
        assert field.value == "新的项目"
        await pilot.press("2")  # corrected where it is: the reason goes, enter creates it
        await pilot.pause()
        assert error_of(app.screen) == ""
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert store.load(folder / "新的项目2.toml").name == "新的项目2"
        assert app.current == folder / "新的项目2.toml"


async def test_a_new_evaluation_with_a_name_already_taken_stays_in_the_prompt(tmp_path):
    """ctrl+n with the name of an evaluation that is there: no second one of that name (told apart
    only by its file, 调研经费 (2).toml); the name stays in the line with the reason under it."""
    folder = folder_with(tmp_path, ONE, "调研经费.toml")
    app = new_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await new_named(pilot, app, "调研经费")
        assert isinstance(app.screen, PromptScreen), "a name already taken keeps the dialog open"
        assert "已有同名的自评表" in error_of(app.screen) and "调研经费.toml" in error_of(app.screen)
        assert app.screen.query_one(Input).value == "调研经费"
        assert sorted(p.name for p in folder.glob("*.toml")) == sorted([ONE, "调研经费.toml"]), "nothing written"
        await pilot.press("2", "enter")  # corrected where it is: made
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert store.load(folder / "调研经费2.toml").name == "调研经费2"


async def test_an_export_path_with_the_wrong_ending_stays_for_correction(tmp_path):
    folder = folder_with(tmp_path, ONE)
    app = new_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("enter")
        app.action_export_current()
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await type_in(pilot, app, str(tmp_path / "out.txt"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert ".docx" in error_of(app.screen)
        assert app.screen.query_one(Input).value == str(tmp_path / "out.txt")
        await type_in(pilot, app, str(tmp_path / "no such folder" / "out.docx"))
        await pilot.press("enter")
        await pilot.pause()
        assert "不存在" in error_of(app.screen)
        await type_in(pilot, app, str(tmp_path / "out.docx"))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert (tmp_path / "out.docx").exists()


async def test_an_import_path_that_is_not_there_stays_for_correction(tmp_path):
    app = new_app(folder_with(tmp_path, ONE))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        app.action_import()
        await pilot.pause()
        await type_in(pilot, app, str(tmp_path / "表.docx"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "找不到" in error_of(app.screen)
        assert app.screen.query_one(Input).value == str(tmp_path / "表.docx")
        await type_in(pilot, app, "")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen) and "路径" in error_of(app.screen)
        an_evaluation = str(tmp_path / "form.toml")  # exists, but is no Word document
        (tmp_path / "form.toml").write_text('name = "x"\n', encoding="utf-8")
        await type_in(pilot, app, an_evaluation)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen) and "不是Word 文档" in error_of(app.screen)
        assert app.screen.query_one(Input).value == an_evaluation


async def test_the_review_summary_path_with_the_wrong_ending_stays_for_correction(tmp_path):
    folder = folder_with(tmp_path, ONE)
    app = new_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await type_in(pilot, app, str(tmp_path / "汇总.pdf"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert ".xlsx" in error_of(app.screen) and ".csv" in error_of(app.screen)
        assert app.screen.query_one(Input).value == str(tmp_path / "汇总.pdf")
        await type_in(pilot, app, str(tmp_path / "汇总.csv"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert (tmp_path / "汇总.csv").exists()


async def test_the_long_text_editor_keeps_a_refused_text_with_the_reason(tmp_path):
    app = new_app(folder_with(tmp_path, ONE))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        screen = TextEditorScreen("说明", "旧", check=lambda text: "不能含“坏”字" if "坏" in text else None)
        kept: list = []
        app.push_screen(screen, kept.append)
        await pilot.pause()
        await pilot.press("坏")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and not kept
        error = screen.query_one("#text-error", Static)
        assert error.has_class("shown") and "坏" in str(error.render())
        await pilot.press("backspace", "好", "ctrl+s")
        await pilot.pause()
        assert kept == ["旧好"]


async def test_f1_opens_help_from_inside_every_dialog_with_its_keys_first(tmp_path):
    app = new_app(folder_with(tmp_path, ONE))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        for dialog, title in ((PromptScreen("名称"), "输入"), (ConfirmScreen("确定吗？"), "确认"),
                              (TextEditorScreen("说明", ""), "长文本编辑")):
            app.push_screen(dialog)
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), title
            assert app.screen.rows[0][0] == title, app.screen.rows[:2]
            assert any(where == title and "escape" in keys for where, keys, _ in app.screen.rows)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is dialog, "escape goes back to the dialog"
            app.pop_screen()
            await pilot.pause()
        app.push_screen(PromptScreen("名称"))
        await pilot.pause()
        await pilot.press("?")
        assert app.screen.query_one(Input).value == "?", "in a prompt ? is typed, not help"


async def test_the_reason_stays_when_the_keys_come_in_one_burst(tmp_path):
    """Typed and enter in one read of the terminal: the line's change messages come after the
    enter, and must not wipe the reason it gave."""
    from test_modal_keys import burst, settle

    folder = folder_with(tmp_path, ONE)
    app = new_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        app.action_import()
        await pilot.pause()
        burst(app, *str(tmp_path / "无.docx"), "enter")
        await settle(pilot, app, lambda: bool(error_of(app.screen)))
        for _ in range(10):
            await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "找不到" in error_of(app.screen), "the reason is still shown"
        assert app.screen.query_one(Input).value == str(tmp_path / "无.docx")


async def test_help_from_a_dialog_lists_only_the_keys_that_act_in_it(tmp_path):
    """Inside a dialog the app's keys do not reach, but for its priority ones (ctrl+s, ctrl+q,
    ctrl+c): help lists the dialog's keys, help's own, and those; no grid or sidebar keys."""
    from evaltui.screens.dialogs import QuitScreen

    app = new_app(folder_with(tmp_path, ONE))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        for dialog, title in ((PromptScreen("名称"), "输入"), (ConfirmScreen("确定吗？"), "确认"),
                              (TextEditorScreen("说明", ""), "长文本编辑"), (QuitScreen(["甲"]), "退出确认")):
            app.push_screen(dialog)
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            rows = app.screen.rows
            assert {where for where, _, _ in rows} <= {title, "对话框（所有）", "任何位置"}, rows
            keys = [key for where, keys, _ in rows for key in keys.split(", ")]
            assert not {"ctrl+z", "ctrl+y", "ctrl+p", "ctrl+r", "ctrl+n", "/", "enter"} & set(keys) - {
                key for where, keys, _ in rows if where == title for key in keys.split(", ")}, rows
            assert "f1" in keys and len(keys) == len(set(keys)), rows  # a key the dialog binds is listed once
            typed = isinstance(dialog, (PromptScreen, TextEditorScreen))  # there ? is typed, not help
            assert ("?" in keys) is not typed, rows
            if isinstance(dialog, QuitScreen):  # there ctrl+q and ctrl+c do nothing: the question is up
                assert "ctrl+q" not in keys and "ctrl+s" in keys, rows
            else:
                assert "ctrl+q" in keys, rows
            await pilot.press("escape")
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="needs /proc")
async def test_a_path_the_write_would_refuse_keeps_the_prompt_open_with_the_real_reason(tmp_path):
    """/proc is a folder that takes no new file: the export and the summary prompts say so under
    the line (the write's own reason, found as the write finds it), the typed text kept."""
    folder = folder_with(tmp_path, ONE)
    app = new_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        for open_prompt, path in ((app.action_export_current, "/proc/version.docx"),
                                  (app.action_review, "/proc/version.csv")):
            open_prompt()
            await pilot.pause()
            if isinstance(app.screen, ReviewScreen):
                app.screen.action_write_summary()
                await pilot.pause()
            assert isinstance(app.screen, PromptScreen)
            await type_in(pilot, app, path)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            for _ in range(100):  # the write's reason comes back from its worker through two queues
                await pilot.pause()
                if not isinstance(app.screen, PromptScreen) or error_of(app.screen):
                    break
            assert isinstance(app.screen, PromptScreen), "the prompt stays open"
            assert "不能新建文件" in error_of(app.screen) and "不存在" not in error_of(app.screen), error_of(app.screen)
            assert app.screen.query_one(Input).value == path
            assert not list(Path("/proc").glob(".version*.tmp"))
            await pilot.press("escape")
            await pilot.pause()
            if isinstance(app.screen, ReviewScreen):
                await pilot.press("escape")
                await pilot.pause()


async def test_a_new_evaluation_whose_file_name_differs_from_the_name_says_the_file_name_used(tmp_path):
    """A name with characters no file name may hold, or too long for one: the toast after
    creation names the file actually written and why it differs (it said nothing)."""
    folder = folder_with(tmp_path, ONE)
    app = new_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await new_named(pilot, app, "调研/考察:经费")
        assert store.load(folder / "调研_考察_经费.toml").name == "调研/考察:经费"
        told = [str(n.message) for n in app._notifications if "已新建" in str(n.message)]
        assert len(told) == 1 and "调研_考察_经费.toml" in told[0] and "/ :" in told[0] and "_" in told[0], told
        assert "\n" not in told[0]
        long_name = "很长的项目名称" * 12
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.query_one(Input).value = long_name
        await pilot.press("enter")
        await pilot.pause()
        made = app.current
        assert made is not None and made.stem != long_name and store.load(made).name == long_name
        told = [str(n.message) for n in app._notifications if made.name in str(n.message)]
        assert len(told) == 1 and "太长" in told[0], told
        await new_named(pilot, app, "普通项目")
        told = [str(n.message) for n in app._notifications if "普通项目.toml" in str(n.message)]
        assert told == [f"已新建 {folder / '普通项目.toml'}"], "a name kept whole says nothing more"
