"""Two coders' workbenches (two processes) undo in the same project at once: every action is undone exactly once (issue 15)."""

from __future__ import annotations

import collections
import os
import subprocess
import sys
from pathlib import Path

from workbench.core.codebook import codebook
from workbench.core.codebook.edit import rename_code
from workbench.core.store import Store

RENAMES = 120
#: One process: undo the renamer's actions until there is nothing left, printing the id of each action it undid.
UNDOER = """
import sys
import time
from pathlib import Path
from workbench.core.store import Store
from workbench.errors import HistoryError

store = Store.open(Path(sys.argv[1]))
store.stacks()  # connected and warm
print("ready", flush=True)
go = Path(sys.argv[3])
while not go.exists():  # both start together, so their undos interleave
    pass
while True:
    try:
        print(store.undo(sys.argv[2], coder="renamer").id, flush=True)
        # A breath between undos, as between key presses: SQLite hands its write lock to whoever asks first, so a
        # process undoing in a tight loop could take every action before the other one gets a turn.
        time.sleep(0.003)
    except HistoryError as exc:
        if "nothing of renamer to undo" in str(exc):
            break
        raise
store.close()
"""


def test_two_processes_undoing_at_once_undo_each_action_exactly_once(store: Store, tmp_path: Path) -> None:
    # Renames, because undoing one twice would succeed silently (it sets the same old name again): the race issue 15 found.
    original = codebook(store).get("contact").name
    renamed = [rename_code(store, "contact", f"Contact {number}", "renamer") for number in range(RENAMES)]
    assert codebook(store).get("contact").name == renamed[-1].name
    rename_ids = [a.id for a in store.actions() if a.actor == "renamer"]
    assert len(rename_ids) == RENAMES
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])}

    go = tmp_path / "go"
    undoers = [
        subprocess.Popen(
            [sys.executable, "-c", UNDOER, str(store.project_dir), name, str(go)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        for name in ("jan", "marieke")
    ]
    for undoer in undoers:
        assert undoer.stdout is not None and undoer.stdout.readline() == b"ready\n"
    go.touch()
    outputs = [undoer.communicate(timeout=120) for undoer in undoers]

    assert [undoer.returncode for undoer in undoers] == [0, 0], [err.decode()[-2000:] for _, err in outputs]
    undone_by = [[int(line) for line in out.decode().split()] for out, _ in outputs]
    assert all(undone_by), "both processes took part"  # else the test proves nothing about a race
    counted = collections.Counter(action_id for ids in undone_by for action_id in ids)
    assert sorted(counted) == sorted(rename_ids) and set(counted.values()) == {1}, "each rename undone exactly once"
    undo_entries = [a.target_id for a in store.actions() if a.kind == "undo"]
    assert sorted(undo_entries) == sorted(rename_ids)  # the log agrees: one undo per rename, no second one
    assert undo_entries == sorted(rename_ids, reverse=True)  # and in order, newest first, whoever pressed the key
    assert codebook(store).get("contact").name == original
