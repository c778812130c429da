"""Helpers for the tests that drive the installed ``evaltui`` in tmux with tests/tools/tui.py.

A test module that imports this is skipped where tests/tools/tui.py cannot be imported; it
marks itself with ``pytestmark = needs_tmux`` (tmux and the evaltui script).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import TOOLS

sys.path.insert(0, str(TOOLS))
tui = pytest.importorskip("tui", reason="tests/tools/tui.py is needed to drive tmux")

EVALTUI = shutil.which("evaltui", path=str(Path(sys.executable).parent))
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None or EVALTUI is None, reason="needs tmux and the evaltui script")


def tmux_keeper(name: str, seconds: int = 600):
    """A fixture: an idle tmux session ``name``, so that the server does not exit between panes."""

    @pytest.fixture
    def keeper():
        subprocess.run(["tmux", "new-session", "-d", "-s", name, f"sleep {seconds}"], check=False)
        yield
        subprocess.run(["tmux", "kill-session", "-t", name], check=False)

    return keeper


@contextmanager
def app_pane(command: str, size: tuple[int, int] = (80, 24), *, wait: str | None = "专委会", timeout: float = 30,
             term: str = "xterm-256color") -> Iterator[tui.Pane]:
    """A tmux pane running ``command`` at ``size``, once ``wait`` shows (the first screen); closed after."""
    pane = tui.Pane(command, *size, env={"TERM": term})
    try:
        if wait is not None:
            assert pane.wait_for(wait, timeout=timeout), pane.screen()
        yield pane
    finally:
        pane.close()


def ended(pane: tui.Pane, timeout: float = 15) -> bool:
    """Whether the app in ``pane`` has left within ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pane.dead():
            return True
        time.sleep(0.05)
    return False
