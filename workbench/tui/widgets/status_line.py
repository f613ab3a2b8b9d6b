"""A one-line status that repaints without a layout pass (Static.update re-lays out the whole screen)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class StatusLine(Widget):
    """One line of text, replaced on every selection change, so it must be cheap to update."""

    DEFAULT_CSS = "StatusLine { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name for it
        super().__init__(id=id)
        self._text = Text()

    def show(self, text: Text) -> None:
        """Replace the line; only this widget repaints."""
        self._text = text
        self.refresh()

    def render(self) -> Text:
        return self._text
