"""Key-to-screen latency in a real terminal: evaltui beside a bare Textual app, key for key.

Each program runs in its own tmux pane (tests/tools/tui.py), both at once. After a pane's
screen has been still for a while, one key is sent and the pane is read with its colours, as
fast as tmux answers, until it has been still again. For each key three times are taken:

- first change: the screen first differs from before the key (the cursor has moved);
- shown: the summary line (the first line with 总分) holds what the key is for — another
  evaluation's name after a sidebar key, the recomputed total after a commit;
- settled: the screen first looks as it does once everything has followed.

The keys alternate: one key to the bare app, then one to evaltui, and so on. Both see the
machine as it is in that second (this machine is shared: its load changes from one minute to
the next, and a bare app measured minutes apart compares unlike with like). The lines
"... first / bare" divide evaltui's p95 by the p95 of the bare app's keys sent alongside
(the goal: at most 1.5).

Measured on evaltui, once the folder is read (the sidebar title no longer says 读取中):

- sidebar: down / up in the file list;
- grid: right / left in the indicator grid;
- commit: a digit typed on 得分 (not timed), then the enter that commits it.

The bare app is a nine-row DataTable whose cursor move updates one label (down / up). Prints
p50 and p95 for the nine examples and for N evaluations (benchmarks/make_folder.py).

    python benchmarks/key_to_screen.py [--runs 30] [--count 2000] [--cols 120 --rows 40] [--src DIR]

--src runs evaltui from another checkout's src/ (to compare before and after in one minute).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "tools"))
from tui import Pane  # noqa: E402

BARE_APP = '''
from textual.app import App
from textual.widgets import DataTable, Label

class Bare(App):
    def compose(self):
        yield Label("row 0", id="where")
        yield DataTable(id="table")

    def on_mount(self):
        table = self.query_one(DataTable)
        table.cursor_type = "row"
        table.add_columns("名称", "得分")
        for i in range(9):
            table.add_row(f"项目{i}", str(i))
        table.focus()

    def on_data_table_row_highlighted(self, event):
        self.query_one("#where", Label).update(f"row {event.cursor_row}")

Bare().run()
'''

STILL = 0.4  # the screen is taken as settled once it has not changed for this long
KINDS = ("sidebar", "grid", "commit")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary_line(styled: str) -> str:
    """The first line holding 总分 (the summary line), without its colours."""
    import re

    for line in styled.splitlines():
        plain = re.sub(r"\x1b\[[0-9;:]*[A-Za-z]", "", line)
        if "总分" in plain:
            return plain
    return ""


def wait_still(pane: Pane, still: float = STILL, timeout: float = 20.0) -> str:
    """Wait until the screen has not changed for ``still`` seconds; return it."""
    screen, since, start = pane.styled_screen(), time.perf_counter(), time.perf_counter()
    while time.perf_counter() - since < still and time.perf_counter() - start < timeout:
        time.sleep(0.02)
        now = pane.styled_screen()
        if now != screen:
            screen, since = now, time.perf_counter()
    return screen


def timed_key(pane: Pane, key: str, shown: bool = True, timeout: float = 10.0) -> tuple[float, float | None, float] | None:
    """(first change, summary line changed, settled) in seconds after ``key``; None if nothing changed."""
    before = wait_still(pane)
    before_summary = summary_line(before)
    pane.burst(key)
    start = time.perf_counter()
    history: list[tuple[float, str]] = []
    last = before
    while True:
        screen = pane.styled_screen()
        t = time.perf_counter() - start
        if screen != last:
            history.append((t, screen))
            last = screen
        if (history and t - history[-1][0] > STILL) or t > timeout:
            break
    if not history:
        return None
    final = history[-1][1]
    settled = next(t for t, s in history if s == final)
    summary = None
    if shown:
        summary = next((t for t, s in history if summary_line(s) != before_summary), None)
    return history[0][0], summary, settled


def start(cmd: list[str], expect: str, cols: int, rows: int, env: dict[str, str] | None = None) -> Pane:
    pane = Pane(" ".join(shlex.quote(c) for c in cmd), cols, rows, env={"TERM": "xterm-256color", **(env or {})})
    if pane.wait_for(expect, timeout=60) is None:
        screen = pane.screen()
        pane.close()
        raise SystemExit(f"never showed {expect!r}:\n{screen}")
    end = time.perf_counter() + 300
    while "读取中" in pane.screen() and time.perf_counter() < end:  # the whole folder read
        time.sleep(0.2)
    wait_still(pane, 1.0)
    return pane


Results = dict[str, list[float]]


def add(results: Results, kind: str, measured: tuple[float, float | None, float] | None) -> None:
    if measured is None:
        results.setdefault(f"{kind} nothing changed", []).append(0.0)
        return
    first, shown, settled = measured
    results.setdefault(f"{kind} first", []).append(first)
    if shown is not None:
        results.setdefault(f"{kind} shown", []).append(shown)
    results.setdefault(f"{kind} settled", []).append(settled)


def bare_key(pane: Pane, i: int, results: Results, kind: str) -> None:
    """One key to the bare app, counted beside evaltui's ``kind``."""
    measured = timed_key(pane, "down" if i % 2 == 0 else "up", shown=False)
    if measured is not None:
        results.setdefault(f"bare beside {kind}", []).append(measured[0])
        results.setdefault("bare key", []).append(measured[0])


