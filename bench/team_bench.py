"""Codings per second with 1 and 8 coders writing at once: SQLite against PostgreSQL, each against its bare baseline.

Every writer is a process of its own, as every coder's workbench is. A writer applies codes one action at a time
through the workbench (`add_coding`: its own transaction, the action log, the checks); the bare baseline inserts
the same coding rows with the database driver alone, one committed transaction per row, in the same number of
processes. Both backends are durable (SQLite synchronous=FULL, PostgreSQL fsync on), on a throwaway cluster
started here (tests/pg_cluster.py; needs PostgreSQL's server programs).

    PYTHONPATH=. python bench/team_bench.py [--per-writer 300]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import pg_cluster  # noqa: E402
from workbench.core.codebook import add_code  # noqa: E402
from workbench.core.corpus import add_document  # noqa: E402
from workbench.core.model import Code, DocumentKind  # noqa: E402
from workbench.core.store import Store  # noqa: E402

WORKBENCH_WRITER = """
import sys
from pathlib import Path
from workbench.core.codings import add_coding
from workbench.core.store import Store

folder, coder, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
store = Store.open(folder)
store.stacks()
print("ready", flush=True)
while not go.exists():
    pass
for n in range(count):
    add_coding(store, document="long", start=n, end=n + 1, code_id="contact", coder=coder)
store.close()
"""

#: The same rows with the driver alone: one transaction per row, the coder's row made first as the workbench does.
BARE_WRITER = """
import sys
from pathlib import Path

folder, coder, count, go, url = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5]
if url == "sqlite":
    import sqlite3
    conn = sqlite3.connect(folder / "workbench.sqlite", isolation_level=None, timeout=60)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    mark, begin = "?", "BEGIN IMMEDIATE"
else:
    import psycopg
    conn = psycopg.connect(url, autocommit=True)
    mark, begin = "%s", "BEGIN"
conn.execute(begin)
conn.execute(f"INSERT INTO coders (name) VALUES ({mark})", (coder,))
conn.execute("COMMIT")
(coder_id,) = conn.execute(f"SELECT id FROM coders WHERE name = {mark}", (coder,)).fetchone()
(document_id,) = conn.execute("SELECT id FROM documents WHERE name = 'long'").fetchone()
print("ready", flush=True)
while not go.exists():
    pass
insert = (f"INSERT INTO codings (document_id, start_offset, end_offset, code_id, coder_id, memo, created) "
          f"VALUES ({mark}, {mark}, {mark}, 'contact', {mark}, '', '2026-01-01T00:00:00Z')")
for n in range(count):
    conn.execute(begin)
    conn.execute(insert, (document_id, n, n + 1, coder_id))
    conn.execute("COMMIT")
conn.close()
"""


def _project(folder: Path, database: str | None, per_writer: int) -> Path:
    store = Store.create(folder, "Team bench", database=database)
    add_document(store, name="long", text="x" * (per_writer + 1), kind=DocumentKind.TRANSCRIPT, actor="owner")
    add_code(store, Code(id="thema", name="Thema", dimension="succesfactoren"), "owner")
    add_code(store, Code(id="contact", name="Contact", parent_id="thema"), "owner")
    store.close()
    return folder


def _run(script: str, folder: Path, writers: int, per_writer: int, extra: list[str]) -> float:
    """Seconds from the start signal until every writer is done."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    go = folder / f"go-{time.monotonic_ns()}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(folder), f"coder{n}", str(per_writer), str(go), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        for n in range(writers)
    ]
    for process in processes:
        assert process.stdout is not None
        if process.stdout.readline() != b"ready\n":
            raise SystemExit(process.communicate()[1].decode()[-2000:])
    started = time.perf_counter()
    go.touch()
    for process in processes:
        _, err = process.communicate(timeout=3600)
        if process.returncode:
            raise SystemExit(err.decode()[-2000:])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-writer", type=int, default=300, help="codings each writer applies (default 300)")
    args = parser.parse_args()
    rows = []
    with pg_cluster.running(durable=True) as cluster, tempfile.TemporaryDirectory(prefix="teambench") as temp:
        for backend in ("SQLite", "PostgreSQL"):
            for writers in (1, 8):
                measured = {}
                for kind, script in (("workbench", WORKBENCH_WRITER), ("bare", BARE_WRITER)):
                    name = cluster.new_database() if backend == "PostgreSQL" else None
                    database = cluster.url(name) if name else None
                    folder = _project(Path(temp) / f"{backend}-{writers}-{kind}", database, args.per_writer)
                    bare_url = f"host={cluster.socket_dir} user={pg_cluster.SUPERUSER} dbname={name}" if name else "sqlite"
                    seconds = _run(script, folder, writers, args.per_writer, [bare_url] if kind == "bare" else [])
                    measured[kind] = writers * args.per_writer / seconds
                rows.append((backend, writers, measured["workbench"], measured["bare"]))
    print(f"{os.cpu_count()} cores, {args.per_writer} codings per writer, one transaction per coding, durable commits\n")
    print("| backend | writers | workbench codings/s | bare inserts/s (driver only) | ratio bare/workbench |")
    print("|---|---|---|---|---|")
    for backend, writers, workbench, bare in rows:
        print(f"| {backend} | {writers} | {workbench:,.0f} | {bare:,.0f} | {bare / workbench:.1f}× |")
    by = {(b, w): v for b, w, v, _ in rows}
    print(f"\nPostgreSQL / SQLite, workbench: 1 writer {by['PostgreSQL', 1] / by['SQLite', 1]:.2f}×, "
          f"8 writers {by['PostgreSQL', 8] / by['SQLite', 8]:.2f}×")


if __name__ == "__main__":
    main()
