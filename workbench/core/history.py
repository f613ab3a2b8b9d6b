"""Row-level change sets behind the action log: recorded once, replayed backwards (undo) or forwards (redo).

Recording changes instead of writing an inverse per operation means every operation, present and future,
is undoable for free, and the log alone reconstructs the undo and redo stacks after a restart.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, Table, bindparam, delete, func, insert, select, text, update

from workbench.core.schema import HISTORY_TABLES
from workbench.errors import NotPermittedError, StoreError

Row = dict[str, Any]


def _key_column(table: Table) -> str:
    (column,) = table.primary_key.columns
    return column.name


def _with_defaults(table: Table, values: Mapping[str, Any]) -> Row:
    row = dict(values)
    for column in table.columns:
        if column.name not in row and column.default is not None and column.default.is_scalar:
            row[column.name] = column.default.arg  # type: ignore[attr-defined]
    return row


def _allocate_keys(conn: Connection, table: Table, count: int) -> list[int]:
    """`count` new integer keys for `table`, never used before, inside the caller's write transaction.

    SQLite: after the largest key ever given (AUTOINCREMENT's sqlite_sequence) or now present; the write transaction
    holds the database's only write lock, so nobody else takes them meanwhile. PostgreSQL: from the column's sequence,
    which is safe under concurrent writers by itself.
    """
    name = _key_column(table)
    if conn.dialect.name == "postgresql":
        query = text("SELECT nextval(pg_get_serial_sequence(:table, :column)) FROM generate_series(1, :count)")
        return [int(k) for (k,) in conn.execute(query, {"table": table.name, "column": name, "count": count})]
    key = table.c[name]
    used = conn.execute(select(func.max(key))).scalar() or 0
    if conn.dialect.has_table(conn, "sqlite_sequence"):
        given = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :table"), {"table": table.name}).scalar() or 0
        used = max(int(used), int(given))
    return list(range(int(used) + 1, int(used) + 1 + count))


def _not_yours(table: Table, key: Any) -> NotPermittedError:
    # The row is there, unchanged, and yet the statement touched nothing: on a team server, row-level security hid it
    # from this member's writes (another coder's work).
    return NotPermittedError(f"{table.name} {key!r}: your role in this project does not allow changing it (it is another coder's work)")


class Changes:
    """Writes rows inside an action's transaction and remembers what it wrote."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.items: list[Row] = []
        self.summary = ""

    def insert(self, table: Table, values: Mapping[str, Any]) -> Any:
        """Insert one row; return its primary key."""
        row = _with_defaults(table, values)
        key_name = _key_column(table)
        result = self.conn.execute(insert(table).values(**row))
        if key_name not in row:
            inserted = result.inserted_primary_key
            if inserted is None:
                raise StoreError(f"{table.name}: the database gave the new row no key")
            row[key_name] = inserted[0]
        self.items.append({"op": "insert", "table": table.name, "row": row})
        return row[key_name]

    def insert_many(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Insert rows in one statement; return their primary keys in order."""
        if not rows:
            return []
        full = [_with_defaults(table, r) for r in rows]
        key = table.c[_key_column(table)]
        if key.name not in full[0] and isinstance(key.type, Integer):
            # Keys handed out first, then one plain executemany: RETURNING makes SQLAlchemy build multi-row statements
            # in Python, several times slower for the tens of thousands of turns or answers of one import.
            for row, k in zip(full, _allocate_keys(self.conn, table, len(full)), strict=True):
                row[key.name] = k
        if all(key.name in row for row in full):
            self.conn.execute(insert(table), full)
            keys = [row[key.name] for row in full]
        else:
            result = self.conn.execute(insert(table).returning(key, sort_by_parameter_order=True), full)
            keys = [k for (k,) in result]
        for row, k in zip(full, keys, strict=True):
            row[key.name] = k
            self.items.append({"op": "insert", "table": table.name, "row": row})
        return keys

    def update(self, table: Table, key: Any, values: Mapping[str, Any]) -> None:
        """Change columns of the row with primary key `key`."""
        before = self._fetch(table, key)
        kept = {name: before[name] for name in values}
        self._execute_update(table, key, values, expected=kept)
        self.items.append({"op": "update", "table": table.name, "key": key, "before": kept, "after": dict(values)})

    def delete(self, table: Table, key: Any) -> None:
        """Delete the row with primary key `key`."""
        before = self._fetch(table, key)
        self._execute_delete(table, key)
        self.items.append({"op": "delete", "table": table.name, "row": before})

    def _fetch(self, table: Table, key: Any) -> Row:
        row = self.conn.execute(select(table).where(table.c[_key_column(table)] == key)).mappings().first()
        if row is None:
            raise StoreError(f"{table.name}: no row with key {key!r}")
        return dict(row)

    def _execute_update(self, table: Table, key: Any, values: Mapping[str, Any], expected: Mapping[str, Any]) -> None:
        # Guarded by the values read before: on a server another session may have changed the row since (two renames
        # of one code), and the later write must be refused rather than silently undo the earlier one.
        guard = [table.c[name].is_(None) if value is None else table.c[name] == value for name, value in expected.items()]
        result = self.conn.execute(update(table).where(table.c[_key_column(table)] == key, *guard).values(**values))
        if result.rowcount != 1:
            exists = self.conn.execute(select(table.c[_key_column(table)]).where(table.c[_key_column(table)] == key)).first()
            if exists is None:
                raise StoreError(f"{table.name}: no row with key {key!r}")
            unchanged = self.conn.execute(select(table.c[_key_column(table)]).where(table.c[_key_column(table)] == key, *guard)).first()
            if unchanged is not None:
                raise _not_yours(table, key)
            raise StoreError(f"{table.name} {key!r}: changed by someone else meanwhile; reload and try again")

    def _execute_deletes(self, table: Table, keys: Sequence[Any]) -> None:
        """Delete the rows with these keys in one executemany; refuse, as `_execute_delete` does, if one is not deleted."""
        column = table.c[_key_column(table)]
        if len(keys) == 1:
            self._execute_delete(table, keys[0])
            return
        result = self.conn.execute(delete(table).where(column == bindparam("key")), [{"key": key} for key in keys])
        if result.rowcount == len(keys):
            return
        for key in keys:  # which one: a row still there was hidden from this member; none still there, one was gone
            if self.conn.execute(select(column).where(column == key)).first() is not None:
                raise _not_yours(table, key)
        raise StoreError(f"{table.name}: {len(keys) - result.rowcount} of {len(keys)} rows were already gone")

    def _execute_delete(self, table: Table, key: Any) -> None:
        result = self.conn.execute(delete(table).where(table.c[_key_column(table)] == key))
        if result.rowcount != 1:
            if self.conn.execute(select(table.c[_key_column(table)]).where(table.c[_key_column(table)] == key)).first() is not None:
                raise _not_yours(table, key)
            raise StoreError(f"{table.name}: no row with key {key!r}")

    def to_json(self) -> str:
        """The change set as stored in the action log."""
        return json.dumps(self.items, ensure_ascii=False, separators=(",", ":"))


def replay(conn: Connection, changes_json: str, *, backwards: bool) -> None:
    """Apply a stored change set again (redo) or its inverse in reverse order (undo).

    Consecutive inserts or deletes in one table go to the database as one executemany: an import of 200,000 codings is
    undone in one prepared statement run 200,000 times, not 200,000 statements built and compiled one by one. Order is
    kept: a run only ever holds neighbours.
    """
    items: list[Row] = json.loads(changes_json)
    writer = Changes(conn)
    run: list[Row] = []
    run_kind: tuple[str, str, tuple[str, ...]] | None = None

    def flush() -> None:
        if run_kind is not None and run:
            kind, name, _columns = run_kind
            table = HISTORY_TABLES[name]
            if kind == "insert":
                conn.execute(insert(table), run)
            else:
                writer._execute_deletes(table, [row[_key_column(table)] for row in run])
        run.clear()

    for item in reversed(items) if backwards else items:
        table = HISTORY_TABLES[item["table"]]
        op = item["op"]
        if op == "update":
            flush()
            run_kind = None
            before, after = item["before"], item["after"]
            writer._execute_update(table, item["key"], before if backwards else after, expected=after if backwards else before)
            continue
        kind = "insert" if (op == "insert") != backwards else "delete"
        row = item["row"]
        this_kind = (kind, table.name, tuple(row) if kind == "insert" else ())
        if this_kind != run_kind:
            flush()
            run_kind = this_kind
        run.append(row)
    flush()


#: Tables whose rows hold character offsets into a document's text.
ANCHORED_TABLES = frozenset({"codings", "suggestion_rejections", "consensus_decisions", "turns", "orphaned_codings"})


def retexted_documents(changes_json: str) -> frozenset[int]:
    """The documents whose text a stored change set replaced (a transcript edit)."""
    return frozenset(
        int(item["key"]) for item in json.loads(changes_json)
        if item["table"] == "documents" and item["op"] == "update" and "text" in item["after"]
    )


def anchored_documents(conn: Connection, changes_json: str) -> frozenset[int]:
    """The documents a stored change set wrote offset-anchored rows of (codings, turns, …)."""
    found: set[int] = set()
    for item in json.loads(changes_json):
        if item["table"] not in ANCHORED_TABLES:
            continue
        if item["op"] == "update":  # the key only: the row says which document
            table = HISTORY_TABLES[item["table"]]
            document_id = conn.execute(select(table.c.document_id).where(table.c[_key_column(table)] == item["key"])).scalar()
            if document_id is not None:
                found.add(int(document_id))
        else:
            found.add(int(item["row"]["document_id"]))
    return frozenset(found)


def touched_tables(changes_json: str) -> frozenset[str]:
    """The tables a stored change set writes to."""
    return frozenset(item["table"] for item in json.loads(changes_json))


@dataclass(frozen=True)
class LogEntry:
    """What the stack replay needs of an action-log row."""

    id: int
    actor: str
    kind: str
    undoable: bool
    target_id: int | None


@dataclass(frozen=True)
class Stacks:
    """Action ids that can be undone (last is next) and redone (last is next)."""

    done: tuple[int, ...]
    undone: tuple[int, ...]


def stacks(entries: Iterable[LogEntry], include: Callable[[LogEntry], bool] = lambda e: True) -> Stacks:
    """Rebuild the undo and redo stacks from the log, keeping only actions `include` accepts.

    An undo or redo entry belongs to the stack of the action it targets, so per-coder stacks stay consistent
    whoever pressed the key.
    """
    by_id: dict[int, LogEntry] = {}
    done: list[int] = []
    undone: list[int] = []
    for entry in entries:
        by_id[entry.id] = entry
        if entry.kind in ("undo", "redo"):
            if entry.target_id is None:
                raise StoreError(f"action log entry #{entry.id} is an {entry.kind} of no action; the log is damaged")
            if not include(by_id[entry.target_id]):
                continue
            source, sink = (done, undone) if entry.kind == "undo" else (undone, done)
            if entry.target_id in source:
                source.remove(entry.target_id)
            sink.append(entry.target_id)
        elif entry.undoable and include(entry):
            done.append(entry.id)
            undone.clear()
    return Stacks(tuple(done), tuple(undone))
