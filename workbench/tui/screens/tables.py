"""The tables screen: the report's tables of this project, previewed live, exported with a key."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table as RichTable
from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from workbench.core.crosstabs import TOTAL_LABEL, AnyDefinition, AnyTable, CrossTable, build_one
from workbench.core.store import Store
from workbench.core.tables import TableDefinition
from workbench.core.tables_default import project_tables
from workbench.core.tables_edit import TableSpec, add_table, edit_table, new_table_id, remove_table, spec_of, whose_coding
from workbench.core.tables_file import FILE_NAME
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp


def preview(table: AnyTable) -> RichTable:
    """A table as the report prints it: caption above, "Aantal (n)" column (or the column labels), bold theme rows."""
    if isinstance(table, CrossTable):
        return _preview_cross(table)
    shown = RichTable(title=table.caption, title_justify="left", title_style="bold", expand=True, show_lines=False)
    shown.add_column("", ratio=1, overflow="fold")
    if table.counts:
        shown.add_column("Aantal (n)", justify="right", width=11)
    for theme in table.themes:
        shown.add_row(Text(theme.theme, style="bold"), *([""] if table.counts else []))
        for item in theme.items:
            text = Text(item.text, style="italic" if table.quotes else "")
            shown.add_row(text, *([str(item.count)] if table.counts else []))
    if not table.themes:
        shown.add_row(Text("nothing coded for this table yet", style="dim"), *([""] if table.counts else []))
    return shown


#: Row labels keep this many cells; count columns show at most this much of their label per line.
_LABEL_MIN_WIDTH = 24
_HEADER_WIDTH = 12
#: When the count columns' headers would take more than this, they are numbered and named in a legend below.
_HEADER_ROOM = 60


def _preview_cross(table: CrossTable) -> RichTable:
    """An attribute or cross table: the row header and column labels above right-aligned counts, a bold "Totaal" row."""
    # Columns such as the seven functions do not fit beside the row labels in the preview pane: number them.
    numbered = sum(min(len(label), _HEADER_WIDTH) + 3 for label in table.columns) > _HEADER_ROOM
    # One line per column: Rich wraps at any space, so "5 = Casemanager (senior en back-office)" would split.
    legend = "\n".join(f"{index} = {label}" for index, label in enumerate(table.columns, start=1)) if numbered else None
    shown = RichTable(title=table.caption, title_justify="left", title_style="bold", expand=True, show_lines=False,
                      caption=legend, caption_justify="left")
    shown.add_column(table.row_header, ratio=1, overflow="fold", min_width=_LABEL_MIN_WIDTH)
    for index, label in enumerate(table.columns, start=1):
        header = str(index) if numbered else textwrap.fill(label, _HEADER_WIDTH, break_on_hyphens=False)
        shown.add_column(header, justify="right", overflow="fold")
    blanks = [""] * len(table.columns)
    for row in table.rows:
        if row.values is None:
            shown.add_row(Text(row.label, style="bold" if row.is_theme else ""), *blanks)
        else:
            shown.add_row(row.label, *(str(value) for value in row.values))
    if not table.rows:
        shown.add_row(Text("nothing for this table yet", style="dim"), *blanks)
    if table.totals is not None:
        shown.add_row(Text(TOTAL_LABEL, style="bold"), *(Text(str(value), style="bold") for value in table.totals))
    return shown


class TablesScreen(Screen[None]):
    """Pick a table on the left, read it on the right, export it or all of them."""

    CSS_PATH = "tables.tcss"
    BINDINGS = [
        Binding("n", "new_table", "New table"),
        Binding("c", "change_table", "Change table"),
        Binding("delete,x", "remove_table", "Remove", key_display="del"),
        Binding("e", "export_one", "Export table"),
        Binding("E", "export_all", "Export all"),
        Binding("Q", "export_quotes", "Export quotes"),
        Binding("r", "reload", "Reload"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)

    def __init__(self, store: Store, coder: str) -> None:
        super().__init__()
        self.store = store
        self.coder = coder
        self.definitions: list[AnyDefinition] = []
        self.current: AnyTable | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(id="table-list")
            with VerticalScroll(id="table-preview"):
                yield Static(id="table")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Tables"
        self.sub_title = str(self.store.project_dir / FILE_NAME)
        self.query_one("#table-list", OptionList).border_title = "Tables"
        self.action_reload()

    def on_screen_resume(self) -> None:
        # Back from coding: the counts may have changed, so the preview is rebuilt (that is "live").
        self._show_selected()

    def show_others_work(self) -> None:
        """A teammate changed the project: count the table on screen again (one table, not all)."""
        self._show_selected()

    def action_reload(self, select: str | None = None) -> None:
        """Read tables.yaml again and list its tables (the cursor on table `select`, default the first)."""
        tables = self.query_one("#table-list", OptionList)
        tables.clear_options()
        try:
            found = project_tables(self.store)
        except WorkbenchError as exc:
            self.definitions = []
            self.query_one("#table", Static).update(Text(str(exc), style="red"))
            return
        self.definitions = found.definitions
        if found.written:
            self.notify(f"wrote {FILE_NAME} with a table per dimension of the codebook; edit it to change the tables")
        # The list shows captions without the "(n={n})" placeholder; the preview shows the computed n.
        tables.add_options(
            Option(Text.assemble((d.id, "bold"), f"  {d.caption.replace(' (n={n})', '')}"), id=d.id) for d in self.definitions
        )
        if self.definitions:
            ids = [d.id for d in self.definitions]
            tables.highlighted = ids.index(select) if select in ids else 0
            tables.focus()

    @on(OptionList.OptionHighlighted, "#table-list")
    def _highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self._show_selected()

    def _selected(self) -> AnyDefinition | None:
        tables = self.query_one("#table-list", OptionList)
        if tables.highlighted is None or not self.definitions:
            return None
        return self.definitions[tables.highlighted]

    def _show_selected(self) -> None:
        definition = self._selected()
        if definition is None:
            return
        try:
            self.current = build_one(self.store, definition)
        except WorkbenchError as exc:
            self.query_one("#table", Static).update(Text(str(exc), style="red"))
            return
        # Whose codings a table counts is part of reading it: a new coder's work shows only in the right table.
        self.query_one("#table", Static).update(Group(Text(whose_coding(definition), style="dim"), preview(self.current)))

    # -- defining tables -------------------------------------------------------------------------------

    def _form(self, title: str, spec: TableSpec, save: Callable[[TableSpec], TableDefinition]) -> None:
        from workbench.tui.dialogs.table_form import TableFormDialog

        def done(chosen: TableSpec | None) -> None:
            if chosen is None:
                return
            try:
                definition = save(chosen)
            except WorkbenchError as exc:
                self.app.show_error(exc)
                return
            self.action_reload(select=definition.id)
            self.notify(f"saved table {definition.id} in {FILE_NAME}")

        self.app.push_screen(TableFormDialog(self.store, title, spec), done)

    def action_new_table(self) -> None:
        spec = TableSpec(id=new_table_id(self.definitions), caption="", themes=())
        self._form("New table", spec, lambda chosen: add_table(self.store, chosen))

    def action_change_table(self) -> None:
        definition = self._selected()
        if definition is None:
            self.notify("No table to change: press n for a new one.", severity="warning")
            return
        try:
            spec = spec_of(definition)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self._form(f"Change table {definition.id}", spec, lambda chosen: edit_table(self.store, definition.id, chosen))

    def action_remove_table(self) -> None:
        from workbench.tui.dialogs.confirm import ConfirmDialog

        definition = self._selected()
        if definition is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                remove_table(self.store, definition.id)
            except WorkbenchError as exc:
                self.app.show_error(exc)
                return
            self.action_reload()
            self.notify(f"removed table {definition.id}")

        self.app.push_screen(ConfirmDialog(f"Remove table {definition.id}", f"Remove “{definition.caption}” from {FILE_NAME}?"), answered)

    def _export(self, definitions: list[AnyDefinition], default_name: str) -> None:
        from workbench.core.crosstabs import build_any
        from workbench.core.files import exports_folder, is_replaceable
        from workbench.exporters import format_of, write_tables
        from workbench.tui.dialogs.confirm import ConfirmDialog
        from workbench.tui.dialogs.export_path import ExportPathDialog

        def write(path: Path, replace: bool) -> None:
            try:
                written = write_tables(build_any(self.store, definitions), path, format_of(path), replace=replace)
            except WorkbenchError as exc:
                self.app.show_error(exc)
                return
            self.notify(f"wrote {', '.join(str(p) for p in written)}")

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if not is_replaceable(path):
                write(path, replace=False)  # a link or a device is refused by the exporter, in one line
                return

            def answered(replace: bool | None) -> None:
                if replace:
                    write(path, replace=True)

            self.app.push_screen(ConfirmDialog("Replace file?", f"{path} already exists. Replace it?"), answered)

        try:
            folder = exports_folder(self.store.project_dir)
        except WorkbenchError as exc:
            self.app.show_error(exc)
            return
        self.app.push_screen(ExportPathDialog(folder / default_name), chosen)

    def action_export_one(self) -> None:
        definition = self._selected()
        if definition is not None:
            self._export([definition], f"tabel_{definition.id.replace('.', '_')}.docx")

    def action_export_all(self) -> None:
        if self.definitions:
            self._export(self.definitions, "tabellen.docx")

    def action_export_quotes(self) -> None:
        """The coded passages behind the selected table (its themes and the codes below them) with every attribute."""
        from workbench.tui.dialogs.quote_export import ask_and_export_quotes

        definition = self._selected()
        themes = tuple(getattr(definition, "themes", ()))
        what = f"the codings of table {definition.id}'s themes" if definition is not None and themes else "every coded passage"
        ask_and_export_quotes(self.app, self.store, coder=getattr(definition, "coder", None), code_ids=themes, what=what)

    def action_back(self) -> None:
        self.app.pop_screen()
