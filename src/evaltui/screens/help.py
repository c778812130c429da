"""f1 / ?: every key of every place, gathered from the bindings themselves so the list cannot go stale.

A place is a screen, or a part of the main screen, and the classes whose bindings act there
(:func:`places`). Each class gives its own ``BINDINGS``; bindings of one ``Binding.Group``
(the arrows and h j k l) make one line; the binding's tooltip, when it has one, says more
than the footer's short label. The one key that is no binding, a character typed on a grid
cell, is listed from the same set of characters the grid acts on (``grids.EDIT_STARTERS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_NAMES = {
    "question_mark": "?", "slash": "/", "delete": "del", "escape": "escape",
    "left": "←", "right": "→", "up": "↑", "down": "↓",
}


def key_name(keys: str) -> str:
    """``f1,question_mark`` → ``f1, ?``."""
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


@dataclass(frozen=True)
class Place:
    """Where keys act: ``classes`` (the first names the place by its HELP_TITLE) on ``screen``."""

    classes: tuple[type, ...]
    screen: type

    @property
    def title(self) -> str:
        return " / ".join(dict.fromkeys(cls.HELP_TITLE for cls in self.classes if "HELP_TITLE" in cls.__dict__))


def places() -> list[Place]:
    """Every place of the app with keys of its own, in the order help lists them."""
    from evaltui.app import EvalApp
    from evaltui.screens.dialogs import (
        ConfirmScreen,
        ConflictScreen,
        Dialog,
        ImportClashScreen,
        PromptScreen,
        QuitScreen,
        RecoverScreen,
        TextEditorScreen,
    )
    from evaltui.screens.main import MainScreen
    from evaltui.screens.review import ReviewScreen, ReviewTable
    from evaltui.screens.versions import VersionsScreen
    from evaltui.widgets.editor import CellInput
    from evaltui.widgets.filelist import FileList
    from evaltui.widgets.grids import BudgetGrid, IndicatorGrid, InfoGrid, Sheet
    from evaltui.widgets.sidebar import FilterInput, Sidebar
    from evaltui.widgets.status import ProblemList, StatusPanel

    main = MainScreen
    found = [Place((EvalApp,), main), Place((MainScreen,), main), Place((Sidebar, FileList, FilterInput), main),
             Place((Sheet,), main), Place((IndicatorGrid,), main), Place((InfoGrid, BudgetGrid), main),
             Place((CellInput,), main), Place((StatusPanel, ProblemList), main)]
    found += [Place((TextEditorScreen,), TextEditorScreen), Place((ReviewScreen, ReviewTable), ReviewScreen)]
    found += [Place((screen,), screen) for screen in (
        VersionsScreen, RecoverScreen, ConflictScreen, ImportClashScreen, QuitScreen, ConfirmScreen, PromptScreen,
        Dialog, HelpScreen)]
    return found


def dialog_rows(screen: type) -> list[tuple[str, str, str]]:
    """Help opened in the dialog ``screen``: only the keys that act there. The app's bindings do
    not reach inside a modal screen but for its priority ones (ctrl+s, ctrl+q …); those are
    listed unless the dialog binds the key itself or names their action in ``IDLE_APP_ACTIONS``."""
    from evaltui.app import EvalApp

    here = [place for place in places() if issubclass(screen, place.screen)]
    taken = {key.strip() for place in here for cls in place.classes for b in own_bindings(cls) for key in b.key.split(",")}
    idle = getattr(screen, "IDLE_APP_ACTIONS", ())
    reach = [b for b in own_bindings(EvalApp) if b.priority and b.action not in idle
             and not taken & {key.strip() for key in b.key.split(",")}]
    in_dialog = type("AppInDialog", (), {"HELP_TITLE": EvalApp.HELP_TITLE, "BINDINGS": reach})
    rows = key_rows([*here, Place((in_dialog,), screen)])
    if getattr(screen, "TYPES_TEXT", False):  # there ? is typed into the text, it opens no help
        rows = [(where, ", ".join(k for k in keys.split(", ") if k != "?"), does) for where, keys, does in rows]
    return rows


def own_bindings(cls: type) -> list[Binding]:
    """The bindings ``cls`` declares itself (those of its bases are listed at their own place)."""
    return [b for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)]


def typed_keys_row() -> tuple[str, str]:
    """The grid's one key that is no binding: a character typed on a cell (grids.EDIT_STARTERS)."""
    from evaltui.widgets.grids import EDIT_STARTERS

    digits = "".join(sorted(c for c in EDIT_STARTERS if c.isdigit()))
    signs = " ".join(c for c in sorted(EDIT_STARTERS) if not c.isdigit())
    return f"{digits[0]}–{digits[-1]}, {signs}, 汉字", "开始编辑此格，键入的字符即为开头"


