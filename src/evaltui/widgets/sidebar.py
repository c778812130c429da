"""The folder's evaluations: name, year, total, grade, unsaved and error marks; filter and sort."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from evaltui.numbers import plain
from evaltui.widgets.filelist import FileList
from evaltui.widgets.focus import focus_now

SORTS = (("name", "名称"), ("total", "总分"), ("problems", "问题数"))


@dataclass(frozen=True)
class Entry:
    """One line of the sidebar."""

    path: Path
    name: str = ""
    year: int | None = None
    total: Decimal | None = None
    grade: str = ""
    problems: int = 0
    errors: int = 0
    dirty: bool = False
    load_error: str | None = None
    loading: bool = False  # listed by name, not read yet

    def prompt(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("●" if self.dirty else " ", style="bold yellow")
        if self.load_error is not None:
            text.append("✗ ", style="bold red")
            text.append(self.path.name)
            return text
        text.append("!" if self.errors else " ", style="bold red")
        total = plain(self.total) if self.total is not None else ("…" if self.loading else "—")
        text.append(f"{total:>6} {self.grade or ' '} ", style="bold" if self.total is not None else "dim")
        text.append(self.name or self.path.stem)
        if self.year:
            text.append(f" {self.year}", style="dim")
        return text


class FilterInput(Input):
    """The sidebar's filter line: enter goes back to the list with the filter applied, at once."""

    BINDINGS = [Binding("enter", "done", "筛选", show=False)]

    def action_done(self) -> None:
        sidebar = self.parent
        if isinstance(sidebar, Sidebar):
            sidebar.filter_done()


class Sidebar(Vertical):
    HELP_TITLE = "侧栏（文件列表）"
    DEFAULT_CSS = """
    Sidebar { width: 30; border-right: solid $panel; }
    Sidebar #filter { display: none; border: none; height: 1; padding: 0 1; }
    Sidebar #filter.shown { display: block; }
    Sidebar #sidebar-title { height: 1; padding: 0 1; background: $panel; }
    """
    BINDINGS = [
        Binding("slash", "filter", "筛选", show=True),
        Binding("o", "cycle_sort", "排序", show=True),
        Binding("escape", "clear_filter", "清除筛选", show=False),
    ]

    def __init__(self, chosen: Callable[[Path], None] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries: dict[Path, Entry] = {}
        self.sort = "name"
        self.filter_text = ""
        self.load_status = ""  # 读取中 12/2000 (not Textual's own `loading`, which would hide the list)
        self.sync_status = ""  # how the folder stands against its shared copy: 落后 2 · 领先 1
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        yield Static(id="sidebar-title", markup=False)
        yield FilterInput(placeholder="筛选名称…", id="filter")
        yield FileList(self._prompt, self.chosen, id="files")

    def _prompt(self, path: Path) -> Text:
        entry = self.entries.get(path)
        return entry.prompt() if entry else Text(path.stem)

    @property
    def files(self) -> FileList:
        return self.query_one("#files", FileList)

    def focus_list(self) -> None:
        focus_now(self.files)

    def set_entries(self, entries: list[Entry]) -> None:
        self.entries = {e.path: e for e in entries}
        self._rebuild()

    def update_entry(self, entry: Entry) -> None:
        self.update_entries([entry])

    def update_entries(self, entries: list[Entry]) -> None:
        """Take new entries; only their lines are redrawn unless the order or the filter changes."""
        rebuild = False
        for entry in entries:
            old = self.entries.get(entry.path)
            self.entries[entry.path] = entry
            if old is None or self.sort != "name" or (self.filter_text and self._matches(old) != self._matches(entry)):
                rebuild = True
        if rebuild:
            self._rebuild()
        else:
            for entry in entries:
                self.files.refresh_path(entry.path)
            self._update_title()

    def set_loading(self, message: str) -> None:
        self.load_status = message
        self._update_title()

    def _sorted(self) -> list[Entry]:
        entries = [e for e in self.entries.values() if self._matches(e)]
        if self.sort == "total":
            return sorted(entries, key=lambda e: (e.total is None, -(e.total or 0), e.path.name))
        if self.sort == "problems":
            return sorted(entries, key=lambda e: (-(e.load_error is not None), -e.errors, -e.problems, e.path.name))
        return sorted(entries, key=lambda e: e.path.name)

    def _matches(self, entry: Entry) -> bool:
        needle = self.filter_text.strip().lower()
        return not needle or needle in entry.name.lower() or needle in entry.path.name.lower()

    def _rebuild(self, keep: Path | None = None) -> None:
        self.files.set_paths([e.path for e in self._sorted()], keep=keep or self.highlighted_path())
        self._update_title()

    def set_sync(self, message: str) -> None:
        self.sync_status = message
        self._update_title()

    def _update_title(self) -> None:
        label = dict(SORTS)[self.sort]
        count = f"{len(self.files.paths)}/{len(self.entries)}" if self.filter_text else f"{len(self.entries)}"
        text = "".join(f"{part} · " for part in (self.sync_status, self.load_status) if part)
        text += f"自评表 {count} · 按{label}"
        if self.filter_text:
            text += f" · 筛选“{self.filter_text}”"
        self.query_one("#sidebar-title", Static).update(Text(text, no_wrap=True, overflow="ellipsis"))

    def highlighted_path(self) -> Path | None:
        return self.files.highlighted

    def select_path(self, path: Path) -> None:
        if path not in self.files.paths:
            self.filter_text = ""
            self.query_one("#filter", Input).value = ""
        self._rebuild(keep=path)

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.add_class("shown")
        focus_now(field)

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        field.remove_class("shown")
        self.filter_text = ""
        self._rebuild()
        self.focus_list()

    def action_cycle_sort(self) -> None:
        keys = [key for key, _ in SORTS]
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        self._rebuild()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self.filter_text:
            self.filter_text = event.value
            self._rebuild()

    def filter_done(self) -> None:
        field = self.query_one("#filter", Input)
        if field.value != self.filter_text:
            self.filter_text = field.value
            self._rebuild()
        if not field.value:
            field.remove_class("shown")
        self.focus_list()
