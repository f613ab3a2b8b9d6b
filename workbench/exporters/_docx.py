"""Word (.docx) tables in the report's look: caption above, "Aantal (n)" header, merged bold theme rows, counts right.

Attribute and cross tables get a header row with their column labels, right-aligned over their counts,
and a bold "Totaal" row when they have totals. Each count column is as wide as its label's longest word
needs; a table whose columns leave too little room for its row labels on a portrait page gets a
landscape page (a section of its own), and the next narrow table returns to portrait.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.crosstabs import TOTAL_LABEL, AnyTable, CrossTable
from workbench.core.tables import Table
from workbench.exporters import xml_safe

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.section import Section
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
#: Cross table count columns: at least this wide, and sized from the label at about this much per
#: character of 11 pt bold text plus the cell's padding ("Aantal (n)" → 2.8 cm, as in coding tables).
_NARROWEST_CM = 1.5
_CHAR_CM = 0.24
_PADDING_CM = 0.4
#: The row labels of a cross table keep at least this much; less turns the page to landscape.
_LABEL_MIN_CM = 6.0


class DocxWriter:
    """Every table in one Word document, an empty paragraph between tables."""

    format: str = "docx"
    extensions: tuple[str, ...] = (".docx",)
    single_table: bool = False

    def problem(self, table: AnyTable) -> str | None:
        """Any table fits a Word document."""
        return None

    def write(self, tables: Sequence[AnyTable], path: Path) -> None:
        """Write the tables as one document."""
        from docx import Document
        from docx.enum.section import WD_SECTION

        document = Document()
        _set_page(document.sections[0], landscape=bool(tables) and _wants_landscape(tables[0]))
        for index, table in enumerate(tables):
            if index:
                landscape = _wants_landscape(table)
                if landscape != _is_landscape(document.sections[-1]):
                    _set_page(document.add_section(WD_SECTION.NEW_PAGE), landscape=landscape)
                else:
                    document.add_paragraph()
            add_table(document, table)
        document.save(str(path))


def _set_page(section: Section, *, landscape: bool) -> None:
    """A4 with 2.5 cm margins, upright or on its side."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    width, height = (_PAGE_CM[1], _PAGE_CM[0]) if landscape else _PAGE_CM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.left_margin = section.right_margin = Cm(_MARGIN_CM)


def _is_landscape(section: Section) -> bool:
    return bool(section.page_width is not None and section.page_height is not None and section.page_width > section.page_height)


def _count_widths_cm(table: CrossTable) -> list[float]:
    """Per count column: room for the label on one line up to 2.8 cm, and always for its longest word."""
    widths = []
    for label in table.columns:
        longest_word = max((len(word) for word in label.split()), default=0) * _CHAR_CM
        whole = min(len(label) * _CHAR_CM, _COUNT_COLUMN_CM - _PADDING_CM)
        widths.append(max(_NARROWEST_CM, max(longest_word, whole) + _PADDING_CM))
    return widths


def _wants_landscape(table: AnyTable) -> bool:
    """True for a cross table whose count columns leave its row labels too little room on a portrait page."""
    text_cm = _PAGE_CM[0] - 2 * _MARGIN_CM
    return isinstance(table, CrossTable) and text_cm - sum(_count_widths_cm(table)) < _LABEL_MIN_CM


def add_table(document: WordDocument, table: AnyTable) -> None:
    """Append one table to a Word document: its caption paragraph, then the table."""
    _add_caption(document, table.caption)
    if isinstance(table, CrossTable):
        _add_cross_grid(document, table)
    else:
        _add_coding_grid(document, table)


def _add_caption(document: WordDocument, text: str) -> None:
    from docx.shared import RGBColor

    caption = document.add_paragraph(style=CAPTION_STYLE)
    caption_run = caption.add_run(xml_safe(text))
    caption_run.bold = True
    # The template's caption is small and blue; the report prints captions black at body size.
    caption_run.font.color.rgb = RGBColor(0, 0, 0)
    caption.paragraph_format.keep_with_next = True  # a caption never ends a page without its table


def _new_grid(document: WordDocument, widths: Sequence[Length]) -> WordTable:
    from docx.enum.table import WD_TABLE_ALIGNMENT

    grid: WordTable = document.add_table(rows=0, cols=len(widths))
    grid.style = document.styles[TABLE_STYLE]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    # LibreOffice (and Word's fixed layout) take widths from the table grid, not the cells: set both.
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    return grid


def _add_coding_grid(document: WordDocument, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    text_cm = _PAGE_CM[0] - 2 * _MARGIN_CM
    widths = [Cm(text_cm - _COUNT_COLUMN_CM), Cm(_COUNT_COLUMN_CM)] if table.counts else [Cm(text_cm)]
    grid = _new_grid(document, widths)

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


def _add_cross_grid(document: WordDocument, table: CrossTable) -> None:
    """Header row of column labels, bold merged theme rows, counts right-aligned, a bold "Totaal" row."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    section = document.sections[-1]
    page, left, right = section.page_width, section.left_margin, section.right_margin
    text_cm = _PAGE_CM[0] - 2 * _MARGIN_CM if page is None or left is None or right is None else (page - left - right) / Cm(1)
    counts_cm = _count_widths_cm(table)
    # Too many columns even for the page: every count column gives way in proportion, the labels keep their room.
    squeeze = min(1.0, (text_cm - _LABEL_MIN_CM) / sum(counts_cm)) if counts_cm else 1.0
    counts_cm = [width * squeeze for width in counts_cm]
    widths = [Cm(text_cm - sum(counts_cm))] + [Cm(width) for width in counts_cm]
    grid = _new_grid(document, widths)

    def fill(row: _Row, label: str, values: Sequence[str], bold: bool) -> None:
        row.cells[0].paragraphs[0].add_run(xml_safe(label)).bold = bold
        for cell, value in zip(row.cells[1:], values, strict=True):
            cell.paragraphs[0].add_run(xml_safe(value)).bold = bold
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    header = _add_row(grid, widths)
    fill(header, table.row_header, table.columns, bold=True)
    _repeat_on_each_page(header)
    for cross_row in table.rows:
        row = _add_row(grid, widths)
        if cross_row.values is None:
            cell = row.cells[0].merge(row.cells[-1]) if len(widths) > 1 else row.cells[0]
            cell.paragraphs[0].add_run(xml_safe(cross_row.label)).bold = cross_row.is_theme
        else:
            fill(row, cross_row.label, [str(value) for value in cross_row.values], bold=False)
    if table.totals is not None:
        fill(_add_row(grid, widths), TOTAL_LABEL, [str(value) for value in table.totals], bold=True)


def _add_row(grid: WordTable, widths: Sequence[Length]) -> _Row:
    row: _Row = grid.add_row()  # type: ignore[no-untyped-call]
    # Word reads column widths from each cell, not from the table, so every cell gets its width.
    for cell, width in zip(row.cells, widths, strict=False):
        cell.width = width
    return row


def _repeat_on_each_page(row: _Row) -> None:
    # python-docx has no API for "repeat as header row"; it is one <w:tblHeader/> in the row's properties.
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
