"""Source-file importers behind one registry: each format reads a file into an ImportedDocument."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from workbench.core.corpus import store_document
from workbench.core.model import CaseAttributes, DocumentKind, SpeakerTurn
from workbench.core.store import Store
from workbench.errors import AlreadyImportedError, ImportError_, WorkbenchError
from workbench.importers.turns import detect_turns


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


def read_document(path: Path, kind: DocumentKind | None, *, speakers: Collection[str] | None = None) -> ImportedDocument:
    """Read one file with the reader for its format; `speakers` fixes the set of speaker labels instead of detecting them.

    With `speakers`, every line of the read text that opens with one of those labels ("Researcher 1:", "[id1]")
    starts a turn, whatever the format: the labels are applied here, once, to the text every reader returns.
    """
    imported = reader_for(path).read(path, kind)
    if speakers is None:
        return imported
    return replace(imported, turns=detect_turns(imported.text, speakers=speakers))


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
    #: The name the document was stored under when its own was taken by a different text ("P01 (wave2)").
    renamed_to: str | None = None
    name: str | None = None

    @property
    def imported_line(self) -> str:
        """What to tell the user about an imported file: "imported PATH (document #3)", saying so if it was renamed."""
        line = f"imported {self.path} (document #{self.document_id})"
        if self.renamed_to is not None:
            line += f" as {self.renamed_to!r}: a different document named {self.name!r} is already in the project"
        return line


def import_files(
    store: Store,
    paths: Sequence[Path],
    *,
    actor: str,
    kind: DocumentKind | None = None,
    case_id: str | None = None,
    case_attributes: CaseAttributes | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
    speakers: Collection[str] | None = None,
    read: Callable[[Path, DocumentKind | None], ImportedDocument] | None = None,
    transform: Callable[[ImportedDocument], ImportedDocument] | None = None,
) -> list[ImportOutcome]:
    """Import each file as its own action: a bad file is reported, a re-import skipped, neither half-stored.

    Every file is tried: one that fails in a way no reader foresaw is reported like any refused file, and the
    files after it are still imported.

    A different text whose name is taken is stored under a distinct name (see `store_document`) and reported
    in its outcome's `renamed_to`.

    `speakers` fixes the speaker labels of every file (see `read_document`); None detects them.
    `read` reads every file instead of the reader its ending picks (a transcript kept as a table, say).
    `transform` changes each document read before it is stored (pseudonymisation).
    """
    outcomes: list[ImportOutcome] = []
    for index, path in enumerate(paths):
        if progress is not None:
            progress(index, len(paths), path)
        try:
            imported = read(path, kind) if read is not None else read_document(path, kind, speakers=speakers)
            if transform is not None:
                imported = transform(imported)
            # Two interviews may share a file name in two folders (wave1/P01.docx, wave2/P01.docx): the second is
            # stored under its folder's name rather than skipped; the same text again is still skipped.
            stored = store_document(
                store, name=imported.name, text=imported.text, kind=imported.kind, actor=actor, source=str(path),
                case_id=case_id, case_attributes=case_attributes, attributes=imported.attributes, turns=imported.turns,
                rename_if_taken=True, qualifier=Path(os.path.abspath(path)).parent.name or None,  # "../P01.txt" too
            )
            outcomes.append(ImportOutcome(path, stored.id, renamed_to=stored.name if stored.renamed_from else None, name=imported.name))
        except AlreadyImportedError as exc:
            outcomes.append(ImportOutcome(path, None, skipped=str(exc)))
        except WorkbenchError as exc:
            outcomes.append(ImportOutcome(path, None, str(exc)))
        except Exception as exc:  # noqa: BLE001 - one file's crash must not stop the batch; its transaction rolled back
            outcomes.append(ImportOutcome(path, None, unexpected_error_line(path, exc)))
    if progress is not None and paths:
        progress(len(paths), len(paths), paths[-1])
    return outcomes


def unexpected_error_line(path: Path, exc: BaseException) -> str:
    """One line for a failure no reader foresaw: the file and the kind of failure, never the data it was reading."""
    return f"{path}: not imported (unexpected {type(exc).__name__} while reading it; the file may be damaged)"


def failed(outcomes: Iterable[ImportOutcome]) -> list[ImportOutcome]:
    """The outcomes that did not import."""
    return [o for o in outcomes if o.error is not None]
