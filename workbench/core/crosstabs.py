"""Attribute tables (respondents per attribute value, Tabel 6.1–6.4) and cross tables (codes × an attribute).

Both build into one model, `CrossTable`: a row header, column labels, rows of counts (theme rows carry
none) and an optional "Totaal" row of column sums. An attribute table counts the respondents fed per
value of a case attribute (`rows`), split by a second one (`columns`) or in one count column; a cross
table counts, per value of an attribute, the respondents (documents, mentions) coded with each item
of the listed themes. `build_any` builds a whole tables.yaml, coding tables included.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from sqlalchemy import Connection

from workbench.core.codebook import Codebook, load_codebook
from workbench.core.store import Store
from workbench.core.tables import (
    FedDocument,
    Order,
    Source,
    Table,
    TableData,
    TableDefinition,
    TableError,
    Unit,
    attribute_keys,
    build_table_in,
    feeding_documents,
)

#: The header of the one count column of an attribute table without `columns`.
COUNT_LABEL = "Aantal (n)"
#: The label of the row of column sums.
TOTAL_LABEL = "Totaal"
#: The row or column of respondents who have no value for the attribute.
MISSING_LABEL = "Onbekend"


class Kind(enum.StrEnum):
    """What a table of tables.yaml shows."""

    CODES = "codes"
    ATTRIBUTE = "attribute"
    CROSS = "cross"


@dataclass(frozen=True)
class AttributeTableDefinition:
    """Respondents counted per value of a case attribute (`rows`), optionally split by another (`columns`)."""

    id: str
    caption: str
    source: Source
    rows: str
    columns: str | None = None
    #: Per attribute key, raw value → printed label; several raw values may share a label (a group).
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)
    #: Printed labels in printed order; a listed label is shown even when nobody has it, unlisted ones follow.
    row_order: tuple[str, ...] = ()
    column_order: tuple[str, ...] = ()
    column_label: str = COUNT_LABEL
    #: The header above the row labels; None shows the attribute key.
    row_header: str | None = None
    totals: bool = False


@dataclass(frozen=True)
class CrossTableDefinition:
    """The items of some themes counted per value of an attribute (`columns`), e.g. per function or per wave."""

    id: str
    caption: str
    source: Source
    themes: tuple[str, ...]
    columns: str
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)
    column_order: tuple[str, ...] = ()
    row_header: str = ""
    unit: Unit = Unit.RESPONDENTS
    order: Order = Order.CODEBOOK
    coder: str | None = None
    totals: bool = False


#: A definition of any kind, as tables.yaml gives them.
AnyDefinition: TypeAlias = TableDefinition | AttributeTableDefinition | CrossTableDefinition


@dataclass(frozen=True)
class CrossRow:
    """A row of a cross table: a theme (bold, no counts) or an item or attribute value with one count per column."""

    label: str
    values: tuple[int, ...] | None
    is_theme: bool = False


@dataclass(frozen=True)
class CrossTable:
    """A built attribute or cross table, ready for any exporter."""

    id: str
    caption: str
    #: Respondents fed (documents, for a cross table counting documents or mentions); None when the caption has no {n}.
    n: int | None
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[CrossRow, ...]
    #: Column sums of the count rows (theme rows have none), or None for a table without a "Totaal" row.
    totals: tuple[int, ...] | None

    def as_json(self) -> dict[str, Any]:
        """The table as plain data: id, caption, n, row_header, columns, rows (label, values; theme rows flagged) and totals."""
        return {
            "id": self.id,
            "caption": self.caption,
            "n": self.n,
            "row_header": self.row_header,
            "columns": list(self.columns),
            "rows": [
                {
                    "label": row.label,
                    "values": None if row.values is None else list(row.values),
                    **({"theme": True} if row.is_theme else {}),
                }
                for row in self.rows
            ],
            "totals": None if self.totals is None else list(self.totals),
        }


#: A built table of any kind.
AnyTable: TypeAlias = Table | CrossTable


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts "2" before "10" and ignores case."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.lower()) for part in re.split(r"(\d+)", text) if part)


def _ordered(seen: Iterable[str], printed: Sequence[str]) -> tuple[str, ...]:
    """The printed order first (every listed label, seen or not), then the other labels seen, naturally sorted."""
    listed = list(dict.fromkeys(printed))
    return tuple(listed + sorted(set(seen) - set(listed), key=_natural))


def _label(values: Mapping[str, Mapping[str, str]], key: str, document: FedDocument) -> str:
    raw = document.attributes.get(key)
    if raw is None or not raw.strip():
        return MISSING_LABEL
    return values.get(key, {}).get(raw, raw)


def _check_attributes(conn: Connection, table_id: str, keys: Iterable[str | None]) -> None:
    known = attribute_keys(conn)
    for key in keys:
        if key is not None and key not in known:
            listed = ", ".join(sorted(known)) if known else "none"
            raise TableError(f"table {table_id}: unknown attribute {key!r} (attributes in this project: {listed})")


def _caption(caption: str, n: int) -> tuple[str, int | None]:
    """The caption with {n} filled in, and n when the caption shows it (as for coding tables)."""
    return caption.replace("{n}", str(n)), n if "{n}" in caption else None


def _totals(rows: Sequence[CrossRow], width: int, wanted: bool) -> tuple[int, ...] | None:
    if not wanted:
        return None
    counted = [row.values for row in rows if row.values is not None]
    return tuple(sum(values[index] for values in counted) for index in range(width))


def build_attribute_table_in(
    conn: Connection, definition: AttributeTableDefinition, data: TableData | None = None
) -> CrossTable:
    """Count the respondents fed per row value (and column value) inside an open read transaction (and `data` read from it)."""
    _check_attributes(conn, definition.id, (definition.rows, definition.columns))
    respondents: dict[tuple[str, str], set[str]] = {}
    fed = feeding_documents(conn, definition.source, data)
    for document in fed:
        row = _label(definition.values, definition.rows, document)
        column = definition.column_label if definition.columns is None else _label(definition.values, definition.columns, document)
        respondents.setdefault((row, column), set()).add(document.respondent)
    row_labels = _ordered((row for row, _ in respondents), definition.row_order)
    if definition.columns is None:
        columns: tuple[str, ...] = (definition.column_label,)
    else:
        columns = _ordered((column for _, column in respondents), definition.column_order)
    rows = tuple(
        CrossRow(label, tuple(len(respondents.get((label, column), ())) for column in columns)) for label in row_labels
    )
    caption, n = _caption(definition.caption, len({document.respondent for document in fed}))
    return CrossTable(
        id=definition.id,
        caption=caption,
        n=n,
        row_header=definition.rows if definition.row_header is None else definition.row_header,
        columns=columns,
        rows=rows,
        totals=_totals(rows, len(columns), definition.totals),
    )


def _coded(data: TableData, definition: CrossTableDefinition, fed: Sequence[FedDocument]) -> list[tuple[str, int, int]]:
    """(code id, document id, mentions) for every code in the fed documents, by the definition's coder if it names one."""
    fed_ids = {document.id for document in fed}
    return [
        (code_id, document_id, mentions)
        for code_id, documents in data.mentions(definition.coder).items()
        for document_id, mentions in documents
        if document_id in fed_ids
    ]


