"""A project moves to a team server and back without losing a row: documents, codebook, codings, memos, decisions,
orphans, caches and the action log, with the same ids, so undo and redo go on working in the copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Table, create_engine, insert, inspect

from tests import pg_cluster
from tests.conftest import INTERVIEW, Backend, table_rows
from workbench.core import project_copy, schema
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding, coded_segments, dump_codings
from workbench.core.comparison.consensus import Decision, settle
from workbench.core.comparison.model import ComparedUnit
from workbench.core.corpus import add_document
from workbench.core.database import server_location
from workbench.core.memos import set_document_memo
from workbench.core.model import CaseAttributes, Code, DocumentKind, SpeakerTurn
from workbench.core.project_copy import NOT_COPIED, copy_project
from workbench.core.store import Store
from workbench.core.text_edit import edit_document_text, orphans
from workbench.errors import StoreError
from workbench.suggest.feedback import accept, reject
from workbench.suggest.model import Source, Suggestion

TURNS = (SpeakerTurn(seq=0, speaker="I", start=0, end=22), SpeakerTurn(seq=1, speaker="R", start=23, end=len(INTERVIEW) - 1))
NOTES = "Notities bij het bezoek: één keer per week koffie — “De Hoek”. 🙂\n"


def build_rich_project(folder: Path) -> Store:
    """A small project with a row in every table a coder's work fills, an undone coding on top of the log."""
    store = Store.create(folder, "Rijk project", description="alles erin")
    add_document(
        store, name="interview_01", text=INTERVIEW, kind=DocumentKind.TRANSCRIPT, actor="junior", case_id="D01",
        case_attributes=CaseAttributes(respondent_group="deelnemers", function=None, wave="T1", extra={"leeftijd": "24"}),
        attributes={"locatie": "Huis"}, turns=TURNS,
    )
    add_document(store, name="notities", text=NOTES, kind=DocumentKind.NOTES, actor="junior")
    # The child's id sorts before its parent's: a copy in key order must still insert the parent first.
    add_code(store, Code(id="succesfactoren", name="Succesfactoren", dimension="succesfactoren", color="#2e7d32"), "junior")
    add_code(store, Code(id="contact", name="M.b.t. contact met personeel", parent_id="succesfactoren"), "junior")
    add_code(store, Code(id="koffie", name="Koffie", parent_id="succesfactoren", keywords=("koffie",)), "junior")
    add_coding(store, document="interview_01", start=26, end=59, code_id="contact", coder="junior", memo="kern")
    add_coding(store, document="interview_01", start=26, end=59, code_id="contact", coder="senior")
    add_coding(store, document="notities", start=0, end=9, code_id="koffie", coder="junior")
    set_document_memo(store, "interview_01", "junior", "Eerste gesprek; rustig.")
    unit = ComparedUnit("interview_01", 26, 59, "interview_01 · R", INTERVIEW[26:59],
                        {"junior": frozenset({"contact"}), "senior": frozenset({"contact"})})
    settle(store, unit, Decision.TAKE, actor="senior", coder="junior")
    reject(store, "koffie", document="interview_01", start=26, end=59, coder="junior")
    suggestion = Suggestion("koffie", "Koffie", ("Succesfactoren", "Koffie"), "succesfactoren", "Succesfactoren", 0.75,
                            ("koffie",), Source.RULE)
    coffee = NOTES.index("koffie")
    accept(store, suggestion, document="notities", start=coffee, end=coffee + len("koffie"), coder="junior")
    # Deleting the coded words "Notities" makes that coding an orphan.
    edit_document_text(store, "notities", NOTES.replace("Notities bij", "Bij"), "junior")
    store.put_settings({"coder": "junior"})
    with store.bookkeeping() as conn:
        conn.execute(insert(schema.lemma_cache).values(content_hash="ab" * 32, pipeline="nl-1", tokens='["koffie"]'))
        conn.execute(insert(schema.suggestion_models).values(
            scope="junior", fingerprint="cd" * 32, trained="2026-12-01T10:00:00Z", meta="{}", arrays=bytes(range(256))))
        # What a REFI-QDA import keeps of another tool's sets of codes.
        conn.execute(insert(schema.code_sets).values(
            guid="{8b0c2a7e-0000-4000-8000-000000000001}", name="Kern", description="", code_ids='["contact"]', position=0))
    add_coding(store, document="interview_01", start=0, end=2, code_id="contact", coder="senior")
    store.undo("senior", coder="senior")
    return store


