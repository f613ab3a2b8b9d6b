"""The faster speaker-turn detector finds exactly the turns the former one found: same speakers, same offsets, on the
test transcripts, on the shared real-world files as every reader reads them, in every line-break convention, and on
generated text full of labels, headings, outlines, stage directions and timestamps."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.importers import turns_reference as reference
from workbench.core.model import SpeakerTurn
from workbench.errors import WorkbenchError
from workbench.importers import is_document_file, reader_for
from workbench.importers import turns as current
from workbench.importers.encoding import decode

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "transcripts"
#: The readers that detect turns, each through the name it imported `detect_turns` under.
READER_MODULES = ("_txt", "_docx", "_odt", "_rtf", "_pdf")


def both(text: str, **options: Any) -> tuple[tuple[SpeakerTurn, ...], tuple[SpeakerTurn, ...]]:
    """The turns the former and the current detector find in `text`."""
    return reference.detect_turns(text, **options), current.detect_turns(text, **options)


def line_break_variants(text: str) -> Iterator[tuple[str, str]]:
    """The text as written, with Windows line breaks, and with old Mac ones (a lone \\r)."""
    plain = text.replace("\r\n", "\n").replace("\r", "\n")
    yield "\\n", plain
    yield "\\r\\n", plain.replace("\n", "\r\n")
    yield "\\r", plain.replace("\n", "\r")


def fixture_texts() -> list[Path]:
    return sorted(path for path in FIXTURES.rglob("*.txt"))


@pytest.mark.parametrize("path", fixture_texts(), ids=lambda path: path.name)
def test_the_test_transcripts_get_the_same_turns_in_every_line_break_convention(path: Path) -> None:
    text = decode(path, path.read_bytes())
    for convention, variant in line_break_variants(text):
        former, faster = both(variant)
        assert faster == former, f"{path.name} with {convention} line breaks"
    assert current.detect_turns(text), f"{path.name}: a transcript with turns, so the comparison compares something"


@pytest.mark.parametrize("path", fixture_texts(), ids=lambda path: path.name)
def test_fixed_speakers_and_labels_from_bold_runs_give_the_same_turns(path: Path) -> None:
    text = decode(path, path.read_bytes())
    speakers = sorted({turn.speaker for turn in reference.detect_turns(text)})[:2] + ["Datum", "niemand"]
    assert both(text, speakers=speakers)[1] == both(text, speakers=speakers)[0]
    # Bold runs in a .docx name a label at a line start: every third line's first two words, as the reader would.
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    extra = {start: " ".join(text[start:start + 40].split()[:2]) for start in starts[::3] if text[start:start + 1].strip()}
    former, faster = both(text, extra_labels=extra)
    assert faster == former


def test_speaker_of_a_line_is_unchanged_for_every_line_of_the_test_transcripts() -> None:
    lines = [line for path in fixture_texts() for line in decode(path, path.read_bytes()).splitlines()]
    assert lines
    assert [current.speaker_of(line) for line in lines] == [reference.speaker_of(line) for line in lines]


def compared_detector(calls: list[str]) -> Callable[..., tuple[SpeakerTurn, ...]]:
    """A `detect_turns` that runs both detectors on what a reader gives it and fails on any difference."""

    def detect(text: str, **options: Any) -> tuple[SpeakerTurn, ...]:
        former, faster = both(text, **options)
        assert faster == former, f"differs on a text of {len(text)} characters with {sorted(options)}"
        calls.append(text)
        return faster

    return detect


def test_every_real_world_file_every_reader_reads_gets_the_same_turns(external_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for module in READER_MODULES:
        monkeypatch.setattr(f"workbench.importers.{module}.detect_turns", compared_detector(calls))
    paths = sorted(path for path in external_dir.rglob("*") if path.is_file() and is_document_file(path))
    for path in paths:
        with contextlib.suppress(WorkbenchError):  # a file its reader refuses (damaged on purpose) has no turns
            reader_for(path).read(path, None)
    assert len(calls) >= 10, "the shared files hold more than ten documents the readers take"
    for text in calls:  # and each again in the other line-break conventions
        for convention, variant in line_break_variants(text):
            former, faster = both(variant)
            assert faster == former, convention


# --- generated text ------------------------------------------------------------------------------------------

LABELS = st.sampled_from([
    "I", "R", "Interviewer", "Respondent 2", "Deelnemer 3", "De voorzitter", "Researcher 1", "R2", "Spreker B", "Q",
    "Jan de Vries", "Anna", "Mevrouw Bikker", "De heer Omtzigt", "Minister Van Weel", "Anna Smith (SL)",
    "Mevrouw Bikker (ChristenUnie)", "id1", "id2", "P05", "Person 3", "p3", "Vraag 1", "Datum", "Locatie", "Thema",
    "ORCiD ID", "Koronavírus", "http", "NB", "ja", "e.g", "the chair", "Dr. Smith", "van Dijk", "X Æ", "Élodie",
])
SAID = st.sampled_from([
    "Ja, dat klopt.", "Goed zo!", "Hoe gaat het?", "nee", "3 maart 2024", "https://example.org/x", "<http://x.org/y>",
    "a@b.nl", "Welkom bij dit gesprek", "Sanne de Boer", "", "  ", "12", "Dat was \u201cmooi\u201d", "(lacht)", "Nou…",
    "Koronavírus: nieuwe maatregelen voor iedereen", "- punt een", "Wat vindt u?", "ok: ok", "[lacht] Ja.",
])
STAMPS = st.sampled_from(["", "[00:12:31] ", "00:12:31 ", "(00:12) ", "[12:34] - ", "00:11:09\t", "  ", "\t"])


@st.composite
def label_line(draw: st.DrawFn, labels: st.SearchStrategy[str] = LABELS) -> str:
    """One line as transcripts write them: a label in one of its shapes, or a heading, list item or plain words."""
    label, said, stamp = draw(labels), draw(SAID), draw(STAMPS)
    shape = draw(st.sampled_from([
        "{s}{l}: {w}", "{s}{l}:", "{s}[{l}] {w}", "{s}[{l}]: {w}", "{s}{l} (00:03): {w}", "{s}{l}  0:02", "{s}{l}:{w}",
        "{s}[{w}]", "{w}", "  - {w}", "1. {w}", "{s}{l} : {w}", "{l}:\t{w}", "[{l}]", "{s}{l}: {w} {l}: {w}",
    ]))
    return shape.format(s=stamp, l=label, w=said)


BREAKS = st.sampled_from(["\n", "\n", "\n", "\n\n", "\r\n", "\r", "\n  \n", "\u2028", "\x0b"])


@st.composite
def transcript(draw: st.DrawFn) -> str:
    """Lines of a conversation among a small cast (so labels recur), with stray lines of any text between them."""
    cast = st.sampled_from(draw(st.lists(LABELS, min_size=1, max_size=4)))
    line = st.one_of(label_line(cast), label_line(cast), label_line(), st.just(""), st.text(max_size=20))
    lines = draw(st.lists(line, min_size=1, max_size=30))
    return "".join(text + draw(BREAKS) for text in lines) + draw(st.sampled_from(["", "\n", " \n", "\r\n\r\n", "  "]))


TEXTS = transcript()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_generated_transcripts_get_the_same_turns(text: str) -> None:
    former, faster = both(text)
    assert faster == former


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.lists(LABELS, max_size=4), st.data())
def test_generated_transcripts_with_fixed_speakers_or_bold_labels_get_the_same_turns(
    text: str, speakers: list[str], data: st.DataObject
) -> None:
    assert both(text, speakers=speakers)[1] == both(text, speakers=speakers)[0]
    starts = [0] + [i + 1 for i, char in enumerate(text) if char in "\r\n"]
    chosen = data.draw(st.lists(st.sampled_from(starts), max_size=5))
    extra = {start: data.draw(LABELS) for start in chosen}
    former, faster = both(text, extra_labels=extra)
    assert faster == former


@settings(max_examples=300, deadline=None)
@given(st.one_of(label_line(), st.text(max_size=80)))
def test_speaker_of_any_line_is_unchanged(line: str) -> None:
    assert current.speaker_of(line) == reference.speaker_of(line)
