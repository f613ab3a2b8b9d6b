"""Row-level change sets behind the action log: recorded once, replayed backwards (undo) or forwards (redo).

Recording changes instead of writing an inverse per operation means every operation, present and future,
is undoable for free, and the log alone reconstructs the undo and redo stacks after a restart.

Rows inserted into a table with an integer key are logged by reference: the table, the ranges of their keys and a
SHA-256 of the rows as stored, not the rows. The rows are in the table already, so a second copy in the log only
doubled the file (an imported transcript's text, every row of a codings import). Undo reads them by key, refuses if
the hash no longer matches (changed since), keeps them in the undo's own log entry (the log is append-only; kept once
per action, as a later undo of the same rows finds them kept) and deletes them; redo puts those rows back with their
own keys. Updates and deletes keep their old values, which nothing else holds; an update's long new value (an edited
transcript's text) is logged by its hash and kept by its undo the same way. Change sets written before (whole rows in
every insert, every new value) replay as they always did.
"""

from __future__ import annotations

import gc
import hashlib
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Connection, Integer, String, Table, bindparam, delete, func, insert, select, text, update

from workbench.core.schema import HISTORY_TABLES, actions
from workbench.errors import NotPermittedError, StoreError

Row = dict[str, Any]
#: Inclusive ranges of integer keys, ascending.
KeyRanges = list[list[int]]


#: A new value of at least this many characters is logged by its hash (see `Changes.update`).
LONG_VALUE = 1000


def _text_digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class ChangedSince(StoreError):
    """Rows an action inserted are no longer as it left them: undoing it would lose that later change."""


def _by_reference(table: Table) -> bool:
    """Whether inserts into `table` are logged by key and hash (a single integer key) rather than as whole rows."""
    columns = list(table.primary_key.columns)
    return len(columns) == 1 and isinstance(columns[0].type, Integer)


def key_ranges(keys: Iterable[int]) -> KeyRanges:
    """Sorted keys as inclusive [first, last] runs: the keys of one import are one run."""
    ranges: KeyRanges = []
    for key in sorted(keys):
        if ranges and key == ranges[-1][1] + 1:
            ranges[-1][1] = key
        else:
            ranges.append([key, key])
    return ranges


#: Rows are hashed and kept as JSON lists of their values in the table's column order; one encoder, built once.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _lines(values: Iterable[Sequence[Any]]) -> list[str]:
    """Each row's values as one JSON list: what is hashed, and what an undo keeps (so kept rows hash alike)."""
    return [_ENCODER.encode(list(row)) for row in values]


def _digest_of(lines: Sequence[str]) -> str:
    return hashlib.sha256("".join(f"{line}\n" for line in lines).encode()).hexdigest()


def _rows_digest(values: Sequence[Sequence[Any]]) -> str:
    """`_digest_of(_lines(values))`, without a line object per row."""
    return hashlib.sha256(_joined(values).encode()).hexdigest()


def _joined(values: Sequence[Sequence[Any]]) -> str:
    """What `_digest_of(_lines(values))` hashes: each row's line followed by a newline.

    One encoder call for all rows instead of one per row (a transcript's hundreds of turns): the rows' lines are the
    whole list's JSON split where one row ends and the next begins. "],[" marks those places unless a value holds it,
    which the count shows; then the rows are encoded one by one.
    """
    if not values:
        return ""
    inner = _ENCODER.encode(values if isinstance(values, list) else list(values))[1:-1]
    if inner.count("],[") == len(values) - 1:
        return inner.replace("],[", "]\n[") + "\n"
    return "".join(f"{line}\n" for line in _lines(values))


