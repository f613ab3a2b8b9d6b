"""Where a project keeps what it can recompute (the lemma cache): beside a SQLite project's file, inside a server's database.

A local project's `workbench.sqlite` holds only project data, so it stays close to the size of its texts and codings and
its backups carry no cache; the cache is a second SQLite file in the same folder (same protection, deleted with the
folder, and dropped whole when a case is forgotten). A team server has no local folder that all members share, so there
the cache stays in the project's database, where forgetting a case reaches it for everyone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, delete, event, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from workbench.core import schema
from workbench.core.store import Store
from workbench.errors import StoreError

CACHE_FILE = "cache.sqlite"
#: The files SQLite keeps beside a database in WAL mode: all go when the cache is dropped.
_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def cache_path(store: Store) -> Path | None:
    """The local cache file of a SQLite project; None for a server project (its cache is in its database)."""
    return None if store.on_server else store.project_dir / CACHE_FILE


@contextmanager
def cache_reading(store: Store) -> Iterator[Connection]:
    """A read transaction on the project's cache."""
    path = cache_path(store)
    if path is None or not path.exists():
        # A server project's cache; or, for a local one without a cache file yet, what earlier versions kept in the
        # project file (moved out at the first write).
        with store.reading() as conn:
            yield conn
        return
    with _local(path, create=False) as conn:
        yield conn


@contextmanager
def cache_writing(store: Store) -> Iterator[Connection]:
    """A write transaction on the project's cache (made on first use); a StoreError when it cannot be written."""
    path = cache_path(store)
    if path is None:
        with store.bookkeeping() as conn:
            yield conn
        return
    first = not path.exists()
    with _local(path, create=True) as conn:
        if first:
            _move_old_rows(store, conn)
        yield conn


def drop_cache(store: Store) -> None:
    """Delete a local project's cache file (a forgotten case's words must not stay in it); nothing for a server project."""
    path = cache_path(store)
    if path is None:
        return
    for suffix in _SIDE_FILES:
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _move_old_rows(store: Store, cache: Connection) -> None:
    """Bring the lemmas earlier versions kept in the project file over to the new cache file, and take them out there."""
    lc = schema.lemma_cache
    with store.reading() as conn:
        rows = [dict(row) for row in conn.execute(select(lc)).mappings()]
    if not rows:
        return
    cache.execute(insert(lc), rows)
    try:
        with store.bookkeeping() as conn:
            conn.execute(delete(lc))
    except StoreError:
        pass  # a read-only project keeps them; the cache file has them too


@contextmanager
def _local(path: Path, *, create: bool) -> Iterator[Connection]:
    # One short-lived engine per use: the cache is read or written a few times per training, not per key press.
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    try:
        if create:
            schema.lemma_cache.create(engine, checkfirst=True)
        with engine.begin() as conn:
            yield conn
    except DBAPIError as exc:
        raise StoreError(f"{path}: the cache cannot be used ({exc.orig})") from exc
    finally:
        engine.dispose()
