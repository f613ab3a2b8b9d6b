"""The tables a project starts with when it has no tables.yaml: one frequency table per dimension of its codebook.

A researcher's own project should give the report's kind of table without hand-written YAML: per dimension
(a top-level code such as "Succesfactoren") a table whose theme rows are the dimension's children and whose items
are the codes under them, "Aantal (n)" counting respondents, every coder's codings together. The file is written
once, the first time the tables are asked for, so the user can edit it afterwards; it is never rewritten whole
(`tables_edit` changes one table's lines at a time).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from workbench.core.codebook import Codebook, codebook
from workbench.core.crosstabs import AnyDefinition
from workbench.core.files import write_atomically
from workbench.core.store import Store
from workbench.core.tables import TableError
from workbench.core.tables_file import FILE_NAME, parse_tables, read_tables

__all__ = ["ProjectTables", "default_tables_text", "project_tables"]

_HEADER = (
    "# Tables of this project, one per dimension of the codebook, written by workbench because the project had none.\n"
    "# Edit freely, or with `workbench tables DIR new|edit|remove` and the Tables screen, which change only the table\n"
    "# concerned. Keys: see the demo's tables.yaml and the README.\n"
)


@dataclass(frozen=True)
class ProjectTables:
    """A project's table definitions, and whether this call wrote the default file (so a front end can say so)."""

    definitions: list[AnyDefinition]
    path: Path
    written: bool


def default_tables_text(book: Codebook) -> str:
    """tables.yaml text with one frequency table per dimension; themes are its children that have codes below them,
    or the dimension itself when its codes sit directly under it."""
    tables: list[dict[str, Any]] = []
    for number, dimension in enumerate(book.children(None), start=1):
        themes = [child.id for child in book.children(dimension.id) if book.children(child.id)]
        if not themes:
            if not book.children(dimension.id):
                continue  # a dimension without codes has nothing to count
            themes = [dimension.id]
        tables.append(
            {"id": str(number), "caption": f"Tabel {number}. {dimension.name} (n={{n}})", "themes": themes, "unit": "respondents"}
        )
    body = yaml.safe_dump({"tables": tables}, allow_unicode=True, sort_keys=False, width=120)
    return _HEADER + body


def project_tables(store: Store) -> ProjectTables:
    """The project's table definitions from its tables.yaml, written first from the codebook when there is none."""
    path = store.project_dir / FILE_NAME
    if path.exists():
        return ProjectTables(read_tables(path), path, written=False)
    text = default_tables_text(codebook(store))
    definitions = parse_tables(text, str(path))  # refuse before writing, should the codebook give something unreadable
    if not definitions:
        raise TableError(
            f"{path}: no such file, and the codebook has no codes to make tables from; add codes first, or write {FILE_NAME}"
        )
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"), "the default tables")
    return ProjectTables(definitions, path, written=True)
