"""One form with many indicators: Word export time and memory as the form grows, and the
time and memory of opening (store.load) a form of 90,000 indicators.

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


def _child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 10000])
    parser.add_argument("--open", type=int, default=90_000, help="indicators of the file opened (store.load)")
    parser.add_argument("--export-once", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--open-once", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_once:
        _export_once(args.export_once)
        return
    if args.open_once:
        _open_once(args.open_once)
        return
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


if __name__ == "__main__":
    main()
