"""The agreement report: per code and overall, at each unit kind, with the values worked out by hand for small cases."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.comparison.coded_projects import answers, code, code_span, empty_project
from workbench.core.comparison.model import CONSENSUS, AgreementReport, CodeAgreement, UnitKind
from workbench.core.comparison.report import agreement_report
from workbench.core.corpus import get_document
from workbench.core.crosstabs import build_any
from workbench.core.store import Store
from workbench.core.tables import Source, TableDefinition, Unit
from workbench.core.units import Granularity, units
from workbench.errors import AgreementError

A, B, C = "onderzoeker1", "onderzoeker2", "senior"
FIVE = {f"r{n}_q1": f"Antwoord {n}: het team is stabiel en er is structuur." for n in range(1, 6)}


def _row(report: AgreementReport, code_id: str) -> CodeAgreement:
    return next(row for row in report.rows if row.code_id == code_id)


def _five_answers(tmp_path: Path, coders: dict[str, list[int]], other: dict[str, list[int]] | None = None) -> Store:
    """Five answers; each coder codes team-stabiel on the answers listed (1-based), and instroom-weinig on `other`'s."""
    store = empty_project(tmp_path)
    answers(store, FIVE)
    for coder, numbers in coders.items():
        for n in numbers:
            code(store, f"r{n}_q1", "stabiel", "team-stabiel", coder)
    for coder, numbers in (other or {}).items():
        for n in numbers:
            code(store, f"r{n}_q1", "structuur", "instroom-weinig", coder)
    # Every coder opened every answer: each marks the answer number, so all five are compared.
    for coder in coders:
        for n in range(1, 6):
            code(store, f"r{n}_q1", "Antwoord", "team-structuur", coder)
    return store


def test_two_coders_per_code_and_overall_match_the_hand_computed_values(tmp_path: Path) -> None:
    # team-stabiel: A on answers 1-3, B on 1-2. instroom-weinig: A on answer 5 only. team-structuur: both on all five.
    store = _five_answers(tmp_path, {A: [1, 2, 3], B: [1, 2]}, other={A: [5]})

    report = agreement_report(store, [A, B], UnitKind.ANSWER)

    stabiel = _row(report, "team-stabiel")
    # A = 1 1 1 0 0, B = 1 1 0 0 0: 4 of 5 agree. Cohen: pe = .6·.4 + .4·.6 = .48, κ = (.8 − .48)/.52 = 8/13.
    # Krippendorff: n = 10 values, 5 present; Do = 2/10, De = 2·5·5/(10·9) = 5/9, α = 1 − .2·9/5 = 16/25.
    # Gwet: π = (.6 + .4)/2 = .5, pe = 2·.5·.5 = .5, AC1 = (.8 − .5)/.5 = .6.
    assert (stabiel.units, stabiel.percent) == (5, pytest.approx(80.0))
    assert stabiel.kappa == pytest.approx(8 / 13)
    assert stabiel.alpha == pytest.approx(16 / 25)
    assert stabiel.ac1 == pytest.approx(0.6)
    assert stabiel.alpha_low <= stabiel.alpha <= stabiel.alpha_high
    assert dict(stabiel.counts) == {A: 3, B: 2}
    assert stabiel.reading == "unreliable"
    weinig = _row(report, "instroom-weinig")
    # A = 0 0 0 0 1, B = 0 0 0 0 0: n1 = 1, Do = 2/10, De = 2·1·9/90 = .2, α = 0; κ: pe = .8 = po, κ = 0.
    assert (weinig.percent, weinig.alpha, weinig.kappa) == (pytest.approx(80.0), pytest.approx(0.0), pytest.approx(0.0))
    structuur = _row(report, "team-structuur")
    # Both coded all five: one category only, so kappa and alpha are undefined, with the reason, never a silent 1.
    assert structuur.percent == pytest.approx(100.0)
    assert math.isnan(structuur.alpha) and math.isnan(structuur.kappa)
    assert "category" in structuur.note
    # Weakest first, the undefined last.
    assert [row.code_id for row in report.rows] == ["instroom-weinig", "team-stabiel", "team-structuur"]
    # Overall pools the 15 (answer, code) pairs: A present 3 + 1 + 5 = 9, B 2 + 0 + 5 = 7, 13 agree.
    # n = 30 values, 16 present, 14 absent; Do = 4/30, De = 2·16·14/(30·29); α = 1 − (4/30)·(30·29)/448 = 1 − 116/448.
    overall = report.overall
    assert (overall.code_id, overall.units, dict(overall.counts)) == ("", 15, {A: 9, B: 7})
    assert overall.percent == pytest.approx(100 * 13 / 15)
    assert overall.alpha == pytest.approx(1 - 116 / 448)
    assert report.documents == 5 and report.left_out == ()
    store.close()


