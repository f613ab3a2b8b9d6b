"""OpenDocument text (.odt) files: paragraphs, headings, lists and tables from content.xml, read with the stdlib."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from workbench.core.model import DocumentKind
from workbench.core.text import shorten
from workbench.errors import ImportError_
from workbench.importers import ImportedDocument
from workbench.importers._docx import open_zip, short_reason
from workbench.importers._txt import read_bytes
from workbench.importers.archive_limits import read_member
from workbench.importers.turns import detect_turns

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"  # frames, images, text boxes

_PARAGRAPHS = frozenset({f"{_TEXT}p", f"{_TEXT}h"})
#: Block containers whose paragraphs are part of the running text.
_BLOCK_CONTAINERS = frozenset({f"{_TEXT}list", f"{_TEXT}list-item", f"{_TEXT}list-header", f"{_TEXT}section"})
_ROW_CONTAINERS = frozenset({f"{_TABLE}table-header-rows", f"{_TABLE}table-rows", f"{_TABLE}table-row-group"})
#: Inline elements whose content is not running text: footnotes, comments, frames, ruby annotations.
_SKIPPED_INLINE = frozenset({f"{_TEXT}note", f"{_OFFICE}annotation", f"{_TEXT}ruby-text"})
#: Deeper nesting than any editor writes (ten levels of lists inside a table are some 30); the text is walked
#: recursively, so a deeper file is refused rather than left to hit Python's recursion limit.
MAX_DEPTH = 100


class _Paragraph:
    """Builds a paragraph's text with ODF white-space rules: runs of spaces, tabs and newlines in the XML
    collapse to one space and vanish at the paragraph's ends; text:s, text:tab and text:line-break are kept."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending_space = False  # a collapsed space not yet written: dropped if the paragraph ends here

    def add_xml_text(self, text: str | None) -> None:
        """Add character data from the XML, collapsing white space."""
        words = (text or "").replace("\t", " ").replace("\r", " ").replace("\n", " ").split(" ")
        for index, word in enumerate(words):
            if index > 0:  # a space stood here; it counts once, and never at the paragraph start
                self.pending_space = bool(self.parts)
            if word:
                self.add_literal(word)

    def add_literal(self, text: str) -> None:
        """Add text that keeps its white space (from text:s, text:tab, text:line-break)."""
        if self.pending_space:
            self.parts.append(" ")
            self.pending_space = False
        self.parts.append(text)

    def text(self) -> str:
        """The paragraph's text."""
        return "".join(self.parts)


def _inline(element: ElementTree.Element, paragraph: _Paragraph) -> None:
    """Add an inline element's text (spans, links, fields) and its children's, in reading order."""
    paragraph.add_xml_text(element.text)
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            paragraph.add_literal(" " * _count(child.get(f"{_TEXT}c")))
        elif tag == f"{_TEXT}tab":
            paragraph.add_literal("\t")
        elif tag == f"{_TEXT}line-break":
            paragraph.add_literal("\n")
        elif tag in _SKIPPED_INLINE or tag.startswith(_DRAW):
            pass
        else:
            _inline(child, paragraph)
        paragraph.add_xml_text(child.tail)


def _count(value: str | None) -> int:
    """The number of spaces a text:s stands for (default 1), bounded so a damaged file cannot blow up memory."""
    try:
        return min(max(int(value or "1"), 1), 10_000)
    except ValueError:
        return 1


def _paragraph_text(element: ElementTree.Element) -> str:
    """A text:p or text:h element's text."""
    paragraph = _Paragraph()
    _inline(element, paragraph)
    return paragraph.text()


def _blocks(container: ElementTree.Element) -> Iterator[str]:
    """The paragraphs (one string each) and tables (rows on lines, cells split by tabs) in document order."""
    for child in container:
        if child.tag in _PARAGRAPHS:
            yield _paragraph_text(child)
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _blocks(child)
        elif child.tag == f"{_TABLE}table":
            yield "\n".join("\t".join(_cell_text(cell) for cell in row) for row in _rows(child))
        # tables of contents and indexes are generated copies of the text; tracked deletions are not text


def _rows(table: ElementTree.Element) -> Iterator[list[ElementTree.Element]]:
    """Each row's cells; cells covered by a merged cell are left out, as Word stores them only once."""
    for child in table:
        if child.tag == f"{_TABLE}table-row":
            yield [cell for cell in child if cell.tag == f"{_TABLE}table-cell"]
        elif child.tag in _ROW_CONTAINERS:
            yield from _rows(child)


def _cell_text(cell: ElementTree.Element) -> str:
    """A cell's non-empty paragraphs joined by spaces, so each table row stays on one line."""
    texts = [text for text in _blocks(cell) if text.strip()]
    return " ".join(texts).replace("\n", " ").replace("\t", " ")


def odt_text(path: Path, archive: zipfile.ZipFile) -> str:
    """The text of an .odt's body, or an error naming the file when content.xml cannot be read."""
    manifest = read_member(path, archive, "META-INF/manifest.xml", ".odt")
    # the manifest is required by the standard, but its absence does not stop us reading the text
    if manifest is not None and b"encryption-data" in manifest:
        raise ImportError_(f"{path}: not a readable .odt file (password-protected; save it without a password)")
    mimetype = shorten(" ".join((read_member(path, archive, "mimetype", ".odt") or b"").decode("ascii", "replace").split()), 80)
    if mimetype and not mimetype.startswith("application/vnd.oasis.opendocument.text"):
        raise ImportError_(f"{path}: not a readable .odt file (it holds {mimetype}, not a text document)")
    content = read_member(path, archive, "content.xml", ".odt")
    if content is None:
        raise ImportError_(f"{path}: not a readable .odt file (no content.xml inside)")
    try:
        # expat resolves no external entities and (2.4.1 and later) stops entity-expansion bombs.
        root = ElementTree.fromstring(content)  # noqa: S314
    except ElementTree.ParseError as exc:
        raise ImportError_(f"{path}: not a readable .odt file (damaged content.xml: {short_reason(exc)})") from None
    _check_depth(path, root)
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise ImportError_(f"{path}: not a readable .odt file (content.xml has no text body)")
    return "\n".join(_blocks(body)).rstrip()


def _check_depth(path: Path, root: ElementTree.Element) -> None:
    """Refuse content.xml whose elements nest deeper than MAX_DEPTH (measured without recursion)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ImportError_(f"{path}: not a readable .odt file (content.xml nests elements more than {MAX_DEPTH} levels deep)")
        stack.extend((child, depth + 1) for child in element)


class OdtReader:
    """Reads OpenDocument .odt files (LibreOffice, Google Docs and Word can all save them)."""

    extensions: tuple[str, ...] = (".odt",)

    def read(self, path: Path, kind: DocumentKind | None) -> ImportedDocument:
        """Read one .odt: paragraphs, headings and list items one per line, tables one row per line."""
        with open_zip(path, read_bytes(path), ".odt", "content.xml") as archive:
            text = odt_text(path, archive)
        if not text.strip():
            raise ImportError_(f"{path}: empty file, nothing to import")
        return ImportedDocument(name=path.stem, text=text, kind=kind or DocumentKind.TRANSCRIPT, turns=detect_turns(text))
