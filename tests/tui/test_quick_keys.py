"""Quick keys stay put: a code keeps its number until the coder moves it, and all nine fit on the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import screen_lines
from workbench.core.codebook import add_code
from workbench.core.codings import coded_segments
from workbench.core.corpus import add_document
from workbench.core.model import Code, DocumentKind
from workbench.core.quick_keys import quick_keys
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs.quick_key import QuickKeyDialog
from workbench.tui.messages import OpenDocument
from workbench.tui.screens.coding import CodingScreen

TEXT = "\n".join(f"R: Antwoord nummer {n} over het team en de begeleiding." for n in range(1, 13)) + "\n"
NAMES = ["Contact", "Team", "Structuur", "Vrijheid", "Werk", "Familie", "Veiligheid", "Vertrouwen", "Toekomst", "Schulden"]


def _project(tmp_path: Path) -> Store:
    store = Store.create(tmp_path / "p", "P")
    add_code(store, Code(id="thema", name="M.b.t. dagelijks leven"), "junior")
    for name in NAMES:
        add_code(store, Code(id=name.lower(), name=f"M.b.t. {name.lower()}", parent_id="thema"), "junior")
    add_document(store, name="P01", text=TEXT, kind=DocumentKind.TRANSCRIPT, actor="junior")
    return store


async def _choose(pilot: object, name: str) -> None:
    await pilot.press("c", *name, "enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_a_code_keeps_its_quick_key_when_other_codes_are_used_after_it(tmp_path: Path) -> None:
    store = _project(tmp_path)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(160, 40)) as pilot:
        app.post_message(OpenDocument("P01"))
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        await _choose(pilot, "contact")  # unit 1: contact lands on key 1
        await pilot.press("down")
        await _choose(pilot, "team")  # unit 2: team on key 2
        await pilot.press("down", "1")  # unit 3 by key: still contact
        await pilot.press("down", "2")  # unit 4: still team, though contact was used last
        await pilot.press("down", "1")
        await pilot.pause()
        codes = [s.coding.code_id for s in sorted(coded_segments(store, "P01"), key=lambda s: s.coding.start)]
        assert codes == ["contact", "team", "contact", "team", "contact"]
        assert quick_keys(store, "junior")[:3] == ("contact", "team", None)
        line = next(line for line in screen_lines(app) if line.lstrip().startswith("keys "))
        assert "1 contact" in line and "2 team" in line


async def test_shift_k_puts_a_code_on_a_chosen_key_and_all_nine_show_on_a_160_column_line(tmp_path: Path) -> None:
    store = _project(tmp_path)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(160, 40)) as pilot:
        app.post_message(OpenDocument("P01"))
        await pilot.pause()
        for name in NAMES[:9]:  # nine codes, one per unit: keys 1–9
            await _choose(pilot, name.lower())
            await pilot.press("down")
        assert quick_keys(store, "junior") == tuple(name.lower() for name in NAMES[:9])
        await _choose(pilot, "schulden")  # a tenth code: every key is taken, so it gets none
        assert "schulden" not in quick_keys(store, "junior")
        await pilot.press("K", *"schulden", "enter")
        for _ in range(20):
            await pilot.pause(0.05)
            if isinstance(app.screen, QuickKeyDialog):
                break
        assert isinstance(app.screen, QuickKeyDialog)
        assert "3 M.b.t. structuur" in "\n".join(screen_lines(app))
        await pilot.press("3")  # …until the coder puts it on key 3
        await pilot.pause()
        assert quick_keys(store, "junior")[2] == "schulden"
        line = next(line for line in screen_lines(app) if line.lstrip().startswith("keys "))
        assert all(f"{n} " in line for n in range(1, 10)) and "3 schulden" in line, line
    reopened = WorkbenchApp(store, coder="junior")
    async with reopened.run_test(size=(160, 40)) as pilot:  # the keys are the project's, kept across sessions
        reopened.post_message(OpenDocument("P01"))
        await pilot.pause()
        line = next(line for line in screen_lines(reopened) if line.lstrip().startswith("keys "))
        assert "3 schulden" in line and "1 contact" in line


async def test_quick_keys_show_each_coding_at_once_without_rereading_the_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # On a long transcript with thousands of codings, reading and painting them all again per key press made a quick key
    # cost several times the write: the screen adds (or drops) just the coding it made, and shows what is stored.
    from workbench.tui.screens import coding as coding_screen

    store = _project(tmp_path)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(160, 40)) as pilot:
        app.post_message(OpenDocument("P01"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        await _choose(pilot, "werk")
        await pilot.press("down")
        await _choose(pilot, "contact")
        reads = 0
        real = coding_screen.coded_segments

        def counted(*args: object, **kwargs: object) -> object:
            nonlocal reads
            reads += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(coding_screen, "coded_segments", counted)
        await pilot.press("up", "2", "down", "down", "1", "2", "up", "x")  # unit 1 gets a second code, unit 3 two, one removed
        await pilot.pause()
        assert reads == 0
        assert screen.segments == real(store, "P01")
        assert [(s.coding.start, s.coding.code_id) for s in screen.segments] == [
            (0, "contact"), (0, "werk"), (TEXT.index("R: Antwoord nummer 3"), "contact"), (TEXT.index("R: Antwoord nummer 3"), "werk"),
        ]
        panel = next(line for line in screen_lines(app) if "Codings in view" in line)
        assert "of 4)" in panel
