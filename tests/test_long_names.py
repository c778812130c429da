"""A Word document whose project name is 85 ordinary Chinese characters (255 bytes of UTF-8 on
its own), imported by ``evaltui import`` and in the app: nothing crashes, every file name —
the evaluation's, its temporary, lock and recovery files' — stays within 255 bytes, the full
name stays in the file, and an edit of it saves."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from app_helpers import import_file, running
from docx_builder import Doc, standard_rows

from evaltui import locks, recovery, store

NAME = "关于区人大常委会组织代表开展" + "专题调研视察" * 9 + "和闭会期间活动经费的项目支出绩效表"  # 85 characters
MAX_PID_DIGITS = 7  # pid_max is at most 4194304


def document(tmp_path: Path) -> Path:
    assert len(NAME) == 85 and len(NAME.encode()) == 255
    return Doc().para("项目支出绩效自评表（2024年度）").table(standard_rows(name=NAME)).save(tmp_path / "长名称.docx")


def worst_names(path: Path) -> list[str]:
    """The longest names saving, locking and recovering ``path`` can use (store: .NAME.HOST.PID.RANDOM.tmp)."""
    return [path.name, f".{path.name}.{'f' * 8}.{'9' * MAX_PID_DIGITS}.{'f' * 8}.tmp",
            locks.lock_path(path).name, recovery.path_for(path).name]


def within_255(names: list[str]) -> bool:
    return all(len(name.encode()) <= 255 for name in names)


def test_the_cli_imports_an_85_character_name(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = subprocess.run([sys.executable, "-m", "evaltui", "import", str(document(tmp_path)), "-o", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    assert len(written) == 1 and written[0].exists()
    assert within_255(worst_names(written[0])), [len(n.encode()) for n in worst_names(written[0])]
    assert store.load(written[0]).name == NAME, "the full name stays in the file"
    assert [p.name for p in out.iterdir() if p.name != ".git"] == [written[0].name], "no temporary file left behind"
    checked = subprocess.run([sys.executable, "-m", "evaltui", "check", str(out)], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in checked.stderr and checked.returncode in (0, 1), checked.stderr


async def test_the_app_imports_an_85_character_name_and_its_edit_saves(tmp_path, monkeypatch):
    doc = document(tmp_path)
    folder = tmp_path / "forms"
    folder.mkdir()
    temporaries: list[str] = []
    make_temporary = store._temporary

    def recorded(target):
        fd, tmp = make_temporary(target)
        temporaries.append(tmp.name)
        return fd, tmp

    monkeypatch.setattr(store, "_temporary", recorded)
    async with running(folder) as (app, pilot):
        await import_file(pilot, app, doc)
        assert app.is_running and len(app.sessions) == 1
        path = next(iter(app.sessions))
        app.sidebar.select_path(path)
        app._main.choose(path)
        await pilot.pause()
        assert app.session().current.name == NAME
        await pilot.press(*["right"] * 6, "enter", "4", "0", "enter")  # 得分 of the first indicator: 50 → 40
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        assert recovery.path_for(path).exists(), "the recovery file of the unsaved edit was written"
        assert locks.lock_path(path).exists(), "the edit lock was taken"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and not app.session().dirty
    assert within_255(worst_names(path))
    assert temporaries and within_255(temporaries), temporaries
    saved = store.load(path)
    assert saved.name == NAME and saved.indicators[0].score == Decimal(40)
    assert sorted(p.name for p in folder.iterdir() if p.name != ".git") == [path.name]
