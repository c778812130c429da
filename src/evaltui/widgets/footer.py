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

It is one widget that paints one line. Textual's footer mounts a widget per key and mounts them
anew whenever the focus moves; every commit of a cell moves the focus twice (into the cell
editor and back), and those remounts were most of the time between enter and the screen.
"""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

APP_ORDER = ("help", "save", "quit_app", "review", "command_palette")  # the app's keys, most useful first
ESSENTIAL = ("help", "save", "quit_app")  # kept longer than a place's later keys


def action_name(action: str) -> str:
    """``row('add')`` → ``row``; ``screen.focus_grid`` → ``focus_grid``."""
    return action.split("(", 1)[0].rsplit(".", 1)[-1]


def _width(key: str, description: str) -> int:
    """Cells a FooterKey takes: `` key `` then ``description `` (Textual's padding)."""
    return cell_len(key) + 2 + cell_len(description) + 1


class KeyFooter(Widget, can_focus=False):
    """A footer of the keys that act where the focus is, fitted to its width."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._keys: list[tuple[Binding, bool, str, str]] = []  # as shown: fitted to the width
        self._spans: list[tuple[int, int, Binding, bool]] = []  # cells each key takes, for the mouse

    @property
    def shown(self) -> list[str]:
        """``key description`` of every key on the line, in order."""
        return [f"{display} {binding.description}" for binding, _enabled, _tooltip, display in self._keys]

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
            label = getattr(node, "key_label", None)  # a label that depends on where the cursor is
            if label is not None and (said := label(action_name(binding.action))):
                binding = replace(binding, description=said)
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

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._fit)  # once the screen has its focus

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._fit)  # once the focus that changed them has settled

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Work out the keys for the present bindings and width; paint again only if they changed."""
        if not self.is_attached:  # its dialog closed meanwhile
            return
        keys = self.fitted(self.size.width or self.app.size.width)
        if [(b.key, b.description, e, d) for b, e, _t, d in keys] != [
                (b.key, b.description, e, d) for b, e, _t, d in self._keys]:
            self._keys = keys
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        for binding, enabled, _tooltip, display in self._keys:
            dim = Style.null() if enabled else Style(dim=True)
            start = line.cell_len
            line.append(f" {display} ", key_style + dim)
            line.append(f"{binding.description} ", description_style + dim)
            self._spans.append((start, line.cell_len, binding, enabled))
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, binding, enabled in self._spans:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(binding.key.split(",", 1)[0])
                else:
                    self.app.bell()
                return
