"""A whole project copied to a new folder, between SQLite and a team server either way, and proved lossless.

Every table is copied row for row with the same keys (documents, turns, cases, attributes, codebook, codings, memos,
decisions, suggestions, orphans, settings, the action log), streamed in batches so memory stays bounded, into one
transaction on the destination. Each table's key high-water mark goes along too, so keys of undone rows are never given
again there either. The copy is then checked: the same number of rows in every table and the same `codings` dump.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Integer, Table, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from workbench.core import schema, schema_upgrade
from workbench.core.backups import BACKUPS_FOLDER
from workbench.core.codebook import load_codebook
from workbench.core.codings import dump_codings, load_segments
from workbench.core.database import SERVER_FILE, Location, is_project, location, make_engine, server_location, write_server_file
from workbench.core.store import Store
from workbench.errors import StoreError, database_reason
from workbench.locations import PROJECT_FILE

#: Tables not carried: who may work on a server project belongs to that server (the copier owns the copy), and the
#: legacy schema number is written by the destination's own schema.
NOT_COPIED = frozenset({"members", "schema_version"})
#: What in a project folder is not copied with it: its database (copied table by table), and its backups.
_NOT_FOLDER_FILES = frozenset({PROJECT_FILE, f"{PROJECT_FILE}-wal", f"{PROJECT_FILE}-shm", SERVER_FILE, BACKUPS_FOLDER})
#: Rows per insert batch: documents can be long, so a batch stays within tens of megabytes.
BATCH = 500


@dataclass(frozen=True)
class CopyReport:
    """What a copy wrote, and where."""

    source: str
    destination: str
    rows: tuple[tuple[str, int], ...]
    codings: int
    #: Files of the project folder copied beside the data (table definitions, the linked codebook, sources).
    files: int = 0

    @property
    def total_rows(self) -> int:
        """Rows copied in all."""
        return sum(n for _, n in self.rows)


def copy_project(source_dir: Path, dest_dir: Path, database: str | None = None) -> CopyReport:
    """Copy the project in `source_dir` to the new folder `dest_dir`, its data on `database` (a postgresql:// URL of an
    empty database) or in a SQLite file of that folder; refuse, and leave nothing behind, if anything goes wrong."""
    dest_dir = Path(dest_dir)
    if is_project(dest_dir):
        raise StoreError(f"{dest_dir}: already a workbench project; give a new folder")
    if dest_dir.exists() and (not dest_dir.is_dir() or any(dest_dir.iterdir())):
        raise StoreError(f"{dest_dir}: exists and is not an empty folder; give a new folder")
    made_folder = not dest_dir.exists()
    with Store.open(Path(source_dir)) as source:
        where = server_location(database) if database is not None else location(dest_dir)
        try:
            dest_dir.mkdir(parents=True, exist_ok=True)
            rows, codings = _copy(source, where)
            files = _copy_folder_files(source.project_dir, dest_dir)
            if database is not None:
                write_server_file(dest_dir, database)
        except BaseException:
            _remove(dest_dir, made_folder)
            raise
        return CopyReport(source.label, where.label, rows, codings, files)


def _copy(source: Store, where: Location) -> tuple[tuple[tuple[str, int], ...], int]:
    """Copy and check in one destination transaction: a copy that fails its check is never committed."""
    engine = make_engine(where)
    try:
        with _snapshot(source) as read, engine.connect() as write:
            write.execution_options(sqlite_begin="IMMEDIATE")
            with write.begin():
                if where.server and write.dialect.get_table_names(write):
                    raise StoreError(f"{where.label}: the database is not empty; give an empty one (createdb NAME)")
                schema_upgrade.create(write)
                rows = tuple((table.name, _copy_table(read, write, table)) for table in _tables())
                for table in _tables():
                    _carry_high_water_mark(read, write, table)
                codings = _verify(read, write, dict(rows), where.label)
    except DBAPIError as exc:
        raise StoreError(f"{where.label}: copy of {source.label} not made ({database_reason(exc)})") from exc
    finally:
        engine.dispose()
    return rows, codings


@contextmanager
def _snapshot(store: Store) -> Iterator[Connection]:
    """One consistent view of the source for the whole copy, however long it takes and whoever writes meanwhile."""
    with store.engine.connect() as conn:
        if store.on_server:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def _tables() -> list[Table]:
    return [table for table in schema.metadata.sorted_tables if table.name not in NOT_COPIED]


def _copy_table(read: Connection, write: Connection, table: Table) -> int:
    if table is schema.codes:
        return _copy_codes(read, write)
    query = select(table).order_by(*table.primary_key.columns)
    copied = 0
    result = read.execution_options(yield_per=BATCH).execute(query)
    for batch in result.mappings().partitions(BATCH):
        write.execute(insert(table), [dict(row) for row in batch])
        copied += len(batch)
    return copied


def _copy_codes(read: Connection, write: Connection) -> int:
    """Codes parents first: a code's parent must be there when it is inserted (the codebook fits in memory)."""
    rows = [dict(row) for row in read.execute(select(schema.codes)).mappings()]
    placed: set[str] = set()
    ordered: list[dict[str, Any]] = []
    pending = rows
    while pending:
        ready = [row for row in pending if row["parent_id"] is None or row["parent_id"] in placed]
        if not ready:
            raise StoreError(f"codes {sorted(row['id'] for row in pending)[:5]}: their parents are missing or form a cycle")
        ordered.extend(ready)
        placed.update(row["id"] for row in ready)
        pending = [row for row in pending if row["id"] not in placed]
    for start in range(0, len(ordered), BATCH):
        write.execute(insert(schema.codes), ordered[start : start + BATCH])
    return len(ordered)


