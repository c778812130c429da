"""``evaltui [PATH]``: open the app. Kept apart so that the CLI imports Textual only here."""

from __future__ import annotations

import sys
from pathlib import Path

from evaltui.visible import visible


def run_app(path: str) -> int:
    target = Path(path)
    if not target.exists():
        print(visible(f"{path}: 文件或文件夹不存在"), file=sys.stderr)
        return 2
    if target.is_file() and target.suffix != ".toml":
        print(visible(f"{path}: 不是 .toml 自评表文件（Word 文档请用 evaltui import）"), file=sys.stderr)
        return 2
    from evaltui.app import make_app

    make_app(target).run()
    return 0
