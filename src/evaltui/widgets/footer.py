"""The footer: the keys that do something where the focus is, as many as fit, none cut.

Textual's footer lists every shown binding of the focused widget, its ancestors, the screen
and the app, and docks the palette key on the right over whatever is there: at 80 columns
the labels ran into each other (``^▏^p 命  面板``). Here:

- a binding shows only when its owner says it acts now (``shows_key(action)``, when the owner
  has one): the grid's editing keys are not offered on a read-only evaluation, the app's
  keys other than help are not offered inside a dialog;
- the keys of the focused widget come first, then the screen's, then the app's (help first);
- keys that do not fit in the width are left out whole (the palette and review keys first,
  then the place's later keys; help stays): nothing is cut in the middle of a label or of a
  Chinese character.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

APP_ORDER = ("help", "save", "quit_app", "review", "command_palette")  # the app's keys, most useful first
ESSENTIAL = ("help", "save", "quit_app")  # kept longer than a place's later keys


def action_name(action: str) -> str:
    """``row('add')`` → ``row``; ``screen.focus_grid`` → ``focus_grid``."""
    return action.split("(", 1)[0].rsplit(".", 1)[-1]


def _width(key: str, description: str) -> int:
    """Cells a FooterKey takes: `` key `` then ``description `` (Textual's padding)."""
    return cell_len(key) + 2 + cell_len(description) + 1


class KeyFooter(Footer):
    """A footer of the keys that act where the focus is, fitted to its width."""

    def __init__(self, **kwargs) -> None:
        super().__init__(show_command_palette=False, **kwargs)
        self._fitted_width = 0

    def shown_keys(self) -> list[tuple[Binding, bool, str, str]]:
        """(binding, enabled, tooltip, key display) of every key to offer now, in order, before fitting."""
        app = self.app
        own: list[tuple[Binding, bool, str, str]] = []
        of_app: list[tuple[int, tuple[Binding, bool, str, str]]] = []
        seen: set[tuple[int, str]] = set()
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or not enabled or not binding.description:
                continue
            if (id(node), binding.action) in seen:  # "d,delete": one key is enough
                continue
            seen.add((id(node), binding.action))
            shows = getattr(node, "shows_key", None)
            if shows is not None and not shows(action_name(binding.action)):
                continue
            item = (binding, enabled, tooltip, app.get_key_display(binding))
            if node is app:
                name = action_name(binding.action)
                of_app.append((APP_ORDER.index(name) if name in APP_ORDER else len(APP_ORDER), item))
            else:
                own.append(item)
        return own + [item for _, item in sorted(of_app, key=lambda pair: pair[0])]

    def fitted(self, width: int) -> list[tuple[Binding, bool, str, str]]:
        """The keys that fit in ``width`` cells. Left out first: the app's lesser keys (palette,
        review), then the place's own keys from the last, then quit and save; help never."""
        keys = self.shown_keys()
        names = [action_name(binding.action) for binding, *_ in keys]
        essential = [i for i, name in enumerate(names) if name in ESSENTIAL]
        lesser = [i for i, name in enumerate(names) if name in APP_ORDER and name not in ESSENTIAL]
        own = [i for i, name in enumerate(names) if name not in APP_ORDER]
        drop_order = lesser[::-1] + own[:0:-1] + own[:1] + [i for i in essential[::-1] if names[i] != "help"]
        kept = set(range(len(keys)))
        used = sum(_width(keys[i][3], keys[i][0].description) for i in kept)
        for i in drop_order:
            if used <= width:
                break
            kept.discard(i)
            used -= _width(keys[i][3], keys[i][0].description)
        return [keys[i] for i in sorted(kept)]

    def compose(self):
        if not self._bindings_ready:
            return
        width = self.size.width or self.app.size.width
        self._fitted_width = width
        for binding, enabled, tooltip, display in self.fitted(width):
            yield FooterKey(binding.key, display, binding.description, binding.action,
                            disabled=not enabled, tooltip=tooltip).data_bind(compact=Footer.compact)

    def on_resize(self, event) -> None:
        if event.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)
