"""The editable grids: indicators, header fields and goals, budget lines.

Grids show an evaluation and its assessment and say which :mod:`evaltui.targets` value each
cell is; enter on a cell asks their host (the evaluation view) to edit it, in the same call.
Cells are Rich ``Text``, never markup.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from evaltui.guard import guarded
from evaltui.labels import AMOUNT_COLUMNS, BUDGET_LINES, GOAL_FIELDS, HEADER_FIELDS, NOT_APPLICABLE
from evaltui.numbers import amount, fixed2
from evaltui.rules import ERROR, WARNING
from evaltui.targets import AmountCell, ExtraAmountCell, GoalText, HeaderField, IndicatorCell, NoteText, Target, for_problem
from evaltui.widgets.kept import BACKGROUND_COLORS, RICH_STYLE
from evaltui.widgets.text import cell, gate, one_line, show, text_key

if TYPE_CHECKING:
    from textual.widget import Widget

    from evaltui.model import Evaluation, Indicator
    from evaltui.rules import Assessment


class EditingHost(Protocol):
    """What owns a grid's editing: the evaluation view. Called directly, never through messages,
    so that a key's effect is done before the next key is looked at."""

    def edit_cell(self, grid: Sheet, typed: str = "") -> None: ...

    def row_action(self, action: str) -> None: ...

    def cursor_moved(self, grid: Sheet) -> None: ...

    def problem_step(self, grid: Sheet, step: int) -> None: ...

    def can_edit(self) -> bool: ...

    def typing_into(self, focused: Widget) -> Widget | None: ...


# A problem's cell is marked by a symbol and a style as well as a colour, so that the mark
# survives NO_COLOR and 16-colour terminals.
MARKS = {ERROR: ("✗ ", "bold red reverse"), WARNING: ("⚠ ", "yellow underline")}


def marked(text: Text, severity: str | None) -> Text:
    """``text`` with the mark of a problem of ``severity`` (none when it is None)."""
    if severity not in MARKS:
        return text
    symbol, style = MARKS[severity]
    text.stylize(style)
    return Text.assemble((symbol, style), text, no_wrap=True, overflow="ellipsis")


def problem_marks(problems) -> dict[Target, str]:
    """The mark of each cell a problem points at (the cell f8 and the detail line take it to,
    targets.for_problem): an error's over a warning's. Every grid marks its cells from this."""
    marks: dict[Target, str] = {}
    for problem in problems:
        if problem.severity in MARKS:
            target = for_problem(problem)
            if target is not None and marks.get(target) != ERROR:
                marks[target] = problem.severity
    return marks


# Keys that start editing the cell under the cursor with themselves typed: digits, signs, and
# any non-ASCII character (Chinese typed through an input method). Letters stay commands.
EDIT_STARTERS = frozenset("0123456789≥≤=<>+-.%")


def starts_editing(character: str | None) -> bool:
    return bool(character) and len(character) == 1 and (character in EDIT_STARTERS or not character.isascii()) \
        and character.isprintable()


EDITING_ACTIONS = frozenset({"edit", "row"})  # the actions that change the evaluation (enter, a, d, s, u …)

MOVE = Binding.Group("移动光标")
VIM_KEYS = [  # the arrows as DataTable has them, and h j k l as in vi; one line in help
    Binding("left,h", "cursor_left", "左", show=False, group=MOVE),
    Binding("down,j", "cursor_down", "下", show=False, group=MOVE),
    Binding("up,k", "cursor_up", "上", show=False, group=MOVE),
    Binding("right,l", "cursor_right", "右", show=False, group=MOVE),
]
# tab / shift+tab as in a spreadsheet: the next / previous cell of the row, the editor not opened
# (in the editor they commit and edit that cell). The focus does not go round the screen with
# them: ctrl+b, ctrl+e, enter and escape move it (docs/interfaces.md).
NEXT_CELL = Binding.Group("右边一格 / 左边一格（同一行，不打开编辑）")
TAB_KEYS = [
    Binding("tab", "cursor_right", "右边一格", show=False, group=NEXT_CELL),
    Binding("shift+tab", "cursor_left", "左边一格", show=False, group=NEXT_CELL),
]


