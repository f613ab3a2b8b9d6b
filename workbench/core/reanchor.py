"""Where spans of a text land after the text was edited: a character diff of old and new text, and span mapping.

The diff aligns words first (a shortest edit script over words, so a text rewrapped by an editor keeps every word),
then the letters of what changed between matched words when it is still mostly the same (a typo fix); a changed word
is never matched letter by letter with an unrelated one ("zat" → "lag" keeps no "a"). An insertion or deletion that
the text allows to sit in several places ("de de kat" → "de kat") is slid off the protected spans (the codings), so
an edit beside a coding never eats or grows it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

import fast_diff_match_patch

Tag = Literal["equal", "replace", "delete", "insert"]

_TOKENS = re.compile(r"\w+")
#: A changed word is diffed letter by letter only when it is at least this similar to its replacement (a typo fix).
_SIMILAR = 0.6
#: Above this many pairs of characters, a changed word group counts as replaced whole: bounded time.
_MAX_PAIRS = 1_000_000
#: Seconds the word diff may take before it settles for a coarser (still correct) answer: a whole long transcript
#: rewritten then orphans more codings, but the edit never hangs.
_TIME_LIMIT = 5.0
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
    #: Some of its characters were deleted or rewritten.
    lost: bool = False
    #: Text typed or rewritten inside it is now part of it.
    added: bool = False


class TextDiff:
    """The character-level diff of two texts, and the mapping of spans and points of the old text onto the new."""

    def __init__(self, old: str, new: str, protected: Sequence[tuple[int, int]] = ()) -> None:
        self.old = old
        self.new = new
        self._build(sorted(protected), ())
        # The word diff finds a shortest edit, and of two equally short ones it may keep a word that moved and drop a
        # coding's words that did not ("ja … team" → "team ja"). A coding it loses whose text is still in the new text,
        # once, and once in the old, is pinned there and the rest diffed around it.
        pinned = _pins(old, new, [span for span in sorted(protected) if self._lost(*span)])
        if pinned:
            self._build(sorted(protected), pinned)

    def _build(self, protected: Sequence[tuple[int, int]], pinned: Sequence[tuple[int, int, int]]) -> None:
        raw: list[Block] = []
        old_at = new_at = 0
        for start, end, new_start in pinned:
            _diff(self.old[old_at:start], self.new[new_at:new_start], old_at, new_at, 1, raw)
            raw.append(Block("equal", start, end, new_start, new_start + end - start))
            old_at, new_at = end, new_start + end - start
        _diff(self.old[old_at:], self.new[new_at:], old_at, new_at, 1, raw)
        blocks = _merged(raw)
        if protected:
            blocks = _slid(blocks, self.old, self.new, protected)
        self.blocks: tuple[Block, ...] = tuple(blocks)
        self._old_ends = [b.old_end for b in self.blocks]

    def _lost(self, start: int, end: int) -> bool:
        mapped = self.map_span(start, end)
        return mapped.orphaned or mapped.lost

    @property
    def changed(self) -> bool:
        """Whether the texts differ at all."""
        return self.old != self.new

    def map_span(self, start: int, end: int) -> Mapped:
        """The new span of old [start, end): it keeps its surviving characters, text typed or rewritten between them,
        but not text inserted at its edges; orphaned when none of its letters and digits is left."""
        first = bisect.bisect_right(self._old_ends, start)
        pieces: list[tuple[int, int]] = []
        survives = added = False
        kept = 0
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
                    kept += high - low
                    survives = survives or wordless or any(ch.isalnum() for ch in self.old[low:high])
            elif block.tag == "replace":
                if start <= block.old_start and block.old_end <= end and block.new_start < block.new_end:
                    pieces.append((block.new_start, block.new_end))
                    added = True
            elif block.tag == "insert" and start < block.old_start < end:
                pieces.append((block.new_start, block.new_end))
                added = True
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
        return Mapped(new_start, new_end, orphaned=False, lost=kept < end - start, added=added)

    def map_point(self, offset: int) -> int:
        """The new offset of a boundary between old characters; text inserted exactly there ends up before it."""
        for block in self.blocks[bisect.bisect_left(self._old_ends, offset) :]:
            if block.old_end == offset:
                continue  # ends here (or is an insertion here): the point is after its new text
            if block.tag == "equal":
                return block.new_start + (offset - block.old_start)
            return block.new_start
        return len(self.new)


def _pins(old: str, new: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(old start, old end, new start) of each span whose text, with a letter or digit in it, occurs once in each text as
    whole words, in the same order in both: the diff keeps those as they are."""
    pins: list[tuple[int, int, int]] = []
    for start, end in spans:
        words = old[start:end]
        if not any(ch.isalnum() for ch in words) or old.count(words) != 1 or new.count(words) != 1:
            continue
        new_start = new.find(words)
        if pins and (start < pins[-1][1] or new_start < pins[-1][2] + pins[-1][1] - pins[-1][0]):
            continue
        if _cuts_a_word(new, new_start) or _cuts_a_word(new, new_start + len(words)):
            continue
        pins.append((start, end, new_start))
    return pins


def _cuts_a_word(text: str, at: int) -> bool:
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def _diff(old: str, new: str, a0: int, b0: int, level: int, out: list[Block]) -> None:
    """Append the blocks turning `old` into `new` (found at a0/b0 of the whole texts): words (level 1), then letters."""
    if not old or not new:
        if old or new:
            out.append(Block("delete" if old else "insert", a0, a0 + len(old), b0, b0 + len(new)))
        return
    if level == 1:
        _diff_words(old, new, a0, b0, out)
    else:
        _diff_characters(old, new, a0, b0, out)


