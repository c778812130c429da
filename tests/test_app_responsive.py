"""The cursor first, the rest after: what a key changes at once and what follows the paint.

A move in the file list repaints its cursor line and draws the evaluation under it after the
paint, once for a burst of moves; any other key first draws it (keys stay in order). A commit
changes the grid's changed cells and the total at once; the status panel follows. Unsaved
edits from an earlier run are offered when the evaluation is opened, not when the cursor
passes over it. No timing here: each test looks at what was drawn and where keys acted.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from app_helpers import ONE, examples_copy, folder_with, painted, running
from textual import events
from textual.coordinate import Coordinate

from evaltui import recovery, store
from evaltui.screens.dialogs import RecoverScreen


def _summary(app) -> str:
    return str(app.query_one("#summary").render())


async def test_a_burst_of_list_moves_draws_the_evaluation_once_where_the_cursor_stopped(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        first = app.current
        shown: list = []
        show = app.show

        def recording_show(path, **how):
            shown.append(path)
            show(path, **how)

        app.show = recording_show
        files = app.sidebar.files
        for _ in range(3):
            files.action_move(1)  # what the down key runs, three times before any paint
        assert app.current == first, "the evaluation is drawn after the paint, not per move"
        assert files.highlighted != first
        await painted(pilot, app)
        assert shown == [files.highlighted], "three moves, one drawing, of the evaluation under the cursor"
        assert app.current == files.highlighted
        assert app.session().current.name in _summary(app)


async def test_a_key_after_list_moves_acts_on_the_evaluation_under_the_cursor(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        files = app.sidebar.files
        files.action_move(1)
        files.action_move(1)  # their messages are not even handled yet
        target = files.highlighted
        assert app.current != target, "not drawn yet"
        # the keys of the documented edit, routed at once, before any paint could draw it
        for key in ("enter", *["right"] * 6, "enter", "1", "0", "enter"):
            await app._main.take_key(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        assert app.current == target
        edited = app.sessions[target]
        assert edited.dirty and edited.current.indicators[0].score == Decimal(10)
        others = [s for p, s in app.sessions.items() if p != target]
        assert not any(s.dirty for s in others), "the edit went nowhere else"


async def test_a_commit_updates_the_changed_cells_the_total_and_grade_and_then_the_status_panel(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "1", "0")
        await pilot.pause()
        grid = app.query_one("#indicators")
        before = [[grid.get_cell_at(Coordinate(r, c)) for c in range(len(grid.columns))] for r in range(grid.row_count)]
        redrawn: list[int] = []
        refresh_row, clear = grid.refresh_row, grid.clear
        grid.refresh_row = lambda row: (redrawn.append(row), refresh_row(row))[1]
        grid.clear = lambda *a, **k: pytest.fail("the grid was cleared")
        figures = app.query_one("#figures")
        figures_before = str(figures.render())
        await app._main.take_key(events.Key("enter", None))  # the commit, without a paint after it
        assert "97.31" in _summary(app) and "优" in _summary(app), "the total and grade at once"
        after = [[grid.get_cell_at(Coordinate(r, c)) for c in range(len(grid.columns))] for r in range(grid.row_count)]
        changed = {Coordinate(r, c) for r in range(len(after)) for c in range(len(after[r])) if after[r][c] != before[r][c]}
        assert Coordinate(0, 6) in changed and after[0][6].plain == "10.00"
        assert set(redrawn) == {c.row for c in changed}, "exactly the rows that changed were redrawn, nothing cleared"
        grid.clear = clear
        assert str(figures.render()) == figures_before, "the status panel follows after the paint"
        await painted(pilot, app)
        assert "97.31" in str(figures.render())
        assert app.sidebar.entries[app.current].total == Decimal("97.31")


async def test_a_commit_writes_the_changed_row_and_the_summary_line_only(tmp_path):
    """The cell editor never takes the focus from its grid, and opening it (which resizes the
    grid) leaves no whole-grid redraw pending: a commit draws the changed row's line of the grid
    and the summary line, nothing else, and at once: the key paints before it returns, not after
    the messages it sent. ``_repaint_regions`` and ``render_lines`` are Textual's (pinned): what a
    widget has asked to have redrawn, and what the compositor asks it for."""
    async with running(folder_with(tmp_path, ONE), (120, 40)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "5")  # 3.75 → 5.00: the column keeps its width
        await pilot.pause()
        grid = app.query_one("#indicators")
        assert app.focused is grid, "the grid keeps the focus while its cell is edited"
        asked: list[tuple[str, int]] = []
        for widget in app.screen.query("*"):
            render_lines = widget.render_lines
            widget.render_lines = lambda crop, w=widget, r=render_lines: (asked.append((type(w).__name__, crop.height)), r(crop))[1]
        await app._main.take_key(events.Key("enter", None))  # the commit, and the paint made at once after it
        assert app.focused is grid
        first = list(asked)
        assert not grid._repaint_regions, "painted within the key"
        assert ("IndicatorGrid", 1) in first and ("SummaryLine", 1) in first
        assert all(height == 1 for _, height in first), first
        assert {name for name, _ in first} == {"IndicatorGrid", "SummaryLine"}, "containers their children cover are not drawn"


async def test_the_editors_text_is_applied_and_assessed_between_keys_and_enter_takes_it_as_it_is(tmp_path, monkeypatch):
    import evaltui.session

    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "1", "0")
        await painted(pilot, app)  # the editor's text applied ahead, after the paint
        assessed: list = []
        assess = evaltui.session.assess
        monkeypatch.setattr(evaltui.session, "assess", lambda ev, rules: (assessed.append(ev), assess(ev, rules))[1])
        await app._main.take_key(events.Key("enter", None))
        assert "97.31" in _summary(app) and assessed == [], "the verdict worked out ahead was taken"
        assert app.session().current.indicators[0].score == Decimal(10)


async def test_text_typed_after_it_was_applied_ahead_is_what_enter_commits(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "1")
        await painted(pilot, app)  # 1 applied ahead
        await app._main.take_key(events.Key("0", "0"))  # then 0 and enter in one burst: no paint between
        await app._main.take_key(events.Key("enter", None))
        assert app.session().current.indicators[0].score == Decimal(10)
        assert "97.31" in _summary(app)
        await pilot.press("enter", "escape")  # opened and left: nothing applied, the verdict still the session's
        assert app.session().current.indicators[0].score == Decimal(10)
        assert app.session().assessment.total == Decimal("97.31")


async def test_a_partial_update_from_the_top_line_to_the_bottom_draws_only_what_changed(tmp_path):
    """The summary line (top) and the footer (bottom) change together after a commit: the
    compositor drew every widget whole when its changes' bounding box was the whole screen."""
    async with running(folder_with(tmp_path, ONE), (120, 40)) as (app, pilot):
        await pilot.press("enter")
        await painted(pilot, app)
        asked: list[tuple[str, int]] = []
        for widget in app.screen.query("*"):
            render_lines = widget.render_lines
            widget.render_lines = lambda crop, w=widget, r=render_lines: (asked.append((type(w).__name__, crop.height)), r(crop))[1]
        summary, footer = app.query_one("#summary"), app.screen.query_one("KeyFooter")
        summary.refresh()
        footer.refresh()
        await painted(pilot, app)
        assert {name for name, _ in asked} == {"SummaryLine", "KeyFooter"}, asked
        assert all(height == 1 for _, height in asked), asked


