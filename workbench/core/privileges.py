"""The table privileges of each member role on a team server; row-level security (revision 0002) narrows them to rows."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from sqlalchemy import Connection, select, text

from workbench.core import schema


class Role(StrEnum):
    """What a member may do, each role including the one before."""

    CODER = "coder"
    REVIEWER = "reviewer"
    OWNER = "owner"


#: Tables a coder writes (their own rows only, where the table has a coder: row-level security) and what they may do.
_OWN_WORK = "INSERT, UPDATE, DELETE"
CODER_WRITES: Mapping[str, str] = {
    "codings": _OWN_WORK, "document_memos": _OWN_WORK, "suggestion_rejections": _OWN_WORK, "orphaned_codings": _OWN_WORK,
    # Their own coder name, made on their first coding and gone when that coding is undone.
    "coders": "INSERT, DELETE",
    # The audit trail only grows.
    "actions": "INSERT",
    # Caches and remembered choices (lemmas, suggestion models, quick keys, last place): nobody's work.
    "suggestion_acceptances": _OWN_WORK, "lemma_cache": _OWN_WORK, "suggestion_models": _OWN_WORK, "settings": _OWN_WORK,
}
REVIEWER_WRITES: Mapping[str, str] = {**CODER_WRITES, "consensus_decisions": _OWN_WORK}
_POLICY_FUNCTIONS = ("workbench_member_role(text)", "workbench_may_write_as(text, text)", "workbench_may_write_coder(integer, text)")


def grant(conn: Connection, name: str, role: Role) -> None:
    """Give role `name` the table privileges of `role` on every table the project has now."""
    who = quoted(conn, name)
    conn.execute(text(f"GRANT USAGE ON SCHEMA {schema_of(conn)} TO {who}"))
    conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema_of(conn)} TO {who}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_of(conn)} TO {who}"))
    for function in _POLICY_FUNCTIONS:
        conn.execute(text(f"GRANT EXECUTE ON FUNCTION {function} TO {who}"))
    if role is Role.OWNER:
        conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA {schema_of(conn)} TO {who} WITH GRANT OPTION"))
        conn.execute(text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA {schema_of(conn)} TO {who} WITH GRANT OPTION"))
        return
    for table, privileges in (REVIEWER_WRITES if role is Role.REVIEWER else CODER_WRITES).items():
        conn.execute(text(f"GRANT {privileges} ON {quoted(conn, table)} TO {who}"))


def regrant_all(conn: Connection) -> None:
    """Grant every member their role's privileges again: after an upgrade, which may have added tables."""
    m = schema.members
    me = conn.execute(text("SELECT current_user")).scalar_one()
    for name, role in conn.execute(select(m.c.name, m.c.role).where(m.c.name != me)).all():
        grant(conn, name, Role(role))


def revoke(conn: Connection, name: str) -> None:
    """Take every privilege on the project's tables from role `name`."""
    who, where = quoted(conn, name), schema_of(conn)
    conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}"))
    conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {where} FROM {who}"))
    for function in _POLICY_FUNCTIONS:
        conn.execute(text(f"REVOKE ALL ON FUNCTION {function} FROM {who}"))


def quoted(conn: Connection, identifier: str) -> str:
    """An identifier quoted for SQL: role names are case-sensitive and may hold any character but a quote."""
    return conn.dialect.identifier_preparer.quote_identifier(identifier)


def schema_of(conn: Connection) -> str:
    """The schema the project's tables are in, quoted."""
    return str(conn.execute(text("SELECT quote_ident(current_schema())")).scalar_one())
