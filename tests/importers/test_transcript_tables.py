"""A researcher imports a transcript kept as a table (time, speaker, text) as one transcript with a turn per row."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import run_cli, table_rows
from tests.shared_files import external
from workbench.core.corpus import document_summaries, get_document
from workbench.core.model import DocumentKind
from workbench.core.store import Store
from workbench.errors import ImportError_
from workbench.importers._transcript_table import TranscriptColumns, stamp, transcript_table_document

ROWS = {
    "Tijd": ["00:00:05.200", "00:01:02,9", "1:02:03", ""],
    "Spreker": ["Interviewer", "Deelnemer 3", "Deelnemer 3", ""],
    "Tekst": ["Wat helpt jou hier?", "Het contact; “echt” contact.\nEn de rust.", "Ja.", "(stilte)"],
}
COLUMNS = TranscriptColumns(text="Tekst", speaker="Spreker", time="Tijd")
EXPECTED = (
    "[00:00:05] Interviewer: Wat helpt jou hier?\n"
    "[00:01:02] Deelnemer 3: Het contact; “echt” contact.\nEn de rust.\n"
    "[01:02:03] Deelnemer 3: Ja.\n"
    "(stilte)"
)


def _sheet(path: Path, rows: dict[str, list[object]]) -> Path:
    frame = pd.DataFrame(rows)
    if path.suffix == ".csv":
        frame.to_csv(path, sep=";", index=False)
    else:
        frame.to_excel(path, index=False, engine="odf" if path.suffix == ".ods" else "openpyxl")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ods"])
def test_each_row_becomes_a_stamped_speaker_turn_of_one_transcript(tmp_path: Path, suffix: str) -> None:
    document = transcript_table_document(_sheet(tmp_path / f"gesprek{suffix}", ROWS), COLUMNS)

    assert (document.name, document.kind, document.text) == ("gesprek", DocumentKind.TRANSCRIPT, EXPECTED)
    # Like a subtitle transcript's: each turn is its whole line, stamp included; the row without a speaker is no turn.
    assert [(t.seq, t.speaker, document.text[t.start:t.end]) for t in document.turns] == [
        (0, "Interviewer", "[00:00:05] Interviewer: Wat helpt jou hier?"),
        (1, "Deelnemer 3", "[00:01:02] Deelnemer 3: Het contact; “echt” contact.\nEn de rust."),
        (2, "Deelnemer 3", "[01:02:03] Deelnemer 3: Ja."),
    ]


def test_times_stored_as_spreadsheet_times_read_as_the_clock_shows(tmp_path: Path) -> None:
    rows = {"Tijd": [datetime.time(0, 0, 5), datetime.time(0, 12, 31)], "Wie": ["I", "R"], "Wat": ["Vraag?", "Antwoord."]}
    document = transcript_table_document(_sheet(tmp_path / "tijden.xlsx", rows), TranscriptColumns("Wat", "Wie", "Tijd"))
    assert document.text == "[00:00:05] I: Vraag?\n[00:12:31] R: Antwoord."


def test_a_time_cell_becomes_a_clock_stamp_or_stays_as_written() -> None:
    assert stamp("12:31") == "[00:12:31]"
    assert stamp("na de pauze") == "[na de pauze]"  # kept as written rather than guessed


def test_a_table_without_speakers_is_a_transcript_of_lines_without_turns(tmp_path: Path) -> None:
    document = transcript_table_document(_sheet(tmp_path / "regels.csv", ROWS), TranscriptColumns("Tekst"))
    assert document.text == "Wat helpt jou hier?\nHet contact; “echt” contact.\nEn de rust.\nJa.\n(stilte)"
    assert document.turns == ()


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (TranscriptColumns("Transcript", "Spreker"), "no column 'Transcript' (columns: 'Tijd', 'Spreker', 'Tekst')"),
        (TranscriptColumns("Tekst", "Tekst"), "one column is given for two roles (text, speaker, time); give each its own"),
        (TranscriptColumns("Tijd", "Spreker"), "no text to import (the column 'Tijd' is empty)"),
    ],
    ids=["unknown-column", "column-twice", "empty-text-column"],
)
def test_a_wrong_column_is_refused_in_one_line(tmp_path: Path, columns: TranscriptColumns, message: str) -> None:
    path = _sheet(tmp_path / "gesprek.csv", {**ROWS, "Tijd": ["", "", "", ""]})
    with pytest.raises(ImportError_) as refused:
        transcript_table_document(path, columns)
    assert str(refused.value) == f"{path}: {message}"


def test_researcher_imports_a_transcript_table_from_the_command_line(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    path = _sheet(tmp_path / "gesprek.xlsx", ROWS)
    result = run_cli("import", project, path, "--kind", "transcript", "--speaker-column", "Spreker", "--text-column", "Tekst",
                     "--time-column", "Tijd", "--case", "D03")
    assert result.stdout.decode() == f"imported {path} (document #1)\n"
    with Store.open(project) as store:
        document = get_document(store, "gesprek")
        assert (document.text, document.case_id, len(document.turns)) == (EXPECTED, "D03", 3)
        again = run_cli("import", project, path, "--text-column", "Tekst", "--speaker-column", "Spreker", "--time-column", "Tijd")
        assert again.returncode == 0 and "already imported" in again.stdout.decode()
        assert [d.name for d in document_summaries(store)] == ["gesprek"]


def test_a_spreadsheet_named_a_transcript_without_its_text_column_is_refused_and_nothing_stored(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    path = _sheet(tmp_path / "gesprek.csv", ROWS)
    with Store.open(project) as store:
        before = table_rows(store)
    refused = run_cli("import", project, path, "--kind", "transcript", "--speaker-column", "Spreker", check=False)
    assert refused.returncode == 1
    assert refused.stderr.decode() == "workbench: --speaker-column and --time-column read a transcript table: give its --text-column too\n"
    no_columns = run_cli("import", project, path, "--kind", "transcript", check=False)
    assert no_columns.returncode == 1
    assert no_columns.stderr.decode() == (
        f"workbench: {path}: to import a spreadsheet as a transcript, give --text-column (and --speaker-column)\n"
    )
    with Store.open(project) as store:
        assert table_rows(store) == before


def test_shared_oral_history_transcript_reads_alike_from_tab_separated_csv_and_ods() -> None:
    columns = TranscriptColumns(text="TRANSCRIPT", speaker="SPEAKER", time="TIMECODE")
    from_csv = transcript_table_document(external("transcripts/ohd_transcript_de_tsv.csv"), columns)
    from_ods = transcript_table_document(external("transcripts/ohd_transcript_de.ods"), columns)
    # The same 15 turns; the tab-separated copy adds three rows without a speaker: lines of no turn.
    assert from_csv.turns == from_ods.turns and len(from_ods.turns) == 15
    assert from_csv.text.startswith(from_ods.text + "\n")
    assert from_csv.text[len(from_ods.text) + 1:].split("\n") == [
        "[00:02:56] Auch ohne Sprecherkürzel", "[00:03:56] sollte es funktionieren", "[00:04:56] Hier steht ein Text ohne Sprecherkürzel.",
    ]
    assert {t.speaker for t in from_ods.turns} == {"INT", "AB"}
    assert from_ods.text.startswith("[00:00:05] INT: Heute ist Montag der 5. Oktober 2020")
