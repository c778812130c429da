"""One's own edits laid onto a newer version of the file (a three-way merge, field by field).

``base`` is what the file held when it was read, ``mine`` what is on screen, ``theirs`` what
the file holds now. Every field ``mine`` changed takes ``mine``'s value; every other field
keeps ``theirs``. Rows are matched by position, so when both sides added, deleted or moved
rows of the same list there is no exact answer: :class:`NoRebase`.
"""

from __future__ import annotations

from evaltui.merge import merge3
from evaltui.model import Evaluation


class NoRebase(ValueError):
    """Both sides changed the rows of the same list: one's edits cannot be placed exactly."""


def rebase(base: Evaluation, mine: Evaluation, theirs: Evaluation) -> Evaluation:
    """``theirs`` with the edits that turned ``base`` into ``mine``; NoRebase when that is not exact.

    The three-way merge of ``evaltui sync`` (merge.py): where both sides changed one field,
    ``mine`` (as typed) is kept; where both changed the rows of one list, there is no answer."""
    return merge3(base, mine, theirs, rows_clash=_refuse)[0]


def _refuse(where: tuple) -> None:
    raise NoRebase("双方都增删或移动了同一处的行")
