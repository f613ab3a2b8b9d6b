"""Merging another coder's copy of a project: its codings and memos come in wherever a document and a code match.

Documents match by content hash (the same text, whatever its name, as a re-import is recognised) and codes by id,
else by REFI-QDA guid (a codebook that went through an exchange file keeps its guids). What cannot be matched is
reported, never guessed. The other project is read from a snapshot, so nothing in it changes, not even its schema.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections import Counter
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from workbench.core import schema
from workbench.core.codebook import Codebook, load_codebook
from workbench.core.codebook.qdc import code_guid
from workbench.core.codings import coder_id_for
from workbench.core.corpus import content_hash
from workbench.core.history import Changes
from workbench.core.store import Store
from workbench.errors import ProjectNotFoundError, StoreError
from workbench.locations import project_db_path

#: A coding as both projects can compare it: document id (this project's), start, end, code id (this project's), coder.
_Key = tuple[int, int, int, str, str]


@dataclass(frozen=True)
class Unmatched:
    """A document or code of the other project with no counterpart here, and how many of its codings stayed out."""

    name: str
    codings: int


@dataclass(frozen=True)
class MergeReport:
    """What a merge brought in and what it could not place."""

    other: Path
    codings_added: int
    duplicates: int  # codings already here exactly: same document, span, code and coder
    memos_added: int  # document memos, and coding memos given to a duplicate that had none
    coders: tuple[str, ...]  # whose codings came in
    unmatched_documents: tuple[Unmatched, ...]  # a coding on one is counted here, not again under its code
    unmatched_codes: tuple[Unmatched, ...]
    memos_kept: tuple[str, ...] = ()  # "document (coder)" where both projects hold a different memo: this project's stays

    @property
    def changed(self) -> bool:
        """Whether the merge wrote anything (an action in the log)."""
        return self.codings_added > 0 or self.memos_added > 0


@dataclass(frozen=True)
class _Other:
    """What the merge reads of the other project."""

    documents: dict[int, tuple[str, str, str]]  # id → (name, stored content hash, hash of the text)
    book: Codebook
    codings: list[dict[str, Any]]  # document_id, start_offset, end_offset, code_id, coder, memo, created
    memos: list[dict[str, Any]]  # document_id, coder, text, updated


def merge_project(store: Store, other_dir: Path, actor: str) -> MergeReport:
    """Bring another project's codings and memos into this one as ONE undoable action, reporting what could not be matched."""
    other_dir = Path(other_dir)
    if project_db_path(other_dir).resolve() == store.db_path.resolve():
        raise StoreError(f"{other_dir}: is this project; merge another coder's copy into it")
    other = _read_other(other_dir)
    with store.action("merge", actor) as changes:
        d = schema.documents
        ours = changes.conn.execute(select(d.c.id, d.c.name, d.c.content_hash)).all()
        names = {r.id: r.name for r in ours}
        documents = _match_documents(changes.conn, {r.content_hash: r.id for r in ours}, other.documents)
        codes = _match_codes(load_codebook(changes.conn), other.book)
        merged = _merge_codings(changes, other, documents, codes, names)
        memos_added, memos_kept = _merge_memos(changes, other, documents, names)
        changes.summary = (
            f"merged {merged.added} codings and {merged.memos_added + memos_added} memos from {other_dir} "
            f"({merged.duplicates} duplicates skipped)"
        )
    return MergeReport(
        other=other_dir,
        codings_added=merged.added,
        duplicates=merged.duplicates,
        memos_added=merged.memos_added + memos_added,
        coders=merged.coders,
        unmatched_documents=tuple(
            Unmatched(name, merged.left_out_documents[other_id])
            for other_id, (name, _, _) in sorted(other.documents.items(), key=lambda item: item[1][0])
            if documents[other_id] is None
        ),
        unmatched_codes=tuple(Unmatched(code_id, merged.left_out_codes[code_id]) for code_id in sorted(codes) if codes[code_id] is None),
        memos_kept=merged.memos_kept + memos_kept,
    )


@dataclass(frozen=True)
class _MergedCodings:
    added: int
    duplicates: int
    memos_added: int
    memos_kept: tuple[str, ...]
    coders: tuple[str, ...]
    left_out_documents: Counter[int]
    left_out_codes: Counter[str]


def _merge_codings(
    changes: Changes, other: _Other, documents: Mapping[int, int | None], codes: Mapping[str, str | None], names: Mapping[int, str]
) -> _MergedCodings:
    """Insert the other project's codings that land on a matched document and code and are not here already."""
    c, k = schema.codings, schema.coders
    existing: dict[_Key, tuple[int | None, str]] = {
        (r.document_id, r.start_offset, r.end_offset, r.code_id, r.coder): (r.id, r.memo)
        for r in changes.conn.execute(
            select(c.c.id, c.c.document_id, c.c.start_offset, c.c.end_offset, c.c.code_id, c.c.memo, k.c.name.label("coder"))
            .join(k, k.c.id == c.c.coder_id)
        )
    }
    left_out_documents: Counter[int] = Counter()
    left_out_codes: Counter[str] = Counter()
    coder_ids: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    duplicates = memos_added = 0
    memos_kept: list[str] = []
    for coding in other.codings:
        document_id, code_id = documents[coding["document_id"]], codes[coding["code_id"]]
        if document_id is None:
            left_out_documents[coding["document_id"]] += 1
            continue
        if code_id is None:
            left_out_codes[coding["code_id"]] += 1
            continue
        coder, memo = str(coding["coder"]), str(coding["memo"])
        key = (document_id, coding["start_offset"], coding["end_offset"], code_id, coder)
        if key in existing:
            duplicates += 1
            coding_id, memo_here = existing[key]
            if memo and not memo_here and coding_id is not None:
                changes.update(c, coding_id, {"memo": memo})  # the other copy holds the only memo: keep it
                memos_added += 1
            elif memo and memo != memo_here:
                memos_kept.append(f"{names[document_id]} {key[1]}-{key[2]} {code_id} ({coder})")
            continue
        if coder not in coder_ids:
            coder_ids[coder] = coder_id_for(changes, coder)
        existing[key] = (None, memo)  # two of their codes matched to one code here give one coding, not two
        rows.append(
            {
                "document_id": document_id, "start_offset": key[1], "end_offset": key[2], "code_id": code_id,
                "coder_id": coder_ids[coder], "memo": memo, "created": coding["created"],
            }
        )
    changes.insert_many(c, rows)
    return _MergedCodings(
        added=len(rows), duplicates=duplicates, memos_added=memos_added, memos_kept=tuple(memos_kept), coders=tuple(sorted(coder_ids)),
        left_out_documents=left_out_documents, left_out_codes=left_out_codes,
    )


