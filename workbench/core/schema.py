"""The project database schema as SQLAlchemy Core tables; portable SQL (SQLite now, PostgreSQL later)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)

#: Bump with every migration in `migrations.py`; a fresh project is created at this version.
SCHEMA_VERSION = 7

metadata = MetaData()


def _attribute_table(name: str, owner: Column[Any]) -> Table:
    """Free key/value attributes of one owner row (a case or a document), one value per key."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        owner,
        Column("key", String(100), nullable=False),
        Column("value", Text, nullable=False),
        UniqueConstraint(owner.name, "key"),
        sqlite_autoincrement=True,
    )


schema_version = Table(
    "schema_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
)

project = Table(
    "project",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("created", String(32), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(200), primary_key=True),
)

case_attributes = _attribute_table("case_attributes", Column("case_id", String(200), ForeignKey("cases.id"), nullable=False))

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("case_id", String(200), ForeignKey("cases.id"), nullable=True),
    Column("source", Text, nullable=False, default=""),
    Column("imported", String(32), nullable=False),
    sqlite_autoincrement=True,
)

document_attributes = _attribute_table(
    "document_attributes", Column("document_id", Integer, ForeignKey("documents.id"), nullable=False)
)

turns = Table(
    "turns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("speaker", String(200), nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    UniqueConstraint("document_id", "seq"),
    CheckConstraint("start_offset >= 0 AND end_offset >= start_offset", name="turn_span"),
    sqlite_autoincrement=True,
)

codes = Table(
    "codes",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("parent_id", String(100), ForeignKey("codes.id"), nullable=True),
    Column("name", String(500), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("dimension", String(100), nullable=True),
    Column("color", String(7), nullable=True),
    Column("position", Integer, nullable=False, default=0),
    # Added in schema 2 (codebook issue): coding criteria, examples and keywords (JSON lists), and the
    # REFI-QDA guid a code keeps across exports (NULL: derived from the id).
    Column("include_criteria", Text, nullable=False, default="", server_default=""),
    Column("exclude_criteria", Text, nullable=False, default="", server_default=""),
    Column("examples", Text, nullable=False, default="[]", server_default="[]"),
    Column("keywords", Text, nullable=False, default="[]", server_default="[]"),
    Column("guid", String(36), nullable=True),
    # Added in schema 6 (REFI-QDA exchange): False for a grouping code other tools must not apply (isCodable="false").
    Column("codable", Boolean, nullable=False, default=True, server_default=true()),
)

#: Groups of codes across the tree (schema 6): REFI-QDA Sets as another tool made them, kept so an export gives them
#: back; the workbench itself never invents one. `code_ids` is a JSON list; no foreign key, so deleting or merging a
#: code is never blocked by a group, and export leaves out members that are gone.
code_sets = Table(
    "code_sets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("guid", String(38), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("code_ids", Text, nullable=False, default="[]"),
    Column("position", Integer, nullable=False, default=0),
    sqlite_autoincrement=True,
)

#: Project-wide settings (added in schema 2): the codebook's name and version, remembered choices.
settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

coders = Table(
    "coders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    sqlite_autoincrement=True,
)

codings = Table(
    "codings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    # "start"/"end" are reserved words in PostgreSQL, hence the suffix.
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("code_id", String(100), ForeignKey("codes.id"), nullable=False),
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=False),
    Column("memo", Text, nullable=False, default=""),
    Column("created", String(32), nullable=False),
    UniqueConstraint("document_id", "start_offset", "end_offset", "code_id", "coder_id"),
    CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="coding_span"),
    sqlite_autoincrement=True,
)
# No index of its own on (document_id, start_offset): the unique constraint's index leads with those columns and serves
# the same lookups (dropped in revision 0003, 3 % of the full-size project's file).
Index("ix_codings_code", codings.c.code_id)

#: A coder's memo on a whole document (added in schema 3); memos on one coding live in codings.memo.
document_memos = Table(
    "document_memos",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("updated", String(32), nullable=False),
    UniqueConstraint("document_id", "coder_id"),
    sqlite_autoincrement=True,
)

#: A reviewer's decision on one compared unit (added in schema 4): the unit counts as settled for the codes in
#: `scope` (a JSON list of code ids) even when the decision leaves no consensus coding ("neither").
consensus_decisions = Table(
    "consensus_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("scope", Text, nullable=False),
    Column("decision", String(20), nullable=False),
    # Whose codes were taken ("take") and which codes were given ("recode", a JSON list): what the decision was.
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=True),
    Column("codes", Text, nullable=False, default="[]"),
    Column("actor", String(100), nullable=False),
    Column("at", String(32), nullable=False),
    CheckConstraint("start_offset >= 0 AND end_offset >= start_offset", name="decision_span"),
    sqlite_autoincrement=True,
)
Index("ix_consensus_decisions_unit", consensus_decisions.c.document_id, consensus_decisions.c.start_offset)

