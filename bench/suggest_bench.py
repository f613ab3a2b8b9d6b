"""Suggestion speed: the Dutch pipeline over a million words, and suggestions for every unit of a long transcript.

1. The pipeline (`workbench.suggest.pipeline.analyse_many`: tokens, sentence starts, lemmas, content-word flags)
   over 1,000,000 words of the demo's Dutch interviews and answers, cut into documents of about 2,000 words, against
   bare tokenisation by `spacy.blank("nl").pipe` in the same run, of the same documents whole and of the same
   documents cut into the lines our pipeline feeds spaCy (the stricter baseline: spaCy tokenises short lines much
   faster than long documents). CPU seconds of this process (`time.process_time`, so other work on the machine does
   not count), median of the runs after a warm-up. Target: ours ≤ 2× bare `nlp.pipe` of the same documents (the
   issue's wording); the ratio to the lines is printed beside it, as it shows our own per-token cost (building
   Python tuples of offsets, lemmas and flags per token: about 1 µs a token).
2. A 10,000-word transcript (the demo's interviews one after another, speaker turns kept) added to a copy of the
   Huis van Herstel demo: `suggest_document` for every turn, with the model learned from onderzoeker1's codings.
   Cold is the first call (CPU seconds, as above) (lemmas worked out and cached, rules compiled); warm is the median of the next calls,
   against the least it must do: read the document's codings and tokens back (`load_corpus` for that document).
   Target: warm < 1 s.

Run from the repository root: `python bench/suggest_bench.py [--words N] [--repeat K]`. Exits 1 when a target is
missed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PIPELINE_TARGET = 2.0
TRANSCRIPT_TARGET_S = 1.0
DOCUMENT_WORDS = 2_000
TRANSCRIPT_WORDS = 10_000
CODER = "onderzoeker1"


def timed(run: Callable[[], object], repeat: int, warm_up: bool = True) -> tuple[float, object]:
    """Median CPU seconds of `repeat` runs (after one warm-up run unless told not to), and the last result."""
    result = run() if warm_up else None
    times = []
    for _ in range(repeat):
        start = time.process_time()
        result = run()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def demo_texts(project: Path) -> list[str]:
    """Every document text of the demo, answers and interviews alike."""
    from workbench.core.corpus import document_summaries, get_document
    from workbench.core.store import Store

    store = Store.open(project)
    try:
        return [get_document(store, summary.name).text for summary in document_summaries(store)]
    finally:
        store.close()


def documents_of(texts: list[str], words: int) -> list[str]:
    """About `words` words of the given texts, cycled and cut into documents of about 2,000 words each."""
    documents: list[str] = []
    current: list[str] = []
    count = total = 0
    while total < words:
        for text in texts:
            current.append(text)
            count += len(text.split())
            if count >= DOCUMENT_WORDS:
                documents.append("\n".join(current))
                total += count
                current, count = [], 0
                if total >= words:
                    break
    return documents


def pipeline(texts: list[str], words: int, repeat: int) -> bool:
    import spacy

    from workbench.core.units import paragraphs
    from workbench.suggest.pipeline import analyse_many, nlp

    documents = documents_of(texts, words)
    lines = [document[start:end] for document in documents for start, end in paragraphs(document)]
    counted = sum(len(d.split()) for d in documents)
    nlp()  # loading the tables is a one-off per process, not per word
    bare = spacy.blank("nl")
    whole_s, _ = timed(lambda: sum(len(doc) for doc in bare.pipe(documents)), repeat)
    lines_s, _ = timed(lambda: sum(len(doc) for doc in bare.pipe(lines)), repeat)
    ours_s, tokens = timed(lambda: analyse_many(documents), repeat)
    ratio = ours_s / whole_s
    print(f"pipeline: {counted:,} words in {len(documents)} documents ({len(lines):,} lines), "
          f"{sum(len(t) for t in tokens):,} tokens")  # type: ignore[attr-defined]
    print(f"  bare spacy.blank('nl').pipe: whole documents {whole_s:.2f} s, their lines {lines_s:.2f} s · "
          f"ours (sentences, lemmas, flags) {ours_s:.2f} s = {ratio:.2f}× the documents (target ≤ {PIPELINE_TARGET:.0f}×), "
          f"{ours_s / lines_s:.2f}× the lines")
    return ratio <= PIPELINE_TARGET


def transcript(demo: Path, texts: list[str], repeat: int) -> bool:
    from workbench.core.corpus import add_document
    from workbench.core.model import DocumentKind
    from workbench.core.store import Store
    from workbench.importers.turns import detect_turns
    from workbench.suggest import retrain, suggest_document
    from workbench.suggest.samples import load_corpus

    interviews = [t for t in texts if t.lstrip().startswith(("I:", "R:"))] or texts
    lines: list[str] = []
    count = 0
    while count < TRANSCRIPT_WORDS:
        for text in interviews:
            for line in text.splitlines():
                lines.append(line)
                count += len(line.split())
                if count >= TRANSCRIPT_WORDS:
                    break
            if count >= TRANSCRIPT_WORDS:
                break
    text = "\n".join(lines)
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp) / "hvh"
        shutil.copytree(demo, project)
        store = Store.open(project)
        try:
            name = "lang_transcript"
            add_document(store, name=name, text=text, kind=DocumentKind.TRANSCRIPT, actor="bench", turns=detect_turns(text))
            retrain(store, CODER)
            cold, found = timed(lambda: suggest_document(store, name, coder=CODER), 1, warm_up=False)
            warm, found = timed(lambda: suggest_document(store, name, coder=CODER), repeat)
            base, _ = timed(lambda: load_corpus(store, documents=[name]), repeat)
        finally:
            store.close()
    units = len(found)  # type: ignore[arg-type]
    print(f"transcript: {len(text.split()):,} words, {units} turns, model of {CODER}'s codings")
    print(f"  cold {cold:.2f} s · warm {warm * 1000:.0f} ms ({warm / units * 1000:.1f} ms a turn; target < {TRANSCRIPT_TARGET_S:.0f} s) · "
          f"reading the document back {base * 1000:.0f} ms = {warm / base:.1f}×")
    return warm < TRANSCRIPT_TARGET_S


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from workbench.demos.huis_van_herstel import build_huis_van_herstel
    from workbench.locations import shipped_corpora_dir

    with tempfile.TemporaryDirectory() as temp:
        demo = Path(temp) / "demo"
        build_huis_van_herstel(shipped_corpora_dir() / "huis_van_herstel", demo).close()
        texts = demo_texts(demo)
        ok = pipeline(texts, args.words, args.repeat)
        ok = transcript(demo, texts, args.repeat) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
