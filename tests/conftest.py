"""Shared fixtures: throwaway projects, the starter demo, and reading what a Textual screen shows."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import traceback
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests import pg_cluster
from workbench.core import schema
from workbench.core.codebook import add_code
from workbench.core.corpus import add_document
from workbench.core.model import Code, DocumentKind
from workbench.core.store import Store
from workbench.demos.huis_van_herstel import build_huis_van_herstel
from workbench.demos.starter import build_demo
from workbench.locations import STARTER_NAME, shipped_corpora_dir, shipped_demo_dir

INTERVIEW = "I: Wat helpt jou hier?\nR: Het contact met het personeel. Hier word je echt gezien.\n"
#: A tables.yaml with one frequency table: Tabel 6.6 over the transcripts, the succesfactoren theme.
ONE_TABLE = """\
tables:
  - id: "6.6"
    caption: "Tabel 6.6. Wat helpt de deelnemers T1 (n={n})"
    source:
      kinds: [transcript]
    themes: [succesfactoren]
"""
#: The report's tables as printed, transcribed (captions, themes, items, counts): what the demo must reproduce.
SEED_TABLES = Path(__file__).parent / "data" / "seed_tables.json"


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user's data folder."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path_factory.mktemp("home")))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `backends` run once on SQLite and once on a throwaway PostgreSQL server."""
    marked = metafunc.definition.get_closest_marker("backends") and not metafunc.definition.get_closest_marker("sqlite_only")
    if marked and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "backends: run the test on SQLite and on PostgreSQL (through the `backend` fixture)")
    config.addinivalue_line("markers", "sqlite_only: in a `backends` module, a test of what only a SQLite file has")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg_cluster.Cluster]:
    """One PostgreSQL cluster per test process, in a temporary folder, on a Unix socket; gone after the session."""
    if not pg_cluster.available():
        pytest.fail("PostgreSQL's server is not installed (Debian: apt-get install postgresql); .ci/run installs it")
    with pg_cluster.running() as cluster:
        yield cluster


@dataclass(frozen=True)
class Backend:
    """Where a test's new projects keep their data."""

    name: str
    cluster: pg_cluster.Cluster | None = None

    def database(self) -> str | None:
        """A fresh empty database's URL on the server, None for SQLite."""
        return None if self.cluster is None else self.cluster.url(self.cluster.new_database())

    def create(self, folder: Path, name: str = "Test project", **kwargs: Any) -> Store:
        """A new project in `folder` on this backend."""
        return Store.create(folder, name, database=self.database(), **kwargs)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> Backend:
    """SQLite, unless the test is marked `backends` (then SQLite and PostgreSQL in turn)."""
    name = getattr(request, "param", "sqlite")
    if name == "postgresql":
        return Backend(name, request.getfixturevalue("pg_server"))
    return Backend(name)


@pytest.fixture
def store(tmp_path: Path, backend: Backend) -> Iterator[Store]:
    """A project with one interview and a two-level codebook, no codings."""
    project = backend.create(tmp_path / "project")
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


@pytest.fixture(scope="session")
def hvh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The Huis van Herstel demo, built from its sources once per test process; tests that change it undo their change."""
    project = build_huis_van_herstel(shipped_corpora_dir() / "huis_van_herstel", tmp_path_factory.mktemp("golden") / "hvh")
    yield project
    project.close()


@pytest.fixture(scope="session")
def hvh_server(tmp_path_factory: pytest.TempPathFactory, pg_server: pg_cluster.Cluster) -> Iterator[Store]:
    """The Huis van Herstel demo with its data on the test PostgreSQL server, built once per test process."""
    database = pg_server.url(pg_server.new_database("hvh"))
    folder = tmp_path_factory.mktemp("golden-server") / "hvh"
    project = build_huis_van_herstel(shipped_corpora_dir() / "huis_van_herstel", folder, database=database)
    yield project
    project.close()


@pytest.fixture
def report_demo(backend: Backend, request: pytest.FixtureRequest) -> Store:
    """The Huis van Herstel demo on the test's backend (see `hvh` and `hvh_server`)."""
    return request.getfixturevalue("hvh_server" if backend.cluster is not None else "hvh")  # type: ignore[no-any-return]


def table_rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order: to prove an action changed nothing (or undo restored all)."""
    with store.reading() as conn:
        return {name: sorted((tuple(r) for r in conn.execute(select(table))), key=repr) for name, table in schema.metadata.tables.items()}


def run_cli(*args: str | Path, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run the `workbench` command in this process, as a user would type it: its exit code and its output as bytes.

    In-process because an interpreter start per call costs more than most commands; the outcome is the same as
    `run_cli_subprocess` gives: argparse's exits become exit codes, an uncaught exception a traceback and exit 1,
    and standard input is empty (no terminal, so nothing is asked).
    """
    from workbench.cli import main

    argv = [str(arg) for arg in args]
    stdout, stderr = io.BytesIO(), io.BytesIO()
    streams = {
        "stdin": io.TextIOWrapper(io.BytesIO(), encoding="utf-8"),
        # write_through: text and bytes written to sys.stdout.buffer stay in the order they were written.
        "stdout": io.TextIOWrapper(stdout, encoding="utf-8", write_through=True),
        "stderr": io.TextIOWrapper(stderr, encoding="utf-8", errors="backslashreplace", write_through=True),
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        for name, stream in streams.items():
            patch.setattr(sys, name, stream)
        try:
            returncode = main(argv)
        except SystemExit as exc:
            returncode = _exit_status(exc.code, streams["stderr"])
        except Exception:  # noqa: BLE001 - what the interpreter does with an uncaught exception: a traceback, exit 1
            streams["stderr"].write(traceback.format_exc())
            returncode = 1
        finally:
            streams["stdout"].flush()
            streams["stderr"].flush()
    result = subprocess.CompletedProcess(["workbench", *argv], returncode, stdout.getvalue(), stderr.getvalue())
    if check and result.returncode != 0:
        raise AssertionError(f"workbench {' '.join(argv)} failed: {result.stderr.decode()}")
    return result


def _exit_status(code: object, stderr: io.TextIOBase) -> int:
    """The exit status `raise SystemExit(code)` gives a process: None is 0, a message is printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    stderr.write(f"{code}\n")
    return 1


def run_cli_subprocess(
    *args: str | Path, env: dict[str, str] | None = None, check: bool = True, input: bytes | None = None  # noqa: A002 - subprocess.run's name
) -> subprocess.CompletedProcess[bytes]:
    """Run the real `workbench` command in a fresh interpreter: for what needs a process (pipes, signals, what gets imported)."""
    result = subprocess.run(
        [sys.executable, "-m", "workbench", *map(str, args)],
        capture_output=True,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
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