class _KeptStyles:
    """A component's styles with their Rich style worked out once."""

    def __init__(self, styles) -> None:
        self.styles = styles
        self.rich_style = styles.rich_style

    def __getattr__(self, name: str):
        return getattr(self.styles, name)


@guarded
class Sheet(DataTable):
    """A DataTable of cells that keeps its cursor when its rows are rebuilt."""

    HELP_TITLE = "表格（三个分页共用）"

    DEFAULT_CSS = """
    Sheet { height: 1fr; }
    """
    BINDINGS = [
        *VIM_KEYS,
        *TAB_KEYS,
        Binding("enter", "edit", "编辑", show=True),
        Binding("f8", "problem(1)", "下个问题", show=True, id="next_problem"),
        Binding("shift+f8", "problem(-1)", "上个问题", show=False, id="previous_problem"),
    ]

    def __init__(self, host: EditingHost, **kwargs) -> None:
        # kept when the columns are rebuilt (the width is in the key) and when the styles change
        # (their print is in the key); bounded, the oldest dropped
        self._cells_drawn: LRUCache[tuple, list] = LRUCache(8192)
        self._component_styles_kept: dict[tuple[str, ...], _KeptStyles] = {}
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.host = host
        self.evaluation: Evaluation | None = None
        self.assessment: Assessment | None = None
        self._shown: list[list[Text]] = []  # the rows as shown: an edit compares against these
        self._given: list[list[Text]] = []  # the rows as given, before the gate (as many as _shown)

    # ------------------------------------------------------------ drawing only what changed
    # DataTable keys its cache of drawn cells by a count that every update_cell bumps (and by
    # its focus state), so changing one cell, committing an edit or showing another evaluation
    # draws every visible cell again through Rich: tens of milliseconds per key. Here a drawn
    # cell is kept by what it shows and where, so only cells whose text changed are drawn, and
    # an evaluation like the one before (a district's forms share most of their cells) costs
    # little. Textual is pinned (constraints.txt): ``_render_cell`` is its private method.

    def _render_cell(self, row_index: int, column_index: int, base_style, width: int,
                     cursor: bool = False, hover: bool = False):
        content = self._cell_content(row_index, column_index)
        if content is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (row_index, column_index, width, base_style, cursor, hover, self._drawing_state(), content)
        lines = self._cells_drawn.get(key)
        if lines is None:
            lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            self._cells_drawn[key] = lines
        return lines

    _state_of_drawing: tuple | None = None

    def _drawing_state(self) -> tuple:
        """What else a drawn cell depends on; the same for every cell of one drawing (reading
        DataTable's reactive settings for each cell took a tenth of a line's time)."""
        state = self._state_of_drawing
        if state is None:
            state = (self._show_hover_cursor, self._pseudo_class_state, self.show_cursor, self.cursor_type,
                     self.fixed_rows, self.fixed_columns, self._styles_print())
        return state

    def render_lines(self, crop):
        self._state_of_drawing = None
        self._state_of_drawing = self._drawing_state()
        try:
            return super().render_lines(crop)
        finally:
            self._state_of_drawing = None

    def _cell_content(self, row_index: int, column_index: int) -> tuple | None:
        """What the cell shows, as a key: its Text's characters, spans and settings."""
        try:
            if row_index == -1:
                value = self.ordered_columns[column_index].label
            elif column_index == -1:
                return None
            else:
                row_key = self._row_locations.get_key(row_index)
                column_key = self._column_locations.get_key(column_index)
                if row_key is None or column_key is None or self.rows[row_key].height != 1:
                    return None
                value = self._data[row_key][column_key]
        except (IndexError, KeyError):
            return None
        if not isinstance(value, Text):
            return None
        return text_key(value)

    _print: tuple | None = None

    def _styles_print(self) -> tuple:
        """The styles a cell is drawn with (cursor, header, fixed, rows), as a key: focus, blur
        and a theme change restyle the grid, and cells drawn under other styles are kept apart
        instead of thrown away (focus goes to the editor and back on every edit)."""
        if self._print is None:
            self._print = tuple(self.get_component_rich_style(name, default=Style()) for name in sorted(self.COMPONENT_CLASSES))
        return self._print

    def notify_style_update(self) -> None:
        self._print = None
        self._component_styles_kept = {}
        super().notify_style_update()

    # DataTable asks for its header's and rows' component styles (each a walk up every
    # ancestor's styles) for every line it draws; they are kept until the next restyle, as
    # Textual keeps them for ``get_component_rich_style``. Its own colours: kept.py.
    rich_style = RICH_STYLE
    background_colors = BACKGROUND_COLORS

    def get_component_styles(self, *names: str):
        kept = self._component_styles_kept.get(names)
        if kept is None:
            kept = self._component_styles_kept[names] = _KeptStyles(super().get_component_styles(*names))
        return kept

    def replace_rows(self, rows: list[list[Text]]) -> None:
        """Show new rows; cells change in place when the shape is the same, so the view stays put."""
        # the one gate, whoever built the cells; a row given again as the same list (a grid
        # that keeps its built rows) was gated when it was first given
        given, self._given = self._given, rows
        shown = self._shown
        rows = [shown[r] if r < len(given) and row is given[r] else [gate(c) for c in row] for r, row in enumerate(rows)]
        if self.row_count == len(rows) == len(shown) and rows:
            # update_cell redraws the whole table (and every widget under it) for each cell;
            # here the changed rows alone are redrawn. ``_data`` and ``_update_count`` are
            # DataTable's own (Textual is pinned): the count keys its caches of drawn lines.
            changed = set()
            for r, (row, before) in enumerate(zip(rows, shown)):
                for c, (cell, old) in enumerate(zip(row, before)):
                    if cell is not old and cell != old:
                        row_key, column_key = self.coordinate_to_cell_key(Coordinate(r, c))
                        self._data[row_key][column_key] = cell
                        changed.add(r)
            self._shown = rows
            if changed:
                self._update_count += 1
                for r in changed:
                    self.refresh_row(r)
            return
        self._shown = rows
        cursor = self.cursor_coordinate
        self.clear()
        self._filling = True  # add_row sets the cursor again each time: tell the host once, after
        try:
            for row in rows:
                self.add_row(*row)
        finally:
            self._filling = False
        self.host.cursor_moved(self)
        if rows:
            self.move_cursor(row=min(cursor.row, len(rows) - 1), column=cursor.column, animate=False)
            self.call_after_refresh(self._keep_cursor_in_view)

    def _columns_resized(self) -> None:
        """Columns changed width in place: DataTable works out its size again and draws every
        line anew. ``_update_count`` keys its caches of drawn lines and
        ``_require_update_dimensions`` its size (Textual is pinned); drawn cells are kept by width."""
        self._update_count += 1
        self._require_update_dimensions = True
        self.refresh()

    def _keep_cursor_in_view(self) -> None:
        """After a rebuild the view may have scrolled away: bring the cursor (wherever it is now) back."""
        self.move_cursor(row=self.cursor_row, column=self.cursor_column, animate=False)

    def target_at(self, coordinate: Coordinate) -> Target | None:
        """The value under ``coordinate``; None (after saying why) where nothing can be edited."""
        raise NotImplementedError

    def coordinate_of(self, target: Target) -> Coordinate | None:
        """Where ``target`` is in this grid; None when it is not here."""
        raise NotImplementedError

    def editable(self, coordinate: Coordinate) -> bool:
        """Whether the cell is a value of its own to edit (tab / shift+tab in the editor pass the
        others by: a computed column, a row's label). Asks nothing, says nothing."""
        return True

    def holds(self, target: Target, coordinate: Coordinate) -> bool:
        """Whether the cell at ``coordinate`` shows ``target`` (its problems are listed there)."""
        return self.coordinate_of(target) == coordinate

    def action_edit(self) -> None:
        self.host.edit_cell(self)

    def shows_key(self, action: str) -> bool:
        """The footer offers enter and the row keys only where they edit (not on a read-only form)."""
        return action not in EDITING_ACTIONS or self.host.can_edit()

    def action_problem(self, step: int) -> None:
        self.host.problem_step(self, step)

    def type_to_edit(self, character: str) -> bool:
        """A digit, sign or Chinese character typed on a cell: edit it starting with that character."""
        if not starts_editing(character):
            return False
        self.host.edit_cell(self, character)
        return True

    def paste_to_edit(self, text: str) -> None:
        """A paste on a cell, no editor open: the cell is edited as with enter (saying why when it
        cannot be), a long text's editor starting from the paste; the cell editor opens with the
        value selected, for the paste to be typed into it (keys.py: several lines refused)."""
        self.host.edit_cell(self, text, pasted=True)

    _filling = False  # rows being added: the host hears of the cursor once they are all in

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if not self._filling:
            self.host.cursor_moved(self)

    def detail_at(self, coordinate: Coordinate) -> tuple[str, str]:
        """The column's title and the whole text of the cell at ``coordinate``."""
        if not (0 <= coordinate.row < self.row_count and 0 <= coordinate.column < len(self.columns)):
            return "", ""
        title = self.ordered_columns[coordinate.column].label.plain
        return title, self.get_cell_at(coordinate).plain

    def action_row(self, action: str) -> None:
        self.host.row_action(action)

    def _on_click(self, event: events.Click) -> None:
        if self.host.typing_into(self) is not None:
            event.prevent_default()  # its cell is being edited: the cursor stays on that cell (DataTable's handler is not called)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()  # a click on the cursor's cell
        self.host.edit_cell(self)


