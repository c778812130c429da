"""Toasts: the same line again is counted on one toast (没有可撤销的修改（×6）) instead of
stacking six; a toast for work under way (正在导入…) goes when the work ends; in a dialog the
toasts stand where they hide none of its buttons (``place_clear_of``).
"""

from __future__ import annotations

import re

from textual.notifications import Notification, Notifications, Notify
from textual.widget import Widget
from textual.widgets._toast import ToastRack

from evaltui.visible import visible

_COUNTED = re.compile(r"^(?P<text>.*)（×(?P<times>\d+)）$", re.S)
TOAST_HEIGHT = 4  # a one-line toast: its margin, padding and line


def fold(shown: Notifications, new: Notification) -> None:
    """Before ``new`` is shown: a toast of the same line goes, and ``new`` says how many times."""
    times = 1
    for old in list(shown):
        counted = _COUNTED.match(old.message)
        text, n = (counted["text"], int(counted["times"])) if counted else (old.message, 1)
        if text == new.message and (old.severity, old.title) == (new.severity, new.title):
            del shown[old]
            times += n
    if times > 1:
        new.message = f"{new.message}（×{times}）"


def lasting(app, message: str) -> Notification:
    """A toast posted on ``app`` that stays until it is taken away (``app._unnotify``)."""
    notification = Notification(visible(message, lines=True), timeout=3600, markup=False)
    app.post_message(Notify(notification))
    return notification


def hide_below(screen) -> None:
    """The toasts of the screens under a dialog go out of sight (a dialog shows them itself, in
    its own place); a screen's toasts come back when it is on top again (Textual shows them then)."""
    for below in screen.app.screen_stack[:-1]:
        for rack in below.query_children(ToastRack):
            rack.display = False


def place_clear_of(screen, box: Widget, controls: list[Widget]) -> None:
    """Put ``screen``'s toasts above or below the dialog ``box``, where there is more room; with
    no room for a toast outside it, above its ``controls`` (buttons, the line typed in) at least."""
    try:
        rack = screen.get_child_by_type(ToastRack)
    except Exception:  # noqa: BLE001 - notifications off (tests), or the screen going
        return
    above, below = box.region.y, screen.size.height - box.region.bottom - 1  # the rack's own margin
    if max(above, below) < TOAST_HEIGHT and controls:  # the box fills the screen: keep off its controls
        above, below = min(c.region.y for c in controls), 0
    top = above > below
    rack.styles.dock = "top" if top else "bottom"
    rack.styles.align_vertical = "top" if top else "bottom"
    rack.styles.margin = 0 if top else (0, 0, 1, 0)
    rack.styles.max_height = max(0, above if top else below)
