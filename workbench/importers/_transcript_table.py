"""Transcripts kept as a table (.csv, .tsv, .xlsx, .ods): one row per turn, with speaker, text and time columns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workbench.core.model import DocumentKind, SpeakerTurn
from workbench.errors import ImportError_
from workbench.importers import ImportedDocument
from workbench.importers._tabular import _resolve_column, read_sheet

#: "01:02:03.456", "1:02:03,4", "02:03" or "02:03.5": a time of day or a position in the recording.
_TIME = re.compile(r"(?:(?P<hours>\d{1,3}):)?(?P<minutes>\d{1,2}):(?P<seconds>\d{2})(?:[.,]\d+)?")


@dataclass(frozen=True)
class TranscriptColumns:
    """Which columns of a transcript table hold each turn's text, its speaker and its time (the last two optional)."""

    text: str
    speaker: str | None = None
    time: str | None = None


def stamp(cell: str) -> str:
    """A time cell as the "[HH:MM:SS]" prefix subtitle transcripts carry; a cell in another form is kept as written."""
    match = _TIME.fullmatch(cell)
    if match is None:
        return f"[{cell}]"
    hours = int(match.group("hours") or 0)
    minutes, seconds = int(match.group("minutes")), int(match.group("seconds"))
    return f"[{hours:02d}:{minutes:02d}:{seconds:02d}]"


def transcript_table_document(
    path: Path, columns: TranscriptColumns, *, kind: DocumentKind | None = None, sheet: str | None = None, skip_rows: int | None = None
) -> ImportedDocument:
    """One transcript of the table's rows, one line per row: "[HH:MM:SS] Speaker: text", as a subtitle file gives.

    Every row with a speaker is a turn (the whole line, stamp included, as in subtitle transcripts); a row without
    one is a line of no turn; rows without text are left out. Line breaks inside a cell are kept.
    """
    path = Path(path)
    table = read_sheet(path, sheet=sheet, skip_rows=skip_rows).table
    headers = [str(c) for c in table.columns]
    text_column = _resolve_column(path, headers, columns.text)
    speaker_column = _resolve_column(path, headers, columns.speaker) if columns.speaker is not None else None
    time_column = _resolve_column(path, headers, columns.time) if columns.time is not None else None
    chosen = [c for c in (text_column, speaker_column, time_column) if c is not None]
    if len(set(chosen)) < len(chosen):
        raise ImportError_(f"{path}: one column is given for two roles (text, speaker, time); give each its own")
    lines: list[str] = []
    turns: list[SpeakerTurn] = []
    offset = 0
    for row in table.to_dict("records"):
        said = str(row[text_column]).replace("\r\n", "\n").replace("\r", "\n").strip()
        if not said:
            continue
        speaker = str(row[speaker_column]).strip() if speaker_column is not None else ""
        time = str(row[time_column]).strip() if time_column is not None else ""
        line = (f"{stamp(time)} " if time else "") + (f"{speaker}: " if speaker else "") + said
        if speaker:
            turns.append(SpeakerTurn(seq=len(turns), speaker=speaker, start=offset, end=offset + len(line)))
        lines.append(line)
        offset += len(line) + 1
    if not lines:
        raise ImportError_(f"{path}: no text to import (the column {text_column!r} is empty)")
    return ImportedDocument(name=path.stem, text="\n".join(lines), kind=kind or DocumentKind.TRANSCRIPT, turns=tuple(turns))
