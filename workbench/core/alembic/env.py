"""Alembic's entry point: migrations always run on the store's own connection, inside the store's transaction."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from workbench.core.schema import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("workbench migrations run through workbench.core.schema_upgrade, with the store's connection")
# Batch mode: SQLite alters a table by copying it, the only way it can drop or change a column.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
