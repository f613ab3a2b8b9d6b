"""From codings to compared units: what each coder gave each answer, turn, sentence, paragraph, respondent, document,
segment or run of characters.

Which documents are compared: those every one of the coders went through. A coder went through a document they
coded at least once (any code), and every answer to a questionnaire question (from the same import) of which they
coded any answer: an answer left uncoded there is their decision that nothing applies, the missed item agreement
must count. A document only some of them went through is left out, and the report says which: a coder who never
opened it did not decide "absent".

When a coding counts for a unit (answer, turn, sentence, paragraph): when it covers at least half of the unit, or
when at least half of the coding lies inside the unit. A phrase coded inside a long turn counts for that turn; a
coding whose boundary runs a few words into the next sentence does not count for that sentence, so boundaries a few
words off are not read as disagreements; a coding over three sentences counts for all three.

Segments (MAXQDA's variant 3): per document and code, each coder's codings are matched one to one. Two codings
agree when they have the same code and overlap by at least `overlap` of the longer of the two
(|a ∩ b| / max(|a|, |b|) ≥ overlap). A matched group is one unit (its span the union of the group), an unmatched
coding a unit of its own. MAXQDA counts each coder's segments separately, so a matched pair counts twice there and
its % agreement is 2m / (2m + u) where ours is m / (m + u).

Characters (NVivo's coding comparison) and the continuum (unitizing α): the units listed are the runs of characters
over which every coder's set of codes stays the same, among the runs someone coded; the statistics count characters
from the runs' lengths, never from a per-character array.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import CompoundSelect, Select, and_, func, select, union

from workbench.core import schema
from workbench.core.codebook import Codebook, load_codebook
from workbench.core.comparison.model import ComparedUnit, UnitKind
from workbench.core.matching import did_you_mean
from workbench.core.model import Document, DocumentKind, SpeakerTurn
from workbench.core.store import Store
from workbench.core.text import shorten
from workbench.core.units import Granularity, Span, units
from workbench.errors import AgreementError

#: The document attribute the questionnaire importer gives each answer: which question it answers.
QUESTION_ID = "question_id"
#: A unit's text is cut to this many characters: enough to judge a disagreement, short enough to list many.
EXCERPT = 400
#: The unit kinds that cut documents into spans a coding counts for, and the documents each applies to.
_GRANULARITY = {
    UnitKind.ANSWER: Granularity.ANSWER,
    UnitKind.TURN: Granularity.TURN,
    UnitKind.SENTENCE: Granularity.SENTENCE,
    UnitKind.PARAGRAPH: Granularity.PARAGRAPH,
}
_WHICH_DOCUMENTS = {UnitKind.ANSWER: "questionnaire answers", UnitKind.TURN: "documents with speaker turns"}


@dataclass(frozen=True)
class CodedSpan:
    """One coding as comparison needs it: span, code and coder."""

    start: int
    end: int
    code_id: str
    coder: str

    @property
    def length(self) -> int:
        """Characters covered."""
        return self.end - self.start


@dataclass(frozen=True)
class ComparedDocument:
    """A document every coder coded, with their codings of the compared codes."""

    document: Document
    codings: tuple[CodedSpan, ...]

    @property
    def respondent(self) -> str:
        """The document's case, or its own name for a document without a case (it counts as a respondent of its own)."""
        return self.document.case_id or self.document.name


@dataclass(frozen=True)
class Comparison:
    """What the coders are compared on: the documents all of them coded and the codes compared."""

    coders: tuple[str, ...]
    book: Codebook
    documents: tuple[ComparedDocument, ...]
    #: The compared codes (each asked-for code with everything below it), or None for every code.
    code_ids: frozenset[str] | None = None
    #: Documents coded by some of the coders but not all: left out.
    left_out: tuple[str, ...] = ()
    #: How many documents all the coders coded, when `documents` holds only those a unit kind applies to (see
    #: `load_comparison`); None when `documents` holds all of them.
    coded_by_all: int | None = None

    @property
    def all_count(self) -> int:
        """How many documents every coder coded, whether or not all are loaded."""
        return len(self.documents) if self.coded_by_all is None else self.coded_by_all

    @cached_property
    def used_codes(self) -> frozenset[str]:
        """Every compared code some coder applied in the compared documents."""
        return frozenset(c.code_id for d in self.documents for c in d.codings)


