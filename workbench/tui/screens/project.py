"""The project screen: documents grouped by kind and case attributes, with each coder's progress.

Built to open at once on any size: the documents are listed without their text, groups of a large list start
collapsed with their counts and get their documents when expanded (a page at a time), and progress, which needs every
text, is read in a worker and filled in when it arrives; read again, only changed documents are read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
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
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from workbench.core.model import DocumentKind
from workbench.core.places import Place, last_place, remember_place
from workbench.core.progress import DocumentProgress, ListedDocument, ProgressReading, project_documents, read_progress
from workbench.core.store import Store
from workbench.errors import WorkbenchError
from workbench.tui.messages import OpenDocument

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

#: Ways to group documents below their kind: label and how to read the group from a document.
GROUPINGS: tuple[tuple[str, Callable[[ListedDocument], str]], ...] = (
    ("respondent group · wave", lambda p: " · ".join(v for v in (p.case.respondent_group, p.case.wave) if v) or "no case attributes"),
    ("wave", lambda p: p.case.wave or "no wave"),
    ("function", lambda p: p.case.function or "no function"),
    ("case", lambda p: p.case_id or "no case"),
    # An answer is stored as <sheet>/<respondent>/<question>: grouped by question, ] walks all answers to q11 in a row.
    ("question", lambda p: p.name.rsplit("/", 1)[-1] if p.kind is DocumentKind.QUESTIONNAIRE_ANSWER else "not an answer"),
)

#: Up to this many documents shown, every group is open with its documents, as on a small project; above it the
#: groups start collapsed, so a tree of 26,000 documents costs no more to show than its groups.
EXPAND_ALL_UP_TO = 400
#: Seconds after the tree is first drawn that progress starts being read.
READ_AFTER = 0.3
#: Documents added to an expanded group at a time; a last line adds the next page.
PAGE = 500


def _haystack(listed: ListedDocument) -> str:
    return " ".join([listed.name, listed.kind.value, listed.case_id or "", *listed.case.as_dict().values()]).casefold()


def _label(listed: ListedDocument, progress: DocumentProgress | None, coder: str) -> Text:
    label = Text(listed.name)
    if progress is None:
        label.append("  …", style="dim")  # progress still being read
        return label
    mine = progress.coded(coder)
    style = "green" if progress.units and mine == progress.units else ("yellow" if mine else "dim")
    label.append(f"  {coder} {mine}/{progress.units}", style=style)
    others = [f"{name} {n}/{progress.units}" for name, n in progress.coded_by.items() if name != coder]
    if others:
        label.append("  · " + " · ".join(others), style="dim")
    return label


@dataclass
class _Group:
    """A group node of the tree and the documents it holds, `filled` of which have their own node so far."""

    kind: str
    name: str
    documents: list[ListedDocument]
    node: TreeNode[str]
    filled: int = 0
    more: TreeNode[str] | None = None


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
        """Progress read in the background (with the documents listed again, when asked); `error` when it failed."""

        reading: ProgressReading | None
        listed: list[ListedDocument] | None = None
        error: WorkbenchError | None = None

    def __init__(self, store: Store, coder: str) -> None:
        super().__init__()
        self.store = store
        self.coder = coder
        self.grouping = 0
        self.listed: list[ListedDocument] = []
        #: Progress as last read; None until the first reading arrives (the tree shows names meanwhile).
        self.reading: ProgressReading | None = None
        self.order: tuple[str, ...] = ()  # the documents shown, in the tree's order: what ] and [ step through
        self._shown: list[ListedDocument] = []
        self._groups: list[_Group] = []
        self._leaves: dict[str, TreeNode[str]] = {}  # the document nodes built so far, by name
        self._group_nodes: dict[int, _Group] = {}  # by their node's id
        self._haystacks: dict[str, str] = {}
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
        if place.coding and place.document in {listed.name for listed in self.listed}:
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
        # Coming back from the coding screen: progress has changed. Read again off the event loop (only the documents
        # whose codings changed) and keep showing the tree as it was meanwhile. The screens this one covers add no
        # documents (an import refreshes through its dialog's callback, others' work through show_others_work), so the
        # list is not read again.
        if self._covered:
            self._covered = False
            self._reload()

    def _subtitle(self) -> str:
        where = f" · team server {self.store.label}" if self.store.on_server else ""
        return f"{self.store.project_dir} · coder: {self.coder}{where}"

    def show_others_work(self) -> None:
        """Another session changed the project: read progress again, off the event loop, the tree kept meanwhile."""
        self._reload(relist=True)

    @work(thread=True, exclusive=True, group="progress")
    def _reload(self, relist: bool = False) -> None:
        worker = get_current_worker()
        try:
            listed = project_documents(self.store) if relist else None
            reading = read_progress(self.store, self.reading)
        except WorkbenchError as exc:
            self.post_message(self.ProgressLoaded(None, error=exc))
            return
        if not worker.is_cancelled:  # a newer reading is on its way
            self.post_message(self.ProgressLoaded(reading, listed))

    @on(ProgressLoaded)
    def _progress_loaded(self, loaded: ProgressLoaded) -> None:
        if loaded.reading is None:
            if loaded.error is not None:
                self.app.show_error(loaded.error)
            return
        previous, self.reading = self.reading, loaded.reading
        if loaded.listed is not None and loaded.listed != self.listed:
            self.listed = loaded.listed
            self._haystacks = {}
            self._build()  # documents came or went, or moved group: the open groups and the cursor are kept
        else:
            self._relabel(previous)

    def show_coder(self, coder: str) -> None:
        """Show another coder's progress: the counts are in memory already, only the labels change."""
        self.coder = coder
        self.sub_title = self._subtitle()
        self._relabel(None)

    def refresh_documents(self) -> None:
        """List the documents again and rebuild the grouped tree at once.

        Progress read before is brought up to date here (only the documents that changed are read, as after an
        import); the first reading follows from a worker once the tree is on screen.
        """
        self.sub_title = self._subtitle()
        try:
            self.listed = project_documents(self.store)
            if self.reading is not None:
                self.reading = read_progress(self.store, self.reading)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self._haystacks = {}
        self._build()
        if self.reading is None:
            # Once the tree is on screen and settled: the reading holds the interpreter much of the time (seconds on
            # 26,000 documents) and would slow the screen's first frames down rather than follow them.
            self.call_after_refresh(self.set_timer, READ_AFTER, self._reload)

    def _matching(self, query: str) -> list[ListedDocument]:
        words = query.casefold().split()
        if not words:
            return list(self.listed)
        if not self._haystacks:
            self._haystacks = {listed.name: _haystack(listed) for listed in self.listed}
        haystacks = self._haystacks
        return [listed for listed in self.listed if all(word in haystacks[listed.name] for word in words)]

    def _build(self) -> None:
        """Group the documents the filter lets through; groups of a long list wait collapsed until expanded."""
        tree: Tree[str] = self.query_one("#documents", Tree)
        query = self.query_one("#filter", Input).value
        open_before = {(g.kind, g.name) for g in self._groups if g.node.is_expanded}
        cursor_key = self._cursor_key(tree)
        shown = self._matching(query)
        group_label, group_of = GROUPINGS[self.grouping]
        tree.clear()
        tree.root.set_label(f"Documents grouped by kind, then {group_label}")
        by_kind: dict[str, dict[str, list[ListedDocument]]] = defaultdict(lambda: defaultdict(list))
        for listed in shown:
            by_kind[listed.kind.value][group_of(listed)].append(listed)
        expand_all = len(shown) <= EXPAND_ALL_UP_TO
        self._groups, self._leaves, self._group_nodes = [], {}, {}
        order: list[str] = []
        for kind in sorted(by_kind):
            groups = by_kind[kind]
            count = sum(len(docs) for docs in groups.values())
            kind_node = tree.root.add(Text(f"{kind} ({count})", style="bold"), expand=True)
            for name in sorted(groups):
                group = _Group(kind, name, groups[name], kind_node.add(name))
                self._groups.append(group)
                self._group_nodes[group.node.id] = group
                order.extend(listed.name for listed in group.documents)
                if expand_all or (kind, name) in open_before:
                    self._fill(group)
                    group.node.expand()
        tree.root.expand()
        self.order = tuple(order)
        self._shown = shown
        self._relabel(None)
        if cursor_key is not None:
            self._restore_cursor(tree, cursor_key)

    def _cursor_key(self, tree: Tree[str]) -> tuple[str, ...] | None:
        """What the cursor is on, in terms that outlive a rebuild: a document's name, or a group's kind and name."""
        node = tree.cursor_node
        if node is None:
            return None
        if node.data is not None:
            return ("document", node.data)
        group = self._group_nodes.get(node.id)
        return None if group is None else ("group", group.kind, group.name)

    def _restore_cursor(self, tree: Tree[str], key: tuple[str, ...]) -> None:
        """Back on the same document or group after a rebuild, when it is still shown.

        After the tree's next refresh: only then do the new nodes have their lines.
        """
        if key[0] == "document" and key[1] in self._leaves:
            tree.call_after_refresh(tree.move_cursor, self._leaves[key[1]])
            return
        for group in self._groups:
            if key == ("group", group.kind, group.name):
                tree.call_after_refresh(tree.move_cursor, group.node)
                return

    def _fill(self, group: _Group) -> None:
        """Give the group's next page of documents a node each (the first page when it is first expanded)."""
        if group.more is not None:
            group.more.remove()
            group.more = None
        page = group.documents[group.filled : group.filled + PAGE]
        progress = self.reading.documents if self.reading is not None else {}
        for listed in page:
            self._leaves[listed.name] = group.node.add_leaf(
                _label(listed, progress.get(listed.name), self.coder), data=listed.name
            )
        group.filled += len(page)
        left = len(group.documents) - group.filled
        if left:
            group.more = group.node.add_leaf(Text(f"… {left} more documents: enter shows {min(left, PAGE)} more", style="dim"))

    def _relabel(self, previous: ProgressReading | None) -> None:
        """Show the current progress: every group's counts and the summary, and the labels of built documents whose
        progress changed since `previous` (all of them without one)."""
        progress = self.reading.documents if self.reading is not None else None
        before = previous.documents if previous is not None else {}
        for group in self._groups:
            self._relabel_group(group, progress)
            if progress is None:
                continue
            for listed in group.documents[: group.filled]:
                now = progress.get(listed.name)
                if previous is None or now is not before.get(listed.name):
                    self._leaves[listed.name].set_label(_label(listed, now, self.coder))
        summary = f"{len(self._shown)} of {len(self.listed)} documents"
        if progress is None:
            summary += " · counting units…"
        else:
            found = [p for listed in self._shown if (p := progress.get(listed.name)) is not None]
            coded = sum(p.coded(self.coder) for p in found)
            summary += f" · {self.coder} has coded {coded} of {sum(p.units for p in found)} units"
        self.query_one("#summary", Static).update(summary)

    def _relabel_group(self, group: _Group, progress: Mapping[str, DocumentProgress] | None) -> None:
        counts = f"  {len(group.documents)} documents"
        if progress is not None:
            found = [p for listed in group.documents if (p := progress.get(listed.name)) is not None]
            counts += f" · {self.coder} {sum(p.coded(self.coder) for p in found)}/{sum(p.units for p in found)} units"
        group.node.set_label(Text.assemble(group.name, (counts, "dim")))

    @on(Tree.NodeExpanded, "#documents")
    def _expanded(self, event: Tree.NodeExpanded[str]) -> None:
        group = self._group_nodes.get(event.node.id)
        if group is not None and group.filled == 0:
            self._fill(group)

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
            return
        group = next((g for g in self._groups if g.more is event.node), None)
        if group is not None:
            self._fill(group)

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
            # Off the event loop: the new documents' progress is read (a thousand transcripts took half a second) while
            # the tree stays as it was; it is rebuilt with them once read.
            self._reload(relist=True)
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
