"""Helpers for Pilot tests of the app."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from conftest import EXAMPLES

from evaltui.app import EvalApp, make_app

ONE = "专委会会议、调研、视察活动经费.toml"


def folder_with(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


def examples_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder)
    return folder


async def loaded(pilot, app: EvalApp) -> None:
    """Wait until the loading worker has read every file."""
    for _ in range(200):
        if app.loaded:
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def painted(pilot, app: EvalApp) -> None:
    """Wait until what keys left for after the paint is done (EvalApp.after_paint): Pilot's
    pause paints, but the jobs run when the screen is next idle, later on a busy machine."""
    for _ in range(200):
        await pilot.pause()
        if not app._due:
            return
    raise AssertionError(f"still due after the paint: {list(app._due)}")


async def import_file(pilot, app: EvalApp, path: Path) -> None:
    """Import as a person does: the import prompt answered with ``path``, then its worker done."""
    from textual.widgets import Input

    app.action_import()
    await pilot.pause()
    app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


def new_app(path: Path) -> EvalApp:
    return make_app(path, guard=False)


@asynccontextmanager
async def running(folder: Path, size: tuple[int, int] = (160, 50), *, guard: bool = False) -> AsyncIterator[tuple[EvalApp, object]]:
    """The app on ``folder`` under Pilot at ``size`` with every file read: ``async with running(f) as (app, pilot)``.

    ``guard=True`` runs it guarded, as the command does (an unexpected exception is one line)."""
    app = make_app(folder, guard=guard)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot, app)
        yield app, pilot
