"""Pilot tests: every flow of the app, driven by keys as a person would."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from app_helpers import ONE, examples_copy, folder_with, import_file, painted, running
from textual.widgets import DataTable, Input, OptionList, TabbedContent

from evaltui import store
from evaltui.screens.dialogs import (
    ConfirmScreen,
    PromptScreen,
    QuitScreen,
    TextEditorScreen,
)
from evaltui.screens.help import HelpScreen
from evaltui.screens.review import ReviewScreen
from evaltui.widgets.filelist import FileList
from evaltui.widgets.grids import IndicatorGrid


def total(app) -> Decimal:
    return app.session().assessment.total


async def test_start_shows_the_first_file_with_the_sidebar_focused(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        assert app.current.name == "2024年度人大代表联络处及代表活动经费.toml"
        assert isinstance(app.focused, FileList) and app.focused.id == "files"
        assert len(app.sessions) == 9
        summary = str(app.query_one("#summary").render())
        assert "60.71" in summary and "中" in summary


async def test_moving_through_the_sidebar_shows_each_evaluation(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        for _ in range(100):  # the names are put in pinyin order once pypinyin has loaded
            if app.sidebar.name_keys:
                break
            await pilot.pause(0.05)
        await pilot.press("down")
        assert app.current.name == "常委会会议、主任会议及其他.toml"  # cháng, after 2024…
        await pilot.press("down", "down", "down", "down")
        assert app.current.name == "区代表年度培训服务.toml"  # qū dài biǎo nián, after … bì
        grid = app.query_one("#indicators", IndicatorGrid)
        assert grid.row_count == 7


async def test_edit_score_changes_the_total_undo_redo_and_save(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        assert total(app) == Decimal("91.06")
        await pilot.press("enter")
        grid = app.query_one("#indicators", IndicatorGrid)
        assert app.focused is grid and grid.cursor_coordinate == (0, 0)
        await pilot.press(*["right"] * 6, "enter")
        editor = app.query_one("#edit-input", Input)
        assert app.screen.key_target is editor and editor.value == "3.75"
        assert editor.selection.start == 0 and editor.selection.end == 4, "the value opens selected"
        await pilot.press("1", "0", "enter")
        assert total(app) == Decimal("97.31")
        assert "97.31" in str(app.query_one("#summary").render())
        assert app.focused is grid
        await pilot.press("ctrl+z")
        assert total(app) == Decimal("91.06")
        await pilot.press("ctrl+y")
        assert total(app) == Decimal("97.31")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        saved = store.load(folder / ONE)
        assert saved.indicators[0].score == Decimal(10)
        assert "score = 10\n" in (folder / ONE).read_text(encoding="utf-8")
        assert not app.session().dirty


async def test_a_refused_value_keeps_the_typed_text_and_says_why(tmp_path):
    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 5, "enter")
        await pilot.press("home", "ctrl+k", "a", "b", "c", "enter")
        editor = app.query_one("#edit-input", Input)
        assert app.screen.key_target is editor and editor.value == "abc"
        error = str(app.query_one("#edit-error").render())
        assert "分值" in error and "数字" in error
        assert app.session().current.indicators[0].weight == Decimal(10)
        await pilot.press("home", "ctrl+k", "1", "2", "enter")
        assert app.session().current.indicators[0].weight == Decimal(12)
        assert {p.code for p in app.session().assessment.problems} >= {"weights-total"}


async def test_tab_or_shift_tab_on_a_refused_value_stays_and_typing_replaces_the_refused_text(tmp_path):
    """After a refused value shift+tab stayed in the editor and what was typed next was glued
    onto the refused text (new-user pass). The refused text stays, with the reason and that the
    cursor did not move on, selected as a value is when the editor opens: typing replaces it,
    and tab then commits and edits the next cell as docs/interfaces.md says."""
    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        grid = app.query_one("#indicators", IndicatorGrid)
        await pilot.press("enter", *["right"] * 5, "enter", "a", "b", "c", "shift+tab")  # 分值
        editor = app.query_one("#edit-input", Input)
        assert app.screen.key_target is editor and editor.value == "abc"
        assert grid.cursor_coordinate == (0, 5), "the cursor stays on the refused cell"
        error = str(app.query_one("#edit-error").render())
        assert "分值" in error and "数字" in error and "未移到左边一格" in error
        assert editor.selected_text == "abc"
        await pilot.press("8")
        assert editor.value == "8", "typing replaces the refused text, it is not added to it"
        await pilot.press("x", "tab")  # refused again: still here, the reason says tab did not move on
        assert grid.cursor_coordinate == (0, 5) and editor.value == "8x" and editor.selected_text == "8x"
        assert "未移到右边一格" in str(app.query_one("#edit-error").render())
        await pilot.press("end", "backspace", "tab")  # corrected in place: committed, and the next cell edited
        assert app.session().current.indicators[0].weight == Decimal(8)
        assert grid.cursor_coordinate == (0, 6)
        assert app.screen.key_target is editor and editor.value == "3.75" and editor.selected_text == "3.75"
        assert not str(app.query_one("#edit-error").render()).strip()


async def test_tab_and_shift_tab_on_a_grid_move_the_cursor_along_the_row_without_editing(tmp_path):
    """Tab on a grid cell took the focus to the tab strip above the grid, where the arrows then
    switched sections (new-user pass: "tab does nothing"). As in a spreadsheet it now moves the
    cursor to the next / previous cell of the row, the editor not opened and the focus kept; the
    documented focus keys still move the focus."""
    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        grid = app.query_one("#indicators", IndicatorGrid)
        await pilot.press("enter", "tab", "tab")
        assert app.focused is grid and grid.cursor_coordinate == (0, 2)
        assert app.screen.key_target is grid and not app.editor.is_open
        await pilot.press("shift+tab")
        assert app.focused is grid and grid.cursor_coordinate == (0, 1)
        await pilot.press("shift+tab", "shift+tab")  # the first cell: it stays
        assert grid.cursor_coordinate == (0, 0)
        await pilot.press(*["tab"] * 12)  # the last cell: it stays
        assert app.focused is grid and grid.cursor_coordinate == (0, len(grid.columns) - 1)
        assert not app.session().dirty
        await pilot.press("escape")  # escape still goes back to the list
        assert isinstance(app.focused, FileList)


async def test_a_paste_of_several_lines_into_the_cell_editor_is_refused_the_long_text_editor_takes_it(tmp_path):
    """Pasting "12\n34" into a number cell's editor kept 12 and dropped the rest without a word
    (new-user pass). The editor now refuses it with one line and stays open, its text as it was;
    a single line ending in a line break (a cell copied from a spreadsheet) is typed in; the
    long-text editor still takes a paste's lines."""
    from textual import events
    from textual.widgets import TextArea

    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 5, "enter")  # 分值: 10
        editor = app.query_one("#edit-input", Input)
        await app._main.take_key(events.Paste("12\r\n34"))  # a terminal sends the line break as CR
        await pilot.pause()
        assert app.screen.key_target is editor and editor.value == "10"
        error = str(app.query_one("#edit-error").render())
        assert "只填一行" in error and "2 行" in error and "\n" not in error.strip()
        editor.post_message(events.Paste("56\n78\n9"))  # a paste the input is handed itself
        await pilot.pause()
        assert editor.value == "10" and "3 行" in str(app.query_one("#edit-error").render())
        await app._main.take_key(events.Paste("12\r\n"))
        await pilot.pause()
        assert editor.value == "12"
        await pilot.press("enter")
        assert app.session().current.indicators[0].weight == Decimal(12)
        await pilot.press("right", "right", "right", "enter")  # 偏差原因分析及改进措施: the long-text editor
        assert isinstance(app.screen, TextEditorScreen)
        area = app.screen.query_one(TextArea)
        area.text = ""
        await app._main.take_key(events.Paste("甲\r乙"))
        await pilot.pause()
        assert area.text == "甲\n乙"


