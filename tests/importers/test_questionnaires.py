"""Staff questionnaires from spreadsheets: every answer its own unit, linked to its respondent, imported whole or not at all."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import table_rows
from tests.shared_files import external
from workbench.core.batch import NewDocument, add_cases, add_documents
from workbench.core.corpus import cases, document_summaries, get_document
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.store import Store
from workbench.errors import ImportError_
from workbench.importers import _tabular
from workbench.importers._tabular import ColumnMapping, case_attribute_rows, questionnaire_documents, read_table

GOED = "Wat gaat echt goed in Huis van Herstel?"
BETER = "Wat kan beter, en hoe?"
STAFF = {
    "Respondent": ["R01", "R02", "R03"],
    "Functie": ["Begeleider", "Teamleider", "Begeleider"],
    "Groep": ["medewerkers", "leidinggevenden", "medewerkers"],
    "Locatie": ["Zwolle", "Deventer", ""],
    GOED: ["Het “echte” contact met bewoners; je wordt gezien.", "Ja.", "Ja."],
    BETER: ["Meer tijd voor overleg, ’s avonds vooral.\nEn scholing — ook voor nieuwe collega’s.", "  ", "Ideeën ophalen bij cliënten."],
}
MAPPING = ColumnMapping(
    id_column="Respondent",
    attribute_columns={"Functie": "function", "Groep": "respondent_group", "Locatie": "locatie"},
)


def _xlsx(path: Path, columns: dict[str, list[str]]) -> Path:
    pd.DataFrame(columns).to_excel(path, index=False, engine="openpyxl")
    return path


def _import(store: Store, path: Path, mapping: ColumnMapping = MAPPING, **options: str) -> list[int]:
    documents = questionnaire_documents(path, mapping, **options)
    return add_documents(store, documents, actor="junior", summary=f"imported questionnaire {path.name}")


def _answers(store: Store) -> dict[str, str]:
    return {s.name: get_document(store, s.name).text for s in document_summaries(store) if s.kind is DocumentKind.QUESTIONNAIRE_ANSWER}


def test_staff_questionnaire_xlsx_becomes_one_unit_per_answer_linked_to_its_respondent(store: Store, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "personeel_T1.xlsx", STAFF)
    actions_before = len(store.actions())

    ids = _import(store, path, wave="T1")

    assert _answers(store) == {
        "personeel_T1/R01/q1": "Het “echte” contact met bewoners; je wordt gezien.",
        "personeel_T1/R01/q2": "Meer tijd voor overleg, ’s avonds vooral.\nEn scholing — ook voor nieuwe collega’s.",
        "personeel_T1/R02/q1": "Ja.",
        "personeel_T1/R03/q1": "Ja.",
        "personeel_T1/R03/q2": "Ideeën ophalen bij cliënten.",
    }  # R02 left "Wat kan beter" blank (only spaces): no unit for it
    assert len(ids) == 5
    answer = get_document(store, "personeel_T1/R01/q2")
    assert answer.kind is DocumentKind.QUESTIONNAIRE_ANSWER and answer.case_id == "R01" and answer.source == str(path)
    assert dict(answer.attributes) == {"question": BETER, "question_id": "q2", "source_row": "2", "wave": "T1"}
    assert {c.id: c.attributes for c in cases(store)} == {
        "R01": CaseAttributes(respondent_group="medewerkers", function="Begeleider", wave="T1", extra={"locatie": "Zwolle"}),
        "R02": CaseAttributes(respondent_group="leidinggevenden", function="Teamleider", wave="T1", extra={"locatie": "Deventer"}),
        "R03": CaseAttributes(respondent_group="medewerkers", function="Begeleider", wave="T1"),
    }
    (action,) = store.actions()[actions_before:]
    assert (action.kind, action.summary, action.undoable) == ("import", "imported questionnaire personeel_T1.xlsx", True)


def test_two_respondents_with_the_same_short_answer_are_both_imported(store: Store, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "kort.xlsx", {"Respondent": ["R01", "R02"], GOED: ["Ja.", "Ja."]})
    _import(store, path, ColumnMapping(id_column="Respondent"))
    assert _answers(store) == {"kort/R01/q1": "Ja.", "kort/R02/q1": "Ja."}
    assert [s.case_id for s in document_summaries(store) if s.name.startswith("kort/")] == ["R01", "R02"]


def test_whole_questionnaire_is_one_undoable_action(store: Store, tmp_path: Path) -> None:
    before = table_rows(store)
    _import(store, _xlsx(tmp_path / "personeel.xlsx", STAFF))
    store.undo("junior")
    assert {k: v for k, v in table_rows(store).items() if k != "actions"} == {k: v for k, v in before.items() if k != "actions"}


@pytest.mark.backends
def test_the_next_wave_sets_every_respondents_wave_in_one_action_that_undoes_and_redoes(store: Store, tmp_path: Path) -> None:
    _import(store, _xlsx(tmp_path / "personeel_T1.xlsx", STAFF), wave="T1")
    second = {**STAFF, "Functie": ["Teamleider", "Teamleider", "Begeleider"]}  # R01 was promoted meanwhile
    first_wave = {c.id: c.attributes for c in cases(store)}

    _import(store, _xlsx(tmp_path / "personeel_T2.xlsx", second), wave="T2")
    second_wave = {c.id: c.attributes for c in cases(store)}
    store.undo("junior")
    undone = {c.id: c.attributes for c in cases(store)}
    store.redo("junior")

    assert {case_id: a.wave for case_id, a in second_wave.items()} == {"R01": "T2", "R02": "T2", "R03": "T2"}
    assert second_wave["R01"].function == "Teamleider" and second_wave["R02"] == replace(first_wave["R02"], wave="T2")
    assert undone == first_wave
    assert {c.id: c.attributes for c in cases(store)} == second_wave
    assert store.actions()[-3].summary == "imported questionnaire personeel_T2.xlsx"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1252", ";"), ("utf-8-sig", ","), ("utf-8", "\t"), ("utf-16", "\t")],
    ids=["excel-nl-cp1252-semicolon", "csv-utf8-bom-comma", "utf8-tab", "excel-unicode-text"],
)
def test_csv_from_any_spreadsheet_program_round_trips_exactly(store: Store, tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = tmp_path / "enquête.csv"
    # Answers full of the other delimiters and quotes: the delimiter must come from the sheet, not a guess.
    pd.DataFrame(STAFF).to_csv(path, sep=delimiter, index=False, encoding=encoding)

    _import(store, path, wave="T2")

    assert _answers(store) == {
        "enquête/R01/q1": "Het “echte” contact met bewoners; je wordt gezien.",
        "enquête/R01/q2": "Meer tijd voor overleg, ’s avonds vooral.\nEn scholing — ook voor nieuwe collega’s.",
        "enquête/R02/q1": "Ja.",
        "enquête/R03/q1": "Ja.",
        "enquête/R03/q2": "Ideeën ophalen bij cliënten.",
    }
    assert get_document(store, "enquête/R02/q1").attributes["question"] == GOED
    assert get_document(store, "enquête/R01/q2").attributes["question"] == BETER


def test_cells_stay_text_and_rows_keep_the_numbers_the_spreadsheet_shows(tmp_path: Path) -> None:
    path = tmp_path / "ruw.csv"
    path.write_text('Respondent,Functie,Vraag\r\n0012,NA,"twee\r\nregels"\r\n\r\nR07,,  spaties rond  \r\n', encoding="utf-8")
    table = read_table(path)
    assert list(table.columns) == ["Respondent", "Functie", "Vraag"]
    assert list(table.index) == [2, 4]  # row 3 is blank
    assert table.loc[2].tolist() == ["0012", "NA", "twee\r\nregels"]
    documents = questionnaire_documents(path, ColumnMapping(id_column="Respondent", attribute_columns={"Functie": "function"}))
    assert [(d.name, d.text, d.attributes["source_row"], d.case_attributes) for d in documents] == [
        ("ruw/0012/q1", "twee\r\nregels", "2", CaseAttributes(function="NA")),
        ("ruw/R07/q1", "  spaties rond  ", "4", CaseAttributes()),
    ]


def test_numbers_and_dates_in_xlsx_read_as_the_spreadsheet_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "getallen.xlsx"
    pd.DataFrame({"Nr": [17, 18], "Jaren in dienst": [3.0, 2.5], "Vraag": ["Goed.", "Prima."]}).to_excel(path, index=False)
    documents = questionnaire_documents(path, ColumnMapping(id_column="Nr", attribute_columns={"Jaren in dienst": "jaren"}))
    assert [(d.case_id, dict(d.case_attributes.extra) if d.case_attributes else None) for d in documents] == [
        ("17", {"jaren": "3"}),
        ("18", {"jaren": "2.5"}),
    ]


def test_researcher_picks_question_columns_and_their_short_ids(store: Store, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "personeel.xlsx", STAFF)
    mapping = ColumnMapping(
        id_column="respondent",  # capitals may differ from the header
        attribute_columns={"Functie": "function"},
        question_columns=(BETER,),
        question_ids={BETER: "verbeteren"},
    )
    _import(store, path, mapping)
    assert sorted(_answers(store)) == ["personeel/R01/verbeteren", "personeel/R03/verbeteren"]
    assert {c.id: c.attributes for c in cases(store)}["R01"] == CaseAttributes(function="Begeleider")


def test_default_question_ids_follow_the_sheet_whatever_order_they_were_chosen_in(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "personeel.xlsx", STAFF)
    mapping = ColumnMapping(id_column="Respondent", question_columns=(BETER, GOED))
    documents = questionnaire_documents(path, mapping)
    assert {d.attributes["question"]: d.attributes["question_id"] for d in documents} == {GOED: "q1", BETER: "q2"}


def test_reimporting_the_same_sheet_is_refused_and_nothing_duplicates(store: Store, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "personeel.xlsx", STAFF)
    _import(store, path)
    before = table_rows(store)
    with pytest.raises(ImportError_) as refused:
        _import(store, path)
    assert str(refused.value) == f"{path}: already imported (a document named 'personeel/R01/q1' is in the project)"
    assert table_rows(store) == before


def test_one_clashing_answer_keeps_the_whole_sheet_out(store: Store, tmp_path: Path) -> None:
    before = table_rows(store)
    documents = [
        NewDocument(name="vragenlijst/R01/q1", text="Goed.", kind=DocumentKind.QUESTIONNAIRE_ANSWER, source="v.csv", case_id="R01"),
        NewDocument(name="vragenlijst/R02/q1", text="I: Wat helpt jou hier?\nR: Het contact met het personeel. Hier word je echt gezien.\n",
                    kind=DocumentKind.QUESTIONNAIRE_ANSWER, source="v.csv", case_id="R02"),
    ]
    with pytest.raises(ImportError_) as refused:
        add_documents(store, documents, actor="junior", summary="imported v.csv")
    assert str(refused.value) == "v.csv: already imported ('vragenlijst/R02/q1' has the same content as 'interview_01' in the project)"
    assert table_rows(store) == before


@pytest.mark.parametrize(
    ("documents", "message"),
    [
        (
            [
                NewDocument(name="a", text="Ja.", kind=DocumentKind.NOTES, source="s.csv"),
                NewDocument(name="a", text="Nee.", kind=DocumentKind.NOTES, source="s.csv"),
            ],
            "s.csv: two documents named 'a' in one import",
        ),
        (
            [
                NewDocument(name="a", text="Ja.", kind=DocumentKind.NOTES, source="s.csv"),
                NewDocument(name="b", text="Ja.", kind=DocumentKind.NOTES, source="s.csv"),
            ],
            "s.csv: 'b' has the same content as 'a' in the same import",
        ),
        (
            [NewDocument(name="a", text=" \n", kind=DocumentKind.NOTES, source="s.csv")],
            "s.csv: 'a' is empty, nothing to import",
        ),
        (
            [
                NewDocument(
                    name="a", text="Ja.", kind=DocumentKind.NOTES, source="s.csv", case_id="R1",
                    case_attributes=CaseAttributes(function="x"),
                ),
                NewDocument(
                    name="b", text="Nee.", kind=DocumentKind.NOTES, source="s.csv", case_id="R1",
                    case_attributes=CaseAttributes(function="y"),
                ),
            ],
            "s.csv: case 'R1' has different attributes in 'a' and 'b'",
        ),
    ],
    ids=["same-name", "same-content", "empty", "case-disagrees"],
)
def test_a_batch_that_contradicts_itself_is_refused_whole(store: Store, documents: list[NewDocument], message: str) -> None:
    before = table_rows(store)
    with pytest.raises(ImportError_) as refused:
        add_documents(store, documents, actor="junior", summary="batch")
    assert str(refused.value) == message
    assert table_rows(store) == before


def _write(path: Path, content: bytes | dict[str, list[str]]) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif path.suffix == ".xlsx":
        _xlsx(path, content)
    else:
        pd.DataFrame(content).to_csv(path, index=False)
    return path


COLUMNS = "'Respondent', 'Functie', 'Groep', 'Locatie', 'Wat gaat echt goed in Huis van Herstel?', 'Wat kan beter, en hoe?'"


BAD_FILES = [
    ("rol.xlsx", STAFF, ColumnMapping("Respondent", {"Rol": "function"}),
     f"no column 'Rol' (columns: {COLUMNS})"),
    ("vraag_weg.xlsx", STAFF, ColumnMapping("Respondent", question_columns=("Wat vind je van de scholing?",)),
     f"no column 'Wat vind je van de scholing?' (columns: {COLUMNS})"),
    ("dubbel.xlsx", {"Respondent": ["R01", "R02", "R01", "R01"], GOED: ["a", "b", "c", "d"]}, ColumnMapping("Respondent"),
     "id 'R01' is in rows 2, 4 and 5; each id needs one row"),
    ("zonder_id.csv", {"Respondent": ["R01", " "], GOED: ["a", "b"]}, ColumnMapping("Respondent"),
     "row 3 has no id (column 'Respondent' is empty)"),
    ("leeg.csv", b"", ColumnMapping("Respondent"), "empty file, nothing to import"),
    ("alleen_kop.csv", b"Respondent;Vraag\r\n", ColumnMapping("Respondent"), "no rows below the header, nothing to import"),
    ("geen_antwoorden.xlsx", {"Respondent": ["R01"], GOED: [" "]}, ColumnMapping("Respondent"),
     f"no answers to import (the question columns {GOED!r} are empty)"),
    ("kapot.xlsx", bytes(range(256)) * 40, ColumnMapping("Respondent"), "not a spreadsheet (cannot open it as an .xlsx workbook)"),
    ("oud.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, ColumnMapping("Respondent"),
     "an old-style or password-protected Excel file; save it as .xlsx without a password"),
    ("foto.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ColumnMapping("Respondent"), "binary file, not a spreadsheet"),
    ("verslag.pdf", b"%PDF-1.4", ColumnMapping("Respondent"),
     "cannot import .pdf as a questionnaire (known formats: .csv, .tsv, .xlsx, .xlsm, .ods)"),
    ("oud.xls", b"\xd0\xcf\x11\xe0", ColumnMapping("Respondent"),
     "cannot import .xls as a questionnaire (known formats: .csv, .tsv, .xlsx, .xlsm, .ods); save it as .xlsx or .csv"),
    ("twee_keer.xlsx", STAFF, ColumnMapping("Respondent", {"Respondent": "function"}),
     "column 'Respondent' is mapped twice (as the respondent id and as attribute 'function')"),
    ("meting.xlsx", {**STAFF, "Meting": ["T1", "T1", "T1"]}, ColumnMapping("Respondent", {"Meting": "wave"}),
     "the wave is given twice (column 'Meting' and 'T1'); give one"),
    ("leeg_blad.csv", b"\r\n;;\r\n", ColumnMapping("Respondent"), "the sheet is empty, nothing to import"),
    ("twee_kolommen.csv", b"Respondent;Toelichting;Toelichting\r\nR01;a;b\r\n", ColumnMapping("Respondent"),
     "two columns are headed 'Toelichting' (columns B and C); give each its own header"),
]


@pytest.mark.parametrize(("name", "content", "mapping", "message"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_bad_questionnaire_gets_one_line_and_the_project_is_unchanged(
    store: Store, tmp_path: Path, name: str, content: bytes | dict[str, list[str]], mapping: ColumnMapping, message: str
) -> None:
    path = _write(tmp_path / name, content)
    before = table_rows(store)
    with pytest.raises(ImportError_) as refused:
        _import(store, path, mapping, wave="T1")
    assert str(refused.value) == f"{path}: {message}"
    assert table_rows(store) == before


def test_a_file_over_the_size_limit_is_refused_before_reading(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_tabular, "MAX_BYTES", 1024 * 1024)
    path = tmp_path / "groot.csv"
    path.write_bytes(b"Respondent,Vraag\n" + b"R,x\n" * 300_000)
    with pytest.raises(ImportError_) as refused:
        read_table(path)
    assert str(refused.value) == f"{path}: file is 1.1 MB, larger than the 1 MB limit for one questionnaire"


def test_a_chosen_sheet_is_read_and_an_unknown_one_is_named(tmp_path: Path) -> None:
    path = tmp_path / "meerdere.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"Toelichting": ["niet deze"]}).to_excel(writer, sheet_name="Uitleg", index=False)
        pd.DataFrame({"Respondent": ["R01"], GOED: ["Het team."]}).to_excel(writer, sheet_name="Antwoorden", index=False)
    (document,) = questionnaire_documents(path, ColumnMapping("Respondent"), sheet="Antwoorden")
    assert document.text == "Het team."
    with pytest.raises(ImportError_) as refused:
        read_table(path, sheet="Blad1")
    assert str(refused.value) == f"{path}: no sheet named 'Blad1' (sheets: 'Uitleg', 'Antwoorden')"


def test_case_attribute_sheet_recognises_dutch_headers_and_keeps_the_rest(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "respondenten.csv"
    pd.DataFrame({"Code": ["R01", "R02"], "Groep": ["medewerkers", "leidinggevenden"], "Functie": ["Begeleider", ""],
                  "Meting": ["T1", "T1"], "Locatie": ["Zwolle", "Deventer"]}).to_csv(path, sep=";", index=False, encoding="cp1252")
    rows = case_attribute_rows(path, "Code")
    assert rows == {
        "R01": CaseAttributes(respondent_group="medewerkers", function="Begeleider", wave="T1", extra={"Locatie": "Zwolle"}),
        "R02": CaseAttributes(respondent_group="leidinggevenden", wave="T1", extra={"Locatie": "Deventer"}),
    }
    assert add_cases(store, rows, actor="junior", summary="imported respondenten.csv").case_count == 2
    assert {c.id: c.attributes for c in cases(store)} == rows


def test_answers_imported_after_the_case_sheet_keep_its_attributes(store: Store, tmp_path: Path) -> None:
    add_cases(store, {"R01": CaseAttributes(respondent_group="medewerkers", extra={"Locatie": "Zwolle"})}, actor="junior", summary="cases")
    _import(store, _xlsx(tmp_path / "kort.xlsx", {"Respondent": ["R01"], "Functie": ["Begeleider"], GOED: ["Ja."]}),
            ColumnMapping("Respondent", {"Functie": "function"}))
    assert {c.id: c.attributes for c in cases(store)}["R01"] == CaseAttributes(
        respondent_group="medewerkers", function="Begeleider", extra={"Locatie": "Zwolle"}
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1).filter(str.strip))
def test_any_answer_in_a_csv_cell_survives_import_exactly(store: Store, tmp_path: Path, answer: str) -> None:
    path = tmp_path / "willekeurig.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows([["Respondent", GOED], ["R01", answer], ["R02", "Ja."]])
    _import(store, path, ColumnMapping("Respondent"))
    assert get_document(store, "willekeurig/R01/q1").text == answer
    store.undo("junior")  # leave room for the next example's answers of the same names


# -- survey-tool exports: extra header rows, no id column, .ods --------------------------------------------------

QUALTRICS = (
    'StartDate,EndDate,Progress,ResponseId,Q1,Q2\r\n'
    'Start Date,End Date,Progress,Response ID,Hoe oud ben je?,"Wat helpt jou hier, en waarom?"\r\n'
    '"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""progress""}",'
    '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1_TEXT""}","{""ImportId"":""QID2_TEXT""}"\r\n'
    '2024-03-01 10:00:00,2024-03-01 10:09:00,100,R_1abcdefghijklmn,34,"Het contact, vooral ’s avonds."\r\n'
    '2024-03-01 11:00:00,2024-03-01 11:05:00,100,R_2abcdefghijklmn,,De mentor.\r\n'
)


def test_researcher_imports_a_qualtrics_export_without_its_header_rows_as_respondents(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "enquete.csv"
    path.write_text(QUALTRICS, encoding="utf-8")

    read = _tabular.read_questionnaire(path, ColumnMapping("ResponseId"))
    add_documents(store, read.documents, actor="junior", summary="q")

    assert (read.tool, read.header_rows, read.respondent_count) == ("Qualtrics", 2, 2)
    # Dates and progress are Qualtrics' own columns, not answers; the question ids are Qualtrics' own.
    assert _answers(store) == {
        "enquete/R_1abcdefghijklmn/Q1": "34",
        "enquete/R_1abcdefghijklmn/Q2": "Het contact, vooral ’s avonds.",
        "enquete/R_2abcdefghijklmn/Q2": "De mentor.",
    }
    answer = get_document(store, "enquete/R_2abcdefghijklmn/Q2")
    assert dict(answer.attributes) == {"question": "Wat helpt jou hier, en waarom?", "question_id": "Q2", "source_row": "5"}


def test_qualtrics_export_without_its_importid_row_is_still_recognised_by_its_response_ids(tmp_path: Path) -> None:
    path = tmp_path / "opgeschoond.xlsx"
    _xlsx(path, {"ResponseId": ["ResponseId", "R_1abcdefghijklmn"], "Q5": ["Wat gaat goed?", "Het team."]})
    read = _tabular.read_questionnaire(path, ColumnMapping())
    (document,) = read.documents
    assert (read.tool, read.header_rows) == ("Qualtrics", 1)
    assert (document.name, document.attributes["question"], document.case_id) == (
        "opgeschoond/row 3/Q5", "Wat gaat goed?", "opgeschoond row 3",
    )


def test_skip_rows_zero_overrules_a_recognised_header_row(tmp_path: Path) -> None:
    path = tmp_path / "eigen_ids.csv"
    path.write_text("ResponseId,Vraag\r\nabc,Eerste antwoord.\r\nR_1abcdefghijklmn,Tweede.\r\n", encoding="utf-8")
    assert _tabular.read_questionnaire(path, ColumnMapping("ResponseId")).header_rows == 1  # read as Qualtrics' question row
    kept = _tabular.read_questionnaire(path, ColumnMapping("ResponseId"), skip_rows=0)
    assert (kept.header_rows, kept.tool, [d.case_id for d in kept.documents]) == (0, None, ["abc", "R_1abcdefghijklmn"])


def test_skip_rows_leaves_out_rows_below_the_header_and_keeps_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "met_toelichting.csv"
    path.write_text("Nr;Vraag\r\n(verplicht);(open vraag)\r\n\r\nR1;Goed.\r\nR2;Prima.\r\n", encoding="utf-8")
    documents = questionnaire_documents(path, ColumnMapping("Nr"), skip_rows=1)
    assert [(d.case_id, d.text, d.attributes["source_row"]) for d in documents] == [("R1", "Goed.", "4"), ("R2", "Prima.", "5")]
    with pytest.raises(ImportError_) as refused:
        questionnaire_documents(path, ColumnMapping("Nr"), skip_rows=3)
    assert str(refused.value) == f"{path}: no rows below the header and the 3 rows skipped below it, nothing to import"
    with pytest.raises(ImportError_) as negative:
        questionnaire_documents(path, ColumnMapping("Nr"), skip_rows=-1)
    assert str(negative.value) == f"{path}: cannot skip -1 rows; give 0 or more"


def test_without_an_id_column_each_row_is_its_own_respondent_named_by_file_and_row(store: Store, tmp_path: Path) -> None:
    first, second = tmp_path / "T1.csv", tmp_path / "T2.csv"
    first.write_text("Vraag\r\nGoed.\r\nPrima.\r\n", encoding="utf-8")
    second.write_text("Vraag\r\nBeter.\r\n", encoding="utf-8")
    read = _tabular.read_questionnaire(first, ColumnMapping())
    assert read.ids_from_rows and read.respondent_count == 2
    add_documents(store, read.documents, actor="junior", summary="T1")
    _import(store, second, ColumnMapping())
    # Row 2 of T1 and row 2 of T2 are different people: never one case.
    assert {s.name: s.case_id for s in document_summaries(store) if s.kind is DocumentKind.QUESTIONNAIRE_ANSWER} == {
        "T1/row 2/q1": "T1 row 2", "T1/row 3/q1": "T1 row 3", "T2/row 2/q1": "T2 row 2",
    }


def test_an_ods_questionnaire_reads_like_the_same_xlsx(tmp_path: Path) -> None:
    xlsx, ods = tmp_path / "personeel.xlsx", tmp_path / "personeel.ods"
    frame = pd.DataFrame({**STAFF, "Jaren": [17, 2.5, 0]})
    frame.to_excel(ods, index=False, engine="odf")
    frame.to_excel(xlsx, index=False, engine="openpyxl")
    assert read_table(ods).equals(read_table(xlsx))
    assert read_table(ods)["Jaren"].tolist() == ["17", "2.5", "0"]
    mapping = ColumnMapping("Respondent", {**MAPPING.attribute_columns, "Jaren": "jaren"})
    from_ods = questionnaire_documents(ods, mapping, wave="T1")
    assert [(d.name, d.text, d.case_attributes) for d in from_ods] == [
        (d.name, d.text, d.case_attributes) for d in questionnaire_documents(xlsx, mapping, wave="T1")
    ]
    assert len(from_ods) == 5


def test_an_ods_sheet_is_chosen_by_name_and_a_damaged_one_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "meerdere.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame({"Toelichting": ["niet deze"]}).to_excel(writer, sheet_name="Uitleg", index=False)
        pd.DataFrame({"Respondent": ["R01"], GOED: ["Het team."]}).to_excel(writer, sheet_name="Antwoorden", index=False)
    (document,) = questionnaire_documents(path, ColumnMapping("Respondent"), sheet="Antwoorden")
    assert document.text == "Het team."
    with pytest.raises(ImportError_) as unknown:
        read_table(path, sheet="Blad1")
    assert str(unknown.value) == f"{path}: no sheet named 'Blad1' (sheets: 'Uitleg', 'Antwoorden')"
    damaged = tmp_path / "kapot.ods"
    damaged.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    with pytest.raises(ImportError_) as refused:
        read_table(damaged)
    assert str(refused.value) == f"{damaged}: not a spreadsheet (cannot open it as an .ods workbook)"


def test_shared_qualtrics_export_gives_one_respondent_with_question_texts_as_labels(store: Store) -> None:
    path = external("surveys/qualtrics_sample_3header.csv")
    read = _tabular.read_questionnaire(path, ColumnMapping())
    assert (read.tool, read.header_rows, read.respondent_count, read.ids_from_rows) == ("Qualtrics", 2, 1, True)
    answers = {d.attributes["question_id"]: (d.text, d.attributes["question"]) for d in read.documents}
    assert answers == {"Q1": ("2", "This is a multiple choice question."), "Q2": ("Hello World!", "This is a free text question.")}
    by_response_id = _tabular.read_questionnaire(path, ColumnMapping("ResponseId"))
    assert {d.case_id for d in by_response_id.documents} == {"R_2YPOQ602ER1jkf1"}


def test_shared_qualtrics_responses_without_importid_row_import_every_respondent_once() -> None:
    path = external("surveys/gwusec_qualitative_responses_Q3_Q5.xlsx")
    read = _tabular.read_questionnaire(path, ColumnMapping())
    assert (read.tool, read.header_rows, read.respondent_count) == ("Qualtrics", 1, 125)
    assert {d.attributes["question_id"] for d in read.documents} == {"Q3", "Q5"}
    assert all(d.text != "ResponseId" and not d.attributes["question"].startswith("Q") for d in read.documents)
    # The export repeats one response id: by that column it is refused with both rows named.
    with pytest.raises(ImportError_, match=r"id 'R_2qgbEu23HZIOAqU' is in rows 33 and 102"):
        _tabular.read_questionnaire(path, ColumnMapping("ResponseId"))


@pytest.mark.parametrize(("name", "id_column"), [("qualcoder_survey456.csv", "Case"), ("qualcoder_old_survey.csv", "case")])
def test_shared_plain_surveys_keep_their_single_header_row(name: str, id_column: str) -> None:
    read = _tabular.read_questionnaire(external(f"surveys/{name}"), ColumnMapping(id_column))
    assert (read.tool, read.header_rows, read.respondent_count) == (None, 0, 3)
    assert {d.case_id for d in read.documents} == {"ID4", "ID5", "ID6"}


def test_case_attributes_read_from_an_ods_sheet(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "respondenten.ods"
    pd.DataFrame({"Code": ["R01", "R02"], "Groep": ["medewerkers", "leidinggevenden"], "Leeftijd": [34, 51]}).to_excel(
        path, index=False, engine="odf"
    )
    assert case_attribute_rows(path, "Code") == {
        "R01": CaseAttributes(respondent_group="medewerkers", extra={"Leeftijd": "34"}),
        "R02": CaseAttributes(respondent_group="leidinggevenden", extra={"Leeftijd": "51"}),
    }
