"""The codebook screen: a researcher browses the code tree with its counts and edits it, the linked YAML following."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.conftest import screen_lines
from workbench.core.codebook import add_code, codebook
from workbench.core.codebook.edit import code_usage
from workbench.core.codebook.sync import export_yaml, sync_file
from workbench.core.codebook.yaml_file import read_codebook_file
from workbench.core.codings import add_coding, coded_segments
from workbench.core.model import Code
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs.choose_code import ChooseCodeDialog
from workbench.tui.dialogs.code_form import CodeFormDialog
from workbench.tui.messages import CodebookChanged
from workbench.tui.screens.codebook import CodebookScreen, usage_totals

SIZE = (130, 40)


class RecordingApp(WorkbenchApp):
    """The workbench app, remembering the CodebookChanged messages it receives."""


    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.codebook_changes = 0

    def on_codebook_changed(self, message: CodebookChanged) -> None:
        self.codebook_changes += 1


def _shown(app: WorkbenchApp) -> str:
    return "\n".join(screen_lines(app))


def _messages(app: WorkbenchApp) -> list[str]:
    return [n.message for n in app._notifications]


def _errors(app: WorkbenchApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


async def _open(app: WorkbenchApp, pilot: object, store: Store) -> CodebookScreen:
    screen = CodebookScreen(store, "senior")
    app.push_screen(screen)
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


async def _select(pilot: object, screen: CodebookScreen, code_id: str) -> None:
    """Move the tree's cursor to a code with the arrow keys, as a user would."""
    for _ in range(200):
        if screen.selected_id == code_id:
            return
        await pilot.press("down")  # type: ignore[attr-defined]
    raise AssertionError(f"{code_id} not reached in the tree")


async def _type(pilot: object, *text: str) -> None:
    await pilot.press(*"".join(text))  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def _link_yaml(store: Store, tmp_path: Path) -> Path:
    """Link the project to a YAML file holding its own codebook, as `workbench codebook sync` does."""
    path = tmp_path / "codebook.yaml"
    path.write_text(export_yaml(store), encoding="utf-8")
    sync_file(store, path, "senior", apply=True)
    return path


@pytest.fixture
def coded(store: Store) -> Store:
    """The conftest project plus a second theme and a second dimension; 'contact' codes one passage."""
    add_code(store, Code(id="team", name="M.b.t. team", parent_id="succesfactoren"), "senior")
    add_code(store, Code(id="knelpunten", name="Knelpunten", color="#c62828"), "senior")
    add_coding(store, document="interview_01", start=0, end=22, code_id="contact", coder="junior")
    return store


async def test_the_tree_shows_every_code_with_its_own_and_rolled_up_usage_on_the_demo(demo: Store) -> None:
    book, usage = codebook(demo), code_usage(demo)
    totals = usage_totals(book, usage)
    app = WorkbenchApp(demo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, demo)
        shown = _shown(app)
        dimensions = book.children(None)
        for dimension in dimensions:
            assert f"■ {dimension.name}  [{usage[dimension.id]} / {totals[dimension.id]}]" in shown
        assert totals[dimensions[0].id] > 0, "the demo has codings"
        leaf = next(c for _, c in book.walk() if not book.children(c.id) and len(c.name) < 40 and usage[c.id])
        assert f"■ {leaf.name}  [{usage[leaf.id]}]" in shown
        # The tree keeps codebook order: dimensions appear top to bottom as in the codebook.
        rows = [next(i for i, line in enumerate(screen_lines(app)) if f"■ {d.name}  [" in line) for d in dimensions]
        assert rows == sorted(rows)

        await _select(pilot, screen, leaf.id)
        await pilot.pause()
        shown = _shown(app)
        assert f"id     {leaf.id[:30]}" in shown  # a long id folds inside the panel
        assert "path   " + " › ".join(book.path(leaf.id))[:30] in shown
        assert f"usage  {usage[leaf.id]} coding" in shown


