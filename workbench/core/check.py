"""`workbench check`: is the project file sound, and does every stored row still agree with the others?

Each check reads only; a problem is a finding, never an exception, so one damaged table does not hide the rest.
The SQL is portable; SQLite's own integrity pragmas run only when the database is SQLite.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.exc import DatabaseError

from workbench.core import history, schema
from workbench.core.store import Store, open_or_explain
from workbench.errors import ProjectNotFoundError, StoreError, database_reason
from workbench.locations import project_db_path

#: Integrity findings past this many are summarised: a wrecked file would otherwise print one line per page.
MAX_PRAGMA_FINDINGS = 20


@dataclass(frozen=True)
class Finding:
    """One problem: what kind of check found it, and a line saying what and where (ids only, never text)."""

    check: str
    message: str


@dataclass(frozen=True)
class CheckReport:
    """The findings of a check, and how much was looked at."""

    findings: tuple[Finding, ...]
    documents: int
    codings: int
    actions: int

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.findings


def check_folder(project_dir: Path) -> CheckReport:
    """Check the project in a folder; a file too damaged to open is still given SQLite's own integrity check."""
    try:
        store = open_or_explain(project_dir, backup=False)
    except ProjectNotFoundError:
        raise
    except StoreError as exc:
        db_path = project_db_path(project_dir)
        return CheckReport((Finding("open", str(exc)), *_file_integrity(db_path)), 0, 0, 0)
    with store:
        return check_project(store)


