"""A researcher's tables on a large generated project count exactly what its codings say, every table of a build alike.

The tables of one build share what they read (documents, codings per code and document); each count is checked here
against the codings themselves, counted in Python from the project's coded segments and documents.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench.make_corpus import TINY, make_corpus
from workbench.core.codebook import codebook
from workbench.core.codings import coded_segments
from workbench.core.corpus import cases, document_summaries
from workbench.core.crosstabs import CrossTable, CrossTableDefinition, build_any, build_one
from workbench.core.model import DocumentKind
from workbench.core.store import Store
from workbench.core.tables import Source, Table, TableDefinition, Unit
from workbench.core.tables_default import project_tables


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A generated project of 600 answers and 10 transcripts, with thousands of codings by three coders."""
    size = replace(TINY, answers=600, transcripts=10, transcript_words=2000, codings=12_000)
    return make_corpus(tmp_path_factory.mktemp("tables") / "project", size, seed=23)


def _expected(store: Store, unit: Unit, coder: str | None, kinds: tuple[str, ...] = (), group: str | None = None) -> dict[str, int]:
    """Per code: respondents, documents or codings of the chosen documents, counted from the coded segments."""
    summaries = {s.id: s for s in document_summaries(store)}
    groups = {case.id: case.attributes.as_dict().get("respondent_group") for case in cases(store)}
    counted: dict[str, set[object]] = {}
    mentions: dict[str, int] = {}
    for segment in coded_segments(store):
        coding = segment.coding
        summary = summaries[coding.document_id]
        if coder is not None and coding.coder != coder:
            continue
        if kinds and summary.kind.value not in kinds:
            continue
        if group is not None and groups.get(summary.case_id or "") != group:
            continue
        who = summary.case_id or f"document:{summary.id}" if unit is Unit.RESPONDENTS else summary.id
        counted.setdefault(coding.code_id, set()).add(who)
        mentions[coding.code_id] = mentions.get(coding.code_id, 0) + 1
    return mentions if unit is Unit.MENTIONS else {code_id: len(who) for code_id, who in counted.items()}


def _counts(table: Table) -> dict[str, int]:
    return {item.code_id or "": item.count or 0 for theme in table.themes for item in theme.items}


def test_every_count_of_every_table_is_what_the_codings_say(large: Store) -> None:
    book = codebook(large)
    dimensions = tuple(code.id for code in book.children(None))
    themes = tuple(code.id for dimension in dimensions for code in book.children(dimension))
    groups = sorted({case.attributes.as_dict().get("respondent_group", "") for case in cases(large)} - {""})
    answers = DocumentKind.QUESTIONNAIRE_ANSWER.value
    checks: list[tuple[TableDefinition, dict[str, int]]] = [
        (TableDefinition("all", "Everyone (n={n})", Source(), themes), _expected(large, Unit.RESPONDENTS, None)),
        (TableDefinition("docs", "Documents", Source(), themes, unit=Unit.DOCUMENTS), _expected(large, Unit.DOCUMENTS, None)),
        (
            TableDefinition("b", "Coder b", Source(), themes, unit=Unit.MENTIONS, coder="coder_b"),
            _expected(large, Unit.MENTIONS, "coder_b"),
        ),
        (
            TableDefinition("answers", "Answers", Source(kinds=(answers,)), themes, coder="coder_c"),
            _expected(large, Unit.RESPONDENTS, "coder_c", kinds=(answers,)),
        ),
        (
            TableDefinition("group", "One group", Source(respondent_group=groups[0]), themes),
            _expected(large, Unit.RESPONDENTS, None, group=groups[0]),
        ),
    ]
    cross = CrossTableDefinition("cross", "By group", Source(), themes, columns="respondent_group")
    default = project_tables(large).definitions
    built = build_any(large, [definition for definition, _ in checks] + [cross, *default])
    assert built == [build_one(large, definition) for definition in [d for d, _ in checks] + [cross, *default]]
    for (definition, expected), table in zip(checks, built, strict=False):
        assert isinstance(table, Table)
        wanted = {code.id for theme in themes for code in book.children(theme)}
        assert _counts(table) == {code_id: n for code_id, n in expected.items() if code_id in wanted and n}, definition.id
        assert sum(_counts(table).values()) > 0
    by_group = built[len(checks)]
    assert isinstance(by_group, CrossTable)
    per_group = {column: _expected(large, Unit.RESPONDENTS, None, group=column) for column in by_group.columns}
    expected_rows: list[tuple[str, tuple[int, ...] | None]] = []
    for theme in themes:
        items = [(code.name, tuple(per_group[column].get(code.id, 0) for column in by_group.columns)) for code in book.children(theme)]
        items = [(name, values) for name, values in items if any(values)]
        if items:
            expected_rows += [(book.get(theme).name, None), *items]
    assert set(by_group.columns) == set(groups)  # every generated respondent has a group
    assert [(row.label, row.values) for row in by_group.rows] == expected_rows
