"""Attribute and cross tables on a small hand-built project: counts per column, units, totals, and clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from workbench.core.codebook import add_code
from workbench.core.codings import add_coding
from workbench.core.corpus import add_document
from workbench.core.crosstabs import (
    AnyTable,
    AttributeTableDefinition,
    CrossRow,
    CrossTable,
    CrossTableDefinition,
    build_any,
    build_one,
)
from workbench.core.model import CaseAttributes, Code, DocumentKind
from workbench.core.store import Store
from workbench.core.tables import Order, Source, Table, TableDefinition, TableError, Unit
from workbench.core.tables_file import parse_tables

ANSWERS = Source(documents="vragenlijst/*")
#: Four respondents: function (a case attribute), wave (each answer's own attribute), one without a function.
RESPONDENTS = {
    "R1": {"function": "ZBIW-er", "opleiding": "MBO"},
    "R2": {"function": "ZBIW-er", "opleiding": "MBO"},
    "R3": {"function": "Casemanager", "opleiding": "HBO"},
    "R4": {"opleiding": "HBO"},
}


def _answer(store: Store, respondent: str, wave: str, text: str) -> str:
    name = f"vragenlijst/{respondent}/{wave}"
    attributes = dict(RESPONDENTS[respondent])
    add_document(
        store, name=name, text=text, kind=DocumentKind.QUESTIONNAIRE_ANSWER, actor="junior", case_id=respondent,
        case_attributes=CaseAttributes.from_dict({"respondent_group": "medewerkers", **attributes}), attributes={"wave": wave},
    )
    return name


def _code(store: Store, document: str, text: str, passage: str, code_id: str, coder: str = "junior") -> None:
    start = text.index(passage)
    add_coding(store, document=document, start=start, end=start + len(passage), code_id=code_id, coder=coder)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Store]:
    """Two themes with items; R1 names the lack of structure twice, R2 once and broken agreements; R3 the intake."""
    store = Store.create(tmp_path / "project", "Kruistabellen")
    for code in (
        Code(id="knelpunten", name="Knelpunten", dimension="knelpunten"),
        Code(id="team", name="M.b.t. team", parent_id="knelpunten"),
        Code(id="team-structuur", name="Meer structuur nodig.", parent_id="team"),
        Code(id="team-afspraken", name="Afspraken die niet worden nagekomen.", parent_id="team"),
        Code(id="team-diensten", name="Onregelmatige diensten.", parent_id="team"),
        Code(id="instroom", name="M.b.t. instroom", parent_id="knelpunten"),
        Code(id="instroom-klein", name="Klein aantal deelnemers.", parent_id="instroom"),
    ):
        add_code(store, code, "junior")
    r1 = "Er is geen structuur. Echt geen structuur, elke dag anders."
    r1_t2 = "Nog steeds weinig structuur in T2."
    r2 = "Weinig structuur en afspraken worden niet nagekomen."
    r3 = "Er zijn te weinig deelnemers."
    r4 = "Niets bijzonders te melden."
    _code(store, _answer(store, "R1", "T1", r1), r1, "geen structuur.", "team-structuur")
    _code(store, "vragenlijst/R1/T1", r1, "Echt geen structuur", "team-structuur")
    _code(store, _answer(store, "R1", "T2", r1_t2), r1_t2, "weinig structuur", "team-structuur")
    _code(store, _answer(store, "R2", "T1", r2), r2, "Weinig structuur", "team-structuur")
    _code(store, "vragenlijst/R2/T1", r2, "afspraken worden niet nagekomen", "team-afspraken")
    _code(store, _answer(store, "R3", "T1", r3), r3, "te weinig deelnemers", "instroom-klein")
    _answer(store, "R4", "T1", r4)
    _code(store, "vragenlijst/R4/T1", r4, "Niets bijzonders", "team-diensten", coder="senior")
    yield store
    store.close()


def _cross(**changes: object) -> CrossTableDefinition:
    definition = CrossTableDefinition(
        id="X.1", caption="Tabel X.1. Knelpunten per functie (n={n})", source=ANSWERS,
        themes=("instroom", "team"), columns="function", coder="junior",
    )
    return replace(definition, **changes)  # type: ignore[arg-type]


def _values(table: AnyTable) -> dict[str, tuple[int, ...] | None]:
    assert isinstance(table, CrossTable)
    return {row.label: row.values for row in table.rows}


def test_a_cross_table_counts_the_respondents_coded_with_each_item_per_function(project: Store) -> None:
    table = build_one(project, _cross())
    assert isinstance(table, CrossTable)
    assert table.caption == "Tabel X.1. Knelpunten per functie (n=4)" and table.n == 4
    assert table.columns == ("Casemanager", "Onbekend", "ZBIW-er")  # no order given: sorted, R4 has no function
    assert table.rows == (
        CrossRow("M.b.t. instroom", None, is_theme=True),
        CrossRow("Klein aantal deelnemers.", (1, 0, 0)),
        CrossRow("M.b.t. team", None, is_theme=True),
        CrossRow("Meer structuur nodig.", (0, 0, 2)),  # R1 three times in two answers, R2 once: two respondents
        CrossRow("Afspraken die niet worden nagekomen.", (0, 0, 1)),
    )
    assert table.totals is None


def test_mentions_count_every_coding_and_documents_every_answer(project: Store) -> None:
    assert _values(build_one(project, _cross(unit=Unit.MENTIONS)))["Meer structuur nodig."] == (0, 0, 4)
    by_document = build_one(project, _cross(unit=Unit.DOCUMENTS))
    assert _values(by_document)["Meer structuur nodig."] == (0, 0, 3)
    assert by_document.n == 5, "counting documents, n is the number of answers fed"


def test_totals_are_column_sums_of_the_item_rows_and_order_and_labels_follow_the_definition(project: Store) -> None:
    table = build_one(project, _cross(
        totals=True, column_order=("ZBIW", "Casemanager", "Verpleegkundige"), values={"function": {"ZBIW-er": "ZBIW"}},
        order=Order.COUNT, themes=("team",),
    ))
    assert isinstance(table, CrossTable)
    assert table.columns == ("ZBIW", "Casemanager", "Verpleegkundige", "Onbekend")  # listed ones first, even if empty
    assert [row.label for row in table.rows] == ["M.b.t. team", "Meer structuur nodig.", "Afspraken die niet worden nagekomen."]
    assert table.totals == (3, 0, 0, 0)


def test_columns_may_be_an_answer_attribute_such_as_the_wave(project: Store) -> None:
    table = build_one(project, _cross(columns="wave", themes=("team",), totals=True))
    assert isinstance(table, CrossTable)
    assert table.columns == ("T1", "T2")
    assert _values(table)["Meer structuur nodig."] == (2, 1)


def test_the_coder_decides_whose_codings_are_counted(project: Store) -> None:
    assert "Onregelmatige diensten." not in _values(build_one(project, _cross(themes=("team",))))
    seniors = build_one(project, _cross(themes=("team",), coder="senior"))
    assert _values(seniors) == {"M.b.t. team": None, "Onregelmatige diensten.": (0, 1, 0)}  # type: ignore[arg-type]


def test_an_attribute_table_counts_each_respondent_once_per_row_and_column(project: Store) -> None:
    definition = AttributeTableDefinition(
        id="6.2", caption="Tabel 6.2. Opleiding (n={n})", source=ANSWERS, rows="function", columns="opleiding",
        row_order=("ZBIW-er", "Verpleegkundige", "Casemanager"), column_order=("MBO", "HBO", "WO"), row_header="Functie", totals=True,
    )
    table = build_one(project, definition)
    assert isinstance(table, CrossTable)
    assert (table.caption, table.n, table.row_header) == ("Tabel 6.2. Opleiding (n=4)", 4, "Functie")
    assert table.columns == ("MBO", "HBO", "WO")
    assert [(row.label, row.values) for row in table.rows] == [
        ("ZBIW-er", (2, 0, 0)),  # R1 has two answers and counts once
        ("Verpleegkundige", (0, 0, 0)),  # printed order lists it, so it shows with zeros
        ("Casemanager", (0, 1, 0)),
        ("Onbekend", (0, 1, 0)),  # R4 has no function: counted, so the total is n
    ]
    assert table.totals == (2, 2, 0) and sum(table.totals) == table.n


def test_an_attribute_table_without_columns_has_one_count_column_and_groups_values(project: Store) -> None:
    definition = AttributeTableDefinition(
        id="6.4", caption="Tabel 6.4. Opleiding", source=ANSWERS, rows="opleiding",
        values={"opleiding": {"MBO": "MBO of HBO", "HBO": "MBO of HBO"}}, totals=True,
    )
    table = build_one(project, definition)
    assert isinstance(table, CrossTable)
    assert table.n is None, "a caption without {n} shows no n, as for coding tables"
    assert table.columns == ("Aantal (n)",) and table.row_header == "opleiding"
    assert table.rows == (CrossRow("MBO of HBO", (4,)),) and table.totals == (4,)


def test_an_unknown_attribute_is_one_line_naming_the_table_and_the_known_attributes(project: Store) -> None:
    with pytest.raises(TableError) as caught:
        build_one(project, _cross(columns="functie"))
    message = str(caught.value)
    assert message.startswith("table X.1: unknown attribute 'functie' (attributes in this project: ")
    assert "function" in message and "wave" in message and "\n" not in message
    with pytest.raises(TableError, match=r"^table 6\.9: unknown attribute 'leeftijd'"):
        build_one(project, AttributeTableDefinition(id="6.9", caption="t", source=ANSWERS, rows="function", columns="leeftijd"))
    with pytest.raises(TableError, match=r"^table X\.1: unknown theme code 'teams'$"):
        build_one(project, _cross(themes=("teams",)))


def test_build_any_builds_every_kind_in_order_from_one_snapshot_as_build_one_does(project: Store) -> None:
    coding = TableDefinition(id="6.9", caption="Tabel 6.9 (n={n})", source=ANSWERS, themes=("team",), coder="junior")
    attribute = AttributeTableDefinition(id="6.1", caption="Tabel 6.1", source=ANSWERS, rows="function")
    built = build_any(project, [attribute, coding, _cross()])
    assert [type(table) for table in built] == [CrossTable, Table, CrossTable]
    assert [table.id for table in built] == ["6.1", "6.9", "X.1"]
    assert built == [build_one(project, definition) for definition in (attribute, coding, _cross())]


def test_as_json_gives_columns_rows_and_totals_as_plain_data(project: Store) -> None:
    table = build_one(project, _cross(themes=("instroom",), totals=True))
    assert table.as_json() == {
        "id": "X.1",
        "caption": "Tabel X.1. Knelpunten per functie (n=4)",
        "n": 4,
        "row_header": "",
        "columns": ["Casemanager", "Onbekend", "ZBIW-er"],
        "rows": [{"label": "M.b.t. instroom", "values": None, "theme": True}, {"label": "Klein aantal deelnemers.", "values": [1, 0, 0]}],
        "totals": [1, 0, 0],
    }


# tables.yaml: the new kinds and their errors, one line naming the file and the line.

YAML = """\
tables:
  - id: "6.9"
    caption: "Tabel 6.9 (n={n})"
    themes: [team]
  - id: "6.4"
    kind: attribute
    caption: "Tabel 6.4. Werkplezier (n={n})"
    source: {documents: "vragenlijst/*"}
    rows: werkplezier
    row_header: Werkplezier
    values:
      werkplezier: {1: "1 of 1,5", "1,5": "1 of 1,5"}
    row_order: ["1 of 1,5", 5]
    column_label: "Ingevulde vragenlijst (n)"
    totals: true
  - id: "X.1"
    kind: cross
    caption: "Tabel X.1 (n={n})"
    themes: [team, instroom]
    columns: function
    column_order: [ZBIW-er]
    unit: mentions
    coder: junior
