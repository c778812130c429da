"""Screen snapshots (SVG) of the main and review screens at 80x24 and 160x50.

Update after an intended change of the screens with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the new SVGs before committing them.
"""

from __future__ import annotations

import pytest
from app_helpers import ONE, examples_copy, folder_with, loaded, new_app

SIZES = [(80, 24), (160, 50)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x50"])
def test_main_screen(snap_compare, tmp_path, size):
    app = new_app(examples_copy(tmp_path))

    async def ready(pilot):
        await loaded(pilot, app)
        await pilot.press("down", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x50"])
def test_review_screen(snap_compare, tmp_path, size):
    app = new_app(examples_copy(tmp_path))

    async def ready(pilot):
        await loaded(pilot, app)
        await pilot.press("ctrl+r")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


def test_sidebar_at_start_on_a_narrow_terminal(snap_compare, tmp_path):
    app = new_app(folder_with(tmp_path, ONE))

    async def ready(pilot):
        await loaded(pilot, app)

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
