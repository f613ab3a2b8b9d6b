"""A process killed with SIGKILL right after a coding was committed loses nothing and corrupts nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import INTERVIEW
from workbench.core.codings import coded_segments
from workbench.core.store import Store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL exists on POSIX only")


def _run_then_get_killed(script: str, marker: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if marker in line:
            break
    else:
        raise AssertionError(f"child exited without {marker!r}: {proc.wait()}")
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def test_sigkill_right_after_workbench_code_returns_loses_nothing(store: Store) -> None:
    store.close()
    start, end = INTERVIEW.index("Het contact"), INTERVIEW.index(" Hier")
    script = (
        "import sys, time\n"
        "from workbench.cli import main\n"
        f"code = main(['code', {str(store.project_dir)!r}, '--document', 'interview_01', '--start', '{start}', '--end', '{end}',"
        " '--code', 'contact', '--coder', 'junior'])\n"
        "print('RETURNED', code, flush=True)\n"
        "time.sleep(60)\n"
    )
    _run_then_get_killed(script, "RETURNED 0")
    with Store.open(store.project_dir) as reopened:
        assert [s.text for s in coded_segments(reopened)] == ["Het contact met het personeel."]


def test_sigkill_with_the_store_still_open_keeps_every_committed_action(store: Store) -> None:
    # Harsher than the CLI: the connection is never closed, so the WAL is never checkpointed.
    store.close()
    script = (
        "import time\n"
        "from workbench.core.store import Store\n"
        "from workbench.core.codings import add_coding\n"
        f"s = Store.open({str(store.project_dir)!r})\n"
        "for i in range(40):\n"
        "    add_coding(s, document='interview_01', start=i, end=i + 3, code_id='contact', coder='junior')\n"
        "print('COMMITTED 40', flush=True)\n"
        "for i in range(100000):  # keep writing until killed, mid-transaction with luck\n"
        "    add_coding(s, document='interview_01', start=0, end=3, code_id='contact', coder=f'coder{i}')\n"
    )
    _run_then_get_killed(script, "COMMITTED 40")
    with sqlite3.connect(store.db_path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Store.open(store.project_dir) as reopened:
        codings = coded_segments(reopened)
        assert len(codings) >= 40
        logged = [a for a in reopened.actions() if a.kind == "code"]
        assert len(logged) == len(codings)  # every coding has its log entry and no entry lacks its coding
