"""Subtitle files (.vtt, .srt) from Teams, Zoom or transcription services: one line per speaker turn."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.core.model import DocumentKind, SpeakerTurn
from workbench.core.text import shorten
from workbench.errors import ImportError_
from workbench.importers import ImportedDocument
from workbench.importers._txt import read_bytes
from workbench.importers.encoding import decode
from workbench.importers.turns import speaker_of

#: Milliseconds may be missing ("00:01:02 --> 00:01:05"): some transcription services write whole seconds.
_TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"\s*(?P<start>{_TIME})\s*-->\s*{_TIME}")
_TAG = re.compile(r"<(?P<closing>/?)(?P<name>[^\s.>/]*)(?P<classes>(?:\.[^\s.>]*)*)(?P<annotation>[^>]*)>")
#: SubStation-style overrides ("{\an8}") that some .srt writers leave in the text.
_OVERRIDE = re.compile(r"\{\\[^}]*\}")
#: A dialogue dash that opens a line when two people speak in one cue ("- Ja.").
_DASH = re.compile(r"\s*[-–—]\s*")


@dataclass
class _Cue:
    """One cue: when it starts (whole seconds) and its text lines as written."""

    seconds: int
    lines: list[str]


@dataclass
class _Utterance:
    """Text said by one speaker (None when the file does not say who) from a given second."""

    seconds: int
    speaker: str | None
    text: str


def _seconds(stamp: str) -> int:
    """Whole seconds of "01:02:03.456", "02:03,456" or "1:02:03.4"."""
    *larger, seconds = stamp.replace(",", ".").split(":")
    hours, minutes = (int(larger[0]), int(larger[1])) if len(larger) == 2 else (0, int(larger[0]))
    return hours * 3600 + minutes * 60 + int(float(seconds))


#: Blocks of a WebVTT file that are no cues: the header, comments, style sheets and regions (up to a blank line).
_NON_CUE_BLOCKS = ("WEBVTT", "NOTE", "STYLE", "REGION")


def parse_cues(text: str, path: Path) -> list[_Cue]:
    """The cues of a WebVTT or SubRip text, tolerating missing blank lines between cues.

    No text is dropped without a word: a timing line that cannot be read, or text that belongs to no cue
    (its timing line is missing), is refused with its line number.
    """
    cues: list[_Cue] = []
    current: _Cue | None = None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    in_other_block = False
    for number, line in enumerate(lines, start=1):
        timing = _TIMING.match(line)
        if timing is not None:
            in_other_block = False
            if current is not None:
                # no blank line before this cue: the previous "line" may be this cue's SubRip number
                if current.lines and current.lines[-1].strip().isdigit():
                    current.lines.pop()
                cues.append(current)
            current = _Cue(_seconds(timing.group("start")), [])
        elif "-->" in line:
            raise ImportError_(f"{path}: line {number}: cannot read the cue timing {shorten(line.strip(), 60)!r}")
        elif current is not None:
            if line.strip():
                current.lines.append(line)
            else:
                cues.append(current)
                current = None
        elif not line.strip():
            in_other_block = False
        elif in_other_block or line.lstrip("\ufeff").startswith(_NON_CUE_BLOCKS):
            in_other_block = True
        elif number < len(lines) and _TIMING.match(lines[number]) is not None:
            pass  # a cue's identifier (a SubRip number), on the line before its timing
        elif line.strip().isdigit() and number < len(lines) and lines[number].strip():
            # a SubRip number followed by what should be its timing
            raise ImportError_(f"{path}: line {number + 1}: cannot read the cue timing {shorten(lines[number].strip(), 60)!r}")
        else:
            raise ImportError_(f"{path}: line {number}: text outside any cue (its timing line is missing or unreadable): "
                               f"{shorten(line.strip(), 60)!r}")
    if current is not None:
        cues.append(current)
    return cues


def _voice_segments(cue: _Cue, running: str | None) -> tuple[list[tuple[str | None, str]], str | None]:
    """A cue's text split at WebVTT voice tags (<v Name>...</v>), other tags and entities removed.

    Text before the cue's first voice tag belongs to `running`, the voice an earlier cue opened and never
    closed with </v> (oral-history files tag only the cue where the speaker changes). Returns the segments
    and the voice still open at the cue's end.
    """
    source = _OVERRIDE.sub("", "\n".join(cue.lines))
    segments: list[tuple[str | None, str]] = []
    speaker = running
    parts: list[str] = []
    position = 0
    for tag in _TAG.finditer(source):
        parts.append(html.unescape(source[position:tag.start()]))
        position = tag.end()
        if tag.group("name") == "v":
            segments.append((speaker, "".join(parts)))
            parts = []
            speaker = None if tag.group("closing") else (tag.group("annotation").strip() or None)
    parts.append(html.unescape(source[position:]))
    segments.append((speaker, "".join(parts)))
    return segments, speaker


def _utterances(cue: _Cue, running: str | None) -> tuple[list[_Utterance], str | None]:
    """Who says what in one cue, and the voice still open after it.

    A voice tag names the speaker (and carries over to later cues until the next tag or a </v>), else a
    "Name:" at the start of a line does; a "Name:" line ends a voice carried over.
    """
    utterances: list[_Utterance] = []
    segments, still_open = _voice_segments(cue, running)
    for index, (voice, segment) in enumerate(segments):
        if voice is not None and index > 0:  # a voice tag in this cue
            utterances.append(_Utterance(cue.seconds, voice, segment))
            continue
        # Untagged text: a "Name:" line names its speaker; lines before any name go on with the carried voice.
        current: _Utterance | None = None
        for line in segment.split("\n"):
            dash = _DASH.match(line)
            body = line[dash.end():] if dash else line
            found = speaker_of(body)
            if found is not None:
                label, rest_start = found
                current = _Utterance(cue.seconds, label, body[rest_start:])
                utterances.append(current)
                if len(segments) == 1:
                    still_open = None
            elif not line.strip():
                continue
            elif current is not None:
                current.text += " " + line
            else:
                current = _Utterance(cue.seconds, voice, line)
                utterances.append(current)
    for utterance in utterances:
        utterance.text = " ".join(utterance.text.split())
    return [utterance for utterance in utterances if utterance.text], still_open


def _stamp(seconds: int) -> str:
    """[HH:MM:SS] for a number of seconds."""
    return f"[{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}]"


def subtitle_document(cues: list[_Cue]) -> tuple[str, tuple[SpeakerTurn, ...]]:
    """One line per turn, "[HH:MM:SS] Speaker: text" (or "[HH:MM:SS] text" when nobody is named), and the turns.

    Consecutive cues of the same named speaker merge into one line stamped with the first cue's start, and so
    does an unnamed cue between two of theirs; other cues without a speaker stay one line each and are not turns.
    """
    merged: list[_Utterance] = []
    running: str | None = None
    for cue in cues:
        utterances, running = _utterances(cue, running)
        for utterance in utterances:
            if merged and utterance.speaker is not None and merged[-1].speaker == utterance.speaker:
                merged[-1].text += " " + utterance.text
            elif (
                utterance.speaker is not None and len(merged) >= 2
                and merged[-1].speaker is None and merged[-2].speaker == utterance.speaker
            ):
                # An unnamed cue between two cues of one speaker (a Zoom caption that lost its name) is theirs.
                merged[-2].text += " " + merged.pop().text + " " + utterance.text
            else:
                merged.append(utterance)
    lines: list[str] = []
    turns: list[SpeakerTurn] = []
    offset = 0
    for utterance in merged:
        if utterance.speaker is None:
            line = f"{_stamp(utterance.seconds)} {utterance.text}"
        else:
            line = f"{_stamp(utterance.seconds)} {utterance.speaker}: {utterance.text}"
            turns.append(SpeakerTurn(seq=len(turns), speaker=utterance.speaker, start=offset, end=offset + len(line)))
        lines.append(line)
        offset += len(line) + 1
    return "\n".join(lines), tuple(turns)


class SubtitleReader:
    """Reads WebVTT (.vtt) and SubRip (.srt) subtitle files."""

    extensions: tuple[str, ...] = (".vtt", ".srt")

    def read(self, path: Path, kind: DocumentKind | None) -> ImportedDocument:
        """Read one subtitle file into a timestamped transcript with a turn per named speaker's line."""
        cues = parse_cues(decode(path, read_bytes(path)), path)
        if not cues:
            raise ImportError_(f"{path}: no subtitle cues found")
        text, turns = subtitle_document(cues)
        if not text.strip():
            raise ImportError_(f"{path}: empty file, nothing to import")
        return ImportedDocument(name=path.stem, text=text, kind=kind or DocumentKind.TRANSCRIPT, turns=turns)
