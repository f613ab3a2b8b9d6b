"""A team on one PostgreSQL server: many coders write at once, nobody's work is lost, conflicting edits are refused.

These run against a real server (the throwaway cluster of tests/pg_cluster.py): SQLite serialises every writer, so
the races they probe only exist on a server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from tests import pg_cluster
from tests.conftest import INTERVIEW, Backend
from workbench.core import schema
from workbench.core.codebook import add_code, codebook
from workbench.core.codebook.edit import delete_code, rename_code
from workbench.core.codings import add_coding, coded_segments
from workbench.core.corpus import add_document
from workbench.core.model import Code, DocumentKind
from workbench.core.store import Store
from workbench.errors import StoreError

WRITERS = 8
CODINGS_EACH = 500
UNDONE_EACH = 50
#: One coder's workbench in its own process: code CODINGS_EACH passages, undo the last UNDONE_EACH and redo them, while
#: the other seven do the same; every failure is printed, as a user would see it.
CODER = """
import sys
from pathlib import Path
from workbench.core.codings import add_coding
from workbench.core.store import Store
from workbench.errors import WorkbenchError

folder, coder, count, undone, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
store = Store.open(folder)
store.stacks()
print("ready", flush=True)
while not go.exists():
    pass
try:
    for n in range(count):
        add_coding(store, document="long", start=n, end=n + 1, code_id="contact", coder=coder)
    for _ in range(undone):
        store.undo(coder, coder=coder)
    for _ in range(undone):
        store.redo(coder, coder=coder)
except WorkbenchError as exc:
    print(f"error: {exc}", flush=True)
    sys.exit(1)
store.close()
"""


@pytest.fixture
def server(tmp_path: Path, pg_server: pg_cluster.Cluster) -> Iterator[Store]:
    """A server project with the test interview, a long document to code, and the two-level codebook."""
    store = Backend("postgresql", pg_server).create(tmp_path / "team")
    add_document(store, name="interview_01", text=INTERVIEW, kind=DocumentKind.TRANSCRIPT, actor="owner")
    add_document(store, name="long", text="x" * (CODINGS_EACH + 10), kind=DocumentKind.TRANSCRIPT, actor="owner")
    add_code(store, Code(id="succesfactoren", name="Succesfactoren", dimension="succesfactoren"), "owner")
    add_code(store, Code(id="contact", name="M.b.t. contact met personeel", parent_id="succesfactoren"), "owner")
    yield store
    store.close()


def test_eight_coders_write_at_once_and_all_four_thousand_codings_are_there(server: Store, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])}
    go = tmp_path / "go"
    coders = [
        subprocess.Popen(
            [sys.executable, "-c", CODER, str(server.project_dir), f"coder{n}", str(CODINGS_EACH), str(UNDONE_EACH), str(go)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        for n in range(WRITERS)
    ]
    for process in coders:
        assert process.stdout is not None
        assert process.stdout.readline() == b"ready\n"
    go.touch()
    outcomes = [process.communicate(timeout=600) for process in coders]
    for process, (out, err) in zip(coders, outcomes, strict=True):
        assert (process.returncode, out, err) == (0, b"", b""), err.decode()[-2000:]

    segments = coded_segments(server, "long")
    assert len(segments) == WRITERS * CODINGS_EACH
    by_coder = {f"coder{n}": sorted(s.coding.start for s in segments if s.coding.coder == f"coder{n}") for n in range(WRITERS)}
    assert all(starts == list(range(CODINGS_EACH)) for starts in by_coder.values())
    # Every coder's undo and redo touched only their own actions, whatever the others wrote in between.
    log = server.actions()
    for n in range(WRITERS):
        mine = [a for a in log if a.actor == f"coder{n}"]
        assert [a.kind for a in mine].count("code") == CODINGS_EACH
        assert [a.kind for a in mine].count("undo") == [a.kind for a in mine].count("redo") == UNDONE_EACH
        targets = {a.target_id for a in mine if a.kind == "undo"}
        assert targets <= {a.id for a in mine if a.kind == "code"}


def _holding_commit(store: Store, edit: Callable[[], object], inside: threading.Event, release: threading.Event) -> Callable[[], None]:
    """`edit` on a thread of its own that, once its change is made, waits for `release` before committing."""

    def hold(_conn: Connection, _tables: frozenset[str]) -> None:
        inside.set()
        release.wait(10)

    def run() -> None:
        with store.checking_commits(hold):
            edit()

    return run


def _race(first: Store, first_edit: Callable[[], object], second_edit: Callable[[], object]) -> BaseException | None:
    """Run `second_edit` while `first_edit` holds its uncommitted change; return what the second raised, if anything."""
    inside, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_holding_commit(first, first_edit, inside, release))
    holder.start()
    assert inside.wait(10)
    raised: list[BaseException] = []

    def second() -> None:
        try:
            second_edit()
        except BaseException as exc:  # noqa: BLE001 - handed to the test to assert on
            raised.append(exc)

    contender = threading.Thread(target=second)
    contender.start()
    contender.join(0.5)  # it has read the old name and now waits for the first one's row lock
    assert contender.is_alive()
    release.set()
    holder.join(10)
    contender.join(10)
    return raised[0] if raised else None


def test_the_same_code_renamed_twice_at_once_keeps_the_first_and_refuses_the_second(server: Store) -> None:
    other = Store.open(server.project_dir)
    try:
        refused = _race(
            server, lambda: rename_code(server, "contact", "Contact met het team", "jan"),
            lambda: rename_code(other, "contact", "Contact met personeel", "marieke"),
        )
    finally:
        other.close()
    assert isinstance(refused, StoreError)
    assert "changed by someone else meanwhile" in str(refused)
    assert "\n" not in str(refused)
    assert codebook(server).get("contact").name == "Contact met het team"
    assert [a.actor for a in server.actions() if a.kind == "rename code"] == ["jan"]


def test_a_code_deleted_while_someone_codes_with_it_refuses_one_of_them_cleanly(server: Store) -> None:
    other = Store.open(server.project_dir)
    try:
        refused = _race(
            server, lambda: delete_code(server, "contact", "owner"),
            lambda: add_coding(other, document="interview_01", start=0, end=5, code_id="contact", coder="marieke"),
        )
    finally:
        other.close()
    assert isinstance(refused, StoreError)
    assert "\n" not in str(refused)
    assert "contact" not in {c.id for c in codebook(server).codes}
    with server.reading() as conn:
        assert conn.execute(select(func.count()).select_from(schema.codings)).scalar_one() == 0
