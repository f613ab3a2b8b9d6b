"""A generated project the size of a programme that runs for years, the same for the same seed.

Default size (issue 17): 1,000 .txt transcripts of ~6,000 words with speaker turns, 200 .docx transcripts, one
60,000-word transcript, 25,000 questionnaire answers over waves T1–T3, case attributes, 63 codes and ~200,000
codings by three coders who agree on most spans and differ, at set rates, by code, by boundary or by leaving a
span out. `--scale 0.1` makes a tenth of every count (never less than one of each).

The source files are written first (`OUT/sources`), then imported through the ordinary importers into
`OUT/project`, so the project is what a researcher would get; the codings are generated from the stored texts
and written as the `workbench codings --format jsonl` dump (`OUT/sources/codings.jsonl`), then imported from it.

Run: `PYTHONPATH=. python bench/make_corpus.py OUT [--scale 0.1] [--seed 17]`.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import random
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.core.store import Store

ACTOR = "generator"
CODERS = ("coder_a", "coder_b", "coder_c")
WAVES = ("T1", "T2", "T3")
QUESTIONS = (
    "Wat helpt u het meest?", "Wat kan beter?", "Hoe is het contact met uw begeleider?", "Wat wilt u nog kwijt?",
    "Hoe gaat het nu met u?",
)
GROUPS = ("deelnemer", "medewerker", "partner")
FUNCTIONS = ("casemanager", "PIW", "trajectbegeleider", "vrijwilliger", "gemeente")
#: When the coders were at work: a fixed time, so the same seed gives the same dump.
CREATED = "2025-03-01T09:00:00Z"
#: How often coder b and c differ from coder a on a span coder a coded: another code, a moved boundary, left out.
DISAGREE = {"coder_b": (0.08, 0.06, 0.04), "coder_c": (0.12, 0.08, 0.06)}

_STEMS = (
    "de het een en van in op met voor dat niet ik je we ze hij zij is was heb had kan moet wil gaat "
    "deelnemer medewerker begeleider gemeente team huis herstel detentie cel afdeling gesprek plan traject "
    "werk woning schuld uitkering familie kinderen vrienden vertrouwen rust structuur dag week maand jaar "
    "contact hulp zorg behandeling verslaving vrijlating toekomst verleden regels afspraak bezoek "
    "goed slecht moeilijk fijn echt wel nog ook alleen samen eerst later altijd nooit soms vaak "
    "zeggen praten luisteren helpen werken wonen zoeken vinden krijgen geven leren proberen voelen denken"
).split()
_SENTENCE_END = re.compile(r"[^.?!\n]+[.?!]")


@dataclass(frozen=True)
class CorpusSize:
    """How much to generate; the defaults are issue 17's full size."""

    transcripts: int = 1000
    transcript_words: int = 6000
    docx: int = 200
    docx_words: int = 3000
    long_words: int = 60_000
    answers: int = 25_000
    codes: int = 63
    codings: int = 200_000

    def scaled(self, fraction: float) -> CorpusSize:
        """Every count times `fraction` (at least one of each); words per transcript, the long one and the codebook stay."""

        def part(value: int) -> int:
            return max(1, round(value * fraction))

        return replace(
            self, transcripts=part(self.transcripts), docx=part(self.docx), answers=max(len(QUESTIONS), part(self.answers)),
            codings=part(self.codings),
        )


#: Small enough for a test: a few documents of a few hundred words, a few hundred codings.
TINY = CorpusSize(
    transcripts=3, transcript_words=300, docx=2, docx_words=200, long_words=600, answers=30, codes=63, codings=300
)


# -- text --------------------------------------------------------------------------------------------------


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_STEMS) for _ in range(rng.randint(5, 20))]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice("...?")


def _turns(rng: random.Random, words: int) -> Iterator[str]:
    """Interviewer and respondent turns ("I: …", "R: …") until about `words` words."""
    written = 0
    index = 0
    while written < words:
        sentences = [_sentence(rng) for _ in range(1 if index % 2 == 0 else rng.randint(1, 6))]
        turn = " ".join(sentences)
        written += turn.count(" ") + 1
        yield f"{'IR'[index % 2]}: {turn}"
        index += 1


