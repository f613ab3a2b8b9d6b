"""A stored document's speaker turns as a list to read: who speaks where, and how each turn opens."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.core.corpus import get_document
from workbench.core.model import SpeakerTurn
from workbench.core.store import Store
from workbench.core.text import shorten

#: Characters of a turn's opening words shown per line.
OPENING_WIDTH = 60


@dataclass(frozen=True)
class TurnListing:
    """One turn of a document: its place in the order, speaker, offsets and first words."""

    seq: int
    speaker: str
    start: int
    end: int
    opening: str


def document_turns(store: Store, name: str) -> list[TurnListing]:
    """The speaker turns of document `name` in order, each with the words it opens with (the label left out)."""
    document = get_document(store, name)
    return [_listing(document.text, turn) for turn in document.turns]


def _listing(text: str, turn: SpeakerTurn) -> TurnListing:
    """A turn with the first words after its speaker label ("Ja, dat klopt…"), or its text when the label is not found."""
    spoken = text[turn.start:turn.end]
    first_line = spoken.split("\n", 1)[0]
    label = re.search(re.escape(turn.speaker) + r"[ \t]*[:\]][ \t]*", first_line)
    if label is not None:
        spoken = spoken[label.end():]
    return TurnListing(turn.seq, turn.speaker, turn.start, turn.end, shorten(spoken, OPENING_WIDTH))
