"""Plain-text documents, imported byte-exact: no newline translation, only a UTF-8 byte-order mark is dropped."""

from __future__ import annotations

from pathlib import Path

from workbench.core.model import DocumentKind
from workbench.errors import ImportError_
from workbench.importers import ImportedDocument

#: Larger files are almost certainly not a transcript; refusing early keeps memory bounded.
MAX_BYTES = 50 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """Read a source file, refusing missing, oversized, empty and binary files with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportError_(f"{path}: file is {size // (1024 * 1024)} MB, larger than the {MAX_BYTES // (1024 * 1024)} MB limit for one document")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportError_(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportError_(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read ({exc.strerror})") from None
    if not data.strip():
        raise ImportError_(f"{path}: empty file, nothing to import")
    if b"\x00" in data[:8192]:
        raise ImportError_(f"{path}: binary file, not text")
    return data


def decode(path: Path, data: bytes) -> str:
    """Decode UTF-8 text (with or without BOM)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportError_(f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8") from None


class TextReader:
    """Reads .txt files."""

    extensions: tuple[str, ...] = (".txt",)

    def read(self, path: Path, kind: DocumentKind | None) -> ImportedDocument:
        """Read one text file; its name (without extension) becomes the document name."""
        text = decode(path, read_bytes(path))
        return ImportedDocument(name=path.stem, text=text, kind=kind or DocumentKind.TRANSCRIPT)
