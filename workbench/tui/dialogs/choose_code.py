"""The code chooser: pick a code (or the top level) from a list filtered as you type, for move, merge and delete."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from workbench.core.codebook import Codebook
from workbench.core.model import Code

#: The option id of "the top level", which no code id can be (ids are slugs without brackets).
TOP_LEVEL = "[top]"
TOP_LEVEL_LABEL = "(top level of the codebook)"


@dataclass(frozen=True)
class CodeChoice:
    """The chosen code's id, or None for the top level."""

    code_id: str | None


def _haystack(book: Codebook, code: Code) -> str:
    return " ".join([*book.path(code.id), code.id]).casefold()


def matches(book: Codebook, code: Code, query: str) -> bool:
    """True when every word of the query is in the code's path or id, ignoring case."""
    haystack = _haystack(book, code)
    return all(word in haystack for word in query.casefold().split())


def _label(book: Codebook, code: Code) -> Text:
    label = Text(no_wrap=True, overflow="ellipsis")
    label.append("■ ", style=book.color_of(code.id) or "dim")
    label.append(code.name)
    parents = book.path(code.id)[:-1]
    if parents:
        label.append(f"  in {' › '.join(parents)}", style="dim")
    return label


class ChooseCodeDialog(ModalScreen[CodeChoice | None]):
    """Choose a code from the codebook; returns the choice, or None when cancelled."""

    CSS_PATH = "choose_code.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # The filter keeps focus while the arrows move through the list, so typing and choosing never need Tab.
        Binding("down", "cursor('down')", "Next", show=False),
        Binding("up", "cursor('up')", "Previous", show=False),
    ]

    def __init__(
        self,
        book: Codebook,
        title: str,
        *,
        exclude: Collection[str] = (),
        allow_top_level: bool = False,
        hint: str = "",
    ) -> None:
        super().__init__()
        self.book = book
        self.title_text = title
        self.hint = hint
        self.allow_top_level = allow_top_level
        self.choices = [code for _, code in book.walk() if code.id not in exclude]

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-code") as dialog:
            dialog.border_title = self.title_text
            if self.hint:
                yield Label(self.hint, id="choose-code-hint")
            yield Input(placeholder="type to filter by name, path or id", id="choose-code-filter")
            yield OptionList(id="choose-code-list")
            yield Label("↑↓ choose · Enter picks · Esc cancels", id="choose-code-keys")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#choose-code-filter", Input).focus()

    @on(Input.Changed, "#choose-code-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        options = self.query_one("#choose-code-list", OptionList)
        options.clear_options()
        if self.allow_top_level and not query.strip():
            options.add_option(Option(Text(TOP_LEVEL_LABEL, style="italic"), id=TOP_LEVEL))
        options.add_options(Option(_label(self.book, c), id=c.id) for c in self.choices if matches(self.book, c, query))
        if options.option_count:
            options.highlighted = 0
        else:
            options.add_option(Option(Text("no code matches", style="dim"), disabled=True))

    def action_cursor(self, direction: str) -> None:
        """Move the list's highlight from the filter."""
        options = self.query_one("#choose-code-list", OptionList)
        if direction == "down":
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(Input.Submitted, "#choose-code-filter")
    def _pick_highlighted(self) -> None:
        options = self.query_one("#choose-code-list", OptionList)
        if options.highlighted is not None:
            self._pick(options.get_option_at_index(options.highlighted))

    @on(OptionList.OptionSelected, "#choose-code-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option)

    def _pick(self, option: Option) -> None:
        if option.disabled or option.id is None:
            self.notify("No code matches: change the filter or press Esc.", severity="warning")
            return
        self.dismiss(CodeChoice(None if option.id == TOP_LEVEL else option.id))

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
