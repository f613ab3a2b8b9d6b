"""Quick keys 1–9 per coder: a code keeps its key until the coder puts another code there.

A code applied by a coder who has a free key lands on the first free one; with all nine taken it gets none (the
picker still applies it) until the coder reassigns a key. Kept in the project's settings, one entry per coder, so
the keys are the same in every session and on every machine the project is opened on.
"""

from __future__ import annotations

import json

from workbench.core.codebook import codebook
from workbench.core.codings import recent_codes
from workbench.core.store import Store
from workbench.errors import CodebookError

KEYS = 9

Slots = tuple[str | None, ...]


def _setting(coder: str) -> str:
    return f"quick_keys:{coder.strip()}"


def quick_keys(store: Store, coder: str) -> Slots:
    """The codes on keys 1–9 (None: a free key). A coder without saved keys starts from their most recent codes."""
    book = codebook(store)
    stored = store.settings().get(_setting(coder))
    slots: list[str | None]
    if stored is None:
        slots = list(recent_codes(store, coder, KEYS))
    else:
        try:
            loaded = json.loads(stored)
        except ValueError:
            loaded = []
        slots = [item if isinstance(item, str) else None for item in loaded] if isinstance(loaded, list) else []
    # A code deleted or merged away frees its key.
    slots = [code_id if code_id in book.by_id else None for code_id in slots[:KEYS]]
    return tuple(slots + [None] * (KEYS - len(slots)))


def note_applied(store: Store, coder: str, code_id: str) -> Slots:
    """After `coder` applied `code_id`: put it on the first free key if it has none. Returns the keys."""
    slots = list(quick_keys(store, coder))
    if code_id not in slots and None in slots:
        slots[slots.index(None)] = code_id
        _save(store, coder, slots)
    elif store.settings().get(_setting(coder)) is None:
        _save(store, coder, slots)  # fix the keys as they are now, so the next coding does not renumber them
    return tuple(slots)


def assign_quick_key(store: Store, coder: str, number: int, code_id: str | None) -> Slots:
    """Put `code_id` on key `number` (1–9), taking it off any other key; None frees the key."""
    if not 1 <= number <= KEYS:
        raise CodebookError(f"quick key {number}: keys are 1 to {KEYS}")
    if code_id is not None:
        codebook(store).get(code_id)  # an unknown code is refused with its name
    slots = [None if slot == code_id else slot for slot in quick_keys(store, coder)]
    slots[number - 1] = code_id
    _save(store, coder, slots)
    return tuple(slots)


def _save(store: Store, coder: str, slots: list[str | None]) -> None:
    store.put_settings({_setting(coder): json.dumps(slots)})
