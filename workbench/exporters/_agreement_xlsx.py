"""An agreement report as one Excel sheet: caption, headers, a row per code with numbers as numbers, the overall row, the note."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from workbench.core.comparison.model import AgreementReport, CodeAgreement, UnitKind
from workbench.exporters._xlsx import _set
from workbench.exporters.agreement import READING_NL, caption_nl, headers_nl, note_nl, row_label_nl, table_rows

SHEET = "Overeenstemming"
_CODE_WIDTH = 60
_NUMBER_WIDTH = 14


def _values(report: AgreementReport, row: CodeAgreement) -> list[Any]:
    """One row's cells: numbers stay numbers (rounded in display only), undefined ones stay empty."""

    def number(value: float) -> float | None:
        return None if math.isnan(value) else value

    interval = "" if math.isnan(row.alpha_low) else f"[{row.alpha_low:.3f}; {row.alpha_high:.3f}]".replace(".", ",")
    values: list[Any] = [
        row_label_nl(row), row.units, number(row.percent), number(row.kappa), number(row.alpha), interval, number(row.ac1),
        READING_NL[row.reading], *(row.counts.get(coder, 0) for coder in report.coders),
    ]
    if report.unit is UnitKind.DOCUMENT:
        values += [number(row.frequency_percent), number(row.frequency_alpha)]
    return values


def write_xlsx(report: AgreementReport, path: Path) -> None:
    """Write the report on one sheet of a new workbook."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(bold=True)
    _set(sheet.cell(row=1, column=1), caption_nl(report)).font = bold
    headers = headers_nl(report, counts_apart=True)
    for column, header in enumerate(headers, start=1):
        cell = _set(sheet.cell(row=2, column=column), header)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="left" if column == 1 else "right")
    sheet.freeze_panes = "B3"
    formats = {3: "0.0", 4: "0.000", 5: "0.000", 7: "0.000"}
    if report.unit is UnitKind.DOCUMENT:
        formats.update({len(headers) - 1: "0.0", len(headers): "0.000"})
    rows = table_rows(report)
    for offset, row in enumerate(rows):
        excel_row = 3 + offset
        overall = report.theme is None and offset == len(rows) - 1
        for column, value in enumerate(_values(report, row), start=1):
            cell = sheet.cell(row=excel_row, column=column)
            if isinstance(value, str):
                _set(cell, value)
            else:
                cell.value = value
            if column in formats:
                cell.number_format = formats[column]
            cell.alignment = Alignment(wrap_text=column == 1, vertical="top", horizontal="left" if column == 1 else "right")
            if overall:
                cell.font = bold
    note_row = 3 + len(rows) + 1
    _set(sheet.cell(row=note_row, column=1), note_nl(report)).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=len(headers))
    sheet.row_dimensions[note_row].height = 90
    sheet.column_dimensions["A"].width = _CODE_WIDTH
    for column in range(2, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = _NUMBER_WIDTH
    book.save(path)