def _diff_words(old: str, new: str, a0: int, b0: int, out: list[Block]) -> None:
    """Words aligned; what lies between matched words (changed words, punctuation, white space) goes on to the letters."""
    # The common start and end first, in whole words: most edits are local, and what is left stays small.
    prefix = _in_words(old, new, _common(old, new, forwards=True), forwards=True)
    suffix = _in_words(old, new, _common(old[prefix:], new[prefix:], forwards=False), forwards=False)
    if prefix:
        out.append(Block("equal", a0, a0 + prefix, b0, b0 + prefix))
    old_mid, new_mid = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    o0, n0 = a0 + prefix, b0 + prefix
    old_tokens = [(m.start(), m.end()) for m in _TOKENS.finditer(old_mid)]
    new_tokens = [(m.start(), m.end()) for m in _TOKENS.finditer(new_mid)]
    old_at, new_at = 0, 0  # how far old_mid and new_mid are accounted for
    for i, j, size in _matching_words([old_mid[s:e] for s, e in old_tokens], [new_mid[s:e] for s, e in new_tokens]):
        # What lies before the matched words (changed words, punctuation, white space) goes to the letters.
        old_to, new_to = old_tokens[i][0], new_tokens[j][0]
        _diff(old_mid[old_at:old_to], new_mid[new_at:new_to], o0 + old_at, n0 + new_at, 2, out)
        for k in range(size):
            (word_start, word_end), (new_start, new_end) = old_tokens[i + k], new_tokens[j + k]
            if k:
                _diff(old_mid[old_at:word_start], new_mid[new_at:new_start], o0 + old_at, n0 + new_at, 2, out)  # in between
            if old_mid[word_start:word_end] == new_mid[new_start:new_end]:
                out.append(Block("equal", o0 + word_start, o0 + word_end, n0 + new_start, n0 + new_end))
            else:  # the same word in other capitals ("Het" → "het"): its letters
                _diff(old_mid[word_start:word_end], new_mid[new_start:new_end], o0 + word_start, n0 + new_start, 2, out)
            old_at, new_at = word_end, new_end
    _diff(old_mid[old_at:], new_mid[new_at:], o0 + old_at, n0 + new_at, 2, out)
    if suffix:
        out.append(Block("equal", a0 + len(old) - suffix, a0 + len(old), b0 + len(new) - suffix, b0 + len(new)))


def _matching_words(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int, int]]:
    """(old index, new index, length) of each run of words the two share, capitals aside, by a shortest edit script
    (Myers' diff in diff-match-patch, on one character per distinct word): time grows with text length times change."""
    codes: dict[str, str] = {}

    def encoded(words: Sequence[str]) -> str:
        keys = [word.casefold() for word in words]
        for key in keys:
            if key not in codes:
                point = 0x100 + len(codes)
                codes[key] = chr(point + 0x800 if point >= 0xD800 else point)  # no surrogate code points
        return "".join(codes[key] for key in keys)

    old_codes, new_codes = encoded(old), encoded(new)
    runs: list[tuple[int, int, int]] = []
    i = j = 0
    for op, length in fast_diff_match_patch.diff(old_codes, new_codes, timelimit=_TIME_LIMIT, checklines=False, cleanup="No"):
        if op == "=":
            runs.append((i, j, length))
            i, j = i + length, j + length
        elif op == "-":
            i += length
        else:
            j += length
    return runs


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


def _merged(blocks: Sequence[Block]) -> list[Block]:
    """Drop empty blocks and join neighbours of one kind. An insertion beside a replacement stays apart: text typed
    before a coding's rewritten first letter ("Nou, " + "H" → "h") is not the coding's."""
    merged: list[Block] = []
    for block in blocks:
        if block.old_start == block.old_end and block.new_start == block.new_end:
            continue
        if merged and merged[-1].tag == block.tag:
            last = merged[-1]
            merged[-1] = Block(block.tag, last.old_start, block.old_end, last.new_start, block.new_end)
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
        room_left = min(_MAX_SLIDE, before.old_end - before.old_start) if before is not None and before.tag == "equal" else 0
        room_right = min(_MAX_SLIDE, after.old_end - after.old_start) if after is not None and after.tag == "equal" else 0
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
        # The equal text on one side grows by the shift and on the other shrinks (or appears, at a text's edge).
        moved = Block(block.tag, block.old_start + best, block.old_end + best, block.new_start + best, block.new_end + best)
        if best > 0:
            gap = Block("equal", block.old_start, block.old_start + best, block.new_start, block.new_start + best)
            if before is not None and before.tag == "equal":
                result[index - 1] = Block("equal", before.old_start, gap.old_end, before.new_start, gap.new_end)
                gap = Block("equal", gap.old_end, gap.old_end, gap.new_end, gap.new_end)
            assert after is not None  # noqa: S101 - room to the right came from the equal block after
            result[index + 1] = Block("equal", after.old_start + best, after.old_end, after.new_start + best, after.new_end)
            result[index] = moved
            result.insert(index, gap)
        else:
            gap = Block("equal", moved.old_end, block.old_end, moved.new_end, block.new_end)
            if after is not None and after.tag == "equal":
                result[index + 1] = Block("equal", gap.old_start, after.old_end, gap.new_start, after.new_end)
                gap = Block("equal", gap.old_start, gap.old_start, gap.new_start, gap.new_start)
            assert before is not None  # noqa: S101 - room to the left came from the equal block before
            result[index - 1] = Block("equal", before.old_start, before.old_end + best, before.new_start, before.new_end + best)
            result[index] = moved
            result.insert(index + 1, gap)
    return [b for b in result if b.old_start != b.old_end or b.new_start != b.new_end]
