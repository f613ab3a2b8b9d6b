"""Members and their roles; on PostgreSQL, row-level security so the database decides who may change whose work.

A coder writes only codings, memos, rejections and orphans under their own coder name (the name of the PostgreSQL role
they connect as); a reviewer also those of the consensus coder; an owner everything. The policies call two functions
that read `members` with the rights of the project's owner, so no member needs to read another's membership to be
checked. Which tables a role may write at all is granted per member by core/members.py. On SQLite only the table is
made: a SQLite project is single-user.

Frozen: never edit, add the next revision.

Revision ID: 0002_members
Revises: 0001_schema7
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_members"
down_revision = "0001_schema7"
branch_labels = None
depends_on = None

#: Tables whose rows belong to one coder, by `coder_id`.
CODER_TABLES = ("codings", "document_memos", "suggestion_rejections", "orphaned_codings")
#: The coder name a reviewer writes besides their own (core/comparison/model.py CONSENSUS).
CONSENSUS = "consensus"


def upgrade() -> None:
    """Create `members`; on PostgreSQL record the creator as owner and turn row-level security on."""
    op.create_table(
        "members",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("added", sa.String(length=32), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("role IN ('owner', 'reviewer', 'coder')", name="member_role"),
        sa.PrimaryKeyConstraint("name"),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = op.get_bind().execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one()
    # Whoever creates (or upgrades) the project on the server owns its tables, and so owns the project.
    op.execute(sa.text(
        "INSERT INTO members (name, role, added, added_by) "
        "VALUES (current_user, 'owner', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), current_user)"
    ))
    # SECURITY DEFINER with a fixed search_path: the functions read `members` and `coders` as their owner, and a member
    # cannot slip in a table of their own by that name.
    op.execute(f"""
        CREATE FUNCTION workbench_member_role(who text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp
        AS $$ SELECT role FROM members WHERE name = who $$
    """)  # noqa: S608 - the schema's name, quoted by the server
    op.execute(f"""
        CREATE FUNCTION workbench_may_write_as(coder_name text, who text) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp
        AS $$ SELECT coalesce(CASE workbench_member_role(who)
                  WHEN 'owner' THEN true
                  WHEN 'reviewer' THEN coder_name IN (who, '{CONSENSUS}')
                  WHEN 'coder' THEN coder_name = who
              END, false) $$
    """)
    op.execute(f"""
        CREATE FUNCTION workbench_may_write_coder(coder integer, who text) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp
        AS $$ SELECT workbench_may_write_as((SELECT name FROM coders WHERE id = coder), who) $$
    """)  # noqa: S608 - the schema's name, quoted by the server
    for function in ("workbench_member_role(text)", "workbench_may_write_as(text, text)", "workbench_may_write_coder(integer, text)"):
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    for table in CODER_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY workbench_read ON {table} FOR SELECT USING (true)")
        op.execute(
            f"CREATE POLICY workbench_own_work ON {table} FOR ALL "
            "USING (workbench_may_write_coder(coder_id, current_user)) WITH CHECK (workbench_may_write_coder(coder_id, current_user))"
        )
    op.execute("ALTER TABLE coders ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY workbench_read ON coders FOR SELECT USING (true)")
    op.execute(
        "CREATE POLICY workbench_own_name ON coders FOR ALL "
        "USING (workbench_may_write_as(name, current_user)) WITH CHECK (workbench_may_write_as(name, current_user))"
    )