INDICATOR_COLUMNS = (
    # field, title, narrowest width, widest width, share of the room left over
    ("level1", "一级指标", 4, 12, 0),
    ("level2", "二级指标", 4, 14, 0),
    ("name", "三级指标", 12, 40, 3),
    ("target", "年度指标值", 8, 24, 1),
    ("actual", "实际完成值", 8, 30, 1.5),
    ("weight", "分值", 5, 8, 0),
    ("score", "得分", 5, 8, 0),
    ("suggested", "建议", 5, 8, 0),
    ("reason", "偏差原因分析及改进措施", 8, 80, 3),
)
SHORT_TITLES = {"level1": "一级", "level2": "二级"}  # a level column narrower than its title: 一级, not 一 …
FIXED_COLUMNS = 3  # 一级, 二级 and 三级指标 stay in view when the grid scrolls sideways
CELL_PADDING = 2  # DataTable pads every cell by one on each side


def column_title(field: str, title: str, width: int) -> Text:
    """The header of a column ``width`` cells wide."""
    return cell(SHORT_TITLES[field] if field in SHORT_TITLES and cell_len(title) > width else title)


def column_widths(room: int, natural: list[int] | None = None) -> list[int]:
    """Widths for ``room`` terminal columns from what the cells hold (``natural``: the widest
    cell of each column, title included but for the two level columns'): every column as wide
    as its content when that fits, the level columns then as wide as their titles, the space
    left shared out; otherwise each at least its narrowest, the room given to the
    columns that lack most."""
    lows = [low for _, _, low, _, _ in INDICATOR_COLUMNS]
    highs = [high for _, _, _, high, _ in INDICATOR_COLUMNS]
    natural = natural or lows
    want = [max(low, min(n, high)) for n, low, high in zip(natural, lows, highs)]
    # a number is never cut: its column is as wide as its widest value
    lows = [w if field in NUMBER_COLUMNS else low for (field, *_), w, low in zip(INDICATOR_COLUMNS, want, lows)]
    room -= CELL_PADDING * len(want) + 2  # the padding and the scrollbar
    if sum(want) <= room:
        spare = room - sum(want)
        for i in (0, 1):  # 一级指标 and 二级指标 whole in their titles (not 一级 …) when the room allows
            grow = min(spare, max(0, cell_len(INDICATOR_COLUMNS[i][1]) - want[i]))
            want[i] += grow
            spare -= grow
        shares = [share for *_, share in INDICATOR_COLUMNS]
        extra = [int(spare * share / sum(shares)) for share in shares]
        extra[2] += spare - sum(extra)  # what rounding left goes to 三级指标
        return [w + e for w, e in zip(want, extra)]
    spare = room - sum(lows)
    if spare <= 0:
        return lows
    lack = [w - low for w, low in zip(want, lows)]
    return [low + int(spare * gap / sum(lack)) for low, gap in zip(lows, lack)]
