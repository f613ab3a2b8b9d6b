"""A team moves to a server from the command line: `new --database`, `copy` there and back, `connect` for teammates,
and one-line refusals that leave no folder behind."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from tests import pg_cluster
from tests.conftest import Backend, run_cli, table_rows
from workbench.cli import build_parser
from workbench.core.database import SERVER_FILE, server_location
from workbench.core.project_copy import NOT_COPIED, copied_tables
from workbench.core.store import Store
from workbench.locations import project_db_path

README = Path(__file__).resolve().parents[2] / "README.md"
TEXT = "Wat gaat echt goed?\nHet team staat voor elkaar klaar. Één keer per week “intervisie”.\n"


@pytest.fixture
def server(pg_server: pg_cluster.Cluster) -> Backend:
    return Backend("postgresql", pg_server)


def empty_database(server: Backend) -> str:
    url = server.database()
    assert url is not None
    return url


def coded_project(folder: Path, tmp_path: Path, *database: str) -> Path:
    """A project made as a user makes one: a document, a code, two codings, one of them undone."""
    source = tmp_path / "vragenlijst_01.txt"
    source.write_text(TEXT, encoding="utf-8")
    run_cli("new", folder, *(("--database", *database) if database else ()))
    run_cli("import", folder, source, "--kind", "questionnaire answer")
    run_cli("codebook", folder, "add", "team", "--name", "M.b.t. team")
    start, end = TEXT.index("Het team"), TEXT.index(" Één")
    run_cli("code", folder, "--document", "vragenlijst_01", "--start", start, "--end", end, "--code", "team", "--coder", "jan",
            "--memo", "kern")
    run_cli("code", folder, "--document", "vragenlijst_01", "--start", 0, "--end", 3, "--code", "team", "--coder", "jan")
    run_cli("undo", folder, "--as", "jan")
    return folder


def out(*args: str | Path) -> str:
    return run_cli(*args).stdout.decode()


def refused(*args: str | Path) -> str:
    """The one line a refused command prints."""
    result = run_cli(*args, check=False)
    assert result.returncode == 1 and result.stdout == b""
    (line,) = result.stderr.decode().splitlines()
    return line


def test_a_new_project_on_the_server_keeps_only_the_url_in_its_folder_and_works_as_any(
    server: Backend, tmp_path: Path
) -> None:
    url = empty_database(server)
    label = server_location(url).label
    assert out("new", tmp_path / "studie", "--database", url) == f"created project {tmp_path / 'studie'} (its data in {label})\n"
    assert sorted(p.name for p in (tmp_path / "studie").iterdir()) == [SERVER_FILE]
    assert url in (tmp_path / "studie" / SERVER_FILE).read_text(encoding="utf-8")

    source = tmp_path / "vragenlijst_01.txt"
    source.write_text(TEXT, encoding="utf-8")
    run_cli("import", tmp_path / "studie", source, "--kind", "questionnaire answer")
    run_cli("codebook", tmp_path / "studie", "add", "team", "--name", "M.b.t. team")
    run_cli("code", tmp_path / "studie", "--document", "vragenlijst_01", "--start", 0, "--end", 3, "--code", "team", "--coder", "jan")
    status = out("status", tmp_path / "studie")
    assert "documents:        1 (1 questionnaire answer)" in status
    assert "codings:          1 (jan 1)" in status


def test_a_new_local_project_says_which_file_holds_its_data(tmp_path: Path) -> None:
    folder = tmp_path / "studie"
    assert out("new", folder) == f"created project {folder} (its data in {project_db_path(folder)})\n"


def test_copy_to_the_server_and_back_gives_the_same_codings_and_the_log_still_undoes(server: Backend, tmp_path: Path) -> None:
    project = coded_project(tmp_path / "studie", tmp_path)
    url = empty_database(server)
    with Store.open(project) as store:
        rows = sum(len(rows) for name, rows in table_rows(store).items() if name not in NOT_COPIED)
    assert out("copy", project, tmp_path / "team", "--database", url) == (
        f"copied {project} to {tmp_path / 'team'} ({server_location(url).label}): {len(copied_tables())} tables, "
        f"{rows:,} rows, 1 coding, 0 folder files; codings dumps identical\n"
    )
    line = out("copy", tmp_path / "team", tmp_path / "back")
    assert line.startswith(f"copied {tmp_path / 'team'} to {tmp_path / 'back'} ({project_db_path(tmp_path / 'back')}): ")

    dumps = {folder: out("codings", tmp_path / folder, "--format", "jsonl") for folder in ("studie", "team", "back")}
    assert dumps["team"] == dumps["back"] == dumps["studie"]
    assert json.loads(dumps["team"])["memo"] == "kern"
    assert out("log", tmp_path / "back") == out("log", project)
    # The undone coding comes back in the copy, and the last one can be undone there, as in the original.
    assert "redone" in out("redo", tmp_path / "team", "--as", "jan")
    out("undo", tmp_path / "team", "--as", "jan")
    out("undo", tmp_path / "team", "--as", "jan")
    assert out("codings", tmp_path / "team", "--format", "jsonl") == ""


def test_a_teammate_connects_a_folder_of_their_own_and_sees_the_same_project(server: Backend, tmp_path: Path) -> None:
    url = empty_database(server)
    project = coded_project(tmp_path / "studie", tmp_path, url)
    line = out("connect", tmp_path / "mine", url)
    assert line.startswith(f"connected {tmp_path / 'mine'} to project 'studie' in {server_location(url).label} as ")
    assert out("show", tmp_path / "mine", "vragenlijst_01") == TEXT
    assert out("codings", tmp_path / "mine") == out("codings", project)
    # What one codes, the other sees.
    run_cli("code", tmp_path / "mine", "--document", "vragenlijst_01", "--start", 0, "--end", 3, "--code", "team", "--coder", "piet")
    assert "piet" in out("codings", project)


def test_connecting_to_a_database_without_a_project_leaves_no_folder(server: Backend, tmp_path: Path) -> None:
    url = empty_database(server)
    line = refused("connect", tmp_path / "mine", url)
    assert line == (f"workbench: {server_location(url).label}: not a workbench project database (no schema version); "
                    f"{tmp_path / 'mine'} not connected")
    assert not (tmp_path / "mine").exists()


def test_connecting_to_a_database_that_does_not_exist_leaves_no_folder(pg_server: pg_cluster.Cluster, tmp_path: Path) -> None:
    url = pg_server.url("nosuchdb")
    line = refused("connect", tmp_path / "mine", url)
    assert line.startswith(f"workbench: {server_location(url).label}: ") and "does not exist" in line
    assert not (tmp_path / "mine").exists()


def test_connecting_a_folder_that_is_a_project_already_is_refused(tmp_path: Path) -> None:
    run_cli("new", tmp_path / "studie")
    line = refused("connect", tmp_path / "studie", "postgresql://db.example.org/studie")
    assert line == f"workbench: {tmp_path / 'studie'}: already a workbench project"
    assert not (tmp_path / "studie" / SERVER_FILE).exists()


@pytest.mark.parametrize("command", ["new", "copy", "connect"])
def test_a_password_in_the_url_is_refused_and_never_shown(command: str, tmp_path: Path) -> None:
    run_cli("new", tmp_path / "studie")
    url = "postgresql://jan:geheim@db.example.org/studie"
    args = {
        "new": ("new", tmp_path / "team", "--database", url),
        "copy": ("copy", tmp_path / "studie", tmp_path / "team", "--database", url),
        "connect": ("connect", tmp_path / "team", url),
    }[command]
    line = refused(*args)
    assert "password" in line and "geheim" not in line
    assert not (tmp_path / "team").exists()


def test_copying_into_a_database_that_is_not_empty_is_refused(server: Backend, tmp_path: Path) -> None:
    url = empty_database(server)
    run_cli("new", tmp_path / "theirs", "--database", url)
    run_cli("new", tmp_path / "studie")
    line = refused("copy", tmp_path / "studie", tmp_path / "team", "--database", url)
    assert line == f"workbench: {server_location(url).label}: the database is not empty; give an empty one (createdb NAME)"
    assert not (tmp_path / "team").exists()
    assert out("status", tmp_path / "theirs").startswith("project:          theirs\n")


def test_the_readme_shows_the_team_server_in_three_commands_that_parse() -> None:
    section = README.read_text(encoding="utf-8").split("## Team server (PostgreSQL)\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    assert len(lines) == 3 and lines[0].startswith("createdb ")
    parser = build_parser()
    for line in lines[1:]:
        words = shlex.split(line, comments=True)
        assert words[0] == "workbench"
        parser.parse_args(words[1:])
    assert "PGPASSWORD" in section and "~/.pgpass" in section
