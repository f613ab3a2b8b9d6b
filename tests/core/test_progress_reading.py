"""Progress read again after coding reads only the documents whose codings or text changed, and comes out the same
as reading the whole project (on both backends)."""

from __future__ import annotations

import pytest

from tests.conftest import INTERVIEW
from workbench.core import progress as progress_module
from workbench.core.codings import add_coding, remove_coding_by_id
from workbench.core.corpus import add_document, get_document
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.progress import ProgressReading, project_documents, read_progress
from workbench.core.store import Store
from workbench.core.text_edit import edit_document_text

pytestmark = pytest.mark.backends


@pytest.fixture
def read_ids(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Which documents each pass over texts read: an id, or None for the whole project."""
    seen: list[int | None] = []
    real = progress_module._read

    def spied(conn, coders, by_case, document_id):  # type: ignore[no-untyped-def]
        seen.append(document_id)
        return real(conn, coders, by_case, document_id)

    monkeypatch.setattr(progress_module, "_read", spied)
    return seen


def _same(incremental: ProgressReading, store: Store) -> None:
    full = read_progress(store)
    assert dict(incremental.documents) == dict(full.documents)
    assert dict(incremental.marks) == dict(full.marks)


def test_reading_again_reads_only_what_changed_and_matches_a_full_reading(store: Store, read_ids: list[int | None]) -> None:
    for n in range(2, 6):
        add_document(store, name=f"interview_0{n}", text=INTERVIEW + f"\nInterview {n}.\n", kind=DocumentKind.TRANSCRIPT, actor="junior")
    first = read_progress(store)
    assert read_ids == [None]
    ids = {p.name: i for i, p in first.by_id.items()}

    read_ids.clear()
    unchanged = read_progress(store, first)
    assert read_ids == []  # nothing changed: no text read at all
    assert dict(unchanged.documents) == dict(first.documents)

    coding = add_coding(store, document="interview_03", start=0, end=4, code_id="contact", coder="junior")
    read_ids.clear()
    after_coding = read_progress(store, first)
    assert read_ids == [ids["interview_03"]]
    assert after_coding.documents["interview_03"].coded("junior") == 1
    _same(after_coding, store)

    remove_coding_by_id(store, coding.id, "junior")
    add_coding(store, document="interview_05", start=1, end=3, code_id="contact", coder="senior")
    read_ids.clear()
    after_more = read_progress(store, after_coding)
    assert sorted(i for i in read_ids if i is not None) == sorted([ids["interview_03"], ids["interview_05"]])
    _same(after_more, store)

    text = get_document(store, "interview_02").text
    edit_document_text(store, "interview_02", text + "Een regel erbij.\n", "junior")
    read_ids.clear()
    after_edit = read_progress(store, after_more)
    assert read_ids == [ids["interview_02"]]
    assert after_edit.documents["interview_02"].units == first.documents["interview_02"].units + 1
    _same(after_edit, store)


def test_the_listing_needs_no_text_and_names_each_documents_case(store: Store) -> None:
    from workbench.core.batch import NewDocument, add_documents

    add_documents(
        store,
        [NewDocument(name="b/R1/q1", text="Ja.", kind=DocumentKind.QUESTIONNAIRE_ANSWER, case_id="R1",
                     case_attributes=CaseAttributes(wave="T1"), dedupe_key="R1q1")],
        actor="junior", summary="imported",
    )
    listed = project_documents(store)
    assert [d.name for d in listed] == sorted(p.name for p in read_progress(store).documents.values())
    answer = next(d for d in listed if d.name == "b/R1/q1")
    assert (answer.kind, answer.case_id, answer.case.wave) == (DocumentKind.QUESTIONNAIRE_ANSWER, "R1", "T1")