"""


def test_tables_yaml_reads_every_kind_with_its_keys() -> None:
    coding, attribute, cross = parse_tables(YAML, "tables.yaml")
    assert isinstance(coding, TableDefinition) and coding.themes == ("team",)
    assert attribute == AttributeTableDefinition(
        id="6.4", caption="Tabel 6.4. Werkplezier (n={n})", source=Source(documents="vragenlijst/*"), rows="werkplezier",
        values={"werkplezier": {"1": "1 of 1,5", "1,5": "1 of 1,5"}}, row_order=("1 of 1,5", "5"),
        column_label="Ingevulde vragenlijst (n)", row_header="Werkplezier", totals=True,
    )
    assert dict(attribute.values) == {"werkplezier": {"1": "1 of 1,5", "1,5": "1 of 1,5"}}
    assert cross == CrossTableDefinition(
        id="X.1", caption="Tabel X.1 (n={n})", source=Source(), themes=("team", "instroom"), columns="function",
        column_order=("ZBIW-er",), unit=Unit.MENTIONS, coder="junior",
    )


@pytest.mark.parametrize(
    ("table", "line", "problem"),
    [
        ('  - id: "6.1"\n    kind: pivot\n    caption: c\n', 2, "kind 'pivot' is not one of codes, attribute, cross"),
        ('  - id: "6.1"\n    kind: attribute\n    caption: c\n    columns: opleiding\n', 2,
         "table 6.1: kind attribute needs rows: <attribute key> (e.g. rows: function)"),
        ('  - id: "X.1"\n    kind: cross\n    caption: c\n    themes: [team]\n', 2, "table X.1: kind cross needs columns: <attribute key>"),
        ('  - id: "6.1"\n    kind: attribute\n    caption: c\n    rows: function\n    themes: [team]\n', 2,
         "unknown key 'themes' in attribute table 6.1"),
        ('  - id: "6.1"\n    kind: attribute\n    caption: c\n    rows: [function, opleiding]\n', 2,
         "table 6.1: rows is one attribute key"),
        ('  - id: "6.1"\n    kind: attribute\n    caption: c\n    rows: function\n    totals: ja\n', 2,
         "table 6.1: totals is true or false, not 'ja'"),
        ('  - id: "6.1"\n    kind: attribute\n    caption: c\n    rows: function\n    values:\n      opleiding: {MBO: mbo}\n', 7,
         "table 6.1: values for 'opleiding', which is not an axis of the table (function)"),
        ('  - id: "6.1"\n    kind: attribute\n    caption: c\n    rows: function\n    column_order: [MBO]\n', 2,
         "table 6.1: column_order needs columns: <attribute key>"),
        ('  - id: "6.1"\n    kind: attribute\n    caption: c\n    rows: function\n    row_order: {a: b}\n', 2,
         "table 6.1: row_order is a list of printed labels"),
    ],
)
def test_a_bad_kind_or_a_missing_key_is_one_line_naming_the_file_and_the_line(table: str, line: int, problem: str) -> None:
    with pytest.raises(TableError) as caught:
        parse_tables("tables:\n" + table, "corpus/tables.yaml")
    message = str(caught.value)
    assert message.startswith(f"corpus/tables.yaml: line {line}: "), message
    assert problem in message and "\n" not in message, message