@pytest.fixture
def rich(tmp_path: Path) -> Iterator[Store]:
    store = build_rich_project(tmp_path / "rich")
    yield store
    store.close()


@pytest.fixture
def server(pg_server: pg_cluster.Cluster) -> Backend:
    return Backend("postgresql", pg_server)


def copied_rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table a copy carries."""
    return {name: rows for name, rows in table_rows(store).items() if name not in NOT_COPIED}


def codings_dump(store: Store) -> str:
    return dump_codings(coded_segments(store), "jsonl")


def test_the_rich_project_has_a_row_in_every_table_a_copy_must_carry(rich: Store) -> None:
    assert [name for name, rows in copied_rows(rich).items() if not rows] == []
    assert len(orphans(rich)) == 1
    assert rich.stacks("senior").undone


def test_a_round_trip_through_the_server_gives_back_every_row_and_the_same_codings(
    rich: Store, server: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small batches, so every table of the small project is streamed in several of them, by count and by size.
    monkeypatch.setattr(project_copy, "BATCH_ROWS", 2)
    monkeypatch.setattr(project_copy, "BATCH_CHARACTERS", 50)
    database = server.database()
    to_server = copy_project(rich.project_dir, tmp_path / "team", database=database)
    back = copy_project(tmp_path / "team", tmp_path / "back")

    assert database is not None and to_server.label == server_location(database).label
    assert not (tmp_path / "team" / "workbench.sqlite").exists()
    assert to_server.rows == back.rows
    assert dict(to_server.rows)["codings"] == 4 and to_server.codings == 4
    assert to_server.tables == len(project_copy.copied_tables())
    with Store.open(tmp_path / "team") as team, Store.open(tmp_path / "back") as returned:
        assert team.on_server and not returned.on_server
        assert codings_dump(team) == codings_dump(rich)
        assert codings_dump(returned) == codings_dump(rich)
        assert copied_rows(returned) == copied_rows(rich)
        assert returned.actions() == rich.actions()


def test_undo_and_redo_go_on_in_the_copy_as_in_the_original(rich: Store, server: Backend, tmp_path: Path) -> None:
    copy_project(rich.project_dir, tmp_path / "team", database=server.database())
    with Store.open(tmp_path / "team") as team:
        for store in (rich, team):
            store.redo("senior", coder="senior")
            store.undo("junior", coder="junior")  # the accepted suggestion
        assert codings_dump(team) == codings_dump(rich)
        copy_project(tmp_path / "team", tmp_path / "back")
    with Store.open(tmp_path / "back") as back:
        assert _undo_times_aside(copied_rows(back)) == _undo_times_aside(copied_rows(rich))


def _undo_times_aside(rows: dict[str, list[tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    # The undo and redo were logged apart in each project, each at its own second and, on the server, with the server's
    # user as their author (a SQLite project names none): their times and authors may differ.
    columns = [c.name for c in schema.actions.columns]
    aside = {columns.index("at"), columns.index("author")}
    kind = columns.index("kind")
    rows = dict(rows)
    rows["actions"] = [
        tuple(None if i in aside else value for i, value in enumerate(r)) if r[kind] in ("undo", "redo") else r for r in rows["actions"]
    ]
    return rows


@pytest.mark.parametrize("hops", [("postgresql",), ("postgresql", "sqlite")], ids=["to the server", "there and back"])
def test_new_work_in_a_copy_never_takes_the_id_of_an_undone_row(
    rich: Store, server: Backend, tmp_path: Path, hops: tuple[str, ...]
) -> None:
    folder = rich.project_dir
    for n, hop in enumerate(hops):
        copy_project(folder, tmp_path / f"copy{n}", database=server.database() if hop == "postgresql" else None)
        folder = tmp_path / f"copy{n}"
    with Store.open(folder) as copy:
        # senior's undone coding still has its id in the log; a new coding must not get it, or the redo would clash.
        new = add_coding(copy, document="notities", start=1, end=5, code_id="koffie", coder="tweede")
        undone = copy.redo("senior", coder="senior")
        assert undone.kind == "code"
        ids = [segment.coding.id for segment in coded_segments(copy)]
        assert len(ids) == len(set(ids)) == 6
        assert new.id > max(i for i in ids if i != new.id)


def test_the_demo_goes_to_the_server_and_back_with_identical_dumps_and_rows(hvh: Store, server: Backend, tmp_path: Path) -> None:
    report = copy_project(hvh.project_dir, tmp_path / "team", database=server.database())
    copy_project(tmp_path / "team", tmp_path / "back")
    assert report.codings == len(coded_segments(hvh)) > 300
    with Store.open(tmp_path / "back") as back:
        assert codings_dump(back) == codings_dump(hvh)
        assert copied_rows(back) == copied_rows(hvh)


def test_a_copy_into_a_database_that_is_not_empty_is_refused_and_leaves_nothing(rich: Store, server: Backend, tmp_path: Path) -> None:
    database = server.database()
    copy_project(rich.project_dir, tmp_path / "first", database=database)
    with pytest.raises(StoreError, match=r"the database is not empty") as refused:
        copy_project(rich.project_dir, tmp_path / "second", database=database)
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "second").exists()


def test_a_password_in_the_url_is_refused_before_anything_is_made(rich: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"password") as refused:
        copy_project(rich.project_dir, tmp_path / "team", database="postgresql://junior:geheim@server.example.org/studie")
    assert "geheim" not in str(refused.value)
    assert not (tmp_path / "team").exists()


def test_a_copy_into_an_existing_project_or_a_folder_with_files_is_refused(rich: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"already a workbench project"):
        copy_project(rich.project_dir, rich.project_dir)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match=r"not an empty folder"):
        copy_project(rich.project_dir, tmp_path / "busy")
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]


def interrupting(monkeypatch: pytest.MonkeyPatch, table_name: str, error: BaseException) -> None:
    """Make the copy stop with `error` once it has copied `table_name`, as a Ctrl-C or a lost connection would."""
    copy_table = project_copy._copy_table

    def then_stop(src: Connection, dst: Connection, table: Table) -> int:
        count = copy_table(src, dst, table)
        if table.name == table_name:
            raise error
        return count

    monkeypatch.setattr(project_copy, "_copy_table", then_stop)


@pytest.mark.parametrize("error", [KeyboardInterrupt(), StoreError("the network went away")], ids=["ctrl-c", "error"])
def test_a_copy_stopped_midway_leaves_no_folder_and_an_empty_database(
    rich: Store, server: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    database = server.database()
    assert database is not None
    with monkeypatch.context() as patch:
        interrupting(patch, "codings", error)
        with pytest.raises(type(error)):
            copy_project(rich.project_dir, tmp_path / "team", database=database)
    assert not (tmp_path / "team").exists()
    # The database is as empty as before, so the same command can simply be run again.
    assert server_tables(database) == []
    copy_project(rich.project_dir, tmp_path / "team", database=database)


def test_a_copy_to_a_file_stopped_midway_leaves_the_empty_folder_it_was_given_empty(
    rich: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "given").mkdir()
    interrupting(monkeypatch, "documents", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        copy_project(rich.project_dir, tmp_path / "given")
    assert list((tmp_path / "given").iterdir()) == []


def test_a_copy_whose_codings_dump_differs_is_not_kept(rich: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the second pass every code loses its parent: the counts agree, the codings' code paths do not.
    monkeypatch.setattr(project_copy, "_fill_in", lambda *args: None)
    with pytest.raises(StoreError, match=r"codings dump differs") as refused:
        copy_project(rich.project_dir, tmp_path / "copy")
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "copy").exists()


def test_the_tables_not_copied_are_only_the_servers_own() -> None:
    assert NOT_COPIED == frozenset({"members"})
    names = [table.name for table in project_copy.copied_tables()]
    assert {"documents", "codings", "actions", "orphaned_codings", "lemma_cache", "suggestion_models"} <= set(names)
    # Parents before children.
    assert names.index("documents") < names.index("codings") and names.index("coders") < names.index("codings")


def server_tables(url: str) -> list[str]:
    """The tables in a server database, read with a connection of its own."""
    engine = create_engine(server_location(url).url)
    try:
        with engine.connect() as conn:
            return list(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_the_whole_history_undoes_on_the_server_copy_and_redoes_to_the_same_rows(rich: Store, server: Backend, tmp_path: Path) -> None:
    # Inserts are logged by the hash of their rows as SQLite stored them; PostgreSQL must read them back alike.
    copy_project(rich.project_dir, tmp_path / "team", database=server.database())
    with Store.open(tmp_path / "team") as team:
        work = {name: rows for name, rows in copied_rows(team).items() if name != "actions"}
        done = len(team.stacks().done)
        for _ in range(done):
            team.undo("senior")
        assert {name: rows for name, rows in copied_rows(team).items() if name in ("documents", "codings", "turns")} == {
            "documents": [], "codings": [], "turns": []}
        for _ in range(done):
            team.redo("senior")
        assert {name: rows for name, rows in copied_rows(team).items() if name != "actions"} == work
