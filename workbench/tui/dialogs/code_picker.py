"""The code picker: fuzzy search over the whole codebook tree, by name, path or id."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from workbench.core.codebook import Codebook
from workbench.tui.colors import FALLBACK_COLOR


@dataclass(frozen=True)
class _Entry:
    code_id: str
    path: str
    color: str | None


class CodePicker(ModalScreen[str | None]):
    """Type to filter the codebook; enter applies the highlighted code (returns its id), escape cancels."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "cursor(1)", "Next", show=False),
        Binding("up", "cursor(-1)", "Previous", show=False),
    ]

    def __init__(self, book: Codebook, title: str = "Apply code") -> None:
        super().__init__()
        self.heading = title
        self.entries = [
            _Entry(code.id, " / ".join(book.path(code.id)), book.color_of(code.id)) for _, code in book.walk()
        ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(placeholder="type part of a code name, theme or id", id="picker-query")
            yield OptionList(id="picker-codes")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        codes = self.query_one("#picker-codes", OptionList)
        codes.clear_options()
        if query.strip():
            matcher = Matcher(query)
            scored = [(matcher.match(f"{e.path} {e.code_id}"), e) for e in self.entries]
            ranked = [e for score, e in sorted(scored, key=lambda pair: -pair[0]) if score > 0]
        else:
            ranked = list(self.entries)
        for entry in ranked:
            label = Text.assemble(("■ ", entry.color or FALLBACK_COLOR), entry.path, (f"  {entry.code_id}", "dim"))
            codes.add_option(Option(label, id=entry.code_id))
        if ranked:
            codes.highlighted = 0

    @on(Input.Changed, "#picker-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-query")
    def _submitted(self, _event: Input.Submitted) -> None:
        codes = self.query_one("#picker-codes", OptionList)
        if codes.highlighted is not None:
            self.dismiss(codes.get_option_at_index(codes.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-codes")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cursor(self, step: int) -> None:
        codes = self.query_one("#picker-codes", OptionList)
        if codes.option_count:
            current = codes.highlighted or 0
            codes.highlighted = max(0, min(codes.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
