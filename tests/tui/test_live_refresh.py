"""A coder's screen shows a teammate's new coding without being asked: LISTEN/NOTIFY on a server, a short poll on SQLite."""

from __future__ import annotations

import pytest

from tests.conftest import INTERVIEW, screen_lines
from workbench.core.codings import add_coding, remove_coding
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import OpenDocument, ProjectChanged
from workbench.tui.screens.agreement import AgreementScreen
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.tables import TablesScreen

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


async def _until(pilot: object, app: WorkbenchApp, seen: str) -> bool:
    for _ in range(100):
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        if any(seen in line for line in screen_lines(app)):
            return True
    return False


def _code_passage(teammate: Store, coder: str = "onderzoeker1") -> None:
    start = INTERVIEW.index(PASSAGE)
    add_coding(teammate, document="interview_01", start=start, end=start + len(PASSAGE), code_id="contact", coder=coder)


async def test_the_codebook_and_tables_screens_count_a_teammates_new_coding(store: Store) -> None:
    app = _QuickPollApp(store, coder="onderzoeker2")
    teammate = Store.open(store.project_dir)
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.press("b")
            assert await _until(pilot, app, "M.b.t. contact met personeel  [0]"), "\n".join(screen_lines(app))
            _code_passage(teammate)
            assert await _until(pilot, app, "M.b.t. contact met personeel  [1]"), "\n".join(screen_lines(app))
            await pilot.press("escape", "t")
            await app.workers.wait_for_complete()
            assert isinstance(app.screen, TablesScreen)
            before = "\n".join(screen_lines(app))
            start = INTERVIEW.index(PASSAGE)  # the one coding goes: the interview no longer counts for "contact"
            remove_coding(teammate, document="interview_01", start=start, end=start + len(PASSAGE), code_id="contact", coder="onderzoeker1")
            for _ in range(100):
                await pilot.pause(0.05)
                if "\n".join(screen_lines(app)) != before:
                    break
            assert "\n".join(screen_lines(app)) != before, before
    finally:
        teammate.close()


async def test_the_agreement_screen_says_a_teammates_coding_made_it_stale_and_f5_recomputes(store: Store) -> None:
    question = INTERVIEW.index("Wat helpt jou hier?")
    for coder in ("onderzoeker1", "onderzoeker2"):
        add_coding(store, document="interview_01", start=question, end=question + 19, code_id="contact", coder=coder)
    app = _QuickPollApp(store, coder="onderzoeker2")
    teammate = Store.open(store.project_dir)
    try:
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.press("a")
            await app.workers.wait_for_complete()
            assert isinstance(app.screen, AgreementScreen) and app.screen.report is not None
            assert not any("F5 recomputes" in line for line in screen_lines(app))
            _code_passage(teammate)
            assert await _until(pilot, app, "F5 recomputes"), "\n".join(screen_lines(app))
            await pilot.press("f5")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not any("F5 recomputes" in line for line in screen_lines(app))
    finally:
        teammate.close()


@pytest.mark.sqlite_only
async def test_a_teammates_change_arriving_while_screens_are_taken_down_is_let_go(store: Store) -> None:
    # Quitting takes the screens' widgets away before the screens leave the stack; a teammate's change announced in
    # between found the codebook screen without its tree (seen once in CI) and took the app down.
    app = _QuickPollApp(store, coder="onderzoeker2")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        await app.screen.remove_children()
        app.post_message(ProjectChanged(frozenset({"onderzoeker1"})))
        await pilot.pause()
