"""Text that wraps as Chinese is set: between any two characters, never by whole runs.

Textual and Rich wrap at spaces: a run of Chinese is one "word" to them, so
``有 1 份自评表未保存：……`` breaks after ``有 1`` and the run goes to the next line whole.
Here a line may break between two Chinese characters, after a space, and wherever a long
word has to be folded; never before closing punctuation (、，。：） …) nor after opening
punctuation (（「 …), as in print.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.measure import Measurement
from rich.text import Text

from evaltui.widgets.text import Shown, t

NO_LINE_START = frozenset("、，。：；！？）」』】》〉…—,.;:!?)]}%")
NO_LINE_END = frozenset("（「『【《〈([{")


def _wide(character: str) -> bool:
    return cell_len(character) == 2


def _may_break_before(text: str, i: int) -> bool:
    before, here = text[i - 1], text[i]
    if here in NO_LINE_START or before in NO_LINE_END:
        return False
    if before == " " and here != " ":
        return True
    return (_wide(before) or _wide(here)) and here != " " and before != " "


def _line_spans(plain: str, width: int) -> list[tuple[int, int]]:
    """Where each line of one paragraph starts and ends, filled greedily."""
    spans: list[tuple[int, int]] = []
    start, n = 0, len(plain)
    while start < n:
        used, i, last_break = 0, start, None
        while i < n:
            if i > start and _may_break_before(plain, i):
                last_break = i
            w = cell_len(plain[i])
            if used + w > width and i > start:
                break
            used += w
            i += 1
        if i >= n:
            spans.append((start, n))
            break
        if plain[i] == " ":
            last_break = i  # the line is full just before a space
        end = last_break if last_break is not None else i  # no place to break: fold the word
        spans.append((start, end))
        start = end
        while start < n and plain[start] == " ":  # no line starts with a space
            start += 1
    return spans or [(0, 0)]


def wrap_lines(text: Text, width: int) -> list[Text]:
    """``text`` in lines of at most ``width`` cells, styles kept (line breaks in it are kept too)."""
    if width <= 0:
        return [text]
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        for start, end in _line_spans(paragraph.plain, width):
            line = paragraph[start:end]
            line.rstrip()
            lines.append(line)
    return lines


def wrapped(text: Text, width: int) -> Text:
    """The lines of :func:`wrap_lines` as one ``Text`` that needs no further wrapping."""
    result = Text(no_wrap=True, overflow="fold", end="")
    for n, line in enumerate(wrap_lines(text, width)):
        if n:
            result.append("\n")
        result.append_text(line)
    return result


class Wrapped:
    """A Rich renderable: ``text`` wrapped as :func:`wrap_lines` does, at the width it is drawn
    at (a problem in a list, a toast). Wrapped when drawn, never before: a list built while it
    is hidden (the status panel at 80x24) has no width yet."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text.plain

    def __rich_console__(self, console, options):
        for line in wrap_lines(self.text, options.max_width):
            line.no_wrap, line.overflow, line.end = True, "fold", "\n"
            yield line

    def __rich_measure__(self, console, options) -> Measurement:
        widest = max(cell_len(line) for line in self.text.plain.split("\n"))
        return Measurement(min(2, widest), widest)


def wrap_toasts() -> None:
    """Toasts wrap as Chinese is set too: Textual's ``Toast.render`` (it builds a Content, wrapped
    at spaces) gives the title and message as a :class:`Wrapped`. Messages here are never
    markup (``EvalApp.notify``); one that is keeps Textual's own. Textual is pinned
    (constraints.txt): re-check on an upgrade."""
    from textual.widgets._toast import Toast

    textual_render = Toast.render
    if getattr(textual_render, "wraps_chinese", False):
        return

    def render(self: Toast):
        notification = self._notification
        if notification.markup:
            return textual_render(self)
        text = Text(notification.message)
        if notification.title:
            text = Text.assemble((notification.title, self.get_visual_style("toast--title").rich_style), "\n", text)
        return Wrapped(text)

    render.wraps_chinese = True  # type: ignore[attr-defined]
    Toast.render = render  # type: ignore[method-assign]


class Paragraph(Shown):
    """A :class:`Shown` whose text wraps between Chinese characters (a dialog's question, a message)."""

    def __init__(self, content: object = "", **kwargs) -> None:
        super().__init__(content, **kwargs)
        self._source = t(content) if isinstance(content, (str, Text)) else Text(str(content))

    def update(self, content: object = "", **kwargs) -> None:  # type: ignore[override]
        self._source = t(content) if isinstance(content, (str, Text)) else Text(str(content))
        super().update(content, **kwargs)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(wrap_lines(self._source, width))

    def render(self):
        width = self.content_size.width
        return wrapped(self._source, width) if width > 0 else self._source
