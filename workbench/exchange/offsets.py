"""Text positions in a REFI-QDA project, mapped onto the document text the workbench stores.

The standard counts "characters" of a source's plain text, but tools count differently: NVivo and other .NET or Java
tools count UTF-16 code units (an emoji is two), Python tools count code points; some count a CR LF line end as two,
some as one. The workbench stores the text without its byte-order mark and with every line end as LF, so each
position is mapped from the way the file counts onto that text. Which way a file counts is not written anywhere, so it
is found per source: of the conventions under which every selection lies inside the text, the one that puts most
selection ends on word boundaries wins, ties going to the standard's literal reading (code points of the stored text).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

#: (counts UTF-16 code units, counts CR LF as one): the standard's literal reading first, so it wins a tie.
CONVENTIONS: tuple[tuple[bool, bool], ...] = ((False, False), (False, True), (True, False), (True, True))


def normalise_text(raw: str) -> str:
    """The text as stored: no byte-order mark, CR LF and lone CR as LF."""
    return raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class PositionMap:
    """Maps positions counted one way in a source's plain text onto the stored (normalised) text."""

    utf16: bool
    crlf_as_one: bool
    #: Positions (in the counted text, in code points) of each CR of a CR LF, which the stored text drops.
    dropped_crs: tuple[int, ...]
    #: Positions in UTF-16 units of each character outside the BMP, in the text the file counts.
    astral_units: tuple[int, ...]
    length: int

    def to_stored(self, position: int) -> int | None:
        """The stored-text position of a counted one, or None when it lies outside the text."""
        if position < 0 or position > self.length:
            return None
        code_point = position - bisect.bisect_left(self.astral_units, position) if self.utf16 else position
        if self.crlf_as_one:
            return code_point
        return code_point - bisect.bisect_left(self.dropped_crs, code_point)


def position_map(raw: str, *, utf16: bool, crlf_as_one: bool) -> PositionMap:
    """How positions counted one way map onto the stored text of `raw` (a source's plain text as the file holds it)."""
    counted = raw.removeprefix("\ufeff")
    if crlf_as_one:
        counted = counted.replace("\r\n", "\n")
        dropped: tuple[int, ...] = ()
    else:
        dropped = tuple(index for index in _find_all(counted, "\r\n"))
    astral: list[int] = []
    if utf16:
        extra = 0
        for index, character in enumerate(counted):
            if ord(character) > 0xFFFF:
                astral.append(index + extra)
                extra += 1
    length = len(counted) + (len(astral) if utf16 else 0)
    return PositionMap(utf16=utf16, crlf_as_one=crlf_as_one, dropped_crs=dropped, astral_units=tuple(astral), length=length)


def best_map(raw: str, stored: str, spans: Sequence[tuple[int, int]], *, code_points_only: bool = False) -> PositionMap | None:
    """The convention the spans were counted in (see the module docstring), or None when no convention fits them all.

    `code_points_only`: the file is known to count code points of the stored text (our own export).
    """
    best: tuple[int, PositionMap] | None = None
    has_astral = any(ord(character) > 0xFFFF for character in raw)
    for utf16, crlf_as_one in CONVENTIONS[:1] if code_points_only else CONVENTIONS:
        if utf16 and not has_astral:
            continue  # the same as counting code points
        mapping = position_map(raw, utf16=utf16, crlf_as_one=crlf_as_one)
        mapped = [(mapping.to_stored(start), mapping.to_stored(end)) for start, end in spans]
        if any(start is None or end is None for start, end in mapped):
            continue
        score = sum(_at_boundary(stored, start or 0) + _at_boundary(stored, end or 0) for start, end in mapped)
        if best is None or score > best[0]:
            best = (score, mapping)
    return None if best is None else best[1]


def _at_boundary(text: str, position: int) -> bool:
    if position <= 0 or position >= len(text):
        return True
    return not (text[position - 1].isalnum() and text[position].isalnum())


def _find_all(text: str, needle: str) -> list[int]:
    found: list[int] = []
    index = text.find(needle)
    while index != -1:
        found.append(index)
        index = text.find(needle, index + 1)
    return found
