"""The cell editor: a line under the grid that opens with the value selected.

Enter commits, escape cancels. A refused value stays in the editor with the reason under it,
so nothing typed is lost.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from evaltui.widgets.grids import EditTarget
from evaltui.widgets.text import t


class EditLine(Vertical):
    """Shown while a cell is being edited."""

    HELP_TITLE = "单元格编辑"
    DEFAULT_CSS = """
    EditLine { height: auto; display: none; border-top: solid $accent; padding: 0 1; }
    EditLine.editing { display: block; }
    EditLine #edit-label { color: $text-muted; }
    EditLine #edit-error { color: $error; display: none; }
    EditLine #edit-error.shown { display: block; }
    EditLine Input { border: none; height: 1; padding: 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "取消", show=True)]

    class Committed(Message):
        def __init__(self, target: EditTarget, text: str) -> None:
            super().__init__()
            self.target = target
            self.text = text

    class Cancelled(Message):
        pass

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.target: EditTarget | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="edit-label", markup=False)
        yield Input(id="edit-input", select_on_focus=True)
        yield Static(id="edit-error", markup=False)

    def open(self, target: EditTarget) -> None:
        self.target = target
        hint = f"  （可选：{'、'.join(target.suggestions)}；→ 补全）" if target.suggestions else ""
        self.query_one("#edit-label", Static).update(t(f"编辑 {target.label}{hint}   enter 确定 · escape 取消"))
        field = self.query_one("#edit-input", Input)
        field.suggester = SuggestFromList(target.suggestions, case_sensitive=False) if target.suggestions else None
        field.value = target.value
        self.show_error("")
        self.add_class("editing")
        field.focus()
        field.select_all()

    def show_error(self, message: str) -> None:
        error = self.query_one("#edit-error", Static)
        error.update(t(message))
        error.set_class(bool(message), "shown")
        if message:
            self.query_one("#edit-input", Input).focus()

    def close(self) -> None:
        self.target = None
        self.remove_class("editing")

    @property
    def is_open(self) -> bool:
        return self.target is not None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.target is not None:
            self.post_message(self.Committed(self.target, event.value))

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())
