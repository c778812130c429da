"""The app in a real terminal: tmux at 80x24, and the same over ``ssh -tt`` to a loopback sshd.

These drive the installed ``evaltui`` with tests/tools/tui.py (a copy of ../shared/tools/tui.py) as a person would. They
are skipped where tmux (or sshd) is missing; .ci/run installs both when it can.
"""

from __future__ import annotations

import shlex
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest
from app_helpers import ONE, folder_with
from terminal_helpers import EVALTUI, app_pane, ended, needs_tmux, tmux_keeper, tui

from evaltui import store

pytestmark = needs_tmux
keeper = tmux_keeper("evaltui-test-keeper")


def drive(command: str, folder: Path, term: str = "xterm-256color") -> None:
    """enter, six times right, enter, 10, enter → 97.31; ctrl+z → 91.06; ctrl+y; ctrl+s writes it."""
    with app_pane(command, timeout=20, term=term) as pane:
        time.sleep(0.5)
        pane.keys("Enter", *["Right"] * 6, "Enter")
        time.sleep(0.3)
        pane.keys("literal:10", "Enter")
        assert pane.wait_for("97.31", timeout=10), pane.screen()
        pane.keys("C-z")
        assert pane.wait_for("91.06", timeout=10), pane.screen()
        pane.keys("C-y")
        assert pane.wait_for("97.31", timeout=10), pane.screen()
        pane.keys("C-s")
        assert pane.wait_for("已保存", timeout=10), pane.screen()
        pane.keys("C-q")
        time.sleep(0.5)
    text = (folder / ONE).read_text(encoding="utf-8")
    first = text.split("[[indicators]]")[1]
    assert "score = 10\n" in first


FLOW = ("Enter", *["Right"] * 6, "Enter", "literal:10", "Enter")  # docs: score 10 on the first indicator
FIVE_CELLS = (  # from the score of row 1: scores of rows 2-5, then 实际完成值 of row 5, then back
    "Down", "Enter", "literal:1", "Enter", "Down", "Enter", "literal:2", "Enter",
    "Down", "Enter", "literal:3", "Enter", "Down", "Enter", "literal:4", "Enter",
    "Left", "Left", "Enter", "literal:100%", "Enter",
)


def burst_first_screen(command: str, folder: Path, runs: int, five: bool = False, at_launch: bool = False) -> None:
    """The documented flow as one burst the moment the first screen shows (or, ``at_launch``,
    the moment the command starts), ``runs`` times: the total must read 97.31 every time (and
    the five-cell burst must land where it was aimed)."""
    original = (folder / ONE).read_bytes()
    for run in range(runs):
        (folder / ONE).write_bytes(original)
        with app_pane(command, wait=None if at_launch else "专委会") as pane:
            pane.burst(*FLOW)
            assert pane.wait_for("97.31", timeout=15), f"run {run + 1}:\n" + pane.screen()
            if five:
                pane.burst(*FIVE_CELLS, "C-s")
                assert pane.wait_for("已保存", timeout=15), f"run {run + 1}:\n" + pane.screen()
                ev = store.load(folder / ONE)
                assert [i.score for i in ev.indicators[:5]] == [Decimal(10), 1, 2, 3, 4], f"run {run + 1}"
                assert ev.indicators[4].actual == "100%", f"run {run + 1}"
            pane.keys("C-q")
            if five:
                time.sleep(0.3)
            else:
                assert pane.wait_for("退出前要保存吗", timeout=10), pane.screen()
                pane.keys("d")
            ended(pane, 5)


def test_the_documented_flow_as_one_burst_at_the_first_screen(tmp_path, keeper):
    folder = folder_with(tmp_path, ONE)
    burst_first_screen(f"cd {shlex.quote(str(folder))} && {shlex.quote(EVALTUI)} .", folder, runs=20)


def test_the_documented_flow_typed_as_the_command_starts(tmp_path, keeper):
    """Typed before the terminal is in raw mode: the enters pass cooked mode as newlines."""
    folder = folder_with(tmp_path, ONE)
    burst_first_screen(f"cd {shlex.quote(str(folder))} && {shlex.quote(EVALTUI)} .", folder, runs=10, at_launch=True)


