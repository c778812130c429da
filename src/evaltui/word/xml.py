"""Walk a Word body once: paragraphs and tables in order, tables as grids of cell texts.

python-docx's ``table.cell()`` and ``.cells`` rebuild the cell grid on every call; here each
table's XML is read once. Merged cells (gridSpan, vMerge with or without ``continue``) put
the origin cell's text in every grid position it covers; content controls (``w:sdt``),
bookmarks, tracked insertions and hyperlinks are looked through.
"""

from __future__ import annotations

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (W + n for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_CONTAINERS = {W + n for n in ("sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo")}


@dataclass
class Cell:
    """One cell as Word stores it; merged grid positions share the same object."""

    paragraphs: list[str]
    column: int
    span: int = 1

    def text(self, *, keep_breaks: bool) -> str:
        """The cell's text: paragraphs joined by line breaks, or run together for short fields."""
        if keep_breaks:
            lines = [line.strip() for p in self.paragraphs for line in p.split("\n")]
            return "\n".join(line for line in lines if line)
        return "".join(part.strip() for p in self.paragraphs for part in p.split("\n"))


@dataclass
class Table:
    rows: list[list[Cell]]  # each row: the distinct cells, left to right
    grid: list[list[Cell | None]] = field(default_factory=list)  # row × grid column


@dataclass
class Paragraph:
    text: str


def paragraph_text(p) -> str:
    parts: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == W + "t":
            parts.append(el.text or "")
        elif tag == W + "tab":
            parts.append(" ")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
    return "".join(parts)


def _paragraphs_of(tc) -> list[str]:
    texts: list[str] = []
    stack = list(reversed(tc))
    while stack:
        el = stack.pop()
        if el.tag == _P:
            texts.append(paragraph_text(el))
        elif el.tag == _TBL:  # a table inside a cell: its text, row by row
            for row in _rows_of(el):
                texts.extend(t for tc_ in _cells_of(row) for t in _paragraphs_of(tc_))
        elif el.tag in _CONTAINERS or el.tag == MC_FALLBACK:
            if el.tag != MC_FALLBACK:
                stack.extend(reversed(el))
    return texts


def _flatten(parent, wanted: str):
    for el in parent:
        if el.tag == wanted:
            yield el
        elif el.tag in _CONTAINERS:
            yield from _flatten(el, wanted)


def _rows_of(tbl):
    return _flatten(tbl, _TR)


def _cells_of(tr):
    return _flatten(tr, _TC)


def _int_attr(parent, child: str, default: int) -> int:
    el = parent.find(W + child) if parent is not None else None
    if el is None:
        return default
    try:
        return max(int(el.get(W + "val", default)), 0)
    except ValueError:
        return default


def read_table(tbl) -> Table:
    rows: list[list[Cell]] = []
    grid: list[list[Cell | None]] = []
    for tr in _rows_of(tbl):
        tr_pr = tr.find(W + "trPr")
        column = _int_attr(tr_pr, "gridBefore", 0)
        row_cells: list[Cell] = []
        row_grid: list[Cell | None] = [None] * column
        for tc in _cells_of(tr):
            tc_pr = tc.find(W + "tcPr")
            span = max(_int_attr(tc_pr, "gridSpan", 1), 1)
            vmerge = tc_pr.find(W + "vMerge") if tc_pr is not None else None
            continues = vmerge is not None and vmerge.get(W + "val", "continue") == "continue"
            above = grid[-1][column] if continues and grid and column < len(grid[-1]) else None
            if above is not None:
                cell = above
            else:
                cell = Cell(_paragraphs_of(tc), column, span)
            row_cells.append(cell)
            row_grid.extend([cell] * span)
            column += span
        rows.append(row_cells)
        grid.append(row_grid)
    return Table(rows, grid)


def blocks(body):
    """Paragraphs and tables of a body in document order, looking through content controls."""
    for el in body:
        if el.tag == _P:
            yield Paragraph(paragraph_text(el))
        elif el.tag == _TBL:
            yield read_table(el)
        elif el.tag in _CONTAINERS:
            yield from blocks(el)
