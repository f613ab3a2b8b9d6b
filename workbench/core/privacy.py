"""Withdrawn consent and old history: forgetting a case everywhere its data landed, and purging the action log.

A case's text lands in more places than its rows: the action log keeps every inserted and deleted row (an import
undone years ago still holds the whole transcript), the lemma cache keeps its tokens, a trained suggestion model its
vocabulary, the backups a copy of all of it, and SQLite keeps deleted pages in the file and its WAL until they are
reused. Forgetting clears each of these and leaves one log entry that says only that a case was forgotten.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, create_engine, delete, insert, select, update
from sqlalchemy.exc import DatabaseError

from workbench.core import history, schema
from workbench.core.backups import list_backups
from workbench.core.caches import drop_cache
from workbench.core.pseudonyms import KEY_FILE, forget_documents
from workbench.core.store import Store, timestamp
from workbench.errors import StoreError, WorkbenchError, database_reason

#: What the log says of a forgotten case, and nothing more: not its id, not its documents.
FORGOTTEN_SUMMARY = "forgot a case (consent withdrawn)"
#: What replaces a log summary that named a forgotten case or one of its documents.
REDACTED_SUMMARY = "(summary removed: it named a forgotten case)"
#: Tables whose rows belong to a document, and so go with it.
_DOCUMENT_CHILDREN: tuple[Table, ...] = (
    schema.codings, schema.turns, schema.document_attributes, schema.document_memos, schema.consensus_decisions,
    schema.suggestion_rejections, schema.orphaned_codings,
)

Row = dict[str, Any]


@dataclass
class _Forgotten:
    """The keys of every row of the case, now or ever in the log, per table; and the strings that identify it."""

    keys: dict[str, set[Any]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)

    def has(self, table: str, key: Any) -> bool:
        return key in self.keys.get(table, set())

    def add(self, table: str, key: Any) -> None:
        self.keys.setdefault(table, set()).add(key)


@dataclass(frozen=True)
class ForgetResult:
    """What forgetting a case removed, and whether the file and every backup were scrubbed."""

    documents: int
    log_entries_changed: int
    backups_cleaned: int
    backups_deleted: int
    scrubbed: bool
    #: Codes whose description, criteria or examples quote the case's text: the researcher's own words, left to them.
    codes_quoting: tuple[str, ...] = ()


def forget_case(store: Store, case_id: str, actor: str) -> ForgetResult:
    """Remove every trace of a case from the project, its action log and its backups, then scrub the file."""
    with _immediate(store) as conn:
        if conn.execute(select(schema.cases.c.id).where(schema.cases.c.id == case_id)).first() is None and not _in_log(conn, case_id):
            raise StoreError(f"{store.project_dir}: no case {case_id!r}; nothing forgotten")
        forgotten = _forget_rows(conn, case_id)
        changed = _purge_log(conn, forgotten)
        quoting = _codes_quoting(conn, forgotten.texts)
        conn.execute(insert(schema.actions).values(at=timestamp(), actor=actor, kind="forget", summary=FORGOTTEN_SUMMARY, changes=None))
    # The cache holds the lemmas of every text analysed: a local one goes whole (it is rebuilt on demand).
    drop_cache(store)
    scrubbed = scrub_file(store)
    cleaned, deleted = _for_each_backup(store, lambda conn: _forget_in_backup(conn, case_id))
    # The pseudonym key table holds the real names behind the placeholders: those seen only in this case go too.
    forget_documents(store.project_dir / KEY_FILE, forgotten.names)
    return ForgetResult(len(forgotten.keys.get("documents", ())), changed, cleaned, deleted, scrubbed, quoting)


@dataclass(frozen=True)
class PurgeResult:
    """How many log entries a purge dropped, and whether the file and every backup were scrubbed."""

    dropped: int
    backups_cleaned: int
    backups_deleted: int
    scrubbed: bool


def purge_history(store: Store, before: date, actor: str) -> PurgeResult:
    """Drop the log entries made before `before` (and the undo they allowed), in the project and its backups."""
    with _immediate(store) as conn:
        dropped = _drop_log_before(conn, before)
        conn.execute(
            insert(schema.actions).values(
                at=timestamp(), actor=actor, kind="purge-history",
                summary=f"purged the action log before {before.isoformat()} ({dropped} entries)", changes=None,
            )
        )
    scrubbed = scrub_file(store)
    cleaned, deleted = _for_each_backup(store, lambda conn: _drop_log_before(conn, before))
    return PurgeResult(dropped, cleaned, deleted, scrubbed)


# -- the project file ----------------------------------------------------------------------------------------


@contextmanager
def _immediate(store: Store) -> Iterator[Connection]:
    """One write transaction with SQLite's secure_delete on, so freed pages are zeroed as they are freed."""
    try:
        with store.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA secure_delete=ON")
                conn.commit()
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn
    except DatabaseError as exc:
        raise StoreError(f"{store.db_path}: not changed ({database_reason(exc)})") from exc


