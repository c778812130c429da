"""No exception takes the app down: one line on screen (EVALTUI_DEBUG=1 for the traceback),
and the app goes on with every edit in place.

Textual stops a widget's message loop at the first exception its handlers raise, and exits
the app. :func:`guarded` makes a class's message loop report and go on instead; the app
reports exceptions from workers and callbacks the same way (EvalApp._handle_exception).
"""

from __future__ import annotations

import os
import traceback
from typing import TypeVar

from textual.message_pump import MessagePump

T = TypeVar("T", bound=type[MessagePump])


def debugging() -> bool:
    return os.environ.get("EVALTUI_DEBUG", "") not in ("", "0")


def describe(error: BaseException) -> str:
    """One line for the person; the traceback too when EVALTUI_DEBUG is set."""
    line = f"内部错误：{type(error).__name__}: {error}".replace("\n", " ")[:200]
    line += "（修改仍在；ctrl+s 保存）"
    if debugging():
        line += "\n" + "".join(traceback.format_exception(error))
    return line


def guarded(cls: T) -> T:
    """Make ``cls``'s handlers report an exception through the app instead of ending its loop."""
    dispatch = cls._dispatch_message

    async def _dispatch_message(self, message):  # type: ignore[no-untyped-def]
        try:
            return await dispatch(self, message)
        except Exception as error:
            app = self.app
            if not getattr(app, "guard", False):
                raise
            app.report_error(error)

    cls._dispatch_message = _dispatch_message  # type: ignore[method-assign]
    return cls
