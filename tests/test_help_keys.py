"""Help is generated from the bindings: every key of the grid, the sidebar and the editors is in it."""

from __future__ import annotations

from app_helpers import ONE, folder_with, loaded, new_app
from textual.binding import Binding

from evaltui.screens.dialogs import ImportClashScreen, TextEditorScreen
from evaltui.screens.help import HelpScreen, _key_name, bindings_of
from evaltui.widgets.editor import CellInput
from evaltui.widgets.grids import BudgetGrid, IndicatorGrid, InfoGrid
from evaltui.widgets.sidebar import Sidebar


async def test_every_binding_of_grid_sidebar_and_editor_is_in_help(tmp_path):
    app = new_app(folder_with(tmp_path, ONE))
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot, app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = set(app.screen.rows)
        for cls in (IndicatorGrid, InfoGrid, BudgetGrid, Sidebar, CellInput, TextEditorScreen, ImportClashScreen):
            for binding in bindings_of(cls):
                if isinstance(binding, Binding) and binding.description:
                    assert (cls.HELP_TITLE, _key_name(binding), binding.description) in rows, (cls.__name__, binding)
        places = {where for where, keys, _ in rows if "enter" in keys}
        assert {IndicatorGrid.HELP_TITLE, Sidebar.HELP_TITLE, CellInput.HELP_TITLE} <= places, places