async def test_renaming_changes_the_tree_the_store_and_the_linked_yaml(store: Store, tmp_path: Path) -> None:
    path = _link_yaml(store, tmp_path)
    app = RecordingApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, store)
        await _select(pilot, screen, "contact")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, CodeFormDialog)
        assert app.screen.query_one("#code-name", Input).value == "M.b.t. contact met personeel"
        await _type(pilot, "M.b.t. het personeel")  # the prefilled name is selected, so typing replaces it
        await pilot.press("enter")
        await pilot.pause()

        assert app.screen is screen
        assert "■ M.b.t. het personeel  [0]" in _shown(app)
        assert screen.selected_id == "contact"
        assert app.codebook_changes == 1
        assert any("Renamed M.b.t. contact met personeel to M.b.t. het personeel" in m for m in _messages(app))
    assert codebook(store).get("contact").name == "M.b.t. het personeel"
    assert "name: M.b.t. het personeel" in path.read_text(encoding="utf-8")
    assert {c.id: c.name for c in read_codebook_file(path).codes}["contact"] == "M.b.t. het personeel"


async def test_adding_a_child_code_suggests_a_slug_and_selects_the_new_code(store: Store, tmp_path: Path) -> None:
    path = _link_yaml(store, tmp_path)
    app = WorkbenchApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, store)
        assert screen.selected_id == "succesfactoren"
        await pilot.press("a")
        await pilot.pause()
        await _type(pilot, "Rust en regelmaat")
        dialog = app.screen
        assert isinstance(dialog, CodeFormDialog)
        assert dialog.query_one("#code-id", Input).value == "succesfactoren-rust-en-regelmaat"
        await pilot.press("enter")
        await pilot.pause()

        assert screen.selected_id == "succesfactoren-rust-en-regelmaat"
        assert "■ Rust en regelmaat  [0]" in _shown(app)
        assert "■ Succesfactoren  [0 / 0]" in _shown(app)
    added = codebook(store).get("succesfactoren-rust-en-regelmaat")
    assert added.parent_id == "succesfactoren" and added.name == "Rust en regelmaat"
    assert "succesfactoren-rust-en-regelmaat" in path.read_text(encoding="utf-8")


async def test_adding_a_sibling_with_a_taken_id_keeps_the_dialog_open_with_the_error(store: Store) -> None:
    app = WorkbenchApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, store)
        await _select(pilot, screen, "contact")
        await pilot.press("A")
        await pilot.pause()
        await _type(pilot, "Contact")
        dialog = app.screen
        assert isinstance(dialog, CodeFormDialog)
        dialog.query_one("#code-id", Input).focus()
        await pilot.press("ctrl+u")  # Input's delete-to-start: clear the suggested id
        await _type(pilot, "contact")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog, "a refused id keeps what the user typed"
        assert any("code id 'contact' already exists" in m for m in _errors(app))

        await pilot.press("ctrl+u")
        await _type(pilot, "bejegening")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.selected_id == "bejegening"
    assert codebook(store).get("bejegening").parent_id == "succesfactoren"


async def test_moving_a_code_under_another_and_to_the_top_level(coded: Store) -> None:
    app = WorkbenchApp(coded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, coded)
        await _select(pilot, screen, "contact")
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChooseCodeDialog)
        assert "(top level of the codebook)" in _shown(app)
        await _type(pilot, "knel")
        await pilot.press("enter")
        await pilot.pause()
        assert codebook(coded).get("contact").parent_id == "knelpunten"
        assert screen.selected_id == "contact"
        assert "■ Knelpunten  [0 / 1]" in _shown(app)

        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter")  # the first choice: the top level
        await pilot.pause()
    book = codebook(coded)
    assert book.get("contact").parent_id is None
    assert [c.id for c in book.children(None)] == ["succesfactoren", "knelpunten", "contact"]
    assert [s.code_name for s in coded_segments(coded)] == ["M.b.t. contact met personeel"]


