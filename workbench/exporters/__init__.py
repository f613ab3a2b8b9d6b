"""Table and quote exporters behind one registry: each format is a writer class with `extensions` and `write`.

Every writer takes any built table: a coding table (`Table`) or an attribute or cross table (`CrossTable`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from workbench.core.crosstabs import AnyTable
from workbench.core.files import ExistingFileError, WriteError, check_target, make_folder, write_atomically
from workbench.errors import WorkbenchError

#: Every table format, in the order a front end offers them.
FORMATS = ("docx", "xlsx", "csv", "md", "json", "png")
#: The formats a quote list (one row per coded passage) can be written in.
QUOTE_FORMATS = ("xlsx", "csv")
#: Modules a writer imports lazily, and the package that provides each.
_PACKAGES = {"docx": "python-docx", "openpyxl": "openpyxl", "matplotlib": "matplotlib"}
#: Characters XML (so Word and Excel files) cannot hold; a vertical tab is Word's soft line break.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ExportError(WorkbenchError):
    """A table or quote list cannot be written: unknown format, unwritable place, a table the format cannot show."""

    title = "Export"


class Writer(Protocol):
    """A table format: its name, file endings, what it cannot show and how it writes tables into one file."""

    format: str
    extensions: tuple[str, ...]
    #: True when one file holds one table only (a chart).
    single_table: bool

    def problem(self, table: AnyTable) -> str | None:
        """Why this format cannot show the table, or None."""
        ...

    def write(self, tables: Sequence[AnyTable], path: Path) -> None:
        """Write the tables, in order, into the file at `path`."""
        ...


def _writers() -> dict[str, Writer]:
    # Imported here so that loading the registry loads none of python-docx, openpyxl or matplotlib.
    from workbench.exporters._chart import ChartWriter
    from workbench.exporters._csv import CsvWriter
    from workbench.exporters._docx import DocxWriter
    from workbench.exporters._json import JsonWriter
    from workbench.exporters._markdown import MarkdownWriter
    from workbench.exporters._xlsx import XlsxWriter

    writers: list[Writer] = [DocxWriter(), XlsxWriter(), CsvWriter(), MarkdownWriter(), JsonWriter(), ChartWriter()]
    return {writer.format: writer for writer in writers}


def writer_for(fmt: str, out: Path) -> Writer:
    """The writer of a format, or an ExportError naming the file and the known formats."""
    writer = _writers().get(fmt.lower().lstrip("."))
    if writer is None:
        raise ExportError(f"{out}: unknown export format {fmt!r} (choose {', '.join(FORMATS)})")
    return writer


def table_extensions() -> tuple[str, ...]:
    """Every file ending a table export can have (".docx", ".xlsx", ".md", ".markdown"…), in the order of FORMATS."""
    return tuple(ext for writer in _writers().values() for ext in writer.extensions)


def format_of(path: Path) -> str:
    """The format a file name asks for by its ending (".docx" → "docx"), or an ExportError."""
    suffix = path.suffix.lower()
    for name, writer in _writers().items():
        if suffix in writer.extensions:
            return name
    raise ExportError(f"{path}: cannot tell the export format from {suffix or 'a name without an extension'} (choose {', '.join(FORMATS)})")


def quote_format_of(path: Path) -> str:
    """The format a quote list's file name asks for (".csv" → "csv", ".xlsx" → "xlsx"), or an ExportError."""
    suffix = path.suffix.lower()
    writers = _writers()
    for name in QUOTE_FORMATS:
        if suffix in writers[name].extensions:
            return name
    what = suffix or "a name without an extension"
    raise ExportError(f"{path}: cannot tell the quote format from {what} (choose {', '.join(QUOTE_FORMATS)})")


def table_file_name(table: AnyTable, extension: str) -> str:
    """The file one table goes to in a folder export: "6.6" → "tabel_6_6.docx"."""
    stem = re.sub(r"[^0-9A-Za-z_-]+", "_", table.id).strip("_") or "table"
    return f"tabel_{stem}{extension}"


