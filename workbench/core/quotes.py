"""Quote lists: one row per coded passage with its respondent, question and code path, for filtering in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, select

from workbench.core import schema
from workbench.core.codebook import load_codebook
from workbench.core.codings import CodedSegment, iter_segments
from workbench.core.model import CaseAttributes
from workbench.core.pages import PAGE_STARTS_KEY, PAGES_KEY, page_at
from workbench.core.store import Store

#: The columns of a quote row, in the order a spreadsheet shows them.
QUOTE_COLUMNS = (
    "document", "respondent", "respondent_group", "function", "wave", "question",
    "dimension", "theme", "code", "code_id", "coder", "start", "end", "text", "memo",
)
#: Respondent attributes a document's own attribute may override (a questionnaire answer carries its wave).
_RESPONDENT_KEYS = ("respondent_group", "function", "wave")
#: Document attributes the importer keeps for itself; "question" has its own column, a PDF's page starts give "page".
_INTERNAL_KEYS = frozenset({"question", "question_id", "source_row", PAGES_KEY, PAGE_STARTS_KEY})


def quote_columns(rows: Iterable[Mapping[str, str]]) -> tuple[str, ...]:
    """The header for these rows: the fixed columns, with every other attribute (Wijk, …) after "question", sorted."""
    return quote_columns_of({key for row in rows for key in row})


def quote_columns_of(keys: Iterable[str]) -> tuple[str, ...]:
    """The header for rows that have these keys between them (see `quote_columns`)."""
    fixed = set(QUOTE_COLUMNS)
    extra = sorted({key for key in keys if key not in fixed})
    at = QUOTE_COLUMNS.index("question") + 1
    return (*QUOTE_COLUMNS[:at], *extra, *QUOTE_COLUMNS[at:])


def quote_rows(
    store: Store, *, coder: str | None = None, code_ids: Sequence[str] | None = None, strip_speaker: bool = False
) -> list[dict[str, str]]:
    """One row per coded segment (of one coder, of the given codes and the codes below them), by document and start.

    Every attribute of the respondent and the document is a column (see `quote_columns`); `strip_speaker` drops a
    speaker label the passage starts with ("Deelnemer: "), for quoting in a report.
    """
    with quote_stream(store, coder=coder, code_ids=code_ids, strip_speaker=strip_speaker) as stream:
        rows = list(stream)
    for key in quote_columns(rows):
        for row in rows:
            row.setdefault(key, "")
    # The stream already orders by document name and offsets; sorting again states the contract here.
    rows.sort(key=lambda row: (row["document"], int(row["start"])))
    return rows


@contextmanager
def quote_stream(
    store: Store, *, coder: str | None = None, code_ids: Sequence[str] | None = None, strip_speaker: bool = False
) -> Iterator[Iterator[dict[str, str]]]:
    """`quote_rows` one row at a time, by document and offsets, read from one snapshot while the block runs.

    A row has only the attribute columns its own respondent and document have (fill the others in from
    `quote_columns`); an export of a large project holds one batch of codings and one document's text at a time.
    """
    wanted: set[str] | None = None
    with store.reading() as conn:
        book = load_codebook(conn)
        if code_ids is not None:
            # A theme stands for its items too: asking for "M.b.t. team" gives every quote filed under it.
            wanted = {book.get(code_id).id for code_id in code_ids}
            wanted |= {code.id for code_id in code_ids for _, code in book.walk(code_id)}
        respondents = _respondents(conn)
        documents, attributes = _document_details(conn)
        speakers = _speakers(conn) if strip_speaker else {}
        segments = iter_segments(conn, book, code_ids=wanted, coder=coder)
        yield _quote_rows(segments, respondents, documents, attributes, speakers, strip_speaker)


def _quote_rows(
    segments: Iterable[CodedSegment],
    respondents: Mapping[str, Mapping[str, str]],
    documents: Mapping[int, str | None],
    attributes: Mapping[int, Mapping[str, str]],
    speakers: Mapping[int, tuple[str, ...]],
    strip_speaker: bool,
) -> Iterator[dict[str, str]]:
    no_attributes: Mapping[str, str] = {}
    for segment in segments:
        coding = segment.coding
        case_id = documents.get(coding.document_id)
        own = attributes.get(coding.document_id, no_attributes)
        merged = {**respondents.get(case_id or "", no_attributes), **own}
        path = segment.code_path
        yield {
            "document": segment.document,
            "respondent": case_id or "",
            **{key: merged.get(key, "") for key in _RESPONDENT_KEYS},
            "question": own.get("question", ""),
            "dimension": path[0] if path else "",
            "theme": path[1] if len(path) > 1 else "",
            "code": " / ".join(path[2:]),
            "code_id": coding.code_id,
            "coder": coding.coder,
            "start": str(coding.start),
            "end": str(coding.end),
            "text": _without_speaker(segment.text, speakers.get(coding.document_id, ())) if strip_speaker else segment.text,
            "memo": coding.memo,
            **{_column(key): value for key, value in merged.items() if key not in _RESPONDENT_KEYS and key not in _INTERNAL_KEYS},
            **({"page": str(page)} if (page := page_at(own, coding.start)) is not None else {}),
        }


def _column(key: str) -> str:
    """An attribute's column name; one that clashes with a fixed column says it is an attribute."""
    return f"{key} (attribute)" if key in QUOTE_COLUMNS else key


def _without_speaker(text: str, labels: Sequence[str]) -> str:
    """The passage without a leading "Label:" of one of the document's speakers."""
    stripped = text.lstrip()
    for label in sorted(labels, key=len, reverse=True):
        if stripped.startswith(f"{label}:"):
            return stripped[len(label) + 1 :].lstrip()
    return text


def _speakers(conn: Connection) -> dict[int, tuple[str, ...]]:
    """Each transcript's speaker labels, from its turns."""
    t = schema.turns
    found: dict[int, set[str]] = {}
    for document_id, speaker in conn.execute(select(t.c.document_id, t.c.speaker).distinct()):
        if speaker:
            found.setdefault(int(document_id), set()).add(str(speaker))
    return {document_id: tuple(labels) for document_id, labels in found.items()}


def _respondents(conn: Connection) -> dict[str, dict[str, str]]:
    """Each case's attributes, as `cases` gives them (CaseAttributes.as_dict)."""
    ca = schema.case_attributes
    flat: dict[str, dict[str, str]] = {}
    for case_id, key, value in conn.execute(select(ca.c.case_id, ca.c.key, ca.c.value)):
        flat.setdefault(case_id, {})[key] = value
    return {case_id: CaseAttributes.from_dict(values).as_dict() for case_id, values in flat.items()}


def _document_details(conn: Connection) -> tuple[dict[int, str | None], dict[int, dict[str, str]]]:
    """Each document's case id and its own attributes (question, wave...)."""
    d, da = schema.documents, schema.document_attributes
    case_of = {int(i): case_id for i, case_id in conn.execute(select(d.c.id, d.c.case_id))}
    attributes: dict[int, dict[str, str]] = {}
    for document_id, key, value in conn.execute(select(da.c.document_id, da.c.key, da.c.value)):
        attributes.setdefault(int(document_id), {})[key] = value
    return case_of, attributes
