"""CSV in long format: one row per item (table, caption, n, theme, item, count), or per cell of a cross table; quote lists.

A file of coding tables keeps the item layout. A file with any attribute or cross table is written as
one row per cell, (table, caption, n, theme, row, column, value), and its coding tables in the same
shape (an item's count under the column "Aantal (n)"), so one file always has one header.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from workbench.core.crosstabs import COUNT_LABEL, TOTAL_LABEL, AnyTable, CrossTable
from workbench.core.spreadsheet_cells import spreadsheet_safe
from workbench.core.tables import Table

COLUMNS = ("table", "caption", "n", "theme", "item", "count")
#: One row per cell; `theme` is the theme row an item sits under (empty for an attribute table), so items
#: that share a name under two themes stay apart; the "Totaal" row is written with row "Totaal".
CELL_COLUMNS = ("table", "caption", "n", "theme", "row", "column", "value")
#: UTF-8 with a byte-order mark: Excel, where most researchers open a CSV, otherwise reads é and ‘ ’ as mojibake.
ENCODING = "utf-8-sig"


class CsvWriter:
    """Every table's items (or cells) in one long CSV; count is empty for statement and quote tables."""

    format: str = "csv"
    extensions: tuple[str, ...] = (".csv",)
    single_table: bool = False

    def problem(self, table: AnyTable) -> str | None:
        """Any table fits a long CSV."""
        return None

    def write(self, tables: Sequence[AnyTable], path: Path) -> None:
        """Write one row per item of every table, in order; per cell when any table is a cross table."""
        by_cell = any(isinstance(table, CrossTable) for table in tables)
        with path.open("w", encoding=ENCODING, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(CELL_COLUMNS if by_cell else COLUMNS)
            for table in tables:
                rows = _items(table) if isinstance(table, Table) and not by_cell else _cells(table)
                writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)


def _n(table: AnyTable) -> str:
    return "" if table.n is None else str(table.n)


def _items(table: Table) -> Iterator[list[str]]:
    for theme in table.themes:
        for item in theme.items:
            count = "" if item.count is None else str(item.count)
            yield [table.id, table.caption, _n(table), theme.theme, item.text, count]


def _cells(table: AnyTable) -> Iterator[list[str]]:
    head = [table.id, table.caption, _n(table)]
    if isinstance(table, Table):
        column = COUNT_LABEL if table.counts else ""
        for theme in table.themes:
            for item in theme.items:
                yield head + [theme.theme, item.text, column, "" if item.count is None else str(item.count)]
        return
    theme_label = ""
    for row in table.rows:
        if row.values is None:
            theme_label = row.label if row.is_theme else theme_label
            continue
        for column, value in zip(table.columns, row.values, strict=True):
            yield head + [theme_label, row.label, column, str(value)]
    if table.totals is not None:
        for column, value in zip(table.columns, table.totals, strict=True):
            yield head + ["", TOTAL_LABEL, column, str(value)]


def write_rows(rows: Iterable[Mapping[str, str]], columns: Sequence[str], path: Path) -> None:
    """A CSV with a header row and one line per row, columns in the given order, written as the rows come."""
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([spreadsheet_safe(name) for name in columns])
        for row in rows:
            writer.writerow([spreadsheet_safe(row.get(name, "")) for name in columns])