async def test_a_click_on_the_grid_while_a_cell_is_edited_leaves_the_edit_where_it_is(tmp_path):
    async with running(folder_with(tmp_path, ONE), (120, 40)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "1", "2")
        grid = app.query_one("#indicators")
        await pilot.click("#indicators", offset=(3, 4))  # 一级指标 of the third row
        assert grid.cursor_coordinate == Coordinate(0, 6)
        assert app.screen.key_target is app.query_one("#edit-input")
        await pilot.press("enter")
        assert app.session().current.indicators[0].score == Decimal(12)


async def unsaved_edits_of_an_earlier_run(folder):
    """An earlier run left unsaved edits (the first score 1) of the second file in the list: its path."""
    async with running(folder) as (app, pilot):
        await app.workers.wait_for_complete()  # the list in its final (pinyin) order
        await pilot.pause()
        second = app.sidebar.files.paths[1]
        ev = app.sessions[second].current
        changed = ev.model_copy(update={"indicators": (ev.indicators[0].model_copy(update={"score": Decimal(1)}), *ev.indicators[1:])})
        recovery.write(second, store.dumps(changed), recovery.stamp())
    return second


async def test_unsaved_edits_of_an_earlier_run_are_offered_when_opened_not_when_passed_over(tmp_path):
    folder = folder_with(tmp_path, ONE, "调研经费.toml", "信息系统运行维护服务.toml")
    names = sorted(p for p in folder.glob("*.toml"))
    second = await unsaved_edits_of_an_earlier_run(folder)
    assert len(names) == 3
    async with running(folder) as (app, pilot):
        await app.workers.wait_for_complete()  # the list in its final (pinyin) order
        await pilot.pause()
        assert not isinstance(app.screen, RecoverScreen), "the first file shown has nothing to recover"
        await pilot.press("home", "down")
        await pilot.pause()
        assert app.current == second and not isinstance(app.screen, RecoverScreen), "passing over does not ask"
        assert "有上次未保存的修改" in _summary(app)
        await pilot.press("down", "up")
        await pilot.pause()
        assert not isinstance(app.screen, RecoverScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen), "opening it asks"
        await pilot.press("r")
        await pilot.pause()
        assert app.session().current.indicators[0].score == Decimal(1) and app.session().dirty
        assert "有上次未保存的修改" not in _summary(app)


