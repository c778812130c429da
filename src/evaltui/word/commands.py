"""``evaltui import`` and ``evaltui export``: documents in, documents out, one line per failure."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from evaltui import files, settings, store
from evaltui.model import Evaluation
from evaltui.rules import Rules
from evaltui.visible import visible
from evaltui.word import convert
from evaltui.word.read import FormReport, ImportError_, read_document
from evaltui.reasons import os_reason


def read_forms(doc: Path):
    """The forms of one document (a .doc converted first); ImportError_ with the reason."""
    try:
        with convert.readable(doc) as docx_path:
            return read_document(docx_path)
    except convert.ConversionError as exc:
        raise ImportError_(str(exc)) from None


def import_document(doc: Path, folder: Path, *, force: bool, taken: set[str],
                    reports: list[FormReport] | None = None) -> list[Path]:
    """Read one document and save its forms in ``folder``; all of it or, on any problem, none."""
    reading = read_forms(doc)
    evaluations = reading.evaluations
    targets = [folder / name for name in files.planned_names([ev.name for ev in evaluations], taken)]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        shown = "、".join(t.name for t in existing[:3]) + ("……" if len(existing) > 3 else "")
        raise ImportError_(f"{shown} 已存在，未写入任何文件（用 --force 覆盖）")
    save_forms(list(zip(targets, evaluations)))
    taken.update(t.name for t in targets)
    if reports is not None:
        reports.extend(reading.reports)
    return targets


def natural_targets(evaluations: list[Evaluation], folder: Path) -> list[Path]:
    """Where each form of a document goes when nothing is in the way (as the CLI names them)."""
    return [folder / name for name in files.planned_names([ev.name for ev in evaluations])]


def save_forms(pairs: list[tuple[Path, Evaluation]]) -> list[Path]:
    """Save each evaluation to its file, atomically (a file replaced is never half written).

    A file made read-only by its owner stops the whole set before anything is written; should a
    save fail midway, the error names the files already written."""
    locked = [(t, reason) for t, _ in pairs if (reason := store.read_only_reason(t)) is not None]
    if locked:
        target, reason = locked[0]
        raise store.SaveError(f"{target.name}: {reason}，未写入任何文件")
    if pairs:
        folder = pairs[0][0].parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise store.SaveError(f"{folder}: 无法创建文件夹（{os_reason(exc)}）") from None
    written: list[Path] = []
    for target, ev in pairs:
        try:
            store.save(target, ev)
        except store.SaveError as exc:
            if not written:
                raise
            raise store.SaveError(f"{exc}；已写入：{'、'.join(p.name for p in written)}") from None
        written.append(target)
    return written


def report_lines(doc: str, report: FormReport) -> list[str]:
    """What the reader recognised beyond the national layout, what it inferred, what it could not place."""
    where = f"{doc}: 「{report.name or '（未命名）'}」"
    lines = [f"{where}版式：{'；'.join(report.layout)}"] if report.layout else []
    lines += [f"{where}推断：{text}" for text in report.inferred]
    lines += [f"{where}警告：{text}" for text in report.warnings]
    return lines


def run_import(docs: list[str], output: str, *, force: bool, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        print(visible(f"{folder}: 不是文件夹"), file=err)
        return 2
    if not folder.is_dir():  # as export and summary: an output folder is never made by a typo
        print(visible(f"{folder}: 文件夹不存在，未导入（请先创建它）"), file=err)
        return 2
    failures = 0
    taken: set[str] = set()
    for doc in docs:
        reports: list[FormReport] = []
        try:
            written = import_document(Path(doc), folder, force=force, taken=taken, reports=reports)
        except (ImportError_, store.SaveError) as exc:
            print(visible(f"{doc}: {exc}"), file=err)
            failures += 1
            continue
        for path in written:
            print(visible(path), file=out)
        for report in reports:
            for line in report_lines(doc, report):
                print(visible(line), file=err)
    if failures == len(docs):
        return 1 if any(Path(d).exists() for d in docs) else 2
    return 1 if failures else 0


def run_export(paths: list[str], output: str, *, force: bool = False, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    from evaltui.word.write import write_docx

    target = Path(output)
    refusal = store.output_refusal(target, (".docx",), force=force)
    if refusal:
        print(visible(refusal), file=err)
        return 2
    evaluations: list[Evaluation] = []
    rules: list[Rules] = []  # each evaluation's, from its folder's evaltui.toml
    failures = 0
    from evaltui.check import find_scored

    found, missing = find_scored(paths)
    for path in missing:
        print(visible(f"{path}: 文件或文件夹不存在"), file=err)
    for bad in settings.errors_of(found):  # one line each; nothing under it is exported with a guessed score
        print(visible(bad), file=err)
    for file, ev_rules in found:
        path = Path(file)
        if isinstance(ev_rules, settings.SettingsError):
            failures += 1
            continue
        try:
            evaluations.append(store.load(path))
        except store.LoadError as exc:
            print(visible(exc), file=err)
            failures += 1
            continue
        rules.append(ev_rules)
    if not evaluations:
        if not failures and not missing:
            print(visible(f"evaltui export: 在 {'、'.join(paths)} 中没有找到 .toml 自评表文件"), file=err)
        return 2 if not failures else 1
    try:
        write_docx(evaluations, target, rules)
    except store.SaveError as exc:
        print(visible(exc), file=err)
        return 1
    print(visible(f"{target}（{len(evaluations)} 份自评表）"), file=out)
    return 1 if failures or missing else 0
