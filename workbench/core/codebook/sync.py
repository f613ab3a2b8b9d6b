"""Keeping a project's codebook and its YAML file in step: plan and apply a sync, rewrite the file after edits.

A project can be linked to one YAML file. `sync` brings the file's changes into the project (after
showing what will change); edits made in the workbench rewrite the file, unless someone changed the
file by hand since, in which case the edit is refused rather than overwriting their work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path

from workbench.core import schema
from workbench.core.codebook.tree import code_row, load_codebook
from workbench.core.codebook.edit import code_usage
from workbench.core.codebook.yaml_file import CodebookFile, codebook_yaml, read_codebook_file
from workbench.core.model import Action, Code
from workbench.core.store import Store
from workbench.errors import CodebookError

LINK = "codebook.file"
DIGEST = "codebook.sha256"
NAME, VERSION, DESCRIPTION = "codebook.name", "codebook.version", "codebook.description"
_COMPARED = tuple(f.name for f in fields(Code) if f.name not in ("id", "guid"))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SyncPlan:
    """What syncing a YAML file into the project will change."""

    added: tuple[Code, ...] = ()
    removed: tuple[Code, ...] = ()
    changed: tuple[tuple[Code, Code], ...] = ()
    blocked: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """True when the project already matches the file."""
        return not (self.added or self.removed or self.changed)

    def lines(self) -> list[str]:
        """One line per change, for the user to read before applying."""
        out = [f"+ add {c.id} ({c.name})" + (f" under {c.parent_id}" if c.parent_id else "") for c in self.added]
        for old, new in self.changed:
            parts = []
            if old.name != new.name:
                parts.append(f"rename {old.name!r} → {new.name!r}")
            if old.parent_id != new.parent_id:
                parts.append(f"move from {old.parent_id or 'top'} to {new.parent_id or 'top'}")
            other = [f for f in _COMPARED if f not in ("name", "parent_id") and getattr(old, f) != getattr(new, f)]
            if other:
                parts.append("change " + ", ".join(other))
            out.append(f"~ {old.id}: " + "; ".join(parts))
        out += [f"- remove {c.id} ({c.name})" for c in self.removed]
        out += [f"! {reason}" for reason in self.blocked]
        return out


def plan_sync(store: Store, file: CodebookFile) -> SyncPlan:
    """Compare a codebook file with the project's codebook; removing a code that is in use is blocked."""
    with store.reading() as conn:
        current = load_codebook(conn)
    wanted = {c.id: c for c in file.codes}
    added = tuple(c for c in file.codes if c.id not in current.by_id)
    changed = tuple(
        (old, wanted[old.id])
        for _, old in current.walk()
        if old.id in wanted and any(getattr(old, f) != getattr(wanted[old.id], f) for f in _COMPARED)
    )
    removed = tuple(code for _, code in current.walk() if code.id not in wanted)
    usage = code_usage(store)
    blocked = tuple(
        f"{c.id} ({c.name}) is used by {usage[c.id]} codings: keep it in the file, or merge it into another code first"
        for c in removed
        if usage[c.id]
    )
    return SyncPlan(added=added, removed=removed, changed=changed, blocked=blocked)


def apply_sync(store: Store, file: CodebookFile, plan: SyncPlan, actor: str, source: str) -> None:
    """Apply a sync plan as one action; refused whole if anything is blocked."""
    if plan.blocked:
        raise CodebookError(f"{source}: sync refused: {plan.blocked[0]}")
    with store.action("sync codebook", actor, f"synced codebook from {Path(source).name}") as changes:
        for code in plan.added:  # file order: parents before children
            changes.insert(schema.codes, code_row(code))
        for old, new in plan.changed:
            row = code_row(new)
            changes.update(schema.codes, old.id, {k: v for k, v in row.items() if k not in ("id", "guid") and code_row(old)[k] != v})
        for code in reversed(plan.removed):  # children before parents
            changes.delete(schema.codes, code.id)
        changes.summary = (
            f"synced codebook from {Path(source).name}: {len(plan.added)} added, {len(plan.changed)} changed, {len(plan.removed)} removed"
        )


def _link_path(store: Store, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else store.project_dir / path


def linked_file(store: Store) -> Path | None:
    """The YAML file this project's codebook is linked to, if any."""
    value = store.settings().get(LINK)
    return None if value is None else _link_path(store, value)


def read_any_codebook(path: Path) -> CodebookFile:
    """A codebook from YAML (.yaml/.yml) or REFI-QDA (.qdc)."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_codebook_file(path)
    if suffix == ".qdc":
        from workbench.core.codebook.qdc import qdc_to_codes

        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CodebookError(f"{path}: cannot read ({exc.strerror})") from None
        return CodebookFile(name=path.stem, version="", description="", codes=tuple(qdc_to_codes(data, str(path))))
    raise CodebookError(f"{path}: a codebook is .yaml, .yml or .qdc")


def sync_file(store: Store, path: Path, actor: str, *, apply: bool) -> SyncPlan:
    """Plan (and with `apply`, carry out) a sync from a codebook file; a YAML file becomes the linked file."""
    file = read_any_codebook(path)
    plan = plan_sync(store, file)
    if not apply:
        return plan
    if not plan.is_empty:
        apply_sync(store, file, plan, actor, str(path))
    if path.suffix.lower() not in (".yaml", ".yml"):
        return plan
    try:
        stored = str(path.resolve().relative_to(store.project_dir.resolve()))
    except ValueError:
        stored = str(path.resolve())
    store.put_settings(
        {LINK: stored, DIGEST: _digest(path.read_text(encoding="utf-8")), NAME: file.name, VERSION: file.version, DESCRIPTION: file.description}
    )
    return plan


def export_yaml(store: Store) -> str:
    """The project's codebook as YAML, with the linked file's name, version and description."""
    settings = store.settings()
    with store.reading() as conn:
        book = load_codebook(conn)
    return codebook_yaml(
        book,
        name=settings.get(NAME) or store.project().name,
        version=settings.get(VERSION, ""),
        description=settings.get(DESCRIPTION, ""),
    )


def _check_untouched(store: Store, path: Path) -> None:
    expected = store.settings().get(DIGEST)
    try:
        actual = _digest(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return  # deleted by hand: writing it again loses nothing
    if expected is not None and actual != expected:
        raise CodebookError(
            f"{path}: changed outside the workbench since the last sync; run `workbench codebook {store.project_dir} sync {path}` first"
        )


def write_linked(store: Store) -> Path | None:
    """Rewrite the linked YAML from the project (after an edit, undo or redo); refuse if edited by hand since."""
    path = linked_file(store)
    if path is None:
        return None
    _check_untouched(store, path)
    text = export_yaml(store)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # atomic: a crash leaves the old file or the new one, never half of it
    store.put_settings({DIGEST: _digest(text)})
    return path


def follow_history(store: Store, action: Action) -> Path | None:
    """After an undo or redo: rewrite the linked YAML if, and only if, that action changed the codebook."""
    if schema.codes.name not in action.touched:
        return None
    return write_linked(store)


@contextmanager
def keeping_yaml_in_sync(store: Store) -> Iterator[None]:
    """Around a codebook edit: refuse up front if the linked file was edited by hand, rewrite it after."""
    path = linked_file(store)
    if path is not None:
        _check_untouched(store, path)
    yield
    write_linked(store)