def parse_unit(value: str) -> UnitKind:
    """The unit kind named `value` ("answer", "Turn"…), or an AgreementError naming the choices."""
    normal = value.strip().lower()
    try:
        return UnitKind(normal)
    except ValueError:
        choices = [kind.value for kind in UnitKind]
        hint = did_you_mean(normal, choices) or f" (choose {', '.join(choices)})"
        raise AgreementError(f"unknown unit {value!r}{hint}") from None


def check_overlap(overlap: float) -> float:
    """The segment-overlap threshold if it is a share above 0 and at most 1, else an AgreementError."""
    if not 0 < overlap <= 1:
        raise AgreementError(f"overlap {overlap:g} is not a share between 0 and 1 (e.g. 0.9 for 90 %)")
    return overlap


def expand_codes(book: Codebook, code_ids: Iterable[str]) -> frozenset[str]:
    """Each code with every code below it; an unknown id is an AgreementError that suggests near ids."""
    expanded: set[str] = set()
    for code_id in code_ids:
        if code_id not in book.by_id:
            raise AgreementError(f"unknown code {code_id!r}{did_you_mean(code_id, list(book.by_id))}")
        expanded.add(code_id)
        expanded.update(code.id for _, code in book.walk(code_id))
    return frozenset(expanded)


def _seen_by(names: Sequence[str]) -> CompoundSelect[tuple[int, str]]:
    """(document_id, coder) for every document a coder went through: one they coded, or a questionnaire answer to a
    question (from the same import) of which they coded any answer; leaving that answer uncoded was their decision."""
    c, k, d, a = schema.codings, schema.coders, schema.documents, schema.document_attributes
    coded = select(c.c.document_id, k.c.name.label("coder")).join(k, k.c.id == c.c.coder_id).where(k.c.name.in_(names)).subquery()
    question = (
        select(d.c.id.label("document_id"), d.c.source, a.c.value.label("question"))
        .join(a, and_(a.c.document_id == d.c.id, a.c.key == QUESTION_ID))
        .where(d.c.kind == DocumentKind.QUESTIONNAIRE_ANSWER.value)
        .subquery()
    )
    answered = (
        select(question.c.source, question.c.question, coded.c.coder)
        .join(coded, coded.c.document_id == question.c.document_id)
        .distinct()
        .subquery()
    )
    via_question = select(question.c.document_id, answered.c.coder).join(
        answered, and_(answered.c.source == question.c.source, answered.c.question == question.c.question)
    )
    return union(select(coded.c.document_id, coded.c.coder), via_question)


