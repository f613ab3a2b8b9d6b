"""Which units a coder touched: the sort-and-sweep gives what testing every unit against every coding gave, on the same units."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.model import Coding
from workbench.core.store import Store
from workbench.core.units import Span, coded_units, default_granularity, default_units, overlaps, units


def _quadratic(unit_spans: list[Span], codings: list[Coding]) -> list[bool]:
    """The definition, as coded_units computed it before: a unit is coded when any coding overlaps it."""
    return [any(overlaps(unit, (c.start, c.end)) for c in codings) for unit in unit_spans]


_span = st.tuples(st.integers(0, 60), st.integers(0, 25)).map(lambda p: (p[0], p[0] + p[1]))
_coding = st.tuples(st.integers(0, 60), st.integers(1, 25)).map(lambda p: Coding(0, 1, p[0], p[0] + p[1], "code", "coder"))


@settings(max_examples=400)
@given(st.lists(_span, max_size=30), st.lists(_coding, max_size=30))
def test_any_units_and_codings_give_what_the_pairwise_test_gives(unit_spans: list[Span], codings: list[Coding]) -> None:
    assert coded_units(unit_spans, codings) == _quadratic(unit_spans, codings)


def test_units_out_of_order_and_nested_keep_their_own_answer() -> None:
    unit_spans = [(30, 40), (0, 100), (5, 6), (10, 20), (20, 20)]
    codings = [Coding(0, 1, 12, 14, "c", "j"), Coding(1, 1, 39, 45, "c", "j")]
    assert coded_units(unit_spans, codings) == [True, True, False, True, False]


def test_default_units_from_parts_are_the_documents_default_units(demo: Store) -> None:
    from workbench.core.corpus import document_summaries, get_document

    for summary in document_summaries(demo):
        document = get_document(demo, summary.name)
        turns = [(t.start, t.end) for t in document.turns]
        assert default_units(document.text, document.kind, turns) == units(document, default_granularity(document)), summary.name
