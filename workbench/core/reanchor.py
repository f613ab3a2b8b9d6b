"""Where spans of a text land after the text was edited: a character diff of old and new text, and span mapping.

The diff works top-down (lines, then words, spaces and punctuation marks, then characters inside a changed word that is
still mostly the same word, a typo fix), each level trimming the common start and end first: fast on long
transcripts, and a changed word is never matched letter by letter with an unrelated one ("zat" → "lag" keeps no
"a"). An insertion or deletion that the text allows to sit in several places ("de de kat" → "de kat") is slid off
the protected spans (the codings), so an edit beside a coding never eats or grows it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Tag = Literal["equal", "replace", "delete", "insert"]

_LINES = re.compile(r"[^\n]*\n+|[^\n]+")
_WORDS = re.compile(r"\w+|[^\w\s]|\s+")
#: A changed word is diffed letter by letter only when it is at least this similar to its replacement (a typo fix).
_SIMILAR = 0.6
#: Above this many pairs of characters, a changed word group counts as replaced whole: bounded time.
_MAX_PAIRS = 1_000_000
#: Above this many candidate matches of units (lines, words), the diff skips very common ones as match starts (difflib's
#: "autojunk"): a whole transcript rewritten still diffs in about a second.
_MAX_MATCHES = 2_000_000
#: How far an insertion or deletion is slid along repeated text to keep it off a coding.
_MAX_SLIDE = 2_000


@dataclass(frozen=True)
class Block:
    """One step of the diff: old[old_start:old_end] became new[new_start:new_end]."""

    tag: Tag
    old_start: int
    old_end: int
    new_start: int
    new_end: int


@dataclass(frozen=True)
class Mapped:
    """Where a span landed: its new offsets, or (orphaned) none of its words is left and `anchor` is where they were."""

    start: int
    end: int
    orphaned: bool


class TextDiff:
    """The character-level diff of two texts, and the mapping of spans and points of the old text onto the new."""

    def __init__(self, old: str, new: str, protected: Sequence[tuple[int, int]] = ()) -> None:
        self.old = old
        self.new = new
        raw: list[Block] = []
        _diff(old, new, 0, 0, 0, raw)
        blocks = _merged(raw)
        if protected:
            blocks = _slid(blocks, old, new, sorted(protected))
        self.blocks: tuple[Block, ...] = tuple(blocks)
        self._old_ends = [b.old_end for b in self.blocks]

    @property
    def changed(self) -> bool:
        """Whether the texts differ at all."""
        return self.old != self.new

    def map_span(self, start: int, end: int) -> Mapped:
        """The new span of old [start, end): it keeps its surviving characters, text typed or rewritten between them,
        but not text inserted at its edges; orphaned when none of its letters and digits is left."""
        first = bisect.bisect_right(self._old_ends, start)
        pieces: list[tuple[int, int]] = []
        survives = False
        # A span of punctuation alone (rare) survives by its characters, any other by a letter or digit of its own.
        wordless = not any(ch.isalnum() for ch in self.old[start:end])
        for block in self.blocks[first:]:
            if block.old_start >= end:
                break
            if block.tag == "equal":
                low, high = max(start, block.old_start), min(end, block.old_end)
                if low < high:
                    offset = block.new_start - block.old_start
                    pieces.append((low + offset, high + offset))
                    survives = survives or wordless or any(ch.isalnum() for ch in self.old[low:high])
            elif block.tag == "replace":
                if start <= block.old_start and block.old_end <= end and block.new_start < block.new_end:
                    pieces.append((block.new_start, block.new_end))
            elif block.tag == "insert" and start < block.old_start < end:
                pieces.append((block.new_start, block.new_end))
        if not survives:
            anchor = self.map_point(start)
            return Mapped(anchor, anchor, orphaned=True)
        new_start, new_end = min(p[0] for p in pieces), max(p[1] for p in pieces)
        # Whitespace the span did not start or end with is not its text (a deleted last word leaves its space behind).
        old_text = self.old[start:end]
        if not old_text[:1].isspace():
            while new_start < new_end and self.new[new_start].isspace():
                new_start += 1
        if not old_text[-1:].isspace():
            while new_end > new_start and self.new[new_end - 1].isspace():
                new_end -= 1
        return Mapped(new_start, new_end, orphaned=False)

    def map_point(self, offset: int) -> int:
        """The new offset of a boundary between old characters; text inserted exactly there ends up before it."""
        for block in self.blocks[bisect.bisect_left(self._old_ends, offset) :]:
            if block.old_end == offset:
                continue  # ends here (or is an insertion here): the point is after its new text
            if block.tag == "equal":
                return block.new_start + (offset - block.old_start)
            return block.new_start
        return len(self.new)


def _diff(old: str, new: str, a0: int, b0: int, level: int, out: list[Block]) -> None:
    """Append the blocks turning `old` into `new` (found at a0/b0 of the whole texts), at `level` (lines, words,
    characters) and below."""
    if not old or not new:
        if old or new:
            out.append(Block("delete" if old else "insert", a0, a0 + len(old), b0, b0 + len(new)))
        return
    if level == 2:
        _diff_characters(old, new, a0, b0, out)
        return
    # The common start and end first, in whole words: most edits are local, and what is left stays small.
    prefix = _in_words(old, new, _common(old, new, forwards=True), forwards=True)
    suffix = _in_words(old, new, _common(old[prefix:], new[prefix:], forwards=False), forwards=False)
    o1, o2, n1, n2 = prefix, len(old) - suffix, prefix, len(new) - suffix
    if prefix:
        out.append(Block("equal", a0, a0 + o1, b0, b0 + n1))
    pattern = _LINES if level == 0 else _WORDS
    old_middle, new_middle = pattern.findall(old[o1:o2]), pattern.findall(new[n1:n2])
    if not old_middle or not new_middle:
        _diff(old[o1:o2], new[n1:n2], a0 + o1, b0 + n1, 2, out)
    else:
        middle_old, middle_new = _starts(old_middle), _starts(new_middle)
        counts = Counter(new_middle)
        matches = sum(counts[unit] for unit in old_middle)
        # Words anchor the alignment: spaces and punctuation only extend a match, so a shared " ." never outbids a word.
        junk = None if level == 0 else _not_a_word
        matcher = SequenceMatcher(junk, old_middle, new_middle, autojunk=matches > _MAX_MATCHES)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            p1, p2, q1, q2 = o1 + middle_old[i1], o1 + middle_old[i2], n1 + middle_new[j1], n1 + middle_new[j2]
            if tag == "replace":
                _diff(old[p1:p2], new[q1:q2], a0 + p1, b0 + q1, level + 1, out)
            else:
                out.append(Block(tag, a0 + p1, a0 + p2, b0 + q1, b0 + q2))
    if suffix:
        out.append(Block("equal", a0 + o2, a0 + len(old), b0 + n2, b0 + len(new)))


def _not_a_word(unit: str) -> bool:
    return not unit[:1].isalnum() and unit[:1] != "_"


def _common(a: str, b: str, *, forwards: bool) -> int:
    """How many characters a and b share at their start (or end)."""
    limit = min(len(a), len(b))
    count = 0
    if forwards:
        while count < limit and a[count] == b[count]:
            count += 1
    else:
        while count < limit and a[-1 - count] == b[-1 - count]:
            count += 1
    return count


def _in_words(old: str, new: str, count: int, *, forwards: bool) -> int:
    """`count` shared characters cut back so the cut falls between words in both texts, never inside one."""

    def inside(text: str, cut: int) -> bool:
        return 0 < cut < len(text) and text[cut - 1].isalnum() and text[cut].isalnum()

    while count > 0 and (
        inside(old, count if forwards else len(old) - count) or inside(new, count if forwards else len(new) - count)
    ):
        count -= 1
    return count


def _diff_characters(old: str, new: str, a0: int, b0: int, out: list[Block]) -> None:
    """Letter by letter, when the two are mostly the same (a typo fixed, a space removed), else one replacement."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    old_middle, new_middle = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    if len(old_middle) * len(new_middle) > _MAX_PAIRS:
        out.append(Block("replace", a0, a0 + len(old), b0, b0 + len(new)))
        return
    matcher = SequenceMatcher(None, old_middle, new_middle, autojunk=False)
    matched = prefix + suffix + sum(block.size for block in matcher.get_matching_blocks())
    # Text only added or only taken away keeps the rest; otherwise the two must be mostly alike.
    if old_middle and new_middle and 2 * matched < _SIMILAR * (len(old) + len(new)):
        out.append(Block("replace", a0, a0 + len(old), b0, b0 + len(new)))
        return
    if prefix:
        out.append(Block("equal", a0, a0 + prefix, b0, b0 + prefix))
    o1, n1 = a0 + prefix, b0 + prefix
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.append(Block(tag, o1 + i1, o1 + i2, n1 + j1, n1 + j2))
    if suffix:
        out.append(Block("equal", a0 + len(old) - suffix, a0 + len(old), b0 + len(new) - suffix, b0 + len(new)))


