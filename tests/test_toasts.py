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
        await pilot.press("enter", "ctrl+e")  # the problem list open beside the grid
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
