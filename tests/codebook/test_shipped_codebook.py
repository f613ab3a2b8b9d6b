"""codebooks/huis_van_herstel.yaml holds every theme and item of the report's coding tables, exactly as printed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import SEED_TABLES
from workbench.core.codebook import Codebook
from workbench.core.codebook.yaml_file import read_codebook_file
from workbench.locations import shipped_codebook

DIMENSIONS = {"succesfactoren": "succesfactoren", "knelpunten": "knelpunten", "suggesties": "suggesties", "other": "overig"}


@pytest.fixture(scope="module")
def tables() -> list[dict[str, Any]]:
    return list(json.loads(SEED_TABLES.read_text(encoding="utf-8"))["coding_tables"])


@pytest.fixture(scope="module")
def book() -> Codebook:
    return Codebook(read_codebook_file(shipped_codebook()).codes)


def _theme(book: Codebook, dimension: str, name: str) -> str | None:
    theme = book.child_named(dimension, name)
    return None if theme is None else theme.id


def test_the_codebook_has_the_four_dimensions_in_order(book: Codebook) -> None:
    assert [c.id for c in book.children(None)] == ["succesfactoren", "knelpunten", "suggesties", "overig"]


def test_every_theme_of_every_table_is_under_its_dimension_with_its_printed_name(book: Codebook, tables: list[dict[str, Any]]) -> None:
    missing = [
        (t["id"], t["dimension"], theme["theme"])
        for t in tables
        for theme in t["themes"]
        if _theme(book, DIMENSIONS[t["dimension"]], theme["theme"]) is None
    ]
    assert missing == []
    assert len(tables) == 12


def test_every_item_of_the_counted_and_statement_tables_is_a_code_under_its_theme(book: Codebook, tables: list[dict[str, Any]]) -> None:
    checked = 0
    for table in tables:
        if table["id"].startswith("9."):
            continue
        for theme in table["themes"]:
            theme_id = _theme(book, DIMENSIONS[table["dimension"]], theme["theme"])
            assert theme_id is not None
            names = {c.name for c in book.children(theme_id)}
            for item in theme["items"]:
                assert item["text"] in names, (table["id"], theme["theme"], item["text"])
                checked += 1
    assert checked == sum(len(th["items"]) for t in tables if not t["id"].startswith("9.") for th in t["themes"])


def test_in_the_quote_tables_the_themes_are_the_codes_and_quotes_are_not(book: Codebook, tables: list[dict[str, Any]]) -> None:
    all_names = {c.name for c in book.codes}
    for table in tables:
        if not table["id"].startswith("9."):
            continue
        for theme in table["themes"]:
            theme_id = _theme(book, DIMENSIONS[table["dimension"]], theme["theme"])
            assert theme_id is not None and book.children(theme_id) == []
            assert not any(item["text"] in all_names for item in theme["items"])


def test_themes_carry_descriptions_and_keywords_for_suggestions(book: Codebook) -> None:
    themes = [c for root in book.children(None) for c in book.children(root.id)]
    assert themes and all(t.description for t in themes)
    assert all(t.keywords for t in themes)
