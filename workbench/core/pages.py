"""Pages of documents imported from paginated files (PDF): where each page starts in the text, kept as attributes."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence

#: Document attributes: the number of pages, and each page's start offset in the text ("0,1834,3901").
PAGES_KEY = "pages"
PAGE_STARTS_KEY = "page_starts"


def page_attributes(starts: Sequence[int]) -> dict[str, str]:
    """The document attributes that record a paginated text's page starts."""
    return {PAGES_KEY: str(len(starts)), PAGE_STARTS_KEY: ",".join(str(s) for s in starts)}


def page_at(attributes: Mapping[str, str], offset: int) -> int | None:
    """The page (counted from 1) on which a text offset falls, or None for a document without pages."""
    starts = [int(s) for s in attributes.get(PAGE_STARTS_KEY, "").split(",") if s.strip().isdigit()]
    if not starts:
        return None
    return max(1, bisect.bisect_right(starts, offset))