def _file_integrity(db_path: Path) -> list[Finding]:
    try:
        with closing(sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)) as raw:
            rows = [str(r[0]) for r in raw.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.Error as exc:
        return [Finding("integrity", f"database file: {type(exc).__name__}: {exc}")]
    return [Finding("integrity", f"database file: {row}") for row in rows[:MAX_PRAGMA_FINDINGS] if rows != ["ok"]]


def check_project(store: Store) -> CheckReport:
    """Run every check on the project and return the findings (empty when the project is sound)."""
    checks: list[tuple[str, Callable[[Connection], Iterator[Finding]]]] = [
        ("offsets", _offsets), ("orphans", _orphans), ("history", _action_log),
    ]
    if store.engine.dialect.name == "sqlite":
        checks.insert(0, ("integrity", _sqlite_integrity))
    findings = [finding for name, check in checks for finding in _guarded(store, name, check)]
    counts = [_count(store, t) for t in (schema.documents, schema.codings, schema.actions)]
    return CheckReport(tuple(findings), *counts)


def _guarded(store: Store, name: str, check: Callable[[Connection], Iterator[Finding]]) -> list[Finding]:
    """Run one check in a read transaction of its own; a database error while checking is itself a finding.

    Its own transaction, because a damaged page can fail the rest of a transaction, even its commit.
    """
    try:
        with store.engine.connect() as conn, conn.begin():
            return list(check(conn))
    except DatabaseError as exc:
        return [Finding(name, f"cannot be checked: {database_reason(exc)}")]


def _count(store: Store, table: Table) -> int:
    try:
        with store.engine.connect() as conn, conn.begin():
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    except DatabaseError:
        return 0


def _sqlite_integrity(conn: Connection) -> Iterator[Finding]:
    rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        for row in rows[:MAX_PRAGMA_FINDINGS]:
            yield Finding("integrity", f"database file: {row}")
        if len(rows) > MAX_PRAGMA_FINDINGS:
            yield Finding("integrity", f"database file: {len(rows) - MAX_PRAGMA_FINDINGS} more problems of the same kind")
    for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()[:MAX_PRAGMA_FINDINGS]:
        yield Finding("foreign keys", f"{table} row {rowid} refers to a missing row of {parent}")


def _offsets(conn: Connection) -> Iterator[Finding]:
    """Codings, turns, decisions and rejections lie within their document's text."""
    d = schema.documents
    spans: tuple[tuple[Table, str], ...] = (
        (schema.codings, "coding"), (schema.turns, "speaker turn"), (schema.consensus_decisions, "consensus decision"),
        (schema.suggestion_rejections, "rejected suggestion"),
    )
    for table, label in spans:
        length = func.length(d.c.text)
        rows = conn.execute(
            select(table.c.id, table.c.document_id, table.c.start_offset, table.c.end_offset, length.label("length"))
            .join(d, d.c.id == table.c.document_id)
            .where((table.c.start_offset < 0) | (table.c.end_offset < table.c.start_offset) | (table.c.end_offset > length))
            .order_by(table.c.id)
        )
        for r in rows:
            yield Finding(
                "offsets",
                f"{label} #{r.id} of document #{r.document_id} spans {r.start_offset}-{r.end_offset}, "
                f"outside its text of {r.length} characters",
            )


def _orphans(conn: Connection) -> Iterator[Finding]:
    """Rows whose document, code, coder or case is gone (which foreign keys prevent only while they are on)."""
    d, c, k, cases = schema.documents, schema.codes, schema.coders, schema.cases
    links: tuple[tuple[Table, str, Table, str], ...] = (
        (schema.codings, "document_id", d, "document"),
        (schema.codings, "code_id", c, "code"),
        (schema.codings, "coder_id", k, "coder"),
        (schema.turns, "document_id", d, "document"),
        (schema.document_memos, "document_id", d, "document"),
        (schema.document_attributes, "document_id", d, "document"),
        (schema.consensus_decisions, "document_id", d, "document"),
        (schema.suggestion_rejections, "document_id", d, "document"),
        (schema.case_attributes, "case_id", cases, "case"),
        (schema.documents, "case_id", cases, "case"),
        (schema.codes, "parent_id", c, "parent code"),
    )
    for table, column, parent_table, label in links:
        # Aliased, so a table that refers to itself (a code's parent) joins a second copy of itself.
        parent = parent_table.alias("parent")
        child, parent_key = table.c[column], parent.c[next(iter(parent_table.primary_key.columns)).name]
        rows = conn.execute(
            select(next(iter(table.primary_key.columns)).label("key"), child.label("ref"))
            .outerjoin(parent, parent_key == child)
            .where(child.is_not(None), parent_key.is_(None))
        )
        for r in rows:
            yield Finding("orphans", f"{table.name} row {r.key!r} refers to {label} {r.ref!r}, which does not exist")


def _action_log(conn: Connection) -> Iterator[Finding]:
    """What history.replay and history.stacks rely on: readable change sets, undo/redo of earlier undoable actions."""
    a = schema.actions
    state: dict[int, str] = {}  # undoable action id -> "done" or "undone"
    for r in conn.execute(select(a.c.id, a.c.kind, a.c.changes, a.c.target_id).order_by(a.c.id)):
        if r.kind in ("undo", "redo"):
            if r.target_id is None or r.target_id not in state:
                yield Finding("history", f"action #{r.id} is an {r.kind} of #{r.target_id}, which is no undoable action before it")
                continue
            expected = "done" if r.kind == "undo" else "undone"
            if state[r.target_id] != expected:
                yield Finding("history", f"action #{r.id} {r.kind}s #{r.target_id}, which was already {state[r.target_id]}")
            if r.changes is not None and (r.kind != "undo" or not _kept_rows_readable(r.changes)):
                yield Finding("history", f"action #{r.id} ({r.kind} of #{r.target_id}): the rows it kept for the redo are not readable")
            state[r.target_id] = "undone" if r.kind == "undo" else "done"
            continue
        if r.changes is None:
            continue
        problem = _change_set_problem(r.changes)
        if problem is not None:
            yield Finding("history", f"action #{r.id}: {problem}")
        state[r.id] = "done"
    entries = (
        history.LogEntry(r.id, r.actor, r.kind, r.changes is not None and r.kind not in ("undo", "redo"), r.target_id)
        for r in conn.execute(select(a.c.id, a.c.actor, a.c.kind, a.c.changes, a.c.target_id).order_by(a.c.id))
    )
    try:
        history.stacks(entries)
    except Exception as exc:  # noqa: BLE001 - whatever breaks the stack rebuild breaks undo: report it, don't crash
        yield Finding("history", f"the undo stack cannot be rebuilt ({type(exc).__name__})")


def _kept_rows_readable(kept_json: str) -> bool:
    """Whether an undo's kept rows (core/history.py) are what a redo can read: items with a table, columns and rows."""
    try:
        kept = json.loads(kept_json)
    except ValueError:
        return False
    items = kept.get("kept") if isinstance(kept, dict) else None
    return isinstance(items, list) and all(
        isinstance(k, dict) and isinstance(k.get("item"), int) and k.get("table") in schema.HISTORY_TABLES
        and (
            (isinstance(k.get("columns"), list) and isinstance(k.get("rows"), list)
             and all(isinstance(row, list) and len(row) == len(k["columns"]) for row in k["rows"]))
            or ("key" in k and isinstance(k.get("values"), dict))  # an update's long new values
        )
        for k in items
    )


def _change_set_problem(changes_json: str) -> str | None:
    """Why a stored change set could not be replayed, or None."""
    try:
        items = json.loads(changes_json)
    except ValueError:
        return "its change set is not readable JSON"
    if not isinstance(items, list):
        return "its change set is not a list of row changes"
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or item.get("table") not in schema.HISTORY_TABLES:
            return f"row change {number} names no known table"
        op = item.get("op")
        if op == "insert" and "keys" in item:  # logged by reference (core/history.py)
            keys, count = item.get("keys"), item.get("count")
            if not (isinstance(keys, list) and all(isinstance(r, list) and len(r) == 2 and all(isinstance(k, int) for k in r) for r in keys)
                    and isinstance(count, int) and isinstance(item.get("sha256"), str) and isinstance(item.get("columns"), list)):
                return f"row change {number} (insert in {item['table']}) lacks its key ranges, columns, row count or hash"
        elif op in ("insert", "delete"):
            if not isinstance(item.get("row"), dict):
                return f"row change {number} ({op} in {item['table']}) has no row"
        elif op == "update":
            if not (isinstance(item.get("before"), dict) and isinstance(item.get("after"), dict) and "key" in item
                    and isinstance(item.get("after_sha256", {}), dict)):
                return f"row change {number} (update in {item['table']}) lacks its key or before/after values"
        else:
            return f"row change {number} has an unknown operation"
    return None
