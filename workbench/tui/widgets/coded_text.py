"""The coding screen's text view: one document wrapped once per width, drawn line by line, addressed by character offsets."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, split_graphemes
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.tui.colors import code_style

TAB_SIZE = 8
GUTTER_MARK = "▌"
SELECTION_STYLE = Style(reverse=True)

# A token of the wrapper: a line break ("\r\n" counts as one), a run of breakable blanks, or anything else.
_TOKEN = re.compile(r"\r?\n|[ \t]+|[^ \t\r\n]+|\r")
# Runs of \w, with combining marks kept on their word ("cafe\u0301" is one word, not "cafe" and a mark).
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"\w[\w{_COMBINING}]*")
#: Punctuation right after a word, up to the next space or word: ".", "?!", "”,", ")."
_CLINGING = re.compile(rf"[^\s\w{_COMBINING}]+")
# The same pieces as the wrapper's tokens, so a grapheme never straddles two tokens and the widths agree.
_PIECE = re.compile(r"\t| +|[^ \t\r\n]+|[\r\n]")
# Control characters are kept in the offsets but never sent to the terminal.
_NO_CONTROLS = {codepoint: None for codepoint in [*range(0x20), *range(0x7F, 0xA0)]}


@dataclass(frozen=True)
class Highlight:
    """A coded span [start, end) drawn in its code's colour; `label` names the code."""

    start: int
    end: int
    color: str | None
    label: str = ""


class WrappedLine(NamedTuple):
    """One display row: the text slice [start, end) it shows and the cells it takes, hanging blanks included."""

    start: int
    end: int
    cells: int


class Cluster(NamedTuple):
    """One grapheme (or tab) of a row: its text slice, its first cell, its width and what the terminal is sent."""

    start: int
    end: int
    cell: int
    cells: int
    display: str


def _displayed(grapheme: str) -> str:
    """What the terminal is sent for a grapheme: no control characters, and no joiner or selector left dangling.

    A joiner at a grapheme's end or a variation selector at its start would glue onto the next or previous
    grapheme once the row is one string, and Rich would then measure the row shorter than its cells.
    """
    display = grapheme.translate(_NO_CONTROLS)
    if display[:1] == "\ufe0f":
        display = display.lstrip("\ufe0f")
    if display[-1:] == "\u200d":
        display = display.rstrip("\u200d")
    return display


def _token_cells(token: str) -> int:
    """Cells a token of text takes, measured grapheme by grapheme exactly as its row will be drawn."""
    if "\u200d" in token or "\ufe0f" in token:
        return sum(cell_len(_displayed(token[start:end])) for start, end, _ in split_graphemes(token)[0])
    return cell_len(token)


def _tab_cells(cell: int) -> int:
    """Cells a tab takes at `cell`: up to the next tab stop."""
    return TAB_SIZE - cell % TAB_SIZE


def wrap_text(text: str, width: int) -> list[WrappedLine]:
    """Word-wrap `text` to `width` cells; the rows' slices, joined, are exactly `text`.

    Blanks where a row breaks hang at its end (kept in its slice, cropped from view), a word longer than
    the width is cut between graphemes, and a line break ends its row without taking a cell.
    """
    width = max(1, width)
    lines: list[WrappedLine] = []
    line_start = 0
    cells = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        position = match.start()
        first = token[0]
        if token[-1] == "\n":
            lines.append(WrappedLine(line_start, match.end(), cells))
            line_start, cells = match.end(), 0
        elif first == " " or first == "\t":
            for blank in token:
                cells += _tab_cells(cells) if blank == "\t" else 1
        else:
            token_cells = _token_cells(token)
            if cells + token_cells <= width:
                cells += token_cells
                continue
            if cells:
                lines.append(WrappedLine(line_start, position, cells))
                line_start, cells = position, 0
            if token_cells <= width:
                cells = token_cells
                continue
            for cluster_start, cluster_end, _ in split_graphemes(token)[0]:
                cluster_cells = cell_len(_displayed(token[cluster_start:cluster_end]))
                if cells and cells + cluster_cells > width:
                    lines.append(WrappedLine(line_start, position + cluster_start, cells))
                    line_start, cells = position + cluster_start, 0
                cells += cluster_cells
    lines.append(WrappedLine(line_start, len(text), cells))
    return lines


