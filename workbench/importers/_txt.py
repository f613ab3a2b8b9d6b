"""Plain-text documents, imported exactly: no newline translation; only a byte-order mark is dropped."""

from __future__ import annotations

from pathlib import Path

from workbench.core.model import DocumentKind
from workbench.core.reading import read_capped
from workbench.errors import ImportError_
from workbench.importers import ImportedDocument
from workbench.importers.encoding import decode
from workbench.importers.turns import detect_turns

#: Larger files are almost certainly not a transcript; refusing early keeps memory bounded.
MAX_BYTES = 50 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """Read a source file, refusing missing, oversized, empty and non-regular files (a link to /dev/zero) with a one-line reason."""
    data = read_capped(path, MAX_BYTES, ImportError_, "one document")
    if not data.strip():
        raise ImportError_(f"{path}: empty file, nothing to import")
    return data


class TextReader:
    """Reads .txt files."""

    extensions: tuple[str, ...] = (".txt",)

    def read(self, path: Path, kind: DocumentKind | None) -> ImportedDocument:
        """Read one text file; its name (without extension) becomes the document name."""
        text = decode(path, read_bytes(path))
        return ImportedDocument(name=path.stem, text=text, kind=kind or DocumentKind.TRANSCRIPT, turns=detect_turns(text))
