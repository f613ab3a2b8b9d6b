"""The tests' in-process `run_cli` answers exactly as the real `workbench` command does: same exit code, same bytes."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import run_cli, run_cli_subprocess

TEXT = "R: Het contact met het personeel. Één keer per week “intervisie”.\r\n"


def test_in_process_and_real_command_give_the_same_exit_codes_and_bytes(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli_subprocess("new", project)
    source = tmp_path / "antwoord.txt"
    source.write_bytes(TEXT.encode("utf-8"))
    run_cli_subprocess("import", project, source, env={"WORKBENCH_USER": "jan"})
    commands = [
        ("--help",),  # argparse prints and exits 0
        ("show", project, "antwoord"),  # bytes written to sys.stdout.buffer
        ("log", project),  # the actor given through the environment
        ("status", tmp_path / "nowhere"),  # a refusal: one line on stderr, exit 1
        ("code", project, "--start", "x"),  # argparse's usage error: exit 2
    ]
    for args in commands:
        real, in_process = run_cli_subprocess(*args, check=False), run_cli(*args, check=False)
        assert (in_process.returncode, in_process.stdout, in_process.stderr) == (real.returncode, real.stdout, real.stderr), args
    assert [run_cli(*args, check=False).returncode for args in commands] == [0, 0, 0, 1, 2]
    assert b" jan " in run_cli("log", project).stdout


def test_environment_given_to_one_call_is_gone_after_it(tmp_path: Path) -> None:
    before = dict(os.environ)
    project = tmp_path / "proj"
    run_cli("new", project, env={"WORKBENCH_USER": "piet"})
    assert dict(os.environ) == before
    assert b" piet " in run_cli("log", project).stdout
