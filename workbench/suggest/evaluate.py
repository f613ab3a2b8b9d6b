"""How good the suggestions are on the project's own codings: cross-validation grouped by respondent.

Each fold trains on the codings of some respondents and suggests for the units of the others, so one respondent's
answers never train and test at once (their way of writing would flatter the model). Every unit some coding counts
for (as in agreement: it covers half the unit, or half of it lies in the unit) is a test unit; its gold labels are
the codes (or their themes) of those codings. Next to ours, two baselines: the majority (always the training folds'
most frequent codes) and the keywords alone (the rules without the learned model).
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from workbench.core.store import Store
from workbench.errors import SuggestError
from workbench.suggest.learned import train
from workbench.suggest.rank import Scorer, rules_for, theme_of
from workbench.suggest.samples import Corpus, CorpusUnit, load_corpus

#: Folds of the cross-validation (fewer when there are fewer respondents).
FOLDS = 5
#: The rank the "@3" measures look at: the coding screen offers three suggestions.
K = 3


class Level(enum.StrEnum):
    """What a suggestion is judged on: the exact code, or only its theme."""

    CODE = "code"
    THEME = "theme"

    @classmethod
    def parse(cls, value: str) -> Level:
        """The level named `value`, or a SuggestError naming the choices."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise SuggestError(f"unknown level {value!r} (choose code or theme)") from None


class Method(enum.StrEnum):
    """What made the ranking."""

    SUGGESTIONS = "suggestions"  # keywords and the learned model, as the coding screen shows them
    KEYWORDS = "keywords only"
    MAJORITY = "majority"


@dataclass(frozen=True)
class Measures:
    """Precision at 1 and 3, recall at 3 and hit rate at 3 over the test units (each in [0, 1])."""

    precision_at_1: float
    precision_at_3: float
    recall_at_3: float
    hit_at_3: float


@dataclass(frozen=True)
class ClassMeasures:
    """One code's or theme's share: how many test units carry it, recall at 3 per method, and our precision at 1."""

    label: str
    name: str
    units: int
    recall_at_3: dict[Method, float]
    #: Of the units where our first suggestion was this label, the share that carried it (None: never first).
    precision_at_1: float | None


@dataclass(frozen=True)
class Evaluation:
    """A cross-validation: what was tested, the overall measures per method, and per label."""

    level: Level
    coder: str | None
    folds: int
    respondents: int
    units: int
    labels: int
    overall: dict[Method, Measures]
    per_label: tuple[ClassMeasures, ...]


@dataclass(frozen=True)
class _TestUnit:
    unit: CorpusUnit
    gold: frozenset[str]


def evaluate(store: Store, *, level: Level = Level.THEME, coder: str | None = None, folds: int = FOLDS) -> Evaluation:
    """Cross-validate the suggestions on the project's codings (of `coder`, or everyone's) at a level."""
    corpus = load_corpus(store)
    return evaluate_corpus(corpus, level=level, coder=coder, folds=folds)


def evaluate_corpus(corpus: Corpus, *, level: Level = Level.THEME, coder: str | None = None, folds: int = FOLDS) -> Evaluation:
    """`evaluate` on a corpus already loaded."""
    book = corpus.book
    label: Callable[[str], str] = (lambda c: c) if level is Level.CODE else (lambda c: theme_of(book, c))
    tests = _test_units(corpus, coder, label)
    respondents = sorted({t.unit.respondent for t in tests})
    if len(respondents) < 2:
        who = f" by {coder}" if coder else ""
        raise SuggestError(f"too few coded respondents{who} to cross-validate (need 2, have {len(respondents)})")
    folds = min(folds, len(respondents))
    fold_of = _folds(tests, folds)
    samples = corpus.samples(coder)
    rankings: dict[Method, list[list[str]]] = {m: [[] for _ in tests] for m in Method}
    keywords = Scorer(book, None, rules_for(book, corpus.cache))
    for fold in range(folds):
        held_out = {t.unit.respondent for t, f in zip(tests, fold_of, strict=True) if f == fold}
        training = [s for s in samples if s.respondent not in held_out]
        ours = Scorer(book, train(training, book), rules_for(book, corpus.cache))
        frequent = Counter(label(c) for s in training for c in s.codes if c in book.by_id)
        majority = [name for name, _ in frequent.most_common(K)]
        indices = [i for i, f in enumerate(fold_of) if f == fold]
        texts = [(tests[i].unit.tokens, _words(corpus, tests[i].unit)) for i in indices]
        for method, scorer in ((Method.SUGGESTIONS, ours), (Method.KEYWORDS, keywords)):
            for i, scored in zip(indices, scorer.score(texts), strict=True):
                rankings[method][i] = _ranking(scorer, scored, level)
        for i in indices:
            rankings[Method.MAJORITY][i] = majority
    gold = [t.gold for t in tests]
    overall = {method: _measures(ranked, gold) for method, ranked in rankings.items()}
    return Evaluation(
        level=level, coder=coder, folds=folds, respondents=len(respondents), units=len(tests),
        labels=len({g for labels in gold for g in labels}), overall=overall,
        per_label=_per_label(book, rankings, gold),
    )


