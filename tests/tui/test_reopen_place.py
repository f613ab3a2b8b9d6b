"""workbench reopens where each coder stopped: the document and unit being coded, the project screen's filter."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import screen_lines
from workbench.core.corpus import add_document
from workbench.core.model import DocumentKind
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens import coding
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.project import ProjectScreen

TEXT = "I: Hoe gaat het?\nR: Goed.\nI: En het werk?\nR: Saai, maar het moet.\n"


def _project(tmp_path: Path) -> Store:
    store = Store.create(tmp_path / "p", "P")
    for name in ("P01", "P02", "Q01"):
        add_document(store, name=name, text=TEXT.replace("Goed", f"Goed {name}"), kind=DocumentKind.TRANSCRIPT, actor="junior")
    return store


async def _settle(pilot: object) -> None:
    """Let workers, timers and the reopening message run (a busy machine needs more than a frame)."""
    for _ in range(10):
        await pilot.pause(0.1)  # type: ignore[attr-defined]


async def test_the_app_reopens_at_the_coders_document_unit_and_filter(tmp_path: Path, monkeypatch: object) -> None:
    monkeypatch.setattr(coding, "PLACE_DELAY", 0.05)  # type: ignore[attr-defined]
    store = _project(tmp_path)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("slash", *"P0", "enter", "down", "down", "down", "enter")  # the filtered list's second document
        await _settle(pilot)
        assert isinstance(app.screen, CodingScreen) and app.screen.document.name == "P02"
        await pilot.press("down", "down")  # the third line
        await _settle(pilot)
        third = app.screen.selection
    again = WorkbenchApp(store, coder="junior")
    async with again.run_test(size=(140, 40)) as pilot:
        await _settle(pilot)
        assert isinstance(again.screen, CodingScreen) and again.screen.document.name == "P02"
        assert again.screen.selection == third
        assert "paragraph 3/4" in "\n".join(screen_lines(again)), [line for line in screen_lines(again) if "·" in line]
        assert again.screen.document_list == ("P01", "P02")  # ] and [ step through the filtered list again
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(again.screen, ProjectScreen)
        assert again.screen.query_one("#filter").value == "P0"  # type: ignore[attr-defined]
    other = WorkbenchApp(store, coder="senior")  # another coder has a place of their own: none yet
    async with other.run_test(size=(140, 40)) as pilot:
        await _settle(pilot)
        assert isinstance(other.screen, ProjectScreen)
    back = WorkbenchApp(store, coder="junior")  # left from the list last time: the list it is, filter kept
    async with back.run_test(size=(140, 40)) as pilot:
        await _settle(pilot)
        assert isinstance(back.screen, ProjectScreen) and back.screen.query_one("#filter").value == "P0"  # type: ignore[attr-defined]
