"""Exporting quotes from a screen: where to, whose codings, and whether to drop the speaker label."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select

from workbench.core.store import Store
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

EVERY_CODER = "*"


@dataclass(frozen=True)
class QuoteChoice:
    """What the user chose: the file, one coder (None: every coder) and whether quotes lose their speaker label."""

    path: Path
    coder: str | None
    strip_speaker: bool


class QuoteExportDialog(ModalScreen[QuoteChoice | None]):
    """The `workbench quotes` options as a form; enter in the path exports, escape cancels."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("ctrl+s", "export", "Export"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggestion: Path, coders: Sequence[str], coder: str | None, what: str) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.coders = tuple(coders)
        self.coder = coder
        self.what = what

    def compose(self) -> ComposeResult:
        options = [("every coder", EVERY_CODER), *((name, name) for name in self.coders)]
        with Vertical(classes="dialog"):
            yield Label(f"Export quotes: {self.what} (.xlsx or .csv, every attribute a column)", classes="dialog-title")
            yield Input(value=str(self.suggestion), id="quote-path")
            yield Select(options, value=self.coder if self.coder in self.coders else EVERY_CODER, allow_blank=False, id="quote-coder")
            yield Checkbox("drop the speaker label a quote starts with (“Deelnemer: …”)", id="quote-strip")
            yield Label("enter in the path or ctrl+s export · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#quote-path", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_export()

    def action_export(self) -> None:
        coder = str(self.query_one("#quote-coder", Select).value)
        self.dismiss(QuoteChoice(
            Path(self.query_one("#quote-path", Input).value.strip()).expanduser(),
            None if coder == EVERY_CODER else coder,
            self.query_one("#quote-strip", Checkbox).value,
        ))

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_and_export_quotes(app: WorkbenchApp, store: Store, *, coder: str | None, code_ids: Sequence[str] = (), what: str) -> None:
    """Ask where and how (the dialog), then export; the result or the error as one line. For any screen."""
    from workbench.core.codings import coder_names
    from workbench.core.files import exports_folder, is_replaceable
    from workbench.exporters.quote_export import export_quotes
    from workbench.tui.dialogs.confirm import ConfirmDialog

    try:
        folder = exports_folder(store.project_dir)
        coders = coder_names(store)
    except WorkbenchError as exc:
        app.show_error(exc)
        return

    def write(choice: QuoteChoice, replace: bool) -> None:
        try:
            written = export_quotes(store, choice.path, coder=choice.coder, code_ids=list(code_ids), strip_speaker=choice.strip_speaker,
                                    replace=replace)
        except WorkbenchError as exc:
            app.show_error(exc)
            return
        app.notify(str(written))

    def chosen(choice: QuoteChoice | None) -> None:
        if choice is None:
            return
        if not is_replaceable(choice.path):
            write(choice, replace=False)  # a new file; a link or a device is refused by the exporter, in one line
            return

        def answered(replace: bool | None) -> None:
            if replace:
                write(choice, replace=True)

        app.push_screen(ConfirmDialog("Replace file?", f"{choice.path} already exists. Replace it?"), answered)

    app.push_screen(QuoteExportDialog(folder / "citaten.xlsx", coders, coder, what), chosen)
