"""Word (.docx) tables in the report's look: caption above, "Aantal (n)" header, merged bold theme rows, counts right."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.tables import Table
from workbench.exporters import xml_safe

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.shared import Length
    from docx.table import Table as WordTable
    from docx.table import _Row

COUNT_HEADER = "Aantal (n)"
#: Word's own caption style, so Word can build a list of tables ("Lijst van tabellen") from the export.
CAPTION_STYLE = "Caption"
TABLE_STYLE = "Table Grid"
#: A4 with 2.5 cm margins, as Dutch reports are printed; the text column takes what the count column leaves.
_PAGE_CM = (21.0, 29.7)
_MARGIN_CM = 2.5
_COUNT_COLUMN_CM = 2.8  # wide enough for "Aantal (n)" on one line


class DocxWriter:
    """Every table in one Word document, an empty paragraph between tables."""

    format: str = "docx"
    extensions: tuple[str, ...] = (".docx",)
    single_table: bool = False

    def problem(self, table: Table) -> str | None:
        """Any table fits a Word document."""
        return None

    def write(self, tables: Sequence[Table], path: Path) -> None:
        """Write the tables as one document."""
        from docx import Document
        from docx.shared import Cm

        document = Document()
        section = document.sections[0]
        section.page_width, section.page_height = Cm(_PAGE_CM[0]), Cm(_PAGE_CM[1])
        section.left_margin = section.right_margin = Cm(_MARGIN_CM)
        for index, table in enumerate(tables):
            if index:
                document.add_paragraph()
            add_table(document, table)
        document.save(str(path))


def add_table(document: WordDocument, table: Table) -> None:
    """Append one table to a Word document: its caption paragraph, then the table."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, RGBColor

    caption = document.add_paragraph(style=CAPTION_STYLE)
    caption_run = caption.add_run(xml_safe(table.caption))
    caption_run.bold = True
    # The template's caption is small and blue; the report prints captions black at body size.
    caption_run.font.color.rgb = RGBColor(0, 0, 0)
    caption.paragraph_format.keep_with_next = True  # a caption never ends a page without its table

    text_cm = _PAGE_CM[0] - 2 * _MARGIN_CM
    widths = [Cm(text_cm - _COUNT_COLUMN_CM), Cm(_COUNT_COLUMN_CM)] if table.counts else [Cm(text_cm)]
    grid = document.add_table(rows=0, cols=len(widths))
    grid.style = document.styles[TABLE_STYLE]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    # LibreOffice (and Word's fixed layout) take widths from the table grid, not the cells: set both.
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width

    if table.counts:
        header = _add_row(grid, widths)
        header.cells[1].paragraphs[0].add_run(COUNT_HEADER).bold = True
        header.cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _repeat_on_each_page(header)
    for theme in table.themes:
        row = _add_row(grid, widths)
        cell = row.cells[0].merge(row.cells[-1]) if len(widths) > 1 else row.cells[0]
        cell.paragraphs[0].add_run(xml_safe(theme.theme)).bold = True
        for item in theme.items:
            row = _add_row(grid, widths)
            text_run = row.cells[0].paragraphs[0].add_run(xml_safe(item.text))
            text_run.italic = table.quotes
            if table.counts:
                count = row.cells[1].paragraphs[0]
                count.add_run("" if item.count is None else str(item.count))
                count.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _add_row(grid: WordTable, widths: Sequence[Length]) -> _Row:
    row: _Row = grid.add_row()  # type: ignore[no-untyped-call]
    # Word reads column widths from each cell, not from the table, so every cell gets its width.
    for cell, width in zip(row.cells, widths):
        cell.width = width
    return row


def _repeat_on_each_page(row: _Row) -> None:
    # python-docx has no API for "repeat as header row"; it is one <w:tblHeader/> in the row's properties.
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
