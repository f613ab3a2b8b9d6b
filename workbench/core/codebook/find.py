"""Finding codes as the user types: every query word must match a word of the code's name, a theme above it, one
of its keywords or its id; exact and prefix matches rank first, a typo still matches, and each keystroke costs a
few dictionary look-ups over the codebook's vocabulary, never a search over whole code paths.

A query word matches a word as its prefix (or the word itself), inside it, as a typo (rapidfuzz ratio) or as an
abbreviation; matches in the code's own name rank above those in a theme, a keyword, then the id."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from rapidfuzz import fuzz, process

from workbench.core.codebook.tree import Codebook
from workbench.core.model import Code

#: A matched stretch of a name: [start, end) character offsets.
Span = tuple[int, int]

#: Letters and digits; "-", "_", "/", "." and the like separate words (in names and in ids alike).
_WORD = re.compile(r"[^\W_]+")
#: A query word this short only matches as a prefix: "on" inside "persoon" is noise, not a hit.
MIN_INFIX = 3
#: A query word this short is never matched fuzzily: one changed letter in four is a different word.
MIN_FUZZY = 4
#: The rapidfuzz ratio (0-100) a word must reach to count as a typo of the query word.
FUZZY_CUTOFF = 80.0
#: An abbreviation's closeness is its share of the word times this, below any typo's (FUZZY_CUTOFF / 100).
ABBREVIATION_WEIGHT = 0.75
#: An abbreviation stands for a word at most this many times its length: "steun" is not "sociotherapeuten".
ABBREVIATION_SPREAD = 2
#: Distinct query words whose matches are kept; typing a query creates one entry per keystroke.
CACHE_SIZE = 512


class Field(IntEnum):
    """Where in a code a word was found; a higher value ranks higher."""

    ID = 1
    KEYWORD = 2
    THEME = 3
    NAME = 4


class Strength(IntEnum):
    """How a query word matched a word; a higher value ranks higher, whatever the field."""

    FUZZY = 0
    INFIX = 1
    PREFIX = 2  # also an exact match: closeness tells the two apart


@dataclass(frozen=True)
class CodeMatch:
    """A code that matches a query: its score and where the query matched in its name and in its themes' names."""

    code: Code
    score: float
    themes: tuple[str, ...] = ()  # the names of the code's ancestors, root first
    name_spans: tuple[Span, ...] = ()
    theme_spans: tuple[tuple[Span, ...], ...] = ()  # one tuple per theme, in the order of `themes`


#: A word of a name: (folded, start, end) with [start, end) its place in the name.
_Token = tuple[str, int, int]
#: The vocabulary words one query word matches: vocabulary index → (strength, closeness in 0..1).
_WordMatches = dict[int, tuple[Strength, float]]


def fold(text: str) -> str:
    """The text as matching sees it: case folded and without accents ("Hiërarchie" → "hierarchie")."""
    if text.isascii():
        return text.lower()  # most words, and ten times faster than decomposing
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def query_words(query: str) -> list[str]:
    """The words of a query, folded, in the order typed."""
    return [fold(found.group()) for found in _WORD.finditer(query)]


def _words(text: str) -> list[str]:
    """The folded words of a name, for the index (`_tokens` has their places, for highlighting)."""
    if text.isascii():
        return _WORD.findall(text.lower())
    return [fold(word) for word in _WORD.findall(text)]


def _tokens(text: str) -> tuple[_Token, ...]:
    if not text.isascii():
        return tuple((fold(found.group()), found.start(), found.end()) for found in _WORD.finditer(text))
    # Folding keeps every offset here; each word is a whole run of word characters, so its first occurrence
    # after the previous word is where it is (str.find beats making a match object per word).
    lowered = text.lower()
    tokens: list[_Token] = []
    at = 0
    for word in _WORD.findall(lowered):
        at = lowered.find(word, at)
        tokens.append((word, at, at + len(word)))
        at += len(word)
    return tuple(tokens)


def _score(strength: Strength, field: Field, closeness: float) -> float:
    """One query word's score: strength first, then field, then closeness, also when summed over the query's words.

    Closeness (0..1) adds less than 100 for any query under 100 words, and fields (at most 4 × 100 a word) add
    less than 100,000 for any under 250, so "every word exact somewhere" beats "one word a typo in the name", and
    "all in the name" beats "one in a theme", whatever the closeness.
    """
    return strength * 100_000 + field * 100 + closeness


