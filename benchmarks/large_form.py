"""One form with many indicators: Word export time and memory as the form grows, and the
time and memory of opening a form of 90,000 indicators through store.load and in the app
(where a form above folder.MAX_APP_INDICATORS is listed with the reason, not opened), beside
a form at the app's limit.

Each size runs in a fresh process, so its peak memory (max RSS) is its own. The growth
ratio is the time of a size over the time of half that size (2.0 is linear).

    python benchmarks/large_form.py [--sizes 500 1000 2000 10000]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from evaltui import files, store  # noqa: E402
from evaltui.model import Evaluation  # noqa: E402

BASE = sorted((ROOT / "examples").glob("*.toml"))[0]


def large_form(count: int) -> Evaluation:
    """The first example with its indicators repeated to `count`, in runs of equal levels."""
    base = store.load(BASE)
    indicators = [
        base.indicators[i % len(base.indicators)].model_copy(update={
            "name": f"{base.indicators[i % len(base.indicators)].name}（{i + 1}）",
            "level1": f"一级指标{i // 200 + 1}",
            "level2": f"二级指标{i // 20 + 1}",
        })
        for i in range(count)
    ]
    return base.model_copy(update={"indicators": indicators})


def _export_once(count: int) -> None:
    from evaltui.word.write import write_docx

    ev = large_form(count)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_docx([ev], Path(folder) / "out.docx")
        seconds = time.perf_counter() - start
        size = (Path(folder) / "out.docx").stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "bytes": size}))


def _open_once(count: int) -> None:
    """Write a form of ``count`` short indicators as TOML (about 2.9 MB for 90,000, as in the
    issue), then time store.load of it (read, TOML parse, model)."""
    text = 'name = "大表"\nyear = 2025\n' + "".join(f'[[indicators]]\nname = "指标{i}"\n' for i in range(count))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.toml"
        path.write_text(text, encoding="utf-8")
        size = path.stat().st_size
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        error = ""
        try:
            store.load(path)
        except store.LoadError as exc:
            error = exc.message
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "before_mb": before, "bytes": size, "error": error}))


def _app_once(count: int) -> None:
    """Open a folder holding one form of ``count`` short indicators (as :func:`_open_once`)
    in the app (Pilot, 160x50): seconds until the form is on screen or listed as not opened,
    then one edit of a score until it is drawn."""
    import asyncio

    from evaltui.app import make_app

    text = 'name = "大表"\nyear = 2025\n' + "".join(f'[[indicators]]\nname = "指标{i}"\n' for i in range(count))

    async def run(folder: Path) -> dict:
        (folder / "big.toml").write_text(text, encoding="utf-8")
        app = make_app(folder, guard=False)
        start = time.perf_counter()
        async with app.run_test(size=(160, 50)) as pilot:
            while not app.loaded:
                await pilot.pause(0.01)
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = time.perf_counter() - start
            error = next(iter(app.folder.load_errors.values()), "")
            edit = None
            if not error:
                await pilot.press("enter")
                await pilot.pause()
                begin = time.perf_counter()
                await pilot.press(*["right"] * 6, "enter", "2", "enter")
                await pilot.pause()
                edit = time.perf_counter() - begin
        return {"seconds": shown, "edit": edit, "error": error}

    with tempfile.TemporaryDirectory() as folder:
        result = asyncio.run(run(Path(folder)))
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["bytes"] = len(text.encode("utf-8"))
    print(json.dumps(result))


def _child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 10000])
    parser.add_argument("--open", type=int, default=90_000, help="indicators of the file opened (store.load)")
    parser.add_argument("--export-once", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--open-once", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--app-once", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-export", action="store_true", help="only the opening figures")
    args = parser.parse_args()
    if args.export_once:
        _export_once(args.export_once)
        return
    if args.open_once:
        _open_once(args.open_once)
        return
    if args.app_once:
        _app_once(args.app_once)
        return
    if args.no_export:
        args.sizes = []
    if args.sizes:
        print("Word export of one form, fresh process per size (time of write_docx; peak RSS of the process)")
        print(f"  {'indicators':>10} {'seconds':>8} {'peak MB':>8} {'docx KB':>8}  growth per doubling (time ratio; 2.0 = linear)")
    previous: tuple[int, float] | None = None
    for count in args.sizes:
        result = _child(["--export-once", str(count)])
        growth = ""
        if previous:
            doublings = math.log2(count / previous[0])
            growth = f"{(result['seconds'] / previous[1]) ** (1 / doublings):.2f}"
        print(f"  {count:>10} {result['seconds']:>8.2f} {result['peak_mb']:>8.0f} {result['bytes'] / 1024:>8.0f}  {growth}")
        previous = (count, result["seconds"])
    if args.open:
        result = _child(["--open-once", str(args.open)])
        outcome = f"refused: {result['error']}" if result["error"] else "read"
        print(f"open (store.load) of one form of {args.open} indicators, {result['bytes'] / 1e6:.1f} MB of TOML: "
              f"{result['seconds']:.2f} s, peak {result['peak_mb']:.0f} MB (before {result['before_mb']:.0f} MB), {outcome}")
        from evaltui.folder import MAX_APP_INDICATORS

        print("opening in the app (Pilot 160x50, fresh process each; until shown or listed as not opened; one score edit)")
        for count in (20, MAX_APP_INDICATORS, args.open):  # 20: the app's own start, for scale
            result = _child(["--app-once", str(count)])
            outcome = f"listed, not opened: {result['error']}" if result["error"] else f"opened; edit {result['edit']:.2f} s"
            print(f"  {count:>6} indicators, {result['bytes'] / 1e6:.1f} MB: {result['seconds']:.2f} s, "
                  f"peak {result['peak_mb']:.0f} MB, {outcome}")


if __name__ == "__main__":
    main()
