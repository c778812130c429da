"""The status panel and the summary line: everything the rules say about the evaluation on screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from evaltui.guard import guarded
from evaltui.numbers import fixed2, percent, round2
from evaltui.rules import ERROR, EXECUTION_WEIGHT, INFO, LEVELS, NATIONAL_SOURCE, WARNING
from evaltui.widgets.paragraph import Wrapped
from evaltui.widgets.parts import part
from evaltui.widgets.text import Shown, gate, t, text_key

if TYPE_CHECKING:
    from evaltui.model import Evaluation
    from evaltui.rules import Assessment, Problem

SEVERITY_STYLE = {ERROR: ("✗ 错误", "bold red"), WARNING: ("⚠ 警告", "yellow underline"), INFO: ("· 提示", "cyan")}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


def errors_first(problems: Iterable[Problem]) -> list[Problem]:
    """Problems as they are listed and walked (f8): errors, then warnings, then notes; each in form order."""
    return sorted(problems, key=lambda p: SEVERITY_ORDER.get(p.severity, 3))
GRADE_STYLE = {"优": "bold green", "良": "green", "中": "yellow", "差": "bold red"}


def rules_text(result: Assessment) -> Text:
    """The rules in force: ``评分规则：全国`` or ``评分规则：evaltui.toml（反向指标按比例）``."""
    text = Text()
    text.append("评分规则：", style="bold")
    text.append(result.rules.label(), style="" if result.rules.source == NATIONAL_SOURCE else "cyan")
    return text


def _label(name: str) -> str:
    """A figure's name padded to one column (9 cells), so the figures line up in a narrow panel."""
    return name + " " * max(1, 9 - cell_len(name))


def figures_text(ev: Evaluation, result: Assessment) -> Text:
    """The rules in force, 执行率 and its score, weights by first level (against 50 / 30 / 10
    under the national execution weight), total and grade; scores and rates with two decimals,
    one figure a line so that they fit the panel at 120 columns (23 cells)."""
    text = rules_text(result)
    text.append("\n")
    points = result.rules.execution_weight
    text.append(_label("执行率"), style="bold")
    text.append(f"{percent(result.execution_rate):>7}\n")
    text.append(_label("执行得分"), style="bold")
    text.append(f"{fixed2(result.execution_score):>6}/{fixed2(points)}\n")
    national_split = points == EXECUTION_WEIGHT  # the 50 / 30 / 10 split goes with 10 points only
    levels = [(label[:-2], result.level_weights[key], default) for key, label, default in LEVELS]
    if result.level_weights.get("other"):
        levels.append(("其他", result.level_weights["other"], None))
    for name, value, default in levels:
        text.append(_label(name), style="bold")
        if national_split and default is not None:
            text.append(f"{fixed2(value):>6}/{fixed2(default)}\n", style="yellow" if value != default else "")
        else:
            text.append(f"{fixed2(value):>6}\n", style="yellow" if default is None else "")
    full = result.full_marks
    text.append(_label("合计"), style="bold")
    text.append(f"{fixed2(result.weight_total):>6}/{fixed2(full)}\n", style="" if result.weight_total == full else "bold red")
    text.append(_label("总分"), style="bold")
    text.append(f"{fixed2(result.total):>6}", style="bold")
    text.append("  ")
    text.append(result.grade, style=GRADE_STYLE.get(result.grade, ""))
    reported = ev.reported_total
    if isinstance(reported, Decimal) and round2(reported) != result.total:
        text.append(f"\n{_label('表中填写')}{fixed2(reported):>6}", style="yellow")
    return text


def explanation_text(ev: Evaluation, result: Assessment, place: tuple[str, int]) -> Text:
    """How the rules reached the figure under the cursor: an indicator's suggestion (or why
    there is none), the execution score on the budget, the total on the header."""
    grid, row = place
    text = Text()
    if grid == "budget":
        text.append("预算执行率得分：", style="bold")
        text.append(result.execution_rule)
    elif grid == "info":
        text.append("总分：", style="bold")
        text.append(result.total_rule)
    elif 0 <= row < len(ev.indicators) and row < len(result.explanations):
        name = ev.indicators[row].name or f"第 {row + 1} 行"
        text.append_text(t(f"「{name}」", "bold"))
        text.append_text(t(result.explanations[row] or "未设分值，不计分"))
    return text


