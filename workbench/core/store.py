"""The project store: one SQLite file per project folder (WAL, foreign keys on) or a PostgreSQL database on a team
server, with the same tables and one transaction per action on either."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Row, RowMapping, and_, delete, func, insert, select, text
from sqlalchemy.exc import DatabaseError, DBAPIError, IntegrityError, OperationalError

from workbench.core import history, schema, schema_upgrade
from workbench.core.database import Location, is_project, location, make_engine, server_location, write_server_file
from workbench.core.log_rights import check_replay_rights, could_replay
from workbench.core.model import Action, Project
from workbench.errors import HistoryError, NotPermittedError, ProjectNotFoundError, StoreError, WorkbenchError, database_reason
from workbench.locations import project_db_path

#: A last step of an action inside its transaction, given the connection and the tables the action wrote: raising
#: rolls the action back. It lets a file that mirrors the database (the linked codebook YAML) commit with it.
CommitCheck = Callable[[Connection, frozenset[str]], None]


def timestamp() -> str:
    """Now, as the UTC ISO-8601 text every stored time uses."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """An open project database."""

    def __init__(self, project_dir: Path, engine: Engine, where: Location | None = None) -> None:
        self.project_dir = project_dir
        self.db_path = project_db_path(project_dir)
        self.engine = engine
        self.where = where or Location(str(engine.url), str(self.db_path), server=False)
        #: How the project's data is named in messages: the SQLite file, or "dbname on host".
        self.label = self.where.label
        # Per thread, so a check set around one edit never runs for an import that a worker thread commits meanwhile.
        self._local = threading.local()
        self._user: str | None = None

    @property
    def on_server(self) -> bool:
        """Whether the data lives on a database server (shared by a team) rather than in a file of the folder."""
        return self.where.server

    @property
    def user(self) -> str | None:
        """The PostgreSQL role this session works as on a team server (a coder's name there), None for SQLite."""
        if not self.on_server:
            return None
        if self._user is None:
            with self.reading() as conn:
                self._user = str(conn.execute(text("SELECT current_user")).scalar_one())
        return self._user

    def member_role(self) -> str | None:
        """This session's role in the project (owner, reviewer, coder); None if not a member. SQLite: always owner."""
        if not self.on_server:
            return "owner"
        with self.reading() as conn:
            return _member_role(conn)

    # -- opening ---------------------------------------------------------------------------------------

    @classmethod
    def create(
        cls, project_dir: Path, name: str, description: str = "", actor: str = "workbench", database: str | None = None
    ) -> Store:
        """Create a new project in `project_dir` (created if missing); refuse to overwrite a project.

        With `database` (a postgresql:// URL of an empty database) the data lives on that server and the folder keeps
        only the URL; without it, in a SQLite file in the folder.
        """
        project_dir = Path(project_dir)
        if is_project(project_dir):
            raise StoreError(f"{project_dir}: already a workbench project")
        if project_dir.exists() and not project_dir.is_dir():
            raise StoreError(f"{project_dir}: exists and is not a folder")
        where = server_location(database) if database is not None else location(project_dir)
        made_folder = not project_dir.exists()
        try:
            project_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{project_dir}: cannot create folder ({exc.strerror})") from exc
        store = cls(project_dir, make_engine(where), where)
        try:
            with store._write() as conn:
                if where.server and store._has_tables(conn):
                    raise StoreError(f"{where.label}: the database is not empty; give an empty one (createdb NAME)")
                schema_upgrade.create(conn)
                conn.execute(insert(schema.project).values(id=1, name=name, description=description, created=timestamp()))
                conn.execute(
                    insert(schema.actions).values(
                        at=timestamp(), actor=actor, kind="new", summary=f"created project {name!r}", changes=None
                    )
                )
            if database is not None:
                write_server_file(project_dir, database)
        except BaseException as exc:
            store.close()
            if not where.server:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{store.db_path}{suffix}").unlink(missing_ok=True)
            if made_folder:
                shutil.rmtree(project_dir, ignore_errors=True)  # a refused `new` leaves no empty folder behind
            if isinstance(exc, DBAPIError):
                raise StoreError(f"{where.label}: cannot create the project ({database_reason(exc)})") from exc
            raise
        return store

    @staticmethod
    def _has_tables(conn: Connection) -> bool:
        return bool(conn.dialect.get_table_names(conn))

    @classmethod
    def open(cls, project_dir: Path) -> Store:
        """Open an existing project, upgrading its schema if it is older than this workbench (a SQLite file is
        backed up first)."""
        project_dir = Path(project_dir)
        if not is_project(project_dir):
            raise ProjectNotFoundError(
                f"{project_dir}: not a workbench project (no {project_db_path(project_dir).name}; create one with `workbench new`)"
            )
        where = location(project_dir)
        store = cls(project_dir, make_engine(where), where)
        try:
            store._check_schema()
            if where.server:
                store._check_member()
        except DBAPIError as exc:
            store.close()
            if getattr(exc.orig, "sqlstate", None) == "42501":
                raise store._not_allowed(project_dir) from exc
            raise StoreError(f"{where.label}: cannot open project ({database_reason(exc)})") from exc
        except BaseException:
            store.close()
            raise
        return store

    def _check_schema(self) -> None:
        try:
            with self.reading() as conn:
                pending = schema_upgrade.pending(conn, self.label)
            if not pending:
                return
            if not self.on_server:
                from workbench.core.backups import take_backup

                take_backup(self)
            with self._write() as conn:
                if schema_upgrade.pending(conn, self.label):
                    schema_upgrade.upgrade(conn)
        except DatabaseError as exc:
            if getattr(exc.orig, "sqlstate", None) == "42501":
                raise  # a server's refusal: Store.open says who may not open it and why
            raise StoreError(f"{self.label}: not a readable workbench database ({exc.orig})") from exc

    def _check_member(self) -> None:
        with self.reading() as conn:
            if _member_role(conn) is None and not conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
                raise self._not_allowed(self.project_dir)

    def _not_allowed(self, project_dir: Path) -> StoreError:
        """Why this session may not open the project: not a member, or a member who cannot run a pending upgrade."""
        with self.engine.connect() as conn:
            user = str(conn.execute(text("SELECT current_user")).scalar_one())
            member = conn.dialect.has_table(conn, "members") and conn.execute(
                text("SELECT has_table_privilege('members', 'SELECT')")
            ).scalar()
        if member:
            return StoreError(f"{self.label}: {user} may not open the project: its schema needs an upgrade that only its owner can run")
        return StoreError(f"{self.label}: {user} is not a member of this project; its owner adds you with "
                          f"`workbench members {project_dir} add {user} --role coder`")

    def close(self) -> None:
        """Release the database; the WAL is checkpointed by SQLite when the last connection closes."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------------------------

    def failure(self, what: str, exc: DBAPIError) -> StoreError:
        """The one-line error for a database failure: what was not done, and why in the user's terms."""
        if isinstance(exc, IntegrityError):
            return StoreError(f"{self.label}: {what}: it conflicts with the stored data, perhaps changed by someone "
                              f"else meanwhile ({database_reason(exc)})")
        sqlstate = getattr(exc.orig, "sqlstate", None)
        if sqlstate == "42501":  # insufficient_privilege, or a row-level security policy said no
            return NotPermittedError(f"{self.label}: {what}: your role in this project does not allow it ({database_reason(exc)})")
        if sqlstate in ("40001", "40P01"):  # serialization failure, deadlock: a concurrent action won
            return StoreError(f"{self.label}: {what}: another user changed the same data at the same moment; try again")
        return StoreError(f"{self.label}: {what} ({database_reason(exc)})")

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    def _serialise(self, conn: Connection, name: str) -> None:
        """Make concurrent transactions that read and then write `name` take turns.

        SQLite's IMMEDIATE transactions already do; PostgreSQL runs READ COMMITTED, so a transaction-scoped advisory
        lock does, released at commit or rollback.
        """
        if self.on_server:
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": f"workbench:{name}"})

    def _announce(self, conn: Connection, actor: str) -> None:
        """Tell other sessions on the server that the project changed (delivered at commit; see core/watch.py)."""
        if self.on_server:
            conn.execute(text("SELECT pg_notify('workbench', :actor)"), {"actor": actor})

    @contextmanager
    def bookkeeping(self) -> Iterator[Connection]:
        """A write transaction for what no user would undo (caches of lemmas and models): not in the action log.

        Begun IMMEDIATE like every write, so writers queue; a failure is a StoreError, which callers treat as
        "not kept this time".
        """
        try:
            with self._write() as conn:
                yield conn
        except DBAPIError as exc:
            raise self.failure("not saved", exc) from exc

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction: a consistent snapshot for the duration of the block."""
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except OperationalError as exc:
            raise self.failure("cannot read", exc) from exc

    @contextmanager
    def checking_commits(self, check: CommitCheck) -> Iterator[None]:
        """While the block runs, every action, undo and redo this thread commits calls `check` first, in its transaction."""
        checks = self._commit_checks()
        checks.append(check)
        try:
            yield
        finally:
            checks.remove(check)

    def _commit_checks(self) -> list[CommitCheck]:
        checks: list[CommitCheck] | None = getattr(self._local, "checks", None)
        if checks is None:
            checks = self._local.checks = []
        return checks

    def _before_commit(self, conn: Connection, touched: frozenset[str]) -> None:
        for check in tuple(self._commit_checks()):
            check(conn, touched)

    @contextmanager
    def action(self, kind: str, actor: str, summary: str = "") -> Iterator[history.Changes]:
        """One user action: one transaction whose row changes are logged so they can be undone.

        Either every change and its log entry are committed, or nothing is: a failure anywhere inside the
        block, or in a check set with `checking_commits`, rolls the whole action back.
        """
        try:
            with self._write() as conn:
                changes = history.Changes(conn)
                changes.summary = summary
                yield changes
                if changes.items:
                    conn.execute(
                        insert(schema.actions),
                        {"at": timestamp(), "actor": actor, "kind": kind, "summary": changes.summary, "changes": changes.to_json()},
                    )
                    self._before_commit(conn, frozenset(item["table"] for item in changes.items))
                    self._announce(conn, actor)
        except DBAPIError as exc:
            raise self.failure(f"{kind} not saved", exc) from exc

    def note(self, kind: str, actor: str, summary: str) -> None:
        """Log an entry that cannot be undone (a restore, a forgotten case): the audit trail of what was done."""
        with self.administering(kind, actor, summary):
            pass

    @contextmanager
    def administering(self, kind: str, actor: str, summary: str) -> Iterator[Connection]:
        """A write that is logged but cannot be undone (members and their rights): it and its log entry commit together."""
        try:
            with self._write() as conn:
                yield conn
                conn.execute(insert(schema.actions).values(at=timestamp(), actor=actor, kind=kind, summary=summary, changes=None))
                self._announce(conn, actor)
        except DBAPIError as exc:
            raise self.failure(f"{kind} not saved", exc) from exc

    # -- project and history ---------------------------------------------------------------------------

    def project(self) -> Project:
        """The project's name, description and creation time."""
        with self.reading() as conn:
            row = conn.execute(select(schema.project)).mappings().one()
        return Project(name=row["name"], description=row["description"], created=row["created"])

    def settings(self) -> dict[str, str]:
        """Project settings (the linked codebook file, remembered choices)."""
        with self.reading() as conn:
            return {r.key: r.value for r in conn.execute(select(schema.settings))}

    def put_settings(self, values: dict[str, str]) -> None:
        """Store settings as bookkeeping: one transaction, not an undoable user action."""
        s = schema.settings
        with self._write() as conn:
            for key, value in values.items():
                conn.execute(delete(s).where(s.c.key == key))
                conn.execute(insert(s).values(key=key, value=value))

    def actions(self) -> list[Action]:
        """The whole action log, oldest first: the project's audit trail."""
        with self.reading() as conn:
            return _actions(conn)

    def stacks(self, coder: str | None = None) -> history.Stacks:
        """Undo and redo stacks, of one coder's actions or (None) of everybody's."""
        with self.reading() as conn:
            return _stacks(conn, coder)

    def undo(self, actor: str, coder: str | None = None) -> Action:
        """Undo the latest action not yet undone (of `coder`, or of anyone); return the action undone."""
        return self._step("undo", actor, coder)

    def redo(self, actor: str, coder: str | None = None) -> Action:
        """Redo the most recently undone action (of `coder`, or of anyone); return the action redone."""
        return self._step("redo", actor, coder)

    def _step(self, kind: str, actor: str, coder: str | None) -> Action:
        a = schema.actions
        try:
            with self._write() as conn:
                # The stack is read under the write lock: two processes undoing at once undo two actions, not one twice.
                self._serialise(conn, "history")
                current = _stacks(conn, coder)
                pending = current.done if kind == "undo" else current.undone
                if not pending:
                    whose = f" of {coder}" if coder else ""
                    raise HistoryError(f"{self.project_dir}: nothing{whose} to {kind}")
                target_id = pending[-1]
                later = [i for i in (current if coder is None else _stacks(conn, None)).done if i > target_id]
                target = conn.execute(select(a).where(a.c.id == target_id)).mappings().one()
                try:
                    self._check_replay(conn, target, backwards=(kind == "undo"))
                    retexted = history.retexted_documents(target["changes"])
                except NotPermittedError as exc:
                    raise NotPermittedError(f"{self.project_dir}: cannot {kind} #{target_id} ({target['summary']}): {exc}") from exc
                except (KeyError, TypeError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
                    raise HistoryError(
                        f"{self.project_dir}: cannot {kind} #{target_id} ({target['summary']}): its log entry is damaged "
                        f"({type(exc).__name__}); `workbench check` lists what is wrong"
                    ) from exc
                if retexted and later:
                    # Another coder's codings made on the text since (undo), or on the old text meanwhile (redo).
                    for (changes,) in conn.execute(select(a.c.changes).where(a.c.id.in_(later))):
                        if history.anchored_documents(conn, changes) & retexted:
                            raise HistoryError(
                                f"{self.project_dir}: cannot {kind} #{target_id} ({target['summary']}): later codings on that "
                                "document's text depend on it; undo those first"
                            )
                try:
                    kept = history.replay(conn, target["changes"], backwards=(kind == "undo"), action_id=target_id)
                except (KeyError, TypeError) as exc:
                    raise HistoryError(
                        f"{self.project_dir}: cannot {kind} #{target_id} ({target['summary']}): its log entry is damaged "
                        f"({type(exc).__name__}); `workbench check` lists what is wrong"
                    ) from exc
                except history.ChangedSince as exc:
                    raise HistoryError(
                        f"{self.project_dir}: cannot {kind} #{target_id} ({target['summary']}): later changes depend on it ({exc})"
                    ) from exc
                except NotPermittedError as exc:
                    raise NotPermittedError(f"{self.project_dir}: cannot {kind} #{target_id} ({target['summary']}): {exc}") from exc
                except (StoreError, IntegrityError) as exc:
                    raise HistoryError(
                        f"{self.project_dir}: cannot {kind} #{target_id} ({target['summary']}): later changes depend on it"
                    ) from exc
                conn.execute(
                    insert(a).values(
                        at=timestamp(), actor=actor, kind=kind, summary=f"{kind} #{target_id}: {target['summary']}",
                        changes=kept, target_id=target_id,
                    )
                )
                self._before_commit(conn, history.touched_tables(target["changes"]))
                self._announce(conn, actor)
        except DBAPIError as exc:
            raise self.failure(f"{kind} not saved", exc) from exc
        return Action(
            id=target["id"], at=target["at"], actor=target["actor"], kind=target["kind"], summary=target["summary"], undoable=True,
            touched=history.touched_tables(target["changes"]),
        )

    def _check_replay(self, conn: Connection, target: RowMapping, *, backwards: bool) -> None:
        """On a team server, refuse to replay another member's entry beyond what that member may change (core/log_rights.py)."""
        author = target["author"]
        if not self.on_server or author is None or author == self.user:
            return  # one's own entry replays with one's own rights, which the database checks as it writes
        check_replay_rights(conn, target["changes"], author, action_id=target["id"], backwards=backwards)


#: Whether a log entry can be undone: it has a change set and is not itself an undo or redo (an undo's entry may keep
#: rows for its redo, core/history.py, and is never itself undone).
_UNDOABLE = and_(schema.actions.c.changes.is_not(None), schema.actions.c.kind.not_in(("undo", "redo"))).label("undoable")


def _actions(conn: Connection) -> list[Action]:
    a = schema.actions
    rows = conn.execute(select(a.c.id, a.c.at, a.c.actor, a.c.kind, a.c.summary, a.c.target_id, _UNDOABLE).order_by(a.c.id)).all()
    return [
        Action(id=r.id, at=r.at, actor=r.actor, kind=r.kind, summary=r.summary, undoable=bool(r.undoable), target_id=r.target_id)
        for r in rows
    ]


def _member_role(conn: Connection) -> str | None:
    m = schema.members
    role = conn.execute(select(m.c.role).where(m.c.name == func.current_user())).scalar()
    return None if role is None else str(role)


def _stacks(conn: Connection, coder: str | None) -> history.Stacks:
    a = schema.actions
    rows = conn.execute(select(a.c.id, a.c.actor, a.c.kind, _UNDOABLE, a.c.target_id, a.c.author).order_by(a.c.id)).all()
    if conn.dialect.name == "postgresql":
        rows = _credible(conn, rows)
    entries = (history.LogEntry(r.id, r.actor, r.kind, bool(r.undoable), r.target_id) for r in rows)
    if coder is None:
        return history.stacks(entries)
    return history.stacks(entries, include=lambda e: e.actor == coder)


def _credible(conn: Connection, rows: Sequence[Row[Any]]) -> list[Row[Any]]:
    """The log without undo and redo entries of another member's action that their writer could not have replayed.

    A coder may add to the log; an "undo" of someone else's action written by hand would otherwise take that action
    off its author's undo stack though nothing was undone (see log_rights.could_replay).
    """
    authors = {r.id: r.author for r in rows}
    return [
        r for r in rows
        if r.kind not in ("undo", "redo") or r.target_id is None or r.author is None or r.author == authors.get(r.target_id)
        or could_replay(conn, r.target_id, r.author, backwards=(r.kind == "undo"))
    ]


def open_or_explain(project_dir: Path, *, backup: bool = True) -> Store:
    """Open a project as the front ends do; any failure becomes a WorkbenchError naming the folder.

    With `backup`, the project is first copied to its backups folder unless the newest backup already holds its
    last action (see core/backups.py); a backup that cannot be made never stops the work.
    """
    try:
        store = Store.open(project_dir)
    except WorkbenchError:
        raise
    except (sqlite3.Error, DatabaseError, OSError) as exc:
        raise StoreError(f"{project_dir}: cannot open project ({database_reason(exc)})") from exc
    if backup and not store.on_server:
        from workbench.core.backups import backup_on_open

        with contextlib.suppress(WorkbenchError, OSError, sqlite3.Error, DatabaseError):
            backup_on_open(store)
    return store
