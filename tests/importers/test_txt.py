"""Plain-text import keeps the text exactly and refuses bad files without touching the project."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import table_rows
from workbench.core.corpus import get_document
from workbench.core.store import Store
from workbench.importers import import_files


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.txt", b"", "empty file, nothing to import"),
        ("spaties.txt", b"  \n\t\n", "empty file, nothing to import"),
        ("foto.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        ("verslag.pages", b"%PDF-1.4", "cannot import .pages"),
    ],
)
def test_bad_file_gets_one_line_and_the_project_is_unchanged(store: Store, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = table_rows(store)
    (outcome,) = import_files(store, [path], actor="junior")
    assert outcome.error is not None and outcome.error.startswith(f"{path}: ") and message in outcome.error
    assert "\n" not in outcome.error
    assert table_rows(store) == before


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1252", b""), ("latin-1", b"")],
)
def test_dutch_text_in_any_common_encoding_is_detected_without_help(store: Store, tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = "Één deelnemer zei: “Ik voel me hier gezien” — café, ruïne, geëvalueerd.\r\nTweede regel ’s avonds.\n"
    if encoding == "latin-1":  # latin-1 has no curly quotes; a C1 byte (0x81) marks it as not cp1252
        text = "Één deelnemer: ruïne, geëvalueerd, café.\x81\n"
    path = tmp_path / f"antwoord_{encoding}_{len(prefix)}.txt"
    path.write_bytes(prefix + text.encode(encoding))
    (outcome,) = import_files(store, [path], actor="junior")
    assert outcome.error is None
    assert get_document(store, path.stem).text == text


def test_reimporting_a_file_is_skipped_not_duplicated(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "antwoord.txt"
    path.write_text("Het team is stabiel.", encoding="utf-8")
    copy = tmp_path / "kopie.txt"
    copy.write_text("Het team is stabiel.", encoding="utf-8")
    first, again, same_text = import_files(store, [path, path, copy], actor="junior")
    assert first.document_id is not None
    assert again.skipped is not None and "already imported (a document with this name" in again.skipped
    assert same_text.skipped is not None and "the same text as 'antwoord'" in same_text.skipped
    assert again.error is None and same_text.error is None


def test_a_missing_file_is_named(store: Store, tmp_path: Path) -> None:
    (outcome,) = import_files(store, [tmp_path / "weg.txt"], actor="junior")
    assert outcome.error == f"{tmp_path / 'weg.txt'}: no such file"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1).filter(
        lambda t: t.strip() and not t.startswith("\ufeff")
    )
)
def test_any_unicode_text_survives_import_byte_for_byte(store: Store, tmp_path: Path, text: str) -> None:
    path = tmp_path / "random.txt"
    path.write_bytes(text.encode("utf-8"))
    (outcome,) = import_files(store, [path], actor="junior")
    if outcome.error is not None:
        assert "already imported" in outcome.error  # hypothesis repeats examples; re-import is refused by design
        return
    assert get_document(store, "random").text.encode("utf-8") == path.read_bytes()
    store.undo("junior")  # leave room for the next example's document of the same name
