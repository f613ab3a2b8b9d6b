"""The senior settles where two coders differ; the consensus coder's codings are the result, and the tables count them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest

from tests.conftest import table_rows
from workbench.core.batch import NewDocument, add_documents
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding, coded_segments
from workbench.core.comparison.consensus import (
    ConsensusError,
    Decision,
    copy_agreed,
    decisions,
    progress,
    settle,
    settled_keys,
)
from workbench.core.comparison.model import CONSENSUS, ComparedUnit
from workbench.core.corpus import get_document
from workbench.core.crosstabs import build_any
from workbench.core.model import CaseAttributes, Code, DocumentKind
from workbench.core.store import Store
from workbench.core.tables import Table
from workbench.core.tables_file import parse_tables
from workbench.errors import CodebookError

CODERS = ("onderzoeker1", "onderzoeker2")
ANSWERS = {
    "M01": "Het contact met het personeel is goed. Hier word je echt gezien.",
    "M02": "Het team staat klaar en het contact is laagdrempelig.",
    "M03": "Weinig te doen in het weekend.",
    "M04": "Collega's helpen elkaar.",
    "M05": "Geen idee.",
}
#: Who coded what, as (respondent, coder, code, passage): a neighbouring theme, boundaries a few words off, a missed item.
CODINGS = (
    ("M01", "onderzoeker1", "contact", "Het contact met het personeel is goed."),
    ("M01", "onderzoeker2", "gezien", "Hier word je echt gezien."),
    ("M02", "onderzoeker1", "team", "Het team staat klaar"),
    ("M02", "onderzoeker2", "team", "Het team staat klaar en"),
    ("M02", "onderzoeker2", "contact", "het contact is laagdrempelig."),
    ("M03", "onderzoeker1", "contact", "Weinig te doen in het weekend."),
    ("M04", "onderzoeker1", "team", "Collega's helpen elkaar."),
    ("M04", "onderzoeker2", "team", "Collega's helpen elkaar."),
)
ITEMS = ("contact", "gezien", "team")
TABLES = """\
tables:
  - id: "1"
    caption: "Wat gaat goed (n={n})"
    source:
      documents: "vragenlijst/*"
    themes: [succesfactoren]
    coder: CODER
"""


def _name(respondent: str) -> str:
    return f"vragenlijst/{respondent}/q15"


@pytest.fixture
def review(tmp_path: Path) -> Iterator[Store]:
    """Five answers, coded independently by two coders."""
    store = Store.create(tmp_path / "review", "Review")
    add_documents(
        store,
        [
            NewDocument(
                name=_name(respondent), text=text, kind=DocumentKind.QUESTIONNAIRE_ANSWER, case_id=respondent,
                case_attributes=CaseAttributes(respondent_group="medewerkers", wave="T1"),
            )
            for respondent, text in ANSWERS.items()
        ],
        actor="senior", summary="imported",
    )
    add_code(store, Code(id="succesfactoren", name="Succesfactoren"), "senior")
    for code_id in ITEMS:
        add_code(store, Code(id=code_id, name=code_id.capitalize(), parent_id="succesfactoren"), "senior")
    for respondent, coder, code_id, passage in CODINGS:
        start = ANSWERS[respondent].index(passage)
        add_coding(store, document=_name(respondent), start=start, end=start + len(passage), code_id=code_id, coder=coder)
    yield store
    store.close()


def _units(store: Store, scope: Collection[str] = ITEMS) -> dict[str, ComparedUnit]:
    """Each answer as one unit, with the codes each coder gave it among `scope` (what the comparison hands the review)."""
    segments = coded_segments(store)
    units = {}
    for respondent, text in ANSWERS.items():
        name = _name(respondent)
        mine = [s for s in segments if s.document == name and s.coding.code_id in scope]
        codes = {coder: frozenset(s.coding.code_id for s in mine if s.coding.coder == coder) for coder in CODERS}
        units[respondent] = ComparedUnit(name, 0, len(text), f"{respondent} · answer 1/1", text, codes)
    return units


def _consensus(store: Store, respondent: str) -> set[tuple[str, str]]:
    """The consensus coder's (code, passage) on one answer."""
    return {(s.coding.code_id, s.text) for s in coded_segments(store, _name(respondent)) if s.coding.coder == CONSENSUS}