async def test_unsaved_edits_of_an_earlier_run_are_told_at_once_marked_in_the_list_and_in_the_footer(tmp_path):
    """Not only once the cursor reaches it: a toast on opening the folder names it, its line in
    the list has ↺, and the footer says enter 恢复上次修改 on it (进入表格 elsewhere)."""
    from evaltui.widgets.footer import KeyFooter

    folder = folder_with(tmp_path, ONE, "调研经费.toml", "信息系统运行维护服务.toml")
    second = await unsaved_edits_of_an_earlier_run(folder)
    async with running(folder, (80, 24)) as (app, pilot):
        await app.workers.wait_for_complete()  # the list in its final (pinyin) order
        await pilot.pause()
        told = [str(n.message) for n in app._notifications if "上次未保存的修改" in str(n.message)]
        name = app.sessions[second].current.name
        assert len(told) == 1 and name in told[0] and "enter" in told[0], told
        first = app.sidebar.files.paths[0]
        assert "↺" in app.sidebar._prompt(second).plain and "↺" not in app.sidebar._prompt(first).plain
        footer = app._main.query_one(KeyFooter)
        app.sidebar.focus_list()
        await pilot.press("home")
        await painted(pilot, app)
        await pilot.pause()
        assert "⏎ 进入表格" in footer.shown, footer.shown
        await pilot.press("down")
        await painted(pilot, app)
        await pilot.pause()
        assert app.current == second
        assert "⏎ 恢复上次修改" in footer.shown and "⏎ 进入表格" not in footer.shown, footer.shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        await pilot.press("d")
        await pilot.pause()
        assert "↺" not in app.sidebar._prompt(second).plain, "answered: the mark goes"
        await pilot.press("escape")  # back to the list
        await painted(pilot, app)
        await pilot.pause()
        assert app.sidebar.highlighted_path() == second and "⏎ 进入表格" in footer.shown, footer.shown


