"""Ranking: rule and learned scores combined per code, read per code or per theme, for a text, a unit or a document."""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from workbench.core.codebook import Codebook
from workbench.core.store import Store
from workbench.core.units import overlaps
from workbench.suggest.learned import LearnedModel, current_model
from workbench.suggest.model import Source, Suggestion, ThemeScore, UnitSuggestions
from workbench.suggest.pipeline import Cancelled, TokenCache, Tokens, analyse
from workbench.suggest.rules import KeywordRules, RuleHit
from workbench.suggest.samples import Corpus, load_corpus, span_of

#: How many suggestions a unit gets unless asked otherwise: what the coding screen has keys for (1–3).
TOP = 3


def theme_of(book: Codebook, code_id: str) -> str:
    """The theme a code belongs to: its ancestor on the second level (dimension → theme → code), or itself above."""
    chain = [*book.ancestors(code_id), book.get(code_id)]
    return chain[1].id if len(chain) >= 2 else chain[0].id


def suggestible(book: Codebook, code_id: str) -> bool:
    """Whether a code is offered as a suggestion: any code but a dimension with codes below it (nobody codes those)."""
    code = book.get(code_id)
    return code.parent_id is not None or not book.children(code_id)


_rules_lock = threading.Lock()
_rules: dict[tuple[object, ...], KeywordRules] = {}


def rules_for(book: Codebook, cache: TokenCache | None = None) -> KeywordRules:
    """The compiled keyword rules of a codebook snapshot, built once per snapshot (a codebook edit makes a new one)."""
    key = tuple(book.codes)
    with _rules_lock:
        found = _rules.get(key)
        if found is None:
            _rules.clear()  # one codebook at a time is in use; an edited one replaces it
            found = _rules[key] = KeywordRules(book, cache)
        return found


@dataclass(frozen=True)
class Scored:
    """Every code's scores for one text, before ranking: learned probabilities, keyword hits, and the code tree."""

    book: Codebook
    words: tuple[str, ...]
    tokens: Tokens
    #: Calibrated probability per learned code: for a theme, that it or a code below it applies.
    learned: Mapping[str, float]
    #: Per learned code, the share of its training spans coded with it directly (1 for a code nothing is below).
    direct: Mapping[str, float]
    rules: Mapping[str, RuleHit]
    #: The text's TF-IDF row (column → weight) under the model, for the evidence of learned scores.
    weights: Mapping[int, float] = field(default_factory=dict)
    #: Each code's theme, worked out once per codebook (see `theme_of`).
    theme_ids: Mapping[str, str] = field(default_factory=dict)

    def score(self, code_id: str) -> tuple[float, Source]:
        """The score of coding exactly this code, and which source gave more.

        Keywords and the model each raise it (1 - (1 - learned)(1 - rule)); a theme's probability counts only as far
        as coders code the theme itself. (Scaling a code by its theme's probability was tried: it lowered precision at
        both levels on the demo, since themes with too few codings to learn were favoured over learned ones.)
        """
        learned = self.learned.get(code_id, 0.0) * self.direct.get(code_id, 1.0)
        hit = self.rules.get(code_id)
        rule = hit.score if hit is not None else 0.0
        combined = 1.0 - (1.0 - learned) * (1.0 - rule)
        return combined, (Source.LEARNED if learned >= rule else Source.RULE)

    def theme_score(self, code_id: str) -> tuple[float, Source]:
        """The score a code gives its theme: a theme's own probability counts whole (something under it applies)."""
        theme = self.theme_ids.get(code_id) or theme_of(self.book, code_id)
        if code_id != theme or code_id not in self.learned:
            return self.score(code_id)
        learned = self.learned[code_id]
        hit = self.rules.get(code_id)
        rule = hit.score if hit is not None else 0.0
        return 1.0 - (1.0 - learned) * (1.0 - rule), (Source.LEARNED if learned >= rule else Source.RULE)


