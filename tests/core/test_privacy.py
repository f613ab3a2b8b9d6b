"""A participant withdraws consent: `forget` removes their case everywhere its text landed; `purge-history` drops old log."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from tests.conftest import run_cli
from workbench.core import schema
from workbench.core.backups import list_backups, take_backup
from workbench.core.caches import CACHE_FILE, cache_writing
from workbench.core.check import check_project
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding, set_coding_memo
from workbench.core.codings_file import import_codings
from workbench.core.corpus import add_document
from workbench.core.memos import set_document_memo
from workbench.core.model import CaseAttributes, Code, DocumentKind, SpeakerTurn
from workbench.core.privacy import FORGOTTEN_SUMMARY, forget_case, purge_history
from workbench.core.store import Store
from workbench.core.text_edit import edit_document_text

KEPT_TEXT = "I: Hoe gaat het?\nR: Goed, Jan de Vries van de reclassering helpt mij elke week.\n"
#: Strings only the withdrawing participant's data holds: each must be gone from every byte of the project.
SECRETS = ("Ingrid Bakker", "Slochteren-Noord", "wantrouwen jegens de bewaarders", "memo over Ingrid", "Noorderpoort")
FORGOTTEN_TEXT = "I: Hoe gaat het?\nR: Slecht. Ingrid Bakker uit Slochteren-Noord vertelt over wantrouwen jegens de bewaarders.\n"
SECOND_TEXT = "I: En nu?\nR: Nog steeds wantrouwen jegens de bewaarders, zegt Ingrid Bakker.\n"


def _project(tmp_path: Path) -> Store:
    """Two participants; R02's data is spread over every table and the log, including an import that was undone."""
    store = Store.create(tmp_path / "project", "Forget test")
    add_code(store, Code(id="wantrouwen", name="Wantrouwen"), "junior")
    add_document(store, name="interview R01", text=KEPT_TEXT, kind=DocumentKind.TRANSCRIPT, actor="junior", case_id="R01",
                 case_attributes=CaseAttributes(wave="T1"))
    add_coding(store, document="interview R01", start=20, end=40, code_id="wantrouwen", coder="junior", memo="sterke steun")
    # An import undone: its text stays in the action log, which is what the issue found.
    add_document(store, name="interview R02 concept", text=SECOND_TEXT, kind=DocumentKind.TRANSCRIPT, actor="junior", case_id="R02")
    store.undo("junior")
    add_document(store, name="interview R02", text=FORGOTTEN_TEXT, kind=DocumentKind.TRANSCRIPT, actor="junior", case_id="R02",
                 case_attributes=CaseAttributes(respondent_group="Noorderpoort"), attributes={"plaats": "Slochteren-Noord"},
                 turns=[SpeakerTurn(1, "I", 0, 16), SpeakerTurn(2, "R", 17, len(FORGOTTEN_TEXT))])
    coding = add_coding(store, document="interview R02", start=20, end=60, code_id="wantrouwen", coder="junior")
    set_coding_memo(store, coding.id, "memo over Ingrid en haar wantrouwen jegens de bewaarders", "junior")
    set_document_memo(store, "interview R02", "junior", "memo over Ingrid: terugbellen")
    take_backup(store)
    with cache_writing(store) as conn:  # the lemma cache beside the project file
        tokens = '["Ingrid Bakker", "Slochteren-Noord"]'
        conn.execute(insert(schema.lemma_cache).values(content_hash="cd" * 32, pipeline="test", tokens=tokens))
    with store.engine.begin() as conn:
        digest = conn.execute(select(schema.documents.c.content_hash).where(schema.documents.c.name == "interview R02")).scalar_one()
        conn.execute(insert(schema.lemma_cache).values(content_hash=digest, pipeline="test", tokens='["Ingrid Bakker"]'))
        conn.execute(insert(schema.suggestion_models).values(
            scope="*", fingerprint="f", trained="t", meta='{"vocabulary": ["wantrouwen jegens de bewaarders"]}', arrays=b"",
        ))
    return store


def _project_bytes(project_dir: Path) -> dict[str, bytes]:
    """Every file of the project folder, the database, its WAL and every backup included."""
    return {str(p.relative_to(project_dir)): p.read_bytes() for p in sorted(project_dir.rglob("*")) if p.is_file()}


