"""Attribute and cross tables leave the workbench in every format, each file reopened and checked."""

from __future__ import annotations

import csv
import json
import struct
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook  # type: ignore[import-untyped]

from workbench.core.crosstabs import CrossRow, CrossTable
from workbench.core.tables import Table, TableItem, TableTheme
from workbench.exporters import ExportError, write_tables

CROSS = CrossTable(
    id="X.1",
    caption="Tabel X.1. Wat maakt het werk lastig per functie T1 (n=17)",
    n=17,
    row_header="",
    columns=("ZBIW-er", "Casemanager (senior en back-office)"),
    rows=(
        CrossRow("M.b.t. instroom", None, is_theme=True),
        CrossRow("Klein aantal deelnemers.", (2, 1)),
        CrossRow("M.b.t. team", None, is_theme=True),
        CrossRow("Meer structuur/duidelijkheid nodig (deels vanwege het werken in een pilot).", (3, 0)),
        CrossRow("Afspraken die niet worden nagekomen | “nooit”.", (3, 0)),
    ),
    totals=(8, 1),
)
ATTRIBUTE = CrossTable(
    id="6.3",
    caption="Tabel 6.3. Werkachtergrond binnen DJI voorafgaand aan Huis van Herstel T1 (n=17)",
    n=17,
    row_header="Functie",
    columns=("Werkachtergrond DJI", "Geen DJI-achtergrond"),
    rows=(CrossRow("ZBIW-er", (7, 2)), CrossRow("ZBIW-er senior", (2, 0)), CrossRow("Reclasseringsmedewerker", (0, 1))),
    totals=(9, 3),
)
#: Seven functions as columns: too wide for the row labels on a portrait page.
FUNCTIONS = ("ZBIW-er", "ZBIW-er senior", "Werkbegeleider arbeid (tuin)", "Verpleegkundige",
             "Casemanager (senior en back-office)", "Reclasseringsmedewerker", "Gedragswetenschapper")
WIDE = CrossTable("X.2", "Tabel X.2. Breed", None, "", FUNCTIONS, (CrossRow("Klein aantal deelnemers.", (2, 0, 1, 0, 1, 0, 0)),), None)
COUNTED = Table("6.9", "Tabel 6.9. Wat maakt het werk lastig T1 (n=17)", 17, True, False, (
    TableTheme("M.b.t. instroom", "instroom", (TableItem("Klein aantal deelnemers.", 4, "klein"),)),
))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _word_tables(path: Path) -> list[tuple[Paragraph, WordTable]]:
    body = list(Document(str(path)).iter_inner_content())
    pairs = zip(body, body[1:], strict=False)
    return [(before, block) for before, block in pairs if isinstance(block, WordTable) and isinstance(before, Paragraph)]


def _cells(row: object) -> list[str]:
    return [cell.text for cell in row.cells]  # type: ignore[attr-defined]


def _merged(row: object) -> bool:
    return len({id(cell._tc) for cell in row.cells}) == 1  # type: ignore[attr-defined]


def test_a_cross_table_in_word_has_caption_above_column_labels_right_bold_themes_and_a_totaal_row(tmp_path: Path) -> None:
    (written,) = write_tables([CROSS], tmp_path / "kruistabel.docx", "docx")
    ((caption, table),) = _word_tables(written)
    assert caption.text == CROSS.caption and all(run.bold for run in caption.runs)
    header, *body, total = table.rows
    assert _cells(header) == ["", "ZBIW-er", "Casemanager (senior en back-office)"]
    assert all(cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT and all(run.bold for run in cell.paragraphs[0].runs)
               for cell in header.cells[1:])
    themes = [row for row in body if _merged(row)]
    assert [row.cells[0].text for row in themes] == ["M.b.t. instroom", "M.b.t. team"]
    assert all(run.bold for row in themes for run in row.cells[0].paragraphs[0].runs)
    items = [row for row in body if not _merged(row)]
    assert [_cells(row) for row in items] == [
        [row.label, *(str(value) for value in row.values)] for row in CROSS.rows if row.values is not None
    ]
    assert all(cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for row in items for cell in row.cells[1:])
    assert not any(run.bold for row in items for run in row.cells[0].paragraphs[0].runs)
    assert _cells(total) == ["Totaal", "8", "1"]
    assert all(run.bold for cell in total.cells for run in cell.paragraphs[0].runs)


