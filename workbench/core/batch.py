"""Many documents in one action: a spreadsheet of answers is imported whole or not at all, and undone in one step."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from sqlalchemy import select

from workbench.core import schema
from workbench.core.corpus import content_hash, ensure_cases
from workbench.core.matching import did_you_mean
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.store import Store, timestamp
from workbench.errors import AlreadyImportedError, ImportError_

#: Names and hashes are looked up in slices: SQLite limits how many values one statement may bind.
_LOOKUP_SLICE = 500


@dataclass(frozen=True)
class NewDocument:
    """One document to store with `add_documents`.

    `dedupe_key` is what the project's content hash is computed over (None: the text itself). Short answers
    need it: two respondents who both answer "Ja." must not count as one text imported twice, so an answer's
    key also says whose answer to which question it is.
    """

    name: str
    text: str
    kind: DocumentKind
    source: str = ""
    case_id: str | None = None
    case_attributes: CaseAttributes | None = None
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False)
    dedupe_key: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", MappingProxyType(dict(self.attributes)))

    @property
    def digest(self) -> str:
        """The value stored in the documents' content_hash column."""
        return content_hash(self.text if self.dedupe_key is None else self.dedupe_key)

    @property
    def label(self) -> str:
        """How errors name this document's origin: its source file, or its name if it has none."""
        return self.source or self.name


def add_documents(store: Store, items: Sequence[NewDocument], *, actor: str, summary: str) -> list[int]:
    """Store every item (with its case, case attributes and attributes) as one action; return the ids in order.

    Nothing is stored if any item is refused: an empty text, a name or content already in the project or
    twice in `items`, or one case given two different sets of attributes.
    """
    if not items:
        return []
    digests = [item.digest for item in items]
    _refuse_within_batch(items, digests)
    case_attributes = _case_attributes(items)
    d = schema.documents
    with store.action("import", actor, summary) as changes:
        conn = changes.conn
        names = [item.name for item in items]
        taken: dict[str, tuple[str, str]] = {}
        for chunk in _slices(names):
            query = select(d.c.name, d.c.content_hash, d.c.source).where(d.c.name.in_(chunk))
            taken.update((name, (digest, source)) for name, digest, source in conn.execute(query))
        if taken:
            _refuse_taken_names(items, digests, taken)
        for chunk in _slices(digests):
            stored = {digest: name for digest, name in conn.execute(select(d.c.content_hash, d.c.name).where(d.c.content_hash.in_(chunk)))}
            if stored:
                item, digest = next((i, h) for i, h in zip(items, digests, strict=True) if h in stored)
                raise AlreadyImportedError(
                    f"{item.label}: already imported ({item.name!r} has the same content as {stored[digest]!r} in the project)"
                )
        ensure_cases(changes, case_attributes)
        now = timestamp()
        document_ids = changes.insert_many(
            d,
            [
                {"name": item.name, "kind": item.kind.value, "text": item.text, "content_hash": digest,
                 "case_id": item.case_id, "source": item.source, "imported": now}
                for item, digest in zip(items, digests, strict=True)
            ],
        )
        changes.insert_many(
            schema.document_attributes,
            [
                {"document_id": document_id, "key": key, "value": value}
                for item, document_id in zip(items, document_ids, strict=True)
                for key, value in item.attributes.items()
            ],
        )
    return [int(i) for i in document_ids]


@dataclass(frozen=True)
class CasesImported:
    """What `add_cases` did: how many cases, how many documents it linked, and which named documents it did not find."""

    case_count: int
    linked: int = 0
    #: (case id, document name as the sheet gives it) for each named document not in the project.
    missing: tuple[tuple[str, str], ...] = ()

    def missing_line(self, shown: int = 5) -> str | None:
        """One line naming the documents not found (the first `shown`, then how many more), or None when all were found."""
        if not self.missing:
            return None
        names = [f"{given!r} (case {case_id!r})" for case_id, given in self.missing[:shown]]
        more = len(self.missing) - shown
        listed = ", ".join(names) + (f" and {more} more" if more > 0 else "")
        count = len(self.missing)
        return f"{count} named document{'' if count == 1 else 's'} not in the project, not linked: {listed}"


