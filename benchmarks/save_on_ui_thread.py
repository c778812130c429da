"""How long ctrl+s holds the app's thread, and how long until the file is saved.

In a Pilot run on a copy of examples/ (the first save makes the folder's version repository,
each save after records a version with git), the first evaluation's first score is changed and
ctrl+s pressed, ``--saves`` times. For each save:

- on the app's thread: the time spent in the app's save handlers (``action_save``, and, where
  the save is written in a worker, ``on_save_finished`` when the worker hands the result back);
  no key is read and nothing is drawn meanwhile;
- until saved: from ctrl+s to the session being clean again (the file written, its version
  recorded, the recovery file removed, the lock released).

ctrl+s is run as its binding runs it (``app.action_save()`` on the app's thread), so Pilot's
own waiting after a key is not in the figures.

Prints min, p50, p95 and max of each, first save apart (it makes the repository).

    python benchmarks/save_on_ui_thread.py [--saves 20] [--src DIR]

--src runs evaltui from another checkout's src/ (to compare before and after in one run:
``--src /work/main/src``).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def figures(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"{name:<22} min {ms[0]:7.1f}  p50 {statistics.median(ms):7.1f}  p95 {p95:7.1f}  max {ms[-1]:7.1f} ms"


async def run(folder: Path, saves: int) -> tuple[dict[str, list[float]], list[float]]:
    from evaltui.app import EvalApp, make_app

    on_thread: dict[str, list[float]] = {"action_save": [], "on_save_finished": []}  # per save
    spent = dict.fromkeys(on_thread, 0.0)

    def timed(name, method):
        def wrapper(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start
        return wrapper

    for name in on_thread:
        if hasattr(EvalApp, name):
            setattr(EvalApp, name, timed(name, getattr(EvalApp, name)))

    until_saved: list[float] = []
    app = make_app(folder, guard=False)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.loaded:
            await pilot.pause(0.02)
        await pilot.pause()
        await pilot.press("enter", *["right"] * 6)
        for k in range(saves):
            await pilot.press("enter", *str(10 - k % 2), "enter")  # 10, 9, 10 …: always a change
            await pilot.pause(0.4)  # its recovery file written, as in use
            await app.workers.wait_for_complete()
            session = app.session()
            assert session.dirty
            spent.update(dict.fromkeys(spent, 0.0))
            start = time.perf_counter()
            app.action_save()  # as the key would, on the app's thread (no Pilot key overhead in the figure)
            while session.dirty:
                await asyncio.sleep(0.001)
            until_saved.append(time.perf_counter() - start)
            await app.workers.wait_for_complete()
            await pilot.pause()
            for name, value in spent.items():
                on_thread[name].append(value)
    return on_thread, until_saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "examples"
        shutil.copytree(ROOT / "examples", folder)
        parts, until_saved = asyncio.run(run(folder, args.saves + 1))
    import evaltui

    on_thread = [sum(values) for values in zip(*parts.values())]
    print(f"evaltui from {Path(evaltui.__file__).parent}; {args.saves} saves after the first")
    print(f"first save (makes the repository): on the app's thread {on_thread[0] * 1000:.1f} ms, "
          f"until saved {until_saved[0] * 1000:.1f} ms")
    print(figures("on the app's thread", on_thread[1:]))
    for name, values in parts.items():
        if any(values):
            print(figures(f"  {name}", values[1:]))
    print(figures("until saved", until_saved[1:]))


if __name__ == "__main__":
    main()
