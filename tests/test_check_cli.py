"""`evaltui check` as users and scripts call it: the documented JSON, exit codes, bad files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from conftest import EXAMPLES, SEED_DOCX
from expected import mismatches

ODD_NAME = "[/bold]危险[red]名称[/"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evaltui", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_check_json_of_the_examples_matches_the_expected_seed(expected_forms):
    result = run("check", str(EXAMPLES), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout, parse_float=Decimal)
    assert report["errors"] == []
    assert mismatches(report, expected_forms) == []


def test_check_json_has_every_documented_key_in_order():
    result = run("check", str(EXAMPLES / "调研经费.toml"), "--json")
    entry = json.loads(result.stdout)["evaluations"][0]
    assert list(entry) == [
        "file", "name", "year", "department", "implementer", "leader", "phone", "budget", "budget_extra",
        "goals", "notes", "execution_rate", "execution_score", "indicator_count", "weight_total", "reported_total",
        "total", "grade", "rules", "indicators", "problems",
    ]
    assert entry["file"].endswith("调研经费.toml")
    assert entry["indicators"][0]["suggested"] == 10
    assert entry["budget"]["carryover"] == {"initial": None, "full_year": None, "executed": None}
    assert entry["budget_extra"] == [] and entry["notes"] == []
    problem = entry["problems"][0]
    assert problem == {
        "code": "score-vs-rule", "severity": "warning", "indicator": "考察人数",
        "message": problem["message"],
    }
    assert "考察人数" in problem["message"] and "6" in problem["message"] and "10" in problem["message"]


def test_json_numbers_are_exact_decimals():
    result = run("check", str(EXAMPLES / "信息系统运行维护服务.toml"), "--json")
    assert '"executed": 27.415' in result.stdout
    assert '"execution_rate": 88.44' in result.stdout


def test_human_output_is_a_table_then_the_problems():
    result = run("check", str(EXAMPLES))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["名称", "年度", "总分", "等级", "错误", "警告"]
    row = next(line for line in lines if line.startswith("调研经费"))
    assert row.split() == ["调研经费", "2024", "93.22", "优", "0", "1"]
    assert any("score-vs-rule" in line and "考察人数" in line for line in lines)


def _folder_with_bad_files(tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    shutil.copy(EXAMPLES / "调研经费.toml", folder / "a-good.toml")
    text = (EXAMPLES / "区代表年度培训服务.toml").read_text(encoding="utf-8")
    (folder / "b-truncated.toml").write_text(text[: len(text) // 2 - 7], encoding="utf-8")
    odd = (EXAMPLES / "通州区人代会经费.toml").read_text(encoding="utf-8")
    odd = odd.replace('name = "通州区人代会经费"', f'name = "{ODD_NAME}"')
    (folder / "c-odd.toml").write_text(odd, encoding="utf-8")
    return folder


def test_a_broken_file_is_named_and_the_others_still_checked(tmp_path):
    folder = _folder_with_bad_files(tmp_path)
    before = (folder / "b-truncated.toml").read_bytes()
    result = run("check", str(folder), "--json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert [e["name"] for e in report["evaluations"]] == ["调研经费", ODD_NAME]
    assert len(report["errors"]) == 1
    assert report["errors"][0]["file"].endswith("b-truncated.toml")
    assert "行" in report["errors"][0]["message"]
    assert (folder / "b-truncated.toml").read_bytes() == before
    stderr_lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(stderr_lines) == 1 and "b-truncated.toml" in stderr_lines[0]


def test_human_output_shows_a_markup_looking_name_exactly(tmp_path):
    folder = _folder_with_bad_files(tmp_path)
    result = run("check", str(folder))
    assert result.returncode == 1
    assert ODD_NAME in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert "b-truncated.toml" in result.stderr


def test_exit_1_on_error_severity_problems(tmp_path):
    text = (EXAMPLES / "调研经费.toml").read_text(encoding="utf-8").replace("score = 6\n", "score = 16\n", 1)
    (tmp_path / "over.toml").write_text(text, encoding="utf-8")
    result = run("check", str(tmp_path), "--json")
    assert result.returncode == 1
    codes = {p["code"] for p in json.loads(result.stdout)["evaluations"][0]["problems"]}
    assert "score-over-weight" in codes


def test_strict_fails_on_warnings_too():
    assert run("check", str(EXAMPLES / "调研经费.toml")).returncode == 0
    assert run("check", "--strict", str(EXAMPLES / "调研经费.toml")).returncode == 1
    assert run("check", "--strict", str(EXAMPLES / "期刊、制度汇编等印刷服务.toml")).returncode == 0


def test_nothing_to_check_exits_2(tmp_path):
    result = run("check", str(tmp_path))
    assert result.returncode == 2
    assert str(tmp_path) in result.stderr
    missing = run("check", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2
    assert "nope.toml" in missing.stderr and "Traceback" not in missing.stderr


def test_bad_usage_exits_2_with_one_line():
    result = run("check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    result = run("check", "--frobnicate", str(EXAMPLES))
    assert result.returncode == 2


def test_an_empty_path_is_bad_usage_not_the_current_folder(tmp_path):
    shutil.copy(EXAMPLES / sorted(p.name for p in EXAMPLES.glob("*.toml"))[0], tmp_path / "a.toml")
    for args in (["check", ""], ["export", "", "-o", "x.docx"], ["summary", str(tmp_path), "-o", ""], [""]):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert "路径为空" in result.stderr and "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1


def test_check_tells_a_real_word_document_from_a_file_only_named_docx(tmp_path):
    shutil.copy(SEED_DOCX, tmp_path / "real.docx")
    (tmp_path / "fake.docx").write_text("hello", encoding="utf-8")
    real = run("check", str(tmp_path / "real.docx"))
    assert real.returncode == 1 and "evaltui import" in real.stderr
    fake = run("check", str(tmp_path / "fake.docx"))
    assert fake.returncode == 1
    assert "不是 Word 文档" in fake.stderr and "evaltui import" not in fake.stderr


def test_console_script_and_module_agree():
    exe = shutil.which("evaltui", path=str(Path(sys.executable).parent))
    assert exe, "the evaltui console script is installed beside the interpreter"
    a = subprocess.run([exe, "check", str(EXAMPLES), "--json"], capture_output=True, text=True, timeout=120)
    b = run("check", str(EXAMPLES), "--json")
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout


def test_check_table_shows_every_total_with_two_decimals():
    """Finance staff read 100.00 beside 60.71, never 100 beside 60.71 (the JSON keeps the numbers)."""
    result = run("check", str(EXAMPLES))
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line.strip()}
    assert rows["通州区人代会经费"][2] == "100.00", rows["通州区人代会经费"]
    assert rows["2024年度人大代表联络处及代表活动经费"][2] == "60.71"
    totals = [cells[2] for name, cells in rows.items() if len(cells) == 6 and cells[1].isdigit()]
    assert len(totals) == 9 and all(len(total.split(".")[1]) == 2 for total in totals), totals


def test_an_empty_file_is_unreadable_not_an_evaluation_of_zero(tmp_path):
    shutil.copy(EXAMPLES / "调研经费.toml", tmp_path / "a.toml")
    (tmp_path / "b-empty.toml").write_bytes(b"")
    (tmp_path / "c-version-only.toml").write_text("schema_version = 2\n", encoding="utf-8")
    result = run("check", str(tmp_path), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [e["name"] for e in report["evaluations"]] == ["调研经费"]
    errors = {Path(e["file"]).name: e["message"] for e in report["errors"]}
    assert errors == {"b-empty.toml": "文件是空的", "c-version-only.toml": errors["c-version-only.toml"]}
    assert "没有自评表的内容" in errors["c-version-only.toml"]
    text = run("check", str(tmp_path))
    assert "0.00" not in text.stdout and "2 个文件无法读取" in text.stdout
    assert "b-empty.toml: 文件是空的" in text.stderr


def test_evaluations_of_one_name_show_their_file_in_the_table(tmp_path):
    shutil.copy(EXAMPLES / "调研经费.toml", tmp_path / "调研经费.toml")
    shutil.copy(EXAMPLES / "调研经费.toml", tmp_path / "a.toml")
    shutil.copy(EXAMPLES / "区代表年度培训服务.toml", tmp_path / "区代表年度培训服务.toml")
    result = run("check", str(tmp_path))
    rows = [line for line in result.stdout.splitlines() if "93.22" in line or "93.21" in line]
    assert any(line.startswith(f"调研经费（{tmp_path / 'a.toml'}）") for line in rows), rows
    assert any(line.startswith(str(tmp_path / "调研经费.toml")) for line in rows), rows
    assert any(line.startswith("区代表年度培训服务 ") for line in rows), "a name of its own stays as it is"
    report = json.loads(run("check", str(tmp_path), "--json").stdout)
    assert [e["name"] for e in report["evaluations"]].count("调研经费") == 2, "the JSON keeps the name"


def _without(tmp_path: Path, *lines: str) -> Path:
    """调研经费.toml with the first occurrence of each line taken out."""
    text = (EXAMPLES / "调研经费.toml").read_text(encoding="utf-8")
    for line in lines:
        assert line + "\n" in text
        text = text.replace(line + "\n", "", 1)
    path = tmp_path / "调研经费.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_blank_executed_amount_and_year_are_named_not_taken_as_zero(tmp_path):
    """A file without 全年执行数 read as 0 % spent (total 86, no word about it), and one
    without a year passed silently (new-user pass)."""
    path = _without(tmp_path, "executed = 37.52", "year = 2024")
    result = run("check", str(path))
    assert result.returncode == 1, result.stdout
    assert "错误 executed-missing 未填写年度资金总额的全年执行数" in result.stdout
    assert "警告 year-missing 未填写年度" in result.stdout
    entry = json.loads(run("check", str(path), "--json").stdout)["evaluations"][0]
    assert entry["execution_rate"] is None and entry["execution_score"] == 0 and entry["total"] == 86
    assert {p["code"] for p in entry["problems"]} >= {"executed-missing", "year-missing"}


def _on_a_terminal(columns: int, *args: str) -> str:
    """What ``evaltui ARGS`` prints to a terminal ``columns`` wide (a pty), as text."""
    import fcntl
    import os
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    try:
        subprocess.run([sys.executable, "-m", "evaltui", *args], stdout=slave, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, env=env, timeout=120)
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other end is closed and everything is read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_the_table_fits_the_terminal_and_the_json_keeps_the_whole_name(tmp_path):
    """A 90-character 项目名称 made every row of the table wrap at 80 columns (new-user pass)."""
    from evaltui.report import display_width

    long_name = "长" * 88 + "名称"
    text = (EXAMPLES / "调研经费.toml").read_text(encoding="utf-8").replace('name = "调研经费"', f'name = "{long_name}"', 1)
    (tmp_path / "长.toml").write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLES / "区代表年度培训服务.toml", tmp_path)
    shown = _on_a_terminal(80, "check", str(tmp_path))
    table = shown.split("\n\n")[0].splitlines()
    assert len(table) == 4 and all(display_width(line) <= 80 for line in table), table
    row = next(line for line in table if line.startswith("长"))
    assert "…" in row and "93.22" in row and "2024" in row, row
    assert "区代表年度培训服务" in shown  # a short name is left whole
    wide = _on_a_terminal(300, "check", str(tmp_path))
    assert long_name in wide and "…" not in wide.split("\n\n")[0]
    piped = run("check", str(tmp_path))  # to a pipe or a file: every name whole
    assert long_name in piped.stdout
    names = [e["name"] for e in json.loads(_on_a_terminal(80, "check", str(tmp_path), "--json"))["evaluations"]]
    assert long_name in names


def test_a_cut_name_keeps_the_file_that_tells_two_of_one_name_apart():
    from evaltui.report import display_width, table

    rows = [("调研经费" * 10 + "（g/a.toml）", "2024", "93.22", "优", "0", "1"), ("短", "2024", "1.00", "差", "0", "0")]
    lines = table(rows, 60, frozenset({0})).splitlines()
    assert all(display_width(line) <= 60 for line in lines), lines
    name = lines[2].split("  ")[0]
    assert name.startswith("调研") and "…" in name and name.endswith("调研经费（g/a.toml）"), name
    assert lines[3].startswith("短 ")
    assert table(rows) == table(rows, None) and "调研经费" * 10 in table(rows)


def test_check_notes_a_file_of_a_newer_evaltui_and_nothing_for_schema_2(tmp_path):
    from evaltui.check import check_file
    from evaltui.model import SCHEMA_VERSION

    text = (EXAMPLES / "调研经费.toml").read_text(encoding="utf-8")
    newer, own = tmp_path / "newer.toml", tmp_path / "own.toml"
    newer.write_text(text.replace("schema_version = 1", f"schema_version = {SCHEMA_VERSION + 1}"), encoding="utf-8")
    own.write_text(text.replace("schema_version = 1", f"schema_version = {SCHEMA_VERSION}"), encoding="utf-8")
    notes = [line for line in check_file(str(newer)).problem_lines if "注意" in line]
    assert len(notes) == 1 and "更新版本" in notes[0] and "只读" in notes[0] and "未检查" in notes[0]
    assert not any("注意" in line for line in check_file(str(own)).problem_lines)
    assert check_file(str(newer), as_json=True).severities == check_file(str(own), as_json=True).severities
