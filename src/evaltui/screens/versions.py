"""历史版本: the saved versions of the evaluation on screen, newest first; restore one as an edit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from evaltui import changes, store, versions
from evaltui.model import Evaluation
from evaltui.screens.dialogs import DIALOG_CSS, Dialog
from evaltui.widgets.text import Shown, t


def _evaluation(version: versions.Version) -> Evaluation | None:
    try:
        return store.loads(version.data.decode("utf-8"))
    except (store.LoadError, UnicodeDecodeError):
        return None


class VersionsScreen(Dialog[Evaluation | None]):
    """The list of versions (who, when, what each changed) and, for the one under the cursor,
    what restoring it would change in the evaluation as it is now. Enter or r restores."""

    HELP_TITLE = "历史版本"
    DEFAULT_CSS = DIALOG_CSS.format(name="VersionsScreen") + """
    VersionsScreen > Vertical { width: 110; }
    VersionsScreen OptionList { height: auto; max-height: 20vh; }
    VersionsScreen #compare { height: auto; max-height: 20vh; overflow-y: auto; margin-top: 1; }
    """  # the list and the comparison give way on a short terminal, the buttons keep their lines
    BINDINGS = [
        Binding("r", "restore", "恢复此版本"),
        Binding("escape,c", "cancel", "关闭"),
    ]

    def __init__(self, name: str, found: list[versions.Version], current: Evaluation) -> None:
        super().__init__()
        self.file_name = name
        self.found = found
        self.current = current

    def compose(self) -> ComposeResult:
        options = []
        for version in self.found:
            said = versions.describe(version)
            more = f"（另 {len(said) - 1} 处）" if len(said) > 1 else ""
            options.append(Option(t(f"{version.when.strftime('%Y-%m-%d %H:%M')}  {version.who}  {said[0]}{more}")))
        with Vertical():
            yield Shown(t(f"{self.file_name}：{len(self.found)} 个版本，最新的在前"), classes="question")
            yield OptionList(*options, id="versions")
            yield Shown("", id="compare")
            with Horizontal():
                yield Button("恢复此版本 (r)", id="restore", variant="primary")
                yield Button("关闭 (esc)", id="cancel")
            yield Shown(t("恢复后是一处未保存的修改，ctrl+z 撤销，ctrl+s 保存。"), classes="hint")

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.highlighted = 0
        listing.focus()
        self._show(0)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._restore(event.option_index)

    def _show(self, index: int) -> None:
        version = self.found[index]
        own = "\n".join(f"  · {line}" for line in versions.describe(version))
        old = _evaluation(version)
        if old is None:
            against = "  （此版本无法读取为自评表，不能恢复）"
        else:
            against = "\n".join(f"  · {line}" for line in changes.changes(self.current, old)) or "  （与当前内容相同）"
        text = f"{version.who} 于 {version.when.strftime('%Y-%m-%d %H:%M:%S')} 保存，改动：\n{own}\n\n恢复此版本会把当前内容改为：\n{against}"
        self.query_one("#compare", Static).update(t(text))

    def _restore(self, index: int | None) -> None:
        if index is None:
            return
        old = _evaluation(self.found[index])
        if old is None:
            self.notify("此版本无法读取为自评表，不能恢复", severity="error", markup=False)
            return
        self.dismiss(old)

    def action_restore(self) -> None:
        self._restore(self.query_one(OptionList).highlighted)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "restore":
            self.action_restore()
        else:
            self.dismiss(None)
