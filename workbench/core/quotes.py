"""Quote lists: one row per coded passage with its respondent, question and code path, for filtering in a spreadsheet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select

from workbench.core import schema
from workbench.core.codebook import codebook
from workbench.core.codings import coded_segments
from workbench.core.corpus import cases
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


def quote_columns(rows: Sequence[Mapping[str, str]]) -> tuple[str, ...]:
    """The header for these rows: the fixed columns, with every other attribute (Wijk, …) after "question", sorted."""
    fixed = set(QUOTE_COLUMNS)
    extra = sorted({key for row in rows for key in row if key not in fixed})
    at = QUOTE_COLUMNS.index("question") + 1
    return (*QUOTE_COLUMNS[:at], *extra, *QUOTE_COLUMNS[at:])


def quote_rows(
    store: Store, *, coder: str | None = None, code_ids: Sequence[str] | None = None, strip_speaker: bool = False
) -> list[dict[str, str]]:
    """One row per coded segment (of one coder, of the given codes and the codes below them), by document and start.

    Every attribute of the respondent and the document is a column (see `quote_columns`); `strip_speaker` drops a
    speaker label the passage starts with ("Deelnemer: "), for quoting in a report.
    """
    wanted: set[str] | None = None
    if code_ids is not None:
        book = codebook(store)
        # A theme stands for its items too: asking for "M.b.t. team" gives every quote filed under it.
        wanted = {book.get(code_id).id for code_id in code_ids}
        wanted |= {code.id for code_id in code_ids for _, code in book.walk(code_id)}
    respondents = {case.id: case.attributes.as_dict() for case in cases(store)}
    documents, attributes = _document_details(store)
    speakers = _speakers(store) if strip_speaker else {}
    rows: list[dict[str, str]] = []
    for segment in coded_segments(store):
        coding = segment.coding
        if coder is not None and coding.coder != coder:
            continue
        if wanted is not None and coding.code_id not in wanted:
            continue
        case_id = documents.get(coding.document_id)
        own = attributes.get(coding.document_id, {})
        merged = {**respondents.get(case_id or "", {}), **own}
        path = segment.code_path
        rows.append({
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
        })
    for key in quote_columns(rows):
        for row in rows:
            row.setdefault(key, "")
    # coded_segments already orders by document name and offsets; sorting again states the contract here.
    rows.sort(key=lambda row: (row["document"], int(row["start"])))
    return rows


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


def _speakers(store: Store) -> dict[int, tuple[str, ...]]:
    """Each transcript's speaker labels, from its turns."""
    t = schema.turns
    found: dict[int, set[str]] = {}
    with store.reading() as conn:
        for document_id, speaker in conn.execute(select(t.c.document_id, t.c.speaker).distinct()):
            if speaker:
                found.setdefault(int(document_id), set()).add(str(speaker))
    return {document_id: tuple(labels) for document_id, labels in found.items()}


def _document_details(store: Store) -> tuple[dict[int, str | None], dict[int, dict[str, str]]]:
    """Each document's case id and its own attributes (question, wave...)."""
    d, da = schema.documents, schema.document_attributes
    with store.reading() as conn:
        case_of = {int(i): case_id for i, case_id in conn.execute(select(d.c.id, d.c.case_id))}
        attributes: dict[int, dict[str, str]] = {}
        for document_id, key, value in conn.execute(select(da.c.document_id, da.c.key, da.c.value)):
            attributes.setdefault(int(document_id), {})[key] = value
    return case_of, attributes
