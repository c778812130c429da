"""Hostile text as a person meets it: the installed ``evaltui`` opened in tmux (80x24) on a folder
holding an evaluation whose name, indicator, reason and file name hold ``ESC [2J``, an OSC 52
clipboard write, U+009B and U+202E. The screen is not cleared (the other file and the layout stay)
and the bytes the app writes to the terminal, captured by ``script``, hold none of them raw."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from app_helpers import ONE, folder_with
from conftest import TOOLS
from test_app_hostile import FILE, hostile

from evaltui import store

sys.path.insert(0, str(TOOLS))
tui = pytest.importorskip("tui", reason="tests/tools/tui.py is needed to drive tmux")

EVALTUI = shutil.which("evaltui", path=str(Path(sys.executable).parent))
pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("script") is None or EVALTUI is None,
    reason="needs tmux, script (util-linux) and the evaltui script")


@pytest.fixture
def keeper():
    """An idle tmux session, so that the server does not exit between panes."""
    subprocess.run(["tmux", "new-session", "-d", "-s", "evaltui-hostile-keeper", "sleep 600"], check=False)
    yield
    subprocess.run(["tmux", "kill-session", "-t", "evaltui-hostile-keeper"], check=False)


def test_a_hostile_name_neither_clears_the_screen_nor_writes_the_clipboard(tmp_path: Path, keeper):
    folder = folder_with(tmp_path, ONE)
    store.save(folder / FILE, hostile())
    stream = tmp_path / "terminal.raw"
    command = (f"cd {shlex.quote(str(folder))} && TERM=xterm-256color script -q -f "
               f"-c {shlex.quote(shlex.quote(EVALTUI) + ' .')} {shlex.quote(str(stream))}")
    pane = tui.Pane(command, 80, 24, env={"TERM": "xterm-256color"})
    try:
        assert pane.wait_for("专委会", timeout=30), pane.screen()
        assert pane.wait_for("\\u001b[2J", timeout=10), pane.screen()
        time.sleep(0.5)
        first = pane.screen()  # the sidebar, with both files
        pane.keys("Enter", *["Right"] * 8)  # the grid, then the reason in the detail line
        assert pane.wait_for("原因\\u001b[2J", timeout=10), pane.screen()
        time.sleep(0.5)
        screen = pane.screen()
        pane.keys("C-q")
        for _ in range(100):
            if pane.dead():
                break
            time.sleep(0.05)
    finally:
        pane.close()
    assert "专委会" in first and "自评表 2" in first, "the sidebar is not cleared:\n" + first
    lines = screen.splitlines()
    assert any("绩效指标" in line for line in lines), "the tabs are still there:\n" + screen
    assert "⏎ 编辑" in lines[-1] or "⏎ 编辑" in lines[-2], "the footer is still there:\n" + screen
    written = stream.read_bytes()
    assert written, "script captured the app's output"
    assert b"\x1b]52" not in written, "no OSC 52: the clipboard is not written"
    assert b"\x1b[2J" not in written.replace(b"\x1b[?1049h\x1b[2J", b""), "no clear screen but the app's own"
    assert "\u202e".encode() not in written and "\x9b".encode() not in written, "no raw C1 or bidi control"
