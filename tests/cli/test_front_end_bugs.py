"""The bugs a new user found on the command line (issue 10), typed as they typed them: one clean line, nothing changed."""

from __future__ import annotations

import errno
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ONE_TABLE, run_cli, table_rows
from workbench.core.backups import BACKUPS_FOLDER
from workbench.core.codebook import add_code, codebook
from workbench.core.codebook.sync import sync_file
from workbench.core.codings import add_coding
from workbench.core.corpus import document_summaries
from workbench.core.model import Code
from workbench.core.store import Store


def _one_clean_line(result: subprocess.CompletedProcess[bytes]) -> str:
    """The single line a failed command printed on standard error, after checking it is one line and no traceback."""
    err = result.stderr.decode()
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("workbench: "), err
    return err.removeprefix("workbench: ").rstrip("\n")


def _files(folder: Path) -> dict[str, bytes]:
    """Every file below a folder with its bytes: to prove a failed command wrote nothing, not even a temporary file.

    The backups folder is left out: opening a changed project backs it up as it was before the command (core/backups.py).
    """
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and BACKUPS_FOLDER not in p.relative_to(folder).parts
    }


@pytest.fixture
def linked(store: Store, tmp_path: Path) -> Iterator[Path]:
    """The project's codebook linked to books/codebook.yaml, as after `workbench codebook DIR sync … --yes`."""
    books = tmp_path / "books"
    books.mkdir()
    path = books / "codebook.yaml"
    path.write_text(
        "name: Studie\ncodes:\n  - id: succesfactoren\n    name: Succesfactoren\n    dimension: succesfactoren\n    color: '#2e7d32'\n"
        "    children:\n      - id: contact\n        name: M.b.t. contact met personeel\n",
        encoding="utf-8",
    )
    sync_file(store, path, "senior", apply=True)
    yield path


def _take_offline(books: Path) -> Path:
    """The folder holding the linked codebook goes (a share unmounted) and a file takes its name.

    Nothing can be written under a file, not even by root, for whom a read-only folder is no obstacle.
    """
    offline = books.with_name("books-offline")
    books.rename(offline)
    books.write_text("the share is not mounted\n", encoding="utf-8")
    return offline


def test_adding_a_code_when_the_linked_yaml_cannot_be_written_changes_nothing_and_says_why(store: Store, linked: Path) -> None:
    offline = _take_offline(linked.parent)
    before, files_before = table_rows(store), _files(linked.parent.parent)

    result = run_cli("codebook", store.project_dir, "add", "rust", "--name", "Rust", "--parent", "succesfactoren", check=False)

    assert result.returncode == 1 and result.stdout == b""
    assert _one_clean_line(result) == f"{linked}: {linked.parent} is not a folder; nothing changed"
    assert table_rows(store) == before  # no code, no action in the log
    assert _files(linked.parent.parent) == files_before
    assert (offline / "codebook.yaml").read_bytes() == files_before["books-offline/codebook.yaml"]


