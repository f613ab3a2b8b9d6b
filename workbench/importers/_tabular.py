"""Questionnaire spreadsheets (.csv, .xlsx, .ods): one respondent per row, and each answer its own codable document."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from workbench.core.batch import NewDocument
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.reading import check_regular_file, read_capped
from workbench.errors import ImportError_
from workbench.importers._txt import MAX_BYTES  # one size limit for every imported file
from workbench.importers.archive_limits import MEMBER_ERRORS, open_checked_zip, read_member
from workbench.importers.encoding import decode

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped]

CSV_EXTENSIONS = (".csv", ".tsv")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
ODS_EXTENSIONS = (".ods",)
EXTENSIONS = CSV_EXTENSIONS + XLSX_EXTENSIONS + ODS_EXTENSIONS

#: Delimiters a spreadsheet program writes: "," (English), ";" (Dutch and other decimal-comma locales), tab.
_DELIMITERS = (",", ";", "\t")
_SNIFF_CHARS = 64 * 1024
#: Limits of one questionnaire (stated in the README): more respondents, columns or cells than a qualitative
#: study codes. Beyond them a sheet is refused while it is read, before it fills memory.
MAX_ROWS = 50_000
MAX_COLUMNS = 4_096
MAX_CELLS = 5_000_000
#: An .xlsx worksheet is streamed, so it may unpack larger than the parts openpyxl reads whole (shared strings, styles).
MAX_SHEET_XML_BYTES = 512 * 1024**2
_SNIFF_RECORDS = 100
#: A Qualtrics response id, as its ResponseId column holds it.
_RESPONSE_ID = re.compile(r"R_[0-9A-Za-z]{10,}")
#: Header spellings of the case attributes tables know, after casefolding and turning "_" and "-" into spaces.
_KNOWN_HEADERS = {
    "respondent group": "respondent_group",
    "respondentgroep": "respondent_group",
    "group": "respondent_group",
    "groep": "respondent_group",
    "function": "function",
    "functie": "function",
    "wave": "wave",
    "meting": "wave",
}
#: Qualtrics' ImportIds of the columns it fills itself (dates, progress, location…): never questions by default.
_QUALTRICS_METADATA = frozenset({
    "startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished", "recordedDate", "_recordId",
    "recipientLastName", "recipientFirstName", "recipientEmail", "externalDataReference", "locationLatitude",
    "locationLongitude", "distributionChannel", "userLanguage",
})
#: The headers Qualtrics gives those columns, for exports whose ImportId row was deleted.
_QUALTRICS_METADATA_HEADERS = frozenset({
    "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished", "RecordedDate",
    "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference", "LocationLatitude",
    "LocationLongitude", "DistributionChannel", "UserLanguage",
})


@dataclass(frozen=True)
class ColumnMapping:
    """Which spreadsheet columns hold the respondent id, the case attributes and the questions.

    Without an `id_column` each row is its own respondent, named after the file and its row number
    ("enquete row 4"), so rows of two sheets never merge into one respondent by accident.

    `attribute_columns` maps a column to an attribute key: "respondent_group", "function" and "wave" are the
    known case attributes, any other key is kept as a free one. Empty `question_columns` means every column not
    mapped otherwise. `question_ids` gives columns short ids; the others get "q1", "q2", ... by their position
    among the question columns, in sheet order.
    """

    id_column: str | None = None
    attribute_columns: Mapping[str, str] = field(default_factory=dict, hash=False)
    question_columns: tuple[str, ...] = ()
    question_ids: Mapping[str, str] | None = field(default=None, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attribute_columns", MappingProxyType(dict(self.attribute_columns)))
        object.__setattr__(self, "question_columns", tuple(self.question_columns))
        if self.question_ids is not None:
            object.__setattr__(self, "question_ids", MappingProxyType(dict(self.question_ids)))


# -- reading a sheet -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Sheet:
    """A sheet read as text, with what the rows between its header and its first respondent said.

    Survey tools write more than one header row: Qualtrics puts each question's text in the row below the
    header and an {"ImportId": …} row below that. Those rows are not respondents; `labels` keeps the question
    texts (column → text), `metadata` the columns the tool fills itself, `header_rows` how many rows were skipped.
    """

    table: pd.DataFrame
    labels: Mapping[str, str] = field(default_factory=dict)
    metadata: frozenset[str] = frozenset()
    header_rows: int = 0
    tool: str | None = None


def read_table(path: Path, *, sheet: str | None = None, skip_rows: int | None = None) -> pd.DataFrame:
    """The sheet as text: one column per header, indexed by spreadsheet row number, every cell a str (see `read_sheet`)."""
    return read_sheet(path, sheet=sheet, skip_rows=skip_rows).table


def read_sheet(path: Path, *, sheet: str | None = None, skip_rows: int | None = None) -> Sheet:
    """The sheet as text: one column per header, indexed by spreadsheet row number, every cell a str.

    Cells are never converted: "NA", "0012" and empty cells stay as written. Blank rows are skipped, but the
    index keeps the row numbers a spreadsheet program shows, so errors and answers point at the right row.
    `sheet` picks an .xlsx or .ods sheet by name (default: the first). `skip_rows` says how many non-blank rows
    below the header are not respondents; None recognises Qualtrics' extra header rows and skips nothing else.
    """
    import pandas as pd

    path = Path(path)
    if skip_rows is not None and skip_rows < 0:
        raise ImportError_(f"{path}: cannot skip {skip_rows} rows; give 0 or more")
    grid = _grid(path, _raw_rows(path, sheet), skip_rows)
    table = pd.DataFrame(grid.rows, columns=grid.headers, index=pd.Index(grid.row_numbers, name="row"), dtype=str)
    return Sheet(table, MappingProxyType(grid.labels), grid.metadata, grid.header_rows, grid.tool)


def _raw_rows(path: Path, sheet: str | None) -> list[tuple[int, list[str]]]:
    """The sheet's non-blank rows with their spreadsheet row numbers, within MAX_ROWS, MAX_COLUMNS and MAX_CELLS."""
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(EXTENSIONS)
        what = suffix or "files without an extension"
        hint = "; save it as .xlsx or .csv" if suffix in (".xls", ".numbers") else ""
        raise ImportError_(f"{path}: cannot import {what} as a questionnaire (known formats: {known}){hint}")
    data = _read_file(path)
    if suffix in CSV_EXTENSIONS:
        if sheet is not None:
            raise ImportError_(f"{path}: a CSV file has no sheets, so sheet {sheet!r} cannot be chosen")
        return _csv_rows(path, data)
    if suffix in ODS_EXTENSIONS:
        return _ods_rows(path, data, sheet)
    return _xlsx_rows(path, data, sheet)


