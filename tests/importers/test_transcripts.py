"""Transcripts from Word, OpenDocument, RTF and subtitle files import with their exact text and speaker turns."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import zip_bytes
from workbench.core.model import DocumentKind, SpeakerTurn
from workbench.errors import ImportError_
from workbench.importers import ImportedDocument
from workbench.importers._docx import DocxReader
from workbench.importers._odt import OdtReader
from workbench.importers._rtf import RtfReader
from workbench.importers._subtitles import SubtitleReader
from workbench.importers.turns import detect_turns


def spans(text: str, turns: tuple[SpeakerTurn, ...]) -> list[tuple[str, str]]:
    """Each turn as (speaker, the text it covers), checking seq runs 0, 1, 2..."""
    assert [turn.seq for turn in turns] == list(range(len(turns)))
    return [(turn.speaker, text[turn.start:turn.end]) for turn in turns]


def refusal(reader: DocxReader | OdtReader | RtfReader | SubtitleReader, path: Path) -> str:
    """The one-line message a reader refuses `path` with."""
    with pytest.raises(ImportError_) as caught:
        reader.read(path, None)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


# --- speaker turns in plain text -------------------------------------------------------------------------

def test_interview_labels_open_turns_that_end_before_the_next_label() -> None:
    text = "Interview 4, Zwolle\n\nI: Hoe gaat het?\nR: Goed.\nIk werk hier graag.\n\nI: Waarom?\r\nR: Het team.\n\n"
    assert spans(text, detect_turns(text)) == [
        ("I", "I: Hoe gaat het?"),
        ("R", "R: Goed.\nIk werk hier graag."),
        ("I", "I: Waarom?"),
        ("R", "R: Het team."),
    ]


def test_timestamps_role_numbers_and_full_names_are_recognised_as_speakers() -> None:
    text = (
        "[00:12:31] Interviewer: Wie begint?\n"
        "00:12:40 Deelnemer 3: Ik wel.\n"
        "(00:13) Jan de Vries: Dan ik.\n"
        "(00:14) Jan de Vries: En nog iets.\n"
        "Medewerker: Prima.\n"
    )
    assert [(turn.speaker, text[turn.start:turn.end]) for turn in detect_turns(text)] == [
        ("Interviewer", "[00:12:31] Interviewer: Wie begint?"),
        ("Deelnemer 3", "00:12:40 Deelnemer 3: Ik wel."),
        ("Jan de Vries", "(00:13) Jan de Vries: Dan ik."),
        ("Jan de Vries", "(00:14) Jan de Vries: En nog iets."),
        ("Medewerker", "Medewerker: Prima."),
    ]


def test_question_headings_are_not_speakers_and_end_the_answer_before_them() -> None:
    text = "Vraag 1: Wat gaat goed?\nR: Het contact.\n\nVraag 2: Wat kan beter?\nR: De wachttijd.\n"
    assert spans(text, detect_turns(text)) == [("R", "R: Het contact."), ("R", "R: De wachttijd.")]
    assert detect_turns("Vraag 1: Wat gaat goed?\nHet contact.\nVraag 2: Wat kan beter?\nDe wachttijd.") == ()


@pytest.mark.parametrize(
    "text",
    [
        "Kernpunten:\n- Werkdruk\n- Contact\n\nAandachtspunt: de planning.\n",
        "Datum: 3 maart\nLocatie: Zwolle\nOpmerking: respondent kwam later.\n",
        "Werkdruk: hoog in de zomer.\nContact: goed met het team.\n",  # one-off lead-ins, not a conversation
        "I: Een vraag zonder antwoord.\n",
    ],
)
def test_notes_and_lists_that_merely_contain_colons_get_no_turns(text: str) -> None:
    assert detect_turns(text) == ()


def test_a_name_that_speaks_once_in_a_conversation_still_gets_its_turn() -> None:
    text = "Marieke: Wie wil er beginnen?\nPiet: Ik.\nMarieke: Ga je gang.\n"
    assert spans(text, detect_turns(text)) == [
        ("Marieke", "Marieke: Wie wil er beginnen?"), ("Piet", "Piet: Ik."), ("Marieke", "Marieke: Ga je gang."),
    ]


_SPEAKERS = st.sampled_from(["I", "R", "Interviewer", "Respondent", "Deelnemer 3", "Medewerker"])
_UTTERANCES = st.text(st.characters(codec="utf-8", exclude_characters="\r\n:"), max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_SPEAKERS, _UTTERANCES), min_size=2, max_size=12))
def test_any_labelled_conversation_yields_exactly_its_turns(conversation: list[tuple[str, str]]) -> None:
    lines = [f"{speaker}: {utterance}" for speaker, utterance in conversation]
    text = "\n".join(lines)
    turns = detect_turns(text)
    assert [turn.speaker for turn in turns] == [speaker for speaker, _ in conversation]
    assert [text[turn.start:turn.end] for turn in turns] == [line.rstrip() for line in lines]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["I", "R", ":", " ", "\n", "\r", "\t", "Jan", "Vraag 1", "[00:01]", "- ", "é", "x"]), max_size=40))
def test_turns_of_any_text_are_ordered_disjoint_line_spans(pieces: list[str]) -> None:
    text = "".join(pieces)
    turns = detect_turns(text)
    assert len(turns) != 1
    for turn, following in zip(turns, turns[1:], strict=False):
        assert turn.end <= following.start
    for turn in turns:
        assert 0 <= turn.start < turn.end <= len(text)
        assert turn.start == 0 or text[turn.start - 1] in "\r\n"
        assert not text[turn.end - 1].isspace()


# --- Word .docx ------------------------------------------------------------------------------------------

def write_interview_docx(path: Path) -> None:
    """An interview as researchers write them: bold speaker names, a table of notes, a header to ignore."""
    document = Document()
    document.sections[0].header.paragraphs[0].text = "Vertrouwelijk – niet verspreiden"
    document.sections[0].footer.paragraphs[0].text = "Pagina 1"
    document.add_paragraph("Interview 7, één locatie")
    question = document.add_paragraph()
    question.add_run("Interviewer").bold = True
    question.add_run(": Hoe ervaar je de “zorg” hier?")
    answer = document.add_paragraph()
    answer.add_run("Mevrouw Özdemir-de Wit (cliënte):").bold = True
    answer.add_run(" Goed. Ik heb een coördinator die echt luistert.")
    document.add_paragraph("Ze zegt: ‘geen idee’.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Thema"
    table.cell(0, 1).text = "Citaat"
    table.cell(1, 0).text = "Zorg"
    table.cell(1, 1).text = "“echt luisteren”"
    table.cell(1, 1).add_paragraph("tweede alinea")
    closing = document.add_paragraph()
    closing.add_run("Interviewer: ").bold = True
    closing.add_run("Dank je wel.")
    document.add_paragraph("")
    document.save(str(path))


def test_docx_interview_with_bold_speakers_imports_turns_exactly(tmp_path: Path) -> None:
    path = tmp_path / "interview_07.docx"
    write_interview_docx(path)
    imported = DocxReader().read(path, None)
    expected = (
        "Interview 7, één locatie\n"
        "Interviewer: Hoe ervaar je de “zorg” hier?\n"
        "Mevrouw Özdemir-de Wit (cliënte): Goed. Ik heb een coördinator die echt luistert.\n"
        "Ze zegt: ‘geen idee’.\n"
        "Thema\tCitaat\n"
        "Zorg\t“echt luisteren” tweede alinea\n"
        "Interviewer: Dank je wel."
    )
    assert imported == ImportedDocument(name="interview_07", text=expected, kind=DocumentKind.TRANSCRIPT, turns=imported.turns)
    assert spans(imported.text, imported.turns) == [
        ("Interviewer", "Interviewer: Hoe ervaar je de “zorg” hier?"),
        ("Mevrouw Özdemir-de Wit (cliënte)",
         "Mevrouw Özdemir-de Wit (cliënte): Goed. Ik heb een coördinator die echt luistert.\n"
         "Ze zegt: ‘geen idee’.\nThema\tCitaat\nZorg\t“echt luisteren” tweede alinea"),
        ("Interviewer", "Interviewer: Dank je wel."),
    ]
    assert "Vertrouwelijk" not in imported.text and "Pagina" not in imported.text


def test_docx_keeps_the_kind_the_user_chose(tmp_path: Path) -> None:
    path = tmp_path / "notities.docx"
    document = Document()
    document.add_paragraph("Observatie in de gang.")
    document.save(str(path))
    imported = DocxReader().read(path, DocumentKind.NOTES)
    assert (imported.kind, imported.text, imported.turns) == (DocumentKind.NOTES, "Observatie in de gang.", ())


def test_docx_bold_lead_ins_in_a_report_are_not_speakers(tmp_path: Path) -> None:
    path = tmp_path / "rapport.docx"
    document = Document()
    for topic, finding in [("Werkdruk", "hoog in de zomer."), ("Communicatie", "verloopt goed."), ("Let op", "klein aantal.")]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{topic}:").bold = True
        paragraph.add_run(f" {finding}")
    document.save(str(path))
    assert DocxReader().read(path, None).turns == ()


def test_docx_reads_links_and_tracked_insertions_but_not_deletions(tmp_path: Path) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    path = tmp_path / "revisie.docx"
    document = Document()
    document.add_paragraph("I: Werk je hier graag?")
    revised = parse_xml(
        f'<w:p {nsdecls("w", "r")}><w:r><w:t xml:space="preserve">R: Ik werk </w:t></w:r>'
        '<w:del w:id="1" w:author="a"><w:r><w:delText xml:space="preserve">niet </w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t xml:space="preserve">graag </w:t></w:r></w:ins>'
        '<w:hyperlink r:id="rId99"><w:r><w:t>hier</w:t></w:r></w:hyperlink><w:r><w:tab/><w:t>.</w:t></w:r></w:p>'
    )
    body = document.element.body
    body.insert(len(body) - 1, revised)  # before the section properties, which close the body
    document.save(str(path))
    imported = DocxReader().read(path, None)
    assert imported.text == "I: Werk je hier graag?\nR: Ik werk graag hier\t."
    assert spans(imported.text, imported.turns) == [("I", "I: Werk je hier graag?"), ("R", "R: Ik werk graag hier\t.")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (bytes(range(256)) * 8, "not a zip archive"),
        (zip_bytes({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<styles/>"}), "no word/document.xml inside"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old-format or password-protected"),
        (zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}), "damaged document"),
    ],
    ids=["random bytes", "zip without document.xml", "old .doc", "broken package"],
)
def test_corrupt_docx_gets_one_line_naming_the_file(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "kapot.docx"
    path.write_bytes(content)
    message = refusal(DocxReader(), path)
    assert message.startswith(f"{path}: not a readable .docx file (") and reason in message


def test_docx_without_any_text_is_refused_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "leeg.docx"
    document = Document()
    document.add_paragraph("   ")
    document.save(str(path))
    assert refusal(DocxReader(), path) == f"{path}: empty file, nothing to import"


# --- OpenDocument .odt -----------------------------------------------------------------------------------

_ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2">
  <office:body>
    <office:text>
      <text:sequence-decls/>
      <text:h text:outline-level="1">Focusgroep   <text:span>coördinatoren</text:span></text:h>
      <text:p>Moderator: Wie <text:span text:style-name="T1">begint <text:span>er</text:span></text:span>?<text:note
        text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>voetnoot</text:p></text:note-body></text:note></text:p>
      <text:p>Deelnemer 2:<text:s/>Ik.<text:s text:c="3"/>Echt.<text:tab/>(lacht)</text:p>
      <text:p>Deelnemer 1: “Één” ding<text:line-break/>en nog één.</text:p>
      <text:list><text:list-item><text:p>punt één</text:p></text:list-item></text:list>
      <table:table><table:table-column/><table:table-row><table:table-cell><text:p>Thema</text:p></table:table-cell>
        <table:table-cell><text:p>café</text:p><text:p>crème</text:p></table:table-cell></table:table-row></table:table>
      <text:p>Moderator: Dank jullie.</text:p>
    </office:text>
  </office:body>
</office:document-content>
"""