READ_ONLY_COLUMNS = {"suggested"}


def short_level(name: str) -> str:
    """A first or second level as the grid shows it: ``社会效益指标`` → ``社会效益`` (the detail line shows it whole)."""
    return name[:-2] if name.endswith("指标") and len(name) > 2 else name
NUMBER_COLUMNS = {"weight", "score", "suggested"}


class IndicatorGrid(Sheet):
    """绩效指标: one row per indicator, columns in the order of docs/interfaces.md."""

    HELP_TITLE = "指标表格"
    BINDINGS = [
        Binding("a", "row('add')", "添加行", show=True),
        Binding("d,delete", "row('delete')", "删除行", show=True),
        Binding("K,shift+up", "row('up')", "上移", show=False),
        Binding("J,shift+down", "row('down')", "下移", show=False),
        Binding("s", "row('suggestion')", "采用建议", show=True),
        Binding("u", "row('applicable')", "不适用", show=True),
        Binding("v", "row('direction')", "方向", show=False),
        Binding("escape", "screen.focus_sidebar", "返回列表", show=False),
    ]

    def __init__(self, host: EditingHost, **kwargs) -> None:
        super().__init__(host, **kwargs)
        self.fixed_columns = FIXED_COLUMNS
        self._rows: list[list[Text]] = []
        self._room = 0
        self._widths: list[int] = []
        self._built: LRUCache[tuple, list[Text]] = LRUCache(1024)  # an indicator's cells, by what they show

    def on_mount(self) -> None:
        self._set_columns(column_widths(0))

    def _set_columns(self, widths: list[int]) -> None:
        self._widths = widths
        self.clear(columns=True)
        for (field, title, *_), width in zip(INDICATOR_COLUMNS, widths):
            self.add_column(column_title(field, title, width), width=width, key=field)

    def _natural(self, rows: list[list[Text]]) -> list[int]:
        return [
            max([cell_len(title) if i > 1 else 4] + [cell_len(row[i].plain) for row in rows])
            for i, (_, title, *_) in enumerate(INDICATOR_COLUMNS)
        ]

    def _fit(self, rows: list[list[Text]]) -> None:
        """Columns sized for these rows and the room there is; rebuilt only when the widths change."""
        widths = column_widths(self._room, self._natural(rows))
        if widths == self._widths:
            super().replace_rows(rows)
            return
        if self._widths and len(widths) == len(self.columns) and rows and self.row_count == len(rows):
            # The same rows with other widths (an edit made a column wider or narrower): the
            # columns change width in place and only changed cells are updated, nothing cleared.
            self._widths = widths
            for column, width, (field, title, *_) in zip(self.ordered_columns, widths, INDICATOR_COLUMNS):
                column.width = width
                column.label = column_title(field, title, width)
            super().replace_rows(rows)
            self._columns_resized()
            return
        cursor = self.cursor_coordinate
        self._set_columns(widths)
        super().replace_rows(rows)
        if rows:
            self.move_cursor(row=min(cursor.row, len(rows) - 1), column=cursor.column, animate=False)

    def on_resize(self, event) -> None:
        if event.size.width != self._room:
            self._room = event.size.width
            self._fit(self._rows)
            # Columns fitted to the new width take effect when DataTable next works out its
            # size; lines drawn before that were kept until some other change redrew them.
            self.call_after_refresh(self.refresh)

    def replace_rows(self, rows: list[list[Text]]) -> None:
        self._rows = rows
        self._fit(rows)

    def show_evaluation(self, ev: Evaluation, result: Assessment) -> None:
        self.evaluation = ev
        self.assessment = result
        by_row: dict[int, dict[str, str]] = {}
        for target, severity in problem_marks(result.problems).items():
            if isinstance(target, IndicatorCell):
                by_row.setdefault(target.row, {})[target.field] = severity
        unmarked = tuple((field, None) for field, *_ in INDICATOR_COLUMNS)
        rows = []
        for i, (ind, suggestion) in enumerate(zip(ev.indicators, result.suggestions)):
            here = by_row.get(i)
            row_marks = unmarked if here is None else tuple((field, here.get(field)) for field, *_ in INDICATOR_COLUMNS)
            key = (ind, suggestion, row_marks)
            row = self._built.get(key)
            if row is None:
                row = self._built[key] = self._row(ind, suggestion, dict(row_marks))
            rows.append(row)
        self.replace_rows(rows)

    def _row(self, ind: Indicator, suggestion: Decimal | None, marks: dict[str, str | None]) -> list[Text]:
        """The cells of one indicator (kept by :meth:`show_evaluation`: an edit changes one row)."""
        row = []
        for field, *_ in INDICATOR_COLUMNS:
            if not ind.applicable and field in ("score", "suggested"):
                # 不适用: the row stays, out of the sums; its 得分 reads as in the Word export
                row.append(cell(NOT_APPLICABLE if field == "score" else "—", "italic magenta"))
                continue
            if field == "suggested":
                text = cell(fixed2(suggestion), "italic dim")
                if suggestion is not None and marks["score"] == WARNING:
                    text.stylize("yellow")
            elif not ind.applicable:
                value = getattr(ind, field)
                text = cell(fixed2(value) if isinstance(value, Decimal) else one_line(show(value)), "dim strike")
            else:
                value = getattr(ind, field)
                shown = fixed2(value) if isinstance(value, Decimal) else one_line(show(value))  # 分值, 得分
                if field in ("level1", "level2"):
                    shown = short_level(shown)
                text = marked(cell(shown), marks[field])
            if field in NUMBER_COLUMNS:
                text.justify = "right"
            row.append(gate(text))  # gated here, where the widths are measured
        return row

    def detail_at(self, coordinate: Coordinate) -> tuple[str, str]:
        ev, result = self.evaluation, self.assessment
        if ev is None or not 0 <= coordinate.row < len(ev.indicators) or not 0 <= coordinate.column < len(INDICATOR_COLUMNS):
            return "", ""
        field, title, *_ = INDICATOR_COLUMNS[coordinate.column]
        if field == "suggested":
            explained = result.explanations[coordinate.row] if result and coordinate.row < len(result.explanations) else None
            return "建议得分", explained or "规则对此行没有建议（定性指标，或实际完成值中不止一个数字）"
        return title, IndicatorCell(coordinate.row, field).value(ev)

    def field_at(self, column: int) -> str:
        return INDICATOR_COLUMNS[column][0]

    def target_at(self, coordinate: Coordinate) -> Target | None:
        field = INDICATOR_COLUMNS[coordinate.column][0]
        if field in READ_ONLY_COLUMNS:
            self.app.bell()
            self.notify("建议得分由规则计算，不能编辑；按 s 采用建议得分", severity="warning", markup=False)
            return None
        if self.evaluation is None or not 0 <= coordinate.row < len(self.evaluation.indicators):
            return None
        return IndicatorCell(coordinate.row, field)

    def editable(self, coordinate: Coordinate) -> bool:
        return INDICATOR_COLUMNS[coordinate.column][0] not in READ_ONLY_COLUMNS

    def coordinate_of(self, target: Target) -> Coordinate | None:
        if not isinstance(target, IndicatorCell):
            return None
        columns = [field for field, *_ in INDICATOR_COLUMNS]
        return Coordinate(target.row, columns.index(target.field)) if target.field in columns else None


