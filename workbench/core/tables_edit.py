"""Editing a project's table definitions without writing YAML: new, change and remove a frequency table.

The user's tables.yaml is edited in place: only the lines of the table concerned are replaced (or appended, or cut),
so the other tables, comments and layout stay as the user left them. Every edit is checked before it is written,
by reading the whole new file back and building the table against the project, and then written atomically.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from workbench.core.codebook import codebook
from workbench.core.comparison.model import CONSENSUS
from workbench.core.crosstabs import AnyDefinition, build_one
from workbench.core.files import write_atomically
from workbench.core.store import Store
from workbench.core.tables import Order, Source, TableDefinition, TableError, Unit
from workbench.core.tables_default import project_tables
from workbench.core.tables_file import FILE_NAME, parse_tables
from workbench.core.yaml_lines import LINE, load_yaml


@dataclass(frozen=True)
class TableSpec:
    """What the user chooses for a frequency table: caption, themes in order, what n counts, whose coding, which documents."""

    id: str
    caption: str
    themes: tuple[str, ...]
    unit: Unit = Unit.RESPONDENTS
    order: Order = Order.CODEBOOK
    #: One coder's codings (or the consensus); None counts every coder's codings together.
    coder: str | None = None
    kinds: tuple[str, ...] = ()
    respondent_group: str | None = None
    wave: str | None = None
    question: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False)

    def definition(self) -> TableDefinition:
        """The definition the tables are built from."""
        source = Source(kinds=self.kinds, question=self.question, respondent_group=self.respondent_group, wave=self.wave,
                        attributes=dict(self.attributes))
        return TableDefinition(id=self.id, caption=self.caption, source=source, themes=self.themes, unit=self.unit,
                               order=self.order, coder=self.coder)


def spec_of(definition: AnyDefinition) -> TableSpec:
    """The editable choices of a frequency table (attribute and cross tables are edited in the file)."""
    if not isinstance(definition, TableDefinition):
        raise TableError(f"table {definition.id} is an attribute or cross table: edit it in {FILE_NAME}")
    source = definition.source
    return TableSpec(
        id=definition.id, caption=definition.caption, themes=definition.themes, unit=definition.unit, order=definition.order,
        coder=definition.coder, kinds=source.kinds, respondent_group=source.respondent_group, wave=source.wave,
        question=source.question, attributes=dict(source.attributes),
    )


def whose_coding(definition: AnyDefinition) -> str:
    """The line a screen shows above a table: whose codings it counts."""
    coder = getattr(definition, "coder", None)
    if coder is None:
        return "counts every coder's codings together" if hasattr(definition, "themes") else "counts respondents, not codings"
    if coder == CONSENSUS:
        return "counts the consensus coding"
    return f"counts {coder}'s codings"


def new_table_id(definitions: list[AnyDefinition]) -> str:
    """The next free table number ("4" after 1, 2 and 3)."""
    taken = {d.id for d in definitions}
    number = len(definitions) + 1
    while str(number) in taken:
        number += 1
    return str(number)


def add_table(store: Store, spec: TableSpec) -> TableDefinition:
    """Add a frequency table at the end of tables.yaml (written first from the codebook if there is none)."""
    found = project_tables(store)
    if any(d.id == spec.id for d in found.definitions):
        raise TableError(f"{found.path}: there is a table {spec.id!r} already; choose another id or edit that one")
    text = found.path.read_text(encoding="utf-8")
    lines, blocks, indent = _blocks(text, str(found.path))
    node = _node_lines(spec, indent if blocks else 2)
    if blocks:
        end = blocks[-1][1]
        lines[end:end] = node
        new_text = "".join(lines)
    else:
        new_text = "tables:\n" + "".join(node)
    return _write(store, found.path, new_text, spec.id)


def edit_table(store: Store, table_id: str, spec: TableSpec) -> TableDefinition:
    """Replace table `table_id`'s lines by the new choices (its id may change to one not taken)."""
    found = project_tables(store)
    ids = [d.id for d in found.definitions]
    if table_id not in ids:
        raise TableError(f"{found.path}: no table {table_id!r} (tables: {', '.join(ids) or 'none'})")
    if spec.id != table_id and spec.id in ids:
        raise TableError(f"{found.path}: there is a table {spec.id!r} already")
    lines, blocks, indent = _blocks(found.path.read_text(encoding="utf-8"), str(found.path))
    start, end = blocks[ids.index(table_id)]
    lines[start:end] = _node_lines(spec, indent)
    return _write(store, found.path, "".join(lines), spec.id)


