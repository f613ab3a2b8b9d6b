"""The coding screen: a document's text, units to step through, codes applied by picker or quick key."""

from __future__ import annotations

import re
from bisect import insort
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from workbench.core.codebook import Codebook, codebook
from workbench.core.codings import (
    CodedSegment,
    add_coding,
    coded_segments,
    coder_names,
    remove_coding_by_id,
    set_coding_memo,
)
from workbench.core.corpus import get_document
from workbench.core.memos import document_memo, set_document_memo
from workbench.core.model import Coding, Document, DocumentKind
from workbench.core.navigation import next_uncoded_place
from workbench.core.places import Place, last_place, remember_place
from workbench.core.quick_keys import assign_quick_key, note_applied, quick_keys
from workbench.core.store import Store
from workbench.core.text import shorten
from workbench.core.units import Granularity, Span, default_granularity, uncoded_units, units
from workbench.errors import SuggestCancelled, WorkbenchError
from workbench.tui.messages import OpenDocument
from workbench.tui.widgets.coded_text import CodedText, Highlight
from workbench.tui.widgets.coding_panel import CodingPanel
from workbench.tui.widgets.status_line import StatusLine
from workbench.tui.widgets.suggestion_panel import SuggestionPanel

if TYPE_CHECKING:
    from workbench.suggest.model import SimilarUnit, Suggestion
    from workbench.tui.app import WorkbenchApp

QUICK_KEYS = 9
EXCERPT = 60
_MBT = re.compile(r"^\s*m\.\s*b\.\s*t\.\s*", re.IGNORECASE)
#: A quick key's name is cut to what the line has room for, but never shorter than this.
QUICK_KEY_MIN_NAME = 6
#: Seconds the selection rests before its suggestions are worked out (holding an arrow key asks for none).
SUGGEST_DELAY = 0.12
#: Seconds the selection rests before the coder's place is noted (a write per arrow key would cost more).
PLACE_DELAY = 1.0
#: Seconds after the last coding change before the model relearns, so a burst of codings trains once.
RETRAIN_DELAY = 1.5
_ORDER = (Granularity.ANSWER, Granularity.TURN, Granularity.PARAGRAPH, Granularity.SENTENCE)


def _segment_order(segment: CodedSegment) -> tuple[int, int, str, str]:
    """The order of one document's codings in `coded_segments`."""
    return (segment.coding.start, segment.coding.end, segment.coding.code_id, segment.coding.coder)


def _last_place(store: Store, coder: str) -> Place:
    try:
        return last_place(store, coder)
    except WorkbenchError:
        return Place()


def compact_name(name: str) -> str:
    """A code's name for a narrow place: without the report's "M.b.t." (with regard to), which most themes start with."""
    return _MBT.sub("", name, count=1) or name


