"""A transcript and a questionnaire saved by the same program in the same encoding read the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import table_rows
from tests.shared_files import external
from workbench.core.corpus import get_document
from workbench.core.store import Store
from workbench.errors import ImportError_
from workbench.importers import import_files
from workbench.importers._tabular import ColumnMapping, questionnaire_documents

ANSWER = "Één deelnemer: ruïne, geëvalueerd, café."
#: One file per encoding a Dutch Windows, Mac or Excel user ends up with; latin-1 is marked by a byte cp1252 leaves undefined.
ENCODINGS = [
    ("utf-8", b"", ""), ("utf-8", b"\xef\xbb\xbf", ""), ("utf-16", b"", ""), ("utf-32", b"", ""), ("utf-32-be", b"\x00\x00\xfe\xff", ""),
    ("cp1252", b"", " “zo”"), ("latin-1", b"", "\x81"),
]


@pytest.mark.parametrize(
    ("encoding", "prefix", "extra"), ENCODINGS, ids=["utf-8", "utf-8-bom", "utf-16", "utf-32", "utf-32-be", "cp1252", "latin-1"]
)
def test_the_same_answer_reads_alike_from_a_text_file_and_a_csv_sheet(
    store: Store, tmp_path: Path, encoding: str, prefix: bytes, extra: str
) -> None:
    answer = ANSWER + extra
    text_file = tmp_path / "antwoord.txt"
    text_file.write_bytes(prefix + answer.encode(encoding))
    sheet = tmp_path / "vragenlijst.csv"
    sheet.write_bytes(prefix + f"Respondent;Vraag\r\nR01;{answer}\r\n".encode(encoding))

    (outcome,) = import_files(store, [text_file], actor="junior")
    (document,) = questionnaire_documents(sheet, ColumnMapping(id_column="Respondent"))

    assert outcome.error is None
    assert get_document(store, "antwoord").text == answer == document.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not"),
        (b"\xff\xfe" + "Één antwoord".encode("utf-16-le") + b"\x00\xd8", "damaged UTF-16 text (byte 0x00 at offset 26)"),
        (b"\xef\xbb\xbf" + "Één antwoord".encode("utf-8") + b"\xff", "damaged UTF-8 text (byte 0xff at offset 17)"),
        ("  \r\n\t".encode("utf-16"), "empty file, nothing to import"),
        (b"\xff\xfe\x00\x00" + "Één".encode("utf-32-le") + b"\x00\x00\x11\x00", "damaged UTF-32 text (byte 0x00 at offset 16)"),
    ],
    ids=["binary", "damaged-utf-16", "damaged-utf-8-after-bom", "blank-utf-16", "damaged-utf-32"],
)
def test_an_undecodable_file_gets_the_same_line_as_a_transcript_or_a_sheet(store: Store, tmp_path: Path, data: bytes, message: str) -> None:
    text_file = tmp_path / "kapot.txt"
    text_file.write_bytes(data)
    sheet = tmp_path / "kapot.csv"
    sheet.write_bytes(data)
    before = table_rows(store)

    (outcome,) = import_files(store, [text_file], actor="junior")
    with pytest.raises(ImportError_) as refused:
        questionnaire_documents(sheet, ColumnMapping(id_column="Respondent"))

    assert outcome.error is not None and outcome.error.startswith(f"{text_file}: {message}")
    assert str(refused.value).startswith(f"{sheet}: {message}")
    assert table_rows(store) == before


def test_a_utf32_subtitle_file_from_another_project_reads_as_text(store: Store) -> None:
    path = external("subtitles/pysrt_bom-utf-32-be.srt")
    (outcome,) = import_files(store, [path], actor="junior")
    assert outcome.error is None, outcome.error
    text = get_document(store, path.stem).text
    assert text.startswith("[00:00:") and "\x00" not in text and "\ufeff" not in text
    assert "About 2 months ago I found myself on the comment section of YouTube" in text
    utf16 = external("subtitles/pysrt_bom-utf-16-le.srt")
    (same,) = import_files(store, [utf16], actor="junior")
    # The same subtitles saved as UTF-16 read as the very same text, so they are already imported.
    assert same.skipped == f"{utf16}: already imported (the same text as {path.stem!r} is in the project)"
