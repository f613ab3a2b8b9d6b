"""Where each coder left off: the document and unit they were coding, the project screen's filter and grouping.

Kept in the project's settings per coder, so `workbench` reopens where that coder stopped, on any machine, and two
coders sharing a project each come back to their own place.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from typing import Any

from workbench.core.store import Store


@dataclass(frozen=True)
class Place:
    """A coder's place: the project screen's filter and grouping, and the document and unit open in the coding screen."""

    filter: str = ""
    grouping: int = 0
    document: str | None = None
    start: int | None = None
    end: int | None = None
    granularity: str | None = None
    #: Whether the coding screen was open when the coder stopped (escape back to the list clears it).
    coding: bool = False


def _setting(coder: str) -> str:
    return f"place:{coder.strip()}"


def last_place(store: Store, coder: str) -> Place:
    """Where `coder` left off (an empty place when never, or when what was stored no longer reads)."""
    stored = store.settings().get(_setting(coder))
    if stored is None:
        return Place()
    try:
        data: Any = json.loads(stored)
        return Place(**{key: value for key, value in data.items() if key in Place.__dataclass_fields__})
    except (ValueError, TypeError, AttributeError):
        return Place()


def remember_place(store: Store, coder: str, **changes: Any) -> Place:
    """Update `coder`'s place with the given fields (filter, document, start…); bookkeeping, not an undoable action."""
    place = replace(last_place(store, coder), **changes)
    store.put_settings({_setting(coder): json.dumps(asdict(place))})
    return place