def measure(folder: Path, runs: int, cols: int, rows: int, results: Results, src: Path | None, script: Path,
            kinds: tuple[str, ...] = KINDS) -> None:
    env = {"PYTHONPATH": str(src)} if src else None
    bare = start([sys.executable, str(script)], "项目8", cols, rows)
    app = None
    try:
        app = start([sys.executable, "-m", "evaltui", str(folder)], "总分", cols, rows, env)
        for i in range(runs if "sidebar" in kinds else 0):
            bare_key(bare, i, results, "sidebar")
            add(results, "sidebar", timed_key(app, "down" if i % 2 == 0 else "up"))
        app.burst("enter")
        for i in range(runs if "grid" in kinds else 0):
            bare_key(bare, i, results, "grid")
            add(results, "grid", timed_key(app, "right" if i % 2 == 0 else "left", shown=False))
        app.burst("home", *["right"] * 6)  # 得分
        for i in range(runs if "commit" in kinds else 0):
            wait_still(app, 0.2)
            app.burst(str(i % 9 + 1))  # opens the editor with the digit typed (not timed)
            wait_still(app, 0.2)  # the bare app's key comes once evaltui is quiet again
            bare_key(bare, i, results, "commit")
            add(results, "commit", timed_key(app, "enter"))
    finally:
        bare.close()
        if app is not None:
            app.close()


def cell(values: list[float] | None) -> str:
    if not values:
        return f"{'-':>15}"
    return f"{statistics.median(values) * 1000:7.1f}/{percentile(values, 0.95) * 1000:<7.1f}"


def report(columns: list[tuple[str, Results]], title: str) -> None:
    print(f"\n{title}")
    print("  p50/p95 ms" + "".join(f"{label:>17}" for label, _ in columns))
    rows = ["bare key"] + [f"bare beside {k}" for k in KINDS]
    rows += [f"{k} {w}" for k in KINDS for w in ("first", "shown", "settled")]
    rows += sorted({r for _, res in columns for r in res if r.endswith("nothing changed")})
    for row in rows:
        if any(row in res for _, res in columns):
            print(f"  {row:18}" + "".join(f"  {cell(res.get(row))}" for _, res in columns))
    for kind in KINDS:  # the goal: each first change within 1.5x the bare app's, at the 95th percentile
        row, bare = f"{kind} first", f"bare beside {kind}"
        if any(row in res and bare in res for _, res in columns):
            print(f"  {row + ' / bare':18}" + "".join(
                f"  {percentile(res[row], 0.95) / percentile(res[bare], 0.95):>13.2f}x " if row in res and res.get(bare) else f"{'-':>17}"
                for _, res in columns))
    counts = ", ".join(f"{label}: {len(res.get('sidebar first', []))} keys each" for label, res in columns)
    print(f"  ({counts}; load average {os.getloadavg()[0]:.2f})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--cols", type=int, default=120)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--src", type=Path, help="run evaltui from this src/ directory")
    ap.add_argument("--only", choices=KINDS, action="append", help="measure only these keys (repeatable)")
    ap.add_argument("--folders", choices=("examples", "district"), action="append",
                    help="measure only on these folders (repeatable; default both)")
    a = ap.parse_args()
    src = a.src.resolve() if a.src else None
    print(f"evaltui from {src or 'the installed package'}; load average at start {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_APP, encoding="utf-8")
        district = Path(tmp) / "district"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_folder.py"), str(a.count), str(district)],
                       check=True, capture_output=True)
        examples = Path(tmp) / "examples"  # a copy: the commits leave recovery files behind
        shutil.copytree(ROOT / "examples", examples)
        columns: list[tuple[str, Results]] = []
        folders = {"examples": ("9 examples", examples), "district": (f"{a.count} evaluations", district)}
        for label, folder in (folders[name] for name in (a.folders or folders)):
            results: Results = {}
            measure(folder, a.runs, a.cols, a.rows, results, src, script, tuple(a.only or KINDS))
            columns.append((label, results))
        report(columns, f"key to screen, tmux {a.cols}x{a.rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
