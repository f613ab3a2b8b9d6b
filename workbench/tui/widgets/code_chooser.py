"""The code chooser: a filter over the codebook and the codes that match it, best first (one widget for every screen)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.content import Span as ContentSpan
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from workbench.core.codebook import Codebook
from workbench.core.codebook.find import CodeMatch, Span, query_words
from workbench.core.text import ELLIPSIS, shorten
from workbench.tui.colors import FALLBACK_COLOR

#: The option id of "the top level", which no code id can be (ids are slugs without brackets).
TOP_LEVEL = "[top]"
TOP_LEVEL_LABEL = "(top level of the codebook)"
NO_MATCH_LABEL = "no code matches"
#: Most codes listed at once: a 2,000-code codebook must not build 2,000 options per keystroke. A hundred is ten
#: screens of the dialog's list; building and measuring the options costs more than ranking all the codes.
SHOWN_LIMIT = 100
MATCH_STYLE = "bold reverse"
THEME_SEPARATOR = " › "
#: Label width before the list has been laid out (and so knows its own).
DEFAULT_WIDTH = 100


def _flatten(text: str, spans: Sequence[Span]) -> tuple[str, list[Span]]:
    """The text on one line as `shorten` flattens it, with the spans moved along."""
    flat = " ".join(text.split())
    if flat == text:
        return flat, list(spans)
    # Rare (names are normally one line): map every character to where it lands in the flat text.
    moved_to: list[int] = []
    position = 0
    pending_space = False
    for char in text:
        if char.isspace():
            pending_space = position > 0
            moved_to.append(position)
            continue
        if pending_space:
            position += 1
            pending_space = False
        moved_to.append(position)
        position += 1
    moved_to.append(position)
    return flat, [(moved_to[start], moved_to[end - 1] + 1) for start, end in spans if end > start]


def _cut(flat: str, spans: Sequence[Span], width: int, style: str = "") -> Content:
    """One-line text cut to `width` by `shorten`, with the spans (in `flat`) highlighted where they survive the cut."""
    short = shorten(flat, width)
    kept = len(short) if short == flat else len(short) - len(ELLIPSIS)
    marks = [ContentSpan(start, min(end, kept), MATCH_STYLE) for start, end in spans if start < kept]
    # Stripping control codes costs more than the rest of the label: do it only when there are any.
    return Content(short, [ContentSpan(0, len(short), style), *marks] if style else marks, strip_control_codes=not short.isprintable())


def code_label(book: Codebook, match: CodeMatch, width: int) -> Content:
    """ "■ name" with the matched words lit, and below it the themes the code sits in, dimmed; each line fits `width`."""
    name, name_spans = _flatten(match.code.name, match.name_spans)
    swatch = ("■ ", book.color_of(match.code.id) or FALLBACK_COLOR)
    if not match.themes:
        return Content.assemble(swatch, _cut(name, name_spans, width - 2), strip_control_codes=False)
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for theme, theme_spans in zip(match.themes, match.theme_spans, strict=True):
        flat, moved = _flatten(theme, theme_spans)
        spans.extend((start + offset, end + offset) for start, end in moved)
        parts.append(flat)
        offset += len(flat) + len(THEME_SEPARATOR)
    themes = _cut(THEME_SEPARATOR.join(parts), spans, width - 2, style="dim")
    return Content.assemble(swatch, _cut(name, name_spans, width - 2), "\n  ", themes, strip_control_codes=False)


class CodeChooser(Vertical):
    """A filter over code names, themes, keywords and ids, with the matching codes below it, best first.

    Up and down in the filter move the highlight, enter picks the highlighted code; every change of the
    highlighted code is announced with `Chosen`, a pick with `Chosen(..., confirmed=True)`.
    """

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS = [
        # The filter keeps focus while the arrows move through the list, so typing and choosing never need Tab.
        Binding("down", "move(1)", "Next code", show=False),
        Binding("up", "move(-1)", "Previous code", show=False),
        Binding("pagedown", "move(10)", "Codes further down", show=False),
        Binding("pageup", "move(-10)", "Codes further up", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """The highlighted code changed, or (confirmed) the user picked it; None when no code is highlighted."""

        chooser: CodeChooser
        code_id: str | None
        confirmed: bool = False  # enter on the code: the user is done choosing
        top_level: bool = False  # the "(top level of the codebook)" entry, offered with `allow_top_level`

        @property
        def control(self) -> CodeChooser:
            """The chooser, so `@on(CodeChooser.Chosen, "#id")` can tell choosers apart."""
            return self.chooser

    def __init__(
        self,
        book: Codebook | None = None,
        *,
        placeholder: str = "type part of a code name, theme or id",
        exclude: Collection[str] = (),
        allow_top_level: bool = False,
        limit: int = SHOWN_LIMIT,
        id: str | None = None,  # noqa: A002 - Textual's own name for it
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.placeholder = placeholder
        self.exclude = frozenset(exclude)
        self.allow_top_level = allow_top_level
        self.limit = limit
        self.book = book or Codebook()
        self.finder = self.book.finder
        self.shown: list[str] = []  # option ids in list order; "" for the lines that are not a choice

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self.placeholder, classes="code-filter")
        yield OptionList(classes="code-options")

    def on_mount(self) -> None:
        self.refilter()

    @property
    def code_id(self) -> str | None:
        """The id of the highlighted code; None when no code (or the top level) is highlighted."""
        chosen = self._highlighted_id()
        return None if chosen in ("", TOP_LEVEL) else chosen

    def _highlighted_id(self) -> str | None:
        index = self.query_one(OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    def show_codebook(self, book: Codebook) -> None:
        """List the codes of `book` that match the current filter, keeping the highlighted code if it still matches."""
        if book == self.book:
            return  # back on a screen where nothing changed: keep the index and the highlight
        self.book = book
        self.finder = book.finder
        if self.is_mounted:
            self.refilter(keep=self._highlighted_id())

    def refilter(self, keep: str | None = None) -> None:
        """Rank the codes for the filter text and list the best; highlight `keep` if listed, else the best match."""
        query = self.query_one(Input).value
        matches = self.finder.search(query, limit=self.limit, exclude=self.exclude)
        more = self.finder.count(query, exclude=self.exclude) - len(matches)
        options = self.query_one(OptionList)
        width = max(20, (options.scrollable_content_region.width or DEFAULT_WIDTH) - 1)
        listed: list[Option] = []
        if self.allow_top_level and not query_words(query):
            listed.append(Option(Content.styled(TOP_LEVEL_LABEL, "italic"), id=TOP_LEVEL))
        listed.extend(Option(code_label(self.book, match, width), id=match.code.id) for match in matches)
        if more > 0:
            listed.append(Option(Content.styled(f"{ELLIPSIS} {more} more, type to narrow", "dim italic"), disabled=True))
        if not listed:
            listed.append(Option(Content.styled(NO_MATCH_LABEL, "dim"), disabled=True))
        self.shown = [option.id or "" for option in listed]
        options.clear_options()
        options.add_options(listed)
        choices = [i for i, option_id in enumerate(self.shown) if option_id]
        if choices:
            # Setting the highlight posts OptionHighlighted, which announces the choice.
            options.highlighted = self.shown.index(keep) if keep in self.shown else choices[0]
        else:
            self.post_message(self.Chosen(self, None))

    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refilter()

    @on(Input.Submitted)
    def _filter_submitted(self, event: Input.Submitted) -> None:
        # As in a command palette: enter takes the highlighted match (the best one unless the arrows moved on).
        event.stop()
        self._announce(self._highlighted_id(), confirmed=True)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._announce(event.option.id, confirmed=False)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._announce(event.option.id, confirmed=True)

    def _announce(self, option_id: str | None, *, confirmed: bool) -> None:
        top_level = option_id == TOP_LEVEL
        code_id = None if top_level or not option_id else option_id
        self.post_message(self.Chosen(self, code_id, confirmed=confirmed, top_level=top_level))

    def action_move(self, step: int) -> None:
        """Move the highlight through the codes, from the filter as well as in the list."""
        options = self.query_one(OptionList)
        choices = [i for i, option_id in enumerate(self.shown) if option_id]
        if not choices:
            return
        current = options.highlighted if options.highlighted is not None else choices[0]
        # Choices are one run (the "… more" line comes after them), so clamping lands on a choice.
        options.highlighted = max(choices[0], min(choices[-1], current + step))
