"""Search finds text with exact offsets, lists every segment of a code, and pairs codes that overlap."""

from __future__ import annotations

import time

import pytest

from workbench.core.codebook import add_code
from workbench.core.codings import add_coding
from workbench.core.corpus import add_document
from workbench.core.model import Code, DocumentKind
from workbench.core.search import (
    SearchError,
    co_occurrence,
    search_text,
    segments_coded,
)
from workbench.core.store import Store
from workbench.errors import CodebookError, WorkbenchError

FOCUS_GROUP = (
    "M: Wat werkt goed?\n"
    "A: Het team. Collega's nemen diensten over.\n"
    "B: En het contact met deelnemers is goed.\n"
    "M: En wat niet?\n"
    "A: Het verlof duurt weken. Het Verlof is een gedoe.\n"
)
NOTES = "Contact met het personeel is kort en direct; CONTACT blijft het thema."


def _span(text: str, quote: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def _code(store: Store, document: str, text: str, quote: str, code_id: str, coder: str) -> None:
    start, end = _span(text, quote)
    add_coding(store, document=document, start=start, end=end, code_id=code_id, coder=coder)


@pytest.fixture
def project(store: Store) -> Store:
    """The conftest interview plus a focus group and notes, a three-level codebook and codings by two coders."""
    add_document(store, name="focusgroep_01", text=FOCUS_GROUP, kind=DocumentKind.FOCUS_GROUP, actor="junior")
    add_document(store, name="notities", text=NOTES, kind=DocumentKind.NOTES, actor="junior")
    add_code(store, Code(id="contact-echt", name="Echt gezien worden", parent_id="contact"), "junior")
    add_code(store, Code(id="knelpunten", name="Knelpunten"), "junior")
    add_code(store, Code(id="verlof", name="Verlof duurt lang", parent_id="knelpunten"), "junior")
    add_code(store, Code(id="team", name="Team neemt over", parent_id="succesfactoren"), "junior")
    _code(store, "focusgroep_01", FOCUS_GROUP, "Het team. Collega's nemen diensten over.", "team", "junior")
    _code(store, "focusgroep_01", FOCUS_GROUP, "het contact met deelnemers", "contact", "junior")
    _code(store, "focusgroep_01", FOCUS_GROUP, "Het verlof duurt weken.", "verlof", "junior")
    _code(store, "focusgroep_01", FOCUS_GROUP, "verlof duurt weken. Het Verlof is een gedoe.", "knelpunten", "senior")
    _code(store, "focusgroep_01", FOCUS_GROUP, "Het Verlof is een gedoe.", "verlof", "junior")
    _code(store, "notities", NOTES, "Contact met het personeel", "contact-echt", "senior")
    _code(store, "notities", NOTES, "kort en direct", "contact", "junior")
    return store


# -- text search -----------------------------------------------------------------------------------------


def test_plain_search_ignores_case_by_default_and_gives_exact_offsets(project: Store) -> None:
    hits = search_text(project, "verlof")
    assert [(h.document, h.match) for h in hits] == [("focusgroep_01", "verlof"), ("focusgroep_01", "Verlof")]
    for hit in hits:
        assert FOCUS_GROUP[hit.start : hit.end] == hit.match
    assert hits[0].start == FOCUS_GROUP.index("verlof")


def test_case_sensitive_search_finds_only_that_spelling(project: Store) -> None:
    assert [h.match for h in search_text(project, "Verlof", case_sensitive=True)] == ["Verlof"]
    assert [(h.document, h.match) for h in search_text(project, "CONTACT", case_sensitive=True)] == [("notities", "CONTACT")]


def test_hits_are_ordered_by_document_name_then_offset(project: Store) -> None:
    hits = search_text(project, "contact")
    assert [h.document for h in hits] == ["focusgroep_01", "interview_01", "notities", "notities"]
    assert [h.start for h in hits if h.document == "notities"] == [0, NOTES.index("CONTACT")]


def test_plain_search_takes_regex_characters_literally(project: Store) -> None:
    hits = search_text(project, "Collega's nemen diensten over.")
    assert len(hits) == 1
    assert search_text(project, "w.rkt") == []
    assert search_text(project, "(") == []  # not an invalid regex: plain text


def test_regex_search_with_line_anchors(project: Store) -> None:
    hits = search_text(project, r"^A: \w+", regex=True)
    assert [h.match for h in hits] == ["A: Het", "A: Het"]
    assert all(FOCUS_GROUP[h.start : h.end] == h.match for h in hits)
    days = search_text(project, r"\bwe+ken\b", regex=True, documents=["focusgroep_01"])
    assert [h.match for h in days] == ["weken"]


def test_context_is_cut_to_its_width_and_newlines_show_as_spaces(project: Store) -> None:
    (hit,) = search_text(project, "team", context=10)
    start = FOCUS_GROUP.index("team")
    assert (hit.start, hit.end) == (start, start + 4)
    assert hit.before == FOCUS_GROUP[start - 10 : start].replace("\n", " ") == " goed? A: Het "[-10:]
    assert "\n" not in hit.before and len(hit.before) == 10
    assert hit.after == ". Collega'"
    (first,) = search_text(project, "M: Wat", context=40)
    assert first.before == ""  # the start of the text: no context, no error


def test_a_match_across_a_line_break_keeps_its_newline_and_offsets(project: Store) -> None:
    (hit,) = search_text(project, r"goed\.\nM:", regex=True, context=5)
    assert hit.match == "goed.\nM:" == FOCUS_GROUP[hit.start : hit.end]
    assert hit.after == " En w"


def test_documents_limit_and_empty_pattern(project: Store) -> None:
    assert {h.document for h in search_text(project, "het", documents=["notities"])} == {"notities"}
    assert len(search_text(project, "e", limit=3)) == 3
    assert search_text(project, "") == []
    assert search_text(project, "x*", regex=True) == []  # only empty matches: nothing to show


def test_an_unknown_document_is_named_with_a_suggestion(project: Store) -> None:
    with pytest.raises(SearchError, match=r"no document named 'notitie' \(did you mean 'notities'\?\)"):
        search_text(project, "het", documents=["notitie"])


def test_an_invalid_regex_is_one_line_naming_the_pattern_and_reason(project: Store) -> None:
    with pytest.raises(WorkbenchError) as caught:
        search_text(project, "verlof(", regex=True)
    message = str(caught.value)
    assert message.startswith("invalid regular expression 'verlof(': missing ), unterminated subpattern")
    assert "\n" not in message
    assert caught.value.title == "Search"


def test_a_case_insensitive_match_keeps_offsets_when_lowering_would_change_the_length(store: Store) -> None:
    text = "İstanbul en daarna Utrecht"  # "İ".lower() is two characters
    add_document(store, name="reis", text=text, kind=DocumentKind.NOTES, actor="junior")
    (hit,) = search_text(store, "utrecht", documents=["reis"])
    assert text[hit.start : hit.end] == "Utrecht" == hit.match


def test_search_reads_a_few_hundred_documents_quickly(store: Store) -> None:
    for number in range(300):
        body = f"Respondent {number}: " + "het contact met de begeleiding is goed. " * 100 + ("verlof " if number % 7 == 0 else "")
        add_document(store, name=f"doc_{number:03}", text=body, kind=DocumentKind.NOTES, actor="junior")
    started = time.perf_counter()
    hits = search_text(store, "verlof", limit=10_000)
    regex_hits = search_text(store, r"begeleid\w+", regex=True, limit=100)
    elapsed = time.perf_counter() - started
    assert len(hits) == 43 and len(regex_hits) == 100
    assert elapsed < 2.0, f"two searches over 300 documents took {elapsed:.2f}s"


# -- segments of a code ----------------------------------------------------------------------------------


def test_segments_coded_includes_codes_below_it_by_default(project: Store) -> None:
    segments = segments_coded(project, "contact")
    assert [(s.document, s.coding.code_id, s.text) for s in segments] == [
        ("focusgroep_01", "contact", "het contact met deelnemers"),
        ("notities", "contact-echt", "Contact met het personeel"),
        ("notities", "contact", "kort en direct"),
    ]
    assert segments[1].code_path == ("Succesfactoren", "M.b.t. contact met personeel", "Echt gezien worden")
    top = segments_coded(project, "succesfactoren")
    assert {s.coding.code_id for s in top} == {"team", "contact", "contact-echt"}


def test_segments_coded_without_descendants_and_by_one_coder(project: Store) -> None:
    assert [s.text for s in segments_coded(project, "contact", include_descendants=False)] == [
        "het contact met deelnemers", "kort en direct",
    ]
    assert [s.coding.code_id for s in segments_coded(project, "contact", coder="senior")] == ["contact-echt"]
    assert segments_coded(project, "succesfactoren", include_descendants=False) == []


def test_segments_coded_names_unknown_codes_and_coders(project: Store) -> None:
    with pytest.raises(CodebookError, match=r"unknown code 'verlog' \(did you mean 'verlof'\?\)"):
        segments_coded(project, "verlog")
    with pytest.raises(SearchError, match=r"no coder named 'senor' in this project \(did you mean 'senior'\?\)"):
        segments_coded(project, "verlof", coder="senor")


# -- co-occurrence ---------------------------------------------------------------------------------------


def test_overlapping_codings_are_one_unit_with_the_union_span(project: Store) -> None:
    units = co_occurrence(project, "verlof", "knelpunten", include_descendants=False)
    # senior's "knelpunten" starts inside junior's first "verlof" and covers the second one whole.
    first_start, _ = _span(FOCUS_GROUP, "Het verlof duurt weken.")
    senior_start, senior_end = _span(FOCUS_GROUP, "verlof duurt weken. Het Verlof is een gedoe.")
    assert [(u.start, u.end) for u in units] == [(first_start, senior_end), (senior_start, senior_end)]
    assert units[0].text == "Het verlof duurt weken. Het Verlof is een gedoe."
    for unit in units:
        assert unit.document == "focusgroep_01"
        assert unit.text == FOCUS_GROUP[unit.start : unit.end]
        assert unit.segment_a.coding.code_id == "verlof" and unit.segment_b.coding.code_id == "knelpunten"
        a, b = unit.segment_a.coding, unit.segment_b.coding
        assert max(a.start, b.start) < min(a.end, b.end)  # they really share characters


def test_codings_that_only_touch_or_sit_apart_do_not_co_occur(project: Store) -> None:
    # "team" ends where a newline starts the next answer coded "contact": adjacent, not overlapping.
    assert co_occurrence(project, "team", "contact") == []
    assert co_occurrence(project, "contact", "verlof") == []
    # In the notes the two contact codings sit apart in the same sentence.
    assert co_occurrence(project, "contact-echt", "contact", include_descendants=False) == []


def test_touching_spans_are_not_an_overlap(store: Store) -> None:
    add_code(store, Code(id="other", name="Other"), "junior")
    add_coding(store, document="interview_01", start=0, end=10, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=10, end=20, code_id="other", coder="junior")
    assert co_occurrence(store, "contact", "other") == []
    add_coding(store, document="interview_01", start=9, end=12, code_id="other", coder="junior")
    (unit,) = co_occurrence(store, "contact", "other")
    assert (unit.start, unit.end) == (0, 12)


def test_co_occurrence_by_one_coder_leaves_out_pairs_of_different_coders(project: Store) -> None:
    assert len(co_occurrence(project, "verlof", "knelpunten", include_descendants=False)) == 2  # junior × senior
    assert co_occurrence(project, "verlof", "knelpunten", include_descendants=False, coder="junior") == []
    assert co_occurrence(project, "verlof", "knelpunten", include_descendants=False, coder="senior") == []


def test_a_code_and_its_parent_pair_each_two_codings_once(project: Store) -> None:
    # With descendants, "knelpunten" holds the "verlof" codings too; a coding never pairs with itself.
    units = co_occurrence(project, "knelpunten", "verlof")
    pairs = {frozenset((u.segment_a.coding.id, u.segment_b.coding.id)) for u in units}
    assert len(pairs) == len(units) == 2
    assert all(u.segment_a.coding.id != u.segment_b.coding.id for u in units)


def test_codes_that_never_overlap_pair_nowhere_and_the_pairs_are_symmetric(project: Store) -> None:
    assert co_occurrence(project, "verlof", "contact", include_descendants=False) == []
    forward = co_occurrence(project, "verlof", "knelpunten", include_descendants=False)
    backward = co_occurrence(project, "knelpunten", "verlof", include_descendants=False)
    assert len(forward) == len(backward) == 2
    forward_pairs = {(u.segment_a.coding.id, u.segment_b.coding.id) for u in forward}
    assert forward_pairs == {(u.segment_b.coding.id, u.segment_a.coding.id) for u in backward}
