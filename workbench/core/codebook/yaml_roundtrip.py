"""Rewriting a hand-written YAML codebook in place: its comments, key order, quoting and indentation stay.

The linked codebook is the researcher's own file, often annotated. Rewriting it from scratch (PyYAML) would
drop every comment; instead the old file is loaded with ruamel.yaml's round-trip loader and only what changed
is changed, code by code (matched by id, so a renamed or moved code keeps its comments).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from workbench.core.codebook.tree import Codebook
from workbench.core.codebook.yaml_file import CODE_KEYS, TOP_KEYS, code_document, codebook_yaml, parse_codebook
from workbench.errors import CodebookError

#: How a sequence item starts: the dash's column, and the spaces after it.
_ITEM = re.compile(r"^( *)- ( *)\S")


def rewrite_codebook_yaml(old_text: str, book: Codebook, *, name: str, version: str = "", description: str = "") -> str:
    """The codebook as YAML, written over `old_text` so its comments and formatting stay where its codes stay.

    Falls back to a fresh file (`codebook_yaml`) when the old text cannot be kept: not round-trippable, or the
    kept version would not read back as exactly this codebook (a check, so a comment can never cost a code).
    """
    fresh = codebook_yaml(book, name=name, version=version, description=description)
    try:
        kept = _rewrite(old_text, code_document(book, name=name, version=version, description=description))
    except (ValueError, TypeError, RecursionError):
        return fresh
    try:
        same = parse_codebook(kept, "the rewritten codebook") == parse_codebook(fresh, "the codebook")
    except CodebookError:
        same = False
    return kept if same else fresh


def _rewrite(old_text: str, document: dict[str, Any]) -> str:
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the researcher's long lines
    offset, sequence = _indentation(old_text)
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    try:
        tree = yaml.load(old_text)
    except YAMLError as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(tree, CommentedMap) or not isinstance(tree.get("codes"), list):
        raise ValueError("not a codebook mapping")
    old_nodes = {node["id"]: node for node in _walk(tree["codes"])}
    _update_mapping(tree, document, TOP_KEYS, old_nodes)
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def _indentation(text: str) -> tuple[int, int]:
    """The dash column and the item indentation of the file's code list ("  - id:" → 2, 4), as ruamel.yaml wants them."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.rstrip() == "codes:":
            for following in lines[number + 1 :]:
                if not following.strip() or following.lstrip().startswith("#"):
                    continue
                match = _ITEM.match(following)
                if match is None:
                    break
                offset = len(match.group(1))
                return offset, offset + 2 + len(match.group(2))
            break
    return 0, 2


def _walk(nodes: Any) -> Iterator[Any]:
    stack = list(reversed(nodes)) if isinstance(nodes, list) else []
    while stack:
        node = stack.pop()
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            yield node
            children = node.get("children")
            if isinstance(children, list):
                stack.extend(reversed(children))


def _same(old: Any, new: Any) -> bool:
    """Equal as the codebook reads them: text is stripped on reading, so a block scalar's last newline is no change."""
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    return type(old) is type(new) and bool(old == new)


def _update_mapping(node: Any, wanted: dict[str, Any], order: tuple[str, ...], old_nodes: dict[str, Any]) -> None:
    """Make `node` hold `wanted`, keeping untouched values (and their comments and style) as they are."""
    for key in [k for k in node if k in order and k not in wanted]:
        del node[key]
    for key, value in wanted.items():
        if key in ("codes", "children"):
            new_value: Any = _updated_list(node.get(key), value, old_nodes)
        elif key in node and _same(node[key], value):
            continue
        else:
            new_value = value
        if key in node:
            node[key] = new_value
        else:
            # A new key goes where the documented order puts it among the keys already there.
            position = sum(1 for k in node if k in order and order.index(k) < order.index(key))
            node.insert(position, key, new_value)


def _updated_list(old_list: Any, wanted: list[dict[str, Any]], old_nodes: dict[str, Any]) -> Any:
    """The list of code nodes for `wanted`, reusing each code's old node (found by id anywhere in the old file)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    items = []
    for code in wanted:
        node = old_nodes.get(code["id"])
        if node is None:
            node = CommentedMap()
        _update_mapping(node, code, CODE_KEYS, old_nodes)
        items.append(node)
    if isinstance(old_list, CommentedSeq):
        if [id(item) for item in old_list] != [id(item) for item in items]:
            del old_list[:]
            old_list.extend(items)
        return old_list
    return CommentedSeq(items)
