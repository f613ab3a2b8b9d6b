"""What the suggestions learn from and look at: the corpus cut into units, coded segments, rejected suggestions.

Everything is read in a few whole-table queries (documents, turns, codings, rejections) and joined here, so no query
grows with the corpus; each document's tokens come from the lemma cache.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Connection, Table, select

from workbench.core import schema
from workbench.core.codebook import Codebook, load_codebook
from workbench.core.model import Document, DocumentKind, SpeakerTurn
from workbench.core.store import Store
from workbench.core.units import Span, default_granularity, units
from workbench.errors import SuggestError
from workbench.suggest.pipeline import Cancelled, CorpusText, TokenCache, Tokens, pipeline_version

#: Bump when what a model learns from, or how, changes: stored models of an older version are retrained.
MODEL_VERSION = 1


@dataclass(frozen=True)
class Sample:
    """A span of a document with the codes given to it and the codes rejected for it."""

    document: str
    start: int
    end: int
    respondent: str
    tokens: Tokens
    codes: frozenset[str] = frozenset()
    rejected: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CorpusUnit:
    """A codable unit of a document (answer, turn or paragraph) with its tokens."""

    document: str
    start: int
    end: int
    respondent: str
    tokens: Tokens


@dataclass(frozen=True)
class Corpus:
    """The project's documents with their tokens, codings and rejections as the suggestions need them."""

    book: Codebook
    documents: tuple[Document, ...]
    tokens: dict[str, Tokens] = field(hash=False, compare=False)
    #: (document, start, end, code, coder) of every coding.
    codings: tuple[tuple[str, int, int, str, str], ...]
    #: (document, start, end, code, coder) of every rejected suggestion.
    rejections: tuple[tuple[str, int, int, str, str], ...]
    #: Where the tokens came from: the project's lemma cache, which also serves keywords' lemmas.
    cache: TokenCache | None = field(default=None, hash=False, compare=False)

    @cached_property
    def by_name(self) -> dict[str, Document]:
        """Documents by name."""
        return {d.name: d for d in self.documents}

    def respondent(self, document: str) -> str:
        """The document's case, or the document itself when it has none: the group cross-validation keeps together."""
        found = self.by_name[document]
        return found.case_id or found.name

    def units(self, document: str) -> list[CorpusUnit]:
        """A document's units at its default granularity, each with its tokens."""
        found = self.by_name[document]
        tokens = self.tokens[document]
        respondent = self.respondent(document)
        return [
            CorpusUnit(document, start, end, respondent, tokens.window(start, end))
            for start, end in units(found, default_granularity(found))
        ]

    def samples(self, coder: str | None = None) -> list[Sample]:
        """Training samples: each coded span once with every code given to it (by `coder`, or anyone), and each
        rejected unit with the codes rejected for it."""
        given: dict[tuple[str, int, int], set[str]] = defaultdict(set)
        refused: dict[tuple[str, int, int], set[str]] = defaultdict(set)
        for document, start, end, code_id, who in self.codings:
            if coder is None or who == coder:
                given[(document, start, end)].add(code_id)
        for document, start, end, code_id, who in self.rejections:
            if coder is None or who == coder:
                refused[(document, start, end)].add(code_id)
        samples = []
        for key in sorted(given.keys() | refused.keys()):
            document, start, end = key
            samples.append(
                Sample(document, start, end, self.respondent(document), self.tokens[document].window(start, end),
                       frozenset(given.get(key, ())), frozenset(refused.get(key, ())))
            )
        return samples

    def fingerprint(self, coder: str | None) -> str:
        """A hash of everything a model for `coder` learns from: codings, rejections, the code tree, the lemmatiser."""
        digest = hashlib.sha256(f"{MODEL_VERSION}|{pipeline_version()}|{coder or '*'}".encode())
        hashes = {d.name: d.content_hash for d in self.documents}
        for label, rows in (("coding", self.codings), ("rejection", self.rejections)):
            for document, start, end, code_id, who in sorted(rows):
                if coder is None or who == coder:
                    digest.update(f"{label}|{hashes[document]}|{start}|{end}|{code_id}\n".encode())
        for code in sorted(self.book.codes, key=lambda c: c.id):
            digest.update(f"code|{code.id}|{code.parent_id}\n".encode())
        return digest.hexdigest()


