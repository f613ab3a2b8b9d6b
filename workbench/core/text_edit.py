"""Editing a document's text without losing codings: everything anchored to it moves with the words, as one action.

Codings, rejected suggestions, speaker turns, consensus decisions and earlier orphans are re-anchored by a diff of
the old and new text (`reanchor`). A coding whose words were all deleted becomes an orphan (`orphaned_codings`):
listed in the result, kept with its code, coder, memo and words until a coder restores it on a span or discards it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import Connection, Table, and_, select

from workbench.core import schema
from workbench.core.codebook import load_codebook
from workbench.core.codings import _check_owner, check_span
from workbench.core.corpus import content_hash, document_by_name
from workbench.core.history import Changes
from workbench.core.model import Coding
from workbench.core.reanchor import Mapped, TextDiff
from workbench.core.store import Store, timestamp
from workbench.errors import CodingError, StoreError, TextEditError

#: Why a coding became an orphan.
WORDS_DELETED = "its words were deleted"


@dataclass(frozen=True)
class Orphan:
    """A coding whose words an edit deleted, kept for review: where they were (`anchor`) and what they said (`text`)."""

    id: int
    coding_id: int
    document: str
    anchor: int
    text: str
    code_id: str
    coder: str
    memo: str
    created: str
    orphaned: str
    reason: str

    def label(self) -> str:
        """How a list names it: "#3 'echt gezien' contact (junior)"."""
        words = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        return f"#{self.id} {words!r} {self.code_id} ({self.coder})"


@dataclass(frozen=True)
class TextEdit:
    """What an edit of a document's text did to its codings."""

    document: str
    changed: bool
    moved: int = 0
    shrunk: int = 0
    grown: int = 0
    rewritten: int = 0
    unchanged: int = 0
    orphans: tuple[Orphan, ...] = ()
    rejections_dropped: int = 0

    def line(self) -> str:
        """The one line the CLI prints and the TUI shows."""
        if not self.changed:
            return f"no change to {self.document}"
        parts = [f"{self.moved} codings moved", f"{self.shrunk} shrunk"]
        parts += [f"{n} {what}" for n, what in ((self.grown, "grown"), (self.rewritten, "with rewritten words")) if n]
        parts.append(f"{len(self.orphans)} orphaned")
        listed = f" (listed: {', '.join(o.label() for o in self.orphans)})" if self.orphans else ""
        return f"edited {self.document}: {', '.join(parts)}{listed}"


def edit_document_text(store: Store, document: str, new_text: str, actor: str) -> TextEdit:
    """Replace a document's text and move everything anchored to it with its words, as one undoable action."""
    label = str(store.project_dir)
    with store.reading() as conn:
        doc = document_by_name(conn, document, label)
        spans = _spans(conn, schema.codings, doc.id)
    if new_text == doc.text:
        return TextEdit(doc.name, changed=False)
    if not new_text.strip():
        raise TextEditError(f"document {doc.name!r}: the edited text is empty; nothing saved (the old text is kept)")
    # The diff runs before the write lock is taken: on a long text it is the slow part.
    diff = TextDiff(doc.text, new_text, [(s, e) for _, s, e, _, _ in spans])
    d = schema.documents
    with store.action("edit", actor) as changes:
        conn = changes.conn
        current = conn.execute(select(d.c.text, d.c.content_hash).where(d.c.id == doc.id)).one()
        if current.text != doc.text:
            raise TextEditError(f"document {doc.name!r}: its text changed while it was being edited; edit it again")
        digest = _rehashed(doc.name, doc.text, current.content_hash, new_text)
        clash = conn.execute(select(d.c.name).where(and_(d.c.content_hash == digest, d.c.id != doc.id))).scalar()
        if clash is not None:
            raise TextEditError(f"document {doc.name!r}: the edited text is the same as document {clash!r}'s; nothing saved")
        result = _move_codings(changes, doc.id, doc.name, diff)
        dropped = _move_rejections(changes, doc.id, diff)
        _move_boundaries(changes, schema.turns, doc.id, diff)
        _move_boundaries(changes, schema.consensus_decisions, doc.id, diff)
        oc = schema.orphaned_codings
        for orphan_id, anchor in conn.execute(select(oc.c.id, oc.c.anchor_offset).where(oc.c.document_id == doc.id)).all():
            if diff.map_point(anchor) != anchor:
                changes.update(oc, orphan_id, {"anchor_offset": diff.map_point(anchor)})
        changes.update(d, doc.id, {"text": new_text, "content_hash": digest})
        result = replace(result, rejections_dropped=dropped)
        changes.summary = result.line()
    return result


def _rehashed(name: str, old_text: str, stored: str, new_text: str) -> str:
    """The new text's content hash, made the way the stored one was: of the text, or (questionnaire answers) of the
    answer's name and text, so two respondents' identical answers stay two documents."""
    if stored == content_hash(old_text):
        return content_hash(new_text)
    if stored == content_hash(f"{name}\0{old_text}"):
        return content_hash(f"{name}\0{new_text}")
    raise StoreError(f"document {name!r}: its stored content hash matches neither its text nor its name and text")


