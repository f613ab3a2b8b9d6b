"""How the project, coding and codebook screens look on the demo (SVG snapshots under tests/tui/__snapshots__).

Regenerate after an intended change of look with `pytest tests/tui/test_snapshots.py --snapshot-update`,
then read the SVGs in the diff before committing them. Textual is pinned so snapshots stay stable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workbench.core.store import Store
from workbench.demos.starter import build_demo
from workbench.locations import STARTER_NAME, shipped_demo_dir
from workbench.tui.app import WorkbenchApp

SIZE = (140, 40)


@pytest.fixture
def demo_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The demo at the relative path "demo", so the header shows no machine-specific folder."""
    monkeypatch.chdir(tmp_path)
    store = build_demo(shipped_demo_dir(STARTER_NAME), Path("demo"), "Huis van Herstel (starter demo)")
    yield store
    store.close()


def test_project_screen(snap_compare: Callable[..., bool], demo_here: Store) -> None:
    assert snap_compare(WorkbenchApp(demo_here, coder="onderzoeker1"), terminal_size=SIZE)


def test_coding_screen(snap_compare: Callable[..., bool], demo_here: Store) -> None:
    app = WorkbenchApp(demo_here, coder="onderzoeker1")
    assert snap_compare(app, press=["slash", *"interview", "enter", "down", "down", "enter", "down"], terminal_size=SIZE)


def test_codebook_screen(snap_compare: Callable[..., bool], demo_here: Store) -> None:
    app = WorkbenchApp(demo_here, coder="onderzoeker1")
    assert snap_compare(app, press=["b", "down", "down"], terminal_size=SIZE)
