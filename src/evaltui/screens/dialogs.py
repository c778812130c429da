"""Small modal screens: the quit question, a yes/no confirmation, a path prompt, a text editor.

Each answers in the same call as the key that gives the answer: a button's enter (or click)
and a prompt's enter call the screen directly rather than posting Pressed / Submitted, so the
key after the answer (routed by screens/keys.py) already finds the dialog gone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from evaltui.visible import is_safe, visible, without_controls
from evaltui.widgets.editor import CONTROLS_REMOVED, SafeInput
from evaltui.widgets.focus import focus_now
from evaltui.widgets.footer import KeyFooter
from evaltui.widgets.paragraph import Paragraph
from evaltui.widgets.text import Shown, t

_Answer = TypeVar("_Answer")

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 72; max-width: 95%; height: auto; max-height: 90%;
    border: thick $accent; background: $surface; padding: 1 2;
}}
{name} .question {{ margin-bottom: 1; }}
{name} .error {{ color: $error; }}
{name} Horizontal {{ height: auto; margin-top: 1; }}
{name} Button {{ margin-right: 2; }}
"""


Check = Callable[[str], "str | None"]  # why a typed text cannot be taken, or None


class Dialog(ModalScreen[_Answer]):
    """A dialog: its own keys, and f1 (or ? where nothing is typed) for help, which lists the
    keys that act in the dialog (screens/help.py dialog_rows). The app's bindings do not reach
    inside a modal screen (but for its priority ones), so each dialog has this one itself."""

    HELP_TITLE = "对话框（所有）"
    BINDINGS = [Binding("f1,question_mark", "app.help", "帮助")]
    IDLE_APP_ACTIONS: tuple[str, ...] = ()  # the app's priority keys' actions that do nothing here

    def on_mount(self) -> None:
        from evaltui.widgets.toasts import hide_below

        hide_below(self)
        self.screen_layout_refresh_signal.subscribe(self, self._keep_toasts_clear)

    def _keep_toasts_clear(self, _screen: object = None) -> None:
        """Toasts stand beside the dialog's box, never over its buttons (widgets/toasts.py)."""
        from evaltui.widgets.toasts import place_clear_of

        boxes = [child for child in self.children if isinstance(child, Vertical)]
        if boxes:
            controls = [w for w in self.query("Button, Input, TextArea, Checkbox") if w.region.height]
            place_clear_of(self, boxes[0], controls)


class Answer(Button):
    """A dialog's button: enter or a click answers now, through the screen's ``answer_button``."""

    def press(self) -> Answer:
        if self.disabled or not self.display:
            return self
        self.screen.answer_button(self.id or "")  # type: ignore[attr-defined]
        return self