def _starts(units: Sequence[str]) -> list[int]:
    starts = [0]
    for unit in units:
        starts.append(starts[-1] + len(unit))
    return starts


def _merged(blocks: Sequence[Block]) -> list[Block]:
    """Drop empty blocks, join neighbours of one kind, and make a deletion next to an insertion one replacement."""
    merged: list[Block] = []
    for block in blocks:
        if block.old_start == block.old_end and block.new_start == block.new_end:
            continue
        if merged:
            last = merged[-1]
            if last.tag == block.tag or (last.tag != "equal" and block.tag != "equal"):
                tag: Tag = last.tag if last.tag == block.tag else "replace"
                merged[-1] = Block(tag, last.old_start, block.old_end, last.new_start, block.new_end)
                continue
        merged.append(block)
    return merged


def _slid(blocks: list[Block], old: str, new: str, protected: Sequence[tuple[int, int]]) -> list[Block]:
    """Move each pure insertion or deletion along the repeated text around it to where it touches the fewest spans."""
    result = list(blocks)
    for index, block in enumerate(result):
        if block.tag not in ("insert", "delete"):
            continue
        before = result[index - 1] if index > 0 else None
        after = result[index + 1] if index + 1 < len(result) else None
        text, first, last = (old, block.old_start, block.old_end) if block.tag == "delete" else (new, block.new_start, block.new_end)
        room_left = min(_MAX_SLIDE, before.old_end - before.old_start) if before is not None else 0
        room_right = min(_MAX_SLIDE, after.old_end - after.old_start) if after is not None else 0
        left = 0
        while left < room_left and text[first - left - 1] == text[last - left - 1]:
            left += 1
        right = 0
        while right < room_right and text[first + right] == text[last + right]:
            right += 1
        if not left and not right:
            continue
        width = block.old_end - block.old_start

        def cost(shift: int, at: int = block.old_start, width: int = width, deleting: bool = block.tag == "delete") -> int:
            point = at + shift
            if deleting:
                return sum(1 for s, e in protected if s < point + width and e > point)
            return sum(1 for s, e in protected if s < point < e)

        best = min(range(-left, right + 1), key=lambda shift: (cost(shift), abs(shift)))
        if best == 0:
            continue
        assert before is not None or best > 0  # noqa: S101 - a shift left needs the block before (room_left > 0)
        assert after is not None or best < 0  # noqa: S101
        if before is not None:
            result[index - 1] = Block("equal", before.old_start, before.old_end + best, before.new_start, before.new_end + best)
        result[index] = Block(block.tag, block.old_start + best, block.old_end + best, block.new_start + best, block.new_end + best)
        if after is not None:
            result[index + 1] = Block("equal", after.old_start + best, after.old_end, after.new_start + best, after.new_end)
    return [b for b in result if b.old_start != b.old_end or b.new_start != b.new_end]
