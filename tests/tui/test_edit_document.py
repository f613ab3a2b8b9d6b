"""The coder corrects a transcript in the TUI: codings stay on their words, orphans are reported, escape asks first."""

from __future__ import annotations

from pathlib import Path

from rich.color import Color

from tests.conftest import screen_lines, styled_runs
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding, coded_segments
from workbench.core.corpus import add_document, get_document
from workbench.core.model import Code, DocumentKind
from workbench.core.store import Store
from workbench.core.text_edit import orphans
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.edit_document import EditDocumentScreen
from workbench.tui.screens.project import ProjectScreen

TEXT = "I: Wat helpt jou hier?\nR: Het contact met het personeel. Hier word je echt gezien.\n"
GREEN = "#2e7d32"


def _project(tmp_path: Path) -> Store:
    store = Store.create(tmp_path / "studie", "Studie")
    add_document(store, name="P01", text=TEXT, kind=DocumentKind.TRANSCRIPT, actor="junior")
    add_code(store, Code(id="contact", name="Contact", color=GREEN), "junior")
    add_code(store, Code(id="gezien", name="Gezien"), "junior")
    start = TEXT.index("contact met het personeel")
    add_coding(store, document="P01", start=start, end=start + len("contact met het personeel"), code_id="contact", coder="junior")
    start = TEXT.index("echt gezien")
    add_coding(store, document="P01", start=start, end=start + len("echt gezien"), code_id="gezien", coder="junior")
    return store


async def _edit_screen(app: WorkbenchApp, pilot: object) -> EditDocumentScreen:
    await pilot.press("slash", *"P01", "enter", "down", "down", "e")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, EditDocumentScreen)
    return app.screen


async def test_coder_types_before_a_coding_and_sees_it_still_highlighted_on_the_same_words(tmp_path: Path) -> None:
    store = _project(tmp_path)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 30)) as pilot:
        await _edit_screen(app, pilot)
        assert "Het contact met het personeel" in "\n".join(screen_lines(app))
        await pilot.press("down", "end", *"Echt", "space", *"waar.")  # typed after the second line's codings
        await pilot.press("home", "right", "right", "right", *"Nou,", "space")  # typed before "Het contact"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        new = get_document(store, "P01").text
        assert new == TEXT.replace("R: Het", "R: Nou, Het").replace("gezien.\n", "gezien.Echt waar.\n")
        assert [s.text for s in coded_segments(store)] == ["contact met het personeel", "echt gezien"]

        await pilot.press("enter")  # open the edited document
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        green = "".join(text for text, style in styled_runs(app) if style is not None and style.bgcolor == Color.parse(GREEN))
        # The code's colour on its words in the text (and on its name in the side panel), not on the words typed before it.
        assert "contact met het personeel" in green and "Het" not in green and "Nou" not in green
    store.close()


async def test_deleting_a_coded_sentence_warns_of_the_orphan_and_escape_asks_before_dropping_changes(tmp_path: Path) -> None:
    store = _project(tmp_path)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _edit_screen(app, pilot)
        screen.query_one("#edit-text").load_text(TEXT.replace(" Hier word je echt gezien.", ""))  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        assert "Discard your changes?" in "\n".join(screen_lines(app))
        await pilot.press("n")  # stay
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = [(n.title, n.severity, n.message) for n in app._notifications]
        line = "edited P01: 0 codings moved, 0 shrunk, 1 orphaned (listed: #1 'echt gezien' gezien (junior))"
        assert ("Edit", "information", line) in shown
        assert any(severity == "warning" and "'echt gezien' gezien (junior) in P01" in message for _, severity, message in shown)
        assert [o.text for o in orphans(store)] == ["echt gezien"]

        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"x", "escape", "y")  # changed, then leave without saving
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        assert get_document(store, "P01").text == TEXT.replace(" Hier word je echt gezien.", "")
    store.close()


async def test_the_palette_opens_the_edit_screen_for_the_highlighted_document(tmp_path: Path) -> None:
    store = _project(tmp_path)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("e")  # nothing highlighted yet but a group: says so
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        assert any("highlight a document first" in n.message for n in app._notifications)
        await pilot.press("slash", *"P01", "enter", "down", "down", "ctrl+p", *"edit text", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EditDocumentScreen) and app.screen.document == "P01"
        await pilot.press("escape")  # unchanged: leaves without asking
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
    store.close()


async def test_e_in_the_coding_screen_corrects_the_text_and_reopens_it_with_the_coding_on_its_words(tmp_path: Path) -> None:
    from workbench.tui.messages import OpenDocument

    store = Store.create(tmp_path / "p", "P")
    add_code(store, Code(id="gezien", name="Gezien worden"), "junior")
    text = "I: Hoe gaat het?\nR: Hier word je echt gezien door de staf.\n"
    add_document(store, name="P01", text=text, kind=DocumentKind.TRANSCRIPT, actor="junior")
    start = text.index("echt gezien")
    add_coding(store, document="P01", start=start, end=start + len("echt gezien"), code_id="gezien", coder="junior")
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        app.post_message(OpenDocument("P01"))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+home", *"Interview 1", "enter", "ctrl+s")
        for _ in range(30):
            await pilot.pause(0.1)
            if isinstance(app.screen, CodingScreen) and app.screen.document.text.startswith("Interview 1"):
                break
        assert isinstance(app.screen, CodingScreen) and app.screen.document.text.startswith("Interview 1\n")
        [segment] = coded_segments(store, "P01")
        assert segment.text == "echt gezien"
    store.close()
