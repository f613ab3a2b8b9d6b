"""Keeping a project's codebook and its YAML file in step: plan and apply a sync, rewrite the file with each edit.

A project can be linked to one YAML file. `sync` brings the file's changes into the project (after
showing what will change); edits made in the workbench (`edit_codebook`), and undoing or redoing them
(`step_history`), rewrite the file inside the edit's transaction, so the two never disagree: if the file
cannot be written, or someone changed it by hand since, the edit is rolled back rather than overwriting
their work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Generic, Literal, TypeVar

from sqlalchemy import Connection, delete, insert, select

from workbench.core import schema
from workbench.core.codebook.edit import code_usage
from workbench.core.codebook.sets import load_code_sets, replace_code_sets
from workbench.core.codebook.tree import code_row, load_codebook
from workbench.core.codebook.yaml_file import MAX_FILE_BYTES, CodebookFile, codebook_yaml, read_codebook_file
from workbench.core.files import WriteError, check_target, os_error_line, write_atomically
from workbench.core.model import Action, Code, CodeSet
from workbench.core.reading import read_capped
from workbench.core.store import Store
from workbench.errors import CodebookError

LINK = "codebook.file"
DIGEST = "codebook.sha256"
NAME, VERSION, DESCRIPTION = "codebook.name", "codebook.version", "codebook.description"
_COMPARED = tuple(f.name for f in fields(Code) if f.name not in ("id", "guid"))
T = TypeVar("T")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SyncPlan:
    """What syncing a YAML file into the project will change."""

    added: tuple[Code, ...] = ()
    removed: tuple[Code, ...] = ()
    changed: tuple[tuple[Code, Code], ...] = ()
    blocked: tuple[str, ...] = field(default=())
    #: The file's code sets when they differ from the project's (None: the sets stay as they are).
    sets: tuple[CodeSet, ...] | None = None

    @property
    def is_empty(self) -> bool:
        """True when the project already matches the file."""
        return not (self.added or self.removed or self.changed) and self.sets is None

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
        if self.sets is not None:
            names = ", ".join(repr(s.name) for s in self.sets) or "none"
            out.append(f"~ code sets become: {names}")
        out += [f"! {reason}" for reason in self.blocked]
        return out


def plan_sync(store: Store, file: CodebookFile) -> SyncPlan:
    """Compare a codebook file with the project's codebook; removing a code that is in use is blocked."""
    with store.reading() as conn:
        current = load_codebook(conn)
        current_sets = load_code_sets(conn)
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
    sets = file.sets if file.sets is not None and file.sets != current_sets else None
    return SyncPlan(added=added, removed=removed, changed=changed, blocked=blocked, sets=sets)


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
        if plan.sets is not None:
            replace_code_sets(changes, plan.sets)
        changes.summary = (
            f"synced codebook from {Path(source).name}: {len(plan.added)} added, {len(plan.changed)} changed, {len(plan.removed)} removed"
        )


