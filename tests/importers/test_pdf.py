"""A researcher imports interview transcripts kept as PDF: the text layer, with the pages still findable."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader as PypdfReader
from pypdf import PdfWriter

from tests.conftest import run_cli, run_cli_subprocess, table_rows
from tests.importers.pdf_fixture import pdf_bytes
from workbench.core.codings import add_coding
from workbench.core.corpus import get_document
from workbench.core.pages import page_at
from workbench.core.quotes import quote_rows
from workbench.core.store import Store
from workbench.importers import import_files

PAGE_1 = ["Interview 3, Zwolle", "I: Wat helpt jou hier?", "R: Het contact met het personeel."]
PAGE_2 = ["I: En wat kan beter?", "R: Meer tijd voor overleg (vooral 's avonds)."]


def test_researcher_imports_a_pdf_transcript_with_its_page_starts_and_speaker_turns(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "interview_03.pdf"
    path.write_bytes(pdf_bytes([PAGE_1, PAGE_2]))

    (outcome,) = import_files(store, [path], actor="junior")

    assert outcome.error is None, outcome.error
    document = get_document(store, "interview_03")
    assert document.text == "\n".join(PAGE_1) + "\n\n" + "\n".join(PAGE_2)
    second = document.text.index("I: En wat kan beter?")
    assert dict(document.attributes) == {"pages": "2", "page_starts": f"0,{second}"}
    assert [page_at(document.attributes, offset) for offset in (0, second - 1, second, len(document.text))] == [1, 1, 2, 2]
    assert [t.speaker for t in document.turns] == ["I", "R", "I", "R"]


def test_a_scanned_pdf_without_a_text_layer_is_refused_saying_so(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes([[], []]))
    before = table_rows(store)
    (outcome,) = import_files(store, [path], actor="junior")
    assert outcome.error == f"{path}: the PDF has no text layer (scanned?); run OCR on it first, e.g. with ocrmypdf"
    assert table_rows(store) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Dit is geen PDF maar tekst.", "not a PDF file (it does not start with %PDF)"),
        (b"%PDF-1.4\n" + bytes(range(256)) * 8, "not a readable PDF file"),
        (pdf_bytes([PAGE_1])[:200], "not a readable PDF file"),
    ],
    ids=["text-named-pdf", "garbage-after-header", "truncated"],
)
def test_a_damaged_pdf_gets_one_line_and_the_project_is_unchanged(store: Store, tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "kapot.pdf"
    path.write_bytes(data)
    before = table_rows(store)
    (outcome,) = import_files(store, [path], actor="junior")
    assert outcome.error == f"{path}: {message}"
    assert table_rows(store) == before


def test_pdf_import_from_the_command_line_prints_no_library_warnings(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    path = tmp_path / "verslag.pdf"
    # A wrong startxref pointer, as many real PDFs have: pypdf repairs it and would say so on standard error.
    path.write_bytes(pdf_bytes([PAGE_1]).replace(b"startxref\n", b"startxref\n1"))
    result = run_cli_subprocess("import", project, path)  # a process of its own: pytest captures log records in-process
    assert result.stdout.decode() == f"imported {path} (document #1)\n"
    assert result.stderr == b""


def test_a_quote_from_a_pdf_says_on_which_page_it_stands(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "interview_04.pdf"
    path.write_bytes(pdf_bytes([PAGE_1, PAGE_2]))
    import_files(store, [path], actor="junior")
    text = get_document(store, "interview_04").text
    start = text.index("Meer tijd voor overleg")
    add_coding(store, document="interview_04", start=start, end=start + 22, code_id="contact", coder="junior")
    add_coding(store, document="interview_01", start=0, end=5, code_id="contact", coder="junior")

    rows = {row["document"]: row for row in quote_rows(store)}

    assert (rows["interview_04"]["page"], rows["interview_04"]["text"]) == ("2", "Meer tijd voor overleg")
    assert rows["interview_01"]["page"] == ""  # not a paginated document
    assert "page_starts" not in rows["interview_04"] and "pages" not in rows["interview_04"]


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PypdfReader(io.BytesIO(pdf_bytes([PAGE_1]))))
    writer.encrypt(user_password=user_password, owner_password="eigenaar")  # noqa: S106 - a test file's password
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_that_opens_without_a_password_is_read_and_one_that_needs_it_is_refused(store: Store, tmp_path: Path) -> None:
    # Many PDFs are "encrypted" only against editing; they open without a password, and so does their text.
    open_copy, locked = tmp_path / "beveiligd.pdf", tmp_path / "op_slot.pdf"
    open_copy.write_bytes(_encrypted(""))
    locked.write_bytes(_encrypted("geheim"))
    readable, refused = import_files(store, [open_copy, locked], actor="junior")
    assert readable.error is None and get_document(store, "beveiligd").text == "\n".join(PAGE_1)
    assert refused.error == f"{locked}: the PDF is password-protected; save an unprotected copy first"
