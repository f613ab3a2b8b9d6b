"""Every file the workbench writes is written whole or not at all, never over a file without --force, never through a link.

Each command that writes a file is run as a careless user would (the same name twice, a link to their own notes, a
device, a full disk) and must say so in one line and leave every file as it was (issue 15).
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from tests.conftest import ONE_TABLE, run_cli
from workbench.core.codings import add_coding
from workbench.core.store import Store

#: Each command that writes a file: the words before the file, the words after it, and the file's ending.
COMMANDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "codings": (("codings", "{dir}", "--out"), (), ".csv"),
    "codebook export": (("codebook", "{dir}", "export"), ("--format", "yaml"), ".yaml"),
    "tables": (("tables", "{dir}", "--definitions", "{tables}", "--out"), ("--format", "csv"), ".csv"),
    "quotes": (("quotes", "{dir}", "--out"), ("--format", "csv"), ".csv"),
    "export": (("export", "{dir}", "--out"), (), ".qdpx"),
    "agreement": (("agreement", "{dir}", "--coders", "junior,senior", "--unit", "document", "--out"), ("--format", "json"), ".json"),
}
NOTES = "# my own notes, weeks of work\nname: not a codebook\n"


def _one_clean_line(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode()
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("workbench: "), err
    return err.removeprefix("workbench: ").rstrip("\n")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture
def coded(store: Store, tmp_path: Path) -> Store:
    """The test project, coded by two coders, with a table definition beside it."""
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="senior")
    (tmp_path / "tables.yaml").write_text(ONE_TABLE, encoding="utf-8")
    return store


def _runner(store: Store, name: str) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    before, after, _ = COMMANDS[name]
    values = {"dir": str(store.project_dir), "tables": str(store.project_dir.parent / "tables.yaml")}

    def run(out: Path, *extra: str, check: bool = False) -> subprocess.CompletedProcess[bytes]:
        return run_cli(*(word.format(**values) for word in before), out, *after, *extra, check=check)

    return run


@pytest.mark.parametrize("name", COMMANDS)
def test_an_export_to_a_name_already_taken_is_refused_unless_forced(coded: Store, tmp_path: Path, name: str) -> None:
    run = _runner(coded, name)
    out = tmp_path / "out" / f"export{COMMANDS[name][2]}"
    out.parent.mkdir()
    out.write_text(NOTES, encoding="utf-8")

    result = run(out)

    assert result.returncode == 1 and result.stdout == b""
    assert _one_clean_line(result) == f"{out}: already exists; add --force to replace it"
    assert _files(out.parent) == {"export" + COMMANDS[name][2]: NOTES.encode()}

    forced = run(out, "--force", check=True)
    assert forced.returncode == 0 and out.read_text(encoding="utf-8", errors="replace") != NOTES
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temporary file left beside it


@pytest.mark.parametrize("name", COMMANDS)
def test_an_export_never_writes_through_a_link_to_the_users_notes_even_forced(coded: Store, tmp_path: Path, name: str) -> None:
    run = _runner(coded, name)
    notes = tmp_path / "notes.yaml"
    notes.write_text(NOTES, encoding="utf-8")
    out = tmp_path / f"export{COMMANDS[name][2]}"
    out.symlink_to(notes)

    for extra in ((), ("--force",)):
        result = run(out, *extra)
        assert result.returncode == 1 and result.stdout == b""
        assert _one_clean_line(result).startswith(f"{out}: is a symbolic link; ")
        assert notes.read_text(encoding="utf-8") == NOTES
        assert out.is_symlink() and os.readlink(out) == str(notes)


@pytest.mark.parametrize("name", COMMANDS)
def test_an_export_to_a_device_is_refused_in_one_line(coded: Store, name: str) -> None:
    result = _runner(coded, name)(Path("/dev/full"), "--force")
    assert result.returncode == 1 and result.stdout == b""
    assert _one_clean_line(result).startswith("/dev/full: is not a regular file (a device, pipe or socket); ")


@pytest.mark.parametrize("name", COMMANDS)
def test_an_export_on_a_full_disk_keeps_the_old_file_whole(
    coded: Store, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _runner(coded, name)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / f"export{COMMANDS[name][2]}"
    run(out, check=True)
    before = _files(folder)

    def full_disk(descriptor: int) -> None:
        # Where a real full disk (or a dead share) shows first: the data cannot be flushed.
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("workbench.core.files.os.fsync", full_disk)
    result = run(out, "--force")

    assert result.returncode == 1 and result.stdout == b""
    assert _one_clean_line(result).startswith(f"{out}: cannot write ")
    assert _one_clean_line(result).endswith("(No space left on device)")
    assert _files(folder) == before  # the old file whole, no temporary file beside it


def test_a_new_export_whose_write_fails_leaves_nothing(coded: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The dump is streamed into the file it opens, so the disk fills up on the way, at a write to that file.
    opened = Path.open

    class FullDisk:
        def __init__(self, handle: IO[str]) -> None:
            self.handle = handle

        def write(self, data: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    def full_disk(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = opened(self, mode, *args, **kwargs)
        return FullDisk(handle) if "w" in mode and self.name.startswith(".codings") else handle

    monkeypatch.setattr(Path, "open", full_disk)
    out = tmp_path / "codings.csv"
    result = run_cli("codings", coded.project_dir, "--out", out, check=False)
    assert _one_clean_line(result) == f"{out}: cannot write the codings (No space left on device)"
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".codings")]


def test_tables_one_per_file_write_none_if_any_exists(coded: Store, tmp_path: Path) -> None:
    folder = tmp_path / "tabellen"
    folder.mkdir()
    taken = folder / "tabel_6_6.csv"
    taken.write_text(NOTES, encoding="utf-8")
    result = run_cli("tables", coded.project_dir, "--definitions", tmp_path / "tables.yaml", "--out", folder, "--format", "csv",
                     "--one-per-file", check=False)
    assert _one_clean_line(result) == f"{taken}: already exists; add --force to replace it"
    assert _files(folder) == {"tabel_6_6.csv": NOTES.encode()}


def test_a_replaced_export_keeps_the_permissions_the_user_gave_it(coded: Store, tmp_path: Path) -> None:
    out = tmp_path / "codings.csv"
    out.write_text(NOTES, encoding="utf-8")
    out.chmod(0o600)  # private: interview data
    run_cli("codings", coded.project_dir, "--out", out, "--force")
    assert out.stat().st_mode & 0o777 == 0o600 and "interview_01" in out.read_text(encoding="utf-8")


def test_on_a_usb_stick_without_hard_links_a_new_export_is_still_written_and_an_old_one_still_kept(
    coded: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_hard_links(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")  # what FAT (exFAT, vfat) says to link()

    monkeypatch.setattr("workbench.core.files.os.link", no_hard_links)
    out = tmp_path / "codings.csv"
    run_cli("codings", coded.project_dir, "--out", out)
    written = out.read_bytes()
    assert b"interview_01" in written

    result = run_cli("codings", coded.project_dir, "--out", out, check=False)
    assert _one_clean_line(result) == f"{out}: already exists; add --force to replace it"
    assert out.read_bytes() == written and sorted(p.name for p in tmp_path.iterdir()) == ["codings.csv", "project", "tables.yaml"]
