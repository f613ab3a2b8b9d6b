"""Reading a YAML codebook file into codes (parents before children), with errors that name the file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.model import Code
from workbench.errors import CodebookError

#: Keys a code may carry. include/exclude/examples/keywords are accepted for the full codebook format
#: (codebooks/README.md); the store keeps id, name, description, dimension and colour.
CODE_KEYS = frozenset({"id", "name", "description", "include", "exclude", "examples", "keywords", "color", "dimension", "children"})
TOP_KEYS = frozenset({"name", "version", "description", "codes"})


@dataclass(frozen=True)
class CodebookFile:
    """A parsed codebook file."""

    name: str
    version: str
    description: str
    codes: tuple[Code, ...]


def read_codebook_file(path: Path) -> CodebookFile:
    """Parse a YAML codebook; any problem raises a CodebookError naming the file."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CodebookError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise CodebookError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CodebookError(f"{path}:{where}: not valid YAML ({problem})") from None
    if not isinstance(data, dict):
        raise CodebookError(f"{path}: a codebook is a mapping with name and codes")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise CodebookError(f"{path}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    codes = data.get("codes")
    if not isinstance(codes, list) or not codes:
        raise CodebookError(f"{path}: no codes (expected a list under 'codes')")
    flat = tuple(_flatten(path, codes, None))
    seen: set[str] = set()
    for code in flat:
        if code.id in seen:
            raise CodebookError(f"{path}: duplicate code id {code.id!r}")
        seen.add(code.id)
    return CodebookFile(
        name=str(data.get("name") or path.stem),
        version=str(data.get("version", "")),
        description=str(data.get("description") or ""),
        codes=flat,
    )


def _flatten(path: Path, nodes: list[Any], parent: str | None) -> Iterator[Code]:
    for node in nodes:
        if not isinstance(node, dict):
            raise CodebookError(f"{path}: every code is a mapping with id and name (under {parent or 'the top'})")
        code_id = node.get("id")
        if not isinstance(code_id, str) or not code_id:
            raise CodebookError(f"{path}: a code without an id (under {parent or 'the top'})")
        unknown = set(node) - CODE_KEYS
        if unknown:
            raise CodebookError(f"{path}: code {code_id!r}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        name = node.get("name")
        if not isinstance(name, str) or not name.strip():
            raise CodebookError(f"{path}: code {code_id!r} has an empty name")
        yield Code(
            id=code_id, name=name, parent_id=parent, description=str(node.get("description") or ""),
            dimension=node.get("dimension"), color=node.get("color"),
        )
        children = node.get("children") or []
        if not isinstance(children, list):
            raise CodebookError(f"{path}: code {code_id!r}: children must be a list")
        yield from _flatten(path, children, code_id)
