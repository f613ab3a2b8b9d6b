"""Markdown: the caption as a bold line, then a pipe table with bold theme rows and the counts at the right."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.core.tables import Table

COUNT_HEADER = "Aantal (n)"


class MarkdownWriter:
    """Every table in one Markdown document, a blank line between tables."""

    format: str = "md"
    extensions: tuple[str, ...] = (".md", ".markdown")
    single_table: bool = False

    def problem(self, table: Table) -> str | None:
        """Any table fits a pipe table."""
        return None

    def write(self, tables: Sequence[Table], path: Path) -> None:
        """Write the tables as one document."""
        path.write_text("\n".join(table_markdown(table) for table in tables), encoding="utf-8")


def table_markdown(table: Table) -> str:
    """One table as Markdown, ending with a blank line."""
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


def escape(text: str) -> str:
    """Text safe inside a pipe-table cell: `|` and emphasis marks escaped, line breaks as <br>."""
    for mark in ("\\", "|", "*"):
        text = text.replace(mark, "\\" + mark)
    return "<br>".join(line.strip() for line in text.strip().splitlines())
