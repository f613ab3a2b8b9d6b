"""The disagreements on one code: each unit's text with every coder's codes side by side, settled one key at a time."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.table import Table
from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from workbench.core.codebook import Codebook, codebook
from workbench.core.comparison.consensus import Decision, Settled, copy_agreed, decisions, progress, settle, settled_keys
from workbench.core.comparison.model import CONSENSUS, CodeAgreement, ComparedUnit, UnitKind
from workbench.core.comparison.units import compared_units, expand_codes
from workbench.core.store import Store
from workbench.errors import WorkbenchError
from workbench.tui.colors import code_style
from workbench.tui.screens.agreement import alpha_cell, number
from workbench.tui.widgets.alpha_chart import READING_STYLE

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

#: Coders are named by their key on screen: 1, 2, 3.
TAKE_KEYS = 3


def decision_text(settled: Settled, book: Codebook) -> str:
    """How a decision reads beside its unit: "take onderzoeker1", "both", "neither", "recode Laagdrempelig"."""
    if settled.decision is Decision.TAKE:
        return f"take {settled.coder}"
    if settled.decision is Decision.RECODE:
        return "recode " + ", ".join(book.get(code_id).name if code_id in book.by_id else code_id for code_id in settled.codes)
    return settled.decision.value


def codes_cell(number_key: int, coder: str, codes: Collection[str], book: Codebook) -> Text:
    """One coder's codes on a unit, each in its colour, under the coder's key and name."""
    cell = Text(f"{number_key} {coder}", style="bold")
    if not codes:
        cell.append("\n— none", style="dim italic")
    for code_id in sorted(codes, key=lambda c: book.get(c).name if c in book.by_id else c):
        name = book.get(code_id).name if code_id in book.by_id else code_id
        cell.append("\n")
        cell.append(f" {name} ", style=code_style(book.color_of(code_id)))
    return cell


def unit_prompt(unit: ComparedUnit, coders: Sequence[str], book: Codebook, settled: Settled | None, done: bool) -> Table:
    """A unit as listed: mark and label above its text, beside each coder's codes."""
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(ratio=3, overflow="fold")
    for _ in coders:
        grid.add_column(ratio=1, overflow="fold")
    head = Text("✓ " if done else "• ", style="bold green" if done else "bold yellow")
    head.append(unit.label, style="bold")
    if done and settled is not None:
        head.append(f"  settled: {decision_text(settled, book)}", style="green")
    body = Text.assemble(head, "\n", (unit.text, "" if not done else "dim"))
    grid.add_row(body, *(codes_cell(index, coder, unit.codes.get(coder, frozenset()), book) for index, coder in enumerate(coders, 1)))
    return grid


