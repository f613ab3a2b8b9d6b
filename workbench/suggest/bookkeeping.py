"""Writes that are not user actions: caches of lemmas and models, kept out of the action log and the undo stack."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.exc import DatabaseError

from workbench.core.store import Store
from workbench.errors import StoreError


@contextmanager
def writing(store: Store) -> Iterator[Connection]:
    """One write transaction on the project, begun IMMEDIATE as the store's own writes are, so writers queue.

    Like `Store.put_settings`: bookkeeping, nothing a user would undo. A failure becomes a StoreError, which the
    callers treat as "not cached this time".
    """
    try:
        with store.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn
    except DatabaseError as exc:
        raise StoreError(f"{store.db_path}: cache not saved ({exc.orig})") from exc