def _merge_memos(
    changes: Changes, other: _Other, documents: Mapping[int, int | None], names: Mapping[int, str]
) -> tuple[int, tuple[str, ...]]:
    """Insert the other project's document memos where this project has none by that coder; (added, differing ones kept)."""
    m, k = schema.document_memos, schema.coders
    ours = {
        (r.document_id, r.coder): r.text
        for r in changes.conn.execute(select(m.c.document_id, m.c.text, k.c.name.label("coder")).join(k, k.c.id == m.c.coder_id))
    }
    added = 0
    kept: list[str] = []
    for memo in other.memos:
        document_id = documents[memo["document_id"]]
        if document_id is None:
            continue
        here = ours.get((document_id, memo["coder"]))
        if here is None:
            coder_id = coder_id_for(changes, memo["coder"])
            changes.insert(m, {"document_id": document_id, "coder_id": coder_id, "text": memo["text"], "updated": memo["updated"]})
            added += 1
        elif here != memo["text"]:
            kept.append(f"{names[document_id]} ({memo['coder']})")
    return added, tuple(kept)


def _match_codes(ours: Codebook, theirs: Codebook) -> dict[str, str | None]:
    """Each of their code ids → our code id with the same id, else the same guid, else None."""
    by_guid = {_canonical(code_guid(code)): code.id for code in ours.codes}
    return {
        code.id: code.id if code.id in ours.by_id else by_guid.get(_canonical(code_guid(code)))
        for code in theirs.codes
    }


def _match_documents(
    conn: Connection, by_stored_hash: dict[str, int], theirs: dict[int, tuple[str, str, str]]
) -> dict[int, int | None]:
    """Their document id → ours: first by the stored content hash, then a transcript by its text alone (renamed).

    A questionnaire answer's stored hash also covers its respondent and question, so that two respondents' identical
    answers ("Geen idee.") stay apart; such documents are matched by the stored hash only, never by text.
    """
    matched: dict[int, int | None] = {other_id: by_stored_hash.get(stored) for other_id, (_, stored, _) in theirs.items()}
    wanted = {text: other_id for other_id, (_, stored, text) in theirs.items() if matched[other_id] is None and stored == text}
    if wanted:
        taken = {ours for ours in matched.values() if ours is not None}
        d = schema.documents
        # One row at a time, so the texts of a large corpus are never all in memory.
        for row in conn.execute(select(d.c.id, d.c.text, d.c.content_hash)):
            digest = content_hash(row.text)
            other_id = wanted.pop(digest, None) if digest == row.content_hash else None
            if other_id is not None and row.id not in taken:
                matched[other_id] = row.id
                taken.add(row.id)
    return matched


def _canonical(guid: str) -> str:
    return guid.strip("{}").lower()


def _read_other(other_dir: Path) -> _Other:
    """Read the other project from a snapshot: opening it in place could upgrade its schema, and it must not change."""
    source = project_db_path(other_dir)
    if not source.is_file():
        raise ProjectNotFoundError(f"{other_dir}: not a workbench project (no {source.name}); nothing to merge")
    with tempfile.TemporaryDirectory(prefix="workbench-merge-") as temp:
        copy_dir = Path(temp)
        try:
            with (
                closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as original,
                closing(sqlite3.connect(project_db_path(copy_dir))) as copy,
            ):
                original.backup(copy)
        except sqlite3.Error as exc:
            raise StoreError(f"{other_dir}: cannot read the project to merge ({exc})") from exc
        with Store.open(copy_dir) as snapshot, snapshot.reading() as conn:
            d, c, k, m = schema.documents, schema.codings, schema.coders, schema.document_memos
            documents = {
                r.id: (r.name, r.content_hash, content_hash(r.text))
                for r in conn.execute(select(d.c.id, d.c.name, d.c.content_hash, d.c.text))
            }
            codings = [
                dict(r)
                for r in conn.execute(
                    select(c.c.document_id, c.c.start_offset, c.c.end_offset, c.c.code_id, c.c.memo, c.c.created, k.c.name.label("coder"))
                    .join(k, k.c.id == c.c.coder_id)
                    .order_by(c.c.id)
                ).mappings()
            ]
            memos = [
                dict(r)
                for r in conn.execute(
                    select(m.c.document_id, m.c.text, m.c.updated, k.c.name.label("coder")).join(k, k.c.id == m.c.coder_id).order_by(m.c.id)
                ).mappings()
            ]
            return _Other(documents=documents, book=load_codebook(conn), codings=codings, memos=memos)
