"""Read again after the file changed on disk: ctrl+z lays one's own edits onto the new
version and never takes back what came from the file (README, "Changed on disk")."""

from __future__ import annotations

from decimal import Decimal

from app_helpers import ONE, folder_with, running

from evaltui import store
from evaltui.model import Evaluation
from evaltui.rebase import NoRebase, rebase
from evaltui.screens.dialogs import ConflictScreen


async def _edit_then_conflict(pilot, app, change_on_disk) -> None:
    """Score 7 typed for indicator 1 here, the file changed meanwhile, then ctrl+s here."""
    await pilot.press("enter", *["right"] * 6, "enter", "7", "enter")
    assert app.session().current.indicators[0].score == Decimal(7)
    change_on_disk()
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, ConflictScreen)


async def _reload_undo_save(pilot, app, path, theirs_kept) -> Evaluation:
    """r, ctrl+z (my edit back), ctrl+z (nothing further), ctrl+s: the other side's change stays throughout."""
    await pilot.press("r")
    await pilot.pause()
    assert not isinstance(app.screen, ConflictScreen)
    assert app.session().current.indicators[0].score != Decimal(7), "read again: the file's version"
    assert theirs_kept(app.session().current)
    await pilot.press("ctrl+z")
    assert app.session().current.indicators[0].score == Decimal(7), "my edit is back"
    assert theirs_kept(app.session().current), "ctrl+z does not take the other side's change back"
    await pilot.press("ctrl+z")  # nothing further back: the history before the reload is gone
    assert app.session().current.indicators[0].score == Decimal(7)
    assert theirs_kept(app.session().current)
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert not isinstance(app.screen, ConflictScreen)
    assert not app.session().dirty
    return store.load(path)


async def test_reload_then_undo_keeps_another_apps_indicator_change(tmp_path):
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE

    def other_app_saves():  # indicator 2's score 8, written as a save of the app writes it
        ev = store.load(path)
        second = ev.indicators[1].model_copy(update={"score": Decimal(8)})
        store.save(path, ev.model_copy(update={"indicators": (ev.indicators[0], second, *ev.indicators[2:])}))

    async with running(folder) as (app, pilot):
        await _edit_then_conflict(pilot, app, other_app_saves)
        assert any("8" in line for line in app.screen.theirs)
        saved = await _reload_undo_save(pilot, app, path, lambda ev: ev.indicators[1].score == Decimal(8))
    assert saved.indicators[0].score == Decimal(7) and saved.indicators[1].score == Decimal(8)


async def test_reload_then_undo_keeps_an_outside_edit_of_the_year(tmp_path):
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    text = path.read_text(encoding="utf-8")
    assert "\nyear = 2024\n" in text

    def sed():  # sed -i 's/year = 2024/year = 2023/'
        path.write_text(text.replace("\nyear = 2024\n", "\nyear = 2023\n"), encoding="utf-8")

    async with running(folder) as (app, pilot):
        await _edit_then_conflict(pilot, app, sed)
        assert any("年度" in line and "2023" in line for line in app.screen.theirs)
        saved = await _reload_undo_save(pilot, app, path, lambda ev: ev.year == 2023)
    assert saved.year == 2023, "the outside edit is not silently lost"
    assert saved.indicators[0].score == Decimal(7)


def test_rebase_lays_my_edits_on_theirs_and_refuses_when_both_changed_rows():
    base = Evaluation(name="甲", year=2024)
    from evaltui.model import Indicator

    base = base.model_copy(update={"indicators": (Indicator(name="一"), Indicator(name="二"))})
    mine = base.model_copy(update={"name": "乙", "indicators": (Indicator(name="一", score=Decimal(7)), base.indicators[1])})
    theirs = base.model_copy(update={"year": 2023, "indicators": (base.indicators[0], Indicator(name="二", score=Decimal(8)))})
    merged = rebase(base, mine, theirs)
    assert (merged.name, merged.year) == ("乙", 2023)
    assert [i.score for i in merged.indicators] == [Decimal(7), Decimal(8)]
    fewer = base.model_copy(update={"indicators": base.indicators[:1]})
    more = base.model_copy(update={"indicators": (*base.indicators, Indicator(name="三"))})
    assert rebase(base, fewer, theirs.model_copy(update={"indicators": base.indicators})) == fewer.model_copy(update={"year": 2023})
    try:
        rebase(base, fewer, more)
    except NoRebase:
        pass
    else:
        raise AssertionError("both sides changed the rows: no exact answer")
    swapped = base.model_copy(update={"indicators": base.indicators[::-1]})
    try:
        rebase(base, swapped, theirs)
    except NoRebase:
        pass
    else:
        raise AssertionError("rows moved here and edited there are not matched by position")


async def test_reload_is_refused_when_both_sides_changed_the_rows(tmp_path):
    from evaltui import edits

    folder = folder_with(tmp_path, ONE)
    path = folder / ONE

    rows = len(store.load(path).indicators)

    def rows_changed_on_both_sides():
        session.apply(edits.add_indicator(session.current, None)[0])  # a row added here, as `a` does
        store.save(path, edits.delete_indicator(store.load(path), rows - 1))  # and one deleted there

    async with running(folder) as (app, pilot):
        session = app.session()
        await _edit_then_conflict(pilot, app, rows_changed_on_both_sides)
        before = session.current
        await pilot.press("r")
        await pilot.pause()
        assert session.current is before and len(before.indicators) == rows + 1, "my edits are not dropped"
        assert session.dirty and session.changed_on_disk(), "not read again"
    assert len(store.load(path).indicators) == rows - 1
    session.saved = session.current  # nothing left to ask about when the test app closes
