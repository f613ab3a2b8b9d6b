"""Fuzzing every importer and the codebook loaders (issue 15): whatever the bytes, nothing escapes but a WorkbenchError.

Each reader gets arbitrary bytes under its file ending and valid files with bytes overwritten, inserted or cut
off; zip formats get their XML mutated and packed again, so the damage reaches the parser instead of stopping
at the zip's checksum. A WorkbenchError is the expected answer to most; anything else (a RecursionError, an
OverflowError, a KeyError from a parser's insides) fails the test with the input that caused it.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.importers.pdf_fixture import pdf_bytes
from workbench.core.codebook.qdc import codebook_to_qdc, read_qdc
from workbench.core.codebook.tree import Codebook
from workbench.core.codebook.yaml_file import parse_codebook
from workbench.core.model import Code
from workbench.errors import WorkbenchError
from workbench.importers import read_document
from workbench.importers._tabular import ColumnMapping, read_questionnaire

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Edits to a valid file: (position, bytes written there, bytes removed there); positions wrap around the file.
EDITS = st.lists(st.tuples(st.integers(0, 2**20), st.binary(max_size=12), st.integers(0, 12)), min_size=1, max_size=6)


def _mutate(data: bytes, edits: list[tuple[int, bytes, int]], cut: int | None = None) -> bytes:
    for position, inserted, removed in edits:
        at = position % (len(data) + 1)
        data = data[:at] + inserted + data[at + removed:]
    return data[:cut] if cut is not None else data


def _only_workbench_errors(call: Callable[[], object]) -> None:
    """Run `call`; a WorkbenchError (one line) is a fine answer, any other exception fails the test."""
    try:
        call()
    except WorkbenchError as exc:
        assert "\n" not in str(exc), str(exc)


def _read(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        _only_workbench_errors(lambda: read_document(path, None))


def _questionnaire(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        _only_workbench_errors(lambda: read_questionnaire(path, ColumnMapping()))


def _rezip(members: dict[str, bytes], name: str, edits: list[tuple[int, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, _mutate(data, edits) if member == name else data)
    return buffer.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Interviewer: Hoe gaat het met je?")
    document.add_paragraph().add_run("Deelnemer:").bold = True
    document.add_table(rows=2, cols=2).cell(0, 0).text = "cel"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_ODF = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
_ODT_MEMBERS = {
    "mimetype": b"application/vnd.oasis.opendocument.text",
    "META-INF/manifest.xml": b"<manifest/>",
    "content.xml": (f"<office:document-content {_ODF}><office:body><office:text><text:p>Interviewer: Hoe <text:span>gaat"
                    '</text:span> het?<text:s text:c="3"/></text:p><text:list><text:list-item><text:p>Goed.</text:p>'
                    "</text:list-item></text:list></office:text></office:body></office:document-content>").encode(),
}
_DOCX_MEMBERS = _members(_docx())
_RTF = rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}\f0 Interviewer: Hoe gaat het?\par Deelnemer: Goed, \'e9\u8364? dank je.\par}"
_VTT = (b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Hoe gaat het?</v>\n\n"
        b"00:00:05.000 --> 00:00:08.000\n<v Deelnemer>Goed.\n\nNOTE einde\n")
_SRT = b"1\n00:00:01,000 --> 00:00:04,000\nInterviewer: Hoe gaat het?\n\n2\n00:00:05,000 --> 00:00:08,000\n- Goed.\n"
_CSV = "Respondent;Wat gaat goed?;Groep\nR1;Het team, echt;A\nR2;\"De rust;\nen ruimte\";B\n".encode("cp1252")


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Respondent", "Wat gaat goed?"])
    workbook.active.append(["R1", "Het team"])
    workbook.active.append(["R2", 17])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_XLSX_MEMBERS = _members(_xlsx())


# -- documents ---------------------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=4096), ending=st.sampled_from([".txt", ".docx", ".odt", ".rtf", ".vtt", ".srt", ".pdf"]))
def test_arbitrary_bytes_under_any_document_ending_raise_only_workbench_errors(data: bytes, ending: str) -> None:
    _read(f"fuzz{ending}", data)


@FUZZ
@given(text=st.text(max_size=600))
def test_arbitrary_text_files_raise_only_workbench_errors(text: str) -> None:
    _read("fuzz.txt", text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(edits=EDITS, member=st.sampled_from(["word/document.xml", "word/styles.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"]))
def test_a_docx_with_damaged_xml_raises_only_workbench_errors(edits: list[tuple[int, bytes, int]], member: str) -> None:
    _read("fuzz.docx", _rezip(_DOCX_MEMBERS, member, edits))


@FUZZ
@given(edits=EDITS, cut=st.none() | st.integers(0, 20_000))
def test_a_docx_with_damaged_bytes_raises_only_workbench_errors(edits: list[tuple[int, bytes, int]], cut: int | None) -> None:
    _read("fuzz.docx", _mutate(_docx(), edits, cut))


@FUZZ
@given(edits=EDITS, member=st.sampled_from(["content.xml", "META-INF/manifest.xml", "mimetype"]))
def test_an_odt_with_damaged_xml_raises_only_workbench_errors(edits: list[tuple[int, bytes, int]], member: str) -> None:
    _read("fuzz.odt", _rezip(_ODT_MEMBERS, member, edits))


@FUZZ
@given(edits=EDITS, cut=st.none() | st.integers(0, 2000))
def test_an_odt_with_damaged_bytes_raises_only_workbench_errors(edits: list[tuple[int, bytes, int]], cut: int | None) -> None:
    _read("fuzz.odt", _mutate(_rezip(_ODT_MEMBERS, "", []), edits, cut))


@FUZZ
@given(edits=EDITS, cut=st.none() | st.integers(0, len(_RTF)))
def test_a_damaged_rtf_raises_only_workbench_errors(edits: list[tuple[int, bytes, int]], cut: int | None) -> None:
    _read("fuzz.rtf", _mutate(_RTF, edits, cut))


@FUZZ
@given(body=st.text(alphabet=st.sampled_from(list("{}\\'0123456789abcdefuxnpar ?-*;\n")), max_size=300))
def test_rtf_made_of_control_words_raises_only_workbench_errors(body: str) -> None:
    _read("fuzz.rtf", b"{\\rtf1 " + body.encode("ascii") + b"}")


@FUZZ
@given(edits=EDITS, ending=st.sampled_from([".vtt", ".srt"]))
def test_damaged_subtitles_raise_only_workbench_errors(edits: list[tuple[int, bytes, int]], ending: str) -> None:
    _read(f"fuzz{ending}", _mutate(_VTT if ending == ".vtt" else _SRT, edits))


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list("0123456789:.,-> \n<v/>WEBVTNOTabc")), max_size=400))
def test_subtitles_made_of_timings_and_tags_raise_only_workbench_errors(text: str) -> None:
    _read("fuzz.vtt", text.encode("utf-8"))


@FUZZ
@given(edits=EDITS, cut=st.none() | st.integers(0, 3000))
def test_a_damaged_pdf_raises_only_workbench_errors(edits: list[tuple[int, bytes, int]], cut: int | None) -> None:
    _read("fuzz.pdf", _mutate(pdf_bytes([["Interviewer: Hoe gaat het?", "Deelnemer: Goed."]]), edits, cut))


# -- questionnaires --------------------------------------------------------------------------------------


@FUZZ
@given(edits=EDITS, cut=st.none() | st.integers(0, len(_CSV)))
def test_a_damaged_csv_questionnaire_raises_only_workbench_errors(edits: list[tuple[int, bytes, int]], cut: int | None) -> None:
    _questionnaire("fuzz.csv", _mutate(_CSV, edits, cut))


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list(",;\t\"\n\r abcR0123{}ImportId:")), max_size=400))
def test_csv_made_of_delimiters_and_quotes_raises_only_workbench_errors(text: str) -> None:
    _questionnaire("fuzz.csv", text.encode("utf-8"))


@FUZZ
@given(edits=EDITS, member=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                            "[Content_Types].xml", "xl/styles.xml"]))
def test_an_xlsx_with_damaged_xml_raises_only_workbench_errors(edits: list[tuple[int, bytes, int]], member: str) -> None:
    _questionnaire("fuzz.xlsx", _rezip(_XLSX_MEMBERS, member, edits))


@FUZZ
@given(edits=EDITS, cut=st.none() | st.integers(0, 6000))
def test_an_xlsx_with_damaged_bytes_raises_only_workbench_errors(edits: list[tuple[int, bytes, int]], cut: int | None) -> None:
    _questionnaire("fuzz.xlsx", _mutate(_xlsx(), edits, cut))


@FUZZ
@given(data=st.binary(max_size=2048), ending=st.sampled_from([".csv", ".xlsx", ".ods"]))
def test_arbitrary_bytes_as_a_questionnaire_raise_only_workbench_errors(data: bytes, ending: str) -> None:
    _questionnaire(f"fuzz{ending}", data)


# -- codebooks --------------------------------------------------------------------------------------------

_YAML = """name: Codeboek
version: "1"
codes:
  - id: succes
    name: Succesfactoren
    color: "#2e7d32"
    children:
      - id: team
        name: Het team
        examples: [Een stabiel team]
        keywords: [team]
  - id: knelpunt
    name: Knelpunten
    codable: false
"""


@FUZZ
@given(edits=EDITS)
def test_a_damaged_yaml_codebook_raises_only_codebook_errors(edits: list[tuple[int, bytes, int]]) -> None:
    text = _mutate(_YAML.encode(), edits).decode("utf-8", "replace")
    _only_workbench_errors(lambda: parse_codebook(text, "fuzz.yaml"))


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list("-:[]{}&*!|>'\"#\n  idnamechlrs0123")), max_size=400))
def test_yaml_made_of_its_own_syntax_raises_only_codebook_errors(text: str) -> None:
    _only_workbench_errors(lambda: parse_codebook(text, "fuzz.yaml"))


_QDC = codebook_to_qdc(Codebook((Code(id="succes", name="Succesfactoren", color="#2e7d32"),
                                 Code(id="team", name="Het team", parent_id="succes", description="Over het team"))))


@FUZZ
@given(edits=EDITS, cut=st.none() | st.integers(0, len(_QDC)))
def test_a_damaged_qdc_codebook_raises_only_codebook_errors(edits: list[tuple[int, bytes, int]], cut: int | None) -> None:
    _only_workbench_errors(lambda: read_qdc(_mutate(_QDC, edits, cut), "fuzz.qdc"))