def test_an_attribute_table_in_word_has_its_row_header_and_no_theme_rows(tmp_path: Path) -> None:
    (written,) = write_tables([ATTRIBUTE], tmp_path / "tabel.docx", "docx")
    ((_, table),) = _word_tables(written)
    assert [_cells(row) for row in table.rows] == [
        ["Functie", "Werkachtergrond DJI", "Geen DJI-achtergrond"],
        ["ZBIW-er", "7", "2"], ["ZBIW-er senior", "2", "0"], ["Reclasseringsmedewerker", "0", "1"],
        ["Totaal", "9", "3"],
    ]


def test_a_table_too_wide_for_portrait_gets_a_landscape_page_and_the_next_table_returns_to_portrait(tmp_path: Path) -> None:
    (written,) = write_tables([ATTRIBUTE, WIDE, COUNTED], tmp_path / "rapport.docx", "docx")
    document = Document(str(written))
    assert [section.orientation for section in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = document.sections[1]
    assert landscape.page_width is not None and landscape.page_height is not None and landscape.page_width > landscape.page_height
    assert [caption.text for caption, _ in _word_tables(written)] == [ATTRIBUTE.caption, WIDE.caption, COUNTED.caption]
    wide = document.tables[1]
    widths = [cell.width for cell in wide.rows[0].cells]
    assert all(width is not None for width in widths)
    assert widths[0] >= max(widths[1:]), "the row labels keep the widest column"  # type: ignore[operator]


def test_each_cross_table_gets_an_excel_sheet_with_numeric_counts_merged_themes_and_a_bold_totaal(tmp_path: Path) -> None:
    (written,) = write_tables([CROSS, ATTRIBUTE], tmp_path / "tabellen.xlsx", "xlsx")
    book = load_workbook(written)
    assert book.sheetnames == ["Tabel X.1", "Tabel 6.3"]
    sheet = book["Tabel X.1"]
    assert sheet["A1"].value == CROSS.caption and sheet["A1"].font.b
    assert [sheet.cell(row=2, column=column).value for column in (2, 3)] == list(CROSS.columns)
    assert sheet["B2"].alignment.horizontal == "right" and sheet["B2"].font.b
    assert sheet["A3"].value == "M.b.t. instroom" and sheet["A3"].font.b and "A3:C3" in {str(r) for r in sheet.merged_cells.ranges}
    assert [sheet.cell(row=4, column=column).value for column in (1, 2, 3)] == ["Klein aantal deelnemers.", 2, 1]
    assert sheet["B4"].alignment.horizontal == "right"
    total = [sheet.cell(row=8, column=column) for column in (1, 2, 3)]
    assert [cell.value for cell in total] == ["Totaal", 8, 1] and all(cell.font.b for cell in total)
    attribute = book["Tabel 6.3"]
    assert attribute["A2"].value == "Functie" and attribute["A3"].value == "ZBIW-er" and attribute["B3"].value == 7


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_of_cross_tables_is_long_one_row_per_cell_with_the_theme_and_the_totals(tmp_path: Path) -> None:
    (written,) = write_tables([CROSS], tmp_path / "kruis.csv", "csv")
    rows = _csv(written)
    assert list(rows[0]) == ["table", "caption", "n", "theme", "row", "column", "value"]
    assert [(r["theme"], r["row"], r["column"], r["value"]) for r in rows] == [
        ("M.b.t. instroom", "Klein aantal deelnemers.", "ZBIW-er", "2"),
        ("M.b.t. instroom", "Klein aantal deelnemers.", "Casemanager (senior en back-office)", "1"),
        ("M.b.t. team", CROSS.rows[3].label, "ZBIW-er", "3"),
        ("M.b.t. team", CROSS.rows[3].label, "Casemanager (senior en back-office)", "0"),
        ("M.b.t. team", "Afspraken die niet worden nagekomen | “nooit”.", "ZBIW-er", "3"),
        ("M.b.t. team", "Afspraken die niet worden nagekomen | “nooit”.", "Casemanager (senior en back-office)", "0"),
        ("", "Totaal", "ZBIW-er", "8"),
        ("", "Totaal", "Casemanager (senior en back-office)", "1"),
    ]
    assert {(r["table"], r["caption"], r["n"]) for r in rows} == {("X.1", CROSS.caption, "17")}


def test_csv_with_coding_and_cross_tables_writes_both_in_the_cell_shape(tmp_path: Path) -> None:
    (written,) = write_tables([COUNTED, ATTRIBUTE], tmp_path / "alles.csv", "csv")
    rows = _csv(written)
    assert (rows[0]["table"], rows[0]["theme"], rows[0]["row"], rows[0]["column"], rows[0]["value"]) == (
        "6.9", "M.b.t. instroom", "Klein aantal deelnemers.", "Aantal (n)", "4")
    assert [(r["row"], r["column"], r["value"]) for r in rows if r["table"] == "6.3"][:2] == [
        ("ZBIW-er", "Werkachtergrond DJI", "7"), ("ZBIW-er", "Geen DJI-achtergrond", "2")]
    (only_coding,) = write_tables([COUNTED], tmp_path / "codes.csv", "csv")
    assert list(_csv(only_coding)[0]) == ["table", "caption", "n", "theme", "item", "count"], "coding tables alone keep their layout"


def test_json_of_a_cross_table_is_its_as_json_and_mixed_kinds_make_a_list(tmp_path: Path) -> None:
    (one,) = write_tables([CROSS], tmp_path / "kruis.json", "json")
    data = json.loads(one.read_text(encoding="utf-8"))
    assert data == CROSS.as_json()
    assert data["columns"] == ["ZBIW-er", "Casemanager (senior en back-office)"] and data["totals"] == [8, 1]
    assert data["rows"][0] == {"label": "M.b.t. instroom", "values": None, "theme": True}
    assert "“nooit”" in one.read_text(encoding="utf-8")
    (several,) = write_tables([COUNTED, ATTRIBUTE], tmp_path / "alles.json", "json")
    assert json.loads(several.read_text(encoding="utf-8")) == [COUNTED.as_json(), ATTRIBUTE.as_json()]


def test_markdown_of_a_cross_table_has_column_labels_right_aligned_bold_themes_and_totaal(tmp_path: Path) -> None:
    (written,) = write_tables([ATTRIBUTE, CROSS], tmp_path / "tabellen.md", "md")
    lines = written.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"**{CROSS.caption}**")
    assert lines[start + 2 : start + 6] == [
        "| | ZBIW-er | Casemanager (senior en back-office) |",
        "|---|---:|---:|",
        "| **M.b.t. instroom** | | |",
        "| Klein aantal deelnemers. | 2 | 1 |",
    ]
    assert "| Afspraken die niet worden nagekomen \\| “nooit”. | 3 | 0 |" in lines
    assert "| **Totaal** | **8** | **1** |" in lines
    first = lines.index(f"**{ATTRIBUTE.caption}**")
    assert lines[first + 2 : first + 4] == ["| Functie | Werkachtergrond DJI | Geen DJI-achtergrond |", "|---|---:|---:|"]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def test_cross_and_attribute_tables_chart_as_stacked_bars_the_same_bytes_each_time(tmp_path: Path) -> None:
    written = write_tables([CROSS, ATTRIBUTE, WIDE], tmp_path / "grafieken", "png", one_per_file=True)
    assert [path.name for path in written] == ["tabel_X_1.png", "tabel_6_3.png", "tabel_X_2.png"]
    for path in written:
        width, height = _png_size(path.read_bytes())
        assert 1000 <= width <= 2000 and 300 <= height <= 4000
    (again,) = write_tables([CROSS], tmp_path / "nogmaals.png", "png")
    assert again.read_bytes() == written[0].read_bytes()


def test_a_chart_of_a_cross_table_without_counts_is_refused_before_any_file_is_written(tmp_path: Path) -> None:
    empty = CrossTable("X.3", "Tabel X.3", None, "", ("T1", "T2"), (CrossRow("Niets", (0, 0)),), None)
    folder = tmp_path / "grafieken"
    with pytest.raises(ExportError) as caught:
        write_tables([CROSS, empty], folder, "png", one_per_file=True)
    message = str(caught.value)
    assert message.startswith(f"{folder / 'tabel_X_3.png'}: table X.3 has no counts to chart") and "\n" not in message
    assert not folder.exists()
