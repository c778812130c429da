"""Help is generated from the bindings of every place: every key there is in it, every key in
it acts (its action exists where the key is pressed), the documented keys are all listed."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil

import pytest
from app_helpers import ONE, folder_with, running
from rich.cells import cell_len
from rich.table import Table
from textual import events
from textual.binding import Binding

import evaltui
from evaltui.screens.help import HelpScreen, key_name, key_rows, own_bindings, places
from evaltui.widgets.editor import CellInput
from evaltui.widgets.grids import EDIT_STARTERS, Sheet


def _described(cls: type) -> list[Binding]:
    return [b for b in own_bindings(cls) if b.description]


def test_every_described_binding_of_every_place_is_in_help():
    rows = set(key_rows())
    for place in places():
        for cls in place.classes:
            for binding in _described(cls):
                if binding.group is None:
                    assert (place.title, key_name(binding.key), binding.tooltip or binding.description) in rows, (cls, binding)
                else:
                    assert any(where == place.title and does == binding.group.description
                               and all(k in keys for k in key_name(binding.key).split(", "))
                               for where, keys, does in rows), (cls, binding)


def test_every_class_with_keys_has_a_place_in_help():
    """A new widget or screen with bindings of its own cannot be left out of help."""
    placed = {cls for place in places() for cls in place.classes}
    missing = []
    for module in pkgutil.walk_packages(evaltui.__path__, "evaltui."):
        if module.name.startswith("evaltui.word") or module.name.endswith("__main__"):
            continue
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if cls.__module__.startswith("evaltui") and _described(cls) and cls not in placed:
                missing.append(f"{cls.__module__}.{cls.__name__}")
    assert not missing, missing


def test_every_key_in_help_has_an_action_where_it_is_pressed():
    """Each binding's action exists on what it names: the class itself, its screen, the app,
    or the focused widget (the review screen's table)."""
    from textual.widgets import DataTable

    from evaltui.app import EvalApp

    for place in places():
        for cls in place.classes:
            for binding in _described(cls):
                target, _, name = binding.action.partition("(")[0].rpartition(".")
                owner = {"app": EvalApp, "screen": place.screen, "focused": DataTable, "": cls}[target]
                assert callable(getattr(owner, f"action_{name}", None)) or callable(getattr(owner, f"_action_{name}", None)), \
                    (cls.__name__, binding.key, binding.action, owner.__name__)


DOCUMENTED = [  # docs/interfaces.md, Keys in the app: (place, a key)
    ("任何位置", "ctrl+s"), ("任何位置", "ctrl+q"), ("任何位置", "ctrl+z"), ("任何位置", "ctrl+y"),
    ("任何位置", "ctrl+p"), ("任何位置", "f1"), ("任何位置", "?"),
    ("侧栏（文件列表）", "↑"), ("侧栏（文件列表）", "↓"), ("侧栏（文件列表）", "enter"),
    ("表格（三个分页共用）", "←"), ("表格（三个分页共用）", "h"), ("表格（三个分页共用）", "l"),
    ("表格（三个分页共用）", "enter"), ("表格（三个分页共用）", "f8"), ("表格（三个分页共用）", "shift+f8"),
    ("表格（三个分页共用）", "0–9"), ("表格（三个分页共用）", "≥"), ("表格（三个分页共用）", "汉字"),
    ("指标表格", "u"), ("单元格编辑", "enter"), ("单元格编辑", "escape"), ("单元格编辑", "tab"),
    ("单元格编辑", "shift+tab"), ("恢复未保存的修改", "r"), ("恢复未保存的修改", "d"),
]


def test_the_documented_keys_are_in_help():
    rows = key_rows()
    for where, key in DOCUMENTED:
        assert any(w == where and key in keys.replace(",", " ").split() for w, keys, _ in rows), (where, key)


async def test_help_opens_with_every_row_and_its_keys_do_what_it_says(tmp_path):
    async with running(folder_with(tmp_path, ONE)) as (app, pilot):
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.rows == key_rows()
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        # the typed-keys row: every character it names starts editing the cell with it
        await pilot.press("enter", "right", "right", "right")  # 年度指标值
        assert isinstance(app.focused, Sheet)
        for character in sorted(EDIT_STARTERS) + ["汉"]:
            await app._main.take_key(events.Key(character, character))
            await pilot.pause()
            assert isinstance(app.screen.key_target, CellInput), character
            assert app.screen.key_target.value == character, (character, app.screen.key_target.value)
            await pilot.press("escape")
            assert isinstance(app.screen.key_target, Sheet)
        # the grid's movement line: arrows and h j k l
        for key, step in (("l", (0, 1)), ("h", (0, -1)), ("j", (1, 0)), ("k", (-1, 0)), ("down", (1, 0))):
            before = app.focused.cursor_coordinate
            await pilot.press(key)
            after = app.focused.cursor_coordinate
            assert (after.row - before.row, after.column - before.column) == step, key


async def test_review_screen_moves_with_h_j_k_l_as_help_says(tmp_path):
    from textual.widgets import DataTable

    from evaltui.app import EvalApp  # noqa: F401 - the places import it
    from evaltui.screens.review import ReviewScreen

    folder = folder_with(tmp_path, ONE)
    (folder / "b.toml").write_bytes((folder / ONE).read_bytes())
    async with running(folder) as (app, pilot):
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one(DataTable)
        await pilot.press("j", "l")
        assert (table.cursor_coordinate.row, table.cursor_coordinate.column) == (1, 1)
        await pilot.press("k", "h")
        assert (table.cursor_coordinate.row, table.cursor_coordinate.column) == (0, 0)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_help_leaves_what_keys_do_room_to_be_read(tmp_path, size):
    """At 80x24 位置 and 按键 took their longest texts' width and 作用 wrapped after a dozen cells
    ("表格占满屏幕（ / 侧栏和问题列表"): they wrap first now. At 160x50 nothing of them wraps."""
    from rich.console import Console
    from textual.widgets import Static

    async with running(folder_with(tmp_path, ONE), size) as (app, pilot):
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        [static] = [s for s in app.screen.query(Static) if isinstance(s.content, Table)]
        console = Console(width=static.content_size.width, record=True, file=io.StringIO())
        console.print(static.content)
        lines = console.export_text().splitlines()
        header = next(line for line in lines if "作用" in line)
        does = header.split("┃")[3]  # ┃ 位置 ┃ 按键 ┃ 作用 ┃
        assert cell_len(does) - 2 >= 30, header  # HelpScreen.DOES_AT_LEAST
        if size == (160, 50):
            assert any("0–9, % + - . < = > ≤ ≥, 汉字" in line for line in lines), "the keys whole at 160 columns"
