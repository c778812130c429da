"""The one gate for text shown: control characters made visible, never sent to a terminal.

Text from a file, a document, a file name, a TOML key or a setting may hold terminal control
sequences: ``ESC [2J`` clears the screen, ``ESC ] 52`` writes the reader's clipboard, U+009B
is a one-character CSI, U+202E turns the rest of a line around. Every such string passes
:func:`visible` before it reaches a terminal (the app, ``check``'s table, every stderr line).

Each character that is not safe to send is written as a backslash escape of its code point,
``\\u001b`` for ESC (all of them are in the BMP). The escape is plain ASCII, one cell per character, and it is the same text that
JSON uses, so ``check --json`` (see :func:`escape_json`) and the human output agree.

Made visible: C0 controls (U+0000–U+001F; tab and line feed too unless kept), DEL (U+007F),
C1 controls (U+0080–U+009F), the bidirectional controls (U+061C, U+200E, U+200F,
U+202A–U+202E, U+2066–U+2069), the line and paragraph separators (U+2028, U+2029) and lone
surrogates (undecodable bytes of a file name), which a terminal cannot print.

No imports beyond ``re``: every command and the app can use it cheaply.
"""

from __future__ import annotations

import re

_BIDI_AND_SEPARATORS = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}\ud800-\udfff]")
_UNSAFE_KEEP_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}\ud800-\udfff]")
# What json.dumps(ensure_ascii=False) leaves raw: it escapes C0 itself.
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{_BIDI_AND_SEPARATORS}\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def visible(text: object, *, lines: bool = False) -> str:
    """``text`` with every control character shown as ``\\uXXXX``.

    With ``lines``, tab and line feed stay (a multi-line reason shown as several lines);
    otherwise they are escaped too, so the result is always one line.
    """
    text = str(text)
    return (_UNSAFE_KEEP_LINES if lines else _UNSAFE).sub(_escape, text)


def is_safe(text: str) -> bool:
    """True when ``text`` needs no change to be shown on one line."""
    return _UNSAFE.search(text) is None


def escape_json(json_text: str) -> str:
    """JSON made by ``json.dumps(..., ensure_ascii=False)`` with DEL, C1, bidi controls,
    separators and lone surrogates escaped as well; the data it decodes to is unchanged."""
    return _UNSAFE_IN_JSON.sub(_escape, json_text)


def without_controls(text: str, *, lines: bool = False) -> str:
    """``text`` with every control character removed: what an editor takes from a paste
    (with ``lines``, tab and line feed stay)."""
    return (_UNSAFE_KEEP_LINES if lines else _UNSAFE).sub("", text)
