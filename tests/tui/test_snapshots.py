"""How the project, coding and codebook screens look on the demo (SVG snapshots under tests/tui/__snapshots__).

Regenerate after an intended change of look with `pytest tests/tui/test_snapshots.py --snapshot-update`,
then read the SVGs in the diff before committing them. Textual is pinned so snapshots stay stable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerState

from workbench.core.store import Store
from workbench.demos.starter import build_demo
from workbench.locations import STARTER_NAME, shipped_demo_dir
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens import coding

SIZE = (140, 40)


@pytest.fixture
def demo_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The demo at the relative path "demo", so the header shows no machine-specific folder."""
    monkeypatch.chdir(tmp_path)
    store = build_demo(shipped_demo_dir(STARTER_NAME), Path("demo"), "Huis van Herstel (starter demo)")
    yield store
    store.close()


async def _progress_read(pilot: Pilot[None]) -> None:
    """Wait until the project screen's progress, read in a worker once the tree is on screen, is shown."""
    for _ in range(200):
        if getattr(pilot.app.screen, "reading", None) is not None:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the project screen never showed its progress")


def test_project_screen(snap_compare: Callable[..., bool], demo_here: Store) -> None:
    assert snap_compare(WorkbenchApp(demo_here, coder="onderzoeker1"), terminal_size=SIZE, run_before=_progress_read)


async def _suggestions_settled(pilot: Pilot[None]) -> None:
    """Open an interview, then wait until the model relearned from the demo's codings and the suggestions came from it."""
    app = pilot.app
    await pilot.press("slash", *"interview", "enter", "down", "down", "enter", "down")
    await pilot.pause(coding.RETRAIN_DELAY + 0.5)
    for _ in range(600):
        await pilot.pause(0.1)
        busy = any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers)
        screen = app.screen
        if not busy and isinstance(screen, coding.CodingScreen) and screen._suggested.get(screen.selection) is not None:
            await pilot.pause(0.2)
            return
    raise AssertionError("the suggestions never settled")


def test_coding_screen(snap_compare: Callable[..., bool], demo_here: Store) -> None:
    app = WorkbenchApp(demo_here, coder="onderzoeker1")
    assert snap_compare(app, terminal_size=SIZE, run_before=_suggestions_settled)


def test_codebook_screen(snap_compare: Callable[..., bool], demo_here: Store) -> None:
    app = WorkbenchApp(demo_here, coder="onderzoeker1")
    assert snap_compare(app, press=["b", "down", "down"], terminal_size=SIZE)
