"""``evaltui check PATH... [--json] [--strict]``: read evaluations, apply the rules, report.

Large folders are checked by one worker process per core; each file's result comes back as
ready-made text, in file order, so the output is the same whichever way it ran.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, TypeVar

from evaltui import files, report, store
from evaltui.rules import ERROR, WARNING, assess

T = TypeVar("T")
PARALLEL_FROM = 200  # files; below this a worker pool costs more than it saves


@dataclass(frozen=True)
class FileResult:
    file: str
    error: str | None = None  # why the file could not be read
    row: tuple[str, ...] = ()  # the table row
    problem_lines: tuple[str, ...] = ()
    json: str = ""
    severities: frozenset[str] = frozenset()


def check_file(file: str, as_json: bool = False) -> FileResult:
    """Everything ``check`` prints about one file."""
    try:
        ev = store.load(file)
    except store.LoadError as exc:
        return FileResult(file, error=exc.message)
    result = assess(ev)
    severities = frozenset(p.severity for p in result.problems)
    if as_json:  # only what the JSON needs: this runs once per file of a large folder
        return FileResult(file, json=report.dumps(report.evaluation_json(file, ev, result)), severities=severities)
    return FileResult(
        file,
        row=report.table_row(ev, result),
        problem_lines=tuple(report.problem_lines(file, ev, result)),
        severities=severities,
    )


def _check_json(file: str) -> FileResult:
    return check_file(file, True)


def _workers() -> int:
    """Worker processes: one per core this process may use, or EVALTUI_WORKERS."""
    wanted = os.environ.get("EVALTUI_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_files(worker: Callable[[str], T], files: list[str]) -> list[T]:
    """``worker`` applied to each file, in file order; large folders by one process per core."""
    workers = _workers()
    if len(files) < PARALLEL_FROM or workers < 2:
        return [worker(f) for f in files]
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(files) // (workers * 8))
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(worker, files, chunksize=chunk))


def check_files(files: list[str], as_json: bool) -> list[FileResult]:
    return map_files(_check_json if as_json else check_file, files)


def find_inputs(paths: list[str]) -> tuple[list[str], list[str]]:
    """The evaluation files named or under the named folders, and the paths that do not exist."""
    missing = [p for p in paths if not Path(p).exists()]
    return [str(f) for f in files.find(p for p in paths if p not in missing)], missing


def run(paths: list[str], *, as_json: bool, strict: bool, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Check every evaluation under ``paths``; return the exit code of docs/interfaces.md.

    0: all readable, no error-severity problem (with ``strict``, no warning either);
    1: an error-severity problem or an unreadable file; 2: nothing to check.
    """
    files_, missing = find_inputs(paths)
    for path in missing:
        print(f"{path}: 文件或文件夹不存在", file=err)
    if not files_:
        if not missing:
            print(f"evaltui check: 在 {'、'.join(paths)} 中没有找到 .toml 自评表文件", file=err)
        return 2

    results = check_files(files_, as_json)
    checked = [r for r in results if r.error is None]
    errors = [{"file": p, "message": "文件或文件夹不存在"} for p in missing]
    errors += [{"file": r.file, "message": r.error} for r in results if r.error is not None]

    if as_json:
        out.write(report.report_json([r.json for r in checked], errors) + "\n")
    else:
        if checked:
            out.write(report.table([r.row for r in checked]) + "\n")
            lines = [line for r in checked for line in r.problem_lines]
            if lines:
                out.write("\n" + "\n".join(lines) + "\n")
        summary = f"\n共 {len(checked)} 份自评表"
        if len(errors) > len(missing):
            summary += f"，{len(errors) - len(missing)} 个文件无法读取"
        out.write(summary + "\n")
    for item in errors[len(missing):]:
        print(f"{item['file']}: {item['message']}", file=err)

    failing = {ERROR, WARNING} if strict else {ERROR}
    if errors or any(r.severities & failing for r in checked):
        return 1
    return 0
