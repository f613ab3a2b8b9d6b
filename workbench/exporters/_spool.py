"""Rows spooled to a temporary file: a streamed quote list whose header and column widths need every row first.

A spreadsheet's header (the attribute columns any row has) and its column widths come before its first row, but
a large project's rows should not all sit in memory. They go to a temporary file in pickled batches while their
keys and longest values are noted, and are read back one batch at a time to be written.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

#: Rows per pickled batch: large enough that pickling is cheap per row, small enough to stay a few megabytes.
_BATCH = 1000


@dataclass(frozen=True)
class SpooledRows:
    """Rows written to a temporary file: every key any row has, the longest value per key, and the rows again."""

    keys: frozenset[str]
    #: Per key, the length of its longest value (what a spreadsheet column's width follows).
    longest: Mapping[str, int]
    #: Characters in every value of every row.
    characters: int
    count: int
    _handle: IO[bytes]
    _batches: int

    def __iter__(self) -> Iterator[dict[str, str]]:
        """The rows in the order they came, read back a batch at a time."""
        self._handle.seek(0)
        for _ in range(self._batches):
            # A fresh load per batch: one Unpickler kept across batches would keep every row alive in its memo.
            yield from pickle.load(self._handle)  # noqa: S301 - our own temporary file


@contextmanager
def spooled(rows: Iterable[Mapping[str, str]]) -> Iterator[SpooledRows]:
    """Spool the rows to a temporary file, deleted when the block ends."""
    longest: dict[str, int] = {}
    count = batches = characters = 0
    with tempfile.TemporaryFile() as handle:
        batch: list[dict[str, str]] = []
        for row in rows:
            for key, value in row.items():
                characters += len(value)
                if len(value) > longest.get(key, -1):
                    longest[key] = len(value)
            batch.append(dict(row))
            if len(batch) == _BATCH:
                pickle.dump(batch, handle, protocol=pickle.HIGHEST_PROTOCOL)
                count, batches, batch = count + len(batch), batches + 1, []
        if batch:
            pickle.dump(batch, handle, protocol=pickle.HIGHEST_PROTOCOL)
            count, batches = count + len(batch), batches + 1
        yield SpooledRows(frozenset(longest), longest, characters, count, handle, batches)
