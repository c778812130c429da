"""Hostile text in the app: a name holding ``ESC [2J``, an OSC 52 clipboard write, a one-character
CSI (U+009B) or a bidi override (U+202E) is shown as ``\\u001b[2J`` … everywhere the app shows it,
and never reaches the terminal raw; an editor neither shows it raw nor silently rewrites it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app_helpers import ONE, folder_with, running
from textual import events
from textual.widgets import Input

from evaltui import store
from evaltui.model import Evaluation, Goals, Indicator
from evaltui.screens.review import ReviewScreen
from evaltui.widgets.grids import IndicatorGrid

ATTACK = "\x1b[2J\x1b]52;c;aGVsbG8=\x07\x9b31m\u202e"
SHOWN = "\\u001b[2J\\u001b]52;c;aGVsbG8=\\u0007\\u009b31m\\u202e"
RAW = {chr(c) for c in range(0x20) if c != 0x0A} | {chr(c) for c in range(0x7F, 0xA0)} | set(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")
FILE = f"aa{ATTACK}.toml"


def hostile() -> Evaluation:
    return Evaluation(
        name=f"项目{ATTACK}[/bold]", year=2025, department="区人大",
        goals=Goals(expected=f"目标{ATTACK}", actual=f"完成{ATTACK}"),
        indicators=(
            Indicator(level1="产出指标", level2="数量指标", name=f"指标{ATTACK}", target=f"目标值{ATTACK}",
                      actual=f"完成值{ATTACK}", weight=Decimal(50), score=Decimal(40), reason=f"原因{ATTACK}"),
            Indicator(level1="效益指标", level2="社会效益指标", name="满意度", target="≥90%", actual="95%",
                      weight=Decimal(40), score=Decimal(40), reason=""),
        ),
    )


def screen_lines(app) -> list[str]:
    """What the terminal is sent for the current screen, line by line (every layer, toasts too)."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def assert_clean(app, where: str) -> str:
    lines = screen_lines(app)
    for y, line in enumerate(lines):
        assert not set(line) & RAW, f"{where}, line {y}: raw control {sorted(map(hex, map(ord, set(line) & RAW)))} in {line!r}"
    return "\n".join(lines)


async def test_hostile_text_is_shown_escaped_everywhere(tmp_path: Path):
    folder = folder_with(tmp_path, ONE)
    store.save(folder / FILE, hostile())
    async with running(folder) as (app, pilot):
        shown = assert_clean(app, "sidebar")
        assert "\\u001b[2J" in shown, "the sidebar shows the escaped name"
        assert app.current.name == FILE, app.current
        assert "[/bold]" in shown, "a name is never markup"
        await pilot.press("enter")
        grid = app.query_one("#indicators", IndicatorGrid)
        assert app.focused is grid
        shown = assert_clean(app, "grid")
        assert "指标\\u001b[2J" in shown and "目标值\\u0" in shown, "grid cells, cut where the column ends"
        assert "「指标\\u001b[2J\\u001b]52;c;aGVs" in shown, "the status panel's explanation"
        assert "项目\\u001b[2J\\u001b]52;c;aGVsbG8=" in shown, "the summary line"
        await pilot.press(*["right"] * 8)  # 偏差原因: the detail line shows the whole reason
        await pilot.pause()
        shown = assert_clean(app, "detail line")
        assert f"原因{SHOWN}" in shown, shown
        await pilot.press("ctrl+o")  # goals
        await pilot.pause()
        shown = assert_clean(app, "goals")
        assert "目标\\u001b[2J" in shown
        await pilot.press("ctrl+o", "ctrl+o", "ctrl+o")
        await pilot.pause()
        assert_clean(app, "the other sections")
        app.notify(f"提示{ATTACK}", title=f"标题{ATTACK}")  # a toast naming a file or an indicator
        await pilot.pause()
        assert_clean(app, "toast")
        toast = list(app._notifications)[-1]
        assert toast.message == f"提示{SHOWN}" and toast.title == f"标题{SHOWN}" and not toast.markup
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.pause()
        shown = assert_clean(app, "review")
        assert "项目\\u001b[2J" in shown


