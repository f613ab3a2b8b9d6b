"""PDF documents: the text layer of each page, read with pypdf, and where each page starts kept as an attribute."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from pathlib import Path

from workbench.core.model import DocumentKind
from workbench.core.pages import page_attributes
from workbench.errors import ImportError_
from workbench.importers import ImportedDocument
from workbench.importers._txt import read_bytes
from workbench.importers.turns import detect_turns

#: Between two pages' texts: a blank line, so a page break reads as a paragraph break.
PAGE_BREAK = "\n\n"


def page_texts(path: Path, data: bytes) -> list[str]:
    """Each page's text layer as pypdf extracts it, trailing white space removed; refuses locked and damaged files."""
    from pypdf import PdfReader as PypdfReader
    from pypdf.errors import PyPdfError

    with _quiet_pypdf():
        try:
            reader = PypdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ImportError_(f"{path}: the PDF is password-protected; save an unprotected copy first")
            return [(page.extract_text() or "").rstrip() for page in reader.pages]
        except ImportError_:
            raise
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, NotImplementedError):
            # Damaged files fail in pypdf's parser with all of these; each means the same to the user.
            raise ImportError_(f"{path}: not a readable PDF file") from None
        except Exception as exc:  # noqa: BLE001 - and with others (zlib.error, struct.error, OverflowError...) on hostile ones
            raise ImportError_(f"{path}: not a readable PDF file ({type(exc).__name__})") from None


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs every oddity of real-world files (wrong xref offsets, odd fonts) as a warning; the text is fine."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """The pages' texts as one text, and the offset where each page starts in it."""
    starts: list[int] = []
    parts: list[str] = []
    offset = 0
    for index, page in enumerate(pages):
        if index:
            parts.append(PAGE_BREAK)
            offset += len(PAGE_BREAK)
        starts.append(offset)
        parts.append(page)
        offset += len(page)
    return "".join(parts), tuple(starts)


class PdfReader:
    """Reads .pdf files that have a text layer (born-digital, or scanned and run through OCR)."""

    extensions: tuple[str, ...] = (".pdf",)

    def read(self, path: Path, kind: DocumentKind | None) -> ImportedDocument:
        """Read one PDF: its pages' text joined by blank lines, each page's start offset kept as an attribute."""
        data = read_bytes(path)
        if not data.lstrip().startswith(b"%PDF"):
            raise ImportError_(f"{path}: not a PDF file (it does not start with %PDF)")
        pages = page_texts(path, data)
        if not pages:
            raise ImportError_(f"{path}: the PDF has no pages")
        text, starts = join_pages(pages)
        if not text.strip():
            raise ImportError_(f"{path}: the PDF has no text layer (scanned?); run OCR on it first, e.g. with ocrmypdf")
        return ImportedDocument(
            name=path.stem, text=text, kind=kind or DocumentKind.TRANSCRIPT, turns=detect_turns(text), attributes=page_attributes(starts),
        )
