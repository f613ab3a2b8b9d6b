"""Planning an import from the paths a user gives: files and folders (searched to any depth) sorted into what to import.

Both front ends plan the same way: hidden files and folders are left out, a folder's files that no importer reads
are counted rather than tried, spreadsheets are set apart (they need a column mapping), and a path that does not
exist is reported instead of stopping the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.importers import is_document_file, is_questionnaire_file

#: A REFI-QDA project: an archive (.qdpx) or its bare project file (.qde).
PROJECT_EXTENSIONS = (".qdpx", ".qde")


@dataclass(frozen=True)
class PathProblem:
    """A path given by the user that is not imported, and why (one line)."""

    path: Path
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass(frozen=True)
class ImportPlan:
    """What to do with the given paths: documents to import, questionnaires, files skipped and paths that failed."""

    #: Files for the document readers; a file named on purpose is tried even in an unknown format, so its error
    #: lists the formats there are.
    documents: tuple[Path, ...] = ()
    questionnaires: tuple[Path, ...] = ()
    #: REFI-QDA projects (.qdpx, .qde): imported whole, codes and codings included (`workbench.exchange.qdpx_import`).
    projects: tuple[Path, ...] = ()
    #: Files found in the given folders that no importer reads (notes to self, images): counted, never tried.
    unsupported: tuple[Path, ...] = ()
    errors: tuple[PathProblem, ...] = ()

    @property
    def skipped_note(self) -> str | None:
        """ "skipped 3 unsupported files", or None when nothing was skipped."""
        count = len(self.unsupported)
        if not count:
            return None
        return f"skipped {count} unsupported file" + ("" if count == 1 else "s")


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _files_below(folder: Path) -> Iterator[Path]:
    """Every file below `folder`, depth first in name order, leaving hidden files and folders out."""
    for root, folders, files in os.walk(folder):
        # Pruning in place stops os.walk from entering hidden folders (.git, .Trash) at all.
        folders[:] = sorted(name for name in folders if not _hidden(name))
        for name in sorted(files):
            if not _hidden(name):
                yield Path(root) / name


def plan_import(paths: Iterable[Path]) -> ImportPlan:
    """Sort files and folders into documents, questionnaires, unsupported files and problems, each file once."""
    documents: list[Path] = []
    questionnaires: list[Path] = []
    projects: list[Path] = []
    unsupported: list[Path] = []
    errors: list[PathProblem] = []
    seen: set[Path] = set()

    def take(path: Path, *, named: bool) -> None:
        if path in seen:
            return
        seen.add(path)
        if is_questionnaire_file(path):
            questionnaires.append(path)
        elif path.suffix.lower() in PROJECT_EXTENSIONS:
            projects.append(path)
        elif named or is_document_file(path):
            documents.append(path)
        else:
            unsupported.append(path)

    for path in paths:
        if path.is_dir():
            before = len(documents) + len(questionnaires) + len(projects)
            for found in _files_below(path):
                take(found, named=False)
            if len(documents) + len(questionnaires) + len(projects) == before:
                errors.append(PathProblem(path, "no importable files in this folder"))
        elif path.exists():
            take(path, named=True)
        else:
            errors.append(PathProblem(path, "no such file or folder"))
    return ImportPlan(tuple(documents), tuple(questionnaires), tuple(projects), tuple(unsupported), tuple(errors))
