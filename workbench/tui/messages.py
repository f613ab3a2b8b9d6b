"""App-wide messages: small dataclasses that screens post and the app handles."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenDocument(Message):
    """Open a document in the coding screen, optionally selecting [start, end)."""

    name: str
    start: int | None = None
    end: int | None = None
    #: The documents the coder is working through, in order (the project screen's filter): for ] / [ and next uncoded.
    siblings: tuple[str, ...] = ()


@dataclass
class CodebookChanged(Message):
    """The codebook changed (a rename, move, merge…): screens showing code names refresh."""


@dataclass
class ProjectChanged(Message):
    """Another session changed the project (a teammate coded, undid, edited the codebook): screens show it."""

    actors: frozenset[str]
