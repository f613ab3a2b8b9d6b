"""One error family for everything the user can get wrong; front ends show `str(error)` as one line."""

from __future__ import annotations


class WorkbenchError(Exception):
    """A problem the user can act on; its message is one line that names the file or object and the problem."""

    title = "Error"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        if title is not None:
            self.title = title


class StoreError(WorkbenchError):
    """The project store cannot be created, opened or written."""

    title = "Project store"


class NotPermittedError(StoreError):
    """On a team server, the member's role does not allow the change (privileges or row-level security said no)."""


class ProjectNotFoundError(StoreError):
    """A folder is not a workbench project."""


class CodingError(WorkbenchError):
    """A coding is invalid: unknown document or code, offsets outside the text, a duplicate."""

    title = "Coding"


class CodebookError(WorkbenchError):
    """The codebook is invalid or an operation on it would break it."""

    title = "Codebook"


class ImportError_(WorkbenchError):
    """A source file cannot be imported (trailing underscore: the builtin ImportError means something else)."""

    title = "Import"


class AlreadyImportedError(ImportError_):
    """The same document (by name or content) is already in the project; re-importing is skipped."""


class HistoryError(WorkbenchError):
    """Nothing to undo or redo."""

    title = "History"


class AgreementError(WorkbenchError):
    """Coders cannot be compared as asked: fewer than two, an unknown coder, code or unit, no document in common."""

    title = "Agreement"


class SuggestError(WorkbenchError):
    """Suggestions cannot be made or evaluated as asked: no codebook, nothing coded to learn from, an unknown unit."""

    title = "Suggestions"


class SuggestCancelled(SuggestError):
    """Work on suggestions stopped because nobody waits for it any more (the screen closed, the app quit)."""


class TextEditError(WorkbenchError):
    """A document's text cannot be replaced as asked: empty, the same as another document's, changed meanwhile."""

    title = "Edit"


def database_reason(exc: BaseException) -> str:
    """What went wrong in the database, safe to show: the driver's message, never the SQL statement or its parameters.

    SQLAlchemy's `str(exc)` appends the statement and its bound parameters (respondent ids, transcript text), so a
    message built from it would carry personal data to a screen or a log; the driver's own message names only tables,
    columns and constraints.
    """
    original = getattr(exc, "orig", None)
    if isinstance(original, BaseException):
        return f"{type(original).__name__}: {original}".splitlines()[0]
    if type(exc).__module__.startswith("sqlalchemy"):
        return type(exc).__name__
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def is_database_error(exc: BaseException) -> bool:
    """Whether `exc` comes from SQLAlchemy, whose message may carry SQL parameters (see `database_reason`)."""
    return type(exc).__module__.startswith("sqlalchemy")


class MemberError(WorkbenchError):
    """A member of a team-server project cannot be added, changed or removed."""

    title = "Members"
