"""The TUI shell opens a project and shows a document's text with its codings highlighted and named."""

from __future__ import annotations

from rich.color import Color

from tests.conftest import screen_lines, styled_runs
from workbench.core.codings import coded_segments
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp


async def test_researcher_opens_demo_selects_a_document_and_sees_its_coded_text(demo: Store) -> None:
    app = WorkbenchApp(demo)
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "interview_deelnemer_01" in shown and "vragenlijst_medewerker_01" in shown

        # The documents are sorted by name and the first is shown at once; the interview is the second.
        assert "gespreksverslag_medewerkers_01  notes · case G01" in shown
        await pilot.press("down", "enter")
        await pilot.pause()
        lines = screen_lines(app)
        shown = "\n".join(lines)
        assert "interview_deelnemer_01  transcript · case D01" in shown
        assert "I: Hoe lang ben je nu in Huis van Herstel?" in shown

        segment = next(s for s in coded_segments(demo, "interview_deelnemer_01") if s.text == "Hier word je echt gezien.")
        assert segment.code_name in shown.replace("\n", " ") or segment.code_name[:20] in shown
        highlighted = [(text, style) for text, style in styled_runs(app) if style is not None and style.bgcolor is not None]
        colour = Color.parse("#2e7d32")  # succesfactoren's colour, inherited by the code
        assert any(
            text.strip() and text.strip() in segment.text and style.bgcolor == colour for text, style in highlighted
        ), "the coded passage is not highlighted in its code colour"


async def test_q_quits(demo: Store) -> None:
    app = WorkbenchApp(demo)
    async with app.run_test() as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_document_removed_behind_the_apps_back_is_reported_not_crashed(store: Store) -> None:
    app = WorkbenchApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "I: Wat helpt jou hier?" in "\n".join(screen_lines(app))
        store.undo("cli user")  # the CLI undoes the codebook additions, then the import, while the app is open
        store.undo("cli user")
        store.undo("cli user")
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert any("no document named 'interview_01'" in n.message for n in app._notifications)
