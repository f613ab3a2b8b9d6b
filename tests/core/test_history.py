"""Undo and redo work from the append-only action log, across restarts and per coder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from tests.conftest import table_rows
from workbench.core import schema
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding, coded_segments, remove_coding
from workbench.core.codings_file import import_codings
from workbench.core.model import Code
from workbench.core.store import Store
from workbench.errors import HistoryError

#: The store's tests run on SQLite and on PostgreSQL alike (see conftest.backend).
pytestmark = pytest.mark.backends


def _spans(store: Store) -> list[tuple[int, int, str, str]]:
    return [(s.coding.start, s.coding.end, s.coding.code_id, s.coding.coder) for s in coded_segments(store)]


def test_undo_and_redo_survive_closing_and_reopening_the_project(store: Store) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=6, end=12, code_id="contact", coder="junior", memo="m")
    coded = table_rows(store)["codings"]
    store.close()

    reopened = Store.open(store.project_dir)
    reopened.undo("junior")
    assert _spans(reopened) == [(0, 5, "contact", "junior")]
    reopened.close()

    again = Store.open(store.project_dir)
    again.redo("junior")
    assert table_rows(again)["codings"] == coded  # same ids, memo and timestamps: an exact restore
    again.close()


def test_the_log_is_append_only_and_names_who_undid_what(store: Store) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    before = [(a.id, a.summary) for a in store.actions()]
    store.undo("senior")
    after = store.actions()
    assert [(a.id, a.summary) for a in after[:-1]] == before
    assert after[-1].kind == "undo" and after[-1].actor == "senior"
    assert after[-1].target_id == before[-1][0]
    assert "coded 'interview_01' 0-5 as 'contact'" in after[-1].summary


def test_undo_walks_back_through_every_action_then_says_there_is_nothing_left(store: Store) -> None:
    first_rows = table_rows(store)
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    remove_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    store.undo("junior")  # the removal
    assert _spans(store) == [(0, 5, "contact", "junior")]
    store.undo("junior")  # the coding
    assert table_rows(store)["codings"] == first_rows["codings"]
    for _ in range(3):  # two codes and the import
        store.undo("junior")
    assert table_rows(store)["documents"] == [] and table_rows(store)["codes"] == []
    with pytest.raises(HistoryError, match="nothing to undo"):
        store.undo("junior")


def test_a_new_action_clears_what_could_be_redone(store: Store) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    store.undo("junior")
    add_coding(store, document="interview_01", start=1, end=5, code_id="contact", coder="junior")
    with pytest.raises(HistoryError, match="nothing to redo"):
        store.redo("junior")


def test_each_coder_undoes_only_their_own_actions(store: Store) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="senior")
    undone = store.undo("junior", coder="junior")
    assert "coding" in undone.summary and undone.actor == "junior"
    assert _spans(store) == [(0, 5, "contact", "senior")]
    store.redo("junior", coder="junior")
    assert len(_spans(store)) == 2


def test_undo_that_would_orphan_later_work_is_refused_and_changes_nothing(store: Store) -> None:
    add_code(store, Code(id="nieuw", name="Nieuwe code"), "senior")
    add_coding(store, document="interview_01", start=0, end=5, code_id="nieuw", coder="junior")
    before = table_rows(store)
    with pytest.raises(HistoryError, match="later changes depend on it"):
        store.undo("senior", coder="senior")  # the code that junior's coding uses
    assert table_rows(store) == before


def _spans_of_text(count: int) -> list[tuple[int, int]]:
    """`count` distinct (width, start) pairs inside the 83 characters of the test interview."""
    return [(width, start) for width in range(1, 80) for start in range(0, 83 - width)][:count]


def _import_spans(store: Store, tmp_path: Path, coder: str, count: int) -> Path:
    dump = tmp_path / f"{coder}.jsonl"
    dump.write_text(
        "".join(json.dumps({"document": "interview_01", "start": start, "end": start + width, "code": "contact", "coder": coder}) + "\n"
                for width, start in _spans_of_text(count)),
        encoding="utf-8",
    )
    import_codings(store, dump, coder)
    return dump


def test_a_bulk_import_is_undone_and_redone_whole(store: Store, tmp_path: Path) -> None:
    add_coding(store, document="interview_01", start=0, end=9, code_id="contact", coder="junior")
    before = _work(store)
    _import_spans(store, tmp_path, "bulk", 300)
    after = _work(store)
    assert len(_spans(store)) == 301
    store.undo("bulk")
    assert _work(store) == before
    store.redo("bulk")
    assert _work(store) == after


def _work(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every table but the action log, which grows with each undo and redo."""
    return {name: rows for name, rows in table_rows(store).items() if name != "actions"}


def test_undoing_a_bulk_import_one_of_whose_codings_is_gone_changes_nothing(store: Store, tmp_path: Path) -> None:
    _import_spans(store, tmp_path, "bulk", 50)
    with store.reading() as conn:
        c = schema.codings
        victim = conn.execute(select(c.c.id).where(c.c.start_offset == 17, c.c.end_offset == 18)).scalar_one()
    with store.action("tidy", "senior") as changes:  # removed behind the log's back, as another program would
        changes.conn.execute(delete(schema.codings).where(schema.codings.c.id == victim))
    before = table_rows(store)
    with pytest.raises(HistoryError, match="later changes depend on it"):
        store.undo("bulk", coder="bulk")
    assert table_rows(store) == before


def test_keys_of_undone_codings_are_never_given_again(store: Store, tmp_path: Path) -> None:
    _import_spans(store, tmp_path, "bulk", 20)
    with store.reading() as conn:
        first = {int(k) for (k,) in conn.execute(select(schema.codings.c.id))}
    store.undo("bulk", coder="bulk")
    _import_spans(store, tmp_path, "again", 20)
    with store.reading() as conn:
        second = {int(k) for (k,) in conn.execute(select(schema.codings.c.id))}
    assert len(second) == 20 and min(second) > max(first)