def _kept_rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    with store.reading() as conn:
        d, c = schema.documents, schema.codings
        return {
            "documents": [tuple(r) for r in conn.execute(select(d).where(d.c.case_id == "R01"))],
            "codings": [tuple(r) for r in conn.execute(select(c).join(d, d.c.id == c.c.document_id).where(d.c.case_id == "R01"))],
            "cases": [tuple(r) for r in conn.execute(select(schema.case_attributes).where(schema.case_attributes.c.case_id == "R01"))],
        }


def test_after_forget_the_case_text_is_nowhere_in_the_project_files_nor_its_backups(tmp_path: Path) -> None:
    store = _project(tmp_path)
    files = _project_bytes(store.project_dir)
    assert any(s.encode() in data for data in files.values() for s in SECRETS)  # the test would see them
    assert any("backups/" in name for name in files)
    kept = _kept_rows(store)

    assert (store.project_dir / CACHE_FILE).exists()
    result = forget_case(store, "R02", actor="supervisor")

    assert result.scrubbed and result.documents == 2 and result.backups_cleaned == 1
    for name, data in _project_bytes(store.project_dir).items():
        for secret in SECRETS:
            assert secret.encode() not in data, f"{secret!r} still in {name}"
    assert _kept_rows(store) == kept
    assert check_project(store).ok


def test_forget_leaves_one_log_entry_that_names_neither_case_nor_documents(tmp_path: Path) -> None:
    store = _project(tmp_path)
    forget_case(store, "R02", actor="supervisor")
    log = store.actions()
    assert log[-1].summary == FORGOTTEN_SUMMARY and not log[-1].undoable
    assert not any("R02" in a.summary for a in log)
    # The remaining actions still undo: the last one left is R01's coding.
    undone = store.undo("junior")
    assert "interview R01" in undone.summary
    assert check_project(store).ok


def test_researcher_forgets_a_case_from_the_command_line(tmp_path: Path) -> None:
    store = _project(tmp_path)
    store.close()
    result = run_cli("forget", store.project_dir, "--case", "R02")
    line = result.stdout.decode()
    assert line.startswith("forgot case R02 in ") and "2 documents removed" in line
    with closing(sqlite3.connect(store.project_dir / "workbench.sqlite")) as conn:
        assert conn.execute("SELECT count(*) FROM cases WHERE id = 'R02'").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (1,)


def test_forgetting_an_unknown_case_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    store = _project(tmp_path)
    before = store.actions()
    store.close()
    result = run_cli("forget", store.project_dir, "--case", "R99", check=False)
    assert result.returncode == 1
    assert result.stderr.decode().strip().endswith("no case 'R99'; nothing forgotten")
    with Store.open(store.project_dir) as again:
        assert again.actions() == before


def test_purge_history_drops_old_entries_and_their_undo_and_keeps_later_ones(tmp_path: Path) -> None:
    store = _project(tmp_path)
    a = schema.actions
    with store.engine.begin() as conn:
        # The project was set up in 2025; the last coding and memos were made today.
        conn.execute(update(a).where(a.c.id <= 6).values(at="2025-03-01T10:00:00Z"))
    total = len(store.actions())

    result = purge_history(store, date(2026, 1, 1), actor="supervisor")

    log = store.actions()
    assert result.dropped == 6
    assert all(entry.at >= "2026" for entry in log)
    assert len(log) == total - 6 + 1 and log[-1].kind == "purge-history"
    assert check_project(store).ok
    with closing(sqlite3.connect(list_backups(store.project_dir)[-1].path)) as backup:
        assert backup.execute("SELECT count(*) FROM actions WHERE at < '2026'").fetchone() == (0,)
    # What is left can still be undone; what was purged cannot.
    store.undo("junior")
    with pytest.raises(Exception, match="nothing"):
        for _ in range(20):
            store.undo("junior")


def test_purge_history_wants_a_real_date(tmp_path: Path) -> None:
    store = _project(tmp_path)
    store.close()
    result = run_cli("purge-history", store.project_dir, "--before", "vorige week", check=False)
    assert result.returncode == 2
    assert "give a date as YYYY-MM-DD" in result.stderr.decode()


