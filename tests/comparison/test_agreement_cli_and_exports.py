"""The senior compares two coders from the command line: the table on the terminal, and the same report as JSON,
a Word table for the methods appendix, an Excel sheet and a chart, with one-line errors that leave no half file."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.comparison.coded_projects import answers, code, empty_project, interview
from tests.conftest import run_cli
from workbench.core.comparison.model import CodeAgreement, UnitKind
from workbench.core.comparison.report import agreement_report
from workbench.core.store import Store

A, B, C = "onderzoeker1", "onderzoeker2", "senior"
#: Six answers; the sixth only onderzoeker1 coded, so the comparison leaves it out.
SIX = {f"r{n}_q1": f"Antwoord {n}: het team is stabiel en er is structuur." for n in range(1, 7)}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """Five answers and an interview both coders coded, and one answer only onderzoeker1 coded.

    Stabiel team: onderzoeker1 on answers 1-3, onderzoeker2 on 1-2 (4 of 5 agree: κ = 8/13, α = 16/25, as worked out
    in test_report). Klein aantal deelnemers: onderzoeker1 alone on answer 5. Meer structuur nodig: both on all five
    (one category: κ and α undefined). In the interview both code the stable team, only onderzoeker1 the few participants.
    """
    store = empty_project(tmp_path)
    answers(store, SIX)
    interview(store)
    for coder, numbers in {A: [1, 2, 3, 6], B: [1, 2]}.items():
        for n in numbers:
            code(store, f"r{n}_q1", "stabiel", "team-stabiel", coder)
    code(store, "r5_q1", "structuur", "instroom-weinig", A)
    for coder in (A, B):
        for n in range(1, 6):
            code(store, f"r{n}_q1", "Antwoord", "team-structuur", coder)
        code(store, "interview_01", "Het team is stabiel.", "team-stabiel", coder)
    code(store, "interview_01", "te weinig deelnemers", "instroom-weinig", A)
    directory = store.project_dir
    store.close()
    yield directory


def _agreement(project: Path, *args: str | Path, check: bool = True) -> Any:
    return run_cli("agreement", project, "--coders", f"{A},{B}", *args, check=check)


def _stdout(project: Path, *args: str | Path) -> list[str]:
    return str(_agreement(project, *args).stdout.decode()).splitlines()


def _row_line(lines: list[str], label: str) -> list[str]:
    """The cells of the table line starting with `label` (cells are at least two spaces apart)."""
    (line,) = [line for line in lines if line.startswith(label)]
    return [cell.strip() for cell in line[len(label):].split("  ") if cell.strip()]


def _report(project: Path, unit: UnitKind, **options: Any) -> Any:
    with Store.open(project) as store:
        return agreement_report(store, [A, B], unit, **options)


# -- the table on the terminal -------------------------------------------------------------------------------------


def test_senior_reads_per_code_agreement_on_the_terminal(project: Path) -> None:
    lines = _stdout(project)

    assert lines[0] == f"Agreement of {A} and {B}, per code, unit: answer; 5 documents compared"
    assert lines[1] == "κ is Cohen's kappa; α is Krippendorff's alpha (nominal) with its 95 % bootstrap interval (1000 resamples)"
    assert lines[3].split() == ["code", "units", "%", "κ", "α", "95", "%", "interval", "AC1", "reading", A, B]
    # A row per code, named by its theme and name, weakest first; the undefined last, with a dash and its reason in the notes.
    codes = [line.split("  ")[0] for line in lines[4:7]]
    assert codes == ["M.b.t. instroom › Klein aantal deelnemers.", "M.b.t. team › Stabiel team.", "M.b.t. team › Meer structuur nodig."]
    stabiel = _row_line(lines, "M.b.t. team › Stabiel team.")
    assert stabiel == ["5", "80.0", "0.615", "0.640", "[-0.286, 1.000]", "0.600", "unreliable", "3", "2"]
    assert _row_line(lines, "M.b.t. team › Meer structuur nodig.")[:7] == ["5", "100.0", "–", "–", "–", "undefined", "5"]
    assert set(lines[7]) == {"-", " "}
    # Overall: the 15 (answer, code) pairs; α = 1 − 116/448.
    assert _row_line(lines, "all codes") == ["15", "86.7", "0.737", "0.741", "[0.340, 1.000]", "0.735", "tentative", "9", "7"]
    notes = lines[lines.index("notes:") + 1:]
    assert "  left out 1 document only some of the coders coded: r6_q1" in notes
    assert any(note.startswith("  M.b.t. team › Meer structuur nodig.: Cohen's kappa is undefined") for note in notes)


def test_three_coders_get_fleiss_kappa_in_the_table_and_all_three_in_the_caption(project: Path, tmp_path: Path) -> None:
    with Store.open(project) as store:
        for n in range(1, 6):
            code(store, f"r{n}_q1", "Antwoord", "team-structuur", C)
        code(store, "r1_q1", "stabiel", "team-stabiel", C)
        code(store, "interview_01", "Het team is stabiel.", "team-stabiel", C)

    lines = run_cli("agreement", project, "--coders", f"{A},{B},{C}").stdout.decode().splitlines()
    run_cli("agreement", project, "--coders", f"{A},{B},{C}", "--out", tmp_path / "drie.docx")

    assert lines[0].startswith(f"Agreement of {A}, {B}, {C}, per code")
    assert lines[1].startswith("κ is Fleiss' kappa")
    assert lines[3].split()[-3:] == [A, B, C]
    caption = _docx(tmp_path / "drie.docx").paragraphs[0].text
    assert caption.endswith(f"({A}, {B} en {C})")


@pytest.mark.parametrize("unit", list(UnitKind))
def test_every_unit_kind_works_from_the_command_line(project: Path, unit: UnitKind) -> None:
    lines = _stdout(project, "--unit", unit.value)

    report = _report(project, unit)
    assert lines[0].startswith(f"Agreement of {A} and {B}, per code, unit: {unit}; {report.documents} document")
    assert len([line for line in lines if line.startswith("M.b.t. ")]) == len(report.rows)
    assert lines[lines.index("notes:") - 2].startswith("all codes")
    assert _row_line(lines, "all codes")[0] == str(report.overall.units)
    # Characters and the continuum have no interval: the line under the title does not promise one.
    assert ("bootstrap interval" in lines[1]) == (unit not in (UnitKind.CHARACTER, UnitKind.CONTINUUM))
    assert ("uα" in lines[3].split()) == (unit is UnitKind.CONTINUUM)
    assert ("freq" in lines[3].split()) == (unit is UnitKind.DOCUMENT)


def test_the_unit_name_is_read_as_typed(project: Path) -> None:
    assert _stdout(project, "--unit", " Turn")[0].startswith(f"Agreement of {A} and {B}, per code, unit: turn;")


def test_code_limits_the_rows_to_those_codes_and_the_codes_below_them(project: Path) -> None:
    team = _stdout(project, "--code", "team")
    two = _stdout(project, "--code", "team-stabiel", "instroom-weinig")

    assert [line.split("  ")[0] for line in team if line.startswith("M.b.t.")] == [
        "M.b.t. team › Stabiel team.", "M.b.t. team › Meer structuur nodig.",
    ]
    assert _row_line(team, "all codes")[:2] == ["10", "90.0"]  # 2 codes × 5 answers
    assert [line.split("  ")[0] for line in two if line.startswith("M.b.t.")] == [
        "M.b.t. instroom › Klein aantal deelnemers.", "M.b.t. team › Stabiel team.",
    ]


def test_theme_gives_one_row_the_category_each_coder_gave(project: Path) -> None:
    lines = _stdout(project, "--theme", "team")

    assert lines[0] == f"Agreement of {A} and {B}, theme team, one category per answer; 5 documents compared"
    body = lines[4:lines.index("notes:") - 1]
    # Answer 3: onderzoeker1 gave "stabiel+structuur", onderzoeker2 "structuur"; the other four agree.
    assert body == [body[0]] and body[0].startswith("Knelpunten › M.b.t. team")
    assert _row_line(lines, "Knelpunten › M.b.t. team")[:2] == ["5", "80.0"]
    assert "all codes" not in "\n".join(lines)


def test_a_text_file_holds_the_table_the_terminal_shows(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "agreement.txt"
    result = _agreement(project, "--out", out)
    assert result.stdout.decode() == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8") == _agreement(project).stdout.decode()


# -- JSON ----------------------------------------------------------------------------------------------------------


def _no_nan(constant: str) -> None:
    raise AssertionError(f"JSON holds {constant}, which JSON does not have")


def _json_value(value: object) -> object:
    """A report value as JSON gives it: NaN null, tuples lists, mappings objects."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _expected_row(row: CodeAgreement) -> dict[str, object]:
    values = {item.name: _json_value(getattr(row, item.name)) for item in dataclasses.fields(row)}
    return {**values, "reading": row.reading}


