"""Code colours on screen: a code's colour as a background, with text that stays readable on it."""

from __future__ import annotations

from rich.color import Color
from rich.style import Style

FALLBACK_COLOR = "#5c6bc0"


def code_style(color: str | None) -> Style:
    """Background in the code's colour, with black or white text, whichever reads better on it."""
    background = Color.parse(color or FALLBACK_COLOR)
    red, green, blue = background.get_truecolor()
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return Style(bgcolor=background, color="black" if luminance > 150 else "white")
