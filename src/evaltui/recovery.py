"""Recovery files: unsaved edits written beside the evaluation, like vim's swap file.

``.NAME.toml.recover`` holds the whole evaluation as it is on screen, written within a
second of each edit. Saving or discarding removes it. The next time the evaluation is
opened after a crash, a kill or a dropped connection, the app offers to bring it back.
No UI here; writes happen in a worker thread, the newest edit always winning.
"""

from __future__ import annotations

import threading
from pathlib import Path

from evaltui import store

_lock = threading.Lock()
_written: dict[Path, int] = {}  # the newest version written (or removed), per recovery file
_counter = 0


def stamp() -> int:
    """A version number later than every one before it (edits and removals share them)."""
    with _lock:
        return _next()


def _next() -> int:
    global _counter
    _counter += 1
    return _counter


def path_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.recover")


def write(path: Path, text: str, version: int) -> None:
    """Write version ``version`` of the unsaved evaluation of ``path``, unless a newer one is there."""
    target = path_for(path)
    with _lock:
        if version < _written.get(target, -1):
            return
        store.write_atomic(target, text.encode("utf-8"))
        _written[target] = version


def remove(path: Path, upto: int | None = None) -> None:
    """Remove the recovery file of ``path``. With ``upto`` (a save of the evaluation as it was
    when stamp ``upto`` was taken): only edits up to it are gone; a recovery file of a later
    version (edits made while the save was written, or kept by a signal meanwhile) stays."""
    target = path_for(path)
    with _lock:
        if upto is not None and _written.get(target, -1) > upto:
            return
        # a write still on its way is older: it is skipped
        _written[target] = upto if upto is not None else _next()
        try:
            target.unlink(missing_ok=True)
        except OSError:
            pass


def read(path: Path):
    """The unsaved evaluation kept for ``path``; None when there is none or it cannot be read."""
    target = path_for(path)
    if not target.exists():
        return None
    try:
        return store.load(target)
    except (store.LoadError, OSError):
        return None
