"""A junior's keywords match every inflected form, and a second run takes every lemma from the project."""

from __future__ import annotations

import json

import pytest

from workbench.core.codebook import add_code
from workbench.core.corpus import add_document
from workbench.core.model import Code, DocumentKind
from workbench.core.store import Store
from workbench.suggest import pipeline, rank, retrain, suggest_document, suggest_text
from workbench.suggest.learned import forget
from workbench.suggest.pipeline import Tokens, analyse


def test_dutch_word_families_share_one_lemma() -> None:
    for family, forms in {
        "bezoek": ["bezoeken", "bezoek", "bezocht", "Bezochten", "bezoekt"],
        "werk": ["werk", "werken", "werkt", "werkte", "gewerkt"],
        "gesprek": ["gesprek", "gesprekken"],
        "kind": ["kind", "kinderen"],
        "collega": ["collega", "collega's", "collega’s"],
    }.items():
        assert {analyse(form).lemmas[0] for form in forms} == {family}, family
    # A verb's bare stem that is a word of its own stays that word.
    assert analyse("ziek").lemmas == ("ziek",)
    assert analyse("klaar").lemmas == ("klaar",)


def test_tokens_round_trip_through_the_cache_format() -> None:
    text = "Ik mis de structuur.\nHet bezoek van mijn kinderen helpt."
    tokens = analyse(text)
    assert Tokens.from_json(tokens.to_json()) == tokens
    assert "bezoek" in tokens.content_lemmas() and "de" not in tokens.content_lemmas()
    assert tokens.sentence_starts() == [0, text.index("Het")]
    window = tokens.window(text.index("bezoek"), len(text))
    assert window.content_lemmas()[0] == "bezoek"


def test_the_cache_keeps_a_long_transcript_in_less_room_than_its_text_and_reads_older_entries() -> None:
    # A full-size project's cache held twice its texts: the project file's largest table after the action log.
    line = "Interviewer: Hoe gaat het met het bezoek van je kinderen? Deelnemer: Goed, ze komen elke week langs.\n"
    text = "".join(f"{n}. {line}" for n in range(400))
    tokens = analyse(text)
    stored = tokens.to_json()
    assert Tokens.from_json(stored) == tokens
    assert len(stored) < len(text) / 4
    # Written by earlier versions: plain JSON with absolute offsets.
    vocabulary = list(dict.fromkeys(tokens.lemmas))
    flat = [n for s, e, lemma, flag in zip(tokens.starts, tokens.ends, tokens.lemmas, tokens.flags, strict=True)
            for n in (s, e - s, vocabulary.index(lemma) * 4 + flag)]
    assert Tokens.from_json(json.dumps({"v": vocabulary, "t": flat})) == tokens


@pytest.mark.parametrize(
    ("text", "written"),
    [("Ze bezoeken hem elke week.", "bezoeken"), ("Het bezoek is op zondag.", "bezoek"), ("Zijn moeder heeft hem Bezocht.", "bezocht")],
)
def test_junior_gets_bezoek_suggested_for_bezocht(store: Store, text: str, written: str) -> None:
    add_code(store, Code(id="bezoek", name="Bezoek van familie", parent_id="succesfactoren", keywords=("bezoek",)), "junior")
    suggestions = suggest_text(store, text)
    found = next(s for s in suggestions if s.code_id == "bezoek")
    assert found.source.value == "rule"
    assert found.evidence == (written,)
    assert found.path == ("Succesfactoren", "Bezoek van familie")
    assert found.theme_id == "bezoek"


def test_phrases_and_token_patterns_match_on_lemmas(store: Store) -> None:
    keywords = ("op één lijn", "afspra* nakomen")
    add_code(store, Code(id="een-lijn", name="Op één lijn", parent_id="succesfactoren", keywords=keywords), "junior")
    found = {s.code_id: s for s in suggest_text(store, "We zitten niet op één lijn.", top=5)}
    assert found["een-lijn"].evidence == ("op", "één", "lijn")
    found = {s.code_id: s for s in suggest_text(store, "Afspraken nakomen lukt niet.", top=5)}
    assert found["een-lijn"].evidence == ("afspraken", "nakomen")
    assert "een-lijn" not in {s.code_id for s in suggest_text(store, "Eén lijn is er niet.")}


def test_a_second_run_takes_every_lemma_from_the_project_and_runs_no_nlp(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    add_code(store, Code(id="bezoek", name="Bezoek", parent_id="succesfactoren", keywords=("bezoek", "familie")), "junior")
    add_document(store, name="antwoord", text="Mijn familie heeft me bezocht.\nHet contact is goed.", kind=DocumentKind.NOTES,
                 actor="junior")
    rank._rules.clear()
    first = suggest_document(store, "antwoord")
    retrain(store)

    # A new process: nothing in memory; and any NLP call fails the test.
    forget(store)
    rank._rules.clear()

    def no_nlp(*args: object, **kwargs: object) -> object:
        raise AssertionError("NLP ran on the second run")

    monkeypatch.setattr(pipeline, "analyse_many", no_nlp)
    monkeypatch.setattr(pipeline, "nlp", no_nlp)
    assert retrain(store).reused
    assert suggest_document(store, "antwoord") == first
    assert first[0].suggestions[0].code_id == "bezoek"
    assert set(first[0].suggestions[0].evidence) == {"bezocht", "familie"}


def test_a_local_project_keeps_its_lemmas_beside_its_file_and_moves_older_ones_out(store: Store) -> None:
    # The project file holds project data only (it stays near the size of its texts and codings, and so do its backups);
    # lemmas an earlier version kept in it move to the cache file at the first write.
    from sqlalchemy import func, insert, select

    from workbench.core import schema
    from workbench.core.caches import CACHE_FILE, cache_reading

    lc = schema.lemma_cache
    with store.engine.begin() as conn:
        conn.execute(insert(lc).values(content_hash="ab" * 32, pipeline="older", tokens='{"v": [], "t": []}'))
    suggest_document(store, "interview_01")
    with store.reading() as conn:
        assert conn.execute(select(func.count()).select_from(lc)).scalar_one() == 0
    assert (store.project_dir / CACHE_FILE).exists()
    with cache_reading(store) as conn:
        pipelines = [p for (p,) in conn.execute(select(lc.c.pipeline))]
    assert "older" in pipelines and pipeline.pipeline_version() in pipelines
