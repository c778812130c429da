"""The footer offers the keys that act where the focus is, whole, at every width."""

from __future__ import annotations

import os

import pytest
from app_helpers import ONE, folder_with, loaded, new_app, running

from evaltui.screens.dialogs import TextEditorScreen
from evaltui.widgets.footer import KeyFooter

GRID_EDITING = ("⏎ 编辑", "a 添加行", "d 删除行", "s 采用建议")


def bottom_line(app) -> str:
    strips = app.screen._compositor.render_strips()
    return "".join(seg.text for seg in strips[-1])


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()  # the footer is recomposed after the refresh that follows a focus change


def labels(app) -> list[str]:
    return app.screen.query_one(KeyFooter).shown


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 50)])
async def test_every_key_label_is_whole_and_nothing_overlaps(tmp_path, size):
    app = new_app(folder_with(tmp_path, ONE))
    async with app.run_test(size=size) as pilot:
        await loaded(pilot, app)
        for keys in ((), ("enter",), ("5",), ("escape", "ctrl+e")):
            await pilot.press(*keys)
            await settle(pilot)
            line = bottom_line(app)
            shown = labels(app)
            assert shown and "▏" not in line, line
            for label in shown:
                assert f" {label} " in line, (label, line)
            assert "f1 帮助" in line, line
            assert sum(len(label) for label in shown) < size[0]
        await pilot.press("escape", "escape")


async def test_the_grid_keys_are_not_offered_in_the_long_text_editor(tmp_path):
    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 8, "enter")  # 偏差原因分析及改进措施: the long-text editor
        await settle(pilot)
        assert isinstance(app.screen, TextEditorScreen)
        line = bottom_line(app)
        assert "^s 确定" in line and "esc 取消" in line, line
        assert not any(key in line for key in (*GRID_EDITING, "f8 下个问题")), line
        await pilot.press("escape")
        await settle(pilot)
        assert "a 添加行" in bottom_line(app)


async def test_the_cell_editor_offers_its_own_keys_only(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("enter", "enter")
        await settle(pilot)
        line = bottom_line(app)
        assert "⏎ 确定" in line and "esc 取消" in line, line
        assert not any(key in line for key in (*GRID_EDITING, "f8 下个问题")), line


async def test_editing_keys_are_not_offered_on_a_newer_evaluation(tmp_path):
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    path.write_text(path.read_text(encoding="utf-8").replace("schema_version = 1", "schema_version = 9"), encoding="utf-8")
    app = new_app(folder)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await loaded(pilot, app)
        await pilot.press("enter")
        await settle(pilot)
        line = bottom_line(app)
        assert "f8 下个问题" in line, line  # moving through the problems still works
        assert not any(key in line for key in (*GRID_EDITING, "u 不适用", "^s 保存")), line
        await pilot.press("a")  # the key still says why nothing happens
        await pilot.pause()
        assert any("只读" in str(n.message) for n in app._notifications), list(app._notifications)
        assert app.session().current == app.session().saved


async def test_editing_keys_are_not_offered_while_someone_else_edits(tmp_path):
    from evaltui import locks

    folder = folder_with(tmp_path, ONE)
    other = locks.Owner("carol", "elsewhere", 4242, "2026-11-27T09:00:00", "t")
    assert locks.acquire(folder / ONE, other) is None
    async with running(folder) as (app, pilot):
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await settle(pilot)
        assert "carol@elsewhere" in str(app.query_one("#summary").render())
        line = bottom_line(app)
        assert "f8 下个问题" in line and not any(key in line for key in (*GRID_EDITING, "^s 保存")), line


async def test_a_file_read_only_by_its_mode_keeps_its_editing_keys(tmp_path):
    """chmod 444: the keys act (they ask first whether to edit it), so the footer offers them."""
    folder = folder_with(tmp_path, ONE)
    os.chmod(folder / ONE, 0o444)
    app = new_app(folder)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await loaded(pilot, app)
            await pilot.press("enter")
            await settle(pilot)
            assert all(key in bottom_line(app) for key in GRID_EDITING), bottom_line(app)
    finally:
        os.chmod(folder / ONE, 0o644)


async def test_the_review_footer_offers_enter_and_enter_opens(tmp_path):
    from evaltui.screens.review import ReviewScreen

    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        line = bottom_line(app)
        assert line.startswith(" ⏎ 打开  s 按此列排序"), line
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)
        assert app.current is not None and app.current.name == ONE
