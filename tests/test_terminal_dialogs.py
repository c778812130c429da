"""Keys typed into a dialog the moment it opens, and escape followed at once by a key, in a real
terminal (tmux, 80x24), 20 times each.

A burst that opens the long-text editor and types at once, a key that opens the quit question
followed at once by its answer, and a new-evaluation name typed and confirmed with the next key
already on its way: every key acts where the keys before it left the app (screens/keys.py).
"""

from __future__ import annotations

import shlex
from decimal import Decimal
from pathlib import Path

from app_helpers import ONE, folder_with
from terminal_helpers import EVALTUI, app_pane, ended, needs_tmux, tmux_keeper

from evaltui import recovery, store

pytestmark = needs_tmux

RUNS = 20
FLOW = ("Enter", *["Right"] * 6, "Enter", "literal:10", "Enter")  # score 10 on the first indicator: 97.31
REASON = ("Enter", *["Right"] * 8)  # from the sidebar: the first indicator's 偏差原因分析及改进措施 (a long text)

keeper = tmux_keeper("evaltui-dialogs-keeper", 900)


def runs(folder: Path):
    """A fresh copy of the example and an app on it at 80x24, ``RUNS`` times; yields (run, pane)."""
    original = (folder / ONE).read_bytes()
    for run in range(1, RUNS + 1):
        (folder / ONE).write_bytes(original)
        recovery.remove(folder / ONE)
        with app_pane(f"cd {shlex.quote(str(folder))} && exec {shlex.quote(EVALTUI)} .") as pane:
            yield run, pane


def test_a_burst_that_opens_the_long_text_editor_types_into_it(tmp_path, keeper):
    """enter on a reason cell opens the long-text editor; the letters right behind it go into it,
    ctrl+s keeps the text and the next ctrl+s, on the main screen again, saves the file."""
    folder = folder_with(tmp_path, ONE)
    for run, pane in runs(folder):
        pane.burst(*REASON, "Enter", "x", "y", "z", "C-s", "C-s")
        assert pane.wait_for("已保存", timeout=15), f"run {run}:\n" + pane.screen()
        assert store.load(folder / ONE).indicators[0].reason == "xyz", f"run {run}:\n" + pane.screen()
        pane.keys("C-q")
        assert ended(pane), f"run {run}:\n" + pane.screen()


def test_the_quit_question_takes_the_answer_typed_with_it(tmp_path, keeper):
    """An edit, ctrl+q and the answer in one burst: d leaves without saving (no recovery file),
    s saves and leaves; alternately, 20 times."""
    folder = folder_with(tmp_path, ONE)
    for run, pane in runs(folder):
        answer = "s" if run % 2 else "d"
        pane.burst(*FLOW, "C-q", answer)
        assert ended(pane), f"run {run} ({answer}):\n" + pane.screen()
        score = store.load(folder / ONE).indicators[0].score
        assert score == (Decimal(10) if answer == "s" else Decimal("3.75")), f"run {run} ({answer})"
        assert not recovery.path_for(folder / ONE).exists(), f"run {run} ({answer})"


def test_a_new_evaluation_named_in_one_burst_is_made_before_the_next_key(tmp_path, keeper):
    """ctrl+n, the name, enter and ctrl+q in one burst: the evaluation is made (the prompt took
    the name and enter), then the app leaves (nothing unsaved, so without a question)."""
    folder = folder_with(tmp_path, ONE)
    for run, pane in runs(folder):
        name = f"新项目{run}"
        pane.burst("C-n", f"literal:{name}", "Enter", "C-q")
        assert ended(pane), f"run {run}:\n" + pane.screen()
        made = folder / f"{name}.toml"
        assert made.exists(), f"run {run}: {sorted(p.name for p in folder.iterdir())}"
        assert store.load(made).name == name


def test_escape_followed_at_once_by_a_key_is_escape_then_that_key(tmp_path, keeper):
    """Escape j and escape 7, each sent together (read by Textual as alt+j and as ¶): escape cancels
    the edit, j moves down, 7 starts editing the cell below; only that cell changes."""
    folder = folder_with(tmp_path, ONE)
    for run, pane in runs(folder):
        pane.burst("Enter", *["Right"] * 6, "Enter", "5", "Escape", "j", "Enter", "9", "Escape", "7", "Enter", "C-s")
        assert pane.wait_for("已保存", timeout=15), f"run {run}:\n" + pane.screen()
        scores = [i.score for i in store.load(folder / ONE).indicators[:2]]
        assert scores == [Decimal("3.75"), Decimal(7)], f"run {run}: {scores}\n" + pane.screen()
        pane.keys("C-q")
        assert ended(pane), f"run {run}:\n" + pane.screen()
