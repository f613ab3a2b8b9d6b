"""CodedText shows a document by character offsets: units, words, highlights, selection, mouse and wrapping."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.color import Color
from rich.style import Style
from textual.app import App, ComposeResult
from textual.widgets import Footer

from tests.conftest import screen_lines, styled_runs
from workbench.tui.widgets.coded_text import CodedText, Highlight, TextLayout, line_units, paint, selection_stops, word_bounds

LONG_WORD = "Z" * 300
TEXT = (
    "I: Hoe gaat het met je?\r\n"
    "R: Goed.\tDe begeleiding is “heel” fijn, echt waar. Naïef misschien, maar ik voel me gezien.\r\n"
    "\r\n"
    "I: En de financiën?\r\n"
    f"R: {LONG_WORD} klaar.\r\n"
)
TURNS = [(m.start(), m.end()) for m in re.finditer(r"[IR]: [^\r\n]*", TEXT)]
GREEN, RED = "#2e7d32", "#c62828"
GUTTER = 2  # the mark column and a space before the text


def span_of(fragment: str) -> tuple[int, int]:
    """The offsets of the one occurrence of `fragment` in TEXT."""
    start = TEXT.index(fragment)
    assert TEXT.count(fragment) == 1
    return start, start + len(fragment)


class Host(App[None]):
    """One CodedText filling the screen, recording every SelectionChanged it posts."""

    def __init__(self, text: str = TEXT, units: list[tuple[int, int]] | None = None) -> None:
        super().__init__()
        self.text, self.units = text, units
        self.changes: list[tuple[int, int]] = []
        self.controls: list[object] = []

    def compose(self) -> ComposeResult:
        yield CodedText()

    def on_mount(self) -> None:
        self.query_one(CodedText).load(self.text, self.units if self.units is not None else ())

    def on_coded_text_selection_changed(self, message: CodedText.SelectionChanged) -> None:
        self.changes.append((message.start, message.end))
        self.controls.append(message.control)


def selected(widget: CodedText) -> str:
    """The selected text."""
    start, end = widget.selection
    return widget.text[start:end]


def runs(app: App[None]) -> list[tuple[str, Style | None]]:
    """The screen's (text, Rich style) runs."""
    return [(text, cast("Style | None", style)) for text, style in styled_runs(app)]


def text_area_runs(app: App[None]) -> list[tuple[str, Style | None]]:
    """The styled runs left of the scrollbar column, whose thumb is drawn reversed too."""
    screen_width = app.size.width
    kept: list[tuple[str, Style | None]] = []
    column = 0
    for text, style in runs(app):
        if column < screen_width - 2:
            kept.append((text, style))
        column = (column + cell_len(text)) % screen_width
    return kept


def shown_with(app: App[None], wanted: object) -> str:
    """The screen's characters whose style has background `wanted` (a Color) or, for "reverse", are reversed."""
    shown = text_area_runs(app)
    if wanted == "reverse":
        return "".join(text for text, style in shown if style is not None and style.reverse)
    return "".join(text for text, style in shown if style is not None and style.bgcolor == wanted)


