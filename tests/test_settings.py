"""Folder settings (evaltui.toml): reading them, which file rules which evaluation, and check with them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import EXAMPLES

from evaltui import files, settings
from evaltui.rules import NATIONAL, Rules

NATIONAL_TEXT = """\
[rules]
execution_weight = 10
lower = "deviation"
qualitative = [80, 60]
grades = [90, 80, 60]
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evaltui", *args], capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------- one file

@pytest.mark.parametrize(
    "text, expected",
    [
        ("", Rules()),
        ("[rules]\n", Rules()),
        (NATIONAL_TEXT, Rules()),
        ("[rules]\nexecution_weight = 20\n", Rules(execution_weight=D(20))),
        ("[rules]\nexecution_weight = 10\n", Rules(execution_weight=D(10))),
        ('[rules]\nlower = "ratio"\n', Rules(lower="ratio")),
        ('[rules]\nlower = "deviation"\n', Rules(lower="deviation")),
        ("[rules]\nqualitative = [80, 50]\n", Rules(qualitative=(D(80), D(50)))),
        ("[rules]\nqualitative = [85.5, 60]\n", Rules(qualitative=(D("85.5"), D(60)))),
        ("[rules]\ngrades = [85, 75, 50]\n", Rules(grades=(D(85), D(75), D(50)))),
    ],
)
def test_each_setting_and_its_national_default(text, expected):
    rules = settings.loads(text, "forms/evaltui.toml")
    assert rules == Rules(**{**expected.__dict__, "source": "forms/evaltui.toml"})
    assert rules.settings() == {**expected.settings()}


