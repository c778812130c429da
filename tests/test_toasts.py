"""Toasts keep every Chinese character where they lie over the problem list and the status panel.

The cause (widgets/compositor.py): the compositor cut each line at the edges of the widgets
under a toast and a wide character cut in two became two spaces (``文件    在``). Checked
through the compositor (Pilot) and in a real terminal (tmux), where partial updates are
written while the toast is up.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest
from app_helpers import examples_copy, loaded, new_app
from conftest import TOOLS
from rich.segment import Segment
from textual.strip import Strip

from evaltui.screens.main import NARROW_WIDTH
from evaltui.widgets.compositor import whole_characters

MESSAGE = "文件不存在：区代表年度培训服务（请检查路径）存在或不存在都会说明"


SCROLLBAR = "▁▂▃▄▅▆▇█▉▊▋▍▎▏"  # the problem list's scrollbar shows in the last column, beside the toast


def toast_text(lines: list[str]) -> str:
    return "".join(line.split("▌")[-1].strip().rstrip(SCROLLBAR) for line in lines if "▌" in line).replace(" ", "")


def test_a_span_never_ends_inside_a_wide_character():
    line = Strip([Segment("ab文件不存在")])
    assert whole_characters(line, 2) == 2
    assert whole_characters(line, 3) == 4  # 文 takes cells 2 and 3
    assert whole_characters(line, 4) == 4
    assert whole_characters(line, 5) == 6


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 50)])
async def test_a_toast_over_the_status_panel_keeps_its_characters(tmp_path, size):
    app = new_app(examples_copy(tmp_path))
    async with app.run_test(size=size, notifications=True) as pilot:
        await loaded(pilot, app)
        await pilot.press("enter")
        if size[0] < NARROW_WIDTH:
            await pilot.press("ctrl+e")  # the problem list open beside the grid (shown anyway when wide)
        for shift in range(4):  # the toast's edge meets the panel's edges at different cells
            app.notify(MESSAGE + "，" * shift, timeout=30)
            await pilot.pause(0.3)
            lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
            assert MESSAGE in toast_text(lines), (shift, [line for line in lines if "▌" in line])
            app.clear_notifications()
            await pilot.pause(0.1)


sys.path.insert(0, str(TOOLS))
EVALTUI = shutil.which("evaltui", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(shutil.which("tmux") is None or EVALTUI is None, reason="needs tmux and the evaltui script")
@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_in_a_terminal_a_toast_keeps_its_characters_while_the_screen_changes_under_it(tmp_path, size):
    import tui

    folder = examples_copy(tmp_path)
    pane = tui.Pane(f"{EVALTUI} {folder}", *size, env={"TERM": "xterm-256color"})
    try:
        assert pane.wait_for("总分", timeout=30), pane.screen()
        pane.keys("Enter", "C-e", "Escape", *["Right"] * 7, "Enter")  # 建议 cannot be edited: a toast says why
        assert pane.wait_for("不能编辑", timeout=10), pane.screen()
        for key in ("Down", "Down", "Up"):  # the grid and the status panel redraw under the toast
            pane.keys(key)
            time.sleep(0.4)
            text = toast_text(pane.screen().splitlines())
            assert "建议得分由规则计算，不能编辑；按s采用建议得分" in text, pane.screen()
    finally:
        pane.close()


def _shown(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_same_message_again_is_counted_on_one_toast_and_toasts_keep_off_a_dialogs_buttons(tmp_path):
    """Six ctrl+z with nothing to undo: one toast 没有可撤销的修改（×6）, not six stacked; at 80x24
    the toasts then up stand clear of the buttons of the quit question that opens over them."""
    from textual.widgets import Button
    from textual.widgets._toast import Toast, ToastRack

    from evaltui.screens.dialogs import QuitScreen

    app = new_app(examples_copy(tmp_path))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot, app)
        await pilot.press(*["ctrl+z"] * 6)
        await pilot.pause()
        assert _shown(app) == ["没有可撤销的修改（×6）"], _shown(app)
        assert len(app.screen.query(Toast)) == 1
        app.notify("另一条消息", timeout=30)
        app.notify("第三条消息：文件名很长很长很长很长很长很长很长很长很长很长很长很长很长很长", timeout=30)
        await pilot.pause()
        app.push_screen(QuitScreen(["甲", "乙"]))
        for _ in range(3):
            await pilot.pause(0.1)
        screen = app.screen

        def on_top(x: int, y: int) -> type:  # what is drawn at a cell (the toasts clipped to their rack)
            return type(screen.get_widget_at(x, y)[0])

        buttons = list(screen.query(Button))
        assert buttons and all(b.region.height for b in buttons)
        for button in buttons:
            r = button.region
            assert all(on_top(x, y) is not Toast for x in range(r.x, r.right) for y in range(r.y, r.bottom)), r
        assert any(on_top(t.region.x + 2, t.region.y + 1) is Toast for t in screen.query(Toast)), "a toast is still shown"
        under = app._main.get_child_by_type(ToastRack)
        assert not under.display, "the toasts of the screen under the dialog are not shown twice"
        await pilot.press("c")  # cancel: back on the main screen, its toasts are back
        for _ in range(3):
            await pilot.pause(0.1)
        assert app.screen is app._main and under.display and len(app.screen.query(Toast)) == 3


async def test_the_importing_toast_goes_when_the_import_ends(tmp_path):
    from conftest import FIXTURES

    from app_helpers import import_file

    folder = tmp_path / "new"
    folder.mkdir()
    app = new_app(folder)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot, app)
        await import_file(pilot, app, FIXTURES / "seed-2024.docx")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith("已导入 9 份") for m in _shown(app)), _shown(app)
        assert not any("正在导入" in m for m in _shown(app)), _shown(app)
        bad = tmp_path / "坏.docx"
        bad.write_bytes(b"not a document")
        await import_file(pilot, app, bad)  # refused by the reader: its reason, and the toast goes
        await pilot.pause()
        assert any("坏.docx" in m for m in _shown(app)), _shown(app)
        assert not any("正在导入" in m for m in _shown(app)), [m for m in _shown(app) if "正在导入" in m]


async def test_a_toast_leaves_the_lines_under_the_grid_and_the_footer_visible_at_80x24(tmp_path):
    """The cell editor's refusal, the cell's text and its problems are under the grid; a toast
    over them hid the reason a value was refused (new-user pass)."""
    from textual.widgets._toast import Toast

    app = new_app(examples_copy(tmp_path))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot, app)
        await pilot.press("enter", *["right"] * 6, "5", "x", "enter")  # 得分: refused, the reason in the editor
        app.notify("已保存 一个相当长的文件名，足以占两行的提示文字.toml", markup=False)
        await pilot.pause()
        toasts = [toast.region for toast in app.screen.query(Toast)]
        cell = app.query_one("#cell").region
        assert toasts and all(not region.overlaps(cell) for region in toasts), (toasts, cell)
        assert all(region.bottom <= cell.y for region in toasts)