def load_comparison(
    store: Store, coders: Sequence[str], code_ids: Collection[str] | None = None, unit: UnitKind | None = None
) -> Comparison:
    """Read, in one snapshot, the documents every coder coded and their codings of the compared codes.

    With `unit` answer or turn only the documents that unit applies to are read (answers; transcripts with turns), and
    the others are only counted: comparing answers must not hold every coded transcript's text.
    """
    names = tuple(name.strip() for name in coders)
    if len(names) < 2:
        raise AgreementError(f"comparing coders needs at least two (got {', '.join(map(repr, names)) or 'none'})")
    if len(set(names)) < len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise AgreementError(f"coder {twice!r} is named twice; name each coder once")
    c, k, d, t = schema.codings, schema.coders, schema.documents, schema.turns
    with store.reading() as conn:
        known = [name for (name,) in conn.execute(select(k.c.name).order_by(k.c.name))]
        for name in names:
            if name not in known:
                hint = did_you_mean(name, known) or f" (coders: {', '.join(known) or 'none yet'})"
                raise AgreementError(f"{store.project_dir}: no coder named {name!r}{hint}")
        book = load_codebook(conn)
        wanted = None if code_ids is None else expand_codes(book, code_ids)
        # One IN over the two or three coder names; documents are chosen by a subquery, never by a list of ids.
        seen = _seen_by(names).subquery()
        by_coders = select(seen.c.document_id)
        by_all = by_coders.group_by(seen.c.document_id).having(func.count(func.distinct(seen.c.coder)) == len(names))
        coded_by_all: int | None = None
        loaded = _scoped(by_all, unit)
        if loaded is not by_all:
            coded_by_all = int(conn.execute(select(func.count()).select_from(by_all.subquery())).scalar_one())
        turns: dict[int, list[SpeakerTurn]] = defaultdict(list)
        # An answer is one unit whatever turns it has: comparing answers reads none.
        turn_rows = () if unit is UnitKind.ANSWER else conn.execute(
            select(t).where(t.c.document_id.in_(loaded)).order_by(t.c.document_id, t.c.seq)
        ).mappings()
        for row in turn_rows:
            turns[row["document_id"]].append(SpeakerTurn(row["seq"], row["speaker"], row["start_offset"], row["end_offset"]))
        codings: dict[int, list[CodedSpan]] = defaultdict(list)
        query = (
            select(c.c.document_id, c.c.start_offset, c.c.end_offset, c.c.code_id, k.c.name)
            .join(k, k.c.id == c.c.coder_id)
            .where(k.c.name.in_(names), c.c.document_id.in_(loaded))
            .order_by(c.c.document_id, c.c.start_offset, c.c.end_offset, c.c.code_id, k.c.name)
        )
        for document_id, start, end, code_id, coder in conn.execute(query):
            if wanted is None or code_id in wanted:
                codings[document_id].append(CodedSpan(start, end, code_id, coder))
        documents = tuple(
            ComparedDocument(
                Document(id=r.id, name=r.name, kind=DocumentKind(r.kind), text=r.text, content_hash="", case_id=r.case_id,
                         turns=tuple(turns[r.id])),
                tuple(codings[r.id]),
            )
            for r in conn.execute(select(d.c.id, d.c.name, d.c.kind, d.c.text, d.c.case_id).where(d.c.id.in_(loaded)).order_by(d.c.name))
        )
        # Coded by some of the coders but not all: one grouped pass (an IN of every coded document and a NOT IN of those
        # all coded took most of the reading on 25,000 answers).
        by_some = by_coders.group_by(seen.c.document_id).having(func.count(func.distinct(seen.c.coder)) < len(names))
        left_out = tuple(name for (name,) in conn.execute(select(d.c.name).where(d.c.id.in_(by_some)).order_by(d.c.name)))
    if not documents and not coded_by_all:
        raise AgreementError(f"{store.project_dir}: {_joined(names)} have no document they all coded; nothing to compare")
    return Comparison(coders=names, book=book, documents=documents, code_ids=wanted, left_out=left_out, coded_by_all=coded_by_all)


def _scoped(by_all: Select[tuple[int]], unit: UnitKind | None) -> Select[tuple[int]]:
    """The documents of `by_all` a unit kind applies to: answers, or transcripts with turns; `by_all` for other kinds."""
    # Aliases, so the subquery never correlates with the documents or turns of the statement it is used in.
    d, t = schema.documents.alias("scoped_documents"), schema.turns.alias("scoped_turns")
    if unit is UnitKind.ANSWER:
        return select(d.c.id).where(d.c.id.in_(by_all), d.c.kind == DocumentKind.QUESTIONNAIRE_ANSWER.value)
    if unit is UnitKind.TURN:
        return select(d.c.id).where(d.c.id.in_(by_all), select(t.c.id).where(t.c.document_id == d.c.id).exists())
    return by_all


def compared_units(
    store: Store, coders: Sequence[str], unit: UnitKind, code_ids: Collection[str] | None = None, *, overlap: float = 0.9
) -> list[ComparedUnit]:
    """The units the coders are compared on, each with the codes every coder gave it (among `code_ids` and below)."""
    return units_of(load_comparison(store, coders, code_ids, unit), unit, check_overlap(overlap))


def disagreements(
    store: Store,
    coders: Sequence[str],
    unit: UnitKind,
    code_id: str | None = None,
    *,
    theme: str | None = None,
    overlap: float = 0.9,
) -> list[ComparedUnit]:
    """The units where the coders' codes differ, among `code_id` (or `theme`) and the codes below it, or all codes."""
    if code_id is not None and theme is not None:
        raise AgreementError("give a code or a theme, not both")
    chosen = code_id if code_id is not None else theme
    return [u for u in compared_units(store, coders, unit, None if chosen is None else [chosen], overlap=overlap) if not u.agreed]


def documents_for(comparison: Comparison, unit: UnitKind) -> list[ComparedDocument]:
    """The compared documents a unit kind applies to: answers only questionnaire answers, turns only transcripts with turns."""
    if unit is UnitKind.ANSWER:
        return [d for d in comparison.documents if d.document.kind is DocumentKind.QUESTIONNAIRE_ANSWER]
    if unit is UnitKind.TURN:
        return [d for d in comparison.documents if d.document.turns]
    return list(comparison.documents)