def scrub_file(store: Store) -> bool:
    """Rewrite the file without free pages (VACUUM) and empty its WAL; False when another program holds it open.

    On a team server, VACUUM FULL rewrites the project's tables without the deleted rows' dead copies (plain VACUUM
    only marks them reusable); the server's own WAL archive and dumps are its administrator's to clean.
    """
    if store.engine.dialect.name == "postgresql":
        try:
            with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM FULL")
        except DatabaseError:
            return False
        return True
    if store.engine.dialect.name != "sqlite":
        return True
    with store.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)  # noqa: S101 - checked the dialect above
        try:
            raw.execute("VACUUM")
            busy, _frames, _done = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error:
            return False
    return not busy


def _for_each_backup(store: Store, change: Any) -> tuple[int, int]:
    """Apply `change` to every backup file and scrub it; a backup that cannot be changed is deleted. Return the counts."""
    cleaned = deleted = 0
    for backup in list_backups(store.project_dir):
        try:
            _change_backup(backup.path, change)
            cleaned += 1
        except (DatabaseError, sqlite3.Error, WorkbenchError, KeyError, ValueError):
            # An old or damaged backup we cannot clean must not keep what was asked to be removed.
            backup.path.unlink(missing_ok=True)
            deleted += 1
    return cleaned, deleted


def _change_backup(path: Path, change: Any) -> None:
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
            conn.commit()
            with conn.begin():
                change(conn)
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path, isolation_level=None)) as raw:
        raw.execute("VACUUM")
        raw.execute("PRAGMA journal_mode=DELETE")


# -- forgetting a case ---------------------------------------------------------------------------------------


def _log(conn: Connection) -> list[Row]:
    a = schema.actions
    return [dict(r) for r in conn.execute(select(a).order_by(a.c.id)).mappings()]


def _items(action: Row) -> list[Row]:
    """An action's change set; an undo's entry holds rows kept for its redo instead (see `_kept`)."""
    if action["kind"] in ("undo", "redo"):
        return []
    return json.loads(action["changes"]) if action["changes"] else []


def _rows_of(item: Row) -> Iterable[Row]:
    """Every row image an item holds: the row inserted or deleted, or an update's values before and after.

    An insert logged by reference holds none: its rows are in the tables, or kept by the undo's log entry (see `_Kept`).
    """
    if item["op"] == "update":
        return (item["before"], item["after"])
    if history.is_reference(item):
        return ()
    return (item["row"],)


@dataclass
class _Kept:
    """The rows an undo took back of one logged insert, kept in the undo's entry for the redo (core/history.py)."""

    undo_id: int
    action_id: int
    item: int
    table: str
    columns: list[str]
    rows: list[list[Any]]
    #: An update's long new values (one row: its key, then the values), not inserted rows.
    values: bool = False

    def dicts(self) -> Iterator[Row]:
        return (dict(zip(self.columns, values, strict=True)) for values in self.rows)


def _kept(conn: Connection) -> list[_Kept]:
    """Every set of rows undos kept, oldest first; an update's kept new values as a row of its key and those values."""
    a = schema.actions
    query = select(a.c.id, a.c.target_id, a.c.changes).where(a.c.kind == "undo", a.c.changes.is_not(None)).order_by(a.c.id)
    found = []
    for r in conn.execute(query):
        for k in json.loads(r.changes)["kept"]:
            if "values" in k:
                columns = [_key_name(k["table"]), *k["values"]]
                found.append(_Kept(r.id, r.target_id, int(k["item"]), k["table"], columns, [[k["key"], *k["values"].values()]], True))
            else:
                found.append(_Kept(r.id, r.target_id, int(k["item"]), k["table"], k["columns"], k["rows"]))
    return found


def _key_name(table: str) -> str:
    return next(iter(schema.HISTORY_TABLES[table].primary_key.columns)).name


def _key_of(item: Row) -> Any:
    if item["op"] == "update":
        return item["key"]
    table = schema.HISTORY_TABLES[item["table"]]
    return item["row"][next(iter(table.primary_key.columns)).name]


def _in_log(conn: Connection, case_id: str) -> bool:
    return any(
        row.get("case_id") == case_id or (item["table"] == "cases" and _key_of(item) == case_id)
        for action in _log(conn) for item in _items(action) for row in _rows_of(item)
    ) or any(row.get("case_id") == case_id for kept in _kept(conn) for row in kept.dicts())


