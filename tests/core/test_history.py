"""Undo and redo work from the append-only action log, across restarts and per coder."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from tests.conftest import table_rows
from workbench.core import schema
from workbench.core.check import check_project
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding, coded_segments, dump_codings, remove_coding, set_coding_memo
from workbench.core.codings_file import import_codings
from workbench.core.corpus import add_document
from workbench.core.model import Code, DocumentKind, SpeakerTurn
from workbench.core.store import Store
from workbench.core.text_edit import edit_document_text
from workbench.errors import HistoryError, StoreError

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


# -- the log stores references to what it can rebuild, not second copies (issue 17) ---------------------------------------


def _log_characters(store: Store) -> int:
    """How much the action log holds: every change set, and every row an undo kept for its redo."""
    a = schema.actions
    with store.reading() as conn:
        return int(conn.execute(select(func.coalesce(func.sum(func.length(a.c.changes)), 0))).scalar_one())


def _long_transcript(lines_count: int = 800) -> tuple[str, list[SpeakerTurn]]:
    """A transcript of about 75 characters a line (60,000 by default) and its turns."""
    lines = [f"{'I' if n % 2 == 0 else 'R'}: Over het team en de begeleiding in week {n}, wat er hielp en wat niet.\n"
             for n in range(lines_count)]
    turns, start = [], 0
    for seq, line in enumerate(lines, 1):
        turns.append(SpeakerTurn(seq, line[0], start, start + len(line) - 1))
        start += len(line)
    return "".join(lines), turns


def test_importing_a_transcript_logs_no_second_copy_of_its_text_and_undo_and_redo_restore_it_exactly(store: Store) -> None:
    text, turns = _long_transcript()
    logged_before = _log_characters(store)
    add_document(store, name="interview_lang", text=text, kind=DocumentKind.TRANSCRIPT, actor="junior", turns=turns,
                 attributes={"plaats": "Utrecht"})
    imported = _work(store)
    assert _log_characters(store) - logged_before < len(text) / 50  # keys and a hash, not the text and its 800 turns

    store.undo("junior")
    assert "interview_lang" not in {row[1] for row in _work(store)["documents"]}
    kept_by_the_undo = _log_characters(store)  # now the log holds the text (and turns) for the redo
    store.redo("junior")
    assert _work(store) == imported  # same ids, text, turns and attributes
    store.undo("junior")
    store.redo("junior")
    assert _work(store) == imported
    # Undone twice, kept once: a second undo finds the same rows (hash-checked) kept already.
    assert _log_characters(store) - kept_by_the_undo < len(text) / 50
    assert [f for f in check_project(store).findings if f.check == "history"] == []


@pytest.mark.parametrize("odd", ['Jan "de" Vries],[x', "Ø\\n], [\u2028", "A],[B],[C"])
def test_speaker_labels_that_look_like_the_logs_row_separators_still_undo_and_redo_exactly(store: Store, odd: str) -> None:
    # The log hashes an import's rows from one JSON text of them all, split between rows at "],["; a label holding
    # those characters must not fool the split (undo would then refuse the import as changed since).
    text, turns = _long_transcript(40)
    turns = [SpeakerTurn(t.seq, odd if t.seq % 3 == 0 else t.speaker, t.start, t.end) for t in turns]
    add_document(store, name="interview_raar", text=text, kind=DocumentKind.TRANSCRIPT, actor="junior", turns=turns)
    imported = _work(store)
    store.undo("junior")
    assert "interview_raar" not in {row[1] for row in _work(store)["documents"]}
    store.redo("junior")
    assert _work(store) == imported


def test_a_codings_import_logs_its_rows_by_reference_and_redo_after_undo_after_redo_is_byte_identical(store: Store, tmp_path: Path) -> None:
    dump = _import_spans(store, tmp_path, "bulk", 300)
    imported, rows = dump_codings(coded_segments(store), "jsonl"), _work(store)
    (change_set,) = [a for a in _changes(store) if a[0] == "code" and "300 codings" in a[1]]
    assert len(change_set[2]) < dump.stat().st_size / 20

    for _ in range(2):
        store.undo("bulk")
        assert coded_segments(store) == []
        store.redo("bulk")
        assert dump_codings(coded_segments(store), "jsonl") == imported
        assert _work(store) == rows


def _changes(store: Store) -> list[tuple[str, str, str]]:
    a = schema.actions
    with store.reading() as conn:
        logged = conn.execute(select(a.c.kind, a.c.summary, a.c.changes).where(a.c.changes.is_not(None)))
        return [(r.kind, r.summary, r.changes) for r in logged]


def test_undo_of_an_import_refuses_in_one_line_when_its_rows_were_changed_since_and_changes_nothing(store: Store, tmp_path: Path) -> None:
    _import_spans(store, tmp_path, "bulk", 50)
    with store.reading() as conn:
        c = schema.codings
        imported = conn.execute(select(c.c.id).where(c.c.start_offset == 17, c.c.end_offset == 18)).scalar_one()
    set_coding_memo(store, imported, "later seen by the senior", "senior", as_reviewer=True)  # another's later change
    before = table_rows(store)
    with pytest.raises(HistoryError, match="changed since") as refused:
        store.undo("bulk", coder="bulk")
    assert len(str(refused.value).splitlines()) == 1 and "imported 50 codings" in str(refused.value)
    assert table_rows(store) == before
    store.undo("senior", coder="senior")  # once the later change is undone, the import undoes
    store.undo("bulk", coder="bulk")
    assert coded_segments(store, "interview_01") == []


def test_an_old_projects_log_of_whole_rows_still_undoes_and_redoes_exactly(tmp_path: Path) -> None:
    dump = (Path(__file__).parent.parent / "data" / "project_schema_v1.sql").read_text(encoding="utf-8")
    (tmp_path / "old").mkdir()
    with sqlite3.connect(tmp_path / "old" / "workbench.sqlite") as raw:
        raw.executescript(dump)
    raw.close()
    with Store.open(tmp_path / "old") as store:
        written = _work(store)
        old_log = _changes(store)
        assert old_log and all('"row":' in changes for _, _, changes in old_log)  # the old form: whole rows
        for _ in range(4):  # the coding, two codes, the import
            store.undo("onderzoeker1")
        assert _work(store)["documents"] == [] and _work(store)["codes"] == []
        for _ in range(4):
            store.redo("onderzoeker1")
        assert _work(store) == written


def test_editing_a_long_transcript_logs_its_old_text_but_not_a_second_copy_of_the_new_and_undo_redo_restore_both(store: Store) -> None:
    text, turns = _long_transcript(80)  # 6,000 characters: long enough to be logged by hash
    add_document(store, name="interview_lang", text=text, kind=DocumentKind.TRANSCRIPT, actor="junior", turns=turns)
    add_coding(store, document="interview_lang", start=3, end=20, code_id="contact", coder="junior")
    original = _work(store)
    edited = text.replace("begeleiding", "ondersteuning")
    edit_document_text(store, "interview_lang", edited, "junior")
    after_edit = _work(store)
    (_, _, change_set), = [entry for entry in _changes(store) if entry[0] == "edit"]
    assert "begeleiding" in change_set  # the old text, which only the log holds now
    assert "ondersteuning" not in change_set  # not the new one: the table holds it

    store.undo("junior")
    assert _work(store) == original
    store.redo("junior")
    assert _work(store) == after_edit
    store.undo("junior")
    store.redo("junior")
    assert _work(store) == after_edit
    assert [f for f in check_project(store).findings if f.check == "history"] == []


def test_undo_of_an_edit_refuses_when_the_text_was_changed_since_behind_the_logs_back(store: Store) -> None:
    text, turns = _long_transcript(80)  # 6,000 characters: long enough to be logged by hash
    add_document(store, name="interview_lang", text=text, kind=DocumentKind.TRANSCRIPT, actor="junior", turns=turns)
    edit_document_text(store, "interview_lang", text.replace("team", "groep"), "junior")
    with store.action("tidy", "other program") as changes:
        d = schema.documents
        changes.conn.execute(update(d).where(d.c.name == "interview_lang").values(text=text.replace("team", "ploeg")))
    before = table_rows(store)
    with pytest.raises(HistoryError, match="text was changed since"):
        store.undo("junior")
    assert table_rows(store) == before


@pytest.mark.sqlite_only
@pytest.mark.parametrize("changes", ['[{"op": "insert", "table": "no_such_table", "row": {}}]', '[{"op": "delete"}]', "[{oops"])
def test_a_damaged_log_entry_is_refused_in_one_line_and_changes_nothing(store: Store, changes: str) -> None:
    add_code(store, Code(id="eigen", name="Eigen code"), "junior")
    with sqlite3.connect(store.project_dir / "workbench.sqlite") as raw:  # a hand edit, or a disk that lost a sector
        raw.execute("INSERT INTO actions (at, actor, kind, summary, changes) VALUES ('2026-12-04T08:00:00Z', 'junior', 'code', "
                    "'hand-made', ?)", (changes,))
    before = table_rows(store)
    with pytest.raises(HistoryError) as refused:
        store.undo("junior")
    assert "\n" not in str(refused.value) and "hand-made" in str(refused.value) and "damaged" in str(refused.value)
    assert table_rows(store) == before


@pytest.mark.sqlite_only
def test_a_large_batch_leaves_pythons_garbage_collector_as_it_found_it_even_when_refused(store: Store) -> None:
    import gc

    rows = [{"document_id": 1, "seq": n, "speaker": "R", "start_offset": 0, "end_offset": 1} for n in range(1500)]
    with store.action("import", "junior", "many turns") as changes:
        (document_id,) = [d for (d,) in changes.conn.execute(select(schema.documents.c.id))]
        changes.insert_many(schema.turns, [{**row, "document_id": document_id} for row in rows])
    assert gc.isenabled()
    with pytest.raises(StoreError, match="UNIQUE"), store.action("import", "junior", "the same turns again") as changes:
        changes.insert_many(schema.turns, [{**row, "document_id": document_id} for row in rows])
    assert gc.isenabled()
    gc.disable()  # a program that switched it off keeps it off
    try:
        with store.action("import", "junior", "more turns") as changes:
            changes.insert_many(schema.turns, [{**row, "document_id": document_id, "seq": 2000 + row["seq"]} for row in rows])
        assert not gc.isenabled()
    finally:
        gc.enable()
