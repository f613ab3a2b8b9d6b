"""A project on a team server, beyond the store's own tests: backups and forgetting a case, as a researcher meets them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import pg_cluster
from tests.conftest import Backend
from workbench.core.backups import take_backup
from workbench.core.corpus import add_document
from workbench.core.model import DocumentKind
from workbench.core.privacy import forget_case
from workbench.core.store import Store
from workbench.errors import StoreError

CASE_TEXT = "Mevrouw Jansen van de Dorpsstraat vertelde over haar zoon"


def _data_files(cluster: pg_cluster.Cluster, database: str) -> bytes:
    """The bytes of every table file of `database` in the cluster's data folder, after a checkpoint writes them out."""
    with cluster.admin(database) as admin:
        admin.execute("CHECKPOINT")
        row = admin.execute("SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()
        assert row is not None
    folder = cluster.folder / "data" / "base" / str(row[0])
    return b"".join(path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file())


def test_after_forget_the_case_text_is_not_in_the_servers_table_files(tmp_path: Path, pg_server: pg_cluster.Cluster) -> None:
    database = pg_server.new_database()
    with Store.create(tmp_path / "team", "Team", database=pg_server.url(database)) as store:
        add_document(store, name="interview_07", text=f"R: {CASE_TEXT}.\n", kind=DocumentKind.TRANSCRIPT, actor="owner", case_id="D07")
        add_document(store, name="interview_08", text="R: Over het weer.\n", kind=DocumentKind.TRANSCRIPT, actor="owner", case_id="D08")
        assert CASE_TEXT.encode() in _data_files(pg_server, database)
        result = forget_case(store, "D07", "owner")
    assert result.scrubbed and result.documents == 1
    files = _data_files(pg_server, database)
    assert CASE_TEXT.encode() not in files
    assert b"Over het weer" in files  # the scan does see the project's text


@pytest.mark.parametrize("what", ["backup", "restore"])
def test_backup_and_restore_of_a_server_project_are_refused_in_one_line(tmp_path: Path, pg_server: pg_cluster.Cluster, what: str) -> None:
    from workbench.core.backups import restore

    folder = tmp_path / "team"
    Backend("postgresql", pg_server).create(folder).close()
    with pytest.raises(StoreError) as refused:
        if what == "backup":
            with Store.open(folder) as store:
                take_backup(store)
        else:
            local = tmp_path / "local"
            with Store.create(local, "Local") as store:
                backup = take_backup(store)
            restore(folder, backup, "owner")
    message = str(refused.value)
    assert "team-server project" in message and "workbench copy" in message and "\n" not in message


def test_upgrading_a_server_project_leaves_earlier_log_entries_without_an_author(tmp_path: Path, pg_server: pg_cluster.Cluster) -> None:
    from alembic import command
    from sqlalchemy import create_engine, select

    from workbench.core import schema, schema_upgrade
    from workbench.core.database import write_server_file

    url = pg_server.url(pg_server.new_database())
    engine = create_engine(url)
    with engine.begin() as conn:  # a project as the workbench before revision 0004 left it
        config = schema_upgrade._config(conn)
        command.upgrade(config, "0003_log_references")
        conn.exec_driver_sql(
            "INSERT INTO actions (at, actor, kind, summary) VALUES ('2026-11-01T10:00:00Z', 'olga', 'new', 'created project')"
        )
        conn.exec_driver_sql("INSERT INTO project (name, description, created) VALUES ('Oud', '', '2026-11-01T10:00:00Z')")
    engine.dispose()
    (tmp_path / "team").mkdir()
    write_server_file(tmp_path / "team", url)
    with Store.open(tmp_path / "team") as store:
        add_document(store, name="interview_09", text="R: Nieuw.\n", kind=DocumentKind.TRANSCRIPT, actor="olga")
        with store.reading() as conn:
            authors = [author for (author,) in conn.execute(select(schema.actions.c.author).order_by(schema.actions.c.id))]
        user = store.user
    assert authors == [None, user]  # the old entry names nobody; the new one its writer, as the server says
