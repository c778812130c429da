"""Text from files is data, never markup: every widget shows it through these helpers."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text

from evaltui.numbers import plain


def t(value: object, style: str = "") -> Text:
    """A Rich Text that shows ``value`` exactly as typed: ``[/bold]`` stays ``[/bold]``."""
    if value is None:
        return Text("", style=style)
    if isinstance(value, Decimal):
        return Text(plain(value), style=style)
    return Text(str(value), style=style)


def one_line(value: str, limit: int = 0) -> str:
    """Line breaks shown as ⏎ so a long text fits one grid cell."""
    text = value.replace("\n", " ⏎ ")
    return text if not limit or len(text) <= limit else text[: limit - 1] + "…"


def show(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    return plain(value) if isinstance(value, Decimal) else value


def cell(value: object, style: str = "") -> Text:
    """A grid cell: one line that ends in ``…`` where the column cuts it, never silently shortened."""
    text = t(value, style)
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text