async def test_a_paste_on_a_cell_with_no_editor_open_edits_it_as_typing_does(tmp_path):
    """A paste on the grid was dropped without a word unless an editor was open (new-user pass).
    It now opens the cell's editor with the pasted line typed in place of the value; several
    lines are refused with the reason, the value kept; a long text's editor starts from the
    paste; a computed cell says why it cannot be edited, as enter does."""
    from textual import events
    from textual.widgets import TextArea

    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 5)  # 分值: 10, no editor open
        grid = app.query_one("#indicators", IndicatorGrid)
        await app._main.take_key(events.Paste("12\r\n"))  # a cell copied from a spreadsheet
        await pilot.pause()
        editor = app.query_one("#edit-input", Input)
        assert app.screen.key_target is editor and editor.value == "12"
        await pilot.press("enter")
        assert app.session().current.indicators[0].weight == Decimal(12)
        await app._main.take_key(events.Paste("13\r14"))
        await pilot.pause()
        assert app.screen.key_target is editor and editor.value == "12", "the value kept, not the first line"
        error = str(app.query_one("#edit-error").render())
        assert "只填一行" in error and "2 行" in error, error
        await pilot.press("escape")
        assert app.session().current.indicators[0].weight == Decimal(12)
        await pilot.press("right")  # 得分: the paste goes in as typed
        await app._main.take_key(events.Paste("9"))
        await pilot.pause()
        assert app.screen.key_target is editor and editor.value == "9"
        await pilot.press("escape", "right")  # 建议: computed, says why as enter does
        await app._main.take_key(events.Paste("8"))
        await pilot.pause()
        assert app.screen.key_target is grid
        assert any("不能编辑" in str(n.message) for n in app._notifications)
        await pilot.press("right")  # 偏差原因分析及改进措施: the long-text editor, from the paste
        await app._main.take_key(events.Paste("甲\r乙"))
        await pilot.pause()
        assert isinstance(app.screen, TextEditorScreen)
        assert app.screen.query_one(TextArea).text == "甲\n乙"