async def test_a_code_cannot_be_moved_under_itself_or_below_it(coded: Store) -> None:
    app = WorkbenchApp(coded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, coded)
        await pilot.press("m")  # on succesfactoren
        await pilot.pause()
        await _type(pilot, "team")
        assert "no code matches" in _shown(app)  # 'team' is below succesfactoren, so not offered
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChooseCodeDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
    assert codebook(coded).get("succesfactoren").parent_id is None


async def test_merging_moves_the_codings_to_the_target(coded: Store, tmp_path: Path) -> None:
    path = _link_yaml(coded, tmp_path)
    app = RecordingApp(coded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, coded)
        await _select(pilot, screen, "contact")
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, ChooseCodeDialog)
        await _type(pilot, "team")
        await pilot.press("enter")
        await pilot.pause()

        assert app.screen is screen and screen.selected_id == "team"
        shown = _shown(app)
        assert "■ M.b.t. team  [1]" in shown and "M.b.t. contact met personeel" not in shown
        assert app.codebook_changes == 1
        assert any("Merged M.b.t. contact met personeel into M.b.t. team: 1 coding moved" in m for m in _messages(app))
    assert "contact" not in codebook(coded).by_id
    assert [(s.code_name, s.coding.code_id) for s in coded_segments(coded)] == [("M.b.t. team", "team")]
    assert "id: contact" not in path.read_text(encoding="utf-8")


async def test_deleting_a_used_code_is_refused_with_the_error_unless_its_codings_get_a_new_code(coded: Store) -> None:
    app = WorkbenchApp(coded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, coded)
        await _select(pilot, screen, "contact")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, CodeFormDialog)
        assert "1 coding uses it" in _shown(app)
        await pilot.click("#code-form-ok")
        await pilot.pause()
        assert isinstance(app.screen, ChooseCodeDialog)
        await pilot.press("escape")  # not saying where the codings go
        await pilot.pause()

        assert app.is_running and app.screen is screen
        assert any("code 'contact' is used by 1 codings" in m for m in _errors(app))
        assert "contact" in codebook(coded).by_id
        assert screen.selected_id == "contact"

        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#code-form-ok")
        await pilot.pause()
        await _type(pilot, "team")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.selected_id == "team"
        assert any("Deleted M.b.t. contact met personeel; 1 coding now on M.b.t. team" in m for m in _messages(app))
    assert "contact" not in codebook(coded).by_id
    assert [s.coding.code_id for s in coded_segments(coded)] == ["team"]


async def test_deleting_an_unused_code_asks_first_and_enter_cancels(coded: Store, tmp_path: Path) -> None:
    path = _link_yaml(coded, tmp_path)
    app = WorkbenchApp(coded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, coded)
        await _select(pilot, screen, "team")
        await pilot.press("x")
        await pilot.pause()
        assert "No codings use it. Delete it?" in _shown(app)
        await pilot.press("enter")  # Cancel has the focus: Enter alone never deletes
        await pilot.pause()
        assert app.screen is screen and "team" in codebook(coded).by_id

        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#code-form-ok")
        await pilot.pause()
        assert screen.selected_id == "contact"  # the cursor goes to the neighbour
    assert "team" not in codebook(coded).by_id
    assert "id: team" not in path.read_text(encoding="utf-8")


