"""The cell editor: the lines under the grid (in the detail's place) that open with the value selected.

Enter commits, escape cancels, tab / shift+tab commit and edit the next / previous cell. A
refused value stays in the editor with the reason under it, so nothing typed is lost, and
selected, so that what is typed next replaces it instead of being added to it. The
editor belongs to the evaluation view and calls it directly (no messages), so the key after
enter already finds the grid in charge.
"""

from __future__ import annotations

from typing import Protocol

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from evaltui.guard import guarded
from evaltui.visible import is_safe, visible, without_controls
from evaltui.widgets.parts import part
from evaltui.widgets.text import Shown, t


class EditorHost(Protocol):
    def commit_edit(self, step: int = 0) -> None: ...

    def cancel_edit(self) -> None: ...


CONTROLS_REMOVED = "粘贴的文字含控制字符（如 ESC），已删去"


class SafeInput(Input):
    """An input line that takes no control character, typed or pasted (a paste holding ESC
    would otherwise reach the terminal raw), and says so."""

    def replace(self, text: str, start: int, end: int) -> None:  # every typed or pasted text comes here
        clean = without_controls(text)
        super().replace(clean, start, end)
        if clean != text:
            self.refused_controls()  # after: the notice is about the text as it now stands

    def refused_controls(self) -> None:
        self.notify(CONTROLS_REMOVED, severity="warning")


@guarded
class CellInput(SafeInput, can_focus=False):
    """The editor's input line; its keys act at once on the host.

    It never takes the focus: the grid whose cell it edits keeps it, and the main screen sends
    the keys here while the editor is open (``MainScreen.key_target``). A focus change restyles
    and redraws both widgets, and was most of the time between enter and the committed cell on
    screen. So that it still draws its cursor, selection and completion, it always counts as
    focused (it is only shown while it takes the keys); its cursor does not blink.
    """

    HELP_TITLE = "单元格编辑"
    BINDINGS = [
        Binding("enter", "commit(0)", "确定", show=True),
        Binding("tab", "commit(1)", "确定并编辑右边一格", show=False),
        Binding("shift+tab", "commit(-1)", "确定并编辑左边一格", show=False),
        Binding("escape", "cancel", "取消", show=True),
        Binding("right", "cursor_right", "右移；在末尾时补全一级 / 二级指标的标准名称", show=False),
    ]

    def __init__(self, host: EditorHost, **kwargs) -> None:
        super().__init__(select_on_focus=False, **kwargs)
        self.host = host
        self.cursor_blink = False

    def on_mount(self) -> None:
        self.has_focus = True

    def refused_controls(self) -> None:
        if isinstance(self.parent, EditLine):
            self.parent.show_error(CONTROLS_REMOVED)

    def refuses_paste(self, text: str) -> bool:
        """A paste of more than one line is refused with the reason, the text left as it was
        (Input typed the first line alone: "12\n34" became 12). Every cell this editor edits
        holds one line; the long texts have their own editor, which takes a paste's lines."""
        lines = text.splitlines()
        while lines and not lines[-1]:
            lines.pop()  # a cell copied from a spreadsheet ends with a line break
        if len(lines) < 2:
            return False
        if isinstance(self.parent, EditLine):
            self.parent.show_error(f"此格只填一行：粘贴的文字有 {len(lines)} 行，未粘贴")
        return True

    def _on_paste(self, event: events.Paste) -> None:  # Input's own handler runs after this one
        if self.refuses_paste(event.text):
            event.prevent_default()
            event.stop()

    def action_commit(self, step: int) -> None:
        self.host.commit_edit(step)

    def action_cancel(self) -> None:
        self.host.cancel_edit()


@guarded
class EditLine(Vertical):
    """Shown while a cell is being edited (its place: the evaluation view's cell panel)."""

    DEFAULT_CSS = """
    EditLine { height: 1fr; border-top: solid $accent; padding: 0 1; }
    EditLine #edit-label { color: $text-muted; }
    EditLine #edit-error { color: $error; display: none; }
    EditLine Shown { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }  /* the panel holds 3 lines */
    EditLine #edit-error.shown { display: block; }
    EditLine Input { border: none; height: 1; padding: 0; }
    """

    def __init__(self, host: EditorHost, **kwargs) -> None:
        super().__init__(**kwargs)
        self.host = host
        self.is_open = False
        self._value = ""  # the value as the file holds it
        self._shown = ""  # as the editor shows it: control characters as \u001b
        self._error_on: str | None = None  # the text the reason shown is about: an edit of it clears the reason

    def compose(self) -> ComposeResult:
        yield Shown(id="edit-label", markup=False)
        yield CellInput(self.host, id="edit-input")
        yield Shown(id="edit-error", markup=False)

    @property
    def input(self) -> CellInput:
        return part(self, "#edit-input", CellInput)

    def open(self, label: str, value: str, suggestions: tuple[str, ...] = (), typed: str = "") -> None:
        """Show the editor with ``value`` selected (typing replaces it), or with ``typed`` in place of it."""
        hint = f"  （可选：{'、'.join(suggestions)}；→ 补全）" if suggestions else ""
        self.query_one("#edit-label", Static).update(t(f"编辑 {label}{hint}   enter 确定 · escape 取消"))
        field = self.input
        field.suggester = SuggestFromList(suggestions, case_sensitive=False) if suggestions else None
        self._value, self._shown = value, visible(value)
        field.value = typed or self._shown
        if typed:
            field.cursor_position = len(typed)
        else:
            field.select_all()
        self.show_error("")
        self.is_open = True

    @property
    def text(self) -> str:
        """The edited text; the value untouched (control characters and all) when the shown
        form was not changed, so opening and confirming a cell never rewrites it."""
        value = self.input.value
        return self._value if value == self._shown else value

    def typed(self) -> str | None:
        """The text typed in place of the value; None when the value is unchanged."""
        return None if self.text == self._value else self.text

    def refusal(self) -> str:
        """Why the text cannot be taken: a control character pasted into it."""
        text = self.text
        if text == self._value or is_safe(text):
            return ""
        return f"不能包含控制字符（{visible(text)}），请删去"

    def refuse(self, reason: str, step: int = 0) -> None:
        """The text was refused: it stays with ``reason`` under it, and selected, as a value is
        when the editor opens: what is typed next replaces it (never glued onto the refused
        text); an arrow, home or end keeps it to be corrected. After tab / shift+tab (``step``)
        the reason says the cursor did not move on."""
        moved = f"（未移到{'右' if step > 0 else '左'}边一格）" if step else ""
        self.show_error(reason + moved)
        self.input.select_all()

    def show_error(self, message: str) -> None:
        error = self.query_one("#edit-error", Static)
        error.update(t(message))
        error.set_class(bool(message), "shown")
        self._error_on = self.input.value if message else None

    def on_input_changed(self, event: Input.Changed) -> None:
        """The text was edited (not merely moved in): a reason about the text before goes. The
        line as it is now is compared: the Changed of keys typed before enter comes later."""
        if self._error_on is not None and event.input.value != self._error_on:
            self.show_error("")

    def close(self) -> None:
        """Closed at once (keys go to the grid); the view takes the line away after the paint."""
        self.is_open = False
