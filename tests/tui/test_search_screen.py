"""The search screen: a researcher finds text, a code's segments and co-coded units, and opens one with enter."""

from __future__ import annotations

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.conftest import screen_lines, styled_runs
from workbench.core.codebook import codebook
from workbench.core.codebook.find import CodeFinder
from workbench.core.corpus import get_document
from workbench.core.search import co_occurrence, search_text
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import OpenDocument
from workbench.tui.screens import search as search_screen
from workbench.tui.screens.search import SearchScreen

CODER = "onderzoeker1"
INTERVIEW = "interview_deelnemer_01"


class RecordingApp(WorkbenchApp):
    """The workbench, noting every document it is asked to open instead of opening it."""

    # A subclass elsewhere would look for the stylesheet beside itself: point at the app's own.

    def __init__(self, store: Store) -> None:
        super().__init__(store, coder=CODER)
        self.opened: list[OpenDocument] = []

    def post_message(self, message: Message) -> bool:
        if isinstance(message, OpenDocument):
            self.opened.append(message)
            return True
        return super().post_message(message)


async def _settle(app: WorkbenchApp, pilot: Pilot[None]) -> None:
    # A choice starts a worker whose message fills a list; that can chain once more (code chosen → results).
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _shown(app: WorkbenchApp) -> str:
    return "\n".join(screen_lines(app))


async def _open_search(app: RecordingApp, pilot: Pilot[None], store: Store) -> SearchScreen:
    screen = SearchScreen(store, CODER)
    app.push_screen(screen)
    await _settle(app, pilot)
    return screen


async def test_researcher_searches_text_sees_the_hit_in_context_and_opens_it(demo: Store) -> None:
    app = RecordingApp(demo)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_search(app, pilot, demo)
        await pilot.press(*"echt gezien")
        await _settle(app, pilot)

        (hit,) = search_text(demo, "echt gezien")
        shown = _shown(app)
        assert "1 hit in 1 document." in shown
        assert f"{INTERVIEW} · {hit.start}-{hit.end}" in shown
        assert "daar ben je een nummer. Hier word je echt gezien. Als ik ergens mee zit" in shown
        assert any(text == "echt gezien" and style is not None and style.reverse for text, style in styled_runs(app))

        await pilot.press("enter", "enter")  # into the hits, then open the highlighted one
        await pilot.pause()
        assert app.opened == [OpenDocument(INTERVIEW, hit.start, hit.end)]
        assert get_document(demo, INTERVIEW).text[hit.start : hit.end] == "echt gezien"


async def test_regex_and_case_options_change_the_hits(demo: Store) -> None:
    app = RecordingApp(demo)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_search(app, pilot, demo)
        await pilot.press("ctrl+r", *r"^R: Het \w+")
        await _settle(app, pilot)
        hits = search_text(demo, r"^R: Het \w+", regex=True)
        documents = len({h.document for h in hits})
        assert len(hits) >= 2
        assert f"{len(hits)} hits in {documents} document" in _shown(app)
        assert "R: Het contact" in _shown(app)

        await pilot.press("ctrl+r", "ctrl+u", *"pi")  # plain text again, any case: "PI" and every "pi" inside words
        await _settle(app, pilot)
        loose = search_text(demo, "pi")
        assert f"{len(loose)} hits" in _shown(app)
        await pilot.press("ctrl+t")
        await _settle(app, pilot)
        strict = search_text(demo, "pi", case_sensitive=True)
        assert len(strict) < len(loose)
        assert f"{len(strict)} hit" in _shown(app)


async def test_an_invalid_regex_is_reported_in_place_and_the_screen_keeps_working(demo: Store) -> None:
    app = RecordingApp(demo)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_search(app, pilot, demo)
        await pilot.press("ctrl+r", "[")
        await _settle(app, pilot)
        assert app.is_running
        assert "invalid regular expression '[': unterminated character set at position 0" in _shown(app)

        await pilot.press("backspace", *"(gezien")
        await _settle(app, pilot)
        assert "invalid regular expression '(gezien': missing ), unterminated subpattern at position 0" in _shown(app)

        await pilot.press(")")
        await _settle(app, pilot)
        assert "invalid regular expression" not in _shown(app)
        assert "1 hit in 1 document." in _shown(app)


