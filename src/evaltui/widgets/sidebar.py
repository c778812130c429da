"""The folder's evaluations: name, year, total, grade, unsaved and error marks; filter and sort."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from evaltui.numbers import plain

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
    read_only: bool = False
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


class Sidebar(Vertical):
    HELP_TITLE = "侧栏（文件列表）"
    DEFAULT_CSS = """
    Sidebar { width: 30; border-right: solid $panel; }
    Sidebar #filter { display: none; border: none; height: 1; padding: 0 1; }
    Sidebar #filter.shown { display: block; }
    Sidebar #sidebar-title { height: 1; padding: 0 1; background: $panel; }
    Sidebar OptionList { border: none; height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS = [
        Binding("slash", "filter", "筛选", show=True),
        Binding("o", "cycle_sort", "排序", show=True),
        Binding("escape", "clear_filter", "清除筛选", show=False),
    ]

    class Chosen(Message):
        """Enter on an evaluation: move into its grid."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class Highlighted(Message):
        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries: dict[Path, Entry] = {}
        self.sort = "name"
        self.filter_text = ""
        self.loading = ""
        self._shown: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Static(id="sidebar-title", markup=False)
        yield Input(placeholder="筛选名称…", id="filter")
        yield OptionList(id="files")

    @property
    def files(self) -> OptionList:
        return self.query_one("#files", OptionList)

    def focus_list(self) -> None:
        self.files.focus()

    def set_entries(self, entries: list[Entry]) -> None:
        self.entries = {e.path: e for e in entries}
        self._rebuild()

    def update_entry(self, entry: Entry) -> None:
        known = entry.path in self.entries
        self.entries[entry.path] = entry
        if known and entry.path in self._shown and self.sort == "name":
            self.files.replace_option_prompt_at_index(self._shown.index(entry.path), entry.prompt())
            self._update_title()
        else:
            self._rebuild()

    def set_loading(self, message: str) -> None:
        self.loading = message
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

    def _rebuild(self) -> None:
        files = self.files
        highlighted = self.highlighted_path()
        shown = self._sorted()
        self._shown = [e.path for e in shown]
        files.clear_options()
        files.add_options([Option(e.prompt()) for e in shown])
        if highlighted in self._shown:
            files.highlighted = self._shown.index(highlighted)
        elif self._shown:
            files.highlighted = 0
        self._update_title()

    def _update_title(self) -> None:
        label = dict(SORTS)[self.sort]
        count = f"{len(self._shown)}/{len(self.entries)}" if self.filter_text else f"{len(self.entries)}"
        text = f"自评表 {count} · 按{label}"
        if self.filter_text:
            text += f" · 筛选“{self.filter_text}”"
        if self.loading:
            text += f" · {self.loading}"
        self.query_one("#sidebar-title", Static).update(Text(text, no_wrap=True, overflow="ellipsis"))

    def highlighted_path(self) -> Path | None:
        index = self.files.highlighted
        if index is None or not 0 <= index < len(self._shown):
            return None
        return self._shown[index]

    def select_path(self, path: Path) -> None:
        if path not in self._shown:
            self.filter_text = ""
            self.query_one("#filter", Input).value = ""
            self._rebuild()
        if path in self._shown:
            self.files.highlighted = self._shown.index(path)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        path = self.highlighted_path()
        if path is not None:
            self.post_message(self.Highlighted(path))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        path = self.highlighted_path()
        if path is not None:
            self.post_message(self.Chosen(path))

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.add_class("shown")
        field.focus()

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
        self.filter_text = event.value
        self._rebuild()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            event.input.remove_class("shown")
        self.focus_list()