def remove_table(store: Store, table_id: str) -> None:
    """Take table `table_id` out of tables.yaml."""
    found = project_tables(store)
    ids = [d.id for d in found.definitions]
    if table_id not in ids:
        raise TableError(f"{found.path}: no table {table_id!r} (tables: {', '.join(ids) or 'none'})")
    lines, blocks, _ = _blocks(found.path.read_text(encoding="utf-8"), str(found.path))
    start, end = blocks[ids.index(table_id)]
    del lines[start:end]
    text = "".join(lines)
    if len(ids) == 1:
        text = re.sub(r"(?m)^tables:\s*$", "tables: []", text)
    parse_tables(text, str(found.path))
    write_atomically(found.path, lambda temp: temp.write_text(text, encoding="utf-8"), "the tables", replace=True)


def check_spec(store: Store, spec: TableSpec) -> TableDefinition:
    """Refuse what would not build: no caption, unknown themes, a coder nobody is; the definition otherwise."""
    if not spec.id.strip():
        raise TableError("a table needs an id")
    if not spec.caption.strip():
        raise TableError(f"table {spec.id}: a table needs a caption (e.g. \"Tabel 6.6. Wat helpt de deelnemers (n={{n}})\")")
    if not spec.themes:
        raise TableError(f"table {spec.id}: choose at least one theme")
    book = codebook(store)
    unknown = [theme for theme in spec.themes if theme not in book.by_id]
    if unknown:
        raise TableError(f"table {spec.id}: no code {unknown[0]!r} in the codebook")
    definition = spec.definition()
    build_one(store, definition)
    return definition


def _write(store: Store, path: Any, text: str, table_id: str) -> TableDefinition:
    definitions = parse_tables(text, str(path))  # the whole file must still read
    definition = next(d for d in definitions if d.id == table_id)
    if not isinstance(definition, TableDefinition):
        raise TableError(f"{path}: table {table_id} did not come out as a frequency table")
    check_spec(store, spec_of(definition))
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"), "the tables", replace=True)
    return definition


def _blocks(text: str, source: str) -> tuple[list[str], list[tuple[int, int]], int]:
    """The file's lines, each table's [first, end) line range, and the column of the tables' dashes.

    A table's lines run from its "- id:" line to the next table's; comment and blank lines just before the next
    table stay with that one (they are usually its heading).
    """
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    data = load_yaml(text, source, TableError)
    nodes = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(nodes, list):
        raise TableError(f"{source}: expected a mapping with a list under 'tables'")
    starts = [_dash_line(lines, node[LINE] - 1) for node in nodes if isinstance(node, dict)]
    ends = [*starts[1:], _end_of_list(lines, starts[-1]) if starts else len(lines)]
    blocks = []
    for start, end in zip(starts, ends, strict=True):
        while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        blocks.append((start, end))
    indent = lines[starts[0]].index("-") if starts else 2
    return lines, blocks, indent


def _dash_line(lines: list[str], line: int) -> int:
    """The line of a table's "- " (its first key may sit on the dash's line or below it)."""
    while line > 0 and not lines[line].lstrip().startswith("-"):
        line -= 1
    return line


def _end_of_list(lines: list[str], last_start: int) -> int:
    """Where the last table ends: at the next top-level key, or the end of the file."""
    for number in range(last_start + 1, len(lines)):
        if lines[number][:1] not in ("", " ", "\t", "#", "\n", "-"):
            return number
    return len(lines)


def _node(spec: TableSpec) -> dict[str, Any]:
    node: dict[str, Any] = {"id": spec.id, "caption": spec.caption}
    source: dict[str, Any] = {}
    if spec.kinds:
        source["kinds"] = list(spec.kinds)
    for key in ("question", "respondent_group", "wave"):
        if getattr(spec, key) is not None:
            source[key] = getattr(spec, key)
    if spec.attributes:
        source["attributes"] = dict(spec.attributes)
    if source:
        node["source"] = source
    node["themes"] = list(spec.themes)
    node["unit"] = spec.unit.value
    if spec.order is not Order.CODEBOOK:
        node["order"] = spec.order.value
    if spec.coder is not None:
        node["coder"] = spec.coder
    return node


def _node_lines(spec: TableSpec, indent: int) -> list[str]:
    dumped = yaml.safe_dump([_node(spec)], allow_unicode=True, sort_keys=False, width=120)
    return [" " * indent + line + "\n" for line in dumped.splitlines()]
