"""Forward migrations of the project schema: MIGRATIONS[n] upgrades a version-n database to n + 1."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy import Connection, update

from workbench.core import schema
from workbench.errors import StoreError

Migration = Callable[[Connection], None]

#: Empty while the schema is at its first version; each later schema change adds one entry here
#: and bumps schema.SCHEMA_VERSION, so existing projects upgrade on open.
MIGRATIONS: Mapping[int, Migration] = {}


def migrate(
    conn: Connection,
    current: int,
    target: int = schema.SCHEMA_VERSION,
    migrations: Mapping[int, Migration] = MIGRATIONS,
) -> int:
    """Run every migration from `current` up to `target` inside the caller's transaction; return the new version."""
    version = current
    while version < target:
        step = migrations.get(version)
        if step is None:
            raise StoreError(f"no migration from schema version {version} to {version + 1}")
        step(conn)
        version += 1
    conn.execute(update(schema.schema_version).values(version=version))
    return version
