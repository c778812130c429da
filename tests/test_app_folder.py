"""The folder as the app lists it: files that are not evaluations, names that clash, files
that go away while the app runs."""

from __future__ import annotations

from decimal import Decimal

from app_helpers import ONE, folder_with, running


def _line(app, path) -> str:
    return app.sidebar.entries[path].prompt().plain


async def test_an_empty_file_is_listed_as_unreadable_with_the_reason(tmp_path):
    folder = folder_with(tmp_path, ONE)
    empty = folder / "空的.toml"
    empty.write_bytes(b"")
    async with running(folder, (80, 24)) as (app, pilot):
        assert app.load_errors[empty] == "文件是空的"
        assert "无法读取" in _line(app, empty) and "0.00" not in _line(app, empty)
        app.sidebar.select_path(empty)
        app.show(empty)
        await pilot.pause()
        assert "文件是空的" in str(app.query_one("#load-error").render())


async def test_a_negative_amount_is_refused_in_its_cell_with_the_text_kept(tmp_path):
    from decimal import Decimal

    from textual.widgets import Input

    async with running(folder_with(tmp_path, ONE), (80, 24)) as (app, pilot):
        before = app.session().current.budget.total.executed
        await pilot.press("enter", "ctrl+o", "ctrl+o", "right", "right", "right", "enter", "home", "ctrl+k", "-", "5", "enter")
        editor = app.query_one("#edit-input", Input)
        assert app.focused is editor and editor.value == "-5"
        assert "金额不能为负数" in str(app.query_one("#edit-error").render())
        assert app.session().current.budget.total.executed == before and not app.session().dirty
        await pilot.press("home", "ctrl+k", "5", "enter")
        assert app.session().current.budget.total.executed == Decimal(5)


async def test_a_negative_amount_in_a_file_is_the_same_error_in_the_app_and_in_check(tmp_path):
    from evaltui import check, store

    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    ev = store.load(path)
    total = ev.budget.total.model_copy(update={"executed": Decimal("-5")})
    store.save(path, ev.model_copy(update={"budget": ev.budget.model_copy(update={"total": total})}))
    result = check.check_file(str(path), as_json=True)
    assert "amount-negative" in result.json and "error" in result.severities
    async with running(folder, (80, 24)) as (app, pilot):
        problems = [p for p in app.session().assessment.problems if p.code == "amount-negative"]
        assert [p.field for p in problems] == ["budget.total.executed"]
        assert "✗" in _line(app, path)
