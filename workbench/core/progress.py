"""How far each coder is: coded units out of all units, per document, for the project screen.

The screen lists documents from `project_documents` (names, kinds and cases: no text, fast on any size) and reads
progress in the background with `read_progress`; reading again after coding passes the previous reading, so only
the documents whose text or codings changed since are read, not the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from workbench.core import schema
from workbench.core.corpus import cases
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.store import Store
from workbench.core.units import default_units, touched_units

#: More changed documents than this are read in one pass over the project rather than one at a time.
READ_ONE_BY_ONE = 200


@dataclass(frozen=True)
class ListedDocument:
    """A document as the project screen lists and groups it: no text, no counts."""

    name: str
    kind: DocumentKind
    case_id: str | None
    case: CaseAttributes


@dataclass(frozen=True)
class DocumentProgress:
    """One document's units and how many of them each coder has coded."""

    name: str
    kind: DocumentKind
    case_id: str | None
    case: CaseAttributes
    units: int
    coded_by: Mapping[str, int] = field(default_factory=dict, hash=False)

    def coded(self, coder: str) -> int:
        """Units this coder has coded."""
        return self.coded_by.get(coder, 0)


@dataclass(frozen=True)
class ProgressReading:
    """Every document's progress, by id and by name, with the mark of what each was read from.

    A mark changes when the document's text, name or any of its codings changes, so a later `read_progress` given
    this reading reads only the documents whose mark changed.
    """

    by_id: Mapping[int, DocumentProgress]
    marks: Mapping[int, Hashable]
    documents: Mapping[str, DocumentProgress] = field(init=False, hash=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "documents", {p.name: p for p in self.by_id.values()})


def project_documents(store: Store) -> list[ListedDocument]:
    """Every document by name with its kind and case: one query on documents that never touches their text."""
    d = schema.documents
    by_case = {case.id: case.attributes for case in cases(store)}
    with store.reading() as conn:
        rows = conn.execute(select(d.c.name, d.c.kind, d.c.case_id)).all()
    listed = [
        ListedDocument(name, DocumentKind(kind), case_id, by_case.get(case_id or "", CaseAttributes()))
        for name, kind, case_id in rows
    ]
    # Sorted here, not in SQL: PostgreSQL's collation would order names differently from SQLite's.
    listed.sort(key=lambda listed_document: listed_document.name)
    return listed


def project_progress(store: Store) -> list[DocumentProgress]:
    """Every document (by name) with its unit count and each coder's coded units.

    A fixed number of queries whatever the project's size: documents, turns and codings are each read once,
    in document order, and merged as they stream, so one text at a time is held, not the corpus.
    """
    return sorted(read_progress(store).by_id.values(), key=lambda p: p.name)


def read_progress(store: Store, previous: ProgressReading | None = None) -> ProgressReading:
    """Every document's progress; with a previous reading, only documents changed since it are read again.

    The marks are one aggregate query over codings (count, highest id, sums of offsets and of coders per document)
    beside each document's name and content hash: a coding added, removed, moved or given to another coder, or a text
    edited, changes its document's mark.
    """
    by_case = {case.id: case.attributes for case in cases(store)}
    with store.reading() as conn:
        marks = _marks(conn)
        coders = {int(i): str(name) for i, name in conn.execute(select(schema.coders.c.id, schema.coders.c.name))}
        changed = None if previous is None else [i for i, mark in marks.items() if previous.marks.get(i) != mark]
        if previous is None or changed is None or len(changed) > READ_ONE_BY_ONE:
            return ProgressReading(by_id=_read(conn, coders, by_case, None), marks=marks)
        by_id = {i: p for i, p in previous.by_id.items() if i in marks}
        for document_id in changed:
            by_id.update(_read(conn, coders, by_case, document_id))
    return ProgressReading(by_id=by_id, marks=marks)


def _marks(conn: Connection) -> dict[int, Hashable]:
    c, d = schema.codings, schema.documents
    per_document = (
        select(
            c.c.document_id,
            func.count().label("n"),
            func.max(c.c.id).label("top"),
            func.sum(c.c.start_offset).label("starts"),
            func.sum(c.c.end_offset).label("ends"),
            func.sum(c.c.coder_id).label("coders"),
        )
        .group_by(c.c.document_id)
        .subquery()
    )
    query = select(
        d.c.id, d.c.name, d.c.content_hash, per_document.c.n, per_document.c.top, per_document.c.starts,
        per_document.c.ends, per_document.c.coders,
    ).outerjoin(per_document, per_document.c.document_id == d.c.id)
    return {int(row[0]): tuple(int(v) if isinstance(v, int) else v for v in row[1:]) for row in conn.execute(query)}


def _read(
    conn: Connection, coders: Mapping[int, str], by_case: Mapping[str, CaseAttributes], document_id: int | None
) -> dict[int, DocumentProgress]:
    """Progress of one document, or with None of all: texts, turns and codings each read once, in document order."""
    c, d, t = schema.codings, schema.documents, schema.turns
    turn_rows = select(t.c.document_id, t.c.start_offset, t.c.end_offset).order_by(t.c.document_id, t.c.seq)
    coding_rows = select(c.c.document_id, c.c.coder_id, c.c.start_offset, c.c.end_offset).order_by(c.c.document_id)
    document_rows = select(d.c.id, d.c.name, d.c.kind, d.c.text, d.c.case_id).order_by(d.c.id)
    if document_id is not None:
        turn_rows = turn_rows.where(t.c.document_id == document_id)
        coding_rows = coding_rows.where(c.c.document_id == document_id)
        document_rows = document_rows.where(d.c.id == document_id)
    turns = _ByDocument(conn.execute(turn_rows))
    codings = _ByDocument(conn.execute(coding_rows))
    documents = conn.execute(document_rows)
    progress: dict[int, DocumentProgress] = {}
    for read_id, name, kind_value, text, case_id in documents:
        kind = DocumentKind(kind_value)
        spans = default_units(text, kind, [(start, end) for _, start, end in turns.rows(read_id)])
        per_coder: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for _, coder_id, start, end in codings.rows(read_id):
            per_coder[coders[coder_id]].append((start, end))
        progress[int(read_id)] = DocumentProgress(
            name=name,
            kind=kind,
            case_id=case_id,
            case=by_case.get(case_id or "", CaseAttributes()),
            units=len(spans),
            coded_by={coder: sum(touched_units(spans, own)) for coder, own in sorted(per_coder.items())},
        )
    return progress
class _ByDocument:
    """Rows ordered by their first column (a document id), handed out one document at a time as documents stream by."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self._rows = iter(rows)
        self._next: Sequence[Any] | None = next(self._rows, None)

    def rows(self, document_id: int) -> list[Sequence[Any]]:
        """This document's rows; rows of documents before it (none, with a foreign key) are passed over."""
        found = []
        while self._next is not None and self._next[0] <= document_id:
            if self._next[0] == document_id:
                found.append(self._next)
            self._next = next(self._rows, None)
        return found
