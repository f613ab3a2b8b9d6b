"""The codebook as a report appendix: Markdown and Word, with usage counts rolled up to themes and dimensions."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.text.paragraph import Paragraph

from workbench.core.codebook import Codebook
from workbench.core.codebook.appendix import codebook_markdown, write_codebook_docx
from workbench.core.codebook.yaml_file import read_codebook_file
from workbench.core.model import Code
from workbench.errors import WorkbenchError
from workbench.locations import shipped_codebook

REAL_CODEBOOK = shipped_codebook()

QUOTE = "“Hier word je écht gezien.”"
SECOND_QUOTE = "‘Ze zijn er gewoon, ook ’s avonds.’"
INCLUDE = "Uitspraken over een vast team en één aanspreekpunt."
EXCLUDE = "Kritiek op wisselingen in het team (→ knelpunten)."


def small_book() -> Codebook:
    """Two dimensions → themes → items (one item with a sub-item); positions deliberately disagree with id order."""
    codes = (
        Code(id="succes", name="Succesfactoren", position=0, description="Wat deelnemers helpt.", keywords=("helpen", "goed")),
        Code(id="succes.zorg", name="M.b.t. zorg – coöperatie", parent_id="succes", position=0),
        Code(id="succes.zorg.arts", name="Toegang tot de arts", parent_id="succes.zorg", position=0),
        Code(id="succes.aandacht", name="M.b.t. team & aandacht", parent_id="succes", position=1),
        Code(
            id="succes.aandacht.stabiel", name="Stabiel team, één aanspreekpunt", parent_id="succes.aandacht", position=0,
            description="Medewerkers die blijven.", include=INCLUDE, exclude=EXCLUDE,
            examples=(QUOTE, SECOND_QUOTE), keywords=("vast team", "aanspreekpunt"),
        ),
        Code(id="succes.aandacht.sfeer", name="Sfeer: ‘gezellig’ en geëngageerd", parent_id="succes.aandacht", position=1),
        Code(id="knel", name="Knelpunten", position=1),
        Code(id="knel.regels", name="Regels en privacy", parent_id="knel", position=0),
        Code(id="knel.regels.avg", name="Privacywet (AVG) remt overdracht", parent_id="knel.regels", position=0),
        Code(id="knel.regels.avg.gemeente", name="Gemeente deelt geen gegevens", parent_id="knel.regels.avg", position=0),
    )
    return Codebook(codes)


USAGE = {
    "succes.zorg.arts": 1,
    "succes.aandacht.stabiel": 2,
    "succes.aandacht.sfeer": 3,
    "knel.regels": 1,
    "knel.regels.avg.gemeente": 4,
}


def names_in_order(book: Codebook) -> list[str]:
    return [code.name for _, code in book.walk()]


def line_with(markdown: str, code_id: str) -> str:
    """The Markdown line that carries the code's id."""
    [line] = [line for line in markdown.splitlines() if f"`{code_id}`" in line]
    return line


# --- Markdown ---------------------------------------------------------------------------------------------


def test_markdown_has_title_version_description_and_headings_in_codebook_order() -> None:
    book = small_book()
    markdown = codebook_markdown(book, title="Huis van Herstel – bijlage", version="2", description="Codeboek voor één rapport.")

    lines = markdown.splitlines()
    assert lines[0] == "# Huis van Herstel – bijlage"
    assert "*Version 2*" in lines
    assert "Codeboek voor één rapport." in lines
    headings = [line for line in lines if line.startswith("##")]
    assert headings == [
        "## Succesfactoren", "### M.b.t. zorg – coöperatie", "### M.b.t. team & aandacht",
        "## Knelpunten", "### Regels en privacy",
    ]
    # Every code, headings and bullets alike, appears in codebook order (by position, not by id).
    offsets = [markdown.index(name) for name in names_in_order(book)]
    assert offsets == sorted(offsets)


def test_markdown_items_are_bold_bullets_with_ids_and_nest_deeper_codes() -> None:
    markdown = codebook_markdown(small_book(), title="Codebook")

    assert "- **Stabiel team, één aanspreekpunt** `succes.aandacht.stabiel`" in markdown
    assert "- **Privacywet (AVG) remt overdracht** `knel.regels.avg`" in markdown.splitlines()
    assert "  - **Gemeente deelt geen gegevens** `knel.regels.avg.gemeente`" in markdown.splitlines()
    assert "`succes` " in markdown or "`succes`\n" in markdown


def test_markdown_shows_description_criteria_examples_and_keywords() -> None:
    markdown = codebook_markdown(small_book(), title="Codebook")

    lines = markdown.splitlines()
    assert "  Medewerkers die blijven." in lines
    assert f"  **Include:** {INCLUDE}" in lines
    assert f"  **Exclude:** {EXCLUDE}" in lines
    assert "  **Examples:**" in lines
    assert f"  > {QUOTE}" in lines and f"  > {SECOND_QUOTE}" in lines
    assert lines.index(f"  > {QUOTE}") < lines.index(f"  > {SECOND_QUOTE}")
    assert "  **Keywords:** vast team, aanspreekpunt" in lines
    assert "**Keywords:** helpen, goed" in lines  # a dimension's own details, not indented


