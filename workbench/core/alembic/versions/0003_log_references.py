"""The action log stores references, not second copies (issue 17): inserts are logged by key ranges and a hash.

From this revision an insert into a table with an integer key is logged as its key ranges and a SHA-256 of the rows
(core/history.py), and an undo entry keeps in its own `changes` the rows it took back, for the redo. No table changes:
change sets logged before keep their whole rows and replay as they did, so nothing of an existing log is rewritten. The
revision marks the new log form, so an older workbench refuses a project it could no longer undo in ("made by a newer
workbench"), and indexes `actions.target_id`, by which a redo finds its undo's kept rows.

It also drops `ix_codings_document` (document_id, start_offset): the index of the codings' unique constraint
(document_id, start_offset, end_offset, code_id, coder_id) leads with the same columns, and SQLite and PostgreSQL plan
the same lookups on it (per document, by offset, counts per document) in the same time; 3.3 MB of the full-size
project's 104 MB.

Frozen: never edit, add the next revision.

Revision ID: 0003_log_references
Revises: 0002_members
"""

from __future__ import annotations

from alembic import op

revision = "0003_log_references"
down_revision = "0002_members"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Index the undo and redo entries by the action they target; drop the codings index the unique one covers."""
    op.create_index("ix_actions_target", "actions", ["target_id"])
    # IF EXISTS: a project restored from a hand-made dump may lack it, and the upgrade must not fail for its absence.
    op.execute("DROP INDEX IF EXISTS ix_codings_document")
