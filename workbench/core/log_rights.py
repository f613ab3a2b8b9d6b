"""On a team server an undo or redo replays a log entry with no more rights than the member who wrote it.

Whoever undoes "anyone's latest" replays another member's change set in their own session. A coder may add to the log,
so without this check a coder could write an entry whose change set deletes another coder's codings or a code, and wait
for an owner to undo it. The database names each entry's author (revision 0004, filled in by the server and not
writable in another's name); before a replay in someone else's session, every row the entry touches is checked with the
same functions the row-level security policies call, as the author.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, select, text

from workbench.core.history import kept_rows
from workbench.core.privileges import CODER_WRITES, REVIEWER_WRITES, Role
from workbench.core.schema import HISTORY_TABLES, actions
from workbench.errors import NotPermittedError


def check_replay_rights(conn: Connection, changes_json: str, author: str, *, action_id: int, backwards: bool) -> None:
    """Refuse, before anything is written, a change set that touches what its `author` may not change."""
    role = _role_of(conn, author)
    if role is None:
        raise NotPermittedError(f"it was written by {author}, who is no longer a member, so nobody can vouch for what it changes")
    _check_rows(conn, changes_json, author, role, action_id=action_id, backwards=backwards)


def _role_of(conn: Connection, author: str) -> str | None:
    return conn.execute(text("SELECT workbench_member_role(:who)"), {"who": author}).scalar()


def _check_rows(conn: Connection, changes_json: str, author: str, role: str, *, action_id: int, backwards: bool) -> None:
    """Refuse a change set with a row outside what `author`, a member with `role`, may change."""
    if role == Role.OWNER:
        return
    allowed = REVIEWER_WRITES if role == Role.REVIEWER else CODER_WRITES
    items = json.loads(changes_json)
    # A redo puts back rows an undo kept (hash-checked against the entry): those are checked, not the table.
    kept = kept_rows(conn, action_id) if not backwards and any("keys" in item for item in items) else {}
    # A coder name the entry itself made (a first coding) is not in `coders` yet when its redo is checked.
    made = _coders_made(items, kept, backwards)
    for number, item in enumerate(items):
        name = str(item["table"])
        if name not in allowed:
            raise NotPermittedError(f"it changes {name}, which its author {author} (a {role}) may not change")
        table = HISTORY_TABLES[name]
        column = "coder_id" if "coder_id" in table.c else "name" if name == "coders" else None
        if column is None:
            continue
        if "keys" in item and not backwards:
            values: Iterable[Any] = _kept_values(kept.get(number), column)
        else:
            values = _touched_values(conn, table, item, column)
        found = set(values)
        if column == "coder_id" and made:
            names = {made[value] for value in found if value in made}
            found -= set(made)
            allowed_here = _may_write(conn, "name", names, author) and _may_write(conn, column, found, author)
        else:
            allowed_here = _may_write(conn, column, found, author)
        if not allowed_here:
            what = "another coder's work" if column == "coder_id" else "another coder's name"
            raise NotPermittedError(f"it changes {what} in {name}, which its author {author} (a {role}) may not change")


def could_replay(conn: Connection, action_id: int, author: str, *, backwards: bool) -> bool:
    """Whether `author` could have undone (`backwards`) or redone action `action_id`, as the log says they did.

    An entry the workbench wrote passed `check_replay_rights` when it was made, and still does: the rows an undo took
    back are gone. A hand-made one claims an undo while the action's rows are still there, outside its writer's rights.
    The entries of an owner, and of a member no longer in the project, are taken as written.
    """
    role = _role_of(conn, author)
    if role is None or role == Role.OWNER:
        return True
    changes = conn.execute(select(actions.c.changes).where(actions.c.id == action_id)).scalar()
    if changes is None:
        return True
    try:
        _check_rows(conn, changes, author, role, action_id=action_id, backwards=backwards)
    except NotPermittedError:
        return False
    except (KeyError, TypeError, ValueError):
        return True  # a damaged entry: undoing it is refused as damaged, whoever's stack it is on
    return True


def _coders_made(items: list[dict[str, Any]], kept: Mapping[int, dict[str, Any]], backwards: bool) -> dict[Any, Any]:
    """The coder names (by id) a change set inserts, as a redo will put them back."""
    if backwards:
        return {}
    made: dict[Any, Any] = {}
    for number, item in enumerate(items):
        if item["table"] != "coders" or item["op"] != "insert":
            continue
        if "row" in item:
            made[item["row"].get("id")] = item["row"].get("name")
        elif (rows := kept.get(number)) is not None and {"id", "name"} <= set(rows["columns"]):
            columns = list(rows["columns"])
            made.update((row[columns.index("id")], row[columns.index("name")]) for row in rows["rows"])
    return made


def _touched_values(conn: Connection, table: Table, item: Mapping[str, Any], column: str) -> list[Any]:
    """The `column` values of the rows an item touches, as stored now and as the item gives them."""
    (key,) = table.primary_key.columns
    found: list[Any] = []
    if "keys" in item:
        for first, last in item["keys"]:
            rows = conn.execute(select(table.c[column]).distinct().where(key.between(int(first), int(last))))
            found.extend(value for (value,) in rows)
    if "row" in item:
        found.append(item["row"].get(column))
    if "key" in item:
        found.extend(value for (value,) in conn.execute(select(table.c[column]).where(key == item["key"])))
        found.extend(values[column] for values in (item.get("before", {}), item.get("after", {})) if column in values)
    return found


def _kept_values(kept: Mapping[str, Any] | None, column: str) -> list[Any]:
    if kept is None or column not in kept["columns"]:
        return []  # nothing kept: the redo itself refuses
    index = list(kept["columns"]).index(column)
    return [row[index] for row in kept["rows"]]


def _may_write(conn: Connection, column: str, values: set[Any], author: str) -> bool:
    """Whether `author` may write rows with these coder ids (or, in `coders`, these names), by the policies' functions."""
    # Cast: a driver may send an integer as a wider type than the function's, which then matches no function.
    if column == "coder_id":
        statement = text("SELECT workbench_may_write_coder(CAST(:value AS integer), CAST(:who AS text))")
    else:
        statement = text("SELECT workbench_may_write_as(CAST(:value AS text), CAST(:who AS text))")
    return all(conn.execute(statement, {"value": value, "who": author}).scalar() is True for value in values)