_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
  <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
  <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def write_odt(path: Path, content: str, mimetype: str = "application/vnd.oasis.opendocument.text") -> None:
    """A minimal .odt as LibreOffice lays it out: an uncompressed mimetype first, then content and manifest."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)


def test_odt_focus_group_imports_spaces_tabs_spans_and_turns_exactly(tmp_path: Path) -> None:
    path = tmp_path / "focusgroep.odt"
    write_odt(path, _ODT_CONTENT)
    imported = OdtReader().read(path, DocumentKind.FOCUS_GROUP)
    assert imported.text == (
        "Focusgroep coördinatoren\n"
        "Moderator: Wie begint er?\n"
        "Deelnemer 2: Ik.   Echt.\t(lacht)\n"
        "Deelnemer 1: “Één” ding\nen nog één.\n"
        "punt één\n"
        "Thema\tcafé crème\n"
        "Moderator: Dank jullie."
    )
    assert (imported.name, imported.kind) == ("focusgroep", DocumentKind.FOCUS_GROUP)
    assert spans(imported.text, imported.turns) == [
        ("Moderator", "Moderator: Wie begint er?"),
        ("Deelnemer 2", "Deelnemer 2: Ik.   Echt.\t(lacht)"),
        ("Deelnemer 1", "Deelnemer 1: “Één” ding\nen nog één.\npunt één\nThema\tcafé crème"),
        ("Moderator", "Moderator: Dank jullie."),
    ]


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda path: path.write_bytes(b"PK\x03\x04 but not really a zip"), "not a zip archive"),
        (lambda path: path.write_bytes(zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text"})), "no content.xml inside"),
        (lambda path: write_odt(path, "<office:document-content"), "damaged content.xml"),
        (lambda path: write_odt(path, _ODT_CONTENT, "application/vnd.oasis.opendocument.spreadsheet"), "not a text document"),
    ],
    ids=["not a zip", "no content.xml", "broken XML", "a spreadsheet"],
)
def test_corrupt_odt_gets_one_line_naming_the_file(tmp_path: Path, build: Callable[[Path], object], reason: str) -> None:
    path = tmp_path / "kapot.odt"
    build(path)
    message = refusal(OdtReader(), path)
    assert message.startswith(f"{path}: not a readable .odt file (") and reason in message


# --- Rich Text Format .rtf -------------------------------------------------------------------------------

_RTF = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Calibri;}}{\colortbl;\red0\green0\blue0;}"
    "\r\n"
    r"{\header\pard Vertrouwelijk\par}"
    r"\pard\f0\fs22 Interview caf\'e9\par"
    "\r\n"
    r"I: Wat vond je van de cr\'e8me br\'fbl\'e9e?\par"
    "\r\n"
    r"R: \u8220?Heerlijk\u8221?, zei ze, \u8216?echt\u8217?.\par"
    "\r\n"
    r"I: Dank je.\par"
    "\r\n}"
)


def test_rtf_accents_and_curly_quotes_survive_and_turns_are_found(tmp_path: Path) -> None:
    path = tmp_path / "interview.rtf"
    path.write_bytes(_RTF.encode("ascii"))
    imported = RtfReader().read(path, None)
    assert imported.text == (
        "Interview café\n"
        "I: Wat vond je van de crème brûlée?\n"
        "R: “Heerlijk”, zei ze, ‘echt’.\n"
        "I: Dank je."
    )
    assert spans(imported.text, imported.turns) == [
        ("I", "I: Wat vond je van de crème brûlée?"), ("R", "R: “Heerlijk”, zei ze, ‘echt’."), ("I", "I: Dank je."),
    ]


def test_rtf_escapes_follow_the_code_page_in_the_header(tmp_path: Path) -> None:
    path = tmp_path / "pools.rtf"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg1250 Gda\'f1sk, \'9al\'b9sk\par}")
    assert RtfReader().read(path, None).text == "Gdańsk, šląsk"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"Gewoon tekst, geen RTF.", "not an RTF file"), (rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\par}", "empty file, nothing to import")],
    ids=["plain text", "only formatting"],
)
def test_bad_rtf_gets_one_line_naming_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "verslag.rtf"
    path.write_bytes(content)
    assert message in refusal(RtfReader(), path)


# --- Subtitles .vtt / .srt -------------------------------------------------------------------------------

_VTT = """WEBVTT
Kind: captions