def build_cross_table_in(
    conn: Connection, book: Codebook, definition: CrossTableDefinition, data: TableData | None = None
) -> CrossTable:
    """Count each theme's items per column value inside an open read transaction (and `data` read from it)."""
    data = data or TableData(conn)
    for theme_id in definition.themes:
        if theme_id not in book.by_id:
            raise TableError(f"table {definition.id}: unknown theme code {theme_id!r}")
    _check_attributes(conn, definition.id, (definition.columns,))
    fed = feeding_documents(conn, definition.source, data)
    by_id = {document.id: document for document in fed}
    column_of = {document.id: _label(definition.values, definition.columns, document) for document in fed}
    columns = _ordered(column_of.values(), definition.column_order)
    children = {theme_id: [code.id for code in book.children(theme_id)] for theme_id in definition.themes}
    wanted = {code_id for ids in children.values() for code_id in ids}
    # Per (item, column): the respondents or documents coded, or the number of mentions.
    counted: dict[tuple[str, str], set[str | int]] = {}
    mentioned: dict[tuple[str, str], int] = {}
    for code_id, document_id, mentions in _coded(data, definition, fed):
        if code_id not in wanted:
            continue
        cell = (code_id, column_of[document_id])
        mentioned[cell] = mentioned.get(cell, 0) + mentions
        who: str | int = by_id[document_id].respondent if definition.unit is Unit.RESPONDENTS else document_id
        counted.setdefault(cell, set()).add(who)

    def count(code_id: str, column: str) -> int:
        if definition.unit is Unit.MENTIONS:
            return mentioned.get((code_id, column), 0)
        return len(counted.get((code_id, column), ()))

    rows: list[CrossRow] = []
    for theme_id in definition.themes:
        items = [(code_id, tuple(count(code_id, column) for column in columns)) for code_id in children[theme_id]]
        items = [(code_id, values) for code_id, values in items if any(values)]
        if definition.order is Order.COUNT:
            items.sort(key=lambda item: -sum(item[1]))  # stable: ties keep codebook order
        if items:
            rows.append(CrossRow(book.get(theme_id).name, None, is_theme=True))
            rows += [CrossRow(book.get(code_id).name, values) for code_id, values in items]
    n = len({document.respondent for document in fed}) if definition.unit is Unit.RESPONDENTS else len(fed)
    caption, shown_n = _caption(definition.caption, n)
    return CrossTable(
        id=definition.id,
        caption=caption,
        n=shown_n,
        row_header=definition.row_header,
        columns=columns,
        rows=tuple(rows),
        totals=_totals(rows, len(columns), definition.totals),
    )


def build_in(conn: Connection, book: Codebook, definition: AnyDefinition, data: TableData | None = None) -> AnyTable:
    """Build a table of any kind inside an open read transaction; tables built together share `data` read from it."""
    if isinstance(definition, AttributeTableDefinition):
        return build_attribute_table_in(conn, definition, data)
    if isinstance(definition, CrossTableDefinition):
        return build_cross_table_in(conn, book, definition, data)
    return build_table_in(conn, book, definition, data)


def build_one(store: Store, definition: AnyDefinition) -> AnyTable:
    """Build one table of any kind from the project's current coding."""
    with store.reading() as conn:
        return build_in(conn, load_codebook(conn), definition)


def build_any(store: Store, definitions: Sequence[AnyDefinition]) -> list[AnyTable]:
    """Build every table, of any kind, in order, from one consistent snapshot of the project."""
    with store.reading() as conn:
        book = load_codebook(conn)
        data = TableData(conn)  # the documents and coding counts, read once for every table
        return [build_in(conn, book, definition, data) for definition in definitions]
