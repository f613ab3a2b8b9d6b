"""Rotating backups of a project file, taken with SQLite's online backup API, and restoring one.

A backup is a complete, self-contained SQLite file (rollback journal, no WAL beside it) in the project's `backups/`
folder, named after when it was taken and the last action it holds, so "nothing changed since" costs one query.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from workbench.core import schema
from workbench.core.store import Store
from workbench.errors import StoreError
from workbench.locations import project_db_path

BACKUPS_FOLDER = "backups"
#: How many automatic backups a project keeps; the oldest go first.
KEEP = 5
#: Automatic backups are at least this far apart.
MIN_INTERVAL = timedelta(minutes=10)
_NAME = re.compile(r"^workbench-(\d{8}T\d{12}Z)-a(\d+)\.sqlite$")


@dataclass(frozen=True)
class Backup:
    """One backup file in a project's backups folder."""

    path: Path
    taken: str
    last_action: int


def backups_dir(project_dir: Path) -> Path:
    """The folder inside a project that holds its backups."""
    return Path(project_dir) / BACKUPS_FOLDER


def list_backups(project_dir: Path) -> list[Backup]:
    """The project's backups, oldest first."""
    folder = backups_dir(project_dir)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            found.append(Backup(path, match.group(1), int(match.group(2))))
    return sorted(found, key=lambda b: (b.taken, b.last_action))


def _last_action(conn: sqlite3.Connection) -> int:
    value = conn.execute("SELECT max(id) FROM actions").fetchone()[0]
    return int(value or 0)


def take_backup(store: Store, target: Path | None = None) -> Path:
    """Copy the open project to `target` (refused if it exists) or to a new file in its backups folder; return the path."""
    _refuse_on_server(store, "back up")
    with store.engine.connect() as conn:
        source = conn.connection.driver_connection
        assert isinstance(source, sqlite3.Connection)  # noqa: S101 - the store is SQLite; backups are SQLite's API
        last = _last_action(source)
        if target is None:
            folder = backups_dir(store.project_dir)
            try:
                folder.mkdir(exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{folder}: cannot make the backups folder ({exc.strerror})") from None
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            target = folder / f"workbench-{stamp}-a{last}.sqlite"
        elif target.exists() or target.is_symlink():
            raise StoreError(f"{target}: already exists; give a new file name for the backup")
        _copy_database(source, target)
    return target


def _refuse_on_server(store: Store, what: str) -> None:
    # A team server's data is backed up by the server (pg_dump, its own schedule); a copy made here would be one
    # member's snapshot, and a restore would overwrite every member's work at once.
    if store.on_server:
        raise StoreError(f"{store.label}: cannot {what} a team-server project here: the server's administrator backs it up "
                         "(pg_dump); `workbench copy DIR NEW` makes a local SQLite copy")


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Back `source` up into a temporary file beside `target`, check it, then move it into place."""
    folder = target.parent
    if not folder.is_dir():
        raise StoreError(f"{target}: folder {folder} does not exist")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
        os.close(handle)
    except OSError as exc:
        raise StoreError(f"{target}: cannot write a backup in {folder} ({exc.strerror})") from None
    temp = Path(temp_name)
    try:
        with closing(sqlite3.connect(temp, isolation_level=None)) as copy:
            source.backup(copy)
            # A backup must be one file: a copy left in WAL mode would need its -wal beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise StoreError(f"{target}: the copy did not pass SQLite's check; no backup written")
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, target)
    except sqlite3.Error as exc:
        raise StoreError(f"{target}: backup failed ({type(exc).__name__}: {exc})") from None
    except OSError as exc:
        raise StoreError(f"{target}: backup failed ({exc.strerror})") from None
    finally:
        temp.unlink(missing_ok=True)


def rotate(project_dir: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest `keep` backups; return the files deleted."""
    old = list_backups(project_dir)[:-keep] if keep > 0 else list_backups(project_dir)
    for backup in old:
        backup.path.unlink(missing_ok=True)
    return [b.path for b in old]


def backup_on_open(store: Store, keep: int = KEEP, min_interval: timedelta = MIN_INTERVAL) -> Path | None:
    """Back the project up unless the newest backup holds its last action or is younger than `min_interval`.

    The interval keeps a script of a hundred `workbench code` calls from rotating out every backup older than a minute.
    """
    with store.engine.connect() as conn:
        source = conn.connection.driver_connection
        assert isinstance(source, sqlite3.Connection)  # noqa: S101 - as in take_backup
        last = _last_action(source)
    existing = list_backups(store.project_dir)
    if existing:
        newest = existing[-1]
        taken = datetime.strptime(newest.taken, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        if newest.last_action == last or datetime.now(UTC) - taken < min_interval:
            return None
    path = take_backup(store)
    rotate(store.project_dir, keep)
    return path


def backup_problem(path: Path) -> str | None:
    """Why `path` is not a workbench project file that can be restored, or None when it is sound."""
    if not path.is_file():
        return "no such file"
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                return f"damaged ({result[0]})"
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"schema_version", "actions", "documents"} <= tables:
                return "not a workbench project file"
            version = conn.execute("SELECT version FROM schema_version").fetchone()
            if version is None or version[0] > schema.SCHEMA_VERSION:
                return "made by a newer workbench" if version else "no schema version"
    except sqlite3.Error as exc:
        return f"not a readable SQLite file ({type(exc).__name__})"
    return None


@dataclass(frozen=True)
class Restored:
    """A restore done: the file restored from, and the backup that keeps the project as it was before."""

    source: Path
    previous: Path


def restore(project_dir: Path, backup: Path, actor: str) -> Restored:
    """Replace the project's data with a backup's, after checking the backup and backing up the project as it is."""
    backup = Path(backup)
    problem = backup_problem(backup)
    if problem is not None:
        raise StoreError(f"{backup}: cannot restore from it: {problem}; the project is unchanged")
    if backup.resolve() == project_db_path(project_dir).resolve():
        raise StoreError(f"{backup}: is the project file itself; give a backup")
    store = Store.open(project_dir)
    try:
        _refuse_on_server(store, "restore")
        previous = take_backup(store)
        with (
            closing(sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)) as source,
            store.engine.connect() as conn,
        ):
            target = conn.connection.driver_connection
            assert isinstance(target, sqlite3.Connection)  # noqa: S101 - as in take_backup
            try:
                source.backup(target)
            except sqlite3.Error as exc:
                raise StoreError(f"{backup}: restore failed ({type(exc).__name__}: {exc}); the project is unchanged") from None
            # The backup is in rollback-journal mode; the project file runs in WAL, as every connection sets up.
            target.execute("PRAGMA journal_mode=WAL")
    finally:
        store.close()
    with Store.open(project_dir) as restored:
        restored.note("restore", actor, f"restored from backup {backup.name} (the project as it was: {previous.name})")
    rotate(project_dir, max(KEEP, 1))
    return Restored(backup, previous)

