"""Editing the codebook in a project without ever orphaning a coding: codings point at ids, never names."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import func, select

from workbench.core import schema
from workbench.core.codebook.tree import COLOR, Codebook, check_depth, codebook, load_codebook
from workbench.core.history import Changes
from workbench.core.model import Code
from workbench.core.store import Store
from workbench.errors import CodebookError

_UNSET: object = object()


def code_usage(store: Store) -> Counter[str]:
    """How many codings use each code (its own codings, not its descendants')."""
    c = schema.codings
    with store.reading() as conn:
        return Counter({code_id: int(n) for code_id, n in conn.execute(select(c.c.code_id, func.count()).group_by(c.c.code_id))})


def _renumber(changes: Changes, book: Codebook, parent_id: str | None, ordered: Sequence[str]) -> None:
    for position, code_id in enumerate(ordered):
        if book.get(code_id).position != position:
            changes.update(schema.codes, code_id, {"position": position})


def _descendants(book: Codebook, code_id: str) -> set[str]:
    return {code.id for _, code in book.walk(code_id)}


def rename_code(store: Store, code_id: str, name: str, actor: str) -> Code:
    """Give a code a new name; its id, and so every coding, stays."""
    name = name.strip()
    if not name:
        raise CodebookError(f"code {code_id!r}: a name cannot be empty")
    with store.action("rename code", actor) as changes:
        old = load_codebook(changes.conn).get(code_id)
        changes.update(schema.codes, code_id, {"name": name})
        changes.summary = f"renamed {code_id!r} from {old.name!r} to {name!r}"
    return codebook(store).get(code_id)


def describe_code(
    store: Store,
    code_id: str,
    actor: str,
    *,
    description: str | None = None,
    include: str | None = None,
    exclude: str | None = None,
    examples: Sequence[str] | None = None,
    keywords: Sequence[str] | None = None,
    color: str | None | object = _UNSET,
) -> Code:
    """Change a code's description, criteria, examples, keywords or colour (only what is given)."""
    values: dict[str, object] = {}
    if description is not None:
        values["description"] = description.strip()
    if include is not None:
        values["include_criteria"] = include.strip()
    if exclude is not None:
        values["exclude_criteria"] = exclude.strip()
    if examples is not None:
        values["examples"] = json.dumps([e.strip() for e in examples if e.strip()], ensure_ascii=False)
    if keywords is not None:
        values["keywords"] = json.dumps([k.strip() for k in keywords if k.strip()], ensure_ascii=False)
    if color is not _UNSET:
        if color is not None and (not isinstance(color, str) or not COLOR.match(color)):
            raise CodebookError(f"code {code_id!r}: colour {color!r} is not #rrggbb")
        values["color"] = color
    if not values:
        raise CodebookError(f"code {code_id!r}: nothing to change")
    with store.action("describe code", actor) as changes:
        load_codebook(changes.conn).get(code_id)
        changes.update(schema.codes, code_id, values)
        fields = ", ".join(sorted(k.removesuffix("_criteria") for k in values))
        changes.summary = f"changed {fields} of {code_id!r}"
    return codebook(store).get(code_id)


def move_code(store: Store, code_id: str, parent_id: str | None, actor: str, position: int | None = None) -> Code:
    """Move a code (with its subtree) under another parent, at `position` among its new siblings (default last)."""
    with store.action("move code", actor) as changes:
        book = load_codebook(changes.conn)
        code = book.get(code_id)
        if parent_id is not None:
            book.get(parent_id)
            if parent_id in _descendants(book, code_id) or parent_id == code_id:
                raise CodebookError(f"cannot move {code_id!r} under {parent_id!r}: that is the code itself or one of its descendants")
            # the whole subtree moves along: its deepest code must stay within the limit
            check_depth(code_id, book.depth(parent_id) + book.height(code_id))
        siblings = [c.id for c in book.children(parent_id) if c.id != code_id]
        index = len(siblings) if position is None else max(0, min(position, len(siblings)))
        siblings.insert(index, code_id)
        if code.parent_id != parent_id:
            changes.update(schema.codes, code_id, {"parent_id": parent_id})
            _renumber(changes, book, code.parent_id, [c.id for c in book.children(code.parent_id) if c.id != code_id])
        _renumber(changes, book, parent_id, siblings)
        where = f"under {parent_id!r}" if parent_id else "to the top level"
        changes.summary = f"moved {code_id!r} {where} at position {index}"
    return codebook(store).get(code_id)


def reorder_code(store: Store, code_id: str, position: int, actor: str) -> Code:
    """Put a code at `position` (0-based) among its siblings."""
    with store.reading() as conn:
        parent = load_codebook(conn).get(code_id).parent_id
    return move_code(store, code_id, parent, actor, position)


def _repoint_codings(changes: Changes, source_id: str, target_id: str) -> tuple[int, int]:
    """Point the source's codings at the target; a coding the target already has is dropped, not doubled."""
    c = schema.codings
    rows = changes.conn.execute(select(c).where(c.c.code_id.in_([source_id, target_id]))).mappings().all()
    on_target = {(r["document_id"], r["start_offset"], r["end_offset"], r["coder_id"]) for r in rows if r["code_id"] == target_id}
    moved = dropped = 0
    for row in rows:
        if row["code_id"] != source_id:
            continue
        if (row["document_id"], row["start_offset"], row["end_offset"], row["coder_id"]) in on_target:
            changes.delete(c, row["id"])
            dropped += 1
        else:
            changes.update(c, row["id"], {"code_id": target_id})
            moved += 1
    return moved, dropped


def merge_codes(store: Store, source_id: str, target_id: str, actor: str) -> tuple[int, int]:
    """Merge a code into another: its codings and children move to the target, then it is removed.

    Returns (codings moved, codings dropped because the target already had the same span and coder).
    """
    if source_id == target_id:
        raise CodebookError(f"cannot merge {source_id!r} into itself")
    with store.action("merge codes", actor) as changes:
        book = load_codebook(changes.conn)
        source, target = book.get(source_id), book.get(target_id)
        if target_id in _descendants(book, source_id):
            raise CodebookError(f"cannot merge {source_id!r} into its own descendant {target_id!r}")
        for child in book.children(source_id):  # the source's children move one level under the target
            check_depth(child.id, book.depth(target_id) + book.height(child.id))
        moved, dropped = _repoint_codings(changes, source_id, target_id)
        children = [c.id for c in book.children(target_id)]
        for child in book.children(source_id):
            changes.update(schema.codes, child.id, {"parent_id": target_id})
            children.append(child.id)
        _renumber(changes, book, target_id, children)
        changes.delete(schema.codes, source_id)
        _renumber(changes, book, source.parent_id, [c.id for c in book.children(source.parent_id) if c.id != source_id])
        changes.summary = (
            f"merged {source_id!r} ({source.name}) into {target_id!r} ({target.name}): "
            f"{moved} codings moved, {dropped} duplicates dropped"
        )
    return moved, dropped


def delete_code(store: Store, code_id: str, actor: str, reassign_to: str | None = None) -> int:
    """Delete a code; refused while codings use it unless they are reassigned. Returns codings reassigned."""
    if reassign_to is not None:
        moved, dropped = merge_codes(store, code_id, reassign_to, actor)
        return moved + dropped
    with store.action("delete code", actor) as changes:
        book = load_codebook(changes.conn)
        code = book.get(code_id)
        children = book.children(code_id)
        if children:
            raise CodebookError(f"code {code_id!r} has {len(children)} child codes; move or delete them first")
        c = schema.codings
        used = int(changes.conn.execute(select(func.count()).select_from(c).where(c.c.code_id == code_id)).scalar_one())
        if used:
            raise CodebookError(f"code {code_id!r} is used by {used} codings; say where they go (reassign to another code)")
        changes.delete(schema.codes, code_id)
        _renumber(changes, book, code.parent_id, [c.id for c in book.children(code.parent_id) if c.id != code_id])
        changes.summary = f"deleted code {code_id!r} ({code.name})"
    return 0
