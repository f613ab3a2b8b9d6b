"""Building a counted table over 200,000 codings, against pandas doing the same count on the same data.

Setup (not timed): a project with 4,000 questionnaire answers of 2,000 respondents, a codebook of 5
themes x 20 items and 200,000 codings, bulk-inserted. Timed, each the median of several runs:
- ours: `crosstabs.build_one` — selecting the feeding documents and counting respondents per item in SQL;
- baseline A: pandas `groupby(...).nunique()` on a DataFrame of the same rows already in memory;
- baseline B: pandas reading those rows from the project's SQLite file, then the same groupby.
Targets: ours <= 3x baseline A, and under 1 s.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

CODINGS = 200_000
RESPONDENTS = 2_000
QUESTIONS = ("q1", "q2")
RUNS = 5


def _project(folder: Path):  # type: ignore[no-untyped-def]
    from workbench.core import schema
    from workbench.core.codebook import add_codes
    from workbench.core.model import Code
    from workbench.core.store import Store, timestamp

    store = Store.create(folder / "bench", "bench")
    codes = [Code(id="dim", name="Succesfactoren")]
    for theme in range(5):
        codes.append(Code(id=f"t{theme}", name=f"M.b.t. thema {theme}", parent_id="dim"))
        codes += [Code(id=f"t{theme}-i{item}", name=f"Item {theme}.{item}", parent_id=f"t{theme}") for item in range(20)]
    add_codes(store, codes, "bench", "codebook")
    rng = random.Random(3)
    now = timestamp()
    # Bulk setup straight into the tables: this is the data, not what is measured.
    with store.engine.begin() as conn:
        conn.execute(schema.coders.insert(), [{"id": 1, "name": "onderzoeker1"}])
        conn.execute(schema.cases.insert(), [{"id": f"R{r:04d}"} for r in range(RESPONDENTS)])
        documents = []
        for r in range(RESPONDENTS):
            for q, question in enumerate(QUESTIONS):
                documents.append({"id": r * 2 + q + 1, "name": f"vragenlijst/R{r:04d}/{question}", "kind": "questionnaire answer",
                                  "text": f"Antwoord {r} {question} " + "x" * 200, "content_hash": f"h{r}-{q}", "case_id": f"R{r:04d}",
                                  "source": "", "imported": now})
        conn.execute(schema.documents.insert(), documents)
        question_ids = [{"document_id": d["id"], "key": "question_id", "value": QUESTIONS[(d["id"] - 1) % 2]} for d in documents]
        conn.execute(schema.document_attributes.insert(), question_ids)
        items = [c.id for c in codes if c.id.count("-") == 1]
        seen: set[tuple[int, int, str]] = set()
        rows = []
        while len(rows) < CODINGS:
            document_id = rng.randrange(1, len(documents) + 1)
            start = rng.randrange(0, 150)
            code_id = rng.choice(items)
            if (document_id, start, code_id) in seen:
                continue
            seen.add((document_id, start, code_id))
            rows.append({"document_id": document_id, "start_offset": start, "end_offset": start + 20, "code_id": code_id,
                         "coder_id": 1, "memo": "", "created": now})
        conn.execute(schema.codings.insert(), rows)
    return store


def _median(run) -> float:  # type: ignore[no-untyped-def]
    run()  # warm
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    import pandas as pd

    from workbench.core.crosstabs import build_one
    from workbench.core.tables import Source, Table, TableDefinition

    with tempfile.TemporaryDirectory() as folder:
        store = _project(Path(folder))
        definition = TableDefinition(
            id="bench", caption="Tabel B. Bench (n={n})", source=Source(documents="vragenlijst/*", question="q1"),
            themes=tuple(f"t{t}" for t in range(5)), coder="onderzoeker1",
        )
        table = build_one(store, definition)
        assert isinstance(table, Table)
        query = (
            "SELECT c.code_id, d.case_id, a.value AS question FROM codings c JOIN documents d ON d.id = c.document_id "
            "JOIN document_attributes a ON a.document_id = d.id AND a.key = 'question_id'"
        )
        with sqlite3.connect(store.db_path) as raw:
            frame = pd.read_sql_query(query, raw)

        def pandas_in_memory() -> object:
            return frame[frame["question"] == "q1"].groupby("code_id")["case_id"].nunique()

        def pandas_from_store() -> object:
            with sqlite3.connect(store.db_path) as raw:
                loaded = pd.read_sql_query(query, raw)
            return loaded[loaded["question"] == "q1"].groupby("code_id")["case_id"].nunique()

        expected = pandas_in_memory()
        ours_counts = {item.code_id: item.count for theme in table.themes for item in theme.items}
        assert ours_counts == dict(expected), "the two ways of counting disagree"  # type: ignore[call-overload]
        ours = _median(lambda: build_one(store, definition))
        base_a = _median(pandas_in_memory)
        base_b = _median(pandas_from_store)
        store.close()
    print(f"{CODINGS} codings, {RESPONDENTS} respondents x {len(QUESTIONS)} questions, 100 item codes; caption: {table.caption}")
    print(f"ours        crosstabs.build_one                  median {ours * 1000:8.1f} ms")
    print(f"baseline A  pandas groupby on an in-memory frame median {base_a * 1000:8.1f} ms   ratio {ours / base_a:5.2f}x (target <= 3x)")
    print(f"baseline B  pandas read from the store + groupby median {base_b * 1000:8.1f} ms   ratio {ours / base_b:5.2f}x")
    print(f"under 1 s: {'yes' if ours < 1 else 'NO'}")


if __name__ == "__main__":
    main()
