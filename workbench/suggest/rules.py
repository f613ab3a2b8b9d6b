"""Rule suggestions: the codebook's keywords matched on lemmas with spaCy's PhraseMatcher and Matcher.

A keyword is a word ("bezoek"), a phrase ("op één lijn") or a simple token pattern in which a word ending in `*`
matches every lemma that starts with it and a lone `*` any one word ("bezoek* van *"). Keywords are lemmatised like
the text, so "bezoek" matches "bezoeken", "bezoekt" and "bezocht". A code that lists no keywords gets them from its
name, description and include criteria (their content words), at half weight: the researcher did not choose them.
Each keyword is weighted by how specific it is: a word many codes share ("deelnemer") says little about which.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.core.codebook import Codebook
from workbench.core.model import Code
from workbench.suggest.pipeline import TokenCache, Tokens, analyse_many

Analyse = Callable[[Sequence[str]], list[Tokens]]

#: How much one fully specific listed keyword counts towards a code's rule score: two of them give 0.75.
KEYWORD_STRENGTH = 0.5
#: Keywords a code did not list itself (from its name, description, criteria) count this much of a listed one.
DERIVED_WEIGHT = 0.5
#: Words of a name shorter than this are not made keywords: abbreviations such as "m.b.t." say nothing.
_MIN_DERIVED_LENGTH = 3
_PREFIX_MBT = re.compile(r"^\s*m\.?\s*b\.?\s*t\.?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Keyword:
    """One keyword of one code: as written, its lemma pattern, and its weight."""

    code_id: str
    text: str
    lemmas: tuple[str, ...]
    listed: bool
    weight: float

    @property
    def is_pattern(self) -> bool:
        """Whether it needs the Matcher (a `*` in it) rather than the PhraseMatcher."""
        return any(lemma.endswith("*") for lemma in self.lemmas)


@dataclass(frozen=True)
class RuleHit:
    """A code's rule score for a text and the words that matched its keywords."""

    code_id: str
    score: float
    evidence: tuple[str, ...]


def _pattern_lemmas(keyword: str, lemmatised: tuple[str, ...], analyse: Analyse) -> tuple[str, ...]:
    """The keyword's lemmas, keeping `*` wildcards as written (a prefix is matched as typed, lower-cased)."""
    if "*" not in keyword:
        return lemmatised
    # One lemma per space-separated word: spaCy would split "bezoek*" into two tokens.
    words = keyword.split()
    lemmas = [tokens.lemmas[0] if len(tokens) else word.lower() for word, tokens in zip(words, analyse(words), strict=True)]
    return tuple(word.lower() if word.endswith("*") else lemma for word, lemma in zip(words, lemmas, strict=True))


def _derived_texts(code: Code) -> list[str]:
    """What a code without listed keywords gets keywords from: its name, description and include criteria."""
    return [t for t in (_PREFIX_MBT.sub("", code.name), code.description, code.include) if t.strip()]


def _content_lemmas(analysed: Iterable[Tokens], stop_words: frozenset[str]) -> list[str]:
    """Content lemmas of a code's analysed texts, each once."""
    seen: dict[str, None] = {}
    for tokens in analysed:
        for index, lemma in enumerate(tokens.lemmas):
            if tokens.is_content(index) and len(lemma) >= _MIN_DERIVED_LENGTH and lemma not in stop_words:
                seen.setdefault(lemma, None)
    return list(seen)