@pytest.mark.parametrize("unit", list(UnitKind))
def test_json_holds_the_values_the_report_computes_with_null_for_undefined(project: Path, tmp_path: Path, unit: UnitKind) -> None:
    out = tmp_path / "agreement.json"
    _agreement(project, "--unit", unit.value, "--format", "json", "--out", out)

    data = json.loads(out.read_text(encoding="utf-8"), parse_constant=_no_nan)
    report = _report(project, unit)
    assert (data["coders"], data["unit"], data["documents"], data["left_out"]) == ([A, B], unit.value, report.documents, ["r6_q1"])
    assert data["rows"] == [_expected_row(row) for row in report.rows]
    assert data["overall"] == _expected_row(report.overall)
    assert all(row["reading"] in ("reliable", "tentative", "unreliable", "undefined") for row in data["rows"])


def test_json_of_a_theme_and_of_codes_is_the_report_asked_for(project: Path, tmp_path: Path) -> None:
    def export(name: str, *args: str) -> Any:
        _agreement(project, *args, "--out", tmp_path / name)
        return json.loads((tmp_path / name).read_text(encoding="utf-8"), parse_constant=_no_nan)

    theme, only, every = export("theme.json", "--theme", "team"), export("code.json", "--code", "team-stabiel"), export("all.json")

    assert theme["theme"] == "team" and theme["rows"] == [_expected_row(_report(project, UnitKind.ANSWER, theme="team").rows[0])]
    assert [row["code_id"] for row in only["rows"]] == ["team-stabiel"]
    undefined = next(row for row in every["rows"] if row["code_id"] == "team-structuur")
    assert (undefined["alpha"], undefined["kappa"], undefined["reading"]) == (None, None, "undefined")
    assert undefined["note"].startswith("Cohen's kappa is undefined")