async def test_editing_a_value_that_holds_esc_neither_shows_nor_corrupts_it(tmp_path: Path):
    folder = folder_with(tmp_path)
    store.save(folder / FILE, hostile())
    async with running(folder) as (app, pilot):
        await pilot.press("enter", "right", "right", "enter")  # 三级指标 of the first row
        editor = app.query_one("#edit-input", Input)
        assert app.screen.key_target is editor
        assert editor.value == f"指标{SHOWN}", "the editor shows the escaped form"
        assert_clean(app, "editor")
        await pilot.press("enter")  # confirmed unchanged: the value stays as the file holds it
        assert app.session().current.indicators[0].name == f"指标{ATTACK}"
        await pilot.press("enter")
        editor.value = ""
        editor.post_message(events.Paste("指标\x1b[2J\x1b]52;c;aGVsbG8=\x07"))  # a paste: its controls not taken, and said so
        await pilot.pause()
        assert editor.value == "指标[2J]52;c;aGVsbG8="
        assert "控制字符" in assert_clean(app, "paste")
        editor.value = "指标\x1b[2J"  # however it got there, a control character is refused with the reason
        await pilot.press("enter")
        assert app.screen.key_target is editor
        assert "不能包含控制字符（指标\\u001b[2J）" in "\n".join(screen_lines(app))
        assert app.session().current.indicators[0].name == f"指标{ATTACK}"
        editor.value = "指标甲"
        await pilot.press("enter")
        assert app.session().current.indicators[0].name == "指标甲"


async def test_the_long_text_editor_and_the_prompt_show_control_characters_escaped(tmp_path: Path):
    from textual.widgets import TextArea

    from evaltui.screens.dialogs import PromptScreen, TextEditorScreen

    folder = folder_with(tmp_path, ONE)
    async with running(folder, (120, 40)) as (app, pilot):
        kept: list[str | None] = []
        app.push_screen(TextEditorScreen("原因", f"第一行{ATTACK}\n第二行"), kept.append)
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        assert area.text == f"第一行{SHOWN}\n第二行"
        assert_clean(app, "long text editor")
        area.post_message(events.Paste("甲\x1b]52;c;aGVsbG8=\x07乙\n丙"))  # a paste keeps its lines, not its controls
        await pilot.pause()
        assert "甲]52;c;aGVsbG8=乙\n丙" in area.text
        area.text = ""
        notices = len(app._notifications)
        await app._main.take_key(events.Paste("第一行\r第二行\r\n\r第四行"))  # a terminal's pasted line breaks: CR
        await pilot.pause()
        assert area.text == "第一行\n第二行\n\n第四行"
        assert len(app._notifications) == notices, "no control character removed"
        area.text = f"第一行{SHOWN}\n第二行"
        await pilot.press("ctrl+s")  # unchanged: the value exactly as it was
        await app.workers.wait_for_complete()  # the save is written in a worker
        assert kept == [f"第一行{ATTACK}\n第二行"]
        app.push_screen(PromptScreen("导出到：", f"/tmp/{ATTACK}.docx"), kept.append)
        await pilot.pause()
        field = app.screen.query_one("#prompt-input", Input)
        assert field.value == f"/tmp/{SHOWN}.docx"
        assert_clean(app, "prompt")
        await pilot.press("enter")
        assert kept[-1] == f"/tmp/{ATTACK}.docx"


def test_no_widget_shows_text_through_a_bare_static():
    """The app's text goes through the gate's ``Shown``; a bare ``Static``/``Label`` would skip
    it (help.py shows only the app's own key table)."""
    import re

    import evaltui

    root = Path(evaltui.__file__).parent
    bare = []
    for path in [*(root / "widgets").glob("*.py"), *(root / "screens").glob("*.py"), root / "app.py"]:
        if path.name == "help.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\b(Static|Label)\(", line):
                bare.append(f"{path.name}:{n}: {line.strip()}")
    assert not bare, "\n".join(bare)
