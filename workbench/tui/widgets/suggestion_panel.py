"""The coding screen's suggestions for the passage under the selection: code, path, score and the words behind it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widget import Widget

from workbench.core.codebook import Codebook
from workbench.core.text import shorten
from workbench.suggest.model import Source, Suggestion
from workbench.tui.colors import code_style

NAME = 24
EVIDENCE = 36
#: The keys that accept a suggestion, by rank: y takes the first, alt+1..3 any of them.
ACCEPT_KEYS = ("y / alt+1", "alt+2", "alt+3")


def suggestion_label(rank: int, suggestion: Suggestion, book: Codebook) -> Text:
    """ "y / alt+1  82% name" over its theme and evidence: what a coder needs to accept or reject it."""
    label = Text(no_wrap=True, overflow="ellipsis")
    label.append(f"{ACCEPT_KEYS[rank] if rank < len(ACCEPT_KEYS) else '':<9}", style="bold")
    label.append(f"{round(suggestion.score * 100):>3}% ")
    colour = book.color_of(suggestion.code_id) if suggestion.code_id in book.by_id else None
    label.append(f" {shorten(suggestion.name, NAME)} ", style=code_style(colour))
    where = suggestion.theme if suggestion.theme != suggestion.name else " › ".join(suggestion.path[:-1])
    label.append(f"\n  {shorten(where, EVIDENCE)}" if where else "", style="dim")
    why = "keywords" if suggestion.source is Source.RULE else "learned"
    words = ", ".join(suggestion.evidence)
    label.append(f"\n  {why}: {shorten(words, EVIDENCE - len(why))}" if words else f"\n  {why}", style="italic dim")
    return label


class SuggestionPanel(Widget):
    """Up to three ranked suggestions; repaints on its own, as the selection moves on every key."""

    DEFAULT_CSS = "SuggestionPanel { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name for it
        super().__init__(id=id)
        self.suggestions: tuple[Suggestion, ...] = ()
        self._body: RenderableType = Text("")

    def show(self, suggestions: Sequence[Suggestion], book: Codebook, note: str = "") -> None:
        """List the suggestions (best first), or `note` when there are none."""
        self.suggestions = tuple(suggestions)
        if not self.suggestions:
            self._body = Text(note or "No suggestion for this passage.", style="dim")
        else:
            lines: list[RenderableType] = [suggestion_label(rank, s, book) for rank, s in enumerate(self.suggestions)]
            lines.append(Text("d rejects the first · l more like this", style="dim"))
            if note:
                lines.append(Text(note, style="dim"))
            self._body = Group(*lines)
        self.refresh(layout=True)

    def waiting(self, note: str) -> None:
        """Say what is being worked out; the old suggestions no longer apply to the selection."""
        self.suggestions = ()
        self._body = Text(note, style="dim italic")
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        return self._body
