"""f1 / ?: every key, gathered from the bindings themselves so the list cannot go stale."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

EXTRA = (
    ("单元格编辑", "enter", "确定"),
    ("单元格编辑", "→", "补全一级 / 二级指标的标准名称"),
    ("侧栏（文件列表）", "up / down", "选择自评表"),
    ("侧栏（文件列表）", "enter", "进入指标表格"),
    ("指标表格", "arrows, h j k l", "移动光标"),
)


KEY_NAMES = {"question_mark": "?", "slash": "/", "delete": "del", "escape": "esc"}


def _key_name(binding: Binding) -> str:
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(","))


def bindings_of(cls: type) -> list:
    """The bindings ``cls`` answers to, its own and those of the evaltui classes it is built on
    (a grid's enter and f8 are on Sheet); Textual's own English bindings are left to Textual."""
    found: list = []
    for base in reversed(cls.__mro__):
        if base.__module__.startswith("evaltui") and "BINDINGS" in base.__dict__:
            found.extend(base.__dict__["BINDINGS"])
    return found


def key_rows(sources) -> list[tuple[str, str, str]]:
    """(where, keys, does) for every binding with a description in ``sources``."""
    rows: list[tuple[str, str, str]] = []
    for title, bindings in sources:
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                rows.append((title, _key_name(binding), binding.description))
    rows.extend(EXTRA)
    order = {title: i for i, (title, _) in enumerate(sources)}
    return sorted(rows, key=lambda r: order.get(r[0], len(order)))


class HelpScreen(ModalScreen[None]):
    HELP_TITLE = "帮助"
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 98%; height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "关闭帮助")]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(title="evaltui 按键", expand=True, show_lines=False)
        table.add_column("位置", style="bold", no_wrap=True)
        table.add_column("按键", style="cyan", no_wrap=True)
        table.add_column("作用")
        last = None
        for where, keys, does in self.rows:
            table.add_row(Text("" if where == last else where), Text(keys), Text(does))
            last = where
        with VerticalScroll():
            yield Static(table)
            yield Static(Text("所有操作也都在命令面板里：ctrl+p。escape 关闭本页。"))

    def action_dismiss(self) -> None:
        self.dismiss(None)
