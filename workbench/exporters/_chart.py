"""PNG bar charts of counted tables: one horizontal bar per item, coloured by theme, the caption as title.

An attribute or cross table becomes stacked horizontal bars: one bar per row, one coloured segment per
column value (a function, a wave), the row's total printed after the bar and theme names as bold
headings between the bars; a single-column attribute table is a plain bar chart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core.crosstabs import AnyTable, CrossTable
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

    def problem(self, table: AnyTable) -> str | None:
        """A chart needs counts: statement and quote tables have none."""
        return chart_problem(table)

    def write(self, tables: Sequence[AnyTable], path: Path) -> None:
        """Write the one table's chart."""
        (table,) = tables
        if isinstance(table, CrossTable):
            write_cross_chart(table, path)
        else:
            write_chart(table, path)


def chart_problem(table: AnyTable) -> str | None:
    """Why a table cannot be charted, or None."""
    if isinstance(table, CrossTable):
        if not any(any(row.values) for row in table.rows if row.values is not None):
            return "has no counts to chart"
        return None
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
        counted = [(item.text, item.count) for item in theme.items if item.count is not None]
        if not counted:
            continue
        if bars:
            y += _THEME_GAP_INCHES
        for text, count in counted:
            label = textwrap.fill(" ".join(text.split()), LABEL_WIDTH)
            slot = _slot_inches(label)
            bars.append(_Bar(label, count, theme_index, y + slot / 2))
            y += slot
    return bars, y


def _slot_inches(label: str) -> float:
    """The height a bar needs: its own, or its wrapped label's lines, whichever is taller."""
    return max(_BAR_INCHES + 0.1, (label.count("\n") + 1) * _LINE_INCHES + 0.08)


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


@dataclass(frozen=True)
class _Slot:
    label: str
    values: tuple[int, ...] | None  # None: a theme heading without a bar
    centre: float


def _slots(table: CrossTable) -> tuple[list[_Slot], float]:
    """Bars and theme headings from top to bottom with their centres in inches, and the height they need."""
    slots: list[_Slot] = []
    y = 0.0
    for row in table.rows:
        label = textwrap.fill(" ".join(row.label.split()), LABEL_WIDTH)
        if row.values is None:
            if slots:
                y += _THEME_GAP_INCHES
            heading = (label.count("\n") + 1) * _LINE_INCHES + 0.08
            slots.append(_Slot(label, None, y + heading / 2))
            y += heading
            continue
        slot = _slot_inches(label)
        slots.append(_Slot(label, row.values, y + slot / 2))
        y += slot
    return slots, y


def write_cross_chart(table: CrossTable, path: Path) -> None:
    """Write stacked horizontal bars of an attribute or cross table as a 150 dpi PNG, byte-identical for identical tables."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from workbench.exporters import ExportError

    problem = chart_problem(table)
    if problem is not None:
        raise ExportError(f"{path}: table {table.id} {problem}")
    slots, plot_inches = _slots(table)
    stacked = len(table.columns) > 1
    legend_inches = (0.25 * len(table.columns) + 0.3) if stacked else 0.0
    title = textwrap.fill(table.caption, TITLE_WIDTH)
    title_inches = 0.25 * (title.count("\n") + 1) + 0.3
    figure = Figure(figsize=(_FIGURE_WIDTH_INCHES, plot_inches + legend_inches + title_inches + 0.6), layout="constrained")
    axes = figure.add_subplot()
    bars = [slot for slot in slots if slot.values is not None]
    left = [0] * len(bars)
    for index, column in enumerate(table.columns):
        widths = [slot.values[index] if slot.values is not None else 0 for slot in bars]
        axes.barh([slot.centre for slot in bars], widths, left=left, height=_BAR_INCHES,
                  color=_THEME_COLOURS[index % len(_THEME_COLOURS)], label=textwrap.fill(column, 90))
        left = [start + width for start, width in zip(left, widths, strict=True)]
    for slot, total in zip(bars, left, strict=True):
        axes.annotate(str(total), (total, slot.centre), xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
    axes.set_yticks([slot.centre for slot in slots], [slot.label for slot in slots], fontsize=9)
    for tick, slot in zip(axes.get_yticklabels(), slots, strict=True):
        if slot.values is None:
            tick.set_fontweight("bold")
    axes.tick_params(axis="y", length=0)
    axes.set_ylim(plot_inches, 0)  # first row at the top, as in the report's table
    axes.set_xlim(0, max(left) * 1.12 + 0.5)  # room for the total printed after the longest bar
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(COUNT_LABEL if stacked else table.columns[0])
    if table.row_header:
        axes.set_ylabel(textwrap.fill(table.row_header, 40), fontsize=9)
    axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    if stacked:
        figure.legend(loc="outside lower left", frameon=False, fontsize=9, ncols=min(len(table.columns), 3))
    # No "Software" entry and no dates: the same table gives the same bytes, so exports diff cleanly.
    figure.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