def _strength_of(score: float) -> Strength:
    return Strength(int(score // 100_000))


@dataclass(frozen=True)
class _Ranking:
    """The ranking of one query, kept so `search` and `count` for the same keystroke share the work."""

    key: tuple[tuple[str, ...], frozenset[str]]
    ranked: list[tuple[float, int]]  # (-score, code position), best first
    best_by_word: dict[str, dict[int, float]]  # each query word's best score per code position


def _postings(lists: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    return {word: tuple(positions) for word, positions in lists.items()}


class CodeFinder:
    """An index of one codebook's words, built once, that ranks its codes for a typed query."""

    def __init__(self, book: Codebook) -> None:
        self.book = book
        self.codes: tuple[Code, ...] = tuple(code for _, code in book.walk())
        position_of = {code.id: position for position, code in enumerate(self.codes)}
        # Walk order puts every parent before its children, so a code's descendants are the positions right after it,
        # up to its subtree's end: a theme's words reach its descendants as one range, not one posting each.
        ancestors: list[tuple[int, ...]] = []
        for code in self.codes:
            parent = None if code.parent_id is None else position_of[code.parent_id]
            ancestors.append(() if parent is None else (*ancestors[parent], parent))
        self._ancestors = tuple(ancestors)
        subtree_end = list(range(1, len(self.codes) + 1))
        for position in reversed(range(len(self.codes))):
            for ancestor in ancestors[position]:
                subtree_end[ancestor] = max(subtree_end[ancestor], subtree_end[position])
        self._subtree_end = tuple(subtree_end)
        in_name: dict[str, list[int]] = {}
        in_keywords: dict[str, list[int]] = {}
        in_id: dict[str, list[int]] = {}
        for position, code in enumerate(self.codes):
            for word in dict.fromkeys(_words(code.name)):
                in_name.setdefault(word, []).append(position)
            for word in dict.fromkeys(w for keyword in code.keywords for w in _words(keyword)):
                in_keywords.setdefault(word, []).append(position)
            for word in dict.fromkeys(_WORD.findall(code.id)):  # ids are lowercase ASCII slugs already
                in_id.setdefault(word, []).append(position)
        self._in_name, self._in_keywords, self._in_id = _postings(in_name), _postings(in_keywords), _postings(in_id)
        self._vocabulary: tuple[str, ...] = tuple(dict.fromkeys([*in_name, *in_keywords, *in_id]))
        self._index_of = {word: index for index, word in enumerate(self._vocabulary)}
        # Sorted for prefixes (a bisect), joined for words inside words (str.find runs in C).
        self._sorted = sorted(self._vocabulary)
        self._joined = "\n".join(self._vocabulary)
        self._starts = [0]
        for word in self._vocabulary[:-1]:
            self._starts.append(self._starts[-1] + len(word) + 1)
        self._name_tokens: dict[int, tuple[_Token, ...]] = {}  # filled for the codes shown, when shown
        self._prefixes: dict[int, list[str]] = {}
        self._matches: dict[str, _WordMatches] = {}
        self._last: _Ranking | None = None

    # -- matching one query word against the vocabulary ------------------------------------------------

    def _starting_with(self, prefix: str) -> Iterable[str]:
        """Vocabulary words that start with `prefix`."""
        first = bisect_left(self._sorted, prefix)
        for word in self._sorted[first:]:
            if not word.startswith(prefix):
                break
            yield word

    def _word_matches(self, word: str) -> _WordMatches:
        """Vocabulary words that `word` matches: index → (strength, closeness in 0..1). Cached per word."""
        cached = self._matches.get(word)
        if cached is not None:
            return cached
        found: _WordMatches = {}
        for candidate in self._starting_with(word):
            found[self._index_of[candidate]] = (Strength.PREFIX, len(word) / len(candidate))
        if len(word) >= MIN_INFIX:
            at = self._joined.find(word)
            while at != -1:
                index = bisect_right(self._starts, at) - 1
                if index not in found:
                    found[index] = (Strength.INFIX, len(word) / len(self._vocabulary[index]))
                at = self._joined.find(word, at + 1)
        if len(word) >= MIN_FUZZY:
            # Letters in order from the first, as in an abbreviation ("prsnl" for "personeel").
            abbreviation = re.compile("".join(f"[^{re.escape(c)}]*{re.escape(c)}" for c in word[1:]))
            for candidate in self._starting_with(word[0]):
                index = self._index_of[candidate]
                if index not in found and len(candidate) <= ABBREVIATION_SPREAD * len(word) and abbreviation.match(candidate, 1):
                    found[index] = (Strength.FUZZY, ABBREVIATION_WEIGHT * len(word) / len(candidate))
            # A typo in a whole word ("vrijheiden"), or in the part typed so far ("vrijhei" of "vrijheden").
            for choices in (self._vocabulary, self._prefixes_of(len(word))):
                for _, similarity, index in process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None):
                    if index not in found or (found[index][0] == Strength.FUZZY and found[index][1] < similarity / 100):
                        found[index] = (Strength.FUZZY, similarity / 100)
        if len(self._matches) >= CACHE_SIZE:
            del self._matches[next(iter(self._matches))]  # the oldest: dicts keep insertion order
        self._matches[word] = found
        return found

    def _prefixes_of(self, length: int) -> list[str]:
        """Every vocabulary word cut to `length` characters, in vocabulary order."""
        if length not in self._prefixes:
            self._prefixes[length] = [word[:length] for word in self._vocabulary]
        return self._prefixes[length]

    # -- ranking codes ---------------------------------------------------------------------------------

    def _best_per_code(self, word: str) -> dict[int, float]:
        """The best score `word` reaches in each code it matches, by code position."""
        groups: list[tuple[float, Iterable[int]]] = []
        for index, (strength, closeness) in self._word_matches(word).items():
            matched = self._vocabulary[index]
            names = self._in_name.get(matched, ())
            groups.append((_score(strength, Field.NAME, closeness), names))
            theme = _score(strength, Field.THEME, closeness)
            groups.extend((theme, range(p + 1, self._subtree_end[p])) for p in names if self._subtree_end[p] > p + 1)
            groups.append((_score(strength, Field.KEYWORD, closeness), self._in_keywords.get(matched, ())))
            groups.append((_score(strength, Field.ID, closeness), self._in_id.get(matched, ())))
        # Lowest score first, each group overwriting: every code ends with its best score (dict updates run in C).
        groups.sort(key=lambda group: group[0])
        best: dict[int, float] = {}
        for score, positions in groups:
            best.update(dict.fromkeys(positions, score))
        return best

    def _ranked(self, words: Sequence[str], exclude: Collection[str]) -> _Ranking:
        """Every matching code, best first with ties in codebook order, and each word's best score per code."""
        key = (tuple(words), frozenset(exclude))
        if self._last is not None and self._last.key == key:
            return self._last
        best_by_word = {word: self._best_per_code(word) for word in dict.fromkeys(words)}
        if not words:
            ranked = [(-0.0, position) for position in range(len(self.codes))]
        else:
            per_word = sorted((best_by_word[word] for word in words), key=len)
            first, rest = per_word[0], per_word[1:]
            if not rest:
                ranked = [(-score, position) for position, score in first.items()]
            else:
                common = first.keys() & set.intersection(*(set(best) for best in rest))
                ranked = [(-sum(best[position] for best in per_word), position) for position in common]
            ranked.sort()  # (-score, position): best first, ties in codebook order
        if key[1]:
            ranked = [entry for entry in ranked if self.codes[entry[1]].id not in key[1]]
        self._last = _Ranking(key, ranked, best_by_word)
        return self._last

    def search(self, query: str, *, limit: int | None = None, exclude: Collection[str] = ()) -> list[CodeMatch]:
        """The codes matching every word of `query`, best first (all codes in codebook order for an empty query)."""
        ranking = self._ranked(query_words(query), exclude)
        chosen = ranking.ranked if limit is None else ranking.ranked[:limit]
        highlighter = _Highlighter(self, ranking)
        return [highlighter.match(position, -negated) for negated, position in chosen]

    def count(self, query: str, *, exclude: Collection[str] = ()) -> int:
        """How many codes `search` finds for this query, however many it was asked to return."""
        return len(self._ranked(query_words(query), exclude).ranked)

    def tokens_of(self, position: int) -> tuple[_Token, ...]:
        """The words of the name of the code at `position` with their places, computed when first shown."""
        if position not in self._name_tokens:
            self._name_tokens[position] = _tokens(self.codes[position].name)
        return self._name_tokens[position]


class _Highlighter:
    """Where one query's words are in the names shown: each query word is lit where it matched as strongly as it
    matched anywhere in the code, so a fuzzy look-alike stays dark when the word itself is there."""

    def __init__(self, finder: CodeFinder, ranking: _Ranking) -> None:
        self.finder = finder
        self.words = [(word, finder._word_matches(word), best) for word, best in ranking.best_by_word.items()]
        self._spans: dict[tuple[int, tuple[Strength, ...]], tuple[Span, ...]] = {}

    def match(self, position: int, score: float) -> CodeMatch:
        """The code at `position` with the spans to highlight in its name and its themes."""
        finder = self.finder
        ancestors = finder._ancestors[position]
        strongest = tuple(_strength_of(best[position]) for _, _, best in self.words)
        return CodeMatch(
            finder.codes[position],
            score,
            tuple(finder.codes[a].name for a in ancestors),
            self.spans(position, strongest),
            tuple(self.spans(a, strongest) for a in ancestors),
        )

    def spans(self, position: int, strongest: tuple[Strength, ...]) -> tuple[Span, ...]:
        """The spans in the name at `position` (a theme's is asked for by each code below it: kept)."""
        key = (position, strongest)
        cached = self._spans.get(key)
        if cached is not None:
            return cached
        found: set[Span] = set()
        if self.words:
            index_of = self.finder._index_of
            wanted = [(word, matches, least) for (word, matches, _), least in zip(self.words, strongest, strict=True)]
            for token in self.finder.tokens_of(position):
                index = index_of[token[0]]
                for word, matches, least in wanted:
                    hit = matches.get(index)
                    if hit is not None and hit[0] >= least:
                        found.add(_span_in(token, word, hit[0]))
        self._spans[key] = result = tuple(sorted(found))
        return result


def _span_in(token: _Token, word: str, strength: Strength) -> Span:
    """The part of `token` that `word` matched; the whole token when folding changed its length (or for a typo)."""
    folded, start, end = token
    if len(folded) != end - start or strength == Strength.FUZZY:
        return (start, end)
    offset = 0 if strength == Strength.PREFIX else folded.find(word)
    return (start + offset, start + offset + len(word))
