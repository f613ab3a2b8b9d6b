"""The researcher's answer to a suggestion: accept (an ordinary coding) or reject (remembered for that unit).

Accepting calls the core's `add_coding`, so the coding is one action in the log like any other and `u` undoes it;
the acceptance itself is noted in the same transaction (`suggestion_acceptances`, through the store's commit check)
and counts only while its coding exists. Rejecting is an undoable action of its own: the code is not offered again
for that unit and the unit becomes a negative example for that code when the model next learns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, and_, insert, select

from workbench.core import schema
from workbench.core.codebook import load_codebook
from workbench.core.codings import add_coding, check_span, coder_id_for
from workbench.core.corpus import document_by_name
from workbench.core.model import Coding
from workbench.core.store import Store, timestamp
from workbench.suggest.model import Acceptance, Suggestion


def accept(store: Store, suggestion: Suggestion, *, document: str, start: int, end: int, coder: str, memo: str = "") -> Coding:
    """Code the unit with the suggested code, as one undoable coding action; note that it was an accepted suggestion."""
    with _noting_acceptance(store, suggestion, document, start, end, coder):
        return add_coding(store, document=document, start=start, end=end, code_id=suggestion.code_id, coder=coder, memo=memo)


@contextmanager
def _noting_acceptance(store: Store, suggestion: Suggestion, document: str, start: int, end: int, coder: str) -> Iterator[None]:
    def note(conn: Connection, touched: frozenset[str]) -> None:
        # Called inside add_coding's transaction, just before it commits: the new coding is there to be found.
        if "codings" not in touched:
            return
        c, d, k = schema.codings, schema.documents, schema.coders
        coding_id = conn.execute(
            select(c.c.id).join(d, d.c.id == c.c.document_id).join(k, k.c.id == c.c.coder_id).where(
                and_(d.c.name == document, c.c.start_offset == start, c.c.end_offset == end, c.c.code_id == suggestion.code_id,
                     k.c.name == coder.strip())
            )
        ).scalar()
        if coding_id is not None:
            conn.execute(
                insert(schema.suggestion_acceptances).values(
                    coding_id=coding_id, code_id=suggestion.code_id, source=suggestion.source.value, score=suggestion.score, at=timestamp()
                )
            )

    with store.checking_commits(note):
        yield


def reject(store: Store, code_id: str, *, document: str, start: int, end: int, coder: str) -> bool:
    """Remember that `coder` rejected `code_id` for this unit, as one undoable action; False if it was rejected already."""
    r = schema.suggestion_rejections
    with store.action("reject suggestion", coder) as changes:
        conn = changes.conn
        doc = document_by_name(conn, document, str(store.project_dir))
        check_span(doc.name, len(doc.text), start, end)
        code = load_codebook(conn).get(code_id)
        coder_id = coder_id_for(changes, coder)
        known = conn.execute(
            select(r.c.id).where(
                and_(r.c.document_id == doc.id, r.c.start_offset == start, r.c.end_offset == end, r.c.code_id == code.id,
                     r.c.coder_id == coder_id)
            )
        ).first()
        if known is not None:
            return False
        changes.insert(
            r,
            {"document_id": doc.id, "start_offset": start, "end_offset": end, "code_id": code.id, "coder_id": coder_id, "at": timestamp()},
        )
        changes.summary = f"rejected suggestion {code.id!r} for {doc.name!r} {start}-{end}"
    return True


def rejected_codes(store: Store, document: str, start: int, end: int) -> set[str]:
    """Codes rejected (by anyone) for exactly this unit."""
    r, d = schema.suggestion_rejections, schema.documents
    query = select(r.c.code_id).join(d, d.c.id == r.c.document_id).where(
        and_(d.c.name == document, r.c.start_offset == start, r.c.end_offset == end)
    )
    with store.reading() as conn:
        return {code_id for (code_id,) in conn.execute(query)}


def acceptance_rates(store: Store) -> dict[str, Acceptance]:
    """Per code, accepted suggestions (whose coding still exists) and rejected ones: what the codebook screen shows."""
    a, c, r = schema.suggestion_acceptances, schema.codings, schema.suggestion_rejections
    with store.reading() as conn:
        accepted = Counter(code_id for (code_id,) in conn.execute(select(a.c.code_id).join(c, c.c.id == a.c.coding_id)))
        rejected = Counter(code_id for (code_id,) in conn.execute(select(r.c.code_id)))
    return {code_id: Acceptance(code_id, accepted[code_id], rejected[code_id]) for code_id in sorted(accepted.keys() | rejected.keys())}
