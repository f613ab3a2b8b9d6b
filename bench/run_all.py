"""Every operation of issue 17 on the generated corpus, each against a bare baseline in the same run: bench/RESULTS.md.

For each size (a fraction of `make_corpus.CorpusSize()`), the corpus is generated once; then every operation and
its baseline run in a fresh interpreter each, so the peak memory (the child's maximum resident set)
is that side's alone. Timed is the operation itself: opening the project copy or starting the interpreter is not.
Operations that change the project run on a copy of it.

Run: `PYTHONPATH=. python bench/run_all.py --scales 0.1 0.5 1` (default 0.1; `--tiny` for a smoke run).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.make_corpus import CODERS, TINY, CorpusSize, make_corpus  # noqa: E402 - after the path is set

#: Timed runs of a quick operation (applying a code); the median is reported.
APPLY_RUNS = 21


@dataclass(frozen=True)
class Operation:
    """An operation of the issue's list, its bare baseline and what each does."""

    name: str
    measured: Callable[[Path, Path], float]
    baseline: Callable[[Path, Path], float]
    baseline_label: str
    #: For an import: bare sqlite3 writing the very rows the import stores (see `_storage_floor`).
    floor: Callable[[Path, Path], float] | None = None


# -- helpers -----------------------------------------------------------------------------------------------


def _copy_project(corpus: Path, work: Path) -> Path:
    target = work / "project"
    shutil.copytree(corpus / "project", target)
    return target


def _open(project: Path) -> Any:
    from workbench.core.store import Store

    return Store.open(project)


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _bare_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT UNIQUE, text TEXT)")
    return conn


def _largest(store: Any) -> tuple[str, str]:
    from sqlalchemy import func, select

    from workbench.core import schema

    d = schema.documents
    with store.reading() as conn:
        name, text = conn.execute(select(d.c.name, d.c.text).order_by(func.length(d.c.text).desc()).limit(1)).one()
    return str(name), str(text)


# -- imports -----------------------------------------------------------------------------------------------


def _import_files(pattern: str) -> Callable[[Path, Path], float]:
    def measured(corpus: Path, work: Path) -> float:
        from workbench.core.store import Store
        from workbench.importers import failed, import_files

        paths = sorted((corpus / "sources").glob(pattern))
        store = Store.create(work / "new", "bench")
        elapsed = _timed(lambda: failed(import_files(store, paths, actor="bench")))
        store.close()
        return elapsed

    return measured


def _bare_txt(corpus: Path, work: Path) -> float:
    paths = sorted((corpus / "sources").glob("txt/*.txt"))
    conn = _bare_db(work / "bare.sqlite")

    def run() -> None:
        for path in paths:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO documents (name, text) VALUES (?, ?)", (path.stem, path.read_text(encoding="utf-8")))
            conn.execute("COMMIT")

    return _timed(run)


def _bare_docx(corpus: Path, work: Path) -> float:
    import docx

    paths = sorted((corpus / "sources").glob("docx/*.docx"))
    return _timed(lambda: ["\n".join(p.text for p in docx.Document(str(path)).paragraphs) for path in paths])


def _import_answers(corpus: Path, work: Path) -> float:
    import pandas  # noqa: F401 - loaded before timing, as the bare side's csv module is

    from workbench.core.batch import add_documents
    from workbench.core.store import Store
    from workbench.importers._tabular import ColumnMapping, read_questionnaire

    mapping = ColumnMapping(id_column="respondent", attribute_columns={"groep": "respondent_group", "functie": "function"})
    store = Store.create(work / "new", "bench")

    def run() -> None:
        for path in sorted((corpus / "sources").glob("vragenlijst_*.csv")):
            answers = read_questionnaire(path, mapping, wave=path.stem.rsplit("_", 1)[1]).documents
            add_documents(store, answers, actor="bench", summary=f"imported {path.name}")

    elapsed = _timed(run)
    store.close()
    return elapsed


