"""Where a project's data lives: a SQLite file in its folder, or a PostgreSQL database named in its `database.toml`.

A server project's folder keeps only the URL (no password: libpq finds it in PGPASSWORD, ~/.pgpass or a service
file, as psql does), so the folder can be shared or backed up without giving access to the data.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, create_engine, event

from workbench.errors import StoreError
from workbench.locations import project_db_path

#: The settings file of a server project; its presence is what makes a folder a server project.
SERVER_FILE = "database.toml"
_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


@dataclass(frozen=True)
class Location:
    """A project's database: `url` for SQLAlchemy, `label` to name it in messages (never a password)."""

    url: str
    label: str
    server: bool


def server_file(project_dir: Path) -> Path:
    """The settings file naming a server project's database."""
    return project_dir / SERVER_FILE


def check_server_url(url: str) -> str:
    """A PostgreSQL URL as the user gave it, refused when it is not one or when it carries a password."""
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError as exc:
        raise StoreError(f"{url}: not a database URL ({exc})") from exc
    if parts.scheme not in _SCHEMES:
        raise StoreError(f"{url}: not a PostgreSQL URL (expected postgresql://host/dbname)")
    if parts.password is not None:
        raise StoreError(
            f"{redacted(url)}: a password in the URL would be written into the project folder; "
            "put it in ~/.pgpass or PGPASSWORD instead"
        )
    if not parts.path.strip("/"):
        raise StoreError(f"{url}: the URL names no database (expected postgresql://host/dbname)")
    return url


def redacted(url: str) -> str:
    """`url` with any password replaced by ***, to show in a message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def write_server_file(project_dir: Path, url: str) -> None:
    """Record the server URL in the project folder (TOML; JSON string escapes are valid TOML basic strings)."""
    text = (
        "# This project's data lives on a PostgreSQL server; the password comes from PGPASSWORD or ~/.pgpass.\n"
        f"url = {json.dumps(check_server_url(url))}\n"
    )
    path = server_file(project_dir)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def read_server_url(project_dir: Path) -> str | None:
    """The server URL of a server project, None for a SQLite project."""
    path = server_file(project_dir)
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(f"{path}: not a readable database setting ({exc})") from exc
    url = data.get("url")
    if not isinstance(url, str):
        raise StoreError(f"{path}: no `url = \"postgresql://…\"` line")
    return check_server_url(url)


def is_project(project_dir: Path) -> bool:
    """Whether a folder holds a workbench project, local or on a server."""
    return project_db_path(project_dir).is_file() or server_file(project_dir).is_file()


def location(project_dir: Path) -> Location:
    """Where a project folder's data is."""
    url = read_server_url(project_dir)
    if url is not None:
        return server_location(url)
    path = project_db_path(project_dir)
    return Location(f"sqlite+pysqlite:///{path}", str(path), server=False)


def server_location(url: str) -> Location:
    """The location of a PostgreSQL database given by the user's URL."""
    parts = urlsplit(check_server_url(url))
    driver_url = parts._replace(scheme="postgresql+psycopg").geturl()
    host = parts.hostname or dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p).get("host", "local socket")
    return Location(driver_url, f"{parts.path.strip('/')} on {host}", server=True)


def make_engine(where: Location) -> Engine:
    """An engine configured for the project's backend: one transaction per action on either."""
    if where.server:
        return _server_engine(where)
    return _sqlite_engine(where)


def _server_engine(where: Location) -> Engine:
    # READ COMMITTED (PostgreSQL's default): each action is one short transaction; the store serialises what reads
    # before it writes (undo) with advisory locks and guards updates by their old values (see history.Changes).
    return create_engine(where.url, pool_pre_ping=True, connect_args={"application_name": "workbench"})


def _sqlite_engine(where: Location) -> Engine:
    engine = create_engine(where.url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours (SQLAlchemy's SQLite recipe).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: a committed action survives even a power cut, not only a killed process.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so two writers queue instead of failing mid-action.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
