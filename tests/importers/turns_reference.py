"""The speaker-turn detector as it was before it was made faster (workbench/importers/turns.py at commit ac8d90a), kept
unchanged as the oracle `test_turns_equivalence.py` compares the faster one with: same turns, same speakers, same
offsets, on every text. Not imported by the workbench itself.

Original docstring: Speaker turns found in transcript text from labels such as "I:", "Researcher 1:", "[id1]" or
"Mevrouw Bikker (CU):".
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from workbench.core.model import SpeakerTurn

#: Role words that name a speaker on their own or with a number or letter ("Deelnemer 3", "R2", "Spreker B").
ROLE_WORDS = frozenset({
    "i", "r", "p", "m", "int", "iv", "resp", "interviewer", "interviewster", "interviewee", "respondent",
    "deelnemer", "deelneemster", "participant", "medewerker", "medewerkster", "moderator", "gespreksleider",
    "gespreksleidster", "onderzoeker", "onderzoekster", "begeleider", "begeleidster", "spreker", "speaker",
    "client", "cliënt", "cliente", "cliënte", "jongere", "ouder", "docent", "leerling", "student", "coach",
    "facilitator", "observator", "notulist", "voorzitter", "bewoner", "patiënt", "patient", "verpleegkundige",
    "researcher", "q", "a", "chair", "chairman", "chairwoman", "chairperson", "host", "presenter", "presentator",
    "minister", "staatssecretaris", "wethouder", "burgemeester", "griffier",
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
    "orcid", "id", "doi", "isbn", "issn", "email", "e-mail", "mail", "url", "website", "tel", "telefoon", "phone",
    "adres", "address", "naam", "leeftijd", "age", "geslacht", "gender", "keywords", "trefwoorden", "licentie",
    "license", "licence", "copyright", "ontology", "prefix", "import", "agendapunt", "agendapunten", "rondvraag",
    "mededelingen", "sluiting", "opname", "recording", "transcribent", "setting", "functie", "organisatie",
    "organisation", "organization",
})

#: First words of the metadata lines a transcript's header holds ("Datum: 3 maart", "Locatie: Zwolle").
METADATA_WORDS = frozenset({
    "datum", "date", "tijd", "time", "duur", "duration", "locatie", "location", "plaats", "place", "aanwezig",
    "aanwezigen", "present", "opname", "recording", "transcriptie", "transcript", "transcribent", "leeftijd", "age",
    "geslacht", "gender", "functie", "organisatie", "organisation", "organization", "bron", "source", "versie",
    "version", "setting",
})

#: Lowercase words that may sit between the capitalised parts of a name ("Jan de Vries", "Els van der Berg").
NAME_PARTICLES = frozenset({
    "de", "den", "der", "van", "von", "vom", "zu", "het", "'t", "’t", "te", "ten", "ter", "in", "op", "la", "le",
    "du", "da", "di", "del", "della", "dos", "das", "do", "el", "al", "bin", "ibn", "y", "e", "d'", "l'",
})


#: Words of address and office before a name ("Mevrouw Bikker", "De heer Omtzigt", "Minister Van Weel", "Dr. Smith").
HONORIFICS = frozenset({
    "mevrouw", "mevr", "mw", "meneer", "mijnheer", "heer", "mr", "mrs", "ms", "miss", "dr", "drs", "ir", "prof",
    "sir", "dame", "minister", "staatssecretaris", "wethouder", "burgemeester", "senator", "commissaris", "president",
})

#: Articles a role word may follow ("De voorzitter", "The interviewer").
ARTICLES = frozenset({"de", "het", "the"})

#: Bracketed stage directions in captions and transcripts ("[Music]", "[lacht]", "[inaudible]"): never a speaker.
STAGE_DIRECTIONS = frozenset({
    "music", "muziek", "applause", "applaus", "laughter", "laughs", "laughing", "gelach", "lacht", "lachen",
    "inaudible", "onverstaanbaar", "unintelligible", "unclear", "onduidelijk", "crosstalk", "silence", "stilte",
    "noise", "geluid", "foreign", "overlapping", "pause", "pauze", "sighs", "zucht", "blank_audio",
    "end", "einde", "break", "interruption", "onderbreking", "coughs", "hoest", "background", "achtergrond",
})

_STAMP = (
    r"(?:\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\]"  # [12:34] or [12:34:56.789]
    r"|\(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\)"  # (12:34)
    r"|\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)"  # 12:34:56
)
_LEAD = rf"[ \t]*(?:{_STAMP}[ \t]*(?:[-–—][ \t]*)?)?"
#: indent, optional timestamp (and dash), a label that starts with a letter, then ":" followed by a space or the line end.
_LABEL_LINE = re.compile(rf"{_LEAD}(?P<label>[^\W\d_][^:\t]{{0,60}}?)[ \t]*:(?=[ \t]|$)(?P<rest>.*)")
#: indent, optional timestamp, a label in square brackets ("[id1]", "[Alba]"), an optional colon, then a space or the end.
_BRACKET_LINE = re.compile(rf"{_LEAD}\[(?P<label>[^\W_][^\[\]\t\r\n:]{{0,40}}?)\][ \t]*:?(?=[ \t]|$)(?P<rest>.*)")
_CLOCK = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
#: A label with the time after it, as transcription services write them: "Speaker 1 (00:03): …" (Rev), or
#: "Jane Doe  0:02" alone on its line with the words on the next (Otter).
_TIMED_LABEL_LINE = re.compile(
    rf"{_LEAD}(?P<label>[^\W\d_][^:\t\[\]()]{{0,60}}?)"
    rf"(?:[ \t]*\({_CLOCK}\)[ \t]*:(?=[ \t]|$)|[ \t]+{_CLOCK}[ \t]*$)(?P<rest>.*)"
)
#: Any run before a colon or in brackets, for labels the user names (--speakers): no shape check.
_ANY_LABEL_LINE = re.compile(
    rf"{_LEAD}(?:\[(?P<bracketed>[^\[\]\t\r\n]{{1,60}})\][ \t]*:?|(?P<label>[^:\t\r\n\[]{{1,60}}?)[ \t]*:)(?=[ \t]|$)(?P<rest>.*)"
)
_ROLE = re.compile(r"(?P<word>[^\W\d_]+)(?:[ ]?\d{1,3}|[ ][A-Z])?")
_NAME_PART = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*\.?")
#: Identifiers and numbered labels: "id1", "P05", "S2", "Person 3".
_CODE = re.compile(r"[^\W\d_]{1,4}\d{1,3}|[^\W\d_]+ \d{1,3}")
_AFFILIATION = re.compile(r"(?P<core>[^()]*?\S)[ \t]*\((?P<affiliation>[^()]{1,40})\)")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*•–·▪◦]|\d{1,3}[.)]|[a-z][.)])[ \t]")
#: How speech after a label ends, unlike a title or a keyword list.
_SENTENCE_ENDS = frozenset(".?!…\"”’'»)")
#: What follows a label in metadata and outlines rather than speech: a link, an <IRI>, an e-mail address, or no letters.
_VALUE = re.compile(r"<[^>]*>|(?:https?://|www\.)\S*|\S+@\S+\.\S+|[\d\W_]*", re.IGNORECASE)


class LabelKind(Enum):
    """How much evidence a label's shape gives that it names a speaker."""

    ROLE = "role"  # a role word: counts even once ("Interviewer", "De voorzitter", "R2")
    AFFILIATED = "affiliated"  # a name with a parenthesised affiliation: counts once when it says something
    NAME = "name"  # a capitalised name: counts when it recurs, or once inside a conversation
    CODE = "code"  # an identifier ("id1", "Person 3"): counts when it recurs


