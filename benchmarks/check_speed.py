"""`evaltui check` over N evaluations beside tomllib merely parsing the same files.

Both run as fresh processes, alternating, several rounds; the figures are medians, with each
process's peak memory (max RSS).

    python benchmarks/check_speed.py [--count 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

TOMLLIB_PARSE = """
import sys, tomllib, decimal
from pathlib import Path
for p in sorted(Path(sys.argv[1]).rglob("*.toml")):
    tomllib.loads(p.read_text(encoding="utf-8"), parse_float=decimal.Decimal)
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "district"
        subprocess.run([sys.executable, str(HERE / "make_folder.py"), str(args.count), str(folder)], check=True)
        size = sum(p.stat().st_size for p in folder.glob("*.toml"))
        one = ["env", "EVALTUI_WORKERS=1"]
        commands = {
            "tomllib parse only": [sys.executable, "-c", TOMLLIB_PARSE, str(folder)],
            "evaltui check": [sys.executable, "-m", "evaltui", "check", str(folder)],
            "evaltui check --json": [sys.executable, "-m", "evaltui", "check", "--json", str(folder)],
            "check, 1 process": [*one, sys.executable, "-m", "evaltui", "check", str(folder)],
            "check --json, 1 process": [*one, sys.executable, "-m", "evaltui", "check", "--json", str(folder)],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        peaks: dict[str, float] = {}
        for _ in range(args.rounds):
            for name, cmd in commands.items():
                seconds, _ = timed(cmd)
                times[name].append(seconds)
        for name, cmd in commands.items():  # peak RSS of each, measured alone (getrusage keeps the max)
            out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
            peaks[name] = int(out.stderr.strip().splitlines()[-1]) / 1024
        print(f"{args.count} files, {size / 1e6:.1f} MB, median of {args.rounds} rounds (fresh process each)")
        reference = statistics.median(times["tomllib parse only"])
        for name in commands:
            median = statistics.median(times[name])
            print(f"  {name:24s} {median:6.2f} s  ({median / reference:4.2f}× tomllib)  peak {peaks[name]:6.1f} MB")
        print("peak = max RSS of the largest process (the parent or one worker)")


if __name__ == "__main__":
    main()
