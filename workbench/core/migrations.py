"""The numbered migrations of the project schema from before Alembic: MIGRATIONS[n] upgrades a version-n database to
n + 1, up to schema 7. Frozen: every later change is an Alembic revision (core/alembic/versions, core/schema_upgrade.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy import Connection, text, update

from workbench.core import schema
from workbench.errors import StoreError

Migration = Callable[[Connection], None]



def _v1_codebook_fields(conn: Connection) -> None:
    """Schema 2: coding criteria, examples, keywords and guids on codes; a settings table."""
    for column in (
        "include_criteria TEXT NOT NULL DEFAULT ''",
        "exclude_criteria TEXT NOT NULL DEFAULT ''",
        "examples TEXT NOT NULL DEFAULT '[]'",
        "keywords TEXT NOT NULL DEFAULT '[]'",
        "guid VARCHAR(36)",
    ):
        conn.execute(text(f"ALTER TABLE codes ADD COLUMN {column}"))
    schema.settings.create(conn)


def _v2_document_memos(conn: Connection) -> None:
    """Schema 3: a coder's memo on a whole document."""
    schema.document_memos.create(conn)


def _v3_consensus_decisions(conn: Connection) -> None:
    """Schema 4: a reviewer's decisions on compared units, so a unit settled with no coding still counts as settled."""
    schema.consensus_decisions.create(conn)


def _v4_suggestions(conn: Connection) -> None:
    """Schema 5: rejected and accepted suggestions, the lemma cache and trained suggestion models."""
    for table in (schema.suggestion_rejections, schema.suggestion_acceptances, schema.lemma_cache, schema.suggestion_models):
        table.create(conn)


def _v5_refi_exchange(conn: Connection) -> None:
    """Schema 6: codes that are not codable (REFI-QDA isCodable="false") and code sets (REFI-QDA Sets)."""
    conn.execute(text("ALTER TABLE codes ADD COLUMN codable BOOLEAN NOT NULL DEFAULT 1"))
    schema.code_sets.create(conn)


def _v6_orphaned_codings(conn: Connection) -> None:
    """Schema 7: codings whose words an edit of the document's text deleted, kept for review."""
    schema.orphaned_codings.create(conn)


#: Frozen at schema 7 (schema.SCHEMA_VERSION); a new change is an Alembic revision instead.
MIGRATIONS: Mapping[int, Migration] = {1: _v1_codebook_fields, 2: _v2_document_memos, 3: _v3_consensus_decisions, 4: _v4_suggestions,
                                  5: _v5_refi_exchange, 6: _v6_orphaned_codings}


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