def _words(corpus: Corpus, unit: CorpusUnit) -> list[str]:
    text = corpus.by_name[unit.document].text
    return [text[s:e] for s, e in zip(unit.tokens.starts, unit.tokens.ends, strict=True)]


def _ranking(scorer: Scorer, scored: object, level: Level) -> list[str]:
    from workbench.suggest.rank import Scored

    assert isinstance(scored, Scored)  # noqa: S101 - the scorer's own type, narrowed for mypy
    if level is Level.THEME:
        return [t.theme_id for t in scorer.themes(scored, K)]
    return [s.code_id for s in scorer.suggestions(scored, K)]


def _test_units(corpus: Corpus, coder: str | None, label: Callable[[str], str]) -> list[_TestUnit]:
    """Units some coding (of `coder`) counts for, with the labels of those codings."""
    by_document: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for document, start, end, code_id, who in corpus.codings:
        if (coder is None or who == coder) and code_id in corpus.book.by_id:
            by_document[document].append((start, end, code_id))
    tests = []
    for document in sorted(by_document):
        for unit in corpus.units(document):
            gold = frozenset(label(code_id) for start, end, code_id in by_document[document] if _counts_for(unit, start, end))
            if gold:
                tests.append(_TestUnit(unit, gold))
    return tests


def _counts_for(unit: CorpusUnit, start: int, end: int) -> bool:
    """A coding counts for a unit when it covers half of the unit or half of the coding lies inside (as in agreement)."""
    shared = min(unit.end, end) - max(unit.start, start)
    return shared > 0 and (2 * shared >= unit.end - unit.start or 2 * shared >= end - start)


def _folds(tests: Sequence[_TestUnit], folds: int) -> list[int]:
    """A fold per test unit, whole respondents to a fold, respondents with most units spread first (GroupKFold's way)."""
    sizes = Counter(t.unit.respondent for t in tests)
    load = [0] * folds
    fold_of_respondent: dict[str, int] = {}
    for respondent, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        fold = min(range(folds), key=lambda f: (load[f], f))
        fold_of_respondent[respondent] = fold
        load[fold] += size
    return [fold_of_respondent[t.unit.respondent] for t in tests]


def _measures(rankings: Sequence[Sequence[str]], gold: Sequence[frozenset[str]]) -> Measures:
    n = len(gold)
    first = sum(1 for ranked, labels in zip(rankings, gold, strict=True) if ranked[:1] and ranked[0] in labels)
    found = [len(set(ranked[:K]) & labels) for ranked, labels in zip(rankings, gold, strict=True)]
    return Measures(
        precision_at_1=first / n,
        precision_at_3=sum(found) / (K * n),
        recall_at_3=sum(f / len(labels) for f, labels in zip(found, gold, strict=True)) / n,
        hit_at_3=sum(1 for f in found if f) / n,
    )


def _per_label(book: object, rankings: dict[Method, list[list[str]]], gold: Sequence[frozenset[str]]) -> tuple[ClassMeasures, ...]:
    from workbench.core.codebook import Codebook

    assert isinstance(book, Codebook)  # noqa: S101 - narrowed for mypy
    carried = Counter(g for labels in gold for g in labels)
    rows = []
    for name, count in sorted(carried.items(), key=lambda item: (-item[1], item[0])):
        recall = {
            method: sum(1 for ranked, labels in zip(ranked_all, gold, strict=True) if name in labels and name in ranked[:K]) / count
            for method, ranked_all in rankings.items()
        }
        firsts = [labels for ranked, labels in zip(rankings[Method.SUGGESTIONS], gold, strict=True) if ranked[:1] == [name]]
        precision = sum(1 for labels in firsts if name in labels) / len(firsts) if firsts else None
        rows.append(ClassMeasures(name, book.get(name).name, count, recall, precision))
    return tuple(rows)