def _forget_rows(conn: Connection, case_id: str) -> _Forgotten:
    """Find the case's rows, in the tables and in the log, and delete those still in the tables."""
    d = schema.documents
    log = [(action, _items(action)) for action in _log(conn)]
    forgotten = _Forgotten()
    forgotten.add("cases", case_id)
    forgotten.names.add(case_id)
    for row in conn.execute(select(d.c.id, d.c.name, d.c.content_hash).where(d.c.case_id == case_id)):
        forgotten.add("documents", row.id)
    for _action, items in log:
        for item in items:
            if history.is_reference(item):
                continue
            if item["table"] in ("documents", "case_attributes") and any(r.get("case_id") == case_id for r in _rows_of(item)):
                forgotten.add(item["table"], _key_of(item))
    kept = _kept(conn)
    for rows in kept:
        if rows.table in ("documents", "case_attributes"):
            for r in rows.dicts():
                if r.get("case_id") == case_id:
                    forgotten.add(rows.table, r["id"])
    documents = forgotten.keys.get("documents", set())
    for rows in kept:
        for r in rows.dicts():
            if rows.table == "documents" and r["id"] in documents:  # an edit's kept values have no name
                forgotten.names.update([r["name"]] if "name" in r else [])
                forgotten.hashes.update([r["content_hash"]] if "content_hash" in r else [])
                forgotten.texts.extend([r["text"]] if "text" in r else [])
            elif rows.table in {t.name for t in _DOCUMENT_CHILDREN} and r.get("document_id") in documents:
                forgotten.add(rows.table, r[_key_name(rows.table)])
    for stored in conn.execute(select(d.c.id, d.c.name, d.c.content_hash, d.c.text).where(d.c.id.in_(documents))):
        forgotten.names.add(stored.name)
        forgotten.hashes.add(stored.content_hash)
        forgotten.texts.append(stored.text)
    for _action, items in log:
        for item in items:
            if history.is_reference(item):  # its rows are in the tables or kept by an undo: both searched here
                continue
            if item["table"] == "documents" and forgotten.has("documents", _key_of(item)):
                for r in _rows_of(item):
                    if "name" in r:
                        forgotten.names.add(r["name"])
                    if "content_hash" in r:
                        forgotten.hashes.add(r["content_hash"])
                    if "text" in r:
                        forgotten.texts.append(r["text"])
            elif item["table"] in {t.name for t in _DOCUMENT_CHILDREN} and any(
                r.get("document_id") in documents for r in _rows_of(item)
            ):
                forgotten.add(item["table"], _key_of(item))
    for table in _DOCUMENT_CHILDREN:
        for (key,) in conn.execute(select(table.c.id).where(table.c.document_id.in_(documents))):
            forgotten.add(table.name, key)
    ca = schema.case_attributes
    for (key,) in conn.execute(select(ca.c.id).where(ca.c.case_id == case_id)):
        forgotten.add("case_attributes", key)

    codings = forgotten.keys.get("codings", set())
    conn.execute(delete(schema.suggestion_acceptances).where(schema.suggestion_acceptances.c.coding_id.in_(codings)))
    for table in _DOCUMENT_CHILDREN:
        conn.execute(delete(table).where(table.c.document_id.in_(documents)))
    conn.execute(delete(d).where(d.c.id.in_(documents)))
    conn.execute(delete(ca).where(ca.c.case_id == case_id))
    conn.execute(delete(schema.cases).where(schema.cases.c.id == case_id))
    conn.execute(delete(schema.lemma_cache).where(schema.lemma_cache.c.content_hash.in_(forgotten.hashes)))
    # A trained model holds words of every text it learned from; it is retrained on demand.
    conn.execute(delete(schema.suggestion_models))
    return forgotten


def _purge_log(conn: Connection, forgotten: _Forgotten) -> int:
    """Take the case's rows out of every change set and its names out of every summary; return the entries changed."""
    a = schema.actions
    names = sorted(forgotten.names, key=len, reverse=True)
    naming = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names)) if names else None
    emptied: list[int] = []
    changed = 0
    undone = _kept(conn)
    for action in _log(conn):
        values: Row = {}
        items = _items(action)
        stashes = [k for k in undone if k.action_id == action["id"]]
        kept: list[Row] = []
        numbers: dict[int, int] = {}  # an item's place in the change set before -> after: kept rows are found by it
        narrowed = False
        for number, item in enumerate(items):
            if history.is_reference(item):
                keys = list(history.reference_keys(item))
                left = [k for k in keys if not forgotten.has(item["table"], k)]
                if not left:
                    continue
                if len(left) != len(keys):
                    item = _narrowed(conn, item, left, next((k for k in stashes if k.item == number), None))
                    narrowed = True
            elif forgotten.has(item["table"], _key_of(item)):
                continue
            numbers[number] = len(kept)
            kept.append(item)
        if len(kept) != len(items) or narrowed:
            if not kept:
                emptied.append(action["id"])
                continue
            values["changes"] = json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
            _renumber_kept(conn, stashes, numbers, forgotten)
        if naming is not None and naming.search(action["summary"]):
            values["summary"] = REDACTED_SUMMARY
        if values:
            conn.execute(update(a).where(a.c.id == action["id"]).values(**values))
            changed += 1
    if emptied:
        # An action that touched only the case goes, with its undos and redos: nothing of it is left to undo.
        conn.execute(delete(a).where(a.c.target_id.in_(emptied)))
        conn.execute(delete(a).where(a.c.id.in_(emptied)))
    return changed + len(emptied)


