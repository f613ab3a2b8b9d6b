"""A researcher checks which speaker turns an import found (`workbench turns`) and fixes the labels when detection
is not wanted (`workbench import --speakers`)."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from tests.conftest import run_cli
from workbench.core.store import Store
from workbench.core.turns import document_turns
from workbench.importers import import_files

#: Labels detection cannot take for speakers: lowercase, a one-off title-like label, a code that recurs nowhere.
NOTES = (
    "Gespreksnotities wijkteam\n"
    "coördinator: Wie heeft de casus van vorige week?\n"
    "Klant X: Ik, maar ik heb nog geen nieuws.\n"
    "coördinator: Dan volgende week.\n"
    "Koffie: staat klaar in de keuken.\n"
)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "studie"
    run_cli("new", project)
    return project


def test_researcher_lists_the_turns_detection_found_one_line_each(tmp_path: Path) -> None:
    project = _project(tmp_path)
    source = tmp_path / "interview_03.txt"
    source.write_text(
        "Interview 3: de eerste week\nResearcher 1: Hoe was je eerste week?\nDeelnemer: Druk, maar goed.\n"
        "Er was veel te regelen.\nResearcher 1: Dank je.\n", encoding="utf-8",
    )
    run_cli("import", project, source)
    lines = run_cli("turns", project, "interview_03").stdout.decode().splitlines()
    assert lines == [
        "   0  Researcher 1  28-65    Hoe was je eerste week?",
        "   1  Deelnemer     66-117   Druk, maar goed. Er was veel te regelen.",
        "   2  Researcher 1  118-140  Dank je.",
    ]


def test_import_with_fixed_speakers_takes_exactly_those_labels(tmp_path: Path) -> None:
    project = _project(tmp_path)
    source = tmp_path / "notities.txt"
    source.write_text(NOTES, encoding="utf-8")
    run_cli("import", project, source, "--speakers", "Coördinator, Klant X")
    assert run_cli("turns", project, "notities").stdout.decode().splitlines() == [
        "   0  coördinator  26-74    Wie heeft de casus van vorige week?",
        "   1  Klant X      75-116   Ik, maar ik heb nog geen nieuws.",
        # "Koffie:" is not one of the fixed labels, so it stays inside the turn before it
        "   2  coördinator  117-182  Dan volgende week. Koffie: staat klaar in de keuken.",
    ]
    assert "Koffie" in run_cli("show", project, "notities").stdout.decode()


def test_a_document_without_turns_says_so_and_an_unknown_one_is_an_error(tmp_path: Path) -> None:
    project = _project(tmp_path)
    source = tmp_path / "verslag.txt"
    source.write_text("Werkdruk: hoog in de zomer.\nContact: goed met het team.\n", encoding="utf-8")
    run_cli("import", project, source)
    assert run_cli("turns", project, "verslag").stdout.decode() == "verslag: no speaker turns\n"
    missing = run_cli("turns", project, "geen_document", check=False)
    assert missing.returncode == 1 and missing.stderr.decode().count("\n") == 1 and "geen_document" in missing.stderr.decode()


def test_an_empty_speaker_list_is_a_usage_error(tmp_path: Path) -> None:
    project = _project(tmp_path)
    refused = run_cli("import", project, tmp_path, "--speakers", " , ", check=False)
    assert refused.returncode == 2 and "--speakers" in refused.stderr.decode()


def test_fixed_speakers_replace_bold_labels_in_word_files_too(tmp_path: Path) -> None:
    path = tmp_path / "gesprek.docx"
    document = Document()
    for speaker, words in [("Interviewer", " Hoe gaat het?"), ("Cliënt", " Goed."), ("Interviewer", " Fijn.")]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{speaker}:").bold = True
        paragraph.add_run(words)
    document.save(str(path))
    with Store.create(tmp_path / "project", "Test") as store:
        [outcome] = import_files(store, [path], actor="tester", speakers=["interviewer"])
        assert outcome.document_id is not None
        assert [(turn.speaker, turn.opening) for turn in document_turns(store, "gesprek")] == [
            ("Interviewer", "Hoe gaat het? Cliënt: Goed."), ("Interviewer", "Fijn."),
        ]
        assert document_turns(store, "gesprek")[0].start == 0


def test_subtitles_with_fixed_speakers_keep_voice_labels_only_when_named(tmp_path: Path) -> None:
    source = tmp_path / "gesprek.vtt"
    source.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v INT>Hoe gaat het?\n\n"
        "00:00:03.000 --> 00:00:04.000\n<v DLN>Goed.\n\n00:00:05.000 --> 00:00:06.000\n<v INT>Mooi.\n",
        encoding="utf-8",
    )
    with Store.create(tmp_path / "project", "Test") as store:
        import_files(store, [source], actor="tester", speakers=["INT"])
        assert [(turn.speaker, turn.opening) for turn in document_turns(store, "gesprek")] == [
            ("INT", "Hoe gaat het? [00:00:03] DLN: Goed."), ("INT", "Mooi."),
        ]
