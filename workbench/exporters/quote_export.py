"""The quotes export as one use case, the same from the command line and from the Tables and Search screens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core.quotes import quote_rows
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
    rows = quote_rows(store, coder=coder, code_ids=code_ids or None, strip_speaker=strip_speaker)
    return QuotesWritten(write_quotes(rows, out, kind, replace=replace), len(rows))
