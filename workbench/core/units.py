"""Codable units of a document: the spans a coder steps through (answers, turns, paragraphs, sentences)."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from workbench.core.model import Coding, Document, DocumentKind

Span = tuple[int, int]
_LINE = re.compile(r"[^\r\n]+")


class Granularity(enum.StrEnum):
    """How finely a document is cut into units."""

    ANSWER = "answer"
    TURN = "turn"
    PARAGRAPH = "paragraph"
    SENTENCE = "sentence"


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def paragraphs(text: str) -> list[Span]:
    """Non-blank lines, trimmed: an imported .docx paragraph or a transcript line each."""
    return [span for m in _LINE.finditer(text) if (span := _trimmed(text, m.start(), m.end())) is not None]


@lru_cache(maxsize=1)
def _sentencizer() -> Any:
    # spaCy costs ~2 s to load, so only when someone asks for sentences; blank Dutch needs no model download.
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str) -> list[Span]:
    """Sentences by spaCy's rule-based sentencizer, never crossing a line break."""
    nlp = _sentencizer()
    spans: list[Span] = []
    lines = paragraphs(text)
    for line_start, line_end, doc in zip(
        (s for s, _ in lines), (e for _, e in lines), nlp.pipe(text[s:e] for s, e in lines), strict=True
    ):
        for sentence in doc.sents:
            span = _trimmed(text, line_start + sentence.start_char, line_start + sentence.end_char)
            if span is not None and span[1] <= line_end:
                spans.append(span)
    return spans


def units(document: Document, granularity: Granularity) -> list[Span]:
    """The document cut at `granularity`; a granularity that does not apply falls back to paragraphs."""
    text = document.text
    if granularity is Granularity.ANSWER:
        whole = _trimmed(text, 0, len(text))
        return [whole] if whole else []
    if granularity is Granularity.TURN and document.turns:
        return [span for t in document.turns if (span := _trimmed(text, t.start, t.end)) is not None]
    if granularity is Granularity.SENTENCE:
        return sentences(text)
    return paragraphs(text)


def default_granularity(document: Document) -> Granularity:
    """An answer for questionnaire answers, turns for transcripts that have them, else paragraphs."""
    if document.kind is DocumentKind.QUESTIONNAIRE_ANSWER:
        return Granularity.ANSWER
    if document.turns:
        return Granularity.TURN
    return Granularity.PARAGRAPH


def default_units(text: str, kind: DocumentKind, turns: Sequence[Span]) -> list[Span]:
    """`units(document, default_granularity(document))` from the parts it needs (turns as (start, end)), for many documents."""
    if kind is DocumentKind.QUESTIONNAIRE_ANSWER:
        whole = _trimmed(text, 0, len(text))
        return [whole] if whole else []
    if turns:
        return [span for start, end in turns if (span := _trimmed(text, start, end)) is not None]
    return paragraphs(text)


def overlaps(a: Span, b: Span) -> bool:
    """Whether two spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def coded_units(unit_spans: Sequence[Span], codings: Iterable[Coding]) -> list[bool]:
    """For each unit, whether any of the codings touches it.

    A sweep over the units by their end: every coding that starts before a unit ends has been seen by then, and
    the unit is touched when the furthest end among those lies past its start. Sorting costs (units + codings)
    log, where testing each unit against each coding cost units × codings on a long, densely coded transcript.
    """
    return touched_units(unit_spans, ((c.start, c.end) for c in codings))


def touched_units(unit_spans: Sequence[Span], coded_spans: Iterable[Span]) -> list[bool]:
    """For each unit, whether any of the coded (start, end) spans touches it; `coded_units` on bare spans."""
    spans = sorted(coded_spans)
    coded = [False] * len(unit_spans)
    furthest_end = -1
    taken = 0
    for index in sorted(range(len(unit_spans)), key=lambda i: unit_spans[i][1]):
        unit_start, unit_end = unit_spans[index]
        while taken < len(spans) and spans[taken][0] < unit_end:
            furthest_end = max(furthest_end, spans[taken][1])
            taken += 1
        coded[index] = furthest_end > unit_start
    return coded


def uncoded_units(unit_spans: Sequence[Span], codings: Iterable[Coding]) -> list[Span]:
    """The units none of the codings touches, in order: what "next uncoded" steps through."""
    return [unit for unit, coded in zip(unit_spans, coded_units(unit_spans, codings), strict=True) if not coded]
