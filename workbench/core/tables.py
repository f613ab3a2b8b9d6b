"""The report's tables built from coded data: theme rows, item rows and "Aantal (n)", or quotes per theme.

A table definition says which documents feed it (by name pattern, kind, question, respondent group,
wave or any attribute), which themes of the codebook it shows in which order, what it counts
(respondents, documents or mentions) and whose coding (one coder, e.g. the consensus). Counting is one
SQL aggregation, so a table over hundreds of thousands of codings builds in well under a second.
"""

from __future__ import annotations

import enum
import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, String, func, literal, select

from workbench.core import schema
from workbench.core.codebook import Codebook
from workbench.core.codings import load_segments
from workbench.core.idsets import id_set
from workbench.errors import WorkbenchError


class TableError(WorkbenchError):
    """A table definition that cannot be built."""

    title = "Tables"


class Unit(enum.StrEnum):
    """What "Aantal (n)" counts."""

    RESPONDENTS = "respondents"
    DOCUMENTS = "documents"
    MENTIONS = "mentions"


class Order(enum.StrEnum):
    """How items are ordered under their theme."""

    CODEBOOK = "codebook"
    COUNT = "count"


@dataclass(frozen=True)
class Source:
    """Which documents feed a table; every given filter must hold."""

    documents: str = "*"
    kinds: tuple[str, ...] = ()
    question: str | None = None
    respondent_group: str | None = None
    wave: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class TableDefinition:
    """One table of the report, as written in a project's tables.yaml."""

    id: str
    caption: str
    source: Source
    themes: tuple[str, ...]
    counts: bool = True
    quotes: bool = False
    unit: Unit = Unit.RESPONDENTS
    order: Order = Order.CODEBOOK
    coder: str | None = None


@dataclass(frozen=True)
class TableItem:
    """An item row: a code's name (or, in a quote table, a coded passage) and its count."""

    text: str
    count: int | None
    code_id: str | None = None
    document: str | None = None
    start: int | None = None


@dataclass(frozen=True)
class TableTheme:
    """A theme row ("M.b.t. team") with its items."""

    theme: str
    code_id: str
    items: tuple[TableItem, ...]


@dataclass(frozen=True)
class Table:
    """A built table, ready for any exporter."""

    id: str
    caption: str
    n: int | None
    counts: bool
    quotes: bool
    themes: tuple[TableTheme, ...]

    def as_json(self) -> dict[str, Any]:
        """The shape of a `coding_tables` entry of the reference transcription: id, caption, n, themes → items."""
        return {
            "id": self.id,
            "caption": self.caption,
            "n": self.n,
            "themes": [
                {"theme": theme.theme, "items": [{"text": item.text, "count": item.count} for item in theme.items]}
                for theme in self.themes
            ],
        }


@dataclass(frozen=True)
class _Feed:
    document_ids: tuple[int, ...]
    respondents: int


@dataclass(frozen=True)
class FedDocument:
    """A document that feeds a table: its id, its respondent and its attributes (the case's, then the document's own)."""

    id: int
    #: The document's case, or "document:<id>" for a document without a case (it counts as a respondent of its own).
    respondent: str
    attributes: Mapping[str, str]


def feeding_documents(conn: Connection, source: Source) -> list[FedDocument]:
    """The documents whose name, kind, question and case/document attributes match the source, by name."""
    d, da, ca = schema.documents, schema.document_attributes, schema.case_attributes
    attributes: dict[int, dict[str, str]] = {}
    for document_id, key, value in conn.execute(select(da.c.document_id, da.c.key, da.c.value)):
        attributes.setdefault(document_id, {})[key] = value
    case_values: dict[str, dict[str, str]] = {}
    for case_id, key, value in conn.execute(select(ca.c.case_id, ca.c.key, ca.c.value)):
        case_values.setdefault(case_id, {})[key] = value
    wanted = dict(source.attributes)
    if source.question is not None:
        wanted["question_id"] = source.question
    if source.respondent_group is not None:
        wanted["respondent_group"] = source.respondent_group
    if source.wave is not None:
        wanted["wave"] = source.wave
    chosen: list[FedDocument] = []
    for document_id, name, kind, case_id in conn.execute(select(d.c.id, d.c.name, d.c.kind, d.c.case_id).order_by(d.c.name)):
        if not fnmatch.fnmatchcase(name, source.documents):
            continue
        if source.kinds and kind not in source.kinds:
            continue
        # A document's own attribute (an answer's question, its wave) wins over its case's.
        merged = {**case_values.get(case_id or "", {}), **attributes.get(document_id, {})}
        if any(merged.get(key) != value for key, value in wanted.items()):
            continue
        chosen.append(FedDocument(document_id, case_id or f"document:{document_id}", merged))
    return chosen


