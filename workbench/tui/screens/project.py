"""The project screen: documents grouped by kind and case attributes, with each coder's progress."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Static, Tree

from workbench.core.model import DocumentKind
from workbench.core.places import Place, last_place, remember_place
from workbench.core.progress import DocumentProgress, project_progress
from workbench.core.store import Store
from workbench.errors import WorkbenchError
from workbench.tui.messages import OpenDocument

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

#: Ways to group documents below their kind: label and how to read the group from a document.
GROUPINGS: tuple[tuple[str, Callable[[DocumentProgress], str]], ...] = (
    ("respondent group · wave", lambda p: " · ".join(v for v in (p.case.respondent_group, p.case.wave) if v) or "no case attributes"),
    ("wave", lambda p: p.case.wave or "no wave"),
    ("function", lambda p: p.case.function or "no function"),
    ("case", lambda p: p.case_id or "no case"),
    # An answer is stored as <sheet>/<respondent>/<question>: grouped by question, ] walks all answers to q11 in a row.
    ("question", lambda p: p.name.rsplit("/", 1)[-1] if p.kind is DocumentKind.QUESTIONNAIRE_ANSWER else "not an answer"),
)


def _matches(progress: DocumentProgress, query: str) -> bool:
    haystack = " ".join(
        [progress.name, progress.kind.value, progress.case_id or "", *progress.case.as_dict().values()]
    ).casefold()
    return all(word in haystack for word in query.casefold().split())


def _label(progress: DocumentProgress, coder: str) -> Text:
    label = Text(progress.name)
    mine = progress.coded(coder)
    style = "green" if progress.units and mine == progress.units else ("yellow" if mine else "dim")
    label.append(f"  {coder} {mine}/{progress.units}", style=style)
    others = [f"{name} {n}/{progress.units}" for name, n in progress.coded_by.items() if name != coder]
    if others:
        label.append("  · " + " · ".join(others), style="dim")
    return label


class ProjectScreen(Screen[None]):
    """Every document of the project, grouped, filterable, with how far each coder is."""

    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("g", "group", "Group by"),
        Binding("i", "import_files", "Import"),
        Binding("e", "edit_document", "Edit text"),
        Binding("b", "app.codebook", "Codebook"),
        Binding("s", "app.search", "Search"),
        Binding("t", "app.tables", "Tables"),
        Binding("a", "app.agreement", "Agreement"),
        Binding("w", "app.change_coder", "Coder"),
        Binding("o", "app.projects", "Projects"),
        Binding("q", "app.quit", "Quit"),
    ]

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)

    @dataclass
    class ProgressLoaded(Message):
        """Progress read again in the background; `error` instead when the store could not be read."""

        progress: list[DocumentProgress] | None
        error: WorkbenchError | None = None

    def __init__(self, store: Store, coder: str) -> None:
        super().__init__()
        self.store = store
        self.coder = coder
        self.grouping = 0
        self.progress: list[DocumentProgress] = []
        self.order: tuple[str, ...] = ()  # the documents shown, in the tree's order: what ] and [ step through
        self._remember_timer: Timer | None = None
        # Whether another full screen (coding, tables…) covered this one: codings may have changed meanwhile. A dialog
        # does not count; the import dialog refreshes through its callback. False at first: on_mount has just loaded.
        self._covered = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Input(placeholder="filter: name, kind, group, function, wave… (/ to focus)", id="filter")
            yield Static(id="summary")
            yield Tree("Documents", id="documents")  # root hidden in on_mount
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.store.project().name
        self.query_one("#documents", Tree).show_root = False
        place = self._place()
        self.grouping = place.grouping % len(GROUPINGS)
        self.query_one("#filter", Input).value = place.filter
        self.refresh_documents()
        self.query_one("#documents", Tree).focus()
        if place.coding and place.document in {p.name for p in self.progress}:
            # Where this coder stopped: the same document, unit and list to step through.
            self.app.post_message(OpenDocument(place.document, place.start, place.end, siblings=self.order))

    def _place(self) -> Place:
        try:
            return last_place(self.store, self.coder)
        except WorkbenchError:
            return Place()

    def _remember(self) -> None:
        try:
            remember_place(self.store, self.coder, filter=self.query_one("#filter", Input).value, grouping=self.grouping)
        except WorkbenchError:
            pass  # bookkeeping: a read-only project just does not remember

    def on_screen_suspend(self) -> None:
        self._covered = self._covered or not isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        # Coming back from the coding screen: progress has changed. Read again off the event loop and keep showing
        # the tree as it was meanwhile; on a large project the reading takes a noticeable moment.
        if self._covered:
            self._covered = False
            self._reload()

    def _subtitle(self) -> str:
        where = f" · team server {self.store.label}" if self.store.on_server else ""
        return f"{self.store.project_dir} · coder: {self.coder}{where}"

    def show_others_work(self) -> None:
        """Another session changed the project: read progress again, off the event loop, the tree kept meanwhile."""
        self._reload()

    @work(thread=True, exclusive=True, group="progress")
    def _reload(self) -> None:
        try:
            self.post_message(self.ProgressLoaded(project_progress(self.store)))
        except WorkbenchError as exc:
            self.post_message(self.ProgressLoaded(None, exc))

    @on(ProgressLoaded)
    def _progress_loaded(self, loaded: ProgressLoaded) -> None:
        if loaded.progress is None:
            if loaded.error is not None:
                self.app.show_error(loaded.error)
            return
        self.progress = loaded.progress
        self._build()

    def show_coder(self, coder: str) -> None:
        """Show another coder's progress: the counts are in memory already, only the labels change."""
        self.coder = coder
        self.sub_title = self._subtitle()
        self._build()

    def refresh_documents(self) -> None:
        """Reload progress from the store and rebuild the grouped tree."""
        self.sub_title = self._subtitle()
        try:
            self.progress = project_progress(self.store)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self._build()

    def _build(self) -> None:
        tree = self.query_one("#documents", Tree)
        query = self.query_one("#filter", Input).value
        shown = [p for p in self.progress if _matches(p, query)]
        group_label, group_of = GROUPINGS[self.grouping]
        tree.clear()
        order: list[str] = []
        tree.root.set_label(f"Documents grouped by kind, then {group_label}")
        by_kind: dict[str, dict[str, list[DocumentProgress]]] = defaultdict(lambda: defaultdict(list))
        for progress in shown:
            by_kind[progress.kind.value][group_of(progress)].append(progress)
        for kind in sorted(by_kind):
            groups = by_kind[kind]
            count = sum(len(docs) for docs in groups.values())
            kind_node = tree.root.add(Text(f"{kind} ({count})", style="bold"), expand=True)
            for group in sorted(groups):
                docs = groups[group]
                units = sum(d.units for d in docs)
                mine = sum(d.coded(self.coder) for d in docs)
                counts = f"  {len(docs)} documents · {self.coder} {mine}/{units} units"
                group_node = kind_node.add(Text.assemble(group, (counts, "dim")), expand=True)
                for progress in docs:
                    group_node.add_leaf(_label(progress, self.coder), data=progress.name)
                    order.append(progress.name)
        tree.root.expand()
        self.order = tuple(order)
        total_units = sum(p.units for p in shown)
        coded = sum(p.coded(self.coder) for p in shown)
        self.query_one("#summary", Static).update(
            f"{len(shown)} of {len(self.progress)} documents · {self.coder} has coded {coded} of {total_units} units"
        )

    @on(Input.Changed, "#filter")
    def _filter_changed(self, _event: Input.Changed) -> None:
        self._build()
        if self._remember_timer is not None:
            self._remember_timer.stop()
        self._remember_timer = self.set_timer(1.0, self._remember)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, _event: Input.Submitted) -> None:
        self.query_one("#documents", Tree).focus()

    @on(Tree.NodeSelected, "#documents")
    def _open(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data is not None:
            self.app.post_message(OpenDocument(event.node.data, siblings=self.order))

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_group(self) -> None:
        self.grouping = (self.grouping + 1) % len(GROUPINGS)
        self._build()
        self._remember()
        self.notify(f"grouped by kind, then {GROUPINGS[self.grouping][0]}")

    def action_import_files(self) -> None:
        from workbench.tui.dialogs.import_files import ImportDialog, ImportReport

        def imported(report: ImportReport | None) -> None:
            self.refresh_documents()
            if report is not None:
                self.notify(report.summary)

        self.app.push_screen(ImportDialog(self.store, actor=self.coder), imported)

    def action_edit_document(self) -> None:
        """Correct the highlighted document's text; its codings move with their words."""
        from workbench.tui.screens.edit_document import EditDocumentScreen

        node = self.query_one("#documents", Tree).cursor_node
        if node is None or node.data is None:
            self.notify("highlight a document first", severity="warning")
            return
        try:
            screen = EditDocumentScreen(self.store, self.coder, node.data)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self.app.push_screen(screen)  # coming back, on_screen_resume shows the new progress