def test_a_save_typed_as_the_command_starts_is_done_and_the_terminal_is_put_back(tmp_path, keeper):
    """The burst with ctrl+s sent as soon as the terminal leaves cooked mode (with this command,
    before Textual is imported: tests/test_launch_mode.py shows what cooked mode did to it) is
    saved, and after the app the terminal's mode is as it was before (stty shows it). Keys that
    reach the terminal before the command runs at all are still the shell's."""
    folder = folder_with(tmp_path, ONE)
    original = (folder / ONE).read_bytes()
    modes = tmp_path / "modes"
    command = (f"cd {shlex.quote(str(folder))} && stty -a > {modes}.before && {shlex.quote(EVALTUI)} . ; "
               f"stty -a > {modes}.after; sleep 5")
    for run in range(3):
        (folder / ONE).write_bytes(original)
        with app_pane(command, wait=None) as pane:
            tty = tui.tmux("display-message", "-p", "-t", pane.name, "#{pane_tty}").strip()
            for _ in range(400):  # the command has set the terminal's mode; Textual is not up yet
                mode = subprocess.run(["stty", "-F", tty, "-a"], capture_output=True, text=True).stdout
                if "-icanon" in mode.split():
                    break
                time.sleep(0.005)
            pane.burst(*FLOW, "C-s")
            assert pane.wait_for("已保存", timeout=20), f"run {run + 1}:\n" + pane.screen()
            pane.keys("C-q")
            for _ in range(100):
                if Path(f"{modes}.after").exists():
                    break
                time.sleep(0.05)
        assert store.load(folder / ONE).indicators[0].score == Decimal(10), f"run {run + 1}"
        assert Path(f"{modes}.after").read_text() == Path(f"{modes}.before").read_text(), f"run {run + 1}"
        Path(f"{modes}.after").unlink()


def test_five_cells_in_one_burst_mid_session(tmp_path, keeper):
    folder = folder_with(tmp_path, ONE)
    burst_first_screen(f"cd {shlex.quote(str(folder))} && {shlex.quote(EVALTUI)} .", folder, runs=5, five=True)


@pytest.mark.parametrize("term", ["xterm-256color", "screen-256color"])
def test_edit_undo_redo_save_in_tmux(tmp_path, keeper, term):
    folder = folder_with(tmp_path, ONE)
    drive(f"cd {shlex.quote(str(folder))} && TERM={term} {shlex.quote(EVALTUI)} .", folder, term)


def test_edit_undo_redo_save_over_ssh(tmp_path, keeper, sshd):
    folder = folder_with(tmp_path, ONE)
    remote = f"cd {shlex.quote(str(folder))} && TERM=xterm-256color {shlex.quote(EVALTUI)} ."
    drive(f"{sshd} {shlex.quote(remote)}", folder)


def test_bursts_over_ssh(tmp_path, keeper, sshd):
    folder = folder_with(tmp_path, ONE)
    remote = f"cd {shlex.quote(str(folder))} && TERM=xterm-256color {shlex.quote(EVALTUI)} ."
    burst_first_screen(f"{sshd} {shlex.quote(remote)}", folder, runs=20)
    burst_first_screen(f"{sshd} {shlex.quote(remote)}", folder, runs=3, five=True)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "SIGKILL"])
def test_unsaved_edits_survive_a_signal_and_come_back_with_r(tmp_path, keeper, how):
    """kill -9, a dropped connection (SIGHUP) or SIGTERM with an unsaved edit: the next open offers 恢复, r brings it back."""
    import os
    import signal

    folder = folder_with(tmp_path, ONE)
    command = f"cd {shlex.quote(str(folder))} && exec {shlex.quote(EVALTUI)} ."
    with app_pane(command) as pane:
        pane.burst(*FLOW)
        assert pane.wait_for("97.31", timeout=15), pane.screen()
        time.sleep(1.2)  # the recovery file is written within a second of the edit
        pid = int(tui.tmux("display-message", "-p", "-t", pane.name, "#{pane_pid}").strip())
        os.kill(pid, getattr(signal, how))
        assert ended(pane, 10), pane.screen()
    assert store.load(folder / ONE).indicators[0].score == Decimal("3.75"), "nothing was saved"
    with app_pane(command, wait="恢复") as pane:
        pane.keys("r")
        assert pane.wait_for("97.31", timeout=15), pane.screen()
        pane.keys("C-s")
        assert pane.wait_for("已保存", timeout=10), pane.screen()
        pane.keys("C-q")
    assert store.load(folder / ONE).indicators[0].score == Decimal(10)
