"""JSON in the reference transcription's shape: a list of `as_json()` entries (`Table` or `CrossTable`), or one entry for one table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from workbench.core.crosstabs import AnyTable


class JsonWriter:
    """Tables as JSON, UTF-8 with Dutch characters as written (no \\u escapes), indented for diffs."""

    format: str = "json"
    extensions: tuple[str, ...] = (".json",)
    single_table: bool = False

    def problem(self, table: AnyTable) -> str | None:
        """Any table has a JSON form."""
        return None

    def write(self, tables: Sequence[AnyTable], path: Path) -> None:
        """One table as an object, several as a list, so a per-table file reads like a reference entry."""
        entries = [table.as_json() for table in tables]
        data = entries[0] if len(entries) == 1 else entries
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
