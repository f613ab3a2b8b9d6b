"""Markdown: the caption as a bold line, then a pipe table with bold theme rows and the counts at the right.

Attribute and cross tables have a header of column labels and a bold "Totaal" row when they have totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.core.crosstabs import TOTAL_LABEL, AnyTable, CrossTable

COUNT_HEADER = "Aantal (n)"


class MarkdownWriter:
    """Every table in one Markdown document, a blank line between tables."""

    format: str = "md"
    extensions: tuple[str, ...] = (".md", ".markdown")
    single_table: bool = False

    def problem(self, table: AnyTable) -> str | None:
        """Any table fits a pipe table."""
        return None

    def write(self, tables: Sequence[AnyTable], path: Path) -> None:
        """Write the tables as one document."""
        path.write_text("\n".join(table_markdown(table) for table in tables), encoding="utf-8")


def table_markdown(table: AnyTable) -> str:
    """One table as Markdown, ending with a blank line."""
    if isinstance(table, CrossTable):
        return cross_markdown(table)
    lines = [f"**{escape(table.caption)}**", ""]
    if table.counts:
        lines += [f"| | {COUNT_HEADER} |", "|---|---:|"]
    else:
        lines += ["| |", "|---|"]
    for theme in table.themes:
        lines.append(f"| **{escape(theme.theme)}** | |" if table.counts else f"| **{escape(theme.theme)}** |")
        for item in theme.items:
            text = f"*{escape(item.text)}*" if table.quotes else escape(item.text)
            if table.counts:
                lines.append(f"| {text} | {'' if item.count is None else item.count} |")
            else:
                lines.append(f"| {text} |")
    return "\n".join(lines) + "\n"


def cross_markdown(table: CrossTable) -> str:
    """An attribute or cross table as Markdown: column labels over right-aligned counts, ending with a blank line."""
    blanks = " |" * len(table.columns)
    header = escape(table.row_header)
    lines = [
        f"**{escape(table.caption)}**",
        "",
        f"| {header} |" if header else "| |",
        "|---|" + "---:|" * len(table.columns),
    ]
    lines[2] += "".join(f" {escape(label)} |" for label in table.columns)
    for row in table.rows:
        if row.values is None:
            label = f"**{escape(row.label)}**" if row.is_theme else escape(row.label)
            lines.append(f"| {label} |{blanks}")
        else:
            lines.append(f"| {escape(row.label)} |" + "".join(f" {value} |" for value in row.values))
    if table.totals is not None:
        lines.append(f"| **{TOTAL_LABEL}** |" + "".join(f" **{value}** |" for value in table.totals))
    return "\n".join(lines) + "\n"


def escape(text: str) -> str:
    """Text safe inside a pipe-table cell: `|` and emphasis marks escaped, line breaks as <br>."""
    for mark in ("\\", "|", "*"):
        text = text.replace(mark, "\\" + mark)
    return "<br>".join(line.strip() for line in text.strip().splitlines())
