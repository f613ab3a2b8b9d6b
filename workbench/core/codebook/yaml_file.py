"""YAML codebook files: reading with validation that names file, line and problem, and writing them back.

The format is documented in workbench/codebooks/README.md. Codes nest under `children` to any depth; each has a
stable slug `id` that codings point at, so names can change freely.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.codebook.tree import CODE_ID, COLOR, MAX_DEPTH, Codebook
from workbench.core.model import Code, CodeSet
from workbench.core.reading import read_capped
from workbench.core.yaml_lines import LINE, check_keys, load_yaml
from workbench.errors import CodebookError

#: A YAML codebook file is read whole; far larger than any codebook, small enough to read without a second thought.
MAX_FILE_BYTES = 16 * 1024**2
#: YAML nesting a codebook of MAX_DEPTH levels needs (a list and a mapping per level, and the top), with room to spare.
MAX_YAML_DEPTH = 2 * MAX_DEPTH + 10
CODE_KEYS = ("id", "name", "description", "include", "exclude", "examples", "keywords", "color", "dimension", "codable", "children")
TOP_KEYS = ("name", "version", "description", "codes")
_LINE = LINE


@dataclass(frozen=True)
class CodebookFile:
    """A parsed codebook file."""

    name: str
    version: str
    description: str
    codes: tuple[Code, ...]
    #: Code sets, for formats that carry them (.qdc); None for YAML, so a sync from YAML leaves the project's sets alone.
    sets: tuple[CodeSet, ...] | None = None


def parse_codebook(text: str, source: str) -> CodebookFile:
    """Parse and validate codebook YAML; `source` names the file in errors."""
    data = load_yaml(text, source, CodebookError, max_depth=MAX_YAML_DEPTH, too_deep=f" (codes nest at most {MAX_DEPTH} levels)")
    if not isinstance(data, dict):
        raise CodebookError(f"{source}: a codebook is a mapping with name and codes")
    _check_keys(source, data, TOP_KEYS, "the codebook")
    codes = data.get("codes")
    if not isinstance(codes, list) or not codes:
        raise CodebookError(f"{source}: line {data[_LINE]}: no codes (expected a list under 'codes')")
    flat = tuple(_flatten(source, codes, None, {}, 1))
    return CodebookFile(
        name=_text(source, data, "name") or Path(source).stem,
        version=str(data.get("version", "") or ""),
        description=_text(source, data, "description"),
        codes=flat,
    )


def read_codebook_file(path: Path) -> CodebookFile:
    """Read and validate a YAML codebook file (a regular file of at most MAX_FILE_BYTES)."""
    data = read_capped(path, MAX_FILE_BYTES, CodebookError, "a codebook")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CodebookError(f"{path}: not UTF-8 text") from None
    return parse_codebook(text, str(path))


def _check_keys(source: str, node: Mapping[str, Any], allowed: Sequence[str], what: str) -> None:
    check_keys(source, dict(node), tuple(allowed), what, CodebookError)


def _text(source: str, node: Mapping[str, Any], key: str) -> str:
    value = node.get(key)
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise CodebookError(f"{source}: line {node[_LINE]}: {key} must be text")
    return str(value).strip()


def _texts(source: str, node: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = node.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CodebookError(f"{source}: line {node[_LINE]}: {key} must be a list of texts")
    return tuple(v.strip() for v in value)


def _flatten(source: str, nodes: list[Any], parent: str | None, seen: dict[str, int], depth: int) -> Iterator[Code]:
    for position, node in enumerate(nodes):
        if not isinstance(node, dict):
            raise CodebookError(f"{source}: a code under {parent or 'codes'} is not a mapping with id and name")
        line = node[_LINE]
        code_id = node.get("id")
        if not isinstance(code_id, str) or not code_id.strip():
            raise CodebookError(f"{source}: line {line}: code without an id")
        _check_keys(source, node, CODE_KEYS, f"code {code_id!r}")
        if not CODE_ID.match(code_id):
            raise CodebookError(f"{source}: line {line}: code id {code_id!r} is not a slug (lowercase letters, digits, '-', '_', '.')")
        if code_id in seen:
            raise CodebookError(f"{source}: line {line}: duplicate code id {code_id!r} (first at line {seen[code_id]})")
        seen[code_id] = line
        name = node.get("name")
        if not isinstance(name, str) or not name.strip():
            raise CodebookError(f"{source}: line {line}: code {code_id!r} has an empty name")
        color = node.get("color")
        if color is not None and (not isinstance(color, str) or not COLOR.match(color)):
            raise CodebookError(f"{source}: line {line}: code {code_id!r}: colour {color!r} is not #rrggbb")
        dimension = node.get("dimension")
        codable = node.get("codable", True)
        if not isinstance(codable, bool):
            raise CodebookError(f"{source}: line {line}: code {code_id!r}: codable must be true or false")
        yield Code(
            id=code_id, name=name.strip(), parent_id=parent, description=_text(source, node, "description"),
            dimension=str(dimension) if dimension else None, color=color, position=position,
            include=_text(source, node, "include"), exclude=_text(source, node, "exclude"),
            examples=_texts(source, node, "examples"), keywords=_texts(source, node, "keywords"), codable=codable,
        )
        children = node.get("children") or []
        if not isinstance(children, list):
            raise CodebookError(f"{source}: line {line}: children of {code_id!r} must be a list")
        if children and depth >= MAX_DEPTH:
            raise CodebookError(f"{source}: line {line}: the children of {code_id!r} would sit {depth + 1} levels deep; "
                                f"codes nest at most {MAX_DEPTH} levels")
        yield from _flatten(source, children, code_id, seen, depth + 1)


def _code_node(book: Codebook, code: Code) -> dict[str, Any]:
    node: dict[str, Any] = {"id": code.id, "name": code.name}
    for key, value in (
        ("description", code.description), ("include", code.include), ("exclude", code.exclude),
        ("examples", list(code.examples)), ("keywords", list(code.keywords)),
        ("color", code.color), ("dimension", code.dimension),
    ):
        if value:
            node[key] = value
    if not code.codable:
        node["codable"] = False
    children = [_code_node(book, child) for child in book.children(code.id)]
    if children:
        node["children"] = children
    return node


def code_document(book: Codebook, *, name: str, version: str = "", description: str = "") -> dict[str, Any]:
    """The codebook as the plain data of its YAML file (mappings, lists, text), in the documented key order."""
    document: dict[str, Any] = {"name": name}
    if version:
        document["version"] = version
    if description:
        document["description"] = description
    if (deepest := book.deepest()) > MAX_DEPTH:  # a project from before the limit: refused, not a RecursionError
        raise CodebookError(f"the codebook nests codes {deepest} levels deep; YAML takes at most {MAX_DEPTH} (move deeper codes up)")
    document["codes"] = [_code_node(book, root) for root in book.children(None)]
    return document


def codebook_yaml(book: Codebook, *, name: str, version: str = "", description: str = "") -> str:
    """The codebook as YAML in the documented format; reading it back gives the same tree."""
    import yaml

    document = code_document(book, name=name, version=version, description=description)
    return str(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=110, indent=2))
