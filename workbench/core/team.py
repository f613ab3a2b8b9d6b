"""Joining a team-server project: a folder of one's own that points at the project's database."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.core.database import is_project, server_file, write_server_file
from workbench.core.store import Store
from workbench.errors import StoreError


def connect_project(project_dir: Path, url: str) -> Store:
    """Make `project_dir` a folder for the existing server project at `url` and open it; leave nothing if it is not one."""
    project_dir = Path(project_dir)
    if is_project(project_dir):
        raise StoreError(f"{project_dir}: already a workbench project")
    if project_dir.exists() and not project_dir.is_dir():
        raise StoreError(f"{project_dir}: exists and is not a folder")
    made_folder = not project_dir.exists()
    try:
        project_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{project_dir}: cannot create folder ({exc.strerror})") from exc
    try:
        write_server_file(project_dir, url)
        return Store.open(project_dir)
    except BaseException:
        server_file(project_dir).unlink(missing_ok=True)
        if made_folder:
            shutil.rmtree(project_dir, ignore_errors=True)
        raise
