"""How far each coder is: coded units out of all units, per document, for the project screen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from workbench.core import schema
from workbench.core.corpus import cases
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.store import Store
from workbench.core.units import default_units, touched_units


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


def project_progress(store: Store) -> list[DocumentProgress]:
    """Every document (by name) with its unit count and each coder's coded units.

    A fixed number of queries whatever the project's size: documents, turns and codings are each read once,
    in document order, and merged as they stream, so one text at a time is held, not the corpus.
    """
    c, k, d, t = schema.codings, schema.coders, schema.documents, schema.turns
    by_case = {case.id: case.attributes for case in cases(store)}
    progress = []
    with store.reading() as conn:
        coders = {int(i): str(name) for i, name in conn.execute(select(k.c.id, k.c.name))}
        turns = _ByDocument(conn.execute(select(t.c.document_id, t.c.start_offset, t.c.end_offset)
                                         .order_by(t.c.document_id, t.c.seq)))
        codings = _ByDocument(conn.execute(select(c.c.document_id, c.c.coder_id, c.c.start_offset, c.c.end_offset)
                                           .order_by(c.c.document_id)))
        documents = conn.execute(select(d.c.id, d.c.name, d.c.kind, d.c.text, d.c.case_id).order_by(d.c.id))
        for document_id, name, kind_value, text, case_id in documents:
            kind = DocumentKind(kind_value)
            spans = default_units(text, kind, [(start, end) for _, start, end in turns.rows(document_id)])
            per_coder: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for _, coder_id, start, end in codings.rows(document_id):
                per_coder[coders[coder_id]].append((start, end))
            progress.append(
                DocumentProgress(
                    name=name,
                    kind=kind,
                    case_id=case_id,
                    case=by_case.get(case_id or "", CaseAttributes()),
                    units=len(spans),
                    coded_by={coder: sum(touched_units(spans, own)) for coder, own in sorted(per_coder.items())},
                )
            )
    progress.sort(key=lambda p: p.name)
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