@dataclass(frozen=True)
class _Line:
    """One line of the text: where it starts and its content without the line break."""

    start: int
    content: str


@dataclass(frozen=True)
class _Label:
    """A label a line opens with: the label, its kind, where the words after it start and what they are."""

    label: str
    kind: LabelKind
    rest_start: int
    rest: str
    said: bool = False  # what follows reads as speech: a sentence on its line or the next one


def _lines(text: str) -> Iterator[_Line]:
    """The lines of `text`, split at \\n, \\r\\n and \\r, with their start offsets."""
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and match.group() == "":
            break  # the empty match finditer yields at the very end
        yield _Line(match.start(), match.group().rstrip("\r\n"))


def _is_role(label: str) -> bool:
    """True for "I", "Respondent", "Deelnemer 3", "R2", "Spreker B", "De voorzitter" and the like."""
    words = label.split()
    if len(words) >= 2 and words[0].lower() in ARTICLES and label[0].isupper():
        label = " ".join(words[1:])
    elif not label[:1].isupper():
        return False
    match = _ROLE.fullmatch(label)
    return match is not None and match.group("word").lower() in ROLE_WORDS


def _is_name(label: str, *, leading_particle: bool = False) -> bool:
    """True for 1–3 capitalised words, optionally with name particles between them ("Jan de Vries").

    `leading_particle` allows a capitalised particle first, as surnames have after a word of address ("Van Weel").
    """
    words = label.split()
    if not words or len(words) > 6 or words[-1].lower() in NAME_PARTICLES:
        return False
    if words[0].lower() in NAME_PARTICLES and not (leading_particle and words[0][0].isupper() and len(words) > 1):
        return False
    capitalised = 0
    for word in words:
        if word.lower() in NAME_PARTICLES and not word[0].isupper():
            continue
        if not (word[0].isupper() and _NAME_PART.fullmatch(word)):
            return False
        capitalised += 1
    return 1 <= capitalised <= 3


