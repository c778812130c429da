"""``evaltui history FILE``: the saved versions of one evaluation, newest first."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from evaltui import versions


def block(version: versions.Version) -> list[str]:
    """One version as lines: when and who, then one indented line per change."""
    head = f"{version.when.strftime('%Y-%m-%d %H:%M:%S')}  {version.who}  {version.commit[:10]}"
    return [head, *(f"  {line}" for line in versions.describe(version))]


def run_history(file: str, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    path = Path(file)
    if path.is_dir():
        print(f"{path}: 是文件夹；history 需要一个 .toml 文件", file=err)
        return 2
    try:
        found = versions.history(path)
    except versions.VersionError as exc:
        print(str(exc), file=err)
        return 1
    if not found:
        if not path.exists():
            print(f"{path}: 文件不存在，也没有保存过的版本", file=err)
            return 2
        print(f"{path}: 还没有保存过的版本", file=err)
        return 0
    for i, version in enumerate(found):
        if i:
            print(file=out)
        print("\n".join(block(version)), file=out)
    return 0
