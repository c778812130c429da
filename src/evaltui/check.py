"""``evaltui check PATH... [--json] [--strict]``: read evaluations, apply the rules, report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from evaltui import report, store
from evaltui.rules import ERROR, WARNING, assess


def run(paths: list[str], *, as_json: bool, strict: bool, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Check every evaluation under ``paths``; return the exit code of docs/interfaces.md.

    0: all readable, no error-severity problem (with ``strict``, no warning either);
    1: an error-severity problem or an unreadable file; 2: nothing to check.
    """
    missing = [p for p in paths if not Path(p).exists()]
    files = list(store.find(p for p in paths if p not in missing))
    for path in missing:
        print(f"{path}: 文件或文件夹不存在", file=err)
    if not files:
        if not missing:
            print(f"evaltui check: 在 {'、'.join(paths)} 中没有找到 .toml 自评表文件", file=err)
        return 2

    checked: list[tuple[str, object, object]] = []
    errors: list[dict] = [{"file": p, "message": "文件或文件夹不存在"} for p in missing]
    for path in files:
        try:
            ev = store.load(path)
        except store.LoadError as exc:
            errors.append({"file": str(path), "message": exc.message})
            continue
        checked.append((str(path), ev, assess(ev)))

    if as_json:
        body = {
            "evaluations": [report.evaluation_json(f, ev, r) for f, ev, r in checked],
            "errors": errors,
        }
        out.write(report.to_json(body) + "\n")
    else:
        if checked:
            out.write(report.table(checked) + "\n")
            lines = [line for f, ev, r in checked for line in report.problem_lines(f, ev, r)]
            if lines:
                out.write("\n" + "\n".join(lines) + "\n")
        summary = f"\n共 {len(checked)} 份自评表"
        if errors:
            summary += f"，{len(errors)} 个文件无法读取"
        out.write(summary + "\n")
    for item in errors[len(missing):]:
        print(f"{item['file']}: {item['message']}", file=err)

    failing = {ERROR, WARNING} if strict else {ERROR}
    if errors or any(p.severity in failing for _, _, r in checked for p in r.problems):
        return 1
    return 0
