"""The folder's evaluations in aligned columns: problem mark, unsaved mark, total, grade, name.

Names sort in pinyin order (evaltui.collate); an evaluation in a subfolder shows the folder
(dim) before its name. The filter matches names, departments, file names with their subfolder, a grade (优 良 中 差) and 错误 / 警告 (has errors / warnings); words separated by spaces
must all match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from evaltui.files import clashing, told_apart
from evaltui.folder import unopened_mark
from evaltui.guard import guarded
from evaltui.numbers import fixed2
from evaltui.widgets.editor import SafeInput
from evaltui.widgets.filelist import FileList
from evaltui.widgets.focus import focus_now
from evaltui.widgets.parts import part
from evaltui.widgets.text import Shown, cut_middle, gate, t

SORTS = (("name", "名称"), ("total", "总分"), ("problems", "问题数"))
_NO_KEY: tuple = ((), (), "")
NO_MATCH = "没有匹配（escape 清除筛选）"
MARK_CELLS = 9  # a total (6) and a grade (2) with the space between: where 超出上限 / 无法读取 stand  # before the pinyin keys are known: file name order


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
    warnings: int = 0
    department: str = ""
    dirty: bool = False
    load_error: str | None = None
    loading: bool = False  # listed by name, not read yet
    missing: bool = False  # its file is gone from disk; kept because it is being edited
    recovered: bool = False  # an earlier run left unsaved edits of it (a recovery file): enter offers them
    where: str = ""  # its subfolder in the folder opened, ``教育局/`` ('' in the folder itself)

    @property
    def read(self) -> bool:
        return self.load_error is None and not self.loading

    def prompt(self, width: int = 0, apart: bool = False) -> Text:
        """``✗● 60.71 中 name``: marks, total and grade in fixed columns, so a long list scans.
        ``apart``: another evaluation has the same name, so the file name is shown, cut in the
        middle to ``width`` cells so that its end (`` (2).toml``) stays."""
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.load_error is not None:
            text.append("✗", style="bold red")
            text.append("●" if self.dirty else " ", style="bold yellow")
            mark = unopened_mark(self.load_error)  # in the cells of the total and the grade: 2 a character
            text.append(" " * (MARK_CELLS - cell_len(mark)) + mark + " ", style="bold red")
            self._where(text, width)
            text.append_text(t(self.path.name))
            return text
        if self.errors:
            text.append("✗", style="bold red")
        elif self.warnings:
            text.append("⚠", style="yellow")
        else:
            text.append(" ")
        text.append("●" if self.dirty else "↺" if self.recovered else " ", style="bold yellow")
        total = fixed2(self.total) if self.total is not None else ("…" if self.loading else "—")
        text.append(f"{total:>6} ", style="bold" if self.total is not None else "dim")
        text.append(f"{self.grade or '  '} ", style=GRADE_STYLE.get(self.grade, ""))
        if self.missing:
            text.append("（文件已不在）", style="bold yellow")
        self._where(text, width)
        if apart:
            text.append_text(t(self._told_apart(width - text.cell_len if width else 0)))
            return text
        text.append_text(t(self.name or self.path.stem))
        if self.year:
            text.append(f" {self.year}", style="dim")
        return text

    def _where(self, text: Text, width: int) -> None:
        """The subfolder, dim, before the name: two files of one name in two folders look
        different. At most half of what is left of the line (cut in the middle), the name keeps the rest."""
        if not self.where:
            return
        room = (width - text.cell_len) // 2 if width else 0
        text.append_text(t(cut_middle(self.where, room) if room > 0 else self.where, "dim"))

    def _told_apart(self, room: int) -> str:
        """files.told_apart in ``room`` cells (0: no limit): the file name whole where it fits,
        else cut in the middle; the project name before it gives way first."""
        label = told_apart(self.name, self.path.name)
        if room <= 0 or cell_len(label) <= room:
            return label
        if label == self.path.name:
            return cut_middle(label, room)
        file = f"（{self.path.name}）"
        if room - cell_len(file) < 4:
            return cut_middle(self.path.name, room)
        name = Text(self.name)
        name.truncate(room - cell_len(file), overflow="ellipsis")  # the start of a name reads best
        return name.plain + file

    def matches(self, words: list[str]) -> bool:
        """Every word of the filter matches: name, department, file name with its subfolder, grade, 错误 / 警告."""
        haystack = f"{self.name}\n{self.department}\n{self.where}{self.path.name}".lower()
        for word in words:
            if word in GRADES:
                if self.grade != word:
                    return False
            elif word in ERROR_WORDS:
                if not (self.errors or self.load_error is not None):
                    return False
            elif word in WARNING_WORDS:
                if not self.warnings:
                    return False
            elif word not in haystack:
                return False
        return True


GRADES = ("优", "良", "中", "差")
ERROR_WORDS = ("错误", "有错误", "✗")
WARNING_WORDS = ("警告", "有警告", "⚠")
GRADE_STYLE = {"优": "bold green", "良": "green", "中": "yellow", "差": "bold red reverse"}


@guarded
class FilterInput(SafeInput):
    """The sidebar's filter line: enter goes back to the list with the filter applied, at once."""

    BINDINGS = [Binding("enter", "done", "筛选", show=False, tooltip="在筛选框中：按所填筛选，回到列表")]

    def action_done(self) -> None:
        sidebar = self.parent
        if isinstance(sidebar, Sidebar):
            sidebar.filter_done()


