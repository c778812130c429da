"""Full garbage collections wait for a quiet moment (collector.py)."""

from __future__ import annotations

import gc

from evaltui.collector import PUT_OFF, QUIET_SECONDS, YOUNG, IdleCollector


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
        assert gc.get_threshold() == (max(before[0], YOUNG), before[1], before[2] * PUT_OFF)
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


def test_young_generations_are_collected_after_a_frame_when_python_would_have(monkeypatch):
    collector = IdleCollector()
    before = gc.get_threshold()
    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
    counts = [(0, 0, 0)]
    monkeypatch.setattr(gc, "get_count", lambda: counts[0])
    assert collector.after_frame() is None, "not started: Python's own collections as usual"
    collector.start()
    try:
        assert gc.get_threshold()[0] >= YOUNG, "no automatic young collection in the middle of a key"
        counts[0] = (before[0] - 1, 0, 0)
        assert collector.after_frame() is None and collected == [], "not due by Python's usual count"
        counts[0] = (before[0], before[1] - 1, 0)
        assert collector.after_frame() == 0 and collected == [0]
        counts[0] = (before[0], before[1], 0)
        assert collector.after_frame() == 1 and collected == [0, 1], "the middle generation when it is due too"
    finally:
        collector.stop()
