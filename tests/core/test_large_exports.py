"""A researcher with a large project dumps its codings and exports its quotes without the computer running out of memory.

Both are streamed from the store into the file: the memory they need is a batch of rows, whatever the project's size.
Measured in a fresh interpreter (tracemalloc's peak while the command runs, after a warm-up run on one document has
loaded every module), against a bound well under what holding the whole export in memory takes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from bench.make_corpus import TINY, make_corpus
from workbench.core.codings import coded_segments, dump_codings
from workbench.core.quotes import quote_columns, quote_rows
from workbench.core.store import Store

ROOT = Path(__file__).resolve().parents[2]

_MEASURE = """
import json, sys, tracemalloc
from pathlib import Path
from workbench.cli import main

project, out, first = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
command = sys.argv[4:]
warm = out.with_name("warm" + out.suffix)
main([*command, project, *(["--document", first] if command == ["codings"] else []), "--out", str(warm)])
tracemalloc.start()
main([*command, project, "--format", out.suffix.lstrip("."), "--out", str(out)] if command == ["codings"]
     else [*command, project, "--out", str(out)])
print(json.dumps({"peak": tracemalloc.get_traced_memory()[1]}))
"""


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A generated project of 1,200 answers and 30 transcripts with about 28,000 codings by three coders."""
    size = replace(TINY, answers=1200, transcripts=30, transcript_words=3000, codings=30_000)
    return make_corpus(tmp_path_factory.mktemp("large") / "project", size, seed=11)


def _peak_bytes(store: Store, out: Path, *command: str) -> int:
    first = coded_segments(store)[0].document
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(store.project_dir), str(out), first, *command],
        capture_output=True, check=False, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(out.parent)},
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    return int(json.loads(result.stdout.decode().strip().splitlines()[-1])["peak"])


def test_the_codings_dump_of_a_large_project_is_written_with_bounded_memory(large: Store, tmp_path: Path) -> None:
    out = tmp_path / "codings.csv"
    peak = _peak_bytes(large, out, "codings")
    assert out.read_text(encoding="utf-8") == dump_codings(coded_segments(large), "csv")
    # Holding the dump took eight times its size (segments, rows and the text; 48 MB for this 6 MB dump before it was
    # streamed); streaming needs a batch of rows (2.4 MB).
    assert peak < out.stat().st_size / 2, f"peak {peak:,} bytes for a {out.stat().st_size:,}-byte dump"


def test_the_quotes_workbook_of_a_large_project_has_every_row_and_is_written_with_bounded_memory(
    large: Store, tmp_path: Path
) -> None:
    out = tmp_path / "quotes.xlsx"
    peak = _peak_bytes(large, out, "quotes")
    rows = quote_rows(large)
    columns = quote_columns(rows)
    sheet = load_workbook(out, read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == columns
    assert [{name: "" if value is None else str(value) for name, value in zip(columns, line, strict=True)} for line in values[1:]] == rows
    characters = sum(len(value) for row in rows for value in row.values())
    # Holding the rows alone took 40 MB before they were streamed (openpyxl's cells more); streaming, 5 MB.
    assert peak < characters, f"peak {peak:,} bytes for quotes of {characters:,} characters"
