"""The report writer's screen: tables listed, previewed live from the coding, exported with a key."""

from __future__ import annotations

import docx

from tests.conftest import screen_lines
from workbench.core.codings import add_coding
from workbench.core.corpus import add_document
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs.confirm import ConfirmDialog
from workbench.tui.screens.tables import TablesScreen

TABLES = """\
tables:
  - id: "6.6"
    caption: "Tabel 6.6. Wat helpt de deelnemers T1 (n={n})"
    source:
      kinds: [transcript]
    themes: [succesfactoren]
    coder: junior
"""


def _with_tables(store: Store) -> Store:
    (store.project_dir / "tables.yaml").write_text(TABLES, encoding="utf-8")
    add_coding(store, document="interview_01", start=0, end=10, code_id="contact", coder="junior")
    return store


async def test_report_writer_previews_a_table_sees_a_new_coding_and_exports_it(store: Store) -> None:
    _with_tables(store)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TablesScreen)
        shown = "\n".join(screen_lines(app))
        assert "Tabel 6.6. Wat helpt de deelnemers T1 (n=1)" in shown
        assert "Aantal (n)" in shown and "Succesfactoren" in shown and "M.b.t. contact met personeel" in shown

        add_document(store, name="interview_02", text="I: Wat helpt?\nR: Het contact.\n", kind=DocumentKind.TRANSCRIPT,
                     actor="junior", case_id="D02", case_attributes=CaseAttributes(respondent_group="deelnemers"))
        add_coding(store, document="interview_02", start=17, end=29, code_id="contact", coder="junior")
        await pilot.press("escape", "t")  # leave and come back: the preview is rebuilt
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "(n=2)" in shown
        assert any("M.b.t. contact met personeel" in line and line.rstrip(" │").endswith("2") for line in screen_lines(app))

        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    exported = store.project_dir / "exports" / "tabel_6_6.docx"
    document = docx.Document(str(exported))
    assert document.paragraphs[0].text == "Tabel 6.6. Wat helpt de deelnemers T1 (n=2)"


async def test_a_broken_tables_yaml_is_shown_not_crashed(store: Store) -> None:
    (store.project_dir / "tables.yaml").write_text("tables:\n  - id: x\n    colour: red\n", encoding="utf-8")
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert app.is_running
        assert "unknown key 'colour' in table x" in "\n".join(screen_lines(app))


async def test_exporting_over_an_existing_file_asks_first_and_no_keeps_it(store: Store) -> None:
    _with_tables(store)
    exported = store.project_dir / "exports" / "tabel_6_6.docx"
    exported.parent.mkdir()
    exported.write_bytes(b"the report as the researcher left it")
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == f"{exported} already exists. Replace it?"
        await pilot.press("n")
        await pilot.pause()
        assert exported.read_bytes() == b"the report as the researcher left it"

        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert docx.Document(str(exported)).paragraphs[0].text == "Tabel 6.6. Wat helpt de deelnemers T1 (n=1)"
