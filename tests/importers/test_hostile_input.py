"""Files made to hurt (issue 15): each is refused in one line naming it, in bounded memory, the project unchanged.

Every hostile file is generated here, small on disk (a zip bomb is a few hundred KB). The bombs run in a fresh
interpreter whose address space is capped, so a reader that unpacks or pads what it should refuse fails the
test with a MemoryError instead of slowing the machine down.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from tests.conftest import run_cli, table_rows
from workbench.core.corpus import get_document
from workbench.core.store import Store
from workbench.importers import archive_limits

#: The address space a bomb may use: the interpreter with pandas, openpyxl and python-docx loaded fits well within it.
MEMORY_LIMIT = 1536 * 1024**2

_ODF = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'


def _refused_in_one_line(result: subprocess.CompletedProcess[bytes], path: Path, *words: str) -> str:
    """The one stderr line of a failed command: it names the file and says why, and is no traceback."""
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"workbench: {path}: "), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _run_with_memory_limit(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """`workbench ARGS` in a fresh interpreter that cannot map more than MEMORY_LIMIT bytes."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))\n"
        "from workbench.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, timeout=180,
                          stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})


def _odt(body: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", f"<office:document-content {_ODF}><office:body><office:text>{body}"
                                        "</office:text></office:body></office:document-content>")
    return buffer.getvalue()