def units_of(comparison: Comparison, unit: UnitKind, overlap: float = 0.9) -> list[ComparedUnit]:
    """The compared units of one kind, from a loaded comparison."""
    documents = documents_for(comparison, unit)
    if not documents:
        raise AgreementError(
            f"{_joined(comparison.coders)} coded no {_WHICH_DOCUMENTS.get(unit, 'documents')} in common; choose another unit"
        )
    coders = comparison.coders
    if unit in _GRANULARITY:
        return [u for d in documents for u in _span_units(d, _GRANULARITY[unit], coders)]
    if unit is UnitKind.RESPONDENT:
        return _respondent_units(documents, coders)
    if unit is UnitKind.DOCUMENT:
        return [
            ComparedUnit(d.document.name, 0, len(d.document.text), d.document.name, _excerpt(d.document.text),
                         _code_sets(d.codings, coders))
            for d in documents
        ]
    if unit is UnitKind.SEGMENT:
        return _merged_by_span([u for d in documents for u in segment_units(d, coders, overlap)])
    return [u for d in documents for u in character_runs(d, coders)]


def _span_units(compared: ComparedDocument, granularity: Granularity, coders: Sequence[str]) -> list[ComparedUnit]:
    """The document cut at `granularity`, each unit with the codes whose codings count for it (see the module)."""
    document = compared.document
    spans = sorted(units(document, granularity))
    given: list[dict[str, set[str]]] = [{coder: set() for coder in coders} for _ in spans]
    # Sort and sweep: a binary search finds the first unit a coding can reach, the loop stops past its end.
    reach = list(itertools.accumulate((end for _, end in spans), max))
    for coding in compared.codings:
        index = bisect.bisect_right(reach, coding.start)
        while index < len(spans) and spans[index][0] < coding.end:
            if counts_for(spans[index], coding):
                given[index][coding.coder].add(coding.code_id)
            index += 1
    name = granularity.value
    return [
        ComparedUnit(document.name, start, end, f"{document.name} · {name} {number}/{len(spans)}",
                     _excerpt(document.text[start:end]), {coder: frozenset(codes) for coder, codes in sets.items()})
        for number, ((start, end), sets) in enumerate(zip(spans, given, strict=True), start=1)
    ]


def counts_for(unit: Span, coding: CodedSpan) -> bool:
    """Whether a coding counts for a unit: it covers at least half the unit, or at least half of it lies inside."""
    shared = min(unit[1], coding.end) - max(unit[0], coding.start)
    return shared > 0 and (2 * shared >= unit[1] - unit[0] or 2 * shared >= coding.length)


def _code_sets(codings: Iterable[CodedSpan], coders: Sequence[str]) -> dict[str, frozenset[str]]:
    sets: dict[str, set[str]] = {coder: set() for coder in coders}
    for coding in codings:
        sets[coding.coder].add(coding.code_id)
    return {coder: frozenset(codes) for coder, codes in sets.items()}


def _respondent_units(documents: Sequence[ComparedDocument], coders: Sequence[str]) -> list[ComparedUnit]:
    """One unit per respondent: the codes each coder gave anywhere in the respondent's compared documents."""
    by_respondent: dict[str, list[ComparedDocument]] = defaultdict(list)
    for compared in documents:
        by_respondent[compared.respondent].append(compared)
    return [
        ComparedUnit(respondent, 0, 0, f"respondent {respondent}", _excerpt("; ".join(d.document.name for d in own)),
                     _code_sets((c for d in own for c in d.codings), coders))
        for respondent, own in sorted(by_respondent.items())
    ]


def segment_overlap(a: CodedSpan, b: CodedSpan) -> float:
    """How much two codings overlap, as a share of the longer of the two (0 when they do not touch)."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    return max(shared, 0) / max(a.length, b.length)


@dataclass(frozen=True)
class SegmentGroup:
    """Codings of one code that match across coders (one per coder at most): one segment unit."""

    code_id: str
    codings: tuple[CodedSpan, ...]

    @property
    def span(self) -> Span:
        """The union of the group's spans."""
        return min(c.start for c in self.codings), max(c.end for c in self.codings)

    def has(self, coder: str) -> bool:
        """Whether this coder's coding is in the group."""
        return any(c.coder == coder for c in self.codings)