def test_adding_a_code_when_the_disk_is_full_changes_nothing_and_says_why(
    store: Store, linked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The file is read fine; its new version cannot be put in place, after the code was already in the transaction.
    def full_disk(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr("workbench.core.files.os.replace", full_disk)
    before, files_before = table_rows(store), _files(linked.parent)

    result = run_cli("codebook", store.project_dir, "add", "rust", "--name", "Rust", "--parent", "succesfactoren", check=False)

    assert result.returncode == 1 and result.stdout == b""
    assert _one_clean_line(result) == f"{linked}: cannot write the codebook (No space left on device); nothing changed"
    assert table_rows(store) == before
    assert _files(linked.parent) == files_before  # the old file, and no temporary file beside it


def test_undoing_a_codebook_edit_when_the_linked_yaml_cannot_be_written_changes_nothing_and_says_why(
    store: Store, linked: Path
) -> None:
    run_cli("codebook", store.project_dir, "rename", "contact", "Contact met het personeel")
    _take_offline(linked.parent)
    before, files_before = table_rows(store), _files(linked.parent.parent)

    result = run_cli("undo", store.project_dir, check=False)

    assert result.returncode == 1 and result.stdout == b""
    assert _one_clean_line(result) == f"{linked}: {linked.parent} is not a folder; nothing changed"
    assert table_rows(store) == before
    assert _files(linked.parent.parent) == files_before
    assert codebook(store).get("contact").name == "Contact met het personeel"


def test_a_code_added_on_the_command_line_rewrites_the_linked_yaml_in_the_same_step(store: Store, linked: Path) -> None:
    result = run_cli("codebook", store.project_dir, "add", "rust", "--name", "Rust", "--parent", "succesfactoren")
    assert result.stdout.decode().splitlines() == ["added code rust (Rust) under succesfactoren", f"updated {linked}"]
    assert "id: rust" in linked.read_text(encoding="utf-8")
    assert run_cli("undo", store.project_dir).stdout.decode().splitlines()[-1] == f"updated {linked}"
    assert "id: rust" not in linked.read_text(encoding="utf-8")


def test_codings_into_a_missing_folder_say_so_in_one_line_and_write_nothing(store: Store, tmp_path: Path) -> None:
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    before, files_before = table_rows(store), _files(tmp_path)

    result = run_cli("codings", store.project_dir, "--out", tmp_path / "missing" / "codings.csv", check=False)

    assert result.returncode == 1 and result.stdout == b""
    assert _one_clean_line(result) == f"{tmp_path / 'missing' / 'codings.csv'}: folder {tmp_path / 'missing'} does not exist"
    assert table_rows(store) == before and _files(tmp_path) == files_before


def test_codebook_export_into_a_missing_folder_says_so_in_one_line_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    before, files_before = table_rows(store), _files(tmp_path)

    result = run_cli("codebook", store.project_dir, "export", tmp_path / "missing" / "codebook.yaml", check=False)

    assert result.returncode == 1 and result.stdout == b""
    assert _one_clean_line(result) == f"{tmp_path / 'missing' / 'codebook.yaml'}: folder {tmp_path / 'missing'} does not exist"
    assert table_rows(store) == before and _files(tmp_path) == files_before


def test_a_codebook_exported_to_a_yml_or_markdown_name_gets_that_format(store: Store, tmp_path: Path) -> None:
    run_cli("codebook", store.project_dir, "export", tmp_path / "codebook.yml")
    run_cli("codebook", store.project_dir, "export", tmp_path / "bijlage.markdown")
    assert (tmp_path / "codebook.yml").read_text(encoding="utf-8").startswith("name: Test project\ncodes:\n")
    assert (tmp_path / "bijlage.markdown").read_text(encoding="utf-8").startswith("# Test project")


def test_tables_exported_to_a_dot_markdown_file_are_written_as_markdown(store: Store, tmp_path: Path) -> None:
    (store.project_dir / "tables.yaml").write_text(ONE_TABLE, encoding="utf-8")
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    out = tmp_path / "t.markdown"

    result = run_cli("tables", store.project_dir, "--out", out)

    assert result.stdout.decode() == f"wrote {out}\n" and result.stderr == b""
    # The same bytes as the .md export: the ending only names the format.
    run_cli("tables", store.project_dir, "--out", tmp_path / "t.md")
    assert out.read_bytes() == (tmp_path / "t.md").read_bytes()
    assert "Tabel 6.6. Wat helpt de deelnemers T1 (n=1)" in out.read_text(encoding="utf-8")


def test_quotes_to_a_name_without_a_known_ending_say_which_endings_work(store: Store, tmp_path: Path) -> None:
    before, files_before = table_rows(store), _files(tmp_path)
    result = run_cli("quotes", store.project_dir, "--out", tmp_path / "citaten.ods", check=False)
    assert result.returncode == 1
    assert _one_clean_line(result) == f"{tmp_path / 'citaten.ods'}: cannot tell the quote format from .ods (choose xlsx, csv)"
    assert table_rows(store) == before and _files(tmp_path) == files_before


def test_importing_a_folder_imports_its_files_to_any_depth_and_counts_what_it_skips(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "interviews"
    (folder / "wave_2").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / "interview_02.txt").write_text("I: Hoe gaat het?\nR: Goed.\n", encoding="utf-8")
    (folder / "wave_2" / "interview_03.txt").write_text("I: En nu?\nR: Beter.\n", encoding="utf-8")
    (folder / ".hidden" / "interview_04.txt").write_text("I: Verborgen?\nR: Ja.\n", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")

    result = run_cli("import", store.project_dir, f"{folder}/")

    assert result.stderr == b""
    assert result.stdout.decode().splitlines() == [
        "skipped 1 unsupported file",
        f"imported {folder / 'interview_02.txt'} (document #2)",
        f"imported {folder / 'wave_2' / 'interview_03.txt'} (document #3)",
        "2 imported, 1 skipped, 0 failed",
    ]
    assert [s.name for s in document_summaries(store)] == ["interview_01", "interview_02", "interview_03"]


def test_an_unknown_document_kind_is_a_usage_error_that_names_the_kinds(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "interview_02.txt"
    source.write_text("I: Hoe gaat het?\nR: Goed.\n", encoding="utf-8")
    before = table_rows(store)

    result = run_cli("import", store.project_dir, source, "--kind", "interview", check=False)

    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err and err.startswith("usage: workbench import")
    assert err.splitlines()[-1] == (
        "workbench import: error: argument --kind: unknown document kind 'interview' "
        "(choose from: transcript, questionnaire answer, focus group, notes)"
    )
    assert table_rows(store) == before
    assert run_cli("import", store.project_dir, source, "--kind", "Focus-Group").returncode == 0  # DocumentKind.parse's spellings


def test_an_operating_system_error_is_one_line_naming_the_file(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(_store: Store) -> None:
        raise PermissionError(13, "Permission denied", str(store.db_path))

    monkeypatch.setattr("workbench.core.status.project_status", unreadable)
    result = run_cli("status", store.project_dir, check=False)
    assert result.returncode == 1 and _one_clean_line(result) == f"{store.db_path}: Permission denied"


@pytest.fixture
def long_project(store: Store) -> Store:
    """A project whose code list and log are far longer than a pipe holds (64 KiB), so a reader that stops early is noticed."""
    for number in range(120):
        add_code(store, Code(id=f"code-{number:03}", name=f"Code {number} " + "lang " * 200), "senior")
    return store


def _piped(pipeline: str, project: Path) -> subprocess.CompletedProcess[bytes]:
    """A pipeline such as `workbench log DIR | head -1` in a real shell; pipefail makes the exit status workbench's own."""
    script = pipeline.replace("workbench", '"$0" -m workbench', 1).replace("DIR", '"$1"')
    return subprocess.run(["bash", "-o", "pipefail", "-c", script, sys.executable, str(project)], capture_output=True, timeout=120)


def test_the_code_list_into_a_pipe_closed_early_ends_quietly(long_project: Store) -> None:
    result = _piped("workbench codebook DIR list | head -2", long_project.project_dir)
    assert result.stderr == b""
    assert result.returncode == 141  # 128 + SIGPIPE, as `git log | head -1` ends
    assert result.stdout.decode() == "succesfactoren  Succesfactoren\n  contact  M.b.t. contact met personeel\n"


def test_the_log_into_a_pipe_closed_early_ends_quietly(long_project: Store) -> None:
    result = _piped("workbench log DIR | head -1", long_project.project_dir)
    assert result.stderr == b""
    assert result.returncode == 141
    assert result.stdout.decode().startswith("#1 ") and result.stdout.count(b"\n") == 1


def test_without_a_login_name_the_coder_is_called_coder_instead_of_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_login() -> str:
        raise OSError("No username set in the environment")  # what getpass raises in a container without a user entry

    monkeypatch.delenv("WORKBENCH_USER", raising=False)
    monkeypatch.setattr("getpass.getuser", no_login)
    run_cli("new", tmp_path / "proj")
    (entry,) = run_cli("log", tmp_path / "proj").stdout.decode().splitlines()
    assert entry.split()[2:4] == ["coder", "new"]  # "#1  <time>  coder  new  created project 'proj'"
