"""An agreement report as a Word table in the report's look, ready to paste into a methods appendix.

Caption above in Word's caption style (black, bold), a header row repeated on every page, the code names
left and the numbers right with a decimal comma, the overall row bold, and the note below. The table is
wide, so the page is A4 landscape; a row never breaks across a page (a long code name stays with its numbers).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.comparison.model import AgreementReport
from workbench.exporters import xml_safe
from workbench.exporters._docx import CAPTION_STYLE, TABLE_STYLE, _repeat_on_each_page
from workbench.exporters.agreement import caption_nl, cells_nl, headers_nl, note_nl, table_rows

if TYPE_CHECKING:
    from docx.table import _Row

_PAGE_CM = (29.7, 21.0)  # A4 landscape
_MARGIN_CM = 2.0
_FONT_PT = 9
#: Column widths from their longest text at 9 pt (about this much per character, bold headers included) plus the
#: cell's padding; the code names take what is left, at least _CODE_MIN_CM.
_CHAR_CM = 0.21
_PADDING_CM = 0.6
_CODE_MIN_CM = 6.0


def write_docx(report: AgreementReport, path: Path) -> None:
    """Write the report's table, caption and note as one Word document."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(_PAGE_CM[0]), Cm(_PAGE_CM[1])
    section.left_margin = section.right_margin = Cm(_MARGIN_CM)

    caption = document.add_paragraph(style=CAPTION_STYLE)
    run = caption.add_run(xml_safe(caption_nl(report)))
    run.bold = True
    run.font.color.rgb = RGBColor(0, 0, 0)  # the template's caption is blue; the report prints captions black
    caption.paragraph_format.keep_with_next = True

    headers = headers_nl(report)
    rows = table_rows(report)
    body = [cells_nl(report, row) for row in rows]
    # A header may wrap between words ("Gecodeerd / (n)"); a value stays on one line.
    number_widths = [
        max(max(map(len, headers[column].split())), *(len(cells[column]) for cells in body)) * _CHAR_CM + _PADDING_CM
        for column in range(1, len(headers))
    ]
    text_cm = _PAGE_CM[0] - 2 * _MARGIN_CM
    # The estimate per character is generous; where the numbers would push the table past the right margin
    # (document units add two columns), they give up that slack rather than the page.
    room = text_cm - _CODE_MIN_CM
    if sum(number_widths) > room:
        number_widths = [width * room / sum(number_widths) for width in number_widths]
    widths = [Cm(max(text_cm - sum(number_widths), _CODE_MIN_CM))] + [Cm(width) for width in number_widths]
    grid = document.add_table(rows=0, cols=len(headers))
    grid.style = document.styles[TABLE_STYLE]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width

    def add(values: list[str], *, bold: bool) -> None:
        row = grid.add_row()
        for index, (cell, value, width) in enumerate(zip(row.cells, values, widths, strict=True)):
            cell.width = width  # Word reads widths from each cell
            paragraph = cell.paragraphs[0]
            text = paragraph.add_run(xml_safe(value))
            text.bold = bold
            text.font.size = Pt(_FONT_PT)
            if index:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _keep_on_one_page(row)
        if bold and values is headers:
            _repeat_on_each_page(row)

    add(headers, bold=True)
    for index, cells in enumerate(body):
        add(cells, bold=report.theme is None and index == len(body) - 1)
    note = document.add_paragraph()
    note.paragraph_format.space_before = Pt(_FONT_PT // 2)  # apart from the table's bottom line
    note_run = note.add_run(xml_safe(note_nl(report)))
    note_run.font.size = Pt(_FONT_PT)
    document.save(str(path))


def _keep_on_one_page(row: _Row) -> None:
    # python-docx has no API for "allow row to break across pages"; switching it off is one <w:cantSplit/>.
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
