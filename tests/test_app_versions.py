"""The palette's 历史版本: versions of the evaluation on screen, compare, restore as an unsaved edit."""

from __future__ import annotations

from decimal import Decimal

from app_helpers import ONE, folder_with, running

from evaltui import store
from evaltui.screens.versions import VersionsScreen


def _scored(ev, score):
    first = ev.indicators[0].model_copy(update={"score": Decimal(score)})
    return ev.model_copy(update={"indicators": (first, *ev.indicators[1:])})


async def test_restore_an_old_version_as_an_unsaved_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("LOGNAME", "alice")
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    original = store.load(path)
    store.save(path, _scored(original, 6))
    store.save(path, _scored(original, 10))
    async with running(folder) as (app, pilot):
        assert "历史版本" in {c.title.split(" · ")[0] for c in app.get_system_commands(app.screen)}
        app.action_versions()
        await pilot.pause()
        assert isinstance(app.screen, VersionsScreen)
        rows = [str(app.screen.query_one("#versions").get_option_at_index(i).prompt) for i in range(3)]
        assert "alice@" in rows[0] and "得分：6 → 10" in rows[0], "newest first, who and what"
        assert "6" in rows[1] and "新建" in rows[2], "the file as it was before the first save is the first version"
        await pilot.press("down")
        await pilot.pause()
        compare = str(app.screen.query_one("#compare").render())
        assert "得分：10 → 6" in compare, "compared with the current content"
        await pilot.press("r")
        await pilot.pause()
        session = app.session()
        assert session.current.indicators[0].score == 6
        assert session.dirty, "restored as an unsaved edit"
        assert store.load(path).indicators[0].score == 10, "nothing written yet"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert session.current.indicators[0].score == 10 and not session.dirty


async def test_an_evaluation_without_versions_says_so(tmp_path):
    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        app.action_versions()
        await pilot.pause()
        assert not isinstance(app.screen, VersionsScreen)


async def test_the_sidebar_shows_the_standing_and_the_palette_syncs(tmp_path, monkeypatch):
    import subprocess

    def git(cwd, *args):
        subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)

    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    original = store.load(path)
    store.save(path, original.model_copy(update={"leader": "甲"}))
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(folder, "remote", "add", "origin", str(bare))
    git(folder, "push", "-q", "origin", "main")
    git(tmp_path, "clone", "-q", str(bare), "other")
    store.save(tmp_path / "other" / ONE, original.model_copy(update={"leader": "乙"}))
    git(tmp_path / "other", "push", "-q", "origin", "main")
    async with running(folder) as (app, pilot):
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "落后 1" in app.sidebar.sync_status
        assert "同步" in {c.title.split(" · ")[0] for c in app.get_system_commands(app.screen)}
        app.action_sync()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.sidebar.sync_status.startswith("已同步")
        assert store.load(path).leader == "乙"
        assert app.session().current.leader == "乙", "the file synced in is read again"


async def test_the_versions_dialog_shows_its_buttons_at_80x24(tmp_path):
    """Many versions and a long comparison: the list and the comparison give way, the buttons
    keep their labels (new-user pass: at 80x24 only their top borders showed)."""
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    original = store.load(path)
    for score in range(1, 12):
        store.save(path, _scored(original, score))
    async with running(folder, (80, 24)) as (app, pilot):
        app.action_versions()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        screen = app.screen
        for button in screen.query("Button"):
            region = button.region
            assert region.height == 3 and region.bottom <= 24, f"{button.id}: {region}"
            assert "恢复此版本" in str(screen.query_one("#restore").label)
