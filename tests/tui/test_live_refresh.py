"""A coder's screen shows a teammate's new coding without being asked: LISTEN/NOTIFY on a server, a short poll on SQLite."""

from __future__ import annotations

import pytest

from tests.conftest import INTERVIEW, screen_lines
from workbench.core.codings import add_coding
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import OpenDocument
from workbench.tui.screens.coding import CodingScreen

pytestmark = pytest.mark.backends

PASSAGE = "Het contact met het personeel."


class _QuickPollApp(WorkbenchApp):
    watch_interval = 0.1


async def test_a_teammates_coding_appears_on_the_open_coding_screen(store: Store) -> None:
    question = INTERVIEW.index("Wat helpt jou hier?")
    add_coding(store, document="interview_01", start=question, end=question + 19, code_id="contact", coder="onderzoeker1")
    app = _QuickPollApp(store, coder="onderzoeker2")
    teammate = Store.open(store.project_dir)
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            app.post_message(OpenDocument("interview_01"))
            await pilot.pause()
            assert isinstance(app.screen, CodingScreen)
            await pilot.press("a")  # every coder's codings, not only mine
            await pilot.pause()
            assert any("Codings in view (1 of 1)" in line for line in screen_lines(app))
            start = INTERVIEW.index(PASSAGE)
            add_coding(teammate, document="interview_01", start=start, end=start + len(PASSAGE), code_id="contact", coder="onderzoeker1")
            for _ in range(100):
                await pilot.pause(0.05)
                if any("Codings in view (2 of 2)" in line for line in screen_lines(app)):
                    break
            assert any("Codings in view (2 of 2)" in line for line in screen_lines(app)), "\n".join(screen_lines(app))
            assert isinstance(app.screen, CodingScreen) and app.screen.document.name == "interview_01"
    finally:
        teammate.close()
