"""The code dialog: choose a code (or the top level) with the code chooser, to apply, move under, merge into."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from workbench.core.codebook import Codebook
from workbench.tui.widgets.code_chooser import CodeChooser


@dataclass(frozen=True)
class CodeChoice:
    """The chosen code's id, or None for the top level."""

    code_id: str | None


class ChooseCodeDialog(ModalScreen[CodeChoice | None]):
    """Choose a code from the codebook; returns the choice, or None when cancelled."""

    CSS_PATH = "choose_code.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

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
        self.exclude = exclude
        self.allow_top_level = allow_top_level

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-code") as dialog:
            dialog.border_title = self.title_text
            if self.hint:
                yield Label(self.hint, id="choose-code-hint")
            yield CodeChooser(self.book, exclude=self.exclude, allow_top_level=self.allow_top_level, id="choose-code-chooser")
            yield Label("↑↓ choose · Enter picks · Esc cancels", id="choose-code-keys")

    def on_mount(self) -> None:
        self.query_one("#choose-code-chooser", CodeChooser).query_one(Input).focus()

    @on(CodeChooser.Chosen)
    def _chosen(self, event: CodeChooser.Chosen) -> None:
        if not event.confirmed:
            return
        if event.code_id is None and not event.top_level:
            self.notify("No code matches: change the filter or press Esc.", severity="warning")
            return
        self.dismiss(CodeChoice(event.code_id))

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
