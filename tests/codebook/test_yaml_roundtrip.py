"""The researcher's own, annotated codebook file keeps its comments and layout when the workbench rewrites it (issue 15)."""

from __future__ import annotations

import difflib
from pathlib import Path

from workbench.core.codebook import add_code, codebook
from workbench.core.codebook.edit import delete_code, move_code, rename_code
from workbench.core.codebook.sync import edit_codebook, step_history, sync_file
from workbench.core.codebook.yaml_file import codebook_yaml, read_codebook_file
from workbench.core.codebook.yaml_roundtrip import rewrite_codebook_yaml
from workbench.core.model import Code
from workbench.core.store import Store

ANNOTATED = """\
# Codeboek Huis van Herstel, versie van Marieke (3 maart)
name: Studie   # werktitel
version: "0.3"
codes:
  # Deel 1: wat helpt
  - id: succesfactoren
    name: Succesfactoren
    description: |
      Alles wat deelnemers
      noemen als helpend.
    color: '#2e7d32'
    keywords: [team, contact]   # uit de pilot
    children:
      - id: team
        name: M.b.t. team
        # nog uitsplitsen naar mentor en groep?
        include: begeleiders, mentoren
      - id: contact
        name: M.b.t. contact met personeel
  - id: belemmeringen   # Deel 2
    name: Belemmeringen
"""
COMMENTS = ("# Codeboek Huis van Herstel", "# werktitel", "# Deel 1: wat helpt", "# uit de pilot", "# nog uitsplitsen", "# Deel 2")


def _linked(store: Store, tmp_path: Path) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(ANNOTATED, encoding="utf-8")
    sync_file(store, path, "senior", apply=True)
    return path


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_renaming_a_code_changes_that_one_line_and_keeps_every_comment(store: Store, tmp_path: Path) -> None:
    path = _linked(store, tmp_path)
    edit_codebook(store, lambda: rename_code(store, "contact", "Contact met het personeel", "senior"))
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(ANNOTATED, after) == [
        "-        name: M.b.t. contact met personeel", "+        name: Contact met het personeel",
    ]


def test_adding_moving_and_deleting_codes_keep_the_comments_of_the_codes_that_stay(store: Store, tmp_path: Path) -> None:
    path = _linked(store, tmp_path)
    edit_codebook(store, lambda: add_code(store, Code(id="rust", name="Rust", parent_id="belemmeringen"), "senior"))
    edit_codebook(store, lambda: move_code(store, "team", "belemmeringen", "senior"))
    edit_codebook(store, lambda: delete_code(store, "contact", "senior"))

    text = path.read_text(encoding="utf-8")
    assert all(comment in text for comment in COMMENTS), text
    assert "description: |\n      Alles wat deelnemers\n      noemen als helpend.\n" in text  # the block text as written
    assert "color: '#2e7d32'" in text and "keywords: [team, contact]" in text and 'version: "0.3"' in text
    book = {c.id: (c.name, c.parent_id) for c in read_codebook_file(path).codes}
    assert book == {c.id: (c.name, c.parent_id) for _, c in codebook(store).walk()}
    assert book["team"] == ("M.b.t. team", "belemmeringen") and "contact" not in book

    for _ in range(3):
        step_history(store, "undo", "senior")
    assert path.read_text(encoding="utf-8") == ANNOTATED  # every edit undone: the researcher's file, byte for byte


def test_a_file_the_workbench_wrote_itself_is_rewritten_as_before(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(codebook_yaml(codebook(store), name="Studie"), encoding="utf-8")
    sync_file(store, path, "senior", apply=True)
    edit_codebook(store, lambda: rename_code(store, "contact", "Contact", "senior"))
    assert path.read_text(encoding="utf-8") == codebook_yaml(codebook(store), name="Studie")


def test_an_old_text_that_is_no_codebook_is_replaced_by_a_fresh_file(store: Store) -> None:
    book = codebook(store)
    fresh = codebook_yaml(book, name="Studie")
    for old in ("- just\n- a list\n", "name: [unclosed\n", "name: x\ncodes: 3\n", ""):
        assert rewrite_codebook_yaml(old, book, name="Studie") == fresh
