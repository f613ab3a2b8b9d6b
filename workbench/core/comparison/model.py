"""The values coder comparison passes around: unit kinds, compared units, agreement per code and the report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

#: The coder whose codings are the settled result of a review; tables can count it (`coder: consensus`).
CONSENSUS = "consensus"


class UnitKind(StrEnum):
    """What coders are compared on; each kind says what one rated unit is."""

    ANSWER = "answer"  # one questionnaire answer (a document of kind questionnaire answer)
    TURN = "turn"  # one speaker turn
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    RESPONDENT = "respondent"  # does the respondent (case) mention the code at all: the unit behind "Aantal (n)"
    DOCUMENT = "document"  # code existence per document (MAXQDA variant 1); frequency is a report column
    SEGMENT = "segment"  # a coding agrees when the other coder has the code on a segment overlapping >= threshold
    CHARACTER = "character"  # per code per document, every character a unit (NVivo's coding comparison)
    CONTINUUM = "continuum"  # Krippendorff's unitizing alpha over the characters of each document


@dataclass(frozen=True)
class ComparedUnit:
    """One unit the coders are compared on, with the codes each coder gave it (among the codes compared)."""

    document: str  # document name; for a respondent unit, the case id
    start: int  # character span in the document ([start, end)); 0, 0 for a respondent unit
    end: int
    label: str  # how the unit is named to the user, e.g. "interview_01 · turn 4/12"
    text: str  # the unit's text (cut to an excerpt for long units)
    codes: Mapping[str, frozenset[str]] = field(default_factory=dict, hash=False)  # coder → code ids

    @property
    def agreed(self) -> bool:
        """True when every coder gave the unit the same codes."""
        return len(set(self.codes.values())) <= 1

    @property
    def key(self) -> tuple[str, int, int]:
        """What identifies the unit across runs: document and span."""
        return (self.document, self.start, self.end)


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement on one code (or overall) at one unit kind; NaN where a statistic is undefined, with the reason."""

    code_id: str  # "" for the overall row
    name: str
    path: tuple[str, ...]
    units: int  # units rated by at least two coders
    percent: float  # % agreement, 0..100
    kappa: float  # Cohen's kappa for two coders, Fleiss' for more
    alpha: float  # Krippendorff's alpha (nominal), or unitizing alpha for the continuum
    alpha_low: float  # bootstrap 95 % interval
    alpha_high: float
    ac1: float  # Gwet's AC1
    counts: Mapping[str, int] = field(default_factory=dict, hash=False)  # coder → units (or respondents) coded
    note: str = ""  # why a statistic is NaN, e.g. "only one category observed"
    # Document units only (MAXQDA's variant 2): how often each coder applied the code per document, compared as
    # % of documents with equal counts (pairwise) and Krippendorff's alpha at the interval level; NaN elsewhere.
    frequency_percent: float = float("nan")
    frequency_alpha: float = float("nan")

    @property
    def reading(self) -> str:
        """Krippendorff's reading of alpha: reliable (>= .800), tentative (>= .667) or unreliable."""
        if self.alpha != self.alpha:  # NaN
            return "undefined"
        if self.alpha >= 0.800:
            return "reliable"
        if self.alpha >= 0.667:
            return "tentative"
        return "unreliable"


@dataclass(frozen=True)
class AgreementReport:
    """Agreement between coders at one unit kind: a row per code, sorted by alpha (weakest first), and overall."""

    coders: tuple[str, ...]
    unit: UnitKind
    rows: tuple[CodeAgreement, ...]
    overall: CodeAgreement
    overlap: float = 0.9  # the segment-overlap threshold used (SEGMENT only)
    notes: tuple[str, ...] = ()
    theme: str | None = None  # one category per unit within this theme (its code id), instead of a row per code
    documents: int = 0  # documents compared (those every coder coded)
    left_out: tuple[str, ...] = ()  # documents only some of the coders coded, so not compared
    resamples: int = 1000  # bootstrap resamples behind the alpha intervals