INFO_ROWS: tuple[Target, ...] = (
    HeaderField(HEADER_FIELDS[0][0]),
    HeaderField("year"),
    *(HeaderField(field) for field, _ in HEADER_FIELDS[1:]),
    HeaderField("reported_total"),
    *(GoalText(field) for field, _ in GOAL_FIELDS),
)


def info_rows(ev: Evaluation | None) -> tuple[Target, ...]:
    """The header fields, the goals, then the texts the form held beyond them (评价结论 …)."""
    notes = tuple(NoteText(i) for i in range(len(ev.notes))) if ev is not None else ()
    return INFO_ROWS + notes


class InfoGrid(Sheet):
    """基本信息: the header fields, the two goal texts and the form's other texts, one per row."""

    HELP_TITLE = "基本信息"
    BINDINGS = [Binding("escape", "screen.focus_sidebar", "返回列表", show=False)]

    LABEL_WIDTH = 12

    def on_mount(self) -> None:
        self.add_column("项目", width=self.LABEL_WIDTH, key="label")
        self.add_column("内容", key="value")

    def on_resize(self, event) -> None:
        """The text column fills the room there is, so a long text ends in … instead of running
        past the edge (its width was the longest text's)."""
        room = max(8, self.scrollable_content_region.width - self.LABEL_WIDTH - 4 * self.cell_padding)
        column = self.columns.get(ColumnKey("value"))
        if column is not None and (column.auto_width or column.width != room):
            column.auto_width = False
            column.width = room
            self._columns_resized()

    def show_evaluation(self, ev: Evaluation, result: Assessment) -> None:
        self.evaluation = ev
        self.assessment = result
        marks = problem_marks(result.problems)
        rows = []
        for target in info_rows(ev):
            rows.append([cell(target.label(ev), "bold"), marked(cell(one_line(target.value(ev))), marks.get(target))])
        self.replace_rows(rows)

    def target_at(self, coordinate: Coordinate) -> Target | None:
        targets = info_rows(self.evaluation)
        return targets[coordinate.row] if 0 <= coordinate.row < len(targets) else None

    def detail_at(self, coordinate: Coordinate) -> tuple[str, str]:
        targets = info_rows(self.evaluation)
        if self.evaluation is None or not 0 <= coordinate.row < len(targets):
            return "", ""
        target = targets[coordinate.row]
        return target.label(self.evaluation), target.value(self.evaluation)

    def coordinate_of(self, target: Target) -> Coordinate | None:
        targets = info_rows(self.evaluation)
        return Coordinate(targets.index(target), 1) if target in targets else None

    def editable(self, coordinate: Coordinate) -> bool:
        return coordinate.column == 1  # the label beside it edits the same text

    def holds(self, target: Target, coordinate: Coordinate) -> bool:
        """A row is one field: its label and its text both show it (and its problems)."""
        at = self.coordinate_of(target)
        return at is not None and at.row == coordinate.row


