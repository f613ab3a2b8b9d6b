"""The quotes export as one use case, the same from the command line and from the Tables and Search screens."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core.quotes import quote_stream
from workbench.core.store import Store
from workbench.exporters import quote_format_of, write_quotes


@dataclass(frozen=True)
class QuotesWritten:
    """Where the quotes went and how many coded segments they were."""

    path: Path
    rows: int

    def __str__(self) -> str:
        return f"wrote {self.rows} coded segments to {self.path}"


def export_quotes(
    store: Store, out: Path, *, fmt: str | None = None, coder: str | None = None, code_ids: Sequence[str] | None = None,
    strip_speaker: bool = False, replace: bool = False,
) -> QuotesWritten:
    """Every coded segment (of one coder, of the given codes and those below them) with its attributes, as .xlsx or .csv.

    An existing file is replaced only with `replace` (the CLI's --force; a screen asks first).
    """
    kind = fmt or quote_format_of(out)  # refuse a wrong ending before any work
    counted = 0

    def counting(rows: Iterator[dict[str, str]]) -> Iterator[dict[str, str]]:
        nonlocal counted
        for row in rows:
            counted += 1
            yield row

    # Streamed from the store into the file: a project's quotes never sit in memory all at once.
    with quote_stream(store, coder=coder, code_ids=code_ids or None, strip_speaker=strip_speaker) as rows:
        written = write_quotes(counting(rows), out, kind, replace=replace)
    return QuotesWritten(written, counted)
