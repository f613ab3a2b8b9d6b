"""Small projects for comparing coders: a few documents, a two-theme codebook, and coding by quoting a passage."""

from __future__ import annotations

from pathlib import Path

from workbench.core.codebook import add_codes
from workbench.core.codings import add_coding
from workbench.core.corpus import add_document, get_document
from workbench.core.model import Code, DocumentKind, SpeakerTurn
from workbench.core.store import Store

#: Knelpunten → team (stabiel, structuur) and instroom (weinig deelnemers).
CODES = (
    Code(id="knelpunten", name="Knelpunten"),
    Code(id="team", name="M.b.t. team", parent_id="knelpunten"),
    Code(id="team-stabiel", name="Stabiel team.", parent_id="team"),
    Code(id="team-structuur", name="Meer structuur nodig.", parent_id="team"),
    Code(id="instroom", name="M.b.t. instroom", parent_id="knelpunten"),
    Code(id="instroom-weinig", name="Klein aantal deelnemers.", parent_id="instroom"),
)
INTERVIEW = "I: Hoe gaat het?\nR: Het team is stabiel. We vertrouwen elkaar.\nI: En verder?\nR: Er zijn te weinig deelnemers.\n"


def turns_of(text: str) -> tuple[SpeakerTurn, ...]:
    """One turn per line, as the transcript importer makes them."""
    turns, start = [], 0
    for seq, line in enumerate(text.splitlines(keepends=True), start=1):
        turns.append(SpeakerTurn(seq, line[:1], start, start + len(line.rstrip("\n"))))
        start += len(line)
    return tuple(turns)


def empty_project(tmp_path: Path) -> Store:
    """A project with the codebook and no documents."""
    store = Store.create(tmp_path / "project", "Comparison")
    add_codes(store, CODES, "senior", "codebook")
    return store


def answers(store: Store, texts: dict[str, str], case_of: dict[str, str] | None = None) -> None:
    """Questionnaire answers, one document each (with a case when given)."""
    for name, text in texts.items():
        case = (case_of or {}).get(name)
        add_document(store, name=name, text=text, kind=DocumentKind.QUESTIONNAIRE_ANSWER, actor="senior", case_id=case)


def interview(store: Store, name: str = "interview_01", text: str = INTERVIEW) -> None:
    """A transcript with one speaker turn per line."""
    add_document(store, name=name, text=text, kind=DocumentKind.TRANSCRIPT, actor="senior", turns=turns_of(text))


def code(store: Store, document: str, quote: str, code_id: str, coder: str, occurrence: int = 1) -> tuple[int, int]:
    """Code the `occurrence`-th appearance of `quote` in the document; return its span."""
    text = get_document(store, document).text
    start = -1
    for _ in range(occurrence):
        start = text.index(quote, start + 1)
    add_coding(store, document=document, start=start, end=start + len(quote), code_id=code_id, coder=coder)
    return start, start + len(quote)


def code_span(store: Store, document: str, start: int, end: int, code_id: str, coder: str) -> None:
    """Code characters [start, end) of a document."""
    add_coding(store, document=document, start=start, end=end, code_id=code_id, coder=coder)
