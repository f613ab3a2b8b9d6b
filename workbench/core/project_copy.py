"""Copy a whole project into a new folder, its data on a PostgreSQL server or in a SQLite file, and prove the copy.

Every table of the schema is carried row by row with the same ids (so the action log can still undo and redo in the
copy), streamed in batches so a corpus of long transcripts never sits in memory at once, and written in one
transaction on the destination: a copy is made whole and verified, or nothing of it is left.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Engine, RowMapping, Table, and_, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.exc import DBAPIError

from workbench.core import schema, schema_upgrade
from workbench.core.backups import BACKUPS_FOLDER
from workbench.core.codebook import load_codebook
from workbench.core.codings import iter_segments, write_codings_dump
from workbench.core.database import SERVER_FILE, Location, is_project, location, make_engine, server_location, write_server_file
from workbench.core.store import Store, open_or_explain
from workbench.errors import StoreError, database_reason
from workbench.locations import PROJECT_FILE

#: Tables that belong to one server and are not carried to a copy: who may do what on that server (`members`).
NOT_COPIED = frozenset({"members"})
#: What of a project folder is not copied as a file: its database (copied table by table), and its backups.
_NOT_FOLDER_FILES = frozenset({PROJECT_FILE, f"{PROJECT_FILE}-wal", f"{PROJECT_FILE}-shm", SERVER_FILE, BACKUPS_FOLDER})
#: Rows per INSERT … executemany; fewer when their text is long (see BATCH_CHARACTERS).
BATCH_ROWS = 1000
#: About this many characters of text and bytes per batch, so a batch of long transcripts stays a few MB in memory.
BATCH_CHARACTERS = 8_000_000


@dataclass(frozen=True)
class CopyReport:
    """What a copy carried: the rows of each table (in copy order) and the codings, the same on both sides."""

    source: Path
    destination: Path
    #: Where the copy's data lives: its SQLite file, or "dbname on host".
    label: str
    rows: tuple[tuple[str, int], ...]
    codings: int
    #: Files of the project folder copied beside the data (table definitions, a linked codebook, the key table).
    files: int = 0

    @property
    def tables(self) -> int:
        """How many tables were copied."""
        return len(self.rows)

    @property
    def total_rows(self) -> int:
        """How many rows were copied, over all tables."""
        return sum(count for _, count in self.rows)


def copied_tables() -> list[Table]:
    """The tables a copy carries, parents before children."""
    return [table for table in schema.metadata.sorted_tables if table.name not in NOT_COPIED]


def copy_project(source_dir: Path, dest_dir: Path, database: str | None = None) -> CopyReport:
    """Copy the project in `source_dir` into the new folder `dest_dir`, its data on the server at `database` (an empty
    database) or, without it, in a SQLite file in the folder; verified by a row count per table and the codings dump.

    On any failure, an interruption included, the destination transaction is rolled back and what was made of
    `dest_dir` removed, so no half-copied project is ever left.
    """
    source_dir, dest_dir = Path(source_dir), Path(dest_dir)
    # A URL that is not PostgreSQL's or carries a password is refused before anything is made.
    server = server_location(database) if database is not None else None
    _check_new_folder(dest_dir)
    with open_or_explain(source_dir, backup=False) as source:
        created = not dest_dir.exists()
        try:
            dest_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{dest_dir}: cannot create folder ({exc.strerror})") from exc
        where = server or location(dest_dir)
        engine = make_engine(where)
        try:
            files = _copy_folder_files(source_dir, dest_dir)
            report = replace(_copy(source, dest_dir, engine, where, database), files=files)
        except DBAPIError as exc:
            _discard(engine, dest_dir, created)
            raise StoreError(f"{where.label}: {source_dir} not copied ({database_reason(exc)})") from exc
        except BaseException:
            _discard(engine, dest_dir, created)
            raise
        engine.dispose()
    return report


def _copy_folder_files(source_dir: Path, dest_dir: Path) -> int:
    """The project folder's own files (tables.yaml, a linked codebook, the pseudonym key table, kept sources), without
    the database, its server setting or the backups, which belong to the source. Links are not followed."""
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


def _check_new_folder(dest_dir: Path) -> None:
    if is_project(dest_dir):
        raise StoreError(f"{dest_dir}: already a workbench project; copy into a new folder")
    if dest_dir.exists() and (not dest_dir.is_dir() or any(dest_dir.iterdir())):
        raise StoreError(f"{dest_dir}: exists and is not an empty folder; copy into a new folder")


def _discard(engine: Engine, dest_dir: Path, created: bool) -> None:
    """Remove what a failed copy made of `dest_dir`; a server database was emptied by the rollback."""
    engine.dispose()
    if created:
        shutil.rmtree(dest_dir, ignore_errors=True)
        return
    # The folder was there and empty (see _check_new_folder): everything in it now is the copy's.
    for child in dest_dir.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _copy(source: Store, dest_dir: Path, engine: Engine, where: Location, database: str | None) -> CopyReport:
    with _snapshot(source) as src, engine.connect() as dst:
        # IMMEDIATE on SQLite, as every write of the store: the write lock from the start.
        dst.execution_options(sqlite_begin="IMMEDIATE")
        with dst.begin():
            if where.server and dst.dialect.get_table_names(dst):
                raise StoreError(f"{where.label}: the database is not empty; give an empty one (createdb NAME)")
            schema_upgrade.create(dst)
            tables = copied_tables()
            # A new schema may come with rows of its own (schema_version): the source's replace them.
            for table in reversed(tables):
                dst.execute(delete(table))
            rows = tuple((table.name, _copy_table(src, dst, table)) for table in tables)
            for table in tables:
                _carry_id_counter(src, dst, table)
            codings = _verify(src, dst, tables, dest_dir, source.project_dir)
            if database is not None:
                # Last, inside the transaction: if the commit fails, the folder is removed with the file.
                write_server_file(dest_dir, database)
    return CopyReport(source.project_dir, dest_dir, where.label, rows, codings)


@contextmanager
def _snapshot(source: Store) -> Iterator[Connection]:
    """A read transaction on the source that sees one moment throughout, while others may keep coding on a server."""
    with source.engine.connect() as conn:
        if source.on_server:
            # READ COMMITTED (the store's default) would let each table be read at a different moment.
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def _copy_table(src: Connection, dst: Connection, table: Table) -> int:
    """Stream one table's rows into the destination in batches, with the same ids; return how many."""
    key = list(table.primary_key.columns)
    # A column pointing into its own table (a code's parent, an undo's target) is filled in a second pass, so a row
    # never points at one not yet inserted whatever the order.
    later = [fk.parent for fk in table.foreign_keys if fk.column.table is table and fk.parent.nullable]
    blanks = dict.fromkeys((c.name for c in later), None)
    count = 0
    for batch in _batches(src, select(table).order_by(*key)):
        dst.execute(insert(table), [{**row, **blanks} for row in batch])
        count += len(batch)
    if later:
        _fill_in(src, dst, table, key, later)
    return count


