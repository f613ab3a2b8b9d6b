"""The project schema's one migration history (Alembic), for SQLite and PostgreSQL alike.

Projects older than the move to Alembic carry a number in `schema_version` (1 to 7); they are first brought to
schema 7 by the frozen steps in core/migrations.py, then stamped as the Alembic baseline and upgraded from there.
Every step runs in the caller's transaction: an upgrade is all or nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, select

from workbench.core import schema
from workbench.core.migrations import migrate
from workbench.core.privileges import regrant_all
from workbench.errors import StoreError

#: The Alembic revision that stands for schema 7, where the numbered migrations end.
BASELINE = "0001_schema7"
LEGACY_VERSION = 7


def _config(conn: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "alembic"))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


@cache
def head() -> str:
    """The newest revision this workbench knows."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    if revision is None:  # pragma: no cover - the baseline always exists
        raise StoreError("workbench is installed without its schema migrations")
    return revision


@cache
def known_revisions() -> frozenset[str]:
    """Every revision in this workbench's history."""
    return frozenset(script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions())


def current(conn: Connection) -> str | None:
    """The database's revision, or None for an empty database or a project from before Alembic."""
    return MigrationContext.configure(conn).get_current_revision()


def create(conn: Connection) -> None:
    """Create the schema of a new project in an empty database: the whole history, from the baseline to the head."""
    command.upgrade(_config(conn), "head")


def pending(conn: Connection, label: str) -> bool:
    """Whether the database needs an upgrade; refuse one made by a newer workbench, or not by a workbench at all."""
    revision = current(conn)
    if revision is None:
        if not conn.dialect.has_table(conn, "schema_version"):
            raise StoreError(f"{label}: not a workbench project database (no schema version)")
        version = conn.execute(select(schema.schema_version.c.version)).scalar_one()
        if version > LEGACY_VERSION:
            raise StoreError(f"{label}: made by a newer workbench (schema {version}); upgrade workbench")
        return True
    if revision not in known_revisions():
        raise StoreError(f"{label}: made by a newer workbench (schema revision {revision}); upgrade workbench")
    return revision != head()


def upgrade(conn: Connection) -> None:
    """Bring an existing project's schema to the head, in the caller's transaction."""
    if current(conn) is None:
        version = conn.execute(select(schema.schema_version.c.version)).scalar_one()
        if version < LEGACY_VERSION:
            migrate(conn, version, LEGACY_VERSION)
        command.stamp(_config(conn), BASELINE)
    command.upgrade(_config(conn), "head")
    if conn.dialect.name == "postgresql":
        # Members' privileges name tables; a revision may have added some.
        regrant_all(conn)
