"""In a shared project a coder removes or changes only their own codings; another's only as a confirmed reviewer."""

from __future__ import annotations

import pytest

from tests.conftest import INTERVIEW, screen_lines
from workbench.core.codings import NotYourCodingError, add_coding, coded_segments, remove_coding_by_id, set_coding_memo
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs.confirm import ConfirmDialog
from workbench.tui.messages import OpenDocument
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.widgets.coding_panel import CodingPanel

PASSAGE = "Het contact met het personeel."


def _theirs(store: Store) -> int:
    start = INTERVIEW.index(PASSAGE)
    return add_coding(store, document="interview_01", start=start, end=start + len(PASSAGE), code_id="contact", coder="onderzoeker1").id


def _coders(store: Store) -> list[str]:
    return [s.coding.coder for s in coded_segments(store, "interview_01")]


def test_another_coders_coding_is_refused_unless_removed_as_reviewer_and_the_log_says_so(store: Store) -> None:
    coding = _theirs(store)
    before = len(store.actions())
    with pytest.raises(NotYourCodingError, match="onderzoeker1's, not onderzoeker2's"):
        remove_coding_by_id(store, coding, "onderzoeker2")
    with pytest.raises(NotYourCodingError):
        set_coding_memo(store, coding, "mijn twijfel", "onderzoeker2")
    assert len(store.actions()) == before and _coders(store) == ["onderzoeker1"]

    remove_coding_by_id(store, coding, "onderzoeker2", as_reviewer=True)

    assert _coders(store) == []
    assert "(as reviewer) onderzoeker1's coding" in store.actions()[-1].summary


async def test_x_on_another_coders_coding_asks_before_removing_it_as_reviewer(store: Store) -> None:
    _theirs(store)
    app = WorkbenchApp(store, coder="onderzoeker2")
    async with app.run_test(size=(140, 40)) as pilot:
        app.post_message(OpenDocument("interview_01"))
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        await pilot.press("a")  # show the other coders' codings
        await pilot.pause()
        app.screen.query_one("#codings", CodingPanel).focus()
        await pilot.pause()

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert any("coded by onderzoeker1, not by you" in line for line in screen_lines(app))
        await pilot.press("n")
        await pilot.pause()
        assert _coders(store) == ["onderzoeker1"]  # declined: nothing removed

        app.screen.query_one("#codings", CodingPanel).focus()
        await pilot.press("x", "y")
        await pilot.pause()
        assert _coders(store) == []
    assert "(as reviewer) onderzoeker1's" in store.actions()[-1].summary
