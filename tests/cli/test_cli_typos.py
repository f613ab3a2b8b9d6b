"""A mistyped command is named as one, with the commands it may have meant; an action's help needs no folder."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from tests.conftest import run_cli
from workbench.cli import CODEBOOK_ACTIONS, COMMANDS, build_parser


def test_a_mistyped_command_is_an_unknown_command_with_close_matches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("agrement", "studie/", "--coders", "a,b", check=False)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[-1] == "workbench: error: unknown command 'agrement' (did you mean 'agreement'?)"


def test_a_word_close_to_no_command_lists_the_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("compare", "studie/", check=False)
    last = result.stderr.decode().splitlines()[-1]
    assert result.returncode == 2
    assert last.startswith("workbench: error: unknown command 'compare' (commands: new, import,") and "agreement" in last
    assert "not a workbench project" not in result.stderr.decode()


def test_an_existing_folder_is_still_opened_not_taken_for_a_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    result = run_cli("notes", check=False)
    assert result.returncode == 1 and "not a workbench project" in result.stderr.decode()


@pytest.mark.parametrize("action", CODEBOOK_ACTIONS)
def test_a_codebook_actions_help_needs_no_project_folder(action: str) -> None:
    said = run_cli("codebook", action, "--help").stdout.decode()
    assert said.startswith(f"usage: workbench codebook DIR {action}")


def test_the_codebook_actions_named_for_help_are_the_parsers() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    book = commands.choices["codebook"]
    actions = next(a for a in book._actions if isinstance(a, argparse._SubParsersAction))
    assert tuple(actions.choices) == CODEBOOK_ACTIONS
    assert tuple(commands.choices) == COMMANDS or set(commands.choices) == set(COMMANDS)
