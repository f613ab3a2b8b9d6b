"""The command line's bugs of issue 10, met in the terminal UI: one error on screen, nothing changed, exports by name."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ONE_TABLE, screen_lines, table_rows
from workbench.core.codebook import codebook
from workbench.core.codebook.sync import export_yaml, sync_file
from workbench.core.codings import add_coding
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs.code_form import CodeFormDialog
from workbench.tui.dialogs.export_path import ExportPathDialog
from workbench.tui.screens.codebook import CodebookScreen
from workbench.tui.screens.tables import TablesScreen

SIZE = (130, 40)


def _errors(app: WorkbenchApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def _files(folder: Path, store: Store) -> dict[str, bytes]:
    """The files below `folder` outside the project (whose database the app itself writes to), with their bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and store.project_dir not in p.parents
    }


async def test_adding_a_code_when_the_linked_yaml_cannot_be_written_shows_one_error_and_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    books = tmp_path / "books"
    books.mkdir()
    path = books / "codebook.yaml"
    path.write_text(export_yaml(store), encoding="utf-8")
    sync_file(store, path, "senior", apply=True)
    # The share holding the codebook is gone and a file has its folder's name: unwritable, even for root.
    books.rename(tmp_path / "books-offline")
    books.write_text("the share is not mounted\n", encoding="utf-8")
    before, files_before = table_rows(store), _files(tmp_path, store)

    app = WorkbenchApp(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = CodebookScreen(store, "senior")
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, CodeFormDialog)
        await pilot.press(*"Rust en regelmaat", "enter")
        await pilot.pause()

        assert app.is_running and app.screen is screen
        assert _errors(app) == [f"{path}: {path.parent} is not a folder; nothing changed"]
        shown = "\n".join(screen_lines(app))
        assert "nothing changed" in shown  # the toast is on screen
        assert "Rust en regelmaat" not in shown
    assert table_rows(store) == before
    assert _files(tmp_path, store) == files_before
    assert "succesfactoren-rust-en-regelmaat" not in codebook(store).by_id


async def _export_from_the_tables_screen(app: WorkbenchApp, pilot: object, out: Path) -> None:
    await pilot.press("t")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, TablesScreen)
    await pilot.press("e")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, ExportPathDialog)
    app.screen.query_one("#export-path").value = str(out)  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_a_table_exported_to_a_dot_markdown_file_is_written_as_markdown(store: Store, tmp_path: Path) -> None:
    (store.project_dir / "tables.yaml").write_text(ONE_TABLE, encoding="utf-8")
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    out = tmp_path / "t.markdown"
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _export_from_the_tables_screen(app, pilot, out)
        assert _errors(app) == []
        assert any(n.message == f"wrote {out}" for n in app._notifications)
    markdown = out.read_text(encoding="utf-8")
    assert "Tabel 6.6. Wat helpt de deelnemers T1 (n=1)" in markdown and "| M.b.t. contact met personeel |" in markdown


async def test_a_table_exported_into_a_missing_folder_shows_one_error_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    (store.project_dir / "tables.yaml").write_text(ONE_TABLE, encoding="utf-8")
    out = tmp_path / "missing" / "t.docx"
    files_before = _files(tmp_path, store)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _export_from_the_tables_screen(app, pilot, out)
        assert app.is_running and isinstance(app.screen, TablesScreen)
        assert _errors(app) == [f"{out}: folder {out.parent} does not exist"]
    assert _files(tmp_path, store) == files_before
