"""Large forms: export in memory proportional to the indicators."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile

from conftest import ROOT

# Before the export streamed its rows, 10,000 indicators needed about a gigabyte (the parsed
# table moved into python-docx's tree); streamed it peaks below 100 MB of address space.
EXPORT_10000_UNDER_400_MB = textwrap.dedent("""
    import resource, sys
    limit = 400 * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from pathlib import Path
    from evaltui.model import Evaluation, Indicator
    from evaltui.word.write import write_docx
    indicators = [
        Indicator(level1=f"一级{i // 200}", level2=f"二级{i // 20}", name=f"指标{i}", target="≥1", actual="1",
                  weight="0.01", score="0.01", reason="偏差原因：无。")
        for i in range(10_000)
    ]
    write_docx([Evaluation(name="大表", year=2025, indicators=indicators)], Path(sys.argv[1]))
""")


def test_a_form_of_10000_indicators_exports_within_400_mb(tmp_path):
    out = tmp_path / "big.docx"
    done = subprocess.run([sys.executable, "-c", EXPORT_10000_UNDER_400_MB, str(out)], capture_output=True,
                          text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    with zipfile.ZipFile(out) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tr>") == 3 + 5 + 2 + 1 + 10_000 + 1
    assert "指标0<" in xml and "指标9999<" in xml
    assert xml.index("指标0<") < xml.index("指标9999<") < xml.index("<w:sectPr")


# ---------------------------------------------------------------- opening in the app

def big_form(path, count: int) -> None:
    """An evaluation of ``count`` indicators, each with a problem or two (weights not summing)."""
    path.write_text('name = "大表"\nyear = 2025\n' + "".join(
        f'[[indicators]]\nname = "指标{i}"\nweight = 1\nscore = 1\n' for i in range(count)), encoding="utf-8")


def test_the_app_opens_up_to_its_limit_and_lists_a_larger_form_with_the_reason(tmp_path):
    from evaltui import folder as folder_module

    limit = folder_module.MAX_APP_INDICATORS
    big_form(tmp_path / "at.toml", limit)
    big_form(tmp_path / "over.toml", limit + 1)
    _, at = folder_module.read(tmp_path / "at.toml")
    assert not isinstance(at, str) and len(at.current.indicators) == limit
    _, over = folder_module.read(tmp_path / "over.toml")
    assert isinstance(over, str) and "\n" not in over
    assert f"{limit + 1:,} 条" in over and f"上限 {limit:,} 条" in over
    assert "evaltui check" in over and "evaltui export" in over


def test_the_command_line_checks_and_exports_a_form_above_the_app_s_limit(tmp_path):
    from evaltui import folder as folder_module

    count = folder_module.MAX_APP_INDICATORS + 1
    big_form(tmp_path / "over.toml", count)
    checked = subprocess.run([sys.executable, "-m", "evaltui", "check", "--json", str(tmp_path / "over.toml")],
                             capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert checked.returncode in (0, 1) and '"errors": []' in checked.stdout.replace("\n", "").replace("  ", "")
    out = tmp_path / "over.docx"
    exported = subprocess.run([sys.executable, "-m", "evaltui", "export", str(tmp_path / "over.toml"), "-o", str(out)],
                              capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(out) as package:
        assert f"指标{count - 1}<" in package.read("word/document.xml").decode("utf-8")


async def test_a_form_above_the_limit_is_listed_in_the_app_and_left_alone(tmp_path):
    from app_helpers import ONE, folder_with, running

    from evaltui import folder as folder_module

    folder = folder_with(tmp_path, ONE)
    big = folder / "大表.toml"
    big_form(big, folder_module.MAX_APP_INDICATORS + 1)
    before = big.read_bytes()
    async with running(folder, (80, 24)) as (app, pilot):
        assert big not in app.folder.sessions and "上限" in app.folder.load_errors[big]
        assert folder / ONE in app.folder.sessions, "the other evaluation opens"
        app.sidebar.select_path(big)
        app.show(big)
        await pilot.pause()
        shown = str(app._main.view.query_one("#load-error").render())
        assert "上限" in shown and "evaltui check" in shown
    assert big.read_bytes() == before and not (folder / ".大表.toml.lock").exists()


async def test_filling_a_grid_tells_the_view_of_the_cursor_once_not_per_row(tmp_path):
    """Each added row set the cursor again and the view worked out the detail line against
    every problem: quadratic in the rows (300 rows, 600 problems: 900 detail lines)."""
    from app_helpers import running

    big_form(tmp_path / "a.toml", 300)
    async with running(tmp_path, (120, 40)) as (app, pilot):
        view = app._main.view
        calls = []
        original = view.detail_text
        view.detail_text = lambda grid: calls.append(grid) or original(grid)
        view.query_one("#indicators").replace_rows([])
        app.refresh_view()
        await pilot.pause()
        assert 0 < len(calls) < 10, len(calls)


async def test_a_form_above_the_limit_says_one_way_on_the_command_line_not_to_fix_the_file(tmp_path):
    """The panel started 无法读取 and ended 请用文本编辑器修正, although the file is fine and the
    way on is evaltui check / export: it says 未在应用中打开 and only that way on."""
    from app_helpers import ONE, folder_with, running

    from evaltui import folder as folder_module

    folder = folder_with(tmp_path, ONE)
    big = folder / "大表.toml"
    big_form(big, folder_module.MAX_APP_INDICATORS + 1)
    (folder / "坏.toml").write_text("name = ", encoding="utf-8")
    async with running(folder, (120, 30)) as (app, pilot):
        app.sidebar.select_path(big)
        app.show(big)
        await pilot.pause()
        shown = str(app._main.view.query_one("#load-error").render())
        assert "未在应用中打开" in shown and "evaltui check" in shown, shown
        assert "无法读取" not in shown and "文本编辑器" not in shown, shown
        assert "超出上限" in app.sidebar.entries[big].prompt().plain
        app.sidebar.select_path(folder / "坏.toml")
        app.show(folder / "坏.toml")
        await pilot.pause()
        shown = str(app._main.view.query_one("#load-error").render())
        assert "无法读取" in shown and "文本编辑器" in shown, "a broken file: fix it in an editor"
        assert "无法读取" in app.sidebar.entries[folder / "坏.toml"].prompt().plain
