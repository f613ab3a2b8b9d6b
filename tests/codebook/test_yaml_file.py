"""The YAML codebook: every validation error names the file, the line and the problem; writing reads back the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.codebook import Codebook
from workbench.core.codebook.yaml_file import codebook_yaml, parse_codebook, read_codebook_file
from workbench.errors import CodebookError
from workbench.locations import shipped_codebook

GOOD = """\
name: Test
version: 2
codes:
  - id: succesfactoren
    name: Succesfactoren
    color: "#2e7d32"
    children:
      - id: succesfactoren-team
        name: M.b.t. team
        include: Het team als geheel
        exclude: Eén collega
        examples: ["We staan voor elkaar klaar."]
        keywords: [team, collega]
"""


def test_a_valid_codebook_reads_with_every_field() -> None:
    book = parse_codebook(GOOD, "test.yaml")
    root, theme = book.codes
    assert (book.name, book.version) == ("Test", "2")
    assert (root.id, root.color, root.parent_id) == ("succesfactoren", "#2e7d32", None)
    assert theme.parent_id == "succesfactoren"
    assert (theme.include, theme.exclude, theme.examples, theme.keywords) == (
        "Het team als geheel", "Eén collega", ("We staan voor elkaar klaar.",), ("team", "collega"),
    )


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            GOOD + "      - id: succesfactoren-team\n        name: Dubbel\n",
            "test.yaml: line 14: duplicate code id 'succesfactoren-team' (first at line 8)",
        ),
        (GOOD.replace("name: M.b.t. team", "name: '  '"), "test.yaml: line 8: code 'succesfactoren-team' has an empty name"),
        (
            GOOD.replace("name: M.b.t. team", "name: M.b.t. team\n        colour: red"),
            "test.yaml: line 8: unknown key 'colour' in code 'succesfactoren-team'",
        ),
        (GOOD.replace('"#2e7d32"', "groen"), "test.yaml: line 4: code 'succesfactoren': colour 'groen' is not #rrggbb"),
        (GOOD.replace("id: succesfactoren-team", "id: Team Succes"), "test.yaml: line 8: code id 'Team Succes' is not a slug"),
        (GOOD.replace("keywords: [team, collega]", "keywords: team"), "test.yaml: line 8: keywords must be a list of texts"),
        (GOOD.replace("name: Test", "name: Test\nauthor: x"), "test.yaml: line 1: unknown key 'author' in the codebook"),
        ("name: Leeg\ncodes: []\n", "test.yaml: line 1: no codes"),
        ("name: [unclosed\n", "test.yaml: line 2: not valid YAML"),
        (GOOD.replace("    color:", "    name: Nogmaals\n    color:"), "test.yaml: line 4: key 'name' appears twice"),
    ],
)
def test_each_mistake_in_a_codebook_file_is_named_with_its_line(yaml_text: str, message: str) -> None:
    with pytest.raises(CodebookError) as caught:
        parse_codebook(yaml_text, "test.yaml")
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="nowhere.yaml: no such file"):
        read_codebook_file(tmp_path / "nowhere.yaml")


def test_writing_and_reading_back_gives_the_same_codebook() -> None:
    shipped = read_codebook_file(shipped_codebook())
    text = codebook_yaml(Codebook(shipped.codes), name=shipped.name, version=shipped.version, description=shipped.description)
    again = parse_codebook(text, "again.yaml")
    assert again == shipped
