"""Short text for narrow places: one line, cut to a width with an ellipsis."""

from __future__ import annotations

ELLIPSIS = "…"


def shorten(text: str, width: int) -> str:
    """The text on one line (whitespace runs become one space), cut to at most `width` characters with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    if width <= 0:
        return ""
    # rstrip so a cut just after a word reads "word…", not "word …".
    return flat[: width - 1].rstrip() + ELLIPSIS