# -- Word ----------------------------------------------------------------------------------------------------------


def _docx(path: Path) -> Any:
    from docx import Document

    return Document(str(path))


def _bold(cell: Any) -> bool:
    return all(run.bold for paragraph in cell.paragraphs for run in paragraph.runs)


def test_senior_exports_agreement_as_a_methods_appendix(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "bijlage.docx"
    assert _agreement(project, "--out", out).stdout.decode() == f"wrote {out}\n"

    document = _docx(out)
    caption, note = document.paragraphs[0], document.paragraphs[-1]
    assert caption.text == f"Tabel 1. Interbeoordelaarsbetrouwbaarheid per code, eenheid: antwoord ({A} en {B})"
    assert caption.style.name == "Caption"
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Code", "n", "%", "κ", "α", "95%-BI", "AC1", "Oordeel", "Gecodeerd (n)"]
    assert [row[0] for row in rows[1:]] == [
        "M.b.t. instroom › Klein aantal deelnemers.", "M.b.t. team › Stabiel team.", "M.b.t. team › Meer structuur nodig.",
        "Alle codes samen",
    ]
    # Decimal commas, a minus sign, a semicolon between the interval's ends, a dash where a statistic is undefined.
    assert rows[2] == ["M.b.t. team › Stabiel team.", "5", "80,0", "0,615", "0,640", "[−0,286; 1,000]", "0,600", "onvoldoende", "3 / 2"]
    assert rows[3][:5] == ["M.b.t. team › Meer structuur nodig.", "5", "100,0", "–", "–"]
    assert rows[4] == ["Alle codes samen", "15", "86,7", "0,737", "0,741", "[0,340; 1,000]", "0,735", "voorlopig", "9 / 7"]
    # The header and the overall row are bold, the codes not.
    assert [all(_bold(cell) for cell in row.cells) for row in table.rows] == [True, False, False, False, True]
    assert not any(_bold(cell) for row in list(table.rows)[1:-1] for cell in row.cells)
    assert note.text.startswith("Noot. Eenheid: antwoord; 5 documenten vergeleken die alle codeurs codeerden. "
                                "1 document, door slechts een deel van de codeurs gecodeerd, is niet meegenomen.")
    assert "Cohens kappa" in note.text and "Krippendorff (2004)" in note.text
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape: the table is wide


def test_a_long_appendix_repeats_its_header_and_keeps_each_row_on_one_page(hvh: Store, tmp_path: Path) -> None:
    from docx.shared import Cm

    out = tmp_path / "hvh.docx"
    run_cli("agreement", hvh.project_dir, "--coders", f"{A},{B}", "--unit", "document", "--out", out)

    document = _docx(out)
    section = document.sections[0]
    (table,) = document.tables
    rows = list(table.rows)
    assert len(rows) > 40  # pages of it
    properties = [{child.tag for child in row._tr.get_or_add_trPr()} for row in rows]
    assert f"{W_NS}tblHeader" in properties[0]
    # A long code name wraps inside its cell; the row never breaks across a page, away from its numbers.
    assert all(f"{W_NS}cantSplit" in tags for tags in properties)
    # Every column fits between the margins (to a tenth of a millimetre: Word rounds widths to twips).
    widths = [cell.width for cell in rows[0].cells]
    assert sum(widths) <= section.page_width - section.left_margin - section.right_margin + Cm(0.01)
    assert rows[0].cells[-2].text == "Freq. %" and rows[-1].cells[0].text == "Alle codes samen"


def test_a_theme_appendix_explains_the_one_category_per_unit(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "thema.docx"
    _agreement(project, "--theme", "team", "--out", out)

    document = _docx(out)
    assert document.paragraphs[0].text == (
        f"Tabel 1. Interbeoordelaarsbetrouwbaarheid binnen het thema ‘M.b.t. team’, één categorie per antwoord ({A} en {B})"
    )
    (table,) = document.tables
    assert [row.cells[0].text for row in table.rows] == ["Code", "Knelpunten › M.b.t. team"]
    assert not _bold(table.rows[1].cells[0])  # no overall row to set apart
    note = document.paragraphs[-1].text
    assert "de categorie de code binnen het thema" in note and "een code binnen het thema gaf" in note


# -- Excel and the chart -------------------------------------------------------------------------------------------


def test_excel_sheet_keeps_numbers_as_numbers_and_a_formula_like_name_as_text(project: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    formula = '=HYPERLINK("https://example.org";"klik")'
    run_cli("codebook", project, "rename", "team", formula)  # a row's label starts with its theme
    out = tmp_path / "agreement.xlsx"
    _agreement(project, "--out", out)

    sheet = load_workbook(out).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == f"Tabel 1. Interbeoordelaarsbetrouwbaarheid per code, eenheid: antwoord ({A} en {B})"
    assert values[1] == ["Code", "n", "%", "κ", "α", "95%-BI", "AC1", "Oordeel", A, B]
    assert [row[0] for row in values[2:6]] == [
        "M.b.t. instroom › Klein aantal deelnemers.", f"{formula} › Stabiel team.", f"{formula} › Meer structuur nodig.",
        "Alle codes samen",
    ]
    stabiel = values[3]
    assert stabiel[1:5] == [5, pytest.approx(80.0), pytest.approx(8 / 13), pytest.approx(16 / 25)]
    assert all(isinstance(value, int | float) for value in [*stabiel[1:5], stabiel[6], *stabiel[8:]])
    assert stabiel[8:] == [3, 2]
    assert values[4][4] is None  # undefined α: an empty cell, not a dash a sum would trip over
    assert sheet.cell(row=4, column=1).data_type == "s"  # text, never run as a formula
    assert sheet.cell(row=4, column=5).number_format == "0.000"
    assert str(values[-1][0]).startswith("Noot. Eenheid: antwoord")


def test_the_chart_is_a_png_of_alpha_per_code(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "alpha.png"
    _agreement(project, "--out", out)
    again = tmp_path / "again.png"
    _agreement(project, "--format", "png", "--out", again)

    data = out.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000
    assert again.read_bytes() == data  # the same report, the same bytes: exports diff cleanly


def test_the_demos_chart_grows_with_its_codes(hvh: Store, tmp_path: Path) -> None:
    from PIL import Image

    few, many = tmp_path / "few.png", tmp_path / "many.png"
    run_cli("agreement", hvh.project_dir, "--coders", f"{A},{B}", "--code", "knelpunten-team", "--out", few)
    run_cli("agreement", hvh.project_dir, "--coders", f"{A},{B}", "--out", many)

    with Image.open(few) as small, Image.open(many) as large:
        assert small.format == large.format == "PNG"
        assert small.width == large.width and large.height > 3 * small.height


def test_a_whole_quoted_item_as_a_code_name_does_not_stretch_the_chart(project: Path, tmp_path: Path) -> None:
    from PIL import Image

    three_lines = "Meer structuur nodig in het team, " * 4  # wraps to three lines at 50 characters
    whole_item = "Meer structuur nodig in het team, " * 12

    def height(name: str, out: Path) -> int:
        run_cli("codebook", project, "rename", "team-stabiel", name)
        _agreement(project, "--out", out)
        with Image.open(out) as image:
            return int(image.height)

    assert height(whole_item, tmp_path / "long.png") == height(three_lines, tmp_path / "three.png")


def test_no_chart_when_no_code_has_an_alpha(tmp_path: Path) -> None:
    store = empty_project(tmp_path)
    answers(store, {"r1_q1": "Het team is stabiel.", "r2_q1": "Stabiel."})
    for coder in (A, B):
        code(store, "r1_q1", "stabiel", "team-stabiel", coder)
        code(store, "r2_q1", "Stabiel", "team-stabiel", coder)
    store.close()
    out = tmp_path / "alpha.png"

    result = _agreement(store.project_dir, "--out", out, check=False)

    assert (result.returncode, result.stderr.decode()) == (1, f"workbench: {out}: no code has a defined alpha to chart\n")
    assert not out.exists()


# -- errors --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--coders", f"{A},nobody"], "{project}: no coder named 'nobody' (coders: onderzoeker1, onderzoeker2)"),
        (["--coders", A], "comparing coders needs at least two (got 'onderzoeker1')"),
        (["--coders", f"{A},{B}", "--format", "docx"], "--format docx writes a file: give it with --out FILE"),
        (["--coders", f"{A},{B}", "--out", "{out}/agreement.pdf"],
         "{out}/agreement.pdf: cannot tell the agreement format from .pdf (choose .txt, .json, .docx, .xlsx, .png)"),
        (["--coders", f"{A},{B}", "--out", "{out}/missing/agreement.docx"],
         "{out}/missing/agreement.docx: folder {out}/missing does not exist"),
        (["--coders", f"{A},{B}", "--out", "{out}"], "{out}: cannot tell the agreement format from a name without an extension"),
        (["--coders", f"{A},{B}", "--unit", "word", "--out", "{out}/a.json"], "unknown unit 'word' (choose answer, turn, sentence"),
        (["--coders", f"{A},{B}", "--code", "team-stabeil", "--out", "{out}/a.json"], "unknown code 'team-stabeil'"),
        (["--coders", f"{A},{B}", "--theme", "team", "--unit", "segment"], "one category per unit within a theme works on answer"),
    ],
    ids=["unknown coder", "one coder", "docx to the terminal", "unknown extension", "missing folder", "no extension",
         "unknown unit", "unknown code", "theme on segments"],
)
def test_a_mistake_is_one_line_naming_what_is_wrong_and_writes_nothing(
    project: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    before = _files(tmp_path)

    result = run_cli("agreement", project, *(arg.format(out=out) for arg in args), check=False)

    error = result.stderr.decode()
    assert result.returncode == 1 and result.stdout == b""
    assert error.startswith("workbench: " + message.format(project=project, out=out))
    assert error.endswith("\n") and error.count("\n") == 1
    assert _files(tmp_path) == before


def _files(folder: Path) -> list[Path]:
    """Every path below a folder but the project's backups, which opening a changed project adds (core/backups.py)."""
    return sorted(p for p in folder.rglob("*") if "backups" not in p.relative_to(folder).parts)


def test_a_failed_export_leaves_the_earlier_file_whole(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.exporters import _agreement_xlsx

    out = tmp_path / "agreement.xlsx"
    _agreement(project, "--out", out)
    earlier = out.read_bytes()

    def disk_full(report: object, path: Path) -> None:
        path.write_bytes(earlier[:100])  # half a workbook, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_agreement_xlsx, "write_xlsx", disk_full)
    result = _agreement(project, "--out", out, "--force", check=False)

    assert result.returncode == 1
    assert result.stderr.decode().startswith(f"workbench: {out}: cannot write the xlsx export")
    assert result.stderr.decode().count("\n") == 1
    assert out.read_bytes() == earlier
    assert sorted(path.name for path in tmp_path.iterdir()) == ["agreement.xlsx", "project"]


# -- merge, then compare -------------------------------------------------------------------------------------------


def test_senior_merges_the_second_coders_copy_and_then_compares_the_two(tmp_path: Path) -> None:
    ours, theirs = empty_project(tmp_path / "ours"), empty_project(tmp_path / "theirs")
    texts = {f"r{n}_q1": f"Antwoord {n}: het team is stabiel." for n in range(1, 5)}
    for store, coder, numbers in ((ours, A, [1, 2, 3]), (theirs, B, [1, 2])):
        answers(store, texts)
        for n in range(1, 5):
            code(store, f"r{n}_q1", "Antwoord", "team-structuur", coder)
        for n in numbers:
            code(store, f"r{n}_q1", "stabiel", "team-stabiel", coder)
        store.close()

    before = run_cli("agreement", ours.project_dir, "--coders", f"{A},{B}", check=False)
    merged = run_cli("merge", ours.project_dir, theirs.project_dir, "--as", C)
    lines = run_cli("agreement", ours.project_dir, "--coders", f"{A},{B}").stdout.decode().splitlines()

    assert before.returncode == 1 and f"no coder named '{B}'" in before.stderr.decode()
    assert merged.stdout.decode().splitlines() == [
        f"merged {theirs.project_dir} into {ours.project_dir}: 6 codings by {B} added, 0 memos, 0 duplicates skipped",
    ]
    assert lines[0] == f"Agreement of {A} and {B}, per code, unit: answer; 4 documents compared"
    assert _row_line(lines, "M.b.t. team › Stabiel team.")[:2] == ["4", "75.0"]
