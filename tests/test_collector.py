"""Full garbage collections wait for a quiet moment (collector.py)."""

from __future__ import annotations

import gc

from evaltui.collector import PUT_OFF, QUIET_SECONDS, IdleCollector


def test_full_collections_are_put_off_while_keys_come_and_done_when_quiet(monkeypatch):
    now = [100.0]
    collector = IdleCollector(clock=lambda: now[0])
    before = gc.get_threshold()
    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *a: collected.append(1) or 0)
    counts = [(0, 0, 0)]
    monkeypatch.setattr(gc, "get_count", lambda: counts[0])
    collector.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], before[2] * PUT_OFF)
        counts[0] = (0, 0, before[2] - 1)
        assert not collector.tick(last_key=0.0), "not due yet by Python's count"
        counts[0] = (0, 0, before[2])
        assert not collector.tick(last_key=now[0] - QUIET_SECONDS / 2), "a key came a moment ago"
        assert collected == []
        assert collector.tick(last_key=now[0] - QUIET_SECONDS)
        assert collected == [1]
    finally:
        collector.stop()
    assert gc.get_threshold() == before, "the usual thresholds are back once the app has closed"