def _integer_key(table: Table) -> str | None:
    keys = list(table.primary_key.columns)
    return keys[0].name if len(keys) == 1 and isinstance(keys[0].type, Integer) and keys[0].autoincrement is not False else None


def _high_water_mark(conn: Connection, table: Table) -> int:
    """The largest key the table has ever given: its AUTOINCREMENT record or sequence, or the largest key present."""
    key = _integer_key(table)
    if key is None:
        return 0
    present = int(conn.execute(select(func.max(table.c[key]))).scalar() or 0)
    if conn.dialect.name == "postgresql":
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": key}).scalar()
        if sequence is None:
            return present
        given = conn.execute(text("SELECT pg_sequence_last_value(CAST(:s AS regclass))"), {"s": sequence}).scalar()
        return max(present, int(given or 0))
    if conn.dialect.has_table(conn, "sqlite_sequence"):
        given = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table.name}).scalar()
        return max(present, int(given or 0))
    return present


def _carry_high_water_mark(read: Connection, write: Connection, table: Table) -> None:
    key = _integer_key(table)
    mark = _high_water_mark(read, table)
    if key is None or mark == 0:
        return
    if write.dialect.name == "postgresql":
        sequence = write.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": key}).scalar()
        if sequence is not None:
            write.execute(text("SELECT setval(CAST(:s AS regclass), :v, true)"), {"s": sequence, "v": mark})
        return
    present = write.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table.name}).first()
    if present is None:
        write.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :v)"), {"t": table.name, "v": mark})
    elif int(present[0]) < mark:
        write.execute(text("UPDATE sqlite_sequence SET seq = :v WHERE name = :t"), {"t": table.name, "v": mark})


def _verify(read: Connection, write: Connection, copied: Mapping[str, int], label: str) -> int:
    """Count every table on both sides and compare the codings dumps; return the number of codings."""
    theirs, ours = _counts(read), _counts(write)
    for name, count in theirs.items():
        if ours.get(name) != count or copied.get(name) != count:
            raise StoreError(f"{label}: copy check failed: {name} has {ours.get(name)} rows, the source {count}; nothing kept")
    if _dump_digest(read) != _dump_digest(write):
        raise StoreError(f"{label}: copy check failed: the codings dumps differ; nothing kept")
    return theirs.get("codings", 0)


def _counts(conn: Connection) -> Mapping[str, int]:
    return {table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one()) for table in _tables()}


def _dump_digest(conn: Connection) -> str:
    dump = dump_codings(load_segments(conn, load_codebook(conn)), "jsonl")
    return hashlib.sha256(dump.encode("utf-8")).hexdigest()


def _copy_folder_files(source_dir: Path, dest_dir: Path) -> int:
    """The project folder's own files (tables.yaml, a linked codebook, the pseudonym key table, kept sources), without
    the database, its server setting or the backups (those belong to the source). Links are not followed."""
    copied = 0
    for path in sorted(source_dir.rglob("*")):
        relative = path.relative_to(source_dir)
        if relative.parts[0] in _NOT_FOLDER_FILES or path.is_symlink() or not path.is_file():
            continue
        if any(parent.is_symlink() for parent in path.parents if source_dir in parent.parents):
            continue
        target = dest_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        copied += 1
    return copied


def _remove(dest_dir: Path, made_folder: bool) -> None:
    """Leave no half copy: the new folder goes (or, if it was there empty, what was written into it)."""
    if made_folder:
        shutil.rmtree(dest_dir, ignore_errors=True)
        return
    for child in dest_dir.iterdir() if dest_dir.is_dir() else ():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
