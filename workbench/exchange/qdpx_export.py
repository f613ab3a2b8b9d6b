"""Exporting a workbench project as a REFI-QDA 1.0 project (.qdpx) for ATLAS.ti, MAXQDA, NVivo and QualCoder.

The archive holds ``project.qde`` (valid against the standard's Project.xsd) and ``Sources/<guid>.txt``, each document's
text exactly as stored (UTF-8, no byte-order mark), with selection positions in characters (code points) of that text.

* Coders → Users; the codebook → CodeBook (as in a .qdc, `workbench.core.codebook.qdc`); code sets → Sets.
* Documents → TextSources; each document's codings by one coder on one span → one PlainTextSelection made by that
  coder, with one Coding per code. A coding's memo → a Note referenced by the Coding; a document memo → a Note by its
  coder referenced by the source.
* Cases → Cases with their attributes as VariableValues and a SourceRef per document; document attributes → the
  source's VariableValues; the document kind → the variable "Document kind". Every variable is Text.

Guids are derived from what they name (a code's as for a .qdc, a source's from the document name, a selection's from
its source, span and coder...), so exporting the same project twice gives the same file, and so does exporting what an
import of it gave.
"""

from __future__ import annotations

import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree  # type: ignore[import-untyped]
from sqlalchemy import select

from workbench.core import schema
from workbench.core.codebook.qdc import code_guid, set_attribute, write_codes, write_sets
from workbench.core.codebook.sets import load_code_sets
from workbench.core.codebook.tree import Codebook, load_codebook
from workbench.core.files import write_atomically
from workbench.core.store import Store
from workbench.errors import WorkbenchError
from workbench.exchange.qdpx_import import KIND_VARIABLE, NS

if TYPE_CHECKING:
    from lxml.etree import _Element  # type: ignore[import-untyped]

_NS = f"{{{NS}}}"
ORIGIN = "workbench"
#: Fixed namespace of every guid the export derives (codes use the codebook's, see qdc.GUID_NAMESPACE).
EXPORT_NAMESPACE = uuid.UUID("0d6d8d1e-5f1c-5a55-8f0a-6a3e1f3c9b27")


class ExchangeError(WorkbenchError):
    """A project cannot be written as REFI-QDA."""

    title = "REFI-QDA export"


def _guid(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(EXPORT_NAMESPACE, ":".join([kind, *map(str, parts)]))).upper()


def export_project(store: Store, out: Path, *, replace: bool = False) -> Path:
    """Write the project to `out` as a .qdpx, atomically (an existing file only with `replace`); the path written."""
    qde, texts = project_xml(store)

    def write(temp: Path) -> None:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", qde)
            for name, text in texts:
                archive.writestr(f"Sources/{name}", text.encode("utf-8"))

    return write_atomically(out, write, "the project", replace=replace)


