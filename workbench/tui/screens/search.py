"""The search screen: find text across documents, list every segment of a code, see where two codes overlap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Header, Input, OptionList, Static, TabbedContent, TabPane

from workbench.core.codebook import codebook
from workbench.core.codings import CodedSegment
from workbench.core.search import CoOccurrence, Hit, co_occurrence, one_line, search_text, segments_coded
from workbench.core.store import Store
from workbench.errors import WorkbenchError
from workbench.tui.messages import OpenDocument
from workbench.tui.widgets.code_chooser import CodeChooser

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

#: Most hits listed; one more is asked for, so the screen can say the list was cut short.
HIT_LIMIT = 1000
MATCH_STYLE = "bold reverse"


# -- result labels ---------------------------------------------------------------------------------------


def _hit_label(hit: Hit) -> Text:
    head = Text(hit.document, style="bold")
    head.append(f" · {hit.start}-{hit.end}", style="dim")
    body = Text("  …" if hit.start > len(hit.before) else "  ")
    body.append(hit.before)
    body.append(one_line(hit.match), style=MATCH_STYLE)
    body.append(hit.after)
    body.append("…")
    return Text.assemble(head, "\n", body, no_wrap=True, overflow="ellipsis")


def _segment_label(segment: CodedSegment) -> Text:
    coding = segment.coding
    label = Text(segment.document, style="bold")
    label.append(f" · {coding.start}-{coding.end} · {coding.coder} · ", style="dim")
    label.append(segment.code_name, style="italic")
    label.append("\n  " + one_line(segment.text))
    return label


def _unit_label(unit: CoOccurrence) -> Text:
    a, b = unit.segment_a, unit.segment_b
    label = Text(unit.document, style="bold")
    label.append(f" · {unit.start}-{unit.end}", style="dim")
    label.append(f" · {a.coding.coder}: {a.code_name} × {b.coding.coder}: {b.code_name}", style="dim italic")
    body = Text(one_line(unit.text))
    # The shared characters are what makes it a unit coded with both: show them as the match.
    overlap_start = max(a.coding.start, b.coding.start) - unit.start
    overlap_end = min(a.coding.end, b.coding.end) - unit.start
    body.stylize(MATCH_STYLE, overlap_start, overlap_end)
    return Text.assemble(label, "\n  ", body)


@dataclass(frozen=True)
class Target:
    """Where a result opens: a document and the span to select."""

    document: str
    start: int
    end: int


# -- the screen ------------------------------------------------------------------------------------------


class SearchScreen(Screen[None]):
    """Search the project's texts and codings; enter on a result opens it in its document."""

    CSS_PATH = "search.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f1", "show_tab('text')", "Text"),
        Binding("f2", "show_tab('coded')", "Coded"),
        Binding("f3", "show_tab('cooc')", "Co-occurrence"),
        Binding("ctrl+r", "flip('#text-regex')", "Regex"),
        Binding("ctrl+t", "flip('#text-case')", "Case"),
        Binding("ctrl+o", "toggle_mine", "Only mine"),
        Binding("ctrl+s", "export_quotes", "Export quotes"),
    ]

    @dataclass
    class TextFound(Message):
        """A text search finished (or failed) for the inputs in `key`."""

        key: tuple[str, bool, bool]
        hits: list[Hit]
        error: WorkbenchError | None = None

    @dataclass
    class SegmentsFound(Message):
        """The segments of a code were read (or failed) for the choices in `key`."""

        key: tuple[str | None, bool, bool]
        segments: list[CodedSegment]
        error: WorkbenchError | None = None

    @dataclass
    class UnitsFound(Message):
        """The co-occurrences of two codes were read (or failed) for the choices in `key`."""

        key: tuple[str | None, str | None, bool, bool]
        units: list[CoOccurrence]
        error: WorkbenchError | None = None

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)

    def __init__(self, store: Store, coder: str) -> None:
        super().__init__()
        self.store = store
        self._coder = coder
        self.targets: dict[str, list[Target]] = {"text-results": [], "coded-results": [], "cooc-results": []}

    @property
    def coder(self) -> str:
        """Whose codings "Only mine" keeps."""
        return self._coder

    @coder.setter
    def coder(self, name: str) -> None:
        # The app sets this when the user changes coder: relabel "Only …" and redo what depends on it.
        self._coder = name
        if self.is_mounted:
            for box in self.query(".mine").results(Checkbox):
                box.label = Text(f"Only {name}")
            self._coded_changed()
            self._cooc_changed()

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="search-tabs"):
            with TabPane("Text", id="text"):
                with Horizontal(classes="search-bar"):
                    yield Input(placeholder="Search the documents…", id="text-query")
                    yield Checkbox("Regex", id="text-regex")
                    yield Checkbox("Match case", id="text-case")
                yield Static("Type to search every document.", id="text-status", classes="status")
                yield OptionList(id="text-results", classes="results")
            with TabPane("Coded", id="coded"):
                with Horizontal(classes="search-columns"):
                    with Vertical(classes="choosers"):
                        yield CodeChooser(placeholder="Code…", id="coded-code")
                        yield Checkbox("Include sub-codes", True, id="coded-descendants", classes="descendants")
                        yield Checkbox(Text(f"Only {self.coder}"), id="coded-mine", classes="mine")
                    with Vertical(classes="result-column"):
                        yield Static("", id="coded-status", classes="status")
                        yield OptionList(id="coded-results", classes="results")
            with TabPane("Co-occurrence", id="cooc"):
                with Horizontal(classes="cooc-choosers"):
                    yield CodeChooser(placeholder="First code…", id="cooc-a")
                    yield CodeChooser(placeholder="Second code…", id="cooc-b")
                with Horizontal(classes="search-bar"):
                    yield Checkbox("Include sub-codes", True, id="cooc-descendants", classes="descendants")
                    yield Checkbox(Text(f"Only {self.coder}"), id="cooc-mine", classes="mine")
                yield Static("", id="cooc-status", classes="status")
                yield OptionList(id="cooc-results", classes="results")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Search"
        self.sub_title = str(self.store.project_dir)
        self.query_one("#text-results", OptionList).border_title = "Hits"
        self.query_one("#coded-results", OptionList).border_title = "Segments"
        self.query_one("#cooc-results", OptionList).border_title = "Units coded with both"
        self.query_one("#text-query", Input).focus()

    def on_screen_resume(self) -> None:
        # Also on coming back after coding elsewhere: codes may have been added or renamed meanwhile.
        self.refresh_codebook()

    def refresh_codebook(self) -> None:
        """Give the code choosers the project's current codebook."""
        try:
            book = codebook(self.store)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        for chooser in self.query(CodeChooser):
            chooser.show_codebook(book)

    # -- actions -----------------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Leave the search screen."""
        self.app.pop_screen()

    def action_export_quotes(self) -> None:
        """The passages coded with the code chosen on the Coded tab (and the codes below it), every attribute a column."""
        from workbench.tui.dialogs.quote_export import ask_and_export_quotes

        code_id, _, mine = self._coded_key()
        if code_id is None:
            self.notify("Choose a code on the Coded tab (f2) first: its passages are what gets exported.", severity="warning")
            return
        ask_and_export_quotes(self.app, self.store, coder=self.coder if mine else None, code_ids=(code_id,),
                              what=f"the passages coded {code_id} and the codes below it")

    def action_show_tab(self, tab: str) -> None:
        """Switch to a mode and put the cursor in its first field."""
        self.query_one(TabbedContent).active = tab
        self._focus_tab(tab)

    def action_flip(self, selector: str) -> None:
        """Flip a text-search option; the search reruns on the change."""
        self.query_one(selector, Checkbox).toggle()

    def action_toggle_mine(self) -> None:
        """Flip "only my codings" in the current mode."""
        self.query_one(f"#{self._active_tab()}-mine", Checkbox).toggle()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the text options only in Text mode and "only mine" only in the coded modes."""
        if action == "flip":
            return self._active_tab() == "text"
        if action == "toggle_mine":
            return self._active_tab() in ("coded", "cooc")
        return True

    def _active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def _focus_tab(self, tab: str) -> None:
        if tab == "text":
            self.query_one("#text-query", Input).focus()
        else:
            self.query_one(f"#{tab}-a" if tab == "cooc" else "#coded-code", CodeChooser).query_one(Input).focus()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()
        if event.pane.id is not None and not any(w.has_focus for w in event.pane.query(Input)):
            self._focus_tab(event.pane.id)

    def on_key(self, event: events.Key) -> None:
        """Down (or enter) from the query moves into the hits."""
        if event.key == "down" and self.focused is self.query_one("#text-query"):
            event.stop()
            self.query_one("#text-results").focus()

    # -- opening a result --------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, ".results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        targets = self.targets.get(event.option_list.id or "", [])
        if event.option_index < len(targets):
            target = targets[event.option_index]
            self.app.post_message(OpenDocument(target.document, target.start, target.end))

    def _fill(self, list_id: str, labels: list[Text], targets: list[Target]) -> None:
        results = self.query_one(f"#{list_id}", OptionList)
        results.clear_options()
        results.add_options(labels)
        self.targets[list_id] = targets
        if targets:
            results.highlighted = 0

    def _status(self, status_id: str, message: str, error: bool = False) -> None:
        status = self.query_one(f"#{status_id}", Static)
        status.update(Text(message))  # Text, not markup: a regex error quotes "[" and the like
        status.set_class(error, "-error")

    # -- text search -------------------------------------------------------------------------------------

    def _text_key(self) -> tuple[str, bool, bool]:
        return (
            self.query_one("#text-query", Input).value,
            self.query_one("#text-regex", Checkbox).value,
            self.query_one("#text-case", Checkbox).value,
        )

    @on(Input.Changed, "#text-query")
    @on(Checkbox.Changed, "#text-regex, #text-case")
    def _text_changed(self) -> None:
        key = self._text_key()
        if not key[0]:
            self._fill("text-results", [], [])
            self._status("text-status", "Type to search every document.")
            return
        self._search_text(key)

    @on(Input.Submitted, "#text-query")
    def _text_submitted(self) -> None:
        self.query_one("#text-results").focus()

    @work(thread=True, exclusive=True, group="search-text")
    def _search_text(self, key: tuple[str, bool, bool]) -> None:
        pattern, regex, case_sensitive = key
        try:
            hits = search_text(self.store, pattern, regex=regex, case_sensitive=case_sensitive, limit=HIT_LIMIT + 1)
        except WorkbenchError as exc:
            self.post_message(self.TextFound(key, [], exc))
            return
        self.post_message(self.TextFound(key, hits))

    @on(TextFound)
    def _text_found(self, found: TextFound) -> None:
        if found.key != self._text_key():
            return  # typed on meanwhile; a newer search is coming
        if found.error is not None:
            # A half-typed regex is invalid all the time: say so in place, keep the last hits visible.
            self._status("text-status", str(found.error), error=True)
            return
        hits = found.hits[:HIT_LIMIT]
        self._fill("text-results", [_hit_label(h) for h in hits], [Target(h.document, h.start, h.end) for h in hits])
        documents = len({h.document for h in hits})
        in_documents = f"in {documents} document{'s' * (documents != 1)}"
        if len(found.hits) > HIT_LIMIT:
            summary = f"The first {HIT_LIMIT} hits, {in_documents}; narrow the search to see the rest."
        else:
            summary = f"{len(hits)} hit{'s' * (len(hits) != 1)} {in_documents}."
        self._status("text-status", summary + (" Enter opens one." if hits else ""))

    # -- segments of a code ------------------------------------------------------------------------------

    def _coded_key(self) -> tuple[str | None, bool, bool]:
        return (
            self.query_one("#coded-code", CodeChooser).code_id,
            self.query_one("#coded-descendants", Checkbox).value,
            self.query_one("#coded-mine", Checkbox).value,
        )

    @on(CodeChooser.Chosen)
    def _move_on(self, event: CodeChooser.Chosen) -> None:
        # Enter on a code moves on to what comes next: the second code, or the results.
        if event.confirmed and event.code_id is not None:
            following = {"coded-code": "#coded-results", "cooc-a": "#cooc-b .code-filter", "cooc-b": "#cooc-results"}
            self.query_one(following[event.chooser.id or "coded-code"]).focus()

    @on(CodeChooser.Chosen, "#coded-code")
    @on(Checkbox.Changed, "#coded-descendants, #coded-mine")
    def _coded_changed(self) -> None:
        key = self._coded_key()
        if key[0] is None:
            self._fill("coded-results", [], [])
            self._status("coded-status", "No code matches the filter.")
            return
        self._read_segments(key)

    @work(thread=True, exclusive=True, group="search-coded")
    def _read_segments(self, key: tuple[str | None, bool, bool]) -> None:
        code_id, descendants, mine = key
        if code_id is None:  # the caller starts a read only once a code is chosen
            return
        try:
            segments = segments_coded(self.store, code_id, include_descendants=descendants, coder=self.coder if mine else None)
        except WorkbenchError as exc:
            self.post_message(self.SegmentsFound(key, [], exc))
            return
        self.post_message(self.SegmentsFound(key, segments))

    @on(SegmentsFound)
    def _segments_found(self, found: SegmentsFound) -> None:
        if found.key != self._coded_key():
            return
        segments = found.segments
        self._fill(
            "coded-results", [_segment_label(s) for s in segments],
            [Target(s.document, s.coding.start, s.coding.end) for s in segments],
        )
        if found.error is not None:
            self._status("coded-status", str(found.error), error=True)
            return
        documents = len({s.document for s in segments})
        self._status(
            "coded-status",
            f"{len(segments)} segment{'s' * (len(segments) != 1)} in {documents} document{'s' * (documents != 1)}.",
        )

    # -- co-occurrence -----------------------------------------------------------------------------------

    def _cooc_key(self) -> tuple[str | None, str | None, bool, bool]:
        return (
            self.query_one("#cooc-a", CodeChooser).code_id,
            self.query_one("#cooc-b", CodeChooser).code_id,
            self.query_one("#cooc-descendants", Checkbox).value,
            self.query_one("#cooc-mine", Checkbox).value,
        )

    @on(CodeChooser.Chosen, "#cooc-a, #cooc-b")
    @on(Checkbox.Changed, "#cooc-descendants, #cooc-mine")
    def _cooc_changed(self) -> None:
        key = self._cooc_key()
        if key[0] is None or key[1] is None:
            self._fill("cooc-results", [], [])
            self._status("cooc-status", "Choose two codes.")
            return
        self._read_units(key)

    @work(thread=True, exclusive=True, group="search-cooc")
    def _read_units(self, key: tuple[str | None, str | None, bool, bool]) -> None:
        code_a, code_b, descendants, mine = key
        if code_a is None or code_b is None:  # the caller starts a read only once both codes are chosen
            return
        try:
            units = co_occurrence(
                self.store, code_a, code_b, include_descendants=descendants, coder=self.coder if mine else None
            )
        except WorkbenchError as exc:
            self.post_message(self.UnitsFound(key, [], exc))
            return
        self.post_message(self.UnitsFound(key, units))

    @on(UnitsFound)
    def _units_found(self, found: UnitsFound) -> None:
        if found.key != self._cooc_key():
            return
        units = found.units
        self._fill("cooc-results", [_unit_label(u) for u in units], [Target(u.document, u.start, u.end) for u in units])
        if found.error is not None:
            self._status("cooc-status", str(found.error), error=True)
            return
        documents = len({u.document for u in units})
        self._status(
            "cooc-status",
            f"{len(units)} unit{'s' * (len(units) != 1)} coded with both, in {documents} document{'s' * (documents != 1)}.",
        )