async def test_a_search_with_too_many_hits_says_the_list_is_cut_short(demo: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_screen, "HIT_LIMIT", 3)
    app = RecordingApp(demo)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_search(app, pilot, demo)
        await pilot.press("e")
        await _settle(app, pilot)
        assert "The first 3 hits, in 1 document; narrow the search to see the rest." in _shown(app)
        assert len(app.screen.query_one("#text-results", OptionList).options) == 3


async def test_researcher_chooses_a_code_by_fuzzy_name_and_opens_one_of_its_segments(demo: Store) -> None:
    app = RecordingApp(demo)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_search(app, pilot, demo)
        await pilot.press("f2", *"echt gezien")
        await _settle(app, pilot)
        shown = _shown(app)
        assert "1 segment in 1 document." in shown
        assert "Hier word je echt gezien." in shown

        await pilot.press("enter")  # the best match is chosen and the cursor moves to its segments
        await _settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        (opened,) = app.opened
        assert opened.name == INTERVIEW
        assert opened.start is not None and opened.end is not None
        assert get_document(demo, INTERVIEW).text[opened.start : opened.end] == "Hier word je echt gezien."


async def test_a_theme_lists_the_segments_of_its_sub_codes_unless_asked_not_to(demo: Store) -> None:
    app = RecordingApp(demo)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await _open_search(app, pilot, demo)
        await pilot.press("f2", *"contact met personeel")
        await _settle(app, pilot)
        assert screen.query_one("#coded-code").code_id == "succesfactoren-contact-met-personeel"  # type: ignore[attr-defined]
        assert "3 segments in 1 document." in _shown(app)

        screen.query_one("#coded-descendants").toggle()  # type: ignore[attr-defined]
        await _settle(app, pilot)
        assert "1 segment in 1 document." in _shown(app)
        assert "In de PI is het afstandelijk, daar ben je een nummer." in _shown(app)


async def test_researcher_finds_units_coded_with_two_codes_and_narrows_them_to_own_codings(demo: Store) -> None:
    app = RecordingApp(demo)
    async with app.run_test(size=(130, 40)) as pilot:
        await _open_search(app, pilot, demo)
        await pilot.press("f3", *"vrijheden verlof", "enter", *"bureaucratie", "enter")
        await _settle(app, pilot)
        (unit,) = co_occurrence(demo, "knelpunten-vrijheden-en-verlof", "knelpunten-wet-en-regelgeving-bureaucratie")
        shown = _shown(app)
        assert "1 unit coded with both, in 1 document." in shown
        assert f"{INTERVIEW} · {unit.start}-{unit.end}" in shown
        assert "Elke aanvraag moet langs allerlei mensen en dan duurt het weken." in shown

        await pilot.press("enter")
        await pilot.pause()
        assert app.opened == [OpenDocument(INTERVIEW, unit.start, unit.end)]

        await pilot.press("ctrl+o")  # onderzoeker2 coded the bureaucracy: none of it is onderzoeker1's alone
        await _settle(app, pilot)
        assert "0 units coded with both, in 0 documents." in _shown(app)


async def test_escape_goes_back_and_the_footer_names_the_keys(demo: Store) -> None:
    app = RecordingApp(demo)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await _open_search(app, pilot, demo)
        footer = screen_lines(app)[-1]
        for key in ("esc Back", "f1 Text", "f2 Coded", "f3 Co-occurrence", "^r Regex", "^t Case"):
            assert key in footer
        await pilot.press("f2")
        await pilot.pause()
        assert "^o Only mine" in screen_lines(app)[-1] and "^r Regex" not in screen_lines(app)[-1]
        assert "Only onderzoeker1" in _shown(app)
        screen.coder = "onderzoeker2"  # as the app does when the user changes coder
        await _settle(app, pilot)
        assert "Only onderzoeker2" in _shown(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.opened == []


def test_the_code_filter_of_the_search_screen_takes_abbreviated_words(demo: Store) -> None:
    book = codebook(demo)
    finder = CodeFinder(book)
    assert finder.search("cntct prsnl")[0].code.id == "succesfactoren-contact-met-personeel"
    assert [match.code.id for match in finder.search("")] == [code.id for _, code in book.walk()]
    assert finder.search("xyzzy") == []