def project_xml(store: Store) -> tuple[bytes, list[tuple[str, str]]]:
    """project.qde's bytes, and the (file name, text) of each source it refers to."""
    with store.reading() as conn:
        project = conn.execute(select(schema.project)).mappings().one()
        book = load_codebook(conn)
        sets = load_code_sets(conn)
        coders = {r.id: r.name for r in conn.execute(select(schema.coders))}
        documents = conn.execute(select(schema.documents).order_by(schema.documents.c.name)).mappings().all()
        document_attributes: dict[int, dict[str, str]] = defaultdict(dict)
        for r in conn.execute(select(schema.document_attributes)):
            document_attributes[r.document_id][r.key] = r.value
        case_ids = [case_id for (case_id,) in conn.execute(select(schema.cases.c.id).order_by(schema.cases.c.id))]
        case_attributes: dict[str, dict[str, str]] = defaultdict(dict)
        for r in conn.execute(select(schema.case_attributes)):
            case_attributes[r.case_id][r.key] = r.value
        codings: dict[int, list[dict[str, object]]] = defaultdict(list)
        for row in conn.execute(select(schema.codings)).mappings():
            codings[row["document_id"]].append(dict(row))
        memos: dict[int, list[dict[str, object]]] = defaultdict(list)
        for row in conn.execute(select(schema.document_memos)).mappings():
            memos[row["document_id"]].append(dict(row))

    root = etree.Element(f"{_NS}Project", nsmap={None: NS})
    set_attribute(root, "name", project["name"], "the project name")
    root.set("origin", ORIGIN)
    user_guid = {coder_id: _guid("user", name) for coder_id, name in coders.items()}
    if coders:
        users = etree.SubElement(root, f"{_NS}Users")
        for coder_id, name in sorted(coders.items(), key=lambda item: item[1]):
            user = etree.SubElement(users, f"{_NS}User", guid=user_guid[coder_id])
            set_attribute(user, "name", name, f"coder {name!r}")
    if book.codes:
        write_codes(etree.SubElement(root, f"{_NS}CodeBook"), NS, book)
    variable_names = sorted({key for values in (*document_attributes.values(), *case_attributes.values()) for key in values}
                            | ({KIND_VARIABLE} if documents else set()))
    variable_guid = {name: _guid("variable", name) for name in variable_names}
    if variable_names:
        variables = etree.SubElement(root, f"{_NS}Variables")
        for name in variable_names:
            element = etree.SubElement(variables, f"{_NS}Variable", guid=variable_guid[name], typeOfVariable="Text")
            set_attribute(element, "name", name, f"attribute {name!r}")
    source_guid = {int(d["id"]): _guid("source", d["name"]) for d in documents}
    if case_ids:
        cases = etree.SubElement(root, f"{_NS}Cases")
        for case_id in case_ids:
            case = etree.SubElement(cases, f"{_NS}Case", guid=_guid("case", case_id))
            set_attribute(case, "name", case_id, f"case {case_id!r}")
            _variable_values(case, sorted(case_attributes[case_id].items()), variable_guid)
            for document in documents:
                if document["case_id"] == case_id:
                    etree.SubElement(case, f"{_NS}SourceRef", targetGUID=source_guid[int(document["id"])])
    notes: list[tuple[str, int, str, str]] = []  # (guid, coder id, created, text)
    texts: list[tuple[str, str]] = []
    if documents:
        sources = etree.SubElement(root, f"{_NS}Sources")
        for document in documents:
            document_id = int(document["id"])
            guid = source_guid[document_id]
            text_file = f"{guid}.txt"
            texts.append((text_file, str(document["text"])))
            source = etree.SubElement(sources, f"{_NS}TextSource", guid=guid)
            set_attribute(source, "name", str(document["name"]), f"document {document['name']!r}")
            source.set("plainTextPath", f"internal://{text_file}")
            _selections(source, guid, codings[document_id], book, user_guid, notes)
            for memo in sorted(memos[document_id], key=lambda m: coders[int(str(m["coder_id"]))]):
                note_guid = _guid("note", "document", guid, coders[int(str(memo["coder_id"]))])
                etree.SubElement(source, f"{_NS}NoteRef", targetGUID=note_guid)
                notes.append((note_guid, int(str(memo["coder_id"])), str(memo["updated"]), str(memo["text"])))
            values = sorted(document_attributes[document_id].items()) + [(KIND_VARIABLE, str(document["kind"]))]
            _variable_values(source, values, variable_guid)
    if notes:
        notes_element = etree.SubElement(root, f"{_NS}Notes")
        for note_guid, coder_id, created, text in notes:
            note = etree.SubElement(notes_element, f"{_NS}Note", guid=note_guid, name="Memo", creatingUser=user_guid[coder_id],
                                    creationDateTime=created)
            content = etree.SubElement(note, f"{_NS}PlainTextContent")
            try:
                content.text = text
            except ValueError:
                raise ExchangeError(f"a memo of {coders[coder_id]!r} holds characters XML cannot carry") from None
    write_sets(root, NS, book, sets, member_attribute="targetGUID")
    etree.indent(root, space="  ")
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n", texts


def _selections(source: _Element, guid: str, codings: list[dict[str, object]], book: Codebook, user_guid: dict[int, str],
                notes: list[tuple[str, int, str, str]]) -> None:
    spans: dict[tuple[int, int, int], list[dict[str, object]]] = defaultdict(list)
    for coding in codings:
        spans[(int(str(coding["start_offset"])), int(str(coding["end_offset"])), int(str(coding["coder_id"])))].append(coding)
    for (start, end, coder_id), group in sorted(spans.items(), key=lambda item: (item[0][0], item[0][1], user_guid[item[0][2]])):
        selection_guid = _guid("selection", guid, start, end, user_guid[coder_id])
        selection = etree.SubElement(source, f"{_NS}PlainTextSelection", guid=selection_guid, name="",
                                     startPosition=str(start), endPosition=str(end), creatingUser=user_guid[coder_id],
                                     creationDateTime=min(str(c["created"]) for c in group))
        for coding in sorted(group, key=lambda c: code_guid(book.get(str(c["code_id"])))):
            target = code_guid(book.get(str(coding["code_id"])))
            coding_guid = _guid("coding", selection_guid, target)
            element = etree.SubElement(selection, f"{_NS}Coding", guid=coding_guid, creatingUser=user_guid[coder_id],
                                       creationDateTime=str(coding["created"]))
            etree.SubElement(element, f"{_NS}CodeRef", targetGUID=target)
            if coding["memo"]:
                note_guid = _guid("note", "coding", coding_guid)
                etree.SubElement(element, f"{_NS}NoteRef", targetGUID=note_guid)
                notes.append((note_guid, coder_id, str(coding["created"]), str(coding["memo"])))


def _variable_values(parent: _Element, values: Iterable[tuple[str, str]], variable_guid: dict[str, str]) -> None:
    for name, value in values:
        element = etree.SubElement(parent, f"{_NS}VariableValue")
        etree.SubElement(element, f"{_NS}VariableRef", targetGUID=variable_guid[name])
        text = etree.SubElement(element, f"{_NS}TextValue")
        try:
            text.text = value
        except ValueError:
            raise ExchangeError(f"attribute {name!r} holds characters XML cannot carry: {value!r}") from None
