"""Textual's command palette (ctrl+p) runs every action of the current screen by name."""

from __future__ import annotations

from tests.conftest import screen_lines
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import OpenDocument
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.search import SearchScreen


async def test_the_palette_lists_the_coding_screens_actions_and_runs_one(demo: Store) -> None:
    app = WorkbenchApp(demo, coder="onderzoeker2")
    async with app.run_test(size=(140, 40)) as pilot:
        app.post_message(OpenDocument("interview_deelnemer_01"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        first = screen.selection
        for action in ("Uncode", "Document memo", "Next uncoded", "Undo", "Redo", "Unit", "Codebook", "Search", "Quick code 3"):
            await pilot.press("ctrl+p", *action.lower())
            await pilot.pause()
            found = "\n".join(screen_lines(app)).split("\n")[1:12]  # the palette's hit list below its input
            assert any(action in line for line in found), action
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+p", *"next uncoded", "enter")
        await pilot.pause()
        assert app.screen is screen and screen.selection != first  # onderzoeker2 left the second turn uncoded

        await pilot.press("ctrl+p", *"search", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
