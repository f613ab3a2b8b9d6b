"""Moving a project onto a team server and back: every row, the same keys, the same codings dump."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests import pg_cluster
from tests.conftest import table_rows
from workbench.core import schema
from workbench.core.codings import add_coding, coded_segments, dump_codings, remove_coding
from workbench.core.codings_file import import_codings
from workbench.core.project_copy import NOT_COPIED, copy_project
from workbench.core.store import Store
from workbench.errors import StoreError


def _rich(store: Store, tmp_path: Path) -> None:
    """Codings by two coders with a memo, a bulk import undone (keys given and taken back), a removed coding."""
    add_coding(store, document="interview_01", start=0, end=10, code_id="contact", coder="junior", memo="eerste indruk")
    add_coding(store, document="interview_01", start=12, end=30, code_id="contact", coder="senior")
    add_coding(store, document="interview_01", start=40, end=50, code_id="contact", coder="senior")
    remove_coding(store, document="interview_01", start=40, end=50, code_id="contact", coder="senior")
    dump = tmp_path / "bulk.jsonl"
    dump.write_text("".join(json.dumps({"document": "interview_01", "start": n, "end": n + 3, "code": "contact", "coder": "bulk"}) + "\n"
                            for n in range(20)), encoding="utf-8")
    import_codings(store, dump, "bulk")
    store.undo("bulk", coder="bulk")


def _work(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {name: rows for name, rows in table_rows(store).items() if name not in NOT_COPIED}


def test_sqlite_to_server_and_back_gives_the_same_project_row_for_row(
    store: Store, tmp_path: Path, pg_server: pg_cluster.Cluster,
) -> None:
    _rich(store, tmp_path)
    on_server = copy_project(store.project_dir, tmp_path / "team", pg_server.url(pg_server.new_database()))
    back = copy_project(tmp_path / "team", tmp_path / "back")
    assert on_server.codings == back.codings == 2
    assert on_server.rows == back.rows
    with Store.open(tmp_path / "team") as team, Store.open(tmp_path / "back") as local:
        assert team.on_server and not local.on_server
        assert _work(local) == _work(store)
        assert dump_codings(coded_segments(local), "jsonl") == dump_codings(coded_segments(store), "jsonl")
        # The action log came along: undo works in the copy, and keys once given are not given again.
        assert team.undo("senior", coder="senior").kind == "uncode"
        assert len(coded_segments(team)) == 3
        coding = add_coding(team, document="interview_01", start=60, end=70, code_id="contact", coder="junior")
        with store.reading() as conn:
            assert coding.id > max(int(k) for (k,) in conn.execute(select(schema.codings.c.id)))
        local_coding = add_coding(local, document="interview_01", start=60, end=70, code_id="contact", coder="junior")
        assert local_coding.id == coding.id


def test_a_copy_into_a_database_that_is_not_empty_is_refused_and_leaves_no_folder(
    store: Store, tmp_path: Path, pg_server: pg_cluster.Cluster,
) -> None:
    url = pg_server.url(pg_server.new_database())
    copy_project(store.project_dir, tmp_path / "first", url)
    with pytest.raises(StoreError, match="not empty") as refused:
        copy_project(store.project_dir, tmp_path / "second", url)
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "second").exists()


def test_a_copy_never_overwrites(store: Store, tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not an empty folder"):
        copy_project(store.project_dir, tmp_path / "busy")
    with pytest.raises(StoreError, match="already a workbench project"):
        copy_project(store.project_dir, store.project_dir)
    assert (tmp_path / "busy" / "notes.txt").read_text(encoding="utf-8") == "mine"
