"""A passage that starts with "=", "+", "-" or "@" opens in a spreadsheet as the words said, never as a formula (issue 15)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from tests.conftest import run_cli
from workbench.core.codings import add_coding
from workbench.core.corpus import add_document
from workbench.core.model import DocumentKind
from workbench.core.spreadsheet_cells import spreadsheet_safe
from workbench.core.store import Store
from workbench.core.tables import Table, TableItem, TableTheme
from workbench.exporters import write_quotes, write_tables

#: What an attacker (or an unlucky transcript) puts at the start of a cell, with what a spreadsheet must show.
DANGEROUS = {
    "=HYPERLINK(\"http://x\",\"klik\")": "'=HYPERLINK(\"http://x\",\"klik\")",
    "+31 6 1234": "'+31 6 1234",
    "- ja, dat hielp": "'- ja, dat hielp",
    "@SUM(A1)": "'@SUM(A1)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
}
HARMLESS = ("Het contact hielp", "-3", "+2.5", "-12,5%", "", "'al geciteerd", "a=b")


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


@pytest.mark.parametrize(("cell", "shown"), DANGEROUS.items())
def test_a_cell_that_would_start_a_formula_gets_a_leading_quote(cell: str, shown: str) -> None:
    assert spreadsheet_safe(cell) == shown


@pytest.mark.parametrize("cell", HARMLESS)
def test_text_and_plain_numbers_stay_as_they_are(cell: str) -> None:
    assert spreadsheet_safe(cell) == cell


def test_a_table_csv_escapes_items_and_captions(tmp_path: Path) -> None:
    items = tuple(TableItem(text, 1) for text in DANGEROUS)
    table = Table("1.1", "=Tabel", 3, True, False, (TableTheme("@thema", "t", items),))
    (path,) = write_tables([table], tmp_path / "t.csv", "csv")
    cells = _csv_cells(path)
    assert "'=Tabel" in cells and "'@thema" in cells and all(shown in cells for shown in DANGEROUS.values())
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_quotes_and_codings_csv_escape_a_passage_that_starts_like_a_formula(store: Store, tmp_path: Path) -> None:
    add_document(store, name="=kwaad", text="=HYPERLINK(\"http://x\") en - ja, dat hielp", kind=DocumentKind.NOTES, actor="junior")
    add_coding(store, document="=kwaad", start=0, end=22, code_id="contact", coder="junior")
    add_coding(store, document="=kwaad", start=26, end=41, code_id="contact", coder="junior")

    run_cli("quotes", store.project_dir, "--out", tmp_path / "quotes.csv")
    run_cli("codings", store.project_dir, "--out", tmp_path / "codings.csv")

    for name in ("quotes.csv", "codings.csv"):
        cells = _csv_cells(tmp_path / name)
        assert "'=HYPERLINK(\"http://x\")" in cells and "'- ja, dat hielp" in cells and "'=kwaad" in cells, name
        assert not any(cell.startswith(("=", "-", "+", "@")) for cell in cells), name


def test_quotes_in_excel_keep_such_passages_as_text_without_a_quote(tmp_path: Path) -> None:
    rows = [{"text": cell} for cell in DANGEROUS]
    write_quotes(rows, tmp_path / "quotes.xlsx", "xlsx", columns=["text"])
    sheet = load_workbook(tmp_path / "quotes.xlsx").active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == list(DANGEROUS)
    assert all(cell.data_type == "s" for cell in cells)  # stored as text: Excel shows it, never calculates it
