"""Pseudonymisation at import: names, places, dates and institutions become placeholders, the same one everywhere.

The Dutch de-identifier `deduce` finds the spans (it runs offline: its lookup lists ship inside the package). The key
table (which placeholder stands for which original) is kept in a file of its own, by default `pseudonyms.json` in the
project folder: never in the project database, so no export, backup or merge carries it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.model import SpeakerTurn
from workbench.errors import ImportError_

#: The key table's default file name inside the project folder.
KEY_FILE = "pseudonyms.json"


@dataclass(frozen=True)
class Span:
    """A stretch of text the de-identifier found: [start, end) and what it is (deduce's tag: persoon, locatie, ...)."""

    start: int
    end: int
    category: str


#: Finds the identifying spans in a text.
Detector = Callable[[str], Sequence[Span]]


def deduce_detector() -> Detector:
    """The `deduce` de-identifier as a Detector; built once (it loads its Dutch name and place lists, seconds)."""
    try:
        from deduce import Deduce  # type: ignore[import-untyped]
    except ImportError:
        raise ImportError_("--pseudonymise needs the package deduce; install it with `pip install deduce`") from None
    model = Deduce()

    def detect(text: str) -> list[Span]:
        document = model.deidentify(text)
        return [Span(a.start_char, a.end_char, str(a.tag)) for a in document.annotations]

    return detect


def _normal(original: str) -> str:
    """Spellings that stand for the same person or place share a placeholder: case and spacing do not count."""
    return " ".join(original.split()).casefold()


class KeyTable:
    """Which placeholder stands for which original, per category; numbered in the order first seen, project-wide."""

    def __init__(self, path: Path, entries: list[dict[str, Any]] | None = None) -> None:
        self.path = path
        self.entries: list[dict[str, Any]] = entries or []
        self._index = {(e["category"], _normal(e["original"])): e for e in self.entries}

    @classmethod
    def load(cls, path: Path) -> KeyTable:
        """The key table in `path`, or an empty one if the file does not exist yet."""
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["entries"]
            if not isinstance(entries, list):
                raise TypeError
        except (OSError, ValueError, KeyError, TypeError):
            raise ImportError_(f"{path}: not a readable pseudonym key table; nothing imported") from None
        return cls(path, entries)

    def placeholder(self, category: str, original: str, document: str) -> str:
        """The placeholder for `original`, made on first sight; remembers which document it was seen in."""
        entry = self._index.get((category, _normal(original)))
        if entry is None:
            number = 1 + sum(1 for e in self.entries if e["category"] == category)
            entry = {"category": category, "original": original, "placeholder": f"[{category.upper()}-{number}]", "documents": []}
            self.entries.append(entry)
            self._index[(category, _normal(original))] = entry
        if document not in entry["documents"]:
            entry["documents"].append(document)
        return str(entry["placeholder"])

    def save(self) -> None:
        """Write the table atomically, readable by its owner only: it undoes the pseudonymisation."""
        folder = self.path.parent
        handle, temp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"version": 1, "entries": self.entries}, out, ensure_ascii=False, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp_name, 0o600)
            os.replace(temp_name, self.path)
        finally:
            Path(temp_name).unlink(missing_ok=True)


@dataclass(frozen=True)
class Pseudonymised:
    """A text with its identifying spans replaced, and the turns moved to the new offsets."""

    text: str
    turns: tuple[SpeakerTurn, ...]
    replaced: int


def pseudonymise(
    text: str, turns: Sequence[SpeakerTurn], *, document: str, key: KeyTable, detect: Detector
) -> Pseudonymised:
    """Replace every span `detect` finds by its placeholder from `key`; speaker labels that are found names too."""
    spans = sorted(detect(text), key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    for span in spans:
        if span.end > span.start and (not kept or span.start >= kept[-1].end):
            kept.append(span)
    pieces: list[str] = []
    # (old end of a replaced span, how far everything after it moved): for mapping turn offsets.
    shifts: list[tuple[int, int, int, int]] = []
    position = moved = 0
    for span in kept:
        original = text[span.start:span.end]
        placeholder = key.placeholder(span.category, original, document)
        pieces += [text[position:span.start], placeholder]
        shifts.append((span.start, span.end, moved, moved + len(placeholder) - len(original)))
        moved += len(placeholder) - len(original)
        position = span.end
    pieces.append(text[position:])
    names = {_normal(text[s.start:s.end]): key.placeholder(s.category, text[s.start:s.end], document) for s in kept}

    def where(offset: int, end: bool) -> int:
        for start, stop, before, after in reversed(shifts):
            if offset >= stop:
                return offset + after
            if offset > start:  # inside a replaced span: the placeholder's edge
                return start + before + (stop - start + after - before if end else 0)
        return offset

    new_turns = tuple(
        SpeakerTurn(t.seq, names.get(_normal(t.speaker), t.speaker), where(t.start, end=False), where(t.end, end=True)) for t in turns
    )
    return Pseudonymised("".join(pieces), new_turns, len(kept))


def forget_documents(path: Path, documents: set[str]) -> int:
    """Take forgotten documents out of a key table; entries seen only in them go. Return how many entries went."""
    if not path.exists():
        return 0
    key = KeyTable.load(path)
    kept = []
    for entry in key.entries:
        entry["documents"] = [d for d in entry.get("documents", []) if d not in documents]
        if entry["documents"] or "documents" not in entry:
            kept.append(entry)
    dropped = len(key.entries) - len(kept)
    key.entries = kept
    key.save()
    return dropped


_PLACEHOLDER = re.compile(r"\[[A-Z_]+-\d+\]")


def placeholders_in(text: str) -> list[str]:
    """The placeholders a pseudonymised text holds, in order."""
    return _PLACEHOLDER.findall(text)