def _is_addressed_name(label: str) -> bool:
    """True for a name after a word of address or office: "Mevrouw Bikker", "De heer Omtzigt", "Minister Van Weel"."""
    words = label.split()
    if len(words) >= 3 and words[0].lower() == "de" and words[1].lower() == "heer":
        return _is_name(" ".join(words[2:]), leading_particle=True)
    if len(words) >= 2 and label[0].isupper() and words[0].lower().rstrip(".") in HONORIFICS:
        return _is_name(" ".join(words[1:]), leading_particle=True)
    return False


def label_kind(label: str) -> LabelKind | None:
    """What kind of speaker label `label` is by its shape alone, or None when it cannot name a speaker."""
    affiliated = _AFFILIATION.fullmatch(label)
    if affiliated is not None:
        core = _core_kind(affiliated.group("core"))
        if core is None:
            return None
        return LabelKind.ROLE if core is LabelKind.ROLE else LabelKind.AFFILIATED
    return _core_kind(label)


def _core_kind(label: str) -> LabelKind | None:
    """The kind of a label without its affiliation."""
    if _is_role(label):
        return LabelKind.ROLE
    if _is_addressed_name(label) or _is_name(label):
        return LabelKind.NAME
    if _CODE.fullmatch(label) and (label[0].isupper() or any(char.isdigit() for char in label)):
        return LabelKind.CODE
    return None


def is_heading_label(label: str) -> bool:
    """True when the text before a colon opens a section or metadata line ("Vraag 1", "Datum") rather than a turn."""
    words = label.lower().split()
    return bool(words) and words[0].rstrip(".") in HEADING_WORDS


def _is_stage_direction(label: str) -> bool:
    """True for "[Music]", "[lacht]", "[inaudible]": bracketed lowercase words without digits, or a known sound."""
    words = label.lower().split()
    if not words or words[0] in STAGE_DIRECTIONS:
        return True
    return label == label.lower() and not any(char.isdigit() for char in label)


def _label_at(line: str) -> _Label | None:
    """The speaker label a line opens with ("Name:" or "[Name]"), checked by shape only, or None."""
    for pattern, bracketed in ((_LABEL_LINE, False), (_BRACKET_LINE, True), (_TIMED_LABEL_LINE, False)):
        match = pattern.match(line)
        if match is None:
            continue
        label = match.group("label").strip()
        kind = _speaker_kind(label, bracketed)
        if kind is None:
            return None
        return _Label(label, kind, *_rest(match))
    return None


