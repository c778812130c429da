"""The review screen at 80x24: name, total, grade and counts first; the 汇总表 written from it."""

from __future__ import annotations

from app_helpers import examples_copy, running
from openpyxl import load_workbook
from textual.widgets import Input

from evaltui.screens.dialogs import ConfirmScreen, PromptScreen
from evaltui.screens.review import ReviewScreen


def screen_lines(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


async def test_review_at_80x24_shows_name_total_grade_and_counts(tmp_path):
    async with running(examples_copy(tmp_path), (80, 24)) as (app, pilot):
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        lines = screen_lines(app)
        header = next(line for line in lines if "名称" in line)
        for title in ("总分", "等级", "错误", "警告"):
            assert title in header, (title, header)
        row = next(line for line in lines if "通州区人代会经费" in line)
        assert "100.00" in row and "优" in row, row  # two decimals, as 60.71 beside it
        assert all(line.count("60.71") <= 1 for line in lines)
        assert any("x 导出汇总表" in line or "导出汇总表" in line for line in lines), "the key is in the footer"


async def test_summary_written_from_the_review_screen(tmp_path):
    folder = examples_copy(tmp_path)
    target = tmp_path / "汇总.xlsx"
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value.startswith(str(folder))
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        book = load_workbook(target)
        names = [row[1] for row in book["汇总"].iter_rows(min_row=2, values_only=True)]
        assert len(names) == 9 and "通州区人代会经费" in names
        before = target.read_bytes()
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), "an existing file is not replaced without asking"
        await pilot.press("n")
        await pilot.pause()
        assert target.read_bytes() == before


def named_folder(tmp_path, *names: str):
    """One evaluation per name, file and project named alike (code point order 上 北 重, pinyin 北 重 上)."""
    from app_helpers import ONE, folder_with

    from evaltui import store

    folder = folder_with(tmp_path, ONE)
    source = store.load(folder / ONE)
    (folder / ONE).unlink()
    for name in names:
        store.save(folder / f"{name}.toml", source.model_copy(update={"name": name}))
    return folder


async def test_the_review_lists_and_sorts_names_as_the_file_list_does_by_pinyin(tmp_path):
    from textual.widgets import DataTable

    folder = named_folder(tmp_path, "上海", "北京", "重庆")
    async with running(folder, (120, 30)) as (app, pilot):
        for _ in range(100):  # the file list takes its pinyin keys from a worker
            if app.sidebar.name_keys:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        listed = [path.stem for path in app.sidebar.files.paths]
        assert listed == ["北京", "重庆", "上海"], listed
        await pilot.press("ctrl+r")
        await pilot.pause()
        table = app.screen.query_one(DataTable)

        def names() -> list[str]:
            return [str(table.get_cell_at((row, 0))) for row in range(table.row_count)]

        assert names() == listed, "opened in the file list's order"
        await pilot.press("s")  # 名称, ascending
        assert names() == listed
        await pilot.press("s")
        assert names() == listed[::-1]


async def test_the_summary_from_the_review_says_it_holds_unsaved_edits(tmp_path):
    from decimal import Decimal

    from app_helpers import ONE, folder_with

    from evaltui.rules import assess

    folder = folder_with(tmp_path, ONE)
    target = tmp_path / "汇总.csv"
    async with running(folder, (120, 30)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "1", "enter")  # 得分 of the first indicator: 1, not saved
        await pilot.pause()
        assert app.session().dirty and app.session().current.indicators[0].score == Decimal(1)
        total = str(app.session().assessment.total)
        saved_total = str(assess(app.session().saved, app.session().rules).total)
        assert total != saved_total
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "1 份有未保存的修改" in app.screen.question
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("已导出汇总表" in m and "未保存的修改" in m for m in said), said
    text = target.read_text(encoding="utf-8-sig")
    assert total in text and saved_total not in text, "what the review shows, unsaved edits included, as the note says"


async def test_review_amounts_have_two_decimals_like_the_figures_beside_them(tmp_path):
    """27.415 showed with three decimals beside 31.00 (new-user pass); the file keeps 27.415."""
    from textual.widgets import DataTable

    async with running(examples_copy(tmp_path), (160, 50)) as (app, pilot):
        await pilot.press("ctrl+r")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        (row,) = [r for r in range(table.row_count) if "信息系统运行维护服务" in str(table.get_cell_at((r, 0)))]
        assert [str(table.get_cell_at((row, c))).strip() for c in (5, 6, 7)] == ["31.00", "27.42", "88.44"]
        assert not any("27.415" in line for line in screen_lines(app))
