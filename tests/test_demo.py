"""The starter demo is built from real files through the normal importers and store, with every coding on its quote."""

from __future__ import annotations

import csv
from pathlib import Path

from workbench.core.codings import coded_segments
from workbench.core.corpus import cases, document_summaries, get_document
from workbench.core.store import Store
from workbench.demos.user_copy import ensure_user_demo
from workbench.locations import STARTER_NAME, shipped_demo_dir, user_demo_project_dir


def test_every_demo_document_is_imported_byte_for_byte(demo: Store) -> None:
    names = {s.name for s in document_summaries(demo)}
    files = sorted((shipped_demo_dir(STARTER_NAME) / "documents").glob("*.txt"))
    assert names == {f.stem for f in files}
    for f in files:
        assert get_document(demo, f.stem).text.encode("utf-8") == f.read_bytes()


def test_every_demo_coding_covers_exactly_its_quote(demo: Store) -> None:
    with (shipped_demo_dir(STARTER_NAME) / "codings.csv").open(encoding="utf-8", newline="") as handle:
        expected = sorted((r["document"], r["code"], r["coder"], r["quote"]) for r in csv.DictReader(handle))
    stored = sorted((s.document, s.coding.code_id, s.coding.coder, s.text) for s in coded_segments(demo))
    assert stored == expected


def test_demo_cases_carry_their_attributes(demo: Store) -> None:
    by_id = {c.id: c.attributes for c in cases(demo)}
    assert by_id["D01"].respondent_group == "deelnemers"
    assert by_id["M01"].wave == "T1" and by_id["M01"].function


def test_first_run_builds_a_private_copy_and_later_runs_reuse_it(tmp_path: Path) -> None:
    first = ensure_user_demo()
    assert first == user_demo_project_dir() and not str(first).startswith(str(shipped_demo_dir()))
    marker = first / "workbench.sqlite"
    stamp = marker.stat().st_mtime_ns
    assert ensure_user_demo() == first and marker.stat().st_mtime_ns == stamp
