"""A bar chart of Krippendorff's alpha per code drawn in text: a bar to alpha, its interval, the .667 and .800 lines."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from workbench.core.comparison.model import CodeAgreement

#: Krippendorff's thresholds: tentative conclusions from .667, reliable from .800.
THRESHOLDS = (0.667, 0.800)
#: How each reading is coloured: the weak codes are the ones that must stand out.
READING_STYLE = {"unreliable": "bold red", "tentative": "yellow", "reliable": "green", "undefined": "dim"}
_NAME_WIDTH = 32
_VALUE_WIDTH = 22
_MIN_BAR = 10
LEGEND = "α per code: █ up to the interval's low end, ▓ from there to α, ─┤ on to its high end; ┊ at .667 and .800"


def _value(row: CodeAgreement) -> str:
    if math.isnan(row.alpha):
        return "α undefined"
    if math.isnan(row.alpha_low) or math.isnan(row.alpha_high):
        return f"{row.alpha:.3f}"
    return f"{row.alpha:.3f} [{row.alpha_low:.3f}–{row.alpha_high:.3f}]"


def _cell(value: float, width: int) -> int:
    """The cell of a bar `width` cells wide (0 to 1) that holds `value`."""
    return min(width - 1, max(0, int(value * width)))


def bar(row: CodeAgreement, width: int) -> Text:
    """One code's bar, `width` cells standing for alpha 0 to 1; a negative alpha shows as ◂ at zero."""
    style = READING_STYLE[row.reading]
    if math.isnan(row.alpha):
        return Text((row.note or "undefined")[:width].ljust(width), style="dim italic")
    low, high = row.alpha_low, row.alpha_high
    interval = not (math.isnan(low) or math.isnan(high))
    cells: list[str] = []
    for index in range(width):
        centre = (index + 0.5) / width
        in_bar = centre <= row.alpha
        in_interval = interval and low <= centre <= high
        cells.append(("▓" if in_interval else "█") if in_bar else ("─" if in_interval else " "))
    if interval and high > max(row.alpha, 0) and high >= 0:
        end = _cell(high, width)
        if cells[end] in (" ", "─"):
            cells[end] = "┤"
    if row.alpha < 0:
        cells[0] = "◂"
    for threshold in THRESHOLDS:
        at = _cell(threshold, width)
        cells[at] = {" ": "┊", "─": "┼"}.get(cells[at], cells[at])
    text = Text()
    for char in cells:
        text.append(char, style="dim" if char in "┊┼" else style)
    return text


def axis(width: int) -> Text:
    """The scale under the bars: 0, .667, .800 and 1 at their cells."""
    line = [" "] * width
    for value, label in ((0.0, "0"), (THRESHOLDS[0], ".667"), (THRESHOLDS[1], ".800"), (1.0, "1")):
        start = min(_cell(value, width), width - len(label))
        if all(c == " " for c in line[max(0, start - 1) : start + len(label)]):
            line[start : start + len(label)] = list(label)
    return Text("".join(line), style="dim")


def chart_lines(rows: Sequence[CodeAgreement], width: int, highlighted: int | None = None) -> list[Text]:
    """The chart as lines of `width` cells: a legend, one line per code (name, bar, alpha [interval]), the scale."""
    name_width = min(_NAME_WIDTH, max((len(r.name) for r in rows), default=4), max(8, width // 4))
    bar_width = max(_MIN_BAR, width - name_width - _VALUE_WIDTH - 4)
    lines = [Text(LEGEND[:width], style="dim")]
    for index, row in enumerate(rows):
        name = row.name if len(row.name) <= name_width else row.name[: name_width - 1] + "…"
        style = READING_STYLE[row.reading]
        marker = "▶ " if index == highlighted else "  "
        line = Text(marker, style="bold")
        line.append(name.ljust(name_width), style=f"{style} reverse" if index == highlighted else style)
        line.append(" ")
        line.append_text(bar(row, bar_width))
        line.append(" " + _value(row), style=style)
        lines.append(line)
    lines.append(Text(" " * (name_width + 3)) + axis(bar_width))
    return lines


class AlphaChart(Widget):
    """Alpha per code with its interval, one line each, weakest first; the reading's colour makes weak codes stand out."""

    DEFAULT_CSS = "AlphaChart { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name for it
        super().__init__(id=id)
        self._rows: tuple[CodeAgreement, ...] = ()
        self._highlighted: int | None = None

    @property
    def rows(self) -> tuple[CodeAgreement, ...]:
        """The codes charted, in the order shown."""
        return self._rows

    def show(self, rows: Sequence[CodeAgreement], highlighted: int | None = None) -> None:
        """Chart these codes (in this order), marking one of them."""
        self._rows = tuple(rows)
        self._highlighted = highlighted
        self.refresh(layout=True)

    def highlight(self, index: int | None) -> None:
        """Mark the code at `index` (the one under the table's cursor)."""
        if index != self._highlighted:
            self._highlighted = index
            self.refresh()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._rows) + 2 if self._rows else 1

    def render(self) -> Text:
        if not self._rows:
            return Text("no codes to chart", style="dim")
        return Text("\n").join(chart_lines(self._rows, self.content_size.width or 80, self._highlighted))