def _docx_members(text: str = "Interviewer: Hoe gaat het?") -> dict[str, bytes]:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_zip(path: Path, members: dict[str, bytes], *, large: str | None = None, large_bytes: int = 0,
               pattern: bytes = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>", around: tuple[bytes, bytes] = (b"", b"")) -> None:
    """A zip of `members`; `large` is streamed in (`large_bytes` of `pattern` between `around`) so the test never holds it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name != large:
                archive.writestr(name, data)
        if large is not None:
            chunk = pattern * (2**20 // len(pattern))
            with archive.open(large, "w", force_zip64=True) as member:
                member.write(around[0])
                for _ in range(large_bytes // len(chunk)):
                    member.write(chunk)
                member.write(around[1])


def _claim_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with `name`'s unpacked size in the central directory replaced by `size`: a directory that lies."""
    position = data.index(b"PK\x01\x02")
    while position >= 0:
        name_length = struct.unpack("<H", data[position + 28:position + 30])[0]
        if data[position + 46:position + 46 + name_length] == name.encode():
            return data[:position + 24] + struct.pack("<L", size) + data[position + 28:]
        position = data.find(b"PK\x01\x02", position + 4)
    raise AssertionError(f"{name} not in the zip")


# -- recursion -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nesting", ["spans", "lists"])
def test_an_odt_nested_a_hundred_thousand_deep_is_refused_in_one_line(store: Store, tmp_path: Path, nesting: str) -> None:
    depth = 100_000
    if nesting == "spans":
        body = "<text:p>" + "<text:span>" * depth + "diep" + "</text:span>" * depth + "</text:p>"
    else:
        body = "<text:list><text:list-item>" * depth + "<text:p>diep</text:p>" + "</text:list-item></text:list>" * depth
    path = tmp_path / f"{nesting}.odt"
    path.write_bytes(_odt(body))
    before = table_rows(store)
    result = run_cli("import", store.project_dir, path, check=False)
    _refused_in_one_line(result, path, "nests elements more than 100 levels deep")
    assert table_rows(store) == before


def test_an_odt_with_ordinary_nesting_still_imports(store: Store, tmp_path: Path) -> None:
    body = "<text:list><text:list-item>" * 12 + "<text:p><text:span><text:span>Diep genoeg</text:span></text:span></text:p>"
    body += "</text:list-item></text:list>" * 12
    path = tmp_path / "lijsten.odt"
    path.write_bytes(_odt(body))
    run_cli("import", store.project_dir, path)
    assert get_document(store, "lijsten").text == "Diep genoeg"


def test_a_docx_nested_past_lxmls_limit_is_refused_in_one_line_and_one_just_within_it_imports(store: Store, tmp_path: Path) -> None:
    members = _docx_members("placeholder")
    xml = members["word/document.xml"].decode()
    deep, fine = tmp_path / "diep.docx", tmp_path / "links.docx"
    _write_zip(deep, {**members, "word/document.xml": xml.replace("<w:p>", "<w:sdt><w:sdtContent>" * 200 + "<w:p>", 1)
               .replace("</w:p>", "</w:p>" + "</w:sdtContent></w:sdt>" * 200, 1).encode()})
    _write_zip(fine, {**members, "word/document.xml": xml.replace("<w:r>", "<w:hyperlink>" * 240 + "<w:r>", 1)
               .replace("</w:r>", "</w:r>" + "</w:hyperlink>" * 240, 1).encode()})
    before = table_rows(store)
    _refused_in_one_line(run_cli("import", store.project_dir, deep, check=False), deep, "nested more than 256 levels deep")
    assert table_rows(store) == before
    run_cli("import", store.project_dir, fine)
    assert get_document(store, "links").text == "placeholder"


def test_an_rtf_with_an_out_of_range_unicode_escape_is_refused_in_one_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "groot_getal.rtf"
    path.write_bytes(b"{\\rtf1\\ansi Interviewer: hallo \\u99999999999? wereld\\par}")
    before = table_rows(store)
    _refused_in_one_line(run_cli("import", store.project_dir, path, check=False), path, "not a readable RTF file", "OverflowError")
    assert table_rows(store) == before


# -- reads bounded by what is read ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nul.txt", "nul.docx", "nul.rtf", "nul.odt", "nul.vtt", "nul.pdf", "nul.csv", "nul.xlsx"])
def test_a_link_to_dev_zero_is_refused_without_reading_it(store: Store, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.symlink_to("/dev/zero")
    before = table_rows(store)
    result = _run_with_memory_limit("import", store.project_dir, path)
    _refused_in_one_line(result, path, "not a regular file")
    assert table_rows(store) == before


def test_a_named_pipe_is_refused_instead_of_waiting_for_a_writer(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "pijp.txt"
    os.mkfifo(path)
    _refused_in_one_line(run_cli("import", store.project_dir, path, check=False), path, "not a regular file")


# -- zip bombs --------------------------------------------------------------------------------------------


def test_a_docx_whose_document_unpacks_to_300_mb_is_refused_before_it_is_unpacked(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bom.docx"
    members = _docx_members()
    xml = members["word/document.xml"]
    # well-formed: a reader that trusted it would parse 300 MB of paragraphs (7.5 GB of memory for 380 MB)
    around = (xml[:xml.index(b"<w:body>") + len(b"<w:body>")], b"</w:body></w:document>")
    _write_zip(path, members, large="word/document.xml", large_bytes=300 * 1024**2, around=around)
    assert path.stat().st_size < 2 * 1024**2, "a bomb, small on disk"
    before = table_rows(store)
    result = _run_with_memory_limit("import", store.project_dir, path)
    _refused_in_one_line(result, path, "word/document.xml", "MB")
    assert table_rows(store) == before


@pytest.mark.parametrize(("name", "member"), [("stijlen.docx", "word/styles.xml"), ("manifest.odt", "META-INF/manifest.xml"),
                                              ("stijlen.xlsx", "xl/styles.xml")])
def test_an_office_file_whose_directory_claims_a_2_gb_part_is_refused_before_reading(store: Store, tmp_path: Path,
                                                                                      name: str, member: str) -> None:
    if name.endswith(".docx"):
        members = _docx_members()
    elif name.endswith(".odt"):
        with zipfile.ZipFile(io.BytesIO(_odt("<text:p>Hallo</text:p>"))) as odt:
            members = {n: odt.read(n) for n in odt.namelist()} | {"META-INF/manifest.xml": b"<manifest/>"}
    else:
        workbook = Workbook()
        workbook.active.append(["Respondent", "Vraag"])
        workbook.active.append(["R1", "Ja"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        with zipfile.ZipFile(buffer) as xlsx:
            members = {n: xlsx.read(n) for n in xlsx.namelist()}
    packed = tmp_path / "packed.zip"
    _write_zip(packed, members)
    path = tmp_path / name
    path.write_bytes(_claim_size(packed.read_bytes(), member, 2 * 1024**3))
    before = table_rows(store)
    _refused_in_one_line(run_cli("import", store.project_dir, path, check=False), path, member, "2048 MB")
    assert table_rows(store) == before


def test_an_odt_whose_manifest_unpacks_to_200_mb_is_refused_in_bounded_memory(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "manifest_bom.odt"
    with zipfile.ZipFile(io.BytesIO(_odt("<text:p>Hallo</text:p>"))) as odt:
        members = {n: odt.read(n) for n in odt.namelist()}
    _write_zip(path, members, large="META-INF/manifest.xml", large_bytes=200 * 1024**2, pattern=b"<manifest:file-entry/>")
    result = _run_with_memory_limit("import", store.project_dir, path)
    _refused_in_one_line(result, path, "META-INF/manifest.xml")


def test_a_packed_member_with_a_thousandfold_ratio_is_refused_even_within_the_size_limit(tmp_path: Path,
                                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.errors import ImportError_
    from workbench.importers import read_document

    monkeypatch.setattr(archive_limits, "MAX_MEMBER_BYTES", 10**12)
    path = tmp_path / "dicht.docx"
    _write_zip(path, _docx_members(), large="word/document.xml", large_bytes=40 * 1024**2, pattern=b" ")
    with pytest.raises(ImportError_, match="times larger than it is packed"):
        read_document(path, None)


# -- spreadsheets ----------------------------------------------------------------------------------------


def test_an_xlsx_with_a_cell_at_column_xfd_in_every_row_is_refused_in_bounded_memory(store: Store, tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "Antwoorden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as xlsx:
        members = {n: xlsx.read(n) for n in xlsx.namelist()}
    # 20,000 rows, each with a stray cell at XFD: openpyxl's own reading pads every row to 16,384 cells (5 GB).
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>R{n}</t></is></c>'
                   f'<c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(2, 20_002))
    members["xl/worksheets/sheet1.xml"] = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Respondent</t></is></c></row>' + rows + "</sheetData></worksheet>"
    ).encode()
    path = tmp_path / "breed.xlsx"
    _write_zip(path, members)
    assert path.stat().st_size < 2 * 1024**2
    before = table_rows(store)
    result = _run_with_memory_limit("import", store.project_dir, path)
    _refused_in_one_line(result, path, "cell XFD2", "4096-column limit")
    assert table_rows(store) == before


def test_a_csv_of_a_million_rows_is_refused_while_streaming_in_bounded_memory(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "miljoen.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Respondent,Wat gaat goed?\n")
        handle.writelines(f"R{number},Het team\n" for number in range(1_000_000))
    before = table_rows(store)
    result = _run_with_memory_limit("import", store.project_dir, path)
    _refused_in_one_line(result, path, "more than 50,000 rows")
    assert table_rows(store) == before


def test_an_xlsx_whose_first_sheet_is_missing_is_refused_rather_than_importing_the_second(store: Store, tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "Vragenlijst"
    workbook.active.append(["Respondent", "Vraag"])
    workbook.active.append(["R1", "Het team"])
    other = workbook.create_sheet("Oud")
    other.append(["Respondent", "Vraag"])
    other.append(["R9", "Iets anders"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as xlsx:
        members = {n: xlsx.read(n) for n in xlsx.namelist() if n != "xl/worksheets/sheet1.xml"}
    path = tmp_path / "beschadigd.xlsx"
    _write_zip(path, members)
    before = table_rows(store)
    _refused_in_one_line(run_cli("import", store.project_dir, path, check=False), path, "'Vragenlijst'", "'Oud'", "missing")
    assert table_rows(store) == before
    # the sheet that is there can still be asked for by name
    run_cli("import", store.project_dir, path, "--sheet", "Oud")


# -- no text dropped without a word -----------------------------------------------------------------------


def test_a_vtt_with_broken_timestamps_is_refused_with_the_line_instead_of_dropping_cues(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "kapot.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Hoe gaat het?\n\n"
        "00:00:O5.000 --> 00:00:08.000\n<v Deelnemer>Goed.\n\n"
        "00:00:09.000 -> 00:00:12.000\n<v Interviewer>En verder?\n\n"
        "00:00:13 --> 00:00:15\n<v Deelnemer>Ook goed.\n",
        encoding="utf-8",
    )
    before = table_rows(store)
    _refused_in_one_line(run_cli("import", store.project_dir, path, check=False), path, "line 6:", "cannot read the cue timing")
    assert table_rows(store) == before


def test_an_srt_cue_whose_timing_line_is_garbled_is_refused_with_its_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "pijl.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:04,000\nHallo.\n\n2\n00:00:05,000 - 00:00:08,000\nDaag.\n", encoding="utf-8")
    _refused_in_one_line(run_cli("import", store.project_dir, path, check=False), path, "line 6:", "cannot read the cue timing")


def test_a_line_outside_any_cue_is_refused_with_its_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "los.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHallo.\n\nDaag, zonder tijd.\n", encoding="utf-8")
    _refused_in_one_line(run_cli("import", store.project_dir, path, check=False), path, "line 6:", "text outside any cue")


def test_timestamps_without_milliseconds_are_read_and_every_cue_kept(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "seconden.vtt"
    path.write_text("WEBVTT\nKind: captions\n\nNOTE door de dienst\n\n00:00:01 --> 00:00:04\n<v Interviewer>Hoe gaat het?\n\n"
                    "c2\n00:00:05 --> 00:00:08\n<v Deelnemer>Goed.\n", encoding="utf-8")
    run_cli("import", store.project_dir, path)
    assert get_document(store, "seconden").text == "[00:00:01] Interviewer: Hoe gaat het?\n[00:00:05] Deelnemer: Goed."


def test_docx_text_after_an_unresolved_entity_reference_is_kept(store: Store, tmp_path: Path) -> None:
    members = _docx_members("placeholder")
    xml = members["word/document.xml"].decode()
    xml = xml[xml.index("?>") + 2:]  # the declaration says standalone; ours comes with a DOCTYPE
    xml = ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY ext SYSTEM "file:///etc/hostname">]>'
           + xml.replace(">placeholder<", ">Interviewer: voor &ext; na de entiteit<"))
    path = tmp_path / "entiteit.docx"
    _write_zip(path, {**members, "word/document.xml": xml.encode()})
    run_cli("import", store.project_dir, path)
    text = get_document(store, "entiteit").text
    assert text == "Interviewer: voor &ext; na de entiteit"
    assert open("/etc/hostname", encoding="utf-8").read().strip() not in text.replace("&ext;", "")


# -- a batch goes on after a file that fails -------------------------------------------------------------


def test_a_batch_goes_on_past_a_file_that_crashes_its_reader_and_reports_every_file(store: Store, tmp_path: Path,
                                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.importers as importers

    first, crashing, last, empty = (tmp_path / f"{name}.txt" for name in ("eerste", "crasht", "laatste", "leeg"))
    first.write_text("I: Hoe gaat het?\nR: Goed.\n", encoding="utf-8")
    crashing.write_text("I: Dit bestand laat de lezer vallen.\n", encoding="utf-8")
    last.write_text("I: En nu?\nR: Nog steeds goed.\n", encoding="utf-8")
    empty.write_bytes(b"")
    real = importers.read_document

    def read(path: Path, *args: object, **kwargs: object) -> importers.ImportedDocument:
        if path == crashing:
            raise RecursionError("maximum recursion depth exceeded")  # as a reader without a depth limit did
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importers, "read_document", read)
    result = run_cli("import", store.project_dir, first, crashing, last, empty, check=False)
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 1
    assert "Traceback" not in err
    assert err.splitlines() == [
        f"workbench: {crashing}: not imported (unexpected RecursionError while reading it; the file may be damaged)",
        f"workbench: {empty}: empty file, nothing to import",
    ]
    assert f"imported {first}" in out and f"imported {last}" in out and "2 imported, 0 skipped, 2 failed" in out
    assert get_document(store, "laatste").text.startswith("I: En nu?")


@pytest.mark.parametrize(("repeat", "message"), [('table:number-columns-repeated="100000000"', "4096-column limit"),
                                                  ('table:number-rows-repeated="100000000"', "more than 50,000 rows")])
def test_an_ods_repeating_a_filled_cell_or_row_a_hundred_million_times_is_refused_in_bounded_memory(
        store: Store, tmp_path: Path, repeat: str, message: str) -> None:
    ods = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    cell = '<table:table-cell office:value-type="string"{}><text:p>{}</text:p></table:table-cell>'
    row_repeat, cell_repeat = (repeat, "") if "rows" in repeat else ("", repeat)
    content = (f"<office:document-content {ods}><office:body><office:spreadsheet><table:table table:name=\"Blad1\">"
               f"<table:table-row>{cell.format('', 'Respondent')}</table:table-row>"
               f"<table:table-row {row_repeat}>{cell.format(' ' + cell_repeat, 'Ja')}</table:table-row>"
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    path = tmp_path / "herhaald.ods"
    _write_zip(path, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": content.encode(),
                      "META-INF/manifest.xml": b"<manifest/>"})
    before = table_rows(store)
    _refused_in_one_line(_run_with_memory_limit("import", store.project_dir, path), path, message)
    assert table_rows(store) == before