def attribute_keys(conn: Connection) -> set[str]:
    """Every attribute key any case or document of the project has."""
    d, c = schema.document_attributes, schema.case_attributes
    keys = {key for (key,) in conn.execute(select(d.c.key).distinct())}
    return keys | {key for (key,) in conn.execute(select(c.c.key).distinct())}


def _feeding_documents(conn: Connection, source: Source) -> _Feed:
    """The documents whose name, kind, question and case/document attributes match the source."""
    chosen = feeding_documents(conn, source)
    return _Feed(tuple(document.id for document in chosen), len({document.respondent for document in chosen}))


def _theme_ids(book: Codebook, definition: TableDefinition) -> list[str]:
    for theme_id in definition.themes:
        if theme_id not in book.by_id:
            raise TableError(f"table {definition.id}: unknown theme code {theme_id!r}")
    return list(definition.themes)


def _counts(conn: Connection, definition: TableDefinition, feed: _Feed, code_ids: Sequence[str]) -> dict[str, int]:
    c, d, k = schema.codings, schema.documents, schema.coders
    if definition.unit is Unit.MENTIONS:
        counted: Any = func.count()
    elif definition.unit is Unit.DOCUMENTS:
        counted = func.count(func.distinct(c.c.document_id))
    else:
        # A document without a case counts as a respondent of its own.
        respondent = func.coalesce(d.c.case_id, literal("document:") + func.cast(d.c.id, String))
        counted = func.count(func.distinct(respondent))
    # Every code in the fed documents is counted and the table's are picked here: a `code_id IN (...)`
    # filter makes SQLite walk the code index instead of the documents and is five times slower.
    wanted = set(code_ids)
    with id_set(conn, feed.document_ids) as fed:
        query = (
            select(c.c.code_id, counted)
            .join(d, d.c.id == c.c.document_id)
            .join(fed, fed.c.id == c.c.document_id)
            .join(k, k.c.id == c.c.coder_id)
            .group_by(c.c.code_id)
        )
        if definition.coder is not None:
            query = query.where(k.c.name == definition.coder)
        return {code_id: int(n) for code_id, n in conn.execute(query) if code_id in wanted}


def _quotes(
    conn: Connection, book: Codebook, definition: TableDefinition, feed: _Feed, code_ids: Sequence[str]
) -> dict[str, list[TableItem]]:
    """The coded passages of the fed documents per code, in document and text order."""
    fed = set(feed.document_ids)
    quotes: dict[str, list[TableItem]] = {}
    for segment in load_segments(conn, book, code_ids=code_ids, coder=definition.coder):
        coding = segment.coding
        if coding.document_id in fed:
            quotes.setdefault(coding.code_id, []).append(TableItem(segment.text, None, coding.code_id, segment.document, coding.start))
    return quotes


def build_table_in(conn: Connection, book: Codebook, definition: TableDefinition) -> Table:
    """Build one table inside an open read transaction (many tables share one snapshot)."""
    feed = _feeding_documents(conn, definition.source)
    themes: list[TableTheme] = []
    theme_ids = _theme_ids(book, definition)
    if definition.quotes:
        # Quote tables: the theme is the code, its coded passages (and its sub-codes') are the items.
        below = {theme_id: [theme_id] + [code.id for _, code in book.walk(theme_id)] for theme_id in theme_ids}
        quotes = _quotes(conn, book, definition, feed, [code_id for ids in below.values() for code_id in ids])
        for theme_id in theme_ids:
            quoted = sorted(
                (item for code_id in below[theme_id] for item in quotes.get(code_id, [])),
                key=lambda item: (item.document or "", item.start or 0),
            )
            if quoted:
                themes.append(TableTheme(book.get(theme_id).name, theme_id, tuple(quoted)))
    else:
        children = {theme_id: [code.id for code in book.children(theme_id)] for theme_id in theme_ids}
        counts = _counts(conn, definition, feed, [code_id for ids in children.values() for code_id in ids])
        for theme_id in theme_ids:
            rows = [(code_id, counts[code_id]) for code_id in children[theme_id] if counts.get(code_id)]
            if definition.order is Order.COUNT:
                rows.sort(key=lambda row: -row[1])  # stable: ties keep codebook order
            items = tuple(TableItem(book.get(code_id).name, n if definition.counts else None, code_id) for code_id, n in rows)
            if items:
                themes.append(TableTheme(book.get(theme_id).name, theme_id, items))
    caption_has_n = "{n}" in definition.caption
    n = feed.respondents if definition.unit is Unit.RESPONDENTS else len(feed.document_ids)
    return Table(
        id=definition.id,
        caption=definition.caption.replace("{n}", str(n)),
        n=n if caption_has_n else None,
        counts=definition.counts and not definition.quotes,
        quotes=definition.quotes,
        themes=tuple(themes),
    )
