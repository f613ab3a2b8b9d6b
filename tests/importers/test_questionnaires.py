"""Staff questionnaires from spreadsheets: every answer its own unit, linked to its respondent, imported whole or not at all."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import table_rows
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
     "cannot import .pdf as a questionnaire (known formats: .csv, .tsv, .xlsx, .xlsm)"),
    ("oud.xls", b"\xd0\xcf\x11\xe0", ColumnMapping("Respondent"),
     "cannot import .xls as a questionnaire (known formats: .csv, .tsv, .xlsx, .xlsm); save it as .xlsx or .csv"),
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
    assert add_cases(store, rows, actor="junior", summary="imported respondenten.csv") == 2
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
