"""A widget's parts it composed once and keeps for good: looked up by id the first time, then
kept (a lookup walks the widget tree, and a committed edit asked for some thirty of them)."""

from __future__ import annotations

from typing import TypeVar

from textual.dom import DOMNode

Part = TypeVar("Part", bound=DOMNode)


def part(owner: DOMNode, selector: str, kind: type[Part]) -> Part:
    found = owner.__dict__.setdefault("_parts_found", {})
    widget = found.get(selector)
    if widget is None:
        widget = found[selector] = owner.query_one(selector, kind)
    return widget
