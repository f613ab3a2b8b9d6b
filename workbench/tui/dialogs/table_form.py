"""Defining a frequency table without YAML: caption, themes, what n counts, whose coding, which documents; live preview."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, Select, SelectionList, Static

from workbench.core.codebook import codebook
from workbench.core.codings import coder_names
from workbench.core.comparison.model import CONSENSUS
from workbench.core.crosstabs import build_one
from workbench.core.model import DocumentKind
from workbench.core.store import Store
from workbench.core.tables import Unit
from workbench.core.tables_edit import TableSpec, check_spec, whose_coding
from workbench.errors import WorkbenchError

#: The coder choice that counts every coder's codings together.
EVERY_CODER = "*"
ANY_KIND = "*"
#: Seconds the form rests before the preview is rebuilt (typing a caption builds nothing per key).
PREVIEW_DELAY = 0.3


class TableFormDialog(ModalScreen[TableSpec | None]):
    """Fill in a table; the preview beside the form shows it as the report will. ctrl+s saves, escape cancels."""

    CSS_PATH = "table_form.tcss"
    BINDINGS = [Binding("ctrl+s", "save", "Save table"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, store: Store, title: str, spec: TableSpec) -> None:
        super().__init__()
        self.store = store
        self.heading = title
        self.spec = spec
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        book = codebook(self.store)
        # Themes: codes with codes below them, under a dimension (or a dimension whose codes sit right under it).
        themes = [code for _, code in book.walk() if book.children(code.id) and (code.parent_id is not None or not any(
            book.children(child.id) for child in book.children(code.id)))]
        coders = [("every coder together", EVERY_CODER), *((name, name) for name in coder_names(self.store) if name != CONSENSUS),
                  ("the consensus", CONSENSUS)]
        with Horizontal(id="table-form"):
            with VerticalScroll(id="table-fields"):
                yield Label(self.heading, classes="dialog-title")
                yield Label("Id and caption ({n} becomes the number counted)")
                with Horizontal(classes="field-row"):
                    yield Input(self.spec.id, id="table-id", placeholder="6.6")
                    yield Input(self.spec.caption, id="table-caption", placeholder="Tabel 6.6. Wat helpt de deelnemers T1 (n={n})")
                yield Label("Themes (space ticks one; rows in codebook order)")
                yield SelectionList[str](
                    *((" › ".join(book.path(code.id)), code.id, code.id in self.spec.themes) for code in themes), id="table-themes"
                )
                yield Label("Aantal (n) counts")
                yield Select([(unit.value, unit.value) for unit in Unit], value=self.spec.unit.value, allow_blank=False, id="table-unit")
                yield Label("Whose coding")
                yield Select(coders, value=self.spec.coder or EVERY_CODER, allow_blank=False, id="table-coder")
                yield Label("Documents: kind, wave, respondent group")
                kinds = [("any kind", ANY_KIND), *((kind.value, kind.value) for kind in DocumentKind)]
                yield Select(kinds, value=self.spec.kinds[0] if len(self.spec.kinds) == 1 else ANY_KIND, allow_blank=False,
                             id="table-kind")
                with Horizontal(classes="field-row"):
                    yield Input(self.spec.wave or "", id="table-wave", placeholder="wave (T1)")
                    yield Input(self.spec.respondent_group or "", id="table-group", placeholder="group (medewerkers)")
                yield Label("ctrl+s save · escape cancel · tab next field", classes="dialog-hint")
            with VerticalScroll(id="table-form-preview"):
                yield Static(id="table-form-table")

    def on_mount(self) -> None:
        self.query_one("#table-form-preview").border_title = "Preview"
        self.query_one("#table-caption", Input).focus()
        self._show_preview()

    def current(self) -> TableSpec:
        """The table as the form now says."""
        coder = str(self.query_one("#table-coder", Select).value)
        kind = str(self.query_one("#table-kind", Select).value)
        wave = self.query_one("#table-wave", Input).value.strip()
        group = self.query_one("#table-group", Input).value.strip()
        return TableSpec(
            id=self.query_one("#table-id", Input).value.strip(),
            caption=self.query_one("#table-caption", Input).value.strip(),
            themes=tuple(self.query_one("#table-themes", SelectionList).selected),
            unit=Unit(str(self.query_one("#table-unit", Select).value)),
            order=self.spec.order,
            coder=None if coder == EVERY_CODER else coder,
            kinds=() if kind == ANY_KIND else (kind,),
            respondent_group=group or None,
            wave=wave or None,
            question=self.spec.question,
            attributes=self.spec.attributes,
        )

    @on(Input.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PREVIEW_DELAY, self._show_preview)

    def _show_preview(self) -> None:
        from workbench.tui.screens.tables import preview

        shown = self.query_one("#table-form-table", Static)
        spec = self.current()
        try:
            definition = check_spec(self.store, spec)
            table = build_one(self.store, definition)
        except WorkbenchError as exc:
            shown.update(Text(str(exc), style="yellow"))
            return
        shown.update(Group(Text(whose_coding(definition), style="dim"), preview(table)))

    def action_save(self) -> None:
        spec = self.current()
        try:
            check_spec(self.store, spec)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.dismiss(spec)

    def action_cancel(self) -> None:
        self.dismiss(None)
