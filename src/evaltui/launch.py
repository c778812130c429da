"""``evaltui [PATH]``: open the app. Kept apart so that the CLI imports Textual only here."""

from __future__ import annotations

import os
import sys
import termios
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from evaltui.visible import visible

# What Textual's Linux driver turns off when it starts (LinuxDriver._patch_lflag / _patch_iflag)
LFLAG_OFF = termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG
IFLAG_OFF = termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR


def run_app(path: str) -> int:
    target = Path(path)
    if not target.exists():
        print(visible(f"{path}: 文件或文件夹不存在"), file=sys.stderr)
        return 2
    if target.is_file() and target.suffix != ".toml":
        print(visible(f"{path}: 不是 .toml 自评表文件（Word 文档请用 evaltui import）"), file=sys.stderr)
        return 2
    # Workers (reading and watching the folder, saving) run in threads. While one holds the
    # interpreter lock, a key waits until the thread is made to hand it over: every 5 ms by
    # default, several times per key while the watcher checks a district's 2,000 files.
    sys.setswitchinterval(0.001)
    with keys_kept_while_starting():
        from evaltui.app import make_app

        make_app(target).run()
    return 0


@contextmanager
def keys_kept_while_starting() -> Iterator[None]:
    """Keys typed while the app starts reach it as they were typed.

    Until Textual sets the terminal's mode (after its import, about half a second), the terminal
    is in cooked mode: it echoes keys, turns enter into a newline, swallows ctrl+s (XOFF, which
    also stops the output) and makes ctrl+c and ctrl+z signals. So "down enter 5 enter ctrl+s"
    typed at once after the command edited the cell but never saved it. From here, before the
    heavy imports, the terminal is put in the mode Textual will set; Textual keeps it while the
    app runs and puts back what it found (this mode) on exit, so the mode the command started
    with is put back here afterwards. Input already typed is kept (TCSANOW, no flush).
    """
    fd = sys.stdin.fileno() if sys.stdin is not None else -1
    try:
        original = termios.tcgetattr(fd) if fd >= 0 and os.isatty(fd) else None
    except (termios.error, OSError, ValueError):
        original = None
    if original is None:
        yield
        return
    starting = [list(v) if isinstance(v, list) else v for v in original]
    starting[3] &= ~LFLAG_OFF  # lflag
    starting[0] &= ~IFLAG_OFF  # iflag
    starting[6][termios.VMIN] = 1
    starting[6][termios.VTIME] = 0
    try:
        termios.tcsetattr(fd, termios.TCSANOW, starting)
    except termios.error:
        pass
    try:
        yield
    finally:
        try:
            termios.tcsetattr(fd, termios.TCSADRAIN, original)
        except termios.error:
            pass