def add_cases(
    store: Store,
    cases: Mapping[str, CaseAttributes],
    *,
    actor: str,
    summary: str,
    documents: Mapping[str, Sequence[str]] | None = None,
    source: str = "",
    strict: bool = False,
) -> CasesImported:
    """Create the cases not yet in the project, set the given attributes of all and link the named documents.

    One action. Attributes a case already has and `cases` does not mention are kept: a sheet with only the
    function column must not erase the group imported earlier. A document is named by its name or its file
    name ("interview_03.docx"). A named document not in the project is listed in the result (transcripts still
    to come, or a typo) while the others are linked; `strict` refuses the whole sheet instead.
    """
    blank = next((case_id for case_id in cases if not case_id.strip()), None)
    if blank is not None:
        raise ImportError_(f"{summary}: refused, a case id is blank")
    d = schema.documents
    linked = 0
    missing: list[tuple[str, str]] = []
    with store.action("import", actor, summary) as changes:
        ensure_cases(changes, cases)
        if documents:
            known = {name: (document_id, case) for document_id, name, case in changes.conn.execute(select(d.c.id, d.c.name, d.c.case_id))}
            for case_id, names in documents.items():
                for given in names:
                    name = given if given in known else Path(given).stem
                    if name not in known:
                        if strict:
                            raise ImportError_(
                                f"{source or summary}: case {case_id!r} names document {given!r}, which is not in the project"
                                f"{did_you_mean(name, list(known))}"
                            )
                        missing.append((case_id, given))
                        continue
                    document_id, current = known[name]
                    linked += 1
                    if current != case_id:
                        changes.update(d, document_id, {"case_id": case_id})
            if missing:
                changes.summary = f"{summary} ({len(missing)} named documents not found)"
    return CasesImported(len(cases), linked, tuple(missing))


def _refuse_taken_names(items: Sequence[NewDocument], digests: Sequence[str], taken: Mapping[str, tuple[str, str]]) -> None:
    """Refuse a batch some of whose names are in the project: skipped as already imported, unless the name is another file's.

    A name taken by a different text from another file (wave1/enquete.csv, then wave2/enquete.csv) must not pass
    as "already imported" with exit status 0: that refusal is an error the user hears of.
    """
    for item, digest in zip(items, digests, strict=True):
        if item.name in taken:
            stored_digest, stored_source = taken[item.name]
            if stored_digest != digest and stored_source != item.source:
                raise ImportError_(
                    f"{item.label}: {item.name!r} is in the project with a different text, from {stored_source or 'another import'};"
                    " rename this file to import it as a questionnaire of its own"
                )
    first = next(i for i in items if i.name in taken)
    raise AlreadyImportedError(f"{first.label}: already imported (a document named {first.name!r} is in the project)")


def _refuse_within_batch(items: Sequence[NewDocument], digests: Sequence[str]) -> None:
    first_by_name: dict[str, NewDocument] = {}
    first_by_digest: dict[str, NewDocument] = {}
    for item, digest in zip(items, digests, strict=True):
        if not item.text.strip():
            raise ImportError_(f"{item.label}: {item.name!r} is empty, nothing to import")
        if item.case_id is not None and not item.case_id.strip():
            raise ImportError_(f"{item.label}: {item.name!r} has a blank case id")
        if item.name in first_by_name:
            raise ImportError_(f"{item.label}: two documents named {item.name!r} in one import")
        if digest in first_by_digest:
            raise ImportError_(f"{item.label}: {item.name!r} has the same content as {first_by_digest[digest].name!r} in the same import")
        first_by_name[item.name] = item
        first_by_digest[digest] = item


def _case_attributes(items: Sequence[NewDocument]) -> dict[str, CaseAttributes]:
    # Each case is written once; two items of one case that disagree would leave the case's attributes to
    # whichever came last, so that is refused rather than guessed.
    by_case: dict[str, tuple[NewDocument, CaseAttributes]] = {}
    for item in items:
        if item.case_id is None:
            continue
        attributes = item.case_attributes or CaseAttributes()
        seen = by_case.setdefault(item.case_id, (item, attributes))
        # A sheet's answers share their respondent's attributes object: compared by value only when it is another one.
        if seen[1] is not attributes and seen[1].as_dict() != attributes.as_dict():
            raise ImportError_(
                f"{item.label}: case {item.case_id!r} has different attributes in {seen[0].name!r} and {item.name!r}"
            )
    return {case_id: attributes for case_id, (_, attributes) in by_case.items()}


def _slices(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _LOOKUP_SLICE):
        yield values[start : start + _LOOKUP_SLICE]
