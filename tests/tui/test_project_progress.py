"""The project screen reads progress once to open, and again off the event loop when the coder comes back."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import screen_lines
from workbench.core import progress as progress_module
from workbench.core.codings import add_coding
from workbench.core.progress import DocumentProgress
from workbench.core.store import Store
from workbench.tui import app as app_module
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import OpenDocument
from workbench.tui.screens import project as project_screen
from workbench.tui.screens.coding import CodingScreen


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The thread of each progress read the project screen makes."""
    threads: list[str] = []

    def counted(store: Store) -> list[DocumentProgress]:
        threads.append("main" if threading.current_thread() is threading.main_thread() else "worker")
        return progress_module.project_progress(store)

    monkeypatch.setattr(project_screen, "project_progress", counted)
    return threads


async def test_opening_the_project_reads_progress_once(store: Store, reads: list[str]) -> None:
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "interview_01  junior 0/" in "\n".join(screen_lines(app))
    assert reads == ["main"]


async def test_back_from_coding_the_progress_is_read_in_the_background_and_shown(store: Store, reads: list[str]) -> None:
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.post_message(OpenDocument("interview_01"))
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
        app.pop_screen()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "interview_01  junior 1/" in "\n".join(screen_lines(app))
    assert reads == ["main", "worker"]


async def test_changing_coder_relabels_without_reading_again(store: Store, reads: list[str]) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="senior")
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, app_module.ProjectScreen)
        screen.show_coder("senior")
        await pilot.pause()
        assert "interview_01  senior 1/" in "\n".join(screen_lines(app))
    assert reads == ["main"]
