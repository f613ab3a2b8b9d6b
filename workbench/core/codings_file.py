"""Codings read back from a `workbench codings` dump (.jsonl or .csv): checked as a whole, applied as one action."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workbench.core import schema
from workbench.core.codebook import load_codebook
from workbench.core.matching import did_you_mean
from workbench.core.store import Store, timestamp
from workbench.errors import CodingError

REQUIRED = ("document", "start", "end", "code", "coder")
#: Columns read besides the required ones; `code_path` is informative only (the code id decides).
OPTIONAL = ("memo", "created", "code_path", "text")
#: Unknown documents for which near names are suggested.
HINTED = 5


@dataclass(frozen=True)
class CodingRow:
    """One coding as a dump gives it, with where it stands in the file."""

    where: str
    document: str
    start: int
    end: int
    code: str
    coder: str
    memo: str
    created: str | None
    text: str | None


@dataclass(frozen=True)
class CodingsImported:
    """What an import did: codings added, and rows that were already in the project (or twice in the file)."""

    added: int
    already: int


def read_codings_file(path: Path) -> tuple[list[CodingRow], list[str]]:
    """The rows of a .jsonl or .csv dump and one problem line per row that cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise CodingError(f"{path}: codings are read from .jsonl or .csv (as `workbench codings --format` writes them)")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = list(_jsonl(path, handle) if suffix == ".jsonl" else _csv(path, handle))
    except UnicodeDecodeError as exc:
        raise CodingError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise CodingError(f"{path}: cannot read ({exc.strerror})") from None
    rows: list[CodingRow] = []
    problems: list[str] = []
    for where, record in records:
        if isinstance(record, str):
            problems.append(f"{where}: {record}")
            continue
        row = _row(where, record)
        if isinstance(row, str):
            problems.append(f"{where}: {row}")
        else:
            rows.append(row)
    return rows, problems


def _jsonl(path: Path, handle: Any) -> Iterator[tuple[str, Mapping[str, Any] | str]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield f"{path} line {number}", f"not JSON ({exc.msg})"
            continue
        yield f"{path} line {number}", record if isinstance(record, dict) else "not a JSON object"


def _csv(path: Path, handle: Any) -> Iterator[tuple[str, Mapping[str, Any] | str]]:
    reader = csv.DictReader(handle)
    missing = [column for column in REQUIRED if column not in (reader.fieldnames or ())]
    if missing:
        raise CodingError(f"{path}: no column {', '.join(map(repr, missing))} (a codings file needs {', '.join(REQUIRED)})")
    for record in reader:
        yield f"{path} line {reader.line_num}", record


def _row(where: str, record: Mapping[str, Any]) -> CodingRow | str:
    """The record as a CodingRow, or what is wrong with it."""
    missing = [key for key in REQUIRED if record.get(key) in (None, "")]
    if missing:
        return f"no {', '.join(missing)}"
    offsets = []
    for key in ("start", "end"):
        value = record[key]
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())):
            return f"{key} {value!r} is not a whole number of characters"
        offsets.append(int(value))
    texts = {}
    for key in ("document", "code", "coder", "memo", "created", "text"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return f"{key} {value!r} is not text"
        texts[key] = value
    start, end = offsets
    return CodingRow(
        where=where, document=str(texts["document"]), start=start, end=end, code=str(texts["code"]).strip(),
        coder=str(texts["coder"]).strip(), memo=texts["memo"] or "", created=texts["created"] or None, text=texts["text"],
    )


def import_codings(store: Store, path: Path, actor: str) -> CodingsImported:
    """Add every coding of a dump file as one undoable action, or none if any row is wrong (each wrong row named).

    A row is wrong when its document or code is unknown, its offsets are not a span of the document's text, or
    its `text` differs from the document's text there. Rows already in the project are left as they are, so a
    dump can be imported again.
    """
    rows, problems = read_codings_file(path)
    c, d, k = schema.codings, schema.documents, schema.coders
    with store.action("code", actor) as changes:
        conn = changes.conn
        book = load_codebook(conn)
        coder_ids = {name: int(i) for i, name in conn.execute(select(k.c.id, k.c.name))}
        new: list[tuple[CodingRow, int]] = []
        already = 0
        document_ids = {name: int(i) for i, name in conn.execute(select(d.c.id, d.c.name))}
        rows.sort(key=lambda r: r.document)
        unknown = 0
        for name, group in groupby(rows, key=lambda r: r.document):
            document_rows = list(group)
            if name not in document_ids:
                unknown += 1
                # Near names for the first few only: a file meant for another project would otherwise take minutes.
                hint = did_you_mean(name, list(document_ids)) if unknown <= HINTED else ""
                problems += [f"{r.where}: no document {name!r} in the project{hint}" for r in document_rows]
                continue
            document_id = document_ids[name]
            # One document's text at a time: memory stays bounded by the longest text, not the corpus.
            text = conn.execute(select(d.c.text).where(d.c.id == document_id)).scalar_one()
            stored = {
                (s, e, code, coder)
                for s, e, code, coder in conn.execute(
                    select(c.c.start_offset, c.c.end_offset, c.c.code_id, c.c.coder_id).where(c.c.document_id == document_id)
                )
            }
            seen: set[tuple[int, int, str, str]] = set()
            for row in document_rows:
                problem = _check(row, text, book.by_id)
                if problem is not None:
                    problems.append(f"{row.where}: {problem}")
                    continue
                key = (row.start, row.end, row.code, row.coder)
                if key in seen or (row.coder in coder_ids and (row.start, row.end, row.code, coder_ids[row.coder]) in stored):
                    already += 1
                    continue
                seen.add(key)
                new.append((row, document_id))
        if problems:
            # Every wrong row on a line of its own, so a script's author can fix the file in one pass.
            raise CodingError("\n".join([f"{path}: nothing imported, {len(problems)} rows refused:", *problems]))
        for coder in sorted({row.coder for row, _ in new} - set(coder_ids)):
            coder_ids[coder] = int(changes.insert(k, {"name": coder}))
        now = timestamp()
        changes.insert_many(
            c,
            [
                {"document_id": document_id, "start_offset": row.start, "end_offset": row.end, "code_id": row.code,
                 "coder_id": coder_ids[row.coder], "memo": row.memo, "created": row.created or now}
                for row, document_id in new
            ],
        )
        changes.summary = f"imported {len(new)} codings from {Path(path).name}" + (f" ({already} already present)" if already else "")
    return CodingsImported(len(new), already)


def _check(row: CodingRow, text: str, codes: Mapping[str, object]) -> str | None:
    """What is wrong with a row against its document's text and the codebook, or None."""
    if row.code not in codes:
        return f"unknown code {row.code!r}{did_you_mean(row.code, list(codes))}"
    if not 0 <= row.start < row.end <= len(text):
        return f"span {row.start}-{row.end} is not inside {row.document!r} (valid offsets 0-{len(text)}, start before end)"
    if row.text is not None and text[row.start : row.end] != row.text:
        held = _short(text[row.start : row.end])
        return f"text {_short(row.text)!r} is not what {row.document!r} holds at {row.start}-{row.end} ({held!r})"
    return None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
