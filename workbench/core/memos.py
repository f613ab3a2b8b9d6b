"""Memos on whole documents: a coder's running notes beside the coding (memos on one coding are in codings)."""

from __future__ import annotations

from sqlalchemy import and_, select

from workbench.core import schema
from workbench.core.codings import coder_id_for
from workbench.core.corpus import document_by_name
from workbench.core.store import Store, timestamp


def document_memo(store: Store, document: str, coder: str) -> str:
    """This coder's memo on a document, or ""."""
    m, k, d = schema.document_memos, schema.coders, schema.documents
    with store.reading() as conn:
        text = conn.execute(
            select(m.c.text)
            .join(k, k.c.id == m.c.coder_id)
            .join(d, d.c.id == m.c.document_id)
            .where(and_(d.c.name == document, k.c.name == coder))
        ).scalar()
    return "" if text is None else str(text)


def set_document_memo(store: Store, document: str, coder: str, text: str) -> None:
    """Write, replace or (with blank text) remove a coder's memo on a document, as one action."""
    m = schema.document_memos
    with store.action("memo", coder) as changes:
        doc = document_by_name(changes.conn, document, str(store.project_dir))
        coder_id = coder_id_for(changes, coder)
        existing = changes.conn.execute(select(m.c.id).where(and_(m.c.document_id == doc.id, m.c.coder_id == coder_id))).scalar()
        if not text.strip():
            if existing is not None:
                changes.delete(m, existing)
            changes.summary = f"removed the memo on {document!r}"
        elif existing is None:
            changes.insert(m, {"document_id": doc.id, "coder_id": coder_id, "text": text, "updated": timestamp()})
            changes.summary = f"memo on {document!r}"
        else:
            changes.update(m, existing, {"text": text, "updated": timestamp()})
            changes.summary = f"memo on {document!r}"
