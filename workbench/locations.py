"""Where the user's projects, configuration and the shipped demo live; every path comes from here."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

PROJECT_FILE = "workbench.sqlite"
DEMO_NAME = "huis_van_herstel"
STARTER_NAME = "starter"


def shipped_data(*parts: str) -> Path:
    """A file or folder shipped inside the package (`corpora/`, `codebooks/`), in a checkout or an install."""
    root = resources.files("workbench")
    # Installed from a wheel or a checkout, the package is a folder on disk; the demo builder needs real paths.
    if not isinstance(root, Path):
        root = Path(str(root))
    return root.joinpath(*parts)


def shipped_corpora_dir() -> Path:
    """The read-only `corpora/` folder of demo sources shipped with the package."""
    return shipped_data("corpora")


def shipped_demo_dir(name: str = DEMO_NAME) -> Path:
    """The source files of a shipped demo project."""
    return shipped_corpora_dir() / name


def shipped_codebook(name: str = DEMO_NAME) -> Path:
    """A YAML codebook shipped with the package (`codebooks/<name>.yaml`)."""
    return shipped_data("codebooks", f"{name}.yaml")


def user_data_dir() -> Path:
    """Writable per-user folder (platformdirs: ~/.local/share/workbench on Linux); WORKBENCH_HOME overrides it."""
    override = os.environ.get("WORKBENCH_HOME")
    if override:
        return Path(override)
    return platformdirs.user_data_path("workbench", appauthor=False)


def user_demo_project_dir(name: str = DEMO_NAME) -> Path:
    """Where the demo project is built on first run, so the shipped copy stays clean."""
    return user_data_dir() / "projects" / name


def project_db_path(project_dir: Path) -> Path:
    """The SQLite file of a project folder."""
    return project_dir / PROJECT_FILE
