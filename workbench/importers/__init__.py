"""Source-file importers behind one registry: each format reads a file into an ImportedDocument."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from workbench.core.corpus import add_document
from workbench.core.model import CaseAttributes, DocumentKind, SpeakerTurn
from workbench.core.store import Store
from workbench.errors import AlreadyImportedError, ImportError_, WorkbenchError


@dataclass(frozen=True)
class ImportedDocument:
    """What a reader makes of a file, before it is stored."""

    name: str
    text: str
    kind: DocumentKind
    turns: tuple[SpeakerTurn, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict, hash=False)


class Reader(Protocol):
    """A format: the file endings it takes and how it reads one file."""

    extensions: tuple[str, ...]

    def read(self, path: Path, kind: DocumentKind | None) -> ImportedDocument: ...


def _readers() -> list[Reader]:
    # Imported here so that loading the registry does not load python-docx and friends.
    from workbench.importers._docx import DocxReader
    from workbench.importers._odt import OdtReader
    from workbench.importers._pdf import PdfReader
    from workbench.importers._rtf import RtfReader
    from workbench.importers._subtitles import SubtitleReader
    from workbench.importers._txt import TextReader

    return [TextReader(), DocxReader(), OdtReader(), RtfReader(), SubtitleReader(), PdfReader()]


def reader_for(path: Path) -> Reader:
    """The reader whose extensions match the file, or an error naming the file and the known formats."""
    suffix = path.suffix.lower()
    readers = _readers()
    for reader in readers:
        if suffix in reader.extensions:
            return reader
    known = ", ".join(ext for r in readers for ext in r.extensions)
    raise ImportError_(f"{path}: cannot import {suffix or 'files without an extension'} (known formats: {known})")


def is_document_file(path: Path) -> bool:
    """True when a document reader takes the file by its ending (.txt, .docx, .odt, .rtf, .vtt, .srt, .pdf…)."""
    suffix = path.suffix.lower()
    return any(suffix in reader.extensions for reader in _readers())


def is_questionnaire_file(path: Path) -> bool:
    """True for a spreadsheet (.csv, .xlsx…): a questionnaire, imported with a column mapping, not as one document."""
    from workbench.importers._tabular import EXTENSIONS

    return path.suffix.lower() in EXTENSIONS


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file."""

    path: Path
    document_id: int | None
    error: str | None = None
    skipped: str | None = None


def import_files(
    store: Store,
    paths: Sequence[Path],
    *,
    actor: str,
    kind: DocumentKind | None = None,
    case_id: str | None = None,
    case_attributes: CaseAttributes | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
    read: Callable[[Path, DocumentKind | None], ImportedDocument] | None = None,
) -> list[ImportOutcome]:
    """Import each file as its own action: a bad file is reported, a re-import skipped, neither half-stored.

    `read` reads every file instead of the reader its ending picks (a transcript kept as a table, say).
    """
    outcomes: list[ImportOutcome] = []
    for index, path in enumerate(paths):
        if progress is not None:
            progress(index, len(paths), path)
        try:
            imported = read(path, kind) if read is not None else reader_for(path).read(path, kind)
            document_id = add_document(
                store, name=imported.name, text=imported.text, kind=imported.kind, actor=actor, source=str(path),
                case_id=case_id, case_attributes=case_attributes, attributes=imported.attributes, turns=imported.turns,
            )
            outcomes.append(ImportOutcome(path, document_id))
        except AlreadyImportedError as exc:
            outcomes.append(ImportOutcome(path, None, skipped=str(exc)))
        except WorkbenchError as exc:
            outcomes.append(ImportOutcome(path, None, str(exc)))
    if progress is not None and paths:
        progress(len(paths), len(paths), paths[-1])
    return outcomes


def failed(outcomes: Iterable[ImportOutcome]) -> list[ImportOutcome]:
    """The outcomes that did not import."""
    return [o for o in outcomes if o.error is not None]
