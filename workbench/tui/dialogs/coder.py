"""Asking who is coding: the identity every coding and log entry carries, remembered per project."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList


class CoderDialog(ModalScreen[str | None]):
    """Pick a known coder or type a new name; returns the name (None when cancelled)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, known: list[str], suggestion: str = "") -> None:
        super().__init__()
        self.known = known
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Who is coding? Your name goes on every coding and in the project's log.", classes="dialog-title")
            yield Input(placeholder=f"{self.suggestion} (enter to use it), or type a name", id="coder-name")
            if self.known:
                yield Label("Coders in this project:")
                yield OptionList(*self.known, id="known-coders")

    @on(Input.Submitted, "#coder-name")
    def _typed(self, event: Input.Submitted) -> None:
        name = event.value.strip() or self.suggestion.strip()
        if name:
            self.dismiss(name)
        else:
            self.notify("A coder name cannot be empty.", severity="warning")

    @on(OptionList.OptionSelected, "#known-coders")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.prompt))

    def action_cancel(self) -> None:
        self.dismiss(None)
