"""Blind coding: with a second coder in the project, each coder sees only their own codings until they press one key."""

from __future__ import annotations

from tests.conftest import INTERVIEW, screen_lines
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding
from workbench.core.model import Code
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import OpenDocument
from workbench.tui.screens.coding import CodingScreen

FIRST = "Het contact met het personeel."
SECOND = "Hier word je echt gezien."


def _code(store: Store, passage: str, code_id: str, coder: str) -> None:
    start = INTERVIEW.index(passage)
    add_coding(store, document="interview_01", start=start, end=start + len(passage), code_id=code_id, coder=coder)


def _footer(app: WorkbenchApp) -> str:
    return screen_lines(app)[-1]


async def _open(app: WorkbenchApp, pilot: object) -> CodingScreen:
    app.post_message(OpenDocument("interview_01"))
    for _ in range(50):  # on a busy machine the footer may take a few frames to appear
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        if isinstance(app.screen, CodingScreen) and _footer(app).strip():
            break
    assert isinstance(app.screen, CodingScreen)
    return app.screen


async def test_the_second_coder_sees_the_first_coders_codings_only_after_pressing_a(store: Store) -> None:
    add_code(store, Code(id="gezien", name="Echt gezien worden", parent_id="succesfactoren"), "senior")
    _code(store, FIRST, "contact", "onderzoeker1")
    _code(store, SECOND, "gezien", "onderzoeker2")
    app = WorkbenchApp(store, coder="onderzoeker2")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        shown = "\n".join(screen_lines(app))
        assert "Echt gezien worden" in shown and "onderzoeker2 ·" in shown
        assert "M.b.t. contact met personeel" not in shown and "onderzoeker1" not in shown
        assert "other coders hidden (a shows them)" in screen_lines(app)[0]
        assert "a Other coders" in _footer(app)
        assert [s.coding.coder for s in screen.shown] == ["onderzoeker2"]

        await pilot.press("a")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "M.b.t. contact met personeel" in shown and "onderzoeker1 ·" in shown
        assert sorted(s.coding.coder for s in screen.shown) == ["onderzoeker1", "onderzoeker2"]

        await pilot.press("a")
        await pilot.pause()
        assert "onderzoeker1" not in "\n".join(screen_lines(app))

        await pilot.press("ctrl+p", *"other coders")
        await pilot.pause()
        assert any("Other coders" in line for line in screen_lines(app)[1:12])  # the palette's hit list
        await pilot.press("enter")
        await pilot.pause()
        assert "onderzoeker1 ·" in "\n".join(screen_lines(app))


async def test_a_coder_alone_in_the_project_is_not_offered_other_coders(store: Store) -> None:
    _code(store, FIRST, "contact", "onderzoeker1")
    app = WorkbenchApp(store, coder="onderzoeker1")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(app, pilot)
        assert "Other coders" not in _footer(app)
        assert "hidden" not in screen_lines(app)[0]
        assert "M.b.t. contact met personeel" in "\n".join(screen_lines(app))
