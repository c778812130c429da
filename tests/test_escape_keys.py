"""Escape followed at once by a key is read as escape, then that key (evaltui.terminal_input).

Textual's parser reads ESC j arriving together as alt+j, ESC 1 as ¡, ESC b as ctrl+left, ESC
backspace as ctrl+w. The app binds no alt key, so ESC followed by anything that does not start a
sequence is escape and then the key; real sequences (F8, arrows, F1 as SS3) are unchanged.
"""

from __future__ import annotations

import time

import pytest
from textual._xterm_parser import XTermParser

from evaltui.app import EvalApp
from evaltui.terminal_input import EscapeFirstParser


def keys(parser: XTermParser, data: str) -> list[str]:
    return [getattr(token, "key", None) or f"paste:{token.text}" for token in parser.feed(data)]


@pytest.mark.parametrize(("data", "expected", "textual_reads"), [
    ("\x1bj", ["escape", "j"], None),  # Textual: alt+j, after ESCDELAY
    ("\x1bJ", ["escape", "J"], None),
    ("\x1b1", ["escape", "1"], ["inverted_exclamation_mark"]),  # ¡
    ("\x1b中", ["escape", "中"], None),
    ("\x1b\r", ["escape", "enter"], None),
    ("\x1b\x7f", ["escape", "backspace"], ["ctrl+w"]),
    ("\x1bb", ["escape", "b"], ["ctrl+left"]),
    ("5\x1bj", ["5", "escape", "j"], ["5"]),
])
def test_escape_then_a_key_sent_together(data, expected, textual_reads):
    assert keys(EscapeFirstParser(), data) == expected
    if textual_reads is not None:
        assert keys(XTermParser(), data) == textual_reads  # what Textual's own parser makes of it


@pytest.mark.parametrize(("data", "expected"), [
    ("\x1b[19~", ["f8"]), ("\x1b[1;2S", ["shift+f4"]), ("\x1b[B", ["down"]), ("\x1bOP", ["f1"]),
    ("\x1b\x1b[B", ["escape", "down"]), ("\x1b[200~a b\x1b[201~x", ["paste:a b", "x"]),
])
def test_sequences_are_read_as_before(data, expected):
    assert keys(EscapeFirstParser(), data) == expected == keys(XTermParser(), data)


def test_a_newline_is_enter():
    """Keys typed before the app sets raw mode pass cooked mode, which turns enter's CR into LF."""
    assert keys(EscapeFirstParser(), "\x1b[B\x1b[B\n10\n") == ["down", "down", "enter", "1", "0", "enter"]
    assert keys(XTermParser(), "\n") == ["ctrl+j"]  # what Textual's own parser makes of it


def test_the_app_binds_no_ctrl_j():
    app = EvalApp(".")
    assert "ctrl+j" not in [binding.key for _title, bindings in app.help_sources() for binding in bindings]


def test_an_escape_inside_a_paste_stays_in_the_paste():
    """Textual reads it as the start of keys, sent ahead of the paste ("^[31mY" then "名X")."""
    assert keys(EscapeFirstParser(), "\x1b[200~名X\x1b[31mY\x1b[201~") == ["paste:名X\x9b[31mY"]
    parser = EscapeFirstParser()  # the same paste in pieces, the closing bracket cut in two
    pieces = ["\x1b[200~名X\x1b", "[31mY\x1b[2", "01~", "j"]
    assert [token for piece in pieces for token in keys(parser, piece)] == ["paste:名X\x9b[31mY", "j"]


def test_a_lone_escape_is_escape_after_the_delay():
    parser = EscapeFirstParser()
    assert keys(parser, "\x1b") == []
    time.sleep(0.15)
    assert [key.key for key in parser.tick()] == ["escape"]


def test_the_app_binds_no_alt_key():
    """Were one bound, ESC followed by its key would no longer reach it: terminal_input must learn it."""
    app = EvalApp(".")
    bound = [binding.key for _title, bindings in app.help_sources() for binding in bindings]
    assert bound and not [key for key in bound if "alt+" in key or "meta+" in key]
