"""Tabel 6.1–6.4 of the report rebuilt from the demo's respondent attributes, and the cross table X.1 of Tabel 6.9's themes.

The demo is the one the golden test builds; each attribute table of its tables.yaml is compared with the
transcription in tests/data/seed_tables.json (`attribute_tables`): caption, columns, row labels in
printed order, every count and the printed Totaal row.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from tests.conftest import SEED_TABLES
from workbench.core.crosstabs import AnyDefinition, CrossTable, build_any
from workbench.core.store import Store
from workbench.core.tables import Table, TableDefinition
from workbench.core.tables_file import read_tables

#: The store's tests run on SQLite and on PostgreSQL alike (see conftest.backend).
pytestmark = pytest.mark.backends


def _printed() -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in json.loads(SEED_TABLES.read_text(encoding="utf-8"))["attribute_tables"]}


def _definitions(store: Store) -> list[AnyDefinition]:
    return read_tables(store.project_dir / "tables.yaml")


def _built(store: Store) -> dict[str, CrossTable]:
    return {table.id: table for table in build_any(store, _definitions(store)) if isinstance(table, CrossTable)}


def _label(row: dict[str, Any]) -> str:
    """The printed row label: the transcription keys it by the row variable ("Functie", "score")."""
    (label,) = (value for key, value in row.items() if key != "values")
    return str(label)


@pytest.mark.parametrize("table_id", ["6.2", "6.3", "6.4"])
def test_attribute_tables_match_the_printed_tables(report_demo: Store, table_id: str) -> None:
    printed = _printed()[table_id]
    built = _built(report_demo)[table_id]
    assert built.caption == printed["caption"] and built.n == printed["n"]
    assert list(built.columns) == printed["columns"]
    assert [(row.label, list(row.values or ())) for row in built.rows] == [(_label(row), row["values"]) for row in printed["rows"]]
    # Tabel 6.2 prints no Totaal row (totals null); 6.3 and 6.4 print one.
    assert (None if built.totals is None else list(built.totals)) == printed["totals"]
    assert not any(row.is_theme for row in built.rows)


def test_tabel_6_1_matches_the_printed_questionnaire_column(report_demo: Store) -> None:
    printed = _printed()["6.1"]
    built = _built(report_demo)["6.1"]
    # The report's first column, "In dienst - op moment van dataverzameling (n)", counts staff employed at the
    # time; that is not in the data (only respondents are), so the table is built with the second column only.
    assert built.caption == printed["caption"]
    assert built.columns == ("Ingevulde vragenlijst (n)",) == tuple(printed["columns"][1:])
    assert [(row.label, row.values) for row in built.rows] == [(_label(row), (row["values"][1],)) for row in printed["rows"]]
    assert built.totals == (printed["totals"][1],) == (built.n,)


def test_the_cross_table_splits_tabel_6_9_by_function(report_demo: Store) -> None:
    definitions = _definitions(report_demo)
    tables = {table.id: table for table in build_any(report_demo, definitions)}
    cross, counted = tables["X.1"], tables["6.9"]
    assert isinstance(cross, CrossTable) and isinstance(counted, Table)
    assert cross.caption == "Tabel X.1. Wat maakt het werk lastig per functie T1 (n=17)"
    assert cross.columns == tuple(_label(row) for row in _printed()["6.1"]["rows"]), "functions in the report's order"
    # Each item's row, summed over the functions, is its count in Tabel 6.9 (every respondent has one function).
    expected = [row for theme in counted.themes for row in [(theme.theme, None)] + [(item.text, item.count) for item in theme.items]]
    assert [(row.label, None if row.values is None else sum(row.values)) for row in cross.rows] == expected
    assert [row.label for row in cross.rows if row.is_theme] == [theme.theme for theme in counted.themes]
    assert cross.totals is not None and sum(cross.totals) == sum(item.count or 0 for theme in counted.themes for item in theme.items)


def test_the_coding_tables_stay_the_twelve_of_the_report_and_every_kind_is_exported(report_demo: Store, tmp_path: Path) -> None:
    from workbench.exporters import write_tables

    definitions = _definitions(report_demo)
    tables = build_any(report_demo, definitions)
    coding_tables = [table for table in tables if isinstance(table, Table)]
    assert len(coding_tables) == 12 and coding_tables[0].id == "5.1"
    assert [table.id for table in coding_tables] == [d.id for d in definitions if isinstance(d, TableDefinition)]
    assert [table.id for table in tables][-5:] == ["6.1", "6.2", "6.3", "6.4", "X.1"]
    (written,) = write_tables(tables, tmp_path / "alles.json", "json")
    assert [entry["id"] for entry in json.loads(written.read_text(encoding="utf-8"))] == [table.id for table in tables]


def test_the_preview_shows_a_cross_table_with_its_columns_and_totaal(report_demo: Store) -> None:
    from workbench.tui.screens.tables import preview

    tables = _built(report_demo)
    console = Console(width=100, record=True)
    console.print(preview(tables["6.3"]))
    console.print(preview(tables["X.1"]))
    shown = console.export_text()
    assert "Tabel 6.3. Werkachtergrond binnen DJI voorafgaand aan Huis van Herstel T1 (n=17)" in shown
    assert "Functie" in shown and "Totaal" in shown
    assert ["ZBIW-er", "7", "2"] in [[cell.strip() for cell in line.split("│")[1:-1]] for line in shown.splitlines()]
    # Seven functions do not fit as headers beside the items: numbered, and named in a legend below.
    assert "Tabel X.1. Wat maakt het werk lastig per functie T1 (n=17)" in shown and "M.b.t. team" in shown
    legend = [line.strip() for line in shown.splitlines()[-7:]]
    assert legend == [f"{index} = {label}" for index, label in enumerate(tables["X.1"].columns, start=1)]