def _spans(conn: Connection, table: Table, document_id: int) -> list[tuple[int, int, int, str, int]]:
    """(id, start, end, code, coder) of a span table's rows on the document, in id order."""
    rows = conn.execute(
        select(table.c.id, table.c.start_offset, table.c.end_offset, table.c.code_id, table.c.coder_id)
        .where(table.c.document_id == document_id)
        .order_by(table.c.id)
    ).all()
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def _move_codings(changes: Changes, document_id: int, document: str, diff: TextDiff) -> TextEdit:
    c, oc, k = schema.codings, schema.orphaned_codings, schema.coders
    conn = changes.conn
    rows = {r.id: r for r in conn.execute(select(c).where(c.c.document_id == document_id).order_by(c.c.id))}
    coders: dict[int, str] = {coder_id: name for coder_id, name in conn.execute(select(k.c.id, k.c.name))}
    counts = {"moved": 0, "shrunk": 0, "grown": 0, "rewritten": 0, "unchanged": 0}
    targets: dict[tuple[str, int, int, int], int] = {}
    moves: dict[int, tuple[tuple[int, int], tuple[int, int], tuple[str, int]]] = {}
    orphans: list[Orphan] = []
    now = timestamp()
    for coding_id, row in rows.items():
        mapped = diff.map_span(row.start_offset, row.end_offset)
        reason = WORDS_DELETED
        if not mapped.orphaned:
            twin = targets.setdefault((row.code_id, row.coder_id, mapped.start, mapped.end), coding_id)
            if twin != coding_id:
                reason = f"it now covers the same words as coding #{twin}"
        if mapped.orphaned or reason != WORDS_DELETED:
            old_text = diff.old[row.start_offset : row.end_offset]
            changes.delete(c, coding_id)
            orphan_id = changes.insert(oc, {
                "coding_id": coding_id, "document_id": document_id, "anchor_offset": mapped.start,
                "start_offset": row.start_offset, "end_offset": row.end_offset, "text": old_text, "code_id": row.code_id,
                "coder_id": row.coder_id, "memo": row.memo, "created": row.created, "orphaned": now, "reason": reason,
            })
            orphans.append(Orphan(int(orphan_id), coding_id, document, mapped.start, old_text, row.code_id, coders[row.coder_id],
                                  row.memo, row.created, now, reason))
            continue
        counts[_kind_of_move(diff, row.start_offset, row.end_offset, mapped)] += 1
        moves[coding_id] = ((row.start_offset, row.end_offset), (mapped.start, mapped.end), (row.code_id, row.coder_id))
    _apply_moves(changes, c, moves)
    return TextEdit(document, changed=True, orphans=tuple(orphans), **counts)


def _kind_of_move(diff: TextDiff, start: int, end: int, mapped: Mapped) -> str:
    old_words, new_words = diff.old[start:end], diff.new[mapped.start : mapped.end]
    if old_words.split() == new_words.split():
        return "unchanged" if (start, end) == (mapped.start, mapped.end) else "moved"
    if mapped.added:
        return "rewritten" if mapped.lost else "grown"
    return "shrunk"


def _move_rejections(changes: Changes, document_id: int, diff: TextDiff) -> int:
    """Rejected suggestions follow their unit; one whose words are gone, or that now repeats another, is dropped."""
    r = schema.suggestion_rejections
    moves: dict[int, tuple[tuple[int, int], tuple[int, int], tuple[str, int]]] = {}
    taken: set[tuple[str, int, int, int]] = set()
    dropped = 0
    for rejection_id, start, end, code_id, coder_id in _spans(changes.conn, r, document_id):
        mapped = diff.map_span(start, end)
        key = (code_id, coder_id, mapped.start, mapped.end)
        if mapped.orphaned or key in taken:
            changes.delete(r, rejection_id)
            dropped += 1
            continue
        taken.add(key)
        moves[rejection_id] = ((start, end), (mapped.start, mapped.end), (code_id, coder_id))
    _apply_moves(changes, r, moves)
    return dropped


def _move_boundaries(changes: Changes, table: Table, document_id: int, diff: TextDiff) -> None:
    """Turns and decided units are stretches of the text that meet: their edges move as points, so they still meet."""
    rows = changes.conn.execute(select(table.c.id, table.c.start_offset, table.c.end_offset).where(table.c.document_id == document_id))
    for row_id, start, end in rows.all():
        new_start, new_end = diff.map_point(start), diff.map_point(end)
        if (new_start, new_end) != (start, end):
            changes.update(table, row_id, {"start_offset": new_start, "end_offset": new_end})


def _apply_moves(
    changes: Changes, table: Table, moves: dict[int, tuple[tuple[int, int], tuple[int, int], tuple[str, int]]]
) -> None:
    """Update spans in an order in which no row ever takes a span another row of its code and coder still holds.

    The new spans are distinct and the mapping keeps order, so such an order exists; undo replays it backwards
    through the same states.
    """
    pending = {row_id: move for row_id, move in moves.items() if move[0] != move[1]}
    held = {(group, old) for old, _, group in pending.values()}
    while pending:
        ready = [row_id for row_id, (old, new, group) in pending.items() if (group, new) not in held]
        if not ready:
            raise StoreError(f"{table.name}: spans cannot be moved without a clash")
        for row_id in ready:
            old, new, group = pending.pop(row_id)
            changes.update(table, row_id, {"start_offset": new[0], "end_offset": new[1]})
            held.discard((group, old))