def _narrowed(conn: Connection, item: Row, left: list[int], stash: _Kept | None) -> Row:
    """A logged insert by reference without the forgotten rows: the keys left, and the hash of their rows."""
    table = schema.HISTORY_TABLES[item["table"]]
    key_name = _key_name(item["table"])
    wanted = set(left)
    if stash is not None:  # undone (or undone once): the rows as they were inserted
        rows = [r for r in stash.dicts() if r[key_name] in wanted]
    else:
        rows = [r for r in history.stored_rows(conn, table, history.key_ranges(left), item["columns"]) if r[key_name] in wanted]
    rows.sort(key=lambda r: r[key_name])
    return {**item, "keys": history.key_ranges(left), "count": len(left), "sha256": history.rows_digest(item["columns"], rows)}


def _renumber_kept(conn: Connection, stashes: list[_Kept], numbers: dict[int, int], forgotten: _Forgotten) -> None:
    """The kept rows of an action whose change set lost items or rows: without the forgotten rows, under the new numbers."""
    a = schema.actions
    for undo_id in sorted({stash.undo_id for stash in stashes}):
        items = []
        for stash in (s for s in stashes if s.undo_id == undo_id and s.item in numbers):
            key_name = _key_name(stash.table)
            rows = [values for values, r in zip(stash.rows, stash.dicts(), strict=True) if not forgotten.has(stash.table, r[key_name])]
            if stash.values:
                if rows:  # the row's key first, then its values
                    items.append({"item": numbers[stash.item], "table": stash.table, "key": rows[0][0],
                                  "values": dict(zip(stash.columns[1:], rows[0][1:], strict=True))})
                continue
            items.append({"item": numbers[stash.item], "table": stash.table, "columns": stash.columns, "rows": rows})
        kept = json.dumps({"kept": items}, ensure_ascii=False, separators=(",", ":")) if items else None
        conn.execute(update(a).where(a.c.id == undo_id).values(changes=kept))


#: A codebook text shorter than this matching a forgotten transcript is a coincidence ("ja"), not a quote.
MIN_QUOTE = 20


def _codes_quoting(conn: Connection, texts: list[str]) -> tuple[str, ...]:
    """The codes whose description, criteria or examples hold a passage of the forgotten texts."""
    if not texts:
        return ()
    c = schema.codes
    quoting = []
    for row in conn.execute(select(c.c.id, c.c.description, c.c.include_criteria, c.c.exclude_criteria, c.c.examples).order_by(c.c.id)):
        try:
            examples = [str(e) for e in json.loads(row.examples or "[]")]
        except ValueError:
            examples = [row.examples]
        passages = [p for p in (row.description, row.include_criteria, row.exclude_criteria, *examples) if p]
        quoted = (
            " ".join(piece.split()) for p in passages for piece in re.split(r'["“”„«»\n]', p) if len(piece.strip()) >= MIN_QUOTE
        )
        flat = [" ".join(t.split()) for t in texts]
        if any(q in t for q in quoted for t in flat):
            quoting.append(row.id)
    return tuple(quoting)


def _forget_in_backup(conn: Connection, case_id: str) -> None:
    forgotten = _forget_rows(conn, case_id)
    _purge_log(conn, forgotten)


# -- purging old history -------------------------------------------------------------------------------------


def _drop_log_before(conn: Connection, before: date) -> int:
    """Delete the log entries made before `before`, and any undo or redo of them; return how many went."""
    a = schema.actions
    cutoff = before.isoformat()
    old = [r.id for r in conn.execute(select(a.c.id).where(a.c.at < cutoff))]
    if not old:
        return 0
    # Undos and redos of old actions go too, whenever they were made: they would point at nothing.
    dependants = [r.id for r in conn.execute(select(a.c.id).where(a.c.target_id.in_(old), a.c.at >= cutoff))]
    conn.execute(delete(a).where(a.c.target_id.in_(old)))
    conn.execute(delete(a).where(a.c.id.in_(old)))
    return len(old) + len(dependants)