@lru_cache(maxsize=4096)
def _speaker_kind(label: str, bracketed: bool) -> LabelKind | None:
    """The kind of a label that can name a speaker, None for a heading, a stage direction or no label shape.

    Cached: a transcript repeats a handful of labels on thousands of lines.
    """
    if is_heading_label(label) or (bracketed and _is_stage_direction(label)):
        return None
    return label_kind(label)


def _rest(match: re.Match[str]) -> tuple[int, str]:
    """Where the words after a label start, and those words."""
    rest = match.group("rest")
    said = rest.strip()
    return match.start("rest") + len(rest) - len(rest.lstrip()), said


def speaker_of(line: str) -> tuple[str, int] | None:
    """The speaker label a line opens with and where the words after it start, or None.

    Checks the shape of the label only (role word, name, name with affiliation, identifier; not a heading
    word or a bracketed stage direction); `detect_turns` adds the document-level checks.
    """
    found = _label_at(line)
    return None if found is None else (found.label, found.rest_start)


def _fixed_label_at(line: str, speakers: Mapping[str, str]) -> str | None:
    """The label a line opens with when it is one of `speakers` (keyed by casefolded label), as written in the line."""
    for match in (_ANY_LABEL_LINE.match(line), _TIMED_LABEL_LINE.match(line)):
        if match is None:
            continue
        label = (match.groupdict().get("bracketed") or match.group("label") or "").strip()
        if _key(label) in speakers:
            return label
    return None


def _key(label: str) -> str:
    """A label compared without case and extra spaces."""
    return " ".join(label.split()).casefold()


def detect_turns(
    text: str, *, extra_labels: Mapping[int, str] | None = None, speakers: Collection[str] | None = None,
) -> tuple[SpeakerTurn, ...]:
    """Speaker turns as offsets into `text`, or () when the text does not read as a transcript.

    A turn starts at a line that opens with a speaker label, optionally after indentation and a timestamp
    ("[00:12:31] ", "00:12:31 ", "(00:12) ", a Zoom chat's "00:11:09<tab>"). A label ends in a colon followed
    by a space or the line end ("Interviewer:"), stands in square brackets ("[id1] …"), or has the time after
    it ("Speaker 1 (00:03): …", or "Jane Doe  0:02" alone on its line). It is:

    - a role word, alone, with a number or capital letter, or after an article: "I", "R", "Q", "A",
      "Interviewer", "Researcher 1", "Deelnemer 3", "De voorzitter" (see ROLE_WORDS): counts even once;
    - a name with a parenthesised affiliation: "Anna Smith (SL)", "Mevrouw Bikker (ChristenUnie)": counts
      once when it says something on its line;
    - a capitalised name of 1–3 words, particles allowed between them, optionally after a word of address
      ("Jan de Vries", "Mevrouw Van der Plas", "De heer Omtzigt"): counts when it labels two lines;
    - an identifier ("id1", "P05", "Casemanager 2"): counts when it recurs.

    Between two turns found so far, a name (with or without affiliation) that occurs once counts too when
    what follows it, on its line or the next, reads as a sentence (not lowercase at the start, ending in
    ". ? ! …" or a quote), and so does a new number of a recurring identifier ("[p3]" beside "[p1]").

    Never a label: headings and metadata whose first word is in HEADING_WORDS ("Vraag 1:", "Datum:",
    "ORCiD ID:"); the labels in a header block beside "Datum:" or "Locatie:" before anyone speaks
    ("Interviewer: Sanne de Boer"); bracketed stage directions ("[lacht]", "[Music]"); a label with nothing
    after it whose next line is a list item or indented deeper (an outline); a name or identifier whose every line holds only a
    link, an <IRI>, an address or a number (metadata), and a name whose lines mostly repeat the same words
    (a title repeated per record, "Koronavírus: …"). A heading line ends the turn before it.

    `extra_labels` adds labels found another way (bold runs in a .docx) as {line start offset: speaker}: they
    skip the shape check but not the others. `speakers` fixes the set of labels instead (compared without
    case): every line that opens with one of them starts a turn, whatever its shape and however often it
    occurs. A turn runs from its line start to just before the next turn (or heading) line, trailing white
    space left out; seq counts from 0. Without `speakers`, fewer than two turns in all give ().
    """
    lines = list(_lines(text))
    if speakers is not None:
        fixed = {_key(label): label for label in speakers if label.strip()}
        starts = {
            line.start: label for line in lines if (label := _fixed_label_at(line.content, fixed)) is not None
        }
        return _turns(text, starts, _headings(lines, set(starts)))
    labels = _candidates(lines, extra_labels or {})
    for start in _header_fields(lines, labels):
        del labels[start]
    starts = _speakers(labels)
    if len(starts) < 2:
        return ()
    return _turns(text, starts, _headings(lines, set(starts)))


