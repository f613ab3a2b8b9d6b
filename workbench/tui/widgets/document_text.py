"""A document's text with its coded spans highlighted in their code colour."""

from __future__ import annotations

from collections.abc import Sequence

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from workbench.core.codebook import Codebook
from workbench.core.codings import CodedSegment
from workbench.core.model import Document

FALLBACK_COLOR = "#5c6bc0"


def code_style(color: str | None) -> Style:
    """Background in the code's colour, with black or white text, whichever reads better on it."""
    background = Color.parse(color or FALLBACK_COLOR)
    red, green, blue = background.get_truecolor()
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return Style(bgcolor=background, color="black" if luminance > 150 else "white")


def highlighted(document: Document, segments: Sequence[CodedSegment], book: Codebook) -> Text:
    """The document text as Rich Text, each coding's span styled in its code's colour."""
    text = Text(document.text, no_wrap=False)
    for segment in segments:
        coding = segment.coding
        text.stylize(code_style(book.color_of(coding.code_id)), coding.start, coding.end)
    return text


class DocumentText(Static):
    """Shows one document; `show` replaces what is shown."""

    def show(self, document: Document, segments: Sequence[CodedSegment], book: Codebook) -> None:
        """Render `document` with `segments` highlighted."""
        self.update(highlighted(document, segments, book))
