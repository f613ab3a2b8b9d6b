"""Codings: a coder's code on a character span of a document; adding, removing, listing and dumping them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import Connection, RowMapping, and_, func, select

from workbench.core import schema
from workbench.core.codebook import Codebook, code_from_row, load_codebook
from workbench.core.corpus import document_by_name
from workbench.core.history import Changes
from workbench.core.model import Code, Coding
from workbench.core.spreadsheet_cells import spreadsheet_safe
from workbench.core.store import Store, timestamp
from workbench.errors import CodingError


@dataclass(frozen=True)
class CodedSegment:
    """A coding with what a reader needs beside it: document name, code name and path, the coded text."""

    coding: Coding
    document: str
    code_name: str
    code_path: tuple[str, ...]
    text: str


def coder_id_for(changes: Changes, name: str) -> int:
    """The id of a coder by name, created on first use inside the caller's action."""
    name = name.strip()
    if not name:
        raise CodingError("a coding needs a coder name")
    found = changes.conn.execute(select(schema.coders.c.id).where(schema.coders.c.name == name)).scalar()
    if found is not None:
        return int(found)
    return int(changes.insert(schema.coders, {"name": name}))


def check_span(document: str, length: int, start: int, end: int) -> None:
    """Refuse offsets that are not a non-empty span inside the document's text."""
    if start < 0 or end > length or start >= end:
        raise CodingError(
            f"document {document!r}: span {start}-{end} is not inside its text (valid offsets 0-{length}, start before end)"
        )


def add_coding(
    store: Store, *, document: str, start: int, end: int, code_id: str, coder: str, memo: str = ""
) -> Coding:
    """Apply a code to [start, end) of a document as one action; refuse bad offsets, codes and duplicates."""
    with store.action("code", coder) as changes:
        conn = changes.conn
        doc_id, doc_name, length = _document_extent(conn, document, str(store.project_dir))
        check_span(doc_name, length, start, end)
        code = _code(conn, code_id)
        if not code.codable:
            raise CodingError(f"code {code.id!r} ({code.name}) groups other codes and is not applied to text (codable: false)")
        coder_id = coder_id_for(changes, coder)
        existing = _find(conn, doc_id, start, end, code.id, coder_id)
        if existing is not None:
            raise CodingError(f"document {doc_name!r}: {start}-{end} is already coded {code.id!r} by {coder} (coding #{existing})")
        created = timestamp()
        coding_id = changes.insert(
            schema.codings,
            {
                "document_id": doc_id, "start_offset": start, "end_offset": end, "code_id": code.id,
                "coder_id": coder_id, "memo": memo, "created": created,
            },
        )
        changes.summary = f"coded {doc_name!r} {start}-{end} as {code.id!r} (coding #{coding_id})"
    return Coding(
        id=int(coding_id), document_id=doc_id, start=start, end=end, code_id=code.id, coder=coder.strip(), memo=memo, created=created
    )


def _document_extent(conn: Connection, name: str, label: str) -> tuple[int, str, int]:
    """A document's id, name and text length, without reading its text and turns (a coding needs no more)."""
    d = schema.documents
    row = conn.execute(select(d.c.id, d.c.name, func.length(d.c.text)).where(d.c.name == name)).first()
    if row is None:
        document_by_name(conn, name, label)  # raises, with the near matches
        raise CodingError(f"{label}: no document named {name!r}")
    return int(row[0]), str(row[1]), int(row[2])


def _code(conn: Connection, code_id: str) -> Code:
    """One code of the codebook; an unknown id gets the codebook's error, with near matches."""
    row = conn.execute(select(schema.codes).where(schema.codes.c.id == code_id)).mappings().first()
    return load_codebook(conn).get(code_id) if row is None else code_from_row(row)


def remove_coding(store: Store, *, document: str, start: int, end: int, code_id: str, coder: str) -> int:
    """Remove one coder's code from a span as one action; return the removed coding's id."""
    with store.action("uncode", coder) as changes:
        conn = changes.conn
        doc = document_by_name(conn, document, str(store.project_dir))
        coder_id = conn.execute(select(schema.coders.c.id).where(schema.coders.c.name == coder.strip())).scalar()
        found = None if coder_id is None else _find(conn, doc.id, start, end, code_id, int(coder_id))
        if found is None:
            raise CodingError(f"document {doc.name!r}: no coding {code_id!r} by {coder} at {start}-{end}")
        changes.delete(schema.codings, found)
        changes.summary = f"removed coding #{found} ({code_id!r} on {doc.name!r} {start}-{end})"
    return found


class NotYourCodingError(CodingError):
    """A coder tried to remove or change another coder's coding without saying they do so as reviewer."""


