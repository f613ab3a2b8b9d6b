"""The codebook tree in a project: codes nested to any depth (dimension → theme → code), addressed by id."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, RowMapping, func, select

from workbench.core import schema
from workbench.core.history import Changes
from workbench.core.matching import did_you_mean
from workbench.core.model import Code
from workbench.core.store import Store
from workbench.errors import CodebookError

if TYPE_CHECKING:
    from workbench.core.codebook.find import CodeFinder

CODE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: The deepest a code may sit (a top-level code is at depth 1). Real codebooks use three or four levels; the limit
#: is checked wherever codes come in (add, move, merge, sync, YAML and .qdc files), so every export can nest them.
MAX_DEPTH = 50


@dataclass(frozen=True)
class Codebook:
    """An immutable snapshot of a project's codes with tree navigation."""

    codes: tuple[Code, ...] = field(default=())

    @cached_property
    def by_id(self) -> dict[str, Code]:
        """Codes by id."""
        return {c.id: c for c in self.codes}

    @cached_property
    def _children(self) -> dict[str | None, list[Code]]:
        children: dict[str | None, list[Code]] = {}
        for code in self.codes:
            children.setdefault(code.parent_id, []).append(code)
        for siblings in children.values():
            siblings.sort(key=lambda c: (c.position, c.id))
        return children

    @cached_property
    def finder(self) -> CodeFinder:
        """The index that finds codes as the user types; built once per snapshot, so reopening a chooser is free."""
        from workbench.core.codebook.find import CodeFinder

        return CodeFinder(self)

    def children(self, code_id: str | None) -> list[Code]:
        """Direct children in their order; `None` gives the roots."""
        return list(self._children.get(code_id, []))

    def child_named(self, parent_id: str | None, name: str) -> Code | None:
        """The child of `parent_id` printed as `name`: how tables ask for "theme X within dimension Y"."""
        return next((c for c in self._children.get(parent_id, []) if c.name == name), None)

    def walk(self, code_id: str | None = None) -> Iterator[tuple[int, Code]]:
        """Depth-first (depth, code) below `code_id` (the whole tree for None), in codebook order."""
        stack = [(0, c) for c in reversed(self.children(code_id))]
        while stack:
            depth, code = stack.pop()
            yield depth, code
            stack.extend((depth + 1, c) for c in reversed(self.children(code.id)))

    def ancestors(self, code_id: str) -> list[Code]:
        """The code's ancestors from the root down, without the code itself."""
        chain: list[Code] = []
        parent = self.get(code_id).parent_id
        while parent is not None:
            node = self.by_id[parent]
            chain.append(node)
            parent = node.parent_id
        return chain[::-1]

    def depth(self, code_id: str) -> int:
        """How deep the code sits: 1 at the top level, 2 for a child of a top-level code..."""
        return len(self.ancestors(code_id)) + 1

    def height(self, code_id: str) -> int:
        """How many levels the code's subtree spans: 1 for a code without children."""
        return 1 + max((depth for depth, _ in self.walk(code_id)), default=-1) + 1

    def deepest(self) -> int:
        """The depth of the deepest code (0 for an empty codebook)."""
        return max((depth + 1 for depth, _ in self.walk()), default=0)

    def path(self, code_id: str) -> list[str]:
        """Names from the root to the code, e.g. ["Succesfactoren", "M.b.t. team", "Stabiel team…"]."""
        return [c.name for c in self.ancestors(code_id)] + [self.get(code_id).name]

    def dimension_of(self, code_id: str) -> str:
        """The nearest explicitly set dimension up the tree, else the root's id."""
        for node in [self.get(code_id), *reversed(self.ancestors(code_id))]:
            if node.dimension:
                return node.dimension
        return (self.ancestors(code_id) or [self.get(code_id)])[0].id

    def color_of(self, code_id: str) -> str | None:
        """The code's own colour or the nearest ancestor's."""
        for node in [self.get(code_id), *reversed(self.ancestors(code_id))]:
            if node.color:
                return node.color
        return None

    def get(self, code_id: str) -> Code:
        """The code with this id, or a CodebookError that suggests near ids."""
        try:
            return self.by_id[code_id]
        except KeyError:
            raise CodebookError(f"unknown code {code_id!r}{did_you_mean(code_id, list(self.by_id))}") from None


