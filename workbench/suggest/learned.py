"""Learned suggestions: a linear model per code, trained on the project's own codings and rejections.

Features are TF-IDF weights (scikit-learn) of the content lemmas and of their character 3–5-grams, so "teamoverleg"
shares something with "team" and a paraphrase with no word form in common still scores. Each code (and each theme
and dimension: a theme learns from every coding below it) with at least `MIN_CODINGS` coded spans gets its own
one-vs-rest linear SVM, calibrated to a probability with Platt's sigmoid on cross-validated scores; a rejected
suggestion is a negative example for that code alone. The evidence is the unit's words that add most to the score.

A trained model is stored in the project (`suggestion_models`) with the fingerprint of what it learned from, and kept
in memory: `retrain` is for a background worker (it trains only when the fingerprint changed, and never holds the
database while it trains), `current_model` for the screen (it never waits for a training).
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import delete, insert, select

from workbench.core import schema
from workbench.core.codebook import Codebook
from workbench.core.store import Store, timestamp
from workbench.errors import StoreError, SuggestCancelled, SuggestError
from workbench.suggest.pipeline import Cancelled
from workbench.suggest.samples import Corpus, Sample, learned_documents, load_corpus

#: A code is learned once this many distinct spans carry it (or, for a theme, a code below it).
MIN_CODINGS = 3
#: Character n-gram lengths: 3–5 catch Dutch compounds and inflections the lemmatiser missed.
CHAR_NGRAMS = range(3, 6)
#: The SVM's regularisation: small data, many features, so a fairly strong one.
SVM_C = 0.5
#: Folds of the calibration's cross-validation (fewer when a code has fewer codings).
CALIBRATION_FOLDS = 3

Array = npt.NDArray[np.float32]


def features(lemmas: Iterable[str]) -> list[str]:
    """A text's features: each content lemma ("w bezoek") and its character n-grams with word edges ("c <bez")."""
    found: list[str] = []
    for lemma in lemmas:
        found.append(f"w {lemma}")
        padded = f"<{lemma}>"
        for n in CHAR_NGRAMS:
            found += [f"c {padded[i:i + n]}" for i in range(len(padded) - n + 1)]
    return found


def labels_of(book: Codebook, codes: Iterable[str]) -> set[str]:
    """The codes and every code above them: a coding of an item is also a coding of its theme and dimension."""
    found: set[str] = set()
    for code_id in codes:
        if code_id in book.by_id:
            found.add(code_id)
            found.update(c.id for c in book.ancestors(code_id))
    return found


