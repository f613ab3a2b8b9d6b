"""The project screen shows the documents at once and reads progress off the event loop: once to open, and again
(only what changed) when the coder comes back; a large project opens with its groups collapsed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Tree

from tests.conftest import screen_lines
from workbench.core import progress as progress_module
from workbench.core.batch import NewDocument, add_documents
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding
from workbench.core.model import CaseAttributes, Code, DocumentKind
from workbench.core.progress import ProgressReading
from workbench.core.store import Store
from workbench.tui import app as app_module
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import OpenDocument
from workbench.tui.screens import project as project_screen
from workbench.tui.screens.coding import CodingScreen

WAVES = ("T0", "T1", "T2", "T3")
RESPONDENTS = 750
QUESTIONS = 4  # 3,000 answers: far more than the screen opens every group for
ANSWERS = RESPONDENTS * QUESTIONS
IN_T0 = sum(1 for r in range(RESPONDENTS) if WAVES[r % len(WAVES)] == "T0") * QUESTIONS


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The thread of each progress read the project screen makes ("main" or "worker")."""
    threads: list[str] = []

    def counted(store: Store, previous: ProgressReading | None = None) -> ProgressReading:
        threads.append("main" if threading.current_thread() is threading.main_thread() else "worker")
        return progress_module.read_progress(store, previous)

    monkeypatch.setattr(project_screen, "read_progress", counted)
    return threads


async def _progress_shown(pilot: Pilot[None]) -> None:
    """Wait until the screen's first progress reading has arrived (it starts once the tree is on screen)."""
    for _ in range(200):
        screen = pilot.app.screen
        if isinstance(screen, project_screen.ProjectScreen) and screen.reading is not None:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("progress was never shown")


async def test_opening_the_project_shows_names_at_once_and_reads_progress_once_off_the_event_loop(
    store: Store, reads: list[str]
) -> None:
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "interview_01" in "\n".join(screen_lines(app))
        await _progress_shown(pilot)
        assert "interview_01  junior 0/" in "\n".join(screen_lines(app))
    assert reads == ["worker"]


async def test_back_from_coding_the_progress_is_read_in_the_background_and_shown(store: Store, reads: list[str]) -> None:
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 40)) as pilot:
        await _progress_shown(pilot)
        app.post_message(OpenDocument("interview_01"))
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
        app.pop_screen()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "interview_01  junior 1/" in "\n".join(screen_lines(app))
    assert reads == ["worker", "worker"]


async def test_changing_coder_relabels_without_reading_again(store: Store, reads: list[str]) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="senior")
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(120, 40)) as pilot:
        await _progress_shown(pilot)
        screen = app.screen
        assert isinstance(screen, app_module.ProjectScreen)
        screen.show_coder("senior")
        await pilot.pause()
        assert "interview_01  senior 1/" in "\n".join(screen_lines(app))
    assert reads == ["worker"]


# -- a large project -----------------------------------------------------------------------------------------


def _answer(respondent: int, question: int) -> str:
    return f"vragenlijst/R{respondent:04d}/q{question}"


@pytest.fixture
def survey(tmp_path: Path) -> Iterator[Store]:
    """Questionnaire answers of many respondents in four waves; the junior coded all of the first respondent's."""
    store = Store.create(tmp_path / "survey", "Survey")
    add_documents(
        store,
        [
            NewDocument(
                name=_answer(r, q), text=f"Antwoord {q} van respondent {r}.", kind=DocumentKind.QUESTIONNAIRE_ANSWER,
                case_id=f"R{r:04d}", case_attributes=CaseAttributes(respondent_group="deelnemer", wave=WAVES[r % len(WAVES)]),
            )
            for r in range(RESPONDENTS) for q in range(1, QUESTIONS + 1)
        ],
        actor="junior", summary="imported",
    )
    add_code(store, Code(id="team", name="M.b.t. team"), "junior")
    for q in range(1, QUESTIONS + 1):
        add_coding(store, document=_answer(0, q), start=0, end=8, code_id="team", coder="junior")
    yield store
    store.close()


