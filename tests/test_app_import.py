"""Import in the app when an evaluation of that name exists: it asks 替换 / 两者都保留 / 跳过."""

from __future__ import annotations

from app_helpers import folder_with, import_file, running
from conftest import FIXTURES

from evaltui import store
from evaltui.screens.dialogs import ImportClashScreen
from evaltui.screens.review import ReviewScreen

DOC = FIXTURES / "seed-2024.docx"  # nine forms


async def settle(pilot, app) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def tomls(folder):
    return sorted(p.name for p in folder.glob("*.toml"))


async def test_importing_twice_asks_and_replace_all_keeps_one_of_each(tmp_path):
    folder = folder_with(tmp_path)
    async with running(folder, (120, 40)) as (app, pilot):
        await import_file(pilot, app, DOC)
        first = tomls(folder)
        assert len(first) == 9 and not isinstance(app.screen, ImportClashScreen)
        # change one file on disk: replacing must bring the document's content back
        changed = folder / first[0]
        store.save(changed, store.load(changed).model_copy(update={"department": "改过的单位"}))
        await import_file(pilot, app, DOC)
        assert isinstance(app.screen, ImportClashScreen), "an existing evaluation is never written over silently"
        await pilot.press("a")  # the same for the other eight
        await pilot.press("r")
        await settle(pilot, app)
        assert not isinstance(app.screen, ImportClashScreen)
        assert tomls(folder) == first
        assert store.load(changed).department != "改过的单位"
        assert app.folder.sessions[changed].current.department != "改过的单位", "the session is read again"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert len(app.screen.rows) == 9, "the review does not count them twice"


async def test_keep_both_writes_a_new_name_and_skip_writes_nothing(tmp_path):
    folder = folder_with(tmp_path)
    async with running(folder, (120, 40)) as (app, pilot):
        await import_file(pilot, app, DOC)
        first = tomls(folder)
        before = {name: (folder / name).read_bytes() for name in first}
        await import_file(pilot, app, DOC)
        assert isinstance(app.screen, ImportClashScreen)
        await pilot.press("k")  # keep both, for the first one only
        await pilot.pause()
        assert isinstance(app.screen, ImportClashScreen), "asked again for the next one"
        await pilot.press("a", "s")  # skip the other eight
        await settle(pilot, app)
        now = tomls(folder)
        added = sorted(set(now) - set(first))
        assert len(now) == 10 and len(added) == 1 and " (2).toml" in added[0]
        assert {name: (folder / name).read_bytes() for name in first} == before, "skipped files untouched"
        assert folder / added[0] in app.folder.sessions
        # skip every one: nothing is written
        await import_file(pilot, app, DOC)
        for _ in range(9):
            assert isinstance(app.screen, ImportClashScreen)
            await pilot.press("s")
            await pilot.pause()
        await settle(pilot, app)
        assert tomls(folder) == now
        # escape cancels the whole import
        await import_file(pilot, app, DOC)
        await pilot.press("r")  # replace the first…
        await pilot.pause()
        await pilot.press("escape")  # …then cancel: nothing at all is written
        await settle(pilot, app)
        assert not isinstance(app.screen, ImportClashScreen)
        assert {name: (folder / name).read_bytes() for name in first} == before
