"""A coder's screen notices what the others do: a change by another session is reported, a burst once, silence as None."""

from __future__ import annotations

import threading
import time

import pytest

from workbench.core.codings import add_coding
from workbench.core.store import Store
from workbench.core.watch import watch

pytestmark = pytest.mark.backends


def test_a_coding_by_another_session_is_reported_and_silence_is_none(store: Store) -> None:
    other = Store.open(store.project_dir)
    with watch(store, interval=0.05) as watcher:
        started = time.monotonic()
        assert watcher.wait(0.3) is None
        assert time.monotonic() - started >= 0.25
        add_coding(other, document="interview_01", start=0, end=5, code_id="contact", coder="marieke")
        change = watcher.wait(5)
        assert change is not None and change.actors == {"marieke"}
        assert watcher.wait(0.2) is None
    other.close()


def test_a_burst_of_codings_comes_back_as_a_few_changes_not_one_per_coding(store: Store) -> None:
    other = Store.open(store.project_dir)
    changes = []
    with watch(store, interval=0.05) as watcher:
        def code() -> None:
            for n in range(60):
                add_coding(other, document="interview_01", start=n, end=n + 2, code_id="contact", coder="marieke")

        writer = threading.Thread(target=code)
        writer.start()
        while writer.is_alive():
            if (change := watcher.wait(0.5)) is not None:
                changes.append(change)
        writer.join()
        while (change := watcher.wait(0.5)) is not None:
            changes.append(change)
    other.close()
    assert 1 <= len(changes) < 60


def test_closing_a_watcher_ends_a_wait_in_another_thread(store: Store) -> None:
    watcher = watch(store, interval=0.05)
    results = []
    waiting = threading.Thread(target=lambda: results.append(watcher.wait(1.0)))
    waiting.start()
    time.sleep(0.1)
    watcher.close()
    waiting.join(3)
    assert not waiting.is_alive() and results == [None]
