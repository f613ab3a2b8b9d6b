"""Codings are refused with a clear message when they cannot be right, and then nothing is written."""

from __future__ import annotations

import pytest

from tests.conftest import INTERVIEW, table_rows
from workbench.core.codings import add_coding, coded_segments, dump_codings, remove_coding
from workbench.core.store import Store
from workbench.errors import CodebookError, CodingError

#: The store's tests run on SQLite and on PostgreSQL alike (see conftest.backend).
pytestmark = pytest.mark.backends


def test_junior_codes_a_passage_and_reads_it_back(store: Store) -> None:
    start = INTERVIEW.index("Het contact")
    end = INTERVIEW.index(" Hier")
    add_coding(store, document="interview_01", start=start, end=end, code_id="contact", coder="junior")
    (segment,) = coded_segments(store)
    assert segment.text == "Het contact met het personeel."
    assert segment.code_name == "M.b.t. contact met personeel"


@pytest.mark.parametrize(("start", "end"), [(0, len(INTERVIEW) + 1), (-1, 5), (10, 10), (12, 3), (len(INTERVIEW), len(INTERVIEW) + 4)])
def test_a_coding_outside_the_document_is_refused_and_nothing_written(store: Store, start: int, end: int) -> None:
    before = table_rows(store)
    refusal = rf"document 'interview_01': span {start}-{end} is not inside its text \(valid offsets 0-{len(INTERVIEW)}"
    with pytest.raises(CodingError, match=refusal):
        add_coding(store, document="interview_01", start=start, end=end, code_id="contact", coder="junior")
    assert table_rows(store) == before


def test_an_unknown_code_is_refused_with_a_suggestion_and_nothing_written(store: Store) -> None:
    before = table_rows(store)
    with pytest.raises(CodebookError, match=r"unknown code 'contac' \(did you mean 'contact'\?\)"):
        add_coding(store, document="interview_01", start=0, end=5, code_id="contac", coder="new coder")
    assert table_rows(store) == before  # not even the new coder was stored


def test_an_unknown_document_is_refused(store: Store) -> None:
    with pytest.raises(CodingError, match=r"no document named 'interview_1' \(did you mean 'interview_01'\?\)"):
        add_coding(store, document="interview_1", start=0, end=5, code_id="contact", coder="junior")


def test_the_same_coding_twice_is_refused(store: Store) -> None:
    first = add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    before = table_rows(store)
    with pytest.raises(CodingError, match=f"already coded 'contact' by junior \\(coding #{first.id}\\)"):
        add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    assert table_rows(store) == before


def test_two_coders_may_code_the_same_span(store: Store) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="senior")
    assert [s.coding.coder for s in coded_segments(store)] == ["junior", "senior"]


def test_uncode_removes_only_that_coders_coding(store: Store) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="senior")
    remove_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    assert [s.coding.coder for s in coded_segments(store)] == ["senior"]
    with pytest.raises(CodingError, match="no coding 'contact' by junior at 0-5"):
        remove_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")


def test_the_dump_is_sorted_and_free_of_row_ids_so_git_diffs_stay_small(store: Store) -> None:
    add_coding(store, document="interview_01", start=30, end=40, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=0, end=5, code_id="succesfactoren", coder="junior", memo="vraag")
    csv_dump = dump_codings(coded_segments(store), "csv").splitlines()
    assert csv_dump[0] == "document,start,end,code,code_path,coder,memo,created,text"
    assert csv_dump[1].startswith("interview_01,0,5,succesfactoren,Succesfactoren,junior,vraag,")
    assert csv_dump[2].startswith("interview_01,30,40,contact,Succesfactoren / M.b.t. contact met personeel,junior,,")
    jsonl = dump_codings(coded_segments(store), "jsonl").splitlines()
    assert len(jsonl) == 2 and '"id"' not in jsonl[0]


def test_a_grouping_code_marked_not_codable_is_refused_in_one_line(store: Store) -> None:
    from workbench.core.codebook import add_code
    from workbench.core.model import Code
    from workbench.errors import CodingError

    add_code(store, Code(id="groep", name="Groepering", codable=False), "senior")
    with pytest.raises(CodingError, match="'groep' \\(Groepering\\) groups other codes and is not applied to text"):
        add_coding(store, document="interview_01", start=0, end=5, code_id="groep", coder="junior")
