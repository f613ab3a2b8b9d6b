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
from workbench.core.schema import HISTORY_TABLES
from workbench.errors import NotPermittedError


def check_replay_rights(conn: Connection, changes_json: str, author: str, *, action_id: int, backwards: bool) -> None:
    """Refuse, before anything is written, a change set that touches what its `author` may not change."""
    role = conn.execute(text("SELECT workbench_member_role(:who)"), {"who": author}).scalar()
    if role == Role.OWNER:
        return
    if role is None:
        raise NotPermittedError(f"it was written by {author}, who is no longer a member, so nobody can vouch for what it changes")
    allowed = REVIEWER_WRITES if role == Role.REVIEWER else CODER_WRITES
    kept: dict[int, dict[str, Any]] | None = None
    for number, item in enumerate(json.loads(changes_json)):
        name = str(item["table"])
        if name not in allowed:
            raise NotPermittedError(f"it changes {name}, which its author {author} (a {role}) may not change")
        table = HISTORY_TABLES[name]
        column = "coder_id" if "coder_id" in table.c else "name" if name == "coders" else None
        if column is None:
            continue
        if "keys" in item and not backwards:
            # A redo puts back rows an undo kept (hash-checked against the entry); check those.
            kept = kept_rows(conn, action_id) if kept is None else kept
            values: Iterable[Any] = _kept_values(kept.get(number), column)
        else:
            values = _touched_values(conn, table, item, column)
        if not _may_write(conn, column, set(values), author):
            what = "another coder's work" if column == "coder_id" else "another coder's name"
            raise NotPermittedError(f"it changes {what} in {name}, which its author {author} (a {role}) may not change")


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
