"""The agreement screen: how far the chosen coders agree per code at a chosen unit, as a table and a bar chart of alpha."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from workbench.core.codings import coder_names
from workbench.core.comparison.model import CONSENSUS, AgreementReport, CodeAgreement, ComparedUnit, UnitKind
from workbench.core.comparison.report import agreement_report
from workbench.core.comparison.units import compared_units
from workbench.core.status import project_status
from workbench.core.store import Store
from workbench.core.text import shorten
from workbench.errors import WorkbenchError
from workbench.tui.widgets.alpha_chart import READING_STYLE, AlphaChart

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

#: The unit a review starts at: it applies to every kind of document (a questionnaire answer is one paragraph,
#: a transcript line one turn), and a coding a few words off still counts for the same paragraph.
DEFAULT_UNIT = UnitKind.PARAGRAPH
#: What the unit choice says about each kind.
UNIT_LABELS = {
    UnitKind.ANSWER: "answer",
    UnitKind.TURN: "turn",
    UnitKind.SENTENCE: "sentence",
    UnitKind.PARAGRAPH: "paragraph",
    UnitKind.RESPONDENT: "respondent (mentions it at all)",
    UnitKind.DOCUMENT: "document",
    UnitKind.SEGMENT: "segment (90 % overlap)",
    UnitKind.CHARACTER: "character",
    UnitKind.CONTINUUM: "continuum (unitizing α)",
}
#: Code names and notes are cut to these widths, so every statistic stays in view.
NAME_WIDTH = 44
NOTE_WIDTH = 60
#: The key of the overall row in the table.
OVERALL = ""


def default_coders(counts: Sequence[tuple[str, int]]) -> list[str]:
    """The two coders with most codings, leaving out the consensus coder (whose codings are the review's result)."""
    ranked = sorted(((n, name) for name, n in counts if name != CONSENSUS), key=lambda item: (-item[0], item[1]))
    return sorted(name for _, name in ranked[:2])


def number(value: float, digits: int = 3) -> str:
    """A statistic as the table prints it; an undefined one as a dash."""
    return "–" if math.isnan(value) else f"{value:.{digits}f}"


def alpha_cell(row: CodeAgreement) -> str:
    """Alpha with its bootstrap interval, "0.512 [0.310–0.700]"."""
    if math.isnan(row.alpha_low) or math.isnan(row.alpha_high):
        return number(row.alpha)
    return f"{number(row.alpha)} [{number(row.alpha_low)}–{number(row.alpha_high)}]"


def table_cells(row: CodeAgreement, coders: Sequence[str]) -> list[Text | str]:
    """One row of the per-code table: code, units, %, κ, α [interval], AC1, reading, each coder's count, note."""
    style = READING_STYLE[row.reading]
    name = Text(shorten(row.name, NAME_WIDTH), style="bold" if row.code_id == OVERALL else "")
    return [
        name, str(row.units), number(row.percent, 1), number(row.kappa), alpha_cell(row), number(row.ac1),
        Text(row.reading, style=style), *(str(row.counts.get(coder, "")) for coder in coders),
        Text(shorten(row.note, NOTE_WIDTH), style="dim"),
    ]


class AgreementScreen(Screen[None]):
    """Choose coders and unit; read agreement per code, weakest first; enter on a code lists its disagreements."""

    CSS_PATH = "agreement.tcss"
    BINDINGS = [
        Binding("enter", "disagreements", "Disagreements", tooltip="List where the coders differ on the code under the cursor"),
        Binding("c", "choose_coders", "Coders", tooltip="Choose which coders to compare (space toggles one)"),
        Binding("g", "choose_unit", "Unit", tooltip="Choose the unit the coders are compared on"),
        Binding("A,shift+a", "copy_agreed", "Copy agreed", tooltip="Give the consensus coder every code all coders gave a unit"),
        Binding("f5", "refresh", "Refresh", tooltip="Read the codings again and recompute"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    @dataclass
    class ReportReady(Message):
        """Agreement for the choice in `key` was computed (or failed)."""

        key: tuple[tuple[str, ...], UnitKind]
        report: AgreementReport | None
        error: WorkbenchError | None = None

    @dataclass
    class AgreedRead(Message):
        """The units of the choice in `key` were read, to copy the agreed ones to consensus."""

        key: tuple[tuple[str, ...], UnitKind]
        units: list[ComparedUnit]
        error: WorkbenchError | None = None

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)

    def __init__(self, store: Store, coder: str, *, coders: Sequence[str] = (), unit: UnitKind = DEFAULT_UNIT) -> None:
        super().__init__()
        self.store = store
        self.coder = coder  # the reviewer: decisions and copies are logged as theirs
        self._initial_coders = tuple(coders)
        self._initial_unit = unit
        self.report: AgreementReport | None = None
        #: Whether a teammate changed the project since the report on screen was computed.
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="agreement-choices"):
            yield SelectionList[str](id="agreement-coders")
            yield Select(((label, kind) for kind, label in UNIT_LABELS.items()), value=self._initial_unit, allow_blank=False,
                         id="agreement-unit")
            yield Static(id="agreement-summary")
        yield DataTable(id="agreement-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="agreement-chart-box"):
            yield AlphaChart(id="agreement-chart")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Agreement"
        self.sub_title = f"{self.store.project_dir} · reviewer: {self.coder}"
        self.query_one("#agreement-coders", SelectionList).border_title = "Coders"
        self.query_one("#agreement-unit", Select).border_title = "Unit"
        self.query_one("#agreement-table", DataTable).border_title = "Agreement per code, weakest α first"
        self.query_one("#agreement-chart-box").border_title = "α per code with its 95 % interval"
        self._fill_coders(self._initial_coders)
        self.query_one("#agreement-table", DataTable).focus()
        self._compute()

    # -- choices -----------------------------------------------------------------------------------------

    def _fill_coders(self, chosen: Sequence[str] = ()) -> None:
        """List the project's coders, ticking `chosen` (or keeping the ticks, or the two most active coders)."""
        try:
            names = coder_names(self.store)
            ticked = list(chosen) or self.coders() or default_coders(project_status(self.store).codings_by_coder)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        coders = self.query_one("#agreement-coders", SelectionList)
        with coders.prevent(SelectionList.SelectedChanged):
            coders.clear_options()
            coders.add_options(Selection(name, name, name in ticked) for name in names)

    def coders(self) -> list[str]:
        """The ticked coders, in the project's order."""
        return list(self.query_one("#agreement-coders", SelectionList).selected)

    def unit(self) -> UnitKind:
        """The chosen unit kind."""
        value = self.query_one("#agreement-unit", Select).value
        return value if isinstance(value, UnitKind) else DEFAULT_UNIT

    def _key(self) -> tuple[tuple[str, ...], UnitKind]:
        return tuple(self.coders()), self.unit()

    @on(SelectionList.SelectedChanged, "#agreement-coders")
    @on(Select.Changed, "#agreement-unit")
    def _choice_changed(self) -> None:
        self._compute()

    def action_choose_coders(self) -> None:
        """Put the cursor in the coder list."""
        self.query_one("#agreement-coders", SelectionList).focus()

    def action_choose_unit(self) -> None:
        """Open the unit choice."""
        select = self.query_one("#agreement-unit", Select)
        select.focus()
        select.expanded = True

    # -- computing ---------------------------------------------------------------------------------------

    def _compute(self) -> None:
        coders, unit = self._key()
        if len(coders) < 2:
            self.report = None
            self._show_empty("Tick at least two coders to compare (c, then space)." if len(coder_names(self.store)) >= 2 else
                             "This project has one coder: merge another coder's copy (workbench merge) to compare.")
            return
        self._summary(Text(f"computing agreement of {' and '.join(coders)} at {unit} units…", style="dim"))
        self._agreement((coders, unit))

    @work(thread=True, exclusive=True, group="agreement")
    def _agreement(self, key: tuple[tuple[str, ...], UnitKind]) -> None:
        coders, unit = key
        try:
            report = agreement_report(self.store, coders, unit)
        except WorkbenchError as exc:
            self.post_message(self.ReportReady(key, None, exc))
            return
        self.post_message(self.ReportReady(key, report))

    @on(ReportReady)
    def _report_ready(self, ready: ReportReady) -> None:
        if ready.key != self._key():
            return  # the choice changed meanwhile; a newer computation is coming
        if ready.report is None:
            self.report = None
            self._show_empty(str(ready.error), error=True)
            return
        self.report = ready.report
        self._stale = False
        self._show(ready.report)

    def _show_empty(self, message: str, *, error: bool = False) -> None:
        table = self.query_one("#agreement-table", DataTable)
        table.clear(columns=True)
        self.query_one("#agreement-chart", AlphaChart).show([])
        self._summary(Text(message, style="bold red" if error else "dim"))

    def _show(self, report: AgreementReport) -> None:
        table = self.query_one("#agreement-table", DataTable)
        table.clear(columns=True)
        table.add_columns("Code", "Units", "%", "κ", "α [95 % interval]", "AC1", "Reading", *report.coders, "Note")
        for row in report.rows:
            table.add_row(*table_cells(row, report.coders), key=row.code_id)
        table.add_row(*table_cells(report.overall, report.coders), key=OVERALL)
        self.query_one("#agreement-chart", AlphaChart).show(report.rows, highlighted=0 if report.rows else None)
        overall = report.overall
        summary = Text.assemble(
            (f"{' vs '.join(report.coders)}", "bold"),
            f" · {report.unit} units · {overall.units} units in {report.documents} documents · "
            f"overall {number(overall.percent, 1)} % agreement, α {alpha_cell(overall)} ",
            (overall.reading, READING_STYLE[overall.reading]),
        )
        weak = sum(1 for row in report.rows if row.reading == "unreliable")
        if weak:
            summary.append(f"\n{weak} of {len(report.rows)} codes below α .667", style="bold red")
        for note in report.notes:
            summary.append(f"\n{note}", style="dim")
        if self._stale:
            summary.append("\nCodings changed since this was computed (a teammate's work): F5 recomputes", style="bold yellow")
        self._summary(summary)

    def _summary(self, text: Text) -> None:
        self.query_one("#agreement-summary", Static).update(text)

    @on(DataTable.RowHighlighted, "#agreement-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.report is None:
            return
        index = event.cursor_row if event.cursor_row < len(self.report.rows) else None
        chart = self.query_one("#agreement-chart", AlphaChart)
        chart.highlight(index)
        if index is not None:
            self._scroll_chart(index)

    def _scroll_chart(self, index: int) -> None:
        """Keep the marked bar in view (it is line index + 1: the legend comes first)."""
        box = self.query_one("#agreement-chart-box", VerticalScroll)
        visible = box.scrollable_content_region.height
        if not box.scroll_y <= index + 1 < box.scroll_y + visible:
            box.scroll_to(y=max(0, index + 1 - visible // 2), animate=False)

    # -- into the disagreements --------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#agreement-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(event.row_key.value)

    def action_disagreements(self) -> None:
        """List the disagreements on the code under the cursor."""
        table = self.query_one("#agreement-table", DataTable)
        if self.report is None or table.row_count == 0:
            return
        self._open(self.report.rows[table.cursor_row].code_id if table.cursor_row < len(self.report.rows) else OVERALL)

    def _open(self, code_id: str | None) -> None:
        from workbench.tui.screens.disagreements import DisagreementsScreen

        report = self.report
        if report is None or code_id is None:
            return
        if code_id == OVERALL:
            self.notify("Choose a code: its disagreements are listed and settled one code at a time.")
            return
        row = next(r for r in report.rows if r.code_id == code_id)
        self.app.push_screen(DisagreementsScreen(self.store, self.coder, report.coders, report.unit, row, overlap=report.overlap))

    # -- copying what everyone agrees on -----------------------------------------------------------------

    def action_copy_agreed(self) -> None:
        """Copy every unit all the chosen coders agree on (any code) to the consensus coder, as one action."""
        key = self._key()
        if len(key[0]) < 2:
            self.notify("Tick at least two coders first.", severity="warning")
            return
        self._read_agreed(key)

    @work(thread=True, exclusive=True, group="agreed")
    def _read_agreed(self, key: tuple[tuple[str, ...], UnitKind]) -> None:
        coders, unit = key
        try:
            found = compared_units(self.store, coders, unit)
        except WorkbenchError as exc:
            self.post_message(self.AgreedRead(key, [], exc))
            return
        self.post_message(self.AgreedRead(key, [u for u in found if any(u.codes.values())]))

    @on(AgreedRead)
    def _agreed_read(self, read: AgreedRead) -> None:
        from workbench.core.comparison.consensus import copy_agreed

        if read.error is not None:
            self.app.show_error(read.error)
            return
        try:
            copied = copy_agreed(self.store, read.units, actor=self.coder)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self._fill_coders()  # the consensus coder may be new
        self.notify(f"copied {copied} agreed units to {CONSENSUS}" if copied else "no agreed unit left to copy to consensus")

    # -- leaving and coming back -------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        # Back from settling: the consensus coder may be new; the coders' own agreement has not changed.
        if self.is_mounted:
            self._fill_coders()

    def show_others_work(self) -> None:
        """A teammate changed the project: say the figures may be out of date, without recomputing on every change.

        A full computation takes seconds on a large project and teammates code every few seconds; the reader decides
        when to recompute (F5).
        """
        if self.report is not None and not self._stale:
            self._stale = True
            self._show(self.report)

    def action_refresh(self) -> None:
        """Read the coders and codings again and recompute."""
        self._fill_coders()
        self._compute()

    def action_back(self) -> None:
        """Back to the project."""
        self.app.pop_screen()
