"""A list that renders only the lines on screen: thousands of files cost nothing to show.

Textual's OptionList lays out every option up front; with a district's 2,000 evaluations that
stalls the interface each time the list changes. Here a line is drawn when it is visible,
and changing one entry redraws one line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from evaltui.guard import guarded
from evaltui.widgets.kept import BACKGROUND_COLORS, RICH_STYLE
from evaltui.widgets.text import gate, text_key


@guarded
class FileList(ScrollView, can_focus=True):
    """Lines of text, one per path, with a cursor."""

    DEFAULT_CSS = """
    FileList { height: 1fr; }
    FileList > .filelist--cursor { background: $block-cursor-blurred-background; }
    FileList:focus > .filelist--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    """
    COMPONENT_CLASSES = {"filelist--cursor"}
    rich_style = RICH_STYLE  # kept.py: not a walk up every ancestor for each line
    background_colors = BACKGROUND_COLORS
    BINDINGS = [
        Binding("up,k", "move(-1)", "上一个", show=False),
        Binding("down,j", "move(1)", "下一个", show=False),
        Binding("pageup", "page(-1)", "上一页", show=False),
        Binding("pagedown", "page(1)", "下一页", show=False),
        Binding("home", "jump(0)", "第一个", show=False),
        Binding("end", "jump(-1)", "最后一个", show=False),
        Binding("enter", "choose", "进入表格", show=True, tooltip="进入表格（此表有上次未保存的修改时，先问恢复还是丢弃）"),
    ]

    class Highlighted(Message):
        def __init__(self, path: Path, sender: FileList) -> None:
            super().__init__()
            self.path = path
            # Textual stops a message at its sender's parent. Made while the sidebar handles its
            # filter line, it would name the sidebar as sender and never reach the app, which
            # would go on showing an evaluation the filter hides: it is the list's message.
            self._sender = sender

    class Chosen(Message):
        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, prompt: Callable[[Path], Text], chosen: Callable[[Path], None] | None = None, *,
                 label: Callable[[Path], str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.prompt = prompt
        self.chosen = chosen  # called at once on enter; without it a Chosen message is posted
        self.label = label  # what enter does on a path, when not 进入表格 (the footer says it)
        self._label_shown = ""
        self.paths: list[Path] = []
        self._index: dict[Path, int] = {}  # where each path is listed: a line is found without a search
        self.cursor = 0
        self.last: Path | None = None  # the path the cursor was last on, kept while nothing is listed
        self.empty = ""  # what the list says when nothing is listed (a filter without a match)
        self._drawn: LRUCache[tuple, Strip] = LRUCache(1024)

    def set_paths(self, paths: list[Path], keep: Path | None = None) -> None:
        """Show these paths; the cursor stays on ``keep`` when it is still listed."""
        self.paths = paths
        self._index = {path: i for i, path in enumerate(paths)}
        self.virtual_size = Size(self.size.width, len(paths))
        index = self._index.get(keep, 0) if keep is not None else 0
        self.cursor = -1
        # a line that moved out of view (a re-sort) comes back in the middle, not at an edge
        # where the next key would scroll the whole list
        self._move_to(index, center=not self.scroll_offset.y <= index < self.scroll_offset.y + self.size.height)
        self.refresh()

    def refresh_path(self, path: Path) -> None:
        """Redraw the line of one path after its entry changed."""
        y = self._index.get(path)
        if y is not None:
            self.refresh(Region(0, y - self.scroll_offset.y, self.size.width, 1))

    @property
    def highlighted(self) -> Path | None:
        return self.paths[self.cursor] if 0 <= self.cursor < len(self.paths) else None

    def _move_to(self, index: int, center: bool = False) -> None:
        if not self.paths:
            self.cursor = 0
            return
        index = max(0, min(index, len(self.paths) - 1))
        if index == self.cursor:
            return
        old = self.cursor
        self.cursor = index
        self.last = self.paths[index]
        for y in (old, index):
            self.refresh(Region(0, y - self.scroll_offset.y, self.size.width, 1))
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, immediate=True, center=center)
        self.post_message(self.Highlighted(self.paths[index], self))
        self.check_label()

    def key_label(self, action: str) -> str:
        """The footer's label of ``action`` now ('' for the binding's own): enter on an evaluation
        with an earlier run's unsaved edits offers them (恢复上次修改), not the grid."""
        if action == "choose" and self.label is not None and self.highlighted is not None:
            return self.label(self.highlighted)
        return ""

    def check_label(self) -> None:
        """Have the footer ask again when enter's label changed (only then: a move costs nothing more)."""
        label = self.key_label("choose")
        if label != self._label_shown:
            self._label_shown = label
            if self.is_attached:
                self.screen.refresh_bindings()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        base = self.rich_style
        if not 0 <= index < len(self.paths):
            if index == 0 and self.empty:
                return Strip(list(Text(self.empty, style="dim").render(self.app.console))).crop_extend(0, width, base)
            return Strip.blank(width, base)
        text = gate(self.prompt(self.paths[index]))  # the one gate: a name never reaches the terminal raw
        if index == self.cursor:
            base = base + self.get_component_rich_style("filelist--cursor")
        # A scroll draws every line on screen again: a line is kept by what it shows, so only
        # the line that came into view is drawn through Rich.
        key = (text_key(text), width, base)
        strip = self._drawn.get(key)
        if strip is None:
            text = text.copy()
            text.no_wrap = True
            text.overflow = "ellipsis"
            text.truncate(width, overflow="ellipsis", pad=True)
            segments = list(text.render(self.app.console))
            strip = self._drawn[key] = Strip(segments).apply_style(base).crop_extend(0, width, base or Style())
        return strip

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.paths))

    def on_click(self, event) -> None:
        self.focus()
        self._move_to(self.scroll_offset.y + event.y)

    def action_move(self, step: int) -> None:
        self._move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self._move_to(self.cursor + step * max(self.size.height - 1, 1))

    def action_jump(self, index: int) -> None:
        self._move_to(index if index >= 0 else len(self.paths) - 1)

    def action_choose(self) -> None:
        if self.highlighted is None:
            return
        if self.chosen is not None:
            self.chosen(self.highlighted)
        else:
            self.post_message(self.Chosen(self.highlighted))
