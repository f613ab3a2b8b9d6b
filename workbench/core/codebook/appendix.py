"""The codebook as a report appendix: Markdown text or a Word document, with optional usage counts per code."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.codebook.tree import Codebook
from workbench.core.model import Code
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph

#: Depth 0 codes are dimensions and depth 1 codes themes (headings); deeper codes are items (a list).
ITEM_DEPTH = 2
#: Characters that Markdown may read as markup anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|])")
#: Starts of a line that Markdown would read as a heading, quote, list item or rule.
_MD_BLOCK_START = re.compile(r"^(#|=|\+|-|(\d+)([.)]))")
#: The end of a heading that Markdown would read as its closing '#' sequence.
_MD_TRAILING_HASHES = re.compile(r"(#+)$")
#: A bullet line as `_md_code` writes it (other text is escaped so it never starts like one).
_MD_BULLET = re.compile(r"^ *- ")
#: Characters XML 1.0 cannot hold; python-docx refuses text that contains them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Paragraph indentation of the default template's "List Bullet", "List Bullet 2", "List Bullet 3" (twips).
_BULLET_INDENT_TWIPS = 360
_BULLET_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
_GREY = (0x76, 0x76, 0x76)


def codebook_markdown(
    book: Codebook,
    *,
    title: str,
    version: str = "",
    description: str = "",
    usage: Mapping[str, int] | None = None,
) -> str:
    """The codebook as a Markdown document: dimensions `##`, themes `###`, deeper codes as a nested bullet list.

    `usage` maps a code id to its number of codings; when given, every code shows its count and every
    dimension and theme the total of itself and all codes below it.
    """
    totals = _usage_totals(book, usage)
    blocks: list[str] = [f"# {_md_inline(_one_line(title))}"]
    if version.strip():
        blocks.append(f"*Version {_md_inline(_one_line(version))}*")
    blocks.extend(_md_text(paragraph) for paragraph in _paragraphs(description))
    blocks.append(_md_text(_summary(book, usage)))
    for depth, code in book.walk():
        blocks.extend(_md_code(book, depth, code, usage, totals))
    return _md_join(blocks)


def write_codebook_docx(
    book: Codebook,
    path: Path,
    *,
    title: str,
    version: str = "",
    description: str = "",
    usage: Mapping[str, int] | None = None,
) -> None:
    """Write the codebook as a Word document: Heading 1 per dimension, Heading 2 per theme, items as a bullet list.

    Items are bullets with the name in bold and the id in a smaller grey run, criteria labelled "Include:" and
    "Exclude:", examples in italics; `usage` adds counts as in `codebook_markdown`.
    """
    import docx  # loaded on first use: importing the formats should stay cheap

    totals = _usage_totals(book, usage)
    document = docx.Document()
    document.core_properties.title = _xml_safe(_one_line(title))
    document.add_heading(_xml_safe(_one_line(title)), level=0)
    if version.strip():
        document.add_paragraph().add_run(_xml_safe(f"Version {_one_line(version)}")).italic = True
    for paragraph in _paragraphs(description):
        document.add_paragraph(_xml_safe(paragraph))
    document.add_paragraph(_xml_safe(_summary(book, usage)))
    for depth, code in book.walk():
        _docx_code(document, book, depth, code, usage, totals)
    try:
        document.save(str(path))
    except OSError as exc:
        raise WorkbenchError(f"{path}: cannot write the codebook ({exc.strerror or exc})", title="Export") from None


# --- shared -----------------------------------------------------------------------------------------------


def _usage_totals(book: Codebook, usage: Mapping[str, int] | None) -> dict[str, int]:
    """Each code's own count plus its descendants' counts (empty without usage)."""
    if usage is None:
        return {}
    totals: dict[str, int] = {}
    # Pre-order reversed puts every child before its parent, so children's totals are ready.
    for _, code in reversed(list(book.walk())):
        totals[code.id] = usage.get(code.id, 0) + sum(totals[child.id] for child in book.children(code.id))
    return totals


def _usage_label(book: Codebook, code: Code, usage: Mapping[str, int] | None, totals: Mapping[str, int]) -> str:
    """The usage text: "Used 3 times" for a leaf, "Used 5 times in total" for a code with subcodes, "" without usage."""
    if usage is None:
        return ""
    own = usage.get(code.id, 0)
    if not book.children(code.id):
        return f"Used {_times(own)}"
    label = f"Used {_times(totals[code.id])} in total"
    return f"{label} ({own} directly)" if own else label


def _times(count: int) -> str:
    """The count as a number of times ("1 time", "3 times")."""
    return "1 time" if count == 1 else f"{count} times"


def _plural(count: int, noun: str) -> str:
    """The count with the noun, plural unless the count is one."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _summary(book: Codebook, usage: Mapping[str, int] | None) -> str:
    """One sentence on the codebook's size (and what the usage counts mean)."""
    per_depth = [0, 0, 0]
    for depth, _ in book.walk():
        per_depth[min(depth, ITEM_DEPTH)] += 1
    dimensions, themes, items = per_depth
    sentence = f"{_plural(dimensions, 'dimension')}, {_plural(themes, 'theme')} and {_plural(items, 'code')}."
    if usage is not None:
        codings = sum(usage.get(code.id, 0) for _, code in book.walk())
        sentence += (
            f" Used: the number of codings ({_plural(codings, 'coding')} in all); for dimensions and themes"
            " the total including the codes below them."
        )
    return sentence


