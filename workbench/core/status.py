"""A project at a glance: what `workbench status` prints and the TUI's header shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from workbench.core import schema, schema_upgrade
from workbench.core.store import Store


@dataclass(frozen=True)
class ProjectStatus:
    """Counts and the latest action of a project."""

    name: str
    folder: str
    created: str
    #: The schema's revision in the migration history (core/alembic/versions).
    schema_version: str
    documents_by_kind: tuple[tuple[str, int], ...]
    cases: int
    codes: int
    codings_by_coder: tuple[tuple[str, int], ...]
    last_action: str
    #: Codings whose words a text edit deleted, waiting for review (`workbench orphans`).
    orphans: int = 0
    #: Where the data lives and who may change it: a single-user SQLite file, or a team server and this session's role.
    storage: str = ""

    def lines(self) -> list[tuple[str, str]]:
        """Label/value pairs in display order."""
        documents = sum(n for _, n in self.documents_by_kind)
        codings = sum(n for _, n in self.codings_by_coder)
        kinds = ", ".join(f"{n} {k}" for k, n in self.documents_by_kind)
        coders = ", ".join(f"{c} {n}" for c, n in self.codings_by_coder)
        return [
            ("project", self.name),
            ("folder", self.folder),
            *([("storage", self.storage)] if self.storage else []),
            ("created", self.created),
            ("schema version", self.schema_version),
            ("documents", f"{documents}" + (f" ({kinds})" if kinds else "")),
            ("cases", str(self.cases)),
            ("codes", str(self.codes)),
            ("codings", f"{codings}" + (f" ({coders})" if coders else "")),
            *([("orphaned codings", f"{self.orphans} (review: workbench orphans)")] if self.orphans else []),
            ("last action", self.last_action),
        ]


def project_status(store: Store) -> ProjectStatus:
    """Read the project's counts in one snapshot."""
    d, c, k, a = schema.documents, schema.codings, schema.coders, schema.actions
    with store.reading() as conn:
        kinds = Counter({kind: n for kind, n in conn.execute(select(d.c.kind, func.count()).group_by(d.c.kind))})
        by_coder = conn.execute(select(k.c.name, func.count()).join(c, c.c.coder_id == k.c.id).group_by(k.c.name).order_by(k.c.name)).all()
        last = conn.execute(select(a.c.id, a.c.at, a.c.actor, a.c.summary).order_by(a.c.id.desc()).limit(1)).first()
        project = conn.execute(select(schema.project)).mappings().one()
        return ProjectStatus(
            name=project["name"],
            folder=str(store.project_dir),
            created=project["created"],
            schema_version=schema_upgrade.current(conn) or "unknown",
            documents_by_kind=tuple(sorted(kinds.items())),
            cases=int(conn.execute(select(func.count()).select_from(schema.cases)).scalar_one()),
            codes=int(conn.execute(select(func.count()).select_from(schema.codes)).scalar_one()),
            codings_by_coder=tuple((name, int(n)) for name, n in by_coder),
            last_action=f"#{last.id} {last.at} {last.actor}: {last.summary}" if last else "none",
            orphans=int(conn.execute(select(func.count()).select_from(schema.orphaned_codings)).scalar_one()),
            storage=_storage(store),
        )


def _storage(store: Store) -> str:
    if not store.on_server:
        return f"{store.label} (single-user: whoever can open the file can change everything)"
    return f"team server, {store.label}; you are {store.user} ({store.member_role() or 'not a member'})"