def _coder_spans(store: Store, respondent: str, coder: str) -> set[tuple[str, str]]:
    return {(s.coding.code_id, s.text) for s in coded_segments(store, _name(respondent)) if s.coding.coder == coder}


def _counts(table: Table) -> dict[str, int | None]:
    return {item.code_id or "": item.count for theme in table.themes for item in theme.items}


def _table(store: Store, coder: str) -> Table:
    (definition,) = parse_tables(TABLES.replace("CODER", coder), "tables.yaml")
    (table,) = build_any(store, [definition])
    assert isinstance(table, Table)
    return table


def _data(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {name: rows for name, rows in table_rows(store).items() if name != "actions"}


def test_taking_one_coders_codes_copies_their_passages_with_their_boundaries(review: Store) -> None:
    units = _units(review)
    action_id = settle(review, units["M01"], Decision.TAKE, coder="onderzoeker2", actor="senior")
    assert _consensus(review, "M01") == _coder_spans(review, "M01", "onderzoeker2")
    assert action_id == review.actions()[-1].id and review.actions()[-1].actor == "senior"
    assert units["M01"].key in settled_keys(review, ["contact", "gezien"])
    assert units["M01"].key not in settled_keys(review, ITEMS)  # nobody looked at "team" on it
    ((only,),) = decisions(review).values()
    assert (only.decision, only.coder, only.scope) == (Decision.TAKE, "onderzoeker2", frozenset({"contact", "gezien"}))


def test_taking_both_joins_a_codes_passages_whose_boundaries_are_a_few_words_apart(review: Store) -> None:
    settle(review, _units(review)["M02"], Decision.BOTH, actor="senior")
    first, second = _coder_spans(review, "M02", "onderzoeker1"), _coder_spans(review, "M02", "onderzoeker2")
    longer_team = max((text for code, text in first | second if code == "team"), key=len)
    assert _consensus(review, "M02") == {("team", longer_team), *((code, text) for code, text in second if code != "team")}


def test_neither_leaves_no_coding_yet_the_unit_counts_as_settled(review: Store) -> None:
    units = _units(review)
    settle(review, units["M03"], Decision.NEITHER, actor="senior")
    assert _consensus(review, "M03") == set()
    assert progress(review, [units["M01"], units["M02"], units["M03"]]) == (1, 3)
    assert settled_keys(review) == {units["M03"].key}


def test_a_recode_replaces_an_earlier_decision_on_the_unit(review: Store) -> None:
    units = _units(review)
    settle(review, units["M01"], Decision.TAKE, coder="onderzoeker1", actor="senior")
    settle(review, units["M01"], Decision.RECODE, codes=["team"], actor="senior")
    assert _consensus(review, "M01") == {("team", ANSWERS["M01"])}  # the unit's span: no coder marked a passage for it
    (latest,) = decisions(review)[units["M01"].key]
    assert (latest.decision, latest.codes, latest.coder) == (Decision.RECODE, ("team",), None)
    assert units["M01"].key in settled_keys(review, ["contact", "gezien", "team"])
    # Changing one's mind once more: taking a coder's codes leaves exactly that coder's, not the recoded one beside them.
    settle(review, units["M01"], Decision.TAKE, coder="onderzoeker1", actor="senior")
    assert _consensus(review, "M01") == _coder_spans(review, "M01", "onderzoeker1")


def test_undo_and_redo_of_a_decision_take_the_codings_and_the_settled_mark_together(review: Store) -> None:
    units = _units(review)
    before = _data(review)
    settle(review, units["M02"], Decision.TAKE, coder="onderzoeker1", actor="senior")
    after = _data(review)

    review.undo("senior")
    assert _data(review) == before
    assert progress(review, [units["M02"]]) == (0, 1)
    review.redo("senior")
    assert _data(review) == after
    assert progress(review, [units["M02"]]) == (1, 1)


def test_progress_counts_the_units_settled_for_the_codes_under_review(review: Store) -> None:
    contact_units = _units(review, ["contact"])
    disagreements = [unit for unit in contact_units.values() if not unit.agreed]
    assert len(disagreements) == 3  # M01 (only onderzoeker1), M02 (only onderzoeker2), M03 (only onderzoeker1)
    settle(review, disagreements[0], Decision.TAKE, coder="onderzoeker1", actor="senior", scope=["contact"])
    settle(review, disagreements[1], Decision.NEITHER, actor="senior", scope=["contact"])
    assert progress(review, disagreements, ["contact"]) == (2, 3)
    # Settled for contact says nothing about gezien, which the review did not look at.
    assert progress(review, disagreements, ["contact", "gezien"]) == (0, 3)
    # A decision on contact alone leaves the consensus coder's other codes on the unit as they were.
    assert {code for code, _ in _consensus(review, "M01")} == {"contact"}


def test_codes_all_coders_gave_are_copied_to_consensus_in_one_action(review: Store) -> None:
    units = _units(review)
    settle(review, units["M03"], Decision.NEITHER, actor="senior")
    logged = len(review.actions())

    copied = copy_agreed(review, units.values(), actor="senior")

    # M04: both coded team alike. M02: both gave team (boundaries a few words apart, joined), contact only one did.
    assert copied == 2
    assert len(review.actions()) == logged + 1
    assert _consensus(review, "M04") == _coder_spans(review, "M04", "onderzoeker1")
    assert _consensus(review, "M02") == {("team", "Het team staat klaar en")}
    assert _consensus(review, "M01") == set()  # a disagreement is left for the senior
    assert progress(review, [units["M02"]], ["team"]) == (1, 1) and progress(review, [units["M02"]], ["contact"]) == (0, 1)
    assert copy_agreed(review, units.values(), actor="senior") == 0
    assert len(review.actions()) == logged + 1
    review.undo("senior")
    assert _consensus(review, "M02") == _consensus(review, "M04") == set()


def test_a_unit_rated_by_one_coder_only_is_not_copied_as_agreed(review: Store) -> None:
    text = ANSWERS["M04"]
    alone = ComparedUnit(_name("M04"), 0, len(text), "M04", text, {"onderzoeker1": frozenset({"team"})})
    assert copy_agreed(review, [alone], actor="senior") == 0


def test_a_table_for_the_consensus_coder_counts_what_was_settled(review: Store) -> None:
    units = _units(review)
    chosen = {
        "M01": ("take", units["M01"].codes["onderzoeker2"]),
        "M02": ("both", units["M02"].codes["onderzoeker1"] | units["M02"].codes["onderzoeker2"]),
        "M03": ("neither", frozenset()),
    }
    settle(review, units["M01"], Decision.TAKE, coder="onderzoeker2", actor="senior")
    settle(review, units["M02"], Decision.BOTH, actor="senior")
    settle(review, units["M03"], Decision.NEITHER, actor="senior")
    copy_agreed(review, units.values(), actor="senior")
    settled = {respondent: codes for respondent, (_, codes) in chosen.items()} | {
        respondent: unit.codes["onderzoeker1"] for respondent, unit in units.items() if unit.agreed
    }
    expected = Counter(code for codes in settled.values() for code in codes)

    assert _counts(_table(review, CONSENSUS)) == dict(expected)
    assert _counts(_table(review, "onderzoeker1")) != dict(expected)
    assert progress(review, [unit for unit in units.values() if not unit.agreed]) == (3, 3)


def test_impossible_decisions_are_refused_and_write_nothing(review: Store) -> None:
    units = _units(review)
    before = table_rows(review)
    text = ANSWERS["M01"]
    respondent = ComparedUnit("M01", 0, 0, "M01", text, {"onderzoeker1": frozenset({"contact"}), "onderzoeker2": frozenset()})
    refusals: list[tuple[dict[str, object], ComparedUnit, str]] = [
        ({"decision": Decision.TAKE}, units["M01"], "name a coder with take"),
        ({"decision": Decision.TAKE, "coder": "onderzoeker3"}, units["M01"], "'onderzoeker3' is not one of the unit's coders"),
        ({"decision": Decision.NEITHER, "coder": "onderzoeker1"}, units["M01"], "only with take"),
        ({"decision": Decision.RECODE}, units["M01"], "give codes with recode"),
        ({"decision": "maybe"}, units["M01"], "unknown decision 'maybe'"),
        ({"decision": Decision.NEITHER}, respondent, "cannot be settled; settle its answers"),
    ]
    for kwargs, unit, message in refusals:
        with pytest.raises(ConsensusError, match=message):
            settle(review, unit, actor="senior", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(CodebookError, match="unknown code 'tema'"):
        settle(review, units["M01"], Decision.RECODE, codes=["tema"], actor="senior")
    assert table_rows(review) == before
    assert get_document(review, _name("M01")).text == text
