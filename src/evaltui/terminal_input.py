"""Escape followed at once by another key is escape, then that key.

A terminal sends alt+j as ESC j, the same two bytes as escape followed by j. Textual's input
parser (``textual._xterm_parser.XTermParser.parse``) collects the characters after an ESC
until they form a known sequence or ``ESCDELAY`` (100 ms) passes, and then
(``reissue_sequence_as_keys(..., process_alt=True)``) reports ESC + character as ``alt+j``;
some pairs are in its table as other keys (ESC 1 as ``¡``, ESC f / ESC b as ctrl+right /
ctrl+left, ESC backspace as ctrl+w). So a burst such as "escape j" — a person cancelling an
edit and moving on, delivered together over SSH or by a paste — became alt+j: the j was typed
into the editor instead of cancelling it.

This app binds no alt key (a test checks its help), so :class:`EscapeFirstParser` reads ESC
followed by any character that does not start an escape sequence (``[`` CSI, ``O`` SS3, and
the string sequences ``] P _ ^ X``) as escape, then that character's own key — at once, without
waiting for the delay. What it cannot change: ESC followed by ``[`` or ``O`` still starts a
sequence (escape then ``[`` typed together is read as one), and an ESC whose sequence arrives
more than ESCDELAY after it (a connection that stalls in the middle of an F-key's bytes) is
still escape followed by the rest as text; ``ESCDELAY`` (milliseconds) lengthens that wait.

A newline is read as enter. Keys typed before the app has put the terminal in raw mode (in the
moment between launching it and its first screen) pass the terminal's cooked mode, which turns
the enter key's carriage return into a newline (``ICRNL``); Textual read that as ctrl+j, so
"down down enter" typed at once after the command lost its enter. Nothing in the app binds
ctrl+j.

An ESC inside a paste is not the start of a key. Textual's parser, meeting ESC in a bracketed
paste, collects what follows as a key sequence and sends it as keys ahead of the paste:
"名X ESC [31m Y" arrived as the keys "^[31mY" typed before the pasted "名X". Here an ESC
between the paste's brackets reaches the parser as another control character (C1 CSI), which
the app's fields remove from a paste and say so, as for any control character.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser

ESC = "\x1b"
INTRODUCERS = frozenset("[O]P_^X" + ESC)  # what may follow ESC inside one sequence
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"
PASTED_ESC = "\x9b"  # a control character too, but none that starts a sequence for the parser


class EscapeFirstParser(XTermParser):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._in_paste = False
        self._kept = ""  # the end of a chunk that may be the start of the paste's closing bracket

    def feed(self, data: str):
        return super().feed(self._escapes_pasted(data))

    def _escapes_pasted(self, data: str) -> str:
        """``data`` with every ESC between a paste's brackets replaced by :data:`PASTED_ESC`."""
        data, self._kept = self._kept + data, ""
        out: list[str] = []
        at = 0
        while at < len(data):
            if not self._in_paste:
                start = data.find(PASTE_START, at)
                if start < 0:
                    out.append(data[at:])
                    break
                out.append(data[at:start + len(PASTE_START)])
                at, self._in_paste = start + len(PASTE_START), True
                continue
            end = data.find(PASTE_END, at)
            if end < 0:
                rest = data[at:]
                keep = next((n for n in range(min(len(rest), len(PASTE_END) - 1), 0, -1)
                             if PASTE_END.startswith(rest[-n:])), 0)
                out.append(rest[:len(rest) - keep].replace(ESC, PASTED_ESC))
                self._kept = rest[len(rest) - keep:]
                break
            out.append(data[at:end].replace(ESC, PASTED_ESC) + PASTE_END)
            at, self._in_paste = end + len(PASTE_END), False
        return "".join(out)

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if sequence == "\n":
            yield events.Key("enter", "\r")
            return
        if len(sequence) == 2 and sequence[0] == ESC and sequence[1] not in INTRODUCERS:
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence[1])
            return
        yield from super()._sequence_to_key_events(sequence, alt)


def use_escape_first(driver_class: type) -> type:
    """Make Textual's Linux driver read keys with :class:`EscapeFirstParser`; returns ``driver_class``."""
    from textual.drivers import linux_driver

    if issubclass(driver_class, linux_driver.LinuxDriver):
        linux_driver.XTermParser = EscapeFirstParser  # type: ignore[misc]  # the name run_input_thread builds
    return driver_class