# -- reviewing orphans -----------------------------------------------------------------------------------


def orphans(store: Store, document: str | None = None) -> list[Orphan]:
    """Every orphaned coding (of one document, or all), by document and place."""
    with store.reading() as conn:
        return _orphans(conn, document=document)


def _orphans(conn: Connection, *, document: str | None = None, orphan_id: int | None = None) -> list[Orphan]:
    oc, d, k = schema.orphaned_codings, schema.documents, schema.coders
    query = (
        select(oc, d.c.name.label("document"), k.c.name.label("coder"))
        .join(d, d.c.id == oc.c.document_id)
        .join(k, k.c.id == oc.c.coder_id)
        .order_by(d.c.name, oc.c.anchor_offset, oc.c.id)
    )
    if document is not None:
        document_by_name(conn, document)  # an unknown name is an error, not an empty list
        query = query.where(d.c.name == document)
    if orphan_id is not None:
        query = query.where(oc.c.id == orphan_id)
    return [
        Orphan(r["id"], r["coding_id"], r["document"], r["anchor_offset"], r["text"], r["code_id"], r["coder"], r["memo"],
               r["created"], r["orphaned"], r["reason"])
        for r in conn.execute(query).mappings()
    ]


def _one(conn: Connection, store: Store, orphan_id: int) -> Orphan:
    found = _orphans(conn, orphan_id=orphan_id)
    if not found:
        raise CodingError(f"{store.project_dir}: no orphaned coding #{orphan_id} (restored or discarded already?)")
    return found[0]


def discard_orphan(store: Store, orphan_id: int, actor: str, *, as_reviewer: bool = False) -> Orphan:
    """Drop an orphaned coding for good, as one action; another coder's needs `as_reviewer`."""
    with store.action("discard", actor) as changes:
        orphan = _one(changes.conn, store, orphan_id)
        reviewing = _check_owner(orphan.coder, actor, as_reviewer, f"orphaned coding #{orphan_id} ({orphan.code_id!r})")
        changes.delete(schema.orphaned_codings, orphan_id)
        changes.summary = f"discarded {reviewing}orphaned coding #{orphan_id} ({orphan.code_id!r}, {orphan.text!r} on {orphan.document!r})"
    return orphan


def restore_orphan(store: Store, orphan_id: int, start: int, end: int, actor: str, *, as_reviewer: bool = False) -> Coding:
    """Put an orphaned coding back on [start, end) of its document's current text, as one action.

    It gets its old coding id back, so a suggestion it once accepted counts again.
    """
    c = schema.codings
    with store.action("restore", actor) as changes:
        conn = changes.conn
        orphan = _one(conn, store, orphan_id)
        reviewing = _check_owner(orphan.coder, actor, as_reviewer, f"orphaned coding #{orphan_id} ({orphan.code_id!r})")
        doc = document_by_name(conn, orphan.document)
        check_span(doc.name, len(doc.text), start, end)
        load_codebook(conn).get(orphan.code_id)  # a code deleted meanwhile: a clear error
        row = conn.execute(select(schema.orphaned_codings).where(schema.orphaned_codings.c.id == orphan_id)).mappings().one()
        twin = conn.execute(select(c.c.id).where(and_(
            c.c.document_id == doc.id, c.c.start_offset == start, c.c.end_offset == end, c.c.code_id == orphan.code_id,
            c.c.coder_id == row["coder_id"],
        ))).scalar()
        if twin is not None:
            raise CodingError(
                f"document {doc.name!r}: {start}-{end} is already coded {orphan.code_id!r} by {orphan.coder} (coding #{twin})"
            )
        taken = conn.execute(select(c.c.id).where(c.c.id == orphan.coding_id)).first() is not None
        values = {
            "document_id": doc.id, "start_offset": start, "end_offset": end, "code_id": orphan.code_id,
            "coder_id": row["coder_id"], "memo": orphan.memo, "created": orphan.created,
        }
        coding_id = changes.insert(c, values if taken else {"id": orphan.coding_id, **values})
        changes.delete(schema.orphaned_codings, orphan_id)
        where = f"{orphan.code_id!r} on {doc.name!r} {start}-{end}"
        changes.summary = f"restored {reviewing}orphaned coding #{orphan_id} as coding #{coding_id} ({where})"
    return Coding(int(coding_id), doc.id, start, end, orphan.code_id, orphan.coder, orphan.memo, orphan.created)


def orphan_lines(found: Iterable[Orphan]) -> list[str]:
    """One line per orphan, for a list on the command line or in a dialog."""
    return [f"{o.label()} in {o.document} near {o.anchor}: {o.reason}" for o in found]