@dataclass(frozen=True, eq=False)
class LearnedModel:
    """A trained model: the TF-IDF vocabulary and weights, and per class a linear scorer and its sigmoid calibration."""

    classes: tuple[str, ...]
    vocabulary: tuple[str, ...]
    idf: Array
    coef: Array
    intercept: Array
    slope: Array
    offset: Array
    #: Per class, the share of its positive samples that carried the class itself rather than a code below it: how
    #: much the class's probability says "code this one" rather than "something under it applies".
    direct: Array = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    fingerprint: str = ""
    scope: str = "*"
    samples: int = 0
    trained: str = ""

    @cached_property
    def column(self) -> dict[str, int]:
        """Feature → column."""
        return {feature: number for number, feature in enumerate(self.vocabulary)}

    @cached_property
    def class_index(self) -> dict[str, int]:
        """Code id → row of `coef`."""
        return {code_id: number for number, code_id in enumerate(self.classes)}

    @cached_property
    def _vectorizer(self) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

        vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, vocabulary=self.column, dtype=np.float32)
        vectorizer.idf_ = self.idf
        return vectorizer

    def vectors(self, lemma_lists: Sequence[Sequence[str]]) -> Any:
        """TF-IDF rows (a scipy CSR matrix) of texts given as their content lemmas."""
        return self._vectorizer.transform(lemma_lists)

    def probabilities(self, lemma_lists: Sequence[Sequence[str]]) -> Array:
        """Calibrated probability of each class (columns) for each text (rows)."""
        if not self.classes or not lemma_lists:
            return np.zeros((len(lemma_lists), len(self.classes)), dtype=np.float32)
        return self.probabilities_of(self.vectors(lemma_lists))

    def probabilities_of(self, vectors: Any) -> Array:
        """Calibrated probability of each class (columns) for texts given as their TF-IDF rows (`vectors`)."""
        decision: Array = np.asarray(vectors @ self.coef.T, dtype=np.float32) + self.intercept
        probabilities: Array = (1.0 / (1.0 + np.exp(self.slope * decision + self.offset))).astype(np.float32)
        return probabilities

    def weights(self, vectors: Any) -> list[dict[int, float]]:
        """Each text's TF-IDF row as column → weight: what `evidence` reads, so a text is vectorised once."""
        return [
            dict(zip(vectors.indices[begin:end].tolist(), vectors.data[begin:end].tolist(), strict=True))
            for begin, end in zip(vectors.indptr[:-1].tolist(), vectors.indptr[1:].tolist(), strict=True)
        ]

    def evidence(
        self, lemmas: Sequence[str], code_id: str, limit: int = 3, weights: Mapping[int, float] | None = None
    ) -> tuple[str, ...]:
        """The lemmas of a text that add most to a class's score (their own feature and their n-grams), strongest first.

        `weights`: the text's TF-IDF row from `weights`, when the caller has it already.
        """
        row = self.class_index.get(code_id)
        if row is None or not lemmas:
            return ()
        if weights is None:
            weights = self.weights(self.vectors([lemmas]))[0]
        columns = np.fromiter(weights.keys(), dtype=np.int64, count=len(weights))
        values = np.fromiter(weights.values(), dtype=np.float32, count=len(weights))
        # Each of the text's features' share of the score, in one numpy step; a lemma adds up its features' shares.
        share = dict(zip(columns.tolist(), (self.coef[row][columns] * values).tolist(), strict=True))
        added = {lemma: sum(share.get(c, 0.0) for c in self._columns_of(lemma)) for lemma in dict.fromkeys(lemmas)}
        ranked = sorted((value, lemma) for lemma, value in added.items() if value > 0)
        return tuple(lemma for _, lemma in reversed(ranked[-limit:]))

    def _columns_of(self, lemma: str) -> frozenset[int]:
        found = self._lemma_columns.get(lemma)
        if found is None:
            found = self._lemma_columns[lemma] = frozenset(self.column[f] for f in features([lemma]) if f in self.column)
        return found

    @cached_property
    def _lemma_columns(self) -> dict[str, frozenset[int]]:
        # A lemma's feature columns, worked out once per model: evidence asks for the same words unit after unit.
        return {}

    # -- storage ---------------------------------------------------------------------------------------

    def to_blobs(self) -> tuple[str, bytes]:
        """The model as JSON (names) and a NumPy archive (numbers): no pickle, so loading runs no code."""
        meta = {
            "classes": list(self.classes), "vocabulary": list(self.vocabulary), "fingerprint": self.fingerprint,
            "scope": self.scope, "samples": self.samples, "trained": self.trained,
        }
        buffer = io.BytesIO()
        # float16 halves the blob; scores move by less than 0.001, far below what changes a ranking.
        np.savez_compressed(
            buffer, idf=self.idf, coef=self.coef.astype(np.float16), intercept=self.intercept, slope=self.slope, offset=self.offset,
            direct=self.direct,
        )
        return json.dumps(meta, ensure_ascii=False, separators=(",", ":")), buffer.getvalue()

    @classmethod
    def from_blobs(cls, meta_json: str, arrays: bytes) -> LearnedModel:
        """A model back from `to_blobs`."""
        meta = json.loads(meta_json)
        with np.load(io.BytesIO(arrays), allow_pickle=False) as stored:
            numbers = {name: stored[name].astype(np.float32) for name in ("idf", "coef", "intercept", "slope", "offset", "direct")}
        return cls(
            classes=tuple(meta["classes"]), vocabulary=tuple(meta["vocabulary"]), fingerprint=meta["fingerprint"],
            scope=meta["scope"], samples=int(meta["samples"]), trained=meta["trained"], **numbers,
        )


def train(samples: Sequence[Sample], book: Codebook, *, fingerprint: str = "", scope: str = "*") -> LearnedModel:
    """Train a model on samples: one calibrated linear SVM per code with at least MIN_CODINGS coded samples."""
    from sklearn.calibration import CalibratedClassifierCV  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]
    from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

    labelled = [labels_of(book, s.codes) for s in samples]
    counts: dict[str, int] = {}
    for labels in labelled:
        for code_id in labels:
            counts[code_id] = counts.get(code_id, 0) + 1
    coded = sum(1 for labels in labelled if labels)
    classes = sorted(c for c, n in counts.items() if n >= MIN_CODINGS and coded - n >= MIN_CODINGS)
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform([s.tokens.content_lemmas() for s in samples]) if samples else None
    if matrix is None or not classes:
        return _empty(fingerprint, scope, len(samples))
    vocabulary = tuple(vectorizer.get_feature_names_out().tolist())
    coefs, intercepts, slopes, offsets = [], [], [], []
    direct = [sum(1 for s in samples if code_id in s.codes) / counts[code_id] for code_id in classes]
    for code_id in classes:
        # Negatives: every other coded span, and the spans where this code's suggestion was rejected.
        rows = [i for i, (s, labels) in enumerate(zip(samples, labelled, strict=True)) if labels or code_id in s.rejected]
        target = np.array([code_id in labelled[i] for i in rows])
        folds = min(CALIBRATION_FOLDS, int(target.sum()), int((~target).sum()))
        model = CalibratedClassifierCV(
            LinearSVC(C=SVM_C, class_weight="balanced"), method="sigmoid", ensemble=False,
            cv=StratifiedKFold(n_splits=folds, shuffle=True, random_state=0),
        )
        model.fit(matrix[rows], target)
        calibrated = model.calibrated_classifiers_[0]
        coefs.append(calibrated.estimator.coef_[0])
        intercepts.append(calibrated.estimator.intercept_[0])
        slopes.append(calibrated.calibrators[0].a_)
        offsets.append(calibrated.calibrators[0].b_)
    return LearnedModel(
        classes=tuple(classes), vocabulary=vocabulary, idf=vectorizer.idf_.astype(np.float32),
        coef=np.array(coefs, dtype=np.float32), intercept=np.array(intercepts, dtype=np.float32),
        slope=np.array(slopes, dtype=np.float32), offset=np.array(offsets, dtype=np.float32), direct=np.array(direct, dtype=np.float32),
        fingerprint=fingerprint, scope=scope, samples=len(samples), trained=timestamp(),
    )