#: A suggestion a coder rejected for one unit (added in schema 5): never offered again for that unit, and a negative
#: example for that code when the model learns. Undoable like a coding, hence in the history. No foreign key on
#: `code_id`, so deleting a code nobody used is never refused because a suggestion of it was once turned down.
suggestion_rejections = Table(
    "suggestion_rejections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("code_id", String(100), nullable=False),
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=False),
    Column("at", String(32), nullable=False),
    UniqueConstraint("document_id", "start_offset", "end_offset", "code_id", "coder_id"),
    CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="rejection_span"),
    sqlite_autoincrement=True,
)
Index("ix_suggestion_rejections_unit", suggestion_rejections.c.document_id, suggestion_rejections.c.start_offset)

#: Which codings were accepted suggestions (schema 5), written in the coding's own transaction. Not in the history and
#: without foreign keys: an acceptance counts only while its coding exists, so undoing the coding takes it out of the
#: acceptance rate and redoing it (same coding id) puts it back, and nothing here can block an undo.
suggestion_acceptances = Table(
    "suggestion_acceptances",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("coding_id", Integer, nullable=False, unique=True),
    Column("code_id", String(100), nullable=False),
    Column("source", String(20), nullable=False),
    Column("score", Float, nullable=False),
    Column("at", String(32), nullable=False),
    sqlite_autoincrement=True,
)

#: The lemmas of a document's text (schema 5), so a second run does no NLP work. Keyed by the text's hash, not the
#: document id: a document's text never changes, a re-import of the same text reuses it, and no row here can block
#: undoing an import. `pipeline` names the lemmatiser version: a new one ignores older rows.
lemma_cache = Table(
    "lemma_cache",
    metadata,
    Column("content_hash", String(64), nullable=False),
    Column("pipeline", String(100), nullable=False),
    Column("tokens", Text, nullable=False),
    PrimaryKeyConstraint("content_hash", "pipeline"),
)

#: A trained suggestion model (schema 5), one per scope (a coder's codings, or everyone's), with the fingerprint of the
#: codings, rejections and codebook it learned from. Stored as JSON and a NumPy archive, never as a pickle: a project
#: folder may come from someone else, and loading it must not run code.
suggestion_models = Table(
    "suggestion_models",
    metadata,
    Column("scope", String(100), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("trained", String(32), nullable=False),
    Column("meta", Text, nullable=False),
    Column("arrays", LargeBinary, nullable=False),
)

#: A coding whose words an edit of the document's text deleted (schema 6): out of `codings`, so no count, table or
#: agreement figure includes it, but kept with its code, coder, memo and words until a coder restores it on a span of
#: the new text or discards it. `anchor_offset` is where the words were, in the current text; `start_offset` and
#: `end_offset` are the coding's span in the text before that edit. No foreign key on `code_id`, as for rejections.
orphaned_codings = Table(
    "orphaned_codings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("coding_id", Integer, nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("anchor_offset", Integer, nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("code_id", String(100), nullable=False),
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=False),
    Column("memo", Text, nullable=False, default=""),
    Column("created", String(32), nullable=False),
    Column("orphaned", String(32), nullable=False),
    Column("reason", String(200), nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_orphaned_codings_document", orphaned_codings.c.document_id)

#: Who may work on a project on a team server, and as what (revision 0002): `name` is a PostgreSQL role, `role` one of
#: owner, reviewer, coder. Row-level security policies read it (see core/members.py); a SQLite project keeps it empty,
#: being single-user.
members = Table(
    "members",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("added", String(32), nullable=False),
    Column("added_by", String(100), nullable=False),
    CheckConstraint("role IN ('owner', 'reviewer', 'coder')", name="member_role"),
)

actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("summary", Text, nullable=False),
    # JSON list of row changes (core/history.py); NULL for entries that cannot be undone (project creation, a redo). On
    # an undo (revision 0003), NULL or a JSON object {"kept": [...]}: the rows it took back of inserts logged by
    # reference, which its redo puts back. The log is append-only, so an undo entry is where they are written once.
    Column("changes", Text, nullable=True),
    Column("target_id", Integer, ForeignKey("actions.id"), nullable=True),
    # The database user who wrote the entry (revision 0004): on a team server the server fills it in and a member may
    # write only their own; empty on SQLite and for entries written before.
    Column("author", String(100), nullable=True),
    sqlite_autoincrement=True,
)
# A redo finds the rows its action's undo kept by `target_id`.
Index("ix_actions_target", actions.c.target_id)

#: Tables whose rows the history may insert, update or delete, by name.
HISTORY_TABLES: dict[str, Table] = {
    t.name: t
    for t in (project, settings, cases, case_attributes, documents, document_attributes, turns, codes, code_sets, coders, codings,
              document_memos, consensus_decisions, suggestion_rejections, orphaned_codings)
}
