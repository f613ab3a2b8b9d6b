"""The demo's second coder, onderzoeker2, coded the staff questionnaire and two interviews and differs from onderzoeker1 as coders do."""

from __future__ import annotations

from collections import defaultdict

from workbench.core.codebook import codebook
from workbench.core.codings import CodedSegment, coded_segments
from workbench.core.store import Store
from workbench.demos.huis_van_herstel import CODER, SECOND_CODER


def _by_document(segments: list[CodedSegment], coder: str) -> dict[str, list[CodedSegment]]:
    found: dict[str, list[CodedSegment]] = defaultdict(list)
    for segment in segments:
        if segment.coding.coder == coder:
            found[segment.document].append(segment)
    return found


def _spans(segments: list[CodedSegment]) -> set[tuple[str, int, int]]:
    return {(s.coding.code_id, s.coding.start, s.coding.end) for s in segments}


def test_onderzoeker2_coded_the_staff_questionnaire_and_two_interviews(hvh: Store) -> None:
    segments = coded_segments(hvh)
    first, second = _by_document(segments, CODER), _by_document(segments, SECOND_CODER)
    answers = {name for name in first if name.startswith("questionnaire_T1/")}
    interviews = {name for name in second if not name.startswith("questionnaire_T1/")}
    assert len(interviews) == 2 and interviews <= set(first)
    # Every answer onderzoeker1 coded, onderzoeker2 read too (one may be left without a code: a missed item).
    assert answers - set(second) <= {name for name in answers if len(first[name]) == 1}
    assert set(second) <= answers | interviews


def test_the_two_coders_differ_on_some_answers_and_agree_on_most(hvh: Store) -> None:
    segments = coded_segments(hvh)
    book = codebook(hvh)
    first, second = _by_document(segments, CODER), _by_document(segments, SECOND_CODER)
    answers = sorted(name for name in first if name.startswith("questionnaire_T1/"))
    codes = {name: ({s.coding.code_id for s in first[name]}, {s.coding.code_id for s in second.get(name, [])}) for name in answers}

    missed = [name for name, (mine, theirs) in codes.items() if mine - theirs and not theirs - mine]
    other_theme = [
        name for name, (mine, theirs) in codes.items()
        if {book.get(c).parent_id for c in theirs - mine} - {book.get(c).parent_id for c in mine}
    ]
    spans = {name: (_spans(first[name]), _spans(second.get(name, []))) for name in answers}
    boundaries = [name for name in answers if codes[name][0] == codes[name][1] and spans[name][0] != spans[name][1]]
    agreed = [name for name in answers if spans[name][0] == spans[name][1]]

    assert missed and other_theme and boundaries
    assert len(agreed) > len(answers) / 2
