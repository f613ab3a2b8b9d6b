"""Where the user's projects, configuration and the shipped demo live; every path comes from here."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_FILE = "workbench.sqlite"
DEMO_NAME = "huis_van_herstel"
STARTER_NAME = "starter"


def package_root() -> Path:
    """The checkout or install folder that holds `workbench/`, `corpora/` and `codebooks/`."""
    return Path(__file__).resolve().parent.parent


def shipped_corpora_dir() -> Path:
    """The read-only `corpora/` folder shipped with the source."""
    return package_root() / "corpora"


def shipped_demo_dir(name: str = DEMO_NAME) -> Path:
    """The source files of a shipped demo project."""
    return shipped_corpora_dir() / name


def user_data_dir() -> Path:
    """Writable per-user folder; WORKBENCH_HOME overrides it (tests, portable installs)."""
    override = os.environ.get("WORKBENCH_HOME")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "workbench"


def user_demo_project_dir(name: str = DEMO_NAME) -> Path:
    """Where the demo project is built on first run, so the shipped copy stays clean."""
    return user_data_dir() / "projects" / name


def project_db_path(project_dir: Path) -> Path:
    """The SQLite file of a project folder."""
    return project_dir / PROJECT_FILE