async def test_the_editors_reason_goes_once_the_text_is_edited_again_not_on_an_arrow(tmp_path):
    """The red reason under the cell editor stayed after the text had been changed, naming a
    value no longer there (new-user pass). An arrow, home or end leaves it; an edit clears it;
    a paste whose control characters were taken out keeps its own notice."""
    from textual import events

    from evaltui.widgets.editor import CONTROLS_REMOVED

    def error(app) -> str:
        line = app.query_one("#edit-error")
        return str(line.render()) if line.has_class("shown") else ""

    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        await pilot.press("enter", "ctrl+o", "ctrl+o", "right", "right", "right", "enter", "home", "ctrl+k", "-", "5", "enter")
        editor = app.query_one("#edit-input", Input)
        assert editor.value == "-5" and "金额不能为负数" in error(app)
        await pilot.press("right", "home", "end")
        await pilot.pause()
        assert "金额不能为负数" in error(app), "moving in the text is no edit"
        await pilot.press("backspace")
        await pilot.pause()
        assert editor.value == "-" and error(app) == ""
        await pilot.press("x", "enter")
        await pilot.pause()
        assert error(app), "refused again: the reason is back"
        await app._main.take_key(events.Paste("1\x1b2"))
        await pilot.pause()
        assert editor.value == "12" and error(app) == CONTROLS_REMOVED
        await pilot.press("3")
        await pilot.pause()
        assert editor.value == "123" and error(app) == ""


