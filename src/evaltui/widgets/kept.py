"""A widget's colours worked out from its ancestors' styles once, not on every drawing.

Textual works out a widget's ``rich_style`` and ``background_colors`` by walking every ancestor's
styles, each time they are asked for: for every line a grid draws, several times. The grid sits
eight widgets deep, so one committed cell spent 0.4 ms on these walks alone. Here each is kept
until a style of the widget or of one of its ancestors changes: Textual counts the changes of
each widget's styles (``RenderStyles._cache_key``, its own; Textual is pinned).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode


def styles_print(node: DOMNode) -> tuple:
    """Changes whenever a style of ``node`` or of an ancestor changes (or an ancestor is another)."""
    return tuple((id(each), each.styles._cache_key) for each in node.ancestors_with_self)


class KeptByStyles:
    """A read-only property worked out by ``compute`` and kept while :func:`styles_print` is the same."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        self.compute = compute
        self.slot = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_kept_{name}"

    def __get__(self, node: DOMNode | None, owner: type | None = None) -> Any:
        if node is None:
            return self
        key = styles_print(node)
        kept = node.__dict__.get(self.slot)
        if kept is None or kept[0] != key:
            kept = node.__dict__[self.slot] = (key, self.compute(node))
        return kept[1]


# Textual's own ways of working them out
RICH_STYLE = KeptByStyles(DOMNode.rich_style.fget)  # type: ignore[attr-defined]
BACKGROUND_COLORS = KeptByStyles(DOMNode.background_colors.fget)  # type: ignore[attr-defined]
