"""A bounded soak: coding processes killed with SIGKILL at random moments; `workbench check` passes, no ack is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import INTERVIEW, run_cli
from workbench.core.codings import coded_segments
from workbench.core.store import Store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL exists on POSIX only")
ROUNDS = 6

CODER = """
import random, sys
from workbench.core.store import Store
from workbench.core.codings import add_coding
from workbench.errors import WorkbenchError
store, rng = Store.open(sys.argv[1]), random.Random(int(sys.argv[2]))
print("READY", flush=True)
while True:
    start = rng.randrange(0, {length} - 4)
    try:
        coding = add_coding(store, document="interview_01", start=start, end=start + rng.randrange(1, 4), code_id="contact",
                            coder="junior")
    except WorkbenchError:
        continue  # the same span twice: refused, nothing acknowledged
    if rng.random() < 0.2:
        store.undo("junior")
        print("UNDONE", coding.id, flush=True)
    else:
        print("ACK", coding.id, flush=True)
"""


def test_coders_killed_at_random_moments_leave_a_project_that_checks_and_keeps_every_acknowledged_coding(store: Store) -> None:
    store.close()
    rng = random.Random(15)
    acknowledged: set[int] = set()
    for round_number in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-c", CODER.format(length=len(INTERVIEW)), str(store.project_dir), str(round_number)],
            stdout=subprocess.PIPE, text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        for line in proc.stdout:
            kind, coding_id = line.split()
            if kind == "ACK":
                acknowledged.add(int(coding_id))
            else:
                acknowledged.discard(int(coding_id))
        assert proc.wait(timeout=30) == -signal.SIGKILL
    result = run_cli("check", store.project_dir)
    assert "no problems" in result.stdout.decode()
    with Store.open(store.project_dir) as reopened:
        present = {segment.coding.id for segment in coded_segments(reopened)}
    assert acknowledged and acknowledged <= present
