"""Choosing which quick key (1–9) a code goes on."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class QuickKeyDialog(ModalScreen[int | None]):
    """Show the nine keys with their codes; a digit picks the key, escape cancels."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        *(Binding(str(n), f"pick({n})", f"Key {n}", show=False) for n in range(1, 10)),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, code_name: str, keys: Sequence[str | None]) -> None:
        super().__init__()
        self.code_name = code_name
        self.keys = tuple(keys)

    def compose(self) -> ComposeResult:
        listing = Text()
        for number, name in enumerate(self.keys, start=1):
            listing.append(f"{number} ", style="bold")
            listing.append(f"{name}\n" if name else "free\n", style="" if name else "dim")
        with Vertical(classes="dialog"):
            yield Label(f"Put “{self.code_name}” on which quick key?", classes="dialog-title")
            yield Static(listing)
            yield Label("1–9 choose the key (the code on it now loses it) · escape cancel", classes="dialog-hint")

    def action_pick(self, number: int) -> None:
        self.dismiss(number)

    def action_cancel(self) -> None:
        self.dismiss(None)
