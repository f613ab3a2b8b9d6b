"""Roles on a team server: the database, not the workbench, decides who may change what.

A project owner (a PostgreSQL role that may create roles, not a superuser: superusers pass every policy) makes the
project and adds members; each member then works through their own connection, in the workbench or in psql.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg
import pytest
from psycopg import errors as pg_errors

from tests import pg_cluster
from tests.conftest import INTERVIEW
from workbench.cli import main
from workbench.core.codebook import add_code
from workbench.core.codings import add_coding, coded_segments, remove_coding
from workbench.core.codings_file import import_codings
from workbench.core.corpus import add_document
from workbench.core.database import write_server_file
from workbench.core.members import add_member, members, remove_member
from workbench.core.model import Code, DocumentKind
from workbench.core.privacy import purge_history
from workbench.core.privileges import Role
from workbench.core.store import Store
from workbench.errors import MemberError, NotPermittedError, StoreError


@dataclass(frozen=True)
class Team:
    """A server project and the names of its owner, two coders and a reviewer (roles unique to the test)."""

    cluster: pg_cluster.Cluster
    database: str
    folder: Path
    owner: str
    alice: str
    bob: str
    rita: str

    def url(self, user: str) -> str:
        return self.cluster.url(self.database, user=user)

    def open_as(self, user: str, tmp_path: Path) -> Store:
        """The project as `user` sees it from their own folder (`workbench connect` writes the same file)."""
        folder = tmp_path / f"as_{user}"
        folder.mkdir(exist_ok=True)
        write_server_file(folder, self.url(user))
        return Store.open(folder)

    def psql(self, user: str) -> psycopg.Connection[tuple[object, ...]]:
        """A plain connection as `user`, as psql would make: no workbench in between."""
        return psycopg.connect(host=str(self.cluster.socket_dir), user=user, dbname=self.database, autocommit=True)


@pytest.fixture
def team(tmp_path: Path, pg_server: pg_cluster.Cluster) -> Iterator[Team]:
    tag = uuid.uuid4().hex[:8]
    owner, alice, bob, rita = (f"{name}_{tag}" for name in ("olga", "alice", "bob", "rita"))
    database = f"team_{tag}"
    with pg_server.admin() as admin:
        admin.execute(f'CREATE ROLE "{owner}" LOGIN CREATEROLE')
        admin.execute(f'CREATE DATABASE "{database}" OWNER "{owner}"')
    folder = tmp_path / "team"
    store = Store.create(folder, "Huis van Herstel", database=pg_server.url(database, user=owner), actor=owner)
    add_document(store, name="interview_01", text=INTERVIEW, kind=DocumentKind.TRANSCRIPT, actor=owner)
    add_code(store, Code(id="succesfactoren", name="Succesfactoren", dimension="succesfactoren"), owner)
    add_code(store, Code(id="contact", name="M.b.t. contact met personeel", parent_id="succesfactoren"), owner)
    add_member(store, alice, Role.CODER, owner)
    add_member(store, bob, Role.CODER, owner)
    add_member(store, rita, Role.REVIEWER, owner)
    store.close()
    yield Team(pg_server, database, folder, owner, alice, bob, rita)


def _bobs_codings(team: Team, tmp_path: Path, count: int, *, width: int) -> Path:
    """A codings file of `count` spans of `width` characters by bob, as `workbench codings --import` reads it."""
    dump = tmp_path / "bob.jsonl"
    lines = (
        f'{{"document": "interview_01", "start": {n}, "end": {n + width}, "code": "contact", "coder": "{team.bob}"}}\n'
        for n in range(count)
    )
    dump.write_text("".join(lines), encoding="utf-8")
    return dump


def test_a_coder_cannot_change_another_coders_coding_even_with_plain_sql(team: Team, tmp_path: Path) -> None:
    with team.open_as(team.alice, tmp_path) as alice, team.open_as(team.bob, tmp_path) as bob:
        add_coding(alice, document="interview_01", start=0, end=10, code_id="contact", coder=team.alice)
        add_coding(bob, document="interview_01", start=20, end=30, code_id="contact", coder=team.bob)
    with team.psql(team.alice) as sql:
        bob_id = sql.execute("SELECT id FROM coders WHERE name = %s", (team.bob,)).fetchone()
        alice_id = sql.execute("SELECT id FROM coders WHERE name = %s", (team.alice,)).fetchone()
        assert bob_id is not None and alice_id is not None
        # Row-level security hides bob's rows from alice's writes: nothing changes, whatever the WHERE says.
        assert sql.execute("UPDATE codings SET code_id = 'succesfactoren' WHERE coder_id = %s", bob_id).rowcount == 0
        assert sql.execute("UPDATE codings SET coder_id = %s WHERE coder_id = %s", (alice_id[0], bob_id[0])).rowcount == 0
        assert sql.execute("DELETE FROM codings WHERE coder_id = %s", bob_id).rowcount == 0
        with pytest.raises(pg_errors.InsufficientPrivilege):
            sql.execute("INSERT INTO codings (document_id, start_offset, end_offset, code_id, coder_id, memo, created) "
                        "SELECT id, 40, 50, 'contact', %s, '', 'now' FROM documents", bob_id)
        with pytest.raises(pg_errors.InsufficientPrivilege):
            sql.execute("UPDATE codings SET coder_id = %s WHERE coder_id = %s", (bob_id[0], alice_id[0]))
        # Her own work she may change, and the table she may not write at all says so.
        assert sql.execute("UPDATE codings SET memo = 'mine' WHERE coder_id = %s", alice_id).rowcount == 1
        with pytest.raises(pg_errors.InsufficientPrivilege):
            sql.execute("UPDATE codes SET name = 'hers' WHERE id = 'contact'")
        with pytest.raises(pg_errors.InsufficientPrivilege):
            sql.execute("DELETE FROM actions")
    with Store.open(team.folder) as owner:
        spans = {(s.coding.coder, s.coding.start, s.coding.code_id, s.coding.memo) for s in coded_segments(owner, "interview_01")}
    assert spans == {(team.alice, 0, "contact", "mine"), (team.bob, 20, "contact", "")}


def test_in_the_workbench_a_coder_is_refused_another_coders_work_in_one_line(team: Team, tmp_path: Path) -> None:
    with team.open_as(team.bob, tmp_path) as bob:
        add_coding(bob, document="interview_01", start=20, end=30, code_id="contact", coder=team.bob)
    with team.open_as(team.alice, tmp_path) as alice:
        refusals = []
        for attempt in (
            lambda: remove_coding(alice, document="interview_01", start=20, end=30, code_id="contact", coder=team.bob),
            lambda: add_coding(alice, document="interview_01", start=0, end=5, code_id="contact", coder=team.bob),
            lambda: alice.undo(team.alice),  # the latest action of anyone is bob's coding
            lambda: add_code(alice, Code(id="own", name="Her own code", parent_id="succesfactoren"), team.alice),
        ):
            with pytest.raises(StoreError) as refused:
                attempt()
            refusals.append(str(refused.value))
        assert all("your role in this project does not allow" in line and "\n" not in line for line in refusals), refusals
        assert alice.member_role() == "coder"
    with Store.open(team.folder) as owner:
        assert [(s.coding.coder, s.coding.start) for s in coded_segments(owner, "interview_01")] == [(team.bob, 20)]


def test_a_coder_undoes_their_own_coding_while_others_code(team: Team, tmp_path: Path) -> None:
    with team.open_as(team.alice, tmp_path) as alice, team.open_as(team.bob, tmp_path) as bob:
        add_coding(alice, document="interview_01", start=0, end=10, code_id="contact", coder=team.alice)
        add_coding(bob, document="interview_01", start=20, end=30, code_id="contact", coder=team.bob)
        alice.undo(team.alice, coder=team.alice)
        assert [s.coding.coder for s in coded_segments(bob, "interview_01")] == [team.bob]
        alice.redo(team.alice, coder=team.alice)
        assert sorted(s.coding.coder for s in coded_segments(bob, "interview_01")) == sorted([team.alice, team.bob])


def test_a_reviewer_writes_the_consensus_coding_and_a_coder_may_not(team: Team, tmp_path: Path) -> None:
    with team.open_as(team.rita, tmp_path) as rita:
        add_coding(rita, document="interview_01", start=0, end=10, code_id="contact", coder="consensus")
    with team.open_as(team.alice, tmp_path) as alice, pytest.raises(StoreError, match="your role in this project does not allow"):
        add_coding(alice, document="interview_01", start=20, end=30, code_id="contact", coder="consensus")
    with team.psql(team.alice) as sql, pytest.raises(pg_errors.InsufficientPrivilege):
        sql.execute("DELETE FROM consensus_decisions")


def test_the_owner_manages_members_and_a_removed_member_cannot_open_the_project(team: Team, tmp_path: Path) -> None:
    with Store.open(team.folder) as owner:
        assert [(m.name, m.role) for m in members(owner)] == [
            (team.owner, Role.OWNER), (team.rita, Role.REVIEWER), *sorted([(team.alice, Role.CODER), (team.bob, Role.CODER)]),
        ]
        remove_member(owner, team.bob, team.owner)
        with pytest.raises(MemberError, match="only owner"):
            remove_member(owner, team.owner, team.owner)
    with pytest.raises(StoreError) as refused:
        team.open_as(team.bob, tmp_path)
    assert f"{team.bob} is not a member of this project" in str(refused.value)
    assert "workbench members" in str(refused.value)
    with team.open_as(team.alice, tmp_path) as alice, pytest.raises(NotPermittedError, match="does not allow"):
        # Managing members is the owner's: the database refuses her.
        add_member(alice, team.bob, Role.CODER, team.alice)


def test_members_command_adds_lists_and_removes(team: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    newcomer = f"nina_{uuid.uuid4().hex[:8]}"
    assert main(["members", str(team.folder), "add", newcomer, "--role", "reviewer", "--as", team.owner]) == 0
    assert f"{newcomer} is a member as reviewer" in capsys.readouterr().out
    assert main(["members", str(team.folder)]) == 0
    listing = capsys.readouterr().out
    assert f"{newcomer}" in listing and "reviewer" in listing and team.alice in listing
    assert main(["status", str(f"{tmp_path}/as_x")]) == 1  # no such project folder: one line, exit 1
    capsys.readouterr()
    with team.open_as(newcomer, tmp_path):
        pass
    assert main(["status", str(tmp_path / f"as_{newcomer}")]) == 0
    assert f"you are {newcomer} (reviewer)" in capsys.readouterr().out
    assert main(["members", str(team.folder), "remove", newcomer, "--as", team.owner]) == 0


def test_a_sqlite_project_is_single_user_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "local"
    Store.create(folder, "Local").close()
    assert main(["members", str(folder), "add", "alice", "--role", "coder"]) == 1
    error = capsys.readouterr().err
    assert "single-user" in error and "--database" in error and len(error.strip().splitlines()) == 1
    assert main(["status", str(folder)]) == 0
    assert "single-user" in capsys.readouterr().out


def test_a_coder_cannot_undo_another_coders_bulk_import(team: Team, tmp_path: Path) -> None:
    with team.open_as(team.bob, tmp_path) as bob:
        import_codings(bob, _bobs_codings(team, tmp_path, 40, width=2), team.bob)
    with team.open_as(team.alice, tmp_path) as alice, pytest.raises(NotPermittedError, match="does not allow"):
        alice.undo(team.alice)
    with team.open_as(team.bob, tmp_path) as bob:
        assert len(coded_segments(bob, "interview_01")) == 40
        bob.undo(team.bob, coder=team.bob)
        assert coded_segments(bob, "interview_01") == []


def test_a_coder_undoes_and_redoes_their_own_bulk_import_though_they_may_only_add_to_the_log(team: Team, tmp_path: Path) -> None:
    with team.open_as(team.bob, tmp_path) as bob:
        import_codings(bob, _bobs_codings(team, tmp_path, 30, width=3), team.bob)
        imported = coded_segments(bob, "interview_01")
        bob.undo(team.bob, coder=team.bob)  # the undo keeps the rows it took back in its own, new log entry
        assert coded_segments(bob, "interview_01") == []
        bob.redo(team.bob, coder=team.bob)
        assert coded_segments(bob, "interview_01") == imported
        bob.undo(team.bob, coder=team.bob)
        bob.redo(team.bob, coder=team.bob)
        assert coded_segments(bob, "interview_01") == imported


@pytest.mark.parametrize("form", ["whole rows", "by reference"])
def test_a_coders_crafted_log_entry_cannot_make_the_owners_undo_delete_another_coders_work(team: Team, tmp_path: Path, form: str) -> None:
    with team.open_as(team.alice, tmp_path) as alice:
        add_coding(alice, document="interview_01", start=0, end=10, code_id="contact", coder=team.alice)
    with team.psql(team.bob) as sql:
        row = sql.execute(
            "SELECT c.id, c.document_id, c.start_offset, c.end_offset, c.code_id, c.coder_id, c.memo, c.created "
            "FROM codings c JOIN coders k ON k.id = c.coder_id WHERE k.name = %s", (team.alice,)
        ).fetchone()
        assert row is not None
        columns = ["id", "document_id", "start_offset", "end_offset", "code_id", "coder_id", "memo", "created"]
        if form == "whole rows":  # undone, an insert of alice's row deletes it
            item: dict[str, object] = {"op": "insert", "table": "codings", "row": dict(zip(columns, row, strict=True))}
        else:
            line = json.dumps(list(row), ensure_ascii=False, separators=(",", ":"))
            item = {"op": "insert", "table": "codings", "columns": columns, "keys": [[row[0], row[0]]], "count": 1,
                    "sha256": hashlib.sha256(f"{line}\n".encode()).hexdigest()}
        # Bob may add to the log, but only in his own name: the server fills in and checks the author.
        with pytest.raises(pg_errors.InsufficientPrivilege):
            sql.execute("INSERT INTO actions (at, actor, kind, summary, changes, author) VALUES ('now', %s, 'code', 'x', '[]', %s)",
                        (team.alice, team.alice))
        sql.execute("INSERT INTO actions (at, actor, kind, summary, changes) VALUES ('2026-12-04T08:00:00Z', %s, 'code', %s, %s)",
                    (team.bob, "coded contact", json.dumps([item])))
    with Store.open(team.folder) as owner, pytest.raises(NotPermittedError) as refused:
        owner.undo(team.owner)  # anyone's latest: bob's crafted entry
    line = str(refused.value)
    assert "\n" not in line and "coded contact" in line and "another coder's work" in line and team.bob in line
    with Store.open(team.folder) as owner:
        assert [(s.coding.coder, s.coding.start) for s in coded_segments(owner, "interview_01")] == [(team.alice, 0)]


def test_a_second_owner_purges_the_log_though_only_the_first_owns_its_tables(team: Team, tmp_path: Path) -> None:
    carl = team.owner.replace("olga", "carl")
    with Store.open(team.folder) as owner:
        add_member(owner, carl, Role.OWNER, team.owner)
    with team.open_as(carl, tmp_path) as second:
        assert second.member_role() == "owner"
        purged = purge_history(second, date(2100, 1, 1), carl)
        assert purged.dropped > 0
        assert [a.kind for a in second.actions()] == ["purge-history"]
    with team.psql(team.alice) as sql, pytest.raises(pg_errors.InsufficientPrivilege):
        sql.execute("DELETE FROM actions")


def test_the_owner_undoes_and_redoes_a_coders_import_which_stays_within_that_coders_rights(team: Team, tmp_path: Path) -> None:
    with team.open_as(team.bob, tmp_path) as bob:
        import_codings(bob, _bobs_codings(team, tmp_path, 25, width=4), team.bob)
        imported = coded_segments(bob, "interview_01")
    with Store.open(team.folder) as owner:
        owner.undo(team.owner)  # anyone's latest: bob's import, checked against bob's rights and allowed
        assert coded_segments(owner, "interview_01") == []
        owner.redo(team.owner)  # the rows the undo kept are bob's too
        assert coded_segments(owner, "interview_01") == imported


def test_a_coders_hand_made_undo_entry_does_not_take_another_coders_coding_off_her_undo_stack(team: Team, tmp_path: Path) -> None:
    with team.open_as(team.alice, tmp_path) as alice:
        add_coding(alice, document="interview_01", start=0, end=10, code_id="contact", coder=team.alice)
        latest = alice.stacks(team.alice).done[-1]
    with team.psql(team.bob) as sql:  # "undone", says bob, though alice's coding is still there
        sql.execute("INSERT INTO actions (at, actor, kind, summary, target_id) VALUES ('2026-12-04T08:00:00Z', %s, 'undo', %s, %s)",
                    (team.alice, f"undo #{latest}", latest))
    with team.open_as(team.alice, tmp_path) as alice:
        assert alice.stacks(team.alice).done[-1] == latest
        assert alice.stacks(team.alice).undone == ()
        alice.undo(team.alice, coder=team.alice)
        assert coded_segments(alice, "interview_01") == []
        alice.redo(team.alice, coder=team.alice)
        assert [s.coding.start for s in coded_segments(alice, "interview_01")] == [0]
