"""Two different interviews with the same file name in two folders are both imported; the same interview twice is not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.shared_files import external
from workbench.core.corpus import document_summaries, get_document
from workbench.core.store import Store
from workbench.importers import import_files

FIRST = "I: Wat helpt jou hier?\nR: Het contact met het personeel.\n"
SECOND = "I: Wat helpt jou hier?\nR: De rust op de afdeling.\n"


def _interview(folder: Path, text: str, name: str = "P01.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_different_interview_with_a_taken_name_is_stored_under_its_folders_name(store: Store, tmp_path: Path) -> None:
    wave1 = _interview(tmp_path / "wave1", FIRST)
    wave2 = _interview(tmp_path / "wave2", SECOND)

    first, second = import_files(store, [wave1, wave2], actor="junior")

    assert (first.renamed_to, second.renamed_to, second.skipped, second.error) == (None, "P01 (wave2)", None, None)
    assert get_document(store, "P01").text == FIRST
    renamed = get_document(store, "P01 (wave2)")
    assert (renamed.text, renamed.source, renamed.id) == (SECOND, str(wave2), second.document_id)
    assert second.imported_line == (
        f"imported {wave2} (document #{second.document_id}) as 'P01 (wave2)': a different document named 'P01' is already in the project"
    )
    assert store.actions()[-1].summary.startswith("imported 'P01' as 'P01 (wave2)', the name being taken")


def test_identical_content_is_still_skipped_as_already_imported(store: Store, tmp_path: Path) -> None:
    original = _interview(tmp_path / "wave1", FIRST)
    copy = _interview(tmp_path / "backup", FIRST)
    (first,) = import_files(store, [original], actor="junior")
    again, duplicate = import_files(store, [original, copy], actor="junior")
    assert first.document_id is not None
    assert again.skipped == f"{original}: already imported (a document with this name is in the project)"
    assert duplicate.skipped == f"{copy}: already imported (a document with this name is in the project)"
    assert [d.name for d in document_summaries(store)] == ["P01", "interview_01"]


def test_a_third_namesake_from_a_folder_of_the_same_name_is_numbered(store: Store, tmp_path: Path) -> None:
    paths = [
        _interview(tmp_path / "a" / "interviews", FIRST),
        _interview(tmp_path / "b" / "interviews", SECOND),
        _interview(tmp_path / "c" / "interviews", "I: Nog iets?\nR: Nee.\n"),
    ]
    outcomes = import_files(store, paths, actor="junior")
    assert [o.renamed_to for o in outcomes] == [None, "P01 (interviews)", "P01 (2)"]
    assert {get_document(store, name).text for name in ("P01", "P01 (interviews)", "P01 (2)")} == {FIRST, SECOND, "I: Nog iets?\nR: Nee.\n"}


def test_researcher_imports_two_folders_with_the_same_file_names_and_is_told_about_the_rename(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    wave1 = _interview(tmp_path / "interviews" / "T1", FIRST)
    wave2 = _interview(tmp_path / "interviews" / "T2", SECOND)

    result = run_cli("import", project, tmp_path / "interviews")

    assert result.returncode == 0
    assert result.stdout.decode().splitlines() == [
        f"imported {wave1} (document #1)",
        f"imported {wave2} (document #2) as 'P01 (T2)': a different document named 'P01' is already in the project",
        "2 imported, 0 skipped, 0 failed",
    ]
    again = run_cli("import", project, tmp_path / "interviews")
    assert again.stdout.decode().splitlines()[-1] == "0 imported, 2 skipped, 0 failed"


def test_a_different_questionnaire_with_a_taken_file_name_is_refused_not_skipped(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    for folder, answer in (("T1", "Goed."), ("T2", "Beter.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "enquete.csv").write_text(f"Nr;Vraag\r\nR1;{answer}\r\n", encoding="utf-8")
    run_cli("import", project, tmp_path / "T1" / "enquete.csv", "--id-column", "Nr")

    other = run_cli("import", project, tmp_path / "T2" / "enquete.csv", "--id-column", "Nr", check=False)

    assert other.returncode == 1
    assert other.stderr.decode() == (
        f"workbench: {tmp_path / 'T2' / 'enquete.csv'}: 'enquete/R1/q1' is in the project with a different text, from"
        f" {tmp_path / 'T1' / 'enquete.csv'}; rename this file to import it as a questionnaire of its own\n"
    )
    same = run_cli("import", project, tmp_path / "T1" / "enquete.csv", "--id-column", "Nr")
    assert same.stdout.decode().startswith("skipped ")


def test_shared_interviews_saved_under_one_file_name_in_two_folders_are_both_imported(store: Store, tmp_path: Path) -> None:
    ana, lisa = external("transcripts/sheffield_Ana.txt"), external("transcripts/uoe_teaching_interview.txt")
    first, second = tmp_path / "sheffield" / "interview.txt", tmp_path / "edinburgh" / "interview.txt"
    for source, target in ((ana, first), (lisa, second)):
        target.parent.mkdir()
        shutil.copyfile(source, target)

    outcomes = import_files(store, [first, second, second], actor="junior")

    assert [(o.renamed_to, o.skipped is not None, o.error) for o in outcomes] == [
        (None, False, None), ("interview (edinburgh)", False, None), (None, True, None),
    ]
    assert get_document(store, "interview").source == str(first)
    assert get_document(store, "interview (edinburgh)").source == str(second)


def test_a_namesake_given_as_a_relative_path_is_named_after_its_real_folder(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _interview(tmp_path / "wave1", FIRST)
    _interview(tmp_path / "wave2", SECOND)
    monkeypatch.chdir(tmp_path / "wave1")
    first, second = import_files(store, [Path("P01.txt"), Path("../wave2/P01.txt")], actor="junior")
    assert (first.renamed_to, second.renamed_to) == (None, "P01 (wave2)")