async def test_a_large_project_opens_with_its_groups_collapsed_and_a_group_shows_its_answers_when_expanded(
    survey: Store,
) -> None:
    app = WorkbenchApp(survey, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one("#documents", Tree)
        shown = "\n".join(screen_lines(app))
        assert f"questionnaire answer ({ANSWERS})" in shown
        assert f"deelnemer · T0  {IN_T0} documents" in shown  # each wave a collapsed group with its count
        assert _answer(0, 1) not in shown
        # Only the kind and its groups have nodes: the answers wait until their group opens.
        assert len(tree._tree_nodes) < 10

        await _progress_shown(pilot)
        shown = "\n".join(screen_lines(app))
        assert f"deelnemer · T0  {IN_T0} documents · junior {QUESTIONS}/{IN_T0} units" in shown
        assert f"{ANSWERS} of {ANSWERS} documents · junior has coded {QUESTIONS} of {ANSWERS} units" in shown

        await pilot.press("down", "enter")  # open the first wave's group
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert f"{_answer(0, 1)}  junior 1/1" in shown
        assert f"{_answer(4, 1)}  junior 0/1" in shown
        assert _answer(1, 1) not in shown  # respondent 1 is in wave T1, still closed

        await pilot.press("down", "enter")  # the first answer opens in the coding screen, its wave's list to step through
        await pilot.pause()
        coding = app.screen
        assert isinstance(coding, CodingScreen)
        assert coding.document_list[:2] == (_answer(0, 1), _answer(0, 2))
        assert len(coding.document_list) == ANSWERS


async def test_returning_from_coding_on_a_large_project_reads_off_the_event_loop_and_keeps_the_cursor(survey: Store) -> None:
    app = WorkbenchApp(survey, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        await _progress_shown(pilot)
        await pilot.press("down", "enter", "down", "down")  # the first wave open, its second answer highlighted
        screen = app.screen
        tree = screen.query_one("#documents", Tree)
        assert tree.cursor_node is not None and tree.cursor_node.data == _answer(0, 2)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        add_coding(survey, document=_answer(4, 1), start=0, end=8, code_id="team", coder="junior")

        release = threading.Event()
        real = progress_module.read_progress

        def slow(store: Store, previous: ProgressReading | None = None) -> ProgressReading:
            release.wait(10)  # a reading that has not finished yet
            return real(store, previous)

        project_screen.read_progress = slow  # type: ignore[assignment]
        try:
            app.pop_screen()
            await pilot.pause()
            # Back at once, while progress is still being read: the list is shown and answers keys.
            assert app.screen is screen
            assert f"{_answer(4, 1)}  junior 0/1" in "\n".join(screen_lines(app))
            await pilot.press("down")
            assert tree.cursor_node is not None and tree.cursor_node.data == _answer(0, 3)
        finally:
            release.set()
            project_screen.read_progress = real
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"{_answer(4, 1)}  junior 1/1" in "\n".join(screen_lines(app))
        assert f"deelnemer · T0  {IN_T0} documents · junior {QUESTIONS + 1}/{IN_T0} units" in "\n".join(screen_lines(app))
        assert tree.cursor_node is not None and tree.cursor_node.data == _answer(0, 3)  # the cursor stayed


class _QuickPollApp(WorkbenchApp):
    watch_interval = 0.1


async def test_a_teammates_new_document_and_coding_appear_with_the_cursor_kept(store: Store) -> None:
    from workbench.core.corpus import add_document

    app = _QuickPollApp(store, coder="junior")
    teammate = Store.open(store.project_dir)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await _progress_shown(pilot)
            await pilot.press("down", "down")
            tree = app.screen.query_one("#documents", Tree)
            assert tree.cursor_node is not None and tree.cursor_node.data == "interview_01"
            add_document(teammate, name="interview_00", text="Eerste regel.\nTweede regel.\n", kind=DocumentKind.TRANSCRIPT,
                         actor="senior")
            add_coding(teammate, document="interview_00", start=0, end=5, code_id="contact", coder="senior")
            for _ in range(100):
                await pilot.pause(0.05)
                if "interview_00  junior 0/2  · senior 1/2" in "\n".join(screen_lines(app)):
                    break
            assert "interview_00  junior 0/2  · senior 1/2" in "\n".join(screen_lines(app))
            assert tree.cursor_node is not None and tree.cursor_node.data == "interview_01"  # not moved onto the new line
    finally:
        teammate.close()
