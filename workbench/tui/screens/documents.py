"""The main screen: documents on the left, the chosen document's coded text and its codes on the right."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from workbench.core.codebook import codebook
from workbench.core.codings import coded_segments
from workbench.core.corpus import document_summaries, get_document
from workbench.core.model import DocumentSummary
from workbench.core.store import Store
from workbench.errors import WorkbenchError
from workbench.tui.dialogs.import_files import ImportDialog, ImportReport
from workbench.tui.widgets.coding_list import CodingList
from workbench.tui.widgets.document_text import DocumentText


def _document_label(summary: DocumentSummary) -> Text:
    label = Text(summary.name, overflow="ellipsis", no_wrap=True)
    label.append(f"\n{summary.kind.value} · {summary.coding_count} codings", style="dim")
    return label


class DocumentsScreen(Screen[None]):
    """Browse the project's documents and see how each is coded."""

    BINDINGS = [
        Binding("q", "app.quit", "Quit"),
        Binding("d", "focus_documents", "Documents"),
        Binding("t", "focus_text", "Text"),
        Binding("c", "focus_codings", "Codings"),
        Binding("i", "import_files", "Import"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(id="documents")
            with Vertical(id="reader"):
                yield Static("Choose a document on the left.", id="document-title")
                with VerticalScroll(id="text-scroll"):
                    yield DocumentText(id="document-text")
            yield CodingList(id="codings")
        yield Footer()

    def on_mount(self) -> None:
        project = self.store.project()
        self.title = project.name
        self.sub_title = str(self.store.project_dir)
        documents = self.query_one("#documents", OptionList)
        documents.border_title = "Documents"
        self.query_one("#codings", CodingList).border_title = "Codes in this document"
        self.refresh_documents()
        documents.focus()

    def refresh_documents(self, highlight: str | None = None) -> None:
        """Fill the document list from the store, keeping (or moving to) the highlighted document."""
        documents = self.query_one("#documents", OptionList)
        if highlight is None and documents.highlighted is not None:
            highlight = documents.get_option_at_index(documents.highlighted).id
        documents.clear_options()
        try:
            summaries = document_summaries(self.store)
        except WorkbenchError as exc:
            self.notify(str(exc), title=exc.title, severity="error")
            return
        documents.add_options(Option(_document_label(s), id=s.name) for s in summaries)
        names = [s.name for s in summaries]
        if highlight in names:
            documents.highlighted = names.index(highlight)
        elif names:
            documents.highlighted = 0  # show the first document at once

    @on(OptionList.OptionHighlighted, "#documents")
    @on(OptionList.OptionSelected, "#documents")
    def _document_chosen(self, event: OptionList.OptionHighlighted | OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        try:
            self.show_document(event.option.id)
        except WorkbenchError as exc:
            # Another process may have changed the project (an undo from the CLI); say so, keep running.
            self.notify(str(exc), title=exc.title, severity="error")

    def show_document(self, name: str) -> None:
        """Show a document's text with its codings highlighted and named."""
        document = get_document(self.store, name)
        segments = coded_segments(self.store, name)
        book = codebook(self.store)
        attributes = [document.kind.value]
        if document.case_id:
            attributes.append(f"case {document.case_id}")
        title = Text(document.name, style="bold")
        title.append(f"  {' · '.join(attributes)} · {len(document.text)} characters", style="dim")
        self.query_one("#document-title", Static).update(title)
        self.query_one("#document-text", DocumentText).show(document, segments, book)
        self.query_one("#text-scroll", VerticalScroll).scroll_home(animate=False)
        self.query_one("#codings", CodingList).show(segments, book)

    def action_import_files(self) -> None:
        """Open the import dialog; the list is refreshed when it closes."""
        self.app.push_screen(ImportDialog(self.store), self._imported)

    def _imported(self, report: ImportReport | None) -> None:
        if report is None:
            return  # cancelled before importing anything
        # Show the first new document, so the user sees at once what came in.
        self.refresh_documents(highlight=report.names[0] if report.names else None)
        self.notify(report.summary, title="Import")

    def action_focus_documents(self) -> None:
        self.query_one("#documents").focus()

    def action_focus_text(self) -> None:
        self.query_one("#text-scroll").focus()

    def action_focus_codings(self) -> None:
        self.query_one("#codings").focus()
