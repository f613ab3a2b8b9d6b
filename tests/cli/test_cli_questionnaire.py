"""A researcher imports a staff questionnaire spreadsheet and a case-attribute sheet from the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from tests.conftest import run_cli
from tests.shared_files import external
from workbench.core.corpus import cases, document_summaries, get_document
from workbench.core.store import Store

GOED = "Wat gaat echt goed in Huis van Herstel?"
LASTIG = "Wat maakt het werk lastig?"


def _sheet(tmp_path: Path) -> Path:
    path = tmp_path / "vragenlijst_T1.xlsx"
    pd.DataFrame(
        {
            "Respondent": ["M01", "M02", "M03"],
            "Functie": ["ZBIW-er", "Casemanager (senior en back-office)", "Verpleegkundige"],
            GOED: ["Het team staat “voor elkaar” klaar.", "Kleinschaligheid.", ""],
            LASTIG: ["Te weinig deelnemers.", "Ja.", "Ja."],
        }
    ).to_excel(path, index=False, engine="openpyxl")
    return path


def test_researcher_imports_a_questionnaire_and_each_answer_becomes_a_unit_of_its_respondent(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    result = run_cli("import", project, _sheet(tmp_path), "--id-column", "Respondent", "--attribute", "Functie=function", "--wave", "T1")
    assert "5 answers of 3 respondents" in result.stdout.decode()

    with Store.open(project) as store:
        names = [d.name for d in document_summaries(store)]
        assert len(names) == 5  # M03 left one question empty; identical "Ja." answers are both kept
        answer = get_document(store, "vragenlijst_T1/M01/q1")
        assert answer.text == "Het team staat “voor elkaar” klaar."
        assert answer.case_id == "M01" and answer.attributes["question"] == GOED
        by_id = {c.id: c.attributes for c in cases(store)}
        assert by_id["M02"].function == "Casemanager (senior en back-office)" and by_id["M02"].wave == "T1"

    again = run_cli("import", project, _sheet(tmp_path), "--id-column", "Respondent", check=False)
    assert again.returncode == 0 and "skipped" in again.stdout.decode()


def test_a_questionnaire_with_a_wrong_column_is_refused_in_one_line_and_nothing_is_stored(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    result = run_cli("import", project, _sheet(tmp_path), "--id-column", "Respondentnummer", check=False)
    err = result.stderr.decode()
    assert result.returncode == 1 and err.count("\n") == 1
    assert "vragenlijst_T1.xlsx" in err and "Respondentnummer" in err
    assert "documents:        0" in run_cli("status", project).stdout.decode()


def test_case_attributes_come_from_their_own_sheet(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    sheet = tmp_path / "cases.csv"
    sheet.write_text("case,groep,functie,meting,leeftijd\nD01,deelnemers,,T1,24\n", encoding="utf-8")
    assert "attributes of 1 cases" in run_cli("cases", project, sheet, "--id-column", "case").stdout.decode()
    with Store.open(project) as store:
        (case,) = cases(store)
    assert (case.id, case.attributes.respondent_group, case.attributes.wave) == ("D01", "deelnemers", "T1")
    assert dict(case.attributes.extra) == {"leeftijd": "24"}


def test_transcripts_are_linked_to_their_respondents_by_the_case_sheet(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    for number in (1, 2):
        (tmp_path / f"interview_0{number}.txt").write_text(f"I: Hoe gaat het?\nR: Goed, dank je ({number}).\n", encoding="utf-8")
    run_cli("import", project, tmp_path / "interview_01.txt", tmp_path / "interview_02.txt")
    sheet = tmp_path / "deelnemers.csv"
    sheet.write_text("case;groep;meting;transcript\nD01;deelnemers;T1;interview_01.txt\nD02;deelnemers;T1;interview_02\n", encoding="utf-8")
    out = run_cli("cases", project, sheet, "--id-column", "case", "--document-column", "transcript").stdout.decode()
    assert "linked 2 documents" in out
    with Store.open(project) as store:
        assert {d.name: d.case_id for d in document_summaries(store)} == {"interview_01": "D01", "interview_02": "D02"}
        assert {c.id: dict(c.attributes.extra) for c in cases(store)} == {"D01": {}, "D02": {}}  # 'transcript' is no attribute

    sheet.write_text("case;transcript\nD03;interview_3\n", encoding="utf-8")
    bad = run_cli("cases", project, sheet, "--id-column", "case", "--document-column", "transcript", "--strict", check=False)
    assert bad.returncode == 1
    assert f"{sheet}: case 'D03' names document 'interview_3', which is not in the project (did you mean" in bad.stderr.decode()
    with Store.open(project) as store:
        assert [c.id for c in cases(store)] == ["D01", "D02"]  # the refused sheet added nothing


def test_researcher_imports_a_qualtrics_export_without_an_id_column_and_is_told_how_respondents_are_named(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    sheet = tmp_path / "enquete.csv"
    sheet.write_text(
        'StartDate,ResponseId,Q1\r\nStart Date,Response ID,Wat helpt jou?\r\n'
        '"{""ImportId"":""startDate""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1_TEXT""}"\r\n'
        "2024-03-01,R_1abcdefghijklmn,Het team.\r\n2024-03-02,R_2abcdefghijklmn,De rust.\r\n",
        encoding="utf-8",
    )
    out = run_cli("import", project, sheet).stdout.decode()
    assert out == (
        f"imported {sheet}: 2 answers of 2 respondents;"
        " Qualtrics export: 2 rows below the header skipped as header rows, question texts kept;"
        " no --id-column: respondents are named by row number ('enquete row N')\n"
    )
    with Store.open(project) as store:
        answer = get_document(store, "enquete/row 4/Q1")
    assert (answer.text, answer.case_id, answer.attributes["question"]) == ("Het team.", "enquete row 4", "Wat helpt jou?")


def test_skip_rows_from_the_command_line(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    sheet = tmp_path / "lijst.csv"
    sheet.write_text("Nr;Vraag\r\n(toelichting);(open vraag)\r\nR1;Goed.\r\n", encoding="utf-8")
    out = run_cli("import", project, sheet, "--id-column", "Nr", "--skip-rows", "1").stdout.decode()
    assert out == f"imported {sheet}: 1 answers of 1 respondents; 1 row below the header skipped\n"


def test_a_case_sheet_naming_transcripts_not_yet_imported_links_the_rest_and_lists_the_missing(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    (tmp_path / "interview_01.txt").write_text("I: Hoe gaat het?\nR: Goed.\n", encoding="utf-8")
    run_cli("import", project, tmp_path / "interview_01.txt")
    sheet = tmp_path / "deelnemers.csv"
    rows = ["D01;interview_01.docx"] + [f"D{n:02};interview_{n:02}" for n in range(2, 10)]
    sheet.write_text("case;transcript\n" + "\n".join(rows) + "\n", encoding="utf-8")

    result = run_cli("cases", project, sheet, "--id-column", "case", "--document-column", "transcript")

    assert result.returncode == 0
    assert result.stdout.decode() == f"imported attributes of 9 cases from {sheet}, linked 1 documents\n"
    assert result.stderr.decode() == (
        f"workbench: warning: {sheet}: 8 named documents not in the project, not linked: 'interview_02' (case 'D02'), "
        "'interview_03' (case 'D03'), 'interview_04' (case 'D04'), 'interview_05' (case 'D05'), 'interview_06' (case 'D06') and 3 more\n"
    )
    with Store.open(project) as store:
        assert {d.name: d.case_id for d in document_summaries(store)} == {"interview_01": "D01"}
        assert len(cases(store)) == 9
        assert store.actions()[-1].summary == "imported case attributes from deelnemers.csv (8 named documents not found)"


def test_shared_facesheet_links_the_two_interviews_there_are_and_names_the_thirteen_missing(tmp_path: Path) -> None:
    facesheet = external("cases/sheffield_facesheet.xlsx")
    project = tmp_path / "proj"
    run_cli("new", project)
    # The facesheet names transcripts by first name; the shared copies carry their source's prefix.
    for source, name in (("transcripts/sheffield_Ana.txt", "Ana.txt"), ("transcripts/sheffield_Lisa.docx", "Lisa.docx")):
        shutil.copyfile(external(source), tmp_path / name)
    run_cli("import", project, tmp_path / "Ana.txt", tmp_path / "Lisa.docx")

    result = run_cli("cases", project, facesheet, "--id-column", "SurveyRespondentID", "--document-column", "TranscriptName")

    assert result.stdout.decode() == f"imported attributes of 15 cases from {facesheet}, linked 2 documents\n"
    warning = result.stderr.decode()
    assert warning.startswith(f"workbench: warning: {facesheet}: 13 named documents not in the project, not linked: 'Jessica' (case ")
    assert warning.endswith(" and 8 more\n") and warning.count("\n") == 1
    with Store.open(project) as store:
        linked = {d.name: d.case_id for d in document_summaries(store)}
        by_id = {c.id: c.attributes for c in cases(store)}
    assert linked == {"Ana": "815U3321N28865LI", "Lisa": "522U1533H45596DC"}
    assert by_id["815U3321N28865LI"].extra["RealNameOrPseudonym"] == "Psedudonym"  # sic, as the sheet spells it
    assert by_id["522U1533H45596DC"].extra["InterviewDate"] == "2023-03-14"
    strict = run_cli("cases", project, facesheet, "--id-column", "SurveyRespondentID", "--document-column", "TranscriptName", "--strict",
                     check=False)
    assert strict.returncode == 1 and "names document 'Jessica', which is not in the project" in strict.stderr.decode()
