"""`workbench check` finds damage; backups are taken on open, rotate, and restore after a check."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from tests.conftest import run_cli
from workbench.core.backups import KEEP, backup_on_open, backup_problem, list_backups
from workbench.core.check import check_project
from workbench.core.codings import add_coding
from workbench.core.store import Store


def _raw(store: Store) -> sqlite3.Connection:
    """The project file as another program would see it, foreign keys off: how damage gets in."""
    return sqlite3.connect(store.db_path, isolation_level=None)


def test_a_sound_project_passes_check_with_a_summary_line(demo: Store) -> None:
    result = run_cli("check", demo.project_dir)
    assert result.stdout.decode().strip().endswith("log entries checked)")
    assert "no problems" in result.stdout.decode()


def test_the_huis_van_herstel_demo_with_questionnaires_and_turns_passes_check(hvh: Store) -> None:
    report = check_project(hvh)
    assert report.findings == ()
    assert report.documents > 100 and report.codings > 300


def test_check_reports_codings_outside_their_text_orphans_and_a_broken_log_one_line_each(store: Store) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    with closing(_raw(store)) as raw:
        raw.execute("UPDATE codings SET end_offset = 5000")
        raw.execute("UPDATE turns SET end_offset = 9000") if raw.execute("SELECT count(*) FROM turns").fetchone()[0] else None
        raw.execute("INSERT INTO codings (document_id, start_offset, end_offset, code_id, coder_id, memo, created) "
                    "VALUES (1, 0, 3, 'verdwenen', 1, '', 'x')")
        raw.execute("INSERT INTO actions (at, actor, kind, summary, changes, target_id) VALUES ('x', 'y', 'undo', 's', NULL, 999)")
        raw.execute("INSERT INTO actions (at, actor, kind, summary, changes) VALUES ('x', 'y', 'code', 's', '{not json')")
    store.close()
    result = run_cli("check", store.project_dir, check=False)
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 1
    assert any("offsets: coding #1 of document #1 spans 0-5000, outside its text of" in line for line in lines)
    assert any("orphans: codings row 2 refers to code 'verdwenen', which does not exist" in line for line in lines)
    assert any("foreign keys: codings row 2 refers to a missing row of codes" in line for line in lines)
    assert any("history: action #" in line and "is an undo of #999" in line for line in lines)
    assert any("change set is not readable JSON" in line for line in lines)
    assert lines[-1].endswith("problems found")


def test_check_passes_after_undo_and_redo(store: Store) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    store.undo("junior")
    store.redo("junior")
    store.undo("junior")
    assert check_project(store).ok


def test_opening_a_changed_project_backs_it_up_and_keeps_the_newest_five(store: Store) -> None:
    first = backup_on_open(store, min_interval=timedelta(0))
    assert first is not None and first.parent.name == "backups"
    assert backup_on_open(store, min_interval=timedelta(0)) is None  # nothing changed since: no second copy
    add_coding(store, document="interview_01", start=0, end=3, code_id="contact", coder="junior")
    assert backup_on_open(store) is None  # changed, but the last backup is only seconds old
    for start in range(1, KEEP + 3):
        add_coding(store, document="interview_01", start=start, end=start + 3, code_id="contact", coder="junior")
        backup_on_open(store, min_interval=timedelta(0))
    backups = list_backups(store.project_dir)
    assert len(backups) == KEEP
    assert backups[-1].last_action == store.actions()[-1].id
    assert not list(backups[-1].path.parent.glob("*-wal"))  # a backup is one file
    assert backup_problem(backups[-1].path) is None


def test_every_command_that_opens_a_project_backs_it_up_first(store: Store) -> None:
    store.close()
    run_cli("status", store.project_dir)
    run_cli("status", store.project_dir)
    assert len(list_backups(store.project_dir)) == 1


def test_researcher_backs_up_to_a_file_and_restores_it(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "voor-de-vakantie.sqlite"
    store.close()
    assert run_cli("backup", store.project_dir, target).stdout.decode().strip() == f"backed up {store.project_dir} to {target}"
    run_cli("code", store.project_dir, "--document", "interview_01", "--start", "0", "--end", "5", "--code", "contact", "--coder", "junior")
    refused = run_cli("backup", store.project_dir, target, check=False)
    assert refused.returncode == 1 and "already exists" in refused.stderr.decode()

    result = run_cli("restore", store.project_dir, target)

    assert result.stdout.decode().startswith(f"restored {store.project_dir} from {target}; the project as it was is kept in ")
    with Store.open(store.project_dir) as restored:
        assert len(run_cli("codings", store.project_dir).stdout.decode().splitlines()) == 1  # the header, no coding
        assert restored.actions()[-1].kind == "restore"
        previous = Path(result.stdout.decode().strip().rsplit(" ", 1)[1])
        with closing(sqlite3.connect(previous)) as before:
            assert before.execute("SELECT count(*) FROM codings").fetchone() == (1,)
        assert check_project(restored).ok


def test_a_damaged_backup_is_refused_and_the_project_stays_as_it_was(store: Store, tmp_path: Path) -> None:
    damaged = tmp_path / "kapot.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    store.close()
    result = run_cli("restore", store.project_dir, damaged, check=False)
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (
        f"workbench: {damaged}: cannot restore from it: not a readable SQLite file (DatabaseError); the project is unchanged"
    )
    with Store.open(store.project_dir) as same:
        assert [d.kind for d in same.actions()][-1] != "restore"


def test_a_damaged_file_is_reported_line_by_line_not_with_a_traceback(demo: Store) -> None:
    demo.close()
    with closing(sqlite3.connect(demo.db_path)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
    data = bytearray(demo.db_path.read_bytes())
    page = 4096 * (pages // 2)
    data[page:page + 3000:7] = b"\x5a" * len(range(page, page + 3000, 7))
    demo.db_path.write_bytes(bytes(data))

    result = run_cli("check", demo.project_dir, check=False)

    lines = result.stdout.decode().splitlines()
    assert result.returncode == 1 and result.stderr == b""
    assert any(line.startswith(f"{demo.project_dir}: integrity: ") for line in lines)
    assert lines[-1].endswith("found") and all(line.startswith(str(demo.project_dir)) for line in lines)


def test_check_reports_an_undo_whose_rows_kept_for_the_redo_were_damaged(store: Store) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    store.undo("junior")  # the coding's row is kept in the undo's log entry, for the redo
    assert check_project(store).ok
    with closing(_raw(store)) as raw:
        raw.execute("UPDATE actions SET changes = substr(changes, 1, 40) WHERE kind = 'undo'")
    report = check_project(store)
    assert any(f.check == "history" and "the rows it kept for the redo are not readable" in f.message for f in report.findings)
