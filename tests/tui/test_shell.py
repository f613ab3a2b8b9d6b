"""The TUI opens a project and shows a document's text with its codings highlighted and named."""

from __future__ import annotations

from rich.color import Color

from tests.conftest import screen_lines, styled_runs
from workbench.core.codings import coded_segments
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import OpenDocument
from workbench.tui.screens.coding import CodingScreen


async def test_researcher_opens_demo_selects_a_document_and_sees_its_coded_text(demo: Store) -> None:
    app = WorkbenchApp(demo, coder="onderzoeker1")
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "interview_deelnemer_01" in shown and "vragenlijst_medewerker_01" in shown
        assert "onderzoeker1 " in shown  # each document shows this coder's progress

        await pilot.press("slash", *"interview", "enter")  # filter, then back to the tree
        await pilot.press("down", "down", "enter")  # kind, group, document
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        shown = "\n".join(screen_lines(app))
        assert "interview_deelnemer_01  transcript · case D01" in shown
        assert "I: Hoe lang ben je nu in Huis van Herstel?" in shown

        segment = next(s for s in coded_segments(demo, "interview_deelnemer_01") if s.text == "Hier word je echt gezien.")
        assert segment.code_name[:20] in shown
        highlighted = [(text, style) for text, style in styled_runs(app) if style is not None and style.bgcolor is not None]
        colour = Color.parse("#2e7d32")  # succesfactoren's colour, inherited by the code
        assert any(
            text.strip() and text.strip() in segment.text and style.bgcolor == colour for text, style in highlighted
        ), "the coded passage is not highlighted in its code colour"


async def test_q_quits(demo: Store) -> None:
    app = WorkbenchApp(demo, coder="onderzoeker1")
    async with app.run_test() as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_document_removed_behind_the_apps_back_is_reported_not_crashed(store: Store) -> None:
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "interview_01" in "\n".join(screen_lines(app))
        for _ in range(3):  # the CLI undoes the two codebook additions and the import while the app is open
            store.undo("cli user")
        app.post_message(OpenDocument("interview_01"))
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, CodingScreen)
        assert any("no document named 'interview_01'" in n.message for n in app._notifications)


async def test_a_new_coder_is_asked_for_a_name_and_it_is_remembered(store: Store) -> None:
    app = WorkbenchApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "Who is coding?" in "\n".join(screen_lines(app))
        await pilot.press("ctrl+a", *"anna", "enter")
        await pilot.pause()
        assert app.coder == "anna"
    assert WorkbenchApp(store).coder == "anna"
