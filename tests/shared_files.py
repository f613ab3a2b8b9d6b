"""Real-world files from other projects in ../shared/external/ (see its MANIFEST.md): read in place, never copied here."""

from __future__ import annotations

from pathlib import Path

import pytest

#: The shared folder sits beside the repository (in a worktree, a CI clone and the main checkout alike).
EXTERNAL = Path(__file__).resolve().parents[1].parent / "shared" / "external"


def external(relative: str) -> Path:
    """The shared file at `relative` (e.g. "surveys/qualtrics_sample_3header.csv"); the test is skipped if it is absent."""
    path = EXTERNAL / relative
    if not path.is_file():
        pytest.skip(f"shared file {relative} is not here (expected in {EXTERNAL})")
    return path
