"""Projects made before suggestions existed open with the new tables, and a rejection in them undoes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workbench.core import schema
from workbench.core.codings import coded_segments
from workbench.core.store import Store
from workbench.suggest import reject, rejected_codes

NEW_TABLES = {"suggestion_rejections", "suggestion_acceptances", "lemma_cache", "suggestion_models"}


def test_an_old_project_gains_the_suggestion_tables_and_a_rejection_undoes(tmp_path: Path) -> None:
    dump = (Path(__file__).parent.parent / "data" / "project_schema_v1.sql").read_text(encoding="utf-8")
    (tmp_path / "old").mkdir()
    with sqlite3.connect(tmp_path / "old" / "workbench.sqlite") as raw:
        raw.executescript(dump)
        assert not NEW_TABLES & {name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    raw.close()
    with Store.open(tmp_path / "old") as store:
        with store.reading() as conn:
            assert conn.execute(schema.schema_version.select()).one().version == schema.SCHEMA_VERSION
            for name in NEW_TABLES:
                assert conn.execute(schema.metadata.tables[name].select()).all() == []
        (segment,) = coded_segments(store)
        unit = {"document": segment.document, "start": segment.coding.start, "end": segment.coding.end}
        assert reject(store, segment.coding.code_id, coder="junior", **unit)
        assert rejected_codes(store, **unit) == {segment.coding.code_id}
        store.undo("junior")
        assert rejected_codes(store, **unit) == set()