def test_forget_names_the_codes_whose_examples_quote_the_case_and_leaves_them_to_the_researcher(tmp_path: Path) -> None:
    store = _project(tmp_path)
    add_code(store, Code(id="bewaarders", name="Bewaarders", examples=('"Slecht. Ingrid Bakker uit Slochteren-Noord vertelt"', "ja")),
             "junior")
    store.close()

    result = run_cli("forget", store.project_dir, "--case", "R02")

    assert result.stderr.decode().strip() == (
        "workbench: note: the codebook quotes this case in bewaarders: edit those codes' examples or descriptions"
    )


def test_forget_also_removes_codings_orphaned_by_a_text_edit(tmp_path: Path) -> None:
    from workbench.core.text_edit import edit_document_text

    store = _project(tmp_path)
    # The junior rewrites the coded words away: the coding becomes an orphan that keeps its old words.
    edit_document_text(store, "interview R02", FORGOTTEN_TEXT.replace("Ingrid Bakker uit Slochteren-Noord vertelt over", "X"), "junior")
    forget_case(store, "R02", actor="supervisor")
    with store.reading() as conn:
        assert conn.execute(select(schema.orphaned_codings)).all() == []
    for name, data in _project_bytes(store.project_dir).items():
        assert b"Ingrid Bakker" not in data, name


def _import_codings_on_both_cases(store: Store, tmp_path: Path) -> None:
    """One codings import over R01's and R02's interviews: a single logged insert by reference, keys of both cases."""
    dump = tmp_path / "codings.jsonl"
    dump.write_text("".join(
        f'{{"document": "{name}", "start": {start}, "end": {start + 4}, "code": "wantrouwen", "coder": "senior"}}\n'
        for name in ("interview R01", "interview R02") for start in range(0, 12, 2)
    ), encoding="utf-8")
    import_codings(store, dump, "senior")


def _senior_codings(store: Store) -> list[tuple[object, ...]]:
    with store.reading() as conn:
        c, k = schema.codings, schema.coders
        return [tuple(r) for r in conn.execute(select(c).join(k, k.c.id == c.c.coder_id).where(k.c.name == "senior").order_by(c.c.id))]


@pytest.mark.parametrize("undone_first", [False, True], ids=["done", "undone"])
def test_an_import_over_two_cases_still_undoes_and_redoes_exactly_without_the_forgotten_one(tmp_path: Path, undone_first: bool) -> None:
    store = _project(tmp_path)
    _import_codings_on_both_cases(store, tmp_path)
    with store.reading() as conn:
        kept_document = conn.execute(select(schema.documents.c.id).where(schema.documents.c.case_id == "R01")).scalar_one()
    kept_codings = [row for row in _senior_codings(store) if row[1] == kept_document]
    if undone_first:  # its rows (R02's among them) are then kept by the undo's log entry, and must go from there too
        store.undo("senior", coder="senior")

    forget_case(store, "R02", actor="supervisor")

    if undone_first:
        assert _senior_codings(store) == []
        store.redo("senior", coder="senior")
    assert _senior_codings(store) == kept_codings
    store.undo("senior", coder="senior")
    assert _senior_codings(store) == []
    store.redo("senior", coder="senior")
    assert _senior_codings(store) == kept_codings
    assert check_project(store).ok
    for name, data in _project_bytes(store.project_dir).items():
        for secret in SECRETS:
            assert secret.encode() not in data, f"{secret!r} still in {name}"


def test_an_undone_edit_of_the_forgotten_cases_transcript_leaves_its_new_text_nowhere(tmp_path: Path) -> None:
    store = _project(tmp_path)
    long_text = FORGOTTEN_TEXT * 20  # long enough for the edit's new text to be logged by hash, kept by the undo
    add_document(store, name="interview R02 lang", text=long_text, kind=DocumentKind.TRANSCRIPT, actor="junior", case_id="R02")
    edit_document_text(store, "interview R02 lang", long_text + "R: Ze woont aan de Kruisstraat 12.\n", "junior")
    store.undo("junior")
    with store.reading() as conn:
        a = schema.actions
        assert conn.execute(select(a.c.id).where(a.c.kind == "undo", a.c.changes.contains("Kruisstraat"))).first() is not None

    forget_case(store, "R02", actor="supervisor")

    for name, data in _project_bytes(store.project_dir).items():
        assert b"Kruisstraat" not in data, f"the edited text is still in {name}"
    assert check_project(store).ok