async def test_the_toast_of_edits_to_recover_says_another_when_the_first_is_asked_about_at_start(tmp_path):
    folder = folder_with(tmp_path, ONE, "调研经费.toml", "信息系统运行维护服务.toml")
    second = await unsaved_edits_of_an_earlier_run(folder)
    first = min(folder.glob("*.toml"), key=lambda p: p.name)  # shown at start: the first by file name
    assert first != second
    ev = store.load(first)
    recovery.write(first, store.dumps(ev.model_copy(update={"leader": "改过"})), recovery.stamp())
    async with running(folder, (80, 24)) as (app, pilot):
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen), "the first evaluation shown is asked about at once"
        told = [str(n.message) for n in app._notifications if "上次未保存的修改" in str(n.message)]
        name = app.sessions[second].current.name
        assert len(told) == 1 and told[0].startswith(f"另有 {name} "), told


async def test_the_toast_of_edits_to_recover_goes_once_every_one_is_answered(tmp_path):
    folder = folder_with(tmp_path, ONE, "调研经费.toml", "信息系统运行维护服务.toml")
    second = await unsaved_edits_of_an_earlier_run(folder)
    first = min(folder.glob("*.toml"), key=lambda p: p.name)
    ev = store.load(first)
    recovery.write(first, store.dumps(ev.model_copy(update={"leader": "改过"})), recovery.stamp())

    def told(app) -> list[str]:
        return [str(n.message) for n in app._notifications if "上次未保存的修改（侧栏标" in str(n.message)]

    async with running(folder, (80, 24)) as (app, pilot):
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen) and told(app)
        await pilot.press("r")  # the first answered: the other one still waits, the toast stays
        await pilot.pause()
        assert told(app)
        app.open(second)
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        await pilot.press("d")
        await pilot.pause()
        assert told(app) == [], "answered for every evaluation: the toast went with it"


async def test_an_edit_on_an_evaluation_with_unsaved_edits_of_an_earlier_run_asks_first(tmp_path):
    folder = folder_with(tmp_path, ONE, "调研经费.toml")
    second = await unsaved_edits_of_an_earlier_run(folder)
    async with running(folder) as (app, pilot):
        await app.workers.wait_for_complete()  # the list in its final (pinyin) order
        await pilot.pause()
        await pilot.press("home", "down")
        await pilot.pause()
        assert app.current == second
        app._main.action_focus_grid()  # into the grid without enter (as ctrl+o or a click would)
        await pilot.press("right", "right", "right", "right", "right", "right", "5")
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen), "asked before the first new edit"
        assert not app.session().dirty, "and the key did not edit over the kept edits"
        await pilot.press("d")
        await pilot.pause()
        assert not recovery.path_for(second).exists()


async def test_at_80_columns_the_mark_of_unsaved_edits_of_an_earlier_run_is_whole(tmp_path):
    """The sidebar open at 80x24 leaves the summary line 48 cells: the mark says it in fewer words, uncut."""
    folder = folder_with(tmp_path, ONE, "调研经费.toml", "信息系统运行维护服务.toml")
    second = await unsaved_edits_of_an_earlier_run(folder)
    async with running(folder, (80, 24)) as (app, pilot):
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("home", "down")
        await pilot.pause()
        assert app.current == second and app.sidebar.display
        line = _summary(app)
        assert "↺" in line and "enter" in line and "恢复" in line, line
        assert "…" not in line.split("↺")[1][:14], line


async def test_a_re_sorted_list_brings_the_cursor_line_to_the_middle_not_to_an_edge():
    """After a re-sort (the pinyin order arriving, another sort key) the cursor's evaluation may
    be far down the list: it comes into view in the middle, so the next move does not scroll
    (a scroll redraws every line of the list). A rebuild that leaves it in view does not scroll."""
    from pathlib import Path

    from rich.text import Text
    from textual.app import App

    from evaltui.widgets.filelist import FileList

    class ListApp(App):
        def compose(self):
            yield FileList(lambda path: Text(path.name), id="files")

    app = ListApp()
    async with app.run_test(size=(40, 20)) as pilot:
        files = app.query_one(FileList)
        paths = [Path(f"{i:04d}.toml") for i in range(500)]
        files.set_paths(paths)
        await pilot.pause()
        assert (files.cursor, files.scroll_offset.y) == (0, 0)
        files.set_paths(paths[1:400] + [paths[0]] + paths[400:], keep=paths[0])  # now at 399
        await pilot.pause()
        height = files.size.height
        assert files.cursor == 399
        assert files.scroll_offset.y + height // 2 - 1 <= 399 <= files.scroll_offset.y + height // 2 + 1
        top = files.scroll_offset.y
        files.action_move(1)
        files.action_move(-1)
        await pilot.pause()
        assert files.scroll_offset.y == top, "a move next to the cursor line does not scroll"
        files.set_paths(list(files.paths), keep=files.highlighted)  # a rebuild, the line in view
        await pilot.pause()
        assert files.scroll_offset.y == top