def test_three_coders_get_fleiss_kappa(tmp_path: Path) -> None:
    store = _five_answers(tmp_path, {A: [1, 2, 3], B: [1, 2], C: [1]})

    row = _row(agreement_report(store, [A, B, C], UnitKind.ANSWER), "team-stabiel")

    # Present counts per answer 3, 2, 1, 0, 0 of 3. Per-answer agreement 1, 1/3, 1/3, 1, 1: mean 11/15.
    # p(present) = 6/15 = .4, Pe = .4² + .6² = .52; κ = (11/15 − .52)/.48 = 4/9.
    assert row.percent == pytest.approx(100 * 11 / 15)
    assert row.kappa == pytest.approx(4 / 9)
    assert dict(row.counts) == {A: 3, B: 2, C: 1}
    store.close()


def test_nvivo_coding_comparison_example_85_percent_and_kappa_0_314(tmp_path: Path) -> None:
    """NVivo's worked example: 1,000 characters, 50 coded by both, 75 by A only, 75 by B only."""
    store = empty_project(tmp_path)
    answers(store, {"source": "a" * 1000})
    code_span(store, "source", 0, 125, "team-stabiel", A)
    code_span(store, "source", 75, 200, "team-stabiel", B)

    row = _row(agreement_report(store, [A, B], UnitKind.CHARACTER), "team-stabiel")

    assert (row.units, dict(row.counts)) == (1000, {A: 125, B: 125})
    assert row.percent == pytest.approx(85.0)
    assert round(row.kappa, 3) == 0.314
    assert math.isnan(row.alpha_low)  # characters are not independent units: no bootstrap interval
    store.close()


def test_character_agreement_counts_every_compared_document_without_a_per_character_array(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"long": "b" * 2_000_000, "short": "c" * 100})
    code_span(store, "long", 1_000_000, 1_000_100, "team-stabiel", A)
    code_span(store, "long", 1_000_000, 1_000_100, "team-stabiel", B)
    code_span(store, "short", 0, 10, "team-structuur", A)
    code_span(store, "short", 0, 10, "team-structuur", B)

    report = agreement_report(store, [A, B], UnitKind.CHARACTER)

    assert {row.code_id: (row.units, row.percent, row.kappa) for row in report.rows} == {
        "team-stabiel": (2_000_100, 100.0, 1.0),
        "team-structuur": (2_000_100, 100.0, 1.0),
    }
    store.close()


def test_continuum_is_unitizing_alpha_one_when_the_coders_mark_the_same_segments(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"one": "d" * 500, "two": "e" * 500})
    for coder in (A, B):
        code_span(store, "one", 10, 60, "team-stabiel", coder)
        code_span(store, "two", 100, 200, "team-structuur", coder)
    code_span(store, "two", 300, 350, "team-stabiel", A)

    report = agreement_report(store, [A, B], UnitKind.CONTINUUM)

    assert _row(report, "team-structuur").alpha == pytest.approx(1.0)
    assert _row(report, "team-stabiel").alpha < 1
    assert _row(report, "team-stabiel").units == 1000  # both documents' characters, end to end
    assert dict(_row(report, "team-stabiel").counts) == {A: 100, B: 50}
    assert math.isnan(_row(report, "team-stabiel").kappa)
    store.close()


