"""Three-way merge, field by field: the one behind ``evaltui sync`` (sync.py: the parsed TOML of
an evaluation changed on both sides) and behind reading again a file changed on disk (rebase.py:
the evaluation on screen laid onto the newer file).

``base`` is the common version, ``ours`` this side's, ``theirs`` the other side's. A value one
side alone changed takes that side's. Tables (dicts) merge key by key, models field by field,
lists and tuples of the same length row by row; anything else both sides changed to different
values keeps ``ours``, and its path is reported as a clash. Rows are paired by position, so a
list whose rows both sides changed and that cannot be paired exactly (rows added or deleted, or
moved: pairing them by position would lay one row's edit onto another) is a clash as a whole:
``ours`` is kept, or, for a caller that cannot take a clash of rows, ``rows_clash`` is called.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

MISSING = object()  # a key one table has and another does not


def merge3(base: object, ours: object, theirs: object, where: tuple = (),
           rows_clash: Callable[[tuple], None] | None = None) -> tuple[object, list[tuple]]:
    """(merged, the paths both sides changed differently). What neither side changed comes
    back as ``theirs``'s own object, and a model is copied only for the fields that differ."""
    if base == ours:
        return theirs, []
    if base == theirs or ours == theirs:
        return ours, []
    clashes: list[tuple] = []
    if isinstance(ours, dict) and isinstance(theirs, dict) and isinstance(base, dict):
        merged = {}
        for key in list(ours) + [k for k in theirs if k not in ours]:
            value, clash = merge3(base.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING),
                                  (*where, key), rows_clash)
            clashes += clash
            if value is not MISSING:
                merged[key] = value
        return merged, clashes
    if isinstance(ours, BaseModel) and type(base) is type(ours) is type(theirs):
        update = {}
        for name in type(ours).model_fields:
            value, clash = merge3(getattr(base, name), getattr(ours, name), getattr(theirs, name), (*where, name), rows_clash)
            clashes += clash
            if value is not getattr(theirs, name):
                update[name] = value
        return theirs.model_copy(update=update), clashes
    if isinstance(ours, (list, tuple)) and type(base) is type(ours) is type(theirs):
        if len(base) == len(ours) == len(theirs) and not _moved(base, ours) and not _moved(base, theirs):
            rows = []
            for i, (b, o, t) in enumerate(zip(base, ours, theirs)):
                value, clash = merge3(b, o, t, (*where, i), rows_clash)
                rows.append(value)
                clashes += clash
            return type(ours)(rows), clashes
        if rows_clash is not None:
            rows_clash(where)
    return ours, [where]


def _moved(base: list | tuple, new: list | tuple) -> bool:
    """The same rows in another order (as many of each): matching them by position would mix
    them up. A row that is not in ``base`` (an edited one) answers at once."""
    if new == base:
        return False
    if any(row != was and row not in base for row, was in zip(new, base)):
        return False
    return all(new.count(row) == base.count(row) for row in base)
