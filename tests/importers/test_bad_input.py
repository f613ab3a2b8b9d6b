"""Every kind of bad input the import issue lists: one line naming the file and the problem, project unchanged."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import table_rows, zip_bytes
from workbench.core.batch import add_documents
from workbench.core.corpus import get_document
from workbench.core.store import Store
from workbench.errors import ImportError_
from workbench.importers import import_files
from workbench.importers._tabular import ColumnMapping, questionnaire_documents


def _sparse(path: Path, size: int) -> None:
    # A 200 MB file without writing 200 MB: the size check must refuse it before reading.
    with path.open("wb") as handle:
        handle.truncate(size)


BAD_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "corrupt.docx": (lambda p: p.write_bytes(os.urandom(4096)), "not a readable .docx file"),
    "zonder_document.docx": (lambda p: p.write_bytes(zip_bytes({"[Content_Types].xml": b"<Types/>"})), "not a readable .docx file"),
    "foto.txt": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(256)), "binary file, not text"),
    "leeg.txt": (lambda p: p.write_bytes(b""), "empty file, nothing to import"),
    "leeg.docx": (lambda p: p.write_bytes(b""), "empty file, nothing to import"),
    "verslag.pdf": (lambda p: p.write_bytes(b"%PDF-1.4\n"), "not a readable PDF file"),
    "verslag.pages": (lambda p: p.write_bytes(b"PK\x03\x04"), "cannot import .pages"),
    "zonder_extensie": (lambda p: p.write_bytes(b"tekst"), "cannot import files without an extension"),
    "corrupt.odt": (lambda p: p.write_bytes(os.urandom(2048)), ".odt"),
    "geen.rtf": (lambda p: p.write_bytes(b"gewone tekst, geen rtf"), "not an RTF file"),
    "leeg.vtt": (lambda p: p.write_bytes(b"WEBVTT\n\n"), "no subtitle cues found"),
    "groot.txt": (lambda p: _sparse(p, 200 * 1024 * 1024), "larger than the 50 MB limit"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_refused_in_one_line_and_the_project_is_unchanged(store: Store, tmp_path: Path, name: str) -> None:
    make, message = BAD_FILES[name]
    path = tmp_path / name
    make(path)
    before = table_rows(store)
    (outcome,) = import_files(store, [path], actor="junior")
    assert outcome.error is not None, f"{name} was imported"
    assert outcome.error.startswith(f"{path}: ") and message in outcome.error, outcome.error
    assert "\n" not in outcome.error
    assert table_rows(store) == before


def test_a_good_file_beside_bad_ones_is_imported_whole(store: Store, tmp_path: Path) -> None:
    good = tmp_path / "goed.txt"
    good.write_text("I: Wat helpt?\nR: Het team.\nI: En verder?\nR: De rust.\n", encoding="utf-8")
    bad = tmp_path / "corrupt.docx"
    bad.write_bytes(os.urandom(512))
    outcomes = import_files(store, [bad, good], actor="junior")
    assert [o.error is None for o in outcomes] == [False, True]
    assert [t.speaker for t in get_document(store, "goed").turns] == ["I", "R", "I", "R"]


def test_a_spreadsheet_without_the_mapped_column_is_refused_and_nothing_is_stored(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "vragenlijst.xlsx"
    pd.DataFrame({"Respondent": ["M01"], "Wat gaat goed?": ["Het team."]}).to_excel(path, index=False, engine="openpyxl")
    before = table_rows(store)
    with pytest.raises(ImportError_) as caught:
        answers = questionnaire_documents(path, ColumnMapping(id_column="Respondent", question_columns=("Wat gaat echt goed?",)))
        add_documents(store, answers, actor="junior", summary="x")
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "Wat gaat echt goed?" in message and "\n" not in message
    assert table_rows(store) == before
