"""Searching a project: text across documents, every segment coded with a code, and codes that co-occur."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from workbench.core import schema
from workbench.core.codebook import Codebook, load_codebook
from workbench.core.codings import CodedSegment, load_segments
from workbench.core.matching import did_you_mean
from workbench.core.store import Store
from workbench.errors import WorkbenchError


class SearchError(WorkbenchError):
    """A search cannot run: an invalid regular expression, an unknown document or coder."""

    title = "Search"


@dataclass(frozen=True)
class Hit:
    """One match of a text search: `text[start:end] == match`; `before`/`after` are context on one line."""

    document: str
    start: int
    end: int
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class CoOccurrence:
    """Two overlapping codings in one document: the union span [start, end), its text, and both segments."""

    document: str
    start: int
    end: int
    text: str
    segment_a: CodedSegment
    segment_b: CodedSegment


# Every line-breaking character becomes one space, so context fits on one line and keeps its length.
_FLATTEN = str.maketrans({ch: " " for ch in "\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029"})


def one_line(text: str) -> str:
    """The text with line breaks and tabs shown as spaces, character for character."""
    return text.translate(_FLATTEN)


def compile_pattern(pattern: str, *, regex: bool = False, case_sensitive: bool = False) -> re.Pattern[str]:
    """The compiled search pattern; an invalid regular expression becomes a one-line SearchError."""
    # MULTILINE so ^ and $ anchor at line starts, which is how transcripts are read ("^R:").
    flags = re.MULTILINE if case_sensitive else re.MULTILINE | re.IGNORECASE
    try:
        return re.compile(pattern if regex else re.escape(pattern), flags)
    except re.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        raise SearchError(f"invalid regular expression {pattern!r}: {exc.msg}{where}") from None


def search_text(
    store: Store,
    pattern: str,
    *,
    regex: bool = False,
    case_sensitive: bool = False,
    documents: Sequence[str] | None = None,
    context: int = 40,
    limit: int = 1000,
) -> list[Hit]:
    """Every match of `pattern` in the documents (all, or those named), by document name and offset, at most `limit`.

    Matching runs on the stored text itself rather than a lowered copy, because lowering can change a
    string's length ("İ") and the offsets must stay exact. Empty matches (e.g. of `x*`) are skipped:
    they cannot be shown or selected.
    """
    if context < 0 or limit < 0:
        raise ValueError("context and limit must not be negative")
    if not pattern or limit == 0:
        return []
    compiled = compile_pattern(pattern, regex=regex, case_sensitive=case_sensitive)
    d = schema.documents
    query = select(d.c.name, d.c.text).order_by(d.c.name)
    if documents is not None:
        query = query.where(d.c.name.in_(list(documents)))
    with store.reading() as conn:
        rows = conn.execute(query).all()
        if documents is not None:
            _check_documents(conn, documents, {name for name, _ in rows})
    hits: list[Hit] = []
    for name, text in rows:
        for found in compiled.finditer(text):
            start, end = found.span()
            if start == end:
                continue
            hits.append(
                Hit(
                    document=name, start=start, end=end,
                    before=one_line(text[max(0, start - context) : start]),
                    match=found.group(),
                    after=one_line(text[end : end + context]),
                )
            )
            if len(hits) >= limit:
                return hits
    return hits


def _check_documents(conn: Connection, wanted: Sequence[str], found: set[str]) -> None:
    missing = [name for name in wanted if name not in found]
    if missing:
        d = schema.documents
        names = [n for (n,) in conn.execute(select(d.c.name).order_by(d.c.name))]
        raise SearchError(f"no document named {missing[0]!r}{did_you_mean(missing[0], names)}")


def _code_ids(book: Codebook, code_id: str, include_descendants: bool) -> set[str]:
    book.get(code_id)  # an unknown code is a CodebookError with suggestions
    if not include_descendants:
        return {code_id}
    return {code_id} | {code.id for _, code in book.walk(code_id)}


def _load_segments(conn: Connection, book: Codebook, code_ids: Collection[str], coder: str | None) -> list[CodedSegment]:
    """The segments coded with any of `code_ids` (by `coder`, or anyone); an unknown coder is named, not ignored."""
    if coder is not None:
        coder = coder.strip()
        known = [n for (n,) in conn.execute(select(schema.coders.c.name).order_by(schema.coders.c.name))]
        if coder not in known:
            raise SearchError(f"no coder named {coder!r} in this project{did_you_mean(coder, known)}")
    return load_segments(conn, book, code_ids=code_ids, coder=coder)


def segments_coded(
    store: Store, code_id: str, *, include_descendants: bool = True, coder: str | None = None
) -> list[CodedSegment]:
    """Every segment coded `code_id` (and, by default, any code below it), by `coder` or by anyone."""
    with store.reading() as conn:
        book = load_codebook(conn)
        return _load_segments(conn, book, _code_ids(book, code_id, include_descendants), coder)


def _overlaps(segments_a: Sequence[CodedSegment], segments_b: Sequence[CodedSegment]) -> list[CoOccurrence]:
    """Pairs (a, b) of different codings in the same document whose spans share at least one character."""
    by_document: dict[str, list[CodedSegment]] = {}
    for segment in segments_b:
        by_document.setdefault(segment.document, []).append(segment)
    starts = {name: [s.coding.start for s in segs] for name, segs in by_document.items()}  # sorted by the query
    seen: set[frozenset[int]] = set()
    found: list[CoOccurrence] = []
    for a in segments_a:
        candidates = by_document.get(a.document, [])
        # Only b's that start before a ends can overlap a; the rest are cut off by bisection.
        for b in candidates[: bisect_left(starts.get(a.document, []), a.coding.end)]:
            if b.coding.end <= a.coding.start or b.coding.id == a.coding.id:
                continue
            # A coding can sit in both groups (code_b below code_a, or a == b): report each pair once.
            key = frozenset((a.coding.id, b.coding.id))
            if key in seen:
                continue
            seen.add(key)
            start, end, text = _union(a, b)
            found.append(CoOccurrence(a.document, start, end, text, a, b))
    found.sort(key=lambda o: (o.document, o.start, o.end, o.segment_a.coding.id, o.segment_b.coding.id))
    return found


def _union(a: CodedSegment, b: CodedSegment) -> tuple[int, int, str]:
    """The union span of two overlapping segments and its text, pieced together from their texts."""
    first, second = (a, b) if a.coding.start <= b.coding.start else (b, a)
    # They overlap, so `second` starts inside `first`: its text past `first`'s end completes the union.
    tail = second.text[max(0, first.coding.end - second.coding.start) :]
    return first.coding.start, max(first.coding.end, second.coding.end), first.text + tail


def co_occurrence(
    store: Store, code_a: str, code_b: str, *, coder: str | None = None, include_descendants: bool = True
) -> list[CoOccurrence]:
    """Units coded with both codes: overlapping pairs of codings in one document, by `coder` or by any coders."""
    with store.reading() as conn:
        book = load_codebook(conn)
        ids_a = _code_ids(book, code_a, include_descendants)
        ids_b = _code_ids(book, code_b, include_descendants)
        segments = _load_segments(conn, book, ids_a | ids_b, coder)
    return _overlaps([s for s in segments if s.coding.code_id in ids_a], [s for s in segments if s.coding.code_id in ids_b])

