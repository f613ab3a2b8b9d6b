"""If the terminal UI ever crashes, its report shows where, not the transcript text held in local variables."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from workbench.core.store import Store
from workbench.tui.app import WorkbenchApp

PRIVATE = "Ingrid Bakker uit Slochteren"


def _report(capsys: pytest.CaptureFixture[str]) -> str:
    """What the app printed when it exited: Textual writes its crash report to standard error."""
    captured = capsys.readouterr()
    return captured.err + captured.out


async def test_a_crash_report_leaves_out_local_variables(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    class Crashing(WorkbenchApp):
        def on_mount(self) -> None:
            transcript = PRIVATE
            raise RuntimeError(f"kapot na {len(transcript)} tekens")

    app = Crashing(store, coder="junior")
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(100, 30)):
            pass
    report = _report(capsys)
    assert "RuntimeError" in report and "kapot na 28 tekens" in report
    assert PRIVATE not in report


async def test_a_database_crash_report_is_one_line_without_sql_parameters(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    class Crashing(WorkbenchApp):
        def on_mount(self) -> None:
            import sqlite3

            driver_error = sqlite3.IntegrityError("UNIQUE constraint failed: cases.id")
            raise IntegrityError("INSERT INTO cases (id) VALUES (?)", (PRIVATE,), driver_error)

    app = Crashing(store, coder="junior")
    with pytest.raises(IntegrityError):
        async with app.run_test(size=(100, 30)):
            pass
    report = _report(capsys)
    assert report.startswith("workbench: database error (IntegrityError: UNIQUE constraint failed: cases.id)\n")
    assert PRIVATE not in report and "INSERT" not in report
