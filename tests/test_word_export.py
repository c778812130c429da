"""`evaltui export`: the official layout, computed figures, and export → import round trips."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import EXAMPLES
from lxml import etree

from evaltui import files, store
from evaltui.model import Evaluation, Goals, Indicator
from evaltui.rules import assess
from evaltui.word.read import read_docx
from evaltui.word.write import write_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROUND_TRIP_FIELDS = ("name", "year", "department", "implementer", "leader", "phone", "budget", "goals")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evaltui", *args], capture_output=True, text=True, timeout=120)


def examples() -> list[Evaluation]:
    return [store.load(p) for p in files.find([EXAMPLES])]


def comparable(ev: Evaluation) -> dict:
    data = ev.model_dump(include=set(ROUND_TRIP_FIELDS) | {"indicators"})
    for ind in data["indicators"]:
        ind.pop("direction")  # Word has no place for an explicit direction
    return data


def test_export_then_import_gives_back_the_same_evaluations(tmp_path):
    originals = examples()
    path = tmp_path / "all.docx"
    write_docx(originals, path)
    back = read_docx(path)
    assert [comparable(e) for e in back] == [comparable(e) for e in originals]
    # the 总分 row carries the computed total
    assert [e.reported_total for e in back] == [assess(e).total for e in originals]


def test_round_trip_keeps_odd_text_multi_line_reasons_and_invalid_scores(tmp_path):
    ev = Evaluation(
        name="[/bold]危险[red]名称[/ <&> \"引号\"", year=2025,
        goals=Goals(expected="第一行\n第二行", actual=""),
        indicators=(
            Indicator(level1="产出指标", level2="数量指标", name="甲", target="≥1", actual="1", weight="50", score="满分"),
            Indicator(level1="产出指标", level2="数量指标", name="乙", target="≤2天", actual="3天", weight="20", score="10",
                      reason="偏差原因：甲。\n改进措施：乙。"),
            Indicator(level1="效益指标", level2="社会效益指标", name="丙", target="提高", actual="提高", weight="20", score="20"),
        ),
    )
    path = tmp_path / "odd.docx"
    write_docx([ev], path)
    (back,) = read_docx(path)
    assert comparable(back) == comparable(ev)


def test_layout_a4_chinese_font_borders_widths_and_page_breaks(tmp_path):
    path = tmp_path / "all.docx"
    write_docx(examples(), path)
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
    size = document.find(f".//{W}sectPr/{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    assert size.get(f"{W}orient") in (None, "portrait")
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "宋体"
    tables = document.findall(f".//{W}tbl")
    assert len(tables) == 2 * 9, "each form: a table for header, budget and goals, one for the indicators"
    for table in tables:
        grid = [int(c.get(f"{W}w")) for c in table.find(f"{W}tblGrid")]
        assert table.find(f"{W}tblPr/{W}tblBorders/{W}insideH") is not None
        for row in table.findall(f"{W}tr"):
            column = 0
            for cell in row.findall(f"{W}tc"):
                span_el = cell.find(f"{W}tcPr/{W}gridSpan")
                span = int(span_el.get(f"{W}val")) if span_el is not None else 1
                assert int(cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) == sum(grid[column: column + span])
                assert cell.find(f"{W}tcPr/{W}tcBorders") is not None
                column += span
            assert column == len(grid)
    breaks = document.findall(f".//{W}pageBreakBefore")
    assert len(breaks) == 8


def _cell_texts(row) -> list[str]:
    return ["".join(cell.itertext()) for cell in row.findall(f"{W}tc")]


def test_the_indicator_header_is_the_first_row_of_its_table_and_repeats(tmp_path):
    path = tmp_path / "all.docx"
    write_docx(examples(), path)
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    tables = document.findall(f".//{W}tbl")
    for top, block in zip(tables[::2], tables[1::2]):
        assert top.find(f".//{W}tblHeader") is None
        rows = block.findall(f"{W}tr")
        assert _cell_texts(rows[0])[1:4] == ["一级指标", "二级指标", "三级指标"]
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row.find(f"{W}trPr/{W}tblHeader") is None for row in rows[1:])
        assert _cell_texts(rows[-1])[0] == "总分"
        # a paragraph stands between the two tables: adjacent tables would be joined into one
        between = top.getnext()
        assert between.tag == f"{W}p" and between.getnext() is block


def test_the_indicator_name_is_wide_and_in_the_body_size(tmp_path):
    path = tmp_path / "one.docx"
    write_docx([store.load(EXAMPLES / "信息系统运行维护服务.toml")], path)
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    block = document.findall(f".//{W}tbl")[1]
    grid = [int(c.get(f"{W}w")) for c in block.find(f"{W}tblGrid")]
    assert grid[3] == max(grid) and grid[3] >= 2200  # ten characters of 五号 a line
    first = block.findall(f"{W}tr")[1].findall(f"{W}tc")[3]
    assert "系统运维" in "".join(first.itertext())
    assert {sz.get(f"{W}val") for sz in first.iter(f"{W}sz")} == {"21"}  # 五号, as the body text


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice or poppler missing")
def test_libreoffice_repeats_the_indicator_header_on_the_continuation_page(tmp_path):
    # 信息系统运行维护服务 has 22 indicators: its block runs over two pages
    path = tmp_path / "long.docx"
    write_docx([store.load(EXAMPLES / "信息系统运行维护服务.toml")], path)
    converted = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=300,
    )
    assert converted.returncode == 0, converted.stderr
    pdf = tmp_path / "long.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for page in pages[1:]:
        head = " ".join(page.strip().splitlines()[:2])  # the header row is two lines high
        assert "三级指标" in head and "年度指标值" in head and "绩效" in head, head


def test_export_shows_the_rules_figures(tmp_path):
    ev = store.load(EXAMPLES / "调研经费.toml")
    path = tmp_path / "one.docx"
    write_docx([ev], path)
    with zipfile.ZipFile(path) as archive:
        text = "".join(etree.fromstring(archive.read("word/document.xml")).itertext())
    assert "72.15%" in text and "7.22" in text and "93.22" in text and "72.2%" not in text


def test_export_command(tmp_path):
    out = tmp_path / "out.docx"
    result = run("export", str(EXAMPLES), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout and "9" in result.stdout
    assert len(read_docx(out)) == 9


def test_export_reports_a_broken_file_and_exports_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.toml").write_text((EXAMPLES / "调研经费.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.toml").write_text("name = \n", encoding="utf-8")
    result = run("export", str(folder), "-o", str(tmp_path / "out.docx"))
    assert result.returncode == 1
    assert "b.toml" in result.stderr and "Traceback" not in result.stderr
    assert len(read_docx(tmp_path / "out.docx")) == 1


def test_export_usage_errors(tmp_path):
    assert run("export", str(EXAMPLES), "-o", str(tmp_path / "out.pdf")).returncode == 2
    assert run("export", str(tmp_path), "-o", str(tmp_path / "out.docx")).returncode == 2
    assert run("export", str(EXAMPLES)).returncode == 2
    missing = run("export", str(tmp_path / "nope"), "-o", str(tmp_path / "out.docx"))
    assert missing.returncode == 2 and "文件或文件夹不存在" in missing.stderr  # as check says it
    partly = run("export", str(tmp_path / "nope"), str(EXAMPLES), "-o", str(tmp_path / "out.docx"))
    assert partly.returncode == 1 and len(read_docx(tmp_path / "out.docx")) == 9


def test_a_blank_executed_amount_exports_no_rate(tmp_path):
    """A blank 全年执行数 is no execution rate, not 0 % (the rules say so; the export follows)."""
    ev = store.load(EXAMPLES / "调研经费.toml")
    total = ev.budget.total.model_copy(update={"executed": None})
    ev = ev.model_copy(update={"budget": ev.budget.model_copy(update={"total": total})})
    path = tmp_path / "one.docx"
    write_docx([ev], path)
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    rows = [_cell_texts(row) for row in document.iter(f"{W}tr")]
    (line,) = [cells for cells in rows if "年度资金总额" in "".join(cells[:2])]
    assert line[-3:] == ["10", "", "0"], line
    assert "86" in _cell_texts(next(r for r in document.iter(f"{W}tr") if "总分" in _cell_texts(r)[0]))[-2]
