"""`workbench import --pseudonymise`: names, places, dates and institutions become consistent placeholders."""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import run_cli
from workbench.core.corpus import document_summaries, get_document
from workbench.core.model import SpeakerTurn
from workbench.core.privacy import forget_case
from workbench.core.pseudonyms import KEY_FILE, Detector, KeyTable, Span, pseudonymise
from workbench.core.store import Store
from workbench.importers import import_files
from workbench.importers.pseudonymise import pseudonymiser

FIRST = (
    "Interviewer: Hoe ging het na je overplaatsing?\n"
    "Ingrid: Op 12 maart 2021 ben ik van PI Zwolle naar Amsterdam gegaan. Mijn mentor Jan de Vries hielp me.\n"
    "Interviewer: En je familie?\n"
    "Ingrid: Mijn zus Petra Jansen komt elke week uit Rotterdam.\n"
)
SECOND = "Interviewer: Nog iets?\nIngrid: Jan de Vries is nu weg, sinds 3 januari 2022.\n"
NAMES = ("Ingrid Bakker", "Jan de Vries", "Petra Jansen", "Amsterdam", "Rotterdam", "12 maart 2021", "3 januari 2022")


def _fake(names: Sequence[tuple[str, str]]) -> Detector:
    """A detector that finds the given strings: the offset bookkeeping is tested without deduce's start-up."""

    def detect(text: str) -> list[Span]:
        return [Span(m.start(), m.end(), tag) for original, tag in names for m in re.finditer(re.escape(original), text)]

    return detect


def test_turns_move_with_the_text_and_a_name_gets_one_placeholder_everywhere(tmp_path: Path) -> None:
    text = "I: Waar woon je?\nIngrid: In Amsterdam, bij Jan.\nI: En Jan?\nIngrid: Jan is weg.\n"
    turns = [SpeakerTurn(1, "I", 0, 16), SpeakerTurn(2, "Ingrid", 17, 47), SpeakerTurn(3, "I", 48, 58), SpeakerTurn(4, "Ingrid", 59, 78)]
    assert [text[t.start:t.end] for t in turns] == text.splitlines()
    key = KeyTable(tmp_path / KEY_FILE)
    detect = _fake([("Ingrid", "persoon"), ("Jan", "persoon"), ("Amsterdam", "locatie")])

    done = pseudonymise(text, turns, document="d1", key=key, detect=detect)

    assert done.text == (
        "I: Waar woon je?\n[PERSOON-1]: In [LOCATIE-1], bij [PERSOON-2].\nI: En [PERSOON-2]?\n[PERSOON-1]: [PERSOON-2] is weg.\n"
    )
    assert [done.text[t.start:t.end] for t in done.turns] == [
        "I: Waar woon je?", "[PERSOON-1]: In [LOCATIE-1], bij [PERSOON-2].", "I: En [PERSOON-2]?", "[PERSOON-1]: [PERSOON-2] is weg.",
    ]
    assert [t.speaker for t in done.turns] == ["I", "[PERSOON-1]", "I", "[PERSOON-1]"]
    again = pseudonymise("Jan  belde.", [], document="d2", key=key, detect=_fake([("Jan", "persoon")]))
    assert again.text == "[PERSOON-2]  belde."


def test_the_key_table_lives_beside_the_project_readable_by_its_owner_and_forget_takes_a_case_out(tmp_path: Path) -> None:
    project = tmp_path / "project"
    store = Store.create(project, "p")
    (tmp_path / "a.txt").write_text("Ingrid woont in Zwolle.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Petra woont in Zwolle.\n", encoding="utf-8")
    detect = _fake([("Ingrid", "persoon"), ("Petra", "persoon"), ("Zwolle", "locatie")])
    step = pseudonymiser(project / KEY_FILE, detect)
    import_files(store, [tmp_path / "a.txt"], actor="junior", case_id="R01", transform=step)
    import_files(store, [tmp_path / "b.txt"], actor="junior", case_id="R02", transform=step)
    assert get_document(store, "a").text == "[PERSOON-1] woont in [LOCATIE-1].\n"
    assert get_document(store, "b").text == "[PERSOON-2] woont in [LOCATIE-1].\n"
    key_file = project / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert b"Ingrid" not in (project / "workbench.sqlite").read_bytes()

    forget_case(store, "R01", actor="supervisor")

    originals = {e["original"] for e in json.loads(key_file.read_text(encoding="utf-8"))["entries"]}
    assert originals == {"Petra", "Zwolle"}  # Zwolle is in R02's text too


def test_a_refi_qda_project_is_not_pseudonymised_but_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    Store.create(project, "p").close()
    qdpx = tmp_path / "ander.qdpx"
    qdpx.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    result = run_cli("import", project, qdpx, "--pseudonymise", check=False)
    assert result.returncode == 1
    assert "--pseudonymise cannot change a REFI-QDA project" in result.stderr.decode()


def test_researcher_imports_dutch_transcripts_pseudonymised_with_deduce(tmp_path: Path) -> None:
    pytest.importorskip("deduce", reason="deduce is not installed")
    project = tmp_path / "project"
    Store.create(project, "p").close()
    first, second = tmp_path / "gesprek_1.txt", tmp_path / "gesprek_2.txt"
    first.write_text(FIRST.replace("Ingrid:", "Ingrid Bakker:", 1), encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")

    run_cli("import", project, first, second, "--pseudonymise", "--case", "R01")

    with Store.open(project) as store:
        one, two = get_document(store, "gesprek_1").text, get_document(store, "gesprek_2").text
    for original in NAMES:
        assert original not in one + two, original
    key = json.loads((project / KEY_FILE).read_text(encoding="utf-8"))["entries"]
    placeholder = {e["original"]: e["placeholder"] for e in key}
    assert placeholder["Jan de Vries"].startswith("[PERSOON-")
    assert placeholder["Jan de Vries"] in one and placeholder["Jan de Vries"] in two  # the same person, the same placeholder
    assert any(e["original"] == "12 maart 2021" and e["placeholder"].startswith("[DATUM-") for e in key)
    assert any(e["original"] == "Amsterdam" and e["placeholder"].startswith("[LOCATIE-") for e in key)
    for name in ("workbench.sqlite", "workbench.sqlite-wal"):
        path = project / name
        assert not path.exists() or b"Jan de Vries" not in path.read_bytes()


def test_questionnaire_answers_are_pseudonymised_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    Store.create(project, "p").close()
    sheet = tmp_path / "vragenlijst.csv"
    sheet.write_text("Respondent,Wat helpt?\nR01,Mijn mentor Jan de Vries\nR02,Het sporten in Zwolle\n", encoding="utf-8")
    fake = _fake([("Jan de Vries", "persoon"), ("Zwolle", "locatie")])
    monkeypatch.setattr("workbench.importers.pseudonymise.deduce_detector", lambda: fake)

    run_cli("import", project, sheet, "--id-column", "Respondent", "--pseudonymise")

    with Store.open(project) as store:
        texts = sorted(get_document(store, summary.name).text for summary in document_summaries(store))
    assert texts == ["Het sporten in [LOCATIE-1]", "Mijn mentor [PERSOON-1]"]