class TextLayout:
    """A text wrapped to a width, with the mapping between character offsets and (row, cell)."""

    def __init__(self, text: str, width: int) -> None:
        self.text = text
        self.width = max(1, width)
        self.lines = wrap_text(text, self.width)
        self._starts = [line.start for line in self.lines]
        self._clusters: LRUCache[int, tuple[Cluster, ...]] = LRUCache(2048)

    def row_of(self, offset: int) -> int:
        """The row that shows the character at `offset` (the last row for the end of the text)."""
        return max(0, bisect_right(self._starts, offset) - 1)

    def rows_between(self, start: int, end: int) -> range:
        """The rows that show any of the characters in [start, end), or the row of `start` if it is empty."""
        return range(self.row_of(start), self.row_of(max(start, end - 1)) + 1)

    def content_end(self, row: int) -> int:
        """Where the row's visible text ends: before its line break, if it has one."""
        line = self.lines[row]
        end = line.end
        if end > line.start and self.text[end - 1] == "\n":
            end -= 1
            if end > line.start and self.text[end - 1] == "\r":
                end -= 1
        return end

    def clusters(self, row: int) -> tuple[Cluster, ...]:
        """The row's graphemes and tabs with their cells, cached because rendering and the mouse both need them."""
        cached = self._clusters.get(row)
        if cached is not None:
            return cached
        start = self.lines[row].start
        content = self.text[start : self.content_end(row)]
        clusters: list[Cluster] = []
        cell = 0
        for match in _PIECE.finditer(content):
            piece_start = start + match.start()
            piece = match.group()
            if piece == "\t":
                cells = _tab_cells(cell)
                clusters.append(Cluster(piece_start, piece_start + 1, cell, cells, " " * cells))
                cell += cells
                continue
            for cluster_start, cluster_end, _ in split_graphemes(piece)[0]:
                display = _displayed(piece[cluster_start:cluster_end])
                cells = cell_len(display)
                clusters.append(Cluster(piece_start + cluster_start, piece_start + cluster_end, cell, cells, display))
                cell += cells
        result = tuple(clusters)
        self._clusters.set(row, result)
        return result

    def locate(self, offset: int) -> tuple[int, int]:
        """The (row, cell) where the character at `offset` is drawn; a line break sits just after its row's text."""
        offset = min(max(offset, 0), len(self.text))
        row = self.row_of(offset)
        clusters = self.clusters(row)
        index = bisect_right([cluster.start for cluster in clusters], offset) - 1
        if index >= 0 and offset < clusters[index].end:
            return row, clusters[index].cell
        return row, clusters[-1].cell + clusters[-1].cells if clusters else 0

    def span_at(self, row: int, cell: int) -> tuple[int, int]:
        """The grapheme drawn at (row, cell) as [start, end); past the row's text, the empty span after its last grapheme."""
        row = min(max(row, 0), len(self.lines) - 1)
        end = self.lines[row].start
        for cluster in self.clusters(row):
            if cluster.cells:
                if cluster.cell <= cell < cluster.cell + cluster.cells or cluster.cell > cell:
                    return cluster.start, cluster.end
                end = cluster.end
        return end, end

    def offset_at(self, row: int, cell: int) -> int:
        """The offset of the character drawn at (row, cell), or of the row's end past its text."""
        return self.span_at(row, cell)[0]


