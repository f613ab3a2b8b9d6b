"""The report's tables built from coded data: theme rows, item rows and "Aantal (n)", or quotes per theme.

A table definition says which documents feed it (by name pattern, kind, question, respondent group,
wave or any attribute), which themes of the codebook it shows in which order, what it counts
(respondents, documents or mentions) and whose coding (one coder, e.g. the consensus). The codings are counted
per code and document in one SQL aggregation per coder, shared by every table of a build (`TableData`), so a
tables.yaml over hundreds of thousands of codings builds in well under a second.
"""

from __future__ import annotations

import enum
import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection, func, select

from workbench.core import schema
from workbench.core.codebook import Codebook
from workbench.core.codings import load_segments
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
    #: Each fed document's respondent (see FedDocument.respondent).
    respondent_of: Mapping[int, str]


@dataclass(frozen=True)
class FedDocument:
    """A document that feeds a table: its id, its respondent and its attributes (the case's, then the document's own)."""

    id: int
    #: The document's case, or "document:<id>" for a document without a case (it counts as a respondent of its own).
    respondent: str
    attributes: Mapping[str, str]


#: The attributes of a document that has none.
_NO_ATTRIBUTES: Mapping[str, str] = MappingProxyType({})


class TableData:
    """What tables read from one snapshot, read once however many tables of a tables.yaml are built from it.

    Every table needs the documents (to choose the fed ones) and the codings counted per code and document; reading
    them once per build instead of once per table, and the attributes only when a table asks for them, keeps a whole
    tables.yaml on a project of 26,000 documents and 200,000 codings under a second. Lives as long as the read
    transaction it reads from.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._documents: list[tuple[int, str, str, str | None]] | None = None
        self._attributes: dict[int, Mapping[str, str]] | None = None
        self._mentions: dict[str | None, dict[str, list[tuple[int, int]]]] = {}
        self._feeds: dict[Source, _Feed] = {}

    def documents(self) -> list[tuple[int, str, str, str | None]]:
        """Every document's id, name, kind and case id, by name."""
        if self._documents is None:
            d = schema.documents
            rows = self.conn.execute(select(d.c.id, d.c.name, d.c.kind, d.c.case_id).order_by(d.c.name)).all()
            self._documents = [(int(i), name, kind, case_id) for i, name, kind, case_id in rows]
        return self._documents

    def attributes(self) -> dict[int, Mapping[str, str]]:
        """Each document's attributes: its case's, overridden by its own (an answer's question, its wave)."""
        if self._attributes is None:
            da, ca = schema.document_attributes, schema.case_attributes
            own: dict[int, dict[str, str]] = {}
            for document_id, key, value in self.conn.execute(select(da.c.document_id, da.c.key, da.c.value)).all():
                own.setdefault(document_id, {})[key] = value
            case_values: dict[str, dict[str, str]] = {}
            for case_id, key, value in self.conn.execute(select(ca.c.case_id, ca.c.key, ca.c.value)).all():
                case_values.setdefault(case_id, {})[key] = value
            self._attributes = {
                document_id: {**case_values.get(case_id or "", _NO_ATTRIBUTES), **own.get(document_id, _NO_ATTRIBUTES)}
                for document_id, _, _, case_id in self.documents()
            }
        return self._attributes

    def mentions(self, coder: str | None) -> dict[str, list[tuple[int, int]]]:
        """Per code, (document id, number of codings) for every document coded with it, by one coder or by all."""
        found = self._mentions.get(coder)
        if found is None:
            c, k = schema.codings, schema.coders
            # Grouped by document first: SQLite then walks the document index instead of sorting every coding.
            query = select(c.c.code_id, c.c.document_id, func.count()).group_by(c.c.document_id, c.c.code_id)
            if coder is not None:
                query = query.join(k, k.c.id == c.c.coder_id).where(k.c.name == coder)
            found = {}
            for code_id, document_id, count in self.conn.execute(query).all():
                found.setdefault(code_id, []).append((document_id, int(count)))
            self._mentions[coder] = found
        return found

    def feed(self, source: Source) -> _Feed:
        """The documents fed by a source and their respondents, chosen once per source."""
        found = self._feeds.get(source)
        if found is None:
            respondent_of = {document.id: document.respondent for document in _choose(self, source, with_attributes=False)}
            found = self._feeds[source] = _Feed(tuple(respondent_of), len(set(respondent_of.values())), respondent_of)
        return found


def feeding_documents(conn: Connection, source: Source, data: TableData | None = None) -> list[FedDocument]:
    """The documents whose name, kind, question and case/document attributes match the source, by name."""
    return _choose(data or TableData(conn), source, with_attributes=True)


def _choose(data: TableData, source: Source, *, with_attributes: bool) -> list[FedDocument]:
    """The fed documents; their attributes are read only when a filter or the caller needs them."""
    wanted = dict(source.attributes)
    if source.question is not None:
        wanted["question_id"] = source.question
    if source.respondent_group is not None:
        wanted["respondent_group"] = source.respondent_group
    if source.wave is not None:
        wanted["wave"] = source.wave
    attributes = data.attributes() if with_attributes or wanted else None
    every_name = source.documents == "*"
    chosen: list[FedDocument] = []
    for document_id, name, kind, case_id in data.documents():
        if not every_name and not fnmatch.fnmatchcase(name, source.documents):
            continue
        if source.kinds and kind not in source.kinds:
            continue
        merged = _NO_ATTRIBUTES if attributes is None else attributes[document_id]
        if wanted and any(merged.get(key) != value for key, value in wanted.items()):
            continue
        # A document without a case counts as a respondent of its own.
        chosen.append(FedDocument(document_id, case_id or f"document:{document_id}", merged))
    return chosen


def attribute_keys(conn: Connection) -> set[str]:
    """Every attribute key any case or document of the project has."""
    d, c = schema.document_attributes, schema.case_attributes
    keys = {key for (key,) in conn.execute(select(d.c.key).distinct())}
    return keys | {key for (key,) in conn.execute(select(c.c.key).distinct())}


def _theme_ids(book: Codebook, definition: TableDefinition) -> list[str]:
    for theme_id in definition.themes:
        if theme_id not in book.by_id:
            raise TableError(f"table {definition.id}: unknown theme code {theme_id!r}")
    return list(definition.themes)


def _counts(data: TableData, definition: TableDefinition, feed: _Feed, code_ids: Sequence[str]) -> dict[str, int]:
    """Per code, the respondents (documents, codings) of the fed documents coded with it; codes counted 0 left out."""
    mentions = data.mentions(definition.coder)
    counts: dict[str, int] = {}
    for code_id in dict.fromkeys(code_ids):
        fed = [(document_id, n) for document_id, n in mentions.get(code_id, ()) if document_id in feed.respondent_of]
        if definition.unit is Unit.MENTIONS:
            counted = sum(n for _, n in fed)
        elif definition.unit is Unit.DOCUMENTS:
            counted = len(fed)
        else:
            counted = len({feed.respondent_of[document_id] for document_id, _ in fed})
        if counted:
            counts[code_id] = counted
    return counts


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


def build_table_in(conn: Connection, book: Codebook, definition: TableDefinition, data: TableData | None = None) -> Table:
    """Build one table inside an open read transaction (many tables share one snapshot, and `data` read from it)."""
    data = data or TableData(conn)
    feed = data.feed(definition.source)
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
        counts = _counts(data, definition, feed, [code_id for ids in children.values() for code_id in ids])
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
