"""Word (.docx) documents: the body's paragraphs and tables as text, speaker turns from labels and bold runs."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.model import DocumentKind
from workbench.core.text import shorten
from workbench.errors import ImportError_
from workbench.importers import ImportedDocument
from workbench.importers._txt import read_bytes
from workbench.importers.archive_limits import open_checked_zip
from workbench.importers.turns import detect_turns

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml.etree import _Element  # type: ignore[import-untyped]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Compound-file signature: an old binary .doc, or a password-protected .docx (Word encrypts into that container).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Inline wrappers whose runs are part of the paragraph's visible text (links, tracked insertions, fields...).
_INLINE_CONTAINERS = frozenset(
    f"{_W}{tag}" for tag in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "dir", "bdo")
)
#: Bold labels longer than this are sentences that happen to start bold, not speaker names.
_MAX_LABEL_CHARS = 40
_MAX_LABEL_WORDS = 6


@dataclass(frozen=True)
class _Run:
    """A run's visible text and whether it is bold."""

    text: str
    bold: bool


def open_zip(path: Path, data: bytes, file_kind: str, main_part: str) -> zipfile.ZipFile:
    """Open an office file's zip container, refusing non-zips, zip bombs and oversized parts with a one-line reason."""
    if data.startswith(_OLE_MAGIC):
        raise ImportError_(f"{path}: not a readable {file_kind} file (an old-format or password-protected document; "
                           f"save it as {file_kind} without a password)")
    archive = open_checked_zip(path, data, file_kind)
    if main_part not in archive.NameToInfo:
        archive.close()
        raise ImportError_(f"{path}: not a readable {file_kind} file (no {main_part} inside)")
    return archive


def short_reason(exc: BaseException) -> str:
    """The first line of an exception's message, at most 100 characters, for a one-line error."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return shorten(message, 100)


def _open_document(path: Path, data: bytes) -> WordDocument:
    """Parse a .docx with python-docx, turning whatever it raises into one line that names the file."""
    import docx  # loaded on first use: importing the registry should stay cheap

    open_zip(path, data, ".docx", "word/document.xml").close()
    try:
        return docx.Document(io.BytesIO(data))
    # python-docx surfaces parser internals (KeyError, AttributeError, lxml errors...) for damaged packages.
    except zipfile.BadZipFile:
        reason = "damaged zip archive"
    except ValueError as exc:
        reason = "not a Word document" if "content type" in str(exc) else short_reason(exc)
    except Exception as exc:  # noqa: BLE001 - any failure here means the package is unreadable
        if "Excessive depth" in str(exc):  # lxml's own bound on nesting, which keeps our recursive walk safe too
            reason = "damaged document (elements nested more than 256 levels deep)"
        else:
            reason = f"damaged document ({short_reason(exc)})"
    raise ImportError_(f"{path}: not a readable .docx file ({reason})")


def _bold_character_styles(document: WordDocument) -> frozenset[str]:
    """Ids of character styles that make text bold ("Strong"), following each style's base style.

    One pass over the styles XML with dictionary lookups: python-docx's per-style `base_style` runs an
    XPath query each time, which made this the most expensive step of reading a transcript.
    """
    own_bold: dict[str, bool | None] = {}
    based_on: dict[str, str] = {}
    try:
        for style in document.styles.element.iterchildren(f"{_W}style"):
            if style.get(f"{_W}type") != "character":
                continue
            style_id = style.get(f"{_W}styleId")
            if style_id is None:
                continue
            flag = style.find(f"{_W}rPr/{_W}b")
            own_bold[style_id] = None if flag is None else _on(flag)
            parent = style.find(f"{_W}basedOn")
            if parent is not None and parent.get(f"{_W}val"):
                based_on[style_id] = parent.get(f"{_W}val")
    except Exception:  # noqa: BLE001 - a damaged styles part only costs us bold detection via styles
        return frozenset()
    bold: set[str] = set()
    for style_id in own_bold:
        current: str | None = style_id
        for _ in range(10):  # style chains are short; the bound guards against a cycle
            if current is None or own_bold.get(current) is not None:
                break
            current = based_on.get(current)
        if current is not None and own_bold.get(current):
            bold.add(style_id)
    return frozenset(bold)


def _on(element: _Element) -> bool:
    """A Word on/off property (w:b): present means on unless w:val says 0/false/off."""
    return element.get(f"{_W}val", "true").lower() not in ("0", "false", "off")


def _t_text(element: _Element) -> str:
    """A w:t's text, including any after an entity reference the parser left unresolved ("voor &ext; na" keeps "na").

    lxml (resolve_entities=False) keeps such a reference as a child node; its own text is the reference as written.
    """
    if len(element) == 0:
        return element.text or ""
    from lxml import etree  # type: ignore[import-untyped]

    parts = [element.text or ""]
    for child in element:
        if child.tag is etree.Entity:
            parts.append(child.text or "")
        parts.append(child.tail or "")
    return "".join(parts)


def _run(run: _Element, bold_styles: frozenset[str]) -> _Run:
    """A w:r element's visible text (tabs and breaks as \\t and \\n) and its boldness."""
    parts: list[str] = []
    for child in run:
        tag = child.tag
        if tag == f"{_W}t":
            parts.append(_t_text(child))
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        # deleted text (w:delText), field codes (w:instrText), drawings and text boxes are not visible body text
    bold = False
    properties = run.find(f"{_W}rPr")
    if properties is not None:
        explicit = properties.find(f"{_W}b")
        if explicit is not None:
            bold = _on(explicit)
        else:
            style = properties.find(f"{_W}rStyle")
            bold = style is not None and style.get(f"{_W}val", "") in bold_styles
    return _Run("".join(parts), bold)


