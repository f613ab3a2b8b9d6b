"""The junior's day: code a questionnaire answer by keyboard, undo, redo, memo, quit, reopen, find it all."""

from __future__ import annotations

from pathlib import Path

from rich.color import Color

from tests.conftest import screen_lines, styled_runs
from workbench.core.batch import NewDocument, add_documents
from workbench.core.codebook.sync import sync_file
from workbench.core.codebook.yaml_file import read_codebook_file
from workbench.core.codings import coded_segments
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.codebook import CodebookScreen
from workbench.tui.screens.coding import CodingScreen

ANSWER = "Het team staat voor elkaar klaar. De kleinschaligheid helpt echt."
YAML = """\
name: Studie
codes:
  - id: succesfactoren
    name: Succesfactoren
    color: "#2e7d32"
    children:
      - id: succesfactoren-team
        name: M.b.t. team
      - id: succesfactoren-kleinschalig
        name: Kleinschaligheid
"""


def _project(tmp_path: Path) -> tuple[Store, Path]:
    store = Store.create(tmp_path / "studie", "Studie")
    answers = [
        NewDocument(
            name=f"vragenlijst_T1/{respondent}/q1", text=text, kind=DocumentKind.QUESTIONNAIRE_ANSWER, case_id=respondent,
            case_attributes=CaseAttributes(respondent_group="medewerkers", wave="T1"),
            attributes={"question": "Wat gaat echt goed in Huis van Herstel?"},
        )
        for respondent, text in (("M01", ANSWER), ("M02", "Weinig deelnemers."))
    ]
    add_documents(store, answers, actor="junior", summary="imported")
    yaml_path = tmp_path / "codebook.yaml"
    yaml_path.write_text(YAML, encoding="utf-8")
    sync_file(store, yaml_path, "senior", apply=True)
    return store, yaml_path


async def _open_answer(app: WorkbenchApp, pilot: object) -> CodingScreen:
    await pilot.press("slash", *"M01", "enter", "down", "down", "enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, CodingScreen)
    return app.screen


async def test_junior_codes_a_sentence_undoes_redoes_writes_a_memo_and_finds_it_after_reopening(tmp_path: Path) -> None:
    store, _ = _project(tmp_path)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_answer(app, pilot)
        shown = "\n".join(screen_lines(app))
        assert "Wat gaat echt goed in Huis van Herstel?" in shown and ANSWER in shown

        await pilot.press("g")  # answer → sentence: the paragraph is the whole answer, so g skips it (spaCy loads in a worker)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.granularity.value == "sentence"
        await pilot.press("down")  # the second sentence
        await pilot.pause()
        assert ANSWER[slice(*screen.selection)] == "De kleinschaligheid helpt echt."

        await pilot.press("c", *"klein", "enter")  # the picker, fuzzy
        await pilot.pause()
        (segment,) = coded_segments(store)
        expected = ("De kleinschaligheid helpt echt.", "succesfactoren-kleinschalig", "junior")
        assert (segment.text, segment.coding.code_id, segment.coding.coder) == expected
        assert "Kleinschaligheid" in "\n".join(screen_lines(app))

        await pilot.press("u")
        await pilot.pause()
        assert coded_segments(store) == []
        await pilot.press("r")
        await pilot.pause()
        assert [s.text for s in coded_segments(store)] == ["De kleinschaligheid helpt echt."]

        await pilot.press("m", *"kern van het antwoord", "ctrl+s")
        await pilot.pause()
        assert coded_segments(store)[0].coding.memo == "kern van het antwoord"
        await pilot.press("q")
    store.close()

    reopened = Store.open(tmp_path / "studie")
    app = WorkbenchApp(reopened)  # no name given: the project remembers who was coding
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert app.coder == "junior" and not app.screen.is_modal
        # Back where the junior stopped: the answer open in the coding screen.
        assert isinstance(app.screen, CodingScreen) and app.screen.document.name == "vragenlijst_T1/M01/q1"
        await pilot.press("escape")
        await pilot.pause()
        assert "junior 1/1" in "\n".join(screen_lines(app))  # the project screen's progress
        await _open_answer(app, pilot)
        shown = "\n".join(screen_lines(app))
        assert "Kleinschaligheid" in shown and "✎ kern van het antwoord" in shown
        colour = Color.parse("#2e7d32")
        assert any(text.strip() and text.strip() in "De kleinschaligheid helpt echt." and style.bgcolor == colour
                   for text, style in styled_runs(app) if style is not None)
    reopened.close()


async def test_a_codebook_rename_in_the_ui_shows_in_the_coding_screen_and_the_yaml(tmp_path: Path) -> None:
    store, yaml_path = _project(tmp_path)
    app = WorkbenchApp(store, coder="junior")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_answer(app, pilot)
        await pilot.press("c", *"team", "enter")
        await pilot.pause()
        assert "M.b.t. team" in "\n".join(screen_lines(app))

        await pilot.press("b")
        await pilot.pause()
        codebook_screen = app.screen
        assert isinstance(codebook_screen, CodebookScreen)
        for _ in range(20):
            if codebook_screen.selected_id == "succesfactoren-team":
                break
            await pilot.press("down")
        await pilot.press("r", "ctrl+a", "ctrl+k", *"M.b.t. het team", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert "M.b.t. het team" in "\n".join(screen_lines(app))
    assert {c.id: c.name for c in read_codebook_file(yaml_path).codes}["succesfactoren-team"] == "M.b.t. het team"
    store.close()
