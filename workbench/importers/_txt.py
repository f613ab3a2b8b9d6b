"""Plain-text documents, imported exactly: no newline translation; only a byte-order mark is dropped."""

from __future__ import annotations

from pathlib import Path

from workbench.core.model import DocumentKind
from workbench.errors import ImportError_
from workbench.importers import ImportedDocument
from workbench.importers.turns import detect_turns

#: Larger files are almost certainly not a transcript; refusing early keeps memory bounded.
MAX_BYTES = 50 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """Read a source file, refusing missing, oversized and empty files with a one-line reason."""
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
    return data


#: Bytes that cp1252 leaves undefined; text containing them is not cp1252, so latin-1 is the fallback.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def detect_encoding(data: bytes) -> str:
    """The encoding of a text file: a BOM decides, then strict UTF-8, then cp1252, then latin-1.

    Valid UTF-8 is almost never accidental for non-ASCII text, so it goes first; Dutch Word and Excel
    exports are otherwise cp1252 (curly quotes as 0x93/0x94), and latin-1 decodes whatever is left.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:8192]:
        return "binary"
    return "latin-1" if _CP1252_UNDEFINED.intersection(data) else "cp1252"


def decode(path: Path, data: bytes) -> str:
    """Decode text in whichever of UTF-8 (with or without BOM), UTF-16 (with BOM), cp1252 or latin-1 it is."""
    encoding = detect_encoding(data)
    if encoding == "binary" or (encoding == "utf-8" and b"\x00" in data[:8192]):
        raise ImportError_(f"{path}: binary file, not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportError_(f"{path}: not {encoding} text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if encoding == "utf-16":
        text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ImportError_(f"{path}: empty file, nothing to import")
    return text


class TextReader:
    """Reads .txt files."""

    extensions: tuple[str, ...] = (".txt",)

    def read(self, path: Path, kind: DocumentKind | None) -> ImportedDocument:
        """Read one text file; its name (without extension) becomes the document name."""
        text = decode(path, read_bytes(path))
        return ImportedDocument(name=path.stem, text=text, kind=kind or DocumentKind.TRANSCRIPT, turns=detect_turns(text))
