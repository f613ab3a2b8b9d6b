"""The report writer exports quotes from the Tables and Search screens, with the options the command line has."""

from __future__ import annotations

import openpyxl

from tests.conftest import INTERVIEW
from tests.tui.test_search_screen import RecordingApp, _open_search, _settle
from workbench.core.codings import add_coding
from workbench.core.corpus import add_document
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.store import Store
from workbench.importers.turns import detect_turns
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs.quote_export import QuoteExportDialog


def _rows(path: object) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(path, read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[union-attr]


async def test_quotes_from_the_tables_screen_carry_a_custom_attribute_and_lose_the_speaker_label(store: Store) -> None:
    text = "I: Wat helpt?\nR: De mentor helpt echt.\n"
    add_document(store, name="interview_02", text=text, kind=DocumentKind.TRANSCRIPT, actor="junior", turns=detect_turns(text),
                 case_id="D02", case_attributes=CaseAttributes(respondent_group="deelnemers"), attributes={"Wijk": "Noord"})
    add_coding(store, document="interview_02", start=text.index("R:"), end=len(text) - 1, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=INTERVIEW.index("Hier"), end=len(INTERVIEW) - 1, code_id="contact", coder="senior")
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("Q")
        await pilot.pause()
        assert isinstance(app.screen, QuoteExportDialog)
        await pilot.press("tab", "tab", "space")  # past the path and the coder: tick "drop the speaker label"
        await pilot.press("ctrl+s")
        await pilot.pause()
    header, *rows = _rows(store.project_dir / "exports" / "citaten.xlsx")
    assert "Wijk" in header and len(rows) == 2  # every coder's codings: the default table counts them all
    by_document = {row[header.index("document")]: row for row in rows}
    assert by_document["interview_02"][header.index("Wijk")] == "Noord"
    assert by_document["interview_02"][header.index("text")] == "De mentor helpt echt."


async def test_quotes_of_the_code_chosen_in_search_for_one_coder(demo: Store) -> None:
    app = RecordingApp(demo)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_search(app, pilot, demo)
        await pilot.press("f2", *"echt gezien")
        await _settle(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, QuoteExportDialog)
        await pilot.press("enter")
        await pilot.pause()
    header, *rows = _rows(demo.project_dir / "exports" / "citaten.xlsx")
    assert [row[header.index("text")] for row in rows] == ["Hier word je echt gezien."]
