"""Asking where an export goes; the extension picks the format (.docx, .xlsx, .csv, .md, .json, .png)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class ExportPathDialog(ModalScreen[Path | None]):
    """Edit the suggested path; enter exports (creating the folder), escape cancels."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggestion: Path) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export to (the extension chooses the format: .docx .xlsx .csv .md .json .png)", classes="dialog-title")
            yield Input(value=str(self.suggestion), id="export-path")

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.notify(f"{path.parent}: cannot create the folder ({exc.strerror})", severity="error")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
