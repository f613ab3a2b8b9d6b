"""Documents and cases: adding imported texts, and reading them back exactly as stored."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, RowMapping, func, or_, select

from workbench.core import schema
from workbench.core.history import Changes
from workbench.core.matching import did_you_mean
from workbench.core.model import Case, CaseAttributes, Document, DocumentKind, DocumentSummary, SpeakerTurn
from workbench.core.store import Store, timestamp
from workbench.errors import AlreadyImportedError, CodingError, ImportError_


def content_hash(text: str) -> str:
    """SHA-256 of the text's UTF-8 bytes: how a re-import of the same content is recognised."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class StoredDocument:
    """A document just stored: its id, and the name it got (another than asked when that name was taken)."""

    id: int
    name: str
    renamed_from: str | None = None


def add_document(
    store: Store,
    *,
    name: str,
    text: str,
    kind: DocumentKind,
    actor: str,
    source: str = "",
    case_id: str | None = None,
    case_attributes: CaseAttributes | None = None,
    attributes: Mapping[str, str] | None = None,
    turns: Sequence[SpeakerTurn] = (),
) -> int:
    """Store one imported document (with its case, attributes and turns) as one action; return its id."""
    return store_document(
        store, name=name, text=text, kind=kind, actor=actor, source=source, case_id=case_id, case_attributes=case_attributes,
        attributes=attributes, turns=turns,
    ).id


def store_document(
    store: Store,
    *,
    name: str,
    text: str,
    kind: DocumentKind,
    actor: str,
    source: str = "",
    case_id: str | None = None,
    case_attributes: CaseAttributes | None = None,
    attributes: Mapping[str, str] | None = None,
    turns: Sequence[SpeakerTurn] = (),
    rename_if_taken: bool = False,
    qualifier: str | None = None,
) -> StoredDocument:
    """Store one imported document (with its case, attributes and turns) as one action.

    The same text already in the project is refused as already imported, whatever its name. A different text
    under a name already taken is refused too, unless `rename_if_taken`: then it is stored as "name (qualifier)"
    (say, the folder it came from) or, that being taken as well, "name (2)", "name (3)"….
    """
    label = source or name
    if not text.strip():
        raise ImportError_(f"{label}: empty document, nothing to import")
    digest = content_hash(text)
    for turn in turns:
        if not 0 <= turn.start <= turn.end <= len(text):
            raise ImportError_(f"{label}: speaker turn {turn.seq} ({turn.start}-{turn.end}) falls outside the text")
    d = schema.documents
    with store.action("import", actor, f"imported {name!r}") as changes:
        conn = changes.conn
        # The same text and the name asked for, in one look-up (both columns are indexed): one statement fewer per file.
        found = conn.execute(select(d.c.name, d.c.content_hash).where(or_(d.c.content_hash == digest, d.c.name == name))).all()
        same_text = next((row.name for row in found if row.content_hash == digest), None)
        if same_text is not None:
            reason = "a document with this name" if same_text == name else f"the same text as {same_text!r}"
            raise AlreadyImportedError(f"{label}: already imported ({reason} is in the project)")
        stored_name = name
        if any(row.name == name for row in found):
            if not rename_if_taken:
                raise AlreadyImportedError(f"{label}: already imported (a document with this name is in the project)")
            stored_name = _free_name(conn, name, qualifier)
        if case_id is not None:
            ensure_case(changes, case_id, case_attributes or CaseAttributes())
        document_id = changes.insert(
            d,
            {
                "name": stored_name, "kind": kind.value, "text": text, "content_hash": digest, "case_id": case_id, "source": source,
                "imported": timestamp(),
            },
        )
        changes.insert_many(
            schema.document_attributes,
            [{"document_id": document_id, "key": k, "value": v} for k, v in (attributes or {}).items()],
        )
        changes.insert_many(
            schema.turns,
            [
                {"document_id": document_id, "seq": t.seq, "speaker": t.speaker, "start_offset": t.start, "end_offset": t.end}
                for t in turns
            ],
        )
        renamed = f" as {stored_name!r}, the name being taken" if stored_name != name else ""
        changes.summary = f"imported {name!r}{renamed} ({kind.value}, {len(text)} characters)"
    return StoredDocument(int(document_id), stored_name, name if stored_name != name else None)


def _name_taken(conn: Connection, name: str) -> bool:
    d = schema.documents
    return conn.execute(select(d.c.id).where(d.c.name == name)).first() is not None


def _free_name(conn: Connection, name: str, qualifier: str | None) -> str:
    """ "name (qualifier)" if free, else the first free "name (N)" from 2 on."""
    if qualifier and qualifier.strip() and not _name_taken(conn, candidate := f"{name} ({qualifier.strip()})"):
        return candidate
    number = 2
    while _name_taken(conn, candidate := f"{name} ({number})"):
        number += 1
    return candidate


def ensure_case(changes: Changes, case_id: str, attributes: CaseAttributes) -> None:
    """Create the case if it is new and set the given attributes, inside the caller's action."""
    ensure_cases(changes, {case_id: attributes})


