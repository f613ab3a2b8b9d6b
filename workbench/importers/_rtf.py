"""Rich Text Format (.rtf) files, converted to plain text with striprtf."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from workbench.core.model import DocumentKind
from workbench.errors import ImportError_
from workbench.importers import ImportedDocument
from workbench.importers._docx import short_reason
from workbench.importers._txt import read_bytes
from workbench.importers.turns import detect_turns

_CODEPAGE = re.compile(rb"\\ansicpg(\d{1,5})")
#: RTF's own default when no \ansicpg is given; Dutch Word and WordPad write it too.
_DEFAULT_ENCODING = "cp1252"


def rtf_encoding(data: bytes) -> str:
    """The code page the RTF header declares (\\ansicpg1250 -> cp1250), or cp1252 when none or an unknown one."""
    match = _CODEPAGE.search(data[:4096])
    if match is None:
        return _DEFAULT_ENCODING
    candidate = f"cp{int(match.group(1))}"
    try:
        codecs.lookup(candidate)
    except LookupError:
        return _DEFAULT_ENCODING
    return candidate


def rtf_text(path: Path, data: bytes) -> str:
    """Plain text of an RTF file: paragraphs on their own lines, no trailing paragraph break."""
    from striprtf.striprtf import rtf_to_text  # loaded on first use, like the other format libraries

    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ImportError_(f"{path}: not an RTF file (it does not start with {{\\rtf)")
    encoding = rtf_encoding(data)
    # RTF is 7-bit by the standard ('\'e9' escapes); raw 8-bit bytes, which some tools write, are in the declared code page.
    try:
        source = data.decode(encoding)
    except UnicodeDecodeError:
        source = data.decode("latin-1")
    try:
        text: str = rtf_to_text(source, encoding=encoding)  # type: ignore[no-untyped-call]
    except UnicodeDecodeError as exc:
        raise ImportError_(f"{path}: not a readable RTF file (an escaped character is not valid {exc.encoding})") from None
    # striprtf trips on malformed control words in many ways (ValueError, IndexError, OverflowError on
    # "\u99999999999?"...): whatever the parser raises, the file is unreadable, and the user is told which.
    except Exception as exc:  # noqa: BLE001 - a third-party parser's failure on the user's file
        raise ImportError_(f"{path}: not a readable RTF file ({type(exc).__name__}: {short_reason(exc)})") from None
    # striprtf keeps a "\<CR>" paragraph mark as a bare \r; one line-break convention keeps offsets simple.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.removesuffix("\n")


class RtfReader:
    """Reads .rtf files (WordPad, TextEdit, Word's "Rich Text" export)."""

    extensions: tuple[str, ...] = (".rtf",)

    def read(self, path: Path, kind: DocumentKind | None) -> ImportedDocument:
        """Read one .rtf; the final paragraph mark is dropped, everything else is kept as striprtf gives it."""
        text = rtf_text(path, read_bytes(path))
        if not text.strip():
            raise ImportError_(f"{path}: empty file, nothing to import")
        return ImportedDocument(name=path.stem, text=text, kind=kind or DocumentKind.TRANSCRIPT, turns=detect_turns(text))
