"""Text as a person reads it on screen: the summary line keeps total, grade and name at every
width; dialog text wraps between Chinese characters, never after ``有 1``."""

from __future__ import annotations

from app_helpers import ONE, folder_with, loaded, new_app
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
    app = new_app(folder)
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot, app)
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
    app = new_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
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
