"""Domain values: frozen dataclasses that cross every layer (store, CLI, TUI, exporters)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


class DocumentKind(enum.StrEnum):
    """What a document is; tables and the project screen group by it."""

    TRANSCRIPT = "transcript"
    QUESTIONNAIRE_ANSWER = "questionnaire answer"
    FOCUS_GROUP = "focus group"
    NOTES = "notes"

    @classmethod
    def parse(cls, value: str) -> DocumentKind:
        """Accept the value with spaces, dashes or underscores ("focus-group", "questionnaire_answer")."""
        normal = value.strip().lower().replace("_", " ").replace("-", " ")
        for kind in cls:
            if kind.value == normal:
                return kind
        choices = ", ".join(k.value for k in cls)
        raise ValueError(f"unknown document kind {value!r} (choose from: {choices})")


@dataclass(frozen=True)
class Project:
    """A project's identity; its data lives in the project's store."""

    name: str
    description: str
    created: str


@dataclass(frozen=True)
class CaseAttributes:
    """What tables group and filter respondents by."""

    respondent_group: str | None = None
    function: str | None = None
    wave: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict, hash=False)

    KNOWN = ("respondent_group", "function", "wave")

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra", _frozen(self.extra))

    def as_dict(self) -> dict[str, str]:
        """Flat key/value form, as stored."""
        flat = {key: value for key in self.KNOWN if (value := getattr(self, key)) is not None}
        flat.update(self.extra)
        return flat

    @classmethod
    def from_dict(cls, flat: Mapping[str, str]) -> CaseAttributes:
        """Split a flat key/value mapping into the known attributes and the free ones."""
        extra = {k: v for k, v in flat.items() if k not in cls.KNOWN}
        return cls(
            respondent_group=flat.get("respondent_group"),
            function=flat.get("function"),
            wave=flat.get("wave"),
            extra=extra,
        )


@dataclass(frozen=True)
class Case:
    """A respondent (or group) whose documents and answers are counted together."""

    id: str
    attributes: CaseAttributes = CaseAttributes()


@dataclass(frozen=True)
class SpeakerTurn:
    """One speaker's turn in a transcript, as character offsets into the document text."""

    seq: int
    speaker: str
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """An imported source text; `text` is never changed after import, so offsets stay valid."""

    id: int
    name: str
    kind: DocumentKind
    text: str
    content_hash: str
    case_id: str | None = None
    source: str = ""
    imported: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False)
    turns: tuple[SpeakerTurn, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", _frozen(self.attributes))


@dataclass(frozen=True)
class DocumentSummary:
    """A document without its text, for lists."""

    id: int
    name: str
    kind: DocumentKind
    length: int
    case_id: str | None
    coding_count: int


@dataclass(frozen=True)
class Code:
    """A node of the codebook tree: a dimension, a theme or an item code."""

    id: str
    name: str
    parent_id: str | None = None
    description: str = ""
    dimension: str | None = None
    color: str | None = None
    position: int = 0
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    guid: str | None = None
    #: False for a grouping code that is not applied to text itself (REFI-QDA's isCodable="false").
    codable: bool = True


@dataclass(frozen=True)
class CodeSet:
    """A named group of codes across the tree (REFI-QDA's Set, ATLAS.ti's code group), kept as other tools made it."""

    guid: str
    name: str
    description: str = ""
    code_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Coder:
    """A person (or model) who applies codes."""

    id: int
    name: str


@dataclass(frozen=True)
class Coding:
    """A code applied by a coder to the span [start, end) of a document's text."""

    id: int
    document_id: int
    start: int
    end: int
    code_id: str
    coder: str
    memo: str = ""
    created: str = ""


@dataclass(frozen=True)
class Action:
    """One entry of the append-only action log."""

    id: int
    at: str
    actor: str
    kind: str
    summary: str
    undoable: bool
    target_id: int | None = None
    #: For an action just undone or redone: the tables its change set touched.
    touched: frozenset[str] = frozenset()
