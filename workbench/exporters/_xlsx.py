"""Excel (.xlsx) workbooks: a sheet per table in the report's layout, and a filterable quote list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from workbench.core.crosstabs import TOTAL_LABEL, AnyTable, CrossTable
from workbench.core.tables import Table
from workbench.exporters import xml_safe

COUNT_HEADER = "Aantal (n)"
#: Excel refuses these in sheet names and caps names at 31 characters.
_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31
#: Widths in characters: the text column wraps beyond this, so long items stay readable on screen and paper.
_TEXT_WIDTH_MAX = 90
_COUNT_WIDTH = 12
_CROSS_WIDTH_MAX = 20
_QUOTE_WIDTHS = {"text": 80, "memo": 40}
_QUOTE_WIDTH_MAX = 40
#: Excel's limit on one cell; a longer passage would make Excel "repair" the file.
_CELL_MAX = 32767
#: Quote columns holding offsets: stored as numbers so a spreadsheet sorts them as numbers.
_NUMERIC_QUOTE_COLUMNS = frozenset({"start", "end"})


class XlsxWriter:
    """Every table on its own sheet of one workbook, named like "Tabel 6.6"."""

    format: str = "xlsx"
    extensions: tuple[str, ...] = (".xlsx",)
    single_table: bool = False

    def problem(self, table: AnyTable) -> str | None:
        """Any table fits a sheet."""
        return None

    def write(self, tables: Sequence[AnyTable], path: Path) -> None:
        """Write the tables as one workbook."""
        from openpyxl import Workbook  # type: ignore[import-untyped]

        book = Workbook()
        book.remove(book.active)
        used: set[str] = set()
        for table in tables:
            name = sheet_name(table, used)
            used.add(name.lower())
            if isinstance(table, CrossTable):
                _fill_cross_sheet(book.create_sheet(name), table)
            else:
                _fill_sheet(book.create_sheet(name), table)
        book.save(path)


def sheet_name(table: AnyTable, used: set[str]) -> str:
    """"Tabel <id>" made legal for Excel and unique among `used` (compared case-insensitively, as Excel does)."""
    base = _SHEET_ILLEGAL.sub("_", f"Tabel {table.id}").strip("'")[:_SHEET_MAX]
    name, number = base, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = base[: _SHEET_MAX - len(suffix)] + suffix, number + 1
    return name


def _fill_sheet(sheet: Any, table: Table) -> None:
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

    bold, italic = Font(bold=True), Font(italic=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    right = Alignment(horizontal="right", vertical="top")
    _set(sheet.cell(row=1, column=1), table.caption).font = bold
    row = 2
    if table.counts:
        header = _set(sheet.cell(row=row, column=2), COUNT_HEADER)
        header.font, header.alignment = bold, Alignment(horizontal="right")
        row += 1
    sheet.freeze_panes = sheet.cell(row=row, column=1)  # caption and header stay in view while scrolling
    longest = 0
    for theme in table.themes:
        _set(sheet.cell(row=row, column=1), theme.theme).font = bold
        if table.counts:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        longest = max(longest, len(theme.theme))
        row += 1
        for item in theme.items:
            cell = _set(sheet.cell(row=row, column=1), item.text)
            cell.alignment = wrapped
            if table.quotes:
                cell.font = italic
            if table.counts and item.count is not None:
                count = sheet.cell(row=row, column=2, value=item.count)
                count.alignment = right
            longest = max(longest, len(item.text))
            row += 1
    sheet.column_dimensions["A"].width = min(max(longest, 20), _TEXT_WIDTH_MAX) + 2
    if table.counts:
        sheet.column_dimensions["B"].width = _COUNT_WIDTH


def _fill_cross_sheet(sheet: Any, table: CrossTable) -> None:
    """Caption, a header row of column labels, bold merged theme rows, numeric counts, a bold "Totaal" row."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    right = Alignment(horizontal="right", vertical="top")
    last_column = len(table.columns) + 1
    _set(sheet.cell(row=1, column=1), table.caption).font = bold
    _set(sheet.cell(row=2, column=1), table.row_header).font = bold
    for column, label in enumerate(table.columns, start=2):
        header = _set(sheet.cell(row=2, column=column), label)
        header.font, header.alignment = bold, Alignment(horizontal="right", vertical="bottom", wrap_text=True)
    sheet.freeze_panes = sheet.cell(row=3, column=2)  # caption, header and row labels stay in view
    longest = len(table.row_header)
    row = 3
    for cross_row in table.rows:
        label = _set(sheet.cell(row=row, column=1), cross_row.label)
        longest = max(longest, len(cross_row.label))
        if cross_row.values is None:
            label.font = Font(bold=cross_row.is_theme)
            if last_column > 1:
                sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        else:
            label.alignment = wrapped
            for column, value in enumerate(cross_row.values, start=2):
                sheet.cell(row=row, column=column, value=value).alignment = right
        row += 1
    if table.totals is not None:
        _set(sheet.cell(row=row, column=1), TOTAL_LABEL).font = bold
        for column, value in enumerate(table.totals, start=2):
            total = sheet.cell(row=row, column=column, value=value)
            total.font, total.alignment = bold, right
    sheet.column_dimensions["A"].width = min(max(longest, 20), _TEXT_WIDTH_MAX) + 2
    for column, label in enumerate(table.columns, start=2):
        # Long labels (a function's name) wrap in the header instead of widening every count column.
        sheet.column_dimensions[get_column_letter(column)].width = min(max(len(label), _COUNT_WIDTH), _CROSS_WIDTH_MAX)


def write_rows(
    rows: Iterable[Mapping[str, str]],
    columns: Sequence[str],
    path: Path,
    longest: Mapping[str, int] | None = None,
    size: tuple[int, int] | None = None,
) -> None:
    """A one-sheet workbook with a bold, frozen header row and an autofilter over every column.

    Written as a stream (see `_xlsx_stream`), so a large quote list never sits in memory; the column widths come first,
    from `longest` (each column's longest value) or, without it, from the rows themselves; `size` (rows, characters)
    tells whether the sheet needs zip64.
    """
    from workbench.exporters._xlsx_stream import write_quote_sheet

    if longest is None:
        rows = list(rows)
        longest = {name: max((len(row.get(name, "")) for row in rows), default=0) for name in columns}
        size = (len(rows), sum(len(value) for row in rows for value in row.values()))
    widths = [
        min(max(len(name), longest.get(name, 0), 6), _QUOTE_WIDTHS.get(name, _QUOTE_WIDTH_MAX)) + 2 for name in columns
    ]
    write_quote_sheet(
        rows, columns, path, sheet_title="Quotes", widths=widths, wrapped=frozenset(_QUOTE_WIDTHS),
        numeric=_NUMERIC_QUOTE_COLUMNS, cell_text=_cell_text, size=size,
    )


def _cell_text(text: str) -> str:
    """Text as a cell can hold it: no characters XML forbids, at most Excel's limit on one cell."""
    return xml_safe(text)[:_CELL_MAX]


def _set(cell: Any, text: str) -> Any:
    """Put text in a cell as text: a passage starting with "=" is a quote, never a formula."""
    cell.value = _cell_text(text)
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell
