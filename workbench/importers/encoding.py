"""One decoder for every imported text file: transcripts, notes, subtitles and CSV questionnaires alike."""

from __future__ import annotations

import codecs
from pathlib import Path

from workbench.errors import ImportError_

#: Bytes that cp1252 leaves undefined; text containing them is not cp1252, so latin-1 is the fallback.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
#: How far to look for NUL bytes: enough to catch any binary header, cheap on a 50 MB file.
_SNIFF_BYTES = 8192
_NAMES = {
    "utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32", "cp1252": "Windows-1252", "latin-1": "Latin-1",
}


def detect_encoding(data: bytes) -> str:
    """The encoding of a text file: a BOM decides, then strict UTF-8, then cp1252, then latin-1 ("binary" if none fits).

    Valid UTF-8 is almost never accidental for non-ASCII text, so it goes first; Dutch Word and Excel
    exports are otherwise cp1252 (curly quotes as 0x93/0x94), and latin-1 decodes whatever is left.
    UTF-16 ("Unicode text" from Excel) and UTF-32 are the only kinds of text that legitimately hold NUL bytes;
    both are recognised by their BOM. UTF-32's little-endian BOM starts with UTF-16's, so it is tested first.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data[:_SNIFF_BYTES]:
        return "binary"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1" if _CP1252_UNDEFINED.intersection(data) else "cp1252"
    return "utf-8"


def decode(path: Path, data: bytes, *, expected: str = "text") -> str:
    """Decode a file's bytes in whichever of UTF-8 (with or without BOM), UTF-16 or UTF-32 (with BOM), cp1252 or latin-1 they are.

    `expected` names what the file should have been in the one-line error for a binary file ("text", "a spreadsheet").
    """
    encoding = detect_encoding(data)
    if encoding == "binary":
        raise ImportError_(f"{path}: binary file, not {expected}")
    # The utf-8-sig codec counts error offsets after the BOM; dropping it here keeps them file offsets.
    skipped = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
    try:
        text = data[skipped:].decode("utf-8" if skipped else encoding)
    except UnicodeDecodeError as exc:
        offset = skipped + exc.start
        raise ImportError_(f"{path}: damaged {_NAMES[encoding]} text (byte 0x{data[offset]:02x} at offset {offset})") from None
    if not text.strip():
        raise ImportError_(f"{path}: empty file, nothing to import")
    return text
