"""`workbench import --pseudonymise`: each document read is pseudonymised before it is stored (see core/pseudonyms.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from workbench.core.model import DocumentKind
from workbench.core.pseudonyms import Detector, KeyTable, deduce_detector, pseudonymise
from workbench.importers import ImportedDocument


def pseudonymiser(key_path: Path, detect: Detector | None = None) -> Callable[[ImportedDocument], ImportedDocument]:
    """A step that replaces a read document's names, places, dates and institutions, saving the key table each time.

    The key is saved before the document is stored, so a stored placeholder always has its original in the table.
    """
    key = KeyTable.load(key_path)
    find = detect or deduce_detector()

    def step(document: ImportedDocument) -> ImportedDocument:
        done = pseudonymise(document.text, document.turns, document=document.name, key=key, detect=find)
        key.save()
        return dataclasses.replace(document, text=done.text, turns=done.turns)

    return step


def pseudonymise_text(key_path: Path, detect: Detector | None = None) -> Callable[[str, str], str]:
    """The same for texts without turns (questionnaire answers): (text, document name) -> pseudonymised text."""
    step = pseudonymiser(key_path, detect)
    return lambda text, name: step(ImportedDocument(name=name, text=text, kind=DocumentKind.TRANSCRIPT)).text