def test_markdown_shows_usage_and_totals_including_descendants() -> None:
    markdown = codebook_markdown(small_book(), title="Codebook", usage=USAGE)

    assert line_with(markdown, "succes.aandacht.stabiel").endswith("· Used 2 times")
    assert line_with(markdown, "succes.aandacht.sfeer").endswith("· Used 3 times")
    assert line_with(markdown, "succes.zorg.arts").endswith("· Used 1 time")
    assert line_with(markdown, "succes.aandacht").endswith("· Used 5 times in total")  # 2 + 3
    assert line_with(markdown, "succes.zorg").endswith("· Used 1 time in total")
    assert line_with(markdown, "succes").endswith("· Used 6 times in total")
    assert line_with(markdown, "knel.regels.avg").endswith("· Used 4 times in total")
    assert line_with(markdown, "knel.regels").endswith("· Used 5 times in total (1 directly)")
    assert line_with(markdown, "knel").endswith("· Used 5 times in total")
    assert "11 codings in all" in markdown


def test_markdown_unused_codes_show_zero_and_unknown_ids_are_ignored() -> None:
    markdown = codebook_markdown(small_book(), title="Codebook", usage={"no.such.code": 7})

    assert line_with(markdown, "succes.aandacht.sfeer").endswith("· Used 0 times")
    assert line_with(markdown, "succes").endswith("· Used 0 times in total")


def test_markdown_without_usage_says_nothing_about_use() -> None:
    markdown = codebook_markdown(small_book(), title="Codebook")

    assert "Used" not in markdown
    assert "coding" not in markdown


def test_markdown_is_deterministic_whatever_order_the_codes_come_in() -> None:
    book = small_book()
    shuffled = list(book.codes)
    random.Random(7).shuffle(shuffled)

    first = codebook_markdown(book, title="Codebook", usage=USAGE)
    assert codebook_markdown(book, title="Codebook", usage=USAGE) == first
    assert codebook_markdown(Codebook(tuple(shuffled)), title="Codebook", usage=dict(reversed(USAGE.items()))) == first


def test_markdown_escapes_markup_in_names_and_descriptions() -> None:
    book = Codebook((
        Code(id="d", name="Kosten *niet* vergoed"),
        Code(id="d.t", name="Thema C#", parent_id="d", description="# geen kop\n\n- geen lijst\n1. geen nummer"),
        Code(id="d.t.i", name="Item_met <tags> en [haken]", parent_id="d.t"),
    ))
    markdown = codebook_markdown(book, title="Codebook")

    assert "## Kosten \\*niet\\* vergoed" in markdown
    assert "### Thema C\\#" in markdown.splitlines()  # not read as a closing '#' sequence
    assert "\\# geen kop" in markdown.splitlines()
    assert "\\- geen lijst 1. geen nummer" in markdown.splitlines()  # one paragraph, lines joined
    assert "- **Item\\_met \\<tags\\> en \\[haken\\]** `d.t.i`" in markdown


# --- Word -------------------------------------------------------------------------------------------------


def style(paragraph: Paragraph) -> str:
    """The paragraph's style name."""
    return paragraph.style.name if paragraph.style is not None else ""


def test_docx_has_title_and_headings_in_codebook_order(tmp_path: Path) -> None:
    path = tmp_path / "codebook.docx"
    write_codebook_docx(small_book(), path, title="Huis van Herstel – bijlage", version="2", description="Codeboek voor één rapport.")

    document = docx.Document(str(path))
    paragraphs = document.paragraphs
    assert (style(paragraphs[0]), paragraphs[0].text) == ("Title", "Huis van Herstel – bijlage")
    assert document.core_properties.title == "Huis van Herstel – bijlage"
    texts = [p.text for p in paragraphs]
    assert "Version 2" in texts and "Codeboek voor één rapport." in texts
    headings = [(style(p), p.text) for p in paragraphs if style(p).startswith("Heading")]
    assert headings == [
        ("Heading 1", "Succesfactoren"), ("Heading 2", "M.b.t. zorg – coöperatie"), ("Heading 2", "M.b.t. team & aandacht"),
        ("Heading 1", "Knelpunten"), ("Heading 2", "Regels en privacy"),
    ]


def test_docx_items_are_bold_bullets_with_grey_ids(tmp_path: Path) -> None:
    book = small_book()
    path = tmp_path / "codebook.docx"
    write_codebook_docx(book, path, title="Codebook")

    paragraphs = docx.Document(str(path)).paragraphs
    items = [code for depth, code in book.walk() if depth >= 2]
    bullets = [p for p in paragraphs if style(p).startswith("List Bullet")]
    assert [p.runs[0].text for p in bullets] == [code.name for code in items]
    assert all(p.runs[0].bold for p in bullets)
    assert [style(p) for p in bullets][-2:] == ["List Bullet", "List Bullet 2"]  # the sub-item nests
    stabiel = next(p for p in bullets if p.runs[0].text == "Stabiel team, één aanspreekpunt")
    id_run = next(run for run in stabiel.runs if run.text == "succes.aandacht.stabiel")
    assert id_run.font.size is not None and id_run.font.size.pt < 10
    assert id_run.font.color.rgb is not None and not id_run.bold


