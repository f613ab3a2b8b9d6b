"""Error lines never carry SQL parameters or transcript text: respondent ids stay out of terminals and logs."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from tests.conftest import run_cli
from workbench.core import schema
from workbench.core.store import Store
from workbench.errors import database_reason

RESPONDENT = "R-0042-Bakker"
TEXT = "I: Hoe is het?\nR: Mijn naam is Ingrid Bakker en ik zit hier sinds maart.\n"


def test_a_refused_import_names_the_constraint_but_not_the_respondent_or_the_text(tmp_path: Path) -> None:
    project = tmp_path / "project"
    Store.create(project, "p").close()
    with closing(sqlite3.connect(project / "workbench.sqlite")) as raw:
        # Any failing constraint will do; this one makes every new case fail, as a damaged or foreign file might.
        raw.execute("CREATE TRIGGER refuse BEFORE INSERT ON cases BEGIN SELECT RAISE(ABORT, 'cases are closed'); END")
        raw.commit()
    source = tmp_path / "interview.txt"
    source.write_text(TEXT, encoding="utf-8")

    result = run_cli("import", project, source, "--case", RESPONDENT, check=False)

    err = result.stderr.decode()
    assert result.returncode == 1 and "cases are closed" in err
    assert len(err.strip().splitlines()) == 1
    for private in (RESPONDENT, "Ingrid", "INSERT", "parameters"):
        assert private not in err


def test_an_unexpected_database_error_is_one_line_without_its_statement_or_parameters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    Store.create(project, "p").close()

    def clash(store: Store) -> None:
        with store.engine.begin() as conn:
            conn.execute(insert(schema.cases).values(id=RESPONDENT))
            conn.execute(insert(schema.cases).values(id=RESPONDENT))  # the same respondent twice: UNIQUE fails

    monkeypatch.setattr("workbench.core.status.project_status", clash)
    result = run_cli("status", project, check=False)

    err = result.stderr.decode()
    assert result.returncode == 1
    assert err.strip() == f"workbench: {project}: database error (IntegrityError: UNIQUE constraint failed: cases.id)"


def test_database_reason_keeps_the_drivers_message_only() -> None:
    error = IntegrityError("INSERT INTO cases (id) VALUES (?)", (RESPONDENT,), sqlite3.IntegrityError("UNIQUE constraint failed: cases.id"))
    assert RESPONDENT in str(error)  # what SQLAlchemy itself would print
    assert database_reason(error) == "IntegrityError: UNIQUE constraint failed: cases.id"