def segment_groups(compared: ComparedDocument, coders: Sequence[str], overlap: float) -> list[SegmentGroup]:
    """Each coder's codings matched one to one, per code: in text order, a coding takes from every other coder
    the unmatched coding of the same code that overlaps it most, if by at least `overlap` of the longer one."""
    by_code: dict[str, dict[str, list[CodedSpan]]] = defaultdict(lambda: {coder: [] for coder in coders})
    for coding in compared.codings:
        by_code[coding.code_id][coding.coder].append(coding)
    groups: list[SegmentGroup] = []
    for code_id in sorted(by_code):
        own = {coder: sorted(spans, key=lambda s: (s.start, s.end)) for coder, spans in by_code[code_id].items()}
        starts = {coder: [s.start for s in spans] for coder, spans in own.items()}
        longest = {coder: max((s.length for s in spans), default=0) for coder, spans in own.items()}
        taken: set[CodedSpan] = set()
        for anchor in sorted((s for spans in own.values() for s in spans), key=lambda s: (s.start, s.end, s.coder)):
            if anchor in taken:
                continue
            taken.add(anchor)
            members = [anchor]
            for coder in coders:
                if coder == anchor.coder:
                    continue
                # Only codings starting within reach of the anchor can overlap it: a window found by binary search.
                low = bisect.bisect_left(starts[coder], anchor.start - longest[coder])
                high = bisect.bisect_left(starts[coder], anchor.end)
                candidates = [s for s in own[coder][low:high] if s not in taken and segment_overlap(anchor, s) >= overlap]
                if candidates:
                    best = max(candidates, key=lambda s: (segment_overlap(anchor, s), -s.start))
                    taken.add(best)
                    members.append(best)
            groups.append(SegmentGroup(code_id, tuple(members)))
    return sorted(groups, key=lambda g: (g.span, g.code_id))


def segment_units(compared: ComparedDocument, coders: Sequence[str], overlap: float) -> list[ComparedUnit]:
    """The document's segment units: one per matched group of codings (see `segment_groups`)."""
    document = compared.document
    result = []
    for group in segment_groups(compared, coders, overlap):
        start, end = group.span
        codes = {coder: frozenset({group.code_id}) if group.has(coder) else frozenset() for coder in coders}
        label = f"{document.name} · {start}-{end}"
        result.append(ComparedUnit(document.name, start, end, label, _excerpt(document.text[start:end]), codes))
    return result


def _merged_by_span(found: Sequence[ComparedUnit]) -> list[ComparedUnit]:
    """Units with the same span become one (A coded X and B coded Y on the same passage: one disagreement to settle)."""
    merged: dict[tuple[str, int, int], ComparedUnit] = {}
    for unit in found:
        if unit.key in merged:
            before = merged[unit.key]
            codes = {coder: before.codes[coder] | unit.codes[coder] for coder in before.codes}
            merged[unit.key] = ComparedUnit(unit.document, unit.start, unit.end, unit.label, unit.text, codes)
        else:
            merged[unit.key] = unit
    return list(merged.values())


def character_runs(compared: ComparedDocument, coders: Sequence[str]) -> list[ComparedUnit]:
    """The runs of characters over which each coder's codes stay the same, among those someone coded, in text order."""
    document = compared.document
    events: list[tuple[int, int, str, str]] = []
    for coding in compared.codings:
        events.append((coding.start, 1, coding.coder, coding.code_id))
        events.append((coding.end, -1, coding.coder, coding.code_id))
    events.sort()
    active: dict[tuple[str, str], int] = defaultdict(int)
    runs: list[ComparedUnit] = []
    previous = 0
    for position, group in itertools.groupby(events, key=lambda event: event[0]):
        if position > previous and active:
            codes: dict[str, set[str]] = {coder: set() for coder in coders}
            for coder, code_id in active:
                codes[coder].add(code_id)
            runs.append(
                ComparedUnit(document.name, previous, position, f"{document.name} · {previous}-{position}",
                             _excerpt(document.text[previous:position]), {coder: frozenset(s) for coder, s in codes.items()})
            )
        for _, step, coder, code_id in group:
            active[(coder, code_id)] += step
            if not active[(coder, code_id)]:
                del active[(coder, code_id)]
        previous = position
    return runs


def _excerpt(text: str) -> str:
    return shorten(text, EXCERPT)


def _joined(names: Sequence[str]) -> str:
    """"a and b", "a, b and c"."""
    return f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else "".join(names)
