"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl in a temporary folder, a Unix socket only.

Nothing is listened to on the network (listen_addresses is empty); the cluster and its folder go when `stop` runs.
As root (CI containers), the server runs as the `postgres` user the distribution's package created, since
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

#: Where Debian's packages put the server programs; PATH is tried first.
_DEBIAN_BIN = Path("/usr/lib/postgresql")
SUPERUSER = "wbadmin"


def server_bin(program: str) -> Path | None:
    """A PostgreSQL server program (initdb, pg_ctl, postgres), or None when PostgreSQL is not installed."""
    found = shutil.which(program)
    if found:
        return Path(found)
    if _DEBIAN_BIN.is_dir():
        for version in sorted(_DEBIAN_BIN.iterdir(), reverse=True):
            candidate = version / "bin" / program
            if candidate.is_file():
                return candidate
    return None


def available() -> bool:
    """Whether a cluster can be started here."""
    return server_bin("initdb") is not None and server_bin("pg_ctl") is not None


@dataclass
class Cluster:
    """A running cluster: its socket folder, and URLs for new databases in it."""

    folder: Path
    socket_dir: Path
    _run_as: str | None

    def url(self, database: str, user: str = SUPERUSER) -> str:
        """A workbench URL (postgresql://…) for `database` on this cluster's socket."""
        return f"postgresql://{user}@/{database}?host={self.socket_dir}"

    def admin(self, database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        """A superuser connection in autocommit mode (CREATE DATABASE cannot run in a transaction)."""
        return psycopg.connect(host=str(self.socket_dir), user=SUPERUSER, dbname=database, autocommit=True)

    def new_database(self, prefix: str = "wb") -> str:
        """Create an empty database; return its name."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def stop(self) -> None:
        """Stop the server at once and remove its folder."""
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run([str(server_bin("pg_ctl")), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, argv: list[str]) -> None:
        _run(argv, self._run_as)


def _run(argv: list[str], run_as: str | None) -> None:
    if run_as is not None:
        argv = ["runuser", "-u", run_as, "--", *argv]
    subprocess.run(argv, check=True, capture_output=True, timeout=120)


def start(*, durable: bool = False) -> Cluster:
    """Start a new cluster in a temporary folder (short, so the socket path fits the 107-byte limit).

    Tests run with fsync off (a throwaway cluster need not survive a power cut); `durable` keeps PostgreSQL's
    default, so a benchmark compares it fairly with SQLite's synchronous=FULL.
    """
    initdb, pg_ctl = server_bin("initdb"), server_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="wbpg"))
    run_as = None
    if os.geteuid() == 0:
        run_as = "postgres"
        user = pwd.getpwnam(run_as)
        folder.chmod(0o755)
        os.chown(folder, user.pw_uid, user.pw_gid)
    data, socket_dir = folder / "data", folder
    # trust on the socket: tests connect as many roles; what is tested is the roles' rights, not their passwords.
    _run([str(initdb), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], run_as)
    options = f"-c listen_addresses='' -c unix_socket_directories={socket_dir} -c max_connections=200"
    if not durable:
        options += " -c fsync=off"
    _run([str(pg_ctl), "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start"], run_as)
    return Cluster(folder, socket_dir, run_as)


@contextlib.contextmanager
def running(*, durable: bool = False) -> Iterator[Cluster]:
    """A cluster for the duration of the block."""
    cluster = start(durable=durable)
    try:
        yield cluster
    finally:
        cluster.stop()
