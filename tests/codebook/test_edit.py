"""Editing the codebook never loses a coding: rename, move, reorder, merge and delete keep every one."""

from __future__ import annotations

import pytest

from tests.conftest import table_rows
from workbench.core.codebook import add_code, codebook
from workbench.core.codebook.edit import code_usage, delete_code, describe_code, merge_codes, move_code, rename_code, reorder_code
from workbench.core.codings import add_coding, coded_segments
from workbench.core.model import Code
from workbench.core.store import Store
from workbench.errors import CodebookError

#: The store's tests run on SQLite and on PostgreSQL alike (see conftest.backend).
pytestmark = pytest.mark.backends


@pytest.fixture
def coded(store: Store) -> Store:
    """The conftest project with a third level and codings by two coders."""
    add_code(store, Code(id="knelpunten", name="Knelpunten"), "senior")
    add_code(store, Code(id="contact-echt", name="Echt gezien", parent_id="contact"), "senior")
    add_code(store, Code(id="contact-tijd", name="Tijd voor contact", parent_id="contact"), "senior")
    add_coding(store, document="interview_01", start=0, end=10, code_id="contact-echt", coder="junior")
    add_coding(store, document="interview_01", start=0, end=10, code_id="contact-tijd", coder="junior")
    add_coding(store, document="interview_01", start=12, end=20, code_id="contact-tijd", coder="senior")
    add_coding(store, document="interview_01", start=30, end=40, code_id="contact", coder="junior")
    return store


def _spans(store: Store) -> list[tuple[int, int, str, str]]:
    return sorted((s.coding.start, s.coding.end, s.coding.coder, s.coding.code_id) for s in coded_segments(store))


def test_renaming_a_code_keeps_its_codings_and_shows_the_new_name(coded: Store) -> None:
    before = _spans(coded)
    rename_code(coded, "contact-echt", "Echt gezien worden", "senior")
    assert _spans(coded) == before
    assert {s.code_name for s in coded_segments(coded) if s.coding.code_id == "contact-echt"} == {"Echt gezien worden"}


def test_moving_a_theme_moves_its_subtree_and_keeps_every_coding(coded: Store) -> None:
    before = _spans(coded)
    move_code(coded, "contact", "knelpunten", "senior")
    book = codebook(coded)
    assert book.path("contact-echt") == ["Knelpunten", "M.b.t. contact met personeel", "Echt gezien"]
    assert _spans(coded) == before
    assert [c.id for c in book.children("succesfactoren")] == []


def test_a_code_cannot_move_under_its_own_descendant(coded: Store) -> None:
    before = table_rows(coded)
    refusal = "cannot move 'contact' under 'contact-echt': that is the code itself or one of its descendants"
    with pytest.raises(CodebookError, match=refusal):
        move_code(coded, "contact", "contact-echt", "senior")
    assert table_rows(coded) == before


def test_reorder_puts_a_code_first_among_its_siblings(coded: Store) -> None:
    reorder_code(coded, "contact-tijd", 0, "senior")
    assert [c.id for c in codebook(coded).children("contact")] == ["contact-tijd", "contact-echt"]
    assert [c.position for c in codebook(coded).children("contact")] == [0, 1]


def test_merging_moves_codings_and_drops_only_exact_duplicates(coded: Store) -> None:
    moved, dropped = merge_codes(coded, "contact-echt", "contact-tijd", "senior")
    assert (moved, dropped) == (0, 1)  # junior had 0-10 coded with both: one coding remains
    assert _spans(coded) == [(0, 10, "junior", "contact-tijd"), (12, 20, "senior", "contact-tijd"), (30, 40, "junior", "contact")]
    assert "contact-echt" not in codebook(coded).by_id


def test_merging_a_theme_moves_its_children_and_codings(coded: Store) -> None:
    merge_codes(coded, "contact", "knelpunten", "senior")
    book = codebook(coded)
    assert [c.id for c in book.children("knelpunten")] == ["contact-echt", "contact-tijd"]
    assert (30, 40, "junior", "knelpunten") in _spans(coded)
    assert len(_spans(coded)) == 4


def test_merging_into_a_descendant_is_refused(coded: Store) -> None:
    with pytest.raises(CodebookError, match="cannot merge 'contact' into its own descendant 'contact-echt'"):
        merge_codes(coded, "contact", "contact-echt", "senior")


def test_undoing_a_merge_restores_the_codebook_and_every_coding(coded: Store) -> None:
    before = table_rows(coded)
    merge_codes(coded, "contact-echt", "contact-tijd", "senior")
    coded.undo("senior")
    after = table_rows(coded)
    assert after["codes"] == before["codes"] and after["codings"] == before["codings"]


def test_deleting_a_used_code_is_refused_unless_told_where_its_codings_go(coded: Store) -> None:
    before = table_rows(coded)
    with pytest.raises(CodebookError, match="code 'contact-tijd' is used by 2 codings; say where they go"):
        delete_code(coded, "contact-tijd", "senior")
    assert table_rows(coded) == before
    delete_code(coded, "contact-tijd", "senior", reassign_to="contact-echt")
    assert code_usage(coded)["contact-echt"] == 2  # junior's duplicate 0-10 merged, senior's 12-20 moved
    assert "contact-tijd" not in codebook(coded).by_id


def test_deleting_a_code_with_children_is_refused(coded: Store) -> None:
    with pytest.raises(CodebookError, match="code 'contact' has 2 child codes; move or delete them first"):
        delete_code(coded, "contact", "senior")


def test_describe_changes_only_what_is_given(coded: Store) -> None:
    describe_code(coded, "contact-echt", "senior", include="De deelnemer voelt zich gezien", keywords=["gezien", "aandacht"])
    code = codebook(coded).get("contact-echt")
    assert (code.include, code.keywords, code.name) == ("De deelnemer voelt zich gezien", ("gezien", "aandacht"), "Echt gezien")
    with pytest.raises(CodebookError, match="colour 'rood' is not #rrggbb"):
        describe_code(coded, "contact-echt", "senior", color="rood")
