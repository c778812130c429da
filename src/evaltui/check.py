"""``evaltui check PATH... [--json] [--strict]``: read evaluations, apply the rules, report.

Large folders are checked by one worker process per core; each file's result comes back as
ready-made text, in file order, so the output is the same whichever way it ran. Each file is
scored by the rules of its folder's ``evaltui.toml`` (evaltui.settings), found before the
workers start; files under a settings file that cannot be used are reported, not scored.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, TypeVar

from evaltui import report, settings, store
from evaltui.model import Evaluation
from evaltui.rules import ERROR, NATIONAL, WARNING, Rules, assess
from evaltui.visible import visible

T = TypeVar("T")
Item = TypeVar("Item")
PARALLEL_FROM = 200  # files; below this a worker pool costs more than it saves


@dataclass(frozen=True)
class FileResult:
    file: str
    error: str | None = None  # why the file could not be read
    row: tuple[str, ...] = ()  # the table row
    problem_lines: tuple[str, ...] = ()
    json: str = ""
    severities: frozenset[str] = frozenset()


def check_file(file: str, as_json: bool = False, rules: Rules = NATIONAL) -> FileResult:
    """Everything ``check`` prints about one file, scored by ``rules``."""
    try:
        ev = store.load(file)
    except store.LoadError as exc:
        return FileResult(file, error=exc.message)
    result = assess(ev, rules)
    severities = frozenset(p.severity for p in result.problems)
    if as_json:  # only what the JSON needs: this runs once per file of a large folder
        return FileResult(file, json=report.dumps(report.evaluation_json(file, ev, result)), severities=severities)
    return FileResult(
        file,
        row=report.table_row(ev, result),
        problem_lines=tuple(report.problem_lines(file, ev, result)) + _newer_note(file, ev),
        severities=severities,
    )


def _newer_note(file: str, ev: Evaluation) -> tuple[str, ...]:
    """A file of a newer evaltui: what this version does not know of it was not checked."""
    if not ev.read_only:
        return ()
    return (f"{visible(file)}: 注意 此文件由更新版本的 evaltui 写成（schema_version {ev.schema_version}），"
            "只读；本版本不认识的内容未检查",)


def _check_json(item: tuple[str, Rules]) -> FileResult:
    return check_file(item[0], True, item[1])


def _check_text(item: tuple[str, Rules]) -> FileResult:
    return check_file(item[0], False, item[1])


def _workers() -> int:
    """Worker processes: one per core this process may use, or EVALTUI_WORKERS."""
    wanted = os.environ.get("EVALTUI_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_files(worker: Callable[[Item], T], files: list[Item]) -> list[T]:
    """``worker`` applied to each file (or (file, rules) pair), in order; large folders by one process per core."""
    workers = _workers()
    if len(files) < PARALLEL_FROM or workers < 2:
        return [worker(f) for f in files]
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(files) // (workers * 8))
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(worker, files, chunksize=chunk))


def check_files(files: list[str], as_json: bool, rules: list[Rules] | None = None) -> list[FileResult]:
    """Check files in order, each by its rules (default: the national ones)."""
    rules = rules if rules is not None else [NATIONAL] * len(files)
    return map_files(_check_json if as_json else _check_text, list(zip(files, rules)))


def find_inputs(paths: list[str]) -> tuple[list[str], list[str]]:
    """The evaluation files named or under the named folders, and the paths that do not exist."""
    found, missing = find_scored(paths)
    return [file for file, _ in found], missing


def find_scored(paths: list[str]) -> tuple[list[tuple[str, Rules | settings.SettingsError]], list[str]]:
    """The evaluation files named or under the named folders, each with the rules that score it
    (or the settings error that keeps it from being scored: ``settings.errors_of`` gives each such
    error once), and the paths that do not exist."""
    missing = [p for p in paths if not Path(p).exists()]
    return [(str(f), r) for f, r in settings.find(p for p in paths if p not in missing)], missing


def terminal_width(out: TextIO) -> int | None:
    """The columns the table may take on a terminal (``COLUMNS`` first, as Python reads it);
    None when the output goes to a file or a pipe: nothing is cut there."""
    try:
        if not out.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size().columns


def run(paths: list[str], *, as_json: bool, strict: bool, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Check every evaluation under ``paths``; return the exit code of docs/interfaces.md.

    0: all readable, no error-severity problem (with ``strict``, no warning either);
    1: an error-severity problem or an unreadable file; 2: nothing to check.
    """
    found, missing = find_scored(paths)
    for path in missing:
        print(f"{visible(path)}: 文件或文件夹不存在", file=err)
    if not found:
        if not missing:
            print(visible(f"evaltui check: 在 {'、'.join(paths)} 中没有找到 .toml 自评表文件"), file=err)
        return 2

    scored = [(f, r) for f, r in found if isinstance(r, Rules)]
    results = iter(check_files([f for f, _ in scored], as_json, [r for _, r in scored]))
    bad_settings = settings.errors_of(found)
    checked: list[FileResult] = []
    errors = [{"file": p, "message": "文件或文件夹不存在"} for p in missing]
    errors += [{"file": str(e.path), "message": e.message} for e in bad_settings]
    causes = [str(e) for e in bad_settings]  # stderr: one line per cause, a bad settings file once
    unreadable = unscored = 0
    for file, rules in found:  # in file order
        if isinstance(rules, settings.SettingsError):
            errors.append({"file": file, "message": rules.unscored()})
            unscored += 1
            continue
        result = next(results)
        if result.error is None:
            checked.append(result)
        else:
            errors.append({"file": result.file, "message": result.error})
            causes.append(f"{result.file}: {result.error}")
            unreadable += 1

    if as_json:
        out.write(report.report_json([r.json for r in checked], errors) + "\n")
    else:
        if checked:
            rows = [r.row for r in checked]
            shown = report.told_apart_rows(rows, [r.file for r in checked])
            told = frozenset(i for i, (row, label) in enumerate(zip(rows, shown)) if row[0] != label[0])
            out.write(report.table(shown, terminal_width(out), told) + "\n")
            lines = [line for r in checked for line in r.problem_lines]
            if lines:
                out.write("\n" + "\n".join(lines) + "\n")
        summary = f"\n共 {len(checked)} 份自评表"
        if unreadable:
            summary += f"，{unreadable} 个文件无法读取"
        if unscored:
            summary += f"，{unscored} 个文件因评分规则设置有误未评分"
        out.write(summary + "\n")
    for line in causes:
        print(visible(line), file=err)

    failing = {ERROR, WARNING} if strict else {ERROR}
    if errors or any(r.severities & failing for r in checked):
        return 1
    return 0