@guarded
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
        self.name_keys: dict[Path, tuple] = {}  # pinyin sort keys of the file names (set_name_keys)
        self.clashes: set[str] = set()  # subfolder and name of more than one evaluation: their lines show the file

    def compose(self) -> ComposeResult:
        yield Shown(id="sidebar-title", markup=False)
        yield FilterInput(placeholder="筛选：名称、部门、优良中差、错误、警告", id="filter")
        yield FileList(self._prompt, self.chosen, label=self._choose_label, id="files")

    def _choose_label(self, path: Path) -> str:
        """What enter on ``path`` does, for the footer: an earlier run's unsaved edits are offered first."""
        entry = self.entries.get(path)
        return "恢复上次修改" if entry is not None and entry.recovered else ""

    def _prompt(self, path: Path) -> Text:
        entry = self.entries.get(path)
        if entry is None:
            return Text(path.stem)
        return entry.prompt(self.files.size.width, entry.read and f"{entry.where}{entry.name}" in self.clashes)

    def _find_clashes(self) -> bool:
        """Which names more than one evaluation of one folder has (the subfolder shown before
        the name tells those of two folders apart); True when that changed (every line may change)."""
        clashes = clashing(f"{e.where}{e.name}" for e in self.entries.values() if e.read)
        changed, self.clashes = clashes != self.clashes, clashes
        return changed

    @property
    def files(self) -> FileList:
        return part(self, "#files", FileList)

    def focus_list(self) -> None:
        focus_now(self.files)

    def set_entries(self, entries: list[Entry]) -> None:
        self.entries = {e.path: e for e in entries}
        self._find_clashes()
        self._rebuild()

    def update_entry(self, entry: Entry) -> None:
        self.update_entries([entry])

    def update_entries(self, entries: list[Entry]) -> None:
        """Take new entries; only their lines are redrawn unless the order or the filter changes."""
        rebuild = renamed = False
        for entry in entries:
            old = self.entries.get(entry.path)
            self.entries[entry.path] = entry
            renamed = renamed or old is None or (old.read, old.name) != (entry.read, entry.name)
            if old is None and self.name_keys and entry.path not in self.name_keys:
                # a file made here (ctrl+n, save as new, an import) after the names were keyed
                from evaltui.collate import pinyin_key

                self.name_keys[entry.path] = pinyin_key(entry.path.stem)
            if old is None or self._sort_key(old) != self._sort_key(entry) or (
                    self.filter_text and self._matches(old) != self._matches(entry)):
                rebuild = True
        if renamed and self._find_clashes():
            self.files.refresh()  # the lines of other evaluations of that name change too
        if rebuild:
            self._rebuild()
        else:
            for entry in entries:
                self.files.refresh_path(entry.path)
            self._update_title()
        self.files.check_label()  # the footer's enter: 恢复上次修改 once the list knows of them

    def remove_entries(self, paths: list[Path]) -> None:
        """Files gone from the folder leave the list; a cursor on one goes to the next line."""
        gone = set(paths) & self.entries.keys()
        if not gone:
            return
        keep = self.highlighted_path()
        if keep in gone:
            shown, at = self.files.paths, self.files.cursor
            after = [p for p in shown[at:] if p not in gone] or [p for p in reversed(shown[:at]) if p not in gone]
            keep = after[0] if after else None
        for path in gone:
            del self.entries[path]
            self.name_keys.pop(path, None)
        self._find_clashes()
        self._rebuild(keep=keep)

    def set_loading(self, message: str) -> None:
        self.load_status = message
        self._update_title()

    def _sort_key(self, e: Entry) -> tuple:
        if self.sort == "total":
            return (e.total is None, -(e.total or 0), e.path.name)
        if self.sort == "problems":
            return (-(e.load_error is not None), -e.errors, -e.problems, e.path.name)
        return (self.name_keys.get(e.path, _NO_KEY), e.path.name)

    def _sorted(self) -> list[Entry]:
        """The entries listed, in order. Only when an entry's place may change (update_entries):
        a commit in a district redraws one line, not 2,000 sorted again."""
        return sorted((e for e in self.entries.values() if self._matches(e)), key=self._sort_key)

    def set_name_keys(self, keys: dict[Path, tuple]) -> None:
        """Pinyin sort keys of the file names, worked out off the UI thread: the list re-sorts."""
        self.name_keys = keys
        if self.sort == "name":
            self._rebuild()

    def _matches(self, entry: Entry) -> bool:
        words = self.filter_text.lower().split()
        return not words or entry.matches(words)

    def _rebuild(self, keep: Path | None = None) -> None:
        """List the entries anew; the cursor stays on ``keep``, else where it is, else where it last
        was (a filter that matched nothing leaves it nowhere: clearing the filter brings it back)."""
        self.files.empty = NO_MATCH if self.filter_text else ""
        self.files.set_paths([e.path for e in self._sorted()], keep=keep or self.highlighted_path() or self.files.last)
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
        self.query_one("#sidebar-title", Shown).update_in_place(Text(text, no_wrap=True, overflow="ellipsis"))

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
