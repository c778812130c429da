"""export and summary (CLI and app) never write through a symlink to a device or a FIFO, and
never replace an existing file without --force (CLI) or a yes (app); a read-only file (0444)
is not replaced even with --force."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from app_helpers import ONE, folder_with, running
from conftest import EXAMPLES, SEED_DOCX, made_output
from textual.widgets import Input, Static

from evaltui.screens.dialogs import PromptScreen
from evaltui.screens.review import ReviewScreen

OUTPUTS = {"export": "out.docx", "summary-xlsx": "out.xlsx", "summary-csv": "out.csv"}


def run(*args: str) -> subprocess.CompletedProcess:
    made_output(args)
    # a timeout: a FIFO opened for writing would wait for a reader forever
    return subprocess.run([sys.executable, "-m", "evaltui", *args], capture_output=True, text=True, timeout=120)


def link_to(tmp_path: Path, name: str, kind: str) -> tuple[Path, str, str]:
    """A symlink ``name`` to a device or a FIFO; its target and the words of the refusal."""
    link = tmp_path / name
    if kind == "device":
        target, words = "/dev/null", "设备文件"
    else:
        target, words = str(tmp_path / "pipe"), "命名管道"
        os.mkfifo(target)
    link.symlink_to(target)
    return link, target, words


def untouched(link: Path, target: str, kind: str) -> bool:
    mode = os.stat(target).st_mode
    return link.is_symlink() and os.readlink(link) == target and (
        stat.S_ISCHR(mode) if kind == "device" else stat.S_ISFIFO(mode))


@pytest.mark.parametrize("kind", ["device", "fifo"])
@pytest.mark.parametrize("command", list(OUTPUTS))
def test_the_command_line_never_writes_through_a_link_to_a_device_or_fifo(tmp_path, command, kind):
    link, target, words = link_to(tmp_path, OUTPUTS[command], kind)
    args = [command.split("-")[0], str(EXAMPLES / ONE), "-o", str(link)]
    refused = run(*args)
    assert refused.returncode == 2 and "已存在" in refused.stderr and "--force" in refused.stderr
    forced = run(*args, "--force")
    assert forced.returncode == 1
    (line,) = forced.stderr.splitlines()
    assert words in line and "不是普通文件" in line and "Traceback" not in forced.stderr
    assert untouched(link, target, kind)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("command", ["summary-xlsx", "summary-csv"])
def test_summary_never_replaces_a_read_only_file_even_with_force(tmp_path, command):
    out = tmp_path / OUTPUTS[command]
    out.write_bytes(b"old")
    out.chmod(0o444)
    done = run("summary", str(EXAMPLES / ONE), "-o", str(out), "--force")
    assert done.returncode == 1 and "只读" in done.stderr
    assert out.read_bytes() == b"old" and stat.S_IMODE(out.stat().st_mode) == 0o444


def test_import_never_replaces_a_read_only_evaluation_even_with_force(tmp_path):
    out = tmp_path / "out"
    assert run("import", str(SEED_DOCX), "-o", str(out)).returncode == 0
    kept = sorted(out.glob("*.toml"))[0]
    kept.chmod(0o444)
    before = kept.read_bytes()
    done = run("import", str(SEED_DOCX), "-o", str(out), "--force")
    assert done.returncode == 1 and "只读" in done.stderr
    assert kept.read_bytes() == before and stat.S_IMODE(kept.stat().st_mode) == 0o444


def errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


async def answer_path(pilot, app, path: Path) -> None:
    assert isinstance(app.screen, PromptScreen)
    app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


async def refused_in_the_prompt(pilot, app, words: str) -> None:
    """The write would be refused (a link to a device or a FIFO): the prompt says why in one line
    under the path, at once, and stays open for another; nothing is asked, nothing written."""
    assert isinstance(app.screen, PromptScreen), "the prompt stays open"
    error = app.screen.query_one("#prompt-error", Static)
    assert error.has_class("shown")
    assert words in str(error.render()) and "不是普通文件" in str(error.render()) and "\n" not in str(error.render())
    await asyncio.wait_for(app.workers.wait_for_complete(), 60)
    await pilot.pause()
    assert not errors(app), "nothing was tried"
    await pilot.press("escape")
    await pilot.pause()


@pytest.mark.parametrize("kind", ["device", "fifo"])
async def test_export_in_the_app_asks_and_never_writes_through_a_link_to_a_device_or_fifo(tmp_path, kind):
    folder = folder_with(tmp_path, ONE)
    link, target, words = link_to(tmp_path, "out.docx", kind)
    async with running(folder, (120, 40)) as (app, pilot):
        app.action_export_all()
        await pilot.pause()
        await answer_path(pilot, app, link)
        await refused_in_the_prompt(pilot, app, words)
    assert untouched(link, target, kind)


@pytest.mark.parametrize("kind", ["device", "fifo"])
async def test_the_review_s_summary_asks_and_never_writes_through_a_link_to_a_device_or_fifo(tmp_path, kind):
    folder = folder_with(tmp_path, ONE)
    link, target, words = link_to(tmp_path, "out.xlsx", kind)
    async with running(folder, (120, 40)) as (app, pilot):
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("x")
        await pilot.pause()
        await answer_path(pilot, app, link)
        await refused_in_the_prompt(pilot, app, words)
    assert untouched(link, target, kind)
