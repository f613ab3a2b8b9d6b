"""Shortening text for narrow places: one line, never wider than asked, an ellipsis where it was cut."""

from __future__ import annotations

import pytest

from workbench.core.text import ELLIPSIS, shorten

NAME = "Het feit dat je al met één been in de maatschappij staat,\n  het stapsgewijs kunnen oefenen"


def test_short_text_comes_back_on_one_line_and_whole() -> None:
    assert shorten("  M.b.t.\tteam\n", 40) == "M.b.t. team"


@pytest.mark.parametrize("width", [1, 2, 10, 28, 57, 58, 59, 87])
def test_long_text_is_cut_to_the_width_with_an_ellipsis(width: int) -> None:
    flat = " ".join(NAME.split())
    short = shorten(NAME, width)
    assert len(short) <= width
    assert short.endswith(ELLIPSIS)
    assert flat.startswith(short[: -len(ELLIPSIS)])
    assert not short[: -len(ELLIPSIS)].endswith(" ")  # "staat,…" rather than "staat, …"


def test_nothing_fits_in_no_width() -> None:
    assert shorten(NAME, 0) == ""
    assert shorten("", 5) == ""