def _fill_in(src: Connection, dst: Connection, table: Table, key: Sequence[Column[Any]], columns: Sequence[Column[Any]]) -> None:
    query = select(*key, *columns).where(or_(*(c.is_not(None) for c in columns))).order_by(*key)
    statement = (
        update(table)
        .where(and_(*(c == bindparam(f"key_{c.name}") for c in key)))
        .values({c.name: bindparam(f"new_{c.name}") for c in columns})
    )
    for batch in _batches(src, query):
        dst.execute(statement, [{f"key_{c.name}": row[c.name] for c in key} | {f"new_{c.name}": row[c.name] for c in columns}
                                for row in batch])


def _batches(src: Connection, query: Any) -> Iterator[list[RowMapping]]:
    """The query's rows in lists of at most BATCH_ROWS rows and about BATCH_CHARACTERS of text, read as a stream
    (a server-side cursor on PostgreSQL)."""
    batch: list[RowMapping] = []
    size = 0
    for row in src.execute(query.execution_options(yield_per=BATCH_ROWS)).mappings():
        batch.append(row)
        size += sum(len(value) for value in row.values() if isinstance(value, str | bytes))
        if len(batch) >= BATCH_ROWS or size >= BATCH_CHARACTERS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _carry_id_counter(src: Connection, dst: Connection, table: Table) -> None:
    """Let the copy hand out new ids where the source would: past every id ever used, not only past those left.

    An undone coding's id is out of the table but still in the action log, and redo inserts it again: a counter
    reset to the largest id present would give that id to a new coding and make the redo fail.
    """
    column = table.autoincrement_column
    if column is None:
        return
    present = dst.execute(select(func.max(column))).scalar() or 0
    used = max(int(present), _id_counter(src, table, column))
    if used == 0:
        return
    if dst.dialect.name == "postgresql":
        dst.execute(text("SELECT setval(pg_get_serial_sequence(:table, :column), :used)"),
                    {"table": table.name, "column": column.name, "used": used})
    elif table.dialect_options["sqlite"]["autoincrement"]:
        # SQLite's AUTOINCREMENT remembers the largest id ever used in sqlite_sequence (one row per table).
        dst.execute(text("DELETE FROM sqlite_sequence WHERE name = :table"), {"table": table.name})
        dst.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :used)"), {"table": table.name, "used": used})


def _id_counter(src: Connection, table: Table, column: Column[Any]) -> int:
    """The largest id the source's counter for `table` has handed out (0: none, or no counter)."""
    if src.dialect.name == "postgresql":
        found = src.execute(
            text("SELECT pg_sequence_last_value(CAST(pg_get_serial_sequence(:table, :column) AS regclass))"),
            {"table": table.name, "column": column.name},
        ).scalar()
    elif table.dialect_options["sqlite"]["autoincrement"]:
        found = src.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :table"), {"table": table.name}).scalar()
    else:
        found = None
    return int(found or 0)


def _verify(src: Connection, dst: Connection, tables: Sequence[Table], dest_dir: Path, source_dir: Path) -> int:
    """Compare both sides before the copy commits: a row count per table and the codings dumps; return the codings."""
    for table in tables:
        count = select(func.count()).select_from(table)
        had, has = src.execute(count).scalar_one(), dst.execute(count).scalar_one()
        if had != has:
            raise StoreError(f"{dest_dir}: copy of {source_dir} not made: {table.name} has {had} rows there and {has} in the copy")
    source_digest, rows = _codings_digest(src)
    if _codings_digest(dst)[0] != source_digest:
        raise StoreError(f"{dest_dir}: copy of {source_dir} not made: its codings dump differs from the source's")
    return rows


class _Digest(io.StringIO):
    """A text sink that keeps only the SHA-256 of what is written to it (nothing of the text itself)."""

    def __init__(self) -> None:
        super().__init__()
        self.sha = hashlib.sha256()

    def write(self, text: str) -> int:
        self.sha.update(text.encode())
        return len(text)


def _codings_digest(conn: Connection) -> tuple[str, int]:
    """The hash of what `workbench codings --format jsonl` prints, and its lines: streamed, never whole in memory."""
    sink = _Digest()
    rows = write_codings_dump(iter_segments(conn, load_codebook(conn)), "jsonl", sink)
    return sink.sha.hexdigest(), rows
