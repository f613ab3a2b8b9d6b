"""Exporting the codebook: YAML (the project's own format), REFI-QDA .qdc for other tools, and a report appendix."""

from __future__ import annotations

from pathlib import Path

from workbench.core.codebook.edit import code_usage
from workbench.core.codebook.sync import DESCRIPTION, NAME, VERSION, export_yaml
from workbench.core.codebook.tree import codebook
from workbench.core.files import check_target, write_atomically
from workbench.core.store import Store
from workbench.errors import CodebookError

#: Each codebook format and the file endings that ask for it; the first ending is the one to suggest.
FORMATS: dict[str, tuple[str, ...]] = {
    "yaml": (".yaml", ".yml"),
    "qdc": (".qdc",),
    "md": (".md", ".markdown"),
    "docx": (".docx",),
}


def codebook_format_of(path: Path) -> str:
    """The codebook format a file name asks for by its ending (".yml" → "yaml"), or a CodebookError."""
    suffix = path.suffix.lower()
    for name, extensions in FORMATS.items():
        if suffix in extensions:
            return name
    known = ", ".join(ext for extensions in FORMATS.values() for ext in extensions)
    raise CodebookError(f"{path}: cannot tell the codebook format from {suffix or 'a name without an extension'} (use {known})")


def export_codebook(store: Store, out: Path, fmt: str | None = None, *, usage: bool = False, replace: bool = False) -> Path:
    """Write the project's codebook to `out` in `fmt` (default: from the name), atomically; return the path written.

    `usage` adds how often each code is used (Markdown and Word only); an existing file is replaced only with `replace`.
    """
    kind = (fmt or codebook_format_of(out)).lower().lstrip(".")
    if kind not in FORMATS:
        raise CodebookError(f"{out}: unknown codebook format {fmt!r} (choose {', '.join(FORMATS)})")
    check_target(out, "the codebook", replace=replace)  # refused before the codebook is read and rendered
    if kind == "yaml":
        text = export_yaml(store)
        return write_atomically(out, lambda temp: temp.write_text(text, encoding="utf-8", newline=""), "the codebook", replace=replace)
    book = codebook(store)
    if kind == "qdc":
        from workbench.core.codebook.qdc import codebook_to_qdc
        from workbench.core.codebook.sets import code_sets

        data = codebook_to_qdc(book, code_sets(store))
        return write_atomically(out, lambda temp: temp.write_bytes(data), "the codebook", replace=replace)
    from workbench.core.codebook.appendix import codebook_markdown, write_codebook_docx

    settings = store.settings()
    title = settings.get(NAME) or store.project().name
    version, description = settings.get(VERSION, ""), settings.get(DESCRIPTION, "")
    counts = code_usage(store) if usage else None
    if kind == "md":
        markdown = codebook_markdown(book, title=title, version=version, description=description, usage=counts)
        return write_atomically(out, lambda temp: temp.write_text(markdown, encoding="utf-8", newline=""), "the codebook", replace=replace)
    def write_docx(temp: Path) -> None:
        write_codebook_docx(book, temp, title=title, version=version, description=description, usage=counts)

    return write_atomically(out, write_docx, "the codebook", replace=replace)
