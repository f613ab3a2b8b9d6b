"""Quotes carry every attribute the researcher imported (Wijk) and can leave out the speaker label for the report."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import run_cli
from workbench.core.quotes import QUOTE_COLUMNS

INTERVIEW = "Interviewer: Wat helpt je?\nDeelnemer: Het contact met mijn mentor helpt echt.\n"
ANSWERS = "id,Wijk,Wat gaat goed?\nR1,Noord,Het team is stabiel.\nR2,Zuid,Goed contact.\n"


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "p"
    (tmp_path / "interview.txt").write_text(INTERVIEW, encoding="utf-8")
    (tmp_path / "v.csv").write_text(ANSWERS, encoding="utf-8")
    run_cli("new", project)
    run_cli("codebook", project, "add", "contact", "--name", "Contact")
    run_cli("import", project, tmp_path / "interview.txt")
    run_cli("import", project, tmp_path / "v.csv", "--kind", "questionnaire answer", "--id-column", "id", "--attribute", "Wijk=wijk")
    turn = INTERVIEW.index("Deelnemer:")
    for document, start, end in (("interview", turn, len(INTERVIEW) - 1), ("v/R2/q1", 0, len("Goed contact."))):
        run_cli("code", project, "--document", document, "--start", str(start), "--end", str(end), "--code", "contact", "--coder", "junior")
    return project


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:  # the export starts with a BOM, for Excel
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or ()), list(reader)


def test_quotes_have_a_column_for_an_imported_attribute(tmp_path: Path) -> None:
    project = _project(tmp_path)
    out = tmp_path / "citaten.csv"
    run_cli("quotes", project, "--out", out)

    header, rows = _rows(out)

    at = QUOTE_COLUMNS.index("question") + 1
    assert header == [*QUOTE_COLUMNS[:at], "wijk", *QUOTE_COLUMNS[at:]]
    assert {row["document"]: row["wijk"] for row in rows} == {"interview": "", "v/R2/q1": "Zuid"}
    assert {row["document"]: row["text"] for row in rows}["interview"].startswith("Deelnemer: Het contact")


def test_strip_speaker_leaves_the_words_without_the_label(tmp_path: Path) -> None:
    project = _project(tmp_path)
    out = tmp_path / "citaten.csv"
    run_cli("quotes", project, "--out", out, "--strip-speaker")

    _, rows = _rows(out)

    assert {row["document"]: row["text"] for row in rows} == {
        "interview": "Het contact met mijn mentor helpt echt.", "v/R2/q1": "Goed contact.",
    }