def _candidates(lines: list[_Line], extra: Mapping[int, str]) -> dict[int, _Label]:
    """Label lines by shape, without outline labels (nothing said, a list or an indented block follows)."""
    found: dict[int, _Label] = {}
    for index, line in enumerate(lines):
        if ":" not in line.content and "[" not in line.content:
            continue  # most lines: no label possible (every form has a colon or a bracket), and regexes cost
        if line.start in extra:
            label = extra[line.start].strip()
            if is_heading_label(label):
                continue
            said = line.content.partition(":")[2].strip()
            candidate: _Label | None = _Label(label, label_kind(label) or LabelKind.NAME, 0, said)
        else:
            candidate = _label_at(line.content)
        if candidate is None:
            continue
        if not candidate.rest and _opens_block(lines, index):
            continue
        speech = _reads_as_speech(candidate.rest or _next_text(lines, index))
        # Built anew rather than with dataclasses.replace, which costs more than the rest of the loop together.
        found[line.start] = _Label(candidate.label, candidate.kind, candidate.rest_start, candidate.rest, speech)
    return found


def _header_fields(lines: list[_Line], labels: Mapping[int, _Label]) -> list[int]:
    """Label lines in the metadata block a transcript opens with ("Interviewer: Sanne de Boer" next to "Datum: …").

    Before the first label line that reads as speech, a run of adjacent label lines that holds a metadata
    line ("Datum:", "Locatie:", see METADATA_WORDS; not a question heading) is a header: its labels name who
    took part, they are not turns.
    """
    fields: list[int] = []
    run: list[int] = []
    run_has_heading = False
    for line in lines:
        found = labels.get(line.start)
        if found is not None and found.said:
            break
        if found is not None:
            run.append(line.start)
        elif _is_heading_line(line.content, METADATA_WORDS):
            run_has_heading = True
        else:  # a blank or plain line ends the run
            if run_has_heading:
                fields.extend(run)
            run, run_has_heading = [], False
    if run_has_heading:
        fields.extend(run)
    return fields


def _is_heading_line(content: str, words: frozenset[str] = HEADING_WORDS) -> bool:
    """True for a heading or metadata line such as "Vraag 2: …" or "Datum: 3 maart" (its first word in `words`)."""
    if ":" not in content:
        return False
    match = _LABEL_LINE.match(content)
    if match is None:
        return False
    label = match.group("label").lower().split()
    return bool(label) and label[0].rstrip(".") in words


