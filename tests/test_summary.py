"""`evaltui summary`: the folder's 汇总表 as xlsx and CSV, figures exactly as `check` gives them."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
from conftest import EXAMPLES, SEED_DOCX

COLUMNS = [
    "文件", "项目名称", "主管部门", "实施单位", "年度", "全年预算数", "全年执行数", "执行率",
    "预算执行率得分", "总分", "等级", "错误", "警告",
]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evaltui", *args], capture_output=True, text=True, timeout=120)


def check_json(path: Path) -> dict:
    result = run("check", str(path), "--json")
    return json.loads(result.stdout, parse_float=Decimal)


def test_xlsx_of_the_examples_has_nine_rows_numbers_as_numbers_and_the_totals_of_check(tmp_path):
    out = tmp_path / "s.xlsx"
    result = run("summary", str(EXAMPLES), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "9" in result.stdout

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "问题"]
    sheet = book["汇总"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 1 + 9

    report = check_json(EXAMPLES)
    by_file = {e["file"]: e for e in report["evaluations"]}
    for row in rows[1:]:
        values = dict(zip(COLUMNS, row))
        entry = by_file[values["文件"]]
        assert values["项目名称"] == entry["name"]
        assert values["主管部门"] == entry["department"]
        assert values["年度"] == entry["year"]
        for column, key in (("总分", "total"), ("执行率", "execution_rate"), ("预算执行率得分", "execution_score")):
            assert isinstance(values[column], int | float), (column, values[column])
            assert Decimal(str(values[column])) == entry[key], (values["文件"], column)
        assert Decimal(str(values["全年预算数"])) == entry["budget"]["total"]["full_year"]
        assert Decimal(str(values["全年执行数"])) == entry["budget"]["total"]["executed"]
        assert values["等级"] == entry["grade"]
        assert values["错误"] == sum(p["severity"] == "error" for p in entry["problems"])
        assert values["警告"] == sum(p["severity"] == "warning" for p in entry["problems"])
    assert sheet["F2"].number_format == "#,##0.00####"
    assert sheet["J2"].number_format == "0.00"

    problems = list(book["问题"].iter_rows(values_only=True))
    assert list(problems[0]) == ["文件", "项目名称", "级别", "代码", "指标", "说明"]
    assert len(problems) - 1 == sum(len(e["problems"]) for e in report["evaluations"])
    seen = {(p[0], p[3], p[4] or None) for p in problems[1:]}
    assert (str(EXAMPLES / "调研经费.toml"), "score-vs-rule", "考察人数") in seen
    assert {p[2] for p in problems[1:]} <= {"错误", "警告", "提示"}


def test_csv_is_utf8_with_a_bom_and_opens_as_chinese(tmp_path):
    out = tmp_path / "s.csv"
    result = run("summary", str(EXAMPLES), "-o", str(out))
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + 9
    row = dict(zip(COLUMNS, next(r for r in rows if r[1] == "信息系统运行维护服务")))
    assert row["全年执行数"] == "27.415"
    assert row["执行率"] == "88.44"
    entry = check_json(EXAMPLES / "信息系统运行维护服务.toml")["evaluations"][0]
    assert Decimal(row["总分"]) == entry["total"]


def test_an_existing_file_is_kept_unless_forced(tmp_path):
    out = tmp_path / "s.csv"
    out.write_bytes(b"mine")
    result = run("summary", str(EXAMPLES), "-o", str(out))
    assert result.returncode == 2
    assert "--force" in result.stderr and "s.csv" in result.stderr
    assert out.read_bytes() == b"mine"
    assert run("summary", str(EXAMPLES), "-o", str(out), "--force").returncode == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [p.name for p in tmp_path.iterdir()] == ["s.csv"], "no temporary file left behind"


def test_an_unreadable_file_is_named_listed_under_problems_and_the_rest_summed(tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    shutil.copy(EXAMPLES / "调研经费.toml", folder / "a.toml")
    (folder / "b.toml").write_text("name = \n", encoding="utf-8")
    out = tmp_path / "s.xlsx"
    result = run("summary", str(folder), "-o", str(out))
    assert result.returncode == 1
    assert "b.toml" in result.stderr and "Traceback" not in result.stderr
    book = openpyxl.load_workbook(out)
    assert book["汇总"].max_row == 2
    problems = list(book["问题"].iter_rows(values_only=True))
    assert any(p[0].endswith("b.toml") and p[3] == "unreadable" for p in problems[1:])


def test_text_that_looks_like_a_formula_or_holds_control_characters_stays_text(tmp_path):
    text = (EXAMPLES / "调研经费.toml").read_text(encoding="utf-8")
    text = text.replace('name = "调研经费"', 'name = "=1+2\\u001b[31m"', 1)
    (tmp_path / "odd.toml").write_text(text, encoding="utf-8")
    xlsx, csv_out = tmp_path / "s.xlsx", tmp_path / "s.csv"
    assert run("summary", str(tmp_path / "odd.toml"), "-o", str(xlsx)).returncode == 0
    cell = openpyxl.load_workbook(xlsx)["汇总"]["B2"]
    assert cell.data_type == "s" and cell.value == "=1+2\\x1b[31m"
    assert run("summary", str(tmp_path / "odd.toml"), "-o", str(csv_out)).returncode == 0
    rows = list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert rows[1][1].startswith("'=1+2")


def test_usage_errors(tmp_path):
    bad = run("summary", str(EXAMPLES), "-o", str(tmp_path / "s.txt"))
    assert bad.returncode == 2 and ".xlsx" in bad.stderr
    empty = run("summary", str(tmp_path), "-o", str(tmp_path / "s.csv"))
    assert empty.returncode == 2 and not (tmp_path / "s.csv").exists()
    missing = run("summary", "-o", str(tmp_path / "s.csv"))
    assert missing.returncode == 2 and "缺少参数" in missing.stderr


def test_a_word_document_given_to_check_points_to_import(tmp_path):
    doc = tmp_path / "forms.docx"
    shutil.copy(SEED_DOCX, doc)
    result = run("check", str(doc))
    assert result.returncode == 1
    assert "evaltui import" in result.stderr and "UTF-8" not in result.stderr


def test_version_and_chinese_usage_messages():
    from evaltui import __version__

    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"evaltui {__version__}"
    helped = run("--help")
    assert helped.returncode == 0
    assert "用法：" in helped.stdout and "summary" in helped.stdout
    assert "usage" not in helped.stdout and "show this help" not in helped.stdout
    for args, words in (
        (("check",), "缺少参数"),
        (("check", "--frobnicate", str(EXAMPLES)), "不认识的参数"),
        (("export", str(EXAMPLES), "-o"), "需要一个值"),
        (("chek", str(EXAMPLES)), "没有子命令 chek"),
    ):
        result = run(*args)
        assert result.returncode == 2
        assert words in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_export_keeps_an_existing_file_unless_forced(tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"mine")
    result = run("export", str(EXAMPLES / "调研经费.toml"), "-o", str(out))
    assert result.returncode == 2 and "--force" in result.stderr
    assert out.read_bytes() == b"mine"
    assert run("export", str(EXAMPLES / "调研经费.toml"), "-o", str(out), "--force").returncode == 0
    assert out.read_bytes().startswith(b"PK")


def test_export_and_summary_refuse_a_folder_that_is_not_there(tmp_path):
    """Like import: a typo in the folder never makes one; exit 2 (a usage error), one line."""
    for command, name in (("export", "x.docx"), ("summary", "x.csv")):
        result = run(command, str(EXAMPLES / "调研经费.toml"), "-o", str(tmp_path / "nodir" / name))
        assert result.returncode == 2, (command, result.stderr)
        assert "文件夹不存在" in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "nodir").exists()


def test_the_folder_settings_score_the_summary_as_they_score_check(tmp_path):
    folder = tmp_path / "district"
    folder.mkdir()
    shutil.copy(EXAMPLES / "调研经费.toml", folder / "调研经费.toml")
    (folder / "evaltui.toml").write_text('[rules]\nlower = "ratio"\ngrades = [95, 85, 60]\n', encoding="utf-8")
    out = tmp_path / "s.xlsx"
    assert run("summary", str(folder), "-o", str(out)).returncode == 0
    row = dict(zip(COLUMNS, list(openpyxl.load_workbook(out)["汇总"].iter_rows(values_only=True))[1]))
    entry = check_json(folder)["evaluations"][0]
    assert entry["rules"]["source"] != "national"
    assert Decimal(str(row["总分"])) == entry["total"] and row["等级"] == entry["grade"]
    assert row["等级"] == "良"  # 93.22 is 优 by the national grades, 良 by these
    assert row["警告"] == sum(p["severity"] == "warning" for p in entry["problems"])
