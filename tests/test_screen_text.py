"""Text as a person reads it on screen: the summary line keeps total, grade and name at every
width; dialog text, the problem list and toasts wrap between Chinese characters, never after ``有 1``."""

from __future__ import annotations

import pytest
from app_helpers import ONE, folder_with, loaded, new_app, running
from rich.cells import cell_len
from rich.text import Text

from evaltui.screens.dialogs import QuitScreen
from evaltui.widgets.paragraph import wrap_lines

LONG = "北京市通州区人民代表大会常务委员会办公室二〇二四年度代表履职服务保障及信息化建设专项经费"


def screen_lines(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def test_chinese_wraps_between_characters_and_punctuation_stays_put():
    text = Text("有 1 份自评表未保存：" + LONG + "\n退出前要保存吗？")
    lines = [line.plain for line in wrap_lines(text, 30)]
    assert lines[0].startswith("有 1 份自评表未保存：北京"), lines  # not "有 1" alone
    assert all(len(line.encode("gbk")) <= 30 for line in lines), lines  # GBK: 2 bytes per Chinese character
    assert lines[-1] == "退出前要保存吗？"
    assert not any(line.startswith(("、", "，", "。", "：", "？")) for line in lines), lines
    assert "".join(lines[:-1]).replace(" ", "") == ("有 1 份自评表未保存：" + LONG).replace(" ", "")
    assert [line.plain for line in wrap_lines(Text("hello world again"), 11)] == ["hello world", "again"]


def _rename(folder, name: str) -> None:
    path = folder / ONE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('name = "专委会会议、调研、视察活动经费"', f'name = "{name}"'), encoding="utf-8")


async def test_quit_question_wraps_cleanly_at_160x50(tmp_path):
    folder = folder_with(tmp_path, ONE)
    _rename(folder, LONG)
    async with running(folder) as (app, pilot):
        await pilot.press("enter", "right", "right", "right", "right", "right", "right", "5", "enter")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        lines = screen_lines(app)
        first = next(line for line in lines if "有 1" in line)
        assert "有 1 份自评表未保存：北京市" in first, first
        assert any("退出前要保存吗？" in line for line in lines)


async def test_summary_keeps_total_grade_and_name_when_narrow(tmp_path):
    folder = folder_with(tmp_path, ONE)
    _rename(folder, LONG)
    async with running(folder, (80, 24)) as (app, pilot):
        total = app.session().assessment.total
        top = screen_lines(app)[0]  # the sidebar is open at start: the summary has 50 columns
        assert f"总分 {total:.2f}" in top and "北京市通州区" in top and "…" in top, top
        await pilot.press("enter", "right", "right", "right", "right", "right", "right", "5", "enter")
        await pilot.pause()
        top = screen_lines(app)[0]
        assert "● 未保存" in top and "北京市通州区" in top and "总分 " in top, top
        await pilot.press("ctrl+b")  # the sidebar pinned open beside the grid
        await pilot.pause()
        top = screen_lines(app)[0]
        assert "总分 " in top and "北京市通州区" in top and "● 未保存" in top, top


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_a_long_text_in_the_basic_information_ends_in_an_ellipsis(tmp_path, size):
    folder = folder_with(tmp_path, ONE)
    _rename(folder, LONG)
    async with running(folder, size) as (app, pilot):
        await pilot.press("enter", "ctrl+o")  # 基本信息
        await pilot.pause()
        grid = app.query_one("#info")
        line = next(line for line in screen_lines(app) if "项目名称" in line)
        assert "北京市通州区" in line and "…" in line, line
        assert grid.virtual_size.width <= grid.scrollable_content_region.width, "nothing runs past the edge"


def _problem_lines(app) -> list[str]:
    problems = app.query_one("#problems")
    return ["".join(seg.text for seg in problems.render_line(y)).rstrip() for y in range(problems.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_the_problem_list_wraps_between_chinese_characters(tmp_path, size):
    """At 80x24 the list is built while the status panel is folded away (ctrl+e shows it): it is
    wrapped when drawn, at the width it is drawn at, and no problem is cut."""
    app = new_app(folder_with(tmp_path, "2024年度人大代表联络处及代表活动经费.toml"))
    async with app.run_test(size=size) as pilot:
        await loaded(pilot, app)
        await pilot.press("enter")
        if size == (80, 24):
            await pilot.press("ctrl+e")
        await pilot.pause()
        lines = [line for line in _problem_lines(app) if line.strip()]
        width = app.query_one("#problems").size.width
        first = app._main.status.problems[0].message  # 全年执行数：当年财政拨款、上年结转资金……
        assert lines[0].startswith("⚠ 警告 " + first[:4]), lines  # not "⚠ 警告" alone on its line
        labels = {"error": "✗错误", "warning": "⚠警告", "info": "·提示"}
        listed = "".join(labels[p.severity] + p.message for p in app._main.status.problems).replace(" ", "")
        shown = "".join(lines).replace(" ", "")
        assert len(lines) >= 8 and listed.startswith(shown), lines  # the lines in view, nothing cut from them
        assert all(cell_len(line) <= width for line in lines)


async def test_a_toast_wraps_between_chinese_characters(tmp_path):
    message = "已保存 专委会会议、调研、视察活动经费（第 3 版），其余 2 份没有改动，不必保存"
    app = new_app(folder_with(tmp_path, ONE))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot, app)
        app.notify(message, timeout=30)
        await pilot.pause(0.3)
        lines = [line.split("▌")[-1].strip() for line in screen_lines(app) if "▌" in line]
        lines = [line for line in lines if line]
        assert lines[0].startswith("已保存 专委会会议"), lines  # Textual's own wrap: "已保存" alone
        assert "".join(lines).replace(" ", "") == message.replace(" ", ""), lines
