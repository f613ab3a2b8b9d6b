"""A researcher exports every coded passage with respondent, question and code path, and filters it in a spreadsheet."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from workbench.core.codebook import codebook
from workbench.core.codings import add_coding, coded_segments
from workbench.core.corpus import add_document, get_document
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.quotes import QUOTE_COLUMNS, quote_rows
from workbench.core.store import Store
from workbench.errors import CodebookError
from workbench.exporters import ExportError, write_quotes


def test_every_coded_passage_is_one_row_with_the_passage_as_coded(demo: Store) -> None:
    rows = quote_rows(demo)
    assert len(rows) == len(coded_segments(demo)) > 0
    assert all(tuple(row) == QUOTE_COLUMNS for row in rows)
    assert [(row["document"], int(row["start"])) for row in rows] == sorted((row["document"], int(row["start"])) for row in rows)
    texts = {row["document"]: get_document(demo, row["document"]).text for row in rows}
    for row in rows:
        assert row["text"] == texts[row["document"]][int(row["start"]) : int(row["end"])]


def test_respondent_columns_come_from_the_case_behind_the_document(demo: Store) -> None:
    rows = quote_rows(demo)
    employee = next(row for row in rows if row["document"] == "vragenlijst_medewerker_01")
    who = (employee["respondent"], employee["respondent_group"], employee["function"], employee["wave"])
    assert who == ("M01", "medewerkers", "ZBIW-er", "T1")
    participant = next(row for row in rows if row["document"] == "interview_deelnemer_01")
    assert (participant["respondent"], participant["respondent_group"], participant["function"]) == ("D01", "deelnemers", "")


def test_the_code_path_splits_into_dimension_theme_and_code(demo: Store) -> None:
    book = codebook(demo)
    rows = quote_rows(demo)
    for row in rows:
        path = book.path(row["code_id"])
        assert (row["dimension"], row["theme"]) == (path[0], path[1] if len(path) > 1 else "")
        assert row["code"] == " / ".join(path[2:])
    collegiality = next(row for row in rows if row["code_id"] == "succesfactoren-team-collegialiteit")
    assert (collegiality["dimension"], collegiality["theme"]) == ("Succesfactoren", "M.b.t. team")
    assert collegiality["code"].startswith("Collegialiteit/samenwerking met collega’s")
    theme_level = [row for row in rows if len(book.path(row["code_id"])) == 2]
    assert theme_level and all(row["code"] == "" and row["theme"] for row in theme_level)


def test_quotes_can_be_narrowed_to_one_coder_and_to_a_theme_with_its_codes(demo: Store) -> None:
    everything = quote_rows(demo)
    coders = {row["coder"] for row in everything}
    assert len(coders) > 1
    for coder in coders:
        assert quote_rows(demo, coder=coder) == [row for row in everything if row["coder"] == coder]
    team = quote_rows(demo, code_ids=["succesfactoren-team"])
    assert team and all(row["code_id"].startswith("succesfactoren-team") for row in team)
    assert quote_rows(demo, code_ids=["succesfactoren"]) == [row for row in everything if row["dimension"] == "Succesfactoren"]
    with pytest.raises(CodebookError, match="succesfactoren-tem"):
        quote_rows(demo, code_ids=["succesfactoren-tem"])


def test_a_questionnaire_answer_carries_its_question_and_its_own_wave(store: Store) -> None:
    answer = "Het contact met het personeel, je wordt hier gezien."
    add_document(
        store, name="vragenlijst/R07/q2", text=answer, kind=DocumentKind.QUESTIONNAIRE_ANSWER, actor="junior",
        case_id="R07", case_attributes=CaseAttributes(respondent_group="deelnemers", wave="T1"),
        attributes={"question": "Wat helpt jou bij Huis van Herstel?", "wave": "T2"},
    )
    end = len("Het contact met het personeel")
    add_coding(store, document="vragenlijst/R07/q2", start=0, end=end, code_id="contact", coder="junior", memo="kern")
    (row,) = quote_rows(store)
    assert row["question"] == "Wat helpt jou bij Huis van Herstel?"
    assert (row["respondent"], row["respondent_group"], row["wave"]) == ("R07", "deelnemers", "T2")
    assert (row["dimension"], row["theme"], row["code"], row["text"], row["memo"]) == (
        "Succesfactoren", "M.b.t. contact met personeel", "", "Het contact met het personeel", "kern",
    )


def test_quotes_round_trip_through_csv(demo: Store, tmp_path: Path) -> None:
    rows = quote_rows(demo)
    written = write_quotes(rows, tmp_path / "citaten.csv", "csv")
    with written.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == QUOTE_COLUMNS
        assert list(reader) == rows


def test_quotes_in_excel_have_a_frozen_filterable_header_and_the_same_rows(demo: Store, tmp_path: Path) -> None:
    rows = quote_rows(demo)
    written = write_quotes(rows, tmp_path / "citaten.xlsx", "xlsx")
    sheet = load_workbook(written).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert tuple(values[0]) == QUOTE_COLUMNS
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:O{len(rows) + 1}"
    reread = [{name: "" if value is None else str(value) for name, value in zip(QUOTE_COLUMNS, line, strict=True)} for line in values[1:]]
    assert reread == rows
    assert all(isinstance(line[QUOTE_COLUMNS.index("start")], int) for line in values[1:]), "offsets sort as numbers"


def test_quotes_in_an_unsupported_format_or_missing_folder_are_one_line_errors(demo: Store, tmp_path: Path) -> None:
    rows = quote_rows(demo)
    with pytest.raises(ExportError, match=r"citaten\.docx: quotes cannot be exported as 'docx'"):
        write_quotes(rows, tmp_path / "citaten.docx", "docx")
    missing = tmp_path / "weg" / "citaten.xlsx"
    with pytest.raises(ExportError, match="does not exist"):
        write_quotes(rows, missing, "xlsx")
    assert not missing.parent.exists()


def test_the_quotes_workbook_keeps_its_layout_and_every_passage_as_typed(tmp_path: Path) -> None:
    passages = ["  Ja & nee <echt>\r\nregel twee  ", "tab\there", "x" * 40_000, "weg\x01teken", "' quote \"dubbel\""]
    rows = [
        {"document": f"doc {i}", "start": str(i * 10), "end": str(i * 10 + 5), "text": text, "memo": "m" * 100, "Wijk": "Noord"}
        for i, text in enumerate(passages)
    ]
    columns = ("document", "Wijk", "start", "end", "text", "memo")
    written = write_quotes(rows, tmp_path / "citaten.xlsx", "xlsx", columns=columns)
    sheet = load_workbook(written).active
    assert sheet.title == "Quotes"
    texts = [row[4].value for row in sheet.iter_rows(min_row=2)]
    # Line breaks, spaces at either end, "&" and "<" as typed; what XML cannot hold goes; Excel's cell limit holds.
    assert texts == [passages[0], passages[1], "x" * 32767, "wegteken", passages[4]]
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == [0, 10, 20, 30, 40]
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    # Narrow columns fit their longest value (at least 6 wide), text and memo are capped and wrap.
    assert widths == {"A": 10, "B": 8, "C": 8, "D": 8, "E": 82, "F": 42}
    assert sheet["E2"].alignment.wrap_text and sheet["F2"].alignment.wrap_text and not sheet["A2"].alignment.wrap_text
    assert all(cell.alignment.vertical == "top" for cell in sheet[2])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F6"