@guarded
class ProblemList(OptionList):
    """The problems; enter puts the cursor on the cell that fixes the highlighted one, at once."""

    BINDINGS = [Binding("enter", "choose", "跳到单元格", show=True)]

    def __init__(self, chosen: Callable[[int], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.chosen = chosen
        self._drawn: LRUCache[tuple, list] = LRUCache(256)

    def _get_option_render(self, option: Option, style):
        """Textual keeps a drawn option by its Option object, and a new list has new ones (and
        ``set_options`` empties that cache): a committed cell drew every problem again through
        Rich, 6 ms a time. Here a problem is kept by what it says, where, and how it is drawn.
        ``_get_option_render`` and ``_option_to_index`` are Textual's own (it is pinned)."""
        prompt = option.prompt
        if not isinstance(prompt, Wrapped):
            return super()._get_option_render(option, style)
        key = (self._option_to_index[option], text_key(prompt.text), style, option._divider,
               self.scrollable_content_region.width, self.get_component_styles("option-list--option").padding)
        strips = self._drawn.get(key)
        if strips is None:
            strips = self._drawn[key] = super()._get_option_render(option, style)
        return strips

    def action_choose(self) -> None:
        if self.highlighted is not None:
            self.chosen(self.highlighted)


@guarded
class StatusPanel(Vertical):
    HELP_TITLE = "状态栏（问题列表）"
    DEFAULT_CSS = """
    StatusPanel { width: 34; border-left: solid $panel; padding: 0 1; }
    StatusPanel #figures { height: auto; }
    StatusPanel #rule { height: auto; margin-bottom: 1; color: $text-muted; }
    StatusPanel #problems-title { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    StatusPanel OptionList { border: none; height: 1fr; padding: 0; }
    """
    BINDINGS = [Binding("escape", "screen.focus_grid", "返回表格", show=False)]

    def __init__(self, chosen: Callable[[Problem], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.problems: list[Problem] = []
        self.chosen = chosen
        self.shown: tuple[Evaluation, Assessment] | None = None
        self.place: tuple[str, int] = ("indicators", 0)  # the grid and row under the cursor

    def compose(self) -> ComposeResult:
        yield Shown(id="figures", markup=False)
        yield Shown(id="rule", markup=False)
        yield Shown(id="problems-title", markup=False)
        yield ProblemList(self._choose, id="problems")

    def _choose(self, index: int) -> None:
        if 0 <= index < len(self.problems):
            self.chosen(self.problems[index])

    def show_result(self, ev: Evaluation | None, result: Assessment | None, message: str = "") -> None:
        """The figures, the explanation and the problems of ``ev``. A part is redrawn only when
        it changed, and the screen laid out again only when a part's height changed (a commit
        usually changes a figure or two; a layout redraws every widget whose place moved)."""
        figures = self.query_one("#figures", Shown)
        title = self.query_one("#problems-title", Shown)
        if ev is None or result is None:
            self._show_problems([])
            figures.update_in_place(Text(message))
            title.update_in_place("")
            self.shown = None
            self._show_rule()
            return
        figures.update_in_place(figures_text(ev, result))
        self.shown = (ev, result)
        self._show_rule()
        listed = errors_first(result.problems)
        title.update_in_place(Text(f"问题 {len(listed)}（enter 跳到单元格）" if listed else "没有问题", style="bold"))
        self._show_problems(listed)

    def _show_problems(self, listed: list[Problem]) -> None:
        problems = self.problem_list
        if listed == self.problems and problems.option_count == len(listed):
            return
        self.problems = listed
        options = []
        for p in listed:
            label, style = SEVERITY_STYLE[p.severity]
            prompt = Text()
            prompt.append(label, style=style)
            prompt.append(" ")
            prompt.append_text(t(p.message))
            options.append(Option(Wrapped(gate(prompt))))  # wraps between Chinese characters, when drawn
        # in one step: clearing first took the scroll bar away and brought it back, each a layout
        problems.set_options(options)
        if options:
            problems.highlighted = 0

    def show_place(self, grid: str, row: int) -> None:
        """The cursor moved to ``row`` of ``grid`` (indicators, info, budget): explain what is there."""
        if (grid, row) != self.place:
            self.place = (grid, row)
            self._show_rule()

    def _show_rule(self) -> None:
        rule = self.query_one("#rule", Shown)
        rule.update_in_place(explanation_text(*self.shown, self.place) if self.shown else "")

    @property
    def problem_list(self) -> ProblemList:
        return part(self, "#problems", ProblemList)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click
        self._choose(event.option_index)