def _link_path(project_dir: Path, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else project_dir / path


def read_any_codebook(path: Path, known_guids: Mapping[str, str] | None = None) -> CodebookFile:
    """A codebook from YAML (.yaml/.yml) or REFI-QDA (.qdc); `known_guids` gives a .qdc's codes the project's ids."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_codebook_file(path)
    if suffix == ".qdc":
        from workbench.core.codebook.qdc import read_qdc

        data = read_capped(path, MAX_FILE_BYTES, CodebookError, "a codebook")
        read = read_qdc(data, str(path), known_guids)
        return CodebookFile(name=path.stem, version="", description="", codes=read.codes, sets=read.sets)
    raise CodebookError(f"{path}: a codebook is .yaml, .yml or .qdc")


def sync_file(store: Store, path: Path, actor: str, *, apply: bool) -> SyncPlan:
    """Plan (and with `apply`, carry out) a sync from a codebook file; a YAML file becomes the linked file."""
    from workbench.core.codebook.qdc import guid_ids

    with store.reading() as conn:
        known_guids = guid_ids(load_codebook(conn))
    file = read_any_codebook(path, known_guids)
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
    digest = _digest(path.read_text(encoding="utf-8"))
    store.put_settings({LINK: stored, DIGEST: digest, NAME: file.name, VERSION: file.version, DESCRIPTION: file.description})
    return plan


def _settings(conn: Connection) -> dict[str, str]:
    return {r.key: r.value for r in conn.execute(select(schema.settings))}


def _yaml_text(conn: Connection, over: str | None = None) -> str:
    """The codebook as YAML; with `over`, written over that old text of the file, keeping its comments."""
    settings = _settings(conn)
    name = settings.get(NAME) or str(conn.execute(select(schema.project.c.name)).scalar_one())
    version, description = settings.get(VERSION, ""), settings.get(DESCRIPTION, "")
    if over is not None:
        from workbench.core.codebook.yaml_roundtrip import rewrite_codebook_yaml

        return rewrite_codebook_yaml(over, load_codebook(conn), name=name, version=version, description=description)
    return codebook_yaml(load_codebook(conn), name=name, version=version, description=description)


def export_yaml(store: Store) -> str:
    """The project's codebook as YAML, with the linked file's name, version and description."""
    with store.reading() as conn:
        return _yaml_text(conn)


@dataclass(frozen=True)
class Uncommitted:
    """A project in the middle of a transaction: its folder (a relative link starts there) and that transaction."""

    project_dir: Path
    conn: Connection


@dataclass(frozen=True)
class _Rewrite:
    """A linked file rewritten inside a transaction not yet committed: what to put back if the commit fails."""

    path: Path
    old_text: str | None
    new_digest: str


def write_linked(project: Uncommitted) -> Path | None:
    """Rewrite the linked YAML from the codebook as the transaction sees it, and store its digest in that transaction.

    Refused when someone changed the file by hand since the last sync or write, so their work is never overwritten.
    """
    rewrite = _write_linked(project)
    return None if rewrite is None else rewrite.path


def _write_linked(project: Uncommitted) -> _Rewrite | None:
    settings = _settings(project.conn)
    if LINK not in settings:
        return None
    path = _link_path(project.project_dir, settings[LINK])
    # Before reading it too: a link put in its place (to /dev/zero, to other notes) is neither read nor written.
    check_target(path, "the codebook", replace=True)
    try:
        # Undecodable bytes cannot match the digest of the UTF-8 text written last, so they count as a hand edit.
        old_text: str | None = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        old_text = None  # deleted by hand: writing it again loses nothing
    expected = settings.get(DIGEST)
    if old_text is not None and expected is not None and _digest(old_text) != expected:
        raise CodebookError(
            f"{path}: changed outside the workbench since the last sync; run `workbench codebook {project.project_dir} sync {path}` first"
        )
    # Over the old file, so the researcher's comments and layout stay; a missing file is written afresh.
    text = _yaml_text(project.conn) if old_text is None else _yaml_text(project.conn, over=old_text)
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8", newline=""), "the codebook", replace=True)
    s = schema.settings
    project.conn.execute(delete(s).where(s.c.key == DIGEST))
    project.conn.execute(insert(s).values(key=DIGEST, value=_digest(text)))
    return _Rewrite(path, old_text, _digest(text))


def _undo_rewrite(store: Store, rewrite: _Rewrite) -> None:
    """After a failed commit, put the file back as the committed digest knows it, so the next edit needs no sync."""
    with store.reading() as conn:
        committed = _settings(conn).get(DIGEST)
    if committed == rewrite.new_digest:
        return  # the commit went through after all: the file is right
    try:
        if rewrite.old_text is None:
            rewrite.path.unlink(missing_ok=True)
        else:
            old = rewrite.old_text
            write_atomically(rewrite.path, lambda temp: temp.write_text(old, encoding="utf-8", newline=""), "the codebook", replace=True)
    except (WriteError, OSError):
        pass  # the file stays ahead of the project; its digest differs, so the next edit asks for a sync, never guesses


@contextmanager
def _yaml_following(store: Store) -> Iterator[list[Path]]:
    """While the block runs, each commit that changes the codes rewrites the linked YAML first, or is rolled back.

    Yields the list the written paths are added to. The file is replaced just before the transaction commits, so a
    failed write leaves both as they were; should the commit itself fail after a good write, the old file is put
    back (and if even that fails, its digest no longer matches, so the next edit asks for a sync instead of guessing).
    """
    written: list[Path] = []
    last: list[_Rewrite] = []

    def check(conn: Connection, touched: frozenset[str]) -> None:
        if schema.codes.name not in touched:
            return
        try:
            rewrite = _write_linked(Uncommitted(store.project_dir, conn))
        except WriteError as exc:
            raise CodebookError(f"{exc}; nothing changed") from None
        except OSError as exc:
            # Reading the file for the hand-edit check: it may have become a folder, or its folder a file.
            raise CodebookError(f"{os_error_line(exc)}; nothing changed") from None
        if rewrite is not None:
            written.append(rewrite.path)
            last[:] = [rewrite]

    try:
        with store.checking_commits(check):
            yield written
    except BaseException:
        if last:
            _undo_rewrite(store, last[0])
        raise


@dataclass(frozen=True)
class Edited(Generic[T]):
    """What a codebook edit returned, and the linked YAML file it rewrote (None when the project has none)."""

    result: T
    yaml_path: Path | None


def edit_codebook(store: Store, operation: Callable[[], T]) -> Edited[T]:
    """Run a codebook edit (a call into `edit` or `tree`) with the linked YAML rewritten in the same transaction.

    If the file cannot be written (a missing folder, a full disk, edited by hand since the last sync) the edit is
    rolled back and a CodebookError names the file and the problem: the project and the file stay as they were.
    """
    with _yaml_following(store) as written:
        result = operation()
    return Edited(result, written[-1] if written else None)


@dataclass(frozen=True)
class HistoryStep:
    """An undo or redo: the action it undid or redid, and the linked YAML it rewrote (None if it left the codes alone)."""

    action: Action
    yaml_path: Path | None


def step_history(store: Store, direction: Literal["undo", "redo"], actor: str, coder: str | None = None) -> HistoryStep:
    """Undo or redo the latest action (of `coder`, or anyone's); the linked YAML follows when the codes changed."""
    with _yaml_following(store) as written:
        action = store.undo(actor, coder) if direction == "undo" else store.redo(actor, coder)
    return HistoryStep(action, written[-1] if written else None)
