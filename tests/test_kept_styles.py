"""kept.py: a widget's colours kept until its or an ancestor's styles change."""

from __future__ import annotations

from textual.app import App
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.widget import Widget

from evaltui.widgets.kept import BACKGROUND_COLORS, RICH_STYLE, KeptByStyles


class Counted(Widget):
    worked_out = 0

    @staticmethod
    def _count(node):
        Counted.worked_out += 1
        return DOMNode.rich_style.fget(node)

    rich_style = KeptByStyles(_count)
    background_colors = BACKGROUND_COLORS


class Nested(App):
    def compose(self):
        with Vertical(id="outer"):
            with Vertical(id="inner"):
                yield Counted(id="leaf")


async def test_colours_are_worked_out_once_and_again_after_an_ancestor_restyles():
    app = Nested()
    async with app.run_test() as pilot:
        leaf = app.query_one(Counted)
        Counted.worked_out = 0
        first = leaf.rich_style
        assert leaf.rich_style is first and Counted.worked_out == 1, "kept while no style changed"
        app.query_one("#outer").styles.background = "red"  # an ancestor two levels up
        await pilot.pause()
        assert leaf.rich_style == DOMNode.rich_style.fget(leaf) != first
        assert Counted.worked_out == 2
        assert leaf.background_colors == DOMNode.background_colors.fget(leaf)
        leaf.styles.color = "blue"  # its own
        assert leaf.rich_style == DOMNode.rich_style.fget(leaf)
        app.query_one("#inner").add_class("x")  # a class that changes no style: still kept
        await pilot.pause()
        count = Counted.worked_out
        leaf.rich_style
        assert Counted.worked_out == count


def test_the_grids_the_file_list_and_the_summary_line_keep_their_colours():
    from evaltui.widgets.filelist import FileList
    from evaltui.widgets.grids import Sheet
    from evaltui.widgets.summary import SummaryLine

    for widget in (Sheet, FileList, SummaryLine):
        assert widget.rich_style is RICH_STYLE and widget.background_colors is BACKGROUND_COLORS
