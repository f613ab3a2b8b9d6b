"""Asking where an export goes; the file's ending picks the format (see `workbench.exporters`)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from workbench.exporters import table_extensions


class ExportPathDialog(ModalScreen[Path | None]):
    """Edit the suggested path; enter exports, escape cancels."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggestion: Path) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Export to (the extension chooses the format: {' '.join(table_extensions())})", classes="dialog-title")
            yield Input(value=str(self.suggestion), id="export-path")

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        # Where it goes and whether that works is the exporter's to say: it names a missing folder in one line.
        self.dismiss(Path(event.value.strip()).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
