"""The command line as a user scripts it: every command, its output and its one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli

SOURCE = "Wat gaat echt goed?\r\nHet team staat voor elkaar klaar. Één keer per week “intervisie”.\n"


def _project_with_document(tmp_path: Path) -> Path:
    project = tmp_path / "proj"
    run_cli("new", project)
    source = tmp_path / "vragenlijst_01.txt"
    source.write_bytes(SOURCE.encode("utf-8"))
    run_cli("import", project, source, "--kind", "questionnaire answer")
    run_cli("codebook", project, "add", "team", "--name", "M.b.t. team")
    return project


def test_researcher_scripts_a_project_from_new_to_a_coding_dump(tmp_path: Path) -> None:
    project = _project_with_document(tmp_path)
    start = SOURCE.index("Het team")
    end = SOURCE.index(" Één")
    coded = run_cli(
        "code", project, "--document", "vragenlijst_01", "--start", start, "--end", end,
        "--code", "team", "--coder", "onderzoeker1", "--memo", "kern",
    )
    assert coded.stdout.decode().startswith("coding #1: vragenlijst_01")

    rows = list(csv.DictReader(io.StringIO(run_cli("codings", project, "--format", "csv").stdout.decode())))
    assert [(r["document"], r["start"], r["end"], r["code"], r["coder"], r["memo"], r["text"]) for r in rows] == [
        ("vragenlijst_01", str(start), str(end), "team", "onderzoeker1", "kern", "Het team staat voor elkaar klaar.")
    ]
    (line,) = run_cli("codings", project, "--format", "jsonl").stdout.decode().splitlines()
    assert json.loads(line)["text"] == "Het team staat voor elkaar klaar."

    status = run_cli("status", project).stdout.decode()
    assert "documents:        1 (1 questionnaire answer)" in status
    assert "codings:          1 (onderzoeker1 1)" in status

    run_cli("uncode", project, "--document", "vragenlijst_01", "--start", start, "--end", end, "--code", "team", "--coder", "onderzoeker1")
    assert len(run_cli("codings", project).stdout.decode().splitlines()) == 1  # the header only


def test_show_prints_the_stored_text_byte_for_byte(tmp_path: Path) -> None:
    project = _project_with_document(tmp_path)
    assert run_cli("show", project, "vragenlijst_01").stdout == SOURCE.encode("utf-8")


def test_log_is_the_audit_trail_and_undo_redo_work_from_the_command_line(tmp_path: Path) -> None:
    project = _project_with_document(tmp_path)
    run_cli("code", project, "--document", "vragenlijst_01", "--start", 0, "--end", 4, "--code", "team", "--coder", "jan")
    assert "undone #4" in run_cli("undo", project, "--as", "jan").stdout.decode()
    assert len(run_cli("codings", project).stdout.decode().splitlines()) == 1
    assert "redone #4" in run_cli("redo", project, "--coder", "jan", "--as", "jan").stdout.decode()
    log = run_cli("log", project).stdout.decode().splitlines()
    assert [line.split()[3] for line in log] == ["new", "import", "add", "code", "undo", "redo"]
    assert "jan" in log[4] and "undo #4: coded 'vragenlijst_01' 0-4 as 'team'" in log[4]


def test_bad_input_gets_one_line_naming_the_problem_and_a_nonzero_exit(tmp_path: Path) -> None:
    project = _project_with_document(tmp_path)
    cases = {
        ("code", project, "--document", "vragenlijst_01", "--start", 0, "--end", 9999, "--code", "team", "--coder", "jan"):
            "span 0-9999 is not inside its text",
        ("code", project, "--document", "vragenlijst_01", "--start", 0, "--end", 4, "--code", "teem", "--coder", "jan"):
            "unknown code 'teem' (did you mean 'team'?)",
        ("show", project, "nope"): "no document named 'nope'",
        ("status", tmp_path / "nowhere"): "not a workbench project",
        ("new", project): "already a workbench project",
        ("codebook", project, "add", "Bad Id", "--name", "x"): "is not a slug",
    }
    for args, message in cases.items():
        result = run_cli(*args, check=False)
        err = result.stderr.decode()
        assert result.returncode == 1, args
        assert message in err, (args, err)
        assert err.count("\n") == 1 and "Traceback" not in err, err


def test_import_reports_each_bad_file_and_keeps_the_good_ones(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    good = tmp_path / "good.txt"
    good.write_text("Een goed antwoord.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_cli("import", project, good, empty, check=False)
    assert result.returncode == 1
    assert f"{empty}: empty file, nothing to import" in result.stderr.decode()
    assert "1 imported, 0 skipped, 1 failed" in result.stdout.decode()
    assert run_cli("show", project, "good").stdout == b"Een goed antwoord."


def test_codebook_list_shows_the_tree(tmp_path: Path) -> None:
    project = _project_with_document(tmp_path)
    run_cli("codebook", project, "add", "team-stabiel", "--name", "Stabiel team", "--parent", "team")
    assert run_cli("codebook", project, "list").stdout.decode().splitlines() == ["team  M.b.t. team", "  team-stabiel  Stabiel team"]


def test_help_loads_no_heavy_library() -> None:
    # The < 0.5 s target is measured in bench/cli_bench.py; here we pin the cause: nothing heavy is imported.
    probe = (
        "import sys, contextlib, io\n"
        "from workbench.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "print(sorted(m for m in ('sqlalchemy', 'textual', 'spacy', 'pandas', 'yaml', 'rich') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_help_lists_every_command() -> None:
    out = run_cli("--help").stdout.decode()
    for command in ("new", "import", "code", "uncode", "codings", "show", "codebook", "status", "log", "undo", "redo", "open"):
        assert command in out


def test_options_of_open_work_without_naming_the_command() -> None:
    result = run_cli("--coder", "tester", "--help")
    assert result.returncode == 0
    assert "--choose" in result.stdout.decode()  # the help of `workbench open`, not a usage error
