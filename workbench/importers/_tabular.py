"""Questionnaire spreadsheets (.csv, .xlsx): one respondent per row, and each answer its own codable document."""

from __future__ import annotations

import csv
import datetime
import io
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from workbench.core.batch import NewDocument
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.errors import ImportError_
from workbench.importers._txt import MAX_BYTES  # one size limit for every imported file
from workbench.importers.encoding import decode

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped]

CSV_EXTENSIONS = (".csv", ".tsv")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
EXTENSIONS = CSV_EXTENSIONS + XLSX_EXTENSIONS

#: Delimiters a spreadsheet program writes: "," (English), ";" (Dutch and other decimal-comma locales), tab.
_DELIMITERS = (",", ";", "\t")
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 100
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


@dataclass(frozen=True)
class ColumnMapping:
    """Which spreadsheet columns hold the respondent id, the case attributes and the questions.

    `attribute_columns` maps a column to an attribute key: "respondent_group", "function" and "wave" are the
    known case attributes, any other key is kept as a free one. Empty `question_columns` means every column not
    mapped otherwise. `question_ids` gives columns short ids; the others get "q1", "q2", ... by their position
    among the question columns, in sheet order.
    """

    id_column: str
    attribute_columns: Mapping[str, str] = field(default_factory=dict, hash=False)
    question_columns: tuple[str, ...] = ()
    question_ids: Mapping[str, str] | None = field(default=None, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attribute_columns", MappingProxyType(dict(self.attribute_columns)))
        object.__setattr__(self, "question_columns", tuple(self.question_columns))
        if self.question_ids is not None:
            object.__setattr__(self, "question_ids", MappingProxyType(dict(self.question_ids)))


# -- reading a sheet -----------------------------------------------------------------------------------


def read_table(path: Path, *, sheet: str | None = None) -> pd.DataFrame:
    """The sheet as text: one column per header, indexed by spreadsheet row number, every cell a str.

    Cells are never converted: "NA", "0012" and empty cells stay as written. Blank rows are skipped, but the
    index keeps the row numbers a spreadsheet program shows, so errors and answers point at the right row.
    `sheet` picks an .xlsx sheet by name (default: the first).
    """
    import pandas as pd

    path = Path(path)
    headers, row_numbers, rows = _grid(path, _raw_rows(path, sheet))
    return pd.DataFrame(rows, columns=headers, index=pd.Index(row_numbers, name="row"), dtype=str)


def _raw_rows(path: Path, sheet: str | None) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(EXTENSIONS)
        what = suffix or "files without an extension"
        hint = "; save it as .xlsx or .csv" if suffix in (".xls", ".ods", ".numbers") else ""
        raise ImportError_(f"{path}: cannot import {what} as a questionnaire (known formats: {known}){hint}")
    _check_size(path)
    if suffix in CSV_EXTENSIONS:
        if sheet is not None:
            raise ImportError_(f"{path}: a CSV file has no sheets, so sheet {sheet!r} cannot be chosen")
        return _csv_rows(path)
    return _xlsx_rows(path, sheet)


def _check_size(path: Path) -> None:
    try:
        if path.is_dir():
            raise ImportError_(f"{path}: is a folder, not a file")
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportError_(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise ImportError_(f"{path}: file is {size / 2**20:.1f} MB, larger than the {MAX_BYTES / 2**20:g} MB limit for one questionnaire")
    if size == 0:
        raise ImportError_(f"{path}: empty file, nothing to import")


def _csv_rows(path: Path) -> list[list[str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read ({exc.strerror})") from None
    text = decode(path, data, expected="a spreadsheet")
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
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


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[str]]:
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        # The OLE container of .xls workbooks, and of .xlsx workbooks Excel encrypted with a password.
        raise ImportError_(f"{path}: an old-style or password-protected Excel file; save it as .xlsx without a password")
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it does not read (data validation, some styles); cell
            # values are unaffected, and a warning on stderr would only confuse the user.
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises a zoo of exception types for damaged files; all mean the same here
        raise ImportError_(f"{path}: not a spreadsheet (cannot open it as an .xlsx workbook)") from None
    try:
        if sheet is None:
            if not workbook.worksheets:
                raise ImportError_(f"{path}: the workbook has no sheets with cells")
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            names = ", ".join(repr(n) for n in workbook.sheetnames)
            raise ImportError_(f"{path}: no sheet named {sheet!r} (sheets: {names})")
        if not hasattr(worksheet, "reset_dimensions"):
            raise ImportError_(f"{path}: sheet {worksheet.title!r} is a chart, not a table")
        # Some programs write a stale sheet size; forgetting it makes openpyxl read every stored cell.
        worksheet.reset_dimensions()
        try:
            return [[_cell_text(value) for value in row] for row in worksheet.iter_rows(values_only=True)]
        except Exception:  # noqa: BLE001 - a damaged sheet inside a valid zip fails only when its cells are read
            raise ImportError_(f"{path}: not a spreadsheet (its sheet {worksheet.title!r} cannot be read)") from None
    finally:
        workbook.close()


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


def _grid(path: Path, raw_rows: Iterable[Sequence[str]]) -> tuple[list[str], list[int], list[list[str]]]:
    """Headers, row numbers and padded rows of the kept columns; the first non-blank row is the header."""
    numbered = [(number, list(cells)) for number, cells in enumerate(raw_rows, start=1) if any(c.strip() for c in cells)]
    if not numbered:
        raise ImportError_(f"{path}: the sheet is empty, nothing to import")
    (_, header), body = numbered[0], numbered[1:]
    if not body:
        raise ImportError_(f"{path}: no rows below the header, nothing to import")
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
    return names, [number for number, _ in body], rows


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# -- from a sheet to documents and cases ---------------------------------------------------------------


def questionnaire_documents(
    path: Path, mapping: ColumnMapping, *, wave: str | None = None, sheet: str | None = None
) -> list[NewDocument]:
    """One document per non-empty answer, named "<file stem>/<respondent>/<question id>", linked to its respondent.

    `wave` (e.g. "T1") sets the wave of every respondent when no column holds it. Each answer keeps its
    question, question id, spreadsheet row and wave as document attributes; the wave is kept there too because
    a respondent's case has one wave attribute, which the next wave's import overwrites.
    """
    path = Path(path)
    table = read_table(path, sheet=sheet)
    columns = [str(c) for c in table.columns]
    roles: dict[str, str] = {}

    def take(name: str, role: str) -> str:
        column = _resolve_column(path, columns, name)
        if column in roles:
            raise ImportError_(f"{path}: column {column!r} is mapped twice (as {roles[column]} and as {role})")
        roles[column] = role
        return column

    id_column = take(mapping.id_column, "the respondent id")
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
        chosen = {c for c in columns if c not in roles}
    questions = [c for c in columns if c in chosen]  # sheet order, so default ids follow the sheet
    if not questions:
        raise ImportError_(f"{path}: no question columns (every column is mapped as the id or an attribute)")
    question_ids = _question_ids(path, columns, questions, mapping.question_ids or {})

    respondents = _respondent_rows(path, table, id_column)
    documents: list[NewDocument] = []
    for respondent, (row_number, values) in respondents.items():
        flat = {key: value.strip() for column, key in attribute_columns.items() if (value := values[column]).strip()}
        if wave is not None:
            flat["wave"] = wave
        attributes = CaseAttributes.from_dict(flat)
        for question in questions:
            answer = values[question]
            if not answer.strip():
                continue
            question_id = question_ids[question]
            name = f"{path.stem}/{respondent}/{question_id}"
            document_attributes = {"question": question, "question_id": question_id, "source_row": str(row_number)}
            if attributes.wave is not None:
                document_attributes["wave"] = attributes.wave
            documents.append(
                NewDocument(
                    name=name,
                    text=answer,
                    kind=DocumentKind.QUESTIONNAIRE_ANSWER,
                    source=str(path),
                    case_id=respondent,
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
    return documents


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
