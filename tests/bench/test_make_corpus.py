"""The generated benchmark corpus: the same seed makes the same project."""

from __future__ import annotations

from pathlib import Path

from bench.make_corpus import CODERS, TINY, make_corpus, project_dump
from workbench.core.codings import coded_segments
from workbench.core.corpus import document_summaries
from workbench.core.model import DocumentKind


def test_the_same_seed_makes_the_same_project_and_another_seed_another(tmp_path: Path) -> None:
    dumps = []
    for folder, seed in (("one", 5), ("two", 5), ("three", 6)):
        with make_corpus(tmp_path / folder, TINY, seed) as store:
            dumps.append(project_dump(store))
    assert dumps[0] == dumps[1]
    assert dumps[0] != dumps[2]


def test_the_corpus_has_transcripts_answers_cases_and_three_coders_who_mostly_agree(tmp_path: Path) -> None:
    with make_corpus(tmp_path / "corpus", TINY, 5) as store:
        summaries = document_summaries(store)
        segments = coded_segments(store)
    assert len([s for s in summaries if s.kind is DocumentKind.QUESTIONNAIRE_ANSWER]) == TINY.answers
    assert len(summaries) == TINY.transcripts + TINY.docx + 1 + TINY.answers
    assert {s.coding.coder for s in segments} == set(CODERS)
    by_a = {(s.document, s.coding.start, s.coding.end, s.coding.code_id) for s in segments if s.coding.coder == "coder_a"}
    by_b = {(s.document, s.coding.start, s.coding.end, s.coding.code_id) for s in segments if s.coding.coder == "coder_b"}
    assert 0.6 < len(by_a & by_b) / len(by_a) < 1.0
    assert all(s.text.strip() == s.text and s.text for s in segments)
    assert (tmp_path / "corpus" / "sources" / "codings.jsonl").is_file()
