"""Noticing that someone else changed the project, so a screen can show their work without being asked.

On a team server every action announces itself (`pg_notify('workbench', actor)` at commit, see Store._announce) and a
watcher LISTENs on a connection of its own. A SQLite file has no such channel: the watcher asks, at a fixed interval,
for SQLite's data_version, which changes when another connection commits — one cheap read, never a write.
A burst of commits (eight coders, a bulk import) comes back as one Change: a screen refreshes once, not per row.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import Any

import psycopg

from workbench.core.store import Store
from workbench.errors import StoreError

CHANNEL = "workbench"
#: How often a SQLite project is asked; a change shows within this long.
POLL_SECONDS = 1.5
#: After the first announcement, how long to keep collecting the rest of a burst before reporting it.
SETTLE_SECONDS = 0.1


@dataclass(frozen=True)
class Change:
    """Others changed the project: the names their actions were logged under."""

    actors: frozenset[str] = frozenset()


class ProjectWatch:
    """Waits for changes to one project made by other sessions; one per front end, closed when it stops."""

    def __init__(self, store: Store, interval: float = POLL_SECONDS) -> None:
        self._store = store
        self._interval = interval
        self._listener: psycopg.Connection[Any] | None = None
        self._sqlite: sqlite3.Connection | None = None
        self._version: int | None = None
        self._last_action = 0
        self._closed = False
        self._busy = threading.Lock()
        self._stopped = threading.Event()
        self._open()

    def _open(self) -> None:
        if self._store.on_server:
            url = self._store.where.url.replace("postgresql+psycopg://", "postgresql://", 1)
            try:
                self._listener = psycopg.connect(url, autocommit=True, application_name="workbench watch")
                self._listener.execute(f"LISTEN {CHANNEL}")
            except psycopg.Error as exc:
                self._listener = None
                reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
                raise StoreError(f"{self._store.label}: cannot follow others' changes ({reason})") from exc
        else:
            self._sqlite = sqlite3.connect(f"{self._store.db_path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            self._version = self._data_version()
            self._last_action = self._latest_action()

    def _data_version(self) -> int:
        assert self._sqlite is not None  # noqa: S101 - only called on a SQLite project
        return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])

    def _latest_action(self) -> int:
        assert self._sqlite is not None  # noqa: S101 - only called on a SQLite project
        return int(self._sqlite.execute("SELECT coalesce(max(id), 0) FROM actions").fetchone()[0])

    def _new_actors(self) -> frozenset[str]:
        """Who logged actions since the last look."""
        assert self._sqlite is not None  # noqa: S101 - only called on a SQLite project
        rows = self._sqlite.execute("SELECT id, actor FROM actions WHERE id > ? ORDER BY id", (self._last_action,)).fetchall()
        if rows:
            self._last_action = int(rows[-1][0])
        return frozenset(str(actor) for _, actor in rows)

    def wait(self, timeout: float) -> Change | None:
        """The next change by another session within `timeout` seconds, or None when there was none."""
        with self._busy:
            try:
                if self._closed:
                    return None
                if self._listener is not None:
                    return self._wait_for_notice(timeout)
                return self._poll(timeout)
            finally:
                if self._closed:
                    self._release()

    def _wait_for_notice(self, timeout: float) -> Change | None:
        assert self._listener is not None  # noqa: S101 - set on a server project
        try:
            actors = {notice.payload for notice in self._listener.notifies(timeout=timeout, stop_after=1)}
            if actors:
                actors |= {notice.payload for notice in self._listener.notifies(timeout=SETTLE_SECONDS)}
        except psycopg.Error as exc:
            if self._closed:
                return None
            # The server went away or dropped us: reconnect once; a second failure is the caller's to show.
            self._listener = None
            time.sleep(min(timeout, 1.0))
            self._open()
            raise StoreError(f"{self._store.label}: lost the server connection; reconnected ({type(exc).__name__})") from exc
        return Change(frozenset(actors)) if actors else None

    def _poll(self, timeout: float) -> Change | None:
        deadline = time.monotonic() + timeout
        while not self._closed:
            try:
                version = self._data_version()
            except sqlite3.Error as exc:
                if self._closed:
                    return None
                raise StoreError(f"{self._store.label}: cannot follow others' changes ({exc})") from exc
            if version != self._version:
                self._version = version
                actors = self._new_actors()
                if actors:
                    return Change(actors)
                continue  # bookkeeping only (caches, remembered places): nothing anyone would see
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self._stopped.wait(min(self._interval, left))
        return None

    @property
    def closed(self) -> bool:
        """Whether `close` was called."""
        return self._closed

    def close(self) -> None:
        """Stop watching; a wait in progress ends within its timeout and lets go of the connection then."""
        self._closed = True
        self._stopped.set()
        # Closed here only when no thread is waiting on it: closing a connection under a waiting thread is not safe.
        if self._busy.acquire(blocking=False):
            try:
                self._release()
            finally:
                self._busy.release()

    def _release(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None

    def __enter__(self) -> ProjectWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def watch(store: Store, interval: float = POLL_SECONDS) -> ProjectWatch:
    """Start watching `store`'s project for changes made by other sessions."""
    return ProjectWatch(store, interval)