def write_tables(
    tables: Sequence[AnyTable], out: Path, fmt: str, *, one_per_file: bool = False, replace: bool = False
) -> list[Path]:
    """Write tables into one file (in order), or with `one_per_file` each into `<out>/tabel_<id>.<ext>`; the paths written.

    An existing file is replaced only with `replace`; without it, no file is written if any of them exists.
    """
    writer = writer_for(fmt, out)
    extension = writer.extensions[0]
    if not tables:
        raise ExportError(f"{out}: no tables to export")
    if one_per_file:
        targets = [(out / table_file_name(table, extension), [table]) for table in tables]
        seen: set[Path] = set()
        for target, _ in targets:
            if target in seen:
                raise ExportError(f"{target}: two tables have the same id, so both would be written to this file")
            seen.add(target)
    else:
        if writer.single_table and len(tables) > 1:
            raise ExportError(f"{out}: a {writer.format} file holds one table; export {len(tables)} tables one per file")
        targets = [(out, list(tables))]
    # Check every table before writing any file, so a refused export leaves nothing behind.
    for target, chunk in targets:
        for table in chunk:
            problem = writer.problem(table)
            if problem is not None:
                raise ExportError(f"{target}: table {table.id} {problem}")
    if one_per_file:
        _make_folder(out)
    for target, _ in targets:
        _check_target(target, writer.format, replace)
    written: list[Path] = []
    for target, chunk in targets:
        _write_atomically(target, writer.format, functools.partial(writer.write, chunk), replace)
        written.append(target)
    return written


def write_quotes(
    rows: Iterable[Mapping[str, str]], out: Path, fmt: str, *, columns: Sequence[str] | None = None, replace: bool = False
) -> Path:
    """Write quote rows (see `workbench.core.quotes.quote_stream`) as "xlsx" or "csv" with a header row; the path written.

    The rows may be a stream: they are spooled to a temporary file, never all held in memory, because the header (every
    attribute any row has) and the column widths must be known before the first row is written. An existing file is
    replaced only with `replace`.
    """
    from workbench.core.quotes import quote_columns_of
    from workbench.exporters._spool import spooled

    kind = fmt.lower().lstrip(".")
    if kind not in QUOTE_FORMATS:
        raise ExportError(f"{out}: quotes cannot be exported as {fmt!r} (choose {', '.join(QUOTE_FORMATS)})")

    def write(temp: Path) -> None:
        with spooled(rows) as spool:
            header = tuple(columns) if columns is not None else quote_columns_of(spool.keys)
            if kind == "csv":
                from workbench.exporters._csv import write_rows as write_csv_rows

                write_csv_rows(spool, header, temp)
            else:
                from workbench.exporters._xlsx import write_rows as write_xlsx_rows

                write_xlsx_rows(spool, header, temp, spool.longest, (spool.count, spool.characters))

    _write_atomically(out, kind, write, replace)
    return out


def xml_safe(text: str) -> str:
    """Text a Word or Excel file can hold: soft line breaks become newlines, other control characters go."""
    return _XML_ILLEGAL.sub(lambda match: "\n" if match.group() == "\x0b" else "", text)


def _make_folder(folder: Path) -> None:
    try:
        make_folder(folder)
    except WriteError as exc:
        raise ExportError(str(exc)) from None


def _check_target(path: Path, fmt: str, replace: bool) -> None:
    try:
        check_target(path, f"the {fmt} export", replace=replace)
    except ExistingFileError:
        raise  # kept apart, so a front end can offer to replace it
    except WriteError as exc:
        raise ExportError(str(exc)) from None


def _write_atomically(path: Path, fmt: str, write: Callable[[Path], None], replace: bool) -> None:
    """Let `write` fill a temporary file beside `path`, then move it into place: a failure never leaves half a file."""
    try:
        write_atomically(path, write, f"the {fmt} export", replace=replace)
    except ExistingFileError:
        raise  # kept apart, so a front end can offer to replace it
    except WriteError as exc:
        raise ExportError(str(exc)) from None
    except ModuleNotFoundError as exc:
        package = _PACKAGES.get((exc.name or "").split(".")[0], exc.name or "a missing package")
        raise ExportError(f"{path}: {fmt} export needs {package} (pip install {package})") from None
