"""The model learns from a handful of codings, takes rejections as negatives, and never makes a screen wait."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.core.codebook import add_code
from workbench.core.codings import add_coding, coded_segments
from workbench.core.corpus import add_document
from workbench.core.model import CaseAttributes, Code, DocumentKind
from workbench.core.store import Store
from workbench.errors import SuggestCancelled, SuggestError
from workbench.suggest import (
    accept,
    acceptance_rates,
    current_model,
    learned,
    more_like_this,
    pipeline,
    reject,
    retrain,
    suggest_text,
    suggest_unit,
    theme_scores,
)
from workbench.suggest.learned import LearnedModel, forget
from workbench.suggest.samples import load_corpus

#: A handful of answers per code, coded whole by the senior. The codes' keywords never occur: only learning can help.
CODED = {
    "thuisfront": [
        "Mijn moeder komt elke week op bezoek.",
        "Het bezoek van mijn kinderen doet me goed.",
        "Mijn broer mag hier gewoon langskomen om te bezoeken.",
        "Bezoek van familie is hier veel makkelijker geregeld.",
    ],
    "werk": [
        "Ik werk drie dagen per week buiten in een fabriek.",
        "Werken geeft me structuur en een doel.",
        "Mijn baan bij de bakker bevalt goed.",
        "Door het werk heb ik weer ritme.",
    ],
    "personeel": [
        "De begeleiders luisteren echt naar je.",
        "Met de casemanager kan ik alles bespreken.",
        "Het personeel behandelt ons als mensen.",
        "De mentoren nemen de tijd voor een gesprek.",
    ],
}
PARAPHRASE = "Zijn vrouw en dochter bezochten hem zaterdag."
NEW_ANSWER = "Gisteren kwam mijn zus op bezoek."


@pytest.fixture
def senior(tmp_path: Path) -> Iterator[Store]:
    """A questionnaire of twelve coded answers and two uncoded ones, a codebook of one theme with three codes."""
    store = Store.create(tmp_path / "vragenlijst", "Vragenlijst")
    add_code(store, Code(id="wat-helpt", name="Wat helpt", keywords=("qqq",)), "senior")
    add_code(store, Code(id="thema", name="M.b.t. dagelijks leven", parent_id="wat-helpt", keywords=("qqq",)), "senior")
    for code_id, name in (("thuisfront", "Contact met thuisfront"), ("werk", "Werk en dagbesteding"), ("personeel", "Houding personeel")):
        add_code(store, Code(id=code_id, name=name, parent_id="thema", keywords=("qqq",)), "senior")
    number = 0
    for code_id, answers in CODED.items():
        for answer in answers:
            number += 1
            name = f"vragenlijst/R{number:02d}/q1"
            add_document(store, name=name, text=answer, kind=DocumentKind.QUESTIONNAIRE_ANSWER, actor="senior", case_id=f"R{number:02d}",
                         case_attributes=CaseAttributes())
            add_coding(store, document=name, start=0, end=len(answer), code_id=code_id, coder="senior")
    for name, text in (("vragenlijst/R13/q1", NEW_ANSWER), ("vragenlijst/R14/q1", "Het eten is hier lekker.")):
        add_document(store, name=name, text=text, kind=DocumentKind.QUESTIONNAIRE_ANSWER, actor="senior")
    yield store
    forget(store)
    store.close()


def _words(text: str) -> set[str]:
    return {w.strip(".,").lower() for w in text.split()}


def test_a_code_learned_from_a_handful_of_codings_is_suggested_for_a_paraphrase(senior: Store) -> None:
    assert not _words(PARAPHRASE) & set().union(*(_words(a) for a in CODED["thuisfront"]))
    training = retrain(senior)
    assert (training.classes, training.reused) == (3, False)
    first = suggest_text(senior, PARAPHRASE)[0]
    assert (first.code_id, first.source.value) == ("thuisfront", "learned")
    assert first.evidence[0] == "bezochten"
    assert first.path == ("Wat helpt", "M.b.t. dagelijks leven", "Contact met thuisfront")
    assert first.theme_id == "thema"


def test_a_rejected_suggestion_is_not_offered_again_for_that_unit_and_teaches_the_model(senior: Store) -> None:
    retrain(senior)
    unit = {"document": "vragenlijst/R13/q1", "start": 0, "end": len(NEW_ANSWER)}
    before = suggest_unit(senior, **unit)
    assert before[0].code_id == "thuisfront"
    probability_before = _probability(current_model(senior), "thuisfront")

    assert reject(senior, "thuisfront", coder="junior", **unit)
    assert not reject(senior, "thuisfront", coder="junior", **unit)  # once is enough
    assert "thuisfront" not in {s.code_id for s in suggest_unit(senior, **unit)}
    assert "thuisfront" not in {t.code_id for t in theme_scores(senior, **unit)}
    # Only for that unit: the paraphrase elsewhere still gets it.
    assert suggest_text(senior, PARAPHRASE)[0].code_id == "thuisfront"

    (sample,) = [s for s in load_corpus(senior).samples() if s.document == unit["document"]]
    assert (sample.codes, sample.rejected) == (frozenset(), {"thuisfront"})
    assert not retrain(senior).reused
    assert _probability(current_model(senior), "thuisfront") < probability_before

    senior.undo("junior")
    assert "thuisfront" in {s.code_id for s in suggest_unit(senior, **unit)}
    retrain(senior)
    assert suggest_unit(senior, **unit)[0].code_id == "thuisfront"


def _probability(model: LearnedModel | None, code_id: str) -> float:
    assert model is not None
    from workbench.suggest.pipeline import analyse

    return float(model.probabilities([analyse(NEW_ANSWER).content_lemmas()])[0][model.class_index[code_id]])


def test_accepting_a_suggestion_is_an_ordinary_undoable_coding_and_counts_for_the_code(senior: Store) -> None:
    retrain(senior)
    unit = {"document": "vragenlijst/R13/q1", "start": 0, "end": len(NEW_ANSWER)}
    suggestion = suggest_unit(senior, **unit)[0]
    coding = accept(senior, suggestion, coder="junior", **unit)
    assert (coding.code_id, coding.coder) == ("thuisfront", "junior")
    assert senior.actions()[-1].kind == "code"
    assert acceptance_rates(senior)["thuisfront"].accepted == 1
    assert "thuisfront" not in {s.code_id for s in suggest_unit(senior, **unit)}  # it has it now

    reject(senior, "werk", coder="junior", **unit)
    rate = acceptance_rates(senior)
    assert (rate["thuisfront"].rate, rate["werk"].rate) == (1.0, 0.0)

    senior.undo("junior")  # the rejection
    senior.undo("junior")  # the coding: gone, and no longer counted as accepted
    assert [s for s in coded_segments(senior) if s.coding.coder == "junior"] == []
    assert acceptance_rates(senior) == {}
    senior.redo("junior")
    assert acceptance_rates(senior)["thuisfront"].accepted == 1


def test_a_background_retrain_never_makes_the_screen_wait(senior: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    retrain(senior)
    old = current_model(senior)
    unit = {"document": "vragenlijst/R13/q1", "start": 0, "end": len(NEW_ANSWER)}
    suggest_unit(senior, **unit)  # warm: rules built, tokens cached
    release, started = threading.Event(), threading.Event()
    real_train = learned.train

    def slow_train(*args: object, **kwargs: object) -> LearnedModel:
        started.set()
        release.wait(30)
        return real_train(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(learned, "train", slow_train)
    add_coding(senior, document="vragenlijst/R14/q1", start=0, end=8, code_id="personeel", coder="senior")
    worker = threading.Thread(target=retrain, args=(senior,))
    worker.start()
    try:
        assert started.wait(30)
        began = time.perf_counter()
        assert suggest_unit(senior, **unit)[0].code_id == "thuisfront"
        assert time.perf_counter() - began < 1.0
        assert current_model(senior) is old
    finally:
        release.set()
        worker.join(60)
    new = current_model(senior)
    assert new is not old and new is not None and new.fingerprint != old.fingerprint  # type: ignore[union-attr]


def _cached_documents(store: Store) -> int:
    from sqlalchemy import func, select

    from workbench.core import schema
    from workbench.core.caches import cache_reading

    with cache_reading(store) as conn:
        return int(conn.execute(select(func.count()).select_from(schema.lemma_cache)).scalar_one())


def test_a_training_nobody_waits_for_stops_and_keeps_what_it_analysed(senior: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # A coder who leaves the coding screen (or quits) during a first training on a big project: the worker stops within
    # a few lines of text instead of lemmatising for minutes, and what it analysed is not lost for the next attempt.
    monkeypatch.setattr(pipeline, "_BATCH_CHARACTERS", 60)
    monkeypatch.setattr(pipeline, "_LINES_PER_CHECK", 1)
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked > 4

    before = _cached_documents(senior)
    with pytest.raises(SuggestCancelled):
        retrain(senior, cancelled=cancelled)
    kept = _cached_documents(senior)
    assert before < kept < before + len(learned.learned_documents(senior, None))
    assert current_model(senior) is None
    training = retrain(senior, cancelled=lambda: False)
    assert not training.reused and current_model(senior) is not None
    assert _cached_documents(senior) == before + len(learned.learned_documents(senior, None))


def test_the_stored_model_is_no_pickle_and_a_new_process_reuses_it(senior: Store) -> None:
    first = retrain(senior)
    forget(senior)
    again = retrain(senior)
    assert again.reused and again.fingerprint == first.fingerprint
    model = current_model(senior)
    assert model is not None
    meta, arrays = model.to_blobs()
    assert LearnedModel.from_blobs(meta, arrays).classes == model.classes
    assert b"pickle" not in arrays and meta.startswith("{")


def test_more_like_this_lists_uncoded_answers_most_like_a_coded_one(senior: Store) -> None:
    coded = CODED["thuisfront"][3]
    found = more_like_this(senior, "vragenlijst/R04/q1", 0, len(coded))
    assert [f.document for f in found][:1] == ["vragenlijst/R13/q1"]
    assert found[0].shared == ("bezoek",)
    assert all(f.document in ("vragenlijst/R13/q1", "vragenlijst/R14/q1") for f in found)


def test_suggestions_name_what_is_wrong_in_one_line(senior: Store) -> None:
    with pytest.raises(SuggestError, match="no document named 'nergens'"):
        suggest_unit(senior, "nergens", 0, 5)
    with pytest.raises(SuggestError, match=r"span 0-500 is not inside its text"):
        suggest_unit(senior, "vragenlijst/R13/q1", 0, 500)
    with pytest.raises(SuggestError, match="no codings by 'niemand'"):
        retrain(senior, "niemand")