def _empty(fingerprint: str, scope: str, samples: int) -> LearnedModel:
    nothing = np.zeros(0, dtype=np.float32)
    return LearnedModel((), (), nothing, np.zeros((0, 0), dtype=np.float32), nothing, nothing, nothing, nothing, fingerprint, scope,
                        samples, timestamp())


# -- the project's model: trained in the background, read without waiting --------------------------------


@dataclass(frozen=True)
class Training:
    """What a `retrain` did: trained anew or reused a model whose fingerprint still matched."""

    scope: str
    fingerprint: str
    classes: int
    samples: int
    reused: bool
    seconds: float


_memory: dict[tuple[str, str], LearnedModel] = {}
_memory_lock = threading.Lock()
_training_locks: dict[tuple[str, str], threading.Lock] = {}


def scope_of(coder: str | None) -> str:
    """The model scope of a coder's codings ("*": everyone's)."""
    return coder.strip() if coder and coder.strip() else "*"


def _key(store: Store, scope: str) -> tuple[str, str]:
    return (str(store.db_path.resolve()), scope)


def current_model(store: Store, coder: str | None = None) -> LearnedModel | None:
    """The newest model for the scope, from memory or the project, without waiting for a training (None: none yet).

    It may be older than the latest codings: the screen shows it while `retrain` catches up in the background.
    """
    key = _key(store, scope_of(coder))
    found = _memory.get(key)
    if found is not None:
        return found
    stored = _stored(store, key[1])
    if stored is not None:
        with _memory_lock:
            found = _memory.setdefault(key, stored)
    return found


def retrain(store: Store, coder: str | None = None, corpus: Corpus | None = None, cancelled: Cancelled | None = None) -> Training:
    """Bring the scope's model up to date with the codings: reuse it when its fingerprint matches, else train and store.

    `cancelled`: asked while the documents are analysed (a first training on a big project takes minutes); once true,
    SuggestCancelled, and the documents analysed so far stay in the lemma cache for the next attempt.

    Thread-safe: a second caller for the same scope waits for the first and then reuses its model; readers never wait
    (`current_model` keeps answering with the previous model until the new one is swapped in).
    """
    began = time.perf_counter()
    scope = scope_of(coder)
    key = _key(store, scope)
    with _memory_lock:
        lock = _training_locks.setdefault(key, threading.Lock())
    with lock:
        # Only documents with something to learn from are read and lemmatised: on a big project most are not coded yet.
        corpus = corpus or load_corpus(store, documents=learned_documents(store, None if scope == "*" else scope), cancelled=cancelled)
        if coder is not None and not any(who == scope for *_, who in corpus.codings):
            raise SuggestError(f"{store.project_dir}: no codings by {scope!r} to learn from")
        fingerprint = corpus.fingerprint(None if scope == "*" else scope)
        model = _memory.get(key)
        if model is None or model.fingerprint != fingerprint:
            stored = _stored(store, scope)
            model = stored if stored is not None and stored.fingerprint == fingerprint else None
        reused = model is not None
        if model is None:
            if cancelled is not None and cancelled():
                raise SuggestCancelled("stopped: nobody waits for this training any more")
            model = train(corpus.samples(None if scope == "*" else scope), corpus.book, fingerprint=fingerprint, scope=scope)
            _store(store, model)
        with _memory_lock:
            _memory[key] = model
    return Training(scope, fingerprint, len(model.classes), model.samples, reused, time.perf_counter() - began)


def forget(store: Store) -> None:
    """Drop the project's models from memory (not from the project): for tests and for a project that is closed."""
    prefix = str(store.db_path.resolve())
    with _memory_lock:
        for key in [k for k in _memory if k[0] == prefix]:
            del _memory[key]


def _stored(store: Store, scope: str) -> LearnedModel | None:
    m = schema.suggestion_models
    with store.reading() as conn:
        row = conn.execute(select(m.c.meta, m.c.arrays).where(m.c.scope == scope)).first()
    if row is None:
        return None
    try:
        return LearnedModel.from_blobs(row.meta, row.arrays)
    except (ValueError, KeyError, OSError):
        return None  # written by another version or damaged: train anew


def _store(store: Store, model: LearnedModel) -> None:
    m = schema.suggestion_models
    meta, arrays = model.to_blobs()
    try:
        with store.bookkeeping() as conn:
            conn.execute(delete(m).where(m.c.scope == model.scope))
            conn.execute(
                insert(m).values(scope=model.scope, fingerprint=model.fingerprint, trained=model.trained, meta=meta, arrays=arrays)
            )
    except StoreError:
        pass  # a read-only project: the model lives in memory for this session only
