"""A researcher corrects a coded transcript: every coding keeps its words or is kept as an orphan, and undo restores all."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import table_rows
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding, coded_segments
from workbench.core.corpus import add_document, content_hash, get_document
from workbench.core.model import Code, DocumentKind, SpeakerTurn
from workbench.core.store import Store
from workbench.core.text_edit import discard_orphan, edit_document_text, orphans, restore_orphan
from workbench.errors import CodingError, TextEditError
from workbench.suggest.feedback import reject, rejected_codes

TEXT = (
    "I: Wat helpt jou hier?\n"
    "R: Het contact met het personeel. Hier word je echt gezien.\n"
    "I: En wat kan beter?\n"
    "R: De regels zijn soms streng, vooral in het weekend.\n"
)
#: Text typed before, inside and after codings, and deleted before, inside and across one.
EDITED = (
    "I: Wat helpt jou hier, denk je?\n"
    "R: Nou, het contact met al het personeel.\n"
    "I: En wat kan er beter?\n"
    "R: De regels zijn streng, vooral in het weekend. Echt waar.\n"
)
CODED = {
    "contact": "contact met het personeel",
    "gezien": "Hier word je echt gezien",
    "regels": "De regels zijn soms streng",
    "weekend": "in het weekend",
    "vraag": "Wat helpt jou hier?",
}


def _turns(text: str) -> list[SpeakerTurn]:
    starts = [0] + [i + 1 for i, ch in enumerate(text[:-1]) if ch == "\n"]
    ends = [*starts[1:], len(text)]
    return [SpeakerTurn(seq=n, speaker=text[s], start=s, end=e) for n, (s, e) in enumerate(zip(starts, ends, strict=True))]


@pytest.fixture
def coded(tmp_path: Path) -> Store:
    store = Store.create(tmp_path / "studie", "Studie")
    add_document(store, name="P01", text=TEXT, kind=DocumentKind.TRANSCRIPT, actor="junior", turns=_turns(TEXT))
    add_document(store, name="P02", text="R: Iets heel anders.\n", kind=DocumentKind.TRANSCRIPT, actor="junior")
    for code_id in CODED:
        add_code(store, Code(id=code_id, name=code_id.title()), "senior")
    for code_id, words in CODED.items():
        start = TEXT.index(words)
        add_coding(store, document="P01", start=start, end=start + len(words), code_id=code_id, coder="junior")
    start = TEXT.index("echt gezien")
    add_coding(store, document="P01", start=start, end=start + len("echt gezien"), code_id="gezien", coder="senior", memo="kern")
    return store


def _texts(store: Store) -> dict[tuple[str, str], str]:
    return {(s.coding.code_id, s.coding.coder): s.text for s in coded_segments(store, "P01")}


def test_researcher_edits_a_coded_transcript_and_every_coding_keeps_its_words_or_is_orphaned(coded: Store) -> None:
    result = edit_document_text(coded, "P01", EDITED, "junior")

    assert _texts(coded) == {
        ("contact", "junior"): "contact met al het personeel",  # "al" typed inside: it grows
        ("regels", "junior"): "De regels zijn streng",  # "soms" deleted inside: it shrinks
        ("weekend", "junior"): "in het weekend",  # "Echt waar." typed after it: not its words
        ("vraag", "junior"): "Wat helpt jou hier, denk je?",  # typed before its "?", so inside it
    }
    gone = {(o.code_id, o.coder): o for o in orphans(coded, "P01")}
    assert set(gone) == {("gezien", "junior"), ("gezien", "senior")}  # the whole sentence was deleted
    assert gone["gezien", "senior"].text == "echt gezien" and gone["gezien", "senior"].memo == "kern"
    assert EDITED[gone["gezien", "junior"].anchor - 1] == "."  # where the words were: after "personeel."
    assert (result.moved, result.grown, result.shrunk, len(result.orphans)) == (1, 2, 1, 2)
    assert result.line().startswith("edited P01: 1 codings moved, 1 shrunk, 2 grown, 2 orphaned (listed: #")
    assert "'Hier word je echt gezien' gezien (junior)" in result.line()
    document = get_document(coded, "P01")
    assert document.text == EDITED and document.content_hash == content_hash(EDITED)
    assert [EDITED[t.start : t.end].split(":")[0] for t in document.turns] == ["I", "R", "I", "R"]
    assert document.turns[-1].end == len(EDITED) and all(a.end == b.start for a, b in zip(document.turns, document.turns[1:], strict=False))


def test_the_edit_is_one_action_that_undo_takes_back_whole_and_redo_repeats(coded: Store) -> None:
    before = table_rows(coded)
    edit_document_text(coded, "P01", EDITED, "junior")
    after = table_rows(coded)
    undone = coded.undo("junior")
    assert undone.kind == "edit" and undone.summary.startswith("edited P01:")
    restored = table_rows(coded)
    assert {k: v for k, v in restored.items() if k != "actions"} == {k: v for k, v in before.items() if k != "actions"}
    coded.redo("junior")
    assert {k: v for k, v in table_rows(coded).items() if k != "actions"} == {k: v for k, v in after.items() if k != "actions"}


def test_nothing_changes_for_the_same_text_and_an_empty_or_duplicate_text_is_refused(coded: Store) -> None:
    actions = len(coded.actions())
    assert edit_document_text(coded, "P01", TEXT, "junior").line() == "no change to P01"
    with pytest.raises(TextEditError, match="empty; nothing saved"):
        edit_document_text(coded, "P01", " \n", "junior")
    with pytest.raises(TextEditError, match="the same as document 'P02'"):
        edit_document_text(coded, "P01", "R: Iets heel anders.\n", "junior")
    with pytest.raises(CodingError, match="no document named 'P03'"):
        edit_document_text(coded, "P03", "tekst", "junior")
    assert len(coded.actions()) == actions
    assert get_document(coded, "P01").text == TEXT


def test_a_coder_restores_an_orphan_on_the_new_text_and_discards_only_their_own(coded: Store) -> None:
    edit_document_text(coded, "P01", EDITED, "junior")
    new = EDITED.replace("personeel.\n", "personeel. Je voelt je gezien.\n")
    edit_document_text(coded, "P01", new, "junior")
    mine = next(o for o in orphans(coded) if o.coder == "junior")
    theirs = next(o for o in orphans(coded) if o.coder == "senior")
    start = new.index("Je voelt je gezien")
    restored = restore_orphan(coded, mine.id, start, start + len("Je voelt je gezien"), "junior")
    assert restored.id == mine.coding_id  # its old id back
    assert _texts(coded)["gezien", "junior"] == "Je voelt je gezien"
    with pytest.raises(CodingError, match="senior's, not junior's"):
        discard_orphan(coded, theirs.id, "junior")
    discard_orphan(coded, theirs.id, "junior", as_reviewer=True)
    assert orphans(coded) == []
    coded.undo("junior")
    assert [o.id for o in orphans(coded)] == [theirs.id]


def test_rejected_suggestions_follow_their_unit_or_go_with_its_words(coded: Store) -> None:
    second = TEXT.index("I: En")
    kept_unit = (TEXT.index("R: De"), len(TEXT))
    reject(coded, "regels", document="P01", start=kept_unit[0], end=kept_unit[1], coder="junior")
    reject(coded, "gezien", document="P01", start=TEXT.index("Hier"), end=second - 1, coder="junior")
    result = edit_document_text(coded, "P01", EDITED, "junior")
    assert result.rejections_dropped == 1
    moved_unit = (EDITED.index("R: De"), len(EDITED))  # "Echt waar." was typed before the unit's line break: inside it
    assert rejected_codes(coded, "P01", *moved_unit) == {"regels"}


def test_a_later_edit_moves_the_place_of_earlier_orphans(coded: Store) -> None:
    edit_document_text(coded, "P01", EDITED, "junior")
    anchors = {o.id: o.anchor for o in orphans(coded)}
    edit_document_text(coded, "P01", "Inleiding.\n" + EDITED, "junior")
    assert {o.id: o.anchor for o in orphans(coded)} == {i: a + len("Inleiding.\n") for i, a in anchors.items()}


def test_the_suggestions_see_the_new_words_and_undo_brings_back_the_old_ones(coded: Store) -> None:
    from workbench.suggest.pipeline import TokenCache
    from workbench.suggest.samples import load_corpus

    cache = TokenCache(coded)  # one cache kept across the edit, as a running app keeps it
    assert "weekend" in load_corpus(coded, cache).tokens["P01"].lemmas
    edit_document_text(coded, "P01", EDITED.replace("weekend", "vakantie"), "junior")
    lemmas = load_corpus(coded, cache).tokens["P01"].lemmas
    assert "vakantie" in lemmas and "weekend" not in lemmas  # keyed by the content hash, which the edit changed
    coded.undo("junior")
    assert "weekend" in load_corpus(coded, cache).tokens["P01"].lemmas


def test_one_coders_edit_is_not_undone_under_another_coders_later_codings_on_the_new_text(coded: Store) -> None:
    from workbench.errors import HistoryError

    edit_document_text(coded, "P01", EDITED, "senior")
    start = EDITED.index("Echt waar")
    add_coding(coded, document="P01", start=start, end=start + len("Echt waar"), code_id="weekend", coder="junior")
    with pytest.raises(HistoryError, match="later codings on that document's text depend on it; undo those first"):
        coded.undo("senior", coder="senior")
    assert get_document(coded, "P01").text == EDITED
    coded.undo("junior", coder="junior")
    coded.undo("senior", coder="senior")
    assert get_document(coded, "P01").text == TEXT
