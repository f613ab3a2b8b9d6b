"""Who works on a team-server project, and as what: PostgreSQL roles, table privileges and row-level security.

The database decides, not the workbench: a member's privileges say which tables they may write at all, and the
row-level security policies of revision 0002 say whose rows (a coder their own codings and memos, a reviewer also the
consensus coder's, an owner everyone's). So a coder connecting with psql can change no more than in the workbench.
A SQLite project is single-user: anyone who can open its file can change everything, and it says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from workbench.core import schema
from workbench.core.privileges import Role, grant, quoted, revoke
from workbench.core.store import Store, timestamp
from workbench.errors import MemberError


@dataclass(frozen=True)
class Member:
    """One member of a team-server project."""

    name: str
    role: Role
    added: str
    added_by: str


SINGLE_USER = "a SQLite project is single-user: whoever can open its file can change everything"


def single_user_note(store: Store) -> str | None:
    """Why members and roles do not apply to this project, or None on a team server."""
    return None if store.on_server else SINGLE_USER


def members(store: Store) -> list[Member]:
    """The project's members, owners first."""
    _require_server(store, "list members")
    order = {Role.OWNER: 0, Role.REVIEWER: 1, Role.CODER: 2}
    with store.reading() as conn:
        rows = conn.execute(select(schema.members)).mappings().all()
    found = [Member(r["name"], Role(r["role"]), r["added"], r["added_by"]) for r in rows]
    return sorted(found, key=lambda m: (order[m.role], m.name))


def add_member(store: Store, name: str, role: Role, actor: str) -> Member:
    """Make a PostgreSQL role a member (creating a login role if the server lets us), or change a member's role."""
    _require_server(store, "add a member")
    name = _role_name(name)
    summary = f"{name} is now {role.value}"
    with store.administering( "member", actor, summary) as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}).first() is None:
            _create_login_role(conn, store, name)
        m = schema.members
        values = {"role": role.value, "added": timestamp(), "added_by": store.user or actor}
        if conn.execute(select(m.c.name).where(m.c.name == name)).first() is None:
            conn.execute(insert(m).values(name=name, **values))
        else:
            conn.execute(update(m).where(m.c.name == name).values(**values))
        revoke(conn, name)
        grant(conn, name, role)
    return Member(name, role, str(values["added"]), str(values["added_by"]))


def remove_member(store: Store, name: str, actor: str) -> None:
    """Take a member's rights on this project away; their past work stays, under their name."""
    _require_server(store, "remove a member")
    name = _role_name(name)
    with store.administering( "member", actor, f"{name} is no longer a member") as conn:
        m = schema.members
        row = conn.execute(select(m.c.role).where(m.c.name == name)).first()
        if row is None:
            raise MemberError(f"{store.label}: {name} is not a member of this project")
        if row[0] == Role.OWNER and conn.execute(select(m.c.name).where(m.c.role == Role.OWNER.value, m.c.name != name)).first() is None:
            raise MemberError(f"{store.label}: {name} is the project's only owner; make someone else owner first")
        conn.execute(delete(m).where(m.c.name == name))
        revoke(conn, name)


def _create_login_role(conn: Connection, store: Store, name: str) -> None:
    # In a savepoint: a refusal must not abort the transaction before its one-line explanation is built.
    try:
        with conn.begin_nested():
            conn.execute(text(f"CREATE ROLE {quoted(conn, name)} LOGIN"))
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":
            raise MemberError(
                f"{store.label}: there is no PostgreSQL role {name!r} and you may not create roles; "
                f"ask the server's administrator to run: createuser {name}"
            ) from exc
        raise


def _require_server(store: Store, what: str) -> None:
    if not store.on_server:
        raise MemberError(f"{store.label}: cannot {what}: {SINGLE_USER}; put it on a team server with "
                          "`workbench copy DIR NEW --database postgresql://host/dbname`")


def _role_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 63 or any(ch in name for ch in "\"\0\n"):
        raise MemberError(f"{name!r}: not a PostgreSQL role name (1 to 63 characters, no quotes)")
    return name
