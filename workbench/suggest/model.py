"""The values suggestions hand to the front ends: frozen dataclasses, nothing that needs spaCy or scikit-learn."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Source(enum.StrEnum):
    """What a suggestion's score mostly comes from."""

    RULE = "rule"  # the code's keywords (or words of its name) occur in the text
    LEARNED = "learned"  # the model trained on the project's codings


@dataclass(frozen=True)
class Suggestion:
    """A code suggested for a text, with its place in the codebook, a score in [0, 1] and the words behind it."""

    code_id: str
    name: str
    #: Names from the dimension down to the code: dimension → theme → code.
    path: tuple[str, ...]
    theme_id: str
    theme: str
    score: float
    #: The text's words that matched a keyword (rule) or weigh most for the code (learned), as written, lower-cased.
    evidence: tuple[str, ...]
    source: Source


@dataclass(frozen=True)
class ThemeScore:
    """A theme's score for a text: the best score of the theme or any code below it, and which code that was."""

    theme_id: str
    name: str
    path: tuple[str, ...]
    score: float
    code_id: str
    evidence: tuple[str, ...]
    source: Source


@dataclass(frozen=True)
class UnitSuggestions:
    """The suggestions and theme scores for one unit of a document."""

    document: str
    start: int
    end: int
    suggestions: tuple[Suggestion, ...]
    themes: tuple[ThemeScore, ...]


@dataclass(frozen=True)
class SimilarUnit:
    """An uncoded unit like a given passage ("more like this"), with its similarity in [0, 1] and the lemmas they share."""

    document: str
    start: int
    end: int
    score: float
    text: str
    shared: tuple[str, ...]


@dataclass(frozen=True)
class Acceptance:
    """How often a code's suggestions were accepted and rejected; `rate` is None before any decision."""

    code_id: str
    accepted: int
    rejected: int

    @property
    def rate(self) -> float | None:
        """Accepted share of the decisions."""
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None