def test_segments_per_code_give_percent_agreement_and_overall_the_code_each_coder_gave(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"r1_q1": "f" * 400})
    code_span(store, "r1_q1", 0, 100, "team-stabiel", A)
    code_span(store, "r1_q1", 5, 100, "team-stabiel", B)  # 95 % of the longer: agrees
    code_span(store, "r1_q1", 200, 300, "team-structuur", A)
    code_span(store, "r1_q1", 200, 250, "team-structuur", B)  # 50 %: two segments

    report = agreement_report(store, [A, B], UnitKind.SEGMENT)

    stabiel, structuur = _row(report, "team-stabiel"), _row(report, "team-structuur")
    assert (stabiel.units, stabiel.percent, structuur.units, structuur.percent) == (1, 100.0, 2, 0.0)
    assert math.isnan(stabiel.alpha) and "only % agreement" in stabiel.note
    # Overall: three segments, A gave (stabiel, structuur, none), B (stabiel, none, structuur): 1 of 3 agree.
    assert (report.overall.units, report.overall.percent) == (3, pytest.approx(100 / 3))
    assert agreement_report(store, [A, B], UnitKind.SEGMENT, overlap=0.5).overall.percent == pytest.approx(100.0)
    store.close()


def test_document_units_add_code_frequency_per_document(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"d1": "stabiel stabiel", "d2": "stabiel", "d3": "structuur"})
    code(store, "d1", "stabiel", "team-stabiel", A)
    code(store, "d1", "stabiel", "team-stabiel", A, occurrence=2)
    code(store, "d1", "stabiel", "team-stabiel", B)
    for coder in (A, B):
        code(store, "d2", "stabiel", "team-stabiel", coder)
        code(store, "d3", "structuur", "team-structuur", coder)

    row = _row(agreement_report(store, [A, B], UnitKind.DOCUMENT), "team-stabiel")

    # Existence: both say present in d1 and d2, absent in d3. Frequency: 2 vs 1 in d1, 1 = 1, 0 = 0: 2 of 3 equal.
    assert (row.units, row.percent, row.alpha) == (3, pytest.approx(100.0), pytest.approx(1.0))
    assert row.frequency_percent == pytest.approx(200 / 3)
    assert row.frequency_alpha < 1
    assert math.isnan(_row(agreement_report(store, [A, B], UnitKind.ANSWER), "team-stabiel").frequency_percent)
    store.close()


def test_one_category_per_answer_within_a_theme(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"r1_q1": "Het team is stabiel.", "r2_q1": "Meer structuur.", "r3_q1": "Te weinig deelnemers."})
    code(store, "r1_q1", "stabiel", "team-stabiel", A)
    code(store, "r1_q1", "stabiel", "team-stabiel", B)
    code(store, "r2_q1", "structuur", "team-structuur", A)
    code(store, "r2_q1", "structuur", "team-stabiel", B)
    for coder in (A, B):
        code(store, "r3_q1", "weinig", "instroom-weinig", coder)  # outside the theme: "none" for both

    report = agreement_report(store, [A, B], UnitKind.ANSWER, theme="team")

    (row,) = report.rows
    # A = stabiel, structuur, none; B = stabiel, stabiel, none. po = 2/3; Cohen pe = 1/3·2/3 + 1/3·1/3 = 1/3, κ = 1/2.
    # Krippendorff: values stabiel 3, structuur 1, none 2 (n = 6); Do = 2/6, De = 2·(3·1 + 3·2 + 1·2)/30 = 22/30, α = 6/11.
    assert (row.code_id, row.units, report.overall) == ("team", 3, row)
    assert row.percent == pytest.approx(200 / 3)
    assert row.kappa == pytest.approx(0.5)
    assert row.alpha == pytest.approx(6 / 11)
    assert dict(row.counts) == {A: 2, B: 2}
    with pytest.raises(AgreementError, match="not on segment"):
        agreement_report(store, [A, B], UnitKind.SEGMENT, theme="team")
    store.close()


