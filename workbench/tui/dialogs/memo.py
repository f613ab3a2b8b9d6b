"""Writing a memo on a coding or a document."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class MemoDialog(ModalScreen[str | None]):
    """Edit a memo; ctrl+s saves (returns the text, "" clears it), escape cancels (returns None)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("ctrl+s", "save", "Save memo"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.heading = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield TextArea(self.text, id="memo-text", soft_wrap=True)
            yield Label("ctrl+s save · escape cancel · an empty memo is removed", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
