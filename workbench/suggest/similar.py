""""More like this": from a coded passage, the most similar uncoded units across the corpus, to code in a row.

Similarity is the cosine of TF-IDF vectors over the same features the learned model uses (content lemmas and their
character n-grams), fitted on every unit of the corpus. The unit index is kept in memory per corpus (documents never
change, so the set of document hashes identifies it) and rebuilt only when documents are added or removed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.core.store import Store
from workbench.core.text import shorten
from workbench.core.units import overlaps
from workbench.suggest.learned import features
from workbench.suggest.model import SimilarUnit
from workbench.suggest.samples import Corpus, CorpusUnit, load_corpus, span_of

#: How many similar units are listed unless asked otherwise.
LIMIT = 10
#: A unit's text is cut to this many characters in the list.
EXCERPT = 200


@dataclass(frozen=True, eq=False)
class _Index:
    units: tuple[CorpusUnit, ...]
    vectorizer: Any
    matrix: Any


_lock = threading.Lock()
_indexes: dict[tuple[str, tuple[str, ...]], _Index] = {}


def _index(store: Store, corpus: Corpus) -> _Index:
    key = (str(store.db_path.resolve()), tuple(sorted(d.content_hash for d in corpus.documents)))
    with _lock:
        found = _indexes.get(key)
        if found is None:
            from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

            units = tuple(unit for document in corpus.documents for unit in corpus.units(document.name))
            vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, dtype=np.float32)
            matrix = vectorizer.fit_transform([u.tokens.content_lemmas() for u in units])
            _indexes.clear()  # one project's corpus at a time is in use
            found = _indexes[key] = _Index(units, vectorizer, matrix)
        return found


def more_like_this(
    store: Store, document: str, start: int, end: int, *, limit: int = LIMIT, coder: str | None = None
) -> list[SimilarUnit]:
    """The uncoded units (by `coder`, or by anyone) most like the passage [start, end) of a document, most similar first."""
    corpus = load_corpus(store)
    span_of(corpus, document, start, end)
    index = _index(store, corpus)
    query = corpus.tokens[document].window(start, end).content_lemmas()
    if not query:
        return []
    scores = np.asarray((index.matrix @ index.vectorizer.transform([query]).T).todense()).ravel()
    coded: dict[str, list[tuple[int, int]]] = {}
    for name, s, e, _, who in corpus.codings:
        if coder is None or who == coder:
            coded.setdefault(name, []).append((s, e))
    found: list[SimilarUnit] = []
    wanted = set(query)
    for number in np.argsort(-scores, kind="stable"):
        score = float(scores[number])
        if score <= 0 or len(found) >= limit:
            break
        unit = index.units[number]
        if unit.document == document and overlaps((unit.start, unit.end), (start, end)):
            continue
        if any(overlaps((unit.start, unit.end), span) for span in coded.get(unit.document, ())):
            continue
        text = corpus.by_name[unit.document].text[unit.start : unit.end]
        shared = tuple(dict.fromkeys(lemma for lemma in unit.tokens.content_lemmas() if lemma in wanted))
        found.append(SimilarUnit(unit.document, unit.start, unit.end, round(min(score, 1.0), 4), shorten(text, EXCERPT), shared))
    return found
