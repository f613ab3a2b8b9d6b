"""Turn detection measured against hand-annotated turn starts: precision and recall of turn boundaries per transcript.

Each transcript has a file of expected turn starts (tests/data/transcripts/*.tsv for the Dutch fixtures written for
this, tests/data/transcripts/external/*.tsv for the shared real-world files in ../shared/external), one
`WHERE<TAB>SPEAKER` per line: WHERE is the line number in the imported text, or the cue start HH:MM:SS for subtitles.
A found turn counts as right when it starts at an expected place; speakers are compared separately.

    PYTHONPATH=. python bench/turns_bench.py            # prints the Markdown table pasted into bench/README.md
"""

from __future__ import annotations

import bisect
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.importers import reader_for  # noqa: E402

FIXTURES = ROOT / "tests" / "data" / "transcripts"
EXTERNAL = ROOT.parent / "shared" / "external"
_CUE_STAMP = re.compile(r"\[(\d\d:\d\d:\d\d)\]")


@dataclass(frozen=True)
class Score:
    """One transcript's result."""

    name: str
    found: int
    expected: int
    right: int
    same_speaker: int

    @property
    def precision(self) -> float | None:
        return self.right / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.right / self.expected if self.expected else None


def expected_starts(annotation: Path) -> list[tuple[str, str]]:
    """The (where, speaker) pairs of an annotation file, comments left out."""
    pairs = []
    for line in annotation.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            where, _, speaker = line.partition("\t")
            pairs.append((where.strip(), speaker.strip()))
    return pairs


def found_starts(path: Path) -> list[tuple[str, str]]:
    """The (where, speaker) pairs of the turns the importer finds in `path`."""
    document = reader_for(path).read(path, None)
    text = document.text
    line_starts = [match.start() for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text)]
    pairs = []
    for turn in document.turns:
        if path.suffix.lower() in (".vtt", ".srt"):
            stamp = _CUE_STAMP.match(text, turn.start)
            where = stamp.group(1) if stamp else f"@{turn.start}"
        else:
            where = str(bisect.bisect_right(line_starts, turn.start))
        pairs.append((where, turn.speaker))
    return pairs


def score(name: str, path: Path, annotation: Path) -> Score:
    """Compare the turns found in `path` with the annotated ones."""
    expected = expected_starts(annotation)
    found = found_starts(path)
    expected_at = Counter(where for where, _ in expected)
    found_at = Counter(where for where, _ in found)
    right = sum((expected_at & found_at).values())
    same = sum((Counter(expected) & Counter(found)).values())
    return Score(name, len(found), len(expected), right, same)


def transcripts() -> list[tuple[str, Path, Path]]:
    """(table name, transcript, annotation) for every annotated transcript that is present."""
    cases = []
    for annotation in sorted((FIXTURES / "external").glob("*.tsv")):
        path = EXTERNAL / ("subtitles" if annotation.stem.endswith((".vtt", ".srt")) else "transcripts") / annotation.stem
        if path.exists():
            cases.append((f"shared: {annotation.stem}", path, annotation))
    for annotation in sorted(FIXTURES.glob("*.tsv")):
        cases.append((f"fixture: {annotation.stem}", FIXTURES / annotation.stem, annotation))
    return cases


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(scores: list[Score]) -> str:
    """The Markdown table: per transcript, turns found / expected, precision, recall, speaker right."""
    rows = [
        "| transcript | turns found / expected | precision | recall | speaker right |",
        "|---|---:|---:|---:|---:|",
    ]
    for s in scores:
        rows.append(
            f"| {s.name} | {s.found} / {s.expected} | {_ratio(s.precision)} | {_ratio(s.recall)} "
            f"| {s.same_speaker} / {s.right} |"
        )
    found = sum(s.found for s in scores)
    expected = sum(s.expected for s in scores)
    right = sum(s.right for s in scores)
    same = sum(s.same_speaker for s in scores)
    total = Score("all", found, expected, right, same)
    rows.append(
        f"| **all ({len(scores)} transcripts)** | {found} / {expected} | {_ratio(total.precision)} "
        f"| {_ratio(total.recall)} | {same} / {right} |"
    )
    return "\n".join(rows)


def main() -> int:
    cases = transcripts()
    if not any(name.startswith("shared:") for name, _, _ in cases):
        print(f"note: {EXTERNAL} not found, shared transcripts left out", file=sys.stderr)
    print(table([score(name, path, annotation) for name, path, annotation in cases]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
