"""The official REFI-QDA schemas from ../shared/reference/refi-qda/, read in place (never copied), for validating exports."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from tests.shared_files import reference


def _schema_file(name: str) -> Path:
    return reference(f"refi-qda/{name}")


@cache
def _codebook_schema(path: Path) -> etree.XMLSchema:
    # The Codebook.xsd QualCoder ships was copied from a PDF: hyphens became U+2010 and the spaces between a tag's
    # name and its attributes were lost. Put both back, nothing else; the repaired schema still refuses bad files
    # (see the test that proves it).
    text = path.read_text(encoding="utf-8").replace("\u2010", "-")
    text = re.sub(r"(<xsd:[A-Za-z]+)(name|type|base|value)=", r"\1 \2=", text)
    text = re.sub(r'"(?=[A-Za-z]+=)', '" ', text)
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8")))


@cache
def _project_schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


def codebook_schema() -> etree.XMLSchema:
    """Codebook.xsd (REFI-QDA 1.0), repaired as the comment above says."""
    return _codebook_schema(_schema_file("Codebook.xsd"))


def project_schema() -> etree.XMLSchema:
    """Project.xsd (REFI-QDA 1.0), as published."""
    return _project_schema(_schema_file("Project.xsd"))


def schema_errors(schema: etree.XMLSchema, data: bytes) -> list[str]:
    """What the schema finds wrong with a document (empty: valid)."""
    document = etree.fromstring(data)
    schema.validate(document)
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
