"""Pilot tests: the grid reads like the form (whole text, marks, numbers) and the sidebar scans."""

from __future__ import annotations

from decimal import Decimal

from app_helpers import examples_copy, running
from textual import events
from textual.coordinate import Coordinate

from evaltui.widgets.grids import IndicatorGrid, column_widths
from evaltui.folder import NotOpened
from evaltui.widgets.sidebar import Entry

FIRST = "2024年度人大代表联络处及代表活动经费.toml"


def detail(app) -> str:
    return str(app.query_one("#detail").render())


async def test_the_detail_line_shows_the_whole_cell_and_its_problem(tmp_path):
    async with running(examples_copy(tmp_path), (80, 24)) as (app, pilot):
        await pilot.press("enter", "right", "right", "right", "down", "down", "down")
        assert "年度指标值：≦人均6000元" in detail(app)
        await pilot.press("right", "right", "right")  # 得分 of 考察费用: 0 where the rules say 20
        assert "⚠ 警告" in detail(app) and "与按规则计算的 20 不一致" in detail(app)
        grid = app.query_one("#indicators", IndicatorGrid)
        assert grid.get_cell_at(Coordinate(3, 6)).plain == "⚠ 0.00"
        assert grid.fixed_columns == 3


async def test_typing_a_number_or_chinese_on_a_cell_starts_editing_letters_stay_commands(tmp_path):
    async with running(examples_copy(tmp_path), (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "1", "5", "enter")
        assert str(app.session().current.indicators[0].score) == "15"
        await pilot.press("left", "left", "约")  # a Chinese character, as an input method sends it
        assert app.editor.is_open and app.editor.text == "约"
        await pilot.press("escape")
        await app._main.take_key(events.Key("greater_than_or_equal_to", "≥"))  # Pilot cannot name ≥
        assert app.editor.is_open and app.editor.text == "≥"
        await pilot.press("escape", "right", "right", "s")  # s: take the suggestion, no editor
        assert not app.editor.is_open
        assert app.session().current.indicators[0].score == 20


async def test_f8_goes_to_errors_before_warnings_and_shift_f8_back(tmp_path):
    folder = examples_copy(tmp_path)
    text = (folder / FIRST).read_text(encoding="utf-8")
    first, rest = text.split("score = 20\n", 1)
    (folder / FIRST).write_text(first + "score = 25\n" + rest, encoding="utf-8")
    async with running(folder) as (app, pilot):
        await pilot.press("enter", "down", "down", "f8")
        grid = app.focused
        assert grid.cursor_coordinate == Coordinate(0, 6) and "超过分值" in detail(app)
        await pilot.press("f8")
        assert "超过分值" not in detail(app).splitlines()[-1]
        await pilot.press("shift+f8")
        assert "超过分值" in detail(app)
        listed = [p.severity for p in app._main.status.problems]
        assert listed == sorted(listed, key=["error", "warning", "info"].index)


async def test_sidebar_in_pinyin_order_with_aligned_marks_and_a_filter_over_grade_and_errors(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        for _ in range(50):
            if app.sidebar.name_keys:
                break
            await pilot.pause(0.05)
        names = [p.stem for p in app.sidebar.files.paths]
        assert names.index("调研经费") < names.index("期刊、制度汇编等印刷服务") < names.index("专委会会议、调研、视察活动经费")
        lines = [app.sidebar.entries[p].prompt().plain for p in app.sidebar.files.paths]
        assert {line.index(" 优 ") if " 优 " in line else line.index(" 良 ") if " 良 " in line else line.index(" 中 ")
                for line in lines} == {8}, lines
        await pilot.press("slash", "良")
        assert [p.stem for p in app.sidebar.files.paths] == ["期刊、制度汇编等印刷服务"]
        await pilot.press("escape")
        await pilot.press("slash", "错", "误")
        assert app.sidebar.files.paths == []


def test_an_entry_with_warnings_is_marked_unlike_one_with_errors(tmp_path):
    warned = Entry(tmp_path / "a.toml", name="甲", total=None, warnings=2)
    wrong = Entry(tmp_path / "b.toml", name="乙", errors=1, warnings=2)
    assert warned.prompt().plain.startswith("⚠") and wrong.prompt().plain.startswith("✗")
    assert Entry(tmp_path / "c.toml", name="丙", department="教育局").matches(["教育"])


async def test_f6_gives_the_grid_the_whole_screen_and_the_total_stays(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        await pilot.press("enter", "f6")
        assert not app.sidebar.display and not app.query_one("#status").display
        assert "总分 60.71 中" in str(app.query_one("#summary").render())
        await pilot.press("f6")
        assert app.sidebar.display


def test_columns_take_their_content_width_when_it_fits_and_numbers_are_never_cut():
    natural = [4, 4, 10, 8, 8, 5, 6, 5, 20]
    roomy = column_widths(200, natural)
    assert all(w >= n for w, n in zip(roomy, natural)) and sum(roomy) + 2 * 9 + 2 == 200
    tight = column_widths(70, natural)
    assert tight[5:8] == [5, 6, 5]


def test_the_level_columns_show_their_whole_titles_when_there_is_room():
    natural = [4, 6, 12, 8, 8, 5, 6, 5, 20]  # 产出, 满意度: narrower than 一级指标 / 二级指标
    assert column_widths(200, natural)[:2] == [8, 8], "a roomy grid: the whole titles"
    assert column_widths(70, natural)[:2] == [4, 4], "no room: as narrow as they go, as before"
    assert column_widths(99, natural)[:2] == [8, 7], "the little room there is goes to 一级指标 first"


async def test_the_level_titles_read_yiji_erji_when_narrow_and_whole_with_f6_at_160_columns(tmp_path):
    async with running(examples_copy(tmp_path)) as (app, pilot):
        await pilot.press("enter")
        grid = app.query_one("#indicators", IndicatorGrid)
        header = "".join(segment.text for segment in grid.render_line(0))
        assert "一级 " in header and "二级" in header and "一 …" not in header, "narrow: 一级 / 二级, not 一 …"
        await pilot.press("f6")
        await pilot.pause()
        assert all(column.width >= 8 for column in grid.ordered_columns[:2])
        header = "".join(segment.text for segment in grid.render_line(0))
        assert "一级指标" in header and "二级指标" in header and "…" not in header.split("三级指标")[0], header


def test_an_unreadable_entry_names_its_file_in_the_column_of_the_names(tmp_path):
    """超出上限 / 无法读取 are 8 cells (2 a character), not 4: padded by cells, the names line up."""
    from rich.cells import cell_len

    read = Entry(tmp_path / "a.toml", name="甲", total=Decimal("60.71"), grade="中").prompt().plain
    for why in ("无法读取（没有权限）", NotOpened("指标行太多")):
        broken = Entry(tmp_path / "乙.toml", load_error=why).prompt().plain
        assert cell_len(broken[: broken.index("乙.toml")]) == cell_len(read[: read.index("甲")]), (broken, read)


async def test_a_basic_information_row_with_a_problem_carries_the_grids_mark(tmp_path):
    """基本信息 drew no mark on a row with a problem (new-user pass): the line under the grid
    and f8 named it, the cell did not. It now carries the mark the indicator grid uses."""
    from app_helpers import ONE, folder_with

    from evaltui.targets import HeaderField
    from evaltui.widgets.grids import InfoGrid

    folder = folder_with(tmp_path, ONE)
    text = (folder / ONE).read_text(encoding="utf-8")
    (folder / ONE).write_text(text.replace("year = 2024\n", "").replace("reported_total = 91.06", "reported_total = 50"),
                              encoding="utf-8")
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", "ctrl+o")
        await pilot.pause()
        info = app.query_one("#info", InfoGrid)
        assert app.focused is info
        year = info.coordinate_of(HeaderField("year"))
        reported = info.coordinate_of(HeaderField("reported_total"))
        assert info.get_cell_at(year).plain.startswith("⚠"), info.get_cell_at(year)
        assert info.get_cell_at(reported).plain == "⚠ 50"
        name = info.coordinate_of(HeaderField("name"))
        assert "⚠" not in info.get_cell_at(name).plain and "✗" not in info.get_cell_at(name).plain
        # the year typed in: its row loses the mark
        info.move_cursor(row=year.row, column=1, animate=False)
        await pilot.press("2", "0", "2", "4", "enter")
        await pilot.pause()
        assert app.session().current.year == 2024
        assert "⚠" not in info.get_cell_at(year).plain and info.get_cell_at(reported).plain == "⚠ 50"


async def test_the_detail_keeps_each_problem_on_one_line_cut_to_its_width_also_beside_the_sidebar(tmp_path):
    from app_helpers import painted
    from rich.cells import cell_len

    async with running(examples_copy(tmp_path), (80, 24)) as (app, pilot):
        await pilot.press("enter", "f8")  # the first problem of the evaluation: its cell
        await painted(pilot, app)
        detail = app.query_one("#detail")

        def lines() -> list[str]:
            return str(detail.render()).split("\n")

        problem = [line for line in lines() if line.startswith(("⚠", "✗"))]
        assert problem and all(cell_len(line) <= detail.content_size.width for line in lines())
        assert problem[0].endswith("…"), "a long problem is cut on its line, not wrapped out of the four"
        wide = detail.content_size.width
        await pilot.press("ctrl+b")  # the sidebar beside the grid: the detail is narrower
        await painted(pilot, app)
        assert detail.content_size.width < wide
        assert len(lines()) <= 4 and all(cell_len(line) <= detail.content_size.width for line in lines())
        assert any(line.startswith(("⚠", "✗")) for line in lines())
