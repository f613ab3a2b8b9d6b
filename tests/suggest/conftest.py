"""Fixtures of the suggestion tests: the Huis van Herstel demo built once per test process, a copy per module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.core.store import Store
from workbench.demos.huis_van_herstel import build_huis_van_herstel
from workbench.locations import shipped_corpora_dir
from workbench.suggest.learned import forget


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project built once per test process and closed; modules work on copies of it."""
    target = tmp_path_factory.mktemp("suggest") / "hvh"
    build_huis_van_herstel(shipped_corpora_dir() / "huis_van_herstel", target).close()
    return target


@pytest.fixture(scope="module")
def demo(demo_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A module's own copy of the demo, so what one module rejects or accepts never reaches another."""
    target = tmp_path_factory.mktemp("demo") / "hvh"
    shutil.copytree(demo_source, target)
    store = Store.open(target)
    yield store
    forget(store)
    store.close()
