"""Speaker turns found in transcript text from labels such as "I:", "Respondent:" or "Jan de Vries:"."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from workbench.core.model import SpeakerTurn

#: Role words that name a speaker on their own or with a number or letter ("Deelnemer 3", "R2", "Spreker B").
ROLE_WORDS = frozenset({
    "i", "r", "p", "m", "int", "iv", "resp", "interviewer", "interviewster", "interviewee", "respondent",
    "deelnemer", "deelneemster", "participant", "medewerker", "medewerkster", "moderator", "gespreksleider",
    "gespreksleidster", "onderzoeker", "onderzoekster", "begeleider", "begeleidster", "spreker", "speaker",
    "client", "cliënt", "cliente", "cliënte", "jongere", "ouder", "docent", "leerling", "student", "coach",
    "facilitator", "observator", "notulist", "voorzitter", "bewoner", "patiënt", "patient", "verpleegkundige",
})

#: First words of section headings and metadata lines ("Vraag 1: Wat gaat goed?", "Datum: 3 maart"): never a speaker.
HEADING_WORDS = frozenset({
    "vraag", "vragen", "deelvraag", "hoofdvraag", "subvraag", "antwoord", "question", "answer", "thema", "theme",
    "topic", "onderwerp", "deel", "part", "ronde", "round", "stap", "step", "fase", "phase", "blok", "sectie",
    "section", "hoofdstuk", "chapter", "paragraaf", "item", "casus", "case", "bijlage", "appendix", "titel",
    "title", "datum", "date", "tijd", "time", "duur", "duration", "locatie", "location", "plaats", "place",
    "aanwezig", "aanwezigen", "present", "afwezig", "kernpunten", "kernpunt", "samenvatting", "summary",
    "conclusie", "conclusies", "conclusion", "toelichting", "opmerking", "opmerkingen", "note", "notes", "noot",
    "notitie", "notities", "nb", "ps", "let", "tip", "tips", "actiepunten", "actiepunt", "besluit", "besluiten",
    "doel", "aim", "goal", "agenda", "transcript", "transcriptie", "interview", "gesprek", "focusgroep",
    "bron", "source", "code", "codes", "label", "categorie", "category", "voorbeeld", "voorbeelden", "example",
    "bijvoorbeeld", "e.g", "bv", "oftewel", "kortom", "dus", "ja", "nee", "nou", "maar", "en", "of", "want",
    "oké", "oke", "ok", "okay", "yes", "no", "well", "so", "but", "and", "also", "namelijk", "zoals", "eerst",
    "daarna", "tot", "slot", "waarom", "wat", "hoe", "wie", "waar", "wanneer", "why", "what", "how", "who",
    "where", "when", "versie", "version", "pagina", "page", "tabel", "table", "figuur", "figure", "bijzonderheden",
    "context", "achtergrond", "background", "instructie", "instructies", "introductie", "inleiding", "afsluiting",
    "opening", "welkom", "pauze", "einde", "start", "begin", "resultaat", "resultaten", "uitkomst",
    "aanbeveling", "aanbevelingen", "advies", "reflectie", "memo", "observatie", "observaties", "waarneming",
})

#: Lowercase words that may sit between the capitalised parts of a name ("Jan de Vries", "Els van der Berg").
NAME_PARTICLES = frozenset({
    "de", "den", "der", "van", "von", "vom", "zu", "het", "'t", "’t", "te", "ten", "ter", "in", "op", "la", "le",
    "du", "da", "di", "del", "della", "dos", "das", "do", "el", "al", "bin", "ibn", "y", "e", "d'", "l'",
})

_STAMP = (
    r"(?:\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\]"  # [12:34] or [12:34:56.789]
    r"|\(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\)"  # (12:34)
    r"|\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)"  # 12:34:56
)

#: indent, optional timestamp (and dash), a label that starts with a letter, then ":" followed by a space or the line end.
_LABEL_LINE = re.compile(
    rf"[ \t]*(?:{_STAMP}[ \t]*(?:[-–—][ \t]*)?)?(?P<label>[^\W\d_][^:\t]{{0,60}}?)[ \t]*:(?=[ \t]|$)(?P<rest>.*)"
)
_ROLE = re.compile(r"(?P<word>[^\W\d_]+)(?:[ ]?\d{1,3}|[ ][A-Z])?")
_NAME_PART = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*\.?")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*•–·▪◦]|\d{1,3}[.)]|[a-z][.)])[ \t]")


@dataclass(frozen=True)
class _Line:
    """One line of the text: where it starts and its content without the line break."""

    start: int
    content: str


def _lines(text: str) -> Iterator[_Line]:
    """The lines of `text`, split at \\n, \\r\\n and \\r, with their start offsets."""
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and match.group() == "":
            break  # the empty match finditer yields at the very end
        yield _Line(match.start(), match.group().rstrip("\r\n"))


def _is_role(label: str) -> bool:
    """True for "I", "Respondent", "Deelnemer 3", "R2", "Spreker B" and the like."""
    match = _ROLE.fullmatch(label)
    return match is not None and label[0].isupper() and match.group("word").lower() in ROLE_WORDS


def _is_name(label: str) -> bool:
    """True for 1–3 capitalised words, optionally with name particles between them ("Jan de Vries")."""
    words = label.split()
    if not words or len(words) > 6 or words[0].lower() in NAME_PARTICLES or words[-1].lower() in NAME_PARTICLES:
        return False
    capitalised = 0
    for word in words:
        if word.lower() in NAME_PARTICLES and not word[0].isupper():
            continue
        if not (word[0].isupper() and _NAME_PART.fullmatch(word)):
            return False
        capitalised += 1
    return 1 <= capitalised <= 3


def is_heading_label(label: str) -> bool:
    """True when the text before a colon opens a section or metadata line ("Vraag 1", "Datum") rather than a turn."""
    words = label.lower().split()
    return bool(words) and words[0].rstrip(".") in HEADING_WORDS


def speaker_of(line: str) -> tuple[str, int] | None:
    """The speaker label a line opens with and where the words after it start, or None.

    Checks the shape of the label only (role word, or a capitalised name of 1–3 words, not a heading
    word); `detect_turns` adds the document-level checks.
    """
    match = _LABEL_LINE.match(line)
    if match is None:
        return None
    label = match.group("label").strip()
    if is_heading_label(label) or not (_is_role(label) or _is_name(label)):
        return None
    rest_start = match.start("rest")
    rest_start += len(match.group("rest")) - len(match.group("rest").lstrip())
    return label, rest_start


def detect_turns(text: str, *, extra_labels: Mapping[int, str] | None = None) -> tuple[SpeakerTurn, ...]:
    """Speaker turns as offsets into `text`, or () when the text does not read as a transcript.

    A turn starts at a line that opens with a speaker label and a colon followed by a space or the line
    end, optionally after indentation and a timestamp ("[00:12:31] ", "00:12:31 ", "(00:12) "). A label is:

    - a role word, alone or with a number or capital letter: "I", "R", "Interviewer", "Respondent",
      "Deelnemer 3", "Medewerker", "R2", "Spreker B" (see ROLE_WORDS); or
    - a capitalised name of 1–3 words, with particles such as "de", "van der" allowed between them
      ("Jan de Vries", "Fatima"); names take no digits. Because a lone "Aandachtspunt:" line has the
      same shape, a name counts when it labels at least two lines, or when it labels one line with words
      after the colon in a text that already has two turns by role words or recurring names.

    Never a label: headings and metadata whose first word is in HEADING_WORDS ("Vraag 1: Wat gaat goed?",
    "Thema:", "Datum:", "Let op:"), and a label with nothing after the colon whose next non-blank line
    is a list item ("Kernpunten:" then "- ..."). A heading line ends the turn before it.

    A turn runs from its line start to just before the next turn (or heading) line, with trailing
    whitespace and line breaks left out; seq counts from 0; speaker is the label without the colon.
    Text before the first label belongs to no turn. `extra_labels` adds labels found another way (bold runs
    in a .docx) as {line start offset: speaker}: they skip the shape check (any short label) but not the
    heading, list and recurrence checks. Fewer than two turns in all give ().
    """
    lines = list(_lines(text))
    candidates: dict[int, str] = {}
    headings: set[int] = set()
    spoken: set[int] = set()  # label lines with words after the colon
    extra = extra_labels or {}
    for index, line in enumerate(lines):
        if line.start in extra:
            label = extra[line.start]
            if is_heading_label(label):
                headings.add(line.start)
                continue
            said = line.content.partition(":")[2].strip()
        else:
            match = _LABEL_LINE.match(line.content)
            if match is not None and is_heading_label(match.group("label").strip()):
                headings.add(line.start)
                continue
            found = speaker_of(line.content)
            if found is None:
                continue
            label, rest_start = found
            said = line.content[rest_start:]
        if not said:
            if _next_is_list_item(lines, index):
                continue
        else:
            spoken.add(line.start)
        candidates[line.start] = label
    name_counts = Counter(label for label in candidates.values() if not _is_role(label))
    anchors = {start: label for start, label in candidates.items() if _is_role(label) or name_counts[label] >= 2}
    starts = dict(anchors)
    if len(anchors) >= 2:
        # The text reads as a transcript, so a name that speaks once is a speaker too, as long as it says something.
        starts.update({start: label for start, label in candidates.items() if start in spoken})
    if len(starts) < 2:
        return ()
    boundaries = sorted(set(starts) | headings) + [len(text)]
    turns: list[SpeakerTurn] = []
    for seq, start in enumerate(sorted(starts)):
        end = boundaries[bisect.bisect_right(boundaries, start)]
        while end > start and text[end - 1].isspace():
            end -= 1
        turns.append(SpeakerTurn(seq=seq, speaker=starts[start], start=start, end=end))
    return tuple(turns)


def _next_is_list_item(lines: list[_Line], index: int) -> bool:
    """True when the next non-blank line after `index` is a bullet or numbered list item."""
    for line in lines[index + 1:]:
        if line.content.strip():
            return _LIST_ITEM.match(line.content) is not None
    return False