#: Case ids are looked up this many per statement: SQLite limits how many values one statement may bind.
_CASE_SLICE = 500


def ensure_cases(changes: Changes, wanted: Mapping[str, CaseAttributes]) -> None:
    """Create the cases that are new and set the given attributes of each, inside the caller's action.

    A few statements for the whole batch, not a few per case: a questionnaire of thousands of respondents brings
    thousands of cases at once.
    """
    conn = changes.conn
    c, ca = schema.cases, schema.case_attributes
    ids = list(wanted)
    existing: set[str] = set()
    stored: dict[tuple[str, str], tuple[int, str]] = {}
    for start in range(0, len(ids), _CASE_SLICE):
        chunk = ids[start : start + _CASE_SLICE]
        existing.update(case_id for (case_id,) in conn.execute(select(c.c.id).where(c.c.id.in_(chunk))))
        for row in conn.execute(select(ca.c.id, ca.c.case_id, ca.c.key, ca.c.value).where(ca.c.case_id.in_(chunk))):
            stored[(row.case_id, row.key)] = (int(row.id), str(row.value))
    changes.insert_many(c, [{"id": case_id} for case_id in ids if case_id not in existing])
    new_values = []
    changed: list[tuple[int, str, str]] = []
    for case_id, attributes in wanted.items():
        for key, value in attributes.as_dict().items():
            if (case_id, key) not in stored:
                new_values.append({"case_id": case_id, "key": key, "value": value})
            elif stored[(case_id, key)][1] != value:
                changed.append((stored[(case_id, key)][0], stored[(case_id, key)][1], value))
    changes.update_many(ca, "value", changed)
    changes.insert_many(ca, new_values)


def document_summaries(store: Store) -> list[DocumentSummary]:
    """Every document without its text, ordered by name, with its number of codings."""
    d, c = schema.documents, schema.codings
    coded = select(c.c.document_id, func.count().label("n")).group_by(c.c.document_id).subquery()
    query = (
        select(d.c.id, d.c.name, d.c.kind, func.length(d.c.text).label("length"), d.c.case_id, func.coalesce(coded.c.n, 0).label("n"))
        .outerjoin(coded, coded.c.document_id == d.c.id)
        .order_by(d.c.name)
    )
    with store.reading() as conn:
        return [
            DocumentSummary(id=r.id, name=r.name, kind=DocumentKind(r.kind), length=r.length, case_id=r.case_id, coding_count=r.n)
            for r in conn.execute(query)
        ]


def get_document(store: Store, name: str) -> Document:
    """The document called `name`, with its text exactly as imported."""
    with store.reading() as conn:
        return document_by_name(conn, name, store_label=str(store.project_dir))


def document_by_name(conn: Connection, name: str, store_label: str = "project") -> Document:
    """Load a document inside an open transaction; unknown names get an error that lists near matches."""
    d = schema.documents
    row = conn.execute(select(d).where(d.c.name == name)).mappings().first()
    if row is None:
        names = [n for (n,) in conn.execute(select(d.c.name).order_by(d.c.name))]
        hint = did_you_mean(name, names)
        raise CodingError(f"{store_label}: no document named {name!r}{hint}")
    return _document_from_row(conn, row)


def document_by_id(conn: Connection, document_id: int) -> Document:
    """Load a document by its id inside an open transaction."""
    d = schema.documents
    row = conn.execute(select(d).where(d.c.id == document_id)).mappings().one()
    return _document_from_row(conn, row)


def _document_from_row(conn: Connection, row: RowMapping) -> Document:
    da, t = schema.document_attributes, schema.turns
    document_id = row["id"]
    attributes = {r.key: r.value for r in conn.execute(select(da.c.key, da.c.value).where(da.c.document_id == document_id))}
    turns = tuple(
        SpeakerTurn(seq=r.seq, speaker=r.speaker, start=r.start_offset, end=r.end_offset)
        for r in conn.execute(select(t).where(t.c.document_id == document_id).order_by(t.c.seq))
    )
    return Document(
        id=int(row["id"]),
        name=str(row["name"]),
        kind=DocumentKind(row["kind"]),
        text=str(row["text"]),
        content_hash=str(row["content_hash"]),
        case_id=row["case_id"],
        source=str(row["source"]),
        imported=str(row["imported"]),
        attributes=attributes,
        turns=turns,
    )


def cases(store: Store) -> list[Case]:
    """Every case with its attributes, ordered by id."""
    ca = schema.case_attributes
    with store.reading() as conn:
        ids = [i for (i,) in conn.execute(select(schema.cases.c.id).order_by(schema.cases.c.id))]
        flat: dict[str, dict[str, str]] = {i: {} for i in ids}
        for r in conn.execute(select(ca.c.case_id, ca.c.key, ca.c.value)):
            flat[r.case_id][r.key] = r.value
    return [Case(id=i, attributes=CaseAttributes.from_dict(flat[i])) for i in ids]

