"""One evaluation being edited: its file, its history for undo and redo, its save.

No UI here: the app keeps one Session per file it has opened and shows ``current``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evaltui import store
from evaltui.model import Evaluation
from evaltui.rebase import rebase
from evaltui.rules import NATIONAL, Assessment, Rules, assess
from evaltui.reasons import os_reason

HISTORY_LIMIT = 500


@dataclass
class Session:
    path: Path
    saved: Evaluation  # what the file holds, as far as this session knows
    signature: store.Signature | None = None
    current: Evaluation = None  # type: ignore[assignment]
    undo_stack: list[Evaluation] = field(default_factory=list)
    redo_stack: list[Evaluation] = field(default_factory=list)
    locked: bool = False  # this editor holds the lock file
    rules: Rules = NATIONAL  # the scoring rules of the folder's evaltui.toml (evaltui.settings)
    _assessment: tuple[Evaluation, Rules, Assessment] | None = None
    _foreseen: tuple[Evaluation, Rules, Assessment] | None = None  # an edit not yet made, assessed
    recovered: Evaluation | None = None  # unsaved edits left in a recovery file, not yet taken back
    mode_read_only: str | None = None  # why the file's mode makes it read-only (chmod 444), as last seen

    def __post_init__(self) -> None:
        if self.current is None:
            self.current = self.saved

    @classmethod
    def open(cls, path: Path, rules: Rules = NATIONAL) -> Session:
        """Read a file; store.LoadError when it cannot be used."""
        signature = store.Signature.of(path) if path.exists() else None
        return cls(path=path, saved=store.load(path), signature=signature, rules=rules,
                   mode_read_only=store.read_only_reason(path))

    @classmethod
    def read(cls, path: Path, rules: Rules = NATIONAL) -> Session | str:
        """A session for the file, or one line saying why it cannot be read."""
        try:
            return cls.open(path, rules)
        except store.LoadError as exc:
            return exc.message
        except OSError as exc:
            return f"无法读取（{os_reason(exc)}）"
        except Exception as exc:  # whatever a file holds, it is listed as unreadable, never a crash
            return f"无法读取（{type(exc).__name__}）"

    @property
    def dirty(self) -> bool:
        return self.current != self.saved

    @property
    def read_only(self) -> bool:
        return self.current.read_only

    @property
    def assessment(self) -> Assessment:
        """The rules' verdict on the current evaluation, computed once per version (and rules)."""
        if self._assessment is None or self._assessment[0] is not self.current or self._assessment[1] != self.rules:
            foreseen = self._foreseen
            if foreseen is not None and foreseen[0] is self.current and foreseen[1] == self.rules:
                self._assessment = foreseen
            else:
                self._assessment = (self.current, self.rules, assess(self.current, self.rules))
        return self._assessment[2]

    def foresee(self, new: Evaluation) -> None:
        """Assess ``new``, an edit the person is typing, before it is applied: applying that
        very evaluation then takes its verdict as it is (the cell editor, between keys)."""
        self._foreseen = (new, self.rules, assess(new, self.rules))

    def apply(self, new: Evaluation) -> bool:
        """Make ``new`` the current evaluation; False when nothing changed."""
        if new == self.current:
            return False
        self.undo_stack.append(self.current)
        del self.undo_stack[:-HISTORY_LIMIT]
        self.redo_stack.clear()
        self.current = new
        return True

    def undo(self) -> bool:
        return self._step(self.undo_stack, self.redo_stack)

    def redo(self) -> bool:
        return self._step(self.redo_stack, self.undo_stack)

    def _step(self, source: list[Evaluation], target: list[Evaluation]) -> bool:
        if not source:
            return False
        target.append(self.current)
        self.current = source.pop()
        return True

    def reload(self, ev: Evaluation, signature: store.Signature | None) -> None:
        """Take what the file holds now; one undo lays this session's unsaved edits onto it.

        The history before the reload is dropped: stepping back through it would quietly take
        back what came from the file. rebase.NoRebase, and nothing changes, when the edits
        cannot be laid onto the new version exactly (both sides changed the rows of one list).
        """
        mine = rebase(self.saved, self.current, ev)
        self.undo_stack.clear()
        self.redo_stack.clear()
        if mine != ev:
            self.undo_stack.append(mine)
        self.current = ev
        self.saved = ev
        self.signature = signature

    def read_disk(self) -> tuple[Evaluation, store.Signature]:
        """What the file holds now; store.LoadError when it cannot be read."""
        signature = store.Signature.of(self.path) if self.path.exists() else None
        return store.load(self.path), signature

    def changed_on_disk(self) -> bool:
        """True when the file is no longer what this session read (or last wrote)."""
        try:
            now = store.Signature.of(self.path)
        except FileNotFoundError:
            return self.signature is not None
        return now != self.signature

    def save(self, path: Path | None = None, *, replace_read_only: bool = False) -> None:
        """Write the current evaluation atomically and record it as a version.

        store.SaveError leaves everything as it was; store.NotVersioned is raised after the
        file was saved (and this session knows it), when only its version is missing. A file
        its owner made read-only is replaced only with ``replace_read_only`` (store.ReadOnlyFile).
        """
        target = path or self.path
        try:
            store.save(target, self.current, replace_read_only=replace_read_only)
        except store.NotVersioned:
            self._saved_as(target)
            raise
        self._saved_as(target)

    def _saved_as(self, target: Path) -> None:
        self.saved_as(target, self.current, store.Signature.of(target))

    def saved_as(self, target: Path, ev: Evaluation, signature: store.Signature | None) -> None:
        """``ev`` was written to ``target`` (by a worker, see folder.write): edits made since stay unsaved."""
        self.path = target
        self.saved = ev
        self.signature = signature