class Scorer:
    """Scores texts against a codebook with its keyword rules and (if any) a learned model."""

    def __init__(self, book: Codebook, model: LearnedModel | None, rules: KeywordRules | None = None, use_rules: bool = True) -> None:
        self.book = book
        self.model = model
        self.rules = (rules or rules_for(book)) if use_rules else None
        # Asked for every code of every unit: worked out once per codebook rather than by walking the tree each time.
        self.theme_ids = {code.id: theme_of(book, code.id) for code in book.codes}
        self.offered = {code.id for code in book.codes if suggestible(book, code.id)}

    def score(self, texts: Sequence[tuple[Tokens, Sequence[str]]]) -> list[Scored]:
        """Scores of each text, given as its tokens and its words as written."""
        model = self.model
        learned: list[dict[str, float]] = [{} for _ in texts]
        weights: list[dict[int, float]] = [{} for _ in texts]
        direct: dict[str, float] = {}
        if model is not None and model.classes and texts:
            direct = {code_id: float(share) for code_id, share in zip(model.classes, model.direct, strict=True)}
            vectors = model.vectors([tokens.content_lemmas() for tokens, _ in texts])
            weights = model.weights(vectors)
            for row, found in zip(model.probabilities_of(vectors), learned, strict=True):
                found.update({code_id: float(p) for code_id, p in zip(model.classes, row, strict=True) if code_id in self.book.by_id})
        return [
            Scored(self.book, tuple(words), tokens, found, direct, self.rules.hits(tokens, words) if self.rules is not None else {}, row,
                   self.theme_ids)
            for (tokens, words), found, row in zip(texts, learned, weights, strict=True)
        ]

    def suggestions(self, scored: Scored, top: int = TOP, exclude: Collection[str] = ()) -> list[Suggestion]:
        """The best `top` codes for a scored text, best first, leaving out `exclude`."""
        candidates = [c for c in {*scored.learned, *scored.rules} if c not in exclude and c in self.offered]
        ranked = sorted(((scored.score(c), c) for c in candidates), key=lambda item: (-item[0][0], item[1]))
        return [self._suggestion(scored, code_id, score, source) for (score, source), code_id in ranked[:top] if score > 0]

    def themes(self, scored: Scored, top: int = TOP, exclude: Collection[str] = ()) -> list[ThemeScore]:
        """Themes by their best code's score (the theme's own counts too), best first: a junior often knows the theme first."""
        best: dict[str, tuple[float, str, Source]] = {}
        for code_id in {*scored.learned, *scored.rules}:
            if code_id in exclude or code_id not in self.offered:
                continue
            theme = self.theme_ids[code_id]
            score, source = scored.theme_score(code_id)
            if score > best.get(theme, (0.0, "", source))[0]:
                best[theme] = (score, code_id, source)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:top]
        return [
            ThemeScore(theme_id=theme, name=self.book.get(theme).name, path=tuple(self.book.path(theme)), score=round(score, 4),
                       code_id=code_id, evidence=self._evidence(scored, code_id, source), source=source)
            for theme, (score, code_id, source) in ranked
        ]

    def _suggestion(self, scored: Scored, code_id: str, score: float, source: Source) -> Suggestion:
        code = self.book.get(code_id)
        theme = self.theme_ids[code_id]
        return Suggestion(
            code_id=code_id, name=code.name, path=tuple(self.book.path(code_id)), theme_id=theme, theme=self.book.get(theme).name,
            score=round(score, 4), evidence=self._evidence(scored, code_id, source), source=source,
        )

    def _evidence(self, scored: Scored, code_id: str, source: Source) -> tuple[str, ...]:
        hit = scored.rules.get(code_id)
        if source is Source.RULE and hit is not None:
            return hit.evidence[:3]
        if self.model is None:
            return ()
        lemmas = self.model.evidence(scored.tokens.content_lemmas(), code_id, weights=scored.weights)
        # Show each word as the text has it ("bezocht"), not as its lemma ("bezoek").
        written: dict[str, str] = {}
        for lemma, word in zip(scored.tokens.lemmas, scored.words, strict=True):
            written.setdefault(lemma, word.lower())
        return tuple(written.get(lemma, lemma) for lemma in lemmas)


