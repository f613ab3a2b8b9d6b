"""A project's table definitions (tables.yaml): read with errors that name the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from workbench.core.crosstabs import (
    COUNT_LABEL,
    AnyDefinition,
    AttributeTableDefinition,
    CrossTableDefinition,
    Kind,
)
from workbench.core.tables import Order, Source, TableDefinition, TableError, Unit
from workbench.core.yaml_lines import LINE, check_keys, load_yaml

#: The keys a table may have, per kind (`kind: codes` is the default and may be left out).
TABLE_KEYS = ("id", "kind", "caption", "source", "themes", "counts", "quotes", "unit", "order", "coder")
ATTRIBUTE_KEYS = ("id", "kind", "caption", "source", "rows", "columns", "values", "row_order", "column_order",
                  "column_label", "row_header", "totals")
CROSS_KEYS = ("id", "kind", "caption", "source", "themes", "columns", "values", "column_order", "row_header",
              "unit", "order", "coder", "totals")
KEYS = {Kind.CODES: TABLE_KEYS, Kind.ATTRIBUTE: ATTRIBUTE_KEYS, Kind.CROSS: CROSS_KEYS}
SOURCE_KEYS = ("documents", "kinds", "question", "respondent_group", "wave", "attributes")
FILE_NAME = "tables.yaml"

_Choice = TypeVar("_Choice", Unit, Order, Kind)


def _choice(source: str, node: dict[str, Any], key: str, kind: type[_Choice], default: _Choice) -> _Choice:
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


def _scalar(value: Any) -> str | None:
    """A YAML scalar as the text it stands for (1 → "1"), or None for a list, mapping or nothing."""
    if value is None or isinstance(value, (list, dict)):
        return None
    return str(value)


def _themes(source: str, node: dict[str, Any], table_id: str) -> tuple[str, ...]:
    themes = node.get("themes")
    if not isinstance(themes, list) or not themes or not all(isinstance(t, str) for t in themes):
        raise TableError(f"{source}: line {node[LINE]}: table {table_id}: themes is a non-empty list of code ids")
    return tuple(themes)


def _attribute(source: str, node: dict[str, Any], key: str, table_id: str) -> str | None:
    """An attribute key such as `rows: function`; None when absent."""
    if node.get(key) is None:
        return None
    value = _scalar(node[key])
    if value is None or not value.strip():
        raise TableError(f"{source}: line {node[LINE]}: table {table_id}: {key} is one attribute key (e.g. function), not {node[key]!r}")
    return value.strip()


def _required(source: str, node: dict[str, Any], key: str, table_id: str, kind: Kind) -> str:
    value = _attribute(source, node, key, table_id)
    if value is None:
        raise TableError(
            f"{source}: line {node[LINE]}: table {table_id}: kind {kind.value} needs {key}: <attribute key> (e.g. {key}: function)"
        )
    return value


def _labels(source: str, node: dict[str, Any], key: str, table_id: str) -> tuple[str, ...]:
    value = node.get(key)
    if value is None:
        return ()
    labels = [_scalar(item) for item in value] if isinstance(value, list) else [None]
    if not all(labels):
        raise TableError(f"{source}: line {node[LINE]}: table {table_id}: {key} is a list of printed labels")
    return tuple(label for label in labels if label is not None)


def _text(source: str, node: dict[str, Any], key: str, table_id: str) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise TableError(f"{source}: line {node[LINE]}: table {table_id}: {key} is text, not {value!r}")
    return value


def _totals(source: str, node: dict[str, Any], table_id: str) -> bool:
    value = node.get("totals", False)
    if not isinstance(value, bool):
        raise TableError(f"{source}: line {node[LINE]}: table {table_id}: totals is true or false, not {value!r}")
    return value


def _values(source: str, node: dict[str, Any], table_id: str, axes: tuple[str | None, ...]) -> dict[str, dict[str, str]]:
    """`values:` — per attribute key of an axis, a mapping of raw values to printed labels."""
    value = node.get("values")
    if value is None:
        return {}
    line = node[LINE]
    if not isinstance(value, dict):
        raise TableError(f"{source}: line {line}: table {table_id}: values maps an attribute key to {{raw value: printed label}}")
    mapped: dict[str, dict[str, str]] = {}
    used = [axis for axis in axes if axis is not None]
    for key, labels in value.items():
        if key == LINE:
            continue
        if str(key) not in used:
            raise TableError(
                f"{source}: line {value[LINE]}: table {table_id}: values for {str(key)!r},"
                f" which is not an axis of the table ({', '.join(used)})"
            )
        if not isinstance(labels, dict):
            raise TableError(f"{source}: line {value[LINE]}: table {table_id}: values of {str(key)!r} map raw values to printed labels")
        pairs = {_scalar(raw): _scalar(label) for raw, label in labels.items() if raw != LINE}
        if not all(raw is not None and label for raw, label in pairs.items()):
            raise TableError(f"{source}: line {labels[LINE]}: table {table_id}: every value of {str(key)!r} maps to a printed label")
        mapped[str(key)] = {str(raw): str(label) for raw, label in pairs.items()}
    return mapped


def _attribute_table(source: str, node: dict[str, Any], table_id: str, caption: str) -> AttributeTableDefinition:
    rows = _required(source, node, "rows", table_id, Kind.ATTRIBUTE)
    columns = _attribute(source, node, "columns", table_id)
    line = node[LINE]
    if columns is None and "column_order" in node:
        raise TableError(f"{source}: line {line}: table {table_id}: column_order needs columns: <attribute key>")
    if columns is not None and "column_label" in node:
        raise TableError(f"{source}: line {line}: table {table_id}: column_label names the one count column of a table without columns")
    return AttributeTableDefinition(
        id=table_id,
        caption=caption,
        source=_source(source, node.get("source"), table_id),
        rows=rows,
        columns=columns,
        values=_values(source, node, table_id, (rows, columns)),
        row_order=_labels(source, node, "row_order", table_id),
        column_order=_labels(source, node, "column_order", table_id),
        column_label=_text(source, node, "column_label", table_id) or COUNT_LABEL,
        row_header=_text(source, node, "row_header", table_id),
        totals=_totals(source, node, table_id),
    )


def _cross_table(source: str, node: dict[str, Any], table_id: str, caption: str) -> CrossTableDefinition:
    columns = _required(source, node, "columns", table_id, Kind.CROSS)
    return CrossTableDefinition(
        id=table_id,
        caption=caption,
        source=_source(source, node.get("source"), table_id),
        themes=_themes(source, node, table_id),
        columns=columns,
        values=_values(source, node, table_id, (columns,)),
        column_order=_labels(source, node, "column_order", table_id),
        row_header=_text(source, node, "row_header", table_id) or "",
        unit=_choice(source, node, "unit", Unit, Unit.RESPONDENTS),
        order=_choice(source, node, "order", Order, Order.CODEBOOK),
        coder=None if node.get("coder") is None else str(node["coder"]),
        totals=_totals(source, node, table_id),
    )


def _coding_table(source: str, node: dict[str, Any], table_id: str, caption: str) -> TableDefinition:
    return TableDefinition(
        id=table_id,
        caption=caption,
        source=_source(source, node.get("source"), table_id),
        themes=_themes(source, node, table_id),
        counts=bool(node.get("counts", True)),
        quotes=bool(node.get("quotes", False)),
        unit=_choice(source, node, "unit", Unit, Unit.RESPONDENTS),
        order=_choice(source, node, "order", Order, Order.CODEBOOK),
        coder=None if node.get("coder") is None else str(node["coder"]),
    )


def parse_tables(text: str, source: str) -> list[AnyDefinition]:
    """Table definitions of every kind from tables.yaml text, in file order (the order of the report)."""
    data = load_yaml(text, source, TableError)
    if not isinstance(data, dict) or not isinstance(data.get("tables"), list):
        raise TableError(f"{source}: expected a mapping with a list under 'tables'")
    definitions: list[AnyDefinition] = []
    seen: set[str] = set()
    for node in data["tables"]:
        if not isinstance(node, dict):
            raise TableError(f"{source}: every table is a mapping with id, caption and themes")
        line = node[LINE]
        table_id = str(node.get("id") or "").strip()
        if not table_id:
            raise TableError(f"{source}: line {line}: a table without an id")
        kind = _choice(source, node, "kind", Kind, Kind.CODES)
        check_keys(source, node, KEYS[kind], f"table {table_id}" if kind is Kind.CODES else f"{kind.value} table {table_id}", TableError)
        if table_id in seen:
            raise TableError(f"{source}: line {line}: table id {table_id!r} appears twice")
        seen.add(table_id)
        caption = node.get("caption")
        if not isinstance(caption, str) or not caption.strip():
            raise TableError(f"{source}: line {line}: table {table_id} has no caption")
        if kind is Kind.ATTRIBUTE:
            definitions.append(_attribute_table(source, node, table_id, caption))
        elif kind is Kind.CROSS:
            definitions.append(_cross_table(source, node, table_id, caption))
        else:
            definitions.append(_coding_table(source, node, table_id, caption))
    return definitions


def read_tables(path: Path) -> list[AnyDefinition]:
    """Read a tables.yaml file: definitions of every kind (coding, attribute and cross tables)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TableError(f"{path}: no such file (a project's tables are defined in {FILE_NAME})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TableError(f"{path}: cannot read ({exc})") from None
    return parse_tables(text, str(path))
