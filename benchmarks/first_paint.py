"""Time to first paint of the app, beside VisiData, and on a folder of 2,000 evaluations.

Runs each program in a real tmux pane (../shared/tools/tui.py) and waits for text on screen,
alternating between the programs so both see the same machine load. Figures are medians.

    python benchmarks/first_paint.py [--runs 7] [--count 2000] [--vd PATH-TO-vd]

VisiData is not a dependency of evaltui: install it anywhere (``pip install visidata`` in a
scratch venv) and pass its ``vd`` with --vd, or have it on PATH.
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
sys.path.insert(0, str(ROOT.parent / "shared" / "tools"))
from tui import Pane  # noqa: E402

EVALTUI = [sys.executable, "-m", "evaltui"]


def first_paint(cmd: list[str], expect: str, cols: int, rows: int) -> float | None:
    pane = Pane(" ".join(shlex.quote(c) for c in cmd), cols, rows, env={"TERM": "xterm-256color"})
    try:
        return pane.wait_for(expect, timeout=30)
    finally:
        pane.close()


def until_gone(cmd: list[str], first: str, gone: str, cols: int, rows: int) -> tuple[float | None, float | None]:
    """Seconds until ``first`` shows, and until ``gone`` has left the screen after that."""
    pane = Pane(" ".join(shlex.quote(c) for c in cmd), cols, rows, env={"TERM": "xterm-256color"})
    try:
        shown = pane.wait_for(first, timeout=30)
        if shown is None:
            return None, None
        end = time.perf_counter() + 60
        while time.perf_counter() < end:
            if gone not in pane.screen():
                return shown, time.perf_counter() - pane.started
            time.sleep(0.01)
        return shown, None
    finally:
        pane.close()


def median(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    return f"{statistics.median(got):.3f} s" if got else "never"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--vd", default=shutil.which("vd"))
    parser.add_argument("--cols", type=int, default=120)
    parser.add_argument("--rows", type=int, default=40)
    args = parser.parse_args()
    size = (args.cols, args.rows)
    # One idle session keeps the tmux server up between panes (a server that is exiting
    # refuses the next new-session).
    subprocess.run(["tmux", "new-session", "-d", "-s", "first-paint-keeper", "sleep 3600"], check=False)
    try:
        run_all(args, size)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", "first-paint-keeper"], check=False)


def run_all(args, size) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "district"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_folder.py"), str(args.count), str(big)],
                       check=True, stdout=subprocess.DEVNULL)
        first_big = sorted(big.glob("*.toml"))[0].stem[:6]  # the sidebar may cut a long name
        results: dict[str, list[float | None]] = {"evaltui examples": [], f"evaltui {args.count} files": [],
                                                   f"  all {args.count} totals shown": []}
        if args.vd:
            results["vd examples/调研经费.toml"] = []
        for _ in range(args.runs):
            results["evaltui examples"].append(first_paint([*EVALTUI, str(ROOT / "examples")], "调研经费", *size))
            if args.vd:
                results["vd examples/调研经费.toml"].append(
                    first_paint([args.vd, str(ROOT / "examples" / "调研经费.toml")], "调研经费", *size))
            shown, done = until_gone([*EVALTUI, str(big)], first_big, "读取中", *size)
            results[f"evaltui {args.count} files"].append(shown)
            results[f"  all {args.count} totals shown"].append(done)
    print(f"first paint in tmux at {args.cols}x{args.rows}, median of {args.runs} alternating runs")
    for name, values in results.items():
        print(f"  {name:32s} {median(values)}")
    if not args.vd:
        print("  (VisiData not found: pass --vd to compare)")


if __name__ == "__main__":
    main()
