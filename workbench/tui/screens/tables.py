"""The tables screen: the report's tables of this project, previewed live, exported with a key."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table as RichTable
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from workbench.core.store import Store
from workbench.core.tables import Table, TableDefinition, build_table
from workbench.core.tables_file import FILE_NAME, read_tables
from workbench.errors import WorkbenchError


def preview(table: Table) -> RichTable:
    """A table as the report prints it: caption above, "Aantal (n)" column, bold theme rows."""
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


class TablesScreen(Screen[None]):
    """Pick a table on the left, read it on the right, export it or all of them."""

    CSS_PATH = "tables.tcss"
    BINDINGS = [
        Binding("e", "export_one", "Export table"),
        Binding("E", "export_all", "Export all"),
        Binding("r", "reload", "Reload"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, store: Store, coder: str) -> None:
        super().__init__()
        self.store = store
        self.coder = coder
        self.definitions: list[TableDefinition] = []
        self.current: Table | None = None

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

    def action_reload(self) -> None:
        """Read tables.yaml again and list its tables."""
        tables = self.query_one("#table-list", OptionList)
        tables.clear_options()
        try:
            self.definitions = read_tables(self.store.project_dir / FILE_NAME)
        except WorkbenchError as exc:
            self.definitions = []
            self.query_one("#table", Static).update(Text(str(exc), style="red"))
            return
        tables.add_options(Option(Text.assemble((d.id, "bold"), f"  {d.caption}"), id=d.id) for d in self.definitions)
        if self.definitions:
            tables.highlighted = 0
            tables.focus()

    @on(OptionList.OptionHighlighted, "#table-list")
    def _highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self._show_selected()

    def _selected(self) -> TableDefinition | None:
        tables = self.query_one("#table-list", OptionList)
        if tables.highlighted is None or not self.definitions:
            return None
        return self.definitions[tables.highlighted]

    def _show_selected(self) -> None:
        definition = self._selected()
        if definition is None:
            return
        try:
            self.current = build_table(self.store, definition)
        except WorkbenchError as exc:
            self.query_one("#table", Static).update(Text(str(exc), style="red"))
            return
        self.query_one("#table", Static).update(preview(self.current))

    def _export(self, definitions: list[TableDefinition], default_name: str) -> None:
        from workbench.core.tables import build_tables
        from workbench.exporters import write_tables
        from workbench.tui.dialogs.export_path import ExportPathDialog

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            try:
                written = write_tables(build_tables(self.store, definitions), path, path.suffix.lower().lstrip("."))
            except WorkbenchError as exc:
                self.notify(str(exc), title=exc.title, severity="error")
                return
            self.notify(f"wrote {', '.join(str(p) for p in written)}")

        self.app.push_screen(ExportPathDialog(self.store.project_dir / "exports" / default_name), chosen)

    def action_export_one(self) -> None:
        definition = self._selected()
        if definition is not None:
            self._export([definition], f"tabel_{definition.id.replace('.', '_')}.docx")

    def action_export_all(self) -> None:
        if self.definitions:
            self._export(self.definitions, "tabellen.docx")

    def action_back(self) -> None:
        self.app.pop_screen()
