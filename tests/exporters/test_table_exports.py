"""Report tables leave the workbench as Word, Excel, CSV, Markdown, JSON and PNG, each reopened and checked."""

from __future__ import annotations

import csv
import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook  # type: ignore[import-untyped]

from workbench.core.tables import Table, TableItem, TableTheme
from workbench.errors import WorkbenchError
from workbench.exporters import FORMATS, ExportError, format_of, write_tables
from workbench.exporters._docx import DocxWriter

STEPSGEWIJS = (
    "Het feit dat je al met één been in de maatschappij staat, het stapsgewijs kunnen oefenen/wennen met "
    "weer burger zijn in de maatschappij (stapsgewijs integreren)."
)
COUNTED = Table(
    id="6.6",
    caption="Tabel 6.6. Wat helpt de deelnemers T1 (n=17)",
    n=17,
    counts=True,
    quotes=False,
    themes=(
        TableTheme("M.b.t. samenwerking in de keten rond een deelnemer", "keten", (
            TableItem(
                "De samenwerking met gemeenten (opzet bewindvoering, inzet vroegtijdige hulpverlening en warme overdracht).",
                1,
                "keten-gemeenten",
            ),
            TableItem("Het toeleiden naar behandeling.", 1, "keten-behandeling"),
        )),
        TableTheme("M.b.t. werkwijze – inhoudelijk", "werkwijze", (
            TableItem(STEPSGEWIJS, 5, "werkwijze-stapsgewijs"),
            TableItem("Laagdrempeligheid in contact, minder hiërarchisch.", 1, "werkwijze-laagdrempelig"),
            TableItem("Een redelijk ‘vrije’ omgeving | “duidelijkheid” bieden.", 2, "werkwijze-vrij"),
        )),
    ),
)
STATEMENTS = Table(
    id="6.8",
    caption="Tabel 6.8. Succesfactoren volgens medewerkers (gespreksverslag)",
    n=None,
    counts=False,
    quotes=False,
    themes=(
        TableTheme("M.b.t. werkwijze – inhoudelijk en organisatorisch", "org", (
            TableItem("Kleinschalig: op maat begeleiden is daardoor echt mogelijk.", None, "org-klein"),
        )),
        TableTheme("Overig", "overig", (TableItem("Een mooie, rustige locatie.", None, "overig-locatie"),)),
    ),
)
QUOTES = Table(
    id="9.1",
    caption="Tabel 9.1. Succesfactoren Huis van Herstel volgens deelnemers T1 (n=8)",
    n=8,
    counts=False,
    quotes=True,
    themes=(
        TableTheme("M.b.t. contact met personeel", "contact", (
            TableItem("‘Je wordt bij Huis van Herstel echt gezien.’", None, "contact", "interview_deelnemer_01", 120),
            TableItem("‘Ze zijn echt oprecht geïnteresseerd.’", None, "contact", "interview_deelnemer_02", 48),
        )),
    ),
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _body(path: Path) -> list[Paragraph | WordTable]:
    """The document's paragraphs and tables in reading order."""
    document = Document(str(path))
    return list(document.iter_inner_content())


def _word_tables(path: Path) -> list[tuple[Paragraph, WordTable]]:
    """Each Word table with the paragraph right before it."""
    body = _body(path)
    pairs = []
    for before, block in zip(body, body[1:], strict=False):
        if isinstance(block, WordTable):
            assert isinstance(before, Paragraph), "a table must follow its caption paragraph"
            pairs.append((before, block))
    return pairs


def _row_text(row: object) -> list[str]:
    return [cell.text for cell in row.cells]  # type: ignore[attr-defined]


def test_a_counted_table_in_word_has_its_caption_right_above_and_the_aantal_header(tmp_path: Path) -> None:
    (written,) = write_tables([COUNTED], tmp_path / "tabellen.docx", "docx")
    assert written == tmp_path / "tabellen.docx"
    ((caption, table),) = _word_tables(written)
    assert caption.text == "Tabel 6.6. Wat helpt de deelnemers T1 (n=17)"
    assert all(run.bold or run.italic for run in caption.runs)
    assert table.style is not None and table.style.name == "Table Grid"
    header = table.rows[0]
    assert _row_text(header) == ["", "Aantal (n)"]


def test_theme_rows_in_word_are_bold_and_one_merged_cell_across_the_row(tmp_path: Path) -> None:
    (written,) = write_tables([COUNTED], tmp_path / "tabellen.docx", "docx")
    ((_, table),) = _word_tables(written)
    theme_rows = [row for row in table.rows if row.cells[0].text.startswith("M.b.t.")]
    assert [row.cells[0].text for row in theme_rows] == [
        "M.b.t. samenwerking in de keten rond een deelnemer", "M.b.t. werkwijze – inhoudelijk"
    ]
    for row in theme_rows:
        assert len({id(cell._tc) for cell in row.cells}) == 1, "a theme row is one cell spanning both columns"
        runs = row.cells[0].paragraphs[0].runs
        assert runs and all(run.bold for run in runs)


def test_counts_in_word_sit_right_aligned_beside_their_dutch_items(tmp_path: Path) -> None:
    (written,) = write_tables([COUNTED], tmp_path / "tabellen.docx", "docx")
    ((_, table),) = _word_tables(written)
    items = [row for row in table.rows[1:] if len({id(cell._tc) for cell in row.cells}) == 2]
    assert [(row.cells[0].text, row.cells[1].text) for row in items] == [
        (item.text, str(item.count)) for theme in COUNTED.themes for item in theme.items
    ]
    assert all(row.cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for row in items)
    assert all(not run.bold for row in items for run in row.cells[0].paragraphs[0].runs)


def test_quotes_in_word_are_italic_under_their_theme_in_a_single_column(tmp_path: Path) -> None:
    (written,) = write_tables([QUOTES], tmp_path / "citaten.docx", "docx")
    ((caption, table),) = _word_tables(written)
    assert caption.text == QUOTES.caption
    assert len(table.columns) == 1
    rows = [row.cells[0] for row in table.rows]
    assert [cell.text for cell in rows] == [
        "M.b.t. contact met personeel", "‘Je wordt bij Huis van Herstel echt gezien.’", "‘Ze zijn echt oprecht geïnteresseerd.’",
    ]
    assert all(run.bold for run in rows[0].paragraphs[0].runs)
    assert all(run.italic for cell in rows[1:] for run in cell.paragraphs[0].runs)


def test_a_statement_table_in_word_has_one_column_and_no_count_header(tmp_path: Path) -> None:
    (written,) = write_tables([STATEMENTS], tmp_path / "uitspraken.docx", "docx")
    ((_, table),) = _word_tables(written)
    assert len(table.columns) == 1
    assert table.rows[0].cells[0].text == "M.b.t. werkwijze – inhoudelijk en organisatorisch"
    assert "Aantal (n)" not in [cell.text for row in table.rows for cell in row.cells]


def test_two_tables_share_one_word_document_in_order_with_an_empty_paragraph_between(tmp_path: Path) -> None:
    (written,) = write_tables([COUNTED, QUOTES], tmp_path / "rapport.docx", "docx")
    assert [caption.text for caption, _ in _word_tables(written)] == [COUNTED.caption, QUOTES.caption]
    body = _body(written)
    first_table = next(i for i, block in enumerate(body) if isinstance(block, WordTable))
    gap, second_caption = body[first_table + 1], body[first_table + 2]
    assert isinstance(gap, Paragraph) and gap.text == ""
    assert isinstance(second_caption, Paragraph) and second_caption.text == QUOTES.caption


def test_each_table_gets_its_own_excel_sheet_with_caption_bold_themes_and_numeric_counts(tmp_path: Path) -> None:
    (written,) = write_tables([COUNTED, STATEMENTS, QUOTES], tmp_path / "tabellen.xlsx", "xlsx")
    book = load_workbook(written)
    assert book.sheetnames == ["Tabel 6.6", "Tabel 6.8", "Tabel 9.1"]
    sheet = book["Tabel 6.6"]
    assert sheet["A1"].value == COUNTED.caption and sheet["A1"].font.b
    assert sheet["B2"].value == "Aantal (n)"
    assert sheet["A3"].value == "M.b.t. samenwerking in de keten rond een deelnemer" and sheet["A3"].font.b
    assert "A3:B3" in {str(merged) for merged in sheet.merged_cells.ranges}
    counted = [(row[0].value, row[1].value) for row in sheet.iter_rows(min_row=3) if isinstance(row[1].value, int)]
    assert counted == [(item.text, item.count) for theme in COUNTED.themes for item in theme.items]
    assert all(row[1].alignment.horizontal == "right" for row in sheet.iter_rows(min_row=3) if isinstance(row[1].value, int))
    assert 40 < sheet.column_dimensions["A"].width <= 92
    quotes = book["Tabel 9.1"]
    assert quotes["A3"].value == "‘Je wordt bij Huis van Herstel echt gezien.’" and quotes["A3"].font.i


def test_long_csv_has_one_row_per_item_and_empty_counts_for_statements(tmp_path: Path) -> None:
    (written,) = write_tables([COUNTED, STATEMENTS], tmp_path / "tabellen.csv", "csv")
    with written.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["table", "caption", "n", "theme", "item", "count"]
    expected = [
        (
            table.id, table.caption, "" if table.n is None else str(table.n), theme.theme, item.text,
            "" if item.count is None else str(item.count),
        )
        for table in (COUNTED, STATEMENTS) for theme in table.themes for item in theme.items
    ]
    assert [tuple(row.values()) for row in rows] == expected


def test_json_is_the_reference_shape_a_list_for_several_and_an_object_for_one(tmp_path: Path) -> None:
    (several,) = write_tables([COUNTED, QUOTES], tmp_path / "tabellen.json", "json")
    assert json.loads(several.read_text(encoding="utf-8")) == [COUNTED.as_json(), QUOTES.as_json()]
    (one,) = write_tables([COUNTED], tmp_path / "tabel.json", "json")
    assert json.loads(one.read_text(encoding="utf-8")) == COUNTED.as_json()
    assert "één been" in one.read_text(encoding="utf-8"), "Dutch characters are written as such, not as \\u escapes"


def test_markdown_shows_a_bold_caption_and_a_pipe_table_with_bold_themes(tmp_path: Path) -> None:
    (written,) = write_tables([COUNTED, QUOTES], tmp_path / "tabellen.md", "md")
    lines = written.read_text(encoding="utf-8").splitlines()
    start = lines.index("**Tabel 6.6. Wat helpt de deelnemers T1 (n=17)**")
    assert lines[start + 2 : start + 6] == [
        "| | Aantal (n) |",
        "|---|---:|",
        "| **M.b.t. samenwerking in de keten rond een deelnemer** | |",
        "| De samenwerking met gemeenten (opzet bewindvoering, inzet vroegtijdige hulpverlening en warme overdracht). | 1 |",
    ]
    assert "| Een redelijk ‘vrije’ omgeving \\| “duidelijkheid” bieden. | 2 |" in lines
    assert "| *‘Je wordt bij Huis van Herstel echt gezien.’* |" in lines
    assert lines.index("**Tabel 9.1. Succesfactoren Huis van Herstel volgens deelnemers T1 (n=8)**") > start


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def test_a_counted_table_becomes_a_bar_chart_png_the_same_bytes_each_time(tmp_path: Path) -> None:
    (first,) = write_tables([COUNTED], tmp_path / "eerste.png", "png")
    (second,) = write_tables([COUNTED], tmp_path / "tweede.png", "png")
    width, height = _png_size(first.read_bytes())
    assert 1000 <= width <= 2000, "10 inches at 150 dpi"
    assert 500 <= height <= 4000
    assert first.read_bytes() == second.read_bytes()
    assert b"Software" not in first.read_bytes() and b"tIME" not in first.read_bytes()


def test_one_file_per_table_names_files_after_the_table_id(tmp_path: Path) -> None:
    folder = tmp_path / "tabellen"
    written = write_tables([COUNTED, STATEMENTS], folder, "docx", one_per_file=True)
    assert written == [folder / "tabel_6_6.docx", folder / "tabel_6_8.docx"]
    assert [caption.text for caption, _ in _word_tables(written[1])] == [STATEMENTS.caption]
    charts = write_tables([COUNTED], folder, "png", one_per_file=True)
    assert charts == [folder / "tabel_6_6.png"] and _png_size(charts[0].read_bytes())[0] > 0


def test_a_chart_of_a_table_without_counts_is_refused_before_any_file_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "grafieken"
    with pytest.raises(ExportError) as caught:
        write_tables([COUNTED, STATEMENTS], folder, "png", one_per_file=True)
    message = str(caught.value)
    assert message.startswith(f"{folder / 'tabel_6_8.png'}: ") and "no counts" in message and "\n" not in message
    assert caught.value.title == "Export"
    assert not folder.exists()
    with pytest.raises(ExportError, match="one table"):
        write_tables([COUNTED, COUNTED], tmp_path / "twee.png", "png")


def test_an_unknown_format_is_an_export_error_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "tabellen.pdf"
    with pytest.raises(ExportError) as caught:
        write_tables([COUNTED], target, "pdf")
    assert isinstance(caught.value, WorkbenchError)
    assert str(caught.value).startswith(f"{target}: unknown export format 'pdf'")
    assert all(fmt in str(caught.value) for fmt in FORMATS)
    assert not target.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_exporting_into_a_missing_folder_is_one_line_and_leaves_nothing(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "bestaat-niet" / f"tabel.{fmt}"
    with pytest.raises(ExportError) as caught:
        write_tables([COUNTED], target, fmt)
    message = str(caught.value)
    assert message.startswith(f"{target}: ") and "does not exist" in message and "\n" not in message
    assert not target.parent.exists()


def test_a_write_that_fails_halfway_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "rapport.docx"
    write_tables([COUNTED], target, "docx")
    before = target.read_bytes()

    def crash(self: DocxWriter, tables: object, path: Path) -> None:
        path.write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(DocxWriter, "write", crash)
    with pytest.raises(ExportError, match="No space left on device"):
        write_tables([QUOTES], target, "docx", replace=True)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.docx"]


def test_control_characters_from_imported_text_do_not_break_word_or_excel(tmp_path: Path) -> None:
    messy = Table("1.1", "Tabel 1.1. Test", None, True, False, (
        TableTheme("Thema", "t", (TableItem("regel een\x0bregel twee\x07", 3), TableItem("=SOM(A1:A3)", 1))),
    ))
    (docx_path,) = write_tables([messy], tmp_path / "t.docx", "docx")
    ((_, table),) = _word_tables(docx_path)
    assert table.rows[2].cells[0].text == "regel een\nregel twee"
    (xlsx_path,) = write_tables([messy], tmp_path / "t.xlsx", "xlsx")
    sheet = load_workbook(xlsx_path)["Tabel 1.1"]
    assert sheet["A5"].value == "=SOM(A1:A3)" and sheet["A5"].data_type == "s", "an item that looks like a formula stays text"


def test_the_format_follows_from_the_file_name() -> None:
    assert [format_of(Path(f"t.{ext}")) for ext in ("docx", "XLSX", "csv", "md", "markdown", "json", "png")] == [
        "docx", "xlsx", "csv", "md", "md", "json", "png",
    ]
    with pytest.raises(ExportError, match="t.pdf"):
        format_of(Path("t.pdf"))


def test_loading_the_exporters_loads_no_office_chart_or_ui_library() -> None:
    probe = (
        "import sys, workbench.exporters, workbench.core.quotes; "
        "print([m for m in ('docx', 'openpyxl', 'matplotlib', 'pandas', 'textual', 'rich') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
