"""CSV in long format: one row per item (table, caption, n, theme, item, count), and quote lists."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

from workbench.core.tables import Table

COLUMNS = ("table", "caption", "n", "theme", "item", "count")
#: UTF-8 with a byte-order mark: Excel, where most researchers open a CSV, otherwise reads é and ‘ ’ as mojibake.
ENCODING = "utf-8-sig"


class CsvWriter:
    """Every table's items in one long CSV; count is empty for statement and quote tables."""

    format: str = "csv"
    extensions: tuple[str, ...] = (".csv",)
    single_table: bool = False

    def problem(self, table: Table) -> str | None:
        """Any table fits a long CSV."""
        return None

    def write(self, tables: Sequence[Table], path: Path) -> None:
        """Write one row per item of every table, in order."""
        with path.open("w", encoding=ENCODING, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for table in tables:
                n = "" if table.n is None else str(table.n)
                for theme in table.themes:
                    for item in theme.items:
                        count = "" if item.count is None else str(item.count)
                        writer.writerow([table.id, table.caption, n, theme.theme, item.text, count])


def write_rows(rows: Sequence[Mapping[str, str]], columns: Sequence[str], path: Path) -> None:
    """A CSV with a header row and one line per row, columns in the given order."""
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([row.get(name, "") for name in columns] for row in rows)