class CodingScreen(Screen[None]):
    """Code one document by keyboard (or mouse): select a unit or a span, apply a code, write memos."""

    CSS_PATH = "coding.tcss"
    BINDINGS = [
        Binding("c,enter", "apply_code", "Code"),
        *(Binding(str(n), f"quick_code({n})", f"Quick code {n}", show=False) for n in range(1, QUICK_KEYS + 1)),
        Binding("x", "remove_code", "Uncode"),
        Binding("K", "assign_key", "Quick key", show=False, tooltip="Put a code on a quick key 1–9 (it stays there)"),
        # Blind coding: other coders' codings stay hidden until this key; shown only while there are other coders.
        Binding("a", "toggle_all_coders", "Other coders"),
        # Not in the footer: the suggestions panel names these keys beside each suggestion.
        Binding("y", "accept_suggestion(1)", "Accept", show=False, tooltip="Accept the first suggestion (alt+1..3: any of them)"),
        *(Binding(f"alt+{n}", f"accept_suggestion({n})", f"Accept suggestion {n}", show=False) for n in range(1, 4)),
        Binding("d", "reject_suggestion", "Reject", show=False, tooltip="Reject the first suggestion for this passage"),
        Binding("l", "more_like_this", "More like this", show=False, tooltip="Uncoded passages most like the selection"),
        Binding("e", "edit_text", "Edit text", show=False, tooltip="Correct the document's text; codings move with their words"),
        Binding("m", "coding_memo", "Memo"),
        Binding("M", "document_memo", "Document memo"),
        Binding("n", "next_uncoded", "Next uncoded"),
        Binding("right_square_bracket", "step_document(1)", "Next doc", key_display="]"),
        Binding("left_square_bracket", "step_document(-1)", "Previous doc", key_display="[", show=False),
        Binding("g", "granularity", "Unit"),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("r,ctrl+y", "redo", "Redo"),
        Binding("b", "app.codebook", "Codebook"),
        Binding("s", "app.search", "Search"),
        Binding("t", "app.tables", "Tables"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)

    def __init__(
        self, store: Store, coder: str, document: str, selection: tuple[int | None, int | None] = (None, None),
        siblings: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.store = store
        self.coder = coder
        self.document_list = tuple(siblings)  # the documents the coder works through, in order (the project screen's list)
        self.document: Document = get_document(store, document)
        self.granularity = default_granularity(self.document)
        place = _last_place(store, coder)
        if place.document == document and place.granularity in {g.value for g in Granularity}:
            self.granularity = Granularity(place.granularity)  # as this coder last stepped through this document
        self.unit_spans: list[Span] = units(self.document, self.granularity)
        self.book: Codebook = codebook(store)
        self.segments: list[CodedSegment] = []
        self.shown: list[CodedSegment] = []
        self._panel_ids: tuple[int, ...] | None = None
        self.quick: list[str | None] = []
        self.show_all_coders = False
        self.other_coders: tuple[str, ...] = ()
        start, end = selection
        self.initial: Span | None = (start, end) if start is not None and end is not None else None
        self.selection: Span = self.initial or (self.unit_spans[0] if self.unit_spans else (0, 0))
        # Suggestions per span, valid while the codings and the model stay as they were (`_generation` counts changes).
        self._suggested: dict[Span, tuple[Suggestion, ...]] = {}
        self._generation = 0
        self._suggest_timer: Timer | None = None
        self._retrain_timer: Timer | None = None
        self._place_timer: Timer | None = None
        self._model_note = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="reader"):
                yield Static(id="document-title")
                yield CodedText(id="text")
                yield StatusLine(id="status")
            with Vertical(id="side"):
                yield CodingPanel(id="codings")
                yield SuggestionPanel(id="suggestions")
        # The whole width, so all nine keys fit with names one can tell apart.
        yield StatusLine(id="quick-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.document.name
        self.query_one("#document-title", Static).update(self._title())
        self.query_one("#codings", CodingPanel).border_title = "Codings in view"
        self.query_one("#suggestions", SuggestionPanel).border_title = "Suggestions"
        text = self.query_one("#text", CodedText)
        text.load(self.document.text, self.unit_spans)
        if self.initial is not None:
            text.select(*self.initial)
        self.refresh_codings()
        text.focus()
        self._remember_place()

    def _title(self) -> Text:
        title = Text(self.document.name, style="bold")
        facts = [self.document.kind.value]
        if self.document.case_id:
            facts.append(f"case {self.document.case_id}")
        title.append("  " + " · ".join(facts), style="dim")
        question = self.document.attributes.get("question")
        if self.document.kind is DocumentKind.QUESTIONNAIRE_ANSWER and question:
            title.append(f"\n{question}", style="italic")
        return title

    # -- showing ---------------------------------------------------------------------------------------

    def refresh_codings(self) -> None:
        """Reload this document's codings: highlights, the side panel and the quick keys."""
        self.segments = coded_segments(self.store, self.document.name)
        others = tuple(name for name in coder_names(self.store) if name != self.coder)
        if others != self.other_coders:
            self.other_coders = others
            self.refresh_bindings()
        self._show_blindness()
        self._show_segments()

    def _coded_here(self, coding: Coding) -> None:
        """Show a coding this screen just made without reading the document's codings again.

        A long transcript has thousands of codings: reading and painting them all again per key press made applying
        a quick key cost a multiple of the write itself. Kept in `coded_segments`'s order.
        """
        segment = CodedSegment(
            coding=coding, document=self.document.name, code_name=self.book.get(coding.code_id).name,
            code_path=tuple(self.book.path(coding.code_id)), text=self.document.text[coding.start:coding.end],
        )
        insort(self.segments, segment, key=_segment_order)
        self._show_segments()

    def _uncoded_here(self, coding_id: int) -> None:
        """Stop showing a coding this screen just removed, without reading the document's codings again."""
        self.segments = [s for s in self.segments if s.coding.id != coding_id]
        self._show_segments()

    def _show_segments(self) -> None:
        segments = self.segments
        shown = segments if self.show_all_coders else [s for s in segments if s.coding.coder == self.coder]
        self.query_one("#text", CodedText).set_highlights(
            [Highlight(s.coding.start, s.coding.end, self.book.color_of(s.coding.code_id), s.code_name) for s in shown]
        )
        self.shown = shown
        self._panel_ids = None  # the codings changed: rebuild the panel
        self._refresh_panel()
        self.quick = list(quick_keys(self.store, self.coder))
        self._show_quick_keys()
        self._show_status()
        self._codings_changed()

    def _show_quick_keys(self) -> None:
        """All nine keys on one line, names cut to fit the width; the full names on hover."""
        line = self.query_one("#quick-keys", StatusLine)
        named = [(n, self.book.get(code_id).name) for n, code_id in enumerate(self.quick, start=1)
                 if code_id is not None and code_id in self.book.by_id]
        if not named:
            line.show(Text("quick keys appear for the codes you apply (K puts a code on a key)", style="dim"))
            line.tooltip = None
            return
        label = "keys "
        # The line spans the screen; before its first layout it has no size of its own yet.
        width = (line.size.width or self.app.size.width - 2) - len(label) - 1
        room = max(QUICK_KEY_MIN_NAME, width // len(named) - 4)
        keys = Text(label, style="dim")
        for number, name in named:
            keys.append(f"{number}", style="bold")
            keys.append(f" {shorten(compact_name(name), room)}  ")
        line.show(keys)
        line.tooltip = "\n".join(f"{number}  {name}" for number, name in named)

    def _refresh_panel(self) -> None:
        """List the codings on the text in view; rebuilt only when that set changes, as rebuilding is costly."""
        text = self.query_one("#text", CodedText)
        start, end = text.visible_span()
        sel_start, sel_end = self.selection
        in_view = [
            s for s in self.shown
            if (s.coding.start < end and start < s.coding.end) or (s.coding.start < sel_end and sel_start < s.coding.end)
        ]
        ids = tuple(s.coding.id for s in in_view)
        if ids == self._panel_ids:
            return
        self._panel_ids = ids
        panel = self.query_one("#codings", CodingPanel)
        panel.show(in_view, self.book)
        panel.border_title = f"Codings in view ({len(in_view)} of {len(self.shown)})"

    @on(CodedText.Scrolled)
    def _scrolled(self, _event: CodedText.Scrolled) -> None:
        self._refresh_panel()

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_quick_keys)
        self._panel_ids = None
        self.call_after_refresh(self._refresh_panel)

    def show_others_work(self) -> None:
        """Another session changed the project: show its codings and codebook as they are now, the selection kept."""
        try:
            self.refresh_codebook()
        except WorkbenchError as exc:
            self.app.show_error(exc)

    def refresh_codebook(self) -> None:
        """The codebook changed elsewhere (a rename in the codebook screen): show the new names."""
        self.book = codebook(self.store)
        self.refresh_codings()

    def _show_status(self) -> None:
        start, end = self.selection
        position = next((i for i, span in enumerate(self.unit_spans, start=1) if span == self.selection), None)
        where = f"{self.granularity.value} {position}/{len(self.unit_spans)}" if position else "free selection"
        mine = [s for s in self._under_selection() if s.coding.coder == self.coder]
        coded = ("  coded: " + ", ".join(s.code_name for s in mine)) if mine else ""
        excerpt = shorten(self.document.text[start:end], EXCERPT)
        self.query_one("#status", StatusLine).show(Text.assemble((where, "bold"), f" · {start}-{end} · “{excerpt}”", (coded, "green")))

    def _under_selection(self) -> list[CodedSegment]:
        start, end = self.selection
        return [s for s in self.segments if s.coding.start < end and start < s.coding.end]

    @on(CodedText.SelectionChanged)
    def _selection_changed(self, event: CodedText.SelectionChanged) -> None:
        self.selection = (event.start, event.end)
        self._show_status()
        self._refresh_panel()
        self._schedule_suggestions()
        if self._place_timer is not None:
            self._place_timer.stop()
        self._place_timer = self.set_timer(PLACE_DELAY, self._remember_place)

    # -- coding ----------------------------------------------------------------------------------------

    def _apply(self, code_id: str) -> None:
        start, end = self.selection
        try:
            coding = add_coding(self.store, document=self.document.name, start=start, end=end, code_id=code_id, coder=self.coder)
            note_applied(self.store, self.coder, code_id)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        # No toast: the highlight, the panel and the status line already show it, and a toast costs frames.
        self._coded_here(coding)

    def action_apply_code(self) -> None:
        from workbench.tui.dialogs.choose_code import ChooseCodeDialog, CodeChoice

        if self.selection[0] >= self.selection[1]:
            self.notify("Select a passage first.", severity="warning")
            return

        def chosen(choice: CodeChoice | None) -> None:
            if choice is not None and choice.code_id is not None:
                self._apply(choice.code_id)

        title = f"Apply a code to “{shorten(self.document.text[slice(*self.selection)], EXCERPT)}”"
        self.app.push_screen(ChooseCodeDialog(self.book, title), chosen)

    def action_quick_code(self, number: int) -> None:
        code_id = self.quick[number - 1] if number <= len(self.quick) else None
        if code_id is None or code_id not in self.book.by_id:
            self.notify(f"No code on quick key {number}: codes you apply land on free keys, and K puts one there.", severity="warning")
            return
        self._apply(code_id)

    def action_assign_key(self) -> None:
        """Choose a code, then the key (1–9) it goes on: it stays there until the coder moves it."""
        from workbench.tui.dialogs.choose_code import ChooseCodeDialog, CodeChoice
        from workbench.tui.dialogs.quick_key import QuickKeyDialog

        def keyed(code_id: str, number: int | None) -> None:
            if number is None:
                return
            try:
                self.quick = list(assign_quick_key(self.store, self.coder, number, code_id))
            except WorkbenchError as exc:
                self.app.show_error(exc)
                return
            self._show_quick_keys()
            self.notify(f"key {number}: {self.book.get(code_id).name}")

        def chosen(choice: CodeChoice | None) -> None:
            if choice is None or choice.code_id is None:
                return
            code_id = choice.code_id
            names = [self.book.get(c).name if c is not None and c in self.book.by_id else None for c in self.quick]
            self.app.push_screen(QuickKeyDialog(self.book.get(code_id).name, names), lambda number: keyed(code_id, number))

        self.app.push_screen(ChooseCodeDialog(self.book, "Which code goes on a quick key?"), chosen)

    # -- suggestions -----------------------------------------------------------------------------------
    # Worked out in threads: the first one loads spaCy's Dutch lemmas (a second or two), relearning takes seconds,
    # and the coder keeps coding meanwhile. Results come back through call_from_thread and are dropped when the
    # selection, the codings or the model changed in between.

    def _codings_changed(self) -> None:
        self._generation += 1
        self._suggested.clear()
        self._schedule_suggestions()
        if self._retrain_timer is not None:
            self._retrain_timer.stop()
        self._retrain_timer = self.set_timer(RETRAIN_DELAY, self._relearn)

    def _schedule_suggestions(self) -> None:
        if self._suggest_timer is not None:
            self._suggest_timer.stop()
        self._suggest_timer = self.set_timer(SUGGEST_DELAY, self._request_suggestions)

    def _request_suggestions(self) -> None:
        panel = self.query_one("#suggestions", SuggestionPanel)
        span = self.selection
        if span[0] >= span[1]:
            panel.show((), self.book, "Select a passage to see suggestions.")
            return
        known = self._suggested.get(span)
        if known is not None:
            panel.show(known, self.book, self._model_note)
            return
        panel.waiting("working out suggestions…")
        self._work_out_suggestions(span, self._generation)

    # Not exclusive: a thread cannot be stopped anyway, and a cancelled worker fails whoever waits for the workers.
    @work(thread=True, group="suggest")
    def _work_out_suggestions(self, span: Span, generation: int) -> None:
        from workbench import suggest

        if span != self.selection or generation != self._generation:
            return  # the coder moved on while this waited for a thread
        try:
            worker = get_current_worker()
            found = tuple(
                suggest.suggest_unit(self.store, self.document.name, *span, coder=self.coder, cancelled=lambda: worker.is_cancelled)
            )
            learned = suggest.current_model(self.store, self.coder) is not None
        except SuggestCancelled:
            return  # the screen closed meanwhile
        except WorkbenchError as exc:
            self.app.call_from_thread(self._suggestions_failed, span, exc)
            return
        self.app.call_from_thread(self._suggestions_ready, span, generation, found, learned)

    def _suggestions_ready(self, span: Span, generation: int, found: tuple[Suggestion, ...], learned: bool) -> None:
        if not self.is_attached or generation != self._generation:
            return  # the codings or the model changed meanwhile: a newer request is on its way
        self._model_note = "" if learned else "keywords only: the model learns once you have coded a few passages"
        self._suggested[span] = found
        panel = self._suggestion_panel()
        if panel is not None and span == self.selection:
            panel.show(found, self.book, self._model_note)

    def _suggestions_failed(self, span: Span, exc: WorkbenchError) -> None:
        panel = self._suggestion_panel()
        if panel is not None and span == self.selection:
            panel.show((), self.book, f"No suggestions: {exc}")

    def _suggestion_panel(self) -> SuggestionPanel | None:
        """The panel, unless the screen closed while a thread worked (it stays attached while its widgets go)."""
        if not self.is_attached:
            return None
        return next(iter(self.query("#suggestions").results(SuggestionPanel)), None)

    @work(thread=True, group="retrain")
    def _relearn(self) -> None:
        from workbench import suggest

        worker = get_current_worker()
        try:
            # Cancelled with the screen (or the app): a first training on a big project lemmatises every coded document,
            # minutes of work nobody waits for once the coder has left, and quitting must not wait for it either.
            training = suggest.retrain(self.store, self.coder, cancelled=lambda: worker.is_cancelled)
        except WorkbenchError:
            return  # nothing of this coder's to learn from yet: the keywords suggest alone
        if not training.reused:
            self.app.call_from_thread(self._model_retrained)

    def _model_retrained(self) -> None:
        if not self.is_attached:
            return
        self._generation += 1  # suggestions worked out with the old model are dropped as they arrive
        self._suggested.clear()
        self._schedule_suggestions()

    def _shown_suggestions(self) -> tuple[Suggestion, ...]:
        """The suggestions on screen, if they are for the selection (not an old one still showing)."""
        if self._suggested.get(self.selection) is None:
            return ()
        return self.query_one("#suggestions", SuggestionPanel).suggestions

    def action_accept_suggestion(self, rank: int) -> None:
        from workbench import suggest

        shown = self._shown_suggestions()
        if rank > len(shown):
            self.notify("No suggestion to accept here." if not shown else f"Only {len(shown)} suggestions here.", severity="warning")
            return
        start, end = self.selection
        try:
            suggest.accept(self.store, shown[rank - 1], document=self.document.name, start=start, end=end, coder=self.coder)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self.refresh_codings()

    def action_reject_suggestion(self) -> None:
        from workbench import suggest

        shown = self._shown_suggestions()
        if not shown:
            self.notify("No suggestion to reject here.", severity="warning")
            return
        start, end = self.selection
        try:
            suggest.reject(self.store, shown[0].code_id, document=self.document.name, start=start, end=end, coder=self.coder)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self.notify(f"{shown[0].name} will not be suggested here again (u undoes)")
        self._codings_changed()

    def action_more_like_this(self) -> None:
        if self.selection[0] >= self.selection[1]:
            self.notify("Select a passage first: l lists the uncoded passages most like it.", severity="warning")
            return
        self.notify("looking for passages like this one…")
        self._find_similar(self.selection)

    @work(thread=True, group="similar")
    def _find_similar(self, span: Span) -> None:
        from workbench import suggest

        try:
            found = suggest.more_like_this(self.store, self.document.name, *span, coder=self.coder)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.app.show_error, exc)
            return
        self.app.call_from_thread(self._show_similar, span, found)

    def _show_similar(self, span: Span, found: list[SimilarUnit]) -> None:
        from workbench.tui.dialogs.similar_units import SimilarUnitsDialog

        if not self.is_attached:
            return
        if not found:
            self.notify("No uncoded passage shares words with this one.")
            return

        def chosen(unit: SimilarUnit | None) -> None:
            if unit is None:
                return
            if unit.document == self.document.name:
                self.query_one("#text", CodedText).select(unit.start, unit.end)
            else:
                self.app.post_message(OpenDocument(unit.document, unit.start, unit.end, siblings=self.document_list))

        title = f"Uncoded passages like “{shorten(self.document.text[slice(*span)], EXCERPT)}”"
        self.app.push_screen(SimilarUnitsDialog(title, found), chosen)

    def _target_coding(self) -> CodedSegment | None:
        """The coding an uncode or memo is about: the one picked in the panel, else the one under the selection."""
        panel = self.query_one("#codings", CodingPanel)
        if panel.has_focus and panel.current() is not None:
            return panel.current()
        mine = [s for s in self._under_selection() if s.coding.coder == self.coder]
        exact = [s for s in mine if (s.coding.start, s.coding.end) == self.selection]
        if len(exact) == 1 or len(mine) == 1:
            return (exact or mine)[0]
        if mine:
            self.notify("Several of your codings are here: pick one in the Codings panel, then press the key again.", severity="warning")
            panel.focus()
        else:
            self.notify("None of your codings is under the selection.", severity="warning")
        return None

    def action_remove_code(self) -> None:
        target = self._target_coding()
        if target is None:
            return

        def remove(as_reviewer: bool) -> None:
            try:
                remove_coding_by_id(self.store, target.coding.id, self.coder, as_reviewer=as_reviewer)
            except WorkbenchError as exc:
                self.app.show_error(exc)
                return
            self._uncoded_here(target.coding.id)
            self.query_one("#text", CodedText).focus()
            whose = f"{target.coding.coder}'s " if as_reviewer else ""
            self.notify(f"removed {whose}{target.code_name}" + (" as reviewer" if as_reviewer else ""))

        self._as_owner_or_reviewer(target, "Remove", remove)

    def _as_owner_or_reviewer(self, target: CodedSegment, verb: str, act: Callable[[bool], None]) -> None:
        """Act on the coder's own coding at once; on another coder's only after they confirm doing so as reviewer."""
        from workbench.tui.dialogs.confirm import ConfirmDialog

        owner = target.coding.coder
        if owner == self.coder:
            act(False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                act(True)

        question = f"“{target.code_name}” was coded by {owner}, not by you. {verb} it as reviewer? The log will say so."
        self.app.push_screen(ConfirmDialog(f"{verb} {owner}'s coding", question), answered)

    def action_coding_memo(self) -> None:
        from workbench.tui.dialogs.memo import MemoDialog

        target = self._target_coding()
        if target is None:
            return

        def save(memo: str | None, as_reviewer: bool = False) -> None:
            if memo is None:
                return
            try:
                set_coding_memo(self.store, target.coding.id, memo, self.coder, as_reviewer=as_reviewer)
            except WorkbenchError as exc:
                self.app.show_error(exc)
                return
            self.refresh_codings()
            self.notify("memo saved" if memo.strip() else "memo removed")

        def edit(as_reviewer: bool) -> None:
            title = f"Memo on {target.code_name} “{shorten(target.text, EXCERPT)}”"
            self.app.push_screen(MemoDialog(title, target.coding.memo), lambda memo: save(memo, as_reviewer))

        self._as_owner_or_reviewer(target, "Change the memo on", edit)

    def action_edit_text(self) -> None:
        """Correct the transcript; the codings follow their words, and the document reopens with the new text."""
        from workbench.tui.screens.edit_document import EditDocumentScreen

        def edited(result: object | None) -> None:
            if result is not None:
                self.app.post_message(OpenDocument(self.document.name, siblings=self.document_list))

        self.app.push_screen(EditDocumentScreen(self.store, self.coder, self.document.name), edited)

    def action_document_memo(self) -> None:
        from workbench.tui.dialogs.memo import MemoDialog

        def save(memo: str | None) -> None:
            if memo is None:
                return
            try:
                set_document_memo(self.store, self.document.name, self.coder, memo)
            except WorkbenchError as exc:
                self.app.show_error(exc)
                return
            self.notify("document memo saved" if memo.strip() else "document memo removed")

        current = document_memo(self.store, self.document.name, self.coder)
        self.app.push_screen(MemoDialog(f"Your memo on {self.document.name}", current), save)

    def _history(self, direction: Literal["undo", "redo"]) -> None:
        from workbench.core.codebook.sync import step_history

        try:
            action = step_history(self.store, direction, self.coder, self.coder).action
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self.book = codebook(self.store)
        self.refresh_codings()
        self.notify(f"{'undone' if direction == 'undo' else 'redone'}: {action.summary}")

    def action_undo(self) -> None:
        self._history("undo")

    def action_redo(self) -> None:
        self._history("redo")

    # -- moving ----------------------------------------------------------------------------------------

    def action_next_uncoded(self) -> None:
        """The next unit you have not coded: later in this document, then in the next documents of the list."""
        mine = [s.coding for s in self.segments if s.coding.coder == self.coder]
        here = uncoded_units(self.unit_spans, mine)
        try:
            place = next_uncoded_place(self.store, self.coder, self.document_list, self.document.name, here, self.selection[0])
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        if place is None:
            where = "this document" if len(self.document_list) < 2 else f"these {len(self.document_list)} documents"
            self.notify(f"Every unit of {where} is coded.")
        elif place.document == self.document.name:
            self.query_one("#text", CodedText).select(place.start, place.end)
        else:
            self.app.post_message(OpenDocument(place.document, place.start, place.end, siblings=self.document_list))

    def action_step_document(self, step: int) -> None:
        """Open the next (1) or previous (-1) document of the list the coder works through."""
        if self.document.name not in self.document_list or len(self.document_list) < 2:
            self.notify("Open a document from the project screen to step through its list with ] and [.")
            return
        index = self.document_list.index(self.document.name) + step
        if not 0 <= index < len(self.document_list):
            self.notify("This is the last document of the list." if step > 0 else "This is the first document of the list.")
            return
        self.app.post_message(OpenDocument(self.document_list[index], siblings=self.document_list))

    def action_granularity(self) -> None:
        """Step by the next unit kind that cuts this document differently (an answer is often one paragraph, one sentence)."""
        index = _ORDER.index(self.granularity)
        candidates = [_ORDER[(index + step) % len(_ORDER)] for step in range(1, len(_ORDER))]
        self._load_units([c for c in candidates if c is not Granularity.TURN or self.document.turns], list(self.unit_spans))

    @work(thread=True, exclusive=True, group="units")
    def _load_units(self, candidates: list[Granularity], current: list[Span]) -> None:
        # Sentences need spaCy (seconds on first use): cut in a worker so the screen stays responsive.
        for granularity in candidates:
            spans = units(self.document, granularity)
            if spans != current:
                self.app.call_from_thread(self._units_loaded, granularity, spans)
                return
        self.app.call_from_thread(self.notify, f"Every unit kind cuts this {self.document.kind.value} the same way.")

    def _units_loaded(self, granularity: Granularity, spans: list[Span]) -> None:
        text = next(iter(self.query("#text").results(CodedText)), None) if self.is_attached else None
        if text is None:
            return  # the screen closed while the thread worked
        self.granularity = granularity
        self.unit_spans = spans
        text.set_units(spans)
        start = self.selection[0]
        # Keep the place: the unit that holds where the selection started.
        here = next((span for span in spans if span[1] > start), spans[-1] if spans else None)
        if here is not None:
            text.select(*here)
        self._show_status()
        self.notify(f"stepping by {granularity.value}")

    def _show_blindness(self) -> None:
        """The header says whose codings are shown, so a blind coder knows the others are hidden (and which key shows them)."""
        if not self.other_coders:
            self.sub_title = f"coder: {self.coder}"
        elif self.show_all_coders:
            self.sub_title = f"coder: {self.coder} · every coder's codings shown (a hides them)"
        else:
            self.sub_title = f"coder: {self.coder} · other coders hidden (a shows them)"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the other coders' codings only when the project has other coders."""
        if action == "toggle_all_coders":
            return bool(self.other_coders)
        return True

    def action_toggle_all_coders(self) -> None:
        self.show_all_coders = not self.show_all_coders
        self.refresh_codings()
        self.notify("showing every coder's codings" if self.show_all_coders else f"showing {self.coder}'s codings")

    def _remember_place(self, coding: bool = True) -> None:
        """Note where the coder is, so `workbench` reopens here; bookkeeping that may fail on a read-only project."""
        start, end = self.selection
        try:
            remember_place(self.store, self.coder, document=self.document.name, start=start, end=end,
                           granularity=self.granularity.value, coding=coding)
        except WorkbenchError:
            pass

    def on_unmount(self) -> None:
        if self._place_timer is not None:
            self._place_timer.stop()

    def action_back(self) -> None:
        self._remember_place(coding=False)  # back at the list: reopen there, with this document's place kept
        self.app.pop_screen()

    @on(CodingPanel.Picked)
    def _coding_picked(self, event: CodingPanel.Picked) -> None:
        text = self.query_one("#text", CodedText)
        text.select(event.segment.coding.start, event.segment.coding.end)
        text.focus()