def code_from_row(row: RowMapping) -> Code:
    """A Code from a `codes` row."""
    return Code(
        id=row["id"], name=row["name"], parent_id=row["parent_id"], description=row["description"],
        dimension=row["dimension"], color=row["color"], position=row["position"],
        include=row["include_criteria"], exclude=row["exclude_criteria"],
        examples=tuple(json.loads(row["examples"])), keywords=tuple(json.loads(row["keywords"])), guid=row["guid"],
        codable=bool(row["codable"]),
    )


def code_row(code: Code) -> dict[str, Any]:
    """The `codes` row of a Code."""
    return {
        "id": code.id, "parent_id": code.parent_id, "name": code.name, "description": code.description,
        "dimension": code.dimension, "color": code.color, "position": code.position,
        "include_criteria": code.include, "exclude_criteria": code.exclude,
        "examples": json.dumps(list(code.examples), ensure_ascii=False),
        "keywords": json.dumps(list(code.keywords), ensure_ascii=False), "guid": code.guid,
        "codable": code.codable,
    }


def load_codebook(conn: Connection) -> Codebook:
    """Read the codebook inside an open transaction."""
    return Codebook(tuple(code_from_row(r) for r in conn.execute(select(schema.codes)).mappings()))


def codebook(store: Store) -> Codebook:
    """The project's codebook now."""
    with store.reading() as conn:
        return load_codebook(conn)


def validate_code(code: Code, known: Codebook) -> None:
    """Refuse a code that would break the tree: bad id, empty name, unknown parent, bad colour, duplicate id."""
    if not CODE_ID.match(code.id):
        raise CodebookError(f"code id {code.id!r} is not a slug (lowercase letters, digits, '-', '_', '.')")
    if code.id in known.by_id:
        raise CodebookError(f"code id {code.id!r} already exists ({known.by_id[code.id].name!r})")
    if not code.name.strip():
        raise CodebookError(f"code {code.id!r} has an empty name")
    if code.parent_id is not None and code.parent_id not in known.by_id:
        raise CodebookError(f"code {code.id!r}: unknown parent {code.parent_id!r}{did_you_mean(code.parent_id, list(known.by_id))}")
    if code.color is not None and not COLOR.match(code.color):
        raise CodebookError(f"code {code.id!r}: colour {code.color!r} is not #rrggbb")
    if code.parent_id is not None:
        check_depth(code.id, known.depth(code.parent_id) + 1)


def check_depth(code_id: str, depth: int) -> None:
    """Refuse a code that would sit deeper than MAX_DEPTH levels."""
    if depth > MAX_DEPTH:
        raise CodebookError(f"code {code_id!r} would sit {depth} levels deep; codes nest at most {MAX_DEPTH} levels")


def _next_position(conn: Connection, parent_id: str | None) -> int:
    c = schema.codes
    where = c.c.parent_id.is_(None) if parent_id is None else c.c.parent_id == parent_id
    return int(conn.execute(select(func.coalesce(func.max(c.c.position) + 1, 0)).where(where)).scalar_one())


def _insert_code(changes: Changes, code: Code, known: Codebook) -> Code:
    validate_code(code, known)
    placed = replace(code, name=code.name.strip(), position=_next_position(changes.conn, code.parent_id))
    changes.insert(schema.codes, code_row(placed))
    return placed


def add_code(store: Store, code: Code, actor: str) -> Code:
    """Add one code at the end of its siblings, as one action; return it as stored."""
    with store.action("add code", actor) as changes:
        placed = _insert_code(changes, code, load_codebook(changes.conn))
        changes.summary = f"added code {placed.id!r} ({placed.name})"
    return placed


def add_codes(store: Store, codes: Sequence[Code], actor: str, summary: str) -> int:
    """Add many codes (parents before children) as one action; return how many were added."""
    with store.action("add codes", actor, summary) as changes:
        known = load_codebook(changes.conn)
        for code in codes:
            placed = _insert_code(changes, code, known)
            known = Codebook((*known.codes, placed))
    return len(codes)