class BudgetGrid(Sheet):
    """项目资金（万元）: four lines, three amounts each, and the computed rate and score."""

    HELP_TITLE = "项目资金"
    BINDINGS = [Binding("escape", "screen.focus_sidebar", "返回列表", show=False)]

    def on_mount(self) -> None:
        self.add_column("资金（万元）", width=18, key="line")
        for column, title in AMOUNT_COLUMNS:
            self.add_column(title, width=14, key=column)
        self.add_column("执行率", width=9, key="rate")
        self.add_column("得分", width=7, key="score")

    def show_evaluation(self, ev: Evaluation, result: Assessment) -> None:
        self.evaluation = ev
        self.assessment = result
        marks = problem_marks(result.problems)
        rows = []
        for line, label in BUDGET_LINES:
            amounts = getattr(ev.budget, line)
            row = [cell(label, "bold")]
            for column, _ in AMOUNT_COLUMNS:
                value = marked(cell(amount(getattr(amounts, column))), marks.get(AmountCell(line, column)))
                value.justify = "right"
                row.append(value)
            if line == "total":
                rate = "—" if result.execution_rate is None else f"{fixed2(result.execution_rate)}%"
                row += [cell(rate, "italic"), cell(fixed2(result.execution_score), "italic")]
                row[-2].justify = row[-1].justify = "right"
            else:
                row += [cell(""), cell("")]
            rows.append(row)
        for extra in ev.budget_extra:  # lines the national form has no place for: kept, out of the rules
            row = [cell(extra.label, "bold italic")]
            for column, _ in AMOUNT_COLUMNS:
                value = cell(amount(getattr(extra, column)))
                value.justify = "right"
                row.append(value)
            rows.append(row + [cell(""), cell("")])
        self.replace_rows(rows)

    def target_at(self, coordinate: Coordinate) -> Target | None:
        if coordinate.row >= len(BUDGET_LINES):
            index = coordinate.row - len(BUDGET_LINES)
            if coordinate.column == 0:
                return ExtraAmountCell(index, "label")
            if 1 <= coordinate.column <= len(AMOUNT_COLUMNS):
                return ExtraAmountCell(index, AMOUNT_COLUMNS[coordinate.column - 1][0])
            return None
        line = BUDGET_LINES[coordinate.row][0]
        if not 1 <= coordinate.column <= len(AMOUNT_COLUMNS):
            if coordinate.column > len(AMOUNT_COLUMNS):
                self.notify("执行率和得分由金额计算，不能编辑", severity="warning", markup=False)
            return None
        return AmountCell(line, AMOUNT_COLUMNS[coordinate.column - 1][0])

    def editable(self, coordinate: Coordinate) -> bool:
        first = 0 if coordinate.row >= len(BUDGET_LINES) else 1  # a line beyond the four: its name too
        return first <= coordinate.column <= len(AMOUNT_COLUMNS)

    def detail_at(self, coordinate: Coordinate) -> tuple[str, str]:
        ev, result = self.evaluation, self.assessment
        if ev is not None and 0 <= coordinate.row - len(BUDGET_LINES) < len(ev.budget_extra):
            index = coordinate.row - len(BUDGET_LINES)
            if coordinate.column <= len(AMOUNT_COLUMNS):
                target = ExtraAmountCell(index, "label" if coordinate.column == 0 else AMOUNT_COLUMNS[coordinate.column - 1][0])
                return target.label(ev), target.value(ev)
            return "资金", ev.budget_extra[index].label
        if ev is None or result is None or not 0 <= coordinate.row < len(BUDGET_LINES):
            return "", ""
        line, label = BUDGET_LINES[coordinate.row]
        if 1 <= coordinate.column <= len(AMOUNT_COLUMNS):
            column, title = AMOUNT_COLUMNS[coordinate.column - 1]
            value = getattr(getattr(ev.budget, line), column)
            return f"{label} · {title}（万元）", "" if value is None else amount(value)
        if coordinate.column > len(AMOUNT_COLUMNS) and line == "total":
            return "预算执行率得分", result.execution_rule or fixed2(result.execution_score)
        return "资金", label

    def coordinate_of(self, target: Target) -> Coordinate | None:
        if isinstance(target, ExtraAmountCell):
            columns = ["label", *(key for key, _ in AMOUNT_COLUMNS)]
            return Coordinate(len(BUDGET_LINES) + target.index, columns.index(target.column))
        if not isinstance(target, AmountCell):
            return None
        lines = [key for key, _ in BUDGET_LINES]
        columns = [key for key, _ in AMOUNT_COLUMNS]
        return Coordinate(lines.index(target.line), columns.index(target.column) + 1)
