"""Join a team's project on a PostgreSQL server: a new folder that names the server's database, checked before it is kept."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.core.database import is_project, server_file, server_location, write_server_file
from workbench.core.store import Store, open_or_explain
from workbench.errors import StoreError, WorkbenchError


def connect_project(project_dir: Path, url: str) -> Store:
    """Make `project_dir` a folder of the existing project in the database at `url`; return that project, open.

    The folder is kept only when the database holds a workbench project this workbench can open: an empty database,
    one that cannot be reached or one of another program leaves nothing behind.
    """
    project_dir = Path(project_dir)
    # A URL that is not PostgreSQL's or carries a password is refused before anything is written.
    server_location(url)
    if is_project(project_dir):
        raise StoreError(f"{project_dir}: already a workbench project")
    if project_dir.exists() and not project_dir.is_dir():
        raise StoreError(f"{project_dir}: exists and is not a folder")
    created = not project_dir.exists()
    try:
        project_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{project_dir}: cannot create folder ({exc.strerror})") from exc
    try:
        write_server_file(project_dir, url)
        return open_or_explain(project_dir, backup=False)
    except BaseException as exc:
        server_file(project_dir).unlink(missing_ok=True)
        if created:
            shutil.rmtree(project_dir, ignore_errors=True)
        if isinstance(exc, WorkbenchError):
            raise StoreError(f"{exc}; {project_dir} not connected") from exc
        raise
