"""Every key of the app, in the order it came, decided in the app's task: on the main screen
and on every dialog.

Textual hands a key to the focused widget's own message queue and looks at bindings only
when the key bubbles back to the app; ``widget.focus()`` is applied later, through the app's
queue; a pushed screen composes and focuses its widgets in its own task. A key that arrives
in between (a burst over SSH, a paste, a script) therefore goes to the widget or screen that
was there before: typed into the grid while the long-text editor opens, or lost on a dialog
that is not mounted yet.

:class:`KeyRouter` decides each key in the app's task, one at a time:

- while the screen on top has just changed (pushed or popped) and has not yet composed,
  mounted and resumed, keys are held: a probe posted to that screen's own queue runs after
  those, and then the held keys are replayed into it in order, one key per app message (so
  a dialog's answer, handed back with ``call_next``, is taken before the next key);
- while someone asked to hold (the main screen while its grids mount, or while an
  evaluation chosen with enter is read), keys are held too;
- otherwise a key goes: priority bindings; a character typed into the focused Input or
  TextArea, inserted now; a character a grid takes to start editing; the bindings of the
  focused widget and its ancestors (the screen's, then the app's); and only then, unhandled,
  to the focused widget's queue.

The dialogs answer in the same call (screens/dialogs.py: their buttons and prompt do not go
through a Pressed or Submitted message), so the key after the answer already finds the
dialog gone.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from typing import TYPE_CHECKING

from textual import events
from textual.keys import key_to_character
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import BindingsMap
    from textual.dom import DOMNode
    from textual.screen import Screen
    from textual.widget import Widget

Typed = events.Key | events.Paste


def type_into(field: Input, text: str) -> None:
    """What Input does with a typed character or a pasted line, done now."""
    selection = field.selection
    if selection.is_empty:
        field.insert_text_at_cursor(text)
    else:
        field.replace(text, *selection)


def _text_area(widget: Widget | None):
    """``widget`` when it is a TextArea (whose module is loaded only once one has been built)."""
    module = sys.modules.get("textual.widgets._text_area")
    return widget if module is not None and isinstance(widget, module.TextArea) else None


def key_target(screen: Screen) -> Widget | None:
    """Where ``screen``'s keys go: its focused widget, unless the screen names another
    (the main screen: the cell editor's line while a cell of the focused grid is edited)."""
    target = getattr(screen, "key_target", None)
    return screen.focused if target is None else target


def binding_chain_from(node: Widget) -> list[tuple[DOMNode, BindingsMap]]:
    """The bindings that act on a key when ``node`` takes the keys, as Textual's
    ``Screen._binding_chain`` gives them for the focused widget: ``node`` and its ancestors up
    to the app, less the keys a widget nearer ``node`` takes as typing (an Input's characters)."""
    chain = [(each, each._bindings.copy()) for each in node.ancestors_with_self]
    nearer: list[DOMNode] = []
    for namespace, bindings in chain:
        for taker in nearer:
            for key in list(bindings.key_to_bindings):
                if taker.check_consume_key(key, key_to_character(key)):
                    del bindings.key_to_bindings[key]
        nearer.append(namespace)
    keymap = node.app._keymap
    if keymap:
        for namespace, bindings in chain:
            clashed = bindings.apply_keymap(keymap).clashed_bindings
            if clashed:
                node.app.handle_bindings_clash(clashed, namespace)
    return chain


class KeyRouter:
    def __init__(self, app: App) -> None:
        self.app = app
        self.last_key_at = time.monotonic()  # when the last key came (collector.py waits for a quiet moment)
        self.holds: set[str] = {"mount"}  # the main screen releases this once its grids are mounted
        self.held: deque[Typed] = deque()
        self._settled: Screen | None = None  # the screen on top, once it has composed, mounted and resumed
        self._probing: Screen | None = None
        self._replay_due = False
        self._routing: tuple[Typed, Screen] | None = None  # the key being decided, and the screen it was for

    # ------------------------------------------------------------ taking keys

    async def take(self, event: Typed) -> None:
        self.last_key_at = time.monotonic()
        if self.holds or self.held or not self._screen_settled():
            self.held.append(event)
            self._wake()
            return
        await self._route(event)

    def routing_on(self, screen: Screen) -> Typed | None:
        """The key being decided now, when it was typed on ``screen`` (None for an action that
        came from elsewhere: the palette, a click, a message)."""
        if self._routing is not None and self._routing[1] is screen:
            return self._routing[0]
        return None

    def again(self, event: Typed) -> None:
        """Decide ``event`` once more, before any key held or still to come: a key that asked a
        question (edit a read-only file?) acts once the answer allows it."""
        fresh = events.Paste(event.text) if isinstance(event, events.Paste) else events.Key(event.key, event.character)
        self.held.appendleft(fresh)  # a new event: the first one's handled / stopped flags do not carry over
        self._wake()

    def hold(self, why: str) -> None:
        self.holds.add(why)

    def release(self, why: str) -> None:
        """Stop holding for ``why``; held keys are replayed in the app's task, before any new key."""
        self.holds.discard(why)
        self._wake()

    def screen_changed(self, screen: Screen | None = None) -> None:
        """A screen was pushed or popped (Textual's screen_change_signal, called at once): keys wait
        until the screen now on top has composed, mounted and resumed."""
        self._settled = None
        self._probe(self.app.screen)

    def _screen_settled(self) -> bool:
        screen = self.app.screen
        if screen is self._settled:
            return True
        self._probe(screen)
        return False

    def _probe(self, screen: Screen) -> None:
        if self._probing is screen:
            return
        self._probing = screen
        # The screen's own queue: compose and mount run first, then its ScreenResume, then this.
        if not screen.call_later(self._probed, screen):
            self._probing = None

    def _probed(self, screen: Screen) -> None:
        if self._probing is screen:
            self._probing = None
        if screen is self.app.screen:
            self._settled = screen
        self._wake()

    def _wake(self) -> None:
        if self._replay_due or not self.held or self.holds:
            return
        if not self._screen_settled():
            return  # the probe wakes us
        self._replay_due = True
        self.app.call_later(self._replay_one)

    async def _replay_one(self) -> None:
        """One held key per app message: what it started (a dialog's answer) is done before the next."""
        self._replay_due = False
        if self.held and not self.holds and self._screen_settled():
            await self._route(self.held.popleft())
        self._wake()

    # ------------------------------------------------------------ deciding one key

    async def _route(self, event: Typed) -> None:
        self._routing = (event, self.app.screen)
        try:
            await self._decide(event)
        finally:
            self._routing = None
        self._paint_now()

    def _paint_now(self) -> None:
        """Show what the key changed at once, unless more keys are waiting (a burst is painted
        once, after its last key). Textual paints when each changed widget has told the screen
        through a message, the screen's queue has run dry and its update timer has woken: a
        millisecond or two more of every key, before the cursor moves. Here the widgets on
        screen that only need drawing again are painted now; a change of layout, scrolling or
        styles, and what the key's messages change, are painted by Textual after, as before.
        The app then waits until the frame is out (terminal_output.py) before it goes on.

        Textual's own (it is pinned): a widget's ``_repaint_required`` and its other pending
        flags, the screen's ``_dirty_widgets`` and its update timer's ``_on_timer_update``,
        ``_batch_count`` (a batch update under way), and what the app's queue holds: ``values``,
        and ``_pending_message`` (the next one, taken out to be looked at)."""
        app = self.app
        if self.held or app._batch_count or not app.is_running:
            return
        waiting = [app._pending_message, *app._message_queue.values]
        if any(isinstance(message, (events.Key, events.Paste)) for message in waiting):
            return
        screen = app.screen
        dirty = []
        for widget in screen._compositor.visible_widgets:  # a widget not on screen cannot be painted now
            if widget is screen:
                continue
            if widget._layout_required or widget._scroll_required or widget._refresh_styles_required:
                return
            if widget._repaint_required and widget.display:
                dirty.append(widget)
        if not dirty:
            return
        for widget in dirty:
            widget._repaint_required = False
        screen._dirty_widgets.update(dirty)
        screen._on_timer_update()
        wait_written = getattr(app._driver, "wait_written", None)
        if wait_written is not None:  # the frame out before the work left for after it (terminal_output.py)
            wait_written()
        after_frame = getattr(app, "after_frame", None)
        if after_frame is not None:  # the app's garbage collected now, not in the next key (collector.py)
            after_frame()

    async def _decide(self, event: Typed) -> None:
        app = self.app
        screen = app.screen
        focused = key_target(screen)
        before = getattr(app, "before_key", None)
        if before is not None:  # the app draws what earlier keys left for after the paint (EvalApp.settle)
            before(event, focused)
        if isinstance(event, events.Paste):
            self._paste(screen, focused, event)
            return
        if screen.maximized is not None and event.key == "escape" and app.escape_to_minimize:
            screen.minimize()
            return
        # Textual's own order: priority bindings, then the focused widget, then its ancestors' bindings.
        if await app._check_bindings(event.key, priority=True):
            return
        if await self._typed(focused, event):
            return
        if await app._check_bindings(event.key):
            return
        event._set_forwarded()
        (focused or screen).post_message(event)

    async def _typed(self, focused: Widget | None, event: events.Key) -> bool:
        """A key the focused widget takes as typing, taken now."""
        if isinstance(focused, Input):
            if event.is_printable and event.character:
                type_into(focused, event.character)
                return True
            return False
        area = _text_area(focused)
        if area is not None:
            await area._on_key(event)  # inserts a character, a line feed or a tab, and says so
            return event._no_default_action
        start_editing = getattr(focused, "type_to_edit", None)  # a grid: a digit or sign edits the cell
        return bool(event.is_printable and start_editing is not None and start_editing(event.character or ""))

    def _paste(self, screen: Screen, focused: Widget | None, event: events.Paste) -> None:
        if not event.text:
            return
        # Terminals send a pasted line break as CR (the enter key's byte), not as a control to remove.
        event = events.Paste(event.text.replace("\r\n", "\n").replace("\r", "\n"))
        edit = getattr(focused, "paste_to_edit", None)  # a grid: a paste edits the cell under the cursor, as typing does
        if edit is not None:
            edit(event.text)
            focused = key_target(screen)  # the cell editor, now open with the value selected: the paste goes in
            if not isinstance(focused, Input):
                return
        if isinstance(focused, Input):
            refuses = getattr(focused, "refuses_paste", None)  # the cell editor: several lines are refused, not cut
            if refuses is None or not refuses(event.text):
                type_into(focused, event.text.splitlines()[0])
            return
        area = _text_area(focused)
        if area is not None and not area.read_only:
            result = area._replace_via_keyboard(event.text, *area.selection)
            if result:
                area.move_cursor(result.end_location)
            return
        if screen is not self.app.screen_stack[0]:  # the main screen takes pastes only in its inputs
            event._set_forwarded()
            (focused or screen).post_message(event)
