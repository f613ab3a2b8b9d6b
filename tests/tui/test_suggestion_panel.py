"""The junior codes with suggestions beside the text: y accepts, d rejects, and relearning never holds up a key."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import screen_lines
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding, coded_segments
from workbench.core.corpus import add_document
from workbench.core.model import CaseAttributes, Code, DocumentKind
from workbench.core.store import Store
from workbench.suggest import learned, rejected_codes, retrain
from workbench.suggest.learned import LearnedModel, forget
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import OpenDocument
from workbench.tui.screens import coding
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.widgets.suggestion_panel import SuggestionPanel

CODED = {
    "thuisfront": ["Mijn moeder komt elke week op bezoek.", "Het bezoek van mijn kinderen doet me goed.",
                   "Bezoek van familie is hier veel makkelijker geregeld."],
    "werk": ["Ik werk drie dagen per week in een fabriek.", "Werken geeft me structuur en een doel.", "Door het werk heb ik weer ritme."],
}
NEW = "vragenlijst/R07/q1"
OTHER = "vragenlijst/R08/q1"


@pytest.fixture
def junior(tmp_path: Path) -> Iterator[Store]:
    """Six answers the junior coded with two codes, a model learned from them, and two answers still to code."""
    store = Store.create(tmp_path / "vragenlijst", "Vragenlijst")
    add_code(store, Code(id="thema", name="M.b.t. dagelijks leven"), "junior")
    add_code(store, Code(id="thuisfront", name="Contact met thuisfront", parent_id="thema", keywords=("qqq",)), "junior")
    add_code(store, Code(id="werk", name="Werk en dagbesteding", parent_id="thema", keywords=("qqq",)), "junior")
    number = 0
    for code_id, answers in CODED.items():
        for answer in answers:
            number += 1
            name = f"vragenlijst/R{number:02d}/q1"
            add_document(store, name=name, text=answer, kind=DocumentKind.QUESTIONNAIRE_ANSWER, actor="junior",
                         case_id=f"R{number:02d}", case_attributes=CaseAttributes())
            add_coding(store, document=name, start=0, end=len(answer), code_id=code_id, coder="junior")
    for name, text in ((NEW, "Gisteren kwam mijn zus op bezoek."), (OTHER, "Het eten is hier lekker.")):
        add_document(store, name=name, text=text, kind=DocumentKind.QUESTIONNAIRE_ANSWER, actor="junior")
    retrain(store, "junior")
    yield store
    forget(store)
    store.close()


async def _open(app: WorkbenchApp, pilot: object, document: str) -> CodingScreen:
    app.post_message(OpenDocument(document))
    return await _suggestions_shown(app, pilot)


async def _suggestions_shown(app: WorkbenchApp, pilot: object) -> CodingScreen:
    """Wait (up to 30 s: the first time loads spaCy's lemmas) until the panel lists the selection's suggestions."""
    for _ in range(300):
        await pilot.pause(0.1)  # type: ignore[attr-defined]
        screen = app.screen
        if isinstance(screen, CodingScreen) and screen._shown_suggestions():
            return screen
    raise AssertionError("no suggestions appeared:\n" + "\n".join(screen_lines(app)))


def _panel_text(app: WorkbenchApp) -> str:
    panel = app.screen.query_one("#suggestions", SuggestionPanel)
    lines = screen_lines(app)[panel.region.y:panel.region.bottom]
    return "\n".join(line[panel.region.x:panel.region.right] for line in lines)


async def test_junior_accepts_the_first_suggestion_with_y_and_it_is_an_ordinary_coding(junior: Store) -> None:
    app = WorkbenchApp(junior, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(app, pilot, NEW)
        shown = _panel_text(app)
        assert "Contact met thuisfront" in shown and "learned: bezoek" in shown, shown
        await pilot.press("y")
        await pilot.pause()
        [segment] = coded_segments(junior, NEW)
        assert (segment.coding.code_id, segment.coding.coder) == ("thuisfront", "junior")
        assert "coded: Contact met thuisfront" in "\n".join(screen_lines(app))
        await _suggestions_shown(app, pilot)
        assert "Contact met thuisfront" not in _panel_text(app)  # a code the passage has is not suggested again
        await pilot.press("u")
        await pilot.pause()
        assert coded_segments(junior, NEW) == []


async def test_a_rejected_suggestion_leaves_the_panel_and_is_not_offered_again_for_that_answer(junior: Store) -> None:
    app = WorkbenchApp(junior, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open(app, pilot, NEW)
        first = screen._shown_suggestions()[0]
        await pilot.press("d")
        await _suggestions_shown(app, pilot)
        assert first.code_id in rejected_codes(junior, NEW, 0, len("Gisteren kwam mijn zus op bezoek."))
        assert first.code_id not in [s.code_id for s in screen._shown_suggestions()]
        assert first.name not in _panel_text(app)
        assert coded_segments(junior, NEW) == []  # rejecting codes nothing


async def test_accepting_the_second_suggestion_takes_alt_2(junior: Store) -> None:
    app = WorkbenchApp(junior, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open(app, pilot, NEW)
        shown = screen._shown_suggestions()
        assert len(shown) >= 2
        await pilot.press("alt+2")
        await pilot.pause()
        assert [s.coding.code_id for s in coded_segments(junior, NEW)] == [shown[1].code_id]


async def test_relearning_in_the_background_never_makes_a_keypress_wait(junior: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    release, started, finished = threading.Event(), threading.Event(), threading.Event()
    real_train = learned.train

    def slow_train(*args: object, **kwargs: object) -> LearnedModel:
        started.set()
        release.wait(30)
        finished.set()
        return real_train(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(learned, "train", slow_train)
    monkeypatch.setattr(coding, "RETRAIN_DELAY", 0.05)
    app = WorkbenchApp(junior, coder="junior")
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            await _open(app, pilot, OTHER)
            await pilot.press("1")  # a quick key codes the answer: the codings changed, so the model relearns
            for _ in range(100):
                if started.is_set():
                    break
                await pilot.pause(0.1)
            assert started.is_set(), "the coding did not start a relearning"
            began = time.perf_counter()
            await pilot.press("u")  # undo while the training is still held
            await pilot.pause()
            took = time.perf_counter() - began
            assert not finished.is_set(), "the training ran on the screen's thread"
            assert coded_segments(junior, OTHER) == []
            assert "coded:" not in "\n".join(screen_lines(app))
            assert took < 2.0, f"the key waited {took:.1f} s for the training"
            release.set()
    finally:
        release.set()


async def test_the_codebook_screen_shows_how_often_each_codes_suggestions_were_accepted(junior: Store) -> None:
    app = WorkbenchApp(junior, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open(app, pilot, NEW)
        assert screen._shown_suggestions()[0].code_id == "thuisfront"
        await pilot.press("y")  # accepted on one answer…
        await pilot.pause()
        await _open(app, pilot, OTHER)
        rejected = app.screen._shown_suggestions()[0]  # type: ignore[attr-defined]
        await pilot.press("d")  # …and the first suggestion rejected on another
        await pilot.pause()
        await pilot.press("b", "down")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "Contact met thuisfront" in shown
        expected = "1 of 2 accepted (50%)" if rejected.code_id == "thuisfront" else "1 of 1 accepted (100%)"
        assert expected in shown, shown
        await pilot.press("down")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        expected = "0 of 1 accepted (0%)" if rejected.code_id == "werk" else "none accepted or rejected yet"
        assert expected in shown, shown


async def test_more_like_this_lists_uncoded_answers_like_a_coded_one_and_opens_the_chosen_one(junior: Store) -> None:
    app = WorkbenchApp(junior, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(app, pilot, "vragenlijst/R01/q1")  # "Mijn moeder komt elke week op bezoek.", coded thuisfront
        await pilot.press("l")
        for _ in range(100):
            await pilot.pause(0.1)
            if "Uncoded passages like" in "\n".join(screen_lines(app)):
                break
        shown = "\n".join(screen_lines(app))
        assert "vragenlijst/R07/q1" in shown and "Gisteren kwam mijn zus op bezoek." in shown and "shared: " in shown, shown
        assert "vragenlijst/R02/q1" not in shown  # coded already: not listed
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CodingScreen) and app.screen.document.name == NEW
        assert app.screen.selection == (0, len("Gisteren kwam mijn zus op bezoek."))
