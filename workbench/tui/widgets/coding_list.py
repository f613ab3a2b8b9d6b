"""The side panel that names the codes applied in the shown document, in text order."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workbench.core.codebook import Codebook
from workbench.core.codings import CodedSegment
from workbench.tui.widgets.document_text import code_style

EXCERPT = 48


def _label(segment: CodedSegment, book: Codebook) -> Text:
    coding = segment.coding
    excerpt = " ".join(segment.text.split())
    if len(excerpt) > EXCERPT:
        excerpt = excerpt[: EXCERPT - 1] + "…"
    label = Text()
    label.append(f" {segment.code_name} ", style=code_style(book.color_of(coding.code_id)))
    label.append(f"\n  {coding.coder} · {coding.start}-{coding.end}\n", style="dim")
    label.append(f"  “{excerpt}”", style="italic")
    if coding.memo.strip():
        memo = " ".join(coding.memo.split())
        label.append(f"\n  ✎ {memo[: EXCERPT - 1] + '…' if len(memo) > EXCERPT else memo}", style="yellow")
    return label


class CodingList(OptionList):
    """Code names of a document's codings, each with its coder, offsets and an excerpt."""

    def show(self, segments: Sequence[CodedSegment], book: Codebook) -> None:
        """Replace the listed codings."""
        self.clear_options()
        if not segments:
            self.add_option(Option(Text("no codings yet", style="dim"), disabled=True))
            return
        self.add_options(Option(_label(s, book), id=f"coding-{s.coding.id}") for s in segments)
