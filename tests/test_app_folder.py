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
        assert app.screen.key_target is editor and editor.value == "-5"
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


async def _watch(app, pilot) -> None:
    """One round of the folder watcher: its worker, then its message."""
    app.watch_files()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_a_file_deleted_or_renamed_away_leaves_the_list_and_the_new_name_comes(tmp_path):
    folder = folder_with(tmp_path, ONE, "调研经费.toml")
    first, second = sorted(folder.glob("*.toml"))
    broken = folder / "坏的.toml"
    broken.write_text("name = \n", encoding="utf-8")
    async with running(folder, (80, 24)) as (app, pilot):
        shown = app.current
        assert shown in app.sessions and broken in app.load_errors
        other = second if shown == first else first
        shown.unlink()
        broken.unlink()
        await _watch(app, pilot)
        assert shown not in app.sidebar.entries and shown not in app.sessions
        assert broken not in app.sidebar.entries and broken not in app.load_errors
        assert app.sidebar.files.paths == [other] and app.current == other
        renamed = folder / "改名了.toml"
        other.rename(renamed)
        await _watch(app, pilot)
        assert list(app.sidebar.entries) == [renamed] and app.current == renamed
        renamed.unlink()
        await _watch(app, pilot)
        assert app.sidebar.entries == {} and app.current is None
        assert "没有自评表" in str(app.query_one("#load-error").render())


async def test_a_file_deleted_under_unsaved_edits_stays_and_saving_writes_it_again(tmp_path):
    from evaltui.screens.dialogs import ConflictScreen

    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "1", "0", "enter")
        assert app.session().dirty
        path.unlink()
        await _watch(app, pilot)
        await _watch(app, pilot)
        assert app.current == path and path in app.sessions and app.session().dirty
        assert "文件已不在" in _line(app, path)
        told = [n.message for n in app._notifications if "已被删除或改名" in str(n.message)]
        assert len(told) == 1 and ONE in told[0] and "未保存的修改仍在" in told[0], "said once, not at every round"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        question = str(app.screen.query_one(".question").render())
        assert "已被删除或改名" in question and "被改过" not in question, question
        assert not app.screen.query("#reload"), "a file gone is not read again"
        await pilot.press("r")  # nothing: the question stays
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert path.exists() and not app.session().dirty
        assert "score = 10\n" in path.read_text(encoding="utf-8")
        await _watch(app, pilot)
        assert "文件已不在" not in _line(app, path) and path in app.sidebar.entries


async def test_evaluations_of_one_name_show_their_file_in_the_list_and_the_review(tmp_path):
    import shutil

    from textual.widgets import DataTable

    from evaltui.screens.review import ReviewScreen

    folder = folder_with(tmp_path, "调研经费.toml", ONE)
    shutil.copy(folder / "调研经费.toml", folder / "调研经费 (2).toml")
    long_name = "一" * 30
    for stem in (long_name, f"{long_name}（副本）"):  # a copy saved as new is named so
        (folder / f"{stem}.toml").write_text(
            (folder / ONE).read_text(encoding="utf-8").replace(f'name = "{ONE[:-5]}"', f'name = "{long_name}"'),
            encoding="utf-8")
    (folder / ONE).unlink()
    async with running(folder, (80, 24)) as (app, pilot):
        lines = {path.name: app.sidebar._prompt(path).plain for path in app.sidebar.entries}
        assert lines["调研经费.toml"].endswith("调研经费.toml") and lines["调研经费 (2).toml"].endswith("调研经费 (2).toml")
        width = app.sidebar.files.size.width
        copy = lines[f"{long_name}（副本）.toml"]
        assert copy.endswith("副本）.toml") and "…" in copy and "一" in copy
        assert lines[f"{long_name}.toml"] != copy
        from rich.cells import cell_len
        assert all(cell_len(line) <= width for line in lines.values())
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        names = [str(app.screen.query_one(DataTable).get_cell_at((row, 0))) for row in range(4)]
        assert "调研经费.toml" in names and "调研经费 (2).toml" in names
        assert len(set(names)) == 4


def test_a_name_before_its_file_is_cut_at_the_end_and_the_file_kept():
    from pathlib import Path

    from rich.cells import cell_len

    from evaltui.widgets.sidebar import Entry

    entry = Entry(Path("/f/a.toml"), name="调研经费支出项目", total=Decimal("93.22"), grade="优")
    line = entry.prompt(26, apart=True).plain
    assert "调" in line and line.endswith("…（a.toml）") and cell_len(line) <= 26, line
    assert entry.prompt(60, apart=True).plain.endswith("调研经费支出项目（a.toml）")


async def test_a_file_deleted_while_its_editor_was_opened_stays_and_says_it_is_being_edited(tmp_path):
    folder = folder_with(tmp_path, ONE)
    path = folder / ONE
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("enter", *["right"] * 6, "enter", "escape")
        assert app.session().locked and not app.session().dirty
        path.unlink()
        await _watch(app, pilot)
        assert path in app.sessions and "文件已不在" in _line(app, path)
        told = [str(n.message) for n in app._notifications if "已被删除或改名" in str(n.message)]
        assert len(told) == 1 and "此表正在编辑" in told[0] and "未保存" not in told[0]


async def test_files_of_one_name_in_two_subfolders_show_their_folder_and_the_filter_matches_it(tmp_path):
    """A district keeps each department's evaluations in a folder of its own: the same file
    name twice must not look like one file listed twice, and typing a folder's name finds its files."""
    import shutil

    from conftest import EXAMPLES

    folder = tmp_path / "district"
    for sub in ("教育局", "卫健委"):
        (folder / sub).mkdir(parents=True)
        shutil.copy(EXAMPLES / ONE, folder / sub / ONE)
    shutil.copy(EXAMPLES / "调研经费.toml", folder / "调研经费.toml")
    async with running(folder, (80, 24)) as (app, pilot):
        lines = [app.sidebar.files.render_line(y).text for y in range(3)]
        assert len(set(lines)) == 3, lines
        assert any("教育局" in line for line in lines) and any("卫健委" in line for line in lines), lines
        at_root = next(line for line in lines if "调研经费" in line)
        assert "/" not in at_root, "a file of the folder itself has no folder before it"
        await pilot.press("slash", "卫", "健")
        await pilot.pause()
        assert app.sidebar.files.paths == [folder / "卫健委" / ONE]
