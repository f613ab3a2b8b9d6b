"""From codings to compared units: which codes each coder gave each answer, turn, respondent, segment or run of characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.comparison.coded_projects import INTERVIEW, answers, code, code_span, empty_project, interview
from workbench.core.comparison.model import UnitKind
from workbench.core.comparison.units import CodedSpan, compared_units, disagreements, load_comparison, parse_unit, segment_overlap
from workbench.core.store import Store
from workbench.errors import AgreementError

A, B = "onderzoeker1", "onderzoeker2"


def _codes(unit: object) -> dict[str, list[str]]:
    return {coder: sorted(codes) for coder, codes in unit.codes.items()}  # type: ignore[attr-defined]


def test_a_phrase_inside_a_turn_counts_for_it_and_a_boundary_a_few_words_into_the_next_turn_does_not(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    interview(store)
    code(store, "interview_01", "stabiel", "team-stabiel", A)  # a phrase inside turn 2
    # B takes all of turn 2 and runs five characters ("I: En") into turn 3.
    start = INTERVIEW.index("Het team")
    code_span(store, "interview_01", start, INTERVIEW.index(" verder"), "team-stabiel", B)
    code(store, "interview_01", "I: En verder?\nR: Er zijn te weinig deelnemers.", "instroom-weinig", B)  # covers turns 3 and 4
    code(store, "interview_01", "Er zijn te weinig deelnemers.", "instroom-weinig", A)

    turns = compared_units(store, [A, B], UnitKind.TURN)

    assert [u.label for u in turns] == [f"interview_01 · turn {n}/4" for n in (1, 2, 3, 4)]
    assert [_codes(u) for u in turns] == [
        {A: [], B: []},
        {A: ["team-stabiel"], B: ["team-stabiel"]},
        {A: [], B: ["instroom-weinig"]},  # B's coding covers all of turn 3, so it counts; A's does not touch it
        {A: ["instroom-weinig"], B: ["instroom-weinig"]},
    ]
    assert [u.agreed for u in turns] == [True, True, False, True]
    assert turns[1].text == "R: Het team is stabiel. We vertrouwen elkaar."
    store.close()


def test_only_documents_every_coder_coded_are_compared_and_the_rest_is_named(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"r1_q1": "Het team is stabiel.", "r2_q1": "Te weinig deelnemers.", "r3_q1": "Meer structuur."})
    code(store, "r1_q1", "stabiel", "team-stabiel", A)
    code(store, "r1_q1", "stabiel", "team-stabiel", B)
    code(store, "r2_q1", "weinig", "instroom-weinig", A)  # B never coded r2_q1: not a "B says absent"

    comparison = load_comparison(store, [A, B])
    found = compared_units(store, [A, B], UnitKind.ANSWER)

    assert [d.document.name for d in comparison.documents] == ["r1_q1"]
    assert comparison.left_out == ("r2_q1",)
    assert [(u.document, u.agreed) for u in found] == [("r1_q1", True)]
    store.close()


def test_a_respondent_mentions_a_code_when_any_of_their_documents_has_it(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"r1_q1": "Het team is stabiel.", "r1_q2": "Ja, stabiel.", "r2_q1": "Te weinig deelnemers."},
            case_of={"r1_q1": "R1", "r1_q2": "R1", "r2_q1": "R2"})
    code(store, "r1_q1", "stabiel", "team-stabiel", A)
    code(store, "r1_q2", "stabiel", "team-stabiel", B)  # another answer of the same respondent
    code(store, "r1_q1", "team", "team-structuur", B)
    code(store, "r1_q2", "Ja", "team-structuur", A)
    for coder in (A, B):
        code(store, "r2_q1", "weinig", "instroom-weinig", coder)

    respondents = compared_units(store, [A, B], UnitKind.RESPONDENT)
    answered = compared_units(store, [A, B], UnitKind.ANSWER)

    assert [(u.document, u.agreed) for u in respondents] == [("R1", True), ("R2", True)]
    assert _codes(respondents[0]) == {A: ["team-stabiel", "team-structuur"], B: ["team-stabiel", "team-structuur"]}
    assert [u.agreed for u in answered] == [False, False, True]  # per answer they differ; per respondent they agree
    store.close()


def test_segments_agree_when_they_overlap_by_the_threshold_of_the_longer_one(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    text = "x" * 400
    answers(store, {"r1_q1": text})
    code_span(store, "r1_q1", 0, 100, "team-stabiel", A)
    code_span(store, "r1_q1", 5, 100, "team-stabiel", B)  # 95 of the longer 100: agrees at 0.9
    code_span(store, "r1_q1", 200, 300, "team-structuur", A)
    code_span(store, "r1_q1", 200, 250, "team-structuur", B)  # 50 of 100: two segments, each coded by one coder

    at_90 = compared_units(store, [A, B], UnitKind.SEGMENT)
    at_96 = compared_units(store, [A, B], UnitKind.SEGMENT, overlap=0.96)

    assert [(u.start, u.end, _codes(u)) for u in at_90] == [
        (0, 100, {A: ["team-stabiel"], B: ["team-stabiel"]}),
        (200, 250, {A: [], B: ["team-structuur"]}),
        (200, 300, {A: ["team-structuur"], B: []}),
    ]
    assert [u.agreed for u in at_96] == [False, False, False, False]
    assert segment_overlap(CodedSpan(0, 100, "x", A), CodedSpan(5, 100, "x", B)) == pytest.approx(0.95)
    store.close()


def test_one_coding_agrees_with_at_most_one_coding_of_each_other_coder(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"r1_q1": "y" * 300})
    code_span(store, "r1_q1", 0, 100, "team-stabiel", A)
    code_span(store, "r1_q1", 0, 98, "team-stabiel", B)
    code_span(store, "r1_q1", 1, 100, "team-stabiel", B)  # B coded the passage twice: the second is left over

    found = compared_units(store, [A, B], UnitKind.SEGMENT)

    assert sorted((u.start, u.end, u.agreed) for u in found) == [(0, 100, True), (1, 100, False)]
    store.close()


def test_character_runs_break_where_a_coder_starts_or_stops_coding(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"r1_q1": "z" * 1000})
    code_span(store, "r1_q1", 0, 125, "team-stabiel", A)
    code_span(store, "r1_q1", 75, 200, "team-stabiel", B)

    runs = compared_units(store, [A, B], UnitKind.CHARACTER)

    assert [(u.start, u.end, u.agreed) for u in runs] == [(0, 75, False), (75, 125, True), (125, 200, False)]
    assert compared_units(store, [A, B], UnitKind.CONTINUUM) == runs
    store.close()


def test_disagreements_are_the_units_where_codes_differ_within_a_code_and_everything_below_it(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"r1_q1": "Het team is stabiel.", "r2_q1": "Meer structuur.", "r3_q1": "Te weinig deelnemers."})
    code(store, "r1_q1", "stabiel", "team-stabiel", A)
    code(store, "r1_q1", "stabiel", "team-stabiel", B)
    code(store, "r2_q1", "structuur", "team-structuur", A)
    code(store, "r2_q1", "structuur", "team-stabiel", B)  # a neighbouring code
    code(store, "r3_q1", "weinig", "instroom-weinig", A)
    code(store, "r3_q1", "Te", "team-structuur", B)

    everything = disagreements(store, [A, B], UnitKind.ANSWER)
    in_team = disagreements(store, [A, B], UnitKind.ANSWER, "team")
    on_stabiel = disagreements(store, [A, B], UnitKind.ANSWER, "team-stabiel")
    instroom_theme = disagreements(store, [A, B], UnitKind.ANSWER, theme="instroom")

    assert [u.document for u in everything] == ["r2_q1", "r3_q1"]
    assert [(u.document, _codes(u)) for u in in_team] == [
        ("r2_q1", {A: ["team-structuur"], B: ["team-stabiel"]}),
        ("r3_q1", {A: [], B: ["team-structuur"]}),
    ]
    assert [u.document for u in on_stabiel] == ["r2_q1"]
    assert [(u.document, _codes(u)) for u in instroom_theme] == [("r3_q1", {A: ["instroom-weinig"], B: []})]
    store.close()


def test_the_starter_demos_second_coder_differs_where_the_demo_says(demo: Store) -> None:
    found = disagreements(demo, [A, B], UnitKind.SEGMENT)
    neighbouring = [u for u in found if u.codes[A] and u.codes[B]]

    # onderzoeker2 read "Elke aanvraag…" as bureaucracy and "dagelijkse aansturing" as a suggestion (codings.csv).
    assert sorted((_codes(u)[A], _codes(u)[B]) for u in neighbouring) == [
        (["knelpunten-team-meer-structuur"], ["suggesties-team-meer-aansturing"]),
        (["knelpunten-vrijheden-en-verlof"], ["knelpunten-wet-en-regelgeving-bureaucratie"]),
    ]


@pytest.mark.parametrize(
    ("coders", "message"),
    [
        ([A], r"needs at least two \(got 'onderzoeker1'\)"),
        ([A, A], "coder 'onderzoeker1' is named twice"),
        ([A, "onderzoekr2"], r"no coder named 'onderzoekr2' \(did you mean 'onderzoeker2'"),
        ([A, "senior"], "onderzoeker1 and senior have no document they all coded"),
    ],
)
def test_coders_that_cannot_be_compared_get_one_line_naming_why(tmp_path: Path, coders: list[str], message: str) -> None:
    store = empty_project(tmp_path)
    answers(store, {"r1_q1": "Het team is stabiel.", "r2_q1": "Te weinig deelnemers."})
    code(store, "r1_q1", "stabiel", "team-stabiel", A)
    code(store, "r1_q1", "stabiel", "team-stabiel", B)
    code(store, "r2_q1", "weinig", "instroom-weinig", "senior")

    with pytest.raises(AgreementError, match=message):
        compared_units(store, coders, UnitKind.ANSWER)
    store.close()


def test_unknown_units_codes_and_units_the_documents_lack_are_one_line_errors(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"r1_q1": "Het team is stabiel."})
    code(store, "r1_q1", "stabiel", "team-stabiel", A)
    code(store, "r1_q1", "stabiel", "team-stabiel", B)

    with pytest.raises(AgreementError, match=r"unknown unit 'sentance' \(did you mean 'sentence'\?\)"):
        parse_unit("sentance")
    assert parse_unit(" Turn ") is UnitKind.TURN
    with pytest.raises(AgreementError, match=r"unknown code 'team-stabeil' \(did you mean 'team-stabiel'"):
        compared_units(store, [A, B], UnitKind.ANSWER, ["team-stabeil"])
    with pytest.raises(AgreementError, match="coded no documents with speaker turns in common"):
        compared_units(store, [A, B], UnitKind.TURN)
    with pytest.raises(AgreementError, match="overlap 1.5 is not a share between 0 and 1"):
        compared_units(store, [A, B], UnitKind.SEGMENT, overlap=1.5)
    store.close()
