"""How far each coder is: coded units out of all units, per document, for the project screen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select

from workbench.core import schema
from workbench.core.corpus import cases, document_by_id
from workbench.core.model import CaseAttributes, Coding, DocumentKind
from workbench.core.store import Store
from workbench.core.units import coded_units, default_granularity, units


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
    """Every document (by name) with its unit count and each coder's coded units."""
    c, k, d = schema.codings, schema.coders, schema.documents
    by_case = {case.id: case.attributes for case in cases(store)}
    with store.reading() as conn:
        codings: dict[int, list[Coding]] = defaultdict(list)
        for r in conn.execute(select(c, k.c.name.label("coder")).join(k, k.c.id == c.c.coder_id)).mappings():
            codings[r["document_id"]].append(
                Coding(
                    id=r["id"], document_id=r["document_id"], start=r["start_offset"], end=r["end_offset"],
                    code_id=r["code_id"], coder=r["coder"],
                )
            )
        ids = [i for (i,) in conn.execute(select(d.c.id).order_by(d.c.name))]
        documents = [document_by_id(conn, i) for i in ids]
    progress = []
    for document in documents:
        spans = units(document, default_granularity(document))
        per_coder: dict[str, list[Coding]] = defaultdict(list)
        for coding in codings[document.id]:
            per_coder[coding.coder].append(coding)
        progress.append(
            DocumentProgress(
                name=document.name,
                kind=document.kind,
                case_id=document.case_id,
                case=by_case.get(document.case_id or "", CaseAttributes()),
                units=len(spans),
                coded_by={coder: sum(coded_units(spans, own)) for coder, own in sorted(per_coder.items())},
            )
        )
    return progress