async def test_an_edit_ends_when_its_cell_loses_the_keys_and_never_lands_in_another_cell(tmp_path):
    """The editor stayed open when the focus left its grid (ctrl+o, ctrl+b, ctrl+e), and when
    the focus came back with the cursor elsewhere (the file chosen again: the first cell), the
    typed text was still there and enter put it into the cell first edited, not the one under
    the cursor (found with the new user's tab after a refusal). Leaving the cell now cancels
    the edit, as escape does, and names what was typed; dialogs over the screen keep it."""
    from evaltui.widgets.grids import InfoGrid

    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        grid = app.query_one("#indicators", IndicatorGrid)
        await pilot.press("enter", *["right"] * 5, "enter", "1", "2")  # 分值, not confirmed
        await pilot.press("f1", "escape")  # help over the screen: the edit stays
        assert app.editor.is_open and app.screen.key_target.value == "12"
        await pilot.press("ctrl+b", "enter")  # the list, and the same file again: the cursor on the first cell
        assert not app.editor.is_open and app.focused is grid and grid.cursor_coordinate == (0, 0)
        assert any("未填入：12" in n.message for n in app._notifications)
        await pilot.press("enter")  # edits the cell under the cursor
        assert app.editor.is_open and app.screen.key_target.value == "产出指标"
        await pilot.press("escape")
        assert app.session().current.indicators[0].weight == Decimal(10) and not app.session().dirty
        await pilot.press(*["right"] * 5, "enter", "a", "b", "c", "enter")  # refused, the editor stays
        assert app.editor.is_open
        await pilot.press("ctrl+o")  # 基本信息: the keys are its grid's
        info = app.query_one("#info", InfoGrid)
        assert not app.editor.is_open and app.screen.key_target is info
        assert any("未填入：abc" in n.message for n in app._notifications)
        await pilot.press("ctrl+o", "ctrl+o", "9", "enter")  # back on 绩效指标: the cursor's cell, as typed
        assert grid.cursor_coordinate == (0, 5) and app.session().current.indicators[0].weight == Decimal(9)


async def test_tab_in_the_editor_passes_computed_cells_by(tmp_path):
    """Tab in the editor on 得分 went to 建议, which cannot be edited: a bell and a warning, the
    editor closed. It now edits the next cell that holds a value (偏差原因: the long-text
    editor); after 全年执行数 there is none (执行率, 得分 are computed) and the cursor stays; in
    基本信息 shift+tab does not edit the row's text again from its label."""
    from evaltui.widgets.grids import BudgetGrid, InfoGrid

    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        grid = app.query_one("#indicators", IndicatorGrid)
        await pilot.press("enter", *["right"] * 6, "enter", "5", "tab")  # 得分
        assert app.session().current.indicators[0].score == Decimal(5)
        assert grid.cursor_coordinate == (0, 8) and isinstance(app.screen, TextEditorScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+o", "ctrl+o", "right", "right", "right", "enter", "5", "tab")  # 全年执行数
        budget = app.query_one("#budget", BudgetGrid)
        assert app.session().current.budget.total.executed == Decimal(5)
        assert budget.cursor_coordinate == (0, 3) and not app.editor.is_open
        await pilot.press("ctrl+o", "ctrl+o", "down", "right", "enter", "2", "0", "2", "3", "shift+tab")  # 年度
        info = app.query_one("#info", InfoGrid)
        assert app.session().current.year == 2023
        assert info.cursor_coordinate == (1, 1) and not app.editor.is_open


async def test_escape_cancels_an_edit(tmp_path):
    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "9", "escape")
        assert app.session().current.indicators[0].score == Decimal("3.75")
        assert not app.session().dirty
        assert isinstance(app.focused, IndicatorGrid)


async def test_quit_asks_when_unsaved(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "1", "0", "enter")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("c")
        assert not isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("ctrl+q")
        await pilot.press("s")
        await pilot.pause()
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)


async def test_quit_discard_leaves_the_file_alone(tmp_path):
    folder = folder_with(tmp_path, ONE)
    before = (folder / ONE).read_bytes()
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "1", "0", "enter", "ctrl+q", "d")
        await pilot.pause()
    assert (folder / ONE).read_bytes() == before


