"""Key-to-screen latency in a real terminal: evaltui beside a bare Textual app, in the same run.

Each program runs in a tmux pane (tests/tools/tui.py). One key is sent, then the pane is read
with its colours until it differs from before the key: that is the key-to-screen time. The
bare app is a nine-row DataTable whose cursor move updates one label. Measured on evaltui:

- sidebar: down / up in the file list (first change of the screen, and until the summary line
  names the evaluation now under the cursor);
- grid: right / left in the indicator grid;
- commit: enter on an open cell editor until the summary line shows the recomputed total.

Rounds alternate between the programs so both see the same machine load. Prints p50 and p95.

    python benchmarks/key_to_screen.py [--runs 40] [--count 2000] [--cols 120 --rows 40]
"""

from __future__ import annotations

import argparse
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


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def until_changed(pane: Pane, before: str, timeout: float = 10.0, text: str | None = None) -> float | None:
    """Seconds until the styled screen differs from ``before`` (or holds ``text``)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        screen = pane.styled_screen()
        if (text is None and screen != before) or (text is not None and text in pane.screen()):
            return time.perf_counter() - start
    return None


def timed_key(pane: Pane, key: str, text: str | None = None) -> float | None:
    time.sleep(0.15)  # let the previous key's work settle
    before = pane.styled_screen()
    pane.burst(key)
    return until_changed(pane, before, text=text)


def start(cmd: list[str], expect: str, cols: int, rows: int) -> Pane:
    pane = Pane(" ".join(shlex.quote(c) for c in cmd), cols, rows, env={"TERM": "xterm-256color"})
    if pane.wait_for(expect, timeout=60) is None:
        screen = pane.screen()
        pane.close()
        raise SystemExit(f"never showed {expect!r}:\n{screen}")
    time.sleep(1.0)
    return pane


def names_of(folder: Path) -> list[str]:
    import tomllib

    names = []
    for path in sorted(folder.rglob("*.toml")):
        if path.name != "evaltui.toml":
            with path.open("rb") as handle:
                names.append(tomllib.load(handle).get("name", path.stem))
    return names


def measure_evaltui(folder: Path, runs: int, cols: int, rows: int, results: dict[str, list[float]]) -> None:
    pane = start([sys.executable, "-m", "evaltui", str(folder)], "总分", cols, rows)
    try:
        for i in range(runs):
            key = "down" if i % 2 == 0 else "up"
            t = timed_key(pane, key)
            if t is not None:
                results["sidebar key (first change)"].append(t)
        # the evaluation under the cursor drawn: move and wait for the summary line to change
        for i in range(runs):
            key = "down" if i % 2 == 0 else "up"
            time.sleep(0.15)
            before = pane.screen().splitlines()
            pane.burst(key)
            start_t = time.perf_counter()
            while time.perf_counter() - start_t < 10:
                lines = pane.screen().splitlines()
                if [ln for ln in lines if "总分" in ln] != [ln for ln in before if "总分" in ln]:
                    results["sidebar key (evaluation drawn)"].append(time.perf_counter() - start_t)
                    break
        pane.burst("enter")
        time.sleep(1.0)
        for i in range(runs):
            t = timed_key(pane, "right" if i % 2 == 0 else "left")
            if t is not None:
                results["grid move"].append(t)
        # commit: the cursor to 得分 (column 7), then type a score and time the enter that commits it
        pane.burst("home")
        for _ in range(6):
            pane.burst("right")
        for i in range(runs):
            time.sleep(0.15)
            pane.burst(str(i % 9 + 1))
            time.sleep(0.3)
            before = [ln for ln in pane.screen().splitlines() if "总分" in ln]
            pane.burst("enter")
            start_t = time.perf_counter()
            while time.perf_counter() - start_t < 10:
                now = [ln for ln in pane.screen().splitlines() if "总分" in ln]
                if now != before:
                    results["commit with total"].append(time.perf_counter() - start_t)
                    break
    finally:
        pane.close()


def measure_bare(runs: int, cols: int, rows: int, results: dict[str, list[float]], script: Path) -> None:
    pane = start([sys.executable, str(script)], "项目8", cols, rows)
    try:
        for i in range(runs):
            t = timed_key(pane, "down" if i % 2 == 0 else "up")
            if t is not None:
                results["bare DataTable key"].append(t)
    finally:
        pane.close()


def report(title: str, results: dict[str, list[float]]) -> None:
    print(f"\n{title}")
    print(f"  {'what':34} {'n':>4} {'p50 ms':>8} {'p95 ms':>8}")
    for what, values in results.items():
        if values:
            print(f"  {what:34} {len(values):4d} {statistics.median(values) * 1000:8.1f} {percentile(values, 0.95) * 1000:8.1f}")
        else:
            print(f"  {what:34}    0        -        -")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--cols", type=int, default=120)
    ap.add_argument("--rows", type=int, default=40)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_APP, encoding="utf-8")
        district = Path(tmp) / "district"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_folder.py"), str(a.count), str(district)],
                       check=True, capture_output=True)
        examples = Path(tmp) / "examples"  # a copy: the commits leave recovery files behind
        shutil.copytree(ROOT / "examples", examples)
        for label, folder in (("9 examples", examples), (f"{a.count} evaluations", district)):
            keys = ["sidebar key (first change)", "sidebar key (evaluation drawn)", "grid move", "commit with total"]
            results: dict[str, list[float]] = {"bare DataTable key": [], **{k: [] for k in keys}}
            measure_bare(a.runs, a.cols, a.rows, results, script)
            measure_evaltui(folder, a.runs, a.cols, a.rows, results)
            measure_bare(a.runs, a.cols, a.rows, results, script)
            report(f"{label} (tmux {a.cols}x{a.rows}, {a.runs} keys each)", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