def paint(spans: Sequence[Highlight]) -> list[tuple[int, int, Highlight]]:
    """Flatten overlapping highlights into sorted, disjoint runs; where spans overlap the shortest wins, then the last."""
    indexed = sorted((span.start, span.end, index) for index, span in enumerate(spans) if span.end > span.start)
    bounds = sorted({bound for start, end, _ in indexed for bound in (start, end)})
    runs: list[tuple[int, int, Highlight]] = []
    active: list[tuple[int, int, int]] = []
    next_span = 0
    for low, high in pairwise(bounds):
        while next_span < len(indexed) and indexed[next_span][0] <= low:
            active.append(indexed[next_span])
            next_span += 1
        active = [span for span in active if span[1] > low]
        if not active:
            continue
        winner = spans[min(active, key=lambda span: (span[1] - span[0], -span[2]))[2]]
        if runs and runs[-1][1] == low and runs[-1][2] is winner:
            runs[-1] = (runs[-1][0], high, winner)
        else:
            runs.append((low, high, winner))
    return runs


def word_bounds(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of every word (a run of \\w), in order."""
    starts: list[int] = []
    ends: list[int] = []
    for match in _WORD.finditer(text):
        starts.append(match.start())
        ends.append(match.end())
    return starts, ends


def selection_stops(text: str) -> tuple[list[int], list[int]]:
    """Where a selection grown or shrunk by keys may start and end: at words, and past punctuation that clings to them.

    A sentence's final stop, a closing quote or bracket ends a stop of its own ("motiverend" → "motiverend." →
    "motiverend. Een"), and an opening quote or bracket starts one, so a quote can be coded with its marks.
    """
    starts, ends = word_bounds(text)
    stops_start, stops_end = set(starts), set(ends)
    for end in ends:
        clinging = _CLINGING.match(text, end)
        if clinging is not None:
            stops_end.add(clinging.end())
    for start in starts:
        before = start
        while before > 0 and _is_clinging(text[before - 1]):
            before -= 1
        stops_start.add(before)
    return sorted(stops_start), sorted(stops_end)


def _is_clinging(char: str) -> bool:
    return not char.isspace() and not _WORD.match(char)


def line_units(text: str) -> list[tuple[int, int]]:
    """Each non-blank line as a unit, without its line break: the fallback when the screen gives no units."""
    units: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        if text[end - 1] == "\r":
            end -= 1
        if text[start:end].strip():
            units.append((start, end))
    return units


class _Run(NamedTuple):
    """A painted stretch of text with the styles to draw it and its gutter mark."""

    start: int
    end: int
    color: str | None
    style: Style
    mark: Style


class CodedText(ScrollView, can_focus=True):
    """One document's text with its coded spans, and a selection moved by units, words or the mouse.

    Keys: down/j and up/k move to the next/previous unit, home/end to the first/last; shift+right/L and
    shift+left/H extend or shrink the selection's end by a word, ctrl+left/ctrl+right its start.
    """

    ALLOW_SELECT = False  # the mouse selects spans to code, not text to copy
    DEFAULT_CSS = """
    CodedText {
        height: 1fr;
        overflow-x: hidden;
        scrollbar-gutter: stable;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "next_unit", "Next"),
        Binding("up,k", "previous_unit", "Previous"),
        Binding("shift+right,L", "extend_end", "Extend"),
        Binding("shift+left,H", "shrink_end", "Shrink"),
        Binding("ctrl+left", "extend_start", "Extend start", show=False),
        Binding("ctrl+right", "shrink_start", "Shrink start", show=False),
        Binding("home", "first_unit", "First", show=False),
        Binding("end", "last_unit", "Last", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    @dataclass
    class SelectionChanged(Message):
        """The selection is now [start, end) in character offsets."""

        start: int
        end: int
        coded_text: CodedText | None = field(default=None, repr=False, compare=False)

        @property
        def control(self) -> CodedText | None:
            """The CodedText whose selection changed, so `@on(..., "#id")` can match it."""
            return self.coded_text

    @dataclass
    class Scrolled(Message):
        """The visible part of the text changed (scrolled or re-wrapped): panels that follow it refresh."""

    def visible_span(self) -> tuple[int, int]:
        """The character offsets shown on screen now, from the first visible row to the end of the last."""
        layout = self.text_layout
        if layout is None or not layout.lines:
            return (0, 0)
        top = min(len(layout.lines) - 1, max(0, int(self.scroll_offset.y)))
        bottom = min(len(layout.lines) - 1, top + max(0, self.scrollable_content_region.height - 1))
        return (layout.lines[top].start, layout.lines[bottom].end)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if int(old_value) != int(new_value):
            self.post_message(self.Scrolled())

    def __init__(
        self,
        *,
        gutter: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._text = ""
        self._units: list[tuple[int, int]] = []
        self._unit_starts: list[int] = []
        self._word_starts: list[int] = []
        self._word_ends: list[int] = []
        self._selection = (0, 0)
        self._runs: list[_Run] = []
        self._run_starts: list[int] = []
        self._layout: TextLayout | None = None
        self._strips: LRUCache[int, Strip] = LRUCache(1024)
        self._gutter_width = 2 if gutter else 0
        self._drag_anchor: tuple[int, int] | None = None
        self._dragged = False
        self._scroll_pending = False

    # -- public API ---------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The document text, exactly as loaded."""
        return self._text

    @property
    def selection(self) -> tuple[int, int]:
        """The selected span [start, end) in character offsets."""
        return self._selection

    @property
    def units(self) -> tuple[tuple[int, int], ...]:
        """The navigation units in use (whole lines when none were given)."""
        return tuple(self._units)

    @property
    def text_layout(self) -> TextLayout | None:
        """The current wrap of the text, or None before the widget has a width."""
        return self._layout

    def load(self, text: str, units: Sequence[tuple[int, int]] = ()) -> None:
        """Show `text` with `units` to move by (whole lines if none), clear highlights and select the first unit."""
        self._text = text
        self._word_starts, self._word_ends = selection_stops(text)
        self._runs, self._run_starts = [], []
        self._selection = (-1, -1)  # so the first unit always counts as a change and is announced
        self._layout = None
        self._set_units(units)
        self._relayout()
        self.scroll_to(0, 0, animate=False)
        self.select(*(self._units[0] if self._units else (0, 0)))

    def set_units(self, units: Sequence[tuple[int, int]]) -> None:
        """Move by `units` from now on (whole lines if empty); the selection stays where it is."""
        self._set_units(units)

    def set_highlights(self, spans: Sequence[Highlight]) -> None:
        """Draw `spans` in their code colours; only rows whose painting changed are drawn again."""
        length = len(self._text)
        clamped = [
            span if 0 <= span.start < span.end <= length else Highlight(max(0, span.start), min(length, span.end), span.color, span.label)
            for span in spans
        ]
        runs = []
        for start, end, span in paint(clamped):
            style = code_style(span.color)
            runs.append(_Run(start, end, span.color, style, Style(color=style.bgcolor)))
        before = {(run.start, run.end, run.color) for run in self._runs}
        after = {(run.start, run.end, run.color) for run in runs}
        self._runs = runs
        self._run_starts = [run.start for run in runs]
        for start, end, _ in before ^ after:
            self._invalidate(start, end)

    def select(self, start: int, end: int, scroll: bool = True) -> None:
        """Select [start, end) (clamped to the text), post SelectionChanged if it moved, and scroll it into view."""
        length = len(self._text)
        start, end = sorted((min(max(start, 0), length), min(max(end, 0), length)))
        previous_start, previous_end = self._selection
        if (start, end) != (previous_start, previous_end):
            self._selection = (start, end)
            if start < previous_end and previous_start < end:  # overlapping: redraw only where it changed
                self._invalidate(min(start, previous_start), max(start, previous_start))
                self._invalidate(min(end, previous_end), max(end, previous_end))
            else:
                self._invalidate(previous_start, previous_end)
                self._invalidate(start, end)
            self.post_message(self.SelectionChanged(start, end, self))
        if scroll:
            self._scroll_to_selection()

    # -- actions --------------------------------------------------------------------------------------

    def action_next_unit(self) -> None:
        """Select the first unit that starts after the selection's start."""
        index = bisect_right(self._unit_starts, self._selection[0])
        if index < len(self._units):
            self.select(*self._units[index])

    def action_previous_unit(self) -> None:
        """Select the last unit that starts before the selection's start."""
        index = bisect_left(self._unit_starts, self._selection[0]) - 1
        if index >= 0:
            self.select(*self._units[index])

    def action_first_unit(self) -> None:
        """Select the first unit."""
        if self._units:
            self.select(*self._units[0])

    def action_last_unit(self) -> None:
        """Select the last unit."""
        if self._units:
            self.select(*self._units[-1])

    def action_extend_end(self) -> None:
        """Move the selection's end to the end of the next word, or of the punctuation clinging to the last one."""
        start, end = self._selection
        index = bisect_right(self._word_ends, end)
        if index < len(self._word_ends):
            self.select(start, self._word_ends[index])

    def action_shrink_end(self) -> None:
        """Move the selection's end back to the previous stop (a word's end, or its clinging punctuation's), keeping one."""
        start, end = self._selection
        index = bisect_left(self._word_ends, end) - 1
        if index >= 0 and self._word_ends[index] > start:
            self.select(start, self._word_ends[index])

    def action_extend_start(self) -> None:
        """Move the selection's start back to the start of the previous word."""
        start, end = self._selection
        index = bisect_left(self._word_starts, start) - 1
        if index >= 0:
            self.select(self._word_starts[index], end)

    def action_shrink_start(self) -> None:
        """Move the selection's start forward to the start of the next word inside the selection."""
        start, end = self._selection
        index = bisect_right(self._word_starts, start)
        if index < len(self._word_starts) and self._word_starts[index] < end:
            self.select(self._word_starts[index], end)

    # -- layout and rendering -----------------------------------------------------------------------------

    def _set_units(self, units: Sequence[tuple[int, int]]) -> None:
        """Keep the non-empty units inside the text, sorted, or the text's lines when there are none."""
        length = len(self._text)
        kept = sorted({(max(0, start), min(length, end)) for start, end in units if min(length, end) > max(0, start)})
        self._units = kept or line_units(self._text)
        self._unit_starts = [start for start, _ in self._units]

    def _relayout(self) -> None:
        """Wrap the text again if the width or the text changed since the last wrap."""
        content_width = self.scrollable_content_region.width
        width = content_width - self._gutter_width
        if width <= 0:
            return
        layout = self._layout
        if layout is not None and layout.width == width and layout.text is self._text:
            return
        self._layout = TextLayout(self._text, width)
        self._strips.clear()
        self.virtual_size = Size(content_width, len(self._layout.lines))
        self.refresh()
        if self._scroll_pending:
            self._scroll_to_selection()

    def on_resize(self, event: events.Resize) -> None:
        """Wrap to the new width and keep the selection in view."""
        wrapped = self._layout
        self._relayout()
        if self._layout is not wrapped:
            self._scroll_to_selection()

    def _scroll_to_selection(self) -> None:
        """Scroll so the selection's first row (and as much of the rest as fits) is in view."""
        layout = self._layout
        if layout is None:
            self._scroll_pending = True
            return
        self._scroll_pending = False
        rows = layout.rows_between(*self._selection)
        self.scroll_to_region(Region(0, rows.start, 1, len(rows)), animate=False, x_axis=False, immediate=True)

    def _invalidate(self, start: int, end: int) -> None:
        """Forget the drawn rows showing [start, end) and redraw those in view."""
        layout = self._layout
        if layout is None:
            return
        rows = layout.rows_between(start, end)
        for row in rows:
            self._strips.discard(row)
        top = self.scroll_offset.y
        first, last = max(rows.start, top), min(rows.stop, top + self.size.height)
        if first < last:
            self.refresh_lines(first, last - first)

    def render_line(self, y: int) -> Strip:
        """Draw the row at `y` in view from its wrap record, highlights and selection."""
        width = self.size.width
        row = y + self.scroll_offset.y
        layout = self._layout
        if layout is None or row >= len(layout.lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(row)
        if strip is None or strip.cell_length != width:
            strip = self._draw_row(layout, row).crop_extend(0, width, None)
            self._strips.set(row, strip)
        return strip

    def _runs_from(self, offset: int) -> int:
        """Index of the first run that ends after `offset`."""
        index = max(0, bisect_right(self._run_starts, offset) - 1)
        while index < len(self._runs) and self._runs[index].end <= offset:
            index += 1
        return index

    def _draw_row(self, layout: TextLayout, row: int) -> Strip:
        """The row's segments: the gutter mark, then its graphemes grouped by style."""
        line = layout.lines[row]
        runs = self._runs
        run_index = self._runs_from(line.start)
        segments: list[Segment] = []
        if self._gutter_width:
            coded = run_index < len(runs) and runs[run_index].start < max(line.end, line.start + 1)
            mark = GUTTER_MARK if coded else " "
            segments.append(Segment(mark.ljust(self._gutter_width), runs[run_index].mark if coded else None))
        selection_start, selection_end = self._selection
        pending: list[str] = []
        pending_style: Style | None = None
        for cluster in layout.clusters(row):
            offset = cluster.start
            while run_index < len(runs) and runs[run_index].end <= offset:
                run_index += 1
            style = runs[run_index].style if run_index < len(runs) and runs[run_index].start <= offset else None
            if selection_start <= offset < selection_end:
                style = style + SELECTION_STYLE if style is not None else SELECTION_STYLE
            if style != pending_style and pending:
                segments.append(Segment("".join(pending), pending_style))
                pending = []
            pending_style = style
            pending.append(cluster.display)
        if pending:
            segments.append(Segment("".join(pending), pending_style))
        return Strip(segments)

    # -- mouse --------------------------------------------------------------------------------------

    def _span_under(self, event: events.MouseEvent) -> tuple[int, int] | None:
        """The grapheme under the mouse as [start, end), or the empty span at a row's end past its text."""
        layout = self._layout
        if layout is None:
            return None
        offset = event.get_content_offset_capture(self)
        row = offset.y + self.scroll_offset.y
        cell = max(0, offset.x + self.scroll_offset.x - self._gutter_width)
        return layout.span_at(row, cell)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Start a selection at the grapheme under the mouse."""
        if event.button != 1:
            return
        self._drag_anchor = self._span_under(event)
        self._dragged = False
        if self._drag_anchor is not None:
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Stretch the selection from where the mouse went down to the grapheme under it."""
        self._drag_to(event)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """Finish a drag, or select the unit under a click that did not move."""
        anchor = self._drag_anchor
        if anchor is None:
            return
        self._drag_to(event)
        self._drag_anchor = None
        self.release_mouse()
        if not self._dragged:
            unit = self._unit_at(anchor[0])
            if unit is not None:
                self.select(*unit, scroll=False)

    def _drag_to(self, event: events.MouseEvent) -> None:
        """Select from the drag's anchor to the grapheme under the mouse, both included."""
        anchor = self._drag_anchor
        if anchor is None:
            return
        span = self._span_under(event)
        if span is None:
            return
        if span != anchor:
            self._dragged = True
        if self._dragged:
            self.select(min(anchor[0], span[0]), max(anchor[1], span[1]), scroll=False)

    def _unit_at(self, offset: int) -> tuple[int, int] | None:
        """The innermost unit holding `offset`, else the nearest one."""
        holding = [unit for unit in self._units if unit[0] <= offset < unit[1]]
        if holding:
            return min(holding, key=lambda unit: unit[1] - unit[0])
        return min(self._units, key=lambda unit: min(abs(unit[0] - offset), abs(unit[1] - offset)), default=None)
