"""The golden test: the Huis van Herstel demo, built from scratch, reproduces every coding table of the report.

The demo is built from its source files through the importers and the store; every table of its
tables.yaml is exported as JSON and compared with the transcription of the report's tables in
tests/data/seed_tables.json: same captions, theme order, item texts and counts, all 12 tables.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_TABLES
from workbench.core.codings import coded_segments, remove_coding
from workbench.core.crosstabs import build_any
from workbench.core.store import Store
from workbench.core.tables import TableDefinition
from workbench.core.tables_file import read_tables
from workbench.exporters import write_tables

#: The report's tables come out the same from a SQLite project and from one on a PostgreSQL server.
pytestmark = pytest.mark.backends


def _expected() -> list[dict[str, Any]]:
    tables = json.loads(SEED_TABLES.read_text(encoding="utf-8"))["coding_tables"]
    return [
        {
            "id": t["id"],
            "caption": t["caption"],
            "n": t["n"],
            "themes": [
                {"theme": th["theme"], "items": [{"text": i["text"], "count": i["count"]} for i in th["items"]]} for th in t["themes"]
            ],
        }
        for t in tables
    ]


def _exported(store: Store, out: Path) -> list[dict[str, Any]]:
    coding_tables = [d for d in read_tables(store.project_dir / "tables.yaml") if isinstance(d, TableDefinition)]
    (path,) = write_tables(build_any(store, coding_tables), out, "json")
    exported = json.loads(path.read_text(encoding="utf-8"))
    return exported if isinstance(exported, list) else [exported]


def test_every_coding_table_of_the_report_is_rebuilt_exactly_from_the_coded_demo(report_demo: Store, tmp_path: Path) -> None:
    exported = {t["id"]: t for t in _exported(report_demo, tmp_path / "tables.json")}
    expected = _expected()
    assert list(exported) == [t["id"] for t in expected]
    for table in expected:
        assert exported[table["id"]] == table, f"Tabel {table['id']} differs"


def test_changing_one_coding_changes_exactly_that_count(report_demo: Store, tmp_path: Path) -> None:
    before = {t["id"]: t for t in _exported(report_demo, tmp_path / "before.json")}
    item = before["6.6"]["themes"][1]["items"][0]  # "Het feit dat je al met één been …", printed count 5
    segment = next(
        s for s in coded_segments(report_demo)
        if s.code_name == item["text"] and s.document.startswith("questionnaire_T1/") and s.document.endswith("/q16")
    )
    coding = segment.coding
    remove_coding(report_demo, document=segment.document, start=coding.start, end=coding.end, code_id=coding.code_id, coder=coding.coder)
    try:
        after = {t["id"]: t for t in _exported(report_demo, tmp_path / "after.json")}
    finally:
        report_demo.undo(coding.coder)  # leave the module's demo as built
    changed = json.loads(json.dumps(before))
    changed["6.6"]["themes"][1]["items"][0]["count"] = item["count"] - 1
    assert after == changed