def _codebook(size: CorpusSize) -> tuple[str, list[str]]:
    """A three-level codebook YAML of `size.codes` codes, and the ids coders apply (themes and items)."""
    dimensions = ("succesfactoren", "knelpunten", "suggesties")
    per_dimension = max(1, (size.codes - len(dimensions)) // len(dimensions))
    themes = max(1, round(math.sqrt(per_dimension)) - 1)
    lines = ["name: Generated codebook", "version: 1", "codes:"]
    applied: list[str] = []
    made = 0
    for dimension in dimensions:
        lines += [f"  - id: {dimension}", f"    name: {dimension.capitalize()}", "    children:"]
        made += 1
        left = per_dimension
        for theme in range(themes):
            items = (left - 1) // (themes - theme) if themes - theme > 1 else left - 1
            theme_id = f"{dimension}-t{theme + 1}"
            lines += [f"      - id: {theme_id}", f"        name: Thema {theme + 1} ({dimension})"]
            applied.append(theme_id)
            made += 1
            left -= 1
            if items > 0:
                lines.append("        children:")
            for item in range(items):
                item_id = f"{theme_id}-i{item + 1}"
                lines += [f"          - id: {item_id}", f"            name: Onderwerp {item + 1} van thema {theme + 1}"]
                applied.append(item_id)
                made += 1
                left -= 1
    return "\n".join(lines) + "\n", applied


# -- source files ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sources:
    """The generated files, by kind."""

    folder: Path
    transcripts: tuple[Path, ...]
    docx: tuple[Path, ...]
    long: Path
    questionnaires: tuple[Path, ...]
    cases: Path
    codebook: Path


def write_sources(folder: Path, size: CorpusSize, seed: int) -> Sources:
    """Write every source file of the corpus into `folder` (created; must not hold an older corpus)."""
    import docx as python_docx

    rng = random.Random(seed)
    (folder / "txt").mkdir(parents=True)
    (folder / "docx").mkdir()
    transcripts = []
    for number in range(1, size.transcripts + 1):
        path = folder / "txt" / f"interview_{number:04d}.txt"
        path.write_text("\n".join(_turns(rng, size.transcript_words)) + "\n", encoding="utf-8")
        transcripts.append(path)
    docx_paths = []
    for number in range(1, size.docx + 1):
        document = python_docx.Document()
        for turn in _turns(rng, size.docx_words):
            label, _, body = turn.partition(": ")
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}:").bold = True
            paragraph.add_run(f" {body}")
        path = folder / "docx" / f"groepsgesprek_{number:03d}.docx"
        # python-docx stamps the current time in core properties; a fixed one keeps the text the same each run.
        document.core_properties.created = document.core_properties.modified = datetime(2025, 3, 1, tzinfo=UTC)
        document.save(str(path))
        docx_paths.append(path)
    long = folder / "txt" / "focusgroep_lang.txt"
    long.write_text("\n".join(_turns(rng, size.long_words)) + "\n", encoding="utf-8")

    respondents = max(1, math.ceil(size.answers / (len(WAVES) * len(QUESTIONS))))
    people = [(f"R{n:05d}", rng.choice(GROUPS), rng.choice(FUNCTIONS)) for n in range(1, respondents + 1)]
    questionnaires = []
    left = size.answers
    for wave in WAVES:
        path = folder / f"vragenlijst_{wave}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["respondent", "groep", "functie", *QUESTIONS])
            for respondent, group, function in people:
                if left <= 0:
                    break
                count = min(left, len(QUESTIONS))
                left -= count
                answers = [" ".join(_sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(count)]
                writer.writerow([respondent, group, function, *answers, *[""] * (len(QUESTIONS) - count)])
        questionnaires.append(path)

    cases = folder / "deelnemers.csv"
    with cases.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["deelnemer", "groep", "meting", "transcript"])
        for index, path in enumerate([*transcripts, *docx_paths, long]):
            writer.writerow([f"D{index + 1:05d}", rng.choice(GROUPS), WAVES[index % len(WAVES)], path.stem])
    codebook = folder / "codebook.yaml"
    codebook.write_text(_codebook(size)[0], encoding="utf-8")
    return Sources(folder, tuple(transcripts), tuple(docx_paths), long, tuple(questionnaires), cases, codebook)


# -- codings -----------------------------------------------------------------------------------------------


def generate_codings(texts: Sequence[tuple[str, str]], code_ids: Sequence[str], total: int, seed: int) -> list[dict[str, object]]:
    """About `total` codings of sentences in (name, text) documents by three coders, as dump rows.

    Coder a codes a share of the sentences; b and c code the same span with the same code unless, at their
    `DISAGREE` rates, they pick another code, move the end to the next sentence's end, or leave it out.
    """
    rng = random.Random(seed + 1)
    spans = [[(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)] for _, text in texts]
    sentence_count = sum(len(s) for s in spans) or 1
    # Each of coder a's spans yields about 2.8 codings (b and c leave out a few).
    share = min(1.0, total / 2.8 / sentence_count)
    rows: list[dict[str, object]] = []
    for (name, _text), sentences in zip(texts, spans, strict=True):
        for index, (start, end) in enumerate(sentences):
            if rng.random() >= share:
                continue
            start += len(_text[start:end]) - len(_text[start:end].lstrip())
            code = rng.choice(code_ids)
            rows.append(_row(name, start, end, code, "coder_a"))
            for coder, (other_code, moved, missing) in DISAGREE.items():
                draw = rng.random()
                if draw < other_code:
                    rows.append(_row(name, start, end, rng.choice([c for c in code_ids if c != code] or [code]), coder))
                elif draw < other_code + moved and index + 1 < len(sentences):
                    rows.append(_row(name, start, sentences[index + 1][1], code, coder))
                elif draw >= other_code + moved + missing:
                    rows.append(_row(name, start, end, code, coder))
    # Two coders' spans may coincide after a moved boundary; a coder codes a span with a code once.
    unique = {(r["document"], r["start"], r["end"], r["code"], r["coder"]): r for r in rows}
    return sorted(unique.values(), key=lambda r: (str(r["document"]), int(r["start"]), int(r["end"]), str(r["code"]), str(r["coder"])))  # type: ignore[call-overload]


