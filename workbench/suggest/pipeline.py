"""The one Dutch NLP pipeline of the suggestions: tokens, sentences and lower-cased lemmas, cached per document.

`spacy.blank("nl")` with a sentencizer and a lemmatiser that reads spacy-lookups-data's Dutch tables. spaCy's own
lookup mode looks a word up as typed and its table lacks many inflections ("bezocht", "werkt"), so ours looks up the
lower-cased form, then the exception lists, then the suffix rules checked against the index of known lemmas, and
finally joins a verb to its noun ("bezoeken" → "bezoek") so a keyword matches every form of a word family. No model
is downloaded: the tables ship inside the spacy-lookups-data package.

A document's tokens are stored in the project's cache (`lemma_cache`, keyed by the text's hash and `PIPELINE_VERSION`;
core/caches.py says where), so a second run over the same documents does no NLP work at all.
"""

from __future__ import annotations

import base64
import bisect
import json
import threading
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sqlalchemy import insert, select

from workbench.core import schema
from workbench.core.caches import cache_reading, cache_writing
from workbench.core.store import Store
from workbench.core.units import paragraphs
from workbench.errors import StoreError, SuggestCancelled, SuggestError, WorkbenchError

#: Bump when the lemmas this module gives change, so cached tokens of an older lemmatiser are not reused.
LEMMATISER_VERSION = 1
#: Parts of speech whose lemma tables are tried, most useful first; a noun wins over a verb for the same form.
_PARTS_OF_SPEECH = ("noun", "verb", "adj")
#: Apostrophes normalised before lookup: the tables use the ASCII one, Word writes the curly one.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
#: Token flags in the cache.
_CONTENT, _SENTENCE_START = 1, 2
#: Word forms remembered with their lemma and content flag; beyond it the memo starts afresh.
_WORD_MEMO = 500_000
#: Up to this many documents are read from the lemma cache one by one; more in one pass over it.
_LOOKUPS_ONE_BY_ONE = 16
#: Characters analysed (and cached) at a time when many documents need analysing: the cache keeps each batch, so work
#: stopped midway (the coding screen closed during a first training on a big project) is not done again next time.
_BATCH_CHARACTERS = 2_000_000
#: Lines tokenised between two looks at whether anybody still wants the result.
_LINES_PER_CHECK = 200

#: Marks a deflated cache entry (earlier versions stored plain JSON, which starts with "{").
_DEFLATED = "z:"

#: Asked now and then during long work: true when nobody waits for the result any more.
Cancelled = Callable[[], bool]


def pipeline_version() -> str:
    """What the cached lemmas depend on: our lemmatiser, spaCy and the lookup tables."""
    try:
        tables = version("spacy-lookups-data")
    except PackageNotFoundError:
        tables = "none"
    return f"nl-{LEMMATISER_VERSION}-spacy{version('spacy')}-lookups{tables}"


