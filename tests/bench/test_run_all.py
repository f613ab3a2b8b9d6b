"""bench/run_all.py runs every operation of issue 17 against its baseline and writes the report."""

from __future__ import annotations

from pathlib import Path

from bench.run_all import FLOOR_HEADING, OPERATIONS, main


def test_run_all_completes_at_a_tiny_size_and_reports_every_operation(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    main(["--tiny", "--out", str(out), "--work", str(tmp_path / "work")])
    report = out.read_text(encoding="utf-8")
    assert "## tiny of the full size" in report
    operations, floors = report.split(FLOOR_HEADING)
    rows = [line for line in operations.splitlines() if line.startswith("| ") and not line.startswith("| operation")]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == [operation.name for operation in OPERATIONS]
    for row in rows:
        cells = row.strip("| ").split(" | ")
        assert cells[-1].endswith("×") and float(cells[-1].rstrip("×").replace(",", "")) > 0
        assert float(cells[2].replace(",", "")) > 10  # a peak resident set in MB: at least the interpreter
    floor_rows = [line for line in floors.splitlines() if line.startswith("| ") and not line.startswith("| import | storage floor")]
    assert [row.split(" | ")[0].removeprefix("| ") for row in floor_rows] == [
        operation.name for operation in OPERATIONS if operation.floor is not None
    ] == ["import .txt transcripts", "import answers (.csv, 3 waves)"]
    for row in floor_rows:
        assert all(cell.endswith("×") and float(cell.rstrip("×")) > 0 for cell in row.strip("| ").split(" | ")[2:])
