"""A junior's own project from nothing to the report: new, import .docx and .csv, a codebook built in the codebook
screen, quick keys across documents, a table defined in the Tables screen, the table and quotes exported from the TUI."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl

from tests.conftest import run_cli
from workbench.core.codebook import codebook
from workbench.core.codings import coded_segments
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs.quote_export import QuoteExportDialog
from workbench.tui.dialogs.table_form import TableFormDialog
from workbench.tui.messages import OpenDocument
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.tables import TablesScreen

INTERVIEWS = {
    "P01": ["I: Wat helpt je hier?", "R: Het team is er altijd voor me.", "I: En verder?", "R: Het contact met mijn mentor."],
    "P02": ["I: Wat helpt je hier?", "R: Een vast team op de groep.", "I: En verder?", "R: Dagelijks contact, dat helpt."],
}
CSV = "Respondent;Wijk;Wat gaat goed?\nM01;Noord;Het team werkt goed samen.\nM02;Zuid;Weinig contact met de wijk.\n"


def _sources(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "interviews"
    folder.mkdir()
    for name, lines in INTERVIEWS.items():
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(str(folder / f"{name}.docx"))
    sheet = tmp_path / "vragenlijst.csv"
    sheet.write_text(CSV, encoding="utf-8")
    return folder, sheet


async def _wait_for(pilot: object, app: WorkbenchApp, kind: type, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if isinstance(app.screen, kind):
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError(f"{kind.__name__} did not open; {type(app.screen).__name__} is open")


async def test_junior_goes_from_a_new_project_to_the_reports_table_and_quotes_in_the_tui(tmp_path: Path) -> None:
    folder, sheet = _sources(tmp_path)
    project = tmp_path / "studie"
    run_cli("new", project)
    run_cli("import", project, folder, "--kind", "transcript")
    run_cli("import", project, sheet, "--id-column", "Respondent", "--attribute", "Wijk=wijk")
    store = Store.open(project)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(160, 45)) as pilot:
        # The codebook, built in the codebook screen: a dimension and two codes under it.
        await pilot.press("b")
        await pilot.pause()
        for key, name in (("a", "Succesfactoren"), ("a", "Team"), ("A", "Contact")):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press(*name, "enter")
            await pilot.pause()
        book = codebook(store)
        assert [c.name for c in book.children("succesfactoren")] == ["Team", "Contact"]
        await pilot.press("escape")

        # Coding: the picker once per code, then quick keys, on to the next document with ].
        app.post_message(OpenDocument("P01", siblings=("P01", "P02")))
        await _wait_for(pilot, app, CodingScreen)
        await pilot.press("down", "c", *"team", "enter")  # R: Het team is er altijd voor me.
        await pilot.pause()
        await pilot.press("down", "down", "c", *"contact", "enter")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CodingScreen) and app.screen.document.name == "P02"
        await pilot.press("down", "1", "down", "down", "2")  # team on key 1, contact on key 2: they stayed put
        await pilot.pause()
        answers = sorted(name for name in {s.document for s in coded_segments(store)} if name.startswith("P"))
        assert answers == ["P01", "P02"]
        answer = next(name for name in _documents(store) if "M01" in name)
        app.post_message(OpenDocument(answer))
        await pilot.pause(0.3)
        await pilot.press("1")  # the staff answer about the team
        await pilot.pause()

        # The table, defined in the Tables screen, and both exports from the TUI.
        await pilot.press("t")
        await _wait_for(pilot, app, TablesScreen)
        await pilot.press("n")
        await _wait_for(pilot, app, TableFormDialog)
        await pilot.press("ctrl+a", "backspace", *"Tabel 6.6. Wat helpt (n={n})", "tab", "space", "ctrl+s")
        await _wait_for(pilot, app, TablesScreen)
        await pilot.pause(0.3)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.5)
        await pilot.press("Q")
        await _wait_for(pilot, app, QuoteExportDialog)
        await pilot.press("enter")
        await pilot.pause(0.5)

    table_files = sorted((project / "exports").glob("tabel_*.docx"))
    assert len(table_files) == 1
    rows = {row.cells[0].text: row.cells[-1].text for row in docx.Document(str(table_files[0])).tables[0].rows}
    segments = coded_segments(store)
    for code_id, name in (("succesfactoren-team", "Team"), ("succesfactoren-contact", "Contact")):
        respondents = {s.document for s in segments if s.coding.code_id == code_id}
        assert rows[name] == str(len(respondents)), rows  # the counts are the codings'
    sheet_rows = list(openpyxl.load_workbook(project / "exports" / "citaten.xlsx", read_only=True).active.iter_rows(values_only=True))
    header, *quotes = sheet_rows
    assert len(quotes) == len(segments) == 5
    wijk = [row[header.index("wijk")] for row in quotes if row[header.index("document")] == answer]
    assert wijk == ["Noord"]  # the attribute imported with --attribute travels with the quote
    store.close()


def _documents(store: Store) -> list[str]:
    from workbench.core.corpus import document_summaries

    return [summary.name for summary in document_summaries(store)]
