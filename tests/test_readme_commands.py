"""The README's commands are real: each parses with the command line it documents, and those that need no input files
run on the Huis van Herstel demo exactly as written, so the README cannot drift from what the demo shows."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from workbench.cli import COMMANDS, build_parser
from workbench.demos.huis_van_herstel import build_huis_van_herstel
from workbench.locations import shipped_corpora_dir

README = Path(__file__).resolve().parents[1] / "README.md"
#: Commands that make the project (the demo is made already), read files a newcomer brings (interviews, sheets, other
#: tools' projects), open an editor or the terminal UI, compare two projects, or need a team server: checked for their
#: options only.
NEEDS_INPUT = ("new", "import", "cases", "merge", "edit", "open", "sync", "suggest-eval", "copy", "connect", "members")


def readme_commands() -> list[list[str]]:
    """Every `workbench …` command written in the README, in order, once each; bare mentions ("`workbench merge`") left out."""
    found: dict[str, list[str]] = {}
    for line in re.findall(r"`(workbench [^`]*)`", README.read_text(encoding="utf-8")):
        words = shlex.split(line)[1:]
        if len(words) >= 2 or (words and words[0].endswith("/")):
            found.setdefault(line, words)
    return list(found.values())


def test_every_command_in_the_readme_parses_with_the_options_it_shows() -> None:
    parser = build_parser()
    commands = readme_commands()
    assert len(commands) > 30
    for words in commands:
        if words[0] not in COMMANDS:
            assert words == ["studie/"], f"README: workbench {' '.join(words)}: no such command"
            continue
        try:
            parser.parse_args(words)
        except SystemExit:
            pytest.fail(f"README: `workbench {' '.join(words)}` does not parse")


@pytest.fixture
def studie(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo as `studie/` in the working folder, as the README's examples call the project."""
    monkeypatch.chdir(tmp_path)
    build_huis_van_herstel(shipped_corpora_dir() / "huis_van_herstel", tmp_path / "studie").close()
    yield tmp_path / "studie"


def test_the_readme_commands_run_on_the_demo_as_written(studie: Path) -> None:
    ran = []
    for words in readme_commands():
        if words[0] not in COMMANDS or words[0] in NEEDS_INPUT or "DIR" in words or (words[0] == "codebook" and "sync" in words):
            continue
        result = run_cli(*words, check=False)
        assert result.returncode == 0, f"README: `workbench {' '.join(words)}` failed: {result.stderr.decode()}"
        ran.append(words[0])
    assert {"show", "turns", "code", "uncode", "undo", "redo", "tables", "quotes", "codings", "suggest", "codebook", "export"} <= set(ran)
