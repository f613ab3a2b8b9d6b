"""Importing from the TUI: a folder of transcripts comes in with a progress bar, a summary and one line per error."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import ProgressBar

from tests.conftest import screen_lines
from workbench.core.corpus import document_summaries
from workbench.core.store import Store
from workbench.importers.plan import PathProblem, plan_import
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs.import_files import ImportDialog, split_paths


def _write_interviews(folder: Path) -> Path:
    """Four transcripts and one empty file, plus a file that is not a document at all."""
    folder.mkdir()
    for number in range(2, 6):
        (folder / f"interview_{number:02}.txt").write_text(f"I: Hoe gaat het?\nR: Goed, dank je. ({number})\n", encoding="utf-8")
    (folder / "interview_06.txt").write_text("", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    return folder


async def test_junior_imports_a_folder_and_sees_progress_summary_and_the_new_documents(store: Store, tmp_path: Path) -> None:
    folder = _write_interviews(tmp_path / "interviews")
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        await pilot.press(*str(folder), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

        bar = app.screen.query_one(ProgressBar)
        assert bar.total == 5 and bar.progress == bar.total
        shown = "\n".join(screen_lines(app))
        assert "4 imported, 1 skipped, 1 failed" in shown
        assert "interview_06.txt: empty file, nothing to import" in shown
        assert "skipped 1 unsupported file" in shown and "photo.jpg" not in shown  # not a document, so counted, not tried
        names = {s.name for s in document_summaries(store)}
        assert names == {"interview_01", "interview_02", "interview_03", "interview_04", "interview_05"}

        await pilot.press("enter")  # the focused Close button
        await pilot.pause()
        assert not isinstance(app.screen, ImportDialog)
        shown = "\n".join(screen_lines(app))
        for name in ("interview_02", "interview_05"):
            assert name in shown
        assert "interview_02  junior 0/2" in shown  # each new document, with this coder's progress
        assert any("4 imported, 1 skipped, 1 failed" in n.message for n in app._notifications)


async def test_escape_cancels_without_importing(store: Store, tmp_path: Path) -> None:
    folder = _write_interviews(tmp_path / "interviews")
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(folder), "escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportDialog)
        assert app.is_running
    assert [s.name for s in document_summaries(store)] == ["interview_01"]


async def test_spreadsheets_missing_paths_and_kind_are_reported_not_crashed(store: Store, tmp_path: Path) -> None:
    sheet = tmp_path / "vragenlijst.csv"
    sheet.write_text("id,antwoord\n1,ja\n", encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("Observatie: rustige groep.\n", encoding="utf-8")
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#import-paths").value = f"{sheet} {tmp_path / 'missing.docx'} {notes}"  # type: ignore[attr-defined]
        await pilot.click("#import-kind")
        await pilot.press("down", "down", "down", "enter")  # transcript, questionnaire answer, focus group, notes
        dialog.query_one("#import-case").value = "G01"  # type: ignore[attr-defined]
        await pilot.click("#import-start")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "1 imported, 1 skipped, 1 failed" in shown
        assert "use `workbench import … --id-column` for spreadsheets" in shown
        assert "missing.docx: no such file or folder" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
    summary = next(s for s in document_summaries(store) if s.name == "notes")
    assert summary.kind.value == "notes" and summary.case_id == "G01"


def test_paths_split_on_spaces_with_quotes_and_home_expanded() -> None:
    assert split_paths('~/a.txt "with space.docx" b.rtf') == [Path.home() / "a.txt", Path("with space.docx"), Path("b.rtf")]


def test_a_folder_is_searched_to_any_depth_leaving_hidden_and_unsupported_files_out(tmp_path: Path) -> None:
    folder = _write_interviews(tmp_path / "interviews")
    (folder / "wave_2" / "late").mkdir(parents=True)
    (folder / "wave_2" / "late" / "interview_07.docx").write_bytes(b"")
    (folder / "wave_2" / "vragenlijst.xlsx").write_bytes(b"")
    (folder / "wave_2" / "notes.pages").write_bytes(b"")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD.txt").write_text("ref", encoding="utf-8")
    (folder / ".~lock.interview_02.txt#").write_text("lock", encoding="utf-8")
    lone = tmp_path / "lone.jpg"
    lone.write_bytes(b"\xff")

    plan = plan_import([folder, folder / "interview_02.txt", lone, tmp_path / "missing.txt"])

    assert [p.relative_to(folder).as_posix() for p in plan.documents[:-1]] == [
        *(f"interview_{n:02}.txt" for n in range(2, 7)), "wave_2/late/interview_07.docx",
    ]
    assert plan.documents[-1] == lone  # named on purpose: tried, so its error lists the formats there are
    assert plan.questionnaires == (folder / "wave_2" / "vragenlijst.xlsx",)
    assert {p.name for p in plan.unsupported} == {"photo.jpg", "notes.pages"} and plan.skipped_note == "skipped 2 unsupported files"
    assert plan.errors == (PathProblem(tmp_path / "missing.txt", "no such file or folder"),)


async def test_an_unexpected_error_in_the_importer_is_shown_not_crashed(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_import(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("reader bug")

    monkeypatch.setattr("workbench.tui.dialogs.import_files.import_files", broken_import)
    folder = _write_interviews(tmp_path / "interviews")
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(folder), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "0 imported, 1 skipped, 1 failed" in shown
        assert "import stopped: RuntimeError: reader bug" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ImportDialog)


async def test_junior_imports_a_refi_qda_project_with_its_codings_from_the_dialog(demo: Store, store: Store, tmp_path: Path) -> None:
    from workbench.core.codings import coded_segments
    from workbench.exchange.qdpx_export import export_project

    export_project(demo, tmp_path / "demo.qdpx")
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(tmp_path / "demo.qdpx"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "1 imported, 0 skipped, 0 failed" in shown
        assert "5 documents" in shown
    assert len(coded_segments(store)) == len(coded_segments(demo)) > 0