def stored_values(conn: Connection, table: Table, ranges: KeyRanges, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """The rows with keys in `ranges` as tuples of `columns`, ascending by key: a range read per run of keys, never a
    growing IN list."""
    key = table.c[_key_column(table)]
    wanted = select(*(table.c[name] for name in columns))
    rows: list[tuple[Any, ...]] = []
    for first, last in ranges:
        query = wanted.where(key == first) if first == last else wanted.where(key.between(first, last)).order_by(key)
        rows.extend(tuple(r) for r in conn.execute(query))
    return rows


def stored_rows(conn: Connection, table: Table, ranges: KeyRanges, columns: Sequence[str]) -> list[Row]:
    """The rows with keys in `ranges`, as dicts of `columns`, ascending by key."""
    return [dict(zip(columns, values, strict=True)) for values in stored_values(conn, table, ranges, columns)]


def rows_digest(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """The SHA-256 a reference to these rows (ascending by key) carries, of the columns it names."""
    return _rows_digest([[row[name] for name in columns] for row in rows])


def is_reference(item: Mapping[str, Any]) -> bool:
    """Whether a logged insert names its rows by key ranges and hash instead of holding them."""
    return item["op"] == "insert" and "keys" in item


def reference_keys(item: Mapping[str, Any]) -> Iterator[int]:
    """Every key a reference item names, ascending."""
    for first, last in item["keys"]:
        yield from range(first, last + 1)


def _as_stored(table: Table, columns: Sequence[str], rows: Sequence[Row]) -> list[tuple[Any, ...]] | None:
    """The rows' values as the database will give them back, when that is certain without reading them; else None.

    An integer into an integer column and a string into a string column come back unchanged on either backend, so the
    tens of thousands of turns or answers of an import are hashed as given instead of read back. Checked a column at a
    time, the rows' values taken out by `itemgetter`: per-value Python was a tenth of a transcript import.
    """
    kinds: list[type] = []
    for name in columns:
        column_type = table.c[name].type
        if isinstance(column_type, Integer) and not isinstance(column_type, Boolean):
            kinds.append(int)
        elif isinstance(column_type, String):
            kinds.append(str)
        else:
            return None
    if not rows:
        return []
    getter = operator.itemgetter(*columns)
    try:
        values: list[tuple[Any, ...]] = list(map(getter, rows)) if len(columns) > 1 else [(v,) for v in map(getter, rows)]
    except KeyError:
        return None  # a column left to the database's own default
    for kind, column_values in zip(kinds, zip(*values, strict=True), strict=True):
        found = set(map(type, column_values))
        found.discard(type(None))
        if not found <= {kind}:
            return None
    return values


def _key_column(table: Table) -> str:
    (column,) = table.primary_key.columns
    return column.name


def _defaults(table: Table) -> Row:
    """The scalar defaults of the table's columns, by column name."""
    return {
        column.name: column.default.arg  # type: ignore[attr-defined]
        for column in table.columns
        if column.default is not None and column.default.is_scalar
    }


def _with_defaults(table: Table, values: Mapping[str, Any]) -> Row:
    return {**_defaults(table), **values}


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
    if table.kwargs.get("sqlite_autoincrement") and conn.dialect.name == "sqlite":
        # Creating an AUTOINCREMENT table creates sqlite_sequence, so it is there; one plain statement per import of a
        # file (asking whether the table exists was a PRAGMA each time).
        quote = conn.dialect.identifier_preparer
        largest = (
            f"SELECT max(coalesce((SELECT max({quote.quote(name)}) FROM {quote.format_table(table)}), 0),"  # noqa: S608 - the schema's own names, quoted
            " coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))"
        )
        used = conn.exec_driver_sql(largest, (table.name,)).scalar() or 0
    else:
        used = conn.execute(select(func.max(key))).scalar() or 0
    return list(range(int(used) + 1, int(used) + 1 + count))


def _plain_insert(conn: Connection, table: Table, columns: Sequence[str]) -> str | None:
    """The driver's own INSERT of `columns` with positional placeholders, for drivers whose style is known; else None."""
    placeholder = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(conn.dialect.paramstyle)
    if placeholder is None:
        return None
    quote = conn.dialect.identifier_preparer
    names = ", ".join(quote.quote(name) for name in columns)
    marks = ", ".join([placeholder] * len(columns))
    return f"INSERT INTO {quote.format_table(table)} ({names}) VALUES ({marks})"  # noqa: S608 - the schema's own names, quoted


def _not_yours(table: Table, key: Any) -> NotPermittedError:
    # The row is there, unchanged, and yet the statement touched nothing: on a team server, row-level security hid it
    # from this member's writes (another coder's work).
    return NotPermittedError(f"{table.name} {key!r}: your role in this project does not allow changing it (it is another coder's work)")


#: From this many rows on, an insert runs without the cyclic garbage collector (see `_without_cycle_collection`).
_MANY_ROWS = 1000


@contextmanager
def _without_cycle_collection(rows: int) -> Iterator[None]:
    """Pause Python's cycle collector while a large batch of rows is built, sent and hashed.

    The rows, tuples and dicts of a questionnaire's answers are tens of thousands of new objects, none in a cycle; each
    few hundred of them set off a collection that walks the loaded libraries too: a fifth of an import of answers.
    Collection resumes afterwards (reference counting frees everything meanwhile), and only if it was on before.
    """
    if rows < _MANY_ROWS or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Changes:
    """Writes rows inside an action's transaction and remembers what it wrote."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.items: list[Row] = []
        self.summary = ""
        # The running hash of each reference item still open to more rows, by the item's id().
        self._hashers: dict[int, Any] = {}

    def insert(self, table: Table, values: Mapping[str, Any]) -> Any:
        """Insert one row; return its primary key."""
        row = _with_defaults(table, values)
        key_name = _key_column(table)
        # The values as parameters, not in the statement: one compiled INSERT per table, reused by every call.
        result = self.conn.execute(insert(table), row)
        if key_name not in row:
            inserted = result.inserted_primary_key
            if inserted is None:
                raise StoreError(f"{table.name}: the database gave the new row no key")
            row[key_name] = inserted[0]
        self._log_inserted(table, [row])
        return row[key_name]

    def insert_many(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Insert rows in one statement; return their primary keys in order."""
        if not rows:
            return []
        with _without_cycle_collection(len(rows)):
            return self._insert_many(table, rows)

    def _insert_many(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        defaults = _defaults(table)
        full = [{**defaults, **r} for r in rows]
        key = table.c[_key_column(table)]
        if key.name not in full[0] and isinstance(key.type, Integer):
            # Keys handed out first, then one plain executemany: RETURNING makes SQLAlchemy build multi-row statements
            # in Python, several times slower for the tens of thousands of turns or answers of one import.
            for row, k in zip(full, _allocate_keys(self.conn, table, len(full)), strict=True):
                row[key.name] = k
        given: list[tuple[Any, ...]] | None = None
        if all(key.name in row for row in full):
            columns = [c.name for c in table.columns]
            given = _as_stored(table, columns, full)
            statement = _plain_insert(self.conn, table, columns) if given is not None else None
            if statement is not None:
                # Plain integers and strings go to the driver as tuples: SQLAlchemy's per-row parameter building was
                # as slow as SQLite's own executemany of a transcript's turns.
                self.conn.exec_driver_sql(statement, given)
            else:
                self.conn.execute(insert(table), full)
            keys = [row[key.name] for row in full]
        else:
            result = self.conn.execute(insert(table).returning(key, sort_by_parameter_order=True), full)
            keys = [k for (k,) in result]
        for row, k in zip(full, keys, strict=True):
            row[key.name] = k
        self._log_inserted(table, full, given)
        return keys

    def _log_inserted(self, table: Table, rows: Sequence[Row], given: list[tuple[Any, ...]] | None = None) -> None:
        """Log rows just inserted: by key ranges and the hash of the rows as the database now holds them, or whole."""
        if not _by_reference(table):
            self.items.extend({"op": "insert", "table": table.name, "row": row} for row in rows)
            return
        key_name = _key_column(table)
        keys = [int(row[key_name]) for row in rows]
        ranges = key_ranges(keys)
        # Hashed as read back, not as given: the database's own types (a bool, an integer given as text) are what undo
        # will read and compare.
        # The columns are named: a column a later schema adds is neither hashed nor expected when this is undone.
        columns = [c.name for c in table.columns]
        if given is None:
            given = _as_stored(table, columns, rows)
        values = given if given is not None else stored_values(self.conn, table, ranges, columns)
        last = self.items[-1] if self.items else None
        if (last is not None and is_reference(last) and last["table"] == table.name and last["columns"] == columns
                and ranges[0][0] > last["keys"][-1][1]):
            # One item for a run of single inserts into one table (codes of a codebook, one after another).
            hasher = self._hashers[id(last)]
            if ranges[0][0] == last["keys"][-1][1] + 1:
                last["keys"][-1][1] = ranges[0][1]
                ranges = ranges[1:]
            last["keys"].extend(ranges)
            last["count"] += len(values)
        else:
            hasher = hashlib.sha256()
            last = {"op": "insert", "table": table.name, "columns": columns, "keys": ranges, "count": len(values)}
            self._hashers[id(last)] = hasher
            self.items.append(last)
        hasher.update(_joined(values).encode())
        last["sha256"] = hasher.hexdigest()

    def update(self, table: Table, key: Any, values: Mapping[str, Any]) -> None:
        """Change columns of the row with primary key `key`.

        A long new value (a transcript's edited text) is logged by its hash: the row holds it, and an undo keeps it for
        the redo as it does inserted rows. The old value is logged whole: nothing else holds it.
        """
        before = self._fetch(table, key)
        kept = {name: before[name] for name in values}
        self._execute_update(table, key, values, expected=kept)
        item: Row = {"op": "update", "table": table.name, "key": key, "before": kept, "after": dict(values)}
        long_values = {name: _text_digest(v) for name, v in values.items() if isinstance(v, str) and len(v) >= LONG_VALUE}
        if long_values:
            item["after"] = {name: v for name, v in values.items() if name not in long_values}
            item["after_sha256"] = long_values
        self.items.append(item)

    def update_many(self, table: Table, column: str, changed: Sequence[tuple[Any, Any, Any]]) -> None:
        """Give rows one column's new value each, as (key, value before, value after): logged as `update` logs each, but
        written in one guarded executemany.

        The next wave of a questionnaire sets the wave of every respondent again: two statements per row through
        `update` (its read of the row and the update) were half the import. The values before were read in this
        transaction by the caller; the guard still refuses a value someone else changed meanwhile on a server.
        """
        if len(changed) < 2:
            for key, _, value in changed:
                self.update(table, key, {column: value})
            return
        statement = (
            update(table)
            .where(table.c[_key_column(table)] == bindparam("row_key"), table.c[column] == bindparam("value_before"))
            .values({column: bindparam("value_after")})
        )
        result = self.conn.execute(
            statement, [{"row_key": key, "value_before": before, "value_after": after} for key, before, after in changed]
        )
        if result.rowcount != len(changed):
            raise StoreError(
                f"{table.name}: {len(changed) - result.rowcount} of {len(changed)} values were changed by someone else "
                "meanwhile; reload and try again"
            )
        self.items.extend(
            {"op": "update", "table": table.name, "key": key, "before": {column: before}, "after": {column: after}}
            for key, before, after in changed
        )

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


def replay(conn: Connection, changes_json: str, *, backwards: bool, action_id: int | None = None) -> str | None:
    """Apply a stored change set again (redo) or its inverse in reverse order (undo).

    Consecutive inserts or deletes in one table go to the database as one executemany: an import of 200,000 codings is
    undone in one prepared statement run 200,000 times, not 200,000 statements built and compiled one by one. Order is
    kept: a run only ever holds neighbours. Inserts logged by reference (see the module's docstring) need `action_id`,
    the action the change set is of. An undo returns what the undo's log entry must keep for the redo (JSON), or None.
    """
    items: list[Row] = json.loads(changes_json)
    writer = Changes(conn)
    run: list[Row] = []
    run_kind: tuple[str, str, tuple[str, ...]] | None = None
    kept_before: dict[int, Row] | None = None
    kept_now: list[str] = []  # JSON of each item kept, last item first

    def flush() -> None:
        if run_kind is not None and run:
            kind, name, _columns = run_kind
            table = HISTORY_TABLES[name]
            if kind == "insert":
                conn.execute(insert(table), run)
            else:
                writer._execute_deletes(table, [row[_key_column(table)] for row in run])
        run.clear()

    numbered = list(enumerate(items))
    for number, item in reversed(numbered) if backwards else numbered:
        table = HISTORY_TABLES[item["table"]]
        op = item["op"]
        if op == "update" and "after_sha256" not in item:
            flush()
            run_kind = None
            before, after = item["before"], item["after"]
            writer._execute_update(table, item["key"], before if backwards else after, expected=after if backwards else before)
            continue
        if op == "update" or is_reference(item):
            flush()
            run_kind = None
            if action_id is None:
                raise StoreError(f"{table.name}: a change set with values by reference replayed without its action")
            if kept_before is None:
                kept_before = kept_rows(conn, action_id)
            if op == "update":
                taken_values = _replay_long_update(writer, table, item, backwards, kept_before.get(number))
                if backwards and number not in kept_before:
                    kept_now.append(_ENCODER.encode({"item": number, "table": table.name, "key": item["key"], "values": taken_values}))
                continue
            if backwards:
                taken = _take_back(writer, table, item)
                if number not in kept_before:  # a second undo (after a redo) takes back the same rows, hash-checked
                    head = _ENCODER.encode({"item": number, "table": table.name, "columns": item["columns"]})
                    kept_now.append(f'{head[:-1]},"rows":[{",".join(taken)}]}}')  # the hashed lines, not encoded again
            else:
                _put_back(conn, table, item, kept_before.get(number))
            continue
        kind = "insert" if (op == "insert") != backwards else "delete"
        row = item["row"]
        this_kind = (kind, table.name, tuple(row) if kind == "insert" else ())
        if this_kind != run_kind:
            flush()
            run_kind = this_kind
        run.append(row)
    flush()
    if not kept_now:
        return None
    return '{"kept":[' + ",".join(reversed(kept_now)) + "]}"  # in change-set order


def _take_back(writer: Changes, table: Table, item: Row) -> list[str]:
    """Undo an insert logged by reference: check the rows are as inserted, delete them, return them as hashed."""
    conn = writer.conn
    lines = _lines(stored_values(conn, table, item["keys"], item["columns"]))
    if len(lines) != item["count"]:
        raise ChangedSince(f"{table.name}: {item['count'] - len(lines)} of the {item['count']} rows it inserted were deleted since")
    if _digest_of(lines) != item["sha256"]:
        raise ChangedSince(f"{table.name}: rows it inserted were changed since")
    key = table.c[_key_column(table)]
    deleted = 0
    for first, last in item["keys"]:
        deleted += conn.execute(delete(table).where(key.between(first, last))).rowcount
    if deleted != len(lines):  # the rows were there a moment ago: row-level security hid some from this member
        still = (k for k in reference_keys(item) if conn.execute(select(key).where(key == k)).first() is not None)
        raise _not_yours(table, next(still, item["keys"][0][0]))
    return lines


def _replay_long_update(writer: Changes, table: Table, item: Row, backwards: bool, kept: Row | None) -> dict[str, Any]:
    """Undo or redo an update whose long new values were logged by hash; return those values (undo keeps them)."""
    hashed: dict[str, str] = item["after_sha256"]
    if backwards:
        current = writer._fetch(table, item["key"])
        for name, digest in hashed.items():
            if not isinstance(current[name], str) or _text_digest(current[name]) != digest:
                raise ChangedSince(f"{table.name} {item['key']!r}: its {name} was changed since")
        values = {name: current[name] for name in hashed}
        writer._execute_update(table, item["key"], item["before"], expected={**item["after"], **values})
        return values
    values = {} if kept is None else dict(kept.get("values", {}))
    if set(values) != set(hashed) or any(_text_digest(values[name]) != digest for name, digest in hashed.items()):
        raise StoreError(f"{table.name} {item['key']!r}: the values to put back were not kept when the action was undone")
    writer._execute_update(table, item["key"], {**item["after"], **values}, expected=item["before"])
    return values


def kept_rows(conn: Connection, action_id: int) -> dict[int, Row]:
    """What undos of action `action_id` kept for its redo, by change-set item: an insert's table, columns and rows, or an
    update's table, key and long new values."""
    a = actions
    found: dict[int, Row] = {}
    query = select(a.c.changes).where(a.c.target_id == action_id, a.c.kind == "undo", a.c.changes.is_not(None)).order_by(a.c.id)
    for (payload,) in conn.execute(query):
        for kept in json.loads(payload)["kept"]:
            found[int(kept["item"])] = kept
    return found


def kept_dicts(kept: Row) -> list[Row]:
    """The rows of one kept item as dicts."""
    return [dict(zip(kept["columns"], values, strict=True)) for values in kept["rows"]]


def _put_back(conn: Connection, table: Table, item: Row, kept: Row | None) -> None:
    """Redo an insert logged by reference: the rows kept when it was undone, with their own keys."""
    if kept is None or kept["columns"] != item["columns"] or _rows_digest(kept["rows"]) != item["sha256"]:
        raise StoreError(f"{table.name}: the rows to put back were not kept when the action was undone")
    rows = kept_dicts(kept)
    if rows:
        conn.execute(insert(table), rows)


#: Tables whose rows hold character offsets into a document's text.
ANCHORED_TABLES = frozenset({"codings", "suggestion_rejections", "consensus_decisions", "turns", "orphaned_codings"})


def retexted_documents(changes_json: str) -> frozenset[int]:
    """The documents whose text a stored change set replaced (a transcript edit)."""
    return frozenset(
        int(item["key"]) for item in json.loads(changes_json)
        if item["table"] == "documents" and item["op"] == "update" and ("text" in item["after"] or "text" in item.get("after_sha256", {}))
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
        elif is_reference(item):  # rows of later actions, in the tables now
            table = HISTORY_TABLES[item["table"]]
            key = table.c[_key_column(table)]
            for first, last in item["keys"]:
                query = select(table.c.document_id).where(key.between(first, last)).distinct()
                found.update(int(document_id) for (document_id,) in conn.execute(query))
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