def remove_coding_by_id(store: Store, coding_id: int, actor: str, *, as_reviewer: bool = False) -> Coding:
    """Remove one coding (as picked in the UI) as one action; return what was removed.

    A coder removes only their own codings: another coder's needs `as_reviewer`, and the log says so, so that
    nobody's work disappears under a wrong name.
    """
    c, d, k = schema.codings, schema.documents, schema.coders
    with store.action("uncode", actor) as changes:
        row = changes.conn.execute(
            select(c, d.c.name.label("document"), k.c.name.label("coder"))
            .join(d, d.c.id == c.c.document_id)
            .join(k, k.c.id == c.c.coder_id)
            .where(c.c.id == coding_id)
        ).mappings().first()
        if row is None:
            raise CodingError(f"{store.project_dir}: no coding #{coding_id} (removed already?)")
        reviewing = _check_owner(row["coder"], actor, as_reviewer, f"coding #{coding_id} ({row['code_id']!r} on {row['document']!r})")
        changes.delete(c, coding_id)
        span = f"{row['start_offset']}-{row['end_offset']}"
        changes.summary = f"removed {reviewing}coding #{coding_id} ({row['code_id']!r} on {row['document']!r} {span})"
    return _coding_from_row(row)


def _check_owner(owner: str, actor: str, as_reviewer: bool, what: str) -> str:
    """"" for the actor's own coding, "<owner>'s … as reviewer" wording when allowed, else NotYourCodingError."""
    if owner == actor.strip():
        return ""
    if not as_reviewer:
        raise NotYourCodingError(f"{what} is {owner}'s, not {actor}'s; change it as reviewer, or leave it to {owner}")
    return f"(as reviewer) {owner}'s "


def set_coding_memo(store: Store, coding_id: int, memo: str, actor: str, *, as_reviewer: bool = False) -> None:
    """Write (or clear, with "") the memo on one coding, as one action; another coder's needs `as_reviewer`."""
    c, k = schema.codings, schema.coders
    with store.action("memo", actor) as changes:
        owner = changes.conn.execute(select(k.c.name).join(c, c.c.coder_id == k.c.id).where(c.c.id == coding_id)).scalar()
        if owner is None:
            raise CodingError(f"{store.project_dir}: no coding #{coding_id} (removed already?)")
        reviewing = _check_owner(str(owner), actor, as_reviewer, f"coding #{coding_id}")
        changes.update(c, coding_id, {"memo": memo})
        changes.summary = f"memo on {reviewing}coding #{coding_id}" if memo else f"cleared the memo on {reviewing}coding #{coding_id}"


def coder_names(store: Store) -> list[str]:
    """Every coder known to the project, by name."""
    with store.reading() as conn:
        return [name for (name,) in conn.execute(select(schema.coders.c.name).order_by(schema.coders.c.name))]


def recent_codes(store: Store, coder: str, limit: int = 9) -> list[str]:
    """The codes this coder applied most recently, newest first, each once: the quick keys 1–9."""
    c, k = schema.codings, schema.coders
    query = (
        select(c.c.code_id, func.max(c.c.id).label("latest"))
        .join(k, k.c.id == c.c.coder_id)
        .where(k.c.name == coder)
        .group_by(c.c.code_id)
        .order_by(func.max(c.c.id).desc())
        .limit(limit)
    )
    with store.reading() as conn:
        return [code_id for code_id, _ in conn.execute(query)]


def _coding_from_row(row: RowMapping) -> Coding:
    return Coding(
        id=row["id"], document_id=row["document_id"], start=row["start_offset"], end=row["end_offset"],
        code_id=row["code_id"], coder=row["coder"], memo=row["memo"], created=row["created"],
    )


def _find(conn: Connection, document_id: int, start: int, end: int, code_id: str, coder_id: int) -> int | None:
    c = schema.codings
    found = conn.execute(
        select(c.c.id).where(
            and_(
                c.c.document_id == document_id, c.c.start_offset == start, c.c.end_offset == end,
                c.c.code_id == code_id, c.c.coder_id == coder_id,
            )
        )
    ).scalar()
    return None if found is None else int(found)


def coded_segments(store: Store, document: str | None = None) -> list[CodedSegment]:
    """Every coding (of one document, or all) with its text, ordered by document, offsets, code and coder."""
    with store.reading() as conn:
        return load_segments(conn, load_codebook(conn), document=document)


def load_segments(
    conn: Connection,
    book: Codebook,
    *,
    document: str | None = None,
    code_ids: Collection[str] | None = None,
    coder: str | None = None,
) -> list[CodedSegment]:
    """Codings with their text inside an open transaction, filtered by document, codes and coder if given."""
    return list(iter_segments(conn, book, document=document, code_ids=code_ids, coder=coder))


#: Rows fetched per round trip when segments are streamed: enough to keep the driver busy, few enough to stay small.
_BATCH = 2000
#: Document texts fetched per round trip: a batch of whole transcripts can be megabytes.
_TEXT_BATCH = 16