def _bare_answers(corpus: Path, work: Path) -> float:
    conn = _bare_db(work / "bare.sqlite")

    def run() -> None:
        for path in sorted((corpus / "sources").glob("vragenlijst_*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader)
                rows = [
                    (f"{path.stem}/{row[0]}/q{i}", text) for row in reader for i, text in enumerate(row[3:], start=1) if text
                ]
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO documents (name, text) VALUES (?, ?)", rows)
            conn.execute("COMMIT")
            del header

    return _timed(run)


def _storage_floor(source_like: str) -> Callable[[Path, Path], float]:
    """Bare sqlite3 writing the rows the corpus's import of these files stored, as the import does; built before timing.

    Documents with all their fields, their turns and attributes, the cases a file brings first and their attributes,
    into a fresh file with the project's schema, indexes and pragmas (WAL, foreign keys, durable commits), one commit
    per source file. No reading, parsing, turn detection, hashing or undo log: what storing these rows costs at least,
    which an import cannot go below whatever it does in Python. The bare baseline stores one row of (name, text) per
    document; the ratio of this floor to it is how far below the import's own ratio no import can reach.
    """

    def floor(corpus: Path, work: Path) -> float:
        from sqlalchemy import create_engine

        from workbench.core import schema

        files = _stored_rows(corpus / "project" / "workbench.sqlite", source_like)
        target = work / "floor.sqlite"
        engine = create_engine(f"sqlite:///{target}")
        schema.metadata.create_all(engine)
        engine.dispose()
        conn = sqlite3.connect(target, isolation_level=None)
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL"):
            conn.execute(f"PRAGMA {pragma}")

        def run() -> None:
            for rows in files:
                conn.execute("BEGIN")
                for table, table_rows in rows.items():
                    conn.executemany(_FLOOR_INSERTS[table], table_rows)
                conn.execute("COMMIT")

        elapsed = _timed(run)
        conn.close()
        return elapsed

    return floor


_FLOOR_INSERTS = {
    "cases": "INSERT INTO cases (id) VALUES (?)",
    "case_attributes": "INSERT INTO case_attributes (case_id, key, value) VALUES (?, ?, ?)",
    "documents": "INSERT INTO documents (id, name, kind, text, content_hash, case_id, source, imported) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "document_attributes": "INSERT INTO document_attributes (document_id, key, value) VALUES (?, ?, ?)",
    "turns": "INSERT INTO turns (document_id, seq, speaker, start_offset, end_offset) VALUES (?, ?, ?, ?, ?)",
}


def _stored_rows(db: Path, source_like: str) -> list[dict[str, list[tuple[Any, ...]]]]:
    """Per source file (documents.source LIKE `source_like`), in import order, the rows its import stored."""
    conn = sqlite3.connect(db)
    documents = conn.execute(
        "SELECT id, name, kind, text, content_hash, case_id, source, imported FROM documents WHERE source LIKE ? ORDER BY id",
        (source_like,),
    ).fetchall()
    by_document: dict[str, dict[int, list[tuple[Any, ...]]]] = {"document_attributes": {}, "turns": {}}
    for table, query in (
        ("document_attributes", "SELECT document_id, key, value FROM document_attributes ORDER BY id"),
        ("turns", "SELECT document_id, seq, speaker, start_offset, end_offset FROM turns ORDER BY id"),
    ):
        for row in conn.execute(query):
            by_document[table].setdefault(row[0], []).append(row)
    case_attributes: dict[str, list[tuple[Any, ...]]] = {}
    for row in conn.execute("SELECT case_id, key, value FROM case_attributes ORDER BY id"):
        case_attributes.setdefault(row[0], []).append(row)
    conn.close()
    files: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    seen_cases: set[str] = set()
    for document in documents:
        rows = files.setdefault(document[6], {table: [] for table in _FLOOR_INSERTS})
        # A transcript's case is attached after its import (the participants' sheet); an answer's comes with it.
        case_id = document[5] if document[2] == "questionnaire answer" else None
        if case_id is not None and case_id not in seen_cases:
            seen_cases.add(case_id)
            rows["cases"].append((case_id,))
            rows["case_attributes"].extend(case_attributes.get(case_id, []))
        rows["documents"].append((*document[:5], case_id, *document[6:]))
        for table in ("document_attributes", "turns"):
            rows[table].extend(by_document[table].get(document[0], []))
    return list(files.values())


# -- screens -----------------------------------------------------------------------------------------------

SIZE = (140, 40)


def _scratch_project(corpus: Path, work: Path) -> Any:
    """A copy of the corpus's project, opened, with the bench coder's place cleared.

    The app writes into the project it opens (the coder, where the coder stopped): on the corpus itself one run would
    change the next (after "open the largest document", opening the project went straight on into that document, its
    suggestions retrained) and the corpus would no longer be what was generated.
    """
    from workbench.core.places import remember_place

    shutil.copytree(corpus / "project", work / "project")
    store = _open(work / "project")
    remember_place(store, CODERS[0], document=None, start=None, end=None, coding=False)
    return store


def _screen_project(corpus: Path, work: Path) -> float:
    from workbench.tui.app import WorkbenchApp

    store = _scratch_project(corpus, work)

    async def run() -> float:
        start = time.perf_counter()
        app = WorkbenchApp(store, coder=CODERS[0])
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            return time.perf_counter() - start

    return asyncio.run(run())


def _names(corpus: Path) -> tuple[list[str], tuple[str, str]]:
    from workbench.core.corpus import document_summaries

    with _open(corpus / "project") as store:
        return [s.name for s in document_summaries(store)], _largest(store)


def _bare_project_screen(corpus: Path, work: Path) -> float:
    from bench.tui_open_bench import InMemoryApp

    names, (_, text) = _names(corpus)

    async def run() -> float:
        start = time.perf_counter()
        app = InMemoryApp(names, text)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            return time.perf_counter() - start

    return asyncio.run(run())


def _open_largest(corpus: Path, work: Path) -> float:
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.messages import OpenDocument
    from workbench.tui.screens.coding import CodingScreen

    store = _scratch_project(corpus, work)
    name, _ = _largest(store)

    async def run() -> float:
        app = WorkbenchApp(store, coder=CODERS[0])
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            app.post_message(OpenDocument(name))
            while not isinstance(app.screen, CodingScreen):
                await pilot.pause()
            await pilot.pause()
            return time.perf_counter() - start

    return asyncio.run(run())


def _bare_open_largest(corpus: Path, work: Path) -> float:
    from bench.tui_open_bench import InMemoryApp, TextScreen

    names, (_, text) = _names(corpus)

    async def run() -> float:
        app = InMemoryApp(names, text)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            await app.push_screen(TextScreen(text))
            await pilot.pause()
            return time.perf_counter() - start

    return asyncio.run(run())


# -- coding, tables, agreement -----------------------------------------------------------------------------


def _spans(text: str, count: int) -> list[tuple[int, int]]:
    step = max(1, len(text) // (count + 1))
    return [(i * step, i * step + min(step, 40)) for i in range(1, count + 1)]


def _apply_code(corpus: Path, work: Path) -> float:
    from workbench.core.codings import add_coding

    store = _open(_copy_project(corpus, work))
    name, text = _largest(store)
    times = [
        _timed(lambda s=start, e=end: add_coding(store, document=name, start=s, end=e, code_id="knelpunten-t1", coder="bench"))
        for start, end in _spans(text, APPLY_RUNS)
    ]
    return statistics.median(times)


def _bare_apply(corpus: Path, work: Path) -> float:
    project = _copy_project(corpus, work)
    conn = sqlite3.connect(project / "workbench.sqlite", isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    document_id, text = conn.execute("SELECT id, text FROM documents ORDER BY length(text) DESC LIMIT 1").fetchone()
    coder = conn.execute("SELECT id FROM coders LIMIT 1").fetchone()[0]

    def one(start: int, end: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO codings (document_id, start_offset, end_offset, code_id, coder_id, memo, created) VALUES (?, ?, ?, ?, ?, '', '')",
            (document_id, start, end, "knelpunten-t1", coder),
        )
        conn.execute("COMMIT")

    return statistics.median(_timed(lambda s=s, e=e: one(s, e)) for s, e in _spans(text, APPLY_RUNS))


def _tables(corpus: Path, work: Path) -> float:
    from workbench.core.crosstabs import build_any
    from workbench.core.tables_default import project_tables

    store = _open(_copy_project(corpus, work))
    definitions = project_tables(store).definitions
    return _timed(lambda: build_any(store, definitions))


def _bare_tables(corpus: Path, work: Path) -> float:
    conn = sqlite3.connect(corpus / "project" / "workbench.sqlite")
    query = "SELECT code_id, count(DISTINCT document_id) FROM codings GROUP BY code_id"
    return _timed(lambda: conn.execute(query).fetchall())


def _agreement(corpus: Path, work: Path) -> float:
    from workbench.core.comparison.report import agreement_report
    from workbench.core.comparison.units import parse_unit

    store = _open(corpus / "project")
    return _timed(lambda: agreement_report(store, CODERS, parse_unit("answer")))


def _bare_agreement(corpus: Path, work: Path) -> float:
    conn = sqlite3.connect(corpus / "project" / "workbench.sqlite")
    query = (
        "SELECT a.document_id, a.code_id, count(DISTINCT a.coder_id) FROM codings a GROUP BY a.document_id, a.code_id"
    )
    return _timed(lambda: conn.execute(query).fetchall())


# -- suggestions -------------------------------------------------------------------------------------------

#: The transcript suggestions are asked for: the first generated one (~6,000 words, a few hundred speaker turns).
TRANSCRIPT = "interview_0001"


def _suggest(corpus: Path, work: Path) -> float:
    from workbench.suggest import suggest_document
    from workbench.suggest.pipeline import nlp

    store = _scratch_project(corpus, work)  # the lemma cache is written beside the project file
    nlp()  # spaCy and its lemma tables loaded before timing, as the bare side loads spaCy first
    return _timed(lambda: suggest_document(store, TRANSCRIPT, coder=CODERS[0]))


def _bare_suggest(corpus: Path, work: Path) -> float:
    import spacy

    conn = sqlite3.connect(corpus / "project" / "workbench.sqlite")
    (text,) = conn.execute("SELECT text FROM documents WHERE name = ?", (TRANSCRIPT,)).fetchone()
    tokenizer = spacy.blank("nl")
    return _timed(lambda: [token.lower_ for token in tokenizer(text)])


# -- dumps and exports -------------------------------------------------------------------------------------


def _codings_dump(corpus: Path, work: Path) -> float:
    from workbench.core.codings import write_project_codings

    store = _open(corpus / "project")

    def run() -> None:  # as `workbench codings DIR --out codings.csv` writes it: streamed into the file
        with (work / "codings.csv").open("w", encoding="utf-8", newline="") as handle:
            write_project_codings(store, handle, "csv")

    return _timed(run)


_BARE_CODINGS = (
    "SELECT d.name, c.start_offset, c.end_offset, c.code_id, k.name, c.memo, c.created,"
    " substr(d.text, c.start_offset + 1, c.end_offset - c.start_offset)"
    " FROM codings c JOIN documents d ON d.id = c.document_id JOIN coders k ON k.id = c.coder_id"
    " ORDER BY d.name, c.start_offset, c.end_offset, c.code_id, k.name"
)


def _bare_codings_dump(corpus: Path, work: Path) -> float:
    conn = sqlite3.connect(corpus / "project" / "workbench.sqlite")

    def run() -> None:
        with (work / "codings.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(("document", "start", "end", "code", "coder", "memo", "created", "text"))
            writer.writerows(conn.execute(_BARE_CODINGS))

    return _timed(run)


def _quotes_xlsx(corpus: Path, work: Path) -> float:
    from workbench.exporters.quote_export import export_quotes

    store = _open(corpus / "project")
    # The use case `workbench quotes DIR --out quotes.xlsx` and the screens' export call.
    return _timed(lambda: export_quotes(store, work / "quotes.xlsx", fmt="xlsx"))


def _bare_quotes_xlsx(corpus: Path, work: Path) -> float:
    from openpyxl import Workbook

    conn = sqlite3.connect(corpus / "project" / "workbench.sqlite")

    def run() -> None:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("quotes")
        sheet.append(["document", "start", "end", "code", "coder", "memo", "created", "text"])
        for row in conn.execute(_BARE_CODINGS):
            sheet.append(list(row))
        book.save(work / "quotes.xlsx")

    return _timed(run)


# -- merge and undo ----------------------------------------------------------------------------------------


def _coder_copy(corpus: Path, work: Path) -> tuple[Path, Path]:
    """The project and a coder's copy of it holding a tenth of the codings again, under a new coder."""
    from workbench.core.codings_file import import_codings

    project = _copy_project(corpus, work)
    other = work / "copy"
    shutil.copytree(corpus / "project", other)
    lines = (corpus / "sources" / "codings.jsonl").read_text(encoding="utf-8").splitlines()[::10]
    moved = work / "coder_d.jsonl"
    moved.write_text("".join(json.dumps({**json.loads(line), "coder": "coder_d"}) + "\n" for line in lines), encoding="utf-8")
    with _open(other) as store:
        import_codings(store, moved, "coder_d")
    return project, other


def _merge(corpus: Path, work: Path) -> float:
    from workbench.core.merge import merge_project

    project, other = _coder_copy(corpus, work)
    store = _open(project)
    return _timed(lambda: merge_project(store, other, "bench"))


def _bare_merge(corpus: Path, work: Path) -> float:
    project, other = _coder_copy(corpus, work)
    conn = sqlite3.connect(project / "workbench.sqlite", isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")

    def run() -> None:
        conn.execute("ATTACH DATABASE ? AS other", (str(other / "workbench.sqlite"),))
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO coders (name) VALUES ('coder_d')")
        conn.execute(
            "INSERT INTO codings (document_id, start_offset, end_offset, code_id, coder_id, memo, created)"
            " SELECT d.id, c.start_offset, c.end_offset, c.code_id, (SELECT id FROM coders WHERE name = 'coder_d'), c.memo, c.created"
            " FROM other.codings c JOIN other.coders k ON k.id = c.coder_id JOIN other.documents od ON od.id = c.document_id"
            " JOIN documents d ON d.content_hash = od.content_hash WHERE k.name = 'coder_d'"
        )
        conn.execute("COMMIT")

    return _timed(run)


def _undo_import(corpus: Path, work: Path) -> float:
    store = _open(_copy_project(corpus, work))
    return _timed(lambda: store.undo("bench"))  # the latest action: every generated coding, imported at once


def _bare_undo(corpus: Path, work: Path) -> float:
    conn = sqlite3.connect(_copy_project(corpus, work) / "workbench.sqlite", isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")

    def run() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM codings")
        conn.execute("COMMIT")

    return _timed(run)


OPERATIONS = (
    Operation(
        "import .txt transcripts", _import_files("txt/*.txt"), _bare_txt, "read + one durable commit per file",
        _storage_floor("%.txt"),
    ),
    Operation("import .docx transcripts", _import_files("docx/*.docx"), _bare_docx, "python-docx paragraphs"),
    Operation(
        "import answers (.csv, 3 waves)", _import_answers, _bare_answers, "csv + sqlite, one commit per file",
        _storage_floor("%vragenlijst_%.csv"),
    ),
    Operation("open the project screen", _screen_project, _bare_project_screen, "tree of the names from memory"),
    Operation("open the largest document", _open_largest, _bare_open_largest, "its text as one Static"),
    Operation("apply a code (median), largest document", _apply_code, _bare_apply, "one INSERT, durable commit"),
    Operation("build all tables", _tables, _bare_tables, "one SQL count per code"),
    Operation("agreement, three coders (answer units)", _agreement, _bare_agreement, "SQL coders per document and code"),
    Operation(
        "suggestions for a transcript (every turn)", _suggest, _bare_suggest, "spaCy's Dutch tokeniser over its text"
    ),
    Operation("codings dump (.csv)", _codings_dump, _bare_codings_dump, "SQL + csv"),
    Operation("quotes export (.xlsx)", _quotes_xlsx, _bare_quotes_xlsx, "SQL + openpyxl write-only"),
    Operation("merge a coder's copy (10 % of the codings)", _merge, _bare_merge, "ATTACH + INSERT … SELECT"),
    Operation("undo the codings import", _undo_import, _bare_undo, "DELETE FROM codings"),
)


# -- running -----------------------------------------------------------------------------------------------


#: A side still running after this long is stopped and reported as slower than it.
TIMEOUT = 300.0


@dataclass(frozen=True)
class Measure:
    """One side's time and its process's peak resident memory; None when it was stopped at TIMEOUT."""

    seconds: float
    peak_mb: float | None


def _child(op: str, side: str, corpus: Path) -> None:
    operation = next(o for o in OPERATIONS if o.name == op)
    with tempfile.TemporaryDirectory() as work:
        os.environ["WORKBENCH_HOME"] = str(Path(work) / "home")
        sides = {"measured": operation.measured, "baseline": operation.baseline, "floor": operation.floor}
        side_run = sides[side]
        assert side_run is not None, f"{op} has no {side}"
        seconds = side_run(corpus, Path(work))
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb()}))


def _peak_mb() -> float:
    """This process's peak resident memory since exec (VmHWM; getrusage would count the parent's image before exec)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_side(op: str, side: str, corpus: Path) -> Measure:
    try:
        result = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", op, side, str(corpus)],
            capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False, timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return Measure(TIMEOUT, None)
    if result.returncode != 0:
        raise RuntimeError(f"{op} ({side}) failed:\n{result.stderr.decode(errors='replace')[-3000:]}")
    found = json.loads(result.stdout.decode().strip().splitlines()[-1])
    return Measure(found["seconds"], found["peak_mb"])


def _corpus_line(size: CorpusSize, corpus: Path) -> str:
    db = corpus / "project" / "workbench.sqlite"
    con = sqlite3.connect(db)
    documents, characters = con.execute("SELECT count(*), sum(length(text)) FROM documents").fetchone()
    codings = con.execute("SELECT count(*) FROM codings").fetchone()[0]
    text_bytes = con.execute("SELECT sum(length(CAST(text AS BLOB))) FROM documents").fetchone()[0]
    try:
        # What the codings take in any SQLite file: their table and its indexes (dbstat, where SQLite was built with it).
        coding_bytes = con.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name IN "
            "(SELECT name FROM sqlite_master WHERE tbl_name = 'codings' AND type IN ('table', 'index'))"
        ).fetchone()[0]
    except sqlite3.OperationalError:
        coding_bytes = None
    con.close()
    size_bytes = db.stat().st_size
    if coding_bytes:
        share = (
            f"{size_bytes / (text_bytes + coding_bytes):.2f}× its texts ({text_bytes / 1e6:,.1f} MB) "
            f"plus codings ({coding_bytes / 1e6:,.1f} MB)"
        )
    else:
        share = f"{size_bytes / text_bytes:.2f}× its texts ({text_bytes / 1e6:,.1f} MB); this SQLite has no dbstat to size the codings"
    return (
        f"{documents:,} documents ({size.transcripts:,} .txt of ~{size.transcript_words:,} words, {size.docx:,} .docx, one of "
        f"{size.long_words:,} words, {size.answers:,} answers), {characters:,} characters, {codings:,} codings by three coders; "
        f"project file {size_bytes / 1e6:,.1f} MB, {share}"
    )


def run(scales: Sequence[float], out: Path, work: Path, *, tiny: bool = False, seed: int = 17) -> str:
    """Generate the corpus at each scale, run every operation on it and write the report to `out`; return it."""
    header = [
        "# Benchmarks on the generated corpus (issue 17)", "",
        f"Written by `bench/run_all.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}. Each side runs in its own interpreter; peak MB is that process's maximum resident set "
        "(interpreter and libraries included). Regenerate: `PYTHONPATH=. python bench/run_all.py --scales 0.1 0.5 1`.", "",
    ]
    sections: list[str] = []
    report = ""
    for scale in scales:
        size = TINY if tiny else CorpusSize().scaled(scale)
        corpus = work / f"corpus_{'tiny' if tiny else scale}"
        if corpus.exists():
            shutil.rmtree(corpus)
        made = _timed(lambda c=corpus, s=size: make_corpus(c, s, seed).close())
        label = "tiny" if tiny else f"{scale:.0%}"
        lines = [
            f"## {label} of the full size", "", f"{_corpus_line(size, corpus)}; generated in {made:.0f} s.", "",
            "| operation | measured | peak MB | bare baseline | baseline | peak MB | ratio |",
            "|---|---:|---:|---|---:|---:|---:|",
        ]
        floors: list[str] = []
        for operation in OPERATIONS:
            measured = _run_side(operation.name, "measured", corpus)
            baseline = _run_side(operation.name, "baseline", corpus)
            lines.append(
                f"| {operation.name} | {_shown(measured)} | {_peak(measured)} | {operation.baseline_label} | "
                f"{_shown(baseline)} | {_peak(baseline)} | {_ratio(measured, baseline)} |"
            )
            print(lines[-1], flush=True)
            if operation.floor is not None:
                floor = _run_side(operation.name, "floor", corpus)
                floors.append(
                    f"| {operation.name} | {_shown(floor)} | {_ratio(floor, baseline)} | {_ratio(measured, floor)} |"
                )
                print(floors[-1], flush=True)
        lines += ["", FLOOR_HEADING, "", "| import | storage floor | floor ÷ bare baseline | measured ÷ floor |",
                  "|---|---:|---:|---:|", *floors]
        sections.append("\n".join(lines))
        shutil.rmtree(corpus, ignore_errors=True)
        # Written after each size, so a long run that is stopped keeps the sizes it finished.
        report = "\n".join(header) + "\n" + "\n\n".join(sections) + "\n"
        out.write_text(report, encoding="utf-8")
    return report


#: What the floor table under each size's table shows.
FLOOR_HEADING = (
    "Storage floor of the imports: bare sqlite3 writing the very rows each import stored (documents with all their "
    "fields, turns, attributes, cases) into the project's schema with its indexes and pragmas, one durable commit per "
    "file, the rows built before timing: no reading, parsing, turn detection, hashing or undo log."
)


def _ratio(measure: Measure, against: Measure) -> str:
    ratio = measure.seconds / against.seconds if against.seconds > 0 else float("inf")
    return f"{'> ' if measure.peak_mb is None else ''}{ratio:,.1f}×"


def _shown(measure: Measure) -> str:
    return f"> {_seconds(measure.seconds)} (stopped)" if measure.peak_mb is None else _seconds(measure.seconds)


def _peak(measure: Measure) -> str:
    return "–" if measure.peak_mb is None else f"{measure.peak_mb:,.0f}"


def _seconds(value: float) -> str:
    return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1], help="fractions of the full size (default 0.1)")
    parser.add_argument("--tiny", action="store_true", help="a few documents only: checks that everything runs")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--work", type=Path, help="where to generate the corpora (default: a temporary folder)")
    parser.add_argument("--child", nargs=3, metavar=("OPERATION", "SIDE", "CORPUS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        op, side, corpus = args.child
        _child(op, side, Path(corpus))
        return
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
        run(args.scales, args.out, args.work, tiny=args.tiny)
        return
    with tempfile.TemporaryDirectory() as work:
        run(args.scales, args.out, Path(work), tiny=args.tiny)


if __name__ == "__main__":
    main()