async def test_a_hand_edited_yaml_refuses_the_edit_with_a_notification(store: Store, tmp_path: Path) -> None:
    path = _link_yaml(store, tmp_path)
    hand_edited = path.read_text(encoding="utf-8").replace("name: Succesfactoren", "name: Succesfactoren (herzien)")
    path.write_text(hand_edited, encoding="utf-8")
    app = RecordingApp(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await _open(app, pilot, store)
        await _select(pilot, screen, "contact")
        await pilot.press("r")
        await pilot.pause()
        await _type(pilot, "Anders")
        await pilot.press("enter")
        await pilot.pause()

        assert app.is_running and app.screen is screen
        assert any("changed outside the workbench since the last sync" in m for m in _errors(app))
        assert "changed outside the" in _shown(app)  # the toast is on screen
        assert app.codebook_changes == 0
        assert "■ M.b.t. contact met personeel  [0]" in _shown(app)
    assert codebook(store).get("contact").name == "M.b.t. contact met personeel"
    assert path.read_text(encoding="utf-8") == hand_edited


async def test_a_yaml_that_cannot_be_written_undoes_the_edit(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _link_yaml(store, tmp_path)
    before = path.read_text(encoding="utf-8")

    def full_disk(source: object, target: object) -> None:
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr("workbench.core.files.os.replace", full_disk)
    app = WorkbenchApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, store)
        await _select(pilot, screen, "contact")
        await pilot.press("r")
        await pilot.pause()
        await _type(pilot, "Anders")
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert _errors(app) == [f"{path}: cannot write the codebook (No space left on device); nothing changed"]
        assert "■ M.b.t. contact met personeel  [0]" in _shown(app)
    assert codebook(store).get("contact").name == "M.b.t. contact met personeel"
    assert path.read_text(encoding="utf-8") == before


async def test_describing_a_code_saves_criteria_examples_keywords_and_colour(store: Store) -> None:
    app = WorkbenchApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, store)
        await _select(pilot, screen, "contact")
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CodeFormDialog)
        await _type(pilot, "Contact met begeleiders.")  # the description area has the focus
        await pilot.press("tab")
        await _type(pilot, "Over personeel")
        await pilot.press("tab", "tab")
        await _type(pilot, "Hier word je echt gezien.")
        await pilot.press("enter")
        await _type(pilot, "Ze luisteren.")
        await pilot.press("tab")
        await _type(pilot, "contact, personeel")
        await pilot.press("tab")
        await _type(pilot, "#1565c0")
        await pilot.press("enter")
        await pilot.pause()

        assert app.screen is screen
        shown = _shown(app)
        assert "• Hier word je echt gezien." in shown and "contact, personeel" in shown and "#1565c0" in shown
    code = codebook(store).get("contact")
    assert code.description == "Contact met begeleiders."
    assert code.include == "Over personeel" and code.exclude == ""
    assert code.examples == ("Hier word je echt gezien.", "Ze luisteren.")
    assert code.keywords == ("contact", "personeel")
    assert code.color == "#1565c0"


async def test_reordering_with_ctrl_arrows_keeps_the_selection(coded: Store) -> None:
    app = WorkbenchApp(coded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, coded)
        await _select(pilot, screen, "team")
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert [c.id for c in codebook(coded).children("succesfactoren")] == ["team", "contact"]
        assert screen.selected_id == "team"
        await pilot.press("ctrl+up")  # already first: nothing happens
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert [c.id for c in codebook(coded).children("succesfactoren")] == ["contact", "team"]
        assert screen.selected_id == "team"
        assert not _errors(app)


async def test_the_command_palette_lists_the_codebook_actions_and_escape_goes_back(store: Store) -> None:
    app = WorkbenchApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, store)
        for _ in range(50):  # on a busy machine the footer may take a few frames to appear
            footer = _shown(app).splitlines()[-1]
            if footer.strip():
                break
            await pilot.pause(0.05)
        for key_and_name in ("a Add child", "r Rename", "e Edit", "m Move", "M Merge into", "del Delete", "esc Back", "q Quit"):
            assert key_and_name in footer
        await pilot.press("ctrl+p")
        await pilot.pause()
        await _type(pilot, "merge")
        await pilot.pause(0.2)
        assert "Merge into" in _shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChooseCodeDialog)  # the palette ran the merge action on the codebook screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen and not isinstance(app.screen, CodebookScreen)
        assert app.is_running

