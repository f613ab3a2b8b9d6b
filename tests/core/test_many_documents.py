"""Tables, codings and quotes on a project with more documents than SQLite lets one statement bind."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.make_corpus import TINY, make_corpus
from workbench.core.codebook import load_codebook
from workbench.core.codings import coded_segments
from workbench.core.crosstabs import CrossTableDefinition, build_any
from workbench.core.quotes import quote_rows
from workbench.core.store import Store
from workbench.core.tables import Source, TableDefinition, Unit

#: SQLite's variable limit on older builds; the project below has more answers than this.
LIMIT = 999


def _limit_variables(store: Store) -> None:
    """From now on every connection of the store binds at most LIMIT variables per statement."""

    @event.listens_for(store.engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT)

    store.engine.dispose()


def _everything(store: Store) -> tuple[object, ...]:
    with store.reading() as conn:
        book = load_codebook(conn)
    dimensions = tuple(code.id for code in book.children(None))
    themes = tuple(code.id for dimension in dimensions for code in book.children(dimension))
    answers = Source(kinds=("questionnaire answer",))
    definitions = [
        TableDefinition("counts", "Answers (n = {n})", answers, dimensions, unit=Unit.RESPONDENTS),
        TableDefinition("mentions", "Everything", Source(), dimensions, unit=Unit.MENTIONS, coder="coder_b"),
        TableDefinition("quotes", "Quotes", answers, themes[:2], counts=False, quotes=True),
        CrossTableDefinition("by group", "By group", answers, dimensions, columns="respondent_group"),
    ]
    return tuple(build_any(store, definitions)), coded_segments(store), quote_rows(store), quote_rows(store, coder="coder_c")


def test_researcher_with_more_answers_than_sqlite_binds_still_gets_tables_codings_and_quotes(tmp_path: Path) -> None:
    size = replace(TINY, answers=LIMIT + 300, codings=20_000)
    with make_corpus(tmp_path / "big", size, seed=3) as store:
        expected = _everything(store)
        tables, segments, quotes, quotes_c = expected
        assert len({s.document for s in segments}) > LIMIT
        assert sum(item.count or 0 for theme in tables[0].themes for item in theme.items) > 0  # type: ignore[attr-defined]
        assert quotes and quotes_c
        _limit_variables(store)
        assert _everything(store) == expected