def key_rows(found: list[Place] | None = None) -> list[tuple[str, str, str]]:
    """(place, keys, what they do) for every described binding of every place."""
    from evaltui.widgets.grids import Sheet

    rows: list[tuple[str, str, str]] = []
    for place in found if found is not None else places():
        seen: set[tuple[str, str]] = set()
        for cls in place.classes:
            grouped: dict[object, list[Binding]] = {}
            for binding in own_bindings(cls):
                if not binding.description:
                    continue
                if binding.group is not None:
                    grouped.setdefault(binding.group, []).append(binding)
                    continue
                row = (key_name(binding.key), binding.tooltip or binding.description)
                if row not in seen:
                    seen.add(row)
                    rows.append((place.title, *row))
            for group, bindings in grouped.items():  # ← h, ↓ j … → "← ↓ ↑ →, h j k l"
                keys = [key_name(b.key).split(", ") for b in bindings]
                columns = [" ".join(k[i] for k in keys) for i in range(min(map(len, keys)))]
                row = (", ".join(columns), group.description)  # type: ignore[attr-defined]
                if row not in seen:
                    seen.add(row)
                    rows.append((place.title, *row))
            if cls is Sheet:
                rows.append((place.title, *typed_keys_row()))
    return rows


class HelpScreen(ModalScreen[None]):
    HELP_TITLE = "帮助"
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 110; max-width: 98%; height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "关闭帮助")]

    def __init__(self, rows: list[tuple[str, str, str]] | None = None, where: str = "") -> None:
        super().__init__()
        self.rows = rows if rows is not None else key_rows()
        self.where = where  # opened in a dialog: its title (only the keys that act there are listed)

    def compose(self) -> ComposeResult:
        from evaltui.widgets.footer import KeyFooter

        table = Table(title="evaltui 按键", expand=True, show_lines=False)
        place_width, keys_width = self.narrow_columns()
        table.add_column("位置", style="bold", overflow="fold", max_width=place_width)
        table.add_column("按键", style="cyan", overflow="fold", max_width=keys_width)
        table.add_column("作用", overflow="fold", ratio=1)  # takes the room the first two leave
        last = None
        for where, keys, does in self.rows:
            table.add_row(Text("" if where == last else where), Text(keys), Text(does))
            last = where
        with VerticalScroll():
            if self.where:
                yield Static(Text(f"在“{self.where}”中打开：只列出在其中起作用的按键；escape 回到{self.where}。", style="bold"))
            yield Static(table)
            yield Static(Text("关闭对话框后，所有操作都在命令面板里：ctrl+p。escape 关闭本页。" if self.where
                              else "所有操作也都在命令面板里：ctrl+p。escape 关闭本页。"))
        yield KeyFooter()

    DOES_AT_LEAST = 30  # cells of 作用 before 位置 and 按键 wrap to make room for it

    def narrow_columns(self) -> tuple[int | None, int | None]:
        """Widths to cap 位置 and 按键 at (None: as wide as their longest text). At 80 columns
        their longest texts would leave 作用 a dozen cells, every line of it wrapped: then they
        wrap instead, in a fifth and a quarter of the room."""
        from rich.cells import cell_len

        box = min(110, self.app.size.width * 98 // 100)  # the CSS width above
        room = box - 2 - 2 - 2 - 10  # border, padding, scrollbar; the table's rules and padding
        place = max((cell_len(where) for where, _, _ in self.rows), default=0)
        keys = max((cell_len(k) for _, k, _ in self.rows), default=0)
        if room - place - keys >= self.DOES_AT_LEAST:
            return None, None
        return max(6, room // 5), max(8, room // 4)

    def action_dismiss(self) -> None:
        self.dismiss(None)