async def test_load_selects_the_first_unit_and_announces_it() -> None:
    app = Host(units=TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        assert widget.selection == TURNS[0]
        assert app.changes == [TURNS[0]]
        assert app.controls == [widget]


async def test_without_units_it_moves_by_whole_lines_without_their_line_breaks() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        assert list(widget.units) == TURNS  # the blank line is no unit, and "\r\n" is in none
        assert selected(widget) == "I: Hoe gaat het met je?"


async def test_keys_move_the_selection_unit_by_unit() -> None:
    app = Host(units=TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        await pilot.press("down")
        assert widget.selection == TURNS[1]
        await pilot.press("j", "j")
        assert widget.selection == TURNS[3]
        await pilot.press("down")  # past the last unit nothing moves
        assert widget.selection == TURNS[3]
        await pilot.press("up")
        assert widget.selection == TURNS[2]
        await pilot.press("k")
        assert widget.selection == TURNS[1]
        await pilot.press("end")
        assert widget.selection == TURNS[-1]
        await pilot.press("home")
        assert widget.selection == TURNS[0]
        assert app.changes == [TURNS[0], TURNS[1], TURNS[2], TURNS[3], TURNS[2], TURNS[1], TURNS[3], TURNS[0]]


async def test_words_extend_and_shrink_the_end_with_exact_offsets() -> None:
    app = Host(units=TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        widget.select(*span_of("Goed"))
        await pilot.press("shift+right")
        assert selected(widget) == "Goed."  # a sentence's final stop is a place to end
        await pilot.press("shift+right")
        assert selected(widget) == "Goed.\tDe"
        await pilot.press("L", "L", "L")
        assert selected(widget) == "Goed.\tDe begeleiding is “heel"
        await pilot.press("L")
        assert selected(widget) == "Goed.\tDe begeleiding is “heel”"  # and so is a closing quote
        await pilot.press("L")
        assert selected(widget) == "Goed.\tDe begeleiding is “heel” fijn"
        await pilot.press("shift+left", "shift+left")
        assert selected(widget) == "Goed.\tDe begeleiding is “heel"
        await pilot.press("H", "H", "H", "H")
        assert selected(widget) == "Goed."
        await pilot.press("H")
        assert selected(widget) == "Goed"
        await pilot.press("H")  # the last word stays
        assert selected(widget) == "Goed"

        widget.select(*span_of("waar"))
        await pilot.press("L", "L")
        assert selected(widget) == "waar. Naïef"  # a diacritic does not split a word


async def test_ctrl_arrows_move_the_start_by_a_word() -> None:
    app = Host(units=TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        widget.select(*span_of("financiën"))
        await pilot.press("ctrl+left")
        assert selected(widget) == "de financiën"
        await pilot.press("ctrl+left", "ctrl+left")
        assert selected(widget) == "I: En de financiën"
        await pilot.press("ctrl+right")
        assert selected(widget) == "En de financiën"
        await pilot.press("ctrl+right", "ctrl+right", "ctrl+right")  # the start never passes the last word
        assert selected(widget) == "financiën"


async def test_highlights_colour_exactly_the_coded_characters_innermost_on_top() -> None:
    app = Host(units=TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        outer, inner = span_of("De begeleiding is “heel” fijn"), span_of("“heel” fijn")
        widget.set_highlights([Highlight(*outer, GREEN, "begeleiding"), Highlight(*inner, RED, "waardering")])
        await pilot.pause()
        assert shown_with(app, Color.parse(RED)) == "“heel” fijn"
        assert shown_with(app, Color.parse(GREEN)) == "De begeleiding is "
        lines = screen_lines(app)
        assert lines[1].startswith("▌ R: Goed.") and lines[0].startswith("  I: Hoe")  # the gutter marks coded rows
        marks = [style for text, style in runs(app) if text.startswith("▌")]
        assert marks and marks[0] is not None and marks[0].color == Color.parse(GREEN)

        widget.set_highlights([Highlight(*inner, RED, "waardering")])  # uncoding repaints
        await pilot.pause()
        assert shown_with(app, Color.parse(GREEN)) == ""
        assert shown_with(app, Color.parse(RED)) == "“heel” fijn"


async def test_the_selection_shows_reversed_even_over_a_highlight() -> None:
    app = Host(units=TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        widget.set_highlights([Highlight(*span_of("“heel”"), RED, "waardering")])
        widget.select(*span_of("is “heel” fijn"))
        await pilot.pause()
        assert shown_with(app, "reverse") == "is “heel” fijn"
        both = [text for text, style in runs(app) if style is not None and style.reverse and style.bgcolor == Color.parse(RED)]
        assert "".join(both) == "“heel”"


async def test_the_screen_shows_every_character_without_carriage_returns_and_with_tabs_expanded() -> None:
    app = Host(units=TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        shown = "\n".join(lines)
        assert "\r" not in shown and "\t" not in shown
        assert lines[1][GUTTER:].startswith("R: Goed.        De begeleiding")  # the tab runs to column 16
        assert lines[2][GUTTER:].startswith("maar ik voel me gezien.")  # wrapped at a space, the space kept above
        assert shown.count("Z") == 300  # the long word is cut into rows, none lost
        z_rows = [line for line in lines if "Z" in line]
        assert all(len(line.rstrip()) <= 80 - 2 for line in z_rows) and len(z_rows) == 4


async def test_the_footer_names_the_keys() -> None:
    class WithFooter(Host):
        def compose(self) -> ComposeResult:
            yield CodedText()
            yield Footer()

    app = WithFooter(units=TURNS)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert all(word in footer for word in ("Next", "Previous", "Extend", "Shrink"))


async def test_a_mouse_drag_selects_the_dragged_characters() -> None:
    app = Host(units=TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        # Row 1 reads "R: Goed.<tab to 16>De begeleiding ..."; "De" starts at cell 16, "begeleiding" ends at 29.
        await pilot.mouse_down(CodedText, offset=(GUTTER + 16, 1))
        await pilot.hover(CodedText, offset=(GUTTER + 20, 1))
        await pilot.mouse_up(CodedText, offset=(GUTTER + 29, 1))
        assert selected(widget) == "De begeleiding"

        # Backwards, over a row break: from "R" of row 1 back to "Hoe" on row 0.
        await pilot.mouse_down(CodedText, offset=(GUTTER, 1))
        await pilot.mouse_up(CodedText, offset=(GUTTER + 3, 0))
        assert selected(widget) == "Hoe gaat het met je?\r\nR"

        # Past the end of a row the drag stops before its line break.
        await pilot.mouse_down(CodedText, offset=(GUTTER + 7, 0))
        await pilot.mouse_up(CodedText, offset=(60, 0))
        assert selected(widget) == "gaat het met je?"
        assert app.changes[-1] == widget.selection


async def test_a_click_selects_the_unit_under_it() -> None:
    app = Host(units=TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        await pilot.click(CodedText, offset=(GUTTER + 10, 4))
        assert widget.selection == TURNS[2]
        await pilot.click(CodedText, offset=(GUTTER + 30, 1))
        assert widget.selection == TURNS[1]


async def test_resizing_rewraps_and_keeps_offsets_right() -> None:
    app = Host(units=TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        coded = span_of("Naïef misschien, maar ik voel me gezien.")
        widget.set_highlights([Highlight(*coded, GREEN, "gezien")])
        widget.select(*TURNS[1])
        await pilot.resize_terminal(40, 24)
        await pilot.pause()
        layout = widget.text_layout
        assert layout is not None and layout.width == 40 - GUTTER - 2  # the scrollbar keeps its column
        lines = screen_lines(app)
        assert all(len(line) == 40 for line in lines)
        assert widget.selection == TURNS[1]
        shown = shown_with(app, Color.parse(GREEN))
        assert shown.replace(" ", "") == TEXT[slice(*coded)].replace(" ", "")  # blanks at row ends may hang

        # The mouse still lands on the right characters after the rewrap.
        first_row, first_cell = layout.locate(coded[0])
        last_row, last_cell = layout.locate(coded[1] - 1)
        await pilot.mouse_down(CodedText, offset=(GUTTER + first_cell, first_row - widget.scroll_offset.y))
        await pilot.mouse_up(CodedText, offset=(GUTTER + last_cell, last_row - widget.scroll_offset.y))
        assert widget.selection == coded


async def test_moving_down_scrolls_the_selection_into_view() -> None:
    text = "".join(f"R: Zin nummer {n} van het verhaal.\n" for n in range(200))
    app = Host(text=text)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        for _ in range(60):
            await pilot.press("down")
        await pilot.pause()
        assert selected(widget) == "R: Zin nummer 60 van het verhaal."
        assert shown_with(app, "reverse") == "R: Zin nummer 60 van het verhaal."
        await pilot.press("pagedown")
        await pilot.pause()
        assert widget.selection == (text.index("R: Zin nummer 60 "), text.index("\nR: Zin nummer 61 "))


async def test_a_new_highlight_redraws_only_its_rows_and_never_rewraps(monkeypatch: pytest.MonkeyPatch) -> None:
    app = Host(units=TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(CodedText)
        layout = widget.text_layout
        drawn: list[int] = []
        draw_row = widget._draw_row

        def counting(layout: TextLayout, row: int) -> object:
            drawn.append(row)
            return draw_row(layout, row)

        monkeypatch.setattr(widget, "_draw_row", counting)
        widget.set_highlights([Highlight(*span_of("financiën"), GREEN, "geld")])
        await pilot.pause()
        assert widget.text_layout is layout
        assert drawn == [4]
        assert shown_with(app, Color.parse(GREEN)) == "financiën"


def test_paint_lets_the_innermost_then_the_last_span_win() -> None:
    outer = Highlight(0, 10, GREEN, "outer")
    inner = Highlight(3, 5, RED, "inner")
    later = Highlight(0, 10, "#000000", "later")
    assert paint([outer, inner]) == [(0, 3, outer), (3, 5, inner), (5, 10, outer)]
    assert paint([inner, outer]) == [(0, 3, outer), (3, 5, inner), (5, 10, outer)]
    assert paint([outer, later]) == [(0, 10, later)]
    assert paint([Highlight(4, 4, RED, "empty")]) == []


def test_words_are_runs_of_word_characters_keeping_combining_marks() -> None:
    text = "cafe\u0301 “zo’n” 中文 x_1"
    starts, ends = word_bounds(text)
    assert [text[s:e] for s, e in zip(starts, ends, strict=True)] == ["cafe\u0301", "zo", "n", "中文", "x_1"]


def test_a_selection_can_end_on_a_sentences_full_stop_and_start_on_an_opening_quote() -> None:
    text = "Het werkt motiverend. Een (kleine) groep: “echt” fijn!"
    starts, ends = selection_stops(text)
    assert [text[:end] for end in ends if text[end - 1] in ".):”!"] == [
        "Het werkt motiverend.", "Het werkt motiverend. Een (kleine)", "Het werkt motiverend. Een (kleine) groep:",
        "Het werkt motiverend. Een (kleine) groep: “echt”", text,
    ]
    assert [text[start:] for start in starts if text[start] in "(“"] == ["(kleine) groep: “echt” fijn!", "“echt” fijn!"]


def test_line_units_skip_blank_lines_and_line_breaks() -> None:
    assert line_units("a\r\n\r\n  \nb c\n") == [(0, 1), (8, 11)]


def test_a_long_word_is_cut_at_the_width_and_blanks_hang() -> None:
    layout = TextLayout("ab " + "x" * 25 + "   y", 10)
    assert [layout.text[line.start : line.end] for line in layout.lines] == ["ab ", "x" * 10, "x" * 10, "x" * 5 + "   y"]
    wide = TextLayout("中文中文中文", 5)
    assert [wide.text[line.start : line.end] for line in wide.lines] == ["中文", "中文", "中文"]


PIECES = [
    "a", "Z", "é", "e\u0301", " ", "  ", "\t", "\n", "\r\n", "\r", "中", "文字",
    "“", "”", "’", "—", "\u200d", "👍", "👍🏽", "\ufe0f", "word ", "\x0b",
]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=200).map("".join),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=200),
)


@settings(max_examples=300, deadline=None)
@given(text=texts, width=st.integers(min_value=10, max_value=100))
def test_wrapping_loses_no_character_and_offsets_map_both_ways(text: str, width: int) -> None:
    layout = TextLayout(text, width)
    lines = layout.lines
    assert "".join(text[line.start : line.end] for line in lines) == text
    assert all(a.end == b.start for a, b in pairwise(lines))
    for row, line in enumerate(lines):
        clusters = layout.clusters(row)
        assert sum(cluster.cells for cluster in clusters) == line.cells
        assert cell_len("".join(cluster.display for cluster in clusters)) == line.cells  # as Textual will measure the row
        for cluster in clusters:
            # Only blanks hang past the width, and a lone grapheme wider than a row.
            if cluster.cell + cluster.cells > width:
                assert text[cluster.start : cluster.end] in (" ", "\t") or cluster.cell == 0
    starts = {cluster.start for row in range(len(lines)) for cluster in layout.clusters(row) if cluster.cells}
    for offset in range(len(text) + 1):
        row, cell = layout.locate(offset)
        back = layout.offset_at(row, cell)
        assert layout.locate(back) == (row, cell)
        if offset in starts:  # a visible grapheme comes back exactly; a zero-width one lands on its neighbour
            assert back == offset
