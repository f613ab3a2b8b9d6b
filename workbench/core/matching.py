"""Helping users who mistype a name: near matches for error messages."""

from __future__ import annotations

import difflib
from collections.abc import Sequence


def did_you_mean(name: str, choices: Sequence[str]) -> str:
    """A " (did you mean 'x', 'y'?)" suffix naming up to three close choices, or ""."""
    close = difflib.get_close_matches(name, choices, n=3)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
