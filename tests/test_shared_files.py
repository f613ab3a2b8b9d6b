"""The shared folder's files: a missing reference file fails a test, a missing real-world file skips it with why."""

from __future__ import annotations

import pytest

from tests.shared_files import external, reference, shared_folder


def test_a_missing_reference_file_fails_the_test_naming_the_file() -> None:
    with pytest.raises(pytest.fail.Exception, match=r"refi-qda/NoSuchSchema\.xsd is missing"):
        reference("refi-qda/NoSuchSchema.xsd")


def test_a_missing_real_world_file_skips_the_test_saying_where_it_was_looked_for() -> None:
    with pytest.raises(pytest.skip.Exception, match="no-such-folder/missing.txt is not here") as skipped:
        external("no-such-folder/missing.txt")
    assert str(shared_folder() / "external" / "no-such-folder") in str(skipped.value)


def test_the_refi_qda_schemas_are_found_beside_the_repository_or_its_origin() -> None:
    assert reference("refi-qda/Project.xsd").read_bytes().startswith(b"<?xml")
