"""A second coder codes in a copy of the project; the senior merges the copy back in, sees what did not fit, and can undo it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import INTERVIEW, run_cli, table_rows
from workbench.core import schema
from workbench.core.codebook import add_code
from workbench.core.codebook.qdc import code_guid
from workbench.core.codings import add_coding, coded_segments
from workbench.core.corpus import add_document
from workbench.core.memos import document_memo, set_document_memo
from workbench.core.merge import Unmatched, merge_project
from workbench.core.model import Code, DocumentKind
from workbench.core.store import Store

OTHER_INTERVIEW = "I: En wat mis je?\nR: Meer activiteiten in het weekend.\n"
#: The guid the senior's codebook gave "gezien" when it was exported; the copy's codebook came from that export.
GEZIEN_GUID = "7C9E6679-7425-40DE-944B-E07FC1F90AE7"


@dataclass
class Pair:
    """The senior's project and the second coder's copy of it."""

    ours: Store
    theirs: Store


def _data(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row but the action log's, which records the undo too."""
    return {name: rows for name, rows in table_rows(store).items() if name != "actions"}


def _span(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


@pytest.fixture
def pair(store: Store, tmp_path: Path) -> Iterator[Pair]:
    """`store` coded by onderzoeker1 and onderzoeker2; a copy in which onderzoeker2 went on coding, with its own codebook edits."""
    add_code(store, Code(id="gezien", name="Gezien worden", parent_id="succesfactoren", guid=GEZIEN_GUID), "senior")
    start, end = _span(INTERVIEW, "Het contact met het personeel.")
    add_coding(store, document="interview_01", start=start, end=end, code_id="contact", coder="onderzoeker1")
    add_coding(store, document="interview_01", start=start, end=end, code_id="contact", coder="onderzoeker2")

    copy = Store.create(tmp_path / "copy", "Copy of onderzoeker2")
    # The same transcript under another name: documents are matched by their text, not their name.
    add_document(copy, name="interview_01 (kopie)", text=INTERVIEW, kind=DocumentKind.TRANSCRIPT, actor="onderzoeker2")
    add_document(copy, name="interview_02", text=OTHER_INTERVIEW, kind=DocumentKind.TRANSCRIPT, actor="onderzoeker2")
    add_code(copy, Code(id="succesfactoren", name="Succesfactoren"), "onderzoeker2")
    add_code(copy, Code(id="contact", name="Contact", parent_id="succesfactoren"), "onderzoeker2")
    braced = f"{{{GEZIEN_GUID.lower()}}}"  # the same guid as another tool writes it
    add_code(copy, Code(id="echt-gezien", name="Echt gezien", parent_id="succesfactoren", guid=braced), "onderzoeker2")
    add_code(copy, Code(id="weekend", name="Weekend", parent_id="succesfactoren"), "onderzoeker2")
    add_coding(copy, document="interview_01 (kopie)", start=start, end=end, code_id="contact", coder="onderzoeker2")  # also in ours
    seen = _span(INTERVIEW, "Hier word je echt gezien.")
    add_coding(copy, document="interview_01 (kopie)", start=seen[0], end=seen[1], code_id="echt-gezien", coder="onderzoeker2", memo="kern")
    add_coding(copy, document="interview_01 (kopie)", start=start, end=seen[1], code_id="succesfactoren", coder="onderzoeker2")
    add_coding(copy, document="interview_01 (kopie)", start=seen[0], end=seen[1], code_id="weekend", coder="onderzoeker2")
    weekend = _span(OTHER_INTERVIEW, "Meer activiteiten in het weekend.")
    add_coding(copy, document="interview_02", start=weekend[0], end=weekend[1], code_id="weekend", coder="onderzoeker2")
    set_document_memo(copy, "interview_01 (kopie)", "onderzoeker2", "Open gesprek.")
    yield Pair(store, copy)
    copy.close()


def test_second_coders_copy_merges_in_by_text_and_guid_and_reports_what_did_not_fit(pair: Pair) -> None:
    theirs_before = table_rows(pair.theirs)

    report = merge_project(pair.ours, pair.theirs.project_dir, "senior")

    assert (report.codings_added, report.duplicates, report.memos_added, report.coders) == (2, 1, 1, ("onderzoeker2",))
    assert report.unmatched_documents == (Unmatched("interview_02", 1),)
    assert report.unmatched_codes == (Unmatched("weekend", 1),)
    merged = {
        (s.document, s.text, s.coding.code_id, s.coding.coder, s.coding.memo)
        for s in coded_segments(pair.ours) if s.coding.coder == "onderzoeker2"
    }
    assert merged == {
        ("interview_01", "Het contact met het personeel.", "contact", "onderzoeker2", ""),
        ("interview_01", "Hier word je echt gezien.", "gezien", "onderzoeker2", "kern"),  # their echt-gezien is our gezien, by guid
        ("interview_01", "Het contact met het personeel. Hier word je echt gezien.", "succesfactoren", "onderzoeker2", ""),
    }
    assert document_memo(pair.ours, "interview_01", "onderzoeker2") == "Open gesprek."
    assert table_rows(pair.theirs) == theirs_before
    assert pair.ours.actions()[-1].kind == "merge"


def test_undo_takes_the_whole_merge_back_and_merging_twice_adds_nothing(pair: Pair) -> None:
    before = _data(pair.ours)
    merge_project(pair.ours, pair.theirs.project_dir, "senior")
    logged = len(pair.ours.actions())

    again = merge_project(pair.ours, pair.theirs.project_dir, "senior")
    assert (again.codings_added, again.duplicates, again.memos_added, again.changed) == (0, 3, 0, False)
    assert len(pair.ours.actions()) == logged  # nothing new, nothing logged

    undone = pair.ours.undo("senior")
    assert undone.kind == "merge"
    assert _data(pair.ours) == before


def test_merge_keeps_this_projects_memo_where_the_two_differ(pair: Pair) -> None:
    set_document_memo(pair.ours, "interview_01", "onderzoeker2", "Mijn eigen notitie.")
    report = merge_project(pair.ours, pair.theirs.project_dir, "senior")
    assert report.memos_kept == ("interview_01 (onderzoeker2)",)
    assert document_memo(pair.ours, "interview_01", "onderzoeker2") == "Mijn eigen notitie."


def test_an_old_copy_is_merged_without_being_upgraded(store: Store, tmp_path: Path) -> None:
    dump = (Path(__file__).parent.parent / "data" / "project_schema_v1.sql").read_text(encoding="utf-8")
    old = tmp_path / "old"
    old.mkdir()
    with sqlite3.connect(old / "workbench.sqlite") as raw:
        raw.executescript(dump)
        (text,) = raw.execute("SELECT text FROM documents").fetchone()
    raw.close()
    add_document(store, name="v1 transcript", text=text, kind=DocumentKind.TRANSCRIPT, actor="senior")
    add_code(store, Code(id="succesfactoren-team", name="M.b.t. team", parent_id="succesfactoren"), "senior")

    report = merge_project(store, old, "senior")

    assert (report.codings_added, report.unmatched_documents, report.unmatched_codes) == (1, (), ())
    (segment,) = coded_segments(store, "v1 transcript")
    assert (segment.coding.coder, segment.coding.code_id, segment.text) == ("onderzoeker1", "succesfactoren-team", "Het team helpt echt.\n")
    with sqlite3.connect(old / "workbench.sqlite") as raw:
        assert raw.execute("SELECT version FROM schema_version").fetchone() == (1,)
        assert "consensus_decisions" not in {name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    raw.close()


def test_cli_merge_prints_a_summary_and_one_line_per_document_or_code_left_out(pair: Pair) -> None:
    ours, theirs = pair.ours.project_dir, pair.theirs.project_dir
    result = run_cli("merge", ours, theirs, "--as", "senior")
    assert result.stdout.decode().splitlines() == [
        f"merged {theirs} into {ours}: 2 codings by onderzoeker2 added, 1 memos, 1 duplicates skipped",
        "document not matched: interview_02 (1 codings left out; no document here has its text)",
        "code not matched: weekend (1 codings left out; no code here has its id or guid)",
    ]
    assert run_cli("log", ours).stdout.decode().splitlines()[-1].split()[2:4] == ["senior", "merge"]


def test_cli_merge_refuses_a_project_into_itself_and_a_folder_that_is_no_project(pair: Pair, tmp_path: Path) -> None:
    ours = pair.ours.project_dir
    before = table_rows(pair.ours)
    itself = run_cli("merge", ours, ours, check=False)
    nothing = run_cli("merge", ours, tmp_path, check=False)
    assert (itself.returncode, nothing.returncode) == (1, 1)
    assert itself.stderr.decode() == f"workbench: {ours}: is this project; merge another coder's copy into it\n"
    assert nothing.stderr.decode().startswith(f"workbench: {tmp_path}: not a workbench project")
    assert table_rows(pair.ours) == before


def test_a_code_matches_by_the_guid_our_code_is_exported_with(store: Store, tmp_path: Path) -> None:
    # Their codebook came from a .qdc export of ours: their code carries the guid our code "contact" is exported with.
    with Store.create(tmp_path / "qdc_copy", "From the exchange file") as copy:
        add_document(copy, name="interview_01", text=INTERVIEW, kind=DocumentKind.TRANSCRIPT, actor="onderzoeker2")
        guid = code_guid(Code(id="contact", name="M.b.t. contact met personeel"))
        add_code(copy, Code(id="m-b-t-contact-met-personeel", name="M.b.t. contact met personeel", guid=guid), "onderzoeker2")
        add_coding(copy, document="interview_01", start=0, end=10, code_id="m-b-t-contact-met-personeel", coder="onderzoeker2")
    report = merge_project(store, tmp_path / "qdc_copy", "senior")
    assert report.codings_added == 1 and report.unmatched_codes == ()
    with store.reading() as conn:
        assert conn.execute(schema.codings.select()).one().code_id == "contact"
