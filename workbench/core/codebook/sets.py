"""Code sets (REFI-QDA Sets, ATLAS.ti's code groups) as another tool made them: stored so an export gives them back."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, select

from workbench.core import schema
from workbench.core.history import Changes
from workbench.core.model import CodeSet
from workbench.core.store import Store


def load_code_sets(conn: Connection) -> tuple[CodeSet, ...]:
    """The project's code sets in their order, inside an open transaction."""
    s = schema.code_sets
    return tuple(
        CodeSet(guid=r.guid, name=r.name, description=r.description, code_ids=tuple(json.loads(r.code_ids)))
        for r in conn.execute(select(s).order_by(s.c.position, s.c.id))
    )


def code_sets(store: Store) -> tuple[CodeSet, ...]:
    """The project's code sets now."""
    with store.reading() as conn:
        return load_code_sets(conn)


def replace_code_sets(changes: Changes, sets: Sequence[CodeSet]) -> None:
    """Make the project's code sets exactly `sets`, inside the caller's action (so undo brings the old ones back)."""
    s = schema.code_sets
    for (key,) in changes.conn.execute(select(s.c.id).order_by(s.c.id)).all():
        changes.delete(s, key)
    changes.insert_many(s, [
        {"guid": code_set.guid, "name": code_set.name, "description": code_set.description,
         "code_ids": json.dumps(list(code_set.code_ids), ensure_ascii=False), "position": position}
        for position, code_set in enumerate(sets)
    ])
