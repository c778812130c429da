"""Hostile text as a person meets it: the installed ``evaltui`` opened in tmux (80x24) on a folder
holding an evaluation whose name, indicator, reason and file name hold ``ESC [2J``, an OSC 52
clipboard write, U+009B and U+202E. The screen is not cleared (the other file and the layout stay)
and the bytes the app writes to the terminal, captured by ``script``, hold none of them raw."""

from __future__ import annotations

import shlex
import shutil
import time
from pathlib import Path

import pytest
from app_helpers import ONE, folder_with
from terminal_helpers import EVALTUI, app_pane, ended, needs_tmux, tmux_keeper
from test_app_hostile import FILE, hostile

from evaltui import store

pytestmark = [needs_tmux, pytest.mark.skipif(shutil.which("script") is None, reason="needs script (util-linux)")]
keeper = tmux_keeper("evaltui-hostile-keeper")


def test_a_hostile_name_neither_clears_the_screen_nor_writes_the_clipboard(tmp_path: Path, keeper):
    folder = folder_with(tmp_path, ONE)
    store.save(folder / FILE, hostile())
    stream = tmp_path / "terminal.raw"
    command = (f"cd {shlex.quote(str(folder))} && TERM=xterm-256color script -q -f "
               f"-c {shlex.quote(shlex.quote(EVALTUI) + ' .')} {shlex.quote(str(stream))}")
    with app_pane(command) as pane:
        assert pane.wait_for("\\u001b[2J", timeout=10), pane.screen()
        time.sleep(0.5)
        first = pane.screen()  # the sidebar, with both files
        pane.keys("Enter", *["Right"] * 8)  # the grid, then the reason in the detail line
        assert pane.wait_for("原因\\u001b[2J", timeout=10), pane.screen()
        pane.wait_for("⏎ 编辑", timeout=10)  # the footer follows the focus after a paint (asserted below)
        screen = pane.screen()
        pane.keys("C-q")
        ended(pane, 5)
    assert "专委会" in first and "自评表 2" in first, "the sidebar is not cleared:\n" + first
    lines = screen.splitlines()
    assert any("绩效指标" in line for line in lines), "the tabs are still there:\n" + screen
    assert "⏎ 编辑" in lines[-1] or "⏎ 编辑" in lines[-2], "the footer is still there:\n" + screen
    written = stream.read_bytes()
    assert written, "script captured the app's output"
    assert b"\x1b]52" not in written, "no OSC 52: the clipboard is not written"
    assert b"\x1b[2J" not in written.replace(b"\x1b[?1049h\x1b[2J", b""), "no clear screen but the app's own"
    assert "\u202e".encode() not in written and "\x9b".encode() not in written, "no raw C1 or bidi control"
