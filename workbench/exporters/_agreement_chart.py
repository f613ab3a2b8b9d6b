"""A PNG bar chart of alpha per code with its interval, weakest code at the top, so the weak codes stand out.

One horizontal bar per code whose alpha is defined, coloured by Krippendorff's reading (red below .667,
amber below .800, green from .800), the 95 % interval as an error bar, dashed lines at .667 and .800, the
overall alpha as the last bar. Byte-identical for identical reports, like the table charts.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

from workbench.core.comparison.model import AgreementReport, CodeAgreement, UnitKind
from workbench.exporters._chart import DPI
from workbench.exporters.agreement import caption_nl, dutch, row_label_nl, table_rows

LABEL_WIDTH = 50
LABEL_LINES = 3
TITLE_WIDTH = 100
_COLOURS = {"reliable": "#2e7d32", "tentative": "#f9a825", "unreliable": "#c62828"}
_THRESHOLDS = (0.667, 0.800)
_BAR_INCHES = 0.3
_LINE_INCHES = 0.16
_FIGURE_WIDTH_INCHES = 10.0


def _charted(report: AgreementReport) -> list[CodeAgreement]:
    return [row for row in table_rows(report) if not math.isnan(row.alpha)]


def chart_problem(report: AgreementReport) -> str | None:
    """Why the report has no chart (no code with a defined alpha), or None."""
    if not _charted(report):
        return "no code has a defined alpha to chart"
    return None


def write_chart(report: AgreementReport, path: Path) -> None:
    """Write the chart as a 150 dpi PNG."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    rows = _charted(report)
    # A long code name (a whole quoted item) is cut after a few lines: the bar, not the name, is what the chart shows.
    labels = [textwrap.fill(" ".join(row_label_nl(row).split()), LABEL_WIDTH, max_lines=LABEL_LINES, placeholder=" …") for row in rows]
    slots = [max(_BAR_INCHES + 0.1, (label.count("\n") + 1) * _LINE_INCHES + 0.08) for label in labels]
    centres, y = [], 0.0
    for slot in slots:
        centres.append(y + slot / 2)
        y += slot
    title = textwrap.fill(caption_nl(report), TITLE_WIDTH)
    title_inches = 0.25 * (title.count("\n") + 1) + 0.3
    # A bare Figure, not pyplot: no GUI backend, no global state, safe from a worker thread.
    figure = Figure(figsize=(_FIGURE_WIDTH_INCHES, y + title_inches + 1.4), layout="constrained")
    axes = figure.add_subplot()
    alphas = [row.alpha for row in rows]
    lows = [row.alpha - row.alpha_low if not math.isnan(row.alpha_low) else 0.0 for row in rows]
    highs = [row.alpha_high - row.alpha if not math.isnan(row.alpha_high) else 0.0 for row in rows]
    colours = [_COLOURS[row.reading] for row in rows]
    axes.barh(centres, alphas, height=_BAR_INCHES, color=colours, xerr=[lows, highs], ecolor="#333333", capsize=3)
    for threshold in _THRESHOLDS:
        axes.axvline(threshold, color="#555555", linestyle="--", linewidth=0.8)
    axes.axvline(0, color="#000000", linewidth=0.6)
    axes.set_yticks(centres, labels, fontsize=8)
    if report.theme is None:
        axes.get_yticklabels()[-1].set_fontweight("bold")  # the overall row
    axes.set_ylim(y, 0)  # weakest at the top, as the report's rows
    lowest = min([0.0, *alphas, *(row.alpha_low for row in rows if not math.isnan(row.alpha_low))])
    axes.set_xlim(lowest - 0.05, 1.12)  # room for the value printed after the longest interval
    # Ticks with a decimal comma, as the values printed on the bars and the Word table (+ 0.0 turns a rounded −0.0 into 0,0).
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: dutch(round(value, 1) + 0.0, 1)))
    axes.set_xlabel("Krippendorffs uα" if report.unit is UnitKind.CONTINUUM else "Krippendorffs α (nominaal), 95%-BI")
    for centre, row, high in zip(centres, rows, highs, strict=True):
        axes.annotate(dutch(row.alpha, 2), (max(row.alpha + high, row.alpha, 0.0), centre), xytext=(4, 0), textcoords="offset points",
                      va="center", fontsize=8)
    # Over the whole figure, not the axes: the code names take the left half, and the caption reads from the margin.
    figure.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    handles = [
        Patch(color=_COLOURS["reliable"], label="betrouwbaar (α ≥ 0,800)"),
        Patch(color=_COLOURS["tentative"], label="voorlopig (α ≥ 0,667)"),
        Patch(color=_COLOURS["unreliable"], label="onvoldoende"),
    ]
    figure.legend(handles=handles, loc="outside lower left", frameon=False, fontsize=9, ncols=3)
    # No "Software" entry and no dates: the same report gives the same bytes, so exports diff cleanly.
    figure.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
