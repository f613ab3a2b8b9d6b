"""The side panel naming the codings on the text in view; picks one for uncode or memo by keyboard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from workbench.core.codebook import Codebook
from workbench.core.codings import CodedSegment
from workbench.core.text import shorten
from workbench.tui.colors import code_style

EXCERPT = 48


def coding_label(segment: CodedSegment, book: Codebook) -> Text:
    """Code name in its colour, coder and offsets, an excerpt, and the memo if there is one."""
    coding = segment.coding
    excerpt = shorten(segment.text, EXCERPT)
    label = Text()
    label.append(f" {segment.code_name} ", style=code_style(book.color_of(coding.code_id)))
    label.append(f"\n  {coding.coder} · {coding.start}-{coding.end}\n", style="dim")
    label.append(f"  “{excerpt}”", style="italic")
    if coding.memo.strip():
        label.append(f"\n  ✎ {shorten(coding.memo, EXCERPT)}", style="yellow")
    return label


class CodingPanel(Widget, can_focus=True):
    """Codings as a list that only repaints when it changes (an OptionList re-lays out the whole screen)."""

    BINDINGS = [
        Binding("down,j", "move(1)", "Next coding", show=False),
        Binding("up,k", "move(-1)", "Previous coding", show=False),
        Binding("enter", "pick", "Go to coding", show=False),
    ]

    @dataclass
    class Picked(Message):
        """Enter on a coding: the screen selects its span."""

        segment: CodedSegment

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name for it
        super().__init__(id=id)
        self.segments: list[CodedSegment] = []
        self.book = Codebook()
        self.highlighted: int | None = None

    def show(self, segments: Sequence[CodedSegment], book: Codebook) -> None:
        """Replace the listed codings, keeping the highlighted one where it is still listed."""
        previous = self.current()
        self.segments = list(segments)
        self.book = book
        ids = [s.coding.id for s in self.segments]
        self.highlighted = ids.index(previous.coding.id) if previous is not None and previous.coding.id in ids else (0 if ids else None)
        self.refresh()

    def current(self) -> CodedSegment | None:
        """The highlighted coding, if any."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self.segments):
            return None
        return self.segments[self.highlighted]

    def render(self) -> Group | Text:
        if not self.segments:
            return Text("no codings here", style="dim")
        labels = []
        for index, segment in enumerate(self.segments):
            label = coding_label(segment, self.book)
            if index == self.highlighted and self.has_focus:
                label.stylize("reverse", 0, len(segment.code_name) + 2)
            labels.append(label)
        return Group(*labels)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        if self.segments:
            current = self.highlighted or 0
            self.highlighted = max(0, min(len(self.segments) - 1, current + step))
            self.refresh()

    def action_pick(self) -> None:
        segment = self.current()
        if segment is not None:
            self.post_message(self.Picked(segment))