def _words(text: str, tokens: Tokens) -> tuple[str, ...]:
    return tuple(text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True))


def suggest_text(store: Store, text: str, *, top: int = TOP, coder: str | None = None) -> list[Suggestion]:
    """Ranked codes for a free text, from the project's codebook and what its model learned (of `coder`'s codings)."""
    scorer = _scorer(store, coder)
    tokens = analyse(text)
    return scorer.suggestions(scorer.score([(tokens, _words(text, tokens))])[0], top)


def suggest_text_themes(store: Store, text: str, *, top: int = TOP, coder: str | None = None) -> list[ThemeScore]:
    """Ranked themes for a free text."""
    scorer = _scorer(store, coder)
    tokens = analyse(text)
    return scorer.themes(scorer.score([(tokens, _words(text, tokens))])[0], top)


def suggest_unit(
    store: Store, document: str, start: int, end: int, *, top: int = TOP, coder: str | None = None, cancelled: Cancelled | None = None
) -> list[Suggestion]:
    """Ranked codes for one unit of a document, leaving out codes rejected for it and codes it already has.

    Never waits for a training: it uses the newest model there is (see `learned.retrain` for the background worker).
    `coder`: whose codings the model learned from and whose codings on the unit are left out (None: everybody's).
    `cancelled`: asked while a document not analysed before is (a long transcript takes seconds).
    """
    corpus = load_corpus(store, documents=[document], cancelled=cancelled)
    (found,) = _unit_suggestions(store, document, [(start, end)], top, coder, corpus)
    return list(found.suggestions)


def theme_scores(store: Store, document: str, start: int, end: int, *, top: int = TOP, coder: str | None = None) -> list[ThemeScore]:
    """Ranked themes for one unit (each theme scored by its best code), leaving out rejected and given codes."""
    (found,) = _unit_suggestions(store, document, [(start, end)], top, coder)
    return list(found.themes)


def suggest_document(store: Store, document: str, *, top: int = TOP, coder: str | None = None) -> list[UnitSuggestions]:
    """Ranked codes and themes for every unit of a document (answer, turns or paragraphs), in text order."""
    corpus = load_corpus(store, documents=[document])
    spans = [(u.start, u.end) for u in corpus.units(document)]
    return _unit_suggestions(store, document, spans, top, coder, corpus)


def _unit_suggestions(
    store: Store, document: str, spans: Sequence[tuple[int, int]], top: int, coder: str | None, corpus: Corpus | None = None
) -> list[UnitSuggestions]:
    corpus = corpus or load_corpus(store, documents=[document])
    for start, end in spans:
        span_of(corpus, document, start, end)
    scorer = Scorer(corpus.book, current_model(store, coder), rules_for(corpus.book, corpus.cache))
    tokens = corpus.tokens[document]
    text = corpus.by_name[document].text
    windows = [tokens.window(start, end) for start, end in spans]
    scored = scorer.score([(w, _words(text, w)) for w in windows])
    found = []
    for (start, end), one in zip(spans, scored, strict=True):
        exclude = _excluded(corpus, document, start, end, coder)
        found.append(UnitSuggestions(document, start, end, tuple(scorer.suggestions(one, top, exclude)),
                                     tuple(scorer.themes(one, top, exclude=_rejected(corpus, document, start, end)))))
    return found


def _rejected(corpus: Corpus, document: str, start: int, end: int) -> set[str]:
    """Codes whose suggestion somebody rejected for exactly this unit: never offered for it again."""
    return {code for d, s, e, code, _ in corpus.rejections if (d, s, e) == (document, start, end)}


def _excluded(corpus: Corpus, document: str, start: int, end: int, coder: str | None) -> set[str]:
    given = {
        code for d, s, e, code, who in corpus.codings
        if d == document and overlaps((s, e), (start, end)) and (coder is None or who == coder)
    }
    return given | _rejected(corpus, document, start, end)


def _scorer(store: Store, coder: str | None) -> Scorer:
    from workbench.core.codebook import codebook

    book = codebook(store)
    return Scorer(book, current_model(store, coder), rules_for(book, TokenCache(store)))