def _row(document: str, start: int, end: int, code: str, coder: str) -> dict[str, object]:
    return {"document": document, "start": start, "end": end, "code": code, "coder": coder, "memo": "", "created": CREATED}


def write_codings(rows: Sequence[dict[str, object]], path: Path) -> Path:
    """The rows as `workbench codings --format jsonl` writes them."""
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


# -- the project -------------------------------------------------------------------------------------------


def build_project(sources: Sources, project_dir: Path, size: CorpusSize, seed: int) -> Store:
    """Import the sources into a new project at `project_dir` and apply the generated codings; the store stays open."""
    from sqlalchemy import select

    from workbench.core import schema
    from workbench.core.batch import add_cases, add_documents
    from workbench.core.codebook.sync import sync_file
    from workbench.core.codings_file import import_codings
    from workbench.core.model import CaseAttributes
    from workbench.core.store import Store
    from workbench.importers import failed, import_files
    from workbench.importers._tabular import ColumnMapping, read_questionnaire

    store = Store.create(project_dir, "Generated corpus", description=f"bench/make_corpus.py, seed {seed}", actor=ACTOR)
    sync_file(store, sources.codebook, ACTOR, apply=True)
    problems = failed(import_files(store, [*sources.transcripts, *sources.docx, sources.long], actor=ACTOR))
    if problems:
        raise RuntimeError(f"generated corpus: {problems[0].error}")
    mapping = ColumnMapping(id_column="respondent", attribute_columns={"groep": "respondent_group", "functie": "function"})
    for path, wave in zip(sources.questionnaires, WAVES, strict=True):
        answers = read_questionnaire(path, mapping, wave=wave).documents
        if answers:
            add_documents(store, answers, actor=ACTOR, summary=f"imported questionnaire {path.name} ({len(answers)} answers)")
    with sources.cases.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    add_cases(
        store, {r["deelnemer"]: CaseAttributes(respondent_group=r["groep"], wave=r["meting"]) for r in rows}, actor=ACTOR,
        summary=f"imported {sources.cases.name}", documents={r["deelnemer"]: [r["transcript"]] for r in rows}, strict=True,
    )
    d = schema.documents
    with store.reading() as conn:
        texts = [(name, text) for name, text in conn.execute(select(d.c.name, d.c.text).order_by(d.c.name))]
    codings = write_codings(generate_codings(texts, _codebook(size)[1], size.codings, seed), sources.folder / "codings.jsonl")
    import_codings(store, codings, ACTOR)
    return store


def make_corpus(out: Path, size: CorpusSize = CorpusSize(), seed: int = 17) -> Store:
    """Write the sources into `out/sources` and build `out/project` from them; the store stays open."""
    sources = write_sources(out / "sources", size, seed)
    return build_project(sources, out / "project", size, seed)


def project_dump(store: Store) -> str:
    """Everything generated, without row ids or import times: equal for two projects made with the same seed."""
    from sqlalchemy import select

    from workbench.core import schema
    from workbench.core.codings import coded_segments, dump_codings

    d, ca, da, t, k = schema.documents, schema.case_attributes, schema.document_attributes, schema.turns, schema.codes
    digest = hashlib.sha256()
    with store.reading() as conn:
        for row in conn.execute(select(d.c.name, d.c.kind, d.c.content_hash, d.c.case_id).order_by(d.c.name)):
            digest.update(repr(tuple(row)).encode())
        for table, query in (
            ("cases", select(ca.c.case_id, ca.c.key, ca.c.value).order_by(ca.c.case_id, ca.c.key)),
            ("attributes", select(d.c.name, da.c.key, da.c.value).join(d, d.c.id == da.c.document_id).order_by(d.c.name, da.c.key)),
            ("turns", select(d.c.name, t.c.seq, t.c.speaker, t.c.start_offset, t.c.end_offset).join(d, d.c.id == t.c.document_id)
             .order_by(d.c.name, t.c.seq)),
            ("codes", select(k.c.id, k.c.parent_id, k.c.name).order_by(k.c.id)),
        ):
            digest.update(table.encode())
            for row in conn.execute(query):
                digest.update(repr(tuple(row)).encode())
    digest.update(dump_codings(coded_segments(store), "jsonl").encode())
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="a new folder for sources/ and project/")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (default 1.0)")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    start = time.perf_counter()
    size = CorpusSize().scaled(args.scale) if args.scale != 1.0 else CorpusSize()
    with make_corpus(args.out, size, args.seed) as store:
        from workbench.core.corpus import document_summaries

        documents = len(document_summaries(store))
    print(f"made {args.out}/project: {documents} documents, ~{size.codings} codings, in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