def test_senior_compares_a_new_coder_with_the_starter_demo_at_every_unit(demo: Store) -> None:
    """A new coder codes one staff questionnaire: one item the same, one a few words shorter, one a neighbouring code, one missed."""
    document = "vragenlijst_medewerker_02"
    code(demo, document, "Voor één verlofaanvraag moeten het OM, de gemeente, de wijkagent en de selectiefunctionaris allemaal iets "
         "vinden, en dat werkt enorm vertragend.", "knelpunten-wet-en-regelgeving-bureaucratie", C)
    code(demo, document, "afspraken in het team niet worden nagekomen", "knelpunten-team-afspraken-niet-nagekomen", C)
    code(demo, document, "Met acht of negen deelnemers kun je echt maatwerk leveren en per persoon kijken wat er nodig is.",
         "succesfactoren-werkwijze-inhoudelijk-laagdrempelig-contact", C)
    sentences = len(units(get_document(demo, document), Granularity.SENTENCE))

    by_sentence = agreement_report(demo, [A, C], UnitKind.SENTENCE)
    by_segment = agreement_report(demo, [A, C], UnitKind.SEGMENT)
    by_document = agreement_report(demo, [A, C], UnitKind.DOCUMENT)

    assert by_sentence.documents == 1 and len(by_sentence.left_out) == 4  # the documents only onderzoeker1 coded
    alphas = {row.code_id.rsplit("-", 1)[-1]: (row.units, row.alpha) for row in by_sentence.rows}
    # Same item, and the shorter boundary inside the same sentence: perfect. Missed or neighbouring: α = 0 exactly
    # (one sentence coded by one coder: Do = 2/(2N) = De).
    assert alphas == {
        "bureaucratie": (sentences, pytest.approx(1.0)),
        "nagekomen": (sentences, pytest.approx(1.0)),
        "groepsgrootte": (sentences, pytest.approx(0.0)),
        "contact": (sentences, pytest.approx(0.0)),
        "team": (sentences, pytest.approx(0.0)),
    }
    assert [row.alpha for row in by_sentence.rows][:3] == [pytest.approx(0.0)] * 3  # weakest first
    # As segments the shorter boundary is two segments (under 90 % of the longer): no longer an agreement.
    percents = {row.code_id.rsplit("-", 1)[-1]: row.percent for row in by_segment.rows}
    assert percents["bureaucratie"] == 100.0 and percents["nagekomen"] == 0.0
    # One document: where both coders agree only one category was used, so no chance-corrected statistic is defined
    # and the row says why; where they differ, α is 0 exactly (one pair, Do = De).
    rows = {row.code_id.rsplit("-", 1)[-1]: row for row in by_document.rows}
    assert all(row.units == 1 for row in rows.values())
    for agreed in ("bureaucratie", "nagekomen"):
        assert rows[agreed].percent == 100.0 and math.isnan(rows[agreed].alpha) and "undefined" in rows[agreed].note
    for differ in ("contact", "groepsgrootte", "team"):
        assert rows[differ].percent == 0.0 and rows[differ].alpha == pytest.approx(0.0)


def test_a_table_built_from_the_consensus_coder_counts_the_consensus_codings(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"r1_q1": "Het team is stabiel.", "r2_q1": "Stabiel, ja."}, case_of={"r1_q1": "R1", "r2_q1": "R2"})
    code(store, "r1_q1", "stabiel", "team-stabiel", A)
    code(store, "r2_q1", "Stabiel", "team-stabiel", A)
    code(store, "r1_q1", "stabiel", "team-stabiel", CONSENSUS)  # the review kept only r1's
    definition = TableDefinition(id="t", caption="Tabel T (n={n})", source=Source(), themes=("team",), unit=Unit.RESPONDENTS)

    def count(coder: str | None) -> int | None:
        (table,) = build_any(store, [TableDefinition(**{**definition.__dict__, "coder": coder})])
        return table.themes[0].items[0].count  # type: ignore[union-attr]

    assert (count(A), count(CONSENSUS)) == (2, 1)
    store.close()