async def test_a_scrolled_file_list_draws_only_the_line_that_came_into_view_and_shows_changes(monkeypatch):
    """A line of the file list is kept by what it shows: a scroll by one line draws one line
    through Rich (not all of them), and a line whose text changed is drawn anew."""
    from pathlib import Path

    from rich.text import Text
    from textual.app import App
    from textual.geometry import Region

    from evaltui.widgets.filelist import FileList

    shown = {Path(f"{i:04d}.toml"): f"项目 {i:04d}" for i in range(200)}

    class ListApp(App):
        def compose(self):
            yield FileList(lambda path: Text(shown[path]), id="files")

    app = ListApp()
    async with app.run_test(size=(40, 20)) as pilot:
        files = app.query_one(FileList)
        files.set_paths(list(shown))
        await pilot.pause()
        width, height = files.size
        files.render_lines(Region(0, 0, width, height))
        drawn: list[str] = []
        render = Text.render
        monkeypatch.setattr(Text, "render", lambda self, *a, **k: (drawn.append(self.plain.strip()), render(self, *a, **k))[1])
        files.scroll_to(y=1, animate=False, immediate=True)
        lines = files.render_lines(Region(0, 0, width, height))
        assert drawn == [f"项目 {height:04d}"], "only the line that came into view"
        assert "".join(s.text for s in lines[0]).startswith("项目 0001")
        shown[Path("0005.toml")] = "改过的名称"
        files.refresh_path(Path("0005.toml"))
        lines = files.render_lines(Region(0, 0, width, height))
        assert "".join(s.text for s in lines[4]).startswith("改过的名称")


async def test_a_move_in_the_file_list_is_painted_within_the_key_and_a_burst_once_at_its_end(tmp_path):
    """A key paints what it changed before it returns; keys already waiting behind it are
    taken first, and the screen is painted after the last of them."""
    async with running(examples_copy(tmp_path), (120, 40)) as (app, pilot):
        await pilot.press("up")  # the first key finds the screen settled; later ones are taken at once
        await painted(pilot, app)
        files = app.sidebar.files
        drawn: list[int] = []
        render_lines = files.render_lines
        files.render_lines = lambda crop: (drawn.append(crop.height), render_lines(crop))[1]
        await app._main.take_key(events.Key("down", None))
        assert files.cursor == 1 and drawn, "the cursor line was painted within the key"
        await painted(pilot, app)
        drawn.clear()
        for _ in range(4):  # as a burst from the terminal: all waiting in the app's queue
            app.post_message(events.Key("down", None))
        await painted(pilot, app)
        assert files.cursor == 5
        assert drawn[0] == 5, f"lines 1 to 5 in one paint after the last key of the burst, not a paint per key: {drawn}"


