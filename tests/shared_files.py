"""The shared folder beside the repository (../shared), read in place and never copied here: real files from other
projects in external/ (see its MANIFEST.md) and the official REFI-QDA schemas in reference/refi-qda/."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Names the shared folder when it is neither beside this checkout nor beside the one it was cloned from.
SHARED_VARIABLE = "WORKBENCH_SHARED"


@cache
def shared_folder() -> Path:
    """../shared: from $WORKBENCH_SHARED, beside this checkout, or beside the local checkout this one was cloned from."""
    if os.environ.get(SHARED_VARIABLE):
        return Path(os.environ[SHARED_VARIABLE])
    beside = ROOT.parent / "shared"
    if beside.is_dir():
        return beside
    # A newcomer's `git clone /work/main /tmp/fresh` leaves ../shared behind; its origin still sits beside it.
    origin = _local_origin()
    if origin is not None and (origin.parent / "shared").is_dir():
        return origin.parent / "shared"
    return beside


def _local_origin() -> Path | None:
    try:
        url = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                             capture_output=True, text=True, check=False, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(url.removeprefix("file://"))
    return path.resolve() if url and path.is_dir() else None


def external(relative: str) -> Path:
    """The shared file at `relative` (e.g. "surveys/qualtrics_sample_3header.csv"); the test is skipped if it is absent."""
    path = shared_folder() / "external" / relative
    if not path.is_file():
        pytest.skip(reason=f"shared file {relative} is not here: the real files of other projects are read in place "
                           f"from {path.parent} (set {SHARED_VARIABLE} to the shared folder)")
    return path


def external_folder() -> Path:
    """The folder of shared real-world files; the test is skipped if this machine has none."""
    folder = shared_folder() / "external"
    if not folder.is_dir():
        pytest.skip(reason=f"the shared real-world files are read in place from {folder}, which is not here "
                           f"(set {SHARED_VARIABLE} to the shared folder)")
    return folder


def reference(relative: str) -> Path:
    """A file of ../shared/reference (e.g. "refi-qda/Project.xsd"); its absence fails the test, never skips it."""
    path = shared_folder() / "reference" / relative
    if not path.is_file():
        pytest.fail(f"{path} is missing: the reference files are read in place from the shared folder beside the "
                    f"repository, never copied into it (set {SHARED_VARIABLE} to the shared folder)")
    return path
