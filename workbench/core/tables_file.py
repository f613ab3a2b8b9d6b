"""A project's table definitions (tables.yaml): read with errors that name the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.core.tables import Order, Source, TableDefinition, TableError, Unit
from workbench.core.yaml_lines import LINE, check_keys, load_yaml

TABLE_KEYS = ("id", "caption", "source", "themes", "counts", "quotes", "unit", "order", "coder")
SOURCE_KEYS = ("documents", "kinds", "question", "respondent_group", "wave", "attributes")
FILE_NAME = "tables.yaml"


def _choice(source: str, node: dict[str, Any], key: str, kind: type[Unit] | type[Order], default: Any) -> Any:
    value = node.get(key, default.value)
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise TableError(f"{source}: line {node[LINE]}: {key} {value!r} is not one of {allowed}") from None


def _source(source: str, node: Any, table_id: str) -> Source:
    if node is None:
        return Source()
    if not isinstance(node, dict):
        raise TableError(f"{source}: table {table_id}: source must be a mapping")
    check_keys(source, node, SOURCE_KEYS, f"the source of table {table_id}", TableError)
    kinds = node.get("kinds") or []
    attributes = node.get("attributes") or {}
    if not isinstance(kinds, list) or not isinstance(attributes, dict):
        raise TableError(f"{source}: line {node[LINE]}: kinds is a list and attributes a mapping")
    return Source(
        documents=str(node.get("documents", "*")),
        kinds=tuple(str(k) for k in kinds),
        question=None if node.get("question") is None else str(node["question"]),
        respondent_group=None if node.get("respondent_group") is None else str(node["respondent_group"]),
        wave=None if node.get("wave") is None else str(node["wave"]),
        attributes={str(k): str(v) for k, v in attributes.items() if k != LINE},
    )


def parse_tables(text: str, source: str) -> list[TableDefinition]:
    """Table definitions from tables.yaml text, in file order (the order of the report)."""
    data = load_yaml(text, source, TableError)
    if not isinstance(data, dict) or not isinstance(data.get("tables"), list):
        raise TableError(f"{source}: expected a mapping with a list under 'tables'")
    definitions: list[TableDefinition] = []
    seen: set[str] = set()
    for node in data["tables"]:
        if not isinstance(node, dict):
            raise TableError(f"{source}: every table is a mapping with id, caption and themes")
        line = node[LINE]
        table_id = str(node.get("id") or "").strip()
        if not table_id:
            raise TableError(f"{source}: line {line}: a table without an id")
        check_keys(source, node, TABLE_KEYS, f"table {table_id}", TableError)
        if table_id in seen:
            raise TableError(f"{source}: line {line}: table id {table_id!r} appears twice")
        seen.add(table_id)
        caption = node.get("caption")
        if not isinstance(caption, str) or not caption.strip():
            raise TableError(f"{source}: line {line}: table {table_id} has no caption")
        themes = node.get("themes")
        if not isinstance(themes, list) or not themes or not all(isinstance(t, str) for t in themes):
            raise TableError(f"{source}: line {line}: table {table_id}: themes is a non-empty list of code ids")
        definitions.append(
            TableDefinition(
                id=table_id,
                caption=caption,
                source=_source(source, node.get("source"), table_id),
                themes=tuple(themes),
                counts=bool(node.get("counts", True)),
                quotes=bool(node.get("quotes", False)),
                unit=_choice(source, node, "unit", Unit, Unit.RESPONDENTS),
                order=_choice(source, node, "order", Order, Order.CODEBOOK),
                coder=None if node.get("coder") is None else str(node["coder"]),
            )
        )
    return definitions


def read_tables(path: Path) -> list[TableDefinition]:
    """Read a tables.yaml file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TableError(f"{path}: no such file (a project's tables are defined in {FILE_NAME})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TableError(f"{path}: cannot read ({exc})") from None
    return parse_tables(text, str(path))