def _one_line(text: str) -> str:
    """The text's lines joined by one space; spacing inside a line stays as written, so names stay verbatim."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _paragraphs(text: str) -> list[str]:
    """The text's paragraphs (split at blank lines), each on one line."""
    return [line for block in re.split(r"\n\s*\n", text) if (line := _one_line(block))]


def _details(code: Code) -> Iterator[tuple[str, str]]:
    """A code's content below its name as (kind, text): description paragraphs, criteria, examples, keywords."""
    for paragraph in _paragraphs(code.description):
        yield "description", paragraph
    if code.include.strip():
        yield "Include:", _one_line(code.include)
    if code.exclude.strip():
        yield "Exclude:", _one_line(code.exclude)
    for example in code.examples:
        if example.strip():
            yield "example", _one_line(example)
    keywords = [_one_line(k) for k in code.keywords if k.strip()]
    if keywords:
        yield "Keywords:", ", ".join(keywords)


# --- Markdown ---------------------------------------------------------------------------------------------


def _md_inline(text: str) -> str:
    """Text with Markdown's inline markup characters escaped."""
    return _MD_INLINE.sub(r"\\\1", text)


def _md_text(text: str) -> str:
    """Text that starts a block, escaped so it stays a plain paragraph."""
    escaped = _md_inline(text)
    return _MD_BLOCK_START.sub(lambda m: f"{m[2]}\\{m[3]}" if m[2] else f"\\{m[1]}", escaped, count=1)


def _md_code_span(text: str) -> str:
    """Text as inline code, fenced with more backticks than it contains."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_code(
    book: Codebook, depth: int, code: Code, usage: Mapping[str, int] | None, totals: Mapping[str, int]
) -> Iterator[str]:
    """The Markdown blocks of one code: a heading or a bullet, then its details indented under it."""
    name = _md_inline(_one_line(code.name))
    meta = " · ".join(part for part in (_md_code_span(code.id), _usage_label(book, code, usage, totals)) if part)
    if depth < ITEM_DEPTH:
        indent = ""
        # A trailing run of '#' would be read as the heading's closing sequence and dropped.
        heading = _MD_TRAILING_HASHES.sub(r"\\\1", name)
        yield f"{'#' * (depth + 2)} {heading}"
        yield meta
    else:
        bullet_indent = "  " * (depth - ITEM_DEPTH)
        indent = bullet_indent + "  "
        yield f"{bullet_indent}- **{name}** {meta}"
    examples: list[str] = []
    for kind, text in _details(code):
        if kind == "example":
            examples.append(_md_inline(text))
            continue
        if examples:
            yield _md_quotes(examples, indent)
            examples = []
        if kind == "description":
            yield indent + _md_text(text)
        else:
            yield f"{indent}**{kind}** {_md_inline(text)}"
    if examples:
        yield _md_quotes(examples, indent)


def _md_join(blocks: list[str]) -> str:
    """Blocks separated by blank lines, except bullets that follow bullets: a list without details stays tight."""
    text = blocks[0]
    for previous, block in pairwise(blocks):
        text += ("\n" if _MD_BULLET.match(previous) and _MD_BULLET.match(block) else "\n\n") + block
    return text + "\n"


def _md_quotes(examples: list[str], indent: str) -> str:
    """Examples as a labelled block quote, one quoted paragraph per example."""
    quoted = f"\n{indent}>\n".join(f"{indent}> {example}" for example in examples)
    return f"{indent}**Examples:**\n\n{quoted}"


# --- Word -------------------------------------------------------------------------------------------------


def _xml_safe(text: str) -> str:
    """Text without the control characters XML (and so python-docx) cannot store."""
    return _NOT_XML.sub("", text)


def _docx_code(
    document: WordDocument,
    book: Codebook,
    depth: int,
    code: Code,
    usage: Mapping[str, int] | None,
    totals: Mapping[str, int],
) -> None:
    """Add one code: a heading with an id line, or a bullet; then its details indented under it."""
    from docx.shared import Pt, RGBColor, Twips

    name = _xml_safe(_one_line(code.name))
    used = _usage_label(book, code, usage, totals)
    if depth < ITEM_DEPTH:
        document.add_heading(name, level=depth + 1)
        head = document.add_paragraph()
        detail_twips = 0
    else:
        level = min(depth - ITEM_DEPTH, len(_BULLET_STYLES) - 1)
        head = document.add_paragraph(style=_BULLET_STYLES[level])
        head.add_run(name).bold = True
        head.add_run("  ")
        detail_twips = _BULLET_INDENT_TWIPS * (level + 1)
    id_run = head.add_run(_xml_safe(code.id))
    id_run.font.size = Pt(8)
    id_run.font.color.rgb = RGBColor(*_GREY)
    if used:
        head.add_run(f"  ·  {used}").font.size = Pt(9)

    def detail(extra_twips: int = 0) -> Paragraph:
        """A new paragraph under the code, indented to the bullet's text (plus `extra_twips`)."""
        paragraph = document.add_paragraph()
        if detail_twips + extra_twips:
            paragraph.paragraph_format.left_indent = Twips(detail_twips + extra_twips)
        return paragraph

    examples_labelled = False
    for kind, text in _details(code):
        if kind == "description":
            detail().add_run(_xml_safe(text))
        elif kind == "example":
            if not examples_labelled:
                detail().add_run("Examples:").bold = True
                examples_labelled = True
            detail(extra_twips=_BULLET_INDENT_TWIPS).add_run(_xml_safe(text)).italic = True
        else:
            labelled = detail()
            labelled.add_run(f"{kind} ").bold = True
            labelled.add_run(_xml_safe(text))