class QuitScreen(Dialog[str]):
    """Unsaved changes: save (s), discard (d) or cancel (escape / c)."""

    HELP_TITLE = "退出确认"
    DEFAULT_CSS = DIALOG_CSS.format(name="QuitScreen")
    IDLE_APP_ACTIONS = ("quit_app",)  # ctrl+q, ctrl+c: the question is already there
    BINDINGS = [
        Binding("s", "choose('save')", "保存并退出"),
        Binding("d", "choose('discard')", "不保存退出"),
        Binding("escape,c", "choose('cancel')", "取消"),
    ]

    def __init__(self, unsaved: list[str]) -> None:
        super().__init__()
        self.unsaved = unsaved

    def compose(self) -> ComposeResult:
        names = "、".join(self.unsaved[:5]) + ("……" if len(self.unsaved) > 5 else "")
        with Vertical():
            yield Paragraph(t(f"有 {len(self.unsaved)} 份自评表未保存：{names}\n退出前要保存吗？"), classes="question")
            with Horizontal():
                yield Answer("保存并退出 (s)", id="save", variant="primary")
                yield Answer("不保存退出 (d)", id="discard", variant="error")
                yield Answer("取消 (esc)", id="cancel")

    def answer_button(self, name: str) -> None:
        self.dismiss(name)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class ConfirmScreen(Dialog[bool]):
    """A yes / no question before something that cannot be undone; enter answers no."""

    HELP_TITLE = "确认"
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")
    AUTO_FOCUS = "#no"  # the default answer: enter presses the focused button
    BINDINGS = [Binding("y", "answer(True)", "是"), Binding("n,escape", "answer(False)", "否")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Paragraph(t(self.question), classes="question")
            with Horizontal():
                yield Answer("是 (y)", id="yes", variant="warning")
                yield Answer("否 (n)", id="no")

    def answer_button(self, name: str) -> None:
        self.dismiss(name == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class StateBox(Checkbox):
    """A check box whose state reads in plain text too: ✓ when on, blank when off. Textual's
    shows X either way, on or off told by its colour only (lost under NO_COLOR, on a 16-colour
    terminal, or in a screen read as text)."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "✓" if self.value else " "


class ImportClashScreen(Dialog[tuple[str, bool]]):
    """An imported evaluation whose file exists: replace (r), keep both (k) or skip (s) it;
    a makes the answer hold for the rest of the document; escape cancels the whole import."""

    HELP_TITLE = "导入：同名自评表"
    DEFAULT_CSS = DIALOG_CSS.format(name="ImportClashScreen")
    BINDINGS = [
        Binding("r", "choose('replace')", "替换"),
        Binding("k", "choose('keep')", "两者都保留"),
        Binding("s", "choose('skip')", "跳过"),
        Binding("a", "toggle_all", "其余的也这样"),
        Binding("escape", "choose('cancel')", "取消导入"),
    ]

    def __init__(self, name: str, file_name: str, remaining: int) -> None:
        super().__init__()
        self.ev_name = name
        self.file_name = file_name
        self.remaining = remaining

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Paragraph(t(f"「{self.ev_name}」已存在（{self.file_name}）。\n"
                           "替换：用导入的内容覆盖它；两者都保留：另存为新文件；跳过：不导入这一份。"),
                         classes="question")
            if self.remaining:
                yield StateBox(t(f"其余 {self.remaining} 份同名的也这样 (a)"), id="all")
            with Horizontal():
                yield Answer("替换 (r)", id="replace", variant="warning")
                yield Answer("两者都保留 (k)", id="keep", variant="primary")
                yield Answer("跳过 (s)", id="skip")

    def _all(self) -> bool:
        boxes = self.query(Checkbox)
        return bool(boxes) and boxes.first().value

    def answer_button(self, name: str) -> None:
        self.action_choose(name)

    def action_toggle_all(self) -> None:
        for box in self.query(Checkbox):
            box.toggle()

    def action_choose(self, choice: str) -> None:
        self.dismiss((choice, self._all() or choice == "cancel"))


class PromptInput(SafeInput):
    """The prompt's line: enter gives the text to the screen now (no Submitted message)."""

    async def action_submit(self) -> None:
        self.screen.submit(self.value)  # type: ignore[attr-defined]


class PromptScreen(Dialog[str | None]):
    """Ask for one line of text (a path, a name); escape cancels.

    ``check`` is given the typed text (stripped) on enter and returns why it cannot be taken, or
    None: a refused text stays in the line with the reason under it, for correction, and the
    dialog stays open. The check may do the work itself (create the file) when only doing it
    tells whether it can be done; what follows (another question, a redraw) belongs in the
    push_screen callback, which gets the text once the dialog is gone."""

    HELP_TITLE = "输入"
    TYPES_TEXT = True  # ? is typed, not help (screens/help.py dialog_rows)
    DEFAULT_CSS = DIALOG_CSS.format(name="PromptScreen") + """
    PromptScreen #prompt-error { display: none; }
    PromptScreen #prompt-error.shown { display: block; }
    """
    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, question: str, value: str = "", check: Check | None = None) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Paragraph(t(self.question), classes="question")
            yield PromptInput(visible(self.value), id="prompt-input")  # a path from a file name, shown escaped
            yield Shown(id="prompt-error", classes="error")
            yield Shown(t("enter 确定 · escape 取消 · f1 帮助"), classes="hint")

    def submit(self, typed: str) -> None:
        value = (self.value if typed == visible(self.value) else typed).strip()  # unchanged: as it was
        reason = self.check(value) if self.check is not None else None
        if reason:
            self.refused = typed
            self.show_error(reason)
            return
        self.dismiss(value or None)

    refused: str | None = None  # the text the reason shown is about

    def show_error(self, reason: str) -> None:
        error = self.query_one("#prompt-error", Static)
        error.update(t(reason))
        error.set_class(bool(reason), "shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        # A correction clears the reason; the Changed of keys typed before enter (they come
        # later, through the queue) leaves it.
        if self.refused is not None and event.input.value != self.refused:  # the line as it is now
            self.refused = None
            self.show_error("")

    def action_cancel(self) -> None:
        self.dismiss(None)


def output_check(what: str, suffixes: tuple[str, ...]) -> Check:
    """A PromptScreen check for a file to write: a name ending in one of ``suffixes``, in a folder that exists."""

    def check(value: str) -> str | None:
        if not value:
            return f"请输入{what}的路径（escape 取消）"
        target = Path(value).expanduser()
        if target.is_dir():
            return f"{value} 是文件夹，请在后面写上文件名（以 {suffixes[0]} 结尾）"
        if target.suffix.lower() not in suffixes:
            return f"{what}应以 {' 或 '.join(suffixes)} 结尾"
        if not target.parent.is_dir():
            return f"文件夹 {target.parent} 不存在"
        from evaltui import store

        try:  # what only the write tells (/proc takes no new file, no permission): said here, not after
            store.check_writable(target)
        except store.SaveError as exc:
            return str(exc)
        return None

    return check


def input_check(what: str, suffixes: tuple[str, ...] = ()) -> Check:
    """A PromptScreen check for a file to read: a path to a file that exists (ending in one of
    ``suffixes``, when given)."""

    def check(value: str) -> str | None:
        if not value:
            return f"请输入{what}的路径（escape 取消）"
        path = Path(value).expanduser()
        if path.is_dir():
            return f"{value} 是文件夹，请给出{what}的路径"
        if suffixes and path.suffix.lower() not in suffixes:
            return f"{value} 不是{what}（应以 {'、'.join(suffixes)} 结尾）"
        if not path.exists():
            return f"找不到 {value}"
        return None

    return check


def _gated_text_area():
    """A TextArea that takes no control character from a paste (tab and line feed excepted), and says so."""
    from textual.widgets import TextArea  # only when a long text is edited: a heavy import

    class GatedTextArea(TextArea):
        def _replace_via_keyboard(self, insert: str, start, end):  # every typed or pasted text
            clean = without_controls(insert, lines=True)
            if clean != insert:
                self.notify(CONTROLS_REMOVED, severity="warning")
            return super()._replace_via_keyboard(clean, start, end)

    return GatedTextArea


class TextEditorScreen(Dialog[str | None]):
    """A multi-line editor for long texts (goals, reasons): ctrl+s keeps, escape cancels.

    A text that cannot be taken (a control character; or what ``check`` refuses, given the
    text, as PromptScreen's) stays in the editor with the reason above it."""

    HELP_TITLE = "长文本编辑"
    TYPES_TEXT = True  # ? is typed, not help (screens/help.py dialog_rows)
    DEFAULT_CSS = DIALOG_CSS.format(name="TextEditorScreen") + """
    TextEditorScreen > Vertical { width: 100; height: 80%; }
    TextEditorScreen TextArea { height: 1fr; }
    TextEditorScreen #text-error { display: none; }
    TextEditorScreen #text-error.shown { display: block; }
    """
    BINDINGS = [
        Binding("ctrl+s", "keep", "确定", priority=True),
        Binding("escape", "cancel", "取消"),
    ]

    def __init__(self, label: str, value: str, check: Check | None = None) -> None:
        super().__init__()
        self.label = label
        self.value = value
        self.check = check
        # Control characters shown as \u001b (the one gate); an unchanged text keeps the value as it is.
        self.shown = visible(value, lines=True)

    def compose(self) -> ComposeResult:
        from textual.widgets import (
            TextArea,  # only when a long text is edited: a heavy import
        )

        with Vertical():
            yield Paragraph(t(f"编辑 {self.label}   ctrl+s 确定 · escape 取消（enter 换行）"), classes="question")
            yield Shown(id="text-error", classes="error")
            yield _gated_text_area()(self.shown, id="long-text", soft_wrap=True, show_line_numbers=False)
        yield KeyFooter()  # its own keys, not the grid's underneath

    def on_mount(self) -> None:
        from textual.widgets import TextArea

        area = self.query_one(TextArea)
        focus_now(area)
        area.move_cursor(area.document.end)  # a long text is added to, not replaced by a stray key

    def changed(self) -> bool:
        """The text is not what the editor opened with."""
        from textual.widgets import TextArea

        return self.query_one(TextArea).text != self.shown

    def action_keep(self) -> None:
        from textual.widgets import TextArea

        text = self.query_one(TextArea).text
        if text == self.shown:
            self.dismiss(self.value)
            return
        if not is_safe(text.replace("\n", "").replace("\t", "")):
            reason = f"不能包含控制字符（{visible(text)[:60]}），请删去"
        else:
            reason = self.check(text) if self.check is not None else None
        if reason:
            self.refused = text
            self.show_error(reason)
        else:
            self.dismiss(text)

    refused: str | None = None  # the text the reason shown is about

    def show_error(self, reason: str) -> None:
        error = self.query_one("#text-error", Static)
        error.update(t(reason))
        error.set_class(bool(reason), "shown")

    def on_text_area_changed(self, event) -> None:
        if self.refused is not None and event.text_area.text != self.refused:  # corrected: the reason goes
            self.refused = None
            self.show_error("")

    def action_cancel(self) -> None:
        self.dismiss(None)


def _listed(lines: list[str], empty: str = "（无）", most: int | None = None) -> str:
    """Changes one a line, indented with a dot; ``empty`` when there are none; past ``most``, a count."""
    text = "\n".join(f"  · {line}" for line in lines[:most]) or f"  {empty}"
    if most is not None and len(lines) > most:
        text += f"\n  ……共 {len(lines)} 处"
    return text


class ChangesScreen(Dialog[_Answer]):
    """A question about one file's changes: a line, the changes (scrolling), the buttons (label, id,
    variant) and a hint under them when set. A subclass says what its buttons and keys answer."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ChangesScreen") + """
    ChangesScreen > Vertical { width: 90; }
    ChangesScreen #changes { height: auto; max-height: 16; overflow-y: auto; }
    """
    BUTTONS: tuple[tuple[str, str, str], ...] = ()
    HINT = ""

    def __init__(self, question: str, listing: str) -> None:
        super().__init__()
        self.question = question
        self.listing = listing

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Paragraph(t(self.question), classes="question")
            yield Shown(t(self.listing), id="changes")
            with Horizontal():
                for label, name, variant in self.BUTTONS:
                    yield Answer(label, id=name, variant=variant)  # type: ignore[arg-type]
            if self.HINT:
                yield Shown(t(self.HINT), classes="hint")


class ConflictScreen(ChangesScreen[str]):
    """The file changed on disk since it was read: reload, save over, save as new, or cancel."""

    HELP_TITLE = "文件已被他人修改"
    BINDINGS = [
        Binding("r", "choose('reload')", "重新读取"),
        Binding("o", "choose('overwrite')", "覆盖保存"),
        Binding("n", "choose('new')", "另存为新文件"),
        Binding("escape,c", "choose('cancel')", "取消"),
    ]
    BUTTONS = (
        ("重新读取 (r)", "reload", "default"),
        ("覆盖保存 (o)", "overwrite", "error"),
        ("另存为新文件 (n)", "new", "primary"),
        ("取消 (esc)", "cancel", "default"),
    )
    HINT = "重新读取后，ctrl+z 把你的改动套回新版本上（对方的改动保留）。"

    def __init__(self, name: str, theirs: list[str], mine: list[str], *, gone: bool = False) -> None:
        if gone:  # nothing to read again: write it back, or beside it under a new name
            super().__init__(f"{name} 在你读取之后已被删除或改名，没有保存。",
                             f"你未保存的改动：\n{_listed(mine)}")
            self.BUTTONS = tuple(button for button in self.BUTTONS if button[1] != "reload")
            self.HINT = "覆盖保存：按你的内容重新写出此文件；另存为新文件：换个名称写出"
        else:
            super().__init__(f"{name} 在你读取之后被改过，没有保存。",
                             f"文件中的改动：\n{_listed(theirs, '（内容相同，只是文件被重写）')}\n\n"
                             f"你未保存的改动：\n{_listed(mine)}")
        self.gone = gone
        self.theirs = theirs
        self.mine = mine

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.gone and parameters == ("reload",))  # a file gone is not read again

    def answer_button(self, name: str) -> None:
        self.dismiss(name)

    def action_choose(self, choice: str) -> None:
        if self.gone and choice == "reload":
            return
        self.dismiss(choice)


class RecoverScreen(ChangesScreen[bool]):
    """Unsaved edits kept from a session that ended without saving: 恢复 (r) or 丢弃 (d)."""

    HELP_TITLE = "恢复未保存的修改"
    BINDINGS = [
        Binding("r", "answer(True)", "恢复"),
        Binding("d", "answer(False)", "丢弃"),
    ]
    BUTTONS = (("恢复 (r)", "recover", "primary"), ("丢弃 (d)", "discard", "error"))

    def __init__(self, name: str, changes: list[str]) -> None:
        super().__init__(f"{name} 有上次未保存的修改（程序意外退出或连接中断）：", _listed(changes, most=30))
        self.changes = changes

    def answer_button(self, name: str) -> None:
        self.dismiss(name == "recover")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
