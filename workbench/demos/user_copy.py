"""The user's writable copy of the Huis van Herstel demo, built from the shipped sources on first use."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.locations import project_db_path, shipped_demo_dir, user_demo_project_dir


def ensure_user_demo() -> Path:
    """The user's writable copy of the Huis van Herstel demo, built from corpora/ on first use."""
    from workbench.demos.huis_van_herstel import build_huis_van_herstel

    target = user_demo_project_dir()
    if project_db_path(target).exists():
        return target
    source = shipped_demo_dir()
    if not source.is_dir():
        raise WorkbenchError(f"{source}: the shipped demo is missing; run workbench from a source checkout")
    # Build beside the target and rename, so an interrupted first run never leaves a half-built demo.
    building = target.with_name(f"{target.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    build_huis_van_herstel(source, building).close()
    try:
        building.rename(target)
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
        if not project_db_path(target).exists():
            raise
    return target
