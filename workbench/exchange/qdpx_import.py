"""Importing a REFI-QDA project (.qdpx, or a bare project.qde) into a workbench project, as one undoable action.

What comes in
-------------
* Users → coders, by name (a user without a name is known by its guid).
* The codebook → codes, read as a .qdc is (`workbench.core.codebook.qdc`): names, colours, descriptions verbatim,
  ``isCodable``; a code the project already has (by guid) is not added again and keeps its id. Project ``<Sets>`` of
  codes → code sets (sets of sources or notes are left out).
* Text sources (``TextSource``, and a ``PDFSource``'s text ``Representation``) → documents, the text from
  ``plainTextPath`` inside the archive (``internal://…`` is ``Sources/…``) or from ``PlainTextContent``, without its
  byte-order mark and with line ends as LF. Selection positions are mapped onto that text (`workbench.exchange.offsets`).
  Picture, audio and video sources are left out and counted.
* Each ``Coding`` of a ``PlainTextSelection`` → a coding of its code on that span, by the ``creatingUser`` of the
  Coding (else of the selection, the source, the project; else the person importing), dated ``creationDateTime``.
* Cases → cases (id: the case's name), their variable values → case attributes, their ``SourceRef`` → the document's
  case (the first case that names it). A source's variable values → document attributes; the variable "Document kind"
  (written by our export) sets the document kind instead.
* Notes → memos: a note referenced by a Coding or its selection becomes that coding's memo, one referenced by a source
  the document memo of the note's author; other notes are left out and counted.

All or nothing: anything the workbench cannot store faithfully (a selection outside its text, a coding of a code that
is not in the codebook, a source already in the project) refuses the whole import with one line naming it, and the
project stays as it was. Sizes are checked before anything is read (`workbench.exchange.archive`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from workbench.core import schema
from workbench.core.codebook.qdc import canonical_guid, guid_ids, parse_xml, read_codes, read_sets
from workbench.core.codebook.tree import code_row, load_codebook
from workbench.core.codings import coder_id_for
from workbench.core.corpus import content_hash, ensure_case
from workbench.core.history import Changes
from workbench.core.model import CaseAttributes, Code, CodeSet, DocumentKind
from workbench.core.store import Store, timestamp
from workbench.errors import AlreadyImportedError, CodebookError, ImportError_, WorkbenchError
from workbench.exchange.archive import MAX_PROJECT_BYTES, MAX_SOURCE_BYTES, open_archive
from workbench.exchange.offsets import best_map, normalise_text
from workbench.importers.turns import detect_turns

if TYPE_CHECKING:
    from lxml.etree import _Element  # type: ignore[import-untyped]

NS = "urn:QDA-XML:project:1.0"
_NS = f"{{{NS}}}"
#: The document variable our export writes a document's kind in (see the module docstring).
KIND_VARIABLE = "Document kind"
_DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
_MAX_CODER_CHARS = 100
#: Sources the workbench has no text of, as the report names them.
_LEFT_OUT = {"PictureSource": "picture source", "AudioSource": "audio source", "VideoSource": "video source",
             "PDFSource": "PDF source without a text representation"}


@dataclass(frozen=True)
class ProjectImport:
    """What an import brought in, for the one-line report."""

    documents: int
    codes: int
    codings: int
    cases: int
    coders: tuple[str, ...]
    memos: int
    left_out: tuple[str, ...] = ()

    def summary(self, path: Path) -> str:
        """One line: what came in, and what was left out."""
        line = (f"imported {path}: {_count(self.documents, 'document')}, {_count(self.codes, 'new code')}, "
                f"{_count(self.codings, 'coding')} by {', '.join(self.coders) or 'nobody'}, {_count(self.cases, 'case')}, "
                f"{_count(self.memos, 'memo')}")
        return line + (f"; left out {', '.join(self.left_out)}" if self.left_out else "")


@dataclass
class _Coding:
    start: int
    end: int
    code_guid: str
    coder: str
    created: str
    memo: str


@dataclass
class _Source:
    guid: str
    name: str
    text: str
    kind: DocumentKind
    attributes: dict[str, str]
    codings: list[_Coding] = field(default_factory=list)
    memos: dict[str, list[_Note]] = field(default_factory=dict)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


@dataclass(frozen=True)
class ProjectOutcome:
    """What happened to one project file: imported (with what it brought), skipped as already imported, or refused."""

    path: Path
    result: ProjectImport | None = None
    skipped: str | None = None
    error: str | None = None


def import_projects(store: Store, paths: Sequence[Path], actor: str) -> list[ProjectOutcome]:
    """Import each project file as its own action: a project already in is skipped, a bad one reported, none half-stored."""
    outcomes: list[ProjectOutcome] = []
    for path in paths:
        try:
            outcomes.append(ProjectOutcome(path, result=import_project(store, path, actor)))
        except AlreadyImportedError as exc:
            outcomes.append(ProjectOutcome(path, skipped=str(exc)))
        except WorkbenchError as exc:
            outcomes.append(ProjectOutcome(path, error=str(exc)))
    return outcomes


def import_project(store: Store, path: Path, actor: str) -> ProjectImport:
    """Import a .qdpx (or .qde) into the project as one action; any problem raises one line and changes nothing."""
    source = str(path)
    if path.suffix.lower() == ".qde":
        try:
            size = path.stat().st_size
            if size > MAX_PROJECT_BYTES:
                raise ImportError_(f"{path}: file is {size // 1024**2} MB, larger than the {MAX_PROJECT_BYTES // 1024**2} MB limit")
            data = path.read_bytes()
        except FileNotFoundError:
            raise ImportError_(f"{path}: no such file") from None
        except OSError as exc:
            raise ImportError_(f"{path}: cannot read ({exc.strerror})") from None
        return _import(store, data, lambda name, what: _no_archive(path, name, what), source, actor)
    archive = open_archive(path)
    try:
        qde = [name for name in archive.names() if name.lower().endswith(".qde") and "/" not in name.strip("/")]
        if not qde:
            raise ImportError_(f"{path}: not a REFI-QDA project (no project.qde in the archive)")
        data = archive.read(sorted(qde)[0], MAX_PROJECT_BYTES, "project.qde")
        return _import(store, data, lambda name, what: archive.read(name, MAX_SOURCE_BYTES, what), source, actor)
    finally:
        archive.close()


def _no_archive(path: Path, name: str, what: str) -> bytes:
    raise ImportError_(f"{path}: {what} is in a file ({name}) that only a .qdpx archive holds; import the .qdpx")


def _import(store: Store, data: bytes, read_member: Callable[[str, str], bytes], source: str, actor: str) -> ProjectImport:
    root = parse_xml(data, source, ImportError_)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag != f"{_NS}Project":
        raise ImportError_(f"{source}: not a REFI-QDA project (the root element is not Project in {NS!r})")
    users = {canonical_guid(u.get("guid", "")): _coder_name(u) for u in root.iterfind(f"{_NS}Users/{_NS}User")}
    fallback = _user(users, root.get("creatingUserGUID")) or actor
    notes = _notes(root, users, fallback, read_member, source)
    # Our own export counts code points; for other tools' files the convention is found per source.
    own = (root.get("origin") or "").startswith("workbench")
    used_notes: set[str] = set()
    variables = {canonical_guid(v.get("guid", "")): v.get("name") or "" for v in root.iterfind(f"{_NS}Variables/{_NS}Variable")}
    with store.reading() as conn:
        book = load_codebook(conn)
    known = guid_ids(book)
    codes_element = root.find(f"{_NS}CodeBook/{_NS}Codes")
    try:
        codes = read_codes(codes_element, NS, source, known) if codes_element is not None else []
        sets = read_sets(root.find(f"{_NS}Sets"), NS, codes, source)
    except CodebookError as exc:
        raise ImportError_(str(exc)) from None
    code_ids = {canonical_guid(code.guid): code.id for code in codes if code.guid}
    code_ids.update(known)
    sources: list[_Source] = []
    left_out: dict[str, int] = {}
    names: set[str] = set()
    sources_element = root.find(f"{_NS}Sources")
    for element in sources_element if sources_element is not None else ():
        if not isinstance(element.tag, str):
            continue
        kind = element.tag.removeprefix(_NS)
        text_element = element if kind == "TextSource" else element.find(f"{_NS}Representation") if kind == "PDFSource" else None
        if text_element is None:
            what = _LEFT_OUT.get(kind, f"{kind} source")
            left_out[what] = left_out.get(what, 0) + 1
            continue
        read = _source(element, text_element, read_member, users, fallback, notes, used_notes, variables, source, own=own)
        read.name = _unique(read.name, names)
        sources.append(read)
    cases = _cases(root, variables, {s.guid: s for s in sources})
    unused = len(notes) - len(used_notes)
    if unused:
        left_out["note"] = unused
    for read in sources:
        for coding in read.codings:
            if coding.code_guid not in code_ids:
                raise ImportError_(
                    f"{source}: source {read.name!r}: a coding refers to code {coding.code_guid}, which is not in the codebook")
    result = _store(store, actor, source, codes, sets, sources, cases, code_ids, sorted(set(users.values()) - {""}))
    return replace(result, left_out=tuple(
        f"{count} {what}{'' if count == 1 else 's'}" + (" not attached to a source or coding" if what == "note" else "")
        for what, count in left_out.items()))


def _coder_name(user: _Element) -> str:
    name = (user.get("name") or user.get("id") or user.get("guid") or "").strip()
    return name[:_MAX_CODER_CHARS]


def _user(users: Mapping[str, str], guid: str | None) -> str | None:
    if not guid or not guid.strip():
        return None
    return users.get(canonical_guid(guid)) or guid.strip()[:_MAX_CODER_CHARS]


@dataclass(frozen=True)
class _Note:
    author: str
    text: str
    created: str


def _notes(root: _Element, users: Mapping[str, str], fallback: str, read_member: Callable[[str, str], bytes],
           source: str) -> dict[str, _Note]:
    """Notes by guid, their text inline (PlainTextContent) or in the archive (plainTextPath)."""
    found: dict[str, _Note] = {}
    for note in root.iterfind(f"{_NS}Notes/{_NS}Note"):
        inline = note.find(f"{_NS}PlainTextContent")
        path = note.get("plainTextPath")
        if inline is not None:
            text = "".join(inline.itertext())
        elif path:
            label = f"{source}: note {note.get('name') or note.get('guid')!r}"
            text = _decode(read_member(_member_name(path, label), "the text of a note"), label)
        else:
            continue
        if text.strip():
            found[canonical_guid(note.get("guid", ""))] = _Note(
                _user(users, note.get("creatingUser")) or fallback, normalise_text(text), _date_time(note.get("creationDateTime")))
    return found


def _decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportError_(f"{label}: its plain text is not UTF-8 (byte {exc.start})") from None


def _note_refs(element: _Element, notes: Mapping[str, _Note], used: set[str]) -> list[_Note]:
    out = []
    for ref in element.iterchildren(f"{_NS}NoteRef"):
        guid = canonical_guid(ref.get("targetGUID", ""))
        if guid in notes:
            used.add(guid)
            out.append(notes[guid])
    return out


def _source(element: _Element, text_element: _Element, read_member: Callable[[str, str], bytes], users: Mapping[str, str],
            fallback: str, notes: Mapping[str, _Note], used_notes: set[str], variables: Mapping[str, str],
            source: str, *, own: bool) -> _Source:
    name = (element.get("name") or "").strip() or element.get("guid", "source")
    label = f"{source}: source {name!r}"
    path = text_element.get("plainTextPath")
    inline = text_element.find(f"{_NS}PlainTextContent")
    if inline is not None:
        raw = "".join(inline.itertext())
    elif path:
        member = _member_name(path, label)
        raw = _decode(read_member(member, f"the text of source {name!r}"), label)
    else:
        raise ImportError_(f"{label}: no plain text (neither plainTextPath nor PlainTextContent)")
    text = normalise_text(raw)
    if not text.strip():
        raise ImportError_(f"{label}: its text is empty")
    source_user = _user(users, element.get("creatingUser")) or fallback
    selections = list(text_element.iterchildren(f"{_NS}PlainTextSelection"))
    spans = []
    for selection in selections:
        try:
            spans.append((int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))))
        except ValueError:
            raise ImportError_(f"{label}: line {selection.sourceline}: a selection without whole-number positions") from None
    mapping = best_map(raw, text, spans, code_points_only=own)
    if mapping is None and spans:
        worst = max(spans, key=lambda span: span[1])
        raise ImportError_(f"{label}: a selection at {worst[0]}-{worst[1]} lies outside its text ({len(text)} characters)")
    attributes: dict[str, str] = {}
    kind = DocumentKind.TRANSCRIPT
    for variable, value in _variable_values(element, variables):
        if variable == KIND_VARIABLE:
            try:
                kind = DocumentKind.parse(value)
                continue
            except ValueError:
                pass
        attributes[variable] = value
    read = _Source(guid=canonical_guid(element.get("guid", "")), name=name, text=text, kind=kind, attributes=attributes)
    for note in _note_refs(element, notes, used_notes):
        read.memos.setdefault(note.author, []).append(note)
    stored_spans = [(mapping.to_stored(start), mapping.to_stored(end)) for start, end in spans] if mapping is not None else []
    for selection, (stored_start, stored_end) in zip(selections, stored_spans, strict=True):
        if stored_start is None or stored_end is None or stored_end <= stored_start:
            continue  # an empty selection marks nothing (best_map made sure every position is inside the text)
        selection_user = _user(users, selection.get("creatingUser")) or source_user
        selection_memos = [note.text for note in _note_refs(selection, notes, used_notes)]
        for coding in selection.iterchildren(f"{_NS}Coding"):
            ref = coding.find(f"{_NS}CodeRef")
            if ref is None or not ref.get("targetGUID"):
                raise ImportError_(f"{label}: line {coding.sourceline}: a Coding without a CodeRef")
            memos = selection_memos + [note.text for note in _note_refs(coding, notes, used_notes)]
            read.codings.append(_Coding(
                start=stored_start, end=stored_end, code_guid=canonical_guid(ref.get("targetGUID", "")),
                coder=_user(users, coding.get("creatingUser")) or selection_user,
                created=_date_time(coding.get("creationDateTime") or selection.get("creationDateTime")), memo="\n\n".join(memos),
            ))
    return read


def _member_name(path: str, label: str) -> str:
    if path.startswith("internal://"):
        member = "Sources/" + path.removeprefix("internal://")
    elif "://" in path:
        raise ImportError_(f"{label}: its text is outside the archive ({path}); export the project with its sources embedded")
    else:
        member = path
    if member.startswith("/") or ".." in member.split("/"):
        raise ImportError_(f"{label}: its text path {path!r} points outside the archive")
    return member


def _date_time(value: str | None) -> str:
    if value and _DATE_TIME.match(value):
        return value[:19] + "Z"
    return timestamp()


def _variable_values(element: _Element, variables: Mapping[str, str]) -> list[tuple[str, str]]:
    out = []
    for value in element.iterchildren(f"{_NS}VariableValue"):
        ref = value.find(f"{_NS}VariableRef")
        name = variables.get(canonical_guid(ref.get("targetGUID", ""))) if ref is not None else None
        if not name:
            continue
        for child in value:
            if isinstance(child.tag, str) and child.tag.endswith("Value") and child.tag != f"{_NS}VariableRef":
                out.append((name, (child.text or "").strip()))
                break
    return out


@dataclass
class _Case:
    id: str
    attributes: dict[str, str]
    sources: list[str]


def _cases(root: _Element, variables: Mapping[str, str], sources: Mapping[str, _Source]) -> list[_Case]:
    cases: list[_Case] = []
    ids: set[str] = set()
    for element in root.iterfind(f"{_NS}Cases/{_NS}Case"):
        case_id = _unique((element.get("name") or "").strip()[:200] or element.get("guid", "case"), ids)
        refs = [canonical_guid(ref.get("targetGUID", "")) for ref in element.iterchildren(f"{_NS}SourceRef")]
        cases.append(_Case(case_id, dict(_variable_values(element, variables)), [guid for guid in refs if guid in sources]))
    return cases


def _unique(name: str, taken: set[str]) -> str:
    candidate, counter = name, 1
    while candidate in taken:
        counter += 1
        candidate = f"{name} ({counter})"
    taken.add(candidate)
    return candidate


def _store(store: Store, actor: str, source: str, codes: list[Code], sets: tuple[CodeSet, ...], sources: list[_Source],
           cases: list[_Case], code_ids: Mapping[str, str], users: list[str]) -> ProjectImport:
    d = schema.documents
    coders: list[str] = []
    memo_count = coding_count = 0
    with store.action("import project", actor, f"imported project {Path(source).name}") as changes:
        conn = changes.conn
        known_codes = load_codebook(conn)
        new_codes = [code for code in codes if code.id not in known_codes.by_id]
        _insert_codes(changes, new_codes)
        _insert_sets(changes, sets)
        for user in users:
            coder_id_for(changes, user)
        for read in sources:
            digest = content_hash(read.text)
            clash = conn.execute(select(d.c.name).where((d.c.name == read.name) | (d.c.content_hash == digest))).first()
            if clash is not None:
                reason = "a document with this name" if clash.name == read.name else f"the same text as {clash.name!r}"
                raise AlreadyImportedError(f"{source}: source {read.name!r} is already imported ({reason} is in the project)")
        case_of: dict[str, str] = {}
        for case in cases:
            ensure_case(changes, case.id, CaseAttributes.from_dict(case.attributes))
            for guid in case.sources:
                case_of.setdefault(guid, case.id)
        for read in sources:
            document_id = changes.insert(d, {
                "name": read.name, "kind": read.kind.value, "text": read.text, "content_hash": content_hash(read.text),
                "case_id": case_of.get(read.guid), "source": source, "imported": timestamp(),
            })
            changes.insert_many(schema.document_attributes,
                                [{"document_id": document_id, "key": k, "value": v} for k, v in read.attributes.items()])
            turns = detect_turns(read.text) if read.kind in (DocumentKind.TRANSCRIPT, DocumentKind.FOCUS_GROUP) else ()
            changes.insert_many(schema.turns, [
                {"document_id": document_id, "seq": t.seq, "speaker": t.speaker, "start_offset": t.start, "end_offset": t.end}
                for t in turns
            ])
            rows: dict[tuple[int, int, str, int], dict[str, object]] = {}
            for coding in read.codings:
                coder_id = coder_id_for(changes, coding.coder)
                if coding.coder not in coders:
                    coders.append(coding.coder)
                key = (coding.start, coding.end, code_ids[coding.code_guid], coder_id)
                if key in rows:
                    continue  # the same code on the same span by the same coder, twice: once is what it means
                rows[key] = {"document_id": document_id, "start_offset": coding.start, "end_offset": coding.end,
                             "code_id": key[2], "coder_id": coder_id, "memo": coding.memo, "created": coding.created}
            changes.insert_many(schema.codings, list(rows.values()))
            coding_count += len(rows)
            memo_count += sum(1 for row in rows.values() if row["memo"])
            for author, notes in read.memos.items():
                changes.insert(schema.document_memos, {"document_id": document_id, "coder_id": coder_id_for(changes, author),
                                                       "text": "\n\n".join(note.text for note in notes),
                                                       "updated": max(note.created for note in notes)})
                memo_count += 1
        changes.summary = (f"imported project {Path(source).name}: {len(sources)} documents, {len(new_codes)} codes, "
                           f"{coding_count} codings, {len(cases)} cases")
    return ProjectImport(documents=len(sources), codes=len(new_codes), codings=coding_count, cases=len(cases),
                         coders=tuple(coders), memos=memo_count)


def _insert_codes(changes: Changes, codes: list[Code]) -> None:
    """New codes, parents first; a new code under an existing one goes after that code's children."""
    c = schema.codes
    new_ids = {code.id for code in codes}
    next_position: dict[str | None, int] = {}
    for code in codes:
        position = code.position
        if code.parent_id not in new_ids:
            parent = code.parent_id
            if parent not in next_position:
                where = c.c.parent_id.is_(None) if parent is None else c.c.parent_id == parent
                last = select(func.coalesce(func.max(c.c.position) + 1, 0)).where(where)
                next_position[parent] = int(changes.conn.execute(last).scalar_one())
            position = next_position[parent] + code.position
        changes.insert(c, code_row(replace(code, position=position)))


def _insert_sets(changes: Changes, sets: tuple[CodeSet, ...]) -> None:
    s = schema.code_sets
    stored = {canonical_guid(guid) for (guid,) in changes.conn.execute(select(s.c.guid))}
    start = int(changes.conn.execute(select(func.count()).select_from(s)).scalar_one())
    fresh = [code_set for code_set in sets if canonical_guid(code_set.guid) not in stored]
    changes.insert_many(s, [
        {"guid": code_set.guid, "name": code_set.name, "description": code_set.description,
         "code_ids": json.dumps(list(code_set.code_ids), ensure_ascii=False), "position": start + index}
        for index, code_set in enumerate(fresh)
    ])
