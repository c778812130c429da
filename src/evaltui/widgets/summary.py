"""The summary line at the top of the evaluation: total, grade and name always in view.

The line is laid out for the width it has when it is drawn: total and grade first and never
cut; then the marks that say the form cannot be saved as it is (未保存, 只读, who else is
editing); then the name, cut with ``…`` rather than dropped; then the year and the problem
counts. When the room is short the year goes first; the name is cut to six characters, the
marks say it in fewer words, the counts in marks (✗ 1  ⚠ 2); then the name is cut to three
characters, the counts go (警告 before 错误), and only then are the marks cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from evaltui.numbers import fixed2
from evaltui.rules import ERROR, WARNING
from evaltui.widgets.status import GRADE_STYLE
from evaltui.widgets.kept import BACKGROUND_COLORS, RICH_STYLE
from evaltui.widgets.text import t

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.rules import Assessment

GAP = "  "
NAME_AT_LEAST = 7  # cells of the name kept before a mark is cut: three characters and …
NAME_BEFORE_COUNTS = 13  # cells of the name kept before the counts are shortened: six characters and …


@dataclass
class Summary:
    """The pieces of the line, in the order shown: ``head`` (total, grade) is never cut, ``marks``
    are cut last, ``name`` is cut with … and never dropped, ``extras`` (the year) are dropped
    first, ``counts`` (错误 N, 警告 N) from the end once the name is as short as it gets."""

    head: Text
    name: Text = field(default_factory=Text)
    marks: list[Text] = field(default_factory=list)
    extras: list[Text] = field(default_factory=list)
    shorter: dict[int, list[Text]] = field(default_factory=dict)  # a mark's shorter wordings, tried before it is cut
    counts: list[Text] = field(default_factory=list)
    short_counts: list[Text] = field(default_factory=list)  # the counts in marks: ✗ 1, ⚠ 2


def summary_of(ev: Evaluation, result: Assessment, *, dirty: bool, read_only: bool, path_name: str,
               holder: str = "", recovered: bool = False) -> Summary:
    head = Text()
    head.append("总分 ", style="bold")
    head.append(fixed2(result.total), style="bold")
    head.append(" ")
    head.append(result.grade, style=GRADE_STYLE.get(result.grade, ""))
    marks, shorter = [], {}
    if dirty:
        marks.append(Text("● 未保存", style="bold yellow"))
    if read_only and not holder:  # held by someone: 只读：user@host 在编辑 below says it once
        marks.append(Text("只读", style="bold magenta"))
    if holder:  # locks.Owner.describe(): user@host 自 11-27 10:00 起正在编辑（进程 123）
        who = holder.split(" 自 ")[0] + " " if " 自 " in holder else "有人"
        shorter[len(marks)] = [t(f"只读：{who}在编辑", "bold magenta"), t(f"只读：{who.split('@')[0].strip()} 在编辑", "bold magenta")]
        marks.append(t(f"只读：{holder}", "bold magenta"))
    if recovered:  # an earlier run's unsaved edits: offered when the evaluation is opened (enter)
        shorter[len(marks)] = [Text("↺ 上次未保存（enter 恢复）", style="bold yellow"), Text("↺ enter 恢复上次修改", style="bold yellow")]
        marks.append(Text("↺ 有上次未保存的修改（enter 后可恢复）", style="bold yellow"))
    extras = [Text(f"{ev.year}年度", style="dim")] if ev.year else []
    errors, warnings = result.count(ERROR), result.count(WARNING)
    error_style, warning_style = "bold red" if errors else "dim", "yellow" if warnings else "dim"
    counts = [Text(f"错误 {errors}", style=error_style), Text(f"警告 {warnings}", style=warning_style)]
    short_counts = [Text(f"✗ {errors}", style=error_style), Text(f"⚠ {warnings}", style=warning_style)]
    return Summary(head, t(ev.name or path_name, "bold"), marks, extras, shorter, counts, short_counts)


def cut(text: Text, width: int) -> Text:
    """``text`` in at most ``width`` cells, ending in … when cut (a wide character is never halved)."""
    if cell_len(text.plain) <= width:
        return text
    if width <= 0:
        return Text()
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    return text


def fit(summary: Summary, width: int) -> Text:
    """The line for ``width`` cells: the year dropped, the name cut, the marks and counts
    shortened, the counts dropped from the end, then the marks cut; the name gets the room left."""
    extras = list(summary.extras)
    counts = list(summary.counts)
    marks = list(summary.marks)
    full = cell_len(summary.name.plain)
    least = min(full, NAME_AT_LEAST)
    kept = min(full, NAME_BEFORE_COUNTS)

    def length(name: int) -> int:
        """The line's cells with ``name`` cells of the name (0: without it)."""
        cells = [cell_len(p.plain) for p in (summary.head, *marks, *extras, *counts) if p.plain]
        if name:
            cells.append(name)
        return sum(cells) + len(GAP) * (len(cells) - 1)

    while length(full) > width and extras:  # the year goes before the name is cut
        extras.pop()
    for i in reversed(range(len(marks))):  # the name cut to a few words: the marks say it in fewer words ...
        for short in summary.shorter.get(i, ()):
            if length(kept) <= width:
                break
            marks[i] = short
    if length(kept) > width and summary.short_counts:  # ... the counts in marks ...
        counts = list(summary.short_counts)
    while length(least) > width and counts:  # ... the name as short as it gets: the counts go, 警告 first ...
        counts.pop()
    for i in reversed(range(len(marks))):  # ... and only then are the marks cut
        over = length(least) - width
        if over <= 0:
            break
        marks[i] = cut(marks[i], max(4, cell_len(marks[i].plain) - over))
    rest = length(0)
    name = cut(summary.name, max(least, width - rest - (len(GAP) if rest else 0)))
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    for piece in [summary.head, *marks, name, *extras, *counts]:
        if piece.plain:
            if line.plain:
                line.append(GAP)
            line.append_text(piece)
    return cut(line, width)


class SummaryLine(Widget):
    """One line, always on screen; shows a :class:`Summary` fitted to its width, or a message."""

    DEFAULT_CSS = "SummaryLine { height: 1; }"
    rich_style = RICH_STYLE  # kept.py
    background_colors = BACKGROUND_COLORS

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.summary: Summary | None = None

    def show(self, content: Summary | Text | str) -> None:
        self.summary = content if isinstance(content, Summary) else Summary(t(content))
        self.refresh()

    def render(self) -> Text:
        if self.summary is None:
            return Text()
        return fit(self.summary, self.content_size.width or 80)

    def render_line(self, y: int) -> Strip:
        # Drawn with Rich directly: Textual's general path (Content, visuals) took a millisecond
        # of every committed edit for this one line.
        width, base = self.size.width, self.rich_style
        if y:
            return Strip.blank(width, base)
        segments = self.render().render(self.app.console)
        return Strip(segments).apply_style(base).crop_extend(0, width, base)
