"""The store keeps every domain value exactly, refuses what is not a project, and upgrades old schemas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Connection, text, update

from workbench.core import schema, schema_upgrade
from workbench.core.backups import list_backups
from workbench.core.codebook import add_code, codebook
from workbench.core.codings import add_coding, coded_segments
from workbench.core.comparison.consensus import Decision, progress, settle
from workbench.core.comparison.model import ComparedUnit
from workbench.core.corpus import add_document, cases, document_summaries, get_document
from workbench.core.migrations import migrate
from workbench.core.model import Case, CaseAttributes, Code, Coder, DocumentKind, Project, SpeakerTurn
from workbench.core.store import Store
from workbench.errors import ImportError_, ProjectNotFoundError, StoreError

#: The store's tests run on SQLite and on PostgreSQL alike (see conftest.backend).
pytestmark = pytest.mark.backends

TEXT = "I: Hoe gaat het?\r\nR: Goed, dank je. Café “De Hoek” — één keer per week.\n"


def test_every_model_type_survives_a_store_round_trip(tmp_path: Path) -> None:
    turns = (SpeakerTurn(seq=0, speaker="I", start=0, end=16), SpeakerTurn(seq=1, speaker="R", start=18, end=len(TEXT) - 1))
    attributes = CaseAttributes(respondent_group="deelnemers", function=None, wave="T1", extra={"leeftijd": "24"})
    with Store.create(tmp_path / "p", "Ronde", description="rond") as store:
        add_document(
            store, name="interview_01", text=TEXT, kind=DocumentKind.FOCUS_GROUP, actor="junior", source="x.txt",
            case_id="D01", case_attributes=attributes, attributes={"locatie": "Huis"}, turns=turns,
        )
        dimension = Code(id="dim", name="Succesfactoren", dimension="succesfactoren", color="#2e7d32", description="wat werkt")
        add_code(store, dimension, "junior")
        add_code(store, Code(id="contact", name="M.b.t. contact", parent_id="dim"), "junior")
        coding = add_coding(store, document="interview_01", start=21, end=36, code_id="contact", coder="onderzoeker1", memo="kort")

    with Store.open(tmp_path / "p") as store:
        project = store.project()
        assert (project.name, project.description) == ("Ronde", "rond")
        assert isinstance(project, Project)

        document = get_document(store, "interview_01")
        assert document.text == TEXT
        assert document.kind is DocumentKind.FOCUS_GROUP
        assert document.case_id == "D01"
        assert dict(document.attributes) == {"locatie": "Huis"}
        assert document.turns == turns
        assert document.source == "x.txt"

        assert cases(store) == [Case(id="D01", attributes=attributes)]

        book = codebook(store)
        assert book.get("dim") == Code(
            id="dim", name="Succesfactoren", dimension="succesfactoren", color="#2e7d32", description="wat werkt", position=0
        )
        assert book.get("contact").parent_id == "dim"
        assert book.dimension_of("contact") == "succesfactoren"
        assert book.color_of("contact") == "#2e7d32"

        (segment,) = coded_segments(store)
        assert segment.coding == coding
        assert segment.text == TEXT[21:36]
        assert segment.code_path == ("Succesfactoren", "M.b.t. contact")
        with store.reading() as conn:
            coders = [Coder(id=r.id, name=r.name) for r in conn.execute(schema.coders.select())]
        assert coders == [Coder(id=1, name="onderzoeker1")]

        kinds = [a.kind for a in store.actions()]
        assert kinds == ["new", "import", "add code", "add code", "code"]
        assert document_summaries(store)[0].coding_count == 1


@pytest.mark.sqlite_only
def test_store_runs_in_wal_mode_with_foreign_keys(store: Store) -> None:
    with store.reading() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_reimporting_the_same_text_is_refused_and_nothing_is_duplicated(store: Store) -> None:
    text = get_document(store, "interview_01").text
    with pytest.raises(ImportError_, match="already imported"):
        add_document(store, name="copy", text=text, kind=DocumentKind.TRANSCRIPT, actor="junior")
    assert [d.name for d in document_summaries(store)] == ["interview_01"]


def test_a_folder_without_project_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFoundError, match=f"{tmp_path}: not a workbench project"):
        Store.open(tmp_path)


def test_a_corrupt_database_file_gets_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "workbench.sqlite").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a readable workbench database"):
        Store.open(tmp_path)


def test_creating_over_an_existing_project_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="already a workbench project"):
        Store.create(store.project_dir, "again")


def test_a_project_from_a_newer_workbench_is_refused(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    store.close()
    with pytest.raises(StoreError, match=r"newer workbench \(schema revision 9999_from_the_future\)"):
        Store.open(store.project_dir)


def test_a_project_from_before_alembic_with_a_newer_schema_number_is_refused(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(update(schema.schema_version).values(version=schema_upgrade.LEGACY_VERSION + 1))
    store.close()
    with pytest.raises(StoreError, match="newer workbench"):
        Store.open(store.project_dir)


def test_a_new_project_is_at_the_newest_alembic_revision(store: Store) -> None:
    with store.reading() as conn:
        assert schema_upgrade.current(conn) == schema_upgrade.head()
        assert not schema_upgrade.pending(conn, "test")


def test_forward_migrations_run_in_order_up_to_the_target(store: Store) -> None:
    ran: list[int] = []

    def step(version: int):  # type: ignore[no-untyped-def]
        def upgrade(conn: Connection) -> None:
            ran.append(version)
            conn.execute(text(f"CREATE TABLE added_in_{version + 1} (id INTEGER PRIMARY KEY)"))

        return upgrade

    with store.engine.begin() as conn:
        conn.execute(update(schema.schema_version).values(version=1))
        assert migrate(conn, 1, target=3, migrations={1: step(1), 2: step(2)}) == 3
        assert conn.execute(schema.schema_version.select()).one().version == 3
        assert conn.execute(text("SELECT count(*) FROM added_in_3")).scalar() == 0
    assert ran == [1, 2]


def test_a_missing_migration_step_is_an_error_not_a_silent_skip(store: Store) -> None:
    with store.engine.begin() as conn, pytest.raises(StoreError, match="no migration from schema version 1"):
        migrate(conn, 1, target=2, migrations={})


def test_a_project_made_by_the_first_release_opens_upgraded_with_its_data_intact(tmp_path: Path) -> None:
    dump = (Path(__file__).parent.parent / "data" / "project_schema_v1.sql").read_text(encoding="utf-8")
    (tmp_path / "old").mkdir()
    with sqlite3.connect(tmp_path / "old" / "workbench.sqlite") as raw:
        raw.executescript(dump)
        assert raw.execute("SELECT version FROM schema_version").fetchone() == (1,)
    with Store.open(tmp_path / "old") as store:
        with store.reading() as conn:
            assert conn.execute(schema.schema_version.select()).one().version == schema.SCHEMA_VERSION
            assert schema_upgrade.current(conn) == schema_upgrade.head()
        (backup,) = list_backups(tmp_path / "old")  # taken before the upgrade touched anything
        with sqlite3.connect(backup.path) as raw:
            assert raw.execute("SELECT version FROM schema_version").fetchone() == (1,)
        book = codebook(store)
        assert book.get("succesfactoren-team") == Code(id="succesfactoren-team", name="M.b.t. team", parent_id="succesfactoren", position=0)
        (segment,) = coded_segments(store)
        assert segment.text == "Het team helpt echt.\n"  # the span the old release stored, newline included
        add_code(store, Code(id="nieuw", name="Nieuw", keywords=("team", "collega"), include="noemt het team"), "senior")
        assert codebook(store).get("nieuw").keywords == ("team", "collega")
        store.undo("senior")
        store.undo("onderzoeker1")  # history written by the old release still undoes
        assert coded_segments(store) == []


def test_an_old_project_gains_the_consensus_decisions_table_and_a_decision_undoes(tmp_path: Path) -> None:
    dump = (Path(__file__).parent.parent / "data" / "project_schema_v1.sql").read_text(encoding="utf-8")
    (tmp_path / "old").mkdir()
    with sqlite3.connect(tmp_path / "old" / "workbench.sqlite") as raw:
        raw.executescript(dump)
        assert "consensus_decisions" not in {name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    raw.close()
    with Store.open(tmp_path / "old") as store:
        with store.reading() as conn:
            assert conn.execute(schema.consensus_decisions.select()).all() == []
        (segment,) = coded_segments(store)
        coding = segment.coding
        given = {"onderzoeker1": frozenset({coding.code_id}), "onderzoeker2": frozenset[str]()}
        unit = ComparedUnit("v1doc", coding.start, coding.end, "v1doc", segment.text, given)
        settle(store, unit, Decision.NEITHER, actor="senior")
        assert progress(store, [unit]) == (1, 1)
        store.undo("senior")
        assert progress(store, [unit]) == (0, 1)
