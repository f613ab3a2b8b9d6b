"""The starter demo (a small project the tests use), built from a folder of documents, a codebook and codings."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

from workbench.core.codebook import add_codes
from workbench.core.codebook.yaml_file import read_codebook_file
from workbench.core.model import CaseAttributes, DocumentKind
from workbench.core.store import Store
from workbench.errors import WorkbenchError
from workbench.importers import failed, import_files

BUILDER = "demo-builder"


@dataclass(frozen=True)
class DemoSource:
    """The files of a demo project folder in corpora/."""

    root: Path

    @property
    def documents_csv(self) -> Path:
        return self.root / "documents.csv"

    @property
    def codebook(self) -> Path:
        return self.root / "codebook.yaml"

    @property
    def codings_csv(self) -> Path:
        return self.root / "codings.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build_demo(source_dir: Path, project_dir: Path, name: str) -> Store:
    """Create a project from a demo source folder: documents, cases, codebook, then every coding."""
    from workbench.demos.huis_van_herstel import Quote, code_quotes

    source = DemoSource(source_dir)
    if project_dir.exists():
        raise WorkbenchError(f"{project_dir}: already exists; the demo is built into a new folder")
    store = Store.create(project_dir, name, description=f"Built from {source_dir.name}/ in corpora/", actor=BUILDER)
    try:
        add_codes(store, read_codebook_file(source.codebook).codes, BUILDER, f"loaded codebook {source.codebook.name}")
        for row in _rows(source.documents_csv):
            attributes = CaseAttributes(
                respondent_group=row.get("respondent_group") or None, function=row.get("function") or None, wave=row.get("wave") or None
            )
            outcomes = import_files(
                store, [source.root / "documents" / row["file"]], actor=BUILDER, kind=DocumentKind.parse(row["kind"]),
                case_id=row.get("case") or None, case_attributes=attributes,
            )
            for outcome in failed(outcomes):
                raise WorkbenchError(f"demo {source_dir.name}: {outcome.error}")
        quotes = [
            Quote(row["document"], row["code"], row["quote"], int(row.get("occurrence") or 1), row["coder"], row.get("memo") or "")
            for row in _rows(source.codings_csv)
        ]
        code_quotes(store, quotes, str(source.codings_csv))
    except BaseException:
        store.close()
        shutil.rmtree(project_dir, ignore_errors=True)
        raise
    return store
