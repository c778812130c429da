"""Chinese text stays whole where a toast (or any widget) lies over the edges of others.

Why toasts lost characters (``文件    在`` for ``文件不存在``): Textual's compositor cuts every
screen line at every edge of every widget on it, and divides each widget's line at all the
cuts inside its region, the edges of the widgets *under* it included. A double-width
character that straddles such an edge is split, and a split wide character becomes two
spaces (Rich's ``Segment.split_cells``). A toast over the status panel or the problem list
is cut at their borders, so the Chinese characters there vanished; ASCII never straddles.
The same happens on partial updates, where the written span ends inside a wide character.
(Textual issue #6357, open upstream for 8.x.)

Here a widget's line is cut only where it really gives way to a widget in front of it: the
stretches it shows are kept in one piece (the cells under them get an empty piece, so no
widget behind claims them), and a partial update that would end inside a wide character
writes that character whole. What each cell shows is unchanged; only the splitting is.

A partial update also asks each widget only for the lines it writes. Textual asks every widget
in the updated area for all of its lines, so a committed cell drew the whole grid's lines to
write one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence

from rich.cells import cell_len
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip

_EMPTY = Strip([], 0)  # a cell range covered by the piece before it
_BLOCKED = Strip([], 0)  # a widget not drawn in this update is in front here: nothing behind claims it


def whole_characters(strip: Strip, cells: int) -> int:
    """``cells``, or one more when a wide character of ``strip`` spans that cell boundary."""
    position = 0
    for segment in strip:
        width = cell_len(segment.text)
        if position + width <= cells:
            position += width
            continue
        for character in segment.text:
            step = cell_len(character)
            if position < cells < position + step:
                return position + step
            position += step
            if position >= cells:
                return cells
    return cells


def runs(lines: Sequence[int]) -> list[tuple[int, int]]:
    """(first, after last) of each run of consecutive numbers in the ascending ``lines``."""
    found: list[tuple[int, int]] = []
    for line in lines:
        if found and found[-1][1] == line:
            found[-1] = (found[-1][0], line + 1)
        else:
            found.append((line, line + 1))
    return found


class WholeCharacterChopsUpdate(ChopsUpdate):
    """A partial update that never ends a written span in the middle of a wide character."""

    def render_segments(self, console) -> str:
        from rich.control import Control

        sequences: list[str] = []
        append = sequences.append
        move_to = Control.move_to
        chops, chop_ends = self.chops, self.chop_ends
        last_y = self.spans[-1][0]
        for y, x1, x2 in self.spans:
            for end, (x, strip) in zip(chop_ends[y], chops[y].items()):
                if strip is None or x > x2 or end <= x1:
                    continue
                if not (x2 > x >= x1 and end <= x2):
                    strip = strip.crop(0, whole_characters(strip, min(end, x2) - x))
                append(move_to(x, y).segment.text)
                append(strip.render(console))
            if y != last_y:
                append("\n")
        return "".join(sequences)


class WholeCharacterCompositor(Compositor):
    """Textual's compositor, with widget lines cut only where another widget is in front."""

    _written: dict[int, list[tuple[int, int]]] = {}  # the spans (x1, x2) of each line the partial update writes
    _partial = False  # a partial update is being drawn (its changes may still span the whole screen)

    def _render_chops(self, crop: Region, is_rendered_line: Callable[[int], bool]) -> Sequence[Mapping[int, Strip]]:
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        whole_screen = crop == self.size.region and not self._partial
        crop_overlaps = crop.overlaps
        for widget, (region, clip) in self.visible_widgets.items():  # front to back
            x, y, width, height = render_region = region.intersection(clip)
            if not (width and height):
                continue
            if whole_screen:
                lines = render_region.line_range
                drawn_lines = [line_y for line_y in lines if self._shows_through(chops[line_y], cuts[line_y], x, width)]
            else:  # only the lines this update writes, and only where it writes them
                lines = [line_y for line_y in render_region.line_range if is_rendered_line(line_y)]
                spans = self._written
                drawn_lines = [line_y for line_y in lines if any(x1 < x + width and x < x2 for x1, x2 in spans.get(line_y, ((x, x + width),)))
                               and self._shows_through(chops[line_y], cuts[line_y], x, width)]
            strips: dict[int, Strip] = {}
            if whole_screen or crop_overlaps(clip):
                for top, bottom in runs(drawn_lines):
                    drawn = widget.render_lines(Region(x - region.x, top - region.y, width, bottom - top))
                    strips.update(zip(range(top, bottom), drawn))
            for line_y in lines:
                line, line_cuts = chops[line_y], cuts[line_y]
                buckets = line_cuts[bisect_left(line_cuts, x):bisect_left(line_cuts, x + width)]
                if line_y not in strips:  # not drawn here: nothing behind it may claim its cells
                    for cut in buckets:
                        if line[cut] is None:
                            line[cut] = _BLOCKED
                    continue
                strip = strips[line_y]
                run_start: int | None = None
                for cut in buckets:
                    if line[cut] is None:
                        line[cut] = _EMPTY
                        if run_start is None:
                            run_start = cut
                    elif run_start is not None:
                        line[run_start] = strip.crop(run_start - x, cut - x)
                        run_start = None
                if run_start is not None:
                    line[run_start] = strip.crop(run_start - x, x + width - x)
        for line in chops:
            for cut, strip in list(line.items()):
                if strip is _EMPTY:
                    del line[cut]
                elif strip is _BLOCKED:
                    line[cut] = None
        return chops  # type: ignore[return-value]

    @staticmethod
    def _shows_through(line: Mapping[int, Strip | None], line_cuts: list[int], x: int, width: int) -> bool:
        """Whether some cell of this line between ``x`` and ``x + width`` is still unclaimed by
        the widgets in front: a container wholly covered by its children is not drawn."""
        start, end = bisect_left(line_cuts, x), bisect_left(line_cuts, x + width)
        return any(line[cut] is None for cut in line_cuts[start:end])

    def render_partial_update(self) -> ChopsUpdate | None:
        screen_region = self.size.region
        update_regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not update_regions:
            return None
        crop = Region.from_union(update_regions).intersection(screen_region)
        spans = list(self._regions_to_spans(update_regions))
        self._written = {}
        for y, x1, x2 in spans:
            self._written.setdefault(y, []).append((x1, x2))
        self._partial = True  # a change at the top and one at the bottom are not the whole screen
        try:
            chops = self._render_chops(crop, self._written.__contains__)
        finally:
            self._partial = False
        chop_ends = [[x + (strip.cell_length if strip is not None else 0) for x, strip in line.items()] for line in chops]
        return WholeCharacterChopsUpdate(chops, spans, chop_ends)


def keep_characters_whole(screen: Screen) -> Screen:
    """Give ``screen`` (not yet shown) the compositor above; returns it."""
    if not screen.is_attached and type(screen._compositor) is Compositor:
        screen._compositor = WholeCharacterCompositor()
    return screen