def build_keywords(book: Codebook, analyse: Analyse = analyse_many) -> list[Keyword]:
    """Every code's keywords with their weights: listed ones as given, else derived from the code's own text."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    stop_words = frozenset(STOP_WORDS)
    raw: list[tuple[str, str, tuple[str, ...], bool]] = []
    listed_texts = [(code.id, keyword) for code in book.codes for keyword in code.keywords if keyword.strip()]
    for (code_id, keyword), tokens in zip(listed_texts, analyse([k for _, k in listed_texts]), strict=True):
        if len(tokens):
            raw.append((code_id, keyword, _pattern_lemmas(keyword, tokens.lemmas, analyse), True))
    # Every code's own texts analysed in one call: with the project's token cache, one read (and at most one write)
    # of the cache instead of one or two per code.
    unlisted = [(code, _derived_texts(code)) for code in book.codes if not any(k.strip() for k in code.keywords)]
    analysed = iter(analyse([text for _, texts in unlisted for text in texts]))
    for code, texts in unlisted:
        derived = _content_lemmas([next(analysed) for _ in texts], stop_words)
        raw += [(code.id, lemma, (lemma,), False) for lemma in derived]
    # Specificity: an inverse document frequency over codes, 1 for a keyword of one code, near 0 for one of all.
    codes_with: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for code_id, _, lemmas, _ in raw:
        codes_with[lemmas].add(code_id)
    total = max(len(book.codes), 2)
    keywords = []
    for code_id, text, lemmas, listed in raw:
        specificity = math.log(total / len(codes_with[lemmas])) / math.log(total)
        weight = (1.0 if listed else DERIVED_WEIGHT) * max(specificity, 0.05)
        keywords.append(Keyword(code_id, text, lemmas, listed, weight))
    return keywords


class KeywordRules:
    """The codebook's keywords compiled into one PhraseMatcher (words, phrases) and one Matcher (patterns).

    With a token cache the keywords' lemmas come from the project, so building the rules runs no NLP either.
    """

    def __init__(self, book: Codebook, cache: TokenCache | None = None) -> None:
        from spacy.matcher import Matcher, PhraseMatcher
        from spacy.tokens import Doc
        from spacy.vocab import Vocab

        self.book = book
        self.keywords = build_keywords(book, cache.texts if cache is not None else analyse_many)
        # The matchers compare lemmas the documents bring along, so a bare vocabulary will do: no pipeline to load.
        self._vocab = vocab = Vocab()
        self._doc = Doc
        self._phrases = PhraseMatcher(vocab, attr="LEMMA")
        self._patterns = Matcher(vocab)
        self._lock = threading.Lock()
        for number, keyword in enumerate(self.keywords):
            key = str(number)
            if keyword.is_pattern:
                self._patterns.add(key, [[_token_pattern(lemma) for lemma in keyword.lemmas]])
            else:
                self._phrases.add(key, [Doc(vocab, words=list(keyword.lemmas), lemmas=list(keyword.lemmas))])

    def hits(self, tokens: Tokens, words: Sequence[str]) -> dict[str, RuleHit]:
        """Rule hits by code for a text given as its tokens and the words as written."""
        if not len(tokens):
            return {}
        doc = self._doc(self._vocab, words=list(words), lemmas=list(tokens.lemmas))
        strings = self._vocab.strings
        # The matchers are not documented as thread-safe; a background retrain and the screen may both ask.
        with self._lock:
            matches = [*self._phrases(doc), *(self._patterns(doc) if len(self._patterns) else ())]
            found = [(strings[key], start, end) for key, start, end in matches]
        matched: dict[str, dict[int, list[str]]] = defaultdict(dict)
        for key, start, end in found:
            number = int(key)
            keyword = self.keywords[number]
            matched[keyword.code_id].setdefault(number, []).extend(words[start:end])
        return {code_id: _hit(code_id, self.keywords, by_keyword) for code_id, by_keyword in matched.items()}


def _hit(code_id: str, keywords: Sequence[Keyword], by_keyword: dict[int, list[str]]) -> RuleHit:
    """A code's score from its distinct matched keywords, strongest evidence first."""
    missing = 1.0
    for number in by_keyword:
        missing *= 1.0 - KEYWORD_STRENGTH * keywords[number].weight
    ordered = sorted(by_keyword, key=lambda n: -keywords[n].weight)
    evidence = _unique(word for number in ordered for word in by_keyword[number])
    return RuleHit(code_id, 1.0 - missing, evidence)


def _unique(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w.lower() for w in words))


def _token_pattern(lemma: str) -> dict[str, Any]:
    """One Matcher token: a prefix for "word*", any token for "*", else the lemma itself."""
    if lemma == "*":
        return {}
    if lemma.endswith("*"):
        return {"LEMMA": {"REGEX": "^" + re.escape(lemma[:-1])}}
    return {"LEMMA": lemma}