async def test_at_80_columns_an_unsaved_evaluation_keeps_its_error_and_warning_counts(tmp_path):
    """● 未保存 at 80x24 pushed 错误 N / 警告 N off the summary line, while the year stayed
    (new-user pass): the counts matter more; the year goes first, then the name is cut; beside
    the sidebar (48 cells) the counts are said in marks (✗ 1  ⚠ 2), the name keeping six characters."""
    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 5, "1", "2", "enter")  # 分值 12: the weights no longer add up
        await pilot.pause()
        assert app.session().dirty and not app.sidebar.display
        result = app.session().assessment
        line = _summary(app)
        assert "● 未保存" in line, line
        assert f"错误 {result.count('error')}" in line and f"警告 {result.count('warning')}" in line, line
        assert "专委会" in line, "the name is cut, never dropped"
        await pilot.press("escape")  # back to the list: the sidebar open, the line 48 cells
        await pilot.pause()
        line = _summary(app)
        assert app.sidebar.display and "● 未保存" in line and "专委会会议" in line, line
        assert f"✗ {result.count('error')}" in line and f"⚠ {result.count('warning')}" in line, "the counts in marks"


def test_the_summary_line_gives_up_the_year_then_the_name_then_the_counts_never_the_total():
    """Each step only when the line is still too long: the year; the name to six characters;
    the counts in marks; the name to three characters; the counts (警告 first)."""
    from rich.cells import cell_len
    from rich.text import Text

    from evaltui.widgets.summary import Summary, fit

    summary = Summary(Text("总分 91.06 优"), Text("专委会会议、调研、视察活动经费"), [Text("● 未保存")],
                      [Text("2024年度")], counts=[Text("错误 0"), Text("警告 2")], short_counts=[Text("✗ 0"), Text("⚠ 2")])
    assert fit(summary, 200).plain == "总分 91.06 优  ● 未保存  专委会会议、调研、视察活动经费  2024年度  错误 0  警告 2"
    assert fit(summary, 78).plain == "总分 91.06 优  ● 未保存  专委会会议、调研、视察活动经费  错误 0  警告 2"
    line = fit(summary, 60).plain
    assert line.startswith("总分 91.06 优  ● 未保存  专委会") and "…" in line and line.endswith("错误 0  警告 2"), line
    line = fit(summary, 54).plain
    assert line == "总分 91.06 优  ● 未保存  专委会会议、…  错误 0  警告 2", line
    line = fit(summary, 48).plain  # beside the sidebar at 80x24
    assert line == "总分 91.06 优  ● 未保存  专委会会议、…  ✗ 0  ⚠ 2", line
    line = fit(summary, 42).plain
    assert line == "总分 91.06 优  ● 未保存  专委会…  ✗ 0  ⚠ 2", line
    line = fit(summary, 37).plain
    assert line == "总分 91.06 优  ● 未保存  专委会…  ✗ 0", line
    line = fit(summary, 22).plain
    assert line.startswith("总分 91.06 优") and "✗" not in line and cell_len(line) <= 22, line


async def test_a_resize_to_80_columns_folds_the_sidebar_when_the_grid_has_the_keys(tmp_path):
    """160x50 to 80x24 in the ctrl+n flow left the sidebar drawn beside the grid that had the
    keys, and its wide width (new-user pass): the resize came while the prompt was on top, and
    the main screen, under it, never heard of it; a resize with the grid in charge kept the
    sidebar open as it is on a wide terminal. Both now fold it as a narrow terminal does."""
    from evaltui.screens.dialogs import PromptScreen
    from evaltui.widgets.grids import IndicatorGrid

    async with running(folder_with(tmp_path, ONE), (160, 50)) as (app, pilot):
        main = app._main
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, IndicatorGrid) and app.sidebar.display
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.1)
        assert main.has_class("narrow") and not app.sidebar.display, "the grid has the keys: the sidebar folds"
        assert not main.query_one("#status").display
        await pilot.resize_terminal(160, 50)
        await pilot.pause(0.1)
        assert app.sidebar.display and main.query_one("#status").display
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.1)
        await pilot.press(*"新项目", "enter")
        await pilot.pause(0.1)
        assert app.screen is main and app.current == app.folder.root / "新项目.toml"
        assert main.has_class("narrow") and main.query_one("#sidebar").styles.width.value == 30
        assert not main.query_one("#status").display
        assert app.sidebar.display == (app.sidebar in app.focused.ancestors_with_self), (app.focused, app.sidebar.display)