def _read_file(path: Path) -> bytes:
    """The file's bytes: a regular file of at most MAX_BYTES (a link to /dev/zero is refused, not read forever)."""
    size = check_regular_file(path, ImportError_).st_size
    if size > MAX_BYTES:
        raise ImportError_(f"{path}: file is {size / 2**20:.1f} MB, larger than the {MAX_BYTES / 2**20:g} MB limit for one questionnaire")
    data = read_capped(path, MAX_BYTES, ImportError_, "one questionnaire")
    if not data:
        raise ImportError_(f"{path}: empty file, nothing to import")
    return data


def _bounded(path: Path, rows: Iterable[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """The non-blank rows (trailing empty cells dropped), refused once they exceed the rows, columns or cells a sheet may have.

    Rows are taken one at a time from a streaming reader, so a sheet of a million rows is refused after
    MAX_ROWS of them, not after all are in memory.
    """
    kept: list[tuple[int, list[str]]] = []
    cells = 0
    for number, row in rows:
        while row and not row[-1].strip():
            row.pop()
        if not row:
            continue
        if len(row) > MAX_COLUMNS:
            raise _too_wide(path, len(row), number)
        if len(kept) >= MAX_ROWS:
            raise ImportError_(f"{path}: more than {MAX_ROWS:,} rows, the limit for one questionnaire; split the file")
        cells += len(row)
        if cells > MAX_CELLS:
            raise ImportError_(f"{path}: more than {MAX_CELLS:,} cells by row {number}, the limit for one questionnaire; split the file")
        kept.append((number, row))
    return kept


def _too_wide(path: Path, column: int, row_number: int) -> ImportError_:
    """The error for a cell in a column (1-based) beyond MAX_COLUMNS, naming the cell as a spreadsheet does ("XFD2")."""
    return ImportError_(f"{path}: cell {_column_letter(column - 1)}{row_number} lies beyond the {MAX_COLUMNS}-column limit "
                        "for a questionnaire; delete what stands there, or split the sheet")


def _csv_rows(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    text = decode(path, data, expected="a spreadsheet")
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _bounded(path, enumerate(reader, start=1))
    except csv.Error as exc:
        raise ImportError_(f"{path}: not a readable CSV file (row {reader.line_num}: {exc})") from None


def _delimiter(text: str) -> str:
    """The delimiter that splits every record of the file's start into as many cells as the header has.

    csv.Sniffer alone guesses wrong when answers are full of commas in a ";" file, so its guess is only
    tried first and kept when the records bear it out.
    """
    sample = text[:_SNIFF_CHARS]
    try:
        guessed = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        guessed = ""
    candidates = ([guessed] if guessed else []) + [d for d in _DELIMITERS if d != guessed]
    consistent = [d for d in candidates if _consistent_width(sample, d, truncated=len(text) > len(sample)) > 1]
    if consistent:
        return consistent[0] if consistent[0] == guessed else max(consistent, key=lambda d: _header_width(sample, d))
    return guessed or max(_DELIMITERS, key=lambda d: _header_width(sample, d))


def _sample_records(sample: str, delimiter: str, *, truncated: bool) -> list[list[str]]:
    try:
        records = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if any(c.strip() for c in r)]
    except csv.Error:
        return []
    if truncated and records:
        records.pop()  # the sample may end inside the last record
    return records[:_SNIFF_RECORDS]


def _consistent_width(sample: str, delimiter: str, *, truncated: bool) -> int:
    """The header's number of cells if every sampled record has as many, else 0."""
    records = _sample_records(sample, delimiter, truncated=truncated)
    if not records:
        return 0
    width = len(records[0])
    return width if all(len(r) == width for r in records) else 0


def _header_width(sample: str, delimiter: str) -> int:
    """Cells in the first non-empty line; a line of only delimiters counts, it tells the delimiter all the same."""
    try:
        return next((len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if r), 0)
    except csv.Error:
        return 0


def _xlsx_rows(path: Path, data: bytes, sheet: str | None) -> list[tuple[int, list[str]]]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # The OLE container of .xls workbooks, and of .xlsx workbooks Excel encrypted with a password.
        raise ImportError_(f"{path}: an old-style or password-protected Excel file; save it as .xlsx without a password")
    # Worksheets are streamed, so they may unpack larger than the other parts, which openpyxl reads whole.
    with open_checked_zip(path, data, ".xlsx", total_limit=2 * MAX_SHEET_XML_BYTES,
                          member_limits={"xl/worksheets/": MAX_SHEET_XML_BYTES},
                          not_a_zip="not a spreadsheet (cannot open it as an .xlsx workbook)") as archive:
        declared = _declared_sheets(archive)
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it does not read (data validation, some styles); cell
            # values are unaffected, and a warning on stderr would only confuse the user.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises a zoo of exception types for damaged files; all mean the same here
        raise ImportError_(f"{path}: not a spreadsheet (cannot open it as an .xlsx workbook)") from None
    try:
        names = list(workbook.sheetnames)
        # openpyxl leaves out, without a word, a sheet the workbook lists but whose cells are not in the file.
        missing = [name for name in declared if name not in names]
        wanted = sheet if sheet is not None else (declared[0] if declared else None)
        if wanted in missing:
            readable = ", ".join(repr(n) for n in names) or "none"
            which = "the first sheet" if sheet is None else "sheet"
            raise ImportError_(f"{path}: {which} {wanted!r} is listed in the workbook but its cells are missing from the file "
                               f"(a damaged workbook); name another sheet to import (readable sheets: {readable})")
        if sheet is None:
            if not workbook.worksheets:
                raise ImportError_(f"{path}: the workbook has no sheets with cells")
            worksheet = workbook.worksheets[0]
        elif sheet in names:
            worksheet = workbook[sheet]
        else:
            listed = ", ".join(repr(n) for n in names)
            raise ImportError_(f"{path}: no sheet named {sheet!r} (sheets: {listed})")
        if not hasattr(worksheet, "reset_dimensions"):
            raise ImportError_(f"{path}: sheet {worksheet.title!r} is a chart, not a table")
        try:
            return _bounded(path, _worksheet_rows(path, worksheet))
        except ImportError_:
            raise
        except Exception:  # noqa: BLE001 - a damaged sheet inside a valid zip fails only when its cells are read
            raise ImportError_(f"{path}: not a spreadsheet (its sheet {worksheet.title!r} cannot be read)") from None
    finally:
        workbook.close()


def _declared_sheets(archive: zipfile.ZipFile) -> list[str]:
    """The sheet names xl/workbook.xml lists, in order (empty when it cannot be read: openpyxl then says so)."""
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 - size checked; expat expands no external entities
    except (KeyError, ElementTree.ParseError, *MEMBER_ERRORS):
        return []
    return [element.get("name") or "" for element in root.iter() if element.tag.rpartition("}")[2] == "sheet"]


def _worksheet_rows(path: Path, worksheet: object) -> Iterator[tuple[int, list[str]]]:
    """Each stored row's number and cells, as openpyxl's streaming parser reads them.

    openpyxl's own iter_rows pads every row to its last cell: one stray cell at column XFD makes each row 16,384
    cells. Reading the parser's rows directly keeps a row as wide as its own last cell, and a row wider than
    MAX_COLUMNS is refused before it is padded.
    """
    from openpyxl.worksheet._reader import WorkSheetParser  # type: ignore[import-untyped]

    workbook = worksheet.parent  # type: ignore[attr-defined]
    with worksheet._get_source() as source:  # type: ignore[attr-defined]
        parser = WorkSheetParser(source, worksheet._shared_strings, data_only=True, epoch=workbook.epoch,  # type: ignore[attr-defined]
                                 date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for number, cells in parser.parse():
            filled = [(int(cell["column"]), _cell_text(cell["value"])) for cell in cells if cell["value"] is not None]
            width = max((column for column, text in filled if text.strip()), default=0)
            if width > MAX_COLUMNS:
                raise _too_wide(path, width, number)
            row = [""] * width
            for column, text in filled:
                if column <= width:
                    row[column - 1] = text
            yield number, row


def _ods_rows(path: Path, data: bytes, sheet: str | None) -> list[tuple[int, list[str]]]:
    """The cells of an OpenDocument (LibreOffice) sheet, read by pandas' odfpy engine."""
    import pandas as pd

    with open_checked_zip(path, data, ".ods", not_a_zip="not a spreadsheet (cannot open it as an .ods workbook)") as archive:
        content = read_member(path, archive, "content.xml", ".ods")
    if content is not None:
        _check_ods_repeats(path, content)
    try:
        workbook = pd.ExcelFile(io.BytesIO(data), engine="odf")
    except Exception:  # noqa: BLE001 - odfpy raises zip, XML and key errors for damaged files; all mean the same here
        raise ImportError_(f"{path}: not a spreadsheet (cannot open it as an .ods workbook)") from None
    with workbook:
        names = [str(name) for name in workbook.sheet_names]
        if not names:
            raise ImportError_(f"{path}: the workbook has no sheets with cells")
        if sheet is not None and sheet not in names:
            listed = ", ".join(repr(n) for n in names)
            raise ImportError_(f"{path}: no sheet named {sheet!r} (sheets: {listed})")
        try:
            # nrows: odfpy's reader stops after the rows the limit allows (one more, to notice a sheet beyond it).
            frame = workbook.parse(sheet if sheet is not None else names[0], header=None, dtype=object, na_filter=False,
                                   nrows=MAX_ROWS + 1)
        except Exception:  # noqa: BLE001 - as above: a damaged sheet fails only when its cells are read
            raise ImportError_(f"{path}: not a spreadsheet (its sheet {sheet or names[0]!r} cannot be read)") from None
    return _bounded(path, ((number, [_cell_text(value) for value in row])
                           for number, row in enumerate(frame.itertuples(index=False, name=None), start=1)))


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _check_ods_repeats(path: Path, content: bytes) -> None:
    """Refuse an .ods whose repeated cells or rows with content would unfold beyond MAX_COLUMNS or MAX_ROWS.

    An .ods stores "this cell 16,384 times" as one element; pandas unfolds every repeat of a cell that holds a
    value, so a 10 KB file could ask for gigabytes. Empty repeats (LibreOffice writes them to the sheet's edge)
    are not unfolded and do not count.
    """
    from xml.etree import ElementTree

    rows = 0
    try:
        for _, element in ElementTree.iterparse(io.BytesIO(content)):  # noqa: S314 - size checked; no external entities
            if element.tag == f"{_ODS_TABLE}table":
                rows = 0  # the next sheet counts its own rows
                continue
            if element.tag != f"{_ODS_TABLE}table-row":
                continue
            width = 0
            filled = False
            for cell in element:
                repeat = _repeat(cell.get(f"{_ODS_TABLE}number-columns-repeated"))
                if cell.get(f"{_ODS_OFFICE}value-type") is not None or len(cell):
                    width += repeat
                    filled = True
                    if width > MAX_COLUMNS:
                        raise ImportError_(f"{path}: a row of the sheet repeats its cells beyond the {MAX_COLUMNS}-column "
                                           "limit for a questionnaire")
            if filled:
                rows += _repeat(element.get(f"{_ODS_TABLE}number-rows-repeated"))
                if rows > MAX_ROWS:
                    raise ImportError_(f"{path}: more than {MAX_ROWS:,} rows, the limit for one questionnaire; split the file")
            element.clear()
    except ElementTree.ParseError:
        return  # pandas reports a damaged sheet in its own words


def _repeat(value: str | None) -> int:
    try:
        return max(int(value or "1"), 1)
    except ValueError:
        return 1


def _cell_text(value: object) -> str:
    """A cell value as the text a spreadsheet program shows for it by default."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float; respondent 17 must not become "17.0"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class _Grid:
    headers: list[str]
    row_numbers: list[int]
    rows: list[list[str]]
    labels: dict[str, str]
    metadata: frozenset[str]
    header_rows: int
    tool: str | None


def _import_id(cell: str) -> str | None:
    """The id in a Qualtrics cell such as {"ImportId":"QID2_TEXT"}, or None."""
    cell = cell.strip()
    if not cell.startswith("{") or "ImportId" not in cell:
        return None
    try:
        value = json.loads(cell)
    except ValueError:
        return None
    found = value.get("ImportId") if isinstance(value, dict) else None
    return found if isinstance(found, str) else None


def _is_import_id_row(cells: Sequence[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(_import_id(c) is not None for c in filled)


def _qualtrics_rows(header: Sequence[str], below: Sequence[Sequence[str]]) -> tuple[int | None, int | None]:
    """Where Qualtrics' question-text row and ImportId row are among the first rows below the header (None: absent).

    The ImportId row ({"ImportId":"QID2_TEXT"} in every cell) is unmistakable, and the question texts are the row
    above it. Exports cleaned of the ImportId row are recognised by their ResponseId column: the question-text row
    holds no response id there ("ResponseId" or "Response ID"), the first respondent's row does ("R_2YPOQ602ER1jkf1").
    """
    if len(below) > 1 and _is_import_id_row(below[1]):
        return 0, 1
    if below and _is_import_id_row(below[0]):
        return None, 0
    column = next((i for i, name in enumerate(header) if name.strip().replace(" ", "").casefold() == "responseid"), None)
    if column is not None and len(below) > 1:
        cells = [row[column].strip() if column < len(row) else "" for row in below[:2]]
        if not _RESPONSE_ID.fullmatch(cells[0]) and _RESPONSE_ID.fullmatch(cells[1]):
            return 0, None
    return None, None


def _grid(path: Path, numbered: list[tuple[int, list[str]]], skip_rows: int | None = None) -> _Grid:
    """Headers, row numbers and padded rows of the kept columns; the first non-blank row is the header.

    Qualtrics' question-text and ImportId rows below the header are recognised by the ImportId row; `skip_rows`
    (if given) says instead how many rows below the header to leave out.
    """
    if not numbered:
        raise ImportError_(f"{path}: the sheet is empty, nothing to import")
    (_, header), below = numbered[0], numbered[1:]
    label_at, id_at = _qualtrics_rows(header, [cells for _, cells in below[:3]])
    found_rows = max((at + 1 for at in (label_at, id_at) if at is not None), default=0)
    header_rows = found_rows if skip_rows is None else skip_rows
    label_row = below[label_at][1] if label_at is not None and label_at < header_rows else []
    id_row = below[id_at][1] if id_at is not None and id_at < header_rows else []
    tool = "Qualtrics" if label_row or id_row else None
    body = below[header_rows:]
    if not body:
        extra = f" and the {header_rows} rows skipped below it" if header_rows else ""
        raise ImportError_(f"{path}: no rows below the header{extra}, nothing to import")
    width = max(len(cells) for _, cells in numbered)
    kept: list[int] = []
    names: list[str] = []
    first_column: dict[str, int] = {}
    for index in range(width):
        name = header[index] if index < len(header) else ""
        if not name.strip():
            if not any(index < len(cells) and cells[index].strip() for _, cells in body):
                continue  # an unused column, often only formatting, not a question without a header
            name = f"column {_column_letter(index)}"
        if name in first_column:
            raise ImportError_(
                f"{path}: two columns are headed {name!r} (columns {_column_letter(first_column[name])} and {_column_letter(index)});"
                " give each its own header"
            )
        first_column[name] = index
        kept.append(index)
        names.append(name)
    rows = [[cells[i] if i < len(cells) else "" for i in kept] for _, cells in body]
    labels = {
        name: label.strip()
        for name, index in zip(names, kept, strict=True)
        if index < len(label_row) and (label := label_row[index]).strip() and label.strip() != name
    }
    metadata = frozenset(
        name
        for name, index in zip(names, kept, strict=True)
        if tool is not None
        and (name in _QUALTRICS_METADATA_HEADERS or (index < len(id_row) and _import_id(id_row[index]) in _QUALTRICS_METADATA))
    )
    return _Grid(names, [number for number, _ in body], rows, labels, metadata, header_rows, tool)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# -- from a sheet to documents and cases ---------------------------------------------------------------


@dataclass(frozen=True)
class Questionnaire:
    """A sheet's answers, ready for `add_documents`, and what the reading recognised on the way."""

    documents: tuple[NewDocument, ...]
    respondent_count: int
    #: Rows below the header that were not respondents (Qualtrics' question texts and ImportIds, or --skip-rows).
    header_rows: int = 0
    #: The survey tool whose export layout was recognised ("Qualtrics"), if any.
    tool: str | None = None
    #: True when no id column was given and each row's number names its respondent.
    ids_from_rows: bool = False


def questionnaire_documents(
    path: Path, mapping: ColumnMapping, *, wave: str | None = None, sheet: str | None = None, skip_rows: int | None = None
) -> list[NewDocument]:
    """One document per non-empty answer (see `read_questionnaire`)."""
    return list(read_questionnaire(path, mapping, wave=wave, sheet=sheet, skip_rows=skip_rows).documents)


def read_questionnaire(
    path: Path, mapping: ColumnMapping, *, wave: str | None = None, sheet: str | None = None, skip_rows: int | None = None
) -> Questionnaire:
    """One document per non-empty answer, named "<file stem>/<respondent>/<question id>", linked to its respondent.

    `wave` (e.g. "T1") sets the wave of every respondent when no column holds it. Each answer keeps its
    question, question id, spreadsheet row and wave as document attributes; the wave is kept there too because
    a respondent's case has one wave attribute, which the next wave's import overwrites. In a Qualtrics export
    the question is the question's text from the row below the header, the default question id its column
    ("Q2"), and the columns Qualtrics fills itself (dates, progress, IP address…) are no questions by default.
    """
    path = Path(path)
    read = read_sheet(path, sheet=sheet, skip_rows=skip_rows)
    table = read.table
    columns = [str(c) for c in table.columns]
    roles: dict[str, str] = {}

    def take(name: str, role: str) -> str:
        column = _resolve_column(path, columns, name)
        if column in roles:
            raise ImportError_(f"{path}: column {column!r} is mapped twice (as {roles[column]} and as {role})")
        roles[column] = role
        return column

    id_column = take(mapping.id_column, "the respondent id") if mapping.id_column is not None else None
    attribute_columns: dict[str, str] = {}
    for name, key in mapping.attribute_columns.items():
        if not key.strip():
            raise ImportError_(f"{path}: column {name!r} is mapped to a blank attribute name")
        attribute_columns[take(name, f"attribute {key!r}")] = key
    keys = list(attribute_columns.values())
    if (repeated := next((k for k in keys if keys.count(k) > 1), None)) is not None:
        sources = " and ".join(repr(c) for c, k in attribute_columns.items() if k == repeated)
        raise ImportError_(f"{path}: columns {sources} are both mapped to attribute {repeated!r}")
    if wave is not None:
        if not wave.strip():
            raise ImportError_(f"{path}: the wave is blank")
        if "wave" in keys:
            column = next(c for c, k in attribute_columns.items() if k == "wave")
            raise ImportError_(f"{path}: the wave is given twice (column {column!r} and {wave!r}); give one")
    if mapping.question_columns:
        chosen = {take(name, "a question") for name in mapping.question_columns}
    else:
        chosen = {c for c in columns if c not in roles and c not in read.metadata}
    questions = [c for c in columns if c in chosen]  # sheet order, so default ids follow the sheet
    if not questions:
        raise ImportError_(f"{path}: no question columns (every column is mapped as the id or an attribute)")
    # Qualtrics' own question ids ("Q2") are what its users call their questions; other sheets get q1, q2, ...
    own_ids = {q: q for q in questions if "/" not in q and q.strip()} if read.tool == "Qualtrics" else {}
    question_ids = _question_ids(path, columns, questions, {**own_ids, **(mapping.question_ids or {})})

    if id_column is not None:
        respondents = _respondent_rows(path, table, id_column)
    else:
        respondents = _numbered_rows(table)
    documents: list[NewDocument] = []
    source, stem = str(path), path.stem  # once, not once per answer
    for respondent, (row_number, values) in respondents.items():
        flat = {key: value.strip() for column, key in attribute_columns.items() if (value := values[column]).strip()}
        if wave is not None:
            flat["wave"] = wave
        attributes = CaseAttributes.from_dict(flat)
        # A row number is only unique within its file, so the case it names carries the file's name too.
        case_id = respondent if id_column is not None else f"{stem} {respondent}"
        for question in questions:
            answer = values[question]
            if not answer.strip():
                continue
            question_id = question_ids[question]
            name = f"{stem}/{respondent}/{question_id}"
            document_attributes = {
                "question": read.labels.get(question, question), "question_id": question_id, "source_row": str(row_number),
            }
            if attributes.wave is not None:
                document_attributes["wave"] = attributes.wave
            documents.append(
                NewDocument(
                    name=name,
                    text=answer,
                    kind=DocumentKind.QUESTIONNAIRE_ANSWER,
                    source=source,
                    case_id=case_id,
                    case_attributes=attributes,
                    attributes=document_attributes,
                    # Two respondents may both answer "Ja.": the name makes their hashes differ, while the
                    # same sheet imported again is still refused by its names.
                    dedupe_key=f"{name}\0{answer}",
                )
            )
    if not documents:
        listed = ", ".join(repr(q) for q in questions)
        raise ImportError_(f"{path}: no answers to import (the question columns {listed} are empty)")
    return Questionnaire(
        tuple(documents), len({d.case_id for d in documents}), read.header_rows, read.tool, ids_from_rows=id_column is None
    )


def case_attribute_rows(
    path: Path, id_column: str, *, sheet: str | None = None, document_column: str | None = None
) -> dict[str, CaseAttributes]:
    """Case id → attributes from a sheet with one case per row; every column besides the id is an attribute.

    Headers such as "Groep", "Functie" and "Meting" become the known attributes (respondent_group, function,
    wave), any other header is kept as a free attribute; empty cells set nothing. The `document_column`, if
    any, names documents rather than an attribute (see `case_documents`).
    """
    path = Path(path)
    table = read_table(path, sheet=sheet)
    columns = [str(c) for c in table.columns]
    id_column = _resolve_column(path, columns, id_column)
    skipped = {id_column} | ({_resolve_column(path, columns, document_column)} if document_column else set())
    keys: dict[str, str] = {}
    for column in columns:
        if column in skipped:
            continue
        key = _KNOWN_HEADERS.get(column.strip().casefold().replace("_", " ").replace("-", " "), column.strip())
        if (other := next((c for c, k in keys.items() if k == key), None)) is not None:
            raise ImportError_(f"{path}: columns {other!r} and {column!r} both give attribute {key!r}")
        keys[column] = key
    return {
        case_id: CaseAttributes.from_dict({key: value.strip() for column, key in keys.items() if (value := values[column]).strip()})
        for case_id, (_, values) in _respondent_rows(path, table, id_column).items()
    }


def case_documents(path: Path, id_column: str, document_column: str, *, sheet: str | None = None) -> dict[str, list[str]]:
    """Case id → the documents its row names (several separated by ";"), to link transcripts to respondents."""
    path = Path(path)
    table = read_table(path, sheet=sheet)
    columns = [str(c) for c in table.columns]
    id_column = _resolve_column(path, columns, id_column)
    document_column = _resolve_column(path, columns, document_column)
    return {
        case_id: [name.strip() for name in values[document_column].split(";") if name.strip()]
        for case_id, (_, values) in _respondent_rows(path, table, id_column).items()
    }


def _resolve_column(path: Path, columns: Sequence[str], name: str) -> str:
    """The sheet's column called `name`; spacing and capitals may differ if that leaves one candidate."""
    if name in columns:
        return name
    loose = [c for c in columns if c.strip().casefold() == name.strip().casefold()]
    if len(loose) == 1:
        return loose[0]
    listed = ", ".join(repr(c) for c in columns)
    raise ImportError_(f"{path}: no column {name!r} (columns: {listed})")


def _question_ids(path: Path, columns: Sequence[str], questions: Sequence[str], given: Mapping[str, str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for name, question_id in given.items():
        column = _resolve_column(path, columns, name)
        if column not in questions:
            raise ImportError_(f"{path}: question id {question_id!r} is given to {column!r}, which is not a question column")
        if not question_id.strip() or "/" in question_id:
            raise ImportError_(f"{path}: question id {question_id!r} of {column!r} must be non-blank and without '/'")
        ids[column] = question_id
    for position, question in enumerate(questions, start=1):
        ids.setdefault(question, f"q{position}")
    first_with: dict[str, str] = {}
    for question in questions:
        if (other := first_with.setdefault(ids[question], question)) != question:
            raise ImportError_(f"{path}: columns {other!r} and {question!r} both have question id {ids[question]!r}")
    return ids


def _numbered_rows(table: pd.DataFrame) -> dict[str, tuple[int, dict[str, str]]]:
    """"row N" → (N, cells by column): each row its own respondent, named by the number a spreadsheet shows."""
    columns = [str(c) for c in table.columns]
    return {
        f"row {row_number}": (int(row_number), dict(zip(columns, (str(c) for c in cells), strict=True)))
        for row_number, *cells in table.itertuples(index=True, name=None)
    }


def _respondent_rows(path: Path, table: pd.DataFrame, id_column: str) -> dict[str, tuple[int, dict[str, str]]]:
    """Respondent id → (row number, cells by column), refusing blank and repeated ids."""
    columns = [str(c) for c in table.columns]
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    numbers: dict[str, list[int]] = {}
    for row_number, *cells in table.itertuples(index=True, name=None):
        values = dict(zip(columns, (str(c) for c in cells), strict=True))
        # Ids are keys, not text to code: spaces around them are typing noise.
        respondent = values[id_column].strip()
        if not respondent:
            raise ImportError_(f"{path}: row {row_number} has no id (column {id_column!r} is empty)")
        numbers.setdefault(respondent, []).append(int(row_number))
        rows.setdefault(respondent, (int(row_number), values))
    for respondent, found in numbers.items():
        if len(found) > 1:
            listed = ", ".join(str(n) for n in found[:-1]) + f" and {found[-1]}"
            raise ImportError_(f"{path}: id {respondent!r} is in rows {listed}; each id needs one row")
    return rows
