"""Text from files is data, never markup, and never terminal control: every widget shows it
through these helpers.

Two rules meet here. A name like ``[/bold]`` shows as typed (Rich ``Text``, never markup), and
a name holding ``ESC [2J`` or an OSC 52 sequence shows as ``\\u001b[2J`` instead of clearing the
screen or writing the clipboard (:func:`evaltui.visible.visible`, the one gate for text shown).
:func:`t` and :func:`cell` build gated text; :func:`gate` gates a ``Text`` assembled by hand
(its styles kept); :class:`Shown` is a ``Static`` that gates whatever it is given, so a widget
built from it cannot forget.
"""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.widgets import Static

from evaltui.numbers import plain
from evaltui.visible import is_safe, visible


def t(value: object, style: str = "") -> Text:
    """A Rich Text that shows ``value`` exactly as typed: ``[/bold]`` stays ``[/bold]``, ESC shows as ``\\u001b``."""
    if value is None:
        return Text("", style=style)
    if isinstance(value, Decimal):
        return Text(plain(value), style=style)
    if isinstance(value, Text):
        return gate(value)
    return Text(visible(value, lines=True), style=style)


def cut_middle(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, its middle replaced by … when it is longer: the end
    of a file name (``（副本）.toml``, `` (2).toml``) is what tells two files apart, so the end
    keeps three quarters of the room."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    if width < 2:
        return "…"[:width]
    head_width = max(1, (width - 1) // 4)
    tail_width = width - 1 - head_width
    head, tail = "", ""
    for char in text:
        if cell_len(head + char) > head_width:
            break
        head += char
    for char in reversed(text):
        if cell_len(char + tail) > tail_width:
            break
        tail = char + tail
    return head + "…" + tail


def _safe_lines(text: str) -> bool:
    return is_safe(text.replace("\n", "").replace("\t", ""))


def gate(text: Text) -> Text:
    """``text`` with every control character shown as ``\\uXXXX``, its styles and settings kept.

    Text without such characters is returned as it is (the common case costs one scan)."""
    if _safe_lines(text.plain):
        return text
    cuts = sorted({offset for span in text.spans for offset in (span.start, span.end)} - {0, len(text)})
    result = text.blank_copy()
    for piece in text.divide(cuts):
        shown = Text(visible(piece.plain, lines=True))
        for span in piece.spans:
            shown.stylize(span.style)
        result.append_text(shown)
    return result


def one_line(value: str, limit: int = 0) -> str:
    """Line breaks shown as ⏎ so a long text fits one grid cell."""
    text = value.replace("\n", " ⏎ ")
    return text if not limit or len(text) <= limit else text[: limit - 1] + "…"


def show(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    return plain(value) if isinstance(value, Decimal) else value


def cell(value: object, style: str = "") -> Text:
    """A grid cell: one line that ends in ``…`` where the column cuts it, never silently shortened."""
    text = t(value, style)
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


def shown(content: object) -> object:
    """What a widget may be given: a string or ``Text`` gated, anything else (a Rich table of
    the app's own text) as it is."""
    if isinstance(content, (str, Text)):
        return t(content)
    return content


def text_key(text: Text) -> tuple:
    """What a Text shows, as a key: its characters, spans and settings (Rich's ``==`` looks at
    the characters and spans alone, not the style of the whole)."""
    return (text.plain, tuple(text.spans), text.style, text.justify, text.overflow, text.no_wrap, text.end)


def same_content(one: object, other: object) -> bool:
    if isinstance(one, Text) and isinstance(other, Text):
        return text_key(one) == text_key(other)
    return isinstance(one, str) and isinstance(other, str) and one == other


class Shown(Static):
    """A ``Static`` for text from files: never markup, every control character made visible."""

    def __init__(self, content: object = "", **kwargs) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(shown(content), **kwargs)  # type: ignore[arg-type]

    def update(self, content: object = "", **kwargs) -> None:  # type: ignore[override]
        super().update(shown(content), **kwargs)  # type: ignore[arg-type]

    def update_in_place(self, content: object) -> None:
        """Update; lay the screen out again only when the text now takes another number of
        lines (a layout repaints the whole screen; a repaint of these lines is all else needs).
        The same text again draws nothing."""
        content = shown(content)
        if same_content(content, self.content):
            return
        super().update(content, layout=False)  # type: ignore[arg-type]
        width, height = self.content_size
        if not width:
            self.refresh(layout=True)
            return
        lines = self.get_content_height(self.container_size, self.app.size, width)
        cap = self.styles.max_height
        if cap is not None:
            lines = min(lines, int(cap.resolve(self.container_size, self.app.size)) - self.styles.gutter.height)
        if lines != height:
            self.refresh(layout=True)
