"""`evaltui import`: the seed documents, other offices' layouts, and bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SEED_DOC, SEED_DOCX, SEED_LO_DOCX, made_output
from docx_builder import C, Doc, standard_rows
from expected import mismatches

from evaltui.rules import assess
from evaltui.word.read import ImportError_, read_docx


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    made_output(args, cwd)
    return subprocess.run([sys.executable, "-m", "evaltui", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.mark.parametrize("docx", [SEED_DOCX, SEED_LO_DOCX], ids=["word", "libreoffice"])
def test_importing_the_seed_gives_the_expected_nine_forms(tmp_path, docx, expected_forms):
    result = run("import", str(docx), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    written = result.stdout.splitlines()
    assert len(written) == 9 and all(Path(p).exists() for p in written)
    check = run("check", str(tmp_path / "out"), "--json")
    assert check.returncode == 0, check.stderr
    assert mismatches(json.loads(check.stdout, parse_float=Decimal), expected_forms) == []


def test_import_never_overwrites_without_force(tmp_path):
    out = tmp_path / "out"
    assert run("import", str(SEED_DOCX), "-o", str(out)).returncode == 0
    target = out / "调研经费.toml"
    target.write_text("# 我的修改\n", encoding="utf-8")
    again = run("import", str(SEED_DOCX), "-o", str(out))
    assert again.returncode == 1
    assert "--force" in again.stderr and "Traceback" not in again.stderr
    assert target.read_text(encoding="utf-8") == "# 我的修改\n"
    forced = run("import", str(SEED_DOCX), "-o", str(out), "--force")
    assert forced.returncode == 0
    assert target.read_text(encoding="utf-8").startswith("schema_version = 1")


def test_force_over_a_read_only_file_writes_nothing_of_the_document(tmp_path):
    out = tmp_path / "out"
    assert run("import", str(SEED_DOCX), "-o", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.glob("*.toml")}
    (out / "通州区人代会经费.toml").chmod(0o444)
    mine = out / "调研经费.toml"
    mine.write_bytes(mine.read_bytes() + b"# mine\n")
    forced = run("import", str(SEED_DOCX), "-o", str(out), "--force")
    assert forced.returncode == 1 and forced.stdout == ""
    assert "通州区人代会经费.toml" in forced.stderr and "未写入任何文件" in forced.stderr
    assert mine.read_bytes().endswith(b"# mine\n"), "imported whole or not at all"
    assert {p.name: p.read_bytes() for p in out.glob("*.toml") if p != mine} == {
        n: b for n, b in before.items() if n != mine.name}


def one(doc: Doc, tmp_path: Path):
    evaluations = read_docx(doc.save(tmp_path / "form.docx"))
    assert len(evaluations) == 1
    return evaluations[0]


def test_repeated_labels_short_level2_and_a_lead_paragraph(tmp_path):
    indicators = [
        ["产出指标", "数量", "考察人数", "≥100人", "100人", "50", "50", ""],
        ["产出指标", "质量", "合格率", "≥95%", "96%", "0", "0", ""],
        ["效益指标", "社会效益", "履职能力", "提高", "提高", "30", "30", ""],
        ["满意度指标", "服务对象满意度", "满意度", "≥95%", "95%", "10", "10", ""],
    ]
    doc = Doc().para("附件2").para("项目支出绩效自评表").para("（2024年度）").table(standard_rows(indicators=indicators))
    ev = one(doc, tmp_path)
    assert ev.year == 2024 and ev.name == "测试项目" and ev.leader == "张三" and ev.phone == "010-12345678"
    assert [(i.level1, i.level2) for i in ev.indicators] == [
        ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标")]
    assert ev.goals.expected == "目标一；\n目标二。"
    result = assess(ev)
    assert result.total == Decimal("97.22") and result.weight_total == 100
    assert ev.reported_total == Decimal("97.22")


def test_full_width_digits_units_and_thousands_separators_in_amounts(tmp_path):
    rows = standard_rows(
        amounts=("1,200万元", "１，０００", "７５０．５"), sub=("1,200", "1000万元", "750.5"),
        total_label="年度资金总额:", sub_label="其中:本年财政拨款",
        indicators=[
            [C("产出指标(50分)", v="restart"), "数量指标", "人数", "≥１００人", "１００人", "５０", "５０", ""],
            [C("效益指标(30分)"), "社会效益指标", "能力", "提高", "提高", "30分", "30", ""],
            [C("满意度指标(10分)"), "服务对象满意度指标", "满意度", "≥95%", "95%", "10", "10", ""],
        ],
        total="97.51",
    )
    ev = one(Doc().para("（2024年度）").table(rows), tmp_path)
    assert ev.budget.total.initial == Decimal(1200)
    assert ev.budget.total.full_year == Decimal(1000)
    assert ev.budget.total.executed == Decimal("750.5")
    assert ev.budget.appropriation.full_year == Decimal(1000)
    assert [i.weight for i in ev.indicators] == [Decimal(50), Decimal(30), Decimal(10)]
    assert [i.level1 for i in ev.indicators] == ["产出指标", "效益指标", "满意度指标"]
    problems = {p.code for p in assess(ev).problems}
    assert "budget-sublines" not in problems and "weights-total" not in problems
    assert assess(ev).total == Decimal("97.51")


def test_blank_execution_score_and_blank_indicator_score(tmp_path):
    rows = standard_rows(
        execution_score="",
        indicators=[
            [C("产出指标", v="restart"), "数量指标", "人数", "≥100人", "100人", "50", "", ""],
            [C("效益指标"), "社会效益指标", "能力", "提高", "提高", "30", "30", ""],
            [C("满意度指标"), "服务对象满意度指标", "满意度", "≥95%", "95%", "10", "10", ""],
        ],
        total="",
    )
    ev = one(Doc().table(rows), tmp_path)
    assert ev.indicators[0].score is None
    assert ev.reported_total is None
    result = assess(ev)
    assert result.execution_score == Decimal("7.22")
    assert ("score-missing", "人数") in {(p.code, p.indicator) for p in result.problems}


def test_year_in_the_title_and_no_page_breaks_between_forms(tmp_path):
    doc = (
        Doc()
        .para("2023年度项目支出绩效自评表").table(standard_rows(name="甲项目"))
        .para("项目支出绩效自评表").para("（  2024度）").table(standard_rows(name="乙项目"))
    )
    evaluations = read_docx(doc.save(tmp_path / "two.docx"))
    assert [(e.name, e.year) for e in evaluations] == [("甲项目", 2023), ("乙项目", 2024)]


def test_content_controls_bookmarks_blank_rows_and_placeholders(tmp_path):
    indicators = [
        [C("产出指标", v="restart"), C("数量指标", v="restart"), C("人数", sdt=True), "≥100人", C("100人", bookmark=True), "50", "50", ""],
        [C(v="bare"), C(v="bare"), "", "", "", "", "", ""],
        [C(v="bare"), C(v="bare"), "指标2：", "", "", "", "", ""],
        [C(v="bare"), C(v="bare"), "……", "", "", "", "", ""],
        [C(v="bare"), C("质量指标", v="restart"), "指标1：", "", "", "", "", ""],
        [C("效益指标"), "社会效益指标", "能力", "提高", "提高", "30", "30", "原因一|改进一"],
        [C("满意度指标"), "服务对象满意度指标", "满意度", "≥95%", "95%", "10", "10", ""],
    ]
    rows = standard_rows(indicators=indicators, repeat_header=True)
    ev = one(Doc().para("..0项目支出绩效自评表").para("（ 2024 年度）").table(rows, row_sdt=0), tmp_path)
    assert [i.name for i in ev.indicators] == ["人数", "能力", "满意度"]
    assert ev.indicators[0].actual == "100人"
    assert ev.indicators[1].reason == "原因一\n改进一"
    assert ev.name == "测试项目" and ev.year == 2024


def test_a_lone_total_table_belongs_to_the_form_without_a_total(tmp_path):
    first = standard_rows(name="甲项目")[:-1]  # no 总分 row
    doc = (
        Doc().para("（2024年度）").table(first)
        .para("（2024年度）").table(standard_rows(name="乙项目", total="97.22"))
        .table([["总分", "100", "97.3", ""]], columns=4)
    )
    evaluations = read_docx(doc.save(tmp_path / "lone.docx"))
    assert [(e.name, e.reported_total) for e in evaluations] == [("甲项目", Decimal("97.3")), ("乙项目", Decimal("97.22"))]


def test_another_column_layout_is_read_by_its_labels(tmp_path):
    # 11 grid columns, labels two columns wide, no 绩效指标 column, 二级 repeated in every row.
    rows = [
        [C("项目支出绩效自评表（2022年度）", 11)],
        [C("项目名称", 2), C("宽表项目", 9)],
        [C("主管部门", 2), C("某局", 4), C("实施单位", 2), C("某中心", 3)],
        [C("项目资金（万元）", 2, v="restart"), C("", 2), C("年初预算数", 2), C("全年预算数", 2), C("全年执行数", 2), "执行率"],
        [C("", 2, v="continue"), C("年度资金总额", 2), C("100", 2), C("80", 2), C("60", 2), "75%"],
        [C("年度总体目标", 2, v="restart"), C("预期目标", 5), C("实际完成情况", 4)],
        [C("", 2, v="continue"), C("甲", 5), C("乙", 4)],
        [C("一级指标", 2), "二级指标", C("三级指标", 2), "年度指标值", "实际完成值", "分值", "得分", C("偏差原因分析及改进措施", 2)],
        [C("产出指标", 2, v="restart"), "数量指标", C("人数", 2), "≥10人", "10人", "60", "60", C("", 2)],
        [C("", 2, v="continue"), "数量指标", C("次数", 2), "≥2次", "1次", "30", "15", C("临时取消", 2)],
        [C("总分", 6), "100", "90.5", C("", 3)],
    ]
    ev = one(Doc().table(rows, columns=11), tmp_path)
    assert ev.year == 2022 and ev.name == "宽表项目" and ev.implementer == "某中心"
    assert ev.budget.total.full_year == Decimal(80) and ev.budget.total.executed == Decimal(60)
    assert ev.goals.expected == "甲" and ev.goals.actual == "乙"
    assert [(i.level1, i.name, i.weight, i.score, i.reason) for i in ev.indicators] == [
        ("产出指标", "人数", Decimal(60), Decimal(60), ""),
        ("产出指标", "次数", Decimal(30), Decimal(15), "临时取消"),
    ]
    assert ev.reported_total == Decimal("90.5")
    assert assess(ev).total == Decimal("82.5")


def test_labels_and_values_in_one_cell_and_other_column_names(tmp_path):
    rows = standard_rows()
    rows[0] = [C("项目名称：合并单元格项目", 9)]
    rows[1] = [C("主管部门: 某区财政局", 4), C("实施单位：某中心", 5)]
    rows[3] = [C("项目资金|（万元）", v="restart"), C("", 2), "年初预算数（万元）", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"]
    rows[10] = [C("绩效指标", v="restart"), "一级指标", "二级指标", "三级指标（名称）", "年度指标值(A)", "实际完成值(B)", "指标分值", "自评得分", "偏差原因分析及改进措施"]
    ev = one(Doc().para("（2024年度）").table(rows), tmp_path)
    assert (ev.name, ev.department, ev.implementer) == ("合并单元格项目", "某区财政局", "某中心")
    assert [i.weight for i in ev.indicators] == [50, 0, 30, 10]
    assert assess(ev).total == Decimal("97.22")


# ---------------------------------------------------------------- bad input

def _zip(path: Path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _bomb(path: Path, megabytes: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):  # inflates about 1000 times its packed size
                handle.write(chunk)
    return path


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    seed = SEED_DOCX.read_bytes()
    (tmp / "not-zip.docx").write_text("这不是 Word 文件", encoding="utf-8")
    (tmp / "truncated.docx").write_bytes(seed[: len(seed) // 2])
    (tmp / "empty.docx").write_bytes(b"")
    _zip(tmp / "sheet.docx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    Doc().para("一份普通的通知").save(tmp / "no-form.docx")
    # a table whose only text is the label 项目名称: no name, no indicator, so no form (new-user pass:
    # this exited 0 having written 未命名.toml holding only name = "")
    Doc().para("一份普通的通知").table([["项目名称", ""], ["", ""]], columns=2).save(tmp / "label-only.docx")
    _zip(tmp / "entities.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": BILLION_LAUGHS})
    return {
        "not-zip": (tmp / "not-zip.docx", "不是 Word 文档"),
        "truncated": (tmp / "truncated.docx", "不是 Word 文档"),
        "empty": (tmp / "empty.docx", "空"),
        "spreadsheet": (tmp / "sheet.docx", "Excel"),
        "no-form": (tmp / "no-form.docx", "没有找到自评表"),
        "label-only": (tmp / "label-only.docx", "没有找到自评表"),
        "entities": (tmp / "entities.docx", "实体"),
        "zip-bomb": (_bomb(tmp / "bomb.docx", 600), "zip 炸弹"),
        "dense-member": (_bomb(tmp / "dense.docx", 20), "压缩比异常"),
        "missing": (tmp / "missing.docx", "不存在"),
    }


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    return _bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize("case", ["not-zip", "truncated", "empty", "spreadsheet", "no-form", "label-only", "entities", "zip-bomb", "dense-member", "missing"])
def test_bad_documents_give_one_clear_line_and_write_nothing(tmp_path, bad_inputs, case):
    path, words = bad_inputs[case]
    out = tmp_path / "out"
    result = run("import", str(path), "-o", str(out))
    assert result.returncode in (1, 2)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and words in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert list(out.iterdir()) == [], "nothing is written"


def test_one_bad_document_does_not_stop_the_others(tmp_path, bad_inputs):
    out = tmp_path / "out"
    result = run("import", str(bad_inputs["not-zip"][0]), str(SEED_DOCX), str(bad_inputs["zip-bomb"][0]), "-o", str(out))
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 9
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 2
    assert len(list(out.glob("*.toml"))) == 9


def test_read_docx_raises_import_error_not_anything_else(bad_inputs):
    for path, _ in bad_inputs.values():
        with pytest.raises(ImportError_):
            read_docx(path)


# ---------------------------------------------------------------- real forms of other regions

REAL = Path(__file__).parent / "fixtures" / "real"


@pytest.mark.parametrize("name", ["yunnan-lijiang-2020", "sichuan-zhongjiang-2022"])
def test_real_forms_of_other_regions_read_as_expected(tmp_path, name):
    out = tmp_path / "out"
    result = run("import", str(REAL / f"{name}.docx"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    check = run("check", str(out), "--json")
    report = json.loads(check.stdout, parse_float=Decimal)
    expected = json.loads((REAL / f"{name}.expected.json").read_text(encoding="utf-8"), parse_float=Decimal)
    assert mismatches(report, expected) == []
    got = report["evaluations"][0]
    assert got["budget_extra"] == [] and got["notes"] == []
    assert [i["name"] for i in got["indicators"]] == [i["name"] for i in expected[0]["indicators"]]


def test_import_says_which_layout_it_recognised_and_what_it_inferred(tmp_path):
    yunnan = run("import", str(REAL / "yunnan-lijiang-2020.docx"), "-o", str(tmp_path / "a"))
    assert "标题在表格内" in yunnan.stderr
    assert "指标值由指标性质、指标值、度量单位三列合成" in yunnan.stderr
    sichuan = run("import", str(REAL / "sichuan-zhongjiang-2022.docx"), "-o", str(tmp_path / "b"))
    assert "分值列在年度指标值之前" in sichuan.stderr
    assert "负责人「谢凯」、电话「13990260322(办公)」" in sichuan.stderr
    assert "没有年初预算数" in sichuan.stderr
    seed = run("import", str(SEED_DOCX), "-o", str(tmp_path / "c"))
    assert seed.stderr == "", "the national layout needs no explanation"


# ---------------------------------------------------------------- layouts built here (docs/variants.md)

def _problems(ev) -> set[tuple[str, str | None]]:
    return {(p.code, p.indicator) for p in assess(ev).problems}


def test_sub_rows_under_merged_weight_and_score_have_neither(tmp_path):
    indicators = [
        [C("产出指标", v="restart"), C("数量指标", v="restart"), "★新建道路", "≥5公里", "5公里", C("30", v="restart"), C("30", v="restart"), ""],
        [C(v="bare"), C(v="bare"), "其中：硬化路面", "≥3公里", "3公里", C(v="bare"), C(v="bare"), ""],
        [C(v="bare"), C(v="bare"), "其中：砂石路面", "≥2公里", "1公里", C(v="bare"), C(v="bare"), ""],
        [C(v="bare"), C("质量指标"), "合格率", "≥95%", "96%", "20", "20", ""],
        [C("效益指标"), "社会效益指标", "出行便利", "提高", "提高", "30", "30", ""],
        [C("满意度指标"), "服务对象满意度指标", "满意度", "≥95%", "95%", "10", "10", ""],
    ]
    path = Doc().para("（2023年度）").table(standard_rows(indicators=indicators)).save(tmp_path / "anhui.docx")
    ev = read_docx(path)[0]
    assert [(i.name, i.target, i.actual, i.weight, i.score) for i in ev.indicators[:3]] == [
        ("★新建道路", "≥5公里", "5公里", Decimal(30), Decimal(30)),
        ("其中：硬化路面", "≥3公里", "3公里", None, None),
        ("其中：砂石路面", "≥2公里", "1公里", None, None),
    ]
    result = assess(ev)
    assert result.weight_total == 100 and result.total == Decimal("97.22")
    assert not [p for p in result.problems if p.indicator and p.indicator.startswith("其中")]
    said = run("import", str(path), "-o", str(tmp_path / "out"))
    assert "「其中」子行 2 行" in said.stderr


def test_equal_weights_merged_over_two_real_indicators_stay_on_both(tmp_path):
    indicators = [
        [C("产出指标", v="restart"), C("数量指标", v="restart"), "甲", "≥5个", "5个", C("25", v="restart"), C("25", v="restart"), ""],
        [C(v="bare"), C(v="bare"), "乙", "≥3个", "3个", C(v="bare"), C(v="bare"), ""],
        [C("效益指标"), "社会效益指标", "出行便利", "提高", "提高", "30", "30", ""],
        [C("满意度指标"), "服务对象满意度指标", "满意度", "≥95%", "95%", "10", "10", ""],
    ]
    ev = one(Doc().table(standard_rows(indicators=indicators)), tmp_path)
    assert [i.weight for i in ev.indicators] == [25, 25, 30, 10]


def sichuan_department_rows() -> list[list[C | str]]:
    """四川 部门预算项目支出绩效自评表 (2023) as variants.md describes it, 11 grid columns."""
    bare = C(v="bare")
    return [
        [C("报表编号：510000-2023-0012", 11)],
        [C("部门预算项目支出绩效自评表(2023年度)", 11)],
        ["项目名称", C("乡村道路养护", 4), C("实施单位（盖章）", 2), C("某县交通运输局", 4)],
        ["主管部门", C("某县交通运输局", 4), C("项目负责人", 2), C("李四", 4)],
        [C("项目基本情况", v="restart"), C("项目年度目标", 2), C("养护乡村道路100公里。", 8)],
        [bare, C("年度目标完成情况", 2), C("养护102公里，|群众满意。", 8)],
        [bare, C("项目实施内容及过程概述", 2), C("三月招标，四月开工，十月验收。", 8)],
        [C("预算执行情况(10分)", v="restart"), C("", 2), "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", C("原因", 2)],
        [bare, C("总额", 2), "100", "100", "90", "90%", "10", "9", C("部分工程款次年支付", 2, v="restart")],
        [bare, C("其中：财政资金", 2), "80", "80", "72", "", "", "", C(span=2, v="bare")],
        [bare, C("财政专户管理资金", 2), "/", "/", "/", "", "", "", C(span=2, v="bare")],
        [bare, C("单位资金", 2), "20", "20", "18", "", "", "", C(span=2, v="bare")],
        [bare, C("其他资金", 2), "", "", "", "", "", "", C(span=2, v="bare")],
        [C("绩效指标(90分)", v="restart"), "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"],
        [bare, C("产出指标", v="restart"), "数量指标", "养护里程", "≥", "100", "公里", "102公里", "60", "60", "/"],
        [bare, C("效益指标"), "社会效益指标", "群众满意度", "≥", "90", "%", "85%", "30", "28", "部分路段施工期长"],
        ["合计", C("", 7), "100", "97", "/"],
        ["评价结论", C("项目完成较好。", 10)],
        ["存在问题", C("资金拨付偏慢。", 10)],
        ["改进措施", C("加快拨付进度。", 10)],
        [C("项目负责人：        财务负责人：", 11)],
    ]


def test_the_sichuan_department_budget_form(tmp_path):
    path = Doc().table(sichuan_department_rows(), columns=11).save(tmp_path / "sichuan.docx")
    ev = read_docx(path)[0]
    assert (ev.name, ev.year, ev.implementer, ev.department, ev.leader) == (
        "乡村道路养护", 2023, "某县交通运输局", "某县交通运输局", "李四")
    assert ev.goals.expected == "养护乡村道路100公里。"
    assert ev.goals.actual == "养护102公里，\n群众满意。"
    total, appropriation = ev.budget.total, ev.budget.appropriation
    assert (total.initial, total.full_year, total.executed) == (100, 100, 90)
    assert (appropriation.initial, appropriation.full_year, appropriation.executed) == (80, 80, 72)
    assert [(b.label, b.initial, b.full_year, b.executed) for b in ev.budget_extra] == [
        ("财政专户管理资金", None, None, None), ("单位资金", 20, 20, 18)]
    assert [(i.level1, i.name, i.target, i.actual, i.weight, i.score, i.reason) for i in ev.indicators] == [
        ("产出指标", "养护里程", "≥100公里", "102公里", 60, 60, ""),
        ("效益指标", "群众满意度", "≥90%", "85%", 30, 28, "部分路段施工期长"),
    ]
    assert [(n.label, n.text) for n in ev.notes] == [
        ("原因", "部分工程款次年支付"),
        ("报表编号", "510000-2023-0012"),
        ("项目实施内容及过程概述", "三月招标，四月开工，十月验收。"),
        ("评价结论", "项目完成较好。"),
        ("存在问题", "资金拨付偏慢。"),
        ("改进措施", "加快拨付进度。"),
        ("落款", "项目负责人： 财务负责人："),
    ]
    assert ev.reported_total == 97
    result = assess(ev)
    assert result.weight_total == 100 and result.total == 97
    codes = {code for code, _ in _problems(ev)}
    assert not codes & {"budget-missing", "weights-total", "reported-total", "score-missing"}
    said = run("import", str(path), "-o", str(tmp_path / "out"))
    assert said.returncode == 0 and "部门预算项目支出绩效自评表" in said.stderr and "合计行" in said.stderr


def test_a_half_filled_form_imports_and_its_problems_say_what_is_missing(tmp_path):
    indicators = [
        [C("产出指标", v="restart"), "数量指标", "培训人数", "≥100人", "", "50", "", ""],
        [C("效益指标"), "社会效益指标", "履职能力", "提高", "", "30", "", ""],
        [C("满意度指标"), "服务对象满意度指标", "满意度", "≥95%", "/", "10", "", ""],
    ]
    rows = standard_rows(indicators=indicators, execution_score="", total="")
    rows[3 + 1 + 5] = [C(v="bare"), C("年度内完成培训。", 4), C("对照年度目标，说明……（100字以内）", 4)]
    path = Doc().para("（2023年度）").table(rows).save(tmp_path / "half.docx")
    ev = read_docx(path)[0]
    assert ev.goals.actual == "" and ev.goals.expected == "年度内完成培训。"
    assert [(i.actual, i.score) for i in ev.indicators] == [("", None)] * 3
    problems = _problems(ev)
    for name in ("培训人数", "履职能力", "满意度"):
        assert ("actual-missing", name) in problems and ("score-missing", name) in problems
    said = run("import", str(path), "-o", str(tmp_path / "out"))
    assert said.returncode == 0 and "模板说明文字按空白读取" in said.stderr


def test_a_cell_the_reader_cannot_place_is_named_on_stderr(tmp_path):
    rows = standard_rows()
    rows.insert(3, ["项目类别", C("专项", 3), "资金来源", C("区级", 4)])
    path = Doc().table(rows).save(tmp_path / "odd.docx")
    said = run("import", str(path), "-o", str(tmp_path / "out"))
    assert said.returncode == 0
    assert "警告" in said.stderr and "项目类别" in said.stderr and "表1第4行" in said.stderr


def test_extra_budget_lines_and_notes_survive_export_and_import(tmp_path):
    source = Doc().table(sichuan_department_rows(), columns=11).save(tmp_path / "sichuan.docx")
    out = tmp_path / "out"
    assert run("import", str(source), "-o", str(out)).returncode == 0
    toml = (out / "乡村道路养护.toml").read_text(encoding="utf-8")
    assert toml.startswith("schema_version = 2") and "单位资金" in toml and "评价结论" in toml
    check = json.loads(run("check", str(out), "--json").stdout)["evaluations"][0]
    assert check["budget_extra"] == [
        {"label": "财政专户管理资金", "initial": None, "full_year": None, "executed": None},
        {"label": "单位资金", "initial": 20, "full_year": 20, "executed": 18},
    ]
    assert {"label": "评价结论", "text": "项目完成较好。"} in check["notes"] and len(check["notes"]) == 7
    exported = tmp_path / "exported.docx"
    assert run("export", str(out), "-o", str(exported)).returncode == 0
    again = tmp_path / "again"
    result = run("import", str(exported), "-o", str(again))
    assert result.returncode == 0, result.stderr
    assert "警告" not in result.stderr
    first, second = read_docx(source)[0], read_docx(exported)[0]
    assert second.budget_extra == first.budget_extra
    assert second.notes == first.notes
    assert second.budget == first.budget and second.indicators == first.indicators
    assert (again / "乡村道路养护.toml").read_text(encoding="utf-8") == toml


# ---------------------------------------------------------------- .doc .wps .docm

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


@needs_soffice
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_an_old_word_file_of_the_seed_gives_the_same_nine_forms(tmp_path, suffix, expected_forms):
    doc = tmp_path / f"seed{suffix}"
    shutil.copyfile(SEED_DOC, doc)
    result = run("import", str(doc), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 9
    check = run("check", str(tmp_path / "out"), "--json")
    assert mismatches(json.loads(check.stdout, parse_float=Decimal), expected_forms) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", f"seed{suffix}"], "nothing left beside the input"


def test_without_libreoffice_a_doc_gets_one_line_naming_what_to_install(tmp_path):
    (tmp_path / "out").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "evaltui", "import", str(SEED_DOC), "-o", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PATH": ""},
    )
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "LibreOffice" in lines[0] and "libreoffice-writer-nogui" in lines[0]
    assert list((tmp_path / "out").iterdir()) == []


def test_a_doc_that_is_not_word_gets_one_line(tmp_path):
    fake = tmp_path / "通知.doc"
    fake.write_text("这是一段纯文本，不是 Word 文档", encoding="utf-8")
    result = run("import", str(fake), "-o", str(tmp_path / "out"))
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1 and "不是 Word 文档" in lines[0]
    assert "Traceback" not in result.stderr and list((tmp_path / "out").iterdir()) == []


def test_conversion_runs_in_a_private_profile_and_is_stopped_at_the_time_limit(tmp_path, monkeypatch):
    from evaltui.word import convert

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    args_file = tmp_path / "args"
    fake = bin_dir / "soffice"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{args_file}"\nsleep 30 &\nwait\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setattr(convert, "TIMEOUT_SECONDS", 1)
    with pytest.raises(convert.ConversionError, match="超过 1 秒"):
        with convert.readable(SEED_DOC):
            pass
    args = args_file.read_text(encoding="utf-8").splitlines()
    profile = next(a for a in args if a.startswith("-env:UserInstallation=file:///"))
    assert "evaltui-convert-" in profile and "--headless" in args and "docx" in args
    assert not Path(profile.removeprefix("-env:UserInstallation=file://")).exists(), "the profile is removed"


def test_a_docm_is_read_directly_without_libreoffice(tmp_path, expected_forms):
    docm = tmp_path / "seed.docm"
    with zipfile.ZipFile(SEED_DOCX) as source, zipfile.ZipFile(docm, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
            target.writestr(item, data)
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros are never opened")
    (tmp_path / "out").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "evaltui", "import", str(docm), "-o", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    check = run("check", str(tmp_path / "out"), "--json")
    assert mismatches(json.loads(check.stdout, parse_float=Decimal), expected_forms) == []


def test_a_docm_with_an_entity_bomb_is_refused_like_a_docx(tmp_path, bad_inputs):
    docm = tmp_path / "bomb.docm"
    shutil.copyfile(bad_inputs["entities"][0], docm)
    result = run("import", str(docm), "-o", str(tmp_path / "out"))
    assert result.returncode == 1 and "实体" in result.stderr and len(result.stderr.splitlines()) == 1


def test_national_with_slips_template_names_and_a_missing_bracket(tmp_path):
    indicators = [
        [C("产出指标", v="restart"), "数量指标", "指标1工程资金金额", "≤31万元", "30万元", "50", "50", ""],
        [C(v="bare"), "质量指标", "指标2：", "", "", "", "", ""],
        [C("效益指标"), "社会效益指标", "履职能力", "提高", "提高", "30", "30", ""],
        [C("满意度指标"), "服务对象满意度指标", "满意度", "≥95%", "95%", "10", "10", ""],
    ]
    doc = Doc().para("附件1").para("项目支出绩效自评表").para("2019年度)").table(standard_rows(indicators=indicators, total="97.22"))
    ev = one(doc, tmp_path)
    assert ev.year == 2019
    assert [i.name for i in ev.indicators] == ["工程资金金额", "履职能力", "满意度"]
    assert assess(ev).weight_total == 100


def test_import_refuses_a_missing_output_folder_as_export_and_summary_do(tmp_path):
    """``import -o /no/such/dir`` made the folder, where export and summary refuse one."""
    missing = tmp_path / "no" / "such"
    result = subprocess.run([sys.executable, "-m", "evaltui", "import", str(SEED_DOCX), "-o", str(missing)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert str(missing) in line and "文件夹不存在" in line
    assert not (tmp_path / "no").exists()