def iter_segments(
    conn: Connection,
    book: Codebook,
    *,
    document: str | None = None,
    code_ids: Collection[str] | None = None,
    coder: str | None = None,
) -> Iterator[CodedSegment]:
    """`load_segments` one at a time, in the same order, holding one batch of codings and one document's text at once.

    An export of every coding of a large project (hundreds of thousands, with long transcripts) then needs memory for
    a batch, not for the project: the codings and the coded documents' texts come from two streamed queries ordered
    alike (by document name, which is unique), walked side by side.
    """
    c, d, k = schema.codings, schema.documents, schema.coders
    query = (
        select(
            c.c.id, c.c.document_id, c.c.start_offset, c.c.end_offset, c.c.code_id, k.c.name, c.c.memo, c.c.created,
            d.c.name,
        )
        .join(d, d.c.id == c.c.document_id)
        .join(k, k.c.id == c.c.coder_id)
        .order_by(d.c.name, c.c.start_offset, c.c.end_offset, c.c.code_id, k.c.name)
    )
    # Each text once, not once per coding: a long transcript with hundreds of codings stays cheap. The documents are
    # chosen by a correlated EXISTS, not an IN list (which could pass SQLite's limit on bound variables) nor an IN
    # subquery: with EXISTS, SQLite walks the documents in name order by their index instead of sorting every text.
    coded = select(c.c.id).join(k, k.c.id == c.c.coder_id).where(c.c.document_id == d.c.id)
    texts_query = select(d.c.id, d.c.text).order_by(d.c.name)
    if document is not None:
        query = query.where(d.c.name == document)
        texts_query = texts_query.where(d.c.name == document)
    if code_ids is not None:
        query = query.where(c.c.code_id.in_(sorted(code_ids)))
        coded = coded.where(c.c.code_id.in_(sorted(code_ids)))
    if coder is not None:
        query = query.where(k.c.name == coder)
        coded = coded.where(k.c.name == coder)
    texts_query = texts_query.where(coded.exists())
    # Per statement: Connection.execution_options would stream every later statement of the caller's transaction too.
    streamed = {"stream_results": True, "yield_per": _BATCH}
    texts = iter(conn.execute(texts_query, execution_options={"stream_results": True, "yield_per": _TEXT_BATCH}))
    paths: dict[str, tuple[tuple[str, ...], str]] = {}
    text_id, text = -1, ""
    for coding_id, document_id, start, end, code_id, coder_name, memo, created, document_name in conn.execute(
        query, execution_options=streamed
    ):
        while text_id != document_id:
            text_id, text = next(texts)
        found = paths.get(code_id)
        if found is None:
            found = paths[code_id] = (tuple(book.path(code_id)), book.get(code_id).name)
        yield CodedSegment(
            coding=Coding(
                id=coding_id, document_id=document_id, start=start, end=end, code_id=code_id, coder=coder_name,
                memo=memo, created=created,
            ),
            document=document_name,
            code_name=found[1],
            code_path=found[0],
            text=text[start:end],
        )


DUMP_FIELDS = ("document", "start", "end", "code", "code_path", "coder", "memo", "created", "text")


def _dump_row(segment: CodedSegment) -> dict[str, object]:
    coding = segment.coding
    return {
        "document": segment.document, "start": coding.start, "end": coding.end, "code": coding.code_id,
        "code_path": " / ".join(segment.code_path), "coder": coding.coder, "memo": coding.memo,
        "created": coding.created, "text": segment.text,
    }


def dump_codings(segments: Iterable[CodedSegment], fmt: str) -> str:
    """A stable, git-diffable dump (no row ids, sorted rows) as "csv" or "jsonl"."""
    out = io.StringIO()
    write_codings_dump(segments, fmt, out)
    return out.getvalue()


def write_project_codings(store: Store, out: TextIO, fmt: str, document: str | None = None) -> int:
    """Every coding of the project (or of one document) dumped into `out` as "csv" or "jsonl", streamed from one snapshot."""
    with store.reading() as conn:
        return write_codings_dump(iter_segments(conn, load_codebook(conn), document=document), fmt, out)


def write_codings_dump(segments: Iterable[CodedSegment], fmt: str, out: TextIO) -> int:
    """`dump_codings` written to `out` a row at a time (so a large project's dump never sits in memory); the rows written.

    `out` should be opened with newline="": the csv rows end in "\\n" on every platform.
    """
    if fmt not in ("csv", "jsonl"):
        raise CodingError(f"unknown dump format {fmt!r} (choose csv or jsonl)")
    rows = (_dump_row(s) for s in segments)
    written = 0
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            written += 1
        return written
    writer = csv.DictWriter(out, fieldnames=DUMP_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        # Opened in a spreadsheet as often as diffed: a passage starting with "=" or "-" must not become a formula.
        writer.writerow({key: spreadsheet_safe(value) if isinstance(value, str) else value for key, value in row.items()})
        written += 1
    return written
