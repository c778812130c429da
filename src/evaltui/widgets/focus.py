"""Focus that moves now.

``Widget.focus()`` takes effect later, through the app's message queue, so a key that
arrives in between still goes to the old widget. The app's key router (screens/main.py)
looks at ``screen.focused`` for every key; setting it here, in the same call, keeps each
key where the keys before it left the cursor.
"""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    try:
        screen = widget.screen
    except Exception:  # not mounted (yet): nothing to focus
        return
    screen.set_focus(widget)