def _speakers(labels: dict[int, _Label]) -> dict[int, str]:
    """The label lines that start turns, by the document-level checks of `detect_turns`."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for start, found in labels.items():
        by_label[found.label].append(start)
    rejected = {
        label for label, starts in by_label.items()
        if labels[starts[0]].kind is not LabelKind.ROLE and (_only_values(labels, starts) or _repeats_itself(labels, starts))
    }
    counts = Counter(found.label for found in labels.values() if found.label not in rejected)
    anchors: dict[int, str] = {}
    for start, found in labels.items():
        if found.label in rejected:
            continue
        if (
            found.kind is LabelKind.ROLE
            or counts[found.label] >= 2
            or (found.kind is LabelKind.AFFILIATED and found.rest)
        ):
            anchors[start] = found.label
    starts = dict(anchors)
    if len(anchors) >= 2:
        # Inside a conversation a name that speaks once is a speaker too, and so is a new number of an identifier
        # that recurs ("[p3]" next to "[p1]", "[p2]"); a title above, below or between the turns is not.
        first, last = min(anchors), max(anchors)
        families = {_family(labels[start]) for start in anchors}
        starts.update({
            start: found.label for start, found in labels.items()
            if found.label not in rejected and first < start < last and found.said
            and (found.kind in (LabelKind.NAME, LabelKind.AFFILIATED) or _family(found) in families)
        })
    return starts


def _family(found: _Label) -> str | None:
    """What an identifier label is without its number ("p" for "p3" and "P12"), None for other labels."""
    if found.kind is not LabelKind.CODE:
        return None
    return found.label.rstrip("0123456789 ").casefold()


def _only_values(labels: dict[int, _Label], starts: list[int]) -> bool:
    """True when every line of a label holds metadata (a link, an <IRI>, an address, a number), none speech."""
    return all(labels[start].rest and _VALUE.fullmatch(labels[start].rest) for start in starts)


def _repeats_itself(labels: dict[int, _Label], starts: list[int]) -> bool:
    """True when at least half of a label's lines (three or more) repeat words it had before: a per-record title."""
    if len(starts) < 3:
        return False
    seen: set[str] = set()
    repeats = 0
    for start in starts:
        rest = labels[start].rest
        if len(rest.split()) >= 3:
            repeats += rest in seen
            seen.add(rest)
    return repeats * 2 >= len(starts)


def _headings(lines: list[_Line], starts: set[int]) -> set[int]:
    """Starts of heading and metadata lines ("Vraag 2: …", "Datum: …") that are not turns: they end the turn before."""
    return {line.start for line in lines if line.start not in starts and _is_heading_line(line.content)}


def _turns(text: str, starts: Mapping[int, str], headings: set[int]) -> tuple[SpeakerTurn, ...]:
    """Turns from their start offsets: each runs to the next turn or heading, trailing white space left out."""
    boundaries = sorted(set(starts) | headings) + [len(text)]
    turns: list[SpeakerTurn] = []
    for seq, start in enumerate(sorted(starts)):
        end = boundaries[bisect.bisect_right(boundaries, start)]
        while end > start and text[end - 1].isspace():
            end -= 1
        turns.append(SpeakerTurn(seq=seq, speaker=starts[start], start=start, end=end))
    return tuple(turns)


def _reads_as_speech(words: str) -> bool:
    """True when `words` read as a sentence: not starting in lowercase ("Stemming: aangenomen met…" is a record
    field) and ending in ". ? ! …" or a closing quote (not a title or a keyword list)."""
    words = words.strip()
    return bool(words) and not words[0].islower() and words[-1] in _SENTENCE_ENDS


def _next_text(lines: list[_Line], index: int) -> str:
    """The next non-blank line after `index` when it is plain text rather than another label, else ""."""
    following = _next_nonblank(lines, index)
    if following is None or _label_at(following.content) is not None:
        return ""
    return following.content.strip()


def _next_nonblank(lines: list[_Line], index: int) -> _Line | None:
    """The first line after `index` with more than white space, or None."""
    for position in range(index + 1, len(lines)):  # indexing, not slicing: a slice per label line is quadratic
        if lines[position].content.strip():
            return lines[position]
    return None


def _opens_block(lines: list[_Line], index: int) -> bool:
    """True when the next non-blank line after `index` is a list item or is indented deeper: an outline, not a turn."""
    following = _next_nonblank(lines, index)
    if following is None:
        return False
    return _LIST_ITEM.match(following.content) is not None or _indent(following.content) > _indent(lines[index].content)


def _indent(content: str) -> int:
    """Columns of leading white space, a tab counting as four."""
    stripped = content.lstrip(" \t")
    return len(content[: len(content) - len(stripped)].replace("\t", "    "))
