"""Word documents that are not regular files (a FIFO, a link to /dev/zero, a folder named
x.docx) or are too large: import says so in one line without hanging or reading them, and
goes on with the other documents; the same in the app."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from app_helpers import loaded, new_app
from conftest import SEED_DOCX, made_output
from textual.widgets import Input

from evaltui.screens.dialogs import PromptScreen
from evaltui.word.safety import MAX_FILE_BYTES


def run_import(*args: str) -> subprocess.CompletedProcess:
    made_output(("import", *args))
    # the timeout turns a hang (a FIFO waited on) into a failure instead of a stuck suite
    return subprocess.run([sys.executable, "-m", "evaltui", "import", *args], capture_output=True, text=True, timeout=60)


def odd(tmp_path: Path, case: str) -> tuple[Path, str]:
    """A document of the kind ``case`` and the words its one line must hold."""
    if case.startswith("fifo"):
        path = tmp_path / f"x.{case.split('-')[1]}"
        os.mkfifo(path)
        return path, "命名管道（FIFO），不是普通文件"
    if case.startswith("zero"):
        path = tmp_path / f"x.{case.split('-')[1]}"
        path.symlink_to("/dev/zero")
        return path, "设备文件，不是普通文件"
    if case == "folder":
        path = tmp_path / "x.docx"
        path.mkdir()
        (path / "word").mkdir()  # looks like an unpacked document: still not read
        return path, "文件夹"
    path = tmp_path / "x.docx"  # sparse: as large as it says, without the disk
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1024 * 1024)
    return path, "文件过大"


CASES = ["fifo-docx", "fifo-doc", "fifo-docm", "zero-docx", "zero-doc", "zero-docm", "folder", "huge"]


@pytest.mark.parametrize("case", CASES)
def test_import_refuses_what_is_not_a_regular_document_in_one_line_and_goes_on(tmp_path, case):
    path, words = odd(tmp_path, case)
    out = tmp_path / "out"
    done = run_import(str(path), str(SEED_DOCX), "-o", str(out))
    assert done.returncode == 1
    (line,) = [line for line in done.stderr.splitlines() if line.strip()]
    assert str(path) in line and words in line, line
    assert "Traceback" not in done.stderr
    assert len(list(out.glob("*.toml"))) == 9, "the other document is imported"


def _release(path: Path) -> None:
    """Give a reader stuck on a FIFO its end of file (only after a failure)."""
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


@pytest.mark.parametrize("case", ["fifo-docx", "zero-docx", "folder"])
async def test_import_in_the_app_refuses_them_in_one_line_and_imports_the_next(tmp_path, case):
    path, words = odd(tmp_path, case)
    folder = tmp_path / "forms"
    folder.mkdir()
    app = new_app(folder)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot, app)
            for doc in (path, SEED_DOCX):
                app.action_import()
                await pilot.pause()
                app.screen.query_one(Input).value = str(doc)
                await pilot.press("enter")
                await asyncio.wait_for(app.workers.wait_for_complete(), 30)
                await pilot.pause()
                if doc == path and case == "folder":  # refused in the dialog, the path kept for correction
                    assert isinstance(app.screen, PromptScreen)
                    errors = [str(app.screen.query_one("#prompt-error").render())]
                    assert app.screen.query_one(Input).value == str(path)
                    assert "\n" not in errors[0] and words in errors[0] and str(path) in errors[0], errors
                    await pilot.press("escape")
                    await pilot.pause()
                elif doc == path:  # read before the toast's ten seconds can pass
                    errors = [n.message for n in app._notifications if n.severity == "error"]
                    assert len(errors) == 1 and words in errors[0] and str(path) in errors[0], errors
            assert len(list(folder.glob("*.toml"))) == 9
            assert not [n for n in app._notifications if n.severity == "error" and str(SEED_DOCX) in n.message]
    finally:
        if case.startswith("fifo"):
            _release(path)