def test_docx_shows_criteria_labelled_and_examples_in_italics(tmp_path: Path) -> None:
    path = tmp_path / "codebook.docx"
    write_codebook_docx(small_book(), path, title="Codebook")

    paragraphs = docx.Document(str(path)).paragraphs
    by_text = {p.text: p for p in paragraphs}
    include = by_text[f"Include: {INCLUDE}"]
    assert include.runs[0].text == "Include: " and include.runs[0].bold
    exclude = by_text[f"Exclude: {EXCLUDE}"]
    assert exclude.runs[0].text == "Exclude: " and exclude.runs[0].bold
    assert "Keywords: vast team, aanspreekpunt" in by_text
    for quote in (QUOTE, SECOND_QUOTE):  # curly quotes and accents survive the round trip
        assert all(run.italic for run in by_text[quote].runs)
    texts = [p.text for p in paragraphs]
    assert texts.index("Medewerkers die blijven.") < texts.index(f"Include: {INCLUDE}") < texts.index(QUOTE)


def test_docx_shows_usage_and_totals(tmp_path: Path) -> None:
    path = tmp_path / "codebook.docx"
    write_codebook_docx(small_book(), path, title="Codebook", usage=USAGE)

    texts = [p.text for p in docx.Document(str(path)).paragraphs]

    def line_of(code_id: str) -> str:
        return next(text for text in texts if f"{code_id}  ·" in text)

    assert line_of("succes.aandacht.stabiel").endswith("Used 2 times")
    assert line_of("succes.aandacht.sfeer").endswith("Used 3 times")
    assert line_of("succes.aandacht").endswith("Used 5 times in total")
    assert line_of("succes").endswith("Used 6 times in total")
    assert line_of("knel.regels").endswith("Used 5 times in total (1 directly)")


def test_docx_without_usage_says_nothing_about_use(tmp_path: Path) -> None:
    path = tmp_path / "codebook.docx"
    write_codebook_docx(small_book(), path, title="Codebook")

    assert not any("Used" in p.text for p in docx.Document(str(path)).paragraphs)


def test_docx_drops_characters_word_cannot_hold(tmp_path: Path) -> None:
    book = Codebook((Code(id="d", name="Dimensie\x0bmet\x00tekens", description="Tekst\x1b met escape"),))
    path = tmp_path / "codebook.docx"
    write_codebook_docx(book, path, title="Codebook\x07")

    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert texts[0] == "Codebook"
    assert "Dimensie mettekens" in texts  # a vertical tab is whitespace, a NUL is dropped
    assert "Tekst met escape" in texts


def test_docx_unwritable_path_is_a_workbench_error(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "codebook.docx"
    with pytest.raises(WorkbenchError, match="cannot write"):
        write_codebook_docx(small_book(), path, title="Codebook")


def test_importing_the_module_does_not_load_python_docx() -> None:
    script = "import sys, workbench.core.codebook.appendix; sys.exit('docx' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 0


# --- the real codebook ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> tuple[Codebook, str, str, str]:
    parsed = read_codebook_file(REAL_CODEBOOK)
    return Codebook(parsed.codes), parsed.name, parsed.version, parsed.description


def test_real_codebook_renders_as_markdown_with_every_code(real: tuple[Codebook, str, str, str]) -> None:
    book, name, version, description = real
    usage = {code.id: index % 5 for index, code in enumerate(book.codes)}
    markdown = codebook_markdown(book, title=name, version=version, description=description, usage=usage)

    missing = [code.name for code in read_codebook_file(REAL_CODEBOOK).codes if code.name not in markdown]
    assert missing == []
    roots = book.children(None)
    assert [line[3:] for line in markdown.splitlines() if line.startswith("## ")] == [code.name for code in roots]
    assert sum(line.startswith("### ") for line in markdown.splitlines()) == sum(len(book.children(r.id)) for r in roots)
    for root in roots:
        total = sum(usage[code.id] for _, code in book.walk(root.id)) + usage[root.id]
        assert f"Used {total} times in total" in line_with(markdown, root.id)


def test_real_codebook_renders_as_docx_with_every_code(tmp_path: Path, real: tuple[Codebook, str, str, str]) -> None:
    book, name, version, description = real
    path = tmp_path / "huis_van_herstel.docx"
    write_codebook_docx(book, path, title=name, version=version, description=description, usage={})

    paragraphs = docx.Document(str(path)).paragraphs
    text = "\n".join(p.text for p in paragraphs)
    missing = [code.name for code in read_codebook_file(REAL_CODEBOOK).codes if code.name not in text]
    assert missing == []
    headings = [(style(p), p.text) for p in paragraphs if style(p).startswith("Heading")]
    expected = [(f"Heading {depth + 1}", code.name) for depth, code in book.walk() if depth < 2]
    assert headings == expected
