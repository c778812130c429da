"""Build small Word documents the way other offices lay out the form, for import tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass
class C:
    """A cell: text (``|`` separates paragraphs), span, vertical merge, and optional wrappers."""

    text: str = ""
    span: int = 1
    v: str | None = None  # "restart", "continue" (written as w:val), "bare" (w:vMerge with no val)
    sdt: bool = False  # text inside a content control
    bookmark: bool = False


@dataclass
class Doc:
    blocks: list[str] = field(default_factory=list)

    def para(self, text: str, page_break: bool = False) -> Doc:
        br = '<w:r><w:br w:type="page"/></w:r>' if page_break else ""
        self.blocks.append(f"<w:p>{br}<w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>")
        return self

    def table(self, rows: list[list[C | str]], columns: int = 9, row_sdt: int | None = None) -> Doc:
        grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(columns))
        body = []
        for i, row in enumerate(rows):
            cells = "".join(_cell(c if isinstance(c, C) else C(c)) for c in row)
            tr = f"<w:tr>{cells}</w:tr>"
            if row_sdt == i:
                tr = f"<w:sdt><w:sdtPr/><w:sdtContent>{tr}</w:sdtContent></w:sdt>"
            body.append(tr)
        self.blocks.append(f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>")
        return self

    def save(self, path: Path) -> Path:
        import docx
        from docx.oxml import parse_xml

        document = docx.Document()
        body = document.element.body
        sect = body.find(f"{{{W_NS}}}sectPr")
        for child in list(body):
            if child is not sect:
                body.remove(child)
        fragment = parse_xml(f'<w:body xmlns:w="{W_NS}">{"".join(self.blocks)}</w:body>')
        for child in list(fragment):
            sect.addprevious(child)
        document.save(str(path))
        return path


def _cell(c: C) -> str:
    props = ""
    if c.span > 1:
        props += f'<w:gridSpan w:val="{c.span}"/>'
    if c.v == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif c.v == "continue":
        props += '<w:vMerge w:val="continue"/>'
    elif c.v == "bare":
        props += "<w:vMerge/>"
    paragraphs = []
    for text in c.text.split("|"):
        run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        if c.bookmark:
            run = '<w:bookmarkStart w:id="1" w:name="_x"/>' + run + '<w:bookmarkEnd w:id="1"/>'
        if c.sdt:
            run = f"<w:sdt><w:sdtPr/><w:sdtContent>{run}</w:sdtContent></w:sdt>"
        paragraphs.append(f"<w:p>{run}</w:p>")
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paragraphs)}</w:tc>"


def standard_rows(
    *,
    name: str = "测试项目",
    amounts: tuple[str, str, str] = ("72", "52", "37.52"),
    sub: tuple[str, str, str] = ("72", "52", "37.52"),
    total_label: str = "年度资金总额",
    sub_label: str = "其中：当年财政拨款",
    execution_score: str = "7.22",
    indicators: list[list[C | str]] | None = None,
    total: str = "97.22",
    repeat_header: bool = False,
) -> list[list[C | str]]:
    """A form in the seed's 9-column layout; indicators are 8-cell rows after the 绩效指标 column."""
    rows: list[list[C | str]] = [
        ["项目名称", C(name, 8)],
        ["主管部门", C("某区财政局", 3), "实施单位", C("某区财政局", 4)],
        ["项目负责人", C("张三", 3), "联系电话", C("010-12345678", 4)],
        [C("项目资金|（万元）", v="restart"), C("", 2), "年初|预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [C(v="bare"), C(total_label, 2), *amounts, "10", "", execution_score],
        [C(v="bare"), C(sub_label, 2), *sub, "—", "", "—"],
        [C(v="bare"), C("上年结转资金", 2), "", "", "", "—", "", "—"],
        [C(v="bare"), C("其他资金", 2), "", "", "", "—", "", "—"],
        [C("年度总体目标", v="restart"), C("预期目标", 4), C("实际完成情况", 4)],
        [C(v="bare"), C("目标一；|目标二。", 4), C("完成一。", 4)],
        [C("绩|效|指|标", v="restart"), "一级指标", "二级指标", "三级指标", "年度|指标值", "实际|完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ]
    default = [
        [C("产出指标", v="restart"), C("数量指标", v="restart"), "考察人数", "≥100人", "100人", "50", "50", ""],
        [C(v="bare"), C("质量指标"), "合格率", "≥95%", "96%", "0", "0", ""],
        [C("效益指标", v="restart"), C("社会效益指标"), "履职能力", "提高", "提高", "30", "30", ""],
        [C("满意度指标"), C("服务对象满意度指标"), "满意度", "≥95%", "95%", "10", "10", ""],
    ]
    for row in indicators or default:
        rows.append([C(v="bare"), *row])
        if repeat_header:
            repeat_header = False
            rows.append([C(v="bare"), "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
    rows.append([C("总分", 6), "100", total, ""])
    return rows
