"""Each log entry names the database user who wrote it, and on a team server nobody can write it in another's name.

A coder may add to the action log (their own actions, undos and redos), so before this revision a coder could write an
entry whose change set touched another coder's work, or name another member as its actor; an owner's "undo anyone's
latest" would then replay it with the owner's rights. `author` is filled by the server (`current_user`) and a policy
lets a member add only entries that are their own. An undo or redo of another member's entry replays only what that
entry's author may change (core/log_rights.py). On SQLite, single-user, the column stays empty.

Frozen: never edit, add the next revision.

Revision ID: 0004_action_authors
Revises: 0003_log_references
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_action_authors"
down_revision = "0003_log_references"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `actions.author`; on PostgreSQL default it to the session's user and let members add only their own entries."""
    if op.get_bind().dialect.name != "postgresql":
        op.add_column("actions", sa.Column("author", sa.String(length=100), nullable=True))
        return
    # Entries written before stay without an author (nobody can tell who wrote them): the column is added empty and only
    # then given its default, which PostgreSQL would otherwise write into every existing row as the upgrading owner.
    op.add_column("actions", sa.Column("author", sa.String(length=100), nullable=True))
    op.alter_column("actions", "author", server_default=sa.text("current_user"))
    op.execute("ALTER TABLE actions ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY workbench_read ON actions FOR SELECT USING (true)")
    op.execute("CREATE POLICY workbench_own_entries ON actions FOR INSERT WITH CHECK (author = current_user)")
    # Only owners may change or drop entries (purge-history, forgetting a case): with row-level security on, a member
    # with the owner role who does not own the tables needs a policy for it, as for every other table they write.
    for command in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE POLICY workbench_owners_{command.lower()} ON actions FOR {command} "
            "USING (workbench_member_role(current_user) = 'owner')"
        )
