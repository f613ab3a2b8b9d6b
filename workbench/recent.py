"""The user's recently opened projects, for the start screen (a small JSON file in the user data folder)."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.locations import project_db_path, user_data_dir

LIMIT = 12


def _file() -> Path:
    return user_data_dir() / "recent.json"


def recent_projects() -> list[Path]:
    """Recently opened project folders that still exist, newest first; an unreadable list is ignored."""
    try:
        entries = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    paths = [Path(e) for e in entries if isinstance(e, str)]
    return [p for p in paths if project_db_path(p).is_file()]


def remember_project(project_dir: Path) -> None:
    """Put a project at the top of the recent list; failing to write it never stops the user."""
    resolved = project_dir.resolve()
    entries = [str(resolved)] + [str(p) for p in recent_projects() if p.resolve() != resolved]
    from workbench.core.files import WriteError, write_atomically

    text = json.dumps(entries[:LIMIT], indent=1)
    try:
        _file().parent.mkdir(parents=True, exist_ok=True)
        # Whole or not at all: a crash mid-write must not leave a list that reads as empty.
        write_atomically(_file(), lambda temp: temp.write_text(text, encoding="utf-8"), "the recent projects", replace=True)
    except (OSError, WriteError):
        pass