async def test_quit_without_changes_does_not_ask(tmp_path):
    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_review_screen_sorts_and_opens(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 9
        totals = str(app.screen.query_one("#totals").render())
        assert "合计 9 份" in totals and "优 7" in totals and "良 1" in totals and "中 1" in totals
        await pilot.press("right", "s")  # 总分 (second column) ascending
        assert [str(table.get_cell_at((r, 1))) for r in range(3)] == ["60.71", "86.21", "91.06"]
        await pilot.press("s")  # descending
        assert str(table.get_cell_at((0, 1))) == "100.00"
        await pilot.press("enter")
        assert not isinstance(app.screen, ReviewScreen)
        assert app.current.name == "通州区人代会经费.toml"
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+r")
        assert not isinstance(app.screen, ReviewScreen), "ctrl+r in the review goes back"
        assert isinstance(app.focused, IndicatorGrid)


async def test_filter_narrows_the_sidebar(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        await pilot.press("slash", "区", "代", "表")  # 代表 alone is in every department's name: the filter reads those too
        files = app.query_one("#files", FileList)
        assert len(files.paths) == 2
        await pilot.press("enter")
        assert files.has_focus
        await pilot.press("escape")
        assert len(files.paths) == 9


async def test_a_filter_without_a_match_says_so_and_escape_comes_back_where_the_cursor_was(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        await app.workers.wait_for_complete()  # the list in its final (pinyin) order
        await pilot.press("down", "down", "down")
        await pilot.pause()
        here = app.sidebar.highlighted_path()
        assert app.current == here and here != app.sidebar.files.paths[0]
        await pilot.press("slash", "z", "z", "z")
        await pilot.pause()
        files = app.sidebar.files
        assert files.paths == [] and "没有匹配" in files.render_line(0).text
        assert app.current == here, "the view keeps what it showed"
        await pilot.press("escape")
        await pilot.pause()
        assert len(files.paths) == 9 and files.highlighted == here and app.current == here, "back where it was"
        assert "没有匹配" not in files.render_line(0).text
        await pilot.press("slash", "z", "enter", "escape")  # from the list, after enter, the same
        await pilot.pause()
        assert files.highlighted == here and app.current == here


async def test_the_view_follows_the_filter_to_its_first_match(tmp_path):
    """The filter hides the evaluation on screen: the view shows the first match, even when the
    filter's last key leaves no other key after it to catch up (a burst, as the new user typed)."""
    async with running(examples_copy(tmp_path), size=(80, 24)) as (app, pilot):
        await app.workers.wait_for_complete()  # the list in its final (pinyin) order
        await pilot.pause()
        shown = app.current
        assert app.sessions[shown].assessment.grade != "优"
        await pilot.press("slash", "优")
        await painted(pilot, app)
        files = app.sidebar.files
        assert shown not in files.paths
        assert app.current == files.paths[0], "the view shows the first evaluation the filter leaves"
        await pilot.press("space", "调", "研")
        await painted(pilot, app)
        assert app.current == files.paths[0] and "调研" in app.current.name


async def test_sorting_the_sidebar_by_total(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        await pilot.press("o")
        assert app.sidebar.sort == "total"
        assert app.sidebar.files.paths[0].name == "通州区人代会经费.toml"
        await pilot.press("o")
        assert app.sidebar.sort == "problems"


async def test_a_broken_file_and_a_markup_name_in_the_folder(tmp_path):
    folder = folder_with(tmp_path, ONE)
    text = (folder / ONE).read_text(encoding="utf-8")
    (folder / "b-broken.toml").write_text(text.replace("year = 2024", "year = 2024年"), encoding="utf-8")
    odd = "[/b]危[red]险"
    (folder / "c-odd.toml").write_text(text.replace('name = "专委会会议、调研、视察活动经费"', f'name = "{odd}"'), encoding="utf-8")
    (folder / "d-bracket.toml").write_text(text.replace('name = "专委会会议、调研、视察活动经费"', 'name = "[/"'), encoding="utf-8")
    broken_before = (folder / "b-broken.toml").read_bytes()
    async with running(folder) as (app, pilot):
        assert app.current.name == "b-broken.toml"
        message = str(app.query_one("#load-error").render())
        assert "b-broken.toml" in message and "行" in message
        await pilot.press("enter")  # cannot move into a broken file
        assert app.query_one("#files").has_focus
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.press("down")
        assert app.session().current.name == odd
        assert odd in str(app.query_one("#summary").render())
        await pilot.press("down")
        assert "[/" in str(app.query_one("#summary").render())
    assert (folder / "b-broken.toml").read_bytes() == broken_before


async def test_add_delete_and_move_rows(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("enter", "a")
        names = [i.name for i in app.session().current.indicators]
        assert len(names) == 8 and names[1] == ""
        assert app.session().current.indicators[1].level1 == "产出指标"
        await pilot.press("enter", "新", "指", "标", "enter")
        assert app.session().current.indicators[1].name == "新指标"
        await pilot.press("J")
        assert [i.name for i in app.session().current.indicators][2] == "新指标"
        await pilot.press("K")
        assert [i.name for i in app.session().current.indicators][1] == "新指标"
        await pilot.press("d")
        assert [i.name for i in app.session().current.indicators] == [n for n in names if n]
        await pilot.press("ctrl+z")
        assert len(app.session().current.indicators) == 8


async def test_apply_suggestion_and_jump_to_a_problem(tmp_path):
    async with running(folder_with(tmp_path, "区代表年度培训服务.toml")) as (app, pilot):
        await pilot.press("enter", "down", "s")
        assert app.session().current.indicators[1].score == Decimal("7.5")
        app.query_one("#problems", OptionList).focus()
        await pilot.press("enter")
        grid = app.query_one("#indicators", IndicatorGrid)
        assert grid.has_focus
        problem = app.session().assessment.problems[0]
        assert grid.cursor_coordinate.row == problem.row


async def test_long_reason_in_the_multi_line_editor(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("enter", *["right"] * 8, "enter")
        assert isinstance(app.screen, TextEditorScreen)
        await pilot.press("甲", "enter", "乙", "ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        assert app.session().current.indicators[0].reason == "甲\n乙"
        assert "reason-missing" not in {p.code for p in app.session().assessment.problems}


async def test_header_goal_and_amount_edits(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("enter", "ctrl+o")
        assert app.query_one("#sections", TabbedContent).active == "tab-info"
        await pilot.press("right", "enter", "home", "ctrl+k", "新", "名", "enter")
        assert app.session().current.name == "新名"
        await pilot.press("down", "enter", "home", "ctrl+k", "2", "0", "2", "5", "enter")
        assert app.session().current.year == 2025
        await pilot.press("ctrl+o")
        assert app.query_one("#sections", TabbedContent).active == "tab-budget"
        await pilot.press("right", "right", "enter", "home", "ctrl+k", "１", "０", "enter")
        assert app.session().current.budget.total.full_year == Decimal(10)
        assert app.session().assessment.execution_rate == Decimal("49.90")


async def test_narrow_terminal_folds_the_sidebar_and_keeps_the_total(tmp_path):
    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        assert app.screen.has_class("narrow")
        assert app.sidebar.display and app.sidebar.has_class("open")
        await pilot.press("enter")
        await pilot.pause()
        assert not app.sidebar.has_class("open")
        assert "91.06" in str(app.query_one("#summary").render())
        await pilot.press("escape")
        assert app.sidebar.has_class("open") and app.query_one("#files").has_focus


async def test_new_evaluation_from_the_standard_template(tmp_path):
    folder = folder_with(tmp_path, ONE)
    async with running(folder) as (app, pilot):
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("测", "试", "项", "目", "enter")
        await pilot.pause()
        path = folder / "测试项目.toml"
        assert path.exists() and app.current == path
        ev = store.load(path)
        assert [i.level2 for i in ev.indicators][:4] == ["数量指标", "质量指标", "时效指标", "成本指标"]
        assert app.session().assessment.weight_total == 100


async def test_export_all_and_import_from_the_app(tmp_path):
    folder = examples_copy(tmp_path)
    out = tmp_path / "all.docx"
    async with running(folder) as (app, pilot):
        app.action_export_all()
        await pilot.pause()
        prompt = app.screen.query_one(Input)
        prompt.value = str(out)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert out.exists()
        app.action_export_all()
        await pilot.pause()
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), "overwriting asks first"
        await pilot.press("n")
        for path in folder.glob("*.toml"):
            path.unlink()
        await import_file(pilot, app, out)
        assert len(list(folder.glob("*.toml"))) == 9


async def test_help_lists_every_key(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = {keys for _, keys, _ in app.screen.rows}
        for key in ("ctrl+s", "ctrl+q", "ctrl+z", "ctrl+y", "ctrl+p", "f1, ?", "/", "s"):
            assert key in keys
        await pilot.press("escape")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_command_palette_lists_the_actions(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        titles = {c.title.split(" · ")[0] for c in app.get_system_commands(app.screen)}
        assert {"保存", "撤销", "重做", "新建自评表", "导入 Word", "导出当前自评表到 Word", "导出全部自评表到 Word",
                "汇总审阅", "采用建议得分", "帮助", "退出"} <= titles
        full = [c.title for c in app.get_system_commands(app.screen)]
        assert "保存 · save" in full
        assert not {"Quit", "Keys", "Theme", "Maximize", "Screenshot"} & {t.split(" · ")[0] for t in full}, full


async def test_the_palette_says_in_chinese_that_nothing_matched(tmp_path):
    from textual.command import CommandList

    from evaltui.screens.palette import NO_MATCHES

    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        await pilot.press("ctrl+p", *"zzz")
        shown = ""
        for _ in range(200):  # the palette shows it after its own countdown; "z" alone may match first
            await pilot.pause(0.05)
            options = app.screen.query_one(CommandList)
            prompts = [options.get_option_at_index(i).prompt for i in range(options.option_count)]
            # ours is an Align of a Text; under load the hits of "z" (a Content) are listed before "zzz" is searched
            shown = " ".join(str(getattr(prompt, "renderable", prompt)) for prompt in prompts)
            if NO_MATCHES in shown or "No matches" in shown:
                break
        assert NO_MATCHES in shown and "No matches" not in shown


async def test_a_newer_schema_is_shown_read_only(tmp_path):
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    path.write_text(path.read_text(encoding="utf-8").replace("schema_version = 1", "schema_version = 9"), encoding="utf-8")
    before = path.read_bytes()
    async with running(folder) as (app, pilot):
        assert "只读" in str(app.query_one("#summary").render())
        await pilot.press("enter", *["right"] * 6, "enter")
        assert not app.editor.is_open
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
    assert path.read_bytes() == before


async def test_save_failure_keeps_the_edit(tmp_path, monkeypatch):
    folder = folder_with(tmp_path, ONE)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "1", "0", "enter")

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(store, "_temporary", refuse)  # the folder refuses a new file
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        assert app.session().dirty
        assert app.session().current.indicators[0].score == Decimal(10)
    assert store.load(folder / ONE).indicators[0].score == Decimal("3.75")


async def test_opening_one_file(tmp_path):
    folder = folder_with(tmp_path, ONE, "调研经费.toml")
    async with running(Path(folder / "调研经费.toml"), (80, 24)) as (app, pilot):
        assert list(app.sessions) == [folder / "调研经费.toml"]


async def test_review_sorts_grades_by_rank(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        await pilot.press("ctrl+r", "right", "right", "s")  # 等级, the third column
        table = app.screen.query_one(DataTable)
        grades = [str(table.get_cell_at((r, 2))) for r in range(table.row_count)]
        assert grades == ["优"] * 7 + ["良", "中"]


async def test_level_cells_offer_the_standard_categories_and_accept_others(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("enter", "right", "enter", "社")
        await pilot.pause()
        await pilot.press("right", "enter")
        assert app.session().current.indicators[0].level2 == "社会效益指标"
        await pilot.press("enter", "自", "定", "义", "enter")
        assert app.session().current.indicators[0].level2 == "自定义"


async def test_extra_budget_lines_and_notes_are_shown_and_edited(tmp_path):
    from evaltui import store
    from evaltui.model import BudgetLine, Note
    from evaltui.widgets.grids import INFO_ROWS, BudgetGrid, InfoGrid

    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    ev = store.load(path).model_copy(update={
        "budget_extra": (BudgetLine(label="单位资金", initial=Decimal(20), full_year=Decimal(20), executed=Decimal(18)),),
        "notes": (Note(label="评价结论", text="项目完成较好。"),),
    })
    store.save(path, ev)
    async with running(folder) as (app, pilot):
        await pilot.press("enter", "ctrl+o")
        info = app.query_one("#info", InfoGrid)
        note_row = len(INFO_ROWS)
        assert info.row_count == note_row + 1
        assert str(info.get_cell_at((note_row, 0))) == "评价结论"
        assert str(info.get_cell_at((note_row, 1))) == "项目完成较好。"
        await pilot.press("ctrl+o")
        budget = app.query_one("#budget", BudgetGrid)
        assert budget.row_count == 5 and str(budget.get_cell_at((4, 0))) == "单位资金"
        assert str(budget.get_cell_at((4, 3))) == "18.00"
        await pilot.press("down", "down", "down", "down", "right", "right", "right", "enter", "home", "ctrl+k", "1", "9", "enter")
        assert app.session().current.budget_extra[0].executed == Decimal(19)
        assert app.session().current.budget == ev.budget, "an extra line never enters the national four"
        await pilot.press("ctrl+o", "ctrl+o")
        assert app.query_one("#sections", TabbedContent).active == "tab-info"
        info.move_cursor(row=note_row, column=1)
        await pilot.press("enter")
        assert isinstance(app.screen, TextEditorScreen)
        await pilot.press("存", "在", "enter", "好", "ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        assert app.session().current.notes[0].text == "项目完成较好。存在\n好"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
    saved = store.load(path)
    assert saved.budget_extra[0].executed == Decimal(19) and saved.notes[0].text == "项目完成较好。存在\n好"


async def test_a_new_evaluation_takes_its_place_in_pinyin_order(tmp_path):
    folder = examples_copy(tmp_path)
    async with running(folder) as (app, pilot):
        await app.workers.wait_for_complete()  # the names keyed (pinyin)
        await pilot.pause()
        await pilot.press("ctrl+n", "调", "研", "项", "目", "enter")
        await pilot.pause()
        listed = [p.stem for p in app.sidebar.files.paths]
        assert "调研项目" in listed
        from evaltui.collate import pinyin_key

        assert listed == sorted(listed, key=pinyin_key), listed


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_ctrl_b_and_ctrl_e_show_and_hide_their_panel_and_a_hidden_panel_gives_the_keys_back(tmp_path, size):
    """ctrl+b / ctrl+e show or hide the sidebar / the problem list, wide or narrow. Hiding the
    one that has the keys hands them to the grid: at 80x24, ctrl+e twice left the focus on the
    hidden problem list, and every key after it did nothing."""
    async with running(examples_copy(tmp_path), size) as (app, pilot):
        await pilot.press("enter")
        await pilot.pause()
        grid = app.query_one("#indicators")
        screen = app._main
        for panel, key, shown_at_first in ((screen.status, "ctrl+e", size[0] >= 110), (screen.sidebar, "ctrl+b", size[0] >= 110)):
            screen.action_focus_grid()
            for _ in range(3 if size[0] >= 110 else 4):  # hidden with the keys elsewhere, and with the keys in it; ends hidden
                await pilot.press(key)
                await pilot.pause()
                shown_at_first = not shown_at_first
                assert panel.display == shown_at_first and (panel.region.width > 0) == shown_at_first, (key, shown_at_first)
                if not shown_at_first:
                    assert app.focused is grid, f"{key} hid the panel: the grid has the keys"
        row = grid.cursor_coordinate.row
        await pilot.press("j")
        await pilot.pause()
        assert grid.cursor_coordinate.row == row + 1, "keys act in the grid again"
