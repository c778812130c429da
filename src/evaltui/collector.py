"""Garbage collections between keys, not in the middle of one.

Python's cyclic collector walks every object it tracks in a full (generation 2) collection.
With a district's folder open that took 10–50 ms every few seconds, at whatever key was being
answered then. Here the automatic full collection is put off (to a tenth of its usual
frequency), and done instead once a second has passed without a key.

The young generations are collected every 700 allocations, which a committed cell passed once
or twice before its frame was out: 0.6–1.3 ms each, a fifth of the key's time. Here they are
collected automatically only every :data:`YOUNG` allocations (a burst of keys, a worker reading
files), and otherwise just after a key's frame has gone out (:meth:`IdleCollector.after_frame`).
"""

from __future__ import annotations

import gc
import time

QUIET_SECONDS = 1.0  # no key for this long: a collection now is not in anyone's way
PUT_OFF = 10  # automatic full collections this many times rarer than Python's default
YOUNG = 20_000  # allocations between automatic young collections (Python's default: 700)


class IdleCollector:
    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock  # the clock the time of the last key is read from
        self._threshold: tuple[int, int, int] | None = None

    def start(self) -> None:
        self._threshold = gc.get_threshold()
        first, second, third = self._threshold
        gc.set_threshold(max(first, YOUNG), second, third * PUT_OFF)

    def stop(self) -> None:
        if self._threshold is not None:
            gc.set_threshold(*self._threshold)
            self._threshold = None

    def after_frame(self) -> int | None:
        """A key's frame is out: collect the young generations now if Python's usual count says
        they are due, rather than in the middle of the next key. The generation collected, or None."""
        if self._threshold is None:
            return None
        first, second, _ = self._threshold
        young, older, _ = gc.get_count()
        if young < first:
            return None
        generation = 1 if older >= second else 0
        gc.collect(generation)
        return generation

    def tick(self, last_key: float) -> bool:
        """Collect when a full collection is due by Python's usual count and no key has come
        since ``last_key`` for a while. True when it collected."""
        if self._threshold is None or gc.get_count()[2] < self._threshold[2]:
            return False
        if self.clock() - last_key < QUIET_SECONDS:
            return False
        gc.collect()
        return True
