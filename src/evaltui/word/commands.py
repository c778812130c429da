"""``evaltui import`` and ``evaltui export``: documents in, documents out, one line per failure."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from evaltui import files, store
from evaltui.model import Evaluation
from evaltui.word.read import ImportError_, read_docx


def import_document(doc: Path, folder: Path, *, force: bool, taken: set[str]) -> list[Path]:
    """Read one .docx and save its forms in ``folder``; all of it or, on any problem, none."""
    evaluations = read_docx(doc)
    targets = [folder / name for name in files.planned_names([ev.name for ev in evaluations], taken)]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        shown = "、".join(t.name for t in existing[:3]) + ("……" if len(existing) > 3 else "")
        raise ImportError_(f"{shown} 已存在，未写入任何文件（用 --force 覆盖）")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise store.SaveError(f"{folder}: 无法创建文件夹（{exc.strerror or exc}）") from None
    for target, ev in zip(targets, evaluations):
        store.save(target, ev)
    taken.update(t.name for t in targets)
    return targets


def run_import(docs: list[str], output: str, *, force: bool, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        print(f"{folder}: 不是文件夹", file=err)
        return 2
    failures = 0
    taken: set[str] = set()
    for doc in docs:
        try:
            written = import_document(Path(doc), folder, force=force, taken=taken)
        except (ImportError_, store.SaveError) as exc:
            print(f"{doc}: {exc}", file=err)
            failures += 1
            continue
        for path in written:
            print(path, file=out)
    if failures == len(docs):
        return 1 if any(Path(d).exists() for d in docs) else 2
    return 1 if failures else 0


def run_export(paths: list[str], output: str, *, force: bool = False, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    from evaltui.word.write import write_docx

    target = Path(output)
    if target.suffix.lower() != ".docx":
        print(f"{target}: 输出文件应以 .docx 结尾", file=err)
        return 2
    if target.exists() and not force:
        print(f"{target}: 文件已存在，未写入（用 --force 覆盖）", file=err)
        return 2
    evaluations: list[Evaluation] = []
    failures = 0
    for path in files.find(paths):
        try:
            evaluations.append(store.load(path))
        except store.LoadError as exc:
            print(exc, file=err)
            failures += 1
    if not evaluations:
        if not failures:
            print(f"evaltui export: 在 {'、'.join(paths)} 中没有找到 .toml 自评表文件", file=err)
        return 2 if not failures else 1
    try:
        write_docx(evaluations, target)
    except store.SaveError as exc:
        print(exc, file=err)
        return 1
    print(f"{target}（{len(evaluations)} 份自评表）", file=out)
    return 1 if failures else 0
