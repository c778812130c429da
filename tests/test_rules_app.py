"""Pilot tests: the rules in force and every suggestion explained, where a reviewer looks; 不适用 with u."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app_helpers import folder_with, painted, running

from evaltui import store
from evaltui.screens.review import ReviewScreen
from evaltui.widgets.grids import IndicatorGrid

TRAINING = "区代表年度培训服务.toml"  # row 2: 培训时间 ≤4天, actual 5天, 分值 10, 得分 10


def status_text(app) -> str:
    return str(app.query_one("#figures").render()) + "\n" + str(app.query_one("#rule").render())


async def _to_training_time(pilot, app) -> IndicatorGrid:
    await pilot.press("enter")
    grid = app.query_one("#indicators", IndicatorGrid)
    assert app.focused is grid
    await pilot.press("down")
    await pilot.pause()
    assert grid.cursor_coordinate.row == 1
    return grid


async def test_status_panel_names_the_national_rules_and_explains_the_row_under_the_cursor(tmp_path):
    async with running(folder_with(tmp_path, TRAINING)) as (app, pilot):
        assert "评分规则：全国" in status_text(app)
        assert "「培训人数」184人 ≤ 317人，满分 10" in status_text(app)  # the first row before any move
        await _to_training_time(pilot, app)
        assert "「培训时间」10 × (1 − (5 − 4) ÷ 4) = 7.5" in status_text(app)
        await pilot.press("down", "down", "down")  # 代表履职能力: qualitative
        await pilot.pause()
        assert "定性指标" in status_text(app) and "部分达成 9–12" in status_text(app)
        await pilot.press("ctrl+o", "ctrl+o")  # 项目资金
        await pilot.pause()
        assert "预算执行率得分：执行率 74.1% × 10 = 7.41" in status_text(app)


async def test_a_ratio_folder_is_named_and_scored_by_its_rules(tmp_path):
    folder = folder_with(tmp_path, TRAINING)
    (folder / "evaltui.toml").write_text('[rules]\nlower = "ratio"\n', encoding="utf-8")
    async with running(folder) as (app, pilot):
        assert len(app.sessions) == 1  # the settings file is not an evaluation
        assert "评分规则：evaltui.toml（反向指标按比例）" in status_text(app)
        await _to_training_time(pilot, app)
        assert "「培训时间」10 × 4 ÷ 5 = 8" in status_text(app)
        assert app.session().assessment.suggestions[1] == Decimal(8)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        title = str(app.screen.query_one("#review-title").render())
        assert "评分规则：evaltui.toml（反向指标按比例）" in title


async def test_review_screen_names_the_national_rules(tmp_path):
    async with running(folder_with(tmp_path, TRAINING), (80, 24)) as (app, pilot):
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "评分规则：全国" in str(app.screen.query_one("#review-title").render())


async def test_execution_weight_20_shows_in_the_status_panel(tmp_path):
    folder = folder_with(tmp_path, TRAINING)
    (folder / "evaltui.toml").write_text("[rules]\nexecution_weight = 20\n", encoding="utf-8")
    async with running(folder) as (app, pilot):
        text = status_text(app)
        assert "评分规则：evaltui.toml（预算执行率 20 分）" in text
        assert "执行得分  14.82/20.00" in text  # 20 × 74.1 %
        assert "合计     110.00/100.00" in text  # the form's indicators carry 90: 10 too many under these rules


async def test_a_bad_settings_file_leaves_its_evaluations_unread_and_says_why(tmp_path):
    folder = folder_with(tmp_path, TRAINING)
    (folder / "evaltui.toml").write_text("[rules]\ngrades = [90, 80]\n", encoding="utf-8")
    async with running(folder) as (app, pilot):
        assert app.sessions == {}
        (error,) = app.load_errors.values()
        assert "evaltui.toml" in error and "grades" in error and "未评分" in error


async def test_u_marks_an_indicator_not_applicable_the_total_is_rescaled_and_it_is_saved(tmp_path):
    folder = folder_with(tmp_path, TRAINING)
    async with running(folder, (80, 24)) as (app, pilot):
        before = app.session().assessment.total
        grid = await _to_training_time(pilot, app)
        await pilot.press("u")
        await pilot.pause()
        result = app.session().assessment
        assert app.session().current.indicators[1].applicable is False
        # (7.41 + 85.8 − 10) × 100 ÷ (100 − 10) = 92.4555… → 92.46: the row's 10 of 10 leaves the sums
        assert before == Decimal("93.21") and result.total == Decimal("92.46")
        assert str(grid.get_cell_at((1, 6))) == "不适用"
        assert "不适用：不计入总分" in status_text(app)
        assert "合计      90.00/90.00" in status_text(app)
        assert "92.46" in str(app.query_one("#summary").render())
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # the save is written in a worker
        await pilot.pause()
        assert store.load(folder / TRAINING).indicators[1].applicable is False
        await pilot.press("u")
        await pilot.pause()
        assert app.session().assessment.total == before
        assert str(grid.get_cell_at((1, 6))).endswith("10.00")  # (⚠: 10 is over the rule's 7.5)


def test_the_settings_file_is_not_listed_by_the_app(tmp_path):
    from evaltui.folder import list_paths

    folder = folder_with(tmp_path, TRAINING)
    (folder / "evaltui.toml").write_text("", encoding="utf-8")
    assert list_paths(Path(folder), None) == [folder / TRAINING]


async def test_a_blank_executed_amount_shows_no_rate_and_a_blank_year_a_problem(tmp_path):
    """Emptying 全年执行数 showed ``0.00%`` with no problem of its own, and emptying 年度 was
    accepted silently (new-user pass). Now the rate reads ``—``, the cell is marked, and the
    line under the grid names both."""
    from evaltui.widgets.grids import BudgetGrid, InfoGrid

    async with running(folder_with(tmp_path, TRAINING), (80, 24)) as (app, pilot):
        await pilot.press("enter", "ctrl+o", "ctrl+o", "right", "right", "right", "enter", "home", "ctrl+k", "enter")
        await painted(pilot, app)
        assert app.session().current.budget.total.executed is None
        budget = app.query_one("#budget", BudgetGrid)
        assert str(budget.get_cell_at((0, 4))).strip() == "—" and str(budget.get_cell_at((0, 5))).strip() == "0.00"
        assert "✗" in str(budget.get_cell_at((0, 3)))
        figures = status_text(app)
        assert "0.00%" not in figures and "执行率" in figures
        detail = str(app.query_one("#detail").render())
        assert "未填写年度资金总额的全年执行数" in detail
        assert "executed-missing" in {p.code for p in app.session().assessment.problems}
        await pilot.press("ctrl+o", "ctrl+o", "up", "up", "down", "enter", "home", "ctrl+k", "enter")  # 基本信息: 年度 is row 2
        await pilot.pause()
        assert app.query_one("#info", InfoGrid).cursor_coordinate.row == 1
        await pilot.pause()
        assert app.session().current.year is None
        await painted(pilot, app)
        assert "未填写年度" in str(app.query_one("#detail").render())


async def test_a_score_typed_with_three_decimals_shows_two_in_the_grid_and_is_kept_as_typed(tmp_path):
    """``9.999`` showed as ``9.999`` in the grid; the README says scores show two decimals."""
    async with running(folder_with(tmp_path, TRAINING), (80, 24)) as (app, pilot):
        grid = await _to_training_time(pilot, app)
        await pilot.press("up", *["right"] * 6, "9", ".", "9", "9", "9", "enter")
        await painted(pilot, app)
        assert app.session().current.indicators[0].score == Decimal("9.999")  # kept as typed
        shown = str(grid.get_cell_at((0, 6)))
        assert "10.00" in shown and "9.999" not in shown, shown
        assert str(grid.get_cell_at((0, 5))).strip() == "10.00"  # 分值 beside it
        assert "9.999" in str(app.query_one("#detail").render())  # the whole value under the grid


async def test_a_settings_file_changed_while_the_app_runs_rescores_its_evaluations(tmp_path):
    """Created, broken, fixed: each time the watcher reads the evaluations under evaltui.toml
    again by what it says now (new-user pass: the app kept the national rules while check
    refused every file, and after a fix only a file touched again was scored)."""
    from evaltui.folder import unopened_text

    folder = folder_with(tmp_path, TRAINING, "调研经费.toml")
    paths = sorted(folder.glob("*.toml"))
    settings = folder / "evaltui.toml"

    async def watch() -> None:
        app.watch_files()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()

    async with running(folder) as (app, pilot):
        assert all(app.sessions[p].rules.execution_weight == 10 for p in paths)
        settings.write_text("[rules]\nexecution_weight = 20\n", encoding="utf-8")
        await watch()
        assert all(app.sessions[p].rules.execution_weight == 20 for p in paths)
        assert "预算执行率 20 分" in status_text(app)

        settings.write_text("[rules]\nexecution_weight = 15\n", encoding="utf-8")
        await watch()
        assert set(app.load_errors) == set(paths) and not app.sessions
        error = app.load_errors[paths[0]]
        assert "execution_weight" in error and "未评分" in app.sidebar.entries[paths[0]].prompt().plain
        shown = unopened_text(paths[0], error)
        assert "评分规则设置" in shown and "无法读取" not in shown  # the evaluation's own file is fine

        settings.write_text("[rules]\nexecution_weight = 20\n", encoding="utf-8")
        await watch()
        assert not app.load_errors and all(app.sessions[p].rules.execution_weight == 20 for p in paths)

        settings.unlink()
        await watch()
        assert all(app.sessions[p].rules.execution_weight == 10 for p in paths)
