"""Evaluations → one Word document in the official layout, one form per page.

The table XML is built directly (python-docx's ``cell.merge`` and cell lookups are
quadratic); python-docx supplies the package, styles and section. Execution rate, its score
and the total come from the rules. Chinese text is set in a Chinese font through
``w:eastAsia`` in the document defaults and the Normal style.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from evaltui import store
from evaltui.labels import AMOUNT_COLUMNS, BUDGET_LINES, GOAL_FIELDS, HEADER_FIELDS, NOT_APPLICABLE
from evaltui.model import Evaluation
from evaltui.numbers import plain
from evaltui.rules import NATIONAL, Rules, assess

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
LATIN_FONT = "Times New Roman"
TITLE = "项目支出绩效自评表"

# A4 portrait in twentieths of a point; margins 1.8 cm left and right, 2 cm top and bottom.
PAGE_W, PAGE_H = 11906, 16838
MARGIN_X, MARGIN_Y = 1020, 1134
COLUMNS = (560, 1000, 1400, 1660, 1160, 1160, 620, 800, 1506)  # sums to the text width, 9866
# The indicator block is a table of its own, so that its header row comes first and repeats on
# every page the block runs over (w:tblHeader works only on a table's first rows). Its columns:
# 绩效指标, 一级, 二级, 三级指标 (ten characters of body text a line), 年度指标值, 实际完成值,
# 分值, 得分, 偏差原因分析及改进措施; the same text width.
INDICATOR_COLUMNS = (560, 960, 980, 2220, 1240, 1240, 560, 660, 1446)
BODY_SIZE, SMALL_SIZE, TITLE_SIZE, YEAR_SIZE = 21, 18, 36, 28  # half-points: 五号, 小五, 小二, 四号

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(text: str) -> str:
    return escape(_ILLEGAL_XML.sub("", text))


def _show(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    return plain(value) if isinstance(value, Decimal) else value


# ---------------------------------------------------------------- XML pieces

def _run(text: str, *, size: int, bold: bool = False, font: str | None = None) -> str:
    fonts = f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{font}"/>' if font else ""
    props = f'{fonts}{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'


def _paragraph(text: str, *, size: int = BODY_SIZE, align: str = "center", bold: bool = False,
               font: str | None = None, page_break: bool = False, after: int = 0) -> str:
    props = (
        ("<w:pageBreakBefore/>" if page_break else "")
        + f'<w:spacing w:before="0" w:after="{after}" w:line="240" w:lineRule="auto"/>'
        + f'<w:jc w:val="{align}"/>'
    )
    run = _run(text, size=size, bold=bold, font=font) if text else ""
    return f"<w:p><w:pPr>{props}</w:pPr>{run}</w:p>"


_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right")
)


@dataclass(frozen=True)
class _Cell:
    text: str = ""
    span: int = 1
    merge: str | None = None  # "restart", "continue" or None
    align: str = "center"
    lines: bool = False  # each line of the text its own paragraph
    vertical: bool = False  # one character per line, as the 绩效指标 label is printed
    size: int = BODY_SIZE


def _cell_xml(cell: _Cell, column: int, grid: tuple[int, ...]) -> str:
    width = sum(grid[column: column + cell.span])
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if cell.span > 1:
        props += f'<w:gridSpan w:val="{cell.span}"/>'
    if cell.merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif cell.merge == "continue":
        props += "<w:vMerge/>"
    props += f'<w:tcBorders>{_BORDERS}</w:tcBorders><w:vAlign w:val="center"/>'
    if cell.merge == "continue":
        lines = [""]
    elif cell.vertical:
        lines = list(cell.text)
    elif cell.lines:
        lines = cell.text.split("\n")
    else:
        lines = [cell.text]
    paragraphs = "".join(_paragraph(line, size=cell.size, align=cell.align) for line in lines)
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def _row(cells: list[_Cell], grid: tuple[int, ...], *, header: bool = False) -> str:
    parts, column = [], 0
    for cell in cells:
        parts.append(_cell_xml(cell, column, grid))
        column += cell.span
    assert column == len(grid), f"a row covers {column} columns"
    props = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    return f"<w:tr><w:trPr>{props}</w:trPr>" + "".join(parts) + "</w:tr>"


def _table_start(grid: tuple[int, ...]) -> str:
    columns = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    return (
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{sum(grid)}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{_BORDERS}"
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="0"/>'
        f"</w:tblPr><w:tblGrid>{columns}</w:tblGrid>"
    )


# Between the two tables of a form: a paragraph one point high. Without it Word and LibreOffice
# join adjacent tables into one, and the indicator header would no longer be a first row.
_SEPARATOR = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>'
)


# ---------------------------------------------------------------- the form

def _header_rows(ev: Evaluation) -> list[list[_Cell]]:
    label = dict(HEADER_FIELDS)
    return [
        [_Cell(label["name"], 2), _Cell(ev.name, 7)],
        [_Cell(label["department"], 2), _Cell(ev.department, 3), _Cell(label["implementer"], 2), _Cell(ev.implementer, 2)],
        [_Cell(label["leader"], 2), _Cell(ev.leader, 3), _Cell(label["phone"], 2), _Cell(ev.phone, 2)],
    ]


def _budget_rows(ev: Evaluation, rate: Decimal | None, score: Decimal, points: Decimal) -> list[list[_Cell]]:
    rows = [[
        _Cell("项目资金（万元）", 2, "restart"), _Cell(""), *(_Cell(title) for _, title in AMOUNT_COLUMNS),
        _Cell("分值"), _Cell("执行率"), _Cell("得分"),
    ]]
    for line, label in BUDGET_LINES:
        amounts = getattr(ev.budget, line)
        if line == "total":
            tail = [_Cell(plain(points)), _Cell("" if rate is None else f"{plain(rate)}%"), _Cell(plain(score))]
        else:
            tail = [_Cell("—"), _Cell(""), _Cell("—")]
        rows.append([
            _Cell("", 2, "continue"), _Cell(label),
            *(_Cell(_show(getattr(amounts, column))) for column, _ in AMOUNT_COLUMNS),
            *tail,
        ])
    for extra in ev.budget_extra:  # lines the national form has no place for, under their own labels
        rows.append([
            _Cell("", 2, "continue"), _Cell(extra.label),
            *(_Cell(_show(getattr(extra, column))) for column, _ in AMOUNT_COLUMNS),
            _Cell("—"), _Cell(""), _Cell("—"),
        ])
    return rows


def _goal_rows(ev: Evaluation) -> list[list[_Cell]]:
    return [
        [_Cell("年度总体目标", 2, "restart"), _Cell(dict(GOAL_FIELDS)["expected"], 3), _Cell(dict(GOAL_FIELDS)["actual"], 4)],
        [_Cell("", 2, "continue"),
         _Cell(ev.goals.expected, 3, align="left", lines=True),
         _Cell(ev.goals.actual, 4, align="left", lines=True)],
    ]


def _runs(values: list[str]) -> list[str | None]:
    """Merge marks for a column: "restart" where a run of equal values starts, "continue" inside."""
    marks: list[str | None] = []
    for i, value in enumerate(values):
        if i > 0 and value and value == values[i - 1]:
            marks.append("continue")
        elif i + 1 < len(values) and value and values[i + 1] == value:
            marks.append("restart")
        else:
            marks.append(None)
    return marks


def _indicator_rows(ev: Evaluation) -> list[list[_Cell]]:
    header = [
        _Cell("绩效指标"), _Cell("一级指标"), _Cell("二级指标"), _Cell("三级指标"),
        _Cell("年度指标值"), _Cell("实际完成值"), _Cell("分值"), _Cell("得分"), _Cell("偏差原因分析及改进措施", size=SMALL_SIZE),
    ]
    indicators = ev.indicators or (None,)
    level1 = [ind.level1 if ind else "" for ind in indicators]
    # a second level merges only inside its first level
    level2 = [f"{ind.level1}\x00{ind.level2}" if ind and ind.level2 else "" for ind in indicators]
    marks1, marks2 = _runs(level1), _runs(level2)
    rows = [header]
    for i, ind in enumerate(indicators):
        if ind is None:
            rows.append([_Cell("") for _ in range(9)])
            continue
        rows.append([
            _Cell("", 1, "restart" if i == 0 and len(indicators) > 1 else "continue" if i else None),
            _Cell(ind.level1, merge=marks1[i]),
            _Cell(ind.level2, merge=marks2[i]),
            _Cell(ind.name, align="left"),
            _Cell(ind.target, size=SMALL_SIZE),
            _Cell(ind.actual, size=SMALL_SIZE),
            _Cell(_show(ind.weight)),
            _Cell(_show(ind.score) if ind.applicable else NOT_APPLICABLE),
            _Cell(ind.reason, align="left", lines=True, size=SMALL_SIZE),
        ])
    return rows


def _note_rows(ev: Evaluation) -> list[list[_Cell]]:
    """Texts the form held beyond the national fields (评价结论, 原因, 落款 …), a row each, under the total."""
    return [[_Cell(note.label, 2), _Cell(note.text, 7, align="left", lines=True)] for note in ev.notes]


def form_parts(ev: Evaluation, *, first: bool, rules: Rules = NATIONAL) -> Iterator[str]:
    """Title, year line and the two tables of one evaluation, scored by ``rules``, as WordprocessingML, a row at a time.

    The first table holds the header, budget and goals; the second the indicators, the total
    and the notes, its header row marked (w:tblHeader) to repeat on every page the indicators run over.
    """
    result = assess(ev, rules)
    year = f"（{ev.year}年度）" if ev.year is not None else "（    年度）"
    top = (
        _header_rows(ev)
        + _budget_rows(ev, result.execution_rate, result.execution_score, rules.execution_weight)
        + _goal_rows(ev)
    )
    yield (
        _paragraph(TITLE, size=TITLE_SIZE, bold=True, font=TITLE_FONT, page_break=not first, after=120)
        + _paragraph(year, size=YEAR_SIZE, after=120)
        + _table_start(COLUMNS)
    )
    for row in top:
        yield _row(row, COLUMNS)
    yield "</w:tbl>" + _SEPARATOR + _table_start(INDICATOR_COLUMNS)
    for i, row in enumerate(_indicator_rows(ev)):
        yield _row(row, INDICATOR_COLUMNS, header=i == 0)
    yield _row([_Cell("总分", 6), _Cell("100"), _Cell(plain(result.total)), _Cell("")], INDICATOR_COLUMNS)
    for row in _note_rows(ev):
        yield _row(row, INDICATOR_COLUMNS)
    yield "</w:tbl>"


def form_xml(ev: Evaluation, *, first: bool, rules: Rules = NATIONAL) -> str:
    """Title, year line and table of one evaluation, as WordprocessingML."""
    return "".join(form_parts(ev, first=first, rules=rules))


# ---------------------------------------------------------------- the document

def _set_fonts(document) -> None:
    """Document defaults and the Normal style in a Chinese font, language zh-CN."""
    styles = document.styles.element
    defaults = styles.find(f"{W}docDefaults")
    if defaults is None:
        defaults = etree.SubElement(styles, f"{W}docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(f"{W}rPrDefault")
    if rpr_default is None:
        rpr_default = etree.SubElement(defaults, f"{W}rPrDefault")
    for rpr in (_child(rpr_default, "rPr"), _child(_normal_style(styles), "rPr")):
        fonts = _child(rpr, "rFonts", first=True)
        fonts.attrib.clear()
        fonts.set(f"{W}ascii", LATIN_FONT)
        fonts.set(f"{W}hAnsi", LATIN_FONT)
        fonts.set(f"{W}eastAsia", BODY_FONT)
        fonts.set(f"{W}cs", LATIN_FONT)
        lang = _child(rpr, "lang")
        lang.set(f"{W}val", "en-US")
        lang.set(f"{W}eastAsia", "zh-CN")


def _normal_style(styles):
    for style in styles.findall(f"{W}style"):
        if style.get(f"{W}styleId") == "Normal":
            return style
    style = etree.SubElement(styles, f"{W}style")
    style.set(f"{W}type", "paragraph")
    style.set(f"{W}default", "1")
    style.set(f"{W}styleId", "Normal")
    return style


def _child(parent, name: str, *, first: bool = False):
    found = parent.find(f"{W}{name}")
    if found is None:
        found = etree.Element(f"{W}{name}")
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _set_page(document) -> None:
    section = document.sections[0]
    sect = section._sectPr
    size = _child(sect, "pgSz")
    size.attrib.clear()
    size.set(f"{W}w", str(PAGE_W))
    size.set(f"{W}h", str(PAGE_H))
    margins = _child(sect, "pgMar")
    margins.attrib.clear()
    for side, value in (("top", MARGIN_Y), ("right", MARGIN_X), ("bottom", MARGIN_Y), ("left", MARGIN_X),
                        ("header", 851), ("footer", 992), ("gutter", 0)):
        margins.set(f"{W}{side}", str(value))


def _template() -> tuple[bytes, bytes, bytes]:
    """python-docx's default package in our fonts and page, and its document.xml cut where
    the body's content goes: (package, document.xml up to the body's content, the rest)."""
    import docx
    from docx.opc.oxml import serialize_part_xml

    document = docx.Document()
    _set_fonts(document)
    _set_page(document)
    body = document.element.body
    sect = body.find(f"{W}sectPr")
    for child in list(body):
        if child is not sect:
            body.remove(child)
    xml = serialize_part_xml(document.element)
    at = xml.index(b"<w:sectPr")
    package = io.BytesIO()
    document.save(package)
    return package.getvalue(), xml[:at], xml[at:]


def to_bytes(evaluations: list[Evaluation], rules: Sequence[Rules] | None = None) -> bytes:
    """The .docx of every evaluation, each form on its own page, each scored by its rules
    (``rules``: one per evaluation, from its folder's evaltui.toml; default the national ones).

    The body is streamed into the package's document.xml a row at a time: time and memory
    grow in proportion to the indicators. (Inserting parsed tables into python-docx's tree
    was quadratic: 10,000 indicators took more than 14 minutes and 920 MB.)
    """
    package, head, tail = _template()
    rules = rules if rules is not None else [NATIONAL] * len(evaluations)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
                continue
            streamed = zipfile.ZipInfo(info.filename, info.date_time)
            streamed.compress_type = zipfile.ZIP_DEFLATED
            with target.open(streamed, "w") as stream:
                stream.write(head)
                chunk: list[str] = []
                for i, (ev, ev_rules) in enumerate(zip(evaluations, rules)):
                    for part in form_parts(ev, first=(i == 0), rules=ev_rules):
                        chunk.append(part)
                        if len(chunk) >= 256:
                            stream.write("".join(chunk).encode("utf-8"))
                            chunk.clear()
                stream.write("".join(chunk).encode("utf-8"))
                stream.write(tail)
    return out.getvalue()


def write_docx(evaluations: list[Evaluation], path: Path, rules: Sequence[Rules] | None = None) -> None:
    """Write the document atomically: a reader never sees half a file."""
    store.write_atomic(Path(path), to_bytes(evaluations, rules))
