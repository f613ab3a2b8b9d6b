"""Units a coder steps through, progress per coder, memos and quick keys."""

from __future__ import annotations

from tests.conftest import INTERVIEW
from workbench.core.codings import add_coding, coded_segments, recent_codes, remove_coding_by_id, set_coding_memo
from workbench.core.corpus import add_document, get_document
from workbench.core.memos import document_memo, set_document_memo
from workbench.core.model import Coding, DocumentKind, SpeakerTurn
from workbench.core.progress import project_progress
from workbench.core.store import Store
from workbench.core.units import Granularity, default_granularity, paragraphs, sentences, uncoded_units, units

TEXT = "Eerste zin. Tweede zin!\r\nRegel zonder punt\n\nNog een regel. En nog één “citaat”.\n"


def test_sentences_never_cross_a_line_and_carry_no_surrounding_space() -> None:
    assert [TEXT[a:b] for a, b in sentences(TEXT)] == [
        "Eerste zin.", "Tweede zin!", "Regel zonder punt", "Nog een regel.", "En nog één “citaat”."
    ]
    assert [TEXT[a:b] for a, b in paragraphs(TEXT)] == [
        "Eerste zin. Tweede zin!", "Regel zonder punt", "Nog een regel. En nog één “citaat”."
    ]


def test_each_kind_of_document_has_its_natural_unit(store: Store) -> None:
    interview = get_document(store, "interview_01")
    add_document(store, name="antwoord", text="  Het team helpt.\n", kind=DocumentKind.QUESTIONNAIRE_ANSWER, actor="junior")
    answer = get_document(store, "antwoord")
    assert default_granularity(answer) is Granularity.ANSWER
    assert [answer.text[a:b] for a, b in units(answer, Granularity.ANSWER)] == ["Het team helpt."]
    assert default_granularity(interview) is Granularity.PARAGRAPH  # the fixture has no stored turns
    turns = (SpeakerTurn(0, "I", 0, 22), SpeakerTurn(1, "R", 23, len(INTERVIEW) - 1))
    add_document(store, name="met_beurten", text=INTERVIEW + " ", kind=DocumentKind.TRANSCRIPT, actor="junior", turns=turns)
    with_turns = get_document(store, "met_beurten")
    assert default_granularity(with_turns) is Granularity.TURN
    assert [with_turns.text[a:b] for a, b in units(with_turns, Granularity.TURN)] == [INTERVIEW[:22], INTERVIEW[23:-1]]


def test_uncoded_units_are_those_no_coding_touches() -> None:
    spans = [(0, 5), (6, 10), (11, 15)]
    coded = [Coding(id=1, document_id=1, start=7, end=8, code_id="x", coder="j")]
    assert uncoded_units(spans, coded) == [(0, 5), (11, 15)]
    assert uncoded_units(spans, coded + [Coding(2, 1, 0, 15, "x", "j")]) == []


def test_progress_counts_each_coders_coded_units(store: Store) -> None:
    add_coding(store, document="interview_01", start=0, end=4, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=1, end=3, code_id="contact", coder="senior")
    add_coding(store, document="interview_01", start=30, end=40, code_id="contact", coder="senior")
    (progress,) = project_progress(store)
    assert progress.units == 2  # two lines
    assert (progress.coded("junior"), progress.coded("senior"), progress.coded("nobody")) == (1, 2, 0)


def test_memos_on_documents_and_codings_are_kept_per_coder_and_undoable(store: Store) -> None:
    set_document_memo(store, "interview_01", "junior", "Let op: R praat snel.")
    assert document_memo(store, "interview_01", "junior") == "Let op: R praat snel."
    assert document_memo(store, "interview_01", "senior") == ""
    set_document_memo(store, "interview_01", "junior", "Herzien.")
    store.undo("junior")
    assert document_memo(store, "interview_01", "junior") == "Let op: R praat snel."
    coding = add_coding(store, document="interview_01", start=0, end=4, code_id="contact", coder="junior")
    set_coding_memo(store, coding.id, "twijfel", "junior")
    assert coded_segments(store)[0].coding.memo == "twijfel"


def test_recent_codes_are_the_quick_keys_newest_first(store: Store) -> None:
    first = add_coding(store, document="interview_01", start=0, end=4, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=5, end=9, code_id="succesfactoren", coder="junior")
    assert recent_codes(store, "junior") == ["succesfactoren", "contact"]
    add_coding(store, document="interview_01", start=10, end=14, code_id="contact", coder="junior")
    assert recent_codes(store, "junior") == ["contact", "succesfactoren"]
    assert recent_codes(store, "senior") == []
    removed = remove_coding_by_id(store, first.id, "junior")
    assert removed.start == 0 and len(coded_segments(store)) == 2
