"""Keys typed while the app starts reach it as typed (evaltui.launch.keys_kept_while_starting).

Until Textual sets the terminal's mode the terminal is in cooked mode: it swallows ctrl+s (XOFF),
turns enter into a newline and holds a line until enter. The command sets the app's mode before
its slow imports and puts the terminal's own mode back afterwards.
"""

from __future__ import annotations

import os
import select
import sys
import termios

from evaltui.launch import keys_kept_while_starting


def typed_through(slave: int, master: int, data: bytes) -> bytes:
    os.write(master, data)
    got = b""
    while select.select([slave], [], [], 0.5)[0]:
        got += os.read(slave, 1024)
    return got


def test_keys_typed_while_starting_arrive_as_typed_and_the_mode_is_put_back(monkeypatch):
    master, slave = os.openpty()
    try:
        with os.fdopen(os.dup(slave), "r") as tty_in:
            monkeypatch.setattr(sys, "stdin", tty_in)
            before = termios.tcgetattr(slave)
            assert typed_through(slave, master, b"a\x13b\r") == b"ab\n"  # cooked: ctrl+s gone, enter a newline
            with keys_kept_while_starting():
                assert typed_through(slave, master, b"\x1b[B\r5\r\x13") == b"\x1b[B\r5\r\x13"
            assert termios.tcgetattr(slave) == before
    finally:
        os.close(master)
        os.close(slave)


def test_without_a_terminal_nothing_is_changed(monkeypatch, tmp_path):
    with open(tmp_path / "in", "w+") as not_a_tty:
        monkeypatch.setattr(sys, "stdin", not_a_tty)
        with keys_kept_while_starting():
            pass
