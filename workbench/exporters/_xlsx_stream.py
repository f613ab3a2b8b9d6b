"""A one-sheet .xlsx quote list written as a stream: the sheet's XML straight into the zip, a row at a time.

A quote list of a large project has hundreds of thousands of rows of fifteen or more cells. openpyxl, even in its
write-only mode, builds a cell object, looks up its style and renders it through an XML serializer for every cell:
about 30 µs a cell, so more than a minute for the full generated corpus. This writer renders each row as one string
with the few styles it needs fixed up front (bold header; top-aligned cells; wrapped text and memo columns), which
is what the file holds anyway; every other part of the package (workbook, styles, relationships) is a fixed text.
The result reads back in openpyxl and Excel like the openpyxl-written list did: same values, number cells for the
offsets, text that is never a formula (inline strings), bold frozen header, autofilter and column widths.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

#: Cell style ids, the positions in _STYLES' cellXfs.
_HEADER, _PLAIN, _WRAPPED = 1, 2, 3
#: Bytes a zip entry may hold without zip64 sizes, with a margin.
_ZIP32_LIMIT = 2**31 - 2**24
#: Markup around one cell's value, at most.
_CELL_MARKUP = 60
#: Rows joined into one write: a few hundred kilobytes.
_BATCH = 500
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    _DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _DECLARATION + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    _DECLARATION + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
)
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_STYLES = (
    _DECLARATION + f'<styleSheet xmlns="{_MAIN}">'
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
#: XML parsers turn a carriage return into a line feed unless it is written as a character reference.
_TEXT_ENTITIES = {"\r": "&#13;"}


def write_quote_sheet(
    rows: Iterable[Mapping[str, str]],
    columns: Sequence[str],
    path: Path,
    *,
    sheet_title: str,
    widths: Sequence[float],
    wrapped: frozenset[str],
    numeric: frozenset[str],
    cell_text: Callable[[str], str],
    size: tuple[int, int] | None = None,
) -> int:
    """Write the workbook; `widths` per column, `wrapped` columns wrap, `numeric` ones hold digits as numbers; the rows written.

    `cell_text` makes a value fit a cell (no control characters, within Excel's cell limit). `size` (rows, characters
    in every value) tells whether the sheet could pass zip's 2 GB limit; only then is it written with zip64 sizes, which
    Excel 2007 and old LibreOffice do not read.
    """
    letters = [_column_letter(index) for index in range(1, len(columns) + 1)]
    last = letters[-1] if letters else "A"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        written = 0
        # Per cell at most ~60 bytes of markup, per character at most 6 bytes (an escaped "&" or a 3-byte character).
        large = size is None or size[1] * 6 + _CELL_MARKUP * len(columns) * (size[0] + 1) > _ZIP32_LIMIT
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=large) as sheet:
            cols = "".join(
                f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>' for index, width in enumerate(widths, start=1)
            )
            sheet.write((
                _DECLARATION + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
                '<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>"
            ).encode())
            header = "".join(_text_cell(f"{letter}1", _HEADER, cell_text(name)) for letter, name in zip(letters, columns, strict=True))
            sheet.write(f'<row r="1">{header}</row>'.encode())
            layout = [
                (letter, name, _WRAPPED if name in wrapped else _PLAIN, name in numeric)
                for letter, name in zip(letters, columns, strict=True)
            ]
            batch: list[str] = []
            for row_number, values in enumerate(rows, start=2):
                cells = []
                for letter, name, style, is_number in layout:
                    value = values.get(name, "")
                    if not value:
                        cells.append(f'<c r="{letter}{row_number}" s="{style}"/>')
                    elif is_number and value.isdigit():
                        cells.append(f'<c r="{letter}{row_number}" s="{style}"><v>{int(value)}</v></c>')
                    else:
                        cells.append(_text_cell(f"{letter}{row_number}", style, cell_text(value)))
                batch.append(f'<row r="{row_number}">{"".join(cells)}</row>')
                written += 1
                if len(batch) == _BATCH:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write("".join(batch).encode())
            sheet.write(f'</sheetData><autoFilter ref="A1:{last}{written + 1}"/></worksheet>'.encode())
        # The hidden name Excel itself keeps for a sheet's autofilter range.
        filter_range = escape(f"{_sheet_reference(sheet_title)}!$A$1:${last}${written + 1}")
        archive.writestr("xl/workbook.xml", (
            _DECLARATION + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name={quoteattr(sheet_title)} sheetId="1" r:id="rId1"/></sheets>'
            f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">{filter_range}</definedName>'
            "</definedNames></workbook>"
        ))
    return written


def _text_cell(reference: str, style: int, text: str) -> str:
    return f'<c r="{reference}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(text, _TEXT_ENTITIES)}</t></is></c>'


def _sheet_reference(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _column_letter(index: int) -> str:
    """Excel's column name for a 1-based index: 1 → A, 27 → AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
