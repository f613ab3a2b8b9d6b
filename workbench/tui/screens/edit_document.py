"""Correcting a document's text: the text in an editor; saving moves every coding with its words (core.text_edit)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, TextArea

from workbench.core.corpus import get_document
from workbench.core.store import Store
from workbench.core.text_edit import TextEdit, edit_document_text, orphan_lines
from workbench.errors import WorkbenchError


class EditDocumentScreen(Screen[TextEdit | None]):
    """Edit one document's text; ctrl+s saves as one undoable action, escape leaves (asking first if anything changed).

    Returns what the edit did to the codings, or None when nothing was saved.
    """

    CSS_PATH = "edit_document.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, store: Store, coder: str, document: str) -> None:
        super().__init__()
        self.store = store
        self.coder = coder
        self.document = document
        self.original = get_document(store, document).text

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextArea(self.original, id="edit-text", soft_wrap=True)
        yield Label("ctrl+s save · escape cancel · codings move with their words; deleted ones are kept as orphans", id="edit-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Edit {self.document}"
        self.sub_title = f"{self.store.project_dir} · coder: {self.coder}"
        self.query_one(TextArea).focus()

    @property
    def text(self) -> str:
        """The text as edited so far."""
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        try:
            result = edit_document_text(self.store, self.document, self.text, self.coder)
        except WorkbenchError as exc:
            self.app.notify(str(exc), title=exc.title, severity="error")
            return
        self.app.notify(result.line(), title="Edit")
        if result.orphans:
            self.app.notify(
                "\n".join(["Codings whose words were deleted, kept for review (workbench orphans):", *orphan_lines(result.orphans)]),
                title="Orphaned codings", severity="warning", timeout=20,
            )
        self.dismiss(result if result.changed else None)

    def action_cancel(self) -> None:
        if self.text == self.original:
            self.dismiss(None)
            return
        from workbench.tui.dialogs.confirm import ConfirmDialog

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Discard your changes?", f"Leave {self.document} without saving the edited text?"), answered)
