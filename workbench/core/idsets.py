"""Sets of row ids for a query to join against, instead of an `IN (…)` list with one bound variable per id.

SQLite refuses statements with more variables than its limit (32,766 by default, 999 on older builds); a project
with more documents than that must still build its tables. A temporary table holds the ids for one read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Column, Connection, Integer, MetaData, Table, insert

#: Ids go into the temporary table this many per statement: well under any variable limit.
_CHUNK = 500


@contextmanager
def id_set(conn: Connection, ids: Iterable[int]) -> Iterator[Table]:
    """A temporary one-column table ("id") of the given ids, dropped when the block ends."""
    table = Table(f"ids_{uuid.uuid4().hex}", MetaData(), Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"])
    table.create(conn)
    try:
        values = sorted(set(ids))
        for start in range(0, len(values), _CHUNK):
            conn.execute(insert(table), [{"id": value} for value in values[start : start + _CHUNK]])
        yield table
    finally:
        table.drop(conn)