def load_corpus(
    store: Store, cache: TokenCache | None = None, documents: Sequence[str] | None = None, cancelled: Cancelled | None = None
) -> Corpus:
    """The corpus in one read transaction (all documents, or the named ones), tokens from the lemma cache.

    `cancelled`: asked while documents are analysed; SuggestCancelled once it is true.
    """
    with store.reading() as conn:
        book = load_codebook(conn)
        loaded = _documents(conn, documents)
        names = {d.id: d.name for d in loaded}
        codings = _spans(conn, schema.codings, names)
        rejections = _spans(conn, schema.suggestion_rejections, names)
    cache = cache or TokenCache(store)
    tokens = cache.tokens([CorpusText(d.name, d.content_hash, d.text) for d in loaded], cancelled)
    return Corpus(book, tuple(loaded), tokens, tuple(codings), tuple(rejections), cache)


def _documents(conn: Connection, wanted: Sequence[str] | None) -> list[Document]:
    d, t = schema.documents, schema.turns
    query = select(d.c.id, d.c.name, d.c.kind, d.c.text, d.c.content_hash, d.c.case_id).order_by(d.c.name)
    if wanted is not None and len(wanted) == 1:
        query = query.where(d.c.name == wanted[0])
    wanted_names = None if wanted is None else set(wanted)
    rows = [r for r in conn.execute(query) if wanted_names is None or r.name in wanted_names]
    if wanted is not None and len(rows) < len(set(wanted)):
        missing = sorted(set(wanted) - {r.name for r in rows})
        raise SuggestError(f"no document named {missing[0]!r} in the project")
    ids = {r.id for r in rows}
    turns: dict[int, list[SpeakerTurn]] = defaultdict(list)
    turn_query = select(t.c.document_id, t.c.seq, t.c.speaker, t.c.start_offset, t.c.end_offset).order_by(t.c.document_id, t.c.seq)
    if len(ids) == 1:
        turn_query = turn_query.where(t.c.document_id == next(iter(ids)))
    for r in conn.execute(turn_query):
        if r.document_id in ids:
            turns[r.document_id].append(SpeakerTurn(r.seq, r.speaker, r.start_offset, r.end_offset))
    return [
        Document(id=r.id, name=r.name, kind=DocumentKind(r.kind), text=r.text, content_hash=r.content_hash, case_id=r.case_id,
                 turns=tuple(turns[r.id]))
        for r in rows
    ]


def _spans(conn: Connection, table: Table, names: dict[int, str]) -> list[tuple[str, int, int, str, str]]:
    k = schema.coders
    query = select(table.c.document_id, table.c.start_offset, table.c.end_offset, table.c.code_id, k.c.name).join(
        k, k.c.id == table.c.coder_id
    )
    if len(names) == 1:
        query = query.where(table.c.document_id == next(iter(names)))
    return [(names[r[0]], r[1], r[2], r[3], r[4]) for r in conn.execute(query) if r[0] in names]


def learned_documents(store: Store, coder: str | None) -> list[str]:
    """The documents with codings or rejected suggestions (by `coder`, or anyone): all a model learns from."""
    d, k = schema.documents, schema.coders
    names: set[str] = set()
    with store.reading() as conn:
        for table in (schema.codings, schema.suggestion_rejections):
            query = select(d.c.name).distinct().join(table, table.c.document_id == d.c.id)
            if coder is not None:
                query = query.join(k, k.c.id == table.c.coder_id).where(k.c.name == coder)
            names.update(name for (name,) in conn.execute(query))
    return sorted(names)


def span_of(corpus: Corpus, document: str, start: int, end: int) -> Span:
    """Check that a span lies inside a document of the corpus; return it."""
    found = corpus.by_name.get(document)
    if found is None:
        raise SuggestError(f"no document named {document!r} in the project")
    if not 0 <= start < end <= len(found.text):
        raise SuggestError(f"document {document!r}: span {start}-{end} is not inside its text (0-{len(found.text)})")
    return (start, end)
