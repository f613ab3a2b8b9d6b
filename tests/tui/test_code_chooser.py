"""A coder presses c, types part of a code and gets the obvious codes first, at once, on the demo codebook and on
a 2,000-code one; enter applies the highlighted code. The same chooser serves the codebook screen's move dialog."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.conftest import screen_lines, styled_runs
from tests.generated_codebook import generated_codes
from workbench.core.codebook import Codebook, add_codes, codebook
from workbench.core.codebook.yaml_file import read_codebook_file
from workbench.core.codings import coded_segments
from workbench.core.corpus import add_document
from workbench.core.model import Code, DocumentKind
from workbench.core.store import Store
from workbench.locations import shipped_codebook
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs.choose_code import ChooseCodeDialog
from workbench.tui.messages import OpenDocument
from workbench.tui.screens.codebook import CodebookScreen
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.widgets.code_chooser import NO_MATCH_LABEL, SHOWN_LIMIT, TOP_LEVEL, TOP_LEVEL_LABEL, CodeChooser

SIZE = (120, 40)
CODER = "junior"
DOCUMENT = "interview_01"
TEXT = "I: Wat helpt jou hier?\nR: Het contact met het personeel. Ik krijg steeds meer vrijheden en verlof.\n"
PASSAGE = "Het contact met het personeel."
#: What the issue typed into the picker: it froze on the first two and should put the obvious codes first.
QUERIES = ("vrijheden", "contact met", "vriend", "steun", "onder")
#: How many of the first options must be obvious codes (when there are that many).
TOP = 5


def _project(folder: Path, codes: list[Code]) -> Store:
    store = Store.create(folder, "Studie")
    add_document(store, name=DOCUMENT, text=TEXT, kind=DocumentKind.TRANSCRIPT, actor=CODER)
    add_codes(store, codes, "senior", "the codebook")
    return store


@pytest.fixture
def demo_codebook_project(tmp_path: Path) -> Iterator[Store]:
    """One interview and the Huis van Herstel codebook (187 codes, names up to a few hundred characters)."""
    store = _project(tmp_path / "demo", list(read_codebook_file(shipped_codebook()).codes))
    yield store
    store.close()


@pytest.fixture
def large_codebook_project(tmp_path: Path) -> Iterator[Store]:
    """One interview and a generated codebook of 2,000 codes in three levels."""
    store = _project(tmp_path / "large", generated_codes(2000))
    yield store
    store.close()


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _has_every_word(texts: list[str], query: str) -> bool:
    return all(any(word.startswith(typed) for text in texts for word in _words(text)) for typed in _words(query))


def obvious_codes(book: Codebook, query: str) -> set[str]:
    """What a coder expects on top: codes whose own name has a word starting with each typed word; failing that,
    codes whose keywords do (the demo has no code named after "vriend", but one filed under "vriendelijk")."""
    by_name = {code.id for code in book.codes if _has_every_word([code.name], query)}
    return by_name or {code.id for code in book.codes if _has_every_word(list(code.keywords), query)}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _shown(app: WorkbenchApp) -> str:
    return "\n".join(screen_lines(app))


async def _open_the_passage(app: WorkbenchApp, pilot: Pilot[None]) -> None:
    start = TEXT.index(PASSAGE)
    app.post_message(OpenDocument(DOCUMENT, start, start + len(PASSAGE)))
    await pilot.pause()
    assert isinstance(app.screen, CodingScreen)


async def _press_c(app: WorkbenchApp, pilot: Pilot[None]) -> CodeChooser:
    assert isinstance(app.screen, CodingScreen)
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, ChooseCodeDialog)
    return app.screen.query_one(CodeChooser)


def _codes_listed(chooser: CodeChooser) -> list[str]:
    return [option_id for option_id in chooser.shown if option_id and option_id != TOP_LEVEL]


@pytest.mark.parametrize("project", ["demo_codebook_project", "large_codebook_project"])
async def test_coder_types_a_word_and_the_obvious_codes_come_first(project: str, request: pytest.FixtureRequest) -> None:
    store: Store = request.getfixturevalue(project)
    book = codebook(store)
    app = WorkbenchApp(store, coder=CODER)
    async with app.run_test(size=SIZE) as pilot:
        await _open_the_passage(app, pilot)
        for query in QUERIES:
            chooser = await _press_c(app, pilot)
            await pilot.press(*query)
            await pilot.pause()

            obvious = obvious_codes(book, query)
            assert obvious, f"no code in the codebook is an obvious answer to {query!r}"
            listed = _codes_listed(chooser)
            first = listed[: min(TOP, len(obvious))]
            assert set(first) <= obvious, f"{query!r}: {[book.get(i).name for i in first]}"
            assert chooser.code_id == listed[0]  # the best match is highlighted, ready for enter
            assert _flat(book.get(listed[0]).name)[:40] in _shown(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, CodingScreen)
    assert coded_segments(store) == []


@pytest.mark.parametrize("project", ["demo_codebook_project", "large_codebook_project"])
async def test_enter_applies_the_highlighted_code_and_a_typo_still_finds_it(project: str, request: pytest.FixtureRequest) -> None:
    store: Store = request.getfixturevalue(project)
    book = codebook(store)
    app = WorkbenchApp(store, coder=CODER)
    async with app.run_test(size=SIZE) as pilot:
        await _open_the_passage(app, pilot)
        chooser = await _press_c(app, pilot)
        await pilot.press(*"vrijheiden")  # one letter too many
        await pilot.pause()
        best = chooser.code_id
        assert best in obvious_codes(book, "vrijheden")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)

        chooser = await _press_c(app, pilot)
        await pilot.press(*"contact met")
        await pilot.pause()
        lit = {text.casefold() for text, style in styled_runs(app) if getattr(style, "reverse", False)}
        assert {"contact", "met"} <= lit  # the typed words are lit up in the names listed
        second = _codes_listed(chooser)[1]
        await pilot.press("down", "enter")  # the arrows move the highlight while the cursor stays in the filter
        await pilot.pause()

    applied = [(s.text, s.coding.code_id, s.coding.coder) for s in coded_segments(store)]
    assert sorted(applied) == sorted([(PASSAGE, best, CODER), (PASSAGE, second, CODER)])


async def test_a_long_list_stops_at_the_limit_and_says_how_many_more_there_are(large_codebook_project: Store) -> None:
    book = codebook(large_codebook_project)
    app = WorkbenchApp(large_codebook_project, coder=CODER)
    async with app.run_test(size=SIZE) as pilot:
        await _open_the_passage(app, pilot)
        chooser = await _press_c(app, pilot)
        assert _codes_listed(chooser) == [code.id for _, code in book.walk()][:SHOWN_LIMIT]
        options = chooser.query_one(OptionList)
        last = options.get_option_at_index(options.option_count - 1)
        assert last.disabled
        assert str(last.prompt) == f"… {len(book.codes) - SHOWN_LIMIT} more, type to narrow"

        await pilot.press(*"xyzzy qwerty")
        await pilot.pause()
        assert _codes_listed(chooser) == [] and NO_MATCH_LABEL in _shown(app)
        await pilot.press("enter")  # nothing to pick: the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, ChooseCodeDialog)


async def test_the_move_dialog_offers_the_top_level_and_nothing_below_the_code_moved(demo_codebook_project: Store) -> None:
    book = codebook(demo_codebook_project)
    app = WorkbenchApp(demo_codebook_project, coder=CODER)
    async with app.run_test(size=SIZE) as pilot:
        await _open_the_passage(app, pilot)
        await pilot.press("b")  # from the coding screen to the codebook
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        moved = screen.selected_id
        assert moved is not None
        below = {moved} | {code.id for _, code in book.walk(moved)}

        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ChooseCodeDialog)
        chooser = app.screen.query_one(CodeChooser)
        assert TOP_LEVEL_LABEL in _shown(app)
        assert chooser.shown[0] == TOP_LEVEL
        assert not below & set(_codes_listed(chooser))

        await pilot.press(*book.get(moved).name)  # the code's own name: itself and its subtree stay out
        await pilot.pause()
        assert not below & set(_codes_listed(chooser))
        assert TOP_LEVEL_LABEL not in _shown(app)
        await pilot.press("ctrl+u")  # clear the filter: the top level is back, first
        await pilot.pause()
        assert chooser.shown[0] == TOP_LEVEL
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
    assert codebook(demo_codebook_project) == book
