"""The report writer defines tables in the Tables screen: no YAML by hand, a live preview, whose coding said."""

from __future__ import annotations

from tests.conftest import screen_lines
from workbench.core.codings import add_coding
from workbench.core.store import Store
from workbench.core.tables_file import read_tables
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs.table_form import TableFormDialog
from workbench.tui.screens.tables import TablesScreen


def _coded(store: Store) -> Store:
    add_coding(store, document="interview_01", start=0, end=10, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=12, end=20, code_id="contact", coder="senior")
    return store


def _shown(app: WorkbenchApp) -> str:
    return "\n".join(screen_lines(app))


async def test_report_writer_adds_a_table_for_one_coder_in_the_form_and_sees_it_counted(store: Store) -> None:
    _coded(store)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TablesScreen)
        assert "counts every coder's codings together" in _shown(app)  # the default table, written for the project
        before = (store.project_dir / "tables.yaml").read_text(encoding="utf-8")

        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TableFormDialog)
        await pilot.press(*"Tabel 6.6. Wat helpt (n={n})")
        await pilot.press("tab", "space")  # the first theme: Succesfactoren
        await pilot.press("tab", "tab", "enter", "down", "enter")  # whose coding: junior
        await pilot.pause(0.6)
        preview = _shown(app)
        assert "counts junior's codings" in preview and "Tabel 6.6. Wat helpt (n=1)" in preview, preview
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TablesScreen)
        shown = _shown(app)
        assert "Tabel 6.6. Wat helpt" in shown and "counts junior's codings" in shown
        assert any("M.b.t. contact met personeel" in line and line.rstrip(" │").endswith("1") for line in screen_lines(app))

    text = (store.project_dir / "tables.yaml").read_text(encoding="utf-8")
    assert text.startswith(before)  # the tables that were there stay as they were, comments and all
    [first, added] = read_tables(store.project_dir / "tables.yaml")
    assert (added.caption, added.themes, added.coder) == ("Tabel 6.6. Wat helpt (n={n})", ("succesfactoren",), "junior")  # type: ignore[union-attr]


async def test_changing_a_table_to_every_coder_counts_both_and_removing_it_asks_first(store: Store) -> None:
    _coded(store)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert "(n=1)" in _shown(app)  # one respondent, coded by both
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+a", "backspace", *"Tabel 1. Beide coders (n={n})", "ctrl+s")
        await pilot.pause()
        assert "Tabel 1. Beide coders (n=1)" in _shown(app)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")  # declined: the table stays
        await pilot.pause()
        assert len(read_tables(store.project_dir / "tables.yaml")) == 1
        await pilot.press("delete", "y")
        await pilot.pause()
        assert read_tables(store.project_dir / "tables.yaml") == []


async def test_the_form_refuses_a_table_without_themes_and_says_why(store: Store) -> None:
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("t", "n")
        await pilot.pause()
        await pilot.press(*"Tabel 9. Leeg", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TableFormDialog)
        await pilot.pause(0.5)
        assert "choose at least one theme" in _shown(app), _shown(app)