@pytest.mark.parametrize(
    "text, key",
    [
        ("[rules]\nexecution_weight = 15\n", "execution_weight"),
        ("[rules]\nexecution_weight = \"20\"\n", "execution_weight"),
        ("[rules]\nexecution_weight = true\n", "execution_weight"),
        ('[rules]\nlower = "inverse"\n', "lower"),
        ("[rules]\nlower = 1\n", "lower"),
        ("[rules]\nqualitative = [60, 80]\n", "qualitative"),
        ("[rules]\nqualitative = [80]\n", "qualitative"),
        ("[rules]\nqualitative = [120, 60]\n", "qualitative"),
        ('[rules]\nqualitative = ["80", "60"]\n', "qualitative"),
        ("[rules]\ngrades = [90, 80]\n", "grades"),
        ("[rules]\ngrades = [90, 90, 60]\n", "grades"),
        ("[rules]\ngrades = [90, 80, -1]\n", "grades"),
        ("[rules]\ngrade = [90, 80, 60]\n", "grade"),
        ("[rule]\nlower = \"ratio\"\n", "rule"),
        ("rules = 3\n", "rules"),
        ("[rules]\nlower = \"ratio\n", "第 2 行"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_file_and_the_key(text, key):
    with pytest.raises(settings.SettingsError) as caught:
        settings.loads(text, "forms/evaltui.toml")
    line = str(caught.value)
    assert line.startswith("forms/evaltui.toml: ")
    assert key in line
    assert "\n" not in line


def test_the_rules_in_force_are_named():
    assert NATIONAL.label() == "全国"
    assert settings.loads('[rules]\nlower = "ratio"\n', "a/evaltui.toml").label() == "evaltui.toml（反向指标按比例）"
    assert settings.loads(NATIONAL_TEXT, "a/evaltui.toml").label() == "evaltui.toml（同全国）"
    both = settings.loads("[rules]\nexecution_weight = 20\nqualitative = [80, 50]\n", "evaltui.toml")
    assert both.label() == "evaltui.toml（预算执行率 20 分、定性档次 80 / 50）"


def test_an_unreadable_settings_file_is_an_error(tmp_path):
    (tmp_path / "evaltui.toml").write_bytes(b"[rules]\nlower = \"\xff\"\n")
    with pytest.raises(settings.SettingsError) as caught:
        settings.read(tmp_path / "evaltui.toml")
    assert "UTF-8" in str(caught.value)


# ---------------------------------------------------------------- which file rules which evaluation

def test_the_nearest_settings_file_within_the_folder_given_rules(tmp_path):
    (tmp_path / "evaltui.toml").write_text('[rules]\nlower = "ratio"\n', encoding="utf-8")
    region = tmp_path / "region"
    (region / "county").mkdir(parents=True)
    (region / "evaltui.toml").write_text("[rules]\nexecution_weight = 20\n", encoding="utf-8")
    for folder in (tmp_path, region, region / "county"):
        (folder / "a.toml").write_text("", encoding="utf-8")

    found = dict(settings.find([tmp_path]))
    assert found[tmp_path / "a.toml"].lower == "ratio"
    assert found[region / "a.toml"].execution_weight == D(20)
    assert found[region / "a.toml"].lower == "deviation"  # the nearest file rules alone
    assert found[region / "county" / "a.toml"].source == str(region / "evaltui.toml")
    # the folder given bounds the search: region/county alone knows no settings
    assert dict(settings.find([region / "county"]))[region / "county" / "a.toml"] is NATIONAL
    # a file named on its own: its own folder's settings
    assert settings.rules_for_file(region / "a.toml").execution_weight == D(20)
    assert settings.rules_for_file(region / "county" / "a.toml") is NATIONAL


def test_a_settings_file_is_read_once_for_all_the_folders_under_it(tmp_path, monkeypatch):
    (tmp_path / "evaltui.toml").write_text('[rules]\nlower = "ratio"\n', encoding="utf-8")
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.toml").write_text("", encoding="utf-8")
    reads = []
    real = settings.read
    monkeypatch.setattr(settings, "read", lambda path: reads.append(path) or real(path))
    assert {r.lower for _, r in settings.find([tmp_path])} == {"ratio"}
    assert len(reads) == 1


def test_the_settings_file_is_never_an_evaluation(tmp_path):
    (tmp_path / "evaltui.toml").write_text(NATIONAL_TEXT, encoding="utf-8")
    (tmp_path / "a.toml").write_text("", encoding="utf-8")
    assert list(files.find([tmp_path])) == [tmp_path / "a.toml"]
    assert list(files.find([tmp_path / "evaltui.toml"])) == []
    assert files.file_name_for("evaltui") == "evaltui_.toml"
    assert files.planned_names(["evaltui", "evaltui"]) == ["evaltui_.toml", "evaltui_ (2).toml"]


# ---------------------------------------------------------------- check with settings

def _examples(tmp_path: Path, settings_text: str | None) -> Path:
    folder = tmp_path / "forms"
    shutil.copytree(EXAMPLES, folder)
    if settings_text is not None:
        (folder / "evaltui.toml").write_text(settings_text, encoding="utf-8")
    return folder


def _scored(report: dict) -> list[dict]:
    """What the rules made of each form: everything but the rules' own source."""
    return [{**e, "file": Path(e["file"]).name, "rules": {**e["rules"], "source": None}} for e in report["evaluations"]]


def test_the_seed_scores_the_same_without_settings_and_with_national_ones(tmp_path):
    plain = run("check", str(_examples(tmp_path / "a", None)), "--json")
    spelled = run("check", str(_examples(tmp_path / "b", NATIONAL_TEXT)), "--json")
    assert plain.returncode == spelled.returncode == 0
    plain_report, spelled_report = json.loads(plain.stdout), json.loads(spelled.stdout)
    assert len(plain_report["evaluations"]) == 9
    assert _scored(plain_report) == _scored(spelled_report)
    assert {e["rules"]["source"] for e in plain_report["evaluations"]} == {"national"}
    assert {e["rules"]["source"] for e in spelled_report["evaluations"]} == {str(tmp_path / "b" / "forms" / "evaltui.toml")}
    human_a = run("check", str(tmp_path / "a" / "forms")).stdout.replace(str(tmp_path / "a"), "")
    human_b = run("check", str(tmp_path / "b" / "forms")).stdout.replace(str(tmp_path / "b"), "")
    assert human_a == human_b


def test_check_json_gives_rule_and_rules(tmp_path):
    result = run("check", str(EXAMPLES / "区代表年度培训服务.toml"), "--json")
    entry = json.loads(result.stdout)["evaluations"][0]
    assert entry["rules"] == {"execution_weight": 10, "lower": "deviation", "qualitative": [80, 60],
                              "grades": [90, 80, 60], "source": "national"}
    by_name = {i["name"]: i for i in entry["indicators"]}
    assert by_name["培训时间"]["rule"] == "10 × (1 − (5 − 4) ÷ 4) = 7.5"
    assert by_name["培训时间"]["suggested"] == 7.5
    assert by_name["培训时间"]["applicable"] is True
    assert all(i["rule"] for i in entry["indicators"] if i["suggested"] is not None)


def _training_scored_by_ratio(folder: Path) -> Path:
    """区代表年度培训服务 with 培训时间 (≤4天, 5天, 分值 10) scored 8 = 10 × 4 ÷ 5."""
    path = folder / "区代表年度培训服务.toml"
    text = path.read_text(encoding="utf-8")
    row = 'actual = "5天"\nweight = 10\nscore = 10\n'  # 培训时间, no reason (a blank is not written)
    assert row in text
    text = text.replace(row, 'actual = "5天"\nweight = 10\nscore = 8\nreason = "超期一天"\n', 1)
    path.write_text(text, encoding="utf-8")
    return path


def _problems(report: dict, name: str) -> set[tuple[str, str | None]]:
    entry = next(e for e in report["evaluations"] if e["name"] == name)
    return {(p["code"], p["indicator"]) for p in entry["problems"]}


def test_a_ratio_folder_accepts_a_lower_target_scored_w_times_a_over_b(tmp_path):
    ratio = _examples(tmp_path / "ratio", '[rules]\nlower = "ratio"\n')
    national = _examples(tmp_path / "national", None)
    _training_scored_by_ratio(ratio)
    _training_scored_by_ratio(national)
    by_ratio = json.loads(run("check", str(ratio), "--json").stdout)
    by_nation = json.loads(run("check", str(national), "--json").stdout)
    assert ("score-vs-rule", "培训时间") not in _problems(by_ratio, "区代表年度培训服务")
    assert ("score-vs-rule", "培训时间") in _problems(by_nation, "区代表年度培训服务")
    entry = next(e for e in by_ratio["evaluations"] if e["name"] == "区代表年度培训服务")
    training = next(i for i in entry["indicators"] if i["name"] == "培训时间")
    assert training["rule"] == "10 × 4 ÷ 5 = 8" and training["suggested"] == 8
    assert entry["rules"]["lower"] == "ratio"


def test_execution_weight_20_scores_the_rate_by_20_and_expects_80_from_the_indicators(tmp_path):
    folder = _examples(tmp_path, "[rules]\nexecution_weight = 20\n")
    path = folder / "调研经费.toml"  # 37.52 of 52: 72.15 %
    text = path.read_text(encoding="utf-8")
    assert text.count("weight = 10\n") >= 1
    report = json.loads(run("check", str(path), "--json").stdout)
    entry = report["evaluations"][0]
    assert entry["execution_score"] == 14.43  # 20 × 72.15 %
    assert entry["weight_total"] == 110  # its indicators carry 90
    assert ("weights-total", None) in _problems(report, "调研经费")
    # take 10 points off its first indicator: 80 + 20 = 100
    path.write_text(text.replace("weight = 10\nscore = 6\n", "weight = 0\nscore = 0\n", 1), encoding="utf-8")
    report = json.loads(run("check", str(path), "--json").stdout)
    entry = report["evaluations"][0]
    assert entry["weight_total"] == 100
    assert ("weights-total", None) not in _problems(report, "调研经费")


def test_a_bad_settings_file_gives_one_line_and_exit_1(tmp_path):
    folder = tmp_path / "all"
    bad = folder / "region"
    good = folder / "other"
    bad.mkdir(parents=True)
    good.mkdir()
    shutil.copy(EXAMPLES / "调研经费.toml", bad / "a.toml")
    shutil.copy(EXAMPLES / "区代表年度培训服务.toml", bad / "b.toml")
    shutil.copy(EXAMPLES / "期刊、制度汇编等印刷服务.toml", good / "c.toml")
    (bad / "evaltui.toml").write_text('[rules]\nlower = "inverse"\n', encoding="utf-8")

    result = run("check", str(folder), "--json")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith(str(bad / "evaltui.toml")) and "lower" in lines[0]
    report = json.loads(result.stdout)
    assert [Path(e["file"]).name for e in report["evaluations"]] == ["c.toml"]  # the rest is still checked
    assert [Path(e["file"]).name for e in report["errors"]] == ["evaltui.toml", "a.toml", "b.toml"]
    assert "未评分" in report["errors"][1]["message"]

    human = run("check", str(folder))
    assert human.returncode == 1
    assert "2 个文件因评分规则设置有误未评分" in human.stdout
    assert "调研经费" not in human.stdout  # not scored by a guess
    assert len([line for line in human.stderr.splitlines() if line.strip()]) == 1


def test_a_broken_settings_file_names_its_line(tmp_path):
    shutil.copy(EXAMPLES / "调研经费.toml", tmp_path / "a.toml")
    (tmp_path / "evaltui.toml").write_text("[rules\nlower = 'ratio'\n", encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "第 1 行" in lines[0] and "evaltui.toml" in lines[0]
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- summary with settings

def _csv_rows(path: Path) -> dict[str, list[str]]:
    import csv

    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    return {row[1]: row for row in rows[1:]}


def test_summary_scores_by_the_folders_settings_as_check_does(tmp_path):
    folder = _examples(tmp_path, "[rules]\nexecution_weight = 20\n")
    out = tmp_path / "sum.csv"
    result = run("summary", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    row = _csv_rows(out)["调研经费"]
    checked = json.loads(run("check", str(folder / "调研经费.toml"), "--json").stdout)["evaluations"][0]
    assert row[8] == "14.43" == str(checked["execution_score"])  # 预算执行率得分: 20 × 72.15 %
    assert row[9] == str(checked["total"])


def test_summary_names_a_bad_settings_file_once_and_scores_nothing_under_it(tmp_path):
    folder = _examples(tmp_path, "[rules]\ngrades = [60, 80, 90]\n")
    result = run("summary", str(folder), "-o", str(tmp_path / "sum.csv"))
    assert result.returncode == 2  # nothing left to sum up
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "grades" in lines[0] and "evaltui.toml" in lines[0]
    assert not (tmp_path / "sum.csv").exists()


# ---------------------------------------------------------------- export with settings and 不适用

def _rows_of_docx(path: Path) -> list[list[str]]:
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return [["".join(t.text or "" for t in tc.iter(f"{w}t")) for tc in tr.iter(f"{w}tc")] for tr in root.iter(f"{w}tr")]


def test_export_scores_by_the_folders_settings_and_writes_not_applicable(tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "evaltui.toml").write_text("[rules]\nexecution_weight = 20\n", encoding="utf-8")
    text = (EXAMPLES / "调研经费.toml").read_text(encoding="utf-8")
    text = text.replace('weight = 10\nscore = 6\n', 'weight = 10\nscore = 6\napplicable = false\n', 1)
    (folder / "调研经费.toml").write_text(text.replace("schema_version = 1", "schema_version = 2"), encoding="utf-8")
    checked = json.loads(run("check", str(folder), "--json").stdout)["evaluations"][0]
    assert checked["indicators"][0]["applicable"] is False
    assert checked["indicators"][0]["rule"].startswith("不适用")

    out = tmp_path / "out.docx"
    result = run("export", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = _rows_of_docx(out)
    total_line = next(r for r in rows if r[:1] == ["年度资金总额"] or "年度资金总额" in r[:2])
    assert total_line[-3:] == ["20", "72.15%", "14.43"]
    kaocha = next(r for r in rows if "考察人数" in r)
    assert kaocha[-2] == "不适用"
    total_row = next(r for r in rows if r[:1] == ["总分"])
    assert total_row[2] == str(checked["total"])


def test_export_of_a_folder_with_bad_settings_names_it_once_and_writes_nothing(tmp_path):
    folder = _examples(tmp_path, "[rules]\nexecution_weight = 30\n")
    result = run("export", str(folder), "-o", str(tmp_path / "out.docx"))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "execution_weight" in lines[0]
    assert not (tmp_path / "out.docx").exists()


def test_not_applicable_survives_export_then_import(tmp_path):
    from evaltui import store
    from evaltui.word.read import read_docx
    from evaltui.word.write import write_docx

    ev = store.load(EXAMPLES / "调研经费.toml")
    marked = ev.model_copy(update={"indicators": (ev.indicators[0].model_copy(update={"applicable": False}),
                                                  *ev.indicators[1:])})
    write_docx([marked], tmp_path / "a.docx")
    (back,) = read_docx(tmp_path / "a.docx")
    assert [i.applicable for i in back.indicators] == [False] + [True] * (len(ev.indicators) - 1)
    assert back.indicators[0].score is None  # the mark is not read as a score
    assert back.indicators[0].weight == ev.indicators[0].weight