@dataclass(frozen=True)
class Tokens:
    """A text's tokens as the suggestions use them: character offsets, lemma, content word or not, sentence starts.

    Offsets are into the text analysed (a whole document's text for a document), so any span of it is a `window`.
    """

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    lemmas: tuple[str, ...]
    flags: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.starts)

    def window(self, start: int, end: int) -> Tokens:
        """The tokens overlapping [start, end): a unit's or a coding's share of a document's tokens."""
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end)
        return Tokens(self.starts[first:last], self.ends[first:last], self.lemmas[first:last], self.flags[first:last])

    def content_lemmas(self) -> tuple[str, ...]:
        """Lemmas of the content words (no stop words, punctuation or numbers): the learned model's input."""
        return tuple(lemma for lemma, flag in zip(self.lemmas, self.flags, strict=True) if flag & _CONTENT)

    def is_content(self, index: int) -> bool:
        """Whether token `index` is a content word."""
        return bool(self.flags[index] & _CONTENT)

    def sentence_starts(self) -> list[int]:
        """Character offsets where the sentencizer starts a sentence."""
        return [start for start, flag in zip(self.starts, self.flags, strict=True) if flag & _SENTENCE_START]

    def to_json(self) -> str:
        """The compact form stored in the lemma cache: each lemma once, then per token the gap since the previous token,
        its length and lemma/flags; deflated, as the cache would otherwise hold twice the project's text."""
        vocabulary: dict[str, int] = {}
        flat: list[int] = []
        previous = 0
        for start, end, lemma, flag in zip(self.starts, self.ends, self.lemmas, self.flags, strict=True):
            index = vocabulary.setdefault(lemma, len(vocabulary))
            flat += (start - previous, end - start, index * 4 + flag)
            previous = end
        packed = json.dumps({"v": list(vocabulary), "g": flat}, ensure_ascii=False, separators=(",", ":")).encode()
        return _DEFLATED + base64.b64encode(zlib.compress(packed, 6)).decode("ascii")

    @classmethod
    def from_json(cls, stored: str) -> Tokens:
        """Tokens back from `to_json` (or from the plain JSON of earlier versions, offsets absolute)."""
        if stored.startswith(_DEFLATED):
            data = json.loads(zlib.decompress(base64.b64decode(stored[len(_DEFLATED):])))
        else:
            data = json.loads(stored)
        words: list[str] = data["v"]
        flat: list[int] = data["g"] if "g" in data else data["t"]
        lengths = flat[1::3]
        if "g" in data:
            starts_list: list[int] = []
            previous = 0
            for gap, length in zip(flat[0::3], lengths, strict=True):
                previous += gap
                starts_list.append(previous)
                previous += length
            starts = tuple(starts_list)
        else:
            starts = tuple(flat[0::3])
        ends = tuple(s + n for s, n in zip(starts, lengths, strict=True))
        packed = flat[2::3]
        return cls(starts, ends, tuple(words[p // 4] for p in packed), tuple(p % 4 for p in packed))



class DutchLemmas:
    """Lower-cased Dutch lemmas from spacy-lookups-data's tables, each form worked out once per process."""

    def __init__(self, tables: Any, stop_words: Iterable[str]) -> None:
        self._lookup = tables.get_table("lemma_lookup")
        exceptions = tables.get_table("lemma_exc")
        rules = tables.get_table("lemma_rules")
        index = tables.get_table("lemma_index")
        self._exceptions = [exceptions.get(pos, {}) for pos in _PARTS_OF_SPEECH]
        self._rules = [rules.get(pos, []) for pos in _PARTS_OF_SPEECH]
        self._index = [frozenset(index.get(pos, [])) for pos in _PARTS_OF_SPEECH]
        self._nouns, self._verbs = self._index[0], self._index[1]
        self.stop_words = frozenset(word.translate(_APOSTROPHES) for word in stop_words)
        self._known: dict[str, str] = {}
        self._words: dict[str, tuple[str, int]] = {}

    def word(self, text: str) -> tuple[str, int]:
        """A word as written → its lemma and whether it is a content word, worked out once per form per process.

        Word forms repeat (a million words hold some tens of thousands of forms), so this one lookup replaces the
        lower-casing, table lookups and stop-word tests that cost more than spaCy's own tokenising.
        """
        found = self._words.get(text)
        if found is None:
            if len(self._words) > _WORD_MEMO:
                self._words.clear()  # bounded memory on a corpus of many distinct forms (names, typos, numbers)
            lemma = self.lemma(text)
            found = self._words[text] = (lemma, _CONTENT if _is_content(text, lemma, self) else 0)
        return found

    def lemma(self, text: str) -> str:
        """The lemma of one word as written ("Bezocht" → "bezoek")."""
        form = text.lower().translate(_APOSTROPHES)
        known = self._known.get(form)
        if known is None:
            known = self._known[form] = self._family(self._base(form))
        return known

    def _base(self, form: str) -> str:
        found = self._lookup.get(form)
        if isinstance(found, str):
            return str(found)
        # Without a tagger the part of speech is unknown, so the tables are asked in the order that settles the
        # ambiguous forms best: irregular forms first ("kinderen" → "kind", "bezocht" → "bezoeken"), except a verb's
        # bare stem that is a word of its own ("ziek" is not "zieken", "klaar" not "klaren"); then a form that is a
        # lemma itself; then the suffix rules, nouns first.
        nouns, verbs, adjectives = self._exceptions
        listed = nouns.get(form)
        if listed:
            return str(listed[0])
        known = any(form in index for index in self._index)
        listed = verbs.get(form)
        if listed and not (known and listed[0].endswith("en") and _verb_stem(listed[0][:-2]) == form):
            return str(listed[0])
        listed = adjectives.get(form)
        if listed:
            return str(listed[0])
        if known:
            return form
        for rules, index in zip(self._rules, self._index, strict=True):
            for old, new in rules:
                if old and form.endswith(old):
                    candidate = form[: len(form) - len(old)] + str(new)
                    if candidate in index:
                        return candidate
        return form

    def _family(self, lemma: str) -> str:
        # A verb and its noun are one word family for coding ("bezoeken" → "bezoek", "reizen" → "reis", "praten" →
        # "praat"): a verb that is not a noun itself becomes its stem by Dutch spelling, when that stem is a known noun.
        if not lemma.endswith("en") or len(lemma) < 5 or lemma in self._nouns or lemma not in self._verbs:
            return lemma
        stem = _verb_stem(lemma[:-2])
        return stem if stem in self._nouns else lemma


_VOWELS = frozenset("aeiouy")


def _verb_stem(root: str) -> str:
    """The stem of a Dutch infinitive without its -en: a doubled consonant halves, an open syllable's vowel doubles, v/z
    become f/s at the end ("zett" → "zet", "prat" → "praat", "lev" → "leef", "reiz" → "reis")."""
    if len(root) >= 2 and root[-1] == root[-2] and root[-1] not in _VOWELS:
        return root[:-1]
    if len(root) >= 3 and root[-1] not in _VOWELS and root[-2] in "aeou" and root[-3] not in _VOWELS:
        root = root[:-1] + root[-2] + root[-1]
    return root[:-1] + {"v": "f", "z": "s"}.get(root[-1], root[-1])


_lock = threading.Lock()
_loaded: tuple[Any, DutchLemmas] | None = None


def nlp() -> tuple[Any, DutchLemmas]:
    """The shared pipeline and lemmatiser, loaded on first use (about two seconds) and then kept for the process."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = _load()
        return _loaded


def _load() -> tuple[Any, DutchLemmas]:
    import spacy
    from spacy.lookups import load_lookups

    try:
        tables = load_lookups("nl", ["lemma_lookup", "lemma_exc", "lemma_rules", "lemma_index"])
    except (ValueError, ImportError) as exc:
        raise SuggestError(f"the Dutch lemma tables are missing ({exc}); install the package spacy-lookups-data") from None
    language = spacy.blank("nl")
    language.add_pipe("sentencizer")
    return language, DutchLemmas(tables, language.Defaults.stop_words)


def _is_content(word: str, lemma: str, lemmas: DutchLemmas) -> bool:
    return any(ch.isalpha() for ch in word) and word.lower() not in lemmas.stop_words and lemma not in lemmas.stop_words


def analyse(text: str) -> Tokens:
    """Tokens of a text, line by line so a sentence never crosses a line break and no line hits spaCy's length limit."""
    return analyse_many([text])[0]


def analyse_many(texts: Sequence[str], cancelled: Cancelled | None = None) -> list[Tokens]:
    """Tokens of many texts in one pass of the pipeline (spaCy batches them); SuggestCancelled once `cancelled()` is true."""
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH  # type: ignore[import-not-found]
    from spacy.pipeline import Sentencizer

    final = frozenset(Sentencizer.default_punct_chars)

    language, lemmas = nlp()
    lines = [(number, start, end) for number, text in enumerate(texts) for start, end in paragraphs(text)]
    starts: list[list[int]] = [[] for _ in texts]
    ends: list[list[int]] = [[] for _ in texts]
    words: list[list[str]] = [[] for _ in texts]
    flags: list[list[int]] = [[] for _ in texts]
    # Tokenised only: spaCy's sentencizer builds a Python Token object per word, which costs more than everything else
    # together; its rule is applied below on arrays of the tokens' offsets instead (same sentence starts).
    docs = language.tokenizer.pipe(texts[number][start:end] for number, start, end in lines)
    word = lemmas.word
    for done, ((number, offset, end), doc) in enumerate(zip(lines, docs, strict=True)):
        if cancelled is not None and done % _LINES_PER_CHECK == 0 and cancelled():
            raise SuggestCancelled("stopped: nobody waits for these suggestions any more")
        line = texts[number][offset:end]
        add_start, add_end, add_lemma, add_flag = starts[number].append, ends[number].append, words[number].append, flags[number].append
        seen_period, first = False, True
        for index, length, punct, space in doc.to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE]).tolist():
            written = line[index:index + length]
            # spaCy's Sentencizer: a sentence starts at the first token, and at a token that is neither punctuation nor
            # sentence-final after a sentence-final one ("." "!" "?"…); whitespace tokens take part as it has them.
            is_final = written in final
            if first:
                starts_sentence, seen_period, first = True, is_final, False
            elif seen_period and not punct and not is_final:
                starts_sentence, seen_period = True, False
            else:
                starts_sentence = False
                seen_period = seen_period or is_final
            if space:
                continue
            lemma, flag = word(written)
            add_start(offset + index)
            add_end(offset + index + length)
            add_lemma(lemma)
            add_flag(flag | _SENTENCE_START if starts_sentence else flag)
    return [Tokens(tuple(s), tuple(e), tuple(w), tuple(f)) for s, e, w, f in zip(starts, ends, words, flags, strict=True)]


def lemmas_of(phrase: str) -> tuple[str, ...]:
    """Every word's lemma of a short phrase (a keyword), stop words kept: "op één lijn" → ("op", "één", "lijn")."""
    return analyse(phrase).lemmas


@dataclass(frozen=True)
class CorpusText:
    """A document's text with the hash its cached tokens are stored under."""

    name: str
    content_hash: str
    text: str


def _batches(documents: Sequence[CorpusText]) -> Iterable[list[CorpusText]]:
    batch: list[CorpusText] = []
    size = 0
    for document in documents:
        if batch and size + len(document.text) > _BATCH_CHARACTERS:
            yield batch
            batch, size = [], 0
        batch.append(document)
        size += len(document.text)
    if batch:
        yield batch


class TokenCache:
    """Documents' tokens: from the project's lemma cache, else analysed once and stored there for the next run."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pipeline = pipeline_version()
        self._tokens: dict[str, Tokens] = {}

    def tokens(self, documents: Sequence[CorpusText], cancelled: Cancelled | None = None) -> dict[str, Tokens]:
        """Tokens of each document by name, analysing (and caching) only those not cached yet; see `analyse_many`."""
        wanted = {d.content_hash for d in documents} - set(self._tokens)
        if wanted:
            self._tokens.update(self._read(wanted))
        missing = [d for d in {d.content_hash: d for d in documents}.values() if d.content_hash not in self._tokens]
        for batch in _batches(missing):
            analysed = analyse_many([d.text for d in batch], cancelled)
            fresh = {d.content_hash: tokens for d, tokens in zip(batch, analysed, strict=True)}
            self._tokens.update(fresh)
            self._write(fresh)
        return {d.name: self._tokens[d.content_hash] for d in documents}

    def texts(self, texts: Sequence[str]) -> list[Tokens]:
        """Tokens of short texts (keywords, code names), cached like documents under the hash of their text."""
        from workbench.core.corpus import content_hash

        keyed = [CorpusText(content_hash(t), content_hash(t), t) for t in texts]
        found = self.tokens(keyed)
        return [found[k.name] for k in keyed]

    def _read(self, hashes: set[str]) -> dict[str, Tokens]:
        lc = schema.lemma_cache
        found: dict[str, Tokens] = {}
        query = select(lc.c.content_hash, lc.c.tokens).where(lc.c.pipeline == self.pipeline)
        try:
            with cache_reading(self.store) as conn:
                if len(hashes) <= _LOOKUPS_ONE_BY_ONE:
                    # One unit in the coding screen: read just its document's row.
                    rows = [row for h in sorted(hashes) for row in conn.execute(query.where(lc.c.content_hash == h))]
                else:
                    # Many documents: one pass over the cache, filtered here, rather than an IN list that grows with the corpus.
                    rows = [row for row in conn.execute(query) if row[0] in hashes]
        except StoreError:
            return found  # an unreadable cache is no cache: the documents are analysed again
        for content_hash, stored in rows:
            try:
                found[content_hash] = Tokens.from_json(stored)
            except (ValueError, KeyError, zlib.error):
                continue  # a damaged entry is analysed again, as if it were not there
        return found

    def _write(self, fresh: dict[str, Tokens]) -> None:
        rows = [{"content_hash": h, "pipeline": self.pipeline, "tokens": t.to_json()} for h, t in fresh.items()]
        lc = schema.lemma_cache
        try:
            with cache_writing(self.store) as conn:
                present = {h for (h,) in conn.execute(select(lc.c.content_hash).where(lc.c.pipeline == self.pipeline))}
                rows = [r for r in rows if r["content_hash"] not in present]
                if rows:
                    conn.execute(insert(lc), rows)
        except WorkbenchError:
            # A read-only project still gets suggestions; it only cannot remember the lemmas for next time.
            pass