NOTE gemaakt door Teams

1
00:00:01.000 --> 00:00:04.000
<v Interviewer>Hoe gaat het <i>met</i> je?</v>

2
00:00:04.500 --> 00:00:06.000
<v Interviewer>En met je werk?</v>

3
00:00:07.250 --> 00:00:09.000 align:start position:10%
<v.loud Jan de Vries>Goed &amp; druk,
<c.yellow>echt</c> “druk”.</v>

4
01:02:03.000 --> 01:02:05.000
Muziek op de achtergrond.

5
01:02:06.000 --> 01:02:08.000
<v Interviewer>Dank je.</v>
"""


def test_vtt_voice_tags_become_merged_timestamped_turns(tmp_path: Path) -> None:
    path = tmp_path / "teams.vtt"
    path.write_bytes(_VTT.encode("utf-8-sig"))
    imported = SubtitleReader().read(path, None)
    assert imported.text == (
        "[00:00:01] Interviewer: Hoe gaat het met je? En met je werk?\n"
        "[00:00:07] Jan de Vries: Goed & druk, echt “druk”.\n"
        "[01:02:03] Muziek op de achtergrond.\n"
        "[01:02:06] Interviewer: Dank je."
    )
    assert spans(imported.text, imported.turns) == [
        ("Interviewer", "[00:00:01] Interviewer: Hoe gaat het met je? En met je werk?"),
        ("Jan de Vries", "[00:00:07] Jan de Vries: Goed & druk, echt “druk”."),
        ("Interviewer", "[01:02:06] Interviewer: Dank je."),
    ]


_SRT = """1
00:00:01,000 --> 00:00:02,500
Interviewer: Wat doe je precies?
2
00:00:03,000 --> 00:00:05,000
Respondent: Ik ben coördinator
van de thuiszorg.

