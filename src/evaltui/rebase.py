"""One's own edits laid onto a newer version of the file (a three-way merge, field by field).

``base`` is what the file held when it was read, ``mine`` what is on screen, ``theirs`` what
the file holds now. Every field ``mine`` changed takes ``mine``'s value; every other field
keeps ``theirs``. Rows are matched by position, so when both sides added, deleted or moved
rows of the same list there is no exact answer: :class:`NoRebase`.
"""

from __future__ import annotations

from pydantic import BaseModel

from evaltui.model import Evaluation


class NoRebase(ValueError):
    """Both sides changed the rows of the same list: one's edits cannot be placed exactly."""


def rebase(base: Evaluation, mine: Evaluation, theirs: Evaluation) -> Evaluation:
    """``theirs`` with the edits that turned ``base`` into ``mine``; NoRebase when that is not exact."""
    return _merge(base, mine, theirs)


def _merge(base, mine, theirs):
    if mine == base:
        return theirs
    if theirs == base or theirs == mine:
        return mine
    if isinstance(mine, BaseModel) and type(base) is type(mine) is type(theirs):
        update = {}
        for name in type(mine).model_fields:
            merged = _merge(getattr(base, name), getattr(mine, name), getattr(theirs, name))
            if merged is not getattr(theirs, name):
                update[name] = merged
        return theirs.model_copy(update=update)
    if isinstance(mine, tuple) and isinstance(base, tuple) and isinstance(theirs, tuple):
        if len(base) == len(mine) == len(theirs) and not _moved(base, mine) and not _moved(base, theirs):
            return tuple(_merge(b, m, t) for b, m, t in zip(base, mine, theirs))
        raise NoRebase("双方都增删或移动了同一处的行")
    return mine  # the same field changed on both sides: one's own value, as typed


def _moved(base: tuple, new: tuple) -> bool:
    """The same rows in another order: matching them by position would mix them up."""
    return new != base and all(new.count(row) == base.count(row) for row in base)
