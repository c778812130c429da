"""The grid as a person reads and types it, in a real terminal (tmux) at 80x24 and 160x50.

The whole text of the cell under the cursor, typing a number on a cell, f8 over the
problems errors first, marks that survive NO_COLOR, and a folded sidebar that stays folded.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, TOOLS

sys.path.insert(0, str(TOOLS))
tui = pytest.importorskip("tui", reason="tests/tools/tui.py is needed to drive tmux")

EVALTUI = shutil.which("evaltui", path=str(Path(sys.executable).parent))
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None or EVALTUI is None, reason="needs tmux and the evaltui script")

FIRST = "2024年度人大代表联络处及代表活动经费.toml"  # first by name; 考察费用 has the target ≦人均6000元
SIZES = [(80, 24), (160, 50)]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The first example, with 市代表培训 scored 25 of 20: one error among its warnings."""
    folder = tmp_path / "forms"
    folder.mkdir()
    text = (EXAMPLES / FIRST).read_text(encoding="utf-8")
    first, rest = text.split("score = 20\n", 1)
    (folder / FIRST).write_text(first + "score = 25\n" + rest, encoding="utf-8")
    return folder


def open_pane(folder: Path, size: tuple[int, int], **env: str) -> tui.Pane:
    pane = tui.Pane(f"{EVALTUI} {folder}", *size, env={"TERM": "xterm-256color", **env})
    assert pane.wait_for("总分", timeout=30), pane.screen()
    assert pane.wait_for("人大代表", timeout=30), pane.screen()
    time.sleep(0.5)
    return pane


def wait(pane: tui.Pane, text: str) -> str:
    assert pane.wait_for(text, timeout=10), pane.screen()
    return pane.screen()


@pytest.mark.parametrize("size", SIZES)
def test_the_cursor_on_a_cut_target_shows_its_whole_text(folder, size):
    pane = open_pane(folder, size)
    try:
        pane.keys("Enter", "Right", "Right", "Right", "Down", "Down", "Down")
        screen = wait(pane, "年度指标值：≦人均6000元")
        if size == (80, 24):  # the cell itself is cut, and says so
            assert "≦人均60…" in screen and "≦人均600 " not in screen
    finally:
        pane.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_digit_typed_on_a_score_opens_the_editor_holding_it(folder, size):
    pane = open_pane(folder, size)
    try:
        pane.keys("Enter", *["Right"] * 6, "literal:2")
        screen = wait(pane, "编辑 得分")
        assert any(part.strip() == "2" for line in screen.splitlines() for part in line.split("│")), screen
        pane.keys("Enter")
        wait(pane, "总分 42.71")  # 65.71 with 市代表培训 at 25; at 2 it is 23 less
    finally:
        pane.close()


@pytest.mark.parametrize("size", SIZES)
def test_f8_walks_the_problems_errors_first(folder, size):
    pane = open_pane(folder, size)
    try:
        pane.keys("Enter")
        wait(pane, "一级指标：产出指标")  # the detail line: the grid has the cursor
        pane.keys("F8")
        wait(pane, "得分：25")
        screen = pane.screen()
        detail = [line for line in screen.splitlines() if "得分：25" in line]
        assert detail, screen  # the cursor is on the error's cell: 得分 of 市代表培训
        pane.keys("F8")
        screen = wait(pane, "⚠ 警告")
        assert "超过分值" not in screen.split("⚠ 警告")[0].splitlines()[-1]
        pane.keys("S-F8")
        wait(pane, "超过分值 20")
    finally:
        pane.close()


@pytest.mark.parametrize("size", SIZES)
def test_with_no_color_a_warning_cell_is_marked_by_a_symbol_and_a_style(folder, size):
    pane = open_pane(folder, size, NO_COLOR="1")
    try:
        pane.keys("Enter")
        screen = wait(pane, "⚠ 0.00")  # 考察人数 scored 0 where the rules say 10
        styled = pane.styled_screen()
        line = next(line for line in styled.splitlines() if "⚠ 0.00" in line)
        assert re.search(r"\x1b\[[0-9;]*\b4\b[0-9;]*m[^\x1b]*⚠", line) or "\x1b[4m" in line, repr(line)
        assert "✗ 25.00" in screen  # the error cell: its own symbol
    finally:
        pane.close()


def wait_until(pane: tui.Pane, test, timeout: float = 15) -> str:
    """The screen once ``test(screen)`` holds (or the last screen read, when it never did)."""
    end = time.monotonic() + timeout
    screen = pane.screen()
    while not test(screen) and time.monotonic() < end:
        time.sleep(0.05)
        screen = pane.screen()
    return screen


def test_after_the_palette_closes_at_80x24_the_sidebar_stays_folded(folder):
    pane = open_pane(folder, (80, 24))
    try:
        assert "自评表 1" in pane.screen()
        pane.keys("Enter")
        screen = wait_until(pane, lambda s: "自评表 1" not in s and "一级指标：" in s)
        assert "自评表 1" not in screen, screen
        pane.keys("C-p")
        wait(pane, "搜索命令")  # the palette is open
        pane.keys("Escape")
        screen = wait_until(pane, lambda s: "搜索命令" not in s)  # and closed again
        assert "搜索命令" not in screen, screen
        assert "自评表 1" not in screen and "三级指标" in screen, screen
    finally:
        pane.close()