class DisagreementsScreen(Screen[None]):
    """Where the coders differ on one code; each decision is one undoable action written as the consensus coder."""

    CSS_PATH = "disagreements.tcss"
    BINDINGS = [
        Binding("1", "take(0)", "Take 1", tooltip="Settle the unit with the first coder's codes"),
        Binding("2", "take(1)", "Take 2", tooltip="Settle the unit with the second coder's codes"),
        Binding("3", "take(2)", "Take 3", tooltip="Settle the unit with the third coder's codes"),
        Binding("b", "decide('both')", "Both", tooltip="Settle the unit with every coder's codes"),
        Binding("n,0", "decide('neither')", "Neither", key_display="n", tooltip="Settle the unit as not coded with this code"),
        Binding("r", "recode", "Recode", tooltip="Settle the unit with a code you choose"),
        Binding("u,ctrl+z", "history('undo')", "Undo", key_display="u", tooltip="Undo your last decision"),
        Binding("ctrl+y", "history('redo')", "Redo", tooltip="Redo the decision you undid"),
        Binding("A,shift+a", "copy_agreed", "Copy agreed", tooltip="Give the consensus coder every code all coders gave a unit"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    @dataclass
    class UnitsRead(Message):
        """The units compared on the code were read (or failed)."""

        units: list[ComparedUnit]
        book: Codebook | None
        scope: frozenset[str]
        error: WorkbenchError | None = None

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)

    def __init__(
        self, store: Store, coder: str, coders: Sequence[str], unit: UnitKind, row: CodeAgreement, *, overlap: float = 0.9
    ) -> None:
        super().__init__()
        self.store = store
        self.coder = coder  # the reviewer
        self.coders = tuple(coders)
        self.unit = unit
        self.row = row
        self.overlap = overlap
        self.book: Codebook | None = None
        self.scope: frozenset[str] = frozenset({row.code_id})
        self.units: list[ComparedUnit] = []  # the disagreements, in text order
        self.agreed: list[ComparedUnit] = []  # units where all coders gave the code (or codes below it)
        self.settled: set[tuple[str, int, int]] = set()
        self._marks: list[tuple[bool, Settled | None]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="disagreements-head")
        yield Static(id="disagreements-progress")
        yield OptionList(id="disagreements-units")
        yield Footer()

    def on_mount(self) -> None:
        row = self.row
        self.title = f"Disagreements · {row.name}"
        self.sub_title = f"{self.store.project_dir} · reviewer: {self.coder}"
        keys = " · ".join(f"{index} = {coder}" for index, coder in enumerate(self.coders, 1))
        head = Text.assemble(
            (row.name, "bold"), ("  " + " › ".join(row.path[:-1]) if len(row.path) > 1 else "", "dim"), "\n",
            f"{self.unit} units · {number(row.percent, 1)} % agreement · α {alpha_cell(row)} ",
            (row.reading, READING_STYLE[row.reading]), "\n", (keys, "bold"),
            (f" · decisions are written as coder {CONSENSUS!r}", "dim"),
        )
        self.query_one("#disagreements-head", Static).update(head)
        self.query_one("#disagreements-units", OptionList).border_title = "Units where the coders differ"
        self._progress(Text("reading the units…", style="dim"))
        self.query_one("#disagreements-units", OptionList).focus()
        self._read_units()

    # -- reading -----------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="disagreements")
    def _read_units(self) -> None:
        try:
            book = codebook(self.store)
            scope = expand_codes(book, [self.row.code_id])
            found = compared_units(self.store, self.coders, self.unit, [self.row.code_id], overlap=self.overlap)
        except WorkbenchError as exc:
            self.post_message(self.UnitsRead([], None, frozenset(), exc))
            return
        self.post_message(self.UnitsRead(found, book, scope))

    @on(UnitsRead)
    def _units_read(self, read: UnitsRead) -> None:
        if read.error is not None or read.book is None:
            self._progress(Text(str(read.error), style="bold red"))
            if read.error is not None:
                self.app.show_error(read.error)
            return
        self.book, self.scope = read.book, read.scope
        self.units = [u for u in read.units if not u.agreed]
        self.agreed = [u for u in read.units if u.agreed and any(u.codes.values())]
        listed = self.query_one("#disagreements-units", OptionList)
        listed.clear_options()
        self._marks = []
        if not self.units:
            listed.add_option(Text(f"The coders agree on every {self.unit} unit for this code.", style="dim"))
            listed.disabled = True
        self._refresh_marks()
        if self.units:
            listed.highlighted = self._next_unsettled(-1) or 0

    def _refresh_marks(self) -> None:
        """Mark the settled units and count progress; only the units whose mark changed are redrawn."""
        if self.book is None:
            return
        try:
            self.settled = settled_keys(self.store, self.scope)
            recorded = decisions(self.store)
            settled, total = progress(self.store, self.units, self.scope)
            copied, agreed = progress(self.store, self.agreed, self.scope)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        marks = [(u.key in self.settled, self._latest(recorded.get(u.key, []))) for u in self.units]
        listed = self.query_one("#disagreements-units", OptionList)
        if len(self._marks) != len(marks):
            listed.clear_options()
            listed.add_options(unit_prompt(u, self.coders, self.book, s, done) for u, (done, s) in zip(self.units, marks, strict=True))
        else:
            for index, (unit, mark) in enumerate(zip(self.units, marks, strict=True)):
                if mark != self._marks[index]:
                    listed.replace_option_prompt_at_index(index, unit_prompt(unit, self.coders, self.book, mark[1], mark[0]))
        self._marks = marks
        line = Text(f"{settled} of {total} settled", style="bold green" if settled == total else "bold")
        line.append(f" · {agreed} agreed units, {copied} of them in {CONSENSUS} (A copies the rest)", style="dim")
        self._progress(line)

    def _latest(self, recorded: Sequence[Settled]) -> Settled | None:
        """The latest decision on a unit that is about this code."""
        return next((s for s in reversed(recorded) if s.scope & self.scope), None)

    def _progress(self, text: Text) -> None:
        self.query_one("#disagreements-progress", Static).update(text)

    def progress_line(self) -> str:
        """What the progress line says, e.g. "17 of 42 settled · …"."""
        return str(self.query_one("#disagreements-progress", Static).render())

    def _next_unsettled(self, after: int) -> int | None:
        """The first unsettled unit after `after`, wrapping round; None when every unit is settled."""
        count = len(self.units)
        for step in range(1, count + 1):
            index = (after + step) % count
            if self.units[index].key not in self.settled:
                return index
        return None

    def _current(self) -> tuple[int, ComparedUnit] | None:
        listed = self.query_one("#disagreements-units", OptionList)
        if not self.units or listed.highlighted is None:
            return None
        return listed.highlighted, self.units[listed.highlighted]

    # -- deciding ----------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "take" only for the coders there are."""
        if action == "take" and parameters:
            index = parameters[0]
            return isinstance(index, int) and index < len(self.coders)
        return True

    def _decide(self, decision: Decision, *, coder: str | None = None, codes: Collection[str] = ()) -> None:
        current = self._current()
        if current is None:
            return
        index, unit = current
        try:
            settle(self.store, unit, decision, actor=self.coder, coder=coder, codes=codes, scope=self.scope)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self._refresh_marks()
        following = self._next_unsettled(index)
        if following is None:
            self.notify(f"All {len(self.units)} disagreements on {self.row.name} are settled.")
        else:
            self.query_one("#disagreements-units", OptionList).highlighted = following

    def action_take(self, index: int) -> None:
        """Settle the unit with one coder's codes (and boundaries)."""
        if index < len(self.coders):
            self._decide(Decision.TAKE, coder=self.coders[index])

    def action_decide(self, decision: Literal["both", "neither"]) -> None:
        """Settle the unit with every coder's codes, or with none."""
        self._decide(Decision(decision))

    def action_recode(self) -> None:
        """Settle the unit with a code the reviewer chooses."""
        from workbench.tui.dialogs.choose_code import ChooseCodeDialog, CodeChoice

        current = self._current()
        if current is None or self.book is None:
            return
        unit = current[1]

        def chosen(choice: CodeChoice | None) -> None:
            if choice is not None and choice.code_id is not None:
                self._decide(Decision.RECODE, codes=(choice.code_id,))

        self.app.push_screen(ChooseCodeDialog(self.book, f"Recode {unit.label}", hint="The consensus coder gets this code on the unit."),
                             chosen)

    def action_history(self, direction: Literal["undo", "redo"]) -> None:
        """Undo or redo the reviewer's latest action (a decision, a copy)."""
        from workbench.core.codebook.sync import step_history

        try:
            action = step_history(self.store, direction, self.coder, self.coder).action
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self._refresh_marks()
        self.notify(f"{'undone' if direction == 'undo' else 'redone'}: {action.summary}")

    def action_copy_agreed(self) -> None:
        """Copy every unit where all coders gave this code to the consensus coder, as one action."""
        try:
            copied = copy_agreed(self.store, self.agreed, actor=self.coder, scope=self.scope)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self._refresh_marks()
        self.notify(f"copied {copied} agreed units to {CONSENSUS}" if copied else "no agreed unit left to copy to consensus")

    def action_back(self) -> None:
        """Back to the agreement table."""
        self.app.pop_screen()