def _runs(container: _Element, bold_styles: frozenset[str]) -> Iterator[_Run]:
    """The runs of a paragraph in reading order, inside links, insertions and content controls too."""
    for child in container:
        tag = child.tag
        if tag == f"{_W}r":
            yield _run(child, bold_styles)
        elif tag in _INLINE_CONTAINERS:
            yield from _runs(child, bold_styles)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _runs(content, bold_styles)
        # w:del and w:moveFrom hold tracked deletions; w:pPr holds formatting only


def _bold_label(runs: list[_Run]) -> str | None:
    """The speaker a paragraph opens with in bold ("**Interviewer:** ..." or "**Interviewer**: ..."), or None."""
    index = 0
    while index < len(runs) and not runs[index].text.strip():
        index += 1
    bold_parts: list[str] = []
    while index < len(runs) and (runs[index].bold or not runs[index].text.strip()):
        bold_parts.append(runs[index].text)
        index += 1
    bold = "".join(bold_parts)
    rest = "".join(run.text for run in runs[index:])
    if ":" in bold:
        label, _, after = bold.partition(":")
        follows = after or rest
    elif rest.lstrip(" \t").startswith(":"):
        label, follows = bold, rest.lstrip(" \t")[1:]
    else:
        return None
    label = label.strip()
    # a colon glued to the next word ("http:", "10:30") is not a label's colon
    if follows and not follows[0].isspace():
        return None
    if not label or not label[0].isalpha() or "\n" in label or "\t" in label:
        return None
    if len(label) > _MAX_LABEL_CHARS or len(label.split()) > _MAX_LABEL_WORDS:
        return None
    return label


@dataclass(frozen=True)
class _Block:
    """A body paragraph or table as text, with the bold speaker label a paragraph opens with."""

    text: str
    label: str | None = None


def _blocks(container: _Element, bold_styles: frozenset[str]) -> Iterator[_Block]:
    """The paragraphs and tables of the body (or a content control in it) in document order."""
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            runs = list(_runs(child, bold_styles))
            yield _Block("".join(run.text for run in runs), _bold_label(runs))
        elif tag == f"{_W}tbl":
            yield _Block(_table_text(child, bold_styles))
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content, bold_styles)
        elif tag == f"{_W}customXml":
            yield from _blocks(child, bold_styles)


def _children(element: _Element, tag: str) -> Iterator[_Element]:
    """Children with `tag`, looking through content controls and custom XML wrappers (rows, cells)."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == f"{_W}customXml":
            yield from _children(child, tag)


def _table_text(table: _Element, bold_styles: frozenset[str]) -> str:
    """Rows on their own lines, cells separated by tabs; a merged cell appears once."""
    rows = []
    for row in _children(table, f"{_W}tr"):
        rows.append("\t".join(_cell_text(cell, bold_styles) for cell in _children(row, f"{_W}tc")))
    return "\n".join(rows)


def _cell_text(cell: _Element, bold_styles: frozenset[str]) -> str:
    """A cell's non-empty paragraphs (nested tables flattened) joined by spaces, so a row stays one line."""
    texts = [block.text for block in _blocks(cell, bold_styles) if block.text.strip()]
    return " ".join(texts).replace("\n", " ").replace("\t", " ")


def docx_text(document: WordDocument) -> tuple[str, dict[int, str]]:
    """The body's text and the bold speaker labels as {paragraph start offset: speaker}; headers and footers are left out."""
    bold_styles = _bold_character_styles(document)
    pieces: list[str] = []
    labels: dict[int, str] = {}
    offset = 0
    for block in _blocks(document.element.body, bold_styles):
        if block.label is not None:
            labels[offset] = block.label
        pieces.append(block.text)
        offset += len(block.text) + 1
    return "\n".join(pieces).rstrip(), labels


class DocxReader:
    """Reads Word .docx files."""

    extensions: tuple[str, ...] = (".docx",)

    def read(self, path: Path, kind: DocumentKind | None) -> ImportedDocument:
        """Read one .docx: body paragraphs and tables in document order, one line per paragraph or table row."""
        document = _open_document(path, read_bytes(path))
        text, labels = docx_text(document)
        if not text.strip():
            raise ImportError_(f"{path}: empty file, nothing to import")
        labels = {start: label for start, label in labels.items() if start < len(text)}
        return ImportedDocument(
            name=path.stem, text=text, kind=kind or DocumentKind.TRANSCRIPT, turns=detect_turns(text, extra_labels=labels),
        )