3
00:00:05,000 --> 00:00:06,000
Respondent: Al tien jaar.

4
00:00:07,000 --> 00:00:08,000
- Interviewer: Mooi.
- Respondent: Ja.
"""


def test_srt_name_prefixes_become_turns_and_wrapped_lines_join(tmp_path: Path) -> None:
    path = tmp_path / "zoom.srt"
    path.write_text(_SRT, encoding="utf-8")
    imported = SubtitleReader().read(path, None)
    assert imported.text == (
        "[00:00:01] Interviewer: Wat doe je precies?\n"
        "[00:00:03] Respondent: Ik ben coördinator van de thuiszorg. Al tien jaar.\n"
        "[00:00:07] Interviewer: Mooi.\n"
        "[00:00:07] Respondent: Ja."
    )
    assert [turn.speaker for turn in imported.turns] == ["Interviewer", "Respondent", "Interviewer", "Respondent"]
    assert [imported.text[turn.start:turn.end] for turn in imported.turns] == imported.text.split("\n")


def test_subtitles_without_speakers_keep_one_line_per_cue_and_no_turns(tmp_path: Path) -> None:
    path = tmp_path / "auto.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nEerste zin.\n\n2\n00:00:02,000 --> 00:00:03,000\nTweede zin.\n", encoding="utf-8")
    imported = SubtitleReader().read(path, None)
    assert (imported.text, imported.turns) == ("[00:00:01] Eerste zin.\n[00:00:02] Tweede zin.", ())


def test_subtitle_file_without_cues_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "leeg.vtt"
    path.write_text("WEBVTT\n\nNOTE alleen een notitie\n", encoding="utf-8")
    assert refusal(SubtitleReader(), path) == f"{path}: no subtitle cues found"


def test_docx_speakers_bold_through_a_character_style_and_its_base_are_turns(tmp_path: Path) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    document = Document()
    derived = document.styles.add_style("Spreker", WD_STYLE_TYPE.CHARACTER)
    derived.base_style = document.styles["Strong"]  # bold only through its base style
    # Labels with a role in brackets fail the plain-text shape check, so only boldness makes them speakers.
    lines = [
        ("Strong", "Anouk (begeleider)", " Wat helpt jou?"),
        ("Spreker", "Bram (deelnemer)", " Het contact, één op één."),
        ("Strong", "Anouk (begeleider)", " En verder?"),
        ("Spreker", "Bram (deelnemer)", " Mijn eigen kamer."),
    ]
    for style, speaker, words in lines:
        paragraph = document.add_paragraph()
        paragraph.add_run(speaker, style=style)
        paragraph.add_run(":" + words)
    path = tmp_path / "gestyled.docx"
    document.save(path)
    imported = DocxReader().read(path, None)
    assert imported.text == "\n".join(f"{speaker}:{words}" for _, speaker, words in lines)
    assert [(t.speaker, imported.text[t.start : t.end]) for t in imported.turns] == [
        (speaker, f"{speaker}:{words}") for _, speaker, words in lines
    ]
