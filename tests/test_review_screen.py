"""The review screen at 80x24: name, total, grade and counts first; the 汇总表 written from it."""

from __future__ import annotations

from app_helpers import examples_copy, loaded, new_app
from openpyxl import load_workbook
from textual.widgets import Input

from evaltui.screens.dialogs import ConfirmScreen, PromptScreen
from evaltui.screens.review import ReviewScreen


def screen_lines(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


async def test_review_at_80x24_shows_name_total_grade_and_counts(tmp_path):
    app = new_app(examples_copy(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
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
    app = new_app(folder)
    target = tmp_path / "汇总.xlsx"
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
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
