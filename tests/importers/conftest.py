"""Fixtures of the importer tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared_files import external_folder


@pytest.fixture
def external_dir() -> Path:
    """The shared real-world files (../shared/external), or a skip when this machine has none."""
    return external_folder()
