"""What a project holds, in a form two projects can be compared by (ids the store gives out left aside)."""

from __future__ import annotations

from sqlalchemy import select

from workbench.core import schema
from workbench.core.codebook import codebook
from workbench.core.codebook.qdc import code_guid
from workbench.core.codebook.sets import code_sets
from workbench.core.store import Store


def project_contents(store: Store) -> dict[str, object]:
    """Sources, codes, codings (on which text, by whom), coders, cases, attributes and memos, comparable across projects."""
    book = codebook(store)
    guid = {code.id: code_guid(code) for code in book.codes}
    with store.reading() as conn:
        documents = {r.id: r for r in conn.execute(select(schema.documents))}
        coders = {r.id: r.name for r in conn.execute(select(schema.coders))}
        codings = sorted(
            (documents[r.document_id].name, r.start_offset, r.end_offset, documents[r.document_id].text[r.start_offset:r.end_offset],
             guid[r.code_id], coders[r.coder_id], r.memo, r.created)
            for r in conn.execute(select(schema.codings))
        )
        document_attributes = sorted(
            (documents[r.document_id].name, r.key, r.value) for r in conn.execute(select(schema.document_attributes)))
        case_attributes = sorted((r.case_id, r.key, r.value) for r in conn.execute(select(schema.case_attributes)))
        cases = sorted(case_id for (case_id,) in conn.execute(select(schema.cases.c.id)))
        memos = sorted((documents[r.document_id].name, coders[r.coder_id], r.text) for r in conn.execute(select(schema.document_memos)))
    return {
        "documents": sorted((d.name, d.kind, d.text, d.case_id) for d in documents.values()),
        "codes": [(depth, code.name, code.description, code.color, code.codable, code.include, code.exclude, code.examples,
                   code.keywords, code.dimension, guid[code.id], guid.get(code.parent_id or "", None)) for depth, code in book.walk()],
        "code sets": [(s.guid, s.name, s.description, tuple(guid[i] for i in s.code_ids)) for s in code_sets(store)],
        "codings": codings,
        "coders": sorted(coders.values()),
        "cases": cases,
        "case attributes": case_attributes,
        "document attributes": document_attributes,
        "memos": memos,
    }
