"""Word import of the seed and export of the nine examples, beside a plain python-docx build.

The plain build makes the same table with python-docx's own API: ``table.cell()`` lookups and
``cell.merge`` calls. Rounds alternate between the two in one process; figures are medians.

    python benchmarks/word_speed.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import docx  # noqa: E402

from evaltui import files, store  # noqa: E402
from evaltui.numbers import plain  # noqa: E402
from evaltui.rules import assess  # noqa: E402
from evaltui.word.read import read_docx  # noqa: E402
from evaltui.word.write import to_bytes  # noqa: E402

SEED = ROOT.parent / "shared" / "fixtures" / "seed-2024.docx"


def plain_python_docx(evaluations) -> bytes:
    """The same forms with python-docx's API: add_table, table.cell(), cell.merge()."""
    document = docx.Document()
    for number, ev in enumerate(evaluations):
        if number:
            document.add_page_break()
        document.add_paragraph("项目支出绩效自评表")
        document.add_paragraph(f"（{ev.year}年度）")
        result = assess(ev)
        rows = 3 + 5 + 2 + 1 + max(len(ev.indicators), 1) + 1
        table = document.add_table(rows=rows, cols=9)
        table.style = "Table Grid"
        cell = table.cell
        cell(0, 0).merge(cell(0, 1)).text = "项目名称"
        cell(0, 2).merge(cell(0, 8)).text = ev.name
        for r, (a, b, c, d) in ((1, ("主管部门", ev.department, "实施单位", ev.implementer)),
                                (2, ("项目负责人", ev.leader, "联系电话", ev.phone))):
            cell(r, 0).merge(cell(r, 1)).text = a
            cell(r, 2).merge(cell(r, 4)).text = b
            cell(r, 5).merge(cell(r, 6)).text = c
            cell(r, 7).merge(cell(r, 8)).text = d
        cell(3, 0).merge(cell(7, 1)).text = "项目资金（万元）"
        for col, label in enumerate(["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], start=2):
            cell(3, col).text = label
        lines = (("年度资金总额", ev.budget.total), ("其中：当年财政拨款", ev.budget.appropriation),
                 ("上年结转资金", ev.budget.carryover), ("其他资金", ev.budget.other))
        for r, (label, amounts) in enumerate(lines, start=4):
            cell(r, 2).text = label
            for col, value in enumerate((amounts.initial, amounts.full_year, amounts.executed), start=3):
                cell(r, col).text = "" if value is None else plain(value)
        cell(4, 6).text, cell(4, 7).text, cell(4, 8).text = "10", f"{result.execution_rate}%", plain(result.execution_score)
        cell(8, 0).merge(cell(9, 1)).text = "年度总体目标"
        cell(8, 2).merge(cell(8, 4)).text = "预期目标"
        cell(8, 5).merge(cell(8, 8)).text = "实际完成情况"
        cell(9, 2).merge(cell(9, 4)).text = ev.goals.expected
        cell(9, 5).merge(cell(9, 8)).text = ev.goals.actual
        first = 11
        cell(10, 0).merge(cell(rows - 2, 0)).text = "绩效指标"
        for col, label in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"], start=1):
            cell(10, col).text = label
        for i, ind in enumerate(ev.indicators):
            r = first + i
            for col, value in enumerate((ind.level1, ind.level2, ind.name, ind.target, ind.actual,
                                         ind.weight, ind.score, ind.reason), start=1):
                cell(r, col).text = "" if value is None else (plain(value) if not isinstance(value, str) else value)
        for column in (1, 2):  # merge runs of equal first and second levels
            start = first
            for r in range(first + 1, first + len(ev.indicators) + 1):
                done = r == first + len(ev.indicators)
                if done or cell(r, column).text != cell(start, column).text:
                    if r - 1 > start:
                        text = cell(start, column).text
                        cell(start, column).merge(cell(r - 1, column)).text = text
                    start = r
        last = rows - 1
        cell(last, 0).merge(cell(last, 5)).text = "总分"
        cell(last, 6).text, cell(last, 7).text = "100", plain(result.total)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def median_time(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    evaluations = [store.load(p) for p in files.find([ROOT / "examples"])]
    read_docx(SEED)  # warm imports
    plain_python_docx(evaluations)
    results = {"import seed-2024.docx (9 forms)": [], "export 9 forms (evaltui)": [], "export 9 forms (plain python-docx)": []}
    for _ in range(args.rounds):  # alternate, so both see the same machine load
        results["import seed-2024.docx (9 forms)"].append(median_time(lambda: read_docx(SEED), 1))
        results["export 9 forms (evaltui)"].append(median_time(lambda: to_bytes(evaluations), 1))
        results["export 9 forms (plain python-docx)"].append(median_time(lambda: plain_python_docx(evaluations), 1))
    print(f"median of {args.rounds} alternating rounds, one process")
    for name, times in results.items():
        print(f"  {name:36s} {statistics.median(times) * 1000:8.1f} ms")
    ours = statistics.median(results["export 9 forms (evaltui)"])
    theirs = statistics.median(results["export 9 forms (plain python-docx)"])
    print(f"  export ratio evaltui / plain python-docx: {ours / theirs:.2f} (goal: below 0.5)")


if __name__ == "__main__":
    main()
