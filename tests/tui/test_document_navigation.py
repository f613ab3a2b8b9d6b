"""A junior codes 5 questionnaire answers, each its own document, without going back to the project screen each time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import screen_lines
from workbench.core.batch import NewDocument, add_documents
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding
from workbench.core.model import Code, DocumentKind
from workbench.core.navigation import next_uncoded_place
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import OpenDocument
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.project import GROUPINGS, ProjectScreen

ANSWERS = {
    "M01": "Het team is stabiel.",
    "M02": "Goed contact. Veel steun.",
    "M03": "Geen idee.",
    "M04": "Collega's helpen elkaar.",
    "M05": "Meer structuur.",
}


def _name(respondent: str) -> str:
    return f"vragenlijst/{respondent}/q1"


@pytest.fixture
def answers(tmp_path: Path) -> Iterator[Store]:
    """Five answers; the junior already coded M01 and M03."""
    store = Store.create(tmp_path / "answers", "Answers")
    add_documents(
        store,
        [NewDocument(name=_name(r), text=text, kind=DocumentKind.QUESTIONNAIRE_ANSWER, case_id=r) for r, text in ANSWERS.items()],
        actor="junior", summary="imported",
    )
    add_code(store, Code(id="team", name="M.b.t. team"), "junior")
    for respondent in ("M01", "M03"):
        add_coding(store, document=_name(respondent), start=0, end=len(ANSWERS[respondent]), code_id="team", coder="junior")
    yield store
    store.close()


def _open(app: WorkbenchApp) -> CodingScreen:
    assert isinstance(app.screen, CodingScreen)
    return app.screen


async def test_brackets_step_through_the_filtered_list_and_next_uncoded_goes_on_to_the_next_document(answers: Store) -> None:
    app = WorkbenchApp(answers, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("slash", *"vragenlijst", "enter", "down", "down", "enter")  # the first answer of the list
        await pilot.pause()
        assert _open(app).document.name == _name("M01")

        await pilot.press("n")  # M01 is coded: on to the next answer with work left, its unit selected
        await pilot.pause()
        screen = _open(app)
        assert (screen.document.name, screen.selection) == (_name("M02"), (0, len(ANSWERS["M02"])))
        assert _name("M02") in screen_lines(app)[0] or any(_name("M02") in line for line in screen_lines(app)[:3])

        await pilot.press("n")  # M02 has one unit; M03 is coded, so M04
        await pilot.pause()
        assert _open(app).document.name == _name("M04")

        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert _open(app).document.name == _name("M05")
        await pilot.press("right_square_bracket")  # the end of the list: stay, and say so
        await pilot.pause()
        assert _open(app).document.name == _name("M05")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert _open(app).document.name == _name("M03")
        for _ in range(50):  # on a busy machine the footer may take a few frames to come back
            if screen_lines(app)[-1].strip():
                break
            await pilot.pause(0.05)
        assert "] Next doc" in screen_lines(app)[-1]


def test_next_uncoded_wraps_to_the_start_of_the_list_once_and_then_says_everything_is_coded(answers: Store) -> None:
    names = [_name(r) for r in ANSWERS]
    place = next_uncoded_place(answers, "junior", names, _name("M05"), [], after=0)
    assert place is not None and (place.document, place.start) == (_name("M02"), 0)
    for respondent in ("M02", "M04", "M05"):
        add_coding(answers, document=_name(respondent), start=0, end=len(ANSWERS[respondent]), code_id="team", coder="junior")
    assert next_uncoded_place(answers, "junior", names, _name("M05"), [], after=0) is None
    # Another coder's codings leave the junior's work where it was.
    assert next_uncoded_place(answers, "senior", names, _name("M01"), [], after=0) is not None


async def test_g_skips_unit_kinds_that_cut_an_answer_the_same_way_and_keeps_the_place(answers: Store) -> None:
    app = WorkbenchApp(answers, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        app.post_message(OpenDocument(_name("M02")))
        await pilot.pause()
        assert "answer 1/1" in "\n".join(screen_lines(app))

        await pilot.press("g")  # a paragraph is the whole answer too: straight on to sentences
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = _open(app)
        assert screen.granularity.value == "sentence" and screen.selection == (0, len("Goed contact."))
        assert "sentence 1/2" in "\n".join(screen_lines(app))  # the status line says so at once

        await pilot.press("down", "g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.granularity.value == "answer" and "answer 1/1" in "\n".join(screen_lines(app))


async def test_grouped_by_question_the_brackets_walk_every_answer_to_one_question_then_the_next(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "two_questions", "Two questions")
    add_documents(
        store,
        [NewDocument(name=f"vragenlijst/{r}/{q}", text=f"Antwoord van {r} op {q}.", kind=DocumentKind.QUESTIONNAIRE_ANSWER, case_id=r)
         for r in ("M01", "M02", "M03") for q in ("q1", "q11")],
        actor="junior", summary="imported",
    )
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ProjectScreen)
        while GROUPINGS[screen.grouping][0] != "question":
            await pilot.press("g")
        await pilot.pause()
        assert screen.order == tuple(f"vragenlijst/{r}/{q}" for q in ("q1", "q11") for r in ("M01", "M02", "M03"))
        app.post_message(OpenDocument(screen.order[0], siblings=screen.order))
        await pilot.pause()
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert _open(app).document.name == "vragenlijst/M01/q11"  # after the third respondent's q1, the first one's q11
    store.close()
