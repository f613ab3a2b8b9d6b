"""Shared fixtures: throwaway projects, the starter demo, and reading what a Textual screen shows."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from workbench.core import schema
from workbench.core.codebook import add_code
from workbench.core.model import Code, DocumentKind
from workbench.core.corpus import add_document
from workbench.core.store import Store
from workbench.demos.starter import build_demo
from workbench.locations import STARTER_NAME, shipped_demo_dir

INTERVIEW = "I: Wat helpt jou hier?\nR: Het contact met het personeel. Hier word je echt gezien.\n"


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user's data folder."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A project with one interview and a two-level codebook, no codings."""
    project = Store.create(tmp_path / "project", "Test project")
    add_document(project, name="interview_01", text=INTERVIEW, kind=DocumentKind.TRANSCRIPT, actor="junior")
    add_code(project, Code(id="succesfactoren", name="Succesfactoren", dimension="succesfactoren", color="#2e7d32"), "junior")
    add_code(project, Code(id="contact", name="M.b.t. contact met personeel", parent_id="succesfactoren"), "junior")
    yield project
    project.close()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    """The starter demo, built from corpora/ through the importers and the store."""
    project = build_demo(shipped_demo_dir(STARTER_NAME), tmp_path / "demo", "Starter demo")
    yield project
    project.close()


def table_rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order: to prove an action changed nothing (or undo restored all)."""
    with store.reading() as conn:
        return {name: sorted((tuple(r) for r in conn.execute(select(table))), key=repr) for name, table in schema.metadata.tables.items()}


def run_cli(*args: str | Path, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run the real `workbench` command in a fresh interpreter, as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "workbench", *map(str, args)],
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"workbench {' '.join(map(str, args))} failed: {result.stderr.decode()}")
    return result


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip archive in memory: the container of .docx and .odt files, to build damaged ones."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def screen_lines(app: object) -> list[str]:
    """The text of every row of the app's current screen, as composed for the terminal."""
    return [strip.text for strip in app.screen._compositor.render_strips()]  # type: ignore[attr-defined]


def styled_runs(app: object) -> list[tuple[str, object]]:
    """(text, style) runs of the composed screen, to check what is highlighted."""
    return [
        (segment.text, segment.style)
        for strip in app.screen._compositor.render_strips()  # type: ignore[attr-defined]
        for segment in strip
    ]
