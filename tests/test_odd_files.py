"""Odd files in a shared folder: FIFOs and devices are refused without blocking; numbers
beyond range and nesting beyond sense are one error line for that file, and check goes on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from evaltui import store

GOOD = 'name = "好的"\nyear = 2024\n'


def run_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evaltui", "check", *args], capture_output=True, text=True, timeout=60)


def folder_with(tmp_path: Path, **odd: str) -> Path:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a-good.toml").write_text(GOOD, encoding="utf-8")
    (folder / "z-good.toml").write_text(GOOD.replace("好的", "也好"), encoding="utf-8")
    for name, text in odd.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_a_fifo_named_toml_does_not_hang_check(tmp_path):
    folder = folder_with(tmp_path)
    os.mkfifo(folder / "m-pipe.toml")
    done = run_check(str(folder))
    assert done.returncode == 1
    assert "好的" in done.stdout and "也好" in done.stdout
    (line,) = done.stderr.splitlines()
    assert "m-pipe.toml" in line and "命名管道" in line


def test_a_symlink_to_a_device_is_refused_not_read(tmp_path):
    folder = folder_with(tmp_path)
    (folder / "zero.toml").symlink_to("/dev/zero")
    with pytest.raises(store.LoadError, match="设备文件"):
        store.load(folder / "zero.toml")
    done = run_check(str(folder))
    assert done.returncode == 1 and "设备文件" in done.stderr


def test_a_fifo_named_directly_does_not_hang_load(tmp_path):
    os.mkfifo(tmp_path / "x.toml")
    with pytest.raises(store.LoadError, match="命名管道"):
        store.load(tmp_path / "x.toml")


@pytest.mark.parametrize("text, reason", [
    ('name = "x"\nyear = ' + "9" * 5001 + "\n", "数字位数过多"),
    ('name = "x"\n[[indicators]]\nweight = ' + "9" * 5001 + "\n", "数字位数过多"),
    ('name = "x"\nextra = ' + "[" * 100_000 + "]" * 100_000 + "\n", "嵌套过深"),
    ('name = "x"\nextra = ' + "{a=" * 100_000 + "1" + "}" * 100_000 + "\n", "嵌套过深"),
    ('name = "x"\n[[indicators]]\nweight = 1e999999\n', "数值过大"),
    ('name = "x"\n[budget.total]\nfull_year = 1e999999\n', "数值过大"),
], ids=["year-5001-digits", "weight-5001-digits", "arrays-100000-deep", "tables-100000-deep", "weight-1e999999",
        "amount-1e999999"])
def test_numbers_beyond_range_and_deep_nesting_are_one_line_and_check_goes_on(tmp_path, text, reason):
    folder = folder_with(tmp_path, **{"m-odd": text})
    with pytest.raises(store.LoadError, match=reason):
        store.load(folder / "m-odd.toml")
    done = run_check(str(folder))
    assert done.returncode == 1, done.stderr  # not 2, not 内部错误
    assert "好的" in done.stdout and "也好" in done.stdout
    (line,) = done.stderr.splitlines()
    assert line.startswith(str(folder / "m-odd.toml")) and reason in line
