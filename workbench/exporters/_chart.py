"""PNG bar charts of counted tables: one horizontal bar per item, coloured by theme, the caption as title."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core.tables import Table

COUNT_LABEL = "Aantal (n)"
DPI = 150
#: Item labels wrap at this many characters: the report's items are sentences, often over 100 characters.
LABEL_WIDTH = 50
TITLE_WIDTH = 80
#: Matplotlib's "tab10": distinct colours that stay distinguishable in greyscale print.
_THEME_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)
#: Vertical room in inches: per label line, per bar, between themes, and around the plot (title, axis, legend).
_LINE_INCHES = 0.16
_BAR_INCHES = 0.24
_THEME_GAP_INCHES = 0.2
_FIGURE_WIDTH_INCHES = 10.0


@dataclass(frozen=True)
class _Bar:
    label: str
    count: int
    theme_index: int
    centre: float


class ChartWriter:
    """One counted table as one PNG chart."""

    format: str = "png"
    extensions: tuple[str, ...] = (".png",)
    single_table: bool = True

    def problem(self, table: Table) -> str | None:
        """A chart needs counts: statement and quote tables have none."""
        return chart_problem(table)

    def write(self, tables: Sequence[Table], path: Path) -> None:
        """Write the one table's chart."""
        (table,) = tables
        write_chart(table, path)


def chart_problem(table: Table) -> str | None:
    """Why a table cannot be charted, or None."""
    if not table.counts:
        return "has no counts to chart (statement and quote tables have none)"
    if not any(item.count is not None for theme in table.themes for item in theme.items):
        return "has no counted items to chart"
    return None


def _bars(table: Table) -> tuple[list[_Bar], float]:
    """Bars from top to bottom with their centres in inches, and the height they need."""
    bars: list[_Bar] = []
    y = 0.0
    for theme_index, theme in enumerate(table.themes):
        counted = [item for item in theme.items if item.count is not None]
        if not counted:
            continue
        if bars:
            y += _THEME_GAP_INCHES
        for item in counted:
            assert item.count is not None
            label = textwrap.fill(" ".join(item.text.split()), LABEL_WIDTH)
            slot = max(_BAR_INCHES + 0.1, (label.count("\n") + 1) * _LINE_INCHES + 0.08)
            bars.append(_Bar(label, item.count, theme_index, y + slot / 2))
            y += slot
    return bars, y


def write_chart(table: Table, path: Path) -> None:
    """Write a horizontal bar chart of a counted table as a 150 dpi PNG, byte-identical for identical tables."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    from workbench.exporters import ExportError

    problem = chart_problem(table)
    if problem is not None:
        raise ExportError(f"{path}: table {table.id} {problem}")
    bars, plot_inches = _bars(table)
    shown_themes = sorted({bar.theme_index for bar in bars})
    legend_inches = 0.25 * len(shown_themes) + 0.3
    title = textwrap.fill(table.caption, TITLE_WIDTH)
    title_inches = 0.25 * (title.count("\n") + 1) + 0.3
    # A bare Figure, not pyplot: no GUI backend, no global state, safe from a worker thread.
    figure = Figure(figsize=(_FIGURE_WIDTH_INCHES, plot_inches + legend_inches + title_inches + 0.6), layout="constrained")
    axes = figure.add_subplot()
    colours = [_THEME_COLOURS[bar.theme_index % len(_THEME_COLOURS)] for bar in bars]
    container = axes.barh(
        [bar.centre for bar in bars], [bar.count for bar in bars], height=_BAR_INCHES, color=colours,
    )
    axes.bar_label(container, padding=3, fontsize=9)
    axes.set_yticks([bar.centre for bar in bars], [bar.label for bar in bars], fontsize=9)
    axes.set_ylim(plot_inches, 0)  # first item at the top, as in the report's table
    highest = max(bar.count for bar in bars)
    axes.set_xlim(0, highest * 1.12 + 0.5)  # room for the count printed after the longest bar
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(COUNT_LABEL)
    axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    handles = [
        Patch(color=_THEME_COLOURS[index % len(_THEME_COLOURS)], label=textwrap.fill(table.themes[index].theme, 90))
        for index in shown_themes
    ]
    figure.legend(handles=handles, loc="outside lower left", frameon=False, fontsize=9)
    # No "Software" entry and no dates: the same table gives the same bytes, so exports diff cleanly.
    figure.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
