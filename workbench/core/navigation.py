"""Moving through a project while coding: the next unit a coder has not coded, across documents in the user's order.

With 112 questionnaire answers as separate documents, "next uncoded" must not stop at the end of one answer: it
goes on to the next document of the list the coder works through (the project screen's filter and order), and
only wraps around to the start of that list once every later place is coded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.core.codings import coded_segments
from workbench.core.corpus import get_document
from workbench.core.store import Store
from workbench.core.units import Span, default_granularity, uncoded_units, units

__all__ = ["Place", "next_uncoded_place"]


@dataclass(frozen=True)
class Place:
    """A document and a span in it."""

    document: str
    start: int
    end: int


def _uncoded(store: Store, document: str, coder: str) -> list[Span]:
    """The document's units (at its default unit) that none of the coder's codings touches, in text order."""
    found = get_document(store, document)
    spans = units(found, default_granularity(found))
    return uncoded_units(spans, [s.coding for s in coded_segments(store, document) if s.coding.coder == coder])


def next_uncoded_place(
    store: Store, coder: str, documents: Sequence[str], current: str, uncoded_here: Sequence[Span], after: int
) -> Place | None:
    """The first unit after `after` in `current` that the coder has not coded, else the first one in the documents
    after `current` in `documents`, wrapping around once; None when every unit of them is coded.

    `uncoded_here` are the current document's uncoded units at the unit the coder chose (the screen knows them);
    the other documents are read at their default unit, one at a time, stopping at the first with work left.
    """
    later = next((span for span in uncoded_here if span[0] > after), None)
    if later is not None:
        return Place(current, *later)
    index = documents.index(current) if current in documents else -1
    for name in [*documents[index + 1 :], *documents[: max(index, 0)]]:
        if name == current:
            continue
        spans = _uncoded(store, name, coder)
        if spans:
            return Place(name, *spans[0])
    earlier = next(iter(uncoded_here), None)
    return None if earlier is None else Place(current, *earlier)
